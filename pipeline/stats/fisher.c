/*
 * fisher.c - Fisher's exact test, 2x2, two-sided (see fisher.h).
 *
 * Stage: stats. Method as R's fisher.test: with m = a + c (first column),
 * n = b + d, k = a + b (first row), a follows the hypergeometric law
 * P(a) = C(m,a) C(n,k-a) / C(m+n,k) on max(0, k-n) .. min(k, m); the
 * probabilities are formed on the log scale (GSL's lnchoose), scaled by the
 * largest, and p = sum of P(i) over i with P(i) <= P(a) (1 + 1e-7).
 */
#include "stats/fisher.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>

double fisher_2x2_p(long a, long b, long c, long d)
{
    if (a < 0 || b < 0 || c < 0 || d < 0)
        return NAN;
    long m = a + c, n = b + d, k = a + b;
    long lo = k - n > 0 ? k - n : 0, hi = k < m ? k : m;
    if (lo == hi)
        return 1.0;
    double lmax = -INFINITY;
    for (long i = lo; i <= hi; i++) {
        double l = gsl_sf_lnchoose((unsigned)m, (unsigned)i) + gsl_sf_lnchoose((unsigned)n, (unsigned)(k - i));
        if (l > lmax)
            lmax = l;
    }
    double obs = exp(gsl_sf_lnchoose((unsigned)m, (unsigned)a) +
                     gsl_sf_lnchoose((unsigned)n, (unsigned)(k - a)) - lmax);
    double total = 0.0, tail = 0.0, rel = 1.0 + 1e-7;
    for (long i = lo; i <= hi; i++) {
        double pr = exp(gsl_sf_lnchoose((unsigned)m, (unsigned)i) +
                        gsl_sf_lnchoose((unsigned)n, (unsigned)(k - i)) - lmax);
        total += pr;
        if (pr <= obs * rel)
            tail += pr;
    }
    double p = tail / total;
    return p > 1.0 ? 1.0 : p;
}
