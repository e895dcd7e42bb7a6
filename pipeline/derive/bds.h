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
    char *testcd, *test, *unit, *orres, *nrind, *blfl, *visit, *dtc; /* in the group's
                                                                       strings (bds_group) */
    int avisitn;           /* -1 none, 0 baseline, else week */
    int abl, anl;
} bds_rec;

/* Columns every BDS query returns, in this order. */
enum { BQ_USUBJID, BQ_SEQ, BQ_TESTCD, BQ_TEST, BQ_STRESN, BQ_STRESU, BQ_ORRES, BQ_NRLO, BQ_NRHI,
       BQ_NRIND, BQ_BLFL, BQ_VISITNUM, BQ_VISIT, BQ_DTC, BQ_NCOLS };

/* One row of a BDS query as read (bds_group's buffer): per column its
 * SQLite type, number and the offset of its text in the buffer's text. */
typedef struct bds_raw {
    size_t ord;                    /* position in the stored order       */
    const char *key;               /* TESTCD while sorting               */
    int type[BQ_NCOLS];
    double num[BQ_NCOLS];
    long long seq;
    size_t text[BQ_NCOLS];         /* offset + 1 in bds_group.txt; 0 NULL */
} bds_raw;

/* One (subject, parameter) group, read from a statement ordered by
 * USUBJID, TESTCD: what bds_next_group fills. */
typedef struct bds_group {
    bds_rec *r;
    size_t n, cap;
    subject *s;            /* NULL when the subject is not in DM */
    int pending;           /* a row is waiting in the statement  */
    int eof;               /* the statement is exhausted         */
    /* bds_open found each subject's rows stored together: the statement
     * reads one subject's rowid range at a time, in USUBJID order, and
     * its rows are held here and sorted by TESTCD (SQLite's ORDER BY
     * sorted the whole table: a fifth of the derivation's CPU at 30,000
     * subjects) */
    int buffered;
    unsigned char literal_null[BQ_NCOLS];   /* the query's column is NULL itself */
    bds_raw *raw;
    size_t nraw, capraw, pos;
    char *txt;
    size_t ntxt, captxt;
    db_subject_block *blocks;   /* the subjects' rowid ranges, by USUBJID */
    size_t nblocks, next_block, end_block;   /* read: [next_block, end_block) */
    int shared_blocks;          /* blocks belong to another group (bds_open_part)
                                   or to derive_opts.layout */
    /* the records' strings: blocks that never move, reused group after
     * group (eight mallocs and frees per row were a fifth of the time a
     * nightly run spent reading LB) */
    struct bds_strings *strs, *strs_cur;
} bds_group;

/*
 * Prepare *st for bds_next_group over "SELECT cols FROM table [WHERE
 * where]" (cols as BQ_*; testcd the TESTCD column): when every USUBJID is
 * text, every TESTCD text or NULL, and each subject's rows are stored
 * together (one rowid range), the statement reads one subject's range at
 * a time in USUBJID order and g sorts its rows by TESTCD (stable: ties
 * keep the stored order); else it is the query ORDER BY USUBJID, TESTCD.
 * Both give the same groups in the same order. what names the table in
 * messages.
 */
int bds_open(derive_ctx *c, bds_group *g, const char *cols, const char *table,
             const char *testcd, const char *where, const char *what, sqlite3_stmt **st);
/* bds_open for the subjects blocks[from, to) of the blocks another group
 * found (whole->buffered set; whole outlives g): a part of the table. */
int bds_open_part(derive_ctx *c, bds_group *g, const char *cols, const char *table,
                  const char *testcd, const char *what, const bds_group *whole, size_t from,
                  size_t to, sqlite3_stmt **st);

/*
 * Read the next group (subject and TESTCD) from st into g: rows after the
 * cut-off are left out (counted), contacts offered for LSTALVDT, numbers
 * and dates checked. value_is_text: the value is ORRES (RS) not STRESN.
 * Returns 1 when a group was read, 0 at the end, a negative code on error.
 */
int bds_next_group(derive_ctx *c, sqlite3_stmt *st, const char *dom, int value_is_text,
                   bds_group *g);
void bds_group_clear(bds_group *g);   /* empties the group, keeps its memory */
void bds_group_free(bds_group *g);   /* also the buffer */

/* Sort by date, time, --SEQ; set abl (last non-missing on or before day
 * 1), avisitn and anl (closest to target, later on ties) per window.
 * Reports a --BLFL that disagrees. Returns the baseline index or -1. */
long bds_select(derive_ctx *c, bds_group *g, const char *dom, int value_is_text);

/* The shared BDS column list (extra appended, may be ""). */
char *bds_columns(const char *extra);
/* Bind the shared columns of record r (baseline b may be NULL); returns the
 * next index. The texts are not copied (dx_bind_text_kept): s, r, b and the
 * strings they point to stay unchanged until the insert is stepped. */
int bds_bind(const derive_ctx *c, dx_ins *ins, const subject *s, const char *dom, const bds_rec *r,
             const bds_rec *b, int value_is_text);

#endif
