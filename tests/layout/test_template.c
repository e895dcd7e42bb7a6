/* test_template.c - template loading and validation (layout/template.h). */
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/template.h"
#include "study/study.h"

static char *write_tmp(const char *tag, const char *json)
{
    char *dir = test_tmpdir(tag);
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/t.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    free(dir);
    return path;
}

/* A study configuration from the source tree (rel), for the study variables. */
static tlf_study *load_study(const char *rel)
{
    char *path = test_source_path(rel);
    tlf_study *st = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_study_load(&st, path, &err) != 0)
        fail_msg("%s", err.msg);
    free(path);
    return st;
}

/* Load json and expect failure whose message contains each of want[]. */
static void expect_error(const char *tag, const char *json, int code, const char *w1,
                         const char *w2)
{
    char *path = write_tmp(tag, json);
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_study *st = load_study("config/study.json");
    assert_int_equal(tlf_template_load_study(&t, path, st, &err), code);
    tlf_study_free(st);
    assert_null(t);
    if (!strstr(err.msg, path) || !strstr(err.msg, w1) || (w2 && !strstr(err.msg, w2)))
        fail_msg("message '%s' lacks '%s' / '%s' / the file name", err.msg, w1, w2 ? w2 : "");
    free(path);
}

/* Load json (written under tag) with st; fails the test on an error. */
static tlf_template *load_ok(const char *tag, const char *json, const tlf_study *st)
{
    char *path = write_tmp(tag, json);
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load_study(&t, path, st, &err) != 0)
        fail_msg("%s", err.msg);
    free(path);
    return t;
}

#define HEAD "{\"type\":\"table\",\"number\":\"14.1\","

static void test_fixtures_load(void **state)
{
    (void)state;
    const char *names[] = {"t_ae_soc_pt.json", "t_summary.json", "t_ae_listing.json"};
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/fixtures/layout/%s", names[i]);
        char *path = test_source_path(rel);
        tlf_template *t = NULL;
        tlf_err err;
        tlf_err_clear(&err);
        if (tlf_template_load(&t, path, &err) != 0)
            fail_msg("%s", err.msg);
        assert_true(t->ncols >= 3);
        tlf_template_free(t);
        free(path);
    }
    char *path = test_source_path("tests/fixtures/layout/t_ae_soc_pt.json");
    tlf_template *t = NULL;
    tlf_err err;
    assert_int_equal(tlf_template_load(&t, path, &err), 0);
    assert_int_equal(t->kind, TLF_TPL_TABLE);
    assert_string_equal(t->cols[1].format, "{n_subj} ({pct:1})");
    assert_int_equal(t->cols[1].align, TLF_ALIGN_DECIMAL);
    assert_int_equal(t->nhrows, 1);
    assert_int_equal(t->hrows[0].spans[2].first, 3);
    assert_int_equal(t->hrows[0].spans[2].ncols, 2);
    assert_true(t->rows[1].expand);
    assert_non_null(t->rows[1].children);
    assert_string_equal(t->rows[1].children->parent_param, "AEBODSYS");
    assert_true(t->landscape);
    assert_true(t->font_size == 9.0);
    tlf_template_free(t);
    free(path);
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_error("tpl_unknown_top", HEAD "\"colums\":[]}", TLF_EUSAGE, "colums", "unknown key");
    expect_error("tpl_unknown_nested",
                 HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"},"
                      "{\"label\":\"y\",\"select\":{\"analysis\":\"ae\"}}]}",
                 TLF_EUSAGE, "rows[1].select.analysis", "expected one of");
}

static void test_wrong_type(void **state)
{
    (void)state;
    expect_error("tpl_type_num", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":3}]}",
                 TLF_EUSAGE, "rows[0].label: expected a string, got an integer", NULL);
    expect_error("tpl_type_titles", HEAD "\"titles\":\"x\",\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "titles: expected an array of strings, got a string", NULL);
    expect_error("tpl_align", HEAD "\"columns\":[{\"id\":\"a\",\"align\":\"middle\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].align", "\"decimal\", got \"middle\"");
    expect_error("tpl_width", HEAD "\"columns\":[{\"id\":\"a\",\"width\":\"wide\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].width", "100 or \"fit\", got \"wide\"");
    expect_error("tpl_width_num", HEAD "\"columns\":[{\"id\":\"a\",\"width\":0}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].width", "from 1 to 100");
    expect_error("tpl_font", HEAD "\"page\":{\"font_size\":8},\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "page.font_size", "9 to 12");
    expect_error("tpl_labels", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                 "\"select\":{\"analysis_id\":\"x\"},\"labels\":{\"DEATH\":1}}]}",
                 TLF_EUSAGE, "rows[0].labels.DEATH: expected a string, got an integer", NULL);
    expect_error("tpl_labels_obj", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                 "\"select\":{\"analysis_id\":\"x\"},\"labels\":[\"x\"]}]}",
                 TLF_EUSAGE, "rows[0].labels: expected an object", NULL);
    expect_error("tpl_missing_id", HEAD "\"columns\":[{\"header\":\"a\"}],\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "columns[0].id: expected a string, got nothing", NULL);
    expect_error("tpl_type", "{\"type\":\"graph\",\"number\":\"1\"}", TLF_EUSAGE,
                 "type: expected \"table\", \"listing\" or \"figure\"", NULL);
    expect_error("tpl_fig_missing", "{\"type\":\"figure\",\"number\":\"1\"}", TLF_EUSAGE,
                 "figure: expected an object", NULL);
    expect_error("tpl_fig_kind", "{\"type\":\"figure\",\"number\":\"1\",\"figure\":"
                 "{\"kind\":\"pie\",\"select\":{\"analysis_id\":\"os_km\"}}}", TLF_EUSAGE,
                 "figure.kind: expected \"km\" or \"line\", got \"pie\"", NULL);
    expect_error("tpl_fig_arm", "{\"type\":\"figure\",\"number\":\"1\",\"figure\":"
                 "{\"kind\":\"km\",\"select\":{\"analysis_id\":\"os_km\"},"
                 "\"arms\":[{\"level\":\"TAC\",\"line\":\"wavy\"}]}}", TLF_EUSAGE,
                 "figure.arms[0].line: expected \"solid\", \"dashed\" or \"dotted\"", NULL);
    expect_error("tpl_fig_cols", "{\"type\":\"figure\",\"number\":\"1\",\"columns\":[]}",
                 TLF_EUSAGE, "columns: figures do not have this key", NULL);
    expect_error("tpl_span", HEAD "\"columns\":[{\"id\":\"a\"}],\"header_rows\":[[{\"text\":\"x\",\"span\":2}]],"
                                  "\"rows\":[{\"label\":\"x\"}]}",
                 TLF_EUSAGE, "header_rows[0][0].span", "cover 2 columns");
    expect_error("tpl_listing_rows", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"adae\","
                                     "\"columns\":[{\"id\":\"a\",\"value\":\"{X}\"}],\"rows\":[]}",
                 TLF_EUSAGE, "rows", "dataset");
    expect_error("tpl_listing_value", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"adae\","
                                      "\"columns\":[{\"id\":\"a\",\"format\":\"{X}\"}]}",
                 TLF_EUSAGE, "columns[0].format", "unknown key");
    expect_error("tpl_children", HEAD "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"expand\":true,"
                                      "\"select\":{\"variable\":\"AEBODSYS\"},\"children\":{\"select\":{}}}]}",
                 TLF_EUSAGE, "rows[0].children.parent_param", NULL);
}

/* "width": a share in % or "fit" (as wide as the column's widest value). */
static void test_width_fit(void **state)
{
    (void)state;
    char *path = write_tmp("tpl_fit", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"ADAE\","
                                      "\"columns\":[{\"id\":\"a\",\"value\":\"{X}\",\"width\":\"fit\"},"
                                      "{\"id\":\"b\",\"value\":\"{Y}\",\"width\":30},"
                                      "{\"id\":\"c\",\"value\":\"{Z}\"}]}");
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load(&t, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_true(t->cols[0].fit && t->cols[0].width_pct == 0);
    assert_true(!t->cols[1].fit && t->cols[1].width_pct == 30);
    assert_true(!t->cols[2].fit && t->cols[2].width_pct == 0);
    tlf_template_free(t);
    free(path);
}

static void test_not_json(void **state)
{
    (void)state;
    expect_error("tpl_syntax", "{\"type\": \"table\",,}", TLF_EINPUT, "line 1", NULL);
    expect_error("tpl_dup", "{\"type\":\"table\",\"type\":\"table\"}", TLF_EINPUT, "duplicate", NULL);
}

/* ---- every shipped template (templates/): one house style ---- */

/* The paths of the .json files in templates/ but the catalog (caller frees). */
static char **shipped(size_t *n)
{
    char *dir = test_source_path("templates");
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **v = NULL;
    *n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
            strcmp(e->d_name, "catalog.json") == 0)
            continue;
        v = realloc(v, (*n + 1) * sizeof *v);
        v[*n] = malloc(strlen(dir) + len + 2);
        sprintf(v[*n], "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    free(dir);
    assert_true(*n >= 30);
    return v;
}

static int minor_word(const char *w, size_t len)
{
    /* articles, conjunctions and short prepositions stay lower case */
    static const char *const MINOR[] = {"a", "an", "the", "and", "or", "nor", "but", "of",
                                        "to", "up", "by", "in", "on", "at", "for", "vs",
                                        "per", "with", "from", "as", "into", "than", NULL};
    for (size_t i = 0; MINOR[i]; i++)
        if (strlen(MINOR[i]) == len && strncmp(MINOR[i], w, len) == 0)
            return 1;
    return 0;
}

/* NULL when title is in Title Case as the shells' page mock-up ("Overall
 * Survival up to Week 52"): every word (and every part of a hyphenated
 * word) starts with a capital, except minor words after the first word;
 * the word after a colon counts as a first word. Words not starting with
 * a letter (%VC, +/-) are as they are. Else the offending word. */
static const char *title_case_fault(const char *title, char *word, size_t wn)
{
    int first = 1;
    for (const char *p = title; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - w);
        if (!len)
            break;
        snprintf(word, wn, "%.*s", (int)len, w);
        for (const char *q = w; q < p;) {   /* the parts of a hyphenated word */
            const char *e = q;
            while (e < p && *e != '-')
                e++;
            const char *c = q;
            while (c < e && (*c == '(' || *c == '"' || *c == '\''))
                c++;
            if (c < e && isalpha((unsigned char)*c)) {
                size_t cl = 0;
                char low[32];
                while (c + cl < e && isalpha((unsigned char)c[cl]) && cl + 1 < sizeof low) {
                    low[cl] = (char)tolower((unsigned char)c[cl]);
                    cl++;
                }
                int lead = first && q == w;
                int want_upper = lead || !minor_word(low, cl);
                if (want_upper != (isupper((unsigned char)*c) != 0))
                    return word;
            }
            q = e < p ? e + 1 : e;
        }
        first = p[-1] == ':';
    }
    return NULL;
}

static void test_title_case_rule(void **state)
{
    (void)state;
    char w[128];
    assert_null(title_case_fault("Overall Survival up to Week 52", w, sizeof w));
    assert_null(title_case_fault("Treatment-Emergent Adverse Events by SOC", w, sizeof w));
    assert_null(title_case_fault("%VC (% Predicted): Mean +/- SE by Visit", w, sizeof w));
    assert_null(title_case_fault("Listing of Time-to-Event Data per Subject (OS, PFS)", w, sizeof w));
    assert_null(title_case_fault("Sensitivity: The Weighted Model", w, sizeof w));
    assert_string_equal(title_case_fault("Overall survival up to Week 52", w, sizeof w), "survival");
    assert_string_equal(title_case_fault("Overall Survival Up to Week 52", w, sizeof w), "Up");
    assert_string_equal(title_case_fault("Treatment-emergent Events", w, sizeof w),
                        "Treatment-emergent");
    assert_string_equal(title_case_fault("deaths", w, sizeof w), "deaths");
}

/* Every title and population line of every shipped template follows the
 * one title style. */
static void test_shipped_titles(void **state)
{
    (void)state;
    size_t n;
    char **paths = shipped(&n);
    tlf_study *st = load_study("config/study.json");
    for (size_t i = 0; i < n; i++) {
        tlf_template *t = NULL;
        tlf_err err;
        tlf_err_clear(&err);
        if (tlf_template_load_study(&t, paths[i], st, &err) != 0)
            fail_msg("%s", err.msg);
        assert_true(t->ntitles >= 1);
        for (size_t k = 0; k <= t->ntitles; k++) {
            /* the titles, then the population line (the shells: "Full
             * Analysis Set and Historical Controls") */
            const char *line = k < t->ntitles ? t->titles[k] : t->population;
            char w[128];
            const char *bad = line ? title_case_fault(line, w, sizeof w) : NULL;
            if (bad)
                fail_msg("%s: title \"%s\": \"%s\" is not in Title Case", paths[i], line, bad);
        }
        tlf_template_free(t);
        free(paths[i]);
    }
    free(paths);
    tlf_study_free(st);
}

/* Every shipped template loads with another study's configuration and
 * then names none of the demo study's arms, drug or landmark: what a
 * template shows of the study comes from its {{variables}}. */
static void test_shipped_other_study(void **state)
{
    (void)state;
    size_t n;
    char **paths = shipped(&n);
    tlf_study *st = load_study("tests/fixtures/study/alt_study.json");
    for (size_t i = 0; i < n; i++) {
        char *raw = test_read_file(paths[i], NULL);
        assert_non_null(raw);
        tlf_template *t = NULL;
        tlf_err err;
        tlf_err_clear(&err);
        if (tlf_template_load_study(&t, paths[i], st, &err) != 0)
            fail_msg("%s", err.msg);
        /* the demo names may only appear in the raw file inside program-made
         * codes (TACTOT, HCFL, DTH52FL): never as a word of a string */
        const char *words[] = {"\"TAC\"", "TAC ", "\"HC\"", " HC ", "(HC)", "Tacrolimus",
                               "tacrolimus", "TACROLIMUS", "day 365", "Week 52 change"};
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (strstr(raw, words[w]))
                fail_msg("%s names the demo study: %s", paths[i], words[w]);
        if (t->figure)
            assert_true(t->figure->x_max == (t->figure->days ? 180 : 26));
        tlf_template_free(t);
        free(raw);
        free(paths[i]);
    }
    free(paths);
    tlf_study_free(st);
}

/* {{variables}} in values and in keys, filters, and the errors: unknown
 * variable (file, key path and name), no study, unknown filter. */
static void test_study_vars(void **state)
{
    (void)state;
    tlf_study *st = load_study("tests/fixtures/study/alt_study.json");
    char *path = write_tmp("tpl_vars",
        HEAD "\"titles\":[\"{{drug.label}} up to Week {{landmark.week}} (day {{landmark.day}})\"],"
        "\"population\":\"{{arm.treated.label}} / {{arm.control.short_label}} / "
        "{{baseline.label}} {{baseline.visit|lower}}\","
        "\"columns\":[{\"id\":\"a\",\"header\":\"{{arm.treated}} {{drug.label|lower}} "
        "{{drug.label|upper}}\",\"select\":{\"analysis_id\":\"x\","
        "\"group_level\":\"{{arm.control}}\"}}],"
        "\"rows\":[{\"label\":\"r\",\"labels\":{\"{{drug.extrt}} STOPPED\":\"stopped\","
        "\"Z\":\"z\"}}]}");
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load_study(&t, path, st, &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(t->titles[0], "Zexolimus up to Week 26 (day 180)");
    assert_string_equal(t->population,
                        "Zexolimus + glucocorticoids / B (GC alone) / Pre-treatment baseline");
    assert_string_equal(t->cols[0].header, "A zexolimus ZEXOLIMUS");
    assert_string_equal(t->cols[0].select.group_level, "B");
    tlf_template_free(t);
    /* without a study, a variable is an error naming it */
    tlf_err_clear(&err);
    assert_int_equal(tlf_template_load(&t, path, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "titles[0]: study variable {{drug.label}} needs the study"));
    free(path);
    path = write_tmp("tpl_vars_bad", HEAD "\"titles\":[\"T\"],\"columns\":[{\"id\":\"a\","
                     "\"header\":\"{{arm.placebo}}\"}],\"rows\":[]}");
    tlf_err_clear(&err);
    assert_int_equal(tlf_template_load_study(&t, path, st, &err), TLF_EUSAGE);
    if (!strstr(err.msg, path) || !strstr(err.msg, "columns[0].header: unknown study variable {{arm.placebo}}"))
        fail_msg("%s", err.msg);
    free(path);
    path = write_tmp("tpl_vars_filter", HEAD "\"titles\":[\"{{drug.label|camel}}\"],"
                     "\"columns\":[],\"rows\":[]}");
    tlf_err_clear(&err);
    assert_int_equal(tlf_template_load_study(&t, path, st, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "unknown filter \"camel\""));
    free(path);
    /* |title: each word's first letter; the schedule's first and last
     * visit; the figure parameter; the glucocorticoid factors */
    t = load_ok("tpl_vars_title", HEAD "\"titles\":[\"{{param.figure.unit|title}}; "
                "{{param.figure|lower}}; {{visit.first.label}} {{visit.first.window.first}}-"
                "{{visit.first.window.last}}, {{visit.last.label}} "
                "{{visit.last.window.last}}; {{response.responder}}; {{gc.factors|lower}}\"],"
                "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"r\"}]}", st);
    assert_string_equal(t->titles[0], "% Predicted; vcpp; Wk 2 2-21, Week 52 393; IMPROVED; "
                                       "methylprednisolone x 1.25");
    tlf_template_free(t);
    /* the models in words, from the configuration's labels (the other
     * study renames a covariate, drops one and relabels the stratum), and
     * the characteristic parameters with their units */
    t = load_ok("tpl_vars_models", HEAD "\"footnotes\":[\"{{models.stratified_logrank}}\","
                "\"{{models.stratified_logrank.label|upper}}\",\"{{models.cox_adjusted}}\","
                "\"{{models.propensity_score}}\",\"{{param.characteristic.list.units}}\","
                "\"{{param.characteristic.list}}\"],"
                "\"columns\":[{\"id\":\"a\"}],\"rows\":[{\"label\":\"r\"}]}", st);
    assert_int_equal(t->nfootnotes, 6);
    assert_string_equal(t->footnotes[0], "onset type (first episode / recurrence)");
    assert_string_equal(t->footnotes[1], "ONSET TYPE");
    assert_string_equal(t->footnotes[2], "age, sex, myositis type (DM or CADM vs PM) and MDA5 "
                                         "antibody (present vs absent or not tested)");
    assert_string_equal(t->footnotes[3], t->footnotes[2]);
    assert_string_equal(t->footnotes[4], "%VC (% predicted), %DLCO (% predicted), KL-6 (U/mL), "
                                         "Creatine Kinase (U/L) and Muscle score (score 0-80)");
    assert_string_equal(t->footnotes[5], "%VC, %DLCO, KL-6, Creatine Kinase and Muscle score");
    tlf_template_free(t);
    /* an unknown model or list is an unknown variable */
    expect_error("tpl_vars_models_bad", HEAD "\"titles\":[\"{{models.cox}}\"],\"columns\":"
                 "[{\"id\":\"a\"}],\"rows\":[]}", TLF_EUSAGE,
                 "unknown study variable {{models.cox}}", NULL);
    expect_error("tpl_vars_list_bad", HEAD "\"titles\":[\"{{param.LB.list}}\"],\"columns\":"
                 "[{\"id\":\"a\"}],\"rows\":[]}", TLF_EUSAGE,
                 "unknown study variable {{param.LB.list}}", NULL);
    tlf_study_free(st);
}

/* A listing column with "levels": "characteristics" is one column per
 * parameter with the characteristic role, in the configuration's order:
 * header from the level's label and unit, value its baseline column (the
 * other study renames MMT8 and its baseline variable). Errors: a kind with
 * no dataset column, a value of its own, no study configuration. */
static void test_listing_level_columns(void **state)
{
    (void)state;
    tlf_study *st = load_study("tests/fixtures/study/alt_study.json");
    const char *fmt = "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":\"ADSL\","
                      "\"columns\":[{\"id\":\"s\",\"value\":\"{USUBJID}\"},{\"id\":\"bl\","
                      "\"levels\":\"%s\",\"header\":\"{label}\\n({unit})\",\"align\":\"right\"%s},"
                      "{\"id\":\"d\",\"value\":\"{DAY1DT}\"}]}";
    char json[1024];
    snprintf(json, sizeof json, fmt, "characteristics", "");
    char *path = write_tmp("tpl_lcols", json);
    tlf_template *t = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_template_load_study(&t, path, st, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(t->ncols, 7);
    static const char *const WANT[5][3] = {
        {"bl.VCPP", "%VC\n(% predicted)", "{BLVCPP}"},
        {"bl.DLCOPP", "%DLCO\n(% predicted)", "{BLDLCOPP}"},
        {"bl.KL6", "KL-6\n(U/mL)", "{BLKL6}"},
        {"bl.CK", "Creatine Kinase\n(U/L)", "{BLCK}"},
        {"bl.MMT8", "Muscle score\n(score 0-80)", "{BLMUSCLE}"}};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(t->cols[i + 1].id, WANT[i][0]);
        assert_string_equal(t->cols[i + 1].header, WANT[i][1]);
        assert_string_equal(t->cols[i + 1].value, WANT[i][2]);
        assert_int_equal(t->cols[i + 1].align, TLF_ALIGN_RIGHT);
    }
    assert_string_equal(t->cols[6].value, "{DAY1DT}");
    tlf_template_free(t);
    /* without the study configuration */
    tlf_err_clear(&err);
    assert_int_equal(tlf_template_load(&t, path, &err), TLF_EUSAGE);
    assert_non_null(strstr(err.msg, "columns[1].levels: \"characteristics\" needs the study"));
    free(path);
    /* visits have no dataset column; a value of its own is refused */
    snprintf(json, sizeof json, fmt, "visits", "");
    expect_error("tpl_lcols_visits", json, TLF_EUSAGE,
                 "columns[1].levels: \"visits\" has no dataset column", NULL);
    snprintf(json, sizeof json, fmt, "characteristics", ",\"value\":\"{BLCK}\"");
    expect_error("tpl_lcols_value", json, TLF_EUSAGE, "columns[1].value: a column with levels",
                 NULL);
    /* a message names the template's column, not the expanded one's */
    expect_error("tpl_lcols_key", "{\"type\":\"listing\",\"number\":\"16\",\"dataset\":"
                 "\"ADSL\",\"columns\":[{\"id\":\"bl\",\"levels\":\"characteristics\"},"
                 "{\"id\":\"d\",\"value\":\"{DAY1DT}\",\"colour\":\"red\"}]}", TLF_EUSAGE,
                 "columns[1].colour: unknown key", NULL);
    tlf_study_free(st);
}

/* Footnote letters: walking the template's strings in file order (column
 * headers, header rows, row labels and display labels, top to bottom),
 * the letters [a], [b], ... are first referenced in alphabetical order;
 * the lettered footnotes are one per line ("[x] " only at the start of a
 * footnote) and come in that order, one for every letter referenced. */
static void test_shipped_footnote_letters(void **state)
{
    (void)state;
    size_t n;
    char **paths = shipped(&n);
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        char *text = test_read_file(paths[i], NULL);
        assert_non_null(text);
        char refs[27] = "", notes[27] = "";
        size_t nr = 0, nn = 0;
        int in_notes = 0, depth = 0, notes_depth = -1, key_footnotes = 0;
        for (char *p = text; *p; p++) {
            if (*p == '[' || *p == '{')
                depth++;
            if (*p == ']' || *p == '}') {
                depth--;
                if (in_notes && depth < notes_depth)
                    in_notes = 0;
            }
            if (*p == '[' && key_footnotes) {
                in_notes = 1;
                notes_depth = depth;
            }
            if (*p != '"') {
                if (*p != ' ' && *p != ':' && *p != '\n')
                    key_footnotes = 0;
                continue;
            }
            char *s = ++p;   /* a JSON string: up to the unescaped quote */
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            size_t len = (size_t)(p - s);
            key_footnotes = !in_notes && len == 9 && strncmp(s, "footnotes", 9) == 0;
            for (size_t k = 0; k + 2 < len; k++) {
                if (!(s[k] == '[' && islower((unsigned char)s[k + 1]) && s[k + 2] == ']' &&
                      (k + 3 == len || s[k + 3] == ' ' || s[k + 3] == '"')))
                    continue;
                char c = s[k + 1];
                if (in_notes) {
                    if (k != 0)
                        fail_msg("%s: footnote \"%.*s\": [%c] is not at the start of its own "
                                 "footnote (one per line)", paths[i], (int)len, s, c);
                    notes[nn++] = c;
                } else if (!strchr(refs, c)) {
                    refs[nr++] = c;
                }
            }
        }
        for (size_t k = 0; k < nr; k++)
            if (refs[k] != (char)('a' + k))
                fail_msg("%s: footnote letters first referenced in the order %s (want a, b, ...)",
                         paths[i], refs);
        if (strcmp(refs, notes) != 0)
            fail_msg("%s: letters referenced %s, lettered footnotes %s", paths[i], refs, notes);
        checked += nr > 0;
        free(text);
        free(paths[i]);
    }
    free(paths);
    assert_true(checked >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_load),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_width_fit),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_title_case_rule),
        cmocka_unit_test(test_shipped_titles),
        cmocka_unit_test(test_shipped_other_study),
        cmocka_unit_test(test_study_vars),
        cmocka_unit_test(test_listing_level_columns),
        cmocka_unit_test(test_shipped_footnote_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
