/* group.c: S_n, B_n, O(d) elements and their actions; Z_p^* helpers.
 *
 * Convention (group.h): (g x)_i = sign[i] * x_{perm[i]} for S_n / B_n, g x = R x for O(n).
 * Hence the matrix of a signed permutation has R[i][perm[i]] = sign[i], and the action
 * on a batch of rows is Y = X R^T, i.e. Y[r][i] = sign[i] * X[r][perm[i]].
 * The parameter action W_0 -> W_0 R^T makes f_{g.theta}(g x) = f_theta(x), because
 * (W_0 R^T)(R x) = W_0 x for orthogonal R. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
/* gsl_linalg.h pulls in gsl_cblas.h, which clashes with OpenBLAS's cblas.h; its cblas_dgemm
 * prototype is ABI-identical and the symbol resolves to OpenBLAS (linked first). */
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_randist.h>
#include "gdl/error.h"
#include "gdl/group.h"
#include "gdl/rng.h"

static int is_perm_kind(gdl_group_kind k) { return k == GDL_GROUP_SN || k == GDL_GROUP_BN; }

int gdl_group_elem_alloc(gdl_group_kind kind, size_t n, gdl_group_elem **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_group_elem_alloc: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(kind == GDL_GROUP_SN || kind == GDL_GROUP_BN || kind == GDL_GROUP_OD,
                "gdl_group_elem_alloc: unknown group kind %d", (int)kind);
  GDL_CHECK_ARG(n >= 1, "gdl_group_elem_alloc: n must be >= 1");
  GDL_CHECK_ARG(n <= ((size_t)1 << 24), "gdl_group_elem_alloc: n = %zu too large", n);
  gdl_group_elem *g = calloc(1, sizeof *g);
  if (!g) return gdl_fail(GDL_ENOMEM, "gdl_group_elem_alloc: out of memory");
  g->kind = kind;
  g->n = n;
  if (is_perm_kind(kind)) {
    g->perm = malloc(n * sizeof *g->perm);
    g->sign = malloc(n * sizeof *g->sign);
    if (!g->perm || !g->sign) {
      gdl_group_elem_free(g);
      return gdl_fail(GDL_ENOMEM, "gdl_group_elem_alloc: out of memory (n = %zu)", n);
    }
  } else {
    if (n > 46340) { gdl_group_elem_free(g); return gdl_fail(GDL_ERANGE, "gdl_group_elem_alloc: O(n) with n = %zu too large", n); }
    g->R = malloc(n * n * sizeof *g->R);
    if (!g->R) {
      gdl_group_elem_free(g);
      return gdl_fail(GDL_ENOMEM, "gdl_group_elem_alloc: out of memory (n = %zu)", n);
    }
  }
  gdl_group_identity(g);
  *out = g;
  return GDL_OK;
}

void gdl_group_elem_free(gdl_group_elem *g) {
  if (!g) return;
  GDL_FREE_ALL(g->perm, g->sign, g->R, g);
}

static int check_elem(const gdl_group_elem *g, const char *fn) {
  if (!g) return gdl_fail(GDL_EINVAL, "%s: group element is NULL", fn);
  if (is_perm_kind(g->kind)) {
    if (!g->perm || !g->sign) return gdl_fail(GDL_EINVAL, "%s: element has no perm/sign arrays", fn);
  } else if (g->kind == GDL_GROUP_OD) {
    if (!g->R) return gdl_fail(GDL_EINVAL, "%s: O(n) element has no matrix", fn);
  } else {
    return gdl_fail(GDL_EINVAL, "%s: unknown group kind %d", fn, (int)g->kind);
  }
  return GDL_OK;
}

int gdl_group_identity(gdl_group_elem *g) {
  GDL_TRY(check_elem(g, "gdl_group_identity"));
  size_t n = g->n;
  if (is_perm_kind(g->kind)) {
    for (size_t i = 0; i < n; i++) { g->perm[i] = i; g->sign[i] = 1.0; }
  } else {
    memset(g->R, 0, n * n * sizeof *g->R);
    for (size_t i = 0; i < n; i++) g->R[i * n + i] = 1.0;
  }
  return GDL_OK;
}

/* Haar orthogonal matrix: A with i.i.d. N(0,1) entries, A = QR (Householder), then
 * Q <- Q diag(sign(R_ii)). The sign fix makes the factorisation unique (R_ii > 0), and
 * since the law of A is invariant under left multiplication by any orthogonal U
 * (UA = (UQ)R), the law of the fixed Q is left-invariant, i.e. Haar (Mezzadri 2007). */
static int haar_orthogonal(size_t n, gsl_rng *r, double *R) {
  gsl_matrix *A = gsl_matrix_alloc(n, n);
  gsl_vector *tau = gsl_vector_alloc(n);
  gsl_matrix *Q = gsl_matrix_alloc(n, n);
  gsl_matrix *Rm = gsl_matrix_alloc(n, n);
  int rc = GDL_OK;
  if (!A || !tau || !Q || !Rm) { rc = gdl_fail(GDL_ENOMEM, "gdl_group_random: out of memory (O(%zu))", n); goto done; }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) gsl_matrix_set(A, i, j, gsl_ran_gaussian(r, 1.0));
  if (gsl_linalg_QR_decomp(A, tau) != 0 || gsl_linalg_QR_unpack(A, tau, Q, Rm) != 0) {
    rc = gdl_fail(GDL_ENUMERIC, "gdl_group_random: QR decomposition failed");
    goto done;
  }
  for (size_t j = 0; j < n; j++) {
    double s = gsl_matrix_get(Rm, j, j) < 0 ? -1.0 : 1.0;
    for (size_t i = 0; i < n; i++) R[i * n + j] = s * gsl_matrix_get(Q, i, j);
  }
done:
  gsl_matrix_free(A);
  gsl_vector_free(tau);
  gsl_matrix_free(Q);
  gsl_matrix_free(Rm);
  return rc;
}

int gdl_group_random(gdl_group_elem *g, gsl_rng *r) {
  GDL_TRY(check_elem(g, "gdl_group_random"));
  GDL_CHECK_ARG(r != NULL, "gdl_group_random: rng is NULL");
  size_t n = g->n;
  if (is_perm_kind(g->kind)) {
    gdl_rng_permutation(r, n, g->perm);
    for (size_t i = 0; i < n; i++)
      g->sign[i] = (g->kind == GDL_GROUP_BN && gsl_rng_uniform(r) < 0.5) ? -1.0 : 1.0;
    return GDL_OK;
  }
  return haar_orthogonal(n, r, g->R);
}

int gdl_group_matrix(const gdl_group_elem *g, double *R) {
  GDL_TRY(check_elem(g, "gdl_group_matrix"));
  GDL_CHECK_ARG(R != NULL, "gdl_group_matrix: R is NULL");
  size_t n = g->n;
  if (g->kind == GDL_GROUP_OD) {
    memcpy(R, g->R, n * n * sizeof *R);
  } else {
    memset(R, 0, n * n * sizeof *R);
    for (size_t i = 0; i < n; i++) R[i * n + g->perm[i]] = g->sign[i];
  }
  return GDL_OK;
}

int gdl_group_compose(const gdl_group_elem *a, const gdl_group_elem *b, gdl_group_elem *out) {
  GDL_TRY(check_elem(a, "gdl_group_compose"));
  GDL_TRY(check_elem(b, "gdl_group_compose"));
  GDL_TRY(check_elem(out, "gdl_group_compose"));
  size_t n = a->n;
  GDL_CHECK_ARG(b->n == n && out->n == n, "gdl_group_compose: sizes differ (%zu, %zu, %zu)", a->n, b->n, out->n);
  GDL_CHECK_ARG(out != a && out != b, "gdl_group_compose: out may not alias an operand");
  if (is_perm_kind(out->kind)) {
    GDL_CHECK_ARG(is_perm_kind(a->kind) && is_perm_kind(b->kind),
                  "gdl_group_compose: a product with an O(n) element needs an O(n) output");
    GDL_CHECK_ARG(out->kind == GDL_GROUP_BN || (a->kind == GDL_GROUP_SN && b->kind == GDL_GROUP_SN),
                  "gdl_group_compose: product of signed permutations needs a B_n output");
    /* (a(bx))_i = sa[i] (bx)_{pa[i]} = sa[i] sb[pa[i]] x_{pb[pa[i]]} */
    for (size_t i = 0; i < n; i++) {
      out->perm[i] = b->perm[a->perm[i]];
      out->sign[i] = a->sign[i] * b->sign[a->perm[i]];
    }
    return GDL_OK;
  }
  double *Ra = malloc(2 * n * n * sizeof *Ra);
  if (!Ra) return gdl_fail(GDL_ENOMEM, "gdl_group_compose: out of memory");
  double *Rb = Ra + n * n;
  gdl_group_matrix(a, Ra);
  gdl_group_matrix(b, Rb);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, Ra, (int)n,
              Rb, (int)n, 0.0, out->R, (int)n);
  free(Ra);
  return GDL_OK;
}

int gdl_group_invert(const gdl_group_elem *a, gdl_group_elem *out) {
  GDL_TRY(check_elem(a, "gdl_group_invert"));
  GDL_TRY(check_elem(out, "gdl_group_invert"));
  size_t n = a->n;
  GDL_CHECK_ARG(out->n == n, "gdl_group_invert: sizes differ (%zu vs %zu)", a->n, out->n);
  GDL_CHECK_ARG(out != a, "gdl_group_invert: out may not alias a");
  if (is_perm_kind(out->kind)) {
    GDL_CHECK_ARG(is_perm_kind(a->kind), "gdl_group_invert: inverse of an O(n) element needs an O(n) output");
    GDL_CHECK_ARG(out->kind == GDL_GROUP_BN || a->kind == GDL_GROUP_SN,
                  "gdl_group_invert: inverse of a B_n element needs a B_n output");
    /* y_i = s[i] x_{p[i]}  <=>  x_{p[i]} = s[i] y_i */
    for (size_t i = 0; i < n; i++) {
      out->perm[a->perm[i]] = i;
      out->sign[a->perm[i]] = a->sign[i];
    }
    return GDL_OK;
  }
  if (a->kind == GDL_GROUP_OD) {
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) out->R[i * n + j] = a->R[j * n + i];
  } else {
    memset(out->R, 0, n * n * sizeof *out->R);
    for (size_t i = 0; i < n; i++) out->R[a->perm[i] * n + i] = a->sign[i];
  }
  return GDL_OK;
}

int gdl_group_act_inputs(const gdl_group_elem *g, size_t m, const double *X, double *Y) {
  GDL_TRY(check_elem(g, "gdl_group_act_inputs"));
  GDL_CHECK_ARG(X != NULL && Y != NULL, "gdl_group_act_inputs: X or Y is NULL");
  GDL_CHECK_ARG(X != Y, "gdl_group_act_inputs: Y may not alias X");
  size_t n = g->n;
  if (m == 0) return GDL_OK;
  if (g->kind == GDL_GROUP_OD) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)n, 1.0, X, (int)n,
                g->R, (int)n, 0.0, Y, (int)n);
    return GDL_OK;
  }
  for (size_t r = 0; r < m; r++) {
    const double *x = X + r * n;
    double *y = Y + r * n;
    for (size_t i = 0; i < n; i++) y[i] = g->sign[i] * x[g->perm[i]];
  }
  return GDL_OK;
}

/* W (h x n, row-major) <- W R^T, in place via a temporary. */
static int act_first_layer_block(const gdl_group_elem *g, size_t h, double *W, const char *fn) {
  size_t n = g->n;
  if (h == 0) return GDL_OK;
  double *tmp = malloc(h * n * sizeof *tmp);
  if (!tmp) return gdl_fail(GDL_ENOMEM, "%s: out of memory", fn);
  memcpy(tmp, W, h * n * sizeof *tmp);
  int rc = gdl_group_act_inputs(g, h, tmp, W);  /* row j of W R^T = g applied to row j */
  free(tmp);
  return rc;
}

int gdl_group_act_net(const gdl_group_elem *g, gdl_net *net) {
  GDL_TRY(check_elem(g, "gdl_group_act_net"));
  GDL_CHECK_ARG(net != NULL && net->params != NULL, "gdl_group_act_net: net is NULL");
  GDL_CHECK_ARG(net->spec.nlayers >= 1, "gdl_group_act_net: net has no layer");
  GDL_CHECK_ARG(net->spec.width[0] == g->n, "gdl_group_act_net: net input width %zu != group size %zu",
                net->spec.width[0], g->n);
  return act_first_layer_block(g, net->spec.width[1], net->params + net->w_off[0], "gdl_group_act_net");
}

int gdl_group_act_params(const gdl_group_elem *g, const gdl_net *net, double *v) {
  GDL_TRY(check_elem(g, "gdl_group_act_params"));
  GDL_CHECK_ARG(net != NULL && v != NULL, "gdl_group_act_params: net or v is NULL");
  GDL_CHECK_ARG(net->spec.nlayers >= 1, "gdl_group_act_params: net has no layer");
  GDL_CHECK_ARG(net->spec.width[0] == g->n, "gdl_group_act_params: net input width %zu != group size %zu",
                net->spec.width[0], g->n);
  return act_first_layer_block(g, net->spec.width[1], v + net->w_off[0], "gdl_group_act_params");
}

/* ---------------- Z_p ---------------- */
uint64_t gdl_zp_mulmod(uint64_t a, uint64_t b, uint64_t p) {
  if (p == 0) return 0;
  return (uint64_t)(((__uint128_t)a * b) % p);
}

uint64_t gdl_zp_powmod(uint64_t a, uint64_t e, uint64_t p) {
  if (p == 1 || p == 0) return 0;
  uint64_t result = 1 % p, base = a % p;
  while (e) {
    if (e & 1) result = gdl_zp_mulmod(result, base, p);
    base = gdl_zp_mulmod(base, base, p);
    e >>= 1;
  }
  return result;
}

/* Deterministic Miller-Rabin: the first 12 primes as bases are exact for p < 3.3e24. */
int gdl_is_prime(uint64_t p) {
  static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  if (p < 2) return 0;
  for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
    if (p == bases[i]) return 1;
    if (p % bases[i] == 0) return 0;
  }
  uint64_t d = p - 1;
  unsigned s = 0;
  while ((d & 1) == 0) { d >>= 1; s++; }
  for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
    uint64_t x = gdl_zp_powmod(bases[i], d, p);
    if (x == 1 || x == p - 1) continue;
    int composite = 1;
    for (unsigned r = 1; r < s; r++) {
      x = gdl_zp_mulmod(x, x, p);
      if (x == p - 1) { composite = 0; break; }
    }
    if (composite) return 0;
  }
  return 1;
}

/* Distinct prime factors of m by trial division (m < 2^50 keeps this under ~3e7 steps). */
static size_t prime_factors(uint64_t m, uint64_t *fac) {
  size_t k = 0;
  for (uint64_t q = 2; q * q <= m; q += (q == 2 ? 1 : 2)) {
    if (m % q == 0) {
      fac[k++] = q;
      while (m % q == 0) m /= q;
    }
  }
  if (m > 1) fac[k++] = m;
  return k;
}

int gdl_zp_primitive_root(uint64_t p, uint64_t *root) {
  GDL_CHECK_ARG(root != NULL, "gdl_zp_primitive_root: root is NULL");
  GDL_CHECK_ARG(gdl_is_prime(p), "gdl_zp_primitive_root: p = %llu is not prime", (unsigned long long)p);
  if (p >= ((uint64_t)1 << 50))
    return gdl_fail(GDL_ERANGE, "gdl_zp_primitive_root: p = %llu too large (< 2^50 supported)",
                    (unsigned long long)p);
  if (p == 2) { *root = 1; return GDL_OK; }
  uint64_t fac[64];
  size_t k = prime_factors(p - 1, fac);
  for (uint64_t g = 2; g < p; g++) {
    int ok = 1;
    for (size_t i = 0; i < k && ok; i++)
      if (gdl_zp_powmod(g, (p - 1) / fac[i], p) == 1) ok = 0;
    if (ok) { *root = g; return GDL_OK; }
  }
  return gdl_fail(GDL_ENUMERIC, "gdl_zp_primitive_root: no primitive root found for p = %llu",
                  (unsigned long long)p);
}
