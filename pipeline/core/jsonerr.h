/*
 * jsonerr.h - where a JSON file failed to load, for messages.
 *
 * Stage: core. jansson reports line -1 when the file could not be read at
 * all (missing, unreadable); a message then says the reason without
 * "(line -1)".
 */
#ifndef TLFGEN_CORE_JSONERR_H
#define TLFGEN_CORE_JSONERR_H

#include <jansson.h>
#include <stdio.h>

/* " (line L, column C)", " (line L)" or "" into buf; returns buf. */
static inline const char *tlf_json_where(char *buf, size_t size, const json_error_t *e)
{
    if (e->line > 0 && e->column > 0)
        snprintf(buf, size, " (line %d, column %d)", e->line, e->column);
    else if (e->line > 0)
        snprintf(buf, size, " (line %d)", e->line);
    else if (size)
        buf[0] = '\0';
    return buf;
}

#endif
