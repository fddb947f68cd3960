/* core.report: atomic writes (no temp file left, never a half file), CSV, JSON builder
 * (nesting, escaping, numbers), provenance, claim records, and argument checking. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

static char tmpdir[256];

static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "/tmp/gdl_test_report.XXXXXX");
  cr_assert(mkdtemp(tmpdir) != NULL);
}

static void rm_rf(const char *path) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) { /* best effort */ }
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  size_t k = fread(b, 1, (size_t)n, f);
  b[k] = '\0';
  fclose(f);
  if (len) *len = k;
  return b;
}

/* Number of directory entries containing ".tmp." */
static int count_tmp(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strstr(e->d_name, ".tmp.")) n++;
  closedir(d);
  return n;
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

Test(report, write_atomic_creates_parents_and_leaves_no_temp) {
  make_tmpdir();
  char path[1024], dir[512];
  snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
  snprintf(path, sizeof path, "%s/out.txt", dir);
  const char data[] = "hello\nworld\n\0binary";
  cr_assert(gdl_write_atomic(path, data, sizeof data) == GDL_OK, "%s", gdl_strerror_last());
  size_t n;
  char *b = slurp(path, &n);
  cr_assert(b && n == sizeof data && memcmp(b, data, n) == 0);
  free(b);
  cr_assert(count_tmp(dir) == 0, "temp file left behind");
  /* overwrite */
  cr_assert(gdl_write_atomic(path, "x", 1) == GDL_OK);
  b = slurp(path, &n);
  cr_assert(n == 1 && b[0] == 'x');
  free(b);
  /* empty file */
  cr_assert(gdl_write_atomic(path, NULL, 0) == GDL_OK);
  b = slurp(path, &n);
  cr_assert(n == 0);
  free(b);
  cr_assert(count_tmp(dir) == 0);
  /* mkdir -p on an existing directory is fine, twice */
  cr_assert(gdl_mkdir_p(dir) == GDL_OK);
  snprintf(path, sizeof path, "%s/x/y/", tmpdir);
  cr_assert(gdl_mkdir_p(path) == GDL_OK);
  cr_assert(gdl_mkdir_p(path) == GDL_OK);
  rm_rf(tmpdir);
}

Test(report, failed_write_keeps_old_file_and_no_temp) {
  make_tmpdir();
  char path[512], blocker[512], bad[512];
  snprintf(path, sizeof path, "%s/keep.txt", tmpdir);
  cr_assert(gdl_write_atomic(path, "old content", 11) == GDL_OK);
  /* a path below a regular file cannot be created */
  snprintf(blocker, sizeof blocker, "%s/file", tmpdir);
  cr_assert(gdl_write_atomic(blocker, "f", 1) == GDL_OK);
  snprintf(bad, sizeof bad, "%s/file/sub/x.txt", tmpdir);
  GDL_EXPECT_FAIL(gdl_write_atomic(bad, "abc", 3), GDL_EIO);
  GDL_EXPECT_FAIL(gdl_mkdir_p(bad), GDL_EIO);
  /* a directory target is refused before any temp file: it stays, no temp is left */
  char dirpath[512];
  snprintf(dirpath, sizeof dirpath, "%s/adir", tmpdir);
  cr_assert(gdl_mkdir_p(dirpath) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_write_atomic(dirpath, "abc", 3), GDL_EINVAL);
  struct stat st;
  cr_assert(stat(dirpath, &st) == 0 && S_ISDIR(st.st_mode));
  cr_assert(count_tmp(tmpdir) == 0, "temp file left after a failed rename");
  size_t n;
  char *b = slurp(path, &n);
  cr_assert(n == 11 && !memcmp(b, "old content", 11));
  free(b);
  rm_rf(tmpdir);
}

Test(report, csv_is_invisible_until_commit) {
  make_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/sub/curve.csv", tmpdir);
  const char *cols[3] = {"step", "loss, total", "say \"hi\""};
  gdl_csv *c = NULL;
  cr_assert(gdl_csv_open(path, 3, cols, &c) == GDL_OK, "%s", gdl_strerror_last());
  const double r1[3] = {1, 0.5, NAN}, r2[3] = {2, -INFINITY, 0.1};
  cr_assert(gdl_csv_row(c, r1) == GDL_OK);
  cr_assert(gdl_csv_row(c, r2) == GDL_OK);
  cr_assert(gdl_csv_row_text(c, "%d,%s,%g", 3, "text", 1e-300) == GDL_OK);
  cr_assert(gdl_csv_row_text(c, "4,5,6\n") == GDL_OK);
  /* nothing at the final path yet: an interrupted run never leaves a half file */
  cr_assert(!exists(path), "CSV visible before commit");
  char sub[512];
  snprintf(sub, sizeof sub, "%s/sub", tmpdir);
  cr_assert(count_tmp(sub) == 1);
  cr_assert(gdl_csv_commit(c) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(count_tmp(sub) == 0);
  char *b = slurp(path, NULL);
  cr_assert(b != NULL);
  cr_assert_str_eq(b, "step,\"loss, total\",\"say \"\"hi\"\"\"\n1,0.5,nan\n2,-inf,0.1\n3,text,1e-300\n4,5,6\n");
  free(b);
  /* abort: the old file stays, the temp goes */
  cr_assert(gdl_csv_open(path, 3, cols, &c) == GDL_OK);
  cr_assert(gdl_csv_row(c, r1) == GDL_OK);
  gdl_csv_abort(c);
  cr_assert(count_tmp(sub) == 0);
  b = slurp(path, NULL);
  cr_assert(strstr(b, "4,5,6") != NULL, "aborted CSV replaced the old file");
  free(b);
  gdl_csv_abort(NULL);
  rm_rf(tmpdir);
}

Test(report, csv_numbers_round_trip) {
  make_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/n.csv", tmpdir);
  const char *cols[1] = {"v"};
  const double vals[] = {0.1, 1.0 / 3.0, -2.5e-310, 1e300, 123456789.123456789, -0.0};
  gdl_csv *c = NULL;
  cr_assert(gdl_csv_open(path, 1, cols, &c) == GDL_OK);
  for (size_t i = 0; i < 6; i++) cr_assert(gdl_csv_row(c, &vals[i]) == GDL_OK);
  cr_assert(gdl_csv_commit(c) == GDL_OK);
  FILE *f = fopen(path, "r");
  char line[128];
  cr_assert(fgets(line, sizeof line, f) != NULL);
  for (size_t i = 0; i < 6; i++) {
    cr_assert(fgets(line, sizeof line, f) != NULL);
    double v = strtod(line, NULL);
    cr_assert(v == vals[i], "row %zu: '%s' reads back as %.17g, wrote %.17g", i, line, v, vals[i]);
  }
  fclose(f);
  rm_rf(tmpdir);
}

Test(report, json_builder_nesting_and_escaping) {
  gdl_json *j = NULL;
  cr_assert(gdl_json_new(&j) == GDL_OK);
  cr_assert(gdl_json_str(j, "s", "quote\" back\\ nl\n tab\t cr\r bell\x01 del\x7f utf8 \xc3\xa9") == GDL_OK);
  cr_assert(gdl_json_num(j, "x", 0.1) == GDL_OK);
  cr_assert(gdl_json_num(j, "nan", NAN) == GDL_OK);
  cr_assert(gdl_json_num(j, "inf", -INFINITY) == GDL_OK);
  cr_assert(gdl_json_int(j, "i", -42) == GDL_OK);
  cr_assert(gdl_json_bool(j, "b", 1) == GDL_OK);
  const double v[3] = {1, NAN, 2.5};
  cr_assert(gdl_json_nums(j, "arr", 3, v) == GDL_OK);
  cr_assert(gdl_json_nums(j, "empty", 0, NULL) == GDL_OK);
  cr_assert(gdl_json_begin(j, "inner") == GDL_OK);
  cr_assert(gdl_json_str(j, "k\"ey", "v") == GDL_OK);
  cr_assert(gdl_json_begin(j, "deeper") == GDL_OK);
  cr_assert(gdl_json_end(j) == GDL_OK);
  cr_assert(gdl_json_end(j) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_json_end(j), GDL_ESTATE);
  cr_assert(gdl_json_bool(j, "last", 0) == GDL_OK);
  const char *t = gdl_json_text(j);
  cr_assert(t != NULL);
  const char *want =
      "{\n"
      "  \"s\": \"quote\\\" back\\\\ nl\\n tab\\t cr\\r bell\\u0001 del\\u007f utf8 \xc3\xa9\",\n"
      "  \"x\": 0.1,\n"
      "  \"nan\": null,\n"
      "  \"inf\": null,\n"
      "  \"i\": -42,\n"
      "  \"b\": true,\n"
      "  \"arr\": [1, null, 2.5],\n"
      "  \"empty\": [],\n"
      "  \"inner\": {\n"
      "    \"k\\\"ey\": \"v\",\n"
      "    \"deeper\": {}\n"
      "  },\n"
      "  \"last\": false\n"
      "}\n";
  cr_assert_str_eq(t, want);
  gdl_json_free(j);
}

Test(report, json_text_closes_open_objects) {
  gdl_json *j = NULL;
  cr_assert(gdl_json_new(&j) == GDL_OK);
  cr_assert_str_eq(gdl_json_text(j), "{}\n");
  cr_assert(gdl_json_begin(j, "a") == GDL_OK);
  cr_assert(gdl_json_int(j, "b", 1) == GDL_OK);
  cr_assert_str_eq(gdl_json_text(j), "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n");
  /* still open: more members can follow */
  cr_assert(gdl_json_int(j, "c", 2) == GDL_OK);
  cr_assert(gdl_json_end(j) == GDL_OK);
  cr_assert_str_eq(gdl_json_text(j), "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": 2\n  }\n}\n");
  for (int k = 0; k < 40; k++) {
    int rc = gdl_json_begin(j, "d");
    if (rc != GDL_OK) {
      cr_assert(rc == GDL_EINVAL && k == 32, "depth limit at %d (rc %d)", k, rc);
      break;
    }
  }
  cr_assert(gdl_json_text(j) != NULL);
  gdl_json_free(j);
}

Test(report, json_write_and_provenance) {
  make_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/deep/r.json", tmpdir);
  gdl_json *j = NULL;
  cr_assert(gdl_json_new(&j) == GDL_OK);
  cr_assert(gdl_json_begin(j, "provenance") == GDL_OK);
  cr_assert(gdl_json_provenance(j, 18446744073709551615ull) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_json_end(j) == GDL_OK);
  cr_assert(gdl_json_write(j, path) == GDL_OK, "%s", gdl_strerror_last());
  gdl_json_free(j);
  char *b = slurp(path, NULL);
  cr_assert(b != NULL);
  static const char *keys[] = {"\"version\": ", "\"git\": ", "\"blas\": ", "\"blas_threads\": ", "\"compiler\": ",
                               "\"omp_threads\": ", "\"hostname\": ", "\"utc\": \"20", "\"seed\": 18446744073709551615"};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
    cr_assert(strstr(b, keys[k]) != NULL, "provenance lacks %s:\n%s", keys[k], b);
  cr_assert(strstr(b, gdl_version()) != NULL);
  free(b);
  char dd[512];
  snprintf(dd, sizeof dd, "%s/deep", tmpdir);
  cr_assert(count_tmp(dd) == 0);
  rm_rf(tmpdir);
}

Test(report, claim_record) {
  make_tmpdir();
  /* unset: nothing is written, success */
  unsetenv("GDL_RESULTS_DIR");
  cr_assert(gdl_claim_record("NG1", "bound", 0.1, "<=", 0.2, 1, 7, "n=16") == GDL_OK);
  setenv("GDL_RESULTS_DIR", tmpdir, 1);
  cr_assert(gdl_claim_record("NG1", "parity k=8/n 16", 0.1, "<=", 0.25, 1, 7, "n=16 \"quoted\"") == GDL_OK,
            "%s", gdl_strerror_last());
  char path[512];
  snprintf(path, sizeof path, "%s/claims/NG1__parity_k_8_n_16.json", tmpdir);
  char *b = slurp(path, NULL);
  cr_assert(b != NULL, "no file %s", path);
  cr_assert(strstr(b, "\"claim\": \"NG1\"") && strstr(b, "\"check\": \"parity k=8/n 16\""), "%s", b);
  cr_assert(strstr(b, "\"measured\": 0.1,") && strstr(b, "\"bound\": 0.25,") && strstr(b, "\"margin\": 0.15,"),
            "%s", b);
  cr_assert(strstr(b, "\"relation\": \"<=\"") && strstr(b, "\"pass\": true") && strstr(b, "\"seed\": 7"), "%s", b);
  cr_assert(strstr(b, "\"params\": \"n=16 \\\"quoted\\\"\"") && strstr(b, "\"provenance\": {"), "%s", b);
  free(b);
  /* a failing check is recorded too; names that try to escape the directory are sanitised */
  cr_assert(gdl_claim_record("../evil", ".hidden", NAN, ">", 1.0, 0, 7, NULL) == GDL_OK, "%s", gdl_strerror_last());
  snprintf(path, sizeof path, "%s/claims/.._evil__.hidden.json", tmpdir);
  cr_assert(!exists(path));
  snprintf(path, sizeof path, "%s/claims/_._evil___hidden.json", tmpdir);
  b = slurp(path, NULL);
  cr_assert(b != NULL, "no sanitised file %s", path);
  cr_assert(strstr(b, "\"measured\": null") && strstr(b, "\"pass\": false"), "%s", b);
  free(b);
  snprintf(path, sizeof path, "%s/claims", tmpdir);
  cr_assert(count_tmp(path) == 0);
  GDL_EXPECT_FAIL(gdl_claim_record("c", "k", 1, "==", 1, 1, 0, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_claim_record(NULL, "k", 1, "<", 1, 1, 0, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_claim_record("c", "", 1, "<", 1, 1, 0, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_claim_record("c", "k", 1, NULL, 1, 1, 0, NULL), GDL_EINVAL);
  unsetenv("GDL_RESULTS_DIR");
  rm_rf(tmpdir);
}

Test(report, versions_and_progress) {
  cr_assert(gdl_version() && *gdl_version());
  cr_assert(gdl_git_describe() && *gdl_git_describe());
  cr_assert(gdl_blas_config() && *gdl_blas_config());
  /* not a terminal under ctest: prints nothing and must not crash */
  gdl_progress("x", 1, 2);
  gdl_progress(NULL, 2, 0);
  gdl_progress_done();
}

Test(report, bad_arguments) {
  gdl_csv *c = NULL;
  const char *cols[1] = {"a"}, *nullcols[1] = {NULL};
  double v[1] = {1};
  GDL_EXPECT_FAIL(gdl_mkdir_p(NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_mkdir_p(""), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_write_atomic(NULL, "a", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_write_atomic("", "a", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_write_atomic("/tmp/x", NULL, 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_write_atomic("/tmp/dir/", "a", 1), GDL_EINVAL);
  char longp[5000];
  memset(longp, 'a', sizeof longp - 1);
  longp[sizeof longp - 1] = '\0';
  GDL_EXPECT_FAIL(gdl_write_atomic(longp, "a", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_mkdir_p(longp), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open(NULL, 1, cols, &c), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/tmp/x.csv", 0, cols, &c), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/tmp/x.csv", 1, NULL, &c), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/tmp/x.csv", 1, nullcols, &c), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/tmp/x.csv", 1, cols, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/tmp/x.csv", SIZE_MAX, cols, &c), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_open("/proc/no/such/dir/x.csv", 1, cols, &c), GDL_EIO);
  GDL_EXPECT_FAIL(gdl_csv_row(NULL, v), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_row_text(NULL, "%d", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_csv_commit(NULL), GDL_EINVAL);
  make_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/y.csv", tmpdir);
  cr_assert(gdl_csv_open(path, 1, cols, &c) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_csv_row(c, NULL), GDL_EINVAL);
  gdl_csv_abort(c);
  rm_rf(tmpdir);

  gdl_json *j = NULL;
  GDL_EXPECT_FAIL(gdl_json_new(NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_str(NULL, "k", "v"), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_num(NULL, "k", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_int(NULL, "k", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_bool(NULL, "k", 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_nums(NULL, "k", 0, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_begin(NULL, "k"), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_end(NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_provenance(NULL, 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_write(NULL, "/tmp/x.json"), GDL_EINVAL);
  cr_assert(gdl_json_text(NULL) == NULL);
  cr_assert(gdl_json_new(&j) == GDL_OK);
  GDL_EXPECT_FAIL(gdl_json_str(j, NULL, "v"), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_str(j, "k", NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_num(j, NULL, 1), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_nums(j, "k", 2, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_begin(j, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_write(j, NULL), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_json_write(j, ""), GDL_EINVAL);
  /* failed calls did not corrupt the object */
  cr_assert_str_eq(gdl_json_text(j), "{}\n");
  gdl_json_free(j);
  gdl_json_free(NULL);
}

Test(report, summary_rows_figures_and_lists) {
  char dir[] = "/tmp/gdl_summary_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  gdl_summary *s = NULL;
  cr_assert(gdl_summary_new("NG", &s) == GDL_OK);
  /* many rows: the buffer grows (the old fixed 64 KiB buffer would overflow) */
  for (int i = 0; i < 2000; i++) {
    char chk[64];
    snprintf(chk, sizeof chk, "check \"%d\" \\", i);
    cr_assert(gdl_summary_check(s, "NG1", chk, 0.5, "<=", 1.0, 1) == GDL_OK, "%s", gdl_strerror_last());
  }
  cr_assert(gdl_summary_check(s, "NG2", "fails", 2.0, "<=", 1.0, 0) == GDL_OK);
  cr_assert(gdl_summary_failed(s) == 1);
  cr_assert(gdl_summary_figure(s, "noisy_gd_bound.png") == GDL_OK);
  char p[512];
  snprintf(p, sizeof p, "%s/summary.json", dir);
  cr_assert(gdl_summary_write(s, p) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_summary_check(s, "NG1", "late", 0, "<=", 1, 1) == GDL_ESTATE);
  gdl_summary_free(s);
  FILE *f = fopen(p, "r");
  cr_assert(f != NULL);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  cr_assert(strstr(buf, "\"rows\": [") && strstr(buf, "\"figures\": [") && strstr(buf, "\"noisy_gd_bound.png\""));
  cr_assert(strstr(buf, "check \\\"1999\\\" \\\\") != NULL, "escaping");
  cr_assert(strstr(buf, "margin -1") != NULL, "text of the failing row");
  /* lists: keys are refused inside, NULL keys outside */
  gdl_json *j = NULL;
  cr_assert(gdl_json_new(&j) == GDL_OK);
  cr_assert(gdl_json_begin_list(j, "xs") == GDL_OK);
  cr_assert(gdl_json_num(j, "k", 1) == GDL_EINVAL);
  cr_assert(gdl_json_num(j, NULL, 1) == GDL_OK);
  cr_assert(gdl_json_begin(j, NULL) == GDL_OK);
  cr_assert(gdl_json_num(j, NULL, 1) == GDL_EINVAL);
  cr_assert(gdl_json_int(j, "a", 2) == GDL_OK);
  const char *t = gdl_json_text(j); /* closes the open object and list */
  cr_assert(t && strstr(t, "\"xs\": [") && strstr(t, "\"a\": 2") && strchr(t, ']'), "%s", t);
  gdl_json_free(j);
}

Test(report, csv_read_round_trip_and_errors) {
  char dir[] = "/tmp/gdl_csvread_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  char p[512];
  snprintf(p, sizeof p, "%s/t.csv", dir);
  static const char *const cols[] = {"a", "b"};
  gdl_csv *c = NULL;
  cr_assert(gdl_csv_open(p, 2, cols, &c) == GDL_OK);
  double rows[3][2] = {{1, 0.1}, {-2.5e-300, NAN}, {3, 1.0 / 3.0}};
  for (int i = 0; i < 3; i++) cr_assert(gdl_csv_row(c, rows[i]) == GDL_OK);
  cr_assert(gdl_csv_commit(c) == GDL_OK);
  gdl_table t;
  cr_assert(gdl_csv_read(p, &t) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(t.nrows == 3 && t.ncols == 2 && gdl_table_col(&t, "b") == 1 && gdl_table_col(&t, "c") == -1);
  cr_assert(t.v[2] == -2.5e-300 && isnan(t.v[3]) && t.v[5] == 1.0 / 3.0, "exact round trip");
  gdl_table_free(&t);
  const char *bad[] = {"a,b\n1,2\n3\n", "a,b\n1,x\n", "", "a,b\n1,2,3\n"};
  for (int i = 0; i < 4; i++) {
    cr_assert(gdl_write_atomic(p, bad[i], strlen(bad[i])) == GDL_OK);
    cr_assert(gdl_csv_read(p, &t) == GDL_EPARSE, "bad file %d accepted", i);
    cr_assert(t.v == NULL && t.names == NULL);
  }
  GDL_EXPECT_FAIL(gdl_csv_read("/nonexistent/x.csv", &t), GDL_EIO);
}

/* Issue 14 item 6: an existing target that is not a regular file (device, FIFO, directory)
 * is refused by every writer: temp file + rename would replace it (as root: /dev/null).
 * Item 8: temp files of dead processes are removed, those of live processes kept. */
Test(report, writers_refuse_non_regular_targets_and_clean_stale_temps) {
  char dir[] = "/tmp/gdl_rep_nonreg_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  char fifo[300], sub[300];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  snprintf(sub, sizeof sub, "%s/sub", dir);
  cr_assert(mkfifo(fifo, 0600) == 0);
  cr_assert(mkdir(sub, 0700) == 0);
  /* a FIFO stands for a device node: the test never names /dev/null, which the old code,
   * run as root, would have replaced */
  const char *targets[] = {fifo, sub};
  static const char *cols[1] = {"a"};
  for (int i = 0; i < 2; i++) {
    cr_assert(gdl_write_atomic(targets[i], "x", 1) == GDL_EINVAL, "%s: %s", targets[i], gdl_strerror_last());
    cr_assert(strstr(gdl_strerror_last(), "not a regular file") != NULL, "%s", gdl_strerror_last());
    gdl_csv *c = NULL;
    cr_assert(gdl_csv_open(targets[i], 1, cols, &c) == GDL_EINVAL && c == NULL, "%s", targets[i]);
    gdl_json *j;
    cr_assert(gdl_json_new(&j) == GDL_OK);
    cr_assert(gdl_json_write(j, targets[i]) == GDL_EINVAL, "%s", targets[i]);
    gdl_json_free(j);
  }
  struct stat st;
  cr_assert(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
  /* stale temp files */
  char path[300], dead[400], live[400];
  snprintf(path, sizeof path, "%s/r.csv", dir);
  snprintf(dead, sizeof dead, "%s.tmp.999999999", path);
  snprintf(live, sizeof live, "%s.tmp.%ld", path, (long)getppid());
  FILE *f = fopen(dead, "w");
  fclose(f);
  f = fopen(live, "w");
  fclose(f);
  gdl_csv *c = NULL;
  cr_assert(gdl_csv_open(path, 1, cols, &c) == GDL_OK);
  cr_assert(gdl_csv_commit(c) == GDL_OK);
  cr_assert(access(dead, F_OK) != 0, "stale temp file of a dead process kept");
  cr_assert(access(live, F_OK) == 0, "temp file of a live process removed");
  unlink(live), unlink(path), unlink(fifo), rmdir(sub), rmdir(dir);
}
