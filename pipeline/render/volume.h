/*
 * volume.h - documents made of several pages plans: a combined, bookmarked
 * volume of outputs, and a huge listing split into volume files.
 *
 * Stage: render. See docs/figures.md for the design.
 *
 * Combined volume: cover page, table of contents, then every output in the
 * order given; "Page x of y" runs over the whole volume; bookmarks nested
 * by ICH E3 section (14.1, 14.2, 14.3, 16.2; open), then output (opening
 * its first page), then the subjects or parameters inside a long output
 * (pdf.h), and for the cover and the contents; every destination keeps the
 * reader's zoom; the file opens with the bookmarks panel. Each contents
 * line, in link blue, links to its output; document info title, subject,
 * author (= study), creator and dates.
 *
 * Split listing: the listing is paginated in a streaming pass that keeps
 * only the open page (pages are counted and dropped), then drawn in a
 * second pass, volume by volume: each volume file is its own libharu
 * document, saved and freed before the next, so peak memory is bounded by
 * the volume size (pages_per_volume) and not by the listing's length.
 */
#ifndef TLFGEN_RENDER_VOLUME_H
#define TLFGEN_RENDER_VOLUME_H

#include <stddef.h>

#include "ard/ard.h"
#include "core/err.h"
#include "layout/paginate.h"
#include "layout/template.h"

typedef struct tlf_volume_opts {
    const char *title;      /* cover title / document title (NULL: default)   */
    const char *profile;    /* run profile shown on the cover                 */
    const char *date;       /* document date (info + cover); NULL: none       */
    const char *paper;      /* for templates that name none; NULL: A4         */
    const char *font_dir;   /* NULL: default font folder                      */
    /* Split listings: called after each page drawn with pages done and the
     * total (may be NULL). */
    void (*progress)(void *user, size_t done, size_t total);
    void *progress_user;
    /* tlf_volume_write: NULL, or for each template a plan already made of
     * it with the same page setup, context and fonts (as its own PDF was
     * drawn), so the volume does not lay it out again; a NULL entry is
     * planned here. The plans are only read. */
    const tlf_plan *const *plans;
} tlf_volume_opts;

/* Write the combined volume of templates tpls[0..n) to path. Tables and
 * figures read ard, listings adam_path. When ctx->draft every page carries
 * the DRAFT watermark. On error nothing is written (TLF_EOUTPUT when the
 * file cannot be written; the planners' errors otherwise). */
int tlf_volume_write(const char *path, tlf_template *const *tpls, size_t n, const tlf_ard *ard,
                     const char *adam_path, const tlf_render_ctx *ctx,
                     const tlf_volume_opts *vo, tlf_err *err);

/* Render listing template t from adam_path into volume files of at most
 * pages_per_volume pages: <stem>_vol<k>.pdf for path <stem>.pdf (k zero
 * padded to the width of the volume count), "Volume k of n" and the page
 * number over all volumes in every header. *nvolumes and *npages receive
 * the counts (either may be NULL). TLF_EUSAGE when t is not a listing or
 * pages_per_volume is 0. */
int tlf_listing_volumes(const char *path, const tlf_template *t, const char *adam_path,
                        const tlf_render_ctx *ctx, const tlf_volume_opts *vo,
                        size_t pages_per_volume, size_t *nvolumes, size_t *npages,
                        tlf_err *err);

/* The file name of volume k (1-based) of nvol for path; caller frees. */
char *tlf_volume_path(const char *path, size_t k, size_t nvol);

#endif
