/* theorems/weak_learning.c: claim WL (theorems/weak_learning.md).
 *
 * WL1  hypercube n = 20, depth-2 ReLU random features (512 units, last layer by ridge),
 *      20 000 train / 20 000 test: k <= 3 weak-learned by Gaussian and Rademacher first
 *      layers (corr > 10/sqrt(m)), k = 10 by neither (|corr| < 5/sqrt(m)), k in {19, 20} by
 *      the Rademacher layer only.
 * WL2  sphere d = 20, Gaussian features, target prod_{i<=k} x_i: corr > 0.5 for k <= 2,
 *      |corr| < 5/sqrt(m) (= 0.035) for k >= 5.
 * WL3  depth 2, 3, 4 tanh FCNs trained on all layers by noisy GD at equal budget on a panel:
 *      the set of weak-learned targets is the same at every depth, and no depth exceeds the
 *      NG bound on the middle-degree targets.
 * The "not learned" thresholds are 5 standard deviations of a test correlation that has no
 * signal (SD 1/sqrt(m) for the Pearson correlation on m fresh test points): failure
 * probability 5.7e-7 per assertion. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>
#include "gdl/gdl.h"
#include "gdl_test.h"
#include "weak_learning_lib.h"

#define NSTD NG_NSTD

/* ---------------- WL1 / WL2 ---------------- */
typedef struct { size_t k; wl_init init; int expect; } wl_case; /* expect: 1 learned, 0 not */

static void run_cases(const wl_cfg *c, const wl_case *cases, size_t nc, const char *tag, double learn_thr,
                      double null_thr, uint64_t seed) {
  double *corr = malloc(nc * sizeof *corr);
  int *rcs = malloc(nc * sizeof *rcs);
  cr_assert(corr && rcs);
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t i = 0; i < nc; i++) {
    char p[64];
    snprintf(p, sizeof p, "WL/%s/%s/k%zu", tag, wl_init_name(cases[i].init), cases[i].k);
    rcs[i] = wl_run(c, cases[i].init, cases[i].k, seed, p, 0, &corr[i]);
  }
  for (size_t i = 0; i < nc; i++) gdl_test_check_rc(rcs[i], "WL run");
  for (size_t i = 0; i < nc; i++) {
    char chk[64], params[200];
    snprintf(params, sizeof params, "%s n=%zu units=%zu %s first layer, ridge rho_rel=%g, m_train=%zu m_test=%zu, k=%zu",
             c->sphere ? "sphere" : "cube", c->n, c->units, wl_init_name(cases[i].init), c->rho_rel, c->mtrain,
             c->mtest, cases[i].k);
    if (cases[i].expect) {
      snprintf(chk, sizeof chk, "%s_learned_k%zu_%s", tag, cases[i].k, wl_init_name(cases[i].init));
      gdl_test_claim("WL", chk, corr[i], ">", learn_thr, corr[i] > learn_thr, seed, params);
    } else {
      snprintf(chk, sizeof chk, "%s_not_learned_k%zu_%s", tag, cases[i].k, wl_init_name(cases[i].init));
      gdl_test_claim("WL", chk, fabs(corr[i]), "<", null_thr, fabs(corr[i]) < null_thr, seed, params);
    }
  }
  free(corr);
  free(rcs);
}

Test(weak_learning, WL1_hypercube, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  wl_cfg c;
  wl_cfg_default(&c, 20, 0);
  c.units = 512; /* at 256 units the k = 19 Rademacher correlation (0.09-0.11) sits only ~3 run-to-run
                  * SD above 10/sqrt(m) = 0.071; at 512 it is 0.14-0.17 (see weak_learning.md) */
  static const wl_case cases[] = {
      {1, WL_INIT_GAUSSIAN, 1},   {1, WL_INIT_RADEMACHER, 1},  {2, WL_INIT_GAUSSIAN, 1},
      {2, WL_INIT_RADEMACHER, 1}, {3, WL_INIT_GAUSSIAN, 1},    {3, WL_INIT_RADEMACHER, 1},
      {10, WL_INIT_GAUSSIAN, 0},  {10, WL_INIT_RADEMACHER, 0}, {19, WL_INIT_GAUSSIAN, 0},
      {19, WL_INIT_RADEMACHER, 1}, {20, WL_INIT_GAUSSIAN, 0},  {20, WL_INIT_RADEMACHER, 1},
  };
  double m = (double)c.mtest;
  run_cases(&c, cases, sizeof cases / sizeof cases[0], "WL1", 10.0 / sqrt(m), 5.0 / sqrt(m), seed);
}

Test(weak_learning, WL2_sphere, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  wl_cfg c;
  wl_cfg_default(&c, 20, 1);
  static const wl_case cases[] = {
      {1, WL_INIT_GAUSSIAN, 1}, {2, WL_INIT_GAUSSIAN, 1}, {5, WL_INIT_GAUSSIAN, 0},
      {6, WL_INIT_GAUSSIAN, 0}, {8, WL_INIT_GAUSSIAN, 0},
  };
  run_cases(&c, cases, sizeof cases / sizeof cases[0], "WL2", 0.5, 5.0 / sqrt((double)c.mtest), seed);
}

/* ---------------- WL3 ---------------- */
Test(weak_learning, WL3_depth, .timeout = 400) {
  uint64_t seed = gdl_test_seed();
  const int nseeds = 4, njunk = 4;
  const size_t depths[3] = {2, 3, 4};
  wl3_result R;
  gdl_test_check_rc(wl3_experiment(seed, "WL3", nseeds, njunk, &R), "wl3_experiment");
  for (int di = 0; di < 3; di++) {
    for (int t = 0; t < WL3_NT; t++) {
      char chk[96], params[320];
      snprintf(params, sizeof params,
               "n=%u depth=%zu target=%s tanh width=8 lr=0.5 tau=0.1 T=%d seeds=%d: mean corr=%.4g se=%.2g "
               "(learned iff mean-4SE>=0.1, not iff mean|corr|+4SE<=0.05)",
               WL3_N, depths[di], wl3_panel[t].name, WL3_T, nseeds, R.mean[di][t], R.se[di][t]);
      snprintf(chk, sizeof chk, "WL3_decided_d%zu_%s", depths[di], wl3_panel[t].name);
      gdl_test_claim("WL", chk, R.cls[di][t], ">=", 0, R.cls[di][t] >= 0, seed, params);
      if (wl3_panel[t].middle) {
        double lhs = R.amean[di][t] + NSTD * R.ase[di][t];
        snprintf(params, sizeof params, "n=%u depth=%zu target=%s: sqrt(lambda)=%.4g bound=%.4g (junk sum -4 SE: %.4g)",
                 WL3_N, depths[di], wl3_panel[t].name, R.sqrt_lambda[t], R.bound[di][t], R.bound_lo[di][t]);
        snprintf(chk, sizeof chk, "WL3_NG_bound_d%zu_%s", depths[di], wl3_panel[t].name);
        gdl_test_claim("WL", chk, lhs, "<=", R.bound_lo[di][t], lhs <= R.bound_lo[di][t], seed, params);
      }
    }
  }
  /* the same set at every depth */
  for (int t = 0; t < WL3_NT; t++) {
    int same = R.cls[0][t] == R.cls[1][t] && R.cls[1][t] == R.cls[2][t];
    char chk[96], params[160];
    snprintf(params, sizeof params, "target=%s: learned at depth 2/3/4 = %d/%d/%d (1 learned, 0 not)",
             wl3_panel[t].name, R.cls[0][t], R.cls[1][t], R.cls[2][t]);
    snprintf(chk, sizeof chk, "WL3_same_at_every_depth_%s", wl3_panel[t].name);
    gdl_test_claim("WL", chk, same, "==", 1, same, seed, params);
  }
  /* control: the panel is not trivial, something is learned and something is not */
  int nlearn = 0, nnot = 0;
  for (int t = 0; t < WL3_NT; t++) { nlearn += R.cls[0][t] == 1; nnot += R.cls[0][t] == 0; }
  gdl_test_claim("WL", "WL3_control_panel_splits", nlearn >= 1 && nnot >= 1, "==", 1, nlearn >= 1 && nnot >= 1, seed,
                 "at least one learned and one not-learned target at depth 2");
}
