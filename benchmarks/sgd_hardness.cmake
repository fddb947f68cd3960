# Claim SH: FVU vs gamma for the FCN, the coordinate-aware learner and its equivariant twin
# (sgd_hardness_fvu), orbit gradient variance vs gamma with the Schur bound
# (sgd_hardness_variance); build/results/sgd_hardness/summary.json.
add_executable(bench_sgd_hardness ${CMAKE_CURRENT_SOURCE_DIR}/sgd_hardness.c)
target_link_libraries(bench_sgd_hardness PRIVATE gdl_bench gdl_experiments gdl)
gdl_add_figure(sgd_hardness COMMAND bench_sgd_hardness
  PLOTS ${CMAKE_SOURCE_DIR}/plots/sgd_hardness_fvu.gp
        ${CMAKE_SOURCE_DIR}/plots/sgd_hardness_variance.gp)
