/*
 * output.c - template + ARD/dataset -> table model -> page plan.
 *
 * Stage: render. Glue only: the model comes from layout/table.h, the pages
 * from layout/paginate.h, the metrics from the PDF document.
 */
#include "render/output.h"

#include "layout/figure.h"

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
    if (t->kind == TLF_TPL_FIGURE) {
        if (!ard)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a figure needs the ARD (--ard)", t->path);
        rc = tlf_figure_plan(out, t, ard, &ps, ctx, tlf_pdf_measurer(pdf), err);
    } else if (t->kind == TLF_TPL_TABLE) {
        if (!ard)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a table needs the ARD (--ard)", t->path);
        rc = tlf_table_from_ard(&tab, t, ard, err);
    } else {
        if (!adam_path)
            return tlf_err_set(err, TLF_EUSAGE, "%s: a listing needs the derived datasets (--adam)",
                               t->path);
        rc = tlf_table_from_dataset(&tab, t, adam_path, err);
    }
    if (!rc && t->kind != TLF_TPL_FIGURE)
        rc = tlf_paginate(out, tab, &ps, ctx, tlf_pdf_measurer(pdf), err);
    if (!rc && rtf && t->kind != TLF_TPL_FIGURE) {
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
