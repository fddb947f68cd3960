# ctest cli.check: `gdlimits check` end to end at tiny sizes (seconds).
#   cmake -DGDLIMITS=<path to gdlimits> -DOUTDIR=<scratch dir> -P test_check.cmake
# One passing check per family (NG, GV parity/modmul/wave, SH, MS, EQ under B_n and O(d),
# with the coordinatewise O(d) control), the --json document, and bad input: an unknown
# claim, a bad flag value, a flag that does not apply to the claim -> exit 2 with ONE stderr
# line naming the culprit.
set(CLI_COMMAND check)
include(${CMAKE_CURRENT_LIST_DIR}/cli_test_common.cmake)

# a passing run: exit 0, every check line PASS, at least `min` checks
macro(run_pass name min)
  run(0 ${name} ${ARGN})
  string(REGEX MATCHALL "(^|\n)PASS " passes "${OUT}")
  list(LENGTH passes np)
  string(FIND "${OUT}" "FAIL " fpos)
  if(np LESS ${min} OR NOT fpos EQUAL -1)
    fail("${name}: expected >= ${min} PASS lines and no FAIL:\n${OUT}")
  endif()
endmacro()

# exit 2, one stderr line naming `what`
macro(run_bad name what)
  run(2 ${name} ${ARGN})
  expect_one_line(${name} "${what}")
endmacro()

run_pass(ng 2 NG --n 6 --k 3 --steps 50 --runs 4 --json ${OUTDIR}/ng.json)
run_pass(gv_parity 8 GV --class parity --n 8 --width 8)
run_pass(gv_modmul 1 GV --class modmul --p 101 --width 8)
run_pass(gv_wave 1 GV --class wave --A 4 --width 8 --reps 2)
run_pass(sh 1 SH --d 8 --gamma 4 --width 16)
# SH FVU: the FCN fails at gamma 1 (a short run), the coordinate-aware ridge learner learns
run_pass(sh_fvu_fcn 1 SH --learner fcn-adam --gamma 1 --d 8 --samples 3200)
run_pass(sh_fvu_coord 1 SH --learner coord-ridge --gamma 1 --d 8 --samples 20000)
# MS: the merged staircase x1 + x1x2 (leap 1, predicted slope 1 +- 0.25)
# a budget too short to hit: the runs are censored, the check FAILs with exit 1
run(1 ms_censored_fails MS --poly "x1 + x1*x2" --ds 8,16,32 --reps 1 --steps 1)
string(FIND "${OUT}" "FAIL MS_runs_censored" pos)
if(pos EQUAL -1)
  fail("ms_censored_fails: no FAIL line for the censored runs:\n${OUT}")
endif()
run_pass(ms 3 MS --poly "x1 + x1*x2" --ds 8,16,32 --reps 1 --json ${OUTDIR}/ms.json)
run_pass(eq_bn 1 EQ --group Bn --n 5 --width 4 --steps 20)
run_pass(eq_od_noisy 1 EQ --group Od --algo noisy --tau 0.05 --n 5 --width 4 --steps 20)
# the control: Adam is not O(d)-equivariant, predicted error > 1e-4
run_pass(eq_od_adam_control 1 EQ --group Od --algo adam --n 5 --width 4 --steps 20 --json ${OUTDIR}/eq.json)

# the JSON document: configuration, flags, checks, provenance
foreach(f ng ms eq)
  if(NOT EXISTS ${OUTDIR}/${f}.json)
    fail("${f}.json not written")
    continue()
  endif()
  file(READ ${OUTDIR}/${f}.json js)
  expect_in("${f}.json" "${js}" "\"family\"" "\"config\"" "\"flags\"" "\"checks\"" "\"measured\"" "\"bound\""
            "\"margin\"" "\"pass\"" "\"git\"" "\"utc\"")
  string(JSON nchk ERROR_VARIABLE jerr LENGTH "${js}" checks)
  if(jerr OR nchk LESS 1)
    fail("${f}.json: checks is not a non-empty list (${jerr})")
  endif()
endforeach()
string(JSON eq_n GET "${js}" config n)
if(NOT eq_n EQUAL 5)
  fail("eq.json: config.n is ${eq_n}, expected the flag's 5")
endif()

run_bad(unknown_claim "XX" XX)
run_bad(no_claim "CLAIM")
run_bad(bad_value "--n" NG --n 6x)
run_bad(out_of_range "--k" NG --n 6 --k 7)
run_bad(bad_lr "--lr" NG --lr -1)
run_bad(not_prime "--p" GV --class modmul --p 100)
run_bad(bad_class "--class" GV --class xor)
run_bad(not_this_claim "--gamma" NG --gamma 3)
run_bad(not_this_class "--p" GV --class wave --p 101)
run_bad(not_this_algo "--tau" EQ --algo gd --tau 0.1)
run_bad(bad_group "--group" EQ --group Sn)
run_bad(bad_learner "--learner" SH --learner mlp)
run_bad(no_hardness_below_1 "--gamma" SH --learner fcn-sgd --gamma 0.5)
run_bad(samples_without_learner "--samples" SH --samples 100)
run_bad(unknown_flag "--frobnicate" SH --frobnicate 1)
run_bad(twice "--d" SH --d 8 --d 9)
run_bad(ms_bad_poly "--poly" MS --poly "x1*")
run_bad(ms_too_few_runs "--reps" MS --ds 8,16 --reps 1)
run_bad(ms_not_this_claim "--tau" MS --tau 0.1)
run_bad(json_dir "--json" SH --json ${OUTDIR}/)

run(0 help --help)
string(FIND "${OUT}" "usage: gdlimits check" pos)
if(pos EQUAL -1)
  fail("--help: no usage line")
endif()
