/* steps.c: claim SC1, the true-gradient and class-mean-gradient GD runs (experiments/steps.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "experiments/steps.h"

static const uint64_t quick_p[] = {7, 31, 127, 509, 2039};
static const uint64_t full_p[] = {7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191};

/* the shared defaults with the grid of moduli ps[0..np-1] and T steps */
static void base(steps_config *c, const uint64_t *ps, size_t np, size_t T) {
  *c = (steps_config){.np = np, .hidden = 32, .w0 = 4.0, .bscale = 1.0, .lr = 0.05, .T = T, .bits = 0,
                      .delta = 1e-6, .afrac = 0.125};
  memcpy(c->p, ps, np * sizeof *ps);
}

void steps_config_default(steps_config *c) { base(c, quick_p, GDL_EXP_COUNT(quick_p), 300); }

void steps_config_full(steps_config *c) { base(c, full_p, GDL_EXP_COUNT(full_p), 1000); }

int steps_config_json(const void *cfg, gdl_json *j) {
  const steps_config *c = cfg;
  GDL_TRY(gdl_exp_json_u64s(j, "p", c->np, c->p));
  const gdl_exp_field f[] = {
      GDL_EXP_STR("class", "cos(2 pi a x / p), a uniform on Z_p^*, x uniform on Z_p"),
      GDL_EXP_STR("encoding", c->bits ? "bits" : "scalar 2x/p-1"),
      GDL_EXP_INT("hidden", c->hidden), GDL_EXP_STR("act", "tanh"), GDL_EXP_NUM("w0", c->w0),
      GDL_EXP_NUM("bscale", c->bscale),
      GDL_EXP_NUM("lr", c->lr), GDL_EXP_INT("T", c->T), GDL_EXP_NUM("delta", c->delta), GDL_EXP_NUM("afrac", c->afrac),
      GDL_EXP_STR("loss", "1/2 E_x (f - h)^2, full batch")};
  return gdl_exp_json_fields(j, GDL_EXP_COUNT(f), f);
}

void steps_result_free(steps_result *r) {
  if (!r) return;
  GDL_FREE_ALL(r->e, r->dpred, r->bound, r->bound_var, r->dgrad, r->var, r->ell);
  memset(r, 0, sizeof *r);
}

/* shared setup of one point */
typedef struct {
  gdl_domain dom;
  size_t m, dim, P;
  double *X, *tab, *ybar, *ya;
  gdl_net *net;  /* initialised net */
  uint64_t a;
} setup;

static void setup_free(setup *s) {
  GDL_FREE_ALL(s->X, s->tab, s->ybar, s->ya);
  gdl_net_free(s->net);
  memset(s, 0, sizeof *s);
}

static int setup_point(const steps_config *c, uint64_t seed, size_t ip, setup *s) {
  memset(s, 0, sizeof *s);
  GDL_CHECK_ARG(c != NULL && ip < c->np, "steps: point %zu out of range", ip);
  uint64_t p = c->p[ip];
  GDL_CHECK_ARG(p >= 5 && c->hidden >= 1 && c->T >= 1 && c->lr > 0 && c->delta > 0 && c->delta < 1 && c->afrac >= 0 &&
                    c->afrac < 0.5,
                "steps: bad configuration (p = %llu)", (unsigned long long)p);
  int rc = GDL_OK;
  gsl_rng *r = NULL;
  GDL_TRY_CLEANUP(gdl_domain_zp(p, c->bits, &s->dom));
  s->m = (size_t)p;
  s->dim = gdl_domain_dim(&s->dom);
  s->X = malloc(s->m * s->dim * sizeof *s->X);
  s->tab = malloc(p * sizeof *s->tab);
  s->ybar = malloc(p * sizeof *s->ybar);
  s->ya = malloc(p * sizeof *s->ya);
  if (!s->X || !s->tab || !s->ybar || !s->ya) {
    rc = gdl_fail(GDL_ENOMEM, "steps: out of memory (p = %llu)", (unsigned long long)p);
    goto cleanup;
  }
  GDL_TRY_CLEANUP(gdl_domain_enumerate(&s->dom, s->X, NULL, NULL));
  GDL_TRY_CLEANUP(gdl_phi_table(GDL_PHI_COS, p, s->tab));
  double S = 0;
  for (uint64_t y = 0; y < p; y++) S += s->tab[y];
  for (uint64_t x = 0; x < p; x++) s->ybar[x] = x == 0 ? s->tab[0] : (S - s->tab[0]) / (double)(p - 1);
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, "SC1.a", p, &r));
  {
    uint64_t L = (uint64_t)ceil(c->afrac * (double)p);
    if (L < 1) L = 1;
    if (2 * L > p) {
      rc = gdl_fail(GDL_EINVAL, "steps: afrac = %g leaves no member at p = %llu", c->afrac, (unsigned long long)p);
      goto cleanup;
    }
    s->a = L + (uint64_t)gsl_rng_uniform_int(r, (unsigned long)(p - 2 * L + 1)); /* L <= a <= p - L */
  }
  gdl_rng_free(r);
  r = NULL;
  for (uint64_t x = 0; x < p; x++) s->ya[x] = s->tab[(uint64_t)((unsigned __int128)s->a * x % p)];
  gdl_net_spec sp;
  size_t hid = c->hidden;
  GDL_TRY_CLEANUP(gdl_net_spec_mlp(&sp, s->dim, 1, &hid, 1, GDL_ACT_TANH, 1));
  GDL_TRY_CLEANUP(gdl_net_create(&sp, &s->net));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, "SC1.init", p, &r));
  for (size_t l = 0; l < sp.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, (l == 0 ? c->w0 : 1.0) / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, l == 0 ? c->bscale : 0.0, 0, 0};
    GDL_TRY_CLEANUP(gdl_net_init_layer(s->net, l, w, b, r));
  }
  GDL_TRY_CLEANUP(gdl_net_reserve(s->net, s->m));
  s->P = s->net->nparams;
cleanup:
  gdl_rng_free(r);
  if (rc != GDL_OK) setup_free(s);
  return rc;
}

/* gradient of 1/2 E_x (f - y)^2 at the last forward (f), into g */
static int grad_for(gdl_net *net, size_t m, const double *f, const double *y, double *dout, double *g) {
  for (size_t i = 0; i < m; i++) dout[i] = (f[i] - y[i]) / (double)m;
  GDL_TRY(gdl_net_backward(net, dout));
  memcpy(g, net->grad, net->nparams * sizeof *g);
  return GDL_OK;
}

static double dist(size_t n, const double *u, const double *v) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (u[i] - v[i]) * (u[i] - v[i]);
  return sqrt(s);
}

static double pearson(size_t m, const double *f, const double *h) {
  double mf = 0, mh = 0;
  for (size_t i = 0; i < m; i++) {
    mf += f[i];
    mh += h[i];
  }
  mf /= (double)m;
  mh /= (double)m;
  double sfh = 0, sff = 0, shh = 0;
  for (size_t i = 0; i < m; i++) {
    sfh += (f[i] - mf) * (h[i] - mh);
    sff += (f[i] - mf) * (f[i] - mf);
    shh += (h[i] - mh) * (h[i] - mh);
  }
  return sff > 0 && shh > 0 ? sfh / sqrt(sff * shh) : 0.0;
}

int steps_run(const steps_config *c, uint64_t seed, size_t ip, steps_result *r) {
  GDL_CHECK_ARG(r != NULL, "steps_run: r is NULL");
  memset(r, 0, sizeof *r);
  setup s;
  GDL_TRY(setup_point(c, seed, ip, &s));
  int rc = GDL_OK;
  gdl_net *nt = NULL, *nm = NULL;
  size_t T = c->T, m = s.m, P = s.P;
  double *fT = malloc(m * sizeof *fT), *fM = malloc(m * sizeof *fM), *dout = malloc(m * sizeof *dout);
  double *gT = malloc(P * sizeof *gT), *gM = malloc(P * sizeof *gM), *gA = malloc(P * sizeof *gA);
  double *th0 = malloc(P * sizeof *th0), *ht = malloc(m * sizeof *ht);
  r->p = c->p[ip];
  r->a = s.a;
  r->T = T;
  /* the curves, T + 1 entries each */
  double **curve[] = {&r->e, &r->dpred, &r->bound, &r->bound_var, &r->dgrad, &r->var, &r->ell};
  int nomem = !fT || !fM || !dout || !gT || !gM || !gA || !th0 || !ht;
  for (size_t i = 0; i < sizeof curve / sizeof curve[0]; i++) {
    *curve[i] = malloc((T + 1) * sizeof **curve[i]);
    nomem |= *curve[i] == NULL;
  }
  if (nomem) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "steps_run: out of memory"));
  GDL_TRY_CLEANUP(gdl_net_clone(s.net, &nt));
  GDL_TRY_CLEANUP(gdl_net_clone(s.net, &nm));
  GDL_TRY_CLEANUP(gdl_net_reserve(nt, m));
  GDL_TRY_CLEANUP(gdl_net_reserve(nm, m));
  memcpy(th0, s.net->params, P * sizeof *th0);
  double hn = 0;
  for (size_t i = 0; i < m; i++) {
    ht[i] = s.ya[i] - s.ybar[i];
    hn += ht[i] * ht[i];
  }
  r->ht_norm = sqrt(hn / (double)m);
  double lr = c->lr, B = 0, BV = 0, chebmax = 0;
  for (size_t t = 0;; t++) {
    /* the exact class variance at the mean run's point (target-independent) */
    double var = NAN;
    if (t < T) {
      gdl_var_result vr;
      GDL_TRY_CLEANUP(gdl_variance_zp(nm, &s.dom, s.tab, GDL_FFT_AUTO, &vr, NULL, NULL));
      var = vr.var;
    }
    GDL_TRY_CLEANUP(gdl_net_forward(nt, m, s.X, fT));
    GDL_TRY_CLEANUP(gdl_net_forward(nm, m, s.X, fM));
    double e = dist(P, nt->params, nm->params);
    r->e[t] = e;
    r->dpred[t] = dist(m, fT, fM) / sqrt((double)m);
    r->bound[t] = B;
    r->bound_var[t] = BV;
    if (t == T) {
      r->dgrad[t] = r->var[t] = r->ell[t] = NAN;
      break;
    }
    GDL_TRY_CLEANUP(grad_for(nt, m, fT, s.ya, dout, gT));
    GDL_TRY_CLEANUP(grad_for(nm, m, fM, s.ybar, dout, gM));
    GDL_TRY_CLEANUP(grad_for(nm, m, fM, s.ya, dout, gA));
    double dg = dist(P, gA, gM);
    /* secant factor of the true GD map between theta_t and phi_t */
    double ell = 1.0;
    if (e > 0) {
      double sq = 0;
      for (size_t k = 0; k < P; k++) {
        double d = (nt->params[k] - lr * gT[k]) - (nm->params[k] - lr * gA[k]);
        sq += d * d;
      }
      ell = sqrt(sq) / e;
    }
    double cheb = sqrt((double)T * var / c->delta);
    if (cheb > 0 && dg / cheb > chebmax) chebmax = dg / cheb;
    r->dgrad[t] = dg;
    r->var[t] = var;
    r->ell[t] = ell;
    B = ell * B + lr * dg;
    BV = ell * BV + lr * cheb;
    for (size_t k = 0; k < P; k++) {
      nt->params[k] -= lr * gT[k];
      nm->params[k] -= lr * gM[k];
    }
    if (!isfinite(e) || !isfinite(B)) {
      rc = gdl_fail(GDL_EDIVERGED, "steps_run: non-finite distance at step %zu (p = %llu)", t, (unsigned long long)r->p);
      goto cleanup;
    }
  }
  r->corr_true = pearson(m, fT, ht);
  r->corr_mean = pearson(m, fM, ht);
  r->gain = r->corr_true - r->corr_mean;
  r->move_mean = dist(P, nm->params, th0);
  r->cheb_max = chebmax;
cleanup:
  GDL_FREE_ALL(fT, fM, dout, gT, gM, gA, th0, ht);
  gdl_net_free(nt);
  gdl_net_free(nm);
  setup_free(&s);
  if (rc != GDL_OK) steps_result_free(r);
  return rc;
}

int steps_var0_check(const steps_config *c, uint64_t seed, size_t ip, double *direct, double *engine) {
  GDL_CHECK_ARG(direct != NULL && engine != NULL, "steps_var0_check: NULL output");
  setup s;
  GDL_TRY(setup_point(c, seed, ip, &s));
  int rc = GDL_OK;
  size_t m = s.m, P = s.P;
  uint64_t p = c->p[ip];
  double *f = malloc(m * sizeof *f), *dout = malloc(m * sizeof *dout), *gM = malloc(P * sizeof *gM),
         *gA = malloc(P * sizeof *gA), *y = malloc(m * sizeof *y);
  if (!f || !dout || !gM || !gA || !y) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "steps_var0_check: out of memory"));
  gdl_var_result vr;
  GDL_TRY_CLEANUP(gdl_variance_zp(s.net, &s.dom, s.tab, GDL_FFT_AUTO, &vr, NULL, NULL));
  *engine = vr.var;
  GDL_TRY_CLEANUP(gdl_net_forward(s.net, m, s.X, f));
  GDL_TRY_CLEANUP(grad_for(s.net, m, f, s.ybar, dout, gM));
  double acc = 0;
  for (uint64_t a = 1; a < p; a++) {
    for (uint64_t x = 0; x < p; x++) y[x] = s.tab[(uint64_t)((unsigned __int128)a * x % p)];
    GDL_TRY_CLEANUP(grad_for(s.net, m, f, y, dout, gA));
    double d = dist(P, gA, gM);
    acc += d * d;
  }
  *direct = acc / (double)(p - 1);
cleanup:
  GDL_FREE_ALL(f, dout, gM, gA, y);
  setup_free(&s);
  return rc;
}

const char *const steps_point_columns[STEPS_NPOINT_COLS] = {
    "p", "a", "T", "e_T", "bound_T", "bound_var_T", "dpred_T", "corr_true", "corr_mean", "gain", "move_mean",
    "cheb_max", "ht_norm", "min_slack"};
const char *const steps_curve_columns[STEPS_NCURVE_COLS] = {"p", "t", "e", "dpred", "bound", "bound_var", "dgrad",
                                                            "var", "ell"};

void steps_point_row(const steps_result *r, double *row) {
  size_t T = r->T;
  /* smallest B_t - e_t over t >= 1 relative to B_t: >= 0 when the step-by-step bound holds */
  double slack = INFINITY;
  for (size_t t = 1; t <= T; t++) {
    double s = r->bound[t] > 0 ? (r->bound[t] - r->e[t]) / r->bound[t] : 0.0;
    if (s < slack) slack = s;
  }
  double v[STEPS_NPOINT_COLS] = {(double)r->p, (double)r->a, (double)T, r->e[T], r->bound[T], r->bound_var[T],
                                 r->dpred[T], r->corr_true, r->corr_mean, r->gain, r->move_mean, r->cheb_max,
                                 r->ht_norm, slack};
  memcpy(row, v, sizeof v);
}

int steps_write_point(const steps_config *c, uint64_t seed, size_t ip, const char *csv_path, const char *curve_path) {
  GDL_CHECK_ARG(csv_path != NULL && curve_path != NULL, "steps_write_point: NULL path");
  steps_result r;
  GDL_TRY(steps_run(c, seed, ip, &r));
  int rc = GDL_OK;
  gdl_csv *csv = NULL;
  GDL_TRY_CLEANUP(gdl_csv_open(curve_path, STEPS_NCURVE_COLS, steps_curve_columns, &csv));
  for (size_t t = 0; t <= r.T; t++) {
    double row[STEPS_NCURVE_COLS] = {(double)r.p, (double)t, r.e[t], r.dpred[t], r.bound[t], r.bound_var[t],
                                     r.dgrad[t], r.var[t], r.ell[t]};
    GDL_TRY_CLEANUP(gdl_csv_row(csv, row));
  }
  rc = gdl_csv_commit(csv);
  csv = NULL;
  if (rc != GDL_OK) goto cleanup;
  double row[STEPS_NPOINT_COLS];
  steps_point_row(&r, row);
  rc = gdl_csv_write(csv_path, STEPS_NPOINT_COLS, steps_point_columns, 1, row);
cleanup:
  if (csv) gdl_csv_abort(csv);
  steps_result_free(&r);
  return rc;
}
