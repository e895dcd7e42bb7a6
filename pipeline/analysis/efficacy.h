/*
 * efficacy.h - time-to-event analyses (OS, PFS, TFF) from ADTTE.
 *
 * Stage: ARD. See efficacy.c for the analyses and their ARD names.
 */
#ifndef TLFGEN_ANALYSIS_EFFICACY_H
#define TLFGEN_ANALYSIS_EFFICACY_H

#include <sqlite3.h>
#include <stddef.h>

#include "analysis/analysis.h"

/* One endpoint in one analysis set. */
typedef struct tte_spec {
    const char *paramcd;      /* OS, PFS, TFF                                */
    const char *prefix;       /* analysis_id prefix: os, pfs, tff            */
    const char *population;   /* FAS or PPS (TAC's set; HC always joins)     */
    const char *output_km;    /* output ids of the KM rows ("14.2.1.1;F14.2.1.1") */
    const char *output_table; /* output ids of the other rows                */
    int cox;                  /* 1: also <prefix>_cox                        */
    int cox_adj;              /* 1: also <prefix>_cox_adj (study's cox_adjusted) */
    const char *output_adj;   /* output ids of the adjusted Cox rows         */
} tte_spec;

/* Subjects of an endpoint: the treated arm in the set, plus the control;
 * sorted by USUBJID. The stratum and covariates are the study's models
 * (study.json "models"; ADSL variables, docs/study-config.md). */
typedef struct tte_data {
    size_t n;
    double *aval;   /* days                                        */
    int *event;     /* 1 = event (CNSR 0), 0 = censored            */
    int *arm;       /* 0 = treated, 1 = control                    */
    int *stratum;   /* stratum of the stratified log-rank, -1 unknown */
    size_t ncov;    /* = study->n_covs                             */
    double *cov;    /* n x ncov: each covariate's value (numeric, or the
                       0/1 indicator); NaN = missing                */
} tte_data;

/* The complete cases of d for the covariates cols[0..ncols-1] (indices
 * into study->covs): m rows of t, e, treated (1 = treated arm) and x
 * (m x p, p = 1 + ncols; column 0 is 1 when intercept, else the treated
 * indicator, then the covariates in cols order). */
typedef struct tte_frame {
    size_t m, p;
    double *t, *x;
    int *e, *treated;
} tte_frame;
void tte_frame_make(tte_frame *f, const tte_data *d, const size_t *cols, size_t ncols,
                    int intercept);
void tte_frame_free(tte_frame *f);
/* "reason=..." when the model has no subject with complete data: which
 * covariate has no value at all (its source absent from the data), else
 * that no subject has them all (caller frees). */
char *tte_no_data_reason(const analysis_ctx *ctx, const tte_data *d, const size_t *cols,
                         size_t ncols);

int tte_load(tte_data *d, const analysis_ctx *ctx, const char *paramcd, const char *population,
             tlf_err *err);
void tte_data_free(tte_data *d);   /* accepts NULL */

/* KM per arm with the landmark, event/censoring reasons, log-rank
 * unstratified and stratified by the study's stratum, and (when
 * spec->cox) the Cox model treated vs control. */
int analysis_tte(const analysis_ctx *ctx, const tte_spec *spec, tlf_err *err);

/*
 * Cox model of d: ARMCD<treated> (treated 1, control 0 = reference) plus
 * the covariates cols[0..ncols-1] (indices into study->covs, columns of
 * d->cov), complete cases (the number left out
 * is written as n_excluded with reason=covariate missing when ncols > 0).
 * Ties and the minimum number of events from ctx. Rows as ard.md (os_cox):
 * a model that is not estimable gives estimable 0 with the reason, n,
 * n_event. Returns 0 or a TLF_E* code from cox_fit.
 */
int tte_cox(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *key,
            const size_t *cols, size_t ncols, tlf_err *err);

/* Append describe()'s n mean sd se median q1 q3 min max of x[0..n-1]
 * under key with param (NULL for none); n = 0 gives n 0 and empty values. */
void describe_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                       const double *x, size_t n);

#endif
