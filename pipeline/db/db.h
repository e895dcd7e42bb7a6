/*
 * db.h - the study database stage: open the delivered SQLite file safely,
 * take a consistent read-only snapshot with SHA-256 digests, and check the
 * data against the input contract (docs/database.md "what it must
 * check", sap.md section 1 for death sources, cut-off and dates).
 *
 * Stage: db (the first stage; everything downstream reads the snapshot).
 * Rule ids, severities and the snapshot design are documented in
 * docs/checks.md.
 *
 * Ownership: a db_snapshot is owned by the caller of db_snapshot_take and
 * released with db_snapshot_free (its strings with it). A db_findings is a
 * plain value the caller zero-initialises (DB_FINDINGS_INIT) and releases
 * with db_findings_free; every string in a finding is owned by it.
 */
#ifndef TLFGEN_DB_H
#define TLFGEN_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "study/study.h"

/* SHA-256 digests come from core/sha256.h (tlf_sha256_file). */

/* ---- opening the input ---- */

/*
 * Look at a file without SQLite and say whether it can be a SQLite
 * database: missing, unreadable, empty, a text file, random bytes
 * ("not a SQLite database (encrypted or corrupt?)"), or truncated (shorter
 * than its header's page count says). 0 when it looks like a database;
 * TLF_EINPUT with one line naming the file otherwise. Opens the file
 * O_RDONLY and only reads it.
 */
int db_classify_file(const char *path, tlf_err *err);

/*
 * Open path read-only (SQLITE_OPEN_READONLY, no checkpoint on close) after
 * db_classify_file, run PRAGMA quick_check, and require at least one of the
 * contract's tables. *out is the open handle (caller closes it with
 * sqlite3_close) or NULL on error. TLF_EINPUT for every bad-file case.
 * Use it on a snapshot: on a WAL-mode file with no -wal beside it SQLite
 * itself would create -wal/-shm (see db_snapshot_take).
 */
int db_open_input(sqlite3 **out, const char *path, tlf_err *err);

/* Open a snapshot (or another file this run made and nobody writes) for
 * reading: read-only, no checkpoint on close, extended result codes. No
 * checks (db_open_input does them). TLF_EINPUT naming path when SQLite
 * cannot open it. */
int db_open_snapshot(sqlite3 **out, const char *path, tlf_err *err);

/* How many rows table holds, about: its largest rowid (one lookup at the
 * end of the b-tree, not a count), 0 when it is empty or cannot be read.
 * For sharing work between threads, never for a count that is shown. */
double db_table_rows(sqlite3 *db, const char *table);

/* ---- snapshot ---- */

typedef struct db_snapshot {
    char input_sha256[65];     /* what was read: the input file as
                                  delivered, read while the copy's read
                                  transaction held writers off; when the
                                  input had committed rows in its WAL, the
                                  snapshot's digest (digest_of_snapshot) */
    int digest_of_snapshot;    /* 1: input_sha256 is the snapshot's      */
    char snapshot_sha256[65];  /* of snapshot_path after the copy         */
    char *snapshot_path;       /* workdir/snapshot.sqlite                 */
    int has_status;            /* DBSTATUS exists with exactly one row    */
    char *studyid;             /* DBSTATUS row (NULL when absent/NULL)    */
    char *status;
    char *statusdtc;
    char *cutoffdtc;
    char *lockby;
} db_snapshot;

/*
 * Copy input_path consistently into workdir/snapshot.sqlite and digest
 * both. The input is opened read-only; no file is created beside it:
 *  - rollback-journal files and WAL files with a -wal beside them are
 *    opened through SQLite (SQLITE_OPEN_READONLY) and copied inside one
 *    read transaction, so a writer cannot change what is copied: a
 *    rollback-journal file byte for byte, digested in the same read (the
 *    snapshot's digest is then the input's), a WAL file with the online
 *    backup API;
 *  - a WAL-mode file with no -wal beside it (no connection open) is copied
 *    byte for byte, and the copy is kept only when size, mtime and the
 *    absence of -wal/-shm are the same before and after.
 * SQLITE_BUSY/SQLITE_LOCKED (or a change during the byte copy) is retried
 * every 50 ms until busy_timeout_ms has passed, then TLF_EINPUT "database
 * is locked by another process". The snapshot is then checked with
 * db_open_input (quick_check: a truncated or corrupt copy is TLF_EINPUT).
 * workdir must exist. *out is NULL on error.
 */
int db_snapshot_take(db_snapshot **out, const char *input_path, const char *workdir,
                     int busy_timeout_ms, tlf_err *err);
/* db_snapshot_take without the quick_check of the copy (0.7 s of a
 * 441 MB study), for a caller that runs db_snapshot_verify beside other
 * work and before it trusts anything read from the snapshot (the run:
 * beside the data checks; issue 16). A failure to read the copy's schema
 * is still reported as corruption when quick_check finds it. */
int db_snapshot_copy(db_snapshot **out, const char *input_path, const char *workdir,
                     int busy_timeout_ms, tlf_err *err);
/* PRAGMA quick_check of the snapshot on a connection of its own (safe
 * beside other readers in other threads): TLF_OK, TLF_EINPUT naming name
 * as db_snapshot_take does, or TLF_EINTR on a stop request. */
int db_snapshot_verify(const db_snapshot *s, const char *name, tlf_err *err);
void db_snapshot_free(db_snapshot *s);   /* accepts NULL */

/* The rules a run applies to the snapshot before any work, shared with
 * `tlfgen check` so both give one answer: table DBSTATUS holds exactly one
 * row with STUDYID and STATUS, and STUDYID can name a folder (letters,
 * digits, '.', '-', '_', at most 64 characters, not starting with '.').
 * TLF_EINPUT naming the input (name), table, column and value (a long
 * value is shortened so the reason is never cut). */
int db_snapshot_usable(const db_snapshot *s, const char *name, tlf_err *err);

/* ---- data checks ---- */

typedef enum { DI_ERROR = 0, DI_WARNING = 1, DI_INFO = 2 } di_severity;

typedef struct db_finding {
    di_severity severity;
    char *table;     /* the table the value is in ("" when none)            */
    char *usubjid;   /* "" when the finding is not about one subject        */
    char *rowkey;    /* "AESEQ=3", "SCTESTCD=<code>", "row 12" (rowid), ""   */
    char *column;    /* "" when the finding is about a table or a row       */
    char *value;     /* as stored; invalid UTF-8 bytes shown as \xNN        */
    char *rule;      /* stable id, DB001..., see docs/checks.md             */
    char *message;   /* one sentence                                        */
} db_finding;

typedef struct db_findings {
    db_finding *items;
    size_t n, cap;
} db_findings;

#define DB_FINDINGS_INIT {NULL, 0, 0}

void db_findings_free(db_findings *f);   /* frees the items; accepts NULL */
/* Counts by severity (any pointer may be NULL). */
void db_findings_count(const db_findings *f, size_t *nerror, size_t *nwarning, size_t *ninfo);
/* A database without a table or column of database.md (findings DB001,
 * DB002) is not the contract's shape: TLF_EINPUT (exit 3) naming the first
 * and the count, for `check` and every run profile alike (a nightly run
 * cannot leave subjects out of a table that is not there). TLF_OK when
 * none. name: the input path for the message. */
int db_findings_structural(const db_findings *f, const char *name, tlf_err *err);
/* The name of a severity: "ERROR", "WARNING", "INFO". */
const char *di_severity_name(di_severity s);

/*
 * Run every rule on db (the snapshot, opened read-only) and append the
 * findings to out, sorted by severity, table, USUBJID, row key (numbers
 * within the key compared as numbers), rule, column, value. cutoff_override
 * (YYYY-MM-DD, or NULL) replaces DBSTATUS.CUTOFFDTC for the after-cut-off
 * rule. The code lists of arms, treatments, parameters, response values
 * and SC characteristics are study's (required). TLF_EUSAGE for a bad
 * override, TLF_EINTERNAL when SQLite fails;
 * data problems are findings, never errors.
 */
int db_check(db_findings *out, sqlite3 *db, const char *cutoff_override,
             const tlf_study *study, tlf_err *err);
/* db_check with the tables' rules spread over jobs connections (db and
 * jobs - 1 more read-only ones to db's file, each in its own thread; an
 * in-memory db is checked on db alone). The findings are the same, in the
 * same order, for every jobs >= 1. A stop request (core/stop.h)
 * interrupts every connection's statement. */
int db_check_jobs(db_findings *out, sqlite3 *db, const char *cutoff_override,
                  const tlf_study *study, int jobs, tlf_err *err);

/* ---- where each subject's rows lie (for the derivation) ---- */

/* One subject's rows of a table: rowids lo..hi. */
typedef struct db_subject_block {
    char *usubjid;
    sqlite3_int64 lo, hi;
} db_subject_block;

/*
 * The blocks of a table's rows with one USUBJID, read in rowid order
 * (db_blocks_add), then sorted by USUBJID (db_blocks_finish). usable: every
 * USUBJID is text, every --TESTCD text or NULL, and each subject's rows
 * are one block, so a reader can take a subject's rows as one rowid range
 * and get them all (derive/bds.h). Zero-initialise; db_blocks_free.
 */
typedef struct db_blocks {
    db_subject_block *b;       /* sorted by USUBJID once finished */
    size_t n, cap;
    int broken;                /* a USUBJID not text or a TESTCD neither text nor NULL */
    int usable;                /* db_blocks_finish's answer */
} db_blocks;

/* The row rowid (after every row before it) with its USUBJID and --TESTCD
 * (NULL: the table has none). Values of a statement's current row, read
 * on its connection's thread. */
void db_blocks_add(db_blocks *k, sqlite3_int64 rowid, sqlite3_value *usubjid,
                   sqlite3_value *testcd);
/* Sort the blocks by USUBJID; 1 (usable) when the rows were all fit and
 * no subject has two blocks; 0 when not, the blocks then freed. */
int db_blocks_finish(db_blocks *k);
/* Append more's blocks (the rows after k's, in rowid order) to k, the
 * subject at the seam in one block; more is left empty. */
void db_blocks_join(db_blocks *k, db_blocks *more);
void db_blocks_free(db_blocks *k);

/* The blocks of the tables the checks read whole, for the derivation's
 * reading by subject (derive_opts.layout): each table with USUBJID and
 * its --TESTCD (VS, LB, ...), found by the checks' value scan, which reads
 * every row in rowid order anyway, so the derivation does not read the
 * table once more to find them (issue 16). */
typedef struct db_layout {
    struct db_layout_table {
        char *table;
        db_blocks blocks;      /* finished */
    } *t;
    size_t n;
} db_layout;

#define DB_LAYOUT_INIT {NULL, 0}

/* table's finished blocks, NULL when the checks did not scan it. */
const db_blocks *db_layout_find(const db_layout *l, const char *table);
void db_layout_free(db_layout *l);   /* accepts an empty layout */

/* db_check_jobs (above) that also gives, in *layout (empty before), the subject
 * blocks of the tables its value scans read (db_layout). */
int db_check_layout(db_findings *out, sqlite3 *db, const char *cutoff_override,
                    const tlf_study *study, int jobs, db_layout *layout, tlf_err *err);

/* Write the findings as table DATAISSUES (replaced if present) into out_db,
 * in one transaction; columns SEQ, SEVERITY, TABLENAME, USUBJID, ROWKEY,
 * COLNAME, VALUE, RULE, MESSAGE. TLF_EOUTPUT when SQLite fails. */
int db_findings_write_sqlite(const db_findings *f, sqlite3 *out_db, tlf_err *err);
/* Write the findings as CSV (header severity,table,usubjid,rowkey,column,
 * value,rule,message). TLF_EOUTPUT when the file cannot be written. */
int db_findings_write_csv(const db_findings *f, const char *path, tlf_err *err);
/* Counts per rule and the first first_n findings of each rule, for the
 * CLI's stderr summary. */
void db_findings_summary(const db_findings *f, FILE *stream, size_t first_n);

/* ---- helpers shared with derive (pure functions) ---- */

/* 1 when s is an ISO 8601 date the contract allows (YYYY, YYYY-MM,
 * YYYY-MM-DD, YYYY-MM-DDThh:mm, YYYY-MM-DDThh:mm:ss) and a real calendar
 * date/time; 0 otherwise. len is strlen(s). */
int db_iso_date_valid(const char *s, size_t len);
/* 1 when the n bytes are valid UTF-8 (no overlongs, no surrogates). */
int db_utf8_valid(const unsigned char *s, size_t n);

#endif
