/*
 * changes.h - what changed since the previous nightly run (sap.md section 7).
 *
 * Stage: derived datasets (a listing dataset built from two runs' ADaM).
 * Compares this run's adam.sqlite with the previous nightly run's: new
 * subjects (ADSL), new or changed serious adverse events keyed on USUBJID
 * + AESPID (ADAE, AESERFL = 'Y'; AESEQ may be renumbered between
 * extractions, AESPID may not), new deaths (ADSL DTHDT set now, not
 * before), and new data issues (DATAISSUES, keyed on rule, table, subject
 * and row key). The result is table CHANGES in the current adam.sqlite,
 * one row per change, in a stable order.
 */
#ifndef TLFGEN_ANALYSIS_CHANGES_H
#define TLFGEN_ANALYSIS_CHANGES_H

#include <sqlite3.h>
#include <stddef.h>

#include "core/err.h"

/* Build CHANGES in adam from the previous run's file prev_path (NULL or
 * missing: first nightly run, every subject, SAE, death and issue is new).
 * *n_changes gets the row count. */
int changes_build(sqlite3 *adam, const char *prev_path, size_t *n_changes, tlf_err *err);

/* Write CHANGES as RFC 4180 CSV (CRLF) to path. */
int changes_write_csv(sqlite3 *adam, const char *path, tlf_err *err);

#endif
