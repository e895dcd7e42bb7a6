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
#include "stats/describe.h"
#include "stats/paired.h"

#include <ctype.h>
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

/*
 * Run sql (columns: group level, AVISIT, AVISITN, value 1[, value 2]) whose
 * rows are ordered by group, AVISITN; an empty AVISIT means no visit
 * param (a total, not by visit); describe value k (k < nvar) of each
 * group and visit under keys[k] (group_level and the visit param set here).
 * When week52 is given, its tests run on value 1 (the change) of the
 * visit `WEEK 52` under keys[1]. When dp is not NULL, *dp is raised to
 * the decimal places of every value 1 read (describe_decimals, capped at 3).
 * Returns 0 or TLF_EINTERNAL.
 */
static int by_visit(const analysis_ctx *ctx, const char *sql, const char *what,
                    const tlf_ard_key *keys, int nvar, int week52, int *dp, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK)
        return tlf_err_set(err, TLF_EINTERNAL, "%s: %s", what, sqlite3_errmsg(ctx->adam));
    vals v[2] = {{0}};
    char *grp = NULL, *visit = NULL;
    int rc = TLF_OK, s;
    for (;;) {
        s = sqlite3_step(st);
        const char *g = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        const char *vis = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : NULL;
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
        if (s != SQLITE_ROW)
            break;
        if (!g || !vis)
            continue;
        if (!visit) {
            grp = xstrdup(g);
            visit = xstrdup(vis);
        }
        for (int k = 0; k < nvar; k++)
            if (sqlite3_column_type(st, 3 + k) != SQLITE_NULL) {
                double x = sqlite3_column_double(st, 3 + k);
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
    if (s != SQLITE_DONE)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: %s", what, sqlite3_errmsg(ctx->adam));
done:
    sqlite3_finalize(st);
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

char *analysis_visit_schedule_sql(const analysis_ctx *ctx, const char *const *arms,
                                  size_t narms, int nnull)
{
    tlf_buf b = TLF_BUF_INIT;
    const tlf_study *st = ctx->study;
    for (size_t a = 0; st && a < (arms ? narms : 1); a++)
        for (size_t v = 0; v <= st->n_visits; v++) {
            tlf_buf_puts(&b, " UNION ALL SELECT ");
            if (arms) {
                sql_literal(&b, arms[a]);
                tlf_buf_puts(&b, ", ");
            }
            sql_literal(&b, v == 0 ? st->baseline_visit : st->visits[v - 1].name);
            tlf_buf_printf(&b, ", %d", v == 0 ? 0 : st->visits[v - 1].number);
            for (int k = 0; k < nnull; k++)
                tlf_buf_puts(&b, ", NULL");
        }
    char *out = tlf_buf_detach(&b);
    return out ? out : xstrdup("");
}

int analysis_chg_visits(const analysis_ctx *ctx, tlf_err *err)
{
    int rc = TLF_OK;
    char *treated = arm_where(ctx, TLF_ARM_TREATED, "", "FASFL");
    int order = 0;
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
        char *sched = analysis_visit_schedule_sql(ctx, &trt, 1, 3);
        char *sql = sqlite3_mprintf(
            "SELECT * FROM (SELECT ARMCD, AVISIT, AVISITN, AVAL, CHG, USUBJID FROM %s "
            "WHERE PARAMCD = %Q AND "
            "%s AND AVISIT IS NOT NULL AND AVAL IS NOT NULL AND "
            "((AVISITN = 0 AND ABLFL = 'Y') OR (AVISITN > 0 AND ANL01FL = 'Y'))%s) "
            "ORDER BY AVISITN, USUBJID",
            dataset, p->code, treated, sched);
        free(sched);
        char what[96];
        snprintf(what, sizeof what, "%s %s", dataset, p->code);
        int dp = 0;
        rc = by_visit(ctx, sql, what, keys, 2, 1, &dp, err);
        sqlite3_free(sql);
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
    for (int k = 0; k < 2 && rc == TLF_OK; k++) {
        tlf_ard_key key = {"14.2.6.1", "gcdose", "FAS", "ARMCD", NULL, BY_VISIT[k], NULL};
        char *sched = analysis_visit_schedule_sql(ctx, arms, 2, 2);
        sql = sqlite3_mprintf("SELECT * FROM (SELECT ARMCD, AVISIT, AVISITN, AVAL, USUBJID FROM ADEX "
                              "WHERE PARAMCD = %Q AND %s AND AVISIT IS NOT NULL AND AVAL IS NOT NULL"
                              "%s) ORDER BY ARMCD = %Q, AVISITN, USUBJID", BY_VISIT[k], ARMS_SQL,
                              sched, ctl);
        free(sched);
        rc = by_visit(ctx, sql, BY_VISIT[k], &key, 1, 0, NULL, err);
        sqlite3_free(sql);
    }
    for (int k = 0; k < 2 && rc == TLF_OK; k++) {
        tlf_ard_key key = {"14.2.6.1", "gcdose", "FAS", "ARMCD", NULL, TOTAL[k], NULL};
        /* a row of NULLs per arm: an arm without subjects is described (n 0) */
        sql = sqlite3_mprintf("SELECT * FROM (SELECT ARMCD, '', 0, AVAL, USUBJID FROM ADEX WHERE "
                              "PARAMCD = %Q AND %s AND AVAL IS NOT NULL UNION ALL "
                              "SELECT %Q, '', 0, NULL, NULL UNION ALL SELECT %Q, '', 0, NULL, NULL) "
                              "ORDER BY ARMCD = %Q, USUBJID", TOTAL[k], ARMS_SQL, arms[0], arms[1],
                              ctl);
        rc = by_visit(ctx, sql, TOTAL[k], &key, 1, 0, NULL, err);
        sqlite3_free(sql);
    }
    free(ARMS_SQL);
    return rc;
}
