/*
 * fisher.h - Fisher's exact test for a 2x2 table (sap.md section 4: TAC vs
 * HC response). Stage: stats.
 */
#ifndef TLFGEN_STATS_FISHER_H
#define TLFGEN_STATS_FISHER_H

/*
 * Two-sided p-value of the table
 *        a  b
 *        c  d
 * by R's rule (fisher.test): the sum of the hypergeometric probabilities of
 * every table with the observed margins that is no more probable than the
 * observed one, with relative tolerance 1e-7. Counts must be >= 0 (zero
 * cells and zero margins are fine: p = 1 when a margin is 0). Returns NaN
 * for a negative count.
 */
double fisher_2x2_p(long a, long b, long c, long d);

#endif
