/* bench_steps: claim SC1, distance between the true-gradient and the class-mean-gradient GD runs
 * vs the step t, for several p (figure steps_distance).
 *
 *   bench_steps --out DIR [--full] [--seed N] [--same-as-test]
 *
 * One keyed sweep point per modulus, written by steps_write_point (experiments/steps.h), the
 * run the theorem test calls (steps_run). DIR/steps.csv (one row per p: end values),
 * DIR/steps_curves.csv (p,t,e,dpred,bound,bound_var,dgrad,var,ell), DIR/steps_ps.gp (the moduli,
 * for the figure), DIR/steps.json (config + provenance), DIR/summary.json (the SC1 checks).
 * --same-as-test (quick only): rerun every point in memory as the test does and exit 1 unless
 * the sweep's files hold bit-identical numbers (ctest experiments.steps.same_as_test). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_cli.h"
#include "gdl/gdl.h"
#include "experiments/steps.h"

#define PROG "bench_steps"

typedef struct {
  steps_config cfg;
  uint64_t seed;
} ctx_t;

static int point(void *vctx, gdl_sweep *s, size_t i) {
  const ctx_t *c = vctx;
  char csv[4096], curve[4096];
  GDL_TRY(gdl_sweep_point_file(s, i, "curve.csv", curve, sizeof curve));
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", csv, sizeof csv));
  return steps_write_point(&c->cfg, c->seed, i, csv, curve);
}

/* Cost estimate of point i (gdl_sweep_set_costs: rank assignment and start order): T steps, each
 * an exact class variance and two passes over Z_p; measured ~ p (ln p)^2 on the quick grid. */
static double point_cost(const void *vctx, size_t i) {
  const ctx_t *c = vctx;
  double p = (double)c->cfg.p[i];
  return (double)c->cfg.T * p * log(p) * log(p);
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  int same_flag = 0;
  gdl_bench_parse(&args, PROG, GDL_BENCH_USAGE_SAME_AS_TEST, argc, argv, gdl_bench_flag_same_as_test, &same_flag);
  ctx_t ctx;
  if (args.full)
    steps_config_full(&ctx.cfg);
  else
    steps_config_default(&ctx.cfg);
  ctx.seed = args.seed;
  int rc;
  size_t np = ctx.cfg.np;
  gdl_bench_sweep bs;
  gdl_bench_sweep_run(&bs, &args, same_flag, &argc, &argv, "steps", "steps", steps_config_json, &ctx.cfg, np, point_cost, point, &ctx, "steps.csv");
  int status = 0;
  if (bs.root) {
    const gdl_table *t = &bs.t;
    char path[4096];
    /* the curves, concatenated */
    gdl_csv *cc = NULL;
    gdl_bench_out_path(&args, "steps_curves.csv", path, sizeof path);
    if ((rc = gdl_csv_open(path, STEPS_NCURVE_COLS, steps_curve_columns, &cc))) gdl_bench_die(PROG, "curves", rc);
    gdl_table *curves = calloc(np, sizeof *curves);
    if (!curves) gdl_bench_die(PROG, "curves", gdl_fail(GDL_ENOMEM, "out of memory"));
    for (size_t i = 0; i < np; i++) {
      char cp[4096];
      if ((rc = gdl_sweep_point_file(bs.sw, i, "curve.csv", cp, sizeof cp)) || (rc = gdl_csv_read(cp, &curves[i])))
        gdl_bench_die(PROG, "curve of a point", rc);
      for (size_t r = 0; r < curves[i].nrows; r++)
        if ((rc = gdl_csv_row(cc, curves[i].v + r * curves[i].ncols))) gdl_bench_die(PROG, "curves", rc);
    }
    if ((rc = gdl_csv_commit(cc))) gdl_bench_die(PROG, "curves", rc);
    gdl_bench_out_path(&args, "steps_ps.gp", path, sizeof path);
    char ps[512] = "ps = \"";
    for (size_t i = 0; i < np; i++)
      snprintf(ps + strlen(ps), sizeof ps - strlen(ps), "%s%llu", i ? " " : "", (unsigned long long)ctx.cfg.p[i]);
    snprintf(ps + strlen(ps), sizeof ps - strlen(ps), "\"\nT = %zu\n", ctx.cfg.T);
    if ((rc = gdl_write_atomic(path, ps, strlen(ps)))) gdl_bench_die(PROG, "steps_ps.gp", rc);
    /* summary: the test's checks on every point */
    gdl_summary *sum = NULL;
    if ((rc = gdl_summary_new("SC1", &sum))) gdl_bench_die(PROG, "summary", rc);
    double worst_slack = INFINITY, worst_cheb = 0, low_gain = INFINITY, high_gain = -INFINITY, tight = INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
      double p = gdl_table_get(t, r, "p");
      worst_slack = fmin(worst_slack, gdl_table_get(t, r, "min_slack"));
      worst_cheb = fmax(worst_cheb, gdl_table_get(t, r, "cheb_max"));
      tight = fmin(tight, gdl_table_get(t, r, "e_T") / gdl_table_get(t, r, "bound_T"));
      if (p <= 7) low_gain = fmin(low_gain, gdl_table_get(t, r, "gain"));
      if (p >= 509) high_gain = fmax(high_gain, gdl_table_get(t, r, "gain"));
    }
    if ((rc = gdl_summary_check(sum, "SC1", "e_t_le_B_t_min_rel_slack", worst_slack, ">=", -1e-9, worst_slack >= -1e-9)) ||
        (rc = gdl_summary_check(sum, "SC1", "bound_tightness_min_e_T_over_B_T", tight, ">=", 0.1, tight >= 0.1)) ||
        (rc = gdl_summary_check(sum, "SC1", "chebyshev_event_max_ratio", worst_cheb, "<=", 1, worst_cheb <= 1)) ||
        (rc = gdl_summary_check(sum, "SC1", "high_p_max_corr_gain", high_gain, "<=", 0.05, high_gain <= 0.05)) ||
        (rc = gdl_summary_check(sum, "SC1", "control_low_p_min_corr_gain", low_gain, ">=", 0.3, low_gain >= 0.3)) ||
        (rc = gdl_summary_figure(sum, "steps_distance")))
      gdl_bench_die(PROG, "summary", rc);
    gdl_bench_sweep_write(&bs, sum);
    gdl_summary_free(sum);
    if (same_flag) {
      size_t diffs = 0;
      for (size_t i = 0; i < np; i++) {
        steps_result res;
        if ((rc = steps_run(&ctx.cfg, ctx.seed, i, &res))) gdl_bench_die(PROG, "recompute", rc);
        double row[STEPS_NPOINT_COLS];
        steps_point_row(&res, row);
        for (size_t j = 0; j < STEPS_NPOINT_COLS; j++)
          if (!gdl_bench_same(row[j], gdl_table_get(t, i, steps_point_columns[j]))) {
            fprintf(stderr, "%s: point %zu column %s differs\n", PROG, i, steps_point_columns[j]);
            diffs++;
          }
        for (size_t tt = 0; tt <= res.T && tt < curves[i].nrows; tt++)
          if (!gdl_bench_same(res.e[tt], gdl_table_get(&curves[i], tt, "e")) || !gdl_bench_same(res.bound[tt], gdl_table_get(&curves[i], tt, "bound")) ||
              !gdl_bench_same(res.var[tt], gdl_table_get(&curves[i], tt, "var")))
            diffs++;
        if (curves[i].nrows != res.T + 1) diffs++;
        steps_result_free(&res);
      }
      printf("%s: same_as_test: %zu points compared, %zu values differ\n", PROG, np, diffs);
      if (diffs) status = 1;
    }
    for (size_t i = 0; i < np; i++) gdl_table_free(&curves[i]);
    free(curves);
  }
  gdl_bench_sweep_end(&bs);
  return status;
}
