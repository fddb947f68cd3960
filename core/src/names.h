/* names.h: private to libgdl (core/src): the names of an enum as a static table indexed by
 * the enum, shared by the gdl_*_name / gdl_*_parse pairs (loss, optimiser, activation). */
#ifndef GDL_NAMES_H
#define GDL_NAMES_H
#include <stddef.h>

#define GDL_NAMES_LEN(table) (sizeof(table) / sizeof((table)[0]))

/* names[v], or "?" when v is outside the table (or its entry is NULL). */
const char *gdl_names_get(const char *const *names, size_t n, unsigned v);
/* *v = the index of `name` in names[0..n); GDL_EINVAL with the message
 * "unknown <what> '<name>' (<names[0]>|<names[1]>|...)" when it is not there. */
int gdl_names_find(const char *const *names, size_t n, const char *what, const char *name, unsigned *v);
#endif
