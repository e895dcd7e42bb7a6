/*
 * binom.h - confidence intervals for a binomial proportion (sap.md
 * section 4, binary endpoints).
 *
 * Stage: stats. Clopper-Pearson (exact, R's binom.test) by default, Wilson
 * score without continuity correction (R's prop.test(correct = FALSE)) as
 * the configurable alternative.
 */
#ifndef TLFGEN_STATS_BINOM_H
#define TLFGEN_STATS_BINOM_H

/*
 * x successes of n trials (0 <= x <= n, n > 0, whole numbers), two-sided
 * level (e.g. 0.95) in (0, 1). Writes the limits to *lcl, *ucl; x = 0 gives
 * lcl = 0 and x = n gives ucl = 1 exactly. Returns 0, or -1 for invalid
 * arguments (limits then NaN).
 */
int binom_clopper_pearson(double x, double n, double level, double *lcl, double *ucl);
int binom_wilson(double x, double n, double level, double *lcl, double *ucl);

#endif
