/* theorems/alignment.c: claim AL (theorems/alignment.md), on the targets the other claims use.
 *
 * AL1a  level-weight formula (gdl_align_bn_values) = brute force over all subsets
 *       (gdl_align_bn_bruteforce) for lambda and CP, n = 12, relative error <= 1e-10;
 *       = the sparse-polynomial form (gdl_align_bn_poly) without enumeration.
 * AL1b  E_g <h, f o g - fbar>^2 by the formula = Monte Carlo over 10^4 uniform g in B_16
 *       (values of f permuted, no Fourier identity), within 4 SE, for h = the output of a
 *       random tanh net (the kind of h the NG bound feeds in).
 * AL1c  lambda^2 <= CP <= lambda ||f - fbar||^2 on the claim targets and on random sparse
 *       polynomials; lambda = 1/C(n, k) exactly for parities; controls: the sandwich is
 *       tight (both ends attained) so a wrong CP or lambda would break it.
 * Targets: parities of degree 1, n/2 (NG, WL3 middle), n-1 and n (WL near-full), the WL3
 * mixed target 0.6 x1 + 0.8 chi_{2..7}, the MS staircase x1 + x1x2 + x1x2x3 + x1x2x3x4 and
 * the MS non-MSP targets x1 + x1x2x3x4 and x1x2x3. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include "gdl/gdl.h"
#include "gdl_test.h"
#include "experiments/noisy_gd.h"

/* The claim targets as text on n variables (n >= 8). */
static void claim_targets(unsigned n, char texts[][256], const char **names, size_t *count) {
  size_t c = 0;
  char *t;
  names[c] = "parity_k1";
  snprintf(texts[c++], 256, "x1");
  /* parity of degree k on x1..xk */
  unsigned ks[3] = {n / 2, n - 1, n};
  const char *kn[3] = {"parity_middle", "parity_n-1", "parity_n"};
  for (int a = 0; a < 3; a++) {
    names[c] = kn[a];
    t = texts[c++];
    t[0] = 0;
    for (unsigned i = 1; i <= ks[a]; i++) {
      char v[16];
      snprintf(v, sizeof v, "%sx%u", i > 1 ? "*" : "", i);
      strcat(t, v);
    }
  }
  names[c] = "WL3_mixed";
  snprintf(texts[c++], 256, "0.6*x1 + 0.8*x2*x3*x4*x5*x6*x7");
  names[c] = "MS_staircase";
  snprintf(texts[c++], 256, "x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4");
  names[c] = "MS_x1+x1x2x3x4";
  snprintf(texts[c++], 256, "x1 + x1*x2*x3*x4");
  names[c] = "MS_x1x2x3";
  snprintf(texts[c++], 256, "x1*x2*x3");
  *count = c;
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
  const unsigned n = 12;
  size_t N = (size_t)1 << n, nt = 0;
  char texts[16][256];
  const char *names[16];
  claim_targets(n, texts, names, &nt);
  double *X = malloc(N * n * sizeof *X), *f = malloc(N * sizeof *f);
  cr_assert(X && f);
  ng_cube_enumerate(n, X);
  for (size_t t = 0; t < nt; t++) {
    poly_values(texts[t], n, X, f);
    gdl_align a, b, c;
    gdl_test_check_rc(gdl_align_bn_values(f, n, &a), "gdl_align_bn_values");
    gdl_test_check_rc(gdl_align_bn_bruteforce(f, n, &b), "gdl_align_bn_bruteforce");
    gdl_poly *p = NULL;
    gdl_test_check_rc(gdl_poly_parse(texts[t], &p), "parse");
    gdl_test_check_rc(gdl_align_bn_poly(p, n, &c), "gdl_align_bn_poly");
    gdl_poly_free(p);
    char chk[96], params[400];
    snprintf(params, sizeof params, "n=%u f=%s: lambda=%.6g (brute %.6g, poly %.6g) CP=%.6g (brute %.6g, poly %.6g)", n,
             texts[t], a.lambda, b.lambda, c.lambda, a.cp, b.cp, c.cp);
    double e1 = relerr(a.lambda, b.lambda), e2 = relerr(a.cp, b.cp);
    double e3 = fmax(relerr(a.lambda, c.lambda), relerr(a.cp, c.cp));
    snprintf(chk, sizeof chk, "AL1a_lambda_formula_vs_brute_%s", names[t]);
    gdl_test_claim("AL", chk, e1, "<=", 1e-10, e1 <= 1e-10, seed, params);
    snprintf(chk, sizeof chk, "AL1a_CP_formula_vs_brute_%s", names[t]);
    gdl_test_claim("AL", chk, e2, "<=", 1e-10, e2 <= 1e-10, seed, params);
    snprintf(chk, sizeof chk, "AL1a_values_vs_poly_%s", names[t]);
    gdl_test_claim("AL", chk, e3, "<=", 1e-10, e3 <= 1e-10, seed, params);
  }
  free(X);
  free(f);
}

Test(alignment, AL1b_formula_vs_montecarlo, .timeout = 200) {
  uint64_t seed = gdl_test_seed();
  const unsigned n = 16;
  size_t N = (size_t)1 << n, nt = 0;
  char texts[16][256];
  const char *names[16];
  claim_targets(n, texts, names, &nt);
  double *X = malloc(N * n * sizeof *X), *f = malloc(N * sizeof *f), *h = malloc(N * sizeof *h);
  cr_assert(X && f && h);
  ng_cube_enumerate(n, X);
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
  for (size_t t = 0; t < nt; t++) {
    if (!strcmp(names[t], "parity_n")) continue; /* orbit of size 1 up to sign: nothing to sample */
    poly_values(texts[t], n, X, f);
    double formula, mean, se;
    gdl_test_check_rc(gdl_align_bn_expect(f, h, n, &formula), "gdl_align_bn_expect");
    gdl_test_check_rc(gdl_rng_alloc(seed, "AL1b/mc", t, &r), "rng");
    gdl_test_check_rc(gdl_align_bn_mc(f, h, n, 10000, r, &mean, &se), "gdl_align_bn_mc");
    gdl_rng_free(r);
    double z = fabs(mean - formula) / se;
    char chk[96], params[400];
    snprintf(params, sizeof params, "n=%u f=%s h=random tanh net: formula=%.6g MC=%.6g se=%.3g (10^4 g in B_n)", n,
             texts[t], formula, mean, se);
    snprintf(chk, sizeof chk, "AL1b_MC_within_4SE_%s", names[t]);
    gdl_test_claim("AL", chk, z, "<=", 4.0, z <= 4.0 && se > 0, seed, params);
  }
  free(X); free(f); free(h);
}

Test(alignment, AL1c_sandwich_and_parities, .timeout = 120) {
  uint64_t seed = gdl_test_seed();
  /* parities: lambda = 1/C(n,k), CP = 1/C(n,k), ||f - fbar|| = 1: both ends of the sandwich
   * are attained (lambda^2 < CP = lambda ||f-fbar||^2), so an error in either side shows. */
  const unsigned ns[3] = {16, 20, 24};
  for (int a = 0; a < 3; a++) {
    unsigned n = ns[a];
    for (unsigned k = 1; k <= n; k += (k == 1 ? n / 2 - 1 : n / 2)) {
      double W[64] = {0};
      W[k] = 1.0;
      gdl_align al;
      gdl_test_check_rc(gdl_align_bn_levels(W, n, &al), "levels");
      double want = 1.0 / gsl_sf_choose(n, k);
      char chk[96], params[128];
      snprintf(params, sizeof params, "n=%u parity of degree %u: lambda=%.6g, 1/C(n,k)=%.6g", n, k, al.lambda, want);
      snprintf(chk, sizeof chk, "AL1c_parity_lambda_n%u_k%u", n, k);
      double e = relerr(al.lambda, want);
      gdl_test_claim("AL", chk, e, "<=", 1e-12, e <= 1e-12, seed, params);
    }
  }
  /* random sparse polynomials on n = 16 and the claim targets */
  const unsigned n = 16;
  size_t nt = 0;
  char texts[16][256];
  const char *names[16];
  claim_targets(n, texts, names, &nt);
  gsl_rng *r = NULL;
  gdl_test_check_rc(gdl_rng_alloc(seed, "AL1c/poly", 0, &r), "rng");
  int viol = 0;
  double worst_lo = INFINITY, worst_hi = INFINITY;
  for (int t = 0; t < 200 + (int)nt; t++) {
    gdl_poly *p = NULL;
    if (t < (int)nt) {
      gdl_test_check_rc(gdl_poly_parse(texts[t], &p), "parse");
    } else {
      size_t nterm = 1 + gsl_rng_uniform_int(r, 6);
      double coef[8];
      size_t sizes[8], store[8][16];
      const size_t *sets[8];
      uint64_t used[8];
      size_t m = 0;
      while (m < nterm) {
        uint64_t S = 1 + gsl_rng_uniform_int(r, ((uint64_t)1 << n) - 1);
        int dup = 0;
        for (size_t q = 0; q < m; q++) dup |= used[q] == S;
        if (dup) continue;
        used[m] = S;
        sizes[m] = 0;
        for (unsigned i = 0; i < n; i++)
          if (S >> i & 1) store[m][sizes[m]++] = i;
        sets[m] = store[m];
        gdl_rng_gaussian(r, 1.0, 1, &coef[m]);
        m++;
      }
      gdl_test_check_rc(gdl_poly_from_sets(nterm, coef, sets, sizes, &p), "from_sets");
    }
    gdl_align al;
    gdl_test_check_rc(gdl_align_bn_poly(p, n, &al), "align poly");
    gdl_poly_free(p);
    double lo = al.cp - al.lambda * al.lambda, hi = al.lambda * al.dist2 - al.cp;
    double sc = al.lambda * al.dist2;
    if (lo < -1e-12 * sc || hi < -1e-12 * sc) viol++;
    worst_lo = fmin(worst_lo, lo / sc);
    worst_hi = fmin(worst_hi, hi / sc);
  }
  gdl_rng_free(r);
  char params[200];
  snprintf(params, sizeof params,
           "n=16, 200 random sparse polynomials + %zu claim targets: min (CP-lambda^2)/(lambda||f-fbar||^2)=%.3g, "
           "min (lambda||f-fbar||^2-CP)/(same)=%.3g",
           nt, worst_lo, worst_hi);
  gdl_test_claim("AL", "AL1c_sandwich_violations", viol, "==", 0, viol == 0, seed, params);
}
