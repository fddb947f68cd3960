# Claim EQ: equivariance error per step for each learner x group (figure equivariance_error),
# EQ2/EQ3 statistics; build/results/equivariance/summary.json. The experiment is
# experiments/equivariance.{h,c} (library gdl_experiments).
add_executable(bench_equivariance ${CMAKE_CURRENT_SOURCE_DIR}/equivariance.c)
target_link_libraries(bench_equivariance PRIVATE gdl_bench gdl_experiments gdl)
gdl_add_figure(equivariance COMMAND bench_equivariance
  PLOTS ${CMAKE_SOURCE_DIR}/plots/equivariance_error.gp)
