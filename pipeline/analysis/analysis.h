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
#include "study/study.h"

typedef struct analysis_ctx {
    sqlite3 *adam;            /* the derived datasets, read only here     */
    tlf_ard *ard;             /* where records are appended               */
    const tlf_study *study;   /* arms, parameters, visits, landmark day   */
    const char *ci;           /* KM CI transform: log, loglog, plain      */
    const char *ties;         /* Cox ties: efron, breslow                 */
    int cox_min_events;
    int bootstrap_resamples;
    unsigned long bootstrap_seed;
} analysis_ctx;

typedef int (*analysis_fn)(const analysis_ctx *ctx, tlf_err *err);

/* One analysis of the run: its name (for messages and progress), the
 * function that appends its records, the outputs its records feed
 * (catalog numbers separated by ';', figures as F14.2.1.1) and the
 * derived datasets it reads (names separated by ';'; "*": every one, for
 * an analysis whose datasets the study configuration names), so that a
 * run derives only what its analyses read (run/pipeline.c). */
typedef struct analysis_entry {
    const char *name;
    analysis_fn run;
    const char *outputs;
    const char *datasets;
} analysis_entry;

/* 1 when entry e reads dataset name (ADSL, ADLB, ...). */
int analysis_reads(const analysis_entry *e, const char *name);

/* Every analysis, in the order the run executes them (and so the order of
 * ard.csv). Defined in registry.c. */
extern const analysis_entry ANALYSES[];
extern const size_t N_ANALYSES;

/* 1 when entry e feeds one of the n outputs (n == 0: any). */
int analysis_feeds(const analysis_entry *e, char *const *outputs, size_t n);

/* What a caller hears around each analysis: before() may stop the run
 * with a TLF_E* code (a signal), after() gets the seconds it took. Either
 * may be NULL. */
typedef struct analysis_hooks {
    int (*before)(void *user, const analysis_entry *e, tlf_err *err);
    void (*after)(void *user, const analysis_entry *e, double seconds);
    void *user;
} analysis_hooks;

/* Run, in registry order, the analyses that feed the n outputs (n == 0:
 * every analysis) into ctx->ard; hooks may be NULL. Stops at the first
 * failure, whose message names the analysis. Sets ctx->adam's page cache
 * to 128 MB (PRAGMA cache_size; registry.c says why). */
int analysis_run(const analysis_ctx *ctx, char *const *outputs, size_t n,
                 const analysis_hooks *hooks, tlf_err *err);

/* Remove from the output_id of records from index `from` on each output
 * that does not show the record (analysis/tags.c); values never change.
 * analysis_run calls it once the analyses ran. */
void analysis_untag_unshown(tlf_ard *ard, size_t from);

/* Every analysis (analysis_run with no output list). */
int analysis_run_all(const analysis_ctx *ctx, tlf_err *err);

/* Adverse event tables 14.3.1.1-14.3.2.3 (sap.md section 4, ard.md's AE
 * rows): ae_overview, ae_teae, ae_rel, ae_ser, ae_grade, ae_aesi. */
int analysis_ae(const analysis_ctx *ctx, tlf_err *err);
/* The Safety Analysis Set N (ADSL SAFFL = Y) into *n; TLF_EINTERNAL with
 * the SQLite message when ADSL cannot be read (ae.c). */
int analysis_saf_n(const analysis_ctx *ctx, long long *n, tlf_err *err);
/* Deaths table 14.3.2.2, SAF and HC (deaths.c). */
int analysis_deaths(const analysis_ctx *ctx, tlf_err *err);
/* Laboratory values/change by visit (14.3.4.1, `lab`) and shift tables
 * (14.3.4.2, `lab_shift`) (lab.c). */
int analysis_lab(const analysis_ctx *ctx, tlf_err *err);
/* OS, PFS, TFF: KM, reasons, log-rank (efficacy.c). */
int analysis_time_to_event(const analysis_ctx *ctx, tlf_err *err);
/* IP response at week 52, Clopper-Pearson, Fisher (eff_resp.c). */
int analysis_ipresp(const analysis_ctx *ctx, tlf_err *err);
/* Change from baseline by visit with the week-52 paired tests, and the
 * prednisolone dose by visit (eff_visits.c). */
int analysis_chg_visits(const analysis_ctx *ctx, tlf_err *err);
int analysis_gcdose(const analysis_ctx *ctx, tlf_err *err);
/* Propensity score model, balance and weighted OS (eff_iptw.c). */
int analysis_ps(const analysis_ctx *ctx, tlf_err *err);
/* Subject disposition 14.1.1 (`disposition`) and analysis sets 14.1.2
 * (`analysis_sets`), disposition.c. */
int analysis_disposition(const analysis_ctx *ctx, tlf_err *err);
int analysis_analysis_sets(const analysis_ctx *ctx, tlf_err *err);
/* Demographics and baseline characteristics 14.1.4 (`demog`), demog.c. */
int analysis_demog(const analysis_ctx *ctx, tlf_err *err);
/* Protocol deviations 14.1.3 (`deviations`), deviations.c; reads ADDV. */
int analysis_deviations(const analysis_ctx *ctx, tlf_err *err);
/* Exposure 14.1.5 (`exposure`, `trough`), exposure.c; reads ADEX, ADPC. */
int analysis_exposure(const analysis_ctx *ctx, tlf_err *err);

#endif
