/* cmd_render.c - `tlfgen render`: one output from a template to a PDF, for
 * people writing templates (docs/templates.md). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "layout/template.h"
#include "render/output.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const cli_opt OPTS[] = {
    {"template", "FILE", "output template (JSON), required", 0},
    {"ard", "FILE", "ard.csv (tables)", 0},
    {"adam", "FILE", "adam.sqlite with the derived datasets (listings)", 0},
    {"out", "FILE", "PDF to write, required", 0},
    {"context", "FILE", "JSON with study, protocol, run_id, db_sha256, cutoff, db_status, ...", 0},
    {"study", "TEXT", "study name in the page header", 0},
    {"protocol", "TEXT", "protocol number in the page header", 0},
    {"run-id", "ID", "run id for the source line", 0},
    {"db-sha256", "HEX", "database SHA-256 for the source line", 0},
    {"cutoff", "DATE", "data cut-off for the source line", 0},
    {"db-status", "TEXT", "database status (HARD LOCK, SOFT LOCK, ...)", 0},
    {"draft", NULL, "print DRAFT in the page header", 0},
    {"paper", "SIZE", "A4 (default) or letter, when the template names none", 0},
    {"date", "DATE", "document date YYYY-MM-DD (else SOURCE_DATE_EPOCH, else none)", 0},
    {"fonts", "DIR", "font folder (default: TLFGEN_FONT_DIR or the source fonts/)", 0},
    {"layout-dump", "FILE", "also write every placed item (page kind x y w size col row text)", 0},
    {NULL, NULL, NULL, 0}};

static const char *pick(const char *opt, const char *ctx_val)
{
    return opt ? opt : ctx_val;
}

int cmd_render(int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(&a, "render",
                       "tlfgen render --template FILE (--ard ard.csv | --adam adam.sqlite) --out x.pdf",
                       "Render one table or listing from its template. Tables read only the ARD, "
                       "listings only the derived datasets; nothing is computed here. Two renders "
                       "of the same input give the same bytes.",
                       OPTS, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_template *t = NULL;
    tlf_ard *ard = NULL;
    tlf_context_file *cf = NULL;
    tlf_pdf *pdf = NULL;
    tlf_plan *plan = NULL;
    const char *tpath = cli_get(&a, OPTS, "template"), *out = cli_get(&a, OPTS, "out");
    const char *ard_path = cli_get(&a, OPTS, "ard"), *adam = cli_get(&a, OPTS, "adam");
    const char *dump = cli_get(&a, OPTS, "layout-dump");
    char datebuf[32];
    int code = 0;
    if (!tpath || !out) {
        code = cli_usage_error("render", "--template and --out are required");
        goto done;
    }
    const char *ctxp = cli_get(&a, OPTS, "context");
    if ((ctxp && (rc = tlf_context_load(&cf, ctxp, &err)) != 0) ||
        (rc = tlf_template_load(&t, tpath, &err)) != 0 ||
        (ard_path && (rc = tlf_ard_read(&ard, ard_path, &err)) != 0) ||
        (rc = tlf_pdf_new(&pdf, cli_get(&a, OPTS, "fonts"), &err)) != 0)
        goto fail;
    tlf_context_file none;
    memset(&none, 0, sizeof none);
    const tlf_context_file *c = cf ? cf : &none;
    char version[64];
    snprintf(version, sizeof version, "tlfgen %s", TLFGEN_VERSION);
    tlf_render_ctx ctx = {
        pick(cli_get(&a, OPTS, "study"), c->study),
        pick(cli_get(&a, OPTS, "protocol"), c->protocol),
        pick(cli_get(&a, OPTS, "run-id"), c->run_id),
        pick(cli_get(&a, OPTS, "db-sha256"), c->db_sha256),
        pick(cli_get(&a, OPTS, "cutoff"), c->cutoff),
        pick(cli_get(&a, OPTS, "db-status"), c->db_status),
        c->program_version ? c->program_version : version,
        cli_get(&a, OPTS, "draft") ? 1 : c->draft,
    };
    const char *date = pick(cli_get(&a, OPTS, "date"), c->date);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!date && sde && *sde) {
        char *end;
        long long epoch = strtoll(sde, &end, 10);
        struct tm tm;
        time_t tt = (time_t)epoch;
        if (*end || epoch < 0 || !gmtime_r(&tt, &tm)) {
            rc = tlf_err_set(&err, TLF_EUSAGE, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", sde);
            goto fail;
        }
        strftime(datebuf, sizeof datebuf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        date = datebuf;
    }
    tlf_output_opts oo = {pick(cli_get(&a, OPTS, "paper"), c->paper), 0};
    if ((rc = tlf_output_plan(&plan, pdf, t, ard, adam, &ctx, &oo, &err)) != 0)
        goto fail;
    char *title = NULL;
    title = t->ntitles ? t->titles[0] : t->number;
    tlf_pdf_info info = {title, t->number, ctx.study, ctx.program_version, date};
    if ((rc = tlf_pdf_set_info(pdf, &info, &err)) != 0 ||
        (rc = tlf_pdf_draw_plan(pdf, plan, 0, 0, &err)) != 0 ||
        (rc = tlf_pdf_save(pdf, out, &err)) != 0)
        goto fail;
    if (dump) {
        FILE *f = fopen(dump, "w");
        if (!f) {
            rc = tlf_err_set(&err, TLF_EOUTPUT, "cannot write %s", dump);
            goto fail;
        }
        tlf_plan_dump(plan, f);
        if (fclose(f) != 0) {
            rc = tlf_err_set(&err, TLF_EOUTPUT, "cannot write %s", dump);
            goto fail;
        }
    }
    goto done;
fail:
    code = cli_fail("render", &err);
done:
    tlf_plan_free(plan);
    tlf_pdf_free(pdf);
    tlf_ard_free(ard);
    tlf_template_free(t);
    tlf_context_free(cf);
    cli_args_free(&a);
    return code;
}
