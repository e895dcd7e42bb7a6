/*
 * eff_iptw.c - propensity-score weighted sensitivity analysis of OS
 * (sap.md section 4; outputs 14.2.1.2 and 14.2.1.3).
 *
 * Stage: ARD. OS in the FAS (treated arm) and the control from ADTTE; the
 * propensity model is the logistic regression of treated (1) vs control
 * (0) on the study's propensity_score covariates (study.json "models"),
 * complete cases; ATT weights; SMDs before and after
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
    const size_t *cols = ctx->study->ps, nc = ctx->study->n_ps;
    /* levels[0] control, levels[1] treated */
    const char *levels[2] = {arm_code(ctx, TLF_ARM_CONTROL), arm_code(ctx, TLF_ARM_TREATED)};
    tte_data d;
    int rc = tte_load(&d, ctx, "OS", "FAS", err);
    if (rc)
        return tlf_err_prefix(err, "propensity score");
    const char **names = xmalloc((1 + nc) * sizeof *names);
    names[0] = "(Intercept)";
    for (size_t j = 0; j < nc; j++)
        names[1 + j] = ctx->study->covs[cols[j]].name;
    tte_frame f;
    tte_frame_make(&f, &d, cols, nc, 1);
    size_t n_arm[2] = {0, 0};
    for (size_t i = 0; i < f.m; i++)
        n_arm[f.treated[i]]++;
    tlf_ard_key ps_key = {"14.2.1.3", "ps_model", "FAS", NULL, NULL, "model", NULL};
    tlf_ard_key km_key = {"14.2.1.2", "os_km_iptw", "FAS", NULL, NULL, "AVAL", NULL};
    tlf_ard_add_int(ctx->ard, &ps_key, "n", NULL, (long long)f.m);
    tlf_ard_add_int(ctx->ard, &ps_key, "n_excluded", "reason=covariate missing",
                    (long long)(d.n - f.m));
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
    if (f.m == 0) {
        char *why = tte_no_data_reason(ctx, &d, cols, nc);
        tlf_ard_add_int(ctx->ard, &ps_key, "estimable", why, 0);
        tlf_ard_add_int(ctx->ard, &km_key, "estimable", why, 0);
        free(why);
    } else if ((rc = iptw_fit(&r, f.t, f.e, f.treated, f.x, f.m, f.p, names, &opt, err)) ==
               TLF_OK) {
        iptw_emit_ard(ctx->ard, &ps_key, &km_key, "ARMCD", levels, names, &opt, r);
        if (r->estimable)
            tlf_ard_add_int(ctx->ard, &km_key, "boot_failed", NULL, r->boot_failed);
    } else {
        tlf_err_prefix(err, "propensity score");
    }
    iptw_result_free(r);
    tte_data_free(&d);
    tte_frame_free(&f);
    free(names);
    return rc;
}
