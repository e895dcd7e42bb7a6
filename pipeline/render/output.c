/*
 * output.c - template + ARD/dataset -> table model -> page plan.
 *
 * Stage: render. Glue only: the model comes from layout/table.h, the pages
 * from layout/paginate.h, the metrics from the PDF document.
 */
#include "render/output.h"

#include <stdlib.h>

#include "core/mem.h"
#include "core/stop.h"
#include "layout/figure.h"
#include "render/raster.h"

char *tlf_output_name(const tlf_template *t)
{
    return xasprintf("%s %s", t->kind == TLF_TPL_TABLE     ? "Table"
                              : t->kind == TLF_TPL_LISTING ? "Listing"
                                                           : "Figure",
                     t->number);
}

char *tlf_output_subject(const tlf_template *t)
{
    char *name = tlf_output_name(t);
    char *s = xasprintf("%s%s%s%s%s", name, t->ntitles ? " " : "", t->ntitles ? t->titles[0] : "",
                        t->population ? "; " : "", t->population ? t->population : "");
    free(name);
    return s;
}

int tlf_output_bookmarks(tlf_pdf *pdf, const tlf_template *t, const tlf_plan *plan,
                         size_t parent, size_t first_page, size_t *id, tlf_err *err)
{
    char *name = tlf_output_name(t);
    char *title = t->ntitles ? xasprintf("%s %s", name, t->titles[0]) : xstrdup(name);
    size_t me = 0;
    int rc = tlf_pdf_outline(pdf, parent, first_page, plan->page_h, title, 0, &me, err);
    if (!rc)
        rc = tlf_pdf_outline_plan(pdf, me, first_page, plan, err);
    if (!rc && id)
        *id = me;
    free(title);
    free(name);
    return rc;
}

int tlf_output_plan(tlf_plan **out, tlf_pdf *pdf, const tlf_template *t, const tlf_ard *ard,
                    const char *adam_path, const tlf_render_ctx *ctx,
                    const tlf_output_opts *opts, tlf_err *err)
{
    return tlf_output_plan_rtf(out, NULL, NULL, pdf, t, ard, adam_path, ctx, opts, err);
}

int tlf_output_plan_rtf(tlf_plan **out, tlf_buf *rtf, const tlf_rtf_info *rinfo, tlf_pdf *pdf,
                        const tlf_template *t, const tlf_ard *ard, const char *adam_path,
                        const tlf_render_ctx *ctx, const tlf_output_opts *opts, tlf_err *err)
{
    *out = NULL;
    tlf_table *tab = NULL;
    int rc;
    tlf_page_setup ps;
    const char *paper = t->paper ? t->paper : (opts && opts->paper ? opts->paper : "A4");
    if ((rc = tlf_paper_size(paper, t->landscape, &ps.page_w, &ps.page_h, err)) != 0)
        return rc;
    ps.margin = opts && opts->margin_pt > 0 ? opts->margin_pt : 20.0 * 72.0 / 25.4;
    ps.font_size = t->font_size;
    unsigned char *used = opts ? opts->ard_used : NULL;
    if (t->kind == TLF_TPL_FIGURE) {
        if (!ard)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a figure needs the ARD (--ard)", t->path);
        if (!rtf) {
            rc = tlf_figure_plan_framed(out, NULL, NULL, t, ard, used, &ps, ctx,
                                        tlf_pdf_measurer(pdf), err);
        } else {
            /* RTF: titles and footnotes as text, the plot area as a picture */
            tlf_table *frame = NULL;
            tlf_frame body;
            tlf_buf png = TLF_BUF_INIT;
            rc = tlf_figure_plan_framed(out, &frame, &body, t, ard, used, &ps, ctx,
                                        tlf_pdf_measurer(pdf), err);
            /* half a type size around the body: labels centred on its edges */
            double pad = 0.5 * ps.font_size;
            double x0 = body.left - pad, x1 = body.right + pad;
            double y0 = body.bottom - pad, y1 = body.top + pad;
            if (!rc)
                rc = tlf_plan_png(&png, *out, 0, x0, y0, x1, y1, TLF_RTF_PICTURE_DPI,
                                  tlf_pdf_font_dir(pdf), err);
            if (!rc) {
                tlf_rtf_picture pic = {(const unsigned char *)png.data, png.len, x1 - x0,
                                       y1 - y0};
                rc = tlf_rtf_write(rtf, frame, NULL, &pic, &ps, ctx, rinfo, err);
            }
            tlf_buf_free(&png);
            tlf_table_free(frame);
        }
    } else if (t->kind == TLF_TPL_TABLE) {
        if (!ard)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a table needs the ARD (--ard)", t->path);
        rc = tlf_table_from_ard_used(&tab, t, ard, used, err);
    } else {
        if (!adam_path)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a listing needs the derived datasets (--adam)",
                               t->path);
        rc = tlf_table_from_dataset(&tab, t, adam_path, err);
    }
    if (!rc && t->kind != TLF_TPL_FIGURE)
        rc = tlf_paginate(out, tab, &ps, ctx, tlf_pdf_measurer(pdf), err);
    if (!rc && rtf && t->kind != TLF_TPL_FIGURE && (rc = tlf_stop_check(err)) == 0) {
        tlf_table_geom *g = NULL;
        rc = tlf_table_geometry(&g, tab, &ps, tlf_pdf_measurer(pdf), err);
        if (!rc)
            rc = tlf_rtf_write(rtf, tab, g, NULL, &ps, ctx, rinfo, err);
        tlf_table_geom_free(g);
    }
    tlf_table_free(tab);
    if (!rc && ctx->draft)
        tlf_plan_watermark(*out, TLF_DRAFT_TEXT);
    return rc;
}
