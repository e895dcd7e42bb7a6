/* render_setup.c - shared render options of `tlfgen render` and `tlfgen
 * volume` (see render_setup.h). */
#include "cli/render_setup.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "version.h"

static const char *pick(const char *opt, const char *ctx_val)
{
    return opt ? opt : ctx_val;
}

int render_setup_load(render_setup *rs, const cli_args *a, const cli_opt *opts, tlf_err *err)
{
    memset(rs, 0, sizeof *rs);
    const char *ctxp = cli_get(a, opts, "context");
    int rc;
    if (ctxp && (rc = tlf_context_load(&rs->cf, ctxp, err)) != 0)
        return rc;
    tlf_context_file none;
    memset(&none, 0, sizeof none);
    const tlf_context_file *c = rs->cf ? rs->cf : &none;
    snprintf(rs->version, sizeof rs->version, "tlfgen %s", TLFGEN_VERSION);
    rs->ctx.study = pick(cli_get(a, opts, "study"), c->study);
    rs->ctx.protocol = pick(cli_get(a, opts, "protocol"), c->protocol);
    rs->ctx.run_id = pick(cli_get(a, opts, "run-id"), c->run_id);
    rs->ctx.db_sha256 = pick(cli_get(a, opts, "db-sha256"), c->db_sha256);
    rs->ctx.cutoff = pick(cli_get(a, opts, "cutoff"), c->cutoff);
    rs->ctx.db_status = pick(cli_get(a, opts, "db-status"), c->db_status);
    rs->ctx.program_version = c->program_version ? c->program_version : rs->version;
    rs->ctx.draft = cli_get(a, opts, "draft") || c->draft || !tlf_status_is_final(rs->ctx.db_status);
    rs->paper = pick(cli_get(a, opts, "paper"), c->paper);
    rs->profile = pick(cli_get(a, opts, "profile"), c->profile);
    rs->fonts = cli_get(a, opts, "fonts");
    const char *data_dir = cli_get(a, opts, "data-dir");
    if (!rs->fonts && data_dir) {   /* otherwise the renderer finds the data folder */
        tlf_datadir dd;
        if ((rc = tlf_datadir_find(&dd, data_dir, err)) != 0)
            return rc;
        rs->fonts = rs->fonts_buf = xasprintf("%s/fonts", dd.path);
        tlf_datadir_free(&dd);
    }
    /* the study configuration fills the templates' study variables: the
     * one named, else the data folder's, else none (a template that uses a
     * variable then says it needs one) */
    const char *sc = cli_get(a, opts, "study-config");
    if (sc) {
        if ((rc = tlf_study_load(&rs->study, sc, err)) != 0)
            return rc;
    } else {
        tlf_datadir dd;
        tlf_err ignore;
        tlf_err_clear(&ignore);
        if (tlf_datadir_find(&dd, data_dir, &ignore) == 0) {
            char *cdir = xasprintf("%s/config", dd.path);
            char *sp = tlf_study_default_path(cdir);
            tlf_datadir_free(&dd);
            free(cdir);
            rc = access(sp, R_OK) == 0 ? tlf_study_load(&rs->study, sp, err) : 0;
            free(sp);
            if (rc)
                return rc;
        }
    }
    rs->date = pick(cli_get(a, opts, "date"), c->date);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!rs->date && sde && *sde) {
        char *end;
        long long epoch = strtoll(sde, &end, 10);
        struct tm tm;
        time_t tt = (time_t)epoch;
        if (*end || epoch < 0 || !gmtime_r(&tt, &tm))
            return tlf_err_set(err, TLF_EUSAGE, "SOURCE_DATE_EPOCH '%s' is not a number of seconds",
                               sde);
        strftime(rs->datebuf, sizeof rs->datebuf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        rs->date = rs->datebuf;
    }
    return 0;
}

void render_setup_free(render_setup *rs)
{
    tlf_context_free(rs->cf);
    rs->cf = NULL;
    free(rs->fonts_buf);
    rs->fonts_buf = NULL;
    tlf_study_free(rs->study);
    rs->study = NULL;
}
