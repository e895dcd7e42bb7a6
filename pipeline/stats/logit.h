/*
 * logit.h - logistic regression by iteratively reweighted least squares
 * (the propensity score model of sap.md section 4).
 *
 * Stage: stats. Reproduces R's glm(family = binomial) (glm.fit): start at
 * mu = (y + 0.5) / 2, IRLS until |dev - dev_old| / (|dev| + 0.1) < 1e-8 or
 * 25 iterations, standard errors from the last weighted fit's (X'WX)^-1.
 * Complete or quasi-complete separation (no finite maximum likelihood
 * estimate) is detected and reported as not estimable with the reason.
 */
#ifndef TLFGEN_STATS_LOGIT_H
#define TLFGEN_STATS_LOGIT_H

#include <stddef.h>

#include "core/err.h"

typedef enum logit_separation {
    LOGIT_SEP_NONE = 0,
    LOGIT_SEP_QUASI,       /* some subjects fitted at exactly 0 or 1          */
    LOGIT_SEP_COMPLETE     /* every subject fitted at its outcome             */
} logit_separation;

/* Arrays owned by the result. When estimable is 0, coef/se/var hold NaN;
 * fitted holds the last iterate (meaningless under separation). */
typedef struct logit_result {
    int estimable;         /* 1: coefficients may be shown             */
    char reason[192];      /* why not ("" when estimable)              */
    size_t n, p;
    double *coef, *se;     /* p each                                   */
    double *var;           /* p x p covariance of coef                 */
    double *fitted;        /* n fitted probabilities                   */
    double deviance, null_deviance;
    int iterations, converged;
    logit_separation separation;
} logit_result;

/*
 * Fit P(y = 1) = 1 / (1 + exp(-x b)).
 *   out    receives a new result (logit_result_free)
 *   y      n outcomes, each 0 or 1
 *   x      n x p design, row-major, intercept column included by the caller
 *   names  p column names for reasons, or NULL
 * Returns 0 (check estimable) or TLF_EDATA/TLF_EUSAGE for invalid input
 * (y not 0/1, non-finite x, n or p 0); *out is NULL then.
 */
int logit_fit(logit_result **out, const double *y, const double *x, size_t n, size_t p,
              const char *const *names, tlf_err *err);
void logit_result_free(logit_result *r);   /* accepts NULL */

/*
 * A design as its distinct rows: n_pat patterns (y, x row) and, per row of
 * the data, its pattern. A bootstrap resample is a list of patterns (those
 * of the rows drawn), fitted by logit_fit_rows without copying rows; the
 * fit works out each pattern's contribution once (see logit.c).
 */
typedef struct logit_design {
    size_t n, p, n_pat;
    double *y;             /* n_pat outcomes                           */
    double *x;             /* n_pat x p, row-major                     */
    size_t *row_pat;       /* n: the pattern of each row of the data   */
} logit_design;

/* The design of y and x as logit_fit takes them; TLF_EDATA/TLF_EUSAGE as
 * logit_fit for invalid input (d is then empty). */
int logit_design_make(logit_design *d, const double *y, const double *x, size_t n, size_t p,
                      tlf_err *err);
void logit_design_free(logit_design *d);

/* logit_fit on the n rows whose patterns are row_pat[0..n): the same
 * result, bit for bit, as logit_fit on those rows written out. */
int logit_fit_rows(logit_result **out, const logit_design *d, const size_t *row_pat, size_t n,
                   const char *const *names, tlf_err *err);

#endif
