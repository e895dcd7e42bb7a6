/* err.c - the error context: codes, messages, exit statuses (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tlf_err_clear(tlf_err *err)
{
    if (!err)
        return;
    err->code = TLF_OK;
    err->msg[0] = '\0';
}

/* A message is one line (err.h): text from elsewhere (SQLite's
 * quick_check report, a value from the database) may hold line breaks,
 * which become spaces. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int tlf_err_set(tlf_err *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    one_line(err->msg);
    err->code = code;
    return code;
}

int tlf_err_prefix(tlf_err *err, const char *fmt, ...)
{
    if (!err)
        return TLF_EINTERNAL;
    char prefix[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* Shift the message right and put "prefix: " in front; the tail is
     * cut when the two do not fit (the start of a message matters most). */
    size_t pl = strlen(prefix) + 2, ml = strlen(err->msg);
    if (pl >= sizeof err->msg)
        pl = sizeof err->msg - 1;
    if (pl + ml >= sizeof err->msg)
        ml = sizeof err->msg - 1 - pl;
    memmove(err->msg + pl, err->msg, ml);
    err->msg[pl + ml] = '\0';
    memcpy(err->msg, prefix, pl - 2);
    one_line(err->msg);
    err->msg[pl - 2] = ':';
    err->msg[pl - 1] = ' ';
    return err->code;
}

int tlf_exit_code(int code)
{
    switch (code) {
    case TLF_OK:      return TLF_EXIT_OK;
    case TLF_EUSAGE:
    case TLF_EDATA:   return TLF_EXIT_USAGE;
    case TLF_EINPUT:  return TLF_EXIT_INPUT;
    case TLF_ESTATUS: return TLF_EXIT_STATUS;
    case TLF_EISSUES: return TLF_EXIT_ISSUES;
    case TLF_EOUTPUT: return TLF_EXIT_OUTPUT;
    case TLF_ELOCK:   return TLF_EXIT_LOCK;
    case TLF_EINTR:   return TLF_EXIT_INTR;
    default:          return TLF_EXIT_INTERNAL;
    }
}
