/* noisy_gd_lib.h: shared helpers of the NG and WL claim families (theorems/noisy_gd.c,
 * theorems/weak_learning.c, benchmarks/noisy_gd.c, benchmarks/weak_learning.c).
 * Header-only (static functions) so each program stays one translation unit.
 *
 * What is here:
 *  - the hypercube {-1,+1}^n enumerated with the library's index convention
 *    (row i has x_j = -1 iff bit j of i is set, so chi_S(x_i) = (-1)^popcount(i & S));
 *  - the bounded-output FCN of the NG claim: tanh hidden layers with biases, last
 *    layer without bias and projected onto [-box, box] (box = 1/width gives |f| <= 1);
 *  - G(theta) = E_g || E_x[(f o g - fbar)(x) grad_theta f_theta(x)] ||^2 for G = B_n,
 *    by the level-weight identity (theorems/noisy_gd.md, section 3)
 *        G(theta) = sum_{j>=1} W_j(f)/C(n,j) * sum_i W_j(d_i f_theta),
 *    in two ways: "direct" (FWHT of every column of the per-example gradient matrix)
 *    and "fast" (the first-layer block d f/d W0[u][i] = delta_u(x) x_i is the bias
 *    column delta_u shifted by one coordinate, so its level-j weights come from the
 *    level j-1 and j+1 weights of delta_u: only P - n*width1 columns are transformed);
 *  - one noisy-GD run (real, on a target; or junk, on fbar) with the sum of G along it.
 * Nothing here prints. */
#ifndef GDL_THEOREMS_NOISY_GD_LIB_H
#define GDL_THEOREMS_NOISY_GD_LIB_H

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include "gdl/gdl.h"

/* ---------------- hypercube ---------------- */
static inline void ng_cube_enumerate(unsigned n, double *X) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++)
    for (unsigned j = 0; j < n; j++) X[i * n + j] = ((i >> j) & 1u) ? -1.0 : 1.0;
}
/* y = chi_S on all points. */
static inline void ng_parity_values(unsigned n, uint64_t S, double *y) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++) y[i] = (__builtin_popcountll((unsigned long long)(i & S)) & 1) ? -1.0 : 1.0;
}
static inline uint64_t ng_first_k(unsigned k) { return k >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1); }

/* ---------------- the bounded-output FCN ---------------- */
typedef struct {
  unsigned n;        /* input dimension (hypercube) */
  size_t depth;      /* number of weight layers (2 = one hidden layer) */
  size_t width;      /* hidden width (all hidden layers) */
  double lr, tau, clip, box;
  size_t steps;      /* T */
  double b0_scale;   /* first-layer bias init N(0, b0_scale^2) */
} ng_cfg;

static inline void ng_cfg_default(ng_cfg *c, unsigned n, size_t depth) {
  c->n = n;
  c->depth = depth;
  c->width = 8;
  c->lr = 0.5;
  c->tau = 0.1;
  c->clip = 1.0;
  c->box = 1.0 / 8.0;
  c->steps = 300;
  c->b0_scale = 0.5;
}

static inline int ng_net_create(const ng_cfg *c, gdl_net **out) {
  gdl_net_spec s;
  size_t hidden[GDL_MAX_LAYERS];
  if (c->depth < 2 || c->depth > GDL_MAX_LAYERS) return gdl_fail(GDL_EINVAL, "ng: depth %zu", c->depth);
  for (size_t l = 0; l + 1 < c->depth; l++) hidden[l] = c->width;
  GDL_TRY(gdl_net_spec_mlp(&s, c->n, c->depth - 1, hidden, 1, GDL_ACT_TANH, 1));
  s.bias[c->depth - 1] = 0; /* |f| <= width * box * sup|tanh| = 1 */
  return gdl_net_create(&s, out);
}

/* Sign-symmetric i.i.d. init (B_n-invariant law): W0 ~ N(0, 1/n), b0 ~ N(0, b0^2),
 * hidden W ~ N(0, 1/width), hidden b = 0, last layer ~ U[-box, box]. */
static inline int ng_net_init(const ng_cfg *c, gdl_net *net, gsl_rng *r) {
  size_t L = net->spec.nlayers;
  for (size_t l = 0; l < L; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)net->spec.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_ZERO, 0, 0, 0};
    if (l == 0) b = (gdl_init){GDL_INIT_GAUSSIAN, c->b0_scale, 0, 0};
    if (l == L - 1) w = (gdl_init){GDL_INIT_UNIFORM, 0, -c->box, c->box};
    GDL_TRY(gdl_net_init_layer(net, l, w, b, r));
  }
  return GDL_OK;
}

static inline void ng_train_config(const ng_cfg *c, gdl_train_config *tc) {
  gdl_train_config_default(tc);
  tc->loss = GDL_LOSS_SQUARED;
  tc->opt = GDL_OPT_GD;
  tc->lr = c->lr;
  tc->clip = GDL_CLIP_L2;
  tc->clip_value = c->clip;
  tc->noise_tau = c->tau;
  tc->out_box = c->box;
  tc->data = GDL_DATA_POPULATION;
  tc->steps = c->steps;
}

/* ---------------- G(theta) ---------------- */
/* coefficients c_j = W_j(f) / C(n, j), j = 1..n (c_0 = 0: fbar = fhat(empty) for B_n). */
static inline void ng_level_coefs(unsigned n, const double *Wf, double *cj) {
  cj[0] = 0.0;
  for (unsigned j = 1; j <= n; j++) cj[j] = Wf[j] / gsl_sf_choose(n, j);
}

/* Level weights of the columns of V (N x C, FWHT'd, unnormalised: V = N * fhat), summed
 * with weights: returns sum_c sum_j cj[j] * W_j(col c) (if lw != NULL, lw[c*(n+1)+j] gets
 * W_j(col c)). */
static inline double ng_cols_weighted(unsigned n, size_t C, const double *V, const double *cj,
                                      double *lw) {
  size_t N = (size_t)1 << n;
  double inv = 1.0 / ((double)N * (double)N), tot = 0.0;
  if (lw) memset(lw, 0, C * (n + 1) * sizeof *lw);
  for (size_t S = 0; S < N; S++) {
    unsigned j = (unsigned)__builtin_popcountll((unsigned long long)S);
    const double *row = V + S * C;
    double acc = 0.0;
    for (size_t c = 0; c < C; c++) acc += row[c] * row[c];
    tot += cj[j] * acc;
    if (lw)
      for (size_t c = 0; c < C; c++) lw[c * (n + 1) + j] += row[c] * row[c] * inv;
  }
  return tot * inv;
}

/* Reference: all P columns of the per-example gradient matrix. work: N*P doubles. */
static inline int ng_G_direct(gdl_net *net, unsigned n, const double *X, const double *cj,
                              double *work, double *G) {
  size_t N = (size_t)1 << n, P = net->nparams;
  GDL_TRY(gdl_net_per_example_grad(net, N, X, 0, work));
  GDL_TRY(gdl_fwht_cols(work, n, P));
  *G = ng_cols_weighted(n, P, work, cj, NULL);
  return GDL_OK;
}

/* Columns kept by the fast engine: every parameter except the first-layer weights. */
static inline size_t ng_fast_cols(const gdl_net *net) {
  return net->nparams - net->spec.width[0] * net->spec.width[1];
}
/* Workspace sizes for ng_G_fast. */
static inline size_t ng_fast_work(const gdl_net *net, unsigned n, size_t chunk) {
  size_t N = (size_t)1 << n;
  return N * ng_fast_cols(net) + chunk * net->nparams + ng_fast_cols(net) * (n + 1);
}
#define NG_CHUNK 2048

/* Fast engine (needs a first-layer bias). Level profile of the gradient:
 *   prof[j] = sum_i W_j(d_i f_theta), j = 0..n   (so G = sum_j cj[j] * prof[j]).
 * The first-layer weight columns d f / d W0[u][i] = delta_u(x) x_i are never formed:
 * (delta_u x_i)^(T) = delta_u^(T xor {i}), hence sum_i W_j(delta_u x_i) =
 * (n - j + 1) W_{j-1}(delta_u) + (j + 1) W_{j+1}(delta_u), and delta_u is the bias column.
 * work: ng_fast_work(net, n, NG_CHUNK) doubles. */
static inline int ng_profile_fast(gdl_net *net, unsigned n, const double *X, double *work,
                                  double *prof) {
  size_t N = (size_t)1 << n, P = net->nparams;
  size_t w1 = net->spec.width[1], nw0 = (size_t)n * w1, C = P - nw0;
  if (net->spec.width[0] != n) return gdl_fail(GDL_EINVAL, "ng_profile_fast: input width != n");
  if (net->b_off[0] != nw0 || net->w_off[0] != 0)
    return gdl_fail(GDL_EINVAL, "ng_profile_fast: first layer needs a bias right after its weights");
  double *V = work, *Gc = work + N * C, *lw = Gc + NG_CHUNK * P;
  size_t chunk = NG_CHUNK < N ? NG_CHUNK : N;
  for (size_t r0 = 0; r0 < N; r0 += chunk) {
    size_t mc = N - r0 < chunk ? N - r0 : chunk;
    GDL_TRY(gdl_net_per_example_grad(net, mc, X + r0 * n, 0, Gc));
    for (size_t i = 0; i < mc; i++) memcpy(V + (r0 + i) * C, Gc + i * P + nw0, C * sizeof(double));
  }
  GDL_TRY(gdl_fwht_cols(V, n, C));
  double inv = 1.0 / ((double)N * (double)N);
  memset(lw, 0, C * (n + 1) * sizeof *lw);
  for (unsigned j = 0; j <= n; j++) prof[j] = 0.0;
  for (size_t S = 0; S < N; S++) {
    unsigned j = (unsigned)__builtin_popcountll((unsigned long long)S);
    const double *row = V + S * C;
    double acc = 0.0;
    for (size_t c = 0; c < C; c++) acc += row[c] * row[c];
    prof[j] += acc * inv;
    for (size_t u = 0; u < w1; u++) lw[u * (n + 1) + j] += row[u] * row[u] * inv; /* bias columns */
  }
  for (size_t u = 0; u < w1; u++) {
    const double *Wd = lw + u * (n + 1);
    for (unsigned j = 0; j <= n; j++) {
      double s = (j >= 1 ? (double)(n - j + 1) * Wd[j - 1] : 0.0) + (j + 1 <= n ? (double)(j + 1) * Wd[j + 1] : 0.0);
      prof[j] += s;
    }
  }
  return GDL_OK;
}

static inline double ng_profile_dot(unsigned n, const double *cj, const double *prof) {
  double g = 0.0;
  for (unsigned j = 1; j <= n; j++) g += cj[j] * prof[j];
  return g;
}

/* G by the fast engine. */
static inline int ng_G_fast(gdl_net *net, unsigned n, const double *X, const double *cj,
                            double *work, double *G) {
  double prof[GDL_CUBE_MAX_ENUM + 1];
  if (n > GDL_CUBE_MAX_ENUM) return gdl_fail(GDL_ERANGE, "ng_G_fast: n = %u too large", n);
  GDL_TRY(ng_profile_fast(net, n, X, work, prof));
  *G = ng_profile_dot(n, cj, prof);
  return GDL_OK;
}

/* ---------------- runs ---------------- */
typedef struct {
  double corr;      /* <f_thetaT, fc> (exact, all points) */
  double fnorm;     /* ||f_thetaT|| */
  double prof[GDL_CUBE_MAX_ENUM + 1]; /* junk runs: estimate of sum_{t<T} prof_j(theta_t) */
  size_t nG;        /* number of steps at which the profile was evaluated */
} ng_result;

/* One noisy-GD run of cfg on labels y (length N): init stream (seed, purpose "/init", idx),
 * noise stream (seed, purpose "/noise", idx). If stride > 0, the gradient level profile is
 * evaluated at the steps t = o, o + stride, ... < T with a uniformly random offset o
 * (stream (seed, purpose "/offset", idx)) and multiplied by stride: an unbiased estimate
 * of sum_{t<T} prof(theta_t) (exact sum when stride == 1); steps must be a multiple of
 * stride. fc: f - fbar on all points for the final correlation (NULL: corr = 0). */
static inline int ng_run(const ng_cfg *c, const double *X, const double *y, const double *fc,
                         uint64_t seed, const char *purpose, uint64_t idx, size_t stride,
                         ng_result *res) {
  size_t N = (size_t)1 << c->n;
  gdl_net *net = NULL;
  gsl_rng *ri = NULL, *rn = NULL, *ro = NULL;
  gdl_trainer *tr = NULL;
  double *work = NULL, *f = NULL;
  char pur[128];
  int rc = GDL_OK;
  memset(res, 0, sizeof *res);
  if (c->n > GDL_CUBE_MAX_ENUM) return gdl_fail(GDL_ERANGE, "ng_run: n = %u too large", c->n);
  if (stride > 0 && c->steps % stride != 0)
    return gdl_fail(GDL_EINVAL, "ng_run: steps %zu not a multiple of stride %zu", c->steps, stride);
  if ((rc = ng_net_create(c, &net)) != GDL_OK) goto done;
  snprintf(pur, sizeof pur, "%s/init", purpose);
  if ((rc = gdl_rng_alloc(seed, pur, idx, &ri)) != GDL_OK) goto done;
  snprintf(pur, sizeof pur, "%s/noise", purpose);
  if ((rc = gdl_rng_alloc(seed, pur, idx, &rn)) != GDL_OK) goto done;
  snprintf(pur, sizeof pur, "%s/offset", purpose);
  if ((rc = gdl_rng_alloc(seed, pur, idx, &ro)) != GDL_OK) goto done;
  if ((rc = ng_net_init(c, net, ri)) != GDL_OK) goto done;
  gdl_train_config tc;
  ng_train_config(c, &tc);
  gdl_data d = {.m = N, .X = X, .Y = y, .w = NULL};
  if ((rc = gdl_trainer_create(net, &tc, &d, rn, &tr)) != GDL_OK) goto done;
  size_t off = 0;
  if (stride > 0) {
    work = malloc(ng_fast_work(net, c->n, NG_CHUNK) * sizeof(double));
    if (!work) { rc = gdl_fail(GDL_ENOMEM, "ng_run: workspace"); goto done; }
    off = (size_t)gsl_rng_uniform_int(ro, stride);
  }
  for (size_t t = 0; t < c->steps; t++) {
    if (stride > 0 && t % stride == off) {
      double pr[GDL_CUBE_MAX_ENUM + 1];
      if ((rc = ng_profile_fast(net, c->n, X, work, pr)) != GDL_OK) goto done;
      for (unsigned j = 0; j <= c->n; j++) res->prof[j] += (double)stride * pr[j];
      res->nG++;
    }
    if ((rc = gdl_trainer_step(tr, NULL)) != GDL_OK) goto done;
  }
  f = malloc(N * sizeof(double));
  if (!f) { rc = gdl_fail(GDL_ENOMEM, "ng_run: output"); goto done; }
  if ((rc = gdl_net_forward(net, N, X, f)) != GDL_OK) goto done;
  double cr = 0.0, nn = 0.0;
  for (size_t i = 0; i < N; i++) {
    if (!isfinite(f[i])) { rc = gdl_fail(GDL_EDIVERGED, "ng_run: non-finite output"); goto done; }
    if (fc) cr += f[i] * fc[i];
    nn += f[i] * f[i];
  }
  res->corr = cr / (double)N;
  res->fnorm = sqrt(nn / (double)N);
done:
  free(f);
  free(work);
  gdl_trainer_free(tr);
  gdl_rng_free(ro);
  gdl_rng_free(rn);
  gdl_rng_free(ri);
  gdl_net_free(net);
  return rc;
}

/* The explicit NG bound: sqrt(lambda) + 0.5 * ||f - fbar|| * sqrt(sumG / tau^2). */
static inline double ng_bound(double lambda, double fnorm_c, double sumG, double tau) {
  return sqrt(lambda) + 0.5 * fnorm_c * sqrt((sumG > 0 ? sumG : 0.0) / (tau * tau));
}

/* ---------------- one experiment: real runs, control runs, junk runs ---------------- */
#define NG_NSTD 4.0 /* margins in standard errors (COMMON: >= 4 SE) */
typedef struct {
  double mean_abs, se_abs, max_abs;        /* real runs at the hard target chi_[k] */
  double mean_ctl, se_ctl, min_ctl;        /* control runs (chi_1) */
  double sumG_mean, sumG_se;               /* junk runs, hard target */
  double sumG1_mean, sumG1_se;             /* junk runs, chi_1 */
  double bound, bound_lo, bound_hi;        /* hard target; lo/hi: junk sum at -/+ 4 SE */
  double bound1, bound1_lo;                /* chi_1 */
  double lambda;
} ng_exp;

/* nl real runs on chi_[k], nc control runs on chi_[1], nj junk runs (on fbar = 0, the
 * B_n-average of any parity of degree >= 1) with the gradient profile every `stride` steps.
 * Parallel over runs (OpenMP); every run's streams come from (seed, purpose, index). */
static inline int ng_experiment(const ng_cfg *c, unsigned k, int nl, int nc, int nj, size_t stride,
                                uint64_t seed, const char *tag, ng_exp *e) {
  unsigned n = c->n;
  size_t N = (size_t)1 << n;
  int tot = nl + nc + nj, rc = GDL_OK;
  memset(e, 0, sizeof *e);
  if (nl < 2 || nj < 2 || nc == 1 || k < 1 || k > n) return gdl_fail(GDL_EINVAL, "ng_experiment: bad sizes");
  double *X = malloc(N * n * sizeof *X), *yk = malloc(N * sizeof *yk), *y1 = malloc(N * sizeof *y1),
         *y0 = calloc(N, sizeof *y0), *a = malloc((size_t)tot * sizeof *a), *b = malloc((size_t)tot * sizeof *b);
  ng_result *res = calloc((size_t)tot, sizeof *res);
  int *rcs = calloc((size_t)tot, sizeof *rcs);
  if (!X || !yk || !y1 || !y0 || !a || !b || !res || !rcs) { rc = gdl_fail(GDL_ENOMEM, "ng_experiment"); goto done; }
  ng_cube_enumerate(n, X);
  ng_parity_values(n, ng_first_k(k), yk);
  ng_parity_values(n, ng_first_k(1), y1);
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < tot; j++) {
    char p[160];
    if (j < nl) {
      snprintf(p, sizeof p, "%s/n%u/d%zu/real-k%u", tag, n, c->depth, k);
      rcs[j] = ng_run(c, X, yk, yk, seed, p, (uint64_t)j, 0, &res[j]);
    } else if (j < nl + nc) {
      snprintf(p, sizeof p, "%s/n%u/d%zu/control-k1", tag, n, c->depth);
      rcs[j] = ng_run(c, X, y1, y1, seed, p, (uint64_t)(j - nl), 0, &res[j]);
    } else {
      snprintf(p, sizeof p, "%s/n%u/d%zu/junk", tag, n, c->depth);
      rcs[j] = ng_run(c, X, y0, NULL, seed, p, (uint64_t)(j - nl - nc), stride, &res[j]);
    }
  }
  for (int j = 0; j < tot; j++)
    if (rcs[j] != GDL_OK) { rc = rcs[j]; goto done; }
  e->max_abs = 0;
  for (int j = 0; j < nl; j++) {
    a[j] = fabs(res[j].corr);
    if (a[j] > e->max_abs) e->max_abs = a[j];
  }
  if ((rc = gdl_mean_se((size_t)nl, a, &e->mean_abs, &e->se_abs)) != GDL_OK) goto done;
  e->min_ctl = NAN;
  e->mean_ctl = e->se_ctl = NAN;
  if (nc >= 2) {
    e->min_ctl = 1;
    for (int j = 0; j < nc; j++) {
      a[j] = res[nl + j].corr;
      if (a[j] < e->min_ctl) e->min_ctl = a[j];
    }
    if ((rc = gdl_mean_se((size_t)nc, a, &e->mean_ctl, &e->se_ctl)) != GDL_OK) goto done;
  }
  double Wk[GDL_CUBE_MAX_ENUM + 1] = {0}, W1[GDL_CUBE_MAX_ENUM + 1] = {0};
  double ck[GDL_CUBE_MAX_ENUM + 1], c1[GDL_CUBE_MAX_ENUM + 1];
  Wk[k] = 1.0;
  W1[1] = 1.0;
  ng_level_coefs(n, Wk, ck);
  ng_level_coefs(n, W1, c1);
  for (int j = 0; j < nj; j++) {
    a[j] = ng_profile_dot(n, ck, res[nl + nc + j].prof);
    b[j] = ng_profile_dot(n, c1, res[nl + nc + j].prof);
  }
  if ((rc = gdl_mean_se((size_t)nj, a, &e->sumG_mean, &e->sumG_se)) != GDL_OK) goto done;
  if ((rc = gdl_mean_se((size_t)nj, b, &e->sumG1_mean, &e->sumG1_se)) != GDL_OK) goto done;
  e->lambda = 1.0 / gsl_sf_choose(n, k);
  /* ||f - fbar|| = 1 for a parity of degree >= 1 */
  e->bound = ng_bound(e->lambda, 1.0, e->sumG_mean, c->tau);
  e->bound_lo = ng_bound(e->lambda, 1.0, e->sumG_mean - NG_NSTD * e->sumG_se, c->tau);
  e->bound_hi = ng_bound(e->lambda, 1.0, e->sumG_mean + NG_NSTD * e->sumG_se, c->tau);
  e->bound1 = ng_bound(1.0 / n, 1.0, e->sumG1_mean, c->tau);
  e->bound1_lo = ng_bound(1.0 / n, 1.0, e->sumG1_mean - NG_NSTD * e->sumG1_se, c->tau);
done:
  free(X); free(yk); free(y1); free(y0); free(a); free(b); free(res); free(rcs);
  return rc;
}

#endif
