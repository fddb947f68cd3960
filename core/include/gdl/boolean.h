/* gdl/boolean.h: Walsh-Fourier analysis on {-1,+1}^n and sparse-support combinatorics.
 *
 * Point index convention (shared with gdl_domain_enumerate): row i has
 * x_j = -1 iff bit j of i is set, so chi_S(x_i) = (-1)^popcount(i & S) with S a bitmask. */
#ifndef GDL_BOOLEAN_H
#define GDL_BOOLEAN_H

#include <stddef.h>
#include <stdint.h>
#include "target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* In-place unnormalised fast Walsh-Hadamard transform of v (length 2^n, n <= 26):
 * v[S] <- sum_i (-1)^{popcount(i&S)} v[i]. Applying it twice multiplies by 2^n. */
int gdl_fwht(double *v, unsigned n);
/* Same on `cols` interleaved vectors: v[i*cols + c] (transform along i for each c). */
int gdl_fwht_cols(double *v, unsigned n, size_t cols);
/* Fourier coefficients fhat[S] = E_x f(x) chi_S(x) of values f on all 2^n points. */
int gdl_fourier(const double *f, unsigned n, double *fhat);
/* Level weights W_j = sum_{|S|=j} fhat(S)^2, j = 0..n (W has n+1 entries). */
int gdl_level_weights(const double *fhat, unsigned n, double *W);

/* ---- leap and the merged-staircase property ---- */
/* Leap(h) = min over orderings of the monomials of max_i |S_i \ union_{j<i} S_j|
 * (the constant term is ignored). Exact. If order != NULL it receives an optimal
 * ordering (indices of p's terms, length nterms). */
int gdl_poly_leap(const gdl_poly *p, size_t *leap, size_t *order);
/* Brute force over all orderings (nterms <= 9), the reference. */
int gdl_poly_leap_bruteforce(const gdl_poly *p, size_t *leap);
/* MSP iff leap <= 1. */
int gdl_poly_has_msp(const gdl_poly *p, int *msp);
/* Coordinates reachable along merged-staircase chains (monomials added with at most one
 * new variable each): reach[j] = 1 for reachable 0-based j < nvars. */
int gdl_poly_reachable(const gdl_poly *p, size_t nvars, int *reach);

#ifdef __cplusplus
}
#endif
#endif
