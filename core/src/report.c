/* report.c: atomic result files (CSV, JSON), provenance, claim records, summaries, the CSV
 * reader, progress. */
#define _GNU_SOURCE 1
#include <cblas.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef GDL_HAVE_OPENMP
#include <omp.h>
#endif
#include "gdl/error.h"
#include "gdl/report.h"
#include "gdl/stats.h"

#ifndef GDL_COMPILER_STRING
#define GDL_COMPILER_STRING "unknown"
#endif

#define REPORT_MAX_PATH 4096

/* ------------------------------------------------------------------------ */
/* files                                                                      */

int gdl_mkdir_p(const char *path) {
  GDL_CHECK_ARG(path != NULL, "gdl_mkdir_p: path is NULL");
  size_t n = strlen(path);
  GDL_CHECK_ARG(n > 0, "gdl_mkdir_p: path is empty");
  GDL_CHECK_ARG(n < REPORT_MAX_PATH, "gdl_mkdir_p: path too long (%zu bytes)", n);
  char buf[REPORT_MAX_PATH];
  memcpy(buf, path, n + 1);
  while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0';
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        int e = errno;
        buf[i] = c;
        return gdl_fail(GDL_EIO, "gdl_mkdir_p: cannot create '%s': %s", path, strerror(e));
      }
      struct stat st;
      if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        buf[i] = c;
        return gdl_fail(GDL_EIO, "gdl_mkdir_p: '%.*s' exists and is not a directory", (int)i, path);
      }
      buf[i] = c;
    }
  }
  return GDL_OK;
}

/* Creates the parent directory of path (if any). */
static int mkdir_parent(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return GDL_OK;
  size_t n = (size_t)(slash - path);
  char buf[REPORT_MAX_PATH];
  if (n >= sizeof buf) return gdl_fail(GDL_EINVAL, "path too long: %s", path);
  memcpy(buf, path, n);
  buf[n] = '\0';
  return gdl_mkdir_p(buf);
}

static int tmp_name(const char *path, char *tmp, size_t len) {
  int k = snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
  if (k < 0 || (size_t)k >= len) return gdl_fail(GDL_EINVAL, "path too long: %s", path);
  return GDL_OK;
}

int gdl_output_target_check(const char *fn, const char *path) {
  struct stat st;
  if (!fn) fn = "write";
  if (!path) return gdl_fail(GDL_EINVAL, "%s: path is NULL", fn);
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return gdl_fail(GDL_EINVAL, "%s: '%s' exists and is not a regular file (%s); refusing to replace it", fn, path,
                    S_ISDIR(st.st_mode) ? "a directory" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                    : S_ISFIFO(st.st_mode) ? "a FIFO" : "not a file");
  return GDL_OK;
}

/* Splits path into its directory (dir, "." if none) and base name. 0 ok, -1 too long. */
static int split_dir(const char *path, char *dir, size_t len, const char **base) {
  const char *slash = strrchr(path, '/');
  if (!slash) {
    snprintf(dir, len, ".");
    *base = path;
    return 0;
  }
  size_t n = (size_t)(slash - path);
  if (n == 0) n = 1; /* "/x" */
  if (n >= len) return -1;
  memcpy(dir, path, n);
  dir[n] = '\0';
  *base = slash + 1;
  return 0;
}

/* Removes "<base>.tmp.<pid>" (any base if base is NULL) in dir whose process is gone. */
static size_t scan_stale(const char *dir, const char *base) {
  size_t blen = base ? strlen(base) : 0;
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t removed = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *nm = e->d_name;
    const char *tag = base ? (strncmp(nm, base, blen) ? NULL : nm + blen) : strstr(nm, ".tmp.");
    if (!tag || strncmp(tag, ".tmp.", 5) || tag == nm) continue;
    const char *digits = tag + 5;
    if (!*digits || *digits == '0' || strlen(digits) > 9) continue;
    long pid = 0;
    const char *q = digits;
    for (; *q >= '0' && *q <= '9'; q++) pid = pid * 10 + (*q - '0');
    if (*q || pid <= 0 || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
    char full[2 * REPORT_MAX_PATH];
    snprintf(full, sizeof full, "%s/%s", dir, nm);
    struct stat st;
    if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) && unlink(full) == 0) removed++;
  }
  closedir(d);
  return removed;
}

size_t gdl_tmp_cleanup(const char *path) {
  if (!path || !*path || strlen(path) + 32 >= REPORT_MAX_PATH) return 0;
  char dir[REPORT_MAX_PATH];
  const char *base;
  if (split_dir(path, dir, sizeof dir, &base) || !*base) return 0;
  return scan_stale(dir, base);
}

/* The writers clean each directory once per process (the first write into it), so a sweep
 * writing thousands of files does not rescan the directory for each one. */
#define CLEANED_DIRS 64
static pthread_mutex_t cleaned_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cleaned[CLEANED_DIRS];
static size_t cleaned_next;

static void cleanup_dir_once(const char *path) {
  char dir[REPORT_MAX_PATH];
  const char *base;
  if (split_dir(path, dir, sizeof dir, &base)) return;
  pthread_mutex_lock(&cleaned_lock);
  int seen = 0;
  for (size_t i = 0; i < CLEANED_DIRS && !seen; i++) seen = cleaned[i] && !strcmp(cleaned[i], dir);
  if (!seen) {
    scan_stale(dir, NULL);
    free(cleaned[cleaned_next]);
    cleaned[cleaned_next] = strdup(dir);
    cleaned_next = (cleaned_next + 1) % CLEANED_DIRS;
  }
  pthread_mutex_unlock(&cleaned_lock);
}

static int check_path(const char *fn, const char *path) {
  if (!path) return gdl_fail(GDL_EINVAL, "%s: path is NULL", fn);
  if (!*path) return gdl_fail(GDL_EINVAL, "%s: path is empty", fn);
  size_t n = strlen(path);
  if (n + 32 >= REPORT_MAX_PATH) return gdl_fail(GDL_EINVAL, "%s: path too long (%zu bytes)", fn, n);
  if (path[n - 1] == '/') return gdl_fail(GDL_EINVAL, "%s: '%s' names a directory, not a file", fn, path);
  GDL_TRY(gdl_output_target_check(fn, path));
  cleanup_dir_once(path);
  return GDL_OK;
}

int gdl_write_atomic(const char *path, const char *data, size_t len) {
  GDL_TRY(check_path("gdl_write_atomic", path));
  GDL_CHECK_ARG(data != NULL || len == 0, "gdl_write_atomic: data is NULL");
  GDL_TRY(mkdir_parent(path));
  char tmp[REPORT_MAX_PATH];
  GDL_TRY(tmp_name(path, tmp, sizeof tmp));
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return gdl_fail(GDL_EIO, "gdl_write_atomic: cannot create '%s': %s", tmp, strerror(errno));
  size_t done = 0;
  while (done < len) {
    ssize_t k = write(fd, data + done, len - done);
    if (k < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(tmp);
      return gdl_fail(GDL_EIO, "gdl_write_atomic: writing '%s': %s", tmp, strerror(e));
    }
    done += (size_t)k;
  }
  if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
    int e = errno;
    close(fd);
    unlink(tmp);
    return gdl_fail(GDL_EIO, "gdl_write_atomic: fsync '%s': %s", tmp, strerror(e));
  }
  if (close(fd) != 0) {
    int e = errno;
    unlink(tmp);
    return gdl_fail(GDL_EIO, "gdl_write_atomic: closing '%s': %s", tmp, strerror(e));
  }
  if (rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return gdl_fail(GDL_EIO, "gdl_write_atomic: renaming to '%s': %s", path, strerror(e));
  }
  return GDL_OK;
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                        */

struct gdl_csv {
  FILE *f;
  size_t ncols;
  int err;
  char path[REPORT_MAX_PATH];
  char tmp[REPORT_MAX_PATH];
};

static void csv_field(FILE *f, const char *s) {
  if (strpbrk(s, ",\"\n\r") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

int gdl_csv_open(const char *path, size_t ncols, const char *const *columns, gdl_csv **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_csv_open: out is NULL");
  *out = NULL;
  GDL_TRY(check_path("gdl_csv_open", path));
  GDL_CHECK_ARG(ncols >= 1, "gdl_csv_open: ncols must be >= 1");
  GDL_CHECK_ARG(ncols <= 100000, "gdl_csv_open: ncols = %zu is absurd", ncols);
  GDL_CHECK_ARG(columns != NULL, "gdl_csv_open: columns is NULL");
  for (size_t i = 0; i < ncols; i++)
    GDL_CHECK_ARG(columns[i] != NULL, "gdl_csv_open: column name %zu is NULL", i);
  GDL_TRY(mkdir_parent(path));
  gdl_csv *c = calloc(1, sizeof *c);
  if (!c) return gdl_fail(GDL_ENOMEM, "gdl_csv_open: out of memory");
  snprintf(c->path, sizeof c->path, "%s", path);
  int rc = tmp_name(path, c->tmp, sizeof c->tmp);
  if (rc != GDL_OK) {
    free(c);
    return rc;
  }
  c->f = fopen(c->tmp, "w");
  if (!c->f) {
    int e = errno;
    free(c);
    return gdl_fail(GDL_EIO, "gdl_csv_open: cannot create '%s.tmp.*': %s", path, strerror(e));
  }
  c->ncols = ncols;
  for (size_t i = 0; i < ncols; i++) {
    if (i) fputc(',', c->f);
    csv_field(c->f, columns[i]);
  }
  fputc('\n', c->f);
  *out = c;
  return GDL_OK;
}

static void fmt_num(char *buf, size_t len, double v) {
  if (isnan(v)) {
    snprintf(buf, len, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, len, v > 0 ? "inf" : "-inf");
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, len, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) return;
  }
}

int gdl_csv_row(gdl_csv *c, const double *vals) {
  GDL_CHECK_ARG(c != NULL && c->f != NULL, "gdl_csv_row: csv is NULL");
  GDL_CHECK_ARG(vals != NULL, "gdl_csv_row: vals is NULL");
  char num[64];
  for (size_t i = 0; i < c->ncols; i++) {
    fmt_num(num, sizeof num, vals[i]);
    if (i) fputc(',', c->f);
    fputs(num, c->f);
  }
  if (fputc('\n', c->f) == EOF) {
    c->err = errno ? errno : EIO;
    return gdl_fail(GDL_EIO, "gdl_csv_row: write to '%s' failed: %s", c->tmp, strerror(c->err));
  }
  return GDL_OK;
}

int gdl_csv_row_text(gdl_csv *c, const char *fmt, ...) {
  GDL_CHECK_ARG(c != NULL && c->f != NULL, "gdl_csv_row_text: csv is NULL");
  GDL_CHECK_ARG(fmt != NULL, "gdl_csv_row_text: fmt is NULL");
  va_list ap;
  va_start(ap, fmt);
  char small[512];
  va_list ap2;
  va_copy(ap2, ap);
  int k = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (k < 0) {
    va_end(ap2);
    return gdl_fail(GDL_EINVAL, "gdl_csv_row_text: bad format");
  }
  int ok;
  if ((size_t)k < sizeof small) {
    ok = fputs(small, c->f) != EOF;
    if (k == 0 || small[k - 1] != '\n') ok = ok && fputc('\n', c->f) != EOF;
  } else {
    ok = vfprintf(c->f, fmt, ap2) >= 0 && fputc('\n', c->f) != EOF;
  }
  va_end(ap2);
  if (!ok) {
    c->err = errno ? errno : EIO;
    return gdl_fail(GDL_EIO, "gdl_csv_row_text: write to '%s' failed: %s", c->tmp, strerror(c->err));
  }
  return GDL_OK;
}

int gdl_csv_commit(gdl_csv *c) {
  GDL_CHECK_ARG(c != NULL && c->f != NULL, "gdl_csv_commit: csv is NULL");
  int ok = !c->err && fflush(c->f) == 0 && !ferror(c->f);
  int e = errno;
  if (ok && fsync(fileno(c->f)) != 0 && errno != EINVAL && errno != EROFS) {
    ok = 0;
    e = errno;
  }
  if (fclose(c->f) != 0 && ok) {
    ok = 0;
    e = errno;
  }
  c->f = NULL;
  int rc = GDL_OK;
  if (!ok) {
    unlink(c->tmp);
    rc = gdl_fail(GDL_EIO, "gdl_csv_commit: writing '%s' failed: %s", c->path, strerror(c->err ? c->err : e));
  } else if (rename(c->tmp, c->path) != 0) {
    e = errno;
    unlink(c->tmp);
    rc = gdl_fail(GDL_EIO, "gdl_csv_commit: renaming to '%s': %s", c->path, strerror(e));
  }
  free(c);
  return rc;
}

int gdl_csv_write(const char *path, size_t ncols, const char *const *columns, size_t nrows, const double *rows) {
  GDL_CHECK_ARG(nrows == 0 || rows != NULL, "gdl_csv_write: rows is NULL");
  gdl_csv *c = NULL;
  GDL_TRY(gdl_csv_open(path, ncols, columns, &c));
  for (size_t r = 0; r < nrows; r++) {
    int rc = gdl_csv_row(c, rows + r * ncols);
    if (rc != GDL_OK) {
      gdl_csv_abort(c);
      return rc;
    }
  }
  return gdl_csv_commit(c);
}

void gdl_csv_abort(gdl_csv *c) {
  if (!c) return;
  if (c->f) fclose(c->f);
  unlink(c->tmp);
  free(c);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                       */

#define JSON_MAX_DEPTH 32

struct gdl_json {
  char *buf;
  size_t len, cap;
  int depth;                     /* open nested objects or lists (root not counted) */
  int count[JSON_MAX_DEPTH + 1]; /* members written at each level */
  int list[JSON_MAX_DEPTH + 1];  /* 1 where the level is a list ([...]): its members have no key */
  char *out;                     /* closed text returned by gdl_json_text */
  int oom;
};

static int jb_reserve(gdl_json *j, size_t extra) {
  if (j->len + extra + 1 <= j->cap) return 0;
  size_t nc = j->cap ? j->cap : 256;
  while (nc < j->len + extra + 1) nc *= 2;
  char *b = realloc(j->buf, nc);
  if (!b) {
    j->oom = 1;
    return -1;
  }
  j->buf = b;
  j->cap = nc;
  return 0;
}

static int jb_put(gdl_json *j, const char *s, size_t n) {
  if (jb_reserve(j, n)) return -1;
  memcpy(j->buf + j->len, s, n);
  j->len += n;
  j->buf[j->len] = '\0';
  return 0;
}

static int jb_puts(gdl_json *j, const char *s) { return jb_put(j, s, strlen(s)); }

static int jb_string(gdl_json *j, const char *s) {
  if (jb_put(j, "\"", 1)) return -1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    const char *e = NULL;
    switch (*p) {
      case '"': e = "\\\""; break;
      case '\\': e = "\\\\"; break;
      case '\b': e = "\\b"; break;
      case '\f': e = "\\f"; break;
      case '\n': e = "\\n"; break;
      case '\r': e = "\\r"; break;
      case '\t': e = "\\t"; break;
      default:
        if (*p < 0x20 || *p == 0x7f) {
          snprintf(esc, sizeof esc, "\\u%04x", *p);
          e = esc;
        }
    }
    if (e) {
      if (jb_puts(j, e)) return -1;
    } else if (jb_put(j, (const char *)p, 1)) {
      return -1;
    }
  }
  return jb_put(j, "\"", 1);
}

static void json_number(char *buf, size_t len, double v) {
  if (!isfinite(v)) {
    snprintf(buf, len, "null");
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, len, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) return;
  }
}

int gdl_json_new(gdl_json **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_json_new: out is NULL");
  *out = NULL;
  gdl_json *j = calloc(1, sizeof *j);
  if (!j) return gdl_fail(GDL_ENOMEM, "gdl_json_new: out of memory");
  if (jb_puts(j, "{")) {
    free(j);
    return gdl_fail(GDL_ENOMEM, "gdl_json_new: out of memory");
  }
  *out = j;
  return GDL_OK;
}

void gdl_json_free(gdl_json *j) {
  if (!j) return;
  GDL_FREE_ALL(j->buf, j->out, j);
}

/* Writes `,` if needed, the indentation and "key": */
static int json_key(gdl_json *j, const char *fn, const char *key) {
  if (!j) return gdl_fail(GDL_EINVAL, "%s: json is NULL", fn);
  if (j->list[j->depth] && key) return gdl_fail(GDL_EINVAL, "%s: key '%s' inside a list (pass NULL)", fn, key);
  if (!j->list[j->depth] && !key) return gdl_fail(GDL_EINVAL, "%s: key is NULL", fn);
  if (j->oom) return gdl_fail(GDL_ENOMEM, "%s: out of memory", fn);
  int rc = 0;
  if (j->count[j->depth]++) rc |= jb_puts(j, ",");
  rc |= jb_puts(j, "\n");
  for (int i = 0; i <= j->depth; i++) rc |= jb_puts(j, "  ");
  if (key) {
    rc |= jb_string(j, key);
    rc |= jb_puts(j, ": ");
  }
  if (rc) return gdl_fail(GDL_ENOMEM, "%s: out of memory", fn);
  return GDL_OK;
}

#define JSON_DONE(fn) (j->oom ? gdl_fail(GDL_ENOMEM, fn ": out of memory") : GDL_OK)

int gdl_json_str(gdl_json *j, const char *key, const char *val) {
  GDL_CHECK_ARG(val != NULL, "gdl_json_str: value of key '%s' is NULL", key ? key : "(null)");
  GDL_TRY(json_key(j, "gdl_json_str", key));
  jb_string(j, val);
  return JSON_DONE("gdl_json_str");
}

int gdl_json_num(gdl_json *j, const char *key, double val) {
  GDL_TRY(json_key(j, "gdl_json_num", key));
  char num[64];
  json_number(num, sizeof num, val);
  jb_puts(j, num);
  return JSON_DONE("gdl_json_num");
}

int gdl_json_int(gdl_json *j, const char *key, long long val) {
  GDL_TRY(json_key(j, "gdl_json_int", key));
  char num[32];
  snprintf(num, sizeof num, "%lld", val);
  jb_puts(j, num);
  return JSON_DONE("gdl_json_int");
}

int gdl_json_bool(gdl_json *j, const char *key, int val) {
  GDL_TRY(json_key(j, "gdl_json_bool", key));
  jb_puts(j, val ? "true" : "false");
  return JSON_DONE("gdl_json_bool");
}

int gdl_json_nums(gdl_json *j, const char *key, size_t n, const double *vals) {
  GDL_CHECK_ARG(n == 0 || vals != NULL, "gdl_json_nums: values of key '%s' are NULL", key ? key : "(null)");
  GDL_TRY(json_key(j, "gdl_json_nums", key));
  jb_puts(j, "[");
  char num[64];
  for (size_t i = 0; i < n; i++) {
    json_number(num, sizeof num, vals[i]);
    if (i) jb_puts(j, ", ");
    jb_puts(j, num);
  }
  jb_puts(j, "]");
  return JSON_DONE("gdl_json_nums");
}

/* Opens a nested object (list = 0) or list (list = 1) under `key`, for the function fn. */
static int json_open(gdl_json *j, const char *fn, const char *key, int list) {
  GDL_CHECK_ARG(j != NULL, "%s: json is NULL", fn);
  GDL_CHECK_ARG(j->depth < JSON_MAX_DEPTH, "%s: nesting deeper than %d", fn, JSON_MAX_DEPTH);
  GDL_TRY(json_key(j, fn, key));
  jb_puts(j, list ? "[" : "{");
  j->depth++;
  j->count[j->depth] = 0;
  j->list[j->depth] = list;
  return j->oom ? gdl_fail(GDL_ENOMEM, "%s: out of memory", fn) : GDL_OK;
}

int gdl_json_begin(gdl_json *j, const char *key) { return json_open(j, "gdl_json_begin", key, 0); }

int gdl_json_begin_list(gdl_json *j, const char *key) { return json_open(j, "gdl_json_begin_list", key, 1); }

static void json_close_level(gdl_json *j, int depth_after, int had_members, int list) {
  /* closing bracket for a level whose members were written at indentation depth_after+1 */
  if (had_members) {
    jb_puts(j, "\n");
    for (int i = 0; i < depth_after; i++) jb_puts(j, "  ");
  }
  jb_puts(j, list ? "]" : "}");
}

int gdl_json_end(gdl_json *j) {
  GDL_CHECK_ARG(j != NULL, "gdl_json_end: json is NULL");
  if (j->depth == 0) return gdl_fail(GDL_ESTATE, "gdl_json_end: no nested object or list is open");
  int had = j->count[j->depth] > 0, list = j->list[j->depth];
  j->list[j->depth] = 0;
  j->depth--;
  /* the parent's indentation is depth+1 levels: close with depth+1 spaces pairs */
  json_close_level(j, j->depth + 1, had, list);
  return JSON_DONE("gdl_json_end");
}

const char *gdl_json_text(gdl_json *j) {
  if (!j || j->oom) return NULL;
  size_t extra = 8 + (size_t)(j->depth + 1) * (2 * JSON_MAX_DEPTH + 4);
  char *o = realloc(j->out, j->len + extra);
  if (!o) return NULL;
  j->out = o;
  memcpy(o, j->buf, j->len);
  size_t k = j->len;
  for (int d = j->depth; d >= 0; d--) {
    if (j->count[d] > 0) {
      o[k++] = '\n';
      for (int i = 0; i < d; i++) {
        o[k++] = ' ';
        o[k++] = ' ';
      }
    }
    o[k++] = j->list[d] ? ']' : '}';
  }
  o[k++] = '\n';
  o[k] = '\0';
  return o;
}

int gdl_json_write(gdl_json *j, const char *path) {
  GDL_CHECK_ARG(j != NULL, "gdl_json_write: json is NULL");
  GDL_TRY(check_path("gdl_json_write", path));
  const char *t = gdl_json_text(j);
  if (!t) return gdl_fail(GDL_ENOMEM, "gdl_json_write: out of memory");
  return gdl_write_atomic(path, t, strlen(t));
}

/* ------------------------------------------------------------------------ */
/* provenance                                                                 */

int gdl_json_provenance(gdl_json *j, uint64_t seed) {
  GDL_CHECK_ARG(j != NULL, "gdl_json_provenance: json is NULL");
  GDL_TRY(gdl_json_str(j, "version", gdl_version()));
  GDL_TRY(gdl_json_str(j, "git", gdl_git_describe()));
  const char *blas = gdl_blas_config();
  GDL_TRY(gdl_json_str(j, "blas", blas ? blas : "unknown"));
  GDL_TRY(gdl_json_int(j, "blas_threads", (long long)openblas_get_num_threads()));
  GDL_TRY(gdl_json_str(j, "compiler", GDL_COMPILER_STRING));
#ifdef GDL_HAVE_OPENMP
  GDL_TRY(gdl_json_int(j, "omp_threads", (long long)omp_get_max_threads()));
#else
  GDL_TRY(gdl_json_int(j, "omp_threads", 1));
#endif
  char host[256];
  if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "unknown");
  host[sizeof host - 1] = '\0';
  GDL_TRY(gdl_json_str(j, "hostname", host));
  char utc[64];
  time_t now = time(NULL);
  struct tm tmv;
  if (gmtime_r(&now, &tmv)) strftime(utc, sizeof utc, "%Y-%m-%dT%H:%M:%SZ", &tmv);
  else snprintf(utc, sizeof utc, "unknown");
  GDL_TRY(gdl_json_str(j, "utc", utc));
  /* the seed as an exact JSON integer (may exceed 2^63 - 1 as unsigned) */
  GDL_TRY(json_key(j, "gdl_json_provenance", "seed"));
  char num[32];
  snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
  jb_puts(j, num);
  return JSON_DONE("gdl_json_provenance");
}

/* ------------------------------------------------------------------------ */
/* claim records                                                              */

static void sanitize(char *dst, size_t len, const char *src) {
  size_t k = 0;
  for (const char *p = src; *p && k + 1 < len; p++) {
    char c = *p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_' || (c == '.' && k > 0);
    dst[k++] = ok ? c : '_';
  }
  if (k == 0) dst[k++] = '_';
  dst[k] = '\0';
}

int gdl_claim_record(const char *claim, const char *check, double measured,
                     const char *relation, double bound, int pass, uint64_t seed,
                     const char *params) {
  GDL_CHECK_ARG(claim != NULL && *claim, "gdl_claim_record: claim is NULL or empty");
  GDL_CHECK_ARG(check != NULL && *check, "gdl_claim_record: check is NULL or empty");
  GDL_CHECK_ARG(relation != NULL, "gdl_claim_record: relation is NULL");
  double margin;
  if (!strcmp(relation, "<=") || !strcmp(relation, "<")) margin = bound - measured;
  else if (!strcmp(relation, ">=") || !strcmp(relation, ">")) margin = measured - bound;
  else if (!strcmp(relation, "in")) margin = NAN;
  else
    return gdl_fail(GDL_EINVAL, "gdl_claim_record: relation '%s' is not one of <=, >=, <, >, in", relation);
  const char *dir = getenv("GDL_RESULTS_DIR");
  if (!dir || !*dir) return GDL_OK;
  char c1[101], c2[101];
  sanitize(c1, sizeof c1, claim);
  sanitize(c2, sizeof c2, check);
  char path[REPORT_MAX_PATH];
  int k = snprintf(path, sizeof path, "%s/claims/%s__%s.json", dir, c1, c2);
  if (k < 0 || (size_t)k + 32 >= sizeof path) return gdl_fail(GDL_EINVAL, "gdl_claim_record: GDL_RESULTS_DIR too long");
  gdl_json *j = NULL;
  GDL_TRY(gdl_json_new(&j));
  int rc = GDL_OK;
  if (rc == GDL_OK) rc = gdl_json_str(j, "claim", claim);
  if (rc == GDL_OK) rc = gdl_json_str(j, "check", check);
  if (rc == GDL_OK) rc = gdl_json_num(j, "measured", measured);
  if (rc == GDL_OK) rc = gdl_json_str(j, "relation", relation);
  if (rc == GDL_OK) rc = gdl_json_num(j, "bound", bound);
  if (rc == GDL_OK) rc = gdl_json_num(j, "margin", margin);
  if (rc == GDL_OK) rc = gdl_json_bool(j, "pass", pass);
  if (rc == GDL_OK) {
    rc = json_key(j, "gdl_claim_record", "seed");
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
    if (rc == GDL_OK) jb_puts(j, num);
  }
  if (rc == GDL_OK) rc = gdl_json_str(j, "params", params ? params : "");
  if (rc == GDL_OK) rc = gdl_json_begin(j, "provenance");
  if (rc == GDL_OK) rc = gdl_json_provenance(j, seed);
  if (rc == GDL_OK) rc = gdl_json_end(j);
  if (rc == GDL_OK) rc = gdl_json_write(j, path);
  gdl_json_free(j);
  return rc;
}

/* ------------------------------------------------------------------------ */
/* progress                                                                   */

static int progress_shown;
static double progress_last;

double gdl_clock_seconds(gdl_clock c) {
  static const clockid_t ids[] = {[GDL_CLOCK_WALL] = CLOCK_MONOTONIC, [GDL_CLOCK_PROCESS] = CLOCK_PROCESS_CPUTIME_ID,
                                  [GDL_CLOCK_THREAD] = CLOCK_THREAD_CPUTIME_ID};
  struct timespec ts;
  clock_gettime((unsigned)c < sizeof ids / sizeof ids[0] ? ids[c] : CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void gdl_progress(const char *label, size_t done, size_t total) {
  if (!isatty(2)) return;
  double t = gdl_clock_seconds(GDL_CLOCK_WALL);
  if (progress_shown && done < total && t - progress_last < 0.1) return;
  progress_last = t;
  progress_shown = 1;
  if (total > 0)
    fprintf(stderr, "\r%s %zu/%zu (%3.0f%%)   ", label ? label : "", done, total,
            100.0 * (double)done / (double)total);
  else
    fprintf(stderr, "\r%s %zu   ", label ? label : "", done);
  fflush(stderr);
}

void gdl_progress_done(void) {
  if (!progress_shown) return;
  progress_shown = 0;
  if (isatty(2)) {
    fputc('\n', stderr);
    fflush(stderr);
  }
}

/* ------------------------------------------------------------------------ */
/* summaries                                                                  */

struct gdl_summary {
  gdl_json *j;     /* {"claim": ..., "rows": [ ... (open list) */
  char **figures;
  size_t nfig, capfig;
  size_t nrows, nfail;
  int written;     /* gdl_summary_write closed the rows */
};

int gdl_summary_new(const char *claim, gdl_summary **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_summary_new: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(claim != NULL && *claim, "gdl_summary_new: claim is NULL or empty");
  gdl_summary *s = calloc(1, sizeof *s);
  if (!s) return gdl_fail(GDL_ENOMEM, "gdl_summary_new: out of memory");
  int rc = gdl_json_new(&s->j);
  if (rc == GDL_OK) rc = gdl_json_str(s->j, "claim", claim);
  if (rc == GDL_OK) rc = gdl_json_begin_list(s->j, "rows");
  if (rc != GDL_OK) {
    gdl_summary_free(s);
    return rc;
  }
  *out = s;
  return GDL_OK;
}

int gdl_summary_check(gdl_summary *s, const char *claim, const char *check, double measured, const char *rel,
                      double bound, int pass) {
  GDL_CHECK_ARG(s != NULL, "gdl_summary_check: summary is NULL");
  GDL_CHECK_ARG(claim && *claim && check && *check && rel, "gdl_summary_check: claim, check or relation missing");
  if (s->written) return gdl_fail(GDL_ESTATE, "gdl_summary_check: the summary was already written");
  char text[512];
  gdl_fmt_check(text, sizeof text, check, measured, rel, bound);
  double margin = NAN;
  if (strchr(rel, '<')) margin = bound - measured;
  else if (strchr(rel, '>')) margin = measured - bound;
  int rc = gdl_json_begin(s->j, NULL);
  if (rc == GDL_OK) rc = gdl_json_str(s->j, "claim", claim);
  if (rc == GDL_OK) rc = gdl_json_str(s->j, "check", check);
  if (rc == GDL_OK) rc = gdl_json_num(s->j, "measured", measured);
  if (rc == GDL_OK) rc = gdl_json_str(s->j, "relation", rel);
  if (rc == GDL_OK) rc = gdl_json_num(s->j, "bound", bound);
  if (rc == GDL_OK) rc = gdl_json_num(s->j, "margin", margin);
  if (rc == GDL_OK) rc = gdl_json_bool(s->j, "pass", pass);
  if (rc == GDL_OK) rc = gdl_json_str(s->j, "text", text);
  if (rc == GDL_OK) rc = gdl_json_end(s->j);
  if (rc == GDL_OK) {
    s->nrows++;
    s->nfail += !pass;
  }
  return rc;
}

int gdl_summary_figure(gdl_summary *s, const char *figure) {
  GDL_CHECK_ARG(s != NULL && figure != NULL && *figure, "gdl_summary_figure: summary or figure missing");
  if (s->nfig == s->capfig) {
    size_t nc = s->capfig ? 2 * s->capfig : 8;
    char **f = realloc(s->figures, nc * sizeof *f);
    if (!f) return gdl_fail(GDL_ENOMEM, "gdl_summary_figure: out of memory");
    s->figures = f;
    s->capfig = nc;
  }
  s->figures[s->nfig] = strdup(figure);
  if (!s->figures[s->nfig]) return gdl_fail(GDL_ENOMEM, "gdl_summary_figure: out of memory");
  s->nfig++;
  return GDL_OK;
}

size_t gdl_summary_failed(const gdl_summary *s) { return s ? s->nfail : 0; }

int gdl_summary_write(gdl_summary *s, const char *path) {
  GDL_CHECK_ARG(s != NULL, "gdl_summary_write: summary is NULL");
  GDL_TRY(check_path("gdl_summary_write", path));
  if (s->written) return gdl_fail(GDL_ESTATE, "gdl_summary_write: this summary was already written");
  /* close the rows, append the figures; the summary is complete after this call */
  s->written = 1;
  GDL_TRY(gdl_json_end(s->j));
  GDL_TRY(gdl_json_begin_list(s->j, "figures"));
  for (size_t i = 0; i < s->nfig; i++) GDL_TRY(gdl_json_str(s->j, NULL, s->figures[i]));
  GDL_TRY(gdl_json_end(s->j));
  return gdl_json_write(s->j, path);
}

void gdl_summary_free(gdl_summary *s) {
  if (!s) return;
  gdl_json_free(s->j);
  for (size_t i = 0; i < s->nfig; i++) free(s->figures[i]);
  free(s->figures);
  free(s);
}

/* ------------------------------------------------------------------------ */
/* CSV reader                                                                 */

void gdl_table_free(gdl_table *t) {
  if (!t) return;
  for (size_t c = 0; c < t->ncols; c++) free(t->names ? t->names[c] : NULL);
  free(t->names);
  free(t->v);
  memset(t, 0, sizeof *t);
}

int gdl_table_col(const gdl_table *t, const char *name) {
  if (!t || !name) return -1;
  for (size_t c = 0; c < t->ncols; c++)
    if (!strcmp(t->names[c], name)) return (int)c;
  return -1;
}

double gdl_table_get(const gdl_table *t, size_t r, const char *name) {
  int c = gdl_table_col(t, name);
  return c < 0 || r >= t->nrows ? NAN : t->v[r * t->ncols + (size_t)c];
}

/* Splits line (modified in place) at commas; returns the number of fields (<= max). */
static size_t csv_split(char *line, char **fields, size_t max) {
  size_t n = 0;
  char *p = line;
  size_t l = strlen(p);
  while (l > 0 && (p[l - 1] == '\n' || p[l - 1] == '\r')) p[--l] = '\0';
  for (;;) {
    if (n == max) return max + 1;
    fields[n++] = p;
    char *c = strchr(p, ',');
    if (!c) break;
    *c = '\0';
    p = c + 1;
  }
  return n;
}

int gdl_csv_read(const char *path, gdl_table *out) {
  GDL_CHECK_ARG(out != NULL, "gdl_csv_read: out is NULL");
  memset(out, 0, sizeof *out);
  GDL_CHECK_ARG(path != NULL && *path, "gdl_csv_read: path is NULL or empty");
  FILE *f = fopen(path, "r");
  if (!f) return gdl_fail(GDL_EIO, "gdl_csv_read: cannot open %s: %s", path, strerror(errno));
  int rc = GDL_OK;
  char *line = NULL;
  size_t lcap = 0, cap = 0;
  ssize_t got;
  char **fields = NULL;
  gdl_table t = {0};
  size_t lineno = 0;
  while ((got = getline(&line, &lcap, f)) >= 0) {
    lineno++;
    if (lineno == 1) {
      /* header: count the fields first */
      size_t nc = 1;
      for (const char *p = line; *p; p++) nc += *p == ',';
      fields = malloc(nc * sizeof *fields);
      t.names = calloc(nc, sizeof *t.names);
      if (!fields || !t.names) { rc = gdl_fail(GDL_ENOMEM, "gdl_csv_read: out of memory"); break; }
      t.ncols = csv_split(line, fields, nc);
      for (size_t c = 0; c < t.ncols && rc == GDL_OK; c++) {
        t.names[c] = strdup(fields[c]);
        if (!t.names[c]) rc = gdl_fail(GDL_ENOMEM, "gdl_csv_read: out of memory");
      }
      continue;
    }
    if (got <= 1 && (line[0] == '\n' || line[0] == '\0')) continue; /* blank line */
    size_t n = csv_split(line, fields, t.ncols);
    if (n != t.ncols) {
      rc = gdl_fail(GDL_EPARSE, "gdl_csv_read: %s line %zu: %zu fields, header has %zu", path, lineno,
                    n, t.ncols);
      break;
    }
    if (t.nrows == cap) {
      size_t nc = cap ? 2 * cap : 64;
      double *nv = realloc(t.v, nc * t.ncols * sizeof *nv);
      if (!nv) { rc = gdl_fail(GDL_ENOMEM, "gdl_csv_read: out of memory"); break; }
      t.v = nv;
      cap = nc;
    }
    for (size_t c = 0; c < t.ncols && rc == GDL_OK; c++) {
      char *e = NULL;
      errno = 0;
      double x = strtod(fields[c], &e);
      if (e == fields[c] || *e != '\0')
        rc = gdl_fail(GDL_EPARSE, "gdl_csv_read: %s line %zu column '%s': '%.40s' is not a number", path,
                      lineno, t.names[c], fields[c]);
      t.v[t.nrows * t.ncols + c] = x;
    }
    if (rc != GDL_OK) break;
    t.nrows++;
  }
  if (rc == GDL_OK && ferror(f)) rc = gdl_fail(GDL_EIO, "gdl_csv_read: reading %s: %s", path, strerror(errno));
  if (rc == GDL_OK && lineno == 0) rc = gdl_fail(GDL_EPARSE, "gdl_csv_read: %s is empty (no header)", path);
  fclose(f);
  free(line);
  free(fields);
  if (rc != GDL_OK) {
    gdl_table_free(&t);
    return rc;
  }
  *out = t;
  return GDL_OK;
}
