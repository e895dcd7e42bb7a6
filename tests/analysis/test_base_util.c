/* test_base_util.c - descriptive statistics per table column
 * (analysis/base_util.h base_continuous): one scan serves every column, a
 * row counts in each column whose condition it meets (the Total column
 * takes both arms), rows outside every column and NULL values count
 * nowhere, the decimal places are the maximum over the columns, and a
 * text value names the first column that has one. */
#include "testutil.h"
#include "analysis/base_util.h"

#include <math.h>
#include <string.h>

static const base_col COLS[] = {
    {"TAC", "FAS", "s.ARMCD = 'TAC'"},
    {"HC", "HC", "s.ARMCD = 'HC'"},
    {"Total", "FAS;HC", "s.ARMCD IN ('TAC', 'HC')"},
};

static sqlite3 *fixture(const char *extra)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    const char *sql =
        "CREATE TABLE ADSL(USUBJID TEXT, ARMCD TEXT, AGE);"
        "INSERT INTO ADSL VALUES('T1','TAC',40),('H1','HC',61.5),('T2','TAC',50),"
        "('X1','SCRNFAIL',99),('H2','HC',NULL),('T3','TAC',60),('H2','HC',70);";
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    if (extra)
        assert_int_equal(sqlite3_exec(db, extra, NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static double stat(const tlf_ard *ard, const char *level, const char *name)
{
    tlf_ard_query q = {.analysis_id = "demog", .group_level = level, .variable = "AGE",
                       .stat_name = name};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("no %s %s", level, name);
    return r->value;
}

static int run(sqlite3 *db, tlf_ard *ard, tlf_err *err)
{
    analysis_ctx ctx = {.adam = db, .ard = ard};
    tlf_ard_key key = {"14.1.4", "demog", "FAS", "ARMCD", NULL, NULL, NULL};
    return base_continuous(&ctx, &key, "AGE", "s.AGE", "ADSL s", NULL, NULL, COLS, 3, 1, err);
}

static void test_columns_from_one_scan(void **state)
{
    (void)state;
    sqlite3 *db = fixture(NULL);
    tlf_ard *ard = tlf_ard_new();
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(run(db, ard, &err), TLF_OK);
    assert_true(stat(ard, "TAC", "n") == 3);
    assert_true(fabs(stat(ard, "TAC", "mean") - 50.0) < 1e-12);
    assert_true(stat(ard, "TAC", "min") == 40 && stat(ard, "TAC", "max") == 60);
    assert_true(stat(ard, "HC", "n") == 2);                  /* the NULL age counts nowhere */
    assert_true(fabs(stat(ard, "HC", "mean") - 65.75) < 1e-12);
    assert_true(stat(ard, "Total", "n") == 5);               /* both arms, not the screen failure */
    assert_true(fabs(stat(ard, "Total", "mean") - 56.3) < 1e-12);
    assert_true(stat(ard, "Total", "median") == 60);
    for (size_t c = 0; c < 3; c++)
        assert_true(stat(ard, COLS[c].level, "dp") == 1);   /* 61.5 in HC sets every column */
    tlf_ard_free(ard);
    sqlite3_close(db);
}

static void test_text_value_names_the_first_column(void **state)
{
    (void)state;
    /* a text age in HC only: the error names it, though TAC's rows come first */
    sqlite3 *db = fixture("INSERT INTO ADSL VALUES('H3','HC','sixty');");
    tlf_ard *ard = tlf_ard_new();
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(run(db, ard, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "value 'sixty' is not a number"));
    tlf_ard_free(ard);
    sqlite3_close(db);
    /* text in both arms, HC's first in the table: TAC's is named (column order) */
    db = fixture("INSERT INTO ADSL VALUES('H3','HC','sixty'),('T4','TAC','forty');");
    ard = tlf_ard_new();
    assert_int_equal(run(db, ard, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "value 'forty' is not a number"));
    tlf_ard_free(ard);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_from_one_scan),
        cmocka_unit_test(test_text_value_names_the_first_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
