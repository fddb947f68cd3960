/* sweep.c: resumable sweeps over independent points, MPI-distributed when built with it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gdl/error.h"
#include "gdl/report.h"
#include "gdl/sweep.h"
#ifdef GDL_HAVE_MPI
#include <mpi.h>
#endif

struct gdl_sweep {
  char outdir[2048];
  char name[128];
  size_t npoints;
  int rank, size;
  int mpi_owned; /* we called MPI_Init */
  unsigned long long key;  /* FNV-1a of the key text; 0: no key */
  int *owner;              /* owner[i]: rank of point i (cost-balanced), NULL: i mod size */
  size_t *order;           /* points by decreasing cost (NULL: index order) */
  char keydir[2300];       /* <outdir>/points/<name>-<hash> when keyed */
  char path[4096];
};

int gdl_sweep_begin(int *argc, char ***argv, const char *outdir, const char *name, size_t npoints,
                    gdl_sweep **out) {
  GDL_CHECK_ARG(out != NULL, "gdl_sweep_begin: out is NULL");
  *out = NULL;
  GDL_CHECK_ARG(outdir && name && *name, "gdl_sweep_begin: outdir or name missing");
  GDL_CHECK_ARG(strlen(outdir) < 2000 && strlen(name) < 100, "gdl_sweep_begin: path too long");
  GDL_CHECK_ARG(!strchr(name, '/'), "gdl_sweep_begin: name '%s' contains '/'", name);
  GDL_CHECK_ARG(npoints >= 1, "gdl_sweep_begin: no points");
  gdl_sweep *s = calloc(1, sizeof *s);
  if (!s) return gdl_fail(GDL_ENOMEM, "gdl_sweep_begin: out of memory");
  snprintf(s->outdir, sizeof s->outdir, "%s", outdir);
  snprintf(s->name, sizeof s->name, "%s", name);
  s->npoints = npoints;
  s->rank = 0;
  s->size = 1;
#ifdef GDL_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) {
    /* the sweeps run OpenMP threads, but only the main thread calls MPI */
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      free(s);
      return gdl_fail(GDL_EIO, "gdl_sweep_begin: MPI_Init_thread failed");
    }
    s->mpi_owned = 1;
    if (provided < MPI_THREAD_FUNNELED) {
      gdl_sweep_end(s);
      return gdl_fail(GDL_EIO, "gdl_sweep_begin: the MPI library does not support threads (MPI_THREAD_FUNNELED)");
    }
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &s->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &s->size);
#else
  (void)argc;
  (void)argv;
#endif
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/points", outdir);
  int rc = gdl_mkdir_p(dir);
  if (rc != GDL_OK) {
    gdl_sweep_end(s);
    return rc;
  }
  *out = s;
  return GDL_OK;
}

int gdl_sweep_owns(const gdl_sweep *s, size_t i) {
  if (!s || i >= s->npoints) return 0;
  if (s->owner) return s->owner[i] == s->rank;
  return (int)(i % (size_t)s->size) == s->rank;
}

static const double *sort_costs; /* qsort has no context argument; set under no concurrency */
static int by_cost_desc(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  double ci = sort_costs[i], cj = sort_costs[j];
  if (ci != cj) return ci > cj ? -1 : 1;
  return i < j ? -1 : (i > j); /* ties by index: the same order on every rank */
}

int gdl_sweep_set_costs(gdl_sweep *s, const double *cost) {
  GDL_CHECK_ARG(s && cost, "gdl_sweep_set_costs: sweep or costs NULL");
  for (size_t i = 0; i < s->npoints; i++)
    GDL_CHECK_ARG(isfinite(cost[i]) && cost[i] >= 0, "gdl_sweep_set_costs: cost[%zu] = %g is not finite and >= 0",
                  i, cost[i]);
  int *owner = malloc(s->npoints * sizeof *owner);
  size_t *order = malloc(s->npoints * sizeof *order);
  double *load = calloc((size_t)s->size, sizeof *load);
  if (!owner || !order || !load) {
    free(owner);
    free(order);
    free(load);
    return gdl_fail(GDL_ENOMEM, "gdl_sweep_set_costs: out of memory");
  }
  for (size_t i = 0; i < s->npoints; i++) order[i] = i;
  sort_costs = cost;
  qsort(order, s->npoints, sizeof *order, by_cost_desc);
  sort_costs = NULL;
  /* longest processing time first: each point to the least loaded rank (lowest rank on ties),
   * deterministic, so every rank computes the same assignment without communication */
  for (size_t k = 0; k < s->npoints; k++) {
    int best = 0;
    for (int r = 1; r < s->size; r++)
      if (load[r] < load[best]) best = r;
    owner[order[k]] = best;
    load[best] += cost[order[k]];
  }
  free(load);
  free(s->owner);
  free(s->order);
  s->owner = owner;
  s->order = order;
  return GDL_OK;
}

size_t gdl_sweep_owned(const gdl_sweep *s) {
  if (!s) return 0;
  size_t n = 0;
  for (size_t i = 0; i < s->npoints; i++) n += (size_t)gdl_sweep_owns(s, i);
  return n;
}

int gdl_sweep_set_key(gdl_sweep *s, const char *text) {
  GDL_CHECK_ARG(s && text && *text, "gdl_sweep_set_key: sweep or key text missing");
  unsigned long long h = 1469598103934665603ULL;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL;
  }
  if (h == 0) h = 1;
  s->key = h;
  snprintf(s->keydir, sizeof s->keydir, "%s/points/%s-%016llx", s->outdir, s->name, h);
  GDL_TRY(gdl_mkdir_p(s->keydir));
  char p[2400];
  snprintf(p, sizeof p, "%s/key.json", s->keydir);
  struct stat st;
  if (stat(p, &st) == 0) return GDL_OK; /* same hash: written by an earlier run */
  if (s->rank != 0) return GDL_OK;
  return gdl_write_atomic(p, text, strlen(text));
}

unsigned long long gdl_sweep_key_hash(const gdl_sweep *s) { return s ? s->key : 0; }

int gdl_sweep_point_file(const gdl_sweep *s, size_t i, const char *ext, char *buf, size_t len) {
  GDL_CHECK_ARG(s && ext && *ext && buf && len > 0, "gdl_sweep_point_file: NULL argument");
  GDL_CHECK_ARG(i < s->npoints, "gdl_sweep_point_file: point %zu of %zu", i, s->npoints);
  int k;
  if (s->key) k = snprintf(buf, len, "%s/%06zu.%s", s->keydir, i, ext);
  else k = snprintf(buf, len, "%s/points/%s-%06zu.%s", s->outdir, s->name, i, ext);
  if (k < 0 || (size_t)k >= len) return gdl_fail(GDL_EINVAL, "gdl_sweep_point_file: path too long");
  return GDL_OK;
}

const char *gdl_sweep_point_path(gdl_sweep *s, size_t i) {
  if (!s || gdl_sweep_point_file(s, i, "csv", s->path, sizeof s->path) != GDL_OK) return NULL;
  return s->path;
}

static int point_done(const gdl_sweep *s, size_t i) {
  char p[4096];
  struct stat st;
  return gdl_sweep_point_file(s, i, "csv", p, sizeof p) == GDL_OK && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int gdl_sweep_point_done(gdl_sweep *s, size_t i) { return point_done(s, i); }

int gdl_sweep_run(gdl_sweep *s, const char *label, gdl_sweep_point_fn fn, void *ctx, size_t *failed) {
  if (failed) *failed = 0;
  GDL_CHECK_ARG(s && fn, "gdl_sweep_run: sweep or point function is NULL");
  const size_t mine = gdl_sweep_owned(s);
  size_t done = 0, nfail = 0;
  int first_rc = GDL_OK;
  char first_msg[1024] = "";
  const long long np = (long long)s->npoints;
#ifdef GDL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
  for (long long q = 0; q < np; q++) {
    size_t i = s->order ? s->order[q] : (size_t)q; /* the costliest points first */
    if (!gdl_sweep_owns(s, i)) continue;
    int rc = point_done(s, i) ? GDL_OK : fn(ctx, s, i);
    if (rc == GDL_OK && !point_done(s, i))
      rc = gdl_fail(GDL_ESTATE, "the point function returned success without writing its csv file");
#ifdef GDL_HAVE_OPENMP
#pragma omp critical(gdl_sweep_run)
#endif
    {
      if (rc != GDL_OK) {
        if (nfail++ == 0) {
          first_rc = rc;
          snprintf(first_msg, sizeof first_msg, "point %zu: %.900s", i, gdl_strerror_last());
        }
      }
      if (label) gdl_progress(label, ++done, mine);
    }
  }
  if (label) gdl_progress_done();
  if (failed) *failed = nfail;
  if (nfail) return gdl_fail(first_rc, "gdl_sweep_run: %zu of %zu points failed; first: %s", nfail, mine, first_msg);
  return GDL_OK;
}

int gdl_sweep_barrier(gdl_sweep *s) {
  GDL_CHECK_ARG(s != NULL, "gdl_sweep_barrier: sweep is NULL");
#ifdef GDL_HAVE_MPI
  if (s->size > 1 && MPI_Barrier(MPI_COMM_WORLD) != MPI_SUCCESS)
    return gdl_fail(GDL_EIO, "gdl_sweep_barrier: MPI_Barrier failed");
#endif
  return GDL_OK;
}

int gdl_sweep_is_root(const gdl_sweep *s) { return s && s->rank == 0; }
int gdl_sweep_rank(const gdl_sweep *s) { return s ? s->rank : 0; }
int gdl_sweep_size(const gdl_sweep *s) { return s ? s->size : 1; }

int gdl_sweep_assemble(gdl_sweep *s, const char *path) {
  GDL_CHECK_ARG(s && path, "gdl_sweep_assemble: NULL argument");
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) return gdl_fail(GDL_ENOMEM, "gdl_sweep_assemble: out of memory");
  int rc = GDL_OK;
  for (size_t i = 0; i < s->npoints && rc == GDL_OK; i++) {
    const char *p = gdl_sweep_point_path(s, i);
    FILE *f = fopen(p, "r");
    if (!f) {
      rc = gdl_fail(GDL_EIO, "gdl_sweep_assemble: point %zu missing (%s): %s", i, p, strerror(errno));
      break;
    }
    char line[65536];
    int first = 1;
    while (fgets(line, sizeof line, f)) {
      if (first && i > 0) { first = 0; continue; }
      first = 0;
      size_t l = strlen(line);
      if (len + l + 2 > cap) {
        while (len + l + 2 > cap) cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) { rc = gdl_fail(GDL_ENOMEM, "gdl_sweep_assemble: out of memory"); break; }
        buf = nb;
      }
      memcpy(buf + len, line, l);
      len += l;
      if (line[l - 1] != '\n') buf[len++] = '\n';
    }
    fclose(f);
  }
  if (rc == GDL_OK) rc = gdl_write_atomic(path, buf, len);
  free(buf);
  return rc;
}

void gdl_sweep_end(gdl_sweep *s) {
  if (!s) return;
#ifdef GDL_HAVE_MPI
  if (s->mpi_owned) MPI_Finalize();
#endif
  free(s->owner);
  free(s->order);
  free(s);
}
