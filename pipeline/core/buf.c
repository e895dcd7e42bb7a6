/* buf.c - growable byte string (see buf.h). */
#include "core/buf.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(tlf_buf *b, size_t extra)
{
    xgrow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

void tlf_buf_reserve(tlf_buf *b, size_t extra)
{
    reserve(b, extra);
}

void tlf_buf_append(tlf_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tlf_buf_puts(tlf_buf *b, const char *s)
{
    tlf_buf_append(b, s, strlen(s));
}

void tlf_buf_putc(tlf_buf *b, char c)
{
    tlf_buf_append(b, &c, 1);
}

void tlf_buf_printf(tlf_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void tlf_buf_reset(tlf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *tlf_buf_cstr(const tlf_buf *b)
{
    return b->data ? b->data : "";
}

char *tlf_buf_detach(tlf_buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void tlf_buf_free(tlf_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
