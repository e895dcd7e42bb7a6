/*
 * test_safety.c - safety outputs end to end on the default demo database
 * (issue 11): demo-db -> derive (with config/aesi.json) -> analyze ->
 * DATAISSUES written by db_check -> render every safety template; then
 *  - the key numbers in ard.csv and in `pdftotext` of the PDFs (serious
 *    TEAEs 11 (44.0%), the 4 opportunistic infections, Japanese verbatim
 *    terms in the AE listing, deaths, lab shift totals, the DI listing);
 *  - AE incidence per SOC and PT and the overview rows recomputed by this
 *    test's own SQL on the SDTM snapshot (TEAE rule of sap.md section 4,
 *    not via derive) and compared with ard.csv and the PDFs;
 *  - hand-made ADaM tables for the deaths and shift edge cases.
 */
#include "testutil.h"
#include "sdtm_builder.h"
#include "study/study.h"
#include "analysis/analysis.h"
#include "ard/ard.h"
#include "core/buf.h"
#include "core/mem.h"
#include "db/db.h"

#include <math.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    char *dir, *sdtm, *adam;
    tlf_ard *ard;
} fx;

static const char *const TEMPLATES[] = {
    "t14_3_1_1", "t14_3_1_2", "t14_3_1_3", "t14_3_1_4", "t14_3_2_1", "t14_3_2_2",
    "t14_3_2_3", "t14_3_4_1", "t14_3_4_2", "l16_2_7_1", "l16_2_7_2", "l16_2_8", "di",
};
#define N_TEMPLATES (sizeof TEMPLATES / sizeof TEMPLATES[0])

static void must(run_result r, const char *what)
{
    if (r.status != 0)
        fail_msg("%s: exit %d: %s", what, r.status, r.err);
    run_result_free(&r);
}

static void write_dataissues(const char *sdtm, const char *adam)
{
    sqlite3 *in = NULL, *out = NULL;
    db_findings f = DB_FINDINGS_INIT;
    tlf_err err;
    assert_int_equal(sqlite3_open_v2(sdtm, &in, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open(adam, &out), SQLITE_OK);
    tlf_study *chk_study = test_study();
    assert_int_equal(db_check(&f, in, NULL, chk_study, &err), TLF_OK);
    tlf_study_free(chk_study);
    assert_int_equal(db_findings_write_sqlite(&f, out, &err), TLF_OK);
    db_findings_free(&f);
    sqlite3_close(in);
    sqlite3_close(out);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir("safety");
    f->sdtm = xasprintf("%s/demo.sqlite", f->dir);
    f->adam = xasprintf("%s/adam.sqlite", f->dir);
    char *aesi = test_source_path("config/aesi.json");
    must(run_tlfgen("demo-db --out '%s'", f->sdtm), "demo-db");
    must(run_tlfgen("derive --db '%s' --out '%s' --aesi '%s'", f->sdtm, f->adam, aesi), "derive");
    must(run_tlfgen("analyze --adam '%s' --out '%s/ard.csv'", f->adam, f->dir), "analyze");
    write_dataissues(f->sdtm, f->adam);
    for (size_t i = 0; i < N_TEMPLATES; i++) {
        char *tpl = xasprintf("templates/%s.json", TEMPLATES[i]);
        char *path = test_source_path(tpl);
        must(run_tlfgen("render --template '%s' --ard '%s/ard.csv' --adam '%s' "
                        "--db-status 'HARD LOCK' --out '%s/%s.pdf'", path, f->dir, f->adam, f->dir, TEMPLATES[i]),
             TEMPLATES[i]);
        free(tpl);
        free(path);
    }
    free(aesi);
    char *ard = xasprintf("%s/ard.csv", f->dir);
    tlf_err err;
    assert_int_equal(tlf_ard_read(&f->ard, ard, &err), TLF_OK);
    free(ard);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tlf_ard_free(f->ard);
    free(f->dir);
    free(f->sdtm);
    free(f->adam);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static double ard_get(const fx *f, const char *aid, const char *var, const char *level,
                      const char *stat, const char *param)
{
    tlf_ard_query q = {.analysis_id = aid, .variable = var, .variable_level = level,
                       .stat_name = stat, .param = param};
    const tlf_ard_row *r = tlf_ard_find(f->ard, &q);
    if (!r)
        fail_msg("no ARD record %s/%s/%s/%s/%s", aid, var, level, stat, param ? param : "*");
    return r->value;
}

/* pdftotext of one output. layout: 0 reading order, 1 -layout (columns
 * on one line), 2 -raw (content stream order: a
 * listing cell's wrapped lines stay together, not interleaved with the
 * next column's) */
static char *pdf_text(const fx *f, const char *name, int layout)
{
    run_result r = run_sh("pdftotext %s '%s/%s.pdf' -",
                          layout == 1 ? "-layout" : layout == 2 ? "-raw" : "", f->dir, name);
    if (r.status != 0)
        fail_msg("pdftotext %s: %s", name, r.err);
    char *out = r.out;
    r.out = NULL;
    run_result_free(&r);
    return out;
}

/* Whether the text has a line holding label followed (after spaces) by value. */
static int line_has(const char *text, const char *label, const char *value)
{
    for (const char *p = text; (p = strstr(p, label)) != NULL; p++) {
        const char *q = p + strlen(label);
        /* the label must end there (not a prefix of a longer label) */
        if (*q != ' ')
            continue;
        while (*q == ' ')
            q++;
        if (strncmp(q, value, strlen(value)) == 0)
            return 1;
    }
    return 0;
}

/* The text without any white space (for wrapped listing cells). */
static char *squeeze(const char *s)
{
    char *o = xmalloc(strlen(s) + 1), *w = o;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\f')
            *w++ = *s;
    *w = '\0';
    return o;
}

static void n_pct(char *out, size_t sz, long long n, long long denom)
{
    /* N = 25: every percentage is a multiple of 4, no rounding tie */
    snprintf(out, sz, "%lld (%.1f)", n, 100.0 * (double)n / (double)denom);
}

/* ---- key numbers of the issue ---- */

static void test_serious_44pct(void **state)
{
    fx *f = *state;
    assert_true(ard_get(f, "ae_ser", "", "", "n", NULL) == 25);
    assert_true(ard_get(f, "ae_ser", "", "", "n_subj", "") == 11);
    assert_true(fabs(ard_get(f, "ae_ser", "", "", "pct", "") - 44.0) < 1e-12);
    assert_true(ard_get(f, "ae_overview", "AESERFL", "", "n_subj", "") == 11);
    char *t = pdf_text(f, "t14_3_2_1", 1);
    assert_true(line_has(t, "Any serious TEAE", "11 (44.0)"));
    assert_non_null(strstr(t, "TAC (N=25)"));
    free(t);
    t = pdf_text(f, "t14_3_1_1", 1);
    assert_true(line_has(t, "Serious TEAE", "11 (44.0)"));
    free(t);
}

static void test_aesi_opportunistic(void **state)
{
    fx *f = *state;
    const char *oi[] = {"Cytomegalovirus infection", "Pneumocystis jirovecii pneumonia",
                        "Herpes zoster", "Aspergillus infection"};
    char *t = pdf_text(f, "t14_3_2_3", 1);
    for (size_t i = 0; i < 4; i++) {
        assert_true(ard_get(f, "ae_aesi", "AEDECOD", oi[i], "n_subj",
                            "AESICAT=OPPORTUNISTIC INFECTION") == 1);
        assert_true(line_has(t, oi[i], "1 (4.0)"));
    }
    assert_non_null(strstr(t, "OPPORTUNISTIC INFECTION"));
    /* the footnote's MedDRA version is the config's */
    char *path = test_source_path("config/aesi.json");
    char *cfg = test_read_file(path, NULL);
    assert_non_null(strstr(cfg, "\"meddra_version\": \"26.1\""));
    /* the footnote may wrap between the words (10 pt): compare with every
     * run of white space as one blank */
    char *flat = strdup(t), *o = flat;
    for (const char *q = t; *q; q++)
        if (!isspace((unsigned char)*q) || (o > flat && o[-1] != ' '))
            *o++ = isspace((unsigned char)*q) ? ' ' : *q;
    *o = '\0';
    assert_non_null(strstr(flat, "MedDRA version 26.1"));
    free(flat);
    free(cfg);
    free(path);
    free(t);
}

static void test_ae_listing_japanese(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *t = pdf_text(f, "l16_2_7_1", 2);
    char *sq = squeeze(t);
    assert_int_equal(sqlite3_open_v2(f->adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT DISTINCT AETERM FROM ADAE WHERE SAFFL = 'Y' "
                                            "AND AETERM GLOB '*[^ -~]*'", -1, &st, NULL),
                     SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *term = squeeze((const char *)sqlite3_column_text(st, 0));
        if (!strstr(sq, term))
            fail_msg("AE listing lacks the verbatim term '%s'", term);
        free(term);
        n++;
    }
    assert_true(n >= 5);
    assert_non_null(strstr(sq, "サイトメガロウイルス感染"));
    assert_non_null(strstr(t, "(continued)"));   /* a subject continued on the next page */
    assert_non_null(strstr(sq, "[D]"));           /* an imputed start day */
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(sq);
    free(t);
}

static void test_deaths_and_shift(void **state)
{
    fx *f = *state;
    tlf_ard_query q = {.analysis_id = "deaths", .group_level = "HC", .variable = "DTHFL",
                       .stat_name = "n"};
    const tlf_ard_row *r = tlf_ard_find(f->ard, &q);
    assert_non_null(r);
    assert_true(r->value == 1);
    q.group_level = "TAC";
    assert_true(tlf_ard_find(f->ard, &q)->value == 3);
    char *t = pdf_text(f, "t14_3_2_2", 1);
    assert_true(line_has(t, "Subjects who died, n (%)", "3 (12.0)"));
    assert_non_null(strstr(t, "Pneumocystis jirovecii pneumonia"));
    /* the HC's "No fatal AE recorded" comes after every preferred term */
    const char *none = strstr(t, "No fatal AE recorded");
    assert_non_null(none);
    assert_true(strstr(t, "Respiratory failure") < none);
    assert_true(strstr(t, "Pneumocystis jirovecii pneumonia") < none);
    assert_true(strstr(t, "Interstitial lung disease") < none);
    free(t);
    /* every shift table adds up to the SAF N */
    assert_true(ard_get(f, "lab_shift", "BNRIND", "TOTAL", "n", "PARAMCD=CREAT;direction=HIGH") ==
                25);
    t = pdf_text(f, "t14_3_4_2", 1);
    /* one block per parameter: its head, then the low and high directions */
    const char *cr = strstr(t, "Creatinine (mg/dL)");
    assert_non_null(cr);
    assert_non_null(strstr(cr, "Worst high post-baseline value"));
    free(t);
    /* abnormal values listed with the result as recorded (AVALC = LBORRES):
     * the first record of the listing's order is on its first line */
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT PARAM, ADT, AVALC, ANRIND FROM ADLB WHERE "
                                            "SAFFL = 'Y' AND ANRIND IN ('LOW', 'HIGH') ORDER BY "
                                            "USUBJID, PARAMCD, ADT, SRCSEQ LIMIT 1", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    t = pdf_text(f, "l16_2_8", 1);
    const char *want[4];
    for (int i = 0; i < 4; i++)
        want[i] = (const char *)sqlite3_column_text(st, i);
    const char *p = strstr(t, want[0]);
    assert_non_null(p);
    const char *eol = strchr(p, '\n');
    for (int i = 1; i < 4; i++) {
        p = strstr(p, want[i]);
        assert_true(p && p < eol);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(t);
}

/* Decimals per parameter (dp): CK is collected as integers, creatinine with
 * 2 decimals, so the mean shows 1 and 3 decimals, the SD 2 and 4, min/max
 * 0 and 2 (14.3.4.1). */
static void test_lab_decimals(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    long long cnt[3] = {0};
    const char *sql[3] = {
        /* CK: a value with decimals; creatinine: one with 2, one with more */
        "SELECT COUNT(*) FROM ADLB WHERE PARAMCD = 'CK' AND AVAL <> ROUND(AVAL)",
        "SELECT COUNT(*) FROM ADLB WHERE PARAMCD = 'CREAT' AND AVAL * 10 <> ROUND(AVAL * 10, 6)",
        "SELECT COUNT(*) FROM ADLB WHERE PARAMCD = 'CREAT' AND "
        "ABS(AVAL * 100 - ROUND(AVAL * 100)) > 1e-6",
    };
    assert_int_equal(sqlite3_open_v2(f->adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql[i], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        cnt[i] = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    assert_true(cnt[0] == 0 && cnt[1] > 0 && cnt[2] == 0);
    assert_true(ard_get(f, "lab", "AVAL", "", "dp", "PARAMCD=CK") == 0);
    assert_true(ard_get(f, "lab", "CHG", "", "dp", "PARAMCD=CK") == 0);
    assert_true(ard_get(f, "lab", "AVAL", "", "dp", "PARAMCD=CREAT") == 2);

    char *t = pdf_text(f, "t14_3_4_1", 1);
    const struct { const char *cd, *head; int dp; } P[] = {
        {"CK", "Creatine Kinase (U/L)", 0}, {"CREAT", "Creatinine (mg/dL)", 2},
    };
    for (int i = 0; i < 2; i++) {
        char param[64], want[128];
        snprintf(param, sizeof param, "PARAMCD=%s;visit=BASELINE", P[i].cd);
        double mean = ard_get(f, "lab", "AVAL", "", "mean", param);
        double sd = ard_get(f, "lab", "AVAL", "", "sd", param);
        double med = ard_get(f, "lab", "AVAL", "", "median", param);
        double lo = ard_get(f, "lab", "AVAL", "", "min", param);
        double hi = ard_get(f, "lab", "AVAL", "", "max", param);
        int d = P[i].dp;
        snprintf(want, sizeof want, "%.*f (%.*f)", d + 1, mean, d + 2, sd);
        const char *sec = strstr(t, P[i].head);
        assert_non_null(sec);
        /* the parameter's baseline line: mean (SD), median, min, max */
        const char *line = strstr(sec, "Baseline");
        assert_non_null(line);
        const char *eol = strchr(line, '\n');
        const char *p = strstr(line, want);
        if (!p || p > eol)
            fail_msg("%s baseline: no '%s' in\n%.200s", P[i].cd, want, line);
        snprintf(want, sizeof want, "%.*f", d + 1, med);
        p = strstr(line, want);
        assert_true(p && p < eol);
        snprintf(want, sizeof want, "%.*f, %.*f", d, lo, d, hi);
        p = strstr(line, want);
        assert_true(p && p < eol);
    }
    free(t);
}

static void test_di_listing(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->adam, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*), COALESCE(MIN(RULE), '') FROM "
                                            "DATAISSUES", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    char *rule = xstrdup((const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
    char *t = pdf_text(f, "di", 0);
    assert_non_null(strstr(t, "Listing DI"));
    if (n > 0)
        assert_non_null(strstr(t, rule));
    free(rule);
    free(t);
}

/* ---- independent recomputation by SQL on the SDTM snapshot ---- */

/* TEAEs of the safety set by sap.md sections 1, 2 and 4, written here
 * without derive: TRTSDT/TRTEDT from dosed tacrolimus EX rows (TRTEDT the
 * latest end, the cut-off when ongoing, at most the cut-off); AE start
 * imputed (missing day -> 1st, or day 1 when day 1 is in that month;
 * missing month -> 1 January, or day 1 in that year), end imputed to the
 * end of the month/year; AEs starting after the cut-off left out; TEAE =
 * start from TRTSDT to TRTEDT + 28, or a missing start unless the end is
 * before TRTSDT. */
static const char TEAE_SQL[] =
    "WITH cut AS (SELECT substr(CUTOFFDTC, 1, 10) c FROM DBSTATUS), "
    "trt AS (SELECT e.USUBJID, MIN(substr(e.EXSTDTC, 1, 10)) ts, "
    "  MIN(MAX(COALESCE(NULLIF(substr(e.EXENDTC, 1, 10), ''), (SELECT c FROM cut))), "
    "      (SELECT c FROM cut)) te "
    "  FROM EX e JOIN DM d ON d.USUBJID = e.USUBJID "
    "  WHERE d.ARMCD = 'TAC' AND e.EXTRT = 'TACROLIMUS' AND e.EXDOSE > 0 GROUP BY e.USUBJID), "
    "aes AS (SELECT a.*, t.ts, t.te, substr(d.RFSTDTC, 1, 10) day1, "
    "  CASE WHEN length(a.AESTDTC) >= 10 THEN substr(a.AESTDTC, 1, 10) "
    "       WHEN length(a.AESTDTC) = 7 THEN CASE WHEN substr(d.RFSTDTC, 1, 7) = a.AESTDTC "
    "            THEN substr(d.RFSTDTC, 1, 10) ELSE a.AESTDTC || '-01' END "
    "       WHEN length(a.AESTDTC) = 4 THEN CASE WHEN substr(d.RFSTDTC, 1, 4) = a.AESTDTC "
    "            THEN substr(d.RFSTDTC, 1, 10) ELSE a.AESTDTC || '-01-01' END END ast, "
    "  CASE WHEN length(a.AESTDTC) >= 10 THEN substr(a.AESTDTC, 1, 10) "
    "       WHEN length(a.AESTDTC) = 7 THEN a.AESTDTC || '-01' "
    "       WHEN length(a.AESTDTC) = 4 THEN a.AESTDTC || '-01-01' END early, "
    "  CASE WHEN length(a.AEENDTC) >= 10 THEN substr(a.AEENDTC, 1, 10) "
    "       WHEN length(a.AEENDTC) = 7 THEN date(a.AEENDTC || '-01', '+1 month', '-1 day') "
    "       WHEN length(a.AEENDTC) = 4 THEN a.AEENDTC || '-12-31' END aen "
    "  FROM AE a JOIN DM d ON d.USUBJID = a.USUBJID JOIN trt t ON t.USUBJID = a.USUBJID), "
    "teae AS (SELECT * FROM aes WHERE (early IS NULL OR early <= (SELECT c FROM cut)) AND "
    "  ((ast IS NOT NULL AND ast >= ts AND ast <= date(te, '+28 days')) OR "
    "   (ast IS NULL AND (aen IS NULL OR aen >= ts)))) ";

typedef struct sql_count {
    long long n_subj, n_event;
} sql_count;

static sql_count sql_counts(sqlite3 *db, const char *tail, const char *a, const char *b)
{
    sqlite3_stmt *st = NULL;
    char *sql = xasprintf("%sSELECT COUNT(DISTINCT USUBJID), COUNT(*) FROM teae %s", TEAE_SQL,
                          tail);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s (SQL: %s)", sqlite3_errmsg(db), tail);
    if (a)
        sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sql_count c = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
    sqlite3_finalize(st);
    free(sql);
    return c;
}

/* One row compared: ARD n_subj/pct/n_event and the PDF line. */
static void compare_row(const fx *f, const char *text, const char *aid, const char *var,
                        const char *level, const char *param, const char *label, sql_count c,
                        long long denom)
{
    double ns = ard_get(f, aid, var, level, "n_subj", param);
    double ne = ard_get(f, aid, var, level, "n_event", param);
    double pct = ard_get(f, aid, var, level, "pct", param);
    if (ns != (double)c.n_subj || ne != (double)c.n_event ||
        fabs(pct - 100.0 * (double)c.n_subj / (double)denom) > 1e-9)
        fail_msg("%s %s '%s': ARD %g subjects %g events, SQL %lld, %lld", aid, var, level, ns, ne,
                 c.n_subj, c.n_event);
    if (!text)
        return;
    char np[64], ev[32];
    n_pct(np, sizeof np, c.n_subj, denom);
    snprintf(ev, sizeof ev, "%lld", c.n_event);
    int found = 0;
    for (const char *p = text; !found && (p = strstr(p, label)) != NULL; p++) {
        const char *q = p + strlen(label);
        if (*q != ' ')
            continue;
        while (*q == ' ')
            q++;
        if (strncmp(q, np, strlen(np)) != 0)
            continue;
        q += strlen(np);
        while (*q == ' ')
            q++;
        found = strncmp(q, ev, strlen(ev)) == 0 && (q[strlen(ev)] == '\n' || q[strlen(ev)] == ' ');
    }
    if (!found)
        fail_msg("%s: no line '%s  %s  %s' in the PDF", aid, label, np, ev);
}

static void test_sql_recompute(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f->sdtm, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    /* SAF N: TAC subjects with a dosed tacrolimus row */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(DISTINCT e.USUBJID) FROM EX e JOIN DM d "
                                            "ON d.USUBJID = e.USUBJID WHERE d.ARMCD = 'TAC' AND "
                                            "e.EXTRT = 'TACROLIMUS' AND e.EXDOSE > 0", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long denom = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_true(ard_get(f, "ae_teae", "", "", "n", NULL) == (double)denom);

    /* overview rows */
    char *t = pdf_text(f, "t14_3_1_1", 1);
    const struct { const char *var, *label, *where; } ov[] = {
        {"TRTEMFL", "Any TEAE", ""},
        {"AERELFL", "Related TEAE [a]",
         "WHERE COALESCE(AEREL, '') IN ('', 'RELATED', 'POSSIBLY RELATED')"},
        {"AESERFL", "Serious TEAE", "WHERE AESER = 'Y'"},
        {"AEGR3FL", "Grade 3 or higher TEAE", "WHERE AETOXGR IN ('3', '4', '5')"},
        {"AEWDFL", "TEAE leading to tacrolimus withdrawal", "WHERE AEACN = 'DRUG WITHDRAWN'"},
        {"AEFATFL", "Fatal TEAE [b]", "WHERE AEOUT = 'FATAL' OR AETOXGR = '5'"},
    };
    for (size_t i = 0; i < sizeof ov / sizeof ov[0]; i++)
        compare_row(f, t, "ae_overview", ov[i].var, "", "", ov[i].label,
                    sql_counts(db, ov[i].where, NULL, NULL), denom);
    free(t);

    /* every SOC and PT of 14.3.1.2, both ways (the ARD has no other rows) */
    t = pdf_text(f, "t14_3_1_2", 1);
    compare_row(f, t, "ae_teae", "", "", "", "Any TEAE", sql_counts(db, "", NULL, NULL), denom);
    char *sql = xasprintf("%sSELECT DISTINCT AEBODSYS, AEDECOD FROM teae ORDER BY 1, 2", TEAE_SQL);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    size_t n_pt = 0, n_soc = 0;
    char *last_soc = xstrdup("");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *soc = (const char *)sqlite3_column_text(st, 0);
        const char *pt = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(soc, last_soc) != 0) {
            compare_row(f, t, "ae_teae", "AEBODSYS", soc, "", soc,
                        sql_counts(db, "WHERE AEBODSYS = ?1", soc, NULL), denom);
            free(last_soc);
            last_soc = xstrdup(soc);
            n_soc++;
        }
        tlf_buf param = TLF_BUF_INIT;
        tlf_param_add(&param, "AEBODSYS", soc);
        compare_row(f, t, "ae_teae", "AEDECOD", pt, tlf_buf_cstr(&param), pt,
                    sql_counts(db, "WHERE AEBODSYS = ?1 AND AEDECOD = ?2", soc, pt), denom);
        tlf_buf_free(&param);
        n_pt++;
    }
    sqlite3_finalize(st);
    free(sql);
    free(last_soc);
    size_t ard_soc = 0, ard_pt = 0;
    for (size_t i = 0; i < f->ard->n; i++) {
        const tlf_ard_row *r = &f->ard->rows[i];
        if (strcmp(r->analysis_id, "ae_teae") != 0 || strcmp(r->stat_name, "n_subj") != 0)
            continue;
        ard_soc += strcmp(r->variable, "AEBODSYS") == 0;
        ard_pt += strcmp(r->variable, "AEDECOD") == 0;
    }
    assert_true(n_soc > 5 && n_pt > 15);
    assert_int_equal(ard_soc, n_soc);
    assert_int_equal(ard_pt, n_pt);
    free(t);
    sqlite3_close(db);
}

/* ---- hand-made ADaM edge cases ---- */

static double mem_get(const tlf_ard *ard, const char *aid, const char *level, const char *var,
                      const char *stat, const char *param, const char *group_level)
{
    tlf_ard_query q = {.analysis_id = aid, .group_level = group_level, .variable = var,
                       .variable_level = level, .stat_name = stat, .param = param};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("no ARD record %s/%s/%s/%s/%s", aid, var, level, stat, param ? param : "*");
    return r->value;
}

static void test_edge_cases(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADSL(USUBJID TEXT, ARMCD TEXT, SAFFL TEXT, HCFL TEXT, DTHFL TEXT, DTHDY INTEGER);"
        "INSERT INTO ADSL VALUES('S1','TAC','Y','N','Y',400),('S2','TAC','Y','N','Y',100),"
        "('S3','TAC','Y','N','',NULL),('S4','TAC','Y','N','',NULL),('H1','HC','N','Y','Y',20);"
        "CREATE TABLE ADAE(USUBJID TEXT, AESEQ INTEGER, ASTDT TEXT, AEBODSYS TEXT, AEDECOD TEXT,"
        " AETOXGR TEXT, ATOXGRN INTEGER, TRTEMFL TEXT, AERELFL TEXT, AESERFL TEXT, AEWDFL TEXT,"
        " AEFATFL TEXT, AESICAT TEXT);"
        /* S2 died of its later fatal AE; S1 has no fatal AE; S3's AE is not coded yet */
        "INSERT INTO ADAE VALUES('S2',2,'2014-02-01','Cardiac disorders','Cardiac arrest','5',5,"
        " 'Y','N','Y','','Y',''),('S2',1,'2014-01-01','Infections and infestations','Sepsis','5',5,"
        " 'Y','N','Y','','Y',''),('S3',1,'2014-01-01',NULL,'','2',2,'Y','N','N','','','');"
        "CREATE TABLE ADLB(USUBJID TEXT, PARAMCD TEXT, AVAL REAL, ADY INTEGER, ABLFL TEXT,"
        " ANL01FL TEXT, AVISIT TEXT, AVISITN INTEGER, CHG REAL, ANRIND TEXT, BNRIND TEXT,"
        " PARAM TEXT, AVALU TEXT);"
        /* S1 normal at baseline, low and high afterwards; S2 high at baseline, only normal
         * values after; S3 baseline only; S4 no data; a day-400 value is outside the period */
        "INSERT INTO ADLB(USUBJID, PARAMCD, AVAL, ADY, ABLFL, ANL01FL, AVISIT, AVISITN, CHG,"
        " ANRIND, BNRIND) VALUES('S1','K',4.0,1,'Y','','BASELINE',0,NULL,'NORMAL','NORMAL'),"
        "('S1','K',3.0,15,'','Y','WEEK 2',2,-1.0,'LOW','NORMAL'),"
        "('S1','K',6.0,29,'','Y','WEEK 4',4,2.0,'HIGH','NORMAL'),"
        "('S2','K',6.0,1,'Y','','BASELINE',0,NULL,'HIGH','HIGH'),"
        "('S2','K',4.5,15,'','Y','WEEK 2',2,-1.5,'NORMAL','HIGH'),"
        "('S2','K',2.0,400,'','','',NULL,-4.0,'LOW','HIGH'),"
        "('S3','K',4.0,1,'Y','','BASELINE',0,NULL,'NORMAL','NORMAL');";
    sqlite3 *db = db_with(sql);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_deaths(&ctx, &err), TLF_OK);
    assert_int_equal(analysis_lab(&ctx, &err), TLF_OK);
    assert_int_equal(analysis_ae(&ctx, &err), TLF_OK);

    /* deaths: after week 52 counted apart; cause = the earliest fatal AE */
    assert_true(mem_get(ard, "deaths", "", "DTHFL", "n", NULL, "TAC") == 2);
    assert_true(mem_get(ard, "deaths", "", "DTHW52", "n", NULL, "TAC") == 1);
    assert_true(mem_get(ard, "deaths", "", "DTHA52", "n", NULL, "TAC") == 1);
    assert_true(mem_get(ard, "deaths", "Sepsis", "DTHCAUS", "n", NULL, "TAC") == 1);
    tlf_ard_query cq = {.analysis_id = "deaths", .variable_level = "Cardiac arrest"};
    assert_null(tlf_ard_find(ard, &cq));   /* nobody's cause: no row */
    assert_true(mem_get(ard, "deaths", "No fatal AE recorded", "DTHCAUS", "n", NULL, "TAC") == 1);
    assert_true(mem_get(ard, "deaths", "No fatal AE recorded", "DTHCAUS", "n", NULL, "HC") == 1);
    assert_true(fabs(mem_get(ard, "deaths", "", "DTHFL", "pct", NULL, "HC") - 100.0) < 1e-12);

    /* shift: S1 LOW in the low table and HIGH in the high table */
    const char *lo = "PARAMCD=K;direction=LOW;post=", *hi = "PARAMCD=K;direction=HIGH;post=";
    char p[96];
#define SHIFT(dir, base, post) \
    (snprintf(p, sizeof p, "%s%s", dir, post), mem_get(ard, "lab_shift", base, "BNRIND", "n", p, NULL))
    assert_true(SHIFT(lo, "NORMAL", "LOW") == 1);
    assert_true(SHIFT(hi, "NORMAL", "HIGH") == 1);
    /* S2: high at baseline, normal after; the day-400 LOW is outside the period */
    assert_true(SHIFT(lo, "HIGH", "NORMAL") == 1);
    assert_true(SHIFT(hi, "HIGH", "NORMAL") == 1);
    /* S3 baseline only, S4 nothing: missing post-baseline */
    assert_true(SHIFT(lo, "NORMAL", "MISSING") == 1);
    assert_true(SHIFT(lo, "MISSING", "MISSING") == 1);
    assert_true(SHIFT(lo, "TOTAL", "MISSING") == 2);
#undef SHIFT
    assert_true(mem_get(ard, "lab_shift", "TOTAL", "BNRIND", "n", "PARAMCD=K;direction=LOW",
                        NULL) == 4);
    /* by visit: change only after baseline; SD missing with one value */
    assert_true(mem_get(ard, "lab", "", "AVAL", "n", "PARAMCD=K;visit=BASELINE", NULL) == 3);
    assert_true(mem_get(ard, "lab", "", "CHG", "mean", "PARAMCD=K;visit=WEEK 2", NULL) == -1.25);
    tlf_ard_query q = {.analysis_id = "lab", .variable = "CHG", .param = "PARAMCD=K;visit=BASELINE"};
    assert_null(tlf_ard_find(ard, &q));
    q = (tlf_ard_query){.analysis_id = "lab", .variable = "AVAL", .stat_name = "sd",
                        .param = "PARAMCD=K;visit=WEEK 4"};
    assert_int_equal(tlf_ard_find(ard, &q)->kind, TLF_VAL_MISSING);

    /* an AE without SOC/PT is counted under "Uncoded", not an empty label */
    assert_true(mem_get(ard, "ae_teae", "Uncoded", "AEBODSYS", "n_subj", "", NULL) == 1);
    assert_true(mem_get(ard, "ae_teae", "Uncoded", "AEDECOD", "n_subj", "AEBODSYS=Uncoded", NULL) == 1);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serious_44pct),
        cmocka_unit_test(test_aesi_opportunistic),
        cmocka_unit_test(test_ae_listing_japanese),
        cmocka_unit_test(test_deaths_and_shift),
        cmocka_unit_test(test_lab_decimals),
        cmocka_unit_test(test_di_listing),
        cmocka_unit_test(test_sql_recompute),
    };
    const struct CMUnitTest edge[] = {
        cmocka_unit_test(test_edge_cases),
    };
    int rc = cmocka_run_group_tests_name("edge cases", edge, NULL, NULL);
    return rc + cmocka_run_group_tests_name("demo database", tests, setup, teardown);
}
