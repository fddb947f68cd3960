# Claim SC1: true-gradient vs class-mean-gradient GD, trajectory distance vs steps for several p;
# figure steps_distance; build/results/steps/.
add_executable(bench_steps ${CMAKE_CURRENT_SOURCE_DIR}/steps.c)
target_link_libraries(bench_steps PRIVATE gdl_bench gdl)
gdl_add_figure(steps COMMAND bench_steps PLOTS ${CMAKE_SOURCE_DIR}/plots/steps_distance.gp)
