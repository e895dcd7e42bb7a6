/* sdtm_builder.c - tiny SDTM databases for the derivation tests (see
 * sdtm_builder.h). */
#include "testutil.h"
#include "sdtm_builder.h"
#include "core/mem.h"
#include "derive/dates.h"
#include "derive/derive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *SCHEMA =
    "CREATE TABLE DM (STUDYID TEXT, USUBJID TEXT, SUBJID TEXT, SITEID TEXT, RFICDTC TEXT,"
    " RFSTDTC TEXT, RFENDTC TEXT, DTHDTC TEXT, DTHFL TEXT, AGE INTEGER, AGEU TEXT, SEX TEXT,"
    " RACE TEXT, ARMCD TEXT, ARM TEXT, ACTARMCD TEXT, ACTARM TEXT, COUNTRY TEXT);"
    "CREATE TABLE SC (USUBJID TEXT, SCTESTCD TEXT, SCTEST TEXT, SCORRES TEXT, SCSTRESC TEXT);"
    "CREATE TABLE VS (USUBJID TEXT, VSSEQ INTEGER, VSTESTCD TEXT, VSSTRESN REAL, VSSTRESU TEXT,"
    " VSBLFL TEXT, VISITNUM REAL, VISIT TEXT, VSDTC TEXT);"
    "CREATE TABLE DS (USUBJID TEXT, DSSEQ INTEGER, DSCAT TEXT, DSSCAT TEXT, DSTERM TEXT,"
    " DSDECOD TEXT, DSSTDTC TEXT, EPOCH TEXT);"
    "CREATE TABLE EX (USUBJID TEXT, EXSEQ INTEGER, EXTRT TEXT, EXDOSE REAL, EXDOSU TEXT,"
    " EXDOSFRQ TEXT, EXSTDTC TEXT, EXENDTC TEXT);"
    "CREATE TABLE CM (USUBJID TEXT, CMSEQ INTEGER, CMTRT TEXT, CMDECOD TEXT, CMCAT TEXT,"
    " CMSTDTC TEXT, CMENDTC TEXT);"
    "CREATE TABLE AE (USUBJID TEXT, AESEQ INTEGER, AETERM TEXT, AEDECOD TEXT, AEBODSYS TEXT,"
    " AETOXGR TEXT, AESER TEXT, AEREL TEXT, AEACN TEXT, AEOUT TEXT, AESTDTC TEXT, AEENDTC TEXT,"
    " AESPID TEXT);"
    "CREATE TABLE LB (USUBJID TEXT, LBSEQ INTEGER, LBTESTCD TEXT, LBTEST TEXT, LBCAT TEXT,"
    " LBORRES TEXT, LBORRESU TEXT, LBSTRESN REAL, LBSTRESU TEXT, LBSTNRLO REAL, LBSTNRHI REAL,"
    " LBNRIND TEXT, LBBLFL TEXT, VISITNUM REAL, VISIT TEXT, LBDTC TEXT);"
    "CREATE TABLE PC (USUBJID TEXT, PCSEQ INTEGER, PCTESTCD TEXT, PCSTRESN REAL, PCSTRESU TEXT,"
    " VISITNUM REAL, VISIT TEXT, PCDTC TEXT);"
    "CREATE TABLE RE (USUBJID TEXT, RESEQ INTEGER, RETESTCD TEXT, RETEST TEXT, RESTRESN REAL,"
    " RESTRESU TEXT, REBLFL TEXT, VISITNUM REAL, VISIT TEXT, REDTC TEXT);"
    "CREATE TABLE FT (USUBJID TEXT, FTSEQ INTEGER, FTTESTCD TEXT, FTSTRESN REAL, FTBLFL TEXT,"
    " VISITNUM REAL, VISIT TEXT, FTDTC TEXT);"
    "CREATE TABLE RS (USUBJID TEXT, RSSEQ INTEGER, RSTESTCD TEXT, RSSTRESC TEXT, RSDTC TEXT,"
    " VISITNUM REAL, VISIT TEXT);"
    "CREATE TABLE DV (USUBJID TEXT, DVSEQ INTEGER, DVTERM TEXT, DVDECOD TEXT, DVCAT TEXT,"
    " DVSTDTC TEXT);"
    "CREATE TABLE DBSTATUS (STUDYID TEXT, STATUS TEXT, STATUSDTC TEXT, CUTOFFDTC TEXT, LOCKBY TEXT);";

void sdtm_sql(sqlite3 *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("SQL failed: %s: %s", msg ? msg : "?", sql);
    sqlite3_free(sql);
}

sqlite3 *sdtm_new(const char *cutoff)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sdtm_sql(db, "%s", SCHEMA);
    sdtm_sql(db, "INSERT INTO DBSTATUS VALUES ('TAC-IP', 'HARD LOCK', %Q, %Q, 'dm')", cutoff, cutoff);
    return db;
}

const char *sdtm_day(const char *day1, int sd, char buf[11])
{
    tlf_day d1 = tlf_day_parse_complete(day1);
    assert_int_not_equal(d1, TLF_NODAY);
    return tlf_day_format(tlf_day_of_study_day(sd, d1), buf);
}

static void dm_row(sqlite3 *db, const char *u, const char *day1, const char *armcd)
{
    sdtm_sql(db,
             "INSERT INTO DM VALUES ('TAC-IP', %Q, %Q, '01', '', %Q, '', '', '', 55, 'YEARS', 'F',"
             " 'ASIAN', %Q, %Q, %Q, %Q, 'JPN')",
             u, u, day1, armcd, armcd, armcd, armcd);
    const char *sc[][2] = {{"MYOTYPE", "DM"}, {"ONSET", "NEW"}, {"IPCOURSE", "ACUTE"},
                           {"MDA5AB", "NEGATIVE"}, {"ARSAB", "NEGATIVE"}, {"SMOKER", "NEVER"}};
    for (int i = 0; i < 6; i++)
        sdtm_sql(db, "INSERT INTO SC VALUES (%Q, %Q, %Q, %Q, %Q)", u, sc[i][0], sc[i][0], sc[i][1],
                 sc[i][1]);
    sdtm_sql(db, "INSERT INTO VS VALUES (%Q, 1, 'WEIGHT', 50, 'kg', 'Y', 2, 'BASELINE', %Q)", u, day1);
}

void sdtm_tac(sqlite3 *db, const char *u, const char *day1, const char *exend)
{
    dm_row(db, u, day1, "TAC");
    sdtm_sql(db, "INSERT INTO EX VALUES (%Q, 1, 'TACROLIMUS', 3, 'mg', 'QD', %Q, %Q)", u, day1, exend);
    sdtm_sql(db, "INSERT INTO EX VALUES (%Q, 2, 'PREDNISOLONE', 40, 'mg', 'QD', %Q, %Q)", u, day1, exend);
}

void sdtm_hc(sqlite3 *db, const char *u, const char *day1, const char *exend)
{
    dm_row(db, u, day1, "HC");
    sdtm_sql(db, "INSERT INTO EX VALUES (%Q, 1, 'PREDNISOLONE', 40, 'mg', 'QD', %Q, %Q)", u, day1, exend);
}

sqlite3 *db_with(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    return db;
}

sqlite3 *adam_derive(sqlite3 *sdtm, const char *cutoff, const char *aesi)
{
    sqlite3 *adam = NULL;
    assert_int_equal(sqlite3_open(":memory:", &adam), SQLITE_OK);
    tlf_study *study = test_study();
    derive_opts o = {.cutoff = cutoff, .aesi_path = aesi, .study = study};
    derive_stats st;
    tlf_err err;
    tlf_err_clear(&err);
    int rc = derive_adam(sdtm, adam, &o, &st, &err);
    tlf_study_free(study);
    if (rc != 0)
        fail_msg("derive_adam: %d %s", rc, err.msg);
    return adam;
}

static sqlite3_stmt *query(sqlite3 *db, const char *fmt, va_list ap)
{
    char *sql = sqlite3_vmprintf(fmt, ap);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("query failed: %s: %s", sqlite3_errmsg(db), sql);
    sqlite3_free(sql);
    return st;
}

char *adam_text(sqlite3 *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = query(db, fmt, ap);
    va_end(ap);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

long adam_int(sqlite3 *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = query(db, fmt, ap);
    va_end(ap);
    long out = ADAM_NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return out;
}
