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
 * increases any new count.) Cost O(T^2 * deg). gdl_poly_leap_bruteforce enumerates all
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

static size_t new_count(const gdl_monomial *t, const unsigned char *covered) {
  size_t c = 0;
  for (size_t k = 0; k < t->deg; k++) c += !covered[t->vars[k]];
  return c;
}

int gdl_poly_leap(const gdl_poly *p, size_t *leap, size_t *order) {
  size_t nv;
  GDL_TRY(check_poly(p, "gdl_poly_leap", &nv));
  GDL_CHECK_ARG(leap != NULL, "gdl_poly_leap: leap is NULL");
  size_t T = p->nterms;
  unsigned char *covered = calloc(nv ? nv : 1, 1);
  unsigned char *used = calloc(T ? T : 1, 1);
  if (!covered || !used) {
    free(covered);
    free(used);
    return gdl_fail(GDL_ENOMEM, "gdl_poly_leap: out of memory");
  }
  size_t best_leap = 0, pos = 0;
  for (;;) {
    size_t best = (size_t)-1, bi = 0;
    for (size_t i = 0; i < T; i++) {
      if (used[i] || !term_active(&p->terms[i])) continue;
      size_t c = new_count(&p->terms[i], covered);
      if (c < best) { best = c; bi = i; }
    }
    if (best == (size_t)-1) break;
    used[bi] = 1;
    if (order) order[pos] = bi;
    pos++;
    if (best > best_leap) best_leap = best;
    for (size_t k = 0; k < p->terms[bi].deg; k++) covered[p->terms[bi].vars[k]] = 1;
  }
  if (order)
    for (size_t i = 0; i < T; i++)
      if (!used[i]) order[pos++] = i;
  free(covered);
  free(used);
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

int gdl_poly_reachable(const gdl_poly *p, size_t nvars, int *reach) {
  size_t nv;
  GDL_TRY(check_poly(p, "gdl_poly_reachable", &nv));
  GDL_CHECK_ARG(reach != NULL, "gdl_poly_reachable: reach is NULL");
  GDL_CHECK_ARG(nvars >= nv, "gdl_poly_reachable: nvars = %zu < %zu variables used by the polynomial", nvars, nv);
  unsigned char *covered = calloc(nvars ? nvars : 1, 1);
  unsigned char *used = calloc(p->nterms ? p->nterms : 1, 1);
  if (!covered || !used) {
    free(covered);
    free(used);
    return gdl_fail(GDL_ENOMEM, "gdl_poly_reachable: out of memory");
  }
  /* Closure: add any monomial with at most one new variable until nothing changes
   * (adding only enlarges the covered set, so the closure is order-independent). */
  int changed = 1;
  while (changed) {
    changed = 0;
    for (size_t i = 0; i < p->nterms; i++) {
      const gdl_monomial *t = &p->terms[i];
      if (used[i] || !term_active(t)) continue;
      if (new_count(t, covered) <= 1) {
        used[i] = 1;
        changed = 1;
        for (size_t k = 0; k < t->deg; k++) covered[t->vars[k]] = 1;
      }
    }
  }
  for (size_t j = 0; j < nvars; j++) reach[j] = covered[j];
  free(covered);
  free(used);
  return GDL_OK;
}
