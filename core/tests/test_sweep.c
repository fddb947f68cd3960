/* core.sweep: point ownership, resume detection, atomic assembly. */
#include <criterion/criterion.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gdl/gdl.h"

Test(sweep, points_resume_and_assemble) {
  char dir[] = "/tmp/gdl_sweep_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  gdl_sweep *s;
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "fig", 3, &s) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(gdl_sweep_size(s) == 1 && gdl_sweep_is_root(s));
  char out[512];
  snprintf(out, sizeof out, "%s/all.csv", dir);
  for (size_t i = 0; i < 3; i++) {
    cr_assert(gdl_sweep_owns(s, i));
    cr_assert(!gdl_sweep_point_done(s, i));
  }
  cr_assert(!gdl_sweep_owns(s, 3));
  /* assembling with a missing point is an error naming it, and writes nothing */
  cr_assert(gdl_sweep_assemble(s, out) == GDL_EIO);
  cr_assert(strstr(gdl_strerror_last(), "point 0") != NULL, "%s", gdl_strerror_last());
  FILE *f = fopen(out, "r");
  cr_assert(f == NULL, "a half file was left behind");
  for (size_t i = 0; i < 3; i++) {
    char row[64];
    int n = snprintf(row, sizeof row, "k,v\n%zu,%zu\n", i, i * i);
    cr_assert(gdl_write_atomic(gdl_sweep_point_path(s, i), row, (size_t)n) == GDL_OK);
    cr_assert(gdl_sweep_point_done(s, i));
  }
  cr_assert(gdl_sweep_assemble(s, out) == GDL_OK, "%s", gdl_strerror_last());
  f = fopen(out, "r");
  cr_assert(f != NULL);
  char buf[256] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  cr_assert(n > 0 && strcmp(buf, "k,v\n0,0\n1,1\n2,4\n") == 0, "assembled: '%s'", buf);
  gdl_sweep_end(s);
  gdl_sweep *bad;
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "a/b", 3, &bad) == GDL_EINVAL);
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "x", 0, &bad) == GDL_EINVAL);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert(system(cmd) == 0);
}

/* A keyed sweep: the runner computes each unfinished point once, a sweep with another key
 * (another seed, say) never reuses them, and the same key resumes. */
static int square_point(void *ctx, gdl_sweep *s, size_t i) {
  int *calls = ctx;
#pragma omp atomic
  (*calls)++;
  char p[4096], row[64];
  int rc = gdl_sweep_point_file(s, i, "csv", p, sizeof p);
  if (rc != GDL_OK) return rc;
  int n = snprintf(row, sizeof row, "k,v\n%zu,%zu\n", i, i * i);
  return gdl_write_atomic(p, row, (size_t)n);
}

static int failing_point(void *ctx, gdl_sweep *s, size_t i) {
  if (i == 1) return gdl_fail(GDL_EDIVERGED, "diverged on purpose");
  return square_point(ctx, s, i);
}

Test(sweep, keyed_runner_resumes_only_its_own_points) {
  char dir[] = "/tmp/gdl_sweep_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  int calls = 0;
  gdl_sweep *s;
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "fig", 4, &s) == GDL_OK);
  cr_assert(gdl_sweep_set_key(s, "{\"seed\": \"7\"}") == GDL_OK, "%s", gdl_strerror_last());
  size_t failed = 99;
  cr_assert(gdl_sweep_run(s, NULL, square_point, &calls, &failed) == GDL_OK, "%s", gdl_strerror_last());
  cr_assert(failed == 0 && calls == 4, "failed %zu calls %d", failed, calls);
  cr_assert(gdl_sweep_run(s, NULL, square_point, &calls, &failed) == GDL_OK);
  cr_assert(calls == 4, "finished points were recomputed: %d calls", calls);
  unsigned long long h7 = gdl_sweep_key_hash(s);
  gdl_sweep_end(s);
  /* another seed: its own points */
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "fig", 4, &s) == GDL_OK);
  cr_assert(gdl_sweep_set_key(s, "{\"seed\": \"8\"}") == GDL_OK);
  cr_assert(gdl_sweep_key_hash(s) != h7);
  for (size_t i = 0; i < 4; i++) cr_assert(!gdl_sweep_point_done(s, i), "seed 8 sees seed 7's point %zu", i);
  /* a failing point is counted, named, and the others still run */
  calls = 0;
  cr_assert(gdl_sweep_run(s, NULL, failing_point, &calls, &failed) == GDL_EDIVERGED);
  cr_assert(failed == 1 && calls == 3, "failed %zu calls %d", failed, calls);
  cr_assert(strstr(gdl_strerror_last(), "point 1") && strstr(gdl_strerror_last(), "diverged on purpose"), "%s",
            gdl_strerror_last());
  cr_assert(!gdl_sweep_point_done(s, 1) && gdl_sweep_point_done(s, 2));
  gdl_sweep_end(s);
  /* the key text is kept beside the points */
  char p[4096];
  snprintf(p, sizeof p, "%s/points/fig-%016llx/key.json", dir, h7);
  FILE *f = fopen(p, "r");
  cr_assert(f != NULL, "no %s", p);
  fclose(f);
}

/* Cost-balanced ownership: with one rank every point is owned and the runner visits the
 * costliest first (ties by index); bad costs are refused. (The split over K ranks is checked
 * under mpirun by the MPI build's ctest entries.) */
static int record_order(void *ctx, gdl_sweep *s, size_t i) {
  size_t *seen = ctx;
#pragma omp critical
  seen[seen[0]++ + 1] = i;
  char p[4096];
  int rc = gdl_sweep_point_file(s, i, "csv", p, sizeof p);
  return rc != GDL_OK ? rc : gdl_write_atomic(p, "k\n1\n", 4);
}

Test(sweep, costs_order_the_points) {
  char dir[] = "/tmp/gdl_sweep_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL);
  gdl_sweep *s;
  cr_assert(gdl_sweep_begin(NULL, NULL, dir, "c", 5, &s) == GDL_OK);
  double cost[5] = {1, 5, 2, 5, 0};
  cr_assert(gdl_sweep_set_costs(s, cost) == GDL_OK, "%s", gdl_strerror_last());
  for (size_t i = 0; i < 5; i++) cr_assert(gdl_sweep_owns(s, i));
  double bad[5] = {1, NAN, 2, 5, 0};
  cr_assert(gdl_sweep_set_costs(s, bad) == GDL_EINVAL);
  size_t seen[6] = {0};
#ifdef _OPENMP
  omp_set_num_threads(1); /* one thread: the visiting order is the runner's order */
#endif
  cr_assert(gdl_sweep_run(s, NULL, record_order, seen, NULL) == GDL_OK);
  cr_assert(seen[0] == 5);
  size_t want[5] = {1, 3, 2, 0, 4};
  for (size_t k = 0; k < 5; k++) cr_assert(seen[k + 1] == want[k], "position %zu: point %zu, expected %zu", k, seen[k + 1], want[k]);
  gdl_sweep_end(s);
}
