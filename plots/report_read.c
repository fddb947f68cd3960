/* report_read.c: the report model and its readers (claim records, family summaries, figure map,
 * ctest log, figures). */
#define _GNU_SOURCE 1
#include "report.h"

report_state R;

/* ------------------------------------------------------------------------------------
 * The report model
 * ------------------------------------------------------------------------------------ */

row *rows_add(rows *r) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 8;
    r->v = xrealloc(r->v, r->cap * sizeof *r->v);
  }
  row *x = &r->v[r->n++];
  memset(x, 0, sizeof *x);
  return x;
}



void add_problem(const char *file, const char *error, const char *claim) {
  R.problems = xrealloc(R.problems, (R.nproblems + 1) * sizeof *R.problems);
  R.problems[R.nproblems].file = xstrdup(file);
  R.problems[R.nproblems].error = xstrdup(error);
  R.problems[R.nproblems].claim = claim ? xstrdup(claim) : NULL;
  R.nproblems++;
}

void add_unique(char ***v, size_t *n, const char *s) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp((*v)[i], s)) return;
  *v = xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = xstrdup(s);
}

int claim_index(const char *id) {
  for (size_t i = 0; i < NCLAIM; i++)
    if (!strcasecmp(CLAIMS[i].id, id)) return (int)i;
  return -1;
}
int family_index(const char *prefix) {
  for (size_t i = 0; i < NFAM; i++)
    if (!strcasecmp(FAMILIES[i].prefix, prefix)) return (int)i;
  return -1;
}
int family_of_claim(size_t ci) {
  for (size_t f = 0; f < NFAM; f++)
    if (!strncmp(CLAIMS[ci].id, FAMILIES[f].prefix, 2)) return (int)f;
  return -1;
}
/* Family prefix for a results/figure family name (equivariance -> EQ), or -1. */
int family_of_name(const char *name) {
  for (size_t f = 0; f < NFAM; f++) {
    const char *p = FAMILIES[f].families;
    while (*p) {
      size_t l = strcspn(p, " ");
      if (l && !strncmp(name, p, l) &&
          (name[l] == 0 || name[l] == '_' || name[l] == '-' || name[l] == ':'))
        return (int)f;
      p += l;
      while (*p == ' ') p++;
    }
  }
  return -1;
}

/* Record the versions named by a provenance object. */
void add_version(const jval *prov) {
  if (!prov || prov->t != J_OBJ) return;
  const char *git = jgets(prov, "git"), *cc = jgets(prov, "compiler"), *blas = jgets(prov, "blas"),
             *ver = jgets(prov, "version");
  char vb[768];
  snprintf(vb, sizeof vb, "gdlimits %s (git %s); compiler %s; BLAS %s", ver ? ver : "?",
           git ? git : "?", cc ? cc : "?", blas ? blas : "?");
  add_unique(&R.versions, &R.nversions, vb);
}

/* Fill a row from an assertion object (a missing or ill-typed field sets r->problem). */
void fill_row(row *r, const jval *o, const char *source) {
  char buf[256];
  sbuf prob = {0};
  r->source = xstrdup(source);
  const char *s = jgets(o, "check");
  r->check = xstrdup(s ? s : "(unnamed check)");
  if (!s) sb_puts(&prob, "no \"check\"; ");
  s = jgets(o, "relation");
  r->relation = xstrdup(s ? s : "?");
  if (!s) sb_puts(&prob, "no \"relation\"; ");
  s = jgets(o, "params");
  r->params = xstrdup(s ? s : "");
  const jval *v = jget(o, "seed");
  jtext(v, buf, sizeof buf);
  r->seed = xstrdup(buf);
  if (v && v->t == J_STR) add_unique(&R.seeds, &R.nseeds, buf);
  else if (v && v->t == J_NUM) add_unique(&R.seeds, &R.nseeds, buf);

  const jval *m = jget(o, "measured"), *b = jget(o, "bound"), *mg = jget(o, "margin");
  if (!m) sb_puts(&prob, "no \"measured\"; ");
  else if (m->t != J_NUM && m->t != J_NULL) sb_puts(&prob, "\"measured\" is not a number; ");
  if (!b) sb_puts(&prob, "no \"bound\"; ");
  r->m = m && m->t == J_NUM ? m->num : NAN;
  r->b = b && b->t == J_NUM ? b->num : NAN;
  r->mg = NAN;
  if (m && m->t == J_NUM) snprintf(r->measured, sizeof r->measured, "%.6g", m->num);
  else if (m && m->t == J_NULL) snprintf(r->measured, sizeof r->measured, "non-finite");
  else jtext(m, r->measured, sizeof r->measured);
  if (b && b->t == J_NUM) snprintf(r->bound, sizeof r->bound, "%.6g", b->num);
  else jtext(b, r->bound, sizeof r->bound);
  /* margin: recorded, or derived from measured / relation / bound */
  if (mg && mg->t == J_NUM) {
    snprintf(r->margin, sizeof r->margin, "%.3g", mg->num);
    r->mg = mg->num;
  } else if (m && m->t == J_NUM) {
    double mv = m->num, d = NAN;
    if (b && b->t == J_NUM) {
      if (strchr(r->relation, '<')) d = b->num - mv;
      else if (strchr(r->relation, '>')) d = mv - b->num;
    } else if (b && b->t == J_ARR && b->n == 2 && b->items[0]->t == J_NUM &&
               b->items[1]->t == J_NUM) {
      double lo = b->items[0]->num, hi = b->items[1]->num;
      d = fmin(mv - lo, hi - mv);
    }
    if (isfinite(d)) snprintf(r->margin, sizeof r->margin, "%.3g", d);
    r->mg = d;
  }
  const jval *p = jget(o, "pass");
  if (p && p->t == J_BOOL) r->pass = p->b;
  else if (p && p->t == J_NUM) r->pass = p->num != 0;
  else {
    r->pass = -1;
    sb_puts(&prob, "no boolean \"pass\"; ");
  }
  const jval *prov = jget(o, "provenance");
  if (prov && prov->t == J_OBJ) {
    add_version(prov);
    const char *utc = jgets(prov, "utc");
    if (utc) r->utc = xstrdup(utc);
    if (!v) { /* seed only in provenance */
      const jval *ps = jget(prov, "seed");
      if (ps) {
        jtext(ps, buf, sizeof buf);
        free(r->seed);
        r->seed = xstrdup(buf);
        add_unique(&R.seeds, &R.nseeds, buf);
      }
    }
  }
  if (prob.n) {
    prob.s[prob.n - 2] = 0; /* drop the last "; " */
    r->problem = prob.s;
    if (r->pass == 1) r->pass = -1; /* an incomplete record cannot vouch for a claim */
  }
}

/* Attach an assertion to claim `id` (or a family prefix, or the unknown list). A record
 * filed under a family ("NG") whose check name starts with one of its claims ("NG1_...",
 * "NG2b_...") goes to that claim. */
row *row_for(const char *id, const jval *obj) {
  int ci = claim_index(id);
  if (ci >= 0) return rows_add(&R.claim_rows[ci]);
  int fi = family_index(id);
  if (fi >= 0) {
    const char *check = jgets(obj, "check");
    size_t pl = strlen(FAMILIES[fi].prefix);
    if (check && !strncasecmp(check, FAMILIES[fi].prefix, pl) && isdigit((unsigned char)check[pl])) {
      char cand[16];
      size_t l = pl;
      while (isdigit((unsigned char)check[l]) && l < sizeof cand - 1) l++;
      memcpy(cand, check, l);
      cand[l] = 0;
      ci = claim_index(cand);
      if (ci >= 0) return rows_add(&R.claim_rows[ci]);
    }
    return rows_add(&R.family_rows[fi]);
  }
  return rows_add(&R.unknown_rows);
}

/* claim id guessed from a record file name "<claim>__<check>.json" */
char *claim_from_filename(const char *name) {
  const char *u = strstr(name, "__");
  size_t l = u ? (size_t)(u - name) : strcspn(name, "_.-");
  char *c = xmalloc(l + 1);
  memcpy(c, name, l);
  c[l] = 0;
  return c;
}

void read_claim_records(const char *results) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/claims", results);
  char **names;
  int n = list_dir(dir, ".json", &names);
  for (int i = 0; i < n; i++) {
    char path[8192], err[512], src[4200];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    snprintf(src, sizeof src, "claims/%s", names[i]);
    size_t len;
    char *text = read_file(path, &len, err, sizeof err);
    char *guess = claim_from_filename(names[i]);
    jval *o = text ? jparse(text, len, err, sizeof err) : NULL;
    if (!o) {
      char msg[700];
      snprintf(msg, sizeof msg, "malformed JSON: %s", err);
      add_problem(src, msg, guess);
    } else if (o->t != J_OBJ) {
      add_problem(src, "malformed record: the JSON value is not an object", guess);
    } else {
      const char *claim = jgets(o, "claim");
      if (!claim) {
        add_problem(src, "malformed record: no \"claim\" string", guess);
      } else {
        fill_row(row_for(claim, o), o, src);
      }
    }
    jfree(o);
    free(text);
    free(guess);
  }
  free_list(names, n);
}

/* Tokens of a "claim" value: "NG1", "NG1,NG2", "NG1 NG2", ["NG1","NG2"]. */
int claim_tokens(const jval *c, char tok[][16], int maxtok) {
  int k = 0;
  if (!c) return 0;
  if (c->t == J_ARR) {
    for (size_t i = 0; i < c->n && k < maxtok; i++)
      if (c->items[i]->t == J_STR) k += claim_tokens(c->items[i], tok + k, maxtok - k);
    return k;
  }
  if (c->t != J_STR) return 0;
  const char *p = c->str;
  while (*p && k < maxtok) {
    while (*p && !isalnum((unsigned char)*p)) p++;
    size_t l = 0;
    while (p[l] && isalnum((unsigned char)p[l])) l++;
    if (l && l < 16) {
      memcpy(tok[k], p, l);
      tok[k][l] = 0;
      k++;
    }
    p += l;
  }
  return k;
}

famdata *fam_get(const char *name) {
  for (size_t i = 0; i < R.nfams; i++)
    if (!strcmp(R.fams[i].name, name)) return &R.fams[i];
  R.fams = xrealloc(R.fams, (R.nfams + 1) * sizeof *R.fams);
  famdata *f = &R.fams[R.nfams++];
  memset(f, 0, sizeof *f);
  f->name = xstrdup(name);
  return f;
}
void fam_add_fig(famdata *f, const char *stem) {
  for (size_t i = 0; i < f->nfigs; i++)
    if (!strcmp(f->figs[i], stem)) return;
  f->figs = xrealloc(f->figs, (f->nfigs + 1) * sizeof *f->figs);
  f->figs[f->nfigs++] = xstrdup(stem);
}

/* Largest "wall*" number among the top-level keys (and "provenance") of a JSON object. */
double find_wall(const jval *o) {
  double best = NAN;
  if (!o || o->t != J_OBJ) return best;
  for (size_t i = 0; i < o->n; i++) {
    const jval *v = o->items[i];
    if (v->t == J_NUM && (!strncmp(o->keys[i], "wall", 4) || !strcmp(o->keys[i], "elapsed_s") ||
                          !strcmp(o->keys[i], "runtime_s"))) {
      if (!(best >= v->num)) best = v->num;
    } else if (v->t == J_OBJ && (!strcmp(o->keys[i], "provenance") || !strcmp(o->keys[i], "timing"))) {
      double w = find_wall(v);
      if (isfinite(w) && !(best >= w)) best = w;
    }
  }
  return best;
}

void read_summaries(const char *results) {
  char **names;
  int n = list_dir(results, "", &names);
  for (int i = 0; i < n; i++) {
    char dir[8192];
    snprintf(dir, sizeof dir, "%s/%s", results, names[i]);
    if (!is_dir(dir) || !strcmp(names[i], "claims")) continue;
    famdata *fd = fam_get(names[i]);
    /* run time: the largest wall-time field among the family's JSON sidecars */
    char **js;
    int nj = list_dir(dir, ".json", &js);
    double wall = NAN;
    for (int k = 0; k < nj; k++) {
      char path[12288], err[512];
      snprintf(path, sizeof path, "%s/%s", dir, js[k]);
      size_t len;
      char *text = read_file(path, &len, err, sizeof err);
      jval *o = text ? jparse(text, len, err, sizeof err) : NULL;
      char src[8400];
      snprintf(src, sizeof src, "%s/%s", names[i], js[k]);
      if (!o) {
        char msg[700];
        snprintf(msg, sizeof msg, "malformed JSON: %s", err);
        int f = family_of_name(names[i]);
        add_problem(src, msg, f >= 0 ? FAMILIES[f].prefix : NULL);
        free(text);
        continue;
      }
      double w = find_wall(o);
      if (isfinite(w) && !(wall >= w)) wall = w;
      add_version(jget(o, "provenance"));
      if (!strcmp(js[k], "summary.json")) {
        const jval *c = jget(o, "claim"), *rw = jget(o, "rows"), *figs = jget(o, "figures");
        char tok[16][16];
        int nt = claim_tokens(c, tok, 16);
        if (c && c->t == J_STR) fd->claim_text = xstrdup(c->str);
        if (o->t != J_OBJ || !rw || rw->t != J_ARR) {
          add_problem(src, "malformed summary: expected {\"claim\": ..., \"rows\": [...]}",
                      nt ? tok[0] : NULL);
        } else {
          for (size_t r = 0; r < rw->n; r++) {
            const jval *ro = rw->items[r];
            if (ro->t != J_OBJ) {
              add_problem(src, "malformed summary: a row is not an object", nt ? tok[0] : NULL);
              continue;
            }
            char rtok[4][16];
            int nr = claim_tokens(jget(ro, "claim"), rtok, 4);
            const char *id = nr ? rtok[0] : (nt ? tok[0] : names[i]);
            if (!nr && nt == 0) {
              int f = family_of_name(names[i]);
              if (f >= 0) id = FAMILIES[f].prefix;
            }
            fill_row(row_for(id, ro), ro, src);
          }
        }
        if (figs && figs->t == J_ARR)
          for (size_t q = 0; q < figs->n; q++)
            if (figs->items[q]->t == J_STR) {
              char stem[512];
              snprintf(stem, sizeof stem, "%s", figs->items[q]->str);
              char *dot = strrchr(stem, '.');
              if (dot && (!strcmp(dot, ".png") || !strcmp(dot, ".svg"))) *dot = 0;
              fam_add_fig(fd, stem);
            }
      }
      jfree(o);
      free(text);
    }
    if (isfinite(wall)) {
      char t[64];
      snprintf(t, sizeof t, "%.1f s (sweep)", wall);
      fd->runtime = xstrdup(t);
    }
    free_list(js, nj);
  }
  free_list(names, n);
}

/* Calls fn(line, first) on each non-empty line of the text file at path, in order (first: 1 for
 * the first line); nothing when path is NULL or names no readable file. */
static void each_line(const char *path, void (*fn)(char *line, int first)) {
  size_t len;
  char err[256];
  char *text = path && is_file(path) ? read_file(path, &len, err, sizeof err) : NULL;
  if (!text) return;
  char *save = NULL;
  int first = 1;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), first = 0)
    fn(line, first);
  free(text);
}

/* Figure map written by CMake: "<family> <stem> <stem>..." per line. */
static void figure_map_line(char *line, int first) {
  (void)first;
  char *s2 = NULL;
  char *name = strtok_r(line, " \t", &s2);
  if (!name) return;
  famdata *fd = fam_get(name);
  for (char *st = strtok_r(NULL, " \t", &s2); st; st = strtok_r(NULL, " \t", &s2))
    fam_add_fig(fd, st);
}
void read_figure_map(const char *path) { each_line(path, figure_map_line); }

/* ctest log lines: "  1/12 Test  #3: theorems.noisy_gd .......   Passed   41.20 sec" */
static void ctest_log_line(char *line, int first) {
  (void)first;
  char *t = strstr(line, "Test");
  char *colon = t ? strchr(t, ':') : NULL;
  char *sec = line[0] ? strstr(line, " sec") : NULL;
  if (!t || !colon || !sec || !strstr(t, "#")) return;
  char name[256] = "", status[64] = "";
  double secs = 0;
  char *p = colon + 1;
  while (*p == ' ') p++;
  size_t l = strcspn(p, " .");
  while (l && p[l] == '.' && p[l + 1] != '.' && p[l + 1] != ' ') l += 1 + strcspn(p + l + 1, " .");
  if (l == 0 || l >= sizeof name) return;
  memcpy(name, p, l);
  name[l] = 0;
  char *q = sec;
  while (q > line && q[-1] != ' ') q--;
  secs = strtod(q, NULL);
  char *st = p + l;
  while (*st == ' ' || *st == '.' || *st == '*') st++;
  size_t sl = strcspn(st, " ");
  if (sl >= sizeof status) sl = sizeof status - 1;
  memcpy(status, st, sl);
  status[sl] = 0;
  char entry[400];
  snprintf(entry, sizeof entry, "%s: %s, %.1f s", name, status, secs);
  add_unique(&R.test_times, &R.ntest_times, entry);
}
void read_ctest_log(const char *path) { each_line(path, ctest_log_line); }

/* Attach existing figure files to families (by map, "figures" key, or name prefix). */

int fig_exists(const char *figdir, const char *stem, const char *ext) {
  char p[8192];
  snprintf(p, sizeof p, "%s/%s%s", figdir, stem, ext);
  return is_file(p);
}

figset scan_figures(const char *figdir) {
  figset fs = {0};
  char **pngs, **svgs;
  int np = list_dir(figdir, ".png", &pngs), ns = list_dir(figdir, ".svg", &svgs);
  for (int i = 0; i < np; i++) {
    pngs[i][strlen(pngs[i]) - 4] = 0;
    add_unique(&fs.stems, &fs.n, pngs[i]);
  }
  for (int i = 0; i < ns; i++) {
    svgs[i][strlen(svgs[i]) - 4] = 0;
    add_unique(&fs.stems, &fs.n, svgs[i]);
  }
  free_list(pngs, np);
  free_list(svgs, ns);
  if (fs.n) qsort(fs.stems, fs.n, sizeof *fs.stems, cmpstr);
  fs.used = calloc(fs.n ? fs.n : 1, sizeof *fs.used);
  /* prefix rule: "<family>_..." belongs to that family (longest family name wins) */
  for (size_t i = 0; i < fs.n; i++) {
    famdata *best = NULL;
    for (size_t f = 0; f < R.nfams; f++) {
      size_t l = strlen(R.fams[f].name);
      if (!strncmp(fs.stems[i], R.fams[f].name, l) &&
          (fs.stems[i][l] == '_' || fs.stems[i][l] == '-' || fs.stems[i][l] == 0) &&
          (!best || strlen(best->name) < l))
        best = &R.fams[f];
    }
    if (best) fam_add_fig(best, fs.stems[i]);
  }
  return fs;
}

/* Claim prefixes a results family serves: from its summary "claim", else its name. */
int fam_serves(const famdata *fd, const char *claim_id) {
  if (fd->claim_text) {
    jval tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.t = J_STR;
    tmp.str = fd->claim_text;
    char tok[16][16];
    int nt = claim_tokens(&tmp, tok, 16);
    for (int k = 0; k < nt; k++) {
      if (!strcasecmp(tok[k], claim_id)) return 2;
      if (strlen(claim_id) == 2 && !strncasecmp(tok[k], claim_id, 2)) return 1;
      if (strlen(tok[k]) == 2 && !strncasecmp(tok[k], claim_id, 2)) return 1;
    }
    if (nt) return 0;
  }
  int f = family_of_name(fd->name);
  return f >= 0 && !strncmp(FAMILIES[f].prefix, claim_id, 2) ? 1 : 0;
}

/* ------------------------------------------------------------------------------------
 * Fault injection (scripts/power) and the benchmark context of the performance section
 * ------------------------------------------------------------------------------------ */
static void kill_matrix_line(char *line, int first) {
  if (first && !strncmp(line, "fault,", 6)) return; /* header fault,test,result,seconds */
  char *f = line, *t = strchr(f, ',');
  if (!t) return;
  *t++ = 0;
  char *res = strchr(t, ',');
  if (!res) return;
  *res++ = 0;
  char *end = strchr(res, ',');
  if (end) *end = 0;
  R.kills = xrealloc(R.kills, (R.nkills + 1) * sizeof *R.kills);
  R.kills[R.nkills].fault = xstrdup(f);
  R.kills[R.nkills].test = xstrdup(t);
  R.kills[R.nkills].result = xstrdup(res);
  R.nkills++;
}
void read_kill_matrix(const char *results) {
  char path[4200];
  snprintf(path, sizeof path, "%s/power/kill_matrix.csv", results);
  each_line(path, kill_matrix_line);
}

/* the faults killed by the tests of family fi (theorems.<name> with family_of_name(name) == fi);
 * *nrun: faults run against them */
size_t faults_killed_by_family(size_t fi, char ***out, size_t *nrun) {
  char **v = NULL, **ran = NULL;
  size_t n = 0, nr = 0;
  for (size_t i = 0; i < R.nkills; i++) {
    const char *nm = strchr(R.kills[i].test, '.');
    if (!nm || strncmp(R.kills[i].test, "theorems.", 9) || family_of_name(nm + 1) != (int)fi) continue;
    add_unique(&ran, &nr, R.kills[i].fault);
    if (!strcmp(R.kills[i].result, "killed")) add_unique(&v, &n, R.kills[i].fault);
  }
  for (size_t i = 0; i < nr; i++) free(ran[i]);
  free(ran);
  *out = v;
  if (nrun) *nrun = nr;
  return n;
}

/* the benchmark run's dgemm peak (and load average, when recorded) from trainer.json */
void read_bench_context(const char *results) {
  R.dgemm_peak = NAN;
  char path[4200], err[256];
  snprintf(path, sizeof path, "%s/trainer/trainer.json", results);
  size_t len;
  char *text = is_file(path) ? read_file(path, &len, err, sizeof err) : NULL;
  jval *o = text ? jparse(text, len, err, sizeof err) : NULL;
  if (o && o->t == J_OBJ) {
    const jval *pk = jget(o, "dgemm_peak_gflops");
    if (pk && pk->t == J_NUM) R.dgemm_peak = pk->num;
    const jval *la = jget(o, "load_average");
    if (!la) la = jget(o, "loadavg");
    if (la) {
      char buf[256];
      if (la->t == J_ARR) {
        sbuf b = {0};
        for (size_t i = 0; i < la->n; i++) {
          jtext(la->items[i], buf, sizeof buf);
          sb_printf(&b, "%s%s", i ? " " : "", buf);
        }
        R.bench_load = b.s ? b.s : xstrdup("");
      } else {
        jtext(la, buf, sizeof buf);
        R.bench_load = xstrdup(buf);
      }
    }
    const jval *prov = jget(o, "provenance");
    const char *utc = prov && prov->t == J_OBJ ? jgets(prov, "utc") : NULL;
    if (utc) R.bench_utc = xstrdup(utc);
  }
  jfree(o);
  free(text);
}

/* performance (PF) is measured against targets, never a pass/fail claim of the report */
int is_perf_claim(size_t ci) { return !strncmp(CLAIMS[ci].id, "PF", 2); }

/* how close a check is to its bound: bound/measured for <=, measured/bound for >= (>= 1 when
 * the check holds, 1 = tight); NAN when it has no meaning (non-positive values, "in") */
double row_tightness(const row *x) {
  if (!isfinite(x->m) || !isfinite(x->b) || !x->relation) return NAN;
  if (strchr(x->relation, '<') && x->m > 0 && x->b > 0) return x->b / x->m;
  if (strchr(x->relation, '>') && x->b > 0 && x->m > 0) return x->m / x->b;
  return NAN;
}
