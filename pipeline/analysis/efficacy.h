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
    int cox_adj;              /* 1: also <prefix>_cox_adj (sap.md covariates) */
    const char *output_adj;   /* output ids of the adjusted Cox rows         */
} tte_spec;

/* Baseline covariates of the adjusted Cox and propensity models (sap.md
 * section 4), columns of tte_data.cov, with their ARD variable names. */
enum { TTE_AGE, TTE_SEXM, TTE_MYODC, TTE_MDA5POS, TTE_IPACUTE, TTE_NCOV };
extern const char *const TTE_COV_NAMES[TTE_NCOV];

/* Subjects of an endpoint: TAC in the set, plus HC; sorted by USUBJID. */
typedef struct tte_data {
    size_t n;
    double *aval;   /* days                                   */
    int *event;     /* 1 = event (CNSR 0), 0 = censored       */
    int *arm;       /* 0 = TAC, 1 = HC                        */
    int *onset;     /* 0 = NEW, 1 = RELAPSE, -1 = missing     */
    double *cov;    /* n x TTE_NCOV: AGE (years); SEX M = 1; MYOTYPE DM or
                       CADM = 1 (PM 0); MDA5AB POSITIVE = 1 (NEGATIVE, NOT
                       DONE 0); IPCOURSE ACUTE = 1 (CHRONIC 0); NaN missing */
} tte_data;

int tte_load(tte_data *d, const analysis_ctx *ctx, const char *paramcd, const char *population,
             tlf_err *err);
void tte_data_free(tte_data *d);   /* accepts NULL */

/* KM per arm with the landmark, event/censoring reasons, log-rank
 * unstratified and stratified by onset, and (when spec->cox) the Cox
 * model TAC vs HC. */
int analysis_tte(const analysis_ctx *ctx, const tte_spec *spec, tlf_err *err);

/*
 * Cox model of d: ARMCDTAC (TAC 1, HC 0 = reference) plus the covariate
 * columns cols[0..ncols-1] of d->cov, complete cases (the number left out
 * is written as n_excluded with reason=covariate missing when ncols > 0).
 * Ties and the minimum number of events from ctx. Rows as ard.md (os_cox):
 * a model that is not estimable gives estimable 0 with the reason, n,
 * n_event. Returns 0 or a TLF_E* code from cox_fit.
 */
int tte_cox(const analysis_ctx *ctx, const tte_data *d, const tlf_ard_key *key,
            const int *cols, size_t ncols, tlf_err *err);

/* Append describe()'s n mean sd se median q1 q3 min max of x[0..n-1]
 * under key with param (NULL for none); n = 0 gives n 0 and empty values. */
void describe_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const char *param,
                       const double *x, size_t n);

#endif
