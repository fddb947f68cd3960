/* gdl/error.h: status codes and the last error message.
 *
 * Every libgdl function that can fail returns an int status: GDL_OK (0) on
 * success, a negative GDL_E* code otherwise, and leaves a one-line message
 * readable with gdl_strerror_last(). The message buffer is thread-local.
 * The library never prints, exits or aborts. Loading it switches GSL's default
 * error handler (which aborts) off; GSL statuses are checked and turned into GDL_E*. */
#ifndef GDL_ERROR_H
#define GDL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  GDL_OK = 0,
  GDL_EINVAL = -1,    /* bad argument: NULL, zero/absurd size, NaN input, bad option */
  GDL_ENOMEM = -2,    /* allocation failed */
  GDL_EDIVERGED = -3, /* non-finite loss or parameters during training */
  GDL_EIO = -4,       /* file could not be read or written */
  GDL_EPARSE = -5,    /* text could not be parsed (message names the position) */
  GDL_ERANGE = -6,    /* size out of the supported range (e.g. 2^n too large) */
  GDL_ESTATE = -7,    /* call out of order (e.g. backward before forward) */
  GDL_ENUMERIC = -8   /* a numerical routine (GSL) failed */
};

/* The message of the last failure in this thread ("" if none). */
const char *gdl_strerror_last(void);
/* Name of a status code ("GDL_EINVAL", ...). */
const char *gdl_status_name(int status);
/* Record a failure: formats the message and returns `status` (for `return gdl_fail(...)`). */
int gdl_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clear the message. */
void gdl_clear_error(void);

/* Convenience for argument checks inside the library. */
#define GDL_CHECK_ARG(cond, ...) \
  do { if (!(cond)) return gdl_fail(GDL_EINVAL, __VA_ARGS__); } while (0)
#define GDL_TRY(expr) \
  do { int gdl_try_rc_ = (expr); if (gdl_try_rc_ != GDL_OK) return gdl_try_rc_; } while (0)
/* The one idiom for functions that own resources: a local `int rc = GDL_OK;`, a label
 * `cleanup:` that frees everything (NULL-safe frees) and `return rc;`, and
 *   GDL_TRY_CLEANUP(gdl_net_alloc(...));
 * which stores the status in rc and jumps to cleanup on failure. */
#define GDL_TRY_CLEANUP(expr) \
  do { rc = (expr); if (rc != GDL_OK) goto cleanup; } while (0)

/* Free every heap pointer of a list (NULL-safe), for a cleanup that owns several buffers:
 *   GDL_FREE_ALL(r->x, r->y, r->w);
 * The pointers are collected into a compound-literal array of void *. */
#define GDL_FREE_ALL(...) \
  gdl_free_all_((void *[]){__VA_ARGS__}, sizeof((void *[]){__VA_ARGS__}) / sizeof(void *))
void gdl_free_all_(void *const *ptrs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
