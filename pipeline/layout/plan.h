/*
 * plan.h - the page plan: positioned text and rules, independent of PDF.
 *
 * Stage: layout -> render. Pagination (paginate.c) turns a table model into
 * a plan; the renderer (render/pdf.h) draws plans into a document. A plan
 * holds every page of one output; page numbers ("Page x of y") are items
 * of kind TLF_ITEM_PAGENUM resolved only when drawn, so a combined volume
 * can number pages continuously by drawing several plans with an offset.
 * Coordinates are PDF points, origin bottom-left; text y is the baseline.
 * Figures use polylines (solid, dashed, dotted), filled polygons (a CI
 * band), markers (censor ticks, symbols) and rotated text (an axis label);
 * a draft page carries a watermark item (diagonal light-grey text, drawn
 * before everything else on its page so it stays behind the content).
 */
#ifndef TLFGEN_LAYOUT_PLAN_H
#define TLFGEN_LAYOUT_PLAN_H

#include <stddef.h>
#include <stdio.h>

typedef enum tlf_item_kind {
    TLF_ITEM_TEXT = 0,   /* text starting at x (left edge), baseline y      */
    TLF_ITEM_RULE,       /* horizontal line from x to x + w at y            */
    TLF_ITEM_PAGENUM,    /* "Page x of y", right edge at x, baseline y      */
    TLF_ITEM_POLYLINE,   /* open path through pts, stroked, style = dash    */
    TLF_ITEM_POLYGON,    /* closed path through pts, filled with grey level
                            gray at opacity w (0-1)                         */
    TLF_ITEM_MARK,       /* marker centred at x, y; w = its height/width,
                            style = tlf_mark_shape, size = line width       */
    TLF_ITEM_WATERMARK   /* text centred on the page at angle (degrees),
                            font size size, grey level gray                 */
} tlf_item_kind;

typedef enum tlf_dash { TLF_DASH_SOLID = 0, TLF_DASH_DASHED, TLF_DASH_DOTTED } tlf_dash;
typedef enum tlf_mark_shape {
    TLF_MARK_TICK = 0,   /* short vertical line (censoring)                 */
    TLF_MARK_CIRCLE,     /* filled circle                                   */
    TLF_MARK_SQUARE,     /* open square                                     */
    TLF_MARK_TRIANGLE,   /* open triangle                                   */
    TLF_MARK_HBAR        /* short horizontal line (error bar cap)           */
} tlf_mark_shape;

typedef struct tlf_item {
    tlf_item_kind kind;
    double x, y;         /* points                                          */
    double w;            /* text: measured width; rule: length              */
    double size;         /* font size (text) or line width (rule)           */
    int col;             /* table column (-1 when not a body cell)          */
    int row;             /* table body row (-1 when not a body cell)        */
    char *text;          /* UTF-8, owned; NULL for rules and page numbers   */
    double angle;        /* text, watermark: rotation in degrees (counter-
                            clockwise about x, y)                           */
    double gray;         /* polygon, watermark: grey level 0 (black)-1      */
    int style;           /* polyline: tlf_dash; mark: tlf_mark_shape        */
    double *pts;         /* polyline, polygon: x0 y0 x1 y1 ..., owned       */
    size_t npts;         /* number of points                                */
    unsigned color;      /* text: fill colour 0xRRGGBB (0: black); a
                            contents entry is drawn in link blue            */
} tlf_item;

/* A place inside an output that gets a bookmark under the output's own
 * (a subject of a listing, a parameter of a lab table): its label and the
 * y of the top of its first row on the page. */
typedef struct tlf_anchor {
    char *title;         /* owned                                           */
    double y;
} tlf_anchor;

typedef struct tlf_page {
    tlf_item *items;
    size_t n, cap;
    tlf_anchor *anchors; /* in page order                                   */
    size_t nanchors, capanchors;
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
/* A bookmark anchor at y (title copied). */
void tlf_page_anchor(tlf_page *pg, double y, const char *title);
/* Text rotated by angle degrees about its start (x, y). */
void tlf_page_text_rot(tlf_page *pg, double x, double y, double w, double size,
                       const char *text, double angle);
/* A polyline (npts points, xy = x0 y0 x1 y1 ..., copied). */
void tlf_page_polyline(tlf_page *pg, const double *xy, size_t npts, double line_width,
                       tlf_dash dash);
/* A filled polygon (grey level gray, opacity 0-1). */
void tlf_page_polygon(tlf_page *pg, const double *xy, size_t npts, double gray,
                      double opacity);
/* A straight line from (x0, y0) to (x1, y1). */
void tlf_page_line(tlf_page *pg, double x0, double y0, double x1, double y1,
                   double line_width, tlf_dash dash);
void tlf_page_mark(tlf_page *pg, double x, double y, double size, double line_width,
                   tlf_mark_shape shape);
/* Diagonal watermark text (e.g. "DRAFT") on every page of plan, along the
 * page diagonal, light grey; the renderer draws it under the content. */
void tlf_plan_watermark(tlf_plan *plan, const char *text);
/* The same on page index i only. */
void tlf_page_watermark(tlf_plan *plan, size_t i, const char *text);

/* Number of items of kind on page index pg (all pages when pg is
 * (size_t)-1); for tests and debug counts. */
size_t tlf_plan_count(const tlf_plan *plan, size_t pg, tlf_item_kind kind, int style);
/* Free the first n pages and move the rest to the front (streaming: pages
 * already drawn are dropped so memory stays bounded). */
void tlf_plan_drop_pages(tlf_plan *plan, size_t n);

/* One line per item ("page kind x y w size col row text"), for tests and
 * for debugging a template's layout (tlfgen render --layout-dump). Paths
 * print "npts=N style=S" as their text; marks "style=S"; rotated text
 * "angle=A <text>". Bookmark anchors follow, one line each:
 * "page anchor 0 y 0 0 -1 -1 <title>". */
void tlf_plan_dump(const tlf_plan *plan, FILE *f);

#endif
