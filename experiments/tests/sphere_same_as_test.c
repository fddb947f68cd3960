/* experiments.sphere.same_as_test: the sweep (benchmarks/sphere.c) runs the test's experiment
 * (theorems/sphere.c).
 *  1. The quick grid's NG3 points are exactly the test's configurations (main and tight).
 *  2. The sweep's code path (gdl_exp_doc, gdl_exp_sweep_begin, gdl_sweep_run with
 *     sphere_sweep_point, gdl_sweep_assemble, gdl_csv_read) on the cheap points (the AL2
 *     rows and the NG3 tight point) gives bit-identical values to sphere_point_row (which
 *     calls sphere_ng_run on the grid's config, equal to the test's by 1.). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gdl/gdl.h"
#include "gdl_test.h"
#include "experiments/sphere.h"
#include "ng_same_as_test.h"

static int same_ng(const sphere_ng_config *a, const sphere_ng_config *b) {
  return ng_same_cfg(&a->net, &b->net) && a->k == b->k && a->m == b->m && a->mtest == b->mtest &&
         a->nreal == b->nreal && a->nctl == b->nctl && a->njunk == b->njunk && a->stride == b->stride &&
         !strcmp(a->tag, b->tag);
}

Test(sphere, same_as_test, .timeout = 300) {
  uint64_t seed = gdl_test_seed();
  static sphere_grid g, sub;
  sphere_grid_make(&g, 0, seed);
  sphere_ng_config main_c, tight_c; /* the test's configurations, in the test's own words */
  sphere_ng_config_default(&main_c);
  sphere_ng_config_tight(&tight_c);
  size_t nmain = 0, ntight = 0;
  memset(&sub, 0, sizeof sub);
  sub.seed = seed;
  for (size_t i = 0; i < g.np; i++) {
    if (g.panel[i] == 2) nmain += same_ng(&g.ng[i], &main_c);
    if (g.panel[i] == 3) ntight += same_ng(&g.ng[i], &tight_c);
    if (g.panel[i] != 2) {
      sub.al[sub.np] = g.al[i];
      sub.ng[sub.np] = g.ng[i];
      sub.panel[sub.np++] = g.panel[i];
    }
  }
  cr_assert_eq(nmain, 1, "the quick grid must hold the test's NG3 main point once");
  cr_assert_eq(ntight, 1, "the quick grid must hold the test's NG3 tight point once");
  gdl_table t = ng_same_sweep_table("sphere", "sphere-same", seed, sphere_grid_json, &sub, sub.np, sphere_sweep_point,
                                    "sphere_points.csv", SPHERE_NCOLS);
  size_t differ = 0;
  for (size_t i = 0; i < sub.np; i++) {
    double row[SPHERE_NCOLS];
    gdl_test_check_rc(sphere_point_row(&sub, i, row), "row");
    differ += ng_same_row_differ(&t, i, row, sphere_columns, NULL, "direct");
  }
  cr_assert_eq(differ, 0, "%zu values differ between the sweep and the direct call", differ);
  gdl_table_free(&t);
}
