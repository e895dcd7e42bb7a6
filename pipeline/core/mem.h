/*
 * mem.h - allocation that cannot fail.
 *
 * Stage: core. tlfgen is a batch program: running out of memory is not
 * something a table can recover from, so one place decides what it means
 * (report the size on stderr and end the process with exit status 1,
 * "internal error"), as Redis's zmalloc does. Callers never check these
 * for NULL. TLFGEN_FAULT=alloc:N exercises that path (core/fault.h).
 */
#ifndef TLFGEN_MEM_H
#define TLFGEN_MEM_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xreallocarray: realloc for n elements of size, aborting on overflow. */
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);          /* NULL gives NULL */
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size elem) to hold at least need elements. */
void xgrow(void **arr, size_t *cap, size_t need, size_t elem);
#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
