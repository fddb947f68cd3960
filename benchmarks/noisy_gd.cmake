# Claim NG: the explicit noisy-GD bound vs n and vs depth (figures noisy_gd_bound,
# noisy_gd_depth; build/results/noisy_gd/summary.json).
add_executable(bench_noisy_gd ${CMAKE_CURRENT_SOURCE_DIR}/noisy_gd.c)
target_link_libraries(bench_noisy_gd PRIVATE gdl_bench gdl)
gdl_add_figure(noisy_gd COMMAND bench_noisy_gd --seed 20221103
  FULL_ARGS --seed 20221103
  PLOTS ${CMAKE_SOURCE_DIR}/plots/noisy_gd_bound.gp
        ${CMAKE_SOURCE_DIR}/plots/noisy_gd_depth.gp)
