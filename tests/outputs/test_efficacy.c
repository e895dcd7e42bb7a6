/* test_efficacy.c - efficacy outputs 14.2.1.1-14.2.6.1 and listing 16.2.6:
 * the demo database's published numbers, an independent recomputation
 * (SQL on the SDTM database per sap.md section 3 + the statistics module)
 * on a demo database with another seed, and not-estimable edge cases. */
#include "testutil.h"
#include "sdtm_builder.h"
#include "study/study.h"
#include "analysis/analysis.h"
#include "layout/format.h"
#include "stats/km.h"

#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TEMPLATES[] = {"t14_2_1_1", "t14_2_1_2", "t14_2_1_3", "t14_2_2_1",
                                        "t14_2_3_1", "t14_2_4_1", "t14_2_5_1", "t14_2_6_1",
                                        "l16_2_6", "f14_2_1_1", "f14_2_2_1", "f14_2_5_1"};

/* demo-db (extra args), derive, analyze, render every efficacy template;
 * returns the folder (caller frees). */
static char *pipeline(const char *tag, const char *demo_args)
{
    char *dir = test_tmpdir(tag);
    run_result r = run_tlfgen("demo-db %s --out '%s/sdtm.sqlite'", demo_args, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("derive --db '%s/sdtm.sqlite' --out '%s/adam.sqlite'", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("analyze --adam '%s/adam.sqlite' --out '%s/ard.csv'", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    for (size_t i = 0; i < sizeof TEMPLATES / sizeof TEMPLATES[0]; i++) {
        char *tpl_rel = NULL;
        char rel[64];
        snprintf(rel, sizeof rel, "templates/%s.json", TEMPLATES[i]);
        tpl_rel = test_source_path(rel);
        r = run_tlfgen("render --template '%s' --ard '%s/ard.csv' --adam '%s/adam.sqlite' "
                       "--db-status 'HARD LOCK' --out '%s/%s.pdf'", tpl_rel, dir, dir, dir, TEMPLATES[i]);
        if (r.status != 0)
            fail_msg("render %s: %s", TEMPLATES[i], r.err);
        run_result_free(&r);
        free(tpl_rel);
    }
    return dir;
}

static char *pdf_text(const char *dir, const char *name)
{
    run_result r = run_sh("pdftotext -layout '%s/%s.pdf' -", dir, name);
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

/* The line of text that starts (after spaces) with label. */
static const char *line_of(const char *text, const char *label)
{
    const char *p = strstr(text, label);
    if (!p)
        fail_msg("no line '%s' in:\n%s", label, text);
    return p;
}

/* needle occurs on the line starting at p */
static int on_line(const char *p, const char *needle)
{
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(p + i, needle, nl) == 0)
            return 1;
    return 0;
}

static const tlf_ard_row *ard_row(const tlf_ard *ard, const char *aid, const char *pop,
                                  const char *level, const char *var, const char *vlevel,
                                  const char *stat, const char *param)
{
    tlf_ard_query q = {aid, pop, NULL, level, var, vlevel, stat, param};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("no ARD row %s/%s/%s/%s/%s/%s", aid, pop, level, var, vlevel, stat);
    return r;
}

static void test_demo_default(void **state)
{
    (void)state;
    char *dir = pipeline("eff_default", "");
    char path[1024];
    tlf_ard *ard = NULL;
    tlf_err err;
    snprintf(path, sizeof path, "%s/ard.csv", dir);
    assert_int_equal(tlf_ard_read(&ard, path, &err), TLF_OK);
    /* the published 52-week OS of TAC, 3 deaths of 25 */
    assert_true(fabs(ard_row(ard, "os_km", "FAS", "TAC", "AVAL", "", "surv_at", "t=365")->value -
                     0.88) < 1e-12);
    assert_true(ard_row(ard, "os_evt", "FAS", "TAC", "CNSR", "EVENT", "n", "")->value == 3);
    /* an event type no subject had is a row of 0 (shells: the zero rows
     * stay): no death in PFS, no stop for lack of efficacy in TFF */
    assert_true(ard_row(ard, "pfs_evt", "FAS", "TAC", "EVNTDESC", "DEATH", "n", "")->value == 0);
    assert_true(ard_row(ard, "tff_evt", "FAS", "HC", "EVNTDESC",
                        "TACROLIMUS STOPPED FOR LACK OF EFFICACY", "n", "")->value == 0);
    /* 3 + 1 deaths: the OS Cox model is not estimable, with its reason */
    const tlf_ard_row *e = ard_row(ard, "os_cox", "FAS", "", "model", "", "estimable", NULL);
    assert_true(e->value == 0);
    assert_non_null(strstr(e->param, "fewer than the minimum of 5"));
    assert_true(ard_row(ard, "os_cox", "FAS", "", "model", "", "n_event", "")->value == 4);
    /* TFF has 14 events: estimable, HR under ARMCDTAC */
    assert_true(ard_row(ard, "tff_cox", "FAS", "", "model", "", "estimable", "")->value == 1);
    double hr = ard_row(ard, "tff_cox", "FAS", "", "ARMCDTAC", "", "hr", "")->value;
    double coef = ard_row(ard, "tff_cox", "FAS", "", "ARMCDTAC", "", "coef", "")->value;
    assert_true(fabs(hr - exp(coef)) < 1e-12);

    char *t = pdf_text(dir, "t14_2_1_1");
    const char *km = line_of(t, "Kaplan-Meier estimate at week 52");
    assert_true(on_line(km, "88.0 (67.3, 96.0)"));
    assert_true(on_line(line_of(t, "Subjects with event"), "3 (12.0)"));
    /* ADTTE's reasons shown with the template's display labels */
    assert_true(on_line(line_of(t, "   Death"), "3 (12.0)"));
    assert_true(on_line(line_of(t, "Alive at week 52"), "21 (84.0)"));
    assert_true(on_line(line_of(t, "Lost to follow-up before week 52"), "1 (4.0)"));
    assert_null(strstr(t, "EVENT-FREE THROUGH DAY 365"));
    assert_true(on_line(line_of(t, "Hazard ratio TAC vs HC"),
                        "Not estimable (4 events, fewer than the minimum of 5)"));
    assert_non_null(strstr(t, "(N=25)"));
    assert_non_null(strstr(t, "(N=16)"));
    assert_non_null(strstr(t, "log-log transformation"));
    assert_non_null(strstr(t, "Brookmeyer-Crowley"));
    assert_null(strstr(t, "nan"));
    free(t);

    /* 14.2.1.2: each block states its own set and N (PPS 24 + 16, the
     * weighted FAS block 25 + 16), none in the column header */
    t = pdf_text(dir, "t14_2_1_2");
    assert_true(on_line(line_of(t, "Subjects analysed, N"), "24"));
    assert_true(on_line(line_of(t, "Subjects analysed, N"), "16"));
    assert_true(on_line(line_of(t, "Subjects analysed (propensity model), N"), "25"));
    assert_null(strstr(t, "PPS (N="));
    free(t);
    /* the zero event rows stay (shells): PFS death, TFF lack of efficacy */
    t = pdf_text(dir, "t14_2_2_1");
    assert_true(on_line(line_of(t, "   Death"), "0 (0.0)"));
    free(t);
    t = pdf_text(dir, "t14_2_3_1");
    assert_true(on_line(line_of(t, "Tacrolimus stopped for lack of efficacy"), "0 (0.0)"));
    assert_true(on_line(line_of(t, "Lost to follow-up before week 52"), "1 (4.0)"));
    free(t);

    /* the KM figures state the p-values their table leads with, the
     * stratified log-rank first, then the unstratified */
    static const char *const km_pairs[2][3] = {{"t14_2_1_1", "f14_2_1_1", "os"},
                                              {"t14_2_2_1", "f14_2_2_1", "pfs"}};
    for (int k = 0; k < 2; k++) {
        char aid[32], want[64 + TLF_FMT_MAX], pv[TLF_FMT_MAX];
        char *tab = pdf_text(dir, km_pairs[k][0]), *fig = pdf_text(dir, km_pairs[k][1]);
        snprintf(aid, sizeof aid, "%s_logrank_strat", km_pairs[k][2]);
        tlf_fmt_pvalue(pv, sizeof pv, ard_row(ard, aid, "FAS", "", "AVAL", "", "p", "")->value);
        assert_true(on_line(line_of(tab, "Stratified log-rank p-value"), pv));
        snprintf(want, sizeof want, "Stratified log-rank p = %s", pv);
        if (!strstr(fig, want))
            fail_msg("%s: no '%s' in:\n%s", km_pairs[k][1], want, fig);
        snprintf(aid, sizeof aid, "%s_logrank", km_pairs[k][2]);
        tlf_fmt_pvalue(pv, sizeof pv, ard_row(ard, aid, "FAS", "", "AVAL", "", "p", "")->value);
        assert_true(on_line(line_of(tab, "Unstratified log-rank p-value"), pv));
        snprintf(want, sizeof want, "Unstratified log-rank p = %s", pv);
        if (!strstr(fig, want))
            fail_msg("%s: no '%s' in:\n%s", km_pairs[k][1], want, fig);
        free(tab);
        free(fig);
    }
    /* F14.2.5.1's legend: the FAS N of the ARD (25), not a count */
    t = pdf_text(dir, "f14_2_5_1");
    assert_non_null(strstr(t, "TAC (N=25)"));
    free(t);

    /* 14.2.1.3: the propensity model was fitted; every SMD is shown */
    assert_true(ard_row(ard, "ps_model", "FAS", "", "AGE", "", "smd_after", "")->kind !=
                TLF_VAL_MISSING);
    t = pdf_text(dir, "t14_2_1_3");
    assert_non_null(strstr(t, "SMD after"));
    assert_false(on_line(line_of(t, "Intercept"), "Not fitted"));
    free(t);

    /* 14.2.5.1: the week-52 %VC change line carries the ARD's paired t mean,
     * with dp + 1 decimals (%VC is collected with 1 decimal: dp 1) */
    const tlf_ard_row *tm =
        ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "t_mean", "visit=WEEK 52");
    const tlf_ard_row *dp = ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "dp", "");
    assert_true(dp->value == 1);
    char want[32];
    snprintf(want, sizeof want, "%.2f (", tm->value);
    t = pdf_text(dir, "t14_2_5_1");
    assert_true(on_line(line_of(t, "Week 52 change: paired t"), want));
    free(t);

    /* 16.2.6 lists every ADTTE row of the analysis sets: 41 subjects x 3 */
    t = pdf_text(dir, "l16_2_6");
    size_t rows = 0;
    for (const char *p = t; (p = strstr(p, "EVENT-FREE THROUGH DAY 365")) != NULL; p++)
        rows++;
    assert_true(rows > 0);
    free(t);
    tlf_ard_free(ard);
    free(dir);
}

/* ---- independent recomputation on the SDTM database (sap.md section 3) ---- */

/* One subject's endpoint days, computed from SDTM only. */
typedef struct subj {
    char id[40];
    int tac;
    double os_t, pfs_t, tff_t;
    int os_e, pfs_e, tff_e;
    int resp;
} subj;

/* Per subject: day 1, death day (partial YYYY-MM imputed as the later of
 * the 1st and the day after the last contact), last contact day, first
 * progression day, last non-progression assessment day before it, first
 * additional immunosuppressant day (start on or after day 1), tacrolimus
 * stopped day (AE / lack of efficacy), and the week-52 assessment. */
static const char *SUBJ_SQL =
    "WITH cut AS (SELECT date(CUTOFFDTC) AS c FROM DBSTATUS), "
    "pop AS (SELECT d.USUBJID, d.ARMCD = 'TAC' AS tac, date(d.RFSTDTC) AS d1, d.DTHDTC FROM DM d "
    "  WHERE (d.ARMCD = 'HC') OR (d.ARMCD = 'TAC' AND EXISTS (SELECT 1 FROM EX e WHERE "
    "  e.USUBJID = d.USUBJID AND e.EXTRT = 'TACROLIMUS' AND e.EXDOSE > 0 AND "
    "  substr(e.EXSTDTC, 1, 10) <= (SELECT c FROM cut)))), "
    "contact(USUBJID, dt) AS ("
    "  SELECT USUBJID, RFSTDTC FROM DM UNION ALL "
    "  SELECT USUBJID, DSSTDTC FROM DS WHERE DSDECOD IN ('LAST KNOWN ALIVE', 'COMPLETED') UNION ALL "
    "  SELECT USUBJID, EXSTDTC FROM EX UNION ALL "
    "  SELECT USUBJID, CASE WHEN substr(EXENDTC,1,10) > (SELECT c FROM cut) THEN (SELECT c FROM cut) "
    "    ELSE EXENDTC END FROM EX UNION ALL "
    "  SELECT USUBJID, LBDTC FROM LB UNION ALL SELECT USUBJID, VSDTC FROM VS UNION ALL "
    "  SELECT USUBJID, REDTC FROM RE UNION ALL SELECT USUBJID, FTDTC FROM FT UNION ALL "
    "  SELECT USUBJID, RSDTC FROM RS UNION ALL SELECT USUBJID, PCDTC FROM PC UNION ALL "
    "  SELECT USUBJID, AESTDTC FROM AE), "
    "lst AS (SELECT USUBJID, max(substr(dt, 1, 10)) AS l FROM contact WHERE length(dt) >= 10 "
    "  AND substr(dt, 1, 10) <= (SELECT c FROM cut) GROUP BY USUBJID), "
    "dth0 AS (SELECT p.USUBJID, COALESCE(NULLIF(p.DTHDTC, ''), "
    "  (SELECT min(DSSTDTC) FROM DS WHERE DS.USUBJID = p.USUBJID AND DSDECOD = 'DEATH'), "
    "  (SELECT min(AEENDTC) FROM AE WHERE AE.USUBJID = p.USUBJID AND AEOUT = 'FATAL')) AS raw "
    "  FROM pop p), "
    "dth AS (SELECT d.USUBJID, CASE WHEN length(raw) >= 10 THEN substr(raw, 1, 10) "
    "  WHEN length(raw) = 7 THEN min(date(raw || '-01', '+1 month', '-1 day'), "
    "    max(raw || '-01', date(l.l, '+1 day'))) END AS dd FROM dth0 d LEFT JOIN lst l USING (USUBJID)), "
    "rsa AS (SELECT r.USUBJID, julianday(substr(r.RSDTC,1,10)) - julianday(p.d1) + 1 AS dy, "
    "  r.RSSTRESC AS res FROM RS r JOIN pop p USING (USUBJID) WHERE r.RSTESTCD = 'IPRESP' AND "
    "  COALESCE(r.RSSTRESC, '') <> '' AND length(r.RSDTC) >= 10 AND "
    "  substr(r.RSDTC,1,10) <= (SELECT c FROM cut)), "
    "prog AS (SELECT USUBJID, min(dy) AS pd FROM rsa WHERE dy > 1 AND res = 'PROGRESSED' GROUP BY 1), "
    "cmx AS (SELECT c.USUBJID, min(CASE WHEN length(CMSTDTC) >= 10 THEN "
    "  julianday(substr(CMSTDTC,1,10)) - julianday(p.d1) + 1 ELSE "
    "  max(julianday(CMSTDTC || '-01') - julianday(p.d1) + 1, 1) END) AS cd FROM CM c JOIN pop p "
    "  USING (USUBJID) WHERE CMCAT = 'ADDITIONAL IMMUNOSUPPRESSANT' AND "
    "  COALESCE(CMSTDTC, '') <> '' AND substr(CMSTDTC,1,7) <= substr((SELECT c FROM cut),1,7) AND "
    "  NOT (length(CMENDTC) >= 10 AND CMENDTC < p.d1) GROUP BY 1), "
    "stp AS (SELECT d.USUBJID, min(julianday(substr(DSSTDTC,1,10)) - julianday(p.d1) + 1) AS sd "
    "  FROM DS d JOIN pop p USING (USUBJID) WHERE p.tac AND DSCAT = 'DISPOSITION EVENT' AND "
    "  DSSCAT = 'STUDY TREATMENT' AND DSDECOD IN ('ADVERSE EVENT', 'LACK OF EFFICACY') AND "
    "  substr(DSSTDTC,1,10) <= (SELECT c FROM cut) GROUP BY 1), "
    "w52 AS (SELECT USUBJID, dy, res FROM (SELECT USUBJID, dy, res, row_number() OVER "
    "  (PARTITION BY USUBJID ORDER BY abs(dy - 365), dy DESC) AS k FROM rsa WHERE dy BETWEEN 320 AND 393) "
    "  WHERE k = 1) "
    "SELECT p.USUBJID, p.tac, "
    "  CASE WHEN d.dd <= (SELECT c FROM cut) THEN julianday(d.dd) - julianday(p.d1) + 1 END, "
    "  julianday(l.l) - julianday(p.d1) + 1, pr.pd, "
    "  (SELECT max(dy) FROM rsa WHERE rsa.USUBJID = p.USUBJID AND dy > 1 AND res <> 'PROGRESSED' "
    "    AND (pr.pd IS NULL OR dy < pr.pd)), "
    "  cmx.cd, stp.sd, w.dy, w.res "
    "FROM pop p LEFT JOIN dth d USING (USUBJID) LEFT JOIN lst l USING (USUBJID) "
    "LEFT JOIN prog pr USING (USUBJID) LEFT JOIN cmx USING (USUBJID) LEFT JOIN stp USING (USUBJID) "
    "LEFT JOIN w52 w USING (USUBJID) WHERE p.d1 IS NOT NULL ORDER BY p.USUBJID";

static double col_or_inf(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? INFINITY : sqlite3_column_double(st, i);
}

static size_t recompute(const char *sdtm, subj **out)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(sdtm, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, SUBJ_SQL, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(db));
    subj *s = NULL;
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s = realloc(s, (n + 1) * sizeof *s);
        subj *x = &s[n++];
        memset(x, 0, sizeof *x);
        snprintf(x->id, sizeof x->id, "%s", (const char *)sqlite3_column_text(st, 0));
        x->tac = sqlite3_column_int(st, 1);
        double death = col_or_inf(st, 2), last = sqlite3_column_double(st, 3);
        double prog = col_or_inf(st, 4), lastok = col_or_inf(st, 5);
        double cm = col_or_inf(st, 6), stop = col_or_inf(st, 7);
        double w52 = col_or_inf(st, 8);
        const char *w52res = (const char *)sqlite3_column_text(st, 9);
        /* OS */
        x->os_e = death <= 365;
        x->os_t = x->os_e ? death : fmin(last, 365);
        /* PFS: first of death and progression */
        double pe = fmin(death, prog);
        x->pfs_e = pe <= 365;
        x->pfs_t = x->pfs_e ? pe : isfinite(lastok) ? fmin(lastok, 365) : 1;
        /* TFF */
        double te = fmin(fmin(death, prog), fmin(cm, stop));
        x->tff_e = te <= 365;
        x->tff_t = x->tff_e ? te : fmin(last, 365);
        /* week-52 response: IMPROVED and no TFF event on or before it */
        x->resp = isfinite(w52) && w52res && strcmp(w52res, "IMPROVED") == 0 && !(te <= w52);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    *out = s;
    return n;
}

/* x at 1 decimal, rounded half away from zero as sap.md section 5 (x >= 0) */
static double r1(double x)
{
    char b[40];
    snprintf(b, sizeof b, "%.15g", x);
    return floor(strtod(b, NULL) * 10 + 0.5 + 1e-9) / 10;
}

static void check_endpoint(const tlf_ard *ard, const char *pdf, const subj *s, size_t n,
                           const char *prefix, size_t off_t, size_t off_e)
{
    static const char *const arms[2] = {"TAC", "HC"};
    double t[256];
    int e[256];
    char id[32];
    char pct_txt[2][64], km_txt[2][64];
    for (int a = 0; a < 2; a++) {
        size_t m = 0, ev = 0;
        for (size_t i = 0; i < n && m < 256; i++)
            if (s[i].tac == (a == 0)) {
                t[m] = *(const double *)((const char *)&s[i] + off_t);
                e[m] = *(const int *)((const char *)&s[i] + off_e);
                ev += (size_t)e[m];
                m++;
            }
        snprintf(id, sizeof id, "%s_km", prefix);
        assert_true(ard_row(ard, id, "FAS", arms[a], "AVAL", "", "n", "")->value == (double)m);
        assert_true(ard_row(ard, id, "FAS", arms[a], "AVAL", "", "n_event", "")->value ==
                    (double)ev);
        km_curve *c = NULL;
        tlf_err err;
        assert_int_equal(km_fit(&c, t, e, NULL, m, KM_CI_LOGLOG, 0.95, &err), TLF_OK);
        km_point p;
        km_at(c, 365, &p);
        double got = ard_row(ard, id, "FAS", arms[a], "AVAL", "", "surv_at", "t=365")->value;
        if (fabs(got - p.surv) > 1e-12)
            fail_msg("%s %s: surv_at 365 ARD %.17g, recomputed %.17g", prefix, arms[a], got, p.surv);
        snprintf(km_txt[a], sizeof km_txt[a], "%.1f (%.1f, %.1f)", r1(100 * p.surv),
                 r1(100 * p.lcl), r1(100 * p.ucl));
        snprintf(pct_txt[a], sizeof pct_txt[a], "%zu (%.1f)", ev, r1(100.0 * (double)ev / (double)m));
        km_curve_free(c);
    }
    const char *l = line_of(pdf, "Subjects with event");
    const char *k = line_of(pdf, "Kaplan-Meier estimate at week 52");
    for (int a = 0; a < 2; a++) {
        if (!on_line(l, pct_txt[a]))
            fail_msg("%s: '%s' not on the events line", prefix, pct_txt[a]);
        if (!on_line(k, km_txt[a]))
            fail_msg("%s: '%s' not on the KM line", prefix, km_txt[a]);
    }
}

static void test_recompute_seed7(void **state)
{
    (void)state;
    char *dir = pipeline("eff_seed7", "--seed 7");
    char sdtm[1024], ardp[1024];
    snprintf(sdtm, sizeof sdtm, "%s/sdtm.sqlite", dir);
    snprintf(ardp, sizeof ardp, "%s/ard.csv", dir);
    subj *s = NULL;
    size_t n = recompute(sdtm, &s);
    assert_true(n > 20);
    tlf_ard *ard = NULL;
    tlf_err err;
    assert_int_equal(tlf_ard_read(&ard, ardp, &err), TLF_OK);
    static const char *const pdfs[3] = {"t14_2_1_1", "t14_2_2_1", "t14_2_3_1"};
    static const char *const prefixes[3] = {"os", "pfs", "tff"};
    const size_t off_t[3] = {offsetof(subj, os_t), offsetof(subj, pfs_t), offsetof(subj, tff_t)};
    const size_t off_e[3] = {offsetof(subj, os_e), offsetof(subj, pfs_e), offsetof(subj, tff_e)};
    for (int k = 0; k < 3; k++) {
        char *txt = pdf_text(dir, pdfs[k]);
        check_endpoint(ard, txt, s, n, prefixes[k], off_t[k], off_e[k]);
        free(txt);
    }
    /* week-52 IP response per arm */
    char *txt = pdf_text(dir, "t14_2_4_1");
    const char *l = line_of(txt, "Responders, n (%)");
    static const char *const arms[2] = {"TAC", "HC"};
    for (int a = 0; a < 2; a++) {
        size_t m = 0, r = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i].tac == (a == 0)) {
                m++;
                r += (size_t)s[i].resp;
            }
        assert_true(ard_row(ard, "ipresp_w52", "FAS", arms[a], "AVALC", "", "n", "")->value ==
                    (double)m);
        assert_true(ard_row(ard, "ipresp_w52", "FAS", arms[a], "AVALC", "Y", "n_resp", "")->value ==
                    (double)r);
        char want[32];
        snprintf(want, sizeof want, "%zu (%.1f)", r, r1(100.0 * (double)r / (double)m));
        if (!on_line(l, want))
            fail_msg("response %s: '%s' not on the responders line", arms[a], want);
    }
    free(txt);
    tlf_ard_free(ard);
    free(s);
    free(dir);
}

/* ---- edge cases on hand-made ADaM tables ---- */

static void test_not_estimable(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADRS(USUBJID, ARMCD, FASFL, HCFL, PARAMCD, AVAL, RESPREAS);"
        "INSERT INTO ADRS VALUES('T1','TAC','Y','N','W52RESP',1,'IMPROVED AT WEEK 52'),"
        "('T2','TAC','Y','N','W52RESP',0,'PROGRESSED AT WEEK 52'),"
        "('T3','TAC','N','N','W52RESP',1,'IMPROVED AT WEEK 52');"
        "CREATE TABLE ADRE(USUBJID, ARMCD, FASFL, PARAMCD, AVISIT, AVISITN, AVAL, CHG, ABLFL,"
        " ANL01FL);"
        "INSERT INTO ADRE VALUES('T1','TAC','Y','VCPP','BASELINE',0,70,NULL,'Y',NULL),"
        "('T2','TAC','Y','VCPP','BASELINE',0,60,NULL,'Y',NULL),"
        "('T1','TAC','Y','VCPP','WEEK 52',52,75,5,NULL,'Y');"
        "CREATE TABLE ADLB AS SELECT * FROM ADRE WHERE 0; CREATE TABLE ADFT AS SELECT * FROM ADRE WHERE 0;"
        "CREATE TABLE ADSL(USUBJID, ARMCD, FASFL);"
        "INSERT INTO ADSL VALUES('T1','TAC','Y'),('T2','TAC','Y'),('T3','TAC','N'),('T4','TAC','Y');";
    sqlite3 *db = db_with(sql);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_ipresp(&ctx, &err), TLF_OK);
    /* TAC: 1 of 2 (the non-FAS subject is out), HC has nobody */
    assert_true(ard_row(ard, "ipresp_w52", "FAS", "TAC", "AVALC", "Y", "n_resp", "")->value == 1);
    assert_true(ard_row(ard, "ipresp_w52", "FAS", "TAC", "AVALC", "Y", "pct", "")->value == 50);
    assert_true(ard_row(ard, "ipresp_w52", "FAS", "TAC", "RESPREAS", "Progressed", "n", "")->value == 1);
    const tlf_ard_row *f = ard_row(ard, "ipresp_w52", "FAS", "", "AVALC", "", "estimable", NULL);
    assert_true(f->value == 0);
    assert_non_null(strstr(f->param, "reason="));
    assert_true(ard_row(ard, "ipresp_w52", "FAS", "HC", "AVALC", "Y", "estimable", NULL)->value == 0);

    assert_int_equal(analysis_chg_visits(&ctx, &err), TLF_OK);
    /* one change at week 52: described (n 1), tests not estimable with a reason */
    assert_true(ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "n", "visit=WEEK 52")->value == 1);
    /* the figure legend's N: the FAS of ADSL (T4 has no value, still in N) */
    assert_true(ard_row(ard, "vcpp_aval", "FAS", "TAC", "AVAL", "VCPP", "n", "")->value == 3);
    const tlf_ard_row *w = ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "estimable", NULL);
    assert_true(w->value == 0);
    assert_non_null(strstr(w->param, "fewer than 2"));
    assert_true(ard_row(ard, "vcpp_aval", "FAS", "TAC", "AVAL", "VCPP", "mean", "visit=BASELINE")->value == 65);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

/* 14.2.5.1's values reach the summaries in the order of AVISITN, then
 * USUBJID, whatever order the rows are stored in: the sums, so the bits,
 * depend on it (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1). The rows of two
 * parameters of one dataset are read in one scan (issue 16) and each
 * parameter gets only its own. */
static void test_chg_values_in_visit_subject_order(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADRE(USUBJID, ARMCD, FASFL, PARAMCD, AVISIT, AVISITN, AVAL, CHG, ABLFL,"
        " ANL01FL);"
        "INSERT INTO ADRE VALUES"
        "('S3','TAC','Y','VCPP','WEEK 52',52,80.3,0.3,NULL,'Y'),"
        "('S3','TAC','Y','FVCPP','WEEK 52',52,90,7,NULL,'Y'),"
        "('S2','TAC','Y','VCPP','WEEK 52',52,80.2,0.2,NULL,'Y'),"
        "('S3','TAC','Y','VCPP','BASELINE',0,80,NULL,'Y',NULL),"
        "('S1','TAC','Y','VCPP','WEEK 52',52,80.1,0.1,NULL,'Y'),"
        "('S1','TAC','Y','VCPP','WEEK 26',26,81,1,NULL,NULL),"
        "('S2','TAC','N','VCPP','WEEK 26',26,82,2,NULL,'Y');"
        "CREATE TABLE ADLB AS SELECT * FROM ADRE WHERE 0; CREATE TABLE ADFT AS SELECT * FROM ADRE WHERE 0;"
        "CREATE TABLE ADSL(USUBJID, ARMCD, FASFL);"
        "INSERT INTO ADSL VALUES('S1','TAC','Y'),('S2','TAC','Y'),('S3','TAC','Y');";
    sqlite3 *db = db_with(sql);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_chg_visits(&ctx, &err), TLF_OK);
    const double want = (0.1 + 0.2 + 0.3) / 3;   /* S1, S2, S3 */
    assert_true(want != (0.3 + 0.2 + 0.1) / 3);   /* the order shows in the bits */
    const tlf_ard_row *m =
        ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "mean", "visit=WEEK 52");
    assert_true(m->value == want);
    assert_true(ard_row(ard, "vcpp_chg", "FAS", "TAC", "CHG", "VCPP", "n", "visit=WEEK 52")->value == 3);
    /* not an analysis record (S1), not FAS (S2): WEEK 26 has none */
    assert_true(ard_row(ard, "vcpp_aval", "FAS", "TAC", "AVAL", "VCPP", "n", "visit=WEEK 26")->value == 0);
    assert_true(ard_row(ard, "vcpp_aval", "FAS", "TAC", "AVAL", "VCPP", "n", "visit=BASELINE")->value == 1);
    /* the other parameter of the dataset: its own row only */
    assert_true(ard_row(ard, "fvcpp_chg", "FAS", "TAC", "CHG", "FVCPP", "n", "visit=WEEK 52")->value == 1);
    assert_true(ard_row(ard, "fvcpp_chg", "FAS", "TAC", "CHG", "FVCPP", "mean", "visit=WEEK 52")->value == 7);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

/* 14.2.6.1 likewise: ADEX read once for its four parameters, each put in
 * its query's order (the treated arm, then the control; AVISITN; USUBJID)
 * whatever the stored order; an arm without data is still described. */
static void test_gcdose_values_in_arm_visit_subject_order(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADEX(USUBJID, ARMCD, FASFL, HCFL, PARAMCD, AVISIT, AVISITN, AVAL);"
        "INSERT INTO ADEX VALUES"
        "('S3','TAC','Y','N','PREDDOSE','WEEK 4',4,0.3),"
        "('S3','TAC','Y','N','CUMPRED',NULL,NULL,0.3),"
        "('S2','TAC','Y','N','PREDDOSE','WEEK 4',4,0.2),"
        "('S1','TAC','Y','N','CUMPRED',NULL,NULL,0.1),"
        "('S1','TAC','Y','N','PREDDOSE','WEEK 4',4,0.1),"
        "('S2','TAC','Y','N','CUMPRED',NULL,NULL,0.2),"
        "('S4','TAC','N','N','PREDDOSE','WEEK 4',4,9),"
        "('S5','TAC','Y','N','PREDDOSE',NULL,NULL,9);"
        "CREATE TABLE ADSL(USUBJID, ARMCD, FASFL, HCFL);"
        "INSERT INTO ADSL VALUES('S1','TAC','Y','N'),('S2','TAC','Y','N'),('S3','TAC','Y','N'),"
        "('S4','TAC','N','N'),('S5','TAC','Y','N');";
    sqlite3 *db = db_with(sql);
    tlf_ard *ard = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = ard, .study = study};
    tlf_err err;
    assert_int_equal(analysis_gcdose(&ctx, &err), TLF_OK);
    const double want = (0.1 + 0.2 + 0.3) / 3;   /* S1, S2, S3 */
    assert_true(want != (0.3 + 0.2 + 0.1) / 3);
    /* not FAS (S4), no visit (S5): left out */
    assert_true(ard_row(ard, "gcdose", "FAS", "TAC", "PREDDOSE", "", "n", "visit=WEEK 4")->value == 3);
    assert_true(ard_row(ard, "gcdose", "FAS", "TAC", "PREDDOSE", "", "mean", "visit=WEEK 4")->value == want);
    assert_true(ard_row(ard, "gcdose", "FAS", "TAC", "CUMPRED", "", "mean", "")->value == want);
    /* the control arm has nobody: n 0, at a visit and in the total */
    assert_true(ard_row(ard, "gcdose", "FAS", "HC", "PREDDOSE", "", "n", "visit=WEEK 4")->value == 0);
    assert_true(ard_row(ard, "gcdose", "FAS", "HC", "CUMPRED", "", "n", "")->value == 0);
    /* the treated arm's records come before the control's */
    const tlf_ard_row *tac = ard_row(ard, "gcdose", "FAS", "TAC", "PREDDOSE", "", "n", "visit=WEEK 4");
    const tlf_ard_row *hc = ard_row(ard, "gcdose", "FAS", "HC", "PREDDOSE", "", "n", "visit=WEEK 4");
    assert_true(tac < hc);
    tlf_study_free(study);
    tlf_ard_free(ard);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_default),
        cmocka_unit_test(test_recompute_seed7),
        cmocka_unit_test(test_not_estimable),
        cmocka_unit_test(test_chg_values_in_visit_subject_order),
        cmocka_unit_test(test_gcdose_values_in_arm_visit_subject_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
