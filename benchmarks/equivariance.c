/* bench_equivariance: claim EQ sweep (figure equivariance_error; summary.json).
 *
 *   bench_equivariance --out DIR [--full] [--seed N]
 *
 * EQ1: for every input law x group (cube/B_n, Gaussian/O(d), sphere/O(d)), learner (GD, SGD,
 * noisy GD with l2 clipping, and the controls Adam, coordinatewise clipping) and depth
 * (2, 3, 4) one pair run (theorems/equivariance_run.h) records the per-step error
 * max_x |f_B(g x) - f_A(x)|. Each pair run is one point file DIR/points/eq1-S-A-D.csv (a
 * rerun skips finished points). Quick: n = 10, 300 steps; full: 1000 steps. The pair runs go
 * in parallel with OpenMP and, built with -DGDL_MPI=ON and started as `mpirun -n K
 * bench_equivariance ...`, run q belongs to rank q mod K (gdl/sweep.h; set OMP_NUM_THREADS to
 * the cores per rank); each draws its randomness from (seed, purpose, index) alone, so the result
 * does not depend on the thread or rank count. After a barrier rank 0 alone assembles.
 * EQ2/EQ3 summaries (KS statistics) are recomputed each run by rank 0 (a few seconds).
 * Outputs: equivariance_error.csv (setup,algo,depth,step,err,err_plot),
 *   equivariance_error_max.csv (setup,algo,step,err_max over depths, floored at 1e-17 for log
 *   axes), equivariance_ks.csv, equivariance.json (configuration + provenance), summary.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../theorems/equivariance_run.h"
#include "bench_cli.h"

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

#define FLOOR 1e-17

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, "bench_equivariance", "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  const char *out = args.out;
  const int full = args.full;
  const uint64_t seed = args.seed;
  size_t steps = full ? 1000 : 300;
  char path[4096];
  const size_t npts = EQ_NSETUPS * EQ_NALGOS * 3;
  size_t done = 0, failed = 0;
  /* gdl_sweep: run q to rank q mod K under mpirun (one rank without MPI); the point files
   * keep their own names, so the sweep lends ownership, DIR/points and the barrier */
  gdl_sweep *sw = NULL;
  int src = gdl_sweep_begin(&argc, &argv, out, full ? "eq1-full" : "eq1-quick", npts, &sw);
  if (src != GDL_OK) gdl_bench_die("bench_equivariance", "sweep", src);
  const size_t mine = gdl_sweep_owned(sw);
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (size_t q = 0; q < npts; q++) {
    if (!gdl_sweep_owns(sw, q)) continue;
    size_t s = q / (EQ_NALGOS * 3), a = (q / 3) % EQ_NALGOS, dep = q % 3 + 2;
    char pp[4096];
    snprintf(pp, sizeof pp, "%s/points/eq1-%zu-%zu-%zu.csv", out, s, a, dep);
    int rc = GDL_OK;
    if (!file_exists(pp)) {
      eq1_cfg c;
      eq1_cfg_default(&c, (eq_setup)s, (eq_algo)a, dep);
      c.steps = steps;
      double *err = malloc(steps * sizeof *err), mx;
      if (!err) rc = GDL_ENOMEM;
      if (rc == GDL_OK) rc = eq1_pair_run(&c, seed, 1000 * (uint64_t)s + 10 * (uint64_t)a + (dep - 2), err, &mx);
      static const char *const cols[] = {"setup", "algo", "depth", "step", "err"};
      gdl_csv *csv = NULL;
      if (rc == GDL_OK) rc = gdl_csv_open(pp, 5, cols, &csv);
      for (size_t t = 0; t < steps && rc == GDL_OK; t++) {
        double row[5] = {(double)s, (double)a, (double)dep, (double)(t + 1), err[t]};
        rc = gdl_csv_row(csv, row);
      }
      if (csv) {
        if (rc == GDL_OK) rc = gdl_csv_commit(csv);
        else gdl_csv_abort(csv);
      }
      free(err);
    }
#ifdef GDL_HAVE_OPENMP
#pragma omp critical
#endif
    {
      if (rc != GDL_OK) {
        fprintf(stderr, "bench_equivariance: %s %s depth %zu failed: %s\n", eq_setup_name((eq_setup)s),
                eq_algo_name((eq_algo)a), dep, gdl_strerror_last());
        failed++;
      }
      gdl_progress("equivariance pair runs", ++done, mine);
    }
  }
  gdl_progress_done();
  if (failed) {
    gdl_sweep_end(sw);
    return 1;
  }
  /* every rank's runs are on disk before rank 0 assembles; the other ranks are done */
  if ((src = gdl_sweep_barrier(sw)) != GDL_OK) gdl_bench_die("bench_equivariance", "barrier", src);
  if (!gdl_sweep_is_root(sw)) {
    gdl_sweep_end(sw);
    return 0;
  }

  /* ---- assemble EQ1 ---- */
  int rc = GDL_OK;
  static const char *const c1[] = {"setup", "algo", "depth", "step", "err", "err_plot"};
  static const char *const c2[] = {"setup", "algo", "step", "err_max"};
  gdl_csv *ce = NULL, *cm = NULL;
  snprintf(path, sizeof path, "%s/equivariance_error.csv", out);
  rc = gdl_csv_open(path, 6, c1, &ce);
  snprintf(path, sizeof path, "%s/equivariance_error_max.csv", out);
  if (rc == GDL_OK) rc = gdl_csv_open(path, 4, c2, &cm);
  double maxerr[EQ_NSETUPS][EQ_NALGOS] = {{0}};
  size_t nsteps_seen = 0;
  double *emax = calloc(100000, sizeof *emax);
  if (!emax) rc = gdl_fail(GDL_ENOMEM, "out of memory");
  for (size_t s = 0; s < EQ_NSETUPS && rc == GDL_OK; s++)
    for (size_t a = 0; a < EQ_NALGOS && rc == GDL_OK; a++) {
      for (size_t t = 0; t < 100000; t++) emax[t] = 0;
      size_t nst = 0;
      for (size_t dep = 2; dep <= 4 && rc == GDL_OK; dep++) {
        char pp[4096];
        snprintf(pp, sizeof pp, "%s/points/eq1-%zu-%zu-%zu.csv", out, s, a, dep);
        FILE *f = fopen(pp, "r");
        if (!f) {
          rc = gdl_fail(GDL_EIO, "missing point file %s", pp);
          break;
        }
        char line[512];
        if (!fgets(line, sizeof line, f)) rc = gdl_fail(GDL_EIO, "empty point file %s", pp);
        double v[5];
        while (rc == GDL_OK && fscanf(f, "%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5) {
          size_t t = (size_t)v[3];
          if (t == 0 || t >= 100000) continue;
          double e = isfinite(v[4]) ? v[4] : INFINITY;
          double row[6] = {v[0], v[1], v[2], v[3], e, fmax(e, FLOOR)};
          rc = gdl_csv_row(ce, row);
          emax[t] = fmax(emax[t], e);
          if (t > nst) nst = t;
          maxerr[s][a] = fmax(maxerr[s][a], e);
        }
        fclose(f);
      }
      for (size_t t = 1; t <= nst && rc == GDL_OK; t++) {
        double row[4] = {(double)s, (double)a, (double)t, fmax(emax[t], FLOOR)};
        rc = gdl_csv_row(cm, row);
      }
      if (nst > nsteps_seen) nsteps_seen = nst;
    }
  free(emax);
  if (rc == GDL_OK) rc = gdl_csv_commit(ce);
  else if (ce) gdl_csv_abort(ce);
  if (rc == GDL_OK) rc = gdl_csv_commit(cm);
  else if (cm) gdl_csv_abort(cm);

  /* ---- EQ2 / EQ3 (recomputed: a few seconds) ---- */
  struct { eq2_init i; gdl_group_kind g; int eq; } k2[] = {
    {INIT_GAUSS, GDL_GROUP_OD, 1}, {INIT_GAUSS, GDL_GROUP_BN, 1}, {INIT_RADEMACHER, GDL_GROUP_BN, 1},
    {INIT_UNIFORM01, GDL_GROUP_SN, 1}, {INIT_RADEMACHER, GDL_GROUP_OD, 0}, {INIT_UNIFORM01, GDL_GROUP_BN, 0},
    {INIT_HAND, GDL_GROUP_SN, 0}};
  const size_t M = 5000, n2 = sizeof k2 / sizeof k2[0];
  double D2[7], p2[7];
  double *s1 = malloc(2 * M * sizeof *s1);
  if (!s1 && rc == GDL_OK) rc = gdl_fail(GDL_ENOMEM, "out of memory");
  for (size_t i = 0; i < n2 && rc == GDL_OK; i++) {
    eq2_samples(k2[i].i, k2[i].g, seed, M, s1, s1 + M);
    rc = gdl_ks2(M, s1, M, s1 + M, &D2[i], &p2[i]);
  }
  free(s1);
  enum { NS3 = 40 };
  static double corr[2][2][NS3];
  int rc3 = GDL_OK;
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic) collapse(3)
#endif
  for (int h = 0; h < 2; h++)
    for (int t = 0; t < 2; t++)
      for (size_t s = 0; s < NS3; s++) {
        int r = eq3_run(h, t ? 10 : 0, seed, s, &corr[h][t][s]);
        if (r != GDL_OK) {
#ifdef GDL_HAVE_OPENMP
#pragma omp critical
#endif
          rc3 = r;
        }
      }
  if (rc == GDL_OK) rc = rc3;
  double D3 = NAN, p3 = NAN, D3h = NAN, p3h = NAN, m3[2][2];
  if (rc == GDL_OK) rc = gdl_ks2(NS3, corr[0][0], NS3, corr[0][1], &D3, &p3);
  if (rc == GDL_OK) rc = gdl_ks2(NS3, corr[1][0], NS3, corr[1][1], &D3h, &p3h);
  for (int h = 0; h < 2 && rc == GDL_OK; h++)
    for (int t = 0; t < 2; t++) {
      double se;
      gdl_mean_se(NS3, corr[h][t], &m3[h][t], &se);
    }
  if (rc == GDL_OK) {
    static const char *const ck[] = {"case", "init", "group", "expect_equal", "D", "p"};
    gdl_csv *ck2 = NULL;
    snprintf(path, sizeof path, "%s/equivariance_ks.csv", out);
    rc = gdl_csv_open(path, 6, ck, &ck2);
    for (size_t i = 0; i < n2 && rc == GDL_OK; i++) {
      double row[6] = {(double)i, (double)k2[i].i, (double)k2[i].g, (double)k2[i].eq, D2[i], p2[i]};
      rc = gdl_csv_row(ck2, row);
    }
    if (rc == GDL_OK) rc = gdl_csv_commit(ck2);
    else if (ck2) gdl_csv_abort(ck2);
  }
  if (rc != GDL_OK) {
    fprintf(stderr, "bench_equivariance: %s\n", gdl_strerror_last());
    return 1;
  }

  /* ---- JSON sidecar ---- */
  gdl_json *j = NULL;
  if (gdl_json_new(&j) == GDL_OK) {
    gdl_json_str(j, "family", "equivariance");
    gdl_json_str(j, "mode", full ? "full" : "quick");
    gdl_json_int(j, "steps", (long long)steps);
    gdl_json_str(j, "eq1", "n=10, width 32 tanh, depths 2-4, lr 0.02 (Adam 3e-3), l2 clip 0.1, noise tau 0.01, coord clip 0.01, 256-point sample (SGD: fresh batches of 16), 64 test points");
    gdl_json_str(j, "setups", "0 cube-Bn, 1 gauss-Od, 2 sphere-Od");
    gdl_json_str(j, "algos", "0 GD, 1 SGD, 2 noisyGD-l2clip, 3 Adam (control), 4 coordclip (control)");
    gdl_json_str(j, "eq2", "d=16, x=4e1, net 16-2-1 tanh, 5000+5000 inits; inits 0 gaussian 1 rademacher 2 uniform01 3 hand-placed; groups 0 S_n 1 B_n 2 O(d)");
    gdl_json_str(j, "eq3", "n=20, chi_{1,2,3} vs chi_{11,12,13}, 20-64-1 relu, SGD lr 0.05 batch 32, 1500 steps, 40 seeds");
    gdl_json_provenance(j, seed);
    snprintf(path, sizeof path, "%s/equivariance.json", out);
    rc = gdl_json_write(j, path);
    gdl_json_free(j);
  }

  /* ---- summary.json for the claims report ---- */
  size_t cap = 65536, off = 0;
  char *buf = malloc(cap);
  if (!buf) return 1;
  int first = 1;
#define EMIT(...) off += (size_t)snprintf(buf + off, cap - off, __VA_ARGS__)
#define ROW(claim, check, meas, rel, bnd, ok)                                                          \
  do {                                                                                                 \
    EMIT("%s  {\"claim\": \"%s\", \"check\": \"%s\", \"measured\": %.6g, \"relation\": \"%s\", "        \
         "\"bound\": %.6g, \"pass\": %s}",                                                             \
         first ? "" : ",\n", claim, check, meas, rel, bnd, (ok) ? "true" : "false");                    \
    first = 0;                                                                                         \
  } while (0)
  EMIT("{\n \"claim\": \"EQ\",\n \"rows\": [\n");
  for (size_t s = 0; s < EQ_NSETUPS; s++)
    for (size_t a = 0; a < EQ_NALGOS; a++) {
      char chk[160];
      int ctrl_fail = (a == EQ_ADAM || a == EQ_COORDCLIP) && s != EQ_CUBE_BN;
      double e = maxerr[s][a];
      snprintf(chk, sizeof chk, "%s %s: max |f_B(gx)-f_A(x)| over %zu steps, depths 2-4%s", eq_setup_name((eq_setup)s),
               eq_algo_name((eq_algo)a), steps, ctrl_fail ? " (control, must exceed)" : "");
      if (ctrl_fail) ROW("EQ1", chk, isfinite(e) ? e : 1e300, ">", 1e-4, isfinite(e) && e > 1e-4);
      else ROW("EQ1", chk, isfinite(e) ? e : 1e300, "<=", 1e-9, isfinite(e) && e <= 1e-9);
    }
  for (size_t i = 0; i < n2; i++) {
    char chk[160];
    snprintf(chk, sizeof chk, "KS p, %s first layer under %s (D = %.4f)%s", INIT_NAME[k2[i].i], GROUP_NAME[k2[i].g], D2[i],
             k2[i].eq ? "" : " (control)");
    if (k2[i].eq) ROW("EQ2", chk, p2[i], ">", 1e-7, p2[i] > 1e-7);
    else ROW("EQ2", chk, p2[i], "<", 1e-12, p2[i] < 1e-12);
  }
  {
    char chk[200];
    snprintf(chk, sizeof chk, "KS p, FCN final corr chi_S vs chi_pi(S), 40 seeds (D = %.3f; mean corr %.3f vs %.3f)", D3,
             m3[0][0], m3[0][1]);
    ROW("EQ3", chk, p3, ">", 1e-8, p3 > 1e-8);
    snprintf(chk, sizeof chk, "hand-placed learner: mean corr chi_S - chi_pi(S) (%.3f vs %.3f)", m3[1][0], m3[1][1]);
    ROW("EQ3", chk, m3[1][0] - m3[1][1], ">", 0.5, m3[1][0] - m3[1][1] > 0.5);
    snprintf(chk, sizeof chk, "hand-placed learner: KS p chi_S vs chi_pi(S) (control, D = %.3f)", D3h);
    ROW("EQ3", chk, p3h, "<", 1e-12, p3h < 1e-12);
  }
  EMIT("\n ],\n \"figures\": [\"equivariance_error.png\"]\n}\n");
  snprintf(path, sizeof path, "%s/summary.json", out);
  if (rc == GDL_OK) rc = gdl_write_atomic(path, buf, off);
  free(buf);
  if (rc != GDL_OK) {
    fprintf(stderr, "bench_equivariance: %s\n", gdl_strerror_last());
    return 1;
  }
  printf("equivariance: results in %s (EQ1 worst equivariant error %.3g; EQ3 FCN KS p %.3g)\n", out,
         fmax(fmax(maxerr[0][0], maxerr[1][0]), maxerr[2][0]), p3);
  gdl_sweep_end(sw);
  return 0;
}
