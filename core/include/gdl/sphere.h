/* gdl/sphere.h: the sphere S^(d-1) under O(d): spherical harmonics through Gegenbauer
 * polynomials, exact level weights of polynomial targets, the O(d) orbit alignment and the
 * orbit kernel that gives the noisy-GD term G on a sample (core/src/sphere.c; CLAIMS.md
 * AL2 / NG3, theorems/sphere.md).
 *
 * Conventions. sigma is the uniform law on the sphere of radius r in R^d (d >= 2).
 * L^2(sigma) = sum_l H_l (harmonic polynomials of degree l restricted to the sphere),
 * dim H_l = N(d, l) = C(d+l-1, l) - C(d+l-3, l-2). P_l is the Gegenbauer polynomial
 * C_l^((d-2)/2) normalised to P_l(1) = 1 (Legendre for d = 3, Chebyshev for d = 2); the
 * reproducing kernel of H_l in L^2(sigma) is N(d, l) P_l(<x, y>/r^2) (Funk-Hecke), so
 * proj_l f(x) = N(d, l) E_y[f(y) P_l(<x, y>/r^2)] and the level weight
 *   W_l(f) = ||proj_l f||^2 = N(d, l) E_{x,y}[f(x) f(y) P_l(<x, y>/r^2)].
 * Each H_l is an absolutely irreducible O(d)-module and different levels are inequivalent,
 * so (Schur orthogonality), for g Haar on O(d) and fbar = E_g f o g = E_sigma f:
 *   E_g <h, f o g - fbar>^2 = sum_{l>=1} W_l(f) W_l(h) / N(d, l),
 *   lambda = max_{l>=1} W_l(f)/N(d, l),  CP = sum_{l>=1} W_l(f)^2/N(d, l),
 *   K_f(x, y) = E_g (f(gx) - fbar)(f(gy) - fbar) = sum_{l>=1} W_l(f) P_l(<x, y>/r^2). */
#ifndef GDL_SPHERE_H
#define GDL_SPHERE_H

#include <stddef.h>
#include "alignment.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GDL_SPHERE_MAX_DEG 24 /* largest total degree of a monomial / Gegenbauer degree */
#define GDL_SPHERE_MAX_DIM 4096

/* N(d, l) = dim H_l (as a double: exact below 2^53). d >= 2. */
double gdl_sphere_harmonic_dim(size_t d, unsigned l);
/* P_l(t) (normalised Gegenbauer, P_l(1) = 1) by the three-term recurrence
 * (l + d - 3) P_l = (2l + d - 4) t P_{l-1} - (l - 1) P_{l-2}; NaN for d < 2. */
double gdl_gegenbauer(size_t d, unsigned l, double t);
/* Monomial coefficients c[0..l] of P_l (P_l(t) = sum_j c[j] t^j); l <= GDL_SPHERE_MAX_DEG. */
int gdl_gegenbauer_coefs(size_t d, unsigned l, double *c);

/* A sparse polynomial on R^d: sum_t coef[t] x^{exps[t*d .. t*d+d-1]}. */
typedef struct {
  size_t d, nterms;
  double *coef;
  unsigned *exps;
} gdl_sphere_poly;

int gdl_sphere_poly_alloc(size_t d, size_t nterms, gdl_sphere_poly **out); /* zeroed */
void gdl_sphere_poly_free(gdl_sphere_poly *p);
/* "x1*x2*x3 + 0.5*x1^2*x2 - 2*x4 + 1" (coordinates 1-based, <= d; a term's degree
 * <= GDL_SPHERE_MAX_DEG). Repeated monomials are kept as separate terms. */
int gdl_sphere_poly_parse(const char *s, size_t d, gdl_sphere_poly **out);
/* x_1 x_2 ... x_k scaled to unit L^2(sigma) norm on the sphere of radius r (k <= d). */
int gdl_sphere_poly_product(size_t d, unsigned k, double r, gdl_sphere_poly **out);
/* Largest total degree of a term. */
unsigned gdl_sphere_poly_degree(const gdl_sphere_poly *p);
/* y[i] = p(X[i, :]) for m rows of width d. */
int gdl_sphere_poly_eval(const gdl_sphere_poly *p, size_t m, const double *X, double *y);

/* E_sigma[u^alpha] on the unit sphere = prod_i (alpha_i - 1)!! / (d (d+2) ... (d+|alpha|-2))
 * (0 if some alpha_i is odd). */
int gdl_sphere_moment(size_t d, const unsigned *alpha, double *out);
/* E_sigma[prod_{a<s} <v_a, u>] on the unit sphere for the s rows of V (s x d): the hafnian of
 * the Gram matrix (Isserlis/Wick for the Gaussian) over d (d+2) ... (d+s-2); 0 for odd s.
 * s <= 16. */
int gdl_sphere_wick(size_t d, size_t s, const double *V, double *out);
/* <p, q> in L^2(sigma_r), exactly from the moments. */
int gdl_sphere_poly_inner(const gdl_sphere_poly *p, const gdl_sphere_poly *q, double r, double *out);
/* <p, q o R> = E_x[p(x) q(R x)] in L^2(sigma_r) for R (d x d, row-major) orthogonal, exactly
 * (Wick, no sampling of x); degrees of p and q sum to <= 16. */
int gdl_sphere_poly_inner_rotated(const gdl_sphere_poly *p, const gdl_sphere_poly *q, const double *R, double r,
                                  double *out);
/* W[0..lmax] = level weights of p in L^2(sigma_r), exactly (Funk-Hecke with the moment
 * generating functions; no sampling, no quadrature). Levels above deg p are 0. */
int gdl_sphere_level_weights(const gdl_sphere_poly *p, double r, unsigned lmax, double *W);

/* lambda, CP, ||f - fbar||^2 from W[0..lmax] (fbar = sqrt(W[0]): the sign is not in W). */
int gdl_sphere_align_levels(const double *W, size_t d, unsigned lmax, gdl_align *out);
/* sum_{l>=1} Wf[l] Wh[l] / N(d, l) = E_g <h, f o g - fbar>^2. */
double gdl_sphere_orbit_expect(const double *Wf, const double *Wh, size_t d, unsigned lmax);
/* K_f(t) = sum_{l=1..lmax} W[l] P_l(t), t = <x, y>/r^2. */
double gdl_sphere_orbit_kernel(size_t d, const double *W, unsigned lmax, double t);
/* The m x m kernel matrices of a sample X (m x d, rows of norm r): K[a,b] = K_f(<x_a,x_b>/r^2)
 * and Kx[a,b] = K[a,b] <x_a, x_b> (Kx may be NULL). */
int gdl_sphere_kernel_matrix(size_t d, const double *W, unsigned lmax, double r, size_t m, const double *X,
                             double *K, double *Kx);

/* G_X(theta) = E_g || (1/m) sum_a (f(g x_a) - fbar) grad_theta f_theta(x_a) ||^2
 *            = (1/m^2) sum_c J_c^T K J_c       (J: m x P per-example gradients, column c)
 * on the sample X (m x d), from the kernel matrices of gdl_sphere_kernel_matrix. Fast form:
 * a first-layer weight column is delta_u(x) x_i with delta_u the first-layer bias column of
 * unit u, so sum_i J_(u,i)^T K J_(u,i) = delta_u^T Kx delta_u: only the bias and later
 * columns are used (the first layer must have a bias). gradsq (optional) = (1/m) sum_a
 * ||grad f(x_a)||^2. direct != 0: the O(m^2 P) definition over all columns (Kx unused). */
int gdl_sphere_ng_G(gdl_net *net, size_t m, const double *X, const double *K, const double *Kx, int direct,
                    double *G, double *gradsq);

#ifdef __cplusplus
}
#endif
#endif
