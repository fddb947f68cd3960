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
 * Resumes: each row is a point file DIR/points/<name>.csv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include <gsl/gsl_integration.h>
#include "gdl/gdl.h"
#include "experiments/gradient_variance.h"
#include "bench_cli.h"

#define PROG "bench_variance"

static const char *OUT;
static uint64_t SEED;
static int FULL;

/* CPU seconds of this process (one BLAS thread, no OpenMP inside the engines): the time
 * the engine needs on one core, insensitive to other load on a shared machine. */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* n -> h -> 1 net of the GV experiments (experiments/gradient_variance.h), bias N(0, 1/4) */
static gdl_net *make_mlp(size_t in, size_t h, gdl_act act, uint64_t idx) {
  gv_net_config c = {1, {h}, act, 1.0, 0.5};
  gdl_net *net;
  int rc = gv_make_net(&c, in, SEED, "bench.variance.net", idx, &net);
  if (rc) gdl_bench_die(PROG, "net", rc);
  return net;
}

/* ---- rows ---- */
#define NV 8  /* size, P, nclass, t_engine, t_direct, timed, var, rel_err */
typedef struct { char engine[16]; double v[NV]; } row;
static row rows[64];
static size_t nrows;

static int read_point(const char *name, double *v) {
  char path[4096];
  snprintf(path, sizeof path, "%s/points/%s.csv", OUT, name);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t k = 0;
  while (k < NV && fscanf(f, " %lf ,", &v[k]) == 1) k++;
  fclose(f);
  return k == NV;
}
static void write_point(const char *name, const double *v) {
  char path[4096], buf[2048];
  snprintf(path, sizeof path, "%s/points/%s.csv", OUT, name);
  size_t len = 0;
  for (size_t i = 0; i < NV; i++) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.17g", i ? "," : "", v[i]);
  len += (size_t)snprintf(buf + len, sizeof buf - len, "\n");
  int rc = gdl_write_atomic(path, buf, len);
  if (rc) gdl_bench_die(PROG, "write point", rc);
}
static void add(const char *engine, const double *v) {
  if (nrows >= 64) return;
  snprintf(rows[nrows].engine, sizeof rows[nrows].engine, "%s", engine);
  memcpy(rows[nrows].v, v, sizeof rows[nrows].v);
  nrows++;
  printf("%-8s size %-9g P %-6g |H| %-9g engine %9.4f s  direct %11.4f s (%g targets timed)  ratio %9.1f\n", engine,
         v[0], v[1], v[2], v[3], v[4], v[5], v[4] / v[3]);
  fflush(stdout);
}

/* direct engine on the first T members of H, time scaled to all members */
static double time_direct(gdl_net *net, size_t m, const double *X, const double *w, const gdl_class *H, size_t T,
                          double *var) {
  gdl_class sub = *H;
  if (T < H->nclass) { sub.nclass = T; sub.prior = NULL; }
  gdl_var_result r;
  double t0 = now_s();
  int rc = gdl_variance_direct(net, GDL_LOSS_SQUARED, m, X, w, &sub, &r);
  double t = now_s() - t0;
  if (rc) gdl_bench_die(PROG, "direct", rc);
  *var = r.var;
  return t * (double)H->nclass / (double)sub.nclass;
}

static void bench_parity(void) {
  static const unsigned nq[] = {12, 14, 16}, nf[] = {12, 14, 16, 18, 20};
  const unsigned *ns = FULL ? nf : nq;
  size_t nn = FULL ? 5 : 3;
  for (size_t i = 0; i < nn; i++) {
    unsigned n = ns[i];
    char name[64];
    double v[NV];
    snprintf(name, sizeof name, "parity_n%u", n);
    size_t m = (size_t)1 << n;
    double *X = NULL;
    if (!read_point(name, v)) {
      gdl_net *net = make_mlp(n, 64, GDL_ACT_TANH, n);
      gdl_var_result lev[25];
      double t0 = now_s();
      int rc = gdl_variance_parity(net, lev);
      double te = now_s() - t0;
      if (rc) gdl_bench_die(PROG, "parity", rc);
      gdl_domain d;
      gdl_domain_cube(n, &d);
      X = malloc(m * n * sizeof *X);
      gdl_domain_enumerate(&d, X, NULL, NULL);
      gdl_class_parity_ctx ctx;
      gdl_class H;
      gdl_class_parity(n, n / 2, &ctx, &H);
      size_t T = H.nclass < 16 ? H.nclass : 16;
      double dv;
      double td = time_direct(net, m, X, NULL, &H, T, &dv);
      double vv[NV] = {n, (double)net->nparams, (double)H.nclass, te, td, (double)T, lev[n / 2].var, NAN};
      memcpy(v, vv, sizeof v);
      write_point(name, v);
      /* GEMM on level 2 */
      char n2[64];
      snprintf(n2, sizeof n2, "parity2_n%u", n);
      double w2[NV];
      if (!read_point(n2, w2)) {
        gdl_class_parity(n, 2, &ctx, &H);
        gdl_var_result g;
        t0 = now_s();
        rc = gdl_variance_gemm(net, m, X, NULL, &H, 0, &g);
        double tg = now_s() - t0;
        if (rc) gdl_bench_die(PROG, "gemm", rc);
        size_t T2 = n <= 14 ? H.nclass : 16;
        double td2 = time_direct(net, m, X, NULL, &H, T2, &dv);
        double rel = T2 == H.nclass ? fabs(dv - g.var) / g.var : fabs(lev[2].var - g.var) / g.var;
        double ww[NV] = {n, (double)net->nparams, (double)H.nclass, tg, td2, (double)T2, g.var, rel};
        memcpy(w2, ww, sizeof w2);
        write_point(n2, w2);
      }
      gdl_net_free(net);
      free(X);
    }
    add("parity", v);
    char n2[64];
    snprintf(n2, sizeof n2, "parity2_n%u", n);
    double w2[NV];
    if (read_point(n2, w2)) add("parity2", w2);
  }
}

static void bench_zp(void) {
  static const uint64_t pq[] = {101, 1009, 10007, 100801}, pf[] = {101, 1009, 10007, 100801, 1008001};
  const uint64_t *ps = FULL ? pf : pq;
  size_t np = FULL ? 5 : 4;
  for (size_t i = 0; i < np; i++) {
    uint64_t p = ps[i];
    char name[64];
    double v[NV];
    snprintf(name, sizeof name, "zp_p%llu", (unsigned long long)p);
    if (!read_point(name, v)) {
      gdl_domain d;
      gdl_domain_zp(p, 1, &d);
      size_t dim = gdl_domain_dim(&d), m = (size_t)p;
      gdl_net *net = make_mlp(dim, 64, GDL_ACT_TANH, 100 + i);
      double *phi = malloc(p * sizeof *phi), *X = malloc(m * dim * sizeof *X);
      uint64_t *ints = malloc(m * sizeof *ints);
      gdl_phi_table(GDL_PHI_COS, p, phi);
      gdl_domain_enumerate(&d, X, NULL, ints);
      gdl_var_result r;
      double t0 = now_s();
      int rc = gdl_variance_zp(net, &d, phi, GDL_FFT_AUTO, &r, NULL, NULL);
      double te = now_s() - t0;
      if (rc) gdl_bench_die(PROG, "zp", rc);
      gdl_class_modmul_ctx ctx;
      gdl_class H;
      gdl_class_modmul(p, phi, ints, &d, &ctx, &H);
      size_t T = p <= 1009 ? H.nclass : 8;
      double dv;
      double td = time_direct(net, m, X, NULL, &H, T, &dv);
      double rel = T == H.nclass ? fabs(dv - r.var) / r.var : NAN;
      double vv[NV] = {(double)p, (double)net->nparams, (double)H.nclass, te, td, (double)T, r.var, rel};
      memcpy(v, vv, sizeof v);
      write_point(name, v);
      if (p <= 1009) {
        char ng[64];
        snprintf(ng, sizeof ng, "zpgemm_p%llu", (unsigned long long)p);
        gdl_var_result g;
        t0 = now_s();
        rc = gdl_variance_gemm(net, m, X, NULL, &H, 0, &g);
        double tg = now_s() - t0;
        if (rc) gdl_bench_die(PROG, "gemm", rc);
        double ww[NV] = {(double)p, (double)net->nparams, (double)H.nclass, tg, td, (double)T, g.var,
                         fabs(g.var - r.var) / r.var};
        write_point(ng, ww);
      }
      free(phi); free(X); free(ints);
      gdl_net_free(net);
    }
    add("zp", v);
    char ng[64];
    double w2[NV];
    snprintf(ng, sizeof ng, "zpgemm_p%llu", (unsigned long long)p);
    if (read_point(ng, w2)) add("zp_gemm", w2);
  }
}

typedef struct { const double *a; gdl_psi psi; } gl_ctx;
static int gl_eval(void *ctx, size_t h, size_t m, const double *X, size_t dim, double *y) {
  const gl_ctx *c = ctx;
  for (size_t r = 0; r < m; r++) y[r] = gdl_psi_eval(c->psi, c->a[h] * X[r * dim]);
  return GDL_OK;
}

static void bench_wave(void) {
  static const double As[] = {4, 16, 64};
  for (size_t i = 0; i < 3; i++) {
    double A = As[i];
    for (int meth = 1; meth <= 2; meth++) {
      char name[64];
      double v[NV];
      snprintf(name, sizeof name, "wave_A%g_m%d", A, meth);
      if (!read_point(name, v)) {
        gdl_net *net = make_mlp(1, 32, GDL_ACT_RELU, 200 + i);
        gdl_var_result r;
        double t0 = now_s();
        int rc = gdl_variance_wave_method(net, A, GDL_PSI_SIN, 0, meth, &r);
        double te = now_s() - t0;
        if (rc) gdl_bench_die(PROG, "wave", rc);
        size_t m, na = (size_t)(16 * A + 64);
        gdl_wave_grid(A, 0, &m, NULL, NULL);
        double *X = malloc(m * sizeof *X), *w = malloc(m * sizeof *w), *a = malloc(na * sizeof *a), *pr = malloc(na * sizeof *pr);
        gdl_wave_grid(A, 0, &m, X, w);
        gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(na);
        for (size_t k = 0; k < na; k++) { gsl_integration_glfixed_point(A, 2 * A, k, &a[k], &pr[k], t); pr[k] /= A; }
        gsl_integration_glfixed_table_free(t);
        gl_ctx ctx = {a, GDL_PSI_SIN};
        gdl_class H = {na, gl_eval, &ctx, pr};
        size_t T = A <= 4 ? na : 16;
        double dv;
        double td = time_direct(net, m, X, w, &H, T, &dv);
        double rel = T == na ? fabs(dv - r.var) / r.var : NAN;
        double vv[NV] = {A, (double)net->nparams, (double)na, te, td, (double)T, r.var, rel};
        memcpy(v, vv, sizeof v);
        write_point(name, v);
        free(X); free(w); free(a); free(pr);
        gdl_net_free(net);
      }
      add(meth == 1 ? "wave_leg" : "wave_fft", v);
    }
  }
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  OUT = args.out;
  FULL = args.full;
  SEED = args.seed;
  openblas_set_num_threads(1);  /* one core: the targets are single-core */
  char path[4096];
  snprintf(path, sizeof path, "%s/points", OUT);
  int rc = gdl_mkdir_p(path);
  if (rc) gdl_bench_die(PROG, "mkdir", rc);
  bench_parity();
  bench_zp();
  bench_wave();

  static const char *cols[] = {"engine", "size", "P", "nclass", "t_engine_s", "t_direct_s", "direct_targets_timed",
                               "ratio", "var", "rel_err_vs_direct"};
  snprintf(path, sizeof path, "%s/variance_engines.csv", OUT);
  gdl_csv *c;
  if ((rc = gdl_csv_open(path, 10, cols, &c))) gdl_bench_die(PROG, "csv", rc);
  for (size_t i = 0; i < nrows; i++) {
    const double *v = rows[i].v;
    rc = gdl_csv_row_text(c, "%s,%.17g,%.17g,%.17g,%.6g,%.6g,%.17g,%.6g,%.17g,%.3g", rows[i].engine, v[0], v[1], v[2],
                          v[3], v[4], v[5], v[4] / v[3], v[6], v[7]);
    if (rc) gdl_bench_die(PROG, "csv row", rc);
  }
  if ((rc = gdl_csv_commit(c))) gdl_bench_die(PROG, "csv commit", rc);

  gdl_json *j;
  if ((rc = gdl_json_new(&j))) gdl_bench_die(PROG, "json", rc);
  gdl_json_str(j, "family", "variance");
  gdl_json_str(j, "mode", FULL ? "full" : "quick");
  gdl_json_str(j, "what", "exact class-gradient-variance engines vs the direct engine (one loss gradient per target), one core");
  gdl_json_int(j, "blas_threads_forced", 1);
  gdl_json_provenance(j, SEED);
  snprintf(path, sizeof path, "%s/variance.json", OUT);
  if ((rc = gdl_json_write(j, path))) gdl_bench_die(PROG, "json write", rc);
  gdl_json_free(j);

  /* summary: the two performance targets of the issue */
  double tz = NAN, rp = NAN, pz = 0;
  for (size_t i = 0; i < nrows; i++) {
    if (!strcmp(rows[i].engine, "zp") && rows[i].v[0] >= 1e5 && rows[i].v[0] > pz) { pz = rows[i].v[0]; tz = rows[i].v[3]; }
    if (!strcmp(rows[i].engine, "parity") && rows[i].v[0] == 16) rp = rows[i].v[4] / rows[i].v[3];
  }
  gdl_summary *sum;
  if ((rc = gdl_summary_new("PF", &sum))) gdl_bench_die(PROG, "summary", rc);
  char check[128];
  snprintf(check, sizeof check, "Z_p exact Var at p=%g, 64 tanh units (s, one core)", pz);
  rc = gdl_summary_check(sum, "PF", check, tz, "<", 10, tz < 10);
  if (rc == GDL_OK)
    rc = gdl_summary_check(sum, "PF", "parity n=16 speed-up FWHT (all levels) vs direct (level 8)", rp, ">=", 100,
                           rp >= 100);
  snprintf(path, sizeof path, "%s/summary.json", OUT);
  if (rc == GDL_OK) rc = gdl_summary_write(sum, path);
  gdl_summary_free(sum);
  if (rc) gdl_bench_die(PROG, "summary", rc);
  printf("Z_p exact Var at p = %g: %.3f s (target < 10 s); parity n = 16 speed-up %.0fx (target >= 100x)\n", pz, tz, rp);
  return 0;
}
