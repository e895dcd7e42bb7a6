/*
 * efficacy.c - time-to-event analyses of OS, PFS and TFF (sap.md sections
 * 3-4; outputs 14.2.1.1-14.2.3.1 and Figures 14.2.1.1, 14.2.2.1).
 *
 * Stage: ARD. Reads ADTTE (PARAMCD, AVAL, CNSR, ARMCD, FASFL, PPSFL, HCFL,
 * EVNTDESC, CNSDTDSC) and, per subject, the ADSL variables the study's
 * models name (study.json "models": the stratum and the covariates). Per
 * endpoint and analysis set (FAS primary,
 * PPS sensitivity for OS), each arm against the historical controls:
 * Kaplan-Meier per arm with the estimate at the study's landmark day
 * (<ep>_km), event and censoring reasons (<ep>_evt), log-rank treated arm
 * vs control unstratified (<ep>_logrank) and stratified by the configured
 * stratum (<ep>_logrank_strat), Cox treated vs control (<ep>_cox,
 * covariate ARMCD<treated code>, the control the reference; ties and
 * minimum events from the profile) and for OS in the FAS the adjusted Cox
 * (os_cox_adj: the configured cox_adjusted covariates; rows feed
 * 14.2.1.2). Event/censoring rows start with the totals (variable
 * CNSR, levels EVENT and CENSORED) and list every reason for both arms (0
 * where absent). HC rows carry the population they are compared with.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/efficacy.h"
#include "core/buf.h"
#include "core/mem.h"
#include "derive/derive.h"
#include "stats/cox.h"
#include "stats/km.h"
#include "stats/logrank.h"
#include "stats/stats_ard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* The value of covariate v in column col of st: a number, or the 0/1
 * indicator of a text value (ones 1, zeros 0); NaN when missing or, for
 * an indicator, in neither list (study.h: complete cases). */
static double cov_value(const tlf_study_covariate *v, sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    if (v->numeric)
        return type == SQLITE_INTEGER || type == SQLITE_FLOAT ? sqlite3_column_double(st, col)
                                                              : NAN;
    const char *s = (const char *)sqlite3_column_text(st, col);
    for (size_t k = 0; s && k < v->n_ones; k++)
        if (strcmp(s, v->ones[k]) == 0)
            return 1;
    for (size_t k = 0; s && k < v->n_zeros; k++)
        if (strcmp(s, v->zeros[k]) == 0)
            return 0;
    return NAN;
}

/* The stratum of value s (-1: missing or in no stratum). */
static int stratum_of(const tlf_study_strata *g, const char *s)
{
    for (size_t k = 0; s && k < g->n_values; k++)
        if (strcmp(s, g->values[k]) == 0)
            return g->stratum[k];
    return -1;
}

void tte_data_free(tte_data *d)
{
    if (!d)
        return;
    free(d->aval);
    free(d->event);
    free(d->arm);
    free(d->stratum);
    free(d->cov);
    memset(d, 0, sizeof *d);
}

int tte_load(tte_data *d, const analysis_ctx *ctx, const char *paramcd, const char *population,
             tlf_err *err)
{
    memset(d, 0, sizeof *d);
    sqlite3 *adam = ctx->adam;
    const char *flag = strcmp(population, "PPS") == 0 ? "PPSFL" : "FASFL";
    const tlf_study *study = ctx->study;
    char *arms = arms_where(ctx, "t.", flag);
    /* the stratum's and the covariates' ADSL variables (validated names) */
    tlf_buf cols = TLF_BUF_INIT;
    tlf_buf_printf(&cols, "s.\"%s\"", study->strata.variable);
    for (size_t j = 0; j < study->n_covs; j++)
        tlf_buf_printf(&cols, ", s.\"%s\"", study->covs[j].variable);
    char *sql = xasprintf("SELECT t.AVAL, t.CNSR, t.ARMCD, t.USUBJID, %s FROM ADTTE t "
                          "LEFT JOIN ADSL s ON s.USUBJID = t.USUBJID WHERE t.PARAMCD = ?1 AND "
                          "%s ORDER BY t.USUBJID", tlf_buf_cstr(&cols), arms);
    free(arms);
    tlf_buf_free(&cols);
    d->ncov = study->n_covs;
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(adam, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADTTE %s: %s", paramcd, sqlite3_errmsg(adam));
        goto done;
    }
    sqlite3_bind_text(st, 1, paramcd, -1, SQLITE_STATIC);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->n == cap) {
            cap = cap ? 2 * cap : 64;
            d->aval = xreallocarray(d->aval, cap, sizeof *d->aval);
            d->event = xreallocarray(d->event, cap, sizeof *d->event);
            d->arm = xreallocarray(d->arm, cap, sizeof *d->arm);
            d->stratum = xreallocarray(d->stratum, cap, sizeof *d->stratum);
            d->cov = xreallocarray(d->cov, cap * (d->ncov + 1), sizeof *d->cov);
        }
        if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_type(st, 1) == SQLITE_NULL) {
            rc = tlf_err_set(err, TLF_EDATA, "ADTTE %s, USUBJID %s: AVAL or CNSR is missing",
                             paramcd, (const char *)sqlite3_column_text(st, 3));
            goto done;
        }
        const char *arm = (const char *)sqlite3_column_text(st, 2);
        d->aval[d->n] = sqlite3_column_double(st, 0);
        d->event[d->n] = sqlite3_column_int(st, 1) == 0;
        d->arm[d->n] = arm_index(ctx, arm) == 0 ? 0 : 1;
        d->stratum[d->n] = stratum_of(&study->strata, (const char *)sqlite3_column_text(st, 4));
        for (size_t j = 0; j < d->ncov; j++)
            d->cov[d->n * d->ncov + j] = cov_value(&study->covs[j], st, 5 + (int)j);
        d->n++;
    }
    if (s != SQLITE_DONE)
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADTTE %s: %s", paramcd, sqlite3_errmsg(adam));
done:
    sqlite3_finalize(st);
    free(sql);
    if (rc)
        tte_data_free(d);
    return rc;
}

/* Kaplan-Meier per arm, with the landmark estimate at the study's landmark day. */
static int km_by_arm(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *base,
                     tlf_err *err)
{
    km_ci_type ci = KM_CI_LOGLOG;
    if (ctx->ci && km_ci_parse(ctx->ci, &ci) != 0)
        return tlf_err_set(err, TLF_EUSAGE, "unknown CI transform '%s'", ctx->ci);
    double landmark = ctx->study->landmark_day;
    const char *ARMS[2] = {arm_code(ctx, TLF_ARM_TREATED), arm_code(ctx, TLF_ARM_CONTROL)};
    double *t = xmalloc((d->n + 1) * sizeof *t);
    int *e = xmalloc((d->n + 1) * sizeof *e);
    int rc = TLF_OK;
    for (int a = 0; a < 2 && rc == TLF_OK; a++) {
        size_t m = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->arm[i] == a) {
                t[m] = d->aval[i];
                e[m++] = d->event[i];
            }
        tlf_ard_key key = *base;
        key.group = "ARMCD";
        key.group_level = ARMS[a];
        key.variable = "AVAL";
        if (m == 0) {
            /* every cell of the arm's column still has its record (n 0) */
            km_emit_ard_empty(ctx->ard, &key, ci, 0.95, &landmark, 1);
            continue;
        }
        km_curve *c = NULL;
        rc = km_fit(&c, t, e, NULL, m, ci, 0.95, err);
        if (rc == TLF_OK)
            km_emit_ard(ctx->ard, &key, c, &landmark, 1);
        km_curve_free(c);
    }
    free(t);
    free(e);
    return rc;
}

/* Why a two-arm log-rank test (df 0) has no p-value, as an ARD param. */
static const char *logrank_reason(const double *t, const int *e, const int *g, const int *s,
                                  size_t m)
{
    (void)t;
    size_t n_arm[2] = {0, 0}, n_ev = 0;
    for (size_t i = 0; i < m; i++) {
        n_arm[g[i] ? 1 : 0]++;
        n_ev += e[i] != 0;
    }
    if (m == 0)
        return "reason=no subjects";
    if (!n_arm[0] || !n_arm[1])
        return "reason=one arm has no subjects";
    if (n_ev == 0)
        return "reason=no events";
    if (s)
        return "reason=no stratum with events and subjects at risk in both arms";
    return "reason=no event time with subjects at risk in both arms";
}

/* Log-rank treated vs control; stratified by the study's stratum when
 * strat (subjects with an unknown stratum are left out of the stratified
 * test, and counted). */
static int logrank_arms(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *base,
                        int strat, tlf_err *err)
{
    double *t = xmalloc((d->n + 1) * sizeof *t);
    int *e = xmalloc((d->n + 1) * sizeof *e), *g = xmalloc((d->n + 1) * sizeof *g);
    int *s = xmalloc((d->n + 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (strat && d->stratum[i] < 0)
            continue;
        t[m] = d->aval[i];
        e[m] = d->event[i];
        g[m] = d->arm[i];
        s[m++] = d->stratum[i];
    }
    logrank_result *r = NULL;
    const char *ARMS[2] = {arm_code(ctx, TLF_ARM_TREATED), arm_code(ctx, TLF_ARM_CONTROL)};
    int rc = logrank_test(&r, t, e, g, 2, strat ? s : NULL, m, err);
    if (rc == TLF_OK) {
        tlf_ard_key key = *base;
        key.group = "ARMCD";
        key.group_level = NULL;
        key.variable = "AVAL";
        if (strat) {
            char *why = xasprintf("reason=%s missing", ctx->study->strata.name);
            tlf_ard_add_int(ctx->ard, &key, "n_excluded", why, (long long)(d->n - m));
            free(why);
        }
        /* df 0 (p missing): say why, as the Cox model does (ard.md) */
        if (r->df > 0)
            tlf_ard_add_int(ctx->ard, &key, "estimable", NULL, 1);
        else
            tlf_ard_add_int(ctx->ard, &key, "estimable",
                            logrank_reason(t, e, g, strat ? s : NULL, m), 0);
        logrank_emit_ard(ctx->ard, &key, ARMS, r);
    }
    logrank_result_free(r);
    free(t);
    free(e);
    free(g);
    free(s);
    return rc;
}

/* Event and censoring reasons per arm: n and pct of the arm's N. */
static int reasons(const analysis_ctx *ctx, const char *paramcd, const char *population,
                   const tlf_ard_key *base, tlf_err *err)
{
    const char *flag = strcmp(population, "PPS") == 0 ? "PPSFL" : "FASFL";
    char *arms = arms_where(ctx, "", flag);
    /* every event type the derivation can give, seen or not, so a type
     * no subject had is a row of 0 (shells: the zero "Death" row stays) */
    size_t nlev = 0;
    char **lev = derive_tte_event_levels(ctx->study, paramcd, &nlev);
    tlf_buf evs = {0};
    for (size_t i = 0; i < nlev; i++) {
        char *q = sqlite3_mprintf("%s(%Q)", i ? ", " : "", lev[i]);
        tlf_buf_puts(&evs, q);
        sqlite3_free(q);
        free(lev[i]);
    }
    free(lev);
    /* totals (variable CNSR, levels EVENT / CENSORED) then every reason
     * seen in either arm or possible, shown for both arms (0 where absent) */
    char *sql = xasprintf(
        "WITH t AS (SELECT CNSR, ARMCD, COALESCE(CASE WHEN CNSR = 0 THEN EVNTDESC "
        "ELSE CNSDTDSC END, '') AS lvl FROM ADTTE WHERE PARAMCD = ?1 AND "
        "%s), "
        "ev(lvl) AS (VALUES %s), "
        "r AS (SELECT CASE WHEN CNSR = 0 THEN 'EVNTDESC' ELSE 'CNSDTDSC' END AS var, lvl, "
        "CNSR > 0 AS blk, MIN(CNSR) AS code FROM t GROUP BY 1, 2 "
        "UNION SELECT 'EVNTDESC', lvl, 0, 0 FROM ev "
        "UNION ALL VALUES ('CNSR', 'EVENT', 0, -1), ('CNSR', 'CENSORED', 1, -1)), "
        "a(ARMCD, ord) AS (VALUES ('%s', 0), ('%s', 1)) "
        "SELECT a.ARMCD, r.var, r.lvl, "
        "(SELECT COUNT(*) FROM t WHERE t.ARMCD = a.ARMCD AND (t.CNSR > 0) = r.blk "
        "AND (r.var = 'CNSR' OR t.lvl = r.lvl)), "
        "(SELECT COUNT(*) FROM t WHERE t.ARMCD = a.ARMCD) "
        "FROM a CROSS JOIN r ORDER BY a.ord, r.blk, r.code, r.lvl", arms, tlf_buf_cstr(&evs),
        arm_code(ctx, TLF_ARM_TREATED), arm_code(ctx, TLF_ARM_CONTROL));
    free(arms);
    tlf_buf_free(&evs);
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(ctx->adam, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "ADTTE %s: %s", paramcd, sqlite3_errmsg(ctx->adam));
        goto done;
    }
    sqlite3_bind_text(st, 1, paramcd, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        tlf_ard_key key = *base;
        key.group = "ARMCD";
        key.group_level = (const char *)sqlite3_column_text(st, 0);
        key.variable = (const char *)sqlite3_column_text(st, 1);
        key.variable_level = (const char *)sqlite3_column_text(st, 2);
        long long n = sqlite3_column_int64(st, 3), N = sqlite3_column_int64(st, 4);
        tlf_ard_add_int(ctx->ard, &key, "n", NULL, n);
        tlf_ard_add_real(ctx->ard, &key, "pct", NULL, N ? 100.0 * (double)n / (double)N : 0.0);
    }
done:
    sqlite3_finalize(st);
    free(sql);
    return rc;
}

void tte_frame_make(tte_frame *f, const tte_data *d, const size_t *cols, size_t ncols,
                    int intercept)
{
    f->p = 1 + ncols;
    f->m = 0;
    f->t = xmalloc((d->n + 1) * sizeof *f->t);
    f->x = xmalloc((d->n + 1) * f->p * sizeof *f->x);
    f->e = xmalloc((d->n + 1) * sizeof *f->e);
    f->treated = xmalloc((d->n + 1) * sizeof *f->treated);
    for (size_t i = 0; i < d->n; i++) {
        const double *cv = d->cov + i * d->ncov;
        int complete = 1;
        for (size_t j = 0; j < ncols; j++)
            complete = complete && isfinite(cv[cols[j]]);
        if (!complete)
            continue;
        size_t m = f->m++;
        f->t[m] = d->aval[i];
        f->e[m] = d->event[i];
        f->treated[m] = d->arm[i] == 0;
        f->x[m * f->p] = intercept ? 1.0 : f->treated[m];
        for (size_t j = 0; j < ncols; j++)
            f->x[m * f->p + 1 + j] = cv[cols[j]];
    }
}

void tte_frame_free(tte_frame *f)
{
    free(f->t);
    free(f->x);
    free(f->e);
    free(f->treated);
    memset(f, 0, sizeof *f);
}

char *tte_no_data_reason(const analysis_ctx *ctx, const tte_data *d, const size_t *cols,
                         size_t ncols)
{
    for (size_t j = 0; j < ncols; j++) {
        size_t i = 0;
        while (i < d->n && !isfinite(d->cov[i * d->ncov + cols[j]]))
            i++;
        if (i == d->n) {
            const tlf_study_covariate *v = &ctx->study->covs[cols[j]];
            return xasprintf("reason=no value of covariate %s (%s) in any subject", v->name,
                             v->variable);
        }
    }
    return xstrdup("reason=no subjects with complete data");
}

int tte_cox(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *key,
            const size_t *cols, size_t ncols, tlf_err *err)
{
    const char **names = xmalloc((1 + ncols) * sizeof *names);
    char *armvar = xasprintf("ARMCD%s", arm_code(ctx, TLF_ARM_TREATED));
    names[0] = armvar;
    for (size_t j = 0; j < ncols; j++)
        names[1 + j] = ctx->study->covs[cols[j]].name;
    tte_frame f;
    tte_frame_make(&f, d, cols, ncols, 0);
    cox_options opt;
    cox_options_default(&opt);
    opt.ties = ctx->ties && strcmp(ctx->ties, "breslow") == 0 ? COX_BRESLOW : COX_EFRON;
    if (ctx->cox_min_events > 0)
        opt.min_events = ctx->cox_min_events;
    cox_result *r = NULL;
    int rc = TLF_OK;
    tlf_ard_key k = *key;
    k.group = NULL;
    k.group_level = NULL;
    if (ncols > 0) {
        k.variable = "model";
        tlf_ard_add_int(ctx->ard, &k, "n_excluded", "reason=covariate missing",
                        (long long)(d->n - f.m));
    }
    if (f.m == 0) {
        /* cox_fit refuses n = 0: nobody to model is a not-estimable model */
        char *why = tte_no_data_reason(ctx, d, cols, ncols);
        k.variable = "model";
        tlf_ard_add_int(ctx->ard, &k, "estimable", why, 0);
        tlf_ard_add_int(ctx->ard, &k, "n", NULL, 0);
        tlf_ard_add_int(ctx->ard, &k, "n_event", NULL, 0);
        free(why);
    } else if ((rc = cox_fit(&r, f.t, f.e, f.x, f.m, f.p, NULL, names, &opt, err)) == TLF_OK) {
        k.variable = NULL;
        cox_emit_ard(ctx->ard, &k, names, r);
    }
    cox_result_free(r);
    free(names);
    free(armvar);
    tte_frame_free(&f);
    return rc;
}

int analysis_tte(const analysis_ctx *ctx, const tte_spec *spec, tlf_err *err)
{
    tte_data d;
    int rc = tte_load(&d, ctx, spec->paramcd, spec->population, err);
    if (rc)
        return rc;
    char id[64];
    tlf_ard_key key = {spec->output_km, id, spec->population, NULL, NULL, NULL, NULL};
    snprintf(id, sizeof id, "%s_km", spec->prefix);
    rc = km_by_arm(ctx, &d, &key, err);
    key.output_id = spec->output_table;
    snprintf(id, sizeof id, "%s_evt", spec->prefix);
    if (rc == TLF_OK)
        rc = reasons(ctx, spec->paramcd, spec->population, &key, err);
    snprintf(id, sizeof id, "%s_logrank", spec->prefix);
    if (rc == TLF_OK)
        rc = logrank_arms(ctx, &d, &key, 0, err);
    snprintf(id, sizeof id, "%s_logrank_strat", spec->prefix);
    if (rc == TLF_OK)
        rc = logrank_arms(ctx, &d, &key, 1, err);
    snprintf(id, sizeof id, "%s_cox", spec->prefix);
    if (rc == TLF_OK && spec->cox)
        rc = tte_cox(ctx, &d, &key, NULL, 0, err);
    if (rc == TLF_OK && spec->cox_adj) {
        /* sap.md section 4: the study's cox_adjusted covariates */
        snprintf(id, sizeof id, "%s_cox_adj", spec->prefix);
        key.output_id = spec->output_adj;
        rc = tte_cox(ctx, &d, &key, ctx->study->cox_adj, ctx->study->n_cox_adj, err);
    }
    tte_data_free(&d);
    return rc;
}

/* The endpoints and analysis sets of sap.md section 6. */
static const tte_spec ENDPOINTS[] = {
    {"OS", "os", "FAS", "14.2.1.1;F14.2.1.1", "14.2.1.1", 1, 1, "14.2.1.2"},
    {"PFS", "pfs", "FAS", "14.2.2.1;F14.2.2.1", "14.2.2.1", 1, 0, NULL},
    {"TFF", "tff", "FAS", "14.2.3.1", "14.2.3.1", 1, 0, NULL},
    {"OS", "os", "PPS", "14.2.1.2", "14.2.1.2", 1, 0, NULL},
};

int analysis_time_to_event(const analysis_ctx *ctx, tlf_err *err)
{
    for (size_t i = 0; i < sizeof ENDPOINTS / sizeof ENDPOINTS[0]; i++) {
        int rc = analysis_tte(ctx, &ENDPOINTS[i], err);
        if (rc)
            return tlf_err_prefix(err, "%s in %s", ENDPOINTS[i].paramcd, ENDPOINTS[i].population);
    }
    return TLF_OK;
}
