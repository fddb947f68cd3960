/* names.c: enum names from static tables (see names.h). */
#include <stdio.h>
#include <string.h>
#include "gdl/error.h"
#include "names.h"

const char *gdl_names_get(const char *const *names, size_t n, unsigned v) {
  return v < n && names[v] ? names[v] : "?";
}

int gdl_names_find(const char *const *names, size_t n, const char *what, const char *name, unsigned *v) {
  for (size_t i = 0; i < n; i++)
    if (names[i] && !strcmp(name, names[i])) {
      *v = (unsigned)i;
      return GDL_OK;
    }
  char list[256] = "";
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    if (!names[i]) continue;
    int w = snprintf(list + off, sizeof list - off, "%s%s", off ? "|" : "", names[i]);
    if (w < 0 || (size_t)w >= sizeof list - off) break; /* truncated: the list stops here */
    off += (size_t)w;
  }
  return gdl_fail(GDL_EINVAL, "unknown %s '%s' (%s)", what, name, list);
}
