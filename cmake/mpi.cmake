# MPI under test (-DGDL_MPI=ON): a quick sweep run by one process and by `mpirun -n 2` (the
# second time through a hostfile that names localhost twice, as on a cluster) must give the
# same result CSVs. ctest mpi.<sweep>.
# gdl_add_mpi_compare(<name> <exe-target> [args...])
find_program(GDL_MPIRUN NAMES mpirun mpiexec)
function(gdl_add_mpi_compare name exe)
  if(NOT GDL_MPI OR NOT GDL_BUILD_TESTS OR NOT GDL_MPIRUN)
    return()
  endif()
  add_test(NAME mpi.${name}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${exe}> -DMPIRUN=${GDL_MPIRUN}
            -DWORK=${CMAKE_BINARY_DIR}/mpi-test/${name} "-DARGS=${ARGN}"
            -P ${PROJECT_SOURCE_DIR}/cmake/test_mpi.cmake)
  set_tests_properties(mpi.${name} PROPERTIES LABELS "quick;mpi" TIMEOUT 900 PROCESSORS 2 RUN_SERIAL TRUE
    ENVIRONMENT "OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1")
endfunction()
