/*
 * surv_input.c - CSV columns to survival arrays, and the per-group runners
 * (see surv_input.h). Stage: statistics.
 */
#include "stats/surv_input.h"
#include "stats/logrank.h"
#include "stats/stats_ard.h"
#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void surv_input_free(surv_input *in)
{
    if (!in)
        return;
    free(in->time);
    free(in->event);
    free(in->weight);
    free(in->group);
    free(in->strata);
    for (size_t i = 0; i < in->n_groups; i++)
        free(in->group_levels[i]);
    free(in->group_levels);
    for (size_t i = 0; i < in->n_strata; i++)
        free(in->strata_levels[i]);
    free(in->strata_levels);
    free(in);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted distinct values of column col over the kept rows; codes[i] the
 * index of row keep[i]'s value. */
static char **code_levels(const tlf_csv *csv, int col, const size_t *keep, size_t n,
                          int *codes, size_t *nlev)
{
    const char **vals = xmalloc((n ? n : 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++)
        vals[i] = tlf_csv_cell(csv, keep[i], (size_t)col);
    const char **sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    memcpy(sorted, vals, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_str);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || strcmp(sorted[i], sorted[m - 1]) != 0)
            sorted[m++] = sorted[i];
    char **levels = xmalloc((m ? m : 1) * sizeof *levels);
    for (size_t j = 0; j < m; j++)
        levels[j] = xstrdup(sorted[j]);
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = m;
        while (lo < hi) {    /* binary search: the value is present */
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(levels[mid], vals[i]);
            if (c == 0) {
                lo = mid;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        codes[i] = (int)lo;
    }
    free(vals);
    free(sorted);
    *nlev = m;
    return levels;
}

static int find_col(const tlf_csv *csv, const char *name, const char *col, int *out, tlf_err *err)
{
    *out = -1;
    if (!col)
        return TLF_OK;
    *out = tlf_csv_col(csv, col);
    if (*out < 0)
        return tlf_err_set(err, TLF_EDATA, "%s: no column '%s'", name, col);
    return TLF_OK;
}

int surv_input_from_csv(surv_input **out, const tlf_csv *csv, const char *name,
                        const surv_cols *cols, tlf_err *err)
{
    *out = NULL;
    int rc = TLF_OK;
    size_t *keep = NULL;
    surv_input *in = NULL;
    int c_time, c_event, c_cnsr, c_group, c_strata, c_weight;

    if (!cols->time || (!cols->event == !cols->cnsr))
        return tlf_err_set(err, TLF_EUSAGE, "give a time column and one of event or cnsr");
    if ((rc = find_col(csv, name, cols->time, &c_time, err)) ||
        (rc = find_col(csv, name, cols->event, &c_event, err)) ||
        (rc = find_col(csv, name, cols->cnsr, &c_cnsr, err)) ||
        (rc = find_col(csv, name, cols->group, &c_group, err)) ||
        (rc = find_col(csv, name, cols->strata, &c_strata, err)) ||
        (rc = find_col(csv, name, cols->weight, &c_weight, err)))
        return rc;
    const int used[] = {c_time, c_event, c_cnsr, c_group, c_strata, c_weight};

    in = xcalloc(1, sizeof *in);
    size_t nr = csv->nrow;
    keep = xmalloc((nr ? nr : 1) * sizeof *keep);
    in->time = xmalloc((nr ? nr : 1) * sizeof *in->time);
    in->event = xmalloc((nr ? nr : 1) * sizeof *in->event);
    in->group = xcalloc(nr ? nr : 1, sizeof *in->group);
    if (c_weight >= 0)
        in->weight = xmalloc((nr ? nr : 1) * sizeof *in->weight);
    if (c_strata >= 0)
        in->strata = xcalloc(nr ? nr : 1, sizeof *in->strata);

    for (size_t r = 0; r < nr; r++) {
        size_t line = r + 2;
        int missing = 0;
        for (size_t u = 0; u < sizeof used / sizeof used[0]; u++)
            if (used[u] >= 0 && !tlf_csv_cell(csv, r, (size_t)used[u]))
                missing = 1;
        if (missing) {
            in->n_dropped++;
            continue;
        }
        const char *s = tlf_csv_cell(csv, r, (size_t)c_time);
        double t, e, w = 1;
        if (tlf_parse_double(s, &t) != 0 || t < 0) {
            rc = tlf_err_set(err, TLF_EDATA, "%s: column '%s', line %zu: time '%s' is not a number >= 0",
                             name, cols->time, line, s);
            goto done;
        }
        if (c_event >= 0) {
            s = tlf_csv_cell(csv, r, (size_t)c_event);
            if (tlf_parse_double(s, &e) != 0 || (e != 0 && e != 1)) {
                rc = tlf_err_set(err, TLF_EDATA, "%s: column '%s', line %zu: event '%s' is not 0 or 1",
                                 name, cols->event, line, s);
                goto done;
            }
        } else {
            s = tlf_csv_cell(csv, r, (size_t)c_cnsr);
            if (tlf_parse_double(s, &e) != 0 || e < 0 || e != floor(e)) {
                rc = tlf_err_set(err, TLF_EDATA,
                                 "%s: column '%s', line %zu: CNSR '%s' is not 0 (event) or a positive integer (censored)",
                                 name, cols->cnsr, line, s);
                goto done;
            }
            e = e == 0 ? 1 : 0;
        }
        if (c_weight >= 0) {
            s = tlf_csv_cell(csv, r, (size_t)c_weight);
            if (tlf_parse_double(s, &w) != 0 || w < 0) {
                rc = tlf_err_set(err, TLF_EDATA, "%s: column '%s', line %zu: weight '%s' is not a number >= 0",
                                 name, cols->weight, line, s);
                goto done;
            }
            in->weight[in->n] = w;
        }
        in->time[in->n] = t;
        in->event[in->n] = (int)e;
        keep[in->n++] = r;
    }
    if (c_group >= 0) {
        in->group_levels = code_levels(csv, c_group, keep, in->n, in->group, &in->n_groups);
    } else {
        in->n_groups = 1;
        in->group_levels = xmalloc(sizeof *in->group_levels);
        in->group_levels[0] = xstrdup("");
    }
    if (c_strata >= 0)
        in->strata_levels = code_levels(csv, c_strata, keep, in->n, in->strata, &in->n_strata);
    *out = in;
    in = NULL;
done:
    free(keep);
    surv_input_free(in);
    return rc;
}

int surv_run_km(tlf_ard *ard, const tlf_ard_key *base, const surv_input *in, km_ci_type ci,
                double conf_level, const double *landmarks, size_t n_landmarks, tlf_err *err)
{
    int rc = TLF_OK;
    size_t n = in->n;
    double *t = xmalloc((n ? n : 1) * sizeof *t);
    double *w = in->weight ? xmalloc((n ? n : 1) * sizeof *w) : NULL;
    int *e = xmalloc((n ? n : 1) * sizeof *e);
    km_variance var = km_weights_need_robust(in->weight, n) ? KM_VAR_ROBUST : KM_VAR_GREENWOOD;
    for (size_t g = 0; g < in->n_groups; g++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (in->group[i] != (int)g)
                continue;
            t[m] = in->time[i];
            e[m] = in->event[i];
            if (w)
                w[m] = in->weight[i];
            m++;
        }
        km_curve *c = NULL;
        rc = km_fit_ex(&c, t, e, w, m, ci, conf_level, var, err);
        if (rc)
            goto done;
        tlf_ard_key key = *base;
        key.group_level = in->group_levels[g];
        km_emit_ard(ard, &key, c, landmarks, n_landmarks);
        km_curve_free(c);
    }
done:
    free(t);
    free(w);
    free(e);
    return rc;
}

int surv_run_logrank(tlf_ard *ard, const tlf_ard_key *base, const surv_input *in, tlf_err *err)
{
    logrank_result *r = NULL;
    int rc = logrank_test(&r, in->time, in->event, in->group, in->n_groups, in->strata, in->n, err);
    if (rc)
        return rc;
    tlf_ard_key key = *base;
    key.group_level = NULL;
    logrank_emit_ard(ard, &key, (const char *const *)in->group_levels, r);
    logrank_result_free(r);
    return TLF_OK;
}
