/*
 * output.h - one output (table or listing) from template + data to pages.
 *
 * Stage: render (joins layout and the PDF document). A caller renders
 * each output into a plan with the document's measurer, then draws it;
 * a combined volume (issue 9) plans several outputs first, adds their
 * page counts, then draws each with its page offset into one tlf_pdf.
 */
#ifndef TLFGEN_RENDER_OUTPUT_H
#define TLFGEN_RENDER_OUTPUT_H

#include "ard/ard.h"
#include "core/err.h"
#include "layout/paginate.h"
#include "layout/template.h"
#include "render/pdf.h"
#include "render/rtf.h"

typedef struct tlf_output_opts {
    const char *paper;       /* used when the template names none; NULL = A4 */
    double margin_pt;        /* 0 = 20 mm                                    */
    unsigned char *ard_used; /* NULL, or ard->n zeroed bytes: a table or
                                figure sets 1 for each record it read    */
} tlf_output_opts;

/* Build the table model (from ard for tables, from the dataset in
 * adam_path for listings) and paginate it with pdf's font metrics;
 * figures (from ard) are laid out by layout/figure.h. When ctx->draft,
 * every page also gets the diagonal DRAFT watermark. */
int tlf_output_plan(tlf_plan **out, tlf_pdf *pdf, const tlf_template *t, const tlf_ard *ard,
                    const char *adam_path, const tlf_render_ctx *ctx,
                    const tlf_output_opts *opts, tlf_err *err);

/* The same, and when rtf is not NULL the output as an RTF document too
 * (render/rtf.h), appended to rtf: one table model, laid out once for
 * both back ends. A figure's RTF shows its plot as a PNG picture. */
int tlf_output_plan_rtf(tlf_plan **out, tlf_buf *rtf, const tlf_rtf_info *rinfo, tlf_pdf *pdf,
                        const tlf_template *t, const tlf_ard *ard, const char *adam_path,
                        const tlf_render_ctx *ctx, const tlf_output_opts *opts, tlf_err *err);

/* "Table 14.1.4", "Listing 16.2.7.1", "Figure 14.2.1.1"; caller frees. */
char *tlf_output_name(const tlf_template *t);

/* The document info subject of output t's PDF: its name, first title and
 * population ("Table 14.1.4 Demographics ...; Full Analysis Set");
 * caller frees. */
char *tlf_output_subject(const tlf_template *t);

/* Output t's bookmark under parent (0: top level), named by its number
 * and first title, opening its first page (first_page, already drawn),
 * with the plan's anchors beneath it (subjects, parameters; long outputs
 * only, pdf.h). *id (may be NULL) receives the entry's id. */
int tlf_output_bookmarks(tlf_pdf *pdf, const tlf_template *t, const tlf_plan *plan,
                         size_t parent, size_t first_page, size_t *id, tlf_err *err);

#endif
