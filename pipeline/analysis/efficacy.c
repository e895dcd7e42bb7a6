/*
 * efficacy.c - time-to-event analyses of OS, PFS and TFF (sap.md sections
 * 3-4; outputs 14.2.1.1-14.2.3.1 and Figures 14.2.1.1, 14.2.2.1).
 *
 * Stage: ARD. Reads ADTTE (PARAMCD, AVAL, CNSR, ARMCD, FASFL, PPSFL, HCFL,
 * ONSET, EVNTDESC, CNSDTDSC). Per endpoint and analysis set (FAS primary,
 * PPS sensitivity for OS), each arm against the historical controls:
 * Kaplan-Meier per arm with the estimate at the study's landmark day
 * (<ep>_km), event and censoring reasons (<ep>_evt), log-rank treated arm
 * vs control unstratified (<ep>_logrank) and stratified by onset
 * (<ep>_logrank_strat), Cox treated vs control (<ep>_cox, covariate
 * ARMCD<treated code>, the control the reference; ties and minimum events
 * from the profile) and for OS in the FAS the adjusted Cox (os_cox_adj:
 * age, sex, myositis type DM/CADM vs PM, anti-MDA5 positive vs not; rows
 * feed 14.2.1.2). Event/censoring rows start with the totals (variable
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


const char *const TTE_COV_NAMES[TTE_NCOV] = {"AGE", "SEXM", "MYOTYPEDMCADM", "MDA5ABPOS",
                                             "IPCOURSEACUTE"};

/* A 0/1 covariate from a text column: 1 when it is one of ones, 0 when one
 * of zeros, NaN otherwise (missing or an unexpected value). */
static double code01(const char *v, const char *ones, const char *zeros)
{
    if (!v || !*v)
        return NAN;
    char pat[64];
    snprintf(pat, sizeof pat, "|%s|", v);
    if (strstr(ones, pat))
        return 1;
    if (strstr(zeros, pat))
        return 0;
    return NAN;
}

void tte_data_free(tte_data *d)
{
    if (!d)
        return;
    free(d->aval);
    free(d->event);
    free(d->arm);
    free(d->onset);
    free(d->cov);
    memset(d, 0, sizeof *d);
}

int tte_load(tte_data *d, const analysis_ctx *ctx, const char *paramcd, const char *population,
             tlf_err *err)
{
    memset(d, 0, sizeof *d);
    sqlite3 *adam = ctx->adam;
    const char *flag = strcmp(population, "PPS") == 0 ? "PPSFL" : "FASFL";
    char *arms = arms_where(ctx, "", flag);
    char *sql = xasprintf(
        "SELECT AVAL, CNSR, ARMCD, ONSET, USUBJID, AGE, SEX, MYOTYPE, MDA5AB, IPCOURSE FROM ADTTE WHERE PARAMCD = ?1 AND "
        "%s ORDER BY USUBJID", arms);
    free(arms);
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
            d->onset = xreallocarray(d->onset, cap, sizeof *d->onset);
            d->cov = xreallocarray(d->cov, cap * TTE_NCOV, sizeof *d->cov);
        }
        if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_type(st, 1) == SQLITE_NULL) {
            rc = tlf_err_set(err, TLF_EDATA, "ADTTE %s, USUBJID %s: AVAL or CNSR is missing",
                             paramcd, (const char *)sqlite3_column_text(st, 4));
            goto done;
        }
        const char *arm = (const char *)sqlite3_column_text(st, 2);
        const char *onset = (const char *)sqlite3_column_text(st, 3);
        d->aval[d->n] = sqlite3_column_double(st, 0);
        d->event[d->n] = sqlite3_column_int(st, 1) == 0;
        d->arm[d->n] = arm_index(ctx, arm) == 0 ? 0 : 1;
        d->onset[d->n] = !onset ? -1 : strcmp(onset, "NEW") == 0 ? 0 : strcmp(onset, "RELAPSE") == 0 ? 1 : -1;
        double *cv = d->cov + d->n * TTE_NCOV;
        cv[TTE_AGE] = sqlite3_column_type(st, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 5);
        cv[TTE_SEXM] = code01((const char *)sqlite3_column_text(st, 6), "|M|", "|F|");
        cv[TTE_MYODC] = code01((const char *)sqlite3_column_text(st, 7), "|DM|CADM|", "|PM|");
        cv[TTE_MDA5POS] = code01((const char *)sqlite3_column_text(st, 8), "|POSITIVE|",
                                 "|NEGATIVE|NOT DONE|");
        cv[TTE_IPACUTE] = code01((const char *)sqlite3_column_text(st, 9), "|ACUTE|", "|CHRONIC|");
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

/* Log-rank TAC vs HC; stratified by onset when strat (subjects with an
 * unknown onset are left out of the stratified test, and counted). */
static int logrank_arms(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *base,
                        int strat, tlf_err *err)
{
    double *t = xmalloc((d->n + 1) * sizeof *t);
    int *e = xmalloc((d->n + 1) * sizeof *e), *g = xmalloc((d->n + 1) * sizeof *g);
    int *s = xmalloc((d->n + 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (strat && d->onset[i] < 0)
            continue;
        t[m] = d->aval[i];
        e[m] = d->event[i];
        g[m] = d->arm[i];
        s[m++] = d->onset[i];
    }
    logrank_result *r = NULL;
    const char *ARMS[2] = {arm_code(ctx, TLF_ARM_TREATED), arm_code(ctx, TLF_ARM_CONTROL)};
    int rc = logrank_test(&r, t, e, g, 2, strat ? s : NULL, m, err);
    if (rc == TLF_OK) {
        tlf_ard_key key = *base;
        key.group = "ARMCD";
        key.group_level = NULL;
        key.variable = "AVAL";
        if (strat)
            tlf_ard_add_int(ctx->ard, &key, "n_excluded", "reason=onset missing",
                            (long long)(d->n - m));
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

int tte_cox(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *key,
            const int *cols, size_t ncols, tlf_err *err)
{
    size_t p = 1 + ncols;
    const char **names = xmalloc(p * sizeof *names);
    char *armvar = xasprintf("ARMCD%s", arm_code(ctx, TLF_ARM_TREATED));
    names[0] = armvar;
    for (size_t j = 0; j < ncols; j++)
        names[1 + j] = TTE_COV_NAMES[cols[j]];
    double *t = xmalloc((d->n + 1) * sizeof *t), *x = xmalloc((d->n + 1) * p * sizeof *x);
    int *e = xmalloc((d->n + 1) * sizeof *e);
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        int complete = 1;
        for (size_t j = 0; j < ncols; j++)
            complete = complete && isfinite(d->cov[i * TTE_NCOV + cols[j]]);
        if (!complete)
            continue;
        t[m] = d->aval[i];
        e[m] = d->event[i];
        x[m * p] = d->arm[i] == 0 ? 1.0 : 0.0;
        for (size_t j = 0; j < ncols; j++)
            x[m * p + 1 + j] = d->cov[i * TTE_NCOV + cols[j]];
        m++;
    }
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
                        (long long)(d->n - m));
    }
    if (m == 0) {
        /* cox_fit refuses n = 0: nobody to model is a not-estimable model */
        k.variable = "model";
        tlf_ard_add_int(ctx->ard, &k, "estimable", "reason=no subjects with complete data", 0);
        tlf_ard_add_int(ctx->ard, &k, "n", NULL, 0);
        tlf_ard_add_int(ctx->ard, &k, "n_event", NULL, 0);
    } else if ((rc = cox_fit(&r, t, e, x, m, p, NULL, names, &opt, err)) == TLF_OK) {
        k.variable = NULL;
        cox_emit_ard(ctx->ard, &k, names, r);
    }
    cox_result_free(r);
    free(names);
    free(armvar);
    free(t);
    free(x);
    free(e);
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
        /* sap.md section 4: age, sex, myositis type, anti-MDA5 */
        static const int adj[] = {TTE_AGE, TTE_SEXM, TTE_MYODC, TTE_MDA5POS};
        snprintf(id, sizeof id, "%s_cox_adj", spec->prefix);
        key.output_id = spec->output_adj;
        rc = tte_cox(ctx, &d, &key, adj, sizeof adj / sizeof adj[0], err);
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
