/* experiments.noisy_gd.same_as_test: the sweep (benchmarks/noisy_gd.c) runs the test's
 * experiment (theorems/noisy_gd.c).
 *  1. The quick grid holds exactly the test's configurations (NG1 cases, NG2 cases, NG1-tight).
 *  2. The sweep's code path (gdl_exp_doc, gdl_exp_sweep_begin, gdl_sweep_run with
 *     noisy_gd_sweep_point, gdl_sweep_assemble, gdl_csv_read) on the quick grid's cheap points
 *     (n <= 10: the NG2 point at n = 10 and the tight regime NG1-tight) gives bit-identical values
 *     to the test's call noisy_gd_run with the same configuration and GDL_SEED. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gdl/gdl.h"
#include "gdl_test.h"
#include "experiments/noisy_gd.h"
#include "ng_same_as_test.h"

static int same_cfg(const noisy_gd_config *a, const noisy_gd_config *b) {
  return ng_same_cfg(&a->net, &b->net) && a->k == b->k && a->nreal == b->nreal && a->nctl == b->nctl &&
         a->njunk == b->njunk && a->stride == b->stride && !strcmp(a->tag, b->tag);
}

Test(noisy_gd, same_as_test, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  noisy_gd_grid g;
  noisy_gd_grid_make(&g, 0, seed);
  /* 1. the test's configurations, in the test's own words */
  noisy_gd_config want[7];
  size_t nw = 0;
  noisy_gd_config_default(&want[nw++], 16, 2);
  noisy_gd_config_default(&want[nw++], 14, 3);
  noisy_gd_config_default(&want[nw++], 14, 4);
  for (unsigned n = 10; n <= 14; n += 2) noisy_gd_config_ng2(&want[nw++], n);
  noisy_gd_config_tight(&want[nw++]);
  cr_assert_eq(g.np, nw, "quick grid has %zu points, the test %zu", g.np, nw);
  for (size_t i = 0; i < nw; i++) cr_assert(same_cfg(&g.cfg[i], &want[i]), "grid point %zu differs from the test", i);

  /* 2. the sweep path on the cheap points */
  noisy_gd_grid sub;
  memset(&sub, 0, sizeof sub);
  sub.seed = seed;
  for (size_t i = 0; i < g.np; i++)
    if (g.cfg[i].net.n <= 10) {
      sub.cfg[sub.np] = g.cfg[i];
      sub.panel[sub.np++] = g.panel[i];
    }
  cr_assert_eq(sub.np, 2);
  gdl_table t = ng_same_sweep_table("noisy_gd", "ng-same", seed, noisy_gd_grid_json, &sub, sub.np, noisy_gd_sweep_point,
                                    "noisy_gd_points.csv", NOISY_GD_NCOLS);
  size_t differ = 0;
  for (size_t i = 0; i < sub.np; i++) {
    noisy_gd_result e;
    double row[NOISY_GD_NCOLS];
    gdl_test_check_rc(noisy_gd_run(&sub.cfg[i], seed, &e), "test's run");
    noisy_gd_row(&sub.cfg[i], sub.panel[i], &e, row);
    differ += ng_same_row_differ(&t, i, row, noisy_gd_columns, "seconds" /* wall time */, "test");
  }
  char params[128];
  snprintf(params, sizeof params, "%zu points x %d columns (n <= 10), sweep path vs test call", sub.np,
           NOISY_GD_NCOLS - 1);
  gdl_test_claim("NG", "same_as_test_values_differing", (double)differ, "==", 0, differ == 0, seed, params);
  gdl_table_free(&t);
}
