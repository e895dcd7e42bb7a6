/* test_exclusions.c - nightly runs leave records with error-severity data
 * issues out BEFORE the derivation reads them (issue 15 item 4): nothing
 * derived from an excluded record survives in any dataset. The outputs'
 * footnote names the subjects while they are few and counts them per
 * table beyond that, so that it stays a few lines. */
#include "testutil.h"
#include "core/mem.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static long q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static void test_vs_error_leaves_out_the_weight_everywhere(void **state)
{
    (void)state;
    char *dir = test_tmpdir("excl");
    run_result r = run_tlfgen("demo-db --with-issues --status OPEN --out '%s/db.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    /* the nightly profile with every output, so that every dataset is
     * derived (nightly's own outputs read only ADSL and ADAE) */
    char *nightly = test_source_path("config/nightly.json");
    r = run_sh("sed 's/\"outputs\": *\\[[^]]*\\]/\"outputs\": [\"all\"]/' '%s' > '%s/every.json'"
               " && grep -q '\"all\"' '%s/every.json'", nightly, dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(nightly);
    r = run_tlfgen("run --db '%s/db.sqlite' --profile '%s/every.json' --out '%s/out' --quiet", dir,
                   dir, dir);
    if (r.status != 0)
        fail_msg("nightly: %d %s", r.status, r.err);
    run_result_free(&r);
    char *adam = xasprintf("%s/out/TACIP/nightly/latest/adam.sqlite", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    /* TACIP-02-T0002 has a VS weight holding text (docs/demo-db.md): its VS
     * records are left out, so no baseline weight and no mg/kg dose */
    const char *u = "'TACIP-02-T0002'";
    char *sql = xasprintf("SELECT COUNT(*) > 0 FROM EXCLUSIONS WHERE USUBJID = %s AND "
                          "TABLENAME = 'VS'", u);
    assert_int_equal(q(db, sql), 1);
    free(sql);
    sql = xasprintf("SELECT COUNT(*) FROM ADVS WHERE USUBJID = %s", u);
    assert_int_equal(q(db, sql), 0);
    free(sql);
    sql = xasprintf("SELECT COUNT(*) FROM ADSL WHERE USUBJID = %s AND WTBL IS NULL", u);
    assert_int_equal(q(db, sql), 1);
    free(sql);
    sql = xasprintf("SELECT COUNT(*) FROM ADEX WHERE USUBJID = %s AND PARAMCD IN "
                    "('PREDDKG', 'CUMPRDKG')", u);
    assert_int_equal(q(db, sql), 0);
    free(sql);
    /* the mg/day doses do not depend on VS and stay */
    sql = xasprintf("SELECT COUNT(*) > 0 FROM ADEX WHERE USUBJID = %s AND PARAMCD = 'PREDDOSE'", u);
    assert_int_equal(q(db, sql), 1);
    free(sql);
    /* another subject's weight is used as before */
    assert_int_equal(q(db, "SELECT COUNT(*) > 0 FROM ADEX WHERE USUBJID = 'TACIP-01-T0001' AND "
                           "PARAMCD = 'PREDDKG'"), 1);
    /* a whole-subject exclusion (DM: death before day 1) removes the
     * subject from every dataset, and its rows raise no 'not in DM' issue */
    assert_int_equal(q(db, "SELECT COUNT(*) > 0 FROM EXCLUSIONS WHERE USUBJID = 'TACIP-02-T0012' "
                           "AND TABLENAME = 'DM'"), 1);
    assert_int_equal(q(db, "SELECT (SELECT COUNT(*) FROM ADSL WHERE USUBJID = 'TACIP-02-T0012') + "
                           "(SELECT COUNT(*) FROM ADLB WHERE USUBJID = 'TACIP-02-T0012') + "
                           "(SELECT COUNT(*) FROM ADEX WHERE USUBJID = 'TACIP-02-T0012')"), 0);
    assert_int_equal(q(db, "SELECT COUNT(*) FROM DATAISSUES WHERE USUBJID = 'TACIP-02-T0012' "
                           "AND MESSAGE LIKE '%not in DM%'"), 0);
    /* the derivation wrote its own findings into the listing, after the
     * checks' ones, without its counts of records after the cut-off */
    assert_true(q(db, "SELECT COUNT(*) FROM DATAISSUES WHERE RULE = 'DERIVE' AND "
                      "MESSAGE LIKE 'derivation: %'") > 0);
    assert_int_equal(q(db, "SELECT COUNT(*) FROM DATAISSUES WHERE RULE = 'DERIVE' AND "
                           "COLNAME = 'records after cut-off'"), 0);
    assert_int_equal(q(db, "SELECT MIN(SEQ) > (SELECT MAX(SEQ) FROM DATAISSUES WHERE RULE <> "
                           "'DERIVE') FROM DATAISSUES WHERE RULE = 'DERIVE'"), 1);
    assert_int_equal(q(db, "SELECT COUNT(*) FROM DATAISSUES d WHERE RULE = 'DERIVE' AND "
                           "NOT EXISTS (SELECT 1 FROM ADISSUE a WHERE 'derivation: ' || "
                           "a.MESSAGE = d.MESSAGE)"), 0);
    sqlite3_close(db);
    free(adam);
    free(dir);
}

/* Run the nightly on dir/db with edit (SQL) applied to a copy; the
 * disposition table's page count ("pages N") and its text on one line. */
static run_result nightly_disposition(const char *dir, const char *db, const char *edit)
{
    run_result r = run_sh("cp '%s/%s' '%s/edited.sqlite' && sqlite3 '%s/edited.sqlite' \"%s\"", dir,
                          db, dir, dir, edit);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s/edited.sqlite' --profile nightly --out '%s/out' --quiet", dir, dir);
    if (r.status != 0)
        fail_msg("nightly after %s: %d %s", edit, r.status, r.err);
    run_result_free(&r);
    r = run_sh("cd '%s/out/TACIP/nightly/latest' && pdfinfo 14.1.1.pdf | awk '/^Pages:/ "
               "{ print \"pages\", $2 }' && pdftotext -layout 14.1.1.pdf - | tr -s ' \n' ' '", dir);
    assert_int_equal(r.status, 0);
    return r;
}

/* 12 subjects with an impossible AE start date: the footnote of every
 * output counts them (more than 10) instead of naming them, and the
 * disposition table stays one page; 300 names had filled every page of
 * it and run over its source line. A subject's identifier is cut at 40
 * characters where the subjects are named. */
static void test_many_exclusions_counted_in_the_footnote(void **state)
{
    (void)state;
    char *dir = test_tmpdir("excl-many");
    run_result r = run_tlfgen("demo-db --subjects 40 --controls 5 --status OPEN --out '%s/db.sqlite'",
                              dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = nightly_disposition(dir, "db.sqlite",
                            "UPDATE AE SET AESTDTC = '2014-13-45' WHERE rowid IN (SELECT min(rowid) "
                            "FROM AE GROUP BY USUBJID ORDER BY USUBJID LIMIT 12)");
    if (strncmp(r.out, "pages 1\n", 8) != 0)
        fail_msg("14.1.1 is not one page: %.40s", r.out);
    assert_non_null(strstr(r.out, "12 subject(s) with error-severity findings are left out"));
    assert_non_null(strstr(r.out, "(subjects per table: AE 12). The data-issues listing names them."));
    assert_null(strstr(r.out, "TACIP-01-T0001 (AE)"));
    run_result_free(&r);
    /* one subject with an absurd identifier: named, cut at 40 characters */
    r = nightly_disposition(dir, "db.sqlite",
                            "UPDATE AE SET USUBJID = replace(hex(zeroblob(2000)), '0', 'b') "
                            "WHERE rowid = (SELECT min(rowid) FROM AE)");
    assert_non_null(strstr(r.out, "Data issues: 1 subject(s) with error-severity findings"));
    char *cut = xasprintf(" %.40s... (AE). See the data-issues listing.",
                          "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    if (!strstr(r.out, cut))
        fail_msg("no cut identifier in: %.400s", r.out);
    free(cut);
    run_result_free(&r);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_error_leaves_out_the_weight_everywhere),
        cmocka_unit_test(test_many_exclusions_counted_in_the_footnote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
