/* theorems.equivariance: claim EQ of CLAIMS.md (see equivariance.md).
 *
 * EQ1  The update rule commutes with g: GD, online SGD, noisy GD with l2 clipping, depths
 *      2-4, G = B_n on the cube and O(d) on Gaussian and sphere inputs: max over steps and
 *      test points of |f_B(g x) - f_A(x)| <= 1e-9 (outputs checked finite first). Controls:
 *      Adam and coordinatewise clipping pass B_n and fail O(d) (error > 1e-4).
 * EQ2  The initialisation law is invariant: two-sample KS of f_theta(x) vs f_theta'(g x)
 *      (independent inits, g uniform in the group, x = sqrt(d) e_1), 5000 + 5000 inits.
 *      Pass (p > 1e-7): Gaussian / O(d), Gaussian / B_n, Rademacher / B_n, uniform[0,1] / S_n.
 *      Controls (p < 1e-12): Rademacher / O(d), uniform[0,1] / B_n, hand-placed / S_n.
 * EQ3  In distribution after training: n = 20, |S| = 3, 40 seeds per target: KS of the final
 *      test correlations on chi_S vs chi_pi(S) for the Gaussian-init FCN, p > 1e-8; the
 *      hand-placed learner (first layer on S) learns chi_S better than chi_pi(S) (mean test
 *      correlation higher by > 0.5; KS p < 1e-12: the same test detects a difference in law).
 *
 * Any seed: the pass thresholds (p > 1e-7 for EQ2, 1e-8 for EQ3) make the false-failure
 * probability of each equal-law KS check ~1e-7 or less (analysis in equivariance.md), about
 * 5e-7 < 1e-6 in total; the controls' expected p is < 1e-28 (EQ2) and 6e-19 (EQ3). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "experiments/equivariance.h"
#include "gdl_test.h"

#define P_PASS 1e-7
#define P_PASS_EQ3 1e-8  /* 40 vs 40: Stephens-corrected p is ~3x anti-conservative here */
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

/* ---------------- EQ3 ---------------- */
#define EQ3_SEEDS 40

Test(eq3, trained_predictor_law_invariant_and_handplaced_control) {
  uint64_t seed = gdl_test_seed();
  /* [learner][target][seed]: target 0 = chi_S (x1 x2 x3), 1 = chi_pi(S) (x11 x12 x13) */
  static double corr[2][2][EQ3_SEEDS];
  static int rcs[2][2][EQ3_SEEDS];
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic) collapse(3)
#endif
  for (int hand = 0; hand < 2; hand++)
    for (int t = 0; t < 2; t++)
      for (size_t s = 0; s < EQ3_SEEDS; s++) {
        eq3_config c;
        eq3_config_default(&c, hand, t ? 10 : 0, s);
        rcs[hand][t][s] = eq3_run(&c, seed, &corr[hand][t][s]);
      }
  for (int hand = 0; hand < 2; hand++)
    for (int t = 0; t < 2; t++)
      for (size_t s = 0; s < EQ3_SEEDS; s++)
        cr_assert(rcs[hand][t][s] == GDL_OK && isfinite(corr[hand][t][s]), "EQ3 run %d/%d/%zu failed: %s", hand, t, s,
                  gdl_strerror_last());
  double D, p, Dh, ph;
  cr_assert(gdl_ks2(EQ3_SEEDS, corr[0][0], EQ3_SEEDS, corr[0][1], &D, &p) == GDL_OK);
  cr_assert(gdl_ks2(EQ3_SEEDS, corr[1][0], EQ3_SEEDS, corr[1][1], &Dh, &ph) == GDL_OK);
  double m[2][2];
  for (int h = 0; h < 2; h++)
    for (int t = 0; t < 2; t++) {
      double se;
      gdl_mean_se(EQ3_SEEDS, corr[h][t], &m[h][t], &se);
      printf("EQ3 %-11s on %-9s: mean corr %.4f +- %.4f\n", h ? "hand-placed" : "FCN", t ? "chi_pi(S)" : "chi_S", m[h][t],
             se);
    }
  double minS = INFINITY, maxP = -INFINITY;
  for (size_t s = 0; s < EQ3_SEEDS; s++) {
    minS = fmin(minS, corr[1][0][s]);
    maxP = fmax(maxP, corr[1][1][s]);
  }
  printf("EQ3 FCN KS D=%.3f p=%.3e; hand-placed KS D=%.3f p=%.3e; hand-placed min corr(chi_S) %.4f, max corr(chi_pi(S)) %.4f\n",
         D, p, Dh, ph, minS, maxP);
  char params[200];
  snprintf(params, sizeof params, "n=20, S={1,2,3}, pi(S)={11,12,13}, 20-64-1 relu, online SGD lr 0.05 batch 32, 1500 steps, %d seeds/target",
           EQ3_SEEDS);
  gdl_test_claim("EQ3", "FCN_KS_p_chiS_vs_chipiS", p, ">", P_PASS_EQ3, p > P_PASS_EQ3, seed, params);
  double gapm = m[1][0] - m[1][1];
  gdl_test_claim("EQ3", "handplaced_mean_corr_chiS_minus_chipiS", gapm, ">", 0.5, gapm > 0.5, seed, params);
  gdl_test_claim("EQ3", "handplaced_KS_p_chiS_vs_chipiS", ph, "<", P_CTRL, ph < P_CTRL, seed, params);
}
