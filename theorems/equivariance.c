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
 *      test correlations on chi_S vs chi_pi(S) for the Gaussian-init FCN, p > 1e-7; the
 *      hand-placed learner (first layer on S) learns chi_S better than chi_pi(S) by > 0.5
 *      in every seed pair (and KS p < 1e-12: the same test detects a difference in law).
 *
 * Any seed: the pass thresholds p > 1e-7 make the false-failure probability of each
 * equal-law KS check <= ~1e-7 (asymptotic KS p-value; conservative with ties), 5 such checks
 * in total <= 5e-7 < 1e-6; controls use enough samples that their expected p is < 1e-30. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "equivariance_run.h"

#define P_PASS 1e-7
#define P_CTRL 1e-12

static uint64_t base_seed(void) {
  uint64_t s;
  cr_assert(gdl_seed_from_env(GDL_DEFAULT_SEED, &s) == GDL_OK, "bad GDL_SEED: %s", gdl_strerror_last());
  return s;
}

static void check(const char *claim, const char *name, double measured, const char *rel, double bound,
                  int pass, uint64_t seed, const char *params) {
  char msg[512];
  gdl_fmt_check(msg, sizeof msg, name, measured, rel, bound);
  gdl_claim_record(claim, name, measured, rel, bound, pass, seed, params);
  cr_assert(pass, "%s [%s]", msg, params);
}

/* ---------------- EQ1 ---------------- */
static void eq1_family(eq_setup s, int controls) {
  uint64_t seed = base_seed();
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
#pragma omp parallel for schedule(dynamic) collapse(2)
  for (size_t a = 0; a < na; a++)
    for (size_t dd = 0; dd < 3; dd++) {
      eq1_cfg c;
      eq1_cfg_default(&c, s, algos[a], dd + 2);
      rcs[a][dd] = eq1_pair_run(&c, seed, 1000 * (uint64_t)s + 10 * (uint64_t)algos[a] + dd, NULL, &err[a][dd]);
    }
  for (size_t a = 0; a < na; a++)
    for (size_t dd = 0; dd < 3; dd++) {
      cr_assert(rcs[a][dd] == GDL_OK, "%s %s depth %zu: %s", eq_setup_name(s), eq_algo_name(algos[a]), dd + 2,
                gdl_strerror_last());
      char name[96], params[160];
      snprintf(name, sizeof name, "%s_%s_depth%zu_maxerr", eq_setup_name(s), eq_algo_name(algos[a]), dd + 2);
      snprintf(params, sizeof params, "n=10, width 32 relu, 300 steps, 64 test points, finite outputs checked first");
      printf("EQ1 %-9s %-15s depth %zu: max |f_B(gx) - f_A(x)| = %.3e\n", eq_setup_name(s), eq_algo_name(algos[a]),
             dd + 2, err[a][dd]);
      int od = s != EQ_CUBE_BN;
      if (controls && od) {
        /* the control must fail: coordinatewise rules are not O(d)-equivariant */
        check("EQ1", name, err[a][dd], ">", 1e-4, isfinite(err[a][dd]) && err[a][dd] > 1e-4, seed, params);
      } else {
        check("EQ1", name, err[a][dd], "<=", 1e-9, isfinite(err[a][dd]) && err[a][dd] <= 1e-9, seed, params);
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
typedef enum { INIT_GAUSS = 0, INIT_RADEMACHER, INIT_UNIFORM01, INIT_HAND } eq2_init;
static const char *INIT_NAME[] = {"gaussian", "rademacher", "uniform01", "hand-placed"};
static const char *GROUP_NAME[] = {"S_n", "B_n", "O(d)"};

#define EQ2_D 16
#define EQ2_M 5000

/* Depth-2 net d -> 2 -> 1, tanh, biases N(0, 0.1^2), output weights 1 (the law of the first
 * layer shows through; a wide random readout would average it into a near-Gaussian). */
static double eq2_eval(eq2_init ik, gdl_group_kind gk, int transformed, gsl_rng *r, gdl_net *net,
                       gdl_group_elem *g) {
  size_t d = EQ2_D;
  gdl_init b = {GDL_INIT_GAUSSIAN, 0.1, 0, 0}, one = {GDL_INIT_CONST, 1.0, 0, 0}, zero = {GDL_INIT_ZERO, 0, 0, 0};
  gdl_init w;
  int rc = GDL_OK;
  switch (ik) {
    case INIT_GAUSS: w = (gdl_init){GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)d), 0, 0}; break;
    case INIT_RADEMACHER: w = (gdl_init){GDL_INIT_RADEMACHER, 1.0 / sqrt((double)d), 0, 0}; break;
    case INIT_UNIFORM01: w = (gdl_init){GDL_INIT_UNIFORM, 0, 0.0, 1.0 / sqrt((double)d)}; break;
    default: w = (gdl_init){GDL_INIT_ZERO, 0, 0, 0};
  }
  rc = gdl_net_init_layer(net, 0, w, b, r);
  if (rc == GDL_OK && ik == INIT_HAND) {
    const size_t S[3] = {0, 1, 2};
    rc = gdl_net_init_first_layer_on(net, 3, S, 1.0 / sqrt(3.0), r);
  }
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 1, one, zero, r);
  double x[EQ2_D] = {0}, gx[EQ2_D];
  x[0] = sqrt((double)d);
  const double *in = x;
  if (rc == GDL_OK && transformed) {
    (void)gk;
    rc = gdl_group_random(g, r);
    if (rc == GDL_OK) rc = gdl_group_act_inputs(g, 1, x, gx);
    in = gx;
  }
  double f = NAN;
  if (rc == GDL_OK) rc = gdl_net_forward(net, 1, in, &f);
  return rc == GDL_OK ? f : NAN;
}

static void eq2_case(eq2_init ik, gdl_group_kind gk, int expect_equal) {
  uint64_t seed = base_seed();
  static double s1[EQ2_M], s2[EQ2_M];
  char purpose[64];
  snprintf(purpose, sizeof purpose, "eq2.%d.%d", (int)ik, (int)gk);
#pragma omp parallel
  {
    gdl_net_spec sp;
    size_t h = 2;
    gdl_net *net = NULL;
    gdl_group_elem *g = NULL;
    int ok = gdl_net_spec_mlp(&sp, EQ2_D, 1, &h, 1, GDL_ACT_TANH, 1) == GDL_OK && gdl_net_create(&sp, &net) == GDL_OK &&
             gdl_group_elem_alloc(gk, EQ2_D, &g) == GDL_OK;
#pragma omp for schedule(static)
    for (size_t i = 0; i < 2 * EQ2_M; i++) {
      gsl_rng *r = NULL;
      double f = NAN;
      if (ok && gdl_rng_alloc(seed, purpose, i, &r) == GDL_OK) f = eq2_eval(ik, gk, i >= EQ2_M, r, net, g);
      gdl_rng_free(r);
      if (i < EQ2_M) s1[i] = f;
      else s2[i - EQ2_M] = f;
    }
    gdl_net_free(net);
    gdl_group_elem_free(g);
  }
  for (size_t i = 0; i < EQ2_M; i++) cr_assert(isfinite(s1[i]) && isfinite(s2[i]), "non-finite output at init %zu", i);
  double D, p;
  cr_assert(gdl_ks2(EQ2_M, s1, EQ2_M, s2, &D, &p) == GDL_OK, "%s", gdl_strerror_last());
  char name[96], params[200];
  snprintf(name, sizeof name, "KS_p_%s_under_%s", INIT_NAME[ik], GROUP_NAME[gk]);
  snprintf(params, sizeof params, "f_theta(x) vs f_theta'(g x), x = 4 e1, d=16, net 16-2-1 tanh, %d + %d independent inits, KS D=%.4f",
           EQ2_M, EQ2_M, D);
  printf("EQ2 %-11s under %-4s: D = %.4f, p = %.3e (%s)\n", INIT_NAME[ik], GROUP_NAME[gk], D, p,
         expect_equal ? "invariant" : "control");
  if (expect_equal) check("EQ2", name, p, ">", P_PASS, p > P_PASS, seed, params);
  else check("EQ2", name, p, "<", P_CTRL, p < P_CTRL, seed, params);
}

Test(eq2, gaussian_Od) { eq2_case(INIT_GAUSS, GDL_GROUP_OD, 1); }
Test(eq2, gaussian_Bn) { eq2_case(INIT_GAUSS, GDL_GROUP_BN, 1); }
Test(eq2, rademacher_Bn) { eq2_case(INIT_RADEMACHER, GDL_GROUP_BN, 1); }
Test(eq2, uniform01_Sn) { eq2_case(INIT_UNIFORM01, GDL_GROUP_SN, 1); }
Test(eq2, control_rademacher_Od) { eq2_case(INIT_RADEMACHER, GDL_GROUP_OD, 0); }
Test(eq2, control_uniform01_Bn) { eq2_case(INIT_UNIFORM01, GDL_GROUP_BN, 0); }
Test(eq2, control_handplaced_Sn) { eq2_case(INIT_HAND, GDL_GROUP_SN, 0); }

/* ---------------- EQ3 ---------------- */
#define EQ3_N 20
#define EQ3_SEEDS 40

/* Train on chi_T (T = {t0, t0+1, t0+2}) from the cube, online SGD; final correlation E[f chi_T]
 * on a fresh test sample of 4096 points (drawn per run, so the law is exactly invariant). */
static int eq3_run(int hand, size_t t0, uint64_t seed, uint64_t idx, double *corr) {
  gsl_rng *ri = NULL, *rt = NULL, *rs = NULL;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gdl_target *tgt = NULL;
  gdl_domain dom;
  double *X = NULL, *y = NULL;
  size_t nt = 4096, hidden = 64;
  char poly[64];
  snprintf(poly, sizeof poly, "x%zu*x%zu*x%zu", t0 + 1, t0 + 2, t0 + 3);
  char pur[32];
  snprintf(pur, sizeof pur, "eq3.%d.%zu", hand, t0);
  int rc = gdl_domain_cube(EQ3_N, &dom);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, pur, idx, &ri);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq3.train", 1000 * (uint64_t)t0 + idx + (hand ? 500 : 0), &rt);
  if (rc == GDL_OK) rc = gdl_rng_alloc(seed, "eq3.test", 1000 * (uint64_t)t0 + idx + (hand ? 500 : 0), &rs);
  gdl_net_spec sp;
  if (rc == GDL_OK) rc = gdl_net_spec_mlp(&sp, EQ3_N, 1, &hidden, 1, GDL_ACT_RELU, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &net);
  gdl_init w0 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)EQ3_N), 0, 0}, b0 = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
  gdl_init w1 = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)hidden), 0, 0}, z = {GDL_INIT_ZERO, 0, 0, 0};
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 0, w0, b0, ri);
  if (rc == GDL_OK && hand) {
    const size_t S[3] = {0, 1, 2}; /* the learner "sees" S = {x1, x2, x3} */
    rc = gdl_net_init_first_layer_on(net, 3, S, 1.0, ri);
  }
  if (rc == GDL_OK) rc = gdl_net_init_layer(net, 1, w1, z, ri);
  if (rc == GDL_OK) rc = gdl_target_poly(poly, &tgt);
  gdl_domain_sampler smp = {&dom, tgt, 0.0};
  if (rc == GDL_OK) {
    gdl_train_config tc;
    gdl_train_config_default(&tc);
    tc.loss = GDL_LOSS_SQUARED;
    tc.opt = GDL_OPT_GD;
    tc.lr = 0.05;
    tc.data = GDL_DATA_ONLINE;
    tc.batch = 32;
    tc.steps = 1500;
    gdl_data d = {0};
    d.sample = gdl_sampler_domain_target;
    d.sample_ctx = &smp;
    rc = gdl_trainer_create(net, &tc, &d, rt, &tr);
  }
  if (rc == GDL_OK) rc = gdl_trainer_run(tr);
  if (rc == GDL_OK) {
    X = malloc(nt * EQ3_N * sizeof *X);
    y = malloc(nt * sizeof *y);
    if (!X || !y) rc = gdl_fail(GDL_ENOMEM, "eq3: out of memory");
  }
  if (rc == GDL_OK) rc = gdl_domain_sample(&dom, rs, nt, X, NULL);
  if (rc == GDL_OK) rc = gdl_target_eval(tgt, &dom, nt, X, NULL, y);
  gdl_metrics m;
  if (rc == GDL_OK) rc = gdl_net_metrics(net, nt, X, y, NULL, &m);
  if (rc == GDL_OK) *corr = m.corr;
  free(X);
  free(y);
  gdl_trainer_free(tr);
  gdl_target_free(tgt);
  gdl_net_free(net);
  gdl_rng_free(ri);
  gdl_rng_free(rt);
  gdl_rng_free(rs);
  return rc;
}

Test(eq3, trained_predictor_law_invariant_and_handplaced_control) {
  uint64_t seed = base_seed();
  /* [learner][target][seed]: target 0 = chi_S (x1 x2 x3), 1 = chi_pi(S) (x11 x12 x13) */
  static double corr[2][2][EQ3_SEEDS];
  static int rcs[2][2][EQ3_SEEDS];
#pragma omp parallel for schedule(dynamic) collapse(3)
  for (int hand = 0; hand < 2; hand++)
    for (int t = 0; t < 2; t++)
      for (size_t s = 0; s < EQ3_SEEDS; s++) {
        corr[hand][t][s] = NAN;
        rcs[hand][t][s] = eq3_run(hand, t ? 10 : 0, seed, s, &corr[hand][t][s]);
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
  check("EQ3", "FCN_KS_p_chiS_vs_chipiS", p, ">", P_PASS, p > P_PASS, seed, params);
  check("EQ3", "handplaced_margin_min_chiS_minus_max_chipiS", minS - maxP, ">", 0.5, minS - maxP > 0.5, seed, params);
  check("EQ3", "handplaced_KS_p_chiS_vs_chipiS", ph, "<", P_CTRL, ph < P_CTRL, seed, params);
}
