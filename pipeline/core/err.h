/*
 * err.h - error codes and the error context every fallible function fills.
 *
 * Stage: core. A function that can fail returns 0 or a negative TLF_E* code
 * and leaves a one-line message in a tlf_err the caller passed in. Only the
 * CLI (pipeline/cli) prints messages and turns codes into exit statuses
 * (tlf_exit_code); the library never prints or exits.
 */
#ifndef TLFGEN_ERR_H
#define TLFGEN_ERR_H

#include <stddef.h>

enum {
    TLF_OK = 0,
    TLF_EUSAGE = -1,    /* bad option, missing argument, invalid request    */
    TLF_EINPUT = -2,    /* input file unreadable or not what it must be     */
    TLF_EDATA = -3,     /* a value in the input breaks its contract         */
    TLF_ESTATUS = -4,   /* database status not allowed by the run profile   */
    TLF_EISSUES = -5,   /* data issues that stop the run under the profile  */
    TLF_EOUTPUT = -6,   /* output folder or file not writable               */
    TLF_ELOCK = -7,     /* could not take the study lock in time            */
    TLF_ENOTEST = -8,   /* a statistic is not estimable (not a failure)     */
    TLF_EINTERNAL = -9, /* a bug or a library failure                       */
    TLF_EINTR = -10     /* stopped by a signal                              */
};

/* Process exit statuses, documented in README.md and `tlfgen --help`. */
enum {
    TLF_EXIT_OK = 0,
    TLF_EXIT_INTERNAL = 1,
    TLF_EXIT_USAGE = 2,  /* also: a bad value in a command's input file */
    TLF_EXIT_INPUT = 3,
    TLF_EXIT_STATUS = 4,
    TLF_EXIT_ISSUES = 5,
    TLF_EXIT_OUTPUT = 6,
    TLF_EXIT_LOCK = 7,
    TLF_EXIT_INTR = 130
};

#define TLF_ERR_MSG_MAX 1024

typedef struct tlf_err {
    int code;                       /* last TLF_E* code, TLF_OK when none */
    char msg[TLF_ERR_MSG_MAX];      /* one line, no trailing newline      */
} tlf_err;

/* Clear an error context (code TLF_OK, empty message). NULL is accepted. */
void tlf_err_clear(tlf_err *err);

/* Record code and a printf-style message in err (which may be NULL) and
 * return code, so that `return tlf_err_set(err, TLF_EDATA, ...)` reads well. */
int tlf_err_set(tlf_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with "prefix: " (context from a caller). */
int tlf_err_prefix(tlf_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The exit status the CLI uses for an error code. */
int tlf_exit_code(int code);

#endif
