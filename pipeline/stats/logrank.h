/*
 * logrank.h - the log-rank test for k groups, optionally stratified, as R's
 * survdiff(Surv(time, status) ~ group + strata(s)) computes it (rho = 0).
 *
 * Stage: statistics (sap.md section 4: log-rank TAC vs HC, and stratified
 * by onset). Ownership: logrank_test allocates the result; free it with
 * logrank_result_free. Inputs are not copied.
 */
#ifndef TLFGEN_STATS_LOGRANK_H
#define TLFGEN_STATS_LOGRANK_H

#include <stddef.h>

#include "core/err.h"

typedef struct logrank_result {
    size_t k;            /* groups                                           */
    double *observed;    /* k: events per group (summed over strata)         */
    double *expected;    /* k: sum over event times of n_g * d / n           */
    double *var;         /* k*k row-major: the hypergeometric variance of O-E */
    double chisq;        /* (O-E)' V^- (O-E) over groups with expected > 0   */
    int df;              /* groups with expected > 0, minus 1 (0: no test)   */
    double p;            /* upper tail of chi-square(df); NaN when df = 0    */
} logrank_result;

/*
 * Run the test.
 *
 *   out     out  the result (NULL on error)
 *   time    in   n finite times
 *   event   in   n indicators, 1 = event, 0 = censored
 *   group   in   n codes 0..k-1
 *   k       in   number of groups (>= 1)
 *   strata  in   n codes 0..s-1, or NULL for one stratum; O, E and V are
 *                summed over strata (each stratum has its own risk sets)
 *   n       in   rows
 *
 * The chi-square uses a generalised inverse of V restricted to the groups
 * with expected > 0 and without the first of them (R drops one group and
 * solves); a singular remainder contributes only its estimable part.
 * Returns 0, or TLF_EDATA naming the first bad row.
 */
int logrank_test(logrank_result **out, const double *time, const int *event, const int *group,
                 size_t k, const int *strata, size_t n, tlf_err *err);
void logrank_result_free(logrank_result *r);   /* accepts NULL */

#endif
