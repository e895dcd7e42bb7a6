/*
 * eff_iptw.c - propensity-score weighted sensitivity analysis of OS
 * (sap.md section 4; outputs 14.2.1.2 and 14.2.1.3).
 *
 * Stage: ARD. OS in the FAS (TAC) and HC from ADTTE; the propensity model
 * is the logistic regression of TAC (1) vs HC (0) on age, sex, myositis
 * type (DM or CADM vs PM), IP course (acute vs chronic) and anti-MDA5
 * (positive vs not), complete cases; ATT weights; SMDs before and after
 * weighting; weighted KM at the landmark with a percentile bootstrap CI
 * (B and seed from the profile). Rows (stats/iptw.h, ard.md): ps_model
 * (14.2.1.3) and os_km_iptw (14.2.1.2; the weight distribution also feeds
 * 14.2.1.2). A model that cannot be fitted (separation, too few subjects)
 * gives estimable 0 with the reason under both ids. ps_model also carries
 * model rows n, n_excluded (reason=covariate missing) and per arm n.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "analysis/efficacy.h"
#include "core/mem.h"
#include "stats/iptw.h"

#include <math.h>
#include <stdlib.h>

int analysis_ps(const analysis_ctx *ctx, tlf_err *err)
{
    static const int cols[] = {TTE_AGE, TTE_SEXM, TTE_MYODC, TTE_IPACUTE, TTE_MDA5POS};
    enum { NC = sizeof cols / sizeof cols[0], P = NC + 1 };
    /* levels[0] control, levels[1] treated */
    const char *levels[2] = {arm_code(ctx, TLF_ARM_CONTROL), arm_code(ctx, TLF_ARM_TREATED)};
    tte_data d;
    int rc = tte_load(&d, ctx, "OS", "FAS", err);
    if (rc)
        return tlf_err_prefix(err, "propensity score");
    const char *names[P] = {"(Intercept)"};
    for (int j = 0; j < NC; j++)
        names[1 + j] = TTE_COV_NAMES[cols[j]];
    double *t = xmalloc((d.n + 1) * sizeof *t), *x = xmalloc((d.n + 1) * P * sizeof *x);
    int *e = xmalloc((d.n + 1) * sizeof *e), *tr = xmalloc((d.n + 1) * sizeof *tr);
    size_t m = 0, n_arm[2] = {0, 0};
    for (size_t i = 0; i < d.n; i++) {
        int complete = 1;
        for (int j = 0; j < NC; j++)
            complete = complete && isfinite(d.cov[i * TTE_NCOV + cols[j]]);
        if (!complete)
            continue;
        t[m] = d.aval[i];
        e[m] = d.event[i];
        tr[m] = d.arm[i] == 0;
        n_arm[tr[m]]++;
        x[m * P] = 1.0;
        for (int j = 0; j < NC; j++)
            x[m * P + 1 + j] = d.cov[i * TTE_NCOV + cols[j]];
        m++;
    }
    tlf_ard_key ps_key = {"14.2.1.3", "ps_model", "FAS", NULL, NULL, "model", NULL};
    tlf_ard_key km_key = {"14.2.1.2", "os_km_iptw", "FAS", NULL, NULL, "AVAL", NULL};
    tlf_ard_add_int(ctx->ard, &ps_key, "n", NULL, (long long)m);
    tlf_ard_add_int(ctx->ard, &ps_key, "n_excluded", "reason=covariate missing",
                    (long long)(d.n - m));
    ps_key.group = "ARMCD";
    for (int g = 1; g >= 0; g--) {
        ps_key.group_level = levels[g];
        tlf_ard_add_int(ctx->ard, &ps_key, "n", NULL, (long long)n_arm[g]);
    }
    /* estimable 0 is a model row (variable model), as for the Cox models */
    ps_key.group = ps_key.group_level = NULL;
    iptw_options opt = {ctx->study->landmark_day,
                        ctx->bootstrap_resamples, (uint64_t)ctx->bootstrap_seed, 0.95};
    iptw_result *r = NULL;
    if (m == 0) {
        tlf_ard_add_int(ctx->ard, &ps_key, "estimable", "reason=no subjects with complete data", 0);
        tlf_ard_add_int(ctx->ard, &km_key, "estimable", "reason=no subjects with complete data", 0);
    } else if ((rc = iptw_fit(&r, t, e, tr, x, m, P, names, &opt, err)) == TLF_OK) {
        iptw_emit_ard(ctx->ard, &ps_key, &km_key, "ARMCD", levels, names, &opt, r);
        if (r->estimable)
            tlf_ard_add_int(ctx->ard, &km_key, "boot_failed", NULL, r->boot_failed);
    } else {
        tlf_err_prefix(err, "propensity score");
    }
    iptw_result_free(r);
    tte_data_free(&d);
    free(t);
    free(x);
    free(e);
    free(tr);
    return rc;
}
