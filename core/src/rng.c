#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "gdl/error.h"
#include "gdl/rng.h"

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t gdl_rng_derive(uint64_t seed, const char *purpose, uint64_t index) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)(purpose ? purpose : ""); *p; p++) {
    h ^= *p;
    h *= 1099511628211ull;
  }
  uint64_t s = seed;
  uint64_t a = splitmix64(&s);
  s = a ^ h;
  uint64_t b = splitmix64(&s);
  s = b ^ (index * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
  return splitmix64(&s);
}

int gdl_rng_alloc(uint64_t seed, const char *purpose, uint64_t index, gsl_rng **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_rng_alloc: out is NULL");
  *out = NULL;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r) return gdl_fail(GDL_ENOMEM, "gdl_rng_alloc: out of memory");
  uint64_t d = gdl_rng_derive(seed, purpose, index);
  /* mt19937 uses a 32-bit seed: fold the 64 bits; avoid 0 (GSL maps it to the default). */
  unsigned long s = (unsigned long)((d ^ (d >> 32)) & 0xffffffffu);
  if (s == 0) s = 0x9E3779B9u;
  gsl_rng_set(r, s);
  *out = r;
  return GDL_OK;
}

void gdl_rng_free(gsl_rng *r) {
  if (r) gsl_rng_free(r);
}

int gdl_parse_u64(const char *s, uint64_t *out) {
  GDL_CHECK_ARG(s != NULL && out != NULL, "gdl_parse_u64: NULL argument");
  const char *d = s;
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    d = s + 2;
    if (!*d) return gdl_fail(GDL_EINVAL, "'%s': no hex digits after 0x", s);
    for (const char *p = d; *p; p++)
      if (!strchr("0123456789abcdefABCDEF", *p))
        return gdl_fail(GDL_EINVAL, "'%s' is not a 0x hex integer", s);
  } else {
    if (!*d) return gdl_fail(GDL_EINVAL, "empty string where an unsigned integer was expected");
    for (const char *p = d; *p; p++)
      if (*p < '0' || *p > '9')
        return gdl_fail(GDL_EINVAL, "'%s' is not an unsigned integer (decimal or 0x hex, no sign)", s);
    if (d[0] == '0' && d[1])
      return gdl_fail(GDL_EINVAL, "'%s': leading zero (octal is not accepted; write decimal or 0x hex)", s);
  }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(d, &end, base);
  if (errno == ERANGE) return gdl_fail(GDL_EINVAL, "'%s' does not fit in 64 bits", s);
  if (errno || *end || end == d) return gdl_fail(GDL_EINVAL, "'%s' is not an unsigned integer", s);
  *out = (uint64_t)v;
  return GDL_OK;
}

int gdl_seed_from_env(uint64_t fallback, uint64_t *seed) {
  GDL_CHECK_ARG(seed != NULL, "gdl_seed_from_env: seed is NULL");
  const char *s = getenv("GDL_SEED");
  if (!s || !*s) {
    *seed = fallback;
    return GDL_OK;
  }
  uint64_t v;
  if (gdl_parse_u64(s, &v) != GDL_OK)
    return gdl_fail(GDL_EINVAL, "GDL_SEED='%s' is not a non-negative integer (decimal or 0x hex, no sign, "
                    "spaces or leading zeros, < 2^64)", s);
  *seed = v;
  return GDL_OK;
}

void gdl_rng_gaussian(gsl_rng *r, double sigma, size_t n, double *out) {
  for (size_t i = 0; i < n; i++) out[i] = gsl_ran_gaussian_ziggurat(r, sigma);
}

void gdl_rng_uniform(gsl_rng *r, double lo, double hi, size_t n, double *out) {
  for (size_t i = 0; i < n; i++) out[i] = lo + (hi - lo) * gsl_rng_uniform(r);
}

void gdl_rng_rademacher(gsl_rng *r, double scale, size_t n, double *out) {
  for (size_t i = 0; i < n; i++) out[i] = (gsl_rng_get(r) & 1u) ? scale : -scale;
}

void gdl_rng_permutation(gsl_rng *r, size_t n, size_t *perm) {
  for (size_t i = 0; i < n; i++) perm[i] = i;
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)gsl_rng_uniform_int(r, i);
    size_t t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
  }
}
