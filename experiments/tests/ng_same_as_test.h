/* experiments/tests/ng_same_as_test.h: what the same-as-test checks of the noisy-GD families
 * (experiments.noisy_gd.same_as_test, experiments.sphere.same_as_test) share. */
#ifndef GDL_EXPERIMENTS_TESTS_NG_SAME_AS_TEST_H
#define GDL_EXPERIMENTS_TESTS_NG_SAME_AS_TEST_H

#include <stddef.h>
#include "experiments/noisy_gd.h"

/* 1 if the net and trainer members of the two configurations (the config document's: all but
 * the profile engine) are equal. */
int ng_same_cfg(const ng_cfg *a, const ng_cfg *b);

/* The sweep path on np points of a grid (gdl_exp_sweep_table with mode "same_as_test"), its
 * shape asserted: np rows of ncols columns. */
gdl_table ng_same_sweep_table(const char *family, const char *sweep, uint64_t seed, gdl_exp_config_fn grid_json,
                              void *grid, size_t np, gdl_sweep_point_fn point, const char *table, size_t ncols);

/* Compares row i of the sweep's table t with the row computed directly (t->ncols values, named
 * cols), bit for bit (NaN equals NaN), every column but `skip` (NULL: none); logs each
 * difference (`direct` names the other side) and returns their number. */
size_t ng_same_row_differ(const gdl_table *t, size_t i, const double *row, const char *const *cols, const char *skip,
                          const char *direct);

#endif
