# gdl_claim_ids(<claims.c> <out var>): the claim ids of gdl_claim_table in core/src/claims.c
# ("EQ1" ... "PF"), in table order, for the tests that check every claim is listed (cmake -P
# scripts: plots/check_report.cmake, cli/test_train.cmake). One registry: a new claim needs
# no edit here.
function(gdl_claim_ids src out)
  file(READ "${src}" text)
  string(FIND "${text}" "gdl_claim_table[GDL_NCLAIMS] = {" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "gdl_claim_ids: no gdl_claim_table in ${src}")
  endif()
  string(SUBSTRING "${text}" ${at} -1 text)
  string(REGEX MATCHALL "\n *{\"([A-Z][A-Z][0-9]+|PF)\"," rows "${text}")
  set(ids)
  foreach(r ${rows})
    string(REGEX MATCH "\"([A-Z0-9]+)\"" m "${r}")
    list(APPEND ids "${CMAKE_MATCH_1}")
  endforeach()
  list(LENGTH ids n)
  if(n LESS 2)
    message(FATAL_ERROR "gdl_claim_ids: no claim ids found in ${src}")
  endif()
  set(${out} "${ids}" PARENT_SCOPE)
endfunction()
