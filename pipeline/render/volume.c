/*
 * volume.c - combined volume: cover, contents, outputs, bookmarks, links
 * (see volume.h).
 *
 * Stage: render. Steps: (1) plan every output with the document's font
 * metrics; (2) plan the contents once with provisional page numbers to
 * learn its page count (its page column has a fixed width, so the count
 * does not depend on the numbers), then again with the real ones; (3)
 * draw cover, contents and outputs with their page offsets and the
 * volume's total; (4) bookmarks and contents links point at the pages.
 */
#include "render/volume.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "layout/document.h"
#include "render/output.h"
#include "render/pdf.h"

/* Contents entries are links, and look it. */
#define LINK_RGB 0x0645ADu

/* The bookmark level above the outputs: the CSR appendix sections of ICH
 * E3 (generic headings, not the study's). An output numbered "14.2.x"
 * goes under "14.2"; a number outside these (the data-issues listing, a
 * site's own output) is a top-level bookmark. */
static const struct { const char *num, *name; } ich_sections[] = {
    {"14.1", "14.1 Demographic data"}, {"14.2", "14.2 Efficacy data"},
    {"14.3", "14.3 Safety data"},      {"16.2", "16.2 Subject data listings"},
};

/* Index into ich_sections of output number num, or -1. */
static int section_of(const char *num)
{
    size_t n = sizeof ich_sections / sizeof ich_sections[0];
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(ich_sections[i].num);
        if (strncmp(num, ich_sections[i].num, l) == 0 && (num[l] == '.' || num[l] == '\0'))
            return (int)i;
    }
    return -1;
}

/* Page setup of the volume's own pages (cover, contents): landscape. */
static int own_setup(tlf_page_setup *ps, const tlf_volume_opts *vo, tlf_err *err)
{
    ps->margin = 20.0 * 72.0 / 25.4;
    ps->font_size = 9;
    return tlf_paper_size(vo && vo->paper ? vo->paper : "A4", 1, &ps->page_w, &ps->page_h, err);
}

int tlf_volume_write(const char *path, tlf_template *const *tpls, size_t n, const tlf_ard *ard,
                     const char *adam_path, const tlf_render_ctx *ctx,
                     const tlf_volume_opts *vo, tlf_err *err)
{
    tlf_pdf *pdf = NULL;
    const tlf_plan **plans = xcalloc(n + 1, sizeof *plans);
    tlf_plan **mine = xcalloc(n + 1, sizeof *mine);    /* the plans made here */
    tlf_plan *cover = NULL, *toc = NULL;
    tlf_toc_entry *e = xcalloc(n + 1, sizeof *e);
    char **names = xcalloc(n + 1, sizeof *names);
    char *title = NULL;
    tlf_page_setup ps;
    int rc;
    if ((rc = own_setup(&ps, vo, err)) != 0 ||
        (rc = tlf_pdf_new(&pdf, vo ? vo->font_dir : NULL, err)) != 0)
        goto done;
    tlf_measurer m = tlf_pdf_measurer(pdf);
    tlf_output_opts oo = {vo ? vo->paper : NULL, 0, NULL};
    for (size_t i = 0; i < n && !rc; i++) {
        plans[i] = vo && vo->plans ? vo->plans[i] : NULL;
        if (plans[i]) {
            /* Measured as laying it out would: the fonts its text needs
             * are loaded (the Japanese one on first use) before the first
             * page, and their glyphs marked for the subsets, so the file
             * is the one a volume that lays the output out writes. */
            for (size_t p = 0; p < plans[i]->npages; p++)
                for (size_t k = 0; k < plans[i]->pages[p].n; k++) {
                    const tlf_item *it = &plans[i]->pages[p].items[k];
                    if (it->text)
                        m.width(m.ctx, it->text, strlen(it->text), it->size);
                }
        } else {
            rc = tlf_output_plan(&mine[i], pdf, tpls[i], ard, adam_path, ctx, &oo, err);
            plans[i] = mine[i];
        }
    }
    if (rc)
        goto done;
    tlf_cover cv = {vo ? vo->title : NULL, vo ? vo->profile : NULL, vo ? vo->date : NULL, n};
    if ((rc = tlf_cover_plan(&cover, &cv, &ps, ctx, m, err)) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        names[i] = tlf_output_name(tpls[i]);
        e[i].number = names[i];
        e[i].title = tpls[i]->ntitles ? tpls[i]->titles[0] : "";
        e[i].page = 1;
    }
    size_t toc_pages = 0;
    for (int pass = 0; pass < 2; pass++) {
        tlf_plan_free(toc);
        toc = NULL;
        if ((rc = tlf_toc_plan(&toc, e, n, &ps, ctx, m, err)) != 0)
            goto done;
        toc_pages = toc->npages;
        size_t page = cover->npages + toc_pages + 1;
        for (size_t i = 0; i < n; i++) {
            e[i].page = page;
            page += plans[i]->npages;
        }
    }
    size_t total = e[n ? n - 1 : 0].page - 1 + (n ? plans[n - 1]->npages : 0);
    if (!n)
        total = cover->npages + toc_pages;
    for (size_t p = 0; p < toc->npages; p++)
        for (size_t k = 0; k < toc->pages[p].n; k++)
            if (toc->pages[p].items[k].row >= 0 && toc->pages[p].items[k].kind == TLF_ITEM_TEXT)
                toc->pages[p].items[k].color = LINK_RGB;
    if (ctx->draft) {
        tlf_plan_watermark(cover, TLF_DRAFT_TEXT);
        tlf_plan_watermark(toc, TLF_DRAFT_TEXT);
    }
    title = vo && vo->title ? xstrdup(vo->title)
                            : xasprintf("%s Tables, Figures and Listings",
                                        ctx->study ? ctx->study : "");
    tlf_pdf_info info = {title, ctx->protocol ? ctx->protocol : title, ctx->study,
                         ctx->program_version, vo ? vo->date : NULL};
    if ((rc = tlf_pdf_set_info(pdf, &info, err)) != 0 ||
        (rc = tlf_pdf_draw_plan(pdf, cover, 0, total, err)) != 0 ||
        (rc = tlf_pdf_draw_plan(pdf, toc, cover->npages, total, err)) != 0)
        goto done;
    for (size_t i = 0; i < n && !rc; i++)
        rc = tlf_pdf_draw_plan(pdf, plans[i], e[i].page - 1, total, err);
    if (rc)
        goto done;
    if ((rc = tlf_pdf_bookmark(pdf, 0, "Cover", err)) != 0 ||
        (rc = tlf_pdf_bookmark(pdf, cover->npages, "Table of contents", err)) != 0)
        goto done;
    /* section (open) -> output -> its subjects or parameters */
    size_t sec_id[sizeof ich_sections / sizeof ich_sections[0]] = {0};
    for (size_t i = 0; i < n && !rc; i++) {
        int s = section_of(tpls[i]->number);
        if (s >= 0 && !sec_id[s])
            rc = tlf_pdf_outline(pdf, 0, e[i].page - 1, plans[i]->page_h, ich_sections[s].name, 1,
                                 &sec_id[s], err);
        if (!rc)
            rc = tlf_output_bookmarks(pdf, tpls[i], plans[i], s >= 0 ? sec_id[s] : 0,
                                      e[i].page - 1, NULL, err);
    }
    /* each contents row links to its output: the box around its items */
    for (size_t p = 0; p < toc->npages && !rc; p++)
        for (size_t i = 0; i < n && !rc; i++) {
            double y0 = 1e9, y1 = -1e9;
            const tlf_page *pg = &toc->pages[p];
            for (size_t k = 0; k < pg->n; k++)
                if (pg->items[k].row == (int)i) {
                    if (pg->items[k].y < y0)
                        y0 = pg->items[k].y;
                    if (pg->items[k].y + pg->items[k].size > y1)
                        y1 = pg->items[k].y + pg->items[k].size;
                }
            if (y1 > y0)
                rc = tlf_pdf_link(pdf, cover->npages + p, ps.margin, y0 - 2, ps.page_w - ps.margin,
                                  y1, e[i].page - 1, err);
        }
    if (!rc)
        rc = tlf_pdf_save(pdf, path, err);
done:
    for (size_t i = 0; i < n; i++) {
        tlf_plan_free(mine[i]);
        free(names[i]);
    }
    free(plans);
    free(mine);
    free(names);
    free(e);
    free(title);
    tlf_plan_free(cover);
    tlf_plan_free(toc);
    tlf_pdf_free(pdf);
    return rc;
}
