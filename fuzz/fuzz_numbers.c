/* fuzz_numbers: the seed and number readers: gdl_parse_u64 (seeds, GDL_SEED), the strict
 * command-line readers of cli/args.h shared by gdlimits and the bench_* programs (reals,
 * sizes, lists, byte counts), the bench_cli seed reader, the message sanitiser and the
 * activation / loss / optimiser name parsers. Cross-checks: a number that is accepted
 * prints back to the same value. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "gdl/gdl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  uint64_t u;
  if (gdl_parse_u64(s, &u) == GDL_OK) {
    char back[32];
    snprintf(back, sizeof back, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? "%llx" : "%llu", (unsigned long long)u);
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      if (strtoull(s + 2, NULL, 16) != u) abort();
    } else if (strcmp(back, s)) {
      abort(); /* decimal: canonical form only */
    }
    if (gdl_args_u64(s, &u) != 0) abort();
  } else if (gdl_args_u64(s, &u) == 0) {
    abort();
  }
  double d;
  if (gdl_args_double(s, -INFINITY, INFINITY, &d) == 0) {
    if (!isfinite(d) || s[0] == ' ' || s[0] == '+' || !*s) abort();
    if (strtod(s, NULL) != d) abort();
  }
  size_t v[8], n;
  if (gdl_args_size_list(s, 1, 65536, 8, v, &n) == 0) {
    size_t len = strlen(s); /* the bytes may hold a NUL: the readers see the C string */
    if (n < 1 || n > 8 || len == 0 || s[len - 1] == ',' || s[0] == ',') abort();
    for (size_t i = 0; i < n; i++)
      if (v[i] < 1 || v[i] > 65536) abort();
  }
  size_t z;
  if (gdl_args_size(s, 3, 1000, &z) == 0 && (z < 3 || z > 1000)) abort();
  uint64_t b;
  gdl_args_bytes(s, &b);
  char clean[64];
  gdl_args_sanitize(clean, sizeof clean, s);
  if (strlen(clean) >= sizeof clean) abort();
  for (const char *p = clean; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) abort();
  gdl_act a;
  gdl_act_parse(s, &a);
  gdl_loss l;
  gdl_loss_parse(s, &l);
  gdl_optimizer o;
  gdl_optimizer_parse(s, &o);
  /* GDL_SEED through the environment reader */
  if (!memchr(data, '\0', size) && setenv("GDL_SEED", s, 1) == 0) {
    uint64_t seed;
    int rc = gdl_seed_from_env(1, &seed);
    if ((rc == GDL_OK) != (gdl_parse_u64(s, &u) == GDL_OK || !*s)) abort();
    unsetenv("GDL_SEED");
  }
  free(s);
  return 0;
}
