/*
 * catalog.h - the output catalog (templates/catalog.json): every output
 * number the program can make, its template file, in ICH E3 order.
 *
 * Stage: layout. The run decides which outputs a profile selects and in
 * what order (run/pipeline.c); the catalog only says what exists.
 */
#ifndef TLFGEN_LAYOUT_CATALOG_H
#define TLFGEN_LAYOUT_CATALOG_H

#include <stddef.h>

#include "core/err.h"

typedef struct tlf_catalog_item {
    char *number;          /* "14.2.1.1", "F14.2.1.1", "DI", "CHG"           */
    char *template_path;   /* <templates dir>/<template>                     */
    int explicit_only;     /* selected only where a profile names it, not by
                              "all"                                          */
} tlf_catalog_item;

typedef struct tlf_catalog {
    tlf_catalog_item *items;
    size_t n;
} tlf_catalog;

/* Load <dir>/catalog.json into *c (zeroed first). Every entry must be
 * {"number": string, "template": string[, "explicit": boolean]};
 * TLF_EUSAGE naming the file and entry otherwise. */
int tlf_catalog_load(tlf_catalog *c, const char *dir, tlf_err *err);
void tlf_catalog_free(tlf_catalog *c);   /* leaves *c empty; accepts an empty one */
/* The entry with that number, or NULL. */
const tlf_catalog_item *tlf_catalog_find(const tlf_catalog *c, const char *number);

#endif
