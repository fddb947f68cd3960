/* benchmarks/gradient_variance.c: the sweeps of claim GV (figures gradient_variance_modmul,
 * gradient_variance_wave, gradient_variance_parity, gradient_variance_fvu; summary.json).
 *
 *   bench_gradient_variance --out DIR [--full] [--seed N]
 *
 * Sweeps (exact engines of gdl/variance.h; nets as in theorems/gradient_variance.c):
 *   modmul  Var/E||g||^2 and bound/E||g||^2 vs p, phi in {y/p, y mod 2, cos}, bits and scalar
 *           encodings, 64 tanh units. Quick: p in {101, ..., 3203}, 3 seeds; full: up to
 *           p = 100801 (primes with 7-smooth p - 1 above 3203: mixed-radix FFT path), 5 seeds.
 *   wave    1-32-1 ReLU, psi = sin, x ~ N(0,1) quadrature: A in {2, ..., 256}, 3 seeds (quick)
 *           or 5 (full).
 *   parity  n -> 32 -> 1 tanh, every level k: n in {16, 18, 20} (quick, 3 seeds), {12, ..., 20} (full, 5).
 *   fvu     training (Adam 1e-3, batch 32, 1-64-64-1 ReLU): wave cos(pi a (u+1)) vs a, and the
 *           scalar-encoded modular task vs p (random a and the a = 1 control).
 * Resumes: each point writes DIR/points/<name>.csv (one row, atomically) and is skipped when
 * that file exists; final CSVs are assembled at the end:
 *   modmul.csv (all runs), modmul_<enc>_<phi>.csv (means over seeds), wave.csv, wave_mean.csv,
 *   parity.csv, parity_mean.csv, fvu_wave.csv, fvu_modmul.csv, fits.csv, fits.gp (gnuplot
 *   variables with the fitted slopes), gradient_variance.json, summary.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <gsl/gsl_randist.h>
#include "gdl/gdl.h"
#include "bench_cli.h"

#define PROG "bench_gradient_variance"

static const char *OUT;
static uint64_t SEED;
static int FULL;

static gdl_net *make_mlp(size_t in, size_t nh, const size_t *hid, gdl_act act, double bscale, const char *purpose,
                         uint64_t idx) {
  gdl_net_spec sp;
  gdl_net *net = NULL;
  int rc = gdl_net_spec_mlp(&sp, in, nh, hid, 1, act, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &net);
  if (rc) gdl_bench_die(PROG, "net", rc);
  gsl_rng *r;
  if ((rc = gdl_rng_alloc(SEED, purpose, idx, &r))) gdl_bench_die(PROG, "rng", rc);
  for (size_t l = 0; l < sp.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, bscale, 0, 0};
    if ((rc = gdl_net_init_layer(net, l, w, b, r))) gdl_bench_die(PROG, "init", rc);
  }
  gdl_rng_free(r);
  return net;
}

/* ---- point files: one line of numbers ---- */
static int read_point(const char *name, size_t n, double *v) {
  char path[4096];
  snprintf(path, sizeof path, "%s/points/%s.csv", OUT, name);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t k = 0;
  while (k < n && fscanf(f, " %lf ,", &v[k]) == 1) k++;
  fclose(f);
  return k == n;
}

static void write_point(const char *name, size_t n, const double *v) {
  char path[4096], buf[4096];
  snprintf(path, sizeof path, "%s/points/%s.csv", OUT, name);
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.17g", i ? "," : "", v[i]);
  len += (size_t)snprintf(buf + len, sizeof buf - len, "\n");
  int rc = gdl_write_atomic(path, buf, len);
  if (rc) gdl_bench_die(PROG, "write point", rc);
}

static gdl_csv *csv_open(const char *file, size_t n, const char *const *cols) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", OUT, file);
  gdl_csv *c;
  int rc = gdl_csv_open(path, n, cols, &c);
  if (rc) gdl_bench_die(PROG, file, rc);
  return c;
}
static void csv_row(gdl_csv *c, const double *v) { int rc = gdl_csv_row(c, v); if (rc) gdl_bench_die(PROG, "csv row", rc); }
static void csv_commit(gdl_csv *c) { int rc = gdl_csv_commit(c); if (rc) gdl_bench_die(PROG, "csv commit", rc); }

/* ---- summary rows ---- */
typedef struct { char check[96]; double measured, bound; const char *rel; int pass; } srow;
static srow rows[64];
static size_t nrows;
static void add_row(const char *check, double measured, const char *rel, double bound) {
  if (nrows >= 64) return;
  srow *r = &rows[nrows++];
  snprintf(r->check, sizeof r->check, "%s", check);
  r->measured = measured; r->bound = bound; r->rel = rel;
  r->pass = !strcmp(rel, "<=") ? measured <= bound : !strcmp(rel, ">=") ? measured >= bound
          : !strcmp(rel, "<") ? measured < bound : measured > bound;
}

/* ======================================================================== */
static const char *phi_tag[3] = {"linear", "parity", "cos"};

static void sweep_modmul(gdl_csv *fits, FILE *fgp) {
  static const uint64_t pq[] = {101, 211, 401, 809, 1601, 3203};
  static const uint64_t pf[] = {101, 211, 401, 809, 1601, 3203, 6481, 12289, 25601, 50177, 100801};
  const uint64_t *ps = FULL ? pf : pq;
  size_t np = FULL ? sizeof pf / sizeof pf[0] : sizeof pq / sizeof pq[0], ns = FULL ? 5 : 3;
  size_t total = 2 * np * ns, done = 0;
  static const char *cols[] = {"bits", "phi", "p", "seed", "var", "eg2", "egc2", "bound", "var_over_eg2", "bound_over_eg2", "seconds"};
  gdl_csv *all = csv_open("modmul.csv", 11, cols);
  for (int bits = 1; bits >= 0; bits--) {
    double *rat[3], *lp[3];
    for (int f = 0; f < 3; f++) { rat[f] = malloc(np * ns * sizeof(double)); lp[f] = malloc(np * ns * sizeof(double)); }
    double mean_r[3][16], mean_b[3][16];
    for (size_t pi = 0; pi < np; pi++) {
      uint64_t p = ps[pi];
      for (int f = 0; f < 3; f++) mean_r[f][pi] = mean_b[f][pi] = 0.0;
      for (size_t s = 0; s < ns; s++) {
        double v[3][5];
        int have = 1;
        char name[128];
        for (int f = 0; f < 3; f++) {
          snprintf(name, sizeof name, "modmul_%s_%s_p%llu_s%zu", bits ? "bits" : "scalar", phi_tag[f], (unsigned long long)p, s);
          have = have && read_point(name, 5, v[f]);
        }
        if (!have) {
          gdl_domain d;
          gdl_domain_zp(p, bits, &d);
          size_t hid[1] = {64};
          gdl_net *net = make_mlp(gdl_domain_dim(&d), 1, hid, GDL_ACT_TANH, 0.5, bits ? "GV2.bits" : "GV2.scalar",
                                  (uint64_t)(pi * 1000 + s));
          double *phi = malloc(p * sizeof *phi);
          for (int f = 0; f < 3; f++) {
            gdl_phi_table((gdl_phi)f, p, phi);
            gdl_var_result r;
            double t0 = (double)clock() / CLOCKS_PER_SEC;
            int rc = gdl_variance_zp(net, &d, phi, GDL_FFT_AUTO, &r, NULL, NULL);
            if (rc) gdl_bench_die(PROG, "gdl_variance_zp", rc);
            double t1 = (double)clock() / CLOCKS_PER_SEC;
            v[f][0] = r.var; v[f][1] = r.eg2; v[f][2] = r.egc2; v[f][3] = r.bound; v[f][4] = t1 - t0;
            snprintf(name, sizeof name, "modmul_%s_%s_p%llu_s%zu", bits ? "bits" : "scalar", phi_tag[f], (unsigned long long)p, s);
            write_point(name, 5, v[f]);
          }
          free(phi);
          gdl_net_free(net);
        }
        for (int f = 0; f < 3; f++) {
          double row[11] = {bits, f, (double)p, (double)s, v[f][0], v[f][1], v[f][2], v[f][3], v[f][0] / v[f][1],
                            v[f][3] / v[f][1], v[f][4]};
          csv_row(all, row);
          rat[f][pi * ns + s] = v[f][0] / v[f][1];
          lp[f][pi * ns + s] = (double)p;
          mean_r[f][pi] += v[f][0] / v[f][1] / (double)ns;
          mean_b[f][pi] += v[f][3] / v[f][1] / (double)ns;
        }
        gdl_progress("GV modmul", ++done, total);
      }
    }
    for (int f = 0; f < 3; f++) {
      char file[128];
      snprintf(file, sizeof file, "modmul_%s_%s.csv", bits ? "bits" : "scalar", phi_tag[f]);
      static const char *mc[] = {"p", "var_over_eg2", "bound_over_eg2"};
      gdl_csv *c = csv_open(file, 3, mc);
      for (size_t pi = 0; pi < np; pi++) {
        double row[3] = {(double)ps[pi], mean_r[f][pi], mean_b[f][pi]};
        csv_row(c, row);
      }
      csv_commit(c);
      gdl_fit fit;
      int rc = gdl_fit_loglog(np * ns, lp[f], rat[f], &fit);
      if (rc) gdl_bench_die(PROG, "fit", rc);
      double row[4] = {bits ? 1.0 : 2.0, (double)f, fit.slope, fit.se_slope};
      csv_row(fits, row);
      fprintf(fgp, "slope_%s_%s = %.6f\nse_%s_%s = %.6f\n", bits ? "bits" : "scalar", phi_tag[f], fit.slope,
              bits ? "bits" : "scalar", phi_tag[f], fit.se_slope);
      char check[96];
      snprintf(check, sizeof check, "GV2 slope+3SE %s phi=%s", bits ? "bits" : "scalar", phi_tag[f]);
      add_row(check, fit.slope + 3 * fit.se_slope, "<=", -0.5);
      free(rat[f]); free(lp[f]);
    }
  }
  csv_commit(all);
  gdl_progress_done();
}

static void sweep_wave(gdl_csv *fits, FILE *fgp) {
  size_t nA = 8, ns = FULL ? 5 : 3;
  static const char *cols[] = {"A", "seed", "var", "eg2", "gmu2", "bound", "var_over_eg2", "bound_over_eg2", "seconds"};
  gdl_csv *all = csv_open("wave.csv", 9, cols);
  static const char *mc[] = {"A", "var_over_eg2", "bound_over_eg2", "var_over_bound"};
  gdl_csv *mean = csv_open("wave_mean.csv", 4, mc);
  double lx[64], ly[64];
  size_t k = 0, done = 0;
  double worst = 0.0;
  for (size_t ai = 0; ai < nA; ai++) {
    double A = ldexp(1.0, (int)ai + 1), mr = 0, mb = 0, mvb = 0;
    for (size_t s = 0; s < ns; s++) {
      double v[5];
      char name[96];
      snprintf(name, sizeof name, "wave_A%g_s%zu", A, s);
      if (!read_point(name, 5, v)) {
        size_t hid[1] = {32};
        gdl_net *net = make_mlp(1, 1, hid, GDL_ACT_RELU, 1.0, "GV3.net", (uint64_t)s);
        gdl_var_result r;
        double t0 = (double)clock() / CLOCKS_PER_SEC;
        int rc = gdl_variance_wave(net, A, GDL_PSI_SIN, 0, &r);
        if (rc) gdl_bench_die(PROG, "gdl_variance_wave", rc);
        v[0] = r.var; v[1] = r.eg2; v[2] = r.gmu2; v[3] = r.bound; v[4] = (double)clock() / CLOCKS_PER_SEC - t0;
        write_point(name, 5, v);
        gdl_net_free(net);
      }
      double row[9] = {A, (double)s, v[0], v[1], v[2], v[3], v[0] / v[1], v[3] / v[1], v[4]};
      csv_row(all, row);
      lx[k] = A; ly[k] = v[0] / v[1]; k++;
      mr += v[0] / v[1] / (double)ns; mb += v[3] / v[1] / (double)ns; mvb += v[0] / v[3] / (double)ns;
      worst = fmax(worst, v[0] / v[3]);
      gdl_progress("GV wave", ++done, nA * ns);
    }
    double row[4] = {A, mr, mb, mvb};
    csv_row(mean, row);
  }
  gdl_progress_done();
  csv_commit(all);
  csv_commit(mean);
  gdl_fit fit;
  int rc = gdl_fit_loglog(k, lx, ly, &fit);
  if (rc) gdl_bench_die(PROG, "fit", rc);
  double row[4] = {3.0, 0.0, fit.slope, fit.se_slope};
  csv_row(fits, row);
  fprintf(fgp, "slope_wave = %.6f\nse_wave = %.6f\n", fit.slope, fit.se_slope);
  add_row("GV3 slope+3SE (psi=sin)", fit.slope + 3 * fit.se_slope, "<=", -0.5);
  add_row("GV3 max Var/bound", worst, "<=", 1.0);
}

static void sweep_parity(void) {
  static const unsigned nq[] = {16, 18, 20}, nf[] = {12, 14, 16, 18, 20};
  const unsigned *ns_ = FULL ? nf : nq;
  size_t nn = FULL ? 5 : 3, ns = FULL ? 5 : 3;
  static const char *cols[] = {"n", "k", "seed", "var", "eg2", "bound", "var_over_eg2", "inv_binom"};
  gdl_csv *all = csv_open("parity.csv", 8, cols);
  static const char *mc[] = {"n", "k", "var_over_eg2", "inv_binom"};
  gdl_csv *mean = csv_open("parity_mean.csv", 4, mc);
  double worst = 0.0;
  for (size_t ni = 0; ni < nn; ni++) {
    unsigned n = ns_[ni];
    double mr[25] = {0}, ib[25] = {0};
    for (size_t s = 0; s < ns; s++) {
      double v[3 * 25];
      char name[64];
      snprintf(name, sizeof name, "parity_n%u_s%zu", n, s);
      if (!read_point(name, 3 * (n + 1), v)) {
        size_t hid[1] = {32};
        gdl_net *net = make_mlp(n, 1, hid, GDL_ACT_TANH, 0.5, "GV1.bench", (uint64_t)(n * 100 + s));
        gdl_var_result lev[25];
        int rc = gdl_variance_parity(net, lev);
        if (rc) gdl_bench_die(PROG, "gdl_variance_parity", rc);
        for (unsigned k = 0; k <= n; k++) { v[3 * k] = lev[k].var; v[3 * k + 1] = lev[k].eg2; v[3 * k + 2] = lev[k].bound; }
        write_point(name, 3 * (n + 1), v);
        gdl_net_free(net);
      }
      for (unsigned k = 1; k <= n; k++) {
        double b = v[3 * k + 2] / v[3 * k + 1];
        double row[8] = {n, k, (double)s, v[3 * k], v[3 * k + 1], v[3 * k + 2], v[3 * k] / v[3 * k + 1], b};
        csv_row(all, row);
        mr[k] += v[3 * k] / v[3 * k + 1] / (double)ns;
        ib[k] = b;
        worst = fmax(worst, v[3 * k] / v[3 * k + 2]);
      }
      gdl_progress("GV parity", ni * ns + s + 1, nn * ns);
    }
    for (unsigned k = 1; k <= n; k++) {
      double row[4] = {n, k, mr[k], ib[k]};
      csv_row(mean, row);
    }
  }
  gdl_progress_done();
  csv_commit(all);
  csv_commit(mean);
  add_row("GV1 max_k Var/(E||g||^2/C(n,k))", worst, "<=", 1.0);
}

/* ---- training (FVU) ---- */
static double train_fvu(size_t mtr, const double *Xtr, const double *Ytr, size_t mte, const double *Xte,
                        const double *Yte, size_t steps, const char *purpose, uint64_t idx) {
  size_t hid[2] = {64, 64};
  gdl_net *net = make_mlp(1, 2, hid, GDL_ACT_RELU, 0.5, purpose, idx);
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.opt = GDL_OPT_ADAM;
  c.lr = 1e-3;
  c.data = GDL_DATA_SAMPLE;
  c.batch = 32;
  c.steps = steps;
  gdl_data data = {mtr, Xtr, Ytr, NULL, NULL, NULL};
  gsl_rng *r;
  gdl_rng_alloc(SEED, purpose, idx + 7777, &r);
  gdl_trainer *tr;
  int rc = gdl_trainer_create(net, &c, &data, r, &tr);
  if (rc == GDL_OK) { rc = gdl_trainer_run(tr); gdl_trainer_free(tr); }
  if (rc) gdl_bench_die(PROG, "training", rc);
  gdl_metrics mt;
  if ((rc = gdl_net_metrics(net, mte, Xte, Yte, NULL, &mt))) gdl_bench_die(PROG, "metrics", rc);
  gdl_rng_free(r);
  gdl_net_free(net);
  return mt.fvu;
}

static void sweep_fvu(void) {
  static const double aq[] = {1, 2, 4, 8, 16, 32, 64, 128};
  size_t na = sizeof aq / sizeof aq[0], nsw = FULL ? 3 : 1;
  static const char *cw[] = {"a", "seed", "fvu"};
  gdl_csv *cwv = csv_open("fvu_wave.csv", 3, cw);
  double fmin_lo = 0.0, fmin_hi = 1e9;
  for (size_t i = 0; i < na; i++)
    for (size_t s = 0; s < nsw; s++) {
      double v[1];
      char name[64];
      snprintf(name, sizeof name, "fvu_wave_a%g_s%zu", aq[i], s);
      if (!read_point(name, 1, v)) {
        size_t mtr = 8000, mte = 2000;
        double *X = malloc((mtr + mte) * sizeof *X), *Y = malloc((mtr + mte) * sizeof *Y);
        gsl_rng *r;
        gdl_rng_alloc(SEED, "GV5.wave.data", (uint64_t)(i * 10 + s), &r);
        for (size_t j = 0; j < mtr + mte; j++) { X[j] = gsl_ran_flat(r, -1, 1); Y[j] = cos(M_PI * aq[i] * (X[j] + 1)); }
        gdl_rng_free(r);
        v[0] = train_fvu(mtr, X, Y, mte, X + mtr, Y + mtr, 12500, "GV5.wave.net", (uint64_t)(i * 10 + s));
        write_point(name, 1, v);
        free(X); free(Y);
      }
      double row[3] = {aq[i], (double)s, v[0]};
      csv_row(cwv, row);
      if (aq[i] <= 4) fmin_lo = fmax(fmin_lo, v[0]);
      if (aq[i] >= 64) fmin_hi = fmin(fmin_hi, v[0]);
      gdl_progress("GV fvu wave", i * nsw + s + 1, na * nsw);
    }
  gdl_progress_done();
  csv_commit(cwv);
  add_row("GV5 wave max FVU, a <= 4", fmin_lo, "<=", 0.1);
  add_row("GV5 wave min FVU, a >= 64", fmin_hi, ">=", 0.9);
  static const uint64_t pq[] = {211, 1009, 3203, 10007};
  size_t np = sizeof pq / sizeof pq[0];
  static const char *cm[] = {"p", "control", "a", "fvu"};
  gdl_csv *cmv = csv_open("fvu_modmul.csv", 4, cm);
  double worst_rand = 1e9, worst_ctrl = 0.0;
  for (size_t i = 0; i < np; i++)
    for (int control = 0; control <= 1; control++) {
      uint64_t p = pq[i];
      double v[2];
      char name[64];
      snprintf(name, sizeof name, "fvu_mod_p%llu_c%d", (unsigned long long)p, control);
      if (!read_point(name, 2, v)) {
        gsl_rng *r;
        gdl_rng_alloc(SEED, "GV5.mod.bench", (uint64_t)(i * 2 + control), &r);
        uint64_t a = control ? 1 : 2 + gsl_rng_uniform_int(r, (unsigned long)(p - 3));
        size_t m = (size_t)p, mtr = m * 4 / 5;
        size_t *perm = malloc(m * sizeof *perm);
        double *X = malloc(m * sizeof *X), *Y = malloc(m * sizeof *Y);
        gdl_rng_permutation(r, m, perm);
        gdl_rng_free(r);
        for (size_t j = 0; j < m; j++) {
          X[j] = 2.0 * (double)perm[j] / (double)p - 1.0;
          Y[j] = cos(2.0 * M_PI * (double)gdl_zp_mulmod(a, perm[j], p) / (double)p);
        }
        v[0] = (double)a;
        v[1] = train_fvu(mtr, X, Y, m - mtr, X + mtr, Y + mtr, 12000, "GV5.mod.net", (uint64_t)(i * 2 + control));
        write_point(name, 2, v);
        free(perm); free(X); free(Y);
      }
      double row[4] = {(double)p, control, v[0], v[1]};
      csv_row(cmv, row);
      if (control) worst_ctrl = fmax(worst_ctrl, v[1]);
      else if (p >= 1009) worst_rand = fmin(worst_rand, v[1]);
      gdl_progress("GV fvu modmul", i * 2 + (size_t)control + 1, np * 2);
    }
  gdl_progress_done();
  csv_commit(cmv);
  add_row("GV5 modular min FVU, random a, p >= 1009", worst_rand, ">=", 0.9);
  add_row("GV5 modular max FVU, a = 1 control", worst_ctrl, "<=", 0.05);
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, "--out DIR [--full] [--seed N]", argc, argv, NULL, NULL);
  OUT = args.out;
  FULL = args.full;
  SEED = args.seed;
  char path[4096];
  snprintf(path, sizeof path, "%s/points", OUT);
  int rc = gdl_mkdir_p(path);
  if (rc) gdl_bench_die(PROG, "mkdir", rc);
  static const char *fc[] = {"family", "phi", "slope", "se"};  /* family 1 bits, 2 scalar, 3 wave */
  gdl_csv *fits = csv_open("fits.csv", 4, fc);
  snprintf(path, sizeof path, "%s/fits.gp.tmp", OUT);
  FILE *fgp = fopen(path, "w");
  if (!fgp) { fprintf(stderr, "bench_gradient_variance: cannot write %s\n", path); return 1; }
  sweep_parity();
  sweep_modmul(fits, fgp);
  sweep_wave(fits, fgp);
  sweep_fvu();
  csv_commit(fits);
  fclose(fgp);
  char fin[4096];
  snprintf(fin, sizeof fin, "%s/fits.gp", OUT);
  if (rename(path, fin) != 0) { fprintf(stderr, "bench_gradient_variance: cannot rename %s\n", path); return 1; }

  gdl_json *j;
  if ((rc = gdl_json_new(&j))) gdl_bench_die(PROG, "json", rc);
  gdl_json_str(j, "family", "gradient_variance");
  gdl_json_str(j, "mode", FULL ? "full" : "quick");
  gdl_json_str(j, "modmul", "64 tanh units, bits and scalar encodings, phi y/p, y mod 2, cos; all x, all a (FFT engine)");
  gdl_json_str(j, "wave", "1-32-1 ReLU, psi = sin, a ~ U[A,2A], x ~ N(0,1) quadrature step 1/(64A)");
  gdl_json_str(j, "parity", "n-32-1 tanh, all 2^n points, every level (FWHT engine)");
  gdl_json_str(j, "fvu", "1-64-64-1 ReLU, Adam 1e-3, batch 32; wave 8000/2000 12500 steps; modular 80/20 split 12000 steps");
  gdl_json_provenance(j, SEED);
  snprintf(path, sizeof path, "%s/gradient_variance.json", OUT);
  if ((rc = gdl_json_write(j, path))) gdl_bench_die(PROG, "json write", rc);
  gdl_json_free(j);

  /* summary.json: {"claim": "GV", "rows": [...]} */
  char *buf = malloc(65536);
  size_t len = (size_t)snprintf(buf, 65536, "{\"claim\": \"GV\", \"seed\": %llu, \"mode\": \"%s\", \"rows\": [\n",
                                (unsigned long long)SEED, FULL ? "full" : "quick");
  for (size_t i = 0; i < nrows; i++)
    len += (size_t)snprintf(buf + len, 65536 - len,
                            "  {\"check\": \"%s\", \"measured\": %.10g, \"relation\": \"%s\", \"bound\": %.10g, \"pass\": %s}%s\n",
                            rows[i].check, rows[i].measured, rows[i].rel, rows[i].bound, rows[i].pass ? "true" : "false",
                            i + 1 < nrows ? "," : "");
  len += (size_t)snprintf(buf + len, 65536 - len, "]}\n");
  snprintf(path, sizeof path, "%s/summary.json", OUT);
  if ((rc = gdl_write_atomic(path, buf, len))) gdl_bench_die(PROG, "summary", rc);
  free(buf);
  for (size_t i = 0; i < nrows; i++)
    printf("%-48s measured %-12.4g %s %-10.4g %s\n", rows[i].check, rows[i].measured, rows[i].rel, rows[i].bound,
           rows[i].pass ? "pass" : "FAIL");
  return 0;
}
