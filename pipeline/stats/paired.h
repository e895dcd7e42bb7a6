/*
 * paired.h - change from baseline at week 52: paired t and Wilcoxon
 * signed-rank (sap.md section 4, continuous endpoints). Stage: stats.
 * Both take the n paired differences d = after - before.
 */
#ifndef TLFGEN_STATS_PAIRED_H
#define TLFGEN_STATS_PAIRED_H

#include <stddef.h>

typedef struct paired_t_result {
    size_t n;          /* differences used                          */
    double mean;       /* t_mean: mean difference                   */
    double se;         /* sd / sqrt(n)                              */
    double t, df;      /* statistic and degrees of freedom (n - 1)  */
    double lcl, ucl;   /* t_lcl, t_ucl: level CI of the mean        */
    double p;          /* t_p: two-sided                            */
} paired_t_result;

/*
 * Paired t test as R's t.test(x, y, paired = TRUE): t = mean / (sd/sqrt(n)),
 * CI mean -+ t_{n-1, (1+level)/2} se, p = 2 P(T > |t|). Needs n >= 2 and
 * finite d; returns 0, or -1 (out filled with NaN) when n < 2, a value is
 * not finite, or the differences are all equal (sd = 0: R stops with "data
 * are essentially constant").
 */
int paired_t(const double *d, size_t n, double level, paired_t_result *out);

/*
 * Wilcoxon signed-rank test as R's wilcox.test(x, y, paired = TRUE,
 * exact = FALSE, correct = TRUE): zero differences dropped, V = sum of the
 * ranks of |d| (mid-ranks for ties) of the positive differences, normal
 * approximation with tie-corrected variance and continuity correction.
 * *v gets V, *p the two-sided p. Returns 0, or -1 (NaN) when no non-zero
 * difference remains or a value is not finite.
 */
int wilcoxon_signed_rank(const double *d, size_t n, double *v, double *p);

#endif
