/* test_derive_rules.c - one test per rule of sap.md sections 1-3 on tiny
 * hand-made SDTM databases (tests/support/sdtm_builder.c): imputation,
 * death date and its sources, last known alive date, censoring of OS,
 * PFS and TFF, the 52-week window, the cut-off, TEAE boundaries, baseline
 * and analysis windows, analysis sets, week-52 response and GC dose. */
#include "testutil.h"
#include "study/study.h"
#include "sdtm_builder.h"
#include "derive/derive.h"
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#define DAY1 "2024-01-10"
#define CUTOFF "2025-06-30"

static sqlite3 *one_tac(const char *exend)
{
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "S1", DAY1, exend);
    return db;
}

static void finish(sqlite3 *sdtm, sqlite3 *adam)
{
    sqlite3_close(sdtm);
    sqlite3_close(adam);
}

static void add_ae(sqlite3 *db, int seq, const char *st, const char *en)
{
    sdtm_sql(db,
             "INSERT INTO AE VALUES ('S1', %d, 'term %d', 'Headache', 'Nervous system disorders', '1',"
             " 'N', 'NOT RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', %Q, %Q, 'AE%d')",
             seq, seq, st, en, seq);
}

static void test_ae_start_in_day1_month(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    add_ae(db, 1, "2024-01", "");            /* day 1 lies in the month: day 1 */
    add_ae(db, 2, "2024-01", "2024-01-05");  /* ended before day 1: the 1st   */
    add_ae(db, 3, "2024-02", "");            /* other month: the 1st          */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-01-10", "SELECT ASTDT FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "D", "SELECT ASTDTF FROM ADAE WHERE AESEQ=1");
    assert_int_equal(adam_int(ad, "SELECT ASTDY FROM ADAE WHERE AESEQ=1"), 1);
    assert_q(ad, "Y", "SELECT TRTEMFL FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "2024-01-01", "SELECT ASTDT FROM ADAE WHERE AESEQ=2");
    assert_int_equal(adam_int(ad, "SELECT ASTDY FROM ADAE WHERE AESEQ=2"), -9);
    assert_q(ad, NULL, "SELECT TRTEMFL FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "2024-02-01", "SELECT ASTDT FROM ADAE WHERE AESEQ=3");
    finish(db, ad);
}

static void test_ae_start_missing_month(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    add_ae(db, 1, "2024", "");
    add_ae(db, 2, "2025", "");
    add_ae(db, 3, "", "2024-03-01");   /* fully missing start: not imputed */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-01-10", "SELECT ASTDT FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "M", "SELECT ASTDTF FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "2025-01-01", "SELECT ASTDT FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "M", "SELECT ASTDTF FROM ADAE WHERE AESEQ=2");
    assert_q(ad, NULL, "SELECT ASTDT FROM ADAE WHERE AESEQ=3");
    assert_q(ad, NULL, "SELECT ASTDTF FROM ADAE WHERE AESEQ=3");
    finish(db, ad);
}

static void test_ae_end_capped_at_death_and_cutoff(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-03-15");
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-03-15', DTHFL='Y'");
    add_ae(db, 1, "2024-03-01", "2024-03");   /* last of month, capped at death */
    add_ae(db, 2, "2024-02-01", "2024");      /* 31 December, capped at death    */
    add_ae(db, 3, "2024-02-01", "2024-02");   /* 29 February (leap year)         */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-03-15", "SELECT AENDT FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "D", "SELECT AENDTF FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "2024-03-15", "SELECT AENDT FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "M", "SELECT AENDTF FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "2024-02-29", "SELECT AENDT FROM ADAE WHERE AESEQ=3");
    finish(db, ad);
    /* an end after the cut-off is set to the cut-off */
    db = one_tac("2024-12-31");
    add_ae(db, 1, "2024-03-01", "2025-09-01");
    ad = adam_derive(db, NULL, NULL);
    assert_q(ad, CUTOFF, "SELECT AENDT FROM ADAE WHERE AESEQ=1");
    finish(db, ad);
}

static void test_death_missing_day_after_last_contact(void **state)
{
    (void)state;
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "S1", DAY1, "2024-03-10");
    sdtm_tac(db, "S2", DAY1, "2024-02-20");
    sdtm_tac(db, "S3", DAY1, "2024-03-31");
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-03', DTHFL='Y'");
    /* S1: last contact inside the month (EX end 2024-03-10 and an LB on 03-12) */
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('S1', 1, 'CK', 80, '2024-03-12')");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-03-12", "SELECT LSTALVDT FROM ADSL WHERE USUBJID='S1'");
    assert_q(ad, "2024-03-13", "SELECT DTHDT FROM ADSL WHERE USUBJID='S1'");
    assert_q(ad, "D", "SELECT DTHDTF FROM ADSL WHERE USUBJID='S1'");
    /* S2: last contact before the month: the 1st */
    assert_q(ad, "2024-03-01", "SELECT DTHDT FROM ADSL WHERE USUBJID='S2'");
    /* S3: last contact on the month's last day: end of month and an issue */
    assert_q(ad, "2024-03-31", "SELECT DTHDT FROM ADSL WHERE USUBJID='S3'");
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE USUBJID='S3' AND SEVERITY='WARNING'"
                                  " AND MESSAGE LIKE '%%end of%%'"), 1);
    /* OS event on the imputed date, ADTF carried */
    assert_q(ad, "D", "SELECT ADTF FROM ADTTE WHERE USUBJID='S1' AND PARAMCD='OS'");
    assert_int_equal(adam_int(ad, "SELECT CNSR FROM ADTTE WHERE USUBJID='S1' AND PARAMCD='OS'"), 0);
    finish(db, ad);
}

static void test_death_dthfl_without_date(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-02-20");
    sdtm_sql(db, "UPDATE DM SET DTHFL='Y'");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-02-20", "SELECT LSTALVDT FROM ADSL");
    assert_q(ad, "2024-02-21", "SELECT DTHDT FROM ADSL");
    assert_q(ad, "Y", "SELECT DTHDTF FROM ADSL");
    assert_q(ad, "Y", "SELECT DTHFL FROM ADSL");
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE VARIABLE='DTHFL' AND SEVERITY='WARNING'"), 1);
    assert_int_equal(adam_int(ad, "SELECT AVAL FROM ADTTE WHERE PARAMCD='OS'"), 43);
    assert_q(ad, "Y", "SELECT ADTF FROM ADTTE WHERE PARAMCD='OS'");
    finish(db, ad);
}

static void test_death_sources_disagree(void **state)
{
    (void)state;
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "S1", DAY1, "2024-03-01");
    sdtm_tac(db, "S2", DAY1, "2024-03-01");
    sdtm_tac(db, "S3", DAY1, "2024-03-01");
    sdtm_tac(db, "S4", DAY1, "2024-03-01");
    /* S1: DM and DS disagree: DM wins, warning */
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-03-10', DTHFL='Y' WHERE USUBJID='S1'");
    sdtm_sql(db, "INSERT INTO DS VALUES ('S1', 1, 'DISPOSITION EVENT', 'STUDY PARTICIPATION', 'Death', 'DEATH', '2024-03-12', '')");
    /* S2: only DS */
    sdtm_sql(db, "UPDATE DM SET DTHFL='Y' WHERE USUBJID='S2'");
    sdtm_sql(db, "INSERT INTO DS VALUES ('S2', 4, 'DISPOSITION EVENT', 'STUDY PARTICIPATION', 'Death', 'DEATH', '2024-04-02', '')");
    /* S3: only the fatal AE's end date */
    sdtm_sql(db, "UPDATE DM SET DTHFL='Y' WHERE USUBJID='S3'");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S3', 7, 'pneumonia', 'Pneumonia', 'Infections', '5', 'Y',"
                 " 'NOT RELATED', 'DRUG WITHDRAWN', 'FATAL', '2024-03-20', '2024-03-28', 'A7')");
    /* S4: DM partial, DS complete and consistent: the complete date is used */
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-05', DTHFL='Y' WHERE USUBJID='S4'");
    sdtm_sql(db, "INSERT INTO DS VALUES ('S4', 2, 'DISPOSITION EVENT', 'STUDY PARTICIPATION', 'Death', 'DEATH', '2024-05-17', '')");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-03-10", "SELECT DTHDT FROM ADSL WHERE USUBJID='S1'");
    assert_q(ad, "DM", "SELECT DTHSRC FROM ADSL WHERE USUBJID='S1'");
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE USUBJID='S1' AND SEVERITY='WARNING'"
                                  " AND DOMAIN='DS'"), 1);
    assert_q(ad, "2024-04-02", "SELECT DTHDT FROM ADSL WHERE USUBJID='S2'");
    assert_q(ad, "DS", "SELECT SRCDOM FROM ADTTE WHERE USUBJID='S2' AND PARAMCD='OS'");
    assert_int_equal(adam_int(ad, "SELECT SRCSEQ FROM ADTTE WHERE USUBJID='S2' AND PARAMCD='OS'"), 4);
    assert_q(ad, "2024-03-28", "SELECT DTHDT FROM ADSL WHERE USUBJID='S3'");
    assert_q(ad, "AE", "SELECT DTHSRC FROM ADSL WHERE USUBJID='S3'");
    assert_int_equal(adam_int(ad, "SELECT DTHSEQ FROM ADSL WHERE USUBJID='S3'"), 7);
    assert_q(ad, "2024-05-17", "SELECT DTHDT FROM ADSL WHERE USUBJID='S4'");
    assert_q(ad, NULL, "SELECT DTHDTF FROM ADSL WHERE USUBJID='S4'");
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE USUBJID='S4' AND SEVERITY='WARNING'"), 0);
    finish(db, ad);
}

static void test_last_known_alive_sources(void **state)
{
    (void)state;
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "S1", DAY1, "2024-02-01");
    sdtm_tac(db, "S2", DAY1, "");   /* ongoing EX: no end date, not a contact */
    sdtm_tac(db, "S3", DAY1, "2025-08-01");   /* end after the cut-off counts as the cut-off */
    /* S1: contacts LB 03-01, AE start 03-05, DS LAST KNOWN ALIVE 03-20;
     * not contacts: CM dates, AE end dates, partial dates */
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('S1', 1, 'CK', 80, '2024-03-01')");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S1', 1, 't', 'Headache', 'N', '1', 'N', 'NOT RELATED', '', '', '2024-03-05', '2024-06-10', 'A1')");
    sdtm_sql(db, "INSERT INTO CM VALUES ('S1', 1, 'x', 'X', 'OTHER', '2024-05-01', '2024-07-01')");
    sdtm_sql(db, "INSERT INTO DS VALUES ('S1', 1, 'OTHER EVENT', '', 'alive', 'LAST KNOWN ALIVE', '2024-03-20', '')");
    sdtm_sql(db, "INSERT INTO RE (USUBJID, RESEQ, RETESTCD, RESTRESN, REDTC) VALUES ('S1', 1, 'VCPP', 70, '2024-04')");
    /* S2: contacts RS 02-10 and FT 02-14 (latest) */
    sdtm_sql(db, "INSERT INTO RS VALUES ('S2', 1, 'IPRESP', 'STABLE', '2024-02-10', 3, 'WEEK 4')");
    sdtm_sql(db, "INSERT INTO FT VALUES ('S2', 1, 'MMT8', 70, '', 3, 'WEEK 4', '2024-02-14')");
    sdtm_sql(db, "INSERT INTO PC VALUES ('S2', 1, 'TACTROUGH', 7.5, 'ng/mL', 3, 'WEEK 4', '2024-02-12')");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "2024-03-20", "SELECT LSTALVDT FROM ADSL WHERE USUBJID='S1'");
    assert_q(ad, "DS", "SELECT LSTALSRC FROM ADSL WHERE USUBJID='S1'");
    assert_q(ad, "2024-02-14", "SELECT LSTALVDT FROM ADSL WHERE USUBJID='S2'");
    assert_q(ad, "FT", "SELECT LSTALSRC FROM ADSL WHERE USUBJID='S2'");
    assert_q(ad, CUTOFF, "SELECT LSTALVDT FROM ADSL WHERE USUBJID='S3'");
    /* TRTEDT: the ongoing period ends at the cut-off */
    assert_q(ad, CUTOFF, "SELECT TRTEDT FROM ADSL WHERE USUBJID='S2'");
    finish(db, ad);
}

static void test_os_censoring_reasons(void **state)
{
    (void)state;
    char b[11];
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "E", DAY1, sdtm_day(DAY1, 100, b));
    sdtm_sql(db, "UPDATE DM SET DTHDTC=%Q, DTHFL='Y' WHERE USUBJID='E'", sdtm_day(DAY1, 100, b));
    sdtm_tac(db, "D366", DAY1, sdtm_day(DAY1, 300, b));
    sdtm_sql(db, "UPDATE DM SET DTHDTC=%Q, DTHFL='Y' WHERE USUBJID='D366'", sdtm_day(DAY1, 366, b));
    sdtm_tac(db, "D365", DAY1, sdtm_day(DAY1, 300, b));
    sdtm_sql(db, "UPDATE DM SET DTHDTC=%Q, DTHFL='Y' WHERE USUBJID='D365'", sdtm_day(DAY1, 365, b));
    sdtm_tac(db, "L200", DAY1, sdtm_day(DAY1, 200, b));
    sdtm_tac(db, "L380", DAY1, sdtm_day(DAY1, 380, b));
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT %s FROM ADTTE WHERE USUBJID='%s' AND PARAMCD='OS'";
    assert_int_equal(adam_int(ad, q, "CNSR", "E"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "E"), 100);
    assert_q(ad, "DEATH", q, "EVNTDESC", "E");
    assert_int_equal(adam_int(ad, q, "CNSR", "D366"), 1);
    assert_int_equal(adam_int(ad, q, "AVAL", "D366"), 365);
    assert_q(ad, sdtm_day(DAY1, 365, b), q, "ADT", "D366");
    assert_int_equal(adam_int(ad, q, "CNSR", "D365"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "D365"), 365);
    assert_int_equal(adam_int(ad, q, "CNSR", "L200"), 2);
    assert_int_equal(adam_int(ad, q, "AVAL", "L200"), 200);
    assert_q(ad, "LAST KNOWN ALIVE DATE", q, "CNSDTDSC", "L200");
    assert_q(ad, "EX", q, "SRCDOM", "L200");
    assert_int_equal(adam_int(ad, q, "CNSR", "L380"), 1);
    assert_int_equal(adam_int(ad, q, "AVAL", "L380"), 365);
    /* ADSL variables carried; the models' stratum and covariates stay in
     * ADSL (the analyses join it), one column per characteristic */
    assert_q(ad, "TAC", q, "ARMCD", "E");
    assert_q(ad, "Y", q, "FASFL", "E");
    assert_q(ad, "NEW", "SELECT ONSET FROM ADSL WHERE USUBJID='E'");
    assert_q(ad, "NEGATIVE", "SELECT MDA5AB FROM ADSL WHERE USUBJID='E'");
    finish(db, ad);
}

static void rs(sqlite3 *db, const char *u, int seq, const char *res, int sd)
{
    char b[11];
    sdtm_sql(db, "INSERT INTO RS VALUES (%Q, %d, 'IPRESP', %Q, %Q, 99, 'X')", u, seq, res,
             sdtm_day(DAY1, sd, b));
}

static void test_pfs_censoring_reasons(void **state)
{
    (void)state;
    char b[11];
    sqlite3 *db = sdtm_new(CUTOFF);
    const char *ids[] = {"P150", "NONE", "LAST200", "LAST370", "P400", "B1", "DTH"};
    for (int i = 0; i < 7; i++)
        sdtm_tac(db, ids[i], DAY1, sdtm_day(DAY1, 390, b));
    rs(db, "P150", 1, "STABLE", 50);
    rs(db, "P150", 2, "PROGRESSED", 150);
    rs(db, "P150", 3, "IMPROVED", 200);
    rs(db, "LAST200", 1, "STABLE", 100);
    rs(db, "LAST200", 2, "IMPROVED", 200);
    rs(db, "LAST370", 1, "IMPROVED", 370);
    rs(db, "P400", 1, "IMPROVED", 300);
    rs(db, "P400", 2, "PROGRESSED", 400);
    rs(db, "B1", 1, "PROGRESSED", 1);     /* day 1 is not after day 1 */
    rs(db, "DTH", 1, "STABLE", 30);
    sdtm_sql(db, "UPDATE DM SET DTHDTC=%Q, DTHFL='Y' WHERE USUBJID='DTH'", sdtm_day(DAY1, 90, b));
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT %s FROM ADTTE WHERE USUBJID='%s' AND PARAMCD='PFS'";
    assert_int_equal(adam_int(ad, q, "CNSR", "P150"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "P150"), 150);
    assert_q(ad, "IP PROGRESSION", q, "EVNTDESC", "P150");
    assert_q(ad, "RS", q, "SRCDOM", "P150");
    assert_int_equal(adam_int(ad, q, "SRCSEQ", "P150"), 2);
    assert_int_equal(adam_int(ad, q, "CNSR", "NONE"), 4);
    assert_int_equal(adam_int(ad, q, "AVAL", "NONE"), 1);
    assert_int_equal(adam_int(ad, q, "CNSR", "LAST200"), 3);
    assert_int_equal(adam_int(ad, q, "AVAL", "LAST200"), 200);
    assert_int_equal(adam_int(ad, q, "CNSR", "LAST370"), 1);
    assert_int_equal(adam_int(ad, q, "AVAL", "LAST370"), 365);
    assert_int_equal(adam_int(ad, q, "CNSR", "P400"), 3);
    assert_int_equal(adam_int(ad, q, "AVAL", "P400"), 300);
    assert_int_equal(adam_int(ad, q, "CNSR", "B1"), 4);
    assert_int_equal(adam_int(ad, q, "CNSR", "DTH"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "DTH"), 90);
    assert_q(ad, "DEATH", q, "EVNTDESC", "DTH");
    finish(db, ad);
}

static void test_tff_censoring_reasons(void **state)
{
    (void)state;
    char b[11], e[11];
    sqlite3 *db = sdtm_new(CUTOFF);
    const char *ids[] = {"CM100", "CMPRE", "AESTOP", "NOEV", "LATE", "PROG"};
    for (int i = 0; i < 6; i++)
        sdtm_tac(db, ids[i], DAY1, sdtm_day(DAY1, 200, b));
    sdtm_hc(db, "HCSTOP", DAY1, sdtm_day(DAY1, 200, b));
    sdtm_sql(db, "INSERT INTO CM VALUES ('CM100', 3, 'cyclophosphamide', 'CYCLOPHOSPHAMIDE',"
                 " 'ADDITIONAL IMMUNOSUPPRESSANT', %Q, '')", sdtm_day(DAY1, 100, b));
    sdtm_sql(db, "INSERT INTO CM VALUES ('CMPRE', 1, 'cyclosporine', 'CICLOSPORIN',"
                 " 'ADDITIONAL IMMUNOSUPPRESSANT', %Q, %Q)", sdtm_day(DAY1, -30, b), sdtm_day(DAY1, -5, e));
    sdtm_sql(db, "INSERT INTO DS VALUES ('AESTOP', 2, 'DISPOSITION EVENT', 'STUDY TREATMENT', 'ae',"
                 " 'ADVERSE EVENT', %Q, '')", sdtm_day(DAY1, 50, b));
    sdtm_sql(db, "INSERT INTO DS VALUES ('HCSTOP', 2, 'DISPOSITION EVENT', 'STUDY TREATMENT', 'ae',"
                 " 'ADVERSE EVENT', %Q, '')", sdtm_day(DAY1, 50, b));
    sdtm_sql(db, "INSERT INTO CM VALUES ('LATE', 1, 'rituximab', 'RITUXIMAB',"
                 " 'ADDITIONAL IMMUNOSUPPRESSANT', %Q, '')", sdtm_day(DAY1, 380, b));
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('LATE', 1, 'CK', 80, %Q)",
             sdtm_day(DAY1, 390, b));
    rs(db, "PROG", 5, "PROGRESSED", 120);
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT %s FROM ADTTE WHERE USUBJID='%s' AND PARAMCD='TFF'";
    assert_int_equal(adam_int(ad, q, "CNSR", "CM100"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "CM100"), 100);
    assert_q(ad, "CM", q, "SRCDOM", "CM100");
    assert_int_equal(adam_int(ad, q, "SRCSEQ", "CM100"), 3);
    assert_int_equal(adam_int(ad, q, "CNSR", "CMPRE"), 2);
    assert_int_equal(adam_int(ad, q, "AVAL", "CMPRE"), 200);
    assert_int_equal(adam_int(ad, q, "CNSR", "AESTOP"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "AESTOP"), 50);
    assert_q(ad, "TACROLIMUS STOPPED FOR ADVERSE EVENT", q, "EVNTDESC", "AESTOP");
    assert_int_equal(adam_int(ad, q, "CNSR", "HCSTOP"), 2);   /* not a TFF event for HC */
    assert_int_equal(adam_int(ad, q, "CNSR", "NOEV"), 2);
    assert_int_equal(adam_int(ad, q, "CNSR", "LATE"), 1);
    assert_int_equal(adam_int(ad, q, "AVAL", "LATE"), 365);
    assert_int_equal(adam_int(ad, q, "CNSR", "PROG"), 0);
    assert_int_equal(adam_int(ad, q, "AVAL", "PROG"), 120);
    finish(db, ad);
}

static void test_cutoff(void **state)
{
    (void)state;
    sqlite3 *db = sdtm_new("2024-06-30");
    sdtm_tac(db, "S1", DAY1, "");
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-08-01', DTHFL='Y'");
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('S1', 1, 'CK', 80, '2024-05-01')");
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('S1', 2, 'CK', 80, '2024-07-01')");
    add_ae(db, 1, "2024-06", "");     /* earliest day before the cut-off: kept */
    add_ae(db, 2, "2024-07-02", "");  /* after: left out */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_q(ad, "N", "SELECT DTHFL FROM ADSL");
    assert_q(ad, NULL, "SELECT DTHDT FROM ADSL");
    assert_q(ad, "2024-06-30", "SELECT TRTEDT FROM ADSL");
    assert_q(ad, "2024-05-01", "SELECT LSTALVDT FROM ADSL");
    assert_int_equal(adam_int(ad, "SELECT CNSR FROM ADTTE WHERE PARAMCD='OS'"), 2);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADLB"), 1);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADAE"), 1);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE SEVERITY='INFO' AND MESSAGE LIKE 'death after%%'"), 1);
    /* records left out are counted per table as information */
    assert_q(ad, "1", "SELECT VALUE FROM ADISSUE WHERE SEVERITY='INFO' AND DOMAIN='LB' AND VARIABLE='records after cut-off'");
    assert_q(ad, "1", "SELECT VALUE FROM ADISSUE WHERE SEVERITY='INFO' AND DOMAIN='AE' AND VARIABLE='records after cut-off'");
    finish(db, ad);
    /* --cutoff overrides DBSTATUS: now the death counts */
    db = sdtm_new("2024-06-30");
    sdtm_tac(db, "S1", DAY1, "");
    sdtm_sql(db, "UPDATE DM SET DTHDTC='2024-08-01', DTHFL='Y'");
    ad = adam_derive(db, "2024-12-31", NULL);
    assert_q(ad, "2024-08-01", "SELECT DTHDT FROM ADSL");
    assert_q(ad, "2024-12-31", "SELECT CUTOFFDT FROM ADSL");
    assert_int_equal(adam_int(ad, "SELECT CNSR FROM ADTTE WHERE PARAMCD='OS'"), 0);
    finish(db, ad);
}

static void test_teae_boundaries(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-06-30");
    add_ae(db, 1, "2024-07-28", "");           /* TRTEDT + 28 */
    add_ae(db, 2, "2024-07-29", "");           /* TRTEDT + 29 */
    add_ae(db, 3, "2024-01-09", "");           /* day before TRTSDT */
    add_ae(db, 4, "", "2024-01-05");           /* missing start, ended before TRTSDT */
    add_ae(db, 5, "", "");                     /* missing start and end */
    add_ae(db, 6, "2024-01-10", "");           /* TRTSDT */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT TRTEMFL FROM ADAE WHERE AESEQ=%d";
    assert_q(ad, "Y", q, 1);
    assert_q(ad, NULL, q, 2);
    assert_q(ad, NULL, q, 3);
    assert_q(ad, NULL, q, 4);
    assert_q(ad, "Y", q, 5);
    assert_q(ad, "Y", q, 6);
    finish(db, ad);
}

static void test_ae_flags_and_worst_grade(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S1', 1, '帯状疱疹 (右胸部)', 'Herpes zoster', 'Infections', '2', 'N', '', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2024-02-01', '2024-02-20', 'A1')");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S1', 2, 'zoster again', 'Herpes zoster', 'Infections', '3', 'Y', 'POSSIBLY RELATED', 'DRUG WITHDRAWN', 'RECOVERED/RESOLVED', '2024-04-01', '2024-04-20', 'A2')");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S1', 3, 'tremor', 'Tremor', 'Nervous system disorders', '', 'N', 'NOT RELATED', 'DOSE NOT CHANGED', 'FATAL', '2024-03-01', '', 'A3')");
    sdtm_sql(db, "INSERT INTO AE VALUES ('S1', 4, 'zoster 3', 'Herpes zoster', 'Infections', '3', 'N', 'RELATED', '', '', '2024-05-01', '', 'A4')");
    char *aesi = test_source_path("config/aesi.json");
    sqlite3 *ad = adam_derive(db, NULL, aesi);
    free(aesi);
    assert_q(ad, "帯状疱疹 (右胸部)", "SELECT AETERM FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "Y", "SELECT AERELFL FROM ADAE WHERE AESEQ=1");   /* missing = related */
    assert_q(ad, NULL, "SELECT AERELFL FROM ADAE WHERE AESEQ=3");
    assert_q(ad, "Y", "SELECT AESERFL FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "Y", "SELECT AEWDFL FROM ADAE WHERE AESEQ=2");
    assert_q(ad, "Y", "SELECT AEFATFL FROM ADAE WHERE AESEQ=3");
    assert_q(ad, "OPPORTUNISTIC INFECTION", "SELECT AESICAT FROM ADAE WHERE AESEQ=1");
    assert_q(ad, "TREMOR", "SELECT AESICAT FROM ADAE WHERE AESEQ=3");
    /* worst grade per PT: grade 3 twice -> the earlier (AESEQ 2) */
    assert_int_equal(adam_int(ad, "SELECT AESEQ FROM ADAE WHERE WGRPTFL='Y' AND AEDECOD='Herpes zoster'"), 2);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADAE WHERE WGRPTFL='Y'"), 2);
    assert_int_equal(adam_int(ad, "SELECT AESEQ FROM ADAE WHERE WGRANYFL='Y'"), 2);
    assert_q(ad, "Y", "SELECT WGRSOCFL FROM ADAE WHERE AESEQ=3");   /* missing grade, only one in SOC */
    finish(db, ad);
}

static void lb(sqlite3 *db, int seq, double v, const char *dtc, const char *blfl)
{
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBTEST, LBSTRESN, LBSTNRLO, LBSTNRHI, LBBLFL, LBDTC)"
                 " VALUES ('S1', %d, 'KL6', 'KL-6', %.15g, 0, 500, %Q, %Q)",
             seq, v, blfl, dtc);
}

static void test_baseline_selection(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    lb(db, 1, 900, "2024-01-05", "");
    lb(db, 2, 950, "2024-01-10T08:00", "Y");   /* SDTM flag on the earlier time: not used */
    lb(db, 3, 970, "2024-01-10T10:00", "");    /* later time on day 1: baseline */
    lb(db, 4, 400, "2024-01-24", "");
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBORRES, LBDTC) VALUES ('S1', 5, 'KL6', '<10', '2024-01-10T11:00')");
    sdtm_sql(db, "INSERT INTO RE (USUBJID, RESEQ, RETESTCD, RESTRESN, REDTC) VALUES ('S1', 1, 'VCPP', 70, '2024-01-08')");
    sdtm_sql(db, "INSERT INTO RE (USUBJID, RESEQ, RETESTCD, RESTRESN, REDTC) VALUES ('S1', 3, 'VCPP', 72, '2024-01-08')");
    sdtm_sql(db, "INSERT INTO RE (USUBJID, RESEQ, RETESTCD, RESTRESN, REDTC) VALUES ('S1', 2, 'VCPP', 90, '2024-04-01')");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_int_equal(adam_int(ad, "SELECT LBSEQ FROM (SELECT SRCSEQ AS LBSEQ FROM ADLB WHERE ABLFL='Y')"), 3);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADLB WHERE ABLFL='Y'"), 1);
    assert_int_equal(adam_int(ad, "SELECT BASE FROM ADLB WHERE SRCSEQ=4"), 970);
    assert_int_equal(adam_int(ad, "SELECT CHG FROM ADLB WHERE SRCSEQ=4"), -570);
    assert_q(ad, "HIGH", "SELECT BNRIND FROM ADLB WHERE SRCSEQ=4");
    assert_q(ad, "NORMAL", "SELECT ANRIND FROM ADLB WHERE SRCSEQ=4");
    assert_q(ad, "<10", "SELECT AVALC FROM ADLB WHERE SRCSEQ=5");
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE DOMAIN='LB' AND SEQ=2 AND SEVERITY='WARNING'"), 1);
    /* same date, no time: the higher --SEQ */
    assert_int_equal(adam_int(ad, "SELECT SRCSEQ FROM ADRE WHERE ABLFL='Y'"), 3);
    assert_int_equal(adam_int(ad, "SELECT CHG FROM ADRE WHERE SRCSEQ=2"), 18);
    /* baseline weight reaches ADSL */
    assert_int_equal(adam_int(ad, "SELECT WTBL FROM ADSL"), 50);
    finish(db, ad);
}

/* A numeric BDS record of subject u on study day sd (DAY1 = day 1) in
 * SDTM table dom (RE, LB or FT), optionally at a time of day. */
static void bds(sqlite3 *db, const char *dom, const char *u, int seq, const char *testcd,
                const char *num, int sd, const char *time)
{
    char b[11];
    sdtm_sql(db, "INSERT INTO %s (USUBJID, %sSEQ, %sTESTCD, %sSTRESN, %sDTC) VALUES (%Q, %d, %Q, %s, '%q%q')",
             dom, dom, dom, dom, dom, u, seq, testcd, num, sdtm_day(DAY1, sd, b), time);
}

/* ADSL baselines: the AVAL of the ABLFL record of ADRE/ADLB/ADFT (last
 * non-missing on or before day 1), NULL without one. */
static void test_adsl_baselines(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    sdtm_hc(db, "S2", DAY1, "2024-12-31");
    bds(db, "RE", "S1", 1, "VCPP", "70.5", -3, "");
    bds(db, "RE", "S1", 2, "VCPP", "75.5", 1, "");      /* baseline */
    bds(db, "RE", "S1", 3, "VCPP", "90.5", 30, "");
    bds(db, "RE", "S1", 4, "DLCOPP", "48.25", -1, "");  /* baseline */
    bds(db, "LB", "S1", 1, "KL6", "912.5", 1, "T08:00"); /* baseline: the later one is missing */
    bds(db, "LB", "S1", 2, "KL6", "NULL", 1, "T09:00");
    bds(db, "LB", "S1", 3, "CK", "140.5", -6, "");      /* baseline */
    bds(db, "LB", "S1", 4, "CK", "99.5", 2, "");        /* day 2: post-baseline */
    bds(db, "FT", "S1", 1, "MMT8", "61.5", 1, "");      /* baseline */
    bds(db, "RE", "S2", 1, "VCPP", "66.5", 1, "");      /* HC: %VC only ... */
    bds(db, "RE", "S2", 2, "DLCOPP", "55.5", 2, "");    /* ... %DLCO after day 1 */
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    /* column, its BDS dataset and PARAMCD, the value of S1 and of S2 */
    static const char *const q[][5] = {
        {"BLVCPP", "ADRE", "VCPP", "75.5", "66.5"}, {"BLDLCOPP", "ADRE", "DLCOPP", "48.25", NULL},
        {"BLKL6", "ADLB", "KL6", "912.5", NULL},    {"BLCK", "ADLB", "CK", "140.5", NULL},
        {"BLMMT8", "ADFT", "MMT8", "61.5", NULL},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        assert_q(ad, q[i][3], "SELECT %s FROM ADSL WHERE USUBJID='S1'", q[i][0]);
        assert_q(ad, q[i][4], "SELECT %s FROM ADSL WHERE USUBJID='S2'", q[i][0]);
        /* the same record as the BDS dataset's ABLFL = Y, and its BASE */
        assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL s JOIN %s b ON b.USUBJID=s.USUBJID"
                                      " AND b.PARAMCD=%Q AND b.ABLFL='Y' WHERE b.AVAL=s.%s",
                                  q[i][1], q[i][2], q[i][0]),
                         adam_int(ad, "SELECT count(*) FROM ADSL WHERE %s IS NOT NULL", q[i][0]));
        assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADSL s JOIN %s b ON b.USUBJID=s.USUBJID"
                                      " AND b.PARAMCD=%Q WHERE b.BASE IS NOT s.%s",
                                  q[i][1], q[i][2], q[i][0]),
                         0);
    }
    assert_q(ad, "50.0", "SELECT WTBL FROM ADSL WHERE USUBJID='S1'");
    finish(db, ad);
}

static void ft(sqlite3 *db, int seq, double v, int sd)
{
    char b[11];
    sdtm_sql(db, "INSERT INTO FT VALUES ('S1', %d, 'MMT8', %.15g, '', 4.1, 'UNSCHEDULED', %Q)", seq, v,
             sdtm_day(DAY1, sd, b));
}

static void test_visit_windows(void **state)
{
    (void)state;
    /* window table of the shipped study configuration (sap.md section 1) */
    tlf_study *st = test_study();
    static const struct { int day, avisitn; } W[] = {
        {1, -1}, {2, 2}, {21, 2}, {22, 4} /* midpoint of 15 and 29 goes to the later */,
        {228, 26}, {229, 39} /* midpoint 228.5 */, {319, 39}, {320, 52}, {393, 52}, {394, -1}};
    for (size_t i = 0; i < sizeof W / sizeof W[0]; i++) {
        const tlf_study_visit *v = tlf_study_visit_for_day(st, W[i].day);
        assert_int_equal(v ? v->number : -1, W[i].avisitn);
    }
    assert_int_equal(tlf_study_visit_for_day(st, 320)->target_day, 365);
    assert_int_equal(tlf_study_visit_for_day(st, 2)->target_day, 15);
    tlf_study_free(st);

    sqlite3 *db = one_tac("2024-12-31");
    ft(db, 1, 60, 1);
    ft(db, 2, 61, 319);
    ft(db, 3, 62, 320);
    ft(db, 4, 63, 360);    /* 5 before target 365 */
    ft(db, 5, 64, 370);    /* 5 after: the later wins the tie */
    ft(db, 6, 65, 393);
    ft(db, 7, 66, 394);
    ft(db, 8, 67, 12);     /* week 2 (target 15): 12 vs 16 -> 16 closer */
    ft(db, 9, 68, 16);
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT %s FROM ADFT WHERE SRCSEQ=%d";
    assert_q(ad, "BASELINE", q, "AVISIT", 1);
    assert_q(ad, "WEEK 39", q, "AVISIT", 2);
    assert_q(ad, "WEEK 52", q, "AVISIT", 3);
    assert_q(ad, "WEEK 52", q, "AVISIT", 6);
    assert_q(ad, NULL, q, "AVISIT", 7);
    assert_int_equal(adam_int(ad, "SELECT SRCSEQ FROM ADFT WHERE AVISITN=52 AND ANL01FL='Y'"), 5);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADFT WHERE AVISITN=52 AND ANL01FL='Y'"), 1);
    assert_int_equal(adam_int(ad, "SELECT SRCSEQ FROM ADFT WHERE AVISITN=2 AND ANL01FL='Y'"), 9);
    assert_int_equal(adam_int(ad, "SELECT SRCSEQ FROM ADFT WHERE AVISITN=39 AND ANL01FL='Y'"), 2);
    assert_int_equal(adam_int(ad, "SELECT ADY FROM ADFT WHERE SRCSEQ=7"), 394);
    finish(db, ad);
}

static void test_analysis_sets(void **state)
{
    (void)state;
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "FAS", DAY1, "2024-12-31");
    sdtm_tac(db, "MAJ", DAY1, "2024-12-31");
    sdtm_sql(db, "INSERT INTO DV VALUES ('MAJ', 1, 'x', 'X', 'MAJOR', '2024-02-01')");
    sdtm_sql(db, "INSERT INTO DV VALUES ('FAS', 1, 'x', 'X', 'MINOR', '2024-02-01')");
    sdtm_sql(db, "INSERT INTO DM (STUDYID, USUBJID, ARMCD, ACTARMCD, RFSTDTC) VALUES ('TAC-IP', 'NOTTRT', 'TAC', 'NOTTRT', '')");
    sdtm_sql(db, "INSERT INTO DM (STUDYID, USUBJID, ARMCD, ACTARMCD) VALUES ('TAC-IP', 'SF', 'SCRNFAIL', 'SCRNFAIL')");
    sdtm_tac(db, "ZERO", DAY1, "2024-12-31");
    sdtm_sql(db, "UPDATE EX SET EXDOSE=0 WHERE USUBJID='ZERO' AND EXTRT='TACROLIMUS'");
    sdtm_hc(db, "HC1", DAY1, "2024-12-31");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT ENRLFL||FASFL||PPSFL||SAFFL||HCFL FROM ADSL WHERE USUBJID='%s'";
    assert_q(ad, "YYYYN", q, "FAS");
    assert_q(ad, "YYNYN", q, "MAJ");
    assert_q(ad, "YNNNN", q, "NOTTRT");
    assert_q(ad, "YNNNN", q, "ZERO");
    assert_q(ad, "NNNNN", q, "SF");
    assert_q(ad, "NNNNY", q, "HC1");
    /* ADTTE holds FAS and HC subjects only */
    assert_int_equal(adam_int(ad, "SELECT count(DISTINCT USUBJID) FROM ADTTE"), 3);
    finish(db, ad);
}

static void test_week52_response_and_gc_dose(void **state)
{
    (void)state;
    char b[11], e[11];
    sqlite3 *db = sdtm_new(CUTOFF);
    sdtm_tac(db, "R", DAY1, sdtm_day(DAY1, 380, b));
    sdtm_tac(db, "F", DAY1, sdtm_day(DAY1, 380, b));
    sdtm_tac(db, "N", DAY1, sdtm_day(DAY1, 380, b));
    rs(db, "R", 1, "IMPROVED", 362);
    rs(db, "F", 1, "IMPROVED", 365);
    sdtm_sql(db, "INSERT INTO CM VALUES ('F', 1, 'rituximab', 'RITUXIMAB', 'ADDITIONAL IMMUNOSUPPRESSANT', %Q, '')",
             sdtm_day(DAY1, 300, b));
    rs(db, "N", 1, "IMPROVED", 300);   /* outside the week-52 window */
    /* GC: R has a methylprednisolone pulse 1000 mg on days 1-3 */
    sdtm_sql(db, "INSERT INTO EX VALUES ('R', 3, 'METHYLPREDNISOLONE', 1000, 'mg', 'QD', %Q, %Q)", DAY1,
             sdtm_day(DAY1, 3, e));
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    const char *q = "SELECT %s FROM ADRS WHERE USUBJID='%s' AND PARAMCD='W52RESP'";
    assert_q(ad, "Y", q, "AVALC", "R");
    assert_q(ad, "IMPROVED AT WEEK 52", q, "RESPREAS", "R");
    assert_q(ad, "N", q, "AVALC", "F");
    assert_q(ad, "TREATMENT FAILURE ON OR BEFORE THE WEEK 52 ASSESSMENT (ADDITIONAL IMMUNOSUPPRESSANT STARTED)",
             q, "RESPREAS", "F");
    assert_q(ad, "N", q, "AVALC", "N");
    assert_q(ad, "NO ASSESSMENT IN THE WEEK 52 WINDOW", q, "RESPREAS", "N");
    /* prednisolone equivalent: 40 + 1.25 x 1000 on day 1; 40 at week 2 */
    const char *d = "SELECT AVAL FROM ADEX WHERE USUBJID='R' AND PARAMCD='%s' AND AVISITN=%d";
    assert_int_equal(adam_int(ad, d, "PREDDOSE", 0), 1290);
    assert_int_equal(adam_int(ad, d, "PREDDOSE", 2), 40);
    assert_int_equal(adam_int(ad, "SELECT AVAL * 100 FROM ADEX WHERE USUBJID='R' AND PARAMCD='PREDDKG' AND AVISITN=2"), 80);
    /* cumulative to day 365: 40 x 365 + 1250 x 3 */
    assert_int_equal(adam_int(ad, "SELECT AVAL FROM ADEX WHERE USUBJID='R' AND PARAMCD='CUMPRED'"), 40 * 365 + 3750);
    assert_int_equal(adam_int(ad, "SELECT AVAL FROM ADEX WHERE USUBJID='R' AND PARAMCD='TRTDURD'"), 380);
    assert_int_equal(adam_int(ad, "SELECT AVAL FROM ADEX WHERE USUBJID='R' AND PARAMCD='TACMDD'"), 3);
    finish(db, ad);
}

static void test_bad_input_reported(void **state)
{
    (void)state;
    sqlite3 *db = one_tac("2024-12-31");
    add_ae(db, 1, "2024-02-30", "");
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('S1', 9, 'CK', 'abc', '2024-02-01')");
    sdtm_sql(db, "INSERT INTO LB (USUBJID, LBSEQ, LBTESTCD, LBSTRESN, LBDTC) VALUES ('GHOST', 1, 'CK', 5, '2024-02-01')");
    sqlite3 *ad = adam_derive(db, NULL, NULL);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE DOMAIN='AE' AND VALUE='2024-02-30'"), 1);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE DOMAIN='LB' AND SEQ=9 AND VALUE='abc'"), 1);
    assert_int_equal(adam_int(ad, "SELECT count(*) FROM ADISSUE WHERE USUBJID='GHOST'"), 1);
    finish(db, ad);
    /* a duplicate subject is reported and its later row left out (the run
     * decides whether to go on); a missing table stops the derivation */
    db = one_tac("2024-12-31");
    sdtm_sql(db, "INSERT INTO DM (USUBJID, ARMCD) VALUES ('S1', 'TAC')");
    sqlite3 *ad2 = adam_derive(db, NULL, NULL);
    assert_int_equal(adam_int(ad2, "SELECT count(*) FROM ADISSUE WHERE DOMAIN='DM' AND USUBJID='S1' "
                                   "AND MESSAGE = 'duplicate USUBJID; later row left out'"), 1);
    assert_int_equal(adam_int(ad2, "SELECT count(*) FROM ADSL WHERE USUBJID='S1'"), 1);
    sqlite3_close(ad2);
    ad2 = NULL;
    assert_int_equal(sqlite3_open(":memory:", &ad2), SQLITE_OK);
    tlf_err err;
    sdtm_sql(db, "DELETE FROM DM WHERE ARMCD='TAC' AND RFSTDTC IS NULL; DROP TABLE RS");
    /* no study configuration: a usage error before anything is read */
    assert_int_equal(derive_adam(db, ad2, NULL, NULL, &err), TLF_EUSAGE);
    tlf_study *study = test_study();
    derive_opts o = {.study = study};
    assert_int_equal(derive_adam(db, ad2, &o, NULL, &err), TLF_EINPUT);
    tlf_study_free(study);
    assert_non_null(strstr(err.msg, "RS"));
    /* nothing half-written stays after the rollback */
    assert_int_equal(adam_int(ad2, "SELECT count(*) FROM sqlite_master"), 0);
    finish(db, ad2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ae_start_in_day1_month),
        cmocka_unit_test(test_ae_start_missing_month),
        cmocka_unit_test(test_ae_end_capped_at_death_and_cutoff),
        cmocka_unit_test(test_death_missing_day_after_last_contact),
        cmocka_unit_test(test_death_dthfl_without_date),
        cmocka_unit_test(test_death_sources_disagree),
        cmocka_unit_test(test_last_known_alive_sources),
        cmocka_unit_test(test_os_censoring_reasons),
        cmocka_unit_test(test_pfs_censoring_reasons),
        cmocka_unit_test(test_tff_censoring_reasons),
        cmocka_unit_test(test_cutoff),
        cmocka_unit_test(test_teae_boundaries),
        cmocka_unit_test(test_ae_flags_and_worst_grade),
        cmocka_unit_test(test_baseline_selection),
        cmocka_unit_test(test_adsl_baselines),
        cmocka_unit_test(test_visit_windows),
        cmocka_unit_test(test_analysis_sets),
        cmocka_unit_test(test_week52_response_and_gc_dose),
        cmocka_unit_test(test_bad_input_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
