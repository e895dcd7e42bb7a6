/*
 * logrank.c - k-sample log-rank test (see logrank.h).
 *
 * Stage: statistics; sap.md section 4. Method as R survival's survdiff2.c
 * with rho = 0: walk the rows time-sorted within stratum, absorb tied times,
 * and at each event time with d events among n at risk (n_g in group g) add
 *   E_g += n_g d / n
 *   V_gh += d (n - d) / (n (n - 1)) * n_g (delta_gh - n_h / n)   (n > 1)
 * Chi-square = (O - E)' V^- (O - E) with one group dropped.
 */
#include "stats/logrank.h"
#include "stats/order.h"
#include "core/mem.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void logrank_result_free(logrank_result *r)
{
    if (!r)
        return;
    free(r->observed);   /* one block: observed, expected, var */
    free(r);
}

/*
 * Quadratic form u' A^- u for a symmetric non-negative definite m x m
 * matrix a (overwritten), by an LDL' factorisation that sets pivots below
 * tol * (largest diagonal) to zero, as R's cholesky2/chsolve2 do.
 */
static double quad_ginv(double *a, const double *u, size_t m, double *work)
{
    double eps = 0;
    for (size_t i = 0; i < m; i++)
        if (fabs(a[i * m + i]) > eps)
            eps = fabs(a[i * m + i]);
    eps *= 1e-9;
    /* L stored below the diagonal, D on it */
    for (size_t i = 0; i < m; i++) {
        double piv = a[i * m + i];
        if (!(piv > eps)) {
            a[i * m + i] = 0;
            for (size_t j = i + 1; j < m; j++)
                a[j * m + i] = 0;
            continue;
        }
        for (size_t j = i + 1; j < m; j++) {
            double t = a[j * m + i] / piv;
            for (size_t l = j; l < m; l++)   /* column i still undivided here */
                a[l * m + j] -= t * a[l * m + i];
        }
        for (size_t j = i + 1; j < m; j++)
            a[j * m + i] /= piv;
    }
    /* solve L y = u, then q = sum y_i^2 / D_i over nonzero pivots */
    memcpy(work, u, m * sizeof *work);
    double q = 0;
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < i; j++)
            work[i] -= a[i * m + j] * work[j];
        if (a[i * m + i] > 0)
            q += work[i] * work[i] / a[i * m + i];
    }
    return q;
}

int logrank_test(logrank_result **out, const double *time, const int *event, const int *group,
                 size_t k, const int *strata, size_t n, tlf_err *err)
{
    *out = NULL;
    int rc = TLF_OK;
    size_t *idx = NULL;
    double *scratch = NULL;
    logrank_result *r = NULL;
    size_t nstrata = 1;

    if (k == 0)
        return tlf_err_set(err, TLF_EUSAGE, "log-rank test needs at least one group");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return tlf_err_set(err, TLF_EDATA, "row %zu: time %g is not finite", i, time[i]);
        if (event[i] != 0 && event[i] != 1)
            return tlf_err_set(err, TLF_EDATA, "row %zu: event %d is not 0 or 1", i, event[i]);
        if (group[i] < 0 || (size_t)group[i] >= k)
            return tlf_err_set(err, TLF_EDATA, "row %zu: group %d is not in 0..%zu", i, group[i],
                               k - 1);
        if (strata && strata[i] < 0)
            return tlf_err_set(err, TLF_EDATA, "row %zu: stratum %d is negative", i, strata[i]);
        if (strata && (size_t)strata[i] + 1 > nstrata)
            nstrata = (size_t)strata[i] + 1;
    }

    r = xcalloc(1, sizeof *r);
    r->k = k;
    r->observed = xcalloc(k * (k + 2), sizeof *r->observed);
    r->expected = r->observed + k;
    r->var = r->observed + 2 * k;

    idx = xmalloc((n ? n : 1) * sizeof *idx);
    stats_order(idx, time, n);
    if (strata)
        stats_order_by_code(idx, strata, nstrata, n);

    /* per group: at risk, events at the current time */
    scratch = xcalloc(4 * k + 2, sizeof *scratch);
    double *risk = scratch, *dg = scratch + k, *u = scratch + 2 * k, *work = scratch + 3 * k;

    size_t p = 0;
    while (p < n) {
        /* one stratum: rows p..end-1 */
        size_t end = p;
        int s = strata ? strata[idx[p]] : 0;
        memset(risk, 0, k * sizeof *risk);
        while (end < n && (!strata || strata[idx[end]] == s)) {
            risk[group[idx[end]]] += 1;
            end++;
        }
        double n_risk = (double)(end - p);
        while (p < end) {
            double t = time[idx[p]];
            size_t q = p;
            double d = 0, leaving = 0;
            memset(dg, 0, k * sizeof *dg);
            for (; q < end && time[idx[q]] == t; q++) {
                size_t i = idx[q];
                if (event[i]) {
                    dg[group[i]] += 1;
                    d += 1;
                }
                leaving += 1;
            }
            if (d > 0) {
                for (size_t g = 0; g < k; g++) {
                    r->observed[g] += dg[g];
                    r->expected[g] += risk[g] * d / n_risk;
                }
                if (n_risk > 1) {
                    double kt = d * (n_risk - d) / (n_risk * (n_risk - 1));
                    for (size_t g = 0; g < k; g++) {
                        if (risk[g] == 0)
                            continue;
                        double tg = kt * risk[g];
                        r->var[g * k + g] += tg;
                        for (size_t h = 0; h < k; h++)
                            r->var[g * k + h] -= tg * risk[h] / n_risk;
                    }
                }
            }
            for (size_t j = p; j < q; j++)
                risk[group[idx[j]]] -= 1;
            n_risk -= leaving;
            p = q;
        }
    }

    /* groups with expected > 0; drop the first of them */
    size_t *keep = xmalloc(k * sizeof *keep);
    size_t m = 0;
    for (size_t g = 0; g < k; g++)
        if (r->expected[g] > 0)
            keep[m++] = g;
    r->df = m >= 1 ? (int)m - 1 : 0;
    r->chisq = 0;
    if (m >= 2) {
        size_t mm = m - 1;
        double *a = xmalloc(mm * mm * sizeof *a);
        for (size_t i = 0; i < mm; i++) {
            u[i] = r->observed[keep[i + 1]] - r->expected[keep[i + 1]];
            for (size_t j = 0; j < mm; j++)
                a[i * mm + j] = r->var[keep[i + 1] * k + keep[j + 1]];
        }
        r->chisq = quad_ginv(a, u, mm, work);
        free(a);
    }
    free(keep);
    r->p = r->df > 0 ? gsl_cdf_chisq_Q(r->chisq, r->df) : NAN;
    if (!isfinite(r->chisq)) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "log-rank chi-square is not finite");
        goto done;
    }
    *out = r;
    r = NULL;
done:
    free(idx);
    free(scratch);
    logrank_result_free(r);
    return rc;
}
