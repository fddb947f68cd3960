/* gdl/rng.h: reproducible random streams.
 *
 * Every random quantity comes from a GSL generator (mt19937) seeded by a hash of
 * (base seed, purpose string, index). Streams for different purposes or indices
 * are independent for all practical purposes, so results never depend on the
 * thread count or on the order in which runs are executed. */
#ifndef GDL_RNG_H
#define GDL_RNG_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GDL_DEFAULT_SEED 20221103u

/* Allocate the generator for (seed, purpose, index). Returns GDL_OK or GDL_ENOMEM/GDL_EINVAL. */
int gdl_rng_alloc(uint64_t seed, const char *purpose, uint64_t index, gsl_rng **out);
void gdl_rng_free(gsl_rng *r);
/* The 64-bit sub-seed itself (splitmix64 over seed, FNV-1a(purpose), index). */
uint64_t gdl_rng_derive(uint64_t seed, const char *purpose, uint64_t index);

/* Strict unsigned 64-bit integer: decimal without sign, spaces or leading zeros, or 0x hex;
 * the whole string must be the number and it must be < 2^64. Returns GDL_OK, or GDL_EINVAL
 * (message names the text) leaving *out untouched. The one reader of seeds and counts for
 * GDL_SEED, the CLI and the sweep programs, so that they all read the same text the same way. */
int gdl_parse_u64(const char *s, uint64_t *out);

/* Base seed from the environment variable GDL_SEED (gdl_parse_u64: decimal or 0x hex), or
 * `fallback` when unset or empty. A malformed GDL_SEED returns GDL_EINVAL (message names it). */
int gdl_seed_from_env(uint64_t fallback, uint64_t *seed);

/* Fill helpers. */
void gdl_rng_gaussian(gsl_rng *r, double sigma, size_t n, double *out);
void gdl_rng_uniform(gsl_rng *r, double lo, double hi, size_t n, double *out);
void gdl_rng_rademacher(gsl_rng *r, double scale, size_t n, double *out);
/* Uniform random permutation of {0..n-1}. */
void gdl_rng_permutation(gsl_rng *r, size_t n, size_t *perm);

#ifdef __cplusplus
}
#endif
#endif
