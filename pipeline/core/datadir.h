/*
 * datadir.h - where the program's read-only data is: templates/, fonts/,
 * config/ (profiles, study configuration, cron and systemd samples).
 *
 * Stage: core (used by the CLI and, for the default font folder, by the
 * renderer). No source path is compiled into the program, so an installed
 * prefix can be moved and a build tree still works. The folder is, first
 * found wins:
 *   1. the caller's override (`--data-dir DIR`);
 *   2. the TLFGEN_DATA_DIR environment variable;
 *   3. <folder of the executable>/../share/tlfgen (an installed prefix,
 *      wherever it was copied: the executable is read from /proc/self/exe);
 *   4. the folder named in <folder of the executable>/tlfgen-data-dir, a
 *      one-line marker file CMake writes into the build tree only (never
 *      installed), naming the source tree.
 * A folder counts only if it holds templates/catalog.json; an override or
 * TLFGEN_DATA_DIR that does not is an error naming it, never skipped.
 */
#ifndef TLFGEN_DATADIR_H
#define TLFGEN_DATADIR_H

#include "core/err.h"

#define TLF_DATADIR_ENV "TLFGEN_DATA_DIR"
#define TLF_DATADIR_MARKER "tlfgen-data-dir"
#define TLF_DATADIR_SENTINEL "templates/catalog.json"

typedef struct tlf_datadir {
    char *path;   /* the data folder, absolute when it could be resolved */
    char *how;    /* how it was found, for `tlfgen --version`            */
} tlf_datadir;

/* Find the data folder (override may be NULL). TLF_EINPUT with a message
 * naming every place looked at when none holds the data. */
int tlf_datadir_find(tlf_datadir *dd, const char *override, tlf_err *err);
void tlf_datadir_free(tlf_datadir *dd);

#endif
