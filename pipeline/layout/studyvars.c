/*
 * studyvars.c - replace {{study variables}} in template strings (see
 * studyvars.h). Stage: layout (template load).
 *
 * The double brace cannot collide with the {stat:fmt} placeholders of cell
 * and note texts: a placeholder name never starts with a brace.
 */
#include "layout/studyvars.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

int tlf_studyvar_landmark_week(const tlf_study *st)
{
    /* week w is study day 7w + 1; rounded to the nearest whole week */
    return (int)((st->landmark_day - 1 + 3) / 7);
}

void tlf_studyvar_put(tlf_buf *out, const char *v, int fcase)
{
    for (const char *c = v; *c; c++) {
        int ch = (unsigned char)*c;
        /* title: a word's first letter (a unit "% predicted" in a title) */
        int word_start = c == v || (!isalnum((unsigned char)c[-1]) && c[-1] != '\'');
        if (fcase == 'l')
            ch = tolower(ch);
        else if (fcase == 'u' || (fcase == 't' && word_start))
            ch = toupper(ch);
        tlf_buf_putc(out, (char)ch);
    }
}

char *tlf_studyvar_level_text(const char *fmt, const char *value, const char *label,
                              const char *unit)
{
    tlf_buf b = TLF_BUF_INIT;
    for (const char *p = fmt; *p;) {
        if ((*p == ' ' || *p == '\n') && strncmp(p + 1, "({unit})", 8) == 0) {
            if (*unit)   /* no "()" for a parameter without a unit */
                tlf_buf_printf(&b, "%c(%s)", *p, unit);
            p += 9;
            continue;
        }
        static const char *const NAMES[] = {"value", "label", "unit"};
        const char *vals[] = {value, label, unit};
        size_t k = 0, len = 0;
        for (; *p == '{' && k < 3; k++) {
            len = strlen(NAMES[k]);
            if (strncmp(p + 1, NAMES[k], len) == 0 && (p[1 + len] == '}' || p[1 + len] == '|'))
                break;
        }
        if (*p != '{' || k == 3) {
            tlf_buf_putc(&b, *p++);
            continue;
        }
        int fcase = 0;   /* 'l' lower, 'u' upper */
        const char *q = p + 1 + len;
        if (strncmp(q, "|lower}", 7) == 0 || strncmp(q, "|upper}", 7) == 0) {
            fcase = q[1];
            q += 6;
        }
        if (*q != '}') {
            tlf_buf_putc(&b, *p++);
            continue;
        }
        tlf_studyvar_put(&b, vals[k], fcase);
        p = q + 1;
    }
    char *out = tlf_buf_detach(&b);
    return out ? out : xstrdup("");
}

static const char *arm_field(const tlf_study_arm *a, const char *f)
{
    if (!*f)
        return a->code;
    if (strcmp(f, ".label") == 0)
        return a->label;
    if (strcmp(f, ".short_label") == 0)
        return a->short_label;
    if (strcmp(f, ".set") == 0)
        return a->role == TLF_ARM_CONTROL ? a->analysis_set : NULL;
    return NULL;
}

/* "param.<DOMAIN>.<n>[.label|.unit]": the n-th configured parameter
 * (1-based) of a domain; "param.figure[.label|.unit]": the one with the
 * figure role (F14.2.5.1). */
static const char *param_field(const tlf_study *st, const char *rest)
{
    const tlf_study_param *p = NULL;
    const char *f;
    if (strncmp(rest, "figure", 6) == 0) {
        for (size_t i = 0; i < st->n_params && !p; i++)
            if (st->params[i].figure)
                p = &st->params[i];
        f = rest + 6;
    } else {
        char dom[8];
        int n = 0, used = 0;
        if (sscanf(rest, "%7[A-Z].%d%n", dom, &n, &used) != 2 || n < 1)
            return NULL;
        size_t np = 0;
        p = tlf_study_domain_params(st, dom, &np);
        if (!p || (size_t)n > np)
            return NULL;
        p += n - 1;
        f = rest + used;
    }
    if (!p)
        return NULL;
    if (!*f)
        return p->code;
    if (strcmp(f, ".label") == 0)
        return p->label;
    if (strcmp(f, ".unit") == 0)
        return p->unit;
    return NULL;
}

/* items[0..n-1] as a sentence lists them: "a, b and c" (a title's
 * "%VC, %FVC and CK", a footnote's "age, sex and ..."). NULL when n is 0
 * or the list does not fit out. */
static const char *join_list(const char *const *items, size_t n, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        const char *sep = k == 0 ? "" : k + 1 == n ? " and " : ", ";
        int w = snprintf(out + len, outsz - len, "%s%s", sep, items[k]);
        if (w < 0 || (size_t)w >= outsz - len)
            return NULL;
        len += (size_t)w;
    }
    return n ? out : NULL;
}

/* "param.<role>.list": the short labels of the parameters with the
 * efficacy (14.2.5.1's title) or characteristic role in configured order;
 * "param.<role>.list.units" each with its unit in brackets (16.2.4's
 * footnote: "KL-6 (U/mL), CK (U/L) and MMT8 (score 0-80)"). rest is what
 * follows "param."; NULL when it is no such list. */
static const char *param_list(const tlf_study *st, const char *rest, char *out, size_t outsz)
{
    int eff = strncmp(rest, "efficacy.", 9) == 0;
    const char *tail = eff ? rest + 9 : strncmp(rest, "characteristic.", 15) == 0 ? rest + 15 : NULL;
    if (!tail || (strcmp(tail, "list") != 0 && strcmp(tail, "list.units") != 0))
        return NULL;
    int units = tail[4] != '\0';
    char **items = xcalloc(st->n_params + 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < st->n_params; i++) {
        const tlf_study_param *p = &st->params[i];
        if (!(eff ? p->efficacy : p->characteristic))
            continue;
        items[n++] = units && p->unit && *p->unit ? xasprintf("%s (%s)", p->short_label, p->unit)
                                       : xstrdup(p->short_label);
    }
    const char *v = join_list((const char *const *)items, n, out, outsz);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return v;
}

/* "models.<model>": the footnote labels of a model's covariates in model
 * order ("age, sex, ... and anti-MDA5 (positive vs not)");
 * "models.stratified_logrank": the factor's label and its strata labels,
 * "onset (new / relapse)"; ".label" the label alone. */
static const char *models_field(const tlf_study *st, const char *f, char *out, size_t outsz)
{
    const size_t *idx = NULL;
    size_t n = 0;
    if (strcmp(f, "cox_adjusted") == 0) {
        idx = st->cox_adj;
        n = st->n_cox_adj;
    } else if (strcmp(f, "propensity_score") == 0) {
        idx = st->ps;
        n = st->n_ps;
    } else if (strcmp(f, "stratified_logrank.label") == 0) {
        return st->strata.label;
    } else if (strcmp(f, "stratified_logrank") == 0) {
        tlf_buf b = TLF_BUF_INIT;
        tlf_buf_puts(&b, st->strata.label);
        for (size_t k = 0; st->strata.strata_labels && k < st->strata.n_strata; k++)
            tlf_buf_printf(&b, "%s%s", k ? " / " : " (", st->strata.strata_labels[k]);
        if (st->strata.strata_labels)
            tlf_buf_putc(&b, ')');
        int fits = b.len < outsz;
        if (fits)
            memcpy(out, tlf_buf_cstr(&b), b.len + 1);
        tlf_buf_free(&b);
        return fits ? out : NULL;
    } else {
        return NULL;
    }
    const char **items = xcalloc(n + 1, sizeof *items);
    for (size_t k = 0; k < n; k++)
        items[k] = st->covs[idx[k]].footnote_label;
    const char *v = join_list(items, n, out, outsz);
    free(items);
    return v;
}

/* The glucocorticoids converted to the reference one, as a footnote
 * gives them: "Methylprednisolone x 1.25" (label and factor, those with a
 * factor other than 1, joined with ", "); NULL when it does not fit. */
static const char *gc_factors(const tlf_study *st, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < st->n_gcs; i++) {
        if (st->gcs[i].factor == 1.0)
            continue;
        int w = snprintf(out + len, outsz - len, "%s%s x %g", len ? ", " : "", st->gcs[i].label,
                         st->gcs[i].factor);
        if (w < 0 || (size_t)w >= outsz - len)
            return NULL;
        len += (size_t)w;
    }
    return out;
}

/* "<visit>.label|.window.first|.window.last|.number" of visit v (NULL:
 * no such field or no visit); num holds numbers written as text. */
static const char *visit_field(const tlf_study_visit *v, const char *f, char *num, size_t nnum)
{
    if (!v)
        return NULL;
    if (!*f)
        return v->name;
    if (strcmp(f, ".label") == 0)
        return v->label;
    int x;
    if (strcmp(f, ".number") == 0)
        x = v->number;
    else if (strcmp(f, ".window.first") == 0)
        x = v->lo;
    else if (strcmp(f, ".window.last") == 0)
        x = v->hi;
    else
        return NULL;
    snprintf(num, nnum, "%d", x);
    return num;
}

/* The value of variable name, NULL when there is no such variable. num
 * holds numbers written as text. */
static const char *lookup(const tlf_study *st, const char *name, char *num, size_t nnum)
{
    if (strncmp(name, "arm.treated", 11) == 0)
        return arm_field(tlf_study_arm_by_role(st, TLF_ARM_TREATED), name + 11);
    if (strncmp(name, "arm.control", 11) == 0)
        return arm_field(tlf_study_arm_by_role(st, TLF_ARM_CONTROL), name + 11);
    if (strcmp(name, "gc.factors") == 0)
        return gc_factors(st, num, nnum);
    if (strncmp(name, "param.", 6) == 0 && strstr(name, ".list"))
        return param_list(st, name + 6, num, nnum);
    if (strncmp(name, "models.", 7) == 0)
        return models_field(st, name + 7, num, nnum);
    if (strncmp(name, "param.", 6) == 0)
        return param_field(st, name + 6);
    if (strcmp(name, "landmark.day") == 0) {
        snprintf(num, nnum, "%d", st->landmark_day);
        return num;
    }
    if (strcmp(name, "landmark.week") == 0) {
        snprintf(num, nnum, "%d", tlf_studyvar_landmark_week(st));
        return num;
    }
    const tlf_study_visit *rv = st->resp_visit;
    if (strncmp(name, "response.visit", 14) == 0)
        return visit_field(rv, name + 14, num, nnum);
    if (strncmp(name, "response.window.", 16) == 0)   /* its window, shorter */
        return visit_field(rv, name + 8, num, nnum);
    /* the schedule's first and last post-baseline visit (a footnote's
     * "<first label>: <first day>-<last day>, ..., <last label>: ...") */
    if (strncmp(name, "visit.first", 11) == 0)
        return visit_field(st->n_visits ? &st->visits[0] : NULL, name + 11, num, nnum);
    if (strncmp(name, "visit.last", 10) == 0)
        return visit_field(st->n_visits ? &st->visits[st->n_visits - 1] : NULL, name + 10, num,
                           nnum);
    struct { const char *k; const char *v; } s[] = {
        {"study.id", st->id},
        {"study.name", st->name},
        {"study.protocol", st->protocol},
        {"drug.extrt", st->drug_extrt},
        {"drug.label", st->drug_label},
        {"drug.unit", st->drug_unit},
        {"gc.equivalent", st->gc_equivalent},
        {"baseline.visit", st->baseline_visit},
        {"baseline.label", st->baseline_label},
        {"response.responder", st->resp_responder},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (strcmp(name, s[i].k) == 0)
            return s[i].v;
    return NULL;
}

int tlf_studyvars_expand(tlf_buf *out, const char *s, const tlf_study *st, const char *file,
                         const char *where, tlf_err *err)
{
    const char *p = s;
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            tlf_buf_puts(out, p);
            return 0;
        }
        tlf_buf_append(out, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        if (!close)
            return tlf_err_set(err, TLF_EUSAGE, "%s: %s: \"{{\" without \"}}\" in \"%s\"", file,
                               where, s);
        size_t len = (size_t)(close - open - 2);
        char name[128];
        if (len >= sizeof name)
            return tlf_err_set(err, TLF_EUSAGE, "%s: %s: study variable too long in \"%s\"", file,
                               where, s);
        memcpy(name, open + 2, len);
        name[len] = '\0';
        char *filter = strchr(name, '|');
        if (filter)
            *filter++ = '\0';
        if (filter && strcmp(filter, "lower") != 0 && strcmp(filter, "upper") != 0 &&
            strcmp(filter, "title") != 0)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: study variable {{%s|%s}}: unknown filter \"%s\" "
                               "(lower, upper or title)", file, where, name, filter, filter);
        if (!st)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: study variable {{%s}} needs the study configuration",
                               file, where, name);
        char num[1024];   /* numbers and lists written as text */
        const char *v = lookup(st, name, num, sizeof num);
        if (!v)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: unknown study variable {{%s}} (docs/templates.md lists them)",
                               file, where, name);
        tlf_studyvar_put(out, v, filter ? filter[0] : 0);
        p = close + 2;
    }
}
