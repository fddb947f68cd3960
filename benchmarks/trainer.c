/* bench_trainer: the trainer's speed on four standard shapes, against the machine's
 * dgemm peak and against the same nets trained by PyTorch (claim PF).
 *
 *   bench_trainer --out DIR [--full] [--threads T] [--seconds S] [--no-torch]
 *                 [--torch-script PATH] [--python PYTHON] [--seed N] [--only SHAPES]
 * (--only abcd: run only these shapes, e.g. --only c for profiling)
 *
 * Shapes (depth 2 = one hidden layer, ReLU, biases, one output, squared loss
 * 1/2 (f - y)^2 averaged over the batch, plain SGD with lr 0.01, float64):
 *   a  n = 30,  width 64,   batch 32    minibatches of a fixed sample of 4096 points
 *   b  n = 30,  width 512,  batch 256   minibatches of a fixed sample of 4096 points
 *   c  d = 256, width 64,   batch 1     online SGD: a fresh x ~ N(0, I_d) every step
 *   d  n = 256, width 1024, batch 1024  minibatches of a fixed sample of 4096 points
 * Inputs of a, b, d are uniform on {+-1}^n; the target is y = x1 x2 (every shape).
 * A step is exactly what the trainer does in a real run: draw the batch, forward, loss,
 * backward, update. GFLOP/s counts the matrix products only: forward 2 m in out per
 * layer, weight gradient 2 m in out per layer, input gradient 2 m in out for every layer
 * but the first. The dgemm peak is the best cblas_dgemm rate on square n = 1024 (and 2048
 * with --full) with the same thread count. The PyTorch peer (trainer_torch.py, run after
 * our own measurements, same shapes, dtype, threads, batch, loss and optimiser) is
 * skipped, and the output says so, when `python3 -c "import torch"` fails.
 * Output: DIR/trainer.csv, DIR/trainer.json (configuration, results, provenance),
 * DIR/summary.json (the PF targets for the claims report) and a table on stdout.
 * Targets: >= 20x PyTorch's steps/s on c, >= 5x on a, >= 1.5x on b, >= 60% of the dgemm
 * peak on d. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "gdl/gdl.h"
#include "bench_cli.h"

#ifndef GDL_TRAINER_TORCH_PY
#define GDL_TRAINER_TORCH_PY "benchmarks/trainer_torch.py"
#endif

typedef struct {
  const char *name;
  size_t in, width, batch;
  int online;
  const char *what;
} shape;

static const shape SHAPES[] = {
    {"a", 30, 64, 32, 0, "n=30 width 64 batch 32, minibatch SGD"},
    {"b", 30, 512, 256, 0, "n=30 width 512 batch 256, minibatch SGD"},
    {"c", 256, 64, 1, 1, "d=256 width 64 batch 1, online SGD"},
    {"d", 256, 1024, 1024, 0, "n=256 width 1024 batch 1024, minibatch SGD"},
};
#define NSHAPE (sizeof SHAPES / sizeof SHAPES[0])
#define SAMPLE_ROWS 4096
#define LR 0.01

typedef struct {
  double steps_per_s, gflops, seconds, final_loss;
  size_t steps;
  int ok;
  char err[256];
} result;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double flop_per_step(const shape *s) {
  const double m = (double)s->batch;
  const double l0 = (double)s->in * (double)s->width, l1 = (double)s->width * 1.0;
  return 2.0 * m * l0 * 2.0 + 2.0 * m * l1 * 3.0;
}

/* online sampler of shape c: x ~ N(0, I_d), y = x1 x2 */
static int gauss_sampler(void *ctx, gsl_rng *r, size_t m, double *X, double *Y) {
  const size_t d = *(const size_t *)ctx;
  for (size_t i = 0; i < m; i++) {
    double *x = X + i * d;
    gdl_rng_gaussian(r, 1.0, d, x);
    Y[i] = x[0] * x[1];
  }
  return GDL_OK;
}

static int run_shape(const shape *s, uint64_t seed, double min_seconds, result *res) {
  memset(res, 0, sizeof *res);
  gdl_net_spec spec;
  gdl_net *net = NULL;
  gdl_trainer *tr = NULL;
  gsl_rng *r_init = NULL, *r_data = NULL, *r_train = NULL;
  double *X = NULL, *Y = NULL;
  int rc = GDL_OK;
  size_t in = s->in;
  size_t hidden = s->width;
  if ((rc = gdl_net_spec_mlp(&spec, s->in, 1, &hidden, 1, GDL_ACT_RELU, 1)) != GDL_OK) goto done;
  if ((rc = gdl_net_create(&spec, &net)) != GDL_OK) goto done;
  if ((rc = gdl_rng_alloc(seed, "bench_trainer.init", 0, &r_init)) != GDL_OK) goto done;
  if ((rc = gdl_rng_alloc(seed, "bench_trainer.data", 0, &r_data)) != GDL_OK) goto done;
  if ((rc = gdl_rng_alloc(seed, "bench_trainer.train", 0, &r_train)) != GDL_OK) goto done;
  if ((rc = gdl_net_init_default(net, r_init)) != GDL_OK) goto done;

  gdl_train_config cfg;
  gdl_train_config_default(&cfg);
  cfg.loss = GDL_LOSS_SQUARED;
  cfg.opt = GDL_OPT_GD;
  cfg.lr = LR;
  cfg.batch = s->batch;
  cfg.steps = (size_t)1 << 40;
  gdl_data data;
  memset(&data, 0, sizeof data);
  if (s->online) {
    cfg.data = GDL_DATA_ONLINE;
    data.sample = gauss_sampler;
    data.sample_ctx = &in;
  } else {
    cfg.data = GDL_DATA_SAMPLE;
    X = malloc((size_t)SAMPLE_ROWS * s->in * sizeof *X);
    Y = malloc((size_t)SAMPLE_ROWS * sizeof *Y);
    if (!X || !Y) {
      rc = gdl_fail(GDL_ENOMEM, "bench_trainer: sample of %d x %zu", SAMPLE_ROWS, s->in);
      goto done;
    }
    gdl_rng_rademacher(r_data, 1.0, (size_t)SAMPLE_ROWS * s->in, X);
    for (size_t i = 0; i < SAMPLE_ROWS; i++) Y[i] = X[i * s->in] * X[i * s->in + 1];
    data.m = SAMPLE_ROWS;
    data.X = X;
    data.Y = Y;
  }
  if ((rc = gdl_trainer_create(net, &cfg, &data, r_train, &tr)) != GDL_OK) goto done;

  /* warm-up: a few steps (first-touch of workspaces, OpenBLAS buffers) */
  double loss = 0;
  for (int i = 0; i < 5; i++)
    if ((rc = gdl_trainer_step(tr, &loss)) != GDL_OK) goto done;
  /* calibrate a chunk that takes ~0.05 s, then run chunks until min_seconds */
  size_t chunk = 1;
  for (;;) {
    double t0 = now();
    for (size_t i = 0; i < chunk; i++)
      if ((rc = gdl_trainer_step(tr, &loss)) != GDL_OK) goto done;
    double dt = now() - t0;
    if (dt > 0.05 || chunk > ((size_t)1 << 30)) break;
    chunk *= 2;
  }
  size_t steps = 0;
  double t0 = now(), t = 0;
  do {
    for (size_t i = 0; i < chunk; i++)
      if ((rc = gdl_trainer_step(tr, &loss)) != GDL_OK) goto done;
    steps += chunk;
    t = now() - t0;
  } while (t < min_seconds);
  res->steps = steps;
  res->seconds = t;
  res->steps_per_s = (double)steps / t;
  res->gflops = res->steps_per_s * flop_per_step(s) * 1e-9;
  res->final_loss = loss;
  res->ok = 1;
done:
  if (rc != GDL_OK) snprintf(res->err, sizeof res->err, "%s", gdl_strerror_last());
  gdl_trainer_free(tr);
  gdl_net_free(net);
  gdl_rng_free(r_init);
  gdl_rng_free(r_data);
  gdl_rng_free(r_train);
  free(X);
  free(Y);
  return rc;
}

/* Best cblas_dgemm rate (GFLOP/s) on square n x n. */
static double dgemm_peak(size_t n, uint64_t seed, double min_seconds) {
  double *A = malloc(n * n * sizeof *A), *B = malloc(n * n * sizeof *B),
         *C = malloc(n * n * sizeof *C);
  gsl_rng *r = NULL;
  double best = 0;
  if (!A || !B || !C || gdl_rng_alloc(seed, "bench_trainer.dgemm", n, &r) != GDL_OK) goto done;
  gdl_rng_gaussian(r, 1.0, n * n, A);
  gdl_rng_gaussian(r, 1.0, n * n, B);
  const double flop = 2.0 * (double)n * (double)n * (double)n;
  double t_start = now();
  for (int rep = 0; rep < 50; rep++) {
    double t0 = now();
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, A, (int)n,
                B, (int)n, 0.0, C, (int)n);
    double g = flop / (now() - t0) * 1e-9;
    if (g > best) best = g;
    if (rep >= 3 && now() - t_start > min_seconds) break;
  }
done:
  gdl_rng_free(r);
  free(A);
  free(B);
  free(C);
  return best;
}

/* Run the PyTorch peer; fills tres[] and returns 1, or 0 with *why set. */
static const char *only = "abcd";
static int run_torch(const char *python, int python_given, const char *script, int threads,
                     double seconds, uint64_t seed, result *tres, char *version, size_t vlen,
                     char *why, size_t wlen, char *pyused, size_t pylen) {
  char cmd[4096];
  /* the python3 on PATH first (may be a virtualenv/pyenv without torch), then Debian's */
  const char *cands[2] = {python, "/usr/bin/python3"};
  int found = 0;
  for (int c = 0; c < (python_given ? 1 : 2) && !found; c++) {
    snprintf(cmd, sizeof cmd, "%s -c 'import torch' >/dev/null 2>&1", cands[c]);
    if (system(cmd) == 0) {
      python = cands[c];
      found = 1;
    }
  }
  if (!found) {
    snprintf(why, wlen, "'%s -c \"import torch\"' failed%s (install python3-torch to compare)",
             python, python_given ? "" : ", and so did /usr/bin/python3");
    return 0;
  }
  snprintf(pyused, pylen, "%s", python);
  if (access(script, R_OK) != 0) {
    snprintf(why, wlen, "peer script %s not found", script);
    return 0;
  }
  snprintf(cmd, sizeof cmd, "%s '%s' --threads %d --seconds %g --seed %llu --shapes %s", python,
           script, threads, seconds, (unsigned long long)seed, only);
  FILE *p = popen(cmd, "r");
  if (!p) {
    snprintf(why, wlen, "cannot start %s", python);
    return 0;
  }
  char line[1024];
  int got = 0;
  while (fgets(line, sizeof line, p)) {
    char name[16];
    double sps, secs, loss;
    unsigned long long steps;
    if (sscanf(line, "torch_version %255s", version) == 1) {
      version[vlen - 1] = 0;
      continue;
    }
    if (sscanf(line, "result %15s %lf %llu %lf %lf", name, &sps, &steps, &secs, &loss) == 5) {
      for (size_t k = 0; k < NSHAPE; k++)
        if (!strcmp(name, SHAPES[k].name)) {
          tres[k].ok = 1;
          tres[k].steps_per_s = sps;
          tres[k].steps = (size_t)steps;
          tres[k].seconds = secs;
          tres[k].final_loss = loss;
          tres[k].gflops = sps * flop_per_step(&SHAPES[k]) * 1e-9;
          got++;
        }
    }
  }
  int st = pclose(p);
  if (got == 0) {
    snprintf(why, wlen, "the peer script produced no results (exit status %d)", st);
    return 0;
  }
  return 1;
}

#define PROG "bench_trainer"
static const char USAGE[] =
    "--out DIR [--full] [--threads T] [--seconds S] [--no-torch] [--torch-script PATH] "
    "[--python PYTHON] [--seed N] [--only SHAPES]\n"
    "  --threads T         BLAS threads, 1..256 (default 1; OPENBLAS_NUM_THREADS is ignored)\n"
    "  --seconds S         minimum seconds per shape, in (0, 3600) (default 1, --full 5)\n"
    "  --no-torch          skip the PyTorch peer\n"
    "  --torch-script PATH the peer's script (default benchmarks/trainer_torch.py)\n"
    "  --python PYTHON     the interpreter for the peer (default: python3 on PATH, then /usr/bin/python3)\n"
    "  --only SHAPES       run only these shapes, letters among abcd (e.g. --only c)\n";

typedef struct {
  const char *script, *python;
  int threads, torch, python_given;
  double seconds;
} trainer_opts;

/* bench_trainer's own flags (gdl_bench_parse handles --out, --full, --seed, --help) */
static int trainer_flag(gdl_bench_args *args, int i, int argc, char **argv, void *ctx) {
  trainer_opts *o = ctx;
  const char *a = argv[i];
  if (!strcmp(a, "--no-torch")) {
    o->torch = 0;
    return 1;
  }
  if (!strcmp(a, "--only")) {
    only = gdl_bench_value(args, i, argc, argv);
    if (strspn(only, "abcd") != strlen(only))
      gdl_bench_usage_error(args, "--only wants letters among abcd, got '%s'", only);
    return 2;
  }
  if (!strcmp(a, "--torch-script")) {
    o->script = gdl_bench_value(args, i, argc, argv);
    return 2;
  }
  if (!strcmp(a, "--python")) {
    o->python = gdl_bench_value(args, i, argc, argv);
    o->python_given = 1;
    return 2;
  }
  if (!strcmp(a, "--threads")) {
    const char *v = gdl_bench_value(args, i, argc, argv);
    uint64_t t;
    if (gdl_bench_parse_u64(v, &t) != 0 || t < 1 || t > 256)
      gdl_bench_usage_error(args, "--threads wants an integer in [1, 256], got '%s'", v);
    o->threads = (int)t;
    return 2;
  }
  if (!strcmp(a, "--seconds")) {
    const char *v = gdl_bench_value(args, i, argc, argv);
    char *e;
    errno = 0;
    double x = strtod(v, &e);
    if (e == v || *e || errno || !(x > 0 && x < 3600))
      gdl_bench_usage_error(args, "--seconds wants a number in (0, 3600), got '%s'", v);
    o->seconds = x;
    return 2;
  }
  return 0;
}

/* Everything one run measured: the peak, our shapes, the PyTorch peer. */
typedef struct {
  const char *out;
  int full, threads, have_torch;
  uint64_t seed;
  double seconds, peak, wall0;
  result ours[NSHAPE], peer[NSHAPE];
  char tver[256], why[512], pyused[512];
} bench_run;

static void print_table(const bench_run *b) {
  printf("gdlimits trainer benchmark (float64, %d BLAS thread%s, %s mode, >= %.1f s per shape)\n",
         b->threads, b->threads == 1 ? "" : "s", b->full ? "full" : "quick", b->seconds);
  printf("dgemm peak (best square cblas_dgemm): %.2f GFLOP/s\n", b->peak);
  if (b->have_torch) printf("PyTorch peer: torch %s (%s)\n", b->tver, b->pyused);
  else printf("PyTorch peer: SKIPPED (%s)\n", b->why);
  printf("%-5s %-44s %12s %9s %8s %12s %9s\n", "shape", "net", "steps/s", "GFLOP/s", "%peak",
         "torch st/s", "ratio");
  for (size_t k = 0; k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    char ts[32] = "-", rt[32] = "-";
    if (b->have_torch && p->ok) {
      snprintf(ts, sizeof ts, "%.1f", p->steps_per_s);
      if (o->ok) snprintf(rt, sizeof rt, "%.2fx", o->steps_per_s / p->steps_per_s);
    }
    if (o->ok)
      printf("%-5s %-44s %12.1f %9.2f %7.1f%% %12s %9s\n", SHAPES[k].name, SHAPES[k].what,
             o->steps_per_s, o->gflops, 100 * o->gflops / b->peak, ts, rt);
    else
      printf("%-5s %-44s %12s (failed: %s)\n", SHAPES[k].name, SHAPES[k].what, "-", o->err);
  }
}

static int write_csv(const bench_run *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/trainer.csv", b->out);
  static const char *cols[] = {"shape", "in", "width", "batch", "online", "steps_per_s",
                               "gflops", "frac_peak", "torch_steps_per_s", "ratio_vs_torch",
                               "dgemm_peak_gflops"};
  gdl_csv *csv = NULL;
  int rc = gdl_csv_open(path, sizeof cols / sizeof cols[0], cols, &csv);
  for (size_t k = 0; rc == GDL_OK && k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    double tsps = b->have_torch && p->ok ? p->steps_per_s : NAN;
    double sps = o->ok ? o->steps_per_s : NAN;
    double gf = o->ok ? o->gflops : NAN;
    rc = gdl_csv_row_text(csv, "%s,%zu,%zu,%zu,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g", SHAPES[k].name,
                          SHAPES[k].in, SHAPES[k].width, SHAPES[k].batch, SHAPES[k].online, sps,
                          gf, gf / b->peak, tsps, sps / tsps, b->peak);
  }
  if (rc == GDL_OK) return gdl_csv_commit(csv);
  if (csv) gdl_csv_abort(csv);
  return rc;
}

static int write_json(const bench_run *b) {
  gdl_json *j = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_json_new(&j));
  gdl_json_str(j, "benchmark", "trainer");
  gdl_json_str(j, "mode", b->full ? "full" : "quick");
  gdl_json_int(j, "threads", b->threads);
  gdl_json_num(j, "seconds_per_shape", b->seconds);
  gdl_json_num(j, "lr", LR);
  gdl_json_int(j, "sample_rows", SAMPLE_ROWS);
  gdl_json_str(j, "net", "in -> width (ReLU, bias) -> 1 (bias), W ~ N(0, 1/fan_in)");
  gdl_json_str(j, "loss", "squared 1/2 (f - y)^2, batch mean; y = x1 x2");
  gdl_json_str(j, "optimizer", "SGD (plain GD update)");
  gdl_json_str(j, "flop_convention", "matrix products only: fwd 2 m in out per layer, weight "
                                     "grad 2 m in out per layer, input grad for layers >= 1");
  gdl_json_num(j, "dgemm_peak_gflops", b->peak);
  /* the machine's load while we measured: a busy machine explains a missed target */
  double load[3] = {NAN, NAN, NAN};
  if (getloadavg(load, 3) != 3) load[0] = load[1] = load[2] = NAN;
  gdl_json_nums(j, "load_average", 3, load);
  gdl_json_bool(j, "torch", b->have_torch);
  gdl_json_str(j, "torch_version", b->have_torch ? b->tver : "");
  gdl_json_str(j, "torch_python", b->have_torch ? b->pyused : "");
  gdl_json_str(j, "torch_skipped_reason", b->have_torch ? "" : b->why);
  for (size_t k = 0; k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    gdl_json_begin(j, SHAPES[k].name);
    gdl_json_str(j, "what", SHAPES[k].what);
    gdl_json_int(j, "in", (long long)SHAPES[k].in);
    gdl_json_int(j, "width", (long long)SHAPES[k].width);
    gdl_json_int(j, "batch", (long long)SHAPES[k].batch);
    gdl_json_bool(j, "ok", o->ok);
    gdl_json_num(j, "steps_per_s", o->ok ? o->steps_per_s : NAN);
    gdl_json_num(j, "gflops", o->ok ? o->gflops : NAN);
    gdl_json_num(j, "frac_peak", o->ok ? o->gflops / b->peak : NAN);
    gdl_json_int(j, "steps", (long long)o->steps);
    gdl_json_num(j, "final_loss", o->ok ? o->final_loss : NAN);
    gdl_json_num(j, "torch_steps_per_s", b->have_torch && p->ok ? p->steps_per_s : NAN);
    gdl_json_num(j, "torch_final_loss", b->have_torch && p->ok ? p->final_loss : NAN);
    gdl_json_end(j);
  }
  gdl_json_num(j, "wall_time_s", now() - b->wall0);
  gdl_json_begin(j, "provenance");
  gdl_json_provenance(j, b->seed);
  GDL_TRY_CLEANUP(gdl_json_end(j));
  char path[4096];
  snprintf(path, sizeof path, "%s/trainer.json", b->out);
  rc = gdl_json_write(j, path);
cleanup:
  gdl_json_free(j);
  return rc;
}

/* summary.json for the claims report: the PF targets, measured in this run */
static int write_summary(const bench_run *b) {
  static const struct {
    size_t k;
    const char *check;
    double bound;
    int vs_torch;
  } targets[] = {{2, "steps_per_s_ratio_vs_torch_c_online_batch1", 20.0, 1},
                 {0, "steps_per_s_ratio_vs_torch_a_n30_w64_b32", 5.0, 1},
                 {1, "steps_per_s_ratio_vs_torch_b_n30_w512_b256", 1.5, 1},
                 {3, "fraction_of_dgemm_peak_d_n256_w1024_b1024", 0.6, 0}};
  gdl_summary *sum = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_summary_new("PF", &sum));
  for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
    const size_t k = targets[t].k;
    const result *o = &b->ours[k], *p = &b->peer[k];
    if (!strchr(only, SHAPES[k].name[0])) continue; /* not run (--only): no row */
    double m = NAN;
    if (targets[t].vs_torch) {
      if (!b->have_torch || !p->ok || !o->ok) continue; /* peer skipped: no row */
      m = o->steps_per_s / p->steps_per_s;
    } else if (o->ok) {
      m = o->gflops / b->peak;
    }
    const int pass = isfinite(m) && m >= targets[t].bound;
    GDL_TRY_CLEANUP(gdl_summary_check(sum, "PF", targets[t].check, isfinite(m) ? m : -1.0, ">=",
                                      targets[t].bound, pass));
  }
  GDL_TRY_CLEANUP(gdl_summary_figure(sum, "trainer_speed.png"));
  char path[4096];
  snprintf(path, sizeof path, "%s/summary.json", b->out);
  rc = gdl_summary_write(sum, path);
cleanup:
  gdl_summary_free(sum);
  return rc;
}

int main(int argc, char **argv) {
  trainer_opts o = {GDL_TRAINER_TORCH_PY, "python3", 1, 1, 0, -1};
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, USAGE, argc, argv, trainer_flag, &o);
  static bench_run b;
  b.out = args.out;
  b.full = args.full;
  b.threads = o.threads;
  b.seed = args.seed;
  b.seconds = o.seconds < 0 ? (b.full ? 5.0 : 1.0) : o.seconds;
  openblas_set_num_threads(b.threads);
  if (gdl_mkdir_p(b.out) != GDL_OK) gdl_bench_die(PROG, "output directory", GDL_EIO);
  b.wall0 = now();

  /* 1. dgemm peak */
  b.peak = dgemm_peak(1024, b.seed, b.full ? 3.0 : 1.0);
  if (b.full) {
    double p2 = dgemm_peak(2048, b.seed, 3.0);
    if (p2 > b.peak) b.peak = p2;
  }
  /* 2. our trainer */
  for (size_t k = 0; k < NSHAPE; k++) {
    gdl_progress("bench_trainer", k, NSHAPE);
    if (!strchr(only, SHAPES[k].name[0])) {
      snprintf(b.ours[k].err, sizeof b.ours[k].err, "not run (--only %s)", only);
      continue;
    }
    if (run_shape(&SHAPES[k], b.seed, b.seconds, &b.ours[k]) != GDL_OK)
      fprintf(stderr, "bench_trainer: shape %s failed: %s\n", SHAPES[k].name, b.ours[k].err);
  }
  gdl_progress("bench_trainer", NSHAPE, NSHAPE);
  gdl_progress_done();
  /* 3. the PyTorch peer, same shapes, after ours */
  if (o.torch)
    b.have_torch = run_torch(o.python, o.python_given, o.script, b.threads, b.seconds, b.seed, b.peer, b.tver,
                             sizeof b.tver, b.why, sizeof b.why, b.pyused, sizeof b.pyused);
  else
    snprintf(b.why, sizeof b.why, "--no-torch");

  print_table(&b);
  int rc = write_csv(&b);
  if (rc != GDL_OK) gdl_bench_die(PROG, "trainer.csv", rc);
  if ((rc = write_json(&b)) != GDL_OK) gdl_bench_die(PROG, "trainer.json", rc);
  if ((rc = write_summary(&b)) != GDL_OK) gdl_bench_die(PROG, "summary.json", rc);
  printf("wrote %s/trainer.csv, trainer.json, summary.json\n", b.out);
  return 0;
}
