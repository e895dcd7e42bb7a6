/*
 * model_frame.c - numeric and dummy-coded covariates into a design matrix
 * (see model_frame.h for the rules). Stage: stats. Treatment contrasts as
 * R's model.matrix: reference level dropped, other levels 0/1.
 */
#include "stats/model_frame.h"

#include "core/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

mf_table mf_table_from_csv(const tlf_csv *csv, const char *name)
{
    mf_table t = {name, csv->nrow, csv->ncol, (const char *const *)csv->header,
                  (const char *const *)csv->cells};
    return t;
}

void model_frame_free(model_frame *mf)
{
    if (!mf)
        return;
    for (size_t j = 0; j < mf->p; j++)
        free(mf->names[j]);
    free(mf->names);
    free(mf->x);
    free(mf->term);
    free(mf->row);
    free(mf->categorical);
    free(mf->reference);   /* entries point into the table's cells */
    free(mf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int col_index(const mf_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncol; c++)
        if (strcmp(t->header[c], name) == 0)
            return (int)c;
    return -1;
}

int model_frame_build(model_frame **out, const mf_table *t, const char *const *covariates,
                      size_t ncov, const mf_ref *refs, size_t nrefs,
                      const unsigned char *use, int intercept, tlf_err *err)
{
    *out = NULL;
    int rc = TLF_OK;
    int *col = xcalloc(ncov + 1, sizeof *col);
    const char **ref = xcalloc(ncov + 1, sizeof *ref);
    const char ***levels = xcalloc(ncov + 1, sizeof *levels);
    size_t *nlevels = xcalloc(ncov + 1, sizeof *nlevels);
    unsigned char *keep = xmalloc(t->nrow + 1);
    model_frame *mf = xcalloc(1, sizeof *mf);
    mf->categorical = xcalloc(ncov + 1, sizeof *mf->categorical);

    for (size_t k = 0; k < ncov; k++) {
        col[k] = col_index(t, covariates[k]);
        if (col[k] < 0) {
            rc = tlf_err_set(err, TLF_EUSAGE, "%s: no column '%s'", t->name, covariates[k]);
            goto done;
        }
    }
    for (size_t q = 0; q < nrefs; q++) {
        size_t k = 0;
        while (k < ncov && strcmp(covariates[k], refs[q].column) != 0)
            k++;
        if (k == ncov) {
            rc = tlf_err_set(err, TLF_EUSAGE, "reference given for '%s', which is not a covariate",
                             refs[q].column);
            goto done;
        }
        ref[k] = refs[q].level;
        mf->categorical[k] = 1;
    }
    /* complete cases */
    for (size_t r = 0; r < t->nrow; r++) {
        keep[r] = use ? use[r] != 0 : 1;
        if (!keep[r])
            continue;
        for (size_t k = 0; k < ncov; k++)
            if (!t->cells[r * t->ncol + (size_t)col[k]]) {
                keep[r] = 0;
                mf->n_missing++;
                break;
            }
        mf->n += keep[r];
    }
    if (mf->n == 0) {
        rc = tlf_err_set(err, TLF_EDATA, "%s: no rows with every covariate present", t->name);
        goto done;
    }
    /* numeric or categorical; levels of the categorical ones */
    for (size_t k = 0; k < ncov; k++) {
        size_t c = (size_t)col[k], nnum = 0, first_num = 0, first_text = 0;
        int have_text = 0;
        for (size_t r = 0; r < t->nrow; r++) {
            if (!keep[r])
                continue;
            double v;
            if (tlf_parse_double(t->cells[r * t->ncol + c], &v) == 0) {
                if (nnum++ == 0)
                    first_num = r;
            } else if (!have_text) {
                have_text = 1;
                first_text = r;
            }
        }
        if (!mf->categorical[k] && have_text && nnum > 0) {
            rc = tlf_err_set(err, TLF_EDATA,
                             "%s: column '%s', line %zu: value '%s' is not a number (line %zu is "
                             "numeric; give --reference %s=LEVEL to treat the column as categorical)",
                             t->name, covariates[k], first_text + 2,
                             t->cells[first_text * t->ncol + c], first_num + 2, covariates[k]);
            goto done;
        }
        if (!mf->categorical[k] && nnum > 0)
            continue;
        mf->categorical[k] = 1;
        const char **lv = xmalloc(mf->n * sizeof *lv);
        size_t m = 0;
        for (size_t r = 0; r < t->nrow; r++)
            if (keep[r])
                lv[m++] = t->cells[r * t->ncol + c];
        qsort(lv, m, sizeof *lv, cmp_str);
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (u == 0 || strcmp(lv[u - 1], lv[i]) != 0)
                lv[u++] = lv[i];
        levels[k] = lv;
        nlevels[k] = u;
        if (ref[k]) {
            size_t i = 0;
            while (i < u && strcmp(lv[i], ref[k]) != 0)
                i++;
            if (i == u) {
                rc = tlf_err_set(err, TLF_EUSAGE, "%s: column '%s' has no level '%s' among the rows used",
                                 t->name, covariates[k], ref[k]);
                goto done;
            }
            const char *keep_ref = lv[i];     /* move the reference first */
            memmove(lv + 1, lv, i * sizeof *lv);
            lv[0] = keep_ref;
        }
        if (u < 2) {
            rc = tlf_err_set(err, TLF_EDATA, "%s: column '%s' has a single level '%s' among the %zu rows used",
                             t->name, covariates[k], lv[0], mf->n);
            goto done;
        }
    }
    /* columns */
    mf->p = intercept ? 1 : 0;
    for (size_t k = 0; k < ncov; k++)
        mf->p += mf->categorical[k] ? nlevels[k] - 1 : 1;
    mf->names = xcalloc(mf->p, sizeof *mf->names);
    mf->term = xmalloc(mf->p * sizeof *mf->term);
    mf->reference = xcalloc(ncov + 1, sizeof *mf->reference);
    size_t j = 0;
    if (intercept) {
        mf->names[j] = xstrdup("(Intercept)");
        mf->term[j++] = (size_t)-1;
    }
    for (size_t k = 0; k < ncov; k++) {
        if (!mf->categorical[k]) {
            mf->names[j] = xstrdup(covariates[k]);
            mf->term[j++] = k;
            continue;
        }
        mf->reference[k] = (char *)levels[k][0];
        for (size_t l = 1; l < nlevels[k]; l++) {
            mf->names[j] = xasprintf("%s%s", covariates[k], levels[k][l]);
            mf->term[j++] = k;
        }
    }
    mf->x = xcalloc(mf->n * mf->p, sizeof *mf->x);
    mf->row = xmalloc(mf->n * sizeof *mf->row);
    size_t i = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        if (!keep[r])
            continue;
        double *xr = mf->x + i * mf->p;
        mf->row[i++] = r;
        j = 0;
        if (intercept)
            xr[j++] = 1.0;
        for (size_t k = 0; k < ncov; k++) {
            const char *cell = t->cells[r * t->ncol + (size_t)col[k]];
            if (!mf->categorical[k]) {
                tlf_parse_double(cell, &xr[j++]);
                continue;
            }
            for (size_t l = 1; l < nlevels[k]; l++)
                xr[j++] = strcmp(cell, levels[k][l]) == 0 ? 1.0 : 0.0;
        }
    }
    *out = mf;
    mf = NULL;

done:
    for (size_t k = 0; k < ncov; k++)
        free(levels[k]);
    free(levels);
    free(nlevels);
    free(col);
    free(ref);
    free(keep);
    model_frame_free(mf);
    return rc;
}
