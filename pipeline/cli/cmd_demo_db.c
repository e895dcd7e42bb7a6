/*
 * cmd_demo_db.c - `tlfgen demo-db`: write the synthetic study database
 * (pipeline/demo, docs/demo-db.md) to a file.
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "demo/demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strict non-negative decimal integer; 0 or -1. */
static int parse_count(const char *s, unsigned long long *out)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
        return -1;
    errno = 0;
    *out = strtoull(s, NULL, 10);
    return errno ? -1 : 0;
}

int cmd_demo_db(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"out", "FILE", "database file to write (replaced atomically if it exists)", 0},
        {"seed", "N", "PRNG seed (default 20130401, the published-trial study)", 0},
        {"status", "STATUS", "DBSTATUS.STATUS: OPEN, \"SOFT LOCK\" or \"HARD LOCK\" (default)", 0},
        {"as-of", "YYYY-MM-DD", "the study as it stood that day (status OPEN)", 0},
        {"subjects", "N", "subjects registered in arm TAC (default 26)", 0},
        {"controls", "M", "historical controls, arm HC (default 16)", 0},
        {"with-issues", NULL, "plant one instance of each reportable data problem", 0},
        {"study", "FILE", "write the names of this study configuration (STUDYID, arm codes and "
                          "labels, study drug, glucocorticoids, trough test) instead of the "
                          "demo's own", 0},
        {NULL, NULL, NULL, 0},
    };
    const char *cmd = "demo-db";
    cli_args a;
    int rc = cli_parse(&a, cmd,
                       "tlfgen demo-db --out FILE [--seed N] [--status S] [--as-of DATE] "
                       "[--subjects N] [--controls M] [--with-issues] [--study FILE]",
                       "Write a synthetic PM/DM-IP study database (SQLite, SDTM tables of "
                       "database.md).\nThe same options give a byte-identical file.",
                       opts, 0, argc, argv);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    demo_opts o;
    demo_opts_init(&o);
    tlf_study *study = NULL;
    const char *out = cli_get(&a, opts, "out");
    const char *v;
    unsigned long long n;
    if (!out) {
        rc = cli_usage_error(cmd, "missing --out FILE");
        goto done;
    }
    if ((v = cli_get(&a, opts, "seed"))) {
        if (parse_count(v, &n)) {
            rc = cli_usage_error(cmd, "--seed '%s' is not a non-negative integer", v);
            goto done;
        }
        o.seed = n;
    }
    if ((v = cli_get(&a, opts, "subjects"))) {
        if (parse_count(v, &n) || n > DEMO_MAX_SUBJECTS || n < 1) {
            rc = cli_usage_error(cmd, "--subjects '%s' is not a number in 1..%ld", v, DEMO_MAX_SUBJECTS);
            goto done;
        }
        o.n_subjects = (long)n;
    }
    if ((v = cli_get(&a, opts, "controls"))) {
        if (parse_count(v, &n) || n > DEMO_MAX_SUBJECTS) {
            rc = cli_usage_error(cmd, "--controls '%s' is not a number in 0..%ld", v, DEMO_MAX_SUBJECTS);
            goto done;
        }
        o.n_controls = (long)n;
    }
    o.status = cli_get(&a, opts, "status");
    o.as_of = cli_get(&a, opts, "as-of");
    o.with_issues = cli_get(&a, opts, "with-issues") != NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if ((v = cli_get(&a, opts, "study"))) {
        if (tlf_study_load(&study, v, &err)) {
            rc = cli_fail(cmd, &err);
            goto done;
        }
        o.study = study;
    }
    if (demo_opts_check(&o, &err)) {
        rc = cli_usage_error(cmd, "%s", err.msg);
        goto done;
    }
    if (demo_db_write(out, &o, &err)) {
        rc = cli_fail(cmd, &err);
        goto done;
    }
    printf("%s\n", out);
    rc = 0;
done:
    tlf_study_free(study);
    cli_args_free(&a);
    return rc;
}
