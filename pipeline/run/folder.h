/*
 * folder.h - run folders: built hidden, published atomically, audited.
 *
 * Stage: batch operations (issue 12). A run writes everything into a
 * hidden temporary folder beside its final place,
 *     OUT/<STUDYID>/<profile>/.tmp-<timestamp>-<run id>/
 * and publishes it with one rename(2) to <timestamp>-<run id>, then
 * switches the `latest` symlink with a second rename (a new symlink made
 * under a temporary name replaces the old one atomically). A run that
 * fails, is interrupted or is killed leaves at most a hidden .tmp-*
 * folder, which the next run of the study removes while it holds the
 * study lock; `latest` keeps pointing at the previous complete run.
 */
#ifndef TLFGEN_RUN_FOLDER_H
#define TLFGEN_RUN_FOLDER_H

#include <stddef.h>

#include "core/err.h"

typedef struct run_folder {
    char *base;        /* OUT/<STUDYID>/<profile>                       */
    char *name;        /* <timestamp>-<run id>                          */
    char *tmp_path;    /* base/.tmp-<name>: where the run writes        */
    char *final_path;  /* base/<name>: where it appears when published  */
    int published;
} run_folder;

/*
 * Take the study lock: flock(2) on OUT/<STUDYID>/.tlfgen.lock, waiting up
 * to timeout_s seconds (0 = try once). *fd_out holds the lock until
 * run_lock_release. TLF_ELOCK when another run holds it past the timeout.
 */
int run_lock_acquire(int *fd_out, const char *out_dir, const char *studyid,
                     double timeout_s, tlf_err *err);
void run_lock_release(int fd);   /* accepts -1 */

/* Create base (mode 0755 parents) and the hidden temporary folder, after
 * removing stale .tmp-* folders left by killed runs (call under the lock). */
int run_folder_begin(run_folder **out, const char *out_dir, const char *studyid,
                     const char *profile, const char *name, tlf_err *err);
/* Path of a file inside the temporary folder (caller frees). */
char *run_folder_path(const run_folder *rf, const char *file);
/* Rename the temporary folder to its final name and switch `latest`. */
int run_folder_publish(run_folder *rf, tlf_err *err);
/* Remove the temporary folder (after a failure or a signal). */
void run_folder_abort(run_folder *rf);
void run_folder_free(run_folder *rf);   /* accepts NULL; does not abort */

/* Keep the newest `keep` published runs in base (names sort by their
 * timestamp), removing older ones; never removes the one `latest` names. */
int run_folder_retain(const char *base, size_t keep, tlf_err *err);

/* The same in two steps, so that nothing is allocated after publishing
 * (an allocation failure there ends the process with the run published):
 * before, the paths of the runs to remove once the run named adding is
 * published and keep remain; after, their removal, the first failure said
 * in msg (no allocation). 0 or -1. */
char **run_folder_retain_plan(const char *base, size_t keep, const char *adding, size_t *n_out);
int run_folder_retain_apply(char *const *paths, size_t n, char *msg, size_t msg_size);
void run_folder_retain_free(char **paths, size_t n);

/* Remove a folder tree (no symlinks followed). 0 on success. */
int run_rmtree(const char *path);
/* mkdir -p with mode for the last component. */
int run_mkdirs(const char *path, unsigned mode, tlf_err *err);

/* UTC timestamp for folder names and the manifest: YYYYMMDDTHHMMSSZ.
 * The only place the wall clock enters a run. */
void run_timestamp(char out[17]);

#endif
