/*
 * km.c - Kaplan-Meier curve, landmarks and quantiles (see km.h).
 *
 * Stage: statistics; sap.md section 4. Reproduces R survival 3.5-3:
 * survfitkm.c (product limit, Greenwood, the infinitesimal-jackknife
 * variance used for non-integer weights), survfit_confint (CI transforms),
 * summary.survfit(extend=TRUE) and quantile.survfit (findq).
 */
#include "stats/km.h"
#include "stats/order.h"
#include "core/mem.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KM_NARRAYS 9   /* time n_risk n_event n_censor surv se_surv lcl ucl std_log */

int km_ci_parse(const char *name, km_ci_type *out)
{
    if (!name)
        return -1;
    if (strcmp(name, "log") == 0)
        *out = KM_CI_LOG;
    else if (strcmp(name, "loglog") == 0 || strcmp(name, "log-log") == 0)
        *out = KM_CI_LOGLOG;
    else if (strcmp(name, "plain") == 0)
        *out = KM_CI_PLAIN;
    else
        return -1;
    return 0;
}

const char *km_ci_name(km_ci_type ci)
{
    switch (ci) {
    case KM_CI_LOG: return "log";
    case KM_CI_PLAIN: return "plain";
    case KM_CI_LOGLOG: break;
    }
    return "loglog";
}

int km_weights_need_robust(const double *weight, size_t n)
{
    if (!weight)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (weight[i] != floor(weight[i]))
            return 1;
    return 0;
}

void km_curve_free(km_curve *c)
{
    if (!c)
        return;
    free(c->time);   /* one block holds every array */
    free(c);
}

/* R's pmin/pmax keep NA: NaN in, NaN out. */
static double nan_min(double a, double b) { return isnan(a) ? a : (a < b ? a : b); }
static double nan_max(double a, double b) { return isnan(a) ? a : (a > b ? a : b); }

/*
 * Pointwise CI of S from the SE of log S (survfit_confint, logse form):
 *   plain:  S -+ z*se*S, clipped to [0,1]        (Klein & Moeschberger 4.3.1)
 *   log:    exp(log S -+ z*se), upper min 1; NA at S=0
 *   loglog: exp(-exp(log(-log S) -+ z*se/log S)); NA at S=0 and S=1
 */
static void ci_limits(km_ci_type ci, double s, double se_log, double z, double *lcl, double *ucl)
{
    switch (ci) {
    case KM_CI_PLAIN: {
        double half = se_log * s * z;
        *lcl = nan_max(s - half, 0.0);
        *ucl = nan_min(s + half, 1.0);
        return;
    }
    case KM_CI_LOG:
        if (s == 0) {
            *lcl = *ucl = NAN;
            return;
        }
        *lcl = exp(log(s) - z * se_log);
        *ucl = nan_min(exp(log(s) + z * se_log), 1.0);
        return;
    case KM_CI_LOGLOG:
        if (s == 0 || s == 1) {
            *lcl = *ucl = NAN;
            return;
        }
        {
            double half = z * se_log / log(s);
            double ll = log(-log(s));
            *lcl = exp(-exp(ll - half));   /* half < 0: the lower limit */
            *ucl = exp(-exp(ll + half));
        }
        return;
    }
}

/* The rows km_fit accepts: finite times, events 0 or 1, finite weights >= 0. */
static int km_check_rows(const double *time, const int *event, const double *weight, size_t n,
                         tlf_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return tlf_err_set(err, TLF_EDATA, "row %zu: time %g is not finite", i, time[i]);
        if (event[i] != 0 && event[i] != 1)
            return tlf_err_set(err, TLF_EDATA, "row %zu: event %d is not 0 or 1", i, event[i]);
        if (weight && !(isfinite(weight[i]) && weight[i] >= 0))
            return tlf_err_set(err, TLF_EDATA, "row %zu: weight %g is not a finite value >= 0",
                               i, weight[i]);
    }
    return TLF_OK;
}

int km_fit(km_curve **out, const double *time, const int *event, const double *weight,
           size_t n, km_ci_type ci, double conf_level, tlf_err *err)
{
    return km_fit_ex(out, time, event, weight, n, ci, conf_level, KM_VAR_AUTO, err);
}

int km_fit_ex(km_curve **out, const double *time, const int *event, const double *weight,
              size_t n, km_ci_type ci, double conf_level, km_variance variance, tlf_err *err)
{
    *out = NULL;
    if (!(conf_level > 0 && conf_level < 1))
        return tlf_err_set(err, TLF_EUSAGE, "confidence level %g is not in (0, 1)", conf_level);
    int rc = km_check_rows(time, event, weight, n, err);
    if (rc != TLF_OK)
        return rc;
    double *w2 = NULL;
    if (variance == KM_VAR_AUTO)
        variance = km_weights_need_robust(weight, n) ? KM_VAR_ROBUST : KM_VAR_GREENWOOD;

    km_curve *c = xcalloc(1, sizeof *c);
    c->n = (double)n;
    c->ci = ci;
    c->conf_level = conf_level;
    c->variance = variance;

    size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
    stats_order(idx, time, n);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || time[idx[i]] != time[idx[i - 1]])
            nt++;
    c->n_times = nt;
    double *block = xcalloc(KM_NARRAYS * (nt ? nt : 1), sizeof *block);
    c->time = block;
    c->n_risk = block + nt;
    c->n_event = block + 2 * nt;
    c->n_censor = block + 3 * nt;
    c->surv = block + 4 * nt;
    c->se_surv = block + 5 * nt;
    c->lcl = block + 6 * nt;
    c->ucl = block + 7 * nt;
    c->std_log = block + 8 * nt;
    /* The robust variance needs, per time, the squared weights of the
     * events and of the censorings. */
    if (variance == KM_VAR_ROBUST)
        w2 = xcalloc(2 * (nt ? nt : 1), sizeof *w2);

    /* Pass 1, backwards as survfitkm.c: at each distinct time the weighted
     * number at risk (everyone with time >= t), events and censorings. */
    {
        double at_risk = 0;
        size_t k = nt;
        for (size_t p = n; p-- > 0;) {
            size_t i = idx[p];
            if (p == n - 1 || time[i] != time[idx[p + 1]])
                c->time[--k] = time[i] + 0.0;
            double wi = weight ? weight[i] : 1.0;
            at_risk += wi;
            if (event[i])
                c->n_event[k] += wi;
            else
                c->n_censor[k] += wi;
            if (w2)
                w2[2 * k + (event[i] ? 0 : 1)] += wi * wi;
            c->n_risk[k] = at_risk;
        }
    }

    /* Pass 2, forwards: product limit and its variance. */
    double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - conf_level) / 2.0);
    double km = 1.0;
    double greenwood = 0.0;      /* sum d/(n(n-d)) over event times so far */
    double w2_left = 0.0;        /* robust: squared weights still at risk  */
    double exited = 0.0;         /* robust: influence sums of those gone   */
    if (w2)
        for (size_t k = 0; k < nt; k++)
            w2_left += w2[2 * k] + w2[2 * k + 1];
    for (size_t k = 0; k < nt; k++) {
        double nr = c->n_risk[k], d = c->n_event[k];
        if (d > 0) {
            km *= (nr - d) / nr;                  /* product limit */
            greenwood += d / (nr * (nr - d));      /* Greenwood: Inf when all at risk die */
        }
        c->surv[k] = km;
        c->n_event_total += d;
        c->n_censor_total += c->n_censor[k];
        if (variance == KM_VAR_GREENWOOD) {
            c->std_log[k] = sqrt(greenwood);
            c->se_surv[k] = km * c->std_log[k];   /* 0*Inf = NaN where S = 0, as R */
        } else {
            /* Infinitesimal jackknife (survfitkm.c with one cluster per row):
             * the influence of row i on S(t) is
             *   S(t) w_i [ G(min(t,T_i)) - delta_i [T_i<=t] / (n(T_i) - d(T_i)) ]
             * with G the Greenwood sum; the variance is the sum of squares.
             * Rows still at risk share G(t); rows gone keep a fixed value. */
            double v;
            if (km == 0) {
                v = 0.0;   /* everyone at risk died: every influence is 0 */
            } else {
                double gone_ev = d > 0 ? greenwood - 1.0 / (nr - d) : greenwood;
                w2_left -= w2[2 * k] + w2[2 * k + 1];
                if (w2_left < 0)
                    w2_left = 0;
                exited += w2[2 * k] * gone_ev * gone_ev + w2[2 * k + 1] * greenwood * greenwood;
                v = km * km * (exited + greenwood * greenwood * w2_left);
            }
            c->se_surv[k] = sqrt(v);
            c->std_log[k] = c->se_surv[k] == 0 ? 0.0 : c->se_surv[k] / km;
        }
        ci_limits(ci, km, c->std_log[k], z, &c->lcl[k], &c->ucl[k]);
    }
    *out = c;
    free(idx);
    free(w2);
    return TLF_OK;
}

int km_surv_at_ordered(const double *time, const int *event, const double *weight,
                       const size_t *idx, size_t n, double t, double *surv, tlf_err *err)
{
    int rc = km_check_rows(time, event, weight, n, err);
    if (rc != TLF_OK)
        return rc;
    /* km_fit's pass 1 (backwards: at risk, events per distinct time),
     * keeping the times <= t, which come last; then pass 2's product over
     * them, forwards */
    double *nr = xmalloc(2 * (n ? n : 1) * sizeof *nr), *d = nr + n;
    size_t ng = 0;
    double at_risk = 0;
    for (size_t q = n; q-- > 0;) {
        size_t i = idx[q];
        int first = q == n - 1 || time[i] != time[idx[q + 1]];
        double wi = weight ? weight[i] : 1.0;
        at_risk += wi;
        if (time[i] > t)
            continue;
        if (first)
            d[ng++] = 0.0;
        if (event[i])
            d[ng - 1] += wi;
        nr[ng - 1] = at_risk;
    }
    double km = 1.0;   /* before the first time: 1 */
    while (ng-- > 0)
        if (d[ng] > 0)
            km *= (nr[ng] - d[ng]) / nr[ng];
    free(nr);
    *surv = km;
    return TLF_OK;
}

/* Index of the last curve time <= t, or -1 when t is before the first. */
static long last_at_or_before(const km_curve *c, double t)
{
    size_t lo = 0, hi = c->n_times;   /* answer: count of times <= t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->time[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

void km_at(const km_curve *c, double t, km_point *out)
{
    out->t = t;
    long k = last_at_or_before(c, t);
    if (k < 0) {
        /* survfit0's time-0 row: S=1, se 0, CI 1..1 */
        out->surv = 1.0;
        out->se = 0.0;
        out->lcl = out->ucl = 1.0;
    } else {
        out->surv = c->surv[k];
        out->se = c->se_surv[k];
        out->lcl = c->lcl[k];
        out->ucl = c->ucl[k];
    }
    /* at risk at t: at the first curve time >= t (0 past the last) */
    size_t first_ge = (k >= 0 && c->time[k] == t) ? (size_t)k : (size_t)(k + 1);
    out->n_risk = first_ge < c->n_times ? c->n_risk[first_ge] : 0.0;
}

/*
 * quantile.survfit's findq on one curve F = 1 - S (or 1 - a CI limit):
 * x[0..m-1] times with x[0] = 0 (the start), y[0..m-1] = F with y[0] = 0,
 * NaN where R has NA. Repeated y (censorings) are dropped keeping the
 * first; i1 = first point with y + tol >= p, i2 = first with y - tol >= p
 * (they differ when y equals p within tol over a flat stretch: midpoint
 * rule); a flat stretch at the end of the curve ends at xmax, the last
 * time. scratch holds 2*m doubles.
 */
static double find_quantile(const double *x, const double *y, size_t m, double xmax,
                            double p, double tol, double *scratch)
{
    double ymax = -INFINITY;
    for (size_t i = 0; i < m; i++)
        if (!isnan(y[i]) && y[i] > ymax)
            ymax = y[i];
    if (ymax < p)
        return NAN;
    double *xs = scratch, *ys = scratch + m;
    size_t k = 0;
    int seen_nan = 0, have_last = 0;
    double last = 0;
    for (size_t i = 0; i < m; i++) {
        if (isnan(y[i])) {
            if (seen_nan)
                continue;
            seen_nan = 1;
        } else {
            if (have_last && y[i] == last)
                continue;
            have_last = 1;
            last = y[i];
        }
        xs[k] = x[i];
        ys[k] = y[i];
        k++;
    }
    /* approx(y +- tol, 1:k, p, "constant", f=1): NA outside the range */
    long i1 = -1, i2 = -1;
    double lo1 = INFINITY, hi1 = -INFINITY, lo2 = INFINITY, hi2 = -INFINITY;
    for (size_t j = 0; j < k; j++) {
        if (isnan(ys[j]))
            continue;
        double a = ys[j] + tol, b = ys[j] - tol;
        if (a < lo1) lo1 = a;
        if (a > hi1) hi1 = a;
        if (b < lo2) lo2 = b;
        if (b > hi2) hi2 = b;
        if (i1 < 0 && a >= p)
            i1 = (long)j;
        if (i2 < 0 && b >= p)
            i2 = (long)j;
    }
    if (p < lo1 || p > hi1)
        i1 = -1;
    if (p < lo2 || p > hi2)
        i2 = -1;
    double q = (i1 >= 0 && i2 >= 0) ? (xs[i1] + xs[i2]) / 2 : NAN;
    if (p == 0)
        q = xs[0];
    if (k > 0 && !isnan(ys[k - 1]) && fabs(p - ys[k - 1]) < tol)
        q = i1 >= 0 ? (xs[i1] + xmax) / 2 : NAN;
    return q;
}

void km_quantile(const km_curve *c, double p, km_quant *out)
{
    out->p = p;
    size_t m = c->n_times + 1;
    double *x = xmalloc(5 * m * sizeof *x);
    double *y = x + m, *scratch = x + 2 * m;
    double tol = sqrt(DBL_EPSILON);
    double xmax = c->n_times ? c->time[c->n_times - 1] : 0.0;
    x[0] = 0.0;
    y[0] = 0.0;
    for (size_t k = 0; k < c->n_times; k++)
        x[k + 1] = c->time[k];
    const double *curves[3] = {c->surv, c->lcl, c->ucl};
    double res[3];
    for (int j = 0; j < 3; j++) {
        for (size_t k = 0; k < c->n_times; k++)
            y[k + 1] = 1.0 - curves[j][k];
        res[j] = find_quantile(x, y, m, xmax, p, tol, scratch);
    }
    out->est = res[0];
    out->lcl = res[1];
    out->ucl = res[2];
    free(x);
}
