/*
 * linalg.c - LDL' Cholesky with a rank-revealing tolerance, its solve and
 * its inverse (see linalg.h). Stage: stats. Method: the symmetric
 * factorisation m = L D L' computed column by column; a column whose pivot
 * falls below tol * max|diag| is declared aliased, as R survival's
 * cholesky2.c does, so a collinear design is reported, not divided by zero.
 */
#include "stats/linalg.h"

#include "core/mem.h"

#include <math.h>
#include <stdlib.h>

int linalg_chol(double *m, size_t p, double tol)
{
    double eps = 0.0;
    for (size_t i = 0; i < p; i++)
        if (fabs(m[i * p + i]) > eps)
            eps = fabs(m[i * p + i]);
    eps = eps > 0.0 ? eps * tol : tol;
    int rank = 0;
    for (size_t i = 0; i < p; i++) {
        double pivot = m[i * p + i];
        if (!isfinite(pivot))
            return -1;
        if (pivot < eps) {
            if (pivot < -8.0 * eps)
                return -1;
            m[i * p + i] = 0.0;
            for (size_t j = i + 1; j < p; j++)
                m[j * p + i] = 0.0;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < p; j++) {
            double l = m[j * p + i] / pivot;   /* L[j][i] */
            m[j * p + i] = l;
            m[j * p + j] -= l * l * pivot;
            for (size_t k = j + 1; k < p; k++)
                m[k * p + j] -= l * m[k * p + i];   /* m[k][i] is not yet scaled */
        }
    }
    return rank;
}

void linalg_chol_solve(const double *m, size_t p, double *b)
{
    /* forward: L y = b */
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++)
            b[i] -= m[i * p + j] * b[j];
    /* D z = y, then L' x = z */
    for (size_t ii = p; ii-- > 0;) {
        if (m[ii * p + ii] == 0.0) {
            b[ii] = 0.0;
            continue;
        }
        b[ii] /= m[ii * p + ii];
        for (size_t j = ii + 1; j < p; j++)
            b[ii] -= m[j * p + ii] * b[j];
    }
}

void linalg_chol_inverse(double *m, size_t p)
{
    /* Columns of the inverse by solving against unit vectors; p is small
     * (the number of model terms), so the O(p^3) cost is immaterial. */
    double *fac = xmalloc((p * p + p + 1) * sizeof *fac), *col = fac + p * p;
    for (size_t i = 0; i < p * p; i++)
        fac[i] = m[i];
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i < p; i++)
            col[i] = (i == j) ? 1.0 : 0.0;
        linalg_chol_solve(fac, p, col);
        for (size_t i = 0; i < p; i++)
            m[i * p + j] = (fac[j * p + j] == 0.0 || fac[i * p + i] == 0.0) ? 0.0 : col[i];
    }
    free(fac);
}
