/* experiments/equivariance.c: the runs of claim EQ (see equivariance.h). */
#include "experiments/equivariance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- EQ1 ---------------- */
const char *eq_setup_name(eq_setup s) {
  static const char *n[] = {"cube-Bn", "gauss-Od", "sphere-Od"};
  return (unsigned)s < EQ_NSETUPS ? n[s] : "?";
}

const char *eq_algo_name(eq_algo a) {
  static const char *n[] = {"GD", "SGD", "noisyGD-l2clip", "Adam", "coordclip"};
  return (unsigned)a < EQ_NALGOS ? n[a] : "?";
}

int eq1_expect_equivariant(eq_setup s, eq_algo a) {
  return !((a == EQ_ADAM || a == EQ_COORDCLIP) && s != EQ_CUBE_BN);
}

void eq1_config_default(eq1_config *c, eq_setup s, eq_algo a, size_t depth) {
  *c = (eq1_config){
      .setup = s, .algo = a, .depth = depth,
      .n = 10, .width = 32, .steps = 300, .m = 256, .batch = 16, .ntest = 64,
      .target = "x1*x2 + 0.5*x3 - 0.5*x2*x4*x5", .bias_sd = 0.5,
      /* lr 0.05 was chaotic once (GD, Gaussian inputs, depth 4): rounding amplified to O(1) */
      .lr = 0.02, .lr_adam = 3e-3,
      .l2_clip = 0.1, /* active: the gradient norm is ~0.3-1 */
      .noise_tau = 0.01,
      .coord_clip = 0.01, /* active on most coordinates */
      .purpose_init = "eq1.init", .purpose_data = "eq1.data", .purpose_group = "eq1.group",
      .purpose_train = "eq1.train", .purpose_noise = "eq1.noise",
      .index = 1000 * (uint64_t)s + 10 * (uint64_t)a + (depth >= 2 ? depth - 2 : 0)};
}

/* every member but the grid coordinates (setup, algo, depth, index) */
static int eq1_params_json(const eq1_config *c, gdl_json *j) {
  const gdl_exp_field f[] = {
      GDL_EXP_INT("n", c->n), GDL_EXP_INT("width", c->width), GDL_EXP_STR("activation", "tanh"),
      GDL_EXP_INT("steps", c->steps), GDL_EXP_INT("m", c->m), GDL_EXP_INT("batch", c->batch),
      GDL_EXP_INT("ntest", c->ntest), GDL_EXP_STR("target", c->target), GDL_EXP_NUM("bias_sd", c->bias_sd),
      GDL_EXP_NUM("lr", c->lr), GDL_EXP_NUM("lr_adam", c->lr_adam), GDL_EXP_NUM("l2_clip", c->l2_clip),
      GDL_EXP_NUM("noise_tau", c->noise_tau), GDL_EXP_NUM("coord_clip", c->coord_clip),
      GDL_EXP_STR("purpose_init", c->purpose_init), GDL_EXP_STR("purpose_data", c->purpose_data),
      GDL_EXP_STR("purpose_group", c->purpose_group), GDL_EXP_STR("purpose_train", c->purpose_train),
      GDL_EXP_STR("purpose_noise", c->purpose_noise)};
  return gdl_exp_json_fields(j, GDL_EXP_COUNT(f), f);
}

int eq1_config_json(const void *cfg, gdl_json *j) {
  const eq1_config *c = cfg;
  GDL_TRY(gdl_json_str(j, "setup", eq_setup_name(c->setup)));
  GDL_TRY(gdl_json_str(j, "algo", eq_algo_name(c->algo)));
  GDL_TRY(gdl_json_int(j, "depth", (long long)c->depth));
  GDL_TRY(eq1_params_json(c, j));
  return gdl_json_int(j, "index", (long long)c->index);
}

/* online sampler wrapper: draws (x, y) from the base sampler, then x -> g x (y unchanged) */
typedef struct {
  gdl_domain_sampler base;
  const gdl_group_elem *g; /* NULL: identity (run A) */
  double *tmp;             /* batch x n */
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
  const gdl_group_elem *g; /* NULL: run A */
  const gdl_net *net;
} eq_noise;

static int eq_noise_fn(void *ctx, size_t step, size_t P, double *z) {
  (void)step;
  eq_noise *e = ctx;
  gdl_rng_gaussian(e->r, e->tau, P, z);
  if (e->g) return gdl_group_act_params(e->g, e->net, z);
  return GDL_OK;
}

static int eq_domain(const eq1_config *c, gdl_domain *d) {
  switch (c->setup) {
    case EQ_CUBE_BN: return gdl_domain_cube(c->n, d);
    case EQ_GAUSS_OD: return gdl_domain_gaussian(c->n, d);
    default: return gdl_domain_sphere(c->n, d);
  }
}

/* the algorithm's part of the training config and of the data (A and B) */
static int eq1_algo_config(const eq1_config *c, gdl_train_config *tc, gdl_data *dA, gdl_data *dB, eq_sampler *sA,
                           eq_sampler *sB) {
  switch (c->algo) {
    case EQ_GD: return GDL_OK;
    case EQ_SGD:
      tc->data = GDL_DATA_ONLINE;
      tc->batch = c->batch;
      dA->sample = dB->sample = eq_sample;
      dA->sample_ctx = sA;
      dB->sample_ctx = sB;
      return GDL_OK;
    case EQ_NOISY:
      tc->clip = GDL_CLIP_L2;
      tc->clip_value = c->l2_clip;
      return GDL_OK;
    case EQ_ADAM:
      tc->opt = GDL_OPT_ADAM;
      tc->lr = c->lr_adam;
      return GDL_OK;
    case EQ_COORDCLIP:
      tc->clip = GDL_CLIP_COORD;
      tc->clip_value = c->coord_clip;
      return GDL_OK;
    default: return gdl_fail(GDL_EINVAL, "eq1: unknown algorithm %d", (int)c->algo);
  }
}

/* net: depth-1 hidden layers of `width`, tanh (smooth: no ReLU kink whose side a rounding
 * error could flip, which Adam amplifies on near-zero second moments), biases */
static int eq1_net(const eq1_config *c, gsl_rng *rinit, gdl_net **out) {
  size_t hid[GDL_MAX_LAYERS];
  GDL_CHECK_ARG(c->depth >= 2 && c->depth <= GDL_MAX_LAYERS, "eq1: depth %zu out of range", c->depth);
  for (size_t l = 0; l + 1 < c->depth; l++) hid[l] = c->width;
  gdl_net_spec sp;
  GDL_TRY(gdl_net_spec_mlp(&sp, c->n, c->depth - 1, hid, 1, GDL_ACT_TANH, 1));
  GDL_TRY(gdl_net_create(&sp, out));
  for (size_t l = 0; l < c->depth; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, c->bias_sd, 0, 0};
    GDL_TRY(gdl_net_init_layer(*out, l, w, b, rinit));
  }
  return GDL_OK;
}

int eq1_run(const eq1_config *c, uint64_t seed, double *err, double *maxerr) {
  GDL_CHECK_ARG(c != NULL, "eq1_run: config is NULL");
  if (maxerr) *maxerr = NAN;
  int rc = GDL_OK;
  const uint64_t idx = c->index;
  gsl_rng *rinit = NULL, *rdat = NULL, *rg = NULL, *rA = NULL, *rB = NULL, *nA = NULL, *nB = NULL;
  gdl_net *A = NULL, *B = NULL;
  gdl_trainer *tA = NULL, *tB = NULL;
  gdl_target *tgt = NULL;
  gdl_group_elem *g = NULL;
  double *X = NULL, *XB = NULL, *Y = NULL, *Xt = NULL, *XtB = NULL, *fA = NULL, *fB = NULL, *tmp = NULL;
  gdl_domain dom;
  GDL_TRY_CLEANUP(eq_domain(c, &dom));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_init, idx, &rinit));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_data, idx, &rdat));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_group, idx, &rg));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_train, idx, &rA));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_train, idx, &rB));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_noise, idx, &nA));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_noise, idx, &nB));
  GDL_TRY_CLEANUP(eq1_net(c, rinit, &A));
  GDL_TRY_CLEANUP(gdl_group_elem_alloc(c->setup == EQ_CUBE_BN ? GDL_GROUP_BN : GDL_GROUP_OD, c->n, &g));
  GDL_TRY_CLEANUP(gdl_group_random(g, rg));
  GDL_TRY_CLEANUP(gdl_net_clone(A, &B));
  GDL_TRY_CLEANUP(gdl_group_act_net(g, B));
  GDL_TRY_CLEANUP(gdl_target_poly(c->target, &tgt));
  const size_t n = c->n, m = c->m, nt = c->ntest;
  X = malloc(m * n * sizeof *X);
  XB = malloc(m * n * sizeof *XB);
  Y = malloc(m * sizeof *Y);
  Xt = malloc(nt * n * sizeof *Xt);
  XtB = malloc(nt * n * sizeof *XtB);
  fA = malloc(nt * sizeof *fA);
  fB = malloc(nt * sizeof *fB);
  tmp = malloc(c->batch * n * sizeof *tmp);
  if (!X || !XB || !Y || !Xt || !XtB || !fA || !fB || !tmp) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "eq1: out of memory"));
  GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rdat, m, X, NULL));
  GDL_TRY_CLEANUP(gdl_target_eval(tgt, &dom, m, X, NULL, Y));
  GDL_TRY_CLEANUP(gdl_group_act_inputs(g, m, X, XB));
  GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rdat, nt, Xt, NULL));
  GDL_TRY_CLEANUP(gdl_group_act_inputs(g, nt, Xt, XtB));
  eq_sampler sA = {{&dom, tgt, 0.0}, NULL, NULL}, sB = {{&dom, tgt, 0.0}, g, tmp};
  eq_noise zA = {nA, c->noise_tau, NULL, A}, zB = {nB, c->noise_tau, g, B};
  gdl_train_config tc;
  gdl_train_config_default(&tc);
  tc.loss = GDL_LOSS_SQUARED;
  tc.steps = c->steps;
  tc.lr = c->lr;
  tc.data = GDL_DATA_POPULATION;
  gdl_data dA = {0}, dB = {0};
  dA.m = dB.m = m;
  dA.X = X;
  dB.X = XB;
  dA.Y = dB.Y = Y;
  GDL_TRY_CLEANUP(eq1_algo_config(c, &tc, &dA, &dB, &sA, &sB));
  gdl_train_config tcA = tc, tcB = tc;
  if (c->algo == EQ_NOISY) {
    tcA.noise = eq_noise_fn;
    tcA.noise_ctx = &zA;
    tcB.noise = eq_noise_fn;
    tcB.noise_ctx = &zB;
  }
  GDL_TRY_CLEANUP(gdl_trainer_create(A, &tcA, &dA, rA, &tA));
  GDL_TRY_CLEANUP(gdl_trainer_create(B, &tcB, &dB, rB, &tB));
  double mx = 0;
  for (size_t t = 0; t < c->steps; t++) {
    GDL_TRY_CLEANUP(gdl_trainer_step(tA, NULL));
    GDL_TRY_CLEANUP(gdl_trainer_step(tB, NULL));
    GDL_TRY_CLEANUP(gdl_net_forward(A, nt, Xt, fA));
    GDL_TRY_CLEANUP(gdl_net_forward(B, nt, XtB, fB));
    double e;
    rc = gdl_equivariance_error(nt, fB, fA, &e);
    if (rc == GDL_EDIVERGED) {
      /* a non-finite output counts as failure of the step (the max over NaN could read 0) */
      e = INFINITY;
      rc = GDL_OK;
      gdl_clear_error();
    }
    if (rc != GDL_OK) goto cleanup;
    if (err) err[t] = e;
    mx = fmax(mx, e);
  }
  if (maxerr) *maxerr = mx;
cleanup:
  gdl_trainer_free(tA);
  gdl_trainer_free(tB);
  gdl_net_free(A);
  gdl_net_free(B);
  gdl_target_free(tgt);
  gdl_group_elem_free(g);
  GDL_FREE_ALL(X, XB, Y, Xt, XtB, fA, fB, tmp);
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
const char *eq2_init_name(eq2_init i) {
  static const char *n[] = {"gaussian", "rademacher", "uniform01", "hand-placed"};
  return (unsigned)i < EQ2_NINITS ? n[i] : "?";
}

const char *eq2_group_name(gdl_group_kind g) {
  static const char *n[] = {"S_n", "B_n", "O(d)"};
  return (unsigned)g < 3 ? n[g] : "?";
}

void eq2_config_case(eq2_config *c, size_t k) {
  static const struct {
    eq2_init i;
    gdl_group_kind g;
    int eq;
  } cases[EQ2_NCASES] = {{EQ2_GAUSS, GDL_GROUP_OD, 1},      {EQ2_GAUSS, GDL_GROUP_BN, 1},
                         {EQ2_RADEMACHER, GDL_GROUP_BN, 1}, {EQ2_UNIFORM01, GDL_GROUP_SN, 1},
                         {EQ2_RADEMACHER, GDL_GROUP_OD, 0}, {EQ2_UNIFORM01, GDL_GROUP_BN, 0},
                         {EQ2_HAND, GDL_GROUP_SN, 0},       {EQ2_GAUSS, GDL_GROUP_SN, 1}};
  if (k >= EQ2_NCASES) k = 0;
  *c = (eq2_config){.init = cases[k].i, .group = cases[k].g, .expect_equal = cases[k].eq,
                    .d = 16, .hidden = 2, .bias_sd = 0.1, .hand_k = 3, .m = 5000, .purpose = "eq2"};
}

int eq2_config_json(const void *cfg, gdl_json *j) {
  const eq2_config *c = cfg;
  GDL_TRY(gdl_json_str(j, "init", eq2_init_name(c->init)));
  GDL_TRY(gdl_json_str(j, "group", eq2_group_name(c->group)));
  GDL_TRY(gdl_json_bool(j, "expect_equal", c->expect_equal));
  GDL_TRY(gdl_json_int(j, "d", (long long)c->d));
  GDL_TRY(gdl_json_int(j, "hidden", (long long)c->hidden));
  GDL_TRY(gdl_json_num(j, "bias_sd", c->bias_sd));
  GDL_TRY(gdl_json_int(j, "hand_k", (long long)c->hand_k));
  GDL_TRY(gdl_json_int(j, "m", (long long)c->m));
  return gdl_json_str(j, "purpose", c->purpose);
}

/* Depth-2 net d -> hidden -> 1, tanh, biases N(0, bias_sd^2), output weights 1 (the law of the
 * first layer shows through; a wide random readout would average it into a near-Gaussian). */
static int eq2_eval(const eq2_config *c, int transformed, gsl_rng *r, gdl_net *net, gdl_group_elem *g, double *x,
                    double *gx, double *f) {
  const size_t d = c->d;
  const double sd = 1.0 / sqrt((double)d);
  gdl_init b = {GDL_INIT_GAUSSIAN, c->bias_sd, 0, 0}, one = {GDL_INIT_CONST, 1.0, 0, 0}, zero = {GDL_INIT_ZERO, 0, 0, 0};
  gdl_init w;
  switch (c->init) {
    case EQ2_GAUSS: w = (gdl_init){GDL_INIT_GAUSSIAN, sd, 0, 0}; break;
    case EQ2_RADEMACHER: w = (gdl_init){GDL_INIT_RADEMACHER, sd, 0, 0}; break;
    case EQ2_UNIFORM01: w = (gdl_init){GDL_INIT_UNIFORM, 0, 0.0, sd}; break;
    default: w = (gdl_init){GDL_INIT_ZERO, 0, 0, 0};
  }
  GDL_TRY(gdl_net_init_layer(net, 0, w, b, r));
  if (c->init == EQ2_HAND) {
    size_t S[16];
    GDL_CHECK_ARG(c->hand_k >= 1 && c->hand_k <= 16 && c->hand_k <= d, "eq2: hand_k %zu out of range", c->hand_k);
    for (size_t i = 0; i < c->hand_k; i++) S[i] = i;
    GDL_TRY(gdl_net_init_first_layer_on(net, c->hand_k, S, 1.0 / sqrt((double)c->hand_k), r));
  }
  GDL_TRY(gdl_net_init_layer(net, 1, one, zero, r));
  memset(x, 0, d * sizeof *x);
  x[0] = sqrt((double)d);
  const double *in = x;
  if (transformed) {
    GDL_TRY(gdl_group_random(g, r));
    GDL_TRY(gdl_group_act_inputs(g, 1, x, gx));
    in = gx;
  }
  return gdl_net_forward(net, 1, in, f);
}

int eq2_run(const eq2_config *c, uint64_t seed, double *s1, double *s2, eq2_result *res) {
  GDL_CHECK_ARG(c && res && c->m >= 1 && c->d >= 1, "eq2_run: bad arguments");
  char purpose[64];
  snprintf(purpose, sizeof purpose, "%s.%d.%d", c->purpose, (int)c->init, (int)c->group);
  const size_t M = c->m;
  double *buf = malloc(2 * M * sizeof *buf);
  if (!buf) return gdl_fail(GDL_ENOMEM, "eq2: out of memory");
  int rc = GDL_OK;
  const long long n2 = (long long)(2 * M);
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel
#endif
  {
    gdl_net_spec sp;
    size_t h = c->hidden;
    gdl_net *net = NULL;
    gdl_group_elem *g = NULL;
    double *x = malloc(2 * c->d * sizeof *x);
    int ok = x && gdl_net_spec_mlp(&sp, c->d, 1, &h, 1, GDL_ACT_TANH, 1) == GDL_OK &&
             gdl_net_create(&sp, &net) == GDL_OK && gdl_group_elem_alloc(c->group, c->d, &g) == GDL_OK;
#ifdef GDL_HAVE_OPENMP
#pragma omp for schedule(static)
#endif
    for (long long q = 0; q < n2; q++) {
      size_t i = (size_t)q;
      gsl_rng *r = NULL;
      double f = NAN;
      if (ok && gdl_rng_alloc(seed, purpose, i, &r) == GDL_OK &&
          eq2_eval(c, i >= M, r, net, g, x, x + c->d, &f) != GDL_OK)
        f = NAN;
      gdl_rng_free(r);
      buf[i] = f;
    }
    if (!ok) {
#ifdef GDL_HAVE_OPENMP
#pragma omp critical(eq2_run)
#endif
      rc = gdl_fail(GDL_ENOMEM, "eq2: could not create a net");
    }
    free(x);
    gdl_net_free(net);
    gdl_group_elem_free(g);
  }
  res->D = res->p = NAN;
  res->nonfinite = 0;
  for (size_t i = 0; i < 2 * M; i++) res->nonfinite += !isfinite(buf[i]);
  if (rc == GDL_OK && res->nonfinite == 0) rc = gdl_ks2(M, buf, M, buf + M, &res->D, &res->p);
  if (s1) memcpy(s1, buf, M * sizeof *buf);
  if (s2) memcpy(s2, buf + M, M * sizeof *buf);
  free(buf);
  return rc;
}

/* ---------------- EQ3 ---------------- */
void eq3_config_default(eq3_config *c, int hand, size_t t0, uint64_t run) {
  *c = (eq3_config){
      .n = 20, .k = 2, .t0 = t0, .hand = hand,
      .hidden = 64, .w0_sd = 1.0 / sqrt(20.0),
      /* the twin's pre-activation w.x at every cube point has the FCN's law N(0, 1): k entries
       * N(0, 1/k) instead of n entries N(0, 1/n); only the support differs */
      .hand_scale = 1.0 / sqrt(2.0), .b0_sd = 0.5,
      .lr = 0.05, .batch = 32, .steps = 300, .ntest = 4096,
      .purpose_init_prefix = "eq3", .purpose_train = "eq3.train", .purpose_test = "eq3.test", .index = run};
}

int eq3_sym_test(size_t N, const double *a, const double *b, double shift, double *T) {
  GDL_CHECK_ARG(N >= 1 && a && b && T, "eq3_sym_test: bad arguments");
  double s = 0, s2 = 0;
  for (size_t i = 0; i < N; i++) {
    double d = a[i] - b[i] + shift;
    if (!isfinite(d)) return gdl_fail(GDL_EDIVERGED, "eq3_sym_test: value %zu is not finite", i);
    s += d;
    s2 += d * d;
  }
  *T = s2 > 0 ? s / sqrt(s2) : 0.0;
  return GDL_OK;
}

double eq3_sym_threshold(double alpha) { return sqrt(2.0 * log(2.0 / alpha)); }

int eq3_config_json(const void *cfg, gdl_json *j) {
  const eq3_config *c = cfg;
  const gdl_exp_field f[] = {
      GDL_EXP_INT("n", c->n), GDL_EXP_INT("k", c->k), GDL_EXP_INT("t0", c->t0), GDL_EXP_BOOL("hand", c->hand),
      GDL_EXP_NUM("hand_scale", c->hand_scale), GDL_EXP_INT("hidden", c->hidden), GDL_EXP_STR("activation", "relu"),
      GDL_EXP_NUM("w0_sd", c->w0_sd), GDL_EXP_NUM("b0_sd", c->b0_sd),
      GDL_EXP_NUM("lr", c->lr), GDL_EXP_INT("batch", c->batch), GDL_EXP_INT("steps", c->steps),
      GDL_EXP_INT("ntest", c->ntest),
      GDL_EXP_STR("purpose_init_prefix", c->purpose_init_prefix), GDL_EXP_STR("purpose_train", c->purpose_train),
      GDL_EXP_STR("purpose_test", c->purpose_test)};
  return gdl_exp_json_fields(j, GDL_EXP_COUNT(f), f);
}

/* Train on chi_T from the cube, online SGD; final correlation E[f chi_T] on a fresh test
 * sample drawn per run (so the law is exactly invariant). */
int eq3_run(const eq3_config *c, uint64_t seed, double *corr) {
  GDL_CHECK_ARG(c && corr && c->k >= 1 && c->k <= 16 && c->t0 + c->k <= c->n, "eq3_run: bad arguments");
  GDL_CHECK_ARG(c->index < 500, "eq3_run: run index %llu >= 500 would share streams", (unsigned long long)c->index);
  *corr = NAN;
  int rc = GDL_OK;
  gsl_rng *ri = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gdl_target *tgt = NULL;
  gdl_domain dom;
  double *X = NULL, *y = NULL;
  const size_t nt = c->ntest, hidden = c->hidden;
  char poly[256] = "", pur[64];
  for (size_t i = 0; i < c->k; i++) {
    size_t l = strlen(poly);
    snprintf(poly + l, sizeof poly - l, "%sx%zu", i ? "*" : "", c->t0 + i + 1);
  }
  snprintf(pur, sizeof pur, "%s.%d.%zu", c->purpose_init_prefix, c->hand, c->t0);
  const uint64_t sidx = 1000 * (uint64_t)c->t0 + c->index + (c->hand ? 500 : 0);
  GDL_TRY_CLEANUP(gdl_domain_cube(c->n, &dom));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, c->index, &ri));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_train, sidx, &rt));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, c->purpose_test, sidx, &rs));
  gdl_net_spec sp;
  GDL_TRY_CLEANUP(gdl_net_spec_mlp(&sp, c->n, 1, &hidden, 1, GDL_ACT_RELU, 1));
  GDL_TRY_CLEANUP(gdl_net_create(&sp, &net));
  gdl_init w0 = {GDL_INIT_GAUSSIAN, c->w0_sd, 0, 0}, b0 = {GDL_INIT_GAUSSIAN, c->b0_sd, 0, 0};
  gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)hidden), 0, 0}, z = {GDL_INIT_ZERO, 0, 0, 0};
  GDL_TRY_CLEANUP(gdl_net_init_layer(net, 0, w0, b0, ri));
  if (c->hand) {
    size_t S[16];
    for (size_t i = 0; i < c->k; i++) S[i] = i; /* the learner "sees" S = {x1, ..., xk} */
    GDL_TRY_CLEANUP(gdl_net_init_first_layer_on(net, c->k, S, c->hand_scale, ri));
  }
  GDL_TRY_CLEANUP(gdl_net_init_layer(net, 1, w1, z, ri));
  GDL_TRY_CLEANUP(gdl_target_poly(poly, &tgt));
  gdl_domain_sampler smp = {&dom, tgt, 0.0};
  gdl_train_config tc = gdl_exp_train_config(GDL_OPT_GD, c->lr, GDL_DATA_ONLINE, c->batch, c->steps);
  gdl_data d = {0};
  d.sample = gdl_sampler_domain_target;
  d.sample_ctx = &smp;
  GDL_TRY_CLEANUP(gdl_trainer_create(net, &tc, &d, rt, &tr));
  GDL_TRY_CLEANUP(gdl_trainer_run(tr));
  X = malloc(nt * c->n * sizeof *X);
  y = malloc(nt * sizeof *y);
  if (!X || !y) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "eq3: out of memory"));
  GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rs, nt, X, NULL));
  GDL_TRY_CLEANUP(gdl_target_eval(tgt, &dom, nt, X, NULL, y));
  gdl_metrics m;
  GDL_TRY_CLEANUP(gdl_net_metrics(net, nt, X, y, NULL, &m));
  *corr = m.corr;
cleanup:
  GDL_FREE_ALL(X, y);
  gdl_trainer_free(tr);
  gdl_target_free(tgt);
  gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

/* ---------------- the family's sweep ---------------- */
void equivariance_config_default(equivariance_config *c) {
  *c = (equivariance_config){.eq1_steps = 300, .eq3_runs = 100, .eq3_runs_hand = 64,
                              /* chi_S, S = {1, 2}; chi_pi(S), pi(S) = {19, 20}: the last coordinates,
                               * where off-by-one errors live */
                              .eq3_t0 = {0, 18}};
}

int equivariance_config_json(const void *cfg, gdl_json *j) {
  const equivariance_config *c = cfg;
  eq1_config e1;
  eq1_config_default(&e1, EQ_CUBE_BN, EQ_GD, 2);
  e1.steps = c->eq1_steps;
  GDL_TRY(gdl_json_begin(j, "eq1"));
  GDL_TRY(gdl_json_begin_list(j, "setups"));
  for (int s = 0; s < EQ_NSETUPS; s++) GDL_TRY(gdl_json_str(j, NULL, eq_setup_name((eq_setup)s)));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin_list(j, "algos"));
  for (int a = 0; a < EQ_NALGOS; a++) GDL_TRY(gdl_json_str(j, NULL, eq_algo_name((eq_algo)a)));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin_list(j, "depths"));
  for (int d = 0; d < EQ1_NDEPTHS; d++) GDL_TRY(gdl_json_int(j, NULL, 2 + d));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_str(j, "stream_index", "1000 setup + 10 algo + depth - 2"));
  GDL_TRY(eq1_params_json(&e1, j));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin_list(j, "eq2"));
  for (size_t k = 0; k < EQ2_NCASES; k++) {
    eq2_config e2;
    eq2_config_case(&e2, k);
    GDL_TRY(gdl_json_begin(j, NULL));
    GDL_TRY(eq2_config_json(&e2, j));
    GDL_TRY(gdl_json_end(j));
  }
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin(j, "eq3"));
  GDL_TRY(gdl_json_int(j, "runs", (long long)c->eq3_runs));
  GDL_TRY(gdl_json_int(j, "runs_hand", (long long)c->eq3_runs_hand));
  GDL_TRY(gdl_json_int(j, "t0_S", (long long)c->eq3_t0[0]));
  GDL_TRY(gdl_json_int(j, "t0_piS", (long long)c->eq3_t0[1]));
  for (int hand = 0; hand < 2; hand++) {
    eq3_config e3;
    eq3_config_default(&e3, hand, c->eq3_t0[0], 0);
    GDL_TRY(gdl_json_begin(j, hand ? "hand_placed" : "fcn"));
    GDL_TRY(eq3_config_json(&e3, j));
    GDL_TRY(gdl_json_end(j));
  }
  return gdl_json_end(j);
}

#define EQ1_NPOINTS ((size_t)EQ_NSETUPS * EQ_NALGOS * EQ1_NDEPTHS)

size_t equivariance_npoints(const equivariance_config *c) {
  (void)c;
  return EQ1_NPOINTS + EQ2_NCASES + 4;
}

eq_point_kind equivariance_point_kind(const equivariance_config *c, size_t i, size_t *sub) {
  (void)c;
  if (i < EQ1_NPOINTS) {
    *sub = i;
    return EQ_POINT_EQ1;
  }
  if (i < EQ1_NPOINTS + EQ2_NCASES) {
    *sub = i - EQ1_NPOINTS;
    return EQ_POINT_EQ2;
  }
  *sub = i - EQ1_NPOINTS - EQ2_NCASES;
  return EQ_POINT_EQ3;
}

size_t equivariance_point_index(eq_point_kind kind, size_t sub) {
  switch (kind) {
    case EQ_POINT_EQ1: return sub;
    case EQ_POINT_EQ2: return EQ1_NPOINTS + sub;
    default: return EQ1_NPOINTS + EQ2_NCASES + sub;
  }
}

void eq1_point_config(const equivariance_config *c, size_t sub, eq1_config *out) {
  size_t s = sub / (EQ_NALGOS * EQ1_NDEPTHS), a = (sub / EQ1_NDEPTHS) % EQ_NALGOS, dep = sub % EQ1_NDEPTHS + 2;
  eq1_config_default(out, (eq_setup)s, (eq_algo)a, dep);
  out->steps = c->eq1_steps;
}

void eq3_point_learner(size_t sub, int *hand, int *target) {
  *hand = (int)(sub / 2);
  *target = (int)(sub % 2);
}

static int eq1_point(const equivariance_config *c, uint64_t seed, size_t sub, const char *path) {
  eq1_config e;
  eq1_point_config(c, sub, &e);
  static const char *const cols[] = {"setup", "algo", "depth", "step", "err"};
  int rc = GDL_OK;
  double mx, *err = malloc(e.steps * sizeof *err), *rows = malloc(e.steps * 5 * sizeof *rows);
  if (!err || !rows) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "eq1 point: out of memory"));
  GDL_TRY_CLEANUP(eq1_run(&e, seed, err, &mx));
  for (size_t t = 0; t < e.steps; t++) {
    double *row = rows + 5 * t;
    row[0] = (double)e.setup;
    row[1] = (double)e.algo;
    row[2] = (double)e.depth;
    row[3] = (double)(t + 1);
    row[4] = err[t];
  }
  rc = gdl_csv_write(path, 5, cols, e.steps, rows);
cleanup:
  GDL_FREE_ALL(err, rows);
  return rc;
}

static int eq2_point(uint64_t seed, size_t k, const char *path) {
  eq2_config e;
  eq2_config_case(&e, k);
  eq2_result r;
  GDL_TRY(eq2_run(&e, seed, NULL, NULL, &r));
  static const char *const cols[] = {"case", "init", "group", "expect_equal", "D", "p", "nonfinite"};
  double row[7] = {(double)k, (double)e.init, (double)e.group, (double)e.expect_equal, r.D, r.p, (double)r.nonfinite};
  return gdl_csv_write(path, 7, cols, 1, row);
}

static int eq3_point(const equivariance_config *c, uint64_t seed, size_t sub, const char *path) {
  int hand, target;
  eq3_point_learner(sub, &hand, &target);
  const size_t R = hand ? c->eq3_runs_hand : c->eq3_runs;
  static const char *const cols[] = {"hand", "target", "run", "corr"};
  double *rows = malloc(R * 4 * sizeof *rows);
  if (!rows) return gdl_fail(GDL_ENOMEM, "eq3 point: out of memory");
  int rc = GDL_OK;
  for (size_t r = 0; r < R; r++) {
    eq3_config e;
    eq3_config_default(&e, hand, c->eq3_t0[target], r);
    double *row = rows + 4 * r;
    row[0] = (double)hand;
    row[1] = (double)target;
    row[2] = (double)r;
    GDL_TRY_CLEANUP(eq3_run(&e, seed, &row[3]));
  }
  rc = gdl_csv_write(path, 4, cols, R, rows);
cleanup:
  free(rows);
  return rc;
}

int equivariance_point(void *ctx, gdl_sweep *s, size_t i) {
  const equivariance_sweep_ctx *x = ctx;
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  size_t sub;
  switch (equivariance_point_kind(&x->cfg, i, &sub)) {
    case EQ_POINT_EQ1: return eq1_point(&x->cfg, x->seed, sub, path);
    case EQ_POINT_EQ2: return eq2_point(x->seed, sub, path);
    default: return eq3_point(&x->cfg, x->seed, sub, path);
  }
}
