/* test_logit.c - logistic regression: closed-form 2x2 fit, separation
 * (complete and quasi-complete), collinear columns, bad input; a fit on
 * a design's patterns (the bootstrap's) equals the rows written out. */
#include "testutil.h"
#include "stats/logit.h"

#include <math.h>
#include <string.h>

static logit_result *fit(const double *y, const double *x, size_t n, size_t p)
{
    logit_result *r = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    const char *names[] = {"(Intercept)", "x", "z"};
    assert_int_equal(logit_fit(&r, y, x, n, p, names, &err), TLF_OK);
    assert_non_null(r);
    return r;
}

static void test_logit_binary_covariate_closed_form(void **state)
{
    (void)state;
    /* x=0: 3 of 10 respond; x=1: 6 of 8. MLE: b0 = logit(3/10),
     * b1 = log odds ratio, se(b1) = sqrt(1/3 + 1/7 + 1/6 + 1/2). */
    double y[18], x[36];
    for (int i = 0; i < 18; i++) {
        int grp = i >= 10;
        x[2 * i] = 1.0;
        x[2 * i + 1] = grp;
        y[i] = grp ? (i - 10 < 6) : (i < 3);
    }
    logit_result *r = fit(y, x, 18, 2);
    assert_true(r->estimable && r->converged);
    assert_int_equal(r->separation, LOGIT_SEP_NONE);
    assert_float_equal(r->coef[0], log(3.0 / 7.0), 1e-8);
    assert_float_equal(r->coef[1], log((6.0 / 2.0) / (3.0 / 7.0)), 1e-8);
    assert_float_equal(r->se[0], sqrt(1.0 / 3 + 1.0 / 7), 1e-6);
    assert_float_equal(r->se[1], sqrt(1.0 / 3 + 1.0 / 7 + 1.0 / 6 + 1.0 / 2), 1e-6);
    assert_float_equal(r->fitted[0], 0.3, 1e-8);
    assert_float_equal(r->fitted[17], 0.75, 1e-8);
    logit_result_free(r);
}

static void test_logit_complete_separation(void **state)
{
    (void)state;
    double y[10], x[20];
    for (int i = 0; i < 10; i++) {
        x[2 * i] = 1.0;
        x[2 * i + 1] = i + 1;
        y[i] = i >= 5;
    }
    logit_result *r = fit(y, x, 10, 2);
    assert_false(r->estimable);
    assert_int_equal(r->separation, LOGIT_SEP_COMPLETE);
    assert_non_null(strstr(r->reason, "complete separation"));
    assert_true(isnan(r->coef[1]));
    logit_result_free(r);
}

static void test_logit_quasi_complete_separation(void **state)
{
    (void)state;
    /* z = 1 always responds; z = 0 is mixed */
    double y[] = {1, 1, 1, 1, 0, 1, 0, 0, 1, 0}, x[30];
    double z[] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, v[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    for (int i = 0; i < 10; i++) {
        x[3 * i] = 1;
        x[3 * i + 1] = v[i];
        x[3 * i + 2] = z[i];
    }
    logit_result *r = fit(y, x, 10, 3);
    assert_false(r->estimable);
    assert_int_equal(r->separation, LOGIT_SEP_QUASI);
    assert_non_null(strstr(r->reason, "quasi-complete separation: 4 of 10"));
    logit_result_free(r);
}

static void test_logit_collinear_and_constant(void **state)
{
    (void)state;
    double y[] = {1, 0, 1, 0, 1, 1, 0, 0}, x[24];
    for (int i = 0; i < 8; i++) {
        x[3 * i] = 1;
        x[3 * i + 1] = (i * 3) % 5;
        x[3 * i + 2] = 1 - 2 * x[3 * i + 1];
    }
    logit_result *r = fit(y, x, 8, 3);
    assert_false(r->estimable);
    assert_string_equal(r->reason, "column z is constant or collinear with the others");
    logit_result_free(r);
    double one[] = {1, 1, 1, 1, 1, 1, 1, 1};
    double y1[] = {1, 1, 1, 1, 1, 1, 1, 1};
    r = fit(y1, one, 8, 1);
    assert_false(r->estimable);
    assert_string_equal(r->reason, "every response is 1");
    logit_result_free(r);
}

static void test_logit_bad_response(void **state)
{
    (void)state;
    double y[] = {0, 2}, x[] = {1, 1};
    logit_result *r = NULL;
    tlf_err err;
    assert_int_equal(logit_fit(&r, y, x, 2, 1, NULL, &err), TLF_EDATA);
    assert_null(r);
    assert_non_null(strstr(err.msg, "row 2"));
}

/* A design as patterns: repeated rows share one, -0.0 and 0.0 do not;
 * logit_fit_rows on a list of rows drawn with repeats is logit_fit on those
 * rows written out, bit for bit (coefficients, covariance, fitted values,
 * deviances, iterations). */
static void test_logit_rows_same_bits(void **state)
{
    (void)state;
    enum { N = 300, P = 4, M = 450 };
    double y[N], x[N * P], yb[M], xb[M * P];
    size_t pick[M];
    unsigned long long s = 99;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double age = (double)(40 + (s >> 33) % 30), sex = (double)((s >> 20) & 1);
        double cont = (i % 3 == 0) ? (double)((s >> 40) % 1000) / 7.0 : 1.5;
        x[i * P] = 1.0;
        x[i * P + 1] = age;
        x[i * P + 2] = sex;
        x[i * P + 3] = cont;
        /* an outcome related to age and sex, with noise */
        y[i] = ((s >> 50) % 100) < (unsigned)(20 + (age - 40) + 25 * sex) ? 1.0 : 0.0;
    }
    logit_design d;
    tlf_err err;
    assert_int_equal(logit_design_make(&d, y, x, N, P, &err), TLF_OK);
    assert_true(d.n_pat > 10 && d.n_pat < N);
    for (size_t i = 0; i < N; i++)   /* a row is its pattern */
        assert_memory_equal(d.x + d.row_pat[i] * P, x + i * P, P * sizeof *x);
    for (size_t i = 0; i < M; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        pick[i] = d.row_pat[(s >> 33) % N];
        yb[i] = d.y[pick[i]];
        memcpy(xb + i * P, d.x + pick[i] * P, P * sizeof *xb);
    }
    logit_result *a = NULL, *b = NULL;
    assert_int_equal(logit_fit_rows(&a, &d, pick, M, NULL, &err), TLF_OK);
    assert_int_equal(logit_fit(&b, yb, xb, M, P, NULL, &err), TLF_OK);
    assert_true(a->estimable && b->estimable);
    assert_memory_equal(a->coef, b->coef, (2 * P + P * P) * sizeof *a->coef);
    assert_memory_equal(a->fitted, b->fitted, M * sizeof *a->fitted);
    assert_memory_equal(&a->deviance, &b->deviance, sizeof a->deviance);
    assert_memory_equal(&a->null_deviance, &b->null_deviance, sizeof a->null_deviance);
    assert_int_equal(a->iterations, b->iterations);
    logit_result_free(a);
    logit_result_free(b);
    logit_design_free(&d);

    double y2[] = {1, 1, 1, 0}, x2[] = {1, 0.0, 1, -0.0, 1, 0.0, 1, 0.0};
    assert_int_equal(logit_design_make(&d, y2, x2, 4, 2, &err), TLF_OK);
    assert_int_equal(d.n_pat, 3);   /* y 1 with 0.0, y 1 with -0.0, y 0 with 0.0 */
    assert_int_equal(d.row_pat[2], d.row_pat[0]);
    assert_int_not_equal(d.row_pat[1], d.row_pat[0]);
    assert_int_not_equal(d.row_pat[3], d.row_pat[0]);
    logit_design_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logit_binary_covariate_closed_form),
        cmocka_unit_test(test_logit_complete_separation),
        cmocka_unit_test(test_logit_quasi_complete_separation),
        cmocka_unit_test(test_logit_collinear_and_constant),
        cmocka_unit_test(test_logit_bad_response),
        cmocka_unit_test(test_logit_rows_same_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
