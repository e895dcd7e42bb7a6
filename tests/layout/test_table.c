/* test_table.c - ARD records -> table model (layout/table.h): formats,
 * SOC/PT expansion and sort, missing values and not-estimable notes. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "layout/table.h"
#include "study/study.h"

typedef struct fx {
    tlf_ard *ard;
} fx;

static tlf_table *build(const char *tpl_rel, tlf_ard *ard)
{
    char *path = test_source_path(tpl_rel);
    tlf_template *t = NULL;
    tlf_table *tab = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load(&t, path, &err) || tlf_table_from_ard(&tab, t, ard, &err))
        fail_msg("%s", err.msg);
    tlf_template_free(t);
    free(path);
    return tab;
}

static tlf_ard *fixture_ard(void)
{
    char *path = test_source_path("tests/fixtures/layout/ard.csv");
    tlf_ard *ard = NULL;
    tlf_err err;
    if (tlf_ard_read(&ard, path, &err))
        fail_msg("%s", err.msg);
    free(path);
    return ard;
}

static size_t find_row(const tlf_table *tab, const char *label)
{
    for (size_t i = 0; i < tab->nrows; i++)
        if (strcmp(tab->rows[i].cells[0], label) == 0)
            return i;
    fail_msg("row '%s' not in table", label);
    return 0;
}

static void test_summary_cells(void **state)
{
    (void)state;
    tlf_ard *ard = fixture_ard();
    tlf_table *tab = build("tests/fixtures/layout/t_summary.json", ard);
    assert_string_equal(tab->number, "Table 14.2.1.1");
    assert_string_equal(tab->cols[1].header, "TAC\n(N=25)");
    assert_string_equal(tab->cols[2].header, "HC\n(N=16)");
    size_t r = find_row(tab, "Mean (SD)");
    assert_string_equal(tab->rows[r].cells[1], "1.01 (0.13)");    /* 1.005, 0.125 */
    assert_string_equal(tab->rows[r].cells[2], "10.25 (3.05)");
    assert_int_equal(tab->rows[r].indent, 1);
    r = find_row(tab, "Median");
    assert_string_equal(tab->rows[r].cells[1], "2.68");             /* 2.675 */
    r = find_row(tab, "Min, Max");
    assert_string_equal(tab->rows[r].cells[1], "-1, 12.0");         /* -0.5 at 0 decimals */
    r = find_row(tab, "Kaplan-Meier estimate at week 52, % (95% CI) [a]");
    assert_string_equal(tab->rows[r].cells[1], "88.0 (67.3, 96.0)");
    assert_string_equal(tab->rows[r].cells[2], "56.3 (29.4, 76.0)");
    r = find_row(tab, "Median (95% CI), days [b]");
    assert_string_equal(tab->rows[r].cells[1], "NE");               /* empty value + "missing" */
    assert_string_equal(tab->rows[r].cells[2], "301");
    r = find_row(tab, "Log-rank p-value");
    assert_string_equal(tab->rows[r].cells[1], "<0.001");
    assert_string_equal(tab->rows[r].cells[2], "");   /* "columns": ["tac"] */
    r = find_row(tab, "PFS log-rank p-value");
    assert_string_equal(tab->rows[r].cells[1], "0.043");
    r = find_row(tab, "Hazard ratio TAC vs HC (95% CI) [c]");
    assert_string_equal(tab->rows[r].cells[1], "Not estimable: no events in the HC arm");
    /* "Age (years)" heads a group holding its four statistics */
    size_t h = find_row(tab, "Age (years)");
    assert_true(tab->rows[h].group_head);
    assert_int_equal(tab->rows[h + 4].group, tab->rows[h].group);
    assert_true(tab->rows[h + 5].group != tab->rows[h].group);
    tlf_table_free(tab);
    tlf_ard_free(ard);
}

static void test_soc_pt_expansion(void **state)
{
    (void)state;
    tlf_ard *ard = fixture_ard();
    tlf_table *tab = build("tests/fixtures/layout/t_ae_soc_pt.json", ard);
    assert_string_equal(tab->hrows[0].spans[1].text, "TAC (N=25)");
    assert_string_equal(tab->rows[0].cells[0], "Any TEAE");
    assert_string_equal(tab->rows[0].cells[1], "22 (88.0)");
    /* SOC rows by descending TAC n_subj (ties alphabetical), each followed by
     * its PTs, indented, in one group */
    double prev = 1e9;
    char prev_label[256] = "";
    size_t nsoc = 0;
    for (size_t i = 1; i < tab->nrows; i++) {
        const tlf_trow *row = &tab->rows[i];
        if (row->indent == 0) {
            nsoc++;
            assert_true(row->group_head);
            double n = atof(row->cells[1]);
            assert_true(n < prev || (n == prev && strcmp(prev_label, row->cells[0]) < 0));
            prev = n;
            snprintf(prev_label, sizeof prev_label, "%s", row->cells[0]);
        } else {
            assert_int_equal(row->indent, 1);
            assert_int_equal(row->group, tab->rows[i - 1].group);
        }
    }
    assert_int_equal(nsoc, 15);
    size_t r = find_row(tab, "Pneumonia");
    assert_int_equal(tab->rows[r].indent, 1);
    /* the parent of Pneumonia is the infections SOC */
    size_t s = r;
    while (tab->rows[s].indent)
        s--;
    assert_string_equal(tab->rows[s].cells[0], "Infections and infestations");
    tlf_table_free(tab);
    tlf_ard_free(ard);
}

static void test_missing_is_error(void **state)
{
    (void)state;
    tlf_ard *ard = fixture_ard();
    char *dir = test_tmpdir("table_missing");
    char path[512];
    snprintf(path, sizeof path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"type\":\"table\",\"number\":\"9\",\"columns\":[{\"id\":\"l\"},"
          "{\"id\":\"tac\",\"select\":{\"group_level\":\"TAC\"},\"format\":\"{median:1}\"}],"
          "\"rows\":[{\"label\":\"Median\",\"select\":{\"analysis_id\":\"os_km\"}}]}", f);
    fclose(f);
    tlf_template *t = NULL;
    tlf_table *tab = NULL;
    tlf_err err;
    assert_int_equal(tlf_template_load(&t, path, &err), 0);
    /* a cell without its record is a program defect (exit 1), not bad input */
    assert_int_equal(tlf_table_from_ard(&tab, t, ard, &err), TLF_EINTERNAL);
    assert_null(tab);
    assert_non_null(strstr(err.msg, "row 'Median', column 'tac'"));
    assert_non_null(strstr(err.msg, "empty value"));
    assert_non_null(strstr(err.msg, "stat_name=median"));
    tlf_template_free(t);
    free(dir);
    tlf_ard_free(ard);
}

/* Write a one-column template whose cell format is fmt, rows by param. */
static tlf_template *dp_template(const char *dir, const char *variable, const char *fmt)
{
    char path[512];
    snprintf(path, sizeof path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"type\":\"table\",\"number\":\"9\",\"columns\":[{\"id\":\"l\"},"
               "{\"id\":\"v\",\"select\":{\"analysis_id\":\"lab\",\"variable\":\"%s\"},"
               "\"format\":\"%s\"}],\"rows\":["
               "{\"label\":\"CK\",\"select\":{\"param\":\"PARAMCD=CK;visit=WEEK 2\"}},"
               "{\"label\":\"CREAT\",\"select\":{\"param\":\"PARAMCD=CREAT;visit=WEEK 2\"}}]}",
            variable, fmt);
    fclose(f);
    tlf_template *t = NULL;
    tlf_err err;
    if (tlf_template_load(&t, path, &err))
        fail_msg("%s", err.msg);
    return t;
}

static void test_dp_decimals(void **state)
{
    (void)state;
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key key = {"9", "lab", "SAF", "ARMCD", "TAC", "AVAL", NULL};
    const struct { const char *cd; long long dp; double mean, sd, min; } P[] = {
        {"CK", 0, 123.456789, 45.678912, 61}, {"CREAT", 2, 0.8123456, 0.1234567, 0.51},
    };
    for (size_t i = 0; i < 2; i++) {
        char param[64];
        snprintf(param, sizeof param, "PARAMCD=%s;visit=WEEK 2", P[i].cd);
        tlf_ard_add_real(ard, &key, "mean", param, P[i].mean);
        tlf_ard_add_real(ard, &key, "sd", param, P[i].sd);
        tlf_ard_add_real(ard, &key, "min", param, P[i].min);
        snprintf(param, sizeof param, "PARAMCD=%s", P[i].cd);   /* parameter level */
        tlf_ard_add_int(ard, &key, "dp", param, P[i].dp);
    }
    char *dir = test_tmpdir("table_dp");
    tlf_template *t = dp_template(dir, "AVAL", "{mean:dp+1} ({sd:dp+2}); {min:dp}");
    tlf_table *tab = NULL;
    tlf_err err;
    if (tlf_table_from_ard(&tab, t, ard, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(tab->rows[find_row(tab, "CK")].cells[1], "123.5 (45.68); 61");
    assert_string_equal(tab->rows[find_row(tab, "CREAT")].cells[1], "0.812 (0.1235); 0.51");
    tlf_table_free(tab);
    tlf_template_free(t);

    /* a malformed spec is a usage error */
    t = dp_template(dir, "AVAL", "{mean:dp*2}");
    tab = NULL;
    assert_int_equal(tlf_table_from_ard(&tab, t, ard, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "dp*2"));
    tlf_template_free(t);

    /* no dp record for the selector (variable CHG has none): an error naming
     * template, row, column and the query */
    t = dp_template(dir, "CHG", "{mean:dp+1}");
    tlf_ard_key chg = key;
    chg.variable = "CHG";
    tlf_ard_add_real(ard, &chg, "mean", "PARAMCD=CK;visit=WEEK 2", 5.5);
    tab = NULL;
    assert_int_equal(tlf_table_from_ard(&tab, t, ard, &err), TLF_EINTERNAL);
    assert_null(tab);
    assert_non_null(strstr(err.msg, "t.json"));
    assert_non_null(strstr(err.msg, "row 'CK', column 'v'"));
    assert_non_null(strstr(err.msg, "stat_name=dp"));
    assert_non_null(strstr(err.msg, "variable=CHG"));
    tlf_template_free(t);
    free(dir);
    tlf_ard_free(ard);
}

/* Record coverage: a table marks every record it read (cells, header N,
 * the not-estimable record whose note replaces a cell) and no other. */
static size_t row_of(const tlf_ard *ard, const char *analysis, const char *level,
                     const char *stat, const char *param)
{
    for (size_t i = 0; i < ard->n; i++)
        if (strcmp(ard->rows[i].analysis_id, analysis) == 0 &&
            strcmp(ard->rows[i].group_level, level) == 0 &&
            strcmp(ard->rows[i].stat_name, stat) == 0 && strcmp(ard->rows[i].param, param) == 0)
            return i;
    fail_msg("no record %s %s %s %s", analysis, level, stat, param);
    return 0;
}

static void test_records_used(void **state)
{
    (void)state;
    tlf_ard *ard = fixture_ard();
    char *path = test_source_path("tests/fixtures/layout/t_summary.json");
    tlf_template *t = NULL;
    tlf_table *tab = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    unsigned char *used = calloc(ard->n, 1);
    if (tlf_template_load(&t, path, &err) || tlf_table_from_ard_used(&tab, t, ard, used, &err))
        fail_msg("%s", err.msg);
    assert_true(used[row_of(ard, "age_summary", "HC", "sd", "")]);
    assert_true(used[row_of(ard, "age_summary", "TAC", "max", "")]);
    assert_true(used[row_of(ard, "os_km", "TAC", "n", "")]);               /* header N */
    assert_true(used[row_of(ard, "os_km", "HC", "lcl_at", "t=365;ci=loglog")]);
    assert_true(used[row_of(ard, "os_km", "TAC", "median", "")]);   /* missing: "NE" */
    assert_true(used[row_of(ard, "os_cox", "", "estimable", "reason=no events in the HC arm")]);
    /* not on this table */
    assert_false(used[row_of(ard, "ae_teae", "TAC", "n_event", "")]);
    assert_false(used[row_of(ard, "os_cox", "", "n_event", "")]);
    size_t n_used = 0;
    for (size_t i = 0; i < ard->n; i++)
        n_used += used[i];
    assert_true(n_used > 20 && n_used < 40);
    free(used);
    tlf_table_free(tab);
    tlf_template_free(t);
    free(path);
    tlf_ard_free(ard);
}

/* Visit rows from the study configuration (issue 15): the shipped study
 * with a baseline label and WEEK 2 relabelled, so the labels can only come
 * from the configuration, and an ARD holding the visits out of schedule
 * order with one visit the configuration does not name. */
static tlf_study *relabelled_study(const char *dir)
{
    char *src = test_source_path("config/study.json");
    json_error_t jerr;
    json_t *doc = json_load_file(src, 0, &jerr);
    assert_non_null(doc);
    json_object_set_new(doc, "baseline_label", json_string("Day 1"));
    json_t *v0 = json_array_get(json_object_get(doc, "visits"), 0);
    assert_string_equal(json_string_value(json_object_get(v0, "name")), "WEEK 2");
    json_object_set_new(v0, "label", json_string("Wk 2"));
    /* and the first model covariate (AGE) relabelled */
    json_t *c0 = json_array_get(json_object_get(json_object_get(doc, "models"), "covariates"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "name")), "AGE");
    json_object_set_new(c0, "label", json_string("Age at consent"));
    /* the study file names its AESI file relative to itself */
    char *aesi = test_source_path("config/aesi.json");
    json_object_set_new(doc, "aesi", json_string(aesi));
    char path[512];
    snprintf(path, sizeof path, "%s/study.json", dir);
    assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
    json_decref(doc);
    tlf_study *st = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_study_load(&st, path, &err))
        fail_msg("%s", err.msg);
    free(aesi);
    free(src);
    return st;
}

static tlf_template *write_load(const char *dir, const char *rows, const tlf_study *st,
                                tlf_err *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"type\":\"table\",\"number\":\"9\",\"columns\":[{\"id\":\"l\"},"
               "{\"id\":\"v\",\"format\":\"{n}\"}],\"rows\":[%s]}", rows);
    fclose(f);
    tlf_template *t = NULL;
    tlf_err_clear(err);
    tlf_template_load_study(&t, path, st, err);
    return t;
}

/* The table of a template with these rows over ard; fails the test on an error. */
static tlf_table *visit_table(const char *dir, const char *rows, const tlf_study *st,
                              const tlf_ard *ard)
{
    tlf_err err;
    tlf_template *t = write_load(dir, rows, st, &err);
    tlf_table *tab = NULL;
    if (!t || tlf_table_from_ard(&tab, t, ard, &err))
        fail_msg("%s", err.msg);
    tlf_template_free(t);
    return tab;
}

/* The labels of column 0 from row first on, joined with '|'. */
static char *labels_from(const tlf_table *tab, size_t first)
{
    size_t len = 1;
    for (size_t i = first; i < tab->nrows; i++)
        len += strlen(tab->rows[i].cells[0]) + 1;
    char *s = calloc(1, len);
    for (size_t i = first; i < tab->nrows; i++) {
        if (i > first)
            strcat(s, "|");
        strcat(s, tab->rows[i].cells[0]);
    }
    return s;
}

static void test_visit_rows_from_study(void **state)
{
    (void)state;
    char *dir = test_tmpdir("table_visits");
    tlf_study *st = relabelled_study(dir);
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key key = {"9", "trough", "SAF", "ARMCD", "TAC", "X", NULL};
    const char *visits[] = {"UNSCHEDULED 1", "WEEK 8", "BASELINE", "WEEK 2", "WEEK 4"};
    for (size_t i = 0; i < 5; i++) {
        char param[64];
        snprintf(param, sizeof param, "visit=%s", visits[i]);
        tlf_ard_add_int(ard, &key, "n", param, (long long)i + 10);
    }
    /* an expanded visit row: the configured schedule's order (baseline,
     * then visits[]) and labels, then the unconfigured visit by name */
    tlf_table *tab = visit_table(dir, "{\"expand_param\":\"visit\",\"levels\":\"visits\","
                                 "\"select\":{\"analysis_id\":\"trough\"}}", st, ard);
    char *got = labels_from(tab, 0);
    assert_string_equal(got, "Day 1|Wk 2|Week 4|Week 8|UNSCHEDULED 1");
    assert_string_equal(tab->rows[0].cells[1], "12");   /* BASELINE's record */
    assert_string_equal(tab->rows[4].cells[1], "10");   /* UNSCHEDULED 1's   */
    free(got);
    tlf_table_free(tab);

    /* a template label still wins; without "levels" the ARD's order and names */
    tab = visit_table(dir, "{\"expand_param\":\"visit\",\"levels\":\"visits\",\"labels\":"
                      "{\"WEEK 4\":\"Month 1\"},\"select\":{\"analysis_id\":\"trough\"}},"
                      "{\"expand_param\":\"visit\",\"select\":{\"analysis_id\":\"trough\"}}",
                      st, ard);
    got = labels_from(tab, 0);
    assert_string_equal(got, "Day 1|Wk 2|Month 1|Week 8|UNSCHEDULED 1|"
                             "UNSCHEDULED 1|WEEK 8|BASELINE|WEEK 2|WEEK 4");
    free(got);
    tlf_table_free(tab);

    /* a block per visit (14.1.5): heads in schedule order, the label in
     * lower case through the filter */
    tab = visit_table(dir, "{\"block\":{\"select\":{\"analysis_id\":\"trough\"},\"by\":\"visit\","
                      "\"levels\":\"visits\",\"label\":\"Trough, {label|lower} [d]\"},"
                      "\"rows\":[{\"label\":\"n\",\"indent\":1,\"select\":{\"analysis_id\":"
                      "\"trough\"}}]}", st, ard);
    got = labels_from(tab, 0);
    assert_string_equal(got, "Trough, day 1 [d]|n|Trough, wk 2 [d]|n|Trough, week 4 [d]|n|"
                             "Trough, week 8 [d]|n|Trough, unscheduled 1 [d]|n");
    assert_true(tab->rows[2].group_head);
    assert_string_equal(tab->rows[3].cells[1], "13");   /* WEEK 2 */
    free(got);
    tlf_table_free(tab);

    /* a block per characteristic parameter (14.1.4, by variable): the
     * configured ones in their order (RE before LB) with short label and
     * unit; a variable that is no characteristic parameter (AGE) is none */
    tlf_ard_key dk = {"9", "demog", "FAS", "ARMCD", "TAC", NULL, NULL};
    const char *vars[] = {"AGE", "CK", "VCPP"};
    for (size_t i = 0; i < 3; i++) {
        dk.variable = vars[i];
        tlf_ard_add_int(ard, &dk, "n", NULL, (long long)i + 20);
    }
    tab = visit_table(dir, "{\"block\":{\"select\":{\"analysis_id\":\"demog\"},\"by\":"
                      "\"variable\",\"levels\":\"characteristics\",\"label\":"
                      "\"{label} at baseline ({unit})\"},\"rows\":[{\"label\":\"n\","
                      "\"indent\":1,\"select\":{\"analysis_id\":\"demog\"}}]}", st, ard);
    got = labels_from(tab, 0);
    assert_string_equal(got, "%VC at baseline (% predicted)|n|CK at baseline (U/L)|n");
    assert_string_equal(tab->rows[1].cells[1], "22");
    assert_string_equal(tab->rows[3].cells[1], "21");
    free(got);
    tlf_table_free(tab);

    /* "levels" needs the study configuration and knows only its kinds */
    tlf_err err;
    tlf_template *t = write_load(dir, "{\"expand_param\":\"visit\",\"levels\":\"visits\","
                   "\"select\":{\"analysis_id\":\"trough\"}}", NULL, &err);
    assert_null(t);
    assert_int_equal(err.code, TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "rows[0].levels"));
    assert_non_null(strstr(err.msg, "study configuration"));
    t = write_load(dir, "{\"expand_param\":\"visit\",\"levels\":\"weeks\","
                   "\"select\":{\"analysis_id\":\"trough\"}}", st, &err);
    assert_null(t);
    assert_non_null(strstr(err.msg, "expected \"visits\", \"characteristics\""));
    t = write_load(dir, "{\"label\":\"x\",\"levels\":\"visits\"}", st, &err);
    assert_null(t);
    assert_non_null(strstr(err.msg, "only an \"expand_param\" row"));
    tlf_ard_free(ard);
    tlf_study_free(st);
    free(dir);
}

/* Rows over a model's terms (14.2.1.3): "expand_param": "variable" with
 * "levels": "models.propensity_score" gives one row per configured
 * covariate in model order, labelled from the configuration, each
 * selecting variable = term; the model's other records (intercept, model)
 * make no row, a term without a record keeps its row, and a model that
 * was not fitted says so on every term row. */
static void test_model_term_rows(void **state)
{
    (void)state;
    char *dir = test_tmpdir("table_terms");
    tlf_study *st = relabelled_study(dir);
    tlf_ard *ard = tlf_ard_new();
    tlf_ard_key key = {"9", "ps", "FAS", "", "", NULL, NULL};
    /* out of model order; SEXM, MYOTYPEDMCADM and IPCOURSEACUTE have none */
    const char *vars[] = {"MDA5ABPOS", "(Intercept)", "AGE", "model"};
    for (size_t i = 0; i < 4; i++) {
        key.variable = vars[i];
        tlf_ard_add_int(ard, &key, "n", NULL, (long long)i + 1);
    }
    const char *row = "{\"expand_param\":\"variable\",\"levels\":\"%s\",\"indent\":1,"
                      "\"missing\":\"-\",\"select\":{\"analysis_id\":\"%s\"}%s}";
    char spec[512];
    snprintf(spec, sizeof spec, row, "models.propensity_score", "ps", "");
    tlf_table *tab = visit_table(dir, spec, st, ard);
    char *got = labels_from(tab, 0);
    assert_string_equal(got, "Age at consent|Sex: male|Myositis type: DM or CADM (vs PM)|"
                             "IP course: acute (vs chronic)|Anti-MDA5 antibody: positive");
    static const char *const CELLS[] = {"3", "-", "-", "-", "1"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(tab->rows[i].cells[1], CELLS[i]);
    assert_int_equal(tab->rows[0].indent, 1);
    free(got);
    tlf_table_free(tab);
    /* the adjusted Cox model's terms: its own list (no IP course) */
    snprintf(spec, sizeof spec, row, "models.cox_adjusted", "ps", "");
    tab = visit_table(dir, spec, st, ard);
    got = labels_from(tab, 0);
    assert_string_equal(got, "Age at consent|Sex: male|Myositis type: DM or CADM (vs PM)|"
                             "Anti-MDA5 antibody: positive");
    free(got);
    tlf_table_free(tab);
    /* not fitted: only the model's estimable record; every term row says why */
    tlf_ard_key mk = {"9", "ps2", "FAS", "", "", "model", NULL};
    tlf_ard_add_int(ard, &mk, "estimable", "reason=separation", 0);
    snprintf(spec, sizeof spec, row, "models.propensity_score", "ps2",
             ",\"not_estimable\":{\"select\":{\"variable\":\"model\"},"
             "\"text\":\"Not fitted ({reason})\"}");
    tab = visit_table(dir, spec, st, ard);
    assert_int_equal(tab->nrows, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(tab->rows[i].cells[1], "Not fitted (separation)");
    tlf_table_free(tab);
    tlf_ard_free(ard);
    tlf_study_free(st);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_cells),
        cmocka_unit_test(test_soc_pt_expansion),
        cmocka_unit_test(test_missing_is_error),
        cmocka_unit_test(test_dp_decimals),
        cmocka_unit_test(test_records_used),
        cmocka_unit_test(test_visit_rows_from_study),
        cmocka_unit_test(test_model_term_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
