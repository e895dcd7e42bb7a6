/*
 * model_frame.h - a design matrix from a table of text cells, as R's
 * model.frame + model.matrix build it, for the Cox and logistic models.
 *
 * Stage: stats. Used by `tlfgen stats cox|logit|iptw` on a CSV and by the
 * pipeline's own models on ADaM data (any table of text cells fits
 * mf_table; a tlf_csv can be passed through mf_table_from_csv).
 *
 * Rules:
 *   - a covariate whose non-missing values all parse as numbers is numeric
 *     (one column named as the covariate), unless a reference level is
 *     given for it, which makes it categorical;
 *   - a categorical covariate gives one 0/1 column per level except the
 *     reference, named <covariate><level> as R names them (e.g. ARMCDTAC);
 *     levels are the distinct values of the rows used, in byte order, and the
 *     reference is the first of them unless mf_ref names another;
 *   - rows excluded by the caller (use[r] == 0) and rows with a missing
 *     covariate are left out (complete cases, counted in n_missing);
 *   - a column with numbers and non-numbers mixed, an unknown column, an
 *     unknown reference level, or a categorical covariate with a single level
 *     is an error naming the column (and the line: header = line 1, as
 *     stats/surv_input.h).
 */
#ifndef TLFGEN_STATS_MODEL_FRAME_H
#define TLFGEN_STATS_MODEL_FRAME_H

#include <stddef.h>

#include "core/csv.h"
#include "core/err.h"

/* A table of text cells: cells[r * ncol + c], NULL = missing. Not owned. */
typedef struct mf_table {
    const char *name;                /* used in messages (file or dataset) */
    size_t nrow, ncol;
    const char *const *header;       /* ncol column names                  */
    const char *const *cells;        /* nrow * ncol                        */
} mf_table;

typedef struct mf_ref {
    const char *column;   /* covariate name            */
    const char *level;    /* its reference level (text) */
} mf_ref;

typedef struct model_frame {
    size_t n;          /* rows used                                         */
    size_t p;          /* design columns (intercept included when asked)   */
    double *x;         /* n x p, row-major                                  */
    char **names;      /* p column names ("(Intercept)", "age", "sexM")     */
    size_t *term;      /* p: covariate index each column comes from (-1 = intercept) */
    int *categorical;  /* ncov flags: 1 when the covariate was dummy-coded  */
    char **reference;  /* ncov: reference level of a categorical one, else NULL */
    size_t *row;       /* n source row indices (0-based data rows)          */
    size_t n_missing;  /* rows dropped for a missing covariate              */
} model_frame;

/* View a CSV as a table (no copy; valid while csv lives). */
mf_table mf_table_from_csv(const tlf_csv *csv, const char *name);

/*
 * Build the design matrix.
 *   out        receives a new frame (free with model_frame_free)
 *   t          the table
 *   covariates ncov column names
 *   refs       nrefs reference levels (may be NULL when nrefs is 0)
 *   use        t->nrow flags, rows with 0 are left out; NULL = every row
 *   intercept  1 to put a "(Intercept)" column of ones first
 * Returns 0, or TLF_EUSAGE (unknown column, unknown reference level, a
 * reference for a column that is not a covariate) or TLF_EDATA (mixed
 * column, single-level factor, no complete rows) with err naming the
 * column and row; *out is NULL then.
 */
int model_frame_build(model_frame **out, const mf_table *t, const char *const *covariates,
                      size_t ncov, const mf_ref *refs, size_t nrefs,
                      const unsigned char *use, int intercept, tlf_err *err);
void model_frame_free(model_frame *mf);   /* accepts NULL */

#endif
