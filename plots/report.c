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
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GDL_GIT_DESCRIBE
#define GDL_GIT_DESCRIBE "unknown"
#endif

#include "gdl/claims.h"

/* ------------------------------------------------------------------------------------
 * The claims (CLAIMS.md), one line each: the table lives in core/src/claims.c
 * (gdl/claims.h), compiled into this program too so that it stays libc-only.
 * ------------------------------------------------------------------------------------ */
#define CLAIMS gdl_claim_table
#define NCLAIM ((size_t)GDL_NCLAIMS)
#define FAMILIES gdl_claim_family_table
#define NFAM ((size_t)GDL_NCLAIM_FAMILIES)

/* ------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------ */
static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "gdl-report: out of memory\n");
    exit(1);
  }
  return p;
}
static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fprintf(stderr, "gdl-report: out of memory\n");
    exit(1);
  }
  return p;
}
static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

/* growable string */
typedef struct {
  char *s;
  size_t n, cap;
} sbuf;
static void sb_putn(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->s = xrealloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }
static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  if ((size_t)k < sizeof tmp) {
    sb_putn(b, tmp, (size_t)k);
    return;
  }
  char *big = xmalloc((size_t)k + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)k + 1, fmt, ap);
  va_end(ap);
  sb_putn(b, big, (size_t)k);
  free(big);
}
/* HTML-escaped text */
static void sb_html(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
      case '<': sb_puts(b, "&lt;"); break;
      case '>': sb_puts(b, "&gt;"); break;
      case '&': sb_puts(b, "&amp;"); break;
      case '"': sb_puts(b, "&quot;"); break;
      default: sb_putn(b, s, 1);
    }
  }
}
/* Markdown table cell: no '|' or newlines */
static void sb_md(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|') sb_puts(b, "\\|");
    else if (*s == '\n' || *s == '\r') sb_putn(b, " ", 1);
    else if (*s == '<') sb_puts(b, "&lt;");
    else sb_putn(b, s, 1);
  }
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    return NULL;
  }
  sbuf b = {0};
  char buf[65536];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(&b, buf, k);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    snprintf(err, errlen, "read error");
    free(b.s);
    return NULL;
  }
  if (!b.s) b.s = xstrdup("");
  *len = b.n;
  return b.s;
}

static int write_atomic(const char *path, const char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int ok = fwrite(data, 1, len, f) == len;
  ok = (fflush(f) == 0) && ok;
  ok = (fsync(fileno(f)) == 0) && ok;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    return -1;
  }
  return 0;
}

static int mkdir_p(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == 0) {
      char c = buf[i];
      buf[i] = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      buf[i] = c;
    }
  }
  return 0;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted names in dir (regular entries, not starting with '.') ending with suffix ("" = any).
 * Returns count, or -1 if the directory cannot be opened. */
static int list_dir(const char *dir, const char *suffix, char ***out) {
  DIR *d = opendir(dir);
  *out = NULL;
  if (!d) return -1;
  size_t n = 0, cap = 0;
  char **v = NULL;
  struct dirent *e;
  size_t sl = strlen(suffix);
  while ((e = readdir(d))) {
    const char *nm = e->d_name;
    size_t l = strlen(nm);
    if (nm[0] == '.') continue;
    if (l < sl || strcmp(nm + l - sl, suffix) != 0) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      v = xrealloc(v, cap * sizeof *v);
    }
    v[n++] = xstrdup(nm);
  }
  closedir(d);
  if (n) qsort(v, n, sizeof *v, cmpstr);
  *out = v;
  return (int)n;
}
static void free_list(char **v, int n) {
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}
static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}
static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* ------------------------------------------------------------------------------------
 * A small JSON reader (RFC 8259 values; depth <= 64)
 * ------------------------------------------------------------------------------------ */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
  jtype t;
  int b;
  double num;
  char *str;
  size_t n;            /* ARR / OBJ element count */
  char **keys;         /* OBJ */
  struct jval **items; /* ARR / OBJ */
} jval;

typedef struct {
  const char *s, *end, *p;
  char err[256];
  int depth;
} jparser;

static void jfree(jval *v) {
  if (!v) return;
  free(v->str);
  for (size_t i = 0; i < v->n; i++) {
    if (v->keys) free(v->keys[i]);
    jfree(v->items[i]);
  }
  free(v->keys);
  free(v->items);
  free(v);
}

static jval *jnew(jtype t) {
  jval *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->t = t;
  return v;
}

static int jfail(jparser *P, const char *what) {
  if (!P->err[0]) {
    /* line and column of the error */
    size_t line = 1, col = 1;
    for (const char *q = P->s; q < P->p && q < P->end; q++) {
      if (*q == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    snprintf(P->err, sizeof P->err, "%s at line %zu, column %zu (byte %zu)", what, line, col,
             (size_t)(P->p - P->s));
  }
  return -1;
}

static void jws(jparser *P) {
  while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r'))
    P->p++;
}

static void put_utf8(sbuf *b, unsigned cp) {
  char c[4];
  if (cp < 0x80) {
    c[0] = (char)cp;
    sb_putn(b, c, 1);
  } else if (cp < 0x800) {
    c[0] = (char)(0xC0 | (cp >> 6));
    c[1] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 2);
  } else if (cp < 0x10000) {
    c[0] = (char)(0xE0 | (cp >> 12));
    c[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    c[2] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 3);
  } else {
    c[0] = (char)(0xF0 | (cp >> 18));
    c[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    c[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    c[3] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 4);
  }
}

static int jhex4(jparser *P, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    if (P->p >= P->end) return jfail(P, "truncated \\u escape");
    char c = *P->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return jfail(P, "bad hex digit in \\u escape");
  }
  *out = v;
  return 0;
}

static int jstring(jparser *P, char **out) {
  if (P->p >= P->end || *P->p != '"') return jfail(P, "expected '\"'");
  P->p++;
  sbuf b = {0};
  for (;;) {
    if (P->p >= P->end) {
      free(b.s);
      return jfail(P, "unterminated string");
    }
    unsigned char c = (unsigned char)*P->p++;
    if (c == '"') break;
    if (c < 0x20) {
      P->p--;
      free(b.s);
      return jfail(P, "control character in string");
    }
    if (c != '\\') {
      sb_putn(&b, (const char *)&c, 1);
      continue;
    }
    if (P->p >= P->end) {
      free(b.s);
      return jfail(P, "unterminated escape");
    }
    char e = *P->p++;
    switch (e) {
      case '"': sb_puts(&b, "\""); break;
      case '\\': sb_puts(&b, "\\"); break;
      case '/': sb_puts(&b, "/"); break;
      case 'b': sb_puts(&b, "\b"); break;
      case 'f': sb_puts(&b, "\f"); break;
      case 'n': sb_puts(&b, "\n"); break;
      case 'r': sb_puts(&b, "\r"); break;
      case 't': sb_puts(&b, "\t"); break;
      case 'u': {
        unsigned cp;
        if (jhex4(P, &cp)) {
          free(b.s);
          return -1;
        }
        if (cp >= 0xD800 && cp < 0xDC00 && P->end - P->p >= 6 && P->p[0] == '\\' &&
            P->p[1] == 'u') {
          unsigned lo;
          P->p += 2;
          if (jhex4(P, &lo)) {
            free(b.s);
            return -1;
          }
          if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          else cp = 0xFFFD;
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        put_utf8(&b, cp);
        break;
      }
      default:
        P->p--;
        free(b.s);
        return jfail(P, "bad escape in string");
    }
  }
  *out = b.s ? b.s : xstrdup("");
  return 0;
}

static int jvalue(jparser *P, jval **out);

static int jlit(jparser *P, const char *lit) {
  size_t l = strlen(lit);
  if ((size_t)(P->end - P->p) < l || memcmp(P->p, lit, l) != 0) return 0;
  P->p += l;
  return 1;
}

static int jnumber(jparser *P, jval **out) {
  const char *q = P->p;
  if (q < P->end && *q == '-') q++;
  if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "unexpected character");
  if (*q == '0') q++;
  else
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  if (q < P->end && *q == '.') {
    q++;
    if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "bad number");
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  }
  if (q < P->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < P->end && (*q == '+' || *q == '-')) q++;
    if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "bad number exponent");
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  }
  char tmp[64];
  size_t l = (size_t)(q - P->p);
  if (l >= sizeof tmp) return jfail(P, "number too long");
  memcpy(tmp, P->p, l);
  tmp[l] = 0;
  jval *v = jnew(J_NUM);
  v->num = strtod(tmp, NULL);
  v->str = xstrdup(tmp); /* exact text: 64-bit seeds exceed double precision */
  P->p = q;
  *out = v;
  return 0;
}

static int jvalue(jparser *P, jval **out) {
  *out = NULL;
  jws(P);
  if (P->p >= P->end) return jfail(P, "unexpected end of input");
  if (++P->depth > 64) return jfail(P, "nesting too deep");
  int rc = 0;
  char c = *P->p;
  if (c == '{' || c == '[') {
    const int obj = c == '{';
    jval *v = jnew(obj ? J_OBJ : J_ARR);
    size_t cap = 0;
    P->p++;
    jws(P);
    if (P->p < P->end && *P->p == (obj ? '}' : ']')) {
      P->p++;
    } else {
      for (;;) {
        char *key = NULL;
        if (obj) {
          jws(P);
          if (jstring(P, &key)) {
            rc = -1;
            break;
          }
          jws(P);
          if (P->p >= P->end || *P->p != ':') {
            free(key);
            rc = jfail(P, "expected ':' after key");
            break;
          }
          P->p++;
        }
        jval *item = NULL;
        if (jvalue(P, &item)) {
          free(key);
          rc = -1;
          break;
        }
        if (v->n == cap) {
          cap = cap ? 2 * cap : 8;
          v->items = xrealloc(v->items, cap * sizeof *v->items);
          if (obj) v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
        }
        if (obj) v->keys[v->n] = key;
        v->items[v->n++] = item;
        jws(P);
        if (P->p < P->end && *P->p == ',') {
          P->p++;
          continue;
        }
        if (P->p < P->end && *P->p == (obj ? '}' : ']')) {
          P->p++;
          break;
        }
        rc = jfail(P, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
      }
    }
    if (rc) jfree(v);
    else *out = v;
  } else if (c == '"') {
    char *s = NULL;
    if (jstring(P, &s)) rc = -1;
    else {
      *out = jnew(J_STR);
      (*out)->str = s;
    }
  } else if (jlit(P, "true") || jlit(P, "false")) {
    *out = jnew(J_BOOL);
    (*out)->b = P->p[-1] == 'e' && P->p[-2] == 'u';
  } else if (jlit(P, "null")) {
    *out = jnew(J_NULL);
  } else {
    rc = jnumber(P, out);
  }
  P->depth--;
  return rc;
}

/* Parse a whole document; on failure returns NULL and writes the message into err. */
static jval *jparse(const char *text, size_t len, char *err, size_t errlen) {
  jparser P;
  memset(&P, 0, sizeof P);
  P.s = P.p = text;
  P.end = text + len;
  jval *v = NULL;
  if (jvalue(&P, &v) == 0) {
    jws(&P);
    if (P.p != P.end) {
      jfail(&P, "trailing characters after the JSON value");
      jfree(v);
      v = NULL;
    }
  }
  if (!v) snprintf(err, errlen, "%s", P.err[0] ? P.err : "invalid JSON");
  return v;
}

static const jval *jget(const jval *o, const char *key) {
  if (!o || o->t != J_OBJ) return NULL;
  for (size_t i = 0; i < o->n; i++)
    if (!strcmp(o->keys[i], key)) return o->items[i];
  return NULL;
}
static const char *jgets(const jval *o, const char *key) {
  const jval *v = jget(o, key);
  return v && v->t == J_STR ? v->str : NULL;
}

/* Any scalar as text ("" if absent). */
static void jtext(const jval *v, char *buf, size_t len) {
  if (!v) {
    if (len) buf[0] = 0;
    return;
  }
  switch (v->t) {
    case J_NULL: snprintf(buf, len, "null"); break;
    case J_BOOL: snprintf(buf, len, "%s", v->b ? "true" : "false"); break;
    case J_NUM:
      if (v->str && !strpbrk(v->str, ".eE")) snprintf(buf, len, "%s", v->str);
      else snprintf(buf, len, "%.6g", v->num);
      break;
    case J_STR: snprintf(buf, len, "%s", v->str); break;
    case J_ARR: {
      size_t k = 0;
      k += (size_t)snprintf(buf + k, len - k, "[");
      for (size_t i = 0; i < v->n && k < len; i++) {
        char t[64];
        jtext(v->items[i], t, sizeof t);
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", t);
      }
      if (k < len) snprintf(buf + k, len - k, "]");
      break;
    }
    case J_OBJ: snprintf(buf, len, "{...}"); break;
  }
}

/* ------------------------------------------------------------------------------------
 * The report model
 * ------------------------------------------------------------------------------------ */
typedef struct {
  char *source;   /* file it came from (relative to results dir) */
  char *check, *relation, *params, *seed;
  char measured[64], bound[96], margin[64];
  int pass;       /* 1 pass, 0 fail, -1 unknown (missing or malformed field) */
  char *problem;  /* a field is missing or has the wrong type */
  char *utc;
} row;

typedef struct {
  row *v;
  size_t n, cap;
} rows;

static row *rows_add(rows *r) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 8;
    r->v = xrealloc(r->v, r->cap * sizeof *r->v);
  }
  row *x = &r->v[r->n++];
  memset(x, 0, sizeof *x);
  return x;
}

typedef struct {
  char *file, *error, *claim; /* claim: guessed from the file name (may be NULL) */
} problem;

typedef struct {
  char *name;        /* family (results subdirectory) */
  char **figs;       /* figure stems (file name without .png/.svg) */
  size_t nfigs;
  char *claim_text;  /* summary.json "claim" */
  char *runtime;     /* from the sidecars or the ctest log */
} famdata;

static struct {
  rows claim_rows[NCLAIM];
  rows family_rows[NFAM];
  rows unknown_rows;         /* records naming a claim not in the table */
  problem *problems;
  size_t nproblems;
  famdata *fams;
  size_t nfams;
  char **versions;           /* distinct "git | compiler | blas" strings */
  size_t nversions;
  char **seeds;
  size_t nseeds;
  char **test_times;         /* "theorems.x 12.3 s" from the ctest log */
  size_t ntest_times;
} R;

static void add_problem(const char *file, const char *error, const char *claim) {
  R.problems = xrealloc(R.problems, (R.nproblems + 1) * sizeof *R.problems);
  R.problems[R.nproblems].file = xstrdup(file);
  R.problems[R.nproblems].error = xstrdup(error);
  R.problems[R.nproblems].claim = claim ? xstrdup(claim) : NULL;
  R.nproblems++;
}

static void add_unique(char ***v, size_t *n, const char *s) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp((*v)[i], s)) return;
  *v = xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = xstrdup(s);
}

static int claim_index(const char *id) {
  for (size_t i = 0; i < NCLAIM; i++)
    if (!strcasecmp(CLAIMS[i].id, id)) return (int)i;
  return -1;
}
static int family_index(const char *prefix) {
  for (size_t i = 0; i < NFAM; i++)
    if (!strcasecmp(FAMILIES[i].prefix, prefix)) return (int)i;
  return -1;
}
static int family_of_claim(size_t ci) {
  for (size_t f = 0; f < NFAM; f++)
    if (!strncmp(CLAIMS[ci].id, FAMILIES[f].prefix, 2)) return (int)f;
  return -1;
}
/* Family prefix for a results/figure family name (equivariance -> EQ), or -1. */
static int family_of_name(const char *name) {
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
static void add_version(const jval *prov) {
  if (!prov || prov->t != J_OBJ) return;
  const char *git = jgets(prov, "git"), *cc = jgets(prov, "compiler"), *blas = jgets(prov, "blas"),
             *ver = jgets(prov, "version");
  char vb[768];
  snprintf(vb, sizeof vb, "gdlimits %s (git %s); compiler %s; BLAS %s", ver ? ver : "?",
           git ? git : "?", cc ? cc : "?", blas ? blas : "?");
  add_unique(&R.versions, &R.nversions, vb);
}

/* Fill a row from an assertion object (a missing or ill-typed field sets r->problem). */
static void fill_row(row *r, const jval *o, const char *source) {
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
  if (m && m->t == J_NUM) snprintf(r->measured, sizeof r->measured, "%.6g", m->num);
  else if (m && m->t == J_NULL) snprintf(r->measured, sizeof r->measured, "non-finite");
  else jtext(m, r->measured, sizeof r->measured);
  if (b && b->t == J_NUM) snprintf(r->bound, sizeof r->bound, "%.6g", b->num);
  else jtext(b, r->bound, sizeof r->bound);
  /* margin: recorded, or derived from measured / relation / bound */
  if (mg && mg->t == J_NUM) {
    snprintf(r->margin, sizeof r->margin, "%.3g", mg->num);
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
static row *row_for(const char *id, const jval *obj) {
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
static char *claim_from_filename(const char *name) {
  const char *u = strstr(name, "__");
  size_t l = u ? (size_t)(u - name) : strcspn(name, "_.-");
  char *c = xmalloc(l + 1);
  memcpy(c, name, l);
  c[l] = 0;
  return c;
}

static void read_claim_records(const char *results) {
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
static int claim_tokens(const jval *c, char tok[][16], int maxtok) {
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

static famdata *fam_get(const char *name) {
  for (size_t i = 0; i < R.nfams; i++)
    if (!strcmp(R.fams[i].name, name)) return &R.fams[i];
  R.fams = xrealloc(R.fams, (R.nfams + 1) * sizeof *R.fams);
  famdata *f = &R.fams[R.nfams++];
  memset(f, 0, sizeof *f);
  f->name = xstrdup(name);
  return f;
}
static void fam_add_fig(famdata *f, const char *stem) {
  for (size_t i = 0; i < f->nfigs; i++)
    if (!strcmp(f->figs[i], stem)) return;
  f->figs = xrealloc(f->figs, (f->nfigs + 1) * sizeof *f->figs);
  f->figs[f->nfigs++] = xstrdup(stem);
}

/* Largest "wall*" number among the top-level keys (and "provenance") of a JSON object. */
static double find_wall(const jval *o) {
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

static void read_summaries(const char *results) {
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

/* Figure map written by CMake: "<family> <stem> <stem>..." per line. */
static void read_figure_map(const char *path) {
  if (!path) return;
  size_t len;
  char err[256];
  char *text = read_file(path, &len, err, sizeof err);
  if (!text) return;
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *s2 = NULL;
    char *name = strtok_r(line, " \t", &s2);
    if (!name) continue;
    famdata *fd = fam_get(name);
    for (char *st = strtok_r(NULL, " \t", &s2); st; st = strtok_r(NULL, " \t", &s2))
      fam_add_fig(fd, st);
  }
  free(text);
}

/* ctest log lines: "  1/12 Test  #3: theorems.noisy_gd .......   Passed   41.20 sec" */
static void read_ctest_log(const char *path) {
  if (!path) return;
  size_t len;
  char err[256];
  char *text = read_file(path, &len, err, sizeof err);
  if (!text) return;
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *t = strstr(line, "Test");
    char *colon = t ? strchr(t, ':') : NULL;
    char *sec = line[0] ? strstr(line, " sec") : NULL;
    if (!t || !colon || !sec || !strstr(t, "#")) continue;
    char name[256] = "", status[64] = "";
    double secs = 0;
    char *p = colon + 1;
    while (*p == ' ') p++;
    size_t l = strcspn(p, " .");
    while (l && p[l] == '.' && p[l + 1] != '.' && p[l + 1] != ' ') l += 1 + strcspn(p + l + 1, " .");
    if (l == 0 || l >= sizeof name) continue;
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
  free(text);
}

/* Attach existing figure files to families (by map, "figures" key, or name prefix). */
typedef struct {
  char **stems;
  size_t n;
  int *used;
} figset;

static int fig_exists(const char *figdir, const char *stem, const char *ext) {
  char p[8192];
  snprintf(p, sizeof p, "%s/%s%s", figdir, stem, ext);
  return is_file(p);
}

static figset scan_figures(const char *figdir) {
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
static int fam_serves(const famdata *fd, const char *claim_id) {
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
 * Output
 * ------------------------------------------------------------------------------------ */
typedef enum { ST_PASS, ST_FAIL, ST_INCOMPLETE, ST_NONE } status;
static const char *status_name[] = {"PASS", "FAIL", "INCOMPLETE", "no result"};

static status rows_status(const rows *r, int nprob) {
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

static int claim_problems(size_t ci) {
  int k = 0;
  for (size_t i = 0; i < R.nproblems; i++)
    if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, CLAIMS[ci].id)) k++;
  return k;
}
static int family_problems(size_t fi) {
  int k = 0;
  for (size_t i = 0; i < R.nproblems; i++)
    if (R.problems[i].claim && !strcasecmp(R.problems[i].claim, FAMILIES[fi].prefix)) k++;
  return k;
}

static void rows_table_md(sbuf *b, const rows *r) {
  sb_puts(b, "| check | measured | relation | bound | margin | pass | seed | parameters | source |\n"
             "|---|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    sb_puts(b, "| ");
    sb_md(b, x->check);
    sb_printf(b, " | %s | ", x->measured);
    sb_md(b, x->relation);
    sb_printf(b, " | %s | %s | %s | %s | ", x->bound, x->margin[0] ? x->margin : "",
              x->pass == 1 ? "pass" : x->pass == 0 ? "**FAIL**" : "?", x->seed);
    sb_md(b, x->params);
    if (x->problem) {
      sb_puts(b, " (incomplete record: ");
      sb_md(b, x->problem);
      sb_puts(b, ")");
    }
    sb_puts(b, " | ");
    sb_md(b, x->source);
    sb_puts(b, " |\n");
  }
}

static void rows_table_html(sbuf *b, const rows *r) {
  sb_puts(b, "<table><tr><th>check</th><th>measured</th><th>relation</th><th>bound</th>"
             "<th>margin</th><th>pass</th><th>seed</th><th>parameters</th><th>source</th></tr>\n");
  for (size_t i = 0; i < r->n; i++) {
    const row *x = &r->v[i];
    sb_printf(b, "<tr class=\"%s\"><td>", x->pass == 1 ? "pass" : x->pass == 0 ? "fail" : "inc");
    sb_html(b, x->check);
    sb_puts(b, "</td><td>");
    sb_html(b, x->measured);
    sb_puts(b, "</td><td>");
    sb_html(b, x->relation);
    sb_puts(b, "</td><td>");
    sb_html(b, x->bound);
    sb_puts(b, "</td><td>");
    sb_html(b, x->margin);
    sb_printf(b, "</td><td>%s</td><td>", x->pass == 1 ? "pass" : x->pass == 0 ? "FAIL" : "?");
    sb_html(b, x->seed);
    sb_puts(b, "</td><td>");
    sb_html(b, x->params);
    if (x->problem) {
      sb_puts(b, " <em>(incomplete record: ");
      sb_html(b, x->problem);
      sb_puts(b, ")</em>");
    }
    sb_puts(b, "</td><td>");
    sb_html(b, x->source);
    sb_puts(b, "</td></tr>\n");
  }
  sb_puts(b, "</table>\n");
}

/* figures of claim ci (or family fi when ci < 0): stems that exist in figdir */
static size_t figures_for(const char *figdir, const char *id, int exact_only, char ***out) {
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

static void mark_used(figset *fs, char **stems, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < fs->n; k++)
      if (!strcmp(fs->stems[k], stems[i])) fs->used[k] = 1;
}

static void figs_md(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int png = fig_exists(figdir, stems[i], ".png"), svg = fig_exists(figdir, stems[i], ".svg");
    if (png) sb_printf(b, "![%s](%s/%s.png) ", stems[i], figrel, stems[i]);
    if (svg) sb_printf(b, "[%s.svg](%s/%s.svg) ", stems[i], figrel, stems[i]);
    sb_puts(b, "\n");
  }
}
static void figs_html(sbuf *b, const char *figrel, const char *figdir, char **stems, size_t n) {
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

static void free_strs(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Relative path from `from` (a directory) to `to`; both made absolute first. */
static void relpath(const char *from, const char *to, char *out, size_t len) {
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
