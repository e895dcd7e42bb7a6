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

int tlf_studyvar_landmark_week(const tlf_study *st)
{
    /* week w is study day 7w + 1; rounded to the nearest whole week */
    return (int)((st->landmark_day - 1 + 3) / 7);
}

void tlf_studyvar_put(tlf_buf *out, const char *v, int fcase)
{
    for (const char *c = v; *c; c++)
        tlf_buf_putc(out, !fcase ? *c
                                 : (char)(fcase == 'l' ? tolower((unsigned char)*c)
                                                       : toupper((unsigned char)*c)));
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
 * (1-based) of a domain. */
static const char *param_field(const tlf_study *st, const char *rest)
{
    char dom[8];
    int n = 0, used = 0;
    if (sscanf(rest, "%7[A-Z].%d%n", dom, &n, &used) != 2 || n < 1)
        return NULL;
    size_t np = 0;
    const tlf_study_param *p = tlf_study_domain_params(st, dom, &np);
    if (!p || (size_t)n > np)
        return NULL;
    p += n - 1;
    const char *f = rest + used;
    if (!*f)
        return p->code;
    if (strcmp(f, ".label") == 0)
        return p->label;
    if (strcmp(f, ".unit") == 0)
        return p->unit;
    return NULL;
}

/* The value of variable name, NULL when there is no such variable. num
 * holds numbers written as text. */
static const char *lookup(const tlf_study *st, const char *name, char *num, size_t nnum)
{
    if (strncmp(name, "arm.treated", 11) == 0)
        return arm_field(tlf_study_arm_by_role(st, TLF_ARM_TREATED), name + 11);
    if (strncmp(name, "arm.control", 11) == 0)
        return arm_field(tlf_study_arm_by_role(st, TLF_ARM_CONTROL), name + 11);
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
    if (rv && strcmp(name, "response.visit.number") == 0) {
        snprintf(num, nnum, "%d", rv->number);
        return num;
    }
    if (rv && strcmp(name, "response.window.first") == 0) {
        snprintf(num, nnum, "%d", rv->lo);
        return num;
    }
    if (rv && strcmp(name, "response.window.last") == 0) {
        snprintf(num, nnum, "%d", rv->hi);
        return num;
    }
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
        {"response.visit", rv ? rv->name : NULL},
        {"response.visit.label", rv ? rv->label : NULL},
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
        if (filter && strcmp(filter, "lower") != 0 && strcmp(filter, "upper") != 0)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: study variable {{%s|%s}}: unknown filter \"%s\" "
                               "(lower or upper)", file, where, name, filter, filter);
        if (!st)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: study variable {{%s}} needs the study configuration",
                               file, where, name);
        char num[32];
        const char *v = lookup(st, name, num, sizeof num);
        if (!v)
            return tlf_err_set(err, TLF_EUSAGE,
                               "%s: %s: unknown study variable {{%s}} (docs/templates.md lists them)",
                               file, where, name);
        tlf_studyvar_put(out, v, filter ? filter[0] : 0);
        p = close + 2;
    }
}
