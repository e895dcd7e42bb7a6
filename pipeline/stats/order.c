/*
 * order.c - radix ordering by double keys and counting sort by codes
 * (see order.h). Stage: statistics.
 */
#include "stats/order.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Map a double to an unsigned integer with the same order (IEEE 754:
 * flip every bit of a negative, only the sign bit of a positive). */
static uint64_t sortable_bits(double v)
{
    uint64_t u;
    v += 0.0;                      /* -0.0 becomes +0.0 */
    memcpy(&u, &v, sizeof u);
    return (u & UINT64_C(0x8000000000000000)) ? ~u : (u | UINT64_C(0x8000000000000000));
}

void stats_order(size_t *idx, const double *key, size_t n)
{
    if (n == 0)
        return;
    /* Keys and indices travel together so each pass is sequential. */
    uint64_t *k = xmalloc(2 * n * sizeof *k);
    uint64_t *k2 = k + n;
    size_t *i2 = xmalloc(n * sizeof *i2);
    uint64_t all_and = ~UINT64_C(0), all_or = 0;
    for (size_t i = 0; i < n; i++) {
        k[i] = sortable_bits(key[i]);
        idx[i] = i;
        all_and &= k[i];
        all_or |= k[i];
    }
    uint64_t varying = all_and ^ all_or;   /* bits that differ somewhere */
    size_t count[256];
    uint64_t *src_k = k, *dst_k = k2;
    size_t *src_i = idx, *dst_i = i2;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (((varying >> shift) & 0xFF) == 0)
            continue;                      /* every key shares this byte */
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(src_k[i] >> shift) & 0xFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t pos = count[(src_k[i] >> shift) & 0xFF]++;
            dst_k[pos] = src_k[i];
            dst_i[pos] = src_i[i];
        }
        uint64_t *tk = src_k; src_k = dst_k; dst_k = tk;
        size_t *ti = src_i; src_i = dst_i; dst_i = ti;
    }
    if (src_i != idx)
        memcpy(idx, src_i, n * sizeof *idx);
    free(k);
    free(i2);
}

void stats_order_by_code(size_t *idx, const int *code, size_t ncode, size_t n)
{
    if (n == 0 || ncode <= 1)
        return;
    size_t *start = xcalloc(ncode + 1, sizeof *start);
    size_t *tmp = xmalloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        start[(size_t)code[idx[i]] + 1]++;
    for (size_t c = 1; c <= ncode; c++)
        start[c] += start[c - 1];
    for (size_t i = 0; i < n; i++)
        tmp[start[code[idx[i]]]++] = idx[i];
    memcpy(idx, tmp, n * sizeof *idx);
    free(tmp);
    free(start);
}
