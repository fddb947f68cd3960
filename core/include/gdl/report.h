/* gdl/report.h: result files (CSV + JSON sidecar), written atomically, with provenance,
 * and the per-claim records that the claims report reads.
 *
 * Every file is written to "<path>.tmp.<pid>" and renamed over <path> on commit, so an
 * interrupted run never leaves a half file. */
#ifndef GDL_REPORT_H
#define GDL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* mkdir -p */
int gdl_mkdir_p(const char *path);
/* Write `len` bytes to path atomically (creates parent directories). */
int gdl_write_atomic(const char *path, const char *data, size_t len);

/* ---- CSV ---- */
typedef struct gdl_csv gdl_csv;
/* Opens the temp file and writes the header (ncols names). */
int gdl_csv_open(const char *path, size_t ncols, const char *const *columns, gdl_csv **out);
/* One row of ncols numbers (%.17g; NaN written as nan). */
int gdl_csv_row(gdl_csv *c, const double *vals);
/* One row given as preformatted text (no trailing newline needed). */
int gdl_csv_row_text(gdl_csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fsync + rename; frees c. */
int gdl_csv_commit(gdl_csv *c);
/* Remove the temp file; frees c. */
void gdl_csv_abort(gdl_csv *c);

/* ---- JSON (a small builder for flat objects with nested objects) ---- */
typedef struct gdl_json gdl_json;
int gdl_json_new(gdl_json **out);
void gdl_json_free(gdl_json *j);
int gdl_json_str(gdl_json *j, const char *key, const char *val);
int gdl_json_num(gdl_json *j, const char *key, double val);   /* non-finite -> null */
int gdl_json_int(gdl_json *j, const char *key, long long val);
int gdl_json_bool(gdl_json *j, const char *key, int val);
int gdl_json_nums(gdl_json *j, const char *key, size_t n, const double *vals);
int gdl_json_begin(gdl_json *j, const char *key);   /* nested object */
int gdl_json_end(gdl_json *j);
/* "version", "git", "blas" (openblas_get_config), "blas_threads", "compiler",
 * "omp_threads", "hostname", "utc" and "seed". */
int gdl_json_provenance(gdl_json *j, uint64_t seed);
const char *gdl_json_text(gdl_json *j);  /* closes open objects; valid until next call */
int gdl_json_write(gdl_json *j, const char *path);  /* atomic */

/* Library version and git description compiled in. */
const char *gdl_version(void);
const char *gdl_git_describe(void);
const char *gdl_blas_config(void);

/* ---- claim records ----
 * One JSON file per assertion: $GDL_RESULTS_DIR/claims/<claim>__<check>.json with
 * claim, check, measured, relation ("<=", ">=", "<", ">", "in"), bound, margin,
 * pass, seed, params (free text), provenance. Does nothing (returns GDL_OK) when
 * GDL_RESULTS_DIR is unset. */
int gdl_claim_record(const char *claim, const char *check, double measured,
                     const char *relation, double bound, int pass, uint64_t seed,
                     const char *params);

/* Progress line on stderr, only when stderr is a terminal (\r-updated). Callers
 * (CLI, benchmarks) use it; the library's numerical routines never print. */
void gdl_progress(const char *label, size_t done, size_t total);
void gdl_progress_done(void);

#ifdef __cplusplus
}
#endif
#endif
