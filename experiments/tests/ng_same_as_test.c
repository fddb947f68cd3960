/* experiments/tests/ng_same_as_test.c: see ng_same_as_test.h. */
#include "ng_same_as_test.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <string.h>
#include "gdl_test.h"

int ng_same_cfg(const ng_cfg *a, const ng_cfg *b) {
  return a->n == b->n && a->depth == b->depth && a->width == b->width && a->lr == b->lr && a->tau == b->tau &&
         a->clip == b->clip && a->box == b->box && a->steps == b->steps && a->b0_scale == b->b0_scale;
}

gdl_table ng_same_sweep_table(const char *family, const char *sweep, uint64_t seed, gdl_exp_config_fn grid_json,
                              void *grid, size_t np, gdl_sweep_point_fn point, const char *table, size_t ncols) {
  gdl_table t;
  gdl_test_check_rc(gdl_exp_sweep_table(family, sweep, seed, grid_json, grid, np, point, grid, table, &t),
                    "the sweep path");
  cr_assert_eq(t.nrows, np);
  cr_assert_eq(t.ncols, ncols);
  return t;
}

size_t ng_same_row_differ(const gdl_table *t, size_t i, const double *row, const char *const *cols, const char *skip,
                          const char *direct) {
  size_t differ = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    if (skip && !strcmp(cols[c], skip)) continue;
    double a = t->v[i * t->ncols + c], b = row[c];
    if (!((isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0)) {
      differ++;
      cr_log_error("point %zu column %s: sweep %.17g, %s %.17g", i, cols[c], a, direct, b);
    }
  }
  return differ;
}
