/* test_derive_demo.c - `tlfgen derive` end to end on the default demo
 * database (tlfgen demo-db, shaped on Takada 2020): analysis sets, the
 * OS derivation of the FAS at 52 weeks, the partial death date, serious
 * TEAEs, the output written atomically, and bad input. */
#include "testutil.h"
#include "sdtm_builder.h"
#include "core/mem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_demo_default_study(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_demo");
    run_result r = run_tlfgen("demo-db --out '%s/sdtm.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *aesi = test_source_path("config/aesi.json");
    r = run_tlfgen("derive --db '%s/sdtm.sqlite' --out '%s/adam.sqlite' --aesi '%s'", dir, dir, aesi);
    if (r.status != 0)
        fail_msg("derive failed: %s", r.err);
    assert_non_null(strstr(r.out, "26 enrolled, 25 FAS"));
    run_result_free(&r);
    free(aesi);

    char *path = xasprintf("%s/adam.sqlite", dir);
    sqlite3 *ad = NULL;
    assert_int_equal(sqlite3_open_v2(path, &ad, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL WHERE ENRLFL='Y'"), 26);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL WHERE FASFL='Y'"), 25);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL WHERE SAFFL='Y'"), 25);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL WHERE PPSFL='Y'"), 24);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL WHERE HCFL='Y'"), 16);
    /* OS in the FAS: 3 deaths by day 365, 22 censored (21 event-free
     * through day 365, one lost to follow-up at its last contact, day 300) */
    const char *os = "SELECT count(*) FROM ADTTE WHERE PARAMCD='OS' AND FASFL='Y' AND %s";
    assert_int_equal(adam_int(ad, os, "CNSR=0"), 3);
    assert_int_equal(adam_int(ad, os, "CNSR>0"), 22);
    assert_int_equal(adam_int(ad, os, "CNSR=1 AND AVAL=365"), 21);
    assert_int_equal(adam_int(ad, os, "CNSR=2 AND AVAL=300 AND USUBJID LIKE '%%T0013'"), 1);
    assert_int_equal(adam_int(ad, os, "AVAL>365"), 0);
    /* the month-only death: later of the 1st and the day after the last contact */
    assert_q(ad, "2013-12-01", "SELECT DTHDT FROM ADSL WHERE USUBJID LIKE '%%T0010'");
    assert_q(ad, "D", "SELECT DTHDTF FROM ADSL WHERE USUBJID LIKE '%%T0010'");
    assert_int_equal(adam_int(ad, "SELECT AVAL FROM ADTTE WHERE PARAMCD='OS' AND USUBJID LIKE '%%T0010'"), 102);
    /* HC: one death */
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADTTE WHERE PARAMCD='OS' AND HCFL='Y' AND CNSR=0"), 1);
    /* serious TEAEs in 11 SAF subjects; the pre-day-1 and post-window SAEs not counted */
    assert_int_equal(adam_int(ad, "SELECT count(DISTINCT USUBJID) FROM ADAE WHERE SAFFL='Y' AND"
                                  " TRTEMFL='Y' AND AESERFL='Y'"), 11);
    /* the AE start with a missing day in day 1's month imputes to day 1 */
    assert_int_equal(adam_int(ad, "SELECT ASTDY FROM ADAE WHERE USUBJID LIKE '%%T0011' AND AEDECOD='Insomnia'"), 1);
    /* the records after the cut-off are left out */
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADLB WHERE ADT > '2015-06-30'"), 0);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADAE WHERE ASTDT > '2015-06-30'"), 0);
    assert_int_equal(adam_int(ad, "SELECT sum(VALUE) FROM ADISSUE WHERE VARIABLE='records after cut-off'"), 7);
    sqlite3_close(ad);
    /* nothing but the output itself was left in the folder */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    assert_int_equal(n, 2);
    free(path);
    free(dir);
}

/* The BDS domains read on threads (--jobs, writer.c) give the file a
 * derivation on one thread gives, byte for byte: a study large enough
 * that each domain's stream fills many chunks and waits for the writer. */
static void test_threads_same_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_jobs");
    run_result r = run_tlfgen("demo-db --subjects 300 --controls 100 --out '%s/sdtm.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *one = NULL;
    size_t n_one = 0;
    for (int jobs = 1; jobs <= 3; jobs++) {
        r = run_tlfgen("derive --db '%s/sdtm.sqlite' --out '%s/adam%d.sqlite' --jobs %d", dir, dir,
                       jobs, jobs);
        if (r.status != 0)
            fail_msg("derive --jobs %d failed: %s", jobs, r.err);
        run_result_free(&r);
        char *path = xasprintf("%s/adam%d.sqlite", dir, jobs);
        size_t n = 0;
        char *bytes = test_read_file(path, &n);
        assert_non_null(bytes);
        if (jobs == 1) {
            sqlite3 *ad = NULL;
            assert_int_equal(sqlite3_open_v2(path, &ad, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
            assert_true(adam_int(ad, "SELECT count(*) FROM ADLB") > 10000);
            assert_true(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE DOMAIN IN ('LB','VS','RE','FT','PC')") > 0);
            sqlite3_close(ad);
            one = bytes;
            n_one = n;
        } else {
            assert_int_equal(n, n_one);
            assert_true(memcmp(bytes, one, n) == 0);
            free(bytes);
        }
        free(path);
    }
    free(one);
    free(dir);
}

/* A nightly run derives ADSL and ADAE but reads the BDS domains for
 * ADSL's baselines, the last contact dates and the data issues; a domain
 * only read, with more than its share of the rows (LB), is read in parts
 * on the threads (adbds.c dx_bds_all). The run's adam.sqlite is the same
 * file at --jobs 1, 2 and 3. */
static void test_nightly_threads_same_file(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_nightly_jobs");
    run_result r = run_tlfgen("demo-db --subjects 300 --controls 100 --out '%s/sdtm.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    for (int jobs = 1; jobs <= 3; jobs++) {
        r = run_tlfgen("run --db '%s/sdtm.sqlite' --profile nightly --out '%s/out%d' --jobs %d "
                       "--quiet", dir, dir, jobs, jobs);
        if (r.status != 0)
            fail_msg("nightly --jobs %d failed: %s", jobs, r.err);
        run_result_free(&r);
    }
    r = run_sh("cd '%s' && cmp out1/*/nightly/latest/adam.sqlite out2/*/nightly/latest/adam.sqlite"
               " && cmp out1/*/nightly/latest/adam.sqlite out3/*/nightly/latest/adam.sqlite && "
               "sqlite3 out1/*/nightly/latest/adam.sqlite \"SELECT (SELECT count(*) FROM sqlite_schema"
               " WHERE name = 'ADLB'), (SELECT count(*) FROM ADSL WHERE BLKL6 IS NOT NULL),"
               " (SELECT count(*) FROM ADISSUE WHERE DOMAIN = 'LB')\"", dir);
    assert_int_equal(r.status, 0);
    int adlb = -1, bl = -1, iss = -1;
    assert_int_equal(sscanf(r.out, "%d|%d|%d", &adlb, &bl, &iss), 3);
    assert_int_equal(adlb, 0);      /* not written, only read */
    assert_true(bl > 100);          /* the baselines from LB */
    assert_true(iss > 0);           /* and LB's data issues */
    run_result_free(&r);
    free(dir);
}

static void test_cli_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_cli");
    run_result r = run_tlfgen("derive --db '%s/missing.sqlite' --out '%s/adam.sqlite'", dir, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "missing.sqlite"));
    run_result_free(&r);
    r = run_tlfgen("derive --db x.sqlite");
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    /* a failed derivation leaves no output and no temporary file */
    r = run_sh("sqlite3 '%s/bad.sqlite' 'CREATE TABLE DBSTATUS (CUTOFFDTC TEXT); INSERT INTO DBSTATUS VALUES (\"2015-01-01\")'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("derive --db '%s/bad.sqlite' --out '%s/adam.sqlite'", dir, dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "DM"));
    run_result_free(&r);
    r = run_sh("ls '%s'", dir);
    assert_string_equal(r.out, "bad.sqlite\n");
    run_result_free(&r);
    /* a bad --cutoff */
    r = run_tlfgen("derive --db '%s/bad.sqlite' --out '%s/adam.sqlite' --cutoff 2015-02-30", dir, dir);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "2015-02-30"));
    run_result_free(&r);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_default_study),
        cmocka_unit_test(test_threads_same_file),
        cmocka_unit_test(test_nightly_threads_same_file),
        cmocka_unit_test(test_cli_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
