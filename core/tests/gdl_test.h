/* gdl_test.h: helpers shared by the Criterion tests of core/tests and theorems/.
 * Header-only (static inline) so each test executable stays one source file; theorems/
 * gets this directory on its include path (theorems/CMakeLists.txt).
 *
 * gdl_test_seed()               the base seed: GDL_SEED, or GDL_DEFAULT_SEED when unset;
 *                               a malformed GDL_SEED fails the test.
 * gdl_test_rng(purpose, idx)    the stream gdl_rng_alloc(gdl_test_seed(), purpose, idx);
 *                               free it with gdl_rng_free.
 * gdl_test_check_rc(rc, what)   asserts rc == GDL_OK, naming the status and the message.
 * GDL_EXPECT_FAIL(expr, code)   asserts that expr returns the status code and leaves a
 *                               message in gdl_strerror_last().
 * gdl_test_claim(claim, check, measured, rel, bound, pass, seed, params)
 *                               records the claim check (gdl_claim_record: one JSON under
 *                               GDL_RESULTS_DIR, failures included), logs it and asserts
 *                               pass; the message is gdl_fmt_check's "check: measured=..
 *                               rel bound=.. (margin ..)" prefixed by the claim id and
 *                               followed by [params]. */
#ifndef GDL_TEST_H
#define GDL_TEST_H

#include <stdint.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "gdl/error.h"
#include "gdl/report.h"
#include "gdl/rng.h"
#include "gdl/stats.h"

static inline uint64_t gdl_test_seed(void) {
  uint64_t s = 0;
  cr_assert(gdl_seed_from_env(GDL_DEFAULT_SEED, &s) == GDL_OK, "bad GDL_SEED: %s", gdl_strerror_last());
  return s;
}

static inline gsl_rng *gdl_test_rng(const char *purpose, uint64_t idx) {
  gsl_rng *r = NULL;
  cr_assert(gdl_rng_alloc(gdl_test_seed(), purpose, idx, &r) == GDL_OK, "rng %s/%llu: %s", purpose,
            (unsigned long long)idx, gdl_strerror_last());
  return r;
}

static inline void gdl_test_check_rc(int rc, const char *what) {
  cr_assert(rc == GDL_OK, "%s failed: %s (%s)", what, gdl_status_name(rc), gdl_strerror_last());
}

#define GDL_EXPECT_FAIL(expr, code)                                                               \
  do {                                                                                            \
    gdl_clear_error();                                                                            \
    int rc_ = (expr);                                                                             \
    cr_assert(rc_ == (code), "%s returned %d (%s), expected %s; message: %s", #expr, rc_,         \
              gdl_status_name(rc_), gdl_status_name(code), gdl_strerror_last());                  \
    cr_assert(gdl_strerror_last()[0] != '\0', "%s left no message", #expr);                       \
  } while (0)

static inline void gdl_test_claim(const char *claim, const char *check, double measured, const char *rel,
                                  double bound, int pass, uint64_t seed, const char *params) {
  char buf[512];
  gdl_fmt_check(buf, sizeof buf, check, measured, rel, bound);
  gdl_claim_record(claim, check, measured, rel, bound, pass, seed, params);
  cr_log_info("%s %s %s [%s]", pass ? "PASS" : "FAIL", claim, buf, params);
  cr_assert(pass, "%s %s [%s]", claim, buf, params);
}

#endif
