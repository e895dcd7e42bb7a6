/*
 * test_km.c - Kaplan-Meier against hand-worked examples and edge cases:
 * ties (events before censorings), all censored, all events, one subject,
 * landmarks before the first and after the last time, zero and integer
 * weights, the robust variance R uses for non-integer weights, bad input;
 * the bootstrap's S(t) without the curve (km_surv_at_ordered).
 */
#include "testutil.h"
#include "stats/km.h"
#include "stats/order.h"
#include "stats/stats_ard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void near(double a, double b) { assert_true(fabs(a - b) <= 1e-12 * (1 + fabs(b))); }
#define NEAR(a, b) near((a), (b))

static km_curve *fit(const double *t, const int *e, const double *w, size_t n, km_ci_type ci)
{
    km_curve *c = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(km_fit(&c, t, e, w, n, ci, 0.95, &err), TLF_OK);
    return c;
}

/* times 1 2 2 3 4, events 1 1 0 1 0 (at 2 one event and one censoring) */
static const double T1[] = {3, 1, 2, 4, 2};
static const int E1[] = {1, 1, 1, 0, 0};

static void test_km_ties_hand_worked(void **state)
{
    (void)state;
    km_curve *c = fit(T1, E1, NULL, 5, KM_CI_LOG);
    assert_int_equal(c->n_times, 4);
    NEAR(c->time[1], 2);
    NEAR(c->n_risk[1], 4);   /* the censoring at 2 is still at risk at 2 */
    NEAR(c->n_event[1], 1);
    NEAR(c->n_censor[1], 1);
    NEAR(c->surv[0], 0.8);
    NEAR(c->surv[1], 0.6);
    NEAR(c->surv[2], 0.3);
    NEAR(c->surv[3], 0.3);
    /* Greenwood: 1/(5*4) + 1/(4*3) + 1/(2*1) */
    NEAR(c->se_surv[1], 0.6 * sqrt(1.0 / 20 + 1.0 / 12));
    NEAR(c->se_surv[2], 0.3 * sqrt(1.0 / 20 + 1.0 / 12 + 0.5));
    double z = 1.959963984540054;
    NEAR(c->lcl[1], exp(log(0.6) - z * sqrt(1.0 / 20 + 1.0 / 12)));
    NEAR(c->ucl[0], fmin(1.0, exp(log(0.8) + z * sqrt(1.0 / 20))));
    NEAR(c->n, 5);
    NEAR(c->n_event_total, 3);
    NEAR(c->n_censor_total, 2);
    km_quant q;
    km_quantile(c, 0.5, &q);
    NEAR(q.est, 3);            /* 1-S first >= 0.5 at t=3 */
    km_quantile(c, 0.25, &q);
    NEAR(q.est, 2);
    km_quantile(c, 0.75, &q);
    assert_true(isnan(q.est)); /* S never reaches 0.25 */
    km_curve_free(c);
}

static void test_km_loglog_and_plain(void **state)
{
    (void)state;
    km_curve *c = fit(T1, E1, NULL, 5, KM_CI_LOGLOG);
    double z = 1.959963984540054, s = 0.6, se = sqrt(1.0 / 20 + 1.0 / 12);
    double half = z * se / log(s);
    NEAR(c->lcl[1], exp(-exp(log(-log(s)) - half)));
    NEAR(c->ucl[1], exp(-exp(log(-log(s)) + half)));
    assert_true(c->lcl[1] < s && s < c->ucl[1]);
    km_curve_free(c);
    c = fit(T1, E1, NULL, 5, KM_CI_PLAIN);
    NEAR(c->lcl[2], fmax(0, 0.3 - z * c->se_surv[2]));
    NEAR(c->lcl[2], 0);        /* clipped at 0 as R */
    NEAR(c->ucl[2], 0.3 + z * c->se_surv[2]);
    km_curve_free(c);
}

static void test_km_landmarks_outside(void **state)
{
    (void)state;
    km_curve *c = fit(T1, E1, NULL, 5, KM_CI_LOGLOG);
    km_point p;
    km_at(c, 0.5, &p);          /* before the first time */
    NEAR(p.surv, 1);
    NEAR(p.se, 0);
    NEAR(p.lcl, 1);
    NEAR(p.ucl, 1);
    NEAR(p.n_risk, 5);
    km_at(c, 2, &p);            /* at a time: that time's values */
    NEAR(p.surv, 0.6);
    NEAR(p.n_risk, 4);
    km_at(c, 2.5, &p);          /* between: S carried, at risk at next time */
    NEAR(p.surv, 0.6);
    NEAR(p.se, c->se_surv[1]);
    NEAR(p.n_risk, 2);
    km_at(c, 100, &p);          /* past the last: last values, nobody at risk */
    NEAR(p.surv, 0.3);
    NEAR(p.se, c->se_surv[3]);
    NEAR(p.lcl, c->lcl[3]);
    NEAR(p.n_risk, 0);
    km_curve_free(c);
}

static void test_km_all_censored(void **state)
{
    (void)state;
    const double t[] = {5, 3, 8};
    const int e[] = {0, 0, 0};
    km_curve *c = fit(t, e, NULL, 3, KM_CI_LOGLOG);
    for (size_t k = 0; k < c->n_times; k++) {
        NEAR(c->surv[k], 1);
        NEAR(c->se_surv[k], 0);
        assert_true(isnan(c->lcl[k]) && isnan(c->ucl[k]));   /* R: NA at S = 1 */
    }
    km_quant q;
    km_quantile(c, 0.5, &q);
    assert_true(isnan(q.est) && isnan(q.lcl) && isnan(q.ucl));
    NEAR(c->n_event_total, 0);
    km_curve_free(c);
    c = fit(t, e, NULL, 3, KM_CI_LOG);
    NEAR(c->lcl[0], 1);
    NEAR(c->ucl[0], 1);
    km_curve_free(c);
}

static void test_km_all_events_flat_quantiles(void **state)
{
    (void)state;
    const double t[] = {4, 3, 2, 1};
    const int e[] = {1, 1, 1, 1};
    km_curve *c = fit(t, e, NULL, 4, KM_CI_LOG);
    NEAR(c->surv[3], 0);
    assert_true(isnan(c->se_surv[3]));   /* R: 0 * Inf */
    assert_true(isnan(c->lcl[3]) && isnan(c->ucl[3]));
    km_quant q;
    /* S = 0.5 exactly on [2, 3): the midpoint rule */
    km_quantile(c, 0.5, &q);
    NEAR(q.est, 2.5);
    km_quantile(c, 0.25, &q);
    NEAR(q.est, 1.5);
    km_quantile(c, 0.75, &q);
    NEAR(q.est, 3.5);
    km_curve_free(c);
    /* a flat stretch at p that ends the curve ends at the last time */
    const double t2[] = {1, 2, 9};
    const int e2[] = {1, 0, 0};
    const double t3[] = {1, 5};
    const int e3[] = {1, 0};
    c = fit(t3, e3, NULL, 2, KM_CI_LOG);
    km_quantile(c, 0.5, &q);
    NEAR(q.est, (1 + 5) / 2.0);
    km_curve_free(c);
    c = fit(t2, e2, NULL, 3, KM_CI_LOG);   /* S = 2/3: median not reached */
    km_quantile(c, 0.5, &q);
    assert_true(isnan(q.est));
    km_curve_free(c);
}

static void test_km_one_subject(void **state)
{
    (void)state;
    const double t[] = {7};
    const int e[] = {1};
    km_curve *c = fit(t, e, NULL, 1, KM_CI_PLAIN);
    assert_int_equal(c->n_times, 1);
    NEAR(c->n_risk[0], 1);
    NEAR(c->surv[0], 0);
    assert_true(isnan(c->se_surv[0]) && isnan(c->lcl[0]));
    km_quant q;
    km_quantile(c, 0.5, &q);
    NEAR(q.est, 7);
    km_point p;
    km_at(c, 3, &p);
    NEAR(p.surv, 1);
    NEAR(p.n_risk, 1);
    km_curve_free(c);
}

static void test_km_zero_and_integer_weights(void **state)
{
    (void)state;
    /* weight 0 on the event at 1: the time stays (as R), S does not drop */
    const double w0[] = {1, 0, 1, 1, 1};
    km_curve *c = fit(T1, E1, w0, 5, KM_CI_LOG);
    assert_int_equal(c->n_times, 4);
    NEAR(c->n_risk[0], 4);
    NEAR(c->n_event[0], 0);
    NEAR(c->surv[0], 1);
    NEAR(c->surv[1], 0.75);
    NEAR(c->surv[2], 0.375);
    NEAR(c->n, 5);
    km_curve_free(c);
    /* integer weight 2 == the row twice (Greenwood on weighted counts) */
    const double w2[] = {2, 1, 1, 1, 1};
    const double td[] = {3, 3, 1, 2, 4, 2};
    const int ed[] = {1, 1, 1, 1, 0, 0};
    c = fit(T1, E1, w2, 5, KM_CI_LOGLOG);
    km_curve *d = fit(td, ed, NULL, 6, KM_CI_LOGLOG);
    assert_int_equal(c->variance, KM_VAR_GREENWOOD);
    assert_int_equal(c->n_times, d->n_times);
    for (size_t k = 0; k < c->n_times; k++) {
        NEAR(c->n_risk[k], d->n_risk[k]);
        NEAR(c->surv[k], d->surv[k]);
        NEAR(c->se_surv[k], d->se_surv[k]);
        NEAR(c->lcl[k], d->lcl[k]);
    }
    km_curve_free(c);
    km_curve_free(d);
}

/* Non-integer weights: R's default robust (infinitesimal jackknife)
 * variance. Expected values printed by R 4.2.2 / survival 3.5-3:
 *   t <- c(1,2,2,3,4,5,6); s <- c(1,1,0,1,0,1,0)
 *   w <- c(0.5,1.5,2.25,1,0.75,1.2,2)
 *   f <- survfit(Surv(t,s)~1, weights=w, conf.type="log")
 *   f$surv; f$std.err (se of S, logse FALSE); summary(f, times=c(3,10), extend=TRUE) */
static void test_km_robust_weights_match_r(void **state)
{
    (void)state;
    const double t[] = {1, 2, 2, 3, 4, 5, 6};
    const int e[] = {1, 1, 0, 1, 0, 1, 0};
    const double w[] = {0.5, 1.5, 2.25, 1, 0.75, 1.2, 2};
    const double surv[] = {0.94565217391304346, 0.78260869565217384, 0.62450592885375489,
                           0.62450592885375489, 0.39031620553359681, 0.39031620553359681};
    const double se[] = {0.056043812027313004, 0.157566355272195979, 0.200803532946043001,
                         0.200803532946043001, 0.256969327192037855, 0.256969327192037855};
    km_curve *c = fit(t, e, w, 7, KM_CI_LOG);
    assert_int_equal(c->variance, KM_VAR_ROBUST);
    assert_int_equal(c->n_times, 6);
    for (size_t k = 0; k < 6; k++) {
        assert_true(fabs(c->surv[k] - surv[k]) <= 1e-12);
        assert_true(fabs(c->se_surv[k] - se[k]) <= 1e-12);
    }
    km_point p;
    km_at(c, 10, &p);
    assert_true(fabs(p.lcl - 0.10740336773059747) <= 1e-12);
    NEAR(p.ucl, 1);
    km_curve_free(c);
    c = fit(t, e, w, 7, KM_CI_PLAIN);
    assert_true(fabs(c->lcl[0] - 0.83580832078317724) <= 1e-12);
    assert_true(fabs(c->lcl[2] - 0.23093823631110855) <= 1e-12);
    NEAR(c->lcl[4], 0);
    km_curve_free(c);
}

static void test_km_rejects_bad_input(void **state)
{
    (void)state;
    km_curve *c = NULL;
    tlf_err err;
    const double t[] = {1, NAN};
    const int e[] = {1, 0}, ebad[] = {1, 2};
    const double wbad[] = {1, -1};
    assert_int_equal(km_fit(&c, t, e, NULL, 2, KM_CI_LOG, 0.95, &err), TLF_EDATA);
    assert_null(c);
    assert_non_null(strstr(err.msg, "row 1"));
    const double t2[] = {1, 2};
    assert_int_equal(km_fit(&c, t2, ebad, NULL, 2, KM_CI_LOG, 0.95, &err), TLF_EDATA);
    assert_int_equal(km_fit(&c, t2, e, wbad, 2, KM_CI_LOG, 0.95, &err), TLF_EDATA);
    assert_int_equal(km_fit(&c, t2, e, NULL, 2, KM_CI_LOG, 1.5, &err), TLF_EUSAGE);
    km_ci_type ci;
    assert_int_equal(km_ci_parse("log-log", &ci), 0);
    assert_int_equal(ci, KM_CI_LOGLOG);
    assert_string_equal(km_ci_name(ci), "loglog");
    assert_int_equal(km_ci_parse("arcsin", &ci), -1);
    km_curve_free(NULL);
}

/* km_surv_at_ordered is km_fit + km_at's S(t), bit for bit: ties of events
 * and censorings, non-integer and zero weights, landmarks before the first
 * time, on a tie, between times and past the last; and it rejects a bad
 * weight with km_fit's message. */
static void test_km_surv_at_ordered_same_bits(void **state)
{
    (void)state;
    enum { N = 600 };
    double t[N], w[N];
    int e[N];
    size_t idx[N];
    unsigned long long s = 12345;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        t[i] = (double)((s >> 33) % 40);
        e[i] = (int)((s >> 20) & 1);
        w[i] = (i % 17 == 0) ? 0.0 : 0.1 + (double)((s >> 40) % 1000) / 97.0;
    }
    stats_order(idx, t, N);
    km_curve *c = NULL;
    tlf_err err;
    assert_int_equal(km_fit(&c, t, e, w, N, KM_CI_LOGLOG, 0.95, &err), TLF_OK);
    const double landmarks[] = {-1, 0, 7, 7.5, 20, 39, 45};
    for (size_t k = 0; k < sizeof landmarks / sizeof landmarks[0]; k++) {
        km_point pt;
        km_at(c, landmarks[k], &pt);
        double surv = -1;
        assert_int_equal(km_surv_at_ordered(t, e, w, idx, N, landmarks[k], &surv, &err), TLF_OK);
        assert_memory_equal(&surv, &pt.surv, sizeof surv);
    }
    assert_true(c->surv[c->n_times - 1] < 1.0);   /* the product did run */
    km_curve_free(c);
    w[5] = NAN;
    double surv = 7;
    assert_int_equal(km_surv_at_ordered(t, e, w, idx, N, 20, &surv, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "row 5: weight nan is not a finite value >= 0"));
    assert_true(surv == 7);
}

/* The value of stat with param in ard (NULL when absent); kind via *missing. */
static const tlf_ard_row *rec(const tlf_ard *ard, const char *stat, const char *param)
{
    for (size_t i = 0; i < ard->n; i++)
        if (strcmp(ard->rows[i].stat_name, stat) == 0 && strcmp(ard->rows[i].param, param) == 0)
            return &ard->rows[i];
    return NULL;
}

/* sap.md section 4: a landmark beyond the last follow-up (event or
 * censoring) with S above 0 is not estimable with the reason; within
 * follow-up, or on a curve already at 0, the estimate stands. km_at keeps
 * R's extend=TRUE. */
static void test_km_landmark_beyond_follow_up(void **state)
{
    (void)state;
    const double t[] = {10, 20, 30};
    const int e[] = {1, 0, 0};
    km_curve *c = NULL;
    tlf_err err;
    assert_int_equal(km_fit(&c, t, e, NULL, 3, KM_CI_LOGLOG, 0.95, &err), TLF_OK);
    km_point pt;
    km_at(c, 365, &pt);                       /* R: the last value carried forward */
    assert_true(fabs(pt.surv - 2.0 / 3.0) < 1e-12);
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key key = {"x", "os_km", "FAS", "ARMCD", "A", "AVAL", NULL};
    const double lm[] = {30, 365};
    km_emit_ard(ard, &key, c, lm, 2);
    const tlf_ard_row *r = rec(ard, "estimable", "t=30");
    assert_non_null(r);
    assert_true(r->value == 1);               /* censored on day 30: followed to 30 */
    r = rec(ard, "surv_at", "t=30");
    assert_true(r && r->kind == TLF_VAL_REAL && fabs(r->value - 2.0 / 3.0) < 1e-12);
    r = rec(ard, "estimable", "t=365;reason=no subject followed to day 365");
    assert_non_null(r);
    assert_true(r->value == 0);
    static const char *const EMPTY[] = {"surv_at", "se_at"};
    for (int k = 0; k < 2; k++) {
        r = rec(ard, EMPTY[k], "t=365");
        assert_true(r && r->kind == TLF_VAL_MISSING);
    }
    r = rec(ard, "lcl_at", "t=365;ci=loglog");
    assert_true(r && r->kind == TLF_VAL_MISSING);
    r = rec(ard, "n_risk_at", "t=365");
    assert_true(r && r->kind == TLF_VAL_INT && r->value == 0);
    tlf_ard_free(ard);
    km_curve_free(c);

    /* everyone died by day 20: S(365) = 0 is known, not extrapolated */
    const double t2[] = {10, 20};
    const int e2[] = {1, 1};
    assert_int_equal(km_fit(&c, t2, e2, NULL, 2, KM_CI_LOGLOG, 0.95, &err), TLF_OK);
    ard = tlf_ard_new();
    km_emit_ard(ard, &key, c, &lm[1], 1);
    r = rec(ard, "estimable", "t=365");
    assert_true(r && r->value == 1);
    r = rec(ard, "surv_at", "t=365");
    assert_true(r && r->kind != TLF_VAL_MISSING && r->value == 0);
    tlf_ard_free(ard);
    km_curve_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_km_ties_hand_worked),
        cmocka_unit_test(test_km_loglog_and_plain),
        cmocka_unit_test(test_km_landmarks_outside),
        cmocka_unit_test(test_km_all_censored),
        cmocka_unit_test(test_km_all_events_flat_quantiles),
        cmocka_unit_test(test_km_one_subject),
        cmocka_unit_test(test_km_zero_and_integer_weights),
        cmocka_unit_test(test_km_robust_weights_match_r),
        cmocka_unit_test(test_km_rejects_bad_input),
        cmocka_unit_test(test_km_surv_at_ordered_same_bits),
        cmocka_unit_test(test_km_landmark_beyond_follow_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
