/* experiments.equivariance.same_as_test: points of the EQ sweep (equivariance_point, the
 * function bench_equivariance gives gdl_sweep_run: run, CSV written, read back with
 * gdl_csv_read) are bit-identical to the runs of theorems/equivariance.c with the test's
 * configuration and seed (GDL_SEED). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "experiments/equivariance.h"
#include "gdl_test.h"

static int same(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

/* a keyed sweep in a fresh temporary directory, with the bench's configuration document */
static gdl_sweep *sweep_for(equivariance_sweep_ctx *ctx, char *dir) {
  equivariance_config_default(&ctx->cfg);
  ctx->seed = gdl_test_seed();
  cr_assert(mkdtemp(dir) != NULL, "mkdtemp failed");
  gdl_json *doc = NULL;
  gdl_sweep *sw = NULL;
  gdl_test_check_rc(gdl_exp_doc("equivariance", "quick", ctx->seed, equivariance_config_json, &ctx->cfg, &doc), "doc");
  gdl_test_check_rc(gdl_exp_sweep_begin(NULL, NULL, dir, "eq-quick", equivariance_npoints(&ctx->cfg), doc, &sw), "sweep");
  gdl_json_free(doc);
  return sw;
}

static void point_table(equivariance_sweep_ctx *ctx, gdl_sweep *sw, size_t i, gdl_table *t) {
  gdl_test_check_rc(equivariance_point(ctx, sw, i), "equivariance_point");
  char path[4096];
  gdl_test_check_rc(gdl_sweep_point_file(sw, i, "csv", path, sizeof path), "point file");
  gdl_test_check_rc(gdl_csv_read(path, t), "gdl_csv_read");
}

static void cleanup_dir(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert(system(cmd) == 0, "could not remove %s", dir);
}

static void eq1_same(eq_setup s, eq_algo a, size_t depth) {
  equivariance_sweep_ctx ctx;
  char dir[] = "/tmp/gdl_eq_same_XXXXXX";
  gdl_sweep *sw = sweep_for(&ctx, dir);
  size_t sub = ((size_t)s * EQ_NALGOS + (size_t)a) * EQ1_NDEPTHS + (depth - 2);
  gdl_table t = {0};
  point_table(&ctx, sw, equivariance_point_index(EQ_POINT_EQ1, sub), &t);
  /* the theorem test's run: eq1_config_default and eq1_run(NULL, &maxerr) */
  eq1_config c;
  eq1_config_default(&c, s, a, depth);
  double mx, *err = malloc(c.steps * sizeof *err);
  cr_assert(err != NULL);
  gdl_test_check_rc(eq1_run(&c, ctx.seed, NULL, &mx), "eq1_run as the test runs it");
  double mx2;
  gdl_test_check_rc(eq1_run(&c, ctx.seed, err, &mx2), "eq1_run with the per-step errors");
  cr_assert(same(mx, mx2));
  int ke = gdl_table_col(&t, "err");
  cr_assert(ke >= 0 && t.nrows == c.steps, "point table: %zu rows, expected %zu", t.nrows, c.steps);
  double pmax = 0;
  for (size_t r = 0; r < t.nrows; r++) {
    double e = t.v[r * t.ncols + ke];
    cr_assert(same(e, err[r]), "%s %s depth %zu step %zu: sweep %.17g, test %.17g", eq_setup_name(s), eq_algo_name(a),
              depth, r + 1, e, err[r]);
    pmax = fmax(pmax, e);
  }
  cr_assert(same(pmax, mx), "max error: sweep %.17g, test %.17g", pmax, mx);
  printf("EQ1 %s %s depth %zu: %zu steps bit-identical, max error %.3e\n", eq_setup_name(s), eq_algo_name(a), depth,
         t.nrows, mx);
  free(err);
  gdl_table_free(&t);
  gdl_sweep_end(sw);
  cleanup_dir(dir);
}

Test(same_as_test, eq1_noisy_gauss_depth3) { eq1_same(EQ_GAUSS_OD, EQ_NOISY, 3); }
Test(same_as_test, eq1_sgd_cube_depth4) { eq1_same(EQ_CUBE_BN, EQ_SGD, 4); }
Test(same_as_test, eq1_adam_sphere_depth2) { eq1_same(EQ_SPHERE_OD, EQ_ADAM, 2); }

Test(same_as_test, eq2_all_cases) {
  equivariance_sweep_ctx ctx;
  char dir[] = "/tmp/gdl_eq_same_XXXXXX";
  gdl_sweep *sw = sweep_for(&ctx, dir);
  for (size_t k = 0; k < EQ2_NCASES; k++) {
    gdl_table t = {0};
    point_table(&ctx, sw, equivariance_point_index(EQ_POINT_EQ2, k), &t);
    eq2_config c;
    eq2_config_case(&c, k);
    eq2_result r;
    gdl_test_check_rc(eq2_run(&c, ctx.seed, NULL, NULL, &r), "eq2_run as the test runs it");
    int kD = gdl_table_col(&t, "D"), kp = gdl_table_col(&t, "p");
    cr_assert(t.nrows == 1 && kD >= 0 && kp >= 0);
    cr_assert(same(t.v[kD], r.D) && same(t.v[kp], r.p), "EQ2 case %zu: sweep D %.17g p %.17g, test D %.17g p %.17g", k,
              t.v[kD], t.v[kp], r.D, r.p);
    printf("EQ2 case %zu (%s under %s): D %.4f p %.3e bit-identical\n", k, eq2_init_name(c.init),
           eq2_group_name(c.group), r.D, r.p);
    gdl_table_free(&t);
  }
  gdl_sweep_end(sw);
  cleanup_dir(dir);
}

Test(same_as_test, eq3_fcn_chi_piS) {
  equivariance_sweep_ctx ctx;
  char dir[] = "/tmp/gdl_eq_same_XXXXXX";
  gdl_sweep *sw = sweep_for(&ctx, dir);
  const size_t sub = 1; /* FCN on chi_pi(S) */
  int hand, target;
  eq3_point_learner(sub, &hand, &target);
  gdl_table t = {0};
  point_table(&ctx, sw, equivariance_point_index(EQ_POINT_EQ3, sub), &t);
  int kc = gdl_table_col(&t, "corr");
  cr_assert(kc >= 0 && t.nrows == (hand ? ctx.cfg.eq3_runs_hand : ctx.cfg.eq3_runs));
  for (size_t r = 0; r < t.nrows; r++) {
    eq3_config c;
    eq3_config_default(&c, hand, ctx.cfg.eq3_t0[target], r);
    double corr;
    gdl_test_check_rc(eq3_run(&c, ctx.seed, &corr), "eq3_run as the test runs it");
    cr_assert(same(t.v[r * t.ncols + kc], corr), "EQ3 run %zu: sweep %.17g, test %.17g", r, t.v[r * t.ncols + kc], corr);
  }
  printf("EQ3 FCN on chi_pi(S): %zu runs bit-identical\n", t.nrows);
  gdl_table_free(&t);
  gdl_sweep_end(sw);
  cleanup_dir(dir);
}
