/*
 * test_cmd_stats.c - `tlfgen stats km|logrank`: ARD shape (columns, group,
 * group_level, variable, params), --cnsr, dropped-row count, and one-line
 * errors with exit 2 naming the column and line.
 */
#include "testutil.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *write_csv(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *DATA = "AVAL,EV,CNSR,ARM,ONSET,W\n"
                          "10,1,0,TAC,NEW,1\n"
                          "20,0,1,HC,NEW,1\n"
                          "5.5,1,0,HC,RELAPSE,2\n"
                          "30,0,1,TAC,RELAPSE,1\n"
                          ",1,0,TAC,NEW,1\n"
                          "15,1,0,HC,NEW,1\n";

static int is_one_line(const char *s) { return strchr(s, '\n') == s + strlen(s) - 1; }

static void test_stats_km_ard_shape(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cmd_stats_km");
    char *in = write_csv(dir, "d.csv", DATA);
    run_result r = run_tlfgen("stats km --input %s --time AVAL --event EV --group ARM --landmarks 12", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "dropped 1 of 6 rows"));
    assert_true(strncmp(r.out, "output_id,analysis_id,population,group,group_level,variable,"
                               "variable_level,stat_name,param,value\r\n", 86) == 0);
    /* HC sorts before TAC (byte order); times without trailing zeros */
    char *hc = strstr(r.out, ",km,,ARM,HC,AVAL,,n,,3\r\n");
    char *tac = strstr(r.out, ",km,,ARM,TAC,AVAL,,n,,2\r\n");
    assert_non_null(hc);
    assert_non_null(tac);
    assert_true(hc < tac);
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,surv,t=5.5,0.66666666666666663\r\n"));
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,lcl,t=5.5;ci=loglog,"));
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,surv_at,t=12,"));
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,lcl_at,t=12;ci=loglog,"));
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,n_risk_at,t=12,2\r\n"));
    assert_non_null(strstr(r.out, ",km,,ARM,HC,AVAL,,median,,15\r\n"));
    assert_non_null(strstr(r.out, ",km,,ARM,TAC,AVAL,,q75,,\r\n"));   /* not reached: empty */
    run_result_free(&r);

    /* --cnsr (ADaM) gives the same records as --event */
    run_result a = run_tlfgen("stats km --input %s --time AVAL --event EV --ci log", in);
    run_result b = run_tlfgen("stats km --input %s --time AVAL --cnsr CNSR --ci log", in);
    assert_int_equal(a.status, 0);
    assert_string_equal(a.out, b.out);
    assert_non_null(strstr(a.out, "ci=log,"));
    run_result_free(&a);
    run_result_free(&b);

    /* weights and --out */
    char *out = xasprintf("%s/ard.csv", dir);
    r = run_tlfgen("stats km --input %s --time AVAL --event EV --weights W --out %s", in, out);
    assert_int_equal(r.status, 0);
    char *text = test_read_file(out, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, ",km,,,,AVAL,,n_risk,t=5.5,6\r\n"));   /* weighted: 1+1+2+1+1 */
    free(text);
    run_result_free(&r);
    free(out);
    free(in);
    free(dir);
}

static void test_stats_logrank_ard_shape(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cmd_stats_lr");
    char *in = write_csv(dir, "d.csv", DATA);
    run_result r = run_tlfgen("stats logrank --input %s --time AVAL --event EV --group ARM "
                              "--strata ONSET --analysis-id os_logrank_strat", in);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",os_logrank_strat,,ARM,,AVAL,,chisq,,"));
    assert_non_null(strstr(r.out, ",os_logrank_strat,,ARM,,AVAL,,df,,1\r\n"));
    assert_non_null(strstr(r.out, ",os_logrank_strat,,ARM,,AVAL,,p,,"));
    assert_non_null(strstr(r.out, ",os_logrank_strat,,ARM,HC,AVAL,,observed,,2\r\n"));
    assert_non_null(strstr(r.out, ",os_logrank_strat,,ARM,TAC,AVAL,,expected,,"));
    run_result_free(&r);
    free(in);
    free(dir);
}

static void expect_error(const char *args_fmt, const char *in, const char *needle)
{
    run_result r = run_tlfgen(args_fmt, in);
    if (r.status != 2 || !strstr(r.err, needle) || !is_one_line(r.err))
        fail_msg("args '%s': status %d, stderr '%s', wanted '%s'", args_fmt, r.status, r.err, needle);
    run_result_free(&r);
}

static void test_stats_errors_exit_2(void **state)
{
    (void)state;
    char *dir = test_tmpdir("cmd_stats_err");
    char *in = write_csv(dir, "d.csv", DATA);
    char *bad_time = write_csv(dir, "t.csv", "T,E\n1,1\nabc,0\n");
    char *neg_time = write_csv(dir, "n.csv", "T,E\n1,1\n2,0\n-3,1\n");
    char *bad_ev = write_csv(dir, "e.csv", "T,E\n1,2\n");
    char *bad_w = write_csv(dir, "w.csv", "T,E,W\n1,1,1\n2,1,-0.5\n");
    expect_error("stats km --input %s --time NOPE --event EV", in, "no column 'NOPE'");
    expect_error("stats km --input %s --time T --event E", bad_time, "column 'T', line 3: time 'abc'");
    expect_error("stats km --input %s --time T --event E", neg_time, "column 'T', line 4: time '-3'");
    expect_error("stats km --input %s --time T --event E", bad_ev, "column 'E', line 2: event '2'");
    expect_error("stats km --input %s --time T --event E --weights W", bad_w,
                 "column 'W', line 3: weight '-0.5'");
    expect_error("stats km --input %s --time AVAL", in, "one of --event or --cnsr");
    expect_error("stats km --input %s --time AVAL --event EV --ci arcsin", in, "--ci 'arcsin'");
    expect_error("stats km --input %s --time AVAL --event EV --landmarks 1,x", in, "--landmarks");
    expect_error("stats logrank --input %s --time AVAL --event EV --weights W", in, "apply to km");
    expect_error("stats cox2 --input %s", in, "unknown method 'cox2'");
    run_result r = run_tlfgen("stats --help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "km"));
    assert_non_null(strstr(r.out, "logrank"));
    run_result_free(&r);
    free(in);
    free(bad_time);
    free(neg_time);
    free(bad_ev);
    free(bad_w);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_km_ard_shape),
        cmocka_unit_test(test_stats_logrank_ard_shape),
        cmocka_unit_test(test_stats_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
