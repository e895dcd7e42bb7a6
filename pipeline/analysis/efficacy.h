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
} tte_spec;

/* Subjects of an endpoint: TAC in the set, plus HC; sorted by USUBJID. */
typedef struct tte_data {
    size_t n;
    double *aval;   /* days                                   */
    int *event;     /* 1 = event (CNSR 0), 0 = censored       */
    int *arm;       /* 0 = TAC, 1 = HC                        */
    int *onset;     /* 0 = NEW, 1 = RELAPSE, -1 = missing     */
} tte_data;

int tte_load(tte_data *d, sqlite3 *adam, const char *paramcd, const char *population,
             tlf_err *err);
void tte_data_free(tte_data *d);   /* accepts NULL */

/* KM per arm with the landmark, event/censoring reasons, log-rank
 * unstratified and stratified by onset. */
int analysis_tte(const analysis_ctx *ctx, const tte_spec *spec, tlf_err *err);

#endif
