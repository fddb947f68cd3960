# ctest plots.report: run gdl-report on the synthetic result set plots/testdata/report/
# and check that it exits 0 and that both outputs show what the data holds:
# every claim, the missing claim (MS4) as "no result", the failing one (GV3) as FAIL,
# the malformed file by name, the family summary's rows and its figure; performance (PF) in its
# own section, a missed target shown as missed and not counted as a failing claim; the faults
# each family's test kills (results/power/kill_matrix.csv); tightness ratios; claims.json.
# Usage: cmake -DREPORT=<exe> -DDATA=<dir> -DOUT=<dir> -DCLAIMS_SRC=<core/src/claims.c> -P check_report.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/claim_ids.cmake)
gdl_claim_ids("${CLAIMS_SRC}" claim_ids)
list(LENGTH claim_ids nclaims_expected)
# the synthetic set has results for 19 claims (17 pass, GV3 fails, one incomplete) besides PF
math(EXPR nwithout "${nclaims_expected} - 20")
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${REPORT} --results ${DATA}/results --figures ${DATA}/figures --out ${OUT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gdl-report exited with ${rc}")
endif()
set(fails 0)
function(check_fail msg)
  message("FAIL: ${msg}")
  math(EXPR n "${fails}+1")
  set(fails ${n} PARENT_SCOPE)
endfunction()
# check_match(<text> <regex> <message>): a failed check unless text matches regex
function(check_match text regex msg)
  if(NOT text MATCHES "${regex}")
    message("FAIL: ${msg}")
    math(EXPR n "${fails}+1")
    set(fails ${n} PARENT_SCOPE)
  endif()
endfunction()
foreach(f REPORT.md index.html)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "gdl-report wrote no ${OUT}/${f}")
  endif()
  file(READ ${OUT}/${f} text)
  foreach(c ${claim_ids})
    check_match("${text}" "${c}" "${f}: claim ${c} is not listed")
  endforeach()
  foreach(pat
      "GV3: \\*?\\*?FAIL|GV3: <span class=\"FAIL\">FAIL"  # failing assertion
      "NG1__broken.json"                                 # malformed file named
      "malformed JSON: unexpected end of input"          # ... with the reason
      "corr_below_bound_n20"                             # family summary row (NG2)
      "noisy_gd_bound.png"                               # its figure
      "18446744073709551615"                             # 64-bit seed printed exactly
      "17 pass, 1 fail, 1 incomplete, ${nwithout} without results"  # the counts (PF apart)
      "Performance \\(PF\\): measured vs target"           # its own section
      "fraction_of_dgemm_peak_d_synthetic"               # the missed target is listed ...
      "dgemm peak 123.40 GFLOP/s"                        # ... with the run's peak
      "3.5 2.25 1.75 \\(recorded by the benchmark run\\)" # ... and load average
      "Faults its test kills: ng-drop-g-term"            # kill matrix, per claim
      "tightness")                                       # tightness column
    check_match("${text}" "${pat}" "${f}: expected to match '${pat}'")
  endforeach()
endforeach()
# the missing claim MS4 is listed as "no result" (not a crash, not silently dropped)
file(READ ${OUT}/REPORT.md md)
file(READ ${OUT}/index.html html)
check_match("${md}" "### MS4: no result" "REPORT.md: MS4 not shown as no result")
check_match("${html}" "id=\"MS4\">MS4: <span class=\"none\">no result" "index.html: MS4 not shown as no result")
# a record filed under the family "WL" whose check starts with "WL2" belongs to WL2;
# "WL0_..." (no such claim) stays a family-level row
check_match("${md}" "### WL2: PASS[^#]*WL2b_filed_under_family" "REPORT.md: WL2b_filed_under_family not listed under WL2")
check_match("${md}" "Family-level results[^#]*WL0_family_level_check"
            "REPORT.md: WL0_family_level_check not listed as a family-level row")
# the missed PF target reads "missed", never FAIL
check_match("${md}" "fraction_of_dgemm_peak_d_synthetic \\| 0.583 \\| >= 0.6 \\| missed"
            "REPORT.md: the missed performance target is not shown as missed")
# tightness: EQ1 synthetic measured 0.25 <= 0.5 gives 2
check_match("${md}" "synthetic_check_0 \\| 0.25 \\| &lt;= \\| 0.5 \\| 0.25 \\| 2 \\|"
            "REPORT.md: tightness 2 of synthetic_check_0 not shown")
# claims.json: one object per claim with its checks
if(NOT EXISTS ${OUT}/claims.json)
  message("FAIL: gdl-report wrote no claims.json")
  math(EXPR fails "${fails}+1")
else()
  file(READ ${OUT}/claims.json js)
  foreach(pat "\"id\": \"GV3\"[^}]*\"status\": \"FAIL\"" "\"id\": \"MS4\"[^}]*\"status\": \"no result\""
              "\"id\": \"PF\"[^}]*\"status\": \"measured\"" "\"tightness\": 2" "\"pass\": 17, \"fail\": 1")
    check_match("${js}" "${pat}" "claims.json: expected to match '${pat}'")
  endforeach()
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.19)
    string(JSON nclaims ERROR_VARIABLE jerr LENGTH "${js}" claims)
    if(jerr OR NOT nclaims EQUAL nclaims_expected)
      message("FAIL: claims.json: not valid JSON with ${nclaims_expected} claims (${nclaims} ${jerr})")
      math(EXPR fails "${fails}+1")
    endif()
  endif()
endif()
# a bad flag is rejected with exit 2
execute_process(COMMAND ${REPORT} --no-such-flag RESULT_VARIABLE rc2 OUTPUT_QUIET ERROR_QUIET)
if(NOT rc2 EQUAL 2)
  message("FAIL: gdl-report --no-such-flag exited with ${rc2}, expected 2")
  math(EXPR fails "${fails}+1")
endif()
if(fails GREATER 0)
  message(FATAL_ERROR "plots.report: ${fails} check(s) failed (outputs in ${OUT})")
endif()
message("plots.report: all checks passed (outputs in ${OUT})")
