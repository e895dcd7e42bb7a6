/*
 * adbds.c - the BDS-style analysis datasets ADLB, ADRE, ADFT, ADVS, ADPC:
 * one row per source record with PARAMCD, ADT/ADY, AVAL, the analysis
 * visit (AVISIT/AVISITN), baseline (ABLFL, BASE, CHG) and reference-range
 * indicators (ANRIND/BNRIND where ranges exist). The baselines ADSL
 * carries (the configured parameters with a `baseline` variable) are
 * kept on the subject here, before dx_adsl writes ADSL.
 *
 * Stage: derive. sap.md section 1 (baseline; analysis windows of the
 * study configuration's visit schedule, in the demo the midpoints between
 * target days 7 x week + 1; the record closest to the target counts,
 * later on ties, unscheduled records included). Each domain is
 * read by USUBJID, TESTCD (bds_open): memory holds one subject's records
 * at a time.
 */
#include "derive/bds.h"
#include "core/buf.h"
#include "core/mem.h"
#include "db/db.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dx_avisit_name(const derive_ctx *c, int avisitn)
{
    if (avisitn == 0)
        return c->study->baseline_visit;
    const tlf_study_visit *v = tlf_study_visit_by_number(c->study, avisitn);
    return v ? v->name : NULL;
}

struct bds_strings {
    struct bds_strings *next;
    size_t used, cap;
    char data[];
};

#define STRINGS_BYTES ((size_t)64 * 1024)

/* A copy of s (NULL for NULL) that lives until the group is cleared. */
static char *group_strdup(bds_group *g, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    struct bds_strings *k = g->strs_cur;
    while (k && k->used + n > k->cap) {
        if (!k->next) {
            k = NULL;
            break;
        }
        k = k->next;
        k->used = 0;   /* a block of an earlier group, reused */
    }
    if (!k) {
        size_t cap = n > STRINGS_BYTES ? n : STRINGS_BYTES;
        k = xmalloc(sizeof *k + cap);
        k->next = NULL;
        k->used = 0;
        k->cap = cap;
        if (g->strs_cur)
            g->strs_cur->next = k;
        else
            g->strs = k;
    }
    g->strs_cur = k;
    char *d = k->data + k->used;
    memcpy(d, s, n);
    k->used += n;
    return d;
}

void bds_group_clear(bds_group *g)
{
    g->strs_cur = g->strs;
    if (g->strs)
        g->strs->used = 0;
    g->n = 0;
    g->s = NULL;
}

static void free_blocks(bds_group *g);

void bds_group_free(bds_group *g)
{
    if (!g)
        return;
    bds_group_clear(g);
    free(g->r);
    g->r = NULL;
    g->cap = 0;
    free(g->raw);
    free(g->txt);
    g->raw = NULL;
    g->txt = NULL;
    free_blocks(g);
    while (g->strs) {
        struct bds_strings *n = g->strs->next;
        free(g->strs);
        g->strs = n;
    }
    g->strs_cur = NULL;
}

static void free_blocks(bds_group *g)
{
    if (!g->shared_blocks) {
        db_blocks k = {g->blocks, g->nblocks, g->nblocks, 0, 0};
        db_blocks_free(&k);
    }
    g->blocks = NULL;
    g->nblocks = 0;
    g->shared_blocks = 0;
}

/* The subjects' blocks from check (rowid, USUBJID, TESTCD in rowid
 * order) into g: 1 when usable (db_blocks), 0 when not (g gets no
 * blocks), a negative code on error. */
static int subject_blocks(derive_ctx *c, bds_group *g, sqlite3_stmt *check, const char *what)
{
    db_blocks k = {NULL, 0, 0, 0, 0};
    int rc;
    while (!k.broken && (rc = sqlite3_step(check)) == SQLITE_ROW)
        db_blocks_add(&k, sqlite3_column_int64(check, 0), sqlite3_column_value(check, 1),
                      sqlite3_column_value(check, 2));
    if (!k.broken && rc != SQLITE_DONE) {
        db_blocks_free(&k);
        return dx_sqlfail(c, c->sdtm, what);
    }
    int ok = db_blocks_finish(&k);
    g->blocks = k.b;
    g->nblocks = k.n;
    return ok;
}

/* The query bds_open's rows come from when they are not read by subject
 * (ORDER BY USUBJID, TESTCD); prepared first in any case: its errors
 * name what is missing. */
static int prepare_sorted(derive_ctx *c, const char *cols, const char *table,
                          const char *testcd, const char *where, const char *what,
                          sqlite3_stmt **st)
{
    char *w = where ? sqlite3_mprintf(" WHERE %s", where) : sqlite3_mprintf("");
    char *sorted = sqlite3_mprintf("SELECT %s FROM %s%s ORDER BY USUBJID, %s", cols, table, w,
                                   testcd);
    int rc = dx_prepare(c, c->sdtm, sorted, st, what);
    sqlite3_free(sorted);
    sqlite3_free(w);
    return rc;
}

/* mask[k] = 1 for each of the BQ_* columns cols gives as the literal NULL
 * (a domain without the variable, or a text a nightly run does not read:
 * read_only_columns). */
static void literal_nulls(const char *cols, unsigned char *mask)
{
    const char *p = cols;
    for (int k = 0; k < BQ_NCOLS; k++) {
        p += strspn(p, " ");
        size_t len = strcspn(p, ",");
        size_t t = len;
        while (t > 0 && p[t - 1] == ' ')
            t--;
        mask[k] = t == 4 && strncmp(p, "NULL", 4) == 0;
        p += len + (p[len] == ',');
    }
}

/* *st replaced by the query of one subject's rowid range (?1, ?2). */
static int prepare_ranges(derive_ctx *c, bds_group *g, const char *cols, const char *table,
                          const char *where, const char *what, sqlite3_stmt **st)
{
    literal_nulls(cols, g->literal_null);
    sqlite3_finalize(*st);
    *st = NULL;
    char *q = sqlite3_mprintf("SELECT %s FROM %s WHERE rowid BETWEEN ?1 AND ?2%s%s%s", cols,
                              table, where ? " AND (" : "", where ? where : "", where ? ")" : "");
    int rc = dx_prepare(c, c->sdtm, q, st, what);
    sqlite3_free(q);
    return rc;
}

/* The subjects' blocks of table into g (g->buffered when its rows can be
 * read by subject); no rowid (a view, WITHOUT ROWID): none. */
static int find_blocks(derive_ctx *c, bds_group *g, const char *table, const char *testcd,
                       const char *where, const char *what)
{
    /* the data checks' when they read the whole table (a where may keep
     * rows whose blocks are another's) */
    const db_blocks *found = where || !c->opts ? NULL : db_layout_find(c->opts->layout, table);
    if (found) {
        g->blocks = found->b;
        g->nblocks = found->n;
        g->shared_blocks = 1;
        g->buffered = found->usable;
        g->next_block = 0;
        g->end_block = g->nblocks;
        return 0;
    }
    char *w = where ? sqlite3_mprintf(" WHERE %s", where) : sqlite3_mprintf("");
    char *q = sqlite3_mprintf("SELECT rowid, USUBJID, %s FROM %s%s", testcd, table, w);
    sqlite3_stmt *check = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(c->sdtm, q, -1, &check, NULL) == SQLITE_OK) {
        rc = subject_blocks(c, g, check, what);
        g->buffered = rc == 1;
        rc = rc < 0 ? rc : 0;
    }
    sqlite3_finalize(check);
    sqlite3_free(q);
    sqlite3_free(w);
    g->next_block = 0;
    g->end_block = g->nblocks;
    return rc;
}

int bds_open(derive_ctx *c, bds_group *g, const char *cols, const char *table,
             const char *testcd, const char *where, const char *what, sqlite3_stmt **st)
{
    int rc = prepare_sorted(c, cols, table, testcd, where, what, st);
    if (!rc)
        rc = find_blocks(c, g, table, testcd, where, what);
    if (!rc && g->buffered)
        rc = prepare_ranges(c, g, cols, table, where, what, st);
    return rc;
}

int bds_open_part(derive_ctx *c, bds_group *g, const char *cols, const char *table,
                  const char *testcd, const char *what, const bds_group *whole, size_t from,
                  size_t to, sqlite3_stmt **st)
{
    g->buffered = 1;
    g->shared_blocks = 1;
    g->blocks = whole->blocks;
    g->nblocks = whole->nblocks;
    g->next_block = from;
    g->end_block = to;
    int rc = prepare_sorted(c, cols, table, testcd, NULL, what, st);
    return rc ? rc : prepare_ranges(c, g, cols, table, NULL, what, st);
}

/* --- the current row: of the statement, or of the buffer --- */
static const char *row_text(const bds_group *g, sqlite3_stmt *st, int col)
{
    if (!g->buffered)
        return dx_text(st, col);
    size_t off = g->raw[g->pos].text[col];
    return off && g->txt[off - 1] ? g->txt + off - 1 : NULL;
}

static long row_seq(const bds_group *g, sqlite3_stmt *st)
{
    return g->buffered ? (long)g->raw[g->pos].seq : (long)sqlite3_column_int64(st, BQ_SEQ);
}

static int row_num(derive_ctx *c, const bds_group *g, sqlite3_stmt *st, int col, double *v,
                   const char *dom, const char *u, long seq, const char *var)
{
    if (!g->buffered)
        return dx_num(c, st, col, v, dom, u, seq, var);
    const bds_raw *r = &g->raw[g->pos];
    return dx_num_value(c, r->type[col], r->num[col], row_text(g, st, col), v, dom, u, seq, var);
}

/* Copy the statement's row to the buffer: the columns read as text, as
 * numbers (with their text only when stored as text) and --SEQ. Each cell
 * is read through one sqlite3_column_value and the literal NULLs not at
 * all: a sqlite3_column_* call checks the statement and its column and
 * takes the connection's mutex, and two of them per cell (type, then
 * value) were a third of the time reading LB took (issue 16: 8 million
 * rows x 14 columns in the 30k study). The value is used at once, on the
 * thread that owns the connection, as SQLite allows. */
static void buffer_row(bds_group *g, sqlite3_stmt *st)
{
    static const char is_num[BQ_NCOLS] = {[BQ_STRESN] = 1, [BQ_NRLO] = 1, [BQ_NRHI] = 1,
                                          [BQ_VISITNUM] = 1, [BQ_SEQ] = 1};
    XGROW(g->raw, g->capraw, g->nraw + 1);
    bds_raw *r = &g->raw[g->nraw];
    r->ord = g->nraw++;
    r->seq = 0;
    for (int k = 0; k < BQ_NCOLS; k++) {
        r->text[k] = 0;
        if (g->literal_null[k]) {
            r->type[k] = SQLITE_NULL;
            continue;
        }
        sqlite3_value *v = sqlite3_column_value(st, k);
        int t = r->type[k] = sqlite3_value_type(v);
        if (k == BQ_SEQ) {
            r->seq = sqlite3_value_int64(v);
            continue;
        }
        if (is_num[k] && (t == SQLITE_INTEGER || t == SQLITE_FLOAT)) {
            r->num[k] = sqlite3_value_double(v);
            continue;
        }
        const char *s = t == SQLITE_NULL ? NULL : (const char *)sqlite3_value_text(v);
        if (!s)
            continue;
        size_t n = strlen(s) + 1;
        XGROW(g->txt, g->captxt, g->ntxt + n);
        memcpy(g->txt + g->ntxt, s, n);
        r->text[k] = g->ntxt + 1;
        g->ntxt += n;
    }
}

static int raw_cmp(const void *a, const void *b)
{
    const bds_raw *x = a, *y = b;
    /* SQLite's order: NULL first, then text by bytes */
    int d = x->key && y->key ? strcmp(x->key, y->key) : (x->key != NULL) - (y->key != NULL);
    if (d)
        return d;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

/* Step to the next row: SQLITE_ROW, SQLITE_DONE or SQLite's error. */
static int row_step(bds_group *g, sqlite3_stmt *st)
{
    if (!g->buffered)
        return sqlite3_step(st);
    if (g->pos + 1 < g->nraw) {
        g->pos++;
        return SQLITE_ROW;
    }
    /* the next subject's rows */
    g->nraw = g->ntxt = g->pos = 0;
    int rc = SQLITE_DONE;
    while (g->nraw == 0 && g->next_block < g->end_block) {
        const db_subject_block *b = &g->blocks[g->next_block++];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, b->lo);
        sqlite3_bind_int64(st, 2, b->hi);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            buffer_row(g, st);
        if (rc != SQLITE_DONE)
            return rc;
    }
    if (g->nraw == 0)
        return SQLITE_DONE;
    for (size_t i = 0; i < g->nraw; i++) {   /* the text no longer moves */
        size_t off = g->raw[i].text[BQ_TESTCD];
        g->raw[i].key = off ? g->txt + off - 1 : NULL;
    }
    qsort(g->raw, g->nraw, sizeof *g->raw, raw_cmp);
    return SQLITE_ROW;
}

static int same_key(const bds_group *g, sqlite3_stmt *st, const char *u, const char *t)
{
    const char *u2 = row_text(g, st, BQ_USUBJID), *t2 = row_text(g, st, BQ_TESTCD);
    return (u2 ? strcmp(u2, u ? u : "") == 0 : !u) && (t2 ? strcmp(t2, t ? t : "") == 0 : !t);
}

int bds_next_group(derive_ctx *c, sqlite3_stmt *st, const char *dom, int value_is_text,
                   bds_group *g)
{
    bds_group_clear(g);
    int rc;
    if (g->eof)
        return 0;
    if (!g->pending) {
        rc = row_step(g, st);
        if (rc == SQLITE_DONE) {
            g->eof = 1;
            return 0;
        }
        if (rc != SQLITE_ROW)
            return dx_sqlfail(c, c->sdtm, dom);
    }
    g->pending = 0;
    char *u = xstrdup(row_text(g, st, BQ_USUBJID)), *t = xstrdup(row_text(g, st, BQ_TESTCD));
    int excluded = dx_excluded(c, u, dom);
    g->s = excluded ? NULL : dx_find(c, u);
    int ret = 1;
    for (;;) {
        long seq = row_seq(g, st);
        if (excluded) {
            /* left out before derivation: not read at all */
        } else if (!g->s) {
            dx_issue(c, "ERROR", dom, u, seq, "USUBJID", u, "subject not in DM; row left out");
        } else {
            tlf_pdate p;
            const char *dtc = row_text(g, st, BQ_DTC);
            dx_date(c, dtc, &p, dom, u, seq, "--DTC");
            if (!dx_after_cutoff(c, &p, dom)) {
                XGROW(g->r, g->cap, g->n + 1);
                bds_rec *r = &g->r[g->n++];
                memset(r, 0, sizeof *r);
                r->seq = seq;
                r->day = tlf_pdate_complete(&p);
                r->minute = p.minute;
                r->ady = tlf_study_day(r->day, g->s->day1);
                r->testcd = group_strdup(g, t);
                r->test = group_strdup(g, row_text(g, st, BQ_TEST));
                r->unit = group_strdup(g, row_text(g, st, BQ_STRESU));
                r->orres = group_strdup(g, row_text(g, st, BQ_ORRES));
                r->nrind = group_strdup(g, row_text(g, st, BQ_NRIND));
                r->blfl = group_strdup(g, row_text(g, st, BQ_BLFL));
                r->visit = group_strdup(g, row_text(g, st, BQ_VISIT));
                r->dtc = group_strdup(g, dtc);
                if (value_is_text)
                    r->has_aval = r->orres != NULL;
                else
                    r->has_aval = row_num(c, g, st, BQ_STRESN, &r->aval, dom, u, seq, "--STRESN");
                r->has_lo = row_num(c, g, st, BQ_NRLO, &r->lo, dom, u, seq, "--STNRLO");
                r->has_hi = row_num(c, g, st, BQ_NRHI, &r->hi, dom, u, seq, "--STNRHI");
                r->has_visitnum = row_num(c, g, st, BQ_VISITNUM, &r->visitnum, dom, u, seq, "VISITNUM");
                r->avisitn = -1;
                dx_contact(c, g->s, r->day, dom, seq);
            }
        }
        rc = row_step(g, st);
        if (rc == SQLITE_DONE) {
            g->eof = 1;
            break;
        }
        if (rc != SQLITE_ROW) {
            ret = dx_sqlfail(c, c->sdtm, dom);
            break;
        }
        if (!same_key(g, st, u, t)) {
            g->pending = 1;
            break;
        }
    }
    free(u);
    free(t);
    return ret;
}

static int rec_cmp(const void *a, const void *b)
{
    const bds_rec *x = a, *y = b;
    /* records without a date sort last */
    if (x->day != y->day) {
        if (x->day == TLF_NODAY)
            return 1;
        if (y->day == TLF_NODAY)
            return -1;
        return x->day < y->day ? -1 : 1;
    }
    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

long bds_select(derive_ctx *c, bds_group *g, const char *dom, int value_is_text)
{
    (void)value_is_text;
    if (g->n > 1)   /* an empty group has no array (qsort(NULL, 0) is undefined) */
        qsort(g->r, g->n, sizeof *g->r, rec_cmp);
    long base = -1;
    for (size_t i = 0; i < g->n; i++) {
        bds_rec *r = &g->r[i];
        if (r->has_aval && r->ady != TLF_NODAY && r->ady <= 1)
            base = (long)i;        /* sorted: the last one wins (later time, higher SEQ) */
    }
    if (base >= 0) {
        g->r[base].abl = 1;
        g->r[base].avisitn = 0;
    }
    for (size_t i = 0; i < g->n; i++) {
        bds_rec *r = &g->r[i];
        /* without a day 1 (never dosed) there is no baseline to disagree with */
        if (g->s->day1 != TLF_NODAY && r->blfl && strcmp(r->blfl, "Y") == 0 && (long)i != base)
            dx_issue(c, "WARNING", dom, g->s->usubjid, r->seq, "--BLFL", "Y",
                     "baseline flag disagrees with the derived baseline (last non-missing on or before day 1); not used");
    }
    /* the record chosen per visit window: index of the visit in the schedule */
    size_t nv = c->study->n_visits;
    long *best = xcalloc(nv, sizeof *best);
    int *bestd = xcalloc(nv, sizeof *bestd);
    for (size_t w = 0; w < nv; w++)
        best[w] = -1;
    for (size_t i = 0; i < g->n; i++) {
        bds_rec *r = &g->r[i];
        const tlf_study_visit *v = r->ady == TLF_NODAY ? NULL
                                   : tlf_study_visit_for_day(c->study, r->ady);
        if (!v)
            continue;
        r->avisitn = v->number;
        if (!r->has_aval)
            continue;
        size_t w = (size_t)(v - c->study->visits);
        int d = abs(r->ady - v->target_day);
        if (best[w] < 0 || d <= bestd[w]) {   /* <=: sorted ascending, the later wins ties */
            best[w] = (long)i;
            bestd[w] = d;
        }
    }
    for (size_t w = 0; w < nv; w++)
        if (best[w] >= 0)
            g->r[best[w]].anl = 1;
    free(best);
    free(bestd);
    return base;
}

char *bds_columns(const char *extra)
{
    return xasprintf("STUDYID TEXT, USUBJID TEXT, ARMCD TEXT, FASFL TEXT, PPSFL TEXT, SAFFL TEXT,"
                     " HCFL TEXT, PARAMCD TEXT, PARAM TEXT, AVAL REAL, AVALC TEXT, AVALU TEXT,"
                     " ADT TEXT, ADY INTEGER, VISITNUM REAL, VISIT TEXT, AVISIT TEXT,"
                     " AVISITN INTEGER, ABLFL TEXT, ANL01FL TEXT, BASE REAL, BASEC TEXT, CHG REAL,"
                     " ANRLO REAL, ANRHI REAL, ANRIND TEXT, BNRIND TEXT, SRCDOM TEXT,"
                     " SRCSEQ INTEGER%s",
                     extra);
}

/* Reference-range indicator: from the value and the range when both are
 * there, else as recorded (--NRIND). */
static const char *range_ind(const bds_rec *r)
{
    if (r->has_aval && (r->has_lo || r->has_hi)) {
        if (r->has_lo && r->aval < r->lo)
            return "LOW";
        if (r->has_hi && r->aval > r->hi)
            return "HIGH";
        return "NORMAL";
    }
    return r->nrind;
}

int bds_bind(const derive_ctx *c, dx_ins *ins, const subject *s, const char *dom, const bds_rec *r,
             const bds_rec *b, int value_is_text)
{
    const char *yn[2] = {"N", "Y"};
    int k = 1;
    dx_bind_text_kept(ins, k++, s->studyid);
    dx_bind_text_kept(ins, k++, s->usubjid);
    dx_bind_text_kept(ins, k++, s->armcd);
    dx_bind_text_kept(ins, k++, yn[s->fas]);
    dx_bind_text_kept(ins, k++, yn[s->pps]);
    dx_bind_text_kept(ins, k++, yn[s->fas]);
    dx_bind_text_kept(ins, k++, yn[s->hc]);
    dx_bind_text_kept(ins, k++, r->testcd);
    dx_bind_text_kept(ins, k++, r->test ? r->test : r->testcd);
    dx_bind_real(ins, k++, r->aval, !value_is_text && r->has_aval);
    dx_bind_text_kept(ins, k++, r->orres);
    dx_bind_text_kept(ins, k++, r->unit);
    dx_bind_day(ins, k++, r->day);
    dx_bind_int(ins, k++, r->ady, 1);
    dx_bind_real(ins, k++, r->visitnum, r->has_visitnum);
    dx_bind_text_kept(ins, k++, r->visit);
    dx_bind_text_kept(ins, k++, r->avisitn >= 0 ? dx_avisit_name(c, r->avisitn) : NULL);
    dx_bind_int(ins, k++, r->avisitn, r->avisitn >= 0);
    dx_bind_flag(ins, k++, r->abl ? 'Y' : 0);
    dx_bind_flag(ins, k++, r->anl ? 'Y' : 0);
    int num = !value_is_text;
    dx_bind_real(ins, k++, b ? b->aval : 0, num && b != NULL);
    dx_bind_text_kept(ins, k++, b && value_is_text ? b->orres : NULL);
    /* change from baseline for post-baseline records only */
    dx_bind_real(ins, k++, r->has_aval && b ? r->aval - b->aval : 0,
                 num && b && r->has_aval && r->ady != TLF_NODAY && r->ady > 1);
    dx_bind_real(ins, k++, r->lo, r->has_lo);
    dx_bind_real(ins, k++, r->hi, r->has_hi);
    dx_bind_text_kept(ins, k++, range_ind(r));
    dx_bind_text_kept(ins, k++, b ? range_ind(b) : NULL);
    dx_bind_text_kept(ins, k++, dom);
    dx_bind_int64(ins, k++, r->seq);
    return k;
}


/* One job of dx_bds_all: BDS domain `dom`, whole (`whole` NULL) or its
 * subjects' blocks [from, to) of `whole`'s, part `part` of the domain. */
struct bds_part {
    size_t dom;
    int part;
    const bds_group *whole;
    size_t from, to;
};

/* src (the BQ_* columns, comma-separated names) for a domain whose
 * dataset is not written (a nightly run's LB): the texts only its rows
 * would show are not read (NULL in their place), only what the baselines,
 * the last contact dates, the visit windows and the data issues need.
 * LB at 13 tests every visit is 3.4 million rows of which these five
 * texts are most of the bytes copied (issue 16). */
static char *read_only_columns(const char *src)
{
    static const unsigned char written_only[BQ_NCOLS] = {
        [BQ_TEST] = 1, [BQ_STRESU] = 1, [BQ_ORRES] = 1, [BQ_NRIND] = 1, [BQ_VISIT] = 1};
    tlf_buf b = TLF_BUF_INIT;
    const char *p = src;
    for (int k = 0; *p; k++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (k)
            tlf_buf_puts(&b, ",");
        if (k < BQ_NCOLS && written_only[k])
            tlf_buf_puts(&b, " NULL");
        else
            tlf_buf_append(&b, p, len);
        p = e ? e + 1 : p + len;
    }
    return tlf_buf_detach(&b);
}

/* Domain dom's rows (the BQ_* columns src of table dom), or the part p of
 * them, into table: part 0 makes the table, and the parts one after the
 * other write what one pass writes. */
static int run_domain(derive_ctx *c, const char *dom, const char *table, const char *src,
                      const struct bds_part *p, long *count)
{
    sqlite3_stmt *st = NULL;
    dx_ins *ins = NULL;
    bds_group g = {.r = NULL};
    char *cols = bds_columns("");
    char *what = xasprintf("table %s", dom);
    int rc = p->part == 0 ? dx_create(c, table, cols, &ins) : dx_insert_into(c, table, cols, &ins);
    char *ro = ins ? NULL : read_only_columns(src);
    if (ro)
        src = ro;
    char testcd[16];
    snprintf(testcd, sizeof testcd, "%sTESTCD", dom);
    if (!rc)
        rc = p->whole ? bds_open_part(c, &g, src, dom, testcd, what, p->whole, p->from, p->to, &st)
                      : bds_open(c, &g, src, dom, testcd, NULL, what, &st);
    while (!rc && (rc = bds_next_group(c, st, dom, 0, &g)) == 1) {
        rc = 0;
        if (!g.s)
            continue;
        long b = bds_select(c, &g, dom, 0);
        const bds_rec *base = b >= 0 ? &g.r[b] : NULL;
        for (int k = 0; base && base->testcd && k < c->nbl; k++)
            if (strcmp(c->blp[k]->domain, dom) == 0 && strcmp(c->blp[k]->code, base->testcd) == 0) {
                /* a domain job writes its own parameters' baselines only */
                g.s->bl[k] = base->aval;
                g.s->has_bl[k] = 1;
            }
        for (size_t i = 0; ins && i < g.n && !rc; i++) {
            bds_bind(c, ins, g.s, dom, &g.r[i], base, 0);
            rc = dx_step_insert(c, ins, table);
            (*count)++;
        }
    }
    bds_group_free(&g);
    sqlite3_finalize(st);
    dx_ins_free(ins);
    free(cols);
    free(ro);
    free(what);
    return rc;
}

/* The BDS domains in the order their datasets are written. */
static const struct {
    const char *dom, *table, *src;
    size_t count;   /* offset of the row count in derive_stats */
} BDS[] = {
    {"VS", "ADVS",
     "USUBJID, VSSEQ, VSTESTCD, NULL, VSSTRESN, VSSTRESU, NULL, NULL, NULL,"
     " NULL, VSBLFL, VISITNUM, VISIT, VSDTC",
     offsetof(derive_stats, n_advs)},
    {"LB", "ADLB",
     "USUBJID, LBSEQ, LBTESTCD, LBTEST, LBSTRESN, LBSTRESU, LBORRES,"
     " LBSTNRLO, LBSTNRHI, LBNRIND, LBBLFL, VISITNUM, VISIT, LBDTC",
     offsetof(derive_stats, n_adlb)},
    {"RE", "ADRE",
     "USUBJID, RESEQ, RETESTCD, RETEST, RESTRESN, RESTRESU, NULL, NULL,"
     " NULL, NULL, REBLFL, VISITNUM, VISIT, REDTC",
     offsetof(derive_stats, n_adre)},
    {"FT", "ADFT",
     "USUBJID, FTSEQ, FTTESTCD, NULL, FTSTRESN, NULL, NULL, NULL, NULL,"
     " NULL, FTBLFL, VISITNUM, VISIT, FTDTC",
     offsetof(derive_stats, n_adft)},
    {"PC", "ADPC",
     "USUBJID, PCSEQ, PCTESTCD, NULL, PCSTRESN, PCSTRESU, NULL, NULL, NULL,"
     " NULL, NULL, VISITNUM, VISIT, PCDTC",
     offsetof(derive_stats, n_adpc)},
};

#define NBDS (sizeof BDS / sizeof BDS[0])
#define MAX_PARTS 8

static int bds_job(derive_ctx *c, size_t i)
{
    const struct bds_part *p = &c->bds_plan[i];
    long *count = (long *)(void *)((char *)c->st + BDS[p->dom].count);
    return run_domain(c, BDS[p->dom].dom, BDS[p->dom].table, BDS[p->dom].src, p, count);
}

/* Split whole's blocks into np parts of about as many rows each. */
static size_t split_blocks(const bds_group *whole, int np, size_t d, struct bds_part *plan)
{
    double total = 0, at = 0;
    for (size_t i = 0; i < whole->nblocks; i++)
        total += (double)(whole->blocks[i].hi - whole->blocks[i].lo + 1);
    size_t from = 0, n = 0;
    for (int k = 0; k < np; k++) {
        size_t to = from;
        while (to < whole->nblocks && (k == np - 1 || at < total * (k + 1) / np)) {
            at += (double)(whole->blocks[to].hi - whole->blocks[to].lo + 1);
            to++;
        }
        plan[n++] = (struct bds_part){d, k, whole, from, to};
        from = to;
    }
    return n;
}

/* Each domain a job (writer.c): on two threads at 30,000 subjects the
 * reading and the writing of the rows overlap. A domain that is only read
 * (for ADSL's baselines, the last contact dates and the data issues) and
 * has more than its share of the rows (1/jobs of all) is read in as many
 * parts, each a share of its subjects found by one scan here: a nightly
 * run's LB at 13 tests every visit (3.4 million rows, 70% of the BDS
 * rows) took 3.3 s on one reader while the other read the four other
 * domains in 1.6 s (issue 16). The parts are replayed in order, as one
 * pass over the domain writes. */
int dx_bds_all(derive_ctx *c)
{
    int threads = c->opts && c->opts->jobs > 1 ? c->opts->jobs : 1;
    double rows[NBDS], total = 0;
    for (size_t d = 0; d < NBDS; d++)
        total += rows[d] = threads > 1 ? db_table_rows(c->sdtm, BDS[d].dom) : 0;
    struct bds_part plan[NBDS * MAX_PARTS];
    bds_group whole[NBDS];
    memset(whole, 0, sizeof whole);
    size_t n = 0;
    int rc = 0;
    for (size_t d = 0; d < NBDS && !rc; d++) {
        /* only a domain whose dataset is not written (a nightly run's LB):
         * when it is, the one writer is the bottleneck and parts only
         * delay the reading of the domains after them */
        int np = total > 0 && !dx_wanted(c, BDS[d].table) ? (int)ceil(rows[d] * threads / total) : 1;
        np = np < 1 ? 1 : np > threads ? threads : np > MAX_PARTS ? MAX_PARTS : np;
        char testcd[16], *what = xasprintf("table %s", BDS[d].dom);
        snprintf(testcd, sizeof testcd, "%sTESTCD", BDS[d].dom);
        if (np > 1 && (rc = find_blocks(c, &whole[d], BDS[d].dom, testcd, NULL, what)) == 0 &&
            whole[d].buffered)
            n += split_blocks(&whole[d], np, d, plan + n);
        else if (!rc)
            plan[n++] = (struct bds_part){d, 0, NULL, 0, 0};
        free(what);
    }
    c->bds_plan = plan;
    if (!rc)
        rc = dx_domain_jobs(c, n, bds_job);
    c->bds_plan = NULL;
    for (size_t d = 0; d < NBDS; d++)
        bds_group_free(&whole[d]);
    return rc;
}
