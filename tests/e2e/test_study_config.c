/* test_study_config.c - the study configuration end to end: the default
 * demo run keeps its ARD numbers (tests/fixtures/ard/demo_csr_baseline.csv),
 * and a configuration with other arm codes, another study drug and another
 * landmark day runs on a demo database written with it. */
#include "testutil.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each record as one string: its nine key columns and its value. */
static char **records(const char *path, size_t *n)
{
    tlf_csv *c = NULL;
    tlf_err err;
    if (tlf_csv_read(&c, path, &err) != TLF_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(c->ncol, 10);
    char **out = xcalloc(c->nrow ? c->nrow : 1, sizeof *out);
    for (size_t r = 0; r < c->nrow; r++) {
        tlf_buf b = TLF_BUF_INIT;
        for (size_t k = 0; k < c->ncol; k++) {
            const char *v = tlf_csv_cell(c, r, k);
            tlf_buf_printf(&b, "%s%s", k ? "|" : "", v ? v : "");
        }
        out[r] = tlf_buf_detach(&b);
    }
    *n = c->nrow;
    tlf_csv_free(c);
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_records(char **r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i]);
    free(r);
}

/* Every record of the baseline is in the run's ARD with the same value
 * (records may have been added: n = 0 cells, not-estimable reasons). */
static void test_default_demo_ard_unchanged(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-baseline");
    run_result r = run_tlfgen("demo-db --out '%s/demo.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("run --db '%s/demo.sqlite' --profile csr --out '%s/out' --quiet", dir, dir);
    if (r.status != 0)
        fail_msg("csr run: %d %s", r.status, r.err);
    run_result_free(&r);
    char *base_path = test_source_path("tests/fixtures/ard/demo_csr_baseline.csv");
    char *ard_path = xasprintf("%s/out/TACIP/csr/latest/ard.csv", dir);
    size_t nb, na;
    char **base = records(base_path, &nb), **ard = records(ard_path, &na);
    qsort(ard, na, sizeof *ard, cmp_str);
    size_t missing = 0;
    for (size_t i = 0; i < nb; i++)
        if (!bsearch(&base[i], ard, na, sizeof *ard, cmp_str) && missing++ < 10)
            print_message("not in the run's ARD (or another value): %s\n", base[i]);
    assert_true(nb > 6000);
    assert_int_equal(missing, 0);
    /* the paper's 52-week OS: 88.0 (67.3, 96.0) */
    static const char *const STATS[] = {"surv_at", "lcl_at", "ucl_at"};
    static const double PAPER[] = {88.0, 67.3, 96.0};
    for (int k = 0; k < 3; k++) {
        char *prefix = xasprintf("14.2.1.1;F14.2.1.1|os_km|FAS|ARMCD|TAC|AVAL||%s|t=365", STATS[k]);
        const char *v = NULL;
        for (size_t i = 0; i < na && !v; i++)
            if (strncmp(ard[i], prefix, strlen(prefix)) == 0)
                v = strrchr(ard[i], '|') + 1;
        if (!v)
            fail_msg("no record %s", prefix);
        double pct = strtod(v, NULL) * 100;
        assert_true(pct > PAPER[k] - 0.05 && pct < PAPER[k] + 0.05);
        free(prefix);
    }
    free_records(base, nb);
    free_records(ard, na);
    free(base_path);
    free(ard_path);
    free(dir);
}

/* One text value of a query on an SQLite file (NULL row: ""). */
static char *db_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    char *v = xstrdup(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
                          ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void expect_db(const char *path, const char *sql, const char *want)
{
    char *v = db_text(path, sql);
    if (strcmp(v, want) != 0)
        fail_msg("%s: got '%s', want '%s'", sql, v, want);
    free(v);
}

/* The shipped configuration written by demo-db --study is the demo's own
 * database, byte for byte. */
static void test_demo_db_with_the_shipped_study_is_the_demo(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-demo-same");
    char *cfg = test_source_path("config/study.json");
    run_result r = run_tlfgen("demo-db --out '%s/a.sqlite'", dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("demo-db --out '%s/b.sqlite' --study '%s'", dir, cfg);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_sh("cmp '%s/a.sqlite' '%s/b.sqlite'", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(cfg);
    free(dir);
}

/* A count of grep -E pattern (-w, -i when icase) in text. */
static int count_in(const char *text, const char *pattern, int icase)
{
    char *dir = test_tmpdir("study-alt-grep");
    char *f = xasprintf("%s/t.txt", dir);
    FILE *fp = fopen(f, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    run_result r = run_sh("grep -c%s -wE '%s' '%s' || true", icase ? "i" : "", pattern, f);
    int n = atoi(r.out);
    run_result_free(&r);
    free(f);
    free(dir);
    return n;
}

/* `run --profile profile` of the other study exits 0, and the text of its
 * volumes (pdfs, relative to the run folder) shows the configured arms,
 * drug and landmark and none of the demo study's. */
static void expect_outputs_follow(const char *dir, const char *db, const char *cfg,
                                  const char *profile, const char *pdfs)
{
    run_result r = run_tlfgen("run --db '%s' --study '%s' --profile %s --out '%s/out' --quiet",
                              db, cfg, profile, dir);
    if (r.status != 0)
        fail_msg("run --profile %s: %d %s", profile, r.status, r.err);
    run_result_free(&r);
    r = run_sh("cd '%s/out/ALTST/%s/latest' && for f in %s; do pdftotext -layout $f - || exit 1; done",
               dir, profile, pdfs);
    if (r.status != 0)
        fail_msg("pdftotext: %s", r.err);
    const char *t = r.out;
    /* the demo's arms, drug and landmark appear nowhere */
    int old = count_in(t, "TAC|HC|tacrolimus|day 365|IMPPACT", 1);
    if (old)
        fail_msg("%s: %d lines name the demo study", profile, old);
    /* the configured ones do */
    assert_true(strstr(t, "ALTERNATE") != NULL);
    assert_true(count_in(t, "A", 0) > 0 && count_in(t, "B", 0) > 0);
    assert_true(strstr(t, "Zexolimus") != NULL || strstr(t, "zexolimus") != NULL);
    assert_true(count_in(t, "day 180", 1) > 0);
    if (strcmp(profile, "csr") == 0) {
        assert_non_null(strstr(t, "Overall Survival up to Week 26"));
        assert_non_null(strstr(t, "Kaplan-Meier estimate at week 26"));
        assert_non_null(strstr(t, "A (GC + zexolimus)"));
        assert_non_null(strstr(t, "B (GC alone)"));
        assert_non_null(strstr(t, "Zexolimus stopped for an adverse event"));
    }
    run_result_free(&r);
}

/* Another study: arms A/B with other labels, study drug ZEXOLIMUS, STUDYID
 * ALTST, landmark day 180 (tests/fixtures/study/alt_study.json). demo-db
 * writes its names; check, derive and analyze follow it. */
static void test_other_study_configuration(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-alt");
    char *cfg = test_source_path("tests/fixtures/study/alt_study.json");
    char *db = xasprintf("%s/alt.sqlite", dir), *adam = xasprintf("%s/adam.sqlite", dir);
    char *ard = xasprintf("%s/ard.csv", dir);
    run_result r = run_tlfgen("demo-db --out '%s' --study '%s'", db, cfg);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    expect_db(db, "SELECT group_concat(DISTINCT ARMCD) FROM (SELECT ARMCD FROM DM ORDER BY ARMCD)",
              "A,B,SCRNFAIL");
    expect_db(db, "SELECT ARM FROM DM WHERE ARMCD = 'B' LIMIT 1",
              "Historical cohort: glucocorticoids alone");
    expect_db(db, "SELECT COUNT(*) > 0 FROM EX WHERE EXTRT = 'ZEXOLIMUS'", "1");
    expect_db(db, "SELECT COUNT(*) FROM EX WHERE EXTRT = 'TACROLIMUS'", "0");
    expect_db(db, "SELECT STUDYID FROM DBSTATUS", "ALTST");
    expect_db(db, "SELECT COUNT(*) FROM DS WHERE DSTERM LIKE '%acrolimus%'", "0");
    /* the data checks accept the study's arms, drug and trough test */
    r = run_tlfgen("check --db '%s' --study '%s'", db, cfg);
    if (r.status != 0)
        fail_msg("check: %d %s", r.status, r.err);
    run_result_free(&r);
    /* and the shipped (demo) configuration does not */
    r = run_tlfgen("check --db '%s'", db);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "ARMCD"));
    run_result_free(&r);
    r = run_tlfgen("derive --db '%s' --out '%s' --study '%s'", db, adam, cfg);
    if (r.status != 0)
        fail_msg("derive: %d %s", r.status, r.err);
    run_result_free(&r);
    expect_db(adam, "SELECT COUNT(*) FROM ADSL WHERE ARMCD = 'A' AND FASFL = 'Y'", "25");
    expect_db(adam, "SELECT COUNT(*) FROM ADSL WHERE HCFL = 'Y'", "16");
    expect_db(adam, "SELECT MAX(AVAL) FROM ADTTE WHERE PARAMCD = 'OS'", "180.0");
    expect_db(adam, "SELECT DISTINCT PARAM FROM ADEX WHERE PARAMCD = 'TACTOT'",
              "Zexolimus total dose (mg)");
    expect_db(adam, "SELECT COUNT(*) > 0 FROM ADPC WHERE PARAMCD = 'ZXTROUGH' AND ANL01FL = 'Y'", "1");
    r = run_tlfgen("analyze --adam '%s' --study '%s' --out '%s'", adam, cfg, ard);
    if (r.status != 0)
        fail_msg("analyze: %d %s", r.status, r.err);
    run_result_free(&r);
    size_t n;
    char **rec = records(ard, &n);
    size_t old_arm = 0, km180 = 0, reason180 = 0, drugstop = 0, coxa = 0;
    for (size_t i = 0; i < n; i++) {
        /* group_level is the fifth field */
        const char *p = rec[i];
        for (int k = 0; k < 4 && p; k++)
            p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL;
        if (p && (strncmp(p, "TAC|", 4) == 0 || strncmp(p, "HC|", 3) == 0))
            old_arm++;
        km180 += strstr(rec[i], "|os_km|FAS|ARMCD|A|AVAL||surv_at|t=180|") != NULL;
        reason180 += strstr(rec[i], "|EVENT-FREE THROUGH DAY 180|") != NULL;
        drugstop += strstr(rec[i], "|FASEXCL|No zexolimus dose|") != NULL;
        coxa += strstr(rec[i], "|ARMCDA|") != NULL;
    }
    assert_int_equal(old_arm, 0);
    assert_int_equal(km180, 1);
    assert_true(reason180 > 0);
    assert_true(drugstop > 0);
    assert_true(coxa > 0);
    free_records(rec, n);
    /* run: the templates follow the configuration (arms, drug, landmark) */
    expect_outputs_follow(dir, db, cfg, "csr", "volume.pdf");
    expect_outputs_follow(dir, db, cfg, "dsmb", "open_packet.pdf closed/closed_packet.pdf");
    /* the configuration's visit labels (WEEK 2 is "Wk 2", the baseline
     * "Pre-treatment"), never a template's: a row of each in 14.2.5.1 per
     * efficacy parameter (6), none labelled "Week 2" or "Baseline"; the
     * block heads of 14.1.5 in lower case */
    r = run_sh("cd '%s/out/ALTST/csr/latest' && pdftotext -layout 14.2.5.1.pdf - | "
               "grep -E '^ +(Wk 2|Pre-treatment|Week 2|Baseline) ' | sed 's/^ *//' | "
               "cut -d' ' -f1-2 | sort | uniq -c", dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "      6 Pre-treatment \n      6 Wk 2\n");
    run_result_free(&r);
    /* its parameters' labels too (CK has no short label there): 14.1.4's
     * baseline blocks and 14.2.5.1's title */
    r = run_sh("cd '%s/out/ALTST/csr/latest' && pdftotext -layout 14.1.4.pdf - && "
               "pdftotext -layout 14.2.5.1.pdf -", dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nCreatine Kinase at baseline (U/L)"));
    assert_non_null(strstr(r.out, "\n%VC at baseline (% predicted)"));
    assert_non_null(strstr(r.out, "Change from Baseline in %VC, %FVC, %DLCO, KL-6, Creatine Kinase "
                                  "and MMT8 by Visit"));
    run_result_free(&r);
    r = run_sh("cd '%s/out/ALTST/csr/latest' && pdftotext -layout 14.1.5.pdf -", dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Zexolimus trough (ng/mL), wk 2 [d]"));
    assert_non_null(strstr(r.out, "Zexolimus trough (ng/mL), week 52 [d]"));
    run_result_free(&r);
    free(ard);
    free(adam);
    free(db);
    free(cfg);
    free(dir);
}

/* Visits named by the configuration only ("V1".."V52", no week in the
 * name): F14.2.5.1 still places them on the week axis, from the target
 * days the analysis writes (target_day records): tick labels 0, 2, ..., 52
 * and no visit name on the axis. */
static void test_visit_names_without_weeks(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-vnames");
    char *cfg = test_source_path("config/study.json");
    char *aesi = test_source_path("config/aesi.json");
    char *tpl = test_source_path("templates/f14_2_5_1.json");
    run_result r = run_sh("sed -e 's/\"BASELINE\"/\"V0\"/' -e 's/\"WEEK \\([0-9]*\\)\"/\"V\\1\"/g' "
                          "'%s' > '%s/study.json' && cp '%s' '%s/aesi.json' && "
                          "! grep -q WEEK '%s/study.json'", cfg, dir, aesi, dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("demo-db --out '%s/v.sqlite' --study '%s/study.json'", dir, dir);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_tlfgen("derive --db '%s/v.sqlite' --out '%s/adam.sqlite' --study '%s/study.json'",
                   dir, dir, dir);
    if (r.status != 0)
        fail_msg("derive: %s", r.err);
    run_result_free(&r);
    r = run_tlfgen("analyze --adam '%s/adam.sqlite' --study '%s/study.json' --out '%s/ard.csv'",
                   dir, dir, dir);
    if (r.status != 0)
        fail_msg("analyze: %s", r.err);
    run_result_free(&r);
    r = run_sh("grep -c ',target_day,visit=V' '%s/ard.csv'", dir);
    assert_int_equal(atoi(r.out), 9);   /* baseline + 8 visits */
    run_result_free(&r);
    r = run_tlfgen("render --template '%s' --ard '%s/ard.csv' --out '%s/f.pdf' "
                   "--layout-dump '%s/f.dump'", tpl, dir, dir, dir);
    if (r.status != 0)
        fail_msg("render: %s", r.err);
    run_result_free(&r);
    char *path = xasprintf("%s/f.dump", dir);
    char *d = test_read_file(path, NULL);
    /* the week tick labels, and no visit name as a label */
    static const char *const WEEKS[] = {" 0\n", " 2\n", " 4\n", " 8\n", " 12\n", " 16\n",
                                        " 26\n", " 39\n", " 52\n"};
    for (size_t k = 0; k < sizeof WEEKS / sizeof WEEKS[0]; k++)
        if (!strstr(d, WEEKS[k]))
            fail_msg("no tick label '%.*s' in the figure", (int)strlen(WEEKS[k]) - 1, WEEKS[k]);
    assert_null(strstr(d, " V2\n"));
    assert_null(strstr(d, " V52\n"));
    free(d);
    free(path);
    free(tpl);
    free(aesi);
    free(cfg);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_demo_ard_unchanged),
        cmocka_unit_test(test_demo_db_with_the_shipped_study_is_the_demo),
        cmocka_unit_test(test_other_study_configuration),
        cmocka_unit_test(test_visit_names_without_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
