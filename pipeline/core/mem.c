/* mem.c - allocation that ends the process with the size on failure (see mem.h). */
#include "core/mem.h"
#include "core/err.h"
#include "core/fault.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Out of memory: say so in one line and end with exit status 1 (internal
 * error), without unwinding: _exit runs no handler that might allocate,
 * and a run's hidden work folder is removed by the next run. Not abort():
 * a batch job's core dump helps nobody here, and the status is documented. */
static void oom(size_t size)
{
    fprintf(stderr, "tlfgen: out of memory allocating %zu bytes\n", size);
    _exit(TLF_EXIT_INTERNAL);
}

void *xmalloc(size_t size)
{
    void *p = tlf_fault_hit(TLF_FAULT_ALLOC) ? NULL : malloc(size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = tlf_fault_hit(TLF_FAULT_ALLOC) ? NULL : calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = tlf_fault_hit(TLF_FAULT_ALLOC) ? NULL : realloc(ptr, size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void *xreallocarray(void *ptr, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        oom(SIZE_MAX);
    return xrealloc(ptr, n * size);
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        oom(0);
    char *p = xmalloc((size_t)len + 1);
    vsnprintf(p, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void xgrow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    *arr = xreallocarray(*arr, ncap, elem);
    *cap = ncap;
}
