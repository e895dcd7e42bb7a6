/*
 * tmpfile.h - write a file under a temporary name beside its target, then
 * rename it into place, so a reader never sees it half-written and a
 * failure leaves nothing behind.
 *
 * Stage: core. Used by the generators of whole SQLite files (demo-db,
 * derive).
 */
#ifndef TLFGEN_TMPFILE_H
#define TLFGEN_TMPFILE_H

#include "core/err.h"

/* Create an empty file "<path>.tmp-XXXXXX" with the mode a new file gets
 * under the umask; *tmp_out receives its name (caller frees).
 * TLF_EOUTPUT when the folder is not writable. */
int tlf_tmpfile_create(char **tmp_out, const char *path, tlf_err *err);

/* Rename tmp over path (TLF_EOUTPUT on failure; tmp is then removed). */
int tlf_tmpfile_commit(const char *tmp, const char *path, tlf_err *err);

#endif
