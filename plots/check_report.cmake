# ctest plots.report: run gdl-report on the synthetic result set plots/testdata/report/
# and check that it exits 0 and that both outputs show what the data holds:
# every claim, the missing claim (MS4) as "no result", the failing one (GV3) as FAIL,
# the malformed file by name, the family summary's rows and its figure; performance (PF) in its
# own section, a missed target shown as missed and not counted as a failing claim; the faults
# each family's test kills (results/power/kill_matrix.csv); tightness ratios; claims.json.
# Usage: cmake -DREPORT=<exe> -DDATA=<dir> -DOUT=<dir> -P check_report.cmake
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${REPORT} --results ${DATA}/results --figures ${DATA}/figures --out ${OUT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gdl-report exited with ${rc}")
endif()
set(fails 0)
foreach(f REPORT.md index.html)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "gdl-report wrote no ${OUT}/${f}")
  endif()
  file(READ ${OUT}/${f} text)
  foreach(c EQ1 EQ2 EQ3 AL1 NG1 NG2 WL1 WL2 WL3 MS1 MS2 MS3 MS4 GV1 GV2 GV3 GV4 GV5 SH1 SH2 PF)
    string(FIND "${text}" "${c}" pos)
    if(pos EQUAL -1)
      message("FAIL: ${f}: claim ${c} is not listed")
      math(EXPR fails "${fails}+1")
    endif()
  endforeach()
  foreach(pat
      "GV3: \\*?\\*?FAIL|GV3: <span class=\"FAIL\">FAIL"  # failing assertion
      "NG1__broken.json"                                 # malformed file named
      "malformed JSON: unexpected end of input"          # ... with the reason
      "corr_below_bound_n20"                             # family summary row (NG2)
      "noisy_gd_bound.png"                               # its figure
      "18446744073709551615"                             # 64-bit seed printed exactly
      "17 pass, 1 fail, 1 incomplete, 4 without results"  # the counts (PF apart; GV6 has no test data)
      "Performance \\(PF\\): measured vs target"           # its own section
      "fraction_of_dgemm_peak_d_synthetic"               # the missed target is listed ...
      "dgemm peak 123.40 GFLOP/s"                        # ... with the run's peak
      "3.5 2.25 1.75 \\(recorded by the benchmark run\\)" # ... and load average
      "Faults its test kills: ng-drop-g-term"            # kill matrix, per claim
      "tightness")                                       # tightness column
    if(NOT text MATCHES "${pat}")
      message("FAIL: ${f}: expected to match '${pat}'")
      math(EXPR fails "${fails}+1")
    endif()
  endforeach()
endforeach()
# the missing claim MS4 is listed as "no result" (not a crash, not silently dropped)
file(READ ${OUT}/REPORT.md md)
if(NOT md MATCHES "### MS4: no result")
  message("FAIL: REPORT.md: MS4 not shown as no result")
  math(EXPR fails "${fails}+1")
endif()
file(READ ${OUT}/index.html html)
if(NOT html MATCHES "id=\"MS4\">MS4: <span class=\"none\">no result")
  message("FAIL: index.html: MS4 not shown as no result")
  math(EXPR fails "${fails}+1")
endif()
# a record filed under the family "WL" whose check starts with "WL2" belongs to WL2;
# "WL0_..." (no such claim) stays a family-level row
string(REGEX MATCH "### WL2: PASS[^#]*WL2b_filed_under_family" hit "${md}")
if(NOT hit)
  message("FAIL: REPORT.md: WL2b_filed_under_family not listed under WL2")
  math(EXPR fails "${fails}+1")
endif()
string(REGEX MATCH "Family-level results[^#]*WL0_family_level_check" hit "${md}")
if(NOT hit)
  message("FAIL: REPORT.md: WL0_family_level_check not listed as a family-level row")
  math(EXPR fails "${fails}+1")
endif()
# the missed PF target reads "missed", never FAIL
string(REGEX MATCH "fraction_of_dgemm_peak_d_synthetic \\| 0.583 \\| >= 0.6 \\| missed" hit "${md}")
if(NOT hit)
  message("FAIL: REPORT.md: the missed performance target is not shown as missed")
  math(EXPR fails "${fails}+1")
endif()
# tightness: EQ1 synthetic measured 0.25 <= 0.5 gives 2
string(REGEX MATCH "synthetic_check_0 \\| 0.25 \\| &lt;= \\| 0.5 \\| 0.25 \\| 2 \\|" hit "${md}")
if(NOT hit)
  message("FAIL: REPORT.md: tightness 2 of synthetic_check_0 not shown")
  math(EXPR fails "${fails}+1")
endif()
# claims.json: one object per claim with its checks
if(NOT EXISTS ${OUT}/claims.json)
  message("FAIL: gdl-report wrote no claims.json")
  math(EXPR fails "${fails}+1")
else()
  file(READ ${OUT}/claims.json js)
  foreach(pat "\"id\": \"GV3\"[^}]*\"status\": \"FAIL\"" "\"id\": \"MS4\"[^}]*\"status\": \"no result\""
              "\"id\": \"PF\"[^}]*\"status\": \"measured\"" "\"tightness\": 2" "\"pass\": 17, \"fail\": 1")
    if(NOT js MATCHES "${pat}")
      message("FAIL: claims.json: expected to match '${pat}'")
      math(EXPR fails "${fails}+1")
    endif()
  endforeach()
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.19)
    string(JSON nclaims ERROR_VARIABLE jerr LENGTH "${js}" claims)
    if(jerr OR NOT nclaims EQUAL 24)
      message("FAIL: claims.json: not valid JSON with 24 claims (${nclaims} ${jerr})")
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
