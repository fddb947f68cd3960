# Claim NG: the explicit noisy-GD bound vs n and vs depth (figures noisy_gd_bound,
# noisy_gd_depth; build/results/noisy_gd/summary.json).
gdl_bench_family(noisy_gd --seed 20221103 FULL_ARGS --seed 20221103
  PLOTS noisy_gd_bound noisy_gd_depth)
