/*
 * plan.c - the page plan container (see plan.h).
 *
 * Stage: layout. Plain storage: pages of positioned items.
 */
#include "layout/plan.h"

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

void tlf_plan_free(tlf_plan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->npages; i++) {
        for (size_t j = 0; j < plan->pages[i].n; j++)
            free(plan->pages[i].items[j].text);
        free(plan->pages[i].items);
    }
    free(plan->pages);
    free(plan);
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

void tlf_plan_dump(const tlf_plan *plan, FILE *f)
{
    static const char *const kinds[] = {"text", "rule", "pagenum"};
    for (size_t i = 0; i < plan->npages; i++)
        for (size_t j = 0; j < plan->pages[i].n; j++) {
            const tlf_item *it = &plan->pages[i].items[j];
            fprintf(f, "%zu %s %.3f %.3f %.3f %.2f %d %d %s\n", i + 1, kinds[it->kind],
                    it->x, it->y, it->w, it->size, it->col, it->row,
                    it->text ? it->text : "");
        }
}
