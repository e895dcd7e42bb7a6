/*
 * strmap.c - string to dense index map (see strmap.h).
 */
#include "core/strmap.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a 64 */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

size_t tlf_strmap_getn(const tlf_strmap *m, const char *key, size_t len)
{
    if (!m->nslots)
        return (size_t)-1;
    size_t mask = m->nslots - 1;
    for (size_t i = (size_t)hash_bytes(key, len) & mask;; i = (i + 1) & mask) {
        size_t v = m->slots[i];
        if (!v)
            return (size_t)-1;
        const char *k = m->keys[v - 1];
        if (strncmp(k, key, len) == 0 && k[len] == '\0')
            return v - 1;
    }
}

size_t tlf_strmap_get(const tlf_strmap *m, const char *key)
{
    return tlf_strmap_getn(m, key, strlen(key));
}

static void place(size_t *slots, size_t nslots, const char *key, size_t index)
{
    size_t mask = nslots - 1;
    size_t i = (size_t)hash_bytes(key, strlen(key)) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

size_t tlf_strmap_add(tlf_strmap *m, const char *key)
{
    size_t found = tlf_strmap_get(m, key);
    if (found != (size_t)-1)
        return found;
    if (2 * (m->n + 1) > m->nslots) {
        size_t ns = m->nslots ? 2 * m->nslots : 64;
        size_t *slots = xcalloc(ns, sizeof *slots);
        for (size_t k = 0; k < m->n; k++)
            place(slots, ns, m->keys[k], k);
        free(m->slots);
        m->slots = slots;
        m->nslots = ns;
    }
    XGROW(m->keys, m->keys_cap, m->n + 1);
    m->keys[m->n] = xstrdup(key);
    place(m->slots, m->nslots, key, m->n);
    return m->n++;
}

void tlf_strmap_free(tlf_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
