/* gdl-report: the claims report of gdlimits.
 *
 *   gdl-report --results DIR --figures DIR --out DIR [--figure-map FILE]
 *              [--ctest-log FILE] [--strict]
 *
 * Reads every machine-readable result and writes OUT/index.html and OUT/REPORT.md:
 *   RESULTS/claims/<c>.json     one assertion each (gdl_claim_record, report.h): claim, check,
 *                              measured, relation, bound, margin, pass, seed, params,
 *                              provenance {version, git, blas, compiler, ...}
 *   RESULTS/<family>/summary.json   one per figure family: {"claim": "NG2" (or "NG", or
 *                              "NG1,NG2"), "rows": [{"check","measured","relation","bound",
 *                              "pass"[, "claim", "params", "seed"]}...][, "figures": [...]]}
 *   FIGURES/<f>.png, .svg       rendered figures, attributed to a family by the figure map
 *                              (lines "<family> <script-stem>..." written by CMake) or by
 *                              the file name prefix "<family>_"
 *   ctest log (optional)       per-test run times ("... Test #k: theorems.x ... 1.23 sec")
 *   RESULTS/power/kill_matrix.csv   (optional, scripts/power) faults killed per test, shown per
 *                              claim (the faults its family's theorem test kills)
 *   RESULTS/trainer/trainer.json    (optional) the benchmark run's dgemm peak (and load average)
 *                              for the performance section: PF is measured vs target, never a
 *                              failing claim
 * Also writes OUT/claims.json: one object per claim with its checks (measured, bound, margin,
 * tightness = bound/measured for <=, measured/bound for >=, pass).
 * Every claim of CLAIMS.md is listed (gdl/claims.h holds one-line statements); a claim
 * without results reads "no result", a file that is not valid JSON is reported as
 * malformed with the position of the error. No number in the report is typed by hand.
 * Exit status: 0 (also when claims fail; --strict: 1 if a claim fails or a file is
 * malformed; a missed performance target never counts), 1 on I/O errors, 2 on bad flags. Standalone: depends on libc only (and compiles
 * core/src/claims.c in). */
#define _GNU_SOURCE 1
#include "report.h"

static void usage(FILE *f) {
  fprintf(f, "usage: gdl-report --results DIR --figures DIR --out DIR [--figure-map FILE] "
             "[--ctest-log FILE] [--strict]\n");
}

/* flags; returns 0, or the exit status (2 bad flags, 0 after --help) + 1 */
typedef struct {
  const char *results, *figdir, *out, *figmap, *ctestlog;
  int strict;
} opts;

static int parse_args(int argc, char **argv, opts *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = !strcmp(a, "--results")      ? &o->results
                       : !strcmp(a, "--figures")    ? &o->figdir
                       : !strcmp(a, "--out")        ? &o->out
                       : !strcmp(a, "--figure-map") ? &o->figmap
                       : !strcmp(a, "--ctest-log")  ? &o->ctestlog
                                                    : NULL;
    if (dst) {
      if (i + 1 >= argc) {
        fprintf(stderr, "gdl-report: %s needs a value\n", a);
        return 3;
      }
      *dst = argv[++i];
    } else if (!strcmp(a, "--strict")) {
      o->strict = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 1;
    } else {
      fprintf(stderr, "gdl-report: unknown flag '%s'\n", a);
      return 3;
    }
  }
  if (!o->results || !o->figdir || !o->out) {
    usage(stderr);
    return 3;
  }
  return 0;
}

static int write_out(const char *out, const char *name, const sbuf *b) {
  char path[8192];
  snprintf(path, sizeof path, "%s/%s", out, name);
  if (write_atomic(path, b->s ? b->s : "", b->n) != 0) {
    fprintf(stderr, "gdl-report: cannot write %s: %s\n", path, strerror(errno));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  opts o;
  int prc = parse_args(argc, argv, &o);
  if (prc) return prc - 1;
  if (mkdir_p(o.out) != 0) {
    fprintf(stderr, "gdl-report: cannot create %s: %s\n", o.out, strerror(errno));
    return 1;
  }
  const int have_results = is_dir(o.results);
  read_figure_map(o.figmap);
  read_ctest_log(o.ctestlog);
  R.dgemm_peak = NAN;
  if (have_results) {
    read_claim_records(o.results);
    read_summaries(o.results);
    read_kill_matrix(o.results);
    read_bench_context(o.results);
  }
  static report_ctx c;
  c.results = o.results;
  c.figdir = o.figdir;
  c.fs = scan_figures(o.figdir);
  if (is_dir(o.figdir)) relpath(o.out, o.figdir, c.figrel, sizeof c.figrel);
  else snprintf(c.figrel, sizeof c.figrel, "%s", o.figdir);
  for (size_t ci = 0; ci < NCLAIM; ci++) { /* counts: the claims, performance apart */
    c.cst[ci] = rows_status(&R.claim_rows[ci], claim_problems(ci));
    if (is_perf_claim(ci)) continue;
    if (c.cst[ci] == ST_PASS) c.npass++;
    else if (c.cst[ci] == ST_FAIL) c.nfail++;
    else if (c.cst[ci] == ST_INCOMPLETE) c.ninc++;
    else c.nnone++;
  }
  time_t now = time(NULL);
  strftime(c.utc, sizeof c.utc, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));

  section_head(&c, have_results);
  section_versions(&c);
  section_overview(&c);
  for (size_t f = 0; f < NFAM; f++)
    if (strcmp(FAMILIES[f].prefix, "PF")) section_family(&c, f);
  section_performance(&c);
  section_faults(&c);
  section_leftovers(&c);
  sbuf js = {0};
  write_claims_json(&c, &js);

  int rc = write_out(o.out, "REPORT.md", &c.md);
  rc |= write_out(o.out, "index.html", &c.h);
  rc |= write_out(o.out, "claims.json", &js);
  printf("gdl-report: %d claims: %d pass, %d fail, %d incomplete, %d no result; %zu malformed "
         "files -> %s/index.html, %s/REPORT.md, %s/claims.json\n",
         c.npass + c.nfail + c.ninc + c.nnone, c.npass, c.nfail, c.ninc, c.nnone, R.nproblems, o.out, o.out,
         o.out);
  free(c.md.s);
  free(c.h.s);
  free(js.s);
  if (rc) return rc;
  return o.strict && (c.nfail || R.nproblems) ? 1 : 0;
}
