/*
 * lab.c - laboratory safety tables: values and change from baseline by
 * visit (14.3.4.1, analysis `lab`) and shift from baseline to the worst
 * post-baseline value per direction (14.3.4.2, analysis `lab_shift`).
 *
 * Stage: ARD. Reads ADSL (SAFFL) and ADLB (PARAMCD, AVAL, CHG, AVISIT,
 * AVISITN, ABLFL, ANL01FL, ADY, ANRIND, BNRIND) of the Safety Analysis Set.
 * sap.md section 4 ("continuous"; "laboratory shift: baseline LBNRIND vs the
 * worst post-baseline value, the one furthest outside the range, per
 * direction"); descriptive statistics by stats/describe (R type 2 quartiles).
 *
 * `lab`: per parameter and analysis visit (the baseline record, ABLFL = Y,
 * and the chosen record of each post-baseline window, ANL01FL = Y) the
 * records variable AVAL and (post-baseline) CHG, param
 * `PARAMCD=<cd>;visit=<AVISIT>`, stats n mean sd se median q1 q3 min max
 * (sd/se missing when n < 2). After the visits, stat `dp` (integer) under
 * variable AVAL and under variable CHG, param `PARAMCD=<cd>`: the decimal
 * places of the collected values, the maximum over the analysed AVAL
 * records of the parameter (all visits) of the digits after the point in
 * the %.15g text of AVAL, capped at 3 (stats/describe.h describe_decimals).
 * A property of the data, not a statistic: the templates show mean and
 * median with dp+1, SD/SE with dp+2, min and max with dp decimals (the
 * renderer finds it by the cell's selector with the `;visit=` part of the
 * param dropped, docs/templates.md).
 *
 * `lab_shift`: per parameter two shift tables, direction LOW and HIGH.
 * Post-baseline = every record after day 1 up to the landmark day (the analysis
 * period), scheduled or not. Worst in direction LOW: LOW when any such
 * record is LOW, else the category (NORMAL or HIGH) of the lowest value;
 * direction HIGH symmetrically (HIGH when any is HIGH, else the category of
 * the highest value). So a subject with both a low and a high value shows
 * as LOW in the LOW table and as HIGH in the HIGH table. MISSING: no
 * post-baseline record with a reference-range indicator (or no baseline).
 * Records: variable BNRIND, variable_level LOW/NORMAL/HIGH/MISSING/TOTAL,
 * param `PARAMCD=<cd>;direction=<LOW|HIGH>;post=<LOW|NORMAL|HIGH|MISSING>`
 * with stats n and pct (percent of the SAF N); the row totals carry the
 * param without `post`. The denominator: stat n, variable empty, param
 * `PARAMCD=<cd>`. Every SAF subject is in every shift table (a subject
 * without data in MISSING/MISSING), so the cells add up to N.
 *
 * Method: ADLB is read once, in rowid order, and each record is filed in
 * C: by parameter and visit for `lab` (values kept in the order the
 * by-visit query of earlier versions returned them, AVISITN then rowid, so
 * the sums and so the ARD are the same to the last bit), and by parameter
 * and subject for `lab_shift` (a running worst value per direction).
 * Asking SQLite per subject and parameter instead cost 59 s of a
 * 30,000-subject run; one pass costs a few seconds (issue 16).
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/strmap.h"
#include "stats/describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const CATS[] = {"LOW", "NORMAL", "HIGH", "MISSING"};
#define N_CATS 4

static int lab_fail(tlf_err *err, sqlite3 *db, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "laboratory analysis: %s: %s", what,
                       sqlite3_errmsg(db));
}

/* One record of a by-visit cell: its AVISITN (the old query's order), its
 * position in the read, AVAL and CHG. */
typedef struct lab_rec {
    double avisitn;
    size_t seq;
    double aval, chg;
    unsigned char avisitn_null, has_aval, has_chg;
} lab_rec;

/* One analysis visit of one parameter. */
typedef struct lab_visit {
    lab_rec *recs;
    size_t n, cap;
    int base;                 /* any of its records is a baseline (ABLFL = Y) */
    int has_min;              /* MIN(AVISITN) is not NULL */
    double min_avisitn;
} lab_visit;

/* The shift state of one subject for one parameter. */
typedef struct lab_shift_state {
    signed char base;         /* category of the first baseline record; -1 none */
    unsigned char has_post, any_low, any_high, has_val;
    signed char lo_cat, hi_cat;
    double lo, hi;            /* lowest and highest post-baseline AVAL */
} lab_shift_state;

typedef struct lab_param {
    tlf_strmap visit_names;
    lab_visit *visits;        /* by index in visit_names */
    size_t visits_cap;
    lab_shift_state *shift;   /* per SAF subject */
    char *test, *unit;        /* the data's first non-empty PARAM and AVALU */
} lab_param;

typedef struct lab_data {
    tlf_strmap saf;           /* SAF subjects (ADSL SAFFL = Y) */
    tlf_strmap params;        /* PARAMCDs of their ADLB records */
    lab_param *p;
    size_t p_cap;
} lab_data;

static void lab_data_free(lab_data *d)
{
    for (size_t i = 0; i < d->params.n; i++) {
        for (size_t v = 0; v < d->p[i].visit_names.n; v++)
            free(d->p[i].visits[v].recs);
        free(d->p[i].visits);
        free(d->p[i].shift);
        free(d->p[i].test);
        free(d->p[i].unit);
        tlf_strmap_free(&d->p[i].visit_names);
    }
    free(d->p);
    tlf_strmap_free(&d->params);
    tlf_strmap_free(&d->saf);
}

static int cat_index(const char *s)
{
    for (int i = 0; i < N_CATS - 1; i++)
        if (s && strcmp(s, CATS[i]) == 0)
            return i;
    return N_CATS - 1;
}

static int is_y(const unsigned char *s)
{
    return s && s[0] == 'Y' && s[1] == '\0';
}

static lab_param *param_of(lab_data *d, const char *cd)
{
    size_t before = d->params.n;
    size_t k = tlf_strmap_add(&d->params, cd);
    if (d->params.n != before) {
        XGROW(d->p, d->p_cap, d->params.n);
        memset(&d->p[k], 0, sizeof d->p[k]);
        d->p[k].shift = xmalloc((d->saf.n ? d->saf.n : 1) * sizeof *d->p[k].shift);
        for (size_t i = 0; i < d->saf.n; i++) {
            memset(&d->p[k].shift[i], 0, sizeof d->p[k].shift[i]);
            d->p[k].shift[i].base = -1;
        }
    }
    return &d->p[k];
}

/* File one by-visit record (ABLFL = Y or ANL01FL = Y, AVISIT not NULL). */
static void add_visit_rec(lab_param *p, const char *visit, sqlite3_stmt *st, size_t seq, int base)
{
    size_t before = p->visit_names.n;
    size_t k = tlf_strmap_add(&p->visit_names, visit);
    if (p->visit_names.n != before) {
        XGROW(p->visits, p->visits_cap, p->visit_names.n);
        memset(&p->visits[k], 0, sizeof p->visits[k]);
    }
    lab_visit *v = &p->visits[k];
    XGROW(v->recs, v->cap, v->n + 1);
    lab_rec *r = &v->recs[v->n++];
    memset(r, 0, sizeof *r);
    r->seq = seq;
    r->avisitn_null = sqlite3_column_type(st, 3) == SQLITE_NULL;
    r->avisitn = r->avisitn_null ? 0 : sqlite3_column_double(st, 3);
    r->has_aval = sqlite3_column_type(st, 4) != SQLITE_NULL;
    r->aval = sqlite3_column_double(st, 4);
    r->has_chg = sqlite3_column_type(st, 5) != SQLITE_NULL;
    r->chg = sqlite3_column_double(st, 5);
    v->base = v->base || base;
    if (!r->avisitn_null && (!v->has_min || r->avisitn < v->min_avisitn)) {
        v->has_min = 1;
        v->min_avisitn = r->avisitn;
    }
}

/* A scheduled visit of the study configuration (AVISITN number): a row
 * even before anyone reaches it (n 0; the baseline, number 0, has no
 * change). A visit with data keeps what the data say. */
static void add_sched_visit(lab_param *p, const char *visit, int number)
{
    size_t before = p->visit_names.n;
    size_t k = tlf_strmap_add(&p->visit_names, visit);
    if (p->visit_names.n == before)
        return;
    XGROW(p->visits, p->visits_cap, p->visit_names.n);
    memset(&p->visits[k], 0, sizeof p->visits[k]);
    p->visits[k].has_min = 1;
    p->visits[k].min_avisitn = number;
    p->visits[k].base = number == 0;
}

/* Update a subject's shift state with one of its records. Post-baseline:
 * day 2 to the landmark day, not a baseline record, a LOW/NORMAL/HIGH indicator. */
static void add_shift_rec(lab_shift_state *sh, sqlite3_stmt *st, int base, double last_day)
{
    const char *ind = (const char *)sqlite3_column_text(st, 9);
    if (base && sh->base < 0)
        sh->base = (signed char)cat_index(ind);
    if (base || sqlite3_column_type(st, 8) == SQLITE_NULL)
        return;
    double ady = sqlite3_column_double(st, 8);
    int c = cat_index(ind);
    if (!(ady >= 2 && ady <= last_day) || c == N_CATS - 1)
        return;
    sh->has_post = 1;
    sh->any_low |= c == 0;
    sh->any_high |= c == 2;
    if (sqlite3_column_type(st, 4) == SQLITE_NULL)
        return;
    double aval = sqlite3_column_double(st, 4);
    if (!sh->has_val || aval < sh->lo) {
        sh->lo = aval;
        sh->lo_cat = (signed char)c;
    }
    if (!sh->has_val || aval > sh->hi) {
        sh->hi = aval;
        sh->hi_cat = (signed char)c;
    }
    sh->has_val = 1;
}

/* Read the SAF subjects, then every ADLB record once. */
static int lab_load(sqlite3 *db, lab_data *d, double last_day, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int step;
    if (sqlite3_prepare_v2(db, "SELECT USUBJID FROM ADSL WHERE SAFFL = 'Y' AND USUBJID IS NOT "
                           "NULL ORDER BY USUBJID", -1, &st, NULL) != SQLITE_OK)
        return lab_fail(err, db, "reading ADSL");
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        tlf_strmap_add(&d->saf, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return lab_fail(err, db, "reading ADSL");
    if (sqlite3_prepare_v2(db, "SELECT USUBJID, PARAMCD, AVISIT, AVISITN, AVAL, CHG, ABLFL, "
                           "ANL01FL, ADY, ANRIND, PARAM, AVALU FROM ADLB ORDER BY rowid", -1, &st,
                           NULL) != SQLITE_OK)
        return lab_fail(err, db, "reading ADLB");
    size_t seq = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *subj = (const char *)sqlite3_column_text(st, 0);
        const char *cd = (const char *)sqlite3_column_text(st, 1);
        size_t si = subj ? tlf_strmap_get(&d->saf, subj) : (size_t)-1;
        if (si == (size_t)-1 || !cd)
            continue;
        lab_param *p = param_of(d, cd);
        /* label and unit of a parameter the configuration does not name */
        const char *test = (const char *)sqlite3_column_text(st, 10);
        const char *unit = (const char *)sqlite3_column_text(st, 11);
        if (!p->test && test && *test)
            p->test = xstrdup(test);
        if (!p->unit && unit && *unit)
            p->unit = xstrdup(unit);
        int base = is_y(sqlite3_column_text(st, 6));
        const char *visit = (const char *)sqlite3_column_text(st, 2);
        if (visit && (base || is_y(sqlite3_column_text(st, 7))))
            add_visit_rec(p, visit, st, seq++, base);
        add_shift_rec(&p->shift[si], st, base, last_day);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? TLF_OK : lab_fail(err, db, "reading ADLB");
}

/* Emit the describe statistics of x[0..n) under key/param. */
static void emit_describe(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                          const double *x, size_t n)
{
    describe_result d;
    describe(x, n, &d);
    tlf_ard_add_int(ard, key, "n", param, (long long)d.n);
    if (d.n == 0)
        return;
    const struct { const char *name; double v; } s[] = {
        {"mean", d.mean}, {"sd", d.sd}, {"se", d.se}, {"median", d.median},
        {"q1", d.q1}, {"q3", d.q3}, {"min", d.min}, {"max", d.max},
    };
    for (size_t i = 0; i < NELEM(s); i++)
        tlf_ard_add_real(ard, key, s[i].name, param, s[i].v);
}

/* Records of a visit in AVISITN order (NULL first), then as read. */
static int rec_cmp(const void *a, const void *b)
{
    const lab_rec *x = a, *y = b;
    if (x->avisitn_null != y->avisitn_null)
        return x->avisitn_null ? -1 : 1;
    if (!x->avisitn_null && x->avisitn != y->avisitn)
        return x->avisitn < y->avisitn ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Visits by MIN(AVISITN) (NULL first), then by name. */
typedef struct visit_order {
    const lab_param *p;
    size_t k;
} visit_order;

static int visit_cmp(const void *a, const void *b)
{
    const visit_order *x = a, *y = b;
    const lab_visit *vx = &x->p->visits[x->k], *vy = &y->p->visits[y->k];
    if (vx->has_min != vy->has_min)
        return vx->has_min ? 1 : -1;
    if (vx->has_min && vx->min_avisitn != vy->min_avisitn)
        return vx->min_avisitn < vy->min_avisitn ? -1 : 1;
    return strcmp(x->p->visit_names.keys[x->k], y->p->visit_names.keys[y->k]);
}

/* Values and change by visit of one parameter. */
static void lab_by_visit(const analysis_ctx *ctx, const char *cd, lab_param *p)
{
    visit_order *order = xcalloc(p->visit_names.n + 1, sizeof *order);
    for (size_t k = 0; k < p->visit_names.n; k++) {
        order[k].p = p;
        order[k].k = k;
    }
    qsort(order, p->visit_names.n, sizeof *order, visit_cmp);
    size_t cap = 1;
    for (size_t k = 0; k < p->visit_names.n; k++)
        cap = p->visits[k].n > cap ? p->visits[k].n : cap;
    double *x = xmalloc(cap * sizeof *x);
    tlf_buf param = TLF_BUF_INIT;
    int dp = 0;
    for (size_t o = 0; o < p->visit_names.n; o++) {
        lab_visit *v = &p->visits[order[o].k];
        if (v->n > 1)   /* a scheduled visit without data has no records (recs NULL) */
            qsort(v->recs, v->n, sizeof *v->recs, rec_cmp);
        tlf_buf_reset(&param);
        tlf_param_add(&param, "PARAMCD", cd);
        tlf_param_add(&param, "visit", p->visit_names.keys[order[o].k]);
        for (int var = 0; var < 2; var++) {   /* 0 = AVAL, 1 = CHG */
            size_t n = 0;
            for (size_t i = 0; i < v->n; i++) {
                const lab_rec *r = &v->recs[i];
                double val = var ? r->chg : r->aval;
                if ((var ? r->has_chg : r->has_aval) && isfinite(val))
                    x[n++] = val;
            }
            if (var == 0) {
                int d = describe_max_decimals(x, n, 3);
                dp = d > dp ? d : dp;
            }
            if (var == 1 && v->base)
                break;   /* no change at baseline */
            tlf_ard_key key = {"14.3.4.1", "lab", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                               var ? "CHG" : "AVAL", NULL};
            emit_describe(ctx->ard, &key, tlf_buf_cstr(&param), x, n);
        }
    }
    tlf_buf_reset(&param);
    tlf_param_add(&param, "PARAMCD", cd);
    for (int var = 0; var < 2; var++) {
        tlf_ard_key key = {"14.3.4.1", "lab", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                           var ? "CHG" : "AVAL", NULL};
        tlf_ard_add_int(ctx->ard, &key, "dp", tlf_buf_cstr(&param), dp);
    }
    tlf_buf_free(&param);
    free(x);
    free(order);
}

/* Shift tables (both directions) of one parameter. */
static void lab_shift(const analysis_ctx *ctx, const char *cd, const lab_param *p, size_t nsaf,
                      long long denom)
{
    long long cnt[2][N_CATS][N_CATS];   /* direction, baseline, post */
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < nsaf; i++) {
        const lab_shift_state *sh = &p->shift[i];
        int b = sh->base < 0 ? N_CATS - 1 : sh->base;
        int lo = sh->has_val ? sh->lo_cat : N_CATS - 1;
        int hi = sh->has_val ? sh->hi_cat : N_CATS - 1;
        /* no post-baseline category at all: MISSING in both directions */
        cnt[0][b][!sh->has_post ? 3 : sh->any_low ? 0 : lo]++;
        cnt[1][b][!sh->has_post ? 3 : sh->any_high ? 2 : hi]++;
    }

    tlf_ard_key key = {"14.3.4.2", "lab_shift", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                       "", NULL};
    tlf_buf param = TLF_BUF_INIT;
    tlf_param_add(&param, "PARAMCD", cd);
    tlf_ard_add_int(ctx->ard, &key, "n", tlf_buf_cstr(&param), denom);
    key.variable = "BNRIND";
    for (int d = 0; d < 2; d++) {
        long long col_tot[N_CATS] = {0}, all = 0;
        for (int b = 0; b <= N_CATS; b++) {   /* b == N_CATS: the Total row */
            key.variable_level = b < N_CATS ? CATS[b] : "TOTAL";
            long long row_tot = 0;
            for (int q = 0; q <= N_CATS; q++) {
                long long v;
                if (q < N_CATS) {
                    v = b < N_CATS ? cnt[d][b][q] : col_tot[q];
                    if (b < N_CATS) {
                        col_tot[q] += v;
                        row_tot += v;
                    }
                } else {
                    v = b < N_CATS ? row_tot : all;
                    if (b < N_CATS)
                        all += row_tot;
                }
                tlf_buf_reset(&param);
                tlf_param_add(&param, "PARAMCD", cd);
                tlf_param_add(&param, "direction", d ? "HIGH" : "LOW");
                if (q < N_CATS)
                    tlf_param_add(&param, "post", CATS[q]);
                tlf_ard_add_int(ctx->ard, &key, "n", tlf_buf_cstr(&param), v);
                tlf_ard_add_real(ctx->ard, &key, "pct", tlf_buf_cstr(&param),
                                 denom > 0 ? 100.0 * (double)v / (double)denom : NAN);
            }
        }
    }
    tlf_buf_free(&param);
}

/* The parameter's display record (docs/templates.md, "Blocks"): stat
 * `order` = its position in the table, param PARAMCD=<cd>;label=;unit=
 * from the study configuration, else the data's PARAM and AVALU. */
static void lab_label(const analysis_ctx *ctx, const char *output, const char *id,
                      const char *cd, size_t order, const lab_param *p)
{
    const tlf_study_param *c = tlf_study_param_find(ctx->study, "LB", cd);
    tlf_buf param = TLF_BUF_INIT;
    tlf_param_add(&param, "PARAMCD", cd);
    tlf_param_add(&param, "label", c ? c->label : p->test ? p->test : cd);
    tlf_param_add(&param, "unit", c ? c->unit : p->unit ? p->unit : "");
    tlf_ard_key key = {output, id, "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED), "", NULL};
    tlf_ard_add_int(ctx->ard, &key, "order", tlf_buf_cstr(&param), (long long)order);
    tlf_buf_free(&param);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int analysis_lab(const analysis_ctx *ctx, tlf_err *err)
{
    lab_data d;
    memset(&d, 0, sizeof d);
    long long denom = 0;
    if (analysis_saf_n(ctx, &denom, err) != TLF_OK)
        return TLF_EINTERNAL;
    int rc = lab_load(ctx->adam, &d, ctx->study->landmark_day, err);
    if (rc == TLF_OK) {
        /* parameters in the configured order (every configured one, with
         * data or not), then those only the data hold, in PARAMCD order */
        const tlf_study *st = ctx->study;
        size_t ncfg = 0;
        const tlf_study_param *cfg = tlf_study_domain_params(st, "LB", &ncfg);
        for (size_t i = 0; i < ncfg; i++)
            param_of(&d, cfg[i].code);
        char **names = xcalloc(d.params.n + 1, sizeof *names);
        size_t nn = 0;
        for (size_t i = 0; i < ncfg; i++)
            names[nn++] = cfg[i].code;
        size_t first_extra = nn;
        for (size_t i = 0; i < d.params.n; i++)
            if (!tlf_study_param_find(st, "LB", d.params.keys[i]))
                names[nn++] = d.params.keys[i];
        qsort(names + first_extra, nn - first_extra, sizeof *names, name_cmp);
        tlf_ard_key key = {"14.3.4.1;14.3.4.2", "lab", "SAF", "ARMCD",
                           arm_code(ctx, TLF_ARM_TREATED), "", NULL};
        tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
        /* every scheduled visit of every parameter has its row */
        for (size_t i = 0; i < d.params.n; i++) {
            add_sched_visit(&d.p[i], st->baseline_visit, 0);
            for (size_t v = 0; v < st->n_visits; v++)
                add_sched_visit(&d.p[i], st->visits[v].name, st->visits[v].number);
        }
        for (size_t i = 0; i < nn; i++) {
            lab_param *p = &d.p[tlf_strmap_get(&d.params, names[i])];
            lab_label(ctx, "14.3.4.1", "lab", names[i], i + 1, p);
            lab_by_visit(ctx, names[i], p);
        }
        for (size_t i = 0; i < nn; i++) {
            lab_param *p = &d.p[tlf_strmap_get(&d.params, names[i])];
            lab_label(ctx, "14.3.4.2", "lab_shift", names[i], i + 1, p);
            lab_shift(ctx, names[i], p, d.saf.n, denom);
        }
        free(names);
    }
    lab_data_free(&d);
    return rc;
}
