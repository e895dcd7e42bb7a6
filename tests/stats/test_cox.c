/* test_cox.c - Cox PH: hand-worked partial likelihoods (Therneau &
 * Grambsch's six-subject example), strata, and every not-estimable path. */
#include "testutil.h"
#include "stats/cox.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* time 1 1 6 6 8 9, status 1 0 1 1 0 1, x 1 1 1 0 0 0 */
static const double TG_TIME[] = {1, 1, 6, 6, 8, 9};
static const int TG_EVENT[] = {1, 0, 1, 1, 0, 1};
static const double TG_X[] = {1, 1, 1, 0, 0, 0};

static cox_result *fit_with(const double *t, const int *e, const double *x, size_t n, size_t p,
                            const int *strata, cox_ties ties, int min_events, cox_compress c)
{
    cox_options o;
    cox_options_default(&o);
    o.ties = ties;
    o.min_events = min_events;
    o.compress = c;
    cox_result *r = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(cox_fit(&r, t, e, x, n, p, strata, NULL, &o, &err), TLF_OK);
    assert_non_null(r);
    return r;
}

static cox_result *fit(const double *t, const int *e, const double *x, size_t n, size_t p,
                       const int *strata, cox_ties ties, int min_events)
{
    return fit_with(t, e, x, n, p, strata, ties, min_events, COX_COMPRESS_AUTO);
}

static void test_cox_breslow_by_hand(void **state)
{
    (void)state;
    cox_result *r = fit(TG_TIME, TG_EVENT, TG_X, 6, 1, NULL, COX_BRESLOW, 1);
    assert_true(r->estimable);
    /* l(0) = -log 6 - 2 log 4; U(0) = 1, I(0) = 1/4 + 2 (1/4)(3/4) = 5/8 */
    assert_float_equal(r->loglik0, -log(6.0) - 2.0 * log(4.0), 1e-12);
    assert_float_equal(r->score_chisq, 1.0 / 0.625, 1e-12);
    /* U(b) = 1/(r+1) + 1 - 2r/(r+3) = 0  =>  r^2 - 3r - 6 = 0 */
    double rr = (3.0 + sqrt(33.0)) / 2.0;
    assert_float_equal(r->coef[0], log(rr), 1e-8);
    assert_float_equal(r->hr[0], rr, 1e-7);
    /* l(b) at the root, by hand */
    double lb = log(rr) - log(3 * rr + 3) + log(rr) - 2 * log(rr + 3);
    assert_float_equal(r->loglik, lb, 1e-10);
    assert_float_equal(r->lr_chisq, 2 * (lb - r->loglik0), 1e-9);
    /* I(b) = r/(r+1)^2 + 2 * 3r/(r+3)^2, se = I^-1/2 */
    double info = rr / ((rr + 1) * (rr + 1)) + 6 * rr / ((rr + 3) * (rr + 3));
    assert_float_equal(r->se[0], 1 / sqrt(info), 1e-7);
    assert_float_equal(r->wald_chisq, log(rr) * log(rr) * info, 1e-7);
    assert_true(r->iterations >= 2 && r->converged);
    cox_result_free(r);
}

static void test_cox_efron_by_hand(void **state)
{
    (void)state;
    cox_result *r = fit(TG_TIME, TG_EVENT, TG_X, 6, 1, NULL, COX_EFRON, 1);
    assert_true(r->estimable);
    /* two deaths at t=6 among {x=1,0,0,0}: -log 4 - log(4 - 1/2 * 2) */
    assert_float_equal(r->loglik0, -log(6.0) - log(4.0) - log(3.0), 1e-12);
    double u = 0.5 + (1.0 - 0.25 - 0.5 / 3.0);
    double info = 0.25 + 3.0 / 16.0 + (1.0 / 6.0 - 1.0 / 36.0);
    assert_float_equal(r->score_chisq, u * u / info, 1e-12);
    assert_true(r->coef[0] > log((3.0 + sqrt(33.0)) / 2.0));  /* Efron > Breslow here */
    cox_result_free(r);
}

static void test_cox_no_ties_efron_equals_breslow(void **state)
{
    (void)state;
    double t[] = {5, 3, 9, 1, 7, 2, 8, 4}, x[] = {1, 0, 1, 0, 0, 1, 1, 0};
    double x2[] = {1, 0.5, 3, 2, 2, 1, 0, 0.5};   /* tied covariate values */
    int e[] = {1, 1, 0, 1, 1, 1, 0, 1};
    double xx[16];
    for (int i = 0; i < 8; i++) {
        xx[2 * i] = x[i];
        xx[2 * i + 1] = x2[i];
    }
    cox_result *a = fit(t, e, xx, 8, 2, NULL, COX_EFRON, 1);
    cox_result *b = fit(t, e, xx, 8, 2, NULL, COX_BRESLOW, 1);
    assert_true(a->estimable && b->estimable);
    for (int j = 0; j < 2; j++)
        assert_float_equal(a->coef[j], b->coef[j], 1e-12);
    assert_float_equal(a->loglik, b->loglik, 1e-12);
    cox_result_free(a);
    cox_result_free(b);
}

static void test_cox_row_order_and_strata(void **state)
{
    (void)state;
    /* T&G data twice as two strata: same coefficient, log-likelihood doubled */
    double t[12], x[12];
    int e[12], s[12];
    for (int i = 0; i < 12; i++) {
        int k = (i * 5) % 12;   /* a permutation of the rows */
        t[i] = TG_TIME[k % 6] + (k >= 6 ? 0.5 : 0.0);  /* strata overlap in time */
        e[i] = TG_EVENT[k % 6];
        x[i] = TG_X[k % 6];
        s[i] = k >= 6 ? 4 : 1;   /* codes need not be contiguous */
    }
    cox_result *one = fit(TG_TIME, TG_EVENT, TG_X, 6, 1, NULL, COX_EFRON, 1);
    cox_result *two = fit(t, e, x, 12, 1, s, COX_EFRON, 1);
    assert_true(two->estimable);
    assert_float_equal(two->coef[0], one->coef[0], 1e-9);
    assert_float_equal(two->loglik, 2 * one->loglik, 1e-9);
    assert_int_equal(two->n_event, 8);
    cox_result_free(one);
    cox_result_free(two);
}

static void test_cox_constant_within_strata(void **state)
{
    (void)state;
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[] = {0, 0, 0, 0, 1, 1, 1, 1};
    int e[] = {1, 1, 0, 1, 1, 0, 1, 1}, s[] = {1, 1, 1, 1, 2, 2, 2, 2};
    cox_result *r = fit(t, e, x, 8, 1, s, COX_EFRON, 5);
    assert_false(r->estimable);
    assert_non_null(strstr(r->reason, "constant"));
    assert_true(isnan(r->coef[0]) && isnan(r->loglik));
    cox_result_free(r);
}

static void test_cox_collinear(void **state)
{
    (void)state;
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[16];
    int e[] = {1, 1, 0, 1, 1, 0, 1, 1};
    for (int i = 0; i < 8; i++) {
        x[2 * i] = (i * 7) % 5;
        x[2 * i + 1] = 2.0 * x[2 * i] + 1.0;
    }
    const char *names[] = {"a", "b"};
    cox_result *r = NULL;
    tlf_err err;
    assert_int_equal(cox_fit(&r, t, e, x, 8, 2, NULL, names, NULL, &err), TLF_OK);
    assert_false(r->estimable);
    assert_non_null(strstr(r->reason, "b is constant (within strata) or collinear"));
    cox_result_free(r);
}

static void test_cox_one_event_and_min_events(void **state)
{
    (void)state;
    double t[] = {1, 2, 3, 4}, x[] = {0, 1, 0, 1};
    int e[] = {0, 1, 0, 0};
    cox_result *r = fit(t, e, x, 4, 1, NULL, COX_EFRON, 5);
    assert_false(r->estimable);
    assert_string_equal(r->reason, "1 event, fewer than the minimum of 5");
    assert_int_equal(r->n_event, 1);
    cox_result_free(r);
    /* allowed by the minimum, the single event sits in one arm */
    r = fit(t, e, x, 4, 1, NULL, COX_EFRON, 1);
    assert_false(r->estimable);
    assert_string_equal(r->reason, "no events where covariate 1 is 0");
    cox_result_free(r);
}

static void test_cox_monotone_likelihood(void **state)
{
    (void)state;
    /* continuous covariate: whoever has the larger x always dies first */
    double t[] = {1, 2, 3, 4, 5, 6, 7, 8}, x[] = {8, 7, 6, 5, 4, 3, 2, 1};
    int e[] = {1, 1, 1, 1, 1, 1, 1, 1};
    cox_result *r = fit(t, e, x, 8, 1, NULL, COX_EFRON, 5);
    assert_false(r->estimable);
    assert_non_null(strstr(r->reason, "monotone likelihood"));
    cox_result_free(r);
}

static void test_cox_bad_input(void **state)
{
    (void)state;
    double t[] = {1, NAN}, x[] = {0, 1};
    int e[] = {1, 2};
    cox_result *r = NULL;
    tlf_err err;
    assert_int_equal(cox_fit(&r, t, e, x, 2, 1, NULL, NULL, NULL, &err), TLF_EDATA);
    assert_null(r);
    assert_non_null(strstr(err.msg, "row 2"));
}

static void test_cox_ard_rows(void **state)
{
    (void)state;
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key key = {.analysis_id = "os_cox", .population = "FAS"};
    const char *names[] = {"ARMCDTAC"};
    cox_result *r = fit(TG_TIME, TG_EVENT, TG_X, 6, 1, NULL, COX_EFRON, 1);
    cox_emit_ard(ard, &key, names, r);
    assert_int_equal(ard->n, 13);
    assert_string_equal(ard->rows[0].variable, "ARMCDTAC");
    assert_string_equal(ard->rows[0].stat_name, "coef");
    assert_string_equal(ard->rows[6].variable, "model");
    assert_string_equal(ard->rows[6].stat_name, "estimable");
    assert_float_equal(ard->rows[6].value, 1, 0);
    cox_result_free(r);
    r = fit(TG_TIME, TG_EVENT, TG_X, 6, 1, NULL, COX_EFRON, 5);
    cox_emit_ard(ard, &key, names, r);
    assert_int_equal(ard->n, 16);
    assert_string_equal(ard->rows[13].stat_name, "estimable");
    assert_float_equal(ard->rows[13].value, 0, 0);
    assert_string_equal(ard->rows[13].param, "reason=4 events, fewer than the minimum of 5");
    assert_string_equal(ard->rows[15].stat_name, "n_event");
    cox_result_free(r);
    tlf_ard_free(ard);
}

/* min_events 1, the given collapsing */
static cox_result *fit_compress(const double *t, const int *e, const double *x, size_t n,
                                size_t p, const int *strata, cox_ties ties, cox_compress c)
{
    return fit_with(t, e, x, n, p, strata, ties, 1, c);
}

static void assert_rel(double a, double b, double tol)
{
    assert_true(isfinite(a) && isfinite(b));
    assert_true(fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b))));
}

/* Counted records (rows sharing stratum, time, status and covariates
 * collapsed) against the row-by-row fit: tie-heavy whole-number times,
 * three strata, a three-level categorical covariate dummy-coded as two
 * columns (some zeros given as -0.0, which must join 0.0) and an arm. */
static void test_cox_counted_records_match_rows(void **state)
{
    (void)state;
    enum { N = 900, P = 3 };
    double *t = malloc(N * sizeof *t), *x = malloc(N * P * sizeof *x);
    int *e = malloc(N * sizeof *e), *s = malloc(N * sizeof *s);
    unsigned long long g = 12345;
    for (int i = 0; i < N; i++) {
        g = g * 6364136223846793005ULL + 1442695040888963407ULL;
        int arm = (int)((g >> 33) & 1), cat = (int)((g >> 35) % 3), strat = (int)((g >> 40) % 3);
        double hazard = 0.08 * (arm ? 0.6 : 1.0) * (cat == 2 ? 1.5 : 1.0) * (1.0 + strat);
        double u = ((double)((g >> 11) & 0xFFFFF) + 0.5) / 1048576.0;
        t[i] = ceil(-log(u) / hazard);
        if (t[i] > 12) {
            t[i] = 12;                       /* administrative censoring */
            e[i] = 0;
        } else
            e[i] = ((g >> 45) % 5) != 0;     /* a fifth censored early   */
        s[i] = strat;
        x[i * P] = cat == 1 ? 1.0 : (i % 7 == 0 ? -0.0 : 0.0);
        x[i * P + 1] = cat == 2 ? 1.0 : 0.0;
        x[i * P + 2] = arm;
    }
    for (int ties = 0; ties < 2; ties++) {
        cox_ties tm = ties ? COX_BRESLOW : COX_EFRON;
        cox_result *rows = fit_compress(t, e, x, N, P, s, tm, COX_COMPRESS_NEVER);
        cox_result *recs = fit_compress(t, e, x, N, P, s, tm, COX_COMPRESS_ALWAYS);
        cox_result *aut = fit_compress(t, e, x, N, P, s, tm, COX_COMPRESS_AUTO);
        assert_true(rows->estimable && recs->estimable && aut->estimable);
        assert_int_equal(rows->n_record, N);
        assert_true(recs->n_record < N / 2);  /* 3 strata x 12 times x 2 x 6 at most */
        assert_int_equal(aut->n_record, recs->n_record);
        assert_int_equal(recs->n, N);
        assert_int_equal(recs->n_event, rows->n_event);
        assert_int_equal(recs->iterations, rows->iterations);
        for (int j = 0; j < P; j++) {
            assert_rel(recs->coef[j], rows->coef[j], 1e-10);
            assert_rel(recs->se[j], rows->se[j], 1e-10);
            for (int k = 0; k < P; k++)
                assert_rel(recs->var[j * P + k], rows->var[j * P + k], 1e-10);
        }
        assert_rel(recs->loglik0, rows->loglik0, 1e-10);
        assert_rel(recs->loglik, rows->loglik, 1e-10);
        assert_rel(recs->score_chisq, rows->score_chisq, 1e-10);
        assert_rel(recs->wald_chisq, rows->wald_chisq, 1e-10);
        assert_rel(recs->lr_chisq, rows->lr_chisq, 1e-10);
        cox_result_free(rows);
        cox_result_free(recs);
        cox_result_free(aut);
    }
    /* an arm with no events: the same reason either way */
    for (int i = 0; i < N; i++)
        if (x[i * P + 2] == 1.0)
            e[i] = 0;
    cox_result *rows = fit_compress(t, e, x, N, P, s, COX_EFRON, COX_COMPRESS_NEVER);
    cox_result *recs = fit_compress(t, e, x, N, P, s, COX_EFRON, COX_COMPRESS_ALWAYS);
    assert_false(rows->estimable || recs->estimable);
    assert_string_equal(recs->reason, rows->reason);
    assert_string_equal(recs->reason, "no events where covariate 3 is 1");
    cox_result_free(rows);
    cox_result_free(recs);
    free(t);
    free(x);
    free(e);
    free(s);
}

/* Distinct rows (a continuous covariate, no ties): AUTO iterates over the
 * rows themselves, and forcing the collapse changes nothing. */
static void test_cox_distinct_rows_not_collapsed(void **state)
{
    (void)state;
    enum { N = 200 };
    double t[N], x[N];
    int e[N];
    for (int i = 0; i < N; i++) {
        t[i] = (double)((i * 37) % N) + 1.0;
        x[i] = sin((double)i) + 0.01 * (double)((i * 53) % N);
        e[i] = (i % 4) != 0;
    }
    cox_result *aut = fit_compress(t, e, x, N, 1, NULL, COX_EFRON, COX_COMPRESS_AUTO);
    cox_result *recs = fit_compress(t, e, x, N, 1, NULL, COX_EFRON, COX_COMPRESS_ALWAYS);
    assert_true(aut->estimable && recs->estimable);
    assert_int_equal(aut->n_record, N);
    assert_int_equal(recs->n_record, N);
    assert_rel(recs->coef[0], aut->coef[0], 1e-12);
    assert_rel(recs->loglik, aut->loglik, 1e-12);
    cox_result_free(aut);
    cox_result_free(recs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cox_breslow_by_hand),
        cmocka_unit_test(test_cox_efron_by_hand),
        cmocka_unit_test(test_cox_no_ties_efron_equals_breslow),
        cmocka_unit_test(test_cox_row_order_and_strata),
        cmocka_unit_test(test_cox_constant_within_strata),
        cmocka_unit_test(test_cox_collinear),
        cmocka_unit_test(test_cox_one_event_and_min_events),
        cmocka_unit_test(test_cox_monotone_likelihood),
        cmocka_unit_test(test_cox_bad_input),
        cmocka_unit_test(test_cox_ard_rows),
        cmocka_unit_test(test_cox_counted_records_match_rows),
        cmocka_unit_test(test_cox_distinct_rows_not_collapsed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
