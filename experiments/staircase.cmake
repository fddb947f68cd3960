# Claim MS: a bench_staircase sweep point (keyed sweep, point files, gdl_csv_read) with the
# test's configuration and seed is bit-identical to the MS2 run of theorems.staircase.
gdl_add_test(experiments.staircase.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/staircase.c
  LABELS quick experiments TIMEOUT 300)
target_include_directories(test_experiments_staircase_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
target_link_libraries(test_experiments_staircase_same_as_test PRIVATE gdl_experiments)
