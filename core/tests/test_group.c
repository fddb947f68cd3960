/* core.group: group elements (S_n, B_n, O(d)), their actions, and Z_p^* helpers.
 * - algebra: g g^{-1} = e, matrix(a b) = matrix(a) matrix(b), act_inputs = X R^T;
 * - Haar: R R^T = I; E[R_ij^2] = 1/d, E[R_11] = 0 and E[tr(R)^2] = 1 (Haar O(d), d >= 2)
 *   within 5 SE; control: the unfixed Householder Q of GSL fails the E[R_11] = 0 check
 *   (its diagonal is biased), so the sign fix is what makes the law Haar;
 * - net equivariance: f_{g.theta}(g x) = f_theta(x) to 1e-12 for B_n and O(d), depth 2-4;
 *   control: acting on the inputs only (not the net) changes the output by >> 1e-12;
 * - Z_p: primality against trial division, primitive roots generate Z_p^*. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "gdl/error.h"
#include "gdl/group.h"
#include "gdl/net.h"
#include "gdl/rng.h"
#include "gdl/stats.h"
#include "gdl_test.h"

static double maxabs_diff(size_t n, const double *a, const double *b) {
  double m = 0;
  for (size_t i = 0; i < n; i++) {
    cr_assert(isfinite(a[i]) && isfinite(b[i]), "non-finite value at %zu", i);
    double d = fabs(a[i] - b[i]);
    if (d > m) m = d;
  }
  return m;
}

static const gdl_group_kind kinds[] = {GDL_GROUP_SN, GDL_GROUP_BN, GDL_GROUP_OD};

Test(group, inverse_compose_matrix) {
  gsl_rng *r = gdl_test_rng("test_group.algebra", 0);
  for (size_t k = 0; k < 3; k++) {
    for (size_t n = 1; n <= 9; n += 4) {
      gdl_group_elem *a, *b, *ab, *ai, *e;
      cr_assert(gdl_group_elem_alloc(kinds[k], n, &a) == GDL_OK);
      cr_assert(gdl_group_elem_alloc(kinds[k], n, &b) == GDL_OK);
      cr_assert(gdl_group_elem_alloc(kinds[k], n, &ab) == GDL_OK);
      cr_assert(gdl_group_elem_alloc(kinds[k], n, &ai) == GDL_OK);
      cr_assert(gdl_group_elem_alloc(kinds[k], n, &e) == GDL_OK);
      cr_assert(gdl_group_random(a, r) == GDL_OK);
      cr_assert(gdl_group_random(b, r) == GDL_OK);
      cr_assert(gdl_group_compose(a, b, ab) == GDL_OK);
      cr_assert(gdl_group_invert(a, ai) == GDL_OK);
      cr_assert(gdl_group_compose(a, ai, e) == GDL_OK);
      double *Ra = malloc(n * n * 8), *Rb = malloc(n * n * 8), *Rab = malloc(n * n * 8),
             *P = calloc(n * n, 8), *E = malloc(n * n * 8), *I = calloc(n * n, 8);
      gdl_group_matrix(a, Ra);
      gdl_group_matrix(b, Rb);
      gdl_group_matrix(ab, Rab);
      gdl_group_matrix(e, E);
      for (size_t i = 0; i < n; i++) {
        I[i * n + i] = 1;
        for (size_t j = 0; j < n; j++)
          for (size_t l = 0; l < n; l++) P[i * n + j] += Ra[i * n + l] * Rb[l * n + j];
      }
      double d1 = maxabs_diff(n * n, P, Rab), d2 = maxabs_diff(n * n, E, I);
      cr_assert(d1 < 1e-12, "kind %zu n %zu: |R(ab) - R(a)R(b)| = %g", k, n, d1);
      cr_assert(d2 < 1e-12, "kind %zu n %zu: |R(a a^-1) - I| = %g", k, n, d2);
      /* act_inputs(g, X) = X R^T, checked against the dense matrix */
      size_t m = 7;
      double *X = malloc(m * n * 8), *Y = malloc(m * n * 8), *Z = calloc(m * n, 8);
      gdl_rng_gaussian(r, 1.0, m * n, X);
      cr_assert(gdl_group_act_inputs(a, m, X, Y) == GDL_OK);
      for (size_t s = 0; s < m; s++)
        for (size_t i = 0; i < n; i++)
          for (size_t j = 0; j < n; j++) Z[s * n + i] += X[s * n + j] * Ra[i * n + j];
      double d3 = maxabs_diff(m * n, Y, Z);
      cr_assert(d3 < 1e-12, "kind %zu n %zu: act_inputs vs X R^T: %g", k, n, d3);
      free(X); free(Y); free(Z);
      free(Ra); free(Rb); free(Rab); free(P); free(E); free(I);
      gdl_group_elem_free(a); gdl_group_elem_free(b); gdl_group_elem_free(ab);
      gdl_group_elem_free(ai); gdl_group_elem_free(e);
    }
  }
  gdl_rng_free(r);
}

Test(group, signed_perm_laws) {
  /* S_n elements have all signs +1; B_n signs are balanced (binomial, 6 SD margin). */
  gsl_rng *r = gdl_test_rng("test_group.signs", 0);
  gdl_group_elem *s, *b;
  size_t n = 10, reps = 4000, neg = 0;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_SN, n, &s) == GDL_OK);
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, n, &b) == GDL_OK);
  for (size_t t = 0; t < reps; t++) {
    gdl_group_random(s, r);
    gdl_group_random(b, r);
    for (size_t i = 0; i < n; i++) {
      cr_assert(s->sign[i] == 1.0);
      neg += b->sign[i] < 0;
    }
  }
  double N = (double)(reps * n), frac = neg / N, sd = sqrt(0.25 / N);
  cr_assert(fabs(frac - 0.5) < 6 * sd, "B_n negative-sign fraction %g, expected 0.5 +- %g", frac, 6 * sd);
  gdl_group_elem_free(s);
  gdl_group_elem_free(b);
  gdl_rng_free(r);
}

/* Moments of a Haar O(d) element: E[R_11] = 0, E[R_11^2] = 1/d, E[tr R^2... ] etc. */
typedef struct { double m11, se11, m11sq, se11sq, trsq, setrsq; } haar_mom;

static haar_mom moments(size_t d, size_t reps, int fixed, gsl_rng *r) {
  double *a = malloc(reps * 8), *b = malloc(reps * 8), *c = malloc(reps * 8);
  gdl_group_elem *g;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_OD, d, &g) == GDL_OK);
  gsl_matrix *A = gsl_matrix_alloc(d, d), *Q = gsl_matrix_alloc(d, d), *Rm = gsl_matrix_alloc(d, d);
  gsl_vector *tau = gsl_vector_alloc(d);
  for (size_t t = 0; t < reps; t++) {
    if (fixed) {
      cr_assert(gdl_group_random(g, r) == GDL_OK);
    } else { /* control: Householder QR without the sign fix */
      for (size_t i = 0; i < d * d; i++) A->data[i] = gsl_ran_gaussian(r, 1.0);
      gsl_linalg_QR_decomp(A, tau);
      gsl_linalg_QR_unpack(A, tau, Q, Rm);
      memcpy(g->R, Q->data, d * d * 8);
    }
    double tr = 0;
    for (size_t i = 0; i < d; i++) tr += g->R[i * d + i];
    a[t] = g->R[0];
    b[t] = g->R[0] * g->R[0];
    c[t] = tr * tr;
  }
  haar_mom m;
  gdl_mean_se(reps, a, &m.m11, &m.se11);
  gdl_mean_se(reps, b, &m.m11sq, &m.se11sq);
  gdl_mean_se(reps, c, &m.trsq, &m.setrsq);
  gsl_matrix_free(A); gsl_matrix_free(Q); gsl_matrix_free(Rm); gsl_vector_free(tau);
  gdl_group_elem_free(g);
  free(a); free(b); free(c);
  return m;
}

Test(group, haar_orthogonal) {
  gsl_rng *r = gdl_test_rng("test_group.haar", 0);
  size_t d = 6, reps = 20000;
  /* orthogonality */
  gdl_group_elem *g;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_OD, d, &g) == GDL_OK);
  for (int t = 0; t < 20; t++) {
    gdl_group_random(g, r);
    double err = 0;
    for (size_t i = 0; i < d; i++)
      for (size_t j = 0; j < d; j++) {
        double s = 0;
        for (size_t l = 0; l < d; l++) s += g->R[i * d + l] * g->R[j * d + l];
        err = fmax(err, fabs(s - (i == j)));
      }
    cr_assert(err < 1e-12, "|R R^T - I| = %g", err);
  }
  gdl_group_elem_free(g);
  haar_mom m = moments(d, reps, 1, r);
  cr_assert(fabs(m.m11) < 5 * m.se11, "E[R_11] = %g, expected 0 +- 5 SE = %g", m.m11, 5 * m.se11);
  cr_assert(fabs(m.m11sq - 1.0 / d) < 5 * m.se11sq, "E[R_11^2] = %g, expected %g +- %g", m.m11sq,
            1.0 / d, 5 * m.se11sq);
  cr_assert(fabs(m.trsq - 1.0) < 5 * m.setrsq, "E[tr(R)^2] = %g, expected 1 +- %g", m.trsq, 5 * m.setrsq);
  /* control: without the sign fix the law is not Haar, and the same check sees it */
  haar_mom c = moments(d, reps, 0, r);
  cr_assert(fabs(c.m11) > 5 * c.se11, "control (no sign fix): E[Q_11] = %g should be far from 0 (5 SE = %g)",
            c.m11, 5 * c.se11);
  gdl_rng_free(r);
}

/* f_{g.theta}(g x) = f_theta(x) for nets of depth 2..4. */
static void check_net_equivariance(gdl_group_kind kind, size_t depth, uint64_t idx) {
  gsl_rng *r = gdl_test_rng("test_group.net", idx);
  size_t n = 7, m = 33;
  size_t hidden[3] = {11, 9, 5};
  gdl_net_spec spec;
  cr_assert(gdl_net_spec_mlp(&spec, n, depth - 1, hidden, 2, GDL_ACT_TANH, 1) == GDL_OK, "%s", gdl_strerror_last());
  gdl_net *net, *net2;
  cr_assert(gdl_net_create(&spec, &net) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_net_init_default(net, r) == GDL_OK);
  for (size_t l = 0; l < spec.nlayers; l++) /* nonzero biases, so they are exercised */
    if (gdl_net_bias(net, l)) gdl_rng_gaussian(r, 0.3, spec.width[l + 1], gdl_net_bias(net, l));
  cr_assert(gdl_net_clone(net, &net2) == GDL_OK);
  gdl_group_elem *g;
  cr_assert(gdl_group_elem_alloc(kind, n, &g) == GDL_OK);
  cr_assert(gdl_group_random(g, r) == GDL_OK);
  double *X = malloc(m * n * 8), *GX = malloc(m * n * 8), *f1 = malloc(m * 2 * 8), *f2 = malloc(m * 2 * 8);
  gdl_rng_gaussian(r, 1.0, m * n, X);
  cr_assert(gdl_group_act_inputs(g, m, X, GX) == GDL_OK);
  cr_assert(gdl_net_forward(net, m, X, f1) == GDL_OK);
  /* control first: the untransformed net on g x differs */
  cr_assert(gdl_net_forward(net2, m, GX, f2) == GDL_OK);
  double ctrl = maxabs_diff(m * 2, f1, f2);
  cr_assert(gdl_group_act_net(g, net2) == GDL_OK);
  cr_assert(gdl_net_forward(net2, m, GX, f2) == GDL_OK);
  double err = maxabs_diff(m * 2, f1, f2);
  cr_assert(err <= 1e-12, "kind %d depth %zu: |f_{g.theta}(gx) - f_theta(x)| = %g > 1e-12", (int)kind, depth, err);
  cr_assert(ctrl > 1e-6, "control: f_theta(gx) vs f_theta(x) differ by only %g", ctrl);
  /* act_params on the parameter vector equals act_net */
  double *v = malloc(net->nparams * 8);
  memcpy(v, net->params, net->nparams * 8);
  cr_assert(gdl_group_act_params(g, net, v) == GDL_OK);
  double e2 = maxabs_diff(net->nparams, v, net2->params);
  cr_assert(e2 == 0.0, "act_params vs act_net differ by %g", e2);
  free(v); free(X); free(GX); free(f1); free(f2);
  gdl_group_elem_free(g);
  gdl_net_free(net);
  gdl_net_free(net2);
  gdl_rng_free(r);
}

Test(group, net_equivariance) {
  for (size_t depth = 2; depth <= 4; depth++) {
    check_net_equivariance(GDL_GROUP_SN, depth, 10 + depth);
    check_net_equivariance(GDL_GROUP_BN, depth, 20 + depth);
    check_net_equivariance(GDL_GROUP_OD, depth, 30 + depth);
  }
}

Test(group, bad_input) {
  gdl_group_elem *g = NULL, *h = NULL;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, 0, &g) == GDL_EINVAL);
  cr_assert(strlen(gdl_strerror_last()) > 0);
  cr_assert(gdl_group_elem_alloc((gdl_group_kind)7, 3, &g) == GDL_EINVAL);
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, 3, &g) == GDL_OK);
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, 4, &h) == GDL_OK);
  gdl_group_elem *o;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_BN, 3, &o) == GDL_OK);
  cr_assert(gdl_group_compose(g, h, o) == GDL_EINVAL);
  cr_assert(gdl_group_act_inputs(g, 2, NULL, NULL) == GDL_EINVAL);
  gdl_group_elem_free(g); gdl_group_elem_free(h); gdl_group_elem_free(o);
}

Test(group, zp) {
  /* primality vs trial division up to 5000; a few known large primes / composites */
  for (uint64_t p = 0; p < 5000; p++) {
    int tp = p >= 2;
    for (uint64_t q = 2; q * q <= p; q++)
      if (p % q == 0) { tp = 0; break; }
    cr_assert(gdl_is_prime(p) == tp, "is_prime(%llu) = %d, trial division says %d", (unsigned long long)p,
              gdl_is_prime(p), tp);
  }
  cr_assert(gdl_is_prime(1000000007ULL));
  cr_assert(gdl_is_prime(18446744073709551557ULL)); /* largest 64-bit prime */
  cr_assert(!gdl_is_prime(3215031751ULL));           /* strong pseudoprime to bases 2,3,5,7 */
  cr_assert(!gdl_is_prime(1000000007ULL * 998244353ULL));
  cr_assert(gdl_zp_mulmod(18446744073709551556ULL, 18446744073709551556ULL, 18446744073709551557ULL) == 1);
  const uint64_t ps[] = {2, 3, 101, 211, 401, 809, 1601, 3203, 100003};
  for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
    uint64_t p = ps[i], g;
    cr_assert(gdl_zp_primitive_root(p, &g) == GDL_OK, "p = %llu: %s", (unsigned long long)p, gdl_strerror_last());
    /* g generates: the powers g^0..g^{p-2} are all distinct */
    unsigned char *seen = calloc(p, 1);
    uint64_t x = 1;
    for (uint64_t k = 0; k + 1 < p; k++) {
      cr_assert(x > 0 && x < p && !seen[x], "p = %llu: root %llu repeats at k = %llu", (unsigned long long)p,
                (unsigned long long)g, (unsigned long long)k);
      seen[x] = 1;
      x = gdl_zp_mulmod(x, g, p);
    }
    cr_assert(x == 1);
    free(seen);
  }
  uint64_t g;
  cr_assert(gdl_zp_primitive_root(100, &g) == GDL_EINVAL);
  cr_assert(gdl_zp_powmod(3, 100002, 100003) == 1);
}

/* A random S_n element is uniform over the n! permutations. With n = 4 and M = 24000 draws
 * each of the 24 permutations has count ~ Binomial(M, 1/24): every count within 6 SD of M/24
 * (sd = sqrt(M (1/24)(23/24)) = 30.9; union over 24 cells: failure probability < 24 * 2e-9), and
 * the mean number of fixed points is 1 within 6/sqrt(M) (its variance is 1 for n >= 2).
 * A shuffle that never leaves an element in place (Sattolo's algorithm: j < i - 1 in
 * Fisher-Yates) reaches only the 6 cyclic permutations and has no fixed points. */
Test(group, random_permutation_is_uniform) {
  gsl_rng *r = gdl_test_rng("test_group.perm", 0);
  const size_t n = 4, M = 24000;
  gdl_group_elem *s;
  cr_assert(gdl_group_elem_alloc(GDL_GROUP_SN, n, &s) == GDL_OK);
  size_t count[256] = {0};
  double fixed = 0;
  for (size_t t = 0; t < M; t++) {
    cr_assert(gdl_group_random(s, r) == GDL_OK);
    size_t code = 0; /* base-4 code of the permutation */
    for (size_t i = 0; i < n; i++) {
      cr_assert(s->perm[i] < n);
      code = code * n + s->perm[i];
      fixed += s->perm[i] == i;
    }
    count[code]++;
  }
  size_t cells = 0;
  double p = 1.0 / 24, sd = sqrt((double)M * p * (1 - p));
  for (size_t c = 0; c < 256; c++) {
    if (!count[c]) continue;
    cells++;
    cr_assert(fabs((double)count[c] - (double)M * p) <= 6 * sd, "permutation code %zu drawn %zu times, expected %g +- %g",
              c, count[c], (double)M * p, 6 * sd);
  }
  cr_assert(cells == 24, "%zu distinct permutations of 4 drawn in %zu draws, expected all 24", cells, M);
  cr_assert(fabs(fixed / (double)M - 1) <= 6 / sqrt((double)M), "mean number of fixed points %g, expected 1",
            fixed / (double)M);
  gdl_group_elem_free(s);
  gdl_rng_free(r);
}
