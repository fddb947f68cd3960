/* bench_equivariance: claim EQ sweep (figure equivariance_error; summary.json).
 *
 *   bench_equivariance --out DIR [--full] [--seed N]
 *
 * The experiment is experiments/equivariance.{h,c}; this program runs it over its grid
 * (equivariance_point, one point per EQ1 pair run setup x algo x depth, per EQ2 case and per
 * EQ3 learner x target) with gdl_sweep_run (OpenMP over points; under `mpirun -n K` the points
 * go to ranks by the cost estimates of point_cost, gdl_sweep_set_costs), keyed by the configuration document (a rerun with the same
 * seed, mode and configuration skips finished points), then rank 0 assembles. Quick: 300
 * EQ1 steps; full: 1000.
 * Outputs: equivariance_error.csv (setup,algo,depth,step,err,err_plot),
 *   equivariance_error_max.csv (setup,algo,step,err_max over depths, floored at 1e-17 for log
 *   axes), equivariance_ks.csv (EQ2), equivariance_eq3.csv (EQ3 correlations: hand,target,run,corr),
 *   equivariance.json (configuration from the config struct + results + provenance),
 *   summary.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_cli.h"
#include "experiments/equivariance.h"

#define PROG "bench_equivariance"
#define FLOOR 1e-17

typedef struct {
  double maxerr[EQ_NSETUPS][EQ_NALGOS];
  eq2_result eq2[EQ2_NCASES];
  double eq3_mean[2][2], eq3_se[2][2]; /* [hand][target] */
  double eq3_T[2], eq3_Tup, eq3_Tdown;  /* symmetric test per learner; FCN with the shifts */
} eq_results;

static int point_table(gdl_sweep *sw, size_t i, gdl_table *t) {
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(sw, i, "csv", path, sizeof path));
  return gdl_csv_read(path, t);
}

/* EQ1: every pair run's per-step error into equivariance_error.csv, and per (setup, algo)
 * the max over depths into equivariance_error_max.csv */
static int assemble_eq1(gdl_sweep *sw, const equivariance_config *cfg, const gdl_bench_args *out, eq_results *res) {
  static const char *const c1[] = {"setup", "algo", "depth", "step", "err", "err_plot"};
  static const char *const c2[] = {"setup", "algo", "step", "err_max"};
  int rc = GDL_OK;
  gdl_csv *ce = NULL, *cm = NULL;
  gdl_table t = {0};
  const size_t T = cfg->eq1_steps;
  double *emax = calloc(T + 1, sizeof *emax);
  if (!emax) return gdl_fail(GDL_ENOMEM, "out of memory");
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "equivariance_error.csv", 6, c1, &ce));
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "equivariance_error_max.csv", 4, c2, &cm));
  for (size_t s = 0; s < EQ_NSETUPS; s++)
    for (size_t a = 0; a < EQ_NALGOS; a++) {
      memset(emax, 0, (T + 1) * sizeof *emax);
      res->maxerr[s][a] = 0;
      for (size_t d = 0; d < EQ1_NDEPTHS; d++) {
        GDL_TRY_CLEANUP(point_table(sw, equivariance_point_index(EQ_POINT_EQ1, (s * EQ_NALGOS + a) * EQ1_NDEPTHS + d), &t));
        int ks = gdl_table_col(&t, "step"), ke = gdl_table_col(&t, "err");
        if (ks < 0 || ke < 0 || t.ncols != 5) GDL_TRY_CLEANUP(gdl_fail(GDL_EPARSE, "eq1 point: bad columns"));
        for (size_t r = 0; r < t.nrows; r++) {
          const double *v = t.v + r * t.ncols;
          size_t step = (size_t)v[ks];
          if (step == 0 || step > T) continue;
          double e = isfinite(v[ke]) ? v[ke] : INFINITY;
          double row[6] = {v[0], v[1], v[2], v[3], e, fmax(e, FLOOR)};
          GDL_TRY_CLEANUP(gdl_csv_row(ce, row));
          emax[step] = fmax(emax[step], e);
          res->maxerr[s][a] = fmax(res->maxerr[s][a], e);
        }
        gdl_table_free(&t);
      }
      for (size_t step = 1; step <= T; step++) {
        double row[4] = {(double)s, (double)a, (double)step, fmax(emax[step], FLOOR)};
        GDL_TRY_CLEANUP(gdl_csv_row(cm, row));
      }
    }
  rc = gdl_csv_commit(ce);
  ce = NULL;
  if (rc == GDL_OK) rc = gdl_csv_commit(cm);
  cm = NULL;
cleanup:
  gdl_table_free(&t);
  if (ce) gdl_csv_abort(ce);
  if (cm) gdl_csv_abort(cm);
  free(emax);
  return rc;
}

/* EQ2: the KS results of every case into equivariance_ks.csv */
static int assemble_eq2(gdl_sweep *sw, const gdl_bench_args *out, eq_results *res) {
  static const char *const ck[] = {"case", "init", "group", "expect_equal", "D", "p"};
  int rc = GDL_OK;
  gdl_csv *csv = NULL;
  gdl_table t = {0};
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "equivariance_ks.csv", 6, ck, &csv));
  for (size_t c = 0; c < EQ2_NCASES; c++) {
    GDL_TRY_CLEANUP(point_table(sw, equivariance_point_index(EQ_POINT_EQ2, c), &t));
    int kD = gdl_table_col(&t, "D"), kp = gdl_table_col(&t, "p"), kn = gdl_table_col(&t, "nonfinite");
    if (t.nrows != 1 || kD < 0 || kp < 0 || kn < 0) GDL_TRY_CLEANUP(gdl_fail(GDL_EPARSE, "eq2 point %zu: bad table", c));
    res->eq2[c].D = t.v[kD];
    res->eq2[c].p = t.v[kp];
    res->eq2[c].nonfinite = (size_t)t.v[kn];
    GDL_TRY_CLEANUP(gdl_csv_row(csv, t.v)); /* case, init, group, expect_equal, D, p */
    gdl_table_free(&t);
  }
  rc = gdl_csv_commit(csv);
  csv = NULL;
cleanup:
  gdl_table_free(&t);
  if (csv) gdl_csv_abort(csv);
  return rc;
}

/* EQ3: the final correlations per (learner, target) into equivariance_eq3.csv; means, SEs and
 * the symmetric test between the two targets per learner */
static int assemble_eq3(gdl_sweep *sw, const equivariance_config *cfg, const gdl_bench_args *out, eq_results *res) {
  static const char *const cols[] = {"hand", "target", "run", "corr"};
  const size_t R[2] = {cfg->eq3_runs, cfg->eq3_runs_hand};
  int rc = GDL_OK;
  gdl_csv *csv = NULL;
  gdl_table t = {0};
  double *corr[2][2] = {{NULL}};
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "equivariance_eq3.csv", 4, cols, &csv));
  for (size_t sub = 0; sub < 4; sub++) {
    int hand, target;
    eq3_point_learner(sub, &hand, &target);
    const size_t n = R[hand];
    double *v = corr[hand][target] = malloc(n * sizeof *v);
    if (!v) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "out of memory"));
    GDL_TRY_CLEANUP(point_table(sw, equivariance_point_index(EQ_POINT_EQ3, sub), &t));
    int kc = gdl_table_col(&t, "corr");
    if (t.nrows != n || kc < 0) GDL_TRY_CLEANUP(gdl_fail(GDL_EPARSE, "eq3 point %zu: bad table", sub));
    for (size_t r = 0; r < n; r++) {
      v[r] = t.v[r * t.ncols + kc];
      GDL_TRY_CLEANUP(gdl_csv_row(csv, t.v + r * t.ncols));
    }
    GDL_TRY_CLEANUP(gdl_mean_se(n, v, &res->eq3_mean[hand][target], &res->eq3_se[hand][target]));
    gdl_table_free(&t);
  }
  for (int h = 0; h < 2; h++) GDL_TRY_CLEANUP(eq3_sym_test(R[h], corr[h][0], corr[h][1], 0.0, &res->eq3_T[h]));
  GDL_TRY_CLEANUP(eq3_sym_test(R[0], corr[0][0], corr[0][1], 0.1, &res->eq3_Tup));
  GDL_TRY_CLEANUP(eq3_sym_test(R[0], corr[0][0], corr[0][1], -0.1, &res->eq3_Tdown));
  rc = gdl_csv_commit(csv);
  csv = NULL;
cleanup:
  gdl_table_free(&t);
  if (csv) gdl_csv_abort(csv);
  for (int h = 0; h < 2; h++)
    for (int t2 = 0; t2 < 2; t2++) free(corr[h][t2]);
  return rc;
}

/* EQ3's rows of summary.json (the checks of theorems/equivariance.c) */
static int summary_eq3(gdl_summary *sm, const equivariance_config *cfg, const eq_results *res) {
  const double(*m)[2] = res->eq3_mean, (*se)[2] = res->eq3_se, c = eq3_sym_threshold(1e-6);
  char chk[256];
  for (int t = 0; t < 2; t++) {
    double v = m[0][t] - 4 * se[0][t];
    snprintf(chk, sizeof chk, "FCN mean corr on %s - 4 SE (%zu runs; mean %.3f)", t ? "chi_pi(S)" : "chi_S",
             cfg->eq3_runs, m[0][t]);
    GDL_TRY(gdl_summary_check(sm, "EQ3", chk, v, ">", 0.5, v > 0.5));
  }
  snprintf(chk, sizeof chk, "FCN symmetric test |T|, corr chi_S vs chi_pi(S) (%zu pairs)", cfg->eq3_runs);
  GDL_TRY(gdl_summary_check(sm, "EQ3", chk, fabs(res->eq3_T[0]), "<", c, fabs(res->eq3_T[0]) < c));
  GDL_TRY(gdl_summary_check(sm, "EQ3", "power: FCN T with chi_pi(S) law shifted by -0.1", res->eq3_Tup, ">", c,
                            res->eq3_Tup > c));
  GDL_TRY(gdl_summary_check(sm, "EQ3", "power: -T with chi_pi(S) law shifted by +0.1", -res->eq3_Tdown, ">", c,
                            -res->eq3_Tdown > c));
  double gap = m[1][0] - m[1][1], gse = sqrt(se[1][0] * se[1][0] + se[1][1] * se[1][1]);
  snprintf(chk, sizeof chk, "hand-placed twin: mean corr chi_S - chi_pi(S) - 4 SE (%.3f vs %.3f)", m[1][0], m[1][1]);
  GDL_TRY(gdl_summary_check(sm, "EQ3", chk, gap - 4 * gse, ">", 0.5, gap - 4 * gse > 0.5));
  GDL_TRY(gdl_summary_check(sm, "EQ3", "hand-placed twin: symmetric test T (control)", res->eq3_T[1], ">", c,
                            res->eq3_T[1] > c));
  return GDL_OK;
}

/* the summary rows: the same checks as theorems/equivariance.c, on the sweep's values */
static int summarise(gdl_summary *sm, const equivariance_config *cfg, const eq_results *res) {
  char chk[256];
  for (size_t s = 0; s < EQ_NSETUPS; s++)
    for (size_t a = 0; a < EQ_NALGOS; a++) {
      int eq = eq1_expect_equivariant((eq_setup)s, (eq_algo)a);
      double e = res->maxerr[s][a];
      snprintf(chk, sizeof chk, "%s %s: max |f_B(gx)-f_A(x)| over %zu steps, depths 2-4%s", eq_setup_name((eq_setup)s),
               eq_algo_name((eq_algo)a), cfg->eq1_steps, eq ? "" : " (control, must exceed)");
      double meas = isfinite(e) ? e : 1e300;
      if (eq) GDL_TRY(gdl_summary_check(sm, "EQ1", chk, meas, "<=", 1e-9, isfinite(e) && e <= 1e-9));
      else GDL_TRY(gdl_summary_check(sm, "EQ1", chk, meas, ">", 1e-4, isfinite(e) && e > 1e-4));
    }
  for (size_t k = 0; k < EQ2_NCASES; k++) {
    eq2_config c;
    eq2_config_case(&c, k);
    const eq2_result *r = &res->eq2[k];
    snprintf(chk, sizeof chk, "KS p, %s first layer under %s (D = %.4f)%s", eq2_init_name(c.init),
             eq2_group_name(c.group), r->D, c.expect_equal ? "" : " (control)");
    if (c.expect_equal) GDL_TRY(gdl_summary_check(sm, "EQ2", chk, r->p, ">", 1e-7, r->nonfinite == 0 && r->p > 1e-7));
    else GDL_TRY(gdl_summary_check(sm, "EQ2", chk, r->p, "<", 1e-12, r->nonfinite == 0 && r->p < 1e-12));
  }
  return summary_eq3(sm, cfg, res);
}

/* the headline results into the sidecar document (written by gdl_bench_sweep_write) */
static int sidecar_results(gdl_json *doc, const eq_results *res) {
  double worst = 0;
  for (size_t s = 0; s < EQ_NSETUPS; s++)
    for (size_t a = 0; a < EQ_NALGOS; a++)
      if (eq1_expect_equivariant((eq_setup)s, (eq_algo)a)) worst = fmax(worst, res->maxerr[s][a]);
  GDL_TRY(gdl_json_begin(doc, "results"));
  GDL_TRY(gdl_json_num(doc, "eq1_worst_equivariant_maxerr", worst));
  GDL_TRY(gdl_json_num(doc, "eq3_fcn_T", res->eq3_T[0]));
  GDL_TRY(gdl_json_num(doc, "eq3_twin_T", res->eq3_T[1]));
  return gdl_json_end(doc);
}

/* Cost estimate of point i, relative units (ratios measured on the quick grid, one thread): an
 * EQ1 run ~ steps x examples per step x width x (n + (depth - 2) width / 2) (SGD: ~4 batches of
 * overhead); an EQ2 case and an EQ3 run measured ~ 60e6 and ~ 350e6 units. Only the rank
 * assignment and the start order use it (gdl_sweep_set_costs). */
static double point_cost(const void *ctx, size_t i) {
  const equivariance_config *cfg = &((const equivariance_sweep_ctx *)ctx)->cfg;
  size_t sub;
  eq_point_kind k = equivariance_point_kind(cfg, i, &sub);
  if (k == EQ_POINT_EQ2) return 60e6;
  if (k == EQ_POINT_EQ3) return 350e6;
  eq1_config c;
  eq1_point_config(cfg, sub, &c);
  double m = c.algo == EQ_SGD ? 4.0 * (double)c.batch : (double)c.m, w = (double)c.width;
  return (double)c.steps * m * w * ((double)c.n + 0.5 * (double)(c.depth - 2) * w);
}

/* rank 0: the assembled CSVs, the sidecar's results and the summary rows */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *vctx) {
  const equivariance_sweep_ctx *ctx = vctx;
  eq_results res;
  memset(&res, 0, sizeof res);
  GDL_TRY(assemble_eq1(bs->sw, &ctx->cfg, bs->args, &res));
  GDL_TRY(assemble_eq2(bs->sw, bs->args, &res));
  GDL_TRY(assemble_eq3(bs->sw, &ctx->cfg, bs->args, &res));
  GDL_TRY(sidecar_results(bs->doc, &res));
  GDL_TRY(summarise(sum, &ctx->cfg, &res));
  printf("equivariance: results in %s (EQ1 worst equivariant error %.3g; EQ3 FCN T %.3f)\n", bs->args->out,
         fmax(fmax(res.maxerr[0][0], res.maxerr[1][0]), res.maxerr[2][0]), res.eq3_T[0]);
  return GDL_OK;
}

static equivariance_sweep_ctx CTX;
static size_t grid(const gdl_bench_args *a) {
  equivariance_config_default(&CTX.cfg);
  if (a->full) CTX.cfg.eq1_steps = 1000;
  CTX.seed = a->seed;
  return equivariance_npoints(&CTX.cfg);
}

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "equivariance", .sweep = {"eq-quick", "eq-full"}, .claims = "EQ",
    .figures = "equivariance_error.png", .grid = grid, .cfg_json = equivariance_config_json, .cfg = &CTX.cfg,
    .ctx = &CTX, .cost = point_cost, .point = equivariance_point, .outputs = outputs};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
