/* benchmarks/weak_learning.c: the sweeps of claim WL (figures weak_learning_degree,
 * weak_learning_depth; build/results/weak_learning/summary.json for the claims report).
 *
 *   bench_weak_learning --out DIR [--full] [--seed N]
 *
 * Same experiments as theorems/weak_learning.c (theorems/weak_learning_lib.h):
 *  - degree sweep: random ReLU features relu(w.x + b)/sqrt(n), last layer by ridge, 20 000
 *    train / 20 000 test, Pearson test correlation with prod_{i in S} x_i, |S| = k:
 *    hypercube n = 20 with Gaussian and Rademacher first layers (512 units), sphere d = 20
 *    with Gaussian features (256 units). Quick: k in {1..6, 8, 10, 12, 14, 16, 18, 19, 20}
 *    (cube) and 1..8 (sphere), 1 seed; --full: every k in 1..20 (cube), 1..10 (sphere), 3
 *    seeds.
 *  - depth x target table: tanh FCNs of depth 2, 3, 4 trained on all layers by noisy GD at
 *    equal budget on the WL3 panel at n = 12 (4 seeds quick, 8 full), with the NG bound.
 * Resumes: each run writes DIR/points/wl-*-<i>.csv atomically (gdl_sweep); finished points
 * are not recomputed. Outputs (assembled at the end):
 *   weak_learning_degree.csv  domain(0 cube, 1 sphere),init(0 gaussian, 1 rademacher),k,seed,corr
 *   weak_learning_depth.csv   depth,target,name,mean_corr,se_corr,mean_abs,bound,sqrt_lambda,learned
 *   weak_learning.json        configuration + provenance;  summary.json  claim rows. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gdl/gdl.h"
#include "../theorems/weak_learning_lib.h"
#include "bench_cli.h"

#define PROG "bench_weak_learning"

typedef struct { int sphere, init; size_t k, seed; } dpoint;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int run_degree_point(const dpoint *p, uint64_t seed, const char *path) {
  wl_cfg c;
  wl_cfg_default(&c, 20, p->sphere);
  if (!p->sphere) c.units = 512;
  char purpose[96];
  snprintf(purpose, sizeof purpose, "bench.WL/%s/%s/k%zu", p->sphere ? "sphere" : "cube",
           wl_init_name((wl_init)p->init), p->k);
  double corr = NAN;
  GDL_TRY(wl_run(&c, (wl_init)p->init, p->k, seed, purpose, p->seed, &corr));
  static const char *const cols[] = {"domain", "init", "k", "seed", "corr"};
  gdl_csv *csv = NULL;
  GDL_TRY(gdl_csv_open(path, 5, cols, &csv));
  double v[5] = {p->sphere, p->init, (double)p->k, (double)p->seed, corr};
  int rc = gdl_csv_row(csv, v);
  if (rc != GDL_OK) { gdl_csv_abort(csv); return rc; }
  return gdl_csv_commit(csv);
}

static int run_depth_point(uint64_t seed, int nseeds, const char *path, wl3_result *R) {
  GDL_TRY(wl3_experiment(seed, "bench.WL3", nseeds, 4, R));
  static const char *const cols[] = {"depth", "target", "name", "mean_corr", "se_corr", "mean_abs", "bound",
                                     "sqrt_lambda", "learned"};
  gdl_csv *csv = NULL;
  GDL_TRY(gdl_csv_open(path, 9, cols, &csv));
  int rc = GDL_OK;
  for (int di = 0; di < 3 && rc == GDL_OK; di++)
    for (int t = 0; t < WL3_NT && rc == GDL_OK; t++)
      rc = gdl_csv_row_text(csv, "%d,%d,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%d", di + 2, t, wl3_panel[t].name,
                            R->mean[di][t], R->se[di][t], R->amean[di][t], R->bound[di][t], R->sqrt_lambda[t],
                            R->cls[di][t]);
  if (rc != GDL_OK) { gdl_csv_abort(csv); return rc; }
  return gdl_csv_commit(csv);
}

/* the depth table read back from its point file (so a resumed run still has it) */
static int read_depth_point(const char *path, wl3_result *R) {
  FILE *f = fopen(path, "r");
  if (!f) return gdl_fail(GDL_EIO, "cannot open %s: %s", path, strerror(errno));
  char line[1024], name[64];
  int rc = GDL_OK, rows = 0;
  if (!fgets(line, sizeof line, f)) rc = gdl_fail(GDL_EIO, "%s: empty", path);
  while (rc == GDL_OK && fgets(line, sizeof line, f)) {
    int d, t, cls;
    double m, se, am, b, sl;
    if (sscanf(line, "%d,%d,%63[^,],%lg,%lg,%lg,%lg,%lg,%d", &d, &t, name, &m, &se, &am, &b, &sl, &cls) != 9 || d < 2 ||
        d > 4 || t < 0 || t >= WL3_NT) {
      rc = gdl_fail(GDL_EIO, "%s: bad row", path);
      break;
    }
    R->mean[d - 2][t] = m;
    R->se[d - 2][t] = se;
    R->amean[d - 2][t] = am;
    R->bound[d - 2][t] = b;
    R->sqrt_lambda[t] = sl;
    R->cls[d - 2][t] = cls;
    rows++;
  }
  fclose(f);
  if (rc == GDL_OK && rows != 3 * WL3_NT) rc = gdl_fail(GDL_EIO, "%s: %d rows, expected %d", path, rows, 3 * WL3_NT);
  return rc;
}

static int read_degree_corr(const char *path, double *corr) {
  FILE *f = fopen(path, "r");
  if (!f) return gdl_fail(GDL_EIO, "cannot open %s: %s", path, strerror(errno));
  char line[512];
  double v[5];
  int ok = fgets(line, sizeof line, f) && fgets(line, sizeof line, f) &&
           sscanf(line, "%lg,%lg,%lg,%lg,%lg", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5;
  fclose(f);
  if (!ok) return gdl_fail(GDL_EIO, "%s: bad point file", path);
  *corr = v[4];
  return GDL_OK;
}

/* summary text buffer */
typedef struct { char *s; size_t len, cap; int first; } sbuf;
static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (w > 0 && b->len + (size_t)w < b->cap) b->len += (size_t)w;
}
static void sb_row(sbuf *b, const char *claim, const char *check, double measured, const char *rel, double bound,
                   int pass) {
  sb_add(b, "%s{\"claim\": \"%s\", \"check\": \"%s\", \"measured\": %.6g, \"relation\": \"%s\", \"bound\": %.6g, "
            "\"pass\": %s}",
         b->first ? "" : ", ", claim, check, measured, rel, bound, pass ? "true" : "false");
  b->first = 0;
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  const char *out = args.out;
  const int full = args.full;
  const uint64_t seed = args.seed;
  double t0 = now_s();
  /* degree points */
  static const size_t kq[] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 19, 20};
  size_t nseeds = full ? 3 : 1;
  dpoint *pts = malloc(200 * sizeof *pts);
  if (!pts) gdl_bench_die(PROG, "alloc", gdl_fail(GDL_ENOMEM, "out of memory"));
  size_t np = 0;
  for (size_t s = 0; s < nseeds; s++) {
    for (int init = 0; init < 2; init++) {
      if (full)
        for (size_t k = 1; k <= 20; k++) pts[np++] = (dpoint){0, init, k, s};
      else
        for (size_t a = 0; a < sizeof kq / sizeof kq[0]; a++) pts[np++] = (dpoint){0, init, kq[a], s};
    }
    for (size_t k = 1; k <= (full ? 10u : 8u); k++) pts[np++] = (dpoint){1, 0, k, s};
  }
  gdl_sweep *sw = NULL;
  int rc = gdl_sweep_begin(&argc, &argv, out, full ? "wl-degree-full" : "wl-degree-quick", np, &sw);
  if (rc != GDL_OK) gdl_bench_die(PROG, "sweep", rc);
  /* paths and done flags first (the sweep's path buffer is shared), then the runs in parallel */
  char (*paths)[1024] = malloc(np * sizeof *paths);
  int *todo = malloc(np * sizeof *todo);
  if (!paths || !todo) gdl_bench_die(PROG, "alloc", gdl_fail(GDL_ENOMEM, "out of memory"));
  for (size_t i = 0; i < np; i++) {
    snprintf(paths[i], sizeof paths[i], "%s", gdl_sweep_point_path(sw, i));
    todo[i] = gdl_sweep_owns(sw, i) && !gdl_sweep_point_done(sw, i);
  }
  size_t done = 0;
  int failed = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t i = 0; i < np; i++) {
    if (todo[i]) {
      int r = run_degree_point(&pts[i], seed, paths[i]);
      if (r != GDL_OK) {
#pragma omp critical(wl_err)
        {
          fprintf(stderr, "bench_weak_learning: degree point %zu: %s\n", i, gdl_strerror_last());
          failed = 1;
        }
      }
    }
#pragma omp critical(wl_prog)
    {
      done++;
      gdl_progress("weak_learning degree points", done, np);
    }
  }
  if (failed) exit(1);
  free(paths);
  free(todo);
  gdl_progress_done();
  gdl_sweep_barrier(sw);
  /* depth table (one point) */
  gdl_sweep *sd = NULL;
  if ((rc = gdl_sweep_begin(NULL, NULL, out, full ? "wl-depth-full" : "wl-depth-quick", 1, &sd)) != GDL_OK)
    gdl_bench_die(PROG, "sweep", rc);
  wl3_result R;
  if (gdl_sweep_owns(sd, 0) && !gdl_sweep_point_done(sd, 0)) {
    char path[4096];
    snprintf(path, sizeof path, "%s", gdl_sweep_point_path(sd, 0));
    if ((rc = run_depth_point(seed, full ? 8 : 4, path, &R)) != GDL_OK) gdl_bench_die(PROG, "depth table", rc);
  }
  gdl_sweep_barrier(sd);
  if (!gdl_sweep_is_root(sw)) {
    gdl_sweep_end(sd);
    gdl_sweep_end(sw);
    free(pts);
    return 0;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/weak_learning_degree.csv", out);
  if ((rc = gdl_sweep_assemble(sw, path)) != GDL_OK) gdl_bench_die(PROG, "assemble degree", rc);
  snprintf(path, sizeof path, "%s/weak_learning_depth.csv", out);
  if ((rc = gdl_sweep_assemble(sd, path)) != GDL_OK) gdl_bench_die(PROG, "assemble depth", rc);
  if ((rc = read_depth_point(gdl_sweep_point_path(sd, 0), &R)) != GDL_OK) gdl_bench_die(PROG, "read depth", rc);

  /* summary: WL1/WL2 thresholds on seed 0, WL3 table */
  sbuf b = {malloc(1 << 17), 0, 1 << 17, 1};
  if (!b.s) gdl_bench_die(PROG, "alloc", gdl_fail(GDL_ENOMEM, "out of memory"));
  sb_add(&b, "{\"claim\": \"WL1,WL2,WL3\", \"seed\": %llu, \"rows\": [", (unsigned long long)seed);
  const double m = 20000.0, thr_learn = 10.0 / sqrt(m), thr_null = 5.0 / sqrt(m);
  for (size_t i = 0; i < np; i++) {
    const dpoint *p = &pts[i];
    if (p->seed != 0) continue;
    double corr = NAN;
    if ((rc = read_degree_corr(gdl_sweep_point_path(sw, i), &corr)) != GDL_OK) gdl_bench_die(PROG, "read degree", rc);
    char chk[160];
    if (!p->sphere) {
      int learn = p->k <= 3 || (p->init == 1 && p->k >= 19);
      int null = p->k == 10 || (p->init == 0 && p->k >= 19);
      if (!learn && !null) continue;
      snprintf(chk, sizeof chk, "cube n=20 k=%zu %s first layer: %s", p->k, wl_init_name((wl_init)p->init),
               learn ? "learned (corr > 10/sqrt(m))" : "not learned (|corr| < 5/sqrt(m))");
      if (learn) sb_row(&b, "WL1", chk, corr, ">", thr_learn, corr > thr_learn);
      else sb_row(&b, "WL1", chk, fabs(corr), "<", thr_null, fabs(corr) < thr_null);
    } else {
      if (p->k <= 2) {
        snprintf(chk, sizeof chk, "sphere d=20 k=%zu: learned (corr > 0.5)", p->k);
        sb_row(&b, "WL2", chk, corr, ">", 0.5, corr > 0.5);
      } else if (p->k >= 5) {
        snprintf(chk, sizeof chk, "sphere d=20 k=%zu: not learned (|corr| < 5/sqrt(m))", p->k);
        sb_row(&b, "WL2", chk, fabs(corr), "<", thr_null, fabs(corr) < thr_null);
      }
    }
  }
  for (int t = 0; t < WL3_NT; t++) {
    char chk[160];
    int same = R.cls[0][t] == R.cls[1][t] && R.cls[1][t] == R.cls[2][t] && R.cls[0][t] >= 0;
    snprintf(chk, sizeof chk, "%s: same learned/not at depths 2,3,4 (%d/%d/%d)", wl3_panel[t].name, R.cls[0][t],
             R.cls[1][t], R.cls[2][t]);
    sb_row(&b, "WL3", chk, same, "==", 1, same);
    if (wl3_panel[t].middle)
      for (int di = 0; di < 3; di++) {
        snprintf(chk, sizeof chk, "%s depth %d: mean|corr| <= NG bound", wl3_panel[t].name, di + 2);
        sb_row(&b, "WL3", chk, R.amean[di][t], "<=", R.bound[di][t], R.amean[di][t] <= R.bound[di][t]);
      }
  }
  sb_add(&b, "], \"figures\": [\"weak_learning_degree\", \"weak_learning_depth\"]}\n");
  snprintf(path, sizeof path, "%s/summary.json", out);
  if ((rc = gdl_write_atomic(path, b.s, b.len)) != GDL_OK) gdl_bench_die(PROG, "summary.json", rc);
  free(b.s);

  gdl_json *cfg = NULL;
  if (gdl_json_new(&cfg) != GDL_OK) gdl_bench_die(PROG, "json", GDL_ENOMEM);
  gdl_json_str(cfg, "family", "weak_learning");
  gdl_json_str(cfg, "mode", full ? "full" : "quick");
  gdl_json_str(cfg, "degree_sweep",
               "relu(w.x+b)/sqrt(n) features, ridge rho_rel 1e-4, 20000/20000, cube n=20 (512 units, Gaussian "
               "w~N(0,I) b~N(0,n); Rademacher w~{+-1}^n b~U[-n,n]), sphere d=20 (256 Gaussian units)");
  gdl_json_str(cfg, "depth_table", "n=12 tanh width 8, noisy GD lr 0.5 tau 0.1 clip 1 T 150, depths 2,3,4");
  gdl_json_int(cfg, "degree_seeds", (long long)nseeds);
  gdl_json_num(cfg, "wall_seconds", now_s() - t0);
  gdl_json_provenance(cfg, seed);
  snprintf(path, sizeof path, "%s/weak_learning.json", out);
  if ((rc = gdl_json_write(cfg, path)) != GDL_OK) gdl_bench_die(PROG, "weak_learning.json", rc);
  gdl_json_free(cfg);
  gdl_sweep_end(sd);
  gdl_sweep_end(sw);
  free(pts);
  return 0;
}
