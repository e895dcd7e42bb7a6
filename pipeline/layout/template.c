/*
 * template.c - load and validate JSON output templates (see template.h).
 *
 * Stage: layout. Each JSON object is checked against a list of allowed keys
 * before its values are read, so a misspelt key is an error, not a silent
 * default. Messages: "<file>: <key path>: expected <what>, got <type>".
 */
#include "layout/template.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jsonerr.h"
#include "core/mem.h"
#include "layout/studyvars.h"

typedef struct vctx {
    const char *file;
    tlf_err *err;
    const tlf_study *st;     /* NULL: study variables are an error */
} vctx;

static const char *jtype(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static int bad(vctx *v, const char *path, const char *expected, const json_t *got)
{
    return tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: expected %s, got %s", v->file, path,
                       expected, got ? jtype(got) : "nothing (the key is required)");
}

/* Reject keys of obj not in the NULL-terminated list allowed. */
static int check_keys(vctx *v, const char *path, const json_t *obj, const char *const *allowed)
{
    if (!json_is_object(obj))
        return bad(v, path, "an object", obj);
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)obj, k, val) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(k, allowed[i]) == 0)
                ok = 1;
        if (!ok) {
            tlf_buf b = TLF_BUF_INIT;
            for (size_t i = 0; allowed[i]; i++)
                tlf_buf_printf(&b, "%s%s", i ? ", " : "", allowed[i]);
            int rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s%s%s: unknown key (expected one of: %s)",
                                 v->file, path, *path ? "." : "", k, tlf_buf_cstr(&b));
            tlf_buf_free(&b);
            return rc;
        }
    }
    return 0;
}

static char *sub(const char *path, const char *key)
{
    return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

/* Optional string: *out stays NULL when absent. */
static int get_str(vctx *v, const char *path, const json_t *obj, const char *key, int required,
                   char **out)
{
    json_t *j = json_object_get(obj, key);
    if (!j && !required)
        return 0;
    if (!json_is_string(j)) {
        char *p = sub(path, key);
        int rc = bad(v, p, "a string", j);
        free(p);
        return rc;
    }
    *out = xstrdup(json_string_value(j));
    return 0;
}

static int get_num(vctx *v, const char *path, const json_t *obj, const char *key, double lo,
                   double hi, double *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    if (!json_is_number(j) || json_number_value(j) < lo || json_number_value(j) > hi) {
        char *p = sub(path, key);
        char what[80];
        snprintf(what, sizeof what, "a number from %g to %g", lo, hi);
        int rc = json_is_number(j)
                     ? tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: expected %s, got %g", v->file, p,
                                   what, json_number_value(j))
                     : bad(v, p, what, j);
        free(p);
        return rc;
    }
    *out = json_number_value(j);
    return 0;
}

static int get_bool(vctx *v, const char *path, const json_t *obj, const char *key, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    if (!json_is_boolean(j)) {
        char *p = sub(path, key);
        int rc = bad(v, p, "true or false", j);
        free(p);
        return rc;
    }
    *out = json_is_true(j);
    return 0;
}

static int get_strs(vctx *v, const char *path, const json_t *obj, const char *key, char ***out,
                    size_t *n)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char *p = sub(path, key);
    int rc = 0;
    if (!json_is_array(j)) {
        rc = bad(v, p, "an array of strings", j);
        goto done;
    }
    *n = json_array_size(j);
    *out = xcalloc(*n + 1, sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(j, i);
        if (!json_is_string(e)) {
            char *pi = xasprintf("%s[%zu]", p, i);
            rc = bad(v, pi, "a string", e);
            free(pi);
            goto done;
        }
        (*out)[i] = xstrdup(json_string_value(e));
    }
done:
    free(p);
    return rc;
}

static int get_select(vctx *v, const char *path, const json_t *obj, const char *key,
                      tlf_tpl_select *s, int *present)
{
    static const char *const keys[] = {"analysis_id", "population", "group", "group_level",
                                       "variable", "variable_level", "param", NULL};
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char *p = sub(path, key);
    int rc = check_keys(v, p, j, keys);
    if (!rc)
        rc = get_str(v, p, j, "analysis_id", 0, &s->analysis_id);
    if (!rc)
        rc = get_str(v, p, j, "population", 0, &s->population);
    if (!rc)
        rc = get_str(v, p, j, "group", 0, &s->group);
    if (!rc)
        rc = get_str(v, p, j, "group_level", 0, &s->group_level);
    if (!rc)
        rc = get_str(v, p, j, "variable", 0, &s->variable);
    if (!rc)
        rc = get_str(v, p, j, "variable_level", 0, &s->variable_level);
    if (!rc)
        rc = get_str(v, p, j, "param", 0, &s->param);
    if (!rc && present)
        *present = 1;
    free(p);
    return rc;
}

static void select_free(tlf_tpl_select *s)
{
    free(s->analysis_id);
    free(s->population);
    free(s->group);
    free(s->group_level);
    free(s->variable);
    free(s->variable_level);
    free(s->param);
}

static int get_align(vctx *v, const char *path, const json_t *obj, tlf_align *out)
{
    json_t *j = json_object_get(obj, "align");
    if (!j)
        return 0;
    static const char *const names[] = {"left", "centre", "right", "decimal"};
    if (json_is_string(j))
        for (int i = 0; i < 4; i++)
            if (strcmp(json_string_value(j), names[i]) == 0) {
                *out = (tlf_align)i;
                return 0;
            }
    char *p = sub(path, "align");
    int rc = json_is_string(j) ? tlf_err_set(v->err, TLF_EUSAGE,
                                             "%s: %s: expected \"left\", \"centre\", \"right\" or "
                                             "\"decimal\", got \"%s\"",
                                             v->file, p, json_string_value(j))
                               : bad(v, p, "\"left\", \"centre\", \"right\" or \"decimal\"", j);
    free(p);
    return rc;
}

/* "width": a share of the body width in % (1-100), or "fit". */
static int get_width(vctx *v, const char *path, const json_t *obj, tlf_tpl_col *c)
{
    json_t *j = json_object_get(obj, "width");
    if (json_is_string(j) && strcmp(json_string_value(j), "fit") == 0) {
        c->fit = 1;
        return 0;
    }
    if (json_is_string(j)) {
        char *p = sub(path, "width");
        int rc = tlf_err_set(v->err, TLF_EUSAGE,
                             "%s: %s: expected a number from 1 to 100 or \"fit\", got \"%s\"",
                             v->file, p, json_string_value(j));
        free(p);
        return rc;
    }
    return get_num(v, path, obj, "width", 1, 100, &c->width_pct);
}

static int parse_col(vctx *v, const char *path, const json_t *j, tlf_tpl_kind kind,
                     tlf_tpl_col *c)
{
    static const char *const tkeys[] = {"id", "header", "align", "width", "key", "select",
                                        "header_select", "format", "missing", NULL};
    static const char *const lkeys[] = {"id", "header", "align", "width", "key", "value", NULL};
    int rc = check_keys(v, path, j, kind == TLF_TPL_TABLE ? tkeys : lkeys);
    if (!rc)
        rc = get_str(v, path, j, "id", 1, &c->id);
    if (!rc)
        rc = get_str(v, path, j, "header", 0, &c->header);
    if (!rc)
        rc = get_align(v, path, j, &c->align);
    if (!rc)
        rc = get_width(v, path, j, c);
    if (!rc)
        rc = get_bool(v, path, j, "key", &c->key);
    if (!rc)
        rc = get_select(v, path, j, "select", &c->select, NULL);
    if (!rc)
        rc = get_select(v, path, j, "header_select", &c->header_select, &c->has_header_select);
    if (!rc)
        rc = get_str(v, path, j, "format", 0, &c->format);
    if (!rc)
        rc = get_str(v, path, j, "missing", 0, &c->missing);
    if (!rc)
        rc = get_str(v, path, j, "value", kind == TLF_TPL_LISTING, &c->value);
    if (!c->header)
        c->header = xstrdup("");
    return rc;
}

static int parse_sort(vctx *v, const char *path, const json_t *obj, tlf_tpl_sort *s)
{
    static const char *const keys[] = {"stat", "group_level", "descending", NULL};
    json_t *j = json_object_get(obj, "sort");
    if (!j)
        return 0;
    char *p = sub(path, "sort");
    int rc = check_keys(v, p, j, keys);
    if (!rc)
        rc = get_str(v, p, j, "stat", 1, &s->stat);
    if (!rc)
        rc = get_str(v, p, j, "group_level", 0, &s->group_level);
    if (!rc)
        rc = get_bool(v, p, j, "descending", &s->descending);
    free(p);
    return rc;
}

static int parse_note(vctx *v, const char *path, const json_t *obj, tlf_tpl_note *n)
{
    static const char *const keys[] = {"select", "stat", "text", NULL};
    json_t *j = json_object_get(obj, "not_estimable");
    if (!j)
        return 0;
    char *p = sub(path, "not_estimable");
    int rc = check_keys(v, p, j, keys);
    if (!rc)
        rc = get_select(v, p, j, "select", &n->select, NULL);
    if (!rc)
        rc = get_str(v, p, j, "stat", 0, &n->stat);
    if (!rc)
        rc = get_str(v, p, j, "text", 1, &n->text);
    if (!n->stat)
        n->stat = xstrdup("estimable");
    n->present = 1;
    free(p);
    return rc;
}

static void row_free(tlf_tpl_row *r);
static void strs_free(char **s, size_t n);

/* "labels": {"LEVEL": "Display label", ...} of an expanding row. */
static int parse_labels(vctx *v, const char *path, const json_t *j, tlf_tpl_row *r)
{
    json_t *o = json_object_get(j, "labels");
    if (!o)
        return 0;
    char *p = sub(path, "labels");
    int rc = 0;
    if (!json_is_object(o)) {
        rc = bad(v, p, "an object of level: label strings", o);
        goto done;
    }
    size_t n = json_object_size(o);
    r->label_from = xcalloc(n + 1, sizeof *r->label_from);
    r->label_to = xcalloc(n + 1, sizeof *r->label_to);
    const char *k;
    json_t *val;
    json_object_foreach(o, k, val) {
        if (!json_is_string(val)) {
            char *pk = sub(p, k);
            rc = bad(v, pk, "a string", val);
            free(pk);
            goto done;
        }
        r->label_from[r->nlabels] = xstrdup(k);
        r->label_to[r->nlabels++] = xstrdup(json_string_value(val));
    }
done:
    free(p);
    return rc;
}

static int parse_row(vctx *v, const char *path, const json_t *j, int is_child, tlf_tpl_row *r);

/* The "levels" names, by kind (TLF_LEVELS_DATA has none). */
static const char *const LEVELS_NAMES[TLF_LEVELS_N] = {
    NULL, "visits", "characteristics", "models.cox_adjusted", "models.propensity_score"};

/* "levels": the values are the study's analysis visits, characteristic
 * parameters or a model's covariates, so their order and labels come from
 * the study configuration, which must then be loaded (as for a study
 * variable). */
static int parse_levels(vctx *v, const char *path, const json_t *j, tlf_levels_kind *out)
{
    char *s = NULL;
    int rc = get_str(v, path, j, "levels", 0, &s);
    if (!rc && s) {
        char *p = sub(path, "levels");
        int k = 1;
        while (k < TLF_LEVELS_N && strcmp(s, LEVELS_NAMES[k]) != 0)
            k++;
        if (k == TLF_LEVELS_N)
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: expected \"visits\", "
                             "\"characteristics\", \"models.cox_adjusted\" or "
                             "\"models.propensity_score\", got \"%s\"", v->file, p, s);
        else if (!v->st)
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: \"%s\" needs the study "
                             "configuration", v->file, p, s);
        else
            *out = (tlf_levels_kind)k;
        free(p);
    }
    free(s);
    return rc;
}

static void levels_add(tlf_tpl_levels *l, const char *name, const char *label, const char *unit,
                       const char *column)
{
    l->name = xrealloc(l->name, (l->n + 1) * sizeof *l->name);
    l->label = xrealloc(l->label, (l->n + 1) * sizeof *l->label);
    l->unit = xrealloc(l->unit, (l->n + 1) * sizeof *l->unit);
    l->column = xrealloc(l->column, (l->n + 1) * sizeof *l->column);
    l->name[l->n] = xstrdup(name);
    l->label[l->n] = xstrdup(label);
    l->unit[l->n] = xstrdup(unit ? unit : "");
    l->column[l->n++] = xstrdup(column ? column : "");
}

static void levels_free(tlf_tpl_levels *l)
{
    strs_free(l->name, l->n);
    strs_free(l->label, l->n);
    strs_free(l->unit, l->n);
    strs_free(l->column, l->n);
}

/* The configured levels of every kind, copied from st (the templates keep
 * no pointer into the configuration). */
static void levels_load(tlf_template *t, const tlf_study *st)
{
    levels_add(&t->levels[TLF_LEVELS_VISITS], st->baseline_visit, st->baseline_label, NULL, NULL);
    for (size_t i = 0; i < st->n_visits; i++)
        levels_add(&t->levels[TLF_LEVELS_VISITS], st->visits[i].name, st->visits[i].label, NULL,
                   NULL);
    for (size_t i = 0; i < st->n_params; i++)
        if (st->params[i].characteristic)
            levels_add(&t->levels[TLF_LEVELS_CHARACTERISTICS], st->params[i].code,
                       st->params[i].short_label, st->params[i].unit, st->params[i].baseline);
    for (size_t k = 0; k < st->n_cox_adj; k++) {
        const tlf_study_covariate *c = &st->covs[st->cox_adj[k]];
        levels_add(&t->levels[TLF_LEVELS_COX_ADJUSTED], c->name, c->label, NULL, NULL);
    }
    for (size_t k = 0; k < st->n_ps; k++) {
        const tlf_study_covariate *c = &st->covs[st->ps[k]];
        levels_add(&t->levels[TLF_LEVELS_PROPENSITY], c->name, c->label, NULL, NULL);
    }
}

/* A listing column with "levels" (16.2.4's baseline columns) is one
 * column per configured level, in the configuration's order: its value is
 * the level's dataset column ("{BLCK}"), its header the column's header
 * with the level's {label}, {unit} and {value} (tlf_studyvar_level_text),
 * its id the id and the level's name. A kind whose levels have no dataset
 * column (visits, model terms) cannot make listing columns. The other
 * columns are copied; *out is a new array (json_decref), (*src)[k] the
 * template's index of its column k (messages name the template's key). */
static int expand_listing_cols(vctx *v, const tlf_template *t, json_t *cols, json_t **out,
                               size_t **src)
{
    *out = json_array();
    *src = NULL;
    size_t nsrc = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < json_array_size(cols) && !rc; i++) {
        json_t *c = json_array_get(cols, i);
        if (!json_is_object(c) || !json_object_get(c, "levels")) {
            json_array_append(*out, c);
            XGROW(*src, cap, nsrc + 1);
            (*src)[nsrc++] = i;
            continue;
        }
        char *p = xasprintf("columns[%zu]", i);
        tlf_levels_kind kind = TLF_LEVELS_DATA;
        rc = parse_levels(v, p, c, &kind);
        const tlf_tpl_levels *lv = &t->levels[kind];
        const json_t *id = json_object_get(c, "id"), *hd = json_object_get(c, "header");
        if (!rc && json_object_get(c, "value"))
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s.value: a column with levels shows each "
                             "level's dataset column; it has no value", v->file, p);
        if (!rc && !json_is_string(id))
            rc = bad(v, p, "a string at id", id);
        if (!rc && hd && !json_is_string(hd))
            rc = bad(v, p, "a string at header", hd);
        for (size_t k = 0; !rc && k < lv->n; k++)
            if (!*lv->column[k])
                rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s.levels: \"%s\" has no dataset "
                                 "column (a listing column expands over \"characteristics\")",
                                 v->file, p, LEVELS_NAMES[kind]);
        for (size_t k = 0; !rc && k < lv->n; k++) {
            json_t *e = json_deep_copy(c);
            json_object_del(e, "levels");
            char *eid = xasprintf("%s.%s", json_string_value(id), lv->name[k]);
            char *ehd = tlf_studyvar_level_text(hd ? json_string_value(hd) : "{label}",
                                                lv->name[k], lv->label[k], lv->unit[k]);
            char *eval = xasprintf("{%s}", lv->column[k]);
            json_object_set_new(e, "id", json_string(eid));
            json_object_set_new(e, "header", json_string(ehd));
            json_object_set_new(e, "value", json_string(eval));
            json_array_append_new(*out, e);
            XGROW(*src, cap, nsrc + 1);
            (*src)[nsrc++] = i;
            free(eid);
            free(ehd);
            free(eval);
        }
        free(p);
    }
    return rc;
}

/* {"block": {"select", "by", "label", "label_stat", "levels"}, "rows": [...]} */
static int parse_block(vctx *v, const char *path, const json_t *j, tlf_tpl_row *r)
{
    static const char *const keys[] = {"block", "rows", NULL};
    static const char *const bkeys[] = {"select", "by", "label", "label_stat", "levels", NULL};
    int rc = check_keys(v, path, j, keys);
    if (rc)
        return rc;
    char *bp = sub(path, "block");
    const json_t *b = json_object_get(j, "block");
    tlf_tpl_block *blk = r->block = xcalloc(1, sizeof *r->block);
    int has = 0;
    if (!json_is_object(b))
        rc = bad(v, bp, "an object", b);
    if (!rc)
        rc = check_keys(v, bp, b, bkeys);
    if (!rc)
        rc = get_select(v, bp, b, "select", &blk->select, &has);
    if (!rc && !has) {
        char *p = sub(bp, "select");
        rc = bad(v, p, "an object (the records that make the blocks)", NULL);
        free(p);
    }
    if (!rc)
        rc = get_str(v, bp, b, "by", 1, &blk->by);
    if (!rc)
        rc = get_str(v, bp, b, "label", 0, &blk->label);
    if (!rc)
        rc = get_str(v, bp, b, "label_stat", 0, &blk->label_stat);
    if (!rc)
        rc = parse_levels(v, bp, b, &blk->levels);
    free(bp);
    if (rc)
        return rc;
    const json_t *rows = json_object_get(j, "rows");
    char *rp = sub(path, "rows");
    if (!json_is_array(rows) || json_array_size(rows) == 0) {
        rc = bad(v, rp, "a non-empty array of rows", rows);
        free(rp);
        return rc;
    }
    blk->nrows = json_array_size(rows);
    blk->rows = xcalloc(blk->nrows, sizeof *blk->rows);
    for (size_t i = 0; i < blk->nrows && !rc; i++) {
        char *p = xasprintf("%s[%zu]", rp, i);
        const json_t *row = json_array_get(rows, i);
        if (json_is_object(row) && json_object_get(row, "block"))
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: a block cannot hold a block", v->file, p);
        else
            rc = parse_row(v, p, row, 0, &blk->rows[i]);
        if (!rc && (blk->rows[i].expand || blk->rows[i].children))
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: rows of a block are plain rows or "
                             "\"expand_param\" rows", v->file, p);
        free(p);
    }
    free(rp);
    return rc;
}

static int parse_row(vctx *v, const char *path, const json_t *j, int is_child, tlf_tpl_row *r)
{
    static const char *const keys[] = {"label", "indent", "group_head", "select", "format",
                                       "missing", "not_estimable", "expand", "labels", "sort",
                                       "last", "children", "parent_param", "columns", "expand_param",
                                       "exclude", "blank_if_zero", "levels", NULL};
    if (!is_child && json_is_object(j) && json_object_get(j, "block"))
        return parse_block(v, path, j, r);
    int rc = check_keys(v, path, j, keys);
    double indent = 0;
    if (!rc)
        rc = get_str(v, path, j, "label", 0, &r->label);
    if (!rc)
        rc = get_num(v, path, j, "indent", 0, 6, &indent);
    r->indent = (int)indent;
    if (!rc)
        rc = get_bool(v, path, j, "group_head", &r->group_head);
    if (!rc)
        rc = get_select(v, path, j, "select", &r->select, &r->has_select);
    if (!rc)
        rc = get_str(v, path, j, "format", 0, &r->format);
    if (!rc)
        rc = get_str(v, path, j, "missing", 0, &r->missing);
    if (!rc)
        rc = parse_note(v, path, j, &r->not_estimable);
    if (!rc)
        rc = get_bool(v, path, j, "expand", &r->expand);
    if (!rc)
        rc = parse_labels(v, path, j, r);
    if (!rc)
        rc = parse_sort(v, path, j, &r->sort);
    if (!rc)
        rc = get_strs(v, path, j, "last", &r->last, &r->nlast);
    if (!rc)
        rc = get_str(v, path, j, "parent_param", 0, &r->parent_param);
    if (!rc)
        rc = get_strs(v, path, j, "columns", &r->only_cols, &r->nonly_cols);
    if (!rc)
        rc = get_str(v, path, j, "expand_param", 0, &r->expand_param);
    if (!rc)
        rc = get_strs(v, path, j, "exclude", &r->exclude, &r->nexclude);
    if (!rc)
        rc = get_str(v, path, j, "blank_if_zero", 0, &r->blank_if_zero);
    if (!rc)
        rc = parse_levels(v, path, j, &r->levels);
    if (rc)
        return rc;
    if (r->levels && !r->expand_param) {
        char *p = sub(path, "levels");
        rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: only an \"expand_param\" row (or a "
                         "block) has levels", v->file, p);
        free(p);
        return rc;
    }
    if (is_child)
        r->expand = 1;
    if (r->expand_param && (r->expand || !r->has_select)) {
        char *p = sub(path, "expand_param");
        rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: an \"expand_param\" row needs a select "
                         "and no \"expand\"", v->file, p);
        free(p);
        return rc;
    }
    if (!r->expand && !r->expand_param && !r->label) {
        char *p = sub(path, "label");
        rc = bad(v, p, "a string (a row that does not expand needs a label)", NULL);
        free(p);
        return rc;
    }
    if (r->expand && !r->has_select) {
        char *p = sub(path, "select");
        rc = bad(v, p, "an object (an expanding row needs a select)", NULL);
        free(p);
        return rc;
    }
    json_t *ch = json_object_get(j, "children");
    if (ch) {
        char *p = sub(path, "children");
        if (is_child || !r->expand) {
            rc = tlf_err_set(v->err, TLF_EUSAGE,
                             "%s: %s: only a top-level row with \"expand\": true has children",
                             v->file, p);
        } else {
            r->children = xcalloc(1, sizeof *r->children);
            rc = parse_row(v, p, ch, 1, r->children);
            if (!rc && !r->children->parent_param)
                rc = tlf_err_set(v->err, TLF_EUSAGE,
                                 "%s: %s.parent_param: expected a string (the param key that "
                                 "holds the parent's level, e.g. AEBODSYS)", v->file, p);
        }
        free(p);
    }
    return rc;
}

static void row_free(tlf_tpl_row *r)
{
    if (r->block) {
        select_free(&r->block->select);
        free(r->block->by);
        free(r->block->label);
        free(r->block->label_stat);
        for (size_t i = 0; i < r->block->nrows; i++)
            row_free(&r->block->rows[i]);
        free(r->block->rows);
        free(r->block);
    }
    free(r->expand_param);
    free(r->blank_if_zero);
    strs_free(r->exclude, r->nexclude);
    free(r->label);
    select_free(&r->select);
    free(r->format);
    free(r->missing);
    select_free(&r->not_estimable.select);
    free(r->not_estimable.stat);
    free(r->not_estimable.text);
    free(r->sort.stat);
    free(r->sort.group_level);
    free(r->parent_param);
    strs_free(r->only_cols, r->nonly_cols);
    strs_free(r->label_from, r->nlabels);
    strs_free(r->last, r->nlast);
    strs_free(r->label_to, r->nlabels);
    if (r->children) {
        row_free(r->children);
        free(r->children);
    }
}

static int parse_hrows(vctx *v, const json_t *root, tlf_template *t)
{
    static const char *const keys[] = {"text", "span", "select", NULL};
    json_t *j = json_object_get(root, "header_rows");
    if (!j)
        return 0;
    if (!json_is_array(j))
        return bad(v, "header_rows", "an array of arrays of spans", j);
    t->nhrows = json_array_size(j);
    t->hrows = xcalloc(t->nhrows, sizeof *t->hrows);
    for (size_t i = 0; i < t->nhrows; i++) {
        json_t *row = json_array_get(j, i);
        char *p = xasprintf("header_rows[%zu]", i);
        int rc = 0;
        if (!json_is_array(row)) {
            rc = bad(v, p, "an array of spans", row);
            free(p);
            return rc;
        }
        tlf_tpl_hrow *h = &t->hrows[i];
        h->n = json_array_size(row);
        h->spans = xcalloc(h->n, sizeof *h->spans);
        size_t col = 0;
        for (size_t k = 0; k < h->n && !rc; k++) {
            char *ps = xasprintf("%s[%zu]", p, k);
            json_t *sj = json_array_get(row, k);
            tlf_tpl_span *s = &h->spans[k];
            double span = 1;
            rc = check_keys(v, ps, sj, keys);
            if (!rc)
                rc = get_str(v, ps, sj, "text", 0, &s->text);
            if (!rc)
                rc = get_num(v, ps, sj, "span", 1, 64, &span);
            if (!rc)
                rc = get_select(v, ps, sj, "select", &s->select, &s->has_select);
            if (!s->text)
                s->text = xstrdup("");
            s->first = col;
            s->ncols = (size_t)span;
            col += s->ncols;
            if (!rc && col > t->ncols)
                rc = tlf_err_set(v->err, TLF_EUSAGE,
                                 "%s: %s.span: the spans cover %zu columns but the template has %zu",
                                 v->file, ps, col, t->ncols);
            free(ps);
        }
        free(p);
        if (rc)
            return rc;
    }
    return 0;
}

static int get_enum(vctx *v, const char *path, const json_t *obj, const char *key,
                    const char *const *names, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    if (json_is_string(j))
        for (int i = 0; names[i]; i++)
            if (strcmp(json_string_value(j), names[i]) == 0) {
                *out = i;
                return 0;
            }
    tlf_buf b = TLF_BUF_INIT;
    for (int i = 0; names[i]; i++)
        tlf_buf_printf(&b, "%s\"%s\"", i ? (names[i + 1] ? ", " : " or ") : "", names[i]);
    char *p = sub(path, key);
    int rc = json_is_string(j) ? tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: expected %s, got \"%s\"",
                                             v->file, p, tlf_buf_cstr(&b), json_string_value(j))
                               : bad(v, p, tlf_buf_cstr(&b), j);
    free(p);
    tlf_buf_free(&b);
    return rc;
}

static int parse_figure(vctx *v, const json_t *root, tlf_template *t)
{
    static const char *const keys[] = {"kind", "select", "arms", "x_label", "y_label",
                                       "time_unit", "x_max", "x_tick", "ci_band", "ci",
                                       "censor_marks", "at_risk", "visit_key", "visits",
                                       "mean_stat", "se_stat", "y_min", "y_max", "y_tick",
                                       "notes", "n_select", NULL};
    static const char *const kinds[] = {"km", "line", NULL};
    static const char *const units[] = {"weeks", "days", NULL};
    static const char *const dashes[] = {"solid", "dashed", "dotted", NULL};
    static const char *const marks[] = {"tick", "circle", "square", "triangle", NULL};
    static const char *const akeys[] = {"level", "label", "line", "mark", NULL};
    static const char *const nkeys[] = {"text", "select", "missing", NULL};
    json_t *j = json_object_get(root, "figure");
    if (!j)
        return bad(v, "figure", "an object (what the figure shows)", NULL);
    tlf_tpl_figure *f = t->figure = xcalloc(1, sizeof *f);
    f->censor_marks = f->at_risk = 1;
    int kind = 0, unit = 0;
    int rc = check_keys(v, "figure", j, keys);
    if (!rc && !json_object_get(j, "kind"))
        rc = bad(v, "figure.kind", "\"km\" or \"line\"", NULL);
    if (!rc)
        rc = get_enum(v, "figure", j, "kind", kinds, &kind);
    f->kind = (tlf_fig_kind)kind;
    if (!rc)
        rc = get_select(v, "figure", j, "select", &f->select, NULL);
    if (!rc && !f->select.analysis_id)
        rc = bad(v, "figure.select.analysis_id", "a string (the analysis the figure shows)", NULL);
    if (!rc)
        rc = get_str(v, "figure", j, "x_label", 0, &f->x_label);
    if (!rc)
        rc = get_str(v, "figure", j, "y_label", 0, &f->y_label);
    if (!rc)
        rc = get_enum(v, "figure", j, "time_unit", units, &unit);
    f->days = unit == 1;
    /* the axis reaches the landmark day (week) unless the template says */
    f->x_max = !v->st ? 0 : f->days ? v->st->landmark_day : tlf_studyvar_landmark_week(v->st);
    f->x_tick = f->days ? 30 : 4;
    if (!rc)
        rc = get_num(v, "figure", j, "x_max", 1, 100000, &f->x_max);
    if (!rc)
        rc = get_num(v, "figure", j, "x_tick", 0.001, 100000, &f->x_tick);
    if (!rc && f->x_max <= 0)
        rc = bad(v, "figure.x_max", "a number (no study configuration gives the landmark day)", NULL);
    if (!rc && f->x_max / f->x_tick > 60)
        rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: figure.x_tick: %g gives more than 60 ticks up to %g",
                         v->file, f->x_tick, f->x_max);
    if (!rc)
        rc = get_bool(v, "figure", j, "ci_band", &f->ci_band);
    if (!rc)
        rc = get_str(v, "figure", j, "ci", 0, &f->ci);
    if (!rc)
        rc = get_bool(v, "figure", j, "censor_marks", &f->censor_marks);
    if (!rc)
        rc = get_bool(v, "figure", j, "at_risk", &f->at_risk);
    if (!rc)
        rc = get_str(v, "figure", j, "visit_key", 0, &f->visit_key);
    if (!rc)
        rc = get_strs(v, "figure", j, "visits", &f->visits, &f->nvisits);
    if (!rc)
        rc = get_str(v, "figure", j, "mean_stat", 0, &f->mean_stat);
    if (!rc)
        rc = get_str(v, "figure", j, "se_stat", 0, &f->se_stat);
    if (!rc)
        rc = get_select(v, "figure", j, "n_select", &f->n_select, &f->has_n_select);
    if (!rc)
        rc = get_num(v, "figure", j, "y_min", -1e12, 1e12, &f->y_min);
    if (!rc)
        rc = get_num(v, "figure", j, "y_max", -1e12, 1e12, &f->y_max);
    if (!rc)
        rc = get_num(v, "figure", j, "y_tick", 0, 1e12, &f->y_tick);
    if (!rc && f->y_tick > 0 && (f->y_max <= f->y_min || (f->y_max - f->y_min) / f->y_tick > 60))
        rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: figure: y_min %g, y_max %g and y_tick %g do not "
                         "make an axis (y_min < y_max, at most 60 ticks)", v->file, f->y_min,
                         f->y_max, f->y_tick);
    if (rc)
        return rc;
    if (!f->ci)
        f->ci = xstrdup("loglog");
    if (!f->visit_key)
        f->visit_key = xstrdup("visit");
    if (!f->mean_stat)
        f->mean_stat = xstrdup("mean");
    if (!f->se_stat)
        f->se_stat = xstrdup("se");
    if (!f->x_label)
        f->x_label = xstrdup(f->kind == TLF_FIG_LINE ? "Visit"
                             : f->days ? "Days since start of treatment"
                                       : "Weeks since start of treatment");
    if (!f->y_label)
        f->y_label = xstrdup(f->kind == TLF_FIG_KM ? "Survival (%)" : "Mean (+/- SE)");
    json_t *arms = json_object_get(j, "arms");
    if (arms) {
        if (!json_is_array(arms) || json_array_size(arms) == 0)
            return bad(v, "figure.arms", "a non-empty array of arms", arms);
        f->narms = json_array_size(arms);
        f->arms = xcalloc(f->narms, sizeof *f->arms);
        for (size_t i = 0; i < f->narms && !rc; i++) {
            char *p = xasprintf("figure.arms[%zu]", i);
            json_t *a = json_array_get(arms, i);
            int dash = (int)(i % 3), mark = (int)(i % 3) + 1;
            rc = check_keys(v, p, a, akeys);
            if (!rc)
                rc = get_str(v, p, a, "level", 1, &f->arms[i].level);
            if (!rc)
                rc = get_str(v, p, a, "label", 0, &f->arms[i].label);
            if (!rc)
                rc = get_enum(v, p, a, "line", dashes, &dash);
            if (!rc)
                rc = get_enum(v, p, a, "mark", marks, &mark);
            f->arms[i].line = (tlf_dash)dash;
            f->arms[i].mark = (tlf_mark_shape)mark;
            if (!f->arms[i].label && f->arms[i].level)
                f->arms[i].label = xstrdup(f->arms[i].level);
            free(p);
        }
    }
    json_t *notes = json_object_get(j, "notes");
    if (!rc && notes) {
        if (!json_is_array(notes))
            return bad(v, "figure.notes", "an array of {\"text\", \"select\"} objects", notes);
        f->nnotes = json_array_size(notes);
        f->notes = xcalloc(f->nnotes, sizeof *f->notes);
        for (size_t i = 0; i < f->nnotes && !rc; i++) {
            char *p = xasprintf("figure.notes[%zu]", i);
            json_t *n = json_array_get(notes, i);
            rc = check_keys(v, p, n, nkeys);
            if (!rc)
                rc = get_str(v, p, n, "text", 1, &f->notes[i].text);
            if (!rc)
                rc = get_select(v, p, n, "select", &f->notes[i].select, NULL);
            if (!rc)
                rc = get_str(v, p, n, "missing", 0, &f->notes[i].missing);
            free(p);
        }
    }
    return rc;
}

static void figure_free(tlf_tpl_figure *f)
{
    if (!f)
        return;
    select_free(&f->select);
    select_free(&f->n_select);
    for (size_t i = 0; i < f->narms; i++) {
        free(f->arms[i].level);
        free(f->arms[i].label);
    }
    free(f->arms);
    free(f->x_label);
    free(f->y_label);
    free(f->ci);
    free(f->visit_key);
    strs_free(f->visits, f->nvisits);
    free(f->mean_stat);
    free(f->se_stat);
    for (size_t i = 0; i < f->nnotes; i++) {
        free(f->notes[i].text);
        free(f->notes[i].missing);
        select_free(&f->notes[i].select);
    }
    free(f->notes);
    free(f);
}

static int parse(vctx *v, const json_t *root, tlf_template *t)
{
    static const char *const keys[] = {"type", "number", "titles", "population", "footnotes",
                                       "page", "columns", "header_rows", "rows", "dataset",
                                       "where", "sort", "group_by", "figure", NULL};
    static const char *const pkeys[] = {"paper", "orientation", "font_size", NULL};
    int rc = check_keys(v, "", root, keys);
    char *type = NULL;
    if (!rc)
        rc = get_str(v, "", root, "type", 1, &type);
    if (!rc) {
        if (strcmp(type, "table") == 0)
            t->kind = TLF_TPL_TABLE;
        else if (strcmp(type, "listing") == 0)
            t->kind = TLF_TPL_LISTING;
        else if (strcmp(type, "figure") == 0)
            t->kind = TLF_TPL_FIGURE;
        else
            rc = tlf_err_set(v->err, TLF_EUSAGE,
                             "%s: type: expected \"table\", \"listing\" or \"figure\", got \"%s\"",
                             v->file, type);
    }
    free(type);
    if (!rc)
        rc = get_str(v, "", root, "number", 1, &t->number);
    if (!rc)
        rc = get_strs(v, "", root, "titles", &t->titles, &t->ntitles);
    if (!rc)
        rc = get_str(v, "", root, "population", 0, &t->population);
    if (!rc)
        rc = get_strs(v, "", root, "footnotes", &t->footnotes, &t->nfootnotes);
    t->landscape = 1;
    t->font_size = 9;   /* FDA PDF specification: 9 to 12 pt */
    json_t *page = json_object_get(root, "page");
    if (!rc && page) {
        char *orient = NULL;
        rc = check_keys(v, "page", page, pkeys);
        if (!rc)
            rc = get_str(v, "page", page, "paper", 0, &t->paper);
        if (!rc && t->paper && strcmp(t->paper, "A4") != 0 && strcmp(t->paper, "letter") != 0)
            rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: page.paper: expected \"A4\" or \"letter\", got \"%s\"",
                             v->file, t->paper);
        if (!rc)
            rc = get_str(v, "page", page, "orientation", 0, &orient);
        if (!rc && orient) {
            if (strcmp(orient, "portrait") == 0)
                t->landscape = 0;
            else if (strcmp(orient, "landscape") != 0)
                rc = tlf_err_set(v->err, TLF_EUSAGE,
                                 "%s: page.orientation: expected \"landscape\" or \"portrait\", got \"%s\"",
                                 v->file, orient);
        }
        free(orient);
        if (!rc)
            rc = get_num(v, "page", page, "font_size", 9, 12, &t->font_size);
    }
    if (!rc && t->kind == TLF_TPL_FIGURE) {
        static const char *const table_only[] = {"columns", "header_rows", "rows", "dataset",
                                                 "where", "sort", "group_by", NULL};
        for (size_t i = 0; table_only[i]; i++)
            if (json_object_get(root, table_only[i]))
                return tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: figures do not have this key",
                                   v->file, table_only[i]);
        return parse_figure(v, root, t);
    }
    if (!rc && json_object_get(root, "figure"))
        return tlf_err_set(v->err, TLF_EUSAGE, "%s: figure: only figures have this key", v->file);
    json_t *cols = json_object_get(root, "columns");
    if (!rc && (!json_is_array(cols) || json_array_size(cols) == 0))
        rc = bad(v, "columns", "a non-empty array of columns", cols);
    json_t *lcols = NULL;   /* listings: the columns with "levels" expanded */
    size_t *src = NULL;     /* and the template's index of each */
    if (!rc && t->kind == TLF_TPL_LISTING) {
        rc = expand_listing_cols(v, t, cols, &lcols, &src);
        cols = lcols;
        if (!rc && json_array_size(cols) == 0)
            rc = bad(v, "columns", "a non-empty array of columns (its levels are none)", NULL);
    }
    if (!rc) {
        t->ncols = json_array_size(cols);
        t->cols = xcalloc(t->ncols, sizeof *t->cols);
        for (size_t i = 0; i < t->ncols && !rc; i++) {
            char *p = xasprintf("columns[%zu]", src ? src[i] : i);
            rc = parse_col(v, p, json_array_get(cols, i), t->kind, &t->cols[i]);
            free(p);
        }
        if (!rc && t->kind == TLF_TPL_TABLE)
            t->cols[0].key = 1;   /* the row-label column is every panel's key */
    }
    json_decref(lcols);
    free(src);
    if (!rc)
        rc = parse_hrows(v, root, t);
    if (rc)
        return rc;
    if (t->kind == TLF_TPL_TABLE) {
        static const char *const listing_only[] = {"dataset", "where", "sort", "group_by", NULL};
        for (size_t i = 0; listing_only[i]; i++)
            if (json_object_get(root, listing_only[i]))
                return tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: only listings have this key",
                                   v->file, listing_only[i]);
        json_t *rows = json_object_get(root, "rows");
        if (!json_is_array(rows) || json_array_size(rows) == 0)
            return bad(v, "rows", "a non-empty array of rows", rows);
        t->nrows = json_array_size(rows);
        t->rows = xcalloc(t->nrows, sizeof *t->rows);
        for (size_t i = 0; i < t->nrows && !rc; i++) {
            char *p = xasprintf("rows[%zu]", i);
            rc = parse_row(v, p, json_array_get(rows, i), 0, &t->rows[i]);
            free(p);
        }
        return rc;
    }
    if (json_object_get(root, "rows"))
        return tlf_err_set(v->err, TLF_EUSAGE, "%s: rows: listings take their rows from \"dataset\"",
                           v->file);
    rc = get_str(v, "", root, "dataset", 1, &t->dataset);
    if (!rc)
        rc = get_str(v, "", root, "where", 0, &t->where);
    if (!rc)
        rc = get_strs(v, "", root, "sort", &t->sort, &t->nsort);
    if (!rc)
        rc = get_strs(v, "", root, "group_by", &t->group_by, &t->ngroup_by);
    return rc;
}

/* Replace the study variables in every string value of j (keys stay as
 * they are); path is the key path for messages. */
static int expand_vars(vctx *v, json_t *j, const char *path)
{
    int rc = 0;
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        if (!strstr(s, "{{"))
            return 0;
        tlf_buf b = TLF_BUF_INIT;
        rc = tlf_studyvars_expand(&b, s, v->st, v->file, *path ? path : "(top)", v->err);
        if (!rc && json_string_set(j, tlf_buf_cstr(&b)) != 0)
            rc = tlf_err_set(v->err, TLF_EINTERNAL, "%s: %s: out of memory", v->file, path);
        tlf_buf_free(&b);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *val;
        /* keys too: a decode map's keys are data values ("<EXTRT> STOPPED
         * FOR ADVERSE EVENT"). The object is rebuilt in its own key order
         * (a decode map's order can be its display order). */
        int any = 0;
        json_object_foreach(j, k, val)
            any |= strstr(k, "{{") != NULL;
        if (any) {
            json_t *copy = json_object();
            json_object_foreach(j, k, val) {
                char *p = xasprintf("%s%s%s (key)", path, *path ? "." : "", k);
                tlf_buf nk = TLF_BUF_INIT;
                rc = tlf_studyvars_expand(&nk, k, v->st, v->file, p, v->err);
                free(p);
                if (!rc && json_object_get(copy, tlf_buf_cstr(&nk)))
                    rc = tlf_err_set(v->err, TLF_EUSAGE, "%s: %s: key \"%s\" becomes \"%s\", "
                                     "which the object already has", v->file,
                                     *path ? path : "(top)", k, tlf_buf_cstr(&nk));
                if (!rc)
                    json_object_set(copy, tlf_buf_cstr(&nk), val);
                tlf_buf_free(&nk);
                if (rc)
                    break;
            }
            if (!rc) {
                json_object_clear(j);
                json_object_update(j, copy);
            }
            json_decref(copy);
            if (rc)
                return rc;
        }
        json_object_foreach(j, k, val) {
            char *p = xasprintf("%s%s%s", path, *path ? "." : "", k);
            rc = expand_vars(v, val, p);
            free(p);
            if (rc)
                break;
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j) && !rc; i++) {
            char *p = xasprintf("%s[%zu]", path, i);
            rc = expand_vars(v, json_array_get(j, i), p);
            free(p);
        }
    }
    return rc;
}

int tlf_template_load_study(tlf_template **out, const char *path, const tlf_study *st,
                            tlf_err *err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    char where[64];
    if (!root)
        return tlf_err_set(err, TLF_EINPUT, "%s: %s%s", path, jerr.text,
                           tlf_json_where(where, sizeof where, &jerr));
    tlf_template *t = xcalloc(1, sizeof *t);
    t->path = xstrdup(path);
    vctx v = {path, err, st};
    int rc = expand_vars(&v, root, "");
    if (!rc && st)
        levels_load(t, st);   /* before parse: listing columns expand over them */
    if (!rc)
        rc = parse(&v, root, t);
    json_decref(root);
    if (rc) {
        tlf_template_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int tlf_template_load(tlf_template **out, const char *path, tlf_err *err)
{
    return tlf_template_load_study(out, path, NULL, err);
}

static void strs_free(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void tlf_template_free(tlf_template *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->number);
    strs_free(t->titles, t->ntitles);
    free(t->population);
    strs_free(t->footnotes, t->nfootnotes);
    free(t->paper);
    for (size_t i = 0; i < t->ncols; i++) {
        tlf_tpl_col *c = &t->cols[i];
        free(c->id);
        free(c->header);
        select_free(&c->select);
        select_free(&c->header_select);
        free(c->format);
        free(c->missing);
        free(c->value);
    }
    free(t->cols);
    for (size_t i = 0; i < t->nhrows; i++) {
        for (size_t k = 0; k < t->hrows[i].n; k++) {
            free(t->hrows[i].spans[k].text);
            select_free(&t->hrows[i].spans[k].select);
        }
        free(t->hrows[i].spans);
    }
    free(t->hrows);
    for (size_t i = 0; i < t->nrows; i++)
        row_free(&t->rows[i]);
    free(t->rows);
    free(t->dataset);
    free(t->where);
    strs_free(t->sort, t->nsort);
    strs_free(t->group_by, t->ngroup_by);
    figure_free(t->figure);
    for (int k = 0; k < TLF_LEVELS_N; k++)
        levels_free(&t->levels[k]);
    free(t);
}

int tlf_context_load(tlf_context_file **out, const char *path, tlf_err *err)
{
    static const char *const keys[] = {"study", "protocol", "run_id", "db_sha256", "cutoff",
                                       "db_status", "program_version", "date", "paper",
                                       "profile", "draft", NULL};
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    char where[64];
    if (!root)
        return tlf_err_set(err, TLF_EINPUT, "%s: %s%s", path, jerr.text,
                           tlf_json_where(where, sizeof where, &jerr));
    tlf_context_file *c = xcalloc(1, sizeof *c);
    vctx v = {path, err, NULL};
    int rc = check_keys(&v, "", root, keys);
    struct { const char *k; char **dst; } s[] = {
        {"study", &c->study}, {"protocol", &c->protocol}, {"run_id", &c->run_id},
        {"db_sha256", &c->db_sha256}, {"cutoff", &c->cutoff}, {"db_status", &c->db_status},
        {"program_version", &c->program_version}, {"date", &c->date}, {"paper", &c->paper},
        {"profile", &c->profile},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0] && !rc; i++)
        rc = get_str(&v, "", root, s[i].k, 0, s[i].dst);
    if (!rc)
        rc = get_bool(&v, "", root, "draft", &c->draft);
    json_decref(root);
    if (rc) {
        tlf_context_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void tlf_context_free(tlf_context_file *c)
{
    if (!c)
        return;
    free(c->study);
    free(c->protocol);
    free(c->run_id);
    free(c->db_sha256);
    free(c->cutoff);
    free(c->db_status);
    free(c->program_version);
    free(c->date);
    free(c->paper);
    free(c->profile);
    free(c);
}
