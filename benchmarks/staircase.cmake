# Claim MS: hitting-time sweep of online SGD on the leap ladder (staircase, x1 + x1x2x3,
# x1x2x3, x1x2x3x4; figures staircase_curves, staircase_hitting, staircase_weights,
# staircase_leaps; build/results/staircase/summary.json).
add_executable(bench_staircase ${CMAKE_CURRENT_SOURCE_DIR}/staircase.c)
target_link_libraries(bench_staircase PRIVATE gdl_bench gdl)
gdl_add_figure(staircase COMMAND bench_staircase
  PLOTS ${CMAKE_SOURCE_DIR}/plots/staircase_curves.gp
        ${CMAKE_SOURCE_DIR}/plots/staircase_hitting.gp
        ${CMAKE_SOURCE_DIR}/plots/staircase_weights.gp
        ${CMAKE_SOURCE_DIR}/plots/staircase_leaps.gp)
