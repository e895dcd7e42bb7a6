/*
 * cmd_ard_diff.c - `tlfgen ard-diff BASE.csv COMPARE.csv`: compare two ARD
 * files as PROC COMPARE does (double programming QC).
 *
 * Exit status differs from the other commands in one place, as diff(1)
 * and cmp(1) do: 1 means "the files differ". Errors keep the table's
 * statuses (2 usage or a bad column, 3 unreadable file, 6 report not
 * writable); the comparison has no internal-error path of its own.
 */
#include "ard/ard_diff.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split every value of a repeatable comma-list option into *out. */
static char *split_list(const char *const *vals, size_t nvals, const char ***out, size_t *n)
{
    tlf_buf all = TLF_BUF_INIT;
    for (size_t i = 0; i < nvals; i++) {
        if (all.len)
            tlf_buf_putc(&all, ',');
        tlf_buf_puts(&all, vals[i]);
    }
    char *s = tlf_buf_detach(&all);
    *out = NULL;
    *n = 0;
    if (!s)
        return NULL;
    for (char *p = s;;) {
        char *e = strchr(p, ',');
        if (e)
            *e = '\0';
        if (*p) {
            *out = xreallocarray((void *)*out, *n + 1, sizeof **out);
            (*out)[(*n)++] = p;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return s;
}

static int write_csv(FILE *f, void *d, tlf_err *err)
{
    return ard_diff_write_csv(d, f, err);
}

/* under a temporary name, renamed when whole */
static int write_report(const ard_diff *d, const char *path, tlf_err *err)
{
    return tlf_tmpfile_write_stream(path, write_csv, (void *)d, err);
}

/* argv with the positional arguments moved after the options, so that
 * `ard-diff BASE COMPARE --out x` works as its synopsis reads (the
 * shared parser stops at the first positional argument). */
static char **options_first(int *nout, int argc, char **argv, const cli_opt *opts)
{
    char **v = xcalloc((size_t)argc + 2, sizeof *v);
    char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
    int nv = 0, np = 0;
    v[nv++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--") == 0) {
            while (++i < argc)
                pos[np++] = argv[i];
            break;
        }
        if (s[0] != '-' || s[1] == '\0') {
            pos[np++] = argv[i];
            continue;
        }
        v[nv++] = argv[i];
        if (s[1] == '-' && !strchr(s, '='))
            for (const cli_opt *o = opts; o->name; o++)
                if (o->arg && strcmp(s + 2, o->name) == 0 && i + 1 < argc)
                    v[nv++] = argv[++i];
    }
    if (np)
        v[nv++] = "--";
    memcpy(v + nv, pos, (size_t)np * sizeof *pos);
    free(pos);
    *nout = nv + np;
    return v;
}

int cmd_ard_diff(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"tol", "X", "numbers equal when |a-b| <= X or <= X*max(|a|,|b|) (default 1e-8)", 0},
        {"keys", "A,B,...", "key columns to match on (default: the ARD keys both files have)", 1},
        {"only", "ID,...", "compare only records of these output ids (e.g. 14.2.1.1)", 1},
        {"out", "FILE", "write every difference to a csv report", 0},
        {"quiet", NULL, "print nothing; the exit status says it", 0},
        {NULL, NULL, NULL, 0}};
    cli_args a;
    int nargs = 0;
    char **args = options_first(&nargs, argc, argv, opts);
    int rc = cli_parse(
        &a, "ard-diff",
        "tlfgen ard-diff BASE.csv COMPARE.csv [--tol X] [--keys A,B] [--only ID,...] [--out diff.csv]",
        "Compare two analysis results files record by record (double programming QC).\n"
        "Records are matched on the key columns (output_id, analysis_id, population,\n"
        "group, group_level, variable, variable_level, stat_name, param) that both files\n"
        "have, so a QC file may carry a subset; column names ignore case. Values: numbers\n"
        "compare within the tolerance (R/SAS spellings 1e-05, Inf, -Inf accepted), empty,\n"
        "NA, NaN, '.' and .A-.Z are all missing, other texts compare exactly.\n"
        "Prints a summary per output. Exit status 0: equal within the tolerance;\n"
        "1: the files differ (values, or records only in one file); 2, 3, 6 as below.",
        opts, 2, nargs, args);
    free(args);
    if (rc != CLI_PARSED)
        return rc == CLI_DONE ? 0 : rc;
    int status = 0;
    const char **keys = NULL, **only = NULL;
    char *keys_s = NULL, *only_s = NULL;
    ard_diff *d = NULL;
    tlf_err err;
    tlf_err_clear(&err);
    if (a.npos != 2) {
        status = cli_usage_error("ard-diff", "needs BASE.csv and COMPARE.csv");
        goto done;
    }
    ard_diff_opts o = {1e-8, NULL, 0, NULL, 0};
    const char *tol = cli_get(&a, opts, "tol");
    if (tol) {
        char *end;
        errno = 0;
        o.tol = strtod(tol, &end);
        if (end == tol || *end || errno || !isfinite(o.tol) || o.tol < 0) {
            status = cli_usage_error("ard-diff", "--tol '%s' is not a number >= 0", tol);
            goto done;
        }
    }
    for (size_t i = 0; opts[i].name; i++) {
        if (strcmp(opts[i].name, "keys") == 0 && a.nall[i]) {
            keys_s = split_list(a.all[i], a.nall[i], &keys, &o.nkeys);
            if (!o.nkeys) {
                status = cli_usage_error("ard-diff", "--keys names no column");
                goto done;
            }
            o.keys = keys;
        }
        if (strcmp(opts[i].name, "only") == 0 && a.nall[i]) {
            only_s = split_list(a.all[i], a.nall[i], &only, &o.nonly);
            if (!o.nonly) {
                status = cli_usage_error("ard-diff", "--only names no output");
                goto done;
            }
            o.only = only;
        }
    }
    rc = ard_diff_files(&d, a.pos[0], a.pos[1], &o, &err);
    const char *out = cli_get(&a, opts, "out");
    if (rc == TLF_OK && out)
        rc = write_report(d, out, &err);
    if (rc != TLF_OK) {
        status = cli_fail("ard-diff", &err);
        goto done;
    }
    if (!cli_get(&a, opts, "quiet"))
        ard_diff_write_summary(d, a.pos[0], a.pos[1], 20, stdout);
    status = ard_diff_ndiff(d) ? 1 : 0;
done:
    ard_diff_free(d);
    free(keys);
    free(only);
    free(keys_s);
    free(only_s);
    cli_args_free(&a);
    return status;
}
