/* experiments/gradient_variance.h: the experiments of claim GV (theorems/gradient_variance.md),
 * shared by theorems/gradient_variance.c (assertions) and benchmarks/gradient_variance.c (grids).
 *
 * Sub-experiments, each a config struct with defaults, its JSON, and a run of one point:
 *   GV1 gv_parity   all parity levels k = 0..n of an n -> hidden -> 1 net (FWHT engine);
 *   GV2 gv_modmul   the class {phi(a x mod p) : a in Z_p^*} (FFT engine), bits or scalar input;
 *   GV3 gv_wave     the class {psi(a x) : a ~ U[A, 2A]} on the N(0,1) quadrature (exact engine);
 *   GV5 gv_fvu_wave training on cos(pi a (u + 1)), u ~ U[-1, 1]; test FVU;
 *       gv_fvu_mod  training on x -> cos(2 pi (a x mod p)/p), scalar input 2x/p - 1, a drawn from
 *                   the hard part of Z_p^* (gv_hard_multiplier); test FVU, class Var at checkpoints.
 * Every random stream is gdl_rng_alloc(seed, purpose, index) with the purpose a constant of this
 * module and the index a function of the point's configuration and replicate `rep` only (never
 * of its place in a grid), so the test and a sweep point with the same configuration, seed and
 * rep give bit-identical values (ctest experiments.gradient_variance.same_as_test). */
#ifndef GDL_EXPERIMENTS_GRADIENT_VARIANCE_H
#define GDL_EXPERIMENTS_GRADIENT_VARIANCE_H

#include <stddef.h>
#include <stdint.h>
#include "gdl/gdl.h"
#include "experiments/experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the nets: MLP in -> hidden... -> 1, W_0 ~ N(0, w0^2/fan_in), W_l ~ N(0, 1/fan_in) for
 * l >= 1, biases N(0, bscale^2), drawn from gdl_rng_alloc(seed, purpose, idx). */
#define GV_MAX_HIDDEN 4
typedef struct {
  size_t nhidden;
  size_t hidden[GV_MAX_HIDDEN];
  gdl_act act;
  double w0, bscale;
} gv_net_config;
int gv_net_config_json(const gv_net_config *c, gdl_json *j);
int gv_make_net(const gv_net_config *c, size_t in, uint64_t seed, const char *purpose, uint64_t idx,
                gdl_net **out);

/* ---- GV1: parities ---- */
#define GV_PARITY_MAXN 24
#define GV_PURPOSE_PARITY "GV1.net"
typedef struct {
  unsigned n;       /* input dimension, all 2^n points */
  gv_net_config net; /* default: 32 tanh units (depth 2), bias N(0, 1/4) */
} gv_parity_config;
void gv_parity_config_default(gv_parity_config *c);
/* depth 2: n -> 32 -> 1; depth 3: n -> 32 -> 16 -> 1 (the test's two shapes). */
void gv_parity_config_depth(gv_parity_config *c, unsigned n, int depth);
int gv_parity_config_json(const void *cfg, gdl_json *j);
/* Net index: (n * 8 + depth) * 64 + rep. out[k], k = 0..n: level k (gdl_variance_parity). */
int gv_parity_run(const gv_parity_config *c, uint64_t seed, size_t rep, gdl_var_result *out);

/* ---- GV2: modular multiplication ---- */
#define GV_PURPOSE_MODMUL_BITS "GV2.bits"
#define GV_PURPOSE_MODMUL_SCALAR "GV2.scalar"
typedef struct {
  uint64_t p;        /* prime */
  int bits;          /* 1: +-1 bits of x (ceil(log2 p) inputs), 0: scalar 2x/p - 1 */
  gdl_phi phi;
  gv_net_config net; /* default: 64 tanh units, bias N(0, 1/4) */
} gv_modmul_config;
typedef struct {
  double var, eg2, egc2, bound; /* gdl_variance_zp */
  double lmax, fsum;            /* centred Gram's lambda_max, sum_{k!=0} |phihat(k)| */
} gv_modmul_result;
void gv_modmul_config_default(gv_modmul_config *c);
int gv_modmul_config_json(const void *cfg, gdl_json *j);
/* The net depends on (p, bits, seed, rep) only, not on phi: idx = p * 256 + rep. */
int gv_modmul_net(const gv_modmul_config *c, uint64_t seed, size_t rep, gdl_net **out);
int gv_modmul_run(const gv_modmul_config *c, uint64_t seed, size_t rep, gv_modmul_result *out);
/* Independent of the FFT engine (a plain loop over the per-example gradients of all x): with
 * g' = g - E g and g_e(x) = (g'(x) + g'(-x))/2, for phi = cos(2 pi y/p) the class variance is
 * exactly  Var = (E_x||g_e||^2 - ||g'(0)||^2/(p - 1))/(p - 1)   (theorems/gradient_variance.md).
 * Returns that value (and E||g_e||^2, E||g'||^2). */
int gv_modmul_cos_identity(const gv_modmul_config *c, uint64_t seed, size_t rep, double *var, double *ege2,
                           double *egc2);

/* ---- GV3: waves ---- */
#define GV_PURPOSE_WAVE "GV3.net"
typedef struct {
  double A;          /* a ~ U[A, 2A] */
  gdl_psi psi;       /* sin, cos (exact engine), triangle or sawtooth (harmonic series) */
  double step;       /* quadrature step; 0: 1/(64 A) */
  size_t harmonics;  /* triangle/sawtooth: K, the harmonics computed exactly (0: GV_WAVE_HARMONICS) */
  gv_net_config net; /* default: 1 -> 32 -> 1 ReLU, bias N(0, 1) */
} gv_wave_config;
#define GV_WAVE_HARMONICS 16
typedef struct {
  double var, eg2, gmu2, bound;
  double jump_pred; /* the leading-order ReLU prediction of Var (see gv_wave_jump_prediction) */
  double jump_c;    /* its A -> infinity constant: jump_pred ~ jump_c / A^2 */
  /* Every wave (theorems/gradient_variance.md): for triangle/sawtooth, var and bound are those of
   * the truncation psi_K (exact; bound exact on the quadrature law); tail = TV_2(g mu) S_K/(2 pi
   * sqrt2 A) bounds the L2(a) norm of the dropped harmonics on the continuous law N(0,1), so
   * the full wave's Var lies in [var_lo, var_hi] = [(sqrt var - tail)_+^2, (sqrt var + tail)^2];
   * bound_full = (sum_{k!=0} |psihat_k||k|^{-1/2})^2 gmu2/(2A) of the full wave. For sin/cos:
   * tail = 0, var_lo = var_hi = var, bound_full = bound. tv2 = sqrt(sum_p TV(g_p mu)^2).
   * tail = tail_jump + tail_smooth (gv_wave_series_tail); tail_tv = tv2 S_K/(2 pi sqrt2 A), the
   * cruder one-step bound (reported for comparison). */
  double tv2, tail, var_lo, var_hi, bound_full, tail_tv, tail_jump, tail_smooth;
  size_t K;
} gv_wave_result;
void gv_wave_config_default(gv_wave_config *c);
int gv_wave_config_json(const void *cfg, gdl_json *j);
/* The net depends on (seed, rep) only (idx = rep): the same nets at every A. */
int gv_wave_run(const gv_wave_config *c, uint64_t seed, size_t rep, gv_wave_result *out);
/* For a 1 -> N -> 1 ReLU net and psi = sin: the per-example gradient g has jumps J_j at the
 * kinks x_j = -b_j/w_j, so F(xi) = int g mu e^{2 pi i xi x} dx = -sum_j mu(x_j) J_j
 * e^{2 pi i xi x_j}/(2 pi i xi) + O(xi^-2) and
 *   Var ~ (1/4 pi^2) sum_{j,l} mu(x_j) mu(x_l) <J_j, J_l> E_a[cos(2 pi a x_j) cos(2 pi a x_l)/a^2]
 * (the a-averages in closed form through Si and Ci; the jumps J_j sit on distinct parameters, so
 * only j = l remains), times the grid factor 1 + 2 (pi h A)^2/3 of the quadrature step h (0:
 * 1/(64A)). cinf (may be NULL) = sum_j mu(x_j)^2 ||J_j||^2/(16 pi^2), the limit of A^2 pred. */
int gv_wave_jump_prediction(const gdl_net *net, double A, double step, double *pred, double *cinf);

/* The same leading-order ReLU prediction for the harmonic series psi_K of a profile (K
 * harmonics, gdl_psi_series): every kink j contributes mu(x_j)^2 ||J_j||^2 Var_a(f_j) with
 * f_j(a) = sum_k coef_k trig'(2 pi k a x_j) gamma_k(a)/(2 pi k a) (trig' = -sin for a cos series,
 * cos for a sin series; gamma_k = pi k a h/sin(pi k a h), the grid factor of harmonic k); the
 * a-averages by composite Gauss-Legendre quadrature (converged, not closed form). cinf =
 * sum_j mu_j^2 ||J_j||^2 sum_k coef_k^2/k^2 /(16 pi^2). */
int gv_wave_series_jump_prediction(const gdl_net *net, double A, double step, gdl_psi psi, size_t K, double *pred,
                                   double *cinf);
/* TV_2(g mu) = sqrt(sum_p TV(g_p mu)^2) on the continuous law mu = N(0,1) for a 1 -> N -> 1 ReLU
 * net (each coordinate of g is (alpha x + beta) on a half-line: exact, through the critical
 * points of (alpha x + beta) mu(x)). ||int g mu e^{2 pi i xi x} dx|| <= TV_2/(2 pi |xi|). */
int gv_wave_tv2(const gdl_net *net, double *tv2);
/* The truncation tail on the continuous law: sqrt(E_a ||v_a(psi) - v_a(psi_K)||^2) <= tail =
 * tail_jump + tail_smooth, with tail_jump the exact L2(a) norm of the dropped harmonics of the
 * kinks' jump terms (closed-form series tails, a-average by Gauss-Legendre on panels cut at the
 * series' wrap points) and tail_smooth = TV_2((g mu)') sum_{k>K}|coef_k|/k^2 sqrt(7/24)/(4 pi^2 A^2)
 * the bound on the rest (theorems/gradient_variance.md). Triangle or sawtooth, 1 -> N -> 1 ReLU. */
int gv_wave_series_tail(const gdl_net *net, double A, gdl_psi psi, size_t K, double *tail, double *tail_jump,
                        double *tail_smooth);

/* ---- GV5: training ---- */
#define GV_PURPOSE_FVU_WAVE_DATA "GV5.wave.data"
#define GV_PURPOSE_FVU_WAVE_NET "GV5.wave.net"
#define GV_PURPOSE_FVU_WAVE_TRAIN "GV5.wave.train"
#define GV_PURPOSE_FVU_MOD_DATA "GV5.mod.data"
#define GV_PURPOSE_FVU_MOD_NET "GV5.mod.net"
#define GV_PURPOSE_FVU_MOD_TRAIN "GV5.mod.train"
typedef struct {
  double lr;         /* Adam 1e-3 */
  size_t batch;      /* 32 */
  gv_net_config net; /* 1 -> 64 -> 64 -> 1 ReLU, bias N(0, 1/4) */
} gv_train_config;
typedef struct {
  double a;          /* target cos(pi a (u + 1)) */
  size_t mtr, mte;   /* 8000 / 2000 */
  size_t steps;      /* 12500 (50 epochs) */
  gv_train_config train;
} gv_fvu_wave_config;
void gv_fvu_wave_config_default(gv_fvu_wave_config *c);
int gv_fvu_wave_config_json(const void *cfg, gdl_json *j);
/* Streams indexed by round(16 a) * 64 + rep. */
int gv_fvu_wave_run(const gv_fvu_wave_config *c, uint64_t seed, size_t rep, double *fvu);

#define GV_CKPT_MAX 8
typedef struct {
  uint64_t p;
  int control;        /* 1: a = 1 (learnable control); 0: a = gv_hard_multiplier */
  size_t steps;       /* 12000 */
  size_t track_every; /* exact class Var every this many steps (0: none) */
  gv_train_config train;
} gv_fvu_mod_config;
typedef struct {
  uint64_t a;
  double fvu;
  size_t nckpt;
  size_t step[GV_CKPT_MAX];
  double var[GV_CKPT_MAX], bound[GV_CKPT_MAX], ratio[GV_CKPT_MAX];
} gv_fvu_mod_result;
void gv_fvu_mod_config_default(gv_fvu_mod_config *c);
int gv_fvu_mod_config_json(const void *cfg, gdl_json *j);
/* The hard part of Z_p^*: a uniform on {a : min(a, p - a) >= ceil(p/8)} (the rule and its
 * reason in theorems/gradient_variance.md, "GV5"). */
uint64_t gv_hard_multiplier_min(uint64_t p);
uint64_t gv_hard_multiplier(uint64_t p, gsl_rng *r);
/* Streams indexed by (p * 2 + control) * 64 + rep. */
int gv_fvu_mod_run(const gv_fvu_mod_config *c, uint64_t seed, size_t rep, gv_fvu_mod_result *out);

/* ---- GV6: modular contrasts (issue 15 item 6) ----
 * (a) the additive class {x -> phi(x + a mod p) : a in Z_p} (shifts), x uniform on Z_p, on the
 * same nets as GV2 (gv_modmul_net: same p, encoding, seed, rep): for phi = cos,
 *   Var_add = E_a ||E_x[htilde_a g]||^2 = |G(1)|^2/2,  G(1) = E_x[e^{2 pi i x/p} g(x)]   exactly,
 * and in general Var_add = sum_{k!=0} |phihat(k)|^2 ||G(k)||^2 <= max_{k!=0}|phihat(k)|^2 E||g - Eg||^2
 * (no 1/p: theorems/gradient_variance.md, "GV6"). Fills var, eg2, egc2, bound (= that maximum
 * times egc2; 1/4 egc2 for cos); lmax, fsum NaN. phi = cos only. */
int gv_modadd_run(const gv_modmul_config *c, uint64_t seed, size_t rep, gv_modmul_result *out);
/* (b) training on bit-encoded Z_p (p near 2^16, +-1 bits of x as inputs, LSB first): target
 * cos(2 pi ((a x) mod p)/p) with a from the hard part of Z_p^* (multiplication) or
 * cos(2 pi ((x + a) mod p)/p) with a uniform on Z_p (addition, the learnable contrast), an 80/20
 * split of all of Z_p, the GV5 trainer (Adam 1e-3, batch 32, 16 -> 64 -> 64 -> 1 ReLU). */
#define GV_PURPOSE_BITMOD_DATA "GV6.bits.data"
#define GV_PURPOSE_BITMOD_NET "GV6.bits.net"
#define GV_PURPOSE_BITMOD_TRAIN "GV6.bits.train"
typedef struct {
  uint64_t p;    /* 65521 (the largest prime below 2^16) */
  int add;       /* 1: x + a (learnable contrast); 0: a x (hard multiplier) */
  size_t steps;  /* 4000 */
  size_t mtr, mte; /* 0, 0: all of Z_p, 80/20; else distinct uniform x (train, test disjoint) */
  gv_train_config train;
} gv_bitmod_config;
typedef struct {
  uint64_t a;
  size_t mte;
  double fvu, pearson; /* test FVU and Pearson correlation on the held-out 20 % */
} gv_bitmod_result;
void gv_bitmod_config_default(gv_bitmod_config *c);
int gv_bitmod_config_json(const void *cfg, gdl_json *j);
/* Streams indexed by (p * 2 + add) * 64 + rep. */
int gv_bitmod_run(const gv_bitmod_config *c, uint64_t seed, size_t rep, gv_bitmod_result *out);

#ifdef __cplusplus
}
#endif
#endif
