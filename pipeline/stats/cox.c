/*
 * cox.c - Cox proportional hazards by Newton-Raphson (see cox.h).
 *
 * Stage: stats. Method: Cox's partial likelihood with Efron's or Breslow's
 * tie handling (Therneau & Grambsch 2000, ch. 3), the iteration of R
 * survival's coxfit6.c: beta starts at 0, covariates are centred at their
 * means (the partial likelihood is unchanged by the shift), each Newton step
 * solves I(beta) d = U(beta) by an LDL' Cholesky with tolerance, a step that
 * lowers the log-likelihood is halved, and iteration stops when
 * |1 - l_old / l_new| <= eps with no halving pending. The score test is
 * U(0)' I(0)^-1 U(0), the Wald test b' I(b) b, LR 2 (l(b) - l(0)).
 *
 * One loop shape (coxfit6): rows sorted by stratum then time ascending are
 * walked from the last backwards, so the risk set only grows; all rows tied
 * at a time join the risk set before that time's events are processed; the
 * running sums reset at each stratum boundary. Sorting is an LSD radix sort
 * on the times (stats/order.h), then by stratum code, linear in n.
 *
 * Counted records. At each distinct event time t of a stratum, with risk
 * set R(t), deaths D(t), d = |D(t)| and risk scores r_i = exp(x_i'b), the
 * Efron terms are
 *   loglik  sum_D x_i'b - sum_{k<d} log(S0 - (k/d) E0)
 *   score   sum_D x_i   - sum_{k<d} (S1 - (k/d) E1) / (S0 - (k/d) E0)
 *   info    sum_{k<d} [(S2 - (k/d) E2) / (S0 - (k/d) E0) - xbar_k xbar_k']
 * with S0, S1, S2 = sums over R(t) of r, r x, r x x' and E0, E1, E2 the same
 * over D(t) (Breslow: k/d replaced by 0). The data enter only through these
 * sums, d, and sum_D x_i. Rows with the same (stratum, time, status, x)
 * have the same r and x and belong to exactly the same R(t) and D(t) for
 * every t, so w such rows contribute w times one row's terms to every sum:
 * replacing them by one record of weight w (S0 += w r, E0 += w r, d += w,
 * sum_D x_i += w x_i, ...) gives the same likelihood, score and
 * information; Efron's correction needs only d and E0..E2, which are the
 * weighted sums over the event records. Only the order and grouping of the
 * floating-point additions change. Each time's log-likelihood terms are
 * summed on their own before joining the total: adding a million terms one
 * by one to a total of about -5e6 loses about 5e-6 (1e-12 relative), which
 * the LR statistic, a difference of two such totals, shows at 1e-9.
 * With an arm covariate and whole-day times a million rows become a few
 * thousand records, so each Newton pass costs little beyond the per-death
 * Efron loop; the rows are collapsed by one hashing pass before sorting, and
 * the few records are then sorted instead of the rows.
 */
#include "stats/cox.h"

#include "core/buf.h"
#include "core/mem.h"
#include "stats/linalg.h"
#include "stats/order.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cox_options_default(cox_options *opt)
{
    opt->ties = COX_EFRON;
    opt->compress = COX_COMPRESS_AUTO;
    opt->min_events = 5;
    opt->conf_level = 0.95;
    opt->max_iter = 20;
    opt->eps = 1e-9;
}

void cox_result_free(cox_result *r)
{
    if (!r)
        return;
    free(r->coef);   /* one block holds every array */
    free(r);
}

/* Scratch for one fit: the data (rows or counted records) in sorted order,
 * centred. */
typedef struct cox_work {
    size_t n, p;
    const double *time;   /* sorted times                          */
    const int *event;     /* sorted events                         */
    const int *stratum;   /* sorted stratum codes, NULL for none   */
    const double *x;      /* sorted, centred covariates, n x p     */
    const double *wt;     /* sorted record counts, NULL: all 1     */
    cox_ties ties;
    double *a, *a2, *cmat, *cmat2, *xbar;   /* p, p, p*p, p*p, p   */
} cox_work;

/*
 * Log partial likelihood, score U and information I at beta (centred scale).
 *   w      the sorted data and scratch
 *   beta   p coefficients
 *   u, imat  outputs p and p x p (may be NULL together to get only loglik)
 * Returns the log-likelihood, -INFINITY when exp(eta) overflows.
 */
static double cox_pass(cox_work *w, const double *beta, double *u, double *imat)
{
    size_t n = w->n, p = w->p;
    double loglik = 0.0;
    /* exp() is the costly step; a covariate with few values (an arm) gives
     * few distinct eta, so the last two (eta, e^eta) pairs are remembered. */
    double cache_eta[2] = {NAN, NAN}, cache_risk[2] = {0.0, 0.0};
    int cache_next = 0;
    if (u) {
        memset(u, 0, p * sizeof *u);
        memset(imat, 0, p * p * sizeof *imat);
    }
    double denom = 0.0;
    memset(w->a, 0, p * sizeof *w->a);
    memset(w->cmat, 0, p * p * sizeof *w->cmat);
    size_t i = n;
    while (i > 0) {
        size_t last = i - 1;
        double t = w->time[last];
        int s = w->stratum ? w->stratum[last] : 0;
        if (w->stratum && last + 1 < n && w->stratum[last + 1] != s) {
            denom = 0.0;                       /* new stratum: empty risk set */
            memset(w->a, 0, p * sizeof *w->a);
            memset(w->cmat, 0, p * p * sizeof *w->cmat);
        }
        /* absorb every row (record of wk rows) tied at (stratum, t) into the
         * risk set */
        size_t ndead = 0;
        double efron_wt = 0.0, lt = 0.0;   /* lt: this time's log-lik terms */
        memset(w->a2, 0, p * sizeof *w->a2);
        memset(w->cmat2, 0, p * p * sizeof *w->cmat2);
        while (i > 0 && w->time[i - 1] == t && (!w->stratum || w->stratum[i - 1] == s)) {
            size_t k = --i;
            const double *xk = w->x + k * p;
            double wk = w->wt ? w->wt[k] : 1.0;
            double eta = 0.0, risk;
            for (size_t j = 0; j < p; j++)
                eta += xk[j] * beta[j];
            if (eta == cache_eta[0])
                risk = cache_risk[0];
            else if (eta == cache_eta[1])
                risk = cache_risk[1];
            else {
                risk = exp(eta);
                cache_eta[cache_next] = eta;
                cache_risk[cache_next] = risk;
                cache_next ^= 1;
            }
            double rw = risk * wk;
            denom += rw;
            for (size_t j = 0; j < p; j++) {
                w->a[j] += rw * xk[j];
                for (size_t m = 0; m <= j; m++)
                    w->cmat[j * p + m] += rw * xk[j] * xk[m];
            }
            if (w->event[k]) {
                ndead += (size_t)wk;
                efron_wt += rw;
                lt += wk * eta;
                for (size_t j = 0; j < p; j++) {
                    if (u)
                        u[j] += wk * xk[j];
                    w->a2[j] += rw * xk[j];
                    for (size_t m = 0; m <= j; m++)
                        w->cmat2[j * p + m] += rw * xk[j] * xk[m];
                }
            }
        }
        if (ndead == 0)
            continue;
        if (!isfinite(denom))
            return -INFINITY;
        if (w->ties == COX_BRESLOW) {
            /* Breslow: each of the d deaths sees the full risk set */
            double dd = (double)ndead;
            loglik += lt - dd * log(denom);
            if (!u)
                continue;
            for (size_t j = 0; j < p; j++) {
                w->xbar[j] = w->a[j] / denom;
                u[j] -= dd * w->xbar[j];
            }
            for (size_t j = 0; j < p; j++)
                for (size_t m = 0; m <= j; m++)
                    imat[j * p + m] += dd * (w->cmat[j * p + m] / denom - w->xbar[j] * w->xbar[m]);
            continue;
        }
        /* Efron: the k-th of d tied deaths sees the risk set with k/d of the
         * dying subjects' weight removed, d2 = denom - (k/d) sum_dead r. */
        double logsum = 0.0;
        for (size_t k = 0; k < ndead; k++) {
            double temp = (double)k / (double)ndead;
            double d2 = denom - temp * efron_wt;
            logsum += log(d2);
            if (!u)
                continue;
            for (size_t j = 0; j < p; j++) {
                w->xbar[j] = (w->a[j] - temp * w->a2[j]) / d2;
                u[j] -= w->xbar[j];
            }
            for (size_t j = 0; j < p; j++)
                for (size_t m = 0; m <= j; m++)
                    imat[j * p + m] += (w->cmat[j * p + m] - temp * w->cmat2[j * p + m]) / d2
                                       - w->xbar[j] * w->xbar[m];
        }
        loglik += lt - logsum;
    }
    if (u)
        for (size_t j = 0; j < p; j++)
            for (size_t m = 0; m < j; m++)
                imat[m * p + j] = imat[j * p + m];
    return isfinite(loglik) ? loglik : -INFINITY;
}

/* Counted records: the distinct (stratum, time, status, covariates) of the
 * rows in order of first appearance, each with its number of rows. */
typedef struct cox_records {
    size_t m;              /* records                                     */
    double *time, *x, *wt; /* m, m x p (first row's values as given), m   */
    int *event, *stratum;  /* m, m (stratum NULL when the fit has none)   */
} cox_records;

static void cox_records_free(cox_records *rec)
{
    free(rec->time);
    free(rec->x);
    free(rec->wt);
    free(rec->event);
    free(rec->stratum);
}

static uint64_t key_bits(double v)
{
    uint64_t b;
    v += 0.0;          /* -0.0 hashes as 0.0 (they compare equal) */
    memcpy(&b, &v, sizeof b);
    return b;
}

/*
 * Collapse the rows into counted records with one hashing pass (open
 * addressing, linear probing; keys compare with ==, so -0.0 joins 0.0).
 *   rec     out: the records (caller frees with cox_records_free)
 *   time, event, x, strata, n, p   the validated rows (strata may be NULL)
 *   force   1: always collapse; 0: give up when it does not pay
 * Returns 1 with rec filled, or 0 (rec untouched, nothing to free) when not
 * forced and the rows are too distinct for collapsing to pay: more than
 * n/2 records in all, or (n >= 8192) more than 3/4 of the first n/32 rows
 * distinct.
 */
static int collapse_rows(cox_records *rec, const double *time, const int *event, const double *x,
                         const int *strata, size_t n, size_t p, int force)
{
    size_t cap = 1024, nslot = 4096, m = 0;
    size_t limit = force ? n : n / 2, check_at = (!force && n >= 8192) ? n / 32 : n;
    double *rt = xmalloc(cap * sizeof *rt), *rx = xmalloc(cap * p * sizeof *rx);
    double *rw = xmalloc(cap * sizeof *rw);
    int *re = xmalloc(cap * sizeof *re), *rs = strata ? xmalloc(cap * sizeof *rs) : NULL;
    size_t *slot = xmalloc(nslot * sizeof *slot);     /* record + 1, 0 = empty */
    uint64_t *hash = xmalloc(cap * sizeof *hash);     /* each record's hash     */
    memset(slot, 0, nslot * sizeof *slot);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (i == check_at && m > check_at / 4 * 3) {
            ok = 0;                                    /* mostly distinct */
            break;
        }
        const double *xi = x + i * p;
        int si = strata ? strata[i] : 0;
        uint64_t h = key_bits(time[i]) * UINT64_C(0x9E3779B97F4A7C15)
                     ^ ((uint64_t)(unsigned)si << 1 | (uint64_t)event[i]);
        for (size_t j = 0; j < p; j++)
            h = (h ^ key_bits(xi[j])) * UINT64_C(0xBF58476D1CE4E5B9);
        h ^= h >> 33;                                  /* murmur3's finaliser */
        h *= UINT64_C(0xFF51AFD7ED558CCD);
        h ^= h >> 33;
        h *= UINT64_C(0xC4CEB9FE1A85EC53);
        h ^= h >> 33;
        size_t at = (size_t)h & (nslot - 1);
        for (;;) {
            size_t r = slot[at];
            if (r == 0)
                break;
            r--;
            if (hash[r] == h && rt[r] == time[i] && re[r] == event[i] && (!rs || rs[r] == si)) {
                size_t j = 0;
                while (j < p && rx[r * p + j] == xi[j])
                    j++;
                if (j == p)
                    break;
            }
            at = (at + 1) & (nslot - 1);
        }
        if (slot[at]) {
            rw[slot[at] - 1] += 1.0;
        } else {                                       /* a new record */
            if (m == limit) {
                ok = 0;
                break;
            }
            if (m == cap) {
                cap *= 2;
                rt = xrealloc(rt, cap * sizeof *rt);
                rx = xrealloc(rx, cap * p * sizeof *rx);
                rw = xrealloc(rw, cap * sizeof *rw);
                re = xrealloc(re, cap * sizeof *re);
                if (rs)
                    rs = xrealloc(rs, cap * sizeof *rs);
                hash = xrealloc(hash, cap * sizeof *hash);
            }
            rt[m] = time[i];
            memcpy(rx + m * p, xi, p * sizeof *rx);
            rw[m] = 1.0;
            re[m] = event[i];
            if (rs)
                rs[m] = si;
            hash[m] = h;
            slot[at] = ++m;
            if (2 * m > nslot) {                       /* keep the load <= 1/2 */
                nslot *= 2;
                slot = xrealloc(slot, nslot * sizeof *slot);
                memset(slot, 0, nslot * sizeof *slot);
                for (size_t r = 0; r < m; r++) {
                    size_t pos = (size_t)hash[r] & (nslot - 1);
                    while (slot[pos])
                        pos = (pos + 1) & (nslot - 1);
                    slot[pos] = r + 1;
                }
            }
        }
    }
    free(slot);
    free(hash);
    cox_records c = {m, rt, rx, rw, re, rs};
    if (ok)
        *rec = c;
    else
        cox_records_free(&c);
    return ok;
}

static const char *name_of(const char *const *names, size_t j, char *buf, size_t bufsz)
{
    if (names && names[j])
        return names[j];
    snprintf(buf, bufsz, "covariate %zu", j + 1);
    return buf;
}

/* A binary covariate (exactly two distinct values) with no event at one of
 * them makes the HR infinite or zero (sap.md: an arm with no events).
 * wt: the rows' counts (counted records) or NULL for one each. */
static int check_binary_levels(const double *x, const int *event, const double *wt, size_t n,
                               size_t p, const char *const *names, char *reason, size_t rsz)
{
    for (size_t j = 0; j < p; j++) {
        double v0 = x[j], v1 = NAN;
        size_t ev0 = 0, ev1 = 0, i;
        for (i = 0; i < n; i++) {          /* one pass: values and events */
            double v = x[i * p + j];
            size_t ev = (size_t)event[i] * (wt ? (size_t)wt[i] : 1);
            if (v == v0)
                ev0 += ev;
            else if (v == v1 || isnan(v1)) {
                v1 = v;
                ev1 += ev;
            } else
                break;                     /* a third value: not binary */
        }
        if (i < n || isnan(v1))
            continue;
        if (ev0 == 0 || ev1 == 0) {
            char buf[32];
            snprintf(reason, rsz, "no events where %s is %.15g",
                     name_of(names, j, buf, sizeof buf), ev0 == 0 ? v0 : v1);
            return 1;
        }
    }
    return 0;
}

static void first_aliased(const double *fac, size_t p, const char *const *names,
                          char *reason, size_t rsz)
{
    char buf[32];
    for (size_t j = 0; j < p; j++)
        if (fac[j * p + j] == 0.0) {
            snprintf(reason, rsz, "covariate %s is constant (within strata) or collinear "
                     "with the others", name_of(names, j, buf, sizeof buf));
            return;
        }
}

/* Check every input value; sum the covariates and count events and strata
 * on the way (one pass). Returns 0 or TLF_EDATA/TLF_EUSAGE naming the row. */
static int validate(const double *time, const int *event, const double *x, size_t n, size_t p,
                    const int *strata, double *colsum, size_t *n_event, int *nstrata, tlf_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return tlf_err_set(err, TLF_EDATA, "Cox model: time of row %zu is not finite", i + 1);
        if (event[i] != 0 && event[i] != 1)
            return tlf_err_set(err, TLF_EDATA, "Cox model: event of row %zu is %d, not 0 or 1",
                               i + 1, event[i]);
        if (strata && strata[i] < 0)
            return tlf_err_set(err, TLF_EUSAGE, "Cox model: stratum code of row %zu is negative", i + 1);
        if (strata && strata[i] >= *nstrata)
            *nstrata = strata[i] + 1;
        for (size_t j = 0; j < p; j++) {
            if (!isfinite(x[i * p + j]))
                return tlf_err_set(err, TLF_EDATA, "Cox model: covariate %zu of row %zu is not finite",
                                   j + 1, i + 1);
            colsum[j] += x[i * p + j];
        }
        *n_event += (size_t)event[i];
    }
    return TLF_OK;
}

int cox_fit(cox_result **out, const double *time, const int *event, const double *x,
            size_t n, size_t p, const int *strata, const char *const *names,
            const cox_options *opt, tlf_err *err)
{
    *out = NULL;
    cox_options defaults;
    if (!opt) {
        cox_options_default(&defaults);
        opt = &defaults;
    }
    int nstrata = 1;
    if (n == 0 || p == 0)
        return tlf_err_set(err, TLF_EUSAGE, "Cox model needs at least one subject and one covariate");
    double *colsum = xcalloc(p, sizeof *colsum);   /* for the centring means */
    size_t n_event = 0;
    int rc = validate(time, event, x, n, p, strata, colsum, &n_event, &nstrata, err);
    if (rc) {
        free(colsum);
        return rc;
    }

    cox_result *r = xcalloc(1, sizeof *r);
    double *block = xmalloc((6 * p + p * p) * sizeof *block);
    r->coef = block;
    r->se = block + p;
    r->hr = block + 2 * p;
    r->hr_lcl = block + 3 * p;
    r->hr_ucl = block + 4 * p;
    r->p_wald = block + 5 * p;
    r->var = block + 6 * p;
    for (size_t k = 0; k < 6 * p + p * p; k++)
        block[k] = NAN;
    r->p = p;
    r->n = n;
    r->conf_level = opt->conf_level;
    r->loglik0 = r->loglik = r->lr_chisq = r->wald_chisq = r->score_chisq = NAN;
    r->lr_p = r->wald_p = r->score_p = NAN;
    r->n_event = n_event;
    *out = r;

    if (r->n_event < (size_t)(opt->min_events > 1 ? opt->min_events : 1)) {
        snprintf(r->reason, sizeof r->reason, "%zu event%s, fewer than the minimum of %d",
                 r->n_event, r->n_event == 1 ? "" : "s", opt->min_events > 1 ? opt->min_events : 1);
        free(colsum);
        return TLF_OK;
    }
    /* --- the data to iterate over: counted records when they pay --- */
    cox_records rec = {0};
    int collapsed = 0;
    if (opt->compress != COX_COMPRESS_NEVER)
        collapsed = collapse_rows(&rec, time, event, x, strata, n, p,
                                  opt->compress == COX_COMPRESS_ALWAYS);
    const double *dt = collapsed ? rec.time : time, *dx = collapsed ? rec.x : x;
    const double *dw = collapsed ? rec.wt : NULL;
    const int *de = collapsed ? rec.event : event, *dst = collapsed ? rec.stratum : strata;
    size_t nrec = collapsed ? rec.m : n;
    r->n_record = nrec;
    if (check_binary_levels(dx, de, dw, nrec, p, names, r->reason, sizeof r->reason)) {
        free(colsum);
        cox_records_free(&rec);
        return TLF_OK;
    }

    /* --- one scratch block: order, sorted data, sums --- */
    size_t *idx = xmalloc(nrec * sizeof *idx);
    double *ts = xmalloc((nrec * (p + (dw ? 2 : 1)) + 7 * p + 4 * p * p) * sizeof *ts);
    int *es = xmalloc((dst ? 2 : 1) * nrec * sizeof *es), *ss = dst ? es + nrec : NULL;
    double *xs = ts + nrec, *a = xs + nrec * p, *a2 = a + p, *xbar = a2 + p;
    double *cmat = xbar + p, *cmat2 = cmat + p * p, *imat = cmat2 + p * p, *fac = imat + p * p;
    double *u = fac + p * p, *beta = u + p, *newbeta = beta + p, *mean = newbeta + p;
    double *ws = dw ? mean + p : NULL;

    stats_order(idx, dt, nrec);                   /* time ascending, stable */
    if (dst)
        stats_order_by_code(idx, dst, (size_t)nstrata, nrec);
    for (size_t j = 0; j < p; j++)
        mean[j] = colsum[j] / (double)n;
    free(colsum);
    for (size_t i = 0; i < nrec; i++) {
        size_t k = idx[i];
        ts[i] = dt[k];
        es[i] = de[k];
        if (ss)
            ss[i] = dst[k];
        if (ws)
            ws[i] = dw[k];
        for (size_t j = 0; j < p; j++)
            xs[i * p + j] = dx[k * p + j] - mean[j];
    }
    cox_records_free(&rec);
    cox_work w = {nrec, p, ts, es, ss, xs, ws, opt->ties, a, a2, cmat, cmat2, xbar};

    /* --- beta = 0: log-likelihood, score test --- */
    memset(beta, 0, p * sizeof *beta);
    double loglik = cox_pass(&w, beta, u, imat);
    r->loglik0 = loglik;
    memcpy(fac, imat, p * p * sizeof *fac);
    int rank = linalg_chol(fac, p, LINALG_CHOL_TOL);
    if (rank < (int)p) {
        if (rank < 0)
            snprintf(r->reason, sizeof r->reason, "information matrix is not positive semi-definite");
        else
            first_aliased(fac, p, names, r->reason, sizeof r->reason);
        goto done;
    }
    memcpy(newbeta, u, p * sizeof *u);
    linalg_chol_solve(fac, p, newbeta);      /* I(0)^-1 U(0) */
    double score = 0.0;
    for (size_t j = 0; j < p; j++)
        score += u[j] * newbeta[j];
    r->score_chisq = score;

    /* --- Newton-Raphson with step-halving (coxfit6) --- */
    int halving = 0, iter;
    double newlk = loglik;
    r->converged = 0;
    for (iter = 1; iter <= opt->max_iter; iter++) {
        newlk = cox_pass(&w, newbeta, u, imat);
        if (isfinite(newlk) && fabs(1.0 - loglik / newlk) <= opt->eps && halving == 0) {
            r->converged = 1;
            break;
        }
        if (iter == opt->max_iter)
            break;
        if (!isfinite(newlk) || newlk < loglik) {
            halving = 1;                   /* worse: halve the step */
            for (size_t j = 0; j < p; j++)
                newbeta[j] = (newbeta[j] + beta[j]) / 2.0;
        } else {
            halving = 0;
            loglik = newlk;
            memcpy(fac, imat, p * p * sizeof *fac);
            if (linalg_chol(fac, p, LINALG_CHOL_TOL) < (int)p) {
                first_aliased(fac, p, names, r->reason, sizeof r->reason);
                goto done;
            }
            memcpy(beta, newbeta, p * sizeof *beta);
            double *step = xbar;               /* scratch: I^-1 U */
            memcpy(step, u, p * sizeof *u);
            linalg_chol_solve(fac, p, step);
            for (size_t j = 0; j < p; j++)
                newbeta[j] = beta[j] + step[j];
        }
    }
    r->iterations = iter > opt->max_iter ? opt->max_iter : iter;
    if (!r->converged || !isfinite(newlk)) {
        snprintf(r->reason, sizeof r->reason,
                 "no convergence in %d iterations (monotone likelihood: a hazard ratio "
                 "tends to 0 or infinity)", opt->max_iter);
        goto done;
    }
    r->loglik = newlk;
    memcpy(fac, imat, p * p * sizeof *fac);
    if (linalg_chol(fac, p, LINALG_CHOL_TOL) < (int)p) {
        first_aliased(fac, p, names, r->reason, sizeof r->reason);
        goto done;
    }
    memcpy(r->var, fac, p * p * sizeof *fac);
    linalg_chol_inverse(r->var, p);

    /* Monotone likelihood (coxph's check): the log-likelihood converged but
     * the next Newton step |I^-1 U| is still large against the coefficient. */
    double tol_inf = sqrt(opt->eps);
    for (size_t j = 0; j < p; j++) {
        double step = 0.0;
        for (size_t m = 0; m < p; m++)
            step += r->var[j * p + m] * u[m];
        if (!isfinite(newbeta[j]) || (fabs(step) > opt->eps && fabs(step) > tol_inf * fabs(newbeta[j]))) {
            char buf[32];
            snprintf(r->reason, sizeof r->reason,
                     "monotone likelihood: coefficient of %s diverges (hazard ratio 0 or infinite)",
                     name_of(names, j, buf, sizeof buf));
            goto done;
        }
    }

    /* --- report: Wald CI exp(b +- z se), Wald p 2 Q(|b / se|) --- */
    double z = gsl_cdf_ugaussian_Pinv(0.5 + opt->conf_level / 2.0);
    double wald = 0.0;
    for (size_t j = 0; j < p; j++) {
        double b = newbeta[j], se = sqrt(r->var[j * p + j]);
        r->coef[j] = b;
        r->se[j] = se;
        r->hr[j] = exp(b);
        r->hr_lcl[j] = exp(b - z * se);
        r->hr_ucl[j] = exp(b + z * se);
        r->p_wald[j] = 2.0 * gsl_cdf_ugaussian_Q(fabs(b / se));
        for (size_t m = 0; m < p; m++)
            wald += b * imat[j * p + m] * newbeta[m];     /* b' I(b) b */
    }
    r->wald_chisq = wald;
    r->lr_chisq = 2.0 * (r->loglik - r->loglik0);
    r->lr_p = gsl_cdf_chisq_Q(r->lr_chisq, (double)p);
    r->wald_p = gsl_cdf_chisq_Q(r->wald_chisq, (double)p);
    r->score_p = gsl_cdf_chisq_Q(r->score_chisq, (double)p);
    r->estimable = 1;

done:
    if (!r->estimable) {
        r->loglik = r->lr_chisq = r->wald_chisq = r->score_chisq = NAN;
        r->lr_p = r->wald_p = r->score_p = NAN;
    }
    free(idx);
    free(ts);
    free(es);
    return TLF_OK;
}

void cox_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const char *const *names,
                  const cox_result *r)
{
    tlf_ard_key k = *key;
    char buf[32];
    tlf_buf ci = {0};
    if (fabs(r->conf_level - 0.95) > 1e-12)
        tlf_param_addf(&ci, "level", "%.15g", r->conf_level);
    const char *ciparam = tlf_buf_cstr(&ci);
    if (r->estimable) {
        for (size_t j = 0; j < r->p; j++) {
            k.variable = name_of(names, j, buf, sizeof buf);
            tlf_ard_add_real(ard, &k, "coef", "", r->coef[j]);
            tlf_ard_add_real(ard, &k, "se", "", r->se[j]);
            tlf_ard_add_real(ard, &k, "hr", "", r->hr[j]);
            tlf_ard_add_real(ard, &k, "hr_lcl", ciparam, r->hr_lcl[j]);
            tlf_ard_add_real(ard, &k, "hr_ucl", ciparam, r->hr_ucl[j]);
            tlf_ard_add_real(ard, &k, "p_wald", "", r->p_wald[j]);
        }
    }
    k.variable = "model";
    tlf_buf reason = {0};
    if (!r->estimable)
        tlf_param_add(&reason, "reason", r->reason);
    tlf_ard_add_int(ard, &k, "estimable", tlf_buf_cstr(&reason), r->estimable);
    tlf_ard_add_int(ard, &k, "n", "", (long long)r->n);
    tlf_ard_add_int(ard, &k, "n_event", "", (long long)r->n_event);
    if (r->estimable) {
        tlf_ard_add_real(ard, &k, "lr_chisq", "", r->lr_chisq);
        tlf_ard_add_real(ard, &k, "wald_chisq", "", r->wald_chisq);
        tlf_ard_add_real(ard, &k, "score_chisq", "", r->score_chisq);
        tlf_ard_add_real(ard, &k, "loglik", "", r->loglik);
    }
    tlf_buf_free(&ci);
    tlf_buf_free(&reason);
}
