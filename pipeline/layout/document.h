/*
 * document.h - the pages a combined volume adds around its outputs: the
 * cover page and the table of contents.
 *
 * Stage: layout. Both use the standard output frame (header line with
 * study, DRAFT and "Page x of y"; source line at the foot), so a volume
 * reads as one document. The table of contents is itself a table model
 * (number, title, page) paginated like any table, so long titles wrap
 * and a long contents list continues over pages with its headers.
 */
#ifndef TLFGEN_LAYOUT_DOCUMENT_H
#define TLFGEN_LAYOUT_DOCUMENT_H

#include <stddef.h>

#include "core/err.h"
#include "layout/paginate.h"

typedef struct tlf_cover {
    const char *title;      /* NULL: "<study> Tables, Figures and Listings"  */
    const char *profile;    /* run profile (NULL prints "-")                */
    const char *date;       /* document date (NULL prints "-")              */
    size_t noutputs;
} tlf_cover;

/* One page: the cover (title, study, protocol, profile, cut-off, database
 * status and SHA-256, run id, program, date, number of outputs; a draft
 * notice when ctx->draft). */
int tlf_cover_plan(tlf_plan **out, const tlf_cover *cv, const tlf_page_setup *ps,
                   const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err);

typedef struct tlf_toc_entry {
    const char *number;     /* "Table 14.2.1.1"                             */
    const char *title;      /* first title line                             */
    size_t page;            /* first page in the volume (1-based)           */
} tlf_toc_entry;

/* The contents pages; body row i of the plan (item row == i) is entry i,
 * its page number in column 2. */
int tlf_toc_plan(tlf_plan **out, const tlf_toc_entry *e, size_t n, const tlf_page_setup *ps,
                 const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err);

#endif
