/* benchmarks/staircase.c: the sweep of claim MS (figures staircase_curves, staircase_hitting,
 * staircase_weights; summary.json for the claims report).
 *
 *   bench_staircase --out DIR [--full] [--seed N]
 *
 * Runs the MS2 experiment of theorems/staircase.c (same code: theorems/staircase_run.h):
 * 2-layer mean-field ReLU net (64 units), online SGD with step 0.5/d (mean-field
 * convention), targets staircase x1 + x1x2 + x1x2x3 + x1x2x3x4 (run to 300d, the budget)
 * and x1x2x3 (run to its hitting time, censored at 3000d); test FVU every 5d steps on 1000
 * fresh points, first-layer weight per coordinate every d/4 steps.
 * Quick: d in {32, 64, 128, 256}, 3 seeds. --full: d in {32, ..., 512}, 8 seeds.
 * Resumes: each run writes DIR/points/<target>_d<d>_s<seed>.{curve,weights}.csv and last
 * .hit.csv (atomically); a run whose .hit.csv exists is not recomputed. The final CSVs are
 * assembled from the point files by rank 0. Built with -DGDL_MPI=ON, `mpirun -n K
 * bench_staircase --out DIR [--full]` gives run q to rank q mod K (gdl/sweep.h); set
 * OMP_NUM_THREADS to the cores per rank. The result does not depend on K. Outputs:
 *   staircase_curves.csv   target,d,seed,step,steps_over_d,fvu
 *   staircase_weights.csv  d,seed,step,steps_over_d,w1,w2,w3,w4,bulk   (staircase runs)
 *   staircase_hitting.csv  target,d,seed,hit,hit_over_d,censored
 *   staircase_hitmean.csv  target,d,geomean_T,fit_T        (geometric mean over seeds, fit)
 *   staircase_fit.csv      target,slope,se,intercept,n
 *   staircase.json (configuration + provenance), summary.json (claims report rows: MS2, and
 *   MS3 recomputed from the sweep's weight tracks).
 * Target code: 0 = staircase, 1 = x1x2x3. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gdl/gdl.h"
#include "../theorems/staircase_run.h"
#include "bench_cli.h"

static const char *const ms_targets[2] = {"x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4", "x1*x2*x3"};
static const char *const ms_tnames[2] = {"staircase", "leap3"};

typedef struct {
  int target;
  size_t d, seed;
} point;

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void point_path(char *buf, size_t len, const char *out, const point *p, const char *ext) {
  snprintf(buf, len, "%s/points/%s_d%zu_s%zu.%s.csv", out, ms_tnames[p->target], p->d, p->seed, ext);
}

/* One run, written to its point files. */
static int run_point(const char *out, const point *p, uint64_t seed) {
  ms_run_cfg c;
  ms_run_default(&c);
  c.target = ms_targets[p->target];
  c.d = p->d;
  c.budget = (p->target ? 3000 : 300) * p->d;
  c.stop_at_hit = p->target == 1;
  c.eval_every = 5 * p->d;
  c.track_every = p->d / 4;
  c.ntrack = 4;
  c.seed = seed;
  c.purpose = p->target ? "bench.ms.leap3" : "bench.ms.staircase";
  c.index = p->d * 1000 + p->seed;
  ms_run_result r;
  int rc = ms_run(&c, &r);
  if (rc != GDL_OK) return rc;
  char path[4096];
  gdl_csv *csv = NULL;
  static const char *const ccols[] = {"step", "fvu"};
  point_path(path, sizeof path, out, p, "curve");
  rc = gdl_csv_open(path, 2, ccols, &csv);
  for (size_t k = 0; rc == GDL_OK && k < r.n_eval; k++) {
    double v[2] = {(double)r.eval_step[k], r.eval_fvu[k]};
    rc = gdl_csv_row(csv, v);
  }
  if (rc == GDL_OK) rc = gdl_csv_commit(csv);
  else if (csv) gdl_csv_abort(csv);
  static const char *const wcols[] = {"step", "w1", "w2", "w3", "w4", "bulk"};
  point_path(path, sizeof path, out, p, "weights");
  csv = NULL;
  if (rc == GDL_OK) rc = gdl_csv_open(path, 6, wcols, &csv);
  for (size_t k = 0; rc == GDL_OK && k < r.n_track; k++) {
    double v[6] = {(double)r.track_step[k]};
    memcpy(v + 1, r.track_w + k * 5, 5 * sizeof(double));
    rc = gdl_csv_row(csv, v);
  }
  if (rc == GDL_OK) rc = gdl_csv_commit(csv);
  else if (csv) gdl_csv_abort(csv);
  static const char *const hcols[] = {"hit", "cap"};
  point_path(path, sizeof path, out, p, "hit");
  csv = NULL;
  if (rc == GDL_OK) rc = gdl_csv_open(path, 2, hcols, &csv);
  if (rc == GDL_OK) {
    double v[2] = {(double)r.hit, (double)c.budget};
    rc = gdl_csv_row(csv, v);
    if (rc == GDL_OK) rc = gdl_csv_commit(csv);
    else gdl_csv_abort(csv);
  }
  ms_run_free(&r);
  return rc;
}

/* Read a numeric CSV with a header: returns rows (malloc'ed, ncols each) in *vals. */
static int read_csv(const char *path, size_t ncols, double **vals, size_t *nrows) {
  FILE *f = fopen(path, "r");
  if (!f) return gdl_fail(GDL_EIO, "cannot open %s: %s", path, strerror(errno));
  char line[4096];
  size_t cap = 64, n = 0;
  double *v = malloc(cap * ncols * sizeof *v);
  if (!v) {
    fclose(f);
    return gdl_fail(GDL_ENOMEM, "out of memory");
  }
  int first = 1;
  while (fgets(line, sizeof line, f)) {
    if (first) {
      first = 0;
      continue;
    }
    if (n == cap) {
      cap *= 2;
      double *nv = realloc(v, cap * ncols * sizeof *v);
      if (!nv) {
        free(v);
        fclose(f);
        return gdl_fail(GDL_ENOMEM, "out of memory");
      }
      v = nv;
    }
    char *s = line;
    for (size_t j = 0; j < ncols; j++) {
      char *e;
      v[n * ncols + j] = strtod(s, &e);
      if (e == s) {
        free(v);
        fclose(f);
        return gdl_fail(GDL_EPARSE, "%s: bad number in row %zu", path, n + 1);
      }
      s = e + (*e == ',');
    }
    n++;
  }
  fclose(f);
  *vals = v;
  *nrows = n;
  return GDL_OK;
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, "bench_staircase", "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  const char *out = args.out;
  const int full = args.full;
  const uint64_t seed = args.seed;
  const size_t dq[] = {32, 64, 128, 256}, dfull[] = {32, 64, 128, 256, 512};
  const size_t *ds = full ? dfull : dq;
  size_t nd = full ? 5 : 4, ns = full ? 8 : 3;
  char path[4096];
  snprintf(path, sizeof path, "%s/points", out);
  if (gdl_mkdir_p(path) != GDL_OK) {
    fprintf(stderr, "bench_staircase: %s\n", gdl_strerror_last());
    return 1;
  }
  size_t np = 2 * nd * ns, k = 0;
  point *pts = calloc(np, sizeof *pts);
  if (!pts) return 1;
  for (int t = 1; t >= 0; t--)
    for (size_t i = nd; i-- > 0;)
      for (size_t s = 0; s < ns; s++) pts[k++] = (point){t, ds[i], s};
  /* gdl_sweep: with -DGDL_MPI=ON under `mpirun -n K`, run q belongs to rank q mod K; each
   * run keeps its own three point files (hit, curve, weights; "hit" is written last and
   * marks the run done), so the sweep only lends ownership and the barrier here. */
  gdl_sweep *sw = NULL;
  int src = gdl_sweep_begin(&argc, &argv, out, full ? "ms-full" : "ms-quick", np, &sw);
  if (src != GDL_OK) gdl_bench_die("bench_staircase", "sweep", src);
  size_t done = 0, failed = 0;
  const size_t mine = gdl_sweep_owned(sw);
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (size_t q = 0; q < np; q++) {
    if (!gdl_sweep_owns(sw, q)) continue;
    char hp[4096];
    point_path(hp, sizeof hp, out, &pts[q], "hit");
    int rc = GDL_OK;
    if (!file_exists(hp)) rc = run_point(out, &pts[q], seed);
#ifdef GDL_HAVE_OPENMP
#pragma omp critical
#endif
    {
      if (rc != GDL_OK) {
        fprintf(stderr, "bench_staircase: run %s d=%zu seed %zu failed: %s\n", ms_tnames[pts[q].target],
                pts[q].d, pts[q].seed, gdl_strerror_last());
        failed++;
      }
      gdl_progress("staircase runs", ++done, mine);
    }
  }
  gdl_progress_done();
  if (failed) {
    free(pts);
    gdl_sweep_end(sw);
    return 1;
  }
  /* every rank's runs are on disk before rank 0 assembles; the others are done */
  if ((src = gdl_sweep_barrier(sw)) != GDL_OK) gdl_bench_die("bench_staircase", "barrier", src);
  if (!gdl_sweep_is_root(sw)) {
    free(pts);
    gdl_sweep_end(sw);
    return 0;
  }

  /* ---- assemble ---- */
  int rc = GDL_OK;
  gdl_csv *cc = NULL, *cw = NULL, *ch = NULL;
  static const char *const ccols[] = {"target", "d", "seed", "step", "steps_over_d", "fvu"};
  static const char *const wcols[] = {"d", "seed", "step", "steps_over_d", "w1", "w2", "w3", "w4", "bulk"};
  static const char *const hcols[] = {"target", "d", "seed", "hit", "hit_over_d", "censored"};
  snprintf(path, sizeof path, "%s/staircase_curves.csv", out);
  rc = gdl_csv_open(path, 6, ccols, &cc);
  snprintf(path, sizeof path, "%s/staircase_weights.csv", out);
  if (rc == GDL_OK) rc = gdl_csv_open(path, 9, wcols, &cw);
  snprintf(path, sizeof path, "%s/staircase_hitting.csv", out);
  if (rc == GDL_OK) rc = gdl_csv_open(path, 6, hcols, &ch);
  double ms3_gap = INFINITY; /* min over staircase runs of the gap between rise times, in snapshots */
  double *T = calloc(np, sizeof *T);
  int *cens = calloc(np, sizeof *cens);
  if (!T || !cens) rc = gdl_fail(GDL_ENOMEM, "out of memory");
  /* in a stable order: target, d, seed */
  for (int t = 0; t < 2 && rc == GDL_OK; t++)
    for (size_t i = 0; i < nd && rc == GDL_OK; i++)
      for (size_t s = 0; s < ns && rc == GDL_OK; s++) {
        point p = {t, ds[i], s};
        size_t q = ((size_t)t * nd + i) * ns + s;
        double *v = NULL;
        size_t n = 0;
        point_path(path, sizeof path, out, &p, "hit");
        rc = read_csv(path, 2, &v, &n);
        if (rc != GDL_OK) break;
        if (n != 1) rc = gdl_fail(GDL_EPARSE, "%s: expected one row", path);
        double hit = n ? v[0] : 0, cap = n ? v[1] : 0;
        free(v);
        if (rc != GDL_OK) break;
        cens[q] = hit == 0;
        T[q] = hit > 0 ? hit : cap;
        double hv[6] = {t, (double)p.d, (double)s, T[q], T[q] / (double)p.d, cens[q]};
        rc = gdl_csv_row(ch, hv);
        v = NULL;
        point_path(path, sizeof path, out, &p, "curve");
        if (rc == GDL_OK) rc = read_csv(path, 2, &v, &n);
        for (size_t r = 0; rc == GDL_OK && r < n; r++) {
          double cv[6] = {t, (double)p.d, (double)s, v[2 * r], v[2 * r] / (double)p.d, v[2 * r + 1]};
          rc = gdl_csv_row(cc, cv);
        }
        free(v);
        v = NULL;
        if (t == 0 && rc == GDL_OK) {
          v = NULL;
          point_path(path, sizeof path, out, &p, "weights");
          rc = read_csv(path, 6, &v, &n);
          for (size_t r = 0; rc == GDL_OK && r < n; r++) {
            double wv[9] = {(double)p.d, (double)s, v[6 * r], v[6 * r] / (double)p.d,
                            v[6 * r + 1], v[6 * r + 2], v[6 * r + 3], v[6 * r + 4], v[6 * r + 5]};
            rc = gdl_csv_row(cw, wv);
          }
          /* MS3 on the sweep's runs: rise = first snapshot with mean|W0[:,i]| > 2 x bulk */
          double rise[4] = {0, 0, 0, 0};
          for (size_t i4 = 0; rc == GDL_OK && i4 < 4; i4++)
            for (size_t r = 0; r < n; r++)
              if (v[6 * r + 1 + i4] > 2.0 * v[6 * r + 5]) {
                rise[i4] = v[6 * r];
                break;
              }
          for (size_t i4 = 0; i4 < 4; i4++)
            if (rise[i4] == 0) ms3_gap = -1e9; /* a coordinate never rose */
          for (size_t i4 = 0; i4 + 1 < 4; i4++)
            ms3_gap = fmin(ms3_gap, (rise[i4 + 1] - rise[i4]) / (double)(p.d / 4));
          free(v);
        }
      }
  if (rc == GDL_OK) rc = gdl_csv_commit(cc);
  else if (cc) gdl_csv_abort(cc);
  if (rc == GDL_OK) rc = gdl_csv_commit(cw);
  else if (cw) gdl_csv_abort(cw);
  if (rc == GDL_OK) rc = gdl_csv_commit(ch);
  else if (ch) gdl_csv_abort(ch);
  if (rc != GDL_OK) {
    fprintf(stderr, "bench_staircase: %s\n", gdl_strerror_last());
    return 1;
  }

  /* fits: log T vs log d over all runs (censored x1x2x3 runs at their cap) */
  gdl_fit fit[2];
  double x[64 * 8], y[64 * 8];
  for (int t = 0; t < 2; t++) {
    size_t n = 0;
    for (size_t i = 0; i < nd; i++)
      for (size_t s = 0; s < ns; s++) {
        x[n] = (double)ds[i];
        y[n] = T[((size_t)t * nd + i) * ns + s];
        n++;
      }
    if (gdl_fit_loglog(n, x, y, &fit[t]) != GDL_OK) {
      fprintf(stderr, "bench_staircase: fit: %s\n", gdl_strerror_last());
      return 1;
    }
  }
  gdl_csv *cf = NULL, *cm = NULL;
  static const char *const fcols[] = {"target", "slope", "se", "intercept", "n"};
  static const char *const mcols[] = {"target", "d", "geomean_T", "fit_T"};
  snprintf(path, sizeof path, "%s/staircase_fit.csv", out);
  rc = gdl_csv_open(path, 5, fcols, &cf);
  for (int t = 0; t < 2 && rc == GDL_OK; t++) {
    double v[5] = {t, fit[t].slope, fit[t].se_slope, fit[t].intercept, (double)fit[t].n};
    rc = gdl_csv_row(cf, v);
  }
  if (rc == GDL_OK) rc = gdl_csv_commit(cf);
  snprintf(path, sizeof path, "%s/staircase_hitmean.csv", out);
  if (rc == GDL_OK) rc = gdl_csv_open(path, 4, mcols, &cm);
  for (int t = 0; t < 2 && rc == GDL_OK; t++)
    for (size_t i = 0; i < nd && rc == GDL_OK; i++) {
      double lm = 0;
      for (size_t s = 0; s < ns; s++) lm += log(T[((size_t)t * nd + i) * ns + s]);
      lm /= (double)ns;
      double v[4] = {t, (double)ds[i], exp(lm), exp(fit[t].intercept + fit[t].slope * log((double)ds[i]))};
      rc = gdl_csv_row(cm, v);
    }
  if (rc == GDL_OK) rc = gdl_csv_commit(cm);
  if (rc != GDL_OK) {
    fprintf(stderr, "bench_staircase: %s\n", gdl_strerror_last());
    return 1;
  }

  /* sidecar */
  gdl_json *j = NULL;
  gdl_json_new(&j);
  gdl_json_str(j, "family", "staircase");
  gdl_json_str(j, "mode", full ? "full" : "quick");
  gdl_json_str(j, "net", "2-layer ReLU, 64 units, f = (1/N) sum a_j relu(w_j.x + b_j), w ~ N(0,I/d), "
                         "b ~ N(0,1/4), a ~ N(0,1)");
  gdl_json_str(j, "training", "online SGD, batch 1, squared loss, step 0.5/d per particle "
                              "(trainer lr = 0.5*N/d on the raw gradient)");
  gdl_json_str(j, "hitting_time", "first step (multiple of 5d) with test MSE < 0.1 Var(y), 1000 test points");
  double dd[5];
  for (size_t i = 0; i < nd; i++) dd[i] = (double)ds[i];
  gdl_json_nums(j, "d", nd, dd);
  gdl_json_int(j, "seeds", (long long)ns);
  gdl_json_str(j, "targets", "0: x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4 (budget 300d); 1: x1*x2*x3 (cap 3000d)");
  gdl_json_num(j, "slope_staircase", fit[0].slope);
  gdl_json_num(j, "slope_staircase_se", fit[0].se_slope);
  gdl_json_num(j, "slope_leap3", fit[1].slope);
  gdl_json_num(j, "slope_leap3_se", fit[1].se_slope);
  gdl_json_provenance(j, seed);
  snprintf(path, sizeof path, "%s/staircase.json", out);
  rc = gdl_json_write(j, path);
  gdl_json_free(j);

  /* summary.json for the claims report */
  char *buf = malloc(65536);
  if (!buf) return 1;
  size_t off = 0;
#define EMIT(...) off += (size_t)snprintf(buf + off, 65536 - off, __VA_ARGS__)
  EMIT("{\n \"claim\": \"MS\",\n \"rows\": [\n");
  int firstrow = 1;
#define ROW(claim, check, meas, rel, bnd, ok)                                                        \
  do {                                                                                               \
    EMIT("%s  {\"claim\": \"%s\", \"check\": \"%s\", \"measured\": %.6g, \"relation\": \"%s\", "      \
         "\"bound\": %.6g, \"pass\": %s}",                                                           \
         firstrow ? "" : ",\n", claim, check, meas, rel, bnd, (ok) ? "true" : "false");              \
    firstrow = 0;                                                                                    \
  } while (0)
  ROW("MS2", "staircase slope of log T vs log d (>=)", fit[0].slope, ">=", 0.7, fit[0].slope >= 0.7);
  ROW("MS2", "staircase slope of log T vs log d (<=)", fit[0].slope, "<=", 1.3, fit[0].slope <= 1.3);
  ROW("MS2", "x1x2x3 slope of log T vs log d", fit[1].slope, ">=", 1.6, fit[1].slope >= 1.6);
  for (size_t i = 0; i < nd; i++) {
    double worst = 0, best = INFINITY;
    for (size_t s = 0; s < ns; s++) {
      size_t q0 = i * ns + s, q1 = (nd + i) * ns + s;
      worst = fmax(worst, (cens[q0] ? 10 * T[q0] : T[q0]) / (double)ds[i]);
      best = fmin(best, T[q1] / (double)ds[i]);
    }
    char chk[128];
    snprintf(chk, sizeof chk, "staircase learned within 300d at d=%zu (worst seed T/d)", ds[i]);
    ROW("MS2", chk, worst, "<=", 300.0, worst <= 300);
    if (ds[i] >= 256) {
      snprintf(chk, sizeof chk, "x1x2x3 not learned within 300d at d=%zu (best seed T/d)", ds[i]);
      ROW("MS2", chk, best, ">", 300.0, best > 300);
    }
  }
  ROW("MS3", "staircase: coordinates rise in the order 1,2,3,4 (min gap, snapshots of d/4 steps)", ms3_gap,
      ">=", 1.0, ms3_gap >= 1);
  EMIT("\n ],\n \"figures\": [\"staircase_curves.png\", \"staircase_hitting.png\", \"staircase_weights.png\"]\n}\n");
  snprintf(path, sizeof path, "%s/summary.json", out);
  if (rc == GDL_OK) rc = gdl_write_atomic(path, buf, off);
  free(buf);
  free(T);
  free(cens);
  free(pts);
  if (rc != GDL_OK) {
    fprintf(stderr, "bench_staircase: %s\n", gdl_strerror_last());
    return 1;
  }
  printf("staircase: slope staircase %.3f (SE %.3f), x1x2x3 %.3f (SE %.3f); results in %s\n", fit[0].slope,
         fit[0].se_slope, fit[1].slope, fit[1].se_slope, out);
  gdl_sweep_end(sw);
  return 0;
}
