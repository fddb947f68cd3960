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

/* indexed by -status (the codes are 0, -1, ..., -8) */
static const char *const STATUS_NAMES[] = {
    [-GDL_OK] = "GDL_OK", [-GDL_EINVAL] = "GDL_EINVAL", [-GDL_ENOMEM] = "GDL_ENOMEM",
    [-GDL_EDIVERGED] = "GDL_EDIVERGED", [-GDL_EIO] = "GDL_EIO", [-GDL_EPARSE] = "GDL_EPARSE",
    [-GDL_ERANGE] = "GDL_ERANGE", [-GDL_ESTATE] = "GDL_ESTATE", [-GDL_ENUMERIC] = "GDL_ENUMERIC"};
#define NSTATUS (int)(sizeof STATUS_NAMES / sizeof STATUS_NAMES[0])
_Static_assert(NSTATUS == 1 - GDL_ENUMERIC, "a name for every status code");

const char *gdl_status_name(int status) {
  return status <= 0 && status > -NSTATUS ? STATUS_NAMES[-status] : "GDL_E?";
}

/* GSL's default error handler calls abort(). libgdl never aborts: it checks the status
 * that every GSL routine returns. Switch the handler off when the library is loaded
 * (error.c is linked into every program that uses libgdl, since all modules call
 * gdl_fail). A program that wants GSL's handler back may call gsl_set_error_handler. */
__attribute__((constructor)) static void gdl_gsl_handler_off(void) { gsl_set_error_handler_off(); }

void gdl_free_all_(void *const *ptrs, size_t n) {
  for (size_t i = 0; i < n; ++i) free(ptrs[i]);
}
