/* benchmarks/bench_cli.h: the command line shared by the bench_* programs (library gdl_bench,
 * benchmarks/CMakeLists.txt).
 *
 *   bench_<family> --out DIR [--full] [--seed N] [program flags]
 *
 * gdl_bench_parse handles --out DIR (required), --full, --seed N (decimal without leading
 * zeros, or 0x hex; no sign, no trailing characters, at most 2^64 - 1; without it the seed
 * comes from GDL_SEED, else GDL_DEFAULT_SEED) and -h/--help (usage on stdout, exit 0). Any
 * other argument goes to the program's callback, if any. A usage error (unknown flag, missing
 * or bad value, no --out, bad GDL_SEED) prints one line "bench_x: <what is wrong> (try --help)"
 * on stderr and exits 2.
 *
 * BLAS threads: the sweeps parallelise over runs with OpenMP. An OpenBLAS that also starts
 * its own threads oversubscribes the cores (on 2 cores bench_noisy_gd spent ~60% of its time
 * spinning in sched_yield). So gdl_bench_parse calls gdl_bench_blas_threads_default(): one
 * BLAS thread unless OPENBLAS_NUM_THREADS is set. A program that manages BLAS threads itself
 * (bench_trainer --threads, bench_variance) sets them after parsing. The count in effect is
 * recorded by gdl_json_provenance ("blas_threads") in every result JSON.
 *
 * These are programs, not the library: they may exit (libgdl never does). */
#ifndef GDL_BENCH_CLI_H
#define GDL_BENCH_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "gdl/gdl.h"
#include "experiments/experiment.h"

typedef struct {
  const char *prog;  /* program name for messages, e.g. "bench_noisy_gd" */
  const char *usage; /* the usage text given to gdl_bench_parse */
  const char *out;   /* --out DIR */
  int full;          /* 1 when --full was given */
  uint64_t seed;     /* --seed N, else GDL_SEED, else GDL_DEFAULT_SEED */
  int seed_given;    /* 1 when --seed was given */
  int blas_threads;  /* BLAS threads in effect when gdl_bench_parse returned */
} gdl_bench_args;

/* A program's own flags. Called with argv[i] for every argument that is not one of the common
 * flags; the arguments after it are argv[i + 1 .. argc - 1]. Returns how many argv entries it
 * consumed (1 for a bare flag, 2 for a flag and its value), or 0 when argv[i] is not one of its
 * flags (gdl_bench_parse then reports it as unknown). A bad value is reported with
 * gdl_bench_usage_error (which does not return); gdl_bench_value fetches a flag's value. */
typedef int (*gdl_bench_flag_fn)(gdl_bench_args *args, int i, int argc, char **argv, void *ctx);

/* Parses the command line into *args (see the top of this file) and applies the BLAS thread
 * default. `usage` is the help text: its first line is the synopsis after the program name
 * ("--out DIR [--full] [--seed N]"); any further lines describe the program's own flags and
 * are printed by --help after the common ones. `extra` (may be NULL) and `ctx` are the
 * callback for the program's own flags. Returns only on success. */
void gdl_bench_parse(gdl_bench_args *args, const char *prog, const char *usage, int argc, char **argv,
                     gdl_bench_flag_fn extra, void *ctx);

/* The value of the flag argv[i]: argv[i + 1]. A missing or empty value, or one that is a long
 * flag itself ("--out --full"), is a usage error. */
const char *gdl_bench_value(const gdl_bench_args *args, int i, int argc, char **argv);

/* Strict unsigned 64-bit integer: decimal digits without a leading zero ("0" itself is fine),
 * or 0x / 0X followed by hex digits; no sign, no spaces, no trailing characters, no overflow.
 * Returns 0 and sets *v on success, -1 otherwise (*v untouched). */
int gdl_bench_parse_u64(const char *s, uint64_t *v);

/* Strict real in [lo, hi] and strict comma list of sizes: the readers of gdlimits (cli/args.h
 * gdl_args_double / gdl_args_size_list; " 4", "+4", "4," are rejected). 0 ok, -1 bad. */
int gdl_bench_parse_double(const char *s, double lo, double hi, double *v);
int gdl_bench_parse_sizes(const char *s, size_t lo, size_t hi, size_t max, size_t *vals, size_t *n);

/* Prints "prog: <message> (try --help)" on stderr and exits 2 (control characters of the
 * message escaped, one line). */
_Noreturn void gdl_bench_usage_error(const gdl_bench_args *args, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "prog: what: <gdl_strerror_last()> (<status name>)" on stderr and exits 1. For a
 * failure with no library message (say a failed malloc), pass gdl_fail(GDL_ENOMEM, ...) as rc. */
_Noreturn void gdl_bench_die(const char *prog, const char *what, int rc);

/* One BLAS thread unless the environment sets OPENBLAS_NUM_THREADS to a non-empty value (then
 * OpenBLAS's own reading of it stands; GOTO_NUM_THREADS and OMP_NUM_THREADS, which OpenBLAS
 * would otherwise read, do not count). Returns the BLAS thread count now in effect. */
int gdl_bench_blas_threads_default(void);

/* The usage text of a sweep without flags of its own, and of one whose only own flag is
 * --same-as-test. */
#define GDL_BENCH_USAGE "--out DIR [--full] [--seed N]"
#define GDL_BENCH_USAGE_SAME_AS_TEST                                                                     \
  "--out DIR [--full] [--seed N] [--same-as-test]\n"                                                     \
  "  --same-as-test   recompute every point as the theorem test does; exit 1 unless the sweep's files " \
  "hold bit-identical values"

/* A flag callback for programs whose only own flag is --same-as-test: sets *(int *)ctx to 1.
 * gdl_bench_sweep_run rejects it together with --full. */
int gdl_bench_flag_same_as_test(gdl_bench_args *args, int i, int argc, char **argv, void *ctx);

/* The frame every sweep main shares: the configuration document (gdl_exp_doc), one or more
 * keyed sweeps (gdl_exp_sweep_begin) run over this rank's unfinished points (gdl_sweep_run),
 * the barrier, and on rank 0 the points' CSVs assembled into a table and read back; then the
 * summary and the sidecar (gdl_bench_sweep_finish), and the end (gdl_bench_sweep_end). Any
 * failure ends the program (gdl_bench_die). A program with one sweep and nothing else to do
 * is a gdl_bench_program (below); one with several phases or its own flags calls
 * gdl_bench_sweep_begin, gdl_bench_sweep_phase (once per phase), gdl_bench_sweep_finish and
 * gdl_bench_sweep_end itself. */
#define GDL_BENCH_MAXPHASES 4
typedef struct {
  const gdl_bench_args *args;
  const char *family; /* "steps": the sidecar DIR/steps.json */
  gdl_json *doc;      /* the configuration document: key and head of the sidecar */
  gdl_sweep *sw;      /* the sweep of the latest phase */
  int root;           /* this rank assembles and writes */
  gdl_table t;        /* root: the latest phase's table read back, unless the phase named its own */
  size_t failed;      /* points of this rank that failed in the latest phase */
  /* private: MPI's arguments for the first sweep; every phase's sweep, ended by _end (the
   * first one finalises MPI when it started it) */
  int *argc_;
  char ***argv_;
  gdl_sweep *phases_[GDL_BENCH_MAXPHASES];
  size_t nphases_;
} gdl_bench_sweep;

/* The relative cost estimate of point i (see gdl_sweep_set_costs), given the points' ctx. */
typedef double (*gdl_bench_cost_fn)(const void *ctx, size_t i);

/* The configuration document of `family` in `mode` (NULL: "full" with --full, else "quick")
 * with cfg_json(cfg), for the sweeps of this program. `same_as_test` (may be 0) is the
 * --same-as-test flag: rejected with --full. argc/argv go to MPI with the first phase. */
void gdl_bench_sweep_begin(gdl_bench_sweep *bs, const gdl_bench_args *args, int same_as_test, int *argc, char ***argv,
                           const char *family, const char *mode, gdl_exp_config_fn cfg_json, const void *cfg);
/* One phase: the keyed sweep `sweep_name` of np points (fn(ctx, sw, i) writes point i), the
 * key being the program's configuration document. cost(ctx, i) (NULL: equal costs) estimates
 * the points for the cost-balanced rank assignment and the start order (gdl_sweep_set_costs).
 * With a `table` name ("steps.csv"), rank 0 concatenates the points' CSVs into DIR/<table> and
 * reads it into *t (t NULL: into bs->t; the caller frees its own t). bs->sw is this phase's
 * sweep (its point files stay readable until gdl_bench_sweep_end). */
void gdl_bench_sweep_phase(gdl_bench_sweep *bs, const char *sweep_name, size_t np, gdl_bench_cost_fn cost,
                           gdl_sweep_point_fn fn, void *ctx, const char *table, gdl_table *t);
/* gdl_bench_sweep_begin (mode from --full) and one gdl_bench_sweep_phase into bs->t. */
void gdl_bench_sweep_run(gdl_bench_sweep *bs, const gdl_bench_args *args, int same_as_test, int *argc, char ***argv,
                         const char *family, const char *sweep_name, gdl_exp_config_fn cfg_json, const void *cfg,
                         size_t np, gdl_bench_cost_fn cost, gdl_sweep_point_fn fn, void *ctx, const char *table);
/* Rank 0's outputs: the program's own files and results (it may add members to bs->doc) and
 * the rows of the summary `sum`. */
typedef int (*gdl_bench_outputs_fn)(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx);
/* Rank 0: a summary of `claims` ("NG1,NG2"), outputs(bs, sum, ctx), the comma list `figures`
 * added to the summary, then gdl_bench_sweep_write. Other ranks: nothing. */
void gdl_bench_sweep_finish(gdl_bench_sweep *bs, const char *claims, gdl_bench_outputs_fn outputs, void *ctx,
                            const char *figures);
/* Rank 0: the summary DIR/summary.json (sum may be NULL) and the sidecar DIR/<family>.json
 * (the document, the summary's failed-check count "checks_failed", provenance). */
void gdl_bench_sweep_write(gdl_bench_sweep *bs, gdl_summary *sum);
/* DIR/<name> into buf (ends the program when it does not fit). */
void gdl_bench_out_path(const gdl_bench_args *args, const char *name, char *buf, size_t len);
/* DIR/<name> from the document j, and DIR/summary.json from sum, atomically; end the program
 * on failure. */
void gdl_bench_write_json(const gdl_bench_args *args, const char *name, gdl_json *j);
void gdl_bench_write_summary(const gdl_bench_args *args, gdl_summary *sum);
/* gdl_csv_open of DIR/<name> (the program's own result tables). */
int gdl_bench_csv_open(const gdl_bench_args *args, const char *name, size_t ncols, const char *const *cols,
                       gdl_csv **out);
/* Frees the tables, the document and every phase's sweep (finalising MPI when it started it). */
void gdl_bench_sweep_end(gdl_bench_sweep *bs);
/* Bitwise equality, NaN equal to NaN: the same-as-test comparison. */
int gdl_bench_same(double a, double b);

/* A sweep program with one sweep, described by its values; its main is
 *   int main(int argc, char **argv) { return gdl_bench_main(argc, argv, &PROGRAM); }
 * gdl_bench_main parses the command line (--same-as-test too when `check` is set), calls
 * grid(args) for the number of points (it fills the program's static ctx/cfg), runs the sweep
 * (gdl_bench_sweep_run: family, sweep[full], cfg_json(cfg), cost, point(ctx), table), writes
 * the outputs (gdl_bench_sweep_finish: claims, outputs(ctx), figures) and, with
 * --same-as-test, returns check(bs, ctx) (0: the sweep's files hold the test's values, 1 not). */
typedef struct {
  const char *prog, *family;
  const char *sweep[2]; /* the sweep names: quick, full */
  const char *table;    /* the assembled table DIR/<table> (NULL: the outputs assemble) */
  const char *claims, *figures;
  size_t (*grid)(const gdl_bench_args *args);
  gdl_exp_config_fn cfg_json;
  const void *cfg;
  void *ctx;
  gdl_bench_cost_fn cost;
  gdl_sweep_point_fn point;
  gdl_bench_outputs_fn outputs;
  int (*check)(gdl_bench_sweep *bs, void *ctx); /* NULL: no --same-as-test */
} gdl_bench_program;
int gdl_bench_main(int argc, char **argv, const gdl_bench_program *p);

#endif
