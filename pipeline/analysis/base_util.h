/*
 * base_util.h - building blocks of the disposition, analysis-set,
 * demographic, deviation and exposure analyses (outputs 14.1.1-14.1.5):
 * columns defined by an SQL condition on ADSL, n (%) of categories in
 * code-list order, and descriptive statistics of a continuous variable.
 *
 * Stage: ARD. sap.md section 4 ("Continuous": n, mean, SD, median, Q1, Q3
 * by R type 2, min, max; computed by stats/describe.h) and ard.md ("counts":
 * n and pct per category, pct a percentage of the column N, unrounded).
 */
#ifndef TLFGEN_ANALYSIS_BASE_UTIL_H
#define TLFGEN_ANALYSIS_BASE_UTIL_H

#include <stddef.h>

#include "analysis/analysis.h"

/* One column of a table: ARD group_level and population, and the SQL
 * condition on ADSL (alias s) that selects its subjects. */
typedef struct base_col {
    const char *level;
    const char *population;
    const char *where;
} base_col;

/* A code-list entry: the value in the data and the label written to the
 * ARD's variable_level (the row label of the table). */
typedef struct base_code {
    const char *code;
    const char *label;
} base_code;

/* A categorical variable: ARD variable name, the SQL expression of its
 * value, the FROM clause (must define alias s = ADSL), an extra condition
 * (NULL for none) and the code list in display order. Values outside the
 * code list follow it alphabetically (labelled with the value itself);
 * a "Missing" level (NULL or empty value) follows when any column has one. */
typedef struct base_cat {
    const char *variable;
    const char *expr;
    const char *from;
    const char *filter;
    const base_code *codes;
    size_t ncodes;
} base_cat;

/* The single integer that sql (one row, one column) returns into *out;
 * ?1 bound to bind1 when not NULL. Fails with TLF_EINTERNAL naming what. */
int base_sql_int(sqlite3 *db, const char *sql, const char *bind1, long long *out,
                 const char *what, tlf_err *err);

/* N of every column: subjects of ADSL s satisfying its condition; the
 * records `n` with variable empty (the column header) are appended under
 * key (group_level and population from each column). denoms gets them. */
int base_header_n(const analysis_ctx *ctx, const tlf_ard_key *key, const base_col *cols,
                  size_t ncols, long long *denoms, tlf_err *err);

/* n and pct (100 n / denom; 0 when denom is 0) under key. */
void base_add_n_pct(tlf_ard *ard, const tlf_ard_key *key, const char *param, long long n,
                    long long denom);

/* n (%) of subjects per level of cat in every column (rows level-major,
 * columns in order); key gives output_id, analysis_id, group. Counts rows
 * of cat->from, so a FROM with one row per subject counts subjects. */
int base_categorical(const analysis_ctx *ctx, const tlf_ard_key *key, const base_cat *cat,
                     const base_col *cols, size_t ncols, const long long *denoms, tlf_err *err);

/* Descriptive statistics (n mean sd se median q1 q3 min max; sd and se
 * missing when n < 2, all but n missing when n = 0) of the non-NULL values
 * of expr FROM from WHERE filter, per column; variable names the row,
 * param qualifies it (e.g. "visit=WEEK 2"; NULL for none). With with_dp
 * (collected, not derived, values), then for every column stat `dp` (integer; same key and param): the decimal places of the
 * summarised values, the maximum over all columns of the digits after the
 * point in each value's %.15g text, capped at 3 (describe_decimals), so a
 * template can show mean/median with dp+1, SD dp+2 and min/max dp. */
int base_continuous(const analysis_ctx *ctx, const tlf_ard_key *key, const char *variable,
                    const char *expr, const char *from, const char *filter, const char *param,
                    const base_col *cols, size_t ncols, int with_dp, tlf_err *err);

#endif
