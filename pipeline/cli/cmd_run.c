/*
 * cmd_run.c - `tlfgen run`: the whole pipeline on a study database, for
 * cron (nightly), DSMB packets and the final CSR (run/pipeline.h).
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/mem.h"
#include "run/pipeline.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where progress goes: stderr, one line per stage; on a terminal also a
 * line for the long stages (derivation, analyses, each listing) rewritten
 * in place. Stage lines come from the run's thread, meter calls from any
 * (the pipeline serialises those); the mutex keeps the two apart. */
typedef struct progress_out {
    int tty;
    int live;                  /* a meter line is on screen */
    double shown;              /* elapsed time of the last meter line */
    pthread_mutex_t mu;
} progress_out;

static void progress(void *user, const char *line)
{
    progress_out *po = user;
    pthread_mutex_lock(&po->mu);
    if (po->live)
        fputs("\r\033[K", stderr);
    po->live = 0;
    fprintf(stderr, "tlfgen run: %s\n", line);
    pthread_mutex_unlock(&po->mu);
}

static void meter(void *user, const char *what, size_t done, size_t total, double elapsed_s)
{
    progress_out *po = user;
    pthread_mutex_lock(&po->mu);
    /* at most ten updates a second, and always the last one */
    if (po->tty && (done == total || elapsed_s - po->shown >= 0.1 || !po->live)) {
        fprintf(stderr, "\r\033[K  %s: %zu/%zu (%.0f%%), %.1f s", what, done, total,
                total ? 100.0 * (double)done / (double)total : 100.0, elapsed_s);
        fflush(stderr);
        po->shown = elapsed_s;
        po->live = 1;
    }
    pthread_mutex_unlock(&po->mu);
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
        {"verbose", NULL, "print every stage on stderr (the default unless --quiet)", 0},
        {"jobs", "N", "threads running the data checks, reading the BDS domains and rendering the outputs (default: the processors online)", 0},
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
    if (quiet && cli_get(&a, opts, "verbose")) {
        cli_args_free(&a);
        return cli_usage_error("run", "--quiet and --verbose contradict each other; give one");
    }
    int verbose = cli_get(&a, opts, "verbose") != NULL || !quiet;
    const char *jobs_s = cli_get(&a, opts, "jobs");
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
    long jobs = jobs_s ? strtol(jobs_s, &end, 10) : 0;
    if (jobs_s && (*end || jobs < 1 || jobs > 64)) {
        cli_args_free(&a);
        return cli_usage_error("run", "--jobs '%s' is not a number from 1 to 64", jobs_s);
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
    progress_out po = {isatty(STDERR_FILENO), 0, 0, PTHREAD_MUTEX_INITIALIZER};
    run_request req = {
        db, cli_get(&a, opts, "profile") ? cli_get(&a, opts, "profile") : "csr",
        cli_get(&a, opts, "out") ? cli_get(&a, opts, "out") : "output",
        config ? config : dconfig, tpl ? tpl : dtpl, fonts ? fonts : dfonts,
        cli_get(&a, opts, "cutoff"), lock_timeout, (int)busy,
        verbose ? progress : NULL, &po, cli_get(&a, opts, "study"), (int)jobs,
        verbose ? meter : NULL};
    tlf_err err;
    tlf_err_clear(&err);
    run_report rep;
    rc = run_execute(&req, &rep, &err);
    if (po.live)
        fputs("\r\033[K", stderr);
    int status = 0;
    if (rc != TLF_OK) {
        status = cli_fail("run", &err);
    } else if (!quiet) {
        printf("tlfgen run: %s run %s: %zu outputs; data issues %zu error, %zu warning, %zu info\n",
               req.profile, rep.run_id, rep.n_outputs, rep.n_error, rep.n_warning, rep.n_info);
        if (rep.no_data)
            printf("outputs with no data: %s\n", rep.no_data);
        if (rep.n_unshown)
            printf("ARD records not on their output: %zu (a program defect; see run.log)\n",
                   rep.n_unshown);
        char *dir = realpath(rep.run_dir, NULL);
        printf("run folder: %s\n", dir ? dir : rep.run_dir);
        if (rep.volume_pdf) {
            char *vol = realpath(rep.volume_pdf, NULL);
            printf("combined volume: %s\n", vol ? vol : rep.volume_pdf);
            free(vol);
        }
        free(dir);
    }
    if (rc == TLF_OK && rep.warning)
        fprintf(stderr, "tlfgen run: warning: %s\n", rep.warning);
    run_report_free(&rep);
    free(dconfig);
    free(dtpl);
    free(dfonts);
    tlf_datadir_free(&dd);
    cli_args_free(&a);
    return status;
}
