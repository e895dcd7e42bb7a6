/*
 * test_logrank.c - log-rank test against a hand-worked 2-group example,
 * stratification (sums over strata), k = 3 (the dropped group does not
 * matter), an empty group (df falls), a group with no events, bad input.
 */
#include "testutil.h"
#include "stats/logrank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void near(double a, double b) { assert_true(fabs(a - b) <= 1e-12 * (1 + fabs(b))); }

static logrank_result *run(const double *t, const int *e, const int *g, size_t k, const int *s,
                           size_t n)
{
    logrank_result *r = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(logrank_test(&r, t, e, g, k, s, n, &err), TLF_OK);
    return r;
}

/* group 0: events at 1 and 3; group 1: event at 2, censored at 4.
 * t=1: n=4 (2,2) d=1 -> E0 += 1/2, V += 1*3/(4*3) * 2*(1-2/4) = 1/4
 * t=2: n=3 (1,2) d=1 -> E0 += 1/3, V += 1*2/(3*2) * 1*(1-1/3) = 2/9
 * t=3: n=2 (1,1) d=1 -> E0 += 1/2, V += 1*1/(2*1) * 1*(1/2)   = 1/4
 * O0 = 2, E0 = 4/3, O1 = 1, E1 = 5/3, V = 13/18, chisq = (4/9)/(13/18) = 8/13 */
static const double T[] = {1, 3, 2, 4};
static const int E[] = {1, 1, 1, 0};
static const int G[] = {0, 0, 1, 1};

static void test_logrank_hand_worked(void **state)
{
    (void)state;
    logrank_result *r = run(T, E, G, 2, NULL, 4);
    near(r->observed[0], 2);
    near(r->observed[1], 1);
    near(r->expected[0], 4.0 / 3);
    near(r->expected[1], 5.0 / 3);
    near(r->var[0], 13.0 / 18);
    near(r->var[1], -13.0 / 18);
    near(r->chisq, 8.0 / 13);
    assert_int_equal(r->df, 1);
    near(r->p, erfc(sqrt(8.0 / 13 / 2)));   /* chi-square(1) upper tail */
    logrank_result_free(r);
}

static void test_logrank_stratified_sums(void **state)
{
    (void)state;
    /* the same data twice, as two strata: O, E, V double, so does chisq;
     * pooled without strata it would differ (one risk set of 8) */
    double t[8];
    int e[8], g[8], s[8];
    for (int i = 0; i < 8; i++) {
        t[i] = T[i % 4] + (i >= 4 ? 0.5 : 0);
        e[i] = E[i % 4];
        g[i] = G[i % 4];
        s[i] = i >= 4;
    }
    logrank_result *r = run(t, e, g, 2, s, 8);
    near(r->observed[0], 4);
    near(r->expected[0], 8.0 / 3);
    near(r->chisq, 16.0 / 13);
    logrank_result_free(r);
    r = run(t, e, g, 2, NULL, 8);
    assert_true(fabs(r->chisq - 16.0 / 13) > 1e-6);
    logrank_result_free(r);
}

static void test_logrank_three_groups_and_empty_group(void **state)
{
    (void)state;
    const double t[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int e[] = {1, 1, 0, 1, 1, 1, 0, 1, 1};
    const int g[] = {0, 1, 2, 0, 1, 2, 2, 1, 0};
    const int gp[] = {2, 0, 1, 2, 0, 1, 1, 0, 2};   /* same groups, relabelled */
    logrank_result *a = run(t, e, g, 3, NULL, 9);
    logrank_result *b = run(t, e, gp, 3, NULL, 9);
    assert_int_equal(a->df, 2);
    /* R: survdiff(Surv(t, e) ~ g)$chisq prints 0.840907 */
    assert_true(fabs(a->chisq - 0.840907) < 5e-7);
    near(a->chisq, b->chisq);   /* which group is dropped does not matter */
    near(a->p, b->p);
    double so = 0, se = 0;
    for (int i = 0; i < 3; i++) {
        so += a->observed[i];
        se += a->expected[i];
    }
    near(so, se);               /* sum O = sum E */
    logrank_result_free(a);
    logrank_result_free(b);
    /* k = 3 but group 2 has no rows: expected 0, left out, df 1 */
    logrank_result *c = run(T, E, G, 3, NULL, 4);
    assert_int_equal(c->df, 1);
    near(c->expected[2], 0);
    near(c->chisq, 8.0 / 13);
    logrank_result_free(c);
}

static void test_logrank_group_without_events(void **state)
{
    (void)state;
    const double t[] = {1, 2, 3, 4};
    const int e[] = {1, 1, 0, 0};
    const int g[] = {0, 0, 1, 1};
    logrank_result *r = run(t, e, g, 2, NULL, 4);
    near(r->observed[1], 0);
    assert_true(r->expected[1] > 0);
    assert_true(r->chisq > 0 && r->p > 0 && r->p < 1);
    logrank_result_free(r);
    /* one group only: no test */
    const int g1[] = {0, 0, 0, 0};
    r = run(t, e, g1, 1, NULL, 4);
    assert_int_equal(r->df, 0);
    near(r->chisq, 0);
    assert_true(isnan(r->p));
    logrank_result_free(r);
}

static void test_logrank_rejects_bad_input(void **state)
{
    (void)state;
    logrank_result *r = NULL;
    tlf_err err;
    const int gbad[] = {0, 0, 2, 1};
    assert_int_equal(logrank_test(&r, T, E, gbad, 2, NULL, 4, &err), TLF_EDATA);
    assert_null(r);
    assert_non_null(strstr(err.msg, "row 2"));
    const int ebad[] = {1, 1, 3, 0};
    assert_int_equal(logrank_test(&r, T, ebad, G, 2, NULL, 4, &err), TLF_EDATA);
    logrank_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logrank_hand_worked),
        cmocka_unit_test(test_logrank_stratified_sums),
        cmocka_unit_test(test_logrank_three_groups_and_empty_group),
        cmocka_unit_test(test_logrank_group_without_events),
        cmocka_unit_test(test_logrank_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
