/* benchmarks/noisy_gd.c: the sweep of claim NG (figures noisy_gd_bound, noisy_gd_depth;
 * build/results/noisy_gd/summary.json for the claims report).
 *
 *   bench_noisy_gd --out DIR [--full] [--seed N]
 *
 * The experiment is experiments/noisy_gd.{h,c} (the same as theorems/noisy_gd.c). Quick: the
 * test's configurations exactly (experiments.noisy_gd.same_as_test):
 *   panel 1 (NG1, depth): depth 2 at n = 16 (T = 300), depths 3 and 4 at n = 14 (T = 150);
 *   panel 2 (NG2, vs n):  depth 2 at n = 10, 12, 14 (T = 150);
 *   panel 3 (NG1-tight, tight): n = 8, k = 1, one hidden unit, tau 0.4, T = 100.
 * --full: panel 1 at n = 16 for every depth, panel 2 at n = 10, 12, 14, 18, 20 (n >= 18:
 * profile every 5th step, 6 junk runs), panel 3.
 * Points run in parallel (gdl_sweep_run); each writes its one-row CSV and is reused by a
 * later sweep with the same key (family, mode, seed, version, configuration).
 * Outputs: noisy_gd_points.csv (columns: experiments/noisy_gd.h, noisy_gd_columns),
 * noisy_gd.json (the configuration from the config structs, the results, provenance),
 * summary.json (gdl_summary). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "experiments/noisy_gd.h"
#include "bench_cli.h"

#define PROG "bench_noisy_gd"

/* the checks of theorems/noisy_gd.c, one summary row each */
static int summarise(const gdl_table *t, const noisy_gd_grid *g, gdl_summary *sum) {
  if (t->nrows != g->np) return gdl_fail(GDL_EINVAL, "noisy_gd: %zu rows for %zu points", t->nrows, g->np);
  char chk[160];
  double prev_lo = NAN, prev_n = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    double n = gdl_table_get(t, r, "n"), k = gdl_table_get(t, r, "k"), depth = gdl_table_get(t, r, "depth"), panel = gdl_table_get(t, r, "panel");
    double m = gdl_table_get(t, r, "mean_abs_corr"), se = gdl_table_get(t, r, "se_abs_corr"), lo = gdl_table_get(t, r, "bound_lo");
    double hi = gdl_table_get(t, r, "bound_hi"), lhs = m + NG_NSTD * se;
    /* the tight regime: the larger of 4 SE and the Hoeffding half-width (as the test) */
    if (panel == 3) lhs = m + fmax(NG_NSTD * se, sqrt(log(1e6) / (2.0 * g->cfg[r].nreal)));
    /* the tight regime (panel 3) is a regime of the NG1 inequality: reported under NG1 */
    const char *cl = panel == 2 ? "NG2" : "NG1";
    snprintf(chk, sizeof chk, "E|corr| + %s <= bound (n=%g, k=%g, depth %g)", panel == 3 ? "max(4SE, Hoeffding)" : "4SE", n, k,
             depth);
    GDL_TRY(gdl_summary_check(sum, cl, chk, lhs, "<=", lo, lhs <= lo));
    double cm = gdl_table_get(t, r, "ctl_mean"), cs = gdl_table_get(t, r, "ctl_se");
    if (isfinite(cm)) {
      snprintf(chk, sizeof chk, "control: corr(x1) - 4SE >= 0.5 (n=%g, depth %g)", n, depth);
      GDL_TRY(gdl_summary_check(sum, cl, chk, cm - NG_NSTD * cs, ">=", 0.5, cm - NG_NSTD * cs >= 0.5));
      snprintf(chk, sizeof chk, "separation: bound (+4SE) < 0.5 (n=%g, depth %g)", n, depth);
      GDL_TRY(gdl_summary_check(sum, cl, chk, hi, "<", 0.5, hi < 0.5));
      snprintf(chk, sizeof chk, "bound for x1: corr(x1) + 4SE <= bound (n=%g, depth %g)", n, depth);
      double l1 = cm + NG_NSTD * cs, b1 = gdl_table_get(t, r, "bound_k1_lo");
      GDL_TRY(gdl_summary_check(sum, cl, chk, l1, "<=", b1, l1 <= b1));
    }
    if (panel == 2) {
      if (prev_n > 0) {
        snprintf(chk, sizeof chk, "bound decreases: upper(n=%g) < lower(n=%g)", n, prev_n);
        GDL_TRY(gdl_summary_check(sum, cl, chk, hi, "<", prev_lo, hi < prev_lo));
      }
      prev_n = n;
      prev_lo = lo;
    }
    if (panel == 3) {
      double sl = gdl_table_get(t, r, "sqrt_lambda"), mlo = m - NG_NSTD * se;
      GDL_TRY(gdl_summary_check(sum, cl, "tight: E|corr| - 4SE > sqrt(lambda)", mlo, ">", sl, mlo > sl));
      GDL_TRY(gdl_summary_check(sum, cl, "tight: bound(+4SE) / (E|corr| - 4SE) <= 10", hi / mlo, "<=", 10.0,
                                mlo > 0 && hi / mlo <= 10.0));
    }
  }
  return GDL_OK;
}

/* Cost estimate of a point (gdl_sweep_set_costs: rank assignment and start order): a step of
 * population GD is ~3 passes over the 2^n x P per-example gradients (P parameters); a junk
 * run's level profile (FWHT of every gradient column, every stride-th step) ~ n such passes. */
static double point_cost(const void *ctx, size_t i) {
  const noisy_gd_config *c = &((const noisy_gd_grid *)ctx)->cfg[i];
  double n = c->net.n, w = (double)c->net.width;
  double P = w * (n + 1) + (double)(c->net.depth - 2) * w * (w + 1) + w + 1;
  double runs = 3.0 * (c->nreal + c->nctl) + c->njunk * (3.0 + n / (double)c->stride);
  return ldexp(P * (double)c->net.steps * runs, (int)c->net.n);
}

/* the summary rows and the sidecar's total point time */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  GDL_TRY(summarise(&bs->t, ctx, sum));
  double secs = 0;
  for (size_t r = 0; r < bs->t.nrows; r++) secs += gdl_table_get(&bs->t, r, "seconds");
  return gdl_json_num(bs->doc, "point_seconds_total", secs);
}

static noisy_gd_grid G;
static size_t grid(const gdl_bench_args *a) { return noisy_gd_grid_make(&G, a->full, a->seed); }

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "noisy_gd", .sweep = {"ng-quick", "ng-full"}, .table = "noisy_gd_points.csv",
    .claims = "NG1,NG2", .figures = "noisy_gd_bound,noisy_gd_depth",
    .grid = grid, .cfg_json = noisy_gd_grid_json, .cfg = &G, .ctx = &G,
    .cost = point_cost, .point = noisy_gd_sweep_point, .outputs = outputs};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
