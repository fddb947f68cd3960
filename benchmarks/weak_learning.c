/* benchmarks/weak_learning.c: the sweeps of claim WL (figures weak_learning_degree,
 * weak_learning_depth; build/results/weak_learning/summary.json for the claims report).
 *
 *   bench_weak_learning --out DIR [--full] [--seed N]
 *
 * The experiment is experiments/weak_learning.{h,c}, the same as theorems/weak_learning.c
 * (a point with the test's configuration and seed gives the test's values bit for bit):
 *  - degree grid: random ReLU features with the last layer by ridge (wl_rf_config defaults:
 *    cube n = 20, 512 units, Gaussian and Rademacher first layers; sphere d = 20, 256 units),
 *    test correlation with prod_{i in S} x_i vs k. Quick: k in {1..6, 8, 10, 12, 14, 16, 18,
 *    19, 20} (cube) and 1..8 (sphere), replicate 0, plus replicates 1..WL_REPS-1 of the cases
 *    the test asserts; --full: every k, WL_REPS replicates.
 *  - twins: the same learners with the first layer restricted to S (non-equivariant twin).
 *  - depth x target table (WL3): wl3_config defaults (quick), 8 seeds (--full).
 * Points are keyed by the configuration document (gdl_exp_doc) and resume. Outputs:
 *   weak_learning_degree.csv  domain(0 cube, 1 sphere),init(0 gaussian, 1 rademacher),k,seed,corr,se0
 *   weak_learning_twin.csv    the same columns, twin learners
 *   weak_learning_depth.csv   depth,target,name,mean_corr,se_corr,mean_abs,bound,sqrt_lambda,learned
 *   weak_learning.json        configuration document + provenance;  summary.json  claim rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_cli.h"
#include "experiments/weak_learning.h"
#include "gdl/gdl.h"

#define PROG "bench_weak_learning"
#define WL_REPS 5
#define WL_DELTA 1e-6

/* 1 learned, 0 not learned, -1 not asserted (the cases of theorems/weak_learning.c) */
static int expect(int sphere, int twin, wl_init init, size_t k) {
  if (sphere) {
    if (twin) return k == 5 ? 1 : -1;
    return k <= 2 ? 1 : (k == 5 || k == 6 || k == 8) ? 0 : -1;
  }
  if (twin) return k == 10 ? 1 : -1;
  if (k <= 3) return 1;
  if (k == 10) return 0;
  if (k >= 19) return init == WL_INIT_RADEMACHER ? 1 : 0;
  return -1;
}

typedef struct {
  int full;
  uint64_t seed;
  wl3_config depth;
  size_t ndeg, ntwin;
  wl_rf_config deg[400], twin[100];
} bench_cfg;

static void add_point(bench_cfg *b, int sphere, wl_init init, size_t k, int twin, size_t rep) {
  wl_rf_config c;
  wl_rf_config_default(&c, sphere);
  c.init = init;
  c.k = k;
  c.twin = twin;
  c.rep = rep;
  if (twin) b->twin[b->ntwin++] = c;
  else b->deg[b->ndeg++] = c;
}

static void build_grid(bench_cfg *b) {
  static const size_t kq[] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 19, 20};
  static const size_t tq[] = {5, 10, 15, 20}, ts[] = {3, 5, 6, 8};
  for (size_t rep = 0; rep < WL_REPS; rep++) {
    for (int init = 0; init < 2; init++) {
      size_t nk = b->full ? 20 : sizeof kq / sizeof kq[0];
      for (size_t a = 0; a < nk; a++) {
        size_t k = b->full ? a + 1 : kq[a];
        if (b->full || rep == 0 || expect(0, 0, (wl_init)init, k) >= 0) add_point(b, 0, (wl_init)init, k, 0, rep);
      }
      for (size_t a = 0; a < sizeof tq / sizeof tq[0]; a++)
        if (b->full || rep == 0 || expect(0, 1, (wl_init)init, tq[a]) >= 0) add_point(b, 0, (wl_init)init, tq[a], 1, rep);
    }
    for (size_t k = 1; k <= (b->full ? 10u : 8u); k++)
      if (b->full || rep == 0 || expect(1, 0, WL_INIT_GAUSSIAN, k) >= 0) add_point(b, 1, WL_INIT_GAUSSIAN, k, 0, rep);
    for (size_t a = 0; a < sizeof ts / sizeof ts[0]; a++)
      if (b->full || rep == 0 || expect(1, 1, WL_INIT_GAUSSIAN, ts[a]) >= 0) add_point(b, 1, WL_INIT_GAUSSIAN, ts[a], 1, rep);
  }
  wl3_config_default(&b->depth);
  if (b->full) b->depth.nseeds = 8;
}

/* the configuration document: defaults of both learners, the grids, the depth table */
static int bench_config_json(const void *cv, gdl_json *j) {
  const bench_cfg *b = cv;
  wl_rf_config c;
  GDL_TRY(gdl_json_begin(j, "degree_cube"));
  wl_rf_config_default(&c, 0);
  GDL_TRY(wl_rf_config_json(&c, j));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin(j, "degree_sphere"));
  wl_rf_config_default(&c, 1);
  GDL_TRY(wl_rf_config_json(&c, j));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin_list(j, "grid"));
  for (int tw = 0; tw < 2; tw++) {
    size_t np = tw ? b->ntwin : b->ndeg;
    const wl_rf_config *p = tw ? b->twin : b->deg;
    for (size_t i = 0; i < np; i++) {
      double v[5] = {p[i].sphere, p[i].init, (double)p[i].k, p[i].twin, (double)p[i].rep};
      GDL_TRY(gdl_json_nums(j, NULL, 5, v));
    }
  }
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_str(j, "grid_columns", "sphere, init, k, twin, rep"));
  GDL_TRY(gdl_json_begin(j, "depth_table"));
  GDL_TRY(wl3_config_json(&b->depth, j));
  GDL_TRY(gdl_json_end(j));
  return GDL_OK;
}

/* Cost estimate of a degree/twin point (gdl_sweep_set_costs: rank assignment and start order):
 * random features then ridge, ~ mtrain x units x (units + 2n); the cube's 512 units cost ~4x
 * the sphere's 256. */
static double point_cost(const void *ctx, size_t i) {
  const wl_rf_config *p = &((const wl_degree_ctx *)ctx)->pts[i];
  double u = (double)p->units;
  return (double)p->mtrain * u * (u + 2.0 * (double)p->n);
}

/* weak_learning_depth.csv: the depth table with the target names */
static int write_depth(const gdl_bench_args *args, const wl3_config *cfg, const wl3_result *R) {
  static const char *const cols[] = {"depth", "target", "name", "mean_corr", "se_corr", "mean_abs", "bound",
                                     "sqrt_lambda", "learned"};
  gdl_csv *csv = NULL;
  GDL_TRY(gdl_bench_csv_open(args, "weak_learning_depth.csv", 9, cols, &csv));
  const wl3_target *panel = wl3_panel(NULL);
  int rc = GDL_OK;
  for (int di = 0; di < WL3_NDEPTH && rc == GDL_OK; di++)
    for (int t = 0; t < R->nt && rc == GDL_OK; t++)
      rc = gdl_csv_row_text(csv, "%zu,%d,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%d", cfg->depths[di], t, panel[t].name,
                            R->mean[di][t], R->se[di][t], R->amean[di][t], R->bound[di][t], R->sqrt_lambda[t],
                            R->cls[di][t]);
  if (rc == GDL_OK) return gdl_csv_commit(csv);
  gdl_csv_abort(csv);
  return rc;
}

/* WL1/WL2 rows of the summary: the test's assertions on the replicates found in the table. */
static int summary_degree(gdl_summary *sum, const gdl_table *tb, int twin) {
  int cd = gdl_table_col(tb, "domain"), ci = gdl_table_col(tb, "init"), ck = gdl_table_col(tb, "k"),
      cc = gdl_table_col(tb, "corr"), cz = gdl_table_col(tb, "se0");
  if (cd < 0 || ci < 0 || ck < 0 || cc < 0 || cz < 0) return gdl_fail(GDL_EPARSE, "degree table: missing column");
  for (int sphere = 0; sphere < 2; sphere++)
    for (int init = 0; init < 2 - sphere; init++)
      for (size_t k = 1; k <= 20; k++) {
        int e = expect(sphere, twin, (wl_init)init, k);
        double v[64], ss = 0.0;
        size_t nv = 0;
        for (size_t r = 0; r < tb->nrows && nv < 64; r++) {
          const double *row = tb->v + r * tb->ncols;
          if (row[cd] == sphere && row[ci] == init && row[ck] == (double)k) {
            ss += (row[cc] / row[cz]) * (row[cc] / row[cz]);
            v[nv++] = row[cc];
          }
        }
        if (e < 0 || nv < 2) continue;
        double mean, se;
        GDL_TRY(gdl_mean_se(nv, v, &mean, &se));
        char chk[160];
        snprintf(chk, sizeof chk, "%s k=%zu %s%s: %s (%zu reps)", sphere ? "sphere d=20" : "cube n=20", k,
                 wl_init_name((wl_init)init), twin ? " restricted to S (twin)" : "",
                 e ? "learned (mean-4SE > thr)" : "not learned (rms of corr/se0 < chi2 1e-6 level)", nv);
        double thr_l = (sphere && !twin) ? 0.5 : 10.0 / sqrt(20000.0), thr_n = wl_null_rms_threshold(nv, WL_DELTA);
        if (e) GDL_TRY(gdl_summary_check(sum, sphere ? "WL2" : "WL1", chk, mean - WL_NSTD * se, ">", thr_l,
                                         mean - WL_NSTD * se > thr_l));
        else GDL_TRY(gdl_summary_check(sum, sphere ? "WL2" : "WL1", chk, sqrt(ss / (double)nv), "<", thr_n,
                                       sqrt(ss / (double)nv) < thr_n));
      }
  return GDL_OK;
}

static int summary_depth(gdl_summary *sum, const wl3_result *R) {
  const wl3_target *panel = wl3_panel(NULL);
  char chk[160];
  for (int t = 0; t < R->nt; t++) {
    int same = R->cls[0][t] == R->cls[1][t] && R->cls[1][t] == R->cls[2][t] && R->cls[0][t] >= 0;
    snprintf(chk, sizeof chk, "%s: same learned/not at depths 2,3,4 (%d/%d/%d)", panel[t].name, R->cls[0][t],
             R->cls[1][t], R->cls[2][t]);
    GDL_TRY(gdl_summary_check(sum, "WL3", chk, same, "==", 1, same));
    for (int di = 0; di < WL3_NDEPTH; di++) {
      double lhs = R->amean[di][t] + WL_NSTD * R->ase[di][t];
      snprintf(chk, sizeof chk, "%s depth %d: mean|corr|+4SE <= NG bound", panel[t].name, di + 2);
      GDL_TRY(gdl_summary_check(sum, "WL3", chk, lhs, "<=", R->bound_lo[di][t], lhs <= R->bound_lo[di][t]));
    }
  }
  return GDL_OK;
}

typedef struct {
  const bench_cfg *b;
  gdl_table deg, twin;
} wl_outputs;

/* rank 0: the depth table (from the depth point) and the summary rows */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  const wl_outputs *o = ctx;
  char path[4096];
  gdl_table tb = {0};
  wl3_result R;
  GDL_TRY(gdl_sweep_point_file(bs->sw, 0, "csv", path, sizeof path));
  GDL_TRY(gdl_csv_read(path, &tb));
  int rc = wl3_result_from_table(&tb, &R);
  gdl_table_free(&tb);
  GDL_TRY(rc);
  GDL_TRY(write_depth(bs->args, &o->b->depth, &R));
  GDL_TRY(summary_degree(sum, &o->deg, 0));
  GDL_TRY(summary_degree(sum, &o->twin, 1));
  return summary_depth(sum, &R);
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, GDL_BENCH_USAGE, argc, argv, NULL, NULL);
  static bench_cfg b;
  b.full = args.full;
  b.seed = args.seed;
  build_grid(&b);
  double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  wl_outputs o = {&b, {0}, {0}};
  wl_degree_ctx deg = {b.deg, b.seed}, twin = {b.twin, b.seed};
  wl_depth_ctx depth = {&b.depth, b.seed};
  gdl_bench_sweep bs;
  gdl_bench_sweep_begin(&bs, &args, 0, &argc, &argv, "weak_learning", NULL, bench_config_json, &b);
  gdl_bench_sweep_phase(&bs, "wl-degree", b.ndeg, point_cost, wl_degree_point, &deg, "weak_learning_degree.csv", &o.deg);
  gdl_bench_sweep_phase(&bs, "wl-twin", b.ntwin, point_cost, wl_degree_point, &twin, "weak_learning_twin.csv", &o.twin);
  gdl_bench_sweep_phase(&bs, "wl-depth", 1, NULL, wl_depth_point, &depth, NULL, NULL);
  int rc = bs.root ? gdl_json_num(bs.doc, "wall_seconds", gdl_clock_seconds(GDL_CLOCK_WALL) - t0) : GDL_OK;
  if (rc) gdl_bench_die(PROG, "sidecar", rc);
  gdl_bench_sweep_finish(&bs, "WL1,WL2,WL3", outputs, &o, "weak_learning_degree,weak_learning_depth");
  gdl_bench_sweep_end(&bs);
  gdl_table_free(&o.deg);
  gdl_table_free(&o.twin);
  return 0;
}
