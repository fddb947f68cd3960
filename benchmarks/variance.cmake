# Exact class-gradient-variance engines (gdl/variance.h) timed against the direct engine
# (one loss gradient per target) in the same run, one core: CSV with a ratio column,
# JSON sidecar, build/results/variance/summary.json (the two performance targets).
add_executable(bench_variance ${CMAKE_CURRENT_SOURCE_DIR}/variance.c)
target_link_libraries(bench_variance PRIVATE gdl_bench gdl)
gdl_add_figure(variance COMMAND bench_variance)
