# Claim WL: test correlation vs degree (hypercube Gaussian/Rademacher features, sphere) and the
# depth x target table under noisy GD (figures weak_learning_degree, weak_learning_depth;
# build/results/weak_learning/summary.json).
add_executable(bench_weak_learning ${CMAKE_CURRENT_SOURCE_DIR}/weak_learning.c)
target_link_libraries(bench_weak_learning PRIVATE gdl_bench gdl)
gdl_add_figure(weak_learning COMMAND bench_weak_learning --seed 20221103
  FULL_ARGS --seed 20221103
  PLOTS ${CMAKE_SOURCE_DIR}/plots/weak_learning_degree.gp
        ${CMAKE_SOURCE_DIR}/plots/weak_learning_depth.gp)
