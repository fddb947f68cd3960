# experiments.sq_dimension.same_as_test: the sweep (bench_sq_dimension, quick grid = the theorem
# test's configuration) writes its keyed points, then recomputes every value in memory exactly as
# theorems/sq_dimension.c does and fails unless the CSV holds bit-identical numbers.
add_test(NAME experiments.sq_dimension.same_as_test
  COMMAND bench_sq_dimension --out ${CMAKE_BINARY_DIR}/same_as_test/sq_dimension --same-as-test)
set_tests_properties(experiments.sq_dimension.same_as_test PROPERTIES LABELS "quick;experiments" TIMEOUT 300
  ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
