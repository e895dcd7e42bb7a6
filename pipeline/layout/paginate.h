/*
 * paginate.h - lay a table model out on pages: the page plan.
 *
 * Stage: layout. Measures with the renderer's real font metrics (a
 * tlf_measurer), fits column widths to content within the page, wraps
 * text (at word boundaries; between characters for Japanese; a word wider
 * than its column breaks between characters, nothing is truncated),
 * aligns decimal columns on every number's decimal point, indents nested
 * rows, keeps groups together (a SOC with its PTs, a subject's listing
 * rows) and never leaves a group heading alone at a page foot, repeats the
 * column headers and says "(continued)" on continuation pages, repeats key
 * columns on every page of a listing group and in every column panel when
 * the table is too wide for one page. A row taller than a whole page
 * (a 200,000-character verbatim term) continues over as many pages as it
 * needs, its key cells repeated with "(continued)"; wrapping is linear in
 * the text length.
 */
#ifndef TLFGEN_LAYOUT_PAGINATE_H
#define TLFGEN_LAYOUT_PAGINATE_H

#include "core/err.h"
#include "layout/plan.h"
#include "layout/table.h"

/* What the page header and the source line say. Filled by the caller
 * (tlfgen render: from options or a context JSON, see docs/templates.md).
 * NULL fields print as "-". */
typedef struct tlf_render_ctx {
    const char *study;            /* "IMPPACT"                              */
    const char *protocol;         /* "IMP-TAC-01"                           */
    const char *run_id;           /* content-derived run id                 */
    const char *db_sha256;        /* database SHA-256 (first 8 shown)       */
    const char *cutoff;           /* data cut-off date                      */
    const char *db_status;        /* "HARD LOCK", "SOFT LOCK", ...          */
    const char *program_version;  /* "tlfgen 0.1.0"                         */
    int draft;                    /* 1: the word DRAFT in the header line   */
    const char *note;             /* a footnote the run adds to every output
                                     (a nightly run's exclusions); NULL none */
} tlf_render_ctx;

/* The database status under which outputs are final: any other status
 * (or none) makes a run a draft: DRAFT in every header line and a diagonal
 * DRAFT watermark on every page (docs/figures.md). */
#define TLF_FINAL_STATUS "HARD LOCK"
#define TLF_DRAFT_TEXT "DRAFT"

/* 1 when db_status is "HARD LOCK" (ignoring case and surrounding blanks). */
int tlf_status_is_final(const char *db_status);

/* Rule line widths (points) of the standard frame and tables; other back
 * ends draw the same rules (render/rtf.h). */
#define TLF_RULE_TITLE 0.75   /* under the titles, over the column headers  */
#define TLF_RULE_SPAN 0.4     /* under a spanning header                    */
#define TLF_RULE_HEAD 0.5     /* under the column headers                   */
#define TLF_RULE_FOOT 0.75    /* under the body, over the footnotes         */

typedef struct tlf_page_setup {
    double page_w, page_h;        /* points (tlf_paper_size)                */
    double margin;                /* points, at least 19 mm (53.86 pt)      */
    double font_size;             /* body size, 9 to 12 pt                  */
} tlf_page_setup;

/* Type size limits of every text on a page (the FDA PDF specification asks
 * for 9 to 12 pt; the floor applies to figures' axis labels too). */
#define TLF_MIN_FONT_PT 9.0
#define TLF_MAX_FONT_PT 12.0

#define TLF_MIN_MARGIN_PT (19.0 * 72.0 / 25.4)

/* Paginate tab into a new plan (*out, caller frees with tlf_plan_free).
 * TLF_EUSAGE for a margin under 19 mm or a font size outside 9-12 pt,
 * when the key columns alone do not fit the page width, or when the
 * titles, column headers and footnotes (ctx->note too) leave a page no
 * room for one line of the body. */
int tlf_paginate(tlf_plan **out, const tlf_table *tab, const tlf_page_setup *ps,
                 const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err);

/*
 * The measurements tlf_paginate lays a table out with, for a back end
 * that lets the reader paginate (RTF, render/rtf.h): the same column
 * panels, widths, indentation, decimal-anchor positions and rule widths,
 * so both back ends show one layout. Panels are in tlf_paginate's order.
 */
typedef struct tlf_piece {
    size_t start, len;        /* bytes of the cell text                      */
    double x;                 /* left edge, points from the column's left    */
    double w;                 /* its measured width                          */
} tlf_piece;

typedef struct tlf_cell_geom {
    tlf_piece *pieces;        /* decimal-aligned cell: its pieces (owned)    */
    size_t npieces;           /* 0: the cell is drawn whole with its align   */
} tlf_cell_geom;

typedef struct tlf_panel_geom {
    size_t *cols;             /* table column of each panel column           */
    size_t ncols;
    double *w, *x;            /* width, left edge from the left margin (pt)  */
    tlf_align *head_align;    /* column header alignment                     */
    tlf_align *body_align;    /* body text alignment (whole cells)           */
    size_t nrows;             /* the table's body rows                       */
    tlf_cell_geom *cells;     /* nrows * ncols (panel columns), row-major     */
} tlf_panel_geom;

typedef struct tlf_table_geom {
    double font_size, lead;   /* points: type size and line height           */
    double gap;               /* between columns                             */
    double indent;            /* one indentation level (column 0)            */
    double body_w;            /* page width between the margins              */
    double rule_title, rule_span, rule_head, rule_foot;   /* line widths    */
    tlf_panel_geom *panels;
    size_t npanels;
} tlf_table_geom;

/* Measure tab as tlf_paginate would (same errors) into *out. */
int tlf_table_geometry(tlf_table_geom **out, const tlf_table *tab, const tlf_page_setup *ps,
                       tlf_measurer m, tlf_err *err);
void tlf_table_geom_free(tlf_table_geom *g);   /* accepts NULL */

/*
 * Streaming pagination of a listing too long to hold (tlf_listing_volumes):
 * head is a table with the columns and titles and no rows, owned by the
 * caller and alive as long as the paginator. Feed the rows as chunk
 * tables (same columns; each chunk ends at a group boundary) twice: first
 * to tlf_paginator_measure (column widths over every row), then, after
 * tlf_paginator_start, to tlf_paginator_feed, which lays them out on pages
 * of plan exactly as tlf_paginate would with one column panel (decimal
 * columns are centred instead of aligned). After each feed the pages
 * before the open one are complete: draw them, then tlf_paginator_drop_done
 * frees them. tlf_paginator_finish closes the last page.
 */
typedef struct tlf_paginator tlf_paginator;
int tlf_paginator_new(tlf_paginator **out, const tlf_table *head, const tlf_page_setup *ps,
                      const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err);
void tlf_paginator_measure(tlf_paginator *pg, const tlf_table *chunk);
/* TLF_EUSAGE when the columns need more than one panel, or when the
 * titles, column headers and footnotes leave a page no room for the body
 * (as tlf_paginate). */
int tlf_paginator_start(tlf_paginator *pg, tlf_plan *plan, tlf_err *err);
/* Pages without their content (count_only 1, from the next start on):
 * the same page breaks, no text placed; for counting a listing's pages
 * before drawing them (render/listing_volumes.c). */
void tlf_paginator_count_only(tlf_paginator *pg, int count_only);
void tlf_paginator_feed(tlf_paginator *pg, const tlf_table *chunk);
void tlf_paginator_finish(tlf_paginator *pg);
/* Complete pages at the front of the plan (all of them after finish). */
size_t tlf_paginator_done_pages(const tlf_paginator *pg);
void tlf_paginator_drop_done(tlf_paginator *pg);
void tlf_paginator_free(tlf_paginator *pg);   /* accepts NULL */

/* The body area of a framed page (figures, cover, contents). */
typedef struct tlf_frame {
    tlf_page *page;               /* owned by the plan                      */
    double left, right;           /* margins                                */
    double top, bottom;           /* free body area between the header rule
                                     and the footnote rule                  */
} tlf_frame;

/* Add a page to plan with the standard frame of output tab (header line
 * with study, DRAFT and the page number; number, titles, population and a
 * rule; under the body a rule, tab's footnotes and the source line) and
 * no body; *fr says where the body goes. Errors as tlf_paginate. */
int tlf_frame_open(tlf_frame *fr, tlf_plan *plan, const tlf_table *tab,
                   const tlf_page_setup *ps, const tlf_render_ctx *ctx, tlf_measurer m,
                   tlf_err *err);

#endif
