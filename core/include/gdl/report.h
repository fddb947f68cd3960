/* gdl/report.h: result files (CSV + JSON sidecar), written atomically, with provenance,
 * and the per-claim records that the claims report reads.
 *
 * Every file is written to "<path>.tmp.<pid>" and renamed over <path> on commit, so an
 * interrupted run never leaves a half file. Every writer (gdl_write_atomic, gdl_csv_open,
 * gdl_json_write, gdl_summary_write, gdl_net_save) refuses an existing target that is not a
 * regular file (a device such as /dev/null, a FIFO, a directory): the rename would replace
 * it. On the first write into a directory, each process removes the temp files "*.tmp.<pid>"
 * there whose process no longer exists (a SIGKILLed run; a pid of another PID namespace
 * sharing the directory would look dead: do not share result directories across
 * containers while they write). */
#ifndef GDL_REPORT_H
#define GDL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mkdir -p */
int gdl_mkdir_p(const char *path);
/* Write `len` bytes to path atomically (creates parent directories). */
int gdl_write_atomic(const char *path, const char *data, size_t len);

/* GDL_OK if path does not exist or is a regular file (or a symlink to one); GDL_EINVAL
 * naming `fn` and the path otherwise. */
int gdl_output_target_check(const char *fn, const char *path);
/* Removes "<path>.tmp.<pid>" files whose process no longer exists (kill(pid, 0) fails with
 * ESRCH); files of live processes are kept. Returns how many were removed. Best effort;
 * always scans (the writers do it once per directory and process by themselves). */
size_t gdl_tmp_cleanup(const char *path);

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
/* The whole file at once: the header and nrows rows of ncols numbers (rows row-major),
 * atomically (open, rows, commit; nothing left behind on failure). */
int gdl_csv_write(const char *path, size_t ncols, const char *const *columns, size_t nrows, const double *rows);

/* ---- JSON (a small builder for flat objects with nested objects) ---- */
typedef struct gdl_json gdl_json;
int gdl_json_new(gdl_json **out);
void gdl_json_free(gdl_json *j);
int gdl_json_str(gdl_json *j, const char *key, const char *val);
int gdl_json_num(gdl_json *j, const char *key, double val);   /* non-finite -> null */
int gdl_json_int(gdl_json *j, const char *key, long long val);
int gdl_json_bool(gdl_json *j, const char *key, int val);
int gdl_json_nums(gdl_json *j, const char *key, size_t n, const double *vals);
/* Nested object. Inside a list (gdl_json_begin_list) every member, objects included, is
 * given with key NULL. */
int gdl_json_begin(gdl_json *j, const char *key);
int gdl_json_begin_list(gdl_json *j, const char *key); /* nested list [...] */
int gdl_json_end(gdl_json *j);                        /* closes the innermost object or list */
/* "version", "git", "blas" (openblas_get_config), "blas_threads", "compiler",
 * "omp_threads", "hostname", "utc" and "seed". */
int gdl_json_provenance(gdl_json *j, uint64_t seed);
const char *gdl_json_text(gdl_json *j);  /* closes open objects; valid until next call */
int gdl_json_write(gdl_json *j, const char *path);  /* atomic */

/* ---- CSV reader (numeric tables with a header line) ---- */
typedef struct {
  size_t nrows, ncols;
  char **names; /* ncols column names */
  double *v;    /* nrows x ncols, row-major */
} gdl_table;
/* Reads a CSV written by gdl_csv (header line, then numeric rows; nan/inf accepted). A row
 * with the wrong number of fields or a non-numeric field is GDL_EPARSE naming the line and
 * column; an empty file (no header) too. Free with gdl_table_free. */
int gdl_csv_read(const char *path, gdl_table *out);
void gdl_table_free(gdl_table *t);
/* Index of the column called name, -1 if there is none. */
int gdl_table_col(const gdl_table *t, const char *name);
/* Value of column `name` in row r; NaN when there is no such column or row. */
double gdl_table_get(const gdl_table *t, size_t r, const char *name);

/* ---- sweep summaries: summary.json, the claims report's rows of a figure family ----
 * {"claim": "<claim>", "rows": [{"claim", "check", "measured", "relation", "bound",
 * "margin", "pass", "text"}...], "figures": [...]}; "text" is gdl_fmt_check's line, the
 * same that gdl_test_claim prints. The buffer grows as needed (no fixed-size buffer). */
typedef struct gdl_summary gdl_summary;
int gdl_summary_new(const char *claim, gdl_summary **out);
int gdl_summary_check(gdl_summary *s, const char *claim, const char *check, double measured, const char *rel,
                      double bound, int pass);
int gdl_summary_figure(gdl_summary *s, const char *figure);
/* Number of rows added with pass = 0. */
size_t gdl_summary_failed(const gdl_summary *s);
/* Writes the summary atomically; after this no row can be added. */
int gdl_summary_write(gdl_summary *s, const char *path);
void gdl_summary_free(gdl_summary *s);

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

/* Seconds on a clock, for progress and timings: GDL_CLOCK_WALL (monotonic wall time),
 * GDL_CLOCK_PROCESS (CPU time of this process, all threads), GDL_CLOCK_THREAD (CPU time of
 * the calling thread). Only differences of two readings of the same clock mean anything. */
typedef enum { GDL_CLOCK_WALL = 0, GDL_CLOCK_PROCESS, GDL_CLOCK_THREAD } gdl_clock;
double gdl_clock_seconds(gdl_clock c);

#ifdef __cplusplus
}
#endif
#endif
