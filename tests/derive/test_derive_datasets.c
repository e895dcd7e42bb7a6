/* test_derive_datasets.c - derive_opts.datasets (issue 16): a derivation
 * that writes only some datasets writes those, row for row as a full
 * derivation does, with the same data issues, and none of the others. */
#include "testutil.h"
#include "sdtm_builder.h"
#include "core/mem.h"
#include "db/db.h"
#include "derive/derive.h"
#include "study/study.h"

#include <stdlib.h>
#include <string.h>

/* Derive sdtm into out on jobs threads with the subject blocks of layout
 * (NULL: the derivation finds them); sets NULL: every dataset. */
static derive_stats derive_with(const char *sdtm, const char *out, const char *const *sets,
                                size_t n, const db_layout *layout, int jobs)
{
    tlf_study *study = test_study();
    derive_opts o = {.study = study, .datasets = sets, .n_datasets = n, .layout = layout,
                     .jobs = jobs};
    derive_stats st;
    tlf_err err;
    tlf_err_clear(&err);
    int rc = derive_adam_file(sdtm, out, &o, &st, &err);
    tlf_study_free(study);
    if (rc != 0)
        fail_msg("derive_adam_file: %d %s", rc, err.msg);
    return st;
}

static derive_stats derive_to(const char *sdtm, const char *out, const char *const *sets,
                              size_t n)
{
    return derive_with(sdtm, out, sets, n, NULL, 1);
}

static void test_only_the_datasets_asked_for(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_sets");
    run_result r = run_tlfgen("demo-db --out '%s/sdtm.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *sdtm = xasprintf("%s/sdtm.sqlite", dir);
    char *full = xasprintf("%s/full.sqlite", dir), *part = xasprintf("%s/part.sqlite", dir);
    derive_stats sf = derive_to(sdtm, full, NULL, 0);
    static const char *const sets[] = {"ADSL", "ADAE"};
    derive_stats sp = derive_to(sdtm, part, sets, 2);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(part, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_q(db, "ADAE,ADISSUE,ADSL",
             "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table'"
             " ORDER BY name)");
    /* only the written datasets' indexes */
    assert_q(db, "ADAE_SUBJ",
             "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index'"
             " AND name NOT LIKE 'sqlite_%%'"
             " ORDER BY name)");
    sdtm_sql(db, "ATTACH %Q AS f", full);
    /* every dataset written: the indexes of the searches downstream, the
     * baselines' over the baseline records alone */
    assert_q(db, "ADAE_SUBJ,ADFT_BASE,ADLB_BASE,ADLB_SUBJ,ADPC_PARAM,ADRE_BASE,ADTTE_PARAM",
             "SELECT group_concat(name) FROM (SELECT name FROM f.sqlite_master WHERE type = 'index'"
             " AND name NOT LIKE 'sqlite_%%' ORDER BY name)");
    assert_int_equal(adam_int(db, "PRAGMA f.page_size"), 16384);
    assert_int_equal(adam_int(db, "SELECT count(*) FROM f.sqlite_master WHERE name = 'ADLB_BASE'"
                                  " AND sql LIKE '%%WHERE ABLFL = ''Y'''"), 1);
    /* the same rows in the same order (rowid), and the same issues: the
     * domains not written were still read (contacts, baselines, issues) */
    static const char *const same[] = {"ADSL", "ADAE", "ADISSUE"};
    for (size_t i = 0; i < 3; i++) {
        long n = adam_int(db, "SELECT count(*) FROM f.%s", same[i]);
        assert_true(n > 0);
        assert_int_equal(adam_int(db, "SELECT count(*) FROM main.%s", same[i]), n);
        assert_int_equal(adam_int(db, "SELECT count(*) FROM (SELECT rowid, * FROM main.%s EXCEPT "
                                      "SELECT rowid, * FROM f.%s)", same[i], same[i]), 0);
    }
    /* the demo's baseline weight (VS) and last contacts (LB, VS, ...) */
    assert_true(adam_int(db, "SELECT count(*) FROM ADSL WHERE WTBL IS NOT NULL") > 0);
    assert_true(adam_int(db, "SELECT count(*) FROM ADISSUE WHERE DOMAIN IN ('LB', 'VS')") > 0);
    sqlite3_close(db);
    assert_int_equal(sp.n_adae, sf.n_adae);
    assert_true(sf.n_adlb > 0 && sf.n_adex > 0);
    assert_int_equal(sp.n_adlb + sp.n_adex + sp.n_adtte + sp.n_adrs, 0);
    assert_int_equal(sp.n_subjects, sf.n_subjects);
    assert_int_equal(sp.n_issues_warning, sf.n_issues_warning);
    free(sdtm);
    free(full);
    free(part);
    free(dir);
}

/* The BDS domains are read a subject's rowid range at a time when each
 * subject's rows are stored together, else sorted by SQLite (bds_open):
 * a copy of the demo with LB's and RS's subjects interleaved (rows of one
 * subject no longer together) gives the same file byte for byte. */
static void test_stored_order_does_not_matter(void **state)
{
    (void)state;
    char *dir = test_tmpdir("derive_order");
    run_result r = run_tlfgen("demo-db --out '%s/a.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    char *a = xasprintf("%s/a.sqlite", dir), *b = xasprintf("%s/b.sqlite", dir);
    r = run_sh("cp '%s' '%s'", a, b);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(b, &db), SQLITE_OK);
    /* stored by TESTCD then USUBJID descending: every subject's rows apart */
    for (size_t i = 0; i < 2; i++) {
        const char *t = i ? "RS" : "LB";
        sdtm_sql(db, "CREATE TABLE X AS SELECT * FROM %s ORDER BY %sTESTCD, USUBJID DESC, rowid;"
                     " DELETE FROM %s; INSERT INTO %s SELECT * FROM X; DROP TABLE X", t, t, t, t);
    }
    assert_true(adam_int(db, "SELECT count(*) FROM (SELECT USUBJID <> lag(USUBJID) OVER "
                             "(ORDER BY rowid) AS chg FROM LB) WHERE chg") >
                adam_int(db, "SELECT count(DISTINCT USUBJID) FROM LB"));
    sqlite3_close(db);
    char *oa = xasprintf("%s/a.adam", dir), *ob = xasprintf("%s/b.adam", dir);
    derive_stats sa = derive_to(a, oa, NULL, 0), sb = derive_to(b, ob, NULL, 0);
    assert_true(sa.n_adlb > 0 && sa.n_adrs > 0);
    assert_int_equal(sa.n_adlb, sb.n_adlb);
    r = run_sh("cmp '%s' '%s'", oa, ob);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(oa);
    free(ob);
    free(a);
    free(b);
    free(dir);
}

/* The data checks' subject blocks (db_check_layout) in place of the
 * derivation's own pass: the same file, byte for byte, every dataset or a
 * nightly run's (LB only read, in parts), on one thread or two; on a
 * database delivered subject by subject and on one whose LB is not (the
 * blocks unusable: read sorted, as without them). */
static void test_checks_blocks_same_file(void **state)
{
    (void)state;
    char *dir = NULL, *a = test_demo_db("derive_layout", "--subjects 60 --controls 20",
                                        "a.sqlite", &dir);
    char *b = xasprintf("%s/b.sqlite", dir);
    run_result r = run_sh("cp '%s' '%s' && sqlite3 '%s' 'CREATE TABLE X AS SELECT * FROM LB ORDER BY "
               "LBTESTCD, USUBJID DESC; DELETE FROM LB; INSERT INTO LB SELECT * FROM X; "
               "DROP TABLE X'", a, b, b);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    static const char *const nightly[] = {"ADSL", "ADAE"};
    tlf_study *study = test_study();
    for (int v = 0; v < 2; v++) {
        const char *in = v ? b : a;
        sqlite3 *db = NULL;
        tlf_err err = {0, ""};
        db_findings f = DB_FINDINGS_INIT;
        db_layout l = DB_LAYOUT_INIT;
        assert_int_equal(db_open_input(&db, in, &err), 0);
        assert_int_equal(db_check_layout(&f, db, NULL, study, 2, &l, &err), 0);
        sqlite3_close(db);
        db_findings_free(&f);
        const db_blocks *lb = db_layout_find(&l, "LB");
        assert_non_null(lb);
        assert_int_equal(lb->usable, !v);
        for (int k = 0; k < 4; k++) {
            const char *const *sets = k & 1 ? nightly : NULL;
            size_t n = k & 1 ? 2 : 0;
            int jobs = k & 2 ? 2 : 1;
            char *own = xasprintf("%s/own%d%d.adam", dir, v, k);
            char *given = xasprintf("%s/given%d%d.adam", dir, v, k);
            derive_stats so = derive_with(in, own, sets, n, NULL, jobs);
            derive_stats sg = derive_with(in, given, sets, n, &l, jobs);
            assert_int_equal(so.n_subjects, sg.n_subjects);
            assert_true(so.n_subjects > 0);
            r = run_sh("cmp '%s' '%s'", own, given);
            if (r.status != 0)
                fail_msg("database %d, case %d: %s", v, k, r.out);
            run_result_free(&r);
            free(own);
            free(given);
        }
        db_layout_free(&l);
    }
    tlf_study_free(study);
    free(a);
    free(b);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_the_datasets_asked_for),
        cmocka_unit_test(test_stored_order_does_not_matter),
        cmocka_unit_test(test_checks_blocks_same_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
