/*
 * cli.c - options-table parsing over getopt_long, --help, one-line errors.
 */
#include "cli/cli.h"
#include "core/stop.h"
#include "core/mem.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const CLI_EXIT_HELP =
    "Exit status:\n"
    "  0   success\n"
    "  1   internal error\n"
    "  2   usage error, or a bad value in a command's input file\n"
    "  3   input unreadable (missing, not SQLite, truncated, wrong tables)\n"
    "  4   database status not allowed by the run profile\n"
    "  5   data issues that stop the run (check: error-severity findings)\n"
    "  6   output not writable\n"
    "  7   lock timeout (another run of the same study)\n"
    "  130 interrupted (SIGINT/SIGTERM); nothing is published\n";

static void print_help(const char *cmd, const char *usage, const char *about,
                       const cli_opt *opts)
{
    printf("Usage: %s\n", usage);
    if (about)
        printf("\n%s\n", about);
    printf("\nOptions:\n");
    for (const cli_opt *o = opts; o->name; o++) {
        char left[64];
        if (o->arg)
            snprintf(left, sizeof left, "--%s %s", o->name, o->arg);
        else
            snprintf(left, sizeof left, "--%s", o->name);
        printf("  %-26s %s%s\n", left, o->help, o->repeatable ? " (repeatable)" : "");
    }
    printf("  %-26s %s\n", "--help", "show this help");
    printf("\n%s", CLI_EXIT_HELP);
    (void)cmd;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tlfgen %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'tlfgen %s --help')\n", cmd);
    va_end(ap);
    return TLF_EXIT_USAGE;
}

int cli_fail(const char *cmd, const tlf_err *err)
{
    /* A stage that fails after SIGINT/SIGTERM (an interrupted statement, a
     * temporary file not renamed into place) failed because of the signal:
     * say so, with its status. run words its own (nothing published). */
    int sig = tlf_stop_signal();
    if (sig && strcmp(cmd, "run") != 0) {
        fprintf(stderr, "tlfgen %s: stopped by signal %d; nothing was written\n", cmd, sig);
        return TLF_EXIT_INTR;
    }
    fprintf(stderr, "tlfgen %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
    return tlf_exit_code(err->code);
}

int cli_data_dir(tlf_datadir *dd, const char *cmd, const char *override)
{
    tlf_err err;
    tlf_err_clear(&err);
    if (tlf_datadir_find(dd, override, &err) != TLF_OK)
        return cli_fail(cmd, &err);
    return 0;
}

void cli_args_free(cli_args *a)
{
    for (size_t i = 0; i < CLI_MAX_OPTS; i++)
        free(a->all[i]);
    memset(a, 0, sizeof *a);
}

int cli_parse(cli_args *out, const char *cmd, const char *usage, const char *about,
              const cli_opt *opts, size_t max_pos, int argc, char **argv)
{
    memset(out, 0, sizeof *out);
    size_t n = 0;
    while (opts[n].name)
        n++;
    if (n + 1 > CLI_MAX_OPTS)
        abort();                 /* a programming error, not a user's */
    struct option *lo = xcalloc(n + 2, sizeof *lo);
    for (size_t i = 0; i < n; i++) {
        lo[i].name = opts[i].name;
        lo[i].has_arg = opts[i].arg ? required_argument : no_argument;
        lo[i].val = 1000 + (int)i;
    }
    lo[n].name = "help";
    lo[n].val = 'h';

    int rc = CLI_PARSED;
    optind = 0;                  /* glibc: re-initialise for each parse */
    opterr = 0;
    for (;;) {
        int li = -1;
        int c = getopt_long(argc, argv, "+h", lo, &li);
        if (c == -1)
            break;
        if (c == 'h') {
            print_help(cmd, usage, about, opts);
            rc = CLI_DONE;
            goto done;
        }
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (optopt >= 1000 && optopt - 1000 < (int)n)
                rc = cli_usage_error(cmd, "option '--%s' needs an argument (%s)",
                                     opts[optopt - 1000].name, opts[optopt - 1000].arg);
            else
                rc = cli_usage_error(cmd, "unknown option '%s'", bad);
            goto done;
        }
        size_t i = (size_t)(c - 1000);
        if (out->val[i] && !opts[i].repeatable) {
            rc = cli_usage_error(cmd, "option '--%s' given twice", opts[i].name);
            goto done;
        }
        out->val[i] = opts[i].arg ? optarg : "1";
        out->all[i] = xreallocarray(out->all[i], out->nall[i] + 1, sizeof *out->all[i]);
        out->all[i][out->nall[i]++] = out->val[i];
    }
    for (int i = optind; i < argc; i++) {
        if (out->npos >= max_pos || out->npos >= CLI_MAX_POS) {
            rc = cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
            goto done;
        }
        out->pos[out->npos++] = argv[i];
    }
done:
    free(lo);
    if (rc != CLI_PARSED)
        cli_args_free(out);
    return rc;
}

const char *cli_get(const cli_args *a, const cli_opt *opts, const char *name)
{
    for (size_t i = 0; opts[i].name; i++)
        if (strcmp(opts[i].name, name) == 0)
            return a->val[i];
    abort();                     /* asked for an option the table lacks */
}
