/* report_json.c: a small JSON reader (RFC 8259 values; depth <= 64) for gdl-report. */
#define _GNU_SOURCE 1
#include "report.h"

/* ------------------------------------------------------------------------------------
 * A small JSON reader (RFC 8259 values; depth <= 64)
 * ------------------------------------------------------------------------------------ */

void jfree(jval *v) {
  if (!v) return;
  free(v->str);
  for (size_t i = 0; i < v->n; i++) {
    if (v->keys) free(v->keys[i]);
    jfree(v->items[i]);
  }
  free(v->keys);
  free(v->items);
  free(v);
}

static jval *jnew(jtype t) {
  jval *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->t = t;
  return v;
}

static int jfail(jparser *P, const char *what) {
  if (!P->err[0]) {
    /* line and column of the error */
    size_t line = 1, col = 1;
    for (const char *q = P->s; q < P->p && q < P->end; q++) {
      if (*q == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    snprintf(P->err, sizeof P->err, "%s at line %zu, column %zu (byte %zu)", what, line, col,
             (size_t)(P->p - P->s));
  }
  return -1;
}

static void jws(jparser *P) {
  while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r'))
    P->p++;
}

static void put_utf8(sbuf *b, unsigned cp) {
  char c[4];
  if (cp < 0x80) {
    c[0] = (char)cp;
    sb_putn(b, c, 1);
  } else if (cp < 0x800) {
    c[0] = (char)(0xC0 | (cp >> 6));
    c[1] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 2);
  } else if (cp < 0x10000) {
    c[0] = (char)(0xE0 | (cp >> 12));
    c[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    c[2] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 3);
  } else {
    c[0] = (char)(0xF0 | (cp >> 18));
    c[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    c[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    c[3] = (char)(0x80 | (cp & 0x3F));
    sb_putn(b, c, 4);
  }
}

static int jhex4(jparser *P, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    if (P->p >= P->end) return jfail(P, "truncated \\u escape");
    char c = *P->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return jfail(P, "bad hex digit in \\u escape");
  }
  *out = v;
  return 0;
}

static int jstring(jparser *P, char **out) {
  if (P->p >= P->end || *P->p != '"') return jfail(P, "expected '\"'");
  P->p++;
  sbuf b = {0};
  for (;;) {
    if (P->p >= P->end) {
      free(b.s);
      return jfail(P, "unterminated string");
    }
    unsigned char c = (unsigned char)*P->p++;
    if (c == '"') break;
    if (c < 0x20) {
      P->p--;
      free(b.s);
      return jfail(P, "control character in string");
    }
    if (c != '\\') {
      sb_putn(&b, (const char *)&c, 1);
      continue;
    }
    if (P->p >= P->end) {
      free(b.s);
      return jfail(P, "unterminated escape");
    }
    char e = *P->p++;
    switch (e) {
      case '"': sb_puts(&b, "\""); break;
      case '\\': sb_puts(&b, "\\"); break;
      case '/': sb_puts(&b, "/"); break;
      case 'b': sb_puts(&b, "\b"); break;
      case 'f': sb_puts(&b, "\f"); break;
      case 'n': sb_puts(&b, "\n"); break;
      case 'r': sb_puts(&b, "\r"); break;
      case 't': sb_puts(&b, "\t"); break;
      case 'u': {
        unsigned cp;
        if (jhex4(P, &cp)) {
          free(b.s);
          return -1;
        }
        if (cp >= 0xD800 && cp < 0xDC00 && P->end - P->p >= 6 && P->p[0] == '\\' &&
            P->p[1] == 'u') {
          unsigned lo;
          P->p += 2;
          if (jhex4(P, &lo)) {
            free(b.s);
            return -1;
          }
          if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          else cp = 0xFFFD;
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        put_utf8(&b, cp);
        break;
      }
      default:
        P->p--;
        free(b.s);
        return jfail(P, "bad escape in string");
    }
  }
  *out = b.s ? b.s : xstrdup("");
  return 0;
}


static int jvalue(jparser *P, jval **out);

static int jlit(jparser *P, const char *lit) {
  size_t l = strlen(lit);
  if ((size_t)(P->end - P->p) < l || memcmp(P->p, lit, l) != 0) return 0;
  P->p += l;
  return 1;
}

static int jnumber(jparser *P, jval **out) {
  const char *q = P->p;
  if (q < P->end && *q == '-') q++;
  if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "unexpected character");
  if (*q == '0') q++;
  else
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  if (q < P->end && *q == '.') {
    q++;
    if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "bad number");
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  }
  if (q < P->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < P->end && (*q == '+' || *q == '-')) q++;
    if (q >= P->end || !isdigit((unsigned char)*q)) return jfail(P, "bad number exponent");
    while (q < P->end && isdigit((unsigned char)*q)) q++;
  }
  char tmp[64];
  size_t l = (size_t)(q - P->p);
  if (l >= sizeof tmp) return jfail(P, "number too long");
  memcpy(tmp, P->p, l);
  tmp[l] = 0;
  jval *v = jnew(J_NUM);
  v->num = strtod(tmp, NULL);
  v->str = xstrdup(tmp); /* exact text: 64-bit seeds exceed double precision */
  P->p = q;
  *out = v;
  return 0;
}

static int jvalue(jparser *P, jval **out) {
  *out = NULL;
  jws(P);
  if (P->p >= P->end) return jfail(P, "unexpected end of input");
  if (++P->depth > 64) return jfail(P, "nesting too deep");
  int rc = 0;
  char c = *P->p;
  if (c == '{' || c == '[') {
    const int obj = c == '{';
    jval *v = jnew(obj ? J_OBJ : J_ARR);
    size_t cap = 0;
    P->p++;
    jws(P);
    if (P->p < P->end && *P->p == (obj ? '}' : ']')) {
      P->p++;
    } else {
      for (;;) {
        char *key = NULL;
        if (obj) {
          jws(P);
          if (jstring(P, &key)) {
            rc = -1;
            break;
          }
          jws(P);
          if (P->p >= P->end || *P->p != ':') {
            free(key);
            rc = jfail(P, "expected ':' after key");
            break;
          }
          P->p++;
        }
        jval *item = NULL;
        if (jvalue(P, &item)) {
          free(key);
          rc = -1;
          break;
        }
        if (v->n == cap) {
          cap = cap ? 2 * cap : 8;
          v->items = xrealloc(v->items, cap * sizeof *v->items);
          if (obj) v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
        }
        if (obj) v->keys[v->n] = key;
        v->items[v->n++] = item;
        jws(P);
        if (P->p < P->end && *P->p == ',') {
          P->p++;
          continue;
        }
        if (P->p < P->end && *P->p == (obj ? '}' : ']')) {
          P->p++;
          break;
        }
        rc = jfail(P, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
      }
    }
    if (rc) jfree(v);
    else *out = v;
  } else if (c == '"') {
    char *s = NULL;
    if (jstring(P, &s)) rc = -1;
    else {
      *out = jnew(J_STR);
      (*out)->str = s;
    }
  } else if (jlit(P, "true") || jlit(P, "false")) {
    *out = jnew(J_BOOL);
    (*out)->b = P->p[-1] == 'e' && P->p[-2] == 'u';
  } else if (jlit(P, "null")) {
    *out = jnew(J_NULL);
  } else {
    rc = jnumber(P, out);
  }
  P->depth--;
  return rc;
}

/* Parse a whole document; on failure returns NULL and writes the message into err. */
jval *jparse(const char *text, size_t len, char *err, size_t errlen) {
  jparser P;
  memset(&P, 0, sizeof P);
  P.s = P.p = text;
  P.end = text + len;
  jval *v = NULL;
  if (jvalue(&P, &v) == 0) {
    jws(&P);
    if (P.p != P.end) {
      jfail(&P, "trailing characters after the JSON value");
      jfree(v);
      v = NULL;
    }
  }
  if (!v) snprintf(err, errlen, "%s", P.err[0] ? P.err : "invalid JSON");
  return v;
}

const jval *jget(const jval *o, const char *key) {
  if (!o || o->t != J_OBJ) return NULL;
  for (size_t i = 0; i < o->n; i++)
    if (!strcmp(o->keys[i], key)) return o->items[i];
  return NULL;
}
const char *jgets(const jval *o, const char *key) {
  const jval *v = jget(o, key);
  return v && v->t == J_STR ? v->str : NULL;
}

/* Any scalar as text ("" if absent). */
void jtext(const jval *v, char *buf, size_t len) {
  if (!v) {
    if (len) buf[0] = 0;
    return;
  }
  switch (v->t) {
    case J_NULL: snprintf(buf, len, "null"); break;
    case J_BOOL: snprintf(buf, len, "%s", v->b ? "true" : "false"); break;
    case J_NUM:
      if (v->str && !strpbrk(v->str, ".eE")) snprintf(buf, len, "%s", v->str);
      else snprintf(buf, len, "%.6g", v->num);
      break;
    case J_STR: snprintf(buf, len, "%s", v->str); break;
    case J_ARR: {
      size_t k = 0;
      k += (size_t)snprintf(buf + k, len - k, "[");
      for (size_t i = 0; i < v->n && k < len; i++) {
        char t[64];
        jtext(v->items[i], t, sizeof t);
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", t);
      }
      if (k < len) snprintf(buf + k, len - k, "]");
      break;
    }
    case J_OBJ: snprintf(buf, len, "{...}"); break;
  }
}
