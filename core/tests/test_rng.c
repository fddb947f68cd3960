/* core.rng: reproducible sub-streams from (seed, purpose, index), GDL_SEED parsing and
 * the fill helpers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"
#include "gdl_test.h"

#define NDRAW 1000

static void draw(uint64_t seed, const char *purpose, uint64_t index, unsigned long *out) {
  gsl_rng *r = NULL;
  cr_assert(gdl_rng_alloc(seed, purpose, index, &r) == GDL_OK, "%s", gdl_strerror_last());
  for (int i = 0; i < NDRAW; i++) out[i] = gsl_rng_get(r);
  gdl_rng_free(r);
}

/* Fraction of equal positions between two streams of 32-bit words: independent streams
 * agree at a position with probability 2^-32, so more than one coincidence in 1000 draws
 * has probability < 1e-13. */
static int coincidences(const unsigned long *a, const unsigned long *b) {
  int n = 0;
  for (int i = 0; i < NDRAW; i++) n += a[i] == b[i];
  return n;
}

Test(rng, same_triple_same_stream) {
  const uint64_t s = gdl_test_seed();
  unsigned long a[NDRAW], b[NDRAW];
  draw(s, "purpose", 3, a);
  draw(s, "purpose", 3, b);
  cr_assert(memcmp(a, b, sizeof a) == 0, "same (seed, purpose, index) gave different streams");
  cr_assert(gdl_rng_derive(s, "purpose", 3) == gdl_rng_derive(s, "purpose", 3));
}

Test(rng, different_triples_different_streams) {
  const uint64_t s = gdl_test_seed();
  unsigned long a[NDRAW], b[NDRAW];
  draw(s, "purpose", 3, a);
  draw(s + 1, "purpose", 3, b);
  cr_assert(coincidences(a, b) <= 1, "seed +1: %d coincidences", coincidences(a, b));
  draw(s, "purposf", 3, b);
  cr_assert(coincidences(a, b) <= 1, "purpose changed: %d coincidences", coincidences(a, b));
  draw(s, "purpose", 4, b);
  cr_assert(coincidences(a, b) <= 1, "index +1: %d coincidences", coincidences(a, b));
  draw(s, "", 3, b);
  cr_assert(coincidences(a, b) <= 1, "empty purpose: %d coincidences", coincidences(a, b));
  /* derived 64-bit sub-seeds are distinct over a grid of triples */
  enum { NS = 4, NP = 3, NI = 50 };
  static const char *purposes[NP] = {"init", "data", "noise"};
  uint64_t seen[NS * NP * NI];
  size_t k = 0;
  for (uint64_t a1 = 0; a1 < NS; a1++)
    for (int p = 0; p < NP; p++)
      for (uint64_t i = 0; i < NI; i++) seen[k++] = gdl_rng_derive(s + a1, purposes[p], i);
  for (size_t x = 0; x < k; x++)
    for (size_t y = x + 1; y < k; y++) cr_assert(seen[x] != seen[y], "derived seeds %zu and %zu collide", x, y);
}

Test(rng, null_purpose_is_empty_purpose) {
  cr_assert(gdl_rng_derive(5, NULL, 1) == gdl_rng_derive(5, "", 1));
}

Test(rng, seed_from_env) {
  uint64_t s = 0;
  unsetenv("GDL_SEED");
  cr_assert(gdl_seed_from_env(99, &s) == GDL_OK && s == 99);
  setenv("GDL_SEED", "", 1);
  cr_assert(gdl_seed_from_env(98, &s) == GDL_OK && s == 98);
  setenv("GDL_SEED", "12345", 1);
  cr_assert(gdl_seed_from_env(1, &s) == GDL_OK && s == 12345);
  setenv("GDL_SEED", "0x1f", 1);
  cr_assert(gdl_seed_from_env(1, &s) == GDL_OK && s == 31);
  setenv("GDL_SEED", "18446744073709551615", 1);
  cr_assert(gdl_seed_from_env(1, &s) == GDL_OK && s == UINT64_MAX);
  static const char *bad[] = {"abc", "12abc", "-5", "1.5", "18446744073709551616", "0x", " 7x",
                              " -1", " 1", "1 ", "+1", "010", "0x1g", "-0x1"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    setenv("GDL_SEED", bad[k], 1);
    s = 777;
    gdl_clear_error();
    int rc = gdl_seed_from_env(1, &s);
    cr_assert(rc == GDL_EINVAL, "GDL_SEED='%s' accepted (rc %d, seed %llu)", bad[k], rc, (unsigned long long)s);
    cr_assert(strstr(gdl_strerror_last(), "GDL_SEED") != NULL, "message '%s' does not name GDL_SEED",
              gdl_strerror_last());
  }
  unsetenv("GDL_SEED");
  cr_assert(gdl_seed_from_env(1, NULL) == GDL_EINVAL);
}

/* gdl_parse_u64: the one reader of seeds and counts (GDL_SEED, CLI, sweeps). */
Test(rng, parse_u64) {
  static const struct { const char *s; uint64_t v; } good[] = {
      {"0", 0}, {"7", 7}, {"12345", 12345}, {"0x0", 0}, {"0X1F", 31}, {"0xffffffffffffffff", UINT64_MAX},
      {"18446744073709551615", UINT64_MAX}};
  for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
    uint64_t v = 1;
    cr_assert(gdl_parse_u64(good[k].s, &v) == GDL_OK && v == good[k].v, "'%s' read as %llu", good[k].s,
              (unsigned long long)v);
  }
  static const char *bad[] = {"", " ", "-1", " -1", "+1", "1 ", "01", "007", "1e3", "1.0", "0x",
                              "0x-1", "0x10000000000000000", "18446744073709551616", "99999999999999999999", "nan"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    uint64_t v = 42;
    GDL_EXPECT_FAIL(gdl_parse_u64(bad[k], &v), GDL_EINVAL);
    cr_assert(v == 42, "'%s' rejected but *out changed to %llu", bad[k], (unsigned long long)v);
  }
  uint64_t v;
  GDL_EXPECT_FAIL(gdl_parse_u64(NULL, &v), GDL_EINVAL);
  GDL_EXPECT_FAIL(gdl_parse_u64("1", NULL), GDL_EINVAL);
}

Test(rng, bad_arguments) {
  GDL_EXPECT_FAIL(gdl_rng_alloc(1, "x", 0, NULL), GDL_EINVAL);
  gdl_rng_free(NULL);
}

Test(rng, fill_helpers) {
  gsl_rng *r = gdl_test_rng("fill", 0);
  double v[4000];
  gdl_rng_rademacher(r, 0.25, 4000, v);
  int plus = 0;
  for (int i = 0; i < 4000; i++) {
    cr_assert(v[i] == 0.25 || v[i] == -0.25);
    plus += v[i] > 0;
  }
  /* count of +: Binomial(4000, 1/2), sd ~31.6; 5 SD */
  cr_assert(abs(plus - 2000) <= 159, "Rademacher +count %d far from 2000", plus);
  gdl_rng_uniform(r, -2, 3, 4000, v);
  for (int i = 0; i < 4000; i++) cr_assert(v[i] >= -2 && v[i] < 3);
  size_t perm[257];
  int hit[257] = {0};
  gdl_rng_permutation(r, 257, perm);
  for (int i = 0; i < 257; i++) {
    cr_assert(perm[i] < 257 && !hit[perm[i]]);
    hit[perm[i]] = 1;
  }
  /* same stream twice: identical Gaussian draws */
  gsl_rng *a = NULL, *b = NULL;
  cr_assert(gdl_rng_alloc(3, "g", 9, &a) == GDL_OK && gdl_rng_alloc(3, "g", 9, &b) == GDL_OK);
  double x[100], y[100];
  gdl_rng_gaussian(a, 2.0, 100, x);
  gdl_rng_gaussian(b, 2.0, 100, y);
  cr_assert(memcmp(x, y, sizeof x) == 0);
  gdl_rng_free(a);
  gdl_rng_free(b);
  gdl_rng_free(r);
}
