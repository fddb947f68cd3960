/* experiments/weak_learning.h: the experiment of claim WL (theorems/weak_learning.md), shared by
 * theorems/weak_learning.c (assertions) and benchmarks/weak_learning.c (grids).
 *
 * WL1/WL2, one point = one random-feature learner on one monomial target:
 *   a depth-2 ReLU net whose first layer is drawn once and frozen,
 *   phi_j(x) = relu(w_j . x + b_j) / sqrt(n) (the 1/sqrt(n) folded into W0 and b0), and whose
 *   last layer (weights and intercept) is fitted by ridge least squares on the training sample:
 *     min_a,c (1/m) sum_i (c + a . phi(x_i) - y_i)^2 + rho ||a||^2,
 *     rho = rho_rel * trace(Cov(phi)) / p   (scale-free regularisation).
 *   First layers: Gaussian w ~ N(0, I_n), b ~ N(0, n); Rademacher w ~ {-1, +1}^n, b ~ U[-n, n].
 *   Both laws are sign-symmetric and i.i.d. over coordinates (B_n-equivariant learner; O(d)-
 *   equivariant for Gaussian w). Target prod_{i in S} x_i, S a uniformly random k-subset; x
 *   uniform on {-1,1}^n (cube) or on the sphere of radius sqrt(n).
 *   The non-equivariant twin (twin = 1) is the same learner with the same draws (same S, same
 *   samples, same w and b) whose first-layer weights outside S are set to 0 and whose weights
 *   on S are multiplied by sqrt(n / k), so that every unit's pre-activation keeps its law
 *   (same width, same kink placement relative to the data, same bias law, same ridge): it
 *   differs only in the symmetry-breaking element (the features know S).
 *   Streams: everything from gdl_rng_alloc(seed, "WL/<tag>/<init>/k<k>", rep).
 *
 * WL3, one point = the depth x target panel under noisy GD (the NG learner and bound of
 *   noisy_gd.md at n = 12): depths 2, 3, 4, nseeds real runs per (depth, target), njunk junk
 *   runs per depth (on fbar = 0) for the NG bound. Streams: "<tag>/d<depth>/<target>" and
 *   "<tag>/d<depth>/junk" (+ "/init", "/noise", "/offset"), index = run.
 *
 * Nothing here prints. */
#ifndef GDL_EXPERIMENTS_WEAK_LEARNING_H
#define GDL_EXPERIMENTS_WEAK_LEARNING_H

#include <stddef.h>
#include <stdint.h>
#include "experiments/experiment.h"
#include "gdl/gdl.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WL_NSTD 4.0 /* margins in standard errors (>= 4 SE) */

typedef enum { WL_INIT_GAUSSIAN = 0, WL_INIT_RADEMACHER = 1 } wl_init;
const char *wl_init_name(wl_init k);

/* ---------------- WL1 / WL2: random features + ridge ---------------- */
typedef struct {
  size_t n;          /* input dimension (20) */
  size_t units;      /* first-layer width: 512 on the cube, 256 on the sphere */
  size_t mtrain, mtest;
  double rho_rel;    /* ridge: rho = rho_rel * trace(Cov phi) / p */
  int sphere;        /* 0: cube {-1,1}^n, 1: sphere of radius sqrt(n) */
  wl_init init;      /* first-layer law */
  size_t k;          /* |S| */
  int twin;          /* 1: first layer restricted to S, rescaled by sqrt(n/k) (non-equivariant twin) */
  char tag[16];      /* stream purpose "WL/<tag>/<init>/k<k>": "WL1" (cube), "WL2" (sphere) */
  uint64_t rep;      /* stream index (replicate) */
} wl_rf_config;

/* Defaults of WL1 (sphere = 0: n = 20, 512 units, tag WL1) and WL2 (sphere = 1: d = 20, 256
 * units, tag WL2); both 20 000 / 20 000, rho_rel 1e-4, Gaussian, k = 1, twin 0, rep 0. */
void wl_rf_config_default(wl_rf_config *c, int sphere);
int wl_rf_config_json(const void *c, gdl_json *j);
typedef struct {
  double corr;  /* Pearson correlation of prediction and target on the mtest fresh points */
  double se0;   /* its standard error under "no signal" (the self-normalised sandwich form):
                 * sqrt(sum_i (f_i - fbar)^2 (y_i - ybar)^2) / sqrt(sum_i (f_i - fbar)^2 sum_i (y_i - ybar)^2);
                 * 1/sqrt(m) on the cube (y^2 = 1), larger on the sphere (heavy-tailed y^2) */
} wl_rf_result;
int wl_rf_run(const wl_rf_config *c, uint64_t seed, wl_rf_result *out);

/* Null threshold: under "no signal" z_s = corr_s / se0_s is asymptotically N(0, 1) on fresh
 * test points, so sum_s z_s^2 ~ chi^2_s over s independent replicates; the threshold on the
 * root mean square of z with failure probability delta is sqrt(chi2_{1-delta}(s) / s). */
double wl_null_rms_threshold(size_t s, double delta);

/* ---------------- WL3: depth x target panel under noisy GD ---------------- */
#define WL3_NT_MAX 12
#define WL3_NDEPTH 3
typedef struct {
  const char *name;   /* used in check and file names: no '/' or spaces */
  int nterms;
  uint64_t mask[3];   /* monomials chi_S, S as bit masks (bit j = x_{j+1}) */
  double coef[3];
  int middle;         /* 1: middle degree (NG bound asserted, not learned) */
} wl3_target;

typedef struct {
  unsigned n;         /* 12 */
  size_t width;       /* hidden width (8) */
  double lr, tau, clip, box, b0_scale;
  size_t steps;       /* T, equal at every depth */
  size_t depths[WL3_NDEPTH];
  int nseeds, njunk;  /* real runs per (depth, target), junk runs per depth */
  size_t stride;      /* junk runs: gradient profile every stride steps (random offset) */
  double learn_thr, null_thr; /* learned iff mean - 4 SE >= learn_thr; not iff mean|c| + 4 SE <= null_thr */
  char tag[32];       /* stream purpose prefix */
} wl3_config;

typedef struct {
  int nt;                                          /* panel size */
  double mean[WL3_NDEPTH][WL3_NT_MAX], se[WL3_NDEPTH][WL3_NT_MAX];   /* corr = <f_T, f> over seeds */
  double amean[WL3_NDEPTH][WL3_NT_MAX], ase[WL3_NDEPTH][WL3_NT_MAX]; /* |corr| */
  double bound[WL3_NDEPTH][WL3_NT_MAX];            /* NG bound, junk sum at its mean */
  double bound_lo[WL3_NDEPTH][WL3_NT_MAX];         /* junk sum at mean - 4 SE */
  double bound_hi[WL3_NDEPTH][WL3_NT_MAX];         /* junk sum at mean + 4 SE */
  double sqrt_lambda[WL3_NT_MAX];
  int cls[WL3_NDEPTH][WL3_NT_MAX];                 /* 1 learned, 0 not, -1 undecided */
} wl3_result;

void wl3_config_default(wl3_config *c);
int wl3_config_json(const void *c, gdl_json *j);
/* The panel (static storage) and its size. */
const wl3_target *wl3_panel(int *nt);
int wl3_run(const wl3_config *c, uint64_t seed, wl3_result *out);

/* ---------------- sweep points (the code path of benchmarks/weak_learning.c) ----------------
 * Degree grid: point i runs pts[i] (a full config) and writes its "csv" point file with the
 * columns of weak_learning_degree.csv: domain (0 cube, 1 sphere), init (0 Gaussian, 1
 * Rademacher), k, seed (= rep), corr, se0; twin points are written likewise. Depth table: point 0
 * runs wl3_run(cfg) and writes one numeric row per (depth, target) (wl3_depth_cols; the
 * sweep adds the target names when it writes weak_learning_depth.csv). */
typedef struct { const wl_rf_config *pts; uint64_t seed; } wl_degree_ctx;
int wl_degree_point(void *ctx, gdl_sweep *s, size_t i);
typedef struct { const wl3_config *cfg; uint64_t seed; } wl_depth_ctx;
int wl_depth_point(void *ctx, gdl_sweep *s, size_t i);
#define WL3_DEPTH_NCOLS 11
extern const char *const wl3_depth_cols[WL3_DEPTH_NCOLS];
/* Rebuilds the result from a depth table read back with gdl_csv_read. */
int wl3_result_from_table(const gdl_table *t, wl3_result *out);

#ifdef __cplusplus
}
#endif
#endif
