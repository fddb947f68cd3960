# Claim GV: exact class-gradient-variance sweeps (modmul vs p, waves vs A, parity levels) and
# the training FVU sweeps; figures gradient_variance_{modmul,wave,parity,fvu,modadd};
# build/results/gradient_variance/summary.json.
gdl_bench_family(gradient_variance
  PLOTS gradient_variance_modmul gradient_variance_wave gradient_variance_parity gradient_variance_fvu gradient_variance_modadd)
