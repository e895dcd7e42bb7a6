/* test_cli.c - the command line's contract: --version, --help, usage errors. */
#include "testutil.h"

#include <string.h>

static void test_version_names_commit(void **state)
{
    (void)state;
    run_result r = run_tlfgen("--version");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "tlfgen "));
    assert_non_null(strstr(r.out, "commit "));
    run_result_free(&r);
}

static void test_help_lists_commands_and_exit_codes(void **state)
{
    (void)state;
    run_result r = run_tlfgen("--help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Commands:"));
    assert_non_null(strstr(r.out, "Exit status:"));
    run_result_free(&r);
}

static void test_unknown_command_and_flag_exit_2(void **state)
{
    (void)state;
    run_result r = run_tlfgen("frobnicate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    assert_null(strchr(strchr(r.err, '\n') + 1, '\n'));   /* one line */
    run_result_free(&r);
    r = run_tlfgen("version --bogus");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown option '--bogus'"));
    run_result_free(&r);
    r = run_tlfgen("%s", "");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "missing command"));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_names_commit),
        cmocka_unit_test(test_help_lists_commands_and_exit_codes),
        cmocka_unit_test(test_unknown_command_and_flag_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
