/*
 * analysis.h - the analyses of sap.md section 6: derived datasets in
 * (adam.sqlite), ARD records out.
 *
 * Stage: ARD. Each analysis reads the ADaM tables, calls the statistics
 * modules and appends its records, in display order, to the run's ARD;
 * the table engine renders them and computes nothing. Percentages are
 * stored as percentages (44 for 11 of 25), unrounded.
 */
#ifndef TLFGEN_ANALYSIS_H
#define TLFGEN_ANALYSIS_H

#include <sqlite3.h>

#include "ard/ard.h"
#include "core/err.h"

typedef struct analysis_ctx {
    sqlite3 *adam;            /* the derived datasets, read only here     */
    tlf_ard *ard;             /* where records are appended               */
    const char *ci;           /* KM CI transform: log, loglog, plain      */
    const char *ties;         /* Cox ties: efron, breslow                 */
    int cox_min_events;
    int landmark_day;         /* 365                                      */
    int bootstrap_resamples;
    unsigned long bootstrap_seed;
} analysis_ctx;

/* Adverse event tables 14.3.1.1-14.3.2.3 (sap.md section 4, ard.md's AE
 * rows): ae_overview, ae_teae, ae_rel, ae_ser, ae_grade, ae_aesi. */
int analysis_ae(const analysis_ctx *ctx, tlf_err *err);

#endif
