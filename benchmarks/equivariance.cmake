# Claim EQ: equivariance error per step for each learner x group (figure equivariance_error),
# EQ2/EQ3 statistics; build/results/equivariance/summary.json. The experiment is
# experiments/equivariance.{h,c} (library gdl_experiments).
gdl_bench_family(equivariance PLOTS equivariance_error)
