#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include "gdl/error.h"

static _Thread_local char last_msg[512];

const char *gdl_strerror_last(void) { return last_msg; }

void gdl_clear_error(void) { last_msg[0] = '\0'; }

int gdl_fail(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_msg, sizeof last_msg, fmt, ap);
  va_end(ap);
  return status;
}

const char *gdl_status_name(int status) {
  switch (status) {
    case GDL_OK: return "GDL_OK";
    case GDL_EINVAL: return "GDL_EINVAL";
    case GDL_ENOMEM: return "GDL_ENOMEM";
    case GDL_EDIVERGED: return "GDL_EDIVERGED";
    case GDL_EIO: return "GDL_EIO";
    case GDL_EPARSE: return "GDL_EPARSE";
    case GDL_ERANGE: return "GDL_ERANGE";
    case GDL_ESTATE: return "GDL_ESTATE";
    case GDL_ENUMERIC: return "GDL_ENUMERIC";
    default: return "GDL_E?";
  }
}

/* GSL's default error handler calls abort(). libgdl never aborts: it checks the status
 * that every GSL routine returns. Switch the handler off when the library is loaded
 * (error.c is linked into every program that uses libgdl, since all modules call
 * gdl_fail). A program that wants GSL's handler back may call gsl_set_error_handler. */
__attribute__((constructor)) static void gdl_gsl_handler_off(void) { gsl_set_error_handler_off(); }

void gdl_free_all_(void *const *ptrs, size_t n) {
  for (size_t i = 0; i < n; ++i) free(ptrs[i]);
}
