/*
 * describe.h - descriptive statistics of a continuous variable (sap.md
 * section 4: n, mean, SD, SE, median, Q1, Q3, min, max). Stage: stats.
 */
#ifndef TLFGEN_STATS_DESCRIBE_H
#define TLFGEN_STATS_DESCRIBE_H

#include <stddef.h>

typedef struct describe_result {
    size_t n;
    double mean, sd, se;        /* sd, se NaN when n < 2   */
    double median, q1, q3;      /* R type 2 = SAS QNTLDEF=5 */
    double min, max;
} describe_result;

/*
 * Describe the n finite values of x (not modified). Missing values must be
 * removed by the caller. n = 0 gives n = 0 and NaN elsewhere. Returns 0, or
 * -1 when a value is not finite (out then NaN but n).
 */
int describe(const double *x, size_t n, describe_result *out);

/* Quantile of sorted[0..n-1] at prob by R's type 2 (inverse of the
 * empirical distribution with averaging at discontinuities). n >= 1. */
double quantile_type2(const double *sorted, size_t n, double prob);

#endif
