/* cli/args.c: the command-line helper layer shared by cli/ and benchmarks/ (args.h). */
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdl/error.h"
#include "gdl/rng.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int gdl_args_double(const char *s, double lo, double hi, double *out) {
  if (!s || !out) return -1;
  const char *p = s;
  if (*p == '-') p++;
  size_t nd = 0, nz = 0;
  while (is_digit(*p)) nd++, nz += *p++ != '0';
  if (*p == '.') {
    p++;
    while (is_digit(*p)) nd++, nz += *p++ != '0';
  }
  if (nd == 0) return -1;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!is_digit(*p)) return -1;
    while (is_digit(*p)) p++;
  }
  if (*p) return -1;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (*end || !isfinite(v) || (v == 0.0 && nz > 0)) return -1;
  if (!(v >= lo && v <= hi)) return -1;
  *out = v;
  return 0;
}

int gdl_args_u64(const char *s, uint64_t *out) {
  if (!s || !out) return -1;
  return gdl_parse_u64(s, out) == GDL_OK ? 0 : -1;
}

int gdl_args_size(const char *s, size_t lo, size_t hi, size_t *out) {
  uint64_t v;
  if (!out || gdl_args_u64(s, &v) || v < lo || v > hi || v > SIZE_MAX) return -1;
  *out = (size_t)v;
  return 0;
}

int gdl_args_size_list(const char *s, size_t lo, size_t hi, size_t max, size_t *vals, size_t *n) {
  if (!s || !vals || !n || !*s) return -1;
  size_t k = 0;
  const char *p = s;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    char item[32];
    if (len == 0 || len >= sizeof item || k >= max) return -1;
    memcpy(item, p, len);
    item[len] = '\0';
    if (gdl_args_size(item, lo, hi, &vals[k])) return -1;
    k++;
    if (!comma) break;
    p = comma + 1;
  }
  *n = k;
  return 0;
}

int gdl_args_bytes(const char *s, uint64_t *out) {
  if (!s || !out || !*s) return -1;
  size_t len = strlen(s);
  unsigned shift = 0;
  char num[32];
  char last = s[len - 1];
  if (last == 'K' || last == 'M' || last == 'G' || last == 'T') {
    shift = last == 'K' ? 10 : last == 'M' ? 20 : last == 'G' ? 30 : 40;
    len--;
  }
  if (len == 0 || len >= sizeof num) return -1;
  memcpy(num, s, len);
  num[len] = '\0';
  uint64_t v;
  if (gdl_args_u64(num, &v)) return -1;
  if (shift && v > (UINT64_MAX >> shift)) return -1;
  *out = v << shift;
  return 0;
}

void gdl_args_sanitize(char *dst, size_t len, const char *src) {
  if (!dst || len == 0) return;
  size_t k = 0;
  if (!src) src = "(null)";
  for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
    char esc[8];
    if (*p == '\n') strcpy(esc, "\\n");
    else if (*p == '\t') strcpy(esc, "\\t");
    else if (*p == '\r') strcpy(esc, "\\r");
    else if (*p < 0x20 || *p == 0x7f) snprintf(esc, sizeof esc, "\\x%02x", *p);
    else esc[0] = (char)*p, esc[1] = '\0';
    size_t el = strlen(esc);
    if (k + el + 4 >= len) {
      if (len >= 4) {
        k = k < len - 4 ? k : len - 4;
        memcpy(dst + k, "...", 3);
        k += 3;
      }
      break;
    }
    memcpy(dst + k, esc, el);
    k += el;
  }
  dst[k] = '\0';
}

void gdl_args_vprint(FILE *f, const char *prefix, const char *suffix, const char *fmt, va_list ap) {
  char raw[2048], clean[4096];
  vsnprintf(raw, sizeof raw, fmt, ap);
  gdl_args_sanitize(clean, sizeof clean, raw);
  fprintf(f, "%s: %s%s\n", prefix ? prefix : "", clean, suffix ? suffix : "");
}

int gdl_args_collect(const gdl_args_flag *flags, size_t nflags, int argc, char **argv, const char **positional,
                     char *err, size_t errlen) {
  char shown[256];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
    size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
    const gdl_args_flag *def = NULL;
    for (size_t k = 0; k < nflags; k++)
      if (strlen(flags[k].name) == nlen && !strncmp(flags[k].name, a, nlen)) def = &flags[k];
    if (!def) {
      gdl_args_sanitize(shown, sizeof shown, a);
      if (a[0] == '-' && a[1]) {
        if (eq) shown[nlen < sizeof shown ? nlen : sizeof shown - 1] = '\0';
        snprintf(err, errlen, "unknown flag '%s'", shown);
        return -1;
      }
      if (positional && !*positional) {
        *positional = a;
        continue;
      }
      if (positional) snprintf(err, errlen, "unexpected second argument '%s' (quote a value with spaces)", shown);
      else snprintf(err, errlen, "unexpected argument '%s'", shown);
      return -1;
    }
    const char *val;
    if (def->is_switch) {
      if (eq) {
        snprintf(err, errlen, "%s takes no value", def->name);
        return -1;
      }
      val = "1";
    } else if (eq) {
      val = eq + 1;
    } else {
      if (i + 1 >= argc) {
        snprintf(err, errlen, "%s needs a value", def->name);
        return -1;
      }
      val = argv[++i];
    }
    if (*def->slot) {
      snprintf(err, errlen, "%s given twice", def->name);
      return -1;
    }
    *def->slot = val;
  }
  return 0;
}

int gdl_args_mem_limit(const char *flag_value, uint64_t *limit, const char **source, char *err, size_t errlen) {
  /* the flag, else a non-empty GDL_MEM_LIMIT: named by src in the result and the message */
  const char *val = flag_value, *src = "--mem-limit";
  if (!val) {
    val = getenv("GDL_MEM_LIMIT");
    src = "GDL_MEM_LIMIT";
    if (val && !*val) val = NULL;
  }
  if (val) {
    uint64_t v;
    if (gdl_args_bytes(val, &v) || v == 0) {
      char shown[128];
      gdl_args_sanitize(shown, sizeof shown, val);
      snprintf(err, errlen, "%s: expected a byte count such as 4096M or 8G, got '%s'", src, shown);
      return -1;
    }
    *limit = v;
    *source = src;
    return 0;
  }
  long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
  double phys = pages > 0 && psz > 0 ? (double)pages * (double)psz : 4.0 * 1073741824.0;
  *limit = (uint64_t)(0.75 * phys);
  *source = "3/4 of physical memory";
  return 0;
}

void gdl_args_fmt_bytes(char *buf, size_t len, double b) {
  if (b >= 1099511627776.0) snprintf(buf, len, "%.1f TiB", b / 1099511627776.0);
  else if (b >= 1073741824.0) snprintf(buf, len, "%.1f GiB", b / 1073741824.0);
  else if (b >= 1048576.0) snprintf(buf, len, "%.1f MiB", b / 1048576.0);
  else snprintf(buf, len, "%.0f bytes", b);
}
