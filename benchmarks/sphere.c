/* benchmarks/sphere.c: the sweep of claims AL2 and NG3, the sphere under O(d) (figure
 * sphere_alignment; build/results/sphere/summary.json for the claims report).
 *
 *   bench_sphere --out DIR [--full] [--seed N]
 *
 * The experiment is experiments/sphere.{h,c} (the same as theorems/sphere.c):
 *   panel 1 (AL2): lambda of x1...xk on the sphere of radius sqrt(10) in R^10, k = 1..5 (full:
 *                  6): exact 1/N(10, k) and Monte Carlo over Haar rotations (4000; full 20000)
 *                  with the cube's 1/C(10, k) for comparison;
 *   panel 2 (NG3): the test's main point (d = 8, k = 4, control x1);
 *   panel 3 (NG3): the test's tight point (d = 8, k = 1).
 * Outputs: sphere_points.csv (columns: experiments/sphere.h, sphere_columns), sphere.json
 * (configuration, results, provenance), summary.json (gdl_summary). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "experiments/sphere.h"
#include "bench_cli.h"

#define PROG "bench_sphere"

/* the checks of theorems/sphere.c that the sweep's points carry, one summary row each */
static int summarise(const gdl_table *t, const sphere_grid *g, gdl_summary *sum) {
  if (t->nrows != g->np) return gdl_fail(GDL_EINVAL, "sphere: %zu rows for %zu points", t->nrows, g->np);
  char chk[160];
  for (size_t r = 0; r < t->nrows; r++) {
    double panel = gdl_table_get(t, r, "panel"), d = gdl_table_get(t, r, "d"), k = gdl_table_get(t, r, "k");
    if (panel == 1) {
      double lam = gdl_table_get(t, r, "lambda"), mc = gdl_table_get(t, r, "mc"), se = gdl_table_get(t, r, "mc_se");
      double z = fabs(mc - lam) / se;
      snprintf(chk, sizeof chk, "Haar MC of lambda(x1..x%g) within 4 SE of 1/N(%g,%g)", k, d, k);
      GDL_TRY(gdl_summary_check(sum, "AL2", chk, z, "<=", SPHERE_NSTD, z <= SPHERE_NSTD));
      continue;
    }
    double m = gdl_table_get(t, r, "mean_abs"), se = gdl_table_get(t, r, "se_abs");
    double lo = gdl_table_get(t, r, "bound_lo"), hi = gdl_table_get(t, r, "bound_hi"), lhs = m + SPHERE_NSTD * se;
    snprintf(chk, sizeof chk, "E|corr| + 4SE <= bound (d=%g, k=%g)", d, k);
    GDL_TRY(gdl_summary_check(sum, "NG3", chk, lhs, "<=", lo, lhs <= lo));
    if (panel == 2) {
      double c = gdl_table_get(t, r, "ctl_mean") - SPHERE_NSTD * gdl_table_get(t, r, "ctl_se");
      snprintf(chk, sizeof chk, "control: corr(x1) - 4SE > bound(+4SE) of x1..x%g (d=%g)", k, d);
      GDL_TRY(gdl_summary_check(sum, "NG3", chk, c, ">", hi, c > hi));
    } else {
      double mlo = m - SPHERE_NSTD * se - 1.0 / sqrt((double)g->ng[r].mtest), sl = sqrt(gdl_table_get(t, r, "lambda"));
      GDL_TRY(gdl_summary_check(sum, "NG3", "tight: E|corr| - 4SE > sqrt(lambda)", mlo, ">", sl, mlo > sl));
      GDL_TRY(gdl_summary_check(sum, "NG3", "tight: bound(+4SE) / (E|corr| - 4SE - mtest^-1/2) <= 12", hi / mlo, "<=",
                                SPHERE_TIGHT_RATIO, mlo > 0 && hi / mlo <= SPHERE_TIGHT_RATIO));
    }
  }
  return GDL_OK;
}

static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) { return summarise(&bs->t, ctx, sum); }

static sphere_grid G;
static size_t grid(const gdl_bench_args *a) { return sphere_grid_make(&G, a->full, a->seed); }

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "sphere", .sweep = {"sphere-quick", "sphere-full"}, .table = "sphere_points.csv",
    .claims = "AL2,NG3", .figures = "sphere_alignment", .grid = grid, .cfg_json = sphere_grid_json, .cfg = &G,
    .ctx = &G, .point = sphere_sweep_point, .outputs = outputs};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
