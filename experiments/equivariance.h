/* experiments/equivariance.h: the experiments of claim EQ (theorems/equivariance.md), shared
 * by theorems/equivariance.c (assertions) and benchmarks/equivariance.c (the sweep).
 *
 * EQ1 pair run (eq1_run): run A on data x with init theta_0 and noise Z_t; run B on data g.x
 *   with init g.theta_0 (first layer W_0 R^T) and first-layer noise Z_t R^T
 *   (gdl_group_act_params), everything else identical (same batch stream: both trainers draw
 *   from identical rng streams, and B's sampler maps each fresh x to R x after drawing the
 *   label from x). Measured: per step, max over test points of |f_B(R x) - f_A(x)|
 *   (gdl_equivariance_error; a non-finite output makes the step's error +inf).
 * EQ2 init law (eq2_run): f_theta(x) over m inits vs f_theta'(g x) over m independent inits,
 *   each with its own uniformly random g; two-sample KS.
 * EQ3 law after training (eq3_run): one training run of the FCN (or the hand-placed twin) on
 *   chi_T from the cube; measured: the final test correlation E[f chi_T].
 *
 * Every random draw comes from a stream (seed, purpose, index) named in the config, so a
 * result does not depend on threads or ranks, and the sweep point with the test's config and
 * seed is bit-identical to the test's run (ctest experiments.equivariance.same_as_test). */
#ifndef GDL_EXPERIMENTS_EQUIVARIANCE_H
#define GDL_EXPERIMENTS_EQUIVARIANCE_H

#include <stddef.h>
#include <stdint.h>
#include "experiments/experiment.h"
#include "gdl/gdl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------- EQ1 ---------------- */
typedef enum { EQ_CUBE_BN = 0, EQ_GAUSS_OD, EQ_SPHERE_OD, EQ_NSETUPS } eq_setup;
typedef enum { EQ_GD = 0, EQ_SGD, EQ_NOISY, EQ_ADAM, EQ_COORDCLIP, EQ_NALGOS } eq_algo;
#define EQ1_NDEPTHS 3 /* depths 2, 3, 4 */

const char *eq_setup_name(eq_setup s);
const char *eq_algo_name(eq_algo a);
/* 1 when the algorithm commutes with the setup's group (the pass side); 0: a control that
 * must fail (coordinatewise rules under O(d)). */
int eq1_expect_equivariant(eq_setup s, eq_algo a);

typedef struct {
  eq_setup setup;
  eq_algo algo;
  size_t depth;        /* weight layers: 2, 3, 4 */
  size_t n;            /* input dimension */
  size_t width;        /* hidden width (tanh) */
  size_t steps;
  size_t m;            /* fixed sample size (GD, noisy GD, Adam, coordclip) */
  size_t batch;        /* SGD */
  size_t ntest;
  const char *target;  /* polynomial of the labels (computed from the original x) */
  double bias_sd;      /* biases N(0, bias_sd^2); weights N(0, 1/fan_in) */
  double lr;           /* GD, SGD, noisy GD, coordclip */
  double lr_adam;
  double l2_clip;      /* noisy GD: global l2 clipping */
  double noise_tau;    /* noisy GD: N(0, tau^2) per coordinate */
  double coord_clip;   /* coordclip control */
  /* streams: (seed, purpose, index); index = 1000 setup + 10 algo + (depth - 2) */
  const char *purpose_init, *purpose_data, *purpose_group, *purpose_train, *purpose_noise;
  uint64_t index;
} eq1_config;

void eq1_config_default(eq1_config *c, eq_setup s, eq_algo a, size_t depth);
int eq1_config_json(const void *cfg, gdl_json *j);
/* err (length c->steps, may be NULL): the per-step error; *maxerr: its max over the steps
 * (+inf when an output was not finite; NaN when the run failed). */
int eq1_run(const eq1_config *c, uint64_t seed, double *err, double *maxerr);

/* ---------------- EQ2 ---------------- */
typedef enum { EQ2_GAUSS = 0, EQ2_RADEMACHER, EQ2_UNIFORM01, EQ2_HAND, EQ2_NINITS } eq2_init;
const char *eq2_init_name(eq2_init i);
const char *eq2_group_name(gdl_group_kind g);

typedef struct {
  eq2_init init;
  gdl_group_kind group;
  int expect_equal;    /* 1: the init law is invariant under the group; 0: a control */
  size_t d;            /* input dimension; x = sqrt(d) e_1 */
  size_t hidden;       /* d -> hidden -> 1 tanh, output weights 1, output bias 0 */
  double bias_sd;      /* first-layer biases N(0, bias_sd^2) */
  size_t hand_k;       /* hand-placed: N(0, 1/hand_k) on the first hand_k coordinates (the
                        * orbit-averaged variance of w.x equals the Gaussian init's) */
  size_t m;            /* inits per sample */
  const char *purpose; /* stream (seed, "<purpose>.<init>.<group>", i), i < 2m */
} eq2_config;

/* The cases of the test and the sweep, in order (eq2_config_case). */
#define EQ2_NCASES 8
void eq2_config_case(eq2_config *c, size_t k);
int eq2_config_json(const void *cfg, gdl_json *j);
typedef struct {
  double D, p;        /* two-sample KS */
  size_t nonfinite;   /* outputs that were not finite (KS not computed when > 0) */
} eq2_result;
/* s1, s2 (length c->m each, may be NULL): the two samples. */
int eq2_run(const eq2_config *c, uint64_t seed, double *s1, double *s2, eq2_result *res);

/* ---------------- EQ3 ---------------- */
typedef struct {
  size_t n;            /* cube {+-1}^n */
  size_t k;            /* |T| */
  size_t t0;           /* T = {t0 + 1, ..., t0 + k} (1-based coordinates) */
  int hand;            /* 1: the hand-placed twin (first layer supported on S = {1..k}) */
  double hand_scale;   /* its first-layer entries N(0, hand_scale^2) on S */
  size_t hidden;       /* n -> hidden ReLU -> 1 */
  double w0_sd, b0_sd; /* FCN first layer N(0, w0_sd^2), biases N(0, b0_sd^2) */
  double lr;
  size_t batch, steps; /* online SGD */
  size_t ntest;        /* fresh test points per run */
  const char *purpose_init_prefix, *purpose_train, *purpose_test;
  uint64_t index;      /* the run: streams (seed, purpose, index) */
} eq3_config;

void eq3_config_default(eq3_config *c, int hand, size_t t0, uint64_t run);
int eq3_config_json(const void *cfg, gdl_json *j);
int eq3_run(const eq3_config *c, uint64_t seed, double *corr);
/* The symmetric (sign-flip) test of EQ3 (theorems/equivariance.md): d_i = a_i - b_i + shift,
 * T = sum d_i / sqrt(sum d_i^2) (0 when every d_i is 0). When a_i and b_i are independent with
 * the same law and shift = 0, d_i is symmetric and P(|T| >= t) <= 2 exp(-t^2/2) (Hoeffding,
 * conditionally on |d_i|). */
int eq3_sym_test(size_t N, const double *a, const double *b, double shift, double *T);
/* t with 2 exp(-t^2/2) = alpha */
double eq3_sym_threshold(double alpha);

/* ---------------- the whole family: the sweep's configuration ---------------- */
typedef struct {
  size_t eq1_steps;    /* pair runs: every setup x algo x depth, eq1_config_default + steps */
  size_t eq3_runs;      /* EQ3: FCN runs per target (pairs of the symmetric test) */
  size_t eq3_runs_hand; /* EQ3: hand-placed twin runs per target */
  size_t eq3_t0[2];    /* targets chi_S (t0[0]) and chi_pi(S) (t0[1]) */
} equivariance_config;

void equivariance_config_default(equivariance_config *c);
/* the whole configuration (EQ1 base config, EQ2 cases, EQ3 config), for gdl_exp_doc */
int equivariance_config_json(const void *cfg, gdl_json *j);

/* The sweep's points: EQ1 pair runs (setup, algo, depth), then the EQ2 cases, then one EQ3
 * point per (learner, target). */
size_t equivariance_npoints(const equivariance_config *c);
typedef enum { EQ_POINT_EQ1 = 1, EQ_POINT_EQ2, EQ_POINT_EQ3 } eq_point_kind;
/* Which point i is: kind and the index inside its part. */
eq_point_kind equivariance_point_kind(const equivariance_config *c, size_t i, size_t *sub);
/* The point index of part `kind`'s sub-th point (inverse of equivariance_point_kind). */
size_t equivariance_point_index(eq_point_kind kind, size_t sub);
void eq1_point_config(const equivariance_config *c, size_t sub, eq1_config *out);
void eq3_point_learner(size_t sub, int *hand, int *target);

/* gdl_sweep_point_fn: computes point i and writes its CSV (gdl_sweep_point_file "csv"):
 *   EQ1: setup,algo,depth,step,err (one row per step)
 *   EQ2: case,init,group,expect_equal,D,p,nonfinite
 *   EQ3: hand,target,run,corr (one row per run) */
typedef struct {
  equivariance_config cfg;
  uint64_t seed;
} equivariance_sweep_ctx;
int equivariance_point(void *ctx, gdl_sweep *s, size_t i);

#ifdef __cplusplus
}
#endif
#endif
