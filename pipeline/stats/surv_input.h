/*
 * surv_input.h - survival analysis data from a CSV table: the time, event
 * (or ADaM CNSR), weight, group and strata columns turned into the arrays
 * km_fit and logrank_test take, and the runners that fit every group and
 * append the ARD records. Shared by `tlfgen stats` and the golden test.
 *
 * Stage: statistics (input side). Group and strata levels are sorted in
 * byte order (strcmp), so output order does not depend on row order.
 * Rows with a missing value in any analysis column are dropped and counted.
 * Line numbers in messages are the CSV line (header = line 1), assuming no
 * quoted line breaks before that row.
 */
#ifndef TLFGEN_STATS_SURV_INPUT_H
#define TLFGEN_STATS_SURV_INPUT_H

#include <stddef.h>

#include "ard/ard.h"
#include "core/csv.h"
#include "core/err.h"
#include "stats/km.h"

typedef struct surv_cols {
    const char *time;     /* required                                        */
    const char *event;    /* 1 = event, 0 = censored; or NULL and cnsr given */
    const char *cnsr;     /* ADaM CNSR: 0 = event, > 0 (integer) = censored  */
    const char *group;    /* NULL: one curve                                 */
    const char *strata;   /* NULL: unstratified                              */
    const char *weight;   /* NULL: weights 1                                 */
} surv_cols;

typedef struct surv_input {
    size_t n;               /* rows kept                                     */
    size_t n_dropped;       /* rows dropped for a missing analysis value     */
    double *time;           /* n                                             */
    int *event;             /* n                                             */
    double *weight;         /* n, or NULL                                    */
    int *group;             /* n codes into group_levels (all 0 when no group) */
    size_t n_groups;        /* >= 1                                          */
    char **group_levels;    /* n_groups sorted values ({""} when no group)   */
    int *strata;            /* n codes, or NULL                              */
    size_t n_strata;
    char **strata_levels;
} surv_input;

/*
 * Read the columns of csv (name is the file name for messages) into *out.
 * A missing column, a non-numeric or negative time, an event other than
 * 0/1 (cnsr: a negative or non-integer value), a negative or non-numeric
 * weight: TLF_EDATA "FILE: column 'C', line L: value 'V' ...". *out is
 * owned by the caller (surv_input_free).
 */
int surv_input_from_csv(surv_input **out, const tlf_csv *csv, const char *name,
                        const surv_cols *cols, tlf_err *err);
void surv_input_free(surv_input *in);   /* accepts NULL */

/* Fit one curve per group level (group_level = the level; empty key group
 * when there is no group) and append km_emit_ard's records under base.
 * The variance (Greenwood or robust) is decided once over all rows, as R
 * does for one survfit call. */
int surv_run_km(tlf_ard *ard, const tlf_ard_key *base, const surv_input *in, km_ci_type ci,
                double conf_level, const double *landmarks, size_t n_landmarks, tlf_err *err);

/* Log-rank test across the group levels (stratified when in->strata),
 * appending logrank_emit_ard's records under base. */
int surv_run_logrank(tlf_ard *ard, const tlf_ard_key *base, const surv_input *in, tlf_err *err);

#endif
