# Claim MS: hitting-time sweep of online SGD on the leap ladder (staircase, x1 + x1x2x3,
# x1x2x3, x1x2x3x4; figures staircase_curves, staircase_hitting, staircase_weights,
# staircase_leaps; build/results/staircase/summary.json).
gdl_bench_family(staircase
  PLOTS staircase_curves staircase_hitting staircase_weights staircase_leaps)
