/* cmd_render.c - `tlfgen render`: one output from a template to a PDF, for
 * people writing templates (docs/templates.md, docs/figures.md); with
 * --volume-pages a long listing is split into volume files. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/render_setup.h"
#include "core/tmpfile.h"
#include "layout/template.h"
#include "render/output.h"
#include "render/volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_opt OPTS[] = {
    {"template", "FILE", "output template (JSON), required", 0},
    {"ard", "FILE", "ard.csv (tables and figures)", 0},
    {"adam", "FILE", "adam.sqlite with the derived datasets (listings)", 0},
    {"out", "FILE", "PDF to write, required", 0},
    RENDER_SETUP_OPTS,
    {"volume-pages", "N", "listings: split into files of N pages (OUT_vol<k>.pdf)", 0},
    {"rtf", "FILE", "also write the output as RTF (same layout, docs/rtf.md)", 0},
    {"layout-dump", "FILE", "also write every placed item (page kind x y w size col row text)", 0},
    {NULL, NULL, NULL, 0}};

static int write_dump(const char *dump, const tlf_plan *plan, tlf_err *err)
{
    FILE *f = fopen(dump, "w");
    if (!f)
        return tlf_err_set(err, TLF_EOUTPUT, "cannot write %s", dump);
    tlf_plan_dump(plan, f);
    if (fclose(f) != 0)
        return tlf_err_set(err, TLF_EOUTPUT, "cannot write %s", dump);
    return 0;
}

/* The listing's volume files, made whole together: drawn under a
 * temporary stem beside out (a reserved empty file, so the stem is
 * unique), then renamed to out's volume names at once; a signal or a
 * failure leaves no volume (tlf_fileset). */
static int listing_volumes(const char *out, const tlf_template *t, const char *adam,
                           const tlf_render_ctx *ctx, const tlf_volume_opts *vo, size_t vpages,
                           size_t *nvol, size_t *npages, tlf_err *err)
{
    char *stem = NULL;
    int rc = tlf_tmpfile_create(&stem, out, err);
    if (rc != TLF_OK)
        return rc;
    rc = tlf_listing_volumes(stem, t, adam, ctx, vo, vpages, nvol, npages, err);
    tlf_fileset files = TLF_FILESET_INIT;
    for (size_t k = 1; k <= *nvol; k++) {
        char *v = tlf_volume_path(stem, k, *nvol), *o = tlf_volume_path(out, k, *nvol);
        tlf_fileset_adopt(&files, v, o);
        free(v);
        free(o);
    }
    if (rc == TLF_OK)
        rc = tlf_fileset_commit(&files, err);
    else
        tlf_fileset_discard(&files);
    unlink(stem);
    free(stem);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(&a, "render",
                       "tlfgen render --template FILE (--ard ard.csv | --adam adam.sqlite) --out x.pdf",
                       "Render one table, listing or figure from its template. Tables and figures "
                       "read only the ARD, listings only the derived datasets; nothing is computed "
                       "here. Two renders of the same input give the same bytes.",
                       OPTS, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_template *t = NULL;
    tlf_ard *ard = NULL;
    tlf_pdf *pdf = NULL;
    tlf_plan *plan = NULL;
    render_setup rs;
    memset(&rs, 0, sizeof rs);
    const char *tpath = cli_get(&a, OPTS, "template"), *out = cli_get(&a, OPTS, "out");
    const char *ard_path = cli_get(&a, OPTS, "ard"), *adam = cli_get(&a, OPTS, "adam");
    const char *dump = cli_get(&a, OPTS, "layout-dump"), *vp = cli_get(&a, OPTS, "volume-pages");
    const char *rtf_path = cli_get(&a, OPTS, "rtf");
    tlf_buf rtf = TLF_BUF_INIT;
    tlf_fileset files = TLF_FILESET_INIT;
    int code = 0;
    if (!tpath || !out) {
        code = cli_usage_error("render", "--template and --out are required");
        goto done;
    }
    long vpages = 0;
    if (vp) {
        char *end;
        vpages = strtol(vp, &end, 10);
        if (*end || vpages < 1 || dump || rtf_path) {
            code = cli_usage_error("render", dump || rtf_path ? "--volume-pages does not take --layout-dump or --rtf"
                                                  : "--volume-pages: '%s' is not a positive number",
                                   vp);
            goto done;
        }
    }
    if ((rc = render_setup_load(&rs, &a, OPTS, &err)) != 0 ||
        (rc = tlf_template_load_study(&t, tpath, rs.study, &err)) != 0 ||
        (ard_path && (rc = tlf_ard_read(&ard, ard_path, &err)) != 0))
        goto fail;
    if (vpages) {
        if (!adam) {
            rc = tlf_err_set(&err, TLF_EUSAGE, "%s: a listing needs the derived datasets (--adam)",
                             t->path);
            goto fail;
        }
        tlf_volume_opts vo = {NULL, rs.profile, rs.date, rs.paper, rs.fonts, NULL, NULL, NULL};
        size_t nvol = 0, npages = 0;
        if ((rc = listing_volumes(out, t, adam, &rs.ctx, &vo, (size_t)vpages, &nvol, &npages,
                                  &err)) != 0)
            goto fail;
        printf("%zu pages in %zu volume%s\n", npages, nvol, nvol == 1 ? "" : "s");
        goto done;
    }
    if ((rc = tlf_pdf_new(&pdf, rs.fonts, &err)) != 0)
        goto fail;
    tlf_output_opts oo = {rs.paper, 0, NULL};
    const char *title = t->ntitles ? t->titles[0] : t->number;
    tlf_rtf_info rinfo = {title, t->number, rs.ctx.study, rs.ctx.program_version, rs.date};
    if ((rc = tlf_output_plan_rtf(&plan, rtf_path ? &rtf : NULL, &rinfo, pdf, t, ard, adam,
                                  &rs.ctx, &oo, &err)) != 0)
        goto fail;
    char *subject = tlf_output_subject(t);
    tlf_pdf_info info = {title, subject, rs.ctx.study, rs.ctx.program_version, rs.date};
    rc = tlf_pdf_set_info(pdf, &info, &err);
    free(subject);
    /* the PDF, its RTF and dump are written whole under temporary names,
     * then renamed together: a signal or failure leaves none of them */
    const char *file = NULL;
    if (rc != 0 || (rc = tlf_pdf_draw_plan(pdf, plan, 0, 0, &err)) != 0 ||
        (rc = tlf_output_bookmarks(pdf, t, plan, 0, 0, NULL, &err)) != 0 ||
        (rc = tlf_fileset_add(&files, out, &file, &err)) != 0 ||
        (rc = tlf_pdf_save(pdf, file, &err)) != 0 ||
        (rtf_path && ((rc = tlf_fileset_add(&files, rtf_path, &file, &err)) != 0 ||
                      (rc = tlf_rtf_save(&rtf, file, &err)) != 0)) ||
        (dump && ((rc = tlf_fileset_add(&files, dump, &file, &err)) != 0 ||
                  (rc = write_dump(file, plan, &err)) != 0)) ||
        (rc = tlf_fileset_commit(&files, &err)) != 0)
        goto fail;
    goto done;
fail:
    code = cli_fail("render", &err);
done:
    tlf_fileset_discard(&files);
    tlf_buf_free(&rtf);
    tlf_plan_free(plan);
    tlf_pdf_free(pdf);
    tlf_ard_free(ard);
    tlf_template_free(t);
    render_setup_free(&rs);
    cli_args_free(&a);
    return code;
}
