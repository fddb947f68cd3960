/* benchmarks/variance.c: time of the exact class-gradient-variance engines against the
 * direct engine (one loss gradient per target), in the same run, one core.
 *
 *   bench_variance --out DIR [--full] [--seed N]
 *
 * Rows (CSV DIR/variance_engines.csv, JSON sidecar DIR/variance.json, summary.json):
 *   parity  FWHT engine (all n levels at once) vs direct on the middle level k = n/2
 *           (C(n, n/2) targets); n in {12, 14, 16} (quick) or {12, ..., 20} (full), n-64-1 tanh.
 *   parity2 GEMM engine on level 2 vs direct on level 2.
 *   zp      FFT engine vs direct over all p - 1 multipliers; bits encoding, 64 tanh units;
 *           p in {101, 1009, 10007, 100801} (quick), + 1008001 (full). p - 1 smooth except
 *           10007 (Bluestein path).
 *   zp_gemm GEMM engine vs direct, p <= 1009.
 *   wave    Legendre and FFT paths of engine 5 at A in {4, 16, 64} (1-32-1 ReLU), against
 *           the direct engine on a Gauss-Legendre class in a with 16 A + 64 nodes.
 * When the direct engine would take long, it is timed on the first T targets (column
 * direct_targets_timed) and its time scaled by |H|/T (its cost per target is constant:
 * one forward + loss + backward over all points). ratio = t_direct / t_engine. Times are
 * CPU seconds of the process with one BLAS thread (= one core), robust to a loaded machine.
 * The points (one per n, p and (A, path); a point writes its engine's row and the GEMM row
 * where there is one) are a keyed sweep (gdl_bench_sweep_phase) run one at a time on one
 * thread, so a rerun with the same seed, mode and grid reuses the finished points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include <gsl/gsl_integration.h>
#ifdef GDL_HAVE_OPENMP
#include <omp.h>
#endif
#include "gdl/gdl.h"
#include "experiments/gradient_variance.h"
#include "bench_cli.h"

#define PROG "bench_variance"

/* ---- the grid: one point per parity n, per modulus p, per wave (A, method) ---- */
static const unsigned PAR_N[] = {12, 14, 16, 18, 20};  /* quick: the first 3 */
static const uint64_t ZP_P[] = {101, 1009, 10007, 100801, 1008001}; /* quick: the first 4 */
static const double WAVE_A[] = {4, 16, 64};
#define NWAVE (sizeof WAVE_A / sizeof WAVE_A[0])
typedef enum { E_PARITY, E_PARITY2, E_ZP, E_ZP_GEMM, E_WAVE_LEG, E_WAVE_FFT, E_N } engine;
static const char *const ENGINE[E_N] = {"parity", "parity2", "zp", "zp_gemm", "wave_leg", "wave_fft"};

typedef struct {
  uint64_t seed;
  size_t npar, nzp, np;
} grid;

/* point q: the parity points, then the Z_p points, then the waves (A, method 1 then 2) */
static size_t make_grid(grid *g, int full, uint64_t seed) {
  *g = (grid){.seed = seed, .npar = full ? 5 : 3, .nzp = full ? 5 : 4};
  g->np = g->npar + g->nzp + 2 * NWAVE;
  return g->np;
}

static int grid_json(const void *cfg, gdl_json *j) {
  const grid *g = cfg;
  double n[5];
  for (size_t i = 0; i < g->npar; i++) n[i] = PAR_N[i];
  GDL_TRY(gdl_json_str(j, "what", "exact class-gradient-variance engines vs the direct engine (one loss gradient "
                                  "per target), one core"));
  GDL_TRY(gdl_json_int(j, "blas_threads_forced", 1));
  GDL_TRY(gdl_json_nums(j, "parity_n", g->npar, n));
  for (size_t i = 0; i < g->nzp; i++) n[i] = (double)ZP_P[i];
  GDL_TRY(gdl_json_nums(j, "zp_p", g->nzp, n));
  return gdl_json_nums(j, "wave_A", NWAVE, WAVE_A);
}

/* CPU seconds of this process (one BLAS thread, one point at a time): the time the engine
 * needs on one core, insensitive to other load on a shared machine. */
static double now_s(void) { return gdl_clock_seconds(GDL_CLOCK_PROCESS); }

/* n -> h -> 1 net of the GV experiments (experiments/gradient_variance.h), bias N(0, 1/4) */
static int make_mlp(uint64_t seed, size_t in, size_t h, gdl_act act, uint64_t idx, gdl_net **net) {
  gv_net_config c = {1, {h}, act, 1.0, 0.5};
  return gv_make_net(&c, in, seed, "bench.variance.net", idx, net);
}

/* ---- a point's rows: engine, size, P, nclass, t_engine, t_direct, timed, var, rel_err ---- */
#define NV 9
static const char *const PCOLS[NV] = {"engine", "size", "P", "nclass", "t_engine",
                                      "t_direct", "timed", "var", "rel_err"};

/* One row: the engine's numbers (its time te, the direct time td over T of |H| targets). */
static void set_row(double *row, engine e, double size, const gdl_net *net, size_t nclass, double te, double td,
                    size_t T, double var, double rel) {
  double v[NV] = {e, size, (double)net->nparams, (double)nclass, te, td, (double)T, var, rel};
  memcpy(row, v, sizeof v);
}

/* direct engine on the first T members of H, time scaled to all members */
static int time_direct(gdl_net *net, size_t m, const double *X, const double *w, const gdl_class *H, size_t T,
                       double *var, double *t) {
  gdl_class sub = *H;
  if (T < H->nclass) { sub.nclass = T; sub.prior = NULL; }
  gdl_var_result r;
  double t0 = now_s();
  GDL_TRY(gdl_variance_direct(net, GDL_LOSS_SQUARED, m, X, w, &sub, &r));
  *t = (now_s() - t0) * (double)H->nclass / (double)sub.nclass;
  *var = r.var;
  return GDL_OK;
}

/* FWHT (all levels) vs direct on the middle level; GEMM vs direct on level 2 */
static int parity_rows(uint64_t seed, unsigned n, double rows[2][NV], size_t *nrows) {
  size_t m = (size_t)1 << n;
  gdl_net *net = NULL;
  double *X = malloc(m * n * sizeof *X);
  int rc = X ? GDL_OK : gdl_fail(GDL_ENOMEM, "parity: out of memory");
  GDL_TRY_CLEANUP(rc);
  GDL_TRY_CLEANUP(make_mlp(seed, n, 64, GDL_ACT_TANH, n, &net));
  gdl_var_result lev[25], g;
  double t0 = now_s(), dv, td;
  GDL_TRY_CLEANUP(gdl_variance_parity(net, lev));
  double te = now_s() - t0;
  gdl_domain d;
  gdl_domain_cube(n, &d);
  gdl_domain_enumerate(&d, X, NULL, NULL);
  gdl_class_parity_ctx ctx;
  gdl_class H;
  gdl_class_parity(n, n / 2, &ctx, &H);
  size_t T = H.nclass < 16 ? H.nclass : 16;
  GDL_TRY_CLEANUP(time_direct(net, m, X, NULL, &H, T, &dv, &td));
  set_row(rows[0], E_PARITY, n, net, H.nclass, te, td, T, lev[n / 2].var, NAN);
  gdl_class_parity(n, 2, &ctx, &H);
  t0 = now_s();
  GDL_TRY_CLEANUP(gdl_variance_gemm(net, m, X, NULL, &H, 0, &g));
  te = now_s() - t0;
  T = n <= 14 ? H.nclass : 16;
  GDL_TRY_CLEANUP(time_direct(net, m, X, NULL, &H, T, &dv, &td));
  double rel = T == H.nclass ? fabs(dv - g.var) / g.var : fabs(lev[2].var - g.var) / g.var;
  set_row(rows[1], E_PARITY2, n, net, H.nclass, te, td, T, g.var, rel);
  *nrows = 2;
cleanup:
  gdl_net_free(net);
  free(X);
  return rc;
}

/* FFT engine vs direct over all p - 1 multipliers; GEMM vs direct for p <= 1009 */
static int zp_rows(uint64_t seed, size_t i, double rows[2][NV], size_t *nrows) {
  uint64_t p = ZP_P[i];
  gdl_domain d;
  gdl_domain_zp(p, 1, &d);
  size_t dim = gdl_domain_dim(&d), m = (size_t)p;
  gdl_net *net = NULL;
  double *phi = malloc(p * sizeof *phi), *X = malloc(m * dim * sizeof *X);
  uint64_t *ints = malloc(m * sizeof *ints);
  int rc = phi && X && ints ? GDL_OK : gdl_fail(GDL_ENOMEM, "zp: out of memory");
  GDL_TRY_CLEANUP(rc);
  GDL_TRY_CLEANUP(make_mlp(seed, dim, 64, GDL_ACT_TANH, 100 + i, &net));
  gdl_phi_table(GDL_PHI_COS, p, phi);
  gdl_domain_enumerate(&d, X, NULL, ints);
  gdl_var_result r, g;
  double t0 = now_s(), dv, td;
  GDL_TRY_CLEANUP(gdl_variance_zp(net, &d, phi, GDL_FFT_AUTO, &r, NULL, NULL));
  double te = now_s() - t0;
  gdl_class_modmul_ctx ctx;
  gdl_class H;
  gdl_class_modmul(p, phi, ints, &d, &ctx, &H);
  size_t T = p <= 1009 ? H.nclass : 8;
  GDL_TRY_CLEANUP(time_direct(net, m, X, NULL, &H, T, &dv, &td));
  set_row(rows[0], E_ZP, (double)p, net, H.nclass, te, td, T, r.var, T == H.nclass ? fabs(dv - r.var) / r.var : NAN);
  *nrows = 1;
  if (p <= 1009) {
    t0 = now_s();
    GDL_TRY_CLEANUP(gdl_variance_gemm(net, m, X, NULL, &H, 0, &g));
    set_row(rows[1], E_ZP_GEMM, (double)p, net, H.nclass, now_s() - t0, td, T, g.var, fabs(g.var - r.var) / r.var);
    *nrows = 2;
  }
cleanup:
  GDL_FREE_ALL(phi, X, ints);
  gdl_net_free(net);
  return rc;
}

typedef struct { const double *a; gdl_psi psi; } gl_ctx;
static int gl_eval(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y) {
  const gl_ctx *c = ctx;
  for (size_t r = 0; r < m; r++) y[r] = gdl_psi_eval(c->psi, c->a[h] * X[r * dim]);
  return GDL_OK;
}

/* the Legendre (meth 1) or FFT (meth 2) path of engine 5 vs direct on a Gauss-Legendre class
 * in a with 16 A + 64 nodes */
static int wave_row(uint64_t seed, size_t i, int meth, double row[NV]) {
  double A = WAVE_A[i];
  size_t m, na = (size_t)(16 * A + 64);
  gdl_wave_grid(A, 0, &m, NULL, NULL);
  gdl_net *net = NULL;
  double *X = malloc(m * sizeof *X), *w = malloc(m * sizeof *w);
  double *a = malloc(na * sizeof *a), *pr = malloc(na * sizeof *pr);
  int rc = X && w && a && pr ? GDL_OK : gdl_fail(GDL_ENOMEM, "wave: out of memory");
  GDL_TRY_CLEANUP(rc);
  GDL_TRY_CLEANUP(make_mlp(seed, 1, 32, GDL_ACT_RELU, 200 + i, &net));
  gdl_var_result r;
  double t0 = now_s(), dv, td;
  GDL_TRY_CLEANUP(gdl_variance_wave_method(net, A, GDL_PSI_SIN, 0, meth, &r));
  double te = now_s() - t0;
  gdl_wave_grid(A, 0, &m, X, w);
  gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(na);
  for (size_t k = 0; k < na; k++) { gsl_integration_glfixed_point(A, 2 * A, k, &a[k], &pr[k], t); pr[k] /= A; }
  gsl_integration_glfixed_table_free(t);
  gl_ctx ctx = {a, GDL_PSI_SIN};
  gdl_class H = {na, gl_eval, &ctx, pr};
  size_t T = A <= 4 ? na : 16;
  GDL_TRY_CLEANUP(time_direct(net, m, X, w, &H, T, &dv, &td));
  double rel = T == na ? fabs(dv - r.var) / r.var : NAN;
  set_row(row, meth == 1 ? E_WAVE_LEG : E_WAVE_FFT, A, net, na, te, td, T, r.var, rel);
cleanup:
  GDL_FREE_ALL(X, w, a, pr);
  gdl_net_free(net);
  return rc;
}

static int point(void *ctx, gdl_sweep *s, size_t q) {
  const grid *g = ctx;
  double rows[2][NV];
  size_t nrows = 1;
  if (q < g->npar)
    GDL_TRY(parity_rows(g->seed, PAR_N[q], rows, &nrows));
  else if (q < g->npar + g->nzp)
    GDL_TRY(zp_rows(g->seed, q - g->npar, rows, &nrows));
  else
    GDL_TRY(wave_row(g->seed, (q - g->npar - g->nzp) / 2, 1 + (int)((q - g->npar - g->nzp) % 2), rows[0]));
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, q, "csv", path, sizeof path));
  return gdl_csv_write(path, NV, PCOLS, nrows, &rows[0][0]);
}

/* rank 0: DIR/variance_engines.csv from the points' rows, and the two performance targets */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  static const char *cols[] = {"engine", "size", "P", "nclass", "t_engine_s", "t_direct_s", "direct_targets_timed",
                               "ratio", "var", "rel_err_vs_direct"};
  const grid *g = ctx;
  gdl_csv *c = NULL;
  gdl_table t = {0};
  double tz = NAN, rp = NAN, pz = 0;
  int rc = GDL_OK;
  GDL_TRY(gdl_bench_csv_open(bs->args, "variance_engines.csv", 10, cols, &c));
  for (size_t q = 0; q < g->np; q++) {
    char path[4096];
    GDL_TRY_CLEANUP(gdl_sweep_point_file(bs->sw, q, "csv", path, sizeof path));
    GDL_TRY_CLEANUP(gdl_csv_read(path, &t));
    if (t.ncols != NV) GDL_TRY_CLEANUP(gdl_fail(GDL_EPARSE, "%s: %zu columns, expected %d", path, t.ncols, NV));
    for (size_t r = 0; r < t.nrows; r++) {
      const double *v = t.v + r * NV + 1;
      const double code = t.v[r * NV];
      if (!(code >= 0 && code < E_N)) GDL_TRY_CLEANUP(gdl_fail(GDL_EPARSE, "%s: bad engine code", path));
      const engine e = (engine)code;
      GDL_TRY_CLEANUP(gdl_csv_row_text(c, "%s,%.17g,%.17g,%.17g,%.6g,%.6g,%.17g,%.6g,%.17g,%.3g", ENGINE[e], v[0], v[1],
                                       v[2], v[3], v[4], v[5], v[4] / v[3], v[6], v[7]));
      printf("%-8s size %-9g P %-6g |H| %-9g engine %9.4f s  direct %11.4f s (%g targets timed)  ratio %9.1f\n",
             ENGINE[e], v[0], v[1], v[2], v[3], v[4], v[5], v[4] / v[3]);
      /* the target is stated at p = 100 801 (ZP_P[3]); the full grid's p = 1 008 001 is
       * reported in the table, not held to it */
      if (e == E_ZP && v[0] == (double)ZP_P[3]) { pz = v[0]; tz = v[3]; }
      if (e == E_PARITY && v[0] == 16) rp = v[4] / v[3];
    }
    gdl_table_free(&t);
  }
  rc = gdl_csv_commit(c);
  c = NULL;
  GDL_TRY_CLEANUP(rc);
  char check[128];
  snprintf(check, sizeof check, "Z_p exact Var at p=%g, 64 tanh units (s, one core)", pz);
  GDL_TRY_CLEANUP(gdl_summary_check(sum, "PF", check, tz, "<", 10, tz < 10));
  GDL_TRY_CLEANUP(gdl_summary_check(sum, "PF", "parity n=16 speed-up FWHT (all levels) vs direct (level 8)", rp, ">=",
                                    100, rp >= 100));
  printf("Z_p exact Var at p = %g: %.3f s (target < 10 s); parity n = 16 speed-up %.0fx (target >= 100x)\n", pz, tz, rp);
cleanup:
  if (c) gdl_csv_abort(c);
  gdl_table_free(&t);
  return rc;
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, GDL_BENCH_USAGE, argc, argv, NULL, NULL);
  openblas_set_num_threads(1); /* one core: the targets are single-core */
#ifdef GDL_HAVE_OPENMP
  omp_set_num_threads(1);      /* one point at a time: the process CPU time is the point's */
#endif
  static grid g;
  size_t np = make_grid(&g, args.full, args.seed);
  gdl_bench_sweep bs;
  gdl_bench_sweep_begin(&bs, &args, 0, &argc, &argv, "variance", NULL, grid_json, &g);
  gdl_bench_sweep_phase(&bs, "variance", np, NULL, point, &g, NULL, NULL);
  gdl_bench_sweep_finish(&bs, "PF", outputs, &g, NULL);
  gdl_bench_sweep_end(&bs);
  return 0;
}
