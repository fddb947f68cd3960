/* experiments/gradient_variance.c: the experiments of claim GV (see gradient_variance.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_expint.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_poly.h>
#include <gsl/gsl_sf_zeta.h>
#include "experiments/gradient_variance.h"

static const char *act_name(gdl_act a) { return a == GDL_ACT_RELU ? "relu" : a == GDL_ACT_TANH ? "tanh" : "other"; }
static const char *phi_name(gdl_phi f) { return f == GDL_PHI_LINEAR ? "y/p" : f == GDL_PHI_PARITY ? "y mod 2" : "cos 2pi y/p"; }
static const char *psi_name(gdl_psi f) {
  return f == GDL_PSI_SIN ? "sin" : f == GDL_PSI_COS ? "cos" : f == GDL_PSI_TRIANGLE ? "triangle" : "sawtooth";
}

/* ------------------------------------------------------------------------ */
/* nets                                                                       */

int gv_net_config_json(const gv_net_config *c, gdl_json *j) {
  double h[GV_MAX_HIDDEN];
  for (size_t i = 0; i < c->nhidden && i < GV_MAX_HIDDEN; i++) h[i] = (double)c->hidden[i];
  GDL_TRY(gdl_json_begin(j, "net"));
  GDL_TRY(gdl_json_nums(j, "hidden", c->nhidden, h));
  GDL_TRY(gdl_json_str(j, "act", act_name(c->act)));
  GDL_TRY(gdl_json_num(j, "w0", c->w0));
  GDL_TRY(gdl_json_num(j, "bias_std", c->bscale));
  GDL_TRY(gdl_json_str(j, "init", "W_0 ~ N(0, w0^2/fan_in), W_l ~ N(0, 1/fan_in), b ~ N(0, bias_std^2)"));
  return gdl_json_end(j);
}

int gv_make_net(const gv_net_config *c, size_t in, uint64_t seed, const char *purpose, uint64_t idx,
                gdl_net **out) {
  GDL_CHECK_ARG(c && purpose && out, "gv_make_net: NULL argument");
  GDL_CHECK_ARG(c->nhidden >= 1 && c->nhidden <= GV_MAX_HIDDEN, "gv_make_net: %zu hidden layers", c->nhidden);
  *out = NULL;
  gdl_net_spec sp;
  gdl_net *net = NULL;
  gsl_rng *r = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_net_spec_mlp(&sp, in, c->nhidden, c->hidden, 1, c->act, 1));
  GDL_TRY_CLEANUP(gdl_net_create(&sp, &net));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, purpose, idx, &r));
  for (size_t l = 0; l < sp.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, (l == 0 ? c->w0 : 1.0) / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, c->bscale, 0, 0};
    GDL_TRY_CLEANUP(gdl_net_init_layer(net, l, w, b, r));
  }
  *out = net;
  net = NULL;
cleanup:
  if (r) gdl_rng_free(r);
  gdl_net_free(net);
  return rc;
}

/* h0 units, then h1 units (h1 = 0: one hidden layer), w0 = 1 */
static gv_net_config net_default(size_t h0, size_t h1, gdl_act act, double bscale) {
  return (gv_net_config){.nhidden = h1 ? 2 : 1, .hidden = {h0, h1}, .act = act, .w0 = 1.0, .bscale = bscale};
}

/* ------------------------------------------------------------------------ */
/* GV1                                                                        */

void gv_parity_config_default(gv_parity_config *c) { gv_parity_config_depth(c, 16, 2); }

void gv_parity_config_depth(gv_parity_config *c, unsigned n, int depth) {
  *c = (gv_parity_config){.n = n, .net = net_default(32, depth == 3 ? 16 : 0, GDL_ACT_TANH, 0.5)};
}

int gv_parity_config_json(const void *cfg, gdl_json *j) {
  const gv_parity_config *c = cfg;
  GDL_TRY(gdl_json_int(j, "n", c->n));
  GDL_TRY(gdl_json_str(j, "law", "x uniform on {-1,1}^n, all 2^n points; class: parities of each degree k"));
  GDL_TRY(gdl_json_str(j, "net_stream", GV_PURPOSE_PARITY));
  return gv_net_config_json(&c->net, j);
}

int gv_parity_run(const gv_parity_config *c, uint64_t seed, size_t rep, gdl_var_result *out) {
  GDL_CHECK_ARG(c && out && c->n >= 1 && c->n <= GV_PARITY_MAXN, "gv_parity_run: bad arguments");
  gdl_net *net;
  uint64_t idx = ((uint64_t)c->n * 8 + (uint64_t)c->net.nhidden + 1) * 64 + rep;
  GDL_TRY(gv_make_net(&c->net, c->n, seed, GV_PURPOSE_PARITY, idx, &net));
  int rc = gdl_variance_parity(net, out);
  gdl_net_free(net);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* GV2                                                                        */

void gv_modmul_config_default(gv_modmul_config *c) {
  *c = (gv_modmul_config){.p = 1601, .bits = 1, .phi = GDL_PHI_COS, .net = net_default(64, 0, GDL_ACT_TANH, 0.5)};
}

int gv_modmul_config_json(const void *cfg, gdl_json *j) {
  const gv_modmul_config *c = cfg;
  GDL_TRY(gdl_json_int(j, "p", (long long)c->p));
  GDL_TRY(gdl_json_str(j, "encoding", c->bits ? "+-1 bits of x" : "scalar 2x/p - 1"));
  GDL_TRY(gdl_json_str(j, "phi", phi_name(c->phi)));
  GDL_TRY(gdl_json_str(j, "law", "x uniform on Z_p (all p points), a uniform on Z_p^*"));
  GDL_TRY(gdl_json_str(j, "net_stream", c->bits ? GV_PURPOSE_MODMUL_BITS : GV_PURPOSE_MODMUL_SCALAR));
  return gv_net_config_json(&c->net, j);
}

int gv_modmul_net(const gv_modmul_config *c, uint64_t seed, size_t rep, gdl_net **out) {
  gdl_domain d;
  GDL_TRY(gdl_domain_zp(c->p, c->bits, &d));
  return gv_make_net(&c->net, gdl_domain_dim(&d), seed, c->bits ? GV_PURPOSE_MODMUL_BITS : GV_PURPOSE_MODMUL_SCALAR,
                     c->p * 256 + rep, out);
}

int gv_modmul_run(const gv_modmul_config *c, uint64_t seed, size_t rep, gv_modmul_result *out) {
  GDL_CHECK_ARG(c && out, "gv_modmul_run: NULL argument");
  gdl_domain d;
  GDL_TRY(gdl_domain_zp(c->p, c->bits, &d));
  gdl_net *net = NULL;
  double *phi = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gv_modmul_net(c, seed, rep, &net));
  phi = malloc(c->p * sizeof *phi);
  if (!phi) { rc = gdl_fail(GDL_ENOMEM, "gv_modmul_run: out of memory"); goto cleanup; }
  GDL_TRY_CLEANUP(gdl_phi_table(c->phi, c->p, phi));
  gdl_var_result r;
  GDL_TRY_CLEANUP(gdl_variance_zp(net, &d, phi, GDL_FFT_AUTO, &r, &out->lmax, &out->fsum));
  out->var = r.var;
  out->eg2 = r.eg2;
  out->egc2 = r.egc2;
  out->bound = r.bound;
cleanup:
  free(phi);
  gdl_net_free(net);
  return rc;
}

/* The modmul net of (c, seed, rep) and its per-example gradients at every x of Z_p: row i of
 * X (m x dim) and of G (m x P) is the residue ints[i]. */
typedef struct {
  gdl_net *net;
  size_t m, P;
  double *X, *G;
  uint64_t *ints;
} zp_grads;

static void zp_grads_free(zp_grads *z) {
  gdl_net_free(z->net);
  GDL_FREE_ALL(z->X, z->G, z->ints);
}

static int zp_grads_new(const gv_modmul_config *c, uint64_t seed, size_t rep, zp_grads *z) {
  memset(z, 0, sizeof *z);
  gdl_domain d;
  GDL_TRY(gdl_domain_zp(c->p, c->bits, &d));
  size_t dim = gdl_domain_dim(&d);
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gv_modmul_net(c, seed, rep, &z->net));
  z->m = (size_t)c->p;
  z->P = z->net->nparams;
  z->X = malloc(z->m * dim * sizeof *z->X);
  z->G = malloc(z->m * z->P * sizeof *z->G);
  z->ints = malloc(z->m * sizeof *z->ints);
  if (!z->X || !z->G || !z->ints) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "gv: per-example gradients: out of memory"));
  GDL_TRY_CLEANUP(gdl_domain_enumerate(&d, z->X, NULL, z->ints));
  GDL_TRY_CLEANUP(gdl_net_per_example_grad(z->net, z->m, z->X, 0, z->G));
cleanup:
  if (rc != GDL_OK) zp_grads_free(z);
  return rc;
}

int gv_modmul_cos_identity(const gv_modmul_config *c, uint64_t seed, size_t rep, double *var, double *ege2,
                           double *egc2) {
  GDL_CHECK_ARG(c && var, "gv_modmul_cos_identity: NULL argument");
  zp_grads z;
  GDL_TRY(zp_grads_new(c, seed, rep, &z));
  const size_t m = z.m, P = z.P;
  int rc = GDL_OK;
  double *mean = calloc(P, sizeof *mean);
  size_t *row = malloc(m * sizeof *row); /* row of each residue x */
  if (!mean || !row) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "gv_modmul_cos_identity: out of memory"));
  for (size_t i = 0; i < m; i++) row[z.ints[i]] = i;
  for (size_t i = 0; i < m; i++)
    for (size_t k = 0; k < P; k++) mean[k] += z.G[i * P + k] / (double)m;
  double se = 0.0, sc = 0.0, g0 = 0.0;
  for (uint64_t x = 0; x < c->p; x++) {
    const double *gx = z.G + row[x] * P, *gm = z.G + row[(c->p - x) % c->p] * P;
    for (size_t k = 0; k < P; k++) {
      double a = gx[k] - mean[k], b = gm[k] - mean[k], e = 0.5 * (a + b);
      se += e * e;
      sc += a * a;
      if (x == 0) g0 += a * a;
    }
  }
  se /= (double)m;
  sc /= (double)m;
  double pm1 = (double)(c->p - 1);
  *var = (se - g0 / pm1) / pm1;
  if (ege2) *ege2 = se;
  if (egc2) *egc2 = sc;
cleanup:
  GDL_FREE_ALL(mean, row);
  zp_grads_free(&z);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* GV3                                                                        */

void gv_wave_config_default(gv_wave_config *c) {
  *c = (gv_wave_config){.A = 64, .psi = GDL_PSI_SIN, .step = 0, .net = net_default(32, 0, GDL_ACT_RELU, 1.0)};
}

int gv_wave_config_json(const void *cfg, gdl_json *j) {
  const gv_wave_config *c = cfg;
  GDL_TRY(gdl_json_num(j, "A", c->A));
  GDL_TRY(gdl_json_str(j, "psi", psi_name(c->psi)));
  GDL_TRY(gdl_json_num(j, "step", c->step));
  if (c->psi == GDL_PSI_TRIANGLE || c->psi == GDL_PSI_SAWTOOTH)
    GDL_TRY(gdl_json_int(j, "harmonics", (long long)(c->harmonics ? c->harmonics : GV_WAVE_HARMONICS)));
  GDL_TRY(gdl_json_str(j, "law", "a ~ U[A, 2A]; x ~ N(0,1) quadrature on [-8, 8], step 1/(64A) when step = 0"));
  GDL_TRY(gdl_json_str(j, "net_stream", GV_PURPOSE_WAVE));
  return gv_net_config_json(&c->net, j);
}

/* (1/A) int_A^{2A} cos^2(w a)/a^2 da - ((1/A) int_A^{2A} cos(w a)/a da)^2, w = 2 pi x. */
static double wave_kink_weight(double x, double A) {
  double w = 2.0 * M_PI * fabs(x);
  double e2 = 1.0 / (2.0 * A * A), e1 = log(2.0) / A;  /* x = 0: cos = 1 */
  if (w * A > 1e-8) {
    /* int cos^2(wa)/a^2 = int 1/(2a^2) + int cos(2wa)/(2a^2); int cos(va)/a^2 = -cos(va)/a - v Si(va) */
    double v = 2.0 * w, a1 = A, a2 = 2.0 * A;
    double F2 = (-cos(v * a2) / a2 - v * gsl_sf_Si(v * a2)) - (-cos(v * a1) / a1 - v * gsl_sf_Si(v * a1));
    e2 = (0.5 * (1.0 / a1 - 1.0 / a2) + 0.5 * F2) / A;
    e1 = (gsl_sf_Ci(w * a2) - gsl_sf_Ci(w * a1)) / A;
  }
  return e2 - e1 * e1;
}

int gv_wave_jump_prediction(const gdl_net *net, double A, double step, double *pred, double *cinf) {
  GDL_CHECK_ARG(net && pred && A > 0, "gv_wave_jump_prediction: bad arguments");
  double h = step > 0 ? step : 1.0 / (64.0 * A);
  const gdl_net_spec *s = &net->spec;
  GDL_CHECK_ARG(s->nlayers == 2 && s->width[0] == 1 && s->width[2] == 1 && s->act[0] == GDL_ACT_RELU &&
                    s->bias[0] && s->out_scale == 1.0,
                "gv_wave_jump_prediction: needs a 1 -> N -> 1 ReLU net with a first-layer bias");
  size_t N = s->width[1];
  const double *W0 = net->params + net->w_off[0], *b0 = net->params + net->b_off[0], *W1 = net->params + net->w_off[1];
  double sum = 0.0, sinf = 0.0;
  for (size_t j = 0; j < N; j++) {
    if (W0[j] == 0.0) continue;
    double xj = -b0[j] / W0[j];
    if (fabs(xj) >= 8.0) continue;  /* outside the quadrature's support */
    double mu = exp(-0.5 * xj * xj) / sqrt(2.0 * M_PI);
    /* jump of (d/dW0_j, d/db0_j) = c_j (x, 1) 1[w x + b > 0] at x_j: norm^2 c_j^2 (x_j^2 + 1) */
    double J2 = W1[j] * W1[j] * (xj * xj + 1.0);
    sum += mu * mu * J2 * wave_kink_weight(xj, A);
    sinf += mu * mu * J2 / 4.0;
  }
  /* on the grid of step h a jump transforms as h/(1 - e^{2 pi i xi h}): |.|^2 = (1/(2 pi xi))^2 (pi xi h/sin pi xi h)^2,
   * and E_a[(pi a h)^2/3 . 1/a^2]/E_a[1/a^2] = 2 (pi h A)^2/3 to leading order */
  *pred = sum / (4.0 * M_PI * M_PI) * (1.0 + 2.0 * (M_PI * h * A) * (M_PI * h * A) / 3.0);
  if (cinf) *cinf = sinf / (4.0 * M_PI * M_PI);
  return GDL_OK;
}

/* TV of f(x) = q(x) mu(x) restricted to (lo, hi) (zero outside; lo, hi may be infinite),
 * q = q0 + q1 x + q2 x^2, mu the N(0,1) density: the jumps at finite ends plus the variation
 * between the critical points of f, the real roots of r = q' - x q (degree <= 3). */
static double tv_piece(double q0, double q1, double q2, double lo, double hi) {
  /* r(x) = q1 + 2 q2 x - q0 x - q1 x^2 - q2 x^3 */
  double r0 = q1, r1 = 2.0 * q2 - q0, r2 = -q1, r3 = -q2, rt[3];
  int nr = 0;
  if (r3 != 0.0) nr = gsl_poly_solve_cubic(r2 / r3, r1 / r3, r0 / r3, &rt[0], &rt[1], &rt[2]);
  else if (r2 != 0.0) nr = gsl_poly_solve_quadratic(r2, r1, r0, &rt[0], &rt[1]);
  else if (r1 != 0.0) { rt[0] = -r0 / r1; nr = 1; }
  double pts[5];
  size_t n = 0;
  pts[n++] = lo;
  for (int i = 0; i < nr; i++)  /* roots come sorted */
    if (rt[i] > lo && rt[i] < hi) pts[n++] = rt[i];
  pts[n++] = hi;
  double tv = 0.0, prev = 0.0;
  for (size_t i = 0; i < n; i++) {
    double x = pts[i], f = isfinite(x) ? (q0 + x * (q1 + x * q2)) * exp(-0.5 * x * x) / sqrt(2.0 * M_PI) : 0.0;
    tv += fabs(f - prev);  /* i = 0: the jump from 0 at a finite lo */
    prev = f;
  }
  return tv + fabs(prev);  /* the jump back to 0 at a finite hi (prev = 0 when hi is infinite) */
}

static int relu_net_parts(const gdl_net *net, size_t *N, const double **W0, const double **b0, const double **W1) {
  const gdl_net_spec *s = &net->spec;
  GDL_CHECK_ARG(s->nlayers == 2 && s->width[0] == 1 && s->width[2] == 1 && s->act[0] == GDL_ACT_RELU && s->bias[0] &&
                    s->bias[1] && s->out_scale == 1.0 && net->nparams == 3 * s->width[1] + 1,
                "gv_wave: needs a 1 -> N -> 1 ReLU net with biases");
  *N = s->width[1];
  *W0 = net->params + net->w_off[0];
  *b0 = net->params + net->b_off[0];
  *W1 = net->params + net->w_off[1];
  return GDL_OK;
}

/* Active half-line of unit j: (lo, hi); 0 if never active. */
static int active_set(double w, double b, double *lo, double *hi) {
  if (w > 0) { *lo = -b / w; *hi = INFINITY; }
  else if (w < 0) { *lo = -INFINITY; *hi = -b / w; }
  else if (b > 0) { *lo = -INFINITY; *hi = INFINITY; }
  else return 0;
  return 1;
}

/* sqrt(sum_p TV(f_p)^2) over the coordinates f_p = g_p mu (deriv = 0) or f_p = (g_p mu)' on the
 * active set (deriv = 1: (q' - x q) mu with q the coordinate's linear factor). */
static double tv2_coords(size_t N, const double *W0, const double *b0, const double *W1, int deriv) {
  double s = 0.0, t, lo, hi;
  /* coordinate factors q = al x + be: d/dW0_j = c x, d/db0_j = c, d/dW1_j = w x + b; output bias 1 */
  for (size_t j = 0; j <= N; j++) {
    double q[3][2];
    size_t nq;
    if (j == N) { lo = -INFINITY; hi = INFINITY; q[0][0] = 1.0; q[0][1] = 0.0; nq = 1; }
    else {
      if (!active_set(W0[j], b0[j], &lo, &hi)) continue;
      double c = W1[j];
      q[0][0] = 0.0; q[0][1] = c;
      q[1][0] = c; q[1][1] = 0.0;
      q[2][0] = b0[j]; q[2][1] = W0[j];
      nq = 3;
    }
    for (size_t i = 0; i < nq; i++) {
      double be = q[i][0], al = q[i][1];
      t = deriv ? tv_piece(al, -be, -al, lo, hi) /* (al - x (al x + be)) */ : tv_piece(be, al, 0.0, lo, hi);
      s += t * t;
    }
  }
  return sqrt(s);
}

int gv_wave_tv2(const gdl_net *net, double *tv2) {
  GDL_CHECK_ARG(net && tv2, "gv_wave_tv2: NULL argument");
  size_t N;
  const double *W0, *b0, *W1;
  GDL_TRY(relu_net_parts(net, &N, &W0, &b0, &W1));
  *tv2 = tv2_coords(N, W0, b0, W1, 0);
  return GDL_OK;
}

/* The closed-form tail of one kink's jump term (theorems/gradient_variance.md, "Every wave"):
 * t_K(theta) = sum_{k > K} coef_k trig'(k theta)/k with trig' = cos (sin series: the sawtooth,
 * sum_{k>=1} (-1)^{k+1} cos(k th)/k^2 = pi^2/12 - th^2/4 on [-pi, pi]) or -sin (cos series: the
 * triangle, sum_{odd k} sin(k th)/k^3 = pi th (pi - th)/8 on [0, pi], odd), minus the head k <= K. */
static double kink_tail(gdl_psi psi, size_t K, double th) {
  double r = remainder(th, 2.0 * M_PI), head = 0.0;  /* r in [-pi, pi] */
  if (psi == GDL_PSI_SAWTOOTH) {
    for (size_t k = 1; k <= K; k++) head += ((k & 1) ? 1.0 : -1.0) * cos((double)k * th) / ((double)k * (double)k);
    return 2.0 / M_PI * ((M_PI * M_PI / 12.0 - r * r / 4.0) - head);
  }
  for (size_t k = 1; k <= K; k += 2) head += sin((double)k * th) / ((double)k * (double)k * (double)k);
  double full = M_PI * fabs(r) * (M_PI - fabs(r)) / 8.0 * (r < 0 ? -1.0 : 1.0);
  return -8.0 / (M_PI * M_PI) * (full - head);
}

int gv_wave_series_tail(const gdl_net *net, double A, gdl_psi psi, size_t K, double *tail, double *tail_jump,
                        double *tail_smooth) {
  GDL_CHECK_ARG(net && tail && A > 0 && K >= 1 && (psi == GDL_PSI_TRIANGLE || psi == GDL_PSI_SAWTOOTH),
                "gv_wave_series_tail: bad arguments");
  size_t N;
  const double *W0, *b0, *W1;
  GDL_TRY(relu_net_parts(net, &N, &W0, &b0, &W1));
  enum { NG = 8 };
  gsl_integration_glfixed_table *tab = gsl_integration_glfixed_table_alloc(NG);
  if (!tab) return gdl_fail(GDL_ENOMEM, "gv_wave_series_tail: out of memory");
  /* jump part: E_a ||sum_j J_j t_K(2 pi a x_j)/(2 pi a)||^2 = sum_j ||J_j||^2 E_a[t_K^2/(2 pi a)^2]
   * (the J_j of distinct units sit on distinct coordinates); t_K is smooth between the wrap
   * points a |x_j| in 1/2 + Z, where the panels are cut */
  double ej = 0.0;
  for (size_t j = 0; j < N; j++) {
    if (W0[j] == 0.0) continue;
    double xj = -b0[j] / W0[j], mu = exp(-0.5 * xj * xj) / sqrt(2.0 * M_PI);
    double J2 = mu * mu * W1[j] * W1[j] * (xj * xj + 1.0), ax = fabs(xj);
    if (!(J2 > 1e-300)) continue;  /* mu(x_j) underflows: no contribution */
    double lo = A, acc = 0.0;
    while (lo < 2.0 * A) {
      double nb = ax > 0 ? (floor(lo * ax - 0.5) + 1.5) / ax : INFINITY;  /* next wrap point */
      if (nb <= lo * (1 + 1e-15)) nb = ax > 0 ? (floor(lo * ax - 0.5) + 2.5) / ax : INFINITY;
      double hi = fmin(nb, 2.0 * A);
      size_t np = 4 * K + 4;
      double da = (hi - lo) / (double)np;
      for (size_t q = 0; q < np; q++)
        for (size_t i = 0; i < NG; i++) {
          double a, wt;
          gsl_integration_glfixed_point(lo + da * (double)q, lo + da * (double)(q + 1), i, &a, &wt, tab);
          double v = kink_tail(psi, K, 2.0 * M_PI * a * xj) / (2.0 * M_PI * a);
          acc += wt * v * v;
        }
      lo = hi;
    }
    ej += J2 * acc / A;
  }
  gsl_integration_glfixed_table_free(tab);
  /* smooth part: ||F(xi) - F_J(xi)|| <= TV_2((g mu)')/(4 pi^2 xi^2), summed over k > K with
   * |coef_k|, L2(a) norm with E_a[a^-4] = 7/(24 A^4) */
  double c2 = 0.0;
  if (psi == GDL_PSI_SAWTOOTH) {
    double s = 0.0;
    for (size_t k = 1; k <= K; k++) s += 1.0 / ((double)k * (double)k * (double)k);
    c2 = 2.0 / M_PI * fmax(gsl_sf_zeta(3.0) - s, 0.0);
  } else {
    double s = 0.0;
    for (size_t k = 1; k <= K; k += 2) s += pow((double)k, -4.0);
    c2 = 8.0 / (M_PI * M_PI) * fmax(15.0 / 16.0 * gsl_sf_zeta(4.0) - s, 0.0);
  }
  double ts = tv2_coords(N, W0, b0, W1, 1) * c2 / (4.0 * M_PI * M_PI) * sqrt(7.0 / 24.0) / (A * A);
  double tj = sqrt(ej);
  *tail = tj + ts;
  if (tail_jump) *tail_jump = tj;
  if (tail_smooth) *tail_smooth = ts;
  return GDL_OK;
}

int gv_wave_series_jump_prediction(const gdl_net *net, double A, double step, gdl_psi psi, size_t K, double *pred,
                                   double *cinf) {
  GDL_CHECK_ARG(net && pred && A > 0 && K >= 1 && K <= 64, "gv_wave_series_jump_prediction: bad arguments");
  double h = step > 0 ? step : 1.0 / (64.0 * A), coef[64];
  gdl_psi trig;
  GDL_TRY(gdl_psi_series(psi, K, &trig, coef));
  size_t N;
  const double *W0, *b0, *W1;
  GDL_TRY(relu_net_parts(net, &N, &W0, &b0, &W1));
  enum { NG = 8 };
  gsl_integration_glfixed_table *tab = gsl_integration_glfixed_table_alloc(NG);
  if (!tab) return gdl_fail(GDL_ENOMEM, "gv_wave_series_jump_prediction: out of memory");
  double sum = 0.0, sinf = 0.0, ck2 = 0.0;
  for (size_t k = 1; k <= K; k++) ck2 += coef[k - 1] * coef[k - 1] / ((double)k * (double)k);
  for (size_t j = 0; j < N; j++) {
    if (W0[j] == 0.0) continue;
    double xj = -b0[j] / W0[j];
    if (fabs(xj) >= 8.0) continue;  /* outside the quadrature's support */
    double mu = exp(-0.5 * xj * xj) / sqrt(2.0 * M_PI), J2 = W1[j] * W1[j] * (xj * xj + 1.0);
    /* panels: a quarter of a period of the fastest product term, 2 K |x_j| cycles per unit a */
    size_t np = (size_t)ceil(8.0 * (double)K * fabs(xj) * A) + 4;
    double e1 = 0.0, e2 = 0.0, da = A / (double)np;
    for (size_t q = 0; q < np; q++)
      for (size_t i = 0; i < NG; i++) {
        double a, wt;
        gsl_integration_glfixed_point(A + da * (double)q, A + da * (double)(q + 1), i, &a, &wt, tab);
        double f = 0.0;
        for (size_t k = 1; k <= K; k++) {
          if (coef[k - 1] == 0.0) continue;
          double th = 2.0 * M_PI * (double)k * a * xj, u = M_PI * (double)k * a * h;
          double trigp = trig == GDL_PSI_COS ? -sin(th) : cos(th);
          f += coef[k - 1] * trigp * (u / sin(u)) / (2.0 * M_PI * (double)k * a);
        }
        e1 += wt * f / A;
        e2 += wt * f * f / A;
      }
    sum += mu * mu * J2 * (e2 - e1 * e1);
    sinf += mu * mu * J2;
  }
  gsl_integration_glfixed_table_free(tab);
  *pred = sum;
  if (cinf) *cinf = sinf * ck2 / (16.0 * M_PI * M_PI);
  return GDL_OK;
}

int gv_wave_run(const gv_wave_config *c, uint64_t seed, size_t rep, gv_wave_result *out) {
  GDL_CHECK_ARG(c && out, "gv_wave_run: NULL argument");
  gdl_net *net;
  GDL_TRY(gv_make_net(&c->net, 1, seed, GV_PURPOSE_WAVE, rep, &net));
  gdl_var_result r;
  int series = c->psi == GDL_PSI_TRIANGLE || c->psi == GDL_PSI_SAWTOOTH;
  size_t K = series ? (c->harmonics ? c->harmonics : GV_WAVE_HARMONICS) : 1;
  int relu1 = c->net.nhidden == 1 && c->net.act == GDL_ACT_RELU;
  int rc = series ? gdl_variance_wave_series(net, c->A, c->psi, c->step, K, &r) : gdl_variance_wave(net, c->A, c->psi, c->step, &r);
  if (rc == GDL_OK) {
    out->var = r.var;
    out->eg2 = r.eg2;
    out->gmu2 = r.gmu2;
    out->bound = r.bound;
    out->K = K;
    out->jump_pred = out->jump_c = out->tv2 = NAN;
    out->tail = out->tail_tv = out->tail_jump = out->tail_smooth = 0.0;
    out->var_lo = out->var_hi = r.var;
    out->bound_full = gdl_psi_bound_factor(c->psi) / (2.0 * c->A) * r.gmu2;
    if (c->psi == GDL_PSI_SIN && relu1)
      rc = gv_wave_jump_prediction(net, c->A, c->step, &out->jump_pred, &out->jump_c);
    if (series && relu1) {
      rc = gv_wave_series_jump_prediction(net, c->A, c->step, c->psi, K, &out->jump_pred, &out->jump_c);
      if (rc == GDL_OK) rc = gv_wave_tv2(net, &out->tv2);
      if (rc == GDL_OK) rc = gv_wave_series_tail(net, c->A, c->psi, K, &out->tail, &out->tail_jump, &out->tail_smooth);
      if (rc == GDL_OK) {
        out->tail_tv = out->tv2 * gdl_psi_series_tail(c->psi, K) / (2.0 * M_PI * sqrt(2.0) * c->A);
        double sv = sqrt(fmax(r.var, 0.0));
        out->var_lo = sv > out->tail ? (sv - out->tail) * (sv - out->tail) : 0.0;
        out->var_hi = (sv + out->tail) * (sv + out->tail);
      }
    } else if (series) {
      out->tail = out->var_lo = out->var_hi = NAN;  /* the tail bound needs the ReLU net's TV */
    }
  }
  gdl_net_free(net);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* GV5                                                                        */

/* the trainer shared by the GV5/GV6 training runs */
static gv_train_config train_default(void) {
  return (gv_train_config){.lr = 1e-3, .batch = 32, .net = net_default(64, 64, GDL_ACT_RELU, 0.5)};
}

static int train_config_json(const gv_train_config *t, gdl_json *j) {
  GDL_TRY(gdl_json_str(j, "optimizer", "Adam"));
  GDL_TRY(gdl_json_num(j, "lr", t->lr));
  GDL_TRY(gdl_json_int(j, "batch", (long long)t->batch));
  GDL_TRY(gdl_json_str(j, "loss", "squared"));
  return gv_net_config_json(&t->net, j);
}

void gv_fvu_wave_config_default(gv_fvu_wave_config *c) {
  *c = (gv_fvu_wave_config){.a = 64, .mtr = 8000, .mte = 2000, .steps = 12500, .train = train_default()};
}

int gv_fvu_wave_config_json(const void *cfg, gdl_json *j) {
  const gv_fvu_wave_config *c = cfg;
  GDL_TRY(gdl_json_num(j, "a", c->a));
  GDL_TRY(gdl_json_str(j, "target", "cos(pi a (u + 1)), u ~ U[-1, 1]"));
  GDL_TRY(gdl_json_int(j, "train_points", (long long)c->mtr));
  GDL_TRY(gdl_json_int(j, "test_points", (long long)c->mte));
  GDL_TRY(gdl_json_int(j, "steps", (long long)c->steps));
  GDL_TRY(gdl_json_str(j, "streams", GV_PURPOSE_FVU_WAVE_DATA ", " GV_PURPOSE_FVU_WAVE_NET ", " GV_PURPOSE_FVU_WAVE_TRAIN));
  return train_config_json(&c->train, j);
}

/* Train net on (Xtr, Ytr) with the shared training config; test FVU on (Xte, Yte). */
static int train_fvu(gdl_net *net, const gv_train_config *t, size_t mtr, const double *Xtr, const double *Ytr,
                     size_t mte, const double *Xte, const double *Yte, size_t steps, gsl_rng *r, gdl_step_cb cb,
                     void *cbctx, size_t every, double *fvu) {
  gdl_train_config c = gdl_exp_train_config(GDL_OPT_ADAM, t->lr, GDL_DATA_SAMPLE, t->batch, steps);
  c.callback = cb;
  c.callback_ctx = cbctx;
  c.callback_every = every;
  gdl_data data = {mtr, Xtr, Ytr, NULL, NULL, NULL};
  gdl_trainer *tr;
  GDL_TRY(gdl_trainer_create(net, &c, &data, r, &tr));
  int rc = gdl_trainer_run(tr);
  gdl_trainer_free(tr);
  if (rc) return rc;
  gdl_metrics mt;
  GDL_TRY(gdl_net_metrics(net, mte, Xte, Yte, NULL, &mt));
  *fvu = mt.fvu;
  return GDL_OK;
}

int gv_fvu_wave_run(const gv_fvu_wave_config *c, uint64_t seed, size_t rep, double *fvu) {
  GDL_CHECK_ARG(c && fvu && c->mtr > 0 && c->mte > 0, "gv_fvu_wave_run: bad arguments");
  uint64_t idx = (uint64_t)llround(16.0 * c->a) * 64 + rep;
  size_t m = c->mtr + c->mte;
  double *X = malloc(m * sizeof *X), *Y = malloc(m * sizeof *Y);
  gsl_rng *r = NULL;
  gdl_net *net = NULL;
  int rc = GDL_OK;
  if (!X || !Y) { rc = gdl_fail(GDL_ENOMEM, "gv_fvu_wave_run: out of memory"); goto cleanup; }
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_FVU_WAVE_DATA, idx, &r));
  for (size_t j = 0; j < m; j++) {
    X[j] = gsl_ran_flat(r, -1.0, 1.0);
    Y[j] = cos(M_PI * c->a * (X[j] + 1.0));
  }
  gdl_rng_free(r);
  r = NULL;
  GDL_TRY_CLEANUP(gv_make_net(&c->train.net, 1, seed, GV_PURPOSE_FVU_WAVE_NET, idx, &net));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_FVU_WAVE_TRAIN, idx, &r));
  rc = train_fvu(net, &c->train, c->mtr, X, Y, c->mte, X + c->mtr, Y + c->mtr, c->steps, r, NULL, NULL, 0, fvu);
cleanup:
  if (r) gdl_rng_free(r);
  gdl_net_free(net);
  GDL_FREE_ALL(X, Y);
  return rc;
}

void gv_fvu_mod_config_default(gv_fvu_mod_config *c) {
  *c = (gv_fvu_mod_config){.p = 1009, .control = 0, .steps = 12000, .track_every = 3000, .train = train_default()};
}

uint64_t gv_hard_multiplier_min(uint64_t p) { return (p + 7) / 8; }

uint64_t gv_hard_multiplier(uint64_t p, gsl_rng *r) {
  uint64_t lo = gv_hard_multiplier_min(p);  /* a in [lo, p - lo]: min(a, p - a) >= lo */
  return lo + (uint64_t)gsl_rng_uniform_int(r, (unsigned long)(p - 2 * lo + 1));
}

int gv_fvu_mod_config_json(const void *cfg, gdl_json *j) {
  const gv_fvu_mod_config *c = cfg;
  GDL_TRY(gdl_json_int(j, "p", (long long)c->p));
  GDL_TRY(gdl_json_str(j, "multiplier", c->control ? "a = 1 (control)" : "a uniform on {a : min(a, p - a) >= ceil(p/8)}"));
  GDL_TRY(gdl_json_str(j, "target", "cos(2 pi (a x mod p)/p), input 2x/p - 1, 80/20 split of Z_p"));
  GDL_TRY(gdl_json_int(j, "steps", (long long)c->steps));
  GDL_TRY(gdl_json_int(j, "track_every", (long long)c->track_every));
  GDL_TRY(gdl_json_str(j, "streams", GV_PURPOSE_FVU_MOD_DATA ", " GV_PURPOSE_FVU_MOD_NET ", " GV_PURPOSE_FVU_MOD_TRAIN));
  return train_config_json(&c->train, j);
}

/* The exact class variance of {cos 2 pi (bx mod p)/p : b in Z_p^*} along the run. */
typedef struct {
  gdl_domain dom;
  const double *phi;
  gv_fvu_mod_result *res;
} ckpt_ctx;

static int ckpt_measure(ckpt_ctx *c, gdl_net *net, size_t step) {
  gv_fvu_mod_result *o = c->res;
  if (o->nckpt >= GV_CKPT_MAX) return GDL_OK;
  gdl_net *cl;
  GDL_TRY(gdl_net_clone(net, &cl));  /* the engines use the net's workspaces */
  gdl_var_result r;
  int rc = gdl_variance_zp(cl, &c->dom, c->phi, GDL_FFT_AUTO, &r, NULL, NULL);
  gdl_net_free(cl);
  if (rc) return rc;
  o->var[o->nckpt] = r.var;
  o->bound[o->nckpt] = r.bound;
  o->ratio[o->nckpt] = r.var / r.eg2;
  o->step[o->nckpt] = step;
  o->nckpt++;
  return GDL_OK;
}

static int ckpt_cb(void *ctx, struct gdl_trainer *tr, size_t step, double loss) {
  (void)loss;
  return ckpt_measure(ctx, gdl_trainer_net(tr), step);
}

int gv_fvu_mod_run(const gv_fvu_mod_config *c, uint64_t seed, size_t rep, gv_fvu_mod_result *out) {
  GDL_CHECK_ARG(c && out && c->p >= 11, "gv_fvu_mod_run: bad arguments");
  memset(out, 0, sizeof *out);
  uint64_t p = c->p, idx = (p * 2 + (c->control ? 1 : 0)) * 64 + rep;
  size_t m = (size_t)p, mtr = m * 4 / 5;
  size_t *perm = malloc(m * sizeof *perm);
  double *X = malloc(m * sizeof *X), *Y = malloc(m * sizeof *Y), *phi = malloc(p * sizeof *phi);
  gsl_rng *r = NULL;
  gdl_net *net = NULL;
  int rc = GDL_OK;
  if (!perm || !X || !Y || !phi) { rc = gdl_fail(GDL_ENOMEM, "gv_fvu_mod_run: out of memory"); goto cleanup; }
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_FVU_MOD_DATA, idx, &r));
  out->a = c->control ? 1 : gv_hard_multiplier(p, r);
  gdl_rng_permutation(r, m, perm);
  gdl_rng_free(r);
  r = NULL;
  for (size_t j = 0; j < m; j++) {
    uint64_t x = perm[j];
    X[j] = 2.0 * (double)x / (double)p - 1.0;
    Y[j] = cos(2.0 * M_PI * (double)gdl_zp_mulmod(out->a, x, p) / (double)p);
  }
  GDL_TRY_CLEANUP(gdl_phi_table(GDL_PHI_COS, p, phi));
  GDL_TRY_CLEANUP(gv_make_net(&c->train.net, 1, seed, GV_PURPOSE_FVU_MOD_NET, idx, &net));
  ckpt_ctx ck = {.phi = phi, .res = out};
  GDL_TRY_CLEANUP(gdl_domain_zp(p, 0, &ck.dom));
  if (c->track_every) GDL_TRY_CLEANUP(ckpt_measure(&ck, net, 0));  /* step 0: the untrained net */
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_FVU_MOD_TRAIN, idx, &r));
  rc = train_fvu(net, &c->train, mtr, X, Y, m - mtr, X + mtr, Y + mtr, c->steps, r, c->track_every ? ckpt_cb : NULL,
                 c->track_every ? &ck : NULL, c->track_every, &out->fvu);
cleanup:
  if (r) gdl_rng_free(r);
  gdl_net_free(net);
  GDL_FREE_ALL(perm, X, Y, phi);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* GV6: modular contrasts                                                     */

int gv_modadd_run(const gv_modmul_config *c, uint64_t seed, size_t rep, gv_modmul_result *out) {
  GDL_CHECK_ARG(c && out && c->phi == GDL_PHI_COS, "gv_modadd_run: phi = cos only");
  zp_grads z;
  GDL_TRY(zp_grads_new(c, seed, rep, &z));
  const size_t m = z.m, P = z.P;
  int rc = GDL_OK;
  double *gc = calloc(P, sizeof *gc), *gs = calloc(P, sizeof *gs);
  if (!gc || !gs) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "gv_modadd_run: out of memory"));
  for (size_t i = 0; i < m; i++) {
    double th = 2.0 * M_PI * (double)z.ints[i] / (double)c->p, co = cos(th) / (double)m, si = sin(th) / (double)m;
    for (size_t k = 0; k < P; k++) {
      gc[k] += co * z.G[i * P + k];
      gs[k] += si * z.G[i * P + k];
    }
  }
  double g1 = 0.0;
  for (size_t k = 0; k < P; k++) g1 += gc[k] * gc[k] + gs[k] * gs[k];
  out->var = 0.5 * g1;
  GDL_TRY_CLEANUP(gdl_grad_moments(z.net, m, z.X, NULL, &out->eg2, &out->egc2));
  out->bound = 0.25 * out->egc2;  /* max_{k!=0} |phihat(k)|^2 = 1/4 for cos */
  out->lmax = out->fsum = NAN;
cleanup:
  GDL_FREE_ALL(gc, gs);
  zp_grads_free(&z);
  return rc;
}

void gv_bitmod_config_default(gv_bitmod_config *c) {
  *c = (gv_bitmod_config){.p = 65521, .add = 0, .steps = 4000, .train = train_default()};
}

int gv_bitmod_config_json(const void *cfg, gdl_json *j) {
  const gv_bitmod_config *c = cfg;
  GDL_TRY(gdl_json_int(j, "p", (long long)c->p));
  GDL_TRY(gdl_json_str(j, "task", c->add ? "cos(2 pi ((x + a) mod p)/p), a uniform on Z_p"
                                         : "cos(2 pi ((a x) mod p)/p), a uniform on {a : min(a, p - a) >= ceil(p/8)}"));
  GDL_TRY(gdl_json_str(j, "encoding", "+-1 bits of x (LSB first), 80/20 split of Z_p"));
  GDL_TRY(gdl_json_int(j, "steps", (long long)c->steps));
  GDL_TRY(gdl_json_int(j, "train_points", (long long)c->mtr));
  GDL_TRY(gdl_json_int(j, "test_points", (long long)c->mte));
  GDL_TRY(gdl_json_str(j, "streams", GV_PURPOSE_BITMOD_DATA ", " GV_PURPOSE_BITMOD_NET ", " GV_PURPOSE_BITMOD_TRAIN));
  return train_config_json(&c->train, j);
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

int gv_bitmod_run(const gv_bitmod_config *c, uint64_t seed, size_t rep, gv_bitmod_result *out) {
  GDL_CHECK_ARG(c && out && c->p >= 11, "gv_bitmod_run: bad arguments");
  memset(out, 0, sizeof *out);
  uint64_t p = c->p, idx = (p * 2 + (c->add ? 1 : 0)) * 64 + rep;
  gdl_domain d;
  GDL_TRY(gdl_domain_zp(p, 1, &d));
  int all = c->mtr == 0;
  GDL_CHECK_ARG(all || (c->mte > 0 && (double)(c->mtr + c->mte) <= 0.5 * (double)p), "gv_bitmod_run: sample too large");
  size_t m = all ? (size_t)p : c->mtr + c->mte, mtr = all ? m * 4 / 5 : c->mtr, dim = gdl_domain_dim(&d);
  size_t *perm = malloc((all ? m : 2 * m) * sizeof *perm);
  uint64_t *ints = malloc(m * sizeof *ints);
  double *X = malloc(m * dim * sizeof *X), *Y = malloc(m * sizeof *Y);
  gsl_rng *r = NULL;
  gdl_net *net = NULL;
  int rc = GDL_OK;
  if (!perm || !ints || !X || !Y) { rc = gdl_fail(GDL_ENOMEM, "gv_bitmod_run: out of memory"); goto cleanup; }
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_BITMOD_DATA, idx, &r));
  out->a = c->add ? (uint64_t)gsl_rng_uniform_int(r, (unsigned long)p) : gv_hard_multiplier(p, r);
  if (all) gdl_rng_permutation(r, m, perm);
  else {  /* m distinct residues: draw 2m, sort, drop repeats (at most m^2/p expected), shuffle */
    size_t n = 0;
    while (n < m) {
      for (size_t i = n; i < 2 * m; i++) perm[i] = (size_t)gsl_rng_uniform_int(r, (unsigned long)p);
      qsort(perm, 2 * m, sizeof *perm, cmp_size);
      n = 0;
      for (size_t i = 0; i < 2 * m; i++)
        if (i == 0 || perm[i] != perm[i - 1]) perm[n++] = perm[i];
    }
    gsl_ran_shuffle(r, perm, n, sizeof *perm);
  }
  gdl_rng_free(r);
  r = NULL;
  for (size_t j = 0; j < m; j++) {
    uint64_t x = perm[j], y = c->add ? (x + out->a) % p : gdl_zp_mulmod(out->a, x, p);
    ints[j] = x;
    Y[j] = cos(2.0 * M_PI * (double)y / (double)p);
  }
  GDL_TRY_CLEANUP(gdl_domain_zp_encode(&d, m, ints, X));
  GDL_TRY_CLEANUP(gv_make_net(&c->train.net, dim, seed, GV_PURPOSE_BITMOD_NET, idx, &net));
  GDL_TRY_CLEANUP(gdl_rng_alloc(seed, GV_PURPOSE_BITMOD_TRAIN, idx, &r));
  GDL_TRY_CLEANUP(train_fvu(net, &c->train, mtr, X, Y, m - mtr, X + mtr * dim, Y + mtr, c->steps, r, NULL, NULL, 0,
                            &out->fvu));
  gdl_metrics mt;
  GDL_TRY_CLEANUP(gdl_net_metrics(net, m - mtr, X + mtr * dim, Y + mtr, NULL, &mt));
  out->pearson = mt.pearson;
  out->mte = m - mtr;
cleanup:
  if (r) gdl_rng_free(r);
  gdl_net_free(net);
  GDL_FREE_ALL(perm, ints, X, Y);
  return rc;
}
