/* experiments/sphere.c: the experiments of claims AL2 and NG3 (experiments/sphere.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include "experiments/sphere.h"

/* ---------------- AL2 ---------------- */
void sphere_al2_config_default(sphere_al2_config *c, size_t d, const char *f, const char *h) {
  memset(c, 0, sizeof *c);
  c->d = d;
  snprintf(c->f, sizeof c->f, "%s", f);
  snprintf(c->h, sizeof c->h, "%s", h);
  c->ng = 20000;
  snprintf(c->tag, sizeof c->tag, "AL2");
}

int sphere_al2_config_json(const void *cfg, gdl_json *j) {
  const sphere_al2_config *c = cfg;
  GDL_TRY(gdl_json_int(j, "d", (long long)c->d));
  GDL_TRY(gdl_json_str(j, "f", c->f));
  GDL_TRY(gdl_json_str(j, "h", c->h));
  GDL_TRY(gdl_json_int(j, "rotations", (long long)c->ng));
  GDL_TRY(gdl_json_int(j, "stream_index", (long long)c->idx));
  return gdl_json_str(j, "tag", c->tag);
}

int sphere_al2_run(const sphere_al2_config *c, uint64_t seed, sphere_al2_result *res) {
  GDL_CHECK_ARG(c != NULL && res != NULL && c->ng >= 2, "sphere_al2_run: bad argument");
  memset(res, 0, sizeof *res);
  const size_t d = c->d;
  const double r = sqrt((double)d);
  gdl_sphere_poly *f = NULL, *h = NULL, *one = NULL;
  gdl_group_elem *g = NULL;
  gsl_rng *rng = NULL;
  double *v = NULL;
  char pur[96];
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_sphere_poly_parse(c->f, d, &f));
  GDL_TRY_CLEANUP(gdl_sphere_poly_parse(c->h, d, &h));
  GDL_TRY_CLEANUP(gdl_sphere_poly_parse("1", d, &one));
  unsigned L = gdl_sphere_poly_degree(f);
  if (gdl_sphere_poly_degree(h) > L) L = gdl_sphere_poly_degree(h);
  double Wh[GDL_SPHERE_MAX_DEG + 1];
  GDL_TRY_CLEANUP(gdl_sphere_level_weights(f, r, L, res->Wf));
  GDL_TRY_CLEANUP(gdl_sphere_level_weights(h, r, L, Wh));
  gdl_align al;
  GDL_TRY_CLEANUP(gdl_sphere_align_levels(res->Wf, d, L, &al));
  res->lambda = al.lambda;
  res->cp = al.cp;
  res->dist2 = al.dist2;
  res->level = al.level;
  res->formula = gdl_sphere_orbit_expect(res->Wf, Wh, d, L);
  for (unsigned l = 1; l <= L; l++) res->wrong += res->Wf[l] * Wh[l] / gsl_sf_choose((unsigned)d, l);
  /* fbar = E f (O(d) is transitive on the sphere), <h, fbar> = fbar E h: exact moments */
  double Eh;
  GDL_TRY_CLEANUP(gdl_sphere_poly_inner(f, one, r, &res->fbar));
  GDL_TRY_CLEANUP(gdl_sphere_poly_inner(h, one, r, &Eh));
  GDL_TRY_CLEANUP(gdl_sphere_poly_inner(h, h, r, &res->hnorm2));
  snprintf(pur, sizeof pur, "%s/d%zu", c->tag, d);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, c->idx, &rng));
  GDL_TRY_CLEANUP(gdl_group_elem_alloc(GDL_GROUP_OD, d, &g));
  v = malloc(c->ng * sizeof *v);
  if (!v) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sphere_al2_run"));
  for (size_t i = 0; i < c->ng; i++) {
    double ip;
    GDL_TRY_CLEANUP(gdl_group_random(g, rng));
    /* (f o g)(x) = f(R x) */
    GDL_TRY_CLEANUP(gdl_sphere_poly_inner_rotated(h, f, g->R, r, &ip));
    ip -= res->fbar * Eh;
    v[i] = ip * ip;
  }
  GDL_TRY_CLEANUP(gdl_mean_se(c->ng, v, &res->mc, &res->se));
cleanup:
  free(v);
  gdl_rng_free(rng);
  gdl_group_elem_free(g);
  gdl_sphere_poly_free(one);
  gdl_sphere_poly_free(h);
  gdl_sphere_poly_free(f);
  return rc;
}

/* ---------------- NG3 ---------------- */
void sphere_ng_config_default(sphere_ng_config *c) {
  *c = (sphere_ng_config){.k = 4, .m = 4096, .mtest = 4096, .nreal = 10, .nctl = 96, .njunk = 6, .stride = 5,
                           .tag = "NG3"};
  ng_cfg_one_unit(&c->net, 8);
}

void sphere_ng_config_tight(sphere_ng_config *c) {
  sphere_ng_config_default(c);
  c->k = 1;
  c->net.tau = 0.3; /* the one-unit net learns x1 to ~0.64 (0.46-0.57 at tau 0.4) */
  c->m = 256;
  c->nreal = c->njunk = 128;
  c->nctl = 0;
  c->stride = 1;
  snprintf(c->tag, sizeof c->tag, "NG3tight");
}

int sphere_ng_config_json(const void *cfg, gdl_json *j) {
  const sphere_ng_config *c = cfg;
  GDL_TRY(ng_cfg_json(&c->net, "d", "tanh FCN, Gaussian first layer, last layer without bias projected onto [-box, box]",
                      "full-batch noisy GD on a fresh uniform sample of the sphere per run, squared loss, l2 clip", j));
  GDL_TRY(gdl_json_int(j, "k", c->k));
  GDL_TRY(gdl_json_int(j, "m", (long long)c->m));
  GDL_TRY(gdl_json_int(j, "mtest", (long long)c->mtest));
  return ng_runs_json(c->nreal, c->nctl, c->njunk, c->stride, c->tag, j);
}

typedef struct {
  double corr;   /* <f_T, f> on the test sample (real / control) */
  double sumG;   /* junk: estimate of sum_{t<T} G_X(theta_t) */
  double gradsq; /* junk: mean (1/m) sum_a ||grad f(x_a)||^2 over the evaluations */
} run_out;

/* One run. f: target (NULL: junk run on fbar = 0 with the kernel of the level weights W). */
static int one_run(const sphere_ng_config *c, const gdl_sphere_poly *f, const double *W, unsigned L, uint64_t seed,
                   const char *purpose, uint64_t idx, run_out *o) {
  const size_t d = c->net.n, m = c->m, mt = c->mtest;
  const double r = sqrt((double)d);
  gdl_domain dom;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gsl_rng *rs = NULL, *rt = NULL, *ri = NULL, *rn = NULL, *ro = NULL;
  double *X = NULL, *y = NULL, *K = NULL, *Kx = NULL, *Xt = NULL, *yt = NULL, *ft = NULL;
  char pur[160];
  int rc = GDL_OK;
  memset(o, 0, sizeof *o);
  GDL_TRY_CLEANUP(gdl_domain_sphere(d, &dom));
#define STREAM(var, name)                                      \
  snprintf(pur, sizeof pur, "%s/%s", purpose, name);           \
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, pur, idx, &var));
  STREAM(rs, "sample");
  STREAM(rt, "test");
  STREAM(ri, "init");
  STREAM(rn, "noise");
  STREAM(ro, "offset");
#undef STREAM
  X = malloc(m * d * sizeof *X);
  y = calloc(m, sizeof *y);
  if (!X || !y) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sphere_ng: sample"));
  GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rs, m, X, NULL));
  if (f) GDL_TRY_CLEANUP(gdl_sphere_poly_eval(f, m, X, y));
  GDL_TRY_CLEANUP(ng_net_create(&c->net, &net));
  GDL_TRY_CLEANUP(ng_net_init(&c->net, net, ri));
  gdl_train_config tc;
  ng_train_config(&c->net, &tc);
  gdl_data data = {.m = m, .X = X, .Y = y, .w = NULL};
  GDL_TRY_CLEANUP(gdl_trainer_create(net, &tc, &data, rn, &tr));
  size_t off = 0, nG = 0;
  if (!f) {
    K = malloc(m * m * sizeof *K);
    Kx = malloc(m * m * sizeof *Kx);
    if (!K || !Kx) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sphere_ng: kernel %zu x %zu", m, m));
    GDL_TRY_CLEANUP(gdl_sphere_kernel_matrix(d, W, L, r, m, X, K, Kx));
    off = (size_t)gsl_rng_uniform_int(ro, c->stride);
  }
  for (size_t t = 0; t < c->net.steps; t++) {
    if (!f && t % c->stride == off) {
      double G, g2;
      GDL_TRY_CLEANUP(gdl_sphere_ng_G(net, m, X, K, Kx, 0, &G, &g2));
      o->sumG += (double)c->stride * G;
      o->gradsq += g2;
      nG++;
    }
    GDL_TRY_CLEANUP(gdl_trainer_step(tr, NULL));
  }
  if (nG) o->gradsq /= (double)nG;
  if (f) {
    Xt = malloc(mt * d * sizeof *Xt);
    yt = malloc(mt * sizeof *yt);
    ft = malloc(mt * sizeof *ft);
    if (!Xt || !yt || !ft) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sphere_ng: test sample"));
    GDL_TRY_CLEANUP(gdl_domain_sample(&dom, rt, mt, Xt, NULL));
    GDL_TRY_CLEANUP(gdl_sphere_poly_eval(f, mt, Xt, yt));
    GDL_TRY_CLEANUP(gdl_net_forward(net, mt, Xt, ft));
    double s = 0;
    for (size_t i = 0; i < mt; i++) {
      if (!isfinite(ft[i])) GDL_TRY_CLEANUP(gdl_fail(GDL_EDIVERGED, "sphere_ng: non-finite output"));
      s += ft[i] * yt[i];
    }
    o->corr = s / (double)mt;
  }
cleanup:
  GDL_FREE_ALL(X, y, K, Kx, Xt, yt, ft);
  gdl_trainer_free(tr);
  gdl_net_free(net);
  gdl_rng_free(rs); gdl_rng_free(rt); gdl_rng_free(ri); gdl_rng_free(rn); gdl_rng_free(ro);
  return rc;
}

int sphere_ng_junk_sum(const sphere_ng_config *c, uint64_t seed, uint64_t idx, size_t stride, double *sumG) {
  GDL_CHECK_ARG(c != NULL && sumG != NULL && stride >= 1 && c->net.steps % stride == 0, "sphere_ng_junk_sum: bad argument");
  const size_t d = c->net.n;
  const double r = sqrt((double)d);
  gdl_sphere_poly *fk = NULL;
  double W[GDL_SPHERE_MAX_DEG + 1];
  char p[160];
  GDL_TRY(gdl_sphere_poly_product(d, c->k, r, &fk));
  int rc = gdl_sphere_level_weights(fk, r, c->k, W);
  gdl_sphere_poly_free(fk);
  GDL_TRY(rc);
  sphere_ng_config cs = *c;
  cs.stride = stride;
  run_out o;
  snprintf(p, sizeof p, "%s/d%zu/k%u/junk", c->tag, d, c->k);
  GDL_TRY(one_run(&cs, NULL, W, c->k, seed, p, idx, &o));
  *sumG = o.sumG;
  return GDL_OK;
}

int sphere_ng_run(const sphere_ng_config *c, uint64_t seed, sphere_ng_result *e) {
  GDL_CHECK_ARG(c != NULL && e != NULL, "sphere_ng_run: NULL argument");
  memset(e, 0, sizeof *e);
  const size_t d = c->net.n;
  if (c->nreal < 2 || c->njunk < 2 || c->nctl < 0 || c->nctl == 1 || c->k < 1 || c->k > d || d < 2 ||
      c->k > GDL_SPHERE_MAX_DEG || c->stride < 1 || c->m < 2 || c->mtest < 2)
    return gdl_fail(GDL_EINVAL, "sphere_ng_run: bad sizes (d %zu, k %u, runs %d/%d/%d)", d, c->k, c->nreal, c->nctl,
                    c->njunk);
  double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  const double r = sqrt((double)d);
  int tot = c->nreal + c->nctl + c->njunk, rc = GDL_OK;
  gdl_sphere_poly *fk = NULL, *f1 = NULL;
  run_out *out = calloc((size_t)tot, sizeof *out);
  int *rcs = calloc((size_t)tot, sizeof *rcs);
  double *a = malloc((size_t)tot * sizeof *a);
  if (!out || !rcs || !a) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "sphere_ng_run"));
  GDL_TRY_CLEANUP(gdl_sphere_poly_product(d, c->k, r, &fk));
  GDL_TRY_CLEANUP(gdl_sphere_poly_product(d, 1, r, &f1));
  double W[GDL_SPHERE_MAX_DEG + 1];
  GDL_TRY_CLEANUP(gdl_sphere_level_weights(fk, r, c->k, W));
  gdl_align al;
  GDL_TRY_CLEANUP(gdl_sphere_align_levels(W, d, c->k, &al));
#pragma omp parallel for schedule(dynamic, 1)
  for (int j = 0; j < tot; j++) {
    char p[160];
    if (j < c->nreal) {
      snprintf(p, sizeof p, "%s/d%zu/k%u/real", c->tag, d, c->k);
      rcs[j] = one_run(c, fk, NULL, 0, seed, p, (uint64_t)j, &out[j]);
    } else if (j < c->nreal + c->nctl) {
      snprintf(p, sizeof p, "%s/d%zu/k%u/control", c->tag, d, c->k);
      rcs[j] = one_run(c, f1, NULL, 0, seed, p, (uint64_t)(j - c->nreal), &out[j]);
    } else {
      snprintf(p, sizeof p, "%s/d%zu/k%u/junk", c->tag, d, c->k);
      rcs[j] = one_run(c, NULL, W, c->k, seed, p, (uint64_t)(j - c->nreal - c->nctl), &out[j]);
    }
  }
  for (int j = 0; j < tot && rc == GDL_OK; j++) rc = rcs[j];
  if (rc != GDL_OK) goto cleanup;
  for (int j = 0; j < c->nreal + c->nctl; j++) a[j] = out[j].corr;
  GDL_TRY_CLEANUP(ng_corr_summary(c->nreal, c->nctl, a, &e->mean_abs, &e->se_abs, &e->max_abs, &e->mean_ctl,
                                  &e->se_ctl, &e->min_ctl));
  const run_out *junk = out + c->nreal + c->nctl;
  double g2 = 0;
  for (int j = 0; j < c->njunk; j++) {
    a[j] = junk[j].sumG;
    g2 += junk[j].gradsq / c->njunk;
  }
  e->gradsq_mean = g2;
  GDL_TRY_CLEANUP(gdl_mean_se((size_t)c->njunk, a, &e->sumG_mean, &e->sumG_se));
  e->lambda = al.lambda;
  double fn = sqrt(al.dist2), tau = c->net.tau;
  ng_bound_band(e->lambda, fn, e->sumG_mean, e->sumG_se, SPHERE_NSTD, tau, &e->bound, &e->bound_lo, &e->bound_hi);
  e->seconds = gdl_clock_seconds(GDL_CLOCK_WALL) - t0;
cleanup:
  gdl_sphere_poly_free(fk);
  gdl_sphere_poly_free(f1);
  GDL_FREE_ALL(out, rcs, a);
  return rc;
}

/* ---------------- the sweep ---------------- */
const char *const sphere_columns[SPHERE_NCOLS] = {
    "panel", "d", "k", "lambda", "lambda_cube", "mc", "mc_se", "mean_abs", "se_abs", "ctl_mean", "ctl_se", "sumG",
    "sumG_se", "bound", "bound_lo", "bound_hi"};

static void product_str(unsigned k, char *buf, size_t len) {
  size_t o = 0;
  buf[0] = '\0';
  for (unsigned i = 1; i <= k && o < len; i++) o += (size_t)snprintf(buf + o, len - o, "%sx%u", i > 1 ? "*" : "", i);
}

size_t sphere_grid_make(sphere_grid *g, int full, uint64_t seed) {
  memset(g, 0, sizeof *g);
  g->seed = seed;
  for (unsigned k = 1; k <= (full ? 6u : 5u); k++) {
    char s[64];
    product_str(k, s, sizeof s);
    sphere_al2_config_default(&g->al[g->np], 10, s, s);
    g->al[g->np].ng = full ? 20000 : 4000;
    g->al[g->np].idx = k;
    g->panel[g->np++] = 1;
  }
  sphere_ng_config_default(&g->ng[g->np]);
  if (full) g->ng[g->np].nreal = 20;
  g->panel[g->np++] = 2;
  sphere_ng_config_tight(&g->ng[g->np]);
  g->panel[g->np++] = 3;
  return g->np;
}

/* panel 1: AL2, else NG3 */
static int grid_point_json(const void *ctx, size_t i, gdl_json *j) {
  const sphere_grid *g = ctx;
  return g->panel[i] == 1 ? sphere_al2_config_json(&g->al[i], j) : sphere_ng_config_json(&g->ng[i], j);
}

int sphere_grid_json(const void *ctx, gdl_json *j) {
  const sphere_grid *g = ctx;
  return gdl_exp_points_json(j, g->np, g->panel, grid_point_json, g);
}

int sphere_point_row(const sphere_grid *g, size_t i, double *v) {
  GDL_CHECK_ARG(g != NULL && i < g->np && v != NULL, "sphere_point_row: bad argument");
  for (size_t c = 0; c < SPHERE_NCOLS; c++) v[c] = NAN;
  v[0] = g->panel[i];
  if (g->panel[i] == 1) {
    const sphere_al2_config *c = &g->al[i];
    sphere_al2_result r;
    GDL_TRY(sphere_al2_run(c, g->seed, &r));
    /* h = f = x1...xk (harmonic, weight W = ||f||^2): every value divided by W^2 is the one
     * of the unit-norm f, whose lambda is 1/N(d, k) */
    const double w2 = r.hnorm2 * r.hnorm2;
    v[1] = (double)c->d;
    v[2] = (double)r.level;
    v[3] = r.formula / w2;
    v[4] = r.wrong / w2;
    v[5] = r.mc / w2;
    v[6] = r.se / w2;
  } else {
    const sphere_ng_config *c = &g->ng[i];
    sphere_ng_result e;
    GDL_TRY(sphere_ng_run(c, g->seed, &e));
    v[1] = (double)c->net.n;
    v[2] = c->k;
    v[3] = e.lambda;
    v[4] = 1.0 / gsl_sf_choose((unsigned)c->net.n, c->k);
    v[7] = e.mean_abs;
    v[8] = e.se_abs;
    v[9] = e.mean_ctl;
    v[10] = e.se_ctl;
    v[11] = e.sumG_mean;
    v[12] = e.sumG_se;
    v[13] = e.bound;
    v[14] = e.bound_lo;
    v[15] = e.bound_hi;
  }
  return GDL_OK;
}

int sphere_sweep_point(void *ctx, gdl_sweep *s, size_t i) {
  const sphere_grid *g = ctx;
  char path[4096];
  double v[SPHERE_NCOLS];
  GDL_CHECK_ARG(g != NULL && i < g->np, "sphere_sweep_point: point %zu out of range", i);
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  GDL_TRY(sphere_point_row(g, i, v));
  return gdl_csv_write(path, SPHERE_NCOLS, sphere_columns, 1, v);
}
