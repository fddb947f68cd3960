/* benchmarks/gradient_variance.c: the sweeps of claim GV (figures gradient_variance_modmul,
 * gradient_variance_wave, gradient_variance_parity, gradient_variance_fvu; summary.json).
 *
 *   bench_gradient_variance --out DIR [--full] [--seed N]
 *
 * Every point is one run of an experiment of experiments/gradient_variance.h, with the
 * experiment's default configuration and only the grid variable changed, so a point with the
 * test's configuration, seed and replicate gives the test's numbers bit for bit
 * (experiments.gradient_variance.same_as_test):
 *   modmul  gv_modmul_run: Var/E||g||^2 and bound/E||g||^2 vs p, phi in {y/p, y mod 2, cos}, bits
 *           and scalar encodings. Quick: p in {101, ..., 3203}, 3 reps; full: up to p = 100801, 5.
 *   wave    gv_wave_run: psi = sin, A in {2, ..., 256}, 3 reps (quick) or 5 (full); psi = triangle
 *           and sawtooth (16 harmonics exactly, truncation bracket), A in {2, 4, 8, 16}.
 *   parity  gv_parity_run (depth 2): n in {16, 18, 20} (quick, 3 reps), {12, ..., 20} (full, 5).
 *   fvu     gv_fvu_wave_run vs a, gv_fvu_mod_run vs p (hard multiplier and the a = 1 control).
 *   GV6     gv_modadd_run (shifts, phi = cos) on the modmul grid and nets; gv_bitmod_run (24-bit
 *           encoded training, a x vs x + a) at p = 65521 (all of Z_p), 1048573, 16777213 (64k/16k
 *           sampled residues), 3 reps (quick) or 8 (full).
 * The points run through gdl_sweep_run (OpenMP over points; MPI ranks get them by their cost
 * estimates point_cost, gdl_sweep_set_costs),
 * keyed by the configuration document (gdl_exp_doc: a sweep with another seed, mode or grid
 * never reuses these points); each point's numbers are one row of its "csv" point file. Rank 0
 * then assembles: modmul.csv (all runs), modmul_<enc>_<phi>.csv (means over reps), wave.csv,
 * wave_mean.csv, parity.csv, parity_mean.csv, fvu_wave.csv, fvu_modmul.csv, fits.csv, fits.gp
 * (gnuplot variables with the fitted slopes), gradient_variance.json (the configuration
 * document + provenance), summary.json (gdl_summary). The "seconds" columns are the CPU seconds
 * of the engine call on the thread that ran it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gdl/gdl.h"
#include "experiments/gradient_variance.h"
#include "bench_cli.h"

#define PROG "bench_gradient_variance"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the grids ---- */
static const unsigned PAR_NQ[] = {16, 18, 20}, PAR_NF[] = {12, 14, 16, 18, 20};
static const uint64_t MM_PQ[] = {101, 211, 401, 809, 1601, 3203};
static const uint64_t MM_PF[] = {101, 211, 401, 809, 1601, 3203, 6481, 12289, 25601, 50177, 100801};
#define WAVE_NA 8 /* A = 2, 4, ..., 256 */
#define SERIES_NA 4 /* triangle, sawtooth: A = 2, 4, 8, 16 */
static const gdl_psi SERIES_PSI[3] = {GDL_PSI_SIN, GDL_PSI_TRIANGLE, GDL_PSI_SAWTOOTH}; /* point.f */
static const double FVU_A[] = {1, 2, 4, 8, 16, 32, 64, 128};
static const uint64_t FVU_P[] = {211, 1009, 3203, 10007};
/* --grid same_as_test: one point of each sub-experiment that theorems.gradient_variance also
 * runs (same configuration, seed, replicate), for experiments.gradient_variance.same_as_test */
static const unsigned PAR_NT[] = {12};
static const uint64_t MM_PT[] = {101, 211, 401};
static const double FVU_AT[] = {4};
static const uint64_t FVU_PT[] = {1009};
static const char *phi_tag[3] = {"linear", "parity", "cos"};
static const uint64_t BITMOD_P[] = {65521, 1048573, 16777213};

typedef struct {
  int full, tiny;
  uint64_t seed;
  const unsigned *par_n;
  size_t npar, par_reps;
  const uint64_t *mm_p;
  size_t nmm, mm_reps, nwave, wave_reps, nseries;
  const double *fvu_a;
  size_t nfa, fvu_reps;
  const uint64_t *fvu_p;
  size_t nfp, nbp, bit_reps;
} grid;

static void grid_init(grid *g, int full, int tiny, uint64_t seed) {
  g->full = full;
  g->tiny = tiny;
  g->seed = seed;
  g->par_n = full ? PAR_NF : PAR_NQ;
  g->npar = full ? NELEM(PAR_NF) : NELEM(PAR_NQ);
  g->mm_p = full ? MM_PF : MM_PQ;
  g->nmm = full ? NELEM(MM_PF) : NELEM(MM_PQ);
  g->nwave = WAVE_NA;
  g->nseries = SERIES_NA;
  g->par_reps = g->mm_reps = g->wave_reps = full ? 5 : 3;
  g->fvu_a = FVU_A;
  g->nfa = NELEM(FVU_A);
  g->fvu_reps = full ? 3 : 1;
  g->fvu_p = FVU_P;
  g->nfp = NELEM(FVU_P);
  g->nbp = NELEM(BITMOD_P);
  g->bit_reps = full ? 8 : 3;
  if (tiny) {
    g->par_n = PAR_NT; g->npar = 1; g->mm_p = MM_PT; g->nmm = NELEM(MM_PT); g->nwave = 3; g->nseries = 1;
    g->par_reps = g->mm_reps = g->wave_reps = g->fvu_reps = 1;
    g->fvu_a = FVU_AT; g->nfa = 1; g->fvu_p = FVU_PT; g->nfp = 1; g->nbp = 0;
  }
}
static double wave_A(size_t ai) { return ldexp(1.0, (int)ai + 1); }

/* The rest of a sub-experiment's object after its configuration: the grid values (key
 * grid_key), the grid's description (NULL: none), the replicates (reps < 0: none); closes it. */
static int grid_tail(gdl_json *j, const char *grid_key, size_t n, const double *v, const char *grid, long long reps) {
  GDL_TRY(gdl_json_nums(j, grid_key, n, v));
  if (grid) GDL_TRY(gdl_json_str(j, "grid", grid));
  if (reps >= 0) GDL_TRY(gdl_json_int(j, "reps", reps));
  return gdl_json_end(j);
}

/* The sweep's configuration document: every experiment's defaults (from the structs) + grids. */
static int grid_json(const void *cfg, gdl_json *j) {
  const grid *g = cfg;
  gv_parity_config pc;
  gv_modmul_config mc;
  gv_wave_config wc;
  gv_fvu_wave_config fw;
  gv_fvu_mod_config fm;
  gv_bitmod_config bc;
  gv_parity_config_depth(&pc, g->par_n[0], 2);
  gv_modmul_config_default(&mc);
  gv_wave_config_default(&wc);
  gv_fvu_wave_config_default(&fw);
  gv_fvu_mod_config_default(&fm);
  gv_bitmod_config_default(&bc);
  fm.track_every = 0;
  double vn[16], vp[16], vA[16], vb[16], vf[16];
  for (size_t i = 0; i < g->npar; i++) vn[i] = g->par_n[i];
  for (size_t i = 0; i < g->nmm; i++) vp[i] = (double)g->mm_p[i];
  for (size_t i = 0; i < g->nwave; i++) vA[i] = wave_A(i);
  for (size_t i = 0; i < g->nbp; i++) vb[i] = (double)BITMOD_P[i];
  for (size_t i = 0; i < g->nfp; i++) vf[i] = (double)g->fvu_p[i];
  GDL_TRY(gdl_json_begin(j, "parity"));
  GDL_TRY(gv_parity_config_json(&pc, j));
  GDL_TRY(grid_tail(j, "grid_n", g->npar, vn, NULL, (long long)g->par_reps));
  GDL_TRY(gdl_json_begin(j, "modmul"));
  GDL_TRY(gv_modmul_config_json(&mc, j));
  GDL_TRY(grid_tail(j, "grid_p", g->nmm, vp, "p x {bits, scalar} x {y/p, y mod 2, cos} x reps", (long long)g->mm_reps));
  GDL_TRY(gdl_json_begin(j, "wave"));
  GDL_TRY(gv_wave_config_json(&wc, j));
  GDL_TRY(grid_tail(j, "grid_A", g->nwave, vA, NULL, (long long)g->wave_reps));
  GDL_TRY(gdl_json_begin(j, "wave_series"));
  wc.psi = GDL_PSI_TRIANGLE;
  GDL_TRY(gv_wave_config_json(&wc, j));
  GDL_TRY(grid_tail(j, "grid_A", g->nseries, vA, "A x {triangle, sawtooth} x reps", (long long)g->wave_reps));
  GDL_TRY(gdl_json_begin(j, "modadd"));
  GDL_TRY(gdl_json_str(j, "class", "{cos(2 pi ((x + a) mod p)/p) : a in Z_p} on the modmul nets and grid"));
  GDL_TRY(gdl_json_end(j));
  GDL_TRY(gdl_json_begin(j, "bitmod"));
  GDL_TRY(gv_bitmod_config_json(&bc, j));
  GDL_TRY(grid_tail(j, "grid_p", g->nbp, vb,
                    "p x {a x, x + a} x reps; all of Z_p for p < 2^17, else 65536 train / 16384 test residues",
                    (long long)g->bit_reps));
  GDL_TRY(gdl_json_begin(j, "fvu_wave"));
  GDL_TRY(gv_fvu_wave_config_json(&fw, j));
  GDL_TRY(grid_tail(j, "grid_a", g->nfa, g->fvu_a, NULL, (long long)g->fvu_reps));
  GDL_TRY(gdl_json_begin(j, "fvu_mod"));
  GDL_TRY(gv_fvu_mod_config_json(&fm, j));
  return grid_tail(j, "grid_p", g->nfp, vf, "p x {hard multiplier, a = 1 control}, rep 0", -1);
}

/* ---- the points ---- */
typedef enum { PT_PARITY, PT_MODMUL, PT_WAVE, PT_FVU_WAVE, PT_FVU_MOD, PT_MODADD, PT_BITMOD } pkind;
typedef struct {
  pkind kind;
  size_t i;  /* grid index: n (parity), p (modmul, fvu modular), A (wave), a (fvu wave) */
  size_t s;  /* replicate */
  int bits, f, control;
  double cost;  /* rough seconds on one core: only orders the list (longest first) */
} point;

typedef struct {
  grid g;
  point *pts;
  size_t npts;
} sweep_ctx;

static size_t point_nvals(const grid *g, const point *pt) {
  switch (pt->kind) {
  case PT_PARITY: return 3 * ((size_t)g->par_n[pt->i] + 1);
  case PT_MODMUL: return 5;
  case PT_WAVE: return pt->f ? 9 : 6;
  case PT_FVU_WAVE: return 1;
  case PT_FVU_MOD: return 2;
  case PT_MODADD: return 4;
  case PT_BITMOD: return 4;
  }
  return 0;
}

static double point_cost(const grid *g, const point *pt) {
  switch (pt->kind) {
  case PT_PARITY: return 23.0 * (g->par_n[pt->i] / 20.0) * ldexp(1.0, (int)g->par_n[pt->i] - 20);
  case PT_MODMUL: {
    double p = (double)g->mm_p[pt->i];
    return (pt->bits ? 0.2 : 0.05) * (p / 3203.0) * log(p) / log(3203.0);
  }
  case PT_WAVE: return pt->f ? 0.7 * pow(wave_A(pt->i) / 16.0, 1.1) : 3.4 * pow(wave_A(pt->i) / 256.0, 1.2);
  case PT_FVU_WAVE: return 2.5;
  case PT_FVU_MOD: return 2.4;
  case PT_MODADD: return 0.1 * ((double)g->mm_p[pt->i] / 3203.0);
  case PT_BITMOD: return 0.4;
  }
  return 0.0;
}

static int by_cost(const void *a, const void *b) {
  const point *x = a, *y = b;
  return (x->cost < y->cost) - (x->cost > y->cost);
}

static point *make_points(const grid *g, size_t *npts) {
  size_t total = g->npar * g->par_reps + 6 * g->nmm * g->mm_reps + (g->nwave + 2 * g->nseries) * g->wave_reps +
                 g->nfa * g->fvu_reps +
                 2 * g->nfp + 2 * g->nmm * g->mm_reps + 2 * g->nbp * g->bit_reps, k = 0;
  point *pts = calloc(total, sizeof *pts);
  if (!pts) return NULL;
  for (size_t i = 0; i < g->npar; i++)
    for (size_t s = 0; s < g->par_reps; s++) pts[k++] = (point){PT_PARITY, i, s, 0, 0, 0, 0};
  for (size_t i = 0; i < g->nmm; i++)
    for (int bits = 1; bits >= 0; bits--)
      for (size_t s = 0; s < g->mm_reps; s++)
        for (int f = 0; f < 3; f++) pts[k++] = (point){PT_MODMUL, i, s, bits, f, 0, 0};
  for (size_t i = 0; i < g->nwave; i++)
    for (size_t s = 0; s < g->wave_reps; s++) pts[k++] = (point){PT_WAVE, i, s, 0, 0, 0, 0};
  for (int f = 1; f <= 2; f++)
    for (size_t i = 0; i < g->nseries; i++)
      for (size_t s = 0; s < g->wave_reps; s++) pts[k++] = (point){PT_WAVE, i, s, 0, f, 0, 0};
  for (size_t i = 0; i < g->nfa; i++)
    for (size_t s = 0; s < g->fvu_reps; s++) pts[k++] = (point){PT_FVU_WAVE, i, s, 0, 0, 0, 0};
  for (size_t i = 0; i < g->nfp; i++)
    for (int c = 0; c <= 1; c++) pts[k++] = (point){PT_FVU_MOD, i, 0, 0, 0, c, 0};
  for (size_t i = 0; i < g->nmm; i++)
    for (int bits = 0; bits <= 1; bits++)
      for (size_t s = 0; s < g->mm_reps; s++) pts[k++] = (point){PT_MODADD, i, s, bits, 0, 0, 0};
  for (size_t i = 0; i < g->nbp; i++)
    for (int add = 0; add <= 1; add++)
      for (size_t s = 0; s < g->bit_reps; s++) pts[k++] = (point){PT_BITMOD, i, s, 1, 0, add, 0};
  for (size_t q = 0; q < k; q++) pts[q].cost = point_cost(g, &pts[q]);
  /* stable longest-first order: ties keep the list order (qsort is not stable, so index-break) */
  for (size_t q = 0; q < k; q++) pts[q].cost += 1e-9 * (double)(k - q);
  qsort(pts, k, sizeof *pts, by_cost);
  *npts = k;
  return pts;
}

/* The rank assignment and start order follow point_cost (gdl_sweep_set_costs). */
static double cost_of(const void *ctx, size_t q) { return ((const sweep_ctx *)ctx)->pts[q].cost; }

/* CPU seconds of the calling thread (points run concurrently). */
static double cpu_s(void) { return gdl_clock_seconds(GDL_CLOCK_THREAD); }

/* One point: run the experiment, write its numbers as one csv row (columns v0, v1, ...). */
static int compute_point(const grid *g, const point *pt, double *v) {
  switch (pt->kind) {
  case PT_PARITY: {
    gv_parity_config c;
    gv_parity_config_depth(&c, g->par_n[pt->i], 2);
    gdl_var_result lev[GV_PARITY_MAXN + 1];
    GDL_TRY(gv_parity_run(&c, g->seed, pt->s, lev));
    for (unsigned k = 0; k <= c.n; k++) { v[3 * k] = lev[k].var; v[3 * k + 1] = lev[k].eg2; v[3 * k + 2] = lev[k].bound; }
    return GDL_OK;
  }
  case PT_MODMUL:
  case PT_MODADD: { /* the multiplicative class (phi = f) or the additive one (phi = cos) on the same nets */
    gv_modmul_config c;
    gv_modmul_config_default(&c);
    c.p = g->mm_p[pt->i];
    c.bits = pt->bits;
    if (pt->kind == PT_MODMUL) c.phi = (gdl_phi)pt->f;
    gv_modmul_result r;
    double t0 = cpu_s();
    GDL_TRY((pt->kind == PT_MODMUL ? gv_modmul_run : gv_modadd_run)(&c, g->seed, pt->s, &r));
    double row[5] = {r.var, r.eg2, r.egc2, r.bound, cpu_s() - t0};
    memcpy(v, row, point_nvals(g, pt) * sizeof *v);
    return GDL_OK;
  }
  case PT_WAVE: {
    gv_wave_config c;
    gv_wave_config_default(&c);
    c.A = wave_A(pt->i);
    c.psi = SERIES_PSI[pt->f];
    gv_wave_result r;
    double t0 = cpu_s();
    GDL_TRY(gv_wave_run(&c, g->seed, pt->s, &r));
    double row[9] = {r.var, r.eg2, r.gmu2, r.bound, cpu_s() - t0, r.jump_pred, r.var_lo, r.var_hi, r.bound_full};
    memcpy(v, row, point_nvals(g, pt) * sizeof *v);
    return GDL_OK;
  }
  case PT_FVU_WAVE: {
    gv_fvu_wave_config c;
    gv_fvu_wave_config_default(&c);
    c.a = g->fvu_a[pt->i];
    return gv_fvu_wave_run(&c, g->seed, pt->s, &v[0]);
  }
  case PT_FVU_MOD: {
    gv_fvu_mod_config c;
    gv_fvu_mod_config_default(&c);
    c.p = g->fvu_p[pt->i];
    c.control = pt->control;
    c.track_every = 0;
    gv_fvu_mod_result r;
    GDL_TRY(gv_fvu_mod_run(&c, g->seed, pt->s, &r));
    v[0] = (double)r.a;
    v[1] = r.fvu;
    return GDL_OK;
  }
  case PT_BITMOD: {
    gv_bitmod_config c;
    gv_bitmod_config_default(&c);
    c.p = BITMOD_P[pt->i];
    c.add = pt->control;
    if (c.p >= ((uint64_t)1 << 17)) { c.mtr = 65536; c.mte = 16384; }
    gv_bitmod_result r;
    GDL_TRY(gv_bitmod_run(&c, g->seed, pt->s, &r));
    double row[4] = {(double)r.a, r.pearson, r.fvu, (double)r.mte};
    memcpy(v, row, sizeof row);
    return GDL_OK;
  }
  }
  return gdl_fail(GDL_EINVAL, "unknown point kind");
}

#define MAXV (3 * (GV_PARITY_MAXN + 1))
static const char *const *vcols(void) {
  static char names[MAXV][8];
  static const char *cols[MAXV];
  if (!cols[0])
    for (size_t i = 0; i < MAXV; i++) {
      snprintf(names[i], sizeof names[i], "v%zu", i);
      cols[i] = names[i];
    }
  return cols;
}

static int run_point(void *vctx, gdl_sweep *s, size_t q) {
  const sweep_ctx *c = vctx;
  const point *pt = &c->pts[q];
  double v[MAXV];
  size_t n = point_nvals(&c->g, pt);
  GDL_TRY(compute_point(&c->g, pt, v));
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, q, "csv", path, sizeof path));
  gdl_csv *csv;
  GDL_TRY(gdl_csv_open(path, n, vcols(), &csv));
  int rc = gdl_csv_row(csv, v);
  if (rc != GDL_OK) { gdl_csv_abort(csv); return rc; }
  return gdl_csv_commit(csv);
}

/* ---- assembly (rank 0) ---- */
typedef struct {
  const sweep_ctx *c;
  const gdl_bench_sweep *bs;
  gdl_csv *fits;
  FILE *fgp;
  gdl_summary *sum;
} assembler;

/* The numbers of the point with this kind and indices. */
static void need(const assembler *as, pkind kind, size_t i, size_t s, int bits, int f, int control, double *v) {
  const sweep_ctx *c = as->c;
  for (size_t q = 0; q < c->npts; q++) {
    const point *pt = &c->pts[q];
    if (pt->kind != kind || pt->i != i || pt->s != s || pt->bits != bits || pt->f != f || pt->control != control) continue;
    char path[4096];
    gdl_table t;
    int rc = gdl_sweep_point_file(as->bs->sw, q, "csv", path, sizeof path);
    if (rc == GDL_OK) rc = gdl_csv_read(path, &t);
    if (rc != GDL_OK) gdl_bench_die(PROG, "assemble", rc);
    size_t n = point_nvals(&c->g, pt);
    if (t.nrows != 1 || t.ncols != n)
      gdl_bench_die(PROG, "assemble", gdl_fail(GDL_EPARSE, "point file %s: %zu x %zu, expected 1 x %zu", path, t.nrows, t.ncols, n));
    memcpy(v, t.v, n * sizeof *v);
    gdl_table_free(&t);
    return;
  }
  gdl_bench_die(PROG, "assemble", gdl_fail(GDL_EINVAL, "no such point"));
}

static gdl_csv *csv_open(const assembler *as, const char *file, size_t n, const char *const *cols) {
  gdl_csv *c;
  int rc = gdl_bench_csv_open(as->bs->args, file, n, cols, &c);
  if (rc) gdl_bench_die(PROG, file, rc);
  return c;
}
static void csv_row(gdl_csv *c, const double *v) { int rc = gdl_csv_row(c, v); if (rc) gdl_bench_die(PROG, "csv row", rc); }
static void csv_commit(gdl_csv *c) { int rc = gdl_csv_commit(c); if (rc) gdl_bench_die(PROG, "csv commit", rc); }

static int holds(double m, const char *rel, double b) {
  return !strcmp(rel, "<=") ? m <= b : !strcmp(rel, ">=") ? m >= b : !strcmp(rel, "<") ? m < b : m > b;
}
static void check(const assembler *as, const char *name, double measured, const char *rel, double bound) {
  int rc = gdl_summary_check(as->sum, "GV", name, measured, rel, bound, holds(measured, rel, bound));
  if (rc) gdl_bench_die(PROG, "summary", rc);
}

/* Slope of log y vs log x; if center is finite, the two-sided check of the test's rate
 * (slope -/+ 4 SE against center +- delta). */
static gdl_fit fit_rate(const assembler *as, size_t k, const double *x, const double *y, const char *name, double center,
                        double delta) {
  gdl_fit fit;
  int rc = gdl_fit_loglog(k, x, y, &fit);
  if (rc) gdl_bench_die(PROG, "fit", rc);
  if (isfinite(center)) {
    char n1[128];
    snprintf(n1, sizeof n1, "%s slope-4SE <= upper", name);
    check(as, n1, fit.slope - 4 * fit.se_slope, "<=", center + delta);
    snprintf(n1, sizeof n1, "%s slope+4SE >= lower", name);
    check(as, n1, fit.slope + 4 * fit.se_slope, ">=", center - delta);
  }
  return fit;
}

/* The test's delta for GV2: the slope of log(ln^2 p) vs log p over the grid. */
static double log2_slope(size_t k, const double *x) {
  double *y = malloc(k * sizeof *y);
  if (!y) gdl_bench_die(PROG, "fit", gdl_fail(GDL_ENOMEM, "out of memory"));
  for (size_t i = 0; i < k; i++) y[i] = log(x[i]) * log(x[i]);
  gdl_fit f;
  int rc = gdl_fit_loglog(k, x, y, &f);
  free(y);
  if (rc) gdl_bench_die(PROG, "fit", rc);
  return f.slope;
}

/* modmul_<enc>_<phi>.csv (means over reps), the fits, the rate checks */
static void assemble_modmul_enc(const assembler *as, gdl_csv *all, int bits) {
  const grid *g = &as->c->g;
  size_t np = g->nmm, ns = g->mm_reps, k = np * ns;
  double *rat = malloc(3 * k * sizeof *rat), *ratc = malloc(3 * k * sizeof *ratc), *lp = malloc(k * sizeof *lp);
  if (!rat || !ratc || !lp) gdl_bench_die(PROG, "assemble", gdl_fail(GDL_ENOMEM, "out of memory"));
  const char *enc = bits ? "bits" : "scalar";
  double worst = 0.0;
  for (int f = 0; f < 3; f++) {
    char file[128];
    snprintf(file, sizeof file, "modmul_%s_%s.csv", enc, phi_tag[f]);
    static const char *mc[] = {"p", "var_over_eg2", "bound_over_eg2"};
    gdl_csv *mean = csv_open(as, file, 3, mc);
    for (size_t pi = 0; pi < np; pi++) {
      double mr = 0.0, mb = 0.0, p = (double)g->mm_p[pi];
      for (size_t s = 0; s < ns; s++) {
        double v[5];
        need(as, PT_MODMUL, pi, s, bits, f, 0, v);
        double row[11] = {bits, f, p, (double)s, v[0], v[1], v[2], v[3], v[0] / v[1], v[3] / v[1], v[4]};
        csv_row(all, row);
        rat[f * k + pi * ns + s] = v[0] / v[1];
        ratc[f * k + pi * ns + s] = v[0] / v[2];
        lp[pi * ns + s] = p;
        mr += v[0] / v[1] / (double)ns;
        mb += v[3] / v[1] / (double)ns;
        worst = fmax(worst, v[0] / v[3]);
      }
      double row[3] = {p, mr, mb};
      csv_row(mean, row);
    }
    csv_commit(mean);
    gdl_fit fit = fit_rate(as, k, lp, rat + f * k, "", NAN, 0); /* the figure's slope: Var/E||g||^2 */
    double row[4] = {bits ? 1.0 : 2.0, (double)f, fit.slope, fit.se_slope};
    csv_row(as->fits, row);
    fprintf(as->fgp, "slope_%s_%s = %.6f\nse_%s_%s = %.6f\n", enc, phi_tag[f], fit.slope, enc, phi_tag[f], fit.se_slope);
    char name[96];
    snprintf(name, sizeof name, "GV2 %s phi=%s rate of Var/E||g-Eg||^2 in -1 +- delta:", enc, phi_tag[f]);
    fit_rate(as, k, lp, ratc + f * k, name, -1.0, log2_slope(k, lp));
  }
  char name[64];
  snprintf(name, sizeof name, "GV2 %s max Var/bound", enc);
  check(as, name, worst, "<=", 1.0);
  free(rat); free(ratc); free(lp);
}

static void assemble_modmul(const assembler *as) {
  static const char *cols[] = {"bits", "phi", "p", "seed", "var", "eg2", "egc2", "bound", "var_over_eg2", "bound_over_eg2", "seconds"};
  gdl_csv *all = csv_open(as, "modmul.csv", 11, cols);
  assemble_modmul_enc(as, all, 1);
  assemble_modmul_enc(as, all, 0);
  csv_commit(all);
}

static void assemble_wave(const assembler *as) {
  size_t ns = as->c->g.wave_reps;
  static const char *cols[] = {"A", "seed", "var", "eg2", "gmu2", "bound", "var_over_eg2", "bound_over_eg2", "seconds", "jump_pred"};
  gdl_csv *all = csv_open(as, "wave.csv", 10, cols);
  static const char *mc[] = {"A", "var_over_eg2", "bound_over_eg2", "var_over_bound"};
  gdl_csv *mean = csv_open(as, "wave_mean.csv", 4, mc);
  double lx[WAVE_NA * 8], ly[WAVE_NA * 8], worst = 0.0, worst_pred = 0.0;
  size_t k = 0;
  for (size_t ai = 0; ai < as->c->g.nwave; ai++) {
    double A = wave_A(ai), mr = 0, mb = 0, mvb = 0;
    for (size_t s = 0; s < ns; s++) {
      double v[6];
      need(as, PT_WAVE, ai, s, 0, 0, 0, v);
      double row[10] = {A, (double)s, v[0], v[1], v[2], v[3], v[0] / v[1], v[3] / v[1], v[4], v[5]};
      csv_row(all, row);
      lx[k] = A; ly[k] = v[0] / v[1]; k++;
      mr += v[0] / v[1] / (double)ns; mb += v[3] / v[1] / (double)ns; mvb += v[0] / v[3] / (double)ns;
      worst = fmax(worst, v[0] / v[3]);
      if (A >= 16) worst_pred = fmax(worst_pred, fabs(v[0] / v[5] - 1.0));
    }
    double row[4] = {A, mr, mb, mvb};
    csv_row(mean, row);
  }
  csv_commit(all);
  csv_commit(mean);
  gdl_fit fit = fit_rate(as, k, lx, ly, "", NAN, 0);
  double row[4] = {3.0, 0.0, fit.slope, fit.se_slope};
  csv_row(as->fits, row);
  fprintf(as->fgp, "slope_wave = %.6f\nse_wave = %.6f\n", fit.slope, fit.se_slope);
  check(as, "GV3 max Var/bound", worst, "<=", 1.0);
  check(as, "GV3 max |Var/jump prediction - 1|, A >= 16", worst_pred, "<=", 1.0 / 16.0);
}

/* Triangle and sawtooth: Var_K, the bracket of the full wave, the full bound (figure lines). */
static void assemble_wave_series(const assembler *as) {
  size_t ns = as->c->g.wave_reps, na = as->c->g.nseries;
  static const char *cols[] = {"psi", "A", "seed", "var", "var_lo", "var_hi", "bound_full", "eg2", "var_over_eg2",
                               "lo_over_eg2", "hi_over_eg2", "bound_full_over_eg2", "jump_pred", "seconds"};
  gdl_csv *all = csv_open(as, "wave_series.csv", 14, cols);
  static const char *mc[] = {"A", "tri_var_over_eg2", "tri_lo", "tri_hi", "saw_var_over_eg2", "saw_lo", "saw_hi"};
  gdl_csv *mean = csv_open(as, "wave_series_mean.csv", 7, mc);
  double lx[2][SERIES_NA * 8], ly[2][SERIES_NA * 8], worst = 0.0, worst_bar = 0.0, m[SERIES_NA][7];
  size_t k[2] = {0, 0};
  for (int f = 1; f <= 2; f++)
    for (size_t ai = 0; ai < na; ai++) {
      double A = wave_A(ai), mr = 0, ml = 0, mh = 0;
      for (size_t s = 0; s < ns; s++) {
        double v[9];
        need(as, PT_WAVE, ai, s, 0, f, 0, v);
        double row[14] = {f, A, (double)s, v[0], v[6], v[7], v[8], v[1], v[0] / v[1], v[6] / v[1], v[7] / v[1], v[8] / v[1], v[5], v[4]};
        csv_row(all, row);
        lx[f - 1][k[f - 1]] = A; ly[f - 1][k[f - 1]] = v[0] / v[1]; k[f - 1]++;
        mr += v[0] / v[1] / (double)ns; ml += v[6] / v[1] / (double)ns; mh += v[7] / v[1] / (double)ns;
        worst = fmax(worst, v[7] / v[8]);
        worst_bar = fmax(worst_bar, v[7] / v[6]);
      }
      m[ai][0] = A;
      m[ai][3 * (f - 1) + 1] = mr; m[ai][3 * (f - 1) + 2] = ml; m[ai][3 * (f - 1) + 3] = mh;
    }
  for (size_t ai = 0; ai < na; ai++) csv_row(mean, m[ai]);
  csv_commit(all);
  csv_commit(mean);
  static const char *nm[2] = {"triangle", "sawtooth"};
  for (int f = 0; f < 2 && k[f] >= 3; f++) {  /* the same_as_test grid has one A: no fit */
    gdl_fit fit = fit_rate(as, k[f], lx[f], ly[f], "", NAN, 0);
    double row[4] = {4.0 + f, 0.0, fit.slope, fit.se_slope};
    csv_row(as->fits, row);
    fprintf(as->fgp, "slope_%s = %.6f\nse_%s = %.6f\n", nm[f], fit.slope, nm[f], fit.se_slope);
  }
  check(as, "GV3 triangle/sawtooth max var_hi/bound_full", worst, "<=", 1.0);
  check(as, "GV3 triangle/sawtooth max bracket var_hi/var_lo", worst_bar, "<=", 1.25);
}

static void assemble_parity(const assembler *as) {
  const grid *g = &as->c->g;
  static const char *cols[] = {"n", "k", "seed", "var", "eg2", "bound", "var_over_eg2", "inv_binom"};
  gdl_csv *all = csv_open(as, "parity.csv", 8, cols);
  static const char *mc[] = {"n", "k", "var_over_eg2", "inv_binom"};
  gdl_csv *mean = csv_open(as, "parity_mean.csv", 4, mc);
  double worst = 0.0;
  for (size_t ni = 0; ni < g->npar; ni++) {
    unsigned n = g->par_n[ni];
    double mr[GV_PARITY_MAXN + 1] = {0}, ib[GV_PARITY_MAXN + 1] = {0};
    for (size_t s = 0; s < g->par_reps; s++) {
      double v[MAXV];
      need(as, PT_PARITY, ni, s, 0, 0, 0, v);
      for (unsigned k = 1; k <= n; k++) {
        double b = v[3 * k + 2] / v[3 * k + 1];
        double row[8] = {n, k, (double)s, v[3 * k], v[3 * k + 1], v[3 * k + 2], v[3 * k] / v[3 * k + 1], b};
        csv_row(all, row);
        mr[k] += v[3 * k] / v[3 * k + 1] / (double)g->par_reps;
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
  check(as, "GV1 max_k Var/(E||g||^2/C(n,k))", worst, "<=", 1.0);
}

static void assemble_fvu(const assembler *as) {
  static const char *cw[] = {"a", "seed", "fvu"};
  gdl_csv *cwv = csv_open(as, "fvu_wave.csv", 3, cw);
  double lo = 0.0, hi = INFINITY;
  const grid *g = &as->c->g;
  for (size_t i = 0; i < g->nfa; i++)
    for (size_t s = 0; s < g->fvu_reps; s++) {
      double v[1];
      need(as, PT_FVU_WAVE, i, s, 0, 0, 0, v);
      double row[3] = {g->fvu_a[i], (double)s, v[0]};
      csv_row(cwv, row);
      if (g->fvu_a[i] <= 4) lo = fmax(lo, v[0]);
      if (g->fvu_a[i] >= 64) hi = fmin(hi, v[0]);
    }
  csv_commit(cwv);
  check(as, "GV5 wave max FVU, a <= 4", lo, "<=", 0.1);
  check(as, "GV5 wave min FVU, a >= 64", hi, ">=", 0.9);
  static const char *cm[] = {"p", "control", "a", "fvu"};
  gdl_csv *cmv = csv_open(as, "fvu_modmul.csv", 4, cm);
  double worst_rand = INFINITY, worst_ctrl = 0.0;
  for (size_t i = 0; i < g->nfp; i++)
    for (int control = 0; control <= 1; control++) {
      double v[2];
      need(as, PT_FVU_MOD, i, 0, 0, 0, control, v);
      double row[4] = {(double)g->fvu_p[i], control, v[0], v[1]};
      csv_row(cmv, row);
      if (control) worst_ctrl = fmax(worst_ctrl, v[1]);
      else if (g->fvu_p[i] >= 1009) worst_rand = fmin(worst_rand, v[1]);
    }
  csv_commit(cmv);
  check(as, "GV5 modular min FVU, hard a, p >= 1009", worst_rand, ">=", 0.9);
  check(as, "GV5 modular max FVU, a = 1 control", worst_ctrl, "<=", 0.05);
}

/* GV6: the additive class vs the multiplicative one on the same nets; bit-encoded training. */
static void assemble_gv6(const assembler *as) {
  const grid *g = &as->c->g;
  if (!g->nbp) return;  /* the same_as_test grid has no GV6 points */
  static const char *cols[] = {"bits", "p", "seed", "var_add", "egc2", "var_add_over_egc2", "var_mul_over_egc2", "add_over_mul"};
  gdl_csv *all = csv_open(as, "modadd.csv", 8, cols);
  double worst_ratio = INFINITY;
  for (int bits = 0; bits <= 1; bits++)
    for (size_t i = 0; i < g->nmm; i++)
      for (size_t s = 0; s < g->mm_reps; s++) {
        double v[4], w[5];
        need(as, PT_MODADD, i, s, bits, 0, 0, v);
        need(as, PT_MODMUL, i, s, bits, 2, 0, w);
        double row[8] = {bits, (double)g->mm_p[i], (double)s, v[0], v[2], v[0] / v[2], w[0] / w[2], v[0] / w[0]};
        csv_row(all, row);
        if (g->mm_p[i] >= 3203) worst_ratio = fmin(worst_ratio, v[0] / w[0]);
      }
  csv_commit(all);
  check(as, "GV6 min Var_add/Var_mul at p >= 3203 (phi = cos, same nets)", worst_ratio, ">=", 10.0);
  static const char *bc[] = {"p", "add", "seed", "a", "pearson", "fvu", "m_test"};
  gdl_csv *bt = csv_open(as, "bitmod.csv", 7, bc);
  double mul_max = 0.0, add_min = INFINITY, thr = NAN;
  for (size_t i = 0; i < g->nbp; i++)
    for (int add = 0; add <= 1; add++)
      for (size_t s = 0; s < g->bit_reps; s++) {
        double v[4];
        need(as, PT_BITMOD, i, s, 1, 0, add, v);
        double row[7] = {(double)BITMOD_P[i], add, (double)s, v[0], v[1], v[2], v[3]};
        csv_row(bt, row);
        if (i + 1 == g->nbp) {
          if (add) add_min = fmin(add_min, v[1]);
          else { mul_max = fmax(mul_max, fabs(v[1])); thr = 5.0 / sqrt(v[3]); }
        }
      }
  csv_commit(bt);
  check(as, "GV6 bits p = 16777213: max |test Pearson|, a x", mul_max, "<=", thr);
  check(as, "GV6 bits p = 16777213: min test Pearson, x + a", add_min, ">=", 0.9);
}

/* Rank 0: every output file and the summary's rows. */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  char path[4096], fin[4096];
  assembler as = {ctx, bs, NULL, NULL, sum};
  static const char *fc[] = {"family", "phi", "slope", "se"}; /* family 1 bits, 2 scalar, 3 wave, 4 triangle, 5 sawtooth */
  as.fits = csv_open(&as, "fits.csv", 4, fc);
  gdl_bench_out_path(bs->args, "fits.gp", fin, sizeof fin);
  gdl_bench_out_path(bs->args, "fits.gp.tmp", path, sizeof path);
  if (!(as.fgp = fopen(path, "w"))) return gdl_fail(GDL_EIO, "cannot write %s", path);
  assemble_parity(&as);
  assemble_modmul(&as);
  assemble_wave(&as);
  assemble_wave_series(&as);
  assemble_fvu(&as);
  assemble_gv6(&as);
  csv_commit(as.fits);
  if (fclose(as.fgp) != 0 || rename(path, fin) != 0) return gdl_fail(GDL_EIO, "cannot write %s", fin);
  printf("GV summary: %zu failed checks (%s/summary.json)\n", gdl_summary_failed(sum), bs->args->out);
  return GDL_OK;
}

static int grid_flag(gdl_bench_args *args, int i, int argc, char **argv, void *ctx) {
  if (strcmp(argv[i], "--grid") != 0) return 0;
  const char *v = gdl_bench_value(args, i, argc, argv);
  if (strcmp(v, "same_as_test") != 0) gdl_bench_usage_error(args, "--grid: unknown grid '%s'", v);
  *(int *)ctx = 1;
  return 2;
}

int main(int argc, char **argv) {
  gdl_bench_args args;
  int tiny = 0;
  gdl_bench_parse(&args, PROG,
                  GDL_BENCH_USAGE " [--grid same_as_test]\n"
                  "  --grid same_as_test  one point of each sub-experiment that theorems.gradient_variance runs",
                  argc, argv, grid_flag, &tiny);
  static sweep_ctx c;
  grid_init(&c.g, args.full, tiny, args.seed);
  if (!(c.pts = make_points(&c.g, &c.npts))) gdl_bench_die(PROG, "points", gdl_fail(GDL_ENOMEM, "out of memory"));
  gdl_bench_sweep bs;
  gdl_bench_sweep_begin(&bs, &args, 0, &argc, &argv, "gradient_variance", tiny ? "same_as_test" : NULL, grid_json,
                        &c.g);
  gdl_bench_sweep_phase(&bs, tiny ? "gv-same" : c.g.full ? "gv-full" : "gv-quick", c.npts, cost_of, run_point, &c, NULL,
                        NULL);
  gdl_bench_sweep_finish(&bs, "GV", outputs, &c,
                         "gradient_variance_modmul,gradient_variance_wave,gradient_variance_parity,gradient_variance_fvu");
  gdl_bench_sweep_end(&bs);
  free(c.pts);
  return 0;
}
