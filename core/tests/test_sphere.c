/* core.sphere: the spherical-harmonic toolkit of gdl/sphere.h.
 * - N(d, l): 2l+1 at d = 3, 2 at d = 2, and sum over l = L, L-2, ... of N(d, l) = C(d+L-1, L)
 *   (homogeneous polynomials of degree L restricted to the sphere);
 * - P_l against GSL (gsl_sf_gegenpoly_n normalised, gsl_sf_legendre_Pl at d = 3), and the
 *   monomial coefficients against the recurrence;
 * - moments against Wick (hafnian), inner products, inner_rotated at R = I;
 * - exact level weights: products of distinct coordinates sit at one level, x1^2 splits into
 *   1/d (level 0) and 3/(d(d+2)) - 1/d^2 (level 2), sum_l W_l = ||f||^2 on mixed polynomials;
 * - the NG kernel engine: fast (first-layer shortcut) = direct over all columns;
 * - parser errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_gegenbauer.h>
#include <gsl/gsl_sf_legendre.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

static gdl_sphere_poly *parse(const char *s, size_t d) {
  gdl_sphere_poly *p = NULL;
  gdl_test_check_rc(gdl_sphere_poly_parse(s, d, &p), s);
  return p;
}

Test(sphere, harmonic_dim) {
  for (unsigned l = 0; l < 12; l++) {
    cr_assert_eq(gdl_sphere_harmonic_dim(3, l), 2.0 * l + 1.0);
    cr_assert_eq(gdl_sphere_harmonic_dim(2, l), l == 0 ? 1.0 : 2.0);
  }
  for (size_t d = 2; d <= 20; d += 3)
    for (unsigned L = 0; L <= 10; L++) {
      double s = 0;
      for (unsigned l = L % 2; l <= L; l += 2) s += gdl_sphere_harmonic_dim(d, l);
      cr_assert_eq(s, gsl_sf_choose((unsigned)(d + L - 1), L), "d=%zu L=%u", d, L);
    }
  cr_assert_eq(gdl_sphere_harmonic_dim(12, 6), 11011.0);
  cr_assert(isnan(gdl_sphere_harmonic_dim(1, 2)));
}

Test(sphere, gegenbauer) {
  for (size_t d = 3; d <= 25; d += 2)
    for (unsigned l = 0; l <= 12; l++)
      for (double t = -1; t <= 1.0001; t += 0.125) {
        double a = (d - 2) / 2.0;
        double ref = gsl_sf_gegenpoly_n((int)l, a, t) / gsl_sf_gegenpoly_n((int)l, a, 1.0);
        double v = gdl_gegenbauer(d, l, t);
        cr_assert(fabs(v - ref) <= 1e-12, "d=%zu l=%u t=%g: %.17g vs %.17g", d, l, t, v, ref);
        if (d == 3) cr_assert(fabs(v - gsl_sf_legendre_Pl((int)l, t)) <= 1e-12);
        double c[GDL_SPHERE_MAX_DEG + 1], s = 0, tp = 1;
        gdl_test_check_rc(gdl_gegenbauer_coefs(d, l, c), "coefs");
        for (unsigned j = 0; j <= l; j++, tp *= t) s += c[j] * tp;
        cr_assert(fabs(s - v) <= 1e-10, "coefs d=%zu l=%u t=%g", d, l, t);
      }
  cr_assert(fabs(gdl_gegenbauer(2, 5, cos(0.3)) - cos(1.5)) <= 1e-13); /* Chebyshev */
}

Test(sphere, moments_wick_inner) {
  const size_t d = 7;
  unsigned al[7] = {2, 4, 0, 2, 0, 0, 0};
  double mo, w, V[8 * 7] = {0};
  gdl_test_check_rc(gdl_sphere_moment(d, al, &mo), "moment");
  cr_assert(fabs(mo - 1.0 * 3.0 * 1.0 / (7.0 * 9 * 11 * 13)) <= 1e-15);
  size_t k = 0;
  for (size_t i = 0; i < d; i++)
    for (unsigned e = 0; e < al[i]; e++) V[(k++) * d + i] = 1.0;
  gdl_test_check_rc(gdl_sphere_wick(d, k, V, &w), "wick");
  cr_assert(fabs(w - mo) <= 1e-15 * mo * 10, "wick %g moment %g", w, mo);
  al[0] = 3;
  gdl_sphere_moment(d, al, &mo);
  cr_assert_eq(mo, 0.0);
  /* ||x1 x2 x3||^2 on the sphere of radius sqrt(d): d^3/(d(d+2)(d+4)) */
  gdl_sphere_poly *p = parse("x1*x2*x3", d), *q = NULL;
  double ip, ipr, R[49] = {0};
  gdl_test_check_rc(gdl_sphere_poly_inner(p, p, sqrt(7.0), &ip), "inner");
  cr_assert(fabs(ip - 343.0 / (7.0 * 9 * 11)) <= 1e-13);
  for (size_t i = 0; i < d; i++) R[i * d + i] = 1.0;
  q = parse("x1*x2*x3 + 0.5*x1^2*x2 - 2*x4 + 1.5", d);
  gdl_sphere_poly *q2 = parse("x2^2*x1 + 3*x1*x2*x3 - x5^2", d);
  gdl_test_check_rc(gdl_sphere_poly_inner(q, q2, 2.0, &ip), "inner");
  gdl_test_check_rc(gdl_sphere_poly_inner_rotated(q, q2, R, 2.0, &ipr), "inner_rotated");
  cr_assert(fabs(ip - ipr) <= 1e-12 * (1 + fabs(ip)), "%g vs %g", ip, ipr);
  /* unit product */
  gdl_sphere_poly *u = NULL;
  gdl_test_check_rc(gdl_sphere_poly_product(d, 4, sqrt(7.0), &u), "product");
  gdl_test_check_rc(gdl_sphere_poly_inner(u, u, sqrt(7.0), &ip), "inner");
  cr_assert(fabs(ip - 1.0) <= 1e-13);
  gdl_sphere_poly_free(u);
  gdl_sphere_poly_free(p);
  gdl_sphere_poly_free(q);
  gdl_sphere_poly_free(q2);
}

Test(sphere, level_weights) {
  for (size_t d = 3; d <= 20; d += 17 / 3) {
    for (unsigned k = 1; k <= (d < 8 ? d : 8); k++) {
      gdl_sphere_poly *p = NULL;
      double r = sqrt((double)d), W[GDL_SPHERE_MAX_DEG + 1];
      gdl_test_check_rc(gdl_sphere_poly_product(d, k, r, &p), "product");
      gdl_test_check_rc(gdl_sphere_level_weights(p, r, 12, W), "W");
      for (unsigned l = 0; l <= 12; l++)
        cr_assert(fabs(W[l] - (l == k ? 1.0 : 0.0)) <= 1e-10, "d=%zu k=%u W[%u] = %.3g", d, k, l, W[l]);
      gdl_align a;
      gdl_test_check_rc(gdl_sphere_align_levels(W, d, 12, &a), "align");
      cr_assert(fabs(a.lambda * gdl_sphere_harmonic_dim(d, k) - 1.0) <= 1e-10 && a.level == k);
      gdl_sphere_poly_free(p);
    }
    /* x1^2 on the unit sphere: 1/d + (x1^2 - 1/d) */
    gdl_sphere_poly *p = parse("x1^2", d);
    double W[GDL_SPHERE_MAX_DEG + 1];
    gdl_test_check_rc(gdl_sphere_level_weights(p, 1.0, 4, W), "W");
    double w0 = 1.0 / ((double)d * d), w2 = 3.0 / (d * (d + 2.0)) - w0;
    cr_assert(fabs(W[0] - w0) <= 1e-14 && fabs(W[2] - w2) <= 1e-14 && fabs(W[1]) <= 1e-15 && fabs(W[4]) <= 1e-15,
              "d=%zu x1^2: %g %g %g", d, W[0], W[1], W[2]);
    gdl_sphere_poly_free(p);
    /* mixed polynomials: Parseval */
    const char *polys[] = {"x1*x2*x3 + 0.5*x1^2*x2 - 2*x2 + 1.5", "x1^4 - x2^2*x3^2 + x1*x3", "x1^3*x2^2*x3 + x2^5",
                           "x1^6 + x2^6 + x3^6 + x1*x2"};
    for (size_t i = 0; i < 4; i++) {
      p = parse(polys[i], d);
      double n2, s = 0, r = sqrt((double)d);
      gdl_test_check_rc(gdl_sphere_level_weights(p, r, 12, W), "W");
      gdl_test_check_rc(gdl_sphere_poly_inner(p, p, r, &n2), "norm");
      for (unsigned l = 0; l <= 12; l++) {
        cr_assert(W[l] >= -1e-10 * n2, "negative weight d=%zu %s W[%u]=%g", d, polys[i], l, W[l]);
        s += W[l];
      }
      cr_assert(fabs(s - n2) <= 1e-10 * n2, "Parseval d=%zu %s: %.15g vs %.15g", d, polys[i], s, n2);
      gdl_sphere_poly_free(p);
    }
  }
}

Test(sphere, ng_G_fast_equals_direct) {
  const size_t d = 6, m = 200;
  gsl_rng *r = gdl_test_rng("core.sphere.G", 0);
  gdl_domain dom;
  gdl_test_check_rc(gdl_domain_sphere(d, &dom), "domain");
  double *X = malloc(m * d * sizeof *X), *K = malloc(m * m * sizeof *K), *Kx = malloc(m * m * sizeof *Kx);
  cr_assert(X && K && Kx);
  gdl_test_check_rc(gdl_domain_sample(&dom, r, m, X, NULL), "sample");
  gdl_sphere_poly *p = parse("x1*x2*x3 + 0.3*x1^2 + x4", d);
  double W[GDL_SPHERE_MAX_DEG + 1];
  gdl_test_check_rc(gdl_sphere_level_weights(p, sqrt((double)d), 6, W), "W");
  gdl_test_check_rc(gdl_sphere_kernel_matrix(d, W, 6, sqrt((double)d), m, X, K, Kx), "kernel");
  for (size_t depth = 2; depth <= 3; depth++) {
    gdl_net_spec s;
    size_t hidden[2] = {5, 4};
    gdl_net *net = NULL;
    gdl_test_check_rc(gdl_net_spec_mlp(&s, d, depth - 1, hidden, 1, GDL_ACT_TANH, 1), "spec");
    gdl_test_check_rc(gdl_net_create(&s, &net), "net");
    gdl_test_check_rc(gdl_net_init_default(net, r), "init");
    double Gf, Gd, g2;
    gdl_test_check_rc(gdl_sphere_ng_G(net, m, X, K, Kx, 0, &Gf, &g2), "fast");
    gdl_test_check_rc(gdl_sphere_ng_G(net, m, X, K, NULL, 1, &Gd, NULL), "direct");
    cr_assert(Gd > 0 && fabs(Gf - Gd) <= 1e-10 * Gd, "depth %zu: fast %.15g direct %.15g", depth, Gf, Gd);
    gdl_net_free(net);
  }
  gdl_sphere_poly_free(p);
  free(X); free(K); free(Kx);
  gdl_rng_free(r);
}

Test(sphere, parse_errors) {
  gdl_sphere_poly *p = NULL;
  GDL_EXPECT_FAIL(gdl_sphere_poly_parse("x9", 4, &p), GDL_EPARSE);
  GDL_EXPECT_FAIL(gdl_sphere_poly_parse("x1 x2 +", 4, &p), GDL_EPARSE);
  GDL_EXPECT_FAIL(gdl_sphere_poly_parse("", 4, &p), GDL_EPARSE);
  GDL_EXPECT_FAIL(gdl_sphere_poly_alloc(1, 1, &p), GDL_EINVAL);
  p = parse("-2.5*x1^2*x3 + x2 - 1", 4);
  cr_assert_eq(p->nterms, 3);
  cr_assert_eq(p->coef[0], -2.5);
  cr_assert_eq(p->exps[0], 2);
  cr_assert_eq(p->exps[2], 1);
  cr_assert_eq(p->coef[2], -1.0);
  cr_assert_eq(gdl_sphere_poly_degree(p), 3);
  gdl_sphere_poly_free(p);
}
