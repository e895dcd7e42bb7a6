/* test_study.c - the study configuration: the shipped one loads with the
 * demo study's values; a broken one is an error naming file and key path. */
#include "testutil.h"
#include "core/mem.h"
#include "study/study.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tlf_study *load_shipped(void)
{
    char *dir = test_source_path("config");
    char *path = tlf_study_default_path(dir);
    tlf_study *st = NULL;
    tlf_err err;
    if (tlf_study_load(&st, path, &err) != TLF_OK)
        fail_msg("%s", err.msg);
    free(path);
    free(dir);
    return st;
}

static void test_shipped_study_loads(void **state)
{
    (void)state;
    tlf_study *st = load_shipped();
    assert_string_equal(st->id, "TACIP");
    assert_string_equal(st->name, "IMPPACT");
    assert_string_equal(st->protocol, "IMP-TAC-01");
    assert_int_equal(st->n_arms, 2);
    const tlf_study_arm *t = tlf_study_arm_by_role(st, TLF_ARM_TREATED);
    const tlf_study_arm *c = tlf_study_arm_by_role(st, TLF_ARM_CONTROL);
    assert_string_equal(t->code, "TAC");
    assert_string_equal(c->code, "HC");
    assert_string_equal(c->analysis_set, "HC");
    assert_null(t->analysis_set);
    assert_ptr_equal(tlf_study_arm_by_code(st, "HC"), c);
    assert_null(tlf_study_arm_by_code(st, "SCRNFAIL"));
    assert_ptr_equal(&st->arms[0], t);   /* sorted by order */
    assert_string_equal(st->drug_extrt, "TACROLIMUS");
    const tlf_study_gc *mp = tlf_study_gc_find(st, "METHYLPREDNISOLONE");
    assert_non_null(mp);
    assert_true(mp->factor == 1.25);
    assert_null(tlf_study_gc_find(st, "TACROLIMUS"));
    assert_int_equal(st->landmark_day, 365);
    /* sap.md section 1: windows by midpoints between targets 7w + 1 */
    assert_int_equal(st->n_visits, 8);
    for (size_t i = 0; i < st->n_visits; i++) {
        const tlf_study_visit *v = &st->visits[i];
        assert_int_equal(v->target_day, 7 * v->number + 1);
        int lo = i == 0 ? 2 : (st->visits[i - 1].target_day + v->target_day + 1) / 2;
        assert_int_equal(v->lo, lo);
        if (i > 0)
            assert_int_equal(st->visits[i - 1].hi, lo - 1);
    }
    assert_int_equal(tlf_study_last_window_day(st), 393);
    assert_string_equal(st->resp_visit->name, "WEEK 52");
    assert_int_equal(st->resp_visit->lo, 320);
    assert_string_equal(tlf_study_visit_for_day(st, 320)->name, "WEEK 52");
    assert_string_equal(tlf_study_visit_for_day(st, 319)->name, "WEEK 39");
    assert_null(tlf_study_visit_for_day(st, 1));
    assert_null(tlf_study_visit_for_day(st, 394));
    assert_int_equal(tlf_study_visit_by_name(st, "WEEK 4")->number, 4);
    assert_string_equal(tlf_study_visit_by_number(st, 26)->name, "WEEK 26");
    size_t n;
    const tlf_study_param *lb = tlf_study_domain_params(st, "LB", &n);
    assert_int_equal(n, 13);
    assert_string_equal(lb[0].code, "KL6");
    assert_int_equal(lb[12].order, 13);
    assert_null(tlf_study_domain_params(st, "XX", &n));
    assert_int_equal(n, 0);
    const tlf_study_param *ck = tlf_study_param_find(st, "LB", "CK");
    assert_true(ck->efficacy);
    assert_string_equal(ck->baseline, "BLCK");
    assert_string_equal(ck->unit, "U/L");
    assert_string_equal(ck->label, "Creatine Kinase");
    assert_string_equal(ck->short_label, "CK");   /* configured */
    assert_string_equal(lb[0].short_label, "KL-6");   /* default: the label */
    assert_string_equal(st->baseline_visit, "BASELINE");
    assert_string_equal(st->baseline_label, "Baseline");
    assert_null(tlf_study_param_find(st, "LB", "PLT"));
    assert_string_equal(tlf_study_dosing_weight(st)->code, "WEIGHT");
    assert_true(tlf_study_param_find(st, "RE", "VCPP")->figure);
    const tlf_study_char *onset = tlf_study_char_find(st, "ONSET");
    assert_int_equal(onset->n, 2);
    assert_string_equal(onset->labels[1], "Relapse");
    assert_int_equal(st->n_ev_failure_reasons, 2);
    assert_non_null(strstr(st->aesi_path, "config/aesi.json"));
    /* the models: log-rank stratified by onset, NEW stratum 0, RELAPSE 1 */
    assert_string_equal(st->strata.name, "onset");
    assert_int_equal(st->strata.from, TLF_FROM_SC);
    assert_string_equal(st->strata.variable, "ONSET");
    assert_int_equal(st->strata.n_strata, 2);
    assert_int_equal(st->strata.n_values, 2);
    assert_string_equal(st->strata.values[1], "RELAPSE");
    assert_int_equal(st->strata.stratum[1], 1);
    assert_int_equal(st->n_covs, 5);
    const tlf_study_covariate *age = &st->covs[0], *myo = &st->covs[2];
    assert_true(age->numeric);
    assert_int_equal(age->from, TLF_FROM_DM);
    assert_false(myo->numeric);
    assert_string_equal(myo->name, "MYOTYPEDMCADM");
    assert_int_equal(myo->n_ones, 2);
    assert_string_equal(myo->ones[1], "CADM");
    assert_string_equal(myo->zeros[0], "PM");
    /* model order: Cox age, sex, myositis type, anti-MDA5; the propensity
     * model has IP course before anti-MDA5 */
    assert_int_equal(st->n_cox_adj, 4);
    assert_string_equal(st->covs[st->cox_adj[3]].name, "MDA5ABPOS");
    assert_int_equal(st->n_ps, 5);
    assert_string_equal(st->covs[st->ps[3]].name, "IPCOURSEACUTE");
    /* the labels the model rows and footnotes show */
    assert_string_equal(age->label, "Age (years)");
    assert_string_equal(age->footnote_label, "age");
    assert_string_equal(myo->footnote_label, "myositis type (DM or CADM vs PM)");
    assert_string_equal(st->strata.label, "onset");
    assert_string_equal(st->strata.strata_labels[1], "relapse");
    tlf_study_free(st);
    tlf_study_free(NULL);
}

/* The shipped configuration changed by edit(), written to a fresh
 * mystudy.json; its path (the caller frees). */
static char *write_edited(void (*edit)(json_t *doc))
{
    char *src = test_source_path("config/study.json");
    json_error_t je;
    json_t *doc = json_load_file(src, 0, &je);
    assert_non_null(doc);
    edit(doc);
    char *dir = test_tmpdir("study");
    char *path = xasprintf("%s/mystudy.json", dir);
    assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
    json_decref(doc);
    free(dir);
    free(src);
    return path;
}

/* Write the shipped configuration changed by edit() and expect a load
 * error whose message holds needle and the file name. */
static void expect_error(void (*edit)(json_t *doc), const char *needle)
{
    char *path = write_edited(edit);
    tlf_study *st = NULL;
    tlf_err err;
    assert_int_equal(tlf_study_load(&st, path, &err), TLF_EUSAGE);
    assert_null(st);
    if (!strstr(err.msg, needle) || !strstr(err.msg, "mystudy.json"))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
    free(path);
}

static json_t *at(json_t *doc, const char *a, int i)
{
    return json_array_get(json_object_get(doc, a), (size_t)i);
}

static void unknown_top(json_t *d) { json_object_set_new(d, "colour", json_integer(1)); }
static void unknown_nested(json_t *d) { json_object_set_new(at(d, "arms", 1), "colour", json_true()); }
static void bad_role(json_t *d) { json_object_set_new(at(d, "arms", 1), "role", json_string("placebo")); }
static void two_treated(json_t *d)
{
    json_object_set_new(at(d, "arms", 1), "role", json_string("treated"));
    json_object_del(at(d, "arms", 1), "analysis_set");
}
static void landmark_text(json_t *d) { json_object_set_new(d, "landmark_day", json_string("365")); }
static void overlap(json_t *d)
{
    json_object_set_new(at(d, "visits", 3), "window", json_pack("[i,i]", 60, 98));
}
static void target_outside(json_t *d)
{
    json_object_set_new(at(d, "visits", 0), "target_day", json_integer(40));
}
static void resp_visit(json_t *d)
{
    json_object_set_new(json_object_get(d, "response"), "visit", json_string("WEEK 53"));
}
static void compare_wrong(json_t *d)
{
    json_object_set_new(at(d, "comparisons", 0), "reference", json_string("TAC"));
}
static void gc_factor(json_t *d)
{
    json_t *g = json_array_get(json_object_get(json_object_get(d, "treatments"), "glucocorticoids"), 1);
    json_object_set_new(g, "factor", json_integer(0));
}
static void dup_param(json_t *d)
{
    json_t *lb = json_object_get(json_object_get(d, "parameters"), "LB");
    json_object_set_new(json_array_get(lb, 3), "code", json_string("KL6"));
}
static void bad_domain(json_t *d)
{
    json_object_set_new(json_object_get(d, "parameters"), "XX", json_array());
}
static void param_flag_type(json_t *d)
{
    json_t *re = json_object_get(json_object_get(d, "parameters"), "RE");
    json_object_set_new(json_array_get(re, 1), "efficacy", json_string("yes"));
}
static void no_study_drug(json_t *d) { json_object_del(json_object_get(d, "treatments"), "study_drug"); }

static json_t *models(json_t *d) { return json_object_get(d, "models"); }
static json_t *cov(json_t *d, int i) { return at(models(d), "covariates", i); }
static json_t *strat(json_t *d) { return json_object_get(models(d), "stratified_logrank"); }
static void no_models(json_t *d) { json_object_del(d, "models"); }
static void models_unknown(json_t *d) { json_object_set_new(models(d), "gee", json_array()); }
static void strat_value(json_t *d)
{
    json_object_set_new(strat(d), "strata", json_pack("[[s],[s]]", "NEW", "RECURRENT"));
}
static void strat_twice(json_t *d)
{
    json_object_set_new(strat(d), "strata", json_pack("[[s],[s,s]]", "NEW", "RELAPSE", "NEW"));
}
static void strat_numeric(json_t *d)
{
    json_object_set_new(strat(d), "from", json_string("dm"));
    json_object_set_new(strat(d), "variable", json_string("AGE"));
}
static void strat_unknown_rule(json_t *d)
{
    json_object_set_new(strat(d), "unknown", json_string("own stratum"));
}
static void cov_from(json_t *d) { json_object_set_new(cov(d, 2), "from", json_string("lab")); }
static void cov_sc_unknown(json_t *d) { json_object_set_new(cov(d, 2), "variable", json_string("FRAILTY")); }
static void cov_dm_unknown(json_t *d) { json_object_set_new(cov(d, 1), "variable", json_string("ETHNIC")); }
static void cov_baseline(json_t *d)
{
    json_object_set_new(cov(d, 0), "from", json_string("baseline"));
    json_object_set_new(cov(d, 0), "variable", json_string("BLFEV1"));
}
static void cov_value(json_t *d) { json_object_set_new(cov(d, 3), "ones", json_pack("[s]", "POS")); }
static void cov_both(json_t *d) { json_object_set_new(cov(d, 4), "zeros", json_pack("[s]", "ACUTE")); }
static void cov_no_ones(json_t *d) { json_object_del(cov(d, 1), "ones"); }
static void cov_numeric_coded(json_t *d) { json_object_set_new(cov(d, 0), "ones", json_pack("[s]", "80")); }
static void cov_missing_rule(json_t *d) { json_object_set_new(cov(d, 1), "missing", json_string("zero")); }
static void cov_dup(json_t *d) { json_object_set_new(cov(d, 4), "name", json_string("SEXM")); }
static void cov_arm_name(json_t *d) { json_object_set_new(cov(d, 4), "name", json_string("ARMCDTAC")); }
static void cox_unknown(json_t *d)
{
    json_array_append_new(json_object_get(models(d), "cox_adjusted"), json_string("BMI"));
}
static void cov_no_label(json_t *d) { json_object_del(cov(d, 2), "label"); }
static void cov_empty_footnote_label(json_t *d)
{
    json_object_set_new(cov(d, 1), "footnote_label", json_string(""));
}
static void strat_labels_count(json_t *d)
{
    json_object_set_new(strat(d), "strata_labels", json_pack("[s]", "new"));
}
static void strat_labels_type(json_t *d)
{
    json_object_set_new(strat(d), "strata_labels", json_pack("[s,i]", "new", 2));
}
static void ps_empty(json_t *d) { json_object_set_new(models(d), "propensity_score", json_array()); }

static void empty_baseline_label(json_t *d)
{
    json_object_set_new(d, "baseline_label", json_string(""));
}

static void no_display_labels(json_t *d)
{
    json_object_del(cov(d, 0), "footnote_label");
    json_object_del(strat(d), "label");
    json_object_del(strat(d), "strata_labels");
    json_object_set_new(strat(d), "name", json_string("presentation"));
    assert_int_equal(json_object_del(d, "baseline_label"), 0);
    json_t *lb = json_object_get(json_object_get(d, "parameters"), "LB");
    for (size_t i = 0; i < json_array_size(lb); i++)
        json_object_del(json_array_get(lb, i), "short_label");
}

/* The optional display labels: without baseline_label the baseline is
 * "Baseline"; without short_label a parameter's is its label; without
 * footnote_label a covariate's is its label; without label the
 * stratification factor's is its name. */
static void test_label_defaults(void **state)
{
    (void)state;
    char *path = write_edited(no_display_labels);
    tlf_study *st = NULL;
    tlf_err err;
    if (tlf_study_load(&st, path, &err) != 0)
        fail_msg("%s", err.msg);
    assert_string_equal(st->baseline_label, "Baseline");
    assert_string_equal(tlf_study_param_find(st, "LB", "CK")->short_label, "Creatine Kinase");
    /* a covariate's footnote label is its label; the factor's label its
     * name, with no strata labels */
    assert_string_equal(st->covs[0].footnote_label, "Age (years)");
    assert_string_equal(st->strata.label, "presentation");
    assert_null(st->strata.strata_labels);
    tlf_study_free(st);
    free(path);
}

static void test_bad_study_is_named(void **state)
{
    (void)state;
    expect_error(unknown_top, "unknown key \"colour\"");
    expect_error(unknown_nested, "unknown key \"arms[1].colour\"");
    expect_error(bad_role, "\"arms[1].role\": \"placebo\" is not one of");
    expect_error(two_treated, "exactly one arm with role \"treated\"");
    expect_error(landmark_text, "\"landmark_day\": expected an integer");
    expect_error(overlap, "\"visits[3]\": visits must be in order");
    expect_error(target_outside, "\"visits[0].window\"");
    expect_error(resp_visit, "\"response.visit\": not a visit of \"visits\": WEEK 53");
    expect_error(compare_wrong, "\"comparisons[0].reference\": not the code of the control arm");
    expect_error(gc_factor, "\"treatments.glucocorticoids[1].factor\"");
    expect_error(dup_param, "\"parameters.LB[3]\": duplicate code KL6");
    expect_error(bad_domain, "unknown key \"parameters.XX\"");
    expect_error(param_flag_type, "\"parameters.RE[1].efficacy\": expected true or false");
    expect_error(no_study_drug, "missing key \"treatments.study_drug\"");
    expect_error(empty_baseline_label, "\"baseline_label\"");
}

/* A bad models section names the key, and what is wrong with it. */
static void test_bad_models_are_named(void **state)
{
    (void)state;
    expect_error(no_models, "missing key \"models\"");
    expect_error(models_unknown, "unknown key \"models.gee\"");
    expect_error(strat_value, "\"models.stratified_logrank.strata[1][0]\": \"RECURRENT\" is "
                              "not a value of characteristic ONSET");
    expect_error(strat_twice, "\"models.stratified_logrank.strata[1][1]\": a value is in one "
                              "stratum only: NEW");
    expect_error(strat_numeric, "\"models.stratified_logrank.variable\": a stratum is a coded");
    expect_error(strat_unknown_rule, "\"models.stratified_logrank.unknown\": \"own stratum\" "
                                     "is not one of \"exclude\"");
    expect_error(cov_from, "\"models.covariates[2].from\": \"lab\" is not one of \"dm\"");
    expect_error(cov_sc_unknown, "\"models.covariates[2].variable\": not the code of one of "
                                 "\"characteristics\": FRAILTY");
    expect_error(cov_dm_unknown, "\"models.covariates[1].variable\": not a DM variable");
    expect_error(cov_baseline, "\"models.covariates[0].variable\": not the baseline variable "
                               "of one of \"parameters\": BLFEV1");
    expect_error(cov_value, "\"models.covariates[3].ones[0]\": \"POS\" is not a value of "
                            "characteristic MDA5AB");
    expect_error(cov_both, "\"models.covariates[4].zeros[0]\": a value can be in one place "
                           "only: ACUTE");
    expect_error(cov_no_ones, "missing key \"models.covariates[1].ones\"");
    expect_error(cov_numeric_coded, "\"models.covariates[0]\": a numeric variable is its own "
                                    "value");
    expect_error(cov_missing_rule, "\"models.covariates[1].missing\": \"zero\" is not one of");
    expect_error(cov_dup, "\"models.covariates[4]\": duplicate name SEXM");
    expect_error(cov_arm_name, "\"models.covariates[4]\": name: not a term name");
    expect_error(cox_unknown, "\"models.cox_adjusted[4]\": not the name of one of "
                              "\"models.covariates\": BMI");
    expect_error(ps_empty, "\"models.propensity_score\": expected a non-empty array");
    expect_error(cov_no_label, "missing key \"models.covariates[2].label\"");
    expect_error(cov_empty_footnote_label, "\"models.covariates[1].footnote_label\": expected a "
                                           "non-empty string");
    expect_error(strat_labels_count, "\"models.stratified_logrank.strata_labels\": 1 labels for "
                                     "2 strata");
    expect_error(strat_labels_type, "\"models.stratified_logrank.strata_labels[1]\": expected a "
                                    "non-empty string");
}

static void test_unreadable_study(void **state)
{
    (void)state;
    tlf_study *st = NULL;
    tlf_err err;
    assert_int_equal(tlf_study_load(&st, "/nonexistent/study.json", &err), TLF_EUSAGE);
    assert_null(st);
    assert_non_null(strstr(err.msg, "/nonexistent/study.json"));
    /* jansson has no line for a file it cannot open: none is said (it
     * said "(line -1)") */
    assert_null(strstr(err.msg, "line"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_study_loads),
        cmocka_unit_test(test_bad_study_is_named),
        cmocka_unit_test(test_bad_models_are_named),
        cmocka_unit_test(test_label_defaults),
        cmocka_unit_test(test_unreadable_study),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
