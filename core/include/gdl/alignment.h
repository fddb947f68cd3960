/* gdl/alignment.h: alignment of a target's orbit, the noisy-GD bound, the equivariance error
 * and hitting times (core/src/alignment.c). */
#ifndef GDL_ALIGNMENT_H
#define GDL_ALIGNMENT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "net.h"
#include "group.h"
#include "target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- alignment of a target's orbit (CLAIMS.md AL) ----
 * For G = B_n on the uniform cube (values on all 2^n points in the cube index convention of
 * boolean.h): fbar = E_g f o g = fhat(empty), a constant (sign flips kill every chi_S with
 * |S| >= 1), and with the level weights W_j(f):
 *   E_g <h, f o g - fbar>^2 = sum_{j>=1} W_j(f) W_j(h) / C(n,j),
 *   lambda = max_{j>=1} W_j(f)/C(n,j),  CP = sum_{j>=1} W_j(f)^2/C(n,j),
 *   ||f - fbar||^2 = sum_{j>=1} W_j(f),  and lambda^2 <= CP <= lambda ||f - fbar||^2. */
typedef struct {
  double fbar;      /* the G-average (a constant for B_n) */
  double lambda;    /* alignment lambda_G(f) */
  double cp;        /* orbit cross-predictability CP_G(f) */
  double dist2;     /* ||f - fbar||^2 */
  size_t level;     /* level j >= 1 attaining lambda (0 if f is constant) */
} gdl_align;

/* From level weights W[0..n]; fbar is set to sqrt(W[0]) = |fhat(empty)| (the sign is not
 * in W: use the _values / _poly forms when it matters). 1 <= n <= 2^20. */
int gdl_align_bn_levels(const double *W, size_t n, gdl_align *out);
/* From the values of f on all 2^n points (1 <= n <= 26). */
int gdl_align_bn_values(const double *f, unsigned n, gdl_align *out);
/* From a sparse polynomial on {-1,1}^n, no enumeration (n >= gdl_poly_nvars(p), n <= 2^20).
 * Monomials must be distinct (gdl_poly_parse merges duplicates); GDL_EINVAL otherwise. */
int gdl_align_bn_poly(const gdl_poly *p, size_t n, gdl_align *out);
/* E_g <h, f o g - fbar>^2 for G = B_n by the level-weight formula (values on 2^n points). */
int gdl_align_bn_expect(const double *f, const double *h, unsigned n, double *val);
/* Brute-force reference for small n (<= 12): Fourier coefficients by the O(4^n) definition,
 * then lambda = max over every nonempty subset T (all k-subsets of every level k) of
 * E_g<chi_T, f o g - fbar>^2 = mean_{|S|=|T|} ... summed explicitly over all pairs (S, T) of
 * equal size, and CP = sum over those pairs of fhat(S)^2 fhat(T)^2 / C(n,|S|). */
int gdl_align_bn_bruteforce(const double *f, unsigned n, gdl_align *out);
/* Monte Carlo over ng uniform g in B_n (n <= 24) of v_g = <h, f o g - fbar>^2 with fbar =
 * fhat(empty), computed by permuting the 2^n values of f (no Fourier identity used).
 * Returns the mean and its standard error. */
int gdl_align_bn_mc(const double *f, const double *h, unsigned n, size_t ng, gsl_rng *r,
                    double *mean, double *se);

/* A scalar function on rows of X (m x dim): y[i] = f(X[i,:]). */
typedef int (*gdl_eval_fn)(void *ctx, size_t m, const double *X, double *y);
/* Monte-Carlo CP_G(f) = E_{g,g'} <f o g - fbar, f o g' - fbar>^2 for any group kind acting
 * on R^n (G = S_n, B_n, O(n)), over npairs independent pairs (g, g'), cross-fitted: the
 * inner product is computed on two point sets (X1, w1) and (X2, w2) (w = NULL: uniform
 * weights 1/m) and the pair's sample is <.,.>_1 * <.,.>_2, unbiased for the square when
 * the point sets are independent samples of the input law; pass the same exact quadrature
 * (e.g. all cube points with weights) as both sets for an exact inner product.
 * fbar_fn evaluates the G-average (G-invariant); NULL means fbar is the constant E_x f,
 * estimated by the weighted mean of f over both point sets (exact for a transitive group
 * and an exact quadrature). Returns the mean and standard error over pairs. */
int gdl_align_cp_mc(gdl_eval_fn f, void *fctx, gdl_eval_fn fbar_fn, void *fbar_ctx,
                    gdl_group_kind kind, size_t n, size_t m1, const double *X1, const double *w1,
                    size_t m2, const double *X2, const double *w2, size_t npairs, gsl_rng *r,
                    double *cp, double *se);

/* ---- the noisy-GD bound of CLAIMS.md NG ----
 * G(theta) = E_g || E_x[(f o g - fbar)(x) grad_theta f_theta(x)] ||^2
 *          = sum_{j>=1} W_j(f)/C(n,j) * sum_i W_j(d_i f_theta)          (G = B_n)
 * computed exactly by the FWHT of every column of the per-example gradient matrix over all
 * 2^n cube points (uniform law; n <= 22; columns are processed in blocks to bound memory).
 * Wf = level weights of f (n+1 entries). gradsq (optional) = sum_i ||d_i f_theta||^2, so
 * that G <= lambda * gradsq can be checked. The net must have width[0] == n and use output 0. */
int gdl_ng_G(gdl_net *net, unsigned n, const double *Wf, double *G, double *gradsq);
/* The level profile of the gradient: prof[j] = sum_i W_j(d_i f_theta), j = 0..n (n+1
 * entries), so that G = sum_{j>=1} W_j(f)/C(n,j) prof[j] for every target f at once (one
 * profile serves several targets). gradsq as in gdl_ng_G (optional). */
int gdl_ng_profile(gdl_net *net, unsigned n, double *prof, double *gradsq);
/* sum_{j>=1} W_j(f)/C(n,j) prof[j]: G from a profile. */
double gdl_ng_profile_dot(unsigned n, const double *Wf, const double *prof);
/* The bound sqrt(lambda) + 0.5 ||f - fbar|| (sumG / tau^2)^{1/2}, where sumG accumulates
 * E[G(theta^J_t)] over the steps t < T of the junk run (trained on fbar). */
typedef struct { double lambda, dist2, tau, sumG; size_t steps; } gdl_ng_bound;
int gdl_ng_bound_init(gdl_ng_bound *b, double lambda, double dist2, double tau);
/* Add one step's E[G(theta_t)] (G >= 0, finite). */
int gdl_ng_bound_add(gdl_ng_bound *b, double G);
double gdl_ng_bound_value(const gdl_ng_bound *b);

/* ---- runs ---- */
/* max_i |a_i - b_i| after checking that every value is finite; a NaN/Inf in either array is
 * GDL_EDIVERGED (message names the index) and *err = NaN (a naive max over NaN reads 0). */
int gdl_equivariance_error(size_t m, const double *a, const double *b, double *err);
/* First index i with y[i] < thr (below = 1) or y[i] > thr (below = 0); *idx = m if never.
 * NaN entries never count as a hit. */
int gdl_hitting_index(size_t m, const double *y, double thr, int below, size_t *idx);

#ifdef __cplusplus
}
#endif
#endif
