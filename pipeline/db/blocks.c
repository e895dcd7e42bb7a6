/*
 * blocks.c - where each subject's rows lie in a table (db_blocks), and
 * the blocks the checks found, handed to the derivation (db_layout).
 *
 * Stage: db. A table delivered subject by subject (every SDTM export we
 * know) has each subject's rows in one rowid range; the derivation then
 * reads a subject's rows by that range instead of sorting the table
 * (derive/bds.h). The blocks are found by one pass in rowid order, the
 * derivation's own or the checks' value scan (issue 16: LB is 8 million
 * rows in the 30k study, and its extra pass was a second of CPU).
 */
#include "db/db.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

void db_blocks_free(db_blocks *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->b[i].usubjid);
    free(k->b);
    k->b = NULL;
    k->n = k->cap = 0;
    k->usable = 0;
}

void db_blocks_add(db_blocks *k, sqlite3_int64 rowid, sqlite3_value *usubjid,
                   sqlite3_value *testcd)
{
    if (k->broken)
        return;
    int tt = testcd ? sqlite3_value_type(testcd) : SQLITE_NULL;
    if (sqlite3_value_type(usubjid) != SQLITE_TEXT || (tt != SQLITE_TEXT && tt != SQLITE_NULL)) {
        k->broken = 1;
        return;
    }
    const char *u = (const char *)sqlite3_value_text(usubjid);
    db_subject_block *last = k->n ? &k->b[k->n - 1] : NULL;
    if (last && strcmp(last->usubjid, u) == 0) {
        last->hi = rowid;
        return;
    }
    XGROW(k->b, k->cap, k->n + 1);
    k->b[k->n++] = (db_subject_block){xstrdup(u), rowid, rowid};
}

void db_blocks_join(db_blocks *k, db_blocks *more)
{
    k->broken |= more->broken;
    size_t from = 0;
    if (k->broken) {
        db_blocks_free(k);   /* unusable: nothing of either is kept */
        from = more->n;
        for (size_t i = 0; i < more->n; i++)
            free(more->b[i].usubjid);
    } else if (k->n && more->n && strcmp(k->b[k->n - 1].usubjid, more->b[0].usubjid) == 0) {
        k->b[k->n - 1].hi = more->b[0].hi;   /* the subject at the seam */
        free(more->b[0].usubjid);
        from = 1;
    }
    for (size_t i = from; i < more->n; i++) {
        XGROW(k->b, k->cap, k->n + 1);
        k->b[k->n++] = more->b[i];
    }
    free(more->b);
    more->b = NULL;
    more->n = more->cap = 0;
    more->broken = 0;
}

static int block_cmp(const void *a, const void *b)
{
    return strcmp(((const db_subject_block *)a)->usubjid,
                  ((const db_subject_block *)b)->usubjid);
}

int db_blocks_finish(db_blocks *k)
{
    int ok = !k->broken;
    if (ok && k->n > 1)
        qsort(k->b, k->n, sizeof *k->b, block_cmp);
    for (size_t i = 1; ok && i < k->n; i++)
        ok = strcmp(k->b[i - 1].usubjid, k->b[i].usubjid) != 0;
    if (!ok)
        db_blocks_free(k);
    k->usable = ok;
    return ok;
}

const db_blocks *db_layout_find(const db_layout *l, const char *table)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (strcmp(l->t[i].table, table) == 0)
            return &l->t[i].blocks;
    return NULL;
}

void db_layout_free(db_layout *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->t[i].table);
        db_blocks_free(&l->t[i].blocks);
    }
    free(l->t);
    l->t = NULL;
    l->n = 0;
}
