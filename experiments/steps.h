/* experiments/steps.h: claim SC1, from gradient variance to a step count ([SSS17]'s argument,
 * made executable; theorems/steps.md).
 *
 * Class {h_a(x) = cos(2 pi a x / p) : a in Z_p^*}, x uniform on Z_p (all p points, encoded
 * as the scalar 2x/p - 1 or as bits), squared loss C_h(w) = 1/2 E_x (f_w(x) - h(x))^2.
 * From the same initialisation, full-batch GD for T steps
 *   true run  theta_{t+1} = theta_t - lr grad C_{h_a}(theta_t)   (a random class member)
 *   mean run  phi_{t+1}   = phi_t   - lr E_a' grad C_{h_a'}(phi_t) = phi_t - lr grad C_{hbar}(phi_t)
 * (the loss derivative is affine in the label, so the class-mean gradient is the gradient for
 * the class-mean target hbar). Per step the module records the parameter distance
 * e_t = ||theta_t - phi_t||, the prediction distance (E_x (f_theta_t - f_phi_t)^2)^(1/2), the
 * gradient difference Delta_t = ||grad C_{h_a}(phi_t) - grad C_hbar(phi_t)|| at the mean run's
 * point, the exact class variance Var_t = E_a ||grad C_{h_a}(phi_t) - grad C_hbar(phi_t)||^2
 * (the Z_p FFT engine of gdl/variance.h; phi_t does not depend on a), the secant Lipschitz
 * factor l_t = ||G_a(theta_t) - G_a(phi_t)|| / e_t of the GD map G_a(w) = w - lr grad C_{h_a}(w),
 * and the two bounds (theorems/steps.md, our derivation)
 *   B_{t+1}  = l_t B_t  + lr Delta_t                     (measured step by step: e_t <= B_t)
 *   BV_{t+1} = l_t BV_t + lr sqrt(T Var_t / delta)      (Chebyshev + union bound over T steps:
 *                                                        e_t <= BV_t with prob >= 1 - delta over a). */
#ifndef GDL_EXPERIMENTS_STEPS_H
#define GDL_EXPERIMENTS_STEPS_H

#include <stddef.h>
#include <stdint.h>
#include "experiments/experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STEPS_MAXP 16
typedef struct {
  size_t np;
  uint64_t p[STEPS_MAXP];  /* primes (>= 5), increasing */
  size_t hidden;           /* one tanh hidden layer of this width, biases */
  double w0;               /* first-layer weights N(0, w0^2 / fan_in) */
  double bscale;           /* biases N(0, bscale^2); output layer N(0, 1/hidden) */
  double lr;               /* GD step size */
  size_t T;                /* steps */
  int bits;                /* 1: bit encoding of x, 0: scalar 2x/p - 1 */
  double delta;            /* failure probability of the Chebyshev bound BV */
  double afrac;            /* the target a is drawn uniformly from min(a, p - a) >= max(1, ceil(afrac p)):
                            * a high-frequency member (the premise of the high-p claim; the few
                            * low-frequency members are the Chebyshev exceptions). The mean run
                            * always uses the mean over the whole class Z_p^*. */
} steps_config;

void steps_config_default(steps_config *c);   /* the theorem test and the quick sweep */
void steps_config_full(steps_config *c);      /* the sweep's --full grid */
int steps_config_json(const void *cfg, gdl_json *j);

typedef struct {
  uint64_t p, a;          /* modulus and the drawn class member */
  size_t T;
  /* length T + 1 (index t = 0..T); dgrad, var, ell at t < T only (the entry T is NaN) */
  double *e, *dpred, *bound, *bound_var, *dgrad, *var, *ell;
  double corr_true, corr_mean; /* Pearson correlation of f_T with the class-centred target htilde_a */
  double gain;                 /* corr_true - corr_mean */
  double ht_norm;              /* ||htilde_a||_{L2(Z_p)} */
  double move_mean;            /* ||phi_T - phi_0|| */
  double cheb_max;             /* max_t Delta_t / sqrt(T Var_t / delta) (<= 1 on the Chebyshev event) */
} steps_result;

/* Runs point ip (modulus c->p[ip]) with streams derived from seed: "SC1.a"/p draws a,
 * "SC1.init"/p the initialisation. r's arrays are allocated; free with steps_result_free. */
int steps_run(const steps_config *c, uint64_t seed, size_t ip, steps_result *r);
void steps_result_free(steps_result *r);

/* At the initialisation of point ip: E_a ||Delta_0(a)||^2 by one backward per member a
 * (direct) and Var_0 by the FFT engine (engine). */
int steps_var0_check(const steps_config *c, uint64_t seed, size_t ip, double *direct, double *engine);

/* ---- the points of the sweep (shared with the test: experiments.steps.same_as_test) ----
 * Point ip: steps_run, then the curve (columns steps_curve_columns, one row per t) to
 * curve_path and the end values (steps_point_columns) to csv_path, the csv last. */
#define STEPS_NPOINT_COLS 14
#define STEPS_NCURVE_COLS 9
extern const char *const steps_point_columns[STEPS_NPOINT_COLS];
extern const char *const steps_curve_columns[STEPS_NCURVE_COLS];
int steps_write_point(const steps_config *c, uint64_t seed, size_t ip, const char *csv_path, const char *curve_path);
/* The row of steps_point_columns for a result. */
void steps_point_row(const steps_result *r, double *row);

#ifdef __cplusplus
}
#endif
#endif
