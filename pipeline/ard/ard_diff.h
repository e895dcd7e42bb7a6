/*
 * ard_diff.h - compare two analysis results files record by record, as
 * PROC COMPARE does for double programming (`tlfgen ard-diff`).
 *
 * Stage: ARD (reads ard.csv files, never a database or a layout). BASE is
 * usually the production ard.csv, COMPARE a QC programmer's file from SAS
 * or R that may carry only some of the key columns. Records are matched on
 * the key columns both files have (hash look-up, so large ARDs cost one
 * pass each); numbers are compared with an absolute-or-relative tolerance,
 * texts exactly. The rules where QC files differ from the ARD contract
 * (missing values, column-name case, duplicate keys) are in docs/ard-diff.md.
 */
#ifndef TLFGEN_ARD_DIFF_H
#define TLFGEN_ARD_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "core/csv.h"
#include "core/err.h"

typedef struct ard_diff_opts {
    double tol;                 /* equal when |a-b| <= tol or <= tol*max(|a|,|b|) */
    const char *const *keys;    /* key columns; NULL: the ARD keys both files have */
    size_t nkeys;
    const char *const *only;    /* output ids in scope; NULL: every record      */
    size_t nonly;
} ard_diff_opts;

typedef enum ard_diff_kind {
    ARD_DIFF_VALUE = 0,         /* matched, values differ beyond the tolerance */
    ARD_DIFF_ONLY_BASE,         /* no COMPARE record has its keys              */
    ARD_DIFF_ONLY_COMPARE       /* no BASE record has its keys                 */
} ard_diff_kind;

#define ARD_DIFF_NOROW ((size_t)-1)

typedef struct ard_diff_rec {
    ard_diff_kind kind;
    size_t base_row;            /* 0-based data row, ARD_DIFF_NOROW when none */
    size_t compare_row;
    double abs_diff;            /* NAN unless both values are numbers        */
    double rel_diff;
} ard_diff_rec;

/* Counts for one output id (a record feeding `14.2.1.1;F14.2.1.1` counts
 * under both), or for the whole comparison. */
typedef struct ard_diff_count {
    char *output_id;            /* "" for records without one */
    size_t base, compare;       /* records in scope in each file              */
    size_t equal, differ;       /* matched pairs                              */
    size_t only_base, only_compare;
} ard_diff_count;

typedef struct ard_diff {
    const tlf_csv *base, *compare;  /* borrowed (or owned when from files) */
    int owns_csv;
    size_t nkeys;
    char **keys;                /* key column names as BASE spells them       */
    int *kcol_base, *kcol_cmp;  /* their columns                              */
    int vcol_base, vcol_cmp;    /* the value column                           */
    int ocol_base, ocol_cmp;    /* output_id, -1 when the file has none       */
    char *unused_keys;          /* ARD keys left out because one file lacks them ("" none) */
    double tol;
    ard_diff_rec *recs;         /* BASE order, then COMPARE order for only_compare */
    size_t nrecs;
    ard_diff_count *outputs;    /* first-seen order                            */
    size_t noutputs;
    ard_diff_count total;
    size_t dup_base, dup_compare;   /* records whose keys an earlier one had   */
} ard_diff;

/* Compare two parsed files (borrowed: they must outlive *out). base_name
 * and compare_name are used in messages. TLF_EDATA when a key column or
 * the value column is missing or an --only is asked of files without
 * output_id. */
int ard_diff_csv(ard_diff **out, const tlf_csv *base, const char *base_name,
                 const tlf_csv *compare, const char *compare_name,
                 const ard_diff_opts *opts, tlf_err *err);
/* Read both files and compare them (TLF_EINPUT when one is unreadable). */
int ard_diff_files(ard_diff **out, const char *base_path, const char *compare_path,
                   const ard_diff_opts *opts, tlf_err *err);
void ard_diff_free(ard_diff *d);    /* accepts NULL */

/* Number of differences (differing values plus unmatched records). */
size_t ard_diff_ndiff(const ard_diff *d);

/* The report as CSV (CRLF): one row per difference, keys, both values,
 * absolute and relative difference. TLF_EOUTPUT on a write error. */
int ard_diff_write_csv(const ard_diff *d, FILE *f, tlf_err *err);
/* A human summary: keys, tolerance, counts per output, the first
 * max_list differences. */
void ard_diff_write_summary(const ard_diff *d, const char *base_name,
                            const char *compare_name, size_t max_list, FILE *f);

#endif
