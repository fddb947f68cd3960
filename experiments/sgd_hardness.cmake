# experiments.sgd_hardness.same_as_test: a point through the sweep's path (sh_fvu_point_write:
# run, CSV row; sh_fvu_point_read: gdl_csv_read) with the test's configuration and seed gives
# bit-identical values to sh_run as theorems.sgd_hardness runs it (SH2 cases, SH1 orbit point).
gdl_add_test(experiments.sgd_hardness.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/sgd_hardness_same_as_test.c
  LABELS quick TIMEOUT 300)
target_link_libraries(test_experiments_sgd_hardness_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_sgd_hardness_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
