/* theorems.equivariance: claim EQ of CLAIMS.md (see equivariance.md).
 *
 * EQ1  The update rule commutes with g: GD, online SGD, noisy GD with l2 clipping, depths
 *      2-4, G = B_n on the cube and O(d) on Gaussian and sphere inputs: max over steps and
 *      test points of |f_B(g x) - f_A(x)| <= 1e-9 (outputs checked finite first). Controls:
 *      Adam and coordinatewise clipping pass B_n and fail O(d) (error > 1e-4).
 * EQ2  The initialisation law is invariant: two-sample KS of f_theta(x) vs f_theta'(g x)
 *      (independent inits, g uniform in the group, x = sqrt(d) e_1), 5000 + 5000 inits.
 *      Pass (p > 1e-7): Gaussian / O(d), Gaussian / B_n, Rademacher / B_n, uniform[0,1] / S_n,
 *      Gaussian / S_n. Controls (p < 1e-12), each beside a passing twin that differs only in
 *      the group or the law: Rademacher / O(d) (twin Rademacher / B_n), uniform[0,1] / B_n
 *      (twin uniform / S_n), hand-placed / S_n (twin Gaussian / S_n: the same orbit-averaged
 *      variance of w.x, full support).
 * EQ3  In distribution after training: n = 20, chi_S with S = {1, 2} vs chi_pi(S), pi(S) =
 *      {19, 20} (the last coordinates, where off-by-one errors live); 100 FCN runs per target. d_i = corr_S,i - corr_piS,i is symmetric under the
 *      claim, so the sign-flip statistic T = sum d / sqrt(sum d^2) has P(|T| >= 5.387) <= 1e-6
 *      (Hoeffding, exact for any law): assert |T| < 5.387. Power: the same sample with the
 *      chi_pi(S) law shifted by -+0.1 must give |T| > 5.387 (normal-approximation power at the
 *      measured SD ~0.06: > 0.9999). The FCN's own level: mean corr - 4 SE > 0.5 on both.
 *      Twin control (first layer N(0, 1/2) on S only: the same pre-activation law N(0, 1) at
 *      every cube point, only the support differs; 64 runs per target): mean gap - 4 SE > 0.5
 *      and T > 5.387.
 *
 * Any seed: the KS thresholds (p > 1e-7 for EQ2) make the false-failure probability of each
 * equal-law KS check ~1e-7 or less (analysis in equivariance.md); EQ3's symmetric test fails
 * with probability <= 1e-6 by construction; the controls' expected p is < 1e-28 (EQ2). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include "experiments/equivariance.h"
#include "gdl_test.h"

#define P_PASS 1e-7
#define P_CTRL 1e-12

/* ---------------- EQ1 ---------------- */
static void eq1_family(eq_setup s, int controls) {
  uint64_t seed = gdl_test_seed();
  eq_algo algos[3];
  size_t na;
  if (controls) {
    algos[0] = EQ_ADAM;
    algos[1] = EQ_COORDCLIP;
    na = 2;
  } else {
    algos[0] = EQ_GD;
    algos[1] = EQ_SGD;
    algos[2] = EQ_NOISY;
    na = 3;
  }
  double err[3][3];
  int rcs[3][3];
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic) collapse(2)
#endif
  for (size_t a = 0; a < na; a++)
    for (size_t dd = 0; dd < 3; dd++) {
      eq1_config c;
      eq1_config_default(&c, s, algos[a], dd + 2);
      rcs[a][dd] = eq1_run(&c, seed, NULL, &err[a][dd]);
    }
  for (size_t a = 0; a < na; a++)
    for (size_t dd = 0; dd < 3; dd++) {
      cr_assert(rcs[a][dd] == GDL_OK, "%s %s depth %zu: %s", eq_setup_name(s), eq_algo_name(algos[a]), dd + 2,
                gdl_strerror_last());
      char name[96], params[160];
      snprintf(name, sizeof name, "%s_%s_depth%zu_maxerr", eq_setup_name(s), eq_algo_name(algos[a]), dd + 2);
      eq1_config c;
      eq1_config_default(&c, s, algos[a], dd + 2);
      snprintf(params, sizeof params, "n=%zu, width %zu tanh, lr %g, %zu steps, %zu test points, finite outputs checked first",
               c.n, c.width, c.lr, c.steps, c.ntest);
      printf("EQ1 %-9s %-15s depth %zu: max |f_B(gx) - f_A(x)| = %.3e\n", eq_setup_name(s), eq_algo_name(algos[a]),
             dd + 2, err[a][dd]);
      if (!eq1_expect_equivariant(s, algos[a])) {
        /* the control must fail: coordinatewise rules are not O(d)-equivariant */
        gdl_test_claim("EQ1", name, err[a][dd], ">", 1e-4, isfinite(err[a][dd]) && err[a][dd] > 1e-4, seed, params);
      } else {
        gdl_test_claim("EQ1", name, err[a][dd], "<=", 1e-9, isfinite(err[a][dd]) && err[a][dd] <= 1e-9, seed, params);
      }
    }
}

Test(eq1, cube_Bn_equivariant) { eq1_family(EQ_CUBE_BN, 0); }
Test(eq1, gauss_Od_equivariant) { eq1_family(EQ_GAUSS_OD, 0); }
Test(eq1, sphere_Od_equivariant) { eq1_family(EQ_SPHERE_OD, 0); }
Test(eq1, control_coordinatewise_pass_Bn) { eq1_family(EQ_CUBE_BN, 1); }
Test(eq1, control_coordinatewise_fail_Od_gauss) { eq1_family(EQ_GAUSS_OD, 1); }
Test(eq1, control_coordinatewise_fail_Od_sphere) { eq1_family(EQ_SPHERE_OD, 1); }

/* ---------------- EQ2 ---------------- */
static void eq2_case(size_t k) {
  uint64_t seed = gdl_test_seed();
  eq2_config c;
  eq2_config_case(&c, k);
  eq2_result r;
  gdl_test_check_rc(eq2_run(&c, seed, NULL, NULL, &r), "eq2_run");
  cr_assert(r.nonfinite == 0, "%zu non-finite outputs", r.nonfinite);
  char name[96], params[200];
  snprintf(name, sizeof name, "KS_p_%s_under_%s", eq2_init_name(c.init), eq2_group_name(c.group));
  snprintf(params, sizeof params, "f_theta(x) vs f_theta'(g x), x = 4 e1, d=%zu, net %zu-%zu-1 tanh, %zu + %zu independent inits, KS D=%.4f",
           c.d, c.d, c.hidden, c.m, c.m, r.D);
  printf("EQ2 %-11s under %-4s: D = %.4f, p = %.3e (%s)\n", eq2_init_name(c.init), eq2_group_name(c.group), r.D, r.p,
         c.expect_equal ? "invariant" : "control");
  if (c.expect_equal) gdl_test_claim("EQ2", name, r.p, ">", P_PASS, r.p > P_PASS, seed, params);
  else gdl_test_claim("EQ2", name, r.p, "<", P_CTRL, r.p < P_CTRL, seed, params);
}

Test(eq2, gaussian_Od) { eq2_case(0); }
Test(eq2, gaussian_Bn) { eq2_case(1); }
Test(eq2, rademacher_Bn) { eq2_case(2); }
Test(eq2, uniform01_Sn) { eq2_case(3); }
Test(eq2, control_rademacher_Od) { eq2_case(4); }
Test(eq2, control_uniform01_Bn) { eq2_case(5); }
Test(eq2, control_handplaced_Sn) { eq2_case(6); }
Test(eq2, gaussian_Sn_twin_of_handplaced) { eq2_case(7); }

/* ---------------- EQ3 ---------------- */
#define EQ3_ALPHA 1e-6 /* false-failure probability of the symmetric test under the claim */
#define EQ3_SHIFT 0.1  /* the shift of the correlation law the test must detect */
#define EQ3_LEVEL 0.5  /* the FCN learns chi_S and chi_pi(S): mean corr - 4 SE above this */

/* runs R runs of (hand, target) into corr[R]; returns the first failure */
static int eq3_runs(int hand, const size_t t0[2], size_t R, uint64_t seed, double *corr[2]) {
  int rc_all = GDL_OK;
  const long long total = 2 * (long long)R;
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic)
#endif
  for (long long q = 0; q < total; q++) {
    size_t t = (size_t)q / R, r = (size_t)q % R;
    eq3_config c;
    eq3_config_default(&c, hand, t0[t], r);
    int rc = eq3_run(&c, seed, &corr[t][r]);
    if (rc == GDL_OK && !isfinite(corr[t][r])) rc = gdl_fail(GDL_EDIVERGED, "EQ3 run %zu/%zu: corr not finite", t, r);
    if (rc != GDL_OK) {
#ifdef GDL_HAVE_OPENMP
#pragma omp critical(eq3_runs)
#endif
      rc_all = rc;
    }
  }
  return rc_all;
}

Test(eq3, trained_predictor_law_invariant_and_handplaced_twin) {
  uint64_t seed = gdl_test_seed();
  equivariance_config cfg;
  equivariance_config_default(&cfg);
  const size_t N = cfg.eq3_runs, Nh = cfg.eq3_runs_hand;
  double *buf = malloc(2 * (N + Nh) * sizeof *buf);
  cr_assert(buf != NULL);
  double *fcn[2] = {buf, buf + N}, *hnd[2] = {buf + 2 * N, buf + 2 * N + Nh};
  gdl_test_check_rc(eq3_runs(0, cfg.eq3_t0, N, seed, fcn), "EQ3 FCN runs");
  gdl_test_check_rc(eq3_runs(1, cfg.eq3_t0, Nh, seed, hnd), "EQ3 hand-placed runs");
  double m[2][2], se[2][2];
  for (int h = 0; h < 2; h++)
    for (int t = 0; t < 2; t++) {
      gdl_mean_se(h ? Nh : N, h ? hnd[t] : fcn[t], &m[h][t], &se[h][t]);
      printf("EQ3 %-11s on %-9s: mean corr %.4f +- %.4f (%zu runs)\n", h ? "hand-placed" : "FCN",
             t ? "chi_pi(S)" : "chi_S", m[h][t], se[h][t], h ? Nh : N);
    }
  const double c = eq3_sym_threshold(EQ3_ALPHA);
  double T, Tup, Tdown, Th, md, sed;
  double *d = malloc(N * sizeof *d);
  cr_assert(d != NULL);
  for (size_t i = 0; i < N; i++) d[i] = fcn[0][i] - fcn[1][i];
  gdl_mean_se(N, d, &md, &sed);
  const double sd = sed * sqrt((double)N), dl = EQ3_SHIFT;
  gdl_test_check_rc(eq3_sym_test(N, fcn[0], fcn[1], 0.0, &T), "symmetric test");
  gdl_test_check_rc(eq3_sym_test(N, fcn[0], fcn[1], dl, &Tup), "symmetric test, shifted");
  gdl_test_check_rc(eq3_sym_test(N, fcn[0], fcn[1], -dl, &Tdown), "symmetric test, shifted");
  gdl_test_check_rc(eq3_sym_test(Nh, hnd[0], hnd[1], 0.0, &Th), "symmetric test, twin");
  /* normal-approximation power against a shift dl at the measured SD (theorems/equivariance.md) */
  double power = gsl_cdf_ugaussian_P((sqrt((double)N) * dl - c * sqrt(sd * sd + dl * dl)) / sd);
  printf("EQ3 FCN: d = corr(chi_S) - corr(chi_pi(S)): mean %.4f, SD %.4f; T = %.3f (pass |T| < %.3f); "
         "shifted by +-%.1f: T = %.3f, %.3f; power at this SD %.6f. Twin: T = %.3f\n",
         md, sd, T, c, dl, Tup, Tdown, power, Th);
  char params[256];
  eq3_config e;
  eq3_config_default(&e, 0, 0, 0);
  snprintf(params, sizeof params,
           "n=%zu, S={1,2}, pi(S)={%zu,%zu}, %zu-%zu-1 relu, online SGD lr %g batch %zu, %zu steps, %zu FCN runs and %zu twin runs per target",
           e.n, cfg.eq3_t0[1] + 1, cfg.eq3_t0[1] + 2, e.n, e.hidden, e.lr, e.batch, e.steps, N, Nh);
  /* the FCN learns both targets (so the equality is not 0 = 0) */
  gdl_test_claim("EQ3", "FCN_mean_corr_chiS_minus_4SE", m[0][0] - 4 * se[0][0], ">", EQ3_LEVEL,
                 m[0][0] - 4 * se[0][0] > EQ3_LEVEL, seed, params);
  gdl_test_claim("EQ3", "FCN_mean_corr_chipiS_minus_4SE", m[0][1] - 4 * se[0][1], ">", EQ3_LEVEL,
                 m[0][1] - 4 * se[0][1] > EQ3_LEVEL, seed, params);
  /* equal laws: |T| < c fails with probability <= 1e-6 under the claim, for any law */
  gdl_test_claim("EQ3", "FCN_sym_test_abs_T", fabs(T), "<", c, fabs(T) < c, seed, params);
  /* power, on this sample: the law of corr(chi_pi(S)) shifted by -+0.1 is rejected */
  gdl_test_claim("EQ3", "FCN_sym_test_T_shift_plus_0.1", Tup, ">", c, Tup > c, seed, params);
  gdl_test_claim("EQ3", "FCN_sym_test_T_shift_minus_0.1", -Tdown, ">", c, -Tdown > c, seed, params);
  /* the twin (first layer supported on S, same pre-activation law) prefers chi_S, and the same
   * test sees it */
  double gap = m[1][0] - m[1][1], gse = sqrt(se[1][0] * se[1][0] + se[1][1] * se[1][1]);
  gdl_test_claim("EQ3", "twin_mean_corr_gap_minus_4SE", gap - 4 * gse, ">", 0.5, gap - 4 * gse > 0.5, seed, params);
  gdl_test_claim("EQ3", "twin_sym_test_T", Th, ">", c, Th > c, seed, params);
  free(d);
  free(buf);
}
