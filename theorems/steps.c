/* theorems/steps.c: claim SC1, from gradient variance to steps (theorems/steps.md).
 * Full-batch GD from one initialisation with the true gradient of a random member h_a of
 * {cos(2 pi a x/p)} and with the class-mean gradient; exact population quantities (all x in Z_p).
 * Bound: e_t <= B_t (step by step, every t, every p) and e_T <= BV_T (Chebyshev with the exact
 * Var_t, probability >= 1 - 1e-6 over a). High p: the runs stay close and the true run learns
 * nothing; control: low p, where the same runs separate and the true run learns. */
#include <math.h>
#include <stdio.h>
#include "gdl/gdl.h"
#include "experiments/steps.h"
#include "gdl_test.h"

static void claim(const char *check, double measured, const char *rel, double bound, int pass, const char *params) {
  gdl_test_claim("SC1", check, measured, rel, bound, pass, gdl_test_seed(), params);
}

/* the Var_t of the FFT engine is E_a ||Delta_0(a)||^2 computed member by member */
Test(steps, var_is_mean_square_gradient_difference, .timeout = 120) {
  steps_config c;
  steps_config_default(&c);
  double direct = 0, engine = 0;
  gdl_test_check_rc(steps_var0_check(&c, gdl_test_seed(), 1, &direct, &engine), "var0 check");
  double rel = fabs(direct - engine) / engine;
  char params[96];
  snprintf(params, sizeof params, "p=%llu direct=%.6g engine=%.6g", (unsigned long long)c.p[1], direct, engine);
  claim("var_engine_vs_direct_rel_err", rel, "<=", 1e-9, rel <= 1e-9, params);
}

Test(steps, sc1_trajectories, .timeout = 600) {
  steps_config c;
  steps_config_default(&c);
  uint64_t seed = gdl_test_seed();
  const uint64_t p_low = 7, p_high = 509; /* control: p <= p_low (frequency min(a, p - a) <= 3); claim: p >= p_high */
  double e_low_min = INFINITY, e_high_max = 0;
  for (size_t i = 0; i < c.np; i++) {
    steps_result r;
    gdl_test_check_rc(steps_run(&c, seed, i, &r), "steps_run");
    cr_assert(r.T == c.T && r.p == c.p[i], "point %zu: ran T = %zu at p = %llu, configured T = %zu at p = %llu", i, r.T,
              (unsigned long long)r.p, c.T, (unsigned long long)c.p[i]);
    double row[STEPS_NPOINT_COLS];
    steps_point_row(&r, row);
    double slack = row[STEPS_NPOINT_COLS - 1];
    size_t T = r.T;
    char params[200];
    snprintf(params, sizeof params, "p=%llu a=%llu T=%zu lr=%g e_T=%.4g B_T=%.4g BV_T=%.4g dpred=%.4g gain=%.3f",
             (unsigned long long)r.p, (unsigned long long)r.a, T, c.lr, r.e[T], r.bound[T], r.bound_var[T],
             r.dpred[T], r.gain);
    /* the step-by-step bound at every t (relative slack >= -1e-9: rounding only) */
    claim("e_t_le_B_t_every_t_rel_slack", slack, ">=", -1e-9, slack >= -1e-9, params);
    /* not vacuous: e_T / B_T >= 0.1 */
    claim("bound_tightness_e_T_over_B_T", r.e[T] / r.bound[T], ">=", 0.1, r.e[T] >= 0.1 * r.bound[T], params);
    /* the Chebyshev event (prob >= 1 - delta over a): Delta_t <= sqrt(T Var_t / delta) for all t */
    claim("chebyshev_event_max_ratio", r.cheb_max, "<=", 1.0, r.cheb_max <= 1.0, params);
    claim("e_T_le_BV_T", r.e[T], "<=", r.bound_var[T], r.e[T] <= r.bound_var[T], params);
    if (r.p >= p_high) {
      /* close: the bound is < 25% of the distance the mean run travels; the true run learns
       * nothing beyond the mean run (gain <= 0.05) */
      claim("high_p_B_T_over_mean_move", r.bound[T] / r.move_mean, "<=", 0.25, r.bound[T] <= 0.25 * r.move_mean,
            params);
      claim("high_p_corr_gain", r.gain, "<=", 0.05, r.gain <= 0.05, params);
      e_high_max = fmax(e_high_max, r.e[T]);
    }
    if (r.p <= p_low) {
      /* control: the runs separate (e_T >= 0.5 of the mean run's travel) and the true run learns */
      claim("control_low_p_e_T_over_mean_move", r.e[T] / r.move_mean, ">=", 0.5, r.e[T] >= 0.5 * r.move_mean, params);
      claim("control_low_p_corr_gain", r.gain, ">=", 0.3, r.gain >= 0.3, params);
      e_low_min = fmin(e_low_min, r.e[T]);
    }
    steps_result_free(&r);
  }
  claim("control_e_T_low_p_over_high_p", e_low_min / e_high_max, ">=", 10, e_low_min >= 10 * e_high_max,
        "min over p<=7 / max over p>=509");
}
