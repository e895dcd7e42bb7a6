/*
 * format.c - display rounding (sap.md section 5).
 *
 * Stage: layout. A double is first written with 15 significant digits
 * (%.14e, the digits %.15g would show); that decimal string, not the binary
 * value, is rounded half away from zero. So 1.005 (binary 1.00499999...)
 * is "1.00500000000000" and shows as 1.01, 2.675 as 2.68, -0.5 as -1.
 */
#include "layout/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIG 15

int tlf_fmt_fixed(char *out, size_t outsz, double v, int decimals, int scale_pow10)
{
    if (out && outsz)
        out[0] = '\0';
    if (!out || outsz < TLF_FMT_MAX || decimals < 0 || decimals > 15 ||
        scale_pow10 < 0 || scale_pow10 > 6)
        return TLF_EDATA;
    if (!isfinite(v))
        return TLF_EDATA;

    /* d.dddddddddddddde[+-]XX: SIG digits and a decimal exponent */
    char sci[40];
    snprintf(sci, sizeof sci, "%.*e", SIG - 1, fabs(v));
    int digits[SIG];
    int nd = 0;
    const char *p = sci;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && nd < SIG)
            digits[nd++] = *p - '0';
    int exp10 = (*p == 'e') ? atoi(p + 1) : 0;
    exp10 += scale_pow10;
    int negative = v < 0;

    /* value = 0.d1 d2 ... dSIG * 10^(exp10 + 1); keep = digits left after
     * rounding to `decimals` places */
    int keep = exp10 + 1 + decimals;
    /* the rounded magnitude in units of 10^-decimals, as a digit string */
    char mag[64];
    int nm = 0;
    if (v == 0.0 || keep < 0) {
        mag[nm++] = '0';
    } else if (keep == 0) {
        mag[nm++] = digits[0] >= 5 ? '1' : '0';
    } else {
        if (keep > 40)
            return TLF_EDATA;   /* beyond what a table shows; not reached for decimals <= 15 and |v| < 1e25 */
        int tmp[48];
        for (int i = 0; i < keep; i++)
            tmp[i] = i < nd ? digits[i] : 0;
        int up = keep < nd && digits[keep] >= 5;
        int len = keep;
        for (int i = len - 1; up && i >= 0; i--) {
            tmp[i]++;
            up = tmp[i] == 10;
            if (up)
                tmp[i] = 0;
        }
        if (up)
            mag[nm++] = '1';
        for (int i = 0; i < len; i++)
            mag[nm++] = (char)('0' + tmp[i]);
    }
    mag[nm] = '\0';
    /* left-pad to decimals + 1 digits, then strip surplus leading zeros */
    char pad[96];
    int np = 0;
    for (int i = nm; i < decimals + 1; i++)
        pad[np++] = '0';
    memcpy(pad + np, mag, (size_t)nm);
    np += nm;
    int start = 0;
    while (start < np - (decimals + 1) && pad[start] == '0')
        start++;
    int iszero = 1;
    for (int i = start; i < np; i++)
        if (pad[i] != '0')
            iszero = 0;

    char res[112];
    int r = 0;
    if (negative && !iszero)
        res[r++] = '-';
    int intdig = np - start - decimals;
    for (int i = start; i < np; i++) {
        if (i - start == intdig)
            res[r++] = '.';
        res[r++] = pad[i];
    }
    res[r] = '\0';
    if ((size_t)r + 1 > outsz)
        return TLF_EDATA;
    memcpy(out, res, (size_t)r + 1);
    return 0;
}

int tlf_fmt_pvalue(char *out, size_t outsz, double p)
{
    if (out && outsz)
        out[0] = '\0';
    if (!out || outsz < TLF_FMT_MAX || !isfinite(p) || p < 0.0 || p > 1.0)
        return TLF_EDATA;
    if (p < 0.001) {
        strcpy(out, "<0.001");
        return 0;
    }
    if (p > 0.999) {
        strcpy(out, ">0.999");
        return 0;
    }
    return tlf_fmt_fixed(out, outsz, p, 3, 0);
}
