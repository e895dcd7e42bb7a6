/* test_check_cli.c - `tlfgen check`: bad files give one clear line and exit
 * 3, a clean study exits 0, error findings exit 5, the CSV is written, and
 * the input is untouched. */
#include "testutil.h"
#include "minidb.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* `check --db path` exits 3 with exactly one line on stderr holding what. */
static void expect_bad(const char *path, const char *what)
{
    run_result r = run_tlfgen("check --db '%s'", path);
    if (r.status != 3 || !strstr(r.err, what))
        fprintf(stderr, "stderr: %s", r.err);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, what));
    assert_non_null(strstr(r.err, path));
    char *nl = strchr(r.err, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');                 /* one line */
    run_result_free(&r);
}

static void test_bad_files_exit_3_with_one_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir("check-bad");
    char *p = xasprintf("%s/missing.sqlite", dir);
    expect_bad(p, "no such file");
    free(p);

    p = xasprintf("%s/empty.sqlite", dir);
    write_bytes(p, "", 0);
    expect_bad(p, "file is empty");
    free(p);

    p = xasprintf("%s/random.sqlite", dir);
    unsigned char rnd[8192];
    unsigned x = 12345u;
    for (size_t i = 0; i < sizeof rnd; i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (unsigned char)(x >> 16);
    }
    write_bytes(p, rnd, sizeof rnd);
    expect_bad(p, "not a SQLite database (encrypted or corrupt?)");
    free(p);

    p = xasprintf("%s/notes.sqlite", dir);
    const char *text = "USUBJID,AGE\nTAC01-001,61\n\xe9\xab\x98\xe8\xa1\x80\xe7\xb3\x96\n";
    write_bytes(p, text, strlen(text));
    expect_bad(p, "a text file, not a SQLite database");
    free(p);

    /* truncated copies: mid-page and at a page boundary */
    char *good = xasprintf("%s/good.sqlite", dir);
    minidb_create(good, NULL);
    size_t n = 0;
    char *bytes = test_read_file(good, &n);
    assert_true(n > 8192);
    p = xasprintf("%s/cut.sqlite", dir);
    write_bytes(p, bytes, n / 2 + 100);
    expect_bad(p, "truncated SQLite database");
    write_bytes(p, bytes, 8192);
    expect_bad(p, "truncated SQLite database");
    write_bytes(p, bytes, 60);
    expect_bad(p, "truncated SQLite database");
    free(p);
    free(bytes);
    free(good);

    p = xasprintf("%s/other.sqlite", dir);
    run_result r = run_sh("sqlite3 '%s' 'CREATE TABLE notes (x TEXT); INSERT INTO notes "
                          "VALUES (1);'", p);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    expect_bad(p, "none of the study tables");
    free(p);
    free(dir);
}

static struct timespec mtime_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mtim;
}

static void test_clean_exits_0_and_input_untouched(void **state)
{
    (void)state;
    char *dir = test_tmpdir("check-clean"), *outdir = test_tmpdir("check-clean-out");
    char *db = xasprintf("%s/study.sqlite", dir), *csv = xasprintf("%s/issues.csv", outdir);
    minidb_create(db, NULL);
    run_result l0 = run_sh("ls -A '%s'; sha256sum '%s'", dir, db);
    struct timespec m0 = mtime_of(db);
    run_result r = run_tlfgen("check --db '%s' --out '%s'", db, csv);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "0 error(s), 0 warning(s), 0 information"));
    run_result l1 = run_sh("ls -A '%s'; sha256sum '%s'", dir, db);
    assert_string_equal(l0.out, l1.out);
    char sha[65];
    memcpy(sha, strchr(l0.out, '\n') + 1, 64);
    sha[64] = '\0';
    assert_non_null(strstr(r.err, sha));         /* the digest is printed */
    struct timespec m1 = mtime_of(db);
    assert_true(m0.tv_sec == m1.tv_sec && m0.tv_nsec == m1.tv_nsec);
    char *text = test_read_file(csv, NULL);
    assert_string_equal(text, "severity,table,usubjid,rowkey,column,value,rule,message\n");
    free(text);
    run_result_free(&r);
    run_result_free(&l0);
    run_result_free(&l1);
    free(db), free(csv), free(dir), free(outdir);
}

static void test_error_findings_exit_5_and_csv(void **state)
{
    (void)state;
    char *dir = test_tmpdir("check-err");
    char *db = xasprintf("%s/study.sqlite", dir), *csv = xasprintf("%s/issues.csv", dir);
    minidb_create(db, "UPDATE DM SET SEX = 'U' WHERE USUBJID = 'TAC01-002'");
    run_result r = run_tlfgen("check --db '%s' --out '%s' --cutoff 2024-03-31", db, csv);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "1 error(s), 0 warning(s), 8 information"));
    assert_non_null(strstr(r.err, "DB009 ERROR   1 finding(s)"));
    assert_non_null(strstr(r.err, "DB018 INFO    8 finding(s)"));
    assert_non_null(strstr(r.err, "... and 5 more"));
    char *text = test_read_file(csv, NULL);
    assert_non_null(strstr(text, "\nERROR,DM,TAC01-002,row 2,SEX,U,DB009,"));
    free(text);
    run_result_free(&r);
    /* warnings and information alone exit 0 */
    minidb_create(db, "UPDATE DM SET DTHFL = 'Y' WHERE USUBJID = 'TAC01-001'");
    r = run_tlfgen("check --db '%s'", db);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "0 error(s), 1 warning(s)"));
    run_result_free(&r);
    free(db), free(csv), free(dir);
}

static void test_usage(void **state)
{
    (void)state;
    run_result r = run_tlfgen("check --help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--busy-timeout MS"));
    assert_non_null(strstr(r.out, "Exit status:"));
    assert_non_null(strstr(r.out, "5   data issues"));
    run_result_free(&r);
    r = run_tlfgen("check");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "missing --db FILE"));
    run_result_free(&r);
    char *dir = test_tmpdir("check-usage");
    char *db = xasprintf("%s/study.sqlite", dir);
    minidb_create(db, NULL);
    r = run_tlfgen("check --db '%s' --cutoff 2024-02-30", db);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "2024-02-30"));
    run_result_free(&r);
    r = run_tlfgen("check --db '%s' --busy-timeout soon", db);
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    /* no temporary folder is left behind */
    r = run_sh("TMPDIR='%s' '%s' check --db '%s'; ls -A '%s'", dir, TLFGEN_BIN, db, dir);
    assert_string_equal(r.out, "study.sqlite\n");
    run_result_free(&r);
    free(db), free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files_exit_3_with_one_line),
        cmocka_unit_test(test_clean_exits_0_and_input_untouched),
        cmocka_unit_test(test_error_findings_exit_5_and_csv),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
