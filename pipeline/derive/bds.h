/*
 * bds.h - the BDS record and the per-parameter selection shared by
 * adbds.c (LB, RE, FT, VS, PC) and adrs.c (RS): baseline (ABLFL) and
 * analysis-visit windows with the record chosen in each (ANL01FL).
 *
 * Stage: derive. sap.md section 1 (baseline, analysis visits).
 */
#ifndef TLFGEN_BDS_H
#define TLFGEN_BDS_H

#include "derive/derive_int.h"

typedef struct bds_rec {
    long seq;
    tlf_day day;           /* ADT (complete dates only)     */
    int minute;            /* time of day, -1 when none     */
    int ady;
    double aval, lo, hi, visitnum;
    int has_aval, has_lo, has_hi, has_visitnum;
    char *testcd, *test, *unit, *orres, *nrind, *blfl, *visit, *dtc; /* owned */
    int avisitn;           /* -1 none, 0 baseline, else week */
    int abl, anl;
} bds_rec;

/* Columns every BDS query returns, in this order. */
enum { BQ_USUBJID, BQ_SEQ, BQ_TESTCD, BQ_TEST, BQ_STRESN, BQ_STRESU, BQ_ORRES, BQ_NRLO, BQ_NRHI,
       BQ_NRIND, BQ_BLFL, BQ_VISITNUM, BQ_VISIT, BQ_DTC };

/* One (subject, parameter) group, read from a statement ordered by
 * USUBJID, TESTCD: what bds_next_group fills. */
typedef struct bds_group {
    bds_rec *r;
    size_t n, cap;
    subject *s;            /* NULL when the subject is not in DM */
    int pending;           /* a row is waiting in the statement  */
    int eof;               /* the statement is exhausted         */
} bds_group;

/*
 * Read the next group (subject and TESTCD) from st into g: rows after the
 * cut-off are left out (counted), contacts offered for LSTALVDT, numbers
 * and dates checked. value_is_text: the value is ORRES (RS) not STRESN.
 * Returns 1 when a group was read, 0 at the end, a negative code on error.
 */
int bds_next_group(derive_ctx *c, sqlite3_stmt *st, const char *dom, int value_is_text,
                   bds_group *g);
void bds_group_clear(bds_group *g);   /* frees the rows' strings, keeps the array */
void bds_group_free(bds_group *g);

/* Sort by date, time, --SEQ; set abl (last non-missing on or before day
 * 1), avisitn and anl (closest to target, later on ties) per window.
 * Reports a --BLFL that disagrees. Returns the baseline index or -1. */
long bds_select(derive_ctx *c, bds_group *g, const char *dom, int value_is_text);

/* The shared BDS column list (extra appended, may be ""). */
char *bds_columns(const char *extra);
/* Bind the shared columns of record r (baseline b may be NULL); returns the
 * next index. The texts are not copied (dx_bind_text_kept): s, r, b and the
 * strings they point to stay unchanged until the insert is stepped. */
int bds_bind(const derive_ctx *c, sqlite3_stmt *ins, const subject *s, const char *dom, const bds_rec *r,
             const bds_rec *b, int value_is_text);

#endif
