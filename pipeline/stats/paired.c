/*
 * paired.c - paired t and Wilcoxon signed-rank tests (see paired.h).
 * Stage: stats. GSL for the t and normal distributions and the sort.
 */
#include "stats/paired.h"

#include "core/mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

int paired_t(const double *d, size_t n, double level, paired_t_result *out)
{
    out->n = n;
    out->mean = out->se = out->t = out->df = out->lcl = out->ucl = out->p = NAN;
    if (n < 2 || !(level > 0 && level < 1))
        return -1;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(d[i]))
            return -1;
        sum += d[i];
    }
    double mean = sum / (double)n, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (d[i] - mean) * (d[i] - mean);       /* two-pass variance */
    double sd = sqrt(ss / (double)(n - 1));
    double se = sd / sqrt((double)n);
    out->mean = mean;
    if (!(se > 10.0 * 2.220446049250313e-16 * fabs(mean)))
        return -1;                                 /* R: data essentially constant */
    double df = (double)(n - 1);
    double t = mean / se;                          /* t = mean / (sd / sqrt(n)) */
    double q = gsl_cdf_tdist_Pinv((1.0 + level) / 2.0, df);
    out->se = se;
    out->t = t;
    out->df = df;
    out->lcl = mean - q * se;
    out->ucl = mean + q * se;
    out->p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
    return 0;
}

int wilcoxon_signed_rank(const double *d, size_t n, double *v, double *p)
{
    *v = *p = NAN;
    double *a = xmalloc((n + 1) * sizeof *a);
    size_t *ord = xmalloc((n + 1) * sizeof *ord);
    int *pos = xmalloc((n + 1) * sizeof *pos);
    int rc = -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(d[i]))
            goto done;
        if (d[i] != 0.0) {                          /* zero differences dropped */
            a[m] = fabs(d[i]);
            pos[m++] = d[i] > 0.0;
        }
    }
    if (m == 0)
        goto done;
    gsl_sort_index(ord, a, 1, m);
    double vsum = 0.0, ties = 0.0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && a[ord[j + 1]] == a[ord[i]])
            j++;
        double rank = (double)(i + j + 2) / 2.0;    /* mid-rank of positions i..j */
        double t = (double)(j - i + 1);
        ties += t * t * t - t;
        for (size_t k = i; k <= j; k++)
            if (pos[ord[k]])
                vsum += rank;
        i = j + 1;
    }
    double nn = (double)m;
    /* z = (V - n(n+1)/4 - 0.5 sign) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48) */
    double z = vsum - nn * (nn + 1.0) / 4.0;
    double sigma = sqrt(nn * (nn + 1.0) * (2.0 * nn + 1.0) / 24.0 - ties / 48.0);
    double correction = z > 0 ? 0.5 : z < 0 ? -0.5 : 0.0;
    *v = vsum;
    if (!(sigma > 0.0)) {
        *p = NAN;
        goto done;
    }
    z = (z - correction) / sigma;
    double lower = gsl_cdf_ugaussian_P(z), upper = gsl_cdf_ugaussian_Q(z);
    *p = fmin(1.0, 2.0 * fmin(lower, upper));
    rc = 0;

done:
    free(a);
    free(ord);
    free(pos);
    return rc;
}
