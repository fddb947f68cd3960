/* experiments/sgd_hardness.h: the experiment of claim SH (CLAIMS.md, theorems/sgd_hardness.md),
 * shared by theorems/sgd_hardness.c (assertions) and benchmarks/sgd_hardness.c (grids).
 *
 * Target f(x) = cos(2 pi gamma x_1), x ~ N(0, I_d). Learners are 2-layer ReLU nets
 * f = sum_j a_j relu(w_j.x + b_j) + c with one of three first-layer laws:
 *   SH_NET_FCN   w ~ N(0, I/d), b ~ N(0, 1), a ~ N(0, 1/N), c = 0 (O(d)-invariant law: with
 *                SGD the run is O(d)-equivariant, claim EQ);
 *   SH_NET_E1    w_j = s_j e_1, s_j ~ N(0, scale^2), b_j = -s_j k_j, k_j ~ U[-K, K] (kinks
 *                spread over [-K, K]), a = c = 0: the coordinate-aware learner (not equivariant);
 *   SH_NET_RAND  its equivariant twin: w_j = s_j u_j with the SAME s_j and k_j (same stream,
 *                same draws) and u_j uniform on S^{d-1} from a separate stream: the law of the
 *                first layer is O(d)-invariant, radial law, kinks, width, budget and fit are
 *                those of SH_NET_E1.
 * Fits: SH_FIT_ONLINE (online SGD / Adam on fresh batches, both layers) or SH_FIT_RIDGE (first
 * layer fixed, last layer and bias by ridge least squares on `samples` fresh draws).
 *
 * Streams of one run (seed, purpose, index): init (purpose_init), twin directions
 * (purpose_dirs), training batches (purpose_train), test set (purpose_test); index = cfg.index.
 * The named kinds (sh_kind) are the learners of the test and of the figure; the test's SH2
 * cases (sh2_case_config) and the sweep's grid build their configurations from them. */
#ifndef GDL_EXPERIMENTS_SGD_HARDNESS_H
#define GDL_EXPERIMENTS_SGD_HARDNESS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "experiments/experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SH_NET_FCN = 0, SH_NET_E1 = 1, SH_NET_RAND = 2 } sh_net_law;
typedef enum { SH_FIT_ONLINE = 0, SH_FIT_RIDGE = 1 } sh_fit;

/* The learners of the figure's CSV (column "learner") and of the test. */
typedef enum {
  SH_FCN_SGD = 0,   /* FCN, online SGD 0.01, N = 128 */
  SH_FCN_ADAM = 1,  /* FCN, online Adam 3e-3, N = 128 */
  SH_E1_ADAM = 2,   /* first layer along e_1, N = 512, Adam 0.01 with linear decay */
  SH_E1_RIDGE = 3,  /* first layer along e_1, N = 256, ridge readout on 1e5 samples */
  SH_RAND_RIDGE = 4,/* its equivariant twin: random directions, everything else the same */
  SH_NKINDS = 5
} sh_kind;
const char *sh_kind_name(sh_kind k);

#define SH_MAX_CKPT 4
#define SH_MAX_GAMMA 24

typedef struct {
  sh_kind kind;            /* provenance only: the fields below define the run */
  sh_net_law law;
  sh_fit fit;
  size_t d, N;
  double gamma;            /* target frequency */
  double e1_scale;         /* SH_NET_E1 / RAND: s_j ~ N(0, e1_scale^2) */
  double kink_range;       /* SH_NET_E1 / RAND: k_j ~ U[-kink_range, kink_range] */
  gdl_optimizer opt;       /* SH_FIT_ONLINE */
  double lr;
  int linear_decay;
  size_t batch, samples;   /* online: steps = samples / batch; ridge: samples fresh draws */
  double ridge;            /* ridge lambda relative to the mean Gram diagonal */
  size_t ntest;            /* FVU on ntest fresh points */
  /* orbit variance along training (SH1): at ckpt checkpoints, steps k * (steps / ckpt),
   * k = 1..ckpt, for every gamma of orbit_gamma (0 checkpoints: none) */
  size_t ckpt, norbit;
  double orbit_gamma[SH_MAX_GAMMA];
  const char *purpose_init, *purpose_dirs, *purpose_train, *purpose_test;
  uint64_t index;
} sh_config;

/* Defaults of a learner kind at frequency gamma (d = 16, batch 32, 2e5 fresh samples,
 * 20000 test points, streams "sh.init", "sh.dirs", "sh.train", "sh.test", index 0). */
void sh_config_default(sh_config *c, sh_kind k, double gamma);
int sh_config_json(const void *cfg, gdl_json *j);

typedef struct {
  double fvu;
  double ckpt_var[SH_MAX_CKPT][SH_MAX_GAMMA]; /* Var/E||g||^2 at the checkpoints */
} sh_result;

/* The net of a configuration at initialisation: r_init draws the layers, r_dirs the twin's
 * directions (used only by SH_NET_RAND; may be NULL otherwise). */
int sh_net_create(const sh_config *c, gsl_rng *r_init, gsl_rng *r_dirs, gdl_net **out);
/* The same from the configuration's own streams (purpose_init / purpose_dirs, index). */
int sh_net_new(const sh_config *c, uint64_t seed, gdl_net **out);
/* One run: train (online) or fit (ridge), then the FVU on fresh test points. A diverged
 * online run returns GDL_EDIVERGED. */
int sh_run(const sh_config *c, uint64_t seed, sh_result *out);

/* ---- SH2: the test's cases (kind, gamma) and their stream indices ----
 * case i, repetition s: index 100 i + s, except the equivariant twins, which take the index
 * of their e_1 twin at the same gamma (same s_j, kinks, batches and test set). */
size_t sh2_ncases(void);
int sh2_case_config(size_t i, size_t rep, sh_config *c);

/* ---- the figure's FVU grid: kind, d, gamma index gi, repetition s ----
 * index 100000 l + 1000 d + 10 gi + s with l = kind (the twin uses l = SH_E1_RIDGE). */
int sh_grid_config(sh_kind k, size_t d, double gamma, size_t gi, size_t rep, sh_config *c);

/* One FVU point through the sweep's path: sh_run, then a one-row CSV at path
 * (learner,d,gamma,seed,fvu; a diverged run is written as fvu = nan). */
int sh_fvu_point_write(const sh_config *c, uint64_t seed, size_t rep, const char *path);
/* Reads such a file back (gdl_csv_read). */
int sh_fvu_point_read(const char *path, double *fvu);

/* ---- SH1: the orbit gradient variance of one FCN at initialisation ---- */
typedef struct {
  sh_config net;           /* the net's law and init stream (purpose_init, index) */
  double gamma;
  size_t nsampled;         /* > 0: also importance-sampled and uniform direction estimates */
  const char *purpose_sampling;
  uint64_t sampling_index;
} sh_orbit_config;
void sh_orbit_config_default(sh_orbit_config *c, double gamma, uint64_t net_index);
int sh_orbit_config_json(const void *cfg, gdl_json *j);

typedef struct {
  double gamma, B;         /* Schur bound B(gamma, d) */
  double lambda2;          /* lambda_2(gamma, d) = E_t[K(t) P_2(t)]: lambda_2 <= ||K~|| <= B */
  double var_norm, egrad2; /* exact Var/E||g||^2 and E||g||^2 */
  double is, is_se, unif, unif_se; /* sampled estimates (NaN unless nsampled > 0) */
} sh_orbit_result;
int sh_orbit_run(const sh_orbit_config *c, uint64_t seed, sh_orbit_result *out);

/* lambda_l(gamma, d) = E_t[K(t) P_l(t)], t of density ~ (1 - t^2)^{(d-3)/2}, P_l the
 * Gegenbauer polynomial C_l^{(d-2)/2} normalised to P_l(1) = 1 (Funk-Hecke: the eigenvalue of
 * the kernel K on degree-l spherical harmonics), by GSL adaptive quadrature. */
int sh_kernel_eigenvalue(double gamma, size_t d, unsigned l, double *lambda);

#ifdef __cplusplus
}
#endif
#endif
