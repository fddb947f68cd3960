/* experiments/staircase.c: the experiment of claim MS (see experiments/staircase.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiments/staircase.h"

static const char *const staircase_targets[4] = {STAIRCASE_TARGET_STAIRCASE, STAIRCASE_TARGET_LEAP3,
                                                 STAIRCASE_TARGET_LEAP2, STAIRCASE_TARGET_LEAP4};
static const char *const staircase_names[4] = {"staircase", "leap3", "leap2", "leap4"};

void staircase_config_default(staircase_config *c) {
  *c = (staircase_config){.target = STAIRCASE_TARGET_STAIRCASE, .net = STAIRCASE_NET_MEANFIELD2,
                           .d = 32, .width = 64,
                           .lr_mf = 0.5, .lr_std = 0.02, .hand_scale = 1.0,
                           .budget = 300 * 32, .eval_every = 5 * 32, .ntest = 1000,
                           .hit_fvu = 0.1, .stop_at_hit = 1,
                           .purpose = "ms"};
}

const char *staircase_target_name(int target) {
  return target >= 0 && target < 4 ? staircase_names[target] : "unknown";
}

void staircase_ms2_config(staircase_config *c, int target, size_t d, size_t rep, size_t cap_mult) {
  static const char *const purposes[4] = {"ms2.staircase", "ms2.leap3", "ms2.leap2", "ms2.leap4"};
  staircase_config_default(c);
  if (target < 0 || target > 3) target = 0;
  c->target = staircase_targets[target];
  c->d = d;
  c->budget = target == 0 ? 300 * d : (target == 3 ? 10 * d * d * d : cap_mult * d);
  c->eval_every = 5 * d;
  if (target == 3) c->lr_mf = STAIRCASE_LEAP4_STEP / (double)d; /* per particle: 2/d^2 */
  c->purpose = purposes[target];
  c->index = (uint64_t)d * 1000 + rep;
}

void staircase_sweep_config(staircase_config *c, int target, size_t d, size_t rep, size_t cap_mult) {
  staircase_ms2_config(c, target, d, rep, cap_mult);
  c->stop_at_hit = target != 0;
  c->track_every = d / 4 ? d / 4 : 1;
  c->ntrack = 4;
}

void staircase_ms3_config(staircase_config *c, int target, size_t d, size_t q) {
  staircase_config_default(c);
  c->target = target ? STAIRCASE_TARGET_LEAP3 : STAIRCASE_TARGET_STAIRCASE;
  c->d = d;
  c->budget = (target ? 3000 : 300) * d;
  c->eval_every = 5 * d;
  c->track_every = d / 4;
  c->ntrack = 4;
  c->purpose = "ms3";
  c->index = q;
}

void staircase_ms4_config(staircase_config *c, size_t d, int hand, double hand_scale, size_t rep) {
  static const size_t coords[4] = {0, 1, 2, 3};
  staircase_config_default(c);
  c->target = STAIRCASE_TARGET_MS4;
  c->net = STAIRCASE_NET_STANDARD3;
  c->d = d;
  c->width = 64;
  c->lr_std = 0.02;
  c->lr_decay = 1;
  c->budget = 100 * d;
  c->eval_every = 5 * d;
  c->stop_at_hit = 0;
  c->purpose = hand ? "ms4.hand" : "ms4.fcn";
  c->index = d == 128 ? rep : d * 1000 + rep; /* d = 128 keeps the streams of the one-d version */
  if (hand) {
    c->nhand = 4;
    c->hand = coords;
    c->hand_scale = hand_scale;
  }
}

int staircase_config_json(const void *cfg, gdl_json *j) {
  const staircase_config *c = cfg;
  GDL_CHECK_ARG(c && j, "staircase_config_json: NULL argument");
  GDL_TRY(gdl_json_str(j, "target", c->target ? c->target : ""));
  GDL_TRY(gdl_json_str(j, "net", c->net == STAIRCASE_NET_MEANFIELD2
                                      ? "meanfield2: f = (1/N) sum_j a_j relu(w_j.x + b_j), w ~ N(0,I/d), "
                                        "b ~ N(0,1/4), a ~ N(0,1), no output bias"
                                      : "standard3: d -> width -> width -> 1, ReLU, W_l ~ N(0,1/fan_in), "
                                        "biases 0, out_scale 1"));
  GDL_TRY(gdl_json_int(j, "d", (long long)c->d));
  GDL_TRY(gdl_json_int(j, "width", (long long)c->width));
  if (c->net == STAIRCASE_NET_MEANFIELD2) {
    GDL_TRY(gdl_json_num(j, "lr_mf", c->lr_mf));
    GDL_TRY(gdl_json_num(j, "trainer_lr", c->lr_mf * (double)c->width / (double)(c->d ? c->d : 1)));
  } else {
    GDL_TRY(gdl_json_num(j, "lr_std", c->lr_std));
  }
  GDL_TRY(gdl_json_bool(j, "lr_decay_linear", c->lr_decay));
  if (c->nhand) {
    double h[64];
    size_t n = c->nhand < 64 ? c->nhand : 64;
    for (size_t i = 0; i < n; i++) h[i] = (double)c->hand[i];
    GDL_TRY(gdl_json_nums(j, "hand_placed_coords", n, h));
    GDL_TRY(gdl_json_num(j, "hand_scale", c->hand_scale));
  }
  const gdl_exp_field f[] = {
      GDL_EXP_STR("training", "online SGD, batch 1, squared loss 1/2 (f - y)^2, x uniform on {-1,+1}^d"),
      GDL_EXP_INT("budget", c->budget), GDL_EXP_INT("eval_every", c->eval_every),
      GDL_EXP_INT("track_every", c->track_every), GDL_EXP_INT("ntrack", c->ntrack), GDL_EXP_INT("ntest", c->ntest),
      GDL_EXP_NUM("hit_fvu", c->hit_fvu), GDL_EXP_BOOL("stop_at_hit", c->stop_at_hit),
      GDL_EXP_STR("purpose", c->purpose ? c->purpose : ""), GDL_EXP_INT("index", c->index)};
  return gdl_exp_json_fields(j, GDL_EXP_COUNT(f), f);
}

void staircase_result_free(staircase_result *r) {
  if (!r) return;
  GDL_FREE_ALL(r->eval_step, r->eval_fvu, r->track_step, r->track_w);
  gdl_net_free(r->net);
  memset(r, 0, sizeof *r);
}

/* Uniform points of {-1,+1}^d (32 bits per mt19937 draw) and their labels. */
typedef struct {
  size_t d;
  const gdl_poly *p;
} cube_sampler;

static void fill_cube(gsl_rng *r, size_t n, double *X) {
  size_t i = 0;
  while (i < n) {
    unsigned long b = gsl_rng_get(r);
    for (int k = 0; k < 32 && i < n; k++, i++) X[i] = (b >> k & 1UL) ? -1.0 : 1.0;
  }
}

static int cube_sample(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  const cube_sampler *s = ctx;
  fill_cube(r, m * s->d, X);
  return gdl_poly_eval(s->p, m, X, s->d, Y);
}

/* Exact variance of a multilinear polynomial with distinct monomials under the uniform law. */
static double poly_var(const gdl_poly *p) {
  double v = 0;
  for (size_t t = 0; t < p->nterms; t++)
    if (p->terms[t].deg > 0) v += p->terms[t].coef * p->terms[t].coef;
  return v;
}

typedef struct {
  const staircase_config *cfg;
  staircase_result *res;
  const double *Xt, *yt;
  double *ft;
} cb_ctx;

static void snapshot(const staircase_config *c, staircase_result *res, gdl_net *net, size_t step) {
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

static int callback(void *ctx, gdl_trainer *tr, size_t step, double loss) {
  (void)loss;
  cb_ctx *c = ctx;
  const staircase_config *cfg = c->cfg;
  staircase_result *res = c->res;
  gdl_net *net = gdl_trainer_net(tr);
  if (cfg->track_every && step % cfg->track_every == 0) snapshot(cfg, res, net, step);
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
    if (!isfinite(fvu)) return gdl_fail(GDL_EDIVERGED, "staircase run: test error not finite at step %zu", step);
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

static int build_net(const staircase_config *c, gsl_rng *rinit, gdl_net **out) {
  gdl_net_spec spec;
  size_t hidden[2] = {c->width, c->width};
  size_t nh = c->net == STAIRCASE_NET_MEANFIELD2 ? 1 : 2;
  GDL_TRY(gdl_net_spec_mlp(&spec, c->d, nh, hidden, 1, GDL_ACT_RELU, 1));
  if (c->net == STAIRCASE_NET_MEANFIELD2) {
    spec.bias[1] = 0;
    spec.out_scale = 1.0 / (double)c->width;
  }
  GDL_TRY(gdl_net_create(&spec, out));
  int rc = gdl_net_reserve(*out, c->ntest);
  if (rc == GDL_OK && c->net == STAIRCASE_NET_MEANFIELD2) {
    gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)c->d), 0, 0};
    gdl_init b0 = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
    gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0, 0, 0};
    gdl_init b1 = {GDL_INIT_ZERO, 0, 0, 0};
    rc = gdl_net_init_layer(*out, 0, w0, b0, rinit);
    if (rc == GDL_OK) rc = gdl_net_init_layer(*out, 1, w1, b1, rinit);
  } else if (rc == GDL_OK) {
    rc = gdl_net_init_default(*out, rinit);
    if (rc == GDL_OK && c->nhand) rc = gdl_net_init_first_layer_on(*out, c->nhand, c->hand, c->hand_scale, rinit);
  }
  if (rc != GDL_OK) {
    gdl_net_free(*out);
    *out = NULL;
  }
  return rc;
}

static int bad_config(const staircase_config *c) {
  return !c || !c->target || c->d < 1 || c->width < 1 || c->budget < 1 || c->eval_every < 1 || c->ntest < 1 ||
         !c->purpose || (c->track_every && (c->eval_every % c->track_every || c->ntrack >= c->d));
}

int staircase_run(const staircase_config *c, uint64_t seed, staircase_result *res) {
  GDL_CHECK_ARG(res != NULL, "staircase_run: res is NULL");
  memset(res, 0, sizeof *res);
  if (bad_config(c)) return gdl_fail(GDL_EINVAL, "staircase_run: bad configuration");
  int rc = GDL_OK;
  gdl_poly *p = NULL;
  gsl_rng *rinit = NULL, *rtrain = NULL, *rtest = NULL;
  gdl_trainer *tr = NULL;
  double *Xt = NULL, *yt = NULL, *ft = NULL;
  char purpose[128];
  GDL_TRY_CLEANUP(gdl_poly_parse(c->target, &p));
  if (gdl_poly_nvars(p) > c->d) {
    rc = gdl_fail(GDL_EINVAL, "staircase_run: target uses more than d variables");
    goto cleanup;
  }
  res->var_y = poly_var(p);
  snprintf(purpose, sizeof purpose, "%s.init", c->purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, purpose, c->index, &rinit));
  snprintf(purpose, sizeof purpose, "%s.train", c->purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, purpose, c->index, &rtrain));
  snprintf(purpose, sizeof purpose, "%s.test", c->purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, purpose, c->index, &rtest));
  GDL_TRY_CLEANUP(build_net(c, rinit, &res->net));

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
    rc = gdl_fail(GDL_ENOMEM, "staircase_run: out of memory");
    goto cleanup;
  }
  fill_cube(rtest, c->ntest * c->d, Xt);
  GDL_TRY_CLEANUP(gdl_poly_eval(p, c->ntest, Xt, c->d, yt));
  if (c->track_every) snapshot(c, res, res->net, 0);

  cube_sampler smp = {c->d, p};
  gdl_data data;
  memset(&data, 0, sizeof data);
  data.sample = cube_sample;
  data.sample_ctx = &smp;
  cb_ctx cbx = {c, res, Xt, yt, ft};
  gdl_train_config tc;
  gdl_train_config_default(&tc);
  tc.loss = GDL_LOSS_SQUARED;
  tc.opt = GDL_OPT_GD;
  tc.data = GDL_DATA_ONLINE;
  tc.batch = 1;
  tc.steps = c->budget;
  if (c->lr_decay) tc.schedule = GDL_SCHED_LINEAR;
  tc.lr = c->net == STAIRCASE_NET_MEANFIELD2 ? c->lr_mf * (double)c->width / (double)c->d : c->lr_std;
  tc.callback = callback;
  tc.callback_ctx = &cbx;
  tc.callback_every = c->track_every ? c->track_every : c->eval_every;
  GDL_TRY_CLEANUP(gdl_trainer_create(res->net, &tc, &data, rtrain, &tr));
  GDL_TRY_CLEANUP(gdl_trainer_run(tr));
  res->steps = gdl_trainer_steps_done(tr);
cleanup:
  gdl_trainer_free(tr);
  gdl_rng_free(rinit);
  gdl_rng_free(rtrain);
  gdl_rng_free(rtest);
  gdl_poly_free(p);
  GDL_FREE_ALL(Xt, yt, ft);
  if (rc != GDL_OK) staircase_result_free(res);
  return rc;
}

int staircase_fourier_coef(gdl_net *net, size_t d, size_t k, const size_t *S, size_t M, gsl_rng *r, double *mean,
                           double *se) {
  GDL_CHECK_ARG(net && S && k >= 1 && k <= 10 && M >= 2 && mean && se, "staircase_fourier_coef: bad argument");
  size_t K = (size_t)1 << k, chunk = 64;
  double *X = malloc(chunk * K * d * sizeof *X), *f = malloc(chunk * K * sizeof *f);
  double *g = malloc(M * sizeof *g);
  int rc = GDL_OK;
  if (!X || !f || !g) {
    rc = gdl_fail(GDL_ENOMEM, "staircase_fourier_coef: out of memory");
    goto cleanup;
  }
  for (size_t m0 = 0; m0 < M; m0 += chunk) {
    size_t mc = M - m0 < chunk ? M - m0 : chunk;
    for (size_t a = 0; a < mc; a++) {
      double *base = X + a * K * d;
      fill_cube(r, d, base);
      for (size_t s = 0; s < K; s++) {
        double *row = base + s * d;
        if (s) memcpy(row, base, d * sizeof *row);
        for (size_t q = 0; q < k; q++) row[S[q]] = (s >> q & 1) ? -1.0 : 1.0;
      }
    }
    GDL_TRY_CLEANUP(gdl_net_forward(net, mc * K, X, f));
    for (size_t a = 0; a < mc; a++) {
      double acc = 0;
      for (size_t s = 0; s < K; s++)
        acc += (__builtin_popcountll((unsigned long long)s) & 1) ? -f[a * K + s] : f[a * K + s];
      g[m0 + a] = acc / (double)K;
    }
  }
  rc = gdl_mean_se(M, g, mean, se);
cleanup:
  GDL_FREE_ALL(X, f, g);
  return rc;
}

int staircase_fvu(gdl_net *net, const char *target, size_t d, size_t m, gsl_rng *r, double *fvu) {
  GDL_CHECK_ARG(net && target && d >= 1 && m >= 1 && r && fvu, "staircase_fvu: bad argument");
  gdl_poly *p = NULL;
  double *X = NULL, *y = NULL, *f = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_poly_parse(target, &p));
  X = malloc(m * d * sizeof *X);
  y = malloc(m * sizeof *y);
  f = malloc(m * sizeof *f);
  if (!X || !y || !f) {
    rc = gdl_fail(GDL_ENOMEM, "staircase_fvu: out of memory");
    goto cleanup;
  }
  fill_cube(r, m * d, X);
  GDL_TRY_CLEANUP(gdl_poly_eval(p, m, X, d, y));
  GDL_TRY_CLEANUP(gdl_net_reserve(net, m));
  GDL_TRY_CLEANUP(gdl_net_forward(net, m, X, f));
  double sse = 0;
  for (size_t i = 0; i < m; i++) sse += (f[i] - y[i]) * (f[i] - y[i]);
  *fvu = sse / (double)m / poly_var(p);
cleanup:
  gdl_poly_free(p);
  GDL_FREE_ALL(X, y, f);
  return rc;
}

size_t staircase_escape_time(const staircase_result *r, double fvu) {
  size_t idx = 0;
  if (!r || gdl_hitting_index(r->n_eval, r->eval_fvu, fvu, 1, &idx) != GDL_OK || idx >= r->n_eval) return 0;
  return r->eval_step[idx];
}

size_t staircase_rise_time(const staircase_result *r, size_t ntrack, size_t i, double factor) {
  /* the snapshot after the last one at or below factor x bulk (a transient early crossing by
   * SGD noise is not a take-off); 0 if the last snapshot is still at or below */
  size_t k = r->n_track;
  while (k > 0) {
    const double *row = r->track_w + (k - 1) * (ntrack + 1);
    if (!(row[i] > factor * row[ntrack])) break;
    k--;
  }
  return k < r->n_track ? r->track_step[k] : 0;
}

int staircase_point(const staircase_config *c, uint64_t seed, const gdl_sweep *s, size_t i) {
  GDL_CHECK_ARG(c && s, "staircase_point: NULL argument");
  staircase_result r;
  GDL_TRY(staircase_run(c, seed, &r));
  int rc = GDL_OK;
  char path[4096];
  gdl_csv *csv = NULL;
  static const char *const ccols[] = {"step", "fvu"};
  GDL_TRY_CLEANUP(gdl_sweep_point_file(s, i, "curve.csv", path, sizeof path));
  GDL_TRY_CLEANUP(gdl_csv_open(path, 2, ccols, &csv));
  for (size_t k = 0; k < r.n_eval; k++) {
    double v[2] = {(double)r.eval_step[k], r.eval_fvu[k]};
    GDL_TRY_CLEANUP(gdl_csv_row(csv, v));
  }
  rc = gdl_csv_commit(csv);
  csv = NULL;
  GDL_TRY_CLEANUP(rc);
  if (c->track_every) {
    const char *wcols[18] = {"step"};
    char names[16][16];
    size_t K = c->ntrack < 16 ? c->ntrack : 16;
    for (size_t q = 0; q < K; q++) {
      snprintf(names[q], sizeof names[q], "w%zu", q + 1);
      wcols[q + 1] = names[q];
    }
    wcols[K + 1] = "bulk";
    GDL_TRY_CLEANUP(gdl_sweep_point_file(s, i, "weights.csv", path, sizeof path));
    GDL_TRY_CLEANUP(gdl_csv_open(path, K + 2, wcols, &csv));
    for (size_t k = 0; k < r.n_track; k++) {
      double v[18] = {(double)r.track_step[k]};
      for (size_t q = 0; q < K; q++) v[q + 1] = r.track_w[k * (c->ntrack + 1) + q];
      v[K + 1] = r.track_w[k * (c->ntrack + 1) + c->ntrack];
      GDL_TRY_CLEANUP(gdl_csv_row(csv, v));
    }
    rc = gdl_csv_commit(csv);
    csv = NULL;
    GDL_TRY_CLEANUP(rc);
  }
  /* last: the file that marks the point done */
  static const char *const hcols[] = {"hit", "cap", "steps", "var_y", "fvu_last"};
  GDL_TRY_CLEANUP(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  double v[5] = {(double)r.hit, (double)c->budget, (double)r.steps, r.var_y, r.fvu_last};
  rc = gdl_csv_write(path, 5, hcols, 1, v);
cleanup:
  if (csv) gdl_csv_abort(csv);
  staircase_result_free(&r);
  return rc;
}
