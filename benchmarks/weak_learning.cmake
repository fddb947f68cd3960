# Claim WL: test correlation vs degree (hypercube Gaussian/Rademacher features, sphere) and the
# depth x target table under noisy GD (figures weak_learning_degree, weak_learning_depth;
# build/results/weak_learning/summary.json).
gdl_bench_family(weak_learning --seed 20221103 FULL_ARGS --seed 20221103
  PLOTS weak_learning_degree weak_learning_depth)
