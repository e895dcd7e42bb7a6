/*
 * km.h - Kaplan-Meier estimate of a survival curve, as R's survival package
 * (3.5-3) computes it: survfit(Surv(time, status) ~ 1), summary(fit,
 * times=, extend=TRUE) and quantile.survfit.
 *
 * Stage: statistics (sap.md section 4: Kaplan-Meier with Greenwood
 * variance, CIs on the log-log/log/plain scale, landmark estimates,
 * quartiles with Brookmeyer-Crowley intervals, case weights).
 *
 * Ownership: km_fit allocates the curve; the caller frees it with
 * km_curve_free. Inputs are never copied or modified.
 */
#ifndef TLFGEN_STATS_KM_H
#define TLFGEN_STATS_KM_H

#include <stddef.h>

#include "core/err.h"

typedef enum km_ci_type {
    KM_CI_LOG,      /* exp(log S +- z se(log S)), upper clipped at 1 (R conf.type="log") */
    KM_CI_LOGLOG,   /* on log(-log S) (R "log-log", SAS default); NA where S is 0 or 1 */
    KM_CI_PLAIN     /* S +- z se(S), clipped to [0, 1] (R "plain") */
} km_ci_type;

/* "log", "loglog" (also "log-log") or "plain" into *out; 0, or -1 if unknown. */
int km_ci_parse(const char *name, km_ci_type *out);
/* "log", "loglog" or "plain": the name used in ARD params (ci=...). */
const char *km_ci_name(km_ci_type ci);

typedef enum km_variance {
    KM_VAR_AUTO = 0,   /* R's default: ROBUST when some weight is not an integer, else GREENWOOD */
    KM_VAR_GREENWOOD,  /* Greenwood on the (weighted) counts */
    KM_VAR_ROBUST      /* infinitesimal jackknife, one cluster per row (R robust=TRUE) */
} km_variance;

typedef struct km_curve {
    size_t n_times;  /* distinct times with an event or a censoring (zero-weight rows included, as R) */
    /* Each of length n_times, time ascending; counts are weighted sums when weights are given. */
    double *time, *n_risk, *n_event, *n_censor;
    double *surv;      /* S(t), right-continuous                                   */
    double *se_surv;   /* standard error of S (Greenwood: S*sqrt(sum d/(n(n-d)))); NaN where S=0 */
    double *lcl, *ucl; /* pointwise CI of S; NaN where R gives NA/NaN              */
    double *std_log;   /* standard error of log S used by the CI (R's fit$std.err for Greenwood) */
    double n;               /* number of rows (R's fit$n; not weighted)             */
    double n_event_total;   /* sum of n_event (weighted)                            */
    double n_censor_total;  /* sum of n_censor (weighted)                           */
    km_ci_type ci;
    double conf_level;      /* e.g. 0.95                                            */
    km_variance variance;   /* GREENWOOD or ROBUST, as resolved from AUTO           */
} km_curve;

/*
 * Fit a Kaplan-Meier curve.
 *
 *   out        out  the curve (NULL on error); free with km_curve_free
 *   time       in   n finite times (any sign; the CLI rejects negatives)
 *   event      in   n indicators: 1 = event, 0 = censored
 *   weight     in   n finite case weights >= 0, or NULL for all 1
 *   n          in   rows (0 gives a curve with no times)
 *   ci         in   CI transform
 *   conf_level in   in (0, 1), e.g. 0.95
 *
 * Ties: at one time every event is counted before the censorings (n_risk
 * includes those censored at that time). Returns 0, or TLF_EDATA naming the
 * first bad row (0-based) / TLF_EUSAGE for a bad conf_level.
 */
int km_fit(km_curve **out, const double *time, const int *event, const double *weight,
           size_t n, km_ci_type ci, double conf_level, tlf_err *err);
/* km_fit with the variance chosen explicitly. R decides ROBUST for the whole
 * survfit call (all groups), so a caller fitting groups one at a time passes
 * the decision it made over all rows (km_weights_need_robust). */
int km_fit_ex(km_curve **out, const double *time, const int *event, const double *weight,
              size_t n, km_ci_type ci, double conf_level, km_variance variance, tlf_err *err);
/* R's rule: 1 when any weight is not an integer (weight may be NULL: 0). */
int km_weights_need_robust(const double *weight, size_t n);
void km_curve_free(km_curve *c);   /* accepts NULL */

/* A landmark, as summary(fit, times=t, extend=TRUE): S, its SE and CI at
 * the last curve time <= t (before the first time: S=1, se=0, CI 1..1;
 * past the last time: the last values); n_risk = the number at risk at the
 * first curve time >= t, 0 past the last time. */
typedef struct km_point { double t, surv, se, lcl, ucl, n_risk; } km_point;
void km_at(const km_curve *c, double t, km_point *out);

/*
 * S(t) alone, as km_fit and km_at give it (the same bits: the same sums in
 * the same order), for rows already in time order: idx[0..n) as
 * stats_order (or a stable counting sort by time rank) gives it. For a
 * bootstrap, which needs one number per resample and not the curve, its
 * variance and CI. Rejects what km_fit rejects, with the same message;
 * *surv is then left alone.
 */
int km_surv_at_ordered(const double *time, const int *event, const double *weight,
                       const size_t *idx, size_t n, double t, double *surv, tlf_err *err);

/* The p-quantile of the survival time (p = 0.5: median; 0.25: where S
 * first reaches 0.75) with its CI, as quantile.survfit: the time where 1-S
 * (resp. 1-lcl, 1-ucl) first reaches p within sqrt(DBL_EPSILON); when the
 * curve sits exactly at p over an interval, the midpoint of that interval.
 * Values are NaN when not reached. p in [0, 1]. */
typedef struct km_quant { double p, est, lcl, ucl; } km_quant;
void km_quantile(const km_curve *c, double p, km_quant *out);

#endif
