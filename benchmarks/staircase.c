/* benchmarks/staircase.c: the sweep of claim MS (figures staircase_curves, staircase_hitting,
 * staircase_weights, staircase_leaps; summary.json for the claims report).
 *
 *   bench_staircase --out DIR [--full] [--seed N]
 *
 * The MS2 experiment of theorems/staircase.c over a grid, with the test's own point
 * configuration (staircase_ms2_config of experiments/staircase.h: same net, step, targets,
 * caps and random streams; run rep r at dimension d is the test's run (d, r)), plus the
 * first-layer weight tracks of MS3 (every d/4 steps; tracking does not change the run). The
 * staircase runs go on to the full 300d budget (curves), the other targets stop at their hit
 * (x1x2x3 and x1 + x1x2x3 at the latest at the cap of 3000d, 8000d with --full; x1x2x3x4 at
 * 10 d^3).
 * Quick: d in {32, 64, 128, 256}, 3 reps (leap 4: the quick test's d in {12, 16, 20, 24, 32},
 * 8 reps). --full: d in {32, ..., 512}, 8 reps (leap 4: the full test's d in {32, 48, 64, 96,
 * 128}, 12 reps).
 * Points are keyed (gdl_exp_sweep_begin): a rerun with the same seed, mode and configuration
 * resumes from the finished points; another seed computes its own. Built with -DGDL_MPI=ON,
 * `mpirun -n K bench_staircase ...` spreads the points over ranks (gdl/sweep.h). Outputs:
 *   staircase_curves.csv   target,d,seed,step,steps_over_d,fvu          (targets 0-2)
 *   staircase_weights.csv  d,seed,step,steps_over_d,w1,w2,w3,w4,bulk   (staircase runs)
 *   staircase_hitting.csv  target,d,seed,hit,hit_over_d,censored,escape
 *                          (hit = cap when censored; escape = first check with FVU < 0.9)
 *   staircase_hitmean.csv  target,d,geomean_T,fit_T        (targets 0-2: geometric mean, fit)
 *   staircase_fit.csv      target,slope,se,intercept,n     (target 3: the escape-time fit;
 *                                                           4: leap 4's hitting-time fit)
 *   staircase_leaps.csv    leap,predicted,slope,se,lo,hi,n,observable   (the leap ladder:
 *                          fitted exponent per leap, the prediction max(L-1,1) and the test's
 *                          interval; observable 0 = hitting time FVU < 0.1, 1 = escape time
 *                          FVU < 0.9, asserted for leap 4; leap 4's hitting time not asserted)
 *   staircase.json (configuration from the config structs + results + provenance),
 *   summary.json (claims report rows: MS2 and MS3 recomputed from the sweep's runs).
 * Target code (staircase_ms2_config): 0 = staircase, 1 = x1x2x3, 2 = x1 + x1x2x3, 3 =
 * x1x2x3x4. The slope fits follow the test: the staircase and leap 2 on their uncensored runs,
 * x1x2x3 with censored runs at their cap (a lower bound, see theorems/staircase.md), leap 4 on
 * the escape time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "experiments/staircase.h"
#include "bench_cli.h"

#define PROG "bench_staircase"
#define NT 4   /* targets */
#define MAXD 5
#define MAXS 12

typedef struct {
  int full;
  size_t nd, ns, cap_mult;
  size_t ds[MAXD];
  size_t nd4, ns4;   /* leap 4 (target 3) has its own grid */
  size_t ds4[MAXD];
  uint64_t seed;
} grid;

typedef struct {
  double T[NT][MAXD][MAXS]; /* hitting time (the cap when censored) */
  double E[NT][MAXD][MAXS]; /* escape time (first check with FVU < 0.9; 0 if none) */
  int cens[NT][MAXD][MAXS];
  double ms3_gap;           /* min over staircase runs of the gap between rise times, in snapshots */
  gdl_fit fit[NT + 1];      /* per target; fit[3] on the escape time, fit[4] leap 4's hitting time */
} results;

/* Points come in blocks by target, the expensive ones first: x1x2x3, x1x2x3x4, staircase,
 * x1 + x1x2x3; within a block the largest d first. */
static const int block_target[NT] = {1, 3, 0, 2};

static size_t nd_of(const grid *g, int t) { return t == 3 ? g->nd4 : g->nd; }
static size_t ns_of(const grid *g, int t) { return t == 3 ? g->ns4 : g->ns; }
static size_t d_of(const grid *g, int t, size_t i) { return t == 3 ? g->ds4[i] : g->ds[i]; }
static size_t npoints(const grid *g) { return 3 * g->nd * g->ns + g->nd4 * g->ns4; }

/* Point q: target, d index, rep. */
static void point_of(const grid *g, size_t q, int *t, size_t *i, size_t *s) {
  for (size_t b = 0; b < NT; b++) {
    int tb = block_target[b];
    size_t per = nd_of(g, tb) * ns_of(g, tb);
    if (q < per) {
      *t = tb;
      *i = nd_of(g, tb) - 1 - q / ns_of(g, tb);
      *s = q % ns_of(g, tb);
      return;
    }
    q -= per;
  }
  *t = 0; /* not reached for q < npoints */
  *i = *s = 0;
}

static size_t index_of(const grid *g, int t, size_t i, size_t s) {
  size_t off = 0;
  for (size_t b = 0; b < NT && block_target[b] != t; b++) off += nd_of(g, block_target[b]) * ns_of(g, block_target[b]);
  return off + (nd_of(g, t) - 1 - i) * ns_of(g, t) + s;
}

static void point_config(const grid *g, int t, size_t i, size_t s, staircase_config *c) {
  staircase_sweep_config(c, t, d_of(g, t, i), s, g->cap_mult);
}

static int grid_json(const void *cfg, gdl_json *j) {
  const grid *g = cfg;
  double dd[MAXD], d4[MAXD];
  for (size_t i = 0; i < g->nd; i++) dd[i] = (double)g->ds[i];
  for (size_t i = 0; i < g->nd4; i++) d4[i] = (double)g->ds4[i];
  GDL_TRY(gdl_json_nums(j, "d", g->nd, dd));
  GDL_TRY(gdl_json_int(j, "reps", (long long)g->ns));
  GDL_TRY(gdl_json_nums(j, "d_leap4", g->nd4, d4));
  GDL_TRY(gdl_json_int(j, "reps_leap4", (long long)g->ns4));
  GDL_TRY(gdl_json_int(j, "cap_mult_leap3", (long long)g->cap_mult));
  GDL_TRY(gdl_json_num(j, "escape_fvu", STAIRCASE_ESCAPE_FVU));
  GDL_TRY(gdl_json_begin_list(j, "points_at_smallest_d"));
  for (int t = 0; t < NT; t++) {
    staircase_config c;
    point_config(g, t, 0, 0, &c);
    GDL_TRY(gdl_json_begin(j, NULL));
    GDL_TRY(staircase_config_json(&c, j));
    GDL_TRY(gdl_json_end(j));
  }
  return gdl_json_end(j);
}

static int point_fn(void *ctx, gdl_sweep *s, size_t q) {
  const grid *g = ctx;
  int t;
  size_t i, r;
  point_of(g, q, &t, &i, &r);
  staircase_config c;
  point_config(g, t, i, r, &c);
  return staircase_point(&c, g->seed, s, q);
}

/* MS3 on one staircase run's weight track: min gap between consecutive take-offs (the
 * snapshot from which mean|W0[:,i]| stays > 2 x bulk, as staircase_rise_time), in snapshots
 * of d/4 steps; -1e9 if a coordinate never took off. */
static double rise_gap(const gdl_table *w, size_t d) {
  double rise[4] = {0, 0, 0, 0}, gap = INFINITY;
  for (size_t k = 0; k < 4; k++) {
    size_t r = w->nrows;
    while (r > 0 && w->v[(r - 1) * w->ncols + 1 + k] > 2.0 * w->v[(r - 1) * w->ncols + 5]) r--;
    if (r < w->nrows) rise[k] = w->v[r * w->ncols];
  }
  for (size_t k = 0; k < 4; k++)
    if (rise[k] == 0) return -1e9;
  for (size_t k = 0; k + 1 < 4; k++) gap = fmin(gap, (rise[k + 1] - rise[k]) / (double)(d / 4));
  return gap;
}

/* Reads every point back (gdl_csv_read) into the run tables and res->T/E/cens/ms3_gap. */
static int assemble(const grid *g, gdl_sweep *sw, const gdl_bench_args *out, results *res) {
  static const char *const ccols[] = {"target", "d", "seed", "step", "steps_over_d", "fvu"};
  static const char *const wcols[] = {"d", "seed", "step", "steps_over_d", "w1", "w2", "w3", "w4", "bulk"};
  static const char *const hcols[] = {"target", "d", "seed", "hit", "hit_over_d", "censored", "escape"};
  gdl_csv *cc = NULL, *cw = NULL, *ch = NULL;
  gdl_table h = {0}, cu = {0}, w = {0};
  char path[4096];
  int rc = GDL_OK;
  res->ms3_gap = INFINITY;
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "staircase_curves.csv", 6, ccols, &cc));
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "staircase_weights.csv", 9, wcols, &cw));
  GDL_TRY_CLEANUP(gdl_bench_csv_open(out, "staircase_hitting.csv", 7, hcols, &ch));
  for (int t = 0; t < NT; t++) /* stable order: target, d, seed */
    for (size_t i = 0; i < nd_of(g, t); i++)
      for (size_t s = 0; s < ns_of(g, t); s++) {
        size_t q = index_of(g, t, i, s);
        double d = (double)d_of(g, t, i);
        GDL_TRY_CLEANUP(gdl_sweep_point_file(sw, q, "csv", path, sizeof path));
        GDL_TRY_CLEANUP(gdl_csv_read(path, &h));
        if (h.nrows != 1 || h.ncols != 5) {
          rc = gdl_fail(GDL_EPARSE, "%s: expected one row of 5 columns", path);
          goto cleanup;
        }
        res->cens[t][i][s] = h.v[0] == 0;
        res->T[t][i][s] = h.v[0] > 0 ? h.v[0] : h.v[1];
        gdl_table_free(&h);
        GDL_TRY_CLEANUP(gdl_sweep_point_file(sw, q, "curve.csv", path, sizeof path));
        GDL_TRY_CLEANUP(gdl_csv_read(path, &cu));
        res->E[t][i][s] = 0; /* the escape time, as staircase_escape_time on the recorded curve */
        for (size_t r = 0; r < cu.nrows && res->E[t][i][s] == 0; r++)
          if (cu.v[2 * r + 1] < STAIRCASE_ESCAPE_FVU) res->E[t][i][s] = cu.v[2 * r];
        double hv[7] = {t, d, (double)s, res->T[t][i][s], res->T[t][i][s] / d, res->cens[t][i][s], res->E[t][i][s]};
        GDL_TRY_CLEANUP(gdl_csv_row(ch, hv));
        for (size_t r = 0; t != 3 && r < cu.nrows; r++) { /* leap 4's small d would shift the curves' grid */
          double cv[6] = {t, d, (double)s, cu.v[2 * r], cu.v[2 * r] / d, cu.v[2 * r + 1]};
          GDL_TRY_CLEANUP(gdl_csv_row(cc, cv));
        }
        gdl_table_free(&cu);
        if (t != 0) continue;
        GDL_TRY_CLEANUP(gdl_sweep_point_file(sw, q, "weights.csv", path, sizeof path));
        GDL_TRY_CLEANUP(gdl_csv_read(path, &w));
        for (size_t r = 0; r < w.nrows; r++) {
          const double *x = w.v + r * w.ncols;
          double wv[9] = {d, (double)s, x[0], x[0] / d, x[1], x[2], x[3], x[4], x[5]};
          GDL_TRY_CLEANUP(gdl_csv_row(cw, wv));
        }
        res->ms3_gap = fmin(res->ms3_gap, rise_gap(&w, g->ds[i]));
        gdl_table_free(&w);
      }
  rc = gdl_csv_commit(cc);
  cc = NULL;
  if (rc == GDL_OK) rc = gdl_csv_commit(cw);
  cw = NULL;
  if (rc == GDL_OK) rc = gdl_csv_commit(ch);
  ch = NULL;
cleanup:
  if (cc) gdl_csv_abort(cc);
  if (cw) gdl_csv_abort(cw);
  if (ch) gdl_csv_abort(ch);
  gdl_table_free(&h);
  gdl_table_free(&cu);
  gdl_table_free(&w);
  return rc;
}

/* Fit k of log T vs log d: k = 0, 2 (staircase, leap 2) on the uncensored runs; 1 (x1x2x3)
 * with censored runs at the cap; 3 (leap 4) on the escape times; 4 leap 4's hitting times
 * (uncensored; shown, not asserted). */
static int fit_one(const grid *g, const results *res, int k, gdl_fit *f) {
  int t = k == 4 ? 3 : k;
  double x[MAXD * MAXS], y[MAXD * MAXS];
  size_t n = 0;
  for (size_t i = 0; i < nd_of(g, t); i++)
    for (size_t s = 0; s < ns_of(g, t); s++) {
      double T = k == 3 ? res->E[t][i][s] : res->T[t][i][s];
      if ((k == 3 && T <= 0) || (k != 1 && k != 3 && res->cens[t][i][s])) continue;
      x[n] = (double)d_of(g, t, i);
      y[n++] = T;
    }
  if (n < 3) return gdl_fail(GDL_EINVAL, "staircase fit %d: %zu usable runs (< 3)", k, n);
  return gdl_fit_loglog(n, x, y, f);
}

/* DIR/<name>: nrows rows of ncols numbers */
static int write_table(const gdl_bench_args *out, const char *name, size_t ncols, const char *const *cols,
                       size_t nrows, const double *rows) {
  char path[4096];
  gdl_bench_out_path(out, name, path, sizeof path);
  return gdl_csv_write(path, ncols, cols, nrows, rows);
}

/* Fits and writes staircase_fit.csv, staircase_hitmean.csv and staircase_leaps.csv. */
static int fits(const grid *g, const gdl_bench_args *out, results *res) {
  for (int k = 0; k <= NT; k++) GDL_TRY(fit_one(g, res, k, &res->fit[k]));
  static const char *const fcols[] = {"target", "slope", "se", "intercept", "n"};
  static const char *const mcols[] = {"target", "d", "geomean_T", "fit_T"};
  static const char *const lcols[] = {"leap", "predicted", "slope", "se", "lo", "hi", "n", "observable"};
  double fv[NT + 1][5], mv[3 * MAXD][4], lv[5][8];
  for (int k = 0; k <= NT; k++) {
    const gdl_fit *f = &res->fit[k];
    double v[5] = {k, f->slope, f->se_slope, f->intercept, (double)f->n};
    memcpy(fv[k], v, sizeof v);
  }
  GDL_TRY(write_table(out, "staircase_fit.csv", 5, fcols, NT + 1, &fv[0][0]));
  size_t nm = 0;
  for (int t = 0; t < 3; t++)
    for (size_t i = 0; i < g->nd; i++) {
      double lm = 0, ld = log((double)g->ds[i]);
      for (size_t s = 0; s < g->ns; s++) lm += log(res->T[t][i][s]);
      lm /= (double)g->ns;
      double v[4] = {t, (double)g->ds[i], exp(lm), exp(res->fit[t].intercept + res->fit[t].slope * ld)};
      memcpy(mv[nm++], v, sizeof v);
    }
  GDL_TRY(write_table(out, "staircase_hitmean.csv", 4, mcols, nm, &mv[0][0]));
  /* the leap ladder: leap L, prediction max(L - 1, 1), fitted slope, the test's interval */
  static const int leap_fit[5] = {0, 2, 1, 3, 4}; /* leaps 1, 2, 3, 4 (escape), 4 (hitting) */
  const double lo[5] = {STAIRCASE_SLOPE_LEAP1_LO, STAIRCASE_SLOPE_LEAP2_LO, STAIRCASE_SLOPE_LEAP3_LO,
                        g->full ? STAIRCASE_SLOPE_LEAP4_LO : STAIRCASE_SLOPE_LEAP4_QUICK_LO, NAN};
  const double hi[5] = {STAIRCASE_SLOPE_LEAP1_HI, STAIRCASE_SLOPE_LEAP2_HI, STAIRCASE_SLOPE_LEAP3_HI,
                        g->full ? STAIRCASE_SLOPE_LEAP4_HI : STAIRCASE_SLOPE_LEAP4_QUICK_HI, NAN};
  for (int r = 0; r < 5; r++) {
    double L = r < 4 ? r + 1 : 4;
    const gdl_fit *f = &res->fit[leap_fit[r]];
    double v[8] = {L, fmax(L - 1, 1), f->slope, f->se_slope, lo[r], hi[r], (double)f->n, r == 3 ? 1 : 0};
    memcpy(lv[r], v, sizeof v);
  }
  return write_table(out, "staircase_leaps.csv", 8, lcols, 5, &lv[0][0]);
}

/* The summary rows: the test's MS2/MS3 checks on the sweep's runs (fewer reps than the test). */
static int summarise(const grid *g, const results *res, gdl_summary *s) {
  size_t ncens = 0, ncens2 = 0, ncens4 = 0;
  char chk[160];
  for (size_t i = 0; i < g->nd; i++)
    for (size_t r = 0; r < g->ns; r++) {
      ncens += (size_t)res->cens[0][i][r];
      ncens2 += (size_t)res->cens[2][i][r];
    }
  for (size_t i = 0; i < g->nd4; i++)
    for (size_t r = 0; r < g->ns4; r++) ncens4 += (size_t)res->cens[3][i][r];
  const gdl_fit *f0 = &res->fit[0], *f1 = &res->fit[1], *f2 = &res->fit[2], *f3 = &res->fit[3];
  GDL_TRY(gdl_summary_check(s, "MS2", "staircase runs censored at 300d", (double)ncens, "<=", 0, ncens == 0));
  GDL_TRY(gdl_summary_check(s, "MS2", "staircase slope of log T vs log d (>=)", f0->slope, ">=",
                            STAIRCASE_SLOPE_LEAP1_LO, f0->slope >= STAIRCASE_SLOPE_LEAP1_LO));
  GDL_TRY(gdl_summary_check(s, "MS2", "staircase slope of log T vs log d (<=)", f0->slope, "<=",
                            STAIRCASE_SLOPE_LEAP1_HI, f0->slope <= STAIRCASE_SLOPE_LEAP1_HI));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1x2x3 slope of log T vs log d (>=, censored runs at the cap)",
                            f1->slope, ">=", STAIRCASE_SLOPE_LEAP3_LO, f1->slope >= STAIRCASE_SLOPE_LEAP3_LO));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1x2x3 slope of log T vs log d (<=, censored runs at the cap)",
                            f1->slope, "<=", STAIRCASE_SLOPE_LEAP3_HI, f1->slope <= STAIRCASE_SLOPE_LEAP3_HI));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1 + x1x2x3 (leap 2) runs censored", (double)ncens2, "<=", 0,
                            ncens2 == 0));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1 + x1x2x3 (leap 2) slope of log T vs log d (>=)", f2->slope, ">=",
                            STAIRCASE_SLOPE_LEAP2_LO, f2->slope >= STAIRCASE_SLOPE_LEAP2_LO));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1 + x1x2x3 (leap 2) slope of log T vs log d (<=)", f2->slope, "<=",
                            STAIRCASE_SLOPE_LEAP2_HI, f2->slope <= STAIRCASE_SLOPE_LEAP2_HI));
  GDL_TRY(gdl_summary_check(s, "MS2", "x1x2x3x4 (leap 4, step 2/d^2) runs censored at 10 d^3",
                            (double)ncens4, "<=", 0, ncens4 == 0));
  if (g->full) { /* the quick sweep's 8 leap-4 reps (the test: 128) are for the figure only */
    GDL_TRY(gdl_summary_check(s, "MS2", "x1x2x3x4 (leap 4) escape-time slope (>=)", f3->slope, ">=",
                              STAIRCASE_SLOPE_LEAP4_LO, f3->slope >= STAIRCASE_SLOPE_LEAP4_LO));
    GDL_TRY(gdl_summary_check(s, "MS2", "x1x2x3x4 (leap 4) escape-time slope (<=)", f3->slope, "<=",
                              STAIRCASE_SLOPE_LEAP4_HI, f3->slope <= STAIRCASE_SLOPE_LEAP4_HI));
  }
  for (size_t i = 0; i < g->nd; i++) {
    double worst = 0, best = INFINITY, d = (double)g->ds[i];
    for (size_t r = 0; r < g->ns; r++) {
      worst = fmax(worst, (res->cens[0][i][r] ? 10 * res->T[0][i][r] : res->T[0][i][r]) / d);
      best = fmin(best, res->T[1][i][r] / d);
    }
    snprintf(chk, sizeof chk, "staircase learned within 300d at d=%zu (worst seed T/d)", g->ds[i]);
    GDL_TRY(gdl_summary_check(s, "MS2", chk, worst, "<=", 300.0, worst <= 300));
    if (g->ds[i] < 256) continue;
    snprintf(chk, sizeof chk, "x1x2x3 not learned within 300d at d=%zu (best seed T/d)", g->ds[i]);
    GDL_TRY(gdl_summary_check(s, "MS2", chk, best, ">", 300.0, best > 300));
  }
  return gdl_summary_check(s, "MS3",
                           "staircase: coordinates rise in the order 1,2,3,4 (min gap, snapshots of d/4 steps)",
                           res->ms3_gap, ">=", 1.0, res->ms3_gap >= 1);
}

/* The sidecar's results: the fitted slopes and their standard errors. */
static int sidecar(gdl_json *doc, const results *res) {
  static const char *const name[NT + 1] = {"staircase", "leap3", "leap2", "leap4_escape", "leap4_hitting"};
  char key[64];
  for (int k = 0; k <= NT; k++) {
    snprintf(key, sizeof key, "slope_%s", name[k]);
    GDL_TRY(gdl_json_num(doc, key, res->fit[k].slope));
    snprintf(key, sizeof key, "slope_%s_se", name[k]);
    GDL_TRY(gdl_json_num(doc, key, res->fit[k].se_slope));
  }
  return GDL_OK;
}

/* Cost estimate of point q (rank assignment and start order; online SGD: a step costs ~ d x
 * width): the staircase runs to its 300d budget (~300 d^2); x1x2x3 stops at its hit, ~10 d^2
 * steps at d = 256 (CLAIMS.md calibration), so ~10 d^3; leap 2 stops at ~150d (~150 d^2);
 * leap 4 at ~1.2 d^3 steps (~1.2 d^4) */
static double point_cost(const void *ctx, size_t q) {
  int t;
  size_t i, s;
  point_of(ctx, q, &t, &i, &s);
  double d = (double)d_of(ctx, t, i);
  return t == 1 ? 10.0 * d * d * d : t == 3 ? 1.2 * d * d * d * d : t == 2 ? 150.0 * d * d : 300.0 * d * d;
}

/* rank 0: the run tables, the fits, the sidecar's slopes and the summary rows */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  const grid *g = ctx;
  static results res;
  GDL_TRY(assemble(g, bs->sw, bs->args, &res));
  GDL_TRY(fits(g, bs->args, &res));
  GDL_TRY(sidecar(bs->doc, &res));
  GDL_TRY(summarise(g, &res, sum));
  const gdl_fit *f = res.fit;
  printf("staircase: slope staircase %.3f (SE %.3f), x1 + x1x2x3 %.3f (SE %.3f), x1x2x3 %.3f (SE %.3f), "
         "x1x2x3x4 escape %.3f (SE %.3f), hitting %.3f (SE %.3f); results in %s\n",
         f[0].slope, f[0].se_slope, f[2].slope, f[2].se_slope, f[1].slope, f[1].se_slope, f[3].slope, f[3].se_slope,
         f[4].slope, f[4].se_slope, bs->args->out);
  return GDL_OK;
}

static grid G;
static size_t make_grid(const gdl_bench_args *a) {
  static const size_t d4q[MAXD] = {12, 16, 20, 24, 32}, d4f[MAXD] = {32, 48, 64, 96, 128}; /* the test's grids */
  G = (grid){.full = a->full, .nd = a->full ? 5 : 4, .ns = a->full ? 8 : 3, .cap_mult = a->full ? 8000 : 3000,
             .ds = {32, 64, 128, 256, 512}, .nd4 = 5, .ns4 = a->full ? 12 : 8, .seed = a->seed};
  memcpy(G.ds4, a->full ? d4f : d4q, sizeof G.ds4);
  return npoints(&G);
}

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "staircase", .sweep = {"ms-quick", "ms-full"}, .claims = "MS",
    .figures = "staircase_curves.png,staircase_hitting.png,staircase_weights.png,staircase_leaps.png",
    .grid = make_grid, .cfg_json = grid_json, .cfg = &G, .ctx = &G, .cost = point_cost, .point = point_fn,
    .outputs = outputs};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
