/* bench_sq_dimension: claim SQ1, certified SQ-dimension lower bounds vs p (figure
 * sq_dimension_packing) and the parity / conjunction packings by degree.
 *
 *   bench_sq_dimension --out DIR [--full] [--seed N] [--same-as-test]
 *
 * One keyed sweep point per modulus (the six Z_p classes) plus one for the cube classes, all
 * written by sq_dimension_write_point (experiments/sq_dimension.h), the function the theorem test
 * calls through sqd_zp_point. DIR/sq_dimension.csv (group,phi,p,k,members,d,maxoff,offmass,
 * guarantee), DIR/sq_dimension.json (config + provenance), DIR/fits.gp (fitted slopes for the
 * figure), DIR/summary.json (the SQ1 checks). --same-as-test (quick only): recompute every value
 * in memory as the test does and exit 1 unless the sweep's CSV holds bit-identical numbers
 * (ctest experiments.sq_dimension.same_as_test). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_cli.h"
#include "gdl/gdl.h"
#include "experiments/sq_dimension.h"

#define PROG "bench_sq_dimension"

static int point(void *ctx, gdl_sweep *s, size_t i) {
  const sq_dimension_config *c = ctx;
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  return sq_dimension_write_point(c, i, path);
}

/* Cost estimate of point i (gdl_sweep_set_costs: rank assignment and start order): a Z_p point
 * is a few FFTs of length p (~ p ln p); the last point, the cube classes, grows ~ 4^n (quick grid:
 * n = 10 about 20x the largest Z_p point). */
static double point_cost(const void *ctx, size_t i) {
  const sq_dimension_config *c = ctx;
  if (i < c->np) return (double)c->p[i] * log((double)c->p[i]);
  return 0.7 * ldexp(1.0, 2 * (int)c->par_n);
}

/* DIR/fits.gp: the slope of log d vs log p per (group, phi), for the figure; the SQ1 checks of
 * the multiplicative classes and the additive control */
static int fits(const gdl_bench_args *args, const gdl_table *t, gdl_summary *sum) {
  char path[4096], tmp[4200], check[96];
  gdl_bench_out_path(args, "fits.gp", path, sizeof path);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *fg = fopen(tmp, "w");
  int rc = GDL_OK;
  if (!fg) return gdl_fail(GDL_EIO, "cannot write %s", tmp);
  for (int g = 0; g < SQD_NGROUP; g++)
    for (int f = 0; f < SQD_NPHI; f++) {
      double x[SQD_MAXP], y[SQD_MAXP];
      size_t n = 0, ok_cos = 1, ok_guar = 1;
      for (size_t r = 0; r < t->nrows; r++)
        if (gdl_table_get(t, r, "group") == g && gdl_table_get(t, r, "phi") == f && n < SQD_MAXP) {
          x[n] = gdl_table_get(t, r, "p");
          y[n] = gdl_table_get(t, r, "d");
          if (g == SQD_MUL && f == SQD_PHI_COS && 2 * y[n] < x[n] - 1) ok_cos = 0;
          if (g == SQD_MUL && y[n] < gdl_table_get(t, r, "guarantee")) ok_guar = 0;
          n++;
        }
      gdl_fit fit = {0};
      if (n >= 2) GDL_TRY_CLEANUP(gdl_fit_loglog(n, x, y, &fit));
      const char *gn = sqd_group_name((sqd_group)g), *fn = sqd_phi_name((sqd_phi)f);
      fprintf(fg, "slope_%s_%s = %.6g\nse_%s_%s = %.6g\n", gn, fn, fit.slope, gn, fn, fit.se_slope);
      if (g == SQD_MUL && f == SQD_PHI_COS)
        GDL_TRY_CLEANUP(
            gdl_summary_check(sum, "SQ1", "mul_cos_packing_ge_(p-1)/2_every_p", (double)ok_cos, ">=", 1, ok_cos));
      if (g == SQD_MUL && f != SQD_PHI_COS) {
        snprintf(check, sizeof check, "mul_%s_packing_ge_mass_guarantee_every_p", fn);
        GDL_TRY_CLEANUP(gdl_summary_check(sum, "SQ1", check, (double)ok_guar, ">=", 1, ok_guar));
        snprintf(check, sizeof check, "mul_%s_loglog_slope", fn);
        GDL_TRY_CLEANUP(gdl_summary_check(sum, "SQ1", check, fit.slope, ">=", 1.0 / 3.0, fit.slope >= 1.0 / 3.0));
      }
      if (g == SQD_ADD) {
        snprintf(check, sizeof check, "control_add_%s_loglog_slope", fn);
        GDL_TRY_CLEANUP(gdl_summary_check(sum, "SQ1", check, fit.slope, "<", 1.0 / 3.0, fit.slope < 1.0 / 3.0));
      }
    }
cleanup:
  if (fclose(fg) != 0 && rc == GDL_OK) rc = gdl_fail(GDL_EIO, "cannot write %s", tmp);
  if (rc == GDL_OK && rename(tmp, path)) rc = gdl_fail(GDL_EIO, "cannot rename %s", tmp);
  return rc;
}

/* rank 0: the fits and the SQ1 checks */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  (void)ctx;
  const gdl_table *t = &bs->t;
  GDL_TRY(fits(bs->args, t, sum));
  int ok_par = 1;
  for (size_t r = 0; r < t->nrows; r++)
    if (gdl_table_get(t, r, "group") == 2 && gdl_table_get(t, r, "d") != gdl_table_get(t, r, "members")) ok_par = 0;
  return gdl_summary_check(sum, "SQ1", "parity_packing_eq_C(n,k)_every_k", ok_par, ">=", 1, ok_par);
}

/* --same-as-test: the test's values, recomputed in memory, against the sweep's CSV */
static int same_as_test(gdl_bench_sweep *bs, void *ctx) {
  (void)ctx;
  const gdl_table *t = &bs->t;
  size_t diffs = 0, rows = 0;
  for (size_t r = 0; r < t->nrows; r++) {
    int g = (int)gdl_table_get(t, r, "group"), rc;
    unsigned n = (unsigned)gdl_table_get(t, r, "p"), k = (unsigned)gdl_table_get(t, r, "k");
    sqd_result v;
    if (g <= 1)
      rc = sqd_zp_point((uint64_t)gdl_table_get(t, r, "p"), (sqd_phi)(int)gdl_table_get(t, r, "phi"), (sqd_group)g, &v);
    else
      rc = g == 2 ? sqd_parity_point(n, k, &v) : sqd_conj_point(n, k, &v);
    if (rc) gdl_bench_die(PROG, "recompute", rc);
    rows++;
    if ((double)v.d != gdl_table_get(t, r, "d") || v.maxoff != gdl_table_get(t, r, "maxoff") ||
        v.offmass != gdl_table_get(t, r, "offmass")) {
      fprintf(stderr, "%s: row %zu differs from the test's value (d %zu vs %g)\n", PROG, r, v.d,
              gdl_table_get(t, r, "d"));
      diffs++;
    }
  }
  printf("%s: same_as_test: %zu rows compared, %zu differ\n", PROG, rows, diffs);
  return diffs || rows != t->nrows || rows == 0;
}

static sq_dimension_config CFG;
static size_t grid(const gdl_bench_args *a) {
  (a->full ? sq_dimension_config_full : sq_dimension_config_default)(&CFG);
  return sq_dimension_npoints(&CFG);
}

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "sq_dimension", .sweep = {"sq_dimension", "sq_dimension"}, .table = "sq_dimension.csv",
    .claims = "SQ1", .figures = "sq_dimension_packing", .grid = grid, .cfg_json = sq_dimension_config_json,
    .cfg = &CFG, .ctx = &CFG, .cost = point_cost, .point = point, .outputs = outputs, .check = same_as_test};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
