/* gdl/sweep.h: independent sweep points, resumable, optionally spread over MPI ranks.
 *
 * A sweep is a list of npoints independent computations (sizes x seeds x ...). Each
 * point writes its own small result file <outdir>/points/<name>-<index>.csv through
 * gdl_write_atomic/gdl_csv, so an interrupted sweep resumes from the points it finished
 * (gdl_sweep_point_done) and never sees a half file. The final CSV is assembled from
 * the point files by the root process (gdl_sweep_assemble).
 *
 * Distribution: built with -DGDL_MPI=ON and started under `mpirun -n K prog ...`, the
 * sweep initialises MPI and point i belongs to rank i mod K; gdl_sweep_barrier waits for
 * all ranks before the root assembles. Without MPI (the default build) one process owns
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
