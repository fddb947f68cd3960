/* sq_dimension.c: claim SQ1, certified SQ-dimension lower bounds (experiments/sq_dimension.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fft_complex.h>
#include "experiments/sq_dimension.h"

static const uint64_t quick_p[] = {31, 61, 127, 251, 509, 1021, 2039, 4093};
static const uint64_t full_p[] = {31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521};

static void config_grid(sq_dimension_config *c, const uint64_t *ps, size_t np, unsigned par_n) {
  *c = (sq_dimension_config){.np = np, .par_n = par_n};
  memcpy(c->p, ps, np * sizeof *ps);
}

void sq_dimension_config_default(sq_dimension_config *c) { config_grid(c, quick_p, GDL_EXP_COUNT(quick_p), 10); }

void sq_dimension_config_full(sq_dimension_config *c) { config_grid(c, full_p, GDL_EXP_COUNT(full_p), 12); }

int sq_dimension_config_json(const void *cfg, gdl_json *j) {
  const sq_dimension_config *c = cfg;
  GDL_TRY(gdl_exp_json_u64s(j, "p", c->np, c->p));
  GDL_TRY(gdl_json_int(j, "parity_n", (long long)c->par_n));
  GDL_TRY(gdl_json_str(j, "phi", "cos(2 pi y/p), y/p, y mod 2 (class-centred, normalised)"));
  GDL_TRY(gdl_json_str(j, "packing", "greedy in index order (primitive-root exponent / shift), bisection on d"));
  return GDL_OK;
}

const char *sqd_phi_name(sqd_phi f) {
  return f == SQD_PHI_COS ? "cos" : f == SQD_PHI_LINEAR ? "linear" : f == SQD_PHI_PARITY ? "parity" : "?";
}
const char *sqd_group_name(sqd_group g) { return g == SQD_MUL ? "mul" : g == SQD_ADD ? "add" : "?"; }

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return (uint64_t)((unsigned __int128)a * b % p); }
static uint64_t powmod(uint64_t a, uint64_t e, uint64_t p) {
  uint64_t r = 1 % p;
  a %= p;
  while (e) {
    if (e & 1) r = mulmod(r, a, p);
    a = mulmod(a, a, p);
    e >>= 1;
  }
  return r;
}

static int is_prime(uint64_t p) {
  if (p < 2) return 0;
  for (uint64_t q = 2; q * q <= p; q++)
    if (p % q == 0) return 0;
  return 1;
}

int sqd_primitive_root(uint64_t p, uint64_t *g) {
  GDL_CHECK_ARG(g != NULL, "sqd_primitive_root: g is NULL");
  GDL_CHECK_ARG(p >= 3 && p < ((uint64_t)1 << 32) && is_prime(p), "sqd_primitive_root: p = %llu is not an odd prime < 2^32",
                (unsigned long long)p);
  uint64_t f[64], nf = 0, m = p - 1;
  for (uint64_t q = 2; q * q <= m; q++)
    if (m % q == 0) {
      f[nf++] = q;
      while (m % q == 0) m /= q;
    }
  if (m > 1) f[nf++] = m;
  for (uint64_t c = 2; c < p; c++) {
    int ok = 1;
    for (uint64_t i = 0; i < nf && ok; i++)
      if (powmod(c, (p - 1) / f[i], p) == 1) ok = 0;
    if (ok) {
      *g = c;
      return GDL_OK;
    }
  }
  return gdl_fail(GDL_ENUMERIC, "sqd_primitive_root: none found for p = %llu", (unsigned long long)p);
}

int sqd_phi_table(sqd_phi f, uint64_t p, double *tab) {
  GDL_CHECK_ARG(tab != NULL && p >= 2, "sqd_phi_table: bad arguments");
  for (uint64_t y = 0; y < p; y++) {
    switch (f) {
      case SQD_PHI_COS: tab[y] = cos(2.0 * M_PI * (double)y / (double)p); break;
      case SQD_PHI_LINEAR: tab[y] = (double)y / (double)p; break;
      case SQD_PHI_PARITY: tab[y] = (double)(y & 1u); break;
      default: return gdl_fail(GDL_EINVAL, "sqd_phi_table: unknown profile %d", (int)f);
    }
  }
  return GDL_OK;
}

/* centred copy of phi: c[y] = phi[y] - mean */
static void centre(uint64_t p, const double *phi, double *c) {
  double m = 0;
  for (uint64_t y = 0; y < p; y++) m += phi[y];
  m /= (double)p;
  for (uint64_t y = 0; y < p; y++) c[y] = phi[y] - m;
}

/* C(k) = sum_i u_i u_{(i+k) mod N}, k < N, by a zero-padded radix-2 FFT. */
static int cyclic_autocorr(size_t N, const double *u, double *C) {
  size_t L = 1;
  while (L < 2 * N) L <<= 1;
  double *z = calloc(2 * L, sizeof *z);
  if (!z) return gdl_fail(GDL_ENOMEM, "sq_dimension: out of memory (FFT of length %zu)", L);
  for (size_t i = 0; i < N; i++) z[2 * i] = u[i];
  int rc = GDL_OK;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  if (gsl_fft_complex_radix2_forward(z, 1, L) != GSL_SUCCESS) {
    rc = gdl_fail(GDL_ENUMERIC, "sq_dimension: FFT failed (L = %zu)", L);
    goto out;
  }
  for (size_t i = 0; i < L; i++) {
    double re = z[2 * i], im = z[2 * i + 1];
    z[2 * i] = re * re + im * im;
    z[2 * i + 1] = 0;
  }
  if (gsl_fft_complex_radix2_inverse(z, 1, L) != GSL_SUCCESS) {
    rc = gdl_fail(GDL_ENUMERIC, "sq_dimension: inverse FFT failed (L = %zu)", L);
    goto out;
  }
  /* z[2k] = R_lin(k) = sum_i u_i u_{i+k} for 0 <= k < N; cyclic C(k) = R_lin(k) + R_lin(N - k) */
  for (size_t k = 0; k < N; k++) C[k] = z[2 * k] + (k ? z[2 * (N - k)] : 0.0);
out:
  gsl_set_error_handler(old);
  free(z);
  return rc;
}

int sqd_zp_row(uint64_t p, const double *phi, sqd_group grp, double *rho, uint64_t *gout) {
  GDL_CHECK_ARG(phi != NULL && rho != NULL, "sqd_zp_row: NULL argument");
  GDL_CHECK_ARG(grp == SQD_MUL || grp == SQD_ADD, "sqd_zp_row: unknown group %d", (int)grp);
  uint64_t g = 0;
  GDL_TRY(sqd_primitive_root(p, &g));
  if (gout) *gout = g;
  size_t N = grp == SQD_MUL ? (size_t)(p - 1) : (size_t)p;
  double *c = malloc(p * sizeof *c), *u = malloc(N * sizeof *u);
  int rc = GDL_OK;
  if (!c || !u) {
    rc = gdl_fail(GDL_ENOMEM, "sqd_zp_row: out of memory (p = %llu)", (unsigned long long)p);
    goto cleanup;
  }
  centre(p, phi, c);
  if (grp == SQD_MUL) {
    uint64_t y = 1;
    for (size_t i = 0; i < N; i++, y = mulmod(y, g, p)) u[i] = c[y];
  } else {
    memcpy(u, c, p * sizeof *u);
  }
  GDL_TRY_CLEANUP(cyclic_autocorr(N, u, rho));
  if (grp == SQD_MUL)
    for (size_t k = 0; k < N; k++) rho[k] += c[0] * c[0]; /* the point y = 0 */
  if (!(rho[0] > 0)) {
    rc = gdl_fail(GDL_EINVAL, "sqd_zp_row: phi is constant on Z_%llu (zero centred norm)", (unsigned long long)p);
    goto cleanup;
  }
  double r0 = rho[0];
  for (size_t k = 0; k < N; k++) rho[k] /= r0;
cleanup:
  GDL_FREE_ALL(c, u);
  return rc;
}

int sqd_zp_row_direct(uint64_t p, const double *phi, sqd_group grp, double *rho) {
  GDL_CHECK_ARG(phi != NULL && rho != NULL, "sqd_zp_row_direct: NULL argument");
  uint64_t g = 0;
  GDL_TRY(sqd_primitive_root(p, &g));
  size_t N = grp == SQD_MUL ? (size_t)(p - 1) : (size_t)p;
  double *c = malloc(p * sizeof *c);
  if (!c) return gdl_fail(GDL_ENOMEM, "sqd_zp_row_direct: out of memory");
  centre(p, phi, c);
  uint64_t gk = 1;
  for (size_t k = 0; k < N; k++) {
    double s = 0;
    /* member 0 is a = 1 (mul) or the shift 0 (add); member k is a = g^k or the shift k */
    for (uint64_t x = 0; x < p; x++)
      s += grp == SQD_MUL ? c[x] * c[mulmod(gk, x, p)] : c[x] * c[(x + k) % p];
    rho[k] = s;
    gk = mulmod(gk, g, p);
  }
  double r0 = rho[0];
  for (size_t k = 0; k < N; k++) rho[k] /= r0;
  free(c);
  return GDL_OK;
}

/* greedy for a target d on a circulant: 1 if it reaches d. */
static size_t greedy_circ(size_t N, const double *rho, size_t d, const size_t *bad, size_t nbad, unsigned char *forb,
                          size_t *chosen) {
  (void)rho;
  memset(forb, 0, N);
  size_t cnt = 0;
  for (size_t k = 0; k < N && cnt < d; k++) {
    if (forb[k]) continue;
    chosen[cnt++] = k;
    for (size_t b = 0; b < nbad; b++) forb[(k + bad[b]) % N] = 1;
  }
  return cnt;
}

/* the inner product of two members of a packing: a circulant (N, rho) or a Gram matrix (N, G) */
typedef struct {
  size_t N;
  const double *rho, *G;
} sqd_inner;

static double sqd_inner_abs(const sqd_inner *in, size_t a, size_t b) {
  return fabs(in->rho ? in->rho[(b - a) % in->N] : in->G[a * in->N + b]);
}

/* re-checks the certificate pairwise: max |<h_i, h_j>| over the d chosen members (best[0] <
 * best[1] < ...) must be <= 1/d; fills out->nmembers, d, maxoff */
static int sqd_certify(const char *who, const sqd_inner *in, size_t d, const size_t *best, sqd_result *out) {
  double maxoff = 0;
  for (size_t i = 0; i < d; i++)
    for (size_t j = i + 1; j < d; j++) maxoff = fmax(maxoff, sqd_inner_abs(in, best[i], best[j]));
  if (d > 1 && maxoff > 1.0 / (double)d)
    return gdl_fail(GDL_ENUMERIC, "%s: certificate fails (max %g > 1/%zu)", who, maxoff, d);
  out->nmembers = in->N;
  out->d = d;
  out->maxoff = maxoff;
  out->nbad1 = 0;
  return GDL_OK;
}

static double offmass_circ(size_t N, const double *rho) {
  double s = 0;
  for (size_t k = 1; k < N; k++) s += rho[k] * rho[k];
  return N > 1 ? s / (double)(N - 1) : 0.0;
}

/* The largest d for which greedy(d) picks d members pairwise within 1/d (binary search over d;
 * d = 1 is always certified): returns d, the members in best[0 .. d). chosen: scratch of N. */
typedef size_t (*sqd_greedy_fn)(void *ctx, size_t d, size_t *chosen);
static size_t sqd_largest_packing(size_t N, sqd_greedy_fn greedy, void *ctx, size_t *chosen, size_t *best) {
  size_t lo = 1, hi = N, bestd = 1;
  best[0] = 0;
  while (lo < hi) {
    size_t d = lo + (hi - lo + 1) / 2;
    if (greedy(ctx, d, chosen) >= d) {
      lo = d;
      bestd = d;
      memcpy(best, chosen, d * sizeof *best);
    } else {
      hi = d - 1;
    }
  }
  return bestd;
}

typedef struct {
  size_t N;
  const double *rho;
  size_t *bad;
  unsigned char *forb;
} circ_ctx;

static size_t greedy_circ_d(void *vctx, size_t d, size_t *chosen) {
  circ_ctx *c = vctx;
  double eps = 1.0 / (double)d;
  size_t nbad = 0;
  for (size_t k = 1; k < c->N; k++)
    if (fabs(c->rho[k]) > eps) c->bad[nbad++] = k;
  return greedy_circ(c->N, c->rho, d, c->bad, nbad, c->forb, chosen);
}

int sqd_pack_circulant(size_t N, const double *rho, size_t *chosen_out, sqd_result *out) {
  GDL_CHECK_ARG(N >= 1 && rho != NULL && out != NULL, "sqd_pack_circulant: bad arguments");
  size_t *bad = malloc(N * sizeof *bad), *chosen = malloc(N * sizeof *chosen), *best = malloc(N * sizeof *best);
  unsigned char *forb = malloc(N);
  int rc = GDL_OK;
  if (!bad || !chosen || !best || !forb) {
    rc = gdl_fail(GDL_ENOMEM, "sqd_pack_circulant: out of memory (N = %zu)", N);
    goto cleanup;
  }
  circ_ctx cc = {N, rho, bad, forb};
  size_t bestd = sqd_largest_packing(N, greedy_circ_d, &cc, chosen, best);
  const sqd_inner in = {N, rho, NULL};
  GDL_TRY_CLEANUP(sqd_certify("sqd_pack_circulant", &in, bestd, best, out));
  for (size_t k = 1; k < N; k++)
    if (fabs(rho[k]) > 0.5) out->nbad1++;
  out->offmass = offmass_circ(N, rho);
  if (chosen_out) memcpy(chosen_out, best, bestd * sizeof *best);
cleanup:
  GDL_FREE_ALL(bad, chosen, best, forb);
  return rc;
}

typedef struct {
  size_t N;
  const double *G;
} gram_ctx;

/* members in index order, each kept when within 1/d of every member kept before it */
static size_t greedy_gram_d(void *vctx, size_t d, size_t *chosen) {
  const gram_ctx *g = vctx;
  double eps = 1.0 / (double)d;
  size_t cnt = 0;
  for (size_t k = 0; k < g->N && cnt < d; k++) {
    int ok = 1;
    for (size_t s = 0; s < cnt && ok; s++)
      if (fabs(g->G[k * g->N + chosen[s]]) > eps) ok = 0;
    if (ok) chosen[cnt++] = k;
  }
  return cnt;
}

int sqd_pack_gram(size_t N, const double *G, size_t *chosen_out, sqd_result *out) {
  GDL_CHECK_ARG(N >= 1 && G != NULL && out != NULL, "sqd_pack_gram: bad arguments");
  size_t *chosen = malloc(N * sizeof *chosen), *best = malloc(N * sizeof *best);
  int rc = GDL_OK;
  if (!chosen || !best) {
    rc = gdl_fail(GDL_ENOMEM, "sqd_pack_gram: out of memory (N = %zu)", N);
    goto cleanup;
  }
  gram_ctx gc = {N, G};
  size_t bestd = sqd_largest_packing(N, greedy_gram_d, &gc, chosen, best);
  const sqd_inner in = {N, NULL, G};
  GDL_TRY_CLEANUP(sqd_certify("sqd_pack_gram", &in, bestd, best, out));
  double mass = 0;
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++)
      if (i != j) {
        mass += G[i * N + j] * G[i * N + j];
        if (fabs(G[i * N + j]) > 0.5) out->nbad1++;
      }
  out->offmass = N > 1 ? mass / ((double)N * (double)(N - 1)) : 0.0;
  if (chosen_out) memcpy(chosen_out, best, bestd * sizeof *best);
cleanup:
  GDL_FREE_ALL(chosen, best);
  return rc;
}

int sqd_zp_point(uint64_t p, sqd_phi f, sqd_group grp, sqd_result *out) {
  GDL_CHECK_ARG(out != NULL, "sqd_zp_point: out is NULL");
  size_t N = grp == SQD_MUL ? (size_t)(p - 1) : (size_t)p;
  double *phi = malloc(p * sizeof *phi), *rho = malloc((N ? N : 1) * sizeof *rho);
  int rc = GDL_OK;
  if (!phi || !rho) {
    rc = gdl_fail(GDL_ENOMEM, "sqd_zp_point: out of memory");
    goto cleanup;
  }
  GDL_TRY_CLEANUP(sqd_phi_table(f, p, phi));
  GDL_TRY_CLEANUP(sqd_zp_row(p, phi, grp, rho, NULL));
  GDL_TRY_CLEANUP(sqd_pack_circulant(N, rho, NULL, out));
cleanup:
  GDL_FREE_ALL(phi, rho);
  return rc;
}

static int cube_point(unsigned n, unsigned k, int conj, sqd_result *out) {
  GDL_CHECK_ARG(out != NULL && n >= 1 && n <= 12 && k <= n, "sqd_parity_point: need 1 <= n <= 12, k <= n");
  GDL_CHECK_ARG(!conj || k >= 1, "sqd_conj_point: need k >= 1");
  size_t M = (size_t)1 << n;
  /* the k-subsets as bit masks */
  size_t N = 0;
  for (size_t S = 0; S < M; S++)
    if ((unsigned)__builtin_popcountll(S) == k) N++;
  size_t *sets = malloc(N * sizeof *sets);
  double *chi = malloc(N * M * sizeof *chi), *G = malloc(N * N * sizeof *G);
  int rc = GDL_OK;
  if (!sets || !chi || !G) {
    rc = gdl_fail(GDL_ENOMEM, "sqd_parity_point: out of memory (n = %u, k = %u)", n, k);
    goto cleanup;
  }
  N = 0;
  for (size_t S = 0; S < M; S++)
    if ((unsigned)__builtin_popcountll(S) == k) sets[N++] = S;
  /* chi_S(x) = prod_{j in S} x_j at every point x of the cube (x_j = -1 iff bit j of i) */
  for (size_t h = 0; h < N; h++)
    for (size_t i = 0; i < M; i++) {
      double v = 1;
      if (conj) {
        v = (i & sets[h]) == sets[h] ? 1.0 : 0.0;
        v -= ldexp(1.0, -(int)k); /* centred by the common mean 2^-k */
      } else {
        for (unsigned j = 0; j < n; j++)
          if ((sets[h] >> j & 1u) && (i >> j & 1u)) v = -v;
      }
      chi[h * M + i] = v;
    }
  /* exact Gram E_x chi_S chi_T (degree 0: the constant, not centred; else every chi_S has
   * mean 0, so centring changes nothing) */
  for (size_t a = 0; a < N; a++)
    for (size_t b = a; b < N; b++) {
      double s = 0;
      for (size_t i = 0; i < M; i++) s += chi[a * M + i] * chi[b * M + i];
      G[a * N + b] = G[b * N + a] = s / (double)M;
    }
  if (conj) { /* normalise (every member has the same norm) */
    double g0 = G[0];
    for (size_t i = 0; i < N * N; i++) G[i] /= g0;
  }
  GDL_TRY_CLEANUP(sqd_pack_gram(N, G, NULL, out));
cleanup:
  GDL_FREE_ALL(sets, chi, G);
  return rc;
}

double sqd_query_lower_bound(size_t d, double tau) {
  if (d < 1 || !(tau > 0)) return NAN;
  return ((double)d - 1.0) * tau * tau / 2.0;
}

int sqd_parity_point(unsigned n, unsigned k, sqd_result *out) { return cube_point(n, k, 0, out); }
int sqd_conj_point(unsigned n, unsigned k, sqd_result *out) { return cube_point(n, k, 1, out); }

size_t sqd_mass_guarantee(size_t N, double M) {
  size_t d = 1;
  while ((double)(d + 1) * (1.0 + M * (double)(d + 1) * (double)(d + 1)) <= (double)N) d++;
  return d;
}

const char *const sq_dimension_columns[SQD_NCOLS] = {"group", "phi", "p", "k", "members", "d", "maxoff", "offmass",
                                                     "guarantee"};

size_t sq_dimension_npoints(const sq_dimension_config *c) { return c->np + 1; }

int sq_dimension_write_point(const sq_dimension_config *c, size_t i, const char *path) {
  GDL_CHECK_ARG(c != NULL && path != NULL && i <= c->np, "sq_dimension_write_point: bad arguments");
  /* a Z_p point: a row per (group, phi); the parity point: a row per degree k <= par_n and per
   * conjugate degree k >= 1 (cube_point refuses par_n > 12 before the first row) */
  double rows[2 * 12 + 1][SQD_NCOLS];
  size_t n = 0;
  sqd_result r;
  if (i < c->np) {
    uint64_t p = c->p[i];
    for (int g = 0; g < SQD_NGROUP; g++)
      for (int f = 0; f < SQD_NPHI; f++) {
        GDL_TRY(sqd_zp_point(p, (sqd_phi)f, (sqd_group)g, &r));
        double M = r.offmass * (double)(r.nmembers - 1);
        double row[SQD_NCOLS] = {g, f, (double)p, 1, (double)r.nmembers, (double)r.d, r.maxoff, r.offmass,
                                 (double)sqd_mass_guarantee(r.nmembers, M)};
        memcpy(rows[n++], row, sizeof row);
      }
  } else {
    for (int conj = 0; conj < 2; conj++)
      for (unsigned k = conj ? 1 : 0; k <= c->par_n; k++) {
        GDL_TRY(cube_point(c->par_n, k, conj, &r));
        double row[SQD_NCOLS] = {2 + conj, -1, c->par_n, k, (double)r.nmembers, (double)r.d, r.maxoff, r.offmass, NAN};
        memcpy(rows[n++], row, sizeof row);
      }
  }
  return gdl_csv_write(path, SQD_NCOLS, sq_dimension_columns, n, &rows[0][0]);
}
