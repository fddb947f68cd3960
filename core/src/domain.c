/* domain.c: input laws (hypercube, sphere, Gaussian, interval, Z_p encodings). */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "gdl/domain.h"
#include "gdl/error.h"

/* Largest accepted ambient dimension (absurd beyond). */
#define DOMAIN_MAX_DIM ((size_t)1 << 24)

static size_t bitlen_u64(uint64_t v) {
  size_t b = 0;
  while (v) { b++; v >>= 1; }
  return b;
}

static int check_dim(const char *fn, size_t n) {
  if (n == 0) return gdl_fail(GDL_EINVAL, "%s: dimension n must be >= 1 (got 0)", fn);
  if (n > DOMAIN_MAX_DIM)
    return gdl_fail(GDL_ERANGE, "%s: dimension n = %zu exceeds the supported maximum %zu", fn, n,
                    (size_t)DOMAIN_MAX_DIM);
  return GDL_OK;
}

static void init_domain(gdl_domain *d, gdl_domain_kind kind, size_t n) {
  memset(d, 0, sizeof *d);
  d->kind = kind;
  d->n = n;
}

int gdl_domain_cube(size_t n, gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "gdl_domain_cube: d is NULL");
  GDL_TRY(check_dim("gdl_domain_cube", n));
  init_domain(d, GDL_DOMAIN_CUBE, n);
  return GDL_OK;
}

int gdl_domain_sphere(size_t n, gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "gdl_domain_sphere: d is NULL");
  GDL_TRY(check_dim("gdl_domain_sphere", n));
  init_domain(d, GDL_DOMAIN_SPHERE, n);
  return GDL_OK;
}

int gdl_domain_gaussian(size_t n, gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "gdl_domain_gaussian: d is NULL");
  GDL_TRY(check_dim("gdl_domain_gaussian", n));
  init_domain(d, GDL_DOMAIN_GAUSSIAN, n);
  return GDL_OK;
}

int gdl_domain_interval(size_t n, double lo, double hi, gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "gdl_domain_interval: d is NULL");
  GDL_TRY(check_dim("gdl_domain_interval", n));
  GDL_CHECK_ARG(isfinite(lo) && isfinite(hi) && lo < hi,
                "gdl_domain_interval: need finite lo < hi (got lo=%g, hi=%g)", lo, hi);
  GDL_CHECK_ARG(isfinite(hi - lo), "gdl_domain_interval: hi - lo overflows (lo=%g, hi=%g)", lo, hi);
  init_domain(d, GDL_DOMAIN_INTERVAL, n);
  d->lo = lo;
  d->hi = hi;
  return GDL_OK;
}

int gdl_domain_zp(uint64_t p, int bits_encoding, gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "gdl_domain_zp: d is NULL");
  GDL_CHECK_ARG(p >= 2, "gdl_domain_zp: modulus p must be >= 2 (got %llu)", (unsigned long long)p);
  if (p > GDL_ZP_MAX_P)
    return gdl_fail(GDL_ERANGE, "gdl_domain_zp: modulus p = %llu exceeds the supported maximum 2^40",
                    (unsigned long long)p);
  init_domain(d, bits_encoding ? GDL_DOMAIN_ZP_BITS : GDL_DOMAIN_ZP_SCALAR, 0);
  d->p = p;
  d->n = gdl_domain_dim(d);
  return GDL_OK;
}

static int domain_valid(const gdl_domain *d) {
  switch (d->kind) {
    case GDL_DOMAIN_CUBE:
    case GDL_DOMAIN_SPHERE:
    case GDL_DOMAIN_GAUSSIAN:
      return d->n >= 1 && d->n <= DOMAIN_MAX_DIM;
    case GDL_DOMAIN_INTERVAL:
      return d->n >= 1 && d->n <= DOMAIN_MAX_DIM && isfinite(d->lo) && isfinite(d->hi) && d->lo < d->hi;
    case GDL_DOMAIN_ZP_BITS:
    case GDL_DOMAIN_ZP_SCALAR:
      return d->p >= 2 && d->p <= GDL_ZP_MAX_P;
  }
  return 0;
}

static int check_domain(const char *fn, const gdl_domain *d) {
  GDL_CHECK_ARG(d != NULL, "%s: domain is NULL", fn);
  GDL_CHECK_ARG(domain_valid(d), "%s: invalid domain (kind %d, n %zu, p %llu)", fn, (int)d->kind, d->n,
                (unsigned long long)d->p);
  return GDL_OK;
}

size_t gdl_domain_dim(const gdl_domain *d) {
  if (!d) return 0;
  switch (d->kind) {
    case GDL_DOMAIN_CUBE:
    case GDL_DOMAIN_SPHERE:
    case GDL_DOMAIN_GAUSSIAN:
    case GDL_DOMAIN_INTERVAL:
      return d->n;
    case GDL_DOMAIN_ZP_BITS:
      return d->p >= 2 ? bitlen_u64(d->p - 1) : 0;
    case GDL_DOMAIN_ZP_SCALAR:
      return 1;
  }
  return 0;
}

int gdl_domain_is_finite(const gdl_domain *d) {
  if (!d || !domain_valid(d)) return 0;
  switch (d->kind) {
    case GDL_DOMAIN_CUBE:
      return d->n <= GDL_CUBE_MAX_ENUM;
    case GDL_DOMAIN_ZP_BITS:
    case GDL_DOMAIN_ZP_SCALAR:
      return d->p <= GDL_ZP_MAX_ENUM;
    default:
      return 0;
  }
}

const char *gdl_domain_name(const gdl_domain *d) {
  if (!d) return "(null)";
  switch (d->kind) {
    case GDL_DOMAIN_CUBE: return "cube";
    case GDL_DOMAIN_SPHERE: return "sphere";
    case GDL_DOMAIN_GAUSSIAN: return "gaussian";
    case GDL_DOMAIN_INTERVAL: return "interval";
    case GDL_DOMAIN_ZP_BITS: return "zp-bits";
    case GDL_DOMAIN_ZP_SCALAR: return "zp-scalar";
  }
  return "unknown";
}

/* Uniform integer in [0, p) for any p >= 1 (p <= 2^52 here), from 32-bit draws when the
 * generator is a full 32-bit one, otherwise from gsl_rng_uniform_int. */
static uint64_t uniform_u64(gsl_rng *r, uint64_t p) {
  if (p <= gsl_rng_max(r) - gsl_rng_min(r)) return (uint64_t)gsl_rng_uniform_int(r, (unsigned long)p);
  /* two 26-bit halves (works for every GSL generator with >= 26 bits of range) */
  const uint64_t range = (uint64_t)1 << 52;
  const uint64_t lim = range - range % p;
  for (;;) {
    uint64_t hi = (uint64_t)gsl_rng_uniform_int(r, 1ul << 26);
    uint64_t lo = (uint64_t)gsl_rng_uniform_int(r, 1ul << 26);
    uint64_t v = (hi << 26) | lo;
    if (v < lim) return v % p;
  }
}

static int check_rows(const char *fn, size_t m, size_t dim) {
  if (m == 0) return gdl_fail(GDL_EINVAL, "%s: number of rows m must be >= 1 (got 0)", fn);
  if (dim != 0 && m > (SIZE_MAX / sizeof(double)) / dim)
    return gdl_fail(GDL_ERANGE, "%s: m = %zu rows of width %zu overflow the address space", fn, m, dim);
  return GDL_OK;
}

static void encode_one(const gdl_domain *d, uint64_t x, double *row) {
  if (d->kind == GDL_DOMAIN_ZP_BITS) {
    size_t b = gdl_domain_dim(d);
    for (size_t j = 0; j < b; j++) row[j] = ((x >> j) & 1u) ? -1.0 : 1.0;
  } else {
    row[0] = 2.0 * (double)x / (double)d->p - 1.0;
  }
}

int gdl_domain_sample(const gdl_domain *d, gsl_rng *r, size_t m, double *X, uint64_t *ints) {
  GDL_TRY(check_domain("gdl_domain_sample", d));
  GDL_CHECK_ARG(r != NULL, "gdl_domain_sample: rng is NULL");
  GDL_CHECK_ARG(X != NULL, "gdl_domain_sample: X is NULL");
  const size_t dim = gdl_domain_dim(d);
  GDL_TRY(check_rows("gdl_domain_sample", m, dim));
  const size_t total = m * dim;
  switch (d->kind) {
    case GDL_DOMAIN_CUBE: {
      const int full32 = gsl_rng_min(r) == 0 && gsl_rng_max(r) == 0xffffffffUL;
      if (full32) {
        size_t k = 0;
        while (k < total) {
          unsigned long bits = gsl_rng_get(r);
          for (int b = 0; b < 32 && k < total; b++, k++) X[k] = ((bits >> b) & 1u) ? -1.0 : 1.0;
        }
      } else {
        for (size_t k = 0; k < total; k++) X[k] = gsl_rng_uniform_int(r, 2) ? -1.0 : 1.0;
      }
      break;
    }
    case GDL_DOMAIN_GAUSSIAN:
      for (size_t k = 0; k < total; k++) X[k] = gsl_ran_gaussian_ziggurat(r, 1.0);
      break;
    case GDL_DOMAIN_SPHERE: {
      const double rad = sqrt((double)dim);
      for (size_t i = 0; i < m; i++) {
        double *row = X + i * dim;
        double s2;
        do {
          s2 = 0.0;
          for (size_t j = 0; j < dim; j++) {
            row[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
            s2 += row[j] * row[j];
          }
        } while (!(s2 > 1e-300));
        if (dim == 1) {  /* the sphere of radius 1 in R^1 is {-1, +1}: exact */
          row[0] = row[0] < 0 ? -1.0 : 1.0;
          continue;
        }
        const double sc = rad / sqrt(s2);
        for (size_t j = 0; j < dim; j++) row[j] *= sc;
      }
      break;
    }
    case GDL_DOMAIN_INTERVAL: {
      const double w = d->hi - d->lo;
      for (size_t k = 0; k < total; k++) X[k] = d->lo + w * gsl_rng_uniform(r);
      break;
    }
    case GDL_DOMAIN_ZP_BITS:
    case GDL_DOMAIN_ZP_SCALAR:
      for (size_t i = 0; i < m; i++) {
        uint64_t x = uniform_u64(r, d->p);
        encode_one(d, x, X + i * dim);
        if (ints) ints[i] = x;
      }
      break;
  }
  return GDL_OK;
}

int gdl_domain_size(const gdl_domain *d, size_t *m) {
  GDL_TRY(check_domain("gdl_domain_size", d));
  GDL_CHECK_ARG(m != NULL, "gdl_domain_size: m is NULL");
  switch (d->kind) {
    case GDL_DOMAIN_CUBE:
      if (d->n > GDL_CUBE_MAX_ENUM)
        return gdl_fail(GDL_ERANGE, "gdl_domain_size: cube of dimension %zu has 2^%zu points; at most 2^%d are enumerated",
                        d->n, d->n, GDL_CUBE_MAX_ENUM);
      *m = (size_t)1 << d->n;
      return GDL_OK;
    case GDL_DOMAIN_ZP_BITS:
    case GDL_DOMAIN_ZP_SCALAR:
      if (d->p > GDL_ZP_MAX_ENUM)
        return gdl_fail(GDL_ERANGE, "gdl_domain_size: Z_p with p = %llu is too large to enumerate (max %llu)",
                        (unsigned long long)d->p, (unsigned long long)GDL_ZP_MAX_ENUM);
      *m = (size_t)d->p;
      return GDL_OK;
    default:
      return gdl_fail(GDL_EINVAL, "gdl_domain_size: the %s domain is not finite", gdl_domain_name(d));
  }
}

int gdl_domain_enumerate(const gdl_domain *d, double *X, double *w, uint64_t *ints) {
  GDL_TRY(check_domain("gdl_domain_enumerate", d));
  GDL_CHECK_ARG(X != NULL, "gdl_domain_enumerate: X is NULL");
  size_t m;
  int rc = gdl_domain_size(d, &m);
  if (rc != GDL_OK) {
    if (rc == GDL_EINVAL)
      return gdl_fail(GDL_EINVAL, "gdl_domain_enumerate: the %s domain is not finite", gdl_domain_name(d));
    return rc;
  }
  const size_t dim = gdl_domain_dim(d);
  const double wi = 1.0 / (double)m;
  if (d->kind == GDL_DOMAIN_CUBE) {
    for (size_t i = 0; i < m; i++) {
      double *row = X + i * dim;
      for (size_t j = 0; j < dim; j++) row[j] = ((i >> j) & 1u) ? -1.0 : 1.0;
    }
  } else {
    for (size_t i = 0; i < m; i++) {
      encode_one(d, (uint64_t)i, X + i * dim);
      if (ints) ints[i] = (uint64_t)i;
    }
  }
  if (w)
    for (size_t i = 0; i < m; i++) w[i] = wi;
  return GDL_OK;
}

/* The argument checks of the Z_p encoder and decoder (fn: the caller's name); *dim = the row width. */
static int check_zp_args(const char *fn, const gdl_domain *d, size_t m, const void *X, const uint64_t *ints,
                         size_t *dim) {
  GDL_TRY(check_domain(fn, d));
  GDL_CHECK_ARG(d->kind == GDL_DOMAIN_ZP_BITS || d->kind == GDL_DOMAIN_ZP_SCALAR, "%s: the %s domain is not Z_p", fn,
                gdl_domain_name(d));
  GDL_CHECK_ARG(ints != NULL, "%s: ints is NULL", fn);
  GDL_CHECK_ARG(X != NULL, "%s: X is NULL", fn);
  *dim = gdl_domain_dim(d);
  return check_rows(fn, m, *dim);
}

int gdl_domain_zp_encode(const gdl_domain *d, size_t m, const uint64_t *ints, double *X) {
  size_t dim;
  GDL_TRY(check_zp_args("gdl_domain_zp_encode", d, m, X, ints, &dim));
  for (size_t i = 0; i < m; i++)
    if (ints[i] >= d->p)
      return gdl_fail(GDL_EINVAL, "gdl_domain_zp_encode: ints[%zu] = %llu is not in Z_%llu", i,
                      (unsigned long long)ints[i], (unsigned long long)d->p);
  for (size_t i = 0; i < m; i++) encode_one(d, ints[i], X + i * dim);
  return GDL_OK;
}

int gdl_domain_zp_decode(const gdl_domain *d, size_t m, const double *X, uint64_t *ints) {
  size_t dim;
  GDL_TRY(check_zp_args("gdl_domain_zp_decode", d, m, X, ints, &dim));
  for (size_t i = 0; i < m; i++) {
    const double *row = X + i * dim;
    uint64_t x = 0;
    if (d->kind == GDL_DOMAIN_ZP_BITS) {
      for (size_t j = 0; j < dim; j++) {
        if (row[j] == -1.0) x |= (uint64_t)1 << j;
        else if (row[j] != 1.0)
          return gdl_fail(GDL_EINVAL, "gdl_domain_zp_decode: X[%zu][%zu] = %g is not a +-1 bit", i, j, row[j]);
      }
    } else {
      const double v = (row[0] + 1.0) * 0.5 * (double)d->p;
      const double rv = nearbyint(v);
      if (!isfinite(v) || rv < 0.0 || rv >= (double)d->p || fabs(v - rv) > 1e-6 + 4e-16 * (double)d->p)
        return gdl_fail(GDL_EINVAL, "gdl_domain_zp_decode: X[%zu] = %g is not an encoded element of Z_%llu", i,
                        row[0], (unsigned long long)d->p);
      x = (uint64_t)rv;
    }
    if (x >= d->p)
      return gdl_fail(GDL_EINVAL, "gdl_domain_zp_decode: row %zu decodes to %llu, not in Z_%llu", i,
                      (unsigned long long)x, (unsigned long long)d->p);
    ints[i] = x;
  }
  return GDL_OK;
}
