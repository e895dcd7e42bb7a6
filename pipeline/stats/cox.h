/*
 * cox.h - Cox proportional hazards regression (sap.md section 4).
 *
 * Stage: stats. Newton-Raphson on the partial likelihood with Efron (the
 * default) or Breslow handling of tied event times, optional strata, any
 * number of numeric covariates (categorical ones arrive dummy-coded from
 * stats/model_frame.h). Reproduces R survival's coxph (coxfit6.c): start at
 * beta = 0, covariates centred, step-halving when the log-likelihood
 * worsens, stop when |1 - loglik_old/loglik_new| <= 1e-9 (max 20
 * iterations), Cholesky with tolerance for the information matrix.
 *
 * A model that must not be reported as numbers (sap.md section 4) comes back
 * with estimable = 0 and a one-line reason, not as an error: fewer events
 * than the minimum, a binary covariate level with no events, covariates that
 * are collinear or constant (within strata), no convergence or a monotone
 * likelihood (a coefficient diverging to an infinite hazard ratio).
 */
#ifndef TLFGEN_STATS_COX_H
#define TLFGEN_STATS_COX_H

#include <stddef.h>

#include "ard/ard.h"
#include "core/err.h"

typedef enum cox_ties {
    COX_EFRON = 0,     /* Efron's approximation (R coxph default)      */
    COX_BRESLOW        /* Breslow's approximation (SAS PHREG default)  */
} cox_ties;

/* Whether rows sharing (stratum, time, status, covariates) are collapsed
 * into counted records before iterating (an exact rewrite of the partial
 * likelihood, see cox.c; the results agree with the row-wise fit to
 * rounding). AUTO collapses when at most half the rows are distinct. */
typedef enum cox_compress {
    COX_COMPRESS_AUTO = 0,   /* collapse when it pays (default)          */
    COX_COMPRESS_NEVER,      /* always iterate over the individual rows  */
    COX_COMPRESS_ALWAYS      /* always collapse (tests, benchmarks)      */
} cox_compress;

typedef struct cox_options {
    cox_ties ties;
    cox_compress compress;  /* row collapsing (default COX_COMPRESS_AUTO) */
    int min_events;     /* fewer events in total: not estimable (default 5) */
    double conf_level;  /* Wald CI level of the HR (default 0.95)           */
    int max_iter;       /* Newton-Raphson iterations (default 20, as R)     */
    double eps;         /* relative log-likelihood change (default 1e-9)    */
} cox_options;

/* Fill opt with the defaults above. */
void cox_options_default(cox_options *opt);

/* Everything the fit reports. Arrays have p entries (var p*p), owned by the
 * result; when estimable is 0 they hold NaN and only n, n_event, reason and
 * (when reached) loglik0 are meaningful. */
typedef struct cox_result {
    int estimable;          /* 1: numbers may be shown; 0: see reason     */
    char reason[192];       /* why not estimable ("" when estimable)      */
    size_t p, n, n_event;   /* covariates, subjects, events               */
    double *coef, *se, *hr, *hr_lcl, *hr_ucl, *p_wald;
    double *var;            /* p x p covariance of coef (inverse info)    */
    double conf_level;
    double loglik0, loglik; /* partial log-likelihood at 0 and at the MLE */
    double lr_chisq, wald_chisq, score_chisq;  /* each on p df            */
    double lr_p, wald_p, score_p;
    int iterations;         /* Newton-Raphson iterations used             */
    int converged;          /* 1 when the convergence rule was met        */
    size_t n_record;        /* rows or counted records iterated over      */
} cox_result;

/*
 * Fit the model.
 *   out      *out receives a new result (caller frees with cox_result_free)
 *   time     n follow-up times, finite
 *   event    n indicators, 1 = event, 0 = censored
 *   x        n x p covariates, row-major, finite (complete cases only)
 *   strata   n stratum codes 0..k-1 (small, >= 0) or NULL for none
 *   names    p covariate names used in reasons, or NULL
 *   opt      options or NULL for the defaults
 * Returns 0 (estimable or not: check (*out)->estimable) or TLF_EDATA /
 * TLF_EUSAGE with err set for invalid input (non-finite value, event not
 * 0/1, negative stratum code, p = 0, n = 0), in which case *out is NULL.
 */
int cox_fit(cox_result **out, const double *time, const int *event, const double *x,
            size_t n, size_t p, const int *strata, const char *const *names,
            const cox_options *opt, tlf_err *err);
void cox_result_free(cox_result *r);   /* accepts NULL */

/*
 * Append ard.md's Cox rows to ard under key (its group and group_level are
 * used as given, normally empty; variable is set per row): per covariate
 * (variable = names[j]) coef, se, hr, hr_lcl, hr_ucl, p_wald; then model
 * rows (variable "model") estimable (param reason=... when 0), n, n_event,
 * lr_chisq, wald_chisq, score_chisq, loglik. When not estimable only the
 * estimable, n and n_event rows are written. A CI level other than 95% adds
 * level=... to the hr_lcl/hr_ucl params.
 */
void cox_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const char *const *names,
                  const cox_result *r);

#endif
