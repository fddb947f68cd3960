/* experiments/tests/staircase.c: ctest experiments.staircase.same_as_test.
 * A sweep point of bench_staircase (staircase_sweep_config, written by staircase_point through
 * a keyed gdl_sweep and gdl_sweep_run, read back with gdl_csv_read) with the test's seed is
 * bit-identical to the MS2 run as theorems/staircase.c runs it (staircase_ms2_config +
 * staircase_run): same hitting time, same test-FVU curve up to the hit, same cap. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "experiments/staircase.h"
#include "gdl_test.h"

typedef struct {
  int target;
  size_t d, rep;
} same_ctx;

static int point_fn(void *ctx, gdl_sweep *s, size_t i) {
  const same_ctx *c = (const same_ctx *)ctx + i;
  staircase_config cfg;
  staircase_sweep_config(&cfg, c->target, c->d, c->rep, 3000);
  return staircase_point(&cfg, gdl_test_seed(), s, i);
}

Test(staircase, same_as_test, .timeout = 600) {
  uint64_t seed = gdl_test_seed();
  /* the staircase at two d, x1x2x3 at the smallest (its runs are the long ones) */
  const same_ctx pts[3] = {{0, 32, 0}, {0, 64, 1}, {1, 32, 2}};
  char dir[] = "/tmp/gdl_ms_same_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL, "mkdtemp");
  staircase_config cfg;
  staircase_sweep_config(&cfg, 0, 32, 0, 3000);
  gdl_json *doc = NULL;
  gdl_test_check_rc(gdl_exp_doc("staircase", "same_as_test", seed, staircase_config_json, &cfg, &doc), "call");
  gdl_sweep *sw = NULL;
  gdl_test_check_rc(gdl_exp_sweep_begin(NULL, NULL, dir, "ms-same", 3, doc, &sw), "call");
  size_t failed = 0;
  gdl_test_check_rc(gdl_sweep_run(sw, NULL, point_fn, (void *)pts, &failed), "call");
  cr_assert(failed == 0, "%zu sweep points failed", failed);
  for (size_t i = 0; i < 3; i++) {
    staircase_config tc;
    staircase_ms2_config(&tc, pts[i].target, pts[i].d, pts[i].rep, 3000);
    staircase_result r;
    gdl_test_check_rc(staircase_run(&tc, seed, &r), "call");
    char path[4096];
    gdl_table h = {0}, cu = {0};
    gdl_test_check_rc(gdl_sweep_point_file(sw, i, "csv", path, sizeof path), "call");
    gdl_test_check_rc(gdl_csv_read(path, &h), "call");
    gdl_test_check_rc(gdl_sweep_point_file(sw, i, "curve.csv", path, sizeof path), "call");
    gdl_test_check_rc(gdl_csv_read(path, &cu), "call");
    cr_assert(h.nrows == 1 && h.ncols == 5 && cu.ncols == 2, "point %zu: bad point files", i);
    cr_log_info("%s d=%zu rep %zu: test hit %zu, sweep hit %.17g (cap %.17g), %zu evaluations to the hit",
                staircase_target_name(pts[i].target), pts[i].d, pts[i].rep, r.hit, h.v[0], h.v[1], r.n_eval);
    cr_assert(r.hit > 0, "the test run must hit (else the comparison is empty)");
    cr_assert(h.v[0] == (double)r.hit, "hit: sweep %.17g, test %zu", h.v[0], r.hit);
    cr_assert(h.v[1] == (double)tc.budget, "cap: sweep %.17g, test %zu", h.v[1], tc.budget);
    cr_assert(h.v[3] == r.var_y, "Var(y): sweep %.17g, test %.17g", h.v[3], r.var_y);
    cr_assert(cu.nrows >= r.n_eval, "sweep curve has %zu rows, test %zu", cu.nrows, r.n_eval);
    for (size_t k = 0; k < r.n_eval; k++) {
      cr_assert(cu.v[2 * k] == (double)r.eval_step[k], "eval %zu: step %.17g vs %zu", k, cu.v[2 * k], r.eval_step[k]);
      cr_assert(cu.v[2 * k + 1] == r.eval_fvu[k], "eval %zu: fvu %.17g vs %.17g (not bit-identical)", k,
                cu.v[2 * k + 1], r.eval_fvu[k]);
    }
    if (pts[i].target != 0) cr_assert(h.v[4] == r.fvu_last, "fvu at the hit differs");
    gdl_table_free(&h);
    gdl_table_free(&cu);
    staircase_result_free(&r);
  }
  gdl_sweep_end(sw);
  gdl_json_free(doc);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect(system(cmd) == 0, "cleanup of %s", dir);
}
