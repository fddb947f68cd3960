# experiments.gradient_variance.same_as_test: the GV sweep (bench_gradient_variance --grid
# same_as_test) reproduces theorems.gradient_variance's runs bit for bit (one point or more of
# each sub-experiment, same configuration, seed and replicate).
gdl_add_test(experiments.gradient_variance.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/gradient_variance.c
  LABELS quick experiments TIMEOUT 600 PROCESSORS 2
  ENV GDL_GV_BENCH=$<TARGET_FILE:bench_gradient_variance>)
target_link_libraries(test_experiments_gradient_variance_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_gradient_variance_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
# bench_gradient_variance is defined later (benchmarks/); the dependency is resolved at generate time
add_dependencies(test_experiments_gradient_variance_same_as_test bench_gradient_variance)
