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
 * Every claim of CLAIMS.md is listed (gdl/claims.h holds one-line statements); a claim
 * without results reads "no result", a file that is not valid JSON is reported as
 * malformed with the position of the error. No number in the report is typed by hand.
 * Exit status: 0 (also when claims fail; --strict: 1 if a claim fails or a file is
 * malformed), 1 on I/O errors, 2 on bad flags. Standalone: depends on libc only (and compiles
 * core/src/claims.c in). */
#define _GNU_SOURCE 1
#include "report.h"

static void usage(FILE *f) {
  fprintf(f, "usage: gdl-report --results DIR --figures DIR --out DIR [--figure-map FILE] "
             "[--ctest-log FILE] [--strict]\n");
}

int main(int argc, char **argv) {
  const char *results = NULL, *figdir = NULL, *out = NULL, *figmap = NULL, *ctestlog = NULL;
  int strict = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = !strcmp(a, "--results")      ? &results
                       : !strcmp(a, "--figures")    ? &figdir
                       : !strcmp(a, "--out")        ? &out
                       : !strcmp(a, "--figure-map") ? &figmap
                       : !strcmp(a, "--ctest-log")  ? &ctestlog
                                                    : NULL;
    if (dst) {
      if (i + 1 >= argc) {
        fprintf(stderr, "gdl-report: %s needs a value\n", a);
        return 2;
      }
      *dst = argv[++i];
    } else if (!strcmp(a, "--strict")) {
      strict = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "gdl-report: unknown flag '%s'\n", a);
      return 2;
    }
  }
  if (!results || !figdir || !out) {
    usage(stderr);
    return 2;
  }
  if (mkdir_p(out) != 0) {
    fprintf(stderr, "gdl-report: cannot create %s: %s\n", out, strerror(errno));
    return 1;
  }
  const int have_results = is_dir(results);
  read_figure_map(figmap);
  read_ctest_log(ctestlog);
  if (have_results) {
    read_claim_records(results);
    read_summaries(results);
  }
  figset fs = scan_figures(figdir);
  char figrel[4096];
  if (is_dir(figdir)) relpath(out, figdir, figrel, sizeof figrel);
  else snprintf(figrel, sizeof figrel, "%s", figdir);

  /* overall counts */
  status cst[NCLAIM];
  int npass = 0, nfail = 0, ninc = 0, nnone = 0;
  for (size_t c = 0; c < NCLAIM; c++) {
    cst[c] = rows_status(&R.claim_rows[c], claim_problems(c));
    if (cst[c] == ST_PASS) npass++;
    else if (cst[c] == ST_FAIL) nfail++;
    else if (cst[c] == ST_INCOMPLETE) ninc++;
    else nnone++;
  }
  time_t now = time(NULL);
  char utc[64];
  strftime(utc, sizeof utc, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));

  sbuf md = {0}, h = {0};
  sb_puts(&md, "# gdlimits claims report\n\n");
  sb_printf(&md, "Generated %s by gdl-report (gdlimits git %s) from `%s`.\n\n", utc,
            GDL_GIT_DESCRIBE, results);
  sb_puts(&h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gdlimits claims "
              "report</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:auto;"
              "padding:1em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid "
              "#ccc;padding:2px 6px;font-size:90%;vertical-align:top}tr.pass td.st,span.PASS{"
              "color:#080;font-weight:bold}span.FAIL,tr.fail td{color:#b00}span.FAIL{font-"
              "weight:bold}tr.inc td{color:#a60}span.INCOMPLETE{color:#a60;font-weight:bold}"
              "span.none{color:#777}figure{display:inline-block;margin:4px}figure img{max-width:"
              "560px}code{background:#f4f4f4}</style></head><body>\n<h1>gdlimits claims report"
              "</h1>\n");
  sb_printf(&h, "<p>Generated %s by gdl-report (gdlimits git ", utc);
  sb_html(&h, GDL_GIT_DESCRIBE);
  sb_puts(&h, ") from <code>");
  sb_html(&h, results);
  sb_puts(&h, "</code>.</p>\n");
  if (!have_results) {
    sb_printf(&md, "**No results directory** (`%s` does not exist): run the figures and the "
                   "theorem tests first (`scripts/gdl main`).\n\n", results);
    sb_puts(&h, "<p><b>No results directory</b>: run the figures and the theorem tests first "
                "(<code>scripts/gdl main</code>).</p>\n");
  }
  sb_printf(&md, "**%zu claims: %d pass, %d fail, %d incomplete, %d without results; %zu "
                 "malformed or unreadable result files.**\n\n",
            NCLAIM, npass, nfail, ninc, nnone, R.nproblems);
  sb_printf(&h, "<p><b>%zu claims: %d pass, %d fail, %d incomplete, %d without results; %zu "
                "malformed or unreadable result files.</b></p>\n",
            NCLAIM, npass, nfail, ninc, nnone, R.nproblems);

  /* versions and seeds */
  sb_puts(&md, "## Versions and seeds\n\n");
  sb_puts(&h, "<h2>Versions and seeds</h2><ul>\n");
  if (!R.nversions) {
    sb_puts(&md, "- no provenance recorded\n");
    sb_puts(&h, "<li>no provenance recorded</li>\n");
  }
  for (size_t i = 0; i < R.nversions; i++) {
    sb_puts(&md, "- ");
    sb_md(&md, R.versions[i]);
    sb_puts(&md, "\n");
    sb_puts(&h, "<li>");
    sb_html(&h, R.versions[i]);
    sb_puts(&h, "</li>\n");
  }
  if (R.nversions > 1) {
    sb_puts(&md, "- note: the results come from more than one build (stale files from an earlier "
                 "run?); rerun the tests and sweeps to refresh them\n");
    sb_puts(&h, "<li>note: the results come from more than one build (stale files from an "
                "earlier run?); rerun the tests and sweeps to refresh them</li>\n");
  }
  sb_puts(&md, "- seeds: ");
  sb_puts(&h, "<li>seeds: ");
  for (size_t i = 0; i < R.nseeds; i++) {
    sb_printf(&md, "%s%s", i ? ", " : "", R.seeds[i]);
    sb_printf(&h, "%s", i ? ", " : "");
    sb_html(&h, R.seeds[i]);
  }
  if (!R.nseeds) {
    sb_puts(&md, "none recorded");
    sb_puts(&h, "none recorded");
  }
  sb_puts(&md, "\n\n");
  sb_puts(&h, "</li></ul>\n");

  /* overview table */
  sb_puts(&md, "## Overview\n\n| claim | statement | status | checks passed | figures |\n"
               "|---|---|---|---|---|\n");
  sb_puts(&h, "<h2>Overview</h2>\n<table><tr><th>claim</th><th>statement</th><th>status</th>"
              "<th>checks passed</th><th>figures</th></tr>\n");
  for (size_t c = 0; c < NCLAIM; c++) {
    const rows *r = &R.claim_rows[c];
    size_t ok = 0;
    for (size_t i = 0; i < r->n; i++) ok += r->v[i].pass == 1;
    char **st;
    size_t nf = figures_for(figdir, CLAIMS[c].id, 0, &st);
    sb_printf(&md, "| [%s](#%s) | ", CLAIMS[c].id, CLAIMS[c].id);
    sb_md(&md, CLAIMS[c].statement);
    sb_printf(&md, " | %s%s%s | %zu/%zu | ", cst[c] == ST_FAIL ? "**" : "", status_name[cst[c]],
              cst[c] == ST_FAIL ? "**" : "", ok, r->n);
    sb_printf(&h, "<tr><td><a href=\"#%s\">%s</a></td><td>", CLAIMS[c].id, CLAIMS[c].id);
    sb_html(&h, CLAIMS[c].statement);
    sb_printf(&h, "</td><td><span class=\"%s\">%s</span></td><td>%zu/%zu</td><td>",
              cst[c] == ST_NONE ? "none" : status_name[cst[c]], status_name[cst[c]], ok, r->n);
    for (size_t i = 0; i < nf; i++) {
      sb_printf(&md, "%s[%s](%s/%s.%s)", i ? ", " : "", st[i], figrel, st[i],
                fig_exists(figdir, st[i], ".png") ? "png" : "svg");
      sb_printf(&h, "%s<a href=\"%s/", i ? ", " : "", figrel);
      sb_html(&h, st[i]);
      sb_puts(&h, fig_exists(figdir, st[i], ".png") ? ".png\">" : ".svg\">");
      sb_html(&h, st[i]);
      sb_puts(&h, "</a>");
    }
    sb_puts(&md, " |\n");
    sb_puts(&h, "</td></tr>\n");
    free_strs(st, nf);
  }
  sb_puts(&md, "\n");
  sb_puts(&h, "</table>\n");

  /* per family, per claim */
  for (size_t f = 0; f < NFAM; f++) {
    sb_printf(&md, "## %s: %s\n\n", FAMILIES[f].prefix, FAMILIES[f].title);
    sb_printf(&h, "<h2 id=\"%s\">%s: ", FAMILIES[f].prefix, FAMILIES[f].prefix);
    sb_html(&h, FAMILIES[f].title);
    sb_puts(&h, "</h2>\n");
    /* run times of the family's tests and sweeps */
    for (size_t t = 0; t < R.ntest_times; t++) {
      const char *nm = strchr(R.test_times[t], '.');
      if (nm && family_of_name(nm + 1) == (int)f) {
        sb_printf(&md, "Test run time: %s.  \n", R.test_times[t]);
        sb_puts(&h, "<p>Test run time: ");
        sb_html(&h, R.test_times[t]);
        sb_puts(&h, "</p>\n");
      }
    }
    for (size_t k = 0; k < R.nfams; k++)
      if (R.fams[k].runtime && fam_serves(&R.fams[k], FAMILIES[f].prefix)) {
        sb_printf(&md, "Sweep `%s` run time: %s.  \n", R.fams[k].name, R.fams[k].runtime);
        sb_puts(&h, "<p>Sweep <code>");
        sb_html(&h, R.fams[k].name);
        sb_printf(&h, "</code> run time: %s.</p>\n", R.fams[k].runtime);
      }
    sb_puts(&md, "\n");
    if (R.family_rows[f].n) {
      sb_printf(&md, "Family-level results (%s):\n\n", status_name[rows_status(&R.family_rows[f],
                                                                                family_problems(f))]);
      rows_table_md(&md, &R.family_rows[f]);
      sb_puts(&md, "\n");
      sb_puts(&h, "<p>Family-level results:</p>\n");
      rows_table_html(&h, &R.family_rows[f]);
    }
    for (size_t c = 0; c < NCLAIM; c++) {
      if (family_of_claim(c) != (int)f) continue;
      const rows *r = &R.claim_rows[c];
      sb_printf(&md, "### %s: %s\n\n<a id=\"%s\"></a>", CLAIMS[c].id, status_name[cst[c]],
                CLAIMS[c].id);
      sb_md(&md, CLAIMS[c].statement);
      sb_puts(&md, "\n\n");
      sb_printf(&h, "<h3 id=\"%s\">%s: <span class=\"%s\">%s</span></h3>\n<p>", CLAIMS[c].id,
                CLAIMS[c].id, cst[c] == ST_NONE ? "none" : status_name[cst[c]],
                status_name[cst[c]]);
      sb_html(&h, CLAIMS[c].statement);
      sb_puts(&h, "</p>\n");
      if (r->n) {
        rows_table_md(&md, r);
        sb_puts(&md, "\n");
        rows_table_html(&h, r);
      } else {
        sb_puts(&md, "No result: no test or sweep recorded an assertion for this claim.\n\n");
        sb_puts(&h, "<p class=\"none\">No result: no test or sweep recorded an assertion for "
                    "this claim.</p>\n");
      }
      for (size_t i = 0; i < R.nproblems; i++)
        if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, CLAIMS[c].id)) {
          sb_printf(&md, "- **malformed result file** `%s`: ", R.problems[i].file);
          sb_md(&md, R.problems[i].error);
          sb_puts(&md, "\n\n");
          sb_puts(&h, "<p class=\"fail\"><b>Malformed result file</b> <code>");
          sb_html(&h, R.problems[i].file);
          sb_puts(&h, "</code>: ");
          sb_html(&h, R.problems[i].error);
          sb_puts(&h, "</p>\n");
        }
      char **st;
      size_t nf = figures_for(figdir, CLAIMS[c].id, 1, &st);
      figs_md(&md, figrel, figdir, st, nf);
      figs_html(&h, figrel, figdir, st, nf);
      mark_used(&fs, st, nf);
      if (nf) sb_puts(&md, "\n");
      free_strs(st, nf);
    }
    /* figures of the family not tied to one claim */
    char **st;
    size_t nf = 0;
    {
      char **all;
      size_t na = figures_for(figdir, FAMILIES[f].prefix, 0, &all);
      st = NULL;
      for (size_t i = 0; i < na; i++) {
        int used = 0;
        for (size_t k = 0; k < fs.n; k++)
          if (!strcmp(fs.stems[k], all[i]) && fs.used[k]) used = 1;
        if (!used) add_unique(&st, &nf, all[i]);
      }
      free_strs(all, na);
    }
    if (nf) {
      sb_printf(&md, "Figures of %s:\n\n", FAMILIES[f].prefix);
      figs_md(&md, figrel, figdir, st, nf);
      sb_puts(&md, "\n");
      sb_printf(&h, "<p>Figures of %s:</p>\n", FAMILIES[f].prefix);
      figs_html(&h, figrel, figdir, st, nf);
      mark_used(&fs, st, nf);
    }
    free_strs(st, nf);
    for (size_t i = 0; i < R.nproblems; i++)
      if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, FAMILIES[f].prefix)) {
        sb_printf(&md, "- **malformed result file** `%s`: ", R.problems[i].file);
        sb_md(&md, R.problems[i].error);
        sb_puts(&md, "\n");
        sb_puts(&h, "<p class=\"fail\"><b>Malformed result file</b> <code>");
        sb_html(&h, R.problems[i].file);
        sb_puts(&h, "</code>: ");
        sb_html(&h, R.problems[i].error);
        sb_puts(&h, "</p>\n");
      }
    sb_puts(&md, "\n");
  }

  /* leftovers: unknown claims, problems not tied to a claim, figures not attributed */
  if (R.unknown_rows.n) {
    sb_puts(&md, "## Results naming a claim that is not in CLAIMS.md\n\n");
    rows_table_md(&md, &R.unknown_rows);
    sb_puts(&md, "\n");
    sb_puts(&h, "<h2>Results naming a claim that is not in CLAIMS.md</h2>\n");
    rows_table_html(&h, &R.unknown_rows);
  }
  sb_puts(&md, "## Malformed or unreadable result files\n\n");
  sb_puts(&h, "<h2>Malformed or unreadable result files</h2>\n<ul>\n");
  if (!R.nproblems) {
    sb_puts(&md, "None.\n");
    sb_puts(&h, "<li>None.</li>\n");
  }
  for (size_t i = 0; i < R.nproblems; i++) {
    sb_printf(&md, "- `%s` (claim %s): ", R.problems[i].file,
              R.problems[i].claim ? R.problems[i].claim : "?");
    sb_md(&md, R.problems[i].error);
    sb_puts(&md, "\n");
    sb_puts(&h, "<li><code>");
    sb_html(&h, R.problems[i].file);
    sb_printf(&h, "</code> (claim %s): ", R.problems[i].claim ? R.problems[i].claim : "?");
    sb_html(&h, R.problems[i].error);
    sb_puts(&h, "</li>\n");
  }
  sb_puts(&md, "\n");
  sb_puts(&h, "</ul>\n");
  size_t nunused = 0;
  for (size_t k = 0; k < fs.n; k++) nunused += !fs.used[k];
  if (nunused) {
    sb_puts(&md, "## Other figures\n\n");
    sb_puts(&h, "<h2>Other figures</h2>\n");
    for (size_t k = 0; k < fs.n; k++)
      if (!fs.used[k]) {
        figs_md(&md, figrel, figdir, &fs.stems[k], 1);
        figs_html(&h, figrel, figdir, &fs.stems[k], 1);
      }
    sb_puts(&md, "\n");
  }
  if (R.ntest_times) {
    sb_puts(&md, "## Test run times (ctest)\n\n");
    sb_puts(&h, "<h2>Test run times (ctest)</h2><ul>\n");
    for (size_t i = 0; i < R.ntest_times; i++) {
      sb_printf(&md, "- %s\n", R.test_times[i]);
      sb_puts(&h, "<li>");
      sb_html(&h, R.test_times[i]);
      sb_puts(&h, "</li>\n");
    }
    sb_puts(&h, "</ul>\n");
  }
  sb_puts(&h, "</body></html>\n");

  char path[8192];
  snprintf(path, sizeof path, "%s/REPORT.md", out);
  int rc = 0;
  if (write_atomic(path, md.s, md.n) != 0) {
    fprintf(stderr, "gdl-report: cannot write %s: %s\n", path, strerror(errno));
    rc = 1;
  }
  snprintf(path, sizeof path, "%s/index.html", out);
  if (write_atomic(path, h.s, h.n) != 0) {
    fprintf(stderr, "gdl-report: cannot write %s: %s\n", path, strerror(errno));
    rc = 1;
  }
  printf("gdl-report: %zu claims: %d pass, %d fail, %d incomplete, %d no result; %zu malformed "
         "files -> %s/index.html, %s/REPORT.md\n",
         NCLAIM, npass, nfail, ninc, nnone, R.nproblems, out, out);
  free(md.s);
  free(h.s);
  if (rc) return rc;
  return strict && (nfail || R.nproblems) ? 1 : 0;
}
