/*
 * test_checks_demo.c - the data checks against the demo generator: the
 * clean study gives no error or warning; `demo-db --with-issues` triggers
 * every error rule a usable database can hold (DB005-DB014). DB001-DB004
 * (a missing table or column, DBSTATUS not one row or an unknown STATUS)
 * leave no study to run on; tests/db covers them on hand-made files.
 */
#include "testutil.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_clean_demo_has_no_error_or_warning(void **state)
{
    (void)state;
    char *dir = test_tmpdir("checks-clean");
    run_result r = run_tlfgen("demo-db --out '%s/d.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("check --db '%s/d.sqlite' --out '%s/i.csv'", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("tail -n +2 '%s/i.csv' | grep -c -e '^ERROR,' -e '^WARNING,'", dir);
    assert_string_equal(r.out, "0\n");
    run_result_free(&r);
    free(dir);
}

static void test_with_issues_triggers_every_error_rule(void **state)
{
    (void)state;
    char *dir = test_tmpdir("checks-issues");
    run_result r = run_tlfgen("demo-db --with-issues --out '%s/d.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("check --db '%s/d.sqlite' --out '%s/i.csv'", dir, dir);
    assert_int_equal(r.status, 5);
    run_result_free(&r);
    char *csv = xasprintf("%s/i.csv", dir);
    char *text = test_read_file(csv, NULL);
    assert_non_null(text);
    for (int rule = 5; rule <= 14; rule++) {
        char needle[32];
        snprintf(needle, sizeof needle, ",DB%03d,", rule);
        if (!strstr(text, needle))
            fail_msg("--with-issues does not trigger DB%03d", rule);
    }
    free(text);
    free(csv);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_demo_has_no_error_or_warning),
        cmocka_unit_test(test_with_issues_triggers_every_error_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
