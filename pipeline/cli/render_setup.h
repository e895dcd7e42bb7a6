/*
 * render_setup.h - what `tlfgen render` and `tlfgen volume` share: the
 * render-context options (entries for their option tables), the context
 * file, the document date and the draft rule.
 *
 * Stage: CLI. Options on the command line win over the context file.
 * A run is a draft (DRAFT in every header and a diagonal watermark on
 * every page) when --draft or the context's "draft" says so, or when the
 * database status is not HARD LOCK (or not given).
 */
#ifndef TLFGEN_CLI_RENDER_SETUP_H
#define TLFGEN_CLI_RENDER_SETUP_H

#include "cli/cli.h"
#include "layout/paginate.h"
#include "layout/template.h"
#include "study/study.h"

#define RENDER_SETUP_OPTS                                                                    \
    {"context", "FILE", "JSON with study, protocol, run_id, db_sha256, cutoff, db_status, ...", 0}, \
    {"study", "TEXT", "study name in the page header", 0},                                   \
    {"study-config", "FILE", "study configuration for the templates' {{variables}} (default: config/study.json of the data folder)", 0}, \
    {"protocol", "TEXT", "protocol number in the page header", 0},                           \
    {"run-id", "ID", "run id for the source line", 0},                                       \
    {"db-sha256", "HEX", "database SHA-256 for the source line", 0},                         \
    {"cutoff", "DATE", "data cut-off for the source line", 0},                               \
    {"db-status", "TEXT", "database status; anything but HARD LOCK makes a draft", 0},       \
    {"profile", "NAME", "run profile shown on a volume's cover", 0},                         \
    {"draft", NULL, "DRAFT in the header and a DRAFT watermark on every page", 0},           \
    {"paper", "SIZE", "A4 (default) or letter, when the template names none", 0},            \
    {"date", "DATE", "document date YYYY-MM-DD (else SOURCE_DATE_EPOCH, else none)", 0},     \
    {"fonts", "DIR", "font folder (default: TLFGEN_FONT_DIR, else fonts/ of the data folder)", 0}, \
    CLI_DATA_DIR_OPT

typedef struct render_setup {
    tlf_context_file *cf;        /* owned; NULL without --context          */
    tlf_render_ctx ctx;          /* strings borrowed from args / cf        */
    const char *date;            /* document date or NULL                  */
    const char *paper;
    const char *profile;
    const char *fonts;
    char *fonts_buf;             /* owned: fonts/ of --data-dir            */
    tlf_study *study;            /* owned; NULL when none was found        */
    char datebuf[32];
    char version[64];
} render_setup;

/* Fill rs from the parsed options a (table opts, which holds
 * RENDER_SETUP_OPTS). TLF_EUSAGE / TLF_EINPUT for a bad context file or
 * SOURCE_DATE_EPOCH. rs must be released with render_setup_free. */
int render_setup_load(render_setup *rs, const cli_args *a, const cli_opt *opts, tlf_err *err);
void render_setup_free(render_setup *rs);

#endif
