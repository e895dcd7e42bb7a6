/*
 * sdtm_builder.h - tiny hand-made SDTM databases for the derivation
 * tests: every table and column of database.md, a DBSTATUS row, helpers
 * to add a minimal treated (TAC) or historical-control subject, to run
 * the derivation and to query the result; and hand-made ADaM tables for
 * the analysis tests (db_with).
 */
#ifndef TLFGEN_SDTM_BUILDER_H
#define TLFGEN_SDTM_BUILDER_H

#include <sqlite3.h>

/* A new in-memory SDTM database with all tables, DBSTATUS cut-off. */
sqlite3 *sdtm_new(const char *cutoff);
/* Execute SQL built printf-style; a failure fails the test. */
void sdtm_sql(sqlite3 *db, const char *fmt, ...); /* sqlite3_mprintf formats (%Q) */
/* The date of study day sd (no day 0) for day 1 `day1`, into buf. */
const char *sdtm_day(const char *day1, int sd, char buf[11]);
/* A TAC subject: DM (RFSTDTC day1), SC (DM, NEW, ACUTE, NEGATIVE), EX
 * tacrolimus 3 mg/day and prednisolone 40 mg/day from day 1 to exend
 * ("" = ongoing), a baseline weight of 50 kg on day 1. */
void sdtm_tac(sqlite3 *db, const char *usubjid, const char *day1, const char *exend);
/* A historical control: DM ARMCD HC, prednisolone from day 1 to exend. */
void sdtm_hc(sqlite3 *db, const char *usubjid, const char *day1, const char *exend);

/* A new in-memory database holding what sql (statements, not a format)
 * creates: a hand-made ADaM table for an analysis test. A failure fails
 * the test. */
sqlite3 *db_with(const char *sql);

/* Derive into a new in-memory database (cutoff override may be NULL);
 * asserts success. */
sqlite3 *adam_derive(sqlite3 *sdtm, const char *cutoff, const char *aesi);
/* First column of the first row as a new string (NULL if none or NULL). */
char *adam_text(sqlite3 *db, const char *fmt, ...); /* sqlite3_mprintf formats (%Q) */
/* First column as an integer; ADAM_NULL when no row or NULL. */
#define ADAM_NULL (-987654321L)
long adam_int(sqlite3 *db, const char *fmt, ...); /* sqlite3_mprintf formats (%Q) */
/* assert the text result of a query equals want (NULL = SQL NULL). */
#define assert_q(db, want, ...)                                                      \
    do {                                                                             \
        char *got_ = adam_text(db, __VA_ARGS__);                                     \
        const char *want_ = (want);                                                  \
        if (want_ == NULL) assert_null(got_);                                        \
        else { assert_non_null(got_); assert_string_equal(got_, want_); }           \
        free(got_);                                                                  \
    } while (0)

#endif
