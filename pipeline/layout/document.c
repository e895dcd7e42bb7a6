/*
 * document.c - cover page and table of contents of a volume (document.h).
 *
 * Stage: layout. The cover is a framed page with centred lines; the
 * contents are a three-column table model (output, title, page) given to
 * the ordinary paginator, the page column with a fixed width so the
 * layout does not depend on the page numbers' digits.
 */
#include "layout/document.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define D(s) ((s) && *(s) ? (s) : "-")

/* A table model without a template: number, optional title, columns. */
static tlf_table *bare_table(const char *number, const char *title, const char *const *headers,
                             size_t ncols)
{
    tlf_table *tab = xcalloc(1, sizeof *tab);
    tab->kind = TLF_TPL_TABLE;
    tab->number = xstrdup(number);
    tab->titles = xcalloc(2, sizeof *tab->titles);
    if (title)
        tab->titles[tab->ntitles++] = xstrdup(title);
    tab->footnotes = xcalloc(1, sizeof *tab->footnotes);
    tab->font_size = 9;
    tab->landscape = 1;
    tab->ncols = ncols;
    tab->cols = xcalloc(ncols ? ncols : 1, sizeof *tab->cols);
    for (size_t i = 0; i < ncols; i++)
        tab->cols[i].header = xstrdup(headers[i]);
    return tab;
}

static void centred(tlf_page *pg, tlf_measurer m, double xc, double y, double size,
                    const char *s)
{
    double w = m.width(m.ctx, s, strlen(s), size);
    tlf_page_text(pg, xc - w / 2, y, w, size, s, strlen(s), -1, -1);
}

int tlf_cover_plan(tlf_plan **out, const tlf_cover *cv, const tlf_page_setup *ps,
                   const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err)
{
    *out = NULL;
    tlf_table *tab = bare_table("", NULL, NULL, 0);
    tlf_plan *plan = tlf_plan_new(ps->page_w, ps->page_h);
    tlf_frame fr;
    int rc = tlf_frame_open(&fr, plan, tab, ps, ctx, m, err);
    tlf_table_free(tab);
    if (rc) {
        tlf_plan_free(plan);
        return rc;
    }
    double xc = (fr.left + fr.right) / 2, y = fr.top - (fr.top - fr.bottom) * 0.18;
    char *title = cv->title ? xstrdup(cv->title)
                            : xasprintf("%s Tables, Figures and Listings", D(ctx->study));
    centred(fr.page, m, xc, y, 20, title);
    free(title);
    y -= 30;
    char *proto = xasprintf("Protocol %s", D(ctx->protocol));
    centred(fr.page, m, xc, y, 13, proto);
    free(proto);
    y -= 40;
    char nout[32];
    snprintf(nout, sizeof nout, "%zu", cv->noutputs);
    const char *rows[][2] = {
        {"Study", D(ctx->study)},         {"Protocol", D(ctx->protocol)},
        {"Run profile", D(cv->profile)},  {"Data cut-off", D(ctx->cutoff)},
        {"Database status", D(ctx->db_status)}, {"Database SHA-256", D(ctx->db_sha256)},
        {"Run id", D(ctx->run_id)},       {"Program", D(ctx->program_version)},
        {"Document date", D(cv->date)},   {"Outputs", nout},
    };
    /* Keys right-aligned against values, the pair block centred on the
     * page by its widest line (the 64-character SHA-256 is the widest);
     * a value that still does not fit within the margins continues on
     * the next line, broken between characters (hex digits, ids). */
    double size = 11, lead = 1.5 * size, kw = 0, vw = 0;
    size_t nrows = sizeof rows / sizeof rows[0];
    for (size_t i = 0; i < nrows; i++) {
        double w = m.width(m.ctx, rows[i][0], strlen(rows[i][0]), size);
        kw = w > kw ? w : kw;
        w = m.width(m.ctx, rows[i][1], strlen(rows[i][1]), size);
        vw = w > vw ? w : vw;
    }
    double xk = xc - (kw + 20 + vw) / 2;
    if (xk < fr.left)
        xk = fr.left;
    double xv = xk + kw + 20;
    for (size_t i = 0; i < nrows; i++, y -= lead) {
        double w = m.width(m.ctx, rows[i][0], strlen(rows[i][0]), size);
        tlf_page_text(fr.page, xk + kw - w, y, w, size, rows[i][0],
                      strlen(rows[i][0]), -1, -1);
        const char *v = rows[i][1];
        size_t len = strlen(v);
        while (len) {
            size_t take = len;
            while (take > 1 && xv + m.width(m.ctx, v, take, size) > fr.right)
                take--;
            while (take < len && ((unsigned char)v[take] & 0xC0) == 0x80)
                take++;   /* never split a UTF-8 character */
            w = m.width(m.ctx, v, take, size);
            tlf_page_text(fr.page, xv, y, w, size, v, take, -1, -1);
            v += take;
            len -= take;
            if (len)
                y -= lead;
        }
    }
    if (ctx->draft) {
        y -= lead;
        char *note = xasprintf("DRAFT: database status %s is not %s; not for final reporting",
                               D(ctx->db_status), TLF_FINAL_STATUS);
        centred(fr.page, m, xc, y, size, note);
        free(note);
    }
    *out = plan;
    return 0;
}

int tlf_toc_plan(tlf_plan **out, const tlf_toc_entry *e, size_t n, const tlf_page_setup *ps,
                 const tlf_render_ctx *ctx, tlf_measurer m, tlf_err *err)
{
    static const char *const headers[] = {"Output", "Title", "Page"};
    tlf_table *tab = bare_table("Table of contents", NULL, headers, 3);
    tab->cols[2].align = TLF_ALIGN_RIGHT;
    tab->cols[2].width_pct = 8;
    for (size_t i = 0; i < n; i++) {
        char **cells = xcalloc(3, sizeof *cells);
        cells[0] = xstrdup(e[i].number);
        cells[1] = xstrdup(e[i].title ? e[i].title : "");
        cells[2] = xasprintf("%zu", e[i].page);
        tlf_table_add_row(tab, cells, 0, i, 0);
    }
    int rc = tlf_paginate(out, tab, ps, ctx, m, err);
    tlf_table_free(tab);
    return rc;
}
