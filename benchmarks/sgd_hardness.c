/* bench_sgd_hardness: claim SH sweep (figures sgd_hardness_fvu, sgd_hardness_variance;
 * summary.json). The runs are the experiment of experiments/sgd_hardness.{h,c}.
 *
 *   bench_sgd_hardness --out DIR [--full] [--seed N]
 *
 * (A) FVU after training on cos(2 pi gamma x_1), x ~ N(0, I_d), for the learners sh_kind
 *     (0 FCN-SGD, 1 FCN-Adam, 2 coordinate-aware Adam, 3 coordinate-aware ridge, 4 its
 *     equivariant twin: random directions, everything else the same); quick: d = 16, 3 seeds;
 *     full: FCN at d in {8, 16, 64}, 5 seeds. Configurations: sh_grid_config.
 * (B) Orbit gradient variance Var/E||g||^2 vs gamma for 3 FCN initialisations (the SH1 test's
 *     nets; exact quadrature: median, min, max), importance-sampled and uniformly sampled
 *     directions on the first net (the uniform one is the artefact), the Schur bound B(gamma, d)
 *     and the Funk-Hecke eigenvalue lambda_2 (lambda_2 <= B <= (d+2)/2 lambda_2).
 * Keyed points (gdl_exp_sweep_begin: the key is the configuration document) run by
 * gdl_sweep_run (OpenMP; under mpirun the points go to ranks by the cost estimates of
 * point_cost, gdl_sweep_set_costs); rank 0 reads them back
 * (gdl_csv_read) and writes sgd_hardness_fvu.csv (learner,d,gamma,median,min,max,nseeds),
 * sgd_hardness_variance.csv (gamma,B,exact_med,exact_min,exact_max,is,is_se,unif,unif_se,
 * unif_plot,lambda2), sgd_hardness.json (configuration from the structs, provenance) and
 * summary.json (gdl_summary). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include "experiments/sgd_hardness.h"
#include "bench_cli.h"

#define PROG "bench_sgd_hardness"
static const double GA[] = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0};
#define NGA (sizeof GA / sizeof GA[0])
static const double GV[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0};
#define NGV (sizeof GV / sizeof GV[0])
#define NINIT 3
#define NSAMPLED 2000
#define NVCOL 11
static const char *const VCOLS[NVCOL] = {"gamma", "B", "exact_med", "exact_min", "exact_max", "is",
                                         "is_se", "unif", "unif_se", "unif_plot", "lambda2"};

typedef struct { sh_kind k; size_t d, gi, rep; } fpoint;

typedef struct {
  uint64_t seed;
  size_t nd, ns;
  const size_t *ds;
  fpoint *pts;
  size_t np;
} sh_sweep;

/* ---- the configuration document (sweep key and sidecar) ---- */
static int sweep_config_json(const void *cfg, gdl_json *j) {
  const sh_sweep *x = cfg;
  GDL_TRY(gdl_json_begin_list(j, "learners"));
  for (int k = 0; k < SH_NKINDS; k++) {
    sh_config c;
    sh_config_default(&c, (sh_kind)k, NAN); /* gamma and index vary over the grid */
    GDL_TRY(gdl_json_begin(j, NULL));
    GDL_TRY(sh_config_json(&c, j));
    GDL_TRY(gdl_json_end(j));
  }
  GDL_TRY(gdl_json_end(j));
  double dd[3];
  for (size_t i = 0; i < x->nd; i++) dd[i] = (double)x->ds[i];
  GDL_TRY(gdl_json_nums(j, "d_fcn", x->nd, dd));
  GDL_TRY(gdl_json_nums(j, "gamma_fvu", NGA, GA));
  GDL_TRY(gdl_json_int(j, "seeds", (long long)x->ns));
  /* stream index of a run: weights of (learner, d, gamma index, repetition); sh_grid_config */
  static const double iw[4] = {100000, 1000, 10, 1};
  GDL_TRY(gdl_json_nums(j, "index_weights", 4, iw));
  sh_orbit_config oc;
  sh_orbit_config_default(&oc, NAN, 0);
  oc.nsampled = NSAMPLED;
  GDL_TRY(gdl_json_begin(j, "orbit"));
  GDL_TRY(sh_orbit_config_json(&oc, j));
  GDL_TRY(gdl_json_int(j, "ninit", NINIT));
  GDL_TRY(gdl_json_nums(j, "gamma_variance", NGV, GV));
  return gdl_json_end(j);
}

/* ---- points: q < NGV the gamma points of (B), then the FVU runs of (A) ---- */
static int var_point(const sh_sweep *x, gdl_sweep *s, size_t gi) {
  double ex[NINIT];
  sh_orbit_result r0;
  for (size_t k = 0; k < NINIT; k++) {
    sh_orbit_config oc;
    sh_orbit_config_default(&oc, GV[gi], k); /* the same nets as the SH1 test */
    oc.nsampled = k == 0 ? NSAMPLED : 0;
    oc.sampling_index = gi;
    sh_orbit_result r;
    GDL_TRY(sh_orbit_run(&oc, x->seed, &r));
    ex[k] = r.var_norm;
    if (k == 0) r0 = r;
  }
  gsl_sort(ex, 1, NINIT);
  double row[NVCOL] = {GV[gi], r0.B, ex[NINIT / 2], ex[0], ex[NINIT - 1], r0.is, r0.is_se, r0.unif, r0.unif_se,
                       fmax(r0.unif, 1e-40), r0.lambda2};
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, gi, "csv", path, sizeof path));
  return gdl_csv_write(path, NVCOL, VCOLS, 1, row);
}

static int point_fn(void *ctx, gdl_sweep *s, size_t q) {
  const sh_sweep *x = ctx;
  if (q < NGV) return var_point(x, s, q);
  const fpoint *p = &x->pts[q - NGV];
  sh_config c;
  GDL_TRY(sh_grid_config(p->k, p->d, GA[p->gi], p->gi, p->rep, &c));
  char path[4096];
  GDL_TRY(gdl_sweep_point_file(s, q, "csv", path, sizeof path));
  return sh_fvu_point_write(&c, x->seed, p->rep, path);
}

/* Cost estimate of point q, relative units (the ratios measured on the quick grid, one thread):
 * a gamma point of (B) ~ 1.2 + 0.8 gamma; an online run ~ samples x N x d multiply-adds; a
 * ridge fit ~ samples x N^2, about 8x faster per unit (dsyrk). Only the rank assignment and
 * the start order use it (gdl_sweep_set_costs). */
static double point_cost(const void *ctx, size_t q) {
  const sh_sweep *x = ctx;
  if (q < NGV) return 1.2 + 0.8 * GV[q];
  const fpoint *p = &x->pts[q - NGV];
  sh_config c;
  if (sh_grid_config(p->k, p->d, GA[p->gi], p->gi, p->rep, &c) != GDL_OK) return 1.0;
  double s = (double)c.samples, N = (double)c.N;
  return c.fit == SH_FIT_RIDGE ? 1.4e-10 * s * N * N : 1.1e-9 * s * N * (double)c.d;
}

/* ---- assembly (rank 0) ---- */
typedef struct {
  double mn[SH_NKINDS][NGA], mx[SH_NKINDS][NGA]; /* over seeds at d = 16; diverged = +inf */
  double var[NGV][NVCOL];
} sh_results;

/* FCN learners at every d, the coordinate-aware ones and the twin at d = 16. */
static size_t kind_nd(const sh_sweep *x, int k) { return k <= SH_FCN_ADAM ? x->nd : 1; }
static size_t kind_d(const sh_sweep *x, int k, size_t di) { return k <= SH_FCN_ADAM ? x->ds[di] : 16; }

#define MAXFROWS ((2 * 3 + SH_NKINDS - 2) * NGA) /* FCN learners at up to 3 d */

static int assemble_fvu(const sh_sweep *x, gdl_sweep *s, const gdl_bench_args *args, sh_results *res) {
  static const char *const fcols[] = {"learner", "d", "gamma", "median", "min", "max", "nseeds"};
  static double rows[MAXFROWS][7];
  char path[4096];
  size_t q = NGV, nr = 0;
  for (int k = 0; k < SH_NKINDS; k++)
    for (size_t di = 0; di < kind_nd(x, k); di++)
      for (size_t gi = 0; gi < NGA; gi++) {
        size_t d = kind_d(x, k, di);
        double v[8];
        res->mn[k][gi] = d == 16 ? INFINITY : res->mn[k][gi];
        res->mx[k][gi] = d == 16 ? -INFINITY : res->mx[k][gi];
        for (size_t r = 0; r < x->ns; r++, q++) {
          double f;
          GDL_TRY(gdl_sweep_point_file(s, q, "csv", path, sizeof path));
          GDL_TRY(sh_fvu_point_read(path, &f));
          v[r] = isfinite(f) ? f : INFINITY; /* diverged: counts as the worst */
          if (d == 16) {
            res->mn[k][gi] = fmin(res->mn[k][gi], v[r]);
            res->mx[k][gi] = fmax(res->mx[k][gi], v[r]);
          }
        }
        gsl_sort(v, 1, x->ns);
        double row[7] = {(double)k, (double)d, GA[gi], v[x->ns / 2], v[0], v[x->ns - 1], (double)x->ns};
        memcpy(rows[nr++], row, sizeof row);
      }
  gdl_bench_out_path(args, "sgd_hardness_fvu.csv", path, sizeof path);
  return gdl_csv_write(path, 7, fcols, nr, &rows[0][0]);
}

static int assemble_var(gdl_sweep *s, const gdl_bench_args *args, sh_results *res) {
  char path[4096];
  for (size_t gi = 0; gi < NGV; gi++) {
    gdl_table t = {0};
    GDL_TRY(gdl_sweep_point_file(s, gi, "csv", path, sizeof path));
    GDL_TRY(gdl_csv_read(path, &t));
    int ok = t.nrows == 1 && t.ncols == NVCOL;
    if (ok) memcpy(res->var[gi], t.v, sizeof res->var[gi]);
    gdl_table_free(&t);
    if (!ok) return gdl_fail(GDL_EPARSE, "%s: expected one row of %d columns", path, NVCOL);
  }
  gdl_bench_out_path(args, "sgd_hardness_variance.csv", path, sizeof path);
  return gdl_csv_write(path, NVCOL, VCOLS, NGV, &res->var[0][0]);
}

static size_t gv_index(double g) {
  for (size_t i = 0; i < NGV; i++)
    if (fabs(GV[i] - g) < 1e-9) return i;
  return 0;
}

/* SH1 rows: bound, monotonicity, decay, the uniform-sampling artefact, tightness. */
static int summary_sh1(gdl_summary *sm, const sh_results *r) {
  double worst = 0, tmin = INFINITY, tmax = 0, lmin = INFINITY, lmax = 0;
  int decr = 1;
  for (size_t gi = 0; gi < NGV; gi++) {
    const double *v = r->var[gi];
    worst = fmax(worst, v[4] / v[1]);
    tmin = fmin(tmin, v[1] / v[4]);
    tmax = fmax(tmax, v[1] / v[3]);
    lmin = fmin(lmin, v[1] / v[10]);
    lmax = fmax(lmax, v[1] / v[10]);
    /* Var -> 0 as gamma -> 0 (the class degenerates to the constant 1): the variance rises up
     * to gamma ~ 0.2 and decreases from there; checked on the median over inits. */
    if (gi > 0 && GV[gi - 1] >= 0.2 - 1e-9 && !(v[2] < r->var[gi - 1][2])) decr = 0;
  }
  GDL_TRY(gdl_summary_check(sm, "SH1", "max over gamma in [0.1, 4] and 3 inits of Var/(E||g||^2 B(gamma,16))", worst,
                            "<", 1.0, worst < 1.0));
  GDL_TRY(gdl_summary_check(sm, "SH1", "Var/E||g||^2 (median over inits) strictly decreasing in gamma on [0.2, 4]",
                            (double)decr, ">=", 1.0, decr));
  double r1 = r->var[gv_index(1.0)][4] / r->var[gv_index(0.5)][3];
  GDL_TRY(gdl_summary_check(sm, "SH1", "Var(1)/Var(0.5) (max/min over inits)", r1, "<", 1e-4, r1 < 1e-4));
  double ru = r->var[gv_index(2.0)][7] / r->var[gv_index(2.0)][2];
  GDL_TRY(gdl_summary_check(sm, "SH1",
                            "uniform direction sampling at gamma 2 underestimates the exact variance (ratio uniform/exact; the artefact)",
                            ru, "<", 1.0, ru < 1.0));
  GDL_TRY(gdl_summary_check(sm, "SH1", "tightness: min over gamma and inits of B/(Var/E||g||^2)", tmin, ">", 1.0,
                            tmin > 1.0));
  GDL_TRY(gdl_summary_check(sm, "SH1", "tightness: max over gamma and inits of B/(Var/E||g||^2)", tmax, ">", 1.0,
                            tmax > 1.0));
  GDL_TRY(gdl_summary_check(sm, "SH1", "min over gamma of B/lambda_2 (Funk-Hecke; >= 1)", lmin, ">=", 1.0 - 1e-9,
                            lmin >= 1.0 - 1e-9));
  return gdl_summary_check(sm, "SH1", "max over gamma of B/lambda_2 (<= (d+2)/2 = 9)", lmax, "<=", 9.0 * (1 + 1e-9),
                           lmax <= 9.0 * (1 + 1e-9));
}

/* SH2 rows at d = 16 (min/max over seeds). */
static int summary_sh2(gdl_summary *sm, const sh_results *r) {
  char chk[200];
  for (size_t gi = 0; gi < NGA; gi++) {
    double g = GA[gi];
    if (g == 0.25)
      GDL_TRY(gdl_summary_check(sm, "SH2", "FCN-Adam learns gamma 0.25 (max FVU over seeds, d=16)",
                                r->mx[SH_FCN_ADAM][gi], "<", 0.2, r->mx[SH_FCN_ADAM][gi] < 0.2));
    if (g == 1.0 || g == 2.0)
      for (int l = SH_FCN_SGD; l <= SH_FCN_ADAM; l++) {
        snprintf(chk, sizeof chk, "%s fails gamma %g (min FVU over seeds, d=16)", sh_kind_name((sh_kind)l), g);
        GDL_TRY(gdl_summary_check(sm, "SH2", chk, r->mn[l][gi], ">", 0.9, r->mn[l][gi] > 0.9));
      }
    if (g == 1.0 || g == 1.5) {
      snprintf(chk, sizeof chk, "coord-Adam learns gamma %g (max FVU)", g);
      GDL_TRY(gdl_summary_check(sm, "SH2", chk, r->mx[SH_E1_ADAM][gi], "<", 0.2, r->mx[SH_E1_ADAM][gi] < 0.2));
    }
    if (g >= 1.5) {
      snprintf(chk, sizeof chk, "coord-ridge learns gamma %g (max FVU)", g);
      GDL_TRY(gdl_summary_check(sm, "SH2", chk, r->mx[SH_E1_RIDGE][gi], "<", 0.2, r->mx[SH_E1_RIDGE][gi] < 0.2));
      snprintf(chk, sizeof chk, "rand-ridge (equivariant twin of coord-ridge) fails gamma %g (min FVU)", g);
      GDL_TRY(gdl_summary_check(sm, "SH2", chk, r->mn[SH_RAND_RIDGE][gi], ">", 0.9, r->mn[SH_RAND_RIDGE][gi] > 0.9));
    }
    double fcn = fmin(r->mn[SH_FCN_SGD][gi], r->mn[SH_FCN_ADAM][gi]);
    if (g == 1.0)
      GDL_TRY(gdl_summary_check(sm, "SH2", "gap FVU_FCN - FVU_coord-Adam at gamma 1", fcn - r->mx[SH_E1_ADAM][gi], ">",
                                0.6, fcn - r->mx[SH_E1_ADAM][gi] > 0.6));
    if (g == 2.0)
      GDL_TRY(gdl_summary_check(sm, "SH2", "gap FVU_FCN - FVU_coord-ridge at gamma 2", fcn - r->mx[SH_E1_RIDGE][gi],
                                ">", 0.6, fcn - r->mx[SH_E1_RIDGE][gi] > 0.6));
  }
  return GDL_OK;
}

/* rank 0: the assembled CSVs and the summary rows */
static int outputs(gdl_bench_sweep *bs, gdl_summary *sm, void *ctx) {
  static sh_results res;
  GDL_TRY(assemble_fvu(ctx, bs->sw, bs->args, &res));
  GDL_TRY(assemble_var(bs->sw, bs->args, &res));
  GDL_TRY(summary_sh1(sm, &res));
  GDL_TRY(summary_sh2(sm, &res));
  printf("sgd_hardness: results in %s\n", bs->args->out);
  return GDL_OK;
}

/* the grid: the gamma points of (B), then the FVU runs of (A) per learner, d, gamma, seed */
static fpoint PTS[(2 * 3 + SH_NKINDS - 2) * NGA * 5];
static sh_sweep X = {.pts = PTS};
static size_t grid(const gdl_bench_args *a) {
  static const size_t dq[] = {16}, dfull[] = {8, 16, 64};
  X = (sh_sweep){.seed = a->seed, .nd = a->full ? 3 : 1, .ns = a->full ? 5 : 3, .ds = a->full ? dfull : dq, .pts = PTS};
  for (int k = 0; k < SH_NKINDS; k++)
    for (size_t di = 0; di < kind_nd(&X, k); di++)
      for (size_t gi = 0; gi < NGA; gi++)
        for (size_t r = 0; r < X.ns; r++) X.pts[X.np++] = (fpoint){(sh_kind)k, kind_d(&X, k, di), gi, r};
  return NGV + X.np;
}

static const gdl_bench_program PROGRAM = {
    .prog = PROG, .family = "sgd_hardness", .sweep = {"sh-quick", "sh-full"}, .claims = "SH",
    .figures = "sgd_hardness_fvu.png,sgd_hardness_variance.png", .grid = grid, .cfg_json = sweep_config_json,
    .cfg = &X, .ctx = &X, .cost = point_cost, .point = point_fn, .outputs = outputs};

int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
