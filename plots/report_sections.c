/* report_sections.c: the sections of the claims report (REPORT.md and index.html written side
 * by side) and its JSON form claims.json. */
#define _GNU_SOURCE 1
#include "report.h"

/* JSON string body (quotes added by the caller) */
void sb_json(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') sb_printf(b, "\\%c", ch);
    else if (ch == '\n') sb_puts(b, "\\n");
    else if (ch == '\t') sb_puts(b, "\\t");
    else if (ch < 0x20) sb_printf(b, "\\u%04x", ch);
    else sb_putn(b, s, 1);
  }
}

static void both(report_ctx *c, const char *md, const char *html) {
  sb_puts(&c->md, md);
  sb_puts(&c->h, html);
}

void section_head(report_ctx *c, int have_results) {
  sb_puts(&c->md, "# gdlimits claims report\n\n");
  sb_printf(&c->md, "Generated %s by gdl-report (gdlimits git %s) from `%s`.\n\n", c->utc, GDL_GIT_DESCRIBE,
            c->results);
  sb_puts(&c->h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gdlimits claims "
                 "report</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:auto;"
                 "padding:1em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid "
                 "#ccc;padding:2px 6px;font-size:90%;vertical-align:top}tr.pass td.st,span.PASS{"
                 "color:#080;font-weight:bold}span.FAIL,tr.fail td{color:#b00}span.FAIL{font-"
                 "weight:bold}tr.inc td{color:#a60}span.INCOMPLETE{color:#a60;font-weight:bold}"
                 "span.none{color:#777}figure{display:inline-block;margin:4px}figure img{max-width:"
                 "560px}code{background:#f4f4f4}</style></head><body>\n<h1>gdlimits claims report"
                 "</h1>\n");
  sb_printf(&c->h, "<p>Generated %s by gdl-report (gdlimits git ", c->utc);
  sb_html(&c->h, GDL_GIT_DESCRIBE);
  sb_puts(&c->h, ") from <code>");
  sb_html(&c->h, c->results);
  sb_puts(&c->h, "</code>.</p>\n");
  if (!have_results) {
    sb_printf(&c->md, "**No results directory** (`%s` does not exist): run the figures and the "
                      "theorem tests first (`scripts/gdl main`).\n\n", c->results);
    sb_puts(&c->h, "<p><b>No results directory</b>: run the figures and the theorem tests first "
                   "(<code>scripts/gdl main</code>).</p>\n");
  }
  size_t nclaims = (size_t)(c->npass + c->nfail + c->ninc + c->nnone);
  sb_printf(&c->md, "**%zu claims: %d pass, %d fail, %d incomplete, %d without results; %zu "
                    "malformed or unreadable result files.** Performance (PF) is reported separately "
                    "as measured vs target and never counts as a failing claim.\n\n",
            nclaims, c->npass, c->nfail, c->ninc, c->nnone, R.nproblems);
  sb_printf(&c->h, "<p><b>%zu claims: %d pass, %d fail, %d incomplete, %d without results; %zu "
                   "malformed or unreadable result files.</b> Performance (PF) is reported separately "
                   "as measured vs target and never counts as a failing claim.</p>\n",
            nclaims, c->npass, c->nfail, c->ninc, c->nnone, R.nproblems);
}

void section_versions(report_ctx *c) {
  both(c, "## Versions and seeds\n\n", "<h2>Versions and seeds</h2><ul>\n");
  if (!R.nversions) both(c, "- no provenance recorded\n", "<li>no provenance recorded</li>\n");
  for (size_t i = 0; i < R.nversions; i++) {
    sb_puts(&c->md, "- ");
    sb_md(&c->md, R.versions[i]);
    sb_puts(&c->md, "\n");
    sb_puts(&c->h, "<li>");
    sb_html(&c->h, R.versions[i]);
    sb_puts(&c->h, "</li>\n");
  }
  if (R.nversions > 1)
    both(c, "- note: the results come from more than one build (stale files from an earlier "
            "run?); rerun the tests and sweeps to refresh them\n",
         "<li>note: the results come from more than one build (stale files from an "
         "earlier run?); rerun the tests and sweeps to refresh them</li>\n");
  both(c, "- seeds: ", "<li>seeds: ");
  for (size_t i = 0; i < R.nseeds; i++) {
    sb_printf(&c->md, "%s%s", i ? ", " : "", R.seeds[i]);
    sb_printf(&c->h, "%s", i ? ", " : "");
    sb_html(&c->h, R.seeds[i]);
  }
  if (!R.nseeds) both(c, "none recorded", "none recorded");
  both(c, "\n\n", "</li></ul>\n");
}

/* "a, b, c" of the faults the family's tests kill, or "" */
static char *kills_text(size_t fi, size_t *nk, size_t *nrun) {
  char **v;
  *nk = faults_killed_by_family(fi, &v, nrun);
  sbuf b = {0};
  for (size_t i = 0; i < *nk; i++) sb_printf(&b, "%s%s", i ? ", " : "", v[i]);
  free_strs(v, *nk);
  return b.s ? b.s : xstrdup("");
}

void section_overview(report_ctx *c) {
  both(c, "## Overview\n\n| claim | statement | status | checks passed | tightest | faults killed | figures |\n"
          "|---|---|---|---|---|---|---|\n",
       "<h2>Overview</h2>\n<table><tr><th>claim</th><th>statement</th><th>status</th>"
       "<th>checks passed</th><th>tightest</th><th>faults killed</th><th>figures</th></tr>\n");
  for (size_t ci = 0; ci < NCLAIM; ci++) {
    const rows *r = &R.claim_rows[ci];
    size_t ok = 0;
    double tight = NAN;
    for (size_t i = 0; i < r->n; i++) {
      ok += r->v[i].pass == 1;
      double t = row_tightness(&r->v[i]);
      if (isfinite(t) && (!isfinite(tight) || t < tight)) tight = t;
    }
    char tt[32] = "", kt[32] = "";
    if (isfinite(tight)) snprintf(tt, sizeof tt, "%.3g", tight);
    int fi = family_of_claim(ci);
    size_t nk = 0, nrun = 0;
    if (fi >= 0) free(kills_text((size_t)fi, &nk, &nrun));
    if (nrun) snprintf(kt, sizeof kt, "%zu/%zu", nk, nrun);
    const char *stn = is_perf_claim(ci) ? "see Performance" : status_name[c->cst[ci]];
    int red = !is_perf_claim(ci) && c->cst[ci] == ST_FAIL;
    char **st;
    size_t nf = figures_for(c->figdir, CLAIMS[ci].id, 0, &st);
    sb_printf(&c->md, "| [%s](#%s) | ", CLAIMS[ci].id, CLAIMS[ci].id);
    sb_md(&c->md, CLAIMS[ci].statement);
    sb_printf(&c->md, " | %s%s%s | %zu/%zu | %s | %s | ", red ? "**" : "", stn, red ? "**" : "", ok, r->n, tt, kt);
    sb_printf(&c->h, "<tr><td><a href=\"#%s\">%s</a></td><td>", CLAIMS[ci].id, CLAIMS[ci].id);
    sb_html(&c->h, CLAIMS[ci].statement);
    sb_printf(&c->h, "</td><td><span class=\"%s\">%s</span></td><td>%zu/%zu</td><td>%s</td><td>%s</td><td>",
              is_perf_claim(ci) || c->cst[ci] == ST_NONE ? "none" : status_name[c->cst[ci]], stn, ok, r->n, tt, kt);
    for (size_t i = 0; i < nf; i++) {
      const char *ext = fig_exists(c->figdir, st[i], ".png") ? "png" : "svg";
      sb_printf(&c->md, "%s[%s](%s/%s.%s)", i ? ", " : "", st[i], c->figrel, st[i], ext);
      sb_printf(&c->h, "%s<a href=\"%s/", i ? ", " : "", c->figrel);
      sb_html(&c->h, st[i]);
      sb_printf(&c->h, ".%s\">", ext);
      sb_html(&c->h, st[i]);
      sb_puts(&c->h, "</a>");
    }
    both(c, " |\n", "</td></tr>\n");
    free_strs(st, nf);
  }
  both(c, "\nTightness: bound/measured for an upper bound, measured/bound for a lower bound (>= 1 when "
          "the check holds; 1 = the bound is attained); the overview shows the tightest check. Faults "
          "killed: faults of faults/ whose injection makes the family's theorem test fail, of those run "
          "(scripts/power).\n\n",
       "</table>\n<p>Tightness: bound/measured for an upper bound, measured/bound for a lower bound "
       "(&ge; 1 when the check holds; 1 = the bound is attained); the overview shows the tightest check. "
       "Faults killed: faults of faults/ whose injection makes the family's theorem test fail, of those "
       "run (scripts/power).</p>\n");
}

static void problems_of(report_ctx *c, const char *id, const char *sep) {
  for (size_t i = 0; i < R.nproblems; i++)
    if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, id)) {
      sb_printf(&c->md, "- **malformed result file** `%s`: ", R.problems[i].file);
      sb_md(&c->md, R.problems[i].error);
      sb_puts(&c->md, sep);
      sb_puts(&c->h, "<p class=\"fail\"><b>Malformed result file</b> <code>");
      sb_html(&c->h, R.problems[i].file);
      sb_puts(&c->h, "</code>: ");
      sb_html(&c->h, R.problems[i].error);
      sb_puts(&c->h, "</p>\n");
    }
}

/* The figures of claim id in both outputs (exact_only: only those tied to the claim itself, not
 * to its family), marked used. */
static void claim_figures(report_ctx *c, const char *id, int exact_only) {
  char **st;
  size_t nf = figures_for(c->figdir, id, exact_only, &st);
  figs_md(&c->md, c->figrel, c->figdir, st, nf);
  figs_html(&c->h, c->figrel, c->figdir, st, nf);
  mark_used(&c->fs, st, nf);
  if (nf) sb_puts(&c->md, "\n");
  free_strs(st, nf);
}

static void section_claim(report_ctx *c, size_t ci, const char *kills) {
  const rows *r = &R.claim_rows[ci];
  sb_printf(&c->md, "### %s: %s\n\n<a id=\"%s\"></a>", CLAIMS[ci].id, status_name[c->cst[ci]], CLAIMS[ci].id);
  sb_md(&c->md, CLAIMS[ci].statement);
  sb_puts(&c->md, "\n\n");
  sb_printf(&c->h, "<h3 id=\"%s\">%s: <span class=\"%s\">%s</span></h3>\n<p>", CLAIMS[ci].id, CLAIMS[ci].id,
            c->cst[ci] == ST_NONE ? "none" : status_name[c->cst[ci]], status_name[c->cst[ci]]);
  sb_html(&c->h, CLAIMS[ci].statement);
  sb_puts(&c->h, "</p>\n");
  if (kills && *kills) {
    sb_printf(&c->md, "Faults its test kills: %s.\n\n", kills);
    sb_puts(&c->h, "<p>Faults its test kills: ");
    sb_html(&c->h, kills);
    sb_puts(&c->h, ".</p>\n");
  }
  if (r->n) {
    rows_table_md(&c->md, r);
    sb_puts(&c->md, "\n");
    rows_table_html(&c->h, r);
  } else {
    both(c, "No result: no test or sweep recorded an assertion for this claim.\n\n",
         "<p class=\"none\">No result: no test or sweep recorded an assertion for this claim.</p>\n");
  }
  problems_of(c, CLAIMS[ci].id, "\n\n");
  claim_figures(c, CLAIMS[ci].id, 1);
}

void section_family(report_ctx *c, size_t f) {
  sb_printf(&c->md, "## %s: %s\n\n", FAMILIES[f].prefix, FAMILIES[f].title);
  sb_printf(&c->h, "<h2 id=\"%s\">%s: ", FAMILIES[f].prefix, FAMILIES[f].prefix);
  sb_html(&c->h, FAMILIES[f].title);
  sb_puts(&c->h, "</h2>\n");
  for (size_t t = 0; t < R.ntest_times; t++) { /* run times of the family's tests and sweeps */
    const char *nm = strchr(R.test_times[t], '.');
    if (nm && family_of_name(nm + 1) == (int)f) {
      sb_printf(&c->md, "Test run time: %s.  \n", R.test_times[t]);
      sb_puts(&c->h, "<p>Test run time: ");
      sb_html(&c->h, R.test_times[t]);
      sb_puts(&c->h, "</p>\n");
    }
  }
  for (size_t k = 0; k < R.nfams; k++)
    if (R.fams[k].runtime && fam_serves(&R.fams[k], FAMILIES[f].prefix)) {
      sb_printf(&c->md, "Sweep `%s` run time: %s.  \n", R.fams[k].name, R.fams[k].runtime);
      sb_puts(&c->h, "<p>Sweep <code>");
      sb_html(&c->h, R.fams[k].name);
      sb_printf(&c->h, "</code> run time: %s.</p>\n", R.fams[k].runtime);
    }
  sb_puts(&c->md, "\n");
  if (R.family_rows[f].n) {
    sb_printf(&c->md, "Family-level results (%s):\n\n",
              status_name[rows_status(&R.family_rows[f], family_problems(f))]);
    rows_table_md(&c->md, &R.family_rows[f]);
    sb_puts(&c->md, "\n");
    sb_puts(&c->h, "<p>Family-level results:</p>\n");
    rows_table_html(&c->h, &R.family_rows[f]);
  }
  size_t nk, nrun;
  char *kills = kills_text(f, &nk, &nrun);
  for (size_t ci = 0; ci < NCLAIM; ci++)
    if (family_of_claim(ci) == (int)f) section_claim(c, ci, kills);
  free(kills);
  char **st = NULL, **all; /* figures of the family not tied to one claim */
  size_t nf = 0, na = figures_for(c->figdir, FAMILIES[f].prefix, 0, &all);
  for (size_t i = 0; i < na; i++) {
    int used = 0;
    for (size_t k = 0; k < c->fs.n; k++)
      if (!strcmp(c->fs.stems[k], all[i]) && c->fs.used[k]) used = 1;
    if (!used) add_unique(&st, &nf, all[i]);
  }
  free_strs(all, na);
  if (nf) {
    sb_printf(&c->md, "Figures of %s:\n\n", FAMILIES[f].prefix);
    figs_md(&c->md, c->figrel, c->figdir, st, nf);
    sb_puts(&c->md, "\n");
    sb_printf(&c->h, "<p>Figures of %s:</p>\n", FAMILIES[f].prefix);
    figs_html(&c->h, c->figrel, c->figdir, st, nf);
    mark_used(&c->fs, st, nf);
  }
  free_strs(st, nf);
  problems_of(c, FAMILIES[f].prefix, "\n");
  sb_puts(&c->md, "\n");
}

static void perf_rows(report_ctx *c, const rows *r) {
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    const char *met = x->pass == 1 ? "met" : x->pass == 0 ? "missed" : "?";
    sb_puts(&c->md, "| ");
    sb_md(&c->md, x->check);
    sb_printf(&c->md, " | %s | %s %s | %s | ", x->measured, x->relation, x->bound, met);
    sb_md(&c->md, x->params);
    sb_puts(&c->md, " | ");
    sb_md(&c->md, x->source);
    sb_puts(&c->md, " |\n");
    sb_puts(&c->h, "<tr><td>");
    sb_html(&c->h, x->check);
    sb_puts(&c->h, "</td><td>");
    sb_html(&c->h, x->measured);
    sb_puts(&c->h, "</td><td>");
    sb_html(&c->h, x->relation);
    sb_puts(&c->h, " ");
    sb_html(&c->h, x->bound);
    sb_printf(&c->h, "</td><td>%s</td><td>", met);
    sb_html(&c->h, x->params);
    sb_puts(&c->h, "</td><td>");
    sb_html(&c->h, x->source);
    sb_puts(&c->h, "</td></tr>\n");
  }
}

/* Performance: measured vs target with the run's dgemm peak and load average; a missed target
 * is shown as missed, never as a failing claim (a shared machine must not turn the report red). */
void section_performance(report_ctx *c) {
  both(c, "## Performance (PF): measured vs target\n\n",
       "<h2 id=\"performance\">Performance (PF): measured vs target</h2>\n");
  for (size_t ci = 0; ci < NCLAIM; ci++)
    if (is_perf_claim(ci)) {
      sb_printf(&c->md, "<a id=\"%s\"></a>%s: ", CLAIMS[ci].id, CLAIMS[ci].id);
      sb_md(&c->md, CLAIMS[ci].statement);
      sb_puts(&c->md, "\n\n");
      sb_printf(&c->h, "<p id=\"%s\">%s: ", CLAIMS[ci].id, CLAIMS[ci].id);
      sb_html(&c->h, CLAIMS[ci].statement);
      sb_puts(&c->h, "</p>\n");
    }
  char peak[64] = "not recorded", load[512];
  if (isfinite(R.dgemm_peak)) snprintf(peak, sizeof peak, "%.2f GFLOP/s", R.dgemm_peak);
  if (R.bench_load) {
    snprintf(load, sizeof load, "%s (recorded by the benchmark run)", R.bench_load);
  } else {
    double la[3];
    if (getloadavg(la, 3) == 3)
      snprintf(load, sizeof load, "not recorded by the benchmark run; %.2f %.2f %.2f at report time", la[0],
               la[1], la[2]);
    else
      snprintf(load, sizeof load, "not recorded");
  }
  sb_printf(&c->md, "Benchmark run%s%s: dgemm peak %s; load average (1, 5, 15 min) %s. A target missed on a "
                    "busy machine is shown as missed; it does not make a claim fail.\n\n",
            R.bench_utc ? " " : "", R.bench_utc ? R.bench_utc : "", peak, load);
  sb_printf(&c->h, "<p>Benchmark run%s", R.bench_utc ? " " : "");
  sb_html(&c->h, R.bench_utc ? R.bench_utc : "");
  sb_printf(&c->h, ": dgemm peak %s; load average (1, 5, 15 min) ", peak);
  sb_html(&c->h, load);
  sb_puts(&c->h, ". A target missed on a busy machine is shown as missed; it does not make a claim "
                 "fail.</p>\n");
  both(c, "| check | measured | target | met | parameters | source |\n|---|---|---|---|---|---|\n",
       "<table><tr><th>check</th><th>measured</th><th>target</th><th>met</th><th>parameters</th>"
       "<th>source</th></tr>\n");
  int any = 0;
  for (size_t ci = 0; ci < NCLAIM; ci++)
    if (is_perf_claim(ci)) {
      perf_rows(c, &R.claim_rows[ci]);
      any |= R.claim_rows[ci].n > 0;
    }
  for (size_t f = 0; f < NFAM; f++)
    if (!strcmp(FAMILIES[f].prefix, "PF")) {
      perf_rows(c, &R.family_rows[f]);
      any |= R.family_rows[f].n > 0;
    }
  both(c, "\n", "</table>\n");
  if (!any) both(c, "No benchmark result (run the trainer figure family).\n\n",
                 "<p class=\"none\">No benchmark result (run the trainer figure family).</p>\n");
  for (size_t ci = 0; ci < NCLAIM; ci++)
    if (is_perf_claim(ci)) claim_figures(c, CLAIMS[ci].id, 0);
}

/* Fault injection: the kill matrix of scripts/power, per test */
void section_faults(report_ctx *c) {
  if (!R.nkills) return;
  char **faults = NULL, **killed = NULL, **tests = NULL;
  size_t nf = 0, nk = 0, nt = 0;
  for (size_t i = 0; i < R.nkills; i++) {
    add_unique(&faults, &nf, R.kills[i].fault);
    add_unique(&tests, &nt, R.kills[i].test);
    if (!strcmp(R.kills[i].result, "killed")) add_unique(&killed, &nk, R.kills[i].fault);
  }
  sb_printf(&c->md, "## Fault injection\n\n%zu faults run (`scripts/power`, faults/): %zu killed (%.1f%%). "
                    "Matrix: `power/kill_matrix.md` in the results directory.\n\n| test | faults run | killed |\n"
                    "|---|---|---|\n", nf, nk, nf ? 100.0 * (double)nk / (double)nf : 0.0);
  sb_printf(&c->h, "<h2 id=\"faults\">Fault injection</h2>\n<p>%zu faults run (<code>scripts/power</code>, "
                   "faults/): %zu killed (%.1f%%).</p>\n<table><tr><th>test</th><th>faults run</th>"
                   "<th>killed</th></tr>\n", nf, nk, nf ? 100.0 * (double)nk / (double)nf : 0.0);
  for (size_t t = 0; t < nt; t++) {
    size_t run = 0, k = 0;
    for (size_t i = 0; i < R.nkills; i++)
      if (!strcmp(R.kills[i].test, tests[t])) {
        run++;
        k += !strcmp(R.kills[i].result, "killed");
      }
    sb_printf(&c->md, "| %s | %zu | %zu |\n", tests[t], run, k);
    sb_puts(&c->h, "<tr><td>");
    sb_html(&c->h, tests[t]);
    sb_printf(&c->h, "</td><td>%zu</td><td>%zu</td></tr>\n", run, k);
  }
  both(c, "\nSurvivors: ", "</table>\n<p>Survivors: ");
  size_t ns = 0;
  for (size_t i = 0; i < nf; i++) {
    int k = 0;
    for (size_t j = 0; j < nk; j++) k |= !strcmp(killed[j], faults[i]);
    if (k) continue;
    sb_printf(&c->md, "%s%s", ns ? ", " : "", faults[i]);
    sb_printf(&c->h, "%s", ns ? ", " : "");
    sb_html(&c->h, faults[i]);
    ns++;
  }
  if (!ns) both(c, "none", "none");
  both(c, ".\n\n", ".</p>\n");
  free_strs(faults, nf);
  free_strs(killed, nk);
  free_strs(tests, nt);
}

void section_leftovers(report_ctx *c) {
  if (R.unknown_rows.n) {
    sb_puts(&c->md, "## Results naming a claim that is not in CLAIMS.md\n\n");
    rows_table_md(&c->md, &R.unknown_rows);
    sb_puts(&c->md, "\n");
    sb_puts(&c->h, "<h2>Results naming a claim that is not in CLAIMS.md</h2>\n");
    rows_table_html(&c->h, &R.unknown_rows);
  }
  both(c, "## Malformed or unreadable result files\n\n", "<h2>Malformed or unreadable result files</h2>\n<ul>\n");
  if (!R.nproblems) both(c, "None.\n", "<li>None.</li>\n");
  for (size_t i = 0; i < R.nproblems; i++) {
    sb_printf(&c->md, "- `%s` (claim %s): ", R.problems[i].file, R.problems[i].claim ? R.problems[i].claim : "?");
    sb_md(&c->md, R.problems[i].error);
    sb_puts(&c->md, "\n");
    sb_puts(&c->h, "<li><code>");
    sb_html(&c->h, R.problems[i].file);
    sb_printf(&c->h, "</code> (claim %s): ", R.problems[i].claim ? R.problems[i].claim : "?");
    sb_html(&c->h, R.problems[i].error);
    sb_puts(&c->h, "</li>\n");
  }
  both(c, "\n", "</ul>\n");
  size_t nunused = 0;
  for (size_t k = 0; k < c->fs.n; k++) nunused += !c->fs.used[k];
  if (nunused) {
    both(c, "## Other figures\n\n", "<h2>Other figures</h2>\n");
    for (size_t k = 0; k < c->fs.n; k++)
      if (!c->fs.used[k]) {
        figs_md(&c->md, c->figrel, c->figdir, &c->fs.stems[k], 1);
        figs_html(&c->h, c->figrel, c->figdir, &c->fs.stems[k], 1);
      }
    sb_puts(&c->md, "\n");
  }
  if (R.ntest_times) {
    both(c, "## Test run times (ctest)\n\n", "<h2>Test run times (ctest)</h2><ul>\n");
    for (size_t i = 0; i < R.ntest_times; i++) {
      sb_printf(&c->md, "- %s\n", R.test_times[i]);
      sb_puts(&c->h, "<li>");
      sb_html(&c->h, R.test_times[i]);
      sb_puts(&c->h, "</li>\n");
    }
    sb_puts(&c->h, "</ul>\n");
  }
  sb_puts(&c->h, "</body></html>\n");
}

/* sep, then "key": v (null when not finite) */
static void json_num(sbuf *j, const char *sep, const char *key, double v) {
  if (isfinite(v)) sb_printf(j, "%s\"%s\": %.17g", sep, key, v);
  else sb_printf(j, "%s\"%s\": null", sep, key);
}

/* sep, then "key": "v" (escaped) */
static void json_str(sbuf *j, const char *sep, const char *key, const char *v) {
  sb_printf(j, "%s\"%s\": \"", sep, key);
  sb_json(j, v);
  sb_puts(j, "\"");
}

static void json_rows(sbuf *j, const rows *r) {
  sb_puts(j, "[");
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    json_str(j, i ? ",\n      {" : "\n      {", "check", x->check);
    json_num(j, ", ", "measured", x->m);
    json_str(j, ", ", "relation", x->relation);
    json_num(j, ", ", "bound", x->b);
    json_num(j, ", ", "margin", x->mg);
    json_num(j, ", ", "tightness", row_tightness(x));
    sb_printf(j, ", \"pass\": %s", x->pass == 1 ? "true" : x->pass == 0 ? "false" : "null");
    json_str(j, ", ", "seed", x->seed);
    json_str(j, ", ", "params", x->params);
    json_str(j, ", ", "source", x->source);
    if (x->problem) json_str(j, ", ", "problem", x->problem);
    sb_puts(j, "}");
  }
  sb_puts(j, r->n ? "\n    ]" : "]");
}

/* claims.json: one object per claim with its checks (for dashboards) */
void write_claims_json(report_ctx *c, sbuf *j) {
  sb_printf(j, "{\n  \"generated\": \"%s\", \"git\": \"", c->utc);
  sb_json(j, GDL_GIT_DESCRIBE);
  sb_puts(j, "\", \"results\": \"");
  sb_json(j, c->results);
  sb_printf(j, "\",\n  \"counts\": {\"claims\": %d, \"pass\": %d, \"fail\": %d, \"incomplete\": %d, "
               "\"no_result\": %d, \"malformed_files\": %zu},\n  ",
            c->npass + c->nfail + c->ninc + c->nnone, c->npass, c->nfail, c->ninc, c->nnone, R.nproblems);
  json_num(j, "", "dgemm_peak_gflops", R.dgemm_peak);
  sb_puts(j, ",\n  \"claims\": [");
  for (size_t ci = 0; ci < NCLAIM; ci++) {
    int fi = family_of_claim(ci);
    sb_printf(j, "%s\n    {\"id\": \"%s\", \"family\": \"%s\", \"statement\": \"", ci ? "," : "", CLAIMS[ci].id,
              fi >= 0 ? FAMILIES[fi].prefix : "");
    sb_json(j, CLAIMS[ci].statement);
    sb_printf(j, "\", \"status\": \"%s\", \"performance\": %s, \"faults_killed\": [",
              is_perf_claim(ci) ? "measured" : status_name[c->cst[ci]], is_perf_claim(ci) ? "true" : "false");
    if (fi >= 0) {
      char **v;
      size_t nrun, nk = faults_killed_by_family((size_t)fi, &v, &nrun);
      for (size_t i = 0; i < nk; i++) {
        sb_printf(j, "%s\"", i ? ", " : "");
        sb_json(j, v[i]);
        sb_puts(j, "\"");
      }
      free_strs(v, nk);
    }
    sb_puts(j, "],\n     \"checks\": ");
    json_rows(j, &R.claim_rows[ci]);
    sb_puts(j, "}");
  }
  sb_puts(j, "\n  ]\n}\n");
}
