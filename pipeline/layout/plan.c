/*
 * plan.c - the page plan container (see plan.h).
 *
 * Stage: layout. Plain storage: pages of positioned items.
 */
#include "layout/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

tlf_plan *tlf_plan_new(double page_w, double page_h)
{
    tlf_plan *p = xcalloc(1, sizeof *p);
    p->page_w = page_w;
    p->page_h = page_h;
    return p;
}

static void page_free(tlf_page *pg)
{
    for (size_t j = 0; j < pg->n; j++) {
        free(pg->items[j].text);
        free(pg->items[j].pts);
    }
    free(pg->items);
    for (size_t j = 0; j < pg->nanchors; j++)
        free(pg->anchors[j].title);
    free(pg->anchors);
}

void tlf_plan_free(tlf_plan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->npages; i++)
        page_free(&plan->pages[i]);
    free(plan->pages);
    free(plan);
}

void tlf_plan_drop_pages(tlf_plan *plan, size_t n)
{
    if (n > plan->npages)
        n = plan->npages;
    for (size_t i = 0; i < n; i++)
        page_free(&plan->pages[i]);
    memmove(plan->pages, plan->pages + n, (plan->npages - n) * sizeof *plan->pages);
    plan->npages -= n;
}

tlf_page *tlf_plan_add_page(tlf_plan *plan)
{
    XGROW(plan->pages, plan->cap, plan->npages + 1);
    tlf_page *pg = &plan->pages[plan->npages++];
    memset(pg, 0, sizeof *pg);
    return pg;
}

static tlf_item *add(tlf_page *pg, tlf_item_kind kind)
{
    XGROW(pg->items, pg->cap, pg->n + 1);
    tlf_item *it = &pg->items[pg->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->col = -1;
    it->row = -1;
    return it;
}

void tlf_page_text(tlf_page *pg, double x, double y, double w, double size,
                   const char *text, size_t len, int col, int row)
{
    tlf_item *it = add(pg, TLF_ITEM_TEXT);
    it->x = x;
    it->y = y;
    it->w = w;
    it->size = size;
    it->col = col;
    it->row = row;
    it->text = xstrndup(text, len);
}

void tlf_page_rule(tlf_page *pg, double x, double y, double w, double line_width)
{
    tlf_item *it = add(pg, TLF_ITEM_RULE);
    it->x = x;
    it->y = y;
    it->w = w;
    it->size = line_width;
}

void tlf_page_pagenum(tlf_page *pg, double right_x, double y, double size)
{
    tlf_item *it = add(pg, TLF_ITEM_PAGENUM);
    it->x = right_x;
    it->y = y;
    it->size = size;
}

void tlf_page_anchor(tlf_page *pg, double y, const char *title)
{
    XGROW(pg->anchors, pg->capanchors, pg->nanchors + 1);
    pg->anchors[pg->nanchors].title = xstrdup(title);
    pg->anchors[pg->nanchors].y = y;
    pg->nanchors++;
}

void tlf_page_text_rot(tlf_page *pg, double x, double y, double w, double size,
                       const char *text, double angle)
{
    tlf_page_text(pg, x, y, w, size, text, strlen(text), -1, -1);
    pg->items[pg->n - 1].angle = angle;
}

static tlf_item *add_path(tlf_page *pg, tlf_item_kind kind, const double *xy, size_t npts)
{
    tlf_item *it = add(pg, kind);
    it->pts = xmalloc(2 * npts * sizeof *it->pts + 1);
    memcpy(it->pts, xy, 2 * npts * sizeof *it->pts);
    it->npts = npts;
    it->x = npts ? xy[0] : 0;
    it->y = npts ? xy[1] : 0;
    return it;
}

void tlf_page_polyline(tlf_page *pg, const double *xy, size_t npts, double line_width,
                       tlf_dash dash)
{
    tlf_item *it = add_path(pg, TLF_ITEM_POLYLINE, xy, npts);
    it->size = line_width;
    it->style = (int)dash;
}

void tlf_page_polygon(tlf_page *pg, const double *xy, size_t npts, double gray,
                      double opacity)
{
    tlf_item *it = add_path(pg, TLF_ITEM_POLYGON, xy, npts);
    it->gray = gray;
    it->w = opacity;
}

void tlf_page_line(tlf_page *pg, double x0, double y0, double x1, double y1,
                   double line_width, tlf_dash dash)
{
    double xy[4] = {x0, y0, x1, y1};
    tlf_page_polyline(pg, xy, 2, line_width, dash);
}

void tlf_page_mark(tlf_page *pg, double x, double y, double size, double line_width,
                   tlf_mark_shape shape)
{
    tlf_item *it = add(pg, TLF_ITEM_MARK);
    it->x = x;
    it->y = y;
    it->w = size;
    it->size = line_width;
    it->style = (int)shape;
}

void tlf_plan_watermark(tlf_plan *plan, const char *text)
{
    for (size_t i = 0; i < plan->npages; i++)
        tlf_page_watermark(plan, i, text);
}

void tlf_page_watermark(tlf_plan *plan, size_t i, const char *text)
{
    double diag = sqrt(plan->page_w * plan->page_w + plan->page_h * plan->page_h);
    {
        tlf_item *it = add(&plan->pages[i], TLF_ITEM_WATERMARK);
        it->x = plan->page_w / 2;
        it->y = plan->page_h / 2;
        it->angle = atan2(plan->page_h, plan->page_w) * 180.0 / M_PI;
        it->size = diag / 7.0;        /* five letters span about half the diagonal */
        it->gray = 0.9;
        it->text = xstrdup(text);
    }
}

size_t tlf_plan_count(const tlf_plan *plan, size_t pg, tlf_item_kind kind, int style)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->npages; i++) {
        if (pg != (size_t)-1 && i != pg)
            continue;
        for (size_t j = 0; j < plan->pages[i].n; j++)
            if (plan->pages[i].items[j].kind == kind &&
                (style < 0 || plan->pages[i].items[j].style == style))
                n++;
    }
    return n;
}

void tlf_plan_dump(const tlf_plan *plan, FILE *f)
{
    static const char *const kinds[] = {"text", "rule", "pagenum", "polyline",
                                        "polygon", "mark", "watermark"};
    for (size_t i = 0; i < plan->npages; i++)
        for (size_t j = 0; j < plan->pages[i].n; j++) {
            const tlf_item *it = &plan->pages[i].items[j];
            fprintf(f, "%zu %s %.3f %.3f %.3f %.2f %d %d ", i + 1, kinds[it->kind],
                    it->x, it->y, it->w, it->size, it->col, it->row);
            if (it->kind == TLF_ITEM_POLYLINE || it->kind == TLF_ITEM_POLYGON)
                fprintf(f, "npts=%zu style=%d\n", it->npts, it->style);
            else if (it->kind == TLF_ITEM_MARK)
                fprintf(f, "style=%d\n", it->style);
            else if (it->angle != 0)
                fprintf(f, "angle=%.2f %s\n", it->angle, it->text ? it->text : "");
            else
                fprintf(f, "%s\n", it->text ? it->text : "");
        }
    for (size_t i = 0; i < plan->npages; i++)
        for (size_t j = 0; j < plan->pages[i].nanchors; j++)
            fprintf(f, "%zu anchor 0 %.3f 0 0 -1 -1 %s\n", i + 1, plan->pages[i].anchors[j].y,
                    plan->pages[i].anchors[j].title);
}
