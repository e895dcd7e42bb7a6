/*
 * study.c - load and validate the study configuration (see study.h).
 *
 * Every object is checked against its list of keys before any value is
 * read, so a misspelt key is an error rather than a silently used
 * default. Messages name the file and the key path the way a reader
 * would look it up: "config/study.json: key \"visits[3].window\": ...".
 */
#include "study/study.h"
#include "core/buf.h"
#include "core/jsonerr.h"
#include "core/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct ld {
    const char *file;
    tlf_err *err;
} ld;

static int fail(ld *l, const char *path, const char *fmt, const char *what)
{
    return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": %s%s", l->file, path, fmt,
                       what ? what : "");
}

static int in_list(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

/* Reject keys of obj not in keys; path is the object's own path ("" = top). */
static int check_keys(ld *l, json_t *obj, const char *path, const char *const *keys)
{
    if (!json_is_object(obj))
        return fail(l, *path ? path : "(top)", "expected an object", NULL);
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        if (!in_list(k, keys)) {
            char *p = *path ? xasprintf("%s.%s", path, k) : xstrdup(k);
            int rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: unknown key \"%s\"", l->file, p);
            free(p);
            return rc;
        }
    }
    return TLF_OK;
}

static char *kpath(const char *path, const char *key)
{
    return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

/* A non-empty string at obj.key into *out (NULL when absent and optional). */
static int get_str(ld *l, char **out, json_t *obj, const char *path, const char *key, int required)
{
    json_t *v = json_object_get(obj, key);
    char *p = kpath(path, key);
    int rc = TLF_OK;
    if (!v) {
        if (required)
            rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"%s\"", l->file, p);
    } else if (!json_is_string(v) || !*json_string_value(v)) {
        rc = fail(l, p, "expected a non-empty string", NULL);
    } else {
        *out = xstrdup(json_string_value(v));
    }
    free(p);
    return rc;
}

static int get_int(ld *l, int *out, json_t *obj, const char *path, const char *key, int lo, int hi,
                   int required)
{
    json_t *v = json_object_get(obj, key);
    char *p = kpath(path, key);
    int rc = TLF_OK;
    if (!v) {
        if (required)
            rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"%s\"", l->file, p);
    } else if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": expected an integer from %d to %d",
                         l->file, p, lo, hi);
    } else {
        *out = (int)json_integer_value(v);
    }
    free(p);
    return rc;
}

static int get_bool(ld *l, int *out, json_t *obj, const char *path, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return TLF_OK;
    char *p = kpath(path, key);
    int rc = json_is_boolean(v) ? TLF_OK : fail(l, p, "expected true or false", NULL);
    *out = json_is_true(v);
    free(p);
    return rc;
}

/* A non-empty array at obj.key (required) into *arr. */
static int get_array(ld *l, json_t **arr, json_t *obj, const char *path, const char *key)
{
    json_t *v = json_object_get(obj, key);
    char *p = kpath(path, key);
    int rc = TLF_OK;
    if (!v)
        rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"%s\"", l->file, p);
    else if (!json_is_array(v) || json_array_size(v) == 0)
        rc = fail(l, p, "expected a non-empty array", NULL);
    *arr = v;
    free(p);
    return rc;
}

/* The array arr (at path): a non-empty array of distinct non-empty strings. */
static int str_array(ld *l, char ***out, size_t *n, json_t *arr, const char *path)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(l, path, "expected a non-empty array", NULL);
    *n = json_array_size(arr);
    *out = xcalloc(*n + 1, sizeof **out);
    int rc = TLF_OK;
    for (size_t i = 0; i < *n && rc == TLF_OK; i++) {
        json_t *e = json_array_get(arr, i);
        char *p = xasprintf("%s[%zu]", path, i);
        if (!json_is_string(e) || !*json_string_value(e))
            rc = fail(l, p, "expected a non-empty string", NULL);
        for (size_t j = 0; j < i && rc == TLF_OK; j++)
            if (strcmp((*out)[j], json_string_value(e)) == 0)
                rc = fail(l, p, "duplicate value ", json_string_value(e));
        if (rc == TLF_OK)
            (*out)[i] = xstrdup(json_string_value(e));
        free(p);
    }
    return rc;
}

/* A non-empty array of distinct non-empty strings at obj.key (required). */
static int get_str_list(ld *l, char ***out, size_t *n, json_t *obj, const char *path,
                        const char *key)
{
    json_t *arr;
    int rc = get_array(l, &arr, obj, path, key);
    if (rc)
        return rc;
    char *p = kpath(path, key);
    rc = str_array(l, out, n, arr, p);
    free(p);
    return rc;
}

/* 1 when v is one of set[0..n-1]. */
static int in_strs(const char *v, char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return 1;
    return 0;
}

static void free_strs(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void tlf_study_free(tlf_study *st)
{
    if (!st)
        return;
    free(st->path);
    free(st->id);
    free(st->name);
    free(st->protocol);
    free_strs(st->titles, st->n_titles);
    for (size_t i = 0; i < st->n_arms; i++) {
        free(st->arms[i].code);
        free(st->arms[i].label);
        free(st->arms[i].short_label);
        free(st->arms[i].analysis_set);
    }
    free(st->arms);
    free(st->drug_extrt);
    free(st->drug_label);
    free(st->drug_unit);
    for (size_t i = 0; i < st->n_gcs; i++) {
        free(st->gcs[i].extrt);
        free(st->gcs[i].label);
    }
    free(st->gcs);
    free(st->gc_equivalent);
    free(st->baseline_visit);
    free(st->baseline_label);
    for (size_t i = 0; i < st->n_visits; i++) {
        free(st->visits[i].name);
        free(st->visits[i].label);
    }
    free(st->visits);
    free(st->resp_testcd);
    free(st->resp_responder);
    free(st->resp_progression);
    free_strs(st->resp_values, st->n_resp_values);
    free(st->ev_addl_immuno);
    free_strs(st->ev_failure_reasons, st->n_ev_failure_reasons);
    for (size_t i = 0; i < st->n_params; i++) {
        tlf_study_param *p = &st->params[i];
        free(p->domain);
        free(p->code);
        free(p->label);
        free(p->short_label);
        free(p->unit);
        free(p->baseline);
    }
    free(st->params);
    for (size_t i = 0; i < st->n_chars; i++) {
        free(st->chars[i].code);
        free(st->chars[i].label);
        free_strs(st->chars[i].codes, st->chars[i].n);
        free_strs(st->chars[i].labels, st->chars[i].n);
    }
    free(st->chars);
    free(st->strata.name);
    free(st->strata.label);
    if (st->strata.strata_labels)
        free_strs(st->strata.strata_labels, st->strata.n_strata);
    free(st->strata.variable);
    free_strs(st->strata.values, st->strata.n_values);
    free(st->strata.stratum);
    for (size_t i = 0; i < st->n_covs; i++) {
        tlf_study_covariate *v = &st->covs[i];
        free(v->name);
        free(v->label);
        free(v->footnote_label);
        free(v->variable);
        free_strs(v->ones, v->n_ones);
        free_strs(v->zeros, v->n_zeros);
    }
    free(st->covs);
    free(st->cox_adj);
    free(st->ps);
    free(st->aesi_path);
    free(st);
}

/* An identifier usable as a column name (ADSL baseline variables, SC
 * codes become ADSL columns): upper-case letter, then A-Z, 0-9, _. */
static int is_varname(const char *s)
{
    if (!s || !(*s >= 'A' && *s <= 'Z') || strlen(s) > 32)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static const char *const TOP_KEYS[] = {
    "description", "study", "arms", "comparisons", "treatments", "landmark_day", "baseline_visit",
    "baseline_label", "visits", "response", "events", "parameters", "characteristics", "models",
    "aesi", NULL};

static int load_study_block(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"id", "name", "protocol", "titles", NULL};
    json_t *o = json_object_get(doc, "study");
    int rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"study\"", l->file);
    if ((rc = check_keys(l, o, "study", KEYS)) || (rc = get_str(l, &st->id, o, "study", "id", 1)) ||
        (rc = get_str(l, &st->name, o, "study", "name", 1)) ||
        (rc = get_str(l, &st->protocol, o, "study", "protocol", 1)))
        return rc;
    if (json_object_get(o, "titles"))
        return get_str_list(l, &st->titles, &st->n_titles, o, "study", "titles");
    return TLF_OK;
}

static int cmp_arm(const void *a, const void *b)
{
    const tlf_study_arm *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

static int load_arms(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"code", "label", "short_label", "order", "role",
                                       "analysis_set", NULL};
    json_t *arr;
    int rc = get_array(l, &arr, doc, "", "arms");
    if (rc)
        return rc;
    st->n_arms = json_array_size(arr);
    st->arms = xcalloc(st->n_arms, sizeof *st->arms);
    int n_role[2] = {0, 0};
    char p[64];
    for (size_t i = 0; i < st->n_arms; i++) {
        json_t *o = json_array_get(arr, i);
        tlf_study_arm *a = &st->arms[i];
        char *role = NULL;
        snprintf(p, sizeof p, "arms[%zu]", i);
        if ((rc = check_keys(l, o, p, KEYS)) || (rc = get_str(l, &a->code, o, p, "code", 1)) ||
            (rc = get_str(l, &a->label, o, p, "label", 1)) ||
            (rc = get_str(l, &a->short_label, o, p, "short_label", 0)) ||
            (rc = get_int(l, &a->order, o, p, "order", 1, 1000, 1)) ||
            (rc = get_str(l, &role, o, p, "role", 1)) ||
            (rc = get_str(l, &a->analysis_set, o, p, "analysis_set", 0)))
            return free(role), rc;
        int treated = strcmp(role, "treated") == 0, control = strcmp(role, "control") == 0;
        if (!treated && !control) {
            char *q = xasprintf("%s.role", p);
            rc = tlf_err_set(l->err, TLF_EUSAGE,
                             "%s: key \"%s\": \"%s\" is not one of \"treated\", \"control\"",
                             l->file, q, role);
            free(q);
            free(role);
            return rc;
        }
        free(role);
        a->role = treated ? TLF_ARM_TREATED : TLF_ARM_CONTROL;
        n_role[a->role]++;
        if (!a->short_label)
            a->short_label = xstrdup(a->code);
        if (a->role == TLF_ARM_CONTROL && !a->analysis_set)
            return tlf_err_set(l->err, TLF_EUSAGE,
                               "%s: missing key \"%s.analysis_set\" (a control arm names its "
                               "analysis set)", l->file, p);
        if (a->role == TLF_ARM_TREATED && a->analysis_set)
            return tlf_err_set(l->err, TLF_EUSAGE,
                               "%s: key \"%s.analysis_set\": a treated arm's analysis sets are "
                               "the SAP's Enrolled/FAS/PPS/SAF", l->file, p);
        if (!is_varname(a->code) || strcmp(a->code, "SCRNFAIL") == 0 ||
            strcmp(a->code, "NOTTRT") == 0)
            return tlf_err_set(l->err, TLF_EUSAGE,
                               "%s: key \"%s.code\": \"%s\" is not an arm code (A-Z, 0-9, _; "
                               "not SCRNFAIL or NOTTRT)", l->file, p, a->code);
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->arms[j].code, a->code) == 0 || st->arms[j].order == a->order)
                return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": code or order repeats "
                                   "arms[%zu]", l->file, p, j);
    }
    /* The SAP compares one treated arm with one historical control; the
     * analyses are written for that design. */
    if (n_role[TLF_ARM_TREATED] != 1 || n_role[TLF_ARM_CONTROL] != 1)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"arms\": expected exactly one arm with "
                           "role \"treated\" and one with role \"control\" (found %d and %d)",
                           l->file, n_role[0], n_role[1]);
    qsort(st->arms, st->n_arms, sizeof *st->arms, cmp_arm);
    return TLF_OK;
}

static int load_comparisons(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"treated", "reference", NULL};
    json_t *arr;
    int rc = get_array(l, &arr, doc, "", "comparisons");
    if (rc)
        return rc;
    if (json_array_size(arr) != 1)
        return fail(l, "comparisons", "expected one comparison (treated vs reference)", NULL);
    json_t *o = json_array_get(arr, 0);
    char *t = NULL, *r = NULL;
    if ((rc = check_keys(l, o, "comparisons[0]", KEYS)) ||
        (rc = get_str(l, &t, o, "comparisons[0]", "treated", 1)) ||
        (rc = get_str(l, &r, o, "comparisons[0]", "reference", 1)))
        goto done;
    const tlf_study_arm *at = tlf_study_arm_by_code(st, t), *ar = tlf_study_arm_by_code(st, r);
    if (!at || at->role != TLF_ARM_TREATED)
        rc = fail(l, "comparisons[0].treated", "not the code of the treated arm: ", t);
    else if (!ar || ar->role != TLF_ARM_CONTROL)
        rc = fail(l, "comparisons[0].reference", "not the code of the control arm: ", r);
done:
    free(t);
    free(r);
    return rc;
}

static int load_treatments(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"study_drug", "glucocorticoids", "glucocorticoid_equivalent",
                                       NULL};
    static const char *const DRUG[] = {"extrt", "label", "unit", NULL};
    static const char *const GC[] = {"extrt", "label", "factor", NULL};
    json_t *o = json_object_get(doc, "treatments");
    int rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"treatments\"", l->file);
    json_t *d = json_object_get(o, "study_drug");
    if ((rc = check_keys(l, o, "treatments", KEYS)) ||
        (rc = get_str(l, &st->gc_equivalent, o, "treatments", "glucocorticoid_equivalent", 1)))
        return rc;
    if (!d)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"treatments.study_drug\"", l->file);
    if ((rc = check_keys(l, d, "treatments.study_drug", DRUG)) ||
        (rc = get_str(l, &st->drug_extrt, d, "treatments.study_drug", "extrt", 1)) ||
        (rc = get_str(l, &st->drug_label, d, "treatments.study_drug", "label", 1)) ||
        (rc = get_str(l, &st->drug_unit, d, "treatments.study_drug", "unit", 1)))
        return rc;
    json_t *arr;
    if ((rc = get_array(l, &arr, o, "treatments", "glucocorticoids")))
        return rc;
    st->n_gcs = json_array_size(arr);
    st->gcs = xcalloc(st->n_gcs, sizeof *st->gcs);
    char p[64];
    for (size_t i = 0; i < st->n_gcs; i++) {
        json_t *g = json_array_get(arr, i);
        tlf_study_gc *c = &st->gcs[i];
        snprintf(p, sizeof p, "treatments.glucocorticoids[%zu]", i);
        if ((rc = check_keys(l, g, p, GC)) || (rc = get_str(l, &c->extrt, g, p, "extrt", 1)) ||
            (rc = get_str(l, &c->label, g, p, "label", 1)))
            return rc;
        json_t *f = json_object_get(g, "factor");
        if (!json_is_number(f) || !(json_number_value(f) > 0) || json_number_value(f) > 1000) {
            char *q = xasprintf("%s.factor", p);
            rc = fail(l, q, "expected a number above 0 (dose x factor = equivalent dose)", NULL);
            free(q);
            return rc;
        }
        c->factor = json_number_value(f);
        if (strcmp(c->extrt, st->drug_extrt) == 0)
            return fail(l, p, "the study drug cannot also be a glucocorticoid: ", c->extrt);
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->gcs[j].extrt, c->extrt) == 0)
                return fail(l, p, "duplicate extrt ", c->extrt);
    }
    return TLF_OK;
}

static int load_visits(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"name", "label", "number", "target_day", "window", NULL};
    json_t *arr;
    int rc;
    if ((rc = get_str(l, &st->baseline_visit, doc, "", "baseline_visit", 1)) ||
        (rc = get_str(l, &st->baseline_label, doc, "", "baseline_label", 0)) ||
        (rc = get_array(l, &arr, doc, "", "visits")))
        return rc;
    if (!st->baseline_label)   /* the word every SAP uses; a study may say "Day 1" */
        st->baseline_label = xstrdup("Baseline");
    st->n_visits = json_array_size(arr);
    st->visits = xcalloc(st->n_visits, sizeof *st->visits);
    char p[64];
    for (size_t i = 0; i < st->n_visits; i++) {
        json_t *o = json_array_get(arr, i);
        tlf_study_visit *v = &st->visits[i];
        snprintf(p, sizeof p, "visits[%zu]", i);
        if ((rc = check_keys(l, o, p, KEYS)) || (rc = get_str(l, &v->name, o, p, "name", 1)) ||
            (rc = get_str(l, &v->label, o, p, "label", 0)) ||
            (rc = get_int(l, &v->number, o, p, "number", 1, 100000, 1)) ||
            (rc = get_int(l, &v->target_day, o, p, "target_day", 2, 100000, 1)))
            return rc;
        if (!v->label)
            v->label = xstrdup(v->name);
        json_t *w = json_object_get(o, "window");
        if (!json_is_array(w) || json_array_size(w) != 2 ||
            !json_is_integer(json_array_get(w, 0)) || !json_is_integer(json_array_get(w, 1)))
            return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s.window\": expected [first day, "
                               "last day]", l->file, p);
        v->lo = (int)json_integer_value(json_array_get(w, 0));
        v->hi = (int)json_integer_value(json_array_get(w, 1));
        /* Windows are post-baseline (baseline is day 1 or before), hold
         * their target, and follow each other without overlap. */
        if (v->lo < 2 || v->hi < v->lo || v->target_day < v->lo || v->target_day > v->hi)
            return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s.window\": [%d, %d] must start on "
                               "day 2 or later and hold the target day %d", l->file, p, v->lo,
                               v->hi, v->target_day);
        if (i > 0 && (v->lo <= st->visits[i - 1].hi || v->number <= st->visits[i - 1].number))
            return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": visits must be in order of "
                               "number and their windows must not overlap (previous window ends "
                               "on day %d)", l->file, p, st->visits[i - 1].hi);
        if (strcmp(v->name, st->baseline_visit) == 0)
            return fail(l, p, "a post-baseline visit cannot be named like the baseline: ", v->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->visits[j].name, v->name) == 0)
                return fail(l, p, "duplicate visit name ", v->name);
    }
    return TLF_OK;
}

static int load_response(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"testcd", "visit", "responder", "progression", "values", NULL};
    json_t *o = json_object_get(doc, "response");
    char *visit = NULL;
    int rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"response\"", l->file);
    if ((rc = check_keys(l, o, "response", KEYS)) ||
        (rc = get_str(l, &st->resp_testcd, o, "response", "testcd", 1)) ||
        (rc = get_str(l, &visit, o, "response", "visit", 1)) ||
        (rc = get_str(l, &st->resp_responder, o, "response", "responder", 1)) ||
        (rc = get_str(l, &st->resp_progression, o, "response", "progression", 1)) ||
        (rc = get_str_list(l, &st->resp_values, &st->n_resp_values, o, "response", "values")))
        goto done;
    if (!(st->resp_visit = tlf_study_visit_by_name(st, visit)))
        rc = fail(l, "response.visit", "not a visit of \"visits\": ", visit);
    int has_r = 0, has_p = 0;
    for (size_t i = 0; rc == TLF_OK && i < st->n_resp_values; i++) {
        has_r |= strcmp(st->resp_values[i], st->resp_responder) == 0;
        has_p |= strcmp(st->resp_values[i], st->resp_progression) == 0;
    }
    if (rc == TLF_OK && !has_r)
        rc = fail(l, "response.responder", "not one of response.values: ", st->resp_responder);
    if (rc == TLF_OK && !has_p)
        rc = fail(l, "response.progression", "not one of response.values: ", st->resp_progression);
done:
    free(visit);
    return rc;
}

static int load_events(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"additional_immunosuppressant", "treatment_failure_reasons",
                                       NULL};
    json_t *o = json_object_get(doc, "events");
    int rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"events\"", l->file);
    if ((rc = check_keys(l, o, "events", KEYS)) ||
        (rc = get_str(l, &st->ev_addl_immuno, o, "events", "additional_immunosuppressant", 1)))
        return rc;
    return get_str_list(l, &st->ev_failure_reasons, &st->n_ev_failure_reasons, o, "events",
                        "treatment_failure_reasons");
}

static int load_params(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const DOMAINS[] = {"RE", "LB", "FT", "VS", "PC", NULL};
    static const char *const KEYS[] = {"code", "label", "short_label", "unit", "efficacy",
                                       "figure", "baseline", "characteristic", "dosing_weight",
                                       NULL};
    json_t *o = json_object_get(doc, "parameters");
    int rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"parameters\"", l->file);
    if ((rc = check_keys(l, o, "parameters", DOMAINS)))
        return rc;
    size_t total = 0;
    const char *dom;
    json_t *arr;
    json_object_foreach(o, dom, arr) {
        if (!json_is_array(arr))
            return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"parameters.%s\": expected an array",
                               l->file, dom);
        total += json_array_size(arr);
    }
    st->params = xcalloc(total ? total : 1, sizeof *st->params);
    int n_weight = 0, n_figure = 0;
    char p[96];
    /* Stored in the fixed domain order, so a domain's parameters are one
     * run of the array (tlf_study_domain_params). */
    for (size_t d = 0; DOMAINS[d]; d++) {
        arr = json_object_get(o, DOMAINS[d]);
        for (size_t i = 0; arr && i < json_array_size(arr); i++) {
            json_t *e = json_array_get(arr, i);
            tlf_study_param *q = &st->params[st->n_params++];
            q->domain = xstrdup(DOMAINS[d]);
            q->order = (int)i + 1;
            snprintf(p, sizeof p, "parameters.%s[%zu]", DOMAINS[d], i);
            if ((rc = check_keys(l, e, p, KEYS)) || (rc = get_str(l, &q->code, e, p, "code", 1)) ||
                (rc = get_str(l, &q->label, e, p, "label", 1)) ||
                (rc = get_str(l, &q->short_label, e, p, "short_label", 0)) ||
                (rc = get_str(l, &q->unit, e, p, "unit", 0)) ||
                (rc = get_bool(l, &q->efficacy, e, p, "efficacy")) ||
                (rc = get_bool(l, &q->figure, e, p, "figure")) ||
                (rc = get_bool(l, &q->dosing_weight, e, p, "dosing_weight")) ||
                (rc = get_bool(l, &q->characteristic, e, p, "characteristic")) ||
                (rc = get_str(l, &q->baseline, e, p, "baseline", 0)))
                return rc;
            if (!q->unit)
                q->unit = xstrdup("");
            if (!q->short_label)
                q->short_label = xstrdup(q->label);
            if (q->baseline && !is_varname(q->baseline))
                return fail(l, p, "baseline: not a variable name (A-Z, 0-9, _): ", q->baseline);
            if (q->dosing_weight && (strcmp(DOMAINS[d], "VS") != 0 || !q->baseline))
                return fail(l, p, "dosing_weight is a VS parameter's role and needs its "
                            "baseline variable", NULL);
            if (q->characteristic && !q->baseline)
                return fail(l, p, "characteristic: a baseline characteristic needs its baseline "
                            "variable", NULL);
            if (q->figure && !q->efficacy)
                return fail(l, p, "figure: the figure shows an efficacy parameter", NULL);
            n_weight += q->dosing_weight;
            n_figure += q->figure;
            for (size_t j = 0; j + 1 < st->n_params; j++) {
                if (strcmp(st->params[j].domain, q->domain) == 0 &&
                    strcmp(st->params[j].code, q->code) == 0)
                    return fail(l, p, "duplicate code ", q->code);
                if (q->baseline && st->params[j].baseline &&
                    strcmp(st->params[j].baseline, q->baseline) == 0)
                    return fail(l, p, "duplicate baseline variable ", q->baseline);
            }
        }
    }
    if (n_weight > 1 || n_figure > 1)
        return fail(l, "parameters", "at most one dosing_weight and one figure parameter", NULL);
    return TLF_OK;
}

static int load_chars(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"code", "label", "values", NULL};
    json_t *arr = json_object_get(doc, "characteristics");
    if (!arr)
        return TLF_OK;
    int rc;
    if ((rc = get_array(l, &arr, doc, "", "characteristics")))
        return rc;
    st->n_chars = json_array_size(arr);
    st->chars = xcalloc(st->n_chars, sizeof *st->chars);
    char p[64];
    for (size_t i = 0; i < st->n_chars; i++) {
        json_t *o = json_array_get(arr, i), *vals;
        tlf_study_char *c = &st->chars[i];
        snprintf(p, sizeof p, "characteristics[%zu]", i);
        if ((rc = check_keys(l, o, p, KEYS)) || (rc = get_str(l, &c->code, o, p, "code", 1)) ||
            (rc = get_str(l, &c->label, o, p, "label", 1)) ||
            (rc = get_array(l, &vals, o, p, "values")))
            return rc;
        /* the code becomes an ADSL column beside the subject-level ones */
        static const char *const ADSL_OWN[] = {
            "STUDYID", "USUBJID", "SUBJID", "SITEID", "COUNTRY", "ARM", "ARMCD", "ACTARMCD",
            "AGE", "AGEU", "SEX", "RACE", "ENRLFL", "FASFL", "PPSFL", "SAFFL", "HCFL", NULL};
        if (!is_varname(c->code) || in_list(c->code, ADSL_OWN))
            return fail(l, p, "code: not a variable name (A-Z, 0-9, _) of its own: ", c->code);
        c->codes = xcalloc(json_array_size(vals), sizeof *c->codes);
        c->labels = xcalloc(json_array_size(vals), sizeof *c->labels);
        for (size_t k = 0; k < json_array_size(vals); k++) {
            json_t *pair = json_array_get(vals, k);
            if (!json_is_array(pair) || json_array_size(pair) != 2 ||
                !json_is_string(json_array_get(pair, 0)) || !json_is_string(json_array_get(pair, 1)))
                return tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s.values[%zu]\": expected "
                                   "[\"CODE\", \"label\"]", l->file, p, k);
            c->codes[k] = xstrdup(json_string_value(json_array_get(pair, 0)));
            c->labels[k] = xstrdup(json_string_value(json_array_get(pair, 1)));
            c->n++;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->chars[j].code, c->code) == 0)
                return fail(l, p, "duplicate code ", c->code);
    }
    return TLF_OK;
}

/* The DM variables ADSL carries that a model may read, and whether each
 * is a number (SDTM DM, not a study's choice). */
static const struct dm_var {
    const char *name;
    int numeric;
} DM_VARS[] = {{"AGE", 1}, {"SEX", 0}, {"RACE", 0}, {"COUNTRY", 0}};

/* "from" and "variable" of o (path): where a model reads a subject's
 * value. *numeric says whether it is a number; *ch is the characteristic
 * of an SC source (else NULL), whose codes the values must be. */
static int load_source(ld *l, const tlf_study *st, json_t *o, const char *path,
                       tlf_model_from *from, char **variable, int *numeric,
                       const tlf_study_char **ch)
{
    char *f = NULL;
    *ch = NULL;
    *numeric = 0;
    int rc = get_str(l, &f, o, path, "from", 1);
    if (rc == TLF_OK)
        rc = get_str(l, variable, o, path, "variable", 1);
    if (rc) {
        free(f);
        return rc;
    }
    char *p = kpath(path, "variable");
    if (strcmp(f, "dm") == 0) {
        size_t k = 0, n = sizeof DM_VARS / sizeof DM_VARS[0];
        while (k < n && strcmp(DM_VARS[k].name, *variable) != 0)
            k++;
        *from = TLF_FROM_DM;
        if (k == n)
            rc = fail(l, p, "not a DM variable of ADSL (AGE, SEX, RACE, COUNTRY): ", *variable);
        else
            *numeric = DM_VARS[k].numeric;
    } else if (strcmp(f, "sc") == 0) {
        *from = TLF_FROM_SC;
        if (!(*ch = tlf_study_char_find(st, *variable)))
            rc = fail(l, p, "not the code of one of \"characteristics\": ", *variable);
    } else if (strcmp(f, "baseline") == 0) {
        size_t k = 0;
        while (k < st->n_params &&
               !(st->params[k].baseline && strcmp(st->params[k].baseline, *variable) == 0))
            k++;
        *from = TLF_FROM_BASELINE;
        *numeric = 1;
        if (k == st->n_params)
            rc = fail(l, p, "not the baseline variable of one of \"parameters\": ", *variable);
    } else {
        char *q = kpath(path, "from");
        rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": \"%s\" is not one of \"dm\", "
                         "\"sc\", \"baseline\"", l->file, q, f);
        free(q);
    }
    free(p);
    free(f);
    return rc;
}

/* The optional key o.key (path) that says what a missing value does: only
 * "exclude" (today's rule: left out of that analysis and counted). */
static int check_exclude_rule(ld *l, json_t *o, const char *path, const char *key)
{
    char *v = NULL;
    int rc = get_str(l, &v, o, path, key, 0);
    if (rc == TLF_OK && v && strcmp(v, "exclude") != 0) {
        char *p = kpath(path, key);
        rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": \"%s\" is not one of \"exclude\" "
                         "(the only rule there is)", l->file, p, v);
        free(p);
    }
    free(v);
    return rc;
}

/* Values vals[0..n-1] (at path) of a characteristic ch must be its codes. */
static int check_levels(ld *l, const tlf_study_char *ch, char **vals, size_t n, const char *path)
{
    for (size_t i = 0; ch && i < n; i++)
        if (!in_strs(vals[i], ch->codes, ch->n)) {
            char *p = xasprintf("%s[%zu]", path, i);
            int rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": \"%s\" is not a value of "
                                 "characteristic %s", l->file, p, vals[i], ch->code);
            free(p);
            return rc;
        }
    return TLF_OK;
}

/* The coded values list o.key (path) of a source: distinct strings, the
 * characteristic's codes when ch is set, none already in taken[0..nt-1]. */
static int load_values(ld *l, char ***out, size_t *n, json_t *o, const char *path,
                       const char *key, const tlf_study_char *ch, char *const *taken, size_t nt)
{
    char *p = kpath(path, key);
    int rc = get_str_list(l, out, n, o, path, key);
    if (rc == TLF_OK)
        rc = check_levels(l, ch, *out, *n, p);
    for (size_t i = 0; rc == TLF_OK && i < *n; i++)
        if (in_strs((*out)[i], taken, nt)) {
            char *q = xasprintf("%s[%zu]", p, i);
            rc = fail(l, q, "a value can be in one place only: ", (*out)[i]);
            free(q);
        }
    free(p);
    return rc;
}

static int load_strata(ld *l, tlf_study *st, json_t *m)
{
    static const char *const KEYS[] = {"name", "label", "from", "variable", "strata",
                                       "strata_labels", "unknown", NULL};
    static const char *const P = "models.stratified_logrank";
    tlf_study_strata *s = &st->strata;
    json_t *o = json_object_get(m, "stratified_logrank"), *arr;
    const tlf_study_char *ch;
    int numeric, rc;
    if (!o)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"%s\"", l->file, P);
    if ((rc = check_keys(l, o, P, KEYS)) || (rc = get_str(l, &s->name, o, P, "name", 1)) ||
        (rc = get_str(l, &s->label, o, P, "label", 0)) ||
        (rc = load_source(l, st, o, P, &s->from, &s->variable, &numeric, &ch)) ||
        (rc = check_exclude_rule(l, o, P, "unknown")) ||
        (rc = get_array(l, &arr, o, P, "strata")))
        return rc;
    if (numeric)
        return fail(l, "models.stratified_logrank.variable", "a stratum is a coded (text) "
                    "variable, not a number: ", s->variable);
    s->n_strata = json_array_size(arr);
    s->values = xcalloc(1, sizeof *s->values);
    char p[96];
    for (size_t k = 0; k < s->n_strata; k++) {
        char **vals = NULL;
        size_t n = 0;
        snprintf(p, sizeof p, "%s.strata[%zu]", P, k);
        rc = str_array(l, &vals, &n, json_array_get(arr, k), p);
        if (rc == TLF_OK)
            rc = check_levels(l, ch, vals, n, p);
        for (size_t i = 0; rc == TLF_OK && i < n; i++)
            if (in_strs(vals[i], s->values, s->n_values)) {
                char *q = xasprintf("%s[%zu]", p, i);
                rc = fail(l, q, "a value is in one stratum only: ", vals[i]);
                free(q);
            }
        if (rc == TLF_OK) {
            s->values = xreallocarray(s->values, s->n_values + n + 1, sizeof *s->values);
            s->stratum = xreallocarray(s->stratum, s->n_values + n + 1, sizeof *s->stratum);
            for (size_t i = 0; i < n; i++) {
                s->stratum[s->n_values] = (int)k;
                s->values[s->n_values++] = vals[i];
                vals[i] = NULL;
            }
        }
        free_strs(vals, n);
        if (rc)
            return rc;
    }
    if (!s->label)
        s->label = xstrdup(s->name);
    /* the strata's display labels, in the order of strata (footnotes:
     * "stratified by onset (new / relapse)") */
    if (json_object_get(o, "strata_labels")) {
        size_t n = 0;
        rc = get_str_list(l, &s->strata_labels, &n, o, P, "strata_labels");
        if (rc == TLF_OK && n != s->n_strata) {
            char *p2 = xasprintf("%s.strata_labels", P);
            rc = tlf_err_set(l->err, TLF_EUSAGE, "%s: key \"%s\": %zu labels for %zu strata "
                             "(one per stratum, in their order)", l->file, p2, n, s->n_strata);
            free(p2);
        }
        if (rc) {
            if (s->strata_labels)
                free_strs(s->strata_labels, n);
            s->strata_labels = NULL;
        }
    }
    return rc;
}

static int load_covariates(ld *l, tlf_study *st, json_t *m)
{
    static const char *const KEYS[] = {"name", "label", "footnote_label", "from", "variable",
                                       "ones", "zeros", "missing", NULL};
    json_t *arr;
    int rc = get_array(l, &arr, m, "models", "covariates");
    if (rc)
        return rc;
    st->covs = xcalloc(json_array_size(arr), sizeof *st->covs);
    char p[64];
    const tlf_study_arm *t = tlf_study_arm_by_role(st, TLF_ARM_TREATED);
    char *armvar = xasprintf("ARMCD%s", t->code);
    for (size_t i = 0; i < json_array_size(arr) && rc == TLF_OK; i++) {
        json_t *o = json_array_get(arr, i);
        tlf_study_covariate *v = &st->covs[st->n_covs++];
        const tlf_study_char *ch;
        snprintf(p, sizeof p, "models.covariates[%zu]", i);
        /* label: the model rows of 14.2.1.3 show it; footnote_label: the
         * footnotes' list of a model's covariates */
        if ((rc = check_keys(l, o, p, KEYS)) || (rc = get_str(l, &v->name, o, p, "name", 1)) ||
            (rc = get_str(l, &v->label, o, p, "label", 1)) ||
            (rc = get_str(l, &v->footnote_label, o, p, "footnote_label", 0)) ||
            (rc = load_source(l, st, o, p, &v->from, &v->variable, &v->numeric, &ch)) ||
            (rc = check_exclude_rule(l, o, p, "missing")))
            break;
        if (!v->footnote_label)
            v->footnote_label = xstrdup(v->label);
        /* the name is a term of the model rows beside ARMCD<treated> */
        if (!is_varname(v->name) || strcmp(v->name, armvar) == 0)
            rc = fail(l, p, "name: not a term name (A-Z, 0-9, _; not the arm's term): ", v->name);
        for (size_t j = 0; rc == TLF_OK && j + 1 < st->n_covs; j++)
            if (strcmp(st->covs[j].name, v->name) == 0)
                rc = fail(l, p, "duplicate name ", v->name);
        int coded = json_object_get(o, "ones") || json_object_get(o, "zeros");
        if (rc == TLF_OK && v->numeric && coded)
            rc = fail(l, p, "a numeric variable is its own value: no \"ones\" or \"zeros\" for ",
                      v->variable);
        else if (rc == TLF_OK && !v->numeric)
            /* a text variable is a 0/1 indicator: the values coded 1 and 0 */
            if ((rc = load_values(l, &v->ones, &v->n_ones, o, p, "ones", ch, NULL, 0)) == TLF_OK)
                rc = load_values(l, &v->zeros, &v->n_zeros, o, p, "zeros", ch, v->ones,
                                 v->n_ones);
    }
    free(armvar);
    return rc;
}

/* The model m.key: a non-empty list of distinct covariate names, as
 * indices into st->covs. */
static int load_model(ld *l, tlf_study *st, json_t *m, const char *key, size_t **idx, size_t *n)
{
    char **names = NULL;
    size_t nn = 0;
    int rc = get_str_list(l, &names, &nn, m, "models", key);
    if (rc == TLF_OK)
        *idx = xcalloc(nn, sizeof **idx);
    for (size_t i = 0; rc == TLF_OK && i < nn; i++) {
        size_t k = 0;
        while (k < st->n_covs && strcmp(st->covs[k].name, names[i]) != 0)
            k++;
        if (k == st->n_covs) {
            char *p = xasprintf("models.%s[%zu]", key, i);
            rc = fail(l, p, "not the name of one of \"models.covariates\": ", names[i]);
            free(p);
        }
        (*idx)[i] = k;
    }
    *n = rc ? 0 : nn;
    free_strs(names, nn);
    return rc;
}

static int load_models(ld *l, tlf_study *st, json_t *doc)
{
    static const char *const KEYS[] = {"stratified_logrank", "covariates", "cox_adjusted",
                                       "propensity_score", NULL};
    json_t *m = json_object_get(doc, "models");
    int rc;
    if (!m)
        return tlf_err_set(l->err, TLF_EUSAGE, "%s: missing key \"models\"", l->file);
    if ((rc = check_keys(l, m, "models", KEYS)) || (rc = load_strata(l, st, m)) ||
        (rc = load_covariates(l, st, m)) ||
        (rc = load_model(l, st, m, "cox_adjusted", &st->cox_adj, &st->n_cox_adj)))
        return rc;
    return load_model(l, st, m, "propensity_score", &st->ps, &st->n_ps);
}

char *tlf_study_default_path(const char *config_dir)
{
    return xasprintf("%s/study.json", config_dir);
}

int tlf_study_load(tlf_study **out, const char *path, tlf_err *err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    tlf_study *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    ld l = {path, err};
    int rc;
    if (!doc) {
        char where[64];   /* no "(line -1)" when the file cannot be read at all */
        rc = tlf_err_set(err, TLF_EUSAGE, "study configuration %s: %s%s", path, jerr.text,
                         tlf_json_where(where, sizeof where, &jerr));
        goto done;
    }
    char *aesi = NULL;
    if ((rc = check_keys(&l, doc, "", TOP_KEYS)) || (rc = load_study_block(&l, st, doc)) ||
        (rc = load_arms(&l, st, doc)) || (rc = load_comparisons(&l, st, doc)) ||
        (rc = load_treatments(&l, st, doc)) ||
        (rc = get_int(&l, &st->landmark_day, doc, "", "landmark_day", 1, 100000, 1)) ||
        (rc = load_visits(&l, st, doc)) || (rc = load_response(&l, st, doc)) ||
        (rc = load_events(&l, st, doc)) || (rc = load_params(&l, st, doc)) ||
        (rc = load_chars(&l, st, doc)) || (rc = load_models(&l, st, doc)) ||
        (rc = get_str(&l, &aesi, doc, "", "aesi", 0)))
        goto done;
    if (aesi) {
        /* relative to the study file, so a study folder moves as a whole */
        const char *slash = strrchr(path, '/');
        st->aesi_path = aesi[0] == '/' || !slash
                            ? xstrdup(aesi)
                            : xasprintf("%.*s/%s", (int)(slash - path), path, aesi);
        free(aesi);
    }
done:
    json_decref(doc);
    if (rc) {
        tlf_study_free(st);
        return rc;
    }
    *out = st;
    return TLF_OK;
}

const tlf_study_arm *tlf_study_arm_by_role(const tlf_study *st, tlf_arm_role role)
{
    for (size_t i = 0; i < st->n_arms; i++)
        if (st->arms[i].role == role)
            return &st->arms[i];
    return NULL;
}

const tlf_study_arm *tlf_study_arm_by_code(const tlf_study *st, const char *code)
{
    for (size_t i = 0; code && i < st->n_arms; i++)
        if (strcmp(st->arms[i].code, code) == 0)
            return &st->arms[i];
    return NULL;
}

const tlf_study_param *tlf_study_domain_params(const tlf_study *st, const char *domain, size_t *n)
{
    *n = 0;
    const tlf_study_param *first = NULL;
    for (size_t i = 0; i < st->n_params; i++)
        if (strcmp(st->params[i].domain, domain) == 0) {
            if (!first)
                first = &st->params[i];
            (*n)++;
        }
    return first;
}

const tlf_study_param *tlf_study_param_find(const tlf_study *st, const char *domain,
                                            const char *code)
{
    for (size_t i = 0; code && i < st->n_params; i++)
        if (strcmp(st->params[i].domain, domain) == 0 && strcmp(st->params[i].code, code) == 0)
            return &st->params[i];
    return NULL;
}

const tlf_study_param *tlf_study_dosing_weight(const tlf_study *st)
{
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i].dosing_weight)
            return &st->params[i];
    return NULL;
}

const tlf_study_visit *tlf_study_visit_by_name(const tlf_study *st, const char *name)
{
    for (size_t i = 0; name && i < st->n_visits; i++)
        if (strcmp(st->visits[i].name, name) == 0)
            return &st->visits[i];
    return NULL;
}

const tlf_study_visit *tlf_study_visit_by_number(const tlf_study *st, int number)
{
    for (size_t i = 0; i < st->n_visits; i++)
        if (st->visits[i].number == number)
            return &st->visits[i];
    return NULL;
}

const tlf_study_visit *tlf_study_visit_for_day(const tlf_study *st, int ady)
{
    for (size_t i = 0; i < st->n_visits; i++)
        if (ady >= st->visits[i].lo && ady <= st->visits[i].hi)
            return &st->visits[i];
    return NULL;
}

int tlf_study_last_window_day(const tlf_study *st)
{
    return st->n_visits ? st->visits[st->n_visits - 1].hi : 0;
}

const tlf_study_gc *tlf_study_gc_find(const tlf_study *st, const char *extrt)
{
    for (size_t i = 0; extrt && i < st->n_gcs; i++)
        if (strcmp(st->gcs[i].extrt, extrt) == 0)
            return &st->gcs[i];
    return NULL;
}

const tlf_study_char *tlf_study_char_find(const tlf_study *st, const char *code)
{
    for (size_t i = 0; code && i < st->n_chars; i++)
        if (strcmp(st->chars[i].code, code) == 0)
            return &st->chars[i];
    return NULL;
}
