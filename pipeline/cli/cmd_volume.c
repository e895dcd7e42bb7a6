/* cmd_volume.c - `tlfgen volume`: several outputs in one bookmarked PDF
 * with a cover page and a table of contents (docs/figures.md). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/render_setup.h"
#include "core/tmpfile.h"
#include "layout/template.h"
#include "render/volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt OPTS[] = {
    {"template", "FILE", "output template (JSON), repeat in volume order; required", 1},
    {"ard", "FILE", "ard.csv (tables and figures)", 0},
    {"adam", "FILE", "adam.sqlite with the derived datasets (listings)", 0},
    {"out", "FILE", "PDF to write, required", 0},
    {"title", "TEXT", "volume title (cover and document info)", 0},
    RENDER_SETUP_OPTS,
    {NULL, NULL, NULL, 0}};

typedef struct volume_job {
    tlf_template **tpls;
    size_t n;
    const tlf_ard *ard;
    const char *adam;
    const tlf_render_ctx *ctx;
    const tlf_volume_opts *vo;
} volume_job;

static int write_volume(const char *file, void *user, tlf_err *err)
{
    const volume_job *j = user;
    return tlf_volume_write(file, j->tpls, j->n, j->ard, j->adam, j->ctx, j->vo, err);
}

int cmd_volume(int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(&a, "volume",
                       "tlfgen volume --template A.json [--template B.json ...] --ard ard.csv "
                       "[--adam adam.sqlite] --out volume.pdf",
                       "One PDF with a cover page, a table of contents and every output in the "
                       "order given, a bookmark per output and page numbers over the whole "
                       "volume. Anything but a HARD LOCK database status gives a DRAFT volume.",
                       OPTS, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_ard *ard = NULL;
    render_setup rs;
    memset(&rs, 0, sizeof rs);
    size_t ti = 0;
    while (OPTS[ti].name && strcmp(OPTS[ti].name, "template") != 0)
        ti++;
    size_t n = a.nall[ti];
    tlf_template **tpls = calloc(n + 1, sizeof *tpls);
    const char *out = cli_get(&a, OPTS, "out"), *ard_path = cli_get(&a, OPTS, "ard");
    int code = 0;
    if (!n || !out) {
        code = cli_usage_error("volume", "--template (at least one) and --out are required");
        goto done;
    }
    if ((rc = render_setup_load(&rs, &a, OPTS, &err)) != 0 ||
        (ard_path && (rc = tlf_ard_read(&ard, ard_path, &err)) != 0))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if ((rc = tlf_template_load_study(&tpls[i], a.all[ti][i], rs.study, &err)) != 0)
            goto fail;
    tlf_volume_opts vo = {cli_get(&a, OPTS, "title"), rs.profile, rs.date, rs.paper, rs.fonts,
                          NULL, NULL, NULL};
    /* under a temporary name, renamed when whole: a signal leaves no file */
    volume_job job = {tpls, n, ard, cli_get(&a, OPTS, "adam"), &rs.ctx, &vo};
    if ((rc = tlf_tmpfile_write(out, write_volume, &job, &err)) != 0)
        goto fail;
    goto done;
fail:
    code = cli_fail("volume", &err);
done:
    for (size_t i = 0; i < n; i++)
        tlf_template_free(tpls[i]);
    free(tpls);
    tlf_ard_free(ard);
    render_setup_free(&rs);
    cli_args_free(&a);
    return code;
}
