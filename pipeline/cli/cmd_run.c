/*
 * cmd_run.c - `tlfgen run`: the whole pipeline on a study database, for
 * cron (nightly), DSMB packets and the final CSR (run/pipeline.h).
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/mem.h"
#include "run/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void progress(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "tlfgen run: %s\n", line);
}

int cmd_run(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", "FILE", "the study database (SQLite, SDTM); opened read-only", 0},
        {"profile", "NAME|FILE", "run profile: nightly, dsmb, csr, or a site's JSON file (default csr)", 0},
        {"out", "DIR", "where runs land (default ./output)", 0},
        {"cutoff", "YYYY-MM-DD", "data cut-off instead of DBSTATUS.CUTOFFDTC", 0},
        {"config", "DIR", "profiles and study.json (default: config/ of the data folder)", 0},
        {"study", "FILE", "study configuration (default: study.json in the config folder)", 0},
        {"templates", "DIR", "output templates and catalog.json (default: templates/ of the data folder)", 0},
        {"fonts", "DIR", "embedded fonts (default: fonts/ of the data folder)", 0},
        CLI_DATA_DIR_OPT,
        {"lock-timeout", "SECONDS", "wait this long for another run of the study (default 600)", 0},
        {"busy-timeout", "MS", "wait this long for a writer on the database (default 10000)", 0},
        {"quiet", NULL, "print nothing but errors", 0},
        {"verbose", NULL, "print every step on stderr (default when stderr is a terminal)", 0},
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "run", "tlfgen run --db FILE [--profile NAME] [--out DIR] [options]",
                       "Snapshot the database, check it, derive the analysis datasets, run the\n"
                       "analyses into ard.csv and render every output the profile selects, in\n"
                       "a run folder OUT/<STUDYID>/<profile>/<timestamp>-<run id>/ that appears\n"
                       "complete or not at all; OUT/<STUDYID>/<profile>/latest points at it.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    const char *db = cli_get(&a, opts, "db");
    const char *lt = cli_get(&a, opts, "lock-timeout"), *bt = cli_get(&a, opts, "busy-timeout");
    int quiet = cli_get(&a, opts, "quiet") != NULL;
    int verbose = cli_get(&a, opts, "verbose") != NULL || (!quiet && isatty(STDERR_FILENO));
    char *end = NULL;
    double lock_timeout = lt ? strtod(lt, &end) : 600;
    if (lt && (*end || lock_timeout < 0)) {
        cli_args_free(&a);
        return cli_usage_error("run", "--lock-timeout '%s' is not a number of seconds", lt);
    }
    long busy = bt ? strtol(bt, &end, 10) : 10000;
    if (bt && (*end || busy < 0)) {
        cli_args_free(&a);
        return cli_usage_error("run", "--busy-timeout '%s' is not a number of milliseconds", bt);
    }
    if (!db) {
        cli_args_free(&a);
        return cli_usage_error("run", "missing --db FILE");
    }
    const char *config = cli_get(&a, opts, "config"), *tpl = cli_get(&a, opts, "templates");
    const char *fonts = cli_get(&a, opts, "fonts");
    /* defaults come from the data folder, looked for only when one is needed */
    tlf_datadir dd = {NULL, NULL};
    char *dconfig = NULL, *dtpl = NULL, *dfonts = NULL;
    if (!config || !tpl || !fonts) {
        if ((rc = cli_data_dir(&dd, "run", cli_get(&a, opts, "data-dir"))) != 0) {
            cli_args_free(&a);
            return rc;
        }
        dconfig = xasprintf("%s/config", dd.path);
        dtpl = xasprintf("%s/templates", dd.path);
        dfonts = xasprintf("%s/fonts", dd.path);
    }
    run_request req = {
        db, cli_get(&a, opts, "profile") ? cli_get(&a, opts, "profile") : "csr",
        cli_get(&a, opts, "out") ? cli_get(&a, opts, "out") : "output",
        config ? config : dconfig, tpl ? tpl : dtpl, fonts ? fonts : dfonts,
        cli_get(&a, opts, "cutoff"), lock_timeout, (int)busy,
        verbose ? progress : NULL, NULL, cli_get(&a, opts, "study")};
    tlf_err err;
    tlf_err_clear(&err);
    run_report rep;
    rc = run_execute(&req, &rep, &err);
    int status = 0;
    if (rc != TLF_OK) {
        status = cli_fail("run", &err);
    } else if (!quiet) {
        printf("tlfgen run: %s run %s: %zu outputs; data issues %zu error, %zu warning, %zu info\n",
               req.profile, rep.run_id, rep.n_outputs, rep.n_error, rep.n_warning, rep.n_info);
        char *dir = realpath(rep.run_dir, NULL);
        printf("run folder: %s\n", dir ? dir : rep.run_dir);
        if (rep.volume_pdf) {
            char *vol = realpath(rep.volume_pdf, NULL);
            printf("combined volume: %s\n", vol ? vol : rep.volume_pdf);
            free(vol);
        }
        free(dir);
    }
    run_report_free(&rep);
    free(dconfig);
    free(dtpl);
    free(dfonts);
    tlf_datadir_free(&dd);
    cli_args_free(&a);
    return status;
}
