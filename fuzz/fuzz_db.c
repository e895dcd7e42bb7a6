/*
 * fuzz_db.c - libFuzzer target: whole study databases. A small valid demo
 * database (6 treated subjects, 3 controls) is mutated at the SQL level by
 * the fuzzer's bytes, read as a list of operations (set a value NULL, to
 * an integer, a real, a text of the input's bytes, a date in one of many
 * formats, a long text; delete or duplicate a row; copy a value from
 * another row), then the whole pipeline runs on it: snapshot, checks,
 * derivation, analyses, a table, a listing, a figure and the data-issues
 * listing rendered and published (a nightly-like profile that goes on
 * through data errors). Any outcome but a crash, a sanitizer report, a
 * leak or a hang is fine: a bad database must give a message.
 * Build and run: see fuzz/README.md.
 */
#define _XOPEN_SOURCE 700    /* nftw */
#include "core/mem.h"
#include "demo/demo.h"
#include "run/pipeline.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TABLES 32
#define MAX_COLS 32

typedef struct fz_table {
    char *name;
    char *cols[MAX_COLS];
    int ncols;
} fz_table;

static char workdir[256], base_path[300], db_path[300], out_dir[300], prof_path[300];
static unsigned char *base_bytes;
static size_t base_len;
static fz_table tables[MAX_TABLES];
static int ntables;

static const char *const DATE_FORMATS[] = {
    "%04d-%02d-%02d", "%04d-%02d", "%04d", "%02d/%02d/%04d", "%04d%02d%02d",
    "%04d-%02d-%02dT%02d:00", "%04d-%02d-%02d %02d", "%02d-%02d-%04d", "%04d/%02d/%02d",
    "%04d-%02d-%02dT25:61:61", "--%02d-%02d", "%04d-%02d-UN"};
#define NFORMATS (sizeof DATE_FORMATS / sizeof DATE_FORMATS[0])

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (n && fwrite(data, 1, n, f) != n)
        abort();
    fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    snprintf(workdir, sizeof workdir, "/tmp/tlfgen-fuzzdb-%ld", (long)getpid());
    nftw(workdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (mkdir(workdir, 0700) != 0)
        abort();
    snprintf(base_path, sizeof base_path, "%s/base.sqlite", workdir);
    snprintf(db_path, sizeof db_path, "%s/study.sqlite", workdir);
    snprintf(out_dir, sizeof out_dir, "%s/out", workdir);
    snprintf(prof_path, sizeof prof_path, "%s/fuzz.json", workdir);
    demo_opts o;
    demo_opts_init(&o);
    o.n_subjects = 6;
    o.n_controls = 3;
    tlf_err err;
    if (demo_db_write(base_path, &o, &err) != TLF_OK) {
        fprintf(stderr, "fuzz_db: %s\n", err.msg);
        abort();
    }
    FILE *f = fopen(base_path, "rb");
    fseek(f, 0, SEEK_END);
    base_len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    base_bytes = xmalloc(base_len);
    if (fread(base_bytes, 1, base_len, f) != base_len)
        abort();
    fclose(f);
    const char *prof = "{\"name\": \"fuzz\", \"allowed_status\": [\"OPEN\", \"SOFT LOCK\", \"HARD LOCK\"],"
                       " \"stop_on_error\": false, \"outputs\": [\"DI\", \"14.1.1\", \"14.2.1.1\","
                       " \"F14.2.1.1\", \"14.3.1.2\", \"16.2.7.1\"], \"paper\": \"A4\","
                       " \"ci_transform\": \"loglog\", \"cox_ties\": \"efron\", \"bootstrap_resamples\": 20, \"keep_runs\": 1}";
    write_file(prof_path, prof, strlen(prof));
    /* the tables and columns the operations pick from */
    sqlite3 *db;
    sqlite3_open_v2(base_path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                       &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW && ntables < MAX_TABLES)
        tables[ntables++].name = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    for (int t = 0; t < ntables; t++) {
        char *q = xasprintf("SELECT name FROM pragma_table_info('%s')", tables[t].name);
        sqlite3_prepare_v2(db, q, -1, &st, NULL);
        while (sqlite3_step(st) == SQLITE_ROW && tables[t].ncols < MAX_COLS)
            tables[t].cols[tables[t].ncols++] = xstrdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        free(q);
    }
    sqlite3_close(db);
    return 0;
}

/* Apply the operations the bytes spell; each takes 4 bytes, a text
 * operation also takes its text from the following bytes. */
static void mutate(sqlite3 *db, const uint8_t *p, size_t n)
{
    size_t i = 0;
    int nops = 0;
    while (i + 4 <= n && nops++ < 64) {
        uint8_t op = p[i] % 10, tb = p[i + 1], cb = p[i + 2], v = p[i + 3];
        i += 4;
        const fz_table *t = &tables[tb % ntables];
        if (t->ncols == 0)
            continue;
        const char *col = t->cols[cb % t->ncols];
        /* row picked among the first 256 by rowid order */
        char *row = sqlite3_mprintf("(SELECT rowid FROM \"%w\" ORDER BY rowid LIMIT 1 OFFSET %d)",
                                    t->name, (int)(cb / t->ncols + v) % 64);
        char *sql = NULL;
        switch (op) {
        case 0:
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = NULL WHERE rowid = %s", t->name, col, row);
            break;
        case 1:
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %d WHERE rowid = %s", t->name, col,
                                  (int)(int8_t)v * (v & 1 ? 1 : 1000), row);
            break;
        case 2:
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %.17g WHERE rowid = %s", t->name, col,
                                  v == 255 ? 1e308 * 10 : v == 254 ? -0.0 : (double)v / 7.0, row);
            break;
        case 3: {                      /* a text of the input's bytes, NULs included */
            size_t len = v % 32 < n - i ? v % 32 : n - i;
            sqlite3_stmt *st = NULL;
            char *q = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = ? WHERE rowid = %s", t->name, col, row);
            if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
                sqlite3_bind_text(st, 1, (const char *)p + i, (int)len, SQLITE_TRANSIENT);
                sqlite3_step(st);
            }
            sqlite3_finalize(st);
            sqlite3_free(q);
            i += len;
            break;
        }
        case 4: {
            char date[64];
            int y = 1900 + v, m = (cb % 14), d = (tb % 33);
            snprintf(date, sizeof date, DATE_FORMATS[(tb ^ cb) % NFORMATS], y, m, d, v % 30);
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %Q WHERE rowid = %s", t->name, col, date, row);
            break;
        }
        case 5:
            sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE rowid = %s", t->name, row);
            break;
        case 6:
            sql = sqlite3_mprintf("INSERT INTO \"%w\" SELECT * FROM \"%w\" WHERE rowid = %s", t->name,
                                  t->name, row);
            break;
        case 7:                        /* a long text, with or without spaces */
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = replace(hex(zeroblob(%d)), '0', %Q) "
                                  "WHERE rowid = %s", t->name, col, 40 * (int)v, v & 1 ? "a " : "b", row);
            break;
        case 8:                        /* another row's value of the same column */
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = (SELECT \"%w\" FROM \"%w\" ORDER BY rowid "
                                  "LIMIT 1 OFFSET %d) WHERE rowid = %s", t->name, col, col, t->name,
                                  v % 64, row);
            break;
        default:                       /* another column's value of the same row */
            sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = \"%w\" WHERE rowid = %s", t->name, col,
                                  t->cols[v % t->ncols], row);
            break;
        }
        if (sql)
            sqlite3_exec(db, sql, NULL, NULL, NULL);
        sqlite3_free(sql);
        sqlite3_free(row);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file(db_path, base_bytes, base_len);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        mutate(db, data, size);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    sqlite3_close(db);
    run_request req = {0};
    req.db_path = db_path;
    req.profile = prof_path;
    req.out_dir = out_dir;
    req.config_dir = TLFGEN_SOURCE_DIR "/config";
    req.templates_dir = TLFGEN_SOURCE_DIR "/templates";
    req.lock_timeout_s = 1;
    req.busy_timeout_ms = 100;
    run_report rep = {0};
    tlf_err err;
    tlf_err_clear(&err);
    run_execute(&req, &rep, &err);
    run_report_free(&rep);
    nftw(out_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
