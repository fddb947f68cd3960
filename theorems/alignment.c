/* theorems/alignment.c: claim AL (theorems/alignment.md), on the targets the other claims use.
 *
 * AL1a  level-weight formula (gdl_align_bn_values) = the library's subset-sum reference
 *       (gdl_align_bn_bruteforce; it reuses the level formula, so this is a consistency check)
 *       = the sparse-polynomial form (gdl_align_bn_poly, no enumeration), n = 12, 1e-10.
 * AL1b  E_g <h, f o g - fbar>^2 by the formula = Monte Carlo over 10^4 uniform g in B_16
 *       (values of f permuted, no Fourier identity), within 4 SE, for h = the output of a
 *       random tanh net (the kind of h the NG bound feeds in).
 * AL1c  independent brute force by group enumeration (n = 4, 5, 6: all 2^n n! elements of
 *       B_n, f o g on all points, M = E_g u_g u_g^T, lambda = top eigenvalue (GSL), CP =
 *       ||M/2^n||_F^2 and, for n <= 5, CP over all pairs (g, g')): equal to the fast formula
 *       to 1e-10 on the claim targets that fit and random functions; parities: lambda = CP =
 *       1/#(k-subsets); lambda^2 <= CP <= lambda ||f - fbar||^2 on these numbers.
 * Targets: parities of degree 1, n/2 (NG, WL3 middle), n-1 and n (WL near-full), the WL3
 * mixed target 0.6 x1 + 0.8 chi_{2..7}, the MS staircase x1 + x1x2 + x1x2x3 + x1x2x3x4 and
 * the MS non-MSP targets x1 + x1x2x3x4 and x1x2x3. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_cblas.h> /* cblas_* declarations (linked against the project BLAS) */
#include <gsl/gsl_randist.h>
#include "gdl/gdl.h"
#include "gdl_test.h"
#include "experiments/noisy_gd.h"

/* The targets, one per row: {name, text} of the claim target (n >= 8), then {name, text} of its
 * counterpart on small n (n = 4, 5, 6: AL1c). Text NULL: the parity on x1..xk, k = 1, n/2, n - 1
 * and n in rows 0-3. */
#define NTARGETS 8
static const char *const TARGETS[NTARGETS][4] = {
    {"parity_k1", NULL, "x1", NULL},
    {"parity_middle", NULL, "parity_half", NULL},
    {"parity_n-1", NULL, "parity_n-1", NULL},
    {"parity_n", NULL, "parity_n", NULL},
    {"WL3_mixed", "0.6*x1 + 0.8*x2*x3*x4*x5*x6*x7", "mixed", "0.6*x1 + 0.8*x2*x3*x4"},
    {"MS_staircase", "x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4", "staircase", "x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4"},
    {"MS_x1+x1x2x3x4", "x1 + x1*x2*x3*x4", "x1+x1x2x3x4", "x1 + x1*x2*x3*x4"},
    {"MS_x1x2x3", "x1*x2*x3", "x1x2x3_plus_const", "0.5 + x1*x2*x3"},
};

/* The claim targets (small = 0) or their small-n counterparts (small = 1) on n variables as
 * texts and names; returns their count, NTARGETS. */
static size_t target_list(unsigned n, int small, char texts[][256], const char **names) {
  const unsigned ks[4] = {1, n / 2, n - 1, n};
  for (size_t c = 0; c < NTARGETS; c++) {
    names[c] = TARGETS[c][2 * small];
    const char *text = TARGETS[c][2 * small + 1];
    if (text) {
      snprintf(texts[c], 256, "%s", text);
      continue;
    }
    texts[c][0] = 0;
    for (unsigned i = 1; i <= ks[c]; i++) {
      char v[16];
      snprintf(v, sizeof v, "%sx%u", i > 1 ? "*" : "", i);
      strcat(texts[c], v);
    }
  }
  return NTARGETS;
}

/* The claim targets as text on n variables (n >= 8), and the N = 2^n points of the cube X
 * (N x n, allocated: the test frees it). */
typedef struct {
  unsigned n;
  size_t N, nt;
  char texts[NTARGETS][256];
  const char *names[NTARGETS];
  double *X;
} claim_set;

static void claim_set_init(claim_set *s, unsigned n) {
  s->n = n;
  s->N = (size_t)1 << n;
  s->nt = target_list(n, 0, s->texts, s->names);
  s->X = malloc(s->N * n * sizeof *s->X);
  cr_assert(s->X != NULL);
  ng_cube_enumerate(n, s->X);
}

static void poly_values(const char *text, unsigned n, double *X, double *f) {
  gdl_poly *p = NULL;
  gdl_test_check_rc(gdl_poly_parse(text, &p), "gdl_poly_parse");
  gdl_test_check_rc(gdl_poly_eval(p, (size_t)1 << n, X, n, f), "gdl_poly_eval");
  gdl_poly_free(p);
}

static double relerr(double a, double b) {
  double d = fabs(a - b), s = fmax(fabs(a), fabs(b));
  return s > 0 ? d / s : d;
}

Test(alignment, AL1a_formula_vs_bruteforce, .timeout = 120) {
  uint64_t seed = gdl_test_seed();
  claim_set s;
  claim_set_init(&s, 12);
  double *f = malloc(s.N * sizeof *f);
  cr_assert(f != NULL);
  for (size_t t = 0; t < s.nt; t++) {
    poly_values(s.texts[t], s.n, s.X, f);
    gdl_align a, b, c;
    gdl_test_check_rc(gdl_align_bn_values(f, s.n, &a), "gdl_align_bn_values");
    gdl_test_check_rc(gdl_align_bn_bruteforce(f, s.n, &b), "gdl_align_bn_bruteforce");
    gdl_poly *p = NULL;
    gdl_test_check_rc(gdl_poly_parse(s.texts[t], &p), "parse");
    gdl_test_check_rc(gdl_align_bn_poly(p, s.n, &c), "gdl_align_bn_poly");
    gdl_poly_free(p);
    char chk[96], params[400];
    snprintf(params, sizeof params, "n=%u f=%s: lambda=%.6g (brute %.6g, poly %.6g) CP=%.6g (brute %.6g, poly %.6g)", s.n,
             s.texts[t], a.lambda, b.lambda, c.lambda, a.cp, b.cp, c.cp);
    double e1 = relerr(a.lambda, b.lambda), e2 = relerr(a.cp, b.cp);
    double e3 = fmax(relerr(a.lambda, c.lambda), relerr(a.cp, c.cp));
    snprintf(chk, sizeof chk, "AL1a_lambda_formula_vs_brute_%s", s.names[t]);
    gdl_test_claim("AL", chk, e1, "<=", 1e-10, e1 <= 1e-10, seed, params);
    snprintf(chk, sizeof chk, "AL1a_CP_formula_vs_brute_%s", s.names[t]);
    gdl_test_claim("AL", chk, e2, "<=", 1e-10, e2 <= 1e-10, seed, params);
    snprintf(chk, sizeof chk, "AL1a_values_vs_poly_%s", s.names[t]);
    gdl_test_claim("AL", chk, e3, "<=", 1e-10, e3 <= 1e-10, seed, params);
  }
  free(s.X);
  free(f);
}

Test(alignment, AL1b_formula_vs_montecarlo, .timeout = 200) {
  uint64_t seed = gdl_test_seed();
  claim_set s;
  claim_set_init(&s, 16);
  const unsigned n = s.n;
  const size_t N = s.N;
  double *X = s.X, *f = malloc(N * sizeof *f), *h = malloc(N * sizeof *h);
  cr_assert(f && h);
  /* h: output of a random depth-2 tanh net with a spread first layer (rich spectrum) */
  ng_cfg c;
  ng_cfg_default(&c, n, 2);
  gdl_net *net = NULL;
  gsl_rng *r = NULL;
  gdl_test_check_rc(ng_net_create(&c, &net), "net");
  gdl_test_check_rc(gdl_rng_alloc(seed, "AL1b/h", 0, &r), "rng");
  gdl_test_check_rc(ng_net_init(&c, net, r), "init");
  double *W0 = gdl_net_weight(net, 0);
  for (size_t i = 0; i < n * c.width; i++) W0[i] *= 3.0; /* saturated units: weight on high levels */
  gdl_test_check_rc(gdl_net_forward(net, N, X, h), "forward");
  gdl_rng_free(r);
  gdl_net_free(net);
  for (size_t t = 0; t < s.nt; t++) {
    if (!strcmp(s.names[t], "parity_n")) continue; /* orbit of size 1 up to sign: nothing to sample */
    poly_values(s.texts[t], n, X, f);
    double formula, mean, se;
    gdl_test_check_rc(gdl_align_bn_expect(f, h, n, &formula), "gdl_align_bn_expect");
    if (!strcmp(s.names[t], "parity_middle")) {
      /* The orbit of chi_S (|S| = n/2) is {+-chi_T : |T| = n/2}, each T equally likely under
       * uniform g, and the per-g values <h, chi_T>^2 are heavy-tailed over the C(16, 8) = 12870
       * subsets (a 10^4-sample mean missed the rare large ones by 5 SE for GDL_SEED=8). So the
       * orbit average is computed exactly: every T, <h, chi_T> as a direct sum over the 2^n
       * points (no transform, no level identity). */
      double acc = 0, cnt = 0;
      for (size_t T = 0; T < N; T++) {
        if ((unsigned)__builtin_popcountll(T) != n / 2) continue;
        double ip = 0;
        for (size_t i = 0; i < N; i++) ip += (__builtin_popcountll(i & T) & 1) ? -h[i] : h[i];
        ip /= (double)N;
        acc += ip * ip;
        cnt += 1;
      }
      double exact = acc / cnt, e = relerr(exact, formula);
      char chk[96], params[300];
      snprintf(params, sizeof params, "n=%u f=%s h=random tanh net: formula=%.10g orbit average=%.10g (%.0f subsets)",
               n, s.texts[t], formula, exact, cnt);
      snprintf(chk, sizeof chk, "AL1b_orbit_exact_%s", s.names[t]);
      gdl_test_claim("AL", chk, e, "<=", 1e-10, e <= 1e-10, seed, params);
      continue;
    }
    gdl_test_check_rc(gdl_rng_alloc(seed, "AL1b/mc", t, &r), "rng");
    gdl_test_check_rc(gdl_align_bn_mc(f, h, n, 10000, r, &mean, &se), "gdl_align_bn_mc");
    gdl_rng_free(r);
    double z = fabs(mean - formula) / se;
    char chk[96], params[400];
    snprintf(params, sizeof params, "n=%u f=%s h=random tanh net: formula=%.6g MC=%.6g se=%.3g (10^4 g in B_n)", n,
             s.texts[t], formula, mean, se);
    snprintf(chk, sizeof chk, "AL1b_MC_within_4SE_%s", s.names[t]);
    gdl_test_claim("AL", chk, z, "<=", 4.0, z <= 4.0 && se > 0, seed, params);
  }
  free(X); free(f); free(h);
}

/* ---------------- AL1c: independent brute force by group enumeration ----------------
 * No Fourier identity: enumerate every g = (signs s, permutation p) of B_n, (g x)_a =
 * s_a x_{p(a)}, compute u_g = f o g - fbar on all 2^n points directly (fbar = the average
 * of f o g over the group, a function of x), M = E_g u_g u_g^T; the operator
 * K h = E_g <h, u_g> u_g under <a, b> = 2^-n sum_x a(x) b(x) is M / 2^n, so
 *   lambda = top eigenvalue of M / 2^n (GSL symmetric eigensolver),
 *   CP = trace K^2 = ||M / 2^n||_F^2,   ||f - fbar||^2 = trace K,
 * and CP is also computed by its definition E_{g,g'} <u_g, u_g'>^2 over all pairs (n <= 5),
 * which checks the normalisation of the Frobenius form. */
typedef struct { double lambda, cp, cp_pairs, dist2, fbar_min, fbar_max; } enum_align;

static int next_perm(unsigned *p, unsigned n) {
  int i = (int)n - 2;
  while (i >= 0 && p[i] > p[i + 1]) i--;
  if (i < 0) return 0;
  int j = (int)n - 1;
  while (p[j] < p[i]) j--;
  unsigned t = p[i]; p[i] = p[j]; p[j] = t;
  for (int a = i + 1, b = (int)n - 1; a < b; a++, b--) { t = p[a]; p[a] = p[b]; p[b] = t; }
  return 1;
}

/* all u_g (before centring) as rows of U (|G| x N); returns |G| */
static size_t orbit_values(const double *f, unsigned n, double *U) {
  size_t N = (size_t)1 << n, G = 0;
  unsigned p[8];
  for (unsigned i = 0; i < n; i++) p[i] = i;
  do {
    for (size_t s = 0; s < N; s++, G++) {
      for (size_t i = 0; i < N; i++) {
        size_t gi = 0;
        for (unsigned a = 0; a < n; a++) {
          double xa = ((i >> p[a]) & 1u) ? -1.0 : 1.0; /* x_{p(a)} */
          double ya = ((s >> a) & 1u) ? -xa : xa;      /* (g x)_a */
          if (ya < 0) gi |= (size_t)1 << a;
        }
        U[G * N + i] = f[gi];
      }
    }
  } while (next_perm(p, n));
  return G;
}

static enum_align enumerate_align(const double *f, unsigned n) {
  size_t N = (size_t)1 << n, Gmax = N;
  for (unsigned i = 2; i <= n; i++) Gmax *= i;
  double *U = malloc(Gmax * N * sizeof *U), *fbar = calloc(N, sizeof *fbar), *M = calloc(N * N, sizeof *M);
  cr_assert(U && fbar && M);
  size_t G = orbit_values(f, n, U);
  cr_assert_eq(G, Gmax);
  for (size_t g = 0; g < G; g++)
    for (size_t i = 0; i < N; i++) fbar[i] += U[g * N + i] / (double)G;
  enum_align r = {0};
  r.fbar_min = INFINITY;
  r.fbar_max = -INFINITY;
  for (size_t i = 0; i < N; i++) {
    r.fbar_min = fmin(r.fbar_min, fbar[i]);
    r.fbar_max = fmax(r.fbar_max, fbar[i]);
  }
  for (size_t g = 0; g < G; g++)
    for (size_t i = 0; i < N; i++) U[g * N + i] -= fbar[i];
  /* K = M / N with M = E_g u u^T: K = U^T U / (G N) (upper triangle, then mirrored) */
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)N, (int)G, 1.0 / ((double)G * (double)N), U, (int)N, 0.0,
              M, (int)N);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < i; j++) M[i * N + j] = M[j * N + i];
  for (size_t i = 0; i < N; i++) r.dist2 += M[i * N + i];
  for (size_t q = 0; q < N * N; q++) r.cp += M[q] * M[q];
  gsl_matrix_view mv = gsl_matrix_view_array(M, N, N);
  gsl_vector *ev = gsl_vector_alloc(N);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(N);
  cr_assert(ev && w);
  cr_assert_eq(gsl_eigen_symm(&mv.matrix, ev, w), 0);
  r.lambda = gsl_vector_max(ev);
  gsl_eigen_symm_free(w);
  gsl_vector_free(ev);
  r.cp_pairs = NAN;
  if (n <= 5) { /* CP by its definition over all pairs (g, g') */
    const size_t B = 128; /* Gram matrix <u_g, u_h> in row blocks */
    double *Gr = malloc(B * G * sizeof *Gr), acc = 0;
    cr_assert(Gr != NULL);
    for (size_t g0 = 0; g0 < G; g0 += B) {
      size_t b = G - g0 < B ? G - g0 : B;
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)b, (int)G, (int)N, 1.0 / (double)N, U + g0 * N, (int)N,
                  U, (int)N, 0.0, Gr, (int)G);
      double part = 0; /* row sums, block sums, total: three-level summation */
      for (size_t q = 0; q < b; q++) {
        double row = 0;
        for (size_t c = 0; c < G; c++) row += Gr[q * G + c] * Gr[q * G + c];
        part += row;
      }
      acc += part;
    }
    free(Gr);
    r.cp_pairs = acc / ((double)G * (double)G);
  }
  free(U); free(fbar); free(M);
  return r;
}

Test(alignment, AL1c_group_enumeration, .timeout = 200) {
  uint64_t seed = gdl_test_seed();
  gsl_rng *r = gdl_test_rng("AL1c/random", 0);
  int viol = 0;
  double worst_lo = INFINITY, worst_hi = INFINITY;
  for (unsigned n = 4; n <= 6; n++) {
    size_t N = (size_t)1 << n;
    char texts[16][256];
    const char *names[16];
    size_t nt = target_list(n, 1, texts, names); /* the claim targets that fit; then random functions */
    double *X = malloc(N * n * sizeof *X), *f = malloc(N * sizeof *f);
    cr_assert(X && f);
    ng_cube_enumerate(n, X);
    for (size_t t = 0; t < nt + 3; t++) {
      const char *name = t < nt ? names[t] : "random_values";
      if (t < nt) {
        poly_values(texts[t], n, X, f);
      } else { /* a random function: every level, non-zero mean */
        for (size_t i = 0; i < N; i++) f[i] = gsl_ran_gaussian(r, 1.0) + (double)(t - nt);
      }
      enum_align e = enumerate_align(f, n);
      gdl_align a;
      gdl_test_check_rc(gdl_align_bn_values(f, n, &a), "gdl_align_bn_values");
      double err = fmax(fmax(relerr(e.lambda, a.lambda), relerr(e.cp, a.cp)), relerr(e.dist2, a.dist2));
      err = fmax(err, fmax(fabs(e.fbar_min - a.fbar), fabs(e.fbar_max - a.fbar)));
      char chk[96], params[700];
      snprintf(params, sizeof params,
               "n=%u f=%.200s: enumeration of B_n (%s): lambda=%.10g CP=%.10g dist2=%.10g fbar in [%.6g, %.6g]; formula: "
               "lambda=%.10g CP=%.10g dist2=%.10g fbar=%.6g",
               n, t < nt ? texts[t] : "random values", n <= 5 ? "CP also over all pairs" : "Frobenius", e.lambda, e.cp,
               e.dist2, e.fbar_min, e.fbar_max, a.lambda, a.cp, a.dist2, a.fbar);
      snprintf(chk, sizeof chk, "AL1c_enumeration_vs_formula_n%u_%s%s", n, name,
               t < nt ? "" : (t == nt ? "0" : (t == nt + 1 ? "1" : "2")));
      gdl_test_claim("AL", chk, err, "<=", 1e-10, err <= 1e-10, seed, params);
      if (n <= 5) {
        double ep = relerr(e.cp, e.cp_pairs);
        snprintf(chk, sizeof chk, "AL1c_CP_frobenius_vs_pairs_n%u_%s%s", n, name,
                 t < nt ? "" : (t == nt ? "0" : (t == nt + 1 ? "1" : "2")));
        gdl_test_claim("AL", chk, ep, "<=", 1e-10, ep <= 1e-10, seed, params);
      }
      /* the sandwich on the independently computed numbers */
      double sc = e.lambda * e.dist2, lo = e.cp - e.lambda * e.lambda, hi = sc - e.cp;
      if (sc > 0) {
        if (lo < -1e-12 * sc || hi < -1e-12 * sc) viol++;
        worst_lo = fmin(worst_lo, lo / sc);
        worst_hi = fmin(worst_hi, hi / sc);
      }
    }
    /* parities: lambda = CP = 1/C(n, k), with C(n, k) counted (popcount over subsets) */
    for (unsigned k = 1; k <= n; k++) {
      double cnt = 0;
      for (size_t S = 0; S < N; S++) cnt += (unsigned)__builtin_popcountll(S) == k;
      ng_parity_values(n, ng_first_k(k), f);
      enum_align e = enumerate_align(f, n);
      double err = fmax(relerr(e.lambda, 1.0 / cnt), relerr(e.cp, 1.0 / cnt));
      char chk[96], params[160];
      snprintf(params, sizeof params, "n=%u parity of degree %u by enumeration: lambda=%.10g CP=%.10g, 1/#k-subsets=%.10g",
               n, k, e.lambda, e.cp, 1.0 / cnt);
      snprintf(chk, sizeof chk, "AL1c_parity_enumeration_n%u_k%u", n, k);
      gdl_test_claim("AL", chk, err, "<=", 1e-10, err <= 1e-10, seed, params);
    }
    free(X);
    free(f);
  }
  gsl_rng_free(r);
  char params[240];
  snprintf(params, sizeof params,
           "n=4,5,6, claim targets + random functions, numbers from group enumeration: min (CP-lambda^2)/(lambda "
           "dist2)=%.3g, min (lambda dist2-CP)/(lambda dist2)=%.3g",
           worst_lo, worst_hi);
  gdl_test_claim("AL", "AL1c_sandwich_on_enumeration_violations", viol, "==", 0, viol == 0, seed, params);
}
