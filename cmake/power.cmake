# The fault-injection harness as a target: `cmake --build build --target power` runs
# scripts/power on every faults/*.fault (scratch tree build/power/, kill matrix in
# build/results/power/). Not part of `all`, ctest or CI: it rebuilds once per fault.
# Options pass through the environment: POWER_ARGS (e.g. "--all" or "--only core-lr-halved").
find_program(GDL_BASH bash)
if(GDL_BASH)
  add_custom_target(power
    COMMAND ${CMAKE_COMMAND} -E env BUILD_DIR=${CMAKE_BINARY_DIR}
            ${GDL_BASH} -c "exec \"$0\" $POWER_ARGS" ${PROJECT_SOURCE_DIR}/scripts/power
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Fault injection: every faults/*.fault -> ${CMAKE_BINARY_DIR}/results/power/kill_matrix.md"
    USES_TERMINAL VERBATIM)
endif()

# Every fault must still apply to the tree (no build, no run): a refactoring that moves the
# code a fault edits makes this test fail instead of silently retiring the fault.
if(GDL_BASH)
  find_program(GDL_PERL perl)
  if(GDL_PERL)
    add_test(NAME faults.apply COMMAND ${GDL_BASH} ${PROJECT_SOURCE_DIR}/scripts/power --check
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(faults.apply PROPERTIES LABELS "faults;quick" TIMEOUT 120)
  endif()
endif()
