/* theorems/weak_learning.c: claim WL (theorems/weak_learning.md); the experiment is
 * experiments/weak_learning.{h,c}.
 *
 * WL1  hypercube n = 20, depth-2 ReLU random features (512 units, last layer by ridge),
 *      20 000 train / 20 000 test, WL_REPS replicates per case: k <= 3 weak-learned by Gaussian
 *      and Rademacher first layers, k = 10 by neither, k in {19, 20} by the Rademacher layer
 *      only; twin: the same learner with its first layer restricted to the coordinates of S
 *      learns k = 10 (both layers). Twins use the same draws, the weights on S rescaled by
 *      sqrt(n/k) so that each unit's pre-activation keeps its law.
 * WL2  sphere d = 20, Gaussian features, target prod_{i in S} x_i: corr > 0.5 for k <= 2, not
 *      learned for k in {5, 6, 8}; twin (features restricted to S) learns k = 5.
 * WL3  depth 2, 3, 4 tanh FCNs trained on all layers by noisy GD at equal budget on a panel:
 *      the set of weak-learned targets is the same at every depth and no depth exceeds the NG
 *      bound on any target (on the learned ones the correlation exceeds sqrt(lambda), so the
 *      bound's G-term is needed there).
 * Learned: mean - 4 SE over the replicates above the threshold. Not learned: the root mean
 * square of z = corr / se0 over the replicates (se0: the correlation's standard error under
 * "no signal", estimated on the test sample) below sqrt(chi2_{1-1e-6}(s) / s), the level that
 * a predictor with no signal exceeds with probability 1e-6 (weak_learning.md). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiments/weak_learning.h"
#include "gdl/gdl.h"
#include "gdl_test.h"

#define WL_REPS 5      /* replicates per WL1/WL2 case */
#define WL_DELTA 1e-6  /* failure probability of a "not learned" assertion */

/* ---------------- WL1 / WL2 ---------------- */
typedef struct { size_t k; wl_init init; int twin, expect; } wl_case; /* expect: 1 learned, 0 not */

/* learn_thr: the section's "learned" threshold; a twin is asserted weak-learned (10/sqrt(m)) */
static void run_cases(int sphere, const wl_case *cases, size_t nc, double learn_thr, uint64_t seed) {
  size_t nr = nc * WL_REPS;
  double *corr = malloc(nr * sizeof *corr), *z = malloc(nr * sizeof *z);
  wl_rf_result *res = malloc(nr * sizeof *res);
  int *rcs = malloc(nr * sizeof *rcs);
  cr_assert(corr && z && res && rcs);
  wl_rf_config c0;
  wl_rf_config_default(&c0, sphere);
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t j = 0; j < nr; j++) {
    wl_rf_config c = c0;
    c.k = cases[j / WL_REPS].k;
    c.init = cases[j / WL_REPS].init;
    c.twin = cases[j / WL_REPS].twin;
    c.rep = j % WL_REPS;
    rcs[j] = wl_rf_run(&c, seed, &res[j]);
  }
  for (size_t j = 0; j < nr; j++) {
    gdl_test_check_rc(rcs[j], "WL run");
    corr[j] = res[j].corr;
    z[j] = res[j].corr / res[j].se0;
  }
  const double m = (double)c0.mtest, null_thr = wl_null_rms_threshold(WL_REPS, WL_DELTA);
  for (size_t i = 0; i < nc; i++) {
    const double *v = corr + i * WL_REPS;
    double mean, se, ss = 0.0;
    gdl_test_check_rc(gdl_mean_se(WL_REPS, v, &mean, &se), "mean_se");
    for (size_t r = 0; r < WL_REPS; r++) ss += z[i * WL_REPS + r] * z[i * WL_REPS + r];
    double rms = sqrt(ss / WL_REPS);
    char chk[80], params[400];
    snprintf(params, sizeof params,
             "%s n=%zu units=%zu %s first layer%s, ridge rho_rel=%g, m_train=%zu m_test=%zu, k=%zu, %d reps: "
             "corr %.4g %.4g %.4g %.4g %.4g, sqrt(m)*se0 %.3g",
             sphere ? "sphere" : "cube", c0.n, c0.units, wl_init_name(cases[i].init),
             cases[i].twin ? " restricted to S (non-equivariant twin)" : "", c0.rho_rel, c0.mtrain, (size_t)m,
             cases[i].k, WL_REPS, v[0], v[1], v[2], v[3], v[4], sqrt(m) * res[i * WL_REPS].se0);
    const char *tag = sphere ? "WL2" : "WL1", *tw = cases[i].twin ? "_twin" : "";
    if (cases[i].expect) {
      double lhs = mean - WL_NSTD * se, thr = cases[i].twin ? 10.0 / sqrt(m) : learn_thr;
      snprintf(chk, sizeof chk, "%s_learned_k%zu_%s%s", tag, cases[i].k, wl_init_name(cases[i].init), tw);
      gdl_test_claim("WL", chk, lhs, ">", thr, lhs > thr, seed, params);
    } else {
      snprintf(chk, sizeof chk, "%s_not_learned_k%zu_%s%s", tag, cases[i].k, wl_init_name(cases[i].init), tw);
      gdl_test_claim("WL", chk, rms, "<", null_thr, rms < null_thr, seed, params);
    }
  }
  free(corr);
  free(z);
  free(res);
  free(rcs);
}

Test(weak_learning, WL1_hypercube, .timeout = 900) {
  static const wl_case cases[] = {
      {1, WL_INIT_GAUSSIAN, 0, 1},   {1, WL_INIT_RADEMACHER, 0, 1},  {2, WL_INIT_GAUSSIAN, 0, 1},
      {2, WL_INIT_RADEMACHER, 0, 1}, {3, WL_INIT_GAUSSIAN, 0, 1},    {3, WL_INIT_RADEMACHER, 0, 1},
      {10, WL_INIT_GAUSSIAN, 0, 0},  {10, WL_INIT_RADEMACHER, 0, 0}, {19, WL_INIT_GAUSSIAN, 0, 0},
      {19, WL_INIT_RADEMACHER, 0, 1}, {20, WL_INIT_GAUSSIAN, 0, 0},  {20, WL_INIT_RADEMACHER, 0, 1},
      /* the twins of the k = 10 cases: the same draws, first layer restricted to S */
      {10, WL_INIT_GAUSSIAN, 1, 1},  {10, WL_INIT_RADEMACHER, 1, 1},
  };
  run_cases(0, cases, sizeof cases / sizeof cases[0], 10.0 / sqrt(20000.0), gdl_test_seed());
}

Test(weak_learning, WL2_sphere, .timeout = 900) {
  static const wl_case cases[] = {
      {1, WL_INIT_GAUSSIAN, 0, 1}, {2, WL_INIT_GAUSSIAN, 0, 1}, {5, WL_INIT_GAUSSIAN, 0, 0},
      {6, WL_INIT_GAUSSIAN, 0, 0}, {8, WL_INIT_GAUSSIAN, 0, 0},
      /* the twin of the k = 5 case (at k = 6, 8 the twin of this width does not learn either:
       * 0.05-0.16 and ~0, a capacity limit; weak_learning.md) */
      {5, WL_INIT_GAUSSIAN, 1, 1},
  };
  run_cases(1, cases, sizeof cases / sizeof cases[0], 0.5, gdl_test_seed());
}

/* ---------------- WL3 ---------------- */
Test(weak_learning, WL3_depth, .timeout = 900) {
  uint64_t seed = gdl_test_seed();
  wl3_config c;
  wl3_config_default(&c);
  wl3_result R;
  gdl_test_check_rc(wl3_run(&c, seed, &R), "wl3_run");
  int nt = 0;
  const wl3_target *panel = wl3_panel(&nt);
  for (int di = 0; di < WL3_NDEPTH; di++) {
    size_t dep = c.depths[di];
    for (int t = 0; t < nt; t++) {
      char chk[96], params[320];
      snprintf(params, sizeof params,
               "n=%u depth=%zu target=%s tanh width=%zu lr=%g tau=%g T=%zu seeds=%d: mean corr=%.4g se=%.2g "
               "(learned iff mean-4SE>=%g, not iff mean|corr|+4SE<=%g)",
               c.n, dep, panel[t].name, c.width, c.lr, c.tau, c.steps, c.nseeds, R.mean[di][t], R.se[di][t],
               c.learn_thr, c.null_thr);
      snprintf(chk, sizeof chk, "WL3_decided_d%zu_%s", dep, panel[t].name);
      gdl_test_claim("WL", chk, R.cls[di][t], ">=", 0, R.cls[di][t] >= 0, seed, params);
      /* the NG bound holds for every target (mean|corr| + 4 SE against the junk sum at -4 SE) */
      double lhs = R.amean[di][t] + WL_NSTD * R.ase[di][t];
      snprintf(params, sizeof params, "n=%u depth=%zu target=%s: sqrt(lambda)=%.4g bound=%.4g (junk sum -4 SE: %.4g)",
               c.n, dep, panel[t].name, R.sqrt_lambda[t], R.bound[di][t], R.bound_lo[di][t]);
      snprintf(chk, sizeof chk, "WL3_NG_bound_d%zu_%s", dep, panel[t].name);
      gdl_test_claim("WL", chk, lhs, "<=", R.bound_lo[di][t], lhs <= R.bound_lo[di][t], seed, params);
      /* bound / measured where learning happens (not asserted: the bound is vacuous there, see
       * weak_learning.md "WL3 and the scale of the NG bound") */
      if (R.cls[di][t] == 1)
        cr_log_info("WL3 d%zu %s: bound/mean = %.3g (bound %.4g, mean %.4g, sqrt(lambda) %.4g)", dep, panel[t].name,
                    R.bound[di][t] / R.mean[di][t], R.bound[di][t], R.mean[di][t], R.sqrt_lambda[t]);
    }
  }
  /* the same set at every depth */
  for (int t = 0; t < nt; t++) {
    int same = R.cls[0][t] == R.cls[1][t] && R.cls[1][t] == R.cls[2][t];
    char chk[96], params[160];
    snprintf(params, sizeof params, "target=%s: learned at depth 2/3/4 = %d/%d/%d (1 learned, 0 not)", panel[t].name,
             R.cls[0][t], R.cls[1][t], R.cls[2][t]);
    snprintf(chk, sizeof chk, "WL3_same_at_every_depth_%s", panel[t].name);
    gdl_test_claim("WL", chk, same, "==", 1, same, seed, params);
  }
  /* control: the panel is not trivial, something is learned and something is not */
  int nlearn = 0, nnot = 0;
  for (int t = 0; t < nt; t++) {
    nlearn += R.cls[0][t] == 1;
    nnot += R.cls[0][t] == 0;
  }
  gdl_test_claim("WL", "WL3_control_panel_splits", nlearn >= 1 && nnot >= 1, "==", 1, nlearn >= 1 && nnot >= 1, seed,
                 "at least one learned and one not-learned target at depth 2");
}
