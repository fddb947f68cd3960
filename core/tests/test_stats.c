/* core.stats: means with SE, OLS with SEs (gsl_fit_linear), log-log fits, two-sample KS,
 * the cross-fitted squared norm and the assertion-message helper, against known values.
 * - OLS: an exact line gives its slope and SE ~ 0; a 5-point data set with hand-computed
 *   slope 0.8, intercept 0.6, SE(slope) = sqrt(0.12), R^2 = 0.64.
 * - KS: identical samples give D = 0, p = 1; integer shifts give D = k/n exactly, and the
 *   p-value crosses the tabulated Kolmogorov critical values lambda_0.05 = 1.3581 and
 *   lambda_0.01 = 1.6276 exactly between the shifts that straddle them; a far shift gives a
 *   tiny p (the control that the test can reject), as does a 1-SD shift of a Gaussian sample. Type-I check: two independent samples
 *   from the same law give p > 1e-6 (probability of failure <= 1e-6 by construction of p).
 * - cross-fit: unbiased for ||E v||^2 (Monte Carlo, 5 SE), and no finite-sample floor: with
 *   E v = 0 the mean estimate is 0 within 5 SE, while the naive ||mean||^2 is biased up. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "gdl/error.h"
#include "gdl/rng.h"
#include "gdl/stats.h"
#include "gdl_test.h"

Test(stats, mean_se) {
  const double x[] = {1, 2, 3, 4, 5};
  double m, se;
  cr_assert(gdl_mean_se(5, x, &m, &se) == GDL_OK);
  cr_assert(fabs(m - 3) < 1e-15 && fabs(se - sqrt(0.5)) < 1e-15, "mean %g se %g", m, se);
  cr_assert(gdl_mean_se(1, x, &m, &se) == GDL_EINVAL);
  cr_assert(gdl_mean_se(1, x, &m, NULL) == GDL_OK && m == 1);
  const double bad[] = {1, NAN};
  cr_assert(gdl_mean_se(2, bad, &m, &se) == GDL_EINVAL);
}

Test(stats, ols_known_values) {
  const double x[] = {1, 2, 3, 4, 5}, y[] = {1, 3, 2, 5, 4};
  gdl_fit f;
  cr_assert(gdl_fit_linear(5, x, y, &f) == GDL_OK);
  cr_assert(fabs(f.slope - 0.8) < 1e-14, "slope %.17g", f.slope);
  cr_assert(fabs(f.intercept - 0.6) < 1e-14, "intercept %.17g", f.intercept);
  cr_assert(fabs(f.se_slope - sqrt(0.12)) < 1e-14, "se_slope %.17g vs %.17g", f.se_slope, sqrt(0.12));
  /* se_intercept^2 = s^2 (1/n + xbar^2/Sxx) = 1.2 (0.2 + 0.9) = 1.32 */
  cr_assert(fabs(f.se_intercept - sqrt(1.32)) < 1e-14, "se_intercept %.17g", f.se_intercept);
  cr_assert(fabs(f.r2 - 0.64) < 1e-14, "r2 %.17g", f.r2);
  double ly[6], lx[6];
  for (int i = 0; i < 6; i++) {
    lx[i] = 2.0 + i;
    ly[i] = -1.5 + 2.5 * lx[i];
  }
  cr_assert(gdl_fit_linear(6, lx, ly, &f) == GDL_OK);
  cr_assert(fabs(f.slope - 2.5) < 1e-13 && f.se_slope < 1e-12, "exact line: slope %g se %g", f.slope, f.se_slope);
  for (int i = 0; i < 6; i++) {
    lx[i] = pow(2.0, i + 1);
    ly[i] = 5.0 * pow(lx[i], -0.5);
  }
  cr_assert(gdl_fit_loglog(6, lx, ly, &f) == GDL_OK);
  cr_assert(fabs(f.slope + 0.5) < 1e-13 && fabs(f.intercept - log(5.0)) < 1e-12, "loglog slope %g", f.slope);
  ly[2] = -1;
  cr_assert(gdl_fit_loglog(6, lx, ly, &f) == GDL_EINVAL);
  cr_assert(gdl_fit_linear(2, lx, ly, &f) == GDL_EINVAL);
}

/* KS on the integer grids {1..n} and {1+k..n+k}: D = k/n exactly. */
static double ks_shift(size_t n, size_t k, double *D) {
  double *a = malloc(n * 8), *b = malloc(n * 8), p;
  for (size_t i = 0; i < n; i++) {
    a[i] = (double)(i + 1);
    b[i] = (double)(i + 1 + k);
  }
  cr_assert(gdl_ks2(n, a, n, b, D, &p) == GDL_OK);
  free(a);
  free(b);
  return p;
}

Test(stats, ks_known_values) {
  double D, p;
  double x[50];
  for (int i = 0; i < 50; i++) x[i] = i % 7; /* with ties */
  cr_assert(gdl_ks2(50, x, 50, x, &D, &p) == GDL_OK);
  cr_assert(D == 0 && p == 1.0, "identical samples: D=%g p=%g", D, p);
  /* n = 1000 each: ne = 500, lambda = (sqrt(500) + 0.12 + 0.11/sqrt(500)) * k / 1000 */
  size_t n = 1000;
  double p60 = ks_shift(n, 60, &D);
  cr_assert(fabs(D - 0.06) < 1e-15, "D = %g", D);
  double p61 = ks_shift(n, 61, &D);
  cr_assert(p60 > 0.05 && p61 < 0.05, "5%% critical value 1.3581: p(lambda=1.349) = %g, p(lambda=1.372) = %g", p60, p61);
  double p72 = ks_shift(n, 72, &D), p73 = ks_shift(n, 73, &D);
  cr_assert(p72 > 0.01 && p73 < 0.01, "1%% critical value 1.6276: p(1.619) = %g, p(1.641) = %g", p72, p73);
  /* k = 45: the p-value is the Kolmogorov tail Q(lambda) = 2 sum_j (-1)^{j-1} exp(-2 j^2 lambda^2)
   * at lambda = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) D, here summed independently (200 terms). */
  double lam_fac = sqrt(500.0) + 0.12 + 0.11 / sqrt(500.0), q = 0;
  for (int j = 1; j <= 200; j++) q += 2 * ((j & 1) ? 1 : -1) * exp(-2.0 * j * j * pow(lam_fac * 0.045, 2));
  double p45 = ks_shift(n, 45, &D);
  cr_assert(fabs(p45 - q) < 1e-8, "p(k=45) = %.12g vs Kolmogorov series %.12g", p45, q);
  /* control: a far shift is rejected */
  double pfar = ks_shift(n, 200, &D);
  cr_assert(pfar < 1e-12, "shift 0.2: p = %g should be tiny", pfar);
  cr_assert(gdl_ks2(0, x, 5, x, &D, &p) == GDL_EINVAL);
}

Test(stats, ks_same_law_not_rejected) {
  gsl_rng *r = gdl_test_rng("test_stats.ks", 0);
  size_t n = 400;
  double *a = malloc(n * 8), *b = malloc(n * 8), D, p;
  gdl_rng_gaussian(r, 1.0, n, a);
  gdl_rng_gaussian(r, 1.0, n, b);
  cr_assert(gdl_ks2(n, a, n, b, &D, &p) == GDL_OK);
  cr_assert(p > 1e-6, "same law: p = %g (D = %g)", p, D);
  for (size_t i = 0; i < n; i++) b[i] += 1.0; /* control: shifted by one SD (D ~ 0.38, p ~ 1e-25) */
  cr_assert(gdl_ks2(n, a, n, b, &D, &p) == GDL_OK);
  cr_assert(p < 1e-6, "shifted law: p = %g (D = %g) should be < 1e-6", p, D);
  free(a);
  free(b);
  gdl_rng_free(r);
}

Test(stats, crossfit_unbiased) {
  gsl_rng *r = gdl_test_rng("test_stats.crossfit", 0);
  size_t P = 20, nb = 10, reps = 4000;
  double mu[20];
  for (size_t j = 0; j < P; j++) mu[j] = (j < 4) ? 0.25 : 0.0; /* ||mu||^2 = 0.25 */
  double *A = malloc(nb * P * 8), *B = malloc(nb * P * 8), *est = malloc(reps * 8), *est0 = malloc(reps * 8),
         *naive0 = malloc(reps * 8);
  for (size_t t = 0; t < reps; t++) {
    gdl_rng_gaussian(r, 1.0, nb * P, A);
    gdl_rng_gaussian(r, 1.0, nb * P, B);
    est0[t] = gdl_crossfit_sqnorm(nb, A, nb, B, P);
    naive0[t] = gdl_crossfit_sqnorm(nb, A, nb, A, P); /* ||mean(A)||^2: floor P/nb */
    for (size_t i = 0; i < nb; i++)
      for (size_t j = 0; j < P; j++) {
        A[i * P + j] += mu[j];
        B[i * P + j] += mu[j];
      }
    est[t] = gdl_crossfit_sqnorm(nb, A, nb, B, P);
  }
  double m, se, m0, se0, mn, sen;
  gdl_mean_se(reps, est, &m, &se);
  gdl_mean_se(reps, est0, &m0, &se0);
  gdl_mean_se(reps, naive0, &mn, &sen);
  cr_assert(fabs(m - 0.25) < 5 * se, "cross-fit mean %g vs 0.25 (5 SE = %g)", m, 5 * se);
  cr_assert(fabs(m0) < 5 * se0, "cross-fit with zero mean: %g (5 SE = %g)", m0, 5 * se0);
  cr_assert(mn > 5 * sen + 0.0, "control: naive estimate %g should show its floor P/n = %g", mn, (double)P / nb);
  cr_assert(isnan(gdl_crossfit_sqnorm(0, A, nb, B, P)));
  free(A); free(B); free(est); free(est0); free(naive0);
  gdl_rng_free(r);
}

Test(stats, fmt_check) {
  char buf[256];
  gdl_fmt_check(buf, sizeof buf, "Var", 0.5, "<=", 1.0);
  cr_assert(strstr(buf, "measured=0.5") && strstr(buf, "bound=1") && strstr(buf, "margin 0.5") && !strstr(buf, "VIOLATED"), "%s", buf);
  gdl_fmt_check(buf, sizeof buf, "corr", 0.2, ">=", 0.5);
  cr_assert(strstr(buf, "VIOLATED"), "%s", buf);
}
