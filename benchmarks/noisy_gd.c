/* benchmarks/noisy_gd.c: the sweep of claim NG (figures noisy_gd_bound, noisy_gd_depth;
 * build/results/noisy_gd/summary.json for the claims report).
 *
 *   bench_noisy_gd --out DIR [--full] [--seed N]
 *
 * Same experiment as theorems/noisy_gd.c (theorems/noisy_gd_lib.h): depth-L tanh FCN
 * (width 8, last layer boxed to [-1/8, 1/8], |f| <= 1), exact population noisy GD on all
 * 2^n cube points, lr 0.5, tau 0.1, l2 clip 1, T = 300 at depth 2 and 150 at depths 3, 4 (as
 * in the test). At each point (n, depth): 10 real runs on a parity of degree k = n/2, 8
 * (depth 2) or 4 control runs on x1 (n <= 16), junk runs on fbar = 0
 * (16 at n <= 12, 8 at n = 14, 6 above) with the gradient level profile (G by FWHT) at every
 * step (n <= 14) or every 5th step from a random offset (n >= 16).
 * Quick: depth 2 at n in {10, 12, 14, 16}; depths 3 and 4 at n = 16.
 * --full: depth 2 at n in {10, 12, ..., 20}; depths 3 and 4 at n = 16 (estimated from the
 * per-step costs, not run here: ~25 min of CPU, ~13 min on 2 free cores; n = 20 alone is 2^20
 * points per step). Quick: ~340 CPU-seconds (~3 min on 2 free cores).
 * Resumes: each point writes DIR/points/ng-<i>.csv atomically (gdl_sweep) and is not
 * recomputed when it exists. Outputs (assembled at the end):
 *   noisy_gd_points.csv  n,k,depth,T,tau,sqrt_lambda,mean_abs_corr,se_abs_corr,max_abs_corr,
 *                        ctl_mean,ctl_se,sumG,sumG_se,bound,bound_lo,bound_hi,bound_k1,seconds
 *   noisy_gd.json        configuration + provenance
 *   summary.json         claim rows for the report (bound holds at every point with 4 SE,
 *                        control >= 0.5, bound decreasing in n at depth 2). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gdl/gdl.h"
#include "../theorems/noisy_gd_lib.h"
#include "bench_cli.h"

#define PROG "bench_noisy_gd"

typedef struct { unsigned n; size_t depth; } point;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static const char *const COLS[] = {"n", "k", "depth", "T", "tau", "sqrt_lambda", "mean_abs_corr", "se_abs_corr",
                                   "max_abs_corr", "ctl_mean", "ctl_se", "sumG", "sumG_se", "bound", "bound_lo",
                                   "bound_hi", "bound_k1", "seconds"};
#define NCOLS (sizeof COLS / sizeof COLS[0])

static int run_point(const point *p, uint64_t seed, const char *path) {
  ng_cfg c;
  ng_cfg_default(&c, p->n, p->depth);
  c.steps = p->depth == 2 ? 300 : 150; /* as theorems/noisy_gd.c: depth 2 needs T = 300 for its x1 control */
  size_t stride = p->n <= 14 ? 1 : 5;
  int nc = p->n <= 16 ? (p->depth == 2 ? 8 : 4) : 0;
  ng_exp e;
  double t0 = now_s();
  int nj = p->n <= 12 ? 16 : (p->n <= 14 ? 8 : 6); /* junk sums are heavy-tailed at small n */
  int rc = ng_experiment(&c, p->n / 2, 10, nc, nj, stride, seed, "bench.NG", &e);
  if (rc != GDL_OK) return rc;
  double v[NCOLS] = {p->n, p->n / 2, (double)p->depth, (double)c.steps, c.tau, sqrt(e.lambda), e.mean_abs, e.se_abs,
                     e.max_abs, e.mean_ctl, e.se_ctl, e.sumG_mean, e.sumG_se, e.bound, e.bound_lo, e.bound_hi,
                     e.bound1, now_s() - t0};
  gdl_csv *csv = NULL;
  GDL_TRY(gdl_csv_open(path, NCOLS, COLS, &csv));
  rc = gdl_csv_row(csv, v);
  if (rc != GDL_OK) { gdl_csv_abort(csv); return rc; }
  return gdl_csv_commit(csv);
}

/* read the single data row of a point file */
static int read_point(const char *path, double *v) {
  FILE *f = fopen(path, "r");
  if (!f) return gdl_fail(GDL_EIO, "cannot open %s: %s", path, strerror(errno));
  char line[4096];
  int rc = GDL_OK;
  if (!fgets(line, sizeof line, f) || !fgets(line, sizeof line, f)) {
    rc = gdl_fail(GDL_EIO, "%s: no data row", path);
  } else {
    char *s = line;
    for (size_t i = 0; i < NCOLS; i++) {
      char *end;
      v[i] = strtod(s, &end);
      if (end == s) { rc = gdl_fail(GDL_EIO, "%s: bad column %zu", path, i); break; }
      s = end + (*end == ',');
    }
  }
  fclose(f);
  return rc;
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  const char *out = args.out;
  const int full = args.full;
  const uint64_t seed = args.seed;
  point pts[16];
  size_t np = 0;
  unsigned nmax = full ? 20 : 16;
  for (unsigned n = 10; n <= nmax; n += 2) pts[np++] = (point){n, 2};
  pts[np++] = (point){16, 3};
  pts[np++] = (point){16, 4};

  gdl_sweep *sw = NULL;
  char name[32];
  snprintf(name, sizeof name, "ng-%s", full ? "full" : "quick");
  int rc = gdl_sweep_begin(&argc, &argv, out, name, np, &sw);
  if (rc != GDL_OK) gdl_bench_die(PROG, "sweep", rc);
  double t0 = now_s();
  for (size_t i = 0; i < np; i++) {
    gdl_progress("noisy_gd points", i, np);
    if (!gdl_sweep_owns(sw, i) || gdl_sweep_point_done(sw, i)) continue;
    rc = run_point(&pts[i], seed, gdl_sweep_point_path(sw, i));
    if (rc != GDL_OK) gdl_bench_die(PROG, "point", rc);
  }
  gdl_progress("noisy_gd points", np, np);
  gdl_progress_done();
  gdl_sweep_barrier(sw);
  if (!gdl_sweep_is_root(sw)) {
    gdl_sweep_end(sw);
    return 0;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/noisy_gd_points.csv", out);
  if ((rc = gdl_sweep_assemble(sw, path)) != GDL_OK) gdl_bench_die(PROG, "assemble", rc);

  /* summary rows */
  gdl_json *cfg = NULL;
  if (gdl_json_new(&cfg) != GDL_OK) gdl_bench_die(PROG, "json", GDL_ENOMEM);
  /* the report reads {"claim", "rows": [...]}; build the text by hand (rows are an array) */
  size_t cap = 1 << 16, len = 0;
  char *txt = malloc(cap);
  if (!txt) gdl_bench_die(PROG, "summary", gdl_fail(GDL_ENOMEM, "out of memory"));
  len += (size_t)snprintf(txt + len, cap - len, "{\"claim\": \"NG1,NG2\", \"seed\": %llu, \"rows\": [",
                          (unsigned long long)seed);
  int first = 1;
  double prev_lo = NAN;
  unsigned prev_n = 0;
  for (size_t i = 0; i < np; i++) {
    double v[NCOLS];
    if ((rc = read_point(gdl_sweep_point_path(sw, i), v)) != GDL_OK) gdl_bench_die(PROG, "read point", rc);
    unsigned n = (unsigned)v[0];
    size_t depth = (size_t)v[2];
    const char *cl = (n == 16) ? "NG1" : "NG2";
    double lhs = v[6] + NG_NSTD * v[7];
    char row[1024];
    int w = snprintf(row, sizeof row,
                     "%s{\"claim\": \"%s\", \"check\": \"E|corr| + 4SE <= bound (n=%u, k=%u, depth %zu)\", "
                     "\"measured\": %.6g, \"relation\": \"<=\", \"bound\": %.6g, \"pass\": %s, "
                     "\"params\": \"sqrt(lambda)=%.4g, bound point estimate %.4g, 10 real runs + junk runs, T=%d, tau=0.1\"}",
                     first ? "" : ", ", cl, n, n / 2, depth, lhs, v[14], lhs <= v[14] ? "true" : "false", v[5], v[13], (int)v[3]);
    first = 0;
    if (len + (size_t)w + 1 < cap) { memcpy(txt + len, row, (size_t)w); len += (size_t)w; }
    if (isfinite(v[9])) {
      double ctl = v[9] - NG_NSTD * v[10];
      w = snprintf(row, sizeof row,
                   ", {\"claim\": \"NG1\", \"check\": \"control: corr(x1) - 4SE >= 0.5 (n=%u, depth %zu)\", "
                   "\"measured\": %.6g, \"relation\": \">=\", \"bound\": 0.5, \"pass\": %s}",
                   n, depth, ctl, ctl >= 0.5 ? "true" : "false");
      if (len + (size_t)w + 1 < cap) { memcpy(txt + len, row, (size_t)w); len += (size_t)w; }
    }
    if (depth == 2) {
      if (prev_n) {
        w = snprintf(row, sizeof row,
                     ", {\"claim\": \"NG2\", \"check\": \"bound decreases: upper(n=%u) < lower(n=%u)\", "
                     "\"measured\": %.6g, \"relation\": \"<\", \"bound\": %.6g, \"pass\": %s}",
                     n, prev_n, v[15], prev_lo, v[15] < prev_lo ? "true" : "false");
        if (len + (size_t)w + 1 < cap) { memcpy(txt + len, row, (size_t)w); len += (size_t)w; }
      }
      prev_n = n;
      prev_lo = v[14];
    }
  }
  len += (size_t)snprintf(txt + len, cap - len, "], \"figures\": [\"noisy_gd_bound\", \"noisy_gd_depth\"]}\n");
  snprintf(path, sizeof path, "%s/summary.json", out);
  if ((rc = gdl_write_atomic(path, txt, len)) != GDL_OK) gdl_bench_die(PROG, "summary.json", rc);
  free(txt);

  gdl_json_str(cfg, "family", "noisy_gd");
  gdl_json_str(cfg, "mode", full ? "full" : "quick");
  gdl_json_str(cfg, "net", "tanh FCN, width 8, last layer without bias boxed to [-1/8, 1/8]");
  gdl_json_str(cfg, "trainer", "exact population noisy GD, squared loss, lr 0.5, tau 0.1, l2 clip 1, T 300 (depth 2) / 150 (depths 3, 4)");
  gdl_json_str(cfg, "runs", "10 real (parity k=n/2), 4 control (x1, n<=16), 16/8/6 junk (fbar=0; n<=12 / n=14 / n>=16) per point");
  gdl_json_num(cfg, "wall_seconds", now_s() - t0);
  gdl_json_provenance(cfg, seed);
  snprintf(path, sizeof path, "%s/noisy_gd.json", out);
  if ((rc = gdl_json_write(cfg, path)) != GDL_OK) gdl_bench_die(PROG, "noisy_gd.json", rc);
  gdl_json_free(cfg);
  gdl_sweep_end(sw);
  return 0;
}
