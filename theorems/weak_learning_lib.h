/* weak_learning_lib.h: shared helpers of the WL claim family (theorems/weak_learning.c and
 * benchmarks/weak_learning.c). Header-only. Nothing here prints.
 *
 * Random-feature learner of WL1/WL2: a depth-2 ReLU net whose first layer is drawn once and
 * frozen, phi_j(x) = relu(w_j . x + b_j) / sqrt(n) (the 1/sqrt(n) is folded into W0 and b0,
 * relu being positively homogeneous), and whose last layer (weights and bias) is fitted by
 * ridge least squares on the training sample:
 *     min_a,c (1/m) sum_i (c + a . phi(x_i) - y_i)^2 + rho ||a||^2,
 *     rho = rho_rel * trace(Cov(phi)) / p   (scale-free regularisation).
 * First layers: Gaussian w ~ N(0, I_n), b ~ N(0, n) (the spread of w . x); Rademacher
 * w ~ {-1, +1}^n, b ~ U[-n, n] (CLAIMS.md WL1). Both laws are sign-symmetric and i.i.d. over
 * coordinates, so the learner is B_n-equivariant (and O(d)-equivariant for Gaussian w with
 * a rotation-invariant law of b). */
#ifndef GDL_THEOREMS_WEAK_LEARNING_LIB_H
#define GDL_THEOREMS_WEAK_LEARNING_LIB_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "gdl/gdl.h"

typedef enum { WL_INIT_GAUSSIAN = 0, WL_INIT_RADEMACHER = 1 } wl_init;

static inline const char *wl_init_name(wl_init k) { return k == WL_INIT_GAUSSIAN ? "gaussian" : "rademacher"; }

/* Features net: in -> units (relu) -> 1, first layer drawn and scaled by 1/sqrt(n). */
static inline int wl_features_net(size_t n, size_t units, wl_init kind, gsl_rng *r, gdl_net **out) {
  gdl_net_spec s;
  GDL_TRY(gdl_net_spec_mlp(&s, n, 1, &units, 1, GDL_ACT_RELU, 1));
  GDL_TRY(gdl_net_create(&s, out));
  gdl_net *net = *out;
  double *W = gdl_net_weight(net, 0), *b = gdl_net_bias(net, 0);
  double sc = 1.0 / sqrt((double)n);
  if (kind == WL_INIT_GAUSSIAN) {
    gdl_rng_gaussian(r, 1.0, n * units, W);
    gdl_rng_gaussian(r, sqrt((double)n), units, b);
  } else {
    gdl_rng_rademacher(r, 1.0, n * units, W);
    gdl_rng_uniform(r, -(double)n, (double)n, units, b);
  }
  for (size_t i = 0; i < n * units; i++) W[i] *= sc;
  for (size_t j = 0; j < units; j++) b[j] *= sc;
  return GDL_OK;
}

/* Cholesky solve of the SPD system A x = b (A p x p row-major, overwritten). */
static inline int wl_cholesky_solve(size_t p, double *A, double *b) {
  for (size_t j = 0; j < p; j++) {
    double d = A[j * p + j];
    for (size_t k = 0; k < j; k++) d -= A[j * p + k] * A[j * p + k];
    if (!(d > 0)) return gdl_fail(GDL_ENUMERIC, "wl_cholesky_solve: matrix not positive definite");
    d = sqrt(d);
    A[j * p + j] = d;
    for (size_t i = j + 1; i < p; i++) {
      double s = A[i * p + j];
      for (size_t k = 0; k < j; k++) s -= A[i * p + k] * A[j * p + k];
      A[i * p + j] = s / d;
    }
  }
  for (size_t i = 0; i < p; i++) {
    double s = b[i];
    for (size_t k = 0; k < i; k++) s -= A[i * p + k] * b[k];
    b[i] = s / A[i * p + i];
  }
  for (size_t i = p; i-- > 0;) {
    double s = b[i];
    for (size_t k = i + 1; k < p; k++) s -= A[k * p + i] * b[k];
    b[i] = s / A[i * p + i];
  }
  return GDL_OK;
}

/* Fit the last layer of a depth-2 net by ridge on (X, y) (m rows). */
static inline int wl_ridge_last_layer(gdl_net *net, size_t m, const double *X, const double *y,
                                      double rho_rel) {
  if (net->spec.nlayers != 2) return gdl_fail(GDL_EINVAL, "wl_ridge_last_layer: depth-2 net expected");
  size_t p = net->spec.width[1];
  GDL_TRY(gdl_net_reserve(net, m));
  GDL_TRY(gdl_net_forward(net, m, X, NULL));
  const double *H = net->a[0];
  double *mu = calloc(p, sizeof *mu), *Hc = malloc(m * p * sizeof *Hc), *A = malloc(p * p * sizeof *A),
         *rhs = malloc(p * sizeof *rhs), *yc = malloc(m * sizeof *yc);
  int rc = GDL_OK;
  if (!mu || !Hc || !A || !rhs || !yc) { rc = gdl_fail(GDL_ENOMEM, "wl_ridge_last_layer"); goto done; }
  double ym = 0.0;
  for (size_t i = 0; i < m; i++) {
    ym += y[i];
    for (size_t j = 0; j < p; j++) mu[j] += H[i * p + j];
  }
  ym /= (double)m;
  for (size_t j = 0; j < p; j++) mu[j] /= (double)m;
  for (size_t i = 0; i < m; i++) {
    yc[i] = y[i] - ym;
    for (size_t j = 0; j < p; j++) Hc[i * p + j] = H[i * p + j] - mu[j];
  }
  /* A = Hc^T Hc / m (full matrix via dgemm), rhs = Hc^T yc / m */
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)m, 1.0 / (double)m, Hc, (int)p,
              Hc, (int)p, 0.0, A, (int)p);
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)p, 1.0 / (double)m, Hc, (int)p, yc, 1, 0.0, rhs, 1);
  double tr = 0.0;
  for (size_t j = 0; j < p; j++) tr += A[j * p + j];
  double rho = rho_rel * tr / (double)p + 1e-300;
  for (size_t j = 0; j < p; j++) A[j * p + j] += rho;
  if ((rc = wl_cholesky_solve(p, A, rhs)) != GDL_OK) goto done;
  double *a = gdl_net_weight(net, 1), *c = gdl_net_bias(net, 1);
  double cc = ym;
  for (size_t j = 0; j < p; j++) {
    a[j] = rhs[j];
    cc -= rhs[j] * mu[j];
  }
  c[0] = cc;
done:
  free(mu); free(Hc); free(A); free(rhs); free(yc);
  return rc;
}

/* y[i] = prod_{j in S} X[i, j] (parity on the cube, product of coordinates on the sphere). */
static inline void wl_monomial(size_t m, size_t dim, const double *X, size_t k, const size_t *S, double *y) {
  for (size_t i = 0; i < m; i++) {
    double v = 1.0;
    for (size_t a = 0; a < k; a++) v *= X[i * dim + S[a]];
    y[i] = v;
  }
}

typedef struct {
  size_t n, units, mtrain, mtest;
  double rho_rel;
  int sphere;        /* 0: cube {-1,1}^n, 1: sphere of radius sqrt(n) */
} wl_cfg;

static inline void wl_cfg_default(wl_cfg *c, size_t n, int sphere) {
  c->n = n;
  c->units = 256;
  c->mtrain = 20000;
  c->mtest = 20000;
  c->rho_rel = 1e-4;
  c->sphere = sphere;
}

/* One WL1/WL2 run: fresh train and test samples, random S of size k (all streams from
 * (seed, purpose, idx)), features of the given kind, ridge on train, Pearson correlation on
 * test. */
static inline int wl_run(const wl_cfg *c, wl_init kind, size_t k, uint64_t seed, const char *purpose,
                         uint64_t idx, double *corr) {
  gdl_domain d;
  int rc = GDL_OK;
  gsl_rng *r = NULL;
  gdl_net *net = NULL;
  double *Xtr = NULL, *Xte = NULL, *ytr = NULL, *yte = NULL, *f = NULL;
  size_t *perm = NULL;
  *corr = NAN;
  if (c->sphere) rc = gdl_domain_sphere(c->n, &d);
  else rc = gdl_domain_cube(c->n, &d);
  if (rc != GDL_OK) return rc;
  if ((rc = gdl_rng_alloc(seed, purpose, idx, &r)) != GDL_OK) return rc;
  Xtr = malloc(c->mtrain * c->n * sizeof *Xtr);
  Xte = malloc(c->mtest * c->n * sizeof *Xte);
  ytr = malloc(c->mtrain * sizeof *ytr);
  yte = malloc(c->mtest * sizeof *yte);
  f = malloc(c->mtest * sizeof *f);
  perm = malloc(c->n * sizeof *perm);
  if (!Xtr || !Xte || !ytr || !yte || !f || !perm) { rc = gdl_fail(GDL_ENOMEM, "wl_run"); goto done; }
  gdl_rng_permutation(r, c->n, perm); /* S = perm[0..k-1], a uniformly random k-subset */
  if ((rc = gdl_domain_sample(&d, r, c->mtrain, Xtr, NULL)) != GDL_OK) goto done;
  if ((rc = gdl_domain_sample(&d, r, c->mtest, Xte, NULL)) != GDL_OK) goto done;
  wl_monomial(c->mtrain, c->n, Xtr, k, perm, ytr);
  wl_monomial(c->mtest, c->n, Xte, k, perm, yte);
  if ((rc = wl_features_net(c->n, c->units, kind, r, &net)) != GDL_OK) goto done;
  if ((rc = wl_ridge_last_layer(net, c->mtrain, Xtr, ytr, c->rho_rel)) != GDL_OK) goto done;
  if ((rc = gdl_net_forward(net, c->mtest, Xte, f)) != GDL_OK) goto done;
  gdl_metrics met;
  if ((rc = gdl_metrics_eval(c->mtest, f, yte, NULL, &met)) != GDL_OK) goto done;
  *corr = met.pearson;
done:
  free(Xtr); free(Xte); free(ytr); free(yte); free(f); free(perm);
  gdl_net_free(net);
  gdl_rng_free(r);
  return rc;
}

/* ---------------- WL3: depth x target panel under noisy GD (NG trainer) ---------------- */
#include "noisy_gd_lib.h"

#define WL3_N 12u
#define WL3_NT 6
#define WL3_T 150
/* Panel (n = 12): x1; lin3 = (x1 + x2 + x3)/sqrt(3); chi5 = x1..x5 and chi6 = x1..x6 (middle
 * degree); chi11 = x1..x11 (near-full); mixed = 0.6 x1 + 0.8 x2x3x4x5x6x7. Names are used in
 * check names and file names: no '/' or spaces. */
typedef struct {
  const char *name;
  int nterms;
  uint64_t mask[3];   /* monomials chi_S, S as bit masks (bit j = x_{j+1}) */
  double coef[3];
  int middle;         /* middle-degree target: NG bound asserted */
} wl3_target;

/* x1x2 is not in the panel: under this noisy-GD budget it is learned by some seeds and not by
 * others (corr 0.0001-0.57 over 4 seeds: escape from a saddle), so at a fixed budget it sits on
 * neither side; see weak_learning.md. */
static const wl3_target wl3_panel[WL3_NT] = {
    {"x1", 1, {0x1}, {1.0}, 0},
    {"lin3", 3, {0x1, 0x2, 0x4}, {0.5773502691896258, 0.5773502691896258, 0.5773502691896258}, 0},
    {"chi5", 1, {0x1f}, {1.0}, 1},
    {"chi6", 1, {0x3f}, {1.0}, 1},
    {"chi11", 1, {0x7ff}, {1.0}, 0},
    {"mixed", 2, {0x1, 0x7e}, {0.6, 0.8}, 0},
};

static inline void wl3_values(const wl3_target *t, unsigned n, double *y, double *tmp, double *W) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++) y[i] = 0.0;
  for (unsigned j = 0; j <= n; j++) W[j] = 0.0;
  for (int a = 0; a < t->nterms; a++) {
    ng_parity_values(n, t->mask[a], tmp);
    for (size_t i = 0; i < N; i++) y[i] += t->coef[a] * tmp[i];
    W[__builtin_popcountll((unsigned long long)t->mask[a])] += t->coef[a] * t->coef[a];
  }
}

typedef struct {
  double mean[3][WL3_NT], se[3][WL3_NT];      /* corr = <f_T, f> over seeds */
  double amean[3][WL3_NT], ase[3][WL3_NT];    /* |corr| */
  double bound[3][WL3_NT], bound_lo[3][WL3_NT], sqrt_lambda[WL3_NT];
  int cls[3][WL3_NT];                         /* 1 learned, 0 not, -1 undecided */
} wl3_result;

/* Depths 2, 3, 4 (index 0..2), every panel target, nseeds real runs each and njunk junk runs
 * per depth (fbar = 0 for every panel target: no constant term), all at the same budget. */
static inline int wl3_experiment(uint64_t seed, const char *tag, int nseeds, int njunk, wl3_result *out) {
  const unsigned n = WL3_N;
  const size_t N = (size_t)1 << n, stride = 5, depths[3] = {2, 3, 4};
  int rc = GDL_OK;
  if (nseeds < 2 || nseeds > 64 || njunk < 2 || njunk > 64) return gdl_fail(GDL_EINVAL, "wl3: bad counts");
  memset(out, 0, sizeof *out);
  const int per_depth = WL3_NT * nseeds + njunk, tot = 3 * per_depth;
  double *X = malloc(N * n * sizeof *X), *Y = malloc(WL3_NT * N * sizeof *Y), *tmp = malloc(N * sizeof *tmp),
         *y0 = calloc(N, sizeof *y0);
  double W[WL3_NT][GDL_CUBE_MAX_ENUM + 1];
  ng_result *res = calloc((size_t)tot, sizeof *res);
  int *rcs = calloc((size_t)tot, sizeof *rcs);
  if (!X || !Y || !tmp || !y0 || !res || !rcs) { rc = gdl_fail(GDL_ENOMEM, "wl3"); goto done; }
  ng_cube_enumerate(n, X);
  for (int t = 0; t < WL3_NT; t++) wl3_values(&wl3_panel[t], n, Y + (size_t)t * N, tmp, W[t]);
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < tot; j++) {
    int di = j / per_depth, r = j % per_depth;
    ng_cfg c;
    ng_cfg_default(&c, n, depths[di]);
    c.steps = WL3_T;
    char p[128];
    if (r < WL3_NT * nseeds) {
      int t = r / nseeds, s = r % nseeds;
      snprintf(p, sizeof p, "%s/d%zu/%s", tag, depths[di], wl3_panel[t].name);
      const double *y = Y + (size_t)t * N;
      rcs[j] = ng_run(&c, X, y, y, seed, p, (uint64_t)s, 0, &res[j]);
    } else {
      snprintf(p, sizeof p, "%s/d%zu/junk", tag, depths[di]);
      rcs[j] = ng_run(&c, X, y0, NULL, seed, p, (uint64_t)(r - WL3_NT * nseeds), stride, &res[j]);
    }
  }
  for (int j = 0; j < tot; j++)
    if (rcs[j] != GDL_OK) { rc = rcs[j]; goto done; }
  for (int t = 0; t < WL3_NT; t++) {
    gdl_align al;
    if ((rc = gdl_align_bn_levels(W[t], n, &al)) != GDL_OK) goto done;
    out->sqrt_lambda[t] = sqrt(al.lambda);
    double cj[GDL_CUBE_MAX_ENUM + 1];
    ng_level_coefs(n, W[t], cj);
    for (int di = 0; di < 3; di++) {
      double a[64], b[64], g[64], gm, gse;
      for (int s = 0; s < nseeds; s++) {
        a[s] = res[di * per_depth + t * nseeds + s].corr;
        b[s] = fabs(a[s]);
      }
      if ((rc = gdl_mean_se((size_t)nseeds, a, &out->mean[di][t], &out->se[di][t])) != GDL_OK) goto done;
      if ((rc = gdl_mean_se((size_t)nseeds, b, &out->amean[di][t], &out->ase[di][t])) != GDL_OK) goto done;
      for (int s = 0; s < njunk; s++) g[s] = ng_profile_dot(n, cj, res[di * per_depth + WL3_NT * nseeds + s].prof);
      if ((rc = gdl_mean_se((size_t)njunk, g, &gm, &gse)) != GDL_OK) goto done;
      out->bound[di][t] = ng_bound(al.lambda, sqrt(al.dist2), gm, 0.1);
      out->bound_lo[di][t] = ng_bound(al.lambda, sqrt(al.dist2), gm - NG_NSTD * gse, 0.1);
      /* learned: mean - 4 SE >= 0.1; not learned: mean|corr| + 4 SE <= 0.05; else undecided */
      out->cls[di][t] = (out->mean[di][t] - NG_NSTD * out->se[di][t] >= 0.1)
                            ? 1
                            : ((out->amean[di][t] + NG_NSTD * out->ase[di][t] <= 0.05) ? 0 : -1);
    }
  }
done:
  free(res); free(rcs); free(X); free(Y); free(tmp); free(y0);
  return rc;
}

#endif
