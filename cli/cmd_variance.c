/* gdlimits variance: exact class-gradient variance of a hard class (claim GV) for a
 * randomly initialised MLP, with the explicit bound of CLAIMS.md GV; CSV with --out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
          "  --help        this text\n"
          "Exit status: 0 ok, 1 runtime failure, 2 bad flag or value.\n",
          GDL_MAX_LAYERS - 1, (unsigned long long)GDL_DEFAULT_SEED);
}

static int parse_hidden(const char *s, size_t *hid, size_t *nh) {
  *nh = 0;
  const char *p = s;
  while (*p) {
    char *end;
    unsigned long v = strtoul(p, &end, 10);
    if (end == p || v < 1 || v > 65536 || *nh >= GDL_MAX_LAYERS - 1) return -1;
    hid[(*nh)++] = v;
    if (*end == ',') p = end + 1;
    else if (*end == 0) p = end;
    else return -1;
  }
  return *nh >= 1 ? 0 : -1;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cmd_variance(int argc, char **argv) {
  const char *cls = NULL, *n_s = "12", *p_s = "1009", *enc = "bits", *A_s = "16", *hid_s = "64", *act_s = NULL,
             *seed_s = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
    const char **dst = !strcmp(a, "--class") ? &cls : !strcmp(a, "--n") ? &n_s : !strcmp(a, "--p") ? &p_s
                     : !strcmp(a, "--encoding") ? &enc : !strcmp(a, "--A") ? &A_s : !strcmp(a, "--hidden") ? &hid_s
                     : !strcmp(a, "--act") ? &act_s : !strcmp(a, "--seed") ? &seed_s : !strcmp(a, "--out") ? &out : NULL;
    if (!dst) return cli_usage_error(CMD, "unknown flag '%s' (try gdlimits variance --help)", a);
    if (i + 1 >= argc) return cli_usage_error(CMD, "flag %s needs a value", a);
    *dst = argv[++i];
  }
  if (!cls) return cli_usage_error(CMD, "--class is required (parity:K | modmul:PHI | wave:PSI)");
  int kind;
  const char *arg;
  if (!strncmp(cls, "parity:", 7)) { kind = 0; arg = cls + 7; }
  else if (!strncmp(cls, "modmul:", 7)) { kind = 1; arg = cls + 7; }
  else if (!strncmp(cls, "wave:", 5)) { kind = 2; arg = cls + 5; }
  else return cli_usage_error(CMD, "--class '%s': expected parity:K, modmul:PHI or wave:PSI", cls);

  size_t hid[GDL_MAX_LAYERS], nh;
  if (parse_hidden(hid_s, hid, &nh)) return cli_usage_error(CMD, "--hidden '%s': expected widths like 64 or 32,16", hid_s);
  gdl_act act = kind == 2 ? GDL_ACT_RELU : GDL_ACT_TANH;
  if (act_s && gdl_act_parse(act_s, &act) != GDL_OK) return cli_usage_error(CMD, "--act '%s': unknown activation", act_s);
  uint64_t seed;
  if (seed_s) {
    if (cli_parse_u64(seed_s, &seed)) return cli_usage_error(CMD, "--seed '%s': not an unsigned integer", seed_s);
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
    if (cli_parse_size(n_s, 1, 24, &n)) return cli_usage_error(CMD, "--n '%s': expected 1..24", n_s);
    if (!strcmp(arg, "all")) all_levels = 1;
    else if (cli_parse_size(arg, 1, n, &K)) return cli_usage_error(CMD, "parity:%s: expected K in 1..n or 'all'", arg);
    din = n;
  } else if (kind == 1) {
    if (!strcmp(arg, "linear")) phi = GDL_PHI_LINEAR;
    else if (!strcmp(arg, "parity")) phi = GDL_PHI_PARITY;
    else if (!strcmp(arg, "cos")) phi = GDL_PHI_COS;
    else return cli_usage_error(CMD, "modmul:%s: PHI must be linear, parity or cos", arg);
    if (cli_parse_u64(p_s, &p) || p < 5 || p > ((uint64_t)1 << 31) || !gdl_is_prime(p))
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
    if (cli_parse_double(A_s, 1e-3, 4096, &A)) return cli_usage_error(CMD, "--A '%s': expected a number in [0.001, 4096]", A_s);
  }

  gdl_net_spec sp;
  gdl_net *net = NULL;
  int rc = gdl_net_spec_mlp(&sp, din, nh, hid, 1, act, 1);
  if (rc == GDL_OK) rc = gdl_net_create(&sp, &net);
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
