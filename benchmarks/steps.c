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
  gdl_table *curves; /* rank 0: every point's curve, read back */
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

/* the points' curves read back (c->curves) and concatenated into DIR/steps_curves.csv */
static int curves(gdl_bench_sweep *bs, ctx_t *c) {
  const size_t np = c->cfg.np;
  gdl_csv *cc = NULL;
  int rc = GDL_OK;
  if (!(c->curves = calloc(np, sizeof *c->curves))) return gdl_fail(GDL_ENOMEM, "curves: out of memory");
  GDL_TRY(gdl_bench_csv_open(bs->args, "steps_curves.csv", STEPS_NCURVE_COLS, steps_curve_columns, &cc));
  for (size_t i = 0; i < np; i++) {
    char cp[4096];
    GDL_TRY_CLEANUP(gdl_sweep_point_file(bs->sw, i, "curve.csv", cp, sizeof cp));
    GDL_TRY_CLEANUP(gdl_csv_read(cp, &c->curves[i]));
    const gdl_table *cu = &c->curves[i];
    for (size_t r = 0; r < cu->nrows; r++) GDL_TRY_CLEANUP(gdl_csv_row(cc, cu->v + r * cu->ncols));
  }
  rc = gdl_csv_commit(cc);
  cc = NULL;
cleanup:
  if (cc) gdl_csv_abort(cc);
  return rc;
}

/* DIR/steps_ps.gp: the moduli and T, for the figure */
static int moduli(const gdl_bench_args *args, const steps_config *cfg) {
  char path[4096], ps[512] = "ps = \"";
  gdl_bench_out_path(args, "steps_ps.gp", path, sizeof path);
  for (size_t i = 0; i < cfg->np; i++)
    snprintf(ps + strlen(ps), sizeof ps - strlen(ps), "%s%llu", i ? " " : "", (unsigned long long)cfg->p[i]);
  snprintf(ps + strlen(ps), sizeof ps - strlen(ps), "\"\nT = %zu\n", cfg->T);
  return gdl_write_atomic(path, ps, strlen(ps));
}

/* rank 0: the curves, the moduli and the test's checks on every point */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *vctx) {
  ctx_t *c = vctx;
  const gdl_table *t = &bs->t;
  GDL_TRY(curves(bs, c));
  GDL_TRY(moduli(bs->args, &c->cfg));
  double worst_slack = INFINITY, worst_cheb = 0, low_gain = INFINITY, high_gain = -INFINITY, tight = INFINITY;
  for (size_t r = 0; r < t->nrows; r++) {
    double p = gdl_table_get(t, r, "p");
    worst_slack = fmin(worst_slack, gdl_table_get(t, r, "min_slack"));
    worst_cheb = fmax(worst_cheb, gdl_table_get(t, r, "cheb_max"));
    tight = fmin(tight, gdl_table_get(t, r, "e_T") / gdl_table_get(t, r, "bound_T"));
    if (p <= 7) low_gain = fmin(low_gain, gdl_table_get(t, r, "gain"));
    if (p >= 509) high_gain = fmax(high_gain, gdl_table_get(t, r, "gain"));
  }
  GDL_TRY(gdl_summary_check(sum, "SC1", "e_t_le_B_t_min_rel_slack", worst_slack, ">=", -1e-9, worst_slack >= -1e-9));
  GDL_TRY(gdl_summary_check(sum, "SC1", "bound_tightness_min_e_T_over_B_T", tight, ">=", 0.1, tight >= 0.1));
  GDL_TRY(gdl_summary_check(sum, "SC1", "chebyshev_event_max_ratio", worst_cheb, "<=", 1, worst_cheb <= 1));
  GDL_TRY(gdl_summary_check(sum, "SC1", "high_p_max_corr_gain", high_gain, "<=", 0.05, high_gain <= 0.05));
  return gdl_summary_check(sum, "SC1", "control_low_p_min_corr_gain", low_gain, ">=", 0.3, low_gain >= 0.3);
}

/* --same-as-test: rerun every point in memory as the test does; 1 unless the sweep's files
 * hold bit-identical numbers */
static int same_as_test(gdl_bench_sweep *bs, void *vctx) {
  const ctx_t *c = vctx;
  const size_t np = c->cfg.np;
  size_t diffs = 0;
  int rc;
  for (size_t i = 0; i < np; i++) {
    const gdl_table *cu = &c->curves[i];
    steps_result res;
    if ((rc = steps_run(&c->cfg, c->seed, i, &res))) gdl_bench_die(PROG, "recompute", rc);
    double row[STEPS_NPOINT_COLS];
    steps_point_row(&res, row);
    for (size_t j = 0; j < STEPS_NPOINT_COLS; j++)
      if (!gdl_bench_same(row[j], gdl_table_get(&bs->t, i, steps_point_columns[j]))) {
        fprintf(stderr, "%s: point %zu column %s differs\n", PROG, i, steps_point_columns[j]);
        diffs++;
      }
    for (size_t tt = 0; tt <= res.T && tt < cu->nrows; tt++)
      if (!gdl_bench_same(res.e[tt], gdl_table_get(cu, tt, "e")) ||
          !gdl_bench_same(res.bound[tt], gdl_table_get(cu, tt, "bound")) ||
          !gdl_bench_same(res.var[tt], gdl_table_get(cu, tt, "var")))
        diffs++;
    if (cu->nrows != res.T + 1) diffs++;
    steps_result_free(&res);
  }
  printf("%s: same_as_test: %zu points compared, %zu values differ\n", PROG, np, diffs);
  return diffs ? 1 : 0;
}

static ctx_t CTX;
static size_t grid(const gdl_bench_args *a) {
  (a->full ? steps_config_full : steps_config_default)(&CTX.cfg);
  CTX.seed = a->seed;
  return CTX.cfg.np;
}

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "steps", .sweep = {"steps", "steps"}, .table = "steps.csv", .claims = "SC1",
    .figures = "steps_distance", .grid = grid, .cfg_json = steps_config_json, .cfg = &CTX.cfg, .ctx = &CTX,
    .cost = point_cost, .point = point, .outputs = outputs, .check = same_as_test};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
