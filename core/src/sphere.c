/* sphere.c: spherical harmonics, exact level weights and the O(d) orbit kernel
 * (gdl/sphere.h). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <gsl/gsl_sf_gamma.h>
#include "gdl/error.h"
#include "gdl/sphere.h"

double gdl_sphere_harmonic_dim(size_t d, unsigned l) {
  if (d < 2) return NAN;
  if (l == 0) return 1.0;
  if (l == 1) return (double)d;
  return gsl_sf_choose((unsigned)(d + l - 1), l) - gsl_sf_choose((unsigned)(d + l - 3), l - 2);
}

/* P[0..lmax] at t */
static void geg_all(size_t d, unsigned lmax, double t, double *P) {
  P[0] = 1.0;
  if (lmax >= 1) P[1] = t;
  for (unsigned l = 2; l <= lmax; l++)
    P[l] = ((2.0 * l + (double)d - 4.0) * t * P[l - 1] - (l - 1.0) * P[l - 2]) / ((double)l + (double)d - 3.0);
}

double gdl_gegenbauer(size_t d, unsigned l, double t) {
  if (d < 2 || l > 4096) return NAN;
  double p0 = 1.0, p1 = t;
  if (l == 0) return p0;
  for (unsigned k = 2; k <= l; k++) {
    double p2 = ((2.0 * k + (double)d - 4.0) * t * p1 - (k - 1.0) * p0) / ((double)k + (double)d - 3.0);
    p0 = p1;
    p1 = p2;
  }
  return p1;
}

int gdl_gegenbauer_coefs(size_t d, unsigned l, double *c) {
  GDL_CHECK_ARG(c != NULL, "gdl_gegenbauer_coefs: c is NULL");
  GDL_CHECK_ARG(d >= 2 && d <= GDL_SPHERE_MAX_DIM, "gdl_gegenbauer_coefs: d = %zu out of range", d);
  GDL_CHECK_ARG(l <= GDL_SPHERE_MAX_DEG, "gdl_gegenbauer_coefs: l = %u > %d", l, GDL_SPHERE_MAX_DEG);
  double a[GDL_SPHERE_MAX_DEG + 1] = {0}, b[GDL_SPHERE_MAX_DEG + 1] = {0}, nx[GDL_SPHERE_MAX_DEG + 1];
  a[0] = 1.0; /* P_{k-2} */
  b[1] = 1.0; /* P_{k-1} */
  if (l == 0) {
    memcpy(c, a, sizeof(double));
    return GDL_OK;
  }
  for (unsigned k = 2; k <= l; k++) {
    double s = (2.0 * k + (double)d - 4.0), q = (k - 1.0), den = (double)k + (double)d - 3.0;
    for (unsigned j = 0; j <= k; j++) nx[j] = ((j >= 1 ? s * b[j - 1] : 0.0) - q * a[j]) / den;
    memcpy(a, b, sizeof a);
    memcpy(b, nx, (k + 1) * sizeof(double));
  }
  memcpy(c, b, (l + 1) * sizeof(double));
  return GDL_OK;
}

/* ---------------- polynomials ---------------- */
int gdl_sphere_poly_alloc(size_t d, size_t nterms, gdl_sphere_poly **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_sphere_poly_alloc: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(d >= 2 && d <= GDL_SPHERE_MAX_DIM, "gdl_sphere_poly_alloc: d = %zu out of range [2, %d]", d,
                GDL_SPHERE_MAX_DIM);
  GDL_CHECK_ARG(nterms >= 1 && nterms <= 100000, "gdl_sphere_poly_alloc: nterms = %zu", nterms);
  gdl_sphere_poly *p = calloc(1, sizeof *p);
  if (!p) return gdl_fail(GDL_ENOMEM, "gdl_sphere_poly_alloc");
  p->d = d;
  p->nterms = nterms;
  p->coef = calloc(nterms, sizeof *p->coef);
  p->exps = calloc(nterms * d, sizeof *p->exps);
  if (!p->coef || !p->exps) {
    gdl_sphere_poly_free(p);
    return gdl_fail(GDL_ENOMEM, "gdl_sphere_poly_alloc");
  }
  *out = p;
  return GDL_OK;
}

void gdl_sphere_poly_free(gdl_sphere_poly *p) {
  if (!p) return;
  GDL_FREE_ALL(p->coef, p->exps, p);
}

static unsigned term_deg(const gdl_sphere_poly *p, size_t t) {
  unsigned s = 0;
  for (size_t i = 0; i < p->d; i++) s += p->exps[t * p->d + i];
  return s;
}

unsigned gdl_sphere_poly_degree(const gdl_sphere_poly *p) {
  unsigned m = 0;
  if (!p) return 0;
  for (size_t t = 0; t < p->nterms; t++) {
    unsigned s = term_deg(p, t);
    if (s > m) m = s;
  }
  return m;
}

int gdl_sphere_poly_parse(const char *s, size_t d, gdl_sphere_poly **out) {
  GDL_CHECK_ARG(s != NULL && out != NULL, "gdl_sphere_poly_parse: NULL argument");
  *out = NULL;
  size_t nt = 1;
  for (const char *c = s; *c; c++)
    if ((*c == '+' || *c == '-') && c != s && c[-1] != 'e' && c[-1] != 'E') nt++;
  gdl_sphere_poly *p = NULL;
  GDL_TRY(gdl_sphere_poly_alloc(d, nt, &p));
  const char *c = s;
  size_t t = 0;
  int rc = GDL_OK;
  while (*c) {
    while (isspace((unsigned char)*c)) c++;
    if (!*c) break;
    double sign = 1.0, coef = 1.0;
    if (*c == '+' || *c == '-') {
      sign = *c == '-' ? -1.0 : 1.0;
      c++;
      while (isspace((unsigned char)*c)) c++;
    } else if (t > 0) {
      rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: expected + or - at position %ld", (long)(c - s));
      break;
    }
    if (t >= nt) {
      rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: too many terms");
      break;
    }
    int have = 0;
    if (isdigit((unsigned char)*c) || *c == '.') {
      char *e = NULL;
      coef = strtod(c, &e);
      c = e;
      have = 1;
      while (isspace((unsigned char)*c)) c++;
      if (*c == '*') c++;
    }
    while (isspace((unsigned char)*c)) c++;
    while (*c == 'x') {
      char *e = NULL;
      long i = strtol(c + 1, &e, 10);
      if (e == c + 1 || i < 1 || (size_t)i > d) {
        rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: bad variable at position %ld (d = %zu)", (long)(c - s), d);
        break;
      }
      c = e;
      long pw = 1;
      if (*c == '^') {
        pw = strtol(c + 1, &e, 10);
        if (e == c + 1 || pw < 0 || pw > GDL_SPHERE_MAX_DEG) {
          rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: bad exponent at position %ld", (long)(c - s));
          break;
        }
        c = e;
      }
      p->exps[t * d + (size_t)(i - 1)] += (unsigned)pw;
      have = 1;
      while (isspace((unsigned char)*c)) c++;
      if (*c == '*') {
        c++;
        while (isspace((unsigned char)*c)) c++;
      }
    }
    if (rc != GDL_OK) break;
    if (!have) {
      rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: empty term at position %ld", (long)(c - s));
      break;
    }
    if (term_deg(p, t) > GDL_SPHERE_MAX_DEG) {
      rc = gdl_fail(GDL_ERANGE, "gdl_sphere_poly_parse: term %zu has degree > %d", t, GDL_SPHERE_MAX_DEG);
      break;
    }
    p->coef[t++] = sign * coef;
  }
  if (rc == GDL_OK && t == 0) rc = gdl_fail(GDL_EPARSE, "gdl_sphere_poly_parse: empty polynomial");
  if (rc != GDL_OK) {
    gdl_sphere_poly_free(p);
    return rc;
  }
  p->nterms = t;
  *out = p;
  return GDL_OK;
}

/* D(s) = d (d+2) ... (d+s-2) (s even), the sphere normaliser */
static double dnorm(size_t d, unsigned s) {
  double v = 1.0;
  for (unsigned i = 0; 2 * i < s; i++) v *= (double)d + 2.0 * i;
  return v;
}

static double dfact_m1(unsigned a) { /* (a-1)!! for even a, 0 for odd */
  if (a & 1u) return 0.0;
  double v = 1.0;
  for (unsigned k = a; k > 1; k -= 2) v *= (double)(k - 1);
  return v;
}

int gdl_sphere_poly_product(size_t d, unsigned k, double r, gdl_sphere_poly **out) {
  GDL_CHECK_ARG(k <= d && k <= GDL_SPHERE_MAX_DEG && r > 0 && isfinite(r), "gdl_sphere_poly_product: k = %u, d = %zu, r = %g",
                k, d, r);
  GDL_TRY(gdl_sphere_poly_alloc(d, 1, out));
  for (unsigned i = 0; i < k; i++) (*out)->exps[i] = 1;
  /* E[u_1^2 ... u_k^2] = 1/D(2k) on the unit sphere */
  (*out)->coef[0] = sqrt(dnorm(d, 2 * k)) / pow(r, (double)k);
  return GDL_OK;
}

int gdl_sphere_poly_eval(const gdl_sphere_poly *p, size_t m, const double *X, double *y) {
  GDL_CHECK_ARG(p != NULL && X != NULL && y != NULL, "gdl_sphere_poly_eval: NULL argument");
  const size_t d = p->d;
  for (size_t i = 0; i < m; i++) {
    double s = 0.0;
    for (size_t t = 0; t < p->nterms; t++) {
      double v = p->coef[t];
      const unsigned *e = p->exps + t * d;
      for (size_t j = 0; j < d; j++)
        for (unsigned q = 0; q < e[j]; q++) v *= X[i * d + j];
      s += v;
    }
    y[i] = s;
  }
  return GDL_OK;
}

int gdl_sphere_moment(size_t d, const unsigned *alpha, double *out) {
  GDL_CHECK_ARG(alpha != NULL && out != NULL && d >= 2, "gdl_sphere_moment: bad argument");
  unsigned s = 0;
  double v = 1.0;
  for (size_t i = 0; i < d; i++) {
    if (alpha[i] & 1u) {
      *out = 0.0;
      return GDL_OK;
    }
    s += alpha[i];
    v *= dfact_m1(alpha[i]);
  }
  *out = v / dnorm(d, s);
  return GDL_OK;
}

/* hafnian of the s x s symmetric A restricted to the index set `mask` */
static double hafnian(const double *A, size_t s, unsigned mask) {
  if (mask == 0) return 1.0;
  unsigned i = (unsigned)__builtin_ctz(mask);
  unsigned rest = mask & ~(1u << i);
  double h = 0.0;
  for (unsigned j = i + 1; j < s; j++)
    if (rest & (1u << j)) {
      double a = A[i * s + j];
      if (a != 0.0) h += a * hafnian(A, s, rest & ~(1u << j));
    }
  return h;
}

int gdl_sphere_wick(size_t d, size_t s, const double *V, double *out) {
  GDL_CHECK_ARG(out != NULL && d >= 2 && (s == 0 || V != NULL), "gdl_sphere_wick: bad argument");
  GDL_CHECK_ARG(s <= 16, "gdl_sphere_wick: s = %zu > 16", s);
  if (s & 1u) {
    *out = 0.0;
    return GDL_OK;
  }
  double A[256] = {0};
  for (size_t a = 0; a < s; a++)
    for (size_t b = 0; b < s; b++) A[a * s + b] = cblas_ddot((int)d, V + a * d, 1, V + b * d, 1);
  *out = hafnian(A, s, (unsigned)((1u << s) - 1u)) / dnorm(d, (unsigned)s);
  return GDL_OK;
}

int gdl_sphere_poly_inner(const gdl_sphere_poly *p, const gdl_sphere_poly *q, double r, double *out) {
  GDL_CHECK_ARG(p != NULL && q != NULL && out != NULL && p->d == q->d, "gdl_sphere_poly_inner: bad argument");
  const size_t d = p->d;
  unsigned *al = malloc(d * sizeof *al);
  if (!al) return gdl_fail(GDL_ENOMEM, "gdl_sphere_poly_inner");
  double s = 0.0;
  for (size_t a = 0; a < p->nterms; a++)
    for (size_t b = 0; b < q->nterms; b++) {
      unsigned deg = 0;
      for (size_t i = 0; i < d; i++) deg += al[i] = p->exps[a * d + i] + q->exps[b * d + i];
      double mo;
      gdl_sphere_moment(d, al, &mo);
      s += p->coef[a] * q->coef[b] * pow(r, (double)deg) * mo;
    }
  free(al);
  *out = s;
  return GDL_OK;
}

int gdl_sphere_poly_inner_rotated(const gdl_sphere_poly *p, const gdl_sphere_poly *q, const double *R, double r,
                                  double *out) {
  GDL_CHECK_ARG(p != NULL && q != NULL && R != NULL && out != NULL && p->d == q->d,
                "gdl_sphere_poly_inner_rotated: bad argument");
  const size_t d = p->d;
  if (gdl_sphere_poly_degree(p) + gdl_sphere_poly_degree(q) > 16)
    return gdl_fail(GDL_ERANGE, "gdl_sphere_poly_inner_rotated: degrees sum to > 16");
  double *V = malloc(16 * d * sizeof *V);
  if (!V) return gdl_fail(GDL_ENOMEM, "gdl_sphere_poly_inner_rotated");
  double s = 0.0;
  for (size_t a = 0; a < p->nterms; a++)
    for (size_t b = 0; b < q->nterms; b++) {
      size_t k = 0;
      memset(V, 0, 16 * d * sizeof *V);
      for (size_t i = 0; i < d; i++)
        for (unsigned e = 0; e < p->exps[a * d + i]; e++) V[(k++) * d + i] = 1.0;
      for (size_t j = 0; j < d; j++)
        for (unsigned e = 0; e < q->exps[b * d + j]; e++) memcpy(V + (k++) * d, R + j * d, d * sizeof *V);
      double w;
      gdl_sphere_wick(d, k, V, &w);
      s += p->coef[a] * q->coef[b] * pow(r, (double)k) * w;
    }
  free(V);
  *out = s;
  return GDL_OK;
}

/* a[0..J] *= b[0..J] (truncated) */
static void polymul(double *a, const double *b, unsigned J) {
  double c[GDL_SPHERE_MAX_DEG + 1] = {0};
  for (unsigned i = 0; i <= J; i++)
    if (a[i] != 0.0)
      for (unsigned j = 0; i + j <= J; j++) c[i + j] += a[i] * b[j];
  memcpy(a, c, (J + 1) * sizeof(double));
}

/* E_{x,y}[u^al v^ga <u, v>^j] on the unit sphere for j = 0..J (out[j]):
 * sum_{|beta| = j} j!/beta! E[u^(al+beta)] E[v^(ga+beta)] = j! [t^j] prod_i g_i(t) / (D D). */
static void pair_moments(size_t d, const unsigned *al, const unsigned *ga, unsigned J, double *out) {
  double prod[GDL_SPHERE_MAX_DEG + 1] = {0}, g[GDL_SPHERE_MAX_DEG + 1], g0[GDL_SPHERE_MAX_DEG + 1];
  unsigned sa = 0, sg = 0;
  size_t n0 = 0;
  prod[0] = 1.0;
  for (unsigned b = 0; b <= J; b++) g0[b] = dfact_m1(b) * dfact_m1(b) / gsl_sf_fact(b);
  for (size_t i = 0; i < d; i++) {
    sa += al[i];
    sg += ga[i];
    if (al[i] == 0 && ga[i] == 0) {
      n0++;
      continue;
    }
    for (unsigned b = 0; b <= J; b++) g[b] = dfact_m1(al[i] + b) * dfact_m1(ga[i] + b) / gsl_sf_fact(b);
    polymul(prod, g, J);
  }
  /* g0^n0 by squaring */
  double pw[GDL_SPHERE_MAX_DEG + 1];
  memcpy(pw, g0, sizeof pw);
  while (n0) {
    if (n0 & 1u) polymul(prod, pw, J);
    n0 >>= 1;
    if (n0) {
      double tmp[GDL_SPHERE_MAX_DEG + 1];
      memcpy(tmp, pw, sizeof tmp);
      polymul(pw, tmp, J);
    }
  }
  for (unsigned j = 0; j <= J; j++) {
    if (((sa + j) & 1u) || ((sg + j) & 1u)) {
      out[j] = 0.0;
      continue;
    }
    out[j] = gsl_sf_fact(j) * prod[j] / (dnorm(d, sa + j) * dnorm(d, sg + j));
  }
}

int gdl_sphere_level_weights(const gdl_sphere_poly *p, double r, unsigned lmax, double *W) {
  GDL_CHECK_ARG(p != NULL && W != NULL && r > 0 && isfinite(r), "gdl_sphere_level_weights: bad argument");
  GDL_CHECK_ARG(lmax <= GDL_SPHERE_MAX_DEG, "gdl_sphere_level_weights: lmax = %u > %d", lmax, GDL_SPHERE_MAX_DEG);
  const size_t d = p->d;
  const unsigned deg = gdl_sphere_poly_degree(p), L = lmax < deg ? lmax : deg;
  double coefs[GDL_SPHERE_MAX_DEG + 1][GDL_SPHERE_MAX_DEG + 1];
  for (unsigned l = 0; l <= L; l++) GDL_TRY(gdl_gegenbauer_coefs(d, l, coefs[l]));
  for (unsigned l = 0; l <= lmax; l++) W[l] = 0.0;
  for (size_t a = 0; a < p->nterms; a++)
    for (size_t b = a; b < p->nterms; b++) {
      const unsigned *al = p->exps + a * d, *ga = p->exps + b * d;
      double E[GDL_SPHERE_MAX_DEG + 1];
      pair_moments(d, al, ga, L, E);
      double w = p->coef[a] * p->coef[b] * pow(r, (double)(term_deg(p, a) + term_deg(p, b))) * (a == b ? 1.0 : 2.0);
      for (unsigned l = 0; l <= L; l++) {
        double s = 0.0;
        for (unsigned j = 0; j <= l; j++) s += coefs[l][j] * E[j];
        W[l] += w * s;
      }
    }
  for (unsigned l = 0; l <= L; l++) {
    W[l] *= gdl_sphere_harmonic_dim(d, l);
    if (!isfinite(W[l])) return gdl_fail(GDL_ENUMERIC, "gdl_sphere_level_weights: W[%u] is not finite", l);
  }
  return GDL_OK;
}

int gdl_sphere_align_levels(const double *W, size_t d, unsigned lmax, gdl_align *out) {
  GDL_CHECK_ARG(W != NULL && out != NULL && d >= 2, "gdl_sphere_align_levels: bad argument");
  gdl_align a = {0};
  for (unsigned l = 0; l <= lmax; l++)
    if (!isfinite(W[l]) || W[l] < -1e-12 * (1.0 + fabs(W[0])))
      return gdl_fail(GDL_EINVAL, "gdl_sphere_align_levels: W[%u] = %g is not a nonnegative weight", l, W[l]);
  a.fbar = sqrt(fmax(W[0], 0.0));
  for (unsigned l = 1; l <= lmax; l++) {
    double w = fmax(W[l], 0.0);
    if (w == 0) continue;
    double rr = w / gdl_sphere_harmonic_dim(d, l);
    a.dist2 += w;
    a.cp += w * rr;
    if (rr > a.lambda) {
      a.lambda = rr;
      a.level = l;
    }
  }
  *out = a;
  return GDL_OK;
}

double gdl_sphere_orbit_expect(const double *Wf, const double *Wh, size_t d, unsigned lmax) {
  double s = 0.0;
  for (unsigned l = 1; l <= lmax; l++) s += Wf[l] * Wh[l] / gdl_sphere_harmonic_dim(d, l);
  return s;
}

double gdl_sphere_orbit_kernel(size_t d, const double *W, unsigned lmax, double t) {
  double P[GDL_SPHERE_MAX_DEG + 1], s = 0.0;
  if (lmax > GDL_SPHERE_MAX_DEG || d < 2) return NAN;
  geg_all(d, lmax, t, P);
  for (unsigned l = 1; l <= lmax; l++) s += W[l] * P[l];
  return s;
}

int gdl_sphere_kernel_matrix(size_t d, const double *W, unsigned lmax, double r, size_t m, const double *X,
                             double *K, double *Kx) {
  GDL_CHECK_ARG(W != NULL && X != NULL && K != NULL && m >= 1 && r > 0, "gdl_sphere_kernel_matrix: bad argument");
  GDL_CHECK_ARG(d >= 2 && lmax <= GDL_SPHERE_MAX_DEG, "gdl_sphere_kernel_matrix: d = %zu, lmax = %u", d, lmax);
  /* Gram matrix, then the kernel entrywise */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)m, (int)d, 1.0, X, (int)d, X, (int)d, 0.0, K,
              (int)m);
  const double ir2 = 1.0 / (r * r);
  for (size_t i = 0; i < m * m; i++) {
    double ip = K[i];
    double t = ip * ir2;
    if (t > 1.0) t = 1.0;
    if (t < -1.0) t = -1.0;
    K[i] = gdl_sphere_orbit_kernel(d, W, lmax, t);
    if (Kx) Kx[i] = K[i] * ip;
  }
  return GDL_OK;
}

/* sum_c B_c^T K B_c for the m x nb matrix B (row-major) */
static int quad_sum(size_t m, size_t nb, const double *K, const double *B, double *out) {
  double *KB = malloc(m * nb * sizeof *KB);
  if (!KB) return gdl_fail(GDL_ENOMEM, "gdl_sphere_ng_G: out of memory");
  cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, (int)m, (int)nb, 1.0, K, (int)m, B, (int)nb, 0.0, KB, (int)nb);
  *out = cblas_ddot((int)(m * nb), B, 1, KB, 1);
  free(KB);
  return GDL_OK;
}

int gdl_sphere_ng_G(gdl_net *net, size_t m, const double *X, const double *K, const double *Kx, int direct,
                    double *G, double *gradsq) {
  GDL_CHECK_ARG(net != NULL && X != NULL && K != NULL && G != NULL && m >= 1, "gdl_sphere_ng_G: NULL argument");
  const size_t P = net->nparams, d = net->spec.width[0], w1 = net->spec.width[1];
  if (!direct && (Kx == NULL || net->b_off[0] == (size_t)-1))
    return gdl_fail(GDL_EINVAL, "gdl_sphere_ng_G: the fast form needs Kx and a first-layer bias");
  double *J = malloc(m * P * sizeof *J), *B = NULL;
  int rc = GDL_OK;
  if (!J) return gdl_fail(GDL_ENOMEM, "gdl_sphere_ng_G: out of memory (%zu x %zu)", m, P);
  GDL_TRY_CLEANUP(gdl_net_per_example_grad(net, m, X, 0, J));
  if (gradsq) *gradsq = cblas_ddot((int)(m * P), J, 1, J, 1) / (double)m;
  double tot = 0.0;
  if (direct) {
    GDL_TRY_CLEANUP(quad_sum(m, P, K, J, &tot));
  } else {
    const size_t w0 = net->w_off[0], nw = d * w1, nb = P - nw, b0 = net->b_off[0];
    B = malloc(m * (nb > w1 ? nb : w1) * sizeof *B);
    if (!B) GDL_TRY_CLEANUP(gdl_fail(GDL_ENOMEM, "gdl_sphere_ng_G: out of memory"));
    for (size_t a = 0; a < m; a++) {
      size_t c = 0;
      for (size_t p = 0; p < P; p++)
        if (p < w0 || p >= w0 + nw) B[a * nb + c++] = J[a * P + p];
    }
    double t1 = 0.0, t2 = 0.0;
    GDL_TRY_CLEANUP(quad_sum(m, nb, K, B, &t1));
    for (size_t a = 0; a < m; a++)
      for (size_t u = 0; u < w1; u++) B[a * w1 + u] = J[a * P + b0 + u];
    GDL_TRY_CLEANUP(quad_sum(m, w1, Kx, B, &t2));
    tot = t1 + t2;
  }
  *G = tot / ((double)m * (double)m);
  if (!isfinite(*G)) rc = gdl_fail(GDL_EDIVERGED, "gdl_sphere_ng_G: non-finite G");
cleanup:
  free(J);
  free(B);
  return rc;
}
