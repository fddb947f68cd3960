# Claim GV: exact class-gradient-variance sweeps (modmul vs p, waves vs A, parity levels) and
# the training FVU sweeps; figures gradient_variance_{modmul,wave,parity,fvu,modadd};
# build/results/gradient_variance/summary.json.
add_executable(bench_gradient_variance ${CMAKE_CURRENT_SOURCE_DIR}/gradient_variance.c)
target_link_libraries(bench_gradient_variance PRIVATE gdl_bench gdl)
gdl_add_figure(gradient_variance COMMAND bench_gradient_variance
  PLOTS ${CMAKE_SOURCE_DIR}/plots/gradient_variance_modmul.gp
        ${CMAKE_SOURCE_DIR}/plots/gradient_variance_wave.gp
        ${CMAKE_SOURCE_DIR}/plots/gradient_variance_parity.gp
        ${CMAKE_SOURCE_DIR}/plots/gradient_variance_fvu.gp
        ${CMAKE_SOURCE_DIR}/plots/gradient_variance_modadd.gp)
