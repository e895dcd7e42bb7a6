/*
 * buf.h - a growable byte string.
 *
 * Stage: core. Used wherever text is built piece by piece (CSV fields, ARD
 * params, PDF strings). Always NUL-terminated; len excludes the NUL.
 */
#ifndef TLFGEN_BUF_H
#define TLFGEN_BUF_H

#include <stddef.h>

typedef struct tlf_buf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} tlf_buf;

#define TLF_BUF_INIT {NULL, 0, 0}

void tlf_buf_append(tlf_buf *b, const char *s, size_t n);
void tlf_buf_puts(tlf_buf *b, const char *s);
void tlf_buf_putc(tlf_buf *b, char c);
void tlf_buf_printf(tlf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tlf_buf_reset(tlf_buf *b);          /* empty it, keep the memory */
/* Room for extra more bytes (and the NUL) at data + len, for a caller
 * that writes them there and then adds them to len itself. */
void tlf_buf_reserve(tlf_buf *b, size_t extra);
const char *tlf_buf_cstr(const tlf_buf *b); /* "" when nothing appended */
char *tlf_buf_detach(tlf_buf *b);        /* caller owns the result; b is reset */
void tlf_buf_free(tlf_buf *b);           /* accepts NULL */

#endif
