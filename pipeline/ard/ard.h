/*
 * ard.h - analysis results data: every number of a run, one record each.
 *
 * Stage: ARD (between the statistics and the layout). Analyses append
 * records in the order they run; the CSV writer keeps that order, so two
 * runs on the same input give the same bytes (spec: docs/ard.md).
 * Renderers read records back (tlf_ard_read, tlf_ard_find) and never
 * compute: a value is stored at full precision and rounded only on display.
 */
#ifndef TLFGEN_ARD_H
#define TLFGEN_ARD_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/err.h"

typedef enum tlf_val_kind {
    TLF_VAL_MISSING = 0,   /* written as an empty field                  */
    TLF_VAL_INT,           /* a count: written as an integer             */
    TLF_VAL_REAL           /* written with 17 significant digits (%.17g) */
} tlf_val_kind;

/* The columns that say what a number is; NULL means empty. */
typedef struct tlf_ard_key {
    const char *output_id;
    const char *analysis_id;
    const char *population;
    const char *group;
    const char *group_level;
    const char *variable;
    const char *variable_level;
} tlf_ard_key;

typedef struct tlf_ard_row {
    char *output_id, *analysis_id, *population, *group, *group_level;
    char *variable, *variable_level, *stat_name, *param;   /* never NULL */
    tlf_val_kind kind;
    double value;          /* meaningful unless kind is TLF_VAL_MISSING */
} tlf_ard_row;

struct tlf_ard_index;

typedef struct tlf_ard {
    tlf_ard_row *rows;
    size_t n, cap;
    struct tlf_ard_index *index;   /* tlf_ard_build_index; used while it covers n rows */
} tlf_ard;

tlf_ard *tlf_ard_new(void);
void tlf_ard_free(tlf_ard *ard);   /* accepts NULL */

/* Append one record; strings are copied. A non-finite real is stored as
 * missing (the renderer then says why from the analysis's own records). */
void tlf_ard_add(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                 const char *param, tlf_val_kind kind, double value);
void tlf_ard_add_int(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                     const char *param, long long value);
void tlf_ard_add_real(tlf_ard *ard, const tlf_ard_key *key, const char *stat_name,
                      const char *param, double value);

/* Append `key=value` to a param string, `;`-joined, escaping `%`, `;` and
 * `=` in the value as %25, %3B, %3D (ard.md). */
void tlf_param_add(tlf_buf *param, const char *key, const char *value);
void tlf_param_addf(tlf_buf *param, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The unescaped value of key in param into out (size outsz); 0 if found. */
int tlf_param_get(const char *param, const char *key, char *out, size_t outsz);

/* Format a value as the ARD writes it (buffer of at least 32 bytes). */
void tlf_ard_format_value(char *out, size_t outsz, tlf_val_kind kind, double value);

/* Write the whole ARD as RFC 4180 CSV with CRLF line ends. */
int tlf_ard_write(const tlf_ard *ard, FILE *f, tlf_err *err);
int tlf_ard_write_file(const tlf_ard *ard, const char *path, tlf_err *err);
/* Read an ard.csv written by tlf_ard_write (or by hand, same columns). */
int tlf_ard_read(tlf_ard **out, const char *path, tlf_err *err);

/* Find the first record matching every non-NULL field of want (compared
 * exactly; param compared as a whole string). NULL when none. */
typedef struct tlf_ard_query {
    const char *analysis_id, *population, *group, *group_level;
    const char *variable, *variable_level, *stat_name, *param;
} tlf_ard_query;
const tlf_ard_row *tlf_ard_find(const tlf_ard *ard, const tlf_ard_query *want);

/* Hash the records for tlf_ard_find: a query naming analysis_id and
 * stat_name, or stat_name and variable_level, then looks only at the
 * records with those values (and with its param, where it names one), in
 * ARD order, so it finds the same first record as a scan. Call it
 * once the ARD is complete (tlf_ard_read does); records added afterwards
 * make tlf_ard_find scan again until it is rebuilt. Not thread-safe while
 * building; tlf_ard_find on a built ARD may run in many threads. */
void tlf_ard_build_index(tlf_ard *ard);

#endif
