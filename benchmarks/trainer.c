/* bench_trainer: the trainer's speed on four standard shapes, against the machine's
 * dgemm peak and against the same nets trained by PyTorch (performance targets PF).
 *
 *   bench_trainer --out DIR [--full] [--threads T] [--seconds S] [--rounds R] [--no-torch]
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
 * with --full) with the same thread count.
 *
 * Rounds: the machine may be shared, and its load changes within seconds. So the run is R
 * rounds (default 3, --full 5); in each round every shape is timed for S seconds by us and
 * right after by the PyTorch peer (trainer_torch.py --serve, one process kept up for the
 * whole run: same shapes, dtype, threads, batch, loss and optimiser), and the dgemm peak is
 * re-measured before shape d. A ratio is taken within a round (ours / PyTorch, d / that
 * round's peak) and the reported value is the median over rounds, as are the steps/s. The
 * peer is skipped, and the output says so, when `python3 -c "import torch"` fails.
 * Output: DIR/trainer.csv, DIR/trainer.json (configuration, per-round results, load
 * average, provenance), DIR/summary.json (the PF targets) and a table on stdout.
 * Targets: >= 5x PyTorch's steps/s on a, >= 4x on b, >= 30x on c; on d >= 75% of the
 * dgemm peak and >= 1x PyTorch. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

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
#define MAX_ROUNDS 15

typedef struct {
  double steps_per_s, gflops, seconds, final_loss;
  double steps_per_s_wall; /* by the wall clock (steps_per_s is by `clk`) */
  size_t steps;
  int ok;
  char err[256];
} result;

static double now(void) { return gdl_clock_seconds(GDL_CLOCK_WALL); }

/* The clock of the measurements: with one BLAS thread, the CPU time of the measuring thread
 * (ours: CLOCK_THREAD_CPUTIME_ID; PyTorch's: time.thread_time()), which counts the work of
 * the step and not the time the scheduler gives the core to other jobs; on a shared machine
 * the wall clock of a 1 s measurement varies by 2-10x with the load. With more threads (or
 * --wall-clock) the wall clock, since CPU time would count the threads' spinning too. The
 * wall-clock rates are recorded as well. */
static int cpu_clock = 1;
static double clk(void) { return gdl_clock_seconds(cpu_clock ? GDL_CLOCK_THREAD : GDL_CLOCK_WALL); }

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
    double t0 = clk();
    for (size_t i = 0; i < chunk; i++)
      if ((rc = gdl_trainer_step(tr, &loss)) != GDL_OK) goto done;
    double dt = clk() - t0;
    if (dt > 0.05 || chunk > ((size_t)1 << 30)) break;
    chunk *= 2;
  }
  size_t steps = 0;
  double t0 = clk(), w0 = now(), t = 0;
  do {
    for (size_t i = 0; i < chunk; i++)
      if ((rc = gdl_trainer_step(tr, &loss)) != GDL_OK) goto done;
    steps += chunk;
    t = clk() - t0;
  } while (t < min_seconds);
  res->steps_per_s_wall = (double)steps / (now() - w0);
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
  double t_start = clk();
  for (int rep = 0; rep < 50; rep++) {
    double t0 = clk();
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, A, (int)n,
                B, (int)n, 0.0, C, (int)n);
    double g = flop / (clk() - t0) * 1e-9;
    if (g > best) best = g;
    if (rep >= 3 && clk() - t_start > min_seconds) break;
  }
done:
  gdl_rng_free(r);
  free(A);
  free(B);
  free(C);
  return best;
}

/* The PyTorch peer: trainer_torch.py --serve, a co-process answering "run <shape> <s>". */
static const char *only = "abcd";
typedef struct {
  pid_t pid;
  FILE *to, *from;
} peer;

/* Starts the peer; returns 1 with *pp ready and version set, or 0 with *why set. */
static int peer_start(const char *python, int python_given, const char *script, int threads,
                      uint64_t seed, peer *pp, char *version, size_t vlen, char *why, size_t wlen,
                      char *pyused, size_t pylen) {
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
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) {
    snprintf(why, wlen, "pipe: %s", strerror(errno));
    return 0;
  }
  char th[32], sd[32];
  snprintf(th, sizeof th, "%d", threads);
  snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(why, wlen, "fork: %s", strerror(errno));
    return 0;
  }
  if (pid == 0) { /* the child: stdin from our pipe, stdout into the other */
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp(python, python, script, "--serve", "--threads", th, "--seed", sd, "--clock",
           cpu_clock ? "thread" : "wall", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  pp->pid = pid;
  pp->to = fdopen(in[1], "w");
  pp->from = fdopen(out[0], "r");
  char line[1024];
  int ready = 0;
  while (pp->to && pp->from && fgets(line, sizeof line, pp->from)) {
    if (sscanf(line, "torch_version %255s", version) == 1) version[vlen - 1] = 0;
    if (!strncmp(line, "ready", 5)) {
      ready = 1;
      break;
    }
  }
  if (!ready) {
    snprintf(why, wlen, "the peer %s %s --serve did not start", python, script);
    if (pp->to) fclose(pp->to);
    if (pp->from) fclose(pp->from);
    waitpid(pid, NULL, 0);
    memset(pp, 0, sizeof *pp);
    return 0;
  }
  return 1;
}

/* One measurement of shape k by the peer; returns 1 and fills *res, or 0. */
static int peer_run(peer *pp, size_t k, double seconds, result *res) {
  memset(res, 0, sizeof *res);
  if (!pp->to) return 0;
  fprintf(pp->to, "run %s %g\n", SHAPES[k].name, seconds);
  fflush(pp->to);
  char line[1024], name[16];
  double sps, secs, loss, wall = NAN;
  unsigned long long steps;
  if (!fgets(line, sizeof line, pp->from)) return 0;
  if (sscanf(line, "result %15s %lf %llu %lf %lf %lf", name, &sps, &steps, &secs, &loss, &wall) < 5 ||
      strcmp(name, SHAPES[k].name))
    return 0;
  res->steps_per_s_wall = wall;
  res->ok = 1;
  res->steps_per_s = sps;
  res->steps = (size_t)steps;
  res->seconds = secs;
  res->final_loss = loss;
  res->gflops = sps * flop_per_step(&SHAPES[k]) * 1e-9;
  return 1;
}

static void peer_stop(peer *pp) {
  if (!pp->pid) return;
  if (pp->to) {
    fprintf(pp->to, "quit\n");
    fclose(pp->to);
  }
  if (pp->from) fclose(pp->from);
  waitpid(pp->pid, NULL, 0);
  memset(pp, 0, sizeof *pp);
}

#define PROG "bench_trainer"
static const char USAGE[] =
    "--out DIR [--full] [--threads T] [--seconds S] [--rounds R] [--wall-clock] [--no-torch] [--torch-script PATH] "
    "[--python PYTHON] [--seed N] [--only SHAPES]\n"
    "  --threads T         BLAS threads, 1..256, for us and PyTorch (default 1; OPENBLAS_NUM_THREADS is ignored)\n"
    "  --seconds S         seconds per shape and round, in (0, 3600) (default 0.5, --full 2)\n"
    "  --rounds R          rounds, 1..15: each times every shape, ours then PyTorch's (default 3, --full 5)\n"
    "  --wall-clock        time by the wall clock (default: thread CPU time with 1 thread, wall clock with more)\n"
    "  --no-torch          skip the PyTorch peer\n"
    "  --torch-script PATH the peer's script (default benchmarks/trainer_torch.py)\n"
    "  --python PYTHON     the interpreter for the peer (default: python3 on PATH, then /usr/bin/python3)\n"
    "  --only SHAPES       run only these shapes, letters among abcd (e.g. --only c)\n";

typedef struct {
  const char *script, *python;
  int threads, torch, python_given, rounds;
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
  if (!strcmp(a, "--wall-clock")) {
    cpu_clock = 0;
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
  if (!strcmp(a, "--rounds")) {
    const char *v = gdl_bench_value(args, i, argc, argv);
    uint64_t r;
    if (gdl_bench_parse_u64(v, &r) != 0 || r < 1 || r > MAX_ROUNDS)
      gdl_bench_usage_error(args, "--rounds wants an integer in [1, %d], got '%s'", MAX_ROUNDS, v);
    o->rounds = (int)r;
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

/* Everything one run measured: per round the peak, our shapes, the PyTorch peer; and the
 * medians over rounds. */
typedef struct {
  const char *out;
  int full, threads, have_torch, rounds;
  uint64_t seed;
  double seconds, wall0;
  double peak_r[MAX_ROUNDS];
  result ours_r[NSHAPE][MAX_ROUNDS], peer_r[NSHAPE][MAX_ROUNDS];
  double peak;                       /* median of the rounds' peaks */
  result ours[NSHAPE], peer[NSHAPE]; /* steps/s, GFLOP/s: medians over the rounds */
  double ratio[NSHAPE][3];           /* ours / PyTorch within a round: median, min, max */
  double frac[NSHAPE][3];            /* our GFLOP/s / the round's peak: median, min, max */
  double ratio_wall[NSHAPE][3];      /* the ratio by the wall clock */
  double load0[3], load1[3];         /* load average before and after */
  char tver[256], why[512], pyused[512];
} bench_run;

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

/* median, min, max of the finite values among v[0..n); NAN when none */
static void stats3(size_t n, const double *v, double out[3]) {
  double t[MAX_ROUNDS];
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i])) t[k++] = v[i];
  out[0] = out[1] = out[2] = NAN;
  if (!k) return;
  qsort(t, k, sizeof *t, cmp_double);
  out[0] = k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
  out[1] = t[0];
  out[2] = t[k - 1];
}

/* the medians over rounds (b->ours, b->peer, b->peak, b->ratio, b->frac) */
static void summarize(bench_run *b) {
  double st[3], v[MAX_ROUNDS], w[MAX_ROUNDS];
  stats3((size_t)b->rounds, b->peak_r, st);
  b->peak = st[0];
  for (size_t k = 0; k < NSHAPE; k++) {
    for (int r = 0; r < b->rounds; r++) {
      const result *o = &b->ours_r[k][r], *p = &b->peer_r[k][r];
      v[r] = o->ok ? o->steps_per_s : NAN;
      w[r] = p->ok ? p->steps_per_s : NAN;
    }
    stats3((size_t)b->rounds, v, st);
    b->ours[k] = b->ours_r[k][0];
    b->ours[k].ok = isfinite(st[0]);
    b->ours[k].steps_per_s = st[0];
    b->ours[k].gflops = st[0] * flop_per_step(&SHAPES[k]) * 1e-9;
    stats3((size_t)b->rounds, w, st);
    b->peer[k] = b->peer_r[k][0];
    b->peer[k].ok = isfinite(st[0]);
    b->peer[k].steps_per_s = st[0];
    b->peer[k].gflops = st[0] * flop_per_step(&SHAPES[k]) * 1e-9;
    for (int r = 0; r < b->rounds; r++) {
      w[r] = v[r] / w[r];
      v[r] = v[r] * flop_per_step(&SHAPES[k]) * 1e-9 / b->peak_r[r];
    }
    stats3((size_t)b->rounds, w, b->ratio[k]);
    stats3((size_t)b->rounds, v, b->frac[k]);
    for (int r = 0; r < b->rounds; r++) {
      const result *o = &b->ours_r[k][r], *p = &b->peer_r[k][r];
      w[r] = o->ok && p->ok ? o->steps_per_s_wall / p->steps_per_s_wall : NAN;
    }
    stats3((size_t)b->rounds, w, b->ratio_wall[k]);
  }
}

static void print_table(const bench_run *b) {
  printf("gdlimits trainer benchmark (float64, %d BLAS thread%s, %s mode, %d round%s of %.2g s per shape "
         "and side)\n", b->threads, b->threads == 1 ? "" : "s", b->full ? "full" : "quick", b->rounds,
         b->rounds == 1 ? "" : "s", b->seconds);
  printf("dgemm peak (best square cblas_dgemm, median over rounds): %.2f GFLOP/s; load average %.2f "
         "%.2f %.2f before, %.2f %.2f %.2f after\n", b->peak, b->load0[0], b->load0[1], b->load0[2],
         b->load1[0], b->load1[1], b->load1[2]);
  if (b->have_torch) printf("PyTorch peer: torch %s (%s), timed right after us in every round\n", b->tver, b->pyused);
  else printf("PyTorch peer: SKIPPED (%s)\n", b->why);
  printf("clock: %s; medians over rounds; ratio = ours / PyTorch within a round, [min, max] over "
         "rounds; wall = the ratio by the wall clock\n", cpu_clock ? "CPU time of the measuring thread" : "wall");
  printf("%-5s %-44s %12s %9s %8s %12s %9s %-16s %s\n", "shape", "net", "steps/s", "GFLOP/s", "%peak",
         "torch st/s", "ratio", "[min, max]", "wall");
  for (size_t k = 0; k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    char ts[32] = "-", rt[32] = "-", rr[64] = "", rw[32] = "";
    if (b->have_torch && p->ok) {
      snprintf(ts, sizeof ts, "%.1f", p->steps_per_s);
      if (o->ok) {
        snprintf(rt, sizeof rt, "%.2fx", b->ratio[k][0]);
        snprintf(rr, sizeof rr, "[%.2f, %.2f]", b->ratio[k][1], b->ratio[k][2]);
        snprintf(rw, sizeof rw, "%.2fx", b->ratio_wall[k][0]);
      }
    }
    if (o->ok)
      printf("%-5s %-44s %12.1f %9.2f %7.1f%% %12s %9s %-16s %s\n", SHAPES[k].name, SHAPES[k].what,
             o->steps_per_s, o->gflops, 100 * b->frac[k][0], ts, rt, rr, rw);
    else
      printf("%-5s %-44s %12s (failed: %s)\n", SHAPES[k].name, SHAPES[k].what, "-", o->err);
  }
}

static int write_csv(const bench_run *b) {
  char path[4096];
  snprintf(path, sizeof path, "%s/trainer.csv", b->out);
  static const char *cols[] = {"shape", "in", "width", "batch", "online", "steps_per_s",
                               "gflops", "frac_peak", "torch_steps_per_s", "ratio_vs_torch",
                               "dgemm_peak_gflops", "ratio_min", "ratio_max", "frac_peak_min",
                               "frac_peak_max", "rounds"};
  gdl_csv *csv = NULL;
  int rc = gdl_csv_open(path, sizeof cols / sizeof cols[0], cols, &csv);
  for (size_t k = 0; rc == GDL_OK && k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    const int both = b->have_torch && p->ok && o->ok;
    double tsps = b->have_torch && p->ok ? p->steps_per_s : NAN;
    double sps = o->ok ? o->steps_per_s : NAN;
    double gf = o->ok ? o->gflops : NAN;
    rc = gdl_csv_row_text(csv, "%s,%zu,%zu,%zu,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d",
                          SHAPES[k].name, SHAPES[k].in, SHAPES[k].width, SHAPES[k].batch,
                          SHAPES[k].online, sps, gf, o->ok ? b->frac[k][0] : NAN, tsps,
                          both ? b->ratio[k][0] : NAN, b->peak, both ? b->ratio[k][1] : NAN,
                          both ? b->ratio[k][2] : NAN, o->ok ? b->frac[k][1] : NAN,
                          o->ok ? b->frac[k][2] : NAN, b->rounds);
  }
  if (rc == GDL_OK) return gdl_csv_commit(csv);
  if (csv) gdl_csv_abort(csv);
  return rc;
}

/* the sidecar: configuration, per-round results, the machine's load, provenance */
static int trainer_json(const bench_run *b, gdl_json *j) {
  gdl_json_str(j, "benchmark", "trainer");
  gdl_json_str(j, "mode", b->full ? "full" : "quick");
  gdl_json_int(j, "threads", b->threads);
  gdl_json_int(j, "rounds", b->rounds);
  gdl_json_num(j, "seconds_per_shape_and_round", b->seconds);
  gdl_json_num(j, "lr", LR);
  gdl_json_int(j, "sample_rows", SAMPLE_ROWS);
  gdl_json_str(j, "net", "in -> width (ReLU, bias) -> 1 (bias), W ~ N(0, 1/fan_in)");
  gdl_json_str(j, "loss", "squared 1/2 (f - y)^2, batch mean; y = x1 x2");
  gdl_json_str(j, "optimizer", "SGD (plain GD update)");
  gdl_json_str(j, "flop_convention", "matrix products only: fwd 2 m in out per layer, weight "
                                     "grad 2 m in out per layer, input grad for layers >= 1");
  gdl_json_str(j, "method", "per round: dgemm peak, then per shape ours then PyTorch's; ratios "
                            "within a round, medians over rounds");
  gdl_json_str(j, "clock", cpu_clock ? "thread_cpu_time" : "wall");
  gdl_json_num(j, "dgemm_peak_gflops", b->peak);
  gdl_json_nums(j, "dgemm_peak_gflops_rounds", (size_t)b->rounds, b->peak_r);
  /* the machine's load while we measured: a busy machine explains a missed target */
  gdl_json_nums(j, "load_average", 3, b->load0);
  gdl_json_nums(j, "load_average_end", 3, b->load1);
  gdl_json_bool(j, "torch", b->have_torch);
  gdl_json_str(j, "torch_version", b->have_torch ? b->tver : "");
  gdl_json_str(j, "torch_python", b->have_torch ? b->pyused : "");
  gdl_json_str(j, "torch_skipped_reason", b->have_torch ? "" : b->why);
  for (size_t k = 0; k < NSHAPE; k++) {
    const result *o = &b->ours[k], *p = &b->peer[k];
    double v[MAX_ROUNDS], w[MAX_ROUNDS], vw[MAX_ROUNDS], ww[MAX_ROUNDS];
    for (int r = 0; r < b->rounds; r++) {
      v[r] = b->ours_r[k][r].ok ? b->ours_r[k][r].steps_per_s : NAN;
      w[r] = b->peer_r[k][r].ok ? b->peer_r[k][r].steps_per_s : NAN;
      vw[r] = b->ours_r[k][r].ok ? b->ours_r[k][r].steps_per_s_wall : NAN;
      ww[r] = b->peer_r[k][r].ok ? b->peer_r[k][r].steps_per_s_wall : NAN;
    }
    gdl_json_begin(j, SHAPES[k].name);
    gdl_json_str(j, "what", SHAPES[k].what);
    gdl_json_int(j, "in", (long long)SHAPES[k].in);
    gdl_json_int(j, "width", (long long)SHAPES[k].width);
    gdl_json_int(j, "batch", (long long)SHAPES[k].batch);
    gdl_json_bool(j, "ok", o->ok);
    gdl_json_num(j, "steps_per_s", o->ok ? o->steps_per_s : NAN);
    gdl_json_num(j, "gflops", o->ok ? o->gflops : NAN);
    gdl_json_num(j, "frac_peak", o->ok ? b->frac[k][0] : NAN);
    gdl_json_nums(j, "steps_per_s_rounds", (size_t)b->rounds, v);
    gdl_json_num(j, "final_loss", o->ok ? o->final_loss : NAN);
    gdl_json_num(j, "torch_steps_per_s", b->have_torch && p->ok ? p->steps_per_s : NAN);
    gdl_json_nums(j, "torch_steps_per_s_rounds", (size_t)b->rounds, w);
    gdl_json_num(j, "torch_final_loss", b->have_torch && p->ok ? p->final_loss : NAN);
    gdl_json_nums(j, "ratio_vs_torch_median_min_max", 3, b->ratio[k]);
    gdl_json_nums(j, "wall_steps_per_s_rounds", (size_t)b->rounds, vw);
    gdl_json_nums(j, "wall_torch_steps_per_s_rounds", (size_t)b->rounds, ww);
    gdl_json_nums(j, "wall_ratio_vs_torch_median_min_max", 3, b->ratio_wall[k]);
    gdl_json_end(j);
  }
  gdl_json_num(j, "wall_time_s", now() - b->wall0);
  gdl_json_begin(j, "provenance");
  gdl_json_provenance(j, b->seed);
  return gdl_json_end(j);
}

/* summary.json for the report's performance section: the PF targets, measured in this run */
static int summarise(const bench_run *b, gdl_summary *sum) {
  static const struct {
    size_t k;
    const char *check;
    double bound;
    int vs_torch;
  } targets[] = {{2, "steps_per_s_ratio_vs_torch_c_online_batch1", 30.0, 1},
                 {0, "steps_per_s_ratio_vs_torch_a_n30_w64_b32", 5.0, 1},
                 {1, "steps_per_s_ratio_vs_torch_b_n30_w512_b256", 4.0, 1},
                 {3, "fraction_of_dgemm_peak_d_n256_w1024_b1024", 0.75, 0},
                 {3, "steps_per_s_ratio_vs_torch_d_n256_w1024_b1024", 1.0, 1}};
  for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
    const size_t k = targets[t].k;
    const result *o = &b->ours[k], *p = &b->peer[k];
    if (!strchr(only, SHAPES[k].name[0])) continue; /* not run (--only): no row */
    double m = NAN;
    if (targets[t].vs_torch) {
      if (!b->have_torch || !p->ok || !o->ok) continue; /* peer skipped: no row */
      m = b->ratio[k][0];
    } else if (o->ok) {
      m = b->frac[k][0];
    }
    const int pass = isfinite(m) && m >= targets[t].bound;
    GDL_TRY(gdl_summary_check(sum, "PF", targets[t].check, isfinite(m) ? m : -1.0, ">=", targets[t].bound, pass));
  }
  return gdl_summary_figure(sum, "trainer_speed.png");
}

static void loadavg3(double l[3]) {
  if (getloadavg(l, 3) != 3) l[0] = l[1] = l[2] = NAN;
}

/* The rounds: the peak, then every shape, ours then the peer's. */
static void measure(bench_run *b, peer *pp) {
  for (int r = 0; r < b->rounds; r++) {
    b->peak_r[r] = dgemm_peak(1024, b->seed, r == 0 ? (b->full ? 3.0 : 1.0) : 0.3);
    if (b->full && r == 0) {
      double p2 = dgemm_peak(2048, b->seed, 3.0);
      if (p2 > b->peak_r[r]) b->peak_r[r] = p2;
    }
    for (size_t k = 0; k < NSHAPE; k++) {
      gdl_progress("bench_trainer", (size_t)r * NSHAPE + k, (size_t)b->rounds * NSHAPE);
      result *o = &b->ours_r[k][r];
      if (!strchr(only, SHAPES[k].name[0])) {
        snprintf(o->err, sizeof o->err, "not run (--only %s)", only);
        continue;
      }
      if (run_shape(&SHAPES[k], b->seed, b->seconds, o) != GDL_OK)
        fprintf(stderr, "bench_trainer: shape %s failed: %s\n", SHAPES[k].name, o->err);
      if (b->have_torch && !peer_run(pp, k, b->seconds, &b->peer_r[k][r])) {
        fprintf(stderr, "bench_trainer: the PyTorch peer failed on shape %s\n", SHAPES[k].name);
        peer_stop(pp);
        b->have_torch = 0;
        snprintf(b->why, sizeof b->why, "the peer failed on shape %s", SHAPES[k].name);
      }
    }
  }
  gdl_progress("bench_trainer", (size_t)b->rounds * NSHAPE, (size_t)b->rounds * NSHAPE);
  gdl_progress_done();
}

int main(int argc, char **argv) {
  trainer_opts o = {GDL_TRAINER_TORCH_PY, "python3", 1, 1, 0, 0, -1};
  gdl_bench_args args;
  gdl_bench_parse(&args, PROG, USAGE, argc, argv, trainer_flag, &o);
  static bench_run b;
  b.out = args.out;
  b.full = args.full;
  b.threads = o.threads;
  b.seed = args.seed;
  b.seconds = o.seconds < 0 ? (b.full ? 2.0 : 0.5) : o.seconds;
  b.rounds = o.rounds ? o.rounds : (b.full ? 5 : 3);
  if (b.threads > 1) cpu_clock = 0;
  openblas_set_num_threads(b.threads);
  if (gdl_mkdir_p(b.out) != GDL_OK) gdl_bench_die(PROG, "output directory", GDL_EIO);
  signal(SIGPIPE, SIG_IGN); /* a dead peer must not kill us */
  b.wall0 = now();
  loadavg3(b.load0);
  peer pp;
  memset(&pp, 0, sizeof pp);
  if (o.torch)
    b.have_torch = peer_start(o.python, o.python_given, o.script, b.threads, b.seed, &pp, b.tver,
                              sizeof b.tver, b.why, sizeof b.why, b.pyused, sizeof b.pyused);
  else
    snprintf(b.why, sizeof b.why, "--no-torch");
  measure(&b, &pp);
  peer_stop(&pp);
  loadavg3(b.load1);
  summarize(&b);

  print_table(&b);
  int rc = write_csv(&b);
  if (rc != GDL_OK) gdl_bench_die(PROG, "trainer.csv", rc);
  gdl_json *j = NULL;
  gdl_summary *sum = NULL;
  if ((rc = gdl_json_new(&j)) || (rc = trainer_json(&b, j))) gdl_bench_die(PROG, "trainer.json", rc);
  gdl_bench_write_json(&args, "trainer.json", j);
  if ((rc = gdl_summary_new("PF", &sum)) || (rc = summarise(&b, sum))) gdl_bench_die(PROG, "summary.json", rc);
  gdl_bench_write_summary(&args, sum);
  gdl_json_free(j);
  gdl_summary_free(sum);
  printf("wrote %s/trainer.csv, trainer.json, summary.json\n", b.out);
  return 0;
}
