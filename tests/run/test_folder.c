/* test_folder.c - run folders: study lock, atomic publication, latest,
 * stale temporary folders, retention, manifest and verify. */
#include "testutil.h"
#include "core/mem.h"
#include "run/folder.h"
#include "run/manifest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void test_lock_serialises_and_times_out(void **state)
{
    (void)state;
    char *out = test_tmpdir("lock");
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    if (pid == 0) {               /* child: hold the lock until killed */
        int fd;
        tlf_err e;
        if (run_lock_acquire(&fd, out, "S1", 0, &e) != TLF_OK)
            _exit(1);
        if (write(pipefd[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    char c;
    assert_int_equal(read(pipefd[0], &c, 1), 1);
    int fd = -1;
    tlf_err err;
    assert_int_equal(run_lock_acquire(&fd, out, "S1", 0.3, &err), TLF_ELOCK);
    assert_non_null(strstr(err.msg, "another tlfgen run of study S1"));
    /* another study is not blocked */
    assert_int_equal(run_lock_acquire(&fd, out, "S2", 0, &err), TLF_OK);
    run_lock_release(fd);
    kill(pid, SIGKILL);           /* a killed holder releases the lock */
    waitpid(pid, NULL, 0);
    assert_int_equal(run_lock_acquire(&fd, out, "S1", 2, &err), TLF_OK);
    run_lock_release(fd);
    close(pipefd[0]);
    close(pipefd[1]);
    free(out);
}

static void test_publish_is_atomic_and_switches_latest(void **state)
{
    (void)state;
    char *out = test_tmpdir("publish");
    tlf_err err;
    run_folder *rf = NULL;
    assert_int_equal(run_folder_begin(&rf, out, "S1", "csr", "20260101T000000Z-aaa", &err), TLF_OK);
    char *f = run_folder_path(rf, "ard.csv");
    write_text(f, "x\r\n");
    free(f);
    char *final = xasprintf("%s/S1/csr/20260101T000000Z-aaa", out);
    assert_false(exists(final));                 /* invisible until published */
    assert_true(exists(rf->tmp_path));
    assert_int_equal(run_folder_publish(rf, &err), TLF_OK);
    assert_true(exists(final));
    assert_false(exists(rf->tmp_path));
    char *latest = xasprintf("%s/S1/csr/latest", out);
    char target[256] = {0};
    assert_true(readlink(latest, target, sizeof target - 1) > 0);
    assert_string_equal(target, "20260101T000000Z-aaa");
    run_folder_free(rf);

    /* a failed second run leaves nothing visible and latest intact */
    assert_int_equal(run_folder_begin(&rf, out, "S1", "csr", "20260102T000000Z-bbb", &err), TLF_OK);
    run_folder_abort(rf);
    assert_false(exists(rf->tmp_path));
    run_folder_free(rf);
    memset(target, 0, sizeof target);
    assert_true(readlink(latest, target, sizeof target - 1) > 0);
    assert_string_equal(target, "20260101T000000Z-aaa");

    /* a killed run's hidden folder is removed by the next run */
    char *stale = xasprintf("%s/S1/csr/.tmp-20260103T000000Z-ccc", out);
    assert_int_equal(mkdir(stale, 0755), 0);
    assert_int_equal(run_folder_begin(&rf, out, "S1", "csr", "20260104T000000Z-ddd", &err), TLF_OK);
    assert_false(exists(stale));
    run_folder_abort(rf);
    run_folder_free(rf);

    /* the same name twice is refused */
    assert_int_equal(run_folder_begin(&rf, out, "S1", "csr", "20260101T000000Z-aaa", &err),
                     TLF_EOUTPUT);
    free(stale);
    free(final);
    free(latest);
    free(out);
}

static void test_retention_keeps_newest_and_latest(void **state)
{
    (void)state;
    char *out = test_tmpdir("retain");
    tlf_err err;
    const char *names[] = {"20260101T000000Z-a", "20260102T000000Z-b", "20260103T000000Z-c",
                           "20260104T000000Z-d"};
    for (int i = 0; i < 4; i++) {
        run_folder *rf = NULL;
        assert_int_equal(run_folder_begin(&rf, out, "S", "nightly", names[i], &err), TLF_OK);
        assert_int_equal(run_folder_publish(rf, &err), TLF_OK);
        run_folder_free(rf);
    }
    char *base = xasprintf("%s/S/nightly", out);
    assert_int_equal(run_folder_retain(base, 2, &err), TLF_OK);
    for (int i = 0; i < 4; i++) {
        char *p = xasprintf("%s/%s", base, names[i]);
        assert_int_equal(exists(p), i >= 2);
        free(p);
    }
    free(base);
    free(out);
}

static void test_manifest_verify_catches_one_byte(void **state)
{
    (void)state;
    char *dir = test_tmpdir("manifest");
    char *a = xasprintf("%s/ard.csv", dir);
    char *sub = xasprintf("%s/closed", dir);
    char *b = xasprintf("%s/closed/x.pdf", dir);
    write_text(a, "abc\r\n");
    assert_int_equal(mkdir(sub, 0700), 0);
    write_text(b, "%PDF-1.7 body");
    json_t *meta = json_pack("{s:s}", "profile", "csr");
    tlf_err err;
    assert_int_equal(manifest_write(dir, meta, &err), TLF_OK);
    json_decref(meta);
    size_t n = 0;
    assert_int_equal(manifest_verify(dir, &n, &err), TLF_OK);
    assert_int_equal(n, 2);

    run_result r = run_tlfgen("verify '%s'", dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "2 files match"));
    run_result_free(&r);

    write_text(b, "%PDF-1.7 bodY");                /* one changed byte */
    assert_int_equal(manifest_verify(dir, &n, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "closed/x.pdf"));
    r = run_tlfgen("verify '%s'", dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "closed/x.pdf: SHA-256"));
    run_result_free(&r);

    write_text(b, "%PDF-1.7 body");
    char *extra = xasprintf("%s/extra.txt", dir);
    write_text(extra, "?");
    assert_int_equal(manifest_verify(dir, &n, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "extra.txt: present but not in the manifest"));
    unlink(extra);
    unlink(a);
    assert_int_equal(manifest_verify(dir, &n, &err), TLF_EDATA);
    assert_non_null(strstr(err.msg, "ard.csv: missing"));
    free(extra);
    free(a);
    free(b);
    free(sub);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_serialises_and_times_out),
        cmocka_unit_test(test_publish_is_atomic_and_switches_latest),
        cmocka_unit_test(test_retention_keeps_newest_and_latest),
        cmocka_unit_test(test_manifest_verify_catches_one_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
