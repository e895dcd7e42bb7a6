/* cmd_derive.c - `tlfgen derive`: the analysis datasets (ADSL, ADTTE,
 * ADAE, ADLB, ...) from an SDTM database into one SQLite file
 * (pipeline/derive, sap.md sections 1-3). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/pool.h"
#include "derive/derive.h"
#include "study/study.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_derive(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"db", "FILE", "the SDTM database (SQLite; opened read-only)", 0},
        {"out", "FILE", "the analysis database to write (replaced only when complete)", 0},
        {"cutoff", "DATE", "data cut-off YYYY-MM-DD (default: DBSTATUS.CUTOFFDTC)", 0},
        {"aesi", "FILE", "AEs of special interest (default: the study configuration's)", 0},
        {"study", "FILE", "study configuration (default: config/study.json of the data folder)", 0},
        CLI_DATA_DIR_OPT,
        {"busy-timeout", "MS", "wait this long for a writer holding the input (default 5000)", 0},
        {"jobs", "N", "threads reading the lab, vital signs and other BDS domains (default: the processors online)", 0},
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int rc = cli_parse(&a, "derive", "tlfgen derive --db FILE --out FILE [--cutoff DATE] [--study FILE] [--aesi FILE]"
                       " [--busy-timeout MS] [--jobs N]",
                       "Derive the analysis datasets ADSL, ADTTE (OS, PFS, TFF), ADAE, ADLB, ADRE,\n"
                       "ADFT, ADVS, ADPC, ADEX, ADRS and the derivation issues (ADISSUE) into one\n"
                       "SQLite file, applying the data cut-off and the rules of sap.md sections 1-3.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    const char *db = cli_get(&a, opts, "db"), *out = cli_get(&a, opts, "out");
    if (!db || !out) {
        cli_args_free(&a);
        return cli_usage_error("derive", "--db and --out are required");
    }
    const char *bt = cli_get(&a, opts, "busy-timeout");
    char *end = NULL;
    long busy = bt ? strtol(bt, &end, 10) : 5000;
    if (bt && (!*bt || *end || busy < 0 || busy > 86400000L)) {
        cli_args_free(&a);
        return cli_usage_error("derive", "--busy-timeout must be milliseconds, not '%s'", bt);
    }
    const char *jobs_s = cli_get(&a, opts, "jobs");
    /* injected faults count calls in one thread (core/fault.h): serial then */
    long jobs = tlf_fault_enabled() ? 1 : tlf_pool_default_jobs();
    if (jobs_s) {
        jobs = strtol(jobs_s, &end, 10);
        if (!*jobs_s || *end || jobs < 1 || jobs > 64) {
            cli_args_free(&a);
            return cli_usage_error("derive", "--jobs '%s' is not a number from 1 to 64", jobs_s);
        }
    }
    derive_stats st;
    tlf_err err;
    tlf_err_clear(&err);
    tlf_study *study = NULL;
    const char *sp = cli_get(&a, opts, "study");
    char *dsp = NULL;
    if (!sp) {
        tlf_datadir dd;
        if ((rc = cli_data_dir(&dd, "derive", cli_get(&a, opts, "data-dir"))) != 0) {
            cli_args_free(&a);
            return rc;
        }
        sp = dsp = xasprintf("%s/config/study.json", dd.path);
        tlf_datadir_free(&dd);
    }
    rc = tlf_study_load(&study, sp, &err);
    if (rc == TLF_OK) {
        const char *aesi = cli_get(&a, opts, "aesi");
        derive_opts o = {.cutoff = cli_get(&a, opts, "cutoff"),
                         .aesi_path = aesi ? aesi : study->aesi_path, .study = study,
                         .busy_timeout_ms = (int)busy, .jobs = (int)jobs};
        rc = derive_adam_file(db, out, &o, &st, &err);
    }
    tlf_study_free(study);
    free(dsp);
    cli_args_free(&a);
    if (rc)
        return cli_fail("derive", &err);
    printf("cut-off %s: %ld subjects, %ld enrolled, %ld FAS, %ld PPS, %ld SAF, %ld HC, %ld deaths\n",
           st.cutoff, st.n_subjects, st.n_enrolled, st.n_fas, st.n_pps, st.n_saf, st.n_hc, st.n_deaths);
    printf("records: ADTTE %ld, ADAE %ld, ADLB %ld, ADRE %ld, ADFT %ld, ADVS %ld, ADPC %ld, ADEX %ld, ADRS %ld\n",
           st.n_adtte, st.n_adae, st.n_adlb, st.n_adre, st.n_adft, st.n_advs, st.n_adpc, st.n_adex, st.n_adrs);
    printf("issues: %ld error, %ld warning, %ld info (table ADISSUE); %ld records after the cut-off left out\n",
           st.n_issues_error, st.n_issues_warning, st.n_issues_info, st.n_after_cutoff);
    return 0;
}
