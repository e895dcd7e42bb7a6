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
 * the table is too wide for one page.
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
} tlf_render_ctx;

typedef struct tlf_page_setup {
    double page_w, page_h;        /* points (tlf_paper_size)                */
    double margin;                /* points, at least 19 mm (53.86 pt)      */
    double font_size;             /* body size, 8 to 10 pt                  */
} tlf_page_setup;

#define TLF_MIN_MARGIN_PT (19.0 * 72.0 / 25.4)

/* Paginate tab into a new plan (*out, caller frees with tlf_plan_free).
 * TLF_EUSAGE for a margin under 19 mm or a font size outside 8-10 pt, or
 * when the key columns alone do not fit the page width. */
int tlf_paginate(tlf_plan **out, const tlf_table *tab, const tlf_page_setup *ps,
                 const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err);

#endif
