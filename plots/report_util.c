/* report_util.c: growable strings with HTML/Markdown escaping, file and directory helpers. */
#define _GNU_SOURCE 1
#include "report.h"

/* ------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------ */
void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "gdl-report: out of memory\n");
    exit(1);
  }
  return p;
}
void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fprintf(stderr, "gdl-report: out of memory\n");
    exit(1);
  }
  return p;
}
char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

/* growable string */
void sb_putn(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->s = xrealloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}
void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }
void sb_printf(sbuf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  if ((size_t)k < sizeof tmp) {
    sb_putn(b, tmp, (size_t)k);
    return;
  }
  char *big = xmalloc((size_t)k + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)k + 1, fmt, ap);
  va_end(ap);
  sb_putn(b, big, (size_t)k);
  free(big);
}
/* HTML-escaped text */
void sb_html(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
      case '<': sb_puts(b, "&lt;"); break;
      case '>': sb_puts(b, "&gt;"); break;
      case '&': sb_puts(b, "&amp;"); break;
      case '"': sb_puts(b, "&quot;"); break;
      default: sb_putn(b, s, 1);
    }
  }
}
/* Markdown table cell: no '|' or newlines */
void sb_md(sbuf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|') sb_puts(b, "\\|");
    else if (*s == '\n' || *s == '\r') sb_putn(b, " ", 1);
    else if (*s == '<') sb_puts(b, "&lt;");
    else sb_putn(b, s, 1);
  }
}

char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    return NULL;
  }
  sbuf b = {0};
  char buf[65536];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(&b, buf, k);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    snprintf(err, errlen, "read error");
    free(b.s);
    return NULL;
  }
  if (!b.s) b.s = xstrdup("");
  *len = b.n;
  return b.s;
}

int write_atomic(const char *path, const char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int ok = fwrite(data, 1, len, f) == len;
  ok = (fflush(f) == 0) && ok;
  ok = (fsync(fileno(f)) == 0) && ok;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    return -1;
  }
  return 0;
}

int mkdir_p(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == 0) {
      char c = buf[i];
      buf[i] = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      buf[i] = c;
    }
  }
  return 0;
}

int cmpstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted names in dir (regular entries, not starting with '.') ending with suffix ("" = any).
 * Returns count, or -1 if the directory cannot be opened. */
int list_dir(const char *dir, const char *suffix, char ***out) {
  DIR *d = opendir(dir);
  *out = NULL;
  if (!d) return -1;
  size_t n = 0, cap = 0;
  char **v = NULL;
  struct dirent *e;
  size_t sl = strlen(suffix);
  while ((e = readdir(d))) {
    const char *nm = e->d_name;
    size_t l = strlen(nm);
    if (nm[0] == '.') continue;
    if (l < sl || strcmp(nm + l - sl, suffix) != 0) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      v = xrealloc(v, cap * sizeof *v);
    }
    v[n++] = xstrdup(nm);
  }
  closedir(d);
  if (n) qsort(v, n, sizeof *v, cmpstr);
  *out = v;
  return (int)n;
}
void free_list(char **v, int n) {
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}
int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}
int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}
