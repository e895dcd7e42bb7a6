/* testutil.c - helpers shared by the cmocka tests (see testutil.h). */
#include "testutil.h"
#include "study/study.h"
#include "core/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TLFGEN_TEST_TMP
#define TLFGEN_TEST_TMP "/tmp"
#endif

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

static run_result run_line(const char *line)
{
    run_result r = {0, NULL, NULL};
    char outp[] = "/tmp/tlfgen-test-out-XXXXXX", errp[] = "/tmp/tlfgen-test-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    assert_true(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char *full = xasprintf("( %s ) >%s 2>%s </dev/null", line, outp, errp);
    int st = system(full);
    free(full);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = test_read_file(outp, NULL);
    r.err = test_read_file(errp, NULL);
    unlink(outp);
    unlink(errp);
    if (!r.out)
        r.out = xstrdup("");
    if (!r.err)
        r.err = xstrdup("");
    return r;
}

run_result run_sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(fmt, ap);
    va_end(ap);
    run_result r = run_line(line);
    free(line);
    return r;
}

run_result run_tlfgen(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *args = vformat(fmt, ap);
    va_end(ap);
    char *line = xasprintf("'%s' %s", TLFGEN_BIN, args);
    run_result r = run_line(line);
    free(line);
    free(args);
    return r;
}

void run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *test_tmpdir(const char *tag)
{
    char *dir = xasprintf("%s/%s-%ld", TLFGEN_TEST_TMP, tag, (long)getpid());
    char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return dir;
}

char *test_demo_db(const char *tag, const char *opts, const char *name, char **dir)
{
    *dir = test_tmpdir(tag);
    char *path = xasprintf("%s/%s", *dir, name);
    run_result r = run_tlfgen("demo-db %s --out '%s'", opts, path);
    if (r.status != 0)
        fail_msg("demo-db %s failed: %s", opts, r.err);
    run_result_free(&r);
    return path;
}

char *test_listing(const char *dir, int inodes)
{
    run_result r = run_sh("ls -A%s '%s' 2>/dev/null | sort -k%d", inodes ? "i" : "", dir,
                          inodes ? 2 : 1);
    char *s = xstrdup(r.out);
    run_result_free(&r);
    return s;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        XGROW(buf, cap, n + 65536);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

char *test_source_path(const char *rel)
{
    char *p = xasprintf("%s/%s", TLFGEN_SOURCE_DIR, rel);
    /* say which input is missing, not a later "0x3 != 0" from its reader */
    if (access(p, F_OK) != 0)
        fail_msg("test input missing: %s (%s)", p, strerror(errno));
    return p;
}

struct tlf_study *test_study(void)
{
    char *path = test_source_path("config/study.json");
    tlf_study *st = NULL;
    tlf_err err;
    if (tlf_study_load(&st, path, &err) != TLF_OK)
        fail_msg("%s", err.msg);
    free(path);
    return st;
}
