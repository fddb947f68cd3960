/* boolean.c: Walsh-Fourier analysis on {-1,+1}^n, leap and the merged-staircase property.
 *
 * Leap algorithm (gdl_poly_leap) and why it is exact.
 * Let the "new count" of a monomial S w.r.t. a covered set U be |S \ U|. Claim: the greedy
 * ordering that always appends a remaining monomial of minimum new count achieves
 * Leap(h) = L* (the min over orderings of the max new count).
 * Proof. Let pi be an optimal ordering (every step <= L*). Suppose greedy has appended the
 * set A so far, all with new counts <= L* (induction), and U = union(A). Let S be the first
 * monomial of pi not in A. All monomials before S in pi lie in A, so
 * |S \ U| <= |S \ union(pi-predecessors of S)| <= L*. Hence the greedy minimum at this
 * step is <= L*, and by induction every greedy step is <= L*. Greedy is an ordering, so its
 * max is also >= L*: equality. (The key fact is monotonicity: covering more variables never
 * increases any new count.) Implementation: an inverted index (variable -> terms) and a
 * min-heap of (new count, index) with lazy deletion: O(D log D), D = sum of degrees (ties
 * break on the smaller index, as the old O(T^2 deg) scan did). gdl_poly_leap_bruteforce enumerates all
 * orderings as the reference. Terms with deg 0 or coef == 0 are not in the support and are
 * ignored (placed at the end of the returned order). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/boolean.h"
#include "gdl/error.h"

int gdl_fwht(double *v, unsigned n) {
  GDL_CHECK_ARG(v != NULL, "gdl_fwht: v is NULL");
  if (n > 26) return gdl_fail(GDL_ERANGE, "gdl_fwht: n = %u > 26", n);
  size_t N = (size_t)1 << n;
  for (size_t h = 1; h < N; h <<= 1) {
    for (size_t i = 0; i < N; i += 2 * h) {
      double *a = v + i, *b = v + i + h;
      for (size_t j = 0; j < h; j++) {
        double x = a[j], y = b[j];
        a[j] = x + y;
        b[j] = x - y;
      }
    }
  }
  return GDL_OK;
}

int gdl_fwht_cols(double *v, unsigned n, size_t cols) {
  GDL_CHECK_ARG(v != NULL, "gdl_fwht_cols: v is NULL");
  if (n > 26) return gdl_fail(GDL_ERANGE, "gdl_fwht_cols: n = %u > 26", n);
  if (cols == 0) return GDL_OK;
  if (cols == 1) return gdl_fwht(v, n);
  size_t N = (size_t)1 << n;
  for (size_t h = 1; h < N; h <<= 1) {
    for (size_t i = 0; i < N; i += 2 * h) {
      for (size_t j = i; j < i + h; j++) {
        double *a = v + j * cols, *b = v + (j + h) * cols;
        for (size_t c = 0; c < cols; c++) {
          double x = a[c], y = b[c];
          a[c] = x + y;
          b[c] = x - y;
        }
      }
    }
  }
  return GDL_OK;
}

int gdl_fourier(const double *f, unsigned n, double *fhat) {
  GDL_CHECK_ARG(f != NULL && fhat != NULL, "gdl_fourier: NULL argument");
  if (n > 26) return gdl_fail(GDL_ERANGE, "gdl_fourier: n = %u > 26", n);
  size_t N = (size_t)1 << n;
  if (fhat != f) memcpy(fhat, f, N * sizeof *fhat);
  GDL_TRY(gdl_fwht(fhat, n));
  double inv = 1.0 / (double)N;
  for (size_t i = 0; i < N; i++) fhat[i] *= inv;
  return GDL_OK;
}

int gdl_level_weights(const double *fhat, unsigned n, double *W) {
  GDL_CHECK_ARG(fhat != NULL && W != NULL, "gdl_level_weights: NULL argument");
  if (n > 26) return gdl_fail(GDL_ERANGE, "gdl_level_weights: n = %u > 26", n);
  size_t N = (size_t)1 << n;
  for (unsigned j = 0; j <= n; j++) W[j] = 0.0;
  for (size_t S = 0; S < N; S++) W[__builtin_popcountll((unsigned long long)S)] += fhat[S] * fhat[S];
  return GDL_OK;
}

/* ---------------- leap / MSP ---------------- */
static int term_active(const gdl_monomial *t) { return t->deg > 0 && t->coef != 0.0; }

static int check_poly(const gdl_poly *p, const char *fn, size_t *nvars) {
  if (!p) return gdl_fail(GDL_EINVAL, "%s: polynomial is NULL", fn);
  if (p->nterms > 0 && !p->terms) return gdl_fail(GDL_EINVAL, "%s: polynomial has no terms array", fn);
  size_t nv = 0;
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[i];
    if (t->deg > 0 && !t->vars) return gdl_fail(GDL_EINVAL, "%s: term %zu has no variables array", fn, i);
    for (size_t k = 0; k < t->deg; k++)
      if (t->vars[k] + 1 > nv) nv = t->vars[k] + 1;
  }
  *nvars = nv;
  return GDL_OK;
}

/* Inverted index: for each variable, the active terms containing it (CSR), and each active
 * term's count of uncovered variables. Shared by leap and reachable: both add terms, cover
 * their variables and decrement the counts of the terms sharing them, so the total work is
 * O(sum of degrees) plus the priority queue. Variables are renumbered densely (the sorted
 * distinct indices in `ids`), so memory is O(D), D = sum of degrees, whatever the largest
 * index (x16777216 costs no more than x1). vid[q] is the dense id of the q-th variable
 * occurrence, in term order (active terms only). */
typedef struct {
  size_t nu, T;
  size_t *ids;          /* dense id -> variable index, sorted */
  size_t *tstart, *vid; /* term i's dense ids: vid[tstart[i] .. tstart[i+1]) */
  size_t *start, *list; /* terms of dense variable u: list[start[u] .. start[u+1]) */
  size_t *count;        /* uncovered variables of term i (active terms) */
  unsigned char *covered, *used;
} cover_index;

static void cover_free(cover_index *c) {
  GDL_FREE_ALL(c->ids, c->tstart, c->vid, c->start, c->list, c->count, c->covered, c->used);
}

static int cmp_sz(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

static size_t dense_id(const size_t *ids, size_t nu, size_t v) {
  size_t lo = 0, hi = nu; /* ids[lo..hi) sorted; v is present */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (ids[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

static int cover_init(cover_index *c, const gdl_poly *p, const char *fn) {
  memset(c, 0, sizeof *c);
  c->T = p->nterms;
  size_t total = 0;
  for (size_t i = 0; i < c->T; i++)
    if (term_active(&p->terms[i])) total += p->terms[i].deg;
  size_t D = total ? total : 1;
  c->ids = malloc(D * sizeof *c->ids);
  c->tstart = calloc(c->T + 1, sizeof *c->tstart);
  c->vid = malloc(D * sizeof *c->vid);
  c->list = malloc(D * sizeof *c->list);
  c->count = calloc(c->T ? c->T : 1, sizeof *c->count);
  c->used = calloc(c->T ? c->T : 1, 1);
  if (!c->ids || !c->tstart || !c->vid || !c->list || !c->count || !c->used) goto oom;
  size_t q = 0;
  for (size_t i = 0; i < c->T; i++) {
    const gdl_monomial *t = &p->terms[i];
    c->tstart[i] = q;
    if (!term_active(t)) continue;
    for (size_t k = 0; k < t->deg; k++) c->ids[q++] = t->vars[k];
  }
  c->tstart[c->T] = q;
  qsort(c->ids, total, sizeof *c->ids, cmp_sz);
  size_t nu = 0;
  for (size_t j = 0; j < total; j++)
    if (nu == 0 || c->ids[j] != c->ids[nu - 1]) c->ids[nu++] = c->ids[j];
  c->nu = nu;
  c->start = calloc(nu + 1, sizeof *c->start);
  c->covered = calloc(nu ? nu : 1, 1);
  size_t *fill = malloc((nu ? nu : 1) * sizeof *fill);
  if (!c->start || !c->covered || !fill) {
    free(fill);
    goto oom;
  }
  for (size_t i = 0; i < c->T; i++) {
    const gdl_monomial *t = &p->terms[i];
    if (!term_active(t)) continue;
    c->count[i] = t->deg;
    for (size_t k = 0; k < t->deg; k++) {
      size_t u = dense_id(c->ids, nu, t->vars[k]);
      c->vid[c->tstart[i] + k] = u;
      c->start[u + 1]++;
    }
  }
  for (size_t u = 0; u < nu; u++) c->start[u + 1] += c->start[u];
  memcpy(fill, c->start, nu * sizeof *fill);
  for (size_t i = 0; i < c->T; i++)
    for (size_t r = c->tstart[i]; r < c->tstart[i + 1]; r++) c->list[fill[c->vid[r]]++] = i;
  free(fill);
  return GDL_OK;
oom:
  cover_free(c);
  return gdl_fail(GDL_ENOMEM, "%s: out of memory", fn);
}

/* min-heap of (count, term index) with lazy deletion: an entry is stale when the term is
 * used or its count changed. Ties break on the smaller index (the old linear scan's order). */
typedef struct {
  size_t cnt, idx;
} heap_ent;

typedef struct {
  heap_ent *a;
  size_t n, cap;
} min_heap;

static int ent_less(heap_ent x, heap_ent y) { return x.cnt < y.cnt || (x.cnt == y.cnt && x.idx < y.idx); }

static int heap_push(min_heap *h, size_t cnt, size_t idx) {
  if (h->n == h->cap) {
    size_t nc = h->cap ? 2 * h->cap : 64;
    heap_ent *t = realloc(h->a, nc * sizeof *t);
    if (!t) return -1;
    h->a = t;
    h->cap = nc;
  }
  size_t i = h->n++;
  heap_ent e = {cnt, idx};
  while (i > 0 && ent_less(e, h->a[(i - 1) / 2])) {
    h->a[i] = h->a[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->a[i] = e;
  return 0;
}

static heap_ent heap_pop(min_heap *h) {
  heap_ent top = h->a[0], last = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    heap_ent best = last;
    if (l < h->n && ent_less(h->a[l], best)) { m = l; best = h->a[l]; }
    if (r < h->n && ent_less(h->a[r], best)) m = r;
    if (m == i) break;
    h->a[i] = h->a[m];
    i = m;
  }
  if (h->n) h->a[i] = last;
  return top;
}

/* Marks term bi used and covers its variables; terms whose count drops are passed to
 * `dropped` (their new count is c->count[i]). */
static int cover_term(cover_index *c, const gdl_poly *p, size_t bi, int (*dropped)(void *, size_t), void *ctx) {
  (void)p;
  c->used[bi] = 1;
  for (size_t r = c->tstart[bi]; r < c->tstart[bi + 1]; r++) {
    size_t u = c->vid[r];
    if (c->covered[u]) continue;
    c->covered[u] = 1;
    for (size_t q = c->start[u]; q < c->start[u + 1]; q++) {
      size_t i = c->list[q];
      c->count[i]--;
      if (!c->used[i] && dropped(ctx, i)) return -1;
    }
  }
  return 0;
}

typedef struct {
  min_heap *h;
  cover_index *c;
} leap_ctx;

static int leap_dropped(void *ctx, size_t i) {
  leap_ctx *l = ctx;
  return heap_push(l->h, l->c->count[i], i);
}

int gdl_poly_leap(const gdl_poly *p, size_t *leap, size_t *order) {
  size_t nv;
  GDL_TRY(check_poly(p, "gdl_poly_leap", &nv));
  GDL_CHECK_ARG(leap != NULL, "gdl_poly_leap: leap is NULL");
  size_t T = p->nterms;
  cover_index c;
  GDL_TRY(cover_init(&c, p, "gdl_poly_leap"));
  min_heap h = {NULL, 0, 0};
  leap_ctx lc = {&h, &c};
  int oom = 0;
  for (size_t i = 0; i < T && !oom; i++)
    if (term_active(&p->terms[i])) oom = heap_push(&h, c.count[i], i) != 0;
  size_t best_leap = 0, pos = 0;
  while (!oom && h.n) {
    heap_ent e = heap_pop(&h);
    if (c.used[e.idx] || e.cnt != c.count[e.idx]) continue; /* stale */
    if (order) order[pos] = e.idx;
    pos++;
    if (e.cnt > best_leap) best_leap = e.cnt;
    oom = cover_term(&c, p, e.idx, leap_dropped, &lc) != 0;
  }
  if (!oom && order)
    for (size_t i = 0; i < T; i++)
      if (!c.used[i]) order[pos++] = i;
  free(h.a);
  cover_free(&c);
  if (oom) return gdl_fail(GDL_ENOMEM, "gdl_poly_leap: out of memory");
  *leap = best_leap;
  return GDL_OK;
}

typedef struct {
  size_t nact;
  const uint64_t *mask;
  size_t best;
} bf_ctx;

/* Enumerate every ordering of the remaining terms (no pruning: the literal definition). */
static void bf_rec(bf_ctx *c, uint64_t used_terms, uint64_t covered, size_t depth, size_t curmax) {
  if (depth == c->nact) {
    if (curmax < c->best) c->best = curmax;
    return;
  }
  for (size_t i = 0; i < c->nact; i++) {
    if (used_terms >> i & 1) continue;
    size_t nc = (size_t)__builtin_popcountll(c->mask[i] & ~covered);
    bf_rec(c, used_terms | ((uint64_t)1 << i), covered | c->mask[i], depth + 1, nc > curmax ? nc : curmax);
  }
}

int gdl_poly_leap_bruteforce(const gdl_poly *p, size_t *leap) {
  size_t nv;
  GDL_TRY(check_poly(p, "gdl_poly_leap_bruteforce", &nv));
  GDL_CHECK_ARG(leap != NULL, "gdl_poly_leap_bruteforce: leap is NULL");
  if (nv > 64) return gdl_fail(GDL_ERANGE, "gdl_poly_leap_bruteforce: %zu variables > 64", nv);
  uint64_t mask[9];
  size_t nact = 0;
  for (size_t i = 0; i < p->nterms; i++) {
    const gdl_monomial *t = &p->terms[i];
    if (!term_active(t)) continue;
    if (nact == 9) return gdl_fail(GDL_ERANGE, "gdl_poly_leap_bruteforce: more than 9 monomials");
    uint64_t m = 0;
    for (size_t k = 0; k < t->deg; k++) m |= (uint64_t)1 << t->vars[k];
    mask[nact++] = m;
  }
  bf_ctx c = {nact, mask, (size_t)-1};
  bf_rec(&c, 0, 0, 0, 0);
  *leap = c.best;
  return GDL_OK;
}

int gdl_poly_has_msp(const gdl_poly *p, int *msp) {
  GDL_CHECK_ARG(msp != NULL, "gdl_poly_has_msp: msp is NULL");
  size_t L;
  GDL_TRY(gdl_poly_leap(p, &L, NULL));
  *msp = L <= 1;
  return GDL_OK;
}

typedef struct {
  size_t *queue;
  size_t n;
  cover_index *c;
} reach_ctx;

static int reach_dropped(void *ctx, size_t i) {
  reach_ctx *r = ctx;
  if (r->c->count[i] == 1) r->queue[r->n++] = i; /* queued once: when its count reaches 1 */
  return 0;
}

int gdl_poly_reachable(const gdl_poly *p, size_t nvars, int *reach) {
  size_t nv;
  GDL_TRY(check_poly(p, "gdl_poly_reachable", &nv));
  GDL_CHECK_ARG(reach != NULL, "gdl_poly_reachable: reach is NULL");
  GDL_CHECK_ARG(nvars >= nv, "gdl_poly_reachable: nvars = %zu < %zu variables used by the polynomial", nvars, nv);
  /* Closure: add any monomial with at most one new variable until nothing changes
   * (adding only enlarges the covered set, so the closure is order-independent). A term
   * enters the work queue once, when its uncovered count first is <= 1. */
  cover_index c;
  GDL_TRY(cover_init(&c, p, "gdl_poly_reachable"));
  reach_ctx rc = {malloc((p->nterms ? p->nterms : 1) * sizeof(size_t)), 0, &c};
  if (!rc.queue) {
    cover_free(&c);
    return gdl_fail(GDL_ENOMEM, "gdl_poly_reachable: out of memory");
  }
  for (size_t i = 0; i < p->nterms; i++)
    if (term_active(&p->terms[i]) && c.count[i] <= 1) rc.queue[rc.n++] = i;
  while (rc.n) {
    size_t i = rc.queue[--rc.n];
    if (c.used[i]) continue;
    cover_term(&c, p, i, reach_dropped, &rc);
  }
  for (size_t j = 0; j < nvars; j++) reach[j] = 0;
  for (size_t u = 0; u < c.nu; u++) reach[c.ids[u]] = c.covered[u];
  free(rc.queue);
  cover_free(&c);
  return GDL_OK;
}
