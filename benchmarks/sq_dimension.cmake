# Claim SQ1: certified SQ-dimension lower bounds vs p (multiplicative classes and the additive
# control) and parities by degree; figure sq_dimension_packing; build/results/sq_dimension/.
add_executable(bench_sq_dimension ${CMAKE_CURRENT_SOURCE_DIR}/sq_dimension.c)
target_link_libraries(bench_sq_dimension PRIVATE gdl_bench gdl)
gdl_add_figure(sq_dimension COMMAND bench_sq_dimension
  PLOTS ${CMAKE_SOURCE_DIR}/plots/sq_dimension_packing.gp)
