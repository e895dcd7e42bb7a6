/* test_cli.c - the command line's contract: --version (with the data
 * folder it found), --help, the manual page, usage errors. */
#include "testutil.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
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

/* The build-tree program finds the source tree through the marker beside
 * it; --data-dir and TLFGEN_DATA_DIR override it, and a folder without
 * the templates is an error naming it (exit 3), never a silent fallback. */
static void test_version_names_data_folder(void **state)
{
    (void)state;
    char *src = realpath(TLFGEN_SOURCE_DIR, NULL);
    assert_non_null(src);
    run_result r = run_tlfgen("--version");
    assert_int_equal(r.status, 0);
    char *want = xasprintf("data: %s (build tree (", src);
    if (!strstr(r.out, want))
        fail_msg("--version said '%s', wanted '%s...'", r.out, want);
    free(want);
    run_result_free(&r);
    r = run_tlfgen("--version --data-dir '%s'", src);
    assert_int_equal(r.status, 0);
    want = xasprintf("data: %s (--data-dir)", src);
    assert_non_null(strstr(r.out, want));
    free(want);
    run_result_free(&r);
    char *empty = test_tmpdir("cli_datadir");
    r = run_sh("TLFGEN_DATA_DIR='%s' '%s' --version", empty, TLFGEN_BIN);
    assert_int_equal(r.status, 3);
    want = xasprintf("TLFGEN_DATA_DIR=%s: no templates/catalog.json there", empty);
    if (!strstr(r.err, want))
        fail_msg("stderr '%s' lacks '%s'", r.err, want);
    free(want);
    run_result_free(&r);
    r = run_sh("TLFGEN_DATA_DIR='%s' '%s' run --db x.sqlite", empty, TLFGEN_BIN);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "tlfgen run: TLFGEN_DATA_DIR="));
    run_result_free(&r);
    /* a copy of the program in <prefix>/bin finds <prefix>/share/tlfgen */
    r = run_sh("cd '%s' && mkdir -p bin share && cp '%s' bin/tlfgen && "
               "ln -s '%s' share/tlfgen && bin/tlfgen --version", empty, TLFGEN_BIN, src);
    assert_int_equal(r.status, 0);
    want = xasprintf("data: %s (beside the program (../share/tlfgen))", src);
    if (!strstr(r.out, want))
        fail_msg("--version said '%s', wanted '%s'", r.out, want);
    free(want);
    run_result_free(&r);
    /* and without it says where it looked */
    r = run_sh("cd '%s' && rm share/tlfgen && bin/tlfgen --version", empty);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "no data folder (templates, fonts, config): looked in"));
    run_result_free(&r);
    free(empty);
    free(src);
}

/* Every command of `tlfgen --help` has its section in the manual page. */
static void test_man_page_covers_every_command(void **state)
{
    (void)state;
    char *path = test_source_path("packaging/tlfgen.1");
    char *man = test_read_file(path, NULL);
    assert_non_null(man);
    run_result r = run_tlfgen("--help");
    assert_int_equal(r.status, 0);
    const char *p = strstr(r.out, "Commands:\n");
    assert_non_null(p);
    size_t ncmd = 0;
    for (p = strchr(p, '\n') + 1; p[0] == ' ' && p[1] == ' '; p = strchr(p, '\n') + 1) {
        char name[64];
        assert_int_equal(sscanf(p, "%63s", name), 1);
        char roff[128];   /* a hyphen in roff is written \- */
        size_t k = 0;
        for (const char *c = name; *c && k + 3 < sizeof roff; c++) {
            if (*c == '-')
                roff[k++] = '\\';
            roff[k++] = *c;
        }
        roff[k] = '\0';
        char *sec = xasprintf("\n.SS %s\n", roff);
        if (!strstr(man, sec))
            fail_msg("packaging/tlfgen.1 has no section for command '%s'", name);
        free(sec);
        ncmd++;
    }
    assert_true(ncmd >= 10);
    run_result_free(&r);
    free(man);
    free(path);
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
        cmocka_unit_test(test_version_names_data_folder),
        cmocka_unit_test(test_man_page_covers_every_command),
        cmocka_unit_test(test_help_lists_commands_and_exit_codes),
        cmocka_unit_test(test_unknown_command_and_flag_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
