/* gdlimits variance: exact class-gradient variance of a hard class (claim GV) for a
 * randomly initialised MLP, with the explicit bound of CLAIMS.md GV; CSV with --out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "args.h"
#include "cli.h"
#include "gdl/gdl.h"

#define CMD "variance"

static void usage(FILE *f) {
  fprintf(f,
          "usage: gdlimits variance --class CLASS [flags]\n"
          "\n"
          "Exact class-gradient variance Var = E_h ||E_x[htilde_h(x) grad_w f(x)]||^2 of a hard class\n"
          "for a random MLP (W ~ N(0, 1/fan_in), biases N(0, 1/4)), with E||g||^2, E||g - Eg||^2, the\n"
          "explicit bound of CLAIMS.md GV and the ratios. Squared loss (other losses with a derivative\n"
          "affine in the label multiply Var by beta^2).\n"
          "\n"
          "  --class C     parity:K     all C(n,K) parities of degree K on {-1,1}^n (K = all: every level)\n"
          "                modmul:PHI   {PHI(a x mod p): a in Z_p^*}, PHI in linear|parity|cos\n"
          "                wave:PSI     {PSI(a x): a ~ U[A, 2A]}, x ~ N(0,1), PSI in sin|cos\n"
          "  --n N         parity: input dimension                              [12]\n"
          "  --p P         modmul: prime modulus                                [1009]\n"
          "  --encoding E  modmul: bits | scalar                                [bits]\n"
          "  --A A         wave: lowest frequency                               [16]\n"
          "  --hidden W    hidden widths, comma separated (1..%d layers)        [64]\n"
          "  --act A       tanh | relu | sigmoid                                [tanh; relu for wave]\n"
          "  --seed S      base seed                                            [GDL_SEED or %llu]\n"
          "  --out PATH    write a CSV (header row) to PATH\n"
          "  --mem-limit B refuse runs needing more memory (e.g. 8G)  [GDL_MEM_LIMIT or 3/4 of RAM]\n"
          "  --help        this text\n"
          "Exit status: 0 ok, 1 runtime failure, 2 bad flag or value.\n",
          GDL_MAX_LAYERS - 1, (unsigned long long)GDL_DEFAULT_SEED);
}

/* Bytes the exact engines allocate, roughly (see core/src/variance.c): the Z_p engine holds
 * the phi table, the encoded inputs and ~10 FFT arrays of length p; the parity engine 2^n
 * rows; both a 128 MB block of per-example gradients. */
static double variance_bytes(int kind, size_t n, uint64_t p, size_t din, size_t P) {
  const double block = 256.0 * 1048576.0;
  if (kind == 0) return 8.0 * (double)((size_t)1 << n) * ((double)n + 8.0) + block + 8.0 * (double)P * 8.0;
  if (kind == 1) return 8.0 * (double)p * ((double)din + 25.0) + block + 8.0 * (double)P * 8.0;
  return block + 8.0 * (double)P * 8.0;
}

/* Everything the flags decide. */
typedef struct {
  const char *cls, *n_s, *p_s, *enc, *A_s, *hid_s, *act_s, *seed_s, *out, *mem_s;
  int kind, all_levels; /* kind: 0 parity, 1 modmul, 2 wave */
  const char *arg;
  size_t n, K, din, hid[GDL_MAX_LAYERS], nh;
  uint64_t p, seed;
  double A;
  gdl_phi phi;
  gdl_psi psi;
  gdl_domain dom;
  gdl_act act;
  gdl_net_spec sp;
} var_opts;

/* The class argument and the flags of its class (kind set). 0 ok, else the exit status. */
static int parse_class_values(var_opts *o) {
  const char *arg = o->arg;
  if (o->kind == 0) {
    if (gdl_args_size(o->n_s, 1, 24, &o->n)) return cli_usage_error(CMD, "--n '%s': expected 1..24", o->n_s);
    if (!strcmp(arg, "all")) o->all_levels = 1;
    else if (gdl_args_size(arg, 1, o->n, &o->K)) return cli_usage_error(CMD, "parity:%s: expected K in 1..n or 'all'", arg);
    o->din = o->n;
  } else if (o->kind == 1) {
    if (!strcmp(arg, "linear")) o->phi = GDL_PHI_LINEAR;
    else if (!strcmp(arg, "parity")) o->phi = GDL_PHI_PARITY;
    else if (!strcmp(arg, "cos")) o->phi = GDL_PHI_COS;
    else return cli_usage_error(CMD, "modmul:%s: PHI must be linear, parity or cos", arg);
    if (gdl_args_u64(o->p_s, &o->p) || o->p < 5 || o->p > ((uint64_t)1 << 31) || !gdl_is_prime(o->p))
      return cli_usage_error(CMD, "--p '%s': expected a prime in [5, 2^31]", o->p_s);
    int bits;
    if (!strcmp(o->enc, "bits")) bits = 1;
    else if (!strcmp(o->enc, "scalar")) bits = 0;
    else return cli_usage_error(CMD, "--encoding '%s': bits or scalar", o->enc);
    if (gdl_domain_zp(o->p, bits, &o->dom) != GDL_OK) return cli_usage_error(CMD, "--p: %s", gdl_strerror_last());
    o->din = gdl_domain_dim(&o->dom);
  } else {
    if (!strcmp(arg, "sin")) o->psi = GDL_PSI_SIN;
    else if (!strcmp(arg, "cos")) o->psi = GDL_PSI_COS;
    else return cli_usage_error(CMD, "wave:%s: PSI must be sin or cos (the exact engine)", arg);
    if (gdl_args_double(o->A_s, 1e-3, 4096, &o->A))
      return cli_usage_error(CMD, "--A '%s': expected a number in [0.001, 4096]", o->A_s);
    o->din = 1;
  }
  return 0;
}

/* The net's size and the memory the engine needs, before anything is allocated. */
static int check_net_and_memory(var_opts *o) {
  if (gdl_net_spec_mlp(&o->sp, o->din, o->nh, o->hid, 1, o->act, 1) != GDL_OK)
    return cli_usage_error(CMD, "--hidden: %s", gdl_strerror_last());
  double Pd = 0;
  for (size_t l = 0; l < o->sp.nlayers; l++) Pd += (double)o->sp.width[l] * (double)o->sp.width[l + 1] + (double)o->sp.width[l + 1];
  if (Pd > 2147483648.0)
    return cli_usage_error(CMD, "--hidden %s: the net would have %.3g parameters, more than 2^31", o->hid_s, Pd);
  uint64_t limit;
  const char *source;
  char err[256];
  if (gdl_args_mem_limit(o->mem_s, &limit, &source, err, sizeof err)) return cli_usage_error(CMD, "%s", err);
  double need = variance_bytes(o->kind, o->n, o->p, o->din, (size_t)Pd);
  if (need <= (double)limit) return 0;
  char nb[32], lb[32];
  gdl_args_fmt_bytes(nb, sizeof nb, need);
  gdl_args_fmt_bytes(lb, sizeof lb, (double)limit);
  return cli_usage_error(CMD, "%s: the run needs about %s, above the memory limit %s (%s; raise it with --mem-limit or "
                         "GDL_MEM_LIMIT)", o->kind == 0 ? "--n" : o->kind == 1 ? "--p" : "--hidden", nb, lb, source);
}

/* 0: run; else the exit status (help 0, usage error 2). */
static int variance_parse(int argc, char **argv, var_opts *o) {
  memset(o, 0, sizeof *o);
  const gdl_args_flag defs[] = {
      {"--class", &o->cls, 0}, {"--n", &o->n_s, 0},       {"--p", &o->p_s, 0},     {"--encoding", &o->enc, 0},
      {"--A", &o->A_s, 0},     {"--hidden", &o->hid_s, 0}, {"--act", &o->act_s, 0}, {"--seed", &o->seed_s, 0},
      {"--out", &o->out, 0},   {"--mem-limit", &o->mem_s, 0},
  };
  int st = cli_collect(CMD, defs, sizeof defs / sizeof defs[0], argc, argv, NULL, usage);
  if (st >= 0) return st;
  const char *cls = o->cls;
  if (!cls) return cli_usage_error(CMD, "--class is required (parity:K | modmul:PHI | wave:PSI)");
  if (!strncmp(cls, "parity:", 7)) { o->kind = 0; o->arg = cls + 7; }
  else if (!strncmp(cls, "modmul:", 7)) { o->kind = 1; o->arg = cls + 7; }
  else if (!strncmp(cls, "wave:", 5)) { o->kind = 2; o->arg = cls + 5; }
  else return cli_usage_error(CMD, "--class '%s': expected parity:K, modmul:PHI or wave:PSI", cls);
  /* flags of another class are refused, not ignored */
  if (o->kind != 0 && o->n_s) return cli_usage_error(CMD, "--n only applies to --class parity:K");
  if (o->kind != 1 && (o->p_s || o->enc))
    return cli_usage_error(CMD, "%s only applies to --class modmul:PHI", o->p_s ? "--p" : "--encoding");
  if (o->kind != 2 && o->A_s) return cli_usage_error(CMD, "--A only applies to --class wave:PSI");
  if (!o->n_s) o->n_s = "12";
  if (!o->p_s) o->p_s = "1009";
  if (!o->enc) o->enc = "bits";
  if (!o->A_s) o->A_s = "16";
  if (!o->hid_s) o->hid_s = "64";
  if (o->out) {
    size_t ol = strlen(o->out);
    if (ol == 0 || o->out[ol - 1] == '/') return cli_usage_error(CMD, "--out: expected a file path, got '%s'", o->out);
    if (gdl_output_target_check("--out", o->out) != GDL_OK) return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }
  if (gdl_args_size_list(o->hid_s, 1, 65536, GDL_MAX_LAYERS - 1, o->hid, &o->nh))
    return cli_usage_error(CMD, "--hidden '%s': expected 1 to %d widths in [1, 65536] like 64 or 32,16", o->hid_s,
                           GDL_MAX_LAYERS - 1);
  o->act = o->kind == 2 ? GDL_ACT_RELU : GDL_ACT_TANH;
  if (o->act_s && gdl_act_parse(o->act_s, &o->act) != GDL_OK)
    return cli_usage_error(CMD, "--act '%s': unknown activation", o->act_s);
  if (o->seed_s) {
    if (gdl_args_u64(o->seed_s, &o->seed)) return cli_usage_error(CMD, "--seed '%s': not an unsigned integer", o->seed_s);
  } else if (gdl_seed_from_env(GDL_DEFAULT_SEED, &o->seed) != GDL_OK) {
    return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }
  if ((st = parse_class_values(o)) || (st = check_net_and_memory(o))) return st;
  return -1;
}

/* The random net and the exact engine: res[0..*nres-1] (sizes in klev for parity). */
static int variance_compute(const var_opts *o, gdl_var_result *res, size_t *klev, size_t *nres, size_t *P, double *secs) {
  gdl_net *net = NULL;
  gsl_rng *r = NULL;
  double *tab = NULL;
  int rc;
  GDL_TRY_CLEANUP(gdl_net_create(&o->sp, &net));
  GDL_TRY_CLEANUP(gdl_rng_alloc(o->seed, "cli.variance.net", 0, &r));
  for (size_t l = 0; l < o->sp.nlayers; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)o->sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
    GDL_TRY_CLEANUP(gdl_net_init_layer(net, l, w, b, r));
  }
  *P = net->nparams;
  *nres = 1;
  double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  if (o->kind == 0) {
    gdl_var_result lev[25];
    GDL_TRY_CLEANUP(gdl_variance_parity(net, lev));
    if (o->all_levels) {
      *nres = o->n;
      for (size_t k = 1; k <= o->n; k++) { res[k - 1] = lev[k]; klev[k - 1] = k; }
    } else {
      res[0] = lev[o->K];
      klev[0] = o->K;
    }
  } else if (o->kind == 1) {
    tab = malloc(o->p * sizeof *tab);
    if (!tab) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "out of memory"));
    GDL_TRY_CLEANUP(gdl_phi_table(o->phi, o->p, tab));
    GDL_TRY_CLEANUP(gdl_variance_zp(net, &o->dom, tab, GDL_FFT_AUTO, &res[0], NULL, NULL));
  } else {
    GDL_TRY_CLEANUP(gdl_variance_wave(net, o->A, o->psi, 0, &res[0]));
  }
  *secs = gdl_clock_seconds(GDL_CLOCK_WALL) - t0;
  for (size_t i = 0; i < *nres; i++)
    if (!isfinite(res[i].var) || !isfinite(res[i].eg2) || !isfinite(res[i].bound))
      GDL_TRY_CLEANUP(gdl_fail(GDL_ENUMERIC, "the result is not finite (Var %g, E||g||^2 %g, bound %g)", res[i].var,
                               res[i].eg2, res[i].bound));
cleanup:
  free(tab);
  gdl_rng_free(r);
  gdl_net_free(net);
  return rc;
}

int cmd_variance(int argc, char **argv) {
  var_opts o;
  int st = variance_parse(argc, argv, &o);
  if (st >= 0) return st;
  gdl_var_result res[25];
  size_t nres = 1, klev[25], P = 0;
  double secs = 0;
  int rc = variance_compute(&o, res, klev, &nres, &P, &secs);
  if (rc != GDL_OK) return cli_lib_error(CMD, rc);
  const int kind = o.kind;
  printf("class %s, net %zu", o.cls, o.din);
  for (size_t l = 0; l < o.nh; l++) printf("-%zu", o.hid[l]);
  printf("-1 %s, P = %zu, seed %llu, %.3f s\n", gdl_act_name(o.act), P, (unsigned long long)o.seed, secs);
  printf("%-8s %-14s %-14s %-14s %-14s %-12s %-12s\n", kind == 0 ? "k" : kind == 1 ? "p" : "A", "Var", "E||g||^2",
         "E||g-Eg||^2", "bound", "Var/E||g||^2", "Var/bound");
  for (size_t i = 0; i < nres; i++) {
    const gdl_var_result *r = &res[i];
    double size = kind == 0 ? (double)klev[i] : kind == 1 ? (double)o.p : o.A;
    printf("%-8g %-14.6g %-14.6g %-14.6g %-14.6g %-12.4g %-12.4g\n", size, r->var, r->eg2, r->egc2, r->bound,
           r->var / r->eg2, r->var / r->bound);
  }
  if (o.out) {
    static const char *cols[] = {"class", "size", "var", "eg2", "egc2", "bound", "var_over_eg2", "var_over_bound", "seconds"};
    gdl_csv *csv;
    if ((rc = gdl_csv_open(o.out, 9, cols, &csv))) return cli_lib_error(CMD, rc);
    for (size_t i = 0; i < nres && rc == GDL_OK; i++) {
      const gdl_var_result *r = &res[i];
      double size = kind == 0 ? (double)klev[i] : kind == 1 ? (double)o.p : o.A;
      rc = gdl_csv_row_text(csv, "%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.6f", o.cls, size, r->var, r->eg2,
                            r->egc2, r->bound, r->var / r->eg2, r->var / r->bound, secs);
    }
    if (rc == GDL_OK) rc = gdl_csv_commit(csv);
    else gdl_csv_abort(csv);
    if (rc) return cli_lib_error(CMD, rc);
  }
  return 0;
}
