/* cli/args.h: the command-line helper layer shared by the gdlimits program (cli/) and the
 * bench_* sweeps (benchmarks/bench_cli.c): strict number readers, a flag table with
 * "given twice" and "--flag=value" handling, safe message formatting and the memory limit.
 * Static library gdl_args (cli/CMakeLists.txt); the library libgdl does not use it.
 *
 * Numbers are strict: the whole string, no leading or trailing space, no '+' sign, no
 * empty list items. " 4", "+4", "4," and "4 " are all rejected. */
#ifndef GDL_ARGS_H
#define GDL_ARGS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decimal real: [-]digits[.digits][(e|E)[+-]digits] or [-].digits..., finite, in [lo, hi];
 * a non-zero mantissa that underflows to 0 is rejected. 0 ok, -1 bad (*out untouched). */
int gdl_args_double(const char *s, double lo, double hi, double *out);
/* Unsigned 64-bit integer: decimal without leading zeros or 0x hex (gdl_parse_u64). */
int gdl_args_u64(const char *s, uint64_t *out);
/* gdl_args_u64 within [lo, hi]. */
int gdl_args_size(const char *s, size_t lo, size_t hi, size_t *out);
/* Comma-separated list of 1..max sizes in [lo, hi] ("64,32"); no empty item, no spaces. */
int gdl_args_size_list(const char *s, size_t lo, size_t hi, size_t max, size_t *vals, size_t *n);
/* Byte count: an integer with an optional binary suffix K, M, G or T (KiB ...), e.g. "8G".
 * Returns 0 and *out, -1 on a bad or overflowing value. */
int gdl_args_bytes(const char *s, uint64_t *out);

/* Copies src into dst (len bytes, NUL-terminated, truncated with "...") with control
 * characters shown as \n, \t, \r or \xHH, so a message never spans lines or moves the
 * terminal. */
void gdl_args_sanitize(char *dst, size_t len, const char *src);
/* vsnprintf, then gdl_args_sanitize; prints "<prefix>: <message><suffix>\n" on f. */
void gdl_args_vprint(FILE *f, const char *prefix, const char *suffix, const char *fmt, va_list ap);

/* ---- flag tables ---- */
typedef struct {
  const char *name;     /* "--out" */
  const char **slot;    /* receives the raw value (NULL until given) */
  int is_switch;        /* 1: no value ("--check"); the slot is set to "1" */
} gdl_args_flag;

/* Fills the slots from argv[1..argc-1]: "--flag value" or "--flag=value". Returns 0 ok,
 * 1 when -h/--help was given, -1 on an error (unknown flag, missing value, a flag given
 * twice, a positional argument when `positional` is NULL) with the message in err.
 * Positional arguments go to *positional (at most one; a second one is an error). */
int gdl_args_collect(const gdl_args_flag *flags, size_t nflags, int argc, char **argv, const char **positional,
                     char *err, size_t errlen);

/* ---- memory limit ----
 * The largest allocation a command may plan: --mem-limit (given as `flag_value`, may be
 * NULL), else the environment variable GDL_MEM_LIMIT, else 3/4 of physical memory. Returns
 * 0 and sets *limit and *source ("--mem-limit", "GDL_MEM_LIMIT" or "physical memory"), or
 * -1 with the message in err (a bad value). */
int gdl_args_mem_limit(const char *flag_value, uint64_t *limit, const char **source, char *err, size_t errlen);
/* "12.0 GiB"-style text for a byte count. */
void gdl_args_fmt_bytes(char *buf, size_t len, double bytes);

#ifdef __cplusplus
}
#endif
#endif
