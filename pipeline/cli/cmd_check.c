/*
 * cmd_check.c - `tlfgen check --db FILE [--out issues.csv]`: snapshot the
 * study database into a temporary folder, run the data checks, write the
 * findings and summarise them on stderr (issue 6; docs/checks.md).
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/pool.h"
#include "db/db.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Remove the folder we made and the files in it (ours only: snapshot and
 * SQLite's journals of it). */
static void remove_workdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = xasprintf("%s/%s", dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

int cmd_check(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", "FILE", "the study database (SQLite, opened read-only)", 0},
        {"out", "CSV", "write every finding to this CSV file", 0},
        {"cutoff", "DATE", "data cut-off YYYY-MM-DD (default: DBSTATUS.CUTOFFDTC)", 0},
        {"busy-timeout", "MS", "retry a locked database this long (default 5000)", 0},
        {"study", "FILE", "study configuration: arms, treatments, parameters (default: "
                          "config/study.json of the data folder)", 0},
        {"jobs", "N", "threads running the checks (default: the processors online)", 0},
        CLI_DATA_DIR_OPT,
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "check", "tlfgen check --db FILE [--out issues.csv] [--cutoff DATE] "
                       "[--busy-timeout MS] [--study FILE] [--jobs N]",
                       "Take a read-only snapshot of the study database (the input is never\n"
                       "written and no file is created beside it), print its SHA-256, run the\n"
                       "data checks of docs/checks.md and summarise the findings on stderr\n"
                       "(counts per rule, the first few of each). Exits 5 when any finding has\n"
                       "error severity, 3 when the file is not a readable study database.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    tlf_err err = {0, ""};
    db_snapshot *snap = NULL;
    sqlite3 *db = NULL;
    db_findings f = DB_FINDINGS_INIT;
    char *workdir = NULL;
    tlf_study *study = NULL;
    char *dsp = NULL;   /* the data folder's study.json when --study is absent */
    const char *path = cli_get(&a, opts, "db"), *out = cli_get(&a, opts, "out");
    const char *cutoff = cli_get(&a, opts, "cutoff"), *bt = cli_get(&a, opts, "busy-timeout");
    int timeout = 5000;
    const char *jobs_s = cli_get(&a, opts, "jobs");
    /* injected faults count calls in one thread (core/fault.h): serial then */
    long jobs = tlf_fault_enabled() ? 1 : tlf_pool_default_jobs();
    if (jobs_s) {
        char *end = NULL;
        jobs = strtol(jobs_s, &end, 10);
        if (!*jobs_s || *end || jobs < 1 || jobs > 64) {
            rc = cli_usage_error("check", "--jobs '%s' is not a number from 1 to 64", jobs_s);
            goto done;
        }
    }
    if (!path) {
        rc = cli_usage_error("check", "missing --db FILE");
        goto done;
    }
    const char *sp = cli_get(&a, opts, "study");
    if (!sp) {
        tlf_datadir dd;
        if ((rc = cli_data_dir(&dd, "check", cli_get(&a, opts, "data-dir"))) != 0)
            goto done;
        sp = dsp = xasprintf("%s/config/study.json", dd.path);
        tlf_datadir_free(&dd);
    }
    if (tlf_study_load(&study, sp, &err) != TLF_OK) {
        rc = cli_fail("check", &err);
        goto done;
    }
    if (bt) {
        char *end = NULL;
        long v = strtol(bt, &end, 10);
        if (!*bt || *end || v < 0 || v > 86400000L) {
            rc = cli_usage_error("check", "--busy-timeout must be milliseconds, not '%s'", bt);
            goto done;
        }
        timeout = (int)v;
    }
    const char *tmp = getenv("TMPDIR");
    workdir = xasprintf("%s/tlfgen-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(workdir)) {
        tlf_err_set(&err, TLF_EOUTPUT, "%s: cannot create a temporary folder", workdir);
        free(workdir);
        workdir = NULL;
        rc = cli_fail("check", &err);
        goto done;
    }
    /* db_snapshot_take ran quick_check on the snapshot already: opening
     * it with db_open_input ran it a second time (0.7 s of 441 MB) */
    if (db_snapshot_take(&snap, path, workdir, timeout, &err) ||
        db_open_snapshot(&db, snap->snapshot_path, &err) ||
        db_check_jobs(&f, db, cutoff, study, (int)jobs, &err) ||
        (out && db_findings_write_csv(&f, out, &err))) {
        rc = cli_fail("check", &err);
        goto done;
    }
    fprintf(stderr, "%s: SHA-256 %s\n", path, snap->input_sha256);
    db_findings_summary(&f, stderr, 3);
    size_t nerr;
    db_findings_count(&f, &nerr, NULL, NULL);
    rc = nerr ? TLF_EXIT_ISSUES : TLF_EXIT_OK;
    /* the run's own refusal of this database, with its status: check and
     * run answer alike (the findings above still list everything) */
    if (db_snapshot_usable(snap, path, &err) != TLF_OK ||
        db_findings_structural(&f, path, &err) != TLF_OK)
        rc = cli_fail("check", &err);
done:
    sqlite3_close(db);
    db_findings_free(&f);
    db_snapshot_free(snap);
    tlf_study_free(study);
    free(dsp);
    if (workdir)
        remove_workdir(workdir);
    free(workdir);
    cli_args_free(&a);
    return rc;
}
