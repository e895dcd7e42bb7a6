/* test_study_config.c - the study configuration end to end: the default
 * demo run keeps its ARD numbers (tests/fixtures/ard/demo_csr_baseline.csv),
 * a configuration with other arm codes, another study drug and another
 * landmark day runs on a demo database written with it, and the models
 * (stratum, covariates) follow the configuration's names and codes. */
#include "testutil.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"

#include <jansson.h>
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

/* demo-db into dir/name.sqlite, with --study cfg unless NULL. */
static void demo_db(const char *dir, const char *name, const char *cfg)
{
    run_result r = cfg ? run_tlfgen("demo-db --out '%s/%s.sqlite' --study '%s'", dir, name, cfg)
                       : run_tlfgen("demo-db --out '%s/%s.sqlite'", dir, name);
    if (r.status != 0)
        fail_msg("demo-db %s: %d %s", name, r.status, r.err);
    run_result_free(&r);
}

/* The shipped configuration written by demo-db --study is the demo's own
 * database, byte for byte. */
static void test_demo_db_with_the_shipped_study_is_the_demo(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-demo-same");
    char *cfg = test_source_path("config/study.json");
    demo_db(dir, "a", NULL);
    demo_db(dir, "b", cfg);
    run_result r = run_sh("cmp '%s/a.sqlite' '%s/b.sqlite'", dir, dir);
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
 * ALTST, landmark day 180, a covariate renamed and relabelled
 * (MDA5PRESENT), one dropped (IP course), the stratum relabelled, MMT8
 * relabelled "Muscle score" with its baseline in BLMUSCLE
 * (tests/fixtures/study/alt_study.json). demo-db writes its names; check,
 * derive, analyze and the outputs follow it. */
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
                                  "and Muscle score by Visit"));
    run_result_free(&r);
    /* its models (a covariate renamed and relabelled, IP course dropped,
     * the stratum relabelled) and its baseline parameters (MMT8 relabelled
     * "Muscle score", its ADSL column BLMUSCLE): 14.2.1.3's rows, 14.2.1.2's
     * footnotes and 16.2.4's columns show the configuration's labels */
    static const struct {
        const char *pdf, *want[4], *not_want[4];
    } L[] = {
        {"14.2.1.3.pdf", {"Age at enrolment (years)", "MDA5 antibody present", "Sex: male"},
         {"IP course", "Anti-MDA5", "Age (years)"}},
        {"14.2.1.2.pdf", {"stratified by onset type (first episode / recurrence)",
                          "on age, sex, myositis type (DM or CADM vs PM) and MDA5 antibody",
                          "with arm, age, sex, myositis type (DM or CADM vs PM) and MDA5"},
         {"IP course", "anti-MDA5", "new / relapse"}},
        {"14.2.1.1.pdf", {"stratified by onset type (first episode / recurrence)"},
         {"new / relapse"}},
        {"16.2.4.pdf", {"Muscle", "and Muscle score (score 0-80) are baseline values",
                        "Creatine Kinase (U/L)"},
         {"MMT8"}},
    };
    for (size_t k = 0; k < sizeof L / sizeof L[0]; k++) {
        /* one line per sentence: pdftotext breaks footnotes where they wrap */
        r = run_sh("cd '%s/out/ALTST/csr/latest' && pdftotext %s - | tr '\\n' ' ' | "
                   "tr -s ' '", dir, L[k].pdf);
        assert_int_equal(r.status, 0);
        for (size_t w = 0; w < 4 && L[k].want[w]; w++)
            if (!strstr(r.out, L[k].want[w]))
                fail_msg("%s: no \"%s\" in\n%s", L[k].pdf, L[k].want[w], r.out);
        for (size_t w = 0; w < 4 && L[k].not_want[w]; w++)
            if (strstr(r.out, L[k].not_want[w]))
                fail_msg("%s: \"%s\" (the demo's) in\n%s", L[k].pdf, L[k].not_want[w], r.out);
        run_result_free(&r);
    }
    /* the renamed baseline column's values are the listing's last column */
    expect_db(adam, "SELECT COUNT(*) > 0 FROM ADSL WHERE BLMUSCLE IS NOT NULL", "1");
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

/* The value of the first ARD record holding key (a run of "|"-joined key
 * fields, e.g. "|os_logrank_strat|FAS|ARMCD||AVAL||chisq||"), or NULL. */
static const char *ard_value(char **rec, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(rec[i], key))
            return strrchr(rec[i], '|') + 1;
    return NULL;
}

static const char *must_value(char **rec, size_t n, const char *key)
{
    const char *v = ard_value(rec, n, key);
    if (!v)
        fail_msg("no ARD record with %s", key);
    return v;
}

/* derive the database dir/<db>.sqlite and analyze it with cfg into
 * dir/tag_*; the ARD's records. */
static char **models_run(const char *dir, const char *tag, const char *db, const char *cfg,
                         size_t *n)
{
    run_result r = run_tlfgen("derive --db '%s/%s.sqlite' --out '%s/%s_adam.sqlite' --study '%s'",
                              dir, db, dir, tag, cfg);
    if (r.status != 0)
        fail_msg("derive %s: %d %s", tag, r.status, r.err);
    run_result_free(&r);
    r = run_tlfgen("analyze --adam '%s/%s_adam.sqlite' --study '%s' --out '%s/%s_ard.csv'", dir,
                   tag, cfg, dir, tag);
    if (r.status != 0)
        fail_msg("analyze %s: %d %s", tag, r.status, r.err);
    run_result_free(&r);
    char *path = xasprintf("%s/%s_ard.csv", dir, tag);
    char **rec = records(path, n);
    free(path);
    return rec;
}

static void set_char(json_t *doc, int i, const char *code, json_t *values)
{
    json_t *c = json_array_get(json_object_get(doc, "characteristics"), (size_t)i);
    json_object_set_new(c, "code", json_string(code));
    json_object_set_new(c, "values", values);
}

static char *dump(json_t *doc, const char *dir, const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);
    assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
    return path;
}

/* The models follow the configuration: (A) the demo's myositis type and
 * onset renamed (codes DZTYPE T0/T1/T2, PRESENT FIRST/RECUR, covariate
 * DZTYPET12) and written so by demo-db give the demo's numbers under the
 * new names; (B) a stratum of two of DZTYPE's three values leaves the
 * third out of the stratified test, counted, and a covariate whose
 * characteristic no subject has makes the adjusted Cox and propensity
 * models not estimable with a reason naming it (no abort). */
static void test_models_follow_configuration(void **state)
{
    (void)state;
    char *dir = test_tmpdir("study-models");
    char *src = test_source_path("config/study.json");
    char *aesi = test_source_path("config/aesi.json");
    json_error_t je;
    json_t *doc = json_load_file(src, 0, &je);
    assert_non_null(doc);
    json_object_set_new(doc, "aesi", json_string(aesi));
    set_char(doc, 0, "DZTYPE", json_pack("[[ss][ss][ss]]", "T0", "Type 0", "T1", "Type 1",
                                         "T2", "Type 2"));
    set_char(doc, 1, "PRESENT", json_pack("[[ss][ss]]", "FIRST", "First", "RECUR", "Recurrent"));
    json_t *m = json_object_get(doc, "models");
    json_object_set_new(m, "stratified_logrank",
                        json_pack("{ss ss ss s[[s][s]]}", "name", "presentation", "from", "sc",
                                  "variable", "PRESENT", "strata", "FIRST", "RECUR"));
    json_array_set_new(json_object_get(m, "covariates"), 2,
                       json_pack("{ss ss ss ss s[ss] s[s]}", "name", "DZTYPET12", "label",
                                 "Disease type 1 or 2", "from", "sc", "variable", "DZTYPE",
                                 "ones", "T1", "T2", "zeros", "T0"));
    json_array_set_new(json_object_get(m, "cox_adjusted"), 2, json_string("DZTYPET12"));
    json_array_set_new(json_object_get(m, "propensity_score"), 2, json_string("DZTYPET12"));
    char *cfg_a = dump(doc, dir, "a.json");

    size_t n0, na;
    demo_db(dir, "demo", NULL);
    demo_db(dir, "a", cfg_a);
    char **ard0 = models_run(dir, "demo", "demo", src, &n0);
    char **arda = models_run(dir, "a", "a", cfg_a, &na);
    char *db = xasprintf("%s/a.sqlite", dir);
    expect_db(db, "SELECT group_concat(v) FROM (SELECT DISTINCT SCSTRESC v FROM SC "
                  "WHERE SCTESTCD = 'DZTYPE' ORDER BY 1)", "T0,T1,T2");
    expect_db(db, "SELECT COUNT(*) FROM SC WHERE SCTESTCD IN ('MYOTYPE', 'ONSET')", "0");
    /* (A) the same numbers under the configured names */
    static const char *const SAME[][2] = {
        {"|os_logrank_strat|FAS|ARMCD||AVAL||chisq||", NULL},
        {"|pfs_logrank_strat|FAS|ARMCD||AVAL||chisq||", NULL},
        {"|ps_model|FAS|||MYOTYPEDMCADM||coef||", "|ps_model|FAS|||DZTYPET12||coef||"},
        {"|ps_model|FAS|||MDA5ABPOS||smd_after||", NULL},
    };
    for (size_t k = 0; k < sizeof SAME / sizeof SAME[0]; k++)
        assert_string_equal(must_value(ard0, n0, SAME[k][0]),
                            must_value(arda, na, SAME[k][1] ? SAME[k][1] : SAME[k][0]));
    assert_string_equal(must_value(arda, na, "|os_logrank_strat|FAS|ARMCD||AVAL||n_excluded|"
                                             "reason=presentation missing|"), "0");
    assert_null(ard_value(arda, na, "MYOTYPEDMCADM"));
    assert_null(ard_value(arda, na, "reason=onset missing"));

    /* (B) stratum T1 / T2 of DZTYPE (T0 unknown); covariate FRAILY of a
     * characteristic the database does not have */
    json_object_set_new(m, "stratified_logrank",
                        json_pack("{ss ss ss s[[s][s]] ss}", "name", "type", "from", "sc",
                                  "variable", "DZTYPE", "strata", "T1", "T2", "unknown",
                                  "exclude"));
    json_array_append_new(json_object_get(doc, "characteristics"),
                          json_pack("{ss ss s[[ss][ss]]}", "code", "FRAIL", "label", "Frailty",
                                    "values", "Y", "Yes", "N", "No"));
    json_array_append_new(json_object_get(m, "covariates"),
                          json_pack("{ss ss ss ss s[s] s[s]}", "name", "FRAILY", "label",
                                    "Frail", "from", "sc", "variable", "FRAIL", "ones", "Y",
                                    "zeros", "N"));
    json_array_append_new(json_object_get(m, "cox_adjusted"), json_string("FRAILY"));
    json_array_append_new(json_object_get(m, "propensity_score"), json_string("FRAILY"));
    char *cfg_b = dump(doc, dir, "b.json");
    size_t nb;
    char **ardb = models_run(dir, "b", "a", cfg_b, &nb);
    /* the T0 subjects (14.1.4's Total column counts them) are left out */
    const char *t0 = must_value(ardb, nb, "|demog|FAS;HC|ARMCD|Total|DZTYPE|Type 0|n||");
    assert_true(atoi(t0) > 0);
    assert_string_equal(must_value(ardb, nb, "|os_logrank_strat|FAS|ARMCD||AVAL||n_excluded|"
                                             "reason=type missing|"), t0);
    assert_string_equal(must_value(ardb, nb, "|os_logrank_strat|FAS|ARMCD||AVAL||df||"), "1");
    assert_string_not_equal(must_value(ardb, nb, "|os_logrank_strat|FAS|ARMCD||AVAL||chisq||"),
                            must_value(arda, na, "|os_logrank_strat|FAS|ARMCD||AVAL||chisq||"));
    static const char *const NOT_EST[] = {
        "|os_cox_adj|FAS|||model||estimable|reason=no value of covariate FRAILY (FRAIL) in any "
        "subject|0",
        "|ps_model|FAS|||model||estimable|reason=no value of covariate FRAILY (FRAIL) in any "
        "subject|0",
        "|os_km_iptw|FAS|||AVAL||estimable|reason=no value of covariate FRAILY (FRAIL) in any "
        "subject|0",
    };
    for (size_t k = 0; k < sizeof NOT_EST / sizeof NOT_EST[0]; k++)
        must_value(ardb, nb, NOT_EST[k]);
    /* the unadjusted Cox model (TFF: enough events) is what it was */
    assert_string_equal(must_value(ard0, n0, "|tff_cox|FAS|||ARMCDTAC||coef||"),
                        must_value(ardb, nb, "|tff_cox|FAS|||ARMCDTAC||coef||"));
    json_decref(doc);
    free_records(ard0, n0);
    free_records(arda, na);
    free_records(ardb, nb);
    free(db);
    free(cfg_a);
    free(cfg_b);
    free(aesi);
    free(src);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_demo_ard_unchanged),
        cmocka_unit_test(test_demo_db_with_the_shipped_study_is_the_demo),
        cmocka_unit_test(test_other_study_configuration),
        cmocka_unit_test(test_visit_names_without_weeks),
        cmocka_unit_test(test_models_follow_configuration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
