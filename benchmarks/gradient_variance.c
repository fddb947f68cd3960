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
 *
 * Two phases. (1) Compute: the points of all four sweeps form one list (a modmul point is one
 * (encoding, p, seed, phi); the others one (size, seed) or (p, control)); they run in parallel
 * with OpenMP (GDL_HAVE_OPENMP; one BLAS thread each, see bench_cli.h) and, built with
 * -DGDL_MPI=ON and started as `mpirun -n K bench_gradient_variance ...`, point q belongs to
 * rank q mod K (gdl/sweep.h; set OMP_NUM_THREADS to the cores per rank). Every point draws its
 * randomness from (seed, purpose, index) alone, so the numbers do not depend on the thread or
 * rank count. Each point writes DIR/points/<name>.csv (one line of numbers, atomically) and is
 * skipped when that file exists and parses: an interrupted run resumes. (2) Assemble: after
 * a barrier, rank 0 alone reads every point file and writes the final files:
 *   modmul.csv (all runs), modmul_<enc>_<phi>.csv (means over seeds), wave.csv, wave_mean.csv,
 *   parity.csv, parity_mean.csv, fvu_wave.csv, fvu_modmul.csv, fits.csv, fits.gp (gnuplot
 *   variables with the fitted slopes), gradient_variance.json, summary.json.
 * The "seconds" columns (modmul.csv, wave.csv) are the CPU seconds of the engine call on the
 * thread that ran it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_randist.h>
#include "gdl/gdl.h"
#include "bench_cli.h"

#define PROG "bench_gradient_variance"

static const char *OUT;
static uint64_t SEED;
static int FULL;

/* ---- the grids (shared by both phases) ---- */
static const unsigned PAR_NQ[] = {16, 18, 20}, PAR_NF[] = {12, 14, 16, 18, 20};
static const uint64_t MM_PQ[] = {101, 211, 401, 809, 1601, 3203};
static const uint64_t MM_PF[] = {101, 211, 401, 809, 1601, 3203, 6481, 12289, 25601, 50177, 100801};
#define WAVE_NA 8 /* A = 2, 4, ..., 256 */
static const double FVU_A[] = {1, 2, 4, 8, 16, 32, 64, 128};
static const uint64_t FVU_P[] = {211, 1009, 3203, 10007};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned *par_n(size_t *nn, size_t *ns) {
  *nn = FULL ? NELEM(PAR_NF) : NELEM(PAR_NQ);
  *ns = FULL ? 5 : 3;
  return FULL ? PAR_NF : PAR_NQ;
}
static const uint64_t *mm_p(size_t *np, size_t *ns) {
  *np = FULL ? NELEM(MM_PF) : NELEM(MM_PQ);
  *ns = FULL ? 5 : 3;
  return FULL ? MM_PF : MM_PQ;
}
static size_t wave_ns(void) { return FULL ? 5 : 3; }
static size_t fvu_nsw(void) { return FULL ? 3 : 1; }
static double wave_A(size_t ai) { return ldexp(1.0, (int)ai + 1); }

static const char *phi_tag[3] = {"linear", "parity", "cos"};

/* CPU seconds of the calling thread (the points run concurrently, so clock() would count
 * the other threads too). */
static double cpu_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the points of phase 1 ---- */
typedef enum { PT_PARITY, PT_MODMUL, PT_WAVE, PT_FVU_WAVE, PT_FVU_MOD } pkind;
typedef struct {
  pkind kind;
  size_t i; /* grid index: n (parity), p (modmul, fvu modular), A (wave), a (fvu wave) */
  size_t s; /* seed index */
  int bits, f, control;
  double cost;  /* point_cost: only orders the list */
  size_t order; /* place in the unsorted list (ties) */
} point;

/* The point file names (unchanged from the serial version, so old point directories resume). */
static void point_name(const point *pt, char *name, size_t len) {
  size_t nn, ns;
  switch (pt->kind) {
  case PT_PARITY: snprintf(name, len, "parity_n%u_s%zu", par_n(&nn, &ns)[pt->i], pt->s); break;
  case PT_MODMUL:
    snprintf(name, len, "modmul_%s_%s_p%llu_s%zu", pt->bits ? "bits" : "scalar", phi_tag[pt->f],
             (unsigned long long)mm_p(&nn, &ns)[pt->i], pt->s);
    break;
  case PT_WAVE: snprintf(name, len, "wave_A%g_s%zu", wave_A(pt->i), pt->s); break;
  case PT_FVU_WAVE: snprintf(name, len, "fvu_wave_a%g_s%zu", FVU_A[pt->i], pt->s); break;
  case PT_FVU_MOD: snprintf(name, len, "fvu_mod_p%llu_c%d", (unsigned long long)FVU_P[pt->i], pt->control); break;
  }
}

/* How many numbers the point's file holds. */
static size_t point_nvals(const point *pt) {
  size_t nn, ns;
  switch (pt->kind) {
  case PT_PARITY: return 3 * ((size_t)par_n(&nn, &ns)[pt->i] + 1);
  case PT_MODMUL: case PT_WAVE: return 5;
  case PT_FVU_WAVE: return 1;
  case PT_FVU_MOD: return 2;
  }
  return 0;
}

/* A rough cost of a point in seconds on one core (measured on the quick sweep; the engines'
 * orders: parity O(n 2^n P), Z_p O(P p log p), wave ~A^1.2, training fixed steps). Only the
 * order of the list depends on it, never a result. */
static double point_cost(const point *pt) {
  size_t nn, ns;
  switch (pt->kind) {
  case PT_PARITY: {
    double n = par_n(&nn, &ns)[pt->i];
    return 23.0 * (n / 20.0) * ldexp(1.0, (int)n - 20);
  }
  case PT_MODMUL: {
    double p = (double)mm_p(&nn, &ns)[pt->i];
    return (pt->bits ? 0.2 : 0.05) * (p / 3203.0) * log(p) / log(3203.0);
  }
  case PT_WAVE: return 3.4 * pow(wave_A(pt->i) / 256.0, 1.2);
  case PT_FVU_WAVE: return 2.5;
  case PT_FVU_MOD: return 2.4;
  }
  return 0.0;
}

static int by_cost(const void *a, const void *b) {
  const point *x = a, *y = b;
  if (x->cost != y->cost) return x->cost > y->cost ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* The list of points of all four sweeps, the most expensive first (longest-first keeps the
 * dynamic schedule, and the round-robin over ranks, even at the end). */
static point *make_points(size_t *npts) {
  size_t nn, nsp, np, nsm, nA = WAVE_NA, nsw = wave_ns(), na = NELEM(FVU_A), nsf = fvu_nsw(), nm = NELEM(FVU_P);
  par_n(&nn, &nsp);
  mm_p(&np, &nsm);
  size_t total = nn * nsp + 2 * np * nsm * 3 + nA * nsw + na * nsf + nm * 2, k = 0;
  point *pts = calloc(total, sizeof *pts);
  if (!pts) return NULL;
  for (size_t i = 0; i < nn; i++)
    for (size_t s = 0; s < nsp; s++) pts[k++] = (point){PT_PARITY, i, s, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < np; i++)
    for (int bits = 1; bits >= 0; bits--)
      for (size_t s = 0; s < nsm; s++)
        for (int f = 0; f < 3; f++) pts[k++] = (point){PT_MODMUL, i, s, bits, f, 0, 0, 0};
  for (size_t i = 0; i < nA; i++)
    for (size_t s = 0; s < nsw; s++) pts[k++] = (point){PT_WAVE, i, s, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < na; i++)
    for (size_t s = 0; s < nsf; s++) pts[k++] = (point){PT_FVU_WAVE, i, s, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < nm; i++)
    for (int c = 0; c <= 1; c++) pts[k++] = (point){PT_FVU_MOD, i, 0, 0, 0, c, 0, 0};
  for (size_t q = 0; q < k; q++) {
    pts[q].cost = point_cost(&pts[q]);
    pts[q].order = q;
  }
  qsort(pts, k, sizeof *pts, by_cost);
  *npts = k;
  return pts;
}

static int make_mlp(size_t in, size_t nh, const size_t *hid, gdl_act act, double bscale, const char *purpose,
                    uint64_t idx, gdl_net **out) {
  gdl_net_spec sp;
  gdl_net *net = NULL;
  gsl_rng *r = NULL;
  int rc = gdl_net_spec_mlp(&sp, in, nh, hid, 1, act, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &net);
  if (rc == GDL_OK) rc = gdl_rng_alloc(SEED, purpose, idx, &r);
  for (size_t l = 0; rc == GDL_OK && l < sp.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, bscale, 0, 0};
    rc = gdl_net_init_layer(net, l, w, b, r);
  }
  if (r) gdl_rng_free(r);
  if (rc != GDL_OK) {
    gdl_net_free(net);
    return rc;
  }
  *out = net;
  return GDL_OK;
}

/* ---- point files: one line of numbers ---- */
static void point_path(const char *name, char *path, size_t len) { snprintf(path, len, "%s/points/%s.csv", OUT, name); }

static int read_point(const char *name, size_t n, double *v) {
  char path[4096];
  point_path(name, path, sizeof path);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t k = 0;
  while (k < n && fscanf(f, " %lf ,", &v[k]) == 1) k++;
  fclose(f);
  return k == n;
}

static int write_point(const char *name, size_t n, const double *v) {
  char path[4096], buf[4096];
  point_path(name, path, sizeof path);
  size_t len = 0;
  for (size_t i = 0; i < n; i++) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.17g", i ? "," : "", v[i]);
  len += (size_t)snprintf(buf + len, sizeof buf - len, "\n");
  return gdl_write_atomic(path, buf, len);
}

/* Phase 2: a point's numbers, which phase 1 left on disk (any rank). */
static void need_point(const char *name, size_t n, double *v) {
  if (!read_point(name, n, v)) {
    char path[4096];
    point_path(name, path, sizeof path);
    gdl_bench_die(PROG, "assemble", gdl_fail(GDL_EIO, "point file %s missing or unreadable", path));
  }
}

/* ---- phase 1: one point ---- */
static int compute_parity(const point *pt, double *v) {
  size_t nn, ns;
  unsigned n = par_n(&nn, &ns)[pt->i];
  size_t hid[1] = {32};
  gdl_net *net;
  GDL_TRY(make_mlp(n, 1, hid, GDL_ACT_TANH, 0.5, "GV1.bench", (uint64_t)(n * 100 + pt->s), &net));
  gdl_var_result lev[25];
  int rc = gdl_variance_parity(net, lev);
  gdl_net_free(net);
  if (rc != GDL_OK) return rc;
  for (unsigned k = 0; k <= n; k++) { v[3 * k] = lev[k].var; v[3 * k + 1] = lev[k].eg2; v[3 * k + 2] = lev[k].bound; }
  return GDL_OK;
}

static int compute_modmul(const point *pt, double *v) {
  size_t np, ns;
  uint64_t p = mm_p(&np, &ns)[pt->i];
  gdl_domain d;
  GDL_TRY(gdl_domain_zp(p, pt->bits, &d));
  size_t hid[1] = {64};
  gdl_net *net;
  GDL_TRY(make_mlp(gdl_domain_dim(&d), 1, hid, GDL_ACT_TANH, 0.5, pt->bits ? "GV2.bits" : "GV2.scalar",
                   (uint64_t)(pt->i * 1000 + pt->s), &net));
  double *phi = malloc(p * sizeof *phi);
  int rc = phi ? gdl_phi_table((gdl_phi)pt->f, p, phi) : gdl_fail(GDL_ENOMEM, "out of memory");
  if (rc == GDL_OK) {
    gdl_var_result r;
    double t0 = cpu_s();
    rc = gdl_variance_zp(net, &d, phi, GDL_FFT_AUTO, &r, NULL, NULL);
    double t1 = cpu_s();
    if (rc == GDL_OK) { v[0] = r.var; v[1] = r.eg2; v[2] = r.egc2; v[3] = r.bound; v[4] = t1 - t0; }
  }
  free(phi);
  gdl_net_free(net);
  return rc;
}

static int compute_wave(const point *pt, double *v) {
  size_t hid[1] = {32};
  gdl_net *net;
  GDL_TRY(make_mlp(1, 1, hid, GDL_ACT_RELU, 1.0, "GV3.net", (uint64_t)pt->s, &net));
  gdl_var_result r;
  double t0 = cpu_s();
  int rc = gdl_variance_wave(net, wave_A(pt->i), GDL_PSI_SIN, 0, &r);
  if (rc == GDL_OK) { v[0] = r.var; v[1] = r.eg2; v[2] = r.gmu2; v[3] = r.bound; v[4] = cpu_s() - t0; }
  gdl_net_free(net);
  return rc;
}

/* training (FVU) */
static int train_fvu(size_t mtr, const double *Xtr, const double *Ytr, size_t mte, const double *Xte,
                     const double *Yte, size_t steps, const char *purpose, uint64_t idx, double *fvu) {
  size_t hid[2] = {64, 64};
  gdl_net *net;
  GDL_TRY(make_mlp(1, 2, hid, GDL_ACT_RELU, 0.5, purpose, idx, &net));
  gdl_train_config c;
  gdl_train_config_default(&c);
  c.opt = GDL_OPT_ADAM;
  c.lr = 1e-3;
  c.data = GDL_DATA_SAMPLE;
  c.batch = 32;
  c.steps = steps;
  gdl_data data = {mtr, Xtr, Ytr, NULL, NULL, NULL};
  gsl_rng *r = NULL;
  gdl_trainer *tr;
  int rc = gdl_rng_alloc(SEED, purpose, idx + 7777, &r);
  if (rc == GDL_OK) rc = gdl_trainer_create(net, &c, &data, r, &tr);
  if (rc == GDL_OK) { rc = gdl_trainer_run(tr); gdl_trainer_free(tr); }
  gdl_metrics mt;
  if (rc == GDL_OK) rc = gdl_net_metrics(net, mte, Xte, Yte, NULL, &mt);
  if (rc == GDL_OK) *fvu = mt.fvu;
  if (r) gdl_rng_free(r);
  gdl_net_free(net);
  return rc;
}

static int compute_fvu_wave(const point *pt, double *v) {
  size_t i = pt->i, s = pt->s, mtr = 8000, mte = 2000;
  double *X = malloc((mtr + mte) * sizeof *X), *Y = malloc((mtr + mte) * sizeof *Y);
  gsl_rng *r = NULL;
  int rc = X && Y ? GDL_OK : gdl_fail(GDL_ENOMEM, "out of memory");
  if (rc == GDL_OK) rc = gdl_rng_alloc(SEED, "GV5.wave.data", (uint64_t)(i * 10 + s), &r);
  if (rc == GDL_OK) {
    for (size_t j = 0; j < mtr + mte; j++) { X[j] = gsl_ran_flat(r, -1, 1); Y[j] = cos(M_PI * FVU_A[i] * (X[j] + 1)); }
    gdl_rng_free(r);
    rc = train_fvu(mtr, X, Y, mte, X + mtr, Y + mtr, 12500, "GV5.wave.net", (uint64_t)(i * 10 + s), &v[0]);
  }
  free(X); free(Y);
  return rc;
}

static int compute_fvu_mod(const point *pt, double *v) {
  size_t i = pt->i;
  int control = pt->control;
  uint64_t p = FVU_P[i];
  gsl_rng *r;
  GDL_TRY(gdl_rng_alloc(SEED, "GV5.mod.bench", (uint64_t)(i * 2 + (size_t)control), &r));
  uint64_t a = control ? 1 : 2 + gsl_rng_uniform_int(r, (unsigned long)(p - 3));
  size_t m = (size_t)p, mtr = m * 4 / 5;
  size_t *perm = malloc(m * sizeof *perm);
  double *X = malloc(m * sizeof *X), *Y = malloc(m * sizeof *Y);
  int rc = perm && X && Y ? GDL_OK : gdl_fail(GDL_ENOMEM, "out of memory");
  if (rc == GDL_OK) gdl_rng_permutation(r, m, perm);
  gdl_rng_free(r);
  if (rc == GDL_OK) {
    for (size_t j = 0; j < m; j++) {
      X[j] = 2.0 * (double)perm[j] / (double)p - 1.0;
      Y[j] = cos(2.0 * M_PI * (double)gdl_zp_mulmod(a, perm[j], p) / (double)p);
    }
    v[0] = (double)a;
    rc = train_fvu(mtr, X, Y, m - mtr, X + mtr, Y + mtr, 12000, "GV5.mod.net", (uint64_t)(i * 2 + (size_t)control), &v[1]);
  }
  free(perm); free(X); free(Y);
  return rc;
}

/* Computes point pt and writes its file, unless the file is already there. */
static int run_point(const point *pt) {
  char name[128];
  double v[3 * 25];
  size_t n = point_nvals(pt);
  point_name(pt, name, sizeof name);
  if (read_point(name, n, v)) return GDL_OK;
  int rc = GDL_OK;
  switch (pt->kind) {
  case PT_PARITY: rc = compute_parity(pt, v); break;
  case PT_MODMUL: rc = compute_modmul(pt, v); break;
  case PT_WAVE: rc = compute_wave(pt, v); break;
  case PT_FVU_WAVE: rc = compute_fvu_wave(pt, v); break;
  case PT_FVU_MOD: rc = compute_fvu_mod(pt, v); break;
  }
  if (rc == GDL_OK) rc = write_point(name, n, v);
  return rc;
}

/* ---- phase 2: assembly (rank 0, one thread) ---- */
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

/* summary rows */
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

static void assemble_modmul(gdl_csv *fits, FILE *fgp) {
  size_t np, ns;
  const uint64_t *ps = mm_p(&np, &ns);
  static const char *cols[] = {"bits", "phi", "p", "seed", "var", "eg2", "egc2", "bound", "var_over_eg2", "bound_over_eg2", "seconds"};
  gdl_csv *all = csv_open("modmul.csv", 11, cols);
  for (int bits = 1; bits >= 0; bits--) {
    double *rat[3], *lp[3];
    for (int f = 0; f < 3; f++) {
      rat[f] = malloc(np * ns * sizeof(double));
      lp[f] = malloc(np * ns * sizeof(double));
      if (!rat[f] || !lp[f]) gdl_bench_die(PROG, "assemble", gdl_fail(GDL_ENOMEM, "out of memory"));
    }
    double mean_r[3][16], mean_b[3][16];
    for (size_t pi = 0; pi < np; pi++) {
      uint64_t p = ps[pi];
      for (int f = 0; f < 3; f++) mean_r[f][pi] = mean_b[f][pi] = 0.0;
      for (size_t s = 0; s < ns; s++) {
        double v[3][5];
        char name[128];
        for (int f = 0; f < 3; f++) {
          point_name(&(point){PT_MODMUL, pi, s, bits, f, 0, 0, 0}, name, sizeof name);
          need_point(name, 5, v[f]);
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
}

static void assemble_wave(gdl_csv *fits, FILE *fgp) {
  size_t nA = WAVE_NA, ns = wave_ns();
  static const char *cols[] = {"A", "seed", "var", "eg2", "gmu2", "bound", "var_over_eg2", "bound_over_eg2", "seconds"};
  gdl_csv *all = csv_open("wave.csv", 9, cols);
  static const char *mc[] = {"A", "var_over_eg2", "bound_over_eg2", "var_over_bound"};
  gdl_csv *mean = csv_open("wave_mean.csv", 4, mc);
  double lx[64], ly[64];
  size_t k = 0;
  double worst = 0.0;
  for (size_t ai = 0; ai < nA; ai++) {
    double A = wave_A(ai), mr = 0, mb = 0, mvb = 0;
    for (size_t s = 0; s < ns; s++) {
      double v[5];
      char name[96];
      point_name(&(point){PT_WAVE, ai, s, 0, 0, 0, 0, 0}, name, sizeof name);
      need_point(name, 5, v);
      double row[9] = {A, (double)s, v[0], v[1], v[2], v[3], v[0] / v[1], v[3] / v[1], v[4]};
      csv_row(all, row);
      lx[k] = A; ly[k] = v[0] / v[1]; k++;
      mr += v[0] / v[1] / (double)ns; mb += v[3] / v[1] / (double)ns; mvb += v[0] / v[3] / (double)ns;
      worst = fmax(worst, v[0] / v[3]);
    }
    double row[4] = {A, mr, mb, mvb};
    csv_row(mean, row);
  }
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

static void assemble_parity(void) {
  size_t nn, ns;
  const unsigned *ns_ = par_n(&nn, &ns);
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
      point_name(&(point){PT_PARITY, ni, s, 0, 0, 0, 0, 0}, name, sizeof name);
      need_point(name, 3 * (n + 1), v);
      for (unsigned k = 1; k <= n; k++) {
        double b = v[3 * k + 2] / v[3 * k + 1];
        double row[8] = {n, k, (double)s, v[3 * k], v[3 * k + 1], v[3 * k + 2], v[3 * k] / v[3 * k + 1], b};
        csv_row(all, row);
        mr[k] += v[3 * k] / v[3 * k + 1] / (double)ns;
        ib[k] = b;
        worst = fmax(worst, v[3 * k] / v[3 * k + 2]);
      }
    }
    for (unsigned k = 1; k <= n; k++) {
      double row[4] = {n, k, mr[k], ib[k]};
      csv_row(mean, row);
    }
  }
  csv_commit(all);
  csv_commit(mean);
  add_row("GV1 max_k Var/(E||g||^2/C(n,k))", worst, "<=", 1.0);
}

static void assemble_fvu(void) {
  size_t na = NELEM(FVU_A), nsw = fvu_nsw();
  static const char *cw[] = {"a", "seed", "fvu"};
  gdl_csv *cwv = csv_open("fvu_wave.csv", 3, cw);
  double fmin_lo = 0.0, fmin_hi = 1e9;
  for (size_t i = 0; i < na; i++)
    for (size_t s = 0; s < nsw; s++) {
      double v[1];
      char name[64];
      point_name(&(point){PT_FVU_WAVE, i, s, 0, 0, 0, 0, 0}, name, sizeof name);
      need_point(name, 1, v);
      double row[3] = {FVU_A[i], (double)s, v[0]};
      csv_row(cwv, row);
      if (FVU_A[i] <= 4) fmin_lo = fmax(fmin_lo, v[0]);
      if (FVU_A[i] >= 64) fmin_hi = fmin(fmin_hi, v[0]);
    }
  csv_commit(cwv);
  add_row("GV5 wave max FVU, a <= 4", fmin_lo, "<=", 0.1);
  add_row("GV5 wave min FVU, a >= 64", fmin_hi, ">=", 0.9);
  size_t np = NELEM(FVU_P);
  static const char *cm[] = {"p", "control", "a", "fvu"};
  gdl_csv *cmv = csv_open("fvu_modmul.csv", 4, cm);
  double worst_rand = 1e9, worst_ctrl = 0.0;
  for (size_t i = 0; i < np; i++)
    for (int control = 0; control <= 1; control++) {
      uint64_t p = FVU_P[i];
      double v[2];
      char name[64];
      point_name(&(point){PT_FVU_MOD, i, 0, 0, 0, control, 0, 0}, name, sizeof name);
      need_point(name, 2, v);
      double row[4] = {(double)p, control, v[0], v[1]};
      csv_row(cmv, row);
      if (control) worst_ctrl = fmax(worst_ctrl, v[1]);
      else if (p >= 1009) worst_rand = fmin(worst_rand, v[1]);
    }
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

  /* ---- phase 1: the points, over ranks (q mod K) and threads ---- */
  size_t npts = 0;
  point *pts = make_points(&npts);
  if (!pts) gdl_bench_die(PROG, "points", gdl_fail(GDL_ENOMEM, "out of memory"));
  gdl_sweep *sw = NULL;
  int rc = gdl_sweep_begin(&argc, &argv, OUT, FULL ? "gv-full" : "gv-quick", npts, &sw); /* makes DIR/points */
  if (rc != GDL_OK) gdl_bench_die(PROG, "sweep", rc);
  size_t done = 0, failed = 0;
  const size_t mine = gdl_sweep_owned(sw);
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (size_t q = 0; q < npts; q++) {
    if (!gdl_sweep_owns(sw, q)) continue;
    int prc = run_point(&pts[q]);
#ifdef GDL_HAVE_OPENMP
#pragma omp critical(gv_progress)
#endif
    {
      if (prc != GDL_OK) {
        char name[128];
        point_name(&pts[q], name, sizeof name);
        fprintf(stderr, "%s: point %s failed: %s\n", PROG, name, gdl_strerror_last());
        failed++;
      }
      gdl_progress("GV points", ++done, mine);
    }
  }
  gdl_progress_done();
  free(pts);
  if (failed) {
    gdl_sweep_end(sw);
    return 1;
  }
  /* every rank's points are on disk before rank 0 assembles; the other ranks are done */
  if ((rc = gdl_sweep_barrier(sw)) != GDL_OK) gdl_bench_die(PROG, "barrier", rc);
  if (!gdl_sweep_is_root(sw)) {
    gdl_sweep_end(sw);
    return 0;
  }

  /* ---- phase 2: rank 0 assembles ---- */
  char path[4096];
  static const char *fc[] = {"family", "phi", "slope", "se"};  /* family 1 bits, 2 scalar, 3 wave */
  gdl_csv *fits = csv_open("fits.csv", 4, fc);
  snprintf(path, sizeof path, "%s/fits.gp.tmp", OUT);
  FILE *fgp = fopen(path, "w");
  if (!fgp) { fprintf(stderr, "bench_gradient_variance: cannot write %s\n", path); return 1; }
  assemble_parity();
  assemble_modmul(fits, fgp);
  assemble_wave(fits, fgp);
  assemble_fvu();
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
  gdl_sweep_end(sw);
  return 0;
}
