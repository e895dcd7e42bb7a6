/*
 * test_demo_db.c - `tlfgen demo-db` checked by SQL against
 * docs/database.md (tables, columns, types, code lists) and the
 * published-trial shape of issue 3 computed by the rules of sap.md
 * sections 1-4 (FAS, deaths, follow-up, serious TEAEs, hard cases);
 * determinism, --as-of, --with-issues and bad options.
 */
#include "testutil.h"
#include "core/mem.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* database.md, table by table: the listed columns; numeric ones (REAL or
 * INTEGER) are AGE, every --SEQ, EXDOSE, LBSTRESN, LBSTNRLO, LBSTNRHI,
 * PCSTRESN, RESTRESN, FTSTRESN, VSSTRESN, VISITNUM. */
static const struct {
    const char *table;
    const char *cols;
} SPEC[] = {
    {"DM", "STUDYID USUBJID SUBJID SITEID RFICDTC RFSTDTC RFENDTC DTHDTC DTHFL AGE AGEU SEX RACE "
           "ARMCD ARM ACTARMCD ACTARM COUNTRY"},
    {"SC", "USUBJID SCTESTCD SCTEST SCORRES SCSTRESC"},
    {"VS", "USUBJID VSSEQ VSTESTCD VSSTRESN VSSTRESU VSBLFL VISITNUM VISIT VSDTC"},
    {"DS", "USUBJID DSSEQ DSCAT DSSCAT DSTERM DSDECOD DSSTDTC EPOCH"},
    {"EX", "USUBJID EXSEQ EXTRT EXDOSE EXDOSU EXDOSFRQ EXSTDTC EXENDTC"},
    {"CM", "USUBJID CMSEQ CMTRT CMDECOD CMCAT CMSTDTC CMENDTC"},
    {"AE", "USUBJID AESEQ AETERM AEDECOD AEBODSYS AETOXGR AESER AEREL AEACN AEOUT AESTDTC AEENDTC "
           "AESPID"},
    {"LB", "USUBJID LBSEQ LBTESTCD LBTEST LBCAT LBORRES LBORRESU LBSTRESN LBSTRESU LBSTNRLO "
           "LBSTNRHI LBNRIND LBBLFL VISITNUM VISIT LBDTC"},
    {"PC", "USUBJID PCSEQ PCTESTCD PCSTRESN PCSTRESU VISITNUM VISIT PCDTC"},
    {"RE", "USUBJID RESEQ RETESTCD RETEST RESTRESN RESTRESU REBLFL VISITNUM VISIT REDTC"},
    {"FT", "USUBJID FTSEQ FTTESTCD FTSTRESN FTBLFL VISITNUM VISIT FTDTC"},
    {"RS", "USUBJID RSSEQ RSTESTCD RSSTRESC RSDTC VISITNUM VISIT"},
    {"DV", "USUBJID DVSEQ DVTERM DVDECOD DVCAT DVSTDTC"},
    {"DBSTATUS", "STUDYID STATUS STATUSDTC CUTOFFDTC LOCKBY"},
};
#define NSPEC (sizeof SPEC / sizeof SPEC[0])

static int is_numeric(const char *col)
{
    static const char *const num[] = {"AGE", "EXDOSE", "LBSTRESN", "LBSTNRLO", "LBSTNRHI",
                                      "PCSTRESN", "RESTRESN", "FTSTRESN", "VSSTRESN", "VISITNUM"};
    size_t n = strlen(col);
    if (n == 5 && strcmp(col + 2, "SEQ") == 0)
        return 1;
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++)
        if (strcmp(col, num[i]) == 0)
            return 1;
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

typedef struct fixture {
    char *dir;
    char *db_path;     /* the default study */
    sqlite3 *db;
} fixture;

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* First column of the first row as an integer; the query must succeed. */
static long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL error %s in: %s", sqlite3_errmsg(db), sql);
    long v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *q_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL error %s in: %s", sqlite3_errmsg(db), sql);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static void gen(const char *path, const char *extra)
{
    run_result r = run_tlfgen("demo-db --out '%s' %s", path, extra);
    if (r.status != 0)
        fail_msg("demo-db %s: exit %d: %s", extra, r.status, r.err);
    run_result_free(&r);
}

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    f->dir = test_tmpdir("demo_db");
    f->db_path = xasprintf("%s/study.sqlite", f->dir);
    gen(f->db_path, "");
    f->db = open_db(f->db_path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sqlite3_close(f->db);
    free(f->db_path);
    free(f->dir);
    free(f);
    return 0;
}

/* Common table expressions of sap.md: FAS, TRTSDT/TRTEDT, the last known
 * alive date (section 1), the death date with the month-only imputation,
 * and each FAS subject's study day of both. */
#define CTE                                                                                      \
    "WITH cut AS (SELECT CUTOFFDTC c FROM DBSTATUS), "                                            \
    "fas AS (SELECT USUBJID, RFSTDTC d1, DTHDTC FROM DM WHERE ARMCD = 'TAC' AND USUBJID IN "      \
    "  (SELECT USUBJID FROM EX WHERE EXTRT = 'TACROLIMUS' AND EXDOSE > 0)), "                     \
    "trt AS (SELECT USUBJID, min(EXSTDTC) s, max(CASE WHEN EXENDTC = '' THEN (SELECT c FROM cut) " \
    "  ELSE min(EXENDTC, (SELECT c FROM cut)) END) e FROM EX WHERE EXTRT = 'TACROLIMUS' AND "      \
    "  EXDOSE > 0 GROUP BY USUBJID), "                                                             \
    "contact(USUBJID, d) AS (SELECT USUBJID, RFSTDTC FROM DM "                                    \
    "  UNION ALL SELECT USUBJID, DSSTDTC FROM DS WHERE DSDECOD IN ('LAST KNOWN ALIVE', 'COMPLETED') " \
    "  UNION ALL SELECT USUBJID, EXSTDTC FROM EX "                                                 \
    "  UNION ALL SELECT USUBJID, min(EXENDTC, (SELECT c FROM cut)) FROM EX WHERE EXENDTC <> '' "   \
    "  UNION ALL SELECT USUBJID, LBDTC FROM LB UNION ALL SELECT USUBJID, VSDTC FROM VS "           \
    "  UNION ALL SELECT USUBJID, REDTC FROM RE UNION ALL SELECT USUBJID, FTDTC FROM FT "           \
    "  UNION ALL SELECT USUBJID, RSDTC FROM RS UNION ALL SELECT USUBJID, PCDTC FROM PC "           \
    "  UNION ALL SELECT USUBJID, AESTDTC FROM AE), "                                               \
    "lka AS (SELECT USUBJID, max(d) d FROM contact WHERE length(d) = 10 AND d <= (SELECT c FROM cut) " \
    "  GROUP BY USUBJID), "                                                                        \
    "dth AS (SELECT f.USUBJID, CASE WHEN length(DTHDTC) = 10 THEN DTHDTC WHEN length(DTHDTC) = 7 " \
    "  THEN max(DTHDTC || '-01', date(l.d, '+1 day')) END dd FROM fas f JOIN lka l USING (USUBJID)), " \
    "days AS (SELECT f.USUBJID, julianday(l.d) - julianday(f.d1) + 1 lkaday, "                     \
    "  CASE WHEN dd <= (SELECT c FROM cut) THEN julianday(dd) - julianday(f.d1) + 1 END dthday "     \
    "  FROM fas f JOIN lka l USING (USUBJID) JOIN dth USING (USUBJID)), "                          \
    "aei AS (SELECT a.*, CASE WHEN length(AESTDTC) = 10 THEN AESTDTC WHEN length(AESTDTC) = 7 THEN " \
    "  CASE WHEN substr(m.RFSTDTC, 1, 7) = AESTDTC THEN m.RFSTDTC ELSE AESTDTC || '-01' END END ast " \
    "  FROM AE a JOIN DM m USING (USUBJID)), "                                                     \
    "teae AS (SELECT aei.* FROM aei JOIN trt USING (USUBJID) WHERE ast >= trt.s AND "                \
    "  ast <= date(trt.e, '+28 days') AND ast <= (SELECT c FROM cut)) "

/* ---- the default study ------------------------------------------------- */

static void test_every_table_and_column_typed(void **state)
{
    fixture *f = *state;
    char *spec_path = test_source_path("docs/database.md");
    char *spec = test_read_file(spec_path, NULL);
    if (!spec)
        fail_msg("cannot read %s", spec_path);
    for (size_t t = 0; t < NSPEC; t++) {
        char *tick = xasprintf("`%s`", SPEC[t].table);
        if (!strstr(spec, tick))          /* the test's list is the documented one */
            fail_msg("table %s is not in docs/database.md", tick);
        free(tick);
        char *cols = xstrdup(SPEC[t].cols);
        for (char *save = NULL, *c = strtok_r(cols, " ", &save); c; c = strtok_r(NULL, " ", &save)) {
            if (!strstr(spec, c))
                fail_msg("column %s.%s is not in docs/database.md", SPEC[t].table, c);
            char *sql = xasprintf("SELECT type FROM pragma_table_info('%s') WHERE name = '%s'",
                                  SPEC[t].table, c);
            char *type = q_text(f->db, sql);
            if (!type)
                fail_msg("%s.%s missing", SPEC[t].table, c);
            int num = is_numeric(c);
            if (num)
                assert_true(strcmp(type, "REAL") == 0 || strcmp(type, "INTEGER") == 0);
            else
                assert_string_equal(type, "TEXT");
            free(sql);
            sql = xasprintf("SELECT count(*) FROM %s WHERE typeof(%s) NOT IN (%s)", SPEC[t].table,
                            c, num ? "'integer', 'real', 'null'" : "'text'");
            if (q_int(f->db, sql) != 0)
                fail_msg("%s.%s holds values of the wrong type", SPEC[t].table, c);
            free(sql);
            free(type);
        }
        free(cols);
        char *sql = xasprintf("SELECT count(*) FROM %s", SPEC[t].table);
        assert_true(q_int(f->db, sql) > 0);
        free(sql);
    }
    free(spec);
    free(spec_path);
}

static void test_code_lists_and_flags(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {
        "SELECT count(*) FROM DM WHERE SEX NOT IN ('M', 'F') OR DTHFL NOT IN ('Y', '') "
        "OR ARMCD NOT IN ('TAC', 'HC', 'SCRNFAIL') OR ACTARMCD NOT IN ('TAC', 'HC', 'NOTTRT', 'SCRNFAIL')",
        "SELECT count(*) FROM SC WHERE NOT ("
        " (SCTESTCD = 'MYOTYPE' AND SCSTRESC IN ('PM', 'DM', 'CADM')) OR"
        " (SCTESTCD = 'ONSET' AND SCSTRESC IN ('NEW', 'RELAPSE')) OR"
        " (SCTESTCD = 'IPCOURSE' AND SCSTRESC IN ('ACUTE', 'CHRONIC')) OR"
        " (SCTESTCD IN ('ARSAB', 'MDA5AB') AND SCSTRESC IN ('POSITIVE', 'NEGATIVE', 'NOT DONE')) OR"
        " (SCTESTCD = 'SMOKER' AND SCSTRESC IN ('NEVER', 'FORMER', 'CURRENT')))",
        "SELECT count(*) FROM DS WHERE NOT ((DSCAT = 'DISPOSITION EVENT' AND DSSCAT IN "
        " ('STUDY TREATMENT', 'STUDY PARTICIPATION') AND DSDECOD IN ('COMPLETED', 'DEATH', "
        " 'ADVERSE EVENT', 'LACK OF EFFICACY', 'WITHDRAWAL BY SUBJECT', 'LOST TO FOLLOW-UP', "
        " 'PHYSICIAN DECISION', 'OTHER')) OR (DSCAT = 'OTHER EVENT' AND DSDECOD = 'LAST KNOWN ALIVE'))",
        "SELECT count(*) FROM (SELECT USUBJID, DSSCAT FROM DS WHERE DSCAT = 'DISPOSITION EVENT' "
        " GROUP BY USUBJID, DSSCAT HAVING count(*) > 1)",
        "SELECT count(*) FROM EX WHERE EXTRT NOT IN ('TACROLIMUS', 'PREDNISOLONE', 'METHYLPREDNISOLONE')",
        "SELECT count(*) FROM AE WHERE AETOXGR NOT IN ('1','2','3','4','5') OR AESER NOT IN ('Y','N') "
        " OR AEREL NOT IN ('RELATED', 'POSSIBLY RELATED', 'NOT RELATED') OR AEACN NOT IN "
        " ('DRUG WITHDRAWN', 'DOSE REDUCED', 'DRUG INTERRUPTED', 'DOSE NOT CHANGED', 'NOT APPLICABLE') "
        " OR AEOUT NOT IN ('RECOVERED/RESOLVED', 'RECOVERING/RESOLVING', 'NOT RECOVERED/NOT RESOLVED', "
        " 'RECOVERED/RESOLVED WITH SEQUELAE', 'FATAL', 'UNKNOWN') OR AESPID = ''",
        "SELECT count(*) FROM LB WHERE LBNRIND NOT IN ('LOW', 'NORMAL', 'HIGH') OR LBBLFL NOT IN ('Y', '') "
        " OR LBSTNRLO IS NULL OR LBSTNRHI IS NULL",
        "SELECT count(*) FROM RS WHERE RSTESTCD <> 'IPRESP' OR RSSTRESC NOT IN ('IMPROVED', 'STABLE', 'PROGRESSED')",
        "SELECT count(*) FROM DV WHERE DVCAT NOT IN ('MAJOR', 'MINOR')",
        "SELECT count(*) FROM RE WHERE RETESTCD NOT IN ('VCPP', 'FVCPP', 'DLCOPP') OR REBLFL NOT IN ('Y', '')",
        "SELECT count(*) FROM VS WHERE VSTESTCD NOT IN ('WEIGHT', 'HEIGHT') OR VSBLFL NOT IN ('Y', '')",
        "SELECT count(*) FROM FT WHERE FTTESTCD <> 'MMT8' OR FTSTRESN < 0 OR FTSTRESN > 80",
        "SELECT count(*) FROM PC WHERE PCTESTCD <> 'TACTROUGH' OR PCSTRESU <> 'ng/mL'",
        "SELECT count(*) FROM (SELECT VISITNUM, VISIT FROM LB UNION SELECT VISITNUM, VISIT FROM RS) "
        " WHERE NOT ((VISITNUM, VISIT) IN (VALUES (1, 'SCREENING'), (2, 'BASELINE'), (3, 'WEEK 2'), "
        " (4, 'WEEK 4'), (5, 'WEEK 8'), (6, 'WEEK 12'), (7, 'WEEK 16'), (8, 'WEEK 26'), (9, 'WEEK 39'), "
        " (10, 'WEEK 52')) OR (VISIT = 'UNSCHEDULED' AND VISITNUM <> CAST(VISITNUM AS INTEGER)))",
        "SELECT count(*) FROM (SELECT USUBJID FROM DM GROUP BY USUBJID HAVING count(*) > 1)",
        "SELECT count(*) FROM LB WHERE USUBJID NOT IN (SELECT USUBJID FROM DM)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (q_int(f->db, bad[i]) != 0)
            fail_msg("rows break the spec: %s", bad[i]);
    /* Every visit of the schedule, every LBTESTCD, a few results below the LOQ. */
    assert_int_equal(q_int(f->db, "SELECT count(DISTINCT VISITNUM) FROM RE WHERE VISIT <> 'UNSCHEDULED'"), 10);
    assert_int_equal(q_int(f->db, "SELECT count(DISTINCT LBTESTCD) FROM LB"), 13);
    long blq = q_int(f->db, "SELECT count(*) FROM LB WHERE LBORRES LIKE '<%' AND LBSTRESN IS NULL");
    assert_true(blq > 0 && blq < q_int(f->db, "SELECT count(*) FROM LB") / 20);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM (SELECT USUBJID FROM SC GROUP BY USUBJID "
                                  "HAVING count(DISTINCT SCTESTCD) <> 6)"), 0);
    /* Tacrolimus troughs around 5-10 ng/mL; prednisolone 0.6-1.0 mg/kg/day at the start. */
    assert_true(q_int(f->db, "SELECT avg(PCSTRESN) * 10 FROM PC") >= 55);
    assert_true(q_int(f->db, "SELECT avg(PCSTRESN) * 10 FROM PC") <= 90);
    assert_int_equal(q_int(f->db,
        "SELECT count(*) FROM (SELECT e.USUBJID, e.EXDOSE / v.VSSTRESN r FROM EX e JOIN VS v ON "
        " v.USUBJID = e.USUBJID AND v.VSTESTCD = 'WEIGHT' AND v.VSBLFL = 'Y' WHERE e.EXTRT = 'PREDNISOLONE' "
        " AND e.EXSEQ = (SELECT min(EXSEQ) FROM EX x WHERE x.USUBJID = e.USUBJID AND x.EXTRT = 'PREDNISOLONE')) "
        " WHERE r < 0.5 OR r > 1.1"), 0);
    assert_true(q_int(f->db, "SELECT count(DISTINCT USUBJID) FROM EX WHERE EXTRT = 'METHYLPREDNISOLONE'") >= 3);
    assert_true(q_int(f->db, "SELECT count(DISTINCT USUBJID) FROM CM WHERE CMCAT = 'ADDITIONAL IMMUNOSUPPRESSANT'") >= 3);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DV WHERE DVCAT = 'MAJOR'"), 1);
    /* HC: no AE, PC, DV; glucocorticoid EX rows only. */
    assert_int_equal(q_int(f->db,
        "SELECT (SELECT count(*) FROM AE JOIN DM USING (USUBJID) WHERE ARMCD = 'HC') + "
        "(SELECT count(*) FROM PC JOIN DM USING (USUBJID) WHERE ARMCD = 'HC') + "
        "(SELECT count(*) FROM DV JOIN DM USING (USUBJID) WHERE ARMCD = 'HC') + "
        "(SELECT count(*) FROM EX JOIN DM USING (USUBJID) WHERE ARMCD = 'HC' AND EXTRT = 'TACROLIMUS')"), 0);
    char *st = q_text(f->db, "SELECT STATUS || '|' || CUTOFFDTC || '|' || STATUSDTC FROM DBSTATUS");
    assert_string_equal(st, "HARD LOCK|2015-06-30|2015-08-14");
    free(st);
}

static void test_published_shape(void **state)
{
    fixture *f = *state;
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DM WHERE ARMCD = 'TAC'"), 26);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DM WHERE ARMCD = 'TAC' AND ACTARMCD = 'NOTTRT' "
                                  "AND RFSTDTC = '' AND USUBJID NOT IN (SELECT USUBJID FROM EX)"), 1);
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM fas"), 25);
    /* Three deaths on or before day 365; everyone else alive to day 365 but one. */
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM days WHERE dthday <= 365"), 3);
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM days WHERE (dthday IS NULL OR dthday > 365) "
                                      "AND lkaday >= 365"), 21);
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM days WHERE dthday IS NULL AND lkaday < 365 "
                                      "AND lkaday > (SELECT max(dthday) FROM days)"), 1);
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM days d JOIN DS s USING (USUBJID) WHERE "
                                      "d.dthday IS NULL AND d.lkaday < 365 AND s.DSDECOD = 'LOST TO FOLLOW-UP' "
                                      "AND s.DSSCAT = 'STUDY PARTICIPATION'"), 1);
    /* Historical controls. */
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DM WHERE ARMCD = 'HC'"), 16);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DM WHERE ARMCD = 'HC' AND DTHFL = 'Y' AND DTHDTC <> ''"), 1);
    /* Serious TEAEs in 11 FAS subjects, 4 of them opportunistic infections. */
    assert_int_equal(q_int(f->db, CTE "SELECT count(DISTINCT USUBJID) FROM teae WHERE AESER = 'Y' "
                                      "AND USUBJID IN (SELECT USUBJID FROM fas)"), 11);
    assert_int_equal(q_int(f->db, CTE "SELECT count(DISTINCT USUBJID) FROM teae WHERE AESER = 'Y' AND AEDECOD IN "
                                      "('Cytomegalovirus infection', 'Pneumocystis jirovecii pneumonia', "
                                      "'Herpes zoster', 'Aspergillus infection')"), 4);
    assert_int_equal(q_int(f->db, CTE "SELECT count(DISTINCT AEDECOD) FROM teae WHERE AESER = 'Y' AND AEDECOD IN "
                                      "('Cytomegalovirus infection', 'Pneumocystis jirovecii pneumonia', "
                                      "'Herpes zoster', 'Aspergillus infection') AND AEBODSYS = 'Infections and infestations'"), 4);
    /* Serious AEs that are not treatment-emergent exist (the rule must bite). */
    assert_true(q_int(f->db, CTE "SELECT count(*) FROM aei WHERE AESER = 'Y' AND AESPID || USUBJID NOT IN (SELECT AESPID || USUBJID FROM teae)") >= 2);
    /* Tacrolimus-typical AEs at plausible rates (each in 1..15 of 25). */
    static const char *const typical[] = {"Renal impairment", "Hyperglycaemia", "Hypomagnesaemia",
                                          "Tremor", "Hypertension"};
    for (size_t i = 0; i < 5; i++) {
        char *sql = xasprintf(CTE "SELECT count(DISTINCT USUBJID) FROM teae WHERE AEDECOD = '%s'", typical[i]);
        long n = q_int(f->db, sql);
        if (n < 1 || n > 15)
            fail_msg("%s in %ld subjects", typical[i], n);
        free(sql);
    }
    /* Verbatim terms: Japanese, and characters that mean something in PDF. */
    assert_true(q_int(f->db, "SELECT count(*) FROM AE WHERE AETERM = 'サイトメガロウイルス感染'") >= 1);
    assert_true(q_int(f->db, "SELECT count(*) FROM AE WHERE AETERM GLOB '*(*)*'") >= 1);
    assert_true(q_int(f->db, "SELECT count(*) FROM AE WHERE instr(AETERM, char(92)) > 0") >= 1);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM (SELECT USUBJID, AESPID FROM AE GROUP BY 1, 2 HAVING count(*) > 1)"), 0);
}

static void test_hard_cases(void **state)
{
    fixture *f = *state;
    /* A death date with the day missing, agreeing with DS and the fatal AE. */
    assert_int_equal(q_int(f->db, CTE "SELECT count(*) FROM fas f JOIN DS s USING (USUBJID) JOIN AE a USING (USUBJID) "
                                      "WHERE length(f.DTHDTC) = 7 AND s.DSDECOD = 'DEATH' AND s.DSSTDTC = f.DTHDTC "
                                      "AND a.AEOUT = 'FATAL' AND a.AEENDTC = f.DTHDTC"), 1);
    /* AE starts with the day missing, one in day 1's month. */
    assert_true(q_int(f->db, "SELECT count(*) FROM AE WHERE length(AESTDTC) = 7") >= 2);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM AE JOIN DM USING (USUBJID) WHERE length(AESTDTC) = 7 "
                                  "AND AESTDTC = substr(RFSTDTC, 1, 7) AND RFSTDTC > AESTDTC || '-01'"), 1);
    /* An AE starting before day 1. */
    assert_true(q_int(f->db, "SELECT count(*) FROM AE JOIN DM USING (USUBJID) WHERE length(AESTDTC) = 10 "
                             "AND AESTDTC < RFSTDTC") >= 1);
    /* Records dated after the cut-off. */
    assert_true(q_int(f->db, "SELECT count(*) FROM AE WHERE AESTDTC > (SELECT CUTOFFDTC FROM DBSTATUS)") >= 1);
    assert_true(q_int(f->db, "SELECT count(*) FROM LB WHERE LBDTC > (SELECT CUTOFFDTC FROM DBSTATUS)") >= 1);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM DBSTATUS"), 1);
}

static void test_same_seed_same_bytes(void **state)
{
    fixture *f = *state;
    char *again = xasprintf("%s/again.sqlite", f->dir);
    char *other = xasprintf("%s/other.sqlite", f->dir);
    gen(again, "--seed 20130401");
    gen(other, "--seed 7");
    run_result r = run_sh("cmp -s '%s' '%s'", f->db_path, again);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("cmp -s '%s' '%s'", f->db_path, other);
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    /* Another seed is another study of the same shape. */
    sqlite3 *db = open_db(other);
    assert_int_equal(q_int(db, CTE "SELECT count(*) FROM fas"), 25);
    assert_int_equal(q_int(db, CTE "SELECT count(*) FROM days WHERE dthday <= 365"), 3);
    sqlite3_close(db);
    /* Nothing but the two files: no temporary left beside them. */
    r = run_sh("ls '%s' | grep -c tmp", f->dir);
    assert_string_equal(r.out, "0\n");
    run_result_free(&r);
    free(again);
    free(other);
}

static void test_as_of(void **state)
{
    fixture *f = *state;
    char *early = xasprintf("%s/early.sqlite", f->dir);
    char *later = xasprintf("%s/later.sqlite", f->dir);
    gen(early, "--as-of 2013-10-01");
    gen(later, "--as-of 2014-07-01");
    sqlite3 *e = open_db(early), *l = open_db(later);
    char *st = q_text(e, "SELECT STATUS || '|' || CUTOFFDTC FROM DBSTATUS");
    assert_string_equal(st, "OPEN|2013-10-01");
    free(st);
    long ne = q_int(e, "SELECT count(*) FROM DM"), nl = q_int(l, "SELECT count(*) FROM DM");
    long nf = q_int(f->db, "SELECT count(*) FROM DM");
    assert_true(ne < nl && nl <= nf && ne > 0);
    assert_true(q_int(e, "SELECT count(*) FROM AE") < q_int(l, "SELECT count(*) FROM AE"));
    assert_true(q_int(e, "SELECT count(*) FROM DM WHERE DTHFL = 'Y'") <
                q_int(l, "SELECT count(*) FROM DM WHERE DTHFL = 'Y'"));
    /* Nothing dated after the as-of day; no consent after it. */
    assert_int_equal(q_int(e, "SELECT (SELECT count(*) FROM DM WHERE RFICDTC > '2013-10-01') + "
                              "(SELECT count(*) FROM AE WHERE AESTDTC > '2013-10-01' OR AEENDTC > '2013-10-01') + "
                              "(SELECT count(*) FROM LB WHERE LBDTC > '2013-10-01') + "
                              "(SELECT count(*) FROM EX WHERE EXENDTC > '2013-10-01') + "
                              "(SELECT count(*) FROM DS WHERE DSSTDTC > '2013-10-01')"), 0);
    /* The same study: AESPID identifies the same event in both views. */
    sqlite3_close(e);
    sqlite3_close(l);
    char *sql = xasprintf("ATTACH '%s' AS l", later);
    sqlite3 *d = open_db(early);
    assert_int_equal(sqlite3_exec(d, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(q_int(d, "SELECT count(*) FROM main.AE a LEFT JOIN l.AE b ON a.USUBJID = b.USUBJID "
                              "AND a.AESPID = b.AESPID WHERE b.AEDECOD IS NULL OR a.AEDECOD <> b.AEDECOD "
                              "OR a.AESTDTC <> b.AESTDTC"), 0);
    sqlite3_close(d);
    free(sql);
    free(early);
    free(later);
}

static void test_scale_keeps_the_first_subjects(void **state)
{
    fixture *f = *state;
    char *big = xasprintf("%s/big.sqlite", f->dir);
    gen(big, "--subjects 60 --controls 30 --status 'SOFT LOCK'");
    sqlite3 *db = open_db(big);
    assert_int_equal(q_int(db, "SELECT count(*) FROM DM WHERE ARMCD = 'TAC'"), 60);
    assert_int_equal(q_int(db, "SELECT count(*) FROM DM WHERE ARMCD = 'HC'"), 30);
    char *st = q_text(db, "SELECT STATUS FROM DBSTATUS");
    assert_string_equal(st, "SOFT LOCK");
    free(st);
    sqlite3_close(db);
    char *sql = xasprintf("ATTACH '%s' AS b", big);
    assert_int_equal(sqlite3_exec(f->db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM (SELECT * FROM main.AE EXCEPT SELECT * FROM b.AE)"), 0);
    assert_int_equal(q_int(f->db, "SELECT count(*) FROM (SELECT * FROM main.DM EXCEPT SELECT * FROM b.DM)"), 0);
    assert_int_equal(sqlite3_exec(f->db, "DETACH b", NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    free(big);
}

static void test_with_issues(void **state)
{
    fixture *f = *state;
    char *path = xasprintf("%s/issues.sqlite", f->dir);
    gen(path, "--with-issues");
    sqlite3 *db = open_db(path);
    assert_int_equal(q_int(db, "SELECT count(*) FROM (SELECT USUBJID FROM DM GROUP BY USUBJID HAVING count(*) > 1)"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM LB WHERE USUBJID NOT IN (SELECT USUBJID FROM DM)"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM LB WHERE LBDTC = '2014-02-30'"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM DM WHERE DTHDTC <> '' AND DTHDTC < RFSTDTC"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM VS WHERE typeof(VSSTRESN) = 'text'"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM AE WHERE length(AESTDTC) = 10 AND AEENDTC <> '' AND AEENDTC < AESTDTC"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM AE WHERE AEREL NOT IN ('RELATED', 'POSSIBLY RELATED', 'NOT RELATED')"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM DM WHERE DTHFL = 'Y' AND DTHDTC = '' AND USUBJID NOT IN "
                               "(SELECT USUBJID FROM DS WHERE DSDECOD = 'DEATH')"), 1);
    assert_int_equal(q_int(db, "SELECT count(DISTINCT m.USUBJID) FROM DM m JOIN DS s USING (USUBJID) WHERE "
                               "s.DSDECOD = 'DEATH' AND m.DTHDTC <> '' AND s.DSSTDTC <> m.DTHDTC"), 1);
    sqlite3_close(db);
    free(path);
}

static void test_bad_options_exit_2(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {
        "--status FROZEN", "--as-of 2014-02-30", "--as-of 2014-1-5", "--subjects 0",
        "--subjects -3", "--controls x", "--seed 1.5", "--bogus",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_result r = run_tlfgen("demo-db --out '%s/bad.sqlite' %s", f->dir, bad[i]);
        if (r.status != 2)
            fail_msg("'%s': exit %d", bad[i], r.status);
        char *nl = strchr(r.err, '\n');
        assert_non_null(nl);
        assert_string_equal(nl + 1, "");               /* exactly one line */
        run_result_free(&r);
        char *p = xasprintf("%s/bad.sqlite", f->dir);
        assert_int_not_equal(access(p, F_OK), 0);
        free(p);
    }
    run_result r = run_tlfgen("demo-db");
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_tlfgen("demo-db --out '%s/no/such/dir/x.sqlite'", f->dir);
    assert_int_equal(r.status, 6);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_and_column_typed),
        cmocka_unit_test(test_code_lists_and_flags),
        cmocka_unit_test(test_published_shape),
        cmocka_unit_test(test_hard_cases),
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_as_of),
        cmocka_unit_test(test_scale_keeps_the_first_subjects),
        cmocka_unit_test(test_with_issues),
        cmocka_unit_test(test_bad_options_exit_2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
