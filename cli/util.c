#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "gdl/error.h"
#include "gdl/rng.h"

int cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "gdlimits %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 2;
}

int cli_lib_error(const char *cmd, int status) {
  fprintf(stderr, "gdlimits %s: %s (%s)\n", cmd, gdl_strerror_last(), gdl_status_name(status));
  return 1;
}

int cli_parse_double(const char *s, double lo, double hi, double *out) {
  if (!s || !*s) return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !isfinite(v) || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

int cli_parse_u64(const char *s, uint64_t *out) {
  if (!s) return -1;
  return gdl_parse_u64(s, out) == GDL_OK ? 0 : -1;
}

int cli_parse_size(const char *s, size_t lo, size_t hi, size_t *out) {
  uint64_t v;
  if (cli_parse_u64(s, &v) || v < lo || v > hi) return -1;
  *out = (size_t)v;
  return 0;
}
