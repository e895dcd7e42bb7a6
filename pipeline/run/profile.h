/*
 * profile.h - run profiles (config/<name>.json): which outputs, which
 * database statuses, what stops a run, and the analysis settings.
 *
 * Stage: batch operations (sap.md section 7). A profile is named on the
 * command line (`--profile csr`, looked up in the config folder) or given
 * as a path, so a site can add its own file. Loading validates every key:
 * an unknown key, a wrong type or a value outside its set is an error
 * naming the file, the key and what was expected.
 */
#ifndef TLFGEN_RUN_PROFILE_H
#define TLFGEN_RUN_PROFILE_H

#include <stddef.h>

#include "core/err.h"

typedef struct run_profile {
    char *name;
    char *path;              /* the file it was read from            */
    char *description;
    char **allowed_status;   /* DBSTATUS.STATUS values it accepts    */
    size_t n_allowed_status;
    int stop_on_error;       /* error-severity data issue stops it   */
    char **outputs;          /* output numbers, or the single "all"  */
    size_t n_outputs;
    char **open_packet;      /* dsmb: the open packet's outputs      */
    size_t n_open_packet;
    char **closed_packet;    /* dsmb: the closed packet's outputs    */
    size_t n_closed_packet;
    char *paper;             /* "A4" or "letter"                     */
    char *ci_transform;      /* "log", "loglog" or "plain"           */
    char *cox_ties;          /* "efron" or "breslow"                 */
    int cox_min_events;
    int bootstrap_resamples;
    unsigned long bootstrap_seed;
    int keep_runs;           /* 0 = keep every run                   */
    int listing_split_rows;  /* a listing with more rows is written in
                                volumes, outside the combined volume
                                (0 = never)                          */
    int listing_volume_pages;/* pages per listing volume             */
    int format_rtf;          /* "formats" has "rtf": each table,
                                listing and figure also as .rtf (PDF
                                is always written)                   */
} run_profile;

/* Load name_or_path: a path when it contains '/' or ends in .json, else
 * <config_dir>/<name>.json. */
int run_profile_load(run_profile **out, const char *config_dir, const char *name_or_path,
                     tlf_err *err);
void run_profile_free(run_profile *p);   /* accepts NULL */

/* 1 when the profile accepts that database status. */
int run_profile_allows_status(const run_profile *p, const char *status);
/* 1 when the profile selects that output number ("all" selects every one). */
int run_profile_selects(const run_profile *p, const char *output);
/* 1 when a list of output numbers (outputs, a packet) holds output or "all". */
int run_profile_list_has(char *const *list, size_t n, const char *output);

#endif
