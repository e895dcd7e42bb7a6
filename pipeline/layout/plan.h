/*
 * plan.h - the page plan: positioned text and rules, independent of PDF.
 *
 * Stage: layout -> render. Pagination (paginate.c) turns a table model into
 * a plan; the renderer (render/pdf.h) draws plans into a document. A plan
 * holds every page of one output; page numbers ("Page x of y") are items
 * of kind TLF_ITEM_PAGENUM resolved only when drawn, so a combined volume
 * can number pages continuously by drawing several plans with an offset.
 * Coordinates are PDF points, origin bottom-left; text y is the baseline.
 * New drawing primitives (figure lines, watermarks) are new item kinds.
 */
#ifndef TLFGEN_LAYOUT_PLAN_H
#define TLFGEN_LAYOUT_PLAN_H

#include <stddef.h>
#include <stdio.h>

typedef enum tlf_item_kind {
    TLF_ITEM_TEXT = 0,   /* text starting at x (left edge), baseline y      */
    TLF_ITEM_RULE,       /* horizontal line from x to x + w at y            */
    TLF_ITEM_PAGENUM     /* "Page x of y", right edge at x, baseline y      */
} tlf_item_kind;

typedef struct tlf_item {
    tlf_item_kind kind;
    double x, y;         /* points                                          */
    double w;            /* text: measured width; rule: length              */
    double size;         /* font size (text) or line width (rule)           */
    int col;             /* table column (-1 when not a body cell)          */
    int row;             /* table body row (-1 when not a body cell)        */
    char *text;          /* UTF-8, owned; NULL for rules and page numbers   */
} tlf_item;

typedef struct tlf_page {
    tlf_item *items;
    size_t n, cap;
} tlf_page;

typedef struct tlf_plan {
    double page_w, page_h;   /* points                                      */
    tlf_page *pages;
    size_t npages, cap;
} tlf_plan;

/* Measure the width in points of UTF-8 text at a font size. Implemented by
 * the renderer with the embedded fonts' real metrics (render/pdf.h). */
typedef struct tlf_measurer {
    double (*width)(void *ctx, const char *utf8, size_t len, double size);
    void *ctx;
} tlf_measurer;

tlf_plan *tlf_plan_new(double page_w, double page_h);
void tlf_plan_free(tlf_plan *plan);               /* accepts NULL */
tlf_page *tlf_plan_add_page(tlf_plan *plan);      /* owned by plan */
/* Append items to a page; text is copied (len bytes). */
void tlf_page_text(tlf_page *pg, double x, double y, double w, double size,
                   const char *text, size_t len, int col, int row);
void tlf_page_rule(tlf_page *pg, double x, double y, double w, double line_width);
void tlf_page_pagenum(tlf_page *pg, double right_x, double y, double size);

/* One line per item ("page kind x y w size col row text"), for tests and
 * for debugging a template's layout (tlfgen render --layout-dump). */
void tlf_plan_dump(const tlf_plan *plan, FILE *f);

#endif
