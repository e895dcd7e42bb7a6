/* test_exact.c - small-sample methods by hand: binomial CIs at x = 0 and
 * x = n, Fisher with zero cells, paired t, Wilcoxon with zeros and ties,
 * type 2 quartiles. */
#include "testutil.h"
#include "stats/binom.h"
#include "stats/describe.h"
#include "stats/fisher.h"
#include "stats/paired.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>

static void test_binom_boundaries(void **state)
{
    (void)state;
    double l, u;
    /* x = 0: [0, 1 - (alpha/2)^(1/n)]; x = n: [(alpha/2)^(1/n), 1] */
    assert_int_equal(binom_clopper_pearson(0, 10, 0.95, &l, &u), 0);
    assert_true(l == 0.0);
    assert_float_equal(u, 1 - pow(0.025, 0.1), 1e-12);
    assert_int_equal(binom_clopper_pearson(10, 10, 0.95, &l, &u), 0);
    assert_float_equal(l, pow(0.025, 0.1), 1e-12);
    assert_true(u == 1.0);
    /* Wilson at x = 0: upper = z^2 / (n + z^2) */
    double z = 1.959963984540054;
    assert_int_equal(binom_wilson(0, 10, 0.95, &l, &u), 0);
    assert_true(l == 0.0);
    assert_float_equal(u, z * z / (10 + z * z), 1e-12);
    assert_int_equal(binom_wilson(10, 10, 0.95, &l, &u), 0);
    assert_float_equal(l, 10 / (10 + z * z), 1e-12);
    assert_true(u == 1.0);
    /* Clopper-Pearson is symmetric: (x, n) mirrors (n - x, n) */
    double l2, u2;
    binom_clopper_pearson(3, 17, 0.9, &l, &u);
    binom_clopper_pearson(14, 17, 0.9, &l2, &u2);
    assert_float_equal(l, 1 - u2, 1e-12);
    assert_float_equal(u, 1 - l2, 1e-12);
    assert_int_equal(binom_clopper_pearson(4, 3, 0.95, &l, &u), -1);
    assert_true(isnan(l) && isnan(u));
    assert_int_equal(binom_wilson(1, 0, 0.95, &l, &u), -1);
}

/* A small count of a large n: GSL's beta quantile does not converge (it
 * aborted a 100k-subject run); the bisection fallback gives the interval,
 * checked against its definition: P(X >= 5) = 0.025 at lcl, P(X <= 5) =
 * 0.025 at ucl, i.e. the beta CDF at the limits. */
static void test_clopper_pearson_small_count_large_n(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    double l, u;
    assert_int_equal(binom_clopper_pearson(5, 20000, 0.95, &l, &u), 0);
    assert_true(isfinite(l) && isfinite(u) && 0 < l && l < 5.0 / 20000 && 5.0 / 20000 < u && u < 1);
    assert_true(fabs(gsl_cdf_beta_P(l, 5, 20000 - 5 + 1) - 0.025) < 1e-9);
    assert_true(fabs(gsl_cdf_beta_P(u, 6, 20000 - 5) - 0.975) < 1e-9);
}

static void test_fisher_zero_cells(void **state)
{
    (void)state;
    /* [0 5; 5 0]: only the two extreme tables as improbable, 2 / C(10,5) */
    assert_float_equal(fisher_2x2_p(0, 5, 5, 0), 2.0 / 252.0, 1e-14);
    assert_float_equal(fisher_2x2_p(5, 0, 0, 5), 2.0 / 252.0, 1e-14);
    /* a zero margin leaves one table: p = 1 */
    assert_float_equal(fisher_2x2_p(0, 0, 3, 4), 1.0, 0);
    assert_float_equal(fisher_2x2_p(0, 0, 0, 0), 1.0, 0);
    /* [1 0; 0 1]: P = 1/2 each, both no more probable: p = 1 */
    assert_float_equal(fisher_2x2_p(1, 0, 0, 1), 1.0, 1e-14);
    /* margins m = 2, n = 3, k = 2: a = 0, 1, 2 with P 3/10, 6/10, 1/10 */
    assert_float_equal(fisher_2x2_p(0, 2, 2, 1), 0.4, 1e-14);
    assert_float_equal(fisher_2x2_p(2, 0, 0, 3), 0.1, 1e-14);
    assert_true(isnan(fisher_2x2_p(-1, 2, 2, 1)));
}

static void test_paired_t_by_hand(void **state)
{
    (void)state;
    double d[] = {1, 2, 3};
    paired_t_result r;
    assert_int_equal(paired_t(d, 3, 0.95, &r), 0);
    double t = 2.0 * sqrt(3.0);
    assert_float_equal(r.mean, 2.0, 1e-15);
    assert_float_equal(r.t, t, 1e-12);
    /* t with 2 df: P(|T| > t) = 1 - t / sqrt(2 + t^2); quantile 4.302653 */
    assert_float_equal(r.p, 1 - t / sqrt(2 + t * t), 1e-12);
    assert_float_equal(r.lcl, 2 - 4.302652729911275 / sqrt(3.0), 1e-9);
    double same[] = {2, 2, 2};
    assert_int_equal(paired_t(same, 3, 0.95, &r), -1);
    assert_int_equal(paired_t(d, 1, 0.95, &r), -1);
}

static void test_wilcoxon_zeros_and_ties(void **state)
{
    (void)state;
    double v, p;
    double d[] = {1, -2, 3, 0};   /* zero dropped: ranks 1 2 3, V = 4 */
    assert_int_equal(wilcoxon_signed_rank(d, 4, &v, &p), 0);
    assert_float_equal(v, 4, 0);
    double z = (4 - 3 - 0.5) / sqrt(3.5);
    assert_float_equal(p, 2 * (1 - 0.5 * erfc(-z / sqrt(2.0))), 1e-12);
    double tied[] = {1, 1, -1};  /* mid-ranks 2 2 2, sum(t^3-t)/48 = 0.5 */
    assert_int_equal(wilcoxon_signed_rank(tied, 3, &v, &p), 0);
    assert_float_equal(v, 4, 0);
    z = (4 - 3 - 0.5) / sqrt(3.0);
    assert_float_equal(p, 2 * 0.5 * erfc(z / sqrt(2.0)), 1e-12);
    double zeros[] = {0, 0};
    assert_int_equal(wilcoxon_signed_rank(zeros, 2, &v, &p), -1);
}

static void test_describe_type2_quartiles(void **state)
{
    (void)state;
    describe_result r;
    double even[] = {4, 1, 3, 2};
    assert_int_equal(describe(even, 4, &r), 0);
    assert_float_equal(r.q1, 1.5, 0);        /* np = 1: average x(1), x(2) */
    assert_float_equal(r.median, 2.5, 0);
    assert_float_equal(r.q3, 3.5, 0);
    assert_float_equal(r.sd, sqrt(5.0 / 3.0), 1e-15);
    assert_float_equal(r.se, sqrt(5.0 / 3.0) / 2.0, 1e-15);
    double odd[] = {5, 4, 3, 2, 1};
    assert_int_equal(describe(odd, 5, &r), 0);
    assert_float_equal(r.q1, 2, 0);          /* np = 1.25: x(2) */
    assert_float_equal(r.median, 3, 0);
    assert_float_equal(r.q3, 4, 0);
    assert_float_equal(r.min, 1, 0);
    assert_float_equal(r.max, 5, 0);
    double one[] = {7};
    assert_int_equal(describe(one, 1, &r), 0);
    assert_float_equal(r.q1, 7, 0);
    assert_true(isnan(r.sd));
    assert_int_equal(describe(NULL, 0, &r), 0);
    assert_int_equal(r.n, 0);
    assert_true(isnan(r.mean));
}

static void test_describe_decimals(void **state)
{
    (void)state;
    assert_int_equal(describe_decimals(120), 0);
    assert_int_equal(describe_decimals(-3.0), 0);
    assert_int_equal(describe_decimals(0.87), 2);
    assert_int_equal(describe_decimals(0.1 + 0.2), 1);     /* binary noise ignored */
    assert_int_equal(describe_decimals(1.5e-5), 6);
    assert_int_equal(describe_decimals(2.5e20), 0);
    assert_int_equal(describe_decimals(NAN), 0);
    double mixed[] = {12, 3.5, 7.25, 1};
    assert_int_equal(describe_max_decimals(mixed, 4, 3), 2);
    assert_int_equal(describe_max_decimals(mixed, 4, 1), 1);
    double fine[] = {1.23456};
    assert_int_equal(describe_max_decimals(fine, 1, 3), 3);
    assert_int_equal(describe_max_decimals(NULL, 0, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binom_boundaries),
        cmocka_unit_test(test_clopper_pearson_small_count_large_n),
        cmocka_unit_test(test_fisher_zero_cells),
        cmocka_unit_test(test_paired_t_by_hand),
        cmocka_unit_test(test_wilcoxon_zeros_and_ties),
        cmocka_unit_test(test_describe_type2_quartiles),
        cmocka_unit_test(test_describe_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
