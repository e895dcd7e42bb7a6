/*
 * ae.c - treatment-emergent adverse event tables (sap.md section 4,
 * ard.md's AE rows), outputs 14.3.1.1-14.3.2.3.
 *
 * Stage: ARD. Reads ADSL (SAFFL) and ADAE (TRTEMFL, AERELFL, AESERFL,
 * AEWDFL, AEFATFL, AETOXGR, AEBODSYS, AEDECOD, AESICAT).
 *
 * Incidence = subjects with at least one event / SAF N, as a percentage; a
 * subject counts once per SOC and once per PT; events are counted too
 * (n_event). SOCs, and PTs within their SOC, are sorted by descending
 * subject count, then alphabetically; the ARD keeps that order, which is
 * the display order. In the grade table a subject counts once per term at
 * its worst grade; "Missing" holds subjects none of whose events of that
 * term has a grade (a known grade outranks a missing one); n_event of a
 * grade row counts the events recorded with that grade.
 *
 * The treatment-emergent events of the Safety Analysis Set are read once,
 * with every table's and overview row's condition evaluated by SQLite as a
 * flag, and counted in memory: one SQL count per term and grade scanned
 * all events each time, 3.6 s CPU of a 30,000-subject run (issue 16).
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One hierarchical AE table. */
typedef struct ae_table {
    const char *analysis_id;
    const char *output_id;
    const char *where;        /* SQL condition on ADAE (alias a) beyond TRTEMFL */
    const char *upper;        /* column of the outer level: AEBODSYS or AESICAT */
    int by_grade;
} ae_table;

static const ae_table TABLES[] = {
    {"ae_teae", "14.3.1.2", "1", "AEBODSYS", 0},
    {"ae_grade", "14.3.1.3", "1", "AEBODSYS", 1},
    {"ae_rel", "14.3.1.4", "a.AERELFL = 'Y'", "AEBODSYS", 0},
    {"ae_ser", "14.3.2.1", "a.AESERFL = 'Y'", "AEBODSYS", 0},
    {"ae_aesi", "14.3.2.3", "COALESCE(a.AESICAT, '') <> ''", "AESICAT", 0},
};

/* Overview rows of 14.3.1.1: variable names the ADAE flag counted. */
static const struct { const char *variable; const char *where; } OVERVIEW[] = {
    {"TRTEMFL", "1"},
    {"AERELFL", "a.AERELFL = 'Y'"},
    {"AESERFL", "a.AESERFL = 'Y'"},
    {"AEGR3FL", "a.ATOXGRN BETWEEN 3 AND 5"},
    {"AEWDFL", "a.AEWDFL = 'Y'"},
    {"AEFATFL", "a.AEFATFL = 'Y'"},
};

/* Grade columns of 14.3.1.3: the numeric grade, 0 = missing. */
static const struct { int g; const char *label; } GRADES[] = {
    {1, "1"}, {2, "2"}, {3, "3"}, {4, "4"}, {5, "5"}, {0, "Missing"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NGRADES NELEM(GRADES)

/* The outer-level columns a table may name, in the order of ae_event.upper. */
static const char *const UPPERS[] = {"AEBODSYS", "AESICAT"};

static int sql_fail(tlf_err *err, sqlite3 *db, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "AE analysis %s: %s", what, sqlite3_errmsg(db));
}

/* Label of an AE whose SOC or PT is missing (not yet coded): shown as its
 * own level rather than an empty label. */
#define AE_UNCODED "Uncoded"

/* One treatment-emergent event of a SAF subject. */
typedef struct ae_event {
    size_t subj;                   /* dense index of USUBJID              */
    size_t upper[NELEM(UPPERS)];   /* term index of each outer level      */
    size_t lower;                  /* term index of AEDECOD               */
    /* ATOXGRN when 1-5, else 0 (missing): derive validated AETOXGR (a
     * value other than 1-5 is missing there and reported as a data
     * issue). Kept as SQLite gave it, compared as SQLite compares. */
    double grade;
    unsigned tables;               /* bit i: TABLES[i]'s condition holds  */
    unsigned overview;             /* bit i: OVERVIEW[i]'s condition holds */
} ae_event;

/* The events, the strings they index, and per-subject scratch for the
 * distinct and worst-grade counts. */
typedef struct ae_data {
    ae_event *ev;
    size_t n, cap;
    tlf_strmap subjects;
    tlf_strmap terms;          /* SOCs, AESI categories and PTs           */
    size_t *seen;              /* per subject: stamp of the last count    */
    double *worst;             /* per subject: worst grade in that count  */
    size_t *touched;           /* subjects of the current count           */
    size_t stamp;
} ae_data;

static void data_free(ae_data *d)
{
    free(d->ev);
    tlf_strmap_free(&d->subjects);
    tlf_strmap_free(&d->terms);
    free(d->seen);
    free(d->worst);
    free(d->touched);
}

/* Label of an outer level or PT: the trimmed value, or "Uncoded". */
static void label_sql(tlf_buf *b, const char *column)
{
    tlf_buf_printf(b, "COALESCE(NULLIF(TRIM(a.%s), ''), '" AE_UNCODED "'), ", column);
}

/* A flag column: the sum of bit i for each condition i that holds (as a
 * WHERE clause would take it). */
static void flags_sql(tlf_buf *b, const char *const *where, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tlf_buf_printf(b, "%sCASE WHEN (%s) THEN %u ELSE 0 END", i ? " + " : "", where[i],
                       1u << i);
}

static int load(sqlite3 *db, ae_data *d, tlf_err *err)
{
    const char *tw[NELEM(TABLES)], *ow[NELEM(OVERVIEW)];
    for (size_t i = 0; i < NELEM(TABLES); i++)
        tw[i] = TABLES[i].where;
    for (size_t i = 0; i < NELEM(OVERVIEW); i++)
        ow[i] = OVERVIEW[i].where;
    tlf_buf sql = TLF_BUF_INIT;
    tlf_buf_puts(&sql, "SELECT a.USUBJID, ");
    for (size_t i = 0; i < NELEM(UPPERS); i++)
        label_sql(&sql, UPPERS[i]);
    label_sql(&sql, "AEDECOD");
    tlf_buf_puts(&sql, "CASE WHEN a.ATOXGRN BETWEEN 1 AND 5 THEN a.ATOXGRN ELSE 0 END, ");
    flags_sql(&sql, tw, NELEM(tw));
    tlf_buf_puts(&sql, ", ");
    flags_sql(&sql, ow, NELEM(ow));
    tlf_buf_puts(&sql, " FROM ADAE a JOIN ADSL s ON s.USUBJID = a.USUBJID "
                       "WHERE s.SAFFL = 'Y' AND a.TRTEMFL = 'Y'");
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK, step = SQLITE_ERROR;
    if (sqlite3_prepare_v2(db, tlf_buf_cstr(&sql), -1, &st, NULL) == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            XGROW(d->ev, d->cap, d->n + 1);
            ae_event *e = &d->ev[d->n++];
            int c = 0;
            e->subj = tlf_strmap_add(&d->subjects, (const char *)sqlite3_column_text(st, c++));
            for (size_t i = 0; i < NELEM(UPPERS); i++)
                e->upper[i] = tlf_strmap_add(&d->terms, (const char *)sqlite3_column_text(st, c++));
            e->lower = tlf_strmap_add(&d->terms, (const char *)sqlite3_column_text(st, c++));
            e->grade = sqlite3_column_double(st, c++);
            e->tables = (unsigned)sqlite3_column_int(st, c++);
            e->overview = (unsigned)sqlite3_column_int(st, c++);
        }
    }
    if (step != SQLITE_DONE)
        rc = sql_fail(err, db, "events (ADAE, ADSL)");
    sqlite3_finalize(st);
    tlf_buf_free(&sql);
    size_t ns = d->subjects.n ? d->subjects.n : 1;
    d->seen = xcalloc(ns, sizeof *d->seen);
    d->worst = xcalloc(ns, sizeof *d->worst);
    d->touched = xcalloc(ns, sizeof *d->touched);
    return rc;
}

/* Counts of one level: distinct subjects, events, and per grade column the
 * subjects whose worst grade it is and the events with it. */
typedef struct ae_counts {
    long long ns, ne;
    long long worst[NGRADES], gev[NGRADES];
} ae_counts;

/* One event of a table, keyed by its outer level and PT. */
typedef struct ae_item {
    size_t up, low;
    const ae_event *e;
} ae_item;

static int item_cmp(const void *pa, const void *pb)
{
    const ae_item *a = pa, *b = pb;
    if (a->up != b->up)
        return a->up < b->up ? -1 : 1;
    return a->low < b->low ? -1 : a->low > b->low;
}

static void count(ae_data *d, const ae_item *it, size_t n, ae_counts *c)
{
    memset(c, 0, sizeof *c);
    size_t nt = 0, stamp = ++d->stamp;
    for (size_t i = 0; i < n; i++) {
        const ae_event *e = it[i].e;
        c->ne++;
        for (size_t g = 0; g < NGRADES; g++)
            c->gev[g] += e->grade == GRADES[g].g;
        if (d->seen[e->subj] != stamp) {
            d->seen[e->subj] = stamp;
            d->worst[e->subj] = e->grade;
            d->touched[nt++] = e->subj;
        } else if (e->grade > d->worst[e->subj]) {
            d->worst[e->subj] = e->grade;   /* MAX(grade) per subject */
        }
    }
    c->ns = (long long)nt;
    for (size_t k = 0; k < nt; k++)
        for (size_t g = 0; g < NGRADES; g++)
            c->worst[g] += d->worst[d->touched[k]] == GRADES[g].g;
}

static void add_counts(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                       long long n_subj, long long n_event, long long denom)
{
    const char *p = param && *param ? param : NULL;
    tlf_ard_add_int(ard, key, "n_subj", p, n_subj);
    /* no subjects in the set: the percentage is missing (NAN is stored as
     * missing), shown by the templates' "missing" text, never as 0.0 */
    tlf_ard_add_real(ard, key, "pct", p, denom > 0 ? 100.0 * (double)n_subj / (double)denom : NAN);
    tlf_ard_add_int(ard, key, "n_event", p, n_event);
}

/* The rows of one level: all grades, then (grade table) each grade. */
static void level_rows(tlf_ard *ard, const ae_table *t, const tlf_ard_key *key,
                       const char *upper, const char *lower, const ae_counts *c, long long denom)
{
    tlf_buf param = TLF_BUF_INIT;
    if (lower)
        tlf_param_add(&param, t->upper, upper);
    add_counts(ard, key, tlf_buf_cstr(&param), c->ns, c->ne, denom);
    for (size_t g = 0; t->by_grade && g < NGRADES; g++) {
        tlf_buf_reset(&param);
        if (lower)
            tlf_param_add(&param, t->upper, upper);
        tlf_param_add(&param, "AETOXGR", GRADES[g].label);
        add_counts(ard, key, tlf_buf_cstr(&param), c->worst[g], c->gev[g], denom);
    }
    tlf_buf_free(&param);
}

/* A run of items with one term: its label, where it starts, its counts. */
typedef struct ae_group {
    const char *label;
    size_t start, len;
    ae_counts c;
} ae_group;

/* Display order: descending subjects, then the label's bytes (SQLite's
 * BINARY collation, which the ORDER BY of the SQL version used). */
static int group_cmp(const void *pa, const void *pb)
{
    const ae_group *a = pa, *b = pb;
    if (a->c.ns != b->c.ns)
        return a->c.ns > b->c.ns ? -1 : 1;
    return strcmp(a->label, b->label);
}

/* The groups of it[0..n), sorted by term (the outer level when by_low is
 * 0, else the PT), counted and put in display order into *out. */
static size_t groups(ae_data *d, const ae_item *it, size_t n, int by_low, ae_group **out)
{
    ae_group *g = NULL;
    size_t ng = 0, cap = 0;
    for (size_t i = 0; i < n;) {
        size_t term = by_low ? it[i].low : it[i].up, j = i + 1;
        while (j < n && (by_low ? it[j].low : it[j].up) == term)
            j++;
        XGROW(g, cap, ng + 1);
        g[ng] = (ae_group){d->terms.keys[term], i, j - i, {0}};
        count(d, it + i, j - i, &g[ng].c);
        ng++;
        i = j;
    }
    if (ng)
        qsort(g, ng, sizeof *g, group_cmp);
    *out = g;
    return ng;
}

static void hierarchy(const analysis_ctx *ctx, ae_data *d, size_t t_index, long long denom)
{
    const ae_table *t = &TABLES[t_index];
    size_t u = strcmp(t->upper, UPPERS[0]) == 0 ? 0 : 1;
    ae_item *it = xcalloc(d->n ? d->n : 1, sizeof *it);
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->ev[i].tables & (1u << t_index))
            it[n++] = (ae_item){d->ev[i].upper[u], d->ev[i].lower, &d->ev[i]};
    if (n)
        qsort(it, n, sizeof *it, item_cmp);

    tlf_ard_key key = {t->output_id, t->analysis_id, "SAF", "ARMCD",
                       arm_code(ctx, TLF_ARM_TREATED), NULL, NULL};
    tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
    ae_counts all;
    count(d, it, n, &all);
    level_rows(ctx->ard, t, &key, NULL, NULL, &all, denom);

    ae_group *up = NULL;
    size_t n_up = groups(d, it, n, 0, &up);
    for (size_t i = 0; i < n_up; i++) {
        tlf_ard_key uk = key;
        uk.variable = t->upper;
        uk.variable_level = up[i].label;
        level_rows(ctx->ard, t, &uk, up[i].label, NULL, &up[i].c, denom);
        ae_group *low = NULL;
        size_t n_low = groups(d, it + up[i].start, up[i].len, 1, &low);
        for (size_t j = 0; j < n_low; j++) {
            tlf_ard_key lk = key;
            lk.variable = "AEDECOD";
            lk.variable_level = low[j].label;
            level_rows(ctx->ard, t, &lk, up[i].label, low[j].label, &low[j].c, denom);
        }
        free(low);
    }
    free(up);
    free(it);
}

static void overview(const analysis_ctx *ctx, ae_data *d, long long denom)
{
    tlf_ard_key key = {"14.3.1.1", "ae_overview", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                       NULL, NULL};
    tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
    ae_item *it = xcalloc(d->n ? d->n : 1, sizeof *it);
    for (size_t i = 0; i < NELEM(OVERVIEW); i++) {
        size_t n = 0;
        for (size_t k = 0; k < d->n; k++)
            if (d->ev[k].overview & (1u << i))
                it[n++].e = &d->ev[k];
        ae_counts c;
        count(d, it, n, &c);
        tlf_ard_key k = key;
        k.variable = OVERVIEW[i].variable;
        add_counts(ctx->ard, &k, NULL, c.ns, c.ne, denom);
    }
    free(it);
}

int analysis_saf_n(const analysis_ctx *ctx, long long *n, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(ctx->adam, "SELECT COUNT(*) FROM ADSL WHERE SAFFL = 'Y'", -1, &st,
                           NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        rc = sql_fail(err, ctx->adam, "SAF denominator (ADSL)");
    else
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int analysis_ae(const analysis_ctx *ctx, tlf_err *err)
{
    long long denom = 0;
    if (analysis_saf_n(ctx, &denom, err) != TLF_OK)
        return TLF_EINTERNAL;
    ae_data d = {0};
    int rc = load(ctx->adam, &d, err);
    if (rc == TLF_OK) {
        overview(ctx, &d, denom);
        for (size_t i = 0; i < NELEM(TABLES); i++)
            hierarchy(ctx, &d, i, denom);
    }
    data_free(&d);
    return rc;
}
