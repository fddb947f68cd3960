/* experiments/noisy_gd.c: the experiment of claim NG (experiments/noisy_gd.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_sf_gamma.h>
#include "experiments/noisy_gd.h"

/* ---------------- one training run ---------------- */
void ng_cfg_default(ng_cfg *c, unsigned n, size_t depth) {
  *c = (ng_cfg){.n = n, .depth = depth, .width = 8,
                .lr = 0.5, .tau = 0.1, .clip = 1.0, .box = 1.0 / 8.0, .steps = 300,
                .b0_scale = 0.5, .profile = NULL};
}

void ng_cfg_one_unit(ng_cfg *c, unsigned n) {
  ng_cfg_default(c, n, 2);
  c->width = 1;
  c->box = 1.0; /* |f| <= 1 */
  c->lr = 0.25;
  c->tau = 0.4;
  c->steps = 100;
}

int ng_net_create(const ng_cfg *c, gdl_net **out) {
  gdl_net_spec s;
  size_t hidden[GDL_MAX_LAYERS];
  if (c->depth < 2 || c->depth > GDL_MAX_LAYERS) return gdl_fail(GDL_EINVAL, "ng: depth %zu", c->depth);
  for (size_t l = 0; l + 1 < c->depth; l++) hidden[l] = c->width;
  GDL_TRY(gdl_net_spec_mlp(&s, c->n, c->depth - 1, hidden, 1, GDL_ACT_TANH, 1));
  s.bias[c->depth - 1] = 0; /* |f| <= width * box * sup|tanh| */
  return gdl_net_create(&s, out);
}

int ng_net_init(const ng_cfg *c, gdl_net *net, gsl_rng *r) {
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

void ng_train_config(const ng_cfg *c, gdl_train_config *tc) {
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

void ng_cube_enumerate(unsigned n, double *X) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++)
    for (unsigned j = 0; j < n; j++) X[i * n + j] = ((i >> j) & 1u) ? -1.0 : 1.0;
}

void ng_parity_values(unsigned n, uint64_t S, double *y) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++) y[i] = (__builtin_popcountll((unsigned long long)(i & S)) & 1) ? -1.0 : 1.0;
}

uint64_t ng_first_k(unsigned k) { return k >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1); }

void ng_level_coefs(unsigned n, const double *Wf, double *cj) {
  cj[0] = 0.0;
  for (unsigned j = 1; j <= n; j++) cj[j] = Wf[j] / gsl_sf_choose(n, j);
}

double ng_profile_dot(unsigned n, const double *cj, const double *prof) {
  double g = 0.0;
  for (unsigned j = 1; j <= n; j++) g += cj[j] * prof[j];
  return g;
}

double ng_bound(double lambda, double fnorm_c, double sumG, double tau) {
  gdl_ng_bound b;
  if (gdl_ng_bound_init(&b, lambda, fnorm_c * fnorm_c, tau) != GDL_OK) return NAN;
  if (gdl_ng_bound_add(&b, sumG > 0 ? sumG : 0.0) != GDL_OK) return NAN;
  return gdl_ng_bound_value(&b);
}

void ng_bound_band(double lambda, double fnorm_c, double sumG, double se, double nstd, double tau, double *b,
                   double *lo, double *hi) {
  *b = ng_bound(lambda, fnorm_c, sumG, tau);
  *lo = ng_bound(lambda, fnorm_c, sumG - nstd * se, tau);
  *hi = ng_bound(lambda, fnorm_c, sumG + nstd * se, tau);
}

int ng_corr_summary(int nreal, int nctl, double *corr, double *mean_abs, double *se_abs, double *max_abs,
                    double *mean_ctl, double *se_ctl, double *min_ctl) {
  *max_abs = 0;
  for (int j = 0; j < nreal; j++) {
    corr[j] = fabs(corr[j]);
    if (corr[j] > *max_abs) *max_abs = corr[j];
  }
  GDL_TRY(gdl_mean_se((size_t)nreal, corr, mean_abs, se_abs));
  *min_ctl = *mean_ctl = *se_ctl = NAN;
  if (nctl < 2) return GDL_OK;
  const double *ctl = corr + nreal;
  *min_ctl = 1;
  for (int j = 0; j < nctl; j++)
    if (ctl[j] < *min_ctl) *min_ctl = ctl[j];
  return gdl_mean_se((size_t)nctl, ctl, mean_ctl, se_ctl);
}


/* ---------------- the level-profile engine of the junk runs ----------------
 * ng_profile_bias (noisy_gd.md, section 3): the first-layer bias column of unit u is
 * delta_u = d f / d z_0[u], and the first-layer weight columns are delta_u x_i, whose level
 * weights follow from delta_u's by the shift rule
 *   sum_i W_j(delta_u x_i) = (n - j + 1) W_{j-1}(delta_u) + (j + 1) W_{j+1}(delta_u),
 * so only the P - n*width_1 columns from the first-layer bias on are transformed (16 at depth
 * 2, width 8: the library's gdl_ng_profile transforms 24, the delta columns twice). The
 * columns are stored one after the other (column-major), so each FWHT runs on one vector of
 * 2^n doubles (512 KB at n = 16) that stays in cache, instead of 2^n rows of all columns. */
#define NG_PROFILE_CHUNK 2048 /* rows per per-example gradient call */

int ng_profile_bias(gdl_net *net, unsigned n, const double *X, double *prof) {
  GDL_CHECK_ARG(net != NULL && X != NULL && prof != NULL, "ng_profile_bias: NULL argument");
  if (n < 1 || n > 22) return gdl_fail(GDL_ERANGE, "ng_profile_bias: n = %u", n);
  size_t N = (size_t)1 << n, P = net->nparams;
  size_t w1 = net->spec.width[1], nw0 = (size_t)n * w1, C = P - nw0;
  if (net->spec.width[0] != n) return gdl_fail(GDL_EINVAL, "ng_profile_bias: input width != n");
  if (net->b_off[0] != nw0 || net->w_off[0] != 0)
    return gdl_fail(GDL_EINVAL, "ng_profile_bias: the first layer needs a bias right after its weights");
  size_t chunk = NG_PROFILE_CHUNK < N ? NG_PROFILE_CHUNK : N;
  double *work = malloc((N * C + chunk * P + w1 * (n + 1)) * sizeof *work);
  unsigned char *lvl = malloc(N); /* lvl[S] = |S| */
  if (!work || !lvl) {
    GDL_FREE_ALL(work, lvl);
    return gdl_fail(GDL_ENOMEM, "ng_profile_bias: workspace (2^%u x %zu)", n, C);
  }
  lvl[0] = 0;
  for (size_t S = 1; S < N; S++) lvl[S] = (unsigned char)(lvl[S >> 1] + (S & 1));
  double *V = work, *Gc = work + N * C, *lw = Gc + chunk * P; /* V: column c at V + c N */
  int rc = GDL_OK;
  for (size_t r0 = 0; r0 < N; r0 += chunk) {
    size_t mc = N - r0 < chunk ? N - r0 : chunk;
    GDL_TRY_CLEANUP(gdl_net_per_example_grad(net, mc, X + r0 * n, 0, Gc));
    for (size_t c = 0; c < C; c++) {
      double *v = V + c * N + r0;
      const double *g = Gc + nw0 + c;
      for (size_t i = 0; i < mc; i++) v[i] = g[i * P];
    }
  }
  for (size_t c = 0; c < C; c++) GDL_TRY_CLEANUP(gdl_fwht(V + c * N, n));
  double inv = 1.0 / ((double)N * (double)N), lev[GDL_CUBE_MAX_ENUM + 1];
  for (unsigned j = 0; j <= n; j++) prof[j] = 0.0;
  for (size_t c = 0; c < C; c++) {
    const double *v = V + c * N;
    for (unsigned j = 0; j <= n; j++) lev[j] = 0.0;
    for (size_t S = 0; S < N; S++) lev[lvl[S]] += v[S] * v[S];
    for (unsigned j = 0; j <= n; j++) {
      prof[j] += lev[j] * inv;
      if (c < w1) lw[c * (n + 1) + j] = lev[j] * inv; /* bias column of unit c: delta_c */
    }
  }
  for (size_t u = 0; u < w1; u++) {
    const double *Wd = lw + u * (n + 1);
    for (unsigned j = 0; j <= n; j++)
      prof[j] += (j >= 1 ? (double)(n - j + 1) * Wd[j - 1] : 0.0) + (j + 1 <= n ? (double)(j + 1) * Wd[j + 1] : 0.0);
  }
  for (unsigned j = 0; j <= n; j++)
    if (!isfinite(prof[j])) GDL_TRY_CLEANUP(gdl_fail(GDL_EDIVERGED, "ng_profile_bias: non-finite gradients"));
cleanup:
  GDL_FREE_ALL(work, lvl);
  return rc;
}

/* the training loop of ng_run (profile accumulation on the junk runs) */
static int ng_train(const ng_cfg *c, gdl_net *net, gdl_trainer *tr, const double *X, size_t stride, size_t off,
                    ng_result *res) {
  for (size_t t = 0; t < c->steps; t++) {
    if (stride > 0 && t % stride == off) {
      double pr[GDL_CUBE_MAX_ENUM + 1];
      GDL_TRY(c->profile ? c->profile(net, c->n, X, pr) : ng_profile_bias(net, c->n, X, pr));
      for (unsigned j = 0; j <= c->n; j++) res->prof[j] += (double)stride * pr[j];
      res->nG++;
    }
    GDL_TRY(gdl_trainer_step(tr, NULL));
  }
  return GDL_OK;
}

int ng_run(const ng_cfg *c, const double *X, const double *y, const double *fc, uint64_t seed, const char *purpose,
           uint64_t idx, size_t stride, ng_result *res) {
  size_t N = (size_t)1 << c->n;
  gdl_net *net = NULL;
  gsl_rng *ri = NULL, *rn = NULL, *ro = NULL;
  gdl_trainer *tr = NULL;
  double *f = NULL;
  char pur[160];
  int rc = GDL_OK;
  memset(res, 0, sizeof *res);
  if (c->n > 22) return gdl_fail(GDL_ERANGE, "ng_run: n = %u too large", c->n);
  if (stride > 0 && c->steps % stride != 0)
    return gdl_fail(GDL_EINVAL, "ng_run: steps %zu not a multiple of stride %zu", c->steps, stride);
  GDL_TRY_CLEANUP(ng_net_create(c, &net));
  snprintf(pur, sizeof pur, "%s/init", purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, idx, &ri));
  snprintf(pur, sizeof pur, "%s/noise", purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, idx, &rn));
  snprintf(pur, sizeof pur, "%s/offset", purpose);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, idx, &ro));
  GDL_TRY_CLEANUP(ng_net_init(c, net, ri));
  gdl_train_config tc;
  ng_train_config(c, &tc);
  gdl_data d = {.m = N, .X = X, .Y = y, .w = NULL};
  GDL_TRY_CLEANUP(gdl_trainer_create(net, &tc, &d, rn, &tr));
  size_t off = stride > 0 ? (size_t)gsl_rng_uniform_int(ro, stride) : 0;
  GDL_TRY_CLEANUP(ng_train(c, net, tr, X, stride, off, res));
  f = malloc(N * sizeof(double));
  if (!f) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "ng_run: output"));
  GDL_TRY_CLEANUP(gdl_net_forward(net, N, X, f));
  double cr = 0.0, nn = 0.0;
  for (size_t i = 0; i < N; i++) {
    if (!isfinite(f[i])) GDL_TRY_CLEANUP(gdl_fail(GDL_EDIVERGED, "ng_run: non-finite output"));
    if (fc) cr += f[i] * fc[i];
    nn += f[i] * f[i];
  }
  res->corr = cr / (double)N;
  res->fnorm = sqrt(nn / (double)N);
cleanup:
  free(f);
  gdl_trainer_free(tr);
  gdl_rng_free(ro);
  gdl_rng_free(rn);
  gdl_rng_free(ri);
  gdl_net_free(net);
  return rc;
}

/* ---------------- one experiment point ---------------- */
void noisy_gd_config_default(noisy_gd_config *c, unsigned n, size_t depth) {
  *c = (noisy_gd_config){.k = n / 2, .nreal = 10, .nctl = depth == 2 ? 8 : 6, .njunk = 6, .stride = 5, .tag = "NG"};
  ng_cfg_default(&c->net, n, depth);
  /* depth 2 needs T = 300 for its x1 control (0.61-0.72; 0.55-0.62 at T = 150); depths 3
   * and 4 reach 0.73-0.85 at T = 150 */
  c->net.steps = depth == 2 ? 300 : 150;
}

void noisy_gd_config_ng2(noisy_gd_config *c, unsigned n) {
  noisy_gd_config_default(c, n, 2);
  c->net.steps = 150;
  c->nctl = 0;
  /* junk sums are heavy-tailed at small n (run-to-run SD up to ~50% at n = 10): many cheap
   * junk runs there keep the 4-SE ends of consecutive bounds apart */
  c->njunk = n <= 12 ? 16 : 8;
  /* profile every 5th step (random offset, x5: unbiased, NG0b); the extra variance of the
   * strided estimate enters sumG_se, so the 4-SE ends account for it */
  c->stride = 5;
}

void noisy_gd_config_tight(noisy_gd_config *c) {
  *c = (noisy_gd_config){.k = 1, .nreal = 64, .nctl = 0, .njunk = 64, .stride = 1, .tag = "NG"};
  ng_cfg_one_unit(&c->net, 8);
}

int ng_cfg_json(const ng_cfg *c, const char *dim, const char *net, const char *trainer, gdl_json *j) {
  GDL_TRY(gdl_json_int(j, dim, c->n));
  GDL_TRY(gdl_json_int(j, "depth", (long long)c->depth));
  GDL_TRY(gdl_json_int(j, "width", (long long)c->width));
  GDL_TRY(gdl_json_str(j, "net", net));
  GDL_TRY(gdl_json_str(j, "trainer", trainer));
  GDL_TRY(gdl_json_num(j, "box", c->box));
  GDL_TRY(gdl_json_num(j, "lr", c->lr));
  GDL_TRY(gdl_json_num(j, "tau", c->tau));
  GDL_TRY(gdl_json_num(j, "clip", c->clip));
  GDL_TRY(gdl_json_int(j, "steps", (long long)c->steps));
  return gdl_json_num(j, "b0_scale", c->b0_scale);
}

int ng_runs_json(int nreal, int nctl, int njunk, size_t stride, const char *tag, gdl_json *j) {
  GDL_TRY(gdl_json_int(j, "nreal", nreal));
  GDL_TRY(gdl_json_int(j, "nctl", nctl));
  GDL_TRY(gdl_json_int(j, "njunk", njunk));
  GDL_TRY(gdl_json_int(j, "stride", (long long)stride));
  return gdl_json_str(j, "tag", tag);
}

int noisy_gd_config_json(const void *cfg, gdl_json *j) {
  const noisy_gd_config *c = cfg;
  GDL_TRY(ng_cfg_json(&c->net, "n", "tanh FCN, last layer without bias projected onto [-box, box]",
                      "exact population noisy GD (all 2^n points), squared loss, l2 clip", j));
  GDL_TRY(gdl_json_int(j, "k", c->k));
  return ng_runs_json(c->nreal, c->nctl, c->njunk, c->stride, c->tag, j);
}

/* the parallel loop over runs: real, control, junk */
static int run_all(const noisy_gd_config *c, uint64_t seed, const double *X, const double *yk, const double *y1,
                   const double *y0, ng_result *res) {
  int tot = c->nreal + c->nctl + c->njunk, rc = GDL_OK;
  int *rcs = calloc((size_t)tot, sizeof *rcs);
  if (!rcs) return gdl_fail(GDL_ENOMEM, "noisy_gd_run: out of memory");
  const unsigned n = c->net.n;
  const size_t depth = c->net.depth;
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < tot; j++) {
    char p[160];
    if (j < c->nreal) {
      snprintf(p, sizeof p, "%s/n%u/d%zu/real-k%u", c->tag, n, depth, c->k);
      rcs[j] = ng_run(&c->net, X, yk, yk, seed, p, (uint64_t)j, 0, &res[j]);
    } else if (j < c->nreal + c->nctl) {
      snprintf(p, sizeof p, "%s/n%u/d%zu/control-k1", c->tag, n, depth);
      rcs[j] = ng_run(&c->net, X, y1, y1, seed, p, (uint64_t)(j - c->nreal), 0, &res[j]);
    } else {
      snprintf(p, sizeof p, "%s/n%u/d%zu/junk", c->tag, n, depth);
      rcs[j] = ng_run(&c->net, X, y0, NULL, seed, p, (uint64_t)(j - c->nreal - c->nctl), c->stride, &res[j]);
    }
  }
  for (int j = 0; j < tot && rc == GDL_OK; j++) rc = rcs[j];
  free(rcs);
  return rc;
}

/* means, standard errors and bounds from the runs */
static int summarise(const noisy_gd_config *c, const ng_result *res, double *a, double *b, noisy_gd_result *e) {
  const unsigned n = c->net.n;
  for (int j = 0; j < c->nreal + c->nctl; j++) a[j] = res[j].corr;
  GDL_TRY(ng_corr_summary(c->nreal, c->nctl, a, &e->mean_abs, &e->se_abs, &e->max_abs, &e->mean_ctl, &e->se_ctl,
                          &e->min_ctl));
  double Wk[GDL_CUBE_MAX_ENUM + 1] = {0}, W1[GDL_CUBE_MAX_ENUM + 1] = {0};
  double ck[GDL_CUBE_MAX_ENUM + 1], c1[GDL_CUBE_MAX_ENUM + 1];
  Wk[c->k] = 1.0;
  W1[1] = 1.0;
  ng_level_coefs(n, Wk, ck);
  ng_level_coefs(n, W1, c1);
  const ng_result *junk = res + c->nreal + c->nctl;
  for (int j = 0; j < c->njunk; j++) {
    a[j] = ng_profile_dot(n, ck, junk[j].prof);
    b[j] = ng_profile_dot(n, c1, junk[j].prof);
  }
  GDL_TRY(gdl_mean_se((size_t)c->njunk, a, &e->sumG_mean, &e->sumG_se));
  GDL_TRY(gdl_mean_se((size_t)c->njunk, b, &e->sumG1_mean, &e->sumG1_se));
  gdl_align al;
  GDL_TRY(gdl_align_bn_levels(Wk, n, &al)); /* lambda = 1/C(n, k), ||f - fbar||^2 = 1 */
  e->lambda = al.lambda;
  double fn = sqrt(al.dist2), tau = c->net.tau;
  ng_bound_band(e->lambda, fn, e->sumG_mean, e->sumG_se, NG_NSTD, tau, &e->bound, &e->bound_lo, &e->bound_hi);
  e->bound1 = ng_bound(1.0 / n, 1.0, e->sumG1_mean, tau);
  e->bound1_lo = ng_bound(1.0 / n, 1.0, e->sumG1_mean - NG_NSTD * e->sumG1_se, tau);
  return GDL_OK;
}

int noisy_gd_run(const noisy_gd_config *c, uint64_t seed, noisy_gd_result *e) {
  GDL_CHECK_ARG(c != NULL && e != NULL, "noisy_gd_run: NULL argument");
  const unsigned n = c->net.n;
  memset(e, 0, sizeof *e);
  if (c->nreal < 2 || c->njunk < 2 || c->nctl < 0 || c->nctl == 1 || c->k < 1 || c->k > n || n > 22)
    return gdl_fail(GDL_EINVAL, "noisy_gd_run: bad sizes (n %u, k %u, runs %d/%d/%d)", n, c->k, c->nreal, c->nctl,
                    c->njunk);
  double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  size_t N = (size_t)1 << n;
  int tot = c->nreal + c->nctl + c->njunk, rc = GDL_OK;
  double *X = malloc(N * n * sizeof *X), *yk = malloc(N * sizeof *yk), *y1 = malloc(N * sizeof *y1),
         *y0 = calloc(N, sizeof *y0), *a = malloc((size_t)tot * sizeof *a), *b = malloc((size_t)tot * sizeof *b);
  ng_result *res = calloc((size_t)tot, sizeof *res);
  if (!X || !yk || !y1 || !y0 || !a || !b || !res) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "noisy_gd_run"));
  ng_cube_enumerate(n, X);
  ng_parity_values(n, ng_first_k(c->k), yk);
  ng_parity_values(n, ng_first_k(1), y1);
  GDL_TRY_CLEANUP(run_all(c, seed, X, yk, y1, y0, res));
  GDL_TRY_CLEANUP(summarise(c, res, a, b, e));
  e->seconds = gdl_clock_seconds(GDL_CLOCK_WALL) - t0;
cleanup:
  GDL_FREE_ALL(X, yk, y1, y0, a, b, res);
  return rc;
}

/* ---------------- the sweep's row ---------------- */
const char *const noisy_gd_columns[NOISY_GD_NCOLS] = {
    "n", "k", "depth", "T", "tau", "sqrt_lambda", "mean_abs_corr", "se_abs_corr", "max_abs_corr", "ctl_mean",
    "ctl_se", "sumG", "sumG_se", "bound", "bound_lo", "bound_hi", "bound_k1", "seconds", "panel", "width",
    "lr", "bound_k1_lo"};

void noisy_gd_row(const noisy_gd_config *c, int panel, const noisy_gd_result *e, double *v) {
  double row[NOISY_GD_NCOLS] = {c->net.n, c->k, (double)c->net.depth, (double)c->net.steps, c->net.tau,
                                sqrt(e->lambda), e->mean_abs, e->se_abs, e->max_abs, e->mean_ctl, e->se_ctl,
                                e->sumG_mean, e->sumG_se, e->bound, e->bound_lo, e->bound_hi, e->bound1, e->seconds,
                                panel, (double)c->net.width, c->net.lr, e->bound1_lo};
  memcpy(v, row, sizeof row);
}

int noisy_gd_point_csv(const noisy_gd_config *c, int panel, uint64_t seed, const char *path) {
  noisy_gd_result e;
  double v[NOISY_GD_NCOLS];
  GDL_TRY(noisy_gd_run(c, seed, &e));
  noisy_gd_row(c, panel, &e, v);
  return gdl_csv_write(path, NOISY_GD_NCOLS, noisy_gd_columns, 1, v);
}

/* ---------------- the sweep's grid ---------------- */
static void grid_add(noisy_gd_grid *g, const noisy_gd_config *c, int panel) {
  g->cfg[g->np] = *c;
  g->panel[g->np++] = panel;
}

size_t noisy_gd_grid_make(noisy_gd_grid *g, int full, uint64_t seed) {
  noisy_gd_config c;
  memset(g, 0, sizeof *g);
  g->seed = seed;
  noisy_gd_config_default(&c, 16, 2);
  grid_add(g, &c, 1);
  for (size_t depth = 3; depth <= 4; depth++) {
    noisy_gd_config_default(&c, full ? 16 : 14, depth);
    grid_add(g, &c, 1);
  }
  for (unsigned n = 10; n <= (full ? 20u : 14u); n += 2) {
    if (n == 16) continue; /* n = 16 at depth 2 is the NG1 point (T = 300) */
    noisy_gd_config_ng2(&c, n);
    if (n >= 16) {
      c.stride = 5;
      c.njunk = 6;
    }
    grid_add(g, &c, 2);
  }
  noisy_gd_config_tight(&c);
  grid_add(g, &c, 3);
  return g->np;
}

static int grid_point_json(const void *ctx, size_t i, gdl_json *j) {
  const noisy_gd_grid *g = ctx;
  return noisy_gd_config_json(&g->cfg[i], j);
}

int noisy_gd_grid_json(const void *ctx, gdl_json *j) {
  const noisy_gd_grid *g = ctx;
  return gdl_exp_points_json(j, g->np, g->panel, grid_point_json, g);
}

int noisy_gd_sweep_point(void *ctx, gdl_sweep *s, size_t i) {
  const noisy_gd_grid *g = ctx;
  char path[4096];
  GDL_CHECK_ARG(g != NULL && i < g->np, "noisy_gd_sweep_point: point %zu out of range", i);
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  return noisy_gd_point_csv(&g->cfg[i], g->panel[i], g->seed, path);
}
