/*
 * deaths.c - deaths table 14.3.2.2 (analysis `deaths`), Safety Analysis
 * Set (treated arm) and historical controls (control arm).
 *
 * Stage: ARD. Reads ADSL (SAFFL, HCFL, DTHFL, DTHDY: death date and study
 * day by sap.md section 1, deaths after the cut-off already left out by
 * derive) and ADAE (AEFATFL, AEDECOD, ASTDT) for the cause.
 *
 * Records (group ARMCD, levels TAC with population SAF and HC with
 * population HC): the column N (stat n, variable empty); subjects who died
 * (variable DTHFL), on or before the landmark day (variable DTHW52) and after it
 * (variable DTHA52), each with n and pct (percent of the column N); the
 * cause of death (variable DTHCAUS, variable_level the cause) with n and
 * pct. The cause is the preferred term of the subject's fatal AE (AEFATFL
 * = Y; the earliest starting when several); a death without a fatal AE
 * record shows "No fatal AE recorded" (in HC always, as HC has no AE data).
 * Every cause is written for both arms (0 where none) in the order of
 * descending total count, then alphabetically.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_FATAL_AE "No fatal AE recorded"

typedef struct arm_def {
    const char *armcd, *population, *flag;
} arm_def;

#define N_ARMS 2

static int deaths_fail(tlf_err *err, sqlite3 *db, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "deaths analysis: %s: %s", what, sqlite3_errmsg(db));
}

/* One integer from sql with ?1 bound to text a (may be NULL). */
static int scalar(sqlite3 *db, const char *sql, const char *a, long long *out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (a)
            sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static void add_np(tlf_ard *ard, const tlf_ard_key *key, long long n, long long denom)
{
    tlf_ard_add_int(ard, key, "n", NULL, n);
    tlf_ard_add_real(ard, key, "pct", NULL, denom > 0 ? 100.0 * (double)n / (double)denom : NAN);
}

/* The subjects' cause: fatal AE PT, earliest start, else NO_FATAL_AE. */
#define CAUSE_SQL                                                                             \
    "WITH d AS (SELECT s.USUBJID, COALESCE((SELECT a.AEDECOD FROM ADAE a WHERE a.USUBJID = "  \
    "s.USUBJID AND a.AEFATFL = 'Y' ORDER BY a.ASTDT IS NULL, a.ASTDT, a.AESEQ LIMIT 1), '"     \
    NO_FATAL_AE "') AS CAUSE, s.ARMCD FROM ADSL s WHERE s.DTHFL = 'Y' AND "                    \
    "(s.SAFFL = 'Y' OR s.HCFL = 'Y')) "

int analysis_deaths(const analysis_ctx *ctx, tlf_err *err)
{
    sqlite3 *db = ctx->adam;
    long long denom[N_ARMS];
    char **causes = NULL;
    size_t n_causes = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    const arm_def ARMS[N_ARMS] = {{arm_code(ctx, TLF_ARM_TREATED), "SAF", "SAFFL"},
                                  {arm_code(ctx, TLF_ARM_CONTROL), arm_control_set(ctx), "HCFL"}};
    const int lm = ctx->study->landmark_day;
    if (sqlite3_prepare_v2(db, CAUSE_SQL "SELECT CAUSE, COUNT(*) c FROM d GROUP BY CAUSE "
                                         "ORDER BY c DESC, CAUSE", -1, &st, NULL) != SQLITE_OK) {
        rc = deaths_fail(err, db, "causes of death");
        goto done;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(causes, cap, n_causes + 1);
        causes[n_causes++] = xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    if (step != SQLITE_DONE) {
        rc = deaths_fail(err, db, "causes of death");
        goto done;
    }
    for (size_t a = 0; a < N_ARMS && rc == TLF_OK; a++) {
        const arm_def *arm = &ARMS[a];
        tlf_ard_key key = {"14.3.2.2", "deaths", arm->population, "ARMCD", arm->armcd, "", NULL};
        char *base = xasprintf("SELECT COUNT(*) FROM ADSL WHERE %s = 'Y'", arm->flag);
        char *sd = xasprintf("%s AND DTHFL = 'Y'", base);
        char *sw = xasprintf("%s AND DTHFL = 'Y' AND DTHDY <= %d", base, lm);
        char *sa = xasprintf("%s AND DTHFL = 'Y' AND (DTHDY > %d OR DTHDY IS NULL)", base, lm);
        char *sc = xasprintf(CAUSE_SQL "SELECT COUNT(*) FROM d JOIN ADSL s USING (USUBJID) "
                             "WHERE s.%s = 'Y' AND d.CAUSE = ?1", arm->flag);
        long long nd = 0, nw = 0, na = 0;
        if (scalar(db, base, NULL, &denom[a]) || scalar(db, sd, NULL, &nd) ||
            scalar(db, sw, NULL, &nw) || scalar(db, sa, NULL, &na)) {
            rc = deaths_fail(err, db, "counting deaths");
        } else {
            tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom[a]);
            key.variable = "DTHFL";
            add_np(ctx->ard, &key, nd, denom[a]);
            key.variable = "DTHW52";
            add_np(ctx->ard, &key, nw, denom[a]);
            key.variable = "DTHA52";
            add_np(ctx->ard, &key, na, denom[a]);
            key.variable = "DTHCAUS";
            for (size_t c = 0; c < n_causes && rc == TLF_OK; c++) {
                long long nc = 0;
                if (scalar(db, sc, causes[c], &nc)) {
                    rc = deaths_fail(err, db, "counting causes of death");
                    break;
                }
                key.variable_level = causes[c];
                add_np(ctx->ard, &key, nc, denom[a]);
            }
        }
        free(base);
        free(sd);
        free(sw);
        free(sa);
        free(sc);
    }
done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n_causes; i++)
        free(causes[i]);
    free(causes);
    return rc;
}
