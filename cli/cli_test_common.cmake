# What the cmake -P end-to-end tests of gdlimits share (included by test_train.cmake and
# test_check.cmake). Set CLI_COMMAND (the subcommand: train, check) before including.
#   cmake -DGDLIMITS=<path to gdlimits> -DOUTDIR=<scratch dir> -P test_<command>.cmake
# Clears OUTDIR; gives fail(), run(), expect_one_line(), expect_in() and expect_no_temporaries().
if(NOT GDLIMITS OR NOT OUTDIR OR NOT CLI_COMMAND)
  message(FATAL_ERROR "usage: cmake -DGDLIMITS=... -DOUTDIR=... -P test_<command>.cmake")
endif()
file(REMOVE_RECURSE "${OUTDIR}")
file(MAKE_DIRECTORY "${OUTDIR}")

function(fail msg)
  message(SEND_ERROR "FAIL: ${msg}")
endfunction()

# expect_in(<what> <text> <needle>...): fail("<what> lacks <needle>") for each needle not in text
function(expect_in what text)
  foreach(needle IN LISTS ARGN)
    string(FIND "${text}" "${needle}" pos)
    if(pos EQUAL -1)
      fail("${what} lacks ${needle}")
    endif()
  endforeach()
endfunction()

# expect_no_temporaries(<when>): no temporary file of an atomic write is left in OUTDIR
function(expect_no_temporaries when)
  file(GLOB leftovers ${OUTDIR}/*.tmp.*)
  if(leftovers)
    fail("temporary files left ${when}: ${leftovers}")
  endif()
endfunction()

# run(<expected exit> <name> args...): `gdlimits ${CLI_COMMAND} args...` -> OUT / ERR
macro(run expected name)
  execute_process(COMMAND ${GDLIMITS} ${CLI_COMMAND} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE OUT ERROR_VARIABLE ERR)
  if(NOT rc STREQUAL "${expected}")
    fail("${name}: exit ${rc}, expected ${expected}\n  args: ${ARGN}\n  stdout: ${OUT}\n  stderr: ${ERR}")
  else()
    message(STATUS "ok   ${name}: exit ${rc}")
  endif()
endmacro()

# One stderr line that names `what` (any line when `what` is empty).
macro(expect_one_line name what)
  string(REGEX MATCHALL "\n" nl "${ERR}")
  list(LENGTH nl nlines)
  if(NOT nlines EQUAL 1)
    fail("${name}: stderr has ${nlines} lines, expected 1: ${ERR}")
  endif()
  if(NOT "${what}" STREQUAL "")
    string(FIND "${ERR}" "${what}" pos)
    if(pos EQUAL -1)
      fail("${name}: stderr does not name ${what}: ${ERR}")
    endif()
  endif()
endmacro()
