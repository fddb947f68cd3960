/* theorems/staircase_run.h: the training runs of claim MS, shared by the theorem test
 * (theorems/staircase.c) and the sweep (benchmarks/staircase.c) so both measure exactly
 * the same thing. Header-only (static functions); it prints nothing.
 *
 * One run = online SGD (one fresh uniform point of {-1,+1}^d per step, squared loss
 * 1/2 (f - y)^2) on a polynomial target, with
 *   MS_NET_MEANFIELD2: f(x) = (1/N) sum_j a_j relu(w_j.x + b_j), N hidden units,
 *       w_j ~ N(0, I/d), b_j ~ N(0, 1/4), a_j ~ N(0, 1), no output bias.
 *       Step size: "0.5/d on all parameters" in the mean-field convention, i.e. every
 *       particle (a_j, w_j, b_j) moves by -(lr_mf/d) * N * grad_{theta_j} loss (the
 *       per-particle gradient of a 1/N-scaled net is O(1/N)); in the trainer that is
 *       lr = lr_mf * N / d on the raw gradient. Calibration: with the raw convention
 *       (lr = 0.5/d) the staircase at d = 32 is not learned in 20 000 steps (FVU 0.44);
 *       with the mean-field convention it hits FVU < 0.1 at 4 800 steps, as in CLAIMS.md.
 *   MS_NET_STANDARD3: depth 3 (two hidden ReLU layers of `width`), standard scaling
 *       (out_scale 1, W_l ~ N(0, 1/fan_in), biases 0), all layers trained, lr = lr_std.
 *       Optionally the first layer is hand-placed on given coordinates (the
 *       non-equivariant control learner).
 * The test error is measured on `ntest` fresh points (own stream) every eval_every steps
 * against the exact Var(y) = sum of squared non-constant coefficients; the hitting time
 * is the first evaluation step with MSE < hit_fvu * Var(y). Every track_every steps the
 * mean over units of |W0[j, i]| is recorded for the first ntrack coordinates and for the
 * bulk (mean over coordinates i >= ntrack). */
#ifndef GDL_STAIRCASE_RUN_H
#define GDL_STAIRCASE_RUN_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "gdl/gdl.h"

typedef enum { MS_NET_MEANFIELD2 = 0, MS_NET_STANDARD3 } ms_net_kind;

typedef struct {
  const char *target;     /* polynomial text, e.g. "x1 + x1*x2" */
  ms_net_kind net;
  size_t d, width;        /* input dimension, hidden units per layer */
  double lr_mf;           /* MEANFIELD2: step lr_mf/d per particle (0.5) */
  double lr_std;          /* STANDARD3: raw step */
  int lr_decay;           /* 1: step decays linearly to 0 over the budget (GDL_SCHED_LINEAR) */
  size_t nhand;           /* STANDARD3: > 0: first layer hand-placed on hand[0..nhand-1] */
  const size_t *hand;
  size_t budget;          /* maximal number of steps */
  size_t eval_every;      /* steps between test evaluations (5d) */
  size_t track_every;     /* steps between weight snapshots (0 = none) */
  size_t ntrack;          /* coordinates tracked individually */
  size_t ntest;           /* test points (1000) */
  double hit_fvu;         /* 0.1 */
  int stop_at_hit;        /* stop at the hitting time */
  uint64_t seed;          /* base seed */
  const char *purpose;    /* stream name; runs differ by (purpose, index) */
  uint64_t index;
} ms_run_cfg;

typedef struct {
  size_t hit;             /* hitting time in steps, 0 if not hit within the budget */
  size_t steps;           /* steps done */
  double var_y;           /* exact Var(y) */
  double fvu_last;        /* MSE / Var(y) at the last evaluation */
  size_t n_eval, cap_eval;
  size_t *eval_step;
  double *eval_fvu;
  size_t n_track, cap_track;
  size_t *track_step;     /* snapshot k at track_step[k] (k = 0: initialisation) */
  double *track_w;        /* n_track x (ntrack + 1): mean_j |W0[j,i]|, i < ntrack, then bulk */
  gdl_net *net;           /* the trained net (owned; freed by ms_run_free) */
} ms_run_result;

static inline void ms_run_default(ms_run_cfg *c) {
  memset(c, 0, sizeof *c);
  c->net = MS_NET_MEANFIELD2;
  c->width = 64;
  c->lr_mf = 0.5;
  c->ntest = 1000;
  c->hit_fvu = 0.1;
  c->stop_at_hit = 1;
  c->purpose = "ms";
}

static inline void ms_run_free(ms_run_result *r) {
  if (!r) return;
  free(r->eval_step);
  free(r->eval_fvu);
  free(r->track_step);
  free(r->track_w);
  gdl_net_free(r->net);
  memset(r, 0, sizeof *r);
}

/* Uniform points of {-1,+1}^d (32 bits per mt19937 draw) and their labels. */
typedef struct {
  size_t d;
  const gdl_poly *p;
} ms_cube_sampler;

static inline void ms_fill_cube(gsl_rng *r, size_t n, double *X) {
  size_t i = 0;
  while (i < n) {
    unsigned long b = gsl_rng_get(r);
    for (int k = 0; k < 32 && i < n; k++, i++) X[i] = (b >> k & 1UL) ? -1.0 : 1.0;
  }
}

static inline int ms_cube_sample(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  const ms_cube_sampler *s = ctx;
  ms_fill_cube(r, m * s->d, X);
  return gdl_poly_eval(s->p, m, X, s->d, Y);
}

/* Exact variance of a multilinear polynomial with distinct monomials under the uniform law. */
static inline double ms_poly_var(const gdl_poly *p) {
  double v = 0;
  for (size_t t = 0; t < p->nterms; t++)
    if (p->terms[t].deg > 0) v += p->terms[t].coef * p->terms[t].coef;
  return v;
}

typedef struct {
  const ms_run_cfg *cfg;
  ms_run_result *res;
  const double *Xt, *yt;
  double *ft;
} ms_cb_ctx;

static inline void ms_snapshot(const ms_run_cfg *c, ms_run_result *res, gdl_net *net, size_t step) {
  if (res->n_track >= res->cap_track) return;
  size_t d = c->d, H = net->spec.width[1], K = c->ntrack;
  const double *W = net->params + net->w_off[0];
  double *row = res->track_w + res->n_track * (K + 1);
  for (size_t i = 0; i <= K; i++) row[i] = 0;
  for (size_t j = 0; j < H; j++) {
    const double *w = W + j * d;
    for (size_t i = 0; i < K; i++) row[i] += fabs(w[i]);
    for (size_t i = K; i < d; i++) row[K] += fabs(w[i]);
  }
  for (size_t i = 0; i < K; i++) row[i] /= (double)H;
  row[K] /= (double)H * (double)(d - K);
  res->track_step[res->n_track++] = step;
}

static inline int ms_callback(void *ctx, gdl_trainer *tr, size_t step, double loss) {
  (void)loss;
  ms_cb_ctx *c = ctx;
  const ms_run_cfg *cfg = c->cfg;
  ms_run_result *res = c->res;
  gdl_net *net = gdl_trainer_net(tr);
  if (cfg->track_every && step % cfg->track_every == 0) ms_snapshot(cfg, res, net, step);
  if (step % cfg->eval_every == 0) {
    int rc = gdl_net_forward(net, cfg->ntest, c->Xt, c->ft);
    if (rc != GDL_OK) return rc;
    double mse = 0;
    for (size_t i = 0; i < cfg->ntest; i++) {
      double e = c->ft[i] - c->yt[i];
      mse += e * e;
    }
    mse /= (double)cfg->ntest;
    double fvu = mse / res->var_y;
    if (!isfinite(fvu)) return gdl_fail(GDL_EDIVERGED, "ms run: test error not finite at step %zu", step);
    res->fvu_last = fvu;
    if (res->n_eval < res->cap_eval) {
      res->eval_step[res->n_eval] = step;
      res->eval_fvu[res->n_eval] = fvu;
      res->n_eval++;
    }
    if (!res->hit && fvu < cfg->hit_fvu) {
      res->hit = step;
      if (cfg->stop_at_hit) return 1;
    }
  }
  return 0;
}

/* One run. Returns a gdl status; on success *res holds the result (free with ms_run_free). */
static inline int ms_run(const ms_run_cfg *c, ms_run_result *res) {
  memset(res, 0, sizeof *res);
  if (!c || !c->target || c->d < 1 || c->width < 1 || c->budget < 1 || c->eval_every < 1 ||
      c->ntest < 1 || (c->track_every && (c->eval_every % c->track_every || c->ntrack >= c->d)))
    return gdl_fail(GDL_EINVAL, "ms_run: bad configuration");
  int rc = GDL_OK;
  gdl_poly *p = NULL;
  gsl_rng *rinit = NULL, *rtrain = NULL, *rtest = NULL;
  gdl_trainer *tr = NULL;
  double *Xt = NULL, *yt = NULL, *ft = NULL;
  char purpose[128];
#define MS_TRY(e) do { rc = (e); if (rc != GDL_OK) goto done; } while (0)
  MS_TRY(gdl_poly_parse(c->target, &p));
  if (gdl_poly_nvars(p) > c->d) { rc = gdl_fail(GDL_EINVAL, "ms_run: target uses more than d variables"); goto done; }
  res->var_y = ms_poly_var(p);
  snprintf(purpose, sizeof purpose, "%s.init", c->purpose);
  MS_TRY(gdl_rng_alloc(c->seed, purpose, c->index, &rinit));
  snprintf(purpose, sizeof purpose, "%s.train", c->purpose);
  MS_TRY(gdl_rng_alloc(c->seed, purpose, c->index, &rtrain));
  snprintf(purpose, sizeof purpose, "%s.test", c->purpose);
  MS_TRY(gdl_rng_alloc(c->seed, purpose, c->index, &rtest));

  gdl_net_spec spec;
  size_t hidden[2] = {c->width, c->width};
  size_t nh = c->net == MS_NET_MEANFIELD2 ? 1 : 2;
  MS_TRY(gdl_net_spec_mlp(&spec, c->d, nh, hidden, 1, GDL_ACT_RELU, 1));
  if (c->net == MS_NET_MEANFIELD2) {
    spec.bias[1] = 0;
    spec.out_scale = 1.0 / (double)c->width;
  }
  MS_TRY(gdl_net_create(&spec, &res->net));
  MS_TRY(gdl_net_reserve(res->net, c->ntest));
  if (c->net == MS_NET_MEANFIELD2) {
    gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->d), 0, 0};
    gdl_init b0 = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
    gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0, 0, 0};
    gdl_init b1 = {GDL_INIT_ZERO, 0, 0, 0};
    MS_TRY(gdl_net_init_layer(res->net, 0, w0, b0, rinit));
    MS_TRY(gdl_net_init_layer(res->net, 1, w1, b1, rinit));
  } else {
    MS_TRY(gdl_net_init_default(res->net, rinit));
    if (c->nhand) MS_TRY(gdl_net_init_first_layer_on(res->net, c->nhand, c->hand, 1.0, rinit));
  }

  Xt = malloc(c->ntest * c->d * sizeof *Xt);
  yt = malloc(c->ntest * sizeof *yt);
  ft = malloc(c->ntest * sizeof *ft);
  res->cap_eval = c->budget / c->eval_every + 2;
  res->eval_step = malloc(res->cap_eval * sizeof *res->eval_step);
  res->eval_fvu = malloc(res->cap_eval * sizeof *res->eval_fvu);
  if (c->track_every) {
    res->cap_track = c->budget / c->track_every + 2;
    res->track_step = malloc(res->cap_track * sizeof *res->track_step);
    res->track_w = malloc(res->cap_track * (c->ntrack + 1) * sizeof *res->track_w);
  }
  if (!Xt || !yt || !ft || !res->eval_step || !res->eval_fvu ||
      (c->track_every && (!res->track_step || !res->track_w))) {
    rc = gdl_fail(GDL_ENOMEM, "ms_run: out of memory");
    goto done;
  }
  ms_fill_cube(rtest, c->ntest * c->d, Xt);
  MS_TRY(gdl_poly_eval(p, c->ntest, Xt, c->d, yt));
  if (c->track_every) ms_snapshot(c, res, res->net, 0);

  ms_cube_sampler smp = {c->d, p};
  gdl_data data;
  memset(&data, 0, sizeof data);
  data.sample = ms_cube_sample;
  data.sample_ctx = &smp;
  ms_cb_ctx cbx = {c, res, Xt, yt, ft};
  gdl_train_config tc;
  gdl_train_config_default(&tc);
  tc.loss = GDL_LOSS_SQUARED;
  tc.opt = GDL_OPT_GD;
  tc.data = GDL_DATA_ONLINE;
  tc.batch = 1;
  tc.steps = c->budget;
  if (c->lr_decay) tc.schedule = GDL_SCHED_LINEAR;
  tc.lr = c->net == MS_NET_MEANFIELD2 ? c->lr_mf * (double)c->width / (double)c->d : c->lr_std;
  tc.callback = ms_callback;
  tc.callback_ctx = &cbx;
  tc.callback_every = c->track_every ? c->track_every : c->eval_every;
  MS_TRY(gdl_trainer_create(res->net, &tc, &data, rtrain, &tr));
  MS_TRY(gdl_trainer_run(tr));
  res->steps = gdl_trainer_steps_done(tr);
done:
#undef MS_TRY
  gdl_trainer_free(tr);
  gdl_rng_free(rinit);
  gdl_rng_free(rtrain);
  gdl_rng_free(rtest);
  gdl_poly_free(p);
  free(Xt);
  free(yt);
  free(ft);
  if (rc != GDL_OK) ms_run_free(res);
  return rc;
}

/* Fourier coefficient fhat(S) = E_x f(x) chi_S(x) of a trained net on {-1,+1}^d, exact in
 * the coordinates of S and Monte Carlo over the others: with x = (x_S, x_R),
 * fhat(S) = E_{x_R} g(x_R), g(x_R) = 2^-k sum_{x_S} f(x_S, x_R) chi_S(x_S), estimated by the
 * mean of g over M draws of x_R, with its standard error. S: k <= 10 distinct 0-based
 * coordinates. */
static inline int ms_fourier_coef(gdl_net *net, size_t d, size_t k, const size_t *S, size_t M,
                           gsl_rng *r, double *mean, double *se) {
  if (!net || !S || k < 1 || k > 10 || M < 2 || !mean || !se)
    return gdl_fail(GDL_EINVAL, "ms_fourier_coef: bad argument");
  size_t K = (size_t)1 << k, chunk = 64;
  double *X = malloc(chunk * K * d * sizeof *X), *f = malloc(chunk * K * sizeof *f);
  double *g = malloc(M * sizeof *g);
  int rc = GDL_OK;
  if (!X || !f || !g) {
    rc = gdl_fail(GDL_ENOMEM, "ms_fourier_coef: out of memory");
    goto out;
  }
  for (size_t m0 = 0; m0 < M; m0 += chunk) {
    size_t mc = M - m0 < chunk ? M - m0 : chunk;
    for (size_t a = 0; a < mc; a++) {
      double *base = X + a * K * d;
      ms_fill_cube(r, d, base);
      for (size_t s = 0; s < K; s++) {
        double *row = base + s * d;
        if (s) memcpy(row, base, d * sizeof *row);
        for (size_t q = 0; q < k; q++) row[S[q]] = (s >> q & 1) ? -1.0 : 1.0;
      }
    }
    rc = gdl_net_forward(net, mc * K, X, f);
    if (rc != GDL_OK) goto out;
    for (size_t a = 0; a < mc; a++) {
      double acc = 0;
      for (size_t s = 0; s < K; s++) acc += (__builtin_popcountll((unsigned long long)s) & 1) ? -f[a * K + s] : f[a * K + s];
      g[m0 + a] = acc / (double)K;
    }
  }
  rc = gdl_mean_se(M, g, mean, se);
out:
  free(X);
  free(f);
  free(g);
  return rc;
}

/* First snapshot at which coordinate i's mean |weight| exceeds `factor` times the bulk
 * (the mean over the untracked coordinates at the same snapshot); 0 if never. */
static inline size_t ms_rise_time(const ms_run_result *r, size_t ntrack, size_t i, double factor) {
  for (size_t k = 0; k < r->n_track; k++) {
    const double *row = r->track_w + k * (ntrack + 1);
    if (row[i] > factor * row[ntrack]) return r->track_step[k];
  }
  return 0;
}

#endif
