/*
 * cli.h - what the command-line layer shares: the command table entry and
 * an options table that drives both parsing (getopt_long) and --help.
 *
 * Stage: CLI. The only layer that prints to the user and picks exit
 * statuses; everything under it returns codes and messages (core/err.h).
 */
#ifndef TLFGEN_CLI_H
#define TLFGEN_CLI_H

#include <stddef.h>

#include "core/datadir.h"
#include "core/err.h"

typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *summary;                 /* one line for `tlfgen --help` */
} cli_cmd;

typedef struct cli_opt {
    const char *name;     /* long option without the dashes              */
    const char *arg;      /* argument's name in --help; NULL for a flag  */
    const char *help;     /* one line                                    */
    int repeatable;       /* may be given more than once                 */
} cli_opt;

#define CLI_MAX_OPTS 48
#define CLI_MAX_POS 8

typedef struct cli_args {
    const char *val[CLI_MAX_OPTS];  /* last value given (flags: "1"), NULL if absent */
    const char **all[CLI_MAX_OPTS]; /* every value of a repeatable option            */
    size_t nall[CLI_MAX_OPTS];      /* how many values all[i] holds */
    const char *pos[CLI_MAX_POS];   /* positional arguments                          */
    size_t npos;
} cli_args;

enum { CLI_PARSED = 0, CLI_DONE = 1 };

/*
 * Parse argv (argv[0] = command) against opts, which ends with a {NULL}
 * entry. Returns CLI_PARSED, or CLI_DONE after printing --help (exit 0),
 * or TLF_EXIT_USAGE after printing a one-line error. `usage` is the
 * synopsis line; `about` a paragraph for --help (may be NULL); at most
 * max_pos positional arguments are accepted.
 */
int cli_parse(cli_args *out, const char *cmd, const char *usage, const char *about,
              const cli_opt *opts, size_t max_pos, int argc, char **argv);
void cli_args_free(cli_args *a);

/* Index of option name in opts (a programming error aborts). */
const char *cli_get(const cli_args *a, const cli_opt *opts, const char *name);

/* Print "tlfgen CMD: message" on stderr and return the exit status. */
int cli_fail(const char *cmd, const tlf_err *err);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The data folder (templates, fonts, config) for a command's defaults;
 * override is --data-dir or NULL (core/datadir.h gives the search order).
 * Returns 0, or prints "tlfgen CMD: message" and returns the exit status. */
int cli_data_dir(tlf_datadir *dd, const char *cmd, const char *override);
#define CLI_DATA_DIR_OPT                                                                      \
    {"data-dir", "DIR", "templates, fonts and config (default: TLFGEN_DATA_DIR, else "       \
                        "../share/tlfgen beside the program)", 0}

/* The exit-status table printed by every --help. */
extern const char *const CLI_EXIT_HELP;

#endif
