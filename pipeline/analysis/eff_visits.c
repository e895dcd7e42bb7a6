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
 * The rows an analysis by visit describes, read in one scan of a dataset
 * and put in the order the analysis's query gave them, here in C: the
 * arm's place (`ord`), AVISITN, then USUBJID (NULL first, then text by
 * bytes), then the order read. Change from baseline reads each dataset
 * once for all its efficacy parameters, the prednisolone dose ADEX once
 * for its four: a query per parameter found its rows through *_PARAM and
 * looked each up in the table, which is stored by subject, or scanned and
 * sorted ADEX, which has no index by parameter (issue 16: 33 s and 8.6 s
 * of the 120k study's analyses; a warm scan of the every-visit ADLB, 13
 * parameters, takes 0.7 s, one parameter's searches 0.7-0.9 s). A row
 * without values per arm and visit (visit_set_add_visits) keeps a visit
 * or an arm without data described (n 0), as the queries' UNION ALL did.
 */
#define NO_TEXT UINT32_MAX

typedef struct visit_row {
    int ord;                   /* sorts first: the arm's place (gcdose) */
    long long avisitn;
    uint32_t subj;             /* USUBJID: index in subj, NO_TEXT: NULL; its rank
                                  once describe_rows sorts */
    uint32_t seq;              /* the order added, for equal keys */
    uint32_t grp, visit;       /* ARMCD, AVISIT: index in text; NO_TEXT: NULL */
    double v[2];               /* the values described (AVAL[, CHG]) */
    unsigned char has[2];      /* v[k] is not NULL */
} visit_row;

typedef struct visit_rows {
    visit_row *r;
    size_t n, cap;
} visit_rows;

typedef struct visit_set {
    const char *domain;        /* the dataset read is AD + domain (the study's text) */
    size_t left;               /* its parameters not yet described */
    tlf_strmap subj, text;
    uint32_t seq;              /* rows added so far */
    uint32_t *rank;            /* per subject, its rank (visit_set_rank) */
    visit_rows *slot;          /* a slot per parameter */
    size_t nslots;
} visit_set;

static void visit_set_init(visit_set *vs, const char *domain, size_t nslots)
{
    memset(vs, 0, sizeof *vs);
    vs->domain = domain;
    vs->nslots = nslots;
    vs->slot = xcalloc(nslots ? nslots : 1, sizeof *vs->slot);
}

static void visit_set_free(visit_set *vs)
{
    for (size_t i = 0; vs->slot && i < vs->nslots; i++)
        free(vs->slot[i].r);
    free(vs->slot);
    free(vs->rank);
    tlf_strmap_free(&vs->subj);
    tlf_strmap_free(&vs->text);
    memset(vs, 0, sizeof *vs);
}

static uint32_t visit_set_text(tlf_strmap *m, const unsigned char *t)
{
    return t ? (uint32_t)tlf_strmap_add(m, (const char *)t) : NO_TEXT;
}

/* r (its texts indices of vs) as the next row of slot. */
static void visit_set_add(visit_set *vs, size_t slot, visit_row r)
{
    visit_rows *pr = &vs->slot[slot];
    r.seq = vs->seq++;
    XGROW(pr->r, pr->cap, pr->n + 1);
    pr->r[pr->n++] = r;
}

/* A row without values for arm (place ord) at the baseline and at every
 * scheduled visit of the study, into slot. */
static void visit_set_add_visits(const analysis_ctx *ctx, visit_set *vs, size_t slot, int ord,
                                 const char *arm)
{
    const tlf_study *st = ctx->study;
    for (size_t v = 0; v <= st->n_visits; v++) {
        const char *name = v == 0 ? st->baseline_visit : st->visits[v - 1].name;
        visit_row r = {ord, v == 0 ? 0 : st->visits[v - 1].number, NO_TEXT, 0,
                       visit_set_text(&vs->text, (const unsigned char *)arm),
                       visit_set_text(&vs->text, (const unsigned char *)name), {0, 0}, {0, 0}};
        visit_set_add(vs, slot, r);
    }
}

typedef struct subj_key {
    const char *id;
    uint32_t at;               /* index in visit_set.subj */
} subj_key;

static int subj_key_cmp(const void *a, const void *b)
{
    return strcmp(((const subj_key *)a)->id, ((const subj_key *)b)->id);
}

/* Each subject's rank in byte order, 1 up (0 is NULL's, first), into
 * vs->rank: once, after the scan has added every subject. */
static void visit_set_rank(visit_set *vs)
{
    size_t ns = vs->subj.n;
    subj_key *keys = xmalloc((ns ? ns : 1) * sizeof *keys);
    vs->rank = xmalloc((ns ? ns : 1) * sizeof *vs->rank);
    for (size_t k = 0; k < ns; k++)
        keys[k] = (subj_key){vs->subj.keys[k], (uint32_t)k};
    qsort(keys, ns, sizeof *keys, subj_key_cmp);
    for (size_t k = 0; k < ns; k++)
        vs->rank[keys[k].at] = (uint32_t)k + 1;
    free(keys);
}

static int visit_row_cmp(const void *a, const void *b)
{
    const visit_row *x = a, *y = b;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->avisitn != y->avisitn)
        return x->avisitn < y->avisitn ? -1 : 1;
    if (x->subj != y->subj)
        return x->subj < y->subj ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Describe the rows of slot, put in their query's order, and empty it: consecutive rows of one group (ARMCD) and visit make a summary; an
 * empty AVISIT means no visit param (a total, not by visit); a row
 * without a group or a visit is skipped. Value k (k < nvar) is described
 * under keys[k] (group_level and the visit param set here). When week52
 * is given, its tests run on value 1 (the change) of the response visit
 * under keys[1]. When dp is not NULL, *dp is raised to the decimal places
 * of every value 1 read (describe_decimals, capped at 3). Returns 0 or
 * TLF_EDATA.
 */
static int describe_rows(const analysis_ctx *ctx, visit_set *vs, size_t slot, const char *what,
                         const tlf_ard_key *keys, int nvar, int week52, int *dp, tlf_err *err)
{
    visit_rows *pr = &vs->slot[slot];
    if (!vs->rank)
        visit_set_rank(vs);
    for (size_t i = 0; i < pr->n; i++)
        pr->r[i].subj = pr->r[i].subj == NO_TEXT ? 0 : vs->rank[pr->r[i].subj];
    if (pr->n > 1)
        qsort(pr->r, pr->n, sizeof *pr->r, visit_row_cmp);
    vals v[2] = {{0}};
    uint32_t grp = NO_TEXT, visit = NO_TEXT;   /* the open summary's, NO_TEXT: none */
    int rc = TLF_OK;
    for (size_t i = 0; i <= pr->n && rc == TLF_OK; i++) {
        const visit_row *r = i < pr->n ? &pr->r[i] : NULL;
        int skip = !r || r->grp == NO_TEXT || r->visit == NO_TEXT;
        if (visit != NO_TEXT && (skip || r->grp != grp || r->visit != visit)) {
            const char *vname = vs->text.keys[visit];
            tlf_buf param = {0};
            if (*vname)
                tlf_param_add(&param, "visit", vname);
            for (int k = 0; k < nvar; k++) {
                tlf_ard_key key = keys[k];
                key.group_level = vs->text.keys[grp];
                /* no change at baseline: nothing to describe */
                if (k == 0 || v[k].n > 0 || strcmp(vname, ctx->study->baseline_visit) != 0)
                    describe_emit_ard(ctx->ard, &key, tlf_buf_cstr(&param), v[k].x, v[k].n);
                if (k == 1 && week52 && strcmp(vname, ctx->study->resp_visit->name) == 0)
                    week52_tests(ctx->ard, &key, tlf_buf_cstr(&param), v[1].x, v[1].n);
                v[k].n = 0;
            }
            tlf_buf_free(&param);
            grp = visit = NO_TEXT;
        }
        if (skip)
            continue;
        grp = r->grp;
        visit = r->visit;
        for (int k = 0; k < nvar && rc == TLF_OK; k++) {
            if (!r->has[k])
                continue;
            double x = r->v[k];
            if (!isfinite(x)) {
                rc = tlf_err_set(err, TLF_EDATA, "%s: a value at %s is not finite", what,
                                 vs->text.keys[visit]);
                break;
            }
            vals_push(&v[k], x);
            if (dp && k == 0) {
                int d = describe_max_decimals(&x, 1, 3);
                *dp = d > *dp ? d : *dp;
            }
        }
    }
    free(v[0].x);
    free(v[1].x);
    free(pr->r);
    *pr = (visit_rows){NULL, 0, 0};
    return rc;
}

/* Read the rows of every efficacy parameter of domain (treated: the arm
 * and FAS condition) into vs, a slot per parameter of the study. */
static int chg_load(const analysis_ctx *ctx, visit_set *vs, const char *domain,
                    const char *treated, tlf_err *err)
{
    const tlf_study *st = ctx->study;
    visit_set_init(vs, domain, st->n_params);
    tlf_buf in = TLF_BUF_INIT;
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i].efficacy && strcmp(st->params[i].domain, domain) == 0) {
            if (in.len)
                tlf_buf_puts(&in, ", ");
            sql_literal(&in, st->params[i].code);
            vs->left++;
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
    while (s != SQLITE_ERROR && (s = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 0);
        visit_row r = {0, sqlite3_column_int64(q, 3),
                       visit_set_text(&vs->subj, sqlite3_column_text(q, 6)), 0,
                       visit_set_text(&vs->text, sqlite3_column_text(q, 1)),
                       visit_set_text(&vs->text, sqlite3_column_text(q, 2)), {0, 0}, {0, 0}};
        for (int k = 0; k < 2; k++) {
            r.has[k] = sqlite3_column_type(q, 4 + k) != SQLITE_NULL;
            r.v[k] = r.has[k] ? sqlite3_column_double(q, 4 + k) : 0;
        }
        for (size_t i = 0; code && i < st->n_params; i++) {
            const tlf_study_param *p = &st->params[i];
            if (p->efficacy && strcmp(p->domain, domain) == 0 && strcmp(p->code, code) == 0)
                visit_set_add(vs, i, r);
        }
    }
    if (s != SQLITE_DONE)
        rc = tlf_err_set(err, TLF_EINTERNAL, "AD%s: %s", domain, sqlite3_errmsg(ctx->adam));
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return rc;
}

int analysis_chg_visits(const analysis_ctx *ctx, tlf_err *err)
{
    int rc = TLF_OK;
    char *treated = arm_where(ctx, TLF_ARM_TREATED, "", "FASFL");
    int order = 0;
    /* a set per dataset read, freed when its last parameter is described */
    visit_set *sets = xcalloc(ctx->study->n_params + 1, sizeof *sets);
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
        visit_set *vs = NULL;
        for (size_t k = 0; k < nsets && !vs; k++)
            if (sets[k].domain && strcmp(sets[k].domain, p->domain) == 0)
                vs = &sets[k];
        if (!vs) {
            vs = &sets[nsets++];
            rc = chg_load(ctx, vs, p->domain, treated, err);
        }
        char what[96];
        snprintf(what, sizeof what, "%s %s", dataset, p->code);
        int dp = 0;
        if (rc == TLF_OK) {
            visit_set_add_visits(ctx, vs, i, 0, trt);
            rc = describe_rows(ctx, vs, i, what, keys, 2, 1, &dp, err);
        }
        if (--vs->left == 0)
            visit_set_free(vs);
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
        visit_set_free(&sets[k]);
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
    /* the four parameters' rows in one scan of ADEX (slots: BY_VISIT,
     * then TOTAL), the treated arm first (ARMCD = the control's code is 0) */
    static const char *const *const CODES[2] = {BY_VISIT, TOTAL};
    visit_set vs;
    visit_set_init(&vs, "EX", 4);
    if (rc == TLF_OK) {
        sql = sqlite3_mprintf("SELECT PARAMCD, ARMCD, AVISIT, AVISITN, AVAL, USUBJID, ARMCD = %Q "
                              "FROM ADEX NOT INDEXED WHERE PARAMCD IN (%Q, %Q, %Q, %Q) AND %s AND "
                              "AVAL IS NOT NULL", ctl, BY_VISIT[0], BY_VISIT[1], TOTAL[0],
                              TOTAL[1], ARMS_SQL);
        int s = sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) == SQLITE_OK ? SQLITE_ROW
                                                                              : SQLITE_ERROR;
        while (s == SQLITE_ROW && (s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            for (size_t k = 0; code && k < 4; k++) {
                int total = k >= 2;
                /* by visit: a row with a visit; a total: no visit (AVISIT '', AVISITN 0) */
                if (strcmp(code, CODES[total][k % 2]) != 0 ||
                    (!total && sqlite3_column_type(st, 2) == SQLITE_NULL))
                    continue;
                visit_row r = {sqlite3_column_int(st, 6), total ? 0 : sqlite3_column_int64(st, 3),
                               visit_set_text(&vs.subj, sqlite3_column_text(st, 5)), 0,
                               visit_set_text(&vs.text, sqlite3_column_text(st, 1)),
                               visit_set_text(&vs.text, total ? (const unsigned char *)""
                                                              : sqlite3_column_text(st, 2)),
                               {sqlite3_column_double(st, 4), 0}, {1, 0}};
                visit_set_add(&vs, k, r);
            }
        }
        if (s != SQLITE_DONE)
            rc = tlf_err_set(err, TLF_EINTERNAL, "ADEX: %s", sqlite3_errmsg(ctx->adam));
        sqlite3_finalize(st);
        sqlite3_free(sql);
    }
    for (size_t k = 0; k < 4 && rc == TLF_OK; k++) {
        int total = k >= 2;
        const char *code = CODES[total][k % 2];
        tlf_ard_key key = {"14.2.6.1", "gcdose", "FAS", "ARMCD", NULL, code, NULL};
        /* a row without values per arm (and visit): an arm without
         * subjects is described (n 0) */
        for (int a = 0; a < 2; a++) {
            int ord = strcmp(arms[a], ctl) == 0;
            if (!total) {
                visit_set_add_visits(ctx, &vs, k, ord, arms[a]);
                continue;
            }
            visit_row r = {ord, 0, NO_TEXT, 0,
                           visit_set_text(&vs.text, (const unsigned char *)arms[a]),
                           visit_set_text(&vs.text, (const unsigned char *)""), {0, 0}, {0, 0}};
            visit_set_add(&vs, k, r);
        }
        rc = describe_rows(ctx, &vs, k, code, &key, 1, 0, NULL, err);
    }
    visit_set_free(&vs);
    free(ARMS_SQL);
    return rc;
}
