/* experiments.weak_learning.same_as_test: a sweep point with the test's configuration and
 * seed gives the test's values bit for bit.
 *
 * The "test" side builds each configuration the way theorems/weak_learning.c does
 * (wl_rf_config_default + the case's fields; wl3_config_default) and calls the experiment
 * directly. The "sweep" side takes the code path of benchmarks/weak_learning.c: a keyed sweep
 * (gdl_exp_doc + gdl_exp_sweep_begin) in a fresh directory, gdl_sweep_run over
 * wl_degree_point / wl_depth_point, the point files read back with gdl_csv_read (%.17g
 * round-trips a double exactly). WL1/WL2 use the test's full configurations; WL3 uses the
 * test's configuration with a shorter budget (steps 30, 2 seeds, 2 junk runs; the full table
 * costs ~25 s of CPU per side), which runs every line of the same code. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiments/weak_learning.h"
#include "gdl/gdl.h"
#include "gdl_test.h"

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *f) {
  (void)sb; (void)flag; (void)f;
  return remove(p);
}

static char *fresh_dir(void) {
  static char dir[64];
  snprintf(dir, sizeof dir, "/tmp/gdl_wl_same_XXXXXX");
  cr_assert(mkdtemp(dir) != NULL);
  return dir;
}

Test(weak_learning_same, degree_points, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  /* three of the test's cases: WL1 Rademacher k = 3 replicate 1, WL1 Gaussian twin k = 10
   * replicate 2, WL2 k = 2 replicate 0 */
  wl_rf_config pts[3];
  wl_rf_config_default(&pts[0], 0);
  pts[0].init = WL_INIT_RADEMACHER;
  pts[0].k = 3;
  pts[0].rep = 1;
  wl_rf_config_default(&pts[1], 0);
  pts[1].k = 10;
  pts[1].twin = 1;
  pts[1].rep = 2;
  wl_rf_config_default(&pts[2], 1);
  pts[2].k = 2;
  double direct[3][2];
  for (int i = 0; i < 3; i++) {
    wl_rf_result r;
    gdl_test_check_rc(wl_rf_run(&pts[i], seed, &r), "wl_rf_run");
    direct[i][0] = r.corr;
    direct[i][1] = r.se0;
  }
  char *dir = fresh_dir();
  gdl_json *doc = NULL;
  gdl_test_check_rc(gdl_exp_doc("weak_learning", "same_as_test", seed, wl_rf_config_json, &pts[0], &doc), "doc");
  gdl_sweep *s = NULL;
  gdl_test_check_rc(gdl_exp_sweep_begin(NULL, NULL, dir, "wl-degree", 3, doc, &s), "sweep begin");
  wl_degree_ctx ctx = {pts, seed};
  size_t failed = 99;
  gdl_test_check_rc(gdl_sweep_run(s, NULL, wl_degree_point, &ctx, &failed), "sweep run");
  cr_assert_eq(failed, 0);
  for (size_t i = 0; i < 3; i++) {
    char path[4096];
    gdl_table tb = {0};
    gdl_test_check_rc(gdl_sweep_point_file(s, i, "csv", path, sizeof path), "point file");
    gdl_test_check_rc(gdl_csv_read(path, &tb), "csv read");
    int c = gdl_table_col(&tb, "corr"), e = gdl_table_col(&tb, "se0");
    cr_assert(c >= 0 && e >= 0 && tb.nrows == 1);
    double v[2] = {tb.v[c], tb.v[e]};
    cr_log_info("point %zu: sweep %.17g test %.17g", i, v[0], direct[i][0]);
    cr_assert(memcmp(v, direct[i], sizeof v) == 0, "point %zu: sweep %.17g/%.17g != test %.17g/%.17g", i, v[0], v[1],
              direct[i][0], direct[i][1]);
    gdl_table_free(&tb);
  }
  gdl_sweep_end(s);
  gdl_json_free(doc);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

Test(weak_learning_same, depth_table, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  wl3_config c;
  wl3_config_default(&c);
  c.steps = 30;
  c.nseeds = 2;
  c.njunk = 2;
  wl3_result A, B;
  gdl_test_check_rc(wl3_run(&c, seed, &A), "wl3_run");
  char *dir = fresh_dir();
  gdl_json *doc = NULL;
  gdl_test_check_rc(gdl_exp_doc("weak_learning", "same_as_test", seed, wl3_config_json, &c, &doc), "doc");
  gdl_sweep *s = NULL;
  gdl_test_check_rc(gdl_exp_sweep_begin(NULL, NULL, dir, "wl-depth", 1, doc, &s), "sweep begin");
  wl_depth_ctx ctx = {&c, seed};
  gdl_test_check_rc(gdl_sweep_run(s, NULL, wl_depth_point, &ctx, NULL), "sweep run");
  char path[4096];
  gdl_table tb = {0};
  gdl_test_check_rc(gdl_sweep_point_file(s, 0, "csv", path, sizeof path), "point file");
  gdl_test_check_rc(gdl_csv_read(path, &tb), "csv read");
  gdl_test_check_rc(wl3_result_from_table(&tb, &B), "table");
  for (int di = 0; di < WL3_NDEPTH; di++)
    for (int t = 0; t < A.nt; t++) {
      const double a[7] = {A.mean[di][t], A.se[di][t], A.amean[di][t], A.ase[di][t], A.bound[di][t],
                           A.bound_lo[di][t], A.bound_hi[di][t]};
      const double b[7] = {B.mean[di][t], B.se[di][t], B.amean[di][t], B.ase[di][t], B.bound[di][t],
                           B.bound_lo[di][t], B.bound_hi[di][t]};
      cr_assert(memcmp(a, b, sizeof a) == 0 && A.cls[di][t] == B.cls[di][t], "depth %d target %d differ", di, t);
    }
  cr_log_info("depth table: %d targets x %d depths identical", A.nt, WL3_NDEPTH);
  gdl_table_free(&tb);
  gdl_sweep_end(s);
  gdl_json_free(doc);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
