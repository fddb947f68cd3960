# Claims AL2 and NG3: the sphere under O(d): lambda vs k (exact, Haar Monte Carlo, the cube's
# count) and the noisy-GD bound on the sphere (figure sphere_alignment;
# build/results/sphere/summary.json).
add_executable(bench_sphere ${CMAKE_CURRENT_SOURCE_DIR}/sphere.c)
target_link_libraries(bench_sphere PRIVATE gdl_bench gdl)
gdl_add_figure(sphere COMMAND bench_sphere --seed 20221103
  FULL_ARGS --seed 20221103
  PLOTS ${CMAKE_SOURCE_DIR}/plots/sphere_alignment.gp)
