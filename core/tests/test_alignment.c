/* core.alignment: the alignment identities of CLAIMS.md AL1 and the NG ingredient G(theta).
 * - full group: for n <= 5 the operator M = E_g u_g u_g^T (u_g = f o g - fbar, all 2^n n!
 *   elements of B_n enumerated, g applied through gdl_group_act_inputs) gives
 *   lambda = lambda_max(M), CP = ||M||_F^2, E_g<h,u_g>^2 = <h, M h>: equal to the
 *   level-weight formula (relative 1e-10);
 * - formula = brute force over all k-subsets (n <= 12, relative 1e-10); lambda = 1/C(n,k)
 *   for a degree-k parity;
 * - formula = Monte Carlo over 1e4 random g in B_n (n = 16, within 4 SE);
 *   control: the same Monte Carlo over S_n only (no sign flips, fbar kept at fhat(empty))
 *   differs from the B_n formula by > 4 SE, so this comparison can fail;
 * - lambda^2 <= CP <= lambda ||f - fbar||^2 on random sparse polynomials (n = 30);
 * - general cross-fitted CP estimator: B_n on the cube with exact quadrature, and O(d) on
 *   the sphere against the harmonic formula CP = W^2 / N(d, 2) for x1 x2;
 * - G(theta) by FWHT = explicit sum over all g in B_n (n = 4, 5) of
 *   ||E_x[(f o g - fbar) grad f_theta]||^2, and G <= lambda * sum_i ||d_i f_theta||^2;
 * - NG bound accumulator, equivariance error (NaN-aware), hitting index. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "gdl/boolean.h"
#include "gdl/domain.h"
#include "gdl/error.h"
#include "gdl/group.h"
#include "gdl/alignment.h"
#include "gdl/net.h"
#include "gdl/report.h"
#include "gdl/rng.h"
#include "gdl/stats.h"
#include "gdl_test.h"

static double relerr(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

/* all 2^n cube points, row i: x_c = -1 iff bit c of i */
static double *cube_points(unsigned n) {
  size_t N = (size_t)1 << n;
  double *X = malloc(N * n * sizeof *X);
  for (size_t i = 0; i < N; i++)
    for (unsigned c = 0; c < n; c++) X[i * n + c] = (i >> c & 1) ? -1.0 : 1.0;
  return X;
}

static size_t point_index(const double *x, unsigned n) {
  size_t i = 0;
  for (unsigned c = 0; c < n; c++)
    if (x[c] < 0) i |= (size_t)1 << c;
  return i;
}

/* values of sum_t coef_t chi_{S_t} on the cube */
static void sparse_values(unsigned n, size_t T, const size_t *S, const double *coef, double *f) {
  size_t N = (size_t)1 << n;
  for (size_t i = 0; i < N; i++) {
    double v = 0;
    for (size_t t = 0; t < T; t++) v += coef[t] * ((__builtin_popcountll(i & S[t]) & 1) ? -1.0 : 1.0);
    f[i] = v;
  }
}

/* next lexicographic permutation; 0 when done */
static int next_perm(size_t *a, size_t n) {
  if (n < 2) return 0;
  size_t i = n - 1;
  while (i > 0 && a[i - 1] >= a[i]) i--;
  if (i == 0) return 0;
  size_t j = n - 1;
  while (a[j] <= a[i - 1]) j--;
  size_t t = a[i - 1]; a[i - 1] = a[j]; a[j] = t;
  for (size_t l = i, r = n - 1; l < r; l++, r--) { t = a[l]; a[l] = a[r]; a[r] = t; }
  return 1;
}

/* Call fn(g) for every element of B_n. */
typedef void (*elem_fn)(const gdl_group_elem *g, void *ctx);
static size_t for_all_bn(unsigned n, elem_fn fn, void *ctx) {
  gdl_group_elem *g;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, n, &g) == GDL_OK);
  size_t perm[8], count = 0;
  for (size_t a = 0; a < n; a++) perm[a] = a;
  do {
    for (size_t s = 0; s < ((size_t)1 << n); s++) {
      for (size_t a = 0; a < n; a++) {
        g->perm[a] = perm[a];
        g->sign[a] = (s >> a & 1) ? -1.0 : 1.0;
      }
      fn(g, ctx);
      count++;
    }
  } while (next_perm(perm, n));
  gdl_group_elem_free(g);
  return count;
}

/* u_g(x_i) = f(g x_i) via the group action on the points */
static void orbit_values(const gdl_group_elem *g, unsigned n, const double *X, const double *f, double *u) {
  size_t N = (size_t)1 << n;
  double *GX = malloc(N * n * sizeof *GX);
  cr_assert(gdl_group_act_inputs(g, N, X, GX) == GDL_OK);
  for (size_t i = 0; i < N; i++) u[i] = f[point_index(GX + i * n, n)];
  free(GX);
}

typedef struct {
  unsigned n;
  const double *X, *f;
  double fbar;
  double *M; /* N x N */
} fullM_ctx;

static void accum_M(const gdl_group_elem *g, void *vctx) {
  fullM_ctx *c = vctx;
  size_t N = (size_t)1 << c->n;
  double u[64];
  orbit_values(g, c->n, c->X, c->f, u);
  for (size_t i = 0; i < N; i++) u[i] = (u[i] - c->fbar) / sqrt((double)N); /* L2(uniform) normalisation */
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++) c->M[i * N + j] += u[i] * u[j];
}

Test(alignment, full_group_operator, .timeout = 120) {
  gsl_rng *r = gdl_test_rng("test_alignment.fullgroup", 0);
  for (unsigned n = 2; n <= 5; n++) {
    size_t N = (size_t)1 << n;
    double *f = malloc(N * 8), *h = malloc(N * 8), *X = cube_points(n), *M = calloc(N * N, 8);
    gdl_rng_gaussian(r, 1.0, N, f);
    gdl_rng_gaussian(r, 1.0, N, h);
    double fbar = 0;
    for (size_t i = 0; i < N; i++) fbar += f[i] / N;
    fullM_ctx ctx = {n, X, f, fbar, M};
    size_t cnt = for_all_bn(n, accum_M, &ctx);
    for (size_t i = 0; i < N * N; i++) M[i] /= (double)cnt;
    /* CP = ||M||_F^2 and <h, M h> */
    double cp = 0, hMh = 0;
    for (size_t i = 0; i < N; i++)
      for (size_t j = 0; j < N; j++) {
        cp += M[i * N + j] * M[i * N + j];
        hMh += h[i] * M[i * N + j] * h[j] / (double)N; /* <h, M h> with M already 1/sqrt(N)-scaled */
      }
    gsl_matrix_view mv = gsl_matrix_view_array(M, N, N);
    gsl_vector *ev = gsl_vector_alloc(N);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(N);
    cr_assert(gsl_eigen_symm(&mv.matrix, ev, w) == 0);
    double lmax = gsl_vector_max(ev);
    gsl_eigen_symm_free(w);
    gsl_vector_free(ev);
    gdl_align a;
    cr_assert(gdl_align_bn_values(f, n, &a) == GDL_OK, "%s", gdl_strerror_last());
    double e;
    cr_assert(gdl_align_bn_expect(f, h, n, &e) == GDL_OK);
    char buf[256];
    cr_assert(relerr(a.lambda, lmax) < 1e-10, "n=%u: %s", n, gdl_fmt_check(buf, sizeof buf, "lambda formula vs lambda_max(M)", a.lambda, "~=", lmax));
    cr_assert(relerr(a.cp, cp) < 1e-10, "n=%u: %s", n, gdl_fmt_check(buf, sizeof buf, "CP formula vs ||M||_F^2", a.cp, "~=", cp));
    cr_assert(relerr(e, hMh) < 1e-10, "n=%u: %s", n, gdl_fmt_check(buf, sizeof buf, "E_g<h,u_g>^2 formula vs <h,Mh>", e, "~=", hMh));
    cr_assert(fabs(a.fbar - fbar) < 1e-13);
    free(f); free(h); free(X); free(M);
  }
  gdl_rng_free(r);
}

Test(alignment, formula_vs_bruteforce_ksubsets, .timeout = 120) {
  gsl_rng *r = gdl_test_rng("test_alignment.brute", 0);
  double worst = 0;
  for (unsigned n = 3; n <= 12; n += 3) {
    size_t N = (size_t)1 << n;
    double *f = malloc(N * 8);
    for (int trial = 0; trial < 3; trial++) {
      if (trial == 0) {
        gdl_rng_gaussian(r, 1.0, N, f); /* dense: every level */
      } else {
        size_t T = 1 + gsl_rng_uniform_int(r, 5), S[6];
        double c[6];
        for (size_t t = 0; t < T; t++) {
          S[t] = gsl_rng_uniform_int(r, N);
          c[t] = gsl_ran_gaussian(r, 1.0);
        }
        sparse_values(n, T, S, c, f);
      }
      gdl_align a, b;
      cr_assert(gdl_align_bn_values(f, n, &a) == GDL_OK);
      cr_assert(gdl_align_bn_bruteforce(f, n, &b) == GDL_OK);
      /* relative to the natural scale (E f^2 for lambda and ||f-fbar||^2, (E f^2)^2 for CP),
       * so that a constant f (all three 0 up to rounding) is handled */
      double ef2 = 0;
      for (size_t i = 0; i < N; i++) ef2 += f[i] * f[i] / N;
      double e1 = fabs(a.lambda - b.lambda) / fmax(fabs(b.lambda), 1e-3 * ef2),
             e2 = fabs(a.cp - b.cp) / fmax(fabs(b.cp), 1e-6 * ef2 * ef2),
             e3 = fabs(a.dist2 - b.dist2) / fmax(fabs(b.dist2), 1e-3 * ef2);
      worst = fmax(worst, fmax(e1, fmax(e2, e3)));
      cr_assert(e1 < 1e-10 && e2 < 1e-10 && e3 < 1e-10,
                "n=%u trial %d: lambda %.15g vs %.15g, CP %.15g vs %.15g, dist2 %.15g vs %.15g", n, trial, a.lambda,
                b.lambda, a.cp, b.cp, a.dist2, b.dist2);
    }
    /* a degree-k parity: lambda = 1/C(n,k) */
    size_t k = n / 2 + 1, S = ((size_t)1 << k) - 1;
    double one = 1.0;
    sparse_values(n, 1, &S, &one, f);
    gdl_align a;
    cr_assert(gdl_align_bn_values(f, n, &a) == GDL_OK);
    double want = 1.0 / gsl_sf_choose(n, k);
    cr_assert(relerr(a.lambda, want) < 1e-12 && relerr(a.cp, want) < 1e-12 && a.level == k,
              "parity n=%u k=%zu: lambda %g CP %g, expected %g", n, k, a.lambda, a.cp, want);
    free(f);
  }
  gdl_claim_record("AL1", "formula_vs_bruteforce_ksubsets_relerr", worst, "<=", 1e-10, worst <= 1e-10, gdl_test_seed(),
                   "n in {3,6,9,12}, dense and sparse f");
}

/* Monte Carlo over S_n only (control): permutations without sign flips. */
static double mc_sn(const double *f, const double *h, unsigned n, size_t ng, gsl_rng *r, double *se) {
  size_t N = (size_t)1 << n;
  double fbar = 0;
  for (size_t i = 0; i < N; i++) fbar += f[i] / N;
  double *v = malloc(ng * 8), m;
  size_t perm[32];
  for (size_t t = 0; t < ng; t++) {
    gdl_rng_permutation(r, n, perm);
    double s = 0;
    for (size_t i = 0; i < N; i++) {
      size_t j = 0;
      for (unsigned a = 0; a < n; a++) j |= ((i >> perm[a]) & 1) << a;
      s += h[i] * (f[j] - fbar);
    }
    s /= (double)N;
    v[t] = s * s;
  }
  gdl_mean_se(ng, v, &m, se);
  free(v);
  return m;
}

Test(alignment, formula_vs_monte_carlo_n16, .timeout = 120) {
  gsl_rng *r = gdl_test_rng("test_alignment.mc", 0);
  unsigned n = 16;
  size_t N = (size_t)1 << n;
  double *f = malloc(N * 8), *h = malloc(N * 8);
  /* f: a symmetric degree-1 part plus degree-2/3 monomials; h: an uneven degree-1 part,
   * other degree-2/3 monomials and a small dense part (weight on every level) */
  size_t Sf[19], Sh[19];
  double cf[19], ch[19];
  for (unsigned i = 0; i < 16; i++) {
    Sf[i] = Sh[i] = (size_t)1 << i;
    cf[i] = 0.25;
    ch[i] = 0.1 * (1 + i % 3);
  }
  Sf[16] = 0x6; cf[16] = 0.6;
  Sf[17] = 0x38; cf[17] = 0.7;
  Sf[18] = 0x300; cf[18] = 0.4;
  Sh[16] = 0x5; ch[16] = 0.5;
  Sh[17] = 0x3800; ch[17] = 0.3;
  Sh[18] = 0xC000; ch[18] = -0.3;
  sparse_values(n, 19, Sf, cf, f);
  sparse_values(n, 19, Sh, ch, h);
  for (size_t i = 0; i < N; i++) h[i] += 0.05 * gsl_ran_gaussian(r, 1.0);
  double e, mc, se;
  cr_assert(gdl_align_bn_expect(f, h, n, &e) == GDL_OK);
  cr_assert(gdl_align_bn_mc(f, h, n, 10000, r, &mc, &se) == GDL_OK, "%s", gdl_strerror_last());
  double dev = fabs(mc - e) / se;
  char buf[256];
  gdl_claim_record("AL1", "formula_vs_montecarlo_n16_in_SE", dev, "<=", 4.0, dev <= 4.0, gdl_test_seed(),
                   "n=16, 1e4 random g in B_n");
  cr_assert(dev <= 4.0, "%s (MC %g +- %g, formula %g)", gdl_fmt_check(buf, sizeof buf, "|MC - formula|/SE", dev, "<=", 4.0), mc, se, e);
  /* control: without the sign flips (S_n only) the symmetric degree-1 part of f is fixed by
   * every g and correlates with h without cancellation: the value differs from the B_n one */
  double se2, mc2 = mc_sn(f, h, n, 2000, r, &se2);
  double dev2 = fabs(mc2 - e) / sqrt(se2 * se2 + 1e-300);
  cr_assert(dev2 > 4.0, "control: the S_n Monte Carlo (%g +- %g) should differ from the B_n formula %g", mc2, se2, e);
  free(f); free(h);
  gdl_rng_free(r);
}

Test(alignment, inequalities_random_sparse) {
  gsl_rng *r = gdl_test_rng("test_alignment.ineq", 0);
  size_t n = 30, nstrict = 0;
  for (int trial = 0; trial < 500; trial++) {
    size_t T = 1 + gsl_rng_uniform_int(r, 6);
    gdl_poly p;
    gdl_monomial terms[6];
    size_t vars[6][30], perm[30];
    p.nterms = T;
    p.terms = terms;
    for (size_t t = 0; t < T; t++) {
      size_t d;
      int dup;
      do { /* distinct monomials (the degree is redrawn too: two constants would repeat) */
        d = gsl_rng_uniform_int(r, 8); /* degree 0..7 */
        gdl_rng_permutation(r, n, perm);
        unsigned long long mask = 0;
        for (size_t k = 0; k < d; k++) mask |= 1ull << perm[k];
        size_t k = 0;
        for (size_t v = 0; v < n; v++)
          if (mask >> v & 1) vars[t][k++] = v;
        dup = 0;
        for (size_t u = 0; u < t; u++)
          if (terms[u].deg == d && memcmp(terms[u].vars, vars[t], d * sizeof(size_t)) == 0) dup = 1;
      } while (dup);
      terms[t].deg = d;
      terms[t].vars = vars[t];
      terms[t].coef = gsl_ran_gaussian(r, 1.0);
    }
    gdl_align a;
    cr_assert(gdl_align_bn_poly(&p, n, &a) == GDL_OK, "%s", gdl_strerror_last());
    double tol = 1e-12 * (a.cp + a.lambda * a.lambda);
    cr_assert(a.lambda * a.lambda <= a.cp + tol, "lambda^2 = %g > CP = %g", a.lambda * a.lambda, a.cp);
    cr_assert(a.cp <= a.lambda * a.dist2 + tol, "CP = %g > lambda ||f-fbar||^2 = %g", a.cp, a.lambda * a.dist2);
    nstrict += (a.cp < a.lambda * a.dist2 * (1 - 1e-6)) && (a.lambda * a.lambda < a.cp * (1 - 1e-6));
  }
  /* the inequalities are not trivially equalities on this family */
  cr_assert(nstrict > 10, "only %zu of 500 random polynomials had strict inequalities", nstrict);
  /* the poly form agrees with the values form at n = 10 */
  size_t v1[] = {0, 3}, v2[] = {1, 2, 7};
  gdl_monomial tm[3] = {{0.3, 0, NULL}, {0.8, 2, v1}, {-0.5, 3, v2}};
  gdl_poly p = {3, tm};
  size_t S[3] = {0, 0x9, 0x86};
  double c[3] = {0.3, 0.8, -0.5}, f[1024];
  sparse_values(10, 3, S, c, f);
  gdl_align a, b;
  cr_assert(gdl_align_bn_poly(&p, 10, &a) == GDL_OK);
  cr_assert(gdl_align_bn_values(f, 10, &b) == GDL_OK);
  cr_assert(relerr(a.lambda, b.lambda) < 1e-12 && relerr(a.cp, b.cp) < 1e-12 && relerr(a.fbar, b.fbar) < 1e-12);
  cr_assert(gdl_align_bn_poly(&p, 5, &a) == GDL_EINVAL, "n below the polynomial's variables");
  gdl_rng_free(r);
}

/* ---- general cross-fitted CP estimator ---- */
typedef struct { unsigned n; const double *f; } table_ctx;
static int eval_table(void *vctx, size_t m, const double *X, double *y) {
  table_ctx *c = vctx;
  for (size_t i = 0; i < m; i++) y[i] = c->f[point_index(X + i * c->n, c->n)];
  return GDL_OK;
}
static int eval_x1x2(void *vctx, size_t m, const double *X, double *y) {
  size_t d = *(size_t *)vctx;
  for (size_t i = 0; i < m; i++) y[i] = X[i * d] * X[i * d + 1];
  return GDL_OK;
}
static int eval_zero(void *vctx, size_t m, const double *X, double *y) {
  (void)vctx; (void)X;
  for (size_t i = 0; i < m; i++) y[i] = 0;
  return GDL_OK;
}

Test(alignment, general_cp_estimator, .timeout = 120) {
  gsl_rng *r = gdl_test_rng("test_alignment.cpmc", 0);
  /* B_n on the cube, exact quadrature: compare with the formula */
  unsigned n = 8;
  size_t N = 256;
  double f[256], *X = cube_points(n);
  size_t S[3] = {0x3, 0x1C, 0x1};
  double c[3] = {1.0, 0.7, 0.4};
  sparse_values(n, 3, S, c, f);
  gdl_align a;
  cr_assert(gdl_align_bn_values(f, n, &a) == GDL_OK);
  table_ctx tc = {n, f};
  double cp, se;
  cr_assert(gdl_align_cp_mc(eval_table, &tc, NULL, NULL, GDL_GROUP_BN, n, N, X, NULL, N, X, NULL, 4000, r, &cp, &se) == GDL_OK,
            "%s", gdl_strerror_last());
  cr_assert(fabs(cp - a.cp) <= 4 * se, "cube B_n: CP MC %g +- %g vs formula %g", cp, se, a.cp);
  free(X);
  /* O(d) on the sphere of radius sqrt(d): f = x1 x2 is a degree-2 harmonic with
   * ||f||^2 = d/(d+2); CP = ||f||^4 / N(d,2), N(d,2) = d(d+1)/2 - 1 (= 5 at d = 3). */
  size_t d = 3, m = 20000;
  gdl_domain dom;
  cr_assert(gdl_domain_sphere(d, &dom) == GDL_OK);
  double *X1 = malloc(m * d * 8), *X2 = malloc(m * d * 8);
  cr_assert(gdl_domain_sample(&dom, r, m, X1, NULL) == GDL_OK);
  cr_assert(gdl_domain_sample(&dom, r, m, X2, NULL) == GDL_OK);
  cr_assert(gdl_align_cp_mc(eval_x1x2, &d, eval_zero, NULL, GDL_GROUP_OD, d, m, X1, NULL, m, X2, NULL, 1000, r, &cp, &se) == GDL_OK,
            "%s", gdl_strerror_last());
  double W = (double)d / (d + 2), want = W * W / (d * (d + 1) / 2.0 - 1);
  cr_assert(fabs(cp - want) <= 4 * se, "sphere O(%zu): CP MC %g +- %g vs harmonic formula %g", d, cp, se, want);
  /* control: the same estimator under S_n (coordinates permuted, not rotated) sees a larger
   * CP (x1x2 only moves among the C(3,2) = 3 products x_a x_b): ||f||^4/3 instead of /5 */
  double cps, ses;
  cr_assert(gdl_align_cp_mc(eval_x1x2, &d, eval_zero, NULL, GDL_GROUP_SN, d, m, X1, NULL, m, X2, NULL, 1000, r, &cps, &ses) == GDL_OK);
  cr_assert(fabs(cps - want) > 4 * ses, "control S_n: CP %g +- %g should differ from the O(d) value %g", cps, ses, want);
  free(X1); free(X2);
  gdl_rng_free(r);
}

/* ---- G(theta) ---- */
typedef struct {
  unsigned n;
  size_t P;
  const double *X, *f, *Gpe; /* per-example gradients N x P */
  double fbar, sum;
} Gctx;

static void accum_G(const gdl_group_elem *g, void *vctx) {
  Gctx *c = vctx;
  size_t N = (size_t)1 << c->n;
  double u[64], *v = calloc(c->P, 8);
  orbit_values(g, c->n, c->X, c->f, u);
  for (size_t i = 0; i < N; i++)
    for (size_t k = 0; k < c->P; k++) v[k] += (u[i] - c->fbar) * c->Gpe[i * c->P + k] / (double)N;
  double s = 0;
  for (size_t k = 0; k < c->P; k++) s += v[k] * v[k];
  c->sum += s;
  free(v);
}

Test(alignment, G_theta_fwht_vs_group_sum, .timeout = 120) {
  gsl_rng *r = gdl_test_rng("test_alignment.G", 0);
  for (unsigned n = 4; n <= 5; n++) {
    size_t N = (size_t)1 << n;
    size_t hidden[2] = {6, 4};
    for (size_t depth = 2; depth <= 3; depth++) {
      gdl_net_spec spec;
      cr_assert(gdl_net_spec_mlp(&spec, n, depth - 1, hidden, 1, GDL_ACT_TANH, 1) == GDL_OK);
      gdl_net *net;
      cr_assert(gdl_net_create(&spec, &net) == GDL_OK);
      cr_assert(gdl_net_init_default(net, r) == GDL_OK);
      for (size_t l = 0; l < spec.nlayers; l++)
        if (gdl_net_bias(net, l)) gdl_rng_gaussian(r, 0.5, spec.width[l + 1], gdl_net_bias(net, l));
      double *X = cube_points(n), *f = malloc(N * 8), *Gpe = malloc(N * net->nparams * 8);
      gdl_rng_gaussian(r, 1.0, N, f);
      cr_assert(gdl_net_per_example_grad(net, N, X, 0, Gpe) == GDL_OK);
      double fbar = 0;
      for (size_t i = 0; i < N; i++) fbar += f[i] / N;
      Gctx c = {n, net->nparams, X, f, Gpe, fbar, 0};
      size_t cnt = for_all_bn(n, accum_G, &c);
      double Gdirect = c.sum / cnt;
      double fh[32], Wf[6], G, gsq;
      cr_assert(gdl_fourier(f, n, fh) == GDL_OK);
      cr_assert(gdl_level_weights(fh, n, Wf) == GDL_OK);
      cr_assert(gdl_ng_G(net, n, Wf, &G, &gsq) == GDL_OK, "%s", gdl_strerror_last());
      char buf[256];
      cr_assert(relerr(G, Gdirect) < 1e-10, "n=%u depth %zu: %s", n, depth,
                gdl_fmt_check(buf, sizeof buf, "G FWHT vs group sum", G, "~=", Gdirect));
      double gs = 0;
      for (size_t i = 0; i < N * net->nparams; i++) gs += Gpe[i] * Gpe[i] / N;
      cr_assert(relerr(gsq, gs) < 1e-10, "sum_i ||d_i f||^2: %g vs %g", gsq, gs);
      gdl_align a;
      cr_assert(gdl_align_bn_values(f, n, &a) == GDL_OK);
      cr_assert(G <= a.lambda * gsq * (1 + 1e-12), "%s", gdl_fmt_check(buf, sizeof buf, "G", G, "<=", a.lambda * gsq));
      free(X); free(f); free(Gpe);
      gdl_net_free(net);
    }
  }
  gdl_rng_free(r);
}

Test(alignment, bound_and_run_helpers) {
  gdl_ng_bound b;
  cr_assert(gdl_ng_bound_init(&b, 0.04, 1.0, 0.1) == GDL_OK);
  for (int t = 0; t < 100; t++) cr_assert(gdl_ng_bound_add(&b, 1e-6) == GDL_OK);
  /* sqrt(0.04) + 0.5 * 1 * sqrt(1e-4) / 0.1 = 0.2 + 0.05 */
  cr_assert(fabs(gdl_ng_bound_value(&b) - 0.25) < 1e-14, "bound %.17g", gdl_ng_bound_value(&b));
  cr_assert(gdl_ng_bound_add(&b, NAN) == GDL_EINVAL);
  cr_assert(gdl_ng_bound_init(&b, 0.04, 1.0, 0.0) == GDL_EINVAL);
  double a1[4] = {1, 2, 3, 4}, a2[4] = {1, 2.5, 3, 4}, err;
  cr_assert(gdl_equivariance_error(4, a1, a2, &err) == GDL_OK && err == 0.5);
  a2[2] = NAN;
  cr_assert(gdl_equivariance_error(4, a1, a2, &err) == GDL_EDIVERGED && isnan(err), "NaN must not read as 0");
  cr_assert(strstr(gdl_strerror_last(), "b[2]") != NULL, "%s", gdl_strerror_last());
  double y[5] = {1.0, NAN, 0.5, 0.05, 0.01};
  size_t idx;
  cr_assert(gdl_hitting_index(5, y, 0.1, 1, &idx) == GDL_OK && idx == 3, "idx %zu", idx);
  cr_assert(gdl_hitting_index(5, y, 0.001, 1, &idx) == GDL_OK && idx == 5);
  cr_assert(gdl_hitting_index(5, y, 0.9, 0, &idx) == GDL_OK && idx == 0);
}
