/*
 * check.c - the data checks on the snapshot: every rule of database.md
 * "what it must check", its code lists and flags, and the death / cut-off
 * rules of sap.md section 1. Rule ids and severities: docs/checks.md.
 *
 * Stage: db. Two kinds of rule:
 *  - value rules (one cell at a time: dates, numbers, code lists, flags,
 *    UTF-8) run in one sequential scan per table;
 *  - record rules (duplicates, orphans, AE end before start, death
 *    sources, cut-off) are set-based SQL, one statement per rule and
 *    table, using the date functions of values.c.
 * A rule whose columns are missing is skipped (the missing column is
 * itself a finding).
 */
#include "db/db_internal.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/pool.h"
#include "core/strmap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the contract (database.md) ---- */

enum { K_TEXT, K_NUM, K_DATE, K_FLAG, K_CODE };

typedef struct col_spec {
    const char *name;
    int kind;
    const char *const *codes;  /* K_CODE: NULL-terminated list */
    const char *rule;          /* rule id for a value outside the list (default DB009) */
} col_spec;

typedef struct table_spec {
    const char *name;
    const char *key;           /* row key column, NULL: the rowid */
    const col_spec *cols;
    size_t ncol;
} table_spec;

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define T(n) {n, K_TEXT, NULL, NULL}
#define N(n) {n, K_NUM, NULL, NULL}
#define D(n) {n, K_DATE, NULL, NULL}
#define F(n) {n, K_FLAG, NULL, NULL}
#define C(n, l) {n, K_CODE, l, NULL}
/* a code list the study configuration gives (arms, treatments, parameters,
 * response values, SC characteristics): study_codes() */
#define S(n) {n, K_CODE, NULL, NULL}

static const col_spec DM_COLS[] = {
    T("STUDYID"), T("USUBJID"), T("SUBJID"), T("SITEID"), D("RFICDTC"), D("RFSTDTC"),
    D("RFENDTC"), D("DTHDTC"), F("DTHFL"), N("AGE"), T("AGEU"), C("SEX", L("M", "F")),
    T("RACE"), S("ARMCD"), T("ARM"), S("ACTARMCD"), T("ACTARM"), T("COUNTRY")};
static const col_spec SC_COLS[] = {
    T("USUBJID"), S("SCTESTCD"), T("SCTEST"), T("SCORRES"), T("SCSTRESC")};
static const col_spec VS_COLS[] = {
    T("USUBJID"), N("VSSEQ"), S("VSTESTCD"), N("VSSTRESN"),
    T("VSSTRESU"), F("VSBLFL"), N("VISITNUM"), T("VISIT"), D("VSDTC")};
static const col_spec DS_COLS[] = {
    T("USUBJID"), N("DSSEQ"), C("DSCAT", L("DISPOSITION EVENT", "OTHER EVENT")),
    C("DSSCAT", L("STUDY TREATMENT", "STUDY PARTICIPATION")), T("DSTERM"),
    C("DSDECOD", L("COMPLETED", "DEATH", "ADVERSE EVENT", "LACK OF EFFICACY",
                   "WITHDRAWAL BY SUBJECT", "LOST TO FOLLOW-UP", "PHYSICIAN DECISION", "OTHER",
                   "LAST KNOWN ALIVE")),
    D("DSSTDTC"), T("EPOCH")};
static const col_spec EX_COLS[] = {
    T("USUBJID"), N("EXSEQ"), S("EXTRT"),
    N("EXDOSE"), T("EXDOSU"), T("EXDOSFRQ"), D("EXSTDTC"), D("EXENDTC")};
static const col_spec CM_COLS[] = {
    T("USUBJID"), N("CMSEQ"), T("CMTRT"), T("CMDECOD"), T("CMCAT"), D("CMSTDTC"), D("CMENDTC")};
static const col_spec AE_COLS[] = {
    T("USUBJID"), N("AESEQ"), T("AETERM"), T("AEDECOD"), T("AEBODSYS"),
    C("AETOXGR", L("1", "2", "3", "4", "5")), C("AESER", L("Y", "N")),
    C("AEREL", L("RELATED", "POSSIBLY RELATED", "NOT RELATED")),
    C("AEACN", L("DRUG WITHDRAWN", "DOSE REDUCED", "DRUG INTERRUPTED", "DOSE NOT CHANGED",
                 "NOT APPLICABLE")),
    C("AEOUT", L("RECOVERED/RESOLVED", "RECOVERING/RESOLVING", "NOT RECOVERED/NOT RESOLVED",
                 "RECOVERED/RESOLVED WITH SEQUELAE", "FATAL", "UNKNOWN")),
    D("AESTDTC"), D("AEENDTC"), T("AESPID")};
static const col_spec LB_COLS[] = {
    /* a laboratory test the configuration does not name is analysed and
     * shown after the configured ones (14.3.4.1, 14.3.4.2, 16.2.8): a
     * warning (DB020), once per test code, not an error */
    T("USUBJID"), N("LBSEQ"), {"LBTESTCD", K_CODE, NULL, "DB020"},
    T("LBTEST"), T("LBCAT"), T("LBORRES"), T("LBORRESU"), N("LBSTRESN"), T("LBSTRESU"),
    N("LBSTNRLO"), N("LBSTNRHI"), C("LBNRIND", L("LOW", "NORMAL", "HIGH")), F("LBBLFL"),
    N("VISITNUM"), T("VISIT"), D("LBDTC")};
static const col_spec PC_COLS[] = {
    T("USUBJID"), N("PCSEQ"), S("PCTESTCD"), N("PCSTRESN"), T("PCSTRESU"),
    N("VISITNUM"), T("VISIT"), D("PCDTC")};
static const col_spec RE_COLS[] = {
    T("USUBJID"), N("RESEQ"), S("RETESTCD"), T("RETEST"),
    N("RESTRESN"), T("RESTRESU"), F("REBLFL"), N("VISITNUM"), T("VISIT"), D("REDTC")};
static const col_spec FT_COLS[] = {
    T("USUBJID"), N("FTSEQ"), S("FTTESTCD"), N("FTSTRESN"), F("FTBLFL"),
    N("VISITNUM"), T("VISIT"), D("FTDTC")};
static const col_spec RS_COLS[] = {
    T("USUBJID"), N("RSSEQ"), S("RSTESTCD"), S("RSSTRESC"), D("RSDTC"), N("VISITNUM"),
    T("VISIT")};
static const col_spec DV_COLS[] = {
    T("USUBJID"), N("DVSEQ"), T("DVTERM"), T("DVDECOD"), C("DVCAT", L("MAJOR", "MINOR")),
    D("DVSTDTC")};
static const col_spec DBSTATUS_COLS[] = {
    T("STUDYID"), {"STATUS", K_CODE, L("OPEN", "SOFT LOCK", "HARD LOCK"), "DB004"},
    D("STATUSDTC"), D("CUTOFFDTC"), T("LOCKBY")};

#define TS(n, k, c) {n, k, c, sizeof c / sizeof c[0]}
static const table_spec TABLES[] = {
    TS("DM", NULL, DM_COLS),      TS("SC", "SCTESTCD", SC_COLS), TS("VS", "VSSEQ", VS_COLS),
    TS("DS", "DSSEQ", DS_COLS),   TS("EX", "EXSEQ", EX_COLS),    TS("CM", "CMSEQ", CM_COLS),
    TS("AE", "AESEQ", AE_COLS),   TS("LB", "LBSEQ", LB_COLS),    TS("PC", "PCSEQ", PC_COLS),
    TS("RE", "RESEQ", RE_COLS),   TS("FT", "FTSEQ", FT_COLS),    TS("RS", "RSSEQ", RS_COLS),
    TS("DV", "DVSEQ", DV_COLS),   TS("DBSTATUS", NULL, DBSTATUS_COLS)};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

/* ---- the run's context ---- */

#define MAX_COLS 32
#define MAX_PARTS 8            /* a table's value scan in at most this many jobs */

/* A column's code list from the study configuration (NULL-terminated). */
typedef struct study_list {
    const char *column;
    const char **codes;        /* the strings are the study's */
} study_list;

typedef struct chk {
    sqlite3 *db;
    db_findings *out;
    tlf_err *err;
    int present[NTABLES];
    int has_col[NTABLES][MAX_COLS];
    char *cutoff;              /* YYYY-MM-DD or NULL */
    const tlf_study *study;
    study_list *lists;         /* the S() columns' code lists       */
    size_t nlists;
    tlf_buf db020_seen;        /* "|PLT|...": unconfigured tests reported */
    int *death_built;          /* temp.tlf_death exists on db (one flag per
                                  connection: several jobs share it)      */
    const tlf_strmap *dm_ids;  /* DM's USUBJIDs for tlf_in_dm, NULL when
                                  DB006 keeps SQL's NOT IN (dm_set_make) */
    const struct death_map *deaths;  /* temp.tlf_death in C for DB014, NULL
                                  when it keeps the join (death_map_make) */
    db_blocks *blocks;         /* scan_table: the table's subject blocks to
                                  find (db_check_layout), NULL: none       */
    sqlite3_int64 lo, hi;      /* scan_job: the rowids of its part of the table */
} chk;

static int tix(const char *name)
{
    for (size_t i = 0; i < NTABLES; i++)
        if (strcmp(TABLES[i].name, name) == 0)
            return (int)i;
    abort();   /* a table the contract lacks: programming error */
}

/* The index of column col in table t's spec, -1 when the contract has
 * no such column. */
static int spec_col(const table_spec *t, const char *col)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(t->cols[j].name, col) == 0)
            return (int)j;
    return -1;
}

static int have(const chk *c, const char *table, const char *col)
{
    int t = tix(table);
    if (!c->present[t])
        return 0;
    if (!col)
        return 1;
    int j = spec_col(&TABLES[t], col);
    if (j < 0)
        abort();   /* a column the contract lacks: programming error */
    return c->has_col[t][j];
}

/* all listed columns of table present (NULL-terminated list) */
static int have_all(const chk *c, const char *table, const char *const *cols)
{
    for (; *cols; cols++)
        if (!have(c, table, *cols))
            return 0;
    return have(c, table, NULL);
}

static int sql_fail(chk *c, const char *what)
{
    return tlf_err_set(c->err, TLF_EINTERNAL, "data checks: %s: %s", what, sqlite3_errmsg(c->db));
}

/* SQL for a table's row key: 'AESEQ=3', or 'row 12' (rowid) when the key
 * column is absent or NULL. Caller frees. alias may be "" or "x.". */
static char *key_sql(const chk *c, const table_spec *t, const char *alias)
{
    if (t->key && have(c, t->name, t->key))
        return xasprintf("coalesce('%s=' || %s%s, 'row ' || %s_rowid_)", t->key, alias, t->key,
                         alias);
    return xasprintf("('row ' || %s_rowid_)", alias);
}

/* Run sql whose rows are (usubjid, rowkey, value, message) and add one
 * finding per row. */
static int run_rule(chk *c, di_severity sev, const char *rule, const char *table,
                    const char *column, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(c, rule);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        db_findings_add(c->out, sev, rule, table, (const char *)sqlite3_column_text(st, 0),
                        (const char *)sqlite3_column_text(st, 1),
                        column, (const char *)sqlite3_column_text(st, 2),
                        (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    return s == SQLITE_DONE ? TLF_OK : sql_fail(c, rule);
}

/* ---- DB001/DB002: tables and columns ---- */

static int check_schema(chk *c)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    for (size_t t = 0; t < NTABLES; t++) {
        const table_spec *ts = &TABLES[t];
        if (sqlite3_prepare_v2(c->db, "SELECT upper(name) FROM pragma_table_info(?)", -1, &st,
                               NULL) != SQLITE_OK)
            return sql_fail(c, "schema");
        sqlite3_bind_text(st, 1, ts->name, -1, SQLITE_STATIC);
        int any = 0, s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *n = (const char *)sqlite3_column_text(st, 0);
            any = 1;
            for (size_t j = 0; j < ts->ncol; j++)
                if (n && strcmp(n, ts->cols[j].name) == 0)
                    c->has_col[t][j] = 1;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (s != SQLITE_DONE)
            return sql_fail(c, "schema");
        c->present[t] = any;
        if (!any) {
            char *m = xasprintf("table %s is missing", ts->name);
            db_findings_add(c->out, DI_ERROR, "DB001", ts->name, "", "", "", "", m);
            free(m);
            continue;
        }
        for (size_t j = 0; j < ts->ncol; j++)
            if (!c->has_col[t][j]) {
                char *m = xasprintf("column %s.%s is missing", ts->name, ts->cols[j].name);
                db_findings_add(c->out, DI_ERROR, "DB002", ts->name, "", "", ts->cols[j].name,
                                "", m);
                free(m);
            }
    }
    return rc;
}

/* ---- code lists from the study configuration ---- */

static void add_list(chk *c, const char *column, const char **codes)
{
    c->lists = xreallocarray(c->lists, c->nlists + 1, sizeof *c->lists);
    c->lists[c->nlists].column = column;
    c->lists[c->nlists++].codes = codes;
}

/* The parameters of domain as a list. */
static const char **param_list(const tlf_study *st, const char *domain)
{
    size_t n;
    const tlf_study_param *p = tlf_study_domain_params(st, domain, &n);
    const char **l = xcalloc(n + 1, sizeof *l);
    for (size_t i = 0; i < n; i++)
        l[i] = p[i].code;
    return l;
}

static void study_lists_make(chk *c)
{
    const tlf_study *st = c->study;
    /* ARMCD: the study's arms and screen failures; ACTARMCD also the
     * registered but never treated (CDISC codes, database.md) */
    const char **arm = xcalloc(st->n_arms + 2, sizeof *arm);
    const char **act = xcalloc(st->n_arms + 3, sizeof *act);
    for (size_t i = 0; i < st->n_arms; i++)
        arm[i] = act[i] = st->arms[i].code;
    arm[st->n_arms] = "SCRNFAIL";
    act[st->n_arms] = "NOTTRT";
    act[st->n_arms + 1] = "SCRNFAIL";
    add_list(c, "ARMCD", arm);
    add_list(c, "ACTARMCD", act);
    const char **ex = xcalloc(st->n_gcs + 2, sizeof *ex);
    ex[0] = st->drug_extrt;
    for (size_t i = 0; i < st->n_gcs; i++)
        ex[1 + i] = st->gcs[i].extrt;
    add_list(c, "EXTRT", ex);
    static const char *const DOMS[][2] = {{"VS", "VSTESTCD"}, {"LB", "LBTESTCD"},
                                          {"PC", "PCTESTCD"}, {"RE", "RETESTCD"},
                                          {"FT", "FTTESTCD"}};
    for (size_t d = 0; d < sizeof DOMS / sizeof DOMS[0]; d++)
        add_list(c, DOMS[d][1], param_list(st, DOMS[d][0]));
    const char **rs = xcalloc(2, sizeof *rs);
    rs[0] = st->resp_testcd;
    add_list(c, "RSTESTCD", rs);
    const char **rv = xcalloc(st->n_resp_values + 1, sizeof *rv);
    for (size_t i = 0; i < st->n_resp_values; i++)
        rv[i] = st->resp_values[i];
    add_list(c, "RSSTRESC", rv);
    const char **sc = xcalloc(st->n_chars + 1, sizeof *sc);
    for (size_t i = 0; i < st->n_chars; i++)
        sc[i] = st->chars[i].code;
    add_list(c, "SCTESTCD", sc);
}

static void study_lists_free(chk *c)
{
    for (size_t i = 0; i < c->nlists; i++)
        free(c->lists[i].codes);
    free(c->lists);
}

static const char *const *study_codes(const chk *c, const char *column)
{
    static const char *const none[] = {NULL};
    for (size_t i = 0; i < c->nlists; i++)
        if (strcmp(c->lists[i].column, column) == 0)
            return c->lists[i].codes;
    return none;
}

/* ---- value rules: one scan per table ---- */

static int in_list(const char *v, const char *const *codes)
{
    for (; *codes; codes++)
        if (strcmp(v, *codes) == 0)
            return 1;
    return 0;
}

/* The row being scanned; its key text is made only when a finding needs it
 * (formatting numbers for every row would dominate the scan). */
typedef struct scan_row {
    sqlite3_stmt *st;
    int ikey;                  /* result column of the key, -1: none */
    const char *keyname;
    char rowkey[96];           /* "" until needed */
    const char *usubjid, *sctestcd;
} scan_row;

static void add_value_sev(chk *c, int sev, const char *rule, const table_spec *t, scan_row *r,
                          const char *col, const char *value, const char *msg)
{
    if (!r->rowkey[0]) {
        const char *k = r->ikey >= 0 ? (const char *)sqlite3_column_text(r->st, r->ikey) : NULL;
        if (k)
            snprintf(r->rowkey, sizeof r->rowkey, "%s=%s", r->keyname, k);
        else
            snprintf(r->rowkey, sizeof r->rowkey, "row %lld",
                     (long long)sqlite3_column_int64(r->st, 0));
    }
    db_findings_add(c->out, sev, rule, t->name, r->usubjid, r->rowkey, col, value, msg);
}

static void add_value(chk *c, const char *rule, const table_spec *t, scan_row *r,
                      const char *col, const char *value, const char *msg)
{
    add_value_sev(c, DI_ERROR, rule, t, r, col, value, msg);
}

/* The value rules of one cell, its value val (scan_table); codes: its
 * column's code list (K_CODE). */
static void check_cell(chk *c, const table_spec *t, const col_spec *cs,
                       const char *const *codes, scan_row *r, sqlite3_value *val)
{
    const char *sctestcd = r->sctestcd;
    int type = sqlite3_value_type(val);
    if (type == SQLITE_NULL || (cs->kind == K_NUM && (type == SQLITE_INTEGER ||
                                                      type == SQLITE_FLOAT)))
        return;
    const unsigned char *v = sqlite3_value_text(val);
    size_t n = (size_t)sqlite3_value_bytes(val);
    char msg[256];
    if (type == SQLITE_BLOB) {
        snprintf(msg, sizeof msg, "%s holds binary data (BLOB), not %s", cs->name,
                 cs->kind == K_NUM ? "a number" : "text");
        char *p = db_printable(v, n);
        add_value(c, cs->kind == K_NUM ? "DB008" : "DB011", t, r, cs->name, p, msg);
        free(p);
        return;
    }
    if (type == SQLITE_TEXT && !db_utf8_valid(v, n)) {
        snprintf(msg, sizeof msg, "%s holds text that is not valid UTF-8", cs->name);
        char *p = db_printable(v, n);
        add_value(c, "DB011", t, r, cs->name, p, msg);
        free(p);
        return;
    }
    if (cs->kind == K_TEXT && !(sctestcd && strcmp(cs->name, "SCSTRESC") == 0))
        return;   /* text: any valid UTF-8 */
    if (n == 0 || strlen((const char *)v) != n)
        return;   /* empty = missing; an embedded NUL cannot be a code or date */
    const char *s = (const char *)v;
    switch (cs->kind) {
    case K_NUM: {
        double d;
        if (type == SQLITE_TEXT && tlf_parse_double(s, &d) != 0) {
            snprintf(msg, sizeof msg, "numeric column %s holds text", cs->name);
            add_value(c, "DB008", t, r, cs->name, s, msg);
        }
        break;
    }
    case K_DATE:
        if (!db_iso_date_valid(s, n)) {
            snprintf(msg, sizeof msg,
                     "%s is not a valid ISO 8601 date (YYYY[-MM[-DD[Thh:mm[:ss]]]]) "
                     "or not a calendar date", cs->name);
            add_value(c, "DB007", t, r, cs->name, s, msg);
        }
        break;
    case K_FLAG:
        if (strcmp(s, "Y") != 0) {
            snprintf(msg, sizeof msg, "flag %s must be Y or empty", cs->name);
            add_value(c, "DB010", t, r, cs->name, s, msg);
        }
        break;
    case K_CODE: {
        if (!in_list(s, codes)) {
            tlf_buf b = TLF_BUF_INIT;
            tlf_buf_printf(&b, "%s is not in its code list (", cs->name);
            for (const char *const *k = codes; *k; k++)
                tlf_buf_printf(&b, "%s%s", k == codes ? "" : ", ", *k);
            tlf_buf_puts(&b, ")");
            if (cs->rule && strcmp(cs->rule, "DB020") == 0) {
                tlf_buf key = TLF_BUF_INIT;
                tlf_buf_printf(&key, "|%s|", s);
                const char *seen = tlf_buf_cstr(&c->db020_seen);
                if (!strstr(seen, tlf_buf_cstr(&key))) {
                    if (!*seen)
                        tlf_buf_putc(&c->db020_seen, '|');
                    tlf_buf_printf(&c->db020_seen, "%s|", s);
                    tlf_buf_reset(&b);
                    tlf_buf_printf(&b, "laboratory test %s is not in the study configuration: "
                                   "analysed and shown after the configured tests with the data's "
                                   "label and unit", s);
                    add_value_sev(c, DI_WARNING, "DB020", t, r, cs->name, s, tlf_buf_cstr(&b));
                }
                tlf_buf_free(&key);
            } else {
                add_value(c, cs->rule ? cs->rule : "DB009", t, r, cs->name, s,
                          tlf_buf_cstr(&b));
            }
            tlf_buf_free(&b);
        }
        break;
    }
    default:
        /* SCSTRESC's code list depends on SCTESTCD (the study's
         * characteristics and their levels) */
        if (sctestcd && strcmp(cs->name, "SCSTRESC") == 0) {
            const tlf_study_char *ch = tlf_study_char_find(c->study, sctestcd);
            int ok = !ch;
            for (size_t k = 0; ch && k < ch->n; k++)
                ok = ok || strcmp(ch->codes[k], s) == 0;
            if (!ok) {
                snprintf(msg, sizeof msg, "SCSTRESC is not in the code list of SCTESTCD %s",
                         sctestcd);
                add_value(c, "DB009", t, r, cs->name, s, msg);
            }
        }
        break;
    }
}

/* ---- record rules ---- */

/* DB003: DBSTATUS must hold exactly one row. */
static int check_status_rows(chk *c)
{
    if (!have(c, "DBSTATUS", NULL))
        return TLF_OK;
    return run_rule(c, DI_ERROR, "DB003", "DBSTATUS", "",
                    "SELECT '', '', n, 'DBSTATUS must hold exactly one row; it holds ' || n "
                    "FROM (SELECT count(*) AS n FROM DBSTATUS) WHERE n <> 1");
}

/* DB005: duplicate USUBJID in DM (every row after the first). */
static int check_dm_duplicates(chk *c)
{
    if (!have(c, "DM", "USUBJID"))
        return TLF_OK;
    return run_rule(c, DI_ERROR, "DB005", "DM", "USUBJID",
                    "SELECT USUBJID, 'row ' || r, USUBJID, "
                    "'USUBJID appears ' || n || ' times in DM' FROM ("
                    " SELECT USUBJID, _rowid_ AS r, "
                    " row_number() OVER (PARTITION BY USUBJID ORDER BY _rowid_) AS k, "
                    " count(*) OVER (PARTITION BY USUBJID) AS n FROM DM "
                    " WHERE USUBJID IS NOT NULL AND USUBJID <> '') WHERE k > 1");
}

/* ---- rules on one row at a time: one pass per table ---- */

/* A rule whose condition is on one row of the table (alias x) and, when
 * death is set, the subject's death date (temp.tlf_death, alias t). */
/*
 * How the value scan screens a table's rows for a row rule in C, on the
 * values it reads anyway (scan_job): a screen passes every row the rule's
 * condition fires on and maybe a few more, whose findings the rule's own
 * SQL then decides on. SCREEN_SQL: the condition itself is evaluated in
 * the scan. The conditions' SQL was a third of the lab table's checks
 * (issue 16: two function calls per row, 3.4 million rows).
 */
enum {
    SCREEN_SQL,
    SCREEN_ORPHAN,   /* DB006 with tlf_in_dm: USUBJID not text, empty or not in DM */
    SCREEN_MISSING,  /* DB021: the column not non-empty text                       */
    SCREEN_AFTER,    /* DB018: the date not text, or text after the cut-off        */
    SCREEN_DEATH     /* DB014 with tlf_death_d: the subject has a death date and
                        the contact's date is not text or is text after the
                        death date's date part                                    */
};

typedef struct row_rule {
    di_severity sev;
    const char *rule, *column;
    char *cond, *value, *msg;  /* SQL expressions */
    int screen;                /* SCREEN_* */
} row_rule;

typedef struct row_pass {
    row_rule *r;
    size_t n;
    int death;
} row_pass;

static void row_rule_add(row_pass *p, di_severity sev, const char *rule, const char *column,
                         char *cond, char *value, char *msg, int screen)
{
    p->r = xreallocarray(p->r, p->n + 1, sizeof *p->r);
    p->r[p->n++] = (row_rule){sev, rule, column, cond, value, msg, screen};
}

/*
 * DB006 without an index search per row (issue 16: 0.45 s of the 30k
 * study's 1.4 s for the lab table's row rules, 4.7 M rows in all):
 * tlf_in_dm(u) looks u up in DM's USUBJIDs held in C and remembers its
 * last answer, as a table's rows come subject by subject. It gives what
 * `u NOT IN (SELECT USUBJID FROM DM ...)` gives only where that is a
 * comparison of bytes: a UTF-8 database, both columns of tables with TEXT
 * affinity and BINARY collation (no numeric conversion, no NOCASE), and
 * every DM USUBJID text without a NUL byte; then a value that is not text
 * (a BLOB) equals none of them, as in SQL. Anywhere else the rule keeps
 * the subquery (dm_set_make leaves dm_ids NULL, text_binary_column says 0).
 */
static int text_binary_column(sqlite3 *db, const char *table, const char *col)
{
    const char *type = NULL, *coll = NULL;
    int notnull, pk, autoinc;
    if (sqlite3_table_column_metadata(db, "main", table, col, &type, &coll, &notnull, &pk,
                                      &autoinc) != SQLITE_OK ||
        !coll || strcasecmp(coll, "BINARY") != 0 || !type)
        return 0;
    /* SQLite's affinity rules 1 and 2 (datatype3.html section 3.1) */
    char up[64];
    size_t n = strlen(type);
    if (n >= sizeof up)
        return 0;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
    return !strstr(up, "INT") && (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"));
}

/* DM's USUBJIDs into *m when tlf_in_dm may stand for NOT IN (above);
 * 0 otherwise (m is then empty). */
static int dm_set_make(chk *c, tlf_strmap *m)
{
    sqlite3_stmt *st = NULL;
    int ok = have(c, "DM", "USUBJID") && text_binary_column(c->db, "DM", "USUBJID") &&
             sqlite3_prepare_v2(c->db, "PRAGMA encoding", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "UTF-8") == 0;
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(c->db, "SELECT USUBJID FROM DM WHERE USUBJID IS NOT NULL", -1,
                                 &st, NULL) != SQLITE_OK)
        ok = 0;
    int s = SQLITE_DONE;
    while (ok && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(st, 0);
        if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
            strlen(u) != (size_t)sqlite3_column_bytes(st, 0))
            ok = 0;
        else
            tlf_strmap_add(m, u);
    }
    sqlite3_finalize(st);
    if (!ok || s != SQLITE_DONE) {
        tlf_strmap_free(m);
        return 0;
    }
    return 1;
}

/* The index in ids of a value, remembered for the next call: a table's
 * rows come subject by subject, so nearly every call asks about the
 * subject of the call before. A value that is not text is in no map. */
typedef struct subj_memo {
    const tlf_strmap *ids;
    char *last;                /* the last text asked about, NULL: none */
    size_t lastn;
    size_t at;                 /* its index, (size_t)-1: not in ids */
} subj_memo;

static size_t subj_memo_find(subj_memo *m, sqlite3_value *v)
{
    if (sqlite3_value_type(v) != SQLITE_TEXT)
        return (size_t)-1;
    const char *u = (const char *)sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    if (!m->last || m->lastn != n || memcmp(m->last, u, n) != 0) {
        free(m->last);
        m->last = xmalloc(n + 1);
        memcpy(m->last, u, n);
        m->lastn = n;
        m->at = tlf_strmap_getn(m->ids, u, n);
    }
    return m->at;
}

static void fn_in_dm(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_int(ctx, subj_memo_find(sqlite3_user_data(ctx), argv[0]) != (size_t)-1);
}

/*
 * DB014 without a join per row, as DB006 above (issue 16: the LEFT JOIN
 * on temp.tlf_death, an index search per lab row, was half the cost of the
 * lab table's row rules): tlf_death_d(u) and tlf_death_src(u) give the
 * death date and its source of the tlf_death row whose USUBJID is u, NULL
 * when there is none, from a copy of temp.tlf_death held in C. This is
 * the join's answer where the join compares bytes: the guard of tlf_in_dm
 * (UTF-8, DM's USUBJID TEXT and BINARY), the same for DS and AE where they
 * give deaths (so tlf_death's USUBJID has TEXT affinity), every tlf_death
 * USUBJID text without a NUL, and the table's own USUBJID TEXT and BINARY
 * (check_contact_after_death). The dates are kept as stored, type and all.
 */
typedef struct death_map {
    tlf_strmap ids;            /* USUBJID -> index into row */
    struct death_row {
        sqlite3_value *d;      /* tlf_death.D */
        char *src;             /* tlf_death.SRC */
        char *text;            /* D when it is text (else NULL), for the
                                  scans' screens: the threads share d */
    } *row;
} death_map;

typedef struct death_fn {
    subj_memo memo;
    const death_map *map;
    int src;                   /* 1: tlf_death_src, 0: tlf_death_d */
} death_fn;

static void fn_death(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    death_fn *f = sqlite3_user_data(ctx);
    size_t i = subj_memo_find(&f->memo, argv[0]);
    if (i == (size_t)-1)
        sqlite3_result_null(ctx);
    else if (f->src)
        sqlite3_result_text(ctx, f->map->row[i].src, -1, SQLITE_STATIC);
    else
        sqlite3_result_value(ctx, f->map->row[i].d);
}

static void subj_memo_free(void *p)
{
    subj_memo *m = p;   /* first member of death_fn too */
    free(m->last);
    free(m);
}

/* tlf_in_dm (with ids), tlf_death_d and tlf_death_src (with deaths) on db
 * while they live; NULL removes the functions. */
static void register_subject_fns(sqlite3 *db, const tlf_strmap *ids, const death_map *deaths)
{
    const int fl = SQLITE_UTF8 | SQLITE_INNOCUOUS;
    if (!ids) {
        sqlite3_create_function_v2(db, "tlf_in_dm", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL);
    } else {
        subj_memo *m = xcalloc(1, sizeof *m);
        m->ids = ids;
        sqlite3_create_function_v2(db, "tlf_in_dm", 1, fl, m, fn_in_dm, NULL, NULL,
                                   subj_memo_free);
    }
    static const char *const NAMES[] = {"tlf_death_d", "tlf_death_src"};
    for (int k = 0; k < 2; k++) {
        if (!deaths) {
            sqlite3_create_function_v2(db, NAMES[k], 1, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL);
            continue;
        }
        death_fn *f = xcalloc(1, sizeof *f);
        f->memo.ids = &deaths->ids;
        f->map = deaths;
        f->src = k;
        sqlite3_create_function_v2(db, NAMES[k], 1, fl, f, fn_death, NULL, NULL, subj_memo_free);
    }
}

/* DB006: rows of table t whose USUBJID is not in DM (empty included). */
static void check_orphans(chk *c, size_t t, row_pass *p)
{
    const table_spec *ts = &TABLES[t];
    if (!have(c, "DM", "USUBJID") || t == 0 || strcmp(ts->name, "DBSTATUS") == 0 ||
        !have(c, ts->name, "USUBJID"))
        return;
    int fast = c->dm_ids && text_binary_column(c->db, ts->name, "USUBJID");
    row_rule_add(p, DI_ERROR, "DB006", "USUBJID",
                 xstrdup(fast ? "coalesce(x.USUBJID, '') = '' OR NOT tlf_in_dm(x.USUBJID)"
                              : "coalesce(x.USUBJID, '') = '' OR x.USUBJID NOT IN "
                                "(SELECT USUBJID FROM DM WHERE USUBJID IS NOT NULL)"),
                 xstrdup("coalesce(x.USUBJID, '')"),
                 xstrdup("CASE WHEN coalesce(x.USUBJID, '') = '' THEN 'USUBJID is missing' "
                         "ELSE 'USUBJID ' || x.USUBJID || ' is not in DM' END"),
                 fast ? SCREEN_ORPHAN : SCREEN_SQL);
}

/* DB021: a required value missing (NULL or empty). Empty means missing
 * (database.md), and most missing values are for the analysis that needs
 * them to count (n = 0, not estimable). These are not: a record without
 * the key that says what it is (the test code, the treatment, the arm) or
 * the date that places it in time cannot be analysed or excluded by any
 * analysis on its own, and a data manager queries it. Results (AGE,
 * --STRESN, RSSTRESC) stay missing values. DM.RFSTDTC is day 1: required
 * for a subject with a dose record (an untreated subject has none). */
static void check_required(chk *c, const char *table, row_pass *p)
{
    static const struct {
        const char *table, *column;
    } REQ[] = {
        {"DM", "ARMCD"},    {"EX", "EXTRT"},    {"EX", "EXDOSE"}, {"EX", "EXSTDTC"},
        {"SC", "SCTESTCD"}, {"VS", "VSTESTCD"}, {"VS", "VSDTC"},  {"LB", "LBTESTCD"},
        {"LB", "LBDTC"},    {"PC", "PCTESTCD"}, {"PC", "PCDTC"},  {"RE", "RETESTCD"},
        {"RE", "REDTC"},    {"FT", "FTTESTCD"}, {"FT", "FTDTC"},  {"RS", "RSTESTCD"},
        {"RS", "RSDTC"},
    };
    for (size_t i = 0; i < sizeof REQ / sizeof REQ[0]; i++) {
        const char *tb = REQ[i].table, *col = REQ[i].column;
        if (strcmp(tb, table) != 0 || !have(c, tb, "USUBJID") || !have(c, tb, col))
            continue;
        row_rule_add(p, DI_ERROR, "DB021", col, xasprintf("coalesce(x.%s, '') = ''", col),
                     xstrdup("''"), xasprintf("'%s is missing: a required value'", col),
                     SCREEN_MISSING);
    }
}

/* DB021 for DM.RFSTDTC, day 1 (check_required). */
static int check_day1_required(chk *c)
{
    if (!have(c, "DM", "USUBJID") || !have(c, "DM", "RFSTDTC") || !have(c, "EX", "USUBJID"))
        return TLF_OK;
    return run_rule(c, DI_ERROR, "DB021", "DM", "RFSTDTC",
                    "SELECT USUBJID, 'row ' || _rowid_, '', 'RFSTDTC (day 1) is missing for a "
                    "subject with a dose record (EX): a required value' FROM DM WHERE "
                    "coalesce(RFSTDTC, '') = '' AND USUBJID IN (SELECT USUBJID FROM EX) "
                    "ORDER BY _rowid_");
}

/* DB012: AE end date certainly before its start date. */
static int check_ae_dates(chk *c)
{
    if (!have_all(c, "AE", L("USUBJID", "AESTDTC", "AEENDTC")))
        return TLF_OK;
    char *key = key_sql(c, &TABLES[tix("AE")], "");
    char *sql = xasprintf("SELECT USUBJID, %s, AEENDTC, "
                          "'AE end date ' || AEENDTC || ' is before its start date ' || AESTDTC "
                          "FROM AE WHERE tlf_latest(AEENDTC) < tlf_earliest(AESTDTC)",
                          key);
    int rc = run_rule(c, DI_ERROR, "DB012", "AE", "AEENDTC", sql);
    free(key);
    free(sql);
    return rc;
}

/*
 * The death sources of sap.md section 1 per subject, in temp.tlf_death:
 * DM.DTHDTC, the earliest DS DEATH DSSTDTC, the earliest AE FATAL AEENDTC
 * (valid dates only) and the one used (first present in that order).
 */
static int build_death(chk *c)
{
    if (*c->death_built)
        return TLF_OK;
    int dm = have_all(c, "DM", L("USUBJID", "DTHDTC"));
    int ds = have_all(c, "DS", L("USUBJID", "DSDECOD", "DSSTDTC"));
    int ae = have_all(c, "AE", L("USUBJID", "AEOUT", "AEENDTC"));
    char *sql = xasprintf(
        "DROP TABLE IF EXISTS temp.tlf_death;"
        "CREATE TEMP TABLE tlf_death AS "
        "WITH s_dm AS (%s), s_ds AS (%s), s_ae AS (%s), "
        " s AS (SELECT u FROM s_dm UNION SELECT u FROM s_ds UNION SELECT u FROM s_ae) "
        "SELECT s.u AS USUBJID, s_dm.d AS DM_D, s_ds.d AS DS_D, s_ae.d AS AE_D, "
        " CASE WHEN s_dm.d IS NOT NULL THEN 'DM.DTHDTC' WHEN s_ds.d IS NOT NULL THEN "
        " 'DS DEATH DSSTDTC' ELSE 'AE FATAL AEENDTC' END AS SRC, "
        " coalesce(s_dm.d, s_ds.d, s_ae.d) AS D "
        "FROM s LEFT JOIN s_dm ON s_dm.u = s.u LEFT JOIN s_ds ON s_ds.u = s.u "
        "LEFT JOIN s_ae ON s_ae.u = s.u WHERE s.u IS NOT NULL;"
        "CREATE UNIQUE INDEX temp.tlf_death_u ON tlf_death(USUBJID);",
        /* a duplicated DM row (DB005) must not duplicate the subject here:
         * the first row counts, as DB005 reports the others */
        dm ? "SELECT USUBJID AS u, DTHDTC AS d FROM DM WHERE tlf_date_ok(DTHDTC) AND rowid IN "
             "(SELECT min(rowid) FROM DM GROUP BY USUBJID)"
           : "SELECT NULL AS u, NULL AS d WHERE 0",
        ds ? "SELECT USUBJID AS u, min(DSSTDTC) AS d FROM DS WHERE DSDECOD = 'DEATH' "
             "AND tlf_date_ok(DSSTDTC) GROUP BY USUBJID"
           : "SELECT NULL AS u, NULL AS d WHERE 0",
        ae ? "SELECT USUBJID AS u, min(AEENDTC) AS d FROM AE WHERE AEOUT = 'FATAL' "
             "AND tlf_date_ok(AEENDTC) GROUP BY USUBJID"
           : "SELECT NULL AS u, NULL AS d WHERE 0");
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? TLF_OK
                                                                     : sql_fail(c, "death dates");
    free(sql);
    *c->death_built = rc == TLF_OK;
    return rc;
}

static void death_map_free(death_map *m)
{
    for (size_t i = 0; i < m->ids.n; i++) {
        sqlite3_value_free(m->row[i].d);
        free(m->row[i].src);
        free(m->row[i].text);
    }
    free(m->row);
    tlf_strmap_free(&m->ids);
}

/* temp.tlf_death into *m when tlf_death_d may stand for the join (the
 * guard over death_map): 1, or 0 with m empty. Made on c->db and dropped
 * there again: the jobs make their own where they still join. */
static int death_map_make(chk *c, death_map *m)
{
    static const char *const SRC_TABLES[] = {"DM", "DS", "AE"};
    memset(m, 0, sizeof *m);
    if (!c->dm_ids)
        return 0;
    for (size_t i = 0; i < 3; i++)
        if (have(c, SRC_TABLES[i], "USUBJID") &&
            !text_binary_column(c->db, SRC_TABLES[i], "USUBJID"))
            return 0;
    /* a failure here leaves the join to the jobs, which report it */
    int built = 0, *was = c->death_built;
    tlf_err quiet = {0, ""}, *err = c->err;
    c->death_built = &built;
    c->err = &quiet;
    sqlite3_stmt *st = NULL;
    int ok = build_death(c) == TLF_OK &&
             sqlite3_prepare_v2(c->db, "SELECT USUBJID, D, SRC FROM temp.tlf_death", -1, &st,
                                NULL) == SQLITE_OK;
    size_t cap = 0;
    int s = SQLITE_DONE;
    while (ok && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(st, 0);
        if (sqlite3_column_type(st, 0) != SQLITE_TEXT ||
            strlen(u) != (size_t)sqlite3_column_bytes(st, 0)) {
            ok = 0;
            break;
        }
        size_t i = tlf_strmap_add(&m->ids, u);   /* unique: tlf_death_u */
        XGROW(m->row, cap, i + 1);
        m->row[i].d = sqlite3_value_dup(sqlite3_column_value(st, 1));
        m->row[i].src = xstrdup((const char *)sqlite3_column_text(st, 2));
        m->row[i].text = sqlite3_column_type(st, 1) == SQLITE_TEXT
                             ? xstrdup((const char *)sqlite3_column_text(st, 1))
                             : NULL;
        if (!m->row[i].d) {   /* out of memory: the join does without */
            ok = 0;
            break;
        }
    }
    sqlite3_finalize(st);
    if (built)
        sqlite3_exec(c->db, "DROP TABLE IF EXISTS temp.tlf_death", NULL, NULL, NULL);
    c->death_built = was;
    c->err = err;
    if (!ok || s != SQLITE_DONE) {
        death_map_free(m);
        memset(m, 0, sizeof *m);
        return 0;
    }
    return 1;
}

/* Run a rule per death source: fmt has %s for the source's SELECT prefix. */
typedef struct death_src {
    const char *table, *column, *where, *label;
} death_src;

static const death_src DEATH_SRC[] = {
    {"DM", "DTHDTC", "tlf_date_ok(x.DTHDTC)", "DM.DTHDTC"},
    {"DS", "DSSTDTC", "x.DSDECOD = 'DEATH' AND tlf_date_ok(x.DSSTDTC)", "DS DEATH DSSTDTC"},
    {"AE", "AEENDTC", "x.AEOUT = 'FATAL' AND tlf_date_ok(x.AEENDTC)", "AE FATAL AEENDTC"},
};

static int death_src_present(const chk *c, const death_src *d)
{
    if (strcmp(d->table, "DM") == 0)
        return have_all(c, "DM", L("USUBJID", "DTHDTC"));
    if (strcmp(d->table, "DS") == 0)
        return have_all(c, "DS", L("USUBJID", "DSDECOD", "DSSTDTC"));
    return have_all(c, "AE", L("USUBJID", "AEOUT", "AEENDTC"));
}

/* DB013 death before day 1; DB015 death sources disagree: the source in
 * table. */
static int check_death_sources(chk *c, const char *table)
{
    int rc = TLF_OK;
    for (size_t i = 0; i < 3 && !rc; i++) {
        const death_src *d = &DEATH_SRC[i];
        if (strcmp(d->table, table) != 0 || !death_src_present(c, d))
            continue;
        char *key = key_sql(c, &TABLES[tix(d->table)], "x.");
        char *sql = NULL;
        if (have_all(c, "DM", L("USUBJID", "RFSTDTC"))) {
            sql = xasprintf(
                "SELECT x.USUBJID, %s, x.%s, '%s ' || x.%s || ' is before day 1 (RFSTDTC ' "
                "|| dm.RFSTDTC || ')' FROM \"%s\" x JOIN DM dm ON dm.USUBJID = x.USUBJID "
                "WHERE %s AND tlf_latest(x.%s) < tlf_earliest(dm.RFSTDTC)",
                key, d->column, d->label, d->column, d->table, d->where, d->column);
            rc = run_rule(c, DI_ERROR, "DB013", d->table, d->column, sql);
            free(sql);
        }
        if (!rc && i > 0 && !(rc = build_death(c))) {
            /* a lower-priority source compared with the date used */
            sql = xasprintf(
                "SELECT x.USUBJID, %s, x.%s, '%s ' || x.%s || ' disagrees with the death "
                "date ' || t.D || ' from ' || t.SRC FROM \"%s\" x JOIN temp.tlf_death t "
                "ON t.USUBJID = x.USUBJID WHERE %s AND t.SRC <> '%s' AND "
                "(tlf_latest(x.%s) < tlf_earliest(t.D) OR tlf_earliest(x.%s) > tlf_latest(t.D))",
                key, d->column, d->label, d->column, d->table, d->where, d->label, d->column,
                d->column);
            rc = run_rule(c, DI_WARNING, "DB015", d->table, d->column, sql);
            free(sql);
        }
        free(key);
    }
    return rc;
}

/* DB014: a contact (sap.md LSTALVDT sources) in table certainly after the
 * death date. */
static void check_contact_after_death(chk *c, const char *table, row_pass *p)
{
    static const struct {
        const char *table, *column, *where;
    } CONTACTS[] = {
        {"DM", "RFSTDTC", "1"},
        {"DS", "DSSTDTC", "x.DSDECOD IN ('LAST KNOWN ALIVE', 'COMPLETED')"},
        {"EX", "EXSTDTC", "1"}, {"EX", "EXENDTC", "1"}, {"LB", "LBDTC", "1"},
        {"VS", "VSDTC", "1"},   {"RE", "REDTC", "1"},   {"FT", "FTDTC", "1"},
        {"RS", "RSDTC", "1"},   {"PC", "PCDTC", "1"},   {"AE", "AESTDTC", "1"},
    };
    for (size_t i = 0; i < sizeof CONTACTS / sizeof CONTACTS[0]; i++) {
        const char *tb = CONTACTS[i].table, *col = CONTACTS[i].column;
        if (strcmp(tb, table) != 0 || !have(c, tb, "USUBJID") || !have(c, tb, col) ||
            (strcmp(tb, "DS") == 0 && !have(c, "DS", "DSDECOD")))
            continue;
        /* the death date first: most subjects have none, and their rows
         * then skip the date functions */
        const char *d = "t.D", *src = "t.SRC";
        int screen = SCREEN_SQL;
        if (c->deaths && text_binary_column(c->db, tb, "USUBJID")) {
            d = "tlf_death_d(x.USUBJID)";
            src = "tlf_death_src(x.USUBJID)";
            screen = SCREEN_DEATH;
        } else {
            p->death = 1;
        }
        row_rule_add(p, DI_ERROR, "DB014", col,
                     xasprintf("%s IS NOT NULL AND %s AND tlf_earliest(x.%s) > tlf_latest(%s)",
                               d, CONTACTS[i].where, col, d),
                     xasprintf("x.%s", col),
                     xasprintf("'%s ' || x.%s || ' is after the death date ' || %s || ' (' || "
                               "%s || ')'", col, col, d, src),
                     screen);
    }
}

/* DB016 DTHFL = Y without a death date; DB017 a death date without DTHFL = Y. */
static int check_death_flag(chk *c)
{
    if (!have_all(c, "DM", L("USUBJID", "DTHFL")))
        return TLF_OK;
    int rc = build_death(c);
    if (rc)
        return rc;
    char *key = key_sql(c, &TABLES[tix("DM")], "dm.");
    char *sql = xasprintf(
        "SELECT dm.USUBJID, %s, dm.DTHFL, 'DTHFL is Y but no source gives a death date "
        "(DM.DTHDTC, DS DEATH, AE FATAL): death is imputed from the last known alive date' "
        "FROM DM dm LEFT JOIN temp.tlf_death t ON t.USUBJID = dm.USUBJID "
        "WHERE dm.DTHFL = 'Y' AND t.D IS NULL", key);
    rc = run_rule(c, DI_WARNING, "DB016", "DM", "DTHFL", sql);
    free(sql);
    if (!rc) {
        sql = xasprintf(
            "SELECT dm.USUBJID, %s, coalesce(dm.DTHFL, ''), 'death date ' || t.D || ' (' || "
            "t.SRC || ') but DTHFL is not Y' FROM DM dm JOIN temp.tlf_death t "
            "ON t.USUBJID = dm.USUBJID WHERE coalesce(dm.DTHFL, '') <> 'Y'", key);
        rc = run_rule(c, DI_WARNING, "DB017", "DM", "DTHFL", sql);
        free(sql);
    }
    free(key);
    return rc;
}

/* The cut-off: the override, else DBSTATUS.CUTOFFDTC when the table has
 * one row with a complete valid date. DB019 when there is none: an error,
 * as the derivation cannot place a record before or after the cut-off
 * without one, and the run refuses (exit 5) as check does. */
static int find_cutoff(chk *c, const char *override)
{
    if (override) {
        if (strlen(override) < 10 || !db_iso_date_valid(override, strlen(override)))
            return tlf_err_set(c->err, TLF_EUSAGE,
                               "cut-off date '%s' is not a complete ISO 8601 date (YYYY-MM-DD)",
                               override);
        c->cutoff = xstrndup(override, 10);
        return TLF_OK;
    }
    if (have(c, "DBSTATUS", "CUTOFFDTC")) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(c->db,
                               "SELECT CUTOFFDTC FROM DBSTATUS WHERE (SELECT count(*) FROM "
                               "DBSTATUS) = 1 AND tlf_date_ok(CUTOFFDTC) AND "
                               "length(CUTOFFDTC) >= 10",
                               -1, &st, NULL) != SQLITE_OK)
            return sql_fail(c, "cut-off");
        if (sqlite3_step(st) == SQLITE_ROW)
            c->cutoff = xstrndup((const char *)sqlite3_column_text(st, 0), 10);
        sqlite3_finalize(st);
    }
    if (!c->cutoff)
        db_findings_add(c->out, DI_ERROR, "DB019", "DBSTATUS", "", "", "CUTOFFDTC", "",
                        "no data cut-off: DBSTATUS.CUTOFFDTC is missing, partial or invalid "
                        "and no --cutoff was given; the analyses need one (sap.md)");
    return TLF_OK;
}

/* DB018 (information): records whose start (or only) date is after the
 * cut-off, and deaths after it; a partial date counts by its earliest day. */
static void check_after_cutoff(chk *c, const char *table, row_pass *p)
{
    static const struct {
        const char *table, *column;
    } STARTS[] = {
        {"DM", "DTHDTC"},  {"DS", "DSSTDTC"}, {"EX", "EXSTDTC"}, {"CM", "CMSTDTC"},
        {"AE", "AESTDTC"}, {"LB", "LBDTC"},   {"VS", "VSDTC"},   {"PC", "PCDTC"},
        {"RE", "REDTC"},   {"FT", "FTDTC"},   {"RS", "RSDTC"},   {"DV", "DVSTDTC"},
    };
    if (!c->cutoff)
        return;
    for (size_t i = 0; i < sizeof STARTS / sizeof STARTS[0]; i++) {
        const char *tb = STARTS[i].table, *col = STARTS[i].column;
        if (strcmp(tb, table) != 0 || !have(c, tb, "USUBJID") || !have(c, tb, col))
            continue;
        /* The earliest day of a valid date is a prefix of its text padded
         * with -01, and the cut-off is a complete date: where the earliest
         * day is after the cut-off, so is the text (it differs within the
         * prefix). On a TEXT column compared by bytes (every value text or
         * NULL) the text comparison first spares the date function on the
         * rows up to the cut-off, nearly all of them (LB: millions). */
        int text = text_binary_column(c->db, tb, col);
        row_rule_add(p, DI_INFO, "DB018", col,
                     text ? xasprintf("x.%s > '%s' AND tlf_earliest(x.%s) > '%s'", col, c->cutoff,
                                      col, c->cutoff)
                          : xasprintf("tlf_earliest(x.%s) > '%s'", col, c->cutoff),
                     xasprintf("x.%s", col),
                     xasprintf("'%s ' || x.%s || ' is after the data cut-off %s: left out of the "
                               "analyses'", col, col, c->cutoff),
                     SCREEN_AFTER);
    }
}

/* Rowids, in the order found. */
typedef struct rowids {
    sqlite3_int64 *v;
    size_t n, cap;
} rowids;

/*
 * The row rules of table t in one statement: a column triple (fires,
 * value, message) per rule and a WHERE that keeps the rows where any
 * fires. One pass over the table instead of one per rule (issue 16: the
 * lab table was read five times); the conditions, values and messages
 * are the rules' own expressions, so the findings are the same. ids
 * (NULL: every row of the job's part, c->lo..c->hi) are the rows to look
 * at, in rowid order: those the value scan's screens passed (scan_job).
 */
static int run_row_pass(chk *c, size_t t, row_pass *p, const rowids *ids)
{
    if (!p->n)
        return TLF_OK;
    int rc = p->death ? build_death(c) : TLF_OK;
    if (rc)
        return rc;
    const table_spec *ts = &TABLES[t];
    char *key = key_sql(c, ts, "x.");
    tlf_buf q = TLF_BUF_INIT;
    tlf_buf_printf(&q, "SELECT x.USUBJID, %s", key);
    for (size_t i = 0; i < p->n; i++)
        tlf_buf_printf(&q, ", coalesce((%s), 0), %s, %s", p->r[i].cond, p->r[i].value,
                       p->r[i].msg);
    tlf_buf_printf(&q, " FROM \"%s\" x%s WHERE %s(", ts->name,
                   p->death ? " LEFT JOIN temp.tlf_death t ON t.USUBJID = x.USUBJID" : "",
                   ids ? "x._rowid_ = ?1 AND " : "x._rowid_ BETWEEN ?2 AND ?3 AND ");
    for (size_t i = 0; i < p->n; i++)
        tlf_buf_printf(&q, "%s(%s)", i ? " OR " : "", p->r[i].cond);
    tlf_buf_puts(&q, ")");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, tlf_buf_cstr(&q), -1, &st, NULL) != SQLITE_OK) {
        rc = sql_fail(c, ts->name);
        goto out;
    }
    int s = SQLITE_DONE;
    for (size_t k = 0; s == SQLITE_DONE && (ids ? k < ids->n : k == 0); k++) {
        sqlite3_reset(st);
        if (ids) {
            sqlite3_bind_int64(st, 1, ids->v[k]);
        } else {
            sqlite3_bind_int64(st, 2, c->lo);
            sqlite3_bind_int64(st, 3, c->hi);
        }
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *u = (const char *)sqlite3_column_text(st, 0);
            const char *key_text = (const char *)sqlite3_column_text(st, 1);
            for (size_t i = 0; i < p->n; i++) {
                int at = 2 + 3 * (int)i;
                if (sqlite3_column_int(st, at))
                    db_findings_add(c->out, p->r[i].sev, p->r[i].rule, ts->name, u, key_text,
                                    p->r[i].column,
                                    (const char *)sqlite3_column_text(st, at + 1),
                                    (const char *)sqlite3_column_text(st, at + 2));
            }
        }
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(c, ts->name);
out:
    sqlite3_finalize(st);
    tlf_buf_free(&q);
    free(key);
    return rc;
}

static void row_pass_free(row_pass *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->r[i].cond);
        free(p->r[i].value);
        free(p->r[i].msg);
    }
    free(p->r);
}

/* ---- the jobs: independent rules on their own connections ---- */

/*
 * Every table's value scan and its record rules are independent of the
 * other tables': each reads the snapshot only and appends to its own
 * findings, which are sorted into the documented order at the end, so
 * running them on several read-only connections in threads gives the same
 * list as running them one after the other (issue 16: the checks of a
 * 30,000-subject study took 7 s on one core while the other waited).
 */
typedef struct chk_job {
    int (*fn)(chk *c, size_t t);
    size_t table;
    double cost;               /* rows x columns read: the longest start first */
    int part;                  /* scan_job: its part of the table, from 0 */
    sqlite3_int64 lo, hi;      /* scan_job: the part's rowids */
    db_blocks *slot;           /* scan_job: the layout's blocks of the table, or NULL */
    db_blocks blocks;          /* scan_job: the part's, joined into slot */
    db_findings found;
    tlf_err err;
    int rc;
    struct chk_run *run;       /* set by run_all */
} chk_job;

typedef struct chk_run {
    const chk *base;           /* schema, cut-off, code lists (read only) */
    const char *path;          /* the snapshot, for the workers' connections */
    int failed;                /* atomic: a job failed, start no more   */
} chk_run;

/* A thread's connection: the caller's (c->db) or a worker's own. */
typedef struct chk_conn {
    sqlite3 *db;
    int death_built;           /* temp.tlf_death was made on db */
} chk_conn;

/* 1 when text value v is not after the complete date or date prefix d
 * (as text, by bytes): the rows SCREEN_AFTER and SCREEN_DEATH let go. */
static int text_not_after(sqlite3_value *v, const char *d, size_t dn)
{
    if (sqlite3_value_type(v) != SQLITE_TEXT)
        return 0;
    const char *t = (const char *)sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    if (strlen(t) != n)
        return 0;
    int cmp = strncmp(t, d, dn);
    return cmp < 0 || (cmp == 0 && n <= dn);
}

/*
 * 1 when a row rule's screen (SCREEN_*, not SCREEN_SQL) passes the row:
 * always where the rule's condition fires. u is the row's USUBJID value,
 * v the rule's column's. Where a condition fires on a date after another
 * (DB018: tlf_earliest(x) > the cut-off; DB014: tlf_earliest(x) >
 * tlf_latest(death date)), the text of x is after that date's text: the
 * earliest day of a valid date is its text padded with "-01", and the
 * latest day of the death date starts with the death date's first ten
 * characters (all of a partial date) and is no earlier than them.
 */
static int screen_passes(const chk *c, int kind, sqlite3_value *u, sqlite3_value *v,
                         subj_memo *dm, subj_memo *death)
{
    switch (kind) {
    case SCREEN_ORPHAN:   /* exactly DB006's condition where tlf_in_dm stands */
        return sqlite3_value_type(u) != SQLITE_TEXT || sqlite3_value_bytes(u) == 0 ||
               subj_memo_find(dm, u) == (size_t)-1;
    case SCREEN_MISSING:  /* NULL, '' and any value not text (DB021: only NULL and '') */
        return sqlite3_value_type(v) != SQLITE_TEXT || sqlite3_value_bytes(v) == 0;
    case SCREEN_AFTER:
        return !text_not_after(v, c->cutoff, strlen(c->cutoff));
    default: {            /* SCREEN_DEATH */
        size_t i = subj_memo_find(death, u);
        if (i == (size_t)-1)
            return 0;     /* no death date: tlf_death_d is NULL */
        const char *dt = c->deaths->row[i].text;
        if (!dt)
            return 1;
        size_t dn = strlen(dt);
        return !text_not_after(v, dt, dn < 10 ? dn : 10);
    }
    }
}

/* The result column of the spec column named name (col_at), -1: none. */
static int result_column(const table_spec *t, const int *col_at, const char *name)
{
    int j = spec_col(t, name);
    return j < 0 ? -1 : col_at[j];
}

/*
 * The value rules of table ti's rows c->lo..c->hi, cell by cell, in one
 * pass in rowid order, and the row rules' screens (p, SCREEN_*): the
 * rowids of the rows a screen passes, or a condition kept in SQL fires
 * on, are appended to fired (p->death: those conditions read
 * temp.tlf_death, alias t). *nrows: the rows read.
 */
static int scan_table(chk *c, size_t ti, row_pass *p, rowids *fired, size_t *nrows)
{
    const table_spec *t = &TABLES[ti];
    tlf_buf q = TLF_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    int col_at[MAX_COLS];     /* result column of each spec column, -1 absent */
    const char *const *codes[MAX_COLS];
    int ncols = 1;
    tlf_buf_puts(&q, "SELECT x._rowid_");
    for (size_t j = 0; j < t->ncol; j++) {
        col_at[j] = -1;
        codes[j] = t->cols[j].kind != K_CODE ? NULL
                   : t->cols[j].codes    ? t->cols[j].codes
                                         : study_codes(c, t->cols[j].name);
        if (!c->has_col[ti][j])
            continue;
        tlf_buf_printf(&q, ", x.\"%s\"", t->cols[j].name);
        col_at[j] = ncols++;
    }
    char testcd[32];
    snprintf(testcd, sizeof testcd, "%sTESTCD", t->name);
    int iu = result_column(t, col_at, "USUBJID"), isc = result_column(t, col_at, "SCTESTCD");
    int itc = result_column(t, col_at, testcd);
    int ikey = t->key ? result_column(t, col_at, t->key) : -1;
    /* each rule's screen and the column it reads; the conditions without
     * one in a CASE that stops at the first that fires */
    int *scol = xcalloc(p->n + 1, sizeof *scol);
    size_t nsql = 0;
    for (size_t i = 0; i < p->n; i++) {
        row_rule *r = &p->r[i];
        scol[i] = r->screen == SCREEN_SQL || iu < 0 ? -1 : result_column(t, col_at, r->column);
        if (scol[i] < 0) {
            tlf_buf_printf(&q, "%s WHEN (%s) THEN 1", nsql ? "" : ", CASE", r->cond);
            nsql++;
        }
    }
    int ifire = nsql ? ncols : -1;
    if (nsql)
        tlf_buf_puts(&q, " ELSE 0 END");
    tlf_buf_printf(&q, " FROM \"%s\" x%s WHERE x._rowid_ BETWEEN ?1 AND ?2 ORDER BY x._rowid_",
                   t->name, p->death ? " LEFT JOIN temp.tlf_death t ON t.USUBJID = x.USUBJID" : "");
    subj_memo dm = {c->dm_ids, NULL, 0, 0};
    subj_memo death = {c->deaths ? &c->deaths->ids : NULL, NULL, 0, 0};
    sqlite3_value *val[MAX_COLS + 1];
    if (sqlite3_prepare_v2(c->db, tlf_buf_cstr(&q), -1, &st, NULL) != SQLITE_OK) {
        rc = sql_fail(c, t->name);
        goto out;
    }
    sqlite3_bind_int64(st, 1, c->lo);
    sqlite3_bind_int64(st, 2, c->hi);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        ++*nrows;
        /* each cell's value once: a sqlite3_column_* call checks the
         * statement and takes the connection's mutex (35 M cells in the
         * 30k study's lab table). The values are "unprotected": used here,
         * on the thread that owns the connection, as SQLite allows. */
        for (int k = 1; k < ncols; k++)
            val[k] = sqlite3_column_value(st, k);
        int fires = ifire >= 0 && sqlite3_column_int(st, ifire);
        for (size_t i = 0; !fires && i < p->n; i++)
            fires = scol[i] >= 0 &&
                    screen_passes(c, p->r[i].screen, val[iu], val[scol[i]], &dm, &death);
        sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
        if (fires) {
            XGROW(fired->v, fired->cap, fired->n + 1);
            fired->v[fired->n++] = rowid;
        }
        /* text pointers stay valid for the row: the same columns are read
         * again only as text, which converts nothing */
        scan_row r = {st, ikey, t->key, "", NULL, NULL};
        if (iu >= 0 && sqlite3_value_type(val[iu]) == SQLITE_TEXT)
            r.usubjid = (const char *)sqlite3_value_text(val[iu]);
        if (isc >= 0 && sqlite3_value_type(val[isc]) == SQLITE_TEXT)
            r.sctestcd = (const char *)sqlite3_value_text(val[isc]);
        if (c->blocks && iu >= 0)
            db_blocks_add(c->blocks, rowid, val[iu], itc >= 0 ? val[itc] : NULL);
        for (size_t j = 0; j < t->ncol; j++)
            if (col_at[j] >= 0)
                check_cell(c, t, &t->cols[j], codes[j], &r, val[col_at[j]]);
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(c, t->name);
out:
    sqlite3_finalize(st);
    free(dm.last);
    free(death.last);
    free(scol);
    tlf_buf_free(&q);
    return rc;
}

/*
 * The job of table t's value scan: the value rules cell by cell and, in
 * the same pass, the rows the row rules may fire on (their screens in C,
 * or their conditions in SQL where they have none); the row rules'
 * findings are then made by their own SQL from those rows alone (a rowid
 * search each), or from a pass of their own when the rows are many. The
 * row rules' pass had read the table once more and called two SQL
 * functions per row (issue 16: 1.8 s of SQL for LB's 3.4 million rows in
 * the every-visit study). The findings are the same.
 */
static int scan_job(chk *c, size_t t)
{
    const char *name = TABLES[t].name;
    row_pass p = {NULL, 0, 0};
    if (strcmp(name, "DBSTATUS") != 0) {
        check_orphans(c, t, &p);
        check_required(c, name, &p);
        check_contact_after_death(c, name, &p);
        check_after_cutoff(c, name, &p);
    }
    int rc = p.death ? build_death(c) : TLF_OK;
    rowids fired = {NULL, 0, 0};
    size_t nrows = 0;
    if (!rc)
        rc = scan_table(c, t, &p, &fired, &nrows);
    /* a search per row costs a few times what reading it in a pass does */
    if (!rc && fired.n)
        rc = run_row_pass(c, t, &p, fired.n <= nrows / 8 ? &fired : NULL);
    free(fired.v);
    row_pass_free(&p);
    return rc;
}

/* The table's record rules (everything but the value scan's). */
static int record_rules(chk *c, size_t t)
{
    const char *name = TABLES[t].name;
    if (strcmp(name, "DBSTATUS") == 0)
        return check_status_rows(c);
    int dm = strcmp(name, "DM") == 0, rc = TLF_OK;
    if (dm)
        rc = check_dm_duplicates(c);
    if (!rc && dm)
        rc = check_day1_required(c);
    if (!rc && strcmp(name, "AE") == 0)
        rc = check_ae_dates(c);
    if (!rc)
        rc = check_death_sources(c, name);
    if (!rc && dm)
        rc = check_death_flag(c);
    return rc;
}

/* A connection made ready for the jobs: the DM subject set. */
static void conn_begin(const chk_run *r, chk_conn *cn)
{
    if (r->base->dm_ids)
        register_subject_fns(cn->db, r->base->dm_ids, r->base->deaths);
}

/* What the jobs left on a connection goes before it is closed or given
 * back. */
static void conn_end(const chk_run *r, chk_conn *cn)
{
    if (cn->death_built)
        sqlite3_exec(cn->db, "DROP TABLE IF EXISTS temp.tlf_death", NULL, NULL, NULL);
    if (r->base->dm_ids)
        register_subject_fns(cn->db, NULL, NULL);   /* the sets are freed after the checks */
}

/* Pool start hook: the snapshot read-only, as db_open_input opens it; a
 * worker that cannot open it takes no job (the others do them). */
static int worker_start(void *arg, void **ctx)
{
    chk_run *r = arg;
    chk_conn *cn = xcalloc(1, sizeof *cn);
    tlf_err e = {0, ""};
    if (db_open_snapshot(&cn->db, r->path, &e) != TLF_OK ||
        db_register_functions(cn->db, &e) != TLF_OK) {
        sqlite3_close(cn->db);
        free(cn);
        return -1;
    }
    conn_begin(r, cn);
    *ctx = cn;
    return 0;
}

static void worker_stop(void *arg, void *ctx)
{
    chk_conn *cn = ctx;
    conn_end(arg, cn);
    sqlite3_close(cn->db);
    free(cn);
}

/* Pool job: one rule set on the thread's connection, its findings and
 * error in the job's own slots. After a failure the rest are not run. */
static int run_task(void *ctx, void *arg)
{
    chk_conn *cn = ctx;
    chk_job *j = arg;
    if (__atomic_load_n(&j->run->failed, __ATOMIC_ACQUIRE))
        return TLF_OK;   /* not run: the failure is reported by its own job */
    chk c = *j->run->base;
    c.db = cn->db;
    c.out = &j->found;
    c.err = &j->err;
    c.db020_seen = (tlf_buf)TLF_BUF_INIT;
    c.death_built = &cn->death_built;
    c.blocks = j->slot ? &j->blocks : NULL;
    c.lo = j->lo;
    c.hi = j->hi;
    int rc = j->fn(&c, j->table);
    tlf_buf_free(&c.db020_seen);
    if (rc)
        __atomic_store_n(&j->run->failed, 1, __ATOMIC_RELEASE);
    return rc;
}

/* 1 when f is a finding made once per table and value (DB020: the first
 * row with an unconfigured test code) that an earlier part of the table
 * already made: out[from..] holds the parts before, in rowid order. */
static int once_reported(const db_findings *out, size_t from, const db_finding *f)
{
    if (strcmp(f->rule, "DB020") != 0)
        return 0;
    for (size_t i = from; i < out->n; i++) {
        const db_finding *g = &out->items[i];
        if (strcmp(g->rule, f->rule) == 0 && strcmp(g->table, f->table) == 0 &&
            strcmp(g->value, f->value) == 0)
            return 1;
    }
    return 0;
}

/* Run every job on db and, with nthreads > 0, on nthreads more
 * connections to the same file in threads (core/pool.h), largest first.
 * The first failed job (in the order made) gives the error; the findings
 * are appended to out in that order. */
static int run_all(chk *c, chk_job *jobs, size_t njobs, int nthreads)
{
    chk_run r = {c, sqlite3_db_filename(c->db, "main"), 0};
    if (!r.path || !*r.path)
        nthreads = 0;   /* an in-memory database: one connection sees it */
    if (nthreads > 0 && (size_t)nthreads >= njobs)
        nthreads = (int)njobs - 1;
    chk_conn own = {c->db, 0};
    conn_begin(&r, &own);
    tlf_pool_hooks hooks = {worker_start, worker_stop, &r};
    tlf_pool *pool = tlf_pool_new(nthreads, &hooks, &own);
    for (size_t i = 0; i < njobs; i++) {
        jobs[i].run = &r;
        tlf_pool_add(pool, run_task, &jobs[i], jobs[i].cost, &jobs[i].rc);
    }
    tlf_pool_free(pool);   /* every job run, the workers' connections closed */
    conn_end(&r, &own);
    int rc = TLF_OK;
    size_t from = c->out->n;
    for (size_t i = 0; i < njobs; i++) {
        chk_job *j = &jobs[i];
        if (!rc && j->rc) {
            rc = j->rc;
            *c->err = j->err;
        }
        for (size_t k = 0; k < j->found.n; k++) {
            if (j->part > 0 && once_reported(c->out, from, &j->found.items[k])) {
                db_finding_free(&j->found.items[k]);
                continue;
            }
            XGROW(c->out->items, c->out->cap, c->out->n + 1);
            c->out->items[c->out->n++] = j->found.items[k];
        }
        free(j->found.items);
        /* the parts' blocks in rowid order: the table's */
        if (j->slot)
            db_blocks_join(j->slot, &j->blocks);
        if (j->slot && (i + 1 == njobs || jobs[i + 1].slot != j->slot) && !rc)
            db_blocks_finish(j->slot);
    }
    /* a job not run because another failed: its rc is 0, the failure is
     * reported above */
    return rc;
}

int db_check(db_findings *out, sqlite3 *db, const char *cutoff_override,
             const tlf_study *study, tlf_err *err)
{
    return db_check_jobs(out, db, cutoff_override, study, 1, err);
}

int db_check_jobs(db_findings *out, sqlite3 *db, const char *cutoff_override,
                  const tlf_study *study, int jobs, tlf_err *err)
{
    return db_check_layout(out, db, cutoff_override, study, jobs, NULL, err);
}

/* 1 when table has a column of its own named as the rowid is (rowid,
 * _rowid_, oid): the scan's _rowid_ and the derivation's rowid could then
 * name different things. */
static int shadows_rowid(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    int n = 1;   /* unreadable: say yes, and the derivation finds its own */
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?) WHERE upper(name) IN "
                               "('ROWID', '_ROWID_', 'OID')", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n != 0;
}

/* A slot of layout for table t's blocks when its value scan can find them
 * (USUBJID and --TESTCD there, the rowid not shadowed); NULL otherwise.
 * layout->t has room for every table. */
static db_blocks *layout_slot(const chk *c, size_t t, db_layout *layout)
{
    char testcd[32];
    snprintf(testcd, sizeof testcd, "%sTESTCD", TABLES[t].name);
    int j = spec_col(&TABLES[t], testcd);   /* DM, DS, ... have none */
    if (!layout || j < 0 || !c->has_col[t][j] || !have(c, TABLES[t].name, "USUBJID") ||
        shadows_rowid(c->db, TABLES[t].name))
        return NULL;
    struct db_layout_table *s = &layout->t[layout->n++];
    s->table = xstrdup(TABLES[t].name);
    return &s->blocks;
}

/* The first and last rowid of table (0, 0 when empty or unreadable). */
static void rowid_span(sqlite3 *db, const char *table, sqlite3_int64 *lo, sqlite3_int64 *hi)
{
    /* two subqueries: min() and max() together would scan the table */
    char *q = xasprintf("SELECT (SELECT min(_rowid_) FROM \"%s\"), (SELECT max(_rowid_) FROM "
                        "\"%s\")", table, table);
    sqlite3_stmt *st = NULL;
    *lo = *hi = 0;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *lo = sqlite3_column_int64(st, 0);
        *hi = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    free(q);
}

/*
 * Table t's value-scan jobs into j: one, or for a table with more than its
 * share of the work (cost of total over jobs threads: LB, most of a
 * large study's rows) as many as its share, each a rowid range of about
 * as many rows (issue 16: the lab table's scan alone was the checks'
 * critical path while the other thread waited). The parts' findings are
 * the table's (DB020 once: once_reported) and their blocks are joined in
 * rowid order. Returns the jobs made.
 */
static size_t scan_parts(chk *c, size_t t, db_blocks *slot, double cost, double total, int jobs,
                         chk_job *j)
{
    int np = jobs > 1 && total > 0 ? (int)ceil(cost * jobs / total) : 1;
    np = np < 1 ? 1 : np > jobs ? jobs : np > MAX_PARTS ? MAX_PARTS : np;
    sqlite3_int64 first = 0, last = 0;
    if (np > 1)
        rowid_span(c->db, TABLES[t].name, &first, &last);
    /* the span in unsigned arithmetic: rowids may be negative */
    sqlite3_uint64 span = (sqlite3_uint64)last - (sqlite3_uint64)first;
    if (last <= first || span < (sqlite3_uint64)np)
        np = 1;
    for (int k = 0; k < np; k++) {
        sqlite3_int64 lo = k == 0 ? INT64_MIN
                                  : (sqlite3_int64)((sqlite3_uint64)first + span / np * k);
        sqlite3_int64 hi = k == np - 1 ? INT64_MAX
                                       : (sqlite3_int64)((sqlite3_uint64)first + span / np * (k + 1)) - 1;
        j[k] = (chk_job){.fn = scan_job, .table = t, .cost = cost / np, .part = k, .lo = lo,
                         .hi = hi, .slot = slot, .found = DB_FINDINGS_INIT};
    }
    return (size_t)np;
}

int db_check_layout(db_findings *out, sqlite3 *db, const char *cutoff_override,
                    const tlf_study *study, int jobs, db_layout *layout, tlf_err *err)
{
    chk *c = xcalloc(1, sizeof *c);
    int death_built = 0;
    c->db = db;
    c->out = out;
    c->err = err;
    c->study = study;
    c->death_built = &death_built;
    study_lists_make(c);
    size_t first = out->n;
    int rc = db_register_functions(db, err);
    if (!rc)
        rc = check_schema(c);
    if (!rc)
        rc = find_cutoff(c, cutoff_override);
    tlf_strmap dm_ids = TLF_STRMAP_INIT;
    if (!rc && dm_set_make(c, &dm_ids))
        c->dm_ids = &dm_ids;
    death_map deaths;
    if (!rc && death_map_make(c, &deaths))
        c->deaths = &deaths;
    if (!rc && layout)
        layout->t = xcalloc(NTABLES, sizeof *layout->t);
    if (!rc) {
        chk_job *j = xcalloc(NTABLES * (MAX_PARTS + 1), sizeof *j);
        size_t n = 0;
        /* the cost of a table's jobs, rows x columns read: the value scan
         * with its row rules' screens, and the record rules (a statement
         * or two, joins and groupings); + 1: an empty table's jobs still
         * cost a statement */
        double scan[NTABLES], record[NTABLES], total = 0;
        for (size_t t = 0; t < NTABLES; t++) {
            double rows = c->present[t] ? db_table_rows(db, TABLES[t].name) + 1 : 0;
            scan[t] = rows * (TABLES[t].ncol + 4.0);
            record[t] = rows * 2.0;
            total += scan[t] + record[t];
        }
        for (size_t t = 0; t < NTABLES; t++)
            if (c->present[t]) {
                n += scan_parts(c, t, layout_slot(c, t, layout), scan[t], total, jobs, j + n);
                j[n++] = (chk_job){.fn = record_rules, .table = t, .cost = record[t],
                                   .found = DB_FINDINGS_INIT};
            }
        rc = run_all(c, j, n, jobs > 1 ? jobs - 1 : 0);
        for (size_t i = 0; i < n; i++)
            db_blocks_free(&j[i].blocks);   /* a part not joined: a job failed */
        free(j);
    }
    if (!rc)
        db_findings_sort(out, first);
    else if (layout)
        db_layout_free(layout);   /* a job not run left its blocks unfinished */
    tlf_strmap_free(&dm_ids);
    if (c->deaths)
        death_map_free(&deaths);
    free(c->cutoff);
    study_lists_free(c);
    free(c);
    return rc;
}
