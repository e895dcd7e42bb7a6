/*
 * derive.h - the analysis datasets (ADaM-like) from an SDTM snapshot:
 * ADSL, ADTTE (OS, PFS, TFF), ADAE, ADLB, ADRE, ADFT, ADVS, ADPC, ADEX,
 * ADRS, plus ADISSUE (the data issues the derivations found).
 *
 * Stage: derive. Implements sap.md sections 1-3 (and the AE flags of
 * section 4); design choices are in docs/derivations.md.
 */
#ifndef TLFGEN_DERIVE_H
#define TLFGEN_DERIVE_H

#include <sqlite3.h>

#include "core/err.h"
#include "db/db.h"
#include "study/study.h"

/* Records left out before the derivation reads them (nightly runs: error
 * findings). table is an SDTM table name, or "*" for the whole subject. */
typedef struct derive_exclusion {
    const char *usubjid;
    const char *table;
} derive_exclusion;

typedef struct derive_opts {
    const char *cutoff;      /* "YYYY-MM-DD" overriding DBSTATUS.CUTOFFDTC, or NULL */
    const char *aesi_path;   /* config/aesi.json; NULL = no AESI categories         */
    const tlf_study *study;  /* the study configuration (required)                  */
    const derive_exclusion *exclude;  /* may be NULL                               */
    size_t n_exclude;
    /* Called before each of the derivation's steps and after the last with
     * steps done and the total (may be NULL). */
    void (*progress)(void *user, size_t done, size_t total);
    void *progress_user;
    int busy_timeout_ms;     /* derive_adam_file: wait this long for a writer on
                                the input (0: fail at once)                     */
    /* 1: also append each finding of the derivation (what it treated as
     * missing, which death source it used, ...) to the data-issues listing,
     * table DATAISSUES of adam (made by db_findings_write_sqlite before),
     * rule DERIVE. Its counts of records after the cut-off are not
     * appended: the checks list those records one by one (DB018). */
    int listing;
    /* The datasets to write (names as in DERIVE_DATASETS), or NULL for
     * every one; ADISSUE is always written. Every step still runs for
     * what the datasets written and the issues need (LSTALVDT reads every
     * contact domain, ADSL's baselines the BDS domains, and each domain's
     * data issues are found as it is read): only the rows, tables and
     * indexes of the others are not made. A nightly run writes what its
     * outputs read (run/pipeline.c). */
    const char *const *datasets;
    size_t n_datasets;
    /* Threads reading the BDS domains (ADVS, ADLB, ADRE, ADFT, ADPC), each
     * on its own read-only connection, while the calling thread writes
     * their rows to adam in the order one thread would: the same file,
     * byte for byte. 0 or 1, an input in memory or in WAL mode: every
     * step on the calling thread. */
    int jobs;
    /* The subject blocks of the input's tables the data checks found
     * (db_check_layout), or NULL: the derivation then finds them itself
     * with one more pass over each BDS domain. Either way the same file. */
    const db_layout *layout;
} derive_opts;

/* Every dataset derive_adam can write besides ADISSUE, in the order it
 * creates them. */
extern const char *const DERIVE_DATASETS[];
extern const size_t N_DERIVE_DATASETS;

typedef struct derive_stats {
    char cutoff[11];         /* the data cut-off applied, YYYY-MM-DD  */
    long n_subjects;         /* DM rows                               */
    long n_enrolled, n_fas, n_pps, n_saf, n_hc;
    long n_deaths;           /* deaths on or before the cut-off       */
    long n_after_cutoff;     /* source records left out (after cut-off) */
    long n_issues_error;     /* ADISSUE rows by severity              */
    long n_issues_warning;
    long n_issues_info;
    long n_adae, n_adtte, n_adlb, n_adre, n_adft, n_advs, n_adpc, n_adex, n_adrs;
    char meddra_version[32]; /* from the AESI config, "" when none   */
} derive_stats;

/*
 * Derive every analysis dataset from sdtm (opened read-only; never
 * written) into adam (an empty database: tables are created there, all
 * in one transaction, rolled back on failure). opts->study is required
 * (arms, treatments, visits, parameters); cutoff and aesi_path may be NULL
 * (cut-off from DBSTATUS, no AESI). out (may be NULL) receives counts.
 * Returns 0, TLF_EUSAGE without a study configuration, or TLF_EINPUT (missing table/column, unreadable AESI
 * config), TLF_EDATA (no usable cut-off, duplicate USUBJID in DM, a
 * malformed AESI config), TLF_EINTERNAL (SQLite failure), with a message
 * naming the table, row and value. Data issues that do not stop the
 * derivation are written to ADISSUE and counted in out.
 *
 * opts->exclude: the rows of (subject, table) are never read, so nothing
 * derived from them (a baseline, a contact date, a dose per kg) exists in
 * any dataset; a whole-subject exclusion ("*") leaves the subject out of
 * every dataset. A subject excluded for RS or CM has no ADTTE records
 * (and for RS no week-52 response record): without those tables its
 * endpoints would read as event-free, not as unknown.
 */
int derive_adam(sqlite3 *sdtm, sqlite3 *adam, const derive_opts *opts, derive_stats *out,
                tlf_err *err);

/*
 * Settings for a new, still empty analysis database adam, before its
 * first table (derive_adam_file's, and the run's before the checks'
 * findings): its page size, its journal in memory, no syncing. TLF_OK,
 * or TLF_EOUTPUT with SQLite's message.
 */
int derive_adam_setup(sqlite3 *adam, tlf_err *err);

/*
 * Open sdtm_path read-only, derive into a temporary file next to
 * out_path and rename it over out_path once complete, so that a failed
 * run leaves no half-written file. Same returns as derive_adam, plus
 * TLF_EOUTPUT when the output cannot be written.
 */
int derive_adam_file(const char *sdtm_path, const char *out_path, const derive_opts *opts,
                     derive_stats *out, tlf_err *err);

/*
 * Every event description (EVNTDESC) ADTTE can give an event of paramcd
 * (OS, PFS, TFF) under the study configuration st, whether or not a
 * subject has it: the analyses count each, so a reason no subject had is
 * a row of 0 (the shells keep a zero "Death" row). Returns a malloc'd
 * array of *n malloc'd strings (free each, then the array); NULL with
 * *n = 0 for another paramcd.
 */
char **derive_tte_event_levels(const tlf_study *st, const char *paramcd, size_t *n);

#endif
