/*
 * linalg.h - small dense symmetric solves for the model fits (Cox, logistic).
 *
 * Stage: stats. A Cholesky (LDL') factorisation with a tolerance that
 * reports the rank instead of failing, in the manner of R survival's
 * cholesky2/chsolve2/chinv2: a pivot below tol * (largest diagonal) marks
 * that column as aliased (collinear with earlier ones); solves then give 0
 * for it. GSL's own Cholesky is not used here because it reports a
 * non-positive-definite matrix through the process-wide GSL error handler
 * (which aborts by default) instead of returning the rank.
 *
 * Matrices are p x p, row-major, symmetric; only the lower triangle is read.
 */
#ifndef TLFGEN_STATS_LINALG_H
#define TLFGEN_STATS_LINALG_H

#include <stddef.h>

/* Tolerance R's coxph uses (toler.chol = .Machine$double.eps^0.75). */
#define LINALG_CHOL_TOL 1.818989403545856e-12

/*
 * Factor m in place as L D L' (D on the diagonal, L strictly below it).
 * Returns the rank; an aliased column gets D = 0. Returns -1 when a pivot is
 * negative beyond the tolerance or not finite (m is not positive
 * semi-definite).
 */
int linalg_chol(double *m, size_t p, double tol);
/* Solve (L D L') x = b in place in b, after linalg_chol; aliased -> 0. */
void linalg_chol_solve(const double *m, size_t p, double *b);
/* Replace a factored m by the full symmetric inverse (aliased rows/cols 0). */
void linalg_chol_inverse(double *m, size_t p);

#endif
