# Helpers shared by core/, theorems/, benchmarks/.

# gdl_add_test(<ctest-name> SOURCES <files...> [LABELS <labels...>] [TIMEOUT <s>]
#              [PROCESSORS <n>] [ENV <VAR=value...>])
# Builds one Criterion executable and registers it with ctest under <ctest-name>
# (e.g. core.net, theorems.equivariance). Tests run with single-threaded BLAS and
# one Criterion worker (parallelism comes from ctest -j and OpenMP over seeds) and
# write machine-readable results under build/results/claims.
function(gdl_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT;PROCESSORS" "SOURCES;LABELS;ENV" ${ARGN})
  string(REPLACE "." "_" exe "test_${name}")
  add_executable(${exe} ${T_SOURCES})
  target_link_libraries(${exe} PRIVATE gdl PkgConfig::CRITERION)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS quick)
  endif()
  if(NOT T_PROCESSORS)
    set(T_PROCESSORS 1)
  endif()
  # No --full-stats: it ships every passing assertion to the runner over a pipe, and a
  # test asserting inside a loop over 2^n points then takes minutes (core.domain: 1 s
  # without it, > 300 s with it under load).
  add_test(NAME ${name} COMMAND ${exe} --jobs 1)
  set(omp 1)
  if(T_PROCESSORS GREATER 1)
    set(omp ${T_PROCESSORS})
  endif()
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    PROCESSORS ${T_PROCESSORS}
    ENVIRONMENT "OPENBLAS_NUM_THREADS=1;CRITERION_JOBS=1;OMP_NUM_THREADS=${omp};GDL_RESULTS_DIR=${GDL_RESULTS_DIR};${T_ENV}")
endfunction()

# gdl_add_figure(<name> COMMAND <exe> [quick args...] [FULL_ARGS <args...>]
#                [PLOTS <script.gp...>] [DEPENDS <targets...>])
# A figure family: the sweep program writes CSV + JSON into
# build/results/<name>/ (it receives "--out <dir>" and, in full mode, FULL_ARGS
# instead of the quick args), then every gnuplot script renders PNG + SVG into
# build/figures/. Scripts get the variables resdir and figdir (gnuplot -e, one each) and only
# read results: re-plotting never retrains (target plot-<name>).
# Targets: figure-<name> (quick sweep + plots), figure-<name>-full, plot-<name>.
# The aggregate targets `figures`, `figures-full` and `plots` depend on all of them.
function(gdl_add_figure name)
  cmake_parse_arguments(F "" "" "COMMAND;FULL_ARGS;PLOTS;DEPENDS" ${ARGN})
  list(LENGTH F_COMMAND ncmd)
  if(ncmd EQUAL 0)
    message(FATAL_ERROR "gdl_add_figure(${name}): COMMAND <exe> [quick args...] is required")
  endif()
  list(GET F_COMMAND 0 exe)
  set(quick_args)
  if(ncmd GREATER 1)
    list(SUBLIST F_COMMAND 1 -1 quick_args)
  endif()
  set(res ${GDL_RESULTS_DIR}/${name})
  set(plot_cmds)
  set(plot_abs)
  foreach(gp ${F_PLOTS})
    get_filename_component(gpabs ${gp} ABSOLUTE)
    list(APPEND plot_abs ${gpabs})
    # two -e options: a ';' inside one argument would split it (CMake list separator)
    list(APPEND plot_cmds COMMAND ${GNUPLOT} -e "resdir='${res}'" -e "figdir='${GDL_FIGURES_DIR}'" ${gpabs})
  endforeach()
  if(NOT GNUPLOT)
    set(plot_cmds COMMAND ${CMAKE_COMMAND} -E echo "gnuplot not found: skipping plots of ${name} (install gnuplot-nox)")
  endif()
  add_custom_target(plot-${name}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${GDL_FIGURES_DIR}
    ${plot_cmds}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Rendering figures of ${name}" VERBATIM)
  add_custom_target(figure-${name}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${res} ${GDL_FIGURES_DIR}
    COMMAND $<TARGET_FILE:${exe}> --out ${res} ${quick_args}
    ${plot_cmds}
    DEPENDS ${exe} ${F_DEPENDS}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Sweep + figures ${name} (quick)" USES_TERMINAL VERBATIM)
  add_custom_target(figure-${name}-full
    COMMAND ${CMAKE_COMMAND} -E make_directory ${res} ${GDL_FIGURES_DIR}
    COMMAND $<TARGET_FILE:${exe}> --out ${res} --full ${F_FULL_ARGS}
    ${plot_cmds}
    DEPENDS ${exe} ${F_DEPENDS}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Sweep + figures ${name} (full)" USES_TERMINAL VERBATIM)
  set_property(GLOBAL APPEND PROPERTY GDL_FIGURE_NAMES ${name})
  # plots/CMakeLists.txt turns these into the figure map of the claims report and into
  # one rendering test per script (data: plots/testdata/<name>/).
  set_property(GLOBAL PROPERTY GDL_FIGURE_PLOTS_${name} "${plot_abs}")
endfunction()
