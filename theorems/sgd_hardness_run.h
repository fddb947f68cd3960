/* sgd_hardness_run.h: the runs of claim SH, shared by theorems/sgd_hardness.c and
 * benchmarks/sgd_hardness.c (static functions; include once per program).
 *
 * Target f(x) = cos(2 pi gamma x_1), x ~ N(0, I_d), online SGD/Adam with fresh batches.
 * Learners:
 *   SH_FCN    f = sum_j a_j relu(w_j.x + b_j) + c, w ~ N(0, I/d), b ~ N(0, 1), a ~ N(0, 1/N), c = 0
 *             (O(d)-equivariant under GD/SGD: claim EQ);
 *   SH_COORD  first layer along e_1: w_j = s_j e_1, s_j ~ N(0, 100), b_j = -s_j c_j,
 *             c_j ~ U[-3, 3] (kinks spread over [-3, 3]); a_j = 0 (not equivariant). */
#ifndef GDL_SGD_HARDNESS_RUN_H
#define GDL_SGD_HARDNESS_RUN_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_blas.h>  /* cblas_* symbols bind to OpenBLAS (link order, see DESIGN.md) */
#include "gdl/gdl.h"

typedef enum { SH_FCN = 0, SH_COORD = 1 } sh_learner;

typedef struct {
  sh_learner learner;
  size_t d, N;
  double gamma;
  gdl_optimizer opt;
  double lr;
  int linear_decay;
  size_t batch, samples;   /* steps = samples / batch */
  size_t ntest;
} sh_cfg;

static void sh_cfg_default(sh_cfg *c, sh_learner l, double gamma, gdl_optimizer opt) {
  memset(c, 0, sizeof *c);
  c->learner = l;
  c->d = 16;
  c->gamma = gamma;
  c->opt = opt;
  c->batch = 32;
  c->samples = 200000;
  c->ntest = 20000;
  if (l == SH_FCN) {
    c->N = 128;
    c->lr = opt == GDL_OPT_ADAM ? 3e-3 : 0.01;
    c->linear_decay = 0;
  } else {
    c->N = 512;
    c->lr = 0.01;
    c->linear_decay = 1;
  }
}

typedef struct {
  gdl_domain dom;
  gdl_target *tgt;
} sh_sampler_ctx;

/* Create the net of a learner (2 weight layers, relu, biases). */
static int sh_make_net(const sh_cfg *c, gsl_rng *r, gdl_net **out) {
  gdl_net_spec sp;
  GDL_TRY(gdl_net_spec_mlp(&sp, c->d, 1, &c->N, 1, GDL_ACT_RELU, 1));
  GDL_TRY(gdl_net_create(&sp, out));
  gdl_net *net = *out;
  gdl_init zero = {GDL_INIT_ZERO, 0, 0, 0};
  if (c->learner == SH_FCN) {
    gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->d), 0, 0}, b0 = {GDL_INIT_GAUSSIAN, 1.0, 0, 0};
    gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->N), 0, 0};
    GDL_TRY(gdl_net_init_layer(net, 0, w0, b0, r));
    GDL_TRY(gdl_net_init_layer(net, 1, w1, zero, r));
  } else {
    double *u = calloc(c->d, sizeof *u), *s = malloc(c->N * sizeof *s);
    if (!u || !s) {
      free(u);
      free(s);
      return gdl_fail(GDL_ENOMEM, "sh_make_net: out of memory");
    }
    u[0] = 1.0;
    gdl_rng_gaussian(r, 10.0, c->N, s);
    int rc = gdl_net_init_first_layer_along(net, u, s);
    double *b = gdl_net_bias(net, 0);
    for (size_t j = 0; j < c->N; j++) b[j] = -s[j] * gsl_ran_flat(r, -3.0, 3.0);
    free(u);
    free(s);
    GDL_TRY(rc);
    GDL_TRY(gdl_net_init_layer(net, 1, zero, zero, r));
  }
  return GDL_OK;
}

/* Test set and its FVU. */
static int sh_fvu(gdl_net *net, const sh_cfg *c, gsl_rng *r, double *fvu) {
  gdl_domain dom;
  GDL_TRY(gdl_domain_gaussian(c->d, &dom));
  double *X = malloc(c->ntest * (c->d + 1) * sizeof *X);
  if (!X) return gdl_fail(GDL_ENOMEM, "sh_fvu: out of memory");
  double *y = X + c->ntest * c->d;
  int rc = gdl_domain_sample(&dom, r, c->ntest, X, NULL);
  for (size_t i = 0; i < c->ntest && rc == GDL_OK; i++) y[i] = cos(2 * M_PI * c->gamma * X[i * c->d]);
  gdl_metrics m;
  if (rc == GDL_OK) rc = gdl_net_metrics(net, c->ntest, X, y, NULL, &m);
  free(X);
  GDL_TRY(rc);
  *fvu = m.fvu;
  return GDL_OK;
}

/* The streams of run idx -- init (seed, "sh.init", idx), batches (seed, "sh.train", idx),
 * test set (seed, "sh.test", idx) -- the net initialised from the first, and the input
 * domain N(0, I_d). Stops at the first failure; the caller frees what was allocated. */
static int sh_setup(const sh_cfg *c, uint64_t seed, uint64_t idx, gsl_rng **ri, gsl_rng **rt, gsl_rng **rs,
                    gdl_net **net, gdl_domain *dom) {
  int rc = gdl_rng_alloc(seed, "sh.init", idx, ri);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "sh.train", idx, rt);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "sh.test", idx, rs);
  if (rc == GDL_OK) rc = sh_make_net(c, *ri, net);
  if (rc == GDL_OK) rc = gdl_domain_gaussian(c->d, dom);
  return rc;
}

/* One run: init from (seed, "sh.init", idx), batches from (seed, "sh.train", idx), test
 * set from (seed, "sh.test", idx). cb (may be NULL) is called every cb_every steps.
 * If keep != NULL the trained net is returned there (caller frees). */
static int sh_run(const sh_cfg *c, uint64_t seed, uint64_t idx, gdl_step_cb cb, void *cb_ctx,
                  size_t cb_every, double *fvu, gdl_net **keep) {
  gsl_rng *ri = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gdl_target *tgt = NULL;
  gdl_domain dom;
  int rc = sh_setup(c, seed, idx, &ri, &rt, &rs, &net, &dom);
  double *e1 = calloc(c->d, sizeof *e1);
  if (!e1 && rc == GDL_OK) rc = gdl_fail(GDL_ENOMEM, "sh_run: out of memory");
  if (rc == GDL_OK) {
    e1[0] = 1.0;
    rc = gdl_target_neuron(c->d, e1, c->gamma, &tgt);
  }
  gdl_domain_sampler smp = {&dom, tgt, 0.0};
  if (rc == GDL_OK) {
    gdl_train_config tc;
    gdl_train_config_default(&tc);
    tc.loss = GDL_LOSS_SQUARED;
    tc.opt = c->opt;
    tc.lr = c->lr;
    tc.schedule = c->linear_decay ? GDL_SCHED_LINEAR : GDL_SCHED_CONST;
    tc.data = GDL_DATA_ONLINE;
    tc.batch = c->batch;
    tc.steps = c->samples / c->batch;
    tc.callback = cb;
    tc.callback_ctx = cb_ctx;
    tc.callback_every = cb ? cb_every : 0;
    gdl_data data = {0};
    data.sample = gdl_sampler_domain_target;
    data.sample_ctx = &smp;
    rc = gdl_trainer_create(net, &tc, &data, rt, &tr);
  }
  if (rc == GDL_OK) rc = gdl_trainer_run(tr);
  if (rc == GDL_OK) rc = sh_fvu(net, c, rs, fvu);
  gdl_trainer_free(tr);
  gdl_target_free(tgt);
  free(e1);
  if (keep && rc == GDL_OK) *keep = net;
  else gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

/* Coordinate-aware learner with its last layer (weights + bias) fitted by ridge least
 * squares on `samples` fresh draws (the same sample budget; no step-size or spectral-bias
 * issue). Ridge lambda = 1e-8 * mean diagonal of the Gram matrix. */
static int sh_ridge_run(const sh_cfg *c, uint64_t seed, uint64_t idx, double *fvu) {
  gsl_rng *ri = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  size_t N = c->N, P1 = N + 1, M = c->samples, chunk = 4096;
  double *F = NULL, *A = NULL, *rhs = NULL, *X = NULL, *y = NULL;
  gdl_domain dom;
  int rc = sh_setup(c, seed, idx, &ri, &rt, &rs, &net, &dom);
  if (rc == GDL_OK) {
    F = malloc(chunk * P1 * sizeof *F);
    A = calloc(P1 * P1, sizeof *A);
    rhs = calloc(P1, sizeof *rhs);
    X = malloc(chunk * c->d * sizeof *X);
    y = malloc(chunk * sizeof *y);
    if (!F || !A || !rhs || !X || !y) rc = gdl_fail(GDL_ENOMEM, "sh_ridge_run: out of memory");
  }
  const double *W = net ? gdl_net_weight(net, 0) : NULL;
  const double *b = net ? gdl_net_bias(net, 0) : NULL;
  for (size_t done = 0; rc == GDL_OK && done < M; done += chunk) {
    size_t m = M - done < chunk ? M - done : chunk;
    rc = gdl_domain_sample(&dom, rt, m, X, NULL);
    /* features F = [relu(X W^T + b), 1] by one GEMM, then A += F^T F, rhs += F^T y */
    gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, m, c->d);
    gsl_matrix_const_view Wv = gsl_matrix_const_view_array(W, N, c->d);
    gsl_matrix_view Fz = gsl_matrix_view_array_with_tda(F, m, N, P1);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Xv.matrix, &Wv.matrix, 0.0, &Fz.matrix);
    for (size_t i = 0; i < m; i++) {
      y[i] = cos(2 * M_PI * c->gamma * X[i * c->d]);
      for (size_t j = 0; j < N; j++) {
        double z = F[i * P1 + j] + b[j];
        F[i * P1 + j] = z > 0 ? z : 0.0;
      }
      F[i * P1 + N] = 1.0;
    }
    gsl_matrix_const_view Fv = gsl_matrix_const_view_array(F, m, P1);
    gsl_matrix_view Av = gsl_matrix_view_array(A, P1, P1);
    gsl_vector_const_view yv = gsl_vector_const_view_array(y, m);
    gsl_vector_view rv = gsl_vector_view_array(rhs, P1);
    gsl_blas_dsyrk(CblasUpper, CblasTrans, 1.0, &Fv.matrix, 1.0, &Av.matrix);
    gsl_blas_dgemv(CblasTrans, 1.0, &Fv.matrix, &yv.vector, 1.0, &rv.vector);
  }
  if (rc == GDL_OK) {
    double tr = 0;
    for (size_t j = 0; j < P1; j++) tr += A[j * P1 + j];
    for (size_t j = 0; j < P1; j++) {
      A[j * P1 + j] += 1e-8 * tr / (double)P1;
      for (size_t k = 0; k < j; k++) A[j * P1 + k] = A[k * P1 + j];
    }
    gsl_matrix_view Am = gsl_matrix_view_array(A, P1, P1);
    gsl_vector_view bv = gsl_vector_view_array(rhs, P1);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_linalg_cholesky_decomp1(&Am.matrix);
    if (st == 0) st = gsl_linalg_cholesky_svx(&Am.matrix, &bv.vector);
    gsl_set_error_handler(old);
    if (st != 0) rc = gdl_fail(GDL_ENUMERIC, "sh_ridge_run: Cholesky failed (%d)", st);
  }
  if (rc == GDL_OK) {
    double *a = gdl_net_weight(net, 1), *c0 = gdl_net_bias(net, 1);
    for (size_t j = 0; j < N; j++) a[j] = rhs[j];
    c0[0] = rhs[N];
    rc = sh_fvu(net, c, rs, fvu);
  }
  free(F);
  free(A);
  free(rhs);
  free(X);
  free(y);
  gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

#endif
