/*
 * snapshot.c - open the delivered study database without touching it, take
 * a consistent copy into the run's working folder and digest both files.
 *
 * Stage: db. Implements issue 6 part 1 and database.md "It opens the file
 * read-only and never writes it". Design (docs/checks.md, "Snapshot"):
 * the file is first classified without SQLite (db_classify_file), then
 * copied under the read transaction of a SQLITE_OPEN_READONLY connection
 * (byte for byte for a rollback-journal file, with the online backup API
 * for a WAL file), or, for a WAL-mode file that no connection has open (no
 * -wal beside it), byte for byte with a before/after stability test, because a
 * read-only SQLite connection on such a file would create -wal and -shm
 * beside it. Busy databases are retried until a timeout.
 */
#include "db/db.h"
#include "core/fault.h"
#include "core/mem.h"
#include "core/stop.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include "core/sha256.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- classification without SQLite ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 1 when the bytes read like text: printable ASCII, whitespace or UTF-8. */
static int looks_like_text(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
                return 0;
            i++;
            continue;
        }
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (k == 0)
            return 0;
        if (i + k > n)   /* cut at the end of the sample: accept */
            return 1;
        if (!db_utf8_valid(s + i, k))
            return 0;
        i += k;
    }
    return 1;
}

/* Classify path; *is_wal (may be NULL) says whether the header's read and
 * write versions are 2 (WAL mode). */
static int classify(const char *path, const char *name, int *is_wal, tlf_err *err)
{
    static const char magic[16] = "SQLite format 3";   /* with its NUL */
    unsigned char h[512];
    struct stat st;
    int rc = TLF_OK;
    /* The file type first: opening a FIFO (or a tty) would block until a
     * writer comes; O_NONBLOCK covers a swap between the two calls. */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return tlf_err_set(err, TLF_EINPUT, "%s: not a regular file (%s)", name,
                           S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a socket");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return tlf_err_set(err, TLF_EINPUT, "%s: no such file", name);
        return tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", name, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: not a regular file", name);
        goto out;
    }
    if (st.st_size == 0) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: file is empty (0 bytes), not a SQLite database", name);
        goto out;
    }
    ssize_t got = pread(fd, h, sizeof h, 0);
    if (got < 0) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: read error: %s", name, strerror(errno));
        goto out;
    }
    size_t n = (size_t)got;
    if (n < sizeof magic || memcmp(h, magic, sizeof magic) != 0) {
        if (n >= sizeof magic || memcmp(h, magic, n) != 0) {
            if (looks_like_text(h, n))
                rc = tlf_err_set(err, TLF_EINPUT, "%s: a text file, not a SQLite database", name);
            else
                rc = tlf_err_set(err, TLF_EINPUT,
                                 "%s: not a SQLite database (encrypted or corrupt?)", name);
            goto out;
        }
    }
    if (n < 100) {
        rc = tlf_err_set(err, TLF_EINPUT,
                         "%s: truncated SQLite database (%zu bytes, shorter than its header)",
                         name, n);
        goto out;
    }
    uint32_t psz = (uint32_t)h[16] << 8 | h[17];
    if (psz == 1)
        psz = 65536;
    if (psz < 512 || (psz & (psz - 1)) != 0) {
        rc = tlf_err_set(err, TLF_EINPUT,
                         "%s: not a SQLite database (encrypted or corrupt?): bad page size %u",
                         name, psz);
        goto out;
    }
    uint32_t npages = be32(h + 28);
    int header_count_valid = npages > 0 && be32(h + 24) == be32(h + 92);
    uint64_t expect = header_count_valid ? (uint64_t)npages * psz : psz;
    if ((uint64_t)st.st_size < expect || (uint64_t)st.st_size % psz != 0) {
        rc = tlf_err_set(err, TLF_EINPUT,
                         "%s: truncated SQLite database (%lld bytes; its header says %llu)",
                         name, (long long)st.st_size, (unsigned long long)expect);
        goto out;
    }
    if (is_wal)
        *is_wal = h[18] == 2 && h[19] == 2;
out:
    close(fd);
    return rc;
}

int db_classify_file(const char *path, tlf_err *err)
{
    return classify(path, path, NULL, err);
}

/* ---- opening read-only ---- */

static const char *const STUDY_TABLES_SQL =
    "SELECT count(*) FROM sqlite_schema WHERE type IN ('table','view') AND upper(name) IN "
    "('DM','SC','VS','DS','EX','CM','AE','LB','PC','RE','FT','RS','DV','DBSTATUS')";

/* Open path read-only as every reader of a snapshot does; name is the
 * file the messages name. */
static int open_reader(sqlite3 **out, const char *path, const char *name, tlf_err *err)
{
    sqlite3 *db = NULL;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", name,
                             db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_extended_result_codes(db, 1);
    /* No memory map (PRAGMA mmap_size): every mapped page a connection
     * touches counts in the process's resident set, once per connection,
     * so mapping the snapshot made the peak RSS grow with the database
     * (issue 16: 30k study 1.31 GB, 100k + 20k 2.29 GB, against the
     * 1 GiB target) for a gain lost in the noise on a quiet machine (30k
     * nightly 8.7-9.6 s with or without it, derivation 5.3-5.5 s CPU). */
    *out = db;
    return TLF_OK;
}

int db_open_snapshot(sqlite3 **out, const char *path, tlf_err *err)
{
    return open_reader(out, path, path, err);
}

double db_table_rows(sqlite3 *db, const char *table)
{
    char *sql = sqlite3_mprintf("SELECT max(_rowid_) FROM \"%w\"", table);
    sqlite3_stmt *st = NULL;
    double n = 0;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
        n = (double)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return n;
}

/* PRAGMA quick_check on db: TLF_OK, or TLF_EINPUT naming name (TLF_EINTR
 * when a stop request interrupted it). */
static int quick_check(sqlite3 *db, const char *name, tlf_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TLF_OK;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: not a SQLite database (encrypted or corrupt?): %s",
                         name, sqlite3_errmsg(db));
        goto out;
    }
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        if (!(rc = tlf_stop_check(err)))
            rc = tlf_err_set(err, TLF_EINPUT, "%s: corrupt or truncated SQLite database: %s",
                             name, sqlite3_errmsg(db));
        goto out;
    }
    const char *res = (const char *)sqlite3_column_text(st, 0);
    if (!res || strcmp(res, "ok") != 0)
        rc = tlf_err_set(err, TLF_EINPUT,
                         "%s: corrupt or truncated SQLite database (quick_check: %s)",
                         name, res ? res : "no answer");
out:
    sqlite3_finalize(st);
    return rc;
}

/* Open path read-only after classify, run quick_check when verify is set,
 * and require one of the study tables. Without verify, a failure here is
 * still reported as the corruption it may be: quick_check is run then
 * and its answer, when it has one, is the error. */
static int open_checked(sqlite3 **out, const char *path, const char *name, int verify,
                        tlf_err *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = classify(path, name, NULL, err);
    *out = NULL;
    if (rc || (rc = open_reader(&db, path, name, err)))
        return rc;
    if (verify && (rc = quick_check(db, name, err)))
        goto out;
    if (sqlite3_prepare_v2(db, STUDY_TABLES_SQL, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        if (!verify && (rc = quick_check(db, name, err)))
            goto out;
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot read the schema: %s", name,
                         sqlite3_errmsg(db));
        goto out;
    }
    if (sqlite3_column_int(st, 0) == 0) {
        rc = tlf_err_set(err, TLF_EINPUT,
                         "%s: a SQLite database with none of the study tables "
                         "(DM, SC, VS, DS, EX, CM, AE, LB, PC, RE, FT, RS, DV, DBSTATUS)",
                         name);
        goto out;
    }
    *out = db;
    db = NULL;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int db_open_input(sqlite3 **out, const char *path, tlf_err *err)
{
    return open_checked(out, path, path, 1, err);
}

/* ---- the snapshot ---- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* 1 when a -wal or -shm file is beside path. */
static int has_wal_sidecar(const char *path)
{
    char *w = xasprintf("%s-wal", path), *s = xasprintf("%s-shm", path);
    int r = file_exists(w) || file_exists(s);
    free(w);
    free(s);
    return r;
}

enum { COPY_DONE = 0, COPY_RETRY = 1 };

/* The digest of the file open as fd, read from its start on a thread of
 * its own (digest_run) while copy_digest copies it. */
typedef struct digest_job {
    int fd;
    const char *name;
    atomic_int *stop;        /* the copy failed: stop reading */
    int rc;
    tlf_err err;
    char hex[65];
} digest_job;

static void *digest_run(void *arg)
{
    digest_job *d = arg;
    tlf_sha256_ctx *h = tlf_sha256_begin();
    size_t bufsz = 1 << 20;
    char *buf = xmalloc(bufsz);
    off_t at = 0;
    d->rc = TLF_OK;
    while (!atomic_load(d->stop) && (d->rc = tlf_stop_check(&d->err)) == TLF_OK) {
        ssize_t n;
        do
            n = pread(d->fd, buf, bufsz, at);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            d->rc = tlf_err_set(&d->err, TLF_EINPUT, "%s: read error: %s", d->name,
                                strerror(errno));
            break;
        }
        if (n == 0)
            break;
        at += n;
        tlf_sha256_update(h, buf, (size_t)n);
    }
    tlf_sha256_end(h, d->hex);
    free(buf);
    return NULL;
}

/* Copy the file open as in (from its start) into dst_path and digest it,
 * the digest on a second thread reading the same bytes (they cannot
 * change: the caller holds the read transaction, or checks that the file
 * did not change once both are done). Issue 16: the backup API, then a
 * second read for the digest, took 2.4 s of a 441 MB study's 60 s run;
 * one read for both, 6.7 s of the 1.86 GB 120k study's, of which SHA-256
 * is 1.3 s (OpenSSL, 1.4 GB/s) and the copy, the kernel's work, the
 * rest: on two threads the digest is done before the copy. A stop
 * request ends both between chunks. */
static int copy_digest(int in, const char *name, const char *dst_path, char sha[65],
                       tlf_err *err)
{
    int rc = TLF_OK;
    int outfd = open(dst_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (outfd < 0)
        return tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create: %s", dst_path, strerror(errno));
    atomic_int stop = 0;
    digest_job dj = {.fd = in, .name = name, .stop = &stop};
    tlf_err_clear(&dj.err);
    pthread_t th;
    /* no second thread while faults are injected: their counters are one
     * thread's, so that the N-th call is the same in every run (fault.h) */
    int threaded = !tlf_fault_enabled() && pthread_create(&th, NULL, digest_run, &dj) == 0;
    size_t bufsz = 1 << 20;
    char *buf = xmalloc(bufsz);
    off_t at = 0;
    for (;;) {
        if ((rc = tlf_stop_check(err)))
            break;
        ssize_t n;
        do
            n = pread(in, buf, bufsz, at);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            rc = tlf_err_set(err, TLF_EINPUT, "%s: read error: %s", name, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        at += n;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(outfd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write the snapshot: %s",
                                 dst_path, strerror(w < 0 ? errno : ENOSPC));
                break;
            }
            done += w;
        }
        if (rc)
            break;
    }
    free(buf);
    if (rc)
        atomic_store(&stop, 1);
    if (threaded)
        pthread_join(th, NULL);
    else if (!rc)
        digest_run(&dj);   /* no thread to be had: after the copy */
    if (rc == TLF_OK && dj.rc != TLF_OK)
        rc = tlf_err_set(err, dj.rc, "%s", dj.err.msg);
    if (close(outfd) != 0 && rc == TLF_OK)
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write the snapshot: %s", dst_path,
                         strerror(errno));
    if (rc == TLF_OK)
        memcpy(sha, dj.hex, sizeof dj.hex);
    return rc;
}

/* Copy inside one read transaction (a rollback-journal file byte for byte,
 * a WAL file through SQLite's backup API), and digest the input file while
 * that transaction keeps writers from committing to it. When a -wal file with frames sits beside the input, what was read is
 * the main file plus committed frames that the main file does not hold
 * yet, so the file's digest would not name the data: *from_wal is set and
 * the caller digests the snapshot instead (issue 17: two different WAL
 * databases gave one run id). COPY_RETRY when busy/locked. */
static int copy_backup(const char *src_path, const char *dst_path, const char *name,
                       int is_wal, char sha[65], int *from_wal, tlf_err *err)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *bk = NULL;
    int rc = TLF_OK;
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open read-only: %s", name,
                         src ? sqlite3_errmsg(src) : "out of memory");
        goto out;
    }
    sqlite3_db_config(src, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    int s = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    if ((s & 0xff) == SQLITE_BUSY || (s & 0xff) == SQLITE_LOCKED) {
        rc = COPY_RETRY;
        goto out;
    }
    if (s != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot read the database: %s", name,
                         sqlite3_errmsg(src));
        goto out;
    }
    unlink(dst_path);
    if (!is_wal) {
        /* A rollback-journal file: the shared lock of the read transaction
         * keeps every writer from changing the file until it ends, so its
         * bytes are the committed state; one read copies and digests them,
         * and the copy is the file as delivered (snapshot digest = input
         * digest). A WAL file's committed state may be partly in its -wal,
         * and a checkpoint may write the main file during a read
         * transaction: that one goes through the backup API. */
        int in = open(src_path, O_RDONLY | O_CLOEXEC);
        if (in < 0)
            rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", name, strerror(errno));
        else {
            rc = copy_digest(in, name, dst_path, sha, err);
            close(in);
        }
        goto out;
    }
    if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot create the snapshot: %s", dst_path,
                         dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        rc = tlf_err_set(err, TLF_EINTERNAL, "%s: backup failed to start: %s", name,
                         sqlite3_errmsg(dst));
        goto out;
    }
    s = sqlite3_backup_step(bk, -1);
    int f = sqlite3_backup_finish(bk);
    bk = NULL;
    int base = s & 0xff;
    if (base == SQLITE_BUSY || base == SQLITE_LOCKED) {
        rc = COPY_RETRY;
    } else if (base == SQLITE_FULL || s == SQLITE_IOERR_WRITE || s == SQLITE_IOERR_FSYNC ||
               s == SQLITE_IOERR_TRUNCATE || s == SQLITE_IOERR_DIR_FSYNC) {
        /* the copy could not be written (a full disk): an output problem,
         * not the input's (found by tests/e2e/test_faults.c) */
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: cannot write the snapshot: %s", dst_path,
                         sqlite3_errstr(s));
    } else if (s != SQLITE_DONE) {
        int code = (base == SQLITE_NOTADB || base == SQLITE_CORRUPT || base == SQLITE_IOERR ||
                    base == SQLITE_CANTOPEN || base == SQLITE_READONLY)
                       ? TLF_EINPUT : TLF_EINTERNAL;
        rc = tlf_err_set(err, code, "%s: cannot read the database: %s", name, sqlite3_errstr(s));
    } else if (f != SQLITE_OK) {
        rc = tlf_err_set(err, TLF_EOUTPUT, "%s: snapshot failed: %s", dst_path, sqlite3_errstr(f));
    } else {
        /* still inside the read transaction: the WAL cannot be reset under us */
        char *wal = xasprintf("%s-wal", src_path);
        struct stat ws;
        *from_wal = stat(wal, &ws) == 0 && ws.st_size > 32;   /* more than its header */
        free(wal);
        rc = *from_wal ? TLF_OK : tlf_sha256_file(src_path, sha, err);
    }
out:
    if (bk)
        sqlite3_backup_finish(bk);
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}

/* Byte copy of a WAL-mode file no connection has open. COPY_RETRY when the
 * file or its sidecars changed while copying. */
static int copy_bytes(const char *src_path, const char *dst_path, const char *name,
                      char sha[65], tlf_err *err)
{
    int rc = TLF_OK, in = -1;
    struct stat a, b;
    if (has_wal_sidecar(src_path))
        return COPY_RETRY;
    in = open(src_path, O_RDONLY | O_CLOEXEC);
    if (in < 0 || fstat(in, &a) != 0) {
        rc = tlf_err_set(err, TLF_EINPUT, "%s: cannot open: %s", name, strerror(errno));
        goto out;
    }
    /* digested as copied: the stability test below covers both */
    rc = copy_digest(in, name, dst_path, sha, err);
    if (rc)
        goto out;
    if (fstat(in, &b) != 0 || a.st_size != b.st_size || a.st_mtim.tv_sec != b.st_mtim.tv_sec ||
        a.st_mtim.tv_nsec != b.st_mtim.tv_nsec || has_wal_sidecar(src_path))
        rc = COPY_RETRY;
out:
    if (in >= 0)
        close(in);
    return rc;
}

/* Put the snapshot in rollback-journal mode so read-only opens of it never
 * need -wal/-shm. The snapshot is ours: writing it is allowed. */
static int snapshot_to_rollback(const char *path, tlf_err *err)
{
    sqlite3 *db = NULL;
    int rc = TLF_OK;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = tlf_err_set(err, TLF_EINPUT, "%s: snapshot unusable: %s", path,
                         db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return rc;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* Fill the DBSTATUS fields when the table exists with exactly one row and
 * its five columns; anything else is a finding for db_check. */
static void read_status(db_snapshot *s, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT STUDYID, STATUS, STATUSDTC, CUTOFFDTC, LOCKBY, "
                           "(SELECT count(*) FROM DBSTATUS) FROM DBSTATUS LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 5) == 1) {
        s->has_status = 1;
        s->studyid = col_dup(st, 0);
        s->status = col_dup(st, 1);
        s->statusdtc = col_dup(st, 2);
        s->cutoffdtc = col_dup(st, 3);
        s->lockby = col_dup(st, 4);
    }
    sqlite3_finalize(st);
}

static int take(db_snapshot **out, const char *input_path, const char *workdir,
                int busy_timeout_ms, int verify, tlf_err *err)
{
    db_snapshot *s = xcalloc(1, sizeof *s);
    sqlite3 *db = NULL;
    int is_wal = 0;
    *out = NULL;
    int rc = classify(input_path, input_path, &is_wal, err);
    if (rc)
        goto out;
    s->snapshot_path = xasprintf("%s/snapshot.sqlite", workdir);
    int from_wal = 0;
    double deadline = now_ms() + (busy_timeout_ms > 0 ? busy_timeout_ms : 0);
    for (;;) {
        char *wal = xasprintf("%s-wal", input_path);
        int bytewise = is_wal && !file_exists(wal);
        free(wal);
        from_wal = 0;
        rc = bytewise ? copy_bytes(input_path, s->snapshot_path, input_path, s->input_sha256, err)
                      : copy_backup(input_path, s->snapshot_path, input_path, is_wal,
                                    s->input_sha256, &from_wal, err);
        if (rc != COPY_RETRY)
            break;
        if ((rc = tlf_stop_check(err)))
            break;
        if (now_ms() >= deadline) {
            rc = tlf_err_set(err, TLF_EINPUT,
                             "%s: database is locked by another process (still busy after %d ms; "
                             "see --busy-timeout)", input_path, busy_timeout_ms);
            break;
        }
        sleep_ms(50);
    }
    if (rc)
        goto out;
    rc = snapshot_to_rollback(s->snapshot_path, err);
    if (rc)
        goto out;
    rc = open_checked(&db, s->snapshot_path, input_path, verify, err);
    if (rc)
        goto out;
    read_status(s, db);
    sqlite3_close(db);
    db = NULL;
    if (!is_wal)
        /* the byte copy of a rollback file, which nothing has written since
         * (journal_mode was DELETE already; quick_check only reads) */
        memcpy(s->snapshot_sha256, s->input_sha256, sizeof s->snapshot_sha256);
    else if ((rc = tlf_sha256_file(s->snapshot_path, s->snapshot_sha256, err)))
        goto out;
    if (from_wal) {
        memcpy(s->input_sha256, s->snapshot_sha256, sizeof s->input_sha256);
        s->digest_of_snapshot = 1;
    }
    *out = s;
    s = NULL;
out:
    sqlite3_close(db);
    if (s && s->snapshot_path) {
        /* leave no half-made snapshot behind (only our own files) */
        char *j = xasprintf("%s-journal", s->snapshot_path);
        unlink(s->snapshot_path);
        unlink(j);
        free(j);
    }
    db_snapshot_free(s);
    return rc;
}

int db_snapshot_take(db_snapshot **out, const char *input_path, const char *workdir,
                     int busy_timeout_ms, tlf_err *err)
{
    return take(out, input_path, workdir, busy_timeout_ms, 1, err);
}

int db_snapshot_copy(db_snapshot **out, const char *input_path, const char *workdir,
                     int busy_timeout_ms, tlf_err *err)
{
    return take(out, input_path, workdir, busy_timeout_ms, 0, err);
}

int db_snapshot_verify(const db_snapshot *s, const char *name, tlf_err *err)
{
    sqlite3 *db = NULL;
    int rc = open_reader(&db, s->snapshot_path, name, err);
    if (!rc)
        rc = quick_check(db, name, err);
    sqlite3_close(db);
    return rc;
}

/* A name that becomes one folder of the run path: no way out of the
 * output folder. */
static int safe_folder_name(const char *name)
{
    if (!name || !*name || *name == '.' || strlen(name) > 64)
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-' || *c == '_'))
            return 0;
    return 1;
}

int db_snapshot_usable(const db_snapshot *s, const char *name, tlf_err *err)
{
    if (!s->has_status || !s->studyid || !s->status)
        return tlf_err_set(err, TLF_EINPUT,
                           "%s: table DBSTATUS must hold exactly one row with STUDYID and STATUS",
                           name);
    if (!safe_folder_name(s->studyid)) {
        size_t n = strlen(s->studyid);
        /* the reason first, then at most 64 characters of the value */
        return tlf_err_set(err, TLF_EINPUT,
                           "%s: table DBSTATUS, column STUDYID cannot name a folder (letters, "
                           "digits, '.', '-', '_' only, at most 64, not starting with '.'): "
                           "'%.64s'%s (%zu characters)", name, s->studyid, n > 64 ? "..." : "", n);
    }
    return TLF_OK;
}

void db_snapshot_free(db_snapshot *s)
{
    if (!s)
        return;
    free(s->snapshot_path);
    free(s->studyid);
    free(s->status);
    free(s->statusdtc);
    free(s->cutoffdtc);
    free(s->lockby);
    free(s);
}
