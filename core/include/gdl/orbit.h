/* gdl/orbit.h: the periodic-neuron orbit on Gaussian inputs (claim SH).
 *
 * Class H_gamma = { h_v(x) = cos(2 pi gamma <v, x>) : v uniform on S^{d-1} }, x ~ N(0, I_d).
 * For a 2-layer ReLU net f(x) = s * (sum_j a_j relu(w_j.x + b_j) + c) (s = out_scale) the
 * class gradient G(v) = E_x[h_v(x) grad_theta f(x)] has a closed reduction: with
 * u_j = w_j/|w_j|, c_j = <v, u_j>, the x-expectation of neuron j's block depends only on
 * c_j and on 1-D integrals  I(omega, tau) = int_tau^inf phi(s) e^{i omega s} ds  (phi the
 * standard normal density, tau_j = -b_j/|w_j|, omega = 2 pi gamma c_j), which are computed
 * by panel Gauss-Legendre quadrature to rounding level. The orbit variance
 *     Var = E_v ||G(v) - E_v' G(v')||^2
 * is then a sum over neurons of 1-D integrals over c with the density of <v, u> on the
 * sphere, ~ (1 - c^2)^{(d-3)/2}: computed by graded panel quadrature (exact up to rounding
 * and a documented refinement check), or estimated by sampling directions (uniformly, or by
 * importance sampling in caps around +-u_j with exact weights).
 *
 * Schur bound (CLAIMS.md, SH1): with a = 4 pi^2 gamma^2 and t = <w, w'>,
 *     K(t) = e^{-a} (cosh(a t) - 1) >= 0,   B(gamma, d) = E_t K(t),
 * and Var <= B(gamma, d) * E_x ||grad f(x)||^2 for every net (proof in
 * theorems/sgd_hardness.md). */
#ifndef GDL_ORBIT_H
#define GDL_ORBIT_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* B(gamma, d), d >= 3, gamma >= 0 (B(0, d) = 0). refine >= 1 multiplies the number of
 * quadrature panels (1 is the default accuracy, ~1e-13 relative). */
int gdl_orbit_schur_bound(double gamma, size_t d, size_t refine, double *B);
/* Same integral by GSL adaptive quadrature (QAGS), an independent cross-check. */
int gdl_orbit_schur_bound_qags(double gamma, size_t d, double *B);
/* The kernel K(t) of the Schur bound (stable for every gamma). */
double gdl_orbit_kernel(double gamma, double t);

/* I(omega, tau) = int_tau^inf phi(s) e^{i omega s} ds = *C + i *S (phi = N(0,1) density),
 * |omega| <= 200. tau <= -9 is treated as -inf and tau >= 9 gives 0 (error < 1e-18). */
int gdl_orbit_gauss_ft(double omega, double tau, double *C, double *S);

/* The nets handled: 2 weight layers, ReLU hidden layer, one output, any out_scale, biases
 * on or off. Anything else: GDL_EINVAL. */
int gdl_orbit_check_net(const gdl_net *net);

/* E_x ||grad_theta f(x)||^2 for x ~ N(0, I_d), in closed form. */
int gdl_orbit_grad_sqnorm(const gdl_net *net, double *egrad2);

/* G (length net->nparams) = E_x[cos(2 pi gamma <v,x>) grad_theta f(x)] for a unit vector v
 * (v is normalised internally; |v| must be > 0). */
int gdl_orbit_class_grad(const gdl_net *net, double gamma, const double *v, double *G);

typedef struct {
  double gamma;
  double mean_sq;   /* E_v ||G(v)||^2 (without the output-bias block, constant in v) */
  double gbar_sq;   /* ||E_v G(v)||^2 (same convention) */
  double var;       /* E_v ||G(v) - E G||^2 = mean_sq - gbar_sq */
  double egrad2;    /* E_x ||grad f||^2 */
  double var_norm;  /* var / egrad2 */
} gdl_orbit_var;

/* Exact (quadrature) orbit gradient variance. refine >= 1 as above. */
int gdl_orbit_variance(const gdl_net *net, double gamma, size_t refine, gdl_orbit_var *out);

typedef enum {
  GDL_ORBIT_UNIFORM = 0,    /* v uniform on the sphere: misses the caps at large gamma */
  GDL_ORBIT_IMPORTANCE      /* mixture: 1/2 uniform + 1/2 caps around +-u_j (exact weights) */
} gdl_orbit_sampling;

/* Monte-Carlo estimate over directions (the x-expectation stays exact):
 * var_norm = mean of ||G(v) - E G||^2 w(v) / egrad2 (E G exact) with its standard error. */
int gdl_orbit_variance_sampled(const gdl_net *net, double gamma, size_t nsamples,
                               gdl_orbit_sampling mode, gsl_rng *r, double *var_norm,
                               double *se_norm);

#ifdef __cplusplus
}
#endif
#endif
