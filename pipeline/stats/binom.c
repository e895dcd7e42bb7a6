/*
 * binom.c - Clopper-Pearson and Wilson intervals (see binom.h).
 * Stage: stats. Formulas cited where implemented; GSL for the beta and
 * normal quantiles.
 */
#include "stats/binom.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static int valid(double x, double n, double level)
{
    return isfinite(x) && isfinite(n) && n > 0 && x >= 0 && x <= n && x == floor(x) &&
           n == floor(n) && level > 0 && level < 1;
}

/* The beta quantile. GSL's Newton refinement fails to converge for a small
 * shape a against a large b (x = 5 of n = 20,000): with GSL's error
 * handler off (cli/main.c) it returns NaN, and the quantile is then found
 * by bisection on the beta CDF, which is monotone, to the last bit. */
static double beta_quantile(double p, double a, double b)
{
    double q = gsl_cdf_beta_Pinv(p, a, b);
    if (isfinite(q))
        return q;
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 2000; i++) {
        double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi)
            break;
        if (gsl_cdf_beta_P(mid, a, b) < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2.0;
}

int binom_clopper_pearson(double x, double n, double level, double *lcl, double *ucl)
{
    *lcl = *ucl = NAN;
    if (!valid(x, n, level))
        return -1;
    double alpha = 1.0 - level;
    /* Clopper & Pearson (1934): lcl = Beta^-1(alpha/2; x, n-x+1),
     * ucl = Beta^-1(1-alpha/2; x+1, n-x); 0 and 1 at the boundaries. */
    *lcl = x == 0 ? 0.0 : beta_quantile(alpha / 2.0, x, n - x + 1.0);
    *ucl = x == n ? 1.0 : beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x);
    return 0;
}

int binom_wilson(double x, double n, double level, double *lcl, double *ucl)
{
    *lcl = *ucl = NAN;
    if (!valid(x, n, level))
        return -1;
    /* Wilson (1927), as prop.test(correct = FALSE):
     * (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), clamped to [0, 1]. */
    double z = gsl_cdf_ugaussian_Pinv((1.0 + level) / 2.0);
    double phat = x / n, z22n = z * z / (2.0 * n);
    double centre = phat + z22n, half = z * sqrt(phat * (1.0 - phat) / n + z22n / (2.0 * n));
    double denom = 1.0 + 2.0 * z22n;
    *lcl = x == 0 ? 0.0 : fmax(0.0, (centre - half) / denom);
    *ucl = x == n ? 1.0 : fmin(1.0, (centre + half) / denom);
    return 0;
}
