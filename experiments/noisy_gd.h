/* experiments/noisy_gd.h: the experiment of claim NG (theorems/noisy_gd.md), shared by
 * theorems/noisy_gd.c (assertions), benchmarks/noisy_gd.c (grid) and the WL3 panel of the
 * weak-learning family (which trains the same net with the same trainer).
 *
 * One training run (ng_cfg + ng_run): the bounded-output FCN (tanh hidden layers with
 * biases, last layer without bias projected onto [-box, box]; box = 1/width gives |f| <= 1)
 * trained by exact population noisy GD on all 2^n cube points (cube index convention of
 * gdl/boolean.h: row i has x_j = -1 iff bit j of i is set).
 *
 * One experiment point (noisy_gd_config + noisy_gd_run): nreal runs on the parity
 * chi_{1..k}, nctl control runs on x1, njunk junk runs on fbar = 0 (the B_n-average of any
 * parity of degree >= 1) with the gradient level profile (ng_profile_bias) along the run, and the explicit bound of the library (gdl_ng_bound_*):
 *   E|<f_T, f - fbar>| <= sqrt(lambda) + 1/2 ||f - fbar|| (sum_t E G(theta^J_t) / tau^2)^(1/2).
 * Streams: run j of kind K draws from (seed, "<tag>/n<n>/d<depth>/<K>", j) with K =
 * "real-k<k>", "control-k1" or "junk" (+ "/init", "/noise", "/offset"); results do not
 * depend on the thread count. Nothing here prints. */
#ifndef GDL_EXPERIMENTS_NOISY_GD_H
#define GDL_EXPERIMENTS_NOISY_GD_H

#include <stddef.h>
#include <stdint.h>
#include "gdl/gdl.h"
#include "experiments/experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NG_NSTD 4.0 /* margins in standard errors (>= 4 SE) */

/* ---------------- one training run ---------------- */
/* A level-profile engine for the junk runs of ng_run: prof[j] = sum_i W_j(d_i f_theta),
 * j = 0..n, of net on X (the 2^n x n cube points ng_run trains on). */
typedef int (*ng_profile_fn)(gdl_net *net, unsigned n, const double *X, double *prof);

typedef struct {
  unsigned n;        /* input dimension (hypercube) */
  size_t depth;      /* number of weight layers (2 = one hidden layer) */
  size_t width;      /* hidden width (all hidden layers) */
  double lr, tau, clip, box;
  size_t steps;      /* T */
  double b0_scale;   /* first-layer bias init N(0, b0_scale^2) */
  ng_profile_fn profile; /* NULL (default): ng_profile_bias. Another engine of the same quantity
                          * (e.g. the library's gdl_ng_profile) differs only in rounding; not
                          * part of the config document. */
} ng_cfg;

/* width 8, box 1/8, lr 0.5, tau 0.1, l2 clip 1, T 300, b0 0.5, profile NULL. */
void ng_cfg_default(ng_cfg *c, unsigned n, size_t depth);
/* The one-unit net of the tight regimes (NG1-tight, NG3): ng_cfg_default(c, n, 2) with one
 * hidden unit, box 1 (|f| <= 1), lr 0.25, tau 0.4, T = 100. */
void ng_cfg_one_unit(ng_cfg *c, unsigned n);
int ng_net_create(const ng_cfg *c, gdl_net **out);
/* The net and trainer members of c into the open object of j: the input dimension under the
 * name `dim` ("n", "d"), depth, width, the net and trainer descriptions, box, lr, tau, clip,
 * steps, b0_scale. */
int ng_cfg_json(const ng_cfg *c, const char *dim, const char *net, const char *trainer, gdl_json *j);
/* The run counts of a point into the open object of j: nreal, nctl, njunk, stride, tag. */
int ng_runs_json(int nreal, int nctl, int njunk, size_t stride, const char *tag, gdl_json *j);
/* Sign-symmetric i.i.d. init (B_n-invariant law): W0 ~ N(0, 1/n), b0 ~ N(0, b0^2), hidden
 * W ~ N(0, 1/width), hidden b = 0, last layer ~ U[-box, box]. */
int ng_net_init(const ng_cfg *c, gdl_net *net, gsl_rng *r);
void ng_train_config(const ng_cfg *c, gdl_train_config *tc);

/* The level profile prof[j] = sum_i W_j(d_i f_theta), j = 0..n, of a net with a first-layer
 * bias (stored right after the first-layer weights), on X = the 2^n cube points of
 * ng_cube_enumerate: per-example gradients of the columns from the first-layer bias on, one
 * FWHT per column, and the first-layer weight columns by the shift rule from the bias
 * columns (noisy_gd.md, section 3). The default engine of ng_run (an ng_profile_fn); equals
 * the library's gdl_ng_profile up to rounding (NG0 checks both against the full FWHT). */
int ng_profile_bias(gdl_net *net, unsigned n, const double *X, double *prof);

/* The cube (N x n, row-major) and chi_S on all points. */
void ng_cube_enumerate(unsigned n, double *X);
void ng_parity_values(unsigned n, uint64_t S, double *y);
uint64_t ng_first_k(unsigned k);

typedef struct {
  double corr;      /* <f_thetaT, fc> (exact, all points) */
  double fnorm;     /* ||f_thetaT|| */
  double prof[GDL_CUBE_MAX_ENUM + 1]; /* junk runs: estimate of sum_{t<T} prof_j(theta_t) */
  size_t nG;        /* number of steps at which the profile was evaluated */
} ng_result;

/* One noisy-GD run of c on labels y (length 2^n): init stream (seed, purpose "/init", idx),
 * noise stream (seed, purpose "/noise", idx). If stride > 0, the gradient level profile
 * is evaluated at the steps t = o, o + stride, ... < T with a uniformly
 * random offset o (stream (seed, purpose "/offset", idx)) and multiplied by stride (engine:
 * c->profile, NULL = ng_profile_bias): an
 * unbiased estimate of sum_{t<T} prof(theta_t) (the exact sum when stride == 1); steps must
 * be a multiple of stride. fc: f - fbar on all points for the final correlation (NULL:
 * corr = 0). */
int ng_run(const ng_cfg *c, const double *X, const double *y, const double *fc, uint64_t seed, const char *purpose,
           uint64_t idx, size_t stride, ng_result *res);

/* cj[j] = W_j(f)/C(n,j), j = 1..n, cj[0] = 0 (fbar = fhat(empty) for B_n): n+1 entries. */
void ng_level_coefs(unsigned n, const double *Wf, double *cj);
/* sum_{j>=1} cj[j] prof[j]: G (or its sum along a run) from a level profile. */
double ng_profile_dot(unsigned n, const double *cj, const double *prof);
/* The library bound (gdl_ng_bound_*) with the junk sum sumG (clamped at 0: a lower
 * confidence end may be negative); NaN on invalid arguments. */
double ng_bound(double lambda, double fnorm_c, double sumG, double tau);
/* ng_bound at the junk sum's mean sumG and at its ends sumG -/+ nstd * se: *b, *lo, *hi. */
void ng_bound_band(double lambda, double fnorm_c, double sumG, double se, double nstd, double tau, double *b,
                   double *lo, double *hi);
/* The final correlations of a point's runs, corr[0..nreal-1] (real runs, replaced by their
 * absolute values) then corr[nreal..nreal+nctl-1] (control runs): the real runs' |corr| mean,
 * SE and max, the control runs' corr mean, SE and min (NaN without control, nctl < 2). */
int ng_corr_summary(int nreal, int nctl, double *corr, double *mean_abs, double *se_abs, double *max_abs,
                    double *mean_ctl, double *se_ctl, double *min_ctl);

/* ---------------- one experiment point ---------------- */
typedef struct {
  ng_cfg net;        /* net and trainer */
  unsigned k;        /* hard target chi_{1..k} */
  int nreal;         /* runs on chi_{1..k} (>= 2) */
  int nctl;          /* control runs on x1 (0 or >= 2) */
  int njunk;         /* junk runs (>= 2) */
  size_t stride;     /* gradient profile every stride steps (1: every step) */
  char tag[32];      /* stream purpose prefix */
} noisy_gd_config;

/* The NG1 point at (n, depth): k = n/2, 10 real, 8 control (depth 2) / 6 (depth >= 3), 6
 * junk runs, profile every 5th step, T = 300 (depth 2) / 150 (depth >= 3), tag "NG". */
void noisy_gd_config_default(noisy_gd_config *c, unsigned n, size_t depth);
/* The NG2 point at n (depth 2, k = n/2, T = 150, 10 real, no control, 16 junk runs at
 * n <= 12 and 8 above, profile every 5th step). */
void noisy_gd_config_ng2(noisy_gd_config *c, unsigned n);
/* The tight regime (NG1-tight): n = 8, k = 1, depth 2, one hidden unit (box 1), lr 0.25,
 * tau 0.4, T = 100, 64 real and 64 junk runs, profile at every step. */
void noisy_gd_config_tight(noisy_gd_config *c);
/* Members of c into the open object of j (gdl_exp_config_fn). */
int noisy_gd_config_json(const void *c, gdl_json *j);

typedef struct {
  double mean_abs, se_abs, max_abs;        /* real runs at the hard target chi_[k] */
  double mean_ctl, se_ctl, min_ctl;        /* control runs (x1); NaN without control */
  double sumG_mean, sumG_se;               /* junk runs, hard target */
  double sumG1_mean, sumG1_se;             /* junk runs, x1 */
  double bound, bound_lo, bound_hi;        /* hard target; lo/hi: junk sum at -/+ 4 SE */
  double bound1, bound1_lo;                /* x1 */
  double lambda;                           /* 1/C(n, k) */
  double seconds;                          /* wall time of the point (not compared) */
} noisy_gd_result;

/* Runs one point (parallel over runs with OpenMP; streams from (seed, purpose, index)). */
int noisy_gd_run(const noisy_gd_config *c, uint64_t seed, noisy_gd_result *r);

/* The CSV row of a point (the columns the plots read, then the panel/config columns). */
#define NOISY_GD_NCOLS 22
extern const char *const noisy_gd_columns[NOISY_GD_NCOLS];
/* panel: 1 NG1 (depth panel), 2 NG2 (vs n), 3 tight regime, 4 full-mode grid. */
void noisy_gd_row(const noisy_gd_config *c, int panel, const noisy_gd_result *r, double *row);
/* Runs the point and writes its one-row CSV at path atomically (the sweep's point). */
int noisy_gd_point_csv(const noisy_gd_config *c, int panel, uint64_t seed, const char *path);

/* ---------------- the sweep's grid ----------------
 * Quick: the test's configurations exactly (panel 1: NG1 at depth 2, n = 16 and depths 3, 4
 * at n = 14; panel 2: NG2 at n = 10, 12, 14; panel 3: the tight regime). Full: panel 1 at
 * n = 16 for every depth, panel 2 at n = 10, 12, 14, 18, 20 (n = 16 is the panel-1 point;
 * from n = 18 the profile every 5th step and 6 junk runs), panel 3. The heaviest point comes first (points are handed out in
 * index order). */
#define NOISY_GD_MAXP 16
typedef struct {
  size_t np;
  noisy_gd_config cfg[NOISY_GD_MAXP];
  int panel[NOISY_GD_MAXP];
  uint64_t seed;
} noisy_gd_grid;
/* Fills the grid; returns its number of points. */
size_t noisy_gd_grid_make(noisy_gd_grid *g, int full, uint64_t seed);
/* {"points": [{"panel", config...}...]} (gdl_exp_config_fn on a noisy_gd_grid). */
int noisy_gd_grid_json(const void *g, gdl_json *j);
/* gdl_sweep_point_fn (ctx = noisy_gd_grid): runs point i, writes its "csv" file. */
int noisy_gd_sweep_point(void *ctx, gdl_sweep *s, size_t i);

#ifdef __cplusplus
}
#endif
#endif
