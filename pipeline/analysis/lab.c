/*
 * lab.c - laboratory safety tables: values and change from baseline by
 * visit (14.3.4.1, analysis `lab`) and shift from baseline to the worst
 * post-baseline value per direction (14.3.4.2, analysis `lab_shift`).
 *
 * Stage: ARD. Reads ADSL (SAFFL) and ADLB (PARAMCD, AVAL, CHG, AVISIT,
 * AVISITN, ABLFL, ANL01FL, ADY, ANRIND, BNRIND) of the Safety Analysis Set.
 * sap.md section 4 ("continuous"; "laboratory shift: baseline LBNRIND vs the
 * worst post-baseline value, the one furthest outside the range, per
 * direction"); descriptive statistics by stats/describe (R type 2 quartiles).
 *
 * `lab`: per parameter and analysis visit (the baseline record, ABLFL = Y,
 * and the chosen record of each post-baseline window, ANL01FL = Y) the
 * records variable AVAL and (post-baseline) CHG, param
 * `PARAMCD=<cd>;visit=<AVISIT>`, stats n mean sd se median q1 q3 min max
 * (sd/se missing when n < 2). After the visits, stat `dp` (integer) under
 * variable AVAL and under variable CHG, param `PARAMCD=<cd>`: the decimal
 * places of the collected values, the maximum over the analysed AVAL
 * records of the parameter (all visits) of the digits after the point in
 * the %.15g text of AVAL, capped at 3 (stats/describe.h describe_decimals).
 * A property of the data, not a statistic: the templates show mean and
 * median with dp+1, SD/SE with dp+2, min and max with dp decimals (the
 * renderer finds it by the cell's selector with the `;visit=` part of the
 * param dropped, docs/templates.md).
 *
 * `lab_shift`: per parameter two shift tables, direction LOW and HIGH.
 * Post-baseline = every record after day 1 up to the landmark day (the analysis
 * period), scheduled or not. Worst in direction LOW: LOW when any such
 * record is LOW, else the category (NORMAL or HIGH) of the lowest value;
 * direction HIGH symmetrically (HIGH when any is HIGH, else the category of
 * the highest value). So a subject with both a low and a high value shows
 * as LOW in the LOW table and as HIGH in the HIGH table. MISSING: no
 * post-baseline record with a reference-range indicator (or no baseline).
 * Records: variable BNRIND, variable_level LOW/NORMAL/HIGH/MISSING/TOTAL,
 * param `PARAMCD=<cd>;direction=<LOW|HIGH>;post=<LOW|NORMAL|HIGH|MISSING>`
 * with stats n and pct (percent of the SAF N); the row totals carry the
 * param without `post`. The denominator: stat n, variable empty, param
 * `PARAMCD=<cd>`. Every SAF subject is in every shift table (a subject
 * without data in MISSING/MISSING), so the cells add up to N.
 */
#include "analysis/analysis.h"
#include "analysis/arms.h"
#include "core/buf.h"
#include "core/mem.h"
#include "stats/describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const CATS[] = {"LOW", "NORMAL", "HIGH", "MISSING"};
#define N_CATS 4

static int lab_fail(tlf_err *err, sqlite3 *db, const char *what)
{
    return tlf_err_set(err, TLF_EINTERNAL, "laboratory analysis: %s: %s", what,
                       sqlite3_errmsg(db));
}

/* The distinct PARAMCDs of the SAF's ADLB records, in PARAMCD order. */
static int paramcds(sqlite3 *db, char ***out, size_t *n, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT l.PARAMCD FROM ADLB l JOIN ADSL s ON s.USUBJID = "
                           "l.USUBJID WHERE s.SAFFL = 'Y' AND l.PARAMCD IS NOT NULL ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return lab_fail(err, db, "reading ADLB parameters");
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(*out, cap, *n + 1);
        (*out)[(*n)++] = xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? TLF_OK : lab_fail(err, db, "reading ADLB parameters");
}

static void free_strs(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/* Emit the describe statistics of x[0..n) under key/param. */
static void emit_describe(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                          const double *x, size_t n)
{
    describe_result d;
    describe(x, n, &d);
    tlf_ard_add_int(ard, key, "n", param, (long long)d.n);
    if (d.n == 0)
        return;
    const struct { const char *name; double v; } s[] = {
        {"mean", d.mean}, {"sd", d.sd}, {"se", d.se}, {"median", d.median},
        {"q1", d.q1}, {"q3", d.q3}, {"min", d.min}, {"max", d.max},
    };
    for (size_t i = 0; i < NELEM(s); i++)
        tlf_ard_add_real(ard, key, s[i].name, param, s[i].v);
}

/* Values and change by visit of one parameter. */
static int lab_by_visit(const analysis_ctx *ctx, const char *cd, tlf_err *err)
{
    sqlite3 *db = ctx->adam;
    sqlite3_stmt *vis = NULL, *val = NULL;
    double *x = NULL;
    size_t cap = 0;
    tlf_buf param = TLF_BUF_INIT;
    int rc = TLF_OK, dp = 0;
    const char *where = "FROM ADLB l JOIN ADSL s ON s.USUBJID = l.USUBJID WHERE s.SAFFL = 'Y' "
                        "AND l.PARAMCD = ?1 AND (l.ABLFL = 'Y' OR l.ANL01FL = 'Y') "
                        "AND l.AVISIT IS NOT NULL";
    /* the visits with data and every scheduled one (n 0 until reached) */
    char *sched = analysis_visit_schedule_sql(ctx, NULL, 0, 0);
    char *sv = xasprintf("SELECT AVISIT, MIN(v) FROM (SELECT l.AVISIT AS AVISIT, l.AVISITN AS v "
                         "%s%s) GROUP BY AVISIT ORDER BY 2, 1", where, sched);
    free(sched);
    char *sx = xasprintf("SELECT l.AVAL, l.CHG, l.ABLFL %s AND l.AVISIT = ?2", where);
    if (sqlite3_prepare_v2(db, sv, -1, &vis, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sx, -1, &val, NULL) != SQLITE_OK) {
        rc = lab_fail(err, db, "preparing the by-visit summary");
        goto done;
    }
    sqlite3_bind_text(vis, 1, cd, -1, SQLITE_TRANSIENT);
    int step;
    while ((step = sqlite3_step(vis)) == SQLITE_ROW && rc == TLF_OK) {
        const char *visit = (const char *)sqlite3_column_text(vis, 0);
        int is_base = sqlite3_column_type(vis, 1) != SQLITE_NULL && sqlite3_column_int(vis, 1) == 0;
        tlf_buf_reset(&param);
        tlf_param_add(&param, "PARAMCD", cd);
        tlf_param_add(&param, "visit", visit);
        for (int var = 0; var < 2; var++) {   /* 0 = AVAL, 1 = CHG */
            size_t n = 0;
            int base = is_base;
            sqlite3_reset(val);
            sqlite3_bind_text(val, 1, cd, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(val, 2, visit, -1, SQLITE_TRANSIENT);
            int s2;
            while ((s2 = sqlite3_step(val)) == SQLITE_ROW) {
                const unsigned char *bl = sqlite3_column_text(val, 2);
                base = base || (bl && strcmp((const char *)bl, "Y") == 0);
                if (sqlite3_column_type(val, var) == SQLITE_NULL)
                    continue;
                double v = sqlite3_column_double(val, var);
                if (!isfinite(v))
                    continue;
                XGROW(x, cap, n + 1);
                x[n++] = v;
            }
            if (s2 != SQLITE_DONE) {
                rc = lab_fail(err, db, "reading ADLB values");
                break;
            }
            if (var == 0) {
                int d = describe_max_decimals(x, n, 3);
                dp = d > dp ? d : dp;
            }
            if (var == 1 && base)
                break;   /* no change at baseline */
            tlf_ard_key key = {"14.3.4.1", "lab", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                               var ? "CHG" : "AVAL", NULL};
            emit_describe(ctx->ard, &key, tlf_buf_cstr(&param), x, n);
        }
    }
    if (rc == TLF_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = lab_fail(err, db, "reading ADLB visits");
    if (rc == TLF_OK) {
        tlf_buf_reset(&param);
        tlf_param_add(&param, "PARAMCD", cd);
        for (int var = 0; var < 2; var++) {
            tlf_ard_key key = {"14.3.4.1", "lab", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                               var ? "CHG" : "AVAL", NULL};
            tlf_ard_add_int(ctx->ard, &key, "dp", tlf_buf_cstr(&param), dp);
        }
    }
done:
    free(sv);
    free(sx);
    free(x);
    tlf_buf_free(&param);
    sqlite3_finalize(vis);
    sqlite3_finalize(val);
    return rc;
}

static int cat_index(const char *s)
{
    for (int i = 0; i < N_CATS - 1; i++)
        if (s && strcmp(s, CATS[i]) == 0)
            return i;
    return N_CATS - 1;
}

/* Shift tables (both directions) of one parameter. */
static int lab_shift(const analysis_ctx *ctx, const char *cd, long long denom, tlf_err *err)
{
    sqlite3 *db = ctx->adam;
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    /* per SAF subject: baseline category; any LOW/HIGH post-baseline; the
     * category of the lowest and of the highest post-baseline value */
    /* Each look-up goes straight to ADLB by subject and parameter (index
     * ADLB_SUBJ), so the table costs one indexed probe per subject. */
#define POST "FROM ADLB p WHERE p.USUBJID = s.USUBJID AND p.PARAMCD = ?1 " \
             "AND p.ADY BETWEEN 2 AND ?2 AND COALESCE(p.ABLFL, '') <> 'Y' " \
             "AND p.ANRIND IN ('LOW', 'NORMAL', 'HIGH')"
    const char *sql =
        "SELECT s.USUBJID, "
        " (SELECT b.ANRIND FROM ADLB b WHERE b.USUBJID = s.USUBJID AND b.PARAMCD = ?1 "
        "  AND b.ABLFL = 'Y' LIMIT 1), "
        " (SELECT MAX(p.ANRIND = 'LOW') " POST "), "
        " (SELECT MAX(p.ANRIND = 'HIGH') " POST "), "
        " (SELECT p.ANRIND " POST " AND p.AVAL IS NOT NULL ORDER BY p.AVAL ASC LIMIT 1), "
        " (SELECT p.ANRIND " POST " AND p.AVAL IS NOT NULL ORDER BY p.AVAL DESC LIMIT 1) "
        "FROM ADSL s WHERE s.SAFFL = 'Y' ORDER BY s.USUBJID";
#undef POST
    long long cnt[2][N_CATS][N_CATS];   /* direction, baseline, post */
    memset(cnt, 0, sizeof cnt);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return lab_fail(err, db, "preparing the shift table");
    sqlite3_bind_text(st, 1, cd, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, ctx->study->landmark_day);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int b = cat_index((const char *)sqlite3_column_text(st, 1));
        int any_low = sqlite3_column_int(st, 2), any_high = sqlite3_column_int(st, 3);
        int lo = cat_index((const char *)sqlite3_column_text(st, 4));
        int hi = cat_index((const char *)sqlite3_column_text(st, 5));
        /* no post-baseline category at all: MISSING in both directions */
        int has_post = sqlite3_column_type(st, 2) != SQLITE_NULL;
        cnt[0][b][!has_post ? 3 : any_low ? 0 : lo]++;
        cnt[1][b][!has_post ? 3 : any_high ? 2 : hi]++;
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return lab_fail(err, db, "reading the shift table");

    tlf_ard_key key = {"14.3.4.2", "lab_shift", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                       "", NULL};
    tlf_buf param = TLF_BUF_INIT;
    tlf_param_add(&param, "PARAMCD", cd);
    tlf_ard_add_int(ctx->ard, &key, "n", tlf_buf_cstr(&param), denom);
    key.variable = "BNRIND";
    for (int d = 0; d < 2; d++) {
        long long col_tot[N_CATS] = {0}, all = 0;
        for (int b = 0; b <= N_CATS; b++) {   /* b == N_CATS: the Total row */
            key.variable_level = b < N_CATS ? CATS[b] : "TOTAL";
            long long row_tot = 0;
            for (int p = 0; p <= N_CATS; p++) {
                long long v;
                if (p < N_CATS) {
                    v = b < N_CATS ? cnt[d][b][p] : col_tot[p];
                    if (b < N_CATS) {
                        col_tot[p] += v;
                        row_tot += v;
                    }
                } else {
                    v = b < N_CATS ? row_tot : all;
                    if (b < N_CATS)
                        all += row_tot;
                }
                tlf_buf_reset(&param);
                tlf_param_add(&param, "PARAMCD", cd);
                tlf_param_add(&param, "direction", d ? "HIGH" : "LOW");
                if (p < N_CATS)
                    tlf_param_add(&param, "post", CATS[p]);
                tlf_ard_add_int(ctx->ard, &key, "n", tlf_buf_cstr(&param), v);
                tlf_ard_add_real(ctx->ard, &key, "pct", tlf_buf_cstr(&param),
                                 denom > 0 ? 100.0 * (double)v / (double)denom : NAN);
            }
        }
    }
    tlf_buf_free(&param);
    return rc;
}

int analysis_lab(const analysis_ctx *ctx, tlf_err *err)
{
    char **cds = NULL;
    size_t n = 0;
    long long denom = 0;
    if (analysis_saf_n(ctx, &denom, err) != TLF_OK)
        return TLF_EINTERNAL;
    int rc = paramcds(ctx->adam, &cds, &n, err);
    tlf_ard_key key = {"14.3.4.1;14.3.4.2", "lab", "SAF", "ARMCD", arm_code(ctx, TLF_ARM_TREATED),
                       "", NULL};
    if (rc == TLF_OK)
        tlf_ard_add_int(ctx->ard, &key, "n", NULL, denom);
    for (size_t i = 0; rc == TLF_OK && i < n; i++)
        rc = lab_by_visit(ctx, cds[i], err);
    for (size_t i = 0; rc == TLF_OK && i < n; i++)
        rc = lab_shift(ctx, cds[i], denom, err);
    free_strs(cds, n);
    return rc;
}
