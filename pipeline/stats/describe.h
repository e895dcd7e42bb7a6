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

/*
 * Decimal places of x as stored: the digits after the point of its %.15g
 * text (15 significant digits, so binary noise such as 0.1 + 0.2 reads as
 * 0.3), an exponent shifting them (1.5e-05 has 6); 0 for an integer or a
 * non-finite value. Used for the "dp" display convention (sap.md section 4:
 * mean/median with dp+1, SD/SE dp+2, min/max dp decimals).
 */
int describe_decimals(double x);

/* The largest describe_decimals of x[0..n), capped at cap; 0 when n = 0. */
int describe_max_decimals(const double *x, size_t n, int cap);

#endif
