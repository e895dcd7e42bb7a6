/*
 * minidb.h - a minimal valid study database for tests: every table and
 * column of docs/database.md, three subjects (TAC alive, TAC dead
 * with the three death sources agreeing, HC), DBSTATUS HARD LOCK with
 * cut-off 2024-12-31. It triggers no error or warning in `tlfgen check`.
 */
#ifndef TLFGEN_MINIDB_H
#define TLFGEN_MINIDB_H

/* The SQL script that builds it (static text). */
const char *minidb_sql(void);
/* Create path (removed first) from minidb_sql() then run extra_sql (may
 * be NULL) on it, e.g. a mutation for one rule. Returns 0 or fails the
 * test with the SQLite message. */
int minidb_create(const char *path, const char *extra_sql);

#endif
