/* experiments.sgd_hardness.same_as_test: the sweep and the test run the same experiment.
 * A point through the sweep's path (sh_fvu_point_write: sh_run + one CSV row at %.17g;
 * sh_fvu_point_read: gdl_csv_read) with the test's configuration (sh2_case_config) and seed
 * gives bit-identical FVU to sh_run called as theorems.sgd_hardness calls it; and the sweep's
 * orbit point (with its sampled estimates) gives the SH1 test's exact variance bit for bit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "experiments/sgd_hardness.h"
#include "gdl_test.h"

static void same_fvu(size_t case_index, size_t rep) {
  uint64_t seed = gdl_test_seed();
  sh_config c;
  gdl_test_check_rc(sh2_case_config(case_index, rep, &c), "case config");
  sh_result direct;
  gdl_test_check_rc(sh_run(&c, seed, &direct), "sh_run as the test runs it");
  char dir[] = "/tmp/gdl_sh_same_XXXXXX";
  cr_assert(mkdtemp(dir) != NULL, "mkdtemp");
  char path[256];
  snprintf(path, sizeof path, "%s/point.csv", dir);
  gdl_test_check_rc(sh_fvu_point_write(&c, seed, rep, path), "sweep point");
  double back = NAN;
  gdl_test_check_rc(sh_fvu_point_read(path, &back), "read back");
  unlink(path);
  rmdir(dir);
  cr_log_info("%s gamma %g rep %zu: test %.17g, sweep %.17g", sh_kind_name(c.kind), c.gamma, rep, direct.fvu, back);
  cr_assert(memcmp(&direct.fvu, &back, sizeof back) == 0, "%s gamma %g: test FVU %.17g != sweep FVU %.17g",
            sh_kind_name(c.kind), c.gamma, direct.fvu, back);
}

static size_t find_case(sh_kind k, double gamma) {
  for (size_t i = 0; i < sh2_ncases(); i++) {
    sh_config c;
    gdl_test_check_rc(sh2_case_config(i, 0, &c), "case config");
    if (c.kind == k && c.gamma == gamma) return i;
  }
  cr_assert_fail("no SH2 case %s at gamma %g", sh_kind_name(k), gamma);
  return 0;
}

Test(same_as_test, fcn_adam_online) { same_fvu(find_case(SH_FCN_ADAM, 1.0), 1); }
Test(same_as_test, twin_ridge) { same_fvu(find_case(SH_RAND_RIDGE, 2.0), 0); }

Test(same_as_test, orbit_point) {
  uint64_t seed = gdl_test_seed();
  sh_orbit_config t, s;
  sh_orbit_config_default(&t, 1.0, 0); /* the SH1 test: net 0, exact only */
  sh_orbit_config_default(&s, 1.0, 0); /* the sweep's gamma point: net 0 with sampled estimates */
  s.nsampled = 200;
  s.sampling_index = 9;
  sh_orbit_result a, b;
  gdl_test_check_rc(sh_orbit_run(&t, seed, &a), "orbit (test)");
  gdl_test_check_rc(sh_orbit_run(&s, seed, &b), "orbit (sweep)");
  cr_assert(memcmp(&a.var_norm, &b.var_norm, sizeof a.var_norm) == 0 && memcmp(&a.B, &b.B, sizeof a.B) == 0,
            "orbit: test %.17g / %.17g, sweep %.17g / %.17g", a.var_norm, a.B, b.var_norm, b.B);
  cr_assert(isfinite(b.is) && isfinite(b.unif), "sampled estimates missing");
}
