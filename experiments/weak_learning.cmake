# experiments.weak_learning.same_as_test: the sweep's code path (benchmarks/weak_learning.c:
# gdl_exp_sweep_begin + gdl_sweep_run over wl_degree_point / wl_depth_point, read back with
# gdl_csv_read) with the test's configurations and seed gives the test's values bit for bit.
gdl_add_test(experiments.weak_learning.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/weak_learning_same_as_test.c
  LABELS quick experiments TIMEOUT 300)
target_link_libraries(test_experiments_weak_learning_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_weak_learning_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
