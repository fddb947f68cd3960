/* gdl/sweep.h: independent sweep points, resumable, optionally spread over MPI ranks.
 *
 * A sweep is a list of npoints independent computations (sizes x seeds x ...). Each
 * point writes its own small result file <outdir>/points/<name>-<index>.csv through
 * gdl_write_atomic/gdl_csv, so an interrupted sweep resumes from the points it finished
 * (gdl_sweep_point_done) and never sees a half file. The final CSV is assembled from
 * the point files by the root process (gdl_sweep_assemble).
 *
 * Distribution: built with -DGDL_MPI=ON and started under `mpirun -n K prog ...`, the
 * sweep initialises MPI and point i belongs to rank i mod K, or, after gdl_sweep_set_costs,
 * to the rank chosen by a cost-balanced assignment (longest point first to the least loaded
 * rank); gdl_sweep_barrier waits for all ranks before the root assembles. Without MPI (the default build) one process owns
 * every point. The points are keyed by index only, so the result does not depend on
 * the number of ranks. */
#ifndef GDL_SWEEP_H
#define GDL_SWEEP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gdl_sweep gdl_sweep;

/* argc/argv are passed to MPI_Init when MPI is compiled in (may be NULL otherwise). */
int gdl_sweep_begin(int *argc, char ***argv, const char *outdir, const char *name, size_t npoints,
                    gdl_sweep **out);
/* Relative cost estimates of the points (e.g. steps x width, or d^2), npoints of them, finite
 * and >= 0: the points are assigned to ranks by longest-processing-time-first (each point,
 * costliest first, to the rank with the least load so far; deterministic, the same on every
 * rank), and gdl_sweep_run starts the costliest points first. The results do not change,
 * only who computes what and when. Call before gdl_sweep_run. */
int gdl_sweep_set_costs(gdl_sweep *s, const double *cost);
/* 1 if this process computes point i. */
int gdl_sweep_owns(const gdl_sweep *s, size_t i);
/* How many points this process owns (the total of its progress line). */
size_t gdl_sweep_owned(const gdl_sweep *s);
/* Path of point i's result file (valid until the next call with this sweep). */
const char *gdl_sweep_point_path(gdl_sweep *s, size_t i);
/* 1 if point i's result file exists (finished in an earlier or the current run). */
int gdl_sweep_point_done(gdl_sweep *s, size_t i);
/* Wait for every rank (no-op without MPI). */
int gdl_sweep_barrier(gdl_sweep *s);
/* 1 on the process that assembles results and writes summaries (rank 0). */
int gdl_sweep_is_root(const gdl_sweep *s);
int gdl_sweep_rank(const gdl_sweep *s);
int gdl_sweep_size(const gdl_sweep *s);
/* ---- the key: a point is reused only by a sweep of the same configuration ----
 * gdl_sweep_set_key(s, text): text is the sweep's whole configuration (the experiment's
 * config JSON with the seed, the mode and the library version: anything that changes a
 * point's result). Its 64-bit FNV-1a hash names the point directory,
 *   <outdir>/points/<name>-<hash>/<index>.<ext>,
 * and the text itself is written there as key.json, so a sweep with another seed, mode or
 * grid never reads this one's points (it computes its own beside them). Call it right after
 * gdl_sweep_begin, before any path is asked for. Without a key the points live in
 * <outdir>/points/<name>-<index>.csv (the old layout). */
int gdl_sweep_set_key(gdl_sweep *s, const char *text);
/* The hash of the key (0 without a key). */
unsigned long long gdl_sweep_key_hash(const gdl_sweep *s);
/* Thread-safe path of point i's file with extension ext ("csv", "curve.csv", ...), written
 * into buf. The point counts as done when its "csv" file exists: write that one last. */
int gdl_sweep_point_file(const gdl_sweep *s, size_t i, const char *ext, char *buf, size_t len);

/* ---- the runner ----
 * fn computes point i and writes its files (gdl_sweep_point_file; the "csv" one last, via
 * gdl_csv or gdl_write_atomic). gdl_sweep_run calls fn for every point this process owns
 * whose "csv" file does not exist yet, in parallel over OpenMP threads when built with
 * OpenMP (dynamic schedule, one point at a time), shows a progress line labelled `label`
 * (only when stderr is a terminal; NULL: none), and counts the points whose fn failed
 * (*failed, may be NULL). Returns GDL_OK when every point succeeded; otherwise the status of
 * the first failure with its message prefixed by the point index. fn must be thread-safe
 * (its own streams and buffers per point). */
typedef int (*gdl_sweep_point_fn)(void *ctx, gdl_sweep *s, size_t i);
int gdl_sweep_run(gdl_sweep *s, const char *label, gdl_sweep_point_fn fn, void *ctx, size_t *failed);

/* Concatenate the point files (each: one header line + rows; the header of the first is
 * kept, the others' dropped) into `path` atomically. Fails with GDL_EIO naming the first
 * missing point. */
int gdl_sweep_assemble(gdl_sweep *s, const char *path);
/* Finalises MPI when this sweep initialised it; frees s. */
void gdl_sweep_end(gdl_sweep *s);

#ifdef __cplusplus
}
#endif
#endif
