/* test_base.c - outputs 14.1.1-14.1.5 and listings 16.2.1, 16.2.2, 16.2.4
 * end to end on the default demo database (demo-db -> derive -> analyze ->
 * render, ARD and pdftotext checked), plus hand-made ADSL tables for the
 * edge cases of the counting and describing code. */
#include "testutil.h"
#include "sdtm_builder.h"
#include "study/study.h"
#include "analysis/analysis.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    tlf_ard *ard;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir("outputs_base");
    char *aesi = test_source_path("config/aesi.json");
    run_result r = run_tlfgen("demo-db --out '%s/demo.sqlite'", f->dir);
    int ok = r.status == 0;
    run_result_free(&r);
    if (ok) {
        r = run_tlfgen("derive --db '%s/demo.sqlite' --out '%s/adam.sqlite' --aesi '%s'", f->dir,
                       f->dir, aesi);
        ok = r.status == 0;
        run_result_free(&r);
    }
    if (ok) {
        r = run_tlfgen("analyze --adam '%s/adam.sqlite' --out '%s/ard.csv'", f->dir, f->dir);
        ok = r.status == 0;
        if (!ok)
            fprintf(stderr, "analyze: %s\n", r.err);
        run_result_free(&r);
    }
    free(aesi);
    char *path = xasprintf("%s/ard.csv", f->dir);
    tlf_err err;
    if (ok && tlf_ard_read(&f->ard, path, &err) != 0)
        ok = 0;
    free(path);
    *state = f;
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tlf_ard_free(f->ard);
    free(f->dir);
    free(f);
    return 0;
}

static const tlf_ard_row *find(const tlf_ard *ard, const char *aid, const char *level,
                               const char *var, const char *vlevel, const char *stat,
                               const char *param)
{
    tlf_ard_query q = {.analysis_id = aid, .group_level = level, .variable = var,
                       .variable_level = vlevel, .stat_name = stat, .param = param};
    const tlf_ard_row *r = tlf_ard_find(ard, &q);
    if (!r)
        fail_msg("no ARD row %s/%s/%s/%s/%s", aid, level, var, vlevel, stat);
    return r;
}

static double val(const tlf_ard *ard, const char *aid, const char *level, const char *var,
                  const char *vlevel, const char *stat)
{
    return find(ard, aid, level, var, vlevel, stat, NULL)->value;
}

/* Render templates/<name>.json and return pdftotext -layout of it. */
static char *render(const fixture *f, const char *name, const char *source)
{
    char *rel = xasprintf("templates/%s.json", name);
    char *tpl = test_source_path(rel);
    free(rel);
    run_result r = run_tlfgen("render --template '%s' --%s '%s/%s' --db-status 'HARD LOCK' --out '%s/%s.pdf'", tpl,
                              source, f->dir, strcmp(source, "ard") == 0 ? "ard.csv" : "adam.sqlite",
                              f->dir, name);
    if (r.status != 0)
        fail_msg("render %s: %s", name, r.err);
    run_result_free(&r);
    free(tpl);
    r = run_sh("pdftotext -layout '%s/%s.pdf' -", f->dir, name);
    assert_int_equal(r.status, 0);
    char *out = r.out;
    r.out = NULL;
    run_result_free(&r);
    return out;
}

static void contains(const char *text, const char *what)
{
    if (!strstr(text, what))
        fail_msg("'%s' not in:\n%s", what, text);
}

static void test_disposition_demo(void **state)
{
    fixture *f = *state;
    const tlf_ard *a = f->ard;
    assert_true(val(a, "disposition", "TAC", "", "", "n") == 26);
    assert_true(val(a, "disposition", "TAC", "ENRLFL", "Y", "n") == 26);
    assert_true(val(a, "disposition", "TAC", "FASFL", "N", "n") == 1);
    assert_true(fabs(val(a, "disposition", "TAC", "FASFL", "N", "pct") - 100.0 / 26) < 1e-12);
    assert_true(val(a, "disposition", "TAC", "FASFL", "Y", "n") == 25);
    assert_true(val(a, "disposition", "TAC", "DTH52FL", "Y", "n") == 3);
    /* completed + discontinued + ongoing = treated; reasons add up to discontinued */
    double comp = val(a, "disposition", "TAC", "EOTSTT", "COMPLETED", "n");
    double disc = val(a, "disposition", "TAC", "EOTSTT", "DISCONTINUED", "n");
    double ong = val(a, "disposition", "TAC", "EOTSTT", "ONGOING", "n");
    assert_true(comp + disc + ong == 25);
    static const char *const reasons[] = {"Adverse event", "Lack of efficacy", "Death",
                                          "Withdrawal by subject", "Lost to follow-up",
                                          "Physician decision", "Other"};
    double sum = 0;
    size_t prev = 0;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        const tlf_ard_row *r = find(a, "disposition", "TAC", "DCTREAS", reasons[i], "n", NULL);
        assert_true((size_t)(r - a->rows) > prev);   /* code-list order */
        prev = (size_t)(r - a->rows);
        sum += r->value;
    }
    assert_true(sum == disc);
    assert_true(val(a, "disposition", "TAC", "DCTREAS", "Adverse event", "n") == 2);

    char *txt = render(f, "t14_1_1", "ard");
    contains(txt, "Table 14.1.1");
    contains(txt, "(N=26)");
    assert_non_null(strstr(txt, "Registered"));
    contains(txt, "1 (3.8)");
    contains(txt, "25 (96.2)");
    contains(txt, "3 (11.5)");
    /* Never treated comes before Treated, Adverse event before Lack of efficacy */
    assert_true(strstr(txt, "Never treated") < strstr(txt, "Treated (FAS)"));
    assert_true(strstr(txt, "Adverse event") < strstr(txt, "Lack of efficacy"));
    free(txt);
}

static void test_analysis_sets_demo(void **state)
{
    fixture *f = *state;
    const tlf_ard *a = f->ard;
    assert_true(val(a, "analysis_sets", "TAC", "FASFL", "Y", "n") == 25);
    assert_true(val(a, "analysis_sets", "TAC", "PPSFL", "Y", "n") == 24);
    assert_true(val(a, "analysis_sets", "TAC", "SAFFL", "Y", "n") == 25);
    assert_true(val(a, "analysis_sets", "HC", "HCFL", "Y", "n") == 16);
    assert_string_equal(find(a, "analysis_sets", "HC", "HCFL", "Y", "n", NULL)->population, "HC");
    assert_true(val(a, "analysis_sets", "TAC", "PPSEXCL", "Major protocol deviation", "n") == 1);
    char *txt = render(f, "t14_1_2", "ard");
    contains(txt, "Table 14.1.2");
    contains(txt, "(N=26)");
    contains(txt, "(N=16)");
    contains(txt, "25 (96.2)");
    contains(txt, "24 (92.3)");
    contains(txt, "16 (100.0)");
    free(txt);
}

static void test_demog_demo(void **state)
{
    fixture *f = *state;
    const tlf_ard *a = f->ard;
    assert_true(val(a, "demog", "TAC", "", "", "n") == 25);
    assert_true(val(a, "demog", "HC", "", "", "n") == 16);
    assert_true(val(a, "demog", "Total", "", "", "n") == 41);
    /* categories add up to the column N in every column */
    static const char *const cols[] = {"TAC", "HC", "Total"};
    for (size_t c = 0; c < 3; c++) {
        double n = val(a, "demog", cols[c], "", "", "n");
        assert_true(val(a, "demog", cols[c], "SEX", "Female", "n") +
                        val(a, "demog", cols[c], "SEX", "Male", "n") == n);
        assert_true(val(a, "demog", cols[c], "MYOTYPE", "PM", "n") +
                        val(a, "demog", cols[c], "MYOTYPE", "DM", "n") +
                        val(a, "demog", cols[c], "MYOTYPE", "CADM", "n") == n);
    }
    /* age recomputed by SQL on ADSL, independently of the analysis code */
    run_result r = run_sh("sqlite3 '%s/adam.sqlite' \"SELECT printf('%%.10f %%d %%d', AVG(AGE), "
                          "MIN(AGE), MAX(AGE)) FROM ADSL WHERE ARMCD='HC' AND HCFL='Y'\"",
                          f->dir);
    double mean = 0;
    int mn = 0, mx = 0;
    assert_int_equal(sscanf(r.out, "%lf %d %d", &mean, &mn, &mx), 3);
    run_result_free(&r);
    assert_true(fabs(val(a, "demog", "HC", "AGE", "", "mean") - mean) < 1e-9);
    assert_true(val(a, "demog", "HC", "AGE", "", "min") == mn);
    assert_true(val(a, "demog", "HC", "AGE", "", "max") == mx);
    assert_true(val(a, "demog", "TAC", "VCPP", "", "n") == 25);
    /* no Missing row when nothing is missing */
    tlf_ard_query q = {.analysis_id = "demog", .variable = "SEX", .variable_level = "Missing"};
    assert_null(tlf_ard_find(a, &q));

    char *txt = render(f, "t14_1_4", "ard");
    contains(txt, "Table 14.1.4");
    contains(txt, "TAC");
    contains(txt, "(N=25)");
    contains(txt, "(N=16)");
    contains(txt, "(N=41)");
    contains(txt, "Anti-MDA5");
    contains(txt, "KL-6");
    contains(txt, "MMT8");
    assert_null(strstr(txt, "p-value "));
    /* Decimal alignment pads within a parameter, never to another one's
     * width: Age's Mean (SD) and quartiles carry no inner gaps although
     * KL-6's numbers in the same column are wider (docs/templates.md). */
    const char *msd = strstr(txt, "Mean (SD)");
    assert_non_null(msd);
    const char *eol = strchr(msd, '\n');
    assert_non_null(eol);
    char line[256];
    size_t len = (size_t)(eol - msd) < sizeof line - 1 ? (size_t)(eol - msd) : sizeof line - 1;
    memcpy(line, msd, len);
    line[len] = '\0';
    for (const char *p = strchr(line + 9, '('); p; p = strchr(p + 1, '('))
        if (p[1] == ' ')
            fail_msg("gap inside the Age Mean (SD) cell: '%s'", line);
    const char *q13 = strstr(txt, "Q1, Q3");
    assert_non_null(q13);
    for (const char *p = strchr(q13 + 6, ','); p && p < strchr(q13, '\n'); p = strchr(p + 1, ','))
        if (p[1] == ' ' && p[2] == ' ')
            fail_msg("gap inside the Age Q1, Q3 cell");
    free(txt);
}

/* Hand-made ADSL: a missing sex, a value outside the code list, a reason
 * outside the DS code list, one HC subject (SD not estimable). */
static void test_counts_edge_cases(void **state)
{
    (void)state;
    const char *sql =
        "CREATE TABLE ADSL(USUBJID TEXT, ARMCD TEXT, ENRLFL TEXT, FASFL TEXT, PPSFL TEXT,"
        " SAFFL TEXT, HCFL TEXT, AGE REAL, SEX TEXT, MYOTYPE TEXT, ONSET TEXT, IPCOURSE TEXT,"
        " MDA5AB TEXT, ARSAB TEXT, SMOKER TEXT, EOTSTT TEXT, DCTREAS TEXT, DTHFL TEXT,"
        " DTHDY INTEGER);"
        "INSERT INTO ADSL VALUES"
        "('T1','TAC','Y','Y','Y','Y','N',40,'F','PM','NEW','ACUTE','POSITIVE','NEGATIVE','NEVER',"
        "  'DISCONTINUED','SPONSOR DECISION','Y',400),"
        "('T2','TAC','Y','Y','Y','Y','N',50,'','DM','NEW','ACUTE','POSITIVE','NEGATIVE','NEVER',"
        "  'DISCONTINUED','DEATH','Y',365),"
        "('T3','TAC','Y','Y','N','Y','N',61,'U','DM','NEW','ACUTE','POSITIVE','NEGATIVE','NEVER',"
        "  'COMPLETED',NULL,'N',NULL),"
        "('T4','TAC','Y','N','N','N','N',33,'M','PM','NEW','ACUTE','POSITIVE','NEGATIVE','NEVER',"
        "  NULL,NULL,'N',NULL),"
        "('H1','HC','N','N','N','N','Y',70,'M','PM','NEW','ACUTE','POSITIVE','NEGATIVE','NEVER',"
        "  NULL,NULL,'N',NULL),"
        "('S1','SCRNFAIL','N','N','N','N','N',20,'M',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,"
        "  'N',NULL);"
        "CREATE TABLE ADRE(USUBJID TEXT, PARAMCD TEXT, AVAL REAL, ABLFL TEXT);"
        "CREATE TABLE ADLB(USUBJID TEXT, PARAMCD TEXT, AVAL REAL, ABLFL TEXT);"
        "CREATE TABLE ADFT(USUBJID TEXT, PARAMCD TEXT, AVAL REAL, ABLFL TEXT);"
        "INSERT INTO ADRE VALUES('T1','VCPP',70.5,'Y'),('T1','VCPP',80,NULL),('H1','VCPP',60,'Y');";
    sqlite3 *db = db_with(sql);
    tlf_ard *a = tlf_ard_new();
    tlf_study *study = test_study();
    analysis_ctx ctx = {.adam = db, .ard = a, .study = study};
    tlf_err err;
    assert_int_equal(analysis_disposition(&ctx, &err), TLF_OK);
    assert_int_equal(analysis_analysis_sets(&ctx, &err), TLF_OK);
    assert_int_equal(analysis_demog(&ctx, &err), TLF_OK);

    assert_true(val(a, "disposition", "TAC", "", "", "n") == 4);
    assert_true(val(a, "disposition", "TAC", "FASFL", "N", "n") == 1);
    /* death on day 365 counts, day 400 does not */
    assert_true(val(a, "disposition", "TAC", "DTH52FL", "Y", "n") == 1);
    assert_true(val(a, "disposition", "TAC", "DCTREAS", "Death", "n") == 1);
    /* a reason outside the code list follows it, labelled as recorded */
    const tlf_ard_row *extra = find(a, "disposition", "TAC", "DCTREAS", "SPONSOR DECISION", "n", NULL);
    const tlf_ard_row *other = find(a, "disposition", "TAC", "DCTREAS", "Other", "n", NULL);
    assert_true(extra > other && extra->value == 1);
    assert_true(val(a, "analysis_sets", "TAC", "PPSEXCL", "Not in the FAS", "n") == 1);
    assert_true(val(a, "analysis_sets", "TAC", "PPSEXCL", "Major protocol deviation", "n") == 1);

    /* demog: FAS TAC = T1, T2, T3 */
    assert_true(val(a, "demog", "TAC", "", "", "n") == 3);
    assert_true(val(a, "demog", "Total", "", "", "n") == 4);
    assert_true(val(a, "demog", "TAC", "SEX", "Missing", "n") == 1);
    assert_true(fabs(val(a, "demog", "TAC", "SEX", "Missing", "pct") - 100.0 / 3) < 1e-12);
    assert_true(val(a, "demog", "HC", "SEX", "Missing", "n") == 0);   /* shown in every column */
    assert_true(val(a, "demog", "TAC", "SEX", "U", "n") == 1);
    assert_true(find(a, "demog", "TAC", "SEX", "U", "n", NULL) <
                find(a, "demog", "TAC", "SEX", "Missing", "n", NULL));
    assert_true(val(a, "demog", "TAC", "SMOKER", "Current", "n") == 0);
    assert_true(fabs(val(a, "demog", "TAC", "AGE", "", "median") - 50) < 1e-12);
    /* one value: SD missing; baseline only from ABLFL records */
    assert_true(val(a, "demog", "HC", "VCPP", "", "n") == 1);
    assert_int_equal(find(a, "demog", "HC", "VCPP", "", "sd", NULL)->kind, TLF_VAL_MISSING);
    assert_true(val(a, "demog", "TAC", "VCPP", "", "mean") == 70.5);
    /* no values at all: n = 0, mean missing */
    assert_true(val(a, "demog", "TAC", "KL6", "", "n") == 0);
    assert_int_equal(find(a, "demog", "TAC", "KL6", "", "mean", NULL)->kind, TLF_VAL_MISSING);
    tlf_study_free(study);
    tlf_ard_free(a);
    sqlite3_close(db);
}

/* One integer from an SQL query on a file of the fixture. */
static long long sql_int(const fixture *f, const char *file, const char *sql)
{
    run_result r = run_sh("sqlite3 '%s/%s' \"%s\"", f->dir, file, sql);
    long long v = -1;
    if (r.status != 0 || sscanf(r.out, "%lld", &v) != 1)
        fail_msg("sqlite3 %s: %s: %s", file, sql, r.err);
    run_result_free(&r);
    return v;
}

static void test_addv_and_deviations_demo(void **state)
{
    fixture *f = *state;
    /* ADDV holds every DV row of a DM subject starting on or before the cut-off */
    long long n_dv = sql_int(f, "demo.sqlite",
                             "SELECT COUNT(*) FROM DV WHERE USUBJID IN (SELECT USUBJID FROM DM) AND "
                             "COALESCE(DVSTDTC, '') <= (SELECT CUTOFFDTC FROM DBSTATUS)");
    assert_true(n_dv > 0);
    assert_int_equal(sql_int(f, "adam.sqlite", "SELECT COUNT(*) FROM ADDV"), n_dv);
    /* a subject with a MAJOR deviation is not in the PPS, and ADDV carries the flag */
    assert_int_equal(sql_int(f, "adam.sqlite", "SELECT COUNT(*) FROM ADDV WHERE DVCAT = 'MAJOR' "
                                               "AND FASFL = 'Y' AND PPSFL <> 'N'"), 0);
    assert_int_equal(sql_int(f, "adam.sqlite", "SELECT COUNT(*) FROM ADDV WHERE SRCDOM <> 'DV' OR "
                                               "SRCSEQ <> DVSEQ"), 0);
    const tlf_ard *a = f->ard;
    long long any = sql_int(f, "adam.sqlite", "SELECT COUNT(DISTINCT v.USUBJID) FROM ADDV v JOIN "
                                              "ADSL s USING (USUBJID) WHERE s.FASFL = 'Y'");
    assert_true(val(a, "deviations", "TAC", "", "", "n") == 25);
    assert_true(val(a, "deviations", "TAC", "ANYDV", "Y", "n") == any);
    assert_true(val(a, "deviations", "TAC", "DVCAT", "MAJOR", "n") == 1);
    assert_true(find(a, "deviations", "TAC", "DVDECOD", "PROHIBITED MEDICATION", "n",
                     "DVCAT=MAJOR")->value == 1);
    char *txt = render(f, "t14_1_3", "ard");
    contains(txt, "Table 14.1.3");
    contains(txt, "TAC (N=25)");
    contains(txt, "PROHIBITED MEDICATION");
    free(txt);
    txt = render(f, "l16_2_2", "adam");
    contains(txt, "Listing 16.2.2");
    contains(txt, "Received IVIG");
    free(txt);
}

static void test_exposure_demo(void **state)
{
    fixture *f = *state;
    const tlf_ard *a = f->ard;
    assert_true(val(a, "exposure", "TAC", "", "", "n") == 25);
    assert_true(val(a, "exposure", "HC", "", "", "n") == 16);
    assert_true(val(a, "exposure", "TAC", "TRTDURD", "", "n") == 25);
    /* HC has no tacrolimus rows at all */
    tlf_ard_query q = {.analysis_id = "exposure", .group_level = "HC", .variable = "TACMDD"};
    assert_null(tlf_ard_find(a, &q));
    assert_true(find(a, "exposure", "HC", "CUMPRED", "", "n", NULL)->value == 16);
    long long n_w52 = sql_int(f, "adam.sqlite",
                              "SELECT COUNT(*) FROM ADPC p JOIN ADSL s USING (USUBJID) WHERE "
                              "s.SAFFL = 'Y' AND p.PARAMCD = 'TACTROUGH' AND p.ANL01FL = 'Y' AND "
                              "p.AVISIT = 'WEEK 52'");
    assert_true(find(a, "trough", "TAC", "TACTROUGH", "", "n", "visit=WEEK 52")->value == n_w52);
    char *txt = render(f, "t14_1_5", "ard");
    contains(txt, "Table 14.1.5");
    contains(txt, "Tacrolimus trough (ng/mL), week 52");
    free(txt);
}

/* The whitespace-separated words of the pdftotext line that starts with
 * subject u (NULL-terminated array of owned strings; fails when absent). */
static char **line_words(const char *txt, const char *u)
{
    const char *p = txt;
    size_t ul = strlen(u);
    for (;;) {
        p = strstr(p, u);
        if (!p)
            fail_msg("subject %s not in:\n%s", u, txt);
        const char *bol = p;
        while (bol > txt && bol[-1] == ' ')
            bol--;
        if ((bol == txt || bol[-1] == '\n') && (p[ul] == ' ' || p[ul] == '\n'))
            break;
        p += ul;
    }
    size_t n = 0, cap = 0;
    char **w = NULL;
    while (*p && *p != '\n') {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " \n");
        if (k) {
            XGROW(w, cap, n + 2);
            w[n++] = xasprintf("%.*s", (int)k, p);
        }
        p += k;
    }
    XGROW(w, cap, n + 1);
    w[n] = NULL;
    return w;
}

static void words_free(char **w)
{
    for (size_t i = 0; w && w[i]; i++)
        free(w[i]);
    free(w);
}

/* 16.2.4 baseline columns: one FAS subject's row against the ABLFL
 * records of ADVS/ADRE/ADLB/ADFT (read by SQL, not from ADSL), and the
 * never-treated subject (no day 1, no baseline) shows nothing after
 * its smoking status. */
static void check_l16_2_4_baselines(const fixture *f, const char *txt)
{
    run_result r = run_sh(
        "sqlite3 -separator ' ' '%s/adam.sqlite' \"SELECT s.USUBJID, w.AVAL, h.AVAL, s.DAY1DT,"
        " vc.AVAL, dl.AVAL, kl.AVAL, ck.AVAL, mm.AVAL FROM ADSL s"
        " JOIN ADVS w ON w.USUBJID=s.USUBJID AND w.PARAMCD='WEIGHT' AND w.ABLFL='Y'"
        " JOIN ADVS h ON h.USUBJID=s.USUBJID AND h.PARAMCD='HEIGHT' AND h.ABLFL='Y'"
        " JOIN ADRE vc ON vc.USUBJID=s.USUBJID AND vc.PARAMCD='VCPP' AND vc.ABLFL='Y'"
        " JOIN ADRE dl ON dl.USUBJID=s.USUBJID AND dl.PARAMCD='DLCOPP' AND dl.ABLFL='Y'"
        " JOIN ADLB kl ON kl.USUBJID=s.USUBJID AND kl.PARAMCD='KL6' AND kl.ABLFL='Y'"
        " JOIN ADLB ck ON ck.USUBJID=s.USUBJID AND ck.PARAMCD='CK' AND ck.ABLFL='Y'"
        " JOIN ADFT mm ON mm.USUBJID=s.USUBJID AND mm.PARAMCD='MMT8' AND mm.ABLFL='Y'"
        " WHERE s.FASFL='Y' ORDER BY s.USUBJID DESC LIMIT 1\"",
        f->dir);
    assert_int_equal(r.status, 0);
    char *want[10] = {0};
    size_t nw = 0;
    for (char *tok = strtok(r.out, " \n"); tok && nw < 9; tok = strtok(NULL, " \n"))
        want[nw++] = xstrdup(tok);
    run_result_free(&r);
    assert_int_equal(nw, 9);
    /* a listing column whose values are all whole numbers prints them
     * without ".0" (CK 1219, not 1219.0); the others keep SQLite's text */
    static const char *const adsl_col[9] = {NULL, "WTBL", "HTBL", NULL, "BLVCPP",
                                            "BLDLCOPP", "BLKL6", "BLCK", "BLMMT8"};
    for (size_t i = 1; i < 9; i++) {
        size_t len = strlen(want[i]);
        if (!adsl_col[i] || len < 3 || strcmp(want[i] + len - 2, ".0") != 0)
            continue;
        run_result q = run_sh("sqlite3 '%s/adam.sqlite' \"SELECT COUNT(*) FROM ADSL WHERE"
                              " (ENRLFL = 'Y' OR HCFL = 'Y') AND %s <> CAST(%s AS INTEGER)\"",
                              f->dir, adsl_col[i], adsl_col[i]);
        assert_int_equal(q.status, 0);
        if (atoi(q.out) == 0)
            want[i][len - 2] = '\0';
        run_result_free(&q);
    }
    /* the row ends with weight, height, day 1 and the five baselines */
    char **got = line_words(txt, want[0]);
    size_t ng = 0;
    while (got[ng])
        ng++;
    assert_true(ng > 8);
    for (size_t i = 1; i < 9; i++)
        assert_string_equal(got[ng - 9 + i], want[i]);
    words_free(got);
    for (size_t i = 0; i < nw; i++)
        free(want[i]);

    r = run_sh("sqlite3 '%s/adam.sqlite' \"SELECT USUBJID, SMOKER FROM ADSL WHERE ENRLFL='Y' AND"
               " DAY1DT IS NULL AND BLVCPP IS NULL AND BLDLCOPP IS NULL AND BLKL6 IS NULL AND"
               " BLCK IS NULL AND BLMMT8 IS NULL AND WTBL IS NULL LIMIT 1\"",
               f->dir);
    assert_int_equal(r.status, 0);
    char *bar = strchr(r.out, '|');
    assert_non_null(bar);
    *bar = '\0';
    bar[strcspn(bar + 1, "\n") + 1] = '\0';
    got = line_words(txt, r.out);
    ng = 0;
    while (got[ng])
        ng++;
    assert_string_equal(got[ng - 1], bar + 1);
    words_free(got);
    run_result_free(&r);
}

static void test_listings_demo(void **state)
{
    fixture *f = *state;
    char *txt = render(f, "l16_2_1", "adam");
    contains(txt, "Listing 16.2.1");
    contains(txt, "WITHDRAWAL BY SUBJECT");   /* the never-treated subject */
    contains(txt, "LACK OF EFFICACY");
    free(txt);
    txt = render(f, "l16_2_4", "adam");
    contains(txt, "Listing 16.2.4");
    long long n = sql_int(f, "adam.sqlite", "SELECT COUNT(*) FROM ADSL WHERE ENRLFL='Y' OR HCFL='Y'");
    assert_int_equal(n, 42);
    /* every subject of the set appears */
    run_result r = run_sh("sqlite3 '%s/adam.sqlite' \"SELECT USUBJID FROM ADSL WHERE ENRLFL='Y' OR "
                          "HCFL='Y'\"", f->dir);
    for (char *tok = strtok(r.out, "\n"); tok; tok = strtok(NULL, "\n"))
        contains(txt, tok);
    run_result_free(&r);
    contains(txt, "KL-6");
    contains(txt, "(U/mL)");
    check_l16_2_4_baselines(f, txt);
    free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disposition_demo),
        cmocka_unit_test(test_analysis_sets_demo),
        cmocka_unit_test(test_demog_demo),
        cmocka_unit_test(test_counts_edge_cases),
        cmocka_unit_test(test_addv_and_deviations_demo),
        cmocka_unit_test(test_exposure_demo),
        cmocka_unit_test(test_listings_demo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
