/*
 * logit.c - logistic regression by IRLS, as R's glm.fit (see logit.h).
 *
 * Stage: stats. Method (McCullagh & Nelder 1989, section 4.4): with
 * eta = X b, mu = 1/(1 + e^-eta), the working response
 * z = eta + (y - mu) / (mu (1 - mu)) and weights W = mu (1 - mu), each step
 * solves (X'WX) b = X'Wz by an LDL' Cholesky with tolerance (aliased
 * columns are reported). R's clamps are kept: the inverse link bounds
 * e^eta to [DBL_EPSILON, 1/DBL_EPSILON] and dmu/deta is DBL_EPSILON beyond
 * |eta| > 30, so the iterates follow glm's exactly.
 *
 * Separation (Albert & Anderson 1984): when no finite MLE exists the
 * deviance still converges (towards 0 for the separated subjects) while the
 * coefficients grow without bound; the fit then leaves subjects with
 * fitted probabilities within 1e-8 of their outcome, which is what is
 * checked (all of them: complete separation; some: quasi-complete).
 */
#include "stats/logit.h"

#include "core/mem.h"
#include "stats/linalg.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIT_EPS 1e-8
#define LOGIT_MAXIT 25
#define LOGIT_SEP_TOL 1e-8

void logit_result_free(logit_result *r)
{
    if (!r)
        return;
    free(r->coef);
    free(r->fitted);
    free(r);
}

/* exp(eta) where linkinv and mu_eta use it (|eta| <= -log(DBL_EPSILON)),
 * else 0: computed once per row and iteration and shared by the two
 * (three calls of exp were a third of a bootstrap's time; the values are
 * the same). */
static double exp_eta(double eta)
{
    double thresh = -log(DBL_EPSILON);
    return eta < -thresh || eta > thresh ? 0.0 : exp(eta);
}

static double linkinv(double eta, double ex)   /* R's C_logit_linkinv; ex = exp_eta(eta) */
{
    double thresh = -log(DBL_EPSILON);
    double t = eta < -thresh ? DBL_EPSILON : eta > thresh ? 1.0 / DBL_EPSILON : ex;
    return t / (1.0 + t);
}

static double mu_eta(double eta, double ex)    /* R's C_logit_mu_eta; ex = exp_eta(eta) */
{
    double opexp = 1.0 + ex;
    return (eta > 30.0 || eta < -30.0) ? DBL_EPSILON : ex / (opexp * opexp);
}

static double deviance(const double *y, const double *mu, size_t n)
{
    double dev = 0.0;   /* binomial deviance: 2 sum y log(y/mu) + (1-y) log((1-y)/(1-mu)) */
    for (size_t i = 0; i < n; i++)
        dev += 2.0 * (y[i] > 0.5 ? -log(mu[i]) : -log(1.0 - mu[i]));
    return dev;
}

int logit_fit(logit_result **out, const double *y, const double *x, size_t n, size_t p,
              const char *const *names, tlf_err *err)
{
    *out = NULL;
    if (n == 0 || p == 0)
        return tlf_err_set(err, TLF_EUSAGE, "logistic model needs at least one row and one column");
    double ysum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0.0 && y[i] != 1.0)
            return tlf_err_set(err, TLF_EDATA, "logistic model: response of row %zu is %g, not 0 or 1",
                               i + 1, y[i]);
        ysum += y[i];
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return tlf_err_set(err, TLF_EDATA, "logistic model: column %zu of row %zu is not finite",
                                   j + 1, i + 1);
    }
    logit_result *r = xcalloc(1, sizeof *r);
    r->n = n;
    r->p = p;
    r->coef = xmalloc((2 * p + p * p) * sizeof *r->coef);
    r->se = r->coef + p;
    r->var = r->coef + 2 * p;
    for (size_t k = 0; k < 2 * p + p * p; k++)
        r->coef[k] = NAN;
    r->fitted = xmalloc(n * sizeof *r->fitted);
    *out = r;

    double *eta = xmalloc((3 * n + 2 * p * p + 2 * p) * sizeof *eta);
    double *z = eta + n, *xtwx = z + n, *fac = xtwx + p * p, *xtwz = fac + p * p, *b = xtwz + p;
    double *ex = b + p;   /* exp_eta(eta[i]) */
    double *mu = r->fitted;
    double ybar = ysum / (double)n, nulldev = 0.0;
    for (size_t i = 0; i < n; i++)
        nulldev += 2.0 * (y[i] > 0.5 ? -log(ybar) : -log(1.0 - ybar));
    r->null_deviance = nulldev;
    if (ysum == 0.0 || ysum == (double)n) {
        snprintf(r->reason, sizeof r->reason, "every response is %d", ysum == 0.0 ? 0 : 1);
        r->separation = LOGIT_SEP_COMPLETE;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        mu[i] = (y[i] + 0.5) / 2.0;
        eta[i] = log(mu[i] / (1.0 - mu[i]));
        ex[i] = exp_eta(eta[i]);
    }
    double devold = deviance(y, mu, n), dev = devold;
    int iter;
    for (iter = 1; iter <= LOGIT_MAXIT; iter++) {
        memset(xtwx, 0, p * p * sizeof *xtwx);
        memset(xtwz, 0, p * sizeof *xtwz);
        /* restrict: the sums stay apart from the data, so the compiler
         * need not reload the row after every addition (the same
         * operations in the same order as written out in full) */
        double *restrict sxx = xtwx, *restrict sxz = xtwz;
        for (size_t i = 0; i < n; i++) {
            double me = mu_eta(eta[i], ex[i]), var = mu[i] * (1.0 - mu[i]);
            double w = me * me / var;                       /* IRLS weight */
            double zi = eta[i] + (y[i] - mu[i]) / me;       /* working response */
            z[i] = zi;
            const double *restrict xi = x + i * p;
            for (size_t j = 0; j < p; j++) {
                double wx = w * xi[j];                      /* w x_j, then times x_m or z */
                sxz[j] += wx * zi;
                double *restrict row = sxx + j * p;
                for (size_t m = 0; m <= j; m++)
                    row[m] += wx * xi[m];
            }
        }
        memcpy(fac, xtwx, p * p * sizeof *fac);
        int rank = linalg_chol(fac, p, 1e-11);
        if (rank < (int)p) {
            size_t j = 0;
            while (j < p && rank >= 0 && fac[j * p + j] != 0.0)
                j++;
            if (names && j < p)
                snprintf(r->reason, sizeof r->reason, "column %s is constant or collinear with the others",
                         names[j]);
            else
                snprintf(r->reason, sizeof r->reason, "design matrix is rank deficient");
            goto done;
        }
        memcpy(b, xtwz, p * sizeof *b);
        linalg_chol_solve(fac, p, b);
        for (size_t i = 0; i < n; i++) {
            double e = 0.0;
            for (size_t j = 0; j < p; j++)
                e += x[i * p + j] * b[j];
            eta[i] = e;
            ex[i] = exp_eta(e);
            mu[i] = linkinv(e, ex[i]);
        }
        dev = deviance(y, mu, n);
        if (!isfinite(dev)) {
            snprintf(r->reason, sizeof r->reason, "deviance is not finite at iteration %d", iter);
            goto done;
        }
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < LOGIT_EPS) {
            r->converged = 1;
            break;
        }
        devold = dev;
    }
    r->iterations = iter > LOGIT_MAXIT ? LOGIT_MAXIT : iter;
    r->deviance = dev;
    size_t at_bound = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(y[i] - mu[i]) < LOGIT_SEP_TOL)
            at_bound++;
    if (at_bound > 0) {
        r->separation = at_bound == n ? LOGIT_SEP_COMPLETE : LOGIT_SEP_QUASI;
        snprintf(r->reason, sizeof r->reason,
                 "%s separation: %zu of %zu subjects fitted with probability 0 or 1 "
                 "(no finite maximum likelihood estimate)",
                 at_bound == n ? "complete" : "quasi-complete", at_bound, n);
        goto done;
    }
    if (!r->converged) {
        snprintf(r->reason, sizeof r->reason, "no convergence in %d iterations", LOGIT_MAXIT);
        goto done;
    }
    /* covariance: (X'WX)^-1 of the last weighted fit, as summary.glm */
    memcpy(r->var, fac, p * p * sizeof *fac);
    linalg_chol_inverse(r->var, p);
    for (size_t j = 0; j < p; j++) {
        r->coef[j] = b[j];
        r->se[j] = sqrt(r->var[j * p + j]);
    }
    r->estimable = 1;

done:
    if (!r->estimable)
        for (size_t k = 0; k < 2 * p + p * p; k++)
            r->coef[k] = NAN;
    free(eta);
    return TLF_OK;
}
