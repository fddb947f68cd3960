/* experiments/sphere.h: the experiments of claims AL2 and NG3 (theorems/sphere.md), shared by
 * theorems/sphere.c (assertions) and benchmarks/sphere.c (grid).
 *
 * AL2 (sphere_al2_*): for polynomial targets f, h on the sphere of radius sqrt(d) in R^d,
 * the exact level formula E_g <h, f o g - fbar>^2 = sum_{l>=1} W_l(f) W_l(h)/N(d, l)
 * (gdl_sphere_level_weights) against Monte Carlo over Haar rotations g (QR of a Gaussian
 * matrix with the sign fix, gdl_group_random), where each <h, f o g> is exact (Wick; no
 * sampling of x): only g is sampled. The cube's count C(d, l) in place of N(d, l) is the
 * "wrong formula" the Monte Carlo must reject.
 *
 * NG3 (sphere_ng_*): noisy GD on the sphere. Each run draws its own training sample of m
 * points (uniform on the sphere of radius sqrt(d)), trains the bounded tanh FCN of
 * experiments/noisy_gd.h (Gaussian first layer: O(d)-invariant law) by full-batch noisy GD on
 * that sample, and measures <f_T, f> on a fresh test sample of mtest points. Junk runs train
 * on fbar = 0 and accumulate G_X(theta_t) exactly on their sample through the orbit kernel
 * (gdl_sphere_ng_G). The bound of theorems/sphere.md:
 *   E|<f_T, f - fbar>| <= sqrt(lambda) + 1/2 ||f - fbar|| (sum_t E G_X(theta^J_t) / tau^2)^(1/2).
 * Streams: run j of kind K draws from (seed, "<tag>/d<d>/k<k>/<K>", j) with K = "real",
 * "control" or "junk" (+ "/sample", "/test", "/init", "/noise", "/offset"). Nothing prints. */
#ifndef GDL_EXPERIMENTS_SPHERE_H
#define GDL_EXPERIMENTS_SPHERE_H

#include <stddef.h>
#include <stdint.h>
#include "gdl/gdl.h"
#include "experiments/experiment.h"
#include "experiments/noisy_gd.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SPHERE_NSTD 4.0
/* the tightness threshold of the NG3 tight regime (theorems/sphere.md section 3) */
#define SPHERE_TIGHT_RATIO 12.0

/* ---------------- AL2 ---------------- */
typedef struct {
  size_t d;          /* dimension; radius sqrt(d) */
  char f[160], h[160]; /* polynomials (gdl_sphere_poly_parse syntax) */
  size_t ng;         /* Haar rotations */
  uint64_t idx;      /* stream index (the sweep: k) */
  char tag[32];
} sphere_al2_config;

typedef struct {
  double mc, se;        /* Monte Carlo mean of <h, f o g - fbar>^2 over g, standard error */
  double formula;       /* sum_l W_l(f) W_l(h) / N(d, l) */
  double wrong;         /* the same with C(d, l): the cube's count */
  double lambda, cp, dist2, fbar, hnorm2; /* alignment of f; ||h||^2 */
  size_t level;         /* level attaining lambda */
  double Wf[GDL_SPHERE_MAX_DEG + 1];
} sphere_al2_result;

/* d, f, h, ng = 20000, idx 0, tag "AL2". */
void sphere_al2_config_default(sphere_al2_config *c, size_t d, const char *f, const char *h);
int sphere_al2_config_json(const void *c, gdl_json *j);
/* Stream (seed, "<tag>/d<d>", c->idx). */
int sphere_al2_run(const sphere_al2_config *c, uint64_t seed, sphere_al2_result *r);

/* ---------------- NG3 ---------------- */
typedef struct {
  ng_cfg net;      /* net.n = d */
  unsigned k;      /* hard target: x1 ... xk / ||.|| */
  size_t m;        /* training sample per run */
  size_t mtest;    /* test sample per run */
  int nreal, nctl, njunk; /* control target x1 (nctl = 0: none) */
  size_t stride;   /* G every stride steps (unbiased, x stride) */
  char tag[32];
} sphere_ng_config;

/* NG3 main point: d = 8, k = 4, depth 2 with one tanh unit (box 1: |f| <= 1), lr 0.25,
 * tau 0.4, l2 clip 1, T = 100, m = 4096, mtest = 4096, 10 real, 96 control (x1), 6 junk
 * runs, G every 5th step, tag "NG3". */
void sphere_ng_config_default(sphere_ng_config *c);
/* NG3 tight regime: the main point with k = 1 (target x1), tau 0.3, m = 256, 128 real and
 * 128 junk runs, G at every step, no control, tag "NG3tight". */
void sphere_ng_config_tight(sphere_ng_config *c);
int sphere_ng_config_json(const void *c, gdl_json *j);

typedef struct {
  double mean_abs, se_abs, max_abs;  /* real runs: |<f_T, f>| on the test sample */
  double mean_ctl, se_ctl, min_ctl;  /* control runs (x1) */
  double sumG_mean, sumG_se;         /* junk runs: sum_t G_X(theta_t) */
  double gradsq_mean;                /* junk runs: mean over evaluations of (1/m) sum_a ||grad f||^2 */
  double bound, bound_lo, bound_hi;  /* junk sum at mean, -4 SE, +4 SE */
  double lambda;                     /* 1/N(d, k) */
  double seconds;
} sphere_ng_result;

int sphere_ng_run(const sphere_ng_config *c, uint64_t seed, sphere_ng_result *r);
/* Junk run idx of c (the same streams as in sphere_ng_run) with G_X evaluated every `stride`
 * steps at a random offset and multiplied by stride (stride 1: the exact sum); the trajectory
 * does not depend on stride. */
int sphere_ng_junk_sum(const sphere_ng_config *c, uint64_t seed, uint64_t idx, size_t stride, double *sumG);

/* ---------------- the sweep ----------------
 * Panel 1 (AL2): lambda of x1...xk at d = 10 for k = 1..5, exact and by Monte Carlo over
 * 4000 rotations (h = f), with the cube's 1/C(d, k). Panel 2: the NG3 main point; panel 3:
 * the NG3 tight point (both exactly the test's configurations). Full: AL2 at 20000
 * rotations and k up to 6, NG3 with 20 real runs. */
#define SPHERE_NCOLS 16
extern const char *const sphere_columns[SPHERE_NCOLS];
#define SPHERE_MAXP 12
typedef struct {
  size_t np;
  int panel[SPHERE_MAXP];
  sphere_al2_config al[SPHERE_MAXP];
  sphere_ng_config ng[SPHERE_MAXP];
  uint64_t seed;
} sphere_grid;
/* Fills the grid; returns its number of points. */
size_t sphere_grid_make(sphere_grid *g, int full, uint64_t seed);
int sphere_grid_json(const void *g, gdl_json *j);
/* Runs point i and writes its one-row CSV (gdl_sweep_point_fn, ctx = sphere_grid). */
int sphere_sweep_point(void *ctx, gdl_sweep *s, size_t i);
/* The row of point i (for the same-as-test check). */
int sphere_point_row(const sphere_grid *g, size_t i, double *row);

#ifdef __cplusplus
}
#endif
#endif
