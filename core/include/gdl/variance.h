/* gdl/variance.h: exact class-gradient variance (claim GV) by five engines.
 *
 * For a class H of targets with prior pi (uniform unless given), a scalar-output net
 * p_w and an input law (finite, given as points X with weights w), the gradient of the
 * population loss for target h is  grad C_h(w) = E_x[ l'(p_w(x), h(x)) g(x) ]  with
 * g = grad_w p_w the per-example gradient. For every loss whose derivative is affine
 * in the label, l'(p, y) = alpha(p) + beta * y (squared: beta = -1, correlation: -1,
 * logistic with labels in [-1,1]: -1/2), the prediction term is the same for every
 * h and cancels in the class variance:
 *
 *     Var_loss(H, w) = E_h || grad C_h - E_h' grad C_h' ||^2
 *                    = beta^2 * E_h || E_x[ htilde_h(x) g(x) ] ||^2,
 *     htilde_h(x) = h(x) - E_h' h'(x)                       (class-centred target).
 *
 * Every engine below returns Var := E_h || E_x[htilde_h g] ||^2 (the squared-loss
 * value, beta^2 = 1) except gdl_variance_direct, which really differentiates the loss
 * for each target and returns Var_loss (so it checks the identity; divide by
 * gdl_loss_label_slope(loss)^2 to compare).
 *
 * Engines (all exact up to rounding on their input law):
 *   1. gdl_variance_direct    one forward/loss/backward per target (the reference);
 *   2. gdl_variance_gemm      one GEMM: (centred, weighted target matrix) x (per-example
 *                             gradient matrix), in column blocks;
 *   3. gdl_variance_parity    all parity levels k = 0..n on the uniform cube at once, by
 *                             the fast Walsh-Hadamard transform of every gradient column;
 *   4. gdl_variance_zp        the class {phi(a x mod p) : a in Z_p^*}, x uniform on Z_p,
 *                             through a primitive root: a cyclic correlation of length
 *                             p - 1 evaluated by FFT (GSL mixed radix, or Bluestein with
 *                             radix-2 when p - 1 has a large prime factor), O(P p log p);
 *   5. gdl_variance_wave      the class {psi(a x) : a ~ U[A, 2A]} (continuous a) for
 *                             psi in {sin 2 pi t, cos 2 pi t}, x from a quadrature of
 *                             N(0,1) on [-8, 8] with step <= 1/(64 A): the a-average is
 *                             exact, through a Legendre expansion in a (spherical Bessel
 *                             coefficients, one GEMM) or Toeplitz + Hankel sums by FFT;
 *      gdl_variance_crossfit  unbiased cross-fitted Monte-Carlo estimate for inputs that
 *                             cannot be enumerated (two independent batches, no floor).
 * Each also returns E_x||g||^2, E_x||g - E g||^2 and, where the class has one, the
 * explicit bound of CLAIMS.md GV (see theorems/gradient_variance.md for the proofs).
 *
 * All engines use the net's workspaces and overwrite net->grad; parameters are not
 * changed. Only nets with one output are accepted. */
#ifndef GDL_VARIANCE_H
#define GDL_VARIANCE_H

#include <stddef.h>
#include <stdint.h>
#include "net.h"
#include "loss.h"
#include "domain.h"
#include "target.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  double var;          /* E_h ||E_x[htilde_h g]||^2 (direct engine: the loss-gradient variance) */
  double eg2;          /* E_x ||g||^2 */
  double egc2;         /* E_x ||g - E_x g||^2 */
  double gmu2;         /* wave engine: ||g mu||^2_{L2(dx)} of the quadrature measure; else NaN */
  double bound_const;  /* the class constant c of the bound (see each engine); NaN if none */
  double bound;        /* explicit upper bound on var; NaN if the engine has none */
  size_t nclass;       /* |H| (0 for a continuous class) */
} gdl_var_result;

/* beta with l'(p, y) = alpha(p) + beta y: squared -1, correlation -1, logistic -1/2.
 * NaN for SOFTMAX_CE (multi-output, not supported by these engines). */
double gdl_loss_label_slope(gdl_loss loss);

/* ---- classes given by their values on the input points ---- */
/* Fill y[0..m) with the values of member h (0 <= h < nclass) at the rows of X (m x dim). */
typedef int (*gdl_class_fn)(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y);
typedef struct {
  size_t nclass;
  gdl_class_fn eval;
  void *ctx;
  const double *prior;   /* nclass weights summing to 1; NULL = uniform */
} gdl_class;

/* Ready-made classes. The ctx structs are filled by the constructors and must outlive
 * the gdl_class (they hold no heap memory). */
typedef struct { unsigned n, k; } gdl_class_parity_ctx;
/* All parities chi_S, |S| = k, of the coordinates 0..n-1 (member h = h-th k-subset in
 * colexicographic order). nclass = C(n, k) (must fit in size_t). */
int gdl_class_parity(unsigned n, unsigned k, gdl_class_parity_ctx *ctx, gdl_class *out);

typedef struct { uint64_t p; const double *phi; const uint64_t *ints; const gdl_domain *dom; } gdl_class_modmul_ctx;
/* {phi(a x mod p) : a = 1..p-1}: member h is a = h + 1. phi is a table of p values.
 * x of row i is ints[i] if ints != NULL, else decoded from X with the domain `dom`. */
int gdl_class_modmul(uint64_t p, const double *phi, const uint64_t *ints, const gdl_domain *dom,
                     gdl_class_modmul_ctx *ctx, gdl_class *out);

typedef struct { double A; size_t na; gdl_psi psi; const double *dir; } gdl_class_wave_ctx;
/* {psi(a <dir, x>)} for the midpoint grid a_h = A (1 + (h + 1/2)/na), h < na
 * (dir NULL: the first coordinate). A discrete class: for the continuous a ~ U[A, 2A]
 * use gdl_variance_wave. */
int gdl_class_wave(double A, size_t na, gdl_psi psi, const double *dir, gdl_class_wave_ctx *ctx,
                   gdl_class *out);

/* phi table of length p for a profile. */
int gdl_phi_table(gdl_phi phi, uint64_t p, double *tab);

/* ---- engine 1: direct (the reference) ----
 * For each member: forward on all m points, loss with weights w (NULL = 1/m) against
 * the member's values, backward; out->var = weighted variance of the loss gradients
 * (includes beta^2). bound = NaN. */
int gdl_variance_direct(gdl_net *net, gdl_loss loss, size_t m, const double *X, const double *w,
                        const gdl_class *H, gdl_var_result *out);

/* ---- engine 2: one GEMM ----
 * V = Htilde diag(w) G (|H| x P), Var = sum_h pi_h ||V_h||^2. If `frame` != 0 the frame
 * bound is computed too (|H| <= 3000, LAPACK dsyev): bound_const = lambda_max(G_pi) with
 * G_pi = D Gram D, Gram_hh' = <htilde_h, htilde_h'>, D = diag(sqrt(pi_h)) (uniform prior:
 * lambda_max(Gram)/|H|), and bound = bound_const * eg2. */
int gdl_variance_gemm(gdl_net *net, size_t m, const double *X, const double *w, const gdl_class *H,
                      int frame, gdl_var_result *out);

/* ---- engine 3: parity levels by FWHT ----
 * x uniform on {-1,+1}^n (all 2^n points, enumerated in the gdl_domain_enumerate order),
 * n = net input width, 1 <= n <= 24. out has n + 1 entries; out[k] is the class of all
 * C(n,k) parities of degree k with bound_const = 1/C(n,k), bound = eg2/C(n,k) ([SSS17]). */
int gdl_variance_parity(gdl_net *net, gdl_var_result *out);

/* ---- engine 4: Z_p by FFT ----
 * Domain d is ZP_BITS or ZP_SCALAR with p prime, 5 <= p <= 2^31; phi a table of p
 * values. x uniform on Z_p (all p points), a uniform on Z_p^*. bound_const =
 * (sum_{k != 0} |phihat(k)|)^2/(p - 1), bound = bound_const * egc2, with
 * phihat(k) = p^{-1} sum_y phi(y) e^{-2 pi i k y/p}.
 * Optional outputs (may be NULL): lmax = lambda_max of the centred Gram
 * <htilde_a, htilde_b> (a circulant in the primitive-root index, exact), and
 * fsum = sum_{k != 0} |phihat(k)|. */
typedef enum { GDL_FFT_AUTO = 0, GDL_FFT_MIXED, GDL_FFT_BLUESTEIN } gdl_fft_path;
int gdl_variance_zp(gdl_net *net, const gdl_domain *d, const double *phi, gdl_fft_path path,
                    gdl_var_result *out, double *lmax, double *fsum);
/* sum_{k != 0} |phihat(k)| (by FFT). */
int gdl_zp_fourier_l1(uint64_t p, const double *phi, double *fsum);

/* ---- engine 5: waves by quadrature ----
 * Net input width 1. x ~ nu_h, the quadrature of N(0,1) on the grid x_j = j h, |x_j| <= 8,
 * h = 1/(64 A) unless `step` > 0 is given (then h = step, h <= 1/(4A) required),
 * weights w_j = h phi(x_j) normalised to sum 1. a ~ U[A, 2A] (continuous), psi sin or cos.
 * gmu2 = sum_j w_j^2 ||g(x_j)||^2 / h (= ||g mu||^2_{L2(dx)} of nu_h), bound_const =
 * 1/(2A) (the factor (sum_{k!=0}|psihat_k||k|^{-1/2})^2 is 1 for sin and cos),
 * bound = gmu2/(2A). */
int gdl_variance_wave(gdl_net *net, double A, gdl_psi psi, double step, gdl_var_result *out);
/* Same with the method chosen: 0 auto, 1 Legendre (exact centred sum through the
 * plane-wave expansion e^{izt} = sum_n (2n+1) i^n j_n(z) P_n(t); no cancellation;
 * O(A m P)), 2 FFT (Toeplitz + Hankel sums; O(P m log m) but its rounding is absolute,
 * ~1e-14 E_a||v_a||^2, so a Var far below ||E_a v_a||^2 loses relative accuracy).
 * Auto takes Legendre while its cost stays below ~1e9 multiply-adds (A <= 16 for P ~ 100). */
int gdl_variance_wave_method(gdl_net *net, double A, gdl_psi psi, double step, int method, gdl_var_result *out);
/* The quadrature grid of engine 5 (m = 2J + 1 points, X and w of length m). Call with
 * X = w = NULL to get m. */
int gdl_wave_grid(double A, double step, size_t *m, double *X, double *w);
/* (sum_{k != 0} |psihat_k| |k|^{-1/2})^2 for the profiles (sin, cos: 1; triangle;
 * sawtooth), the constant of the continuous-law wave bound. */
double gdl_psi_bound_factor(gdl_psi psi);

/* ---- engine 5b: every wave, harmonic by harmonic ----
 * Fourier series of the profiles (1-periodic, t real): psi = sum_{k>=1} coef_k trig(2 pi k t)
 * with trig = cos for the triangle 1 - 4|t - round t| (coef_k = 8/(pi^2 k^2), k odd; 0 for k
 * even) and for cos (coef_1 = 1), trig = sin for the sawtooth 2(t - round t) (coef_k =
 * 2 (-1)^{k+1}/(pi k)) and for sin (coef_1 = 1). Fills coef[0..K) and *trig. */
int gdl_psi_series(gdl_psi psi, size_t K, gdl_psi *trig, double *coef);
/* S_K = sum_{k > K} |coef_k| / k (closed form through zeta), the constant of the truncation
 * tail bound ||v_a(psi) - v_a(psi_K)|| <= TV_2(g mu) S_K / (2 pi a) (gradient_variance.md). */
double gdl_psi_series_tail(gdl_psi psi, size_t K);
/* The class {psi_K(a x) : a ~ U[A, 2A]} of the truncation psi_K = sum_{k<=K} coef_k
 * trig(2 pi k t), on the quadrature law of engine 5 (step h = 1/(64 A) unless step > 0),
 * exactly (every cross term between harmonics included: the harmonics are one sin/cos class
 * on a virtual grid K times wider; FFT of length >= 4 K J, J = 8/h). Requires 4 K A h <= 1
 * (every harmonic resolved), where the bound is exact: bound_const = (sum_{k<=K} |coef_k|
 * k^{-1/2})^2/(2A), bound = bound_const * gmu2. K <= 64. */
int gdl_variance_wave_series(gdl_net *net, double A, gdl_psi psi, double step, size_t K, gdl_var_result *out);

/* ---- cross-fitted Monte Carlo ----
 * Two independent i.i.d. batches XA (mA rows) and XB (mB rows) of the input law.
 * With U_h = (1/m) sum_i htilde_h(x_i) g(x_i) on each batch (htilde centred with the
 * class mean on the same points), returns out->var = sum_h pi_h <U^A_h, U^B_h>, an
 * unbiased estimate of Var with no finite-sample floor; eg2, egc2 from batch A. */
int gdl_variance_crossfit(gdl_net *net, size_t mA, const double *XA, size_t mB, const double *XB,
                          const gdl_class *H, gdl_var_result *out);

/* E_x||g||^2 and E_x||g - Eg||^2 on weighted points (w NULL = uniform). */
int gdl_grad_moments(gdl_net *net, size_t m, const double *X, const double *w, double *eg2,
                     double *egc2);

#ifdef __cplusplus
}
#endif
#endif
