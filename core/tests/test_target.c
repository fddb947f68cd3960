/* core.target: sparse-polynomial parser (round trips, errors with positions), target
 * functions (parity, staircase, modmul, waves, periodic neuron, CLI specs), the basic
 * metrics of gdl/measure.h, and argument checking. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

static int poly_equal(const gdl_poly *a, const gdl_poly *b) {
  if (a->nterms != b->nterms) return 0;
  for (size_t i = 0; i < a->nterms; i++) {
    const gdl_monomial *x = &a->terms[i], *y = &b->terms[i];
    if (x->coef != y->coef || x->deg != y->deg) return 0;
    for (size_t q = 0; q < x->deg; q++)
      if (x->vars[q] != y->vars[q]) return 0;
  }
  return 1;
}

/* ---- parser ---- */

Test(poly, parse_basic) {
  gdl_poly *p = NULL;
  cr_assert(gdl_poly_parse("x1 + x1*x2 - 0.5*x3*x7", &p) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(p->nterms == 3);
  cr_assert(p->terms[0].coef == 1.0 && p->terms[0].deg == 1 && p->terms[0].vars[0] == 0);
  cr_assert(p->terms[1].coef == 1.0 && p->terms[1].deg == 2 && p->terms[1].vars[1] == 1);
  cr_assert(p->terms[2].coef == -0.5 && p->terms[2].deg == 2);
  cr_assert(p->terms[2].vars[0] == 2 && p->terms[2].vars[1] == 6);
  cr_assert(gdl_poly_nvars(p) == 7);
  gdl_poly_free(p);
  /* variables are sorted; spaces, a leading sign, "2x1" and constants are accepted */
  cr_assert(gdl_poly_parse("  -2 x5 * x3 +1.5e-1+ 3*x2 ", &p) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(p->nterms == 3);
  cr_assert(p->terms[0].coef == -2.0 && p->terms[0].vars[0] == 2 && p->terms[0].vars[1] == 4);
  cr_assert(p->terms[1].coef == 0.15 && p->terms[1].deg == 0);
  cr_assert(p->terms[2].coef == 3.0 && p->terms[2].vars[0] == 1);
  gdl_poly_free(p);
}

Test(poly, format_round_trip_fixed) {
  static const char *texts[] = {
      "x1", "x1 + x1*x2 - 0.5*x3*x7", "-x1*x2*x3", "0.1*x1 + 1e-300*x2 - 12345.678*x3",
      "1", "-3.25", "x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4", "2*x10 - x2 + 7", "0*x4",
      "1e+22*x1 - 4.9406564584124654e-324*x2", "x16777216"};
  for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
    gdl_poly *p = NULL, *q = NULL;
    char buf[512], buf2[512];
    cr_assert(gdl_poly_parse(texts[t], &p) == GDL_OK, "'%s': %s", texts[t], gdl_strerror_last());
    cr_assert(gdl_poly_format(p, buf, sizeof buf) == GDL_OK, "%s", gdl_strerror_last());
    cr_assert(gdl_poly_parse(buf, &q) == GDL_OK, "reparse '%s': %s", buf, gdl_strerror_last());
    cr_assert(poly_equal(p, q), "'%s' -> '%s' does not round-trip", texts[t], buf);
    cr_assert(gdl_poly_format(q, buf2, sizeof buf2) == GDL_OK);
    cr_assert_str_eq(buf, buf2);
    gdl_poly_free(p);
    gdl_poly_free(q);
  }
  gdl_poly *p = NULL;
  char buf[128];
  cr_assert(gdl_poly_parse("x1 +x1*x2 -0.5*x3*x7", &p) == GDL_OK);
  cr_assert(gdl_poly_format(p, buf, sizeof buf) == GDL_OK);
  cr_assert_str_eq(buf, "x1 + x1*x2 - 0.5*x3*x7");
  gdl_poly_free(p);
}

Test(poly, format_round_trip_random) {
  gsl_rng *r = gdl_test_rng("test_target.roundtrip", 0);
  for (int trial = 0; trial < 300; trial++) {
    size_t nterms = 1 + gsl_rng_uniform_int(r, 8);
    double coefs[8];
    size_t storage[8][6], sizes[8];
    const size_t *sets[8];
    size_t made = 0;
    while (made < nterms) {
      size_t deg = gsl_rng_uniform_int(r, 6);
      size_t perm[40];
      gdl_rng_permutation(r, 40, perm);
      for (size_t q = 0; q < deg; q++) storage[made][q] = perm[q];
      /* skip duplicates of earlier monomials (compare as sets) */
      int dup = 0;
      for (size_t e = 0; e < made && !dup; e++) {
        if (sizes[e] != deg) continue;
        size_t hit = 0;
        for (size_t a = 0; a < deg; a++)
          for (size_t b = 0; b < deg; b++) hit += storage[made][a] == storage[e][b];
        dup = hit == deg;
      }
      if (dup) continue;
      sizes[made] = deg;
      sets[made] = storage[made];
      double c = gsl_ran_gaussian(r, 1.0) * pow(10.0, (double)gsl_rng_uniform_int(r, 9) - 4.0);
      coefs[made] = (gsl_rng_uniform_int(r, 4) == 0) ? (gsl_rng_uniform_int(r, 2) ? 1.0 : -1.0) : c;
      made++;
    }
    gdl_poly *p = NULL, *q = NULL;
    cr_assert(gdl_poly_from_sets(nterms, coefs, sets, sizes, &p) == GDL_OK, "%s", gdl_strerror_last());
    char buf[2048];
    cr_assert(gdl_poly_format(p, buf, sizeof buf) == GDL_OK, "%s", gdl_strerror_last());
    cr_assert(gdl_poly_parse(buf, &q) == GDL_OK, "'%s': %s", buf, gdl_strerror_last());
    cr_assert(poly_equal(p, q), "trial %d: '%s' does not round-trip", trial, buf);
    gdl_poly_free(p);
    gdl_poly_free(q);
  }
  gdl_rng_free(r);
}

typedef struct {
  const char *text;
  int pos;  /* 1-based character position the message must name */
} bad_text;

Test(poly, parse_errors_name_positions) {
  static const bad_text cases[] = {
      {"", 1},              /* empty */
      {"   ", 4},           /* only blanks */
      {"x0", 1},            /* variables start at x1 */
      {"x1 +", 5},          /* missing term at the end */
      {"x1 + + x2", 6},     /* two signs */
      {"x1*x1", 4},         /* repeated variable */
      {"x2*x3 + x3*x2", 9}, /* duplicate monomial */
      {"1 + x1 - 2", 10},   /* duplicate constant */
      {"2*", 3},            /* '*' without a variable */
      {"x1 x2", 4},         /* missing operator */
      {"1e", 3},            /* malformed exponent */
      {"x1 + 3y", 7},       /* junk after a term */
      {"xa", 2},            /* variable without an index */
      {"x1 & x2", 4},       /* unknown character */
      {"x1*", 4},           /* dangling '*' */
      {"x1*2", 4},          /* number after '*' */
      {"inf*x1", 1},        /* not a number */
      {"nan", 1},
      {"1e999*x1", 1},      /* overflow */
      {"x99999999999", 1},  /* absurd index */
      {"x1 + x2)", 8},
  };
  for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
    gdl_poly *p = (gdl_poly *)0x1;
    gdl_clear_error();
    int rc = gdl_poly_parse(cases[t].text, &p);
    cr_assert(rc == GDL_EPARSE, "'%s' returned %s, expected GDL_EPARSE", cases[t].text, gdl_status_name(rc));
    cr_assert(p == NULL, "'%s': out not cleared", cases[t].text);
    char want[64];
    snprintf(want, sizeof want, "position %d:", cases[t].pos);
    cr_assert(strstr(gdl_strerror_last(), want) != NULL, "'%s': message '%s' does not name %s", cases[t].text,
              gdl_strerror_last(), want);
  }
}

Test(poly, constructors_and_eval) {
  /* parity x2*x4 on the cube equals (-1)^popcount(i & S) */
  const size_t n = 6;
  gdl_domain d;
  cr_assert(gdl_domain_cube(n, &d) == GDL_OK);
  double X[64 * 6], y[64];
  cr_assert(gdl_domain_enumerate(&d, X, NULL, NULL) == GDL_OK);
  const size_t vars[2] = {3, 1};
  gdl_poly *p = NULL;
  cr_assert(gdl_poly_parity(2, vars, &p) == GDL_OK);
  cr_assert(p->nterms == 1 && p->terms[0].vars[0] == 1 && p->terms[0].vars[1] == 3);
  cr_assert(gdl_poly_eval(p, 64, X, n, y) == GDL_OK);
  for (size_t i = 0; i < 64; i++) {
    double e = (__builtin_popcountll(i & 0xAu) & 1) ? -1.0 : 1.0;
    cr_assert(y[i] == e, "row %zu: %g vs %g", i, y[i], e);
  }
  gdl_poly_free(p);
  /* staircase of degree 3 = x1 + x1x2 + x1x2x3 */
  cr_assert(gdl_poly_staircase(3, &p) == GDL_OK);
  char buf[128];
  cr_assert(gdl_poly_format(p, buf, sizeof buf) == GDL_OK);
  cr_assert_str_eq(buf, "x1 + x1*x2 + x1*x2*x3");
  cr_assert(gdl_poly_eval(p, 64, X, n, y) == GDL_OK);
  for (size_t i = 0; i < 64; i++) {
    const double *x = X + i * n;
    double e = x[0] + x[0] * x[1] + x[0] * x[1] * x[2];
    cr_assert(y[i] == e);
  }
  gdl_poly_free(p);
  /* the empty parity is the constant 1 */
  cr_assert(gdl_poly_parity(0, NULL, &p) == GDL_OK);
  cr_assert(gdl_poly_nvars(p) == 0);
  cr_assert(gdl_poly_eval(p, 64, X, n, y) == GDL_OK);
  for (size_t i = 0; i < 64; i++) cr_assert(y[i] == 1.0);
  gdl_poly_free(p);
  /* general polynomial on real inputs */
  cr_assert(gdl_poly_parse("1.5 - 2*x1*x3 + x2", &p) == GDL_OK);
  double Z[2 * 3] = {1, 2, 3, -0.5, 0.25, 4};
  cr_assert(gdl_poly_eval(p, 2, Z, 3, y) == GDL_OK);
  cr_assert(y[0] == 1.5 - 2 * 3 + 2);
  cr_assert(y[1] == 1.5 - 2 * (-0.5) * 4 + 0.25);
  gdl_poly_free(p);
}

Test(poly, bad_arguments) {
  gdl_poly *p = NULL;
  char buf[8];
  GDL_EXPECT_FAIL(gdl_poly_parse(NULL, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_parse("x1", NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_format(NULL, buf, sizeof buf), GDL_EINVAL);
  cr_assert(gdl_poly_parse("x1 + x1*x2*x3*x4", &p) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_poly_format(p, NULL, 8), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_format(p, buf, 0), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_format(p, buf, sizeof buf), GDL_ERANGE); /* too small */
  cr_assert(buf[0] == '\0');
  double X[4] = {1, 1, 1, 1}, y[1];
  GDL_EXPECT_FAIL(gdl_poly_eval(p, 1, X, 3, y), GDL_EINVAL); /* width 3 < x4 */
  GDL_EXPECT_FAIL(gdl_poly_eval(p, 0, X, 4, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_eval(NULL, 1, X, 4, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_eval(p, 1, NULL, 4, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_eval(p, 1, X, 4, NULL), GDL_EINVAL);
  X[3] = NAN;
  GDL_EXPECT_FAIL(gdl_poly_eval(p, 1, X, 4, y), GDL_EINVAL);
  gdl_poly_free(p);
  gdl_poly_free(NULL);

  const double c2[2] = {1, 2};
  const size_t s0[2] = {0, 0}, s1[1] = {0}, sz[2] = {2, 1}, sz1[2] = {1, 1};
  const size_t *sets[2] = {s0, s1};
  GDL_EXPECT_FAIL(gdl_poly_from_sets(2, c2, sets, sz, &p), GDL_EINVAL);      /* repeated variable */
  const size_t *sets2[2] = {s1, s1};
  GDL_EXPECT_FAIL(gdl_poly_from_sets(2, c2, sets2, sz1, &p), GDL_EINVAL);    /* duplicate monomial */
  GDL_EXPECT_FAIL(gdl_poly_from_sets(0, c2, sets2, sz1, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_from_sets(1, NULL, sets2, sz1, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_from_sets(1, c2, NULL, sz1, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_from_sets(1, c2, sets2, NULL, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_from_sets(1, c2, sets2, sz1, NULL), GDL_EINVAL);
  const double cn[1] = {NAN};
  GDL_EXPECT_FAIL(gdl_poly_from_sets(1, cn, sets2, sz1, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_from_sets(SIZE_MAX, c2, sets2, sz1, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_parity(2, NULL, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_parity(2, s0, &p), GDL_EINVAL);                   /* {0, 0} */
  GDL_EXPECT_FAIL(gdl_poly_parity(1, s1, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_staircase(0, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_staircase(SIZE_MAX, &p), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_poly_staircase(3, NULL), GDL_EINVAL);
  cr_assert(gdl_poly_nvars(NULL) == 0);
}

/* ---- profiles ---- */

Test(profiles, phi_and_psi) {
  cr_assert(gdl_phi_eval(GDL_PHI_LINEAR, 3, 12) == 0.25);
  cr_assert(gdl_phi_eval(GDL_PHI_PARITY, 7, 12) == 1.0);
  cr_assert(gdl_phi_eval(GDL_PHI_PARITY, 6, 12) == 0.0);
  cr_assert(fabs(gdl_phi_eval(GDL_PHI_COS, 3, 12)) < 1e-15);
  cr_assert(gdl_phi_eval(GDL_PHI_COS, 0, 12) == 1.0);
  cr_assert(isnan(gdl_phi_eval(GDL_PHI_COS, 0, 0)));
  cr_assert(isnan(gdl_phi_eval((gdl_phi)9, 0, 5)));
  const gdl_psi all[4] = {GDL_PSI_SIN, GDL_PSI_COS, GDL_PSI_TRIANGLE, GDL_PSI_SAWTOOTH};
  for (int k = 0; k < 4; k++)
    for (double t = -2.0; t <= 2.0; t += 0.0625) {
      double a = gdl_psi_eval(all[k], t), b = gdl_psi_eval(all[k], t + 3.0);
      cr_assert(fabs(a) <= 1.0 + 1e-15, "psi %d(%g) = %g out of [-1, 1]", k, t, a);
      if (fabs(t - nearbyint(t) - 0.5) > 1e-9 && fabs(t - nearbyint(t) + 0.5) > 1e-9)
        cr_assert(fabs(a - b) <= 1e-12, "psi %d not 1-periodic at %g: %g vs %g", k, t, a, b);
    }
  cr_assert(fabs(gdl_psi_eval(GDL_PSI_SIN, 0.25) - 1.0) < 1e-15);
  cr_assert(fabs(gdl_psi_eval(GDL_PSI_COS, 0.5) + 1.0) < 1e-15);
  cr_assert(gdl_psi_eval(GDL_PSI_TRIANGLE, 0.0) == 1.0);
  cr_assert(gdl_psi_eval(GDL_PSI_TRIANGLE, 0.5) == -1.0);
  cr_assert(gdl_psi_eval(GDL_PSI_TRIANGLE, 0.25) == 0.0);
  cr_assert(gdl_psi_eval(GDL_PSI_TRIANGLE, -0.125) == 0.5);
  cr_assert(gdl_psi_eval(GDL_PSI_SAWTOOTH, 0.25) == 0.5);
  cr_assert(gdl_psi_eval(GDL_PSI_SAWTOOTH, -0.25) == -0.5);
  cr_assert(gdl_psi_eval(GDL_PSI_SAWTOOTH, 1.25) == 0.5);
  cr_assert(isnan(gdl_psi_eval(GDL_PSI_SIN, NAN)));
  cr_assert(isnan(gdl_psi_eval((gdl_psi)9, 0.1)));
}

/* ---- targets ---- */

Test(target, modmul_ints_and_decoded_agree) {
  const uint64_t p = 101, a = 37;
  for (int bits = 0; bits <= 1; bits++)
    for (int ph = 0; ph < 3; ph++) {
      gdl_domain d;
      cr_assert(gdl_domain_zp(p, bits, &d) == GDL_OK);
      const size_t dim = gdl_domain_dim(&d);
      double *X = malloc(p * dim * sizeof *X), y1[101], y2[101];
      uint64_t ints[101];
      cr_assert(X != NULL);
      cr_assert(gdl_domain_enumerate(&d, X, NULL, ints) == GDL_OK);
      gdl_target *t = NULL;
      cr_assert(gdl_target_modmul(a, p, (gdl_phi)ph, &t) == GDL_OK);
      cr_assert(gdl_target_eval(t, &d, p, X, ints, y1) == GDL_OK, "%s", gdl_strerror_last());
      cr_assert(gdl_target_eval(t, &d, p, X, NULL, y2) == GDL_OK, "%s", gdl_strerror_last());
      cr_assert(gdl_target_eval(t, NULL, p, NULL, ints, y2 + 0) == GDL_OK, "%s", gdl_strerror_last());
      cr_assert(gdl_target_eval(t, &d, p, X, NULL, y2) == GDL_OK);
      for (uint64_t x = 0; x < p; x++) {
        double e = gdl_phi_eval((gdl_phi)ph, (a * x) % p, p);
        cr_assert(y1[x] == e && y2[x] == e, "x=%llu: %g %g vs %g", (unsigned long long)x, y1[x], y2[x], e);
      }
      gdl_target_free(t);
      free(X);
    }
}

Test(target, modmul_large_p_uses_exact_product) {
  const uint64_t p = ((uint64_t)1 << 40) - 87, a = p - 2;
  gdl_target *t = NULL;
  cr_assert(gdl_target_modmul(a, p, GDL_PHI_LINEAR, &t) == GDL_OK);
  uint64_t x[2] = {p - 1, 2};
  double y[2];
  cr_assert(gdl_target_eval(t, NULL, 2, NULL, x, y) == GDL_OK);
  /* (p-2)(p-1) = 2 mod p; (p-2)*2 = p-4 mod p */
  cr_assert(y[0] == 2.0 / (double)p, "y0 = %.17g", y[0]);
  cr_assert(y[1] == (double)(p - 4) / (double)p, "y1 = %.17g", y[1]);
  gdl_target_free(t);
}

Test(target, wave_and_neuron) {
  const double a[3] = {2.0, -1.0, 0.5}, w[3] = {0.0, 1.0, 0.0};
  const double X[2 * 3] = {0.1, 0.2, 0.3, -1.0, 0.5, 2.0};
  gdl_domain d;
  cr_assert(gdl_domain_gaussian(3, &d) == GDL_OK);
  double y[2];
  for (int k = 0; k < 4; k++) {
    gdl_target *t = NULL;
    cr_assert(gdl_target_wave(3, a, (gdl_psi)k, &t) == GDL_OK);
    cr_assert(gdl_target_eval(t, &d, 2, X, NULL, y) == GDL_OK);
    for (int i = 0; i < 2; i++) {
      double s = a[0] * X[3 * i] + a[1] * X[3 * i + 1] + a[2] * X[3 * i + 2];
      cr_assert(y[i] == gdl_psi_eval((gdl_psi)k, s));
    }
    gdl_target_free(t);
  }
  gdl_target *t = NULL;
  cr_assert(gdl_target_neuron(3, w, 1.5, &t) == GDL_OK);
  cr_assert(gdl_target_eval(t, &d, 2, X, NULL, y) == GDL_OK);
  cr_assert(fabs(y[0] - cos(2 * M_PI * 1.5 * 0.2)) < 1e-15);
  cr_assert(fabs(y[1] - cos(2 * M_PI * 1.5 * 0.5)) < 1e-15);
  /* dimension mismatch */
  gdl_domain d2;
  cr_assert(gdl_domain_gaussian(4, &d2) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d2, 1, X, NULL, y), GDL_EINVAL);
  gdl_target_free(t);
}

Test(target, cli_specs) {
  gdl_domain cube;
  cr_assert(gdl_domain_cube(5, &cube) == GDL_OK);
  double X[32 * 5], y[32];
  cr_assert(gdl_domain_enumerate(&cube, X, NULL, NULL) == GDL_OK);
  gdl_target *t = NULL;
  /* poly */
  cr_assert(gdl_target_parse("poly:x1+x1*x2", 5, &t) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(t->kind == GDL_TARGET_POLY && t->poly->nterms == 2);
  gdl_target_free(t);
  /* parity:3 = x1 x2 x3 */
  cr_assert(gdl_target_parse("parity:3", 5, &t) == GDL_OK);
  cr_assert(gdl_target_eval(t, &cube, 32, X, NULL, y) == GDL_OK);
  for (size_t i = 0; i < 32; i++) cr_assert(y[i] == ((__builtin_popcount(i & 7u) & 1) ? -1.0 : 1.0));
  gdl_target_free(t);
  /* staircase:2 */
  cr_assert(gdl_target_parse("staircase:2", 5, &t) == GDL_OK);
  cr_assert(t->poly->nterms == 2);
  gdl_target_free(t);
  /* modmul: modulus from the domain */
  gdl_domain zp;
  cr_assert(gdl_domain_zp(11, 1, &zp) == GDL_OK);
  cr_assert(gdl_target_parse_domain("modmul:3:parity", &zp, &t) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(t->kind == GDL_TARGET_MODMUL && t->p == 11 && t->a == 3 && t->phi == GDL_PHI_PARITY);
  gdl_target_free(t);
  cr_assert(gdl_target_parse("modmul:3:cos", 4, &t) == GDL_OK);
  cr_assert(t->p == 0);
  uint64_t ints[11];
  double Z[11 * 4], yz[11];
  cr_assert(gdl_domain_enumerate(&zp, Z, NULL, ints) == GDL_OK);
  cr_assert(gdl_target_eval(t, &zp, 11, Z, NULL, yz) == GDL_OK, "%s", gdl_strerror_last());
  for (int x = 0; x < 11; x++) cr_assert(fabs(yz[x] - cos(2 * M_PI * ((3 * x) % 11) / 11.0)) < 1e-15);
  GDL_EXPECT_FAIL(gdl_target_eval(t, NULL, 11, NULL, ints, yz), GDL_EINVAL); /* no modulus known */
  gdl_target_free(t);
  cr_assert(gdl_target_parse("modmul:3:linear:7", 4, &t) == GDL_OK);
  cr_assert(t->p == 7);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &zp, 11, Z, NULL, yz), GDL_EINVAL);  /* modulus mismatch */
  gdl_target_free(t);
  /* wave and neuron along e1 */
  cr_assert(gdl_target_parse("wave:4:triangle", 1, &t) == GDL_OK);
  cr_assert(t->kind == GDL_TARGET_WAVE && t->dim == 1 && t->vec[0] == 4.0 && t->psi == GDL_PSI_TRIANGLE);
  gdl_target_free(t);
  cr_assert(gdl_target_parse("neuron:1.5", 16, &t) == GDL_OK);
  cr_assert(t->kind == GDL_TARGET_NEURON && t->dim == 16 && t->vec[0] == 1.0 && t->vec[1] == 0.0 && t->gamma == 1.5);
  gdl_target_free(t);

  static const char *bad[] = {"", "poly", "poly:", "poly:x1+", "poly:x9", "parity:0", "parity:6", "parity:x",
                              "staircase:-1", "modmul:3", "modmul:x:cos", "modmul:3:tan", "modmul:3:cos:1",
                              "wave:1", "wave:nan:sin", "wave:1:square", "neuron:", "neuron:inf", "blob:3",
                              "parity:3junk"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    gdl_clear_error();
    t = (gdl_target *)0x1;
    int rc = gdl_target_parse(bad[k], 5, &t);
    cr_assert(rc != GDL_OK, "spec '%s' accepted", bad[k]);
    cr_assert(t == NULL);
    cr_assert(gdl_strerror_last()[0] != '\0', "spec '%s': no message", bad[k]);
  }
  gdl_clear_error();
  int rc = gdl_target_parse("poly:x1+x1*x1", 5, &t);
  cr_assert(rc == GDL_EPARSE && strstr(gdl_strerror_last(), "position 7") != NULL, "%s", gdl_strerror_last());
  GDL_EXPECT_FAIL(gdl_target_parse_domain("modmul:3:cos", &cube, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_parse_domain("modmul:11:cos", &zp, &t), GDL_EINVAL); /* a >= p */
}

Test(target, bad_arguments) {
  gdl_target *t = NULL;
  const double v[2] = {1, 2}, vn[2] = {1, NAN};
  GDL_EXPECT_FAIL(gdl_target_poly(NULL, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_poly("x1", NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_poly("x1 x2", &t), GDL_EPARSE);
  GDL_EXPECT_FAIL(gdl_target_from_poly(NULL, &t), GDL_EINVAL);
  gdl_poly *p = NULL;
  cr_assert(gdl_poly_parse("x1", &p) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_target_from_poly(p, NULL), GDL_EINVAL); /* frees p */
  GDL_EXPECT_FAIL(gdl_target_modmul(3, 1, GDL_PHI_COS, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_modmul(7, 7, GDL_PHI_COS, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_modmul(3, 7, (gdl_phi)5, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_modmul(3, UINT64_MAX, GDL_PHI_COS, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_modmul(3, 7, GDL_PHI_COS, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_wave(0, v, GDL_PSI_SIN, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_wave(2, NULL, GDL_PSI_SIN, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_wave(2, vn, GDL_PSI_SIN, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_wave(2, v, (gdl_psi)7, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_wave(2, v, GDL_PSI_SIN, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_neuron(2, v, NAN, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_neuron(0, v, 1, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_neuron(2, NULL, 1, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_parse(NULL, 3, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_parse("parity:1", 0, &t), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_parse("parity:1", 3, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_parse_domain("parity:1", NULL, &t), GDL_EINVAL);
  gdl_target_free(NULL);

  cr_assert(gdl_target_poly("x1*x2", &t) == GDL_OK);
  gdl_domain d;
  cr_assert(gdl_domain_cube(2, &d) == GDL_OK);
  double X[2] = {1, -1}, y[1];
  GDL_EXPECT_FAIL(gdl_target_eval(NULL, &d, 1, X, NULL, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_eval(t, NULL, 1, X, NULL, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d, 0, X, NULL, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d, 1, NULL, NULL, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d, 1, X, NULL, NULL), GDL_EINVAL);
  cr_assert(gdl_target_eval(t, &d, 1, X, NULL, y) == GDL_OK && y[0] == -1.0);
  gdl_domain d1;
  cr_assert(gdl_domain_cube(1, &d1) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d1, 1, X, NULL, y), GDL_EINVAL); /* x2 on a 1-d domain */
  gdl_target_free(t);
  cr_assert(gdl_target_modmul(3, 7, GDL_PHI_COS, &t) == GDL_OK);
  uint64_t bad_int[1] = {7};
  GDL_EXPECT_FAIL(gdl_target_eval(t, NULL, 1, NULL, bad_int, y), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_target_eval(t, &d, 1, X, NULL, y), GDL_EINVAL); /* cube is not Z_7 */
  gdl_target_free(t);
}

/* ---- basic metrics (gdl/measure.h) ---- */

Test(metrics, values) {
  const double f[4] = {1, 2, 3, 4}, y[4] = {1, 3, 2, 6};
  gdl_metrics m;
  cr_assert(gdl_metrics_eval(4, f, y, NULL, &m) == GDL_OK);
  cr_assert(fabs(m.mse - (0 + 1 + 1 + 4) / 4.0) < 1e-15);
  cr_assert(fabs(m.corr - (1 + 6 + 6 + 24) / 4.0) < 1e-15);
  cr_assert(fabs(m.mean_y - 3.0) < 1e-15);
  cr_assert(fabs(m.var_y - (4 + 0 + 1 + 9) / 4.0) < 1e-15);
  cr_assert(fabs(m.fvu - 1.5 / 3.5) < 1e-15);
  /* pearson: cov = ((-1.5)(-2) + (-.5)(0) + (.5)(-1) + 1.5*3)/4 = 7/4, var f = 1.25 */
  cr_assert(fabs(m.pearson - 1.75 / sqrt(1.25 * 3.5)) < 1e-14, "pearson %.17g", m.pearson);
  /* weights: doubling every weight changes nothing; weight 0 drops a row */
  const double w[4] = {0.5, 0.5, 0.5, 0.5}, w0[4] = {1, 1, 1, 0};
  gdl_metrics m2, m3, m4;
  cr_assert(gdl_metrics_eval(4, f, y, w, &m2) == GDL_OK);
  cr_assert(fabs(m2.mse - m.mse) < 1e-15 && fabs(m2.pearson - m.pearson) < 1e-15);
  cr_assert(gdl_metrics_eval(4, f, y, w0, &m3) == GDL_OK);
  cr_assert(gdl_metrics_eval(3, f, y, NULL, &m4) == GDL_OK);
  cr_assert(fabs(m3.mse - m4.mse) < 1e-15 && fabs(m3.corr - m4.corr) < 1e-15);
  /* perfect predictor: fvu 0, pearson 1; constant target: fvu NaN */
  cr_assert(gdl_metrics_eval(4, y, y, NULL, &m) == GDL_OK);
  cr_assert(m.mse == 0.0 && m.fvu == 0.0 && fabs(m.pearson - 1.0) < 1e-15);
  const double c[4] = {2, 2, 2, 2};
  cr_assert(gdl_metrics_eval(4, f, c, NULL, &m) == GDL_OK);
  cr_assert(isnan(m.fvu) && isnan(m.pearson) && m.var_y == 0.0);
}

Test(metrics, bad_arguments) {
  const double f[2] = {1, 2}, y[2] = {1, NAN}, wneg[2] = {1, -1}, wz[2] = {0, 0};
  gdl_metrics m;
  GDL_EXPECT_FAIL(gdl_metrics_eval(0, f, f, NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, NULL, f, NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, f, NULL, NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, f, f, NULL, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, f, y, NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, y, f, NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, f, f, wneg, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_metrics_eval(2, f, f, wz, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_net_metrics(NULL, 2, f, f, NULL, &m), GDL_EINVAL);
}

Test(metrics, net_metrics_matches_forward) {
  gdl_net_spec spec;
  const size_t hidden[1] = {8};
  cr_assert(gdl_net_spec_mlp(&spec, 3, 1, hidden, 1, GDL_ACT_TANH, 1) == GDL_OK, "%s", gdl_strerror_last());
  gdl_net *net = NULL;
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK, "%s", gdl_strerror_last());
  gsl_rng *r = gdl_test_rng("test_target.net", 0);
  cr_assert(gdl_net_init_default(net, r) == GDL_OK);
  gdl_domain d;
  cr_assert(gdl_domain_gaussian(3, &d) == GDL_OK);
  const size_t m = 1000;  /* > 256: exercises the chunked forward */
  double *X = malloc(m * 3 * sizeof *X), *y = malloc(m * sizeof *y), *f = malloc(m * sizeof *f);
  cr_assert(X && y && f);
  cr_assert(gdl_domain_sample(&d, r, m, X, NULL) == GDL_OK);
  for (size_t i = 0; i < m; i++) y[i] = X[3 * i];
  gdl_metrics a, b;
  cr_assert(gdl_net_metrics(net, m, X, y, NULL, &a) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_net_reserve(net, m) == GDL_OK);
  cr_assert(gdl_net_forward(net, m, X, f) == GDL_OK);
  cr_assert(gdl_metrics_eval(m, f, y, NULL, &b) == GDL_OK);
  cr_assert(fabs(a.mse - b.mse) <= 1e-12 * b.mse && fabs(a.corr - b.corr) <= 1e-12 * fabs(b.corr) + 1e-15,
            "chunked %.17g %.17g vs whole %.17g %.17g", a.mse, a.corr, b.mse, b.corr);
  free(X);
  free(y);
  free(f);
  gdl_rng_free(r);
  gdl_net_free(net);
}
