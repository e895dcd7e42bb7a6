/*
 * eff_visits.c - continuous efficacy variables by analysis visit (sap.md
 * sections 3-4; outputs 14.2.5.1, Figure 14.2.5.1 and 14.2.6.1).
 *
 * Stage: ARD. Change from baseline (FAS, treated arm) of the study
 * configuration's efficacy parameters (demo: %VC, %FVC, %DLCO in ADRE,
 * KL-6, CK in ADLB, MMT8 in ADFT; the `figure` one also feeds
 * F14.2.5.1). Per visit in AVISITN order, the baseline
 * record (ABLFL Y) and the analysis record of each post-baseline window
 * (ANL01FL Y) are described: <paramcd>_aval (variable AVAL) and
 * <paramcd>_chg (variable CHG), variable_level the PARAMCD, param
 * visit=<AVISIT>, stats n mean sd se median q1 q3 min max (quartiles R
 * type 2 = SAS QNTLDEF=5). At the response visit (week 52) the change also gets the paired t
 * test (t_mean, t_lcl, t_ucl, t_p) and the Wilcoxon signed-rank test
 * (wilcoxon_v, wilcoxon_p), with `estimable` 1, or 0 and the reason when
 * fewer than 2 changes exist or all are equal. After the visits, stat `dp`
 * (integer) under both keys (variable AVAL and CHG), group_level TAC, param
 * empty: the decimal places of the collected values, the maximum over the
 * analysed AVAL records (all visits) of the digits after the point in the
 * %.15g text of AVAL, capped at 3 (stats/describe.h describe_decimals);
 * the template shows mean and median with dp+1, SD dp+2, min/max dp. For
 * the `figure` parameter also `n` under <paramcd>_aval with param empty:
 * the treated arm's FAS N (ADSL), the N of F14.2.5.1's legend.
 *
 * Prednisolone-equivalent dose (gcdose; FAS TAC and HC): ADEX PREDDOSE
 * (mg/day) and PREDDKG (mg/kg/day) per visit, CUMPRED and CUMPRDKG to the
 * landmark day, described per arm; the column N is `n` with variable empty.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/efficacy.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/strmap.h"
#include "stats/describe.h"
#include "stats/paired.h"

#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void describe_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                       const double *x, size_t n)
{
    describe_result d;
    describe(x, n, &d);
    tlf_ard_add_int(ard, key, "n", param, (long long)d.n);
    tlf_ard_add_real(ard, key, "mean", param, d.mean);
    tlf_ard_add_real(ard, key, "sd", param, d.sd);
    tlf_ard_add_real(ard, key, "se", param, d.se);
    tlf_ard_add_real(ard, key, "median", param, d.median);
    tlf_ard_add_real(ard, key, "q1", param, d.q1);
    tlf_ard_add_real(ard, key, "q3", param, d.q3);
    tlf_ard_add_real(ard, key, "min", param, d.min);
    tlf_ard_add_real(ard, key, "max", param, d.max);
}

/* The paired tests of the week-52 changes chg[0..n-1] under key. */
static void week52_tests(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                         const double *chg, size_t n)
{
    paired_t_result t;
    double v, p;
    if (paired_t(chg, n, 0.95, &t) != 0 || wilcoxon_signed_rank(chg, n, &v, &p) != 0) {
        tlf_buf reason = {0};
        tlf_buf_puts(&reason, param);
        tlf_param_add(&reason, "reason", n < 2 ? "fewer than 2 subjects with a change"
                                                 : "all changes are equal");
        tlf_ard_add_int(ard, key, "estimable", tlf_buf_cstr(&reason), 0);
        tlf_buf_free(&reason);
        return;
    }
    tlf_ard_add_int(ard, key, "estimable", param, 1);
    tlf_ard_add_real(ard, key, "t_mean", param, t.mean);
    tlf_ard_add_real(ard, key, "t_lcl", param, t.lcl);
    tlf_ard_add_real(ard, key, "t_ucl", param, t.ucl);
    tlf_ard_add_real(ard, key, "t_p", param, t.p);
    tlf_ard_add_real(ard, key, "wilcoxon_v", param, v);
    tlf_ard_add_real(ard, key, "wilcoxon_p", param, p);
}

/* Values of one column (col) of the current visit's rows. */
typedef struct vals {
    double *x;
    size_t n, cap;
} vals;

static void vals_push(vals *v, double x)
{
    XGROW(v->x, v->cap, v->n + 1);
    v->x[v->n++] = x;
}

/* One row for by_visit: its group level and visit (NULL: the row is
 * skipped) and up to two values (has[k]: not NULL). */
typedef struct visit_row {
    const char *grp, *visit;
    double v[2];
    unsigned char has[2];
} visit_row;

/* Where by_visit's rows come from: next fills *r and returns 1, 0 after
 * the last row, or -1 when the rows cannot be read (what says why). */
typedef struct visit_src {
    int (*next)(void *self, visit_row *r);
    void *self;
    const char *(*what)(void *self);
} visit_src;

/*
 * Describe the rows of src, ordered by group, AVISITN: an empty AVISIT
 * means no visit param (a total, not by visit); value k (k < nvar) of
 * each group and visit is described under keys[k] (group_level and the
 * visit param set here). When week52 is given, its tests run on value 1
 * (the change) of the visit `WEEK 52` under keys[1]. When dp is not NULL,
 * *dp is raised to the decimal places of every value 1 read
 * (describe_decimals, capped at 3). Returns 0, TLF_EDATA or
 * TLF_EINTERNAL.
 */
static int by_visit_src(const analysis_ctx *ctx, const visit_src *src, const char *what,
                        const tlf_ard_key *keys, int nvar, int week52, int *dp, tlf_err *err)
{
    vals v[2] = {{0}};
    char *grp = NULL, *visit = NULL;
    int rc = TLF_OK, got;
    for (;;) {
        visit_row row;
        got = src->next(src->self, &row);
        const char *g = got == 1 ? row.grp : NULL;
        const char *vis = got == 1 ? row.visit : NULL;
        if (visit && (!g || !vis || strcmp(g, grp) != 0 || strcmp(vis, visit) != 0)) {
            tlf_buf param = {0};
            if (*visit)
                tlf_param_add(&param, "visit", visit);
            for (int k = 0; k < nvar; k++) {
                tlf_ard_key key = keys[k];
                key.group_level = grp;
                /* no change at baseline: nothing to describe */
                if (k == 0 || v[k].n > 0 || strcmp(visit, ctx->study->baseline_visit) != 0)
                    describe_emit_ard(ctx->ard, &key, tlf_buf_cstr(&param), v[k].x, v[k].n);
                if (k == 1 && week52 && strcmp(visit, ctx->study->resp_visit->name) == 0)
                    week52_tests(ctx->ard, &key, tlf_buf_cstr(&param), v[1].x, v[1].n);
                v[k].n = 0;
            }
            tlf_buf_free(&param);
            free(grp);
            free(visit);
            grp = visit = NULL;
        }
        if (got != 1)
            break;
        if (!g || !vis)
            continue;
        if (!visit) {
            grp = xstrdup(g);
            visit = xstrdup(vis);
        }
        for (int k = 0; k < nvar; k++)
            if (row.has[k]) {
                double x = row.v[k];
                if (!isfinite(x)) {
                    rc = tlf_err_set(err, TLF_EDATA, "%s: a value at %s is not finite", what, vis);
                    goto done;
                }
                vals_push(&v[k], x);
                if (dp && k == 0) {
                    int d = describe_max_decimals(&x, 1, 3);
                    *dp = d > *dp ? d : *dp;
                }
            }
    }
    if (got < 0)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: %s", what, src->what(src->self));
done:
    free(grp);
    free(visit);
    free(v[0].x);
    free(v[1].x);
    return rc;
}

/* v as an SQL string literal ('' for each ') into b. */
static void sql_literal(tlf_buf *b, const char *v)
{
    tlf_buf_putc(b, '\'');
    for (; *v; v++) {
        if (*v == '\'')
            tlf_buf_putc(b, '\'');
        tlf_buf_putc(b, *v);
    }
    tlf_buf_putc(b, '\'');
}

/*
 * The rows 14.2.5.1 describes (the treated arm's FAS; a baseline record,
 * or a window's analysis record, with a value) of every efficacy
 * parameter of one dataset, read in one scan of it. A search per
 * parameter found its rows through *_PARAM and then looked each up in the
 * table, which is stored by subject (issue 16: 33 s of the 120k study's
 * analyses for six parameters of 1.1 M rows each; a warm scan of the
 * every-visit ADLB, 13 parameters, took 0.7 s against 0.7-0.9 s for one
 * parameter's searches). Each parameter's rows, with a row per scheduled
 * visit and no value (so the visits without data still show), are put in
 * the order the search's query gave them, AVISITN then USUBJID (NULL
 * first, then text by bytes), here in C.
 */
#define CHG_NONE UINT32_MAX

typedef struct chg_row {
    int ord;                   /* sorts first: the arm's place (gcdose) */
    long long avisitn;
    uint32_t subj;             /* USUBJID: index in subj, then its rank; NONE: NULL */
    uint32_t seq;              /* the order read, for equal keys */
    uint32_t grp, visit;       /* ARMCD, AVISIT: index in text; NONE: NULL */
    double v[2];               /* AVAL, CHG */
    unsigned char has[2];
} chg_row;

typedef struct chg_rows {
    chg_row *r;
    size_t n, cap;
} chg_rows;

typedef struct chg_set {
    char *domain;              /* the dataset read is AD + domain */
    size_t left;               /* its parameters not yet described */
    tlf_strmap subj, text;
    chg_rows *param;           /* per parameter of the study (others empty) */
} chg_set;

static void chg_set_free(chg_set *cs, size_t nparams)
{
    for (size_t i = 0; cs->param && i < nparams; i++)
        free(cs->param[i].r);
    free(cs->param);
    free(cs->domain);
    tlf_strmap_free(&cs->subj);
    tlf_strmap_free(&cs->text);
    memset(cs, 0, sizeof *cs);
}

static uint32_t chg_text(tlf_strmap *m, const unsigned char *t)
{
    return t ? (uint32_t)tlf_strmap_add(m, (const char *)t) : CHG_NONE;
}

typedef struct subj_key {
    const char *id;
    uint32_t at;               /* index in chg_set.subj */
} subj_key;

static int subj_key_cmp(const void *a, const void *b)
{
    return strcmp(((const subj_key *)a)->id, ((const subj_key *)b)->id);
}

static int chg_row_cmp(const void *a, const void *b)
{
    const chg_row *x = a, *y = b;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->avisitn != y->avisitn)
        return x->avisitn < y->avisitn ? -1 : 1;
    if (x->subj != y->subj)
        return x->subj < y->subj ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void rank_subjects(chg_set *cs, size_t nslots);

/* Read the rows of every efficacy parameter of domain (treated: the arm
 * and FAS condition) into cs. */
static int chg_load(const analysis_ctx *ctx, chg_set *cs, const char *domain,
                    const char *treated, tlf_err *err)
{
    const tlf_study *st = ctx->study;
    cs->domain = xstrdup(domain);
    cs->param = xcalloc(st->n_params ? st->n_params : 1, sizeof *cs->param);
    tlf_buf in = TLF_BUF_INIT;
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i].efficacy && strcmp(st->params[i].domain, domain) == 0) {
            if (in.len)
                tlf_buf_puts(&in, ", ");
            sql_literal(&in, st->params[i].code);
            cs->left++;
        }
    char *sql = sqlite3_mprintf(
        "SELECT PARAMCD, ARMCD, AVISIT, AVISITN, AVAL, CHG, USUBJID FROM AD%s NOT INDEXED "
        "WHERE PARAMCD IN (%s) AND %s AND AVISIT IS NOT NULL AND AVAL IS NOT NULL AND "
        "((AVISITN = 0 AND ABLFL = 'Y') OR (AVISITN > 0 AND ANL01FL = 'Y'))",
        domain, tlf_buf_cstr(&in), treated);
    tlf_buf_free(&in);
    sqlite3_stmt *q = NULL;
    int rc = TLF_OK, s = SQLITE_DONE;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &q, NULL) != SQLITE_OK)
        s = SQLITE_ERROR;
    uint32_t seq = 0;
    while (s != SQLITE_ERROR && (s = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 0);
        chg_row r = {0, sqlite3_column_int64(q, 3), chg_text(&cs->subj, sqlite3_column_text(q, 6)),
                     seq++, chg_text(&cs->text, sqlite3_column_text(q, 1)),
                     chg_text(&cs->text, sqlite3_column_text(q, 2)), {0, 0}, {0, 0}};
        for (int k = 0; k < 2; k++) {
            r.has[k] = sqlite3_column_type(q, 4 + k) != SQLITE_NULL;
            r.v[k] = r.has[k] ? sqlite3_column_double(q, 4 + k) : 0;
        }
        for (size_t i = 0; code && i < st->n_params; i++) {
            const tlf_study_param *p = &st->params[i];
            if (p->efficacy && strcmp(p->domain, domain) == 0 && strcmp(p->code, code) == 0) {
                chg_rows *pr = &cs->param[i];
                XGROW(pr->r, pr->cap, pr->n + 1);
                pr->r[pr->n++] = r;
            }
        }
    }
    if (s != SQLITE_DONE)
        rc = tlf_err_set(err, TLF_EINTERNAL, "AD%s: %s", domain, sqlite3_errmsg(ctx->adam));
    sqlite3_finalize(q);
    sqlite3_free(sql);
    rank_subjects(cs, st->n_params);
    return rc;
}

/* Each row's subject (index in cs->subj) replaced by its rank in byte
 * order, 1 up (0: NULL, first), over the nslots slots of cs. */
static void rank_subjects(chg_set *cs, size_t nslots)
{
    size_t ns = cs->subj.n;
    subj_key *keys = xmalloc((ns ? ns : 1) * sizeof *keys);
    uint32_t *rank = xmalloc((ns ? ns : 1) * sizeof *rank);
    for (size_t k = 0; k < ns; k++)
        keys[k] = (subj_key){cs->subj.keys[k], (uint32_t)k};
    qsort(keys, ns, sizeof *keys, subj_key_cmp);
    for (size_t k = 0; k < ns; k++)
        rank[keys[k].at] = (uint32_t)k + 1;
    for (size_t i = 0; i < nslots; i++)
        for (size_t k = 0; k < cs->param[i].n; k++) {
            chg_row *r = &cs->param[i].r[k];
            r->subj = r->subj == CHG_NONE ? 0 : rank[r->subj];
        }
    free(keys);
    free(rank);
}

/* Rows of one parameter, sorted, as by_visit_src takes them: columns
 * ARMCD, AVISIT and the two values. */
typedef struct chg_src {
    const chg_set *cs;
    const chg_rows *rows;
    size_t at;
} chg_src;

static int chg_next(void *self, visit_row *out)
{
    chg_src *c = self;
    if (c->at >= c->rows->n)
        return 0;
    const chg_row *r = &c->rows->r[c->at++];
    out->grp = r->grp == CHG_NONE ? NULL : c->cs->text.keys[r->grp];
    out->visit = r->visit == CHG_NONE ? NULL : c->cs->text.keys[r->visit];
    for (int k = 0; k < 2; k++) {
        out->has[k] = r->has[k];
        out->v[k] = r->v[k];
    }
    return 1;
}

static const char *chg_what(void *self)
{
    (void)self;
    return "cannot be read";
}

/* A row without values for arm (place ord) at the baseline and every
 * scheduled visit of the study, so that a visit without data is still
 * described (n 0). */
static void add_visit_rows(const analysis_ctx *ctx, chg_set *cs, chg_rows *pr, int ord,
                           const char *arm)
{
    const tlf_study *st = ctx->study;
    for (size_t v = 0; v <= st->n_visits; v++) {
        const char *name = v == 0 ? st->baseline_visit : st->visits[v - 1].name;
        chg_row r = {ord, v == 0 ? 0 : st->visits[v - 1].number, 0, (uint32_t)pr->n,
                     chg_text(&cs->text, (const unsigned char *)arm),
                     chg_text(&cs->text, (const unsigned char *)name), {0, 0}, {0, 0}};
        XGROW(pr->r, pr->cap, pr->n + 1);
        pr->r[pr->n++] = r;
    }
}

/* by_visit_src over the rows of pr in their query's order; pr is emptied. */
static int describe_rows(const analysis_ctx *ctx, const chg_set *cs, chg_rows *pr,
                         const char *what, const tlf_ard_key *keys, int nvar, int week52,
                         int *dp, tlf_err *err)
{
    if (pr->n > 1)
        qsort(pr->r, pr->n, sizeof *pr->r, chg_row_cmp);
    chg_src c = {cs, pr, 0};
    visit_src src = {chg_next, &c, chg_what};
    int rc = by_visit_src(ctx, &src, what, keys, nvar, week52, dp, err);
    free(pr->r);
    *pr = (chg_rows){NULL, 0, 0};
    return rc;
}

/* Describe parameter i (of set cs, loaded) with the rows of every
 * scheduled visit for arm trt added, in the query's order. */
static int chg_describe(const analysis_ctx *ctx, chg_set *cs, size_t i, const char *trt,
                        const char *what, const tlf_ard_key *keys, int *dp, tlf_err *err)
{
    add_visit_rows(ctx, cs, &cs->param[i], 0, trt);
    return describe_rows(ctx, cs, &cs->param[i], what, keys, 2, 1, dp, err);
}

int analysis_chg_visits(const analysis_ctx *ctx, tlf_err *err)
{
    int rc = TLF_OK;
    char *treated = arm_where(ctx, TLF_ARM_TREATED, "", "FASFL");
    int order = 0;
    /* a set per dataset read, freed when its last parameter is described */
    chg_set *sets = xcalloc(ctx->study->n_params + 1, sizeof *sets);
    size_t nsets = 0;
    /* the parameters of 14.2.5.1: the study configuration's efficacy
     * parameters in its order; the figure's also feed F14.2.5.1 */
    for (size_t i = 0; i < ctx->study->n_params && rc == TLF_OK; i++) {
        const tlf_study_param *p = &ctx->study->params[i];
        if (!p->efficacy)
            continue;
        char id_aval[48], id_chg[48], lower[32], dataset[8];
        size_t j = 0;
        for (; p->code[j] && j + 1 < sizeof lower; j++)
            lower[j] = (char)tolower((unsigned char)p->code[j]);
        lower[j] = '\0';
        snprintf(id_aval, sizeof id_aval, "%s_aval", lower);
        snprintf(id_chg, sizeof id_chg, "%s_chg", lower);
        snprintf(dataset, sizeof dataset, "AD%s", p->domain);
        const char *output = p->figure ? "14.2.5.1;F14.2.5.1" : "14.2.5.1";
        tlf_ard_key keys[2] = {
            {output, id_aval, "FAS", "ARMCD", NULL, "AVAL", p->code},
            {output, id_chg, "FAS", "ARMCD", NULL, "CHG", p->code},
        };
        const char *trt = arm_code(ctx, TLF_ARM_TREATED);
        /* the block head of 14.2.5.1 (docs/templates.md, "Blocks"): stat
         * order, param label=;unit= from the configuration */
        tlf_ard_key lk = keys[0];
        lk.group_level = trt;
        tlf_buf lp = TLF_BUF_INIT;
        tlf_param_add(&lp, "label", p->label);
        tlf_param_add(&lp, "unit", p->unit);
        tlf_ard_add_int(ctx->ard, &lk, "order", tlf_buf_cstr(&lp), (long long)++order);
        tlf_buf_free(&lp);
        /* the dataset's rows, read once for all its parameters */
        chg_set *cs = NULL;
        for (size_t k = 0; k < nsets && !cs; k++)
            if (sets[k].domain && strcmp(sets[k].domain, p->domain) == 0)
                cs = &sets[k];
        if (!cs) {
            cs = &sets[nsets++];
            rc = chg_load(ctx, cs, p->domain, treated, err);
        }
        char what[96];
        snprintf(what, sizeof what, "%s %s", dataset, p->code);
        int dp = 0;
        if (rc == TLF_OK)
            rc = chg_describe(ctx, cs, i, trt, what, keys, &dp, err);
        if (--cs->left == 0)
            chg_set_free(cs, ctx->study->n_params);
        for (int k = 0; k < 2 && rc == TLF_OK; k++) {
            tlf_ard_key key = keys[k];
            key.group_level = arm_code(ctx, TLF_ARM_TREATED);
            tlf_ard_add_int(ctx->ard, &key, "dp", NULL, dp);
        }
        /* the series' N of F14.2.5.1's legend: the arm's analysis set
         * (ADSL), not the baseline n (a subject without a baseline value
         * is in the set) */
        if (rc == TLF_OK && p->figure) {
            char *nsql = sqlite3_mprintf("SELECT COUNT(*) FROM ADSL WHERE %s", treated);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(ctx->adam, nsql, -1, &st, NULL) != SQLITE_OK ||
                sqlite3_step(st) != SQLITE_ROW) {
                rc = tlf_err_set(err, TLF_EINTERNAL, "ADSL: %s", sqlite3_errmsg(ctx->adam));
            } else {
                tlf_ard_key key = keys[0];
                key.group_level = trt;
                tlf_ard_add_int(ctx->ard, &key, "n", NULL, sqlite3_column_int64(st, 0));
            }
            sqlite3_finalize(st);
            sqlite3_free(nsql);
        }
        /* the figure's time axis: each visit's target day from the
         * configured schedule (baseline day 1), so F14.2.5.1 places the
         * visits whatever they are called ("V1".."V9") */
        for (size_t v = 0; rc == TLF_OK && p->figure && v <= ctx->study->n_visits; v++) {
            tlf_ard_key key = keys[0];
            key.group_level = trt;
            tlf_buf vp = TLF_BUF_INIT;
            tlf_param_add(&vp, "visit", v == 0 ? ctx->study->baseline_visit
                                               : ctx->study->visits[v - 1].name);
            tlf_ard_add_int(ctx->ard, &key, "target_day", tlf_buf_cstr(&vp),
                            v == 0 ? 1 : ctx->study->visits[v - 1].target_day);
            tlf_buf_free(&vp);
        }
    }
    for (size_t k = 0; k < nsets; k++)
        chg_set_free(&sets[k], ctx->study->n_params);
    free(sets);
    free(treated);
    return rc;
}

int analysis_gcdose(const analysis_ctx *ctx, tlf_err *err)
{
    static const char *const BY_VISIT[] = {"PREDDOSE", "PREDDKG"};
    static const char *const TOTAL[] = {"CUMPRED", "CUMPRDKG"};
    char *ARMS_SQL = arms_where(ctx, "", "FASFL");
    const char *ctl = arm_code(ctx, TLF_ARM_CONTROL);
    int rc = TLF_OK;
    /* column N: the subjects of each arm (ADSL) */
    /* both arms, 0 for an arm nobody is in yet */
    const char *arms[2] = {arm_code(ctx, TLF_ARM_TREATED), ctl};
    char *sql = sqlite3_mprintf("SELECT a.ARMCD, (SELECT COUNT(*) FROM ADSL WHERE ARMCD = a.ARMCD "
                                "AND %s) FROM (SELECT %Q AS ARMCD, 0 AS o UNION ALL SELECT %Q, 1) "
                                "AS a ORDER BY a.o", ARMS_SQL, arms[0], arms[1]);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADSL: %s", sqlite3_errmsg(ctx->adam));
    } else {
        while (sqlite3_step(st) == SQLITE_ROW) {
            tlf_ard_key key = {"14.2.6.1", "gcdose", "FAS", "ARMCD",
                               (const char *)sqlite3_column_text(st, 0), NULL, NULL};
            tlf_ard_add_int(ctx->ard, &key, "n", NULL, sqlite3_column_int64(st, 1));
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    /* The four parameters' rows in one scan of ADEX (issue 16: a query
     * each scanned and sorted ADEX, which has no index by parameter; 8.6 s
     * at 120k), each put in its query's order here: the treated arm
     * first (ARMCD = the control's code, 0 before 1), then AVISITN, then
     * USUBJID, with a row without values per arm and scheduled visit (by
     * visit) or per arm (totals, no visit), so an arm or a visit without
     * data is still described. */
    static const char *const *const CODES[2] = {BY_VISIT, TOTAL};
    chg_set cs;
    memset(&cs, 0, sizeof cs);
    cs.param = xcalloc(4, sizeof *cs.param);
    if (rc == TLF_OK) {
        sql = sqlite3_mprintf("SELECT PARAMCD, ARMCD, AVISIT, AVISITN, AVAL, USUBJID, ARMCD = %Q "
                              "FROM ADEX NOT INDEXED WHERE PARAMCD IN (%Q, %Q, %Q, %Q) AND %s AND "
                              "AVAL IS NOT NULL", ctl, BY_VISIT[0], BY_VISIT[1], TOTAL[0],
                              TOTAL[1], ARMS_SQL);
        int s = sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) == SQLITE_OK ? SQLITE_ROW
                                                                              : SQLITE_ERROR;
        uint32_t seq = 0;
        while (s == SQLITE_ROW && (s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            for (size_t k = 0; code && k < 4; k++) {
                int total = k >= 2;
                if (strcmp(code, CODES[total][k % 2]) != 0 ||
                    (!total && sqlite3_column_type(st, 2) == SQLITE_NULL))
                    continue;
                chg_row r = {sqlite3_column_int(st, 6), total ? 0 : sqlite3_column_int64(st, 3),
                             chg_text(&cs.subj, sqlite3_column_text(st, 5)), seq++,
                             chg_text(&cs.text, sqlite3_column_text(st, 1)),
                             chg_text(&cs.text, total ? (const unsigned char *)""
                                                      : sqlite3_column_text(st, 2)),
                             {sqlite3_column_double(st, 4), 0}, {1, 0}};
                chg_rows *pr = &cs.param[k];
                XGROW(pr->r, pr->cap, pr->n + 1);
                pr->r[pr->n++] = r;
            }
        }
        if (s != SQLITE_DONE)
            rc = tlf_err_set(err, TLF_EINTERNAL, "ADEX: %s", sqlite3_errmsg(ctx->adam));
        sqlite3_finalize(st);
        sqlite3_free(sql);
        rank_subjects(&cs, 4);
    }
    for (size_t k = 0; k < 4 && rc == TLF_OK; k++) {
        int total = k >= 2;
        const char *code = CODES[total][k % 2];
        tlf_ard_key key = {"14.2.6.1", "gcdose", "FAS", "ARMCD", NULL, code, NULL};
        for (int a = 0; a < 2; a++) {
            int ord = strcmp(arms[a], ctl) == 0;
            if (!total) {
                add_visit_rows(ctx, &cs, &cs.param[k], ord, arms[a]);
                continue;
            }
            chg_rows *pr = &cs.param[k];
            chg_row r = {ord, 0, 0, (uint32_t)pr->n,
                         chg_text(&cs.text, (const unsigned char *)arms[a]),
                         chg_text(&cs.text, (const unsigned char *)""), {0, 0}, {0, 0}};
            XGROW(pr->r, pr->cap, pr->n + 1);
            pr->r[pr->n++] = r;
        }
        rc = describe_rows(ctx, &cs, &cs.param[k], code, &key, 1, 0, NULL, err);
    }
    chg_set_free(&cs, 4);
    free(ARMS_SQL);
    return rc;
}
