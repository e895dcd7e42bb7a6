/*
 * iptw.h - propensity-score weighting, average treatment effect in the
 * treated (sap.md section 4, sensitivity analysis of OS).
 *
 * Stage: stats. The propensity score is the logistic regression of the
 * treated arm (1) on the covariates (stats/logit.h); ATT weights are 1 for
 * the treated and ps / (1 - ps) for the controls. Reported: the weight
 * distribution per arm (min, median, max), Austin's standardised mean
 * differences before and after weighting, and the weighted Kaplan-Meier
 * estimate per arm at a landmark with a percentile bootstrap CI.
 *
 * Bootstrap (deterministic): B resamples drawn with replacement within each
 * arm (so each resample keeps the arm sizes), using this module's own
 * xoshiro256** generator seeded by splitmix64 from the given seed, so the
 * same seed gives the same interval on every platform. Each resample
 * re-estimates the propensity model and the weights (the CI then carries
 * the uncertainty of the score); a resample whose model is not estimable
 * (separation) is left out and counted in boot_failed. The limits are R's
 * quantile(type = 7) of the estimates at (1 -+ level) / 2.
 */
#ifndef TLFGEN_STATS_IPTW_H
#define TLFGEN_STATS_IPTW_H

#include <stddef.h>
#include <stdint.h>

#include "ard/ard.h"
#include "core/err.h"
#include "stats/logit.h"

typedef struct iptw_options {
    double landmark;     /* day of the KM estimate (the study's landmark) */
    int n_boot;          /* bootstrap resamples (sap.md: 2000); 0: none */
    uint64_t seed;       /* bootstrap seed (config)                     */
    double conf_level;   /* 0.95                                        */
} iptw_options;

typedef struct iptw_arm {
    size_t n;
    double w_min, w_median, w_max;     /* ATT weights in the arm         */
    double surv_at, lcl_at, ucl_at;    /* weighted KM at the landmark    */
} iptw_arm;

/* Owned arrays: weight (n), smd_before/smd_after (p, NaN for the
 * intercept column). arm[0] is the control arm, arm[1] the treated. */
typedef struct iptw_result {
    int estimable;            /* 0: see reason; only ps (reason) is set */
    char reason[192];
    size_t n, p;
    logit_result *ps;         /* the propensity model                   */
    double *weight;           /* n ATT weights                          */
    double *smd_before, *smd_after;
    iptw_arm arm[2];
    int n_boot, boot_failed;  /* resamples asked, resamples left out    */
    int km_estimable;         /* 0: an arm's follow-up ends before the
                                 landmark with S above 0 (sap.md section
                                 4): no weighted KM, no bootstrap; reason
                                 in km_reason                           */
    char km_reason[96];
} iptw_result;

/*
 * Fit the propensity model and everything above.
 *   time, event  n survival data (event 1/0)
 *   treated      n arm flags, 1 = treated (TAC), 0 = control (HC)
 *   x            n x p design with the intercept column first
 *   names        p column names (for reasons)
 * Returns 0 (check estimable: a propensity model with separation or an arm
 * without subjects is not estimable) or a TLF_E* code with err set for
 * invalid input (then *out is NULL).
 */
int iptw_fit(iptw_result **out, const double *time, const int *event, const int *treated,
             const double *x, size_t n, size_t p, const char *const *names,
             const iptw_options *opt, tlf_err *err);
void iptw_result_free(iptw_result *r);   /* accepts NULL */

/* Standardised mean difference of column x between treated and control
 * rows, weighted by w (NULL = unweighted): (m1 - m0) / sqrt((v1 + v0) / 2)
 * with v = p(1 - p) for a 0/1 column and the (weighted) sample variance
 * otherwise (Austin 2009). NaN when a group is empty or both variances 0. */
double iptw_smd(const double *x, size_t stride, const int *treated, const double *w, size_t n);

/*
 * ARD rows (ard.md): under ps_key (analysis ps_model) per covariate
 * (variable = names[j], intercept included for coef/se) coef, se, then
 * smd_before, smd_after per covariate, then w_min, w_median, w_max per arm
 * (group = group_col, group_level = levels[arm]); under km_key (analysis
 * os_km_iptw) per arm surv_at, lcl_at, ucl_at with param
 * t=<landmark>;method=bootstrap;b=<B>. When not estimable, one row
 * `estimable` = 0 with reason=... under each key. When only the weighted
 * KM is not (km_estimable 0), the ps_model rows as usual and under km_key
 * `estimable` = 0 (reason=no treated|control subject followed to day N)
 * with the per-arm values empty.
 */
void iptw_emit_ard(tlf_ard *ard, const tlf_ard_key *ps_key, const tlf_ard_key *km_key,
                   const char *group_col, const char *const levels[2],
                   const char *const *names, const iptw_options *opt, const iptw_result *r);

#endif
