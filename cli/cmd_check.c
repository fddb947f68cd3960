/* gdlimits check: one claim's experiment at the user's parameters, through the experiment
 * code the theorem tests use (experiments/<family>.h): the family's default configuration,
 * with only the fields given on the command line changed; prints measured vs predicted with
 * the margin (gdl_fmt_check) and PASS/FAIL, and with --json the configuration document
 * (gdl_exp_doc), the flags given, the checks and the provenance (atomic write). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "cli.h"
#include "experiments/equivariance.h"
#include "experiments/gradient_variance.h"
#include "experiments/noisy_gd.h"
#include "experiments/sgd_hardness.h"
#include "experiments/staircase.h"
#include "gdl/gdl.h"

#define CMD "check"

enum { C_NG = 1, C_GV = 2, C_SH = 4, C_EQ = 8, C_MS = 16 };
enum { F_N, F_K, F_DEPTH, F_WIDTH, F_STEPS, F_LR, F_TAU, F_RUNS, F_REPS, F_CLASS, F_P, F_A, F_D, F_GAMMA,
       F_GROUP, F_ALGO, F_POLY, F_DS, F_LEARNER, F_SAMPLES, F_SEED, F_JSON, NF };

typedef struct { const char *name; unsigned claims; } flag_def;
static const flag_def flag_defs[NF] = {
    {"--n", C_NG | C_GV | C_EQ}, {"--k", C_NG | C_GV},     {"--depth", C_NG | C_GV | C_EQ},
    {"--width", C_NG | C_GV | C_SH | C_EQ | C_MS},         {"--steps", C_NG | C_EQ | C_MS},
    {"--lr", C_NG | C_EQ | C_MS}, {"--tau", C_NG | C_EQ},  {"--runs", C_NG},
    {"--reps", C_GV | C_SH | C_EQ | C_MS},                 {"--class", C_GV},
    {"--p", C_GV},               {"--A", C_GV},            {"--d", C_SH},
    {"--gamma", C_SH},           {"--group", C_EQ},        {"--algo", C_EQ},
    {"--poly", C_MS},            {"--ds", C_MS},           {"--learner", C_SH},
    {"--samples", C_SH},         {"--seed", C_NG | C_GV | C_SH | C_EQ | C_MS},
    {"--json", C_NG | C_GV | C_SH | C_EQ | C_MS},
};

#define MAXCHK 256 /* >= 20 degrees x 10 replicates */
typedef struct {
  char name[64];
  double measured, bound;
  const char *rel;
  int pass;
} check_item;

typedef struct {
  const char *claim;
  unsigned mask;
  const char *v[NF];
  uint64_t seed;
  size_t reps;
  size_t nchk;
  check_item chk[MAXCHK];
} ck_opts;

static void usage(FILE *f) {
  fprintf(f,
          "usage: gdlimits check CLAIM [flags]\n"
          "\n"
          "Runs one claim's experiment at your parameters with the experiment code of the theorem tests\n"
          "(the family's default configuration; only the flags you give change it) and prints measured vs\n"
          "predicted with the margin and PASS/FAIL. A flag that does not apply to CLAIM is an error.\n"
          "\n"
          "claims:\n"
          "  NG   noisy GD on the parity chi_{1..k} on n bits: mean|corr| + 4 SE <= the noisy-GD bound\n"
          "       (junk sum at -4 SE), and the same for the learnable control x1\n"
          "       flags: --n [10] --k [n/2] --depth [2] --width [8] --steps [300; 150 at depth >= 3]\n"
          "              --lr [0.5] --tau [0.1] --runs R (real and junk runs) [10 and 6]; a --width\n"
          "              other than 8 sets box 1/width (|f| <= 1); --steps not a multiple of 5 gives the\n"
          "              exact gradient-profile sum (every step) instead of every 5th step\n"
          "  GV   class-gradient variance of a random MLP vs the explicit bound (Var <= bound)\n"
          "       flags: --class parity|modmul|wave [parity] --width [parity 32, modmul 64, wave 32]\n"
          "              parity: --n [16] --k (one degree; default every degree 1..n) --depth 2|3 [2]\n"
          "              modmul: --p prime [the family default]   wave: --A lowest frequency [default]\n"
          "              --reps R nets [1]\n"
          "  SH   orbit variance Var/E||g||^2 of the FCN at init vs the Schur bound B(gamma, d)\n"
          "       flags: --d [16] --gamma [4] --width N [the family default] --reps R nets [1]\n"
          "       with --learner L: the test FVU of learner L trained on cos(2 pi gamma x1) instead:\n"
          "       fcn-sgd, fcn-adam and the equivariant twin rand-ridge fail (FVU > 0.9, needs gamma >= 1),\n"
          "       the coordinate-aware coord-adam and coord-ridge learn (FVU < 0.2); --samples [family]\n"
          "  EQ   equivariance error max|f_B(gx) - f_A(x)| of a pair of training runs under a group:\n"
          "       <= 1e-9 when the algorithm is equivariant, > 1e-4 for the coordinatewise controls\n"
          "       under O(d); flags: --group Bn|Od [Bn] --algo gd|sgd|noisy|adam|coordclip [gd]\n"
          "              --depth 2..4 [2] --n --width --steps --lr --tau (noisy) [the family default]\n"
          "              --reps R runs [1]\n"
          "  MS   hitting time T(d) (test FVU <= 0.1) of the two-layer mean-field net on the polynomial --poly,\n"
          "       slope of log T vs log d in the predicted interval: slope max(leap - 1, 1), +- 0.25 (leap 1),\n"
          "       +- 0.3 (leap 2), +- 0.2 slope (leap >= 3; the intervals of theorems/staircase.md for\n"
          "       d = 32..256, narrower d ranges are noisier); a run not hit within its budget is censored:\n"
          "       none allowed for leap <= 2, none at d below the mean log d for leap >= 3\n"
          "       flags: --poly P [x1 + x1*x2 + x1*x2*x3 + x1*x2*x3*x4] --ds D1,D2,... [16,32,64]\n"
          "              --width [64] --lr (mean-field lr, step lr/d) [0.5] --reps R runs per d [2]\n"
          "              --steps C budget C d^slope steps per run [300]\n"
          "\n"
          "  --seed S      base seed                                  [GDL_SEED or %llu]\n"
          "  --json FILE   write configuration, flags, checks and provenance as JSON (atomic)\n"
          "  --help        this text\n"
          "Exit status: 0 every check passed, 1 a check failed or a runtime failure, 2 bad flag or value.\n",
          (unsigned long long)GDL_DEFAULT_SEED);
}

/* ---- flag values ---- */
static int get_size(const ck_opts *o, int f, size_t lo, size_t hi, size_t *out) {
  if (!o->v[f]) return 0;
  if (gdl_args_size(o->v[f], lo, hi, out))
    return cli_usage_error(CMD, "%s '%s': expected an integer in [%zu, %zu]", flag_defs[f].name, o->v[f], lo, hi);
  return 0;
}

static int get_double(const ck_opts *o, int f, double lo, double hi, double *out) {
  if (!o->v[f]) return 0;
  if (gdl_args_double(o->v[f], lo, hi, out))
    return cli_usage_error(CMD, "%s '%s': expected a number in [%g, %g]", flag_defs[f].name, o->v[f], lo, hi);
  return 0;
}

static void add_check(ck_opts *o, const char *name, double measured, const char *rel, double bound) {
  if (o->nchk >= MAXCHK) return;
  check_item *c = &o->chk[o->nchk++];
  snprintf(c->name, sizeof c->name, "%s", name);
  c->measured = measured;
  c->rel = rel;
  c->bound = bound;
  if (!strcmp(rel, "<=")) c->pass = measured <= bound;
  else if (!strcmp(rel, "<")) c->pass = measured < bound;
  else if (!strcmp(rel, ">=")) c->pass = measured >= bound;
  else c->pass = measured > bound;
  if (!isfinite(measured) || !isfinite(bound)) c->pass = 0;
}

/* Prints the checks; writes the JSON document when --json was given. Exit status. */
static int report(ck_opts *o, const char *family, gdl_exp_config_fn fn, const void *cfg) {
  int failed = 0;
  char line[512];
  for (size_t i = 0; i < o->nchk; i++) {
    const check_item *c = &o->chk[i];
    printf("%s %s\n", c->pass ? "PASS" : "FAIL", gdl_fmt_check(line, sizeof line, c->name, c->measured, c->rel, c->bound));
    failed += !c->pass;
  }
  printf("%s: %zu checks, %d failed (seed %llu)\n", o->claim, o->nchk, failed, (unsigned long long)o->seed);
  if (o->v[F_JSON]) {
    gdl_json *doc = NULL;
    int rc;
    GDL_TRY_CLEANUP(gdl_exp_doc(family, "check", o->seed, fn, cfg, &doc));
    GDL_TRY_CLEANUP(gdl_json_str(doc, "claim", o->claim));
    GDL_TRY_CLEANUP(gdl_json_begin(doc, "flags"));
    for (int f = 0; f < NF; f++)
      if (o->v[f] && f != F_JSON) GDL_TRY_CLEANUP(gdl_json_str(doc, flag_defs[f].name + 2, o->v[f]));
    GDL_TRY_CLEANUP(gdl_json_end(doc));
    GDL_TRY_CLEANUP(gdl_json_begin_list(doc, "checks"));
    for (size_t i = 0; i < o->nchk; i++) {
      const check_item *c = &o->chk[i];
      double margin = c->rel[0] == '<' ? c->bound - c->measured : c->measured - c->bound;
      GDL_TRY_CLEANUP(gdl_json_begin(doc, NULL));
      GDL_TRY_CLEANUP(gdl_json_str(doc, "check", c->name));
      GDL_TRY_CLEANUP(gdl_json_num(doc, "measured", c->measured));
      GDL_TRY_CLEANUP(gdl_json_str(doc, "relation", c->rel));
      GDL_TRY_CLEANUP(gdl_json_num(doc, "bound", c->bound));
      GDL_TRY_CLEANUP(gdl_json_num(doc, "margin", margin));
      GDL_TRY_CLEANUP(gdl_json_bool(doc, "pass", c->pass));
      GDL_TRY_CLEANUP(gdl_json_str(doc, "text", gdl_fmt_check(line, sizeof line, c->name, c->measured, c->rel, c->bound)));
      GDL_TRY_CLEANUP(gdl_json_end(doc));
    }
    GDL_TRY_CLEANUP(gdl_json_end(doc));
    GDL_TRY_CLEANUP(gdl_json_int(doc, "checks_failed", failed));
    GDL_TRY_CLEANUP(gdl_json_provenance(doc, o->seed));
    GDL_TRY_CLEANUP(gdl_json_write(doc, o->v[F_JSON]));
  cleanup:
    gdl_json_free(doc);
    if (rc != GDL_OK) return cli_lib_error(CMD, rc);
  }
  return failed ? 1 : 0;
}

/* ---- NG ---- */
static int run_ng(ck_opts *o) {
  size_t n = 10, depth = 2, k, width, steps, runs = 0;
  int st;
  if ((st = get_size(o, F_N, 2, 18, &n)) || (st = get_size(o, F_DEPTH, 2, 4, &depth))) return st;
  noisy_gd_config c;
  noisy_gd_config_default(&c, (unsigned)n, depth);
  k = c.k;
  width = c.net.width;
  steps = c.net.steps;
  if ((st = get_size(o, F_K, 1, n, &k)) || (st = get_size(o, F_WIDTH, 1, 1024, &width)) ||
      (st = get_size(o, F_STEPS, 1, 1000000, &steps)) || (st = get_double(o, F_LR, 1e-9, 100, &c.net.lr)) ||
      (st = get_double(o, F_TAU, 1e-6, 1e6, &c.net.tau)) || (st = get_size(o, F_RUNS, 2, 100000, &runs)))
    return st;
  c.k = (unsigned)k;
  if (width != c.net.width) { c.net.width = width; c.net.box = 1.0 / (double)width; } /* keeps |f| <= 1 */
  c.net.steps = steps;
  if (steps % c.stride) c.stride = 1; /* the profile at every step: the exact sum */
  if (runs) { c.nreal = (int)runs; c.njunk = (int)runs; }
  gdl_progress("gdlimits check NG", 0, 1);
  noisy_gd_result r;
  int rc = noisy_gd_run(&c, o->seed, &r);
  gdl_progress_done();
  if (rc != GDL_OK) return cli_lib_error(CMD, rc);
  printf("NG: n %u, k %u, depth %zu, width %zu, T %zu, lr %g, tau %g, %d real / %d control / %d junk runs, %.2f s\n",
         c.net.n, c.k, c.net.depth, c.net.width, c.net.steps, c.net.lr, c.net.tau, c.nreal, c.nctl, c.njunk, r.seconds);
  printf("NG: mean|corr| %.4g +- %.2g (max %.4g), sqrt(lambda) %.4g, sumG %.4g +- %.2g, bound %.4g [%.4g, %.4g]\n",
         r.mean_abs, r.se_abs, r.max_abs, sqrt(r.lambda), r.sumG_mean, r.sumG_se, r.bound, r.bound_lo, r.bound_hi);
  char name[64];
  snprintf(name, sizeof name, "NG_bound_n%u_k%u_depth%zu", c.net.n, c.k, c.net.depth);
  add_check(o, name, r.mean_abs + NG_NSTD * r.se_abs, "<=", r.bound_lo);
  if (c.nctl > 0) {
    snprintf(name, sizeof name, "NG_bound_control_x1_depth%zu", c.net.depth);
    add_check(o, name, r.mean_ctl + NG_NSTD * r.se_ctl, "<=", r.bound1_lo);
  }
  return report(o, "noisy_gd", noisy_gd_config_json, &c);
}

/* ---- GV ---- */
static int gv_width(ck_opts *o, gv_net_config *net) {
  size_t w = net->hidden[0];
  int st = get_size(o, F_WIDTH, 1, 65536, &w);
  net->hidden[0] = w;
  return st;
}

static int run_gv_parity(ck_opts *o) {
  size_t n = 16, depth = 2, k = 0;
  int st;
  if ((st = get_size(o, F_N, 1, 20, &n)) || (st = get_size(o, F_DEPTH, 2, 3, &depth)) ||
      (st = get_size(o, F_K, 1, n, &k)))
    return st;
  gv_parity_config c;
  gv_parity_config_depth(&c, (unsigned)n, (int)depth);
  if ((st = gv_width(o, &c.net))) return st;
  printf("GV: parities of degree %s on {-1,1}^%zu (all 2^n points), net %zu-%zu%s-1 %s, %zu net(s)\n",
         k ? o->v[F_K] : "1..n", n, n, c.net.hidden[0], c.net.nhidden > 1 ? "-.." : "", gdl_act_name(c.net.act), o->reps);
  for (size_t rep = 0; rep < o->reps; rep++) {
    gdl_progress("gdlimits check GV", rep, o->reps);
    gdl_var_result res[GV_PARITY_MAXN + 1];
    int rc = gv_parity_run(&c, o->seed, rep, res);
    if (rc != GDL_OK) { gdl_progress_done(); return cli_lib_error(CMD, rc); }
    for (size_t j = k ? k : 1; j <= (k ? k : n); j++) {
      char name[64];
      snprintf(name, sizeof name, "GV_parity_n%zu_k%zu_rep%zu", n, j, rep);
      add_check(o, name, res[j].var, "<=", res[j].bound);
    }
  }
  gdl_progress_done();
  return report(o, "gradient_variance", gv_parity_config_json, &c);
}

/* GV --class modmul (kind 1) or wave (kind 2): o->reps nets, one check Var <= bound each. */
static int run_gv_single(ck_opts *o, int kind) {
  gv_modmul_config m;
  gv_wave_config w;
  gv_modmul_config_default(&m);
  gv_wave_config_default(&w);
  uint64_t p = m.p;
  int st;
  char base[64]; /* the check name before _rep<rep> */
  if (kind == 1) {
    if (o->v[F_P] && (gdl_args_u64(o->v[F_P], &p) || p < 5 || p > ((uint64_t)1 << 24) || !gdl_is_prime(p)))
      return cli_usage_error(CMD, "--p '%s': expected a prime in [5, 2^24]", o->v[F_P]);
    m.p = p;
    if ((st = gv_width(o, &m.net))) return st;
    printf("GV: {phi(a x mod p): a in Z_p^*}, p %llu, %s encoding, hidden width %zu %s, %zu net(s)\n",
           (unsigned long long)m.p, m.bits ? "bits" : "scalar", m.net.hidden[0], gdl_act_name(m.net.act), o->reps);
    snprintf(base, sizeof base, "GV_modmul_p%llu", (unsigned long long)m.p);
  } else {
    if ((st = get_double(o, F_A, 1e-3, 4096, &w.A)) || (st = gv_width(o, &w.net))) return st;
    printf("GV: {psi(a x): a ~ U[A, 2A]}, x ~ N(0,1), A %g, net 1-%zu-1 %s, %zu net(s)\n", w.A, w.net.hidden[0],
           gdl_act_name(w.net.act), o->reps);
    snprintf(base, sizeof base, "GV_wave_A%g", w.A);
  }
  for (size_t rep = 0; rep < o->reps; rep++) {
    gdl_progress("gdlimits check GV", rep, o->reps);
    gv_modmul_result rm = {0};
    gv_wave_result rw = {0};
    int rc = kind == 1 ? gv_modmul_run(&m, o->seed, rep, &rm) : gv_wave_run(&w, o->seed, rep, &rw);
    if (rc != GDL_OK) { gdl_progress_done(); return cli_lib_error(CMD, rc); }
    char name[96];
    snprintf(name, sizeof name, "%s_rep%zu", base, rep);
    add_check(o, name, kind == 1 ? rm.var : rw.var, "<=", kind == 1 ? rm.bound : rw.bound);
  }
  gdl_progress_done();
  return kind == 1 ? report(o, "gradient_variance", gv_modmul_config_json, &m)
                   : report(o, "gradient_variance", gv_wave_config_json, &w);
}

static int run_gv(ck_opts *o) {
  const char *cls = o->v[F_CLASS] ? o->v[F_CLASS] : "parity";
  int kind = !strcmp(cls, "parity") ? 0 : !strcmp(cls, "modmul") ? 1 : !strcmp(cls, "wave") ? 2 : -1;
  if (kind < 0) return cli_usage_error(CMD, "--class '%s': expected parity, modmul or wave", cls);
  /* flags of another class are refused, not ignored */
  if (kind != 0 && (o->v[F_N] || o->v[F_K] || o->v[F_DEPTH]))
    return cli_usage_error(CMD, "%s only applies to GV --class parity",
                           o->v[F_N] ? "--n" : o->v[F_K] ? "--k" : "--depth");
  if (kind != 1 && o->v[F_P]) return cli_usage_error(CMD, "--p only applies to GV --class modmul");
  if (kind != 2 && o->v[F_A]) return cli_usage_error(CMD, "--A only applies to GV --class wave");
  return kind == 0 ? run_gv_parity(o) : run_gv_single(o, kind);
}

/* ---- SH ---- */
/* SH with --learner: one training run of the family's learner, its test FVU. */
static int run_sh_fvu(ck_opts *o, double gamma) {
  static const char *names[SH_NKINDS] = {"fcn-sgd", "fcn-adam", "coord-adam", "coord-ridge", "rand-ridge"};
  int k = -1;
  for (int i = 0; i < SH_NKINDS; i++)
    if (!strcmp(o->v[F_LEARNER], names[i])) k = i;
  if (k < 0)
    return cli_usage_error(CMD, "--learner '%s': expected fcn-sgd, fcn-adam, coord-adam, coord-ridge or rand-ridge",
                           o->v[F_LEARNER]);
  int hard = k == SH_FCN_SGD || k == SH_FCN_ADAM || k == SH_RAND_RIDGE;
  if (hard && gamma < 1)
    return cli_usage_error(CMD, "--gamma %g: below 1 the claim predicts no failure of %s", gamma, names[k]);
  sh_config c;
  sh_config_default(&c, (sh_kind)k, gamma);
  int st;
  if ((st = get_size(o, F_D, 2, 4096, &c.d)) || (st = get_size(o, F_WIDTH, 1, 65536, &c.N)) ||
      (st = get_size(o, F_SAMPLES, c.batch, 100000000, &c.samples)))
    return st;
  for (size_t rep = 0; rep < o->reps; rep++) {
    gdl_progress("gdlimits check SH", rep, o->reps);
    c.index = rep;
    sh_result r;
    int rc = sh_run(&c, o->seed, &r);
    if (rc != GDL_OK) { gdl_progress_done(); return cli_lib_error(CMD, rc); }
    printf("SH: %s, d %zu, N %zu, gamma %g, %zu samples: test FVU %.4f\n", names[k], c.d, c.N, gamma, c.samples, r.fvu);
    char name[64];
    snprintf(name, sizeof name, "SH_FVU_%s_gamma%g_rep%zu", names[k], gamma, rep);
    add_check(o, name, r.fvu, hard ? ">" : "<", hard ? 0.9 : 0.2);
  }
  gdl_progress_done();
  c.index = 0;
  return report(o, "sgd_hardness", sh_config_json, &c);
}

static int run_sh(ck_opts *o) {
  double gamma = 4.0;
  int st;
  if ((st = get_double(o, F_GAMMA, 1e-3, 1e4, &gamma))) return st;
  if (o->v[F_LEARNER]) return run_sh_fvu(o, gamma);
  if (o->v[F_SAMPLES]) return cli_usage_error(CMD, "--samples only applies to SH with --learner");
  sh_orbit_config c;
  sh_orbit_config_default(&c, gamma, 0);
  if ((st = get_size(o, F_D, 2, 4096, &c.net.d)) || (st = get_size(o, F_WIDTH, 1, 65536, &c.net.N))) return st;
  for (size_t rep = 0; rep < o->reps; rep++) {
    gdl_progress("gdlimits check SH", rep, o->reps);
    c.net.index = rep;
    sh_orbit_result r;
    int rc = sh_orbit_run(&c, o->seed, &r);
    if (rc != GDL_OK) { gdl_progress_done(); return cli_lib_error(CMD, rc); }
    printf("SH: d %zu, N %zu, gamma %g: Var/E||g||^2 %.4e, lambda_2 %.4e, B %.4e\n", c.net.d, c.net.N, gamma,
           r.var_norm, r.lambda2, r.B);
    char name[64];
    snprintf(name, sizeof name, "SH_orbit_d%zu_gamma%g_rep%zu", c.net.d, gamma, rep);
    add_check(o, name, r.var_norm, "<=", r.B);
  }
  gdl_progress_done();
  c.net.index = 0;
  return report(o, "sgd_hardness", sh_orbit_config_json, &c);
}

/* ---- EQ ---- */
static int eq_parse(ck_opts *o, eq1_config *c) {
  static const char *algos[EQ_NALGOS] = {"gd", "sgd", "noisy", "adam", "coordclip"};
  const char *g = o->v[F_GROUP] ? o->v[F_GROUP] : "Bn";
  eq_setup s;
  if (!strcmp(g, "Bn")) s = EQ_CUBE_BN;
  else if (!strcmp(g, "Od")) s = EQ_GAUSS_OD;
  else return cli_usage_error(CMD, "--group '%s': expected Bn or Od", g);
  const char *an = o->v[F_ALGO] ? o->v[F_ALGO] : "gd";
  int a = -1;
  for (int i = 0; i < EQ_NALGOS; i++)
    if (!strcmp(an, algos[i])) a = i;
  if (a < 0) return cli_usage_error(CMD, "--algo '%s': expected gd, sgd, noisy, adam or coordclip", an);
  if (o->v[F_TAU] && a != EQ_NOISY) return cli_usage_error(CMD, "--tau only applies to EQ --algo noisy");
  size_t depth = 2;
  int st;
  if ((st = get_size(o, F_DEPTH, 2, 4, &depth))) return st;
  eq1_config_default(c, s, (eq_algo)a, depth);
  /* --n >= 5: the family's target uses x1..x5 */
  if ((st = get_size(o, F_N, 5, 4096, &c->n)) || (st = get_size(o, F_WIDTH, 1, 65536, &c->width)) ||
      (st = get_size(o, F_STEPS, 1, 1000000, &c->steps)))
    return st;
  double *lr = a == EQ_ADAM ? &c->lr_adam : &c->lr;
  if ((st = get_double(o, F_LR, 1e-9, 100, lr)) || (st = get_double(o, F_TAU, 0, 1e6, &c->noise_tau))) return st;
  return 0;
}

static int run_eq(ck_opts *o) {
  eq1_config c;
  int st = eq_parse(o, &c);
  if (st) return st;
  int expect = eq1_expect_equivariant(c.setup, c.algo);
  uint64_t index0 = c.index;
  for (size_t rep = 0; rep < o->reps; rep++) {
    gdl_progress("gdlimits check EQ", rep, o->reps);
    c.index = index0 + 100000 * rep;
    double err = NAN;
    int rc = eq1_run(&c, o->seed, NULL, &err);
    if (rc != GDL_OK) { gdl_progress_done(); return cli_lib_error(CMD, rc); }
    printf("EQ: %s %s depth %zu, n %zu, width %zu, %zu steps: max |f_B(gx) - f_A(x)| = %.3e (%s)\n",
           eq_setup_name(c.setup), eq_algo_name(c.algo), c.depth, c.n, c.width, c.steps, err,
           expect ? "equivariant: predicted <= 1e-9" : "control: predicted > 1e-4");
    char name[64];
    snprintf(name, sizeof name, "EQ_%s_%s_depth%zu_rep%zu", eq_setup_name(c.setup), eq_algo_name(c.algo), c.depth, rep);
    add_check(o, name, err, expect ? "<=" : ">", expect ? 1e-9 : 1e-4);
  }
  gdl_progress_done();
  c.index = index0;
  return report(o, "equivariance", eq1_config_json, &c);
}

/* ---- MS ---- */
typedef struct {
  staircase_config c;
  size_t ds[16], nd, leap;
  double pred, tol;
} ms_plan;

/* The polynomial, its leap and the predicted slope; the d list; the config fields. */
static int ms_parse(ck_opts *o, ms_plan *m) {
  staircase_config_default(&m->c);
  const char *text = o->v[F_POLY] ? o->v[F_POLY] : m->c.target;
  gdl_poly *p = NULL;
  size_t nv = 0;
  if (gdl_poly_parse(text, &p) != GDL_OK) return cli_usage_error(CMD, "--poly '%s': %s", text, gdl_strerror_last());
  nv = gdl_poly_nvars(p);
  int rc = gdl_poly_leap(p, &m->leap, NULL);
  gdl_poly_free(p);
  if (rc != GDL_OK) return cli_usage_error(CMD, "--poly '%s': %s", text, gdl_strerror_last());
  if (nv == 0) return cli_usage_error(CMD, "--poly '%s': a constant has no hitting time", text);
  m->c.target = text;
  m->pred = m->leap <= 2 ? 1.0 : (double)(m->leap - 1);
  m->tol = m->leap <= 1 ? 0.25 : m->leap == 2 ? 0.3 : 0.2 * m->pred;
  const char *ds = o->v[F_DS] ? o->v[F_DS] : "16,32,64";
  if (gdl_args_size_list(ds, nv > 2 ? nv : 2, 4096, 16, m->ds, &m->nd) || m->nd < 2)
    return cli_usage_error(CMD, "--ds '%s': expected 2 to 16 dimensions in [%zu, 4096] (the polynomial uses x1..x%zu)", ds,
                           nv > 2 ? nv : 2, nv);
  for (size_t i = 1; i < m->nd; i++)
    if (m->ds[i] == m->ds[0]) return cli_usage_error(CMD, "--ds '%s': needs at least two different dimensions", ds);
  size_t cmul = 300;
  int st;
  if ((st = get_size(o, F_WIDTH, 1, 65536, &m->c.width)) || (st = get_double(o, F_LR, 1e-9, 100, &m->c.lr_mf)) ||
      (st = get_size(o, F_STEPS, 1, 1000000, &cmul)))
    return st;
  if (!o->v[F_REPS]) o->reps = 2;
  if (m->nd * o->reps < 3)
    return cli_usage_error(CMD, "--reps %zu with %zu dimensions in --ds: the slope fit needs at least 3 runs", o->reps, m->nd);
  m->c.budget = cmul; /* times d^pred per run (ms_run) */
  m->c.purpose = "check.ms";
  return 0;
}

static int run_ms(ck_opts *o) {
  ms_plan *m = calloc(1, sizeof *m);
  double *x = NULL, *y = NULL;
  int st = 0, rc = GDL_OK;
  if (!m) return cli_lib_error(CMD, gdl_fail(GDL_ENOMEM, "out of memory"));
  if ((st = ms_parse(o, m))) { free(m); return st; }
  size_t nrun = m->nd * o->reps, k = 0, cens = 0, cens_low = 0, cmul = m->c.budget;
  double mean_log_d = 0;
  for (size_t i = 0; i < m->nd; i++) mean_log_d += log((double)m->ds[i]) / (double)m->nd;
  x = malloc(nrun * sizeof *x);
  y = malloc(nrun * sizeof *y);
  if (!x || !y) rc = gdl_fail(GDL_ENOMEM, "out of memory");
  for (size_t i = 0; i < m->nd && rc == GDL_OK; i++)
    for (size_t rep = 0; rep < o->reps && rc == GDL_OK; rep++, k++) {
      gdl_progress("gdlimits check MS", k, nrun);
      staircase_config c = m->c;
      c.d = m->ds[i];
      c.budget = (size_t)ceil((double)cmul * pow((double)c.d, m->pred));
      c.eval_every = 5 * c.d;
      c.index = (uint64_t)c.d * 1000 + rep;
      staircase_result r;
      if ((rc = staircase_run(&c, o->seed, &r)) != GDL_OK) break;
      x[k] = (double)c.d;
      y[k] = r.hit ? (double)r.hit : (double)c.budget;
      cens += r.hit == 0;
      cens_low += r.hit == 0 && log((double)c.d) < mean_log_d;
      printf("MS: d %zu run %zu: %s %zu steps (budget %zu, FVU %.3g)\n", c.d, rep, r.hit ? "hit at" : "not hit in",
             r.hit ? r.hit : r.steps, c.budget, r.fvu_last);
      staircase_result_free(&r);
    }
  gdl_progress_done();
  gdl_fit f;
  if (rc == GDL_OK) rc = gdl_fit_loglog(nrun, x, y, &f);
  free(x);
  free(y);
  if (rc != GDL_OK) { free(m); return cli_lib_error(CMD, rc); }
  printf("MS: %s, leap %zu: slope of log T vs log d %.3f (SE %.3f, %zu runs, %zu censored at the budget), "
         "predicted %.2f +- %.2f\n", m->c.target, m->leap, f.slope, f.se_slope, nrun, cens, m->pred, m->tol);
  /* a censored run enters at its budget, which is proportional to d^pred: the slope of
   * censored runs is the prediction itself, so they are refused as in theorems/staircase.c
   * (none for leap <= 2; for leap >= 3 none at d below the mean log d) */
  if (m->leap <= 2) add_check(o, "MS_runs_censored", (double)cens, "<=", 0);
  else add_check(o, "MS_runs_censored_below_mean_log_d", (double)cens_low, "<=", 0);
  add_check(o, "MS_slope_ge", f.slope, ">=", m->pred - m->tol);
  add_check(o, "MS_slope_le", f.slope, "<=", m->pred + m->tol);
  m->c.d = m->ds[0];
  st = report(o, "staircase", staircase_config_json, &m->c);
  free(m);
  return st;
}

/* ---- the command ---- */
static int check_parse(int argc, char **argv, ck_opts *o) {
  memset(o, 0, sizeof *o);
  gdl_args_flag defs[NF];
  for (int f = 0; f < NF; f++) defs[f] = (gdl_args_flag){flag_defs[f].name, &o->v[f], 0};
  int st = cli_collect(CMD, defs, NF, argc, argv, &o->claim, usage);
  if (st >= 0) return st;
  if (!o->claim) return cli_usage_error(CMD, "CLAIM is required (NG, GV, SH, EQ or MS)");
  static const struct { const char *name; unsigned mask; } claims[] = {
      {"NG", C_NG}, {"GV", C_GV}, {"SH", C_SH}, {"EQ", C_EQ}, {"MS", C_MS}};
  for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++)
    if (!strcmp(o->claim, claims[i].name)) o->mask = claims[i].mask;
  if (!o->mask) return cli_usage_error(CMD, "unknown claim '%s': expected NG, GV, SH, EQ or MS", o->claim);
  for (int f = 0; f < NF; f++)
    if (o->v[f] && !(flag_defs[f].claims & o->mask))
      return cli_usage_error(CMD, "%s does not apply to claim %s (see gdlimits check --help)", flag_defs[f].name, o->claim);
  if (o->v[F_SEED]) {
    if (gdl_args_u64(o->v[F_SEED], &o->seed)) return cli_usage_error(CMD, "--seed '%s': not an unsigned integer", o->v[F_SEED]);
  } else if (gdl_seed_from_env(GDL_DEFAULT_SEED, &o->seed) != GDL_OK) {
    return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }
  o->reps = 1;
  if ((st = get_size(o, F_REPS, 1, 10, &o->reps))) return st;
  const char *js = o->v[F_JSON];
  if (js) {
    size_t l = strlen(js);
    if (l == 0 || js[l - 1] == '/') return cli_usage_error(CMD, "--json: expected a file path, got '%s'", js);
    if (gdl_output_target_check("--json", js) != GDL_OK) return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }
  return -1;
}

int cmd_check(int argc, char **argv) {
  ck_opts *o = calloc(1, sizeof *o);
  if (!o) { fprintf(stderr, "gdlimits check: out of memory\n"); return 1; }
  int st = check_parse(argc, argv, o);
  if (st < 0) {
    switch (o->mask) {
      case C_NG: st = run_ng(o); break;
      case C_GV: st = run_gv(o); break;
      case C_SH: st = run_sh(o); break;
      case C_EQ: st = run_eq(o); break;
      default: st = run_ms(o); break;
    }
  }
  free(o);
  return st;
}
