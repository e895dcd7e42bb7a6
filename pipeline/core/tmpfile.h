/*
 * tmpfile.h - write a file under a temporary name beside its target, then
 * rename it into place, so a reader never sees it half-written and a
 * failure or a signal (core/stop.h) leaves nothing behind.
 *
 * Stage: core. Used by every command's output file (demo-db, derive,
 * check --out, analyze --out, stats --out, ard-diff, render, volume).
 * tlf_tmpfile_create reads the umask by setting it, so none of these is
 * for use while other threads create files (the run's rendering threads
 * write into its hidden work folder, published whole by one rename).
 */
#ifndef TLFGEN_TMPFILE_H
#define TLFGEN_TMPFILE_H

#include <stdio.h>

#include "core/err.h"

/* Create an empty file "<path>.tmp-XXXXXX" with the mode a new file gets
 * under the umask; *tmp_out receives its name (caller frees).
 * TLF_EOUTPUT when the folder is not writable. */
int tlf_tmpfile_create(char **tmp_out, const char *path, tlf_err *err);

/* Rename tmp over path (TLF_EOUTPUT on failure; tmp is then removed).
 * After SIGINT/SIGTERM it renames nothing: TLF_EINTR, tmp removed. */
int tlf_tmpfile_commit(const char *tmp, const char *path, tlf_err *err);

/* Several files made whole together, or none (render's PDF with its RTF
 * and layout dump, a listing's volume files): each is written under a
 * temporary name, then all are renamed at once. */
typedef struct tlf_fileset {
    char **tmp;      /* the names written (NULL: written in place) */
    char **target;   /* the names they get                          */
    size_t n, cap;
} tlf_fileset;
#define TLF_FILESET_INIT {NULL, NULL, 0, 0}

/* Add path to the set; *file (owned by the set) is the name to write it
 * under: a new temporary file beside it (beside its target for a symbolic
 * link, which stays), or path itself when it exists and is not a regular
 * file (/dev/full, /dev/stdout, a FIFO: there is nothing to rename over,
 * and a device must not be replaced by a regular file). */
int tlf_fileset_add(tlf_fileset *fs, const char *path, const char **file, tlf_err *err);
/* Add a file already written under the name tmp, to be renamed to path. */
void tlf_fileset_adopt(tlf_fileset *fs, const char *tmp, const char *path);
/* Rename every file into place and empty the set. After SIGINT/SIGTERM
 * nothing is renamed (TLF_EINTR); the stop flag is looked at once, before
 * the first rename, so the set is published whole or not at all. On any
 * failure the files not renamed are removed. */
int tlf_fileset_commit(tlf_fileset *fs, tlf_err *err);
/* Remove every temporary file of the set and empty it (after a failure). */
void tlf_fileset_discard(tlf_fileset *fs);

/* Writes the whole content into the file named `file`. */
typedef int (*tlf_file_writer)(const char *file, void *user, tlf_err *err);
/* Writes the whole content to f (a write error is seen by the caller). */
typedef int (*tlf_stream_writer)(FILE *f, void *user, tlf_err *err);

/* One file whole or not at all (a set of one): write() fills the name
 * tlf_fileset_add gives, which is renamed over path when write succeeded
 * and no stop was requested, removed otherwise. */
int tlf_tmpfile_write(const char *path, tlf_file_writer write, void *user, tlf_err *err);

/* tlf_tmpfile_write with the file opened for write(): a write or close
 * error is TLF_EOUTPUT naming path and the reason. */
int tlf_tmpfile_write_stream(const char *path, tlf_stream_writer write, void *user,
                             tlf_err *err);

#endif
