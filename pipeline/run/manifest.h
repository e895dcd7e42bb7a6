/*
 * manifest.h - manifest.json: what was run on what, and every file made.
 *
 * Stage: batch operations. The caller builds the descriptive part (program
 * version and commit, profile, config and template digests, input path and
 * SHA-256, DBSTATUS row, cut-off, counts, timings) as a jansson object;
 * manifest_write adds "files": every regular file under the run folder
 * (sub-folders included, manifest.json itself excluded) with its size and
 * SHA-256, sorted by path. `tlfgen verify` re-hashes against it.
 */
#ifndef TLFGEN_RUN_MANIFEST_H
#define TLFGEN_RUN_MANIFEST_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* Write dir/manifest.json from meta (borrowed) plus the file list. */
int manifest_write(const char *dir, json_t *meta, tlf_err *err);

/* Re-hash every file the manifest of dir lists. TLF_EDATA naming the first
 * file whose size or digest differs, or that is missing; files present but
 * not listed are reported too. *n_checked counts the files verified. */
int manifest_verify(const char *dir, size_t *n_checked, tlf_err *err);
/* The same, reporting every problem (missing, changed, unlisted file) to
 * fn as it is found, one line each; err holds the count and the first. */
typedef void (*manifest_problem_fn)(void *user, const char *problem);
int manifest_verify_all(const char *dir, size_t *n_checked, manifest_problem_fn fn, void *user,
                        tlf_err *err);

#endif
