/* orbit.c: gradient variance of the periodic-neuron orbit for 2-layer ReLU nets on
 * Gaussian inputs, and the Schur bound B(gamma, d). See gdl/orbit.h.
 *
 * Reduction (derivation in theorems/sgd_hardness.md). Neuron j: w_j = r u_j (|u_j| = 1),
 * bias b, output weight a, tau = -b/r. For v with c = <v, u>, write <v, x> = c s + sqrt(1-c^2) z
 * with s = <u, x>, z independent N(0,1). With omega = 2 pi gamma c, beta = 2 pi gamma sqrt(1-c^2),
 * E = exp(-beta^2/2), C0 + i S0 = int_tau^inf phi(s) e^{i omega s} ds and (by parts)
 * C1 = int_tau^inf s phi(s) cos(omega s) ds = phi(tau) cos(omega tau) - omega S0:
 *   dG/da_j  = s_out E (r C1 + b C0)
 *   dG/db_j  = s_out a E C0
 *   dG/dw_j  = s_out a E (C1 u - beta S0 e_perp),  e_perp = (v - c u)/sqrt(1 - c^2).
 */
#include "gdl/orbit.h"
#include "gdl/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

#define NQ 16          /* Gauss-Legendre nodes per panel */
#define PANEL_HMAX 0.5 /* inner (s) panel length: min(0.5, 4/omega_max), <= 4 rad per panel */
#define S_CUT 9.0      /* phi(9) ~ 1e-18: s integrals are taken on [-9, 9] */
#define NO_BIAS ((size_t)-1)

static const double TWO_PI = 6.283185307179586476925286766559;

/* 16-point Gauss-Legendre rule on [-1, 1] (from GSL, filled per call: no global state). */
typedef struct { double x[NQ], w[NQ]; } gl_rule;
static int gl_rule_init(gl_rule *g) {
  gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(NQ);
  if (!t) return gdl_fail(GDL_ENOMEM, "orbit: Gauss-Legendre table allocation failed");
  for (size_t i = 0; i < NQ; i++) gsl_integration_glfixed_point(-1.0, 1.0, i, &g->x[i], &g->w[i], t);
  gsl_integration_glfixed_table_free(t);
  return GDL_OK;
}

static double phi_pdf(double s) { return exp(-0.5 * s * s) / sqrt(TWO_PI); }

/* ---------- inner integral I(omega, tau) by panels with shared phase factors ---------- */
static double panel_len(double omega_max) {
  double h = PANEL_HMAX;
  if (fabs(omega_max) * h > 4.0) h = 4.0 / fabs(omega_max);
  return h;
}
static size_t max_panels(double h) { return (size_t)ceil(2.0 * S_CUT / h) + 2; }

typedef struct {
  double tau0;     /* start of the panels (max(tau, -S_CUT)) */
  double h;        /* panel length */
  size_t npan;     /* panels of length h */
  double *wphi;    /* npan * NQ: (h/2) w_q phi(s_pq) */
} inner_prep;

static size_t inner_npan(double tau, double h) {
  double t0 = tau < -S_CUT ? -S_CUT : tau;
  if (t0 >= S_CUT) return 0;
  return (size_t)ceil((S_CUT - t0) / h);
}

static void inner_fill(inner_prep *p, double tau, const gl_rule *g, double *buf, double h) {
  p->tau0 = tau < -S_CUT ? -S_CUT : tau;
  p->h = h;
  p->npan = inner_npan(tau, h);
  p->wphi = buf;
  for (size_t k = 0; k < p->npan; k++)
    for (size_t q = 0; q < NQ; q++) {
      double s = p->tau0 + h * ((double)k + 0.5 * (1.0 + g->x[q]));
      buf[k * NQ + q] = 0.5 * h * g->w[q] * phi_pdf(s);
    }
}

/* Phase factors for one omega: E_q = e^{i omega h (1+x_q)/2}, rot = e^{i omega h}. */
typedef struct { double er[NQ], ei[NQ], rr, ri, omega; } phase;
static void phase_fill(phase *ph, double omega, const gl_rule *g, double h) {
  ph->omega = omega;
  for (size_t q = 0; q < NQ; q++) {
    double th = omega * h * 0.5 * (1.0 + g->x[q]);
    ph->er[q] = cos(th);
    ph->ei[q] = sin(th);
  }
  ph->rr = cos(omega * h);
  ph->ri = sin(omega * h);
}

/* C0, S0, C1 for one neuron at one omega. */
static void inner_eval(const inner_prep *p, const phase *ph, double *C0, double *S0, double *C1) {
  double sr = 0, si = 0, cr = 1, ci = 0;
  for (size_t k = 0; k < p->npan; k++) {
    const double *w = p->wphi + k * NQ;
    double ar = 0, ai = 0;
    for (size_t q = 0; q < NQ; q++) {
      ar += w[q] * ph->er[q];
      ai += w[q] * ph->ei[q];
    }
    sr += cr * ar - ci * ai;
    si += cr * ai + ci * ar;
    double nr = cr * ph->rr - ci * ph->ri;
    ci = cr * ph->ri + ci * ph->rr;
    cr = nr;
  }
  double st = ph->omega * p->tau0, c0 = cos(st), s0 = sin(st);
  *C0 = c0 * sr - s0 * si;
  *S0 = c0 * si + s0 * sr;
  *C1 = phi_pdf(p->tau0) * cos(st) - ph->omega * (*S0);
}

int gdl_orbit_gauss_ft(double omega, double tau, double *C, double *S) {
  GDL_CHECK_ARG(C && S, "gdl_orbit_gauss_ft: NULL output");
  GDL_CHECK_ARG(isfinite(omega) && fabs(omega) <= 200, "gdl_orbit_gauss_ft: omega %g out of range", omega);
  GDL_CHECK_ARG(!isnan(tau), "gdl_orbit_gauss_ft: tau is NaN");
  gl_rule g;
  GDL_TRY(gl_rule_init(&g));
  double h = panel_len(omega);
  double *buf = malloc(max_panels(h) * NQ * sizeof *buf);
  if (!buf) return gdl_fail(GDL_ENOMEM, "gdl_orbit_gauss_ft: out of memory");
  inner_prep p;
  inner_fill(&p, tau, &g, buf, h);
  phase ph;
  phase_fill(&ph, omega, &g, h);
  double c1;
  inner_eval(&p, &ph, C, S, &c1);
  free(buf);
  return GDL_OK;
}

/* ---------- the net ---------- */
int gdl_orbit_check_net(const gdl_net *net) {
  GDL_CHECK_ARG(net != NULL, "orbit: net is NULL");
  const gdl_net_spec *s = &net->spec;
  GDL_CHECK_ARG(s->nlayers == 2, "orbit: needs a 2-layer net (got %zu weight layers)", s->nlayers);
  GDL_CHECK_ARG(s->act[0] == GDL_ACT_RELU, "orbit: hidden activation must be relu");
  GDL_CHECK_ARG(s->width[2] == 1, "orbit: needs one output (got %zu)", s->width[2]);
  GDL_CHECK_ARG(s->width[0] >= 3, "orbit: input dimension %zu < 3", s->width[0]);
  GDL_CHECK_ARG(isfinite(s->out_scale), "orbit: out_scale not finite");
  for (size_t i = 0; i < net->nparams; i++)
    GDL_CHECK_ARG(isfinite(net->params[i]), "orbit: parameter %zu is not finite", i);
  return GDL_OK;
}

typedef struct {
  size_t d, N;
  double sc;            /* out_scale */
  double h;             /* inner panel length for |omega| <= 2 pi gamma */
  int has_b0, has_b1;
  double *r, *b, *a, *tau, *U;  /* U: N x d unit directions (rows of zeros for r = 0) */
  inner_prep *ip;
  double *wbuf;
  gl_rule g;
} nrn_set;

static void nrn_free(nrn_set *n) {
  GDL_FREE_ALL(n->r, n->ip, n->wbuf);
  memset(n, 0, sizeof *n);
}

static int nrn_prepare(const gdl_net *net, double gamma, nrn_set *n) {
  memset(n, 0, sizeof *n);
  GDL_TRY(gdl_orbit_check_net(net));
  GDL_TRY(gl_rule_init(&n->g));
  size_t d = net->spec.width[0], N = net->spec.width[1];
  n->d = d;
  n->N = N;
  n->sc = net->spec.out_scale;
  n->has_b0 = net->b_off[0] != NO_BIAS;
  n->has_b1 = net->b_off[1] != NO_BIAS;
  n->r = malloc((4 * N + N * d) * sizeof(double));
  n->ip = malloc(N * sizeof *n->ip);
  size_t perpan = NQ;
  n->h = panel_len(TWO_PI * gamma);
  size_t maxpan = max_panels(n->h);
  n->wbuf = malloc(N * maxpan * perpan * sizeof(double));
  if (!n->r || !n->ip || !n->wbuf) {
    nrn_free(n);
    return gdl_fail(GDL_ENOMEM, "orbit: out of memory");
  }
  n->b = n->r + N;
  n->a = n->b + N;
  n->tau = n->a + N;
  n->U = n->tau + N;
  const double *W = net->params + net->w_off[0];
  const double *B0 = n->has_b0 ? net->params + net->b_off[0] : NULL;
  const double *A = net->params + net->w_off[1];
  for (size_t j = 0; j < N; j++) {
    double rr = 0;
    for (size_t k = 0; k < d; k++) rr += W[j * d + k] * W[j * d + k];
    rr = sqrt(rr);
    n->r[j] = rr;
    n->b[j] = B0 ? B0[j] : 0.0;
    n->a[j] = A[j];
    for (size_t k = 0; k < d; k++) n->U[j * d + k] = rr > 0 ? W[j * d + k] / rr : 0.0;
    n->tau[j] = rr > 0 ? -n->b[j] / rr : (n->b[j] > 0 ? -INFINITY : INFINITY);
    inner_fill(&n->ip[j], n->tau[j], &n->g, n->wbuf + j * maxpan * perpan, n->h);
  }
  return GDL_OK;
}

int gdl_orbit_grad_sqnorm(const gdl_net *net, double *egrad2) {
  GDL_CHECK_ARG(egrad2 != NULL, "gdl_orbit_grad_sqnorm: NULL output");
  GDL_TRY(gdl_orbit_check_net(net));
  size_t d = net->spec.width[0], N = net->spec.width[1];
  int has_b0 = net->b_off[0] != NO_BIAS, has_b1 = net->b_off[1] != NO_BIAS;
  const double *W = net->params + net->w_off[0];
  const double *A = net->params + net->w_off[1];
  double s2 = net->spec.out_scale * net->spec.out_scale, tot = 0;
  for (size_t j = 0; j < N; j++) {
    double rr = 0;
    for (size_t k = 0; k < d; k++) rr += W[j * d + k] * W[j * d + k];
    rr = sqrt(rr);
    double b = has_b0 ? net->params[net->b_off[0] + j] : 0.0, a = A[j];
    double relu2, Q, xx;
    if (rr > 0) {
      double tau = -b / rr;
      Q = gsl_sf_erf_Q(tau);
      double ph = phi_pdf(tau);
      double s2ind = Q + (isfinite(tau) ? tau * ph : 0.0); /* E[s^2 1{s>tau}] */
      relu2 = rr * rr * s2ind + 2 * rr * b * ph + b * b * Q;
      xx = s2ind + (double)(d - 1) * Q;
    } else {
      Q = b > 0 ? 1.0 : 0.0;
      relu2 = b > 0 ? b * b : 0.0;
      xx = (double)d * Q;
    }
    tot += relu2 + (has_b0 ? a * a * Q : 0.0) + a * a * xx;
  }
  if (has_b1) tot += 1.0;
  *egrad2 = s2 * tot;
  return GDL_OK;
}

/* Neuron j's three v-dependent scalars at cosine c (c in [-1,1], 1-c^2 = omc2 given
 * separately for accuracy): ga = dG/da, gb = dG/db, gpar, gperp (w block along u, e_perp). */
static void neuron_at(const nrn_set *n, size_t j, const phase *ph, double gamma, double omc2,
                      double *ga, double *gb, double *gpar, double *gperp) {
  double C0, S0, C1;
  inner_eval(&n->ip[j], ph, &C0, &S0, &C1);
  double beta2 = 4.0 * M_PI * M_PI * gamma * gamma * omc2;
  double E = exp(-0.5 * beta2);
  double s = n->sc, a = n->a[j];
  *ga = s * E * (n->r[j] * C1 + n->b[j] * C0);
  *gb = n->has_b0 ? s * a * E * C0 : 0.0;
  *gpar = s * a * E * C1;
  *gperp = -s * a * E * sqrt(beta2) * S0;
}

int gdl_orbit_class_grad(const gdl_net *net, double gamma, const double *v, double *G) {
  GDL_CHECK_ARG(v && G, "gdl_orbit_class_grad: NULL argument");
  GDL_CHECK_ARG(isfinite(gamma) && gamma >= 0 && gamma <= 20, "gdl_orbit_class_grad: gamma %g outside [0, 20]", gamma);
  nrn_set n;
  GDL_TRY(nrn_prepare(net, gamma, &n));
  size_t d = n.d, N = n.N;
  double nv = 0;
  for (size_t k = 0; k < d; k++) nv += v[k] * v[k];
  nv = sqrt(nv);
  if (!(nv > 0) || !isfinite(nv)) {
    nrn_free(&n);
    return gdl_fail(GDL_EINVAL, "gdl_orbit_class_grad: v must be a finite non-zero vector");
  }
  memset(G, 0, net->nparams * sizeof *G);
  double Eh = exp(-2.0 * M_PI * M_PI * gamma * gamma); /* E_x cos(2 pi gamma <v,x>) */
  double s = n.sc;
  double *Gw = G + net->w_off[0], *Gb = n.has_b0 ? G + net->b_off[0] : NULL, *Ga = G + net->w_off[1];
  for (size_t j = 0; j < N; j++) {
    if (n.r[j] == 0) {
      double on = n.b[j] > 0 ? 1.0 : 0.0;
      Ga[j] = s * (n.b[j] > 0 ? n.b[j] : 0.0) * Eh;
      if (Gb) Gb[j] = s * n.a[j] * on * Eh;
      continue;
    }
    const double *u = n.U + j * d;
    double c = 0;
    for (size_t k = 0; k < d; k++) c += u[k] * v[k] / nv;
    if (c > 1) c = 1;
    if (c < -1) c = -1;
    double omc2 = 0;
    double ep[d];
    for (size_t k = 0; k < d; k++) {
      ep[k] = v[k] / nv - c * u[k];
      omc2 += ep[k] * ep[k];
    }
    double en = sqrt(omc2);
    phase ph;
    phase_fill(&ph, TWO_PI * gamma * c, &n.g, n.h);
    double ga, gb, gpar, gperp;
    neuron_at(&n, j, &ph, gamma, omc2, &ga, &gb, &gpar, &gperp);
    Ga[j] = ga;
    if (Gb) Gb[j] = gb;
    for (size_t k = 0; k < d; k++) Gw[j * d + k] = gpar * u[k] + (en > 0 ? gperp * ep[k] / en : 0.0);
  }
  if (n.has_b1) G[net->b_off[1]] = s * Eh;
  nrn_free(&n);
  return GDL_OK;
}

/* ---------- outer quadrature over c = <v, u> in [0, 1] (u = 1 - c graded to 0) ---------- */
/* Calls fn(ctx, u, weight) for every node, where weight includes the density of c on the
 * sphere of R^d and the factor 2 of the symmetric half c < 0. */
typedef void (*cnode_fn)(void *ctx, double u, double weight);

static void outer_nodes(size_t d, size_t refine, const gl_rule *g, cnode_fn fn, void *ctx) {
  double lognorm = gsl_sf_lnbeta(0.5, 0.5 * (double)(d - 1));
  double ex = 0.5 * ((double)d - 3.0);
  /* breakpoints: 0, 2^-44, ..., 2^-4, then steps of 1/16 up to 1 */
  double bp[64];
  size_t nb = 0;
  bp[nb++] = 0.0;
  for (int k = 44; k >= 4; k--) bp[nb++] = ldexp(1.0, -k);
  for (int k = 2; k <= 16; k++) bp[nb++] = (double)k / 16.0;
  for (size_t i = 0; i + 1 < nb; i++) {
    double lo = bp[i], hi = bp[i + 1], step = (hi - lo) / (double)refine;
    for (size_t r = 0; r < refine; r++) {
      double a = lo + step * (double)r, b = a + step;
      for (size_t q = 0; q < NQ; q++) {
        double u = a + 0.5 * (b - a) * (1.0 + g->x[q]);
        double w = 0.5 * (b - a) * g->w[q];
        double dens = exp(ex * log(u * (2.0 - u)) - lognorm);
        fn(ctx, u, 2.0 * w * dens);
      }
    }
  }
}

/* Schur bound integrand pieces */
typedef struct { double gamma, acc; } schur_ctx;
double gdl_orbit_kernel(double gamma, double t) {
  double a = 4.0 * M_PI * M_PI * gamma * gamma;
  double at = fabs(t);
  double em = -expm1(-a * at);
  return 0.5 * exp(-a * (1.0 - at)) * em * em;
}
static void schur_node(void *ctx, double u, double w) {
  schur_ctx *s = ctx;
  double a = 4.0 * M_PI * M_PI * s->gamma * s->gamma;
  double em = -expm1(-a * (1.0 - u));
  s->acc += w * 0.5 * exp(-a * u) * em * em;
}

int gdl_orbit_schur_bound(double gamma, size_t d, size_t refine, double *B) {
  GDL_CHECK_ARG(B != NULL, "gdl_orbit_schur_bound: NULL output");
  GDL_CHECK_ARG(isfinite(gamma) && gamma >= 0, "gdl_orbit_schur_bound: gamma %g must be >= 0", gamma);
  GDL_CHECK_ARG(d >= 3 && d <= 100000, "gdl_orbit_schur_bound: d = %zu must be in [3, 1e5]", d);
  GDL_CHECK_ARG(refine >= 1 && refine <= 64, "gdl_orbit_schur_bound: refine %zu not in [1, 64]", refine);
  gl_rule g;
  GDL_TRY(gl_rule_init(&g));
  schur_ctx s = {gamma, 0.0};
  outer_nodes(d, refine, &g, schur_node, &s);
  *B = s.acc;
  return GDL_OK;
}

typedef struct { double gamma, ex, lognorm; } qags_ctx;
static double qags_f(double t, void *p) {
  qags_ctx *c = p;
  double u = 1.0 - t;
  if (u <= 0) return 0.0;
  return 2.0 * exp(c->ex * log(u * (2.0 - u)) - c->lognorm) * gdl_orbit_kernel(c->gamma, t);
}

int gdl_orbit_schur_bound_qags(double gamma, size_t d, double *B) {
  GDL_CHECK_ARG(B != NULL, "gdl_orbit_schur_bound_qags: NULL output");
  GDL_CHECK_ARG(isfinite(gamma) && gamma >= 0, "gdl_orbit_schur_bound_qags: gamma %g must be >= 0", gamma);
  GDL_CHECK_ARG(d >= 3 && d <= 100000, "gdl_orbit_schur_bound_qags: d = %zu must be in [3, 1e5]", d);
  qags_ctx c = {gamma, 0.5 * ((double)d - 3.0), gsl_sf_lnbeta(0.5, 0.5 * (double)(d - 1))};
  gsl_function F = {qags_f, &c};
  gsl_integration_workspace *ws = gsl_integration_workspace_alloc(2000);
  if (!ws) return gdl_fail(GDL_ENOMEM, "gdl_orbit_schur_bound_qags: out of memory");
  double a = 4.0 * M_PI * M_PI * gamma * gamma;
  double split = a > 100 ? 1.0 - 100.0 / a : 0.0;
  double tot = 0, r, e;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = GSL_SUCCESS;
  if (split > 0) {
    st = gsl_integration_qags(&F, 0.0, split, 0.0, 1e-11, 2000, ws, &r, &e);
    tot += r;
  }
  if (st == GSL_SUCCESS) {
    st = gsl_integration_qags(&F, split, 1.0, 0.0, 1e-11, 2000, ws, &r, &e);
    tot += r;
  }
  gsl_set_error_handler(old);
  gsl_integration_workspace_free(ws);
  if (st != GSL_SUCCESS) return gdl_fail(GDL_ENUMERIC, "gdl_orbit_schur_bound_qags: QAGS failed (%d)", st);
  *B = tot;
  return GDL_OK;
}

/* ---------- exact orbit variance ---------- */
typedef struct {
  const nrn_set *n;
  double gamma;
  double mean_sq;
  double *gbar;  /* N x 3 */
} var_ctx;

static void var_node(void *ctx, double u, double w) {
  var_ctx *v = ctx;
  const nrn_set *n = v->n;
  double c = 1.0 - u, omc2 = u * (2.0 - u);
  phase ph;
  phase_fill(&ph, TWO_PI * v->gamma * c, &n->g, n->h);
  double acc = 0;
  for (size_t j = 0; j < n->N; j++) {
    if (n->r[j] == 0) continue;
    double ga, gb, gpar, gperp;
    neuron_at(n, j, &ph, v->gamma, omc2, &ga, &gb, &gpar, &gperp);
    acc += ga * ga + gb * gb + gpar * gpar + gperp * gperp;
    v->gbar[3 * j] += w * ga;
    v->gbar[3 * j + 1] += w * gb;
    v->gbar[3 * j + 2] += w * gpar;
  }
  v->mean_sq += w * acc;
}

/* Exact variance on a prepared set; gbar (N x 3, may be NULL) receives E_v of (ga, gb, gpar). */
static int variance_prepared(const gdl_net *net, const nrn_set *n, double gamma, size_t refine,
                             gdl_orbit_var *out, double *gbar_out) {
  double *gbar = calloc(3 * n->N, sizeof *gbar);
  if (!gbar) return gdl_fail(GDL_ENOMEM, "gdl_orbit_variance: out of memory");
  var_ctx v = {n, gamma, 0.0, gbar};
  outer_nodes(n->d, refine, &n->g, var_node, &v);
  double gb2 = 0;
  for (size_t i = 0; i < 3 * n->N; i++) gb2 += gbar[i] * gbar[i];
  if (gbar_out) memcpy(gbar_out, gbar, 3 * n->N * sizeof *gbar);
  free(gbar);
  out->gamma = gamma;
  out->mean_sq = v.mean_sq;
  out->gbar_sq = gb2;
  out->var = v.mean_sq - gb2;
  GDL_TRY(gdl_orbit_grad_sqnorm(net, &out->egrad2));
  out->var_norm = out->egrad2 > 0 ? out->var / out->egrad2 : 0.0;
  return GDL_OK;
}

int gdl_orbit_variance(const gdl_net *net, double gamma, size_t refine, gdl_orbit_var *out) {
  GDL_CHECK_ARG(out != NULL, "gdl_orbit_variance: NULL output");
  GDL_CHECK_ARG(isfinite(gamma) && gamma >= 0 && gamma <= 20, "gdl_orbit_variance: gamma %g outside [0, 20]", gamma);
  GDL_CHECK_ARG(refine >= 1 && refine <= 64, "gdl_orbit_variance: refine %zu not in [1, 64]", refine);
  nrn_set n;
  GDL_TRY(nrn_prepare(net, gamma, &n));
  int rc = variance_prepared(net, &n, gamma, refine, out, NULL);
  nrn_free(&n);
  return rc;
}

/* ---------- sampled directions ---------- */
typedef struct {
  double k, kappa, logZcap, Fmax, lognorm, ex;
} cap_law;

/* log of (cap density of c) / (sphere density of c) at u = 1 - c in [0, 2]. */
static double cap_logratio(const cap_law *L, double u) {
  if (u <= 0) u = 1e-300;
  double two_mu = 2.0 - u;
  if (two_mu <= 0) two_mu = 1e-300;
  /* cap density of u: u^{k-1} e^{-u/kappa} / Zcap on [0,2]; sphere density of c:
   * (u(2-u))^{ex} / Beta, with k - 1 = ex. */
  return L->lognorm - u / L->kappa - L->logZcap - L->ex * log(two_mu);
}

int gdl_orbit_variance_sampled(const gdl_net *net, double gamma, size_t nsamples,
                               gdl_orbit_sampling mode, gsl_rng *r, double *var_norm, double *se_norm) {
  GDL_CHECK_ARG(var_norm && se_norm && r, "gdl_orbit_variance_sampled: NULL argument");
  GDL_CHECK_ARG(isfinite(gamma) && gamma > 0 && gamma <= 20, "gdl_orbit_variance_sampled: gamma %g outside (0, 20]", gamma);
  GDL_CHECK_ARG(nsamples >= 2, "gdl_orbit_variance_sampled: need >= 2 samples");
  GDL_CHECK_ARG(mode == GDL_ORBIT_UNIFORM || mode == GDL_ORBIT_IMPORTANCE, "gdl_orbit_variance_sampled: bad mode");
  gdl_orbit_var ex;
  nrn_set n;
  GDL_TRY(nrn_prepare(net, gamma, &n));
  size_t d = n.d, N = n.N;
  size_t *live = malloc(N * sizeof *live);
  double *v = malloc(2 * d * sizeof *v);
  double *gbar = malloc(3 * N * sizeof *gbar);
  int rc0 = (live && v && gbar) ? variance_prepared(net, &n, gamma, 1, &ex, gbar) : GDL_ENOMEM;
  if (rc0 != GDL_OK) {
    free(live);
    free(v);
    free(gbar);
    nrn_free(&n);
    if (rc0 == GDL_ENOMEM) return gdl_fail(GDL_ENOMEM, "gdl_orbit_variance_sampled: out of memory");
    return rc0;
  }
  double *e = v + d;
  size_t nl = 0;
  for (size_t j = 0; j < N; j++)
    if (n.r[j] > 0) live[nl++] = j;
  cap_law L;
  L.ex = 0.5 * ((double)d - 3.0);
  L.k = L.ex + 1.0;
  L.kappa = 1.0 / (8.0 * M_PI * M_PI * gamma * gamma);
  L.Fmax = gsl_cdf_gamma_P(2.0, L.k, L.kappa);
  L.logZcap = gsl_sf_lngamma(L.k) + L.k * log(L.kappa) + log(L.Fmax);
  L.lognorm = gsl_sf_lnbeta(0.5, 0.5 * (double)(d - 1));
  int use_is = mode == GDL_ORBIT_IMPORTANCE && nl > 0 && L.Fmax > 0;
  double sum = 0, sum2 = 0;
  for (size_t i = 0; i < nsamples; i++) {
    int from_cap = use_is && gsl_rng_uniform(r) < 0.5;
    if (!from_cap) {
      double nn = 0;
      do {
        nn = 0;
        for (size_t k = 0; k < d; k++) {
          v[k] = gsl_ran_gaussian(r, 1.0);
          nn += v[k] * v[k];
        }
      } while (!(nn > 0));
      nn = sqrt(nn);
      for (size_t k = 0; k < d; k++) v[k] /= nn;
    } else {
      size_t j = live[gsl_rng_uniform_int(r, nl)];
      double sg = gsl_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
      double uu = gsl_cdf_gamma_Pinv(gsl_rng_uniform_pos(r) * L.Fmax, L.k, L.kappa);
      if (!(uu >= 0)) uu = 0;
      if (uu > 2) uu = 2;
      double c = 1.0 - uu, sn = sqrt(uu * (2.0 - uu));
      const double *u = n.U + j * d;
      double nn, dot;
      do {
        dot = 0;
        for (size_t k = 0; k < d; k++) {
          e[k] = gsl_ran_gaussian(r, 1.0);
          dot += e[k] * u[k];
        }
        nn = 0;
        for (size_t k = 0; k < d; k++) {
          e[k] -= dot * u[k];
          nn += e[k] * e[k];
        }
      } while (!(nn > 1e-20));
      nn = sqrt(nn);
      for (size_t k = 0; k < d; k++) v[k] = sg * (c * u[k] + sn * e[k] / nn);
    }
    double val = 0, ratio = 0;
    for (size_t jj = 0; jj < nl; jj++) {
      size_t j = live[jj];
      const double *u = n.U + j * d;
      double c = 0;
      for (size_t k = 0; k < d; k++) c += u[k] * v[k];
      if (c > 1) c = 1;
      if (c < -1) c = -1;
      double omc2 = (1.0 - c) * (1.0 + c);
      phase ph;
      phase_fill(&ph, TWO_PI * gamma * c, &n.g, n.h);
      double ga, gb, gpar, gperp;
      neuron_at(&n, j, &ph, gamma, omc2, &ga, &gb, &gpar, &gperp);
      /* centred: || G_j(v) - E_v G_j ||^2 (the mean has no e_perp part) */
      double da = ga - gbar[3 * j], db = gb - gbar[3 * j + 1], dp = gpar - gbar[3 * j + 2];
      val += da * da + db * db + dp * dp + gperp * gperp;
      if (use_is) ratio += exp(cap_logratio(&L, 1.0 - c)) + exp(cap_logratio(&L, 1.0 + c));
    }
    double w = use_is ? 1.0 / (0.5 + 0.5 * ratio / (2.0 * (double)nl)) : 1.0;
    double y = val * w;
    sum += y;
    sum2 += y * y;
  }
  double m = sum / (double)nsamples;
  double var = (sum2 - (double)nsamples * m * m) / (double)(nsamples - 1);
  if (var < 0) var = 0;
  double se = sqrt(var / (double)nsamples);
  free(live);
  free(v);
  free(gbar);
  nrn_free(&n);
  *var_norm = ex.egrad2 > 0 ? m / ex.egrad2 : 0.0;
  *se_norm = ex.egrad2 > 0 ? se / ex.egrad2 : 0.0;
  return GDL_OK;
}
