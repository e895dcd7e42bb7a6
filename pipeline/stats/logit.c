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
#include <stdint.h>
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

/* A hash of a pattern's bits (the outcome and the row of x), a 64-bit word
 * at a time: multiply by the golden-ratio constant and fold the high half
 * down (Knuth's multiplicative hashing, TAOCP 3, 6.4). */
static uint64_t pattern_hash(double y, const double *x, size_t p)
{
    uint64_t h = 0, u;
    for (size_t j = 0; j <= p; j++) {
        memcpy(&u, j ? &x[j - 1] : &y, sizeof u);
        h = (h ^ u) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 32;
    }
    return h;
}

int logit_design_make(logit_design *d, const double *y, const double *x, size_t n, size_t p,
                      tlf_err *err)
{
    memset(d, 0, sizeof *d);
    if (n == 0 || p == 0)
        return tlf_err_set(err, TLF_EUSAGE, "logistic model needs at least one row and one column");
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0.0 && y[i] != 1.0)
            return tlf_err_set(err, TLF_EDATA, "logistic model: response of row %zu is %g, not 0 or 1",
                               i + 1, y[i]);
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return tlf_err_set(err, TLF_EDATA, "logistic model: column %zu of row %zu is not finite",
                                   j + 1, i + 1);
    }
    /* Open addressing on the bytes (so -0.0 and 0.0 stay apart and each
     * pattern's arithmetic is that of its rows); patterns numbered in
     * order of first appearance. */
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = xmalloc(cap * sizeof *slot);
    for (size_t k = 0; k < cap; k++)
        slot[k] = SIZE_MAX;
    d->p = p;
    d->n = n;
    d->y = xmalloc(n * sizeof *d->y);
    d->x = xmalloc(n * p * sizeof *d->x);
    d->row_pat = xmalloc(n * sizeof *d->row_pat);
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * p;
        size_t k = (size_t)pattern_hash(y[i], xi, p) & (cap - 1);
        while (slot[k] != SIZE_MAX) {
            size_t q = slot[k];
            if (memcmp(&d->y[q], &y[i], sizeof y[i]) == 0 &&
                memcmp(d->x + q * p, xi, p * sizeof *xi) == 0)
                break;
            k = (k + 1) & (cap - 1);
        }
        if (slot[k] == SIZE_MAX) {
            slot[k] = d->n_pat;
            d->y[d->n_pat] = y[i];
            memcpy(d->x + d->n_pat * p, xi, p * sizeof *xi);
            d->n_pat++;
        }
        d->row_pat[i] = slot[k];
    }
    free(slot);
    return TLF_OK;
}

void logit_design_free(logit_design *d)
{
    free(d->y);
    free(d->x);
    free(d->row_pat);
    memset(d, 0, sizeof *d);
}

int logit_fit(logit_result **out, const double *y, const double *x, size_t n, size_t p,
              const char *const *names, tlf_err *err)
{
    *out = NULL;
    logit_design d;
    int rc = logit_design_make(&d, y, x, n, p, err);
    if (rc == TLF_OK)
        rc = logit_fit_rows(out, &d, d.row_pat, n, names, err);
    logit_design_free(&d);
    return rc;
}

/* Sum of a per-pattern value over the rows, in row order. */
static double row_sum(const double *per_pat, const size_t *row_pat, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += per_pat[row_pat[i]];
    return s;
}

/* Each row's binomial deviance term 2 (y log(y/mu) + (1-y) log((1-y)/(1-mu))),
 * per pattern into dv. */
static void deviance_terms(const double *y, const double *mu, size_t n_pat, double *dv)
{
    for (size_t q = 0; q < n_pat; q++)
        dv[q] = 2.0 * (y[q] > 0.5 ? -log(mu[q]) : -log(1.0 - mu[q]));
}

/* The q = p + p(p+1)/2 terms a row with IRLS weight w, working response z
 * and covariates x adds to X'Wz and to the lower triangle of X'WX, in the
 * order the sums are laid out: per column j, w x_j z, then w x_j x_m for
 * m <= j. Written to t, or (add) added to it. */
static inline void row_terms(double w, double z, const double *x, size_t p,
                             double *restrict t, int add)
{
    for (size_t j = 0; j < p; j++) {
        double wx = w * x[j];                      /* w x_j, then times z or x_m */
        *t = add ? *t + wx * z : wx * z;
        t++;
        for (size_t m = 0; m <= j; m++, t++)
            *t = add ? *t + wx * x[m] : wx * x[m];
    }
}

/* Where sum_rows finds a row's terms: worked out once per pattern
 * (table), or, when patterns hardly repeat (a continuous covariate), from
 * the row's pattern's w and z as it is added, since a table of every
 * pattern would be as large as the data and read back from memory. */
enum { SUM_LANES = 8, SUM_ROWS = 128 };

typedef struct row_term_src {
    size_t p, stride;             /* stride: q rounded up to SUM_LANES, padding 0 */
    const double *x, *w, *z;      /* per pattern */
    const double *table;          /* per pattern x stride, or NULL */
} row_term_src;

/* sum[c] = sum over rows i, in order, of row i's term c. From a table, a
 * block of SUM_LANES sums at a time stays in registers over a run of
 * SUM_ROWS rows instead of going to memory and back for every row; the
 * run's terms stay in cache from one block to the next. */
static void sum_rows(double *sum, const row_term_src *src, const size_t *row_pat, size_t n)
{
    size_t stride = src->stride;
    memset(sum, 0, stride * sizeof *sum);
    if (!src->table) {
        for (size_t i = 0; i < n; i++) {
            size_t k = row_pat[i];
            row_terms(src->w[k], src->z[k], src->x + k * src->p, src->p, sum, 1);
        }
        return;
    }
    for (size_t i0 = 0; i0 < n; i0 += SUM_ROWS) {
        size_t i1 = n - i0 < SUM_ROWS ? n : i0 + SUM_ROWS;
        for (size_t c0 = 0; c0 < stride; c0 += SUM_LANES) {
            double acc[SUM_LANES];
            memcpy(acc, sum + c0, sizeof acc);
            for (size_t i = i0; i < i1; i++) {
                const double *t = src->table + row_pat[i] * stride + c0;
                for (size_t c = 0; c < SUM_LANES; c++)
                    acc[c] += t[c];
            }
            memcpy(sum + c0, acc, sizeof acc);
        }
    }
}

/*
 * The rows of a design repeat a few patterns (categorical covariates,
 * whole-year ages; a bootstrap resample draws rows of the same design), so
 * what a row contributes (exp, log, its weighted cross-products) is worked
 * out once per pattern and only the sums run over the rows. Each sum still
 * adds its terms one row at a time in row order, and each term is the
 * value the row itself gives, so the result is bit for bit that of a loop
 * over the rows (with contracted multiply-adds off, as CMakeLists.txt
 * sets).
 */
int logit_fit_rows(logit_result **out, const logit_design *d, const size_t *row_pat, size_t n,
                   const char *const *names, tlf_err *err)
{
    *out = NULL;
    size_t p = d->p, np = d->n_pat;
    if (n == 0 || p == 0)
        return tlf_err_set(err, TLF_EUSAGE, "logistic model needs at least one row and one column");
    const double *y = d->y, *x = d->x;
    double ysum = 0.0;
    for (size_t i = 0; i < n; i++)
        ysum += y[row_pat[i]];
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

    /* per pattern: eta, exp_eta, mu, deviance term, IRLS weight, working
     * response and the q = p + p(p+1)/2 terms a row adds to X'Wz and the
     * lower triangle of X'WX; per fit: the q sums, X'WX (factored in
     * place) and the coefficients */
    size_t q_n = p + p * (p + 1) / 2, q_pad = (q_n + SUM_LANES - 1) / SUM_LANES * SUM_LANES;
    int by_pattern = n >= 4 * np;   /* patterns repeat: terms once per pattern */
    size_t n_term = by_pattern ? np : 0;
    double *eta = xcalloc(6 * np + n_term * q_pad + q_pad + p * p + p, sizeof *eta);
    double *ex = eta + np, *mu = ex + np, *dv = mu + np, *wk = dv + np, *zk = wk + np;
    double *term = zk + np, *sum = term + n_term * q_pad, *fac = sum + q_pad, *b = fac + p * p;
    row_term_src src = {p, q_pad, x, wk, zk, by_pattern ? term : NULL};
    double ybar = ysum / (double)n, nulldev = 0.0;
    double null_term[2] = {2.0 * -log(1.0 - ybar), 2.0 * -log(ybar)};
    for (size_t i = 0; i < n; i++)
        nulldev += null_term[y[row_pat[i]] > 0.5];
    r->null_deviance = nulldev;
    for (size_t k = 0; k < np; k++)
        mu[k] = (y[k] + 0.5) / 2.0;
    if (ysum == 0.0 || ysum == (double)n) {
        snprintf(r->reason, sizeof r->reason, "every response is %d", ysum == 0.0 ? 0 : 1);
        r->separation = LOGIT_SEP_COMPLETE;
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        eta[k] = log(mu[k] / (1.0 - mu[k]));
        ex[k] = exp_eta(eta[k]);
    }
    deviance_terms(y, mu, np, dv);
    double devold = row_sum(dv, row_pat, n), dev = devold;
    int iter;
    for (iter = 1; iter <= LOGIT_MAXIT; iter++) {
        for (size_t k = 0; k < np; k++) {
            double me = mu_eta(eta[k], ex[k]), var = mu[k] * (1.0 - mu[k]);
            wk[k] = me * me / var;                          /* IRLS weight */
            zk[k] = eta[k] + (y[k] - mu[k]) / me;           /* working response */
            if (by_pattern)
                row_terms(wk[k], zk[k], x + k * p, p, term + k * q_pad, 0);
        }
        sum_rows(sum, &src, row_pat, n);
        /* unpack: X'Wz into b, the lower triangle of X'WX into fac */
        memset(fac, 0, p * p * sizeof *fac);
        for (size_t j = 0, c = 0; j < p; j++) {
            b[j] = sum[c++];
            for (size_t m = 0; m <= j; m++)
                fac[j * p + m] = sum[c++];
        }
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
        linalg_chol_solve(fac, p, b);
        for (size_t k = 0; k < np; k++) {
            double e = 0.0;
            for (size_t j = 0; j < p; j++)
                e += x[k * p + j] * b[j];
            eta[k] = e;
            ex[k] = exp_eta(e);
            mu[k] = linkinv(e, ex[k]);
        }
        deviance_terms(y, mu, np, dv);
        dev = row_sum(dv, row_pat, n);
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
        at_bound += fabs(y[row_pat[i]] - mu[row_pat[i]]) < LOGIT_SEP_TOL;
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
    for (size_t i = 0; i < n; i++)
        r->fitted[i] = mu[row_pat[i]];   /* the last iterate */
    if (!r->estimable)
        for (size_t k = 0; k < 2 * p + p * p; k++)
            r->coef[k] = NAN;
    free(eta);
    return TLF_OK;
}
