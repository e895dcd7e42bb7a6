/*
 * main.c - the tlfgen command line: look the subcommand up in a table and
 * hand it the rest of argv. Everything it runs lives in the library core.
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/fault.h"
#include "run/signals.h"
#include "version.h"

#include <gsl/gsl_errno.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every command catches SIGINT/SIGTERM and ends within 2 s with exit 130
 * and no output file written (issue 17): every SQLite statement is
 * interrupted, long loops ask core/stop.h, and a temporary file is never
 * renamed into place after the signal (core/tmpfile.h). */
static const cli_cmd COMMANDS[] = {
    {"demo-db", cmd_demo_db, "write the synthetic demo study database (SQLite)"},
    {"check", cmd_check, "snapshot the study database and report data issues"},
    {"derive", cmd_derive, "derive the analysis datasets (ADSL, ADTTE, ADAE, ...) from SDTM"},
    {"analyze", cmd_analyze, "run the analyses on derived datasets, writing ard.csv"},
    {"run", cmd_run, "the whole pipeline: snapshot, check, derive, analyse, render, publish"},
    {"render", cmd_render, "render one table, listing or figure template to a PDF"},
    {"volume", cmd_volume, "several outputs in one PDF with cover, contents and bookmarks"},
    {"stats", cmd_stats, "run a statistical method (km, logrank, cox, ...) on a CSV table, writing ARD records"},
    {"ard-diff", cmd_ard_diff, "compare two ARD files record by record (QC double programming)"},
    {"verify", cmd_verify, "re-hash a run folder against its manifest"},
    {"version", cmd_version, "print the version and the git commit"},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: tlfgen <command> [options]\n"
            "       tlfgen --version | --help\n\n"
            "Turns a clinical trial's locked SDTM database (SQLite) into the\n"
            "analysis results data (ard.csv) and regulatory-style PDF tables,\n"
            "listings and figures. 'tlfgen <command> --help' describes each command.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\n%s", CLI_EXIT_HELP);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "tlfgen: missing command (see 'tlfgen --help')\n");
        return TLF_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    /* Before any SQLite call (issue 16): SQLite's memory statistics take a
     * global mutex on every allocation, and in its default serialized mode
     * every API call takes the connection's mutex; together a sixth of the
     * CPU of a 30,000-subject derivation. tlfgen never uses one connection
     * from two threads at once (each render job opens its own), which is
     * what the multi-thread mode asks. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    /* GSL's default error handler aborts the process (a beta quantile that
     * does not converge at n = 20,000 ended a 100k-subject run with
     * SIGABRT, issue 16); the statistics check the values they get. */
    gsl_set_error_handler_off();
    /* injected failures for the tests (core/fault.h); before any SQLite call */
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_fault_configure(getenv("TLFGEN_FAULT"), &err) != TLF_OK)
        return cli_fail(name, &err);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0) {
            run_signals_install();
            int status = COMMANDS[i].run(argc - 1, argv + 1);
            if (tlf_fault_counting()) {
                fprintf(stderr, "tlfgen: fault counts");
                for (int k = 0; k < TLF_FAULT_NKINDS; k++)
                    fprintf(stderr, " %s=%lld", tlf_fault_name((tlf_fault_kind)k),
                            tlf_fault_count((tlf_fault_kind)k));
                fprintf(stderr, "\n");
            }
            return status;
        }
    if (name[0] == '-')
        fprintf(stderr, "tlfgen: unknown option '%s' (see 'tlfgen --help')\n", name);
    else
        fprintf(stderr, "tlfgen: unknown command '%s' (see 'tlfgen --help')\n", name);
    return TLF_EXIT_USAGE;
}
