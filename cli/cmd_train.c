/* gdlimits train: one training run from flags; learning curve (CSV + JSON) and final
 * test metrics. Four stages, one function each: parse (flags -> train_setup, usage errors
 * exit 2), build (allocations: net, data, test set), run (trainer + evaluation callback) and
 * write (JSON, then the CSV: a run never leaves PATH.csv without PATH.json). */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "args.h"
#include "cli.h"
#include "gdl/gdl.h"

#define CMD "train"
#define MAX_DIM ((size_t)1 << 20)
#define MAX_WIDTH_CLI ((size_t)1 << 16)
#define MAX_POP_ENTRIES ((size_t)1 << 28)  /* rows x width of an enumerated domain (2 GiB) */
#define MAX_NET_PARAMS 2147483648.0         /* gdl_net_create's limit, 2^31 */
#define EXPLODE_FACTOR 1e4                  /* squared loss: test_mse > this x reference = diverged */

static void usage(FILE *f) {
  fprintf(f,
          "usage: gdlimits train [flags]\n"
          "\n"
          "One training run of a fully-connected net on a target; prints the final test metrics\n"
          "and, with --out PATH, writes PATH.csv (learning curve: step,loss,test_mse,test_corr,\n"
          "test_fvu) and PATH.json (configuration, seed, provenance, final metrics), atomically.\n"
          "\n"
          "input law\n"
          "  --domain D        cube | sphere | gaussian | interval | zp-bits | zp-scalar   [cube]\n"
          "  --n N             dimension (cube, sphere, gaussian, interval)                 [10]\n"
          "  --p P             modulus (zp-bits: ceil(log2 P) +-1 bits; zp-scalar: 2x/P - 1)\n"
          "  --lo A --hi B     interval bounds                                              [-1, 1]\n"
          "target\n"
          "  --target SPEC     poly:x1+x1*x2 | parity:K | staircase:K | modmul:A:linear|parity|cos\n"
          "                    | wave:A:sin|cos|triangle|sawtooth | neuron:GAMMA (direction e1)  [poly:x1]\n"
          "net\n"
          "  --hidden W1,W2    hidden widths (1 to %d layers)                               [64]\n"
          "  --act A           relu | tanh | sigmoid | identity | quadratic                 [relu]\n"
          "  --bias 0|1        biases on every layer                                        [1]\n"
          "  --init I          gaussian | rademacher | uniform, variance scale^2/fan_in     [gaussian]\n"
          "  --init-scale S    multiplies the initial standard deviation                    [1]\n"
          "training\n"
          "  --loss L          squared | correlation | logistic                             [squared]\n"
          "  --opt O           gd | adam | sign                                             [gd]\n"
          "  --lr R            step size                                    [0.1 for gd, 0.001 otherwise]\n"
          "  --noise-tau T     noisy GD: add N(0, T^2 I) to the clipped gradient            [0]\n"
          "  --clip l2:V|coord:V  global l2 or coordinatewise gradient clipping             [none]\n"
          "  --data M          population (exact, all points of a finite domain) | online (fresh\n"
          "                    samples each step) | sample (minibatches of a fixed sample)\n"
          "                                                  [population if the domain is finite, else online]\n"
          "  --batch B         batch size (online, sample)                                  [32]\n"
          "  --train-size M    size of the fixed sample (sample)                            [1000]\n"
          "  --steps T         training steps                                               [1000]\n"
          "evaluation and output\n"
          "  --eval-every K    evaluate every K steps (and at the end)                      [steps/20]\n"
          "  --test-size M     sampled test points (population data: exact, all points)    [2000]\n"
          "  --seed S          base seed (decimal or 0x hex)                     [GDL_SEED or %llu]\n"
          "  --out PATH        write PATH.csv and PATH.json\n"
          "  --mem-limit B     refuse runs that need more memory (e.g. 8G)   [GDL_MEM_LIMIT or 3/4 of RAM]\n"
          "  --help            this text\n"
          "\n"
          "test_corr is the uncentred correlation E[f y] (the papers' <f, y>); test_fvu =\n"
          "test_mse / Var(y). A squared-loss run whose test_mse grows beyond 1e4 times its initial\n"
          "value (or Var(y)) has diverged even if finite. Exit status: 0 ok, 1 runtime failure\n"
          "(e.g. divergence: no result file is written), 2 bad flag or value (also a run that\n"
          "needs more memory than the limit: the message names the flag and the estimate).\n",
          GDL_MAX_LAYERS - 1, (unsigned long long)GDL_DEFAULT_SEED);
}

typedef struct {
  const char *domain, *target, *hidden, *act, *init, *loss, *opt, *clip, *data, *out, *mem_limit;
  const char *n_s, *p_s, *lo_s, *hi_s, *bias_s, *init_scale_s, *lr_s, *tau_s, *batch_s, *train_size_s, *steps_s,
      *eval_every_s, *test_size_s, *seed_s;
} raw_flags;

/* Everything the flags decide (parse stage). */
typedef struct {
  raw_flags fl;
  gdl_domain dom;
  const char *dname, *tspec, *init_name, *data_name;
  int zp, bias, finite;
  size_t n, dim, nh, hidden[GDL_MAX_LAYERS], pop_m, train_size, eval_every, test_size;
  uint64_t p, seed;
  double lo, hi, init_scale;
  gdl_target *target;
  gdl_act act;
  gdl_init_kind init_kind;
  gdl_train_config cfg;
  gdl_net_spec spec;
} train_setup;

/* ---- parse ---- */

static int collect_flags(int argc, char **argv, raw_flags *fl) {
  memset(fl, 0, sizeof *fl);
  const gdl_args_flag defs[] = {
      {"--domain", &fl->domain, 0}, {"--n", &fl->n_s, 0}, {"--p", &fl->p_s, 0}, {"--lo", &fl->lo_s, 0},
      {"--hi", &fl->hi_s, 0}, {"--target", &fl->target, 0}, {"--hidden", &fl->hidden, 0}, {"--act", &fl->act, 0},
      {"--bias", &fl->bias_s, 0}, {"--init", &fl->init, 0}, {"--init-scale", &fl->init_scale_s, 0},
      {"--loss", &fl->loss, 0}, {"--opt", &fl->opt, 0}, {"--lr", &fl->lr_s, 0}, {"--noise-tau", &fl->tau_s, 0},
      {"--clip", &fl->clip, 0}, {"--data", &fl->data, 0}, {"--batch", &fl->batch_s, 0},
      {"--train-size", &fl->train_size_s, 0}, {"--steps", &fl->steps_s, 0}, {"--eval-every", &fl->eval_every_s, 0},
      {"--test-size", &fl->test_size_s, 0}, {"--seed", &fl->seed_s, 0}, {"--out", &fl->out, 0},
      {"--mem-limit", &fl->mem_limit, 0},
  };
  return cli_collect(CMD, defs, sizeof defs / sizeof defs[0], argc, argv, NULL, usage); /* -1: go on */
}

static int parse_domain(train_setup *S) {
  const raw_flags *fl = &S->fl;
  S->dname = fl->domain ? fl->domain : "cube";
  S->zp = !strcmp(S->dname, "zp-bits") || !strcmp(S->dname, "zp-scalar");
  S->n = 10;
  S->lo = -1.0;
  S->hi = 1.0;
  if (fl->n_s && S->zp) return cli_usage_error(CMD, "--n does not apply to --domain %s (use --p)", S->dname);
  if (fl->p_s && !S->zp) return cli_usage_error(CMD, "--p only applies to --domain zp-bits or zp-scalar");
  if ((fl->lo_s || fl->hi_s) && strcmp(S->dname, "interval"))
    return cli_usage_error(CMD, "--lo/--hi only apply to --domain interval");
  if (fl->n_s && gdl_args_size(fl->n_s, 1, MAX_DIM, &S->n))
    return cli_usage_error(CMD, "--n: expected an integer in [1, %zu], got '%s'", MAX_DIM, fl->n_s);
  if (fl->lo_s && gdl_args_double(fl->lo_s, -1e12, 1e12, &S->lo))
    return cli_usage_error(CMD, "--lo: expected a finite number, got '%s'", fl->lo_s);
  if (fl->hi_s && gdl_args_double(fl->hi_s, -1e12, 1e12, &S->hi))
    return cli_usage_error(CMD, "--hi: expected a finite number, got '%s'", fl->hi_s);
  int drc;
  if (!strcmp(S->dname, "cube")) drc = gdl_domain_cube(S->n, &S->dom);
  else if (!strcmp(S->dname, "sphere")) drc = gdl_domain_sphere(S->n, &S->dom);
  else if (!strcmp(S->dname, "gaussian")) drc = gdl_domain_gaussian(S->n, &S->dom);
  else if (!strcmp(S->dname, "interval")) {
    if (!(S->lo < S->hi)) return cli_usage_error(CMD, "--lo %g must be smaller than --hi %g", S->lo, S->hi);
    drc = gdl_domain_interval(S->n, S->lo, S->hi, &S->dom);
  } else if (S->zp) {
    if (!fl->p_s) return cli_usage_error(CMD, "--domain %s needs --p (the modulus)", S->dname);
    if (gdl_args_u64(fl->p_s, &S->p) || S->p < 2 || S->p > GDL_ZP_MAX_P)
      return cli_usage_error(CMD, "--p: expected an integer in [2, 2^40], got '%s'", fl->p_s);
    drc = gdl_domain_zp(S->p, !strcmp(S->dname, "zp-bits"), &S->dom);
  } else {
    return cli_usage_error(CMD, "--domain: unknown domain '%s' (cube|sphere|gaussian|interval|zp-bits|zp-scalar)",
                           S->dname);
  }
  if (drc != GDL_OK) return cli_usage_error(CMD, "--domain: %s", gdl_strerror_last());
  S->dim = gdl_domain_dim(&S->dom);
  S->finite = gdl_domain_is_finite(&S->dom);
  S->tspec = fl->target ? fl->target : "poly:x1";
  if (gdl_target_parse_domain(S->tspec, &S->dom, &S->target) != GDL_OK)
    return cli_usage_error(CMD, "--target: %s", gdl_strerror_last());
  return 0;
}

static int parse_net(train_setup *S) {
  const raw_flags *fl = &S->fl;
  const char *h = fl->hidden ? fl->hidden : "64";
  if (gdl_args_size_list(h, 1, MAX_WIDTH_CLI, GDL_MAX_LAYERS - 1, S->hidden, &S->nh))
    return cli_usage_error(CMD, "--hidden: expected 1 to %d comma-separated widths in [1, %zu] such as 64,64, got '%s'",
                           GDL_MAX_LAYERS - 1, MAX_WIDTH_CLI, h);
  S->act = GDL_ACT_RELU;
  if (fl->act && gdl_act_parse(fl->act, &S->act) != GDL_OK) return cli_usage_error(CMD, "--act: %s", gdl_strerror_last());
  S->bias = 1;
  if (fl->bias_s) {
    if (!strcmp(fl->bias_s, "1") || !strcmp(fl->bias_s, "on") || !strcmp(fl->bias_s, "true")) S->bias = 1;
    else if (!strcmp(fl->bias_s, "0") || !strcmp(fl->bias_s, "off") || !strcmp(fl->bias_s, "false")) S->bias = 0;
    else return cli_usage_error(CMD, "--bias: expected 0 or 1, got '%s'", fl->bias_s);
  }
  S->init_name = fl->init ? fl->init : "gaussian";
  if (!strcmp(S->init_name, "gaussian")) S->init_kind = GDL_INIT_GAUSSIAN;
  else if (!strcmp(S->init_name, "rademacher")) S->init_kind = GDL_INIT_RADEMACHER;
  else if (!strcmp(S->init_name, "uniform")) S->init_kind = GDL_INIT_UNIFORM;
  else return cli_usage_error(CMD, "--init: unknown initialiser '%s' (gaussian|rademacher|uniform)", S->init_name);
  S->init_scale = 1.0;
  if (fl->init_scale_s && gdl_args_double(fl->init_scale_s, 0.0, 1e6, &S->init_scale))
    return cli_usage_error(CMD, "--init-scale: expected a number in [0, 1e6], got '%s'", fl->init_scale_s);
  /* parameter count before anything is allocated: over the library's limit is a flag error */
  double np = 0;
  size_t w[GDL_MAX_LAYERS + 1];
  w[0] = S->dim;
  for (size_t l = 0; l < S->nh; l++) w[l + 1] = S->hidden[l];
  w[S->nh + 1] = 1;
  for (size_t l = 0; l <= S->nh; l++) np += (double)w[l] * (double)w[l + 1] + (S->bias ? (double)w[l + 1] : 0);
  if (np > MAX_NET_PARAMS)
    return cli_usage_error(CMD, "--hidden %s: the net would have %.3g parameters, more than 2^31", h, np);
  if (gdl_net_spec_mlp(&S->spec, S->dim, S->nh, S->hidden, 1, S->act, S->bias) != GDL_OK)
    return cli_usage_error(CMD, "--hidden: %s", gdl_strerror_last());
  return 0;
}

static int parse_optimiser(train_setup *S) {
  const raw_flags *fl = &S->fl;
  gdl_train_config *cfg = &S->cfg;
  gdl_train_config_default(cfg);
  if (fl->loss && gdl_loss_parse(fl->loss, &cfg->loss) != GDL_OK) return cli_usage_error(CMD, "--loss: %s", gdl_strerror_last());
  if (cfg->loss == GDL_LOSS_SOFTMAX_CE)
    return cli_usage_error(CMD, "--loss softmax-ce needs several outputs; train fits scalar targets");
  if (fl->opt && gdl_optimizer_parse(fl->opt, &cfg->opt) != GDL_OK) return cli_usage_error(CMD, "--opt: %s", gdl_strerror_last());
  cfg->lr = cfg->opt == GDL_OPT_GD ? 0.1 : 1e-3;
  if (fl->lr_s && (gdl_args_double(fl->lr_s, 0.0, 1e6, &cfg->lr) || !(cfg->lr > 0)))
    return cli_usage_error(CMD, "--lr: expected a number in (0, 1e6], got '%s'", fl->lr_s);
  if (fl->tau_s && gdl_args_double(fl->tau_s, 0.0, 1e6, &cfg->noise_tau))
    return cli_usage_error(CMD, "--noise-tau: expected a number in [0, 1e6], got '%s'", fl->tau_s);
  if (fl->clip) {
    const char *c = strchr(fl->clip, ':');
    size_t kl = c ? (size_t)(c - fl->clip) : 0;
    if (c && kl == 2 && !strncmp(fl->clip, "l2", 2)) cfg->clip = GDL_CLIP_L2;
    else if (c && kl == 5 && !strncmp(fl->clip, "coord", 5)) cfg->clip = GDL_CLIP_COORD;
    else return cli_usage_error(CMD, "--clip: expected l2:VALUE or coord:VALUE, got '%s'", fl->clip);
    if (gdl_args_double(c + 1, 0.0, 1e12, &cfg->clip_value) || !(cfg->clip_value > 0))
      return cli_usage_error(CMD, "--clip: the value must be a number in (0, 1e12], got '%s'", c + 1);
  }
  return 0;
}

static int parse_data(train_setup *S) {
  const raw_flags *fl = &S->fl;
  gdl_train_config *cfg = &S->cfg;
  const size_t rows_max = MAX_POP_ENTRIES / (S->dim + 1);
  S->data_name = fl->data ? fl->data : (S->finite ? "population" : "online");
  if (!strcmp(S->data_name, "population")) cfg->data = GDL_DATA_POPULATION;
  else if (!strcmp(S->data_name, "online")) cfg->data = GDL_DATA_ONLINE;
  else if (!strcmp(S->data_name, "sample")) cfg->data = GDL_DATA_SAMPLE;
  else return cli_usage_error(CMD, "--data: unknown mode '%s' (population|online|sample)", S->data_name);
  const int pop = cfg->data == GDL_DATA_POPULATION;
  if (pop && (!S->finite || gdl_domain_size(&S->dom, &S->pop_m) != GDL_OK)) {
    if (S->dom.kind == GDL_DOMAIN_CUBE)
      return cli_usage_error(CMD, "--data population: the cube with --n %zu has 2^%zu points, too many to enumerate "
                             "(n <= %d; use --data online or sample)", S->n, S->n, GDL_CUBE_MAX_ENUM);
    if (S->zp)
      return cli_usage_error(CMD, "--data population: Z_p with --p %llu is too large to enumerate (p <= 2^24; use "
                             "--data online or sample)", (unsigned long long)S->p);
    return cli_usage_error(CMD, "--data population needs a finite domain (cube or zp-*), not %s", S->dname);
  }
  if (pop && S->pop_m > rows_max)
    return cli_usage_error(CMD, "--data population: %zu points of width %zu exceed the memory limit (use --data "
                           "online or sample)", S->pop_m, S->dim);
  /* flags that do not apply to the data mode are refused, not ignored */
  if (pop && (fl->batch_s || fl->train_size_s || fl->test_size_s))
    return cli_usage_error(CMD, "%s does not apply to --data population (exact: all points)",
                           fl->batch_s ? "--batch" : fl->train_size_s ? "--train-size" : "--test-size");
  if (cfg->data == GDL_DATA_ONLINE && fl->train_size_s)
    return cli_usage_error(CMD, "--train-size only applies to --data sample");
  if (fl->batch_s && gdl_args_size(fl->batch_s, 1, (size_t)1 << 20, &cfg->batch))
    return cli_usage_error(CMD, "--batch: expected an integer in [1, 1048576], got '%s'", fl->batch_s);
  S->train_size = 1000;
  if (fl->train_size_s && gdl_args_size(fl->train_size_s, 1, (size_t)1 << 24, &S->train_size))
    return cli_usage_error(CMD, "--train-size: expected an integer in [1, 16777216], got '%s'", fl->train_size_s);
  if (fl->steps_s && gdl_args_size(fl->steps_s, 1, (size_t)1000000000, &cfg->steps))
    return cli_usage_error(CMD, "--steps: expected an integer in [1, 1e9], got '%s'", fl->steps_s);
  if (!pop && (size_t)cfg->batch > rows_max)
    return cli_usage_error(CMD, "--batch: %zu rows of width %zu exceed the memory limit", cfg->batch, S->dim);
  if (cfg->data == GDL_DATA_SAMPLE && S->train_size > rows_max)
    return cli_usage_error(CMD, "--train-size: %zu rows of width %zu exceed the memory limit", S->train_size, S->dim);
  if (cfg->data == GDL_DATA_SAMPLE && cfg->batch > S->train_size)
    return cli_usage_error(CMD, "--batch %zu exceeds --train-size %zu", cfg->batch, S->train_size);
  S->eval_every = cfg->steps / 20 ? cfg->steps / 20 : 1;
  if (fl->eval_every_s && gdl_args_size(fl->eval_every_s, 1, cfg->steps, &S->eval_every))
    return cli_usage_error(CMD, "--eval-every: expected an integer in [1, --steps = %zu], got '%s'", cfg->steps,
                           fl->eval_every_s);
  S->test_size = 2000;
  if (fl->test_size_s && gdl_args_size(fl->test_size_s, 1, (size_t)1 << 22, &S->test_size))
    return cli_usage_error(CMD, "--test-size: expected an integer in [1, 4194304], got '%s'", fl->test_size_s);
  if (!pop && S->test_size > rows_max)
    return cli_usage_error(CMD, "--test-size: %zu rows of width %zu exceed the memory limit", S->test_size, S->dim);
  return 0;
}

/* Bytes the run will allocate, by the flag that drives each part; exit 2 above the limit. */
static int check_memory(const train_setup *S) {
  const gdl_train_config *cfg = &S->cfg;
  double P = 0, widths = 0;
  for (size_t l = 0; l < S->spec.nlayers; l++) {
    P += (double)S->spec.width[l] * (double)S->spec.width[l + 1] + (S->bias ? (double)S->spec.width[l + 1] : 0);
    widths += (double)S->spec.width[l + 1];
  }
  const int pop = cfg->data == GDL_DATA_POPULATION;
  double rows_train = pop ? (double)S->pop_m : cfg->data == GDL_DATA_SAMPLE ? (double)S->train_size : 0;
  double rows_batch = pop ? (double)S->pop_m : (double)cfg->batch;
  double rows_test = pop ? 0 : (double)S->test_size;
  double eval_rows = pop ? (double)S->pop_m : (double)S->test_size;
  /* params + grad + optimiser state and scratch (<= 3 more copies); z, a, delta per layer
   * for the largest batch; data rows (X, y, w) */
  double b_net = 8.0 * 5.0 * P;
  double b_work = 8.0 * 3.0 * widths * fmax(rows_batch, eval_rows);
  double b_data = 8.0 * ((double)S->dim + 3.0) * (rows_train + rows_test + (pop ? 0 : rows_batch));
  double total = b_net + b_work + b_data;
  uint64_t limit;
  const char *source;
  char err[256];
  if (gdl_args_mem_limit(S->fl.mem_limit, &limit, &source, err, sizeof err)) return cli_usage_error(CMD, "%s", err);
  if (total <= (double)limit) return 0;
  const char *flag = b_net >= b_work && b_net >= b_data ? "--hidden"
                     : b_work >= b_data ? (pop ? "--hidden with --data population (--n/--p)" : "--hidden/--batch/--test-size")
                     : pop ? "--n/--p (population data)" : "--train-size/--test-size";
  char tb[32], lb[32], nb[32], wb[32], db[32];
  gdl_args_fmt_bytes(tb, sizeof tb, total);
  gdl_args_fmt_bytes(lb, sizeof lb, (double)limit);
  gdl_args_fmt_bytes(nb, sizeof nb, b_net);
  gdl_args_fmt_bytes(wb, sizeof wb, b_work);
  gdl_args_fmt_bytes(db, sizeof db, b_data);
  return cli_usage_error(CMD, "%s: the run needs about %s (net %.3g parameters: %s, workspaces %s, data %s), above the "
                         "memory limit %s (%s; raise it with --mem-limit or GDL_MEM_LIMIT)", flag, tb, P, nb, wb, db, lb,
                         source);
}

static int parse_output(train_setup *S) {
  const raw_flags *fl = &S->fl;
  if (fl->seed_s) {
    if (gdl_args_u64(fl->seed_s, &S->seed)) return cli_usage_error(CMD, "--seed: expected a non-negative integer, got '%s'", fl->seed_s);
  } else if (gdl_seed_from_env(GDL_DEFAULT_SEED, &S->seed) != GDL_OK) {
    return cli_usage_error(CMD, "%s", gdl_strerror_last());
  }
  if (fl->out) {
    size_t ol = strlen(fl->out);
    if (ol == 0 || fl->out[ol - 1] == '/') return cli_usage_error(CMD, "--out: expected a file path prefix, got '%s'", fl->out);
    if (ol > 3000) return cli_usage_error(CMD, "--out: path too long");
    char pth[3100];
    for (int k = 0; k < 2; k++) {
      snprintf(pth, sizeof pth, "%s.%s", fl->out, k ? "json" : "csv");
      if (gdl_output_target_check("--out", pth) != GDL_OK) return cli_usage_error(CMD, "%s", gdl_strerror_last());
    }
  }
  return 0;
}

/* 0: run; else the exit status (help 0 or usage error 2). S->target is freed by the caller. */
static int train_parse(int argc, char **argv, train_setup *S) {
  memset(S, 0, sizeof *S);
  int st = collect_flags(argc, argv, &S->fl);
  if (st >= 0) return st == 0 ? 0 : st;
  if ((st = parse_domain(S)) || (st = parse_net(S)) || (st = parse_optimiser(S)) || (st = parse_data(S)) ||
      (st = parse_output(S)) || (st = check_memory(S)))
    return st;
  return -1;
}

/* ---- build ---- */

typedef struct {
  gdl_csv *csv;
  const double *Xt, *yt, *wt;
  size_t mt, steps, eval_every, progress_every;
  int tty, check_explode;
  double explode_ref;
  gdl_metrics last;
  size_t last_step;
  int have_last;
} run_ctx;

typedef struct {
  gdl_net *net;
  gdl_trainer *tr;
  gsl_rng *r_init, *r_train, *r_data;
  double *X, *Y, *W, *Xt, *yt;
  uint64_t *ints;
  gdl_data data;
  gdl_domain_sampler sampler;
  run_ctx ctx;
  gdl_metrics init_m;
  double wall;
  char path_csv[3100], path_json[3100];
} train_run;

static void run_free(train_run *R) {
  gdl_csv_abort(R->ctx.csv);
  gdl_trainer_free(R->tr);
  gdl_net_free(R->net);
  gdl_rng_free(R->r_init);
  gdl_rng_free(R->r_train);
  gdl_rng_free(R->r_data);
  free(R->X), free(R->Y), free(R->W), free(R->Xt), free(R->yt), free(R->ints);
}

static int build_net(const train_setup *S, train_run *R) {
  int rc;
  if ((rc = gdl_rng_alloc(S->seed, "train.init", 0, &R->r_init)) ||
      (rc = gdl_rng_alloc(S->seed, "train.trainer", 0, &R->r_train)) ||
      (rc = gdl_rng_alloc(S->seed, "train.data", 0, &R->r_data)))
    return rc;
  GDL_TRY(gdl_net_create(&S->spec, &R->net));
  for (size_t l = 0; l < S->spec.nlayers; l++) {
    double sd = S->init_scale / sqrt((double)S->spec.width[l]);
    gdl_init wi = {S->init_kind, sd, 0, 0}, bi = {GDL_INIT_ZERO, 0, 0, 0};
    if (S->init_kind == GDL_INIT_UNIFORM) {
      wi.lo = -sqrt(3.0) * sd;
      wi.hi = sqrt(3.0) * sd;
      if (!(wi.hi > wi.lo)) wi = (gdl_init){GDL_INIT_ZERO, 0, 0, 0};
    }
    GDL_TRY(gdl_net_init_layer(R->net, l, wi, bi, R->r_init));
  }
  return GDL_OK;
}

static int build_data(const train_setup *S, train_run *R) {
  const size_t dim = S->dim;
  R->sampler = (gdl_domain_sampler){&S->dom, S->target, 0.0};
  if (S->cfg.data == GDL_DATA_POPULATION) {
    size_t m = S->pop_m;
    R->X = malloc(m * dim * sizeof *R->X);
    R->Y = malloc(m * sizeof *R->Y);
    R->W = malloc(m * sizeof *R->W);
    if (S->zp) R->ints = malloc(m * sizeof *R->ints);
    if (!R->X || !R->Y || !R->W || (S->zp && !R->ints)) return gdl_fail(GDL_ENOMEM, "out of memory for %zu points", m);
    GDL_TRY(gdl_domain_enumerate(&S->dom, R->X, R->W, R->ints));
    GDL_TRY(gdl_target_eval(S->target, &S->dom, m, R->X, R->ints, R->Y));
    R->data = (gdl_data){.m = m, .X = R->X, .Y = R->Y, .w = R->W};
    R->ctx.Xt = R->X, R->ctx.yt = R->Y, R->ctx.wt = R->W, R->ctx.mt = m;
    return GDL_OK;
  }
  if (S->cfg.data == GDL_DATA_SAMPLE) {
    R->X = malloc(S->train_size * dim * sizeof *R->X);
    R->Y = malloc(S->train_size * sizeof *R->Y);
    if (!R->X || !R->Y) return gdl_fail(GDL_ENOMEM, "out of memory for %zu training points", S->train_size);
    GDL_TRY(gdl_sampler_domain_target(&R->sampler, R->r_data, S->train_size, R->X, R->Y));
    R->data = (gdl_data){.m = S->train_size, .X = R->X, .Y = R->Y};
  } else {
    memset(&R->data, 0, sizeof R->data);
    R->data.sample = gdl_sampler_domain_target;
    R->data.sample_ctx = &R->sampler;
  }
  gsl_rng *r_test = NULL;
  GDL_TRY(gdl_rng_alloc(S->seed, "train.test", 0, &r_test));
  R->Xt = malloc(S->test_size * dim * sizeof *R->Xt);
  R->yt = malloc(S->test_size * sizeof *R->yt);
  int rc = !R->Xt || !R->yt ? gdl_fail(GDL_ENOMEM, "out of memory for %zu test points", S->test_size)
                            : gdl_sampler_domain_target(&R->sampler, r_test, S->test_size, R->Xt, R->yt);
  gdl_rng_free(r_test);
  R->ctx.Xt = R->Xt, R->ctx.yt = R->yt, R->ctx.wt = NULL, R->ctx.mt = S->test_size;
  return rc;
}

/* ---- run ---- */

static int on_step(void *ctx, gdl_trainer *tr, size_t step, double loss) {
  run_ctx *c = ctx;
  if (c->tty && (step % c->progress_every == 0 || step == c->steps)) gdl_progress("gdlimits train: step", step, c->steps);
  if (step % c->eval_every != 0 && step != c->steps) return 0;
  gdl_metrics m;
  GDL_TRY(gdl_net_metrics(gdl_trainer_net(tr), c->mt, c->Xt, c->yt, c->wt, &m));
  if (c->check_explode && !(m.mse <= EXPLODE_FACTOR * c->explode_ref))
    return gdl_fail(GDL_EDIVERGED, "test_mse %.3g at step %zu is more than %.0e times its initial value or Var(y) "
                    "(%.3g): the loss exploded", m.mse, step, EXPLODE_FACTOR, c->explode_ref);
  c->last = m;
  c->last_step = step;
  c->have_last = 1;
  if (c->csv) {
    const double row[5] = {(double)step, loss, m.mse, m.corr, m.fvu};
    GDL_TRY(gdl_csv_row(c->csv, row));
  }
  return 0;
}

static int train_run_steps(train_setup *S, train_run *R) {
  run_ctx *ctx = &R->ctx;
  ctx->steps = S->cfg.steps;
  ctx->eval_every = S->eval_every;
  ctx->tty = isatty(2);
  ctx->progress_every = S->cfg.steps / 1000 ? S->cfg.steps / 1000 : 1;
  S->cfg.callback = on_step;
  S->cfg.callback_ctx = ctx;
  S->cfg.callback_every = 1;
  if (S->fl.out) {
    snprintf(R->path_csv, sizeof R->path_csv, "%s.csv", S->fl.out);
    snprintf(R->path_json, sizeof R->path_json, "%s.json", S->fl.out);
    static const char *cols[5] = {"step", "loss", "test_mse", "test_corr", "test_fvu"};
    GDL_TRY(gdl_csv_open(R->path_csv, 5, cols, &ctx->csv));
  }
  GDL_TRY(gdl_trainer_create(R->net, &S->cfg, &R->data, R->r_train, &R->tr));
  GDL_TRY(gdl_net_metrics(R->net, ctx->mt, ctx->Xt, ctx->yt, ctx->wt, &R->init_m));
  ctx->check_explode = S->cfg.loss == GDL_LOSS_SQUARED;
  ctx->explode_ref = fmax(fmax(R->init_m.mse, R->init_m.var_y), 1e-12);
  const double t0 = gdl_clock_seconds(GDL_CLOCK_WALL);
  int rc = gdl_trainer_run(R->tr);
  R->wall = gdl_clock_seconds(GDL_CLOCK_WALL) - t0;
  if (ctx->tty) gdl_progress_done();
  GDL_TRY(rc);
  if (!ctx->have_last) return gdl_fail(GDL_ESTATE, "no evaluation was made");
  if (!isfinite(ctx->last.mse) || !isfinite(ctx->last.corr))
    return gdl_fail(GDL_EDIVERGED, "the final test metrics are not finite (test_mse %g)", ctx->last.mse);
  return GDL_OK;
}

/* ---- write ---- */

static int json_config(gdl_json *js, const train_setup *S, const train_run *R) {
  int rc;
  const gdl_train_config *cfg = &S->cfg;
  GDL_TRY_CLEANUP(gdl_json_begin(js, "config"));
  GDL_TRY_CLEANUP(gdl_json_str(js, "domain", gdl_domain_name(&S->dom)));
  GDL_TRY_CLEANUP(gdl_json_int(js, "input_dim", (long long)S->dim));
  if (S->zp) GDL_TRY_CLEANUP(gdl_json_int(js, "p", (long long)S->p));
  else GDL_TRY_CLEANUP(gdl_json_int(js, "n", (long long)S->n));
  if (S->dom.kind == GDL_DOMAIN_INTERVAL) {
    GDL_TRY_CLEANUP(gdl_json_num(js, "lo", S->lo));
    GDL_TRY_CLEANUP(gdl_json_num(js, "hi", S->hi));
  }
  GDL_TRY_CLEANUP(gdl_json_str(js, "target", S->tspec));
  double hw[GDL_MAX_LAYERS];
  for (size_t l = 0; l < S->nh; l++) hw[l] = (double)S->hidden[l];
  GDL_TRY_CLEANUP(gdl_json_nums(js, "hidden", S->nh, hw));
  GDL_TRY_CLEANUP(gdl_json_str(js, "act", gdl_act_name(S->act)));
  GDL_TRY_CLEANUP(gdl_json_bool(js, "bias", S->bias));
  GDL_TRY_CLEANUP(gdl_json_str(js, "init", S->init_name));
  GDL_TRY_CLEANUP(gdl_json_num(js, "init_scale", S->init_scale));
  GDL_TRY_CLEANUP(gdl_json_int(js, "nparams", (long long)R->net->nparams));
  GDL_TRY_CLEANUP(gdl_json_str(js, "loss", gdl_loss_name(cfg->loss)));
  GDL_TRY_CLEANUP(gdl_json_str(js, "opt", gdl_optimizer_name(cfg->opt)));
  GDL_TRY_CLEANUP(gdl_json_num(js, "lr", cfg->lr));
  GDL_TRY_CLEANUP(gdl_json_num(js, "noise_tau", cfg->noise_tau));
  GDL_TRY_CLEANUP(gdl_json_str(js, "clip", cfg->clip == GDL_CLIP_NONE ? "none" : cfg->clip == GDL_CLIP_L2 ? "l2" : "coord"));
  GDL_TRY_CLEANUP(gdl_json_num(js, "clip_value", cfg->clip == GDL_CLIP_NONE ? NAN : cfg->clip_value));
  GDL_TRY_CLEANUP(gdl_json_str(js, "data", S->data_name));
  if (cfg->data != GDL_DATA_POPULATION) GDL_TRY_CLEANUP(gdl_json_int(js, "batch", (long long)cfg->batch));
  if (cfg->data == GDL_DATA_SAMPLE) GDL_TRY_CLEANUP(gdl_json_int(js, "train_size", (long long)S->train_size));
  GDL_TRY_CLEANUP(gdl_json_int(js, "steps", (long long)cfg->steps));
  GDL_TRY_CLEANUP(gdl_json_int(js, "eval_every", (long long)S->eval_every));
  GDL_TRY_CLEANUP(gdl_json_str(js, "test", cfg->data == GDL_DATA_POPULATION ? "exact (all points, weighted)" : "sampled"));
  GDL_TRY_CLEANUP(gdl_json_int(js, "test_size", (long long)R->ctx.mt));
  GDL_TRY_CLEANUP(gdl_json_end(js));
cleanup:
  return rc;
}

static int json_results(gdl_json *js, const train_setup *S, const train_run *R) {
  int rc;
  const run_ctx *c = &R->ctx;
  const size_t done = gdl_trainer_steps_done(R->tr);
  if (S->seed <= (uint64_t)LLONG_MAX) {
    GDL_TRY_CLEANUP(gdl_json_int(js, "seed", (long long)S->seed));
  } else {
    char sb[32];
    snprintf(sb, sizeof sb, "%llu", (unsigned long long)S->seed);
    GDL_TRY_CLEANUP(gdl_json_str(js, "seed", sb));
  }
  const char *env = getenv("GDL_SEED");
  GDL_TRY_CLEANUP(gdl_json_str(js, "seed_source", S->fl.seed_s ? "--seed" : (env && *env) ? "GDL_SEED" : "default"));
  GDL_TRY_CLEANUP(gdl_json_str(js, "seed_streams", "gdl_rng_alloc(seed, purpose, 0) for train.init, train.trainer, train.data, train.test"));
  GDL_TRY_CLEANUP(gdl_json_begin(js, "initial"));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_mse", R->init_m.mse));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_corr", R->init_m.corr));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_fvu", R->init_m.fvu));
  GDL_TRY_CLEANUP(gdl_json_end(js));
  GDL_TRY_CLEANUP(gdl_json_begin(js, "final"));
  GDL_TRY_CLEANUP(gdl_json_int(js, "step", (long long)c->last_step));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_mse", c->last.mse));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_corr", c->last.corr));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_pearson", c->last.pearson));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_fvu", c->last.fvu));
  GDL_TRY_CLEANUP(gdl_json_num(js, "test_var_y", c->last.var_y));
  GDL_TRY_CLEANUP(gdl_json_end(js));
  GDL_TRY_CLEANUP(gdl_json_int(js, "steps_done", (long long)done));
  GDL_TRY_CLEANUP(gdl_json_num(js, "wall_time_s", R->wall));
  GDL_TRY_CLEANUP(gdl_json_num(js, "steps_per_s", R->wall > 0 ? (double)done / R->wall : NAN));
  GDL_TRY_CLEANUP(gdl_json_str(js, "curve_csv", R->path_csv));
  GDL_TRY_CLEANUP(gdl_json_begin(js, "provenance"));
  GDL_TRY_CLEANUP(gdl_json_provenance(js, S->seed));
  GDL_TRY_CLEANUP(gdl_json_end(js));
cleanup:
  return rc;
}

/* The sidecar first, then the curve: a failure on either (say a full disk) leaves neither
 * new file, so PATH.csv never exists without its PATH.json. */
static int train_write(const train_setup *S, train_run *R) {
  gdl_json *js = NULL;
  int rc;
  GDL_TRY_CLEANUP(gdl_json_new(&js));
  GDL_TRY_CLEANUP(gdl_json_str(js, "command", "train"));
  GDL_TRY_CLEANUP(json_config(js, S, R));
  GDL_TRY_CLEANUP(json_results(js, S, R));
  GDL_TRY_CLEANUP(gdl_json_write(js, R->path_json));
  rc = gdl_csv_commit(R->ctx.csv);
  R->ctx.csv = NULL;
  if (rc != GDL_OK) unlink(R->path_json);
cleanup:
  gdl_json_free(js);
  return rc;
}

int cmd_train(int argc, char **argv) {
  train_setup S;
  int status = train_parse(argc, argv, &S);
  if (status >= 0) {
    gdl_target_free(S.target);
    return status;
  }
  train_run R;
  memset(&R, 0, sizeof R);
  int rc;
  if ((rc = build_net(&S, &R)) == GDL_OK && (rc = build_data(&S, &R)) == GDL_OK &&
      (rc = train_run_steps(&S, &R)) == GDL_OK && (!S.fl.out || (rc = train_write(&S, &R)) == GDL_OK)) {
    const run_ctx *c = &R.ctx;
    printf("steps=%zu test_mse=%.6g test_corr=%.6g test_pearson=%.6g test_fvu=%.6g time=%.3fs\n",
           gdl_trainer_steps_done(R.tr), c->last.mse, c->last.corr, c->last.pearson, c->last.fvu, R.wall);
    if (S.fl.out) printf("wrote %s and %s\n", R.path_csv, R.path_json);
    status = 0;
  } else if (rc == GDL_EDIVERGED) {
    char msg[600];
    gdl_args_sanitize(msg, sizeof msg, gdl_strerror_last());
    fprintf(stderr, "gdlimits train: training diverged: %s (lower --lr or clip); no result file written\n", msg);
    status = 1;
  } else {
    status = cli_lib_error(CMD, rc);
  }
  run_free(&R);
  gdl_target_free(S.target);
  return status;
}
