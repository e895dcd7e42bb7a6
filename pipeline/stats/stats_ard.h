/*
 * stats_ard.h - ARD records of the survival analyses (ard.md: os_km,
 * os_logrank, ...), shared by `tlfgen stats` and the pipeline's run.
 *
 * Stage: statistics -> ARD. Stat names and params (docs/stats.md):
 *   totals          n, n_event, n_censor
 *   per curve time  n_risk, n_event, n_censor, surv, se_surv   (t=DAY)
 *                   lcl, ucl                                   (t=DAY;ci=loglog)
 *   landmarks       estimable, surv_at, se_at, n_risk_at       (t=DAY)
 *                   lcl_at, ucl_at                             (t=DAY;ci=loglog)
 *                   estimable 0 (t=DAY;reason=no subject followed to day DAY)
 *                   when DAY is beyond the curve's last time (event or
 *                   censoring) and S there is above 0: surv_at, se_at and
 *                   the limits are then empty, not carried forward
 *                   (sap.md section 4; km_at itself stays R's extend=TRUE)
 *   quantiles       q25, median, q75                           (no param)
 *                   q25_lcl, q25_ucl, median_lcl, ...          (ci=loglog)
 *   log-rank        chisq, df, p (group_level empty); observed, expected per group
 * `;level=0.9` follows ci= when the confidence level is not 0.95.
 * Counts are written as integers when they are whole numbers (unweighted),
 * otherwise as reals; values R gives as NA/NaN are written empty.
 */
#ifndef TLFGEN_STATS_STATS_ARD_H
#define TLFGEN_STATS_STATS_ARD_H

#include <stddef.h>

#include "ard/ard.h"
#include "stats/km.h"
#include "stats/logrank.h"

/* Format a time or other number for a param: shortest of %.15g/%.17g that
 * reads back exactly ("5", "5.5", "0.1"). out holds at least 32 bytes. */
void stats_fmt_num(char *out, size_t outsz, double v);

/* Append a count: an integer record when v is whole, else a real one. */
void stats_ard_add_count(tlf_ard *ard, const tlf_ard_key *key, const char *stat,
                         const char *param, double v);

/* Every record of one curve, in the order listed above; key is copied.
 * landmarks may be NULL when n_landmarks is 0. */
void km_emit_ard(tlf_ard *ard, const tlf_ard_key *key, const km_curve *c,
                 const double *landmarks, size_t n_landmarks);

/* The records of km_emit_ard for a group without subjects: n, n_event,
 * n_censor 0; per landmark estimable 0 (reason=no subjects), n_risk_at 0
 * and surv_at, se_at, lcl_at, ucl_at missing; the quantiles and their limits missing. */
void km_emit_ard_empty(tlf_ard *ard, const tlf_ard_key *key, km_ci_type ci, double conf_level,
                       const double *landmarks, size_t n_landmarks);

/* chisq, df, p under test_key (its group_level should be empty), then
 * observed and expected for each group with group_level = levels[g]. */
void logrank_emit_ard(tlf_ard *ard, const tlf_ard_key *test_key, const char *const *levels,
                      const logrank_result *r);

#endif
