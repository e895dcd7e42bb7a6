/*
 * pipeline.h - one whole run: database in, run folder out.
 *
 * Stage: batch operations; the driver of every stage in order:
 *   snapshot (db) -> status gate (profile) -> data checks (db) ->
 *   derived datasets (derive) -> analyses into the ARD (analysis) ->
 *   tables, listings and figures (layout, render) -> manifest -> publish.
 * Each stage reads only what the one before it wrote. The run folder is
 * built hidden and published atomically (run/folder.h); a failure or a
 * signal at any point publishes nothing and leaves `latest` as it was.
 */
#ifndef TLFGEN_RUN_PIPELINE_H
#define TLFGEN_RUN_PIPELINE_H

#include <stddef.h>

#include "core/err.h"

/* Progress and log lines: the CLI decides where they go. */
typedef void (*run_progress_fn)(void *user, const char *line);
/* Progress of a long stage: `what` (derivation, analyses, a listing's
 * pages) has done of total units, elapsed_s seconds into the run. Called
 * often (per page of a long listing) and from worker threads, one call at
 * a time; the CLI decides how often to show it. */
typedef void (*run_meter_fn)(void *user, const char *what, size_t done, size_t total,
                             double elapsed_s);

typedef struct run_request {
    const char *db_path;        /* the study database (read only)              */
    const char *profile;        /* name in config_dir, or a path               */
    const char *out_dir;        /* runs land in OUT/<STUDYID>/<profile>/...    */
    const char *config_dir;     /* profiles, study.json                        */
    const char *templates_dir;  /* catalog.json and the output templates       */
    const char *fonts_dir;      /* NULL: the source tree's fonts/              */
    const char *cutoff;         /* overrides DBSTATUS.CUTOFFDTC; NULL = none   */
    double lock_timeout_s;      /* wait for another run of the study           */
    int busy_timeout_ms;        /* wait for a writer on the input              */
    run_progress_fn progress;   /* may be NULL                                 */
    void *progress_user;
    const char *study_path;     /* study configuration; NULL = config_dir/study.json */
    int jobs;                   /* threads for the data checks and the outputs;
                                   0 = the processors online                   */
    run_meter_fn meter;         /* may be NULL; gets progress_user                */
} run_request;

typedef struct run_report {
    char *run_dir;              /* the published folder (caller frees)         */
    char *volume_pdf;           /* the combined volume, or NULL                */
    char *run_id;
    size_t n_outputs;           /* PDFs written                                */
    size_t n_error, n_warning, n_info;   /* data-check findings               */
    size_t n_excluded;          /* subjects left out of analyses (nightly)     */
    size_t n_changes;           /* nightly: changes since the previous run     */
    char *no_data;              /* outputs that had no data ("16.2.7.2, ..."):
                                   listings without rows, tables and figures
                                   whose every ARD number is 0 or empty;
                                   NULL when none                              */
    size_t n_unshown;           /* ARD records tagged with a rendered output
                                   that the output did not read (a defect;
                                   run.log names them)                         */
    char *warning;              /* published, but something after publishing
                                   failed (pruning old runs); NULL if none     */
} run_report;

/* Run req; on success rep describes the published run. Error codes:
 * TLF_EUSAGE (bad profile/option), TLF_EINPUT (database unreadable),
 * TLF_ESTATUS (status not allowed), TLF_EISSUES (data issues stop the run),
 * TLF_EOUTPUT, TLF_ELOCK, TLF_EINTR (signal), TLF_EINTERNAL. */
int run_execute(const run_request *req, run_report *rep, tlf_err *err);
void run_report_free(run_report *rep);

#endif
