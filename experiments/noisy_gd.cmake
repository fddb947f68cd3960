# experiments.noisy_gd.same_as_test: the quick sweep's grid is the test's configurations,
# and the sweep path gives bit-identical values to the test's call (cheap points).
gdl_add_test(experiments.noisy_gd.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/noisy_gd_same_as_test.c
          ${CMAKE_CURRENT_SOURCE_DIR}/tests/ng_same_as_test.c LABELS quick TIMEOUT 300)
target_link_libraries(test_experiments_noisy_gd_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_noisy_gd_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
