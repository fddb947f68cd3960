# Claim EQ: equivariance error per step for each learner x group (figure equivariance_error),
# EQ2/EQ3 KS statistics; build/results/equivariance/summary.json.
add_executable(bench_equivariance ${CMAKE_CURRENT_SOURCE_DIR}/equivariance.c)
target_link_libraries(bench_equivariance PRIVATE gdl_bench gdl)
gdl_add_figure(equivariance COMMAND bench_equivariance
  PLOTS ${CMAKE_SOURCE_DIR}/plots/equivariance_error.gp)
