# experiments.sphere.same_as_test: the quick sweep's grid holds the test's NG3 configurations,
# and the sweep path gives bit-identical values to the test's calls (cheap points: AL2 rows and
# the NG3 tight point).
gdl_add_test(experiments.sphere.same_as_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tests/sphere_same_as_test.c
          ${CMAKE_CURRENT_SOURCE_DIR}/tests/ng_same_as_test.c LABELS quick TIMEOUT 300)
target_link_libraries(test_experiments_sphere_same_as_test PRIVATE gdl_experiments)
target_include_directories(test_experiments_sphere_same_as_test PRIVATE ${PROJECT_SOURCE_DIR}/core/tests)
