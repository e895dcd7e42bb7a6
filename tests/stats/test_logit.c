/* test_logit.c - logistic regression: closed-form 2x2 fit, separation
 * (complete and quasi-complete), collinear columns, bad input. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logit_binary_covariate_closed_form),
        cmocka_unit_test(test_logit_complete_separation),
        cmocka_unit_test(test_logit_quasi_complete_separation),
        cmocka_unit_test(test_logit_collinear_and_constant),
        cmocka_unit_test(test_logit_bad_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
