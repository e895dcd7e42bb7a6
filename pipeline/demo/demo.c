/*
 * demo.c - writes the synthetic study database of `tlfgen demo-db`.
 *
 * Stage: demo data (an input for the pipeline, not part of it).
 * Implements docs/database.md (tables, columns, code lists, types)
 * and arranges the data so that the rules of sap.md sections 1-3 have
 * something to bite on (partial dates, deaths, lost to follow-up, data
 * after the cut-off). The first 26 TAC subjects and 16 controls of any
 * seed have the roles of the published trial (Takada et al. 2020); the
 * default seed is the reference study. Further subjects (--subjects,
 * --controls) are drawn with generic roles. Each subject has its own PRNG
 * stream, so a subject's data do not depend on how many others there are,
 * and generation never looks at --as-of: the as-of view only filters the
 * same study (records dated after it left out, end dates after it blank).
 */
#include "demo/demo.h"
#include "demo/demo_util.h"
#include "demo/demo_plan.h"
#include "core/mem.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the schema (database.md) ---------------------------------------- */

/* Column types: t TEXT, i INTEGER, r REAL, q the --SEQ (INTEGER, filled by
 * put()), u USUBJID (TEXT, the current subject, filled by put()). */
typedef struct table_def {
    const char *name;
    const char *cols;    /* space separated */
    const char *types;   /* one letter per column */
} table_def;

static const table_def TABLES[T_COUNT] = {
    [T_DM] = {"DM", "STUDYID USUBJID SUBJID SITEID RFICDTC RFSTDTC RFENDTC DTHDTC DTHFL AGE "
                    "AGEU SEX RACE ARMCD ARM ACTARMCD ACTARM COUNTRY",
              "tutttttttitttttttt"},
    [T_SC] = {"SC", "USUBJID SCTESTCD SCTEST SCORRES SCSTRESC", "utttt"},
    [T_VS] = {"VS", "USUBJID VSSEQ VSTESTCD VSSTRESN VSSTRESU VSBLFL VISITNUM VISIT VSDTC",
              "uqtrttrtt"},
    [T_DS] = {"DS", "USUBJID DSSEQ DSCAT DSSCAT DSTERM DSDECOD DSSTDTC EPOCH", "uqtttttt"},
    [T_EX] = {"EX", "USUBJID EXSEQ EXTRT EXDOSE EXDOSU EXDOSFRQ EXSTDTC EXENDTC", "uqtrtttt"},
    [T_CM] = {"CM", "USUBJID CMSEQ CMTRT CMDECOD CMCAT CMSTDTC CMENDTC", "uqttttt"},
    [T_AE] = {"AE", "USUBJID AESEQ AETERM AEDECOD AEBODSYS AETOXGR AESER AEREL AEACN AEOUT "
                    "AESTDTC AEENDTC AESPID",
              "uqttttttttttt"},
    [T_LB] = {"LB", "USUBJID LBSEQ LBTESTCD LBTEST LBCAT LBORRES LBORRESU LBSTRESN LBSTRESU "
                    "LBSTNRLO LBSTNRHI LBNRIND LBBLFL VISITNUM VISIT LBDTC",
              "uqtttttrtrrttrtt"},
    [T_PC] = {"PC", "USUBJID PCSEQ PCTESTCD PCSTRESN PCSTRESU VISITNUM VISIT PCDTC", "uqtrtrtt"},
    [T_RE] = {"RE", "USUBJID RESEQ RETESTCD RETEST RESTRESN RESTRESU REBLFL VISITNUM VISIT REDTC",
              "uqttrttrtt"},
    [T_FT] = {"FT", "USUBJID FTSEQ FTTESTCD FTSTRESN FTBLFL VISITNUM VISIT FTDTC", "uqtrtrtt"},
    [T_RS] = {"RS", "USUBJID RSSEQ RSTESTCD RSSTRESC RSDTC VISITNUM VISIT", "uqtttrt"},
    [T_DV] = {"DV", "USUBJID DVSEQ DVTERM DVDECOD DVCAT DVSTDTC", "uqtttt"},
    [T_DBSTATUS] = {"DBSTATUS", "STUDYID STATUS STATUSDTC CUTOFFDTC LOCKBY", "ttttt"},
};

/* ---- writer: prepared inserts, as-of filtering ------------------------ */

struct demo_writer {
    const demo_names *names;
    sqlite3 *db;
    sqlite3_stmt *ins[T_COUNT];
    int seq[T_COUNT];           /* next --SEQ of the current subject */
    char usubjid[40];
    long as_of;                 /* records dated after it are left out */
    int failed;                 /* sticky: first SQLite error kept in err */
    tlf_err *err;
};

static int sql_fail(demo_writer *w, const char *what)
{
    if (!w->failed)
        tlf_err_set(w->err, TLF_EINTERNAL, "SQLite: %s: %s", what, sqlite3_errmsg(w->db));
    w->failed = 1;
    return TLF_EINTERNAL;
}

static int exec_sql(demo_writer *w, const char *sql)
{
    if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(w, sql);
    return 0;
}

static int create_tables(demo_writer *w)
{
    for (int t = 0; t < T_COUNT; t++) {
        const table_def *td = &TABLES[t];
        char *cols = xstrdup(td->cols);
        char *create = xasprintf("CREATE TABLE %s (", td->name);
        char *insert = xasprintf("INSERT INTO %s VALUES (", td->name);
        size_t k = 0;
        for (char *save = NULL, *c = strtok_r(cols, " ", &save); c; c = strtok_r(NULL, " ", &save), k++) {
            char ty = td->types[k];
            const char *sqlty = ty == 'i' || ty == 'q' ? "INTEGER" : ty == 'r' ? "REAL" : "TEXT";
            char *nc = xasprintf("%s%s%s %s", create, k ? ", " : "", c, sqlty);
            char *ni = xasprintf("%s%s?", insert, k ? ", " : "");
            free(create);
            free(insert);
            create = nc;
            insert = ni;
        }
        if (k != strlen(td->types))
            abort();                       /* the table above is inconsistent */
        char *c2 = xasprintf("%s)", create);
        char *i2 = xasprintf("%s)", insert);
        int rc = exec_sql(w, c2);
        if (rc == 0 && sqlite3_prepare_v2(w->db, i2, -1, &w->ins[t], NULL) != SQLITE_OK)
            rc = sql_fail(w, i2);
        free(cols);
        free(create);
        free(insert);
        free(c2);
        free(i2);
        if (rc)
            return rc;
    }
    return 0;
}

int demo_failed(const demo_writer *w)
{
    return w->failed;
}

int demo_keep(const demo_writer *w, long day)
{
    return day <= w->as_of;
}

void demo_subject(demo_writer *w, const char *usubjid)
{
    snprintf(w->usubjid, sizeof w->usubjid, "%s", usubjid);
    for (int t = 0; t < T_COUNT; t++)
        w->seq[t] = 1;
}

int demo_put(demo_writer *w, int t, long fday, ...)
{
    if (w->failed)
        return TLF_EINTERNAL;
    if (fday != DEMO_NODATE && fday > w->as_of)
        return 0;                          /* not yet recorded on the as-of day */
    sqlite3_stmt *st = w->ins[t];
    const char *ty = TABLES[t].types;
    va_list ap;
    va_start(ap, fday);
    for (int k = 0; ty[k]; k++) {
        int col = k + 1, rc = SQLITE_OK;
        switch (ty[k]) {
        case 'u':
            rc = sqlite3_bind_text(st, col, w->usubjid, -1, SQLITE_STATIC);
            break;
        case 'q':
            rc = sqlite3_bind_int(st, col, w->seq[t]);
            break;
        case 'i':
            rc = sqlite3_bind_int(st, col, va_arg(ap, int));
            break;
        case 'r': {
            double v = va_arg(ap, double);
            rc = isfinite(v) ? sqlite3_bind_double(st, col, v) : sqlite3_bind_null(st, col);
            break;
        }
        default: {
            const char *s = va_arg(ap, const char *);
            rc = sqlite3_bind_text(st, col, s ? s : "", -1, SQLITE_STATIC);
            break;
        }
        }
        if (rc != SQLITE_OK) {
            va_end(ap);
            return sql_fail(w, TABLES[t].name);
        }
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sql_fail(w, TABLES[t].name);
    w->seq[t]++;
    return 0;
}

/* ---- planted data issues (--with-issues) ------------------------------ */

/* One instance of each problem database.md says must be reported, each
 * on its own subject of the default study (docs/demo-db.md lists them).
 * An UPDATE on a subject the options left out changes nothing. */
static int plant_issues(demo_writer *w)
{
    char id[11][40];
    static const long who[11] = {3, -1, 0, 11, 1, 7, 16, 18, 2, 5, 9};   /* TAC subject index */
    for (int k = 0; k < 11; k++)
        demo_usubjid(id[k], sizeof id[k], w->names, DEMO_ARM_TAC, who[k] < 0 ? 9998 : who[k]);
    char *sql[11] = {
        /* duplicate USUBJID in DM */
        xasprintf("INSERT INTO DM SELECT * FROM DM WHERE USUBJID = '%s'", id[0]),
        /* a row whose USUBJID is not in DM */
        xasprintf("INSERT INTO LB VALUES ('%s', 1, 'CREAT', 'Creatinine', 'CHEMISTRY', '0.71', "
                  "'mg/dL', 0.71, 'mg/dL', 0.46, 0.79, 'NORMAL', 'Y', 2, 'BASELINE', '2014-01-15')",
                  id[1]),
        /* an impossible date */
        xasprintf("UPDATE LB SET LBDTC = '2014-02-30' WHERE rowid = (SELECT rowid FROM LB WHERE "
                  "USUBJID = '%s' AND VISIT = 'WEEK 12' AND LBTESTCD = 'CK')", id[2]),
        /* a death date before day 1 */
        xasprintf("UPDATE DM SET DTHFL = 'Y', DTHDTC = date(RFSTDTC, '-10 days') "
                  "WHERE USUBJID = '%s'", id[3]),
        /* a numeric column holding text */
        xasprintf("UPDATE VS SET VSSTRESN = '62 kg' WHERE rowid = (SELECT rowid FROM VS WHERE "
                  "USUBJID = '%s' AND VISIT = 'WEEK 4' AND VSTESTCD = 'WEIGHT')", id[4]),
        /* an AE ending before it starts */
        xasprintf("UPDATE AE SET AEENDTC = date(AESTDTC, '-5 days') WHERE rowid = (SELECT rowid "
                  "FROM AE WHERE USUBJID = '%s' AND length(AESTDTC) = 10 ORDER BY AESEQ LIMIT 1)",
                  id[5]),
        /* a coded value outside its code list */
        xasprintf("UPDATE AE SET AEREL = 'PROBABLY RELATED' WHERE rowid = (SELECT rowid FROM AE "
                  "WHERE USUBJID = '%s' ORDER BY AESEQ LIMIT 1)", id[6]),
        /* DTHFL = Y with no death date anywhere */
        xasprintf("UPDATE DM SET DTHFL = 'Y', DTHDTC = '' WHERE USUBJID = '%s'", id[7]),
        /* death sources that disagree: DS says 3 days after DM and AE */
        xasprintf("UPDATE DS SET DSSTDTC = date(DSSTDTC, '+3 days') "
                  "WHERE USUBJID = '%s' AND DSDECOD = 'DEATH'", id[8]),
        /* a record flag that is neither Y nor empty */
        xasprintf("UPDATE VS SET VSBLFL = 'N' WHERE rowid = (SELECT rowid FROM VS WHERE "
                  "USUBJID = '%s' ORDER BY VSSEQ LIMIT 1)", id[9]),
        /* text that is not valid UTF-8 (a Latin-1 byte in a verbatim term) */
        xasprintf("UPDATE AE SET AETERM = AETERM || CAST(X'E9' AS TEXT) WHERE rowid = (SELECT "
                  "rowid FROM AE WHERE USUBJID = '%s' ORDER BY AESEQ LIMIT 1)", id[10]),
    };
    int rc = 0;
    for (int k = 0; k < 11; k++) {
        if (!rc)
            rc = exec_sql(w, sql[k]);
        free(sql[k]);
    }
    return rc;
}

/* ---- options ------------------------------------------------------------ */

void demo_opts_init(demo_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->seed = DEMO_DEFAULT_SEED;
    opts->n_subjects = DEMO_DEFAULT_SUBJECTS;
    opts->n_controls = DEMO_DEFAULT_CONTROLS;
}

int demo_opts_check(const demo_opts *opts, tlf_err *err)
{
    long d;
    if (opts->status && strcmp(opts->status, "OPEN") && strcmp(opts->status, "SOFT LOCK") &&
        strcmp(opts->status, "HARD LOCK"))
        return tlf_err_set(err, TLF_EUSAGE,
                           "status '%s' is not one of OPEN, SOFT LOCK, HARD LOCK", opts->status);
    if (opts->as_of && demo_parse_date(opts->as_of, &d) != 0)
        return tlf_err_set(err, TLF_EUSAGE, "as-of date '%s' is not a valid YYYY-MM-DD date",
                           opts->as_of);
    if (opts->n_subjects < 1 || opts->n_subjects > DEMO_MAX_SUBJECTS)
        return tlf_err_set(err, TLF_EUSAGE, "number of subjects %ld is not in 1..%ld",
                           opts->n_subjects, DEMO_MAX_SUBJECTS);
    if (opts->n_controls < 0 || opts->n_controls > DEMO_MAX_SUBJECTS)
        return tlf_err_set(err, TLF_EUSAGE, "number of controls %ld is not in 0..%ld",
                           opts->n_controls, DEMO_MAX_SUBJECTS);
    return 0;
}

/* ---- the whole file --------------------------------------------------------- */

static int write_status(demo_writer *w, const demo_opts *opts, long cutoff)
{
    const char *status = opts->status ? opts->status : opts->as_of ? "OPEN" : "HARD LOCK";
    /* Data management dates the status from the cut-off, not the clock:
     * a hard lock 45 days after it, a soft lock or an open snapshot 21
     * days after (the as-of view is the database on that very day). */
    long sdate = opts->as_of ? cutoff : cutoff + (strcmp(status, "HARD LOCK") == 0 ? 45 : 21);
    char cut[11], sd[11];
    demo_fmt_date(cut, cutoff);
    demo_fmt_date(sd, sdate);
    return demo_put(w, T_DBSTATUS, DEMO_NODATE, w->names->studyid, status, sd, cut,
                    strcmp(status, "OPEN") == 0 ? "" : "DATA MANAGEMENT");
}

static int write_all(demo_writer *w, const demo_opts *opts)
{
    long cutoff;
    demo_parse_date(DEMO_DEFAULT_CUTOFF, &cutoff);
    long as_of = LONG_MAX;
    if (opts->as_of) {
        demo_parse_date(opts->as_of, &as_of);
        cutoff = as_of;
    }
    w->as_of = as_of;
    int rc = exec_sql(w, "PRAGMA journal_mode = OFF");
    if (!rc)
        rc = exec_sql(w, "PRAGMA synchronous = OFF");
    if (!rc)
        rc = exec_sql(w, "PRAGMA cache_size = -65536");
    if (!rc)
        rc = exec_sql(w, "BEGIN");
    if (!rc)
        rc = create_tables(w);
    if (!rc)
        rc = write_status(w, opts, cutoff);
    long full_cutoff;
    demo_parse_date(DEMO_DEFAULT_CUTOFF, &full_cutoff);
    demo_study study = {w->names, opts->seed, opts->n_subjects, opts->n_controls, full_cutoff};
    if (!rc)
        rc = demo_write_subjects(w, &study);
    if (!rc && opts->with_issues)
        rc = plant_issues(w);
    if (!rc)
        rc = exec_sql(w, "COMMIT");
    return rc ? rc : (w->failed ? TLF_EINTERNAL : 0);
}

int demo_db_write(const char *path, const demo_opts *opts, tlf_err *err)
{
    int rc = demo_opts_check(opts, err);
    if (rc)
        return rc;
    demo_writer w;
    memset(&w, 0, sizeof w);
    w.err = err;
    demo_names names = {"TACIP",
                        {"TAC", "HC", "SCRNFAIL"},
                        {"Tacrolimus + glucocorticoids",
                         "Historical control: glucocorticoids alone", "Screen Failure"},
                        "TACROLIMUS", "Tacrolimus", "PREDNISOLONE", "METHYLPREDNISOLONE",
                        "TACTROUGH",
                        {{"MYOTYPE", "Myositis Type", {"PM", "DM", "CADM"}, 3},
                         {"ONSET", "Onset", {"NEW", "RELAPSE"}, 2},
                         {"IPCOURSE", "IP Course", {"ACUTE", "CHRONIC"}, 2},
                         {"MDA5AB", "Anti-MDA5 Antibody", {"POSITIVE", "NEGATIVE", "NOT DONE"}, 3},
                         {"ARSAB", "Anti-ARS Antibody", {"POSITIVE", "NEGATIVE", "NOT DONE"}, 3},
                         {"SMOKER", "Smoking Status", {"NEVER", "FORMER", "CURRENT"}, 3}}};
    const tlf_study *st = opts->study;
    if (st) {
        /* the study's names in the demo's places: its first glucocorticoid
         * daily, its second (or the first) as pulses */
        const tlf_study_arm *t = tlf_study_arm_by_role(st, TLF_ARM_TREATED);
        const tlf_study_arm *h = tlf_study_arm_by_role(st, TLF_ARM_CONTROL);
        size_t npc;
        const tlf_study_param *pc = tlf_study_domain_params(st, "PC", &npc);
        names.studyid = st->id;
        names.armcd[0] = t->code;
        names.armcd[1] = h->code;
        names.arm[0] = t->label;
        names.arm[1] = h->label;
        names.drug = st->drug_extrt;
        names.drug_label = st->drug_label;
        names.gc_daily = st->gcs[0].extrt;
        names.gc_pulse = st->gcs[st->n_gcs > 1 ? 1 : 0].extrt;
        if (npc)
            names.pc_testcd = pc[0].code;
        /* the k-th characteristic renames the demo's k-th when it has as
         * many values; SCTEST stays the demo's unless the code changes */
        for (size_t k = 0; k < DEMO_NSC && k < st->n_chars; k++) {
            const tlf_study_char *ch = &st->chars[k];
            demo_sc *sc = &names.sc[k];
            if (ch->n != sc->n)
                continue;
            if (strcmp(ch->code, sc->testcd) != 0)
                sc->test = ch->label;
            sc->testcd = ch->code;
            for (size_t v = 0; v < sc->n; v++)
                sc->value[v] = ch->codes[v];
        }
    }
    w.names = &names;
    char *tmp = NULL;
    if ((rc = tlf_tmpfile_create(&tmp, path, err)) != TLF_OK)
        return rc;
    if (sqlite3_open_v2(tmp, &w.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot open '%s': %s", tmp,
                         w.db ? sqlite3_errmsg(w.db) : "out of memory");
        goto done;
    }
    rc = write_all(&w, opts);
done:
    for (int t = 0; t < T_COUNT; t++)
        sqlite3_finalize(w.ins[t]);
    if (w.db && sqlite3_close(w.db) != SQLITE_OK && !rc)
        rc = tlf_err_set(err, TLF_EOUTPUT, "cannot close '%s'", tmp);
    if (!rc)
        rc = tlf_tmpfile_commit(tmp, path, err);
    else
        unlink(tmp);
    free(tmp);
    return rc;
}
