/* core.sweep: point ownership, resume detection, atomic assembly. */
#include <criterion/criterion.h>
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
