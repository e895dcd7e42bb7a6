/* test_stats_models.c - `tlfgen stats cox|logit|iptw|binom|fisher|paired|
 * describe` end to end: ARD rows, reference levels, not-estimable output,
 * determinism of the bootstrap, and one-line input errors (exit 2). */
#include "testutil.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *data_path(const char *name)
{
    char *rel = xasprintf("tests/reference/datasets/%s", name);
    char *p = test_source_path(rel);
    free(rel);
    return p;
}

static char *write_tmp(const char *tag, const char *text)
{
    char *dir = test_tmpdir(tag), *path = xasprintf("%s/in.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(dir);
    return path;
}

static void test_cli_cox_reference_and_ties(void **state)
{
    (void)state;
    char *aml = data_path("aml.csv");
    run_result r = run_tlfgen("stats cox --input '%s' --time time --event status --covariates x "
                              "--reference x=Nonmaintained --ties breslow --analysis-id os_cox", aml);
    assert_int_equal(r.status, 0);
    /* R: coxph(..., ties = "breslow") coef -0.904219723685701 */
    assert_non_null(strstr(r.out, ",os_cox,,,,xMaintained,,coef,,-0.9042197236857"));
    assert_non_null(strstr(r.out, ",os_cox,,,,model,,estimable,,1\r\n"));
    assert_non_null(strstr(r.out, ",os_cox,,,,model,,n_event,,18\r\n"));
    run_result_free(&r);
    /* default reference: first level in byte order (Maintained) */
    r = run_tlfgen("stats cox --input '%s' --time time --event status --covariates x", aml);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",xNonmaintained,,coef,,0.9155325750"));
    run_result_free(&r);
    free(aml);
}

static void test_cli_cox_not_estimable(void **state)
{
    (void)state;
    char *in = write_tmp("cox_ne", "t,e,arm\n1,1,A\n2,1,A\n3,0,B\n4,1,A\n5,0,B\n");
    run_result r = run_tlfgen("stats cox --input '%s' --time t --event e --covariates arm", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",estimable,\"reason=3 events, fewer than the minimum of 5\",0\r\n"));
    assert_null(strstr(r.out, ",coef,"));
    run_result_free(&r);
    r = run_tlfgen("stats cox --input '%s' --time t --event e --covariates arm --min-events 1", in);
    assert_non_null(strstr(r.out, "estimable,reason=no events where armB is 1,0"));
    run_result_free(&r);
    free(in);
}

static void test_cli_input_errors(void **state)
{
    (void)state;
    char *in = write_tmp("errs", "t,e,age,y\n1,1,50,1\n2,0,6x,0\n3,1,40,2\n");
    run_result r = run_tlfgen("stats cox --input '%s' --time t --event e --covariates age", in);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "column 'age', line 3: value '6x' is not a number"));
    assert_null(strchr(strchr(r.err, '\n') + 1, '\n'));   /* one line */
    run_result_free(&r);
    r = run_tlfgen("stats binom --input '%s' --response y", in);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "column 'y', line 4: value '2' is not 0 or 1"));
    run_result_free(&r);
    r = run_tlfgen("stats cox --input '%s' --time t --event e --covariates age --ties exact", in);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--ties 'exact' is not efron or breslow"));
    run_result_free(&r);
    r = run_tlfgen("stats logit --input '%s' --response y --covariates age --ties efron", in);
    assert_int_equal(r.status, 2);     /* --ties is not a logit option */
    run_result_free(&r);
    r = run_tlfgen("stats cox --input '%s' --time t --event e --covariates age --reference age", in);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "is not COL=LEVEL"));
    run_result_free(&r);
    free(in);
}

static void test_cli_logit_separation(void **state)
{
    (void)state;
    char *in = write_tmp("sep", "y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n");
    run_result r = run_tlfgen("stats logit --input '%s' --response y --covariates x", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "estimable,reason=complete separation"));
    assert_null(strstr(r.out, ",coef,"));
    run_result_free(&r);
    free(in);
}

static void test_cli_iptw_deterministic(void **state)
{
    (void)state;
    char *vet = data_path("veteran.csv");
    const char *args = "stats iptw --input '%s' --time time --event status --group trt --treated 2 "
                       "--covariates karno,age,prior --boot 100 --seed 11 --landmarks 90";
    run_result a = run_tlfgen(args, vet), b = run_tlfgen(args, vet);
    assert_int_equal(a.status, 0);
    assert_string_equal(a.out, b.out);
    assert_non_null(strstr(a.out, ",iptw_km,,trt,1,,,lcl_at,t=90;method=bootstrap;b=100,"));
    assert_non_null(strstr(a.out, ",iptw,,trt,2,,,w_max,,1\r\n"));   /* treated weight 1 */
    assert_non_null(strstr(a.out, ",iptw,,,,age,,smd_after,,"));
    run_result_free(&a);
    run_result_free(&b);
    run_result c = run_tlfgen("stats iptw --input '%s' --time time --event status --group trt "
                              "--treated 2 --covariates karno,age,prior --boot 100 --seed 12 "
                              "--landmarks 90", vet);
    assert_int_equal(c.status, 0);
    run_result_free(&c);
    free(vet);
}

static void test_cli_small_sample_methods(void **state)
{
    (void)state;
    char *pairs = data_path("paired.csv");
    run_result r = run_tlfgen("stats paired --input '%s' --before base --after wk52", pairs);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",wilcoxon_v,,216\r\n"));
    assert_non_null(strstr(r.out, ",t_p,,0.220108852896"));
    run_result_free(&r);
    free(pairs);
    char *in = write_tmp("bin", "arm,resp\nTAC,1\nTAC,1\nTAC,1\nHC,0\nHC,0\nHC,\n");
    r = run_tlfgen("stats binom --input '%s' --response resp --group arm --method wilson", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",binom,,arm,HC,resp,,n,,2\r\n"));
    assert_non_null(strstr(r.out, ",binom,,arm,HC,resp,,lcl,method=wilson,0\r\n"));
    assert_non_null(strstr(r.out, ",binom,,arm,TAC,resp,,ucl,method=wilson,1\r\n"));
    run_result_free(&r);
    r = run_tlfgen("stats fisher --input '%s' --response resp --group arm", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",fisher_p,,0.10000000000000001\r\n"));   /* 1 / C(5,2) */
    run_result_free(&r);
    r = run_tlfgen("stats describe --input '%s' --response resp --group arm", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",describe,,arm,TAC,resp,,q3,,1\r\n"));
    run_result_free(&r);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_cox_reference_and_ties),
        cmocka_unit_test(test_cli_cox_not_estimable),
        cmocka_unit_test(test_cli_input_errors),
        cmocka_unit_test(test_cli_logit_separation),
        cmocka_unit_test(test_cli_iptw_deterministic),
        cmocka_unit_test(test_cli_small_sample_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
