# Claim SH: FVU vs gamma for the FCN, the coordinate-aware learner and its equivariant twin
# (sgd_hardness_fvu), orbit gradient variance vs gamma with the Schur bound
# (sgd_hardness_variance); build/results/sgd_hardness/summary.json.
gdl_bench_family(sgd_hardness PLOTS sgd_hardness_fvu sgd_hardness_variance)
