/* bench.cli: the command line shared by the bench_* programs (bench_cli.h): strict --seed,
 * required --out, one-line usage errors with exit status 2, --help with status 0, the
 * program-flag callback, gdl_bench_die's status 1, the BLAS thread default, and the sweep
 * frame (two phases, their tables, the summary with its figures, the sidecar). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "gdl/gdl.h"
#include "bench_cli.h"

#define ARGV(...) ((char *[]){"bench_t", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"bench_t", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(a, ...) \
  gdl_bench_parse(a, "bench_t", "--out DIR [--full] [--seed N]", ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), NULL, NULL)

Test(bench_cli, u64_accepts) {
  static const struct { const char *s; uint64_t v; } ok[] = {
      {"0", 0}, {"7", 7}, {"20221103", 20221103u}, {"0x0", 0}, {"0x1F", 31}, {"0Xff", 255},
      {"18446744073709551615", UINT64_MAX}, {"0xFFFFFFFFFFFFFFFF", UINT64_MAX}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    uint64_t v = 1234;
    cr_assert(gdl_bench_parse_u64(ok[i].s, &v) == 0, "'%s' rejected", ok[i].s);
    cr_assert(v == ok[i].v, "'%s' read as %llu", ok[i].s, (unsigned long long)v);
  }
}

Test(bench_cli, u64_rejects) {
  static const char *const bad[] = {"", "-1", "+1", " 1", "1 ", "12x", "x12", "010", "00", "0x", "0x-1",
                                    "0xg", "1e3", "1.0", "18446744073709551616", "0x10000000000000000",
                                    "99999999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint64_t v = 1234;
    cr_assert(gdl_bench_parse_u64(bad[i], &v) == -1, "'%s' accepted", bad[i]);
    cr_assert(v == 1234, "'%s' changed the output", bad[i]);
  }
  cr_assert(gdl_bench_parse_u64(NULL, NULL) == -1);
}

Test(bench_cli, parses_common_flags) {
  gdl_bench_args a;
  PARSE(&a, "--seed", "0x10", "--full", "--out", "/tmp/x");
  cr_assert_str_eq(a.out, "/tmp/x");
  cr_assert(a.full == 1 && a.seed == 16 && a.seed_given == 1);
  cr_assert_str_eq(a.prog, "bench_t");
}

Test(bench_cli, seed_from_env_without_flag) {
  gdl_bench_args a;
  setenv("GDL_SEED", "77", 1);
  PARSE(&a, "--out", "d");
  cr_assert(a.seed == 77 && a.seed_given == 0 && a.full == 0);
  unsetenv("GDL_SEED");
  PARSE(&a, "--out", "d");
  cr_assert(a.seed == GDL_DEFAULT_SEED);
  setenv("GDL_SEED", "77", 1);
  PARSE(&a, "--out", "d", "--seed", "5");
  cr_assert(a.seed == 5 && a.seed_given == 1, "--seed must win over GDL_SEED");
}

Test(bench_cli, bad_seed_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out", "d", "--seed", "-1");
}
Test(bench_cli, junk_seed_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out", "d", "--seed", "12x");
}
Test(bench_cli, missing_seed_value_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out", "d", "--seed");
}
Test(bench_cli, unknown_flag_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out", "d", "--bogus");
}
Test(bench_cli, missing_out_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--full");
}
Test(bench_cli, out_without_value_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out");
}
Test(bench_cli, out_followed_by_flag_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  PARSE(&a, "--out", "--full");
}
Test(bench_cli, bad_env_seed_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  cr_redirect_stderr();
  setenv("GDL_SEED", "abc", 1);
  PARSE(&a, "--out", "d");
}
Test(bench_cli, help_exits_0, .exit_code = 0) {
  gdl_bench_args a;
  cr_redirect_stdout();
  PARSE(&a, "--help", "--bogus-after-help-is-not-read");
}
Test(bench_cli, die_exits_1, .exit_code = 1) {
  cr_redirect_stderr();
  gdl_bench_die("bench_t", "alloc", gdl_fail(GDL_ENOMEM, "out of memory"));
}

/* a program flag with a value (2 entries), a bare one (1), and "not mine" (0) */
typedef struct { int k; const char *name; } opts;
static int extra(gdl_bench_args *a, int i, int argc, char **argv, void *ctx) {
  opts *o = ctx;
  if (!strcmp(argv[i], "--k")) {
    uint64_t v;
    const char *s = gdl_bench_value(a, i, argc, argv);
    if (gdl_bench_parse_u64(s, &v) != 0 || v > 9) gdl_bench_usage_error(a, "--k wants 0..9, got '%s'", s);
    o->k = (int)v;
    return 2;
  }
  if (!strcmp(argv[i], "--flag")) {
    o->name = "flag";
    return 1;
  }
  return 0;
}
Test(bench_cli, callback_flags) {
  gdl_bench_args a;
  opts o = {0, NULL};
  char *av[] = {"bench_t", "--k", "7", "--out", "d", "--flag", NULL};
  gdl_bench_parse(&a, "bench_t", "--out DIR [--k K] [--flag]\n  --k K  a number\n", 6, av, extra, &o);
  cr_assert(o.k == 7 && o.name && !strcmp(o.name, "flag") && !strcmp(a.out, "d"));
}
Test(bench_cli, callback_bad_value_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  opts o = {0, NULL};
  char *av[] = {"bench_t", "--out", "d", "--k", "12", NULL};
  cr_redirect_stderr();
  gdl_bench_parse(&a, "bench_t", "--out DIR [--k K]", 5, av, extra, &o);
}
Test(bench_cli, callback_unknown_exits_2, .exit_code = 2) {
  gdl_bench_args a;
  opts o = {0, NULL};
  char *av[] = {"bench_t", "--out", "d", "--other", NULL};
  cr_redirect_stderr();
  gdl_bench_parse(&a, "bench_t", "--out DIR [--k K]", 4, av, extra, &o);
}

/* BLAS threads: 1 unless OPENBLAS_NUM_THREADS is set (then OpenBLAS's own reading stands) */
Test(bench_cli, blas_threads_default) {
  openblas_set_num_threads(2);
  setenv("OPENBLAS_NUM_THREADS", "2", 1);
  cr_assert(gdl_bench_blas_threads_default() == openblas_get_num_threads());
  unsetenv("OPENBLAS_NUM_THREADS");
  cr_assert(gdl_bench_blas_threads_default() == 1);
  cr_assert(openblas_get_num_threads() == 1);
  gdl_bench_args a;
  openblas_set_num_threads(2);
  PARSE(&a, "--out", "d");
  cr_assert(a.blas_threads == 1 && openblas_get_num_threads() == 1);
}

/* The shared strict readers (cli/args.h) behind bench_cli: the inputs issue 14 found
 * accepted by the old strtod/strtoul readers are rejected. */
Test(bench_cli, shared_strict_readers) {
  double d;
  static const char *const bad[] = {" 4", "+4", "4,", "4 ", "", "nan", "inf", "0x10", "1e-400", "1e999", "--1", "."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert(gdl_bench_parse_double(bad[i], -1e300, 1e300, &d) == -1, "'%s' accepted", bad[i]);
  cr_assert(gdl_bench_parse_double("-2.5e-3", -1, 1, &d) == 0 && d == -2.5e-3);
  cr_assert(gdl_bench_parse_double(".5", 0, 1, &d) == 0 && d == 0.5);
  cr_assert(gdl_bench_parse_double("2", 0, 1, &d) == -1, "out of range accepted");
  size_t v[4], n;
  static const char *const badl[] = {"4,", ",4", "4,,5", " 4", "+4", "0", "4,5,6,7,8", ""};
  for (size_t i = 0; i < sizeof badl / sizeof badl[0]; i++)
    cr_assert(gdl_bench_parse_sizes(badl[i], 1, 100, 4, v, &n) == -1, "list '%s' accepted", badl[i]);
  cr_assert(gdl_bench_parse_sizes("64,32", 1, 100, 4, v, &n) == 0 && n == 2 && v[0] == 64 && v[1] == 32);
}

/* ---- the sweep frame: phases, tables, summary and sidecar ---- */
static int frame_point(void *ctx, gdl_sweep *s, size_t i) {
  static const char *const cols[] = {"i", "v"};
  char path[4096];
  double row[2] = {(double)i, *(const double *)ctx * (double)i};
  GDL_TRY(gdl_sweep_point_file(s, i, "csv", path, sizeof path));
  return gdl_csv_write(path, 2, cols, 1, row);
}

static int frame_outputs(gdl_bench_sweep *bs, gdl_summary *sum, void *ctx) {
  const gdl_table *a = ctx;
  double last = gdl_table_get(&bs->t, bs->t.nrows - 1, "v");
  GDL_TRY(gdl_json_num(bs->doc, "last", last));
  return gdl_summary_check(sum, "T", "rows of the first phase", (double)a->nrows, "==", 3, a->nrows == 3);
}

static char *read_text(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  cr_assert(f, "%s missing", path);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return buf;
}

Test(bench_cli, frame_phases_summary_sidecar) {
  char dir[] = "/tmp/bench_cli_frame_XXXXXX";
  cr_assert(mkdtemp(dir));
  gdl_bench_args a;
  PARSE(&a, "--out", dir, "--seed", "3");
  double ten = 10, hundred = 100;
  gdl_table first = {0};
  gdl_bench_sweep bs;
  gdl_bench_sweep_begin(&bs, &a, 0, NULL, NULL, "frame", "test", NULL, NULL);
  gdl_bench_sweep_phase(&bs, "one", 3, NULL, frame_point, &ten, "a.csv", &first);
  gdl_bench_sweep_phase(&bs, "two", 2, NULL, frame_point, &hundred, "b.csv", NULL);
  cr_assert(bs.root && first.nrows == 3 && bs.t.nrows == 2);
  cr_assert(gdl_table_get(&first, 2, "v") == 20 && gdl_table_get(&bs.t, 1, "v") == 100);
  gdl_bench_sweep_finish(&bs, "T", frame_outputs, &first, "fig_a,fig_b.png");
  gdl_bench_sweep_end(&bs);
  gdl_table_free(&first);
  const char *sum = read_text(dir, "summary.json");
  cr_assert(strstr(sum, "\"fig_a\"") && strstr(sum, "\"fig_b.png\"") && strstr(sum, "rows of the first phase"),
            "%s", sum);
  const char *side = read_text(dir, "frame.json");
  cr_assert(strstr(side, "\"mode\": \"test\"") && strstr(side, "\"last\": 100") && strstr(side, "\"checks_failed\": 0"),
            "%s", side);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert(system(cmd) == 0);
}
