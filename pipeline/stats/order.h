/*
 * order.h - stable ordering of observations by a double key.
 *
 * Stage: statistics. Every survival routine walks its rows in time order
 * (R survival's one loop shape); this gives them that order in O(n) passes
 * (LSD radix sort on the key's bit pattern) instead of a comparison sort,
 * which is what makes a million-subject Kaplan-Meier take milliseconds.
 */
#ifndef TLFGEN_STATS_ORDER_H
#define TLFGEN_STATS_ORDER_H

#include <stddef.h>

/*
 * Fill idx[0..n-1] with the permutation that sorts key ascending; ties keep
 * their input order (stable, as R's order()). -0.0 sorts with 0.0.
 *
 *   idx  out  n indices, caller-allocated
 *   key  in   n finite doubles (NaN would sort after +Inf; callers reject it)
 *   n    in   number of rows
 *
 * Cannot fail (scratch memory comes from xmalloc).
 */
void stats_order(size_t *idx, const double *key, size_t n);

/*
 * Stable counting sort of an existing order by a small integer code:
 * reorders idx[0..n-1] so that rows with code 0 come first, then 1, ...,
 * keeping the previous order within a code (so time order survives inside
 * each stratum). code[i] must be in 0..ncode-1.
 */
void stats_order_by_code(size_t *idx, const int *code, size_t ncode, size_t n);

#endif
