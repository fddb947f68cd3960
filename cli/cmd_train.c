/* gdlimits train: one training run from flags; learning curve (CSV + JSON) and final
 * test metrics. */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "gdl/gdl.h"

#define CMD "train"
#define MAX_DIM ((size_t)1 << 20)
#define MAX_WIDTH_CLI ((size_t)1 << 16)
#define MAX_POP_ENTRIES ((size_t)1 << 28)  /* rows x width of an enumerated domain (2 GiB) */

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
          "  --help            this text\n"
          "\n"
          "test_corr is the uncentred correlation E[f y] (the papers' <f, y>); test_fvu =\n"
          "test_mse / Var(y). Exit status: 0 ok, 1 runtime failure (e.g. divergence: no result\n"
          "file is written), 2 bad flag or value.\n",
          GDL_MAX_LAYERS - 1, (unsigned long long)GDL_DEFAULT_SEED);
}

typedef struct {
  const char *domain, *target, *hidden, *act, *init, *loss, *opt, *clip, *data, *out;
  const char *n_s, *p_s, *lo_s, *hi_s, *bias_s, *init_scale_s, *lr_s, *tau_s, *batch_s, *train_size_s, *steps_s,
      *eval_every_s, *test_size_s, *seed_s;
} raw_flags;

typedef struct {
  const char *name;
  size_t off;
} flag_def;

#define F(name, field) {name, offsetof(raw_flags, field)}
static const flag_def flag_defs[] = {
    F("--domain", domain), F("--n", n_s), F("--p", p_s), F("--lo", lo_s), F("--hi", hi_s), F("--target", target),
    F("--hidden", hidden), F("--act", act), F("--bias", bias_s), F("--init", init), F("--init-scale", init_scale_s),
    F("--loss", loss), F("--opt", opt), F("--lr", lr_s), F("--noise-tau", tau_s), F("--clip", clip),
    F("--data", data), F("--batch", batch_s), F("--train-size", train_size_s), F("--steps", steps_s),
    F("--eval-every", eval_every_s), F("--test-size", test_size_s), F("--seed", seed_s), F("--out", out),
};
#undef F

/* ---- the run ---- */

typedef struct {
  gdl_csv *csv;
  const double *Xt, *yt, *wt;
  size_t mt, steps, eval_every, progress_every;
  int tty;
  gdl_metrics last;
  size_t last_step;
  int have_last;
} run_ctx;

static int on_step(void *ctx, gdl_trainer *tr, size_t step, double loss) {
  run_ctx *c = ctx;
  if (c->tty && (step % c->progress_every == 0 || step == c->steps)) gdl_progress("gdlimits train: step", step, c->steps);
  if (step % c->eval_every != 0 && step != c->steps) return 0;
  gdl_metrics m;
  int rc = gdl_net_metrics(gdl_trainer_net(tr), c->mt, c->Xt, c->yt, c->wt, &m);
  if (rc != GDL_OK) return rc;
  c->last = m;
  c->last_step = step;
  c->have_last = 1;
  if (c->csv) {
    const double row[5] = {(double)step, loss, m.mse, m.corr, m.fvu};
    GDL_TRY(gdl_csv_row(c->csv, row));
  }
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cmd_train(int argc, char **argv) {
  raw_flags fl;
  memset(&fl, 0, sizeof fl);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    }
    const char *eq = strchr(a, '=');
    size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
    const flag_def *def = NULL;
    for (size_t k = 0; k < sizeof flag_defs / sizeof flag_defs[0]; k++)
      if (strlen(flag_defs[k].name) == nlen && !strncmp(flag_defs[k].name, a, nlen)) def = &flag_defs[k];
    if (!def) {
      if (!strncmp(a, "--", 2)) return cli_usage_error(CMD, "unknown flag '%.*s' (see gdlimits train --help)", (int)nlen, a);
      return cli_usage_error(CMD, "unexpected argument '%s' (see gdlimits train --help)", a);
    }
    const char *val;
    if (eq) {
      val = eq + 1;
    } else {
      if (i + 1 >= argc) return cli_usage_error(CMD, "%s needs a value", def->name);
      val = argv[++i];
    }
    const char **slot = (const char **)((char *)&fl + def->off);
    if (*slot) return cli_usage_error(CMD, "%s given twice", def->name);
    *slot = val;
  }

  /* ---- domain ---- */
  gdl_domain dom;
  const char *dname = fl.domain ? fl.domain : "cube";
  int zp = !strcmp(dname, "zp-bits") || !strcmp(dname, "zp-scalar");
  size_t n = 10;
  uint64_t p = 0;
  double lo = -1.0, hi = 1.0;
  if (fl.n_s && zp) return cli_usage_error(CMD, "--n does not apply to --domain %s (use --p)", dname);
  if (fl.p_s && !zp) return cli_usage_error(CMD, "--p only applies to --domain zp-bits or zp-scalar");
  if ((fl.lo_s || fl.hi_s) && strcmp(dname, "interval"))
    return cli_usage_error(CMD, "--lo/--hi only apply to --domain interval");
  if (fl.n_s && cli_parse_size(fl.n_s, 1, MAX_DIM, &n))
    return cli_usage_error(CMD, "--n: expected an integer in [1, %zu], got '%s'", MAX_DIM, fl.n_s);
  if (fl.lo_s && cli_parse_double(fl.lo_s, -1e12, 1e12, &lo))
    return cli_usage_error(CMD, "--lo: expected a finite number, got '%s'", fl.lo_s);
  if (fl.hi_s && cli_parse_double(fl.hi_s, -1e12, 1e12, &hi))
    return cli_usage_error(CMD, "--hi: expected a finite number, got '%s'", fl.hi_s);
  int drc;
  if (!strcmp(dname, "cube")) drc = gdl_domain_cube(n, &dom);
  else if (!strcmp(dname, "sphere")) drc = gdl_domain_sphere(n, &dom);
  else if (!strcmp(dname, "gaussian")) drc = gdl_domain_gaussian(n, &dom);
  else if (!strcmp(dname, "interval")) {
    if (!(lo < hi)) return cli_usage_error(CMD, "--lo %g must be smaller than --hi %g", lo, hi);
    drc = gdl_domain_interval(n, lo, hi, &dom);
  } else if (zp) {
    if (!fl.p_s) return cli_usage_error(CMD, "--domain %s needs --p (the modulus)", dname);
    if (cli_parse_u64(fl.p_s, &p) || p < 2 || p > GDL_ZP_MAX_P)
      return cli_usage_error(CMD, "--p: expected an integer in [2, 2^40], got '%s'", fl.p_s);
    drc = gdl_domain_zp(p, !strcmp(dname, "zp-bits"), &dom);
  } else {
    return cli_usage_error(CMD, "--domain: unknown domain '%s' (cube|sphere|gaussian|interval|zp-bits|zp-scalar)",
                           dname);
  }
  if (drc != GDL_OK) return cli_usage_error(CMD, "--domain: %s", gdl_strerror_last());
  const size_t dim = gdl_domain_dim(&dom);

  /* ---- target ---- */
  const char *tspec = fl.target ? fl.target : "poly:x1";
  gdl_target *target = NULL;
  if (gdl_target_parse_domain(tspec, &dom, &target) != GDL_OK)
    return cli_usage_error(CMD, "--target: %s", gdl_strerror_last());

  int status = 2;  /* for usage errors below (target must be freed) */
#define USAGE(...)                              \
  do {                                          \
    status = cli_usage_error(CMD, __VA_ARGS__); \
    goto done_usage;                            \
  } while (0)

  /* ---- net ---- */
  size_t hidden[GDL_MAX_LAYERS];
  size_t nh = 0;
  {
    const char *h = fl.hidden ? fl.hidden : "64";
    char buf[256];
    if (strlen(h) >= sizeof buf) USAGE("--hidden: value too long");
    strcpy(buf, h);
    char *save = NULL;
    if (!*buf) USAGE("--hidden: expected comma-separated widths such as 64,64");
    if (buf[strlen(buf) - 1] == ',' || buf[0] == ',' || strstr(buf, ",,"))
      USAGE("--hidden: expected comma-separated widths such as 64,64, got '%s'", h);
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      if (nh >= GDL_MAX_LAYERS - 1) USAGE("--hidden: at most %d hidden layers", GDL_MAX_LAYERS - 1);
      if (cli_parse_size(tok, 1, MAX_WIDTH_CLI, &hidden[nh]))
        USAGE("--hidden: width '%s' is not an integer in [1, %zu]", tok, MAX_WIDTH_CLI);
      nh++;
    }
  }
  gdl_act act = GDL_ACT_RELU;
  if (fl.act && gdl_act_parse(fl.act, &act) != GDL_OK) USAGE("--act: %s", gdl_strerror_last());
  int bias = 1;
  if (fl.bias_s) {
    if (!strcmp(fl.bias_s, "1") || !strcmp(fl.bias_s, "on") || !strcmp(fl.bias_s, "true")) bias = 1;
    else if (!strcmp(fl.bias_s, "0") || !strcmp(fl.bias_s, "off") || !strcmp(fl.bias_s, "false")) bias = 0;
    else USAGE("--bias: expected 0 or 1, got '%s'", fl.bias_s);
  }
  gdl_init_kind init_kind = GDL_INIT_GAUSSIAN;
  const char *init_name = fl.init ? fl.init : "gaussian";
  if (!strcmp(init_name, "gaussian")) init_kind = GDL_INIT_GAUSSIAN;
  else if (!strcmp(init_name, "rademacher")) init_kind = GDL_INIT_RADEMACHER;
  else if (!strcmp(init_name, "uniform")) init_kind = GDL_INIT_UNIFORM;
  else USAGE("--init: unknown initialiser '%s' (gaussian|rademacher|uniform)", init_name);
  double init_scale = 1.0;
  if (fl.init_scale_s && cli_parse_double(fl.init_scale_s, 0.0, 1e6, &init_scale))
    USAGE("--init-scale: expected a number in [0, 1e6], got '%s'", fl.init_scale_s);

  /* ---- training ---- */
  gdl_train_config cfg;
  gdl_train_config_default(&cfg);
  if (fl.loss && gdl_loss_parse(fl.loss, &cfg.loss) != GDL_OK) USAGE("--loss: %s", gdl_strerror_last());
  if (cfg.loss == GDL_LOSS_SOFTMAX_CE) USAGE("--loss softmax-ce needs several outputs; train fits scalar targets");
  if (fl.opt && gdl_optimizer_parse(fl.opt, &cfg.opt) != GDL_OK) USAGE("--opt: %s", gdl_strerror_last());
  cfg.lr = cfg.opt == GDL_OPT_GD ? 0.1 : 1e-3;
  if (fl.lr_s && (cli_parse_double(fl.lr_s, 0.0, 1e6, &cfg.lr) || !(cfg.lr > 0)))
    USAGE("--lr: expected a number in (0, 1e6], got '%s'", fl.lr_s);
  if (fl.tau_s && cli_parse_double(fl.tau_s, 0.0, 1e6, &cfg.noise_tau))
    USAGE("--noise-tau: expected a number in [0, 1e6], got '%s'", fl.tau_s);
  if (fl.clip) {
    const char *c = strchr(fl.clip, ':');
    size_t kl = c ? (size_t)(c - fl.clip) : 0;
    if (c && kl == 2 && !strncmp(fl.clip, "l2", 2)) cfg.clip = GDL_CLIP_L2;
    else if (c && kl == 5 && !strncmp(fl.clip, "coord", 5)) cfg.clip = GDL_CLIP_COORD;
    else USAGE("--clip: expected l2:VALUE or coord:VALUE, got '%s'", fl.clip);
    if (cli_parse_double(c + 1, 0.0, 1e12, &cfg.clip_value) || !(cfg.clip_value > 0))
      USAGE("--clip: the value must be a number in (0, 1e12], got '%s'", c + 1);
  }
  const int finite = gdl_domain_is_finite(&dom);
  const char *data_name = fl.data ? fl.data : (finite ? "population" : "online");
  if (!strcmp(data_name, "population")) cfg.data = GDL_DATA_POPULATION;
  else if (!strcmp(data_name, "online")) cfg.data = GDL_DATA_ONLINE;
  else if (!strcmp(data_name, "sample")) cfg.data = GDL_DATA_SAMPLE;
  else USAGE("--data: unknown mode '%s' (population|online|sample)", data_name);
  size_t pop_m = 0;
  if (cfg.data == GDL_DATA_POPULATION) {
    if (!finite || gdl_domain_size(&dom, &pop_m) != GDL_OK) {
      if (dom.kind == GDL_DOMAIN_CUBE)
        USAGE("--data population: the cube with --n %zu has 2^%zu points, too many to enumerate (n <= %d; use "
              "--data online or sample)", n, n, GDL_CUBE_MAX_ENUM);
      if (zp)
        USAGE("--data population: Z_p with --p %llu is too large to enumerate (p <= 2^24; use --data online or "
              "sample)", (unsigned long long)p);
      USAGE("--data population needs a finite domain (cube or zp-*), not %s", dname);
    }
    if (pop_m > MAX_POP_ENTRIES / (dim + 1))
      USAGE("--data population: %zu points of width %zu exceed the memory limit (use --data online or sample)",
            pop_m, dim);
  }
  if (fl.batch_s && cli_parse_size(fl.batch_s, 1, (size_t)1 << 20, &cfg.batch))
    USAGE("--batch: expected an integer in [1, 1048576], got '%s'", fl.batch_s);
  size_t train_size = 1000;
  if (fl.train_size_s && cli_parse_size(fl.train_size_s, 1, (size_t)1 << 24, &train_size))
    USAGE("--train-size: expected an integer in [1, 16777216], got '%s'", fl.train_size_s);
  if (fl.steps_s && cli_parse_size(fl.steps_s, 1, (size_t)1000000000, &cfg.steps))
    USAGE("--steps: expected an integer in [1, 1e9], got '%s'", fl.steps_s);
  if (cfg.data != GDL_DATA_POPULATION) {
    if ((size_t)cfg.batch > MAX_POP_ENTRIES / (dim + 1))
      USAGE("--batch: %zu rows of width %zu exceed the memory limit", cfg.batch, dim);
  }
  if (cfg.data == GDL_DATA_SAMPLE && train_size > MAX_POP_ENTRIES / (dim + 1))
    USAGE("--train-size: %zu rows of width %zu exceed the memory limit", train_size, dim);
  if (cfg.data == GDL_DATA_SAMPLE && cfg.batch > train_size)
    USAGE("--batch %zu exceeds --train-size %zu", cfg.batch, train_size);
  size_t eval_every = cfg.steps / 20 ? cfg.steps / 20 : 1;
  if (fl.eval_every_s && cli_parse_size(fl.eval_every_s, 1, cfg.steps, &eval_every))
    USAGE("--eval-every: expected an integer in [1, --steps = %zu], got '%s'", cfg.steps, fl.eval_every_s);
  size_t test_size = 2000;
  if (fl.test_size_s && cli_parse_size(fl.test_size_s, 1, (size_t)1 << 22, &test_size))
    USAGE("--test-size: expected an integer in [1, 4194304], got '%s'", fl.test_size_s);
  if (cfg.data != GDL_DATA_POPULATION && test_size > MAX_POP_ENTRIES / (dim + 1))
    USAGE("--test-size: %zu rows of width %zu exceed the memory limit", test_size, dim);
  uint64_t seed;
  if (fl.seed_s) {
    if (cli_parse_u64(fl.seed_s, &seed)) USAGE("--seed: expected a non-negative integer, got '%s'", fl.seed_s);
  } else if (gdl_seed_from_env(GDL_DEFAULT_SEED, &seed) != GDL_OK) {
    USAGE("%s", gdl_strerror_last());
  }
  if (fl.out) {
    size_t ol = strlen(fl.out);
    if (ol == 0 || fl.out[ol - 1] == '/') USAGE("--out: expected a file path prefix, got '%s'", fl.out);
    if (ol > 3000) USAGE("--out: path too long");
  }
  gdl_net_spec spec;
  if (gdl_net_spec_mlp(&spec, dim, nh, hidden, 1, act, bias) != GDL_OK) USAGE("--hidden: %s", gdl_strerror_last());

  /* ---- from here on failures are runtime failures (exit 1) ---- */
  status = 1;
  int rc = GDL_OK;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gsl_rng *r_init = NULL, *r_train = NULL, *r_data = NULL;
  double *X = NULL, *Y = NULL, *W = NULL, *Xt = NULL, *yt = NULL;
  gdl_csv *csv = NULL;
  gdl_json *js = NULL;
  uint64_t *ints = NULL;
  gdl_domain_sampler sampler = {&dom, target, 0.0};
  run_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  char path_csv[3100], path_json[3100];

  if ((rc = gdl_rng_alloc(seed, "train.init", 0, &r_init)) || (rc = gdl_rng_alloc(seed, "train.trainer", 0, &r_train)) ||
      (rc = gdl_rng_alloc(seed, "train.data", 0, &r_data)))
    goto fail;
  if ((rc = gdl_net_create(&spec, &net))) goto fail;
  for (size_t l = 0; l < spec.nlayers; l++) {
    double sd = init_scale / sqrt((double)spec.width[l]);
    gdl_init wi = {init_kind, sd, 0, 0}, bi = {GDL_INIT_ZERO, 0, 0, 0};
    if (init_kind == GDL_INIT_UNIFORM) {
      wi.lo = -sqrt(3.0) * sd;
      wi.hi = sqrt(3.0) * sd;
      if (!(wi.hi > wi.lo)) wi = (gdl_init){GDL_INIT_ZERO, 0, 0, 0};
    }
    if ((rc = gdl_net_init_layer(net, l, wi, bi, r_init))) goto fail;
  }

  /* training data and test set */
  gdl_data data;
  memset(&data, 0, sizeof data);
  if (cfg.data == GDL_DATA_POPULATION) {
    X = malloc(pop_m * dim * sizeof *X);
    Y = malloc(pop_m * sizeof *Y);
    W = malloc(pop_m * sizeof *W);
    if (!X || !Y || !W) {
      rc = gdl_fail(GDL_ENOMEM, "out of memory for %zu points", pop_m);
      goto fail;
    }
    if (zp) {
      ints = malloc(pop_m * sizeof *ints);
      if (!ints) {
        rc = gdl_fail(GDL_ENOMEM, "out of memory for %zu points", pop_m);
        goto fail;
      }
    }
    if ((rc = gdl_domain_enumerate(&dom, X, W, ints))) goto fail;
    if ((rc = gdl_target_eval(target, &dom, pop_m, X, ints, Y))) goto fail;
    data.m = pop_m;
    data.X = X;
    data.Y = Y;
    data.w = W;
    ctx.Xt = X;
    ctx.yt = Y;
    ctx.wt = W;
    ctx.mt = pop_m;
  } else {
    if (cfg.data == GDL_DATA_SAMPLE) {
      X = malloc(train_size * dim * sizeof *X);
      Y = malloc(train_size * sizeof *Y);
      if (!X || !Y) {
        rc = gdl_fail(GDL_ENOMEM, "out of memory for %zu training points", train_size);
        goto fail;
      }
      if ((rc = gdl_sampler_domain_target(&sampler, r_data, train_size, X, Y))) goto fail;
      data.m = train_size;
      data.X = X;
      data.Y = Y;
    } else {
      data.sample = gdl_sampler_domain_target;
      data.sample_ctx = &sampler;
    }
    gsl_rng *r_test = NULL;
    if ((rc = gdl_rng_alloc(seed, "train.test", 0, &r_test))) goto fail;
    Xt = malloc(test_size * dim * sizeof *Xt);
    yt = malloc(test_size * sizeof *yt);
    if (!Xt || !yt) {
      gdl_rng_free(r_test);
      rc = gdl_fail(GDL_ENOMEM, "out of memory for %zu test points", test_size);
      goto fail;
    }
    rc = gdl_sampler_domain_target(&sampler, r_test, test_size, Xt, yt);
    gdl_rng_free(r_test);
    if (rc) goto fail;
    ctx.Xt = Xt;
    ctx.yt = yt;
    ctx.wt = NULL;
    ctx.mt = test_size;
  }

  ctx.steps = cfg.steps;
  ctx.eval_every = eval_every;
  ctx.tty = isatty(2);
  ctx.progress_every = cfg.steps / 1000 ? cfg.steps / 1000 : 1;
  cfg.callback = on_step;
  cfg.callback_ctx = &ctx;
  cfg.callback_every = 1;

  if (fl.out) {
    snprintf(path_csv, sizeof path_csv, "%s.csv", fl.out);
    snprintf(path_json, sizeof path_json, "%s.json", fl.out);
    static const char *cols[5] = {"step", "loss", "test_mse", "test_corr", "test_fvu"};
    if ((rc = gdl_csv_open(path_csv, 5, cols, &csv))) goto fail;
    ctx.csv = csv;
  }

  if ((rc = gdl_trainer_create(net, &cfg, &data, r_train, &tr))) goto fail;
  gdl_metrics init_m;
  if ((rc = gdl_net_metrics(net, ctx.mt, ctx.Xt, ctx.yt, ctx.wt, &init_m))) goto fail;
  const double t0 = now_s();
  rc = gdl_trainer_run(tr);
  const double wall = now_s() - t0;
  if (ctx.tty) gdl_progress_done();
  if (rc) goto fail;
  if (!ctx.have_last) {
    rc = gdl_fail(GDL_ESTATE, "no evaluation was made");
    goto fail;
  }

  const size_t done = gdl_trainer_steps_done(tr);
  if (fl.out) {
    if ((rc = gdl_json_new(&js))) goto fail;
    int j = GDL_OK;
#define J(call) (j = (j == GDL_OK) ? (call) : j)
    J(gdl_json_str(js, "command", "train"));
    J(gdl_json_begin(js, "config"));
    J(gdl_json_str(js, "domain", gdl_domain_name(&dom)));
    J(gdl_json_int(js, "input_dim", (long long)dim));
    if (zp) J(gdl_json_int(js, "p", (long long)p));
    else J(gdl_json_int(js, "n", (long long)n));
    if (dom.kind == GDL_DOMAIN_INTERVAL) {
      J(gdl_json_num(js, "lo", lo));
      J(gdl_json_num(js, "hi", hi));
    }
    J(gdl_json_str(js, "target", tspec));
    {
      double hw[GDL_MAX_LAYERS];
      for (size_t l = 0; l < nh; l++) hw[l] = (double)hidden[l];
      J(gdl_json_nums(js, "hidden", nh, hw));
    }
    J(gdl_json_str(js, "act", gdl_act_name(act)));
    J(gdl_json_bool(js, "bias", bias));
    J(gdl_json_str(js, "init", init_name));
    J(gdl_json_num(js, "init_scale", init_scale));
    J(gdl_json_int(js, "nparams", (long long)net->nparams));
    J(gdl_json_str(js, "loss", gdl_loss_name(cfg.loss)));
    J(gdl_json_str(js, "opt", gdl_optimizer_name(cfg.opt)));
    J(gdl_json_num(js, "lr", cfg.lr));
    J(gdl_json_num(js, "noise_tau", cfg.noise_tau));
    J(gdl_json_str(js, "clip", cfg.clip == GDL_CLIP_NONE ? "none" : cfg.clip == GDL_CLIP_L2 ? "l2" : "coord"));
    J(gdl_json_num(js, "clip_value", cfg.clip == GDL_CLIP_NONE ? NAN : cfg.clip_value));
    J(gdl_json_str(js, "data", data_name));
    if (cfg.data != GDL_DATA_POPULATION) J(gdl_json_int(js, "batch", (long long)cfg.batch));
    if (cfg.data == GDL_DATA_SAMPLE) J(gdl_json_int(js, "train_size", (long long)train_size));
    J(gdl_json_int(js, "steps", (long long)cfg.steps));
    J(gdl_json_int(js, "eval_every", (long long)eval_every));
    J(gdl_json_str(js, "test", cfg.data == GDL_DATA_POPULATION ? "exact (all points, weighted)" : "sampled"));
    J(gdl_json_int(js, "test_size", (long long)ctx.mt));
    J(gdl_json_end(js));
    if (seed <= (uint64_t)LLONG_MAX) J(gdl_json_int(js, "seed", (long long)seed));
    else {
      char sb[32];
      snprintf(sb, sizeof sb, "%llu", (unsigned long long)seed);
      J(gdl_json_str(js, "seed", sb));
    }
    J(gdl_json_str(js, "seed_source",
                   fl.seed_s ? "--seed" : (getenv("GDL_SEED") && *getenv("GDL_SEED")) ? "GDL_SEED" : "default"));
    J(gdl_json_str(js, "seed_streams", "gdl_rng_alloc(seed, purpose, 0) for train.init, train.trainer, train.data, train.test"));
    J(gdl_json_begin(js, "initial"));
    J(gdl_json_num(js, "test_mse", init_m.mse));
    J(gdl_json_num(js, "test_corr", init_m.corr));
    J(gdl_json_num(js, "test_fvu", init_m.fvu));
    J(gdl_json_end(js));
    J(gdl_json_begin(js, "final"));
    J(gdl_json_int(js, "step", (long long)ctx.last_step));
    J(gdl_json_num(js, "test_mse", ctx.last.mse));
    J(gdl_json_num(js, "test_corr", ctx.last.corr));
    J(gdl_json_num(js, "test_pearson", ctx.last.pearson));
    J(gdl_json_num(js, "test_fvu", ctx.last.fvu));
    J(gdl_json_num(js, "test_var_y", ctx.last.var_y));
    J(gdl_json_end(js));
    J(gdl_json_int(js, "steps_done", (long long)done));
    J(gdl_json_num(js, "wall_time_s", wall));
    J(gdl_json_num(js, "steps_per_s", wall > 0 ? (double)done / wall : NAN));
    J(gdl_json_str(js, "curve_csv", path_csv));
    J(gdl_json_begin(js, "provenance"));
    J(gdl_json_provenance(js, seed));
    J(gdl_json_end(js));
#undef J
    if ((rc = j)) goto fail;
    /* commit the curve, then the sidecar: a JSON file always has its CSV */
    rc = gdl_csv_commit(csv);
    csv = NULL;
    if (rc) goto fail;
    if ((rc = gdl_json_write(js, path_json))) goto fail;
  }
  printf("steps=%zu test_mse=%.6g test_corr=%.6g test_pearson=%.6g test_fvu=%.6g time=%.3fs\n", done,
         ctx.last.mse, ctx.last.corr, ctx.last.pearson, ctx.last.fvu, wall);
  if (fl.out) printf("wrote %s and %s\n", path_csv, path_json);
  status = 0;
  goto cleanup;

fail:
  if (ctx.tty) gdl_progress_done();
  if (rc == GDL_EDIVERGED) {
    fprintf(stderr, "gdlimits train: training diverged: %s (lower --lr or clip); no result file written\n",
            gdl_strerror_last());
    status = 1;
  } else {
    status = cli_lib_error(CMD, rc);
  }
cleanup:
  gdl_csv_abort(csv);
  gdl_json_free(js);
  gdl_trainer_free(tr);
  gdl_net_free(net);
  gdl_rng_free(r_init);
  gdl_rng_free(r_train);
  gdl_rng_free(r_data);
  free(X);
  free(Y);
  free(W);
  free(Xt);
  free(yt);
  free(ints);
  gdl_target_free(target);
  return status;
done_usage:
  gdl_target_free(target);
  return status;
#undef USAGE
}
