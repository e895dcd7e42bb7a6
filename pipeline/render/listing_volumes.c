/*
 * listing_volumes.c - a huge listing split into volume files with bounded
 * memory (see volume.h, tlf_listing_volumes).
 *
 * Stage: render. Three passes over the dataset, each reading it in chunks
 * of CHUNK_ROWS rows (ending at group boundaries; the query runs once, the
 * later passes read its rows back from a spool file, layout/table.h
 * tlf_listing_spool): (1) column widths over
 * every row; (2) pagination without the pages' text (count only),
 * counting pages and dropping each as soon as
 * it is complete, so the total page count (and so the volume count) is
 * known; (3) the same pagination again, each completed page drawn into
 * the current volume's document and dropped; a full volume is saved and
 * freed before the next begins. Memory: one chunk of rows, one open page
 * and one volume's libharu document; not the listing's length.
 */
#include "render/volume.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/stop.h"
#include "layout/table.h"
#include "render/output.h"
#include "render/pdf.h"

#define CHUNK_ROWS 2000

char *tlf_volume_path(const char *path, size_t k, size_t nvol)
{
    size_t len = strlen(path);
    int digits = 1;
    for (size_t v = nvol; v >= 10; v /= 10)
        digits++;
    if (digits < 2)
        digits = 2;
    if (len > 4 && strcmp(path + len - 4, ".pdf") == 0)
        len -= 4;
    return xasprintf("%.*s_vol%0*zu.pdf", (int)len, path, digits, k);
}

typedef struct vol_state {
    const char *path;
    const tlf_volume_opts *vo;
    const tlf_render_ctx *ctx;
    const tlf_template *t;
    size_t per_volume, nvol, total;
    size_t page;               /* pages drawn so far over all volumes       */
    tlf_pdf *pdf;              /* the open volume                            */
    size_t outline;            /* its bookmark (0: none yet)                 */
    size_t vpage;              /* pages drawn into the open volume           */
} vol_state;

static int close_volume(vol_state *vs, tlf_err *err)
{
    if (!vs->pdf)
        return 0;
    size_t k = (vs->page - 1) / vs->per_volume + 1;
    char *file = tlf_volume_path(vs->path, k, vs->nvol);
    int rc = tlf_pdf_save(vs->pdf, file, err);
    free(file);
    tlf_pdf_free(vs->pdf);
    vs->pdf = NULL;
    vs->outline = 0;
    vs->vpage = 0;
    return rc;
}

/* Draw the completed pages of plan (the first n) into the volumes. */
static int draw_done(vol_state *vs, tlf_plan *plan, size_t n, tlf_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (!vs->pdf) {
            size_t k = vs->page / vs->per_volume + 1;
            if ((rc = tlf_pdf_new(&vs->pdf, vs->vo ? vs->vo->font_dir : NULL, err)) != 0)
                return rc;
            char *title = xasprintf("Listing %s (volume %zu of %zu)", vs->t->number, k, vs->nvol);
            char *subject = tlf_output_subject(vs->t);
            tlf_pdf_info info = {title, subject, vs->ctx->study, vs->ctx->program_version,
                                 vs->vo ? vs->vo->date : NULL};
            rc = tlf_pdf_set_info(vs->pdf, &info, err);
            free(subject);
            free(title);
            if (rc)
                return rc;
        }
        if (vs->ctx->draft)
            tlf_page_watermark(plan, i, TLF_DRAFT_TEXT);
        tlf_pagenum pn = {vs->page + 1, vs->total, vs->page / vs->per_volume + 1, vs->nvol};
        if ((rc = tlf_pdf_draw_page(vs->pdf, plan, i, &pn, err)) != 0)
            return rc;
        /* bookmarks: the volume, then each subject starting on the page */
        if (!vs->outline) {
            char *name = tlf_output_name(vs->t);
            char *bm = xasprintf("%s%s%s (volume %zu of %zu)", name, vs->t->ntitles ? " " : "",
                                 vs->t->ntitles ? vs->t->titles[0] : "", pn.volume, vs->nvol);
            rc = tlf_pdf_outline(vs->pdf, 0, vs->vpage, plan->page_h, bm, 1, &vs->outline, err);
            free(bm);
            free(name);
            if (rc)
                return rc;
        }
        for (size_t k = 0; k < plan->pages[i].nanchors; k++) {
            const tlf_anchor *a = &plan->pages[i].anchors[k];
            if ((rc = tlf_pdf_outline(vs->pdf, vs->outline, vs->vpage, a->y + 6, a->title, 0,
                                      NULL, err)) != 0)
                return rc;
        }
        vs->vpage++;
        vs->page++;
        if (vs->vo && vs->vo->progress)
            vs->vo->progress(vs->vo->progress_user, vs->page, vs->total);
        if (vs->page % vs->per_volume == 0 && (rc = close_volume(vs, err)) != 0)
            return rc;
    }
    return 0;
}

/* The completed pages: counted (pass 1) or drawn (pass 2), then freed. */
static int take_done(int pass, tlf_paginator *pg, tlf_plan *plan, vol_state *vs, tlf_err *err)
{
    size_t n = tlf_paginator_done_pages(pg);
    int rc = 0;
    if (pass == 1)
        vs->total += n;
    else
        rc = draw_done(vs, plan, n, err);
    tlf_paginator_drop_done(pg);
    return rc;
}

/* One pass over the listing. pass 0: measure; 1: count pages; 2: draw. */
static int run_pass(int pass, tlf_paginator *pg, tlf_listing_stream *ls,
                    const tlf_page_setup *ps, vol_state *vs, tlf_err *err)
{
    tlf_plan *plan = NULL;
    tlf_table *chunk = NULL;
    int rc = pass > 0 ? tlf_listing_rewind(ls, err) : 0;
    if (!rc && pass > 0) {
        tlf_paginator_count_only(pg, pass == 1);   /* pass 1 counts the pages */
        plan = tlf_plan_new(ps->page_w, ps->page_h);
        rc = tlf_paginator_start(pg, plan, err);
    }
    while (!rc && (rc = tlf_listing_next(ls, CHUNK_ROWS, &chunk, err)) == 0 && chunk) {
        if (pass == 0) {
            tlf_paginator_measure(pg, chunk);
        } else {
            tlf_paginator_feed(pg, chunk);
            rc = take_done(pass, pg, plan, vs, err);
        }
        tlf_table_free(chunk);
        chunk = NULL;
        if (!rc)
            rc = tlf_stop_check(err);   /* a signal stops a long listing between chunks */
    }
    if (!rc && pass > 0) {
        tlf_paginator_finish(pg);
        rc = take_done(pass, pg, plan, vs, err);
    }
    tlf_table_free(chunk);
    tlf_plan_free(plan);
    return rc;
}

int tlf_listing_volumes(const char *path, const tlf_template *t, const char *adam_path,
                        const tlf_render_ctx *ctx, const tlf_volume_opts *vo,
                        size_t pages_per_volume, size_t *nvolumes, size_t *npages,
                        tlf_err *err)
{
    if (t->kind != TLF_TPL_LISTING)
        return tlf_err_set(err, TLF_EUSAGE, "%s: only a listing is split into volumes", t->path);
    if (pages_per_volume == 0)
        return tlf_err_set(err, TLF_EUSAGE, "pages per volume must be at least 1");
    tlf_pdf *metrics = NULL;
    tlf_table *head = NULL;
    tlf_paginator *pg = NULL;
    tlf_listing_stream *ls = NULL;
    vol_state vs;
    memset(&vs, 0, sizeof vs);
    vs.path = path;
    vs.vo = vo;
    vs.ctx = ctx;
    vs.t = t;
    vs.per_volume = pages_per_volume;
    tlf_page_setup ps;
    const char *paper = t->paper ? t->paper : (vo && vo->paper ? vo->paper : "A4");
    int rc = tlf_paper_size(paper, t->landscape, &ps.page_w, &ps.page_h, err);
    ps.margin = 20.0 * 72.0 / 25.4;
    ps.font_size = t->font_size;
    if (!rc)
        rc = tlf_pdf_new(&metrics, vo ? vo->font_dir : NULL, err);
    if (rc)
        goto done;
    head = tlf_table_new(t);
    if ((rc = tlf_paginator_new(&pg, head, &ps, ctx, tlf_pdf_measurer(metrics), err)) != 0)
        goto done;
    if ((rc = tlf_listing_open(&ls, t, adam_path, err)) != 0)
        goto done;
    tlf_listing_spool(ls);
    for (int pass = 0; pass < 3 && !rc; pass++) {
        rc = run_pass(pass, pg, ls, &ps, &vs, err);
        if (pass == 1)
            vs.nvol = (vs.total + pages_per_volume - 1) / pages_per_volume;
    }
    if (!rc)
        rc = close_volume(&vs, err);
    if (!rc && vs.page != vs.total)
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: drew %zu pages, counted %zu", t->path, vs.page,
                         vs.total);
done:
    tlf_listing_close(ls);
    tlf_pdf_free(vs.pdf);
    tlf_paginator_free(pg);
    tlf_table_free(head);
    tlf_pdf_free(metrics);
    if (nvolumes)
        *nvolumes = vs.nvol;
    if (npages)
        *npages = vs.total;
    return rc;
}
