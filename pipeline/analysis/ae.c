/*
 * ae.c - treatment-emergent adverse event tables (sap.md section 4,
 * ard.md's AE rows), outputs 14.3.1.1-14.3.2.3.
 *
 * Stage: ARD. Reads ADSL (SAFFL) and ADAE (TRTEMFL, AERELFL, AESERFL,
 * AEWDFL, AEFATFL, AETOXGR, AEBODSYS, AEDECOD, AESICAT).
 *
 * Incidence = subjects with at least one event / SAF N, as a percentage; a
 * subject counts once per SOC and once per PT; events are counted too
 * (n_event). SOCs, and PTs within their SOC, are sorted by descending
 * subject count, then alphabetically; the ARD keeps that order, which is
 * the display order. In the grade table a subject counts once per term at
 * its worst grade; "Missing" holds subjects none of whose events of that
 * term has a grade (a known grade outranks a missing one); n_event of a
 * grade row counts the events recorded with that grade.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/buf.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One hierarchical AE table. */
typedef struct ae_table {
    const char *analysis_id;
    const char *output_id;
    const char *where;        /* SQL condition on ADAE (alias a) beyond TRTEMFL */
    const char *upper;        /* column of the outer level: AEBODSYS or AESICAT */
    int by_grade;
} ae_table;

static const ae_table TABLES[] = {
    {"ae_teae", "14.3.1.2", "1", "AEBODSYS", 0},
    {"ae_grade", "14.3.1.3", "1", "AEBODSYS", 1},
    {"ae_rel", "14.3.1.4", "a.AERELFL = 'Y'", "AEBODSYS", 0},
    {"ae_ser", "14.3.2.1", "a.AESERFL = 'Y'", "AEBODSYS", 0},
    {"ae_aesi", "14.3.2.3", "COALESCE(a.AESICAT, '') <> ''", "AESICAT", 0},
};

/* Overview rows of 14.3.1.1: variable names the ADAE flag counted. */
static const struct { const char *variable; const char *where; } OVERVIEW[] = {
    {"TRTEMFL", "1"},
    {"AERELFL", "a.AERELFL = 'Y'"},
    {"AESERFL", "a.AESERFL = 'Y'"},
    {"AEGR3FL", "a.ATOXGRN BETWEEN 3 AND 5"},
    {"AEWDFL", "a.AEWDFL = 'Y'"},
    {"AEFATFL", "a.AEFATFL = 'Y'"},
};

/* Grade columns of 14.3.1.3: bound as the numeric grade, 0 = missing. */
static const struct { int g; const char *label; } GRADES[] = {
    {1, "1"}, {2, "2"}, {3, "3"}, {4, "4"}, {5, "5"}, {0, "Missing"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int sql_fail(tlf_err *err, sqlite3 *db, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "AE analysis %s: %s", what, sqlite3_errmsg(db));
}

/* Label of an AE whose SOC or PT is missing (not yet coded): shown as its
 * own level rather than an empty label. */
#define AE_UNCODED "Uncoded"

/* The events one table counts: subject, outer level U, PT L, grade G (0 =
 * missing). The grade is ADAE's ATOXGRN (derive validated AETOXGR: a value
 * other than 1-5 is missing there and reported as a data issue). They are
 * selected once per table into a temporary table (the connection's own
 * temp database; adam.sqlite is not written): as a WITH clause the join of
 * ADAE and ADSL ran again for every count of every term, 11 s of a
 * 30,000-subject run (issue 16). */
static char *events_table(const char *where, const char *upper)
{
    return xasprintf(
        "DROP TABLE IF EXISTS temp.ae_events; "
        "CREATE TEMP TABLE ae_events AS SELECT a.USUBJID, "
        "COALESCE(NULLIF(TRIM(a.%s), ''), '" AE_UNCODED "') AS U, "
        "COALESCE(NULLIF(TRIM(a.AEDECOD), ''), '" AE_UNCODED "') AS L, "
        "CASE WHEN a.ATOXGRN BETWEEN 1 AND 5 THEN a.ATOXGRN ELSE 0 END AS G "
        "FROM ADAE a JOIN ADSL s ON s.USUBJID = a.USUBJID "
        "WHERE s.SAFFL = 'Y' AND a.TRTEMFL = 'Y' AND (%s) ORDER BY a.rowid",
        upper, where);
}

#define EVENTS "WITH e AS (SELECT * FROM temp.ae_events) "

#define LEVEL "(?1 IS NULL OR U = ?1) AND (?2 IS NULL OR L = ?2)"

typedef struct ae_stmts {
    sqlite3 *db;           /* holds temp.ae_events while prepared      */
    sqlite3_stmt *level;   /* subjects, events at a level              */
    sqlite3_stmt *uppers;  /* outer levels in display order            */
    sqlite3_stmt *lowers;  /* PTs of an outer level in display order   */
    sqlite3_stmt *worst;   /* subjects whose worst grade at a level = ?3 */
    sqlite3_stmt *gevents; /* events at a level with grade ?3          */
} ae_stmts;

static void stmts_free(ae_stmts *s)
{
    sqlite3_finalize(s->level);
    sqlite3_finalize(s->uppers);
    sqlite3_finalize(s->lowers);
    sqlite3_finalize(s->worst);
    sqlite3_finalize(s->gevents);
    if (s->db)
        sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.ae_events", NULL, NULL, NULL);
    s->db = NULL;
}

static int stmts_prepare(ae_stmts *s, sqlite3 *db, const char *where, const char *upper)
{
    char *make = events_table(where, upper);
    int made = sqlite3_exec(db, make, NULL, NULL, NULL) == SQLITE_OK;
    free(make);
    if (!made)
        return -1;
    s->db = db;
    const char *cte = EVENTS;
    char *sql[5] = {
        xasprintf("%sSELECT COUNT(DISTINCT USUBJID), COUNT(*) FROM e WHERE " LEVEL, cte),
        xasprintf("%sSELECT U, COUNT(DISTINCT USUBJID) n FROM e GROUP BY U ORDER BY n DESC, U", cte),
        xasprintf("%sSELECT L, COUNT(DISTINCT USUBJID) n FROM e WHERE U = ?1 GROUP BY L "
                  "ORDER BY n DESC, L", cte),
        xasprintf("%s, w AS (SELECT USUBJID, MAX(G) g FROM e WHERE " LEVEL " GROUP BY USUBJID) "
                  "SELECT COUNT(*) FROM w WHERE g = ?3", cte),
        xasprintf("%sSELECT COUNT(*) FROM e WHERE " LEVEL " AND G = ?3", cte),
    };
    sqlite3_stmt **out[5] = {&s->level, &s->uppers, &s->lowers, &s->worst, &s->gevents};
    int rc = 0;
    for (int i = 0; i < 5; i++) {
        if (!rc && sqlite3_prepare_v2(db, sql[i], -1, out[i], NULL) != SQLITE_OK)
            rc = -1;
        free(sql[i]);
    }
    return rc;
}

/* Run a one-row statement bound to (upper, lower[, grade]); *a, *b get columns 0, 1. */
static int one_row(sqlite3_stmt *st, const char *upper, const char *lower, int grade,
                   long long *a, long long *b)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (upper)
        sqlite3_bind_text(st, 1, upper, -1, SQLITE_TRANSIENT);
    if (lower)
        sqlite3_bind_text(st, 2, lower, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_int(st, 3, grade);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    *a = sqlite3_column_int64(st, 0);
    if (b)
        *b = sqlite3_column_int64(st, 1);
    return 0;
}

static void add_counts(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                       long long n_subj, long long n_event, long long denom)
{
    const char *p = param && *param ? param : NULL;
    tlf_ard_add_int(ard, key, "n_subj", p, n_subj);
    /* no subjects in the set: the percentage is missing (NAN is stored as
     * missing), shown by the templates' "missing" text, never as 0.0 */
    tlf_ard_add_real(ard, key, "pct", p, denom > 0 ? 100.0 * (double)n_subj / (double)denom : NAN);
    tlf_ard_add_int(ard, key, "n_event", p, n_event);
}

/* The rows of one level: all grades, then (grade table) each grade. */
static int level_rows(tlf_ard *ard, const ae_stmts *s, const ae_table *t, const tlf_ard_key *key,
                      const char *upper, const char *lower, long long denom)
{
    tlf_buf param = TLF_BUF_INIT;
    long long ns, ne;
    int rc = one_row(s->level, upper, lower, 0, &ns, &ne);
    if (lower)
        tlf_param_add(&param, t->upper, upper);
    if (!rc)
        add_counts(ard, key, tlf_buf_cstr(&param), ns, ne, denom);
    for (size_t g = 0; !rc && t->by_grade && g < NELEM(GRADES); g++) {
        rc = one_row(s->worst, upper, lower, GRADES[g].g, &ns, NULL) ||
             one_row(s->gevents, upper, lower, GRADES[g].g, &ne, NULL);
        tlf_buf_reset(&param);
        if (lower)
            tlf_param_add(&param, t->upper, upper);
        tlf_param_add(&param, "AETOXGR", GRADES[g].label);
        if (!rc)
            add_counts(ard, key, tlf_buf_cstr(&param), ns, ne, denom);
    }
    tlf_buf_free(&param);
    return rc;
}

static int hierarchy(const analysis_ctx *ctx, const ae_table *t, long long denom, tlf_err *err)
{
    sqlite3 *db = ctx->adam;
    ae_stmts s = {0};
    char **uppers = NULL;
    size_t n_up = 0, cap = 0;
    int rc = TLF_OK;
    if (stmts_prepare(&s, db, t->where, t->upper)) {
        rc = sql_fail(err, db, t->analysis_id);
        goto done;
    }
    tlf_ard_key key = {t->output_id, t->analysis_id, "SAF", "ARMCD",
                       arm_code(ctx, TLF_ARM_TREATED), NULL, NULL};
    tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
    if (level_rows(ctx->ard, &s, t, &key, NULL, NULL, denom)) {
        rc = sql_fail(err, db, t->analysis_id);
        goto done;
    }
    /* Outer levels are read first: the PT statement reuses the connection. */
    int step;
    while ((step = sqlite3_step(s.uppers)) == SQLITE_ROW) {
        XGROW(uppers, cap, n_up + 1);
        uppers[n_up++] = xstrdup((const char *)sqlite3_column_text(s.uppers, 0));
    }
    if (step != SQLITE_DONE) {
        rc = sql_fail(err, db, t->analysis_id);
        goto done;
    }
    for (size_t i = 0; i < n_up && rc == TLF_OK; i++) {
        tlf_ard_key uk = key;
        uk.variable = t->upper;
        uk.variable_level = uppers[i];
        if (level_rows(ctx->ard, &s, t, &uk, uppers[i], NULL, denom)) {
            rc = sql_fail(err, db, t->analysis_id);
            break;
        }
        sqlite3_reset(s.lowers);
        sqlite3_bind_text(s.lowers, 1, uppers[i], -1, SQLITE_TRANSIENT);
        char **lowers = NULL;
        size_t n_low = 0, lcap = 0;
        while ((step = sqlite3_step(s.lowers)) == SQLITE_ROW) {
            XGROW(lowers, lcap, n_low + 1);
            lowers[n_low++] = xstrdup((const char *)sqlite3_column_text(s.lowers, 0));
        }
        if (step != SQLITE_DONE)
            rc = sql_fail(err, db, t->analysis_id);
        for (size_t j = 0; j < n_low; j++) {
            tlf_ard_key lk = key;
            lk.variable = "AEDECOD";
            lk.variable_level = lowers[j];
            if (rc == TLF_OK && level_rows(ctx->ard, &s, t, &lk, uppers[i], lowers[j], denom))
                rc = sql_fail(err, db, t->analysis_id);
            free(lowers[j]);
        }
        free(lowers);
    }
done:
    for (size_t i = 0; i < n_up; i++)
        free(uppers[i]);
    free(uppers);
    stmts_free(&s);
    return rc;
}

static int overview(const analysis_ctx *ctx, long long denom, tlf_err *err)
{
    tlf_ard_key key = {"14.3.1.1", "ae_overview", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                       NULL, NULL};
    tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
    for (size_t i = 0; i < NELEM(OVERVIEW); i++) {
        ae_stmts s = {0};
        long long ns = 0, ne = 0;
        int bad = stmts_prepare(&s, ctx->adam, OVERVIEW[i].where, "AEBODSYS") ||
                  one_row(s.level, NULL, NULL, 0, &ns, &ne);
        stmts_free(&s);
        if (bad)
            return sql_fail(err, ctx->adam, "ae_overview");
        tlf_ard_key k = key;
        k.variable = OVERVIEW[i].variable;
        add_counts(ctx->ard, &k, NULL, ns, ne, denom);
    }
    return TLF_OK;
}

int analysis_saf_n(const analysis_ctx *ctx, long long *n, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(ctx->adam, "SELECT COUNT(*) FROM ADSL WHERE SAFFL = 'Y'", -1, &st,
                           NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        rc = sql_fail(err, ctx->adam, "SAF denominator (ADSL)");
    else
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int analysis_ae(const analysis_ctx *ctx, tlf_err *err)
{
    long long denom = 0;
    if (analysis_saf_n(ctx, &denom, err) != TLF_OK)
        return TLF_EINTERNAL;
    int rc = overview(ctx, denom, err);
    for (size_t i = 0; rc == TLF_OK && i < NELEM(TABLES); i++)
        rc = hierarchy(ctx, &TABLES[i], denom, err);
    return rc;
}
