/* changes.c - changes since the previous nightly run (see changes.h). */
#include "analysis/changes.h"
#include "core/csv.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Columns of an SAE whose change is reported (besides its existence). */
#define SAE_SIG "COALESCE(AEDECOD,'')||'|'||COALESCE(AETOXGR,'')||'|'||COALESCE(ASTDT,'')||'|'||" \
                "COALESCE(AENDT,'')||'|'||COALESCE(AEOUT,'')||'|'||COALESCE(AEREL,'')"

static const char *const BUILD_SQL =
    "DROP TABLE IF EXISTS CHANGES;"
    "CREATE TABLE CHANGES(CHGORD INTEGER, CHANGE TEXT, USUBJID TEXT, AESPID TEXT,"
    " DETAIL TEXT);"
    "INSERT INTO CHANGES SELECT 1, 'NEW SUBJECT', USUBJID, NULL, ARMCD FROM ADSL"
    " WHERE USUBJID NOT IN (SELECT USUBJID FROM prev.ADSL);"
    "INSERT INTO CHANGES SELECT 2, 'NEW DEATH', USUBJID, NULL, 'died ' || DTHDT FROM ADSL"
    " WHERE DTHDT IS NOT NULL AND DTHDT <> '' AND USUBJID NOT IN"
    " (SELECT USUBJID FROM prev.ADSL WHERE DTHDT IS NOT NULL AND DTHDT <> '');"
    "INSERT INTO CHANGES SELECT 3, 'NEW SAE', a.USUBJID, a.AESPID,"
    " COALESCE(a.AEDECOD,'') || ' (' || COALESCE(a.AETERM,'') || ')' FROM ADAE a"
    " WHERE a.AESERFL = 'Y' AND NOT EXISTS (SELECT 1 FROM prev.ADAE p WHERE p.AESERFL = 'Y'"
    " AND p.USUBJID = a.USUBJID AND p.AESPID = a.AESPID);"
    "INSERT INTO CHANGES SELECT 4, 'CHANGED SAE', a.USUBJID, a.AESPID,"
    " (SELECT " SAE_SIG " FROM prev.ADAE p WHERE p.AESERFL = 'Y' AND p.USUBJID = a.USUBJID"
    "  AND p.AESPID = a.AESPID LIMIT 1) || ' -> ' || (SELECT " SAE_SIG " FROM ADAE x WHERE x.rowid = a.rowid)"
    " FROM ADAE a WHERE a.AESERFL = 'Y' AND EXISTS (SELECT 1 FROM prev.ADAE p WHERE"
    " p.AESERFL = 'Y' AND p.USUBJID = a.USUBJID AND p.AESPID = a.AESPID)"
    " AND NOT EXISTS (SELECT 1 FROM prev.ADAE p WHERE p.AESERFL = 'Y' AND p.USUBJID = a.USUBJID"
    "  AND p.AESPID = a.AESPID AND (SELECT " SAE_SIG " FROM prev.ADAE q WHERE q.rowid = p.rowid) ="
    "  (SELECT " SAE_SIG " FROM ADAE x WHERE x.rowid = a.rowid));"
    "INSERT INTO CHANGES SELECT 5, 'NEW DATA ISSUE', d.USUBJID, NULL,"
    " d.RULE || ' ' || d.TABLENAME || ' ' || COALESCE(d.ROWKEY,'') || ': ' || d.MESSAGE FROM DATAISSUES d"
    " WHERE NOT EXISTS (SELECT 1 FROM prev.DATAISSUES p WHERE p.RULE = d.RULE AND p.TABLENAME = d.TABLENAME"
    " AND COALESCE(p.USUBJID,'') = COALESCE(d.USUBJID,'') AND COALESCE(p.ROWKEY,'') = COALESCE(d.ROWKEY,''));";

/* An empty stand-in for the previous run (first nightly run). */
static const char *const EMPTY_PREV_SQL =
    "CREATE TABLE prev.ADSL(USUBJID TEXT, DTHDT TEXT);"
    "CREATE TABLE prev.ADAE(USUBJID TEXT, AESPID TEXT, AESERFL TEXT, AEDECOD TEXT, AETOXGR TEXT,"
    " ASTDT TEXT, AENDT TEXT, AEOUT TEXT, AEREL TEXT);"
    "CREATE TABLE prev.DATAISSUES(RULE TEXT, TABLENAME TEXT, USUBJID TEXT, ROWKEY TEXT);";

int changes_build(sqlite3 *adam, const char *prev_path, size_t *n_changes, tlf_err *err)
{
    *n_changes = 0;
    int first = !prev_path || access(prev_path, R_OK) != 0;
    /* The previous run is only read: nothing here writes to schema prev. */
    char *uri = xstrdup(first ? ":memory:" : prev_path);
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    char *attach = sqlite3_mprintf("ATTACH DATABASE %Q AS prev", uri);
    if (sqlite3_exec(adam, attach, NULL, NULL, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "previous run %s: %s", prev_path, sqlite3_errmsg(adam));
        sqlite3_free(attach);
        free(uri);
        return rc;
    }
    sqlite3_free(attach);
    free(uri);
    if ((first && sqlite3_exec(adam, EMPTY_PREV_SQL, NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_exec(adam, BUILD_SQL, NULL, NULL, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "changes since %s: %s", first ? "(none)" : prev_path,
                         sqlite3_errmsg(adam));
        goto done;
    }
    if (sqlite3_prepare_v2(adam, "SELECT COUNT(*) FROM CHANGES", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *n_changes = (size_t)sqlite3_column_int64(st, 0);
done:
    sqlite3_finalize(st);
    sqlite3_exec(adam, "DETACH DATABASE prev", NULL, NULL, NULL);
    return rc;
}

int changes_write_csv(sqlite3 *adam, const char *path, tlf_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create: %s", path, strerror(errno));
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(adam,
                           "SELECT CHANGE, USUBJID, AESPID, DETAIL FROM CHANGES "
                           "ORDER BY CHGORD, USUBJID, AESPID, DETAIL", -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "CHANGES: %s", sqlite3_errmsg(adam));
        goto done;
    }
    fputs("change,usubjid,aespid,detail\r\n", f);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < 4; c++) {
            tlf_csv_write_field(f, (const char *)sqlite3_column_text(st, c));
            fputs(c < 3 ? "," : "\r\n", f);
        }
    }
done:
    sqlite3_finalize(st);
    if (fclose(f) != 0 && rc == TLF_OK)
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}
