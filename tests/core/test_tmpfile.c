/* test_tmpfile.c - files written whole or not at all (core/tmpfile.h): a
 * failed writer leaves the old file, a symbolic link stays a link, a FIFO
 * (as /dev/full or /dev/stdout would be) is written in place and not
 * replaced by a regular file, a set of files is renamed together, and after
 * a stop request nothing is renamed and no temporary file is left. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/stop.h"
#include "core/tmpfile.h"

static int put_text(FILE *f, void *text, tlf_err *err)
{
    (void)err;
    fputs(text, f);
    return TLF_OK;
}

static int fail_half_way(FILE *f, void *text, tlf_err *err)
{
    fputs(text, f);
    return tlf_err_set(err, TLF_EDATA, "failed half-way");
}

static char *read_all(const char *path)
{
    char *s = test_read_file(path, NULL);
    assert_non_null(s);
    return s;
}

static void test_whole_or_old(void **state)
{
    (void)state;
    char *dir = test_tmpdir("tmpfile-whole");
    char *path = xasprintf("%s/out.csv", dir);
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_tmpfile_write_stream(path, put_text, "one\n", &err), TLF_OK);
    char *s = read_all(path);
    assert_string_equal(s, "one\n");
    free(s);
    /* the mode a new file gets under the umask, not mkstemp's 0600 */
    mode_t mask = umask(022);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    umask(mask);
    /* a writer that fails: the old content stays, nothing beside it */
    assert_int_equal(tlf_tmpfile_write_stream(path, fail_half_way, "two\n", &err), TLF_EDATA);
    s = read_all(path);
    assert_string_equal(s, "one\n");
    free(s);
    s = test_listing(dir, 0);
    assert_string_equal(s, "out.csv\n");
    free(s);
    free(path);
    free(dir);
}

static void test_symlink_written_through(void **state)
{
    (void)state;
    char *dir = test_tmpdir("tmpfile-link");
    char *target = xasprintf("%s/real.csv", dir), *link = xasprintf("%s/link.csv", dir);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(symlink("real.csv", link), 0);
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_tmpfile_write_stream(link, put_text, "through\n", &err), TLF_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));   /* the link was not replaced by a file */
    char *s = read_all(target);
    assert_string_equal(s, "through\n");
    free(s);
    s = test_listing(dir, 0);
    assert_string_equal(s, "link.csv\nreal.csv\n");
    free(s);
    free(link);
    free(target);
    free(dir);
}

static void test_fifo_written_in_place(void **state)
{
    (void)state;
    char *dir = test_tmpdir("tmpfile-fifo");
    char *fifo = xasprintf("%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    /* the reading end, open before the write (O_RDWR: no wait for a writer) */
    int fd = open(fifo, O_RDWR | O_NONBLOCK);
    assert_true(fd >= 0);
    tlf_err err;
    tlf_err_clear(&err);
    assert_int_equal(tlf_tmpfile_write_stream(fifo, put_text, "piped\n", &err), TLF_OK);
    char buf[64] = {0};
    assert_int_equal(read(fd, buf, sizeof buf - 1), 6);
    assert_string_equal(buf, "piped\n");
    close(fd);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));   /* still the FIFO, no regular file over it */
    char *s = test_listing(dir, 0);
    assert_string_equal(s, "pipe\n");
    free(s);
    free(fifo);
    free(dir);
}

/* Two files of one set: renamed together; after a stop request neither
 * (and no temporary file left). Last: the stop request cannot be undone. */
static void test_set_together_or_none(void **state)
{
    (void)state;
    char *dir = test_tmpdir("tmpfile-set");
    char *a = xasprintf("%s/a.pdf", dir), *b = xasprintf("%s/a.rtf", dir);
    tlf_err err;
    tlf_err_clear(&err);
    for (int stopped = 0; stopped < 2; stopped++) {
        tlf_fileset fs = TLF_FILESET_INIT;
        const char *fa = NULL, *fb = NULL;
        assert_int_equal(tlf_fileset_add(&fs, a, &fa, &err), TLF_OK);
        assert_int_equal(tlf_fileset_add(&fs, b, &fb, &err), TLF_OK);
        assert_string_not_equal(fa, a);
        FILE *f = fopen(fa, "w");
        fputs(stopped ? "A2" : "A1", f);
        fclose(f);
        f = fopen(fb, "w");
        fputs(stopped ? "B2" : "B1", f);
        fclose(f);
        char *s = test_listing(dir, 0);
        if (!stopped)   /* not visible before the commit */
            assert_null(strstr(s, "a.pdf\n"));
        free(s);
        if (stopped)
            tlf_stop_request(SIGTERM);
        assert_int_equal(tlf_fileset_commit(&fs, &err), stopped ? TLF_EINTR : TLF_OK);
        s = test_listing(dir, 0);
        assert_string_equal(s, "a.pdf\na.rtf\n");   /* the first set's, no temporary */
        free(s);
        s = read_all(a);
        assert_string_equal(s, "A1");
        free(s);
        s = read_all(b);
        assert_string_equal(s, "B1");
        free(s);
    }
    free(b);
    free(a);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_or_old),
        cmocka_unit_test(test_symlink_written_through),
        cmocka_unit_test(test_fifo_written_in_place),
        cmocka_unit_test(test_set_together_or_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
