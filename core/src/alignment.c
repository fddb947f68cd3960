/* alignment.c: alignment of a target's orbit, the noisy-GD bound, equivariance error and
 * hitting times (declared in gdl/measure.h, second block).
 *
 * ---------------------------------------------------------------------------------------
 * 1. The B_n level-weight formula.
 * For g = (signs s, permutation p) acting by (g x)_a = s_a x_{p(a)}:
 *   chi_S(g x) = prod_{a in S} s_a x_{p(a)} = eps_S(s) chi_{p(S)}(x),  eps_S(s) = prod_{a in S} s_a.
 * So f o g = sum_S fhat(S) eps_S(s) chi_{p(S)}. The signs are i.i.d. uniform, so
 * E_s eps_S eps_T = [S = T]; hence fbar = E_g f o g = fhat(empty), and for any h
 *   E_g <h, f o g - fbar>^2 = sum_{|S|>=1} fhat(S)^2 E_p hhat(p(S))^2
 *                           = sum_{j>=1} W_j(f) W_j(h) / C(n,j),
 * because p(S) is a uniform |S|-subset. This is linear in (W_j(h))_j with sum_j W_j(h) <=
 * ||h||^2 <= 1, so the sup over the unit ball is lambda = max_{j>=1} W_j(f)/C(n,j) (attained
 * by h = chi_T, |T| = j). CP = E_{g,g'} <f o g - fbar, f o g' - fbar>^2 = E_g <f o g - fbar,
 * f - fbar>^2 (invariance of the inner product under g'^{-1}) = the formula with h = f - fbar:
 * CP = sum_{j>=1} W_j(f)^2 / C(n,j).
 *
 * 2. The noisy-GD bound (CLAIMS.md NG), constants checked.
 * Algorithm: theta_{t+1} = theta_t - eta (clip(grad L(theta_t)) + Z_t), Z_t ~ N(0, tau^2 I).
 * One step from theta is the Gaussian N(theta - eta clip(grad L(theta)), eta^2 tau^2 I).
 * Let run A be trained on f o g, run J on fbar (the same for every g). For two Gaussian
 * steps from the same theta with means differing by eta*Delta, Delta = clip(grad L_A) -
 * clip(grad L_J):   KL = ||eta Delta||^2 / (2 eta^2 tau^2) = ||Delta||^2 / (2 tau^2)
 * (eta cancels). clip is the projection on a ball, 1-Lipschitz, so ||Delta|| <=
 * ||grad L_{f o g} - grad L_fbar|| = ||E_x[(f o g - fbar)(x) grad f_theta(x)]|| for the
 * squared loss (grad L_h = E[(f_theta - h) grad f_theta]) and for the correlation loss
 * (grad L_h = -E[h grad f_theta]); its square is G_g(theta). The chain rule for KL of the
 * trajectories, with the expectation under the junk run (KL(P_J || P_A)):
 *   KL_g = sum_{t<T} E[G_g(theta^J_t)] / (2 tau^2).
 * Pinsker: TV_g <= sqrt(KL_g / 2) = (1/2) (sum_t E[G_g(theta^J_t)] / tau^2)^{1/2}.
 * phi_g(theta) = |<f_theta, f o g - fbar>| lies in [0, ||f - fbar||] when |f_theta| <= 1
 * (||f o g - fbar|| = ||f - fbar|| for an invariant input law), so for a [0, M]-valued
 * statistic |E_A phi - E_J phi| <= M TV. And E_g E_J phi_g(theta^J_T) <= sqrt(E_J E_g
 * <f_theta, f o g - fbar>^2) <= sqrt(lambda ||f_theta||^2) <= sqrt(lambda) because theta^J
 * is independent of g. Averaging over g (Jensen on the square root) and using equivariance
 * (the law of <f_{theta_T}, f o g - fbar> for the run on f o g is the same for every g):
 *   E |<f_{theta_T}, f - fbar>| <= sqrt(lambda) + (1/2) ||f - fbar|| (sum_{t<T} G_t / tau^2)^{1/2},
 * with G_t = E_{J} E_g G_g(theta^J_t) = E[G(theta^J_t)]. For B_n, by 1. applied to h = d_i f_theta:
 *   G(theta) = sum_i E_g <f o g - fbar, d_i f_theta>^2 = sum_{j>=1} W_j(f)/C(n,j) sum_i W_j(d_i f_theta)
 * <= lambda sum_i ||d_i f_theta - E d_i f_theta||^2.
 * ---------------------------------------------------------------------------------------
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include "gdl/boolean.h"
#include "gdl/error.h"
#include "gdl/group.h"
#include "gdl/alignment.h"
#include "gdl/net.h"
#include "gdl/stats.h"

/* C(n, j) as a double (exact for moderate n, relative rounding otherwise). */
static double choose(size_t n, size_t j) {
  if (j > n) return 0.0;
  if (n <= 170) return gsl_sf_choose((unsigned)n, (unsigned)j);
  return exp(gsl_sf_lnchoose((unsigned)n, (unsigned)j));
}

int gdl_align_bn_levels(const double *W, size_t n, gdl_align *out) {
  GDL_CHECK_ARG(W != NULL && out != NULL, "gdl_align_bn_levels: NULL argument");
  GDL_CHECK_ARG(n >= 1 && n <= ((size_t)1 << 20), "gdl_align_bn_levels: n = %zu out of range [1, 2^20]", n);
  gdl_align a = {0};
  for (size_t j = 0; j <= n; j++)
    if (!isfinite(W[j]) || W[j] < 0)
      return gdl_fail(GDL_EINVAL, "gdl_align_bn_levels: W[%zu] = %g is not a finite nonnegative weight", j, W[j]);
  a.fbar = sqrt(W[0]);
  for (size_t j = 1; j <= n; j++) {
    if (W[j] == 0) continue;
    double c = choose(n, j), r = W[j] / c;
    a.dist2 += W[j];
    a.cp += W[j] * r;
    if (r > a.lambda) {
      a.lambda = r;
      a.level = j;
    }
  }
  *out = a;
  return GDL_OK;
}

/* the arguments of the B_n alignments: f (2^n finite values) and out non-NULL, 1 <= n <= nmax */
static int check_cube_values(const char *fn, const double *f, unsigned n, unsigned nmax, const gdl_align *out) {
  GDL_CHECK_ARG(f != NULL && out != NULL, "%s: NULL argument", fn);
  GDL_CHECK_ARG(n >= 1, "%s: n must be >= 1", fn);
  if (n > nmax) return gdl_fail(GDL_ERANGE, "%s: n = %u > %u", fn, n, nmax);
  for (size_t i = 0; i < ((size_t)1 << n); i++)
    if (!isfinite(f[i])) return gdl_fail(GDL_EINVAL, "%s: f[%zu] is not finite", fn, i);
  return GDL_OK;
}

int gdl_align_bn_values(const double *f, unsigned n, gdl_align *out) {
  GDL_TRY(check_cube_values("gdl_align_bn_values", f, n, 26, out));
  size_t N = (size_t)1 << n;
  double *fh = malloc(N * sizeof *fh), W[27];
  if (!fh) return gdl_fail(GDL_ENOMEM, "gdl_align_bn_values: out of memory (2^%u values)", n);
  int rc = gdl_fourier(f, n, fh);
  if (rc == GDL_OK) rc = gdl_level_weights(fh, n, W);
  double f0 = fh[0];
  free(fh);
  GDL_TRY(rc);
  GDL_TRY(gdl_align_bn_levels(W, n, out));
  out->fbar = f0;
  return GDL_OK;
}

typedef struct {
  const gdl_monomial *t;
  size_t idx;
} term_ref;

static int cmp_term_ref(const void *x, const void *y) {
  const term_ref *a = x, *b = y;
  if (a->t->deg != b->t->deg) return (a->t->deg > b->t->deg) - (a->t->deg < b->t->deg);
  for (size_t k = 0; k < a->t->deg; k++)
    if (a->t->vars[k] != b->t->vars[k]) return (a->t->vars[k] > b->t->vars[k]) - (a->t->vars[k] < b->t->vars[k]);
  return (a->idx > b->idx) - (a->idx < b->idx);
}

static int same_monomial(const gdl_monomial *a, const gdl_monomial *b) {
  return a->deg == b->deg && (a->deg == 0 || memcmp(a->vars, b->vars, a->deg * sizeof(size_t)) == 0);
}

int gdl_align_bn_poly(const gdl_poly *p, size_t n, gdl_align *out) {
  GDL_CHECK_ARG(p != NULL && out != NULL, "gdl_align_bn_poly: NULL argument");
  GDL_CHECK_ARG(p->nterms == 0 || p->terms != NULL, "gdl_align_bn_poly: polynomial has no terms array");
  GDL_CHECK_ARG(n >= 1 && n <= ((size_t)1 << 20), "gdl_align_bn_poly: n = %zu out of range [1, 2^20]", n);
  size_t nv = gdl_poly_nvars(p);
  GDL_CHECK_ARG(nv <= n, "gdl_align_bn_poly: polynomial uses %zu variables > n = %zu", nv, n);
  /* distinct monomials (as sets) are orthonormal: W_j = sum of squared coefficients.
   * Duplicates: sort the terms (degree, variables, index) and compare neighbours,
   * O(D log T) instead of the pairwise O(T^2) scan. */
  for (size_t a = 0; a < p->nterms; a++)
    if (!isfinite(p->terms[a].coef)) return gdl_fail(GDL_EINVAL, "gdl_align_bn_poly: term %zu has a non-finite coefficient", a);
  if (p->nterms > 1) {
    term_ref *ord = malloc(p->nterms * sizeof *ord);
    if (!ord) return gdl_fail(GDL_ENOMEM, "gdl_align_bn_poly: out of memory");
    for (size_t a = 0; a < p->nterms; a++) ord[a] = (term_ref){&p->terms[a], a};
    qsort(ord, p->nterms, sizeof *ord, cmp_term_ref);
    size_t da = 0, db = 0;
    int dup = 0;
    for (size_t a = 1; a < p->nterms; a++)
      if (same_monomial(ord[a - 1].t, ord[a].t) && (!dup || ord[a - 1].idx < da)) {
        dup = 1;
        da = ord[a - 1].idx;
        db = ord[a].idx;
      }
    free(ord);
    if (dup) return gdl_fail(GDL_EINVAL, "gdl_align_bn_poly: terms %zu and %zu are the same monomial (merge them)", da, db);
  }
  double *W = calloc(n + 1, sizeof *W);
  if (!W) return gdl_fail(GDL_ENOMEM, "gdl_align_bn_poly: out of memory");
  double f0 = 0;
  for (size_t a = 0; a < p->nterms; a++) {
    W[p->terms[a].deg] += p->terms[a].coef * p->terms[a].coef;
    if (p->terms[a].deg == 0) f0 = p->terms[a].coef;
  }
  int rc = gdl_align_bn_levels(W, n, out);
  free(W);
  GDL_TRY(rc);
  out->fbar = f0;
  if (!isfinite(out->lambda) || !isfinite(out->cp) || !isfinite(out->dist2) || !isfinite(out->fbar))
    return gdl_fail(GDL_ERANGE, "gdl_align_bn_poly: the result overflows a double (coefficients too large)");
  return GDL_OK;
}

int gdl_align_bn_expect(const double *f, const double *h, unsigned n, double *val) {
  GDL_CHECK_ARG(f != NULL && h != NULL && val != NULL, "gdl_align_bn_expect: NULL argument");
  GDL_CHECK_ARG(n >= 1, "gdl_align_bn_expect: n must be >= 1");
  if (n > 26) return gdl_fail(GDL_ERANGE, "gdl_align_bn_expect: n = %u > 26", n);
  size_t N = (size_t)1 << n;
  double *fh = malloc(N * sizeof *fh), *hh = malloc(N * sizeof *hh), Wf[27], Wh[27];
  if (!fh || !hh) {
    free(fh);
    free(hh);
    return gdl_fail(GDL_ENOMEM, "gdl_align_bn_expect: out of memory");
  }
  int rc = gdl_fourier(f, n, fh);
  if (rc == GDL_OK) rc = gdl_fourier(h, n, hh);
  if (rc == GDL_OK) rc = gdl_level_weights(fh, n, Wf);
  if (rc == GDL_OK) rc = gdl_level_weights(hh, n, Wh);
  free(fh);
  free(hh);
  GDL_TRY(rc);
  double v = 0;
  for (unsigned j = 1; j <= n; j++) v += Wf[j] * Wh[j] / choose(n, j);
  *val = v;
  return GDL_OK;
}

int gdl_align_bn_bruteforce(const double *f, unsigned n, gdl_align *out) {
  GDL_TRY(check_cube_values("gdl_align_bn_bruteforce", f, n, 12, out));
  size_t N = (size_t)1 << n;
  double *fh = malloc(N * sizeof *fh);
  if (!fh) return gdl_fail(GDL_ENOMEM, "gdl_align_bn_bruteforce: out of memory");
  /* Fourier coefficients by definition, O(4^n) */
  for (size_t S = 0; S < N; S++) {
    double s = 0;
    for (size_t i = 0; i < N; i++) s += (__builtin_popcountll(i & S) & 1) ? -f[i] : f[i];
    fh[S] = s / (double)N;
  }
  gdl_align a = {0};
  a.fbar = fh[0];
  for (size_t T = 1; T < N; T++) {  /* every k-subset T of every level k */
    size_t k = (size_t)__builtin_popcountll(T);
    /* E_g <chi_T, f o g - fbar>^2 = sum_{|S|=k} fhat(S)^2 P(p(S) = T) = sum_{|S|=k} fhat(S)^2 / C(n,k) */
    double e = 0, c = 0;
    for (size_t S = 1; S < N; S++) {
      if ((size_t)__builtin_popcountll(S) != k) continue;
      e += fh[S] * fh[S];
      c += 1.0;  /* counts the k-subsets: C(n,k) */
    }
    e /= c;
    if (e > a.lambda) {
      a.lambda = e;
      a.level = k;
    }
    a.cp += fh[T] * fh[T] * e;  /* CP = E_g <f - fbar, f o g - fbar>^2 = sum_T fhat(T)^2 E_g<chi_T, .>^2 */
    a.dist2 += fh[T] * fh[T];
  }
  free(fh);
  *out = a;
  return GDL_OK;
}

/* Index map of g on the cube: row i (x_c = -1 iff bit c of i) goes to row j(i) of g x.
 * (g x)_a = s_a x_{p(a)}, so bit a of j = bit p(a) of i XOR [s_a < 0]. Linear over GF(2):
 * j = smask ^ XOR_q tab[q][(i >> 8q) & 255]. */
typedef struct { uint32_t tab[4][256]; uint32_t smask; } cube_map;

static void cube_map_build(const gdl_group_elem *g, unsigned n, cube_map *m) {
  memset(m, 0, sizeof *m);
  uint32_t inv[32];
  for (unsigned a = 0; a < n; a++) inv[g->perm[a]] = a;  /* bit c of i -> bit inv[c] of j */
  for (unsigned a = 0; a < n; a++)
    if (g->sign[a] < 0) m->smask |= 1u << a;
  for (unsigned q = 0; q < 4; q++)
    for (unsigned v = 0; v < 256; v++) {
      uint32_t r = 0;
      for (unsigned b = 0; b < 8; b++) {
        unsigned c = 8 * q + b;
        if (c < n && (v >> b & 1)) r |= 1u << inv[c];
      }
      m->tab[q][v] = r;
    }
}

static inline uint32_t cube_map_apply(const cube_map *m, uint32_t i) {
  return m->smask ^ m->tab[0][i & 255] ^ m->tab[1][(i >> 8) & 255] ^ m->tab[2][(i >> 16) & 255] ^
         m->tab[3][(i >> 24) & 255];
}

int gdl_align_bn_mc(const double *f, const double *h, unsigned n, size_t ng, gsl_rng *r, double *mean,
                    double *se) {
  GDL_CHECK_ARG(f != NULL && h != NULL && r != NULL && mean != NULL, "gdl_align_bn_mc: NULL argument");
  GDL_CHECK_ARG(n >= 1, "gdl_align_bn_mc: n must be >= 1");
  GDL_CHECK_ARG(ng >= 2, "gdl_align_bn_mc: need ng >= 2 group elements");
  if (n > 24) return gdl_fail(GDL_ERANGE, "gdl_align_bn_mc: n = %u > 24", n);
  size_t N = (size_t)1 << n;
  double fbar = 0;
  for (size_t i = 0; i < N; i++) fbar += f[i];
  fbar /= (double)N;
  gdl_group_elem *g = NULL;
  GDL_TRY(gdl_group_elem_alloc(GDL_GROUP_BN, n, &g));
  double *v = malloc(ng * sizeof *v);
  cube_map *map = malloc(sizeof *map);
  if (!v || !map) {
    free(v);
    free(map);
    gdl_group_elem_free(g);
    return gdl_fail(GDL_ENOMEM, "gdl_align_bn_mc: out of memory");
  }
  for (size_t t = 0; t < ng; t++) {
    gdl_group_random(g, r);
    cube_map_build(g, n, map);
    double s = 0;
    for (size_t i = 0; i < N; i++) s += h[i] * (f[cube_map_apply(map, (uint32_t)i)] - fbar);
    s /= (double)N;
    v[t] = s * s;
  }
  int rc = gdl_mean_se(ng, v, mean, se);
  free(v);
  free(map);
  gdl_group_elem_free(g);
  return rc;
}

int gdl_align_cp_mc(gdl_eval_fn f, void *fctx, gdl_eval_fn fbar_fn, void *fbar_ctx, gdl_group_kind kind,
                    size_t n, size_t m1, const double *X1, const double *w1, size_t m2, const double *X2,
                    const double *w2, size_t npairs, gsl_rng *r, double *cp, double *se) {
  GDL_CHECK_ARG(f != NULL && X1 != NULL && X2 != NULL && r != NULL && cp != NULL,
                "gdl_align_cp_mc: NULL argument");
  GDL_CHECK_ARG(m1 >= 1 && m2 >= 1 && n >= 1, "gdl_align_cp_mc: empty point set or n = 0");
  GDL_CHECK_ARG(npairs >= 2, "gdl_align_cp_mc: need npairs >= 2");
  size_t M = m1 > m2 ? m1 : m2;
  gdl_group_elem *g[2] = {NULL, NULL};
  int rc = GDL_OK;
  double *GX = malloc(M * n * sizeof *GX), *u[2][2], *fb1 = malloc(m1 * sizeof *fb1),
         *fb2 = malloc(m2 * sizeof *fb2), *val = malloc(npairs * sizeof *val);
  for (int a = 0; a < 2; a++) {
    u[a][0] = malloc(m1 * sizeof(double));
    u[a][1] = malloc(m2 * sizeof(double));
  }
  if (!GX || !fb1 || !fb2 || !val || !u[0][0] || !u[0][1] || !u[1][0] || !u[1][1]) {
    rc = gdl_fail(GDL_ENOMEM, "gdl_align_cp_mc: out of memory");
    goto done;
  }
  if ((rc = gdl_group_elem_alloc(kind, n, &g[0])) != GDL_OK) goto done;
  if ((rc = gdl_group_elem_alloc(kind, n, &g[1])) != GDL_OK) goto done;
  /* fbar on both point sets */
  if (fbar_fn) {
    if ((rc = fbar_fn(fbar_ctx, m1, X1, fb1)) != GDL_OK) goto done;
    if ((rc = fbar_fn(fbar_ctx, m2, X2, fb2)) != GDL_OK) goto done;
  } else {
    double s = 0, ws = 0;
    if ((rc = f(fctx, m1, X1, fb1)) != GDL_OK) goto done;
    for (size_t i = 0; i < m1; i++) { double w = w1 ? w1[i] : 1.0 / m1; s += w * fb1[i]; ws += w; }
    if (X2 != X1) {
      if ((rc = f(fctx, m2, X2, fb2)) != GDL_OK) goto done;
      for (size_t i = 0; i < m2; i++) { double w = w2 ? w2[i] : 1.0 / m2; s += w * fb2[i]; ws += w; }
    }
    double c = s / ws;
    for (size_t i = 0; i < m1; i++) fb1[i] = c;
    for (size_t i = 0; i < m2; i++) fb2[i] = c;
  }
  for (size_t t = 0; t < npairs; t++) {
    double ip[2] = {0, 0};
    for (int a = 0; a < 2; a++) {
      if ((rc = gdl_group_random(g[a], r)) != GDL_OK) goto done;
      for (int s = 0; s < 2; s++) {
        size_t m = s ? m2 : m1;
        const double *X = s ? X2 : X1;
        const double *fb = s ? fb2 : fb1;
        if ((rc = gdl_group_act_inputs(g[a], m, X, GX)) != GDL_OK) goto done;
        if ((rc = f(fctx, m, GX, u[a][s])) != GDL_OK) goto done;
        for (size_t i = 0; i < m; i++) u[a][s][i] -= fb[i];
      }
    }
    for (int s = 0; s < 2; s++) {
      size_t m = s ? m2 : m1;
      const double *w = s ? w2 : w1;
      double acc = 0;
      for (size_t i = 0; i < m; i++) acc += (w ? w[i] : 1.0 / m) * u[0][s][i] * u[1][s][i];
      ip[s] = acc;
    }
    val[t] = ip[0] * ip[1];
    if (!isfinite(val[t])) { rc = gdl_fail(GDL_EINVAL, "gdl_align_cp_mc: non-finite function value"); goto done; }
  }
  rc = gdl_mean_se(npairs, val, cp, se);
done:
  free(GX); free(fb1); free(fb2); free(val);
  for (int a = 0; a < 2; a++) { free(u[a][0]); free(u[a][1]); }
  gdl_group_elem_free(g[0]);
  gdl_group_elem_free(g[1]);
  return rc;
}

/* ---------------- noisy-GD bound ----------------
 * G(theta) = sum_S a(S) sum_i dhat_i(S)^2 with a(S) = W_{|S|}(f)/C(n,|S|) (a(empty) = 0),
 * dhat_i = Fourier transform of the i-th column of the per-example gradient matrix.
 * First-layer shortcut (any depth): d f / d W_0[j][c] = delta_j(x) x_c with delta_j =
 * d f / d z_{0,j}, and on the cube x_c = chi_{{c}}, so the transform of that column is
 * deltahat_j(S xor {c}). Summing over the n columns of unit j:
 *   sum_c sum_S a(S) deltahat_j(S xor {c})^2 = sum_T deltahat_j(T)^2 b(T),
 *   b(T) = (n - |T|) A(|T| + 1) + |T| A(|T| - 1),  A(k) = W_k(f)/C(n,k) (A(0) = A(n+1) = 0),
 * and sum_c ||x_c delta_j||^2 = n ||delta_j||^2. delta_j = x_0 * (column of W_0[j][0]) since
 * x_0 = +-1. So the first layer costs one FWHT per hidden unit instead of n. */
int gdl_ng_profile(gdl_net *net, unsigned n, double *prof, double *gradsq) {
  GDL_CHECK_ARG(net != NULL && prof != NULL, "gdl_ng_profile: NULL argument");
  GDL_CHECK_ARG(n >= 1, "gdl_ng_profile: n must be >= 1");
  if (n > 22) return gdl_fail(GDL_ERANGE, "gdl_ng_profile: n = %u > 22", n);
  GDL_CHECK_ARG(net->spec.width[0] == n, "gdl_ng_profile: net input width %zu != n = %u", net->spec.width[0], n);
  size_t N = (size_t)1 << n, P = net->nparams, h0 = net->spec.width[1], w0 = net->w_off[0];
  /* column list: h0 "delta" columns (W_0[j][0], times x_0), then every parameter outside W_0 */
  size_t ncols = h0 + (P - h0 * n);
  size_t *cols = malloc(ncols * sizeof *cols);
  if (!cols) return gdl_fail(GDL_ENOMEM, "gdl_ng_profile: out of memory");
  size_t k = 0;
  for (size_t j = 0; j < h0; j++) cols[k++] = w0 + j * n;
  for (size_t q = 0; q < P; q++)
    if (q < w0 || q >= w0 + h0 * n) cols[k++] = q;
  /* row chunk: mc * P doubles <= 2^21; column block: N * C doubles <= 2^25 (256 MB) */
  size_t mc = ((size_t)1 << 21) / P;
  if (mc < 1) mc = 1;
  if (mc > 4096) mc = 4096;
  if (mc > N) mc = N;
  size_t C = ((size_t)1 << 25) / N;
  if (C < 1) C = 1;
  if (C > ncols) C = ncols;
  double *X = malloc(mc * n * sizeof *X), *Gc = malloc(mc * P * sizeof *Gc), *B = malloc(N * C * sizeof *B);
  if (!X || !Gc || !B) {
    free(X); free(Gc); free(B); free(cols);
    return gdl_fail(GDL_ENOMEM, "gdl_ng_profile: out of memory (2^%u points x %zu columns)", n, C);
  }
  /* sd[t], so[t]: level-t weight of the delta columns and of the other columns */
  double sd[24] = {0}, so[24] = {0}, inv = 1.0 / (double)N;
  int rc = GDL_OK;
  for (size_t c0 = 0; c0 < ncols && rc == GDL_OK; c0 += C) {
    size_t cw = (c0 + C <= ncols) ? C : ncols - c0;
    for (size_t r0 = 0; r0 < N; r0 += mc) {
      size_t m = (r0 + mc <= N) ? mc : N - r0;
      for (size_t i = 0; i < m; i++)
        for (unsigned a = 0; a < n; a++) X[i * n + a] = ((r0 + i) >> a & 1) ? -1.0 : 1.0;
      if ((rc = gdl_net_per_example_grad(net, m, X, 0, Gc)) != GDL_OK) break;
      for (size_t i = 0; i < m; i++) {
        double x0 = X[i * n];
        const double *g = Gc + i * P;
        double *b = B + (r0 + i) * cw;
        for (size_t c = 0; c < cw; c++) {
          size_t idx = c0 + c;
          b[c] = idx < h0 ? x0 * g[cols[idx]] : g[cols[idx]];
        }
      }
    }
    if (rc != GDL_OK) break;
    if ((rc = gdl_fwht_cols(B, n, cw)) != GDL_OK) break;
    size_t nd = c0 < h0 ? (h0 - c0 < cw ? h0 - c0 : cw) : 0; /* delta columns in this block */
    for (size_t S = 0; S < N; S++) {
      unsigned t = (unsigned)__builtin_popcountll(S);
      const double *b = B + S * cw;
      double d = 0, o = 0;
      for (size_t c = 0; c < nd; c++) d += b[c] * b[c];
      for (size_t c = nd; c < cw; c++) o += b[c] * b[c];
      sd[t] += d * inv * inv;
      so[t] += o * inv * inv;
    }
  }
  free(X); free(Gc); free(B); free(cols);
  GDL_TRY(rc);
  /* level j of x_c delta_u collects level j-1 (c not in T) and j+1 (c in T) of delta_u */
  double gsq = 0;
  for (unsigned j = 0; j <= n; j++) {
    prof[j] = so[j] + (j >= 1 ? (double)(n - j + 1) * sd[j - 1] : 0.0) + (j + 1 <= n ? (double)(j + 1) * sd[j + 1] : 0.0);
    gsq += so[j] + (double)n * sd[j];
    if (!isfinite(prof[j])) return gdl_fail(GDL_EDIVERGED, "gdl_ng_profile: non-finite gradients");
  }
  if (gradsq) *gradsq = gsq;
  return GDL_OK;
}

double gdl_ng_profile_dot(unsigned n, const double *Wf, const double *prof) {
  double g = 0.0;
  for (unsigned j = 1; j <= n; j++) g += Wf[j] / choose(n, j) * prof[j];
  return g;
}

int gdl_ng_G(gdl_net *net, unsigned n, const double *Wf, double *G, double *gradsq) {
  GDL_CHECK_ARG(net != NULL && Wf != NULL && G != NULL, "gdl_ng_G: NULL argument");
  GDL_CHECK_ARG(n >= 1 && n <= 22, "gdl_ng_G: n = %u must be in 1..22", n);
  for (unsigned j = 0; j <= n; j++)
    GDL_CHECK_ARG(isfinite(Wf[j]) && Wf[j] >= 0, "gdl_ng_G: Wf[%u] = %g is not a finite weight", j, Wf[j]);
  double prof[24];
  GDL_TRY(gdl_ng_profile(net, n, prof, gradsq));
  *G = gdl_ng_profile_dot(n, Wf, prof);
  return GDL_OK;
}

int gdl_ng_bound_init(gdl_ng_bound *b, double lambda, double dist2, double tau) {
  GDL_CHECK_ARG(b != NULL, "gdl_ng_bound_init: b is NULL");
  GDL_CHECK_ARG(isfinite(lambda) && lambda >= 0, "gdl_ng_bound_init: lambda = %g", lambda);
  GDL_CHECK_ARG(isfinite(dist2) && dist2 >= 0, "gdl_ng_bound_init: dist2 = %g", dist2);
  GDL_CHECK_ARG(isfinite(tau) && tau > 0, "gdl_ng_bound_init: tau = %g must be > 0", tau);
  b->lambda = lambda;
  b->dist2 = dist2;
  b->tau = tau;
  b->sumG = 0;
  b->steps = 0;
  return GDL_OK;
}

int gdl_ng_bound_add(gdl_ng_bound *b, double G) {
  GDL_CHECK_ARG(b != NULL, "gdl_ng_bound_add: b is NULL");
  GDL_CHECK_ARG(isfinite(G) && G >= 0, "gdl_ng_bound_add: G = %g is not finite and >= 0", G);
  b->sumG += G;
  b->steps++;
  return GDL_OK;
}

double gdl_ng_bound_value(const gdl_ng_bound *b) {
  if (!b) return NAN;
  return sqrt(b->lambda) + 0.5 * sqrt(b->dist2) * sqrt(b->sumG) / b->tau;
}

/* ---------------- runs ---------------- */
int gdl_equivariance_error(size_t m, const double *a, const double *b, double *err) {
  GDL_CHECK_ARG(a != NULL && b != NULL && err != NULL, "gdl_equivariance_error: NULL argument");
  *err = NAN;
  for (size_t i = 0; i < m; i++) {
    if (!isfinite(a[i])) return gdl_fail(GDL_EDIVERGED, "gdl_equivariance_error: a[%zu] = %g is not finite", i, a[i]);
    if (!isfinite(b[i])) return gdl_fail(GDL_EDIVERGED, "gdl_equivariance_error: b[%zu] = %g is not finite", i, b[i]);
  }
  double e = 0;
  for (size_t i = 0; i < m; i++) {
    double d = fabs(a[i] - b[i]);
    if (d > e) e = d;
  }
  *err = e;
  return GDL_OK;
}

int gdl_hitting_index(size_t m, const double *y, double thr, int below, size_t *idx) {
  GDL_CHECK_ARG(y != NULL && idx != NULL, "gdl_hitting_index: NULL argument");
  GDL_CHECK_ARG(!isnan(thr), "gdl_hitting_index: threshold is NaN");
  for (size_t i = 0; i < m; i++) {
    if (below ? (y[i] < thr) : (y[i] > thr)) {
      *idx = i;
      return GDL_OK;
    }
  }
  *idx = m;
  return GDL_OK;
}
