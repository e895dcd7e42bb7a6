/*
 * studyvars.h - study variables in templates: {{arm.treated}},
 * {{drug.label|lower}}, {{landmark.day}}, ... replaced by the values of the
 * study configuration when a template is loaded.
 *
 * Stage: layout (template load). The study configuration is configuration,
 * not upstream data, so the layout may read it: the templates then name no
 * arm, drug or landmark day and one template set serves every study.
 * docs/templates.md lists the variables.
 */
#ifndef TLFGEN_LAYOUT_STUDYVARS_H
#define TLFGEN_LAYOUT_STUDYVARS_H

#include "core/buf.h"
#include "core/err.h"
#include "study/study.h"

/* The week of the landmark day: round((day - 1) / 7), since week w is
 * study day 7w + 1 (SAP); day 180 gives week 26. */
int tlf_studyvar_landmark_week(const tlf_study *st);

/* Append v to out, in lower case when fcase is 'l', upper when 'u', with
 * each word's first letter in upper case when 't', as it is when 0 (the
 * |lower, |upper and |title filters; block labels use them too). */
void tlf_studyvar_put(tlf_buf *out, const char *v, int fcase);

/* The text of a configured level (a block's head, an expanded listing
 * column's header): fmt with {value} (the level's name), {label} and
 * {unit} replaced, {label|lower} or |upper changing the case; " ({unit})"
 * or "\n({unit})" is dropped when unit is empty. Caller frees. */
char *tlf_studyvar_level_text(const char *fmt, const char *value, const char *label,
                              const char *unit);

/* Append s to out with every {{name}} or {{name|filter}} replaced (filters:
 * lower, upper, title). st NULL: a variable is an error. Errors (TLF_EUSAGE) name
 * file, the key path where and the variable. A string without "{{" is
 * copied unchanged. */
int tlf_studyvars_expand(tlf_buf *out, const char *s, const tlf_study *st, const char *file,
                         const char *where, tlf_err *err);

#endif
