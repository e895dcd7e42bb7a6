/*
 * cmd_analyze.c - `tlfgen analyze`: derived datasets in, ard.csv out.
 *
 * The analysis step of a run on its own, for statisticians who QC the
 * numbers and for template authors: every analysis of the registry runs on
 * an adam.sqlite made by `tlfgen derive`, with the settings of a profile.
 */
#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/mem.h"
#include "run/profile.h"
#include "study/study.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_analyze(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"adam", "FILE", "derived datasets (from tlfgen derive)", 0},
        {"out", "FILE", "ard.csv to write (default: standard output)", 0},
        {"profile", "NAME|FILE", "run profile for the analysis settings (default csr)", 0},
        {"config", "DIR", "folder of the profiles and study.json (default: config/ of the data folder)", 0},
        {"study", "FILE", "study configuration (default: study.json in the config folder)", 0},
        CLI_DATA_DIR_OPT,
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "analyze", "tlfgen analyze --adam FILE [--out ard.csv] [--profile NAME]",
                       "Run every analysis of sap.md section 6 on the derived datasets and\n"
                       "write the analysis results data (ard.csv, docs/ard.md).",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    const char *adam_path = cli_get(&a, opts, "adam");
    const char *out = cli_get(&a, opts, "out");
    const char *profile_name = cli_get(&a, opts, "profile");
    const char *config = cli_get(&a, opts, "config");
    if (!adam_path) {
        cli_args_free(&a);
        return cli_usage_error("analyze", "missing --adam FILE");
    }
    tlf_datadir dd = {NULL, NULL};
    char *dconfig = NULL;
    if (!config) {
        if ((rc = cli_data_dir(&dd, "analyze", cli_get(&a, opts, "data-dir"))) != 0) {
            cli_args_free(&a);
            return rc;
        }
        config = dconfig = xasprintf("%s/config", dd.path);
    }
    tlf_err err;
    tlf_err_clear(&err);
    run_profile *profile = NULL;
    tlf_study *study = NULL;
    sqlite3 *adam = NULL;
    tlf_ard *ard = tlf_ard_new();
    int status = 0;
    const char *cdir = config;
    char *spath = cli_get(&a, opts, "study") ? NULL : tlf_study_default_path(cdir);
    rc = run_profile_load(&profile, cdir, profile_name ? profile_name : "csr", &err);
    if (rc == TLF_OK)
        rc = tlf_study_load(&study, spath ? spath : cli_get(&a, opts, "study"), &err);
    free(spath);
    if (rc == TLF_OK && sqlite3_open_v2(adam_path, &adam, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = tlf_err_set(&err, TLF_EINPUT, "%s: %s", adam_path, adam ? sqlite3_errmsg(adam) : "cannot open");
    if (rc == TLF_OK) {
        analysis_ctx ctx = {adam, ard, study, profile->ci_transform, profile->cox_ties,
                            profile->cox_min_events, profile->bootstrap_resamples,
                            profile->bootstrap_seed};
        rc = analysis_run_all(&ctx, &err);
    }
    if (rc == TLF_OK)
        rc = out ? tlf_ard_write_file(ard, out, &err) : tlf_ard_write(ard, stdout, &err);
    if (rc != TLF_OK)
        status = cli_fail("analyze", &err);
    sqlite3_close(adam);
    tlf_ard_free(ard);
    run_profile_free(profile);
    tlf_study_free(study);
    free(dconfig);
    tlf_datadir_free(&dd);
    cli_args_free(&a);
    return status;
}
