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

int main(int argc, char **argv) {
  gdl_bench_args args;
  int same = 0;
  gdl_bench_parse(&args, PROG, GDL_BENCH_USAGE_SAME_AS_TEST, argc, argv, gdl_bench_flag_same_as_test, &same);
  sq_dimension_config cfg;
  if (args.full)
    sq_dimension_config_full(&cfg);
  else
    sq_dimension_config_default(&cfg);
  int rc;
  gdl_bench_sweep bs;
  gdl_bench_sweep_run(&bs, &args, same, &argc, &argv, "sq_dimension", "sq_dimension", sq_dimension_config_json, &cfg,
                      sq_dimension_npoints(&cfg), point_cost, point, &cfg, "sq_dimension.csv");
  int status = 0;
  if (bs.root) {
    const gdl_table *t = &bs.t;
    char path[4096];
    /* fits: log d vs log p per (group, phi) */
    gdl_summary *sum = NULL;
    if ((rc = gdl_summary_new("SQ1", &sum))) gdl_bench_die(PROG, "summary", rc);
    FILE *fg = NULL;
    gdl_bench_out_path(&args, "fits.gp", path, sizeof path);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(fg = fopen(tmp, "w"))) gdl_bench_die(PROG, "fits.gp", gdl_fail(GDL_EIO, "cannot write %s", tmp));
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
        if (n >= 2 && (rc = gdl_fit_loglog(n, x, y, &fit))) gdl_bench_die(PROG, "fit", rc);
        fprintf(fg, "slope_%s_%s = %.6g\nse_%s_%s = %.6g\n", sqd_group_name((sqd_group)g), sqd_phi_name((sqd_phi)f),
                fit.slope, sqd_group_name((sqd_group)g), sqd_phi_name((sqd_phi)f), fit.se_slope);
        char check[96];
        if (g == SQD_MUL && f == SQD_PHI_COS) {
          snprintf(check, sizeof check, "mul_cos_packing_ge_(p-1)/2_every_p");
          if ((rc = gdl_summary_check(sum, "SQ1", check, (double)ok_cos, ">=", 1, ok_cos))) gdl_bench_die(PROG, "summary", rc);
        }
        if (g == SQD_MUL && f != SQD_PHI_COS) {
          snprintf(check, sizeof check, "mul_%s_packing_ge_mass_guarantee_every_p", sqd_phi_name((sqd_phi)f));
          if ((rc = gdl_summary_check(sum, "SQ1", check, (double)ok_guar, ">=", 1, ok_guar))) gdl_bench_die(PROG, "summary", rc);
          snprintf(check, sizeof check, "mul_%s_loglog_slope", sqd_phi_name((sqd_phi)f));
          if ((rc = gdl_summary_check(sum, "SQ1", check, fit.slope, ">=", 1.0 / 3.0, fit.slope >= 1.0 / 3.0)))
            gdl_bench_die(PROG, "summary", rc);
        }
        if (g == SQD_ADD) {
          snprintf(check, sizeof check, "control_add_%s_loglog_slope", sqd_phi_name((sqd_phi)f));
          if ((rc = gdl_summary_check(sum, "SQ1", check, fit.slope, "<", 1.0 / 3.0, fit.slope < 1.0 / 3.0)))
            gdl_bench_die(PROG, "summary", rc);
        }
      }
    fclose(fg);
    if (rename(tmp, path)) gdl_bench_die(PROG, "fits.gp", gdl_fail(GDL_EIO, "cannot rename %s", tmp));
    int ok_par = 1;
    for (size_t r = 0; r < t->nrows; r++)
      if (gdl_table_get(t, r, "group") == 2 && gdl_table_get(t, r, "d") != gdl_table_get(t, r, "members")) ok_par = 0;
    if ((rc = gdl_summary_check(sum, "SQ1", "parity_packing_eq_C(n,k)_every_k", ok_par, ">=", 1, ok_par)))
      gdl_bench_die(PROG, "summary", rc);
    if ((rc = gdl_summary_figure(sum, "sq_dimension_packing"))) gdl_bench_die(PROG, "summary", rc);
    gdl_bench_sweep_write(&bs, sum);
    gdl_summary_free(sum);
    if (same) {
      /* the test's values, in memory, against the sweep's CSV */
      size_t diffs = 0, rows = 0;
      for (size_t r = 0; r < t->nrows; r++) {
        int g = (int)gdl_table_get(t, r, "group");
        sqd_result v;
        if (g <= 1)
          rc = sqd_zp_point((uint64_t)gdl_table_get(t, r, "p"), (sqd_phi)(int)gdl_table_get(t, r, "phi"), (sqd_group)g, &v);
        else if (g == 2)
          rc = sqd_parity_point((unsigned)gdl_table_get(t, r, "p"), (unsigned)gdl_table_get(t, r, "k"), &v);
        else
          rc = sqd_conj_point((unsigned)gdl_table_get(t, r, "p"), (unsigned)gdl_table_get(t, r, "k"), &v);
        if (rc) gdl_bench_die(PROG, "recompute", rc);
        rows++;
        if ((double)v.d != gdl_table_get(t, r, "d") || v.maxoff != gdl_table_get(t, r, "maxoff") || v.offmass != gdl_table_get(t, r, "offmass")) {
          fprintf(stderr, "%s: row %zu differs from the test's value (d %zu vs %g)\n", PROG, r, v.d, gdl_table_get(t, r, "d"));
          diffs++;
        }
      }
      printf("%s: same_as_test: %zu rows compared, %zu differ\n", PROG, rows, diffs);
      if (diffs || rows != t->nrows || rows == 0) status = 1;
    }
  }
  gdl_bench_sweep_end(&bs);
  return status;
}
