# experiments.steps.same_as_test: the sweep (bench_steps, quick grid = the theorem test's
# configuration, GDL_SEED) writes its keyed points, then reruns every point in memory exactly as
# theorems/steps.c does and fails unless its CSVs hold bit-identical numbers.
add_test(NAME experiments.steps.same_as_test
  COMMAND bench_steps --out ${CMAKE_BINARY_DIR}/same_as_test/steps --same-as-test)
set_tests_properties(experiments.steps.same_as_test PROPERTIES LABELS "quick;experiments" TIMEOUT 300
  ENVIRONMENT "OMP_NUM_THREADS=1;OPENBLAS_NUM_THREADS=1")
