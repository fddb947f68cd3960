# experiments.equivariance.same_as_test: a sweep point of bench_equivariance (the point
# function, its CSV, read back with gdl_csv_read) equals the theorem test's run bit for bit.
gdl_add_test(experiments.equivariance.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/equivariance_same_as_test.c
  LABELS quick experiments TIMEOUT 300)
target_link_libraries(test_experiments_equivariance_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_equivariance_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
