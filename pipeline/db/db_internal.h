/*
 * db_internal.h - what the db stage's files share and nobody else uses.
 */
#ifndef TLFGEN_DB_INTERNAL_H
#define TLFGEN_DB_INTERNAL_H

#include "db/db.h"
#include "core/buf.h"

/* Append one finding; every string is copied (NULL stored as ""), usubjid
 * and value made printable (invalid UTF-8 bytes as \xNN). */
void db_findings_add(db_findings *f, di_severity sev, const char *rule, const char *table,
                     const char *usubjid, const char *rowkey, const char *column,
                     const char *value, const char *message);
/* Free one finding's strings (not the finding itself). */
void db_finding_free(db_finding *x);
/* Sort items[from..n) in the documented order. */
void db_findings_sort(db_findings *f, size_t from);
/* strcmp with digit runs compared as numbers. */
int db_natural_cmp(const char *a, const char *b);
/* A printable copy of n bytes (caller frees). */
char *db_printable(const unsigned char *s, size_t n);

/*
 * Register the SQL functions the checks use on db (deterministic, pure):
 *   tlf_date_ok(x)   1 when x is a valid contract date, else 0
 *   tlf_earliest(x)  YYYY-MM-DD earliest day x can mean, NULL if invalid/empty
 *   tlf_latest(x)    YYYY-MM-DD latest day x can mean, NULL if invalid/empty
 * TLF_EINTERNAL when SQLite refuses.
 */
int db_register_functions(sqlite3 *db, tlf_err *err);

#endif
