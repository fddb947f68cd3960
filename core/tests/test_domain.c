/* core.domain: samplers (moments within 5 SE), exact enumerations, Z_p encodings and
 * argument checking of gdl/domain.h.
 *
 * Sampling checks compare sample moments with their exact values using the exact
 * variance of the statistic (not the sample SE) and a 5-SE margin: each check fails
 * with probability ~5.7e-7 for any seed (the statistics are means of 2e5 i.i.d.
 * bounded or Gaussian terms, so the normal approximation is accurate at 5 SE). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

#define N_SAMPLES 200000

/* Sample N points; check per-coordinate mean (exact mu, Var var1) and second moment
 * (exact m2, Var of x^2 var2; var2 = 0 means x^2 is constant and is checked exactly). */
static void check_moments(const gdl_domain *d, const char *what, double mu, double var1, double m2,
                          double var2) {
  gsl_rng *r = gdl_test_rng(what, 0);
  const size_t dim = gdl_domain_dim(d);
  double *X = malloc((size_t)N_SAMPLES * dim * sizeof *X);
  cr_assert(X != NULL);
  cr_assert(gdl_domain_sample(d, r, N_SAMPLES, X, NULL) == GDL_OK, "%s: %s", what, gdl_strerror_last());
  for (size_t j = 0; j < dim; j++) {
    double s1 = 0.0, s2 = 0.0;
    for (size_t i = 0; i < N_SAMPLES; i++) {
      double x = X[i * dim + j];
      cr_assert(isfinite(x), "%s: non-finite sample", what);
      s1 += x;
      s2 += x * x;
    }
    s1 /= N_SAMPLES;
    s2 /= N_SAMPLES;
    double se1 = sqrt(var1 / N_SAMPLES);
    cr_assert(fabs(s1 - mu) <= 5.0 * se1, "%s coord %zu: mean %.6g vs exact %.6g, |diff| %.3g > 5 SE = %.3g", what, j,
              s1, mu, fabs(s1 - mu), 5.0 * se1);
    if (var2 == 0.0) {
      cr_assert(fabs(s2 - m2) <= 1e-12 * fabs(m2), "%s coord %zu: E x^2 = %.17g, exact %.17g", what, j, s2, m2);
    } else {
      double se2 = sqrt(var2 / N_SAMPLES);
      cr_assert(fabs(s2 - m2) <= 5.0 * se2, "%s coord %zu: E x^2 %.6g vs exact %.6g, |diff| %.3g > 5 SE = %.3g", what,
                j, s2, m2, fabs(s2 - m2), 5.0 * se2);
    }
  }
  /* a cross moment E[x_0 x_1] = 0 (product has variance var1^2 for independent
   * coordinates; for the sphere E[x0^2 x1^2] = n/(n+2) <= 1 = m2^2) */
  if (dim >= 2) {
    double s = 0.0;
    for (size_t i = 0; i < N_SAMPLES; i++) s += (X[i * dim] - mu) * (X[i * dim + 1] - mu);
    s /= N_SAMPLES;
    double v = var1 * var1;
    if (d->kind == GDL_DOMAIN_SPHERE) v = (double)dim / (dim + 2.0);
    double se = sqrt(v / N_SAMPLES);
    cr_assert(fabs(s) <= 5.0 * se, "%s: cross moment %.3g, > 5 SE = %.3g", what, s, 5.0 * se);
  }
  free(X);
  gdl_rng_free(r);
}

Test(domain, cube_moments) {
  gdl_domain d;
  cr_assert(gdl_domain_cube(8, &d) == GDL_OK);
  cr_assert(gdl_domain_dim(&d) == 8);
  check_moments(&d, "cube", 0.0, 1.0, 1.0, 0.0);
}

Test(domain, gaussian_moments) {
  gdl_domain d;
  cr_assert(gdl_domain_gaussian(6, &d) == GDL_OK);
  check_moments(&d, "gaussian", 0.0, 1.0, 1.0, 2.0);
}

Test(domain, sphere_moments_and_radius) {
  const size_t n = 7;
  gdl_domain d;
  cr_assert(gdl_domain_sphere(n, &d) == GDL_OK);
  /* x_j^2 has E = 1 and E x^4 = 3n/(n+2) on the sphere of radius sqrt(n) */
  check_moments(&d, "sphere", 0.0, 1.0, 1.0, 3.0 * n / (n + 2.0) - 1.0);
  gsl_rng *r = gdl_test_rng("sphere.radius", 0);
  double X[100 * 7];
  cr_assert(gdl_domain_sample(&d, r, 100, X, NULL) == GDL_OK);
  for (size_t i = 0; i < 100; i++) {
    double s = 0.0;
    for (size_t j = 0; j < n; j++) s += X[i * n + j] * X[i * n + j];
    cr_assert(fabs(s - (double)n) <= 1e-12 * n, "row %zu: |x|^2 = %.17g, expected %zu", i, s, n);
  }
  gdl_rng_free(r);
}

Test(domain, sphere_dimension_one) {
  gdl_domain d;
  cr_assert(gdl_domain_sphere(1, &d) == GDL_OK);
  gsl_rng *r = gdl_test_rng("sphere1", 0);
  double X[64];
  cr_assert(gdl_domain_sample(&d, r, 64, X, NULL) == GDL_OK);
  for (int i = 0; i < 64; i++) cr_assert(X[i] == 1.0 || X[i] == -1.0, "x = %g", X[i]);
  gdl_rng_free(r);
}

Test(domain, interval_moments) {
  const double lo = -0.5, hi = 2.0;
  gdl_domain d;
  cr_assert(gdl_domain_interval(5, lo, hi, &d) == GDL_OK);
  const double mu = (lo + hi) / 2, var = (hi - lo) * (hi - lo) / 12;
  const double m2 = (lo * lo + lo * hi + hi * hi) / 3;
  const double m4 = (pow(hi, 5) - pow(lo, 5)) / (5 * (hi - lo));
  check_moments(&d, "interval", mu, var, m2, m4 - m2 * m2);
  gsl_rng *r = gdl_test_rng("interval.range", 0);
  double X[1000];
  cr_assert(gdl_domain_sample(&d, r, 200, X, NULL) == GDL_OK);
  for (int i = 0; i < 1000; i++) cr_assert(X[i] >= lo && X[i] <= hi, "x = %g outside [%g, %g]", X[i], lo, hi);
  gdl_rng_free(r);
}

/* Z_p sampling: the integers are uniform on Z_p (mean and frequencies within 5 SE) and the
 * rows are their encodings. */
static void check_zp_sampling(int bits) {
  const uint64_t p = 13;
  gdl_domain d;
  cr_assert(gdl_domain_zp(p, bits, &d) == GDL_OK);
  const size_t dim = gdl_domain_dim(&d);
  cr_assert(dim == (bits ? 4u : 1u), "dim %zu", dim);
  gsl_rng *r = gdl_test_rng(bits ? "zp.bits" : "zp.scalar", 0);
  double *X = malloc((size_t)N_SAMPLES * dim * sizeof *X);
  uint64_t *ints = malloc((size_t)N_SAMPLES * sizeof *ints);
  double *Y = malloc((size_t)N_SAMPLES * dim * sizeof *Y);
  cr_assert(X && ints && Y);
  cr_assert(gdl_domain_sample(&d, r, N_SAMPLES, X, ints) == GDL_OK);
  size_t counts[13] = {0};
  double s = 0.0;
  for (size_t i = 0; i < N_SAMPLES; i++) {
    cr_assert(ints[i] < p);
    counts[ints[i]]++;
    s += (double)ints[i];
  }
  const double mean = s / N_SAMPLES, mu = (p - 1) / 2.0, var = (p * p - 1) / 12.0;
  const double se = sqrt(var / N_SAMPLES);
  cr_assert(fabs(mean - mu) <= 5 * se, "Z_p mean %.5g vs %.5g, > 5 SE %.3g", mean, mu, 5 * se);
  for (size_t k = 0; k < p; k++) {
    double q = 1.0 / p, f = (double)counts[k] / N_SAMPLES, sek = sqrt(q * (1 - q) / N_SAMPLES);
    cr_assert(fabs(f - q) <= 5 * sek, "frequency of %zu: %.5g vs %.5g, > 5 SE %.3g", k, f, q, 5 * sek);
  }
  /* rows are the encodings of ints */
  cr_assert(gdl_domain_zp_encode(&d, N_SAMPLES, ints, Y) == GDL_OK);
  cr_assert(memcmp(X, Y, (size_t)N_SAMPLES * dim * sizeof *X) == 0, "sampled rows differ from encodings");
  free(X);
  free(Y);
  free(ints);
  gdl_rng_free(r);
}

Test(domain, zp_bits_sampling) { check_zp_sampling(1); }
Test(domain, zp_scalar_sampling) { check_zp_sampling(0); }

Test(domain, zp_large_modulus_sampling) {
  /* p above 2^32 takes the 52-bit path: values stay in Z_p and the mean is right */
  const uint64_t p = ((uint64_t)1 << 40) - 87;
  gdl_domain d;
  cr_assert(gdl_domain_zp(p, 1, &d) == GDL_OK);
  cr_assert(gdl_domain_dim(&d) == 40);
  cr_assert(!gdl_domain_is_finite(&d));
  gsl_rng *r = gdl_test_rng("zp.large", 0);
  const size_t m = 20000;
  double *X = malloc(m * 40 * sizeof *X);
  uint64_t *ints = malloc(m * sizeof *ints), *back = malloc(m * sizeof *back);
  cr_assert(X && ints && back);
  cr_assert(gdl_domain_sample(&d, r, m, X, ints) == GDL_OK);
  double s = 0.0;
  for (size_t i = 0; i < m; i++) {
    cr_assert(ints[i] < p);
    s += (double)ints[i] / (double)p;
  }
  double mean = s / m, se = sqrt(1.0 / 12 / m);
  cr_assert(fabs(mean - 0.5) <= 5 * se, "mean of x/p %.5g, > 5 SE %.3g from 1/2", mean, 5 * se);
  cr_assert(gdl_domain_zp_decode(&d, m, X, back) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(memcmp(ints, back, m * sizeof *ints) == 0, "decode(encode(x)) != x");
  free(X);
  free(ints);
  free(back);
  gdl_rng_free(r);
}

Test(domain, same_stream_same_samples) {
  gdl_domain d;
  cr_assert(gdl_domain_gaussian(3, &d) == GDL_OK);
  gsl_rng *a = gdl_test_rng("same", 0), *b = gdl_test_rng("same", 0);
  double X[300], Y[300];
  cr_assert(gdl_domain_sample(&d, a, 100, X, NULL) == GDL_OK);
  cr_assert(gdl_domain_sample(&d, b, 100, Y, NULL) == GDL_OK);
  cr_assert(memcmp(X, Y, sizeof X) == 0);
  gdl_rng_free(a);
  gdl_rng_free(b);
}

/* ---- enumeration ---- */

Test(domain, cube_enumeration) {
  for (size_t n = 1; n <= 12; n++) {
    gdl_domain d;
    cr_assert(gdl_domain_cube(n, &d) == GDL_OK);
    cr_assert(gdl_domain_is_finite(&d));
    size_t m = 0;
    cr_assert(gdl_domain_size(&d, &m) == GDL_OK);
    cr_assert(m == ((size_t)1 << n), "n=%zu: size %zu", n, m);
    double *X = malloc(m * n * sizeof *X), *w = malloc(m * sizeof *w);
    cr_assert(X && w);
    cr_assert(gdl_domain_enumerate(&d, X, w, NULL) == GDL_OK);
    double ws = 0.0;
    for (size_t i = 0; i < m; i++) {
      ws += w[i];
      cr_assert(w[i] == 1.0 / m);
      /* row i: x_j = -1 iff bit j of i is set, so the row decodes back to i */
      size_t back = 0;
      for (size_t j = 0; j < n; j++) {
        double x = X[i * n + j];
        cr_assert(x == 1.0 || x == -1.0);
        cr_assert((x == -1.0) == (((i >> j) & 1u) != 0), "n=%zu row %zu col %zu", n, i, j);
        if (x == -1.0) back |= (size_t)1 << j;
      }
      cr_assert(back == i);
    }
    cr_assert(fabs(ws - 1.0) <= 1e-12, "n=%zu: weights sum to %.17g", n, ws);
    /* chi_S(x_i) = (-1)^popcount(i & S) for S = {0, n-1} */
    for (size_t i = 0; i < m; i++) {
      double chi = X[i * n] * X[i * n + n - 1];
      size_t S = 1u | ((size_t)1 << (n - 1));
      double expect = (__builtin_popcountll(i & S) & 1) ? -1.0 : 1.0;
      if (n == 1) expect = 1.0; /* x1*x1 */
      cr_assert(chi == expect);
    }
    free(X);
    free(w);
  }
}

Test(domain, cube_enumeration_limits) {
  gdl_domain d;
  size_t m = 0;
  cr_assert(gdl_domain_cube(24, &d) == GDL_OK);
  cr_assert(gdl_domain_is_finite(&d));
  cr_assert(gdl_domain_size(&d, &m) == GDL_OK);
  cr_assert(m == ((size_t)1 << 24));
  cr_assert(gdl_domain_cube(25, &d) == GDL_OK);
  cr_assert(!gdl_domain_is_finite(&d));
  int rc = gdl_domain_size(&d, &m);
  cr_assert(rc == GDL_ERANGE, "rc %d", rc);
  cr_assert(strstr(gdl_strerror_last(), "25") != NULL, "message: %s", gdl_strerror_last());
  double X[4];
  cr_assert(gdl_domain_enumerate(&d, X, NULL, NULL) == GDL_ERANGE);
}

Test(domain, zp_enumeration) {
  const uint64_t ps[] = {2, 3, 13, 64, 101};
  for (size_t t = 0; t < sizeof ps / sizeof ps[0]; t++) {
    for (int bits = 0; bits <= 1; bits++) {
      const uint64_t p = ps[t];
      gdl_domain d;
      cr_assert(gdl_domain_zp(p, bits, &d) == GDL_OK);
      const size_t dim = gdl_domain_dim(&d);
      size_t m;
      cr_assert(gdl_domain_size(&d, &m) == GDL_OK);
      cr_assert(m == p);
      double *X = malloc(m * dim * sizeof *X), *w = malloc(m * sizeof *w);
      uint64_t *ints = malloc(m * sizeof *ints), *back = malloc(m * sizeof *back);
      cr_assert(X && w && ints && back);
      cr_assert(gdl_domain_enumerate(&d, X, w, ints) == GDL_OK);
      double ws = 0.0;
      for (size_t i = 0; i < m; i++) {
        ws += w[i];
        cr_assert(ints[i] == i);
        if (bits) {
          for (size_t j = 0; j < dim; j++) cr_assert(X[i * dim + j] == (((i >> j) & 1u) ? -1.0 : 1.0));
        } else {
          cr_assert(X[i] == 2.0 * (double)i / (double)p - 1.0);
          cr_assert(X[i] >= -1.0 && X[i] < 1.0);
        }
      }
      cr_assert(fabs(ws - 1.0) <= 1e-12, "p=%llu: weights sum to %.17g", (unsigned long long)p, ws);
      cr_assert(gdl_domain_zp_decode(&d, m, X, back) == GDL_OK, "%s", gdl_strerror_last());
      for (size_t i = 0; i < m; i++) cr_assert(back[i] == i);
      free(X);
      free(w);
      free(ints);
      free(back);
    }
  }
}

Test(domain, zp_bits_width) {
  const uint64_t ps[] = {2, 3, 4, 5, 8, 9, 101, 1024, 1025};
  const size_t want[] = {1, 2, 2, 3, 3, 4, 7, 10, 11};
  for (size_t t = 0; t < 9; t++) {
    gdl_domain d;
    cr_assert(gdl_domain_zp(ps[t], 1, &d) == GDL_OK);
    cr_assert(gdl_domain_dim(&d) == want[t], "p=%llu: dim %zu, want %zu", (unsigned long long)ps[t],
              gdl_domain_dim(&d), want[t]);
  }
}

Test(domain, zp_power_of_two_matches_cube) {
  gdl_domain z, c;
  cr_assert(gdl_domain_zp(256, 1, &z) == GDL_OK);
  cr_assert(gdl_domain_cube(8, &c) == GDL_OK);
  double A[256 * 8], B[256 * 8];
  cr_assert(gdl_domain_enumerate(&z, A, NULL, NULL) == GDL_OK);
  cr_assert(gdl_domain_enumerate(&c, B, NULL, NULL) == GDL_OK);
  cr_assert(memcmp(A, B, sizeof A) == 0);
}

Test(domain, names) {
  gdl_domain d;
  cr_assert(gdl_domain_cube(3, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "cube");
  cr_assert(gdl_domain_sphere(3, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "sphere");
  cr_assert(gdl_domain_gaussian(3, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "gaussian");
  cr_assert(gdl_domain_interval(3, 0, 1, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "interval");
  cr_assert(gdl_domain_zp(7, 1, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "zp-bits");
  cr_assert(gdl_domain_zp(7, 0, &d) == GDL_OK);
  cr_assert_str_eq(gdl_domain_name(&d), "zp-scalar");
  cr_assert(!gdl_domain_is_finite(NULL));
  cr_assert(gdl_domain_dim(NULL) == 0);
}

/* ---- bad arguments: a status and a message, never a crash ---- */

Test(domain, bad_arguments) {
  gdl_domain d;
  GDL_EXPECT_FAIL(gdl_domain_cube(0, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_cube(3, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_cube((size_t)1 << 40, &d), GDL_ERANGE);
  GDL_EXPECT_FAIL(gdl_domain_sphere(0, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_sphere(SIZE_MAX, &d), GDL_ERANGE);
  GDL_EXPECT_FAIL(gdl_domain_sphere(2, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_gaussian(0, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_gaussian(2, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(0, 0, 1, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, 1, 1, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, 2, 1, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, NAN, 1, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, 0, INFINITY, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, -1e308, 1e308, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_interval(2, 0, 1, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp(0, 1, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp(1, 0, &d), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp(UINT64_MAX, 0, &d), GDL_ERANGE);
  GDL_EXPECT_FAIL(gdl_domain_zp(7, 1, NULL), GDL_EINVAL);

  gsl_rng *r = gdl_test_rng("bad", 0);
  double X[64];
  uint64_t ints[8];
  cr_assert(gdl_domain_cube(4, &d) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_domain_sample(NULL, r, 2, X, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_sample(&d, NULL, 2, X, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_sample(&d, r, 2, NULL, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_sample(&d, r, 0, X, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_sample(&d, r, SIZE_MAX / 2, X, NULL), GDL_ERANGE);
  gdl_domain bad = d;
  bad.kind = (gdl_domain_kind)99;
  GDL_EXPECT_FAIL(gdl_domain_sample(&bad, r, 2, X, NULL), GDL_EINVAL);
  bad = d;
  bad.n = 0;
  GDL_EXPECT_FAIL(gdl_domain_sample(&bad, r, 2, X, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_enumerate(&bad, X, NULL, NULL), GDL_EINVAL);

  size_t m;
  GDL_EXPECT_FAIL(gdl_domain_size(NULL, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_size(&d, NULL), GDL_EINVAL);
  cr_assert(gdl_domain_gaussian(3, &d) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_domain_size(&d, &m), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_enumerate(&d, X, NULL, NULL), GDL_EINVAL);
  cr_assert(gdl_domain_cube(3, &d) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_domain_enumerate(&d, NULL, NULL, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_enumerate(NULL, X, NULL, NULL), GDL_EINVAL);

  /* encode / decode */
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(&d, 1, ints, X), GDL_EINVAL); /* cube is not Z_p */
  cr_assert(gdl_domain_zp(5, 1, &d) == GDL_OK);
  ints[0] = 5;
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(&d, 1, ints, X), GDL_EINVAL);
  ints[0] = 4;
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(&d, 1, NULL, X), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(&d, 1, ints, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(&d, 0, ints, X), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_domain_zp_encode(NULL, 1, ints, X), GDL_EINVAL);
  X[0] = 0.5; X[1] = 1; X[2] = 1;
  GDL_EXPECT_FAIL(gdl_domain_zp_decode(&d, 1, X, ints), GDL_EINVAL);       /* not a +-1 bit */
  X[0] = 1; X[1] = 1; X[2] = -1;                                       /* 4 */
  cr_assert(gdl_domain_zp_decode(&d, 1, X, ints) == GDL_OK && ints[0] == 4);
  X[0] = -1; X[1] = 1; X[2] = -1;                                      /* 5: not in Z_5 */
  GDL_EXPECT_FAIL(gdl_domain_zp_decode(&d, 1, X, ints), GDL_EINVAL);
  cr_assert(gdl_domain_zp(5, 0, &d) == GDL_OK);
  X[0] = 0.1;                                                           /* not 2x/5 - 1 */
  GDL_EXPECT_FAIL(gdl_domain_zp_decode(&d, 1, X, ints), GDL_EINVAL);
  X[0] = NAN;
  GDL_EXPECT_FAIL(gdl_domain_zp_decode(&d, 1, X, ints), GDL_EINVAL);
  X[0] = 1.0;                                                           /* x = p */
  GDL_EXPECT_FAIL(gdl_domain_zp_decode(&d, 1, X, ints), GDL_EINVAL);
  gdl_rng_free(r);
}
