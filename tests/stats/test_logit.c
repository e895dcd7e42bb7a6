/* test_logit.c - logistic regression: closed-form 2x2 fit, separation
 * (complete and quasi-complete), collinear columns, bad input; a fit on
 * a design's patterns (the bootstrap's) equals the rows written out, and
 * both ways of summing give the bits of a row-by-row loop. */
#include "testutil.h"
#include "stats/linalg.h"
#include "stats/logit.h"

#include <float.h>
#include <stdlib.h>
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

/* glm.fit's IRLS written out one row at a time, as logit.c did before it
 * worked per pattern: the reference for the order of the sums. */
static double ref_exp_eta(double eta)
{
    double thresh = -log(DBL_EPSILON);
    return eta < -thresh || eta > thresh ? 0.0 : exp(eta);
}

static double ref_mu(double eta, double ex)
{
    double thresh = -log(DBL_EPSILON);
    double t = eta < -thresh ? DBL_EPSILON : eta > thresh ? 1.0 / DBL_EPSILON : ex;
    return t / (1.0 + t);
}

static double ref_mu_eta(double eta, double ex)
{
    double opexp = 1.0 + ex;
    return (eta > 30.0 || eta < -30.0) ? DBL_EPSILON : ex / (opexp * opexp);
}

static double ref_dev(const double *y, const double *mu, size_t n)
{
    double dev = 0.0;
    for (size_t i = 0; i < n; i++)
        dev += 2.0 * (y[i] > 0.5 ? -log(mu[i]) : -log(1.0 - mu[i]));
    return dev;
}

/* Coefficients into b (p), the deviance returned. */
static double ref_irls(const double *y, const double *x, size_t n, size_t p, double *b)
{
    double *eta = calloc(3 * n + 2 * p * p + p, sizeof *eta), *mu = eta + n, *ex = mu + n;
    double *xtwx = ex + n, *xtwz = xtwx + p * p;
    for (size_t i = 0; i < n; i++) {
        mu[i] = (y[i] + 0.5) / 2.0;
        eta[i] = log(mu[i] / (1.0 - mu[i]));
        ex[i] = ref_exp_eta(eta[i]);
    }
    double devold = ref_dev(y, mu, n), dev = devold;
    for (int iter = 1; iter <= 25; iter++) {
        memset(xtwx, 0, (p * p + p) * sizeof *xtwx);
        for (size_t i = 0; i < n; i++) {
            double me = ref_mu_eta(eta[i], ex[i]), w = me * me / (mu[i] * (1.0 - mu[i]));
            double zi = eta[i] + (y[i] - mu[i]) / me;
            for (size_t j = 0; j < p; j++) {
                double wx = w * x[i * p + j];
                xtwz[j] += wx * zi;
                for (size_t m = 0; m <= j; m++)
                    xtwx[j * p + m] += wx * x[i * p + m];
            }
        }
        assert_int_equal(linalg_chol(xtwx, p, 1e-11), (int)p);
        memcpy(b, xtwz, p * sizeof *b);
        linalg_chol_solve(xtwx, p, b);
        for (size_t i = 0; i < n; i++) {
            double e = 0.0;
            for (size_t j = 0; j < p; j++)
                e += x[i * p + j] * b[j];
            eta[i] = e;
            ex[i] = ref_exp_eta(e);
            mu[i] = ref_mu(e, ex[i]);
        }
        dev = ref_dev(y, mu, n);
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8)
            break;
        devold = dev;
    }
    free(eta);
    return dev;
}

/* n rows: intercept, age, sex, and a third covariate: 0/1 (few patterns,
 * each row's terms taken from its pattern's) or continuous (every row its
 * own pattern, terms worked out row by row). */
static void make_rows(double *y, double *x, size_t n, int continuous, unsigned long long s)
{
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double age = (double)(40 + (s >> 33) % 30), sex = (double)((s >> 20) & 1);
        x[i * 4] = 1.0;
        x[i * 4 + 1] = age;
        x[i * 4 + 2] = sex;
        x[i * 4 + 3] = continuous ? (double)((s >> 40) % 100000) / 7.0 : (double)((s >> 24) & 1);
        y[i] = ((s >> 50) % 100) < (unsigned)(20 + (age - 40) + 25 * sex) ? 1.0 : 0.0;
    }
}

/* Both ways of summing give the bits of the row-by-row loop. */
static void test_logit_same_bits_as_row_loop(void **state)
{
    (void)state;
    enum { N = 2000, P = 4 };
    double *y = malloc(N * sizeof *y), *x = malloc(N * P * sizeof *x), b[P], dev;
    for (int continuous = 0; continuous <= 1; continuous++) {
        make_rows(y, x, N, continuous, 7 + continuous);
        logit_design d;
        tlf_err err;
        assert_int_equal(logit_design_make(&d, y, x, N, P, &err), TLF_OK);
        if (continuous)
            assert_true(d.n_pat * 4 > N);    /* per row */
        else
            assert_true(d.n_pat * 4 <= N);   /* per pattern */
        logit_result *r = NULL;
        assert_int_equal(logit_fit_rows(&r, &d, d.row_pat, N, NULL, &err), TLF_OK);
        assert_true(r->estimable);
        dev = ref_irls(y, x, N, P, b);
        assert_memory_equal(r->coef, b, sizeof b);
        assert_memory_equal(&r->deviance, &dev, sizeof dev);
        logit_result_free(r);
        logit_design_free(&d);
    }
    free(y);
    free(x);
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
    make_rows(y, x, N, 0, 99);
    for (size_t i = 0; i < N; i += 3)   /* a third of the rows a continuous value */
        x[i * P + 3] = (double)((i * 7919) % 1000) / 7.0;
    logit_design d;
    tlf_err err;
    assert_int_equal(logit_design_make(&d, y, x, N, P, &err), TLF_OK);
    assert_true(d.n_pat > 10 && d.n_pat < N);
    for (size_t i = 0; i < N; i++)   /* a row is its pattern */
        assert_memory_equal(d.x + d.row_pat[i] * P, x + i * P, P * sizeof *x);
    unsigned long long s = 5;
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
        cmocka_unit_test(test_logit_same_bits_as_row_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
