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
