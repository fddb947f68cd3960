/* benchmarks/bench_cli.c: the command line shared by the bench_* programs (bench_cli.h), on
 * the helper layer shared with gdlimits (cli/args.h: numbers, sanitised messages). */
#include "bench_cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "args.h"
#include "gdl/gdl.h"

static const char COMMON_HELP[] =
    "  --out DIR           write the results (CSV, JSON sidecar, summary.json) to DIR, creating it\n"
    "  --full              the full configuration instead of the quick one\n"
    "  --seed N            base seed, decimal or 0x hex (default: GDL_SEED, else %llu)\n"
    "  -h, --help          this text\n";

static const char ENV_HELP[] =
    "environment: GDL_SEED (base seed without --seed), OMP_NUM_THREADS (parallel runs),\n"
    "OPENBLAS_NUM_THREADS (BLAS threads; unset: 1, as the runs themselves are parallel).\n";

static void print_help(const char *prog, const char *usage) {
  const char *nl = strchr(usage, '\n');
  int synopsis = nl ? (int)(nl - usage) : (int)strlen(usage);
  printf("usage: %s %.*s\n", prog, synopsis, usage);
  printf(COMMON_HELP, (unsigned long long)GDL_DEFAULT_SEED);
  if (nl && nl[1]) fputs(nl + 1, stdout);
  if (nl && nl[1] && nl[strlen(nl) - 1] != '\n') putchar('\n');
  fputs(ENV_HELP, stdout);
}

void gdl_bench_usage_error(const gdl_bench_args *args, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gdl_args_vprint(stderr, args && args->prog ? args->prog : "bench", " (try --help)", fmt, ap);
  va_end(ap);
  exit(2);
}

void gdl_bench_die(const char *prog, const char *what, int rc) {
  char msg[1024];
  gdl_args_sanitize(msg, sizeof msg, gdl_strerror_last());
  if (*msg)
    fprintf(stderr, "%s: %s: %s (%s)\n", prog, what, msg, gdl_status_name(rc));
  else
    fprintf(stderr, "%s: %s: %s\n", prog, what, gdl_status_name(rc));
  exit(1);
}

int gdl_bench_parse_u64(const char *s, uint64_t *v) { return gdl_args_u64(s, v); }

int gdl_bench_parse_double(const char *s, double lo, double hi, double *v) { return gdl_args_double(s, lo, hi, v); }

int gdl_bench_parse_sizes(const char *s, size_t lo, size_t hi, size_t max, size_t *vals, size_t *n) {
  return gdl_args_size_list(s, lo, hi, max, vals, n);
}

const char *gdl_bench_value(const gdl_bench_args *args, int i, int argc, char **argv) {
  if (i + 1 >= argc) gdl_bench_usage_error(args, "%s needs a value", argv[i]);
  const char *v = argv[i + 1];
  if (!*v) gdl_bench_usage_error(args, "%s needs a value, got an empty string", argv[i]);
  if (v[0] == '-' && v[1] == '-') gdl_bench_usage_error(args, "%s needs a value, got the flag '%s'", argv[i], v);
  return v;
}

int gdl_bench_blas_threads_default(void) {
  const char *e = getenv("OPENBLAS_NUM_THREADS");
  if (!e || !*e) openblas_set_num_threads(1);
  return openblas_get_num_threads();
}

void gdl_bench_parse(gdl_bench_args *args, const char *prog, const char *usage, int argc, char **argv,
                     gdl_bench_flag_fn extra, void *ctx) {
  memset(args, 0, sizeof *args);
  args->prog = prog;
  args->usage = usage;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      print_help(prog, usage);
      exit(0);
    } else if (!strcmp(a, "--out")) {
      args->out = gdl_bench_value(args, i, argc, argv);
      i++;
    } else if (!strcmp(a, "--full")) {
      args->full = 1;
    } else if (!strcmp(a, "--seed")) {
      const char *v = gdl_bench_value(args, i, argc, argv);
      if (gdl_bench_parse_u64(v, &args->seed) != 0)
        gdl_bench_usage_error(args, "bad --seed value '%s': want decimal or 0x hex, without sign or leading zeros, "
                              "below 2^64", v);
      args->seed_given = 1;
      i++;
    } else {
      int used = extra ? extra(args, i, argc, argv, ctx) : 0;
      if (used <= 0) {
        if (a[0] == '-') gdl_bench_usage_error(args, "unknown flag '%s'", a);
        gdl_bench_usage_error(args, "unexpected argument '%s'", a);
      }
      i += used - 1;
    }
  }
  if (!args->out) gdl_bench_usage_error(args, "--out DIR is required");
  if (!args->seed_given && gdl_seed_from_env(GDL_DEFAULT_SEED, &args->seed) != GDL_OK)
    gdl_bench_usage_error(args, "%s", gdl_strerror_last());
  args->blas_threads = gdl_bench_blas_threads_default();
}

int gdl_bench_flag_same_as_test(gdl_bench_args *args, int i, int argc, char **argv, void *ctx) {
  (void)args;
  (void)argc;
  if (strcmp(argv[i], "--same-as-test")) return 0;
  *(int *)ctx = 1;
  return 1;
}

void gdl_bench_out_path(const gdl_bench_args *args, const char *name, char *buf, size_t len) {
  int n = snprintf(buf, len, "%s/%s", args->out, name);
  if (n < 0 || (size_t)n >= len) gdl_bench_die(args->prog, name, gdl_fail(GDL_EINVAL, "path too long: %s/%s", args->out, name));
}

int gdl_bench_csv_open(const gdl_bench_args *args, const char *name, size_t ncols, const char *const *cols,
                       gdl_csv **out) {
  char path[4096];
  gdl_bench_out_path(args, name, path, sizeof path);
  return gdl_csv_open(path, ncols, cols, out);
}

void gdl_bench_sweep_begin(gdl_bench_sweep *bs, const gdl_bench_args *args, int same_as_test, int *argc, char ***argv,
                           const char *family, const char *mode, gdl_exp_config_fn cfg_json, const void *cfg) {
  memset(bs, 0, sizeof *bs);
  bs->args = args;
  bs->family = family;
  bs->argc_ = argc;
  bs->argv_ = argv;
  if (same_as_test && args->full) gdl_bench_usage_error(args, "--same-as-test needs the quick grid (no --full)");
  int rc = gdl_exp_doc(family, mode ? mode : args->full ? "full" : "quick", args->seed, cfg_json, cfg, &bs->doc);
  if (rc) gdl_bench_die(args->prog, "configuration document", rc);
}

static void set_costs(gdl_bench_sweep *bs, size_t np, gdl_bench_cost_fn cost, const void *ctx) {
  double *c = malloc((np ? np : 1) * sizeof *c);
  if (!c) gdl_bench_die(bs->args->prog, "point costs", gdl_fail(GDL_ENOMEM, "out of memory"));
  for (size_t i = 0; i < np; i++) c[i] = cost(ctx, i);
  int rc = gdl_sweep_set_costs(bs->sw, c);
  free(c);
  if (rc) gdl_bench_die(bs->args->prog, "point costs", rc);
}

void gdl_bench_sweep_phase(gdl_bench_sweep *bs, const char *sweep_name, size_t np, gdl_bench_cost_fn cost,
                           gdl_sweep_point_fn fn, void *ctx, const char *table, gdl_table *t) {
  const gdl_bench_args *args = bs->args;
  int first = bs->nphases_ == 0, rc;
  if (bs->nphases_ == GDL_BENCH_MAXPHASES)
    gdl_bench_die(args->prog, sweep_name, gdl_fail(GDL_EINVAL, "more than %d sweep phases", GDL_BENCH_MAXPHASES));
  if ((rc = gdl_exp_sweep_begin(first ? bs->argc_ : NULL, first ? bs->argv_ : NULL, args->out, sweep_name, np, bs->doc,
                                &bs->sw)))
    gdl_bench_die(args->prog, "sweep", rc);
  bs->phases_[bs->nphases_++] = bs->sw;
  if (cost) set_costs(bs, np, cost, ctx);
  if ((rc = gdl_sweep_run(bs->sw, sweep_name, fn, ctx, &bs->failed))) gdl_bench_die(args->prog, "sweep points", rc);
  if ((rc = gdl_sweep_barrier(bs->sw))) gdl_bench_die(args->prog, "barrier", rc);
  bs->root = gdl_sweep_is_root(bs->sw);
  if (!bs->root || !table) return;
  char path[4096];
  gdl_bench_out_path(args, table, path, sizeof path);
  if (!t) {
    gdl_table_free(&bs->t);
    t = &bs->t;
  }
  if ((rc = gdl_sweep_assemble(bs->sw, path))) gdl_bench_die(args->prog, "assemble", rc);
  if ((rc = gdl_csv_read(path, t))) gdl_bench_die(args->prog, "read back", rc);
}

void gdl_bench_sweep_run(gdl_bench_sweep *bs, const gdl_bench_args *args, int same_as_test, int *argc, char ***argv,
                         const char *family, const char *sweep_name, gdl_exp_config_fn cfg_json, const void *cfg,
                         size_t np, gdl_bench_cost_fn cost, gdl_sweep_point_fn fn, void *ctx, const char *table) {
  gdl_bench_sweep_begin(bs, args, same_as_test, argc, argv, family, NULL, cfg_json, cfg);
  gdl_bench_sweep_phase(bs, sweep_name, np, cost, fn, ctx, table, NULL);
}

/* every name of the comma list `figures` as a figure of the summary */
static int add_figures(gdl_summary *sum, const char *figures) {
  for (const char *f = figures; f && *f;) {
    size_t n = strcspn(f, ",");
    char name[256];
    if (n >= sizeof name) return gdl_fail(GDL_EINVAL, "figure name too long: %.*s", (int)n, f);
    memcpy(name, f, n);
    name[n] = 0;
    GDL_TRY(gdl_summary_figure(sum, name));
    f += n + (f[n] == ',');
  }
  return GDL_OK;
}

void gdl_bench_sweep_finish(gdl_bench_sweep *bs, const char *claims, gdl_bench_outputs_fn outputs, void *ctx,
                            const char *figures) {
  if (!bs->root) return;
  gdl_summary *sum = NULL;
  int rc = GDL_OK;
  GDL_TRY_CLEANUP(gdl_summary_new(claims, &sum));
  if (outputs) GDL_TRY_CLEANUP(outputs(bs, sum, ctx));
  GDL_TRY_CLEANUP(add_figures(sum, figures));
  gdl_bench_sweep_write(bs, sum);
cleanup:
  gdl_summary_free(sum);
  if (rc) gdl_bench_die(bs->args->prog, "outputs", rc);
}

void gdl_bench_write_json(const gdl_bench_args *args, const char *name, gdl_json *j) {
  char path[4096];
  gdl_bench_out_path(args, name, path, sizeof path);
  int rc = gdl_json_write(j, path);
  if (rc) gdl_bench_die(args->prog, name, rc);
}

void gdl_bench_write_summary(const gdl_bench_args *args, gdl_summary *sum) {
  char path[4096];
  gdl_bench_out_path(args, "summary.json", path, sizeof path);
  int rc = gdl_summary_write(sum, path);
  if (rc) gdl_bench_die(args->prog, "summary", rc);
}

void gdl_bench_sweep_write(gdl_bench_sweep *bs, gdl_summary *sum) {
  const gdl_bench_args *a = bs->args;
  char name[256];
  int rc;
  if (sum) {
    gdl_bench_write_summary(a, sum);
    if ((rc = gdl_json_int(bs->doc, "checks_failed", (long long)gdl_summary_failed(sum))))
      gdl_bench_die(a->prog, "summary", rc);
  }
  if ((rc = gdl_json_provenance(bs->doc, a->seed))) gdl_bench_die(a->prog, "provenance", rc);
  snprintf(name, sizeof name, "%s.json", bs->family);
  gdl_bench_write_json(a, name, bs->doc);
}

void gdl_bench_sweep_end(gdl_bench_sweep *bs) {
  gdl_table_free(&bs->t);
  gdl_json_free(bs->doc);
  for (size_t k = bs->nphases_; k-- > 0;) gdl_sweep_end(bs->phases_[k]);
  memset(bs, 0, sizeof *bs);
}

int gdl_bench_same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }


int gdl_bench_main(int argc, char **argv, const gdl_bench_program *p) {
  gdl_bench_args args;
  int same = 0;
  gdl_bench_parse(&args, p->prog, p->check ? GDL_BENCH_USAGE_SAME_AS_TEST : GDL_BENCH_USAGE, argc, argv,
                  p->check ? gdl_bench_flag_same_as_test : NULL, &same);
  size_t np = p->grid(&args);
  gdl_bench_sweep bs;
  gdl_bench_sweep_run(&bs, &args, same, &argc, &argv, p->family, p->sweep[args.full ? 1 : 0], p->cfg_json, p->cfg, np,
                      p->cost, p->point, p->ctx, p->table);
  gdl_bench_sweep_finish(&bs, p->claims, p->outputs, p->ctx, p->figures);
  int status = same && bs.root ? p->check(&bs, p->ctx) : 0;
  gdl_bench_sweep_end(&bs);
  return status;
}
