/*
 * pdf.h - the PDF document: embedded fonts, page plans drawn as pages.
 *
 * Stage: render. The only module that includes hpdf.h (libharu 2.3.0).
 * A tlf_pdf is one output file. Callers paginate first (layout/paginate.h)
 * with the document's measurer, so widths come from the embedded fonts'
 * real metrics, then draw one or more plans and save. A combined volume
 * draws several plans into one document with a running page offset and
 * the volume's page total, so "Page x of y" counts over the volume.
 *
 * Fonts: a Latin TrueType (Liberation Sans) and a Japanese one (IPAex
 * Gothic) from the font folder, both embedded and subset, UTF-8 encoded;
 * each character is drawn with the Latin font when it has the glyph, else
 * with the Japanese font (text runs switch font per run of characters).
 * Every font carries a correct ToUnicode CMap (replacing libharu's, which
 * poppler rejects), so text extraction gives back the characters.
 *
 * Reproducible: PDF 1.7, never encrypted, no file ID (libharu writes one
 * only for encrypted files), creation/modification dates only from the
 * date the caller gives (never the clock); two saves of the same input are
 * byte-identical.
 */
#ifndef TLFGEN_RENDER_PDF_H
#define TLFGEN_RENDER_PDF_H

#include <stddef.h>

#include "core/err.h"
#include "layout/plan.h"

typedef struct tlf_pdf tlf_pdf;

/* Font files inside the font folder (see fonts/README.md). */
#define TLF_FONT_LATIN "LiberationSans-Regular.ttf"
#define TLF_FONT_CJK "ipaexg.ttf"

typedef struct tlf_pdf_info {
    const char *title;     /* document info; NULL to omit each              */
    const char *subject;
    const char *author;
    const char *creator;
    const char *date;      /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" for
                              CreationDate and ModDate; NULL omits both    */
} tlf_pdf_info;

/* A new empty document with both fonts loaded from font_dir (NULL: the
 * TLFGEN_FONT_DIR environment variable, else fonts/ of the data folder
 * that core/datadir.h finds).
 * Fails with TLF_EINPUT naming a missing or unreadable font file. */
int tlf_pdf_new(tlf_pdf **out, const char *font_dir, tlf_err *err);
void tlf_pdf_free(tlf_pdf *pdf);   /* accepts NULL */

/* Measurer over this document's fonts; valid while pdf lives. */
tlf_measurer tlf_pdf_measurer(tlf_pdf *pdf);

/* ASCII text is written to the content stream by tlfgen (the bytes
 * libharu would write, without its work per call); off (0), every text
 * goes through libharu's text operators. On by default; tests compare
 * the two. */
void tlf_pdf_direct_text(tlf_pdf *pdf, int on);

/* Document info (title, subject, author, creator, dates). */
int tlf_pdf_set_info(tlf_pdf *pdf, const tlf_pdf_info *info, tlf_err *err);

/* What a page-number item says: "Page <page> of <total>", preceded by
 * "Volume <volume> of <nvolumes>" when nvolumes > 1 (a huge listing
 * split into several files, numbered continuously). */
typedef struct tlf_pagenum {
    size_t page, total;
    size_t volume, nvolumes;
} tlf_pagenum;

/* Draw page index of plan as a new page (watermark items first, under
 * the content). */
int tlf_pdf_draw_page(tlf_pdf *pdf, const tlf_plan *plan, size_t index, const tlf_pagenum *pn,
                      tlf_err *err);

/* An outline entry (bookmark) under parent (0: top level, else an id an
 * earlier call returned), after its earlier children, that opens page
 * page_index (0-based, already drawn) with y = top (points from the page
 * foot) at the top of the window, keeping the reader's zoom and horizontal
 * position (an /XYZ destination with null left and zoom). open: its
 * children are shown. *id (may be NULL) receives the entry's id. A
 * document with bookmarks opens with the bookmarks panel shown
 * (/PageMode /UseOutlines). */
int tlf_pdf_outline(tlf_pdf *pdf, size_t parent, size_t page_index, double top,
                    const char *title, int open, size_t *id, tlf_err *err);

/* A top-level bookmark to the top of page page_index (tlf_pdf_outline). */
int tlf_pdf_bookmark(tlf_pdf *pdf, size_t page_index, const char *title, tlf_err *err);

/* Outputs at least this long get bookmarks inside (tlf_pdf_outline_plan). */
#define TLF_INNER_BOOKMARK_PAGES 3

/* Bookmarks under parent for the anchors of plan (a listing's subjects, a
 * table's parameters), whose page 0 was drawn as page first_page; none
 * when the plan has fewer than TLF_INNER_BOOKMARK_PAGES pages. */
int tlf_pdf_outline_plan(tlf_pdf *pdf, size_t parent, size_t first_page, const tlf_plan *plan,
                         tlf_err *err);

/* A borderless link over the rectangle (x0, y0)-(x1, y1) of from_page to
 * the top of to_page (both 0-based, already drawn), keeping the zoom. */
int tlf_pdf_link(tlf_pdf *pdf, size_t from_page, double x0, double y0, double x1, double y1,
                 size_t to_page, tlf_err *err);

/* Draw every page of plan as new pages. Page-number items show
 * "Page <page_offset + i + 1> of <page_total>" (page_total 0 means the
 * plan's own page count). */
int tlf_pdf_draw_plan(tlf_pdf *pdf, const tlf_plan *plan, size_t page_offset,
                      size_t page_total, tlf_err *err);

size_t tlf_pdf_page_count(const tlf_pdf *pdf);

/* The font folder the document's fonts come from (for other back ends
 * that draw the same text: render/raster.h). */
const char *tlf_pdf_font_dir(const tlf_pdf *pdf);

/* Write the document to path (TLF_EOUTPUT when it cannot). */
int tlf_pdf_save(tlf_pdf *pdf, const char *path, tlf_err *err);

/* Width of paper in points: A4 (595.276 x 841.89) or US letter (612 x 792),
 * swapped for landscape. paper is "A4" or "letter"; TLF_EUSAGE otherwise. */
int tlf_paper_size(const char *paper, int landscape, double *w, double *h, tlf_err *err);

#endif
