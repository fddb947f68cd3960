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

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
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

int cmd_variance(int argc, char **argv) {
  const char *cls = NULL, *n_s = NULL, *p_s = NULL, *enc = NULL, *A_s = NULL, *hid_s = NULL, *act_s = NULL,
             *seed_s = NULL, *out = NULL, *mem_s = NULL;
  const gdl_args_flag defs[] = {
      {"--class", &cls, 0}, {"--n", &n_s, 0},       {"--p", &p_s, 0},         {"--encoding", &enc, 0},
      {"--A", &A_s, 0},     {"--hidden", &hid_s, 0}, {"--act", &act_s, 0},     {"--seed", &seed_s, 0},
      {"--out", &out, 0},   {"--mem-limit", &mem_s, 0},
  };
  char err[512];
  int st = gdl_args_collect(defs, sizeof defs / sizeof defs[0], argc, argv, NULL, err, sizeof err);
  if (st == 1) { usage(stdout); return 0; }
  if (st < 0) return cli_usage_error(CMD, "%s (try gdlimits variance --help)", err);
  if (!cls) return cli_usage_error(CMD, "--class is required (parity:K | modmul:PHI | wave:PSI)");
  int kind;
  const char *arg;
  if (!strncmp(cls, "parity:", 7)) { kind = 0; arg = cls + 7; }
  else if (!strncmp(cls, "modmul:", 7)) { kind = 1; arg = cls + 7; }
  else if (!strncmp(cls, "wave:", 5)) { kind = 2; arg = cls + 5; }
  else return cli_usage_error(CMD, "--class '%s': expected parity:K, modmul:PHI or wave:PSI", cls);
  /* flags of another class are refused, not ignored */
  if (kind != 0 && n_s) return cli_usage_error(CMD, "--n only applies to --class parity:K");
  if (kind != 1 && (p_s || enc)) return cli_usage_error(CMD, "%s only applies to --class modmul:PHI", p_s ? "--p" : "--encoding");
  if (kind != 2 && A_s) return cli_usage_error(CMD, "--A only applies to --class wave:PSI");
  if (!n_s) n_s = "12";
  if (!p_s) p_s = "1009";
  if (!enc) enc = "bits";
  if (!A_s) A_s = "16";
  if (!hid_s) hid_s = "64";
  if (out) {
    size_t ol = strlen(out);
    if (ol == 0 || out[ol - 1] == '/') return cli_usage_error(CMD, "--out: expected a file path, got '%s'", out);
    if (gdl_output_target_check("--out", out) != GDL_OK) return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }

  size_t hid[GDL_MAX_LAYERS], nh;
  if (gdl_args_size_list(hid_s, 1, 65536, GDL_MAX_LAYERS - 1, hid, &nh))
    return cli_usage_error(CMD, "--hidden '%s': expected 1 to %d widths in [1, 65536] like 64 or 32,16", hid_s,
                           GDL_MAX_LAYERS - 1);
  gdl_act act = kind == 2 ? GDL_ACT_RELU : GDL_ACT_TANH;
  if (act_s && gdl_act_parse(act_s, &act) != GDL_OK) return cli_usage_error(CMD, "--act '%s': unknown activation", act_s);
  uint64_t seed;
  if (seed_s) {
    if (gdl_args_u64(seed_s, &seed)) return cli_usage_error(CMD, "--seed '%s': not an unsigned integer", seed_s);
  } else if (gdl_seed_from_env(GDL_DEFAULT_SEED, &seed) != GDL_OK) {
    return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }

  size_t n = 0, K = 0;
  int all_levels = 0;
  uint64_t p = 0;
  double A = 0;
  gdl_phi phi = GDL_PHI_COS;
  gdl_psi psi = GDL_PSI_SIN;
  gdl_domain dom;
  size_t din = 1;
  if (kind == 0) {
    if (gdl_args_size(n_s, 1, 24, &n)) return cli_usage_error(CMD, "--n '%s': expected 1..24", n_s);
    if (!strcmp(arg, "all")) all_levels = 1;
    else if (gdl_args_size(arg, 1, n, &K)) return cli_usage_error(CMD, "parity:%s: expected K in 1..n or 'all'", arg);
    din = n;
  } else if (kind == 1) {
    if (!strcmp(arg, "linear")) phi = GDL_PHI_LINEAR;
    else if (!strcmp(arg, "parity")) phi = GDL_PHI_PARITY;
    else if (!strcmp(arg, "cos")) phi = GDL_PHI_COS;
    else return cli_usage_error(CMD, "modmul:%s: PHI must be linear, parity or cos", arg);
    if (gdl_args_u64(p_s, &p) || p < 5 || p > ((uint64_t)1 << 31) || !gdl_is_prime(p))
      return cli_usage_error(CMD, "--p '%s': expected a prime in [5, 2^31]", p_s);
    int bits;
    if (!strcmp(enc, "bits")) bits = 1;
    else if (!strcmp(enc, "scalar")) bits = 0;
    else return cli_usage_error(CMD, "--encoding '%s': bits or scalar", enc);
    if (gdl_domain_zp(p, bits, &dom) != GDL_OK) return cli_lib_error(CMD, GDL_EINVAL);
    din = gdl_domain_dim(&dom);
  } else {
    if (!strcmp(arg, "sin")) psi = GDL_PSI_SIN;
    else if (!strcmp(arg, "cos")) psi = GDL_PSI_COS;
    else return cli_usage_error(CMD, "wave:%s: PSI must be sin or cos (the exact engine)", arg);
    if (gdl_args_double(A_s, 1e-3, 4096, &A)) return cli_usage_error(CMD, "--A '%s': expected a number in [0.001, 4096]", A_s);
  }

  gdl_net_spec sp;
  gdl_net *net = NULL;
  if (gdl_net_spec_mlp(&sp, din, nh, hid, 1, act, 1) != GDL_OK) return cli_usage_error(CMD, "--hidden: %s", gdl_strerror_last());
  double Pd = 0;
  for (size_t l = 0; l < sp.nlayers; l++) Pd += (double)sp.width[l] * (double)sp.width[l + 1] + (double)sp.width[l + 1];
  if (Pd > 2147483648.0) return cli_usage_error(CMD, "--hidden %s: the net would have %.3g parameters, more than 2^31", hid_s, Pd);
  {
    uint64_t limit;
    const char *source;
    if (gdl_args_mem_limit(mem_s, &limit, &source, err, sizeof err)) return cli_usage_error(CMD, "%s", err);
    double need = variance_bytes(kind, n, p, din, (size_t)Pd);
    if (need > (double)limit) {
      char nb[32], lb[32];
      gdl_args_fmt_bytes(nb, sizeof nb, need);
      gdl_args_fmt_bytes(lb, sizeof lb, (double)limit);
      return cli_usage_error(CMD, "%s: the run needs about %s, above the memory limit %s (%s; raise it with --mem-limit "
                             "or GDL_MEM_LIMIT)", kind == 0 ? "--n" : kind == 1 ? "--p" : "--hidden", nb, lb, source);
    }
  }
  int rc = gdl_net_create(&sp, &net);
  if (rc != GDL_OK) return cli_lib_error(CMD, rc);
  gsl_rng *r;
  if ((rc = gdl_rng_alloc(seed, "cli.variance.net", 0, &r))) { gdl_net_free(net); return cli_lib_error(CMD, rc); }
  for (size_t l = 0; l < sp.nlayers && rc == GDL_OK; l++) {
    gdl_init w = {GDL_INIT_GAUSSIAN, 1.0 / sqrt((double)sp.width[l]), 0, 0};
    gdl_init b = {GDL_INIT_GAUSSIAN, 0.5, 0, 0};
    rc = gdl_net_init_layer(net, l, w, b, r);
  }
  gdl_rng_free(r);
  if (rc) { gdl_net_free(net); return cli_lib_error(CMD, rc); }

  gdl_var_result res[25];
  size_t nres = 1;
  size_t klev[25];
  double t0 = now_s();
  if (kind == 0) {
    gdl_var_result lev[25];
    rc = gdl_variance_parity(net, lev);
    if (rc == GDL_OK) {
      if (all_levels) {
        nres = n;
        for (size_t k = 1; k <= n; k++) { res[k - 1] = lev[k]; klev[k - 1] = k; }
      } else {
        res[0] = lev[K];
        klev[0] = K;
      }
    }
  } else if (kind == 1) {
    double *tab = malloc(p * sizeof *tab);
    if (!tab) rc = gdl_fail(GDL_ENOMEM, "out of memory");
    else {
      rc = gdl_phi_table(phi, p, tab);
      if (rc == GDL_OK) rc = gdl_variance_zp(net, &dom, tab, GDL_FFT_AUTO, &res[0], NULL, NULL);
    }
    free(tab);
  } else {
    rc = gdl_variance_wave(net, A, psi, 0, &res[0]);
  }
  double secs = now_s() - t0;
  size_t P = net->nparams;
  gdl_net_free(net);
  if (rc != GDL_OK) return cli_lib_error(CMD, rc);
  for (size_t i = 0; i < nres; i++)
    if (!isfinite(res[i].var) || !isfinite(res[i].eg2) || !isfinite(res[i].bound)) {
      fprintf(stderr, "gdlimits variance: the result is not finite (Var %g, E||g||^2 %g, bound %g)\n", res[i].var,
              res[i].eg2, res[i].bound);
      return 1;
    }

  printf("class %s, net %zu", cls, din);
  for (size_t l = 0; l < nh; l++) printf("-%zu", hid[l]);
  printf("-1 %s, P = %zu, seed %llu, %.3f s\n", gdl_act_name(act), P,
         (unsigned long long)seed, secs);
  printf("%-8s %-14s %-14s %-14s %-14s %-12s %-12s\n", kind == 0 ? "k" : kind == 1 ? "p" : "A", "Var", "E||g||^2",
         "E||g-Eg||^2", "bound", "Var/E||g||^2", "Var/bound");
  for (size_t i = 0; i < nres; i++) {
    const gdl_var_result *o = &res[i];
    double size = kind == 0 ? (double)klev[i] : kind == 1 ? (double)p : A;
    printf("%-8g %-14.6g %-14.6g %-14.6g %-14.6g %-12.4g %-12.4g\n", size, o->var, o->eg2, o->egc2, o->bound,
           o->var / o->eg2, o->var / o->bound);
  }
  if (out) {
    static const char *cols[] = {"class", "size", "var", "eg2", "egc2", "bound", "var_over_eg2", "var_over_bound", "seconds"};
    gdl_csv *csv;
    if ((rc = gdl_csv_open(out, 9, cols, &csv))) return cli_lib_error(CMD, rc);
    for (size_t i = 0; i < nres && rc == GDL_OK; i++) {
      const gdl_var_result *o = &res[i];
      double size = kind == 0 ? (double)klev[i] : kind == 1 ? (double)p : A;
      rc = gdl_csv_row_text(csv, "%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.6f", cls, size, o->var, o->eg2, o->egc2,
                            o->bound, o->var / o->eg2, o->var / o->bound, secs);
    }
    if (rc == GDL_OK) rc = gdl_csv_commit(csv);
    else gdl_csv_abort(csv);
    if (rc) return cli_lib_error(CMD, rc);
  }
  return 0;
}
