/* report_write.c: the Markdown and HTML writers of gdl-report (tables, figures, sections). */
#define _GNU_SOURCE 1
#include "report.h"

/* ------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------ */
const char *status_name[] = {"PASS", "FAIL", "INCOMPLETE", "no result"};

status rows_status(const rows *r, int nprob) {
  if (r->n == 0) return nprob ? ST_INCOMPLETE : ST_NONE;
  int anyfail = 0, anyunknown = 0;
  for (size_t i = 0; i < r->n; i++) {
    if (r->v[i].pass == 0) anyfail = 1;
    if (r->v[i].pass < 0) anyunknown = 1;
  }
  if (anyfail) return ST_FAIL;
  if (anyunknown || nprob) return ST_INCOMPLETE;
  return ST_PASS;
}

int claim_problems(size_t ci) {
  int k = 0;
  for (size_t i = 0; i < R.nproblems; i++)
    if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, CLAIMS[ci].id)) k++;
  return k;
}
int family_problems(size_t fi) {
  int k = 0;
  for (size_t i = 0; i < R.nproblems; i++)
    if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, FAMILIES[fi].prefix)) k++;
  return k;
}

/* tightness (row_tightness) as table text: "" when undefined */
void tightness_text(const row *x, char *buf, size_t len) {
  double t = row_tightness(x);
  if (isfinite(t)) snprintf(buf, len, "%.3g", t);
  else buf[0] = 0;
}

/* The parameters cell: the row's params, then the note of an incomplete record between open and
 * close, through the escaper of the format (sb_md, sb_html). */
static void params_cell(sbuf *b, const row *x, void (*esc)(sbuf *, const char *), const char *open, const char *close) {
  esc(b, x->params);
  if (!x->problem) return;
  sb_puts(b, open);
  esc(b, x->problem);
  sb_puts(b, close);
}

void rows_table_md(sbuf *b, const rows *r) {
  sb_puts(b, "| check | measured | relation | bound | margin | tightness | pass | seed | parameters | source |\n"
             "|---|---|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    sb_puts(b, "| ");
    sb_md(b, x->check);
    sb_printf(b, " | %s | ", x->measured);
    sb_md(b, x->relation);
    char tt[32];
    tightness_text(x, tt, sizeof tt);
    sb_printf(b, " | %s | %s | %s | %s | %s | ", x->bound, x->margin[0] ? x->margin : "", tt,
              x->pass == 1 ? "pass" : x->pass == 0 ? "**FAIL**" : "?", x->seed);
    params_cell(b, x, sb_md, " (incomplete record: ", ")");
    sb_puts(b, " | ");
    sb_md(b, x->source);
    sb_puts(b, " |\n");
  }
}

void rows_table_html(sbuf *b, const rows *r) {
  sb_puts(b, "<table><tr><th>check</th><th>measured</th><th>relation</th><th>bound</th>"
             "<th>margin</th><th>tightness</th><th>pass</th><th>seed</th><th>parameters</th>"
             "<th>source</th></tr>\n");
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    sb_printf(b, "<tr class=\"%s\">", x->pass == 1 ? "pass" : x->pass == 0 ? "fail" : "inc");
    const char *cells[] = {x->check, x->measured, x->relation, x->bound, x->margin};
    for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
      sb_puts(b, "<td>");
      sb_html(b, cells[k]);
      sb_puts(b, "</td>");
    }
    char tt[32];
    tightness_text(x, tt, sizeof tt);
    sb_printf(b, "<td>%s</td><td>%s</td><td>", tt, x->pass == 1 ? "pass" : x->pass == 0 ? "FAIL" : "?");
    sb_html(b, x->seed);
    sb_puts(b, "</td><td>");
    params_cell(b, x, sb_html, " <em>(incomplete record: ", ")</em>");
    sb_puts(b, "</td><td>");
    sb_html(b, x->source);
    sb_puts(b, "</td></tr>\n");
  }
  sb_puts(b, "</table>\n");
}

/* figures of claim ci (or family fi when ci < 0): stems that exist in figdir */
size_t figures_for(const char *figdir, const char *id, int exact_only, char ***out) {
  char **v = NULL;
  size_t n = 0;
  for (size_t f = 0; f < R.nfams; f++) {
    int s = fam_serves(&R.fams[f], id);
    if (!s || (exact_only && s != 2)) continue;
    for (size_t k = 0; k < R.fams[f].nfigs; k++)
      if (fig_exists(figdir, R.fams[f].figs[k], ".png") ||
          fig_exists(figdir, R.fams[f].figs[k], ".svg"))
        add_unique(&v, &n, R.fams[f].figs[k]);
  }
  *out = v;
  return n;
}

void mark_used(figset *fs, char **stems, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < fs->n; k++)
      if (!strcmp(fs->stems[k], stems[i])) fs->used[k] = 1;
}

void figs_md(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int png = fig_exists(figdir, stems[i], ".png"), svg = fig_exists(figdir, stems[i], ".svg");
    if (png) sb_printf(b, "![%s](%s/%s.png) ", stems[i], figrel, stems[i]);
    if (svg) sb_printf(b, "[%s.svg](%s/%s.svg) ", stems[i], figrel, stems[i]);
    sb_puts(b, "\n");
  }
}
void figs_html(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int png = fig_exists(figdir, stems[i], ".png"), svg = fig_exists(figdir, stems[i], ".svg");
    sb_puts(b, "<figure>");
    if (png) {
      sb_printf(b, "<a href=\"%s/", figrel);
      sb_html(b, stems[i]);
      sb_puts(b, svg ? ".svg\">" : ".png\">");
      sb_printf(b, "<img src=\"%s/", figrel);
      sb_html(b, stems[i]);
      sb_puts(b, ".png\" alt=\"");
      sb_html(b, stems[i]);
      sb_puts(b, "\"></a>");
    } else if (svg) {
      sb_printf(b, "<a href=\"%s/", figrel);
      sb_html(b, stems[i]);
      sb_puts(b, ".svg\">");
      sb_html(b, stems[i]);
      sb_puts(b, ".svg</a>");
    }
    sb_puts(b, "<figcaption>");
    sb_html(b, stems[i]);
    sb_puts(b, "</figcaption></figure>\n");
  }
}

void free_strs(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Relative path from `from` (a directory) to `to`; both made absolute first. */
void relpath(const char *from, const char *to, char *out, size_t len) {
  char a[4096], b[4096];
  if (!realpath(from, a) || !realpath(to, b)) {
    snprintf(out, len, "%s", to);
    return;
  }
  size_t i = 0, common = 0;
  while (a[i] && a[i] == b[i]) {
    if (a[i] == '/') common = i;
    i++;
  }
  if (!a[i] && (b[i] == '/' || !b[i])) common = i;
  else if (!b[i] && a[i] == '/') common = i;
  size_t k = 0;
  out[0] = 0;
  for (const char *p = a + common; *p; p++)
    if (*p == '/') k += (size_t)snprintf(out + k, len > k ? len - k : 0, "../");
  const char *rest = b + common;
  if (*rest == '/') rest++;
  if (k && !*rest) out[k - 1] = 0;
  else snprintf(out + k, len > k ? len - k : 0, "%s", *rest ? rest : ".");
}
