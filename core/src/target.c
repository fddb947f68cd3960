/* target.c: sparse polynomials (parser, formatter, evaluation) and target functions. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/error.h"
#include "gdl/target.h"

#define POLY_MAX_VAR 16777216u   /* x1 .. x2^24 */
#define POLY_MAX_TERMS 1000000u

/* ------------------------------------------------------------------------ */
/* polynomial storage                                                         */

void gdl_poly_free(gdl_poly *p) {
  if (!p) return;
  if (p->terms)
    for (size_t i = 0; i < p->nterms; i++) free(p->terms[i].vars);
  free(p->terms);
  free(p);
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

static int mono_equal(const gdl_monomial *a, const gdl_monomial *b) {
  if (a->deg != b->deg) return 0;
  for (size_t i = 0; i < a->deg; i++)
    if (a->vars[i] != b->vars[i]) return 0;
  return 1;
}

/* growable polynomial used while building, with a hash set of its monomials (open
 * addressing on term indices) so that the duplicate check is O(deg) per term, not O(T). */
typedef struct {
  gdl_poly *p;
  size_t cap;
  size_t *slot;   /* term index + 1, 0 = empty; hcap slots (a power of two) */
  size_t hcap;
} poly_builder;

static int builder_init(poly_builder *b) {
  b->p = calloc(1, sizeof *b->p);
  b->cap = 0;
  b->slot = NULL;
  b->hcap = 0;
  if (!b->p) return gdl_fail(GDL_ENOMEM, "out of memory");
  return GDL_OK;
}

static uint64_t mono_hash(size_t deg, const size_t *vars) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)deg;
  for (size_t i = 0; i < deg; i++) {
    h ^= (uint64_t)vars[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
  }
  h ^= h >> 33;
  return h;
}

static void builder_insert_slot(size_t *slot, size_t hcap, const gdl_monomial *m, size_t idx) {
  size_t i = (size_t)mono_hash(m->deg, m->vars) & (hcap - 1);
  while (slot[i]) i = (i + 1) & (hcap - 1);
  slot[i] = idx + 1;
}

static int builder_grow_hash(poly_builder *b) {
  size_t nc = b->hcap ? 2 * b->hcap : 64;
  size_t *ns = calloc(nc, sizeof *ns);
  if (!ns) return gdl_fail(GDL_ENOMEM, "out of memory");
  for (size_t t = 0; t < b->p->nterms; t++) builder_insert_slot(ns, nc, &b->p->terms[t], t);
  free(b->slot);
  b->slot = ns;
  b->hcap = nc;
  return GDL_OK;
}

static gdl_poly *builder_done(poly_builder *b) {
  free(b->slot);
  b->slot = NULL;
  return b->p;
}

static void builder_drop(poly_builder *b) {
  free(b->slot);
  b->slot = NULL;
  gdl_poly_free(b->p);
  b->p = NULL;
}

/* Takes ownership of vars (sorted, distinct). Returns index of an equal monomial in *dup
 * (and GDL_EINVAL without storing) if one exists. */
static int builder_add(poly_builder *b, double coef, size_t deg, size_t *vars, size_t *dup) {
  gdl_poly *p = b->p;
  gdl_monomial m = {coef, deg, vars};
  if (b->hcap) {
    size_t i = (size_t)mono_hash(deg, vars) & (b->hcap - 1);
    for (; b->slot[i]; i = (i + 1) & (b->hcap - 1))
      if (mono_equal(&p->terms[b->slot[i] - 1], &m)) {
        *dup = b->slot[i] - 1;
        free(vars);
        return GDL_EINVAL;
      }
  }
  if (p->nterms >= POLY_MAX_TERMS) {
    free(vars);
    return gdl_fail(GDL_ERANGE, "polynomial has more than %u terms", POLY_MAX_TERMS);
  }
  if (p->nterms == b->cap) {
    size_t nc = b->cap ? 2 * b->cap : 8;
    gdl_monomial *t = realloc(p->terms, nc * sizeof *t);
    if (!t) {
      free(vars);
      return gdl_fail(GDL_ENOMEM, "out of memory");
    }
    p->terms = t;
    b->cap = nc;
  }
  if (2 * (p->nterms + 1) > b->hcap) {
    int rc = builder_grow_hash(b);
    if (rc != GDL_OK) {
      free(vars);
      return rc;
    }
  }
  p->terms[p->nterms] = m;
  builder_insert_slot(b->slot, b->hcap, &p->terms[p->nterms], p->nterms);
  p->nterms++;
  return GDL_OK;
}

/* Prefix the current error message (copied first: gdl_fail formats into the same buffer). */
static int rewrap(int rc, const char *prefix, const char *spec) {
  char msg[400];
  snprintf(msg, sizeof msg, "%s", gdl_strerror_last());
  if (spec) return gdl_fail(rc, "%s '%s': %s", prefix, spec, msg);
  return gdl_fail(rc, "%s: %s", prefix, msg);
}

/* ------------------------------------------------------------------------ */
/* parser                                                                     */

typedef struct {
  const char *s;
  size_t i;
} lexer;

static void skip_ws(lexer *L) {
  while (L->s[L->i] && isspace((unsigned char)L->s[L->i])) L->i++;
}

static int parse_fail(const char *text, size_t pos, const char *what) {
  char shown[24];
  size_t k = 0;
  const char *at = text + pos;
  if (!*at) {
    snprintf(shown, sizeof shown, "end of text");
  } else {
    shown[k++] = '\'';
    for (; at[k - 1] && k < 13; k++) shown[k] = isprint((unsigned char)at[k - 1]) ? at[k - 1] : '?';
    shown[k++] = '\'';
    shown[k] = '\0';
  }
  return gdl_fail(GDL_EPARSE, "polynomial parse error at position %zu: %s (at %s)", pos + 1, what, shown);
}

/* number: digits [. digits] [(e|E) [+-] digits] or . digits ... Returns 1 if a number was read. */
static int lex_number(lexer *L, double *v, int *err) {
  const char *s = L->s;
  size_t i = L->i, start = i;
  size_t nd = 0;
  *err = 0;
  while (isdigit((unsigned char)s[i])) { i++; nd++; }
  if (s[i] == '.') {
    i++;
    while (isdigit((unsigned char)s[i])) { i++; nd++; }
  }
  if (nd == 0) return 0;
  if (s[i] == 'e' || s[i] == 'E') {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-') j++;
    if (!isdigit((unsigned char)s[j])) {
      *err = 1;
      L->i = j;
      return 0;
    }
    while (isdigit((unsigned char)s[j])) j++;
    i = j;
  }
  char buf[128];
  size_t len = i - start;
  if (len >= sizeof buf) {
    *err = 2;
    return 0;
  }
  memcpy(buf, s + start, len);
  buf[len] = '\0';
  errno = 0;
  double x = strtod(buf, NULL);
  int nonzero_mantissa = 0;
  for (size_t q = 0; q < len && buf[q] != 'e' && buf[q] != 'E'; q++) nonzero_mantissa |= buf[q] >= '1' && buf[q] <= '9';
  if (!isfinite(x) || (x == 0.0 && nonzero_mantissa)) { /* overflow, or a non-zero value that underflows to 0 */
    *err = 2;
    return 0;
  }
  *v = x;
  L->i = i;
  return 1;
}

typedef struct {
  size_t var, pos;
} var_at;

static int cmp_var_at(const void *a, const void *b) {
  const var_at *x = a, *y = b;
  if (x->var != y->var) return (x->var > y->var) - (x->var < y->var);
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The text position of the first variable of a monomial that repeats an earlier one, or
 * (size_t)-1. sorted = the variables sorted (a quick exit when all are distinct). O(d log d). */
static size_t repeated_var_at(const size_t *vars, const size_t *pos, size_t deg, const size_t *sorted) {
  int any = 0;
  for (size_t q = 1; q < deg && !any; q++) any = sorted[q] == sorted[q - 1];
  if (!any) return (size_t)-1;
  var_at *a = malloc(deg * sizeof *a);
  if (!a) return pos[1]; /* cannot say which: some later one */
  for (size_t q = 0; q < deg; q++) a[q] = (var_at){vars[q], pos[q]};
  qsort(a, deg, sizeof *a, cmp_var_at);
  size_t best = (size_t)-1;
  for (size_t q = 1; q < deg; q++)
    if (a[q].var == a[q - 1].var && (q < 2 || a[q - 2].var != a[q].var) && a[q].pos < best) best = a[q].pos;
  free(a);
  return best;
}

int gdl_poly_parse(const char *text, gdl_poly **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_poly_parse: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(text != NULL, "gdl_poly_parse: text is NULL");
  poly_builder b;
  GDL_TRY(builder_init(&b));
  lexer L = {text, 0};
  size_t *vars = NULL, *vpos_of = NULL;
  size_t vcap = 0;
  int rc = GDL_OK;
  int first = 1;

  for (;;) {
    skip_ws(&L);
    const size_t term_start = L.i;
    double sign = 1.0;
    if (text[L.i] == '+' || text[L.i] == '-') {
      sign = text[L.i] == '-' ? -1.0 : 1.0;
      L.i++;
      skip_ws(&L);
    } else if (!first) {
      rc = parse_fail(text, L.i, "expected '+' or '-' between terms");
      goto fail;
    }
    if (first && !text[L.i] && term_start == L.i) {
      rc = parse_fail(text, L.i, "empty polynomial: expected a term");
      goto fail;
    }
    first = 0;
    /* term */
    double coef = 1.0;
    int have_num = 0, have_var = 0;
    int nerr;
    size_t num_pos = L.i;
    if (lex_number(&L, &coef, &nerr)) {
      have_num = 1;
      skip_ws(&L);
      if (text[L.i] == '*') {
        L.i++;
        skip_ws(&L);
        if (text[L.i] != 'x') {
          rc = parse_fail(text, L.i, "expected a variable x<k> after '*'");
          goto fail;
        }
      }
    } else if (nerr == 1) {
      rc = parse_fail(text, L.i, "malformed exponent in number");
      goto fail;
    } else if (nerr == 2) {
      rc = parse_fail(text, num_pos, "number out of range (overflows a double, or a non-zero value underflows to 0)");
      goto fail;
    }
    size_t deg = 0;
    size_t term_vars_pos = L.i;
    while (text[L.i] == 'x') {
      size_t vpos = L.i;
      L.i++;
      if (!isdigit((unsigned char)text[L.i])) {
        rc = parse_fail(text, L.i, "expected a variable index (x1, x2, ...) after 'x'");
        goto fail;
      }
      size_t k = 0;
      while (isdigit((unsigned char)text[L.i])) {
        k = k * 10 + (size_t)(text[L.i] - '0');
        if (k > POLY_MAX_VAR) {
          rc = parse_fail(text, vpos, "variable index too large (max x16777216)");
          goto fail;
        }
        L.i++;
      }
      if (k == 0) {
        rc = parse_fail(text, vpos, "variables are numbered from x1");
        goto fail;
      }
      if (deg == vcap) {
        size_t nc = vcap ? 2 * vcap : 8;
        size_t *t = realloc(vars, nc * sizeof *t);
        size_t *tp = t ? realloc(vpos_of, nc * sizeof *tp) : NULL;
        if (t) vars = t;
        if (tp) vpos_of = tp;
        if (!t || !tp) {
          rc = gdl_fail(GDL_ENOMEM, "gdl_poly_parse: out of memory");
          goto fail;
        }
        vcap = nc;
      }
      vpos_of[deg] = vpos;
      vars[deg++] = k - 1;
      have_var = 1;
      skip_ws(&L);
      if (text[L.i] != '*') break;
      L.i++;
      skip_ws(&L);
      if (text[L.i] != 'x') {
        rc = parse_fail(text, L.i, "expected a variable x<k> after '*'");
        goto fail;
      }
    }
    if (!have_num && !have_var) {
      rc = parse_fail(text, L.i, text[L.i] ? "expected a number or a variable x<k>" : "expected a term");
      goto fail;
    }
    /* store the monomial */
    size_t *mv = NULL;
    if (deg) {
      mv = malloc(deg * sizeof *mv);
      if (!mv) {
        rc = gdl_fail(GDL_ENOMEM, "gdl_poly_parse: out of memory");
        goto fail;
      }
      memcpy(mv, vars, deg * sizeof *mv);
      qsort(mv, deg, sizeof *mv, cmp_size);
      size_t rep = repeated_var_at(vars, vpos_of, deg, mv);
      if (rep != (size_t)-1) {
        free(mv);
        rc = parse_fail(text, rep, "repeated variable in a monomial");
        goto fail;
      }
    }
    size_t dup = 0;
    int arc = builder_add(&b, sign * coef, deg, mv, &dup);
    if (arc == GDL_EINVAL) {
      rc = parse_fail(text, have_num ? num_pos : term_vars_pos,
                      deg ? "duplicate monomial (combine the coefficients)" : "duplicate constant term");
      goto fail;
    } else if (arc != GDL_OK) {
      rc = arc;
      goto fail;
    }
    skip_ws(&L);
    if (!text[L.i]) break;
  }
  free(vars);
  free(vpos_of);
  *out = builder_done(&b);
  return GDL_OK;
fail:
  free(vars);
  free(vpos_of);
  builder_drop(&b);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* formatting                                                                 */

/* Shortest %.{15,16,17}g that reads back exactly. */
static void fmt_double(char *buf, size_t len, double v) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, len, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) return;
  }
}

typedef struct {
  char *buf;
  size_t len, pos;
  int overflow;
} sbuf;

static void sb_puts(sbuf *s, const char *t) {
  size_t n = strlen(t);
  if (s->pos + n + 1 > s->len) {
    s->overflow = 1;
    s->pos += n;
    return;
  }
  memcpy(s->buf + s->pos, t, n + 1);
  s->pos += n;
}

int gdl_poly_format(const gdl_poly *p, char *buf, size_t len) {
  GDL_CHECK_ARG(p != NULL, "gdl_poly_format: polynomial is NULL");
  GDL_CHECK_ARG(buf != NULL, "gdl_poly_format: buf is NULL");
  GDL_CHECK_ARG(len > 0, "gdl_poly_format: len is 0");
  GDL_CHECK_ARG(p->nterms > 0 && p->terms != NULL, "gdl_poly_format: polynomial has no terms");
  sbuf s = {buf, len, 0, 0};
  buf[0] = '\0';
  char num[64];
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[i];
    if (!isfinite(t->coef)) return gdl_fail(GDL_EINVAL, "gdl_poly_format: term %zu has a non-finite coefficient", i);
    double c = t->coef;
    int neg = signbit(c) != 0;
    if (i == 0) {
      if (neg) sb_puts(&s, "-");
    } else {
      sb_puts(&s, neg ? " - " : " + ");
    }
    double a = fabs(c);
    if (t->deg == 0) {
      fmt_double(num, sizeof num, a);
      sb_puts(&s, num);
      continue;
    }
    if (a != 1.0) {
      fmt_double(num, sizeof num, a);
      sb_puts(&s, num);
      sb_puts(&s, "*");
    }
    for (size_t q = 0; q < t->deg; q++) {
      snprintf(num, sizeof num, "%sx%zu", q ? "*" : "", t->vars[q] + 1);
      sb_puts(&s, num);
    }
  }
  if (s.overflow) {
    buf[0] = '\0';
    return gdl_fail(GDL_ERANGE, "gdl_poly_format: buffer of %zu bytes too small (need %zu)", len, s.pos + 1);
  }
  return GDL_OK;
}

/* ------------------------------------------------------------------------ */
/* constructors                                                               */

int gdl_poly_from_sets(size_t nterms, const double *coefs, const size_t *const *sets,
                       const size_t *sizes, gdl_poly **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_poly_from_sets: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(nterms >= 1, "gdl_poly_from_sets: nterms must be >= 1");
  GDL_CHECK_ARG(nterms <= POLY_MAX_TERMS, "gdl_poly_from_sets: nterms = %zu is absurd (max %u)", nterms,
                POLY_MAX_TERMS);
  GDL_CHECK_ARG(coefs != NULL, "gdl_poly_from_sets: coefs is NULL");
  GDL_CHECK_ARG(sizes != NULL, "gdl_poly_from_sets: sizes is NULL");
  for (size_t i = 0; i < nterms; i++) {
    GDL_CHECK_ARG(isfinite(coefs[i]), "gdl_poly_from_sets: coefs[%zu] is not finite", i);
    GDL_CHECK_ARG(sizes[i] <= POLY_MAX_VAR, "gdl_poly_from_sets: sizes[%zu] = %zu is absurd", i, sizes[i]);
    if (sizes[i] > 0) {
      GDL_CHECK_ARG(sets != NULL && sets[i] != NULL, "gdl_poly_from_sets: sets[%zu] is NULL", i);
      for (size_t q = 0; q < sizes[i]; q++)
        GDL_CHECK_ARG(sets[i][q] < POLY_MAX_VAR, "gdl_poly_from_sets: variable %zu of term %zu is too large",
                      sets[i][q], i);
    }
  }
  poly_builder b;
  GDL_TRY(builder_init(&b));
  for (size_t i = 0; i < nterms; i++) {
    size_t *mv = NULL;
    size_t deg = sizes[i];
    if (deg) {
      mv = malloc(deg * sizeof *mv);
      if (!mv) {
        builder_drop(&b);
        return gdl_fail(GDL_ENOMEM, "gdl_poly_from_sets: out of memory");
      }
      memcpy(mv, sets[i], deg * sizeof *mv);
      qsort(mv, deg, sizeof *mv, cmp_size);
      for (size_t q = 1; q < deg; q++)
        if (mv[q] == mv[q - 1]) {
          size_t v = mv[q];
          free(mv);
          builder_drop(&b);
          return gdl_fail(GDL_EINVAL, "gdl_poly_from_sets: term %zu repeats variable %zu", i, v);
        }
    }
    size_t dup = 0;
    int rc = builder_add(&b, coefs[i], deg, mv, &dup);
    if (rc != GDL_OK) {
      builder_drop(&b);
      if (rc == GDL_EINVAL)
        return gdl_fail(GDL_EINVAL, "gdl_poly_from_sets: term %zu duplicates term %zu", i, dup);
      return rc;
    }
  }
  *out = builder_done(&b);
  return GDL_OK;
}

int gdl_poly_parity(size_t k, const size_t *vars, gdl_poly **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_poly_parity: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(k == 0 || vars != NULL, "gdl_poly_parity: vars is NULL");
  const double one = 1.0;
  const size_t *sets[1] = {vars};
  int rc = gdl_poly_from_sets(1, &one, sets, &k, out);
  if (rc != GDL_OK) return rewrap(rc, "gdl_poly_parity", NULL);
  return GDL_OK;
}

int gdl_poly_staircase(size_t k, gdl_poly **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_poly_staircase: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(k >= 1, "gdl_poly_staircase: degree k must be >= 1");
  GDL_CHECK_ARG(k <= 4096, "gdl_poly_staircase: degree k = %zu is absurd (max 4096)", k);
  poly_builder b;
  GDL_TRY(builder_init(&b));
  for (size_t i = 1; i <= k; i++) {
    size_t *mv = malloc(i * sizeof *mv);
    if (!mv) {
      builder_drop(&b);
      return gdl_fail(GDL_ENOMEM, "gdl_poly_staircase: out of memory");
    }
    for (size_t q = 0; q < i; q++) mv[q] = q;
    size_t dup;
    int rc = builder_add(&b, 1.0, i, mv, &dup);
    if (rc != GDL_OK) {
      builder_drop(&b);
      return rc;
    }
  }
  *out = builder_done(&b);
  return GDL_OK;
}

size_t gdl_poly_nvars(const gdl_poly *p) {
  if (!p || !p->terms) return 0;
  size_t n = 0;
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[i];
    for (size_t q = 0; q < t->deg; q++)
      if (t->vars[q] + 1 > n) n = t->vars[q] + 1;
  }
  return n;
}

int gdl_poly_eval(const gdl_poly *p, size_t m, const double *X, size_t dim, double *y) {
  GDL_CHECK_ARG(p != NULL, "gdl_poly_eval: polynomial is NULL");
  GDL_CHECK_ARG(p->nterms == 0 || p->terms != NULL, "gdl_poly_eval: polynomial has no term array");
  GDL_CHECK_ARG(X != NULL, "gdl_poly_eval: X is NULL");
  GDL_CHECK_ARG(y != NULL, "gdl_poly_eval: y is NULL");
  GDL_CHECK_ARG(m >= 1, "gdl_poly_eval: m must be >= 1");
  GDL_CHECK_ARG(dim >= 1, "gdl_poly_eval: dim must be >= 1");
  const size_t nv = gdl_poly_nvars(p);
  GDL_CHECK_ARG(dim >= nv, "gdl_poly_eval: rows of width %zu but the polynomial uses x%zu", dim, nv);
  for (size_t i = 0; i < m; i++) {
    const double *x = X + i * dim;
    double s = 0.0;
    for (size_t t = 0; t < p->nterms; t++) {
      const gdl_monomial *mo = &p->terms[t];
      double v = mo->coef;
      for (size_t q = 0; q < mo->deg; q++) v *= x[mo->vars[q]];
      s += v;
    }
    if (!isfinite(s)) return gdl_fail(GDL_EINVAL, "gdl_poly_eval: non-finite value at row %zu (NaN/inf input?)", i);
    y[i] = s;
  }
  return GDL_OK;
}

/* ------------------------------------------------------------------------ */
/* periodic profiles                                                          */

double gdl_phi_eval(gdl_phi phi, uint64_t y, uint64_t p) {
  if (p == 0) return NAN;
  switch (phi) {
    case GDL_PHI_LINEAR: return (double)y / (double)p;
    case GDL_PHI_PARITY: return (double)(y & 1u);
    case GDL_PHI_COS: return cos(2.0 * M_PI * (double)(y % p) / (double)p);
  }
  return NAN;
}

double gdl_psi_eval(gdl_psi psi, double t) {
  if (!isfinite(t)) return NAN;
  double f = t - nearbyint(t);  /* in [-1/2, 1/2] */
  switch (psi) {
    case GDL_PSI_SIN: return sin(2.0 * M_PI * f);
    case GDL_PSI_COS: return cos(2.0 * M_PI * f);
    case GDL_PSI_TRIANGLE: return 1.0 - 4.0 * fabs(f);
    case GDL_PSI_SAWTOOTH: {
      double r = t - round(t);
      return 2.0 * r;
    }
  }
  return NAN;
}

/* ------------------------------------------------------------------------ */
/* targets                                                                    */

void gdl_target_free(gdl_target *t) {
  if (!t) return;
  gdl_poly_free(t->poly);
  free(t->vec);
  free(t);
}

static int target_alloc(gdl_target_kind kind, gdl_target **out) {
  gdl_target *t = calloc(1, sizeof *t);
  if (!t) return gdl_fail(GDL_ENOMEM, "out of memory");
  t->kind = kind;
  *out = t;
  return GDL_OK;
}

int gdl_target_from_poly(gdl_poly *p, gdl_target **out) {
  if (!out) {
    gdl_poly_free(p);
    return gdl_fail(GDL_EINVAL, "gdl_target_from_poly: out is NULL");
  }
  *out = NULL;
  GDL_CHECK_ARG(p != NULL, "gdl_target_from_poly: polynomial is NULL");
  if (p->nterms == 0 || !p->terms) {
    gdl_poly_free(p);
    return gdl_fail(GDL_EINVAL, "gdl_target_from_poly: polynomial has no terms");
  }
  gdl_target *t = NULL;
  int rc = target_alloc(GDL_TARGET_POLY, &t);
  if (rc != GDL_OK) {
    gdl_poly_free(p);
    return rc;
  }
  t->poly = p;
  *out = t;
  return GDL_OK;
}

int gdl_target_poly(const char *text, gdl_target **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_target_poly: out is NULL");
  *out = NULL;
  gdl_poly *p = NULL;
  GDL_TRY(gdl_poly_parse(text, &p));
  return gdl_target_from_poly(p, out);
}

static int phi_valid(gdl_phi phi) { return phi == GDL_PHI_LINEAR || phi == GDL_PHI_PARITY || phi == GDL_PHI_COS; }
static int psi_valid(gdl_psi psi) {
  return psi == GDL_PSI_SIN || psi == GDL_PSI_COS || psi == GDL_PSI_TRIANGLE || psi == GDL_PSI_SAWTOOTH;
}

int gdl_target_modmul(uint64_t a, uint64_t p, gdl_phi phi, gdl_target **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_target_modmul: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(p >= 2, "gdl_target_modmul: modulus p must be >= 2 (got %llu)", (unsigned long long)p);
  GDL_CHECK_ARG(p <= GDL_ZP_MAX_P, "gdl_target_modmul: modulus p = %llu is too large (max 2^40)",
                (unsigned long long)p);
  GDL_CHECK_ARG(a < p, "gdl_target_modmul: multiplier a = %llu must be in [0, p) (p = %llu)",
                (unsigned long long)a, (unsigned long long)p);
  GDL_CHECK_ARG(phi_valid(phi), "gdl_target_modmul: unknown profile phi = %d", (int)phi);
  gdl_target *t = NULL;
  GDL_TRY(target_alloc(GDL_TARGET_MODMUL, &t));
  t->a = a;
  t->p = p;
  t->phi = phi;
  *out = t;
  return GDL_OK;
}

static int vec_target(gdl_target_kind kind, const char *fn, size_t dim, const double *v, gdl_target **out) {
  if (!out) return gdl_fail(GDL_EINVAL, "%s: out is NULL", fn);
  *out = NULL;
  if (dim == 0) return gdl_fail(GDL_EINVAL, "%s: dim must be >= 1", fn);
  if (dim > POLY_MAX_VAR) return gdl_fail(GDL_ERANGE, "%s: dim = %zu is absurd", fn, dim);
  if (!v) return gdl_fail(GDL_EINVAL, "%s: vector is NULL", fn);
  for (size_t j = 0; j < dim; j++)
    if (!isfinite(v[j])) return gdl_fail(GDL_EINVAL, "%s: vector entry %zu is not finite", fn, j);
  gdl_target *t = NULL;
  GDL_TRY(target_alloc(kind, &t));
  t->vec = malloc(dim * sizeof *t->vec);
  if (!t->vec) {
    free(t);
    return gdl_fail(GDL_ENOMEM, "%s: out of memory", fn);
  }
  memcpy(t->vec, v, dim * sizeof *t->vec);
  t->dim = dim;
  *out = t;
  return GDL_OK;
}

int gdl_target_wave(size_t dim, const double *a, gdl_psi psi, gdl_target **out) {
  GDL_CHECK_ARG(psi_valid(psi), "gdl_target_wave: unknown profile psi = %d", (int)psi);
  GDL_TRY(vec_target(GDL_TARGET_WAVE, "gdl_target_wave", dim, a, out));
  (*out)->psi = psi;
  return GDL_OK;
}

int gdl_target_neuron(size_t dim, const double *w, double gamma, gdl_target **out) {
  GDL_CHECK_ARG(isfinite(gamma), "gdl_target_neuron: gamma is not finite");
  GDL_TRY(vec_target(GDL_TARGET_NEURON, "gdl_target_neuron", dim, w, out));
  (*out)->gamma = gamma;
  return GDL_OK;
}

/* ---- CLI specs ---- */

static int spec_fail(const char *spec, const char *what) {
  return gdl_fail(GDL_EINVAL, "target spec '%s': %s", spec, what);
}

static int parse_spec_double(const char *s, double *v) {
  if (!s || !*s) return -1;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end || errno || !isfinite(x)) return -1;
  *v = x;
  return 0;
}

static int parse_spec_u64(const char *s, uint64_t *v) {
  if (!s || !*s || !isdigit((unsigned char)*s)) return -1;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end || errno) return -1;
  *v = (uint64_t)x;
  return 0;
}

static int phi_parse(const char *s, gdl_phi *phi) {
  if (!strcmp(s, "linear")) *phi = GDL_PHI_LINEAR;
  else if (!strcmp(s, "parity")) *phi = GDL_PHI_PARITY;
  else if (!strcmp(s, "cos")) *phi = GDL_PHI_COS;
  else return -1;
  return 0;
}

static int psi_parse(const char *s, gdl_psi *psi) {
  if (!strcmp(s, "sin")) *psi = GDL_PSI_SIN;
  else if (!strcmp(s, "cos")) *psi = GDL_PSI_COS;
  else if (!strcmp(s, "triangle")) *psi = GDL_PSI_TRIANGLE;
  else if (!strcmp(s, "sawtooth")) *psi = GDL_PSI_SAWTOOTH;
  else return -1;
  return 0;
}

static int target_parse_impl(const char *spec, size_t dim, uint64_t p, gdl_target **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_target_parse: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(spec != NULL, "gdl_target_parse: spec is NULL");
  GDL_CHECK_ARG(dim >= 1, "gdl_target_parse: input dimension must be >= 1");
  const char *colon = strchr(spec, ':');
  if (!colon) return spec_fail(spec, "expected KIND:ARGS (poly:, parity:, staircase:, modmul:, wave:, neuron:)");
  size_t klen = (size_t)(colon - spec);
  const char *arg = colon + 1;
  char copy[256];
  if (strlen(arg) >= sizeof copy) return spec_fail(spec, "too long");
  strcpy(copy, arg);
#define KIND_IS(s) (klen == strlen(s) && !strncmp(spec, s, klen))
  if (KIND_IS("poly")) {
    gdl_poly *pp = NULL;
    int rc = gdl_poly_parse(arg, &pp);
    if (rc != GDL_OK) return rewrap(rc, "target spec", spec);
    if (gdl_poly_nvars(pp) > dim) {
      size_t nv = gdl_poly_nvars(pp);
      gdl_poly_free(pp);
      return gdl_fail(GDL_EINVAL, "target spec '%s': uses x%zu but the input has %zu coordinates", spec, nv, dim);
    }
    return gdl_target_from_poly(pp, out);
  }
  if (KIND_IS("parity") || KIND_IS("staircase")) {
    uint64_t k;
    if (parse_spec_u64(arg, &k) || k < 1) return spec_fail(spec, "degree K must be an integer >= 1");
    if (k > dim) return gdl_fail(GDL_EINVAL, "target spec '%s': degree %llu exceeds the input dimension %zu", spec,
                                 (unsigned long long)k, dim);
    gdl_poly *pp = NULL;
    if (KIND_IS("parity")) {
      size_t *vars = malloc((size_t)k * sizeof *vars);
      if (!vars) return gdl_fail(GDL_ENOMEM, "gdl_target_parse: out of memory");
      for (size_t q = 0; q < k; q++) vars[q] = q;
      int rc = gdl_poly_parity((size_t)k, vars, &pp);
      free(vars);
      GDL_TRY(rc);
    } else {
      GDL_TRY(gdl_poly_staircase((size_t)k, &pp));
    }
    return gdl_target_from_poly(pp, out);
  }
  if (KIND_IS("modmul")) {
    /* modmul:A:PHI or modmul:A:PHI:P */
    char *f1 = copy, *f2 = strchr(f1, ':');
    if (!f2) return spec_fail(spec, "expected modmul:A:PHI (PHI in linear|parity|cos)");
    *f2++ = '\0';
    char *f3 = strchr(f2, ':');
    if (f3) *f3++ = '\0';
    uint64_t a, pp = p;
    gdl_phi phi;
    if (parse_spec_u64(f1, &a)) return spec_fail(spec, "multiplier A must be a non-negative integer");
    if (phi_parse(f2, &phi)) return spec_fail(spec, "PHI must be linear, parity or cos");
    if (f3 && (parse_spec_u64(f3, &pp) || pp < 2)) return spec_fail(spec, "modulus P must be an integer >= 2");
    if (f3 && p && pp != p) return spec_fail(spec, "modulus P differs from the domain's modulus");
    if (pp == 0) {
      /* modulus taken from the domain at evaluation time */
      gdl_target *t = NULL;
      GDL_TRY(target_alloc(GDL_TARGET_MODMUL, &t));
      t->a = a;
      t->p = 0;
      t->phi = phi;
      *out = t;
      return GDL_OK;
    }
    if (a >= pp) return spec_fail(spec, "multiplier A must be smaller than the modulus");
    int rc = gdl_target_modmul(a, pp, phi, out);
    if (rc != GDL_OK) return rewrap(rc, "target spec", spec);
    return GDL_OK;
  }
  if (KIND_IS("wave")) {
    char *f1 = copy, *f2 = strchr(f1, ':');
    if (!f2) return spec_fail(spec, "expected wave:A:PSI (PSI in sin|cos|triangle|sawtooth)");
    *f2++ = '\0';
    double a;
    gdl_psi psi;
    if (parse_spec_double(f1, &a)) return spec_fail(spec, "frequency A must be a finite number");
    if (psi_parse(f2, &psi)) return spec_fail(spec, "PSI must be sin, cos, triangle or sawtooth");
    double *v = calloc(dim, sizeof *v);
    if (!v) return gdl_fail(GDL_ENOMEM, "gdl_target_parse: out of memory");
    v[0] = a;
    int rc = gdl_target_wave(dim, v, psi, out);
    free(v);
    return rc;
  }
  if (KIND_IS("neuron")) {
    double g;
    if (parse_spec_double(copy, &g)) return spec_fail(spec, "GAMMA must be a finite number");
    double *v = calloc(dim, sizeof *v);
    if (!v) return gdl_fail(GDL_ENOMEM, "gdl_target_parse: out of memory");
    v[0] = 1.0;
    int rc = gdl_target_neuron(dim, v, g, out);
    free(v);
    return rc;
  }
#undef KIND_IS
  return spec_fail(spec, "unknown kind (poly, parity, staircase, modmul, wave, neuron)");
}

int gdl_target_parse(const char *spec, size_t dim, gdl_target **out) {
  return target_parse_impl(spec, dim, 0, out);
}

int gdl_target_parse_domain(const char *spec, const gdl_domain *d, gdl_target **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_target_parse_domain: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(d != NULL, "gdl_target_parse_domain: domain is NULL");
  const int zp = d->kind == GDL_DOMAIN_ZP_BITS || d->kind == GDL_DOMAIN_ZP_SCALAR;
  const size_t dim = gdl_domain_dim(d);
  GDL_CHECK_ARG(dim >= 1, "gdl_target_parse_domain: invalid domain");
  GDL_TRY(target_parse_impl(spec, dim, zp ? d->p : 0, out));
  if ((*out)->kind == GDL_TARGET_MODMUL && !zp) {
    gdl_target_free(*out);
    *out = NULL;
    return gdl_fail(GDL_EINVAL, "target spec '%s': modmul needs a Z_p domain (zp-bits or zp-scalar), not %s", spec,
                    gdl_domain_name(d));
  }
  return GDL_OK;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) {
  return (uint64_t)(((unsigned __int128)a * b) % p);
}

int gdl_target_eval(const gdl_target *t, const gdl_domain *d, size_t m, const double *X,
                    const uint64_t *ints, double *y) {
  GDL_CHECK_ARG(t != NULL, "gdl_target_eval: target is NULL");
  GDL_CHECK_ARG(y != NULL, "gdl_target_eval: y is NULL");
  GDL_CHECK_ARG(m >= 1, "gdl_target_eval: m must be >= 1");
  if (t->kind == GDL_TARGET_MODMUL) {
    uint64_t p = t->p;
    if (d) {
      const int zp = d->kind == GDL_DOMAIN_ZP_BITS || d->kind == GDL_DOMAIN_ZP_SCALAR;
      GDL_CHECK_ARG(zp, "gdl_target_eval: modmul target on a %s domain (needs Z_p)", gdl_domain_name(d));
      if (p == 0) p = d->p;
      GDL_CHECK_ARG(d->p == p, "gdl_target_eval: target modulus %llu differs from the domain's %llu",
                    (unsigned long long)p, (unsigned long long)d->p);
    }
    GDL_CHECK_ARG(p >= 2, "gdl_target_eval: modmul target without a modulus (pass its Z_p domain)");
    GDL_CHECK_ARG(phi_valid(t->phi), "gdl_target_eval: unknown profile phi = %d", (int)t->phi);
    const uint64_t a = t->a % p;
    if (ints) {
      for (size_t i = 0; i < m; i++) {
        if (ints[i] >= p)
          return gdl_fail(GDL_EINVAL, "gdl_target_eval: ints[%zu] = %llu is not in Z_%llu", i,
                          (unsigned long long)ints[i], (unsigned long long)p);
        y[i] = gdl_phi_eval(t->phi, mulmod(a, ints[i], p), p);
      }
      return GDL_OK;
    }
    GDL_CHECK_ARG(d != NULL, "gdl_target_eval: modmul without ints needs the domain to decode X");
    GDL_CHECK_ARG(X != NULL, "gdl_target_eval: X is NULL");
    uint64_t chunk[256];
    const size_t dim = gdl_domain_dim(d);
    for (size_t i0 = 0; i0 < m; i0 += 256) {
      size_t c = m - i0 < 256 ? m - i0 : 256;
      GDL_TRY(gdl_domain_zp_decode(d, c, X + i0 * dim, chunk));
      for (size_t i = 0; i < c; i++) y[i0 + i] = gdl_phi_eval(t->phi, mulmod(a, chunk[i], p), p);
    }
    return GDL_OK;
  }
  GDL_CHECK_ARG(d != NULL, "gdl_target_eval: domain is NULL");
  GDL_CHECK_ARG(X != NULL, "gdl_target_eval: X is NULL");
  const size_t dim = gdl_domain_dim(d);
  GDL_CHECK_ARG(dim >= 1, "gdl_target_eval: invalid domain");
  switch (t->kind) {
    case GDL_TARGET_POLY:
      GDL_CHECK_ARG(t->poly != NULL, "gdl_target_eval: polynomial target without a polynomial");
      return gdl_poly_eval(t->poly, m, X, dim, y);
    case GDL_TARGET_WAVE:
    case GDL_TARGET_NEURON: {
      GDL_CHECK_ARG(t->vec != NULL, "gdl_target_eval: target vector is NULL");
      GDL_CHECK_ARG(t->dim == dim, "gdl_target_eval: target dimension %zu differs from the input width %zu",
                    t->dim, dim);
      if (t->kind == GDL_TARGET_WAVE)
        GDL_CHECK_ARG(psi_valid(t->psi), "gdl_target_eval: unknown profile psi = %d", (int)t->psi);
      for (size_t i = 0; i < m; i++) {
        const double *x = X + i * dim;
        double s = 0.0;
        for (size_t j = 0; j < dim; j++) s += t->vec[j] * x[j];
        if (!isfinite(s)) return gdl_fail(GDL_EINVAL, "gdl_target_eval: non-finite input at row %zu", i);
        y[i] = t->kind == GDL_TARGET_WAVE ? gdl_psi_eval(t->psi, s) : cos(2.0 * M_PI * t->gamma * s);
      }
      return GDL_OK;
    }
    default:
      return gdl_fail(GDL_EINVAL, "gdl_target_eval: unknown target kind %d", (int)t->kind);
  }
}
