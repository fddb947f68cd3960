/* experiments.gradient_variance.same_as_test: the sweep (bench_gradient_variance, its own code
 * path: grid -> configuration -> gdl_sweep_run -> point files -> assembled CSVs) run on the grid
 * "same_as_test" gives, for at least one point of every sub-experiment (GV1 parity, GV2 modmul,
 * GV3 wave incl. triangle and sawtooth, GV5 wave and modular training), bit-identical values to the configuration built the
 * way theorems.gradient_variance builds it, with the same seed and replicate. The bench program
 * is given by GDL_GV_BENCH (ctest sets it). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gdl_test.h"
#include "experiments/gradient_variance.h"

static char outdir[256];

static void run_sweep(void) {
  const char *bench = getenv("GDL_GV_BENCH");
  cr_assert(bench && *bench, "GDL_GV_BENCH is not set");
  snprintf(outdir, sizeof outdir, "/tmp/gdl-gv-same-XXXXXX");
  cr_assert(mkdtemp(outdir) != NULL);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s' --out '%s' --seed %llu --grid same_as_test > '%s/log.txt' 2>&1", bench, outdir,
           (unsigned long long)gdl_test_seed(), outdir);
  cr_assert(system(cmd) == 0, "sweep failed: %s (see %s/log.txt)", cmd, outdir);
}

static gdl_table read_table(const char *file) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", outdir, file);
  gdl_table t;
  gdl_test_check_rc(gdl_csv_read(path, &t), path);
  cr_assert(t.nrows > 0, "%s is empty", path);
  return t;
}

static void same(const char *what, double sweep, double test) {
  cr_assert(sweep == test, "%s: sweep %.17g != test %.17g", what, sweep, test);
}

/* the sweep's columns cols[0..n-1] of row r against the test's values v[0..n-1] */
static void same_cols(const char *what, const gdl_table *t, size_t r, size_t n, const char *const *cols,
                      const double *v) {
  char name[96];
  for (size_t i = 0; i < n; i++) {
    snprintf(name, sizeof name, "%s %s", what, cols[i]);
    same(name, gdl_table_get(t, r, cols[i]), v[i]);
  }
}

/* Reads `file` of the sweep and calls fn on every row; returns the number of rows compared. */
typedef void (*row_fn)(const gdl_table *t, size_t r, uint64_t seed);
static size_t check_rows(const char *file, row_fn fn, uint64_t seed) {
  gdl_table t = read_table(file);
  for (size_t r = 0; r < t.nrows; r++) fn(&t, r, seed);
  size_t n = t.nrows;
  gdl_table_free(&t);
  return n;
}

/* GV1: the test's (n = 12, depth 2) runs */
static void row_parity(const gdl_table *t, size_t r, uint64_t seed) {
  gv_parity_config c;
  gv_parity_config_depth(&c, (unsigned)gdl_table_get(t, r, "n"), 2);
  gdl_var_result lev[GV_PARITY_MAXN + 1];
  gdl_test_check_rc(gv_parity_run(&c, seed, (size_t)gdl_table_get(t, r, "seed"), lev), "parity");
  size_t k = (size_t)gdl_table_get(t, r, "k");
  same_cols("GV1", t, r, 3, (const char *const[]){"var", "eg2", "bound"},
            (const double[]){lev[k].var, lev[k].eg2, lev[k].bound});
}

/* GV2: as gv2_family builds it */
static void row_modmul(const gdl_table *t, size_t r, uint64_t seed) {
  gv_modmul_config c;
  gv_modmul_config_default(&c);
  c.p = (uint64_t)gdl_table_get(t, r, "p");
  c.bits = (int)gdl_table_get(t, r, "bits");
  c.phi = (gdl_phi)(int)gdl_table_get(t, r, "phi");
  gv_modmul_result o;
  gdl_test_check_rc(gv_modmul_run(&c, seed, (size_t)gdl_table_get(t, r, "seed"), &o), "modmul");
  same_cols("GV2", t, r, 4, (const char *const[]){"var", "eg2", "egc2", "bound"},
            (const double[]){o.var, o.eg2, o.egc2, o.bound});
}

/* GV3: the default configuration at the row's A and replicate, with the wave *psi (NULL: the
 * default wave) */
static gv_wave_result wave_of_row(const gdl_table *t, size_t r, uint64_t seed, const gdl_psi *psi) {
  gv_wave_config c;
  gv_wave_config_default(&c);
  c.A = gdl_table_get(t, r, "A");
  if (psi) c.psi = *psi;
  gv_wave_result o;
  gdl_test_check_rc(gv_wave_run(&c, seed, (size_t)gdl_table_get(t, r, "seed"), &o), "wave");
  return o;
}

/* GV3: as GV3_waves builds it */
static void row_wave(const gdl_table *t, size_t r, uint64_t seed) {
  gv_wave_result o = wave_of_row(t, r, seed, NULL);
  same_cols("GV3", t, r, 4, (const char *const[]){"var", "gmu2", "bound", "jump_pred"},
            (const double[]){o.var, o.gmu2, o.bound, o.jump_pred});
}

/* GV3 every wave: as gv3_every_wave builds it (triangle = 1, sawtooth = 2) */
static void row_wave_series(const gdl_table *t, size_t r, uint64_t seed) {
  gdl_psi psi = (int)gdl_table_get(t, r, "psi") == 1 ? GDL_PSI_TRIANGLE : GDL_PSI_SAWTOOTH;
  gv_wave_result o = wave_of_row(t, r, seed, &psi);
  same_cols("GV3 series", t, r, 5, (const char *const[]){"var", "var_lo", "var_hi", "bound_full", "jump_pred"},
            (const double[]){o.var, o.var_lo, o.var_hi, o.bound_full, o.jump_pred});
}

/* GV5 wave: as GV5_wave_training builds it (rep 0) */
static void row_fvu_wave(const gdl_table *t, size_t r, uint64_t seed) {
  gv_fvu_wave_config c;
  gv_fvu_wave_config_default(&c);
  c.a = gdl_table_get(t, r, "a");
  double fvu;
  gdl_test_check_rc(gv_fvu_wave_run(&c, seed, (size_t)gdl_table_get(t, r, "seed"), &fvu), "fvu wave");
  same("GV5 wave fvu", gdl_table_get(t, r, "fvu"), fvu);
}

/* GV5 modular: as GV5_modular_training builds it, checkpoints included (the sweep runs
 * without them: measuring the class variance along the run must not change the run) */
static void row_fvu_mod(const gdl_table *t, size_t r, uint64_t seed) {
  gv_fvu_mod_config c;
  gv_fvu_mod_config_default(&c);
  c.p = (uint64_t)gdl_table_get(t, r, "p");
  c.control = (int)gdl_table_get(t, r, "control");
  c.track_every = c.p == 1009 ? 3000 : 0;
  gv_fvu_mod_result o;
  gdl_test_check_rc(gv_fvu_mod_run(&c, seed, 0, &o), "fvu mod");
  same("GV5 modular a", gdl_table_get(t, r, "a"), (double)o.a);
  same("GV5 modular fvu", gdl_table_get(t, r, "fvu"), o.fvu);
}

Test(gradient_variance, same_as_test, .timeout = 600) {
  uint64_t seed = gdl_test_seed();
  run_sweep();
  size_t n_checked[6] = {0};

  n_checked[0] = check_rows("parity.csv", row_parity, seed);
  n_checked[1] = check_rows("modmul.csv", row_modmul, seed);
  n_checked[2] = check_rows("wave.csv", row_wave, seed);
  n_checked[3] = check_rows("fvu_wave.csv", row_fvu_wave, seed);
  n_checked[4] = check_rows("fvu_modmul.csv", row_fvu_mod, seed);
  n_checked[5] = check_rows("wave_series.csv", row_wave_series, seed);
  for (int i = 0; i < 6; i++) cr_assert(n_checked[i] >= 1, "sub-experiment %d: no point compared", i);
  cr_log_info("same_as_test: %zu parity, %zu modmul, %zu wave, %zu fvu wave, %zu fvu modular, %zu triangle/sawtooth "
              "values bit-identical",
              n_checked[0], n_checked[1], n_checked[2], n_checked[3], n_checked[4], n_checked[5]);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
  cr_assert(system(cmd) == 0);
}
