/*
 * strmap.h - a map from strings to dense indices 0, 1, 2, ... in the order
 * the strings were first added (open addressing, FNV-1a, grows at 1/2 load).
 *
 * Stage: core. Used where a stage reads a table once and files each row by
 * a key (subject, parameter, ARD selector) instead of asking SQLite or
 * scanning a list per key: look-ups are O(1) and the indices double as
 * positions in the caller's own arrays.
 */
#ifndef TLFGEN_CORE_STRMAP_H
#define TLFGEN_CORE_STRMAP_H

#include <stddef.h>

typedef struct tlf_strmap {
    char **keys;        /* keys[i] is the string of index i (owned)         */
    size_t n;           /* strings held                                     */
    size_t keys_cap;
    size_t *slots;      /* hash table of index + 1 (0 = empty slot)         */
    size_t nslots;      /* a power of two                                    */
} tlf_strmap;

#define TLF_STRMAP_INIT {NULL, 0, 0, NULL, 0}

/* The index of key, or (size_t)-1 when it is not in the map. */
size_t tlf_strmap_get(const tlf_strmap *m, const char *key);
/* The same for the len bytes at key (need not be NUL-terminated). */
size_t tlf_strmap_getn(const tlf_strmap *m, const char *key, size_t len);
/* The index of key, adding it (copied) with the next index when absent. */
size_t tlf_strmap_add(tlf_strmap *m, const char *key);
void tlf_strmap_free(tlf_strmap *m);   /* accepts NULL; leaves an empty map */

#endif
