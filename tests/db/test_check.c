/* test_check.c - one test per data-check rule (docs/checks.md) on the
 * minimal study of tests/support/minidb.c, each mutated to break exactly
 * one rule and asserting the exact finding. */
#include "testutil.h"
#include "study/study.h"
#include "minidb.h"
#include "core/mem.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Build the minimal study plus `mutation`, check it, return the findings. */
static db_findings check_with(const char *mutation, const char *cutoff)
{
    char *dir = test_tmpdir("check");
    char *path = xasprintf("%s/study.sqlite", dir);
    minidb_create(path, mutation);
    sqlite3 *db = NULL;
    tlf_err err = {0, ""};
    db_findings f = DB_FINDINGS_INIT;
    tlf_study *chk_study = test_study();
    if (db_open_input(&db, path, &err) != 0 || db_check(&f, db, cutoff, chk_study, &err) != 0)
        fail_msg("%s", err.msg);
    /* the tables' rules spread over three connections and threads give
     * the same findings in the same order (issue 16) */
    db_findings par = DB_FINDINGS_INIT;
    if (db_check_jobs(&par, db, cutoff, chk_study, 3, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(par.n, f.n);
    for (size_t i = 0; i < f.n; i++) {
        const db_finding *a = &f.items[i], *b = &par.items[i];
        assert_int_equal(a->severity, b->severity);
        assert_string_equal(a->rule, b->rule);
        assert_string_equal(a->table, b->table);
        assert_string_equal(a->usubjid, b->usubjid);
        assert_string_equal(a->rowkey, b->rowkey);
        assert_string_equal(a->column, b->column);
        assert_string_equal(a->value, b->value);
        assert_string_equal(a->message, b->message);
    }
    db_findings_free(&par);
    tlf_study_free(chk_study);
    sqlite3_close(db);
    free(path);
    free(dir);
    return f;
}

static void dump(const db_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const db_finding *x = &f->items[i];
        fprintf(stderr, "  %s %s %s|%s|%s|%s|%s: %s\n", di_severity_name(x->severity), x->rule,
                x->table, x->usubjid, x->rowkey, x->column, x->value, x->message);
    }
}

/* How many findings have this rule (and, when not NULL, these fields). */
static size_t count(const db_findings *f, const char *rule, const char *table,
                    const char *usubjid, const char *rowkey, const char *column,
                    const char *value)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        const db_finding *x = &f->items[i];
        if (strcmp(x->rule, rule) == 0 && (!table || strcmp(x->table, table) == 0) &&
            (!usubjid || strcmp(x->usubjid, usubjid) == 0) &&
            (!rowkey || strcmp(x->rowkey, rowkey) == 0) &&
            (!column || strcmp(x->column, column) == 0) &&
            (!value || strcmp(x->value, value) == 0))
            n++;
    }
    return n;
}

static size_t rule_count(const db_findings *f, const char *rule)
{
    return count(f, rule, NULL, NULL, NULL, NULL, NULL);
}

/* The mutation gives exactly one finding of rule, with these fields, and
 * no error or warning of any other rule. */
static void expect_one(const char *mutation, const char *rule, di_severity sev,
                       const char *table, const char *usubjid, const char *rowkey,
                       const char *column, const char *value)
{
    db_findings f = check_with(mutation, NULL);
    size_t n = count(&f, rule, table, usubjid, rowkey, column, value);
    size_t others = 0;
    for (size_t i = 0; i < f.n; i++)
        if (strcmp(f.items[i].rule, rule) != 0 && f.items[i].severity != DI_INFO)
            others++;
    if (n != 1 || rule_count(&f, rule) != 1 || others != 0) {
        fprintf(stderr, "mutation: %s\n", mutation);
        dump(&f);
    }
    assert_int_equal(n, 1);
    assert_int_equal(rule_count(&f, rule), 1);
    assert_int_equal(others, 0);
    for (size_t i = 0; i < f.n; i++)
        if (strcmp(f.items[i].rule, rule) == 0) {
            assert_int_equal(f.items[i].severity, sev);
            assert_true(f.items[i].message[0] != '\0');
        }
    db_findings_free(&f);
}

static void test_clean_database_has_no_error_or_warning(void **state)
{
    (void)state;
    db_findings f = check_with(NULL, NULL);
    size_t ne, nw, ni;
    db_findings_count(&f, &ne, &nw, &ni);
    if (ne || nw || ni)
        dump(&f);
    assert_int_equal(ne, 0);
    assert_int_equal(nw, 0);
    assert_int_equal(ni, 0);
    db_findings_free(&f);
}

static void test_db001_missing_table(void **state)
{
    (void)state;
    expect_one("DROP TABLE DV", "DB001", DI_ERROR, "DV", "", "", "", "");
}

static void test_db002_missing_column(void **state)
{
    (void)state;
    expect_one("ALTER TABLE LB DROP COLUMN LBNRIND", "DB002", DI_ERROR, "LB", "", "", "LBNRIND",
               "");
}

static void test_db003_dbstatus_rows(void **state)
{
    (void)state;
    /* two rows: DB003, and the cut-off is then unknown (DB019) */
    db_findings f = check_with("INSERT INTO DBSTATUS SELECT * FROM DBSTATUS", NULL);
    assert_int_equal(count(&f, "DB003", "DBSTATUS", "", "", "", "2"), 1);
    assert_int_equal(rule_count(&f, "DB019"), 1);
    assert_int_equal(f.n, 2);
    db_findings_free(&f);
    /* no row at all */
    f = check_with("DELETE FROM DBSTATUS", NULL);
    assert_int_equal(count(&f, "DB003", "DBSTATUS", "", "", "", "0"), 1);
    assert_int_equal(rule_count(&f, "DB019"), 1);
    db_findings_free(&f);
    /* missing table: DB001 */
    f = check_with("DROP TABLE DBSTATUS", NULL);
    assert_int_equal(count(&f, "DB001", "DBSTATUS", "", "", "", ""), 1);
    db_findings_free(&f);
}

static void test_db004_unknown_status(void **state)
{
    (void)state;
    expect_one("UPDATE DBSTATUS SET STATUS = 'LOCKED'", "DB004", DI_ERROR, "DBSTATUS", "",
               "row 1", "STATUS", "LOCKED");
}

static void test_db005_duplicate_usubjid(void **state)
{
    (void)state;
    expect_one("INSERT INTO DM SELECT * FROM DM WHERE USUBJID = 'TAC01-H01'", "DB005", DI_ERROR,
               "DM", "TAC01-H01", "row 4", "USUBJID", "TAC01-H01");
}

static void test_db006_usubjid_not_in_dm(void **state)
{
    (void)state;
    expect_one("UPDATE PC SET USUBJID = 'TAC01-999'", "DB006", DI_ERROR, "PC", "TAC01-999",
               "PCSEQ=1", "USUBJID", "TAC01-999");
    expect_one("UPDATE LB SET USUBJID = NULL WHERE LBSEQ = 2", "DB006", DI_ERROR, "LB", "",
               "LBSEQ=2", "USUBJID", "");
    /* DB006 looks subjects up in C where that is SQL's NOT IN: a BLOB
     * equals no DM text there either */
    db_findings f = check_with("UPDATE PC SET USUBJID = CAST(USUBJID AS BLOB) WHERE PCSEQ = 1",
                               NULL);
    assert_int_equal(count(&f, "DB006", "PC", NULL, "PCSEQ=1", "USUBJID", NULL), 1);
    db_findings_free(&f);
    /* and where it is not (a NOCASE column), SQL decides: lower-case
     * subjects are in DM */
    f = check_with("ALTER TABLE PC RENAME COLUMN USUBJID TO U0;"
                   "ALTER TABLE PC ADD COLUMN USUBJID TEXT COLLATE NOCASE;"
                   "UPDATE PC SET USUBJID = lower(U0)", NULL);
    if (rule_count(&f, "DB006") != 0)
        dump(&f);
    assert_int_equal(rule_count(&f, "DB006"), 0);
    db_findings_free(&f);
}

static void test_db007_invalid_date(void **state)
{
    (void)state;
    expect_one("UPDATE LB SET LBDTC = '2024-02-30' WHERE LBSEQ = 2", "DB007", DI_ERROR, "LB",
               "TAC01-001", "LBSEQ=2", "LBDTC", "2024-02-30");
    expect_one("UPDATE VS SET VSDTC = '10/01/2024' WHERE USUBJID = 'TAC01-002'", "DB007",
               DI_ERROR, "VS", "TAC01-002", "VSSEQ=1", "VSDTC", "10/01/2024");
    expect_one("UPDATE CM SET CMSTDTC = '2024-05-20T25:00'", "DB007", DI_ERROR, "CM",
               "TAC01-002", "CMSEQ=1", "CMSTDTC", "2024-05-20T25:00");
    /* partial dates and times are valid */
    db_findings f = check_with("UPDATE CM SET CMSTDTC = '2024'; "
                               "UPDATE FT SET FTDTC = '2024-01-10T08:15:30'", NULL);
    assert_int_equal(rule_count(&f, "DB007"), 0);
    db_findings_free(&f);
}

static void test_db008_numeric_column_holds_text(void **state)
{
    (void)state;
    expect_one("UPDATE LB SET LBSTRESN = '<0.5' WHERE LBSEQ = 1 AND USUBJID = 'TAC01-001'", "DB008", DI_ERROR, "LB",
               "TAC01-001", "LBSEQ=1", "LBSTRESN", "<0.5");
    expect_one("UPDATE DM SET AGE = 'sixty' WHERE USUBJID = 'TAC01-001'", "DB008", DI_ERROR,
               "DM", "TAC01-001", "row 1", "AGE", "sixty");
}

static void test_db009_code_lists(void **state)
{
    (void)state;
    expect_one("UPDATE DM SET SEX = 'U' WHERE USUBJID = 'TAC01-002'", "DB009", DI_ERROR, "DM",
               "TAC01-002", "row 2", "SEX", "U");
    expect_one("UPDATE AE SET AETOXGR = '6' WHERE AESEQ = 1 AND USUBJID = 'TAC01-001'", "DB009",
               DI_ERROR, "AE", "TAC01-001", "AESEQ=1", "AETOXGR", "6");
    expect_one("UPDATE AE SET AEOUT = 'DIED' WHERE USUBJID = 'TAC01-001'", "DB009", DI_ERROR,
               "AE", "TAC01-001", "AESEQ=1", "AEOUT", "DIED");
    /* a laboratory test the configuration does not name is analysed and
     * shown after the configured ones: a warning, once per code (issue 15) */
    expect_one("UPDATE LB SET LBTESTCD = 'HGB' WHERE LBSEQ = 2", "DB020", DI_WARNING, "LB",
               "TAC01-001", "LBSEQ=2", "LBTESTCD", "HGB");
    expect_one("UPDATE LB SET LBTESTCD = 'HGB' WHERE LBSEQ IN (2, 3)", "DB020", DI_WARNING, "LB",
               "TAC01-001", "LBSEQ=2", "LBTESTCD", "HGB");
    expect_one("UPDATE EX SET EXTRT = 'CICLOSPORIN' WHERE USUBJID = 'TAC01-H01'", "DB009",
               DI_ERROR, "EX", "TAC01-H01", "EXSEQ=1", "EXTRT", "CICLOSPORIN");
    expect_one("UPDATE DV SET DVCAT = 'CRITICAL'", "DB009", DI_ERROR, "DV", "TAC01-001",
               "DVSEQ=1", "DVCAT", "CRITICAL");
    expect_one("UPDATE SC SET SCSTRESC = 'PM' WHERE SCTESTCD = 'ONSET'", "DB009", DI_ERROR, "SC",
               "TAC01-001", "SCTESTCD=ONSET", "SCSTRESC", "PM");
    expect_one("UPDATE RS SET RSSTRESC = 'WORSE' WHERE USUBJID = 'TAC01-001'", "DB009", DI_ERROR,
               "RS", "TAC01-001", "RSSEQ=1", "RSSTRESC", "WORSE");
    expect_one("UPDATE DS SET DSDECOD = 'DIED' WHERE USUBJID = 'TAC01-001'", "DB009", DI_ERROR,
               "DS", "TAC01-001", "DSSEQ=1", "DSDECOD", "DIED");
}

static void test_db010_flags(void **state)
{
    (void)state;
    expect_one("UPDATE VS SET VSBLFL = 'N' WHERE VSSEQ = 2", "DB010", DI_ERROR, "VS",
               "TAC01-001", "VSSEQ=2", "VSBLFL", "N");
    expect_one("UPDATE DM SET DTHFL = 'y' WHERE USUBJID = 'TAC01-001'", "DB010", DI_ERROR, "DM",
               "TAC01-001", "row 1", "DTHFL", "y");
}

static void test_db011_invalid_utf8(void **state)
{
    (void)state;
    expect_one("UPDATE AE SET AETERM = CAST(X'52617368FF' AS TEXT) WHERE USUBJID = 'TAC01-001'",
               "DB011", DI_ERROR, "AE", "TAC01-001", "AESEQ=1", "AETERM", "Rash\\xFF");
}

static void test_db012_ae_end_before_start(void **state)
{
    (void)state;
    expect_one("UPDATE AE SET AEENDTC = '2024-01-31' WHERE USUBJID = 'TAC01-001'", "DB012",
               DI_ERROR, "AE", "TAC01-001", "AESEQ=1", "AEENDTC", "2024-01-31");
    /* partial start 2024-02 against end 2024-02-01: can be the same day */
    db_findings f = check_with("UPDATE AE SET AEENDTC = '2024-02-01' WHERE USUBJID = 'TAC01-001'",
                               NULL);
    assert_int_equal(rule_count(&f, "DB012"), 0);
    db_findings_free(&f);
}

static void test_db013_death_before_day1(void **state)
{
    (void)state;
    /* all three sources moved before day 1 (2024-02-05) */
    db_findings f = check_with(
        "UPDATE DM SET DTHDTC = '2024-02-01' WHERE USUBJID = 'TAC01-002';"
        "UPDATE DS SET DSSTDTC = '2024-02-01' WHERE USUBJID = 'TAC01-002';"
        "UPDATE AE SET AESTDTC = '2024-01-20', AEENDTC = '2024-02-01' WHERE AEOUT = 'FATAL'",
        NULL);
    assert_int_equal(count(&f, "DB013", "DM", "TAC01-002", "row 2", "DTHDTC", "2024-02-01"), 1);
    assert_int_equal(count(&f, "DB013", "DS", "TAC01-002", "DSSEQ=1", "DSSTDTC", "2024-02-01"),
                     1);
    assert_int_equal(count(&f, "DB013", "AE", "TAC01-002", "AESEQ=1", "AEENDTC", "2024-02-01"),
                     1);
    assert_int_equal(rule_count(&f, "DB013"), 3);
    db_findings_free(&f);
}

/* The message of the one finding of rule in f ("" when there is not
 * exactly one), owned by the caller. */
static char *only_message(const db_findings *f, const char *rule)
{
    const char *msg = "";
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->items[i].rule, rule) == 0)
            msg = rule_count(f, rule) == 1 ? f->items[i].message : "";
    return xstrdup(msg);
}

static void test_db014_contact_after_death(void **state)
{
    (void)state;
#define LATE_LB "INSERT INTO LB VALUES ('TAC01-002',2,'CK','CK','CHEMISTRY','90','U/L',90," \
                "'U/L',40,200,'NORMAL','',9,'WEEK 26','2024-08-06')"
    expect_one(LATE_LB, "DB014", DI_ERROR, "LB", "TAC01-002", "LBSEQ=2", "LBDTC", "2024-08-06");
    db_findings f = check_with(LATE_LB, NULL);
    char *fast = only_message(&f, "DB014");
    db_findings_free(&f);
    assert_true(strstr(fast, "is after the death date") != NULL);
    /* The death date is looked up in C where that is the join on
     * temp.tlf_death; where it is not (a USUBJID column without a type,
     * in the table or in a death source), the join decides: the same
     * finding either way. */
    static const char *const JOINED[] = {
        LATE_LB "; ALTER TABLE LB RENAME COLUMN USUBJID TO U0; ALTER TABLE LB ADD COLUMN USUBJID;"
                " UPDATE LB SET USUBJID = U0",
        LATE_LB "; ALTER TABLE DS RENAME COLUMN USUBJID TO U0; ALTER TABLE DS ADD COLUMN USUBJID;"
                " UPDATE DS SET USUBJID = U0",
    };
    for (size_t i = 0; i < sizeof JOINED / sizeof JOINED[0]; i++) {
        f = check_with(JOINED[i], NULL);
        char *joined = only_message(&f, "DB014");
        assert_int_equal(count(&f, "DB014", "LB", "TAC01-002", "LBSEQ=2", "LBDTC", "2024-08-06"),
                         1);
        assert_string_equal(joined, fast);
        free(joined);
        db_findings_free(&f);
    }
    free(fast);
    /* a BLOB equals no subject's text, in the join as in C */
    f = check_with(LATE_LB "; UPDATE LB SET USUBJID = CAST(USUBJID AS BLOB) WHERE LBSEQ = 2 AND "
                           "USUBJID = 'TAC01-002'", NULL);
    assert_int_equal(rule_count(&f, "DB014"), 0);
    assert_int_equal(count(&f, "DB006", "LB", NULL, "LBSEQ=2", "USUBJID", NULL), 1);
    db_findings_free(&f);
    /* A partial or timed death date: the contact is after it only after
     * its latest day (the value scan's screen lets every such row
     * through to the rule's SQL, which decides). */
    static const struct {
        const char *dthdtc, *lbdtc;
        size_t n;
    } EDGE[] = {
        {"2024-08", "2024-08-31", 0},          {"2024-08", "2024-09-01", 1},
        {"2024", "2024-12-31T23:59", 0},       {"2024", "2025-01", 1},
        {"2024-08-06T08:00", "2024-08-06T20:00", 0}, {"2024-08-06T08:00", "2024-08-07", 1},
        {"2024-08-06", "2024-08-06", 0},       {"2024-08-06", "2024-08-07T00:01", 1},
    };
    for (size_t i = 0; i < sizeof EDGE / sizeof EDGE[0]; i++) {
        char *m = xasprintf(LATE_LB "; UPDATE DM SET DTHDTC = '%s', DTHFL = 'Y' WHERE USUBJID = "
                            "'TAC01-002'; UPDATE LB SET LBDTC = '%s' WHERE USUBJID = "
                            "'TAC01-002' AND LBSEQ = 2", EDGE[i].dthdtc, EDGE[i].lbdtc);
        f = check_with(m, NULL);
        if (count(&f, "DB014", "LB", "TAC01-002", "LBSEQ=2", "LBDTC", EDGE[i].lbdtc) != EDGE[i].n)
            fail_msg("death %s, contact %s: DB014 expected %zu times", EDGE[i].dthdtc,
                     EDGE[i].lbdtc, EDGE[i].n);
        db_findings_free(&f);
        free(m);
    }
#undef LATE_LB
}

static void test_db015_death_sources_disagree(void **state)
{
    (void)state;
    expect_one("UPDATE DS SET DSSTDTC = '2024-07-02' WHERE DSDECOD = 'DEATH'", "DB015",
               DI_WARNING, "DS", "TAC01-002", "DSSEQ=1", "DSSTDTC", "2024-07-02");
    /* a partial date that can be the same day agrees */
    db_findings f = check_with("UPDATE AE SET AEENDTC = '2024-06' WHERE AEOUT = 'FATAL'", NULL);
    assert_int_equal(rule_count(&f, "DB015"), 0);
    db_findings_free(&f);
}

static void test_db016_dthfl_without_date(void **state)
{
    (void)state;
    expect_one("UPDATE DM SET DTHFL = 'Y' WHERE USUBJID = 'TAC01-001'", "DB016", DI_WARNING,
               "DM", "TAC01-001", "row 1", "DTHFL", "Y");
}

static void test_db017_death_date_without_flag(void **state)
{
    (void)state;
    expect_one("UPDATE DM SET DTHFL = '' WHERE USUBJID = 'TAC01-002'", "DB017", DI_WARNING, "DM",
               "TAC01-002", "row 2", "DTHFL", "");
}

static void test_db018_after_cutoff_is_information(void **state)
{
    (void)state;
    db_findings f = check_with(NULL, "2024-03-31");
    size_t ne, nw, ni;
    db_findings_count(&f, &ne, &nw, &ni);
    assert_int_equal(ne + nw, 0);
    /* AE of 002 (2024-06-01), LB CK? no: 2024-02-05 is before; RS 2024-04-09 and
     * 2024-05-28, DV 2024-04-09, DS 001 and 002, CM 2024-05, DTHDTC 2024-06-30 */
    assert_int_equal(count(&f, "DB018", "AE", "TAC01-002", "AESEQ=1", "AESTDTC", "2024-06-01"),
                     1);
    assert_int_equal(count(&f, "DB018", "CM", "TAC01-002", "CMSEQ=1", "CMSTDTC", "2024-05"), 1);
    assert_int_equal(count(&f, "DB018", "DM", "TAC01-002", "row 2", "DTHDTC", "2024-06-30"), 1);
    assert_int_equal(count(&f, "DB018", "RS", NULL, NULL, "RSDTC", NULL), 2);
    assert_int_equal(count(&f, "DB018", "DV", NULL, NULL, "DVSTDTC", NULL), 1);
    assert_int_equal(count(&f, "DB018", "DS", NULL, NULL, "DSSTDTC", NULL), 2);
    assert_int_equal(ni, 8);
    assert_int_equal(f.items[0].severity, DI_INFO);
    db_findings_free(&f);
    /* a partial date whose first day is on or before the cut-off is kept */
    f = check_with("UPDATE CM SET CMSTDTC = '2024-03'", "2024-03-31");
    assert_int_equal(count(&f, "DB018", "CM", NULL, NULL, NULL, NULL), 0);
    db_findings_free(&f);
    /* the text comparison before the date function (check.c) decides
     * nothing by itself: a year alone after the cut-off is after it, a
     * time on the cut-off day is not, one on the next day is */
    static const struct { const char *date; int after; } EDGE[] = {
        {"2025", 1}, {"2024", 0}, {"2024-03-31T23:59", 0}, {"2024-04-01T00:01", 1},
    };
    for (size_t i = 0; i < sizeof EDGE / sizeof EDGE[0]; i++) {
        char *sql = xasprintf("UPDATE CM SET CMSTDTC = '%s' WHERE USUBJID = 'TAC01-002' "
                              "AND CMSEQ = 1", EDGE[i].date);
        f = check_with(sql, "2024-03-31");
        assert_int_equal(count(&f, "DB018", "CM", "TAC01-002", "CMSEQ=1", "CMSTDTC", EDGE[i].date),
                         EDGE[i].after);
        db_findings_free(&f);
        free(sql);
    }
}

static void test_db019_no_cutoff(void **state)
{
    (void)state;
    /* an error: the analyses cannot place a record without a cut-off, and
     * the run refuses such a database (exit 5), as check does */
    expect_one("UPDATE DBSTATUS SET CUTOFFDTC = ''", "DB019", DI_ERROR, "DBSTATUS", "", "",
               "CUTOFFDTC", "");
    expect_one("UPDATE DBSTATUS SET CUTOFFDTC = NULL", "DB019", DI_ERROR, "DBSTATUS", "", "",
               "CUTOFFDTC", "");
}

/* DB021: a required key or date missing (NULL or empty) is an error per
 * row; a missing result is not (the analysis counts it as missing). Each
 * passed check and failed the run (exit 2) before issue 17's second
 * session. */
static void test_db021_required_values(void **state)
{
    (void)state;
    expect_one("UPDATE DM SET ARMCD = NULL WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR, "DM",
               "TAC01-002", "row 2", "ARMCD", "");
    expect_one("UPDATE EX SET EXTRT = '' WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR, "EX",
               "TAC01-002", "EXSEQ=1", "EXTRT", "");
    expect_one("UPDATE EX SET EXDOSE = NULL WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR, "EX",
               "TAC01-002", "EXSEQ=1", "EXDOSE", "");
    expect_one("UPDATE LB SET LBTESTCD = NULL WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR,
               "LB", "TAC01-002", "LBSEQ=1", "LBTESTCD", "");
    expect_one("UPDATE LB SET LBDTC = NULL WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR, "LB",
               "TAC01-002", "LBSEQ=1", "LBDTC", "");
    expect_one("UPDATE SC SET SCTESTCD = NULL WHERE USUBJID = 'TAC01-002'", "DB021", DI_ERROR,
               "SC", "TAC01-002", NULL, "SCTESTCD", "");
    /* day 1 of a subject with a dose record */
    expect_one("UPDATE DM SET RFSTDTC = NULL WHERE USUBJID = 'TAC01-001'", "DB021", DI_ERROR, "DM",
               "TAC01-001", "row 1", "RFSTDTC", "");
    /* results are missing values, not findings */
    db_findings f = check_with("UPDATE LB SET LBSTRESN = NULL; UPDATE EX SET EXDOSU = NULL; "
                               "UPDATE DM SET AGE = NULL", NULL);
    assert_int_equal(rule_count(&f, "DB021"), 0);
    db_findings_free(&f);
    /* an untreated subject has no day 1 */
    f = check_with("DELETE FROM EX WHERE USUBJID = 'TAC01-H01'; "
                   "UPDATE DM SET RFSTDTC = NULL WHERE USUBJID = 'TAC01-H01'", NULL);
    assert_int_equal(rule_count(&f, "DB021"), 0);
    db_findings_free(&f);
}

static void test_bad_cutoff_override_is_usage_error(void **state)
{
    (void)state;
    char *dir = test_tmpdir("check-cutoff");
    char *path = xasprintf("%s/study.sqlite", dir);
    minidb_create(path, NULL);
    sqlite3 *db = NULL;
    tlf_err err = {0, ""};
    db_findings f = DB_FINDINGS_INIT;
    assert_int_equal(db_open_input(&db, path, &err), 0);
    tlf_study *chk_study = test_study();
    assert_int_equal(db_check(&f, db, "2024-13-01", chk_study, &err), TLF_EUSAGE);
    tlf_study_free(chk_study);
    assert_non_null(strstr(err.msg, "2024-13-01"));
    sqlite3_close(db);
    db_findings_free(&f);
    free(path);
    free(dir);
}

static void test_findings_sorted_and_written(void **state)
{
    (void)state;
    /* AESEQ 2 and 10: the key sorts as a number */
    db_findings f = check_with(
        "INSERT INTO AE SELECT USUBJID, 10, AETERM, AEDECOD, AEBODSYS, 'X', AESER, AEREL, AEACN,"
        " AEOUT, AESTDTC, AEENDTC, 'AE-010' FROM AE WHERE USUBJID = 'TAC01-001';"
        "INSERT INTO AE SELECT USUBJID, 2, AETERM, AEDECOD, AEBODSYS, 'X', AESER, AEREL, AEACN,"
        " AEOUT, AESTDTC, AEENDTC, 'AE-002b' FROM AE WHERE USUBJID = 'TAC01-001' AND AESEQ = 1;"
        "UPDATE DM SET SEX = 'X' WHERE USUBJID = 'TAC01-001'",
        "2024-03-31");
    assert_true(f.n >= 3);
    for (size_t i = 1; i < f.n; i++) {
        const db_finding *a = &f.items[i - 1], *b = &f.items[i];
        assert_true(a->severity <= b->severity);
        if (a->severity == b->severity)
            assert_true(strcmp(a->table, b->table) <= 0);
    }
    assert_string_equal(f.items[0].table, "AE");
    assert_string_equal(f.items[0].rowkey, "AESEQ=2");
    assert_string_equal(f.items[1].rowkey, "AESEQ=10");
    assert_string_equal(f.items[2].table, "DM");
    char *dir = test_tmpdir("check-write");
    char *csv = xasprintf("%s/issues.csv", dir);
    tlf_err err = {0, ""};
    assert_int_equal(db_findings_write_csv(&f, csv, &err), 0);
    char *text = test_read_file(csv, NULL);
    assert_non_null(text);
    assert_true(strncmp(text, "severity,table,usubjid,rowkey,column,value,rule,message\n"
                              "ERROR,AE,TAC01-001,AESEQ=2,AETOXGR,X,DB009,", 80) == 0);
    char *sq = xasprintf("%s/adam.sqlite", dir);
    sqlite3 *out = NULL;
    assert_int_equal(sqlite3_open(sq, &out), SQLITE_OK);
    assert_int_equal(db_findings_write_sqlite(&f, out, &err), 0);
    assert_int_equal(db_findings_write_sqlite(&f, out, &err), 0);   /* replaces */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(out, "SELECT count(*), min(SEQ) FROM DATAISSUES WHERE "
                                        "RULE = 'DB009' AND TABLENAME = 'AE'", -1, &st, NULL), 0);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_int_equal(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(out);
    /* the summary: counts per rule, first few of each */
    char *sum = xasprintf("%s/summary.txt", dir);
    FILE *fp = fopen(sum, "w");
    db_findings_summary(&f, fp, 1);
    fclose(fp);
    char *s = test_read_file(sum, NULL);
    assert_non_null(strstr(s, "3 error(s)"));
    assert_non_null(strstr(s, "DB009 ERROR   3 finding(s)"));
    assert_non_null(strstr(s, "... and 2 more"));
    free(s);
    free(sum);
    free(sq);
    free(text);
    free(csv);
    free(dir);
    db_findings_free(&f);
}

static void test_values(void **state)
{
    (void)state;
    static const char *const good[] = {"2024", "2024-02", "2024-02-29", "2000-02-29",
                                       "2024-12-31T23:59", "2024-01-01T00:00:59"};
    static const char *const bad[] = {"", "24", "2024-2", "2023-02-29", "1900-02-29",
                                      "2024-00", "2024-13", "2024-04-31", "2024-01-01 10:00",
                                      "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01T10",
                                      "2024-01-01T10:00:60", "0000", "2024-01-01Z", "abcd"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(db_iso_date_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(db_iso_date_valid(bad[i], strlen(bad[i])));
    assert_true(db_utf8_valid((const unsigned char *)"\xe9\xab\x98 (x)", 7));
    assert_false(db_utf8_valid((const unsigned char *)"\xc0\xaf", 2));        /* overlong */
    assert_false(db_utf8_valid((const unsigned char *)"\xed\xa0\x80", 3));    /* surrogate */
    assert_false(db_utf8_valid((const unsigned char *)"\xe9\xab", 2));        /* cut */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_database_has_no_error_or_warning),
        cmocka_unit_test(test_db001_missing_table),
        cmocka_unit_test(test_db002_missing_column),
        cmocka_unit_test(test_db003_dbstatus_rows),
        cmocka_unit_test(test_db004_unknown_status),
        cmocka_unit_test(test_db005_duplicate_usubjid),
        cmocka_unit_test(test_db006_usubjid_not_in_dm),
        cmocka_unit_test(test_db007_invalid_date),
        cmocka_unit_test(test_db008_numeric_column_holds_text),
        cmocka_unit_test(test_db009_code_lists),
        cmocka_unit_test(test_db010_flags),
        cmocka_unit_test(test_db011_invalid_utf8),
        cmocka_unit_test(test_db012_ae_end_before_start),
        cmocka_unit_test(test_db013_death_before_day1),
        cmocka_unit_test(test_db014_contact_after_death),
        cmocka_unit_test(test_db015_death_sources_disagree),
        cmocka_unit_test(test_db016_dthfl_without_date),
        cmocka_unit_test(test_db017_death_date_without_flag),
        cmocka_unit_test(test_db018_after_cutoff_is_information),
        cmocka_unit_test(test_db019_no_cutoff),
        cmocka_unit_test(test_db021_required_values),
        cmocka_unit_test(test_bad_cutoff_override_is_usage_error),
        cmocka_unit_test(test_findings_sorted_and_written),
        cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
