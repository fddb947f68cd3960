/* experiments/sq_dimension.h: claim SQ1, certified lower bounds on the statistical-query
 * dimension of the hard classes (theorems/sq_dimension.md).
 *
 * A packing of size d is d class members whose normalised, class-centred Gram entries satisfy
 * |<h_i, h_j>| <= 1/d for i != j (unit norm after centring by the common mean); it certifies
 * SQdim >= d. Everything is exact on the input law (x uniform on Z_p, or on {-1,+1}^n):
 *   - multiplicative class {phi(a x mod p) : a in Z_p^*}: <h_a, h_b> depends only on b a^-1;
 *     with a = g^i for a primitive root g it is a circulant in j - i, one row by a cyclic
 *     autocorrelation (GSL radix-2 FFT, zero padded), O(p log p);
 *   - additive control {phi(x + a mod p) : a in Z_p}: a circulant in b - a (the
 *     autocorrelation of phi), same routine;
 *   - parities chi_S, |S| = k, on {-1,+1}^n: the explicit Gram by enumeration of 2^n points.
 * The packing is greedy (members in index order, a member is taken when its entries with all
 * taken ones are <= 1/d in absolute value) for a target d, and the largest d found by bisection
 * for which the greedy set reaches d is returned; the chosen set is re-checked pairwise. */
#ifndef GDL_EXPERIMENTS_SQ_DIMENSION_H
#define GDL_EXPERIMENTS_SQ_DIMENSION_H

#include <stddef.h>
#include <stdint.h>
#include "experiments/experiment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SQD_PHI_COS = 0, SQD_PHI_LINEAR, SQD_PHI_PARITY, SQD_NPHI } sqd_phi; /* cos 2 pi y/p, y/p, y mod 2 */
typedef enum { SQD_MUL = 0, SQD_ADD, SQD_NGROUP } sqd_group;

#define SQD_MAXP 32
#define SQD_MAXK 24
typedef struct {
  size_t np;
  uint64_t p[SQD_MAXP];   /* primes, increasing */
  unsigned par_n;         /* parities on {-1,+1}^par_n, degrees 0..par_n */
} sq_dimension_config;

/* Quick defaults (the theorem test): p = 31 .. 4093, parities n = 10. */
void sq_dimension_config_default(sq_dimension_config *c);
/* Paper-scale grid of the sweep's --full mode (p up to 65521, n = 12). */
void sq_dimension_config_full(sq_dimension_config *c);
int sq_dimension_config_json(const void *cfg, gdl_json *j);

typedef struct {
  size_t nmembers;   /* class size (p - 1 multiplicative, p additive, C(n,k) parities) */
  size_t d;          /* certified packing size */
  double maxoff;     /* largest |<h_i,h_j>| (normalised) over the chosen pairs: <= 1/d */
  size_t nbad1;      /* number of lags with |rho| > 1/2 (large off-diagonal entries) */
  double offmass;    /* mean of rho^2 over the off-diagonal lags (Gram off-diagonal mass) */
} sqd_result;

/* Normalised, class-centred Gram row of the Z_p class: rho[k], k < N (N = p - 1 for
 * SQD_MUL, indexed by the exponent of the primitive root g; N = p for SQD_ADD), rho[0] = 1.
 * phi: table of p values. g (may be NULL) receives the primitive root used. */
int sqd_zp_row(uint64_t p, const double *phi, sqd_group grp, double *rho, uint64_t *g);
/* The same row by direct summation, O(p^2) (reference for the tests). */
int sqd_zp_row_direct(uint64_t p, const double *phi, sqd_group grp, double *rho);
/* Smallest primitive root mod the prime p. */
int sqd_primitive_root(uint64_t p, uint64_t *g);
/* phi table for a profile. */
int sqd_phi_table(sqd_phi f, uint64_t p, double *tab);

/* Greedy packing on a circulant row (symmetric: rho[k] = rho[N - k]). chosen (may be NULL,
 * length >= N) receives the chosen indices. */
int sqd_pack_circulant(size_t N, const double *rho, size_t *chosen, sqd_result *out);
/* Greedy packing on an explicit normalised Gram (N x N, row-major, unit diagonal). */
int sqd_pack_gram(size_t N, const double *G, size_t *chosen, sqd_result *out);

/* One Z_p point: class (phi, grp) at modulus p. */
int sqd_zp_point(uint64_t p, sqd_phi f, sqd_group grp, sqd_result *out);
/* Parities of degree k on {-1,+1}^n (explicit Gram by enumeration, n <= 12). */
int sqd_parity_point(unsigned n, unsigned k, sqd_result *out);
/* Control on the cube: the conjunctions AND_S(x) = 1[x_j = -1 for all j in S], |S| = k, centred
 * by their common mean 2^-k (overlapping supports correlate: a small packing). */
int sqd_conj_point(unsigned n, unsigned k, sqd_result *out);
/* The guarantee of theorems/sq_dimension.md for a circulant row: with M = sum_{k != 0} rho_k^2,
 * the greedy packing has size >= the largest d with d (1 + M d^2) <= N. */
size_t sqd_mass_guarantee(size_t N, double M);

/* ---- the points of the sweep (shared with the test: experiments.sq_dimension.same_as_test) ----
 * Point i < cfg->np: the six Z_p classes (mul/add x cos/linear/parity) at p = cfg->p[i];
 * point cfg->np: parities and conjunctions of every degree on {-1,+1}^par_n. npoints = np + 1.
 * Writes the rows "group,phi,p,k,members,d,maxoff,offmass,guarantee" (group 0 mul, 1 add,
 * 2 parity, 3 conjunction; phi index for Z_p, -1 on the cube; p = n on the cube, k the degree). */
size_t sq_dimension_npoints(const sq_dimension_config *c);
int sq_dimension_write_point(const sq_dimension_config *c, size_t i, const char *path);
#define SQD_NCOLS 9
extern const char *const sq_dimension_columns[SQD_NCOLS];

/* The number of correlational statistical queries of tolerance tau needed to identify a
 * member of a packing of size d (theorems/sq_dimension.md): q >= (d - 1) tau^2 / 2. */
double sqd_query_lower_bound(size_t d, double tau);

const char *sqd_phi_name(sqd_phi f);
const char *sqd_group_name(sqd_group g);

#ifdef __cplusplus
}
#endif
#endif
