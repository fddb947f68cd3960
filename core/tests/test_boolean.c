/* core.boolean: Walsh-Fourier transform, level weights, leap / MSP / reachability (MS1).
 * - FWHT applied twice = 2^n * identity; column-interleaved FWHT = per-column FWHT;
 *   Fourier coefficients equal the O(4^n) definition; Parseval.
 * - Leap/MSP on every example of CLAIMS.md MS, and the exact (greedy) leap equals the
 *   brute force over all orderings on random supports (<= 7 monomials); the returned
 *   order attains the leap. Control: a plain "input order" leap (no search) disagrees with
 *   the brute force on some random supports, so the comparison can fail. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "gdl/alignment.h"
#include "gdl/boolean.h"
#include "gdl/target.h"
#include "gdl/error.h"
#include "gdl/report.h"
#include "gdl/rng.h"
#include "gdl_test.h"

Test(boolean, fwht_involution) {
  gsl_rng *r = gdl_test_rng("test_boolean.fwht", 0);
  const unsigned ns[] = {0, 1, 2, 5, 12, 16};
  for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
    unsigned n = ns[t];
    size_t N = (size_t)1 << n;
    double *v = malloc(N * 8), *w = malloc(N * 8);
    gdl_rng_gaussian(r, 1.0, N, v);
    memcpy(w, v, N * 8);
    cr_assert(gdl_fwht(w, n) == GDL_OK);
    cr_assert(gdl_fwht(w, n) == GDL_OK);
    double err = 0, scale = 0;
    for (size_t i = 0; i < N; i++) {
      err = fmax(err, fabs(w[i] - (double)N * v[i]));
      scale = fmax(scale, fabs((double)N * v[i]));
    }
    cr_assert(err <= 1e-12 * scale * (n + 1), "n = %u: |H H v - 2^n v| = %g (scale %g)", n, err, scale);
    free(v);
    free(w);
  }
  gdl_rng_free(r);
}

Test(boolean, fwht_cols_and_definition) {
  gsl_rng *r = gdl_test_rng("test_boolean.cols", 0);
  unsigned n = 6;
  size_t N = 64, C = 5;
  double *V = malloc(N * C * 8), *col = malloc(N * 8), *fh = malloc(N * 8);
  gdl_rng_gaussian(r, 1.0, N * C, V);
  double *V0 = malloc(N * C * 8);
  memcpy(V0, V, N * C * 8);
  cr_assert(gdl_fwht_cols(V, n, C) == GDL_OK);
  for (size_t c = 0; c < C; c++) {
    for (size_t i = 0; i < N; i++) col[i] = V0[i * C + c];
    cr_assert(gdl_fourier(col, n, fh) == GDL_OK);
    for (size_t S = 0; S < N; S++) {
      /* definition: fhat(S) = 2^-n sum_i f(x_i) chi_S(x_i), chi_S(x_i) = (-1)^{|i & S|} */
      double s = 0;
      for (size_t i = 0; i < N; i++) s += col[i] * ((__builtin_popcountll(i & S) & 1) ? -1.0 : 1.0);
      s /= (double)N;
      cr_assert(fabs(fh[S] - s) < 1e-13, "fhat(%zu) = %g, definition %g", S, fh[S], s);
      cr_assert(fabs(V[S * C + c] - N * s) < 1e-12, "cols transform mismatch at S=%zu c=%zu", S, c);
    }
    /* Parseval: sum_j W_j = E f^2 */
    double W[7], ef2 = 0, sw = 0;
    cr_assert(gdl_level_weights(fh, n, W) == GDL_OK);
    for (size_t i = 0; i < N; i++) ef2 += col[i] * col[i] / (double)N;
    for (int j = 0; j <= 6; j++) sw += W[j];
    cr_assert(fabs(sw - ef2) < 1e-12 * ef2, "Parseval: sum W = %.15g, E f^2 = %.15g", sw, ef2);
  }
  /* a parity chi_S with |S| = 3 has all its weight at level 3, coefficient 1 at S */
  size_t S0 = 0x0B;
  for (size_t i = 0; i < N; i++) col[i] = (__builtin_popcountll(i & S0) & 1) ? -1.0 : 1.0;
  cr_assert(gdl_fourier(col, n, fh) == GDL_OK);
  for (size_t S = 0; S < N; S++) cr_assert(fabs(fh[S] - (S == S0)) < 1e-15);
  cr_assert(gdl_fwht(col, 27) == GDL_ERANGE);  /* rejected before any access */
  free(V); free(V0); free(col); free(fh);
  gdl_rng_free(r);
}

/* ---- polynomials built by hand (1-based variable lists, 0-terminated) ---- */
static gdl_poly *mkpoly(size_t nterms, ...) {
  gdl_poly *p = calloc(1, sizeof *p);
  p->nterms = nterms;
  p->terms = calloc(nterms ? nterms : 1, sizeof *p->terms);
  va_list ap;
  va_start(ap, nterms);
  for (size_t t = 0; t < nterms; t++) {
    const int *vs = va_arg(ap, const int *);
    size_t d = 0;
    while (vs[d]) d++;
    p->terms[t].coef = 1.0;
    p->terms[t].deg = d;
    p->terms[t].vars = malloc((d ? d : 1) * sizeof(size_t));
    for (size_t k = 0; k < d; k++) p->terms[t].vars[k] = (size_t)(vs[k] - 1);
  }
  va_end(ap);
  return p;
}

static void freepoly(gdl_poly *p) {
  for (size_t t = 0; t < p->nterms; t++) free(p->terms[t].vars);
  free(p->terms);
  free(p);
}

/* max new-variable count along the given order */
static size_t leap_of_order(const gdl_poly *p, const size_t *order) {
  unsigned char cov[64] = {0};
  size_t mx = 0;
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[order[i]];
    if (t->deg == 0 || t->coef == 0) continue;
    size_t c = 0;
    for (size_t k = 0; k < t->deg; k++) c += !cov[t->vars[k]];
    for (size_t k = 0; k < t->deg; k++) cov[t->vars[k]] = 1;
    if (c > mx) mx = c;
  }
  return mx;
}

static void check_example(const char *name, gdl_poly *p, size_t want_leap, int want_msp) {
  size_t L = 99, Lb = 99, order[16];
  int msp = -1;
  cr_assert(gdl_poly_leap(p, &L, order) == GDL_OK, "%s: %s", name, gdl_strerror_last());
  cr_assert(gdl_poly_leap_bruteforce(p, &Lb) == GDL_OK, "%s: %s", name, gdl_strerror_last());
  cr_assert(gdl_poly_has_msp(p, &msp) == GDL_OK);
  int pass = L == want_leap && Lb == want_leap && msp == want_msp && leap_of_order(p, order) == L;
  char check[96];
  snprintf(check, sizeof check, "leap_%s", name);
  gdl_claim_record("MS1", check, (double)L, "==", (double)want_leap, pass, gdl_test_seed(), "exact leap calculator");
  cr_assert(L == want_leap, "%s: leap = %zu, expected %zu", name, L, want_leap);
  cr_assert(Lb == want_leap, "%s: brute-force leap = %zu, expected %zu", name, Lb, want_leap);
  cr_assert(msp == want_msp, "%s: msp = %d, expected %d", name, msp, want_msp);
  cr_assert(leap_of_order(p, order) == L, "%s: returned order has leap %zu != %zu", name, leap_of_order(p, order), L);
  freepoly(p);
}

static const int X1[] = {1, 0}, X2[] = {2, 0}, X12[] = {1, 2, 0}, X123[] = {1, 2, 3, 0},
                 X1234[] = {1, 2, 3, 4, 0}, X56[] = {5, 6, 0};

Test(boolean, leap_claims_examples) {
  /* MSP */
  check_example("x1", mkpoly(1, X1), 1, 1);
  check_example("x1+x1x2", mkpoly(2, X1, X12), 1, 1);
  check_example("staircase4", mkpoly(4, X1234, X123, X12, X1), 1, 1); /* given in reverse order */
  check_example("x1+x2+x1x2x3", mkpoly(3, X123, X2, X1), 1, 1);
  /* not MSP */
  check_example("x1x2", mkpoly(1, X12), 2, 0);
  check_example("x1+x1x2x3", mkpoly(2, X1, X123), 2, 0);
  check_example("x1x2x3", mkpoly(1, X123), 3, 0);
  check_example("x1+x1x2x3x4", mkpoly(2, X1, X1234), 3, 0);
  check_example("x1x2x3x4", mkpoly(1, X1234), 4, 0);
}

Test(boolean, reachable) {
  gdl_poly *p = mkpoly(5, X56, X1234, X123, X12, X1);
  int reach[8];
  cr_assert(gdl_poly_reachable(p, 8, reach) == GDL_OK);
  for (int j = 0; j < 8; j++)
    cr_assert(reach[j] == (j < 4), "staircase + x5x6: reach[%d] = %d", j, reach[j]);
  cr_assert(gdl_poly_reachable(p, 5, reach) == GDL_EINVAL, "nvars below the polynomial's variables");
  freepoly(p);
  p = mkpoly(3, X123, X2, X1);
  cr_assert(gdl_poly_reachable(p, 3, reach) == GDL_OK);
  cr_assert(reach[0] && reach[1] && reach[2]);
  freepoly(p);
}

/* Random supports: exact leap vs brute force over orderings. */
Test(boolean, leap_random_vs_bruteforce) {
  gsl_rng *r = gdl_test_rng("test_boolean.leap", 0);
  size_t ntrials = 3000, naive_disagree = 0, maxleap = 0;
  for (size_t t = 0; t < ntrials; t++) {
    size_t T = 1 + gsl_rng_uniform_int(r, 7), d = 4 + gsl_rng_uniform_int(r, 5);
    gdl_poly *p = calloc(1, sizeof *p);
    p->nterms = T;
    p->terms = calloc(T, sizeof *p->terms);
    for (size_t i = 0; i < T; i++) {
      size_t deg = 1 + gsl_rng_uniform_int(r, 4);
      size_t perm[8];
      gdl_rng_permutation(r, d, perm);
      /* sorted vars */
      p->terms[i].vars = malloc(deg * sizeof(size_t));
      p->terms[i].deg = deg;
      p->terms[i].coef = 1.0;
      unsigned mask = 0;
      for (size_t k = 0; k < deg; k++) mask |= 1u << perm[k];
      size_t k = 0;
      for (size_t v = 0; v < d; v++)
        if (mask >> v & 1) p->terms[i].vars[k++] = v;
    }
    size_t L, Lb, order[8], ident[8];
    cr_assert(gdl_poly_leap(p, &L, order) == GDL_OK);
    cr_assert(gdl_poly_leap_bruteforce(p, &Lb) == GDL_OK);
    cr_assert(L == Lb, "trial %zu: leap %zu != brute force %zu", t, L, Lb);
    cr_assert(leap_of_order(p, order) == L, "trial %zu: order attains %zu != %zu", t, leap_of_order(p, order), L);
    for (size_t i = 0; i < T; i++) ident[i] = i;
    naive_disagree += leap_of_order(p, ident) != Lb;
    if (L > maxleap) maxleap = L;
    for (size_t i = 0; i < T; i++) free(p->terms[i].vars);
    free(p->terms);
    free(p);
  }
  /* control: a calculator that does not search orderings would fail this comparison */
  cr_assert(naive_disagree > 0, "control: naive input-order leap agreed on all %zu trials", ntrials);
  cr_assert(maxleap >= 3, "random supports should include leaps >= 3 (max seen %zu)", maxleap);
  gdl_rng_free(r);
}

Test(boolean, leap_ignores_constant_and_zero_terms) {
  static const int C0[] = {0};
  gdl_poly *p = mkpoly(3, C0, X1, X123);
  p->terms[2].coef = 0.0; /* x1x2x3 with coefficient 0 is not in the support */
  size_t L, order[3];
  cr_assert(gdl_poly_leap(p, &L, order) == GDL_OK);
  cr_assert(L == 1, "leap = %zu", L);
  cr_assert(gdl_poly_leap_bruteforce(p, &L) == GDL_OK);
  cr_assert(L == 1);
  freepoly(p);
  cr_assert(gdl_poly_leap(NULL, &L, NULL) == GDL_EINVAL);
}

/* ---- issue 14 item 5: n log n building, leap, reachability and alignment ---- */

/* The old O(T^2 deg) greedy, kept here as the reference for the heap version: same leap,
 * same order (ties on the smaller index), same reachable set (closure to a fixed point). */
static size_t ref_leap(const gdl_poly *p, size_t nv, size_t *order, int *reach) {
  size_t T = p->nterms, best_leap = 0, pos = 0;
  unsigned char *cov = calloc(nv + 1, 1), *used = calloc(T + 1, 1);
  for (;;) {
    size_t best = (size_t)-1, bi = 0;
    for (size_t i = 0; i < T; i++) {
      const gdl_monomial *t = &p->terms[i];
      if (used[i] || t->deg == 0 || t->coef == 0) continue;
      size_t c = 0;
      for (size_t k = 0; k < t->deg; k++) c += !cov[t->vars[k]];
      if (c < best) { best = c; bi = i; }
    }
    if (best == (size_t)-1) break;
    used[bi] = 1;
    order[pos++] = bi;
    if (best > best_leap) best_leap = best;
    for (size_t k = 0; k < p->terms[bi].deg; k++) cov[p->terms[bi].vars[k]] = 1;
  }
  for (size_t i = 0; i < T; i++)
    if (!used[i]) order[pos++] = i;
  /* reachable: closure */
  memset(cov, 0, nv + 1);
  memset(used, 0, T + 1);
  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t i = 0; i < T; i++) {
      const gdl_monomial *t = &p->terms[i];
      if (used[i] || t->deg == 0 || t->coef == 0) continue;
      size_t c = 0;
      for (size_t k = 0; k < t->deg; k++) c += !cov[t->vars[k]];
      if (c <= 1) {
        used[i] = 1;
        changed = 1;
        for (size_t k = 0; k < t->deg; k++) cov[t->vars[k]] = 1;
      }
    }
  }
  for (size_t j = 0; j < nv; j++) reach[j] = cov[j];
  free(cov);
  free(used);
  return best_leap;
}

Test(boolean, heap_leap_matches_quadratic_reference) {
  gsl_rng *r = gdl_test_rng("test_boolean.leap_ref", 0);
  char text[8192];
  for (size_t trial = 0; trial < 200; trial++) {
    size_t T = 1 + gsl_rng_uniform_int(r, 60), nv = 2 + gsl_rng_uniform_int(r, 30);
    size_t off = 0;
    for (size_t i = 0; i < T; i++) {
      off += (size_t)snprintf(text + off, sizeof text - off, "%s%s", i ? " + " : "",
                              gsl_rng_uniform(r) < 0.1 ? "0*" : "");
      size_t deg = 1 + gsl_rng_uniform_int(r, 5);
      for (size_t k = 0; k < deg; k++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%sx%lu", k ? "*" : "",
                                1 + gsl_rng_uniform_int(r, nv));
    }
    gdl_poly *p = NULL;
    if (gdl_poly_parse(text, &p) != GDL_OK) continue; /* repeated variable or duplicate monomial */
    size_t n = gdl_poly_nvars(p);
    size_t *o1 = malloc(p->nterms * sizeof *o1), *o2 = malloc(p->nterms * sizeof *o2);
    int *r1 = malloc(n * sizeof *r1), *r2 = malloc(n * sizeof *r2);
    size_t L;
    cr_assert(gdl_poly_leap(p, &L, o1) == GDL_OK);
    cr_assert(gdl_poly_reachable(p, n, r1) == GDL_OK);
    size_t Lr = ref_leap(p, n, o2, r2);
    cr_assert(L == Lr, "%s: leap %zu != reference %zu", text, L, Lr);
    cr_assert(memcmp(o1, o2, p->nterms * sizeof *o1) == 0, "%s: order differs from the reference", text);
    cr_assert(memcmp(r1, r2, n * sizeof *r1) == 0, "%s: reachable set differs from the reference", text);
    free(o1), free(o2), free(r1), free(r2);
    gdl_poly_free(p);
  }
  gdl_rng_free(r);
}

static double cpu_s(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* 10^5 terms: parse + leap + reachable + align. The old code took 13 s + 16 s + 14 s; now
 * ~0.1 s in total (CPU time, so other load on the machine does not count). Bound 3 s: far
 * below the old cost, room for a sanitizer build. */
Test(boolean, hundred_thousand_terms_fast, .timeout = 120) {
  const size_t T = 100000;
  char *text = malloc(T * 24);
  size_t off = (size_t)sprintf(text, "x1");
  for (size_t i = 1; i < T; i++) off += (size_t)sprintf(text + off, " + x%zu*x%zu", i, i + 1); /* chain: leap 1 */
  double t0 = cpu_s();
  gdl_poly *p = NULL;
  cr_assert(gdl_poly_parse(text, &p) == GDL_OK, "%s", gdl_strerror_last());
  double t_parse = cpu_s() - t0;
  size_t L, *order = malloc(T * sizeof *order);
  int *reach = malloc(T * sizeof *reach);
  t0 = cpu_s();
  cr_assert(gdl_poly_leap(p, &L, order) == GDL_OK);
  cr_assert(gdl_poly_reachable(p, T, reach) == GDL_OK);
  double t_leap = cpu_s() - t0;
  gdl_align a;
  t0 = cpu_s();
  cr_assert(gdl_align_bn_poly(p, T, &a) == GDL_OK, "%s", gdl_strerror_last());
  double t_align = cpu_s() - t0;
  cr_assert(L == 1 && reach[T - 1] == 1);
  /* worst case for the leap: reversed chain, each step unlocks the next term only */
  char *rev = malloc(T * 24);
  off = 0;
  for (size_t i = T - 1; i >= 1; i--) off += (size_t)sprintf(rev + off, "x%zu*x%zu + ", i, i + 1);
  sprintf(rev + off, "x1");
  gdl_poly *q = NULL;
  t0 = cpu_s();
  cr_assert(gdl_poly_parse(rev, &q) == GDL_OK);
  cr_assert(gdl_poly_leap(q, &L, order) == GDL_OK && L == 1);
  double t_rev = cpu_s() - t0;
  /* a duplicate at the far end is still found (hash set and the sorted align check) */
  off = strlen(text);
  sprintf(text + off, " + x2*x1");
  gdl_poly *d = NULL;
  cr_assert(gdl_poly_parse(text, &d) == GDL_EPARSE && d == NULL);
  cr_assert(strstr(gdl_strerror_last(), "duplicate monomial") != NULL, "%s", gdl_strerror_last());
  printf("1e5 terms (CPU s): parse %.3f, leap+reachable %.3f, align %.3f, reversed parse+leap %.3f\n", t_parse,
         t_leap, t_align, t_rev);
  cr_assert(t_parse + t_leap + t_align < 3.0 && t_rev < 3.0, "too slow: %.2f s, %.2f s", t_parse + t_leap + t_align,
            t_rev);
  free(text), free(rev), free(order), free(reach);
  gdl_poly_free(p);
  gdl_poly_free(q);
}

/* Item 8: a coefficient that underflows is refused (it used to become 0: leap 0). */
Test(boolean, underflowing_coefficient_is_refused) {
  gdl_poly *p = NULL;
  cr_assert(gdl_poly_parse("1e-400*x1*x2*x3", &p) == GDL_EPARSE && p == NULL);
  cr_assert(strstr(gdl_strerror_last(), "out of range") != NULL, "%s", gdl_strerror_last());
  cr_assert(gdl_poly_parse("x1 + 1e999*x2", &p) == GDL_EPARSE && p == NULL);
  cr_assert(gdl_poly_parse("0e-400*x1 + 1e-300*x2", &p) == GDL_OK, "%s", gdl_strerror_last());
  gdl_poly_free(p);
  /* an alignment whose value overflows is an error, not inf */
  cr_assert(gdl_poly_parse("1e100*x1", &p) == GDL_OK);
  gdl_align a;
  cr_assert(gdl_align_bn_poly(p, 1, &a) == GDL_ERANGE, "%s", gdl_strerror_last());
  gdl_poly_free(p);
}
