/* equivariance_run.h: the runs of claim EQ, shared by theorems/equivariance.c and
 * benchmarks/equivariance.c (static functions; include once per program).
 *
 * EQ1 pair run: run A on data x with init theta_0 and noise Z_t; run B on data g.x with
 * init g.theta_0 (first layer W_0 R^T) and first-layer noise Z_t R^T (gdl_group_act_params),
 * everything else identical (same batch stream: both trainers draw from identical rng
 * streams, and B's sampler maps each fresh x to R x after drawing the label from x).
 * Recorded: per step, max over test points of |f_B(R x) - f_A(x)|. */
#ifndef GDL_EQUIVARIANCE_RUN_H
#define GDL_EQUIVARIANCE_RUN_H

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "gdl/gdl.h"

typedef enum { EQ_CUBE_BN = 0, EQ_GAUSS_OD, EQ_SPHERE_OD, EQ_NSETUPS } eq_setup;
typedef enum { EQ_GD = 0, EQ_SGD, EQ_NOISY, EQ_ADAM, EQ_COORDCLIP, EQ_NALGOS } eq_algo;

static const char *eq_setup_name(eq_setup s) {
  static const char *n[] = {"cube-Bn", "gauss-Od", "sphere-Od"};
  return n[s];
}
static const char *eq_algo_name(eq_algo a) {
  static const char *n[] = {"GD", "SGD", "noisyGD-l2clip", "Adam", "coordclip"};
  return n[a];
}

typedef struct {
  eq_setup setup;
  eq_algo algo;
  size_t depth;     /* weight layers: 2, 3, 4 */
  size_t n;         /* input dimension */
  size_t width;     /* hidden width */
  size_t steps;
  size_t m;         /* population / fixed sample size (GD, noisy GD, Adam, coordclip) */
  size_t batch;     /* SGD */
  size_t ntest;
} eq1_cfg;

static void eq1_cfg_default(eq1_cfg *c, eq_setup s, eq_algo a, size_t depth) {
  c->setup = s;
  c->algo = a;
  c->depth = depth;
  c->n = 10;
  c->width = 32;
  c->steps = 300;
  c->m = 256;
  c->batch = 16;
  c->ntest = 64;
}

/* online sampler wrapper: draws (x, y) from the base sampler, then x -> g x (y unchanged) */
typedef struct {
  gdl_domain_sampler base;
  const gdl_group_elem *g;   /* NULL: identity (run A) */
  double *tmp;               /* batch x n */
} eq_sampler;

static int eq_sample(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  eq_sampler *s = ctx;
  if (!s->g) return gdl_sampler_domain_target(&s->base, r, m, X, Y);
  GDL_TRY(gdl_sampler_domain_target(&s->base, r, m, s->tmp, Y));
  return gdl_group_act_inputs(s->g, m, s->tmp, X);
}

typedef struct {
  gsl_rng *r;
  double tau;
  const gdl_group_elem *g;   /* NULL: run A */
  const gdl_net *net;
} eq_noise;

static int eq_noise_fn(void *ctx, size_t step, size_t P, double *z) {
  (void)step;
  eq_noise *e = ctx;
  gdl_rng_gaussian(e->r, e->tau, P, z);
  if (e->g) return gdl_group_act_params(e->g, e->net, z);
  return GDL_OK;
}

static int eq_domain(const eq1_cfg *c, gdl_domain *d) {
  switch (c->setup) {
    case EQ_CUBE_BN: return gdl_domain_cube(c->n, d);
    case EQ_GAUSS_OD: return gdl_domain_gaussian(c->n, d);
    default: return gdl_domain_sphere(c->n, d);
  }
}

/* err (length steps, may be NULL) receives the per-step max error; *maxerr the max over all
 * steps (NaN/inf if any output was not finite). Streams: (seed, "eq1.*", idx). */
static int eq1_pair_run(const eq1_cfg *c, uint64_t seed, uint64_t idx, double *err, double *maxerr) {
  int rc = GDL_OK;
  gsl_rng *rinit = NULL, *rdat = NULL, *rg = NULL, *rA = NULL, *rB = NULL, *nA = NULL, *nB = NULL;
  gdl_net *A = NULL, *B = NULL;
  gdl_trainer *tA = NULL, *tB = NULL;
  gdl_target *tgt = NULL;
  gdl_group_elem *g = NULL;
  double *X = NULL, *XB = NULL, *Y = NULL, *Xt = NULL, *XtB = NULL, *fA = NULL, *fB = NULL, *tmp = NULL;
  gdl_domain dom;
  rc = eq_domain(c, &dom);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.init", idx, &rinit);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.data", idx, &rdat);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.group", idx, &rg);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.train", idx, &rA);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.train", idx, &rB);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.noise", idx, &nA);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq1.noise", idx, &nB);
  /* net: depth-1 hidden layers of `width`, tanh (smooth: no ReLU kink whose side a rounding
   * error could flip, which Adam amplifies on near-zero second moments), biases */
  size_t hid[GDL_MAX_LAYERS];
  for (size_t l = 0; l + 1 < c->depth; l++) hid[l] = c->width;
  gdl_net_spec sp;
  if (rc == GDL_OK) rc = gdl_net_spec_mlp(&sp, c->n, c->depth - 1, hid, 1, GDL_ACT_TANH, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &A);
  if (rc == GDL_OK) {
    for (size_t l = 0; l < c->depth && rc == GDL_OK; l++) {
      gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)sp.width[l]), 0, 0};
      gdl_init b = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
      rc = gdl_net_init_layer(A, l, w, b, rinit);
    }
  }
  if (rc == GDL_OK) rc = gdl_group_elem_alloc(c->setup == EQ_CUBE_BN ? GDL_GROUP_BN : GDL_GROUP_OD, c->n, &g);
  if (rc == GDL_OK) rc = gdl_group_random(g, rg);
  if (rc == GDL_OK) rc = gdl_net_clone(A, &B);
  if (rc == GDL_OK) rc = gdl_group_act_net(g, B);
  if (rc == GDL_OK) rc = gdl_target_poly("x1*x2 + 0.5*x3 - 0.5*x2*x4*x5", &tgt);
  size_t n = c->n, m = c->m, nt = c->ntest;
  if (rc == GDL_OK) {
    X = malloc(m * n * sizeof *X);
    XB = malloc(m * n * sizeof *XB);
    Y = malloc(m * sizeof *Y);
    Xt = malloc(nt * n * sizeof *Xt);
    XtB = malloc(nt * n * sizeof *XtB);
    fA = malloc(nt * sizeof *fA);
    fB = malloc(nt * sizeof *fB);
    tmp = malloc(c->batch * n * sizeof *tmp);
    if (!X || !XB || !Y || !Xt || !XtB || !fA || !fB || !tmp) rc = gdl_fail(GDL_ENOMEM, "eq1: out of memory");
  }
  if (rc == GDL_OK) rc = gdl_domain_sample(&dom, rdat, m, X, NULL);
  if (rc == GDL_OK) rc = gdl_target_eval(tgt, &dom, m, X, NULL, Y);
  if (rc == GDL_OK) rc = gdl_group_act_inputs(g, m, X, XB);
  if (rc == GDL_OK) rc = gdl_domain_sample(&dom, rdat, nt, Xt, NULL);
  if (rc == GDL_OK) rc = gdl_group_act_inputs(g, nt, Xt, XtB);
  eq_sampler sA = {{&dom, tgt, 0.0}, NULL, NULL}, sB = {{&dom, tgt, 0.0}, g, tmp};
  eq_noise zA = {nA, 0.01, NULL, A}, zB = {nB, 0.01, g, B};
  if (rc == GDL_OK) {
    gdl_train_config tc;
    gdl_train_config_default(&tc);
    tc.loss = GDL_LOSS_SQUARED;
    tc.steps = c->steps;
    tc.lr = 0.02;  /* 0.05 was chaotic once (GD, Gaussian inputs, depth 4): rounding amplified to O(1) */
    tc.data = GDL_DATA_POPULATION;
    gdl_data dA = {0}, dB = {0};
    dA.m = dB.m = m;
    dA.X = X;
    dB.X = XB;
    dA.Y = dB.Y = Y;
    switch (c->algo) {
      case EQ_GD: break;
      case EQ_SGD:
        tc.data = GDL_DATA_ONLINE;
        tc.batch = c->batch;
        dA.sample = dB.sample = eq_sample;
        dA.sample_ctx = &sA;
        dB.sample_ctx = &sB;
        break;
      case EQ_NOISY:
        tc.clip = GDL_CLIP_L2;
        tc.clip_value = 0.1;   /* active: the gradient norm is ~0.3-1 */
        break;
      case EQ_ADAM:
        tc.opt = GDL_OPT_ADAM;
        tc.lr = 3e-3;
        break;
      case EQ_COORDCLIP:
        tc.clip = GDL_CLIP_COORD;
        tc.clip_value = 0.01;  /* active on most coordinates */
        break;
      default: rc = gdl_fail(GDL_EINVAL, "eq1: unknown algorithm");
    }
    gdl_train_config tcA = tc, tcB = tc;
    if (c->algo == EQ_NOISY) {
      tcA.noise = eq_noise_fn;
      tcA.noise_ctx = &zA;
      tcB.noise = eq_noise_fn;
      tcB.noise_ctx = &zB;
    }
    if (rc == GDL_OK) rc = gdl_trainer_create(A, &tcA, &dA, rA, &tA);
    if (rc == GDL_OK) rc = gdl_trainer_create(B, &tcB, &dB, rB, &tB);
  }
  double mx = 0;
  for (size_t t = 0; t < c->steps && rc == GDL_OK; t++) {
    rc = gdl_trainer_step(tA, NULL);
    if (rc == GDL_OK) rc = gdl_trainer_step(tB, NULL);
    if (rc == GDL_OK) rc = gdl_net_forward(A, nt, Xt, fA);
    if (rc == GDL_OK) rc = gdl_net_forward(B, nt, XtB, fB);
    double e = 0;
    for (size_t i = 0; i < nt && rc == GDL_OK; i++) {
      if (!isfinite(fA[i]) || !isfinite(fB[i])) {
        e = INFINITY;  /* a max over NaN could read 0: non-finite outputs count as failure */
        break;
      }
      e = fmax(e, fabs(fB[i] - fA[i]));
    }
    if (err) err[t] = e;
    mx = fmax(mx, e);
  }
  if (maxerr) *maxerr = rc == GDL_OK ? mx : NAN;
  gdl_trainer_free(tA);
  gdl_trainer_free(tB);
  gdl_net_free(A);
  gdl_net_free(B);
  gdl_target_free(tgt);
  gdl_group_elem_free(g);
  free(X);
  free(XB);
  free(Y);
  free(Xt);
  free(XtB);
  free(fA);
  free(fB);
  free(tmp);
  gdl_rng_free(rinit);
  gdl_rng_free(rdat);
  gdl_rng_free(rg);
  gdl_rng_free(rA);
  gdl_rng_free(rB);
  gdl_rng_free(nA);
  gdl_rng_free(nB);
  return rc;
}

/* ---------------- EQ2 ---------------- */
typedef enum { INIT_GAUSS = 0, INIT_RADEMACHER, INIT_UNIFORM01, INIT_HAND } eq2_init;
static const char *INIT_NAME[] = {"gaussian", "rademacher", "uniform01", "hand-placed"};
static const char *GROUP_NAME[] = {"S_n", "B_n", "O(d)"};

#define EQ2_D 16

/* Depth-2 net d -> 2 -> 1, tanh, biases N(0, 0.1^2), output weights 1 (the law of the first
 * layer shows through; a wide random readout would average it into a near-Gaussian). */
static double eq2_eval(eq2_init ik, gdl_group_kind gk, int transformed, gsl_rng *r, gdl_net *net,
                       gdl_group_elem *g) {
  size_t d = EQ2_D;
  gdl_init b = {GDL_INIT_GAUSSIAN, 0.1, 0, 0}, one = {GDL_INIT_CONST, 1.0, 0, 0}, zero = {GDL_INIT_ZERO, 0, 0, 0};
  gdl_init w;
  int rc = GDL_OK;
  switch (ik) {
    case INIT_GAUSS: w = (gdl_init){GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)d), 0, 0}; break;
    case INIT_RADEMACHER: w = (gdl_init){GDL_INIT_RADEMACHER, 1.0 / sqrt((double)d), 0, 0}; break;
    case INIT_UNIFORM01: w = (gdl_init){GDL_INIT_UNIFORM, 0, 0.0, 1.0 / sqrt((double)d)}; break;
    default: w = (gdl_init){GDL_INIT_ZERO, 0, 0, 0};
  }
  rc = gdl_net_init_layer(net, 0, w, b, r);
  if (rc == GDL_OK && ik == INIT_HAND) {
    const size_t S[3] = {0, 1, 2};
    rc = gdl_net_init_first_layer_on(net, 3, S, 1.0 / sqrt(3.0), r);
  }
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 1, one, zero, r);
  double x[EQ2_D] = {0}, gx[EQ2_D];
  x[0] = sqrt((double)d);
  const double *in = x;
  if (rc == GDL_OK && transformed) {
    (void)gk;
    rc = gdl_group_random(g, r);
    if (rc == GDL_OK) rc = gdl_group_act_inputs(g, 1, x, gx);
    in = gx;
  }
  double f = NAN;
  if (rc == GDL_OK) rc = gdl_net_forward(net, 1, in, &f);
  return rc == GDL_OK ? f : NAN;
}

/* Sample 1: f_theta(x) for M inits; sample 2: f_theta'(g x) for M independent inits, each
 * with its own uniformly random g. Streams (seed, "eq2.<init>.<group>", i). */
static void eq2_samples(eq2_init ik, gdl_group_kind gk, uint64_t seed, size_t M, double *s1, double *s2) {
  char purpose[64];
  snprintf(purpose, sizeof purpose, "eq2.%d.%d", (int)ik, (int)gk);
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel
#endif
  {
    gdl_net_spec sp;
    size_t h = 2;
    gdl_net *net = NULL;
    gdl_group_elem *g = NULL;
    int ok = gdl_net_spec_mlp(&sp, EQ2_D, 1, &h, 1, GDL_ACT_TANH, 1) == GDL_OK && gdl_net_create(&sp, &net) == GDL_OK &&
             gdl_group_elem_alloc(gk, EQ2_D, &g) == GDL_OK;
#ifdef GDL_HAVE_OPENMP
#pragma omp for schedule(static)
#endif
    for (size_t i = 0; i < 2 * M; i++) {
      gsl_rng *r = NULL;
      double f = NAN;
      if (ok && gdl_rng_alloc(seed, purpose, i, &r) == GDL_OK) f = eq2_eval(ik, gk, i >= M, r, net, g);
      gdl_rng_free(r);
      if (i < M) s1[i] = f;
      else s2[i - M] = f;
    }
    gdl_net_free(net);
    gdl_group_elem_free(g);
  }
}

/* ---------------- EQ3 ---------------- */
#define EQ3_N 20

/* Train on chi_T (T = {t0, t0+1, t0+2}) from the cube, online SGD; final correlation E[f chi_T]
 * on a fresh test sample of 4096 points (drawn per run, so the law is exactly invariant). */
static int eq3_run(int hand, size_t t0, uint64_t seed, uint64_t idx, double *corr) {
  gsl_rng *ri = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gdl_target *tgt = NULL;
  gdl_domain dom;
  double *X = NULL, *y = NULL;
  size_t nt = 4096, hidden = 64;
  char poly[64];
  snprintf(poly, sizeof poly, "x%zu*x%zu*x%zu", t0 + 1, t0 + 2, t0 + 3);
  char pur[32];
  snprintf(pur, sizeof pur, "eq3.%d.%zu", hand, t0);
  int rc = gdl_domain_cube(EQ3_N, &dom);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, pur, idx, &ri);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq3.train", 1000 * (uint64_t)t0 + idx + (hand ? 500 : 0), &rt);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq3.test", 1000 * (uint64_t)t0 + idx + (hand ? 500 : 0), &rs);
  gdl_net_spec sp;
  if (rc == GDL_OK) rc = gdl_net_spec_mlp(&sp, EQ3_N, 1, &hidden, 1, GDL_ACT_RELU, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &net);
  gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)EQ3_N), 0, 0}, b0 = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
  gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)hidden), 0, 0}, z = {GDL_INIT_ZERO, 0, 0, 0};
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 0, w0, b0, ri);
  if (rc == GDL_OK && hand) {
    const size_t S[3] = {0, 1, 2}; /* the learner "sees" S = {x1, x2, x3} */
    rc = gdl_net_init_first_layer_on(net, 3, S, 1.0, ri);
  }
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 1, w1, z, ri);
  if (rc == GDL_OK) rc = gdl_target_poly(poly, &tgt);
  gdl_domain_sampler smp = {&dom, tgt, 0.0};
  if (rc == GDL_OK) {
    gdl_train_config tc;
    gdl_train_config_default(&tc);
    tc.loss = GDL_LOSS_SQUARED;
    tc.opt = GDL_OPT_GD;
    tc.lr = 0.05;
    tc.data = GDL_DATA_ONLINE;
    tc.batch = 32;
    tc.steps = 1500;
    gdl_data d = {0};
    d.sample = gdl_sampler_domain_target;
    d.sample_ctx = &smp;
    rc = gdl_trainer_create(net, &tc, &d, rt, &tr);
  }
  if (rc == GDL_OK) rc = gdl_trainer_run(tr);
  if (rc == GDL_OK) {
    X = malloc(nt * EQ3_N * sizeof *X);
    y = malloc(nt * sizeof *y);
    if (!X || !y) rc = gdl_fail(GDL_ENOMEM, "eq3: out of memory");
  }
  if (rc == GDL_OK) rc = gdl_domain_sample(&dom, rs, nt, X, NULL);
  if (rc == GDL_OK) rc = gdl_target_eval(tgt, &dom, nt, X, NULL, y);
  gdl_metrics m;
  if (rc == GDL_OK) rc = gdl_net_metrics(net, nt, X, y, NULL, &m);
  if (rc == GDL_OK) *corr = m.corr;
  free(X);
  free(y);
  gdl_trainer_free(tr);
  gdl_target_free(tgt);
  gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

#endif
