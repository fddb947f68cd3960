/* gdl/domain.h: input laws.
 *
 * A domain knows its input dimension (the width of a row of X) and how to sample
 * it; finite domains (hypercube, Z_p) also enumerate every point with its
 * probability. Rows are row-major: X[i*dim + j]. */
#ifndef GDL_DOMAIN_H
#define GDL_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  GDL_DOMAIN_CUBE = 0,      /* uniform on {-1,+1}^n */
  GDL_DOMAIN_SPHERE,        /* uniform on the sphere of radius sqrt(n) in R^n */
  GDL_DOMAIN_GAUSSIAN,      /* N(0, I_n) */
  GDL_DOMAIN_INTERVAL,      /* uniform on [lo, hi]^n */
  GDL_DOMAIN_ZP_BITS,       /* x uniform on Z_p, encoded as ceil(log2 p) bits in {-1,+1} (LSB first) */
  GDL_DOMAIN_ZP_SCALAR      /* x uniform on Z_p, encoded as the scalar 2x/p - 1 */
} gdl_domain_kind;

#define GDL_CUBE_MAX_ENUM 24  /* 2^24 points at most are enumerated */
#define GDL_ZP_MAX_ENUM ((uint64_t)1 << 24)  /* Z_p is enumerated for p <= 2^24 */
#define GDL_ZP_MAX_P ((uint64_t)1 << 40)     /* largest accepted modulus */
/* Bit encoding of Z_p: bit j of x (LSB first) b_j in {0,1} is written as (-1)^b_j, the
 * same convention as the cube (so Z_{2^n} with bits enumerates like {-1,+1}^n).
 * Absurd dimensions (n > 2^24) are rejected with GDL_ERANGE; m = 0 rows with GDL_EINVAL. */

typedef struct {
  gdl_domain_kind kind;
  size_t n;       /* ambient dimension for CUBE/SPHERE/GAUSSIAN/INTERVAL */
  uint64_t p;     /* modulus for ZP_* (p >= 2) */
  double lo, hi;  /* INTERVAL bounds */
} gdl_domain;

/* Constructors (validate arguments). */
int gdl_domain_cube(size_t n, gdl_domain *d);
int gdl_domain_sphere(size_t n, gdl_domain *d);
int gdl_domain_gaussian(size_t n, gdl_domain *d);
int gdl_domain_interval(size_t n, double lo, double hi, gdl_domain *d);
int gdl_domain_zp(uint64_t p, int bits_encoding, gdl_domain *d);

/* Width of one encoded input row. */
size_t gdl_domain_dim(const gdl_domain *d);
/* 1 if the domain is finite and small enough to enumerate. */
int gdl_domain_is_finite(const gdl_domain *d);
const char *gdl_domain_name(const gdl_domain *d);

/* Draw m i.i.d. points into X (m x dim). For ZP_* the integer values are written to
 * `ints` if non-NULL (length m). */
int gdl_domain_sample(const gdl_domain *d, gsl_rng *r, size_t m, double *X, uint64_t *ints);

/* Number of points of a finite domain (2^n for CUBE, p for ZP_*). */
int gdl_domain_size(const gdl_domain *d, size_t *m);
/* Every point (X: size x dim) with its probability w (sums to 1; may be NULL). For the
 * cube, row i has x_j = (i >> j & 1) ? -1 : +1 (so chi_S(x_i) = (-1)^popcount(i & S)).
 * For Z_p, row i encodes x = i and ints[i] = i if ints != NULL. */
int gdl_domain_enumerate(const gdl_domain *d, double *X, double *w, uint64_t *ints);

/* Encode integers x in Z_p into rows of X according to the domain's encoding. */
int gdl_domain_zp_encode(const gdl_domain *d, size_t m, const uint64_t *ints, double *X);
/* Inverse of gdl_domain_zp_encode: a row that is not a valid encoding is GDL_EINVAL. */
int gdl_domain_zp_decode(const gdl_domain *d, size_t m, const double *X, uint64_t *ints);

#ifdef __cplusplus
}
#endif
#endif
