/* test_snapshot.c - the snapshot never touches the input: digests, mtime
 * and the folder's listing are unchanged, also while another process holds
 * a write transaction; busy databases are retried, then time out clearly. */
#include "testutil.h"
#include "study/study.h"
#include "minidb.h"
#include "core/mem.h"
#include "db/db.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *listing(const char *dir)
{
    run_result r = run_sh("ls -A '%s'", dir);
    assert_int_equal(r.status, 0);
    char *s = xstrdup(r.out);
    run_result_free(&r);
    return s;
}

static char *sha256sum(const char *path)
{
    run_result r = run_sh("sha256sum '%s' | cut -c1-64", path);
    assert_int_equal(r.status, 0);
    char *s = xstrndup(r.out, 64);
    run_result_free(&r);
    return s;
}

static struct timespec mtime(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mtim;
}

static int count_rows(const char *path, const char *table)
{
    sqlite3 *db = NULL;
    tlf_err err = {0, ""};
    if (db_open_input(&db, path, &err) != 0)
        fail_msg("%s", err.msg);
    char *sql = xasprintf("SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(sql);
    return n;
}

/* A writer in another process: opens path, runs `begin` (a BEGIN and an
 * INSERT), tells the parent, then commits when the parent writes to the
 * release pipe or after hold_ms (-1: only on release). */
typedef struct writer {
    pid_t pid;
    int release_fd;
} writer;

static writer writer_start(const char *path, const char *begin, int hold_ms)
{
    int ready[2], release[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        sqlite3 *db = NULL;
        int ok = sqlite3_open(path, &db) == SQLITE_OK && sqlite3_busy_timeout(db, 10000) == 0 &&
                 sqlite3_exec(db, begin, NULL, NULL, NULL) == SQLITE_OK;
        char c = ok ? 'k' : 'x';
        if (write(ready[1], &c, 1) != 1)
            _exit(3);
        struct pollfd p = {release[0], POLLIN, 0};
        poll(&p, 1, hold_ms);
        ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
        sqlite3_close(db);
        _exit(ok ? 0 : 4);
    }
    close(ready[1]);
    close(release[0]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    assert_int_equal(c, 'k');
    return (writer){pid, release[1]};
}

static void writer_finish(writer *w)
{
    char c = 'r';
    signal(SIGPIPE, SIG_IGN);     /* the writer may be gone already */
    if (write(w->release_fd, &c, 1) != 1)
        c = 0;
    close(w->release_fd);
    int st = 0;
    assert_int_equal(waitpid(w->pid, &st, 0), w->pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static const char INSERT_DV[] =
    "INSERT INTO DV VALUES ('TAC01-002',1,'Missed visit','MISSED VISIT','MINOR','2024-03-01')";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_snapshot_digests_and_input_untouched(void **state)
{
    (void)state;
    char *in = test_tmpdir("snap-in"), *work = test_tmpdir("snap-work");
    char *path = xasprintf("%s/study.sqlite", in);
    minidb_create(path, NULL);
    char *before = listing(in), *sha = sha256sum(path);
    struct timespec m0 = mtime(path);
    db_snapshot *s = NULL;
    tlf_err err = {0, ""};
    assert_int_equal(db_snapshot_take(&s, path, work, 1000, &err), 0);
    assert_string_equal(s->input_sha256, sha);
    char *snapsha = sha256sum(s->snapshot_path);
    assert_string_equal(s->snapshot_sha256, snapsha);
    assert_int_equal(s->has_status, 1);
    assert_string_equal(s->status, "HARD LOCK");
    assert_string_equal(s->cutoffdtc, "2024-12-31");
    assert_string_equal(s->studyid, "TAC01");
    assert_int_equal(count_rows(s->snapshot_path, "DM"), 3);
    char *after = listing(in), *sha2 = sha256sum(path);
    struct timespec m1 = mtime(path);
    assert_string_equal(before, after);
    assert_string_equal(sha, sha2);
    assert_true(m0.tv_sec == m1.tv_sec && m0.tv_nsec == m1.tv_nsec);
    /* the snapshot's data are the input's */
    db_findings f = DB_FINDINGS_INIT;
    sqlite3 *db = NULL;
    assert_int_equal(db_open_input(&db, s->snapshot_path, &err), 0);
    tlf_study *chk_study = test_study();
    assert_int_equal(db_check(&f, db, NULL, chk_study, &err), 0);
    tlf_study_free(chk_study);
    assert_int_equal(f.n, 0);
    sqlite3_close(db);
    db_snapshot_free(s);
    free(before), free(after), free(sha), free(sha2), free(snapsha), free(path), free(in),
        free(work);
}

static void test_snapshot_of_wal_file_creates_nothing(void **state)
{
    (void)state;
    char *in = test_tmpdir("snap-wal-in"), *work = test_tmpdir("snap-wal-work");
    char *path = xasprintf("%s/study.sqlite", in);
    minidb_create(path, "PRAGMA journal_mode=WAL");
    char *before = listing(in), *sha = sha256sum(path);
    assert_string_equal(before, "study.sqlite\n");     /* closed: no -wal, -shm */
    struct timespec m0 = mtime(path);
    db_snapshot *s = NULL;
    tlf_err err = {0, ""};
    assert_int_equal(db_snapshot_take(&s, path, work, 1000, &err), 0);
    char *after = listing(in), *sha2 = sha256sum(path);
    struct timespec m1 = mtime(path);
    assert_string_equal(before, after);
    assert_string_equal(s->input_sha256, sha);
    assert_string_equal(sha, sha2);
    assert_true(m0.tv_sec == m1.tv_sec && m0.tv_nsec == m1.tv_nsec);
    assert_int_equal(count_rows(s->snapshot_path, "DV"), 1);
    db_snapshot_free(s);
    free(before), free(after), free(sha), free(sha2), free(path), free(in), free(work);
}

/* A writer holding BEGIN IMMEDIATE + an insert (RESERVED lock in rollback
 * mode, or a WAL write transaction): the snapshot goes through at once
 * with the last committed state and creates nothing beside the input. */
static void snapshot_beside_writer(const char *mode_sql, const char *tag)
{
    char *in = test_tmpdir(tag), *work = xasprintf("%s-work", in);
    assert_int_equal(mkdir(work, 0755), 0);
    char *path = xasprintf("%s/study.sqlite", in);
    minidb_create(path, mode_sql);
    char *sql = xasprintf("BEGIN IMMEDIATE; %s", INSERT_DV);
    writer w = writer_start(path, sql, -1);
    char *during = listing(in);
    db_snapshot *s = NULL;
    tlf_err err = {0, ""};
    double t0 = now_ms();
    int rc = db_snapshot_take(&s, path, work, 3000, &err);
    double dt = now_ms() - t0;
    char *after = listing(in);
    writer_finish(&w);
    if (rc)
        fail_msg("%s", err.msg);
    assert_true(dt < 2000);
    assert_string_equal(during, after);      /* only the writer's own files */
    assert_int_equal(count_rows(s->snapshot_path, "DV"), 1);   /* not the uncommitted row */
    db_snapshot_free(s);
    free(sql), free(during), free(after), free(path), free(work), free(in);
}

static void test_snapshot_beside_rollback_writer(void **state)
{
    (void)state;
    snapshot_beside_writer(NULL, "snap-writer");
}

static void test_snapshot_beside_wal_writer(void **state)
{
    (void)state;
    snapshot_beside_writer("PRAGMA journal_mode=WAL", "snap-walwriter");
}

/* An exclusive writer blocks readers: the snapshot retries, then copies the
 * committed state once the writer is done. */
static void test_snapshot_retries_until_writer_commits(void **state)
{
    (void)state;
    char *in = test_tmpdir("snap-retry"), *work = xasprintf("%s-work", in);
    assert_int_equal(mkdir(work, 0755), 0);
    char *path = xasprintf("%s/study.sqlite", in);
    minidb_create(path, NULL);
    char *sql = xasprintf("BEGIN EXCLUSIVE; %s", INSERT_DV);
    writer w = writer_start(path, sql, 600);
    db_snapshot *s = NULL;
    tlf_err err = {0, ""};
    double t0 = now_ms();
    int rc = db_snapshot_take(&s, path, work, 10000, &err);
    double dt = now_ms() - t0;
    writer_finish(&w);
    if (rc)
        fail_msg("%s", err.msg);
    assert_true(dt >= 400);                   /* it had to wait */
    assert_int_equal(count_rows(s->snapshot_path, "DV"), 2);
    char *sha = sha256sum(path);
    assert_string_equal(s->input_sha256, sha); /* digested with the copy */
    db_snapshot_free(s);
    free(sha), free(sql), free(path), free(work), free(in);
}

static void test_snapshot_times_out_clearly(void **state)
{
    (void)state;
    char *in = test_tmpdir("snap-timeout"), *work = xasprintf("%s-work", in);
    assert_int_equal(mkdir(work, 0755), 0);
    char *path = xasprintf("%s/study.sqlite", in);
    minidb_create(path, NULL);
    char *sql = xasprintf("BEGIN EXCLUSIVE; %s", INSERT_DV);
    writer w = writer_start(path, sql, -1);
    db_snapshot *s = NULL;
    tlf_err err = {0, ""};
    double t0 = now_ms();
    int rc = db_snapshot_take(&s, path, work, 300, &err);
    double dt = now_ms() - t0;
    writer_finish(&w);
    assert_int_equal(rc, TLF_EINPUT);
    assert_null(s);
    assert_true(dt >= 300 && dt < 3000);
    assert_non_null(strstr(err.msg, "locked by another process"));
    assert_non_null(strstr(err.msg, path));
    char *left = listing(work);
    assert_string_equal(left, "");            /* no half-made snapshot */
    free(left), free(sql), free(path), free(work), free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_digests_and_input_untouched),
        cmocka_unit_test(test_snapshot_of_wal_file_creates_nothing),
        cmocka_unit_test(test_snapshot_beside_rollback_writer),
        cmocka_unit_test(test_snapshot_beside_wal_writer),
        cmocka_unit_test(test_snapshot_retries_until_writer_commits),
        cmocka_unit_test(test_snapshot_times_out_clearly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
