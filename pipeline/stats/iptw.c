/*
 * iptw.c - ATT propensity weighting: weights, balance, weighted KM with a
 * percentile bootstrap CI (see iptw.h for the design).
 *
 * Stage: stats. Methods: ATT weights w = 1 (treated), e/(1-e) (control)
 * with e the fitted propensity (Austin & Stuart 2015); standardised
 * differences (Austin 2009) with the weighted variance
 * s_w^2 = sum w / ((sum w)^2 - sum w^2) * sum w (x - m_w)^2; weighted
 * Kaplan-Meier from stats/km.h; bootstrap (Efron & Tibshirani 1993,
 * percentile method) with resampling stratified by arm.
 */
#include "stats/iptw.h"

#include "core/mem.h"
#include "core/stop.h"
#include "stats/describe.h"
#include "stats/km.h"
#include "stats/order.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- a small deterministic generator: xoshiro256** (Blackman & Vigna),
 * state filled by splitmix64 from the seed --- */
typedef struct iptw_rng {
    uint64_t s[4];
} iptw_rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void rng_seed(iptw_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(iptw_rng *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform on 0..m-1 without modulo bias (rejection below 2^64 mod m). */
static size_t rng_below(iptw_rng *r, size_t m)
{
    uint64_t mm = (uint64_t)m, threshold = (0 - mm) % mm, v;
    do
        v = rng_next(r);
    while (v < threshold);
    return (size_t)(v % mm);
}

void iptw_result_free(iptw_result *r)
{
    if (!r)
        return;
    logit_result_free(r->ps);
    free(r->weight);
    free(r->smd_before);
    free(r);
}

double iptw_smd(const double *x, size_t stride, const int *treated, const double *w, size_t n)
{
    double sw[2] = {0, 0}, sw2[2] = {0, 0}, sx[2] = {0, 0}, ss[2] = {0, 0}, mean[2], var[2];
    int binary = 1;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride], wi = w ? w[i] : 1.0;
        int g = treated[i] != 0;
        sw[g] += wi;
        sw2[g] += wi * wi;
        sx[g] += wi * v;
        if (v != 0.0 && v != 1.0)
            binary = 0;
    }
    if (!(sw[0] > 0) || !(sw[1] > 0))
        return NAN;
    for (int g = 0; g < 2; g++)
        mean[g] = sx[g] / sw[g];
    for (size_t i = 0; i < n; i++) {
        int g = treated[i] != 0;
        double d = x[i * stride] - mean[g];
        ss[g] += (w ? w[i] : 1.0) * d * d;
    }
    for (int g = 0; g < 2; g++) {
        if (binary)
            var[g] = mean[g] * (1.0 - mean[g]);              /* p (1 - p) */
        else {
            double denom = sw[g] * sw[g] - sw2[g];            /* weighted sample variance */
            var[g] = denom > 0 ? sw[g] / denom * ss[g] : NAN;
        }
    }
    double pooled = sqrt((var[0] + var[1]) / 2.0);
    return pooled > 0 ? (mean[1] - mean[0]) / pooled : NAN;
}

/* What the weighted KM of an arm at the landmark needs of the data, made
 * once for the estimate and every resample: each row's rank among its
 * arm's distinct times, so that an arm's rows are put in time order by a
 * counting sort (the order stats_order gives, ties in row order), and the
 * arrays one arm's rows are gathered into. */
typedef struct arm_km {
    int *rank;             /* n: per row of the data */
    size_t n_rank[2];      /* distinct times per arm */
    double *st, *sw;       /* an arm's rows: time, weight */
    int *se, *code;        /* event, time rank */
    size_t *idx;           /* their time order */
} arm_km;

static void arm_km_init(arm_km *b, const double *time, size_t *const rows[2],
                        const size_t narm[2], size_t n)
{
    b->rank = xmalloc((n + 1) * sizeof *b->rank);
    b->st = xmalloc(2 * (n + 1) * sizeof *b->st);
    b->sw = b->st + n + 1;
    b->se = xmalloc(2 * (n + 1) * sizeof *b->se);
    b->code = b->se + n + 1;
    b->idx = xmalloc((n + 1) * sizeof *b->idx);
    for (int g = 0; g < 2; g++) {
        for (size_t q = 0; q < narm[g]; q++)
            b->st[q] = time[rows[g][q]];
        stats_order(b->idx, b->st, narm[g]);
        int r = -1;
        for (size_t q = 0; q < narm[g]; q++) {
            if (q == 0 || b->st[b->idx[q]] != b->st[b->idx[q - 1]])
                r++;
            b->rank[rows[g][b->idx[q]]] = r;
        }
        b->n_rank[g] = (size_t)(r + 1);
    }
}

static void arm_km_free(arm_km *b)
{
    free(b->rank);
    free(b->st);
    free(b->se);
    free(b->idx);
}

/* The weighted KM at t (km_fit, km_at: the same bits) of the m rows
 * src[0..m) of the data, all of one arm, with weights w[0..m). */
static int arm_surv_at(arm_km *b, const double *time, const int *event, const size_t *src,
                       const double *w, size_t m, int arm, double t, double *surv, tlf_err *err)
{
    for (size_t q = 0; q < m; q++) {
        b->st[q] = time[src[q]];
        b->se[q] = event[src[q]];
        b->sw[q] = w[q];
        b->code[q] = b->rank[src[q]];
        b->idx[q] = q;
    }
    stats_order_by_code(b->idx, b->code, b->n_rank[arm], m);
    return km_surv_at_ordered(b->st, b->se, b->sw, b->idx, m, t, surv, err);
}

/* ATT weights from a fitted propensity model. */
static void att_weights(const logit_result *ps, const int *treated, size_t n, double *w)
{
    for (size_t i = 0; i < n; i++)
        w[i] = treated[i] ? 1.0 : ps->fitted[i] / (1.0 - ps->fitted[i]);
}

static double type7(const double *sorted, size_t m, double prob)
{
    double h = (double)(m - 1) * prob, lo = floor(h);
    size_t l = (size_t)lo, u = l + 1 < m ? l + 1 : l;
    return sorted[l] + (h - lo) * (sorted[u] - sorted[l]);
}

int iptw_fit(iptw_result **out, const double *time, const int *event, const int *treated,
             const double *x, size_t n, size_t p, const char *const *names,
             const iptw_options *opt, tlf_err *err)
{
    *out = NULL;
    int rc = TLF_OK;
    size_t narm[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (treated[i] != 0 && treated[i] != 1)
            return tlf_err_set(err, TLF_EDATA, "propensity model: arm flag of row %zu is %d, not 0 or 1",
                               i + 1, treated[i]);
        narm[treated[i]]++;
    }
    iptw_result *r = xcalloc(1, sizeof *r);
    r->n = n;
    r->p = p;
    r->n_boot = opt->n_boot;
    r->smd_before = xmalloc(2 * (p + 1) * sizeof *r->smd_before);
    r->smd_after = r->smd_before + p;
    r->weight = xcalloc(n + 1, sizeof *r->weight);
    for (int g = 0; g < 2; g++) {
        r->arm[g].n = narm[g];
        r->arm[g].w_min = r->arm[g].w_median = r->arm[g].w_max = NAN;
        r->arm[g].surv_at = r->arm[g].lcl_at = r->arm[g].ucl_at = NAN;
    }
    for (size_t j = 0; j < 2 * p; j++)
        r->smd_before[j] = NAN;
    *out = r;
    if (narm[0] == 0 || narm[1] == 0) {
        snprintf(r->reason, sizeof r->reason, "the %s arm has no subjects", narm[0] ? "treated" : "control");
        return TLF_OK;
    }
    double *y = xmalloc(n * sizeof *y);
    double *st = xmalloc(n * sizeof *st), *bw = xmalloc(n * sizeof *bw), *est[2] = {NULL, NULL};
    int *btr = xmalloc(n * sizeof *btr);
    size_t *rows[2] = {xmalloc(narm[0] * sizeof(size_t)), xmalloc(narm[1] * sizeof(size_t))};
    size_t *bsrc = xmalloc(2 * n * sizeof *bsrc), *bpat = bsrc + n;
    logit_result *bps = NULL;
    logit_design des = {0};
    arm_km akm = {0};
    size_t k[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        y[i] = treated[i];
        rows[treated[i]][k[treated[i]]++] = i;
    }
    arm_km_init(&akm, time, rows, narm, n);
    if ((rc = logit_design_make(&des, y, x, n, p, err)) != TLF_OK ||
        (rc = logit_fit_rows(&r->ps, &des, des.row_pat, n, names, err)) != TLF_OK)
        goto done;
    if (!r->ps->estimable) {
        snprintf(r->reason, sizeof r->reason, "propensity model: %.150s", r->ps->reason);
        goto done;
    }
    att_weights(r->ps, treated, n, r->weight);
    for (int g = 0; g < 2; g++) {
        for (size_t q = 0; q < narm[g]; q++)
            st[q] = r->weight[rows[g][q]];
        gsl_sort(st, 1, narm[g]);
        r->arm[g].w_min = st[0];
        r->arm[g].w_median = quantile_type2(st, narm[g], 0.5);
        r->arm[g].w_max = st[narm[g] - 1];
    }
    for (size_t j = 0; j < p; j++) {
        r->smd_before[j] = iptw_smd(x + j, p, treated, NULL, n);
        r->smd_after[j] = iptw_smd(x + j, p, treated, r->weight, n);
    }
    for (int g = 0; g < 2; g++) {
        for (size_t q = 0; q < narm[g]; q++)
            bw[q] = r->weight[rows[g][q]];
        rc = arm_surv_at(&akm, time, event, rows[g], bw, narm[g], g, opt->landmark,
                         &r->arm[g].surv_at, err);
        if (rc != TLF_OK)
            goto done;
    }
    /* sap.md section 4: no estimate at a landmark beyond an arm's last
     * observed time while its curve is above 0 (an early interim): the
     * weighted KM, as the unweighted one, is not estimable */
    r->km_estimable = 1;
    for (int g = 1; g >= 0 && r->km_estimable; g--) {
        double tmax = -INFINITY;
        for (size_t i = 0; i < n; i++)
            if (treated[i] == g && time[i] > tmax)
                tmax = time[i];
        if (opt->landmark > tmax && r->arm[g].surv_at > 0) {
            r->km_estimable = 0;
            snprintf(r->km_reason, sizeof r->km_reason, "no %s subject followed to day %.15g",
                     g ? "treated" : "control", opt->landmark);
        }
    }
    if (!r->km_estimable) {
        for (int g = 0; g < 2; g++)
            r->arm[g].surv_at = NAN;
        r->estimable = 1;
        goto done;
    }

    /* --- bootstrap: resample within each arm, refit, re-weight; a
     * resample is a list of rows of the data (the model's design does not
     * change, only which of its rows are drawn) --- */
    iptw_rng rng;
    rng_seed(&rng, opt->seed);
    size_t nok = 0;
    for (int g = 0; g < 2; g++)
        est[g] = xmalloc(((size_t)opt->n_boot + 1) * sizeof *est[g]);
    for (size_t i = 0; i < n; i++)
        btr[i] = i >= narm[0];
    for (int b = 0; b < opt->n_boot; b++) {
        /* thousands of refits: a stop request ends them (seconds on a large study) */
        if ((rc = tlf_stop_check(err)) != TLF_OK)
            goto done;
        size_t i = 0;
        for (int g = 0; g < 2; g++)
            for (size_t q = 0; q < narm[g]; q++, i++) {
                bsrc[i] = rows[g][rng_below(&rng, narm[g])];
                bpat[i] = des.row_pat[bsrc[i]];
            }
        logit_result_free(bps);
        bps = NULL;
        rc = logit_fit_rows(&bps, &des, bpat, n, names, err);
        if (rc != TLF_OK)
            goto done;
        if (!bps->estimable) {
            r->boot_failed++;
            continue;
        }
        att_weights(bps, btr, n, bw);
        for (int g = 0; g < 2; g++) {
            size_t off = g ? narm[0] : 0;
            rc = arm_surv_at(&akm, time, event, bsrc + off, bw + off, narm[g], g, opt->landmark,
                             &est[g][nok], err);
            if (rc != TLF_OK)
                goto done;
        }
        nok++;
    }
    if (nok > 0)
        for (int g = 0; g < 2; g++) {
            gsl_sort(est[g], 1, nok);
            r->arm[g].lcl_at = type7(est[g], nok, (1.0 - opt->conf_level) / 2.0);
            r->arm[g].ucl_at = type7(est[g], nok, (1.0 + opt->conf_level) / 2.0);
        }
    r->estimable = 1;

done:
    logit_result_free(bps);
    logit_design_free(&des);
    arm_km_free(&akm);
    free(y);
    free(st);
    free(btr);
    free(bsrc);
    free(bw);
    free(est[0]);
    free(est[1]);
    free(rows[0]);
    free(rows[1]);
    if (rc != TLF_OK) {
        iptw_result_free(r);
        *out = NULL;
    }
    return rc;
}

void iptw_emit_ard(tlf_ard *ard, const tlf_ard_key *ps_key, const tlf_ard_key *km_key,
                   const char *group_col, const char *const levels[2],
                   const char *const *names, const iptw_options *opt, const iptw_result *r)
{
    tlf_buf param = {0};
    if (!r->estimable) {
        tlf_param_add(&param, "reason", r->reason);
        tlf_ard_add_int(ard, ps_key, "estimable", tlf_buf_cstr(&param), 0);
        tlf_ard_add_int(ard, km_key, "estimable", tlf_buf_cstr(&param), 0);
        tlf_buf_free(&param);
        return;
    }
    tlf_ard_key k = *ps_key;
    for (size_t j = 0; j < r->p; j++) {
        k.variable = names[j];
        tlf_ard_add_real(ard, &k, "coef", "", r->ps->coef[j]);
        tlf_ard_add_real(ard, &k, "se", "", r->ps->se[j]);
    }
    for (size_t j = 0; j < r->p; j++) {
        if (isnan(r->smd_before[j]) && isnan(r->smd_after[j]))
            continue;      /* the intercept */
        k.variable = names[j];
        tlf_ard_add_real(ard, &k, "smd_before", "", r->smd_before[j]);
        tlf_ard_add_real(ard, &k, "smd_after", "", r->smd_after[j]);
    }
    k.variable = NULL;
    k.group = group_col;
    for (int g = 0; g < 2; g++) {
        k.group_level = levels[g];
        tlf_ard_add_real(ard, &k, "w_min", "", r->arm[g].w_min);
        tlf_ard_add_real(ard, &k, "w_median", "", r->arm[g].w_median);
        tlf_ard_add_real(ard, &k, "w_max", "", r->arm[g].w_max);
    }
    tlf_param_addf(&param, "t", "%.15g", opt->landmark);
    tlf_param_add(&param, "method", "bootstrap");
    tlf_param_addf(&param, "b", "%d", opt->n_boot);
    if (fabs(opt->conf_level - 0.95) > 1e-12)
        tlf_param_addf(&param, "level", "%.15g", opt->conf_level);
    if (!r->km_estimable) {
        tlf_buf why = TLF_BUF_INIT;
        tlf_param_add(&why, "reason", r->km_reason);
        tlf_ard_add_int(ard, km_key, "estimable", tlf_buf_cstr(&why), 0);
        tlf_buf_free(&why);
    }
    k = *km_key;
    k.group = group_col;
    for (int g = 0; g < 2; g++) {
        k.group_level = levels[g];
        tlf_ard_add_real(ard, &k, "surv_at", tlf_buf_cstr(&param), r->arm[g].surv_at);
        tlf_ard_add_real(ard, &k, "lcl_at", tlf_buf_cstr(&param), r->arm[g].lcl_at);
        tlf_ard_add_real(ard, &k, "ucl_at", tlf_buf_cstr(&param), r->arm[g].ucl_at);
    }
    tlf_buf_free(&param);
}
