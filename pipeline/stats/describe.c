/*
 * describe.c - n, mean, SD, SE, median, quartiles, range (see describe.h).
 * Stage: stats. Quartiles by R's quantile(type = 2), the SAS default
 * QNTLDEF=5: with np = n p, j = floor(np), g = np - j (|g| below 4 eps
 * taken as 0, as R does): x(j+1) when g > 0, else (x(j) + x(j+1)) / 2.
 */
#include "stats/describe.h"

#include "core/mem.h"

#include <float.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double quantile_type2(const double *sorted, size_t n, double prob)
{
    double fuzz = 4.0 * DBL_EPSILON;
    double np = (double)n * prob;
    double j = floor(np + fuzz), h = np - j;
    if (fabs(h) < fuzz)
        h = 0.0;
    /* 1-based x(j) and x(j+1), clamped to the sample */
    size_t lo = j < 1 ? 0 : (size_t)j - 1, hi = (size_t)j < n ? (size_t)j : n - 1;
    if (h > 0.0 || sorted[lo] == sorted[hi])
        return sorted[hi];
    return 0.5 * sorted[lo] + 0.5 * sorted[hi];
}

int describe(const double *x, size_t n, describe_result *out)
{
    out->n = n;
    out->mean = out->sd = out->se = out->median = out->q1 = out->q3 = out->min = out->max = NAN;
    if (n == 0)
        return 0;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return -1;
        sum += x[i];
    }
    double *s = xmalloc(n * sizeof *s);
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    out->mean = sum / (double)n;
    if (n >= 2) {
        double ss = 0.0;
        for (size_t i = 0; i < n; i++)
            ss += (x[i] - out->mean) * (x[i] - out->mean);   /* two-pass variance */
        out->sd = sqrt(ss / (double)(n - 1));
        out->se = out->sd / sqrt((double)n);
    }
    out->min = s[0];
    out->max = s[n - 1];
    out->median = quantile_type2(s, n, 0.5);
    out->q1 = quantile_type2(s, n, 0.25);
    out->q3 = quantile_type2(s, n, 0.75);
    free(s);
    return 0;
}

int describe_decimals(double x)
{
    if (!isfinite(x))
        return 0;
    char text[64];
    snprintf(text, sizeof text, "%.15g", x);
    const char *point = strchr(text, '.'), *e = strchr(text, 'e');
    int dec = 0;
    if (point)
        dec = (int)((e ? e : text + strlen(text)) - point - 1);
    if (e)
        dec -= atoi(e + 1);   /* 1.5e-05: 1 digit, exponent -5 -> 6 places */
    return dec > 0 ? dec : 0;
}

int describe_max_decimals(const double *x, size_t n, int cap)
{
    int best = 0;
    for (size_t i = 0; i < n && best < cap; i++) {
        int d = describe_decimals(x[i]);
        if (d > best)
            best = d;
    }
    return best < cap ? best : cap;
}
