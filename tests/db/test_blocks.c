/* test_blocks.c - db_blocks (where each subject's rows lie) and the
 * layout the checks hand to the derivation: usable only when every
 * subject's rows are one rowid range with text keys. */
#include "testutil.h"
#include "core/mem.h"
#include "db/db.h"
#include "study/study.h"

#include <stdlib.h>
#include <string.h>

/* The blocks of rows (rowid, USUBJID, TESTCD) given as a SQL VALUES list. */
static db_blocks blocks_of(const char *values)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    char *sql = xasprintf("SELECT column1, column2, column3 FROM (VALUES %s)", values);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    db_blocks k = {NULL, 0, 0, 0, 0};
    while (sqlite3_step(st) == SQLITE_ROW)
        db_blocks_add(&k, sqlite3_column_int64(st, 0), sqlite3_column_value(st, 1),
                      sqlite3_column_value(st, 2));
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(sql);
    db_blocks_finish(&k);
    return k;
}

static void test_grouped_rows_give_sorted_ranges(void **state)
{
    (void)state;
    db_blocks k = blocks_of("(1, 'S-2', 'ALB'), (2, 'S-2', NULL), (3, 'S-1', 'ALB'),"
                            " (7, 'S-1', 'CRP'), (8, 'S-3', 'ALB')");
    assert_true(k.usable);
    assert_int_equal(k.n, 3);
    const char *u[] = {"S-1", "S-2", "S-3"};
    const sqlite3_int64 lo[] = {3, 1, 8}, hi[] = {7, 2, 8};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(k.b[i].usubjid, u[i]);
        assert_int_equal(k.b[i].lo, lo[i]);
        assert_int_equal(k.b[i].hi, hi[i]);
    }
    db_blocks_free(&k);
    assert_null(k.b);
    assert_int_equal(k.n, 0);
}

static void test_unusable_tables(void **state)
{
    (void)state;
    /* a subject's rows apart */
    db_blocks k = blocks_of("(1, 'S-1', 'A'), (2, 'S-2', 'A'), (3, 'S-1', 'B')");
    assert_false(k.usable);
    assert_int_equal(k.n, 0);
    assert_null(k.b);
    /* a USUBJID that is not text, a TESTCD that is neither text nor NULL */
    const char *bad[] = {"(1, 'S-1', 'A'), (2, 42, 'A')", "(1, NULL, 'A')",
                         "(1, 'S-1', 'A'), (2, 'S-1', x'41')", "(1, 'S-1', 7)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        k = blocks_of(bad[i]);
        assert_false(k.usable);
        assert_int_equal(k.n, 0);
    }
    /* no rows: usable, nothing to read */
    db_blocks e = {NULL, 0, 0, 0, 0};
    assert_true(db_blocks_finish(&e));
    assert_int_equal(e.n, 0);
}

/* The checks give the blocks of each table with USUBJID and --TESTCD,
 * the same a pass of the derivation's own finds; none for a table
 * without --TESTCD; nothing when not asked. */
static void test_checks_layout(void **state)
{
    (void)state;
    char *dir = NULL, *path = test_demo_db("blocks_layout", "", "sdtm.sqlite", &dir);
    sqlite3 *db = NULL;
    tlf_err err = {0, ""};
    assert_int_equal(db_open_input(&db, path, &err), 0);
    tlf_study *study = test_study();
    db_findings f = DB_FINDINGS_INIT;
    db_layout l = DB_LAYOUT_INIT;
    assert_int_equal(db_check_layout(&f, db, NULL, study, 2, &l, &err), 0);
    const char *with[] = {"VS", "LB", "RE", "FT", "PC", "RS", "SC"};
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++) {
        const db_blocks *k = db_layout_find(&l, with[i]);
        assert_non_null(k);
        /* the demo delivers every table subject by subject */
        assert_true(k->usable);
        assert_true(k->n > 0);
        sqlite3_stmt *st = NULL;
        char *q = xasprintf("SELECT count(DISTINCT USUBJID), min(rowid), max(rowid) FROM %s",
                            with[i]);
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(k->n, sqlite3_column_int64(st, 0));
        sqlite3_int64 lo = k->b[0].lo, hi = k->b[0].hi;
        for (size_t j = 1; j < k->n; j++) {
            assert_true(strcmp(k->b[j - 1].usubjid, k->b[j].usubjid) < 0);
            lo = k->b[j].lo < lo ? k->b[j].lo : lo;
            hi = k->b[j].hi > hi ? k->b[j].hi : hi;
        }
        assert_int_equal(lo, sqlite3_column_int64(st, 1));
        assert_int_equal(hi, sqlite3_column_int64(st, 2));
        sqlite3_finalize(st);
        free(q);
    }
    assert_null(db_layout_find(&l, "AE"));
    assert_null(db_layout_find(&l, "DM"));
    db_layout_free(&l);
    assert_null(db_layout_find(&l, "LB"));
    /* the findings are those of db_check_jobs */
    db_findings g = DB_FINDINGS_INIT;
    assert_int_equal(db_check_jobs(&g, db, NULL, study, 2, &err), 0);
    assert_int_equal(g.n, f.n);
    db_findings_free(&f);
    db_findings_free(&g);
    sqlite3_close(db);
    /* a column of LB's own named oid: LB's rowid is not what the scan
     * and the derivation would both call it, so no blocks for LB */
    run_result r = run_sh("sqlite3 '%s' 'ALTER TABLE LB ADD COLUMN oid INTEGER'", path);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(db_open_input(&db, path, &err), 0);
    assert_int_equal(db_check_layout(&f, db, NULL, study, 2, &l, &err), 0);
    assert_null(db_layout_find(&l, "LB"));
    assert_non_null(db_layout_find(&l, "VS"));
    db_layout_free(&l);
    db_findings_free(&f);
    tlf_study_free(study);
    sqlite3_close(db);
    free(path);
    free(dir);
}

/* The checks of path on 1, 2 and 3 threads give the same findings and
 * blocks; the planted findings are there once each. */
static void same_on_threads(const char *path, const tlf_study *study)
{
    sqlite3 *db = NULL;
    tlf_err err = {0, ""};
    assert_int_equal(db_open_input(&db, path, &err), 0);
    db_findings f[3] = {DB_FINDINGS_INIT, DB_FINDINGS_INIT, DB_FINDINGS_INIT};
    db_layout l[3] = {DB_LAYOUT_INIT, DB_LAYOUT_INIT, DB_LAYOUT_INIT};
    for (int k = 0; k < 3; k++)
        assert_int_equal(db_check_layout(&f[k], db, NULL, study, k + 1, &l[k], &err), 0);
    size_t db020 = 0, db006 = 0, db018 = 0;
    for (size_t i = 0; i < f[0].n; i++) {
        db020 += strcmp(f[0].items[i].rule, "DB020") == 0;
        db006 += strcmp(f[0].items[i].rule, "DB006") == 0 && strcmp(f[0].items[i].table, "LB") == 0;
        db018 += strcmp(f[0].items[i].rule, "DB018") == 0 &&
                 strcmp(f[0].items[i].value, "2099-01-01") == 0;
    }
    assert_int_equal(db020, 1);
    assert_int_equal(db006, 2);
    assert_int_equal(db018, 1);
    for (int k = 1; k < 3; k++) {
        assert_int_equal(f[k].n, f[0].n);
        for (size_t i = 0; i < f[0].n; i++) {
            assert_string_equal(f[k].items[i].rule, f[0].items[i].rule);
            assert_string_equal(f[k].items[i].rowkey, f[0].items[i].rowkey);
            assert_string_equal(f[k].items[i].message, f[0].items[i].message);
        }
        assert_int_equal(l[k].n, l[0].n);
        for (size_t t = 0; t < l[0].n; t++) {
            const db_blocks *a = &l[0].t[t].blocks, *b = db_layout_find(&l[k], l[0].t[t].table);
            assert_non_null(b);
            assert_int_equal(b->usable, a->usable);
            assert_int_equal(b->n, a->n);
            for (size_t i = 0; i < a->n; i++) {
                assert_string_equal(b->b[i].usubjid, a->b[i].usubjid);
                assert_int_equal(b->b[i].lo, a->b[i].lo);
                assert_int_equal(b->b[i].hi, a->b[i].hi);
            }
        }
    }
    /* LB's missing USUBJID makes its blocks unusable; VS's stay usable */
    assert_false(db_layout_find(&l[2], "LB")->usable);
    assert_true(db_layout_find(&l[2], "VS")->usable);
    for (int k = 0; k < 3; k++) {
        db_findings_free(&f[k]);
        db_layout_free(&l[k]);
    }
    sqlite3_close(db);
}

/* Checks spread over threads read a large table (LB) in parts: the
 * findings and the blocks are those of one thread, a rule made once per
 * value (DB020) once, and a subject's rows across a seam one block; also
 * with rowids far apart and negative (the parts split the span). */
static void test_parts_same_as_one_thread(void **state)
{
    (void)state;
    char *dir = NULL, *path = test_demo_db("blocks_parts", "--subjects 40 --controls 10",
                                           "sdtm.sqlite", &dir);
    /* an unconfigured test code all through LB, and a row rule firing in
     * each part (a missing USUBJID, a record after the cut-off) */
    run_result r = run_sh("sqlite3 '%s' \"UPDATE LB SET LBTESTCD = 'HGB' WHERE rowid %% 50 = 7; "
               "UPDATE LB SET USUBJID = NULL WHERE rowid IN (5, (SELECT max(rowid) - 3 FROM LB));"
               " UPDATE LB SET LBDTC = '2099-01-01' WHERE rowid = (SELECT max(rowid) / 2 FROM "
               "LB)\"", path);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    tlf_study *study = test_study();
    same_on_threads(path, study);
    r = run_sh("sqlite3 '%s' 'UPDATE LB SET rowid = rowid - 1000000000000 WHERE rowid %% 3 = 0'",
               path);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    same_on_threads(path, study);
    tlf_study_free(study);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouped_rows_give_sorted_ranges),
        cmocka_unit_test(test_unusable_tables),
        cmocka_unit_test(test_checks_layout),
        cmocka_unit_test(test_parts_same_as_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
