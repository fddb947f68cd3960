# Claim SC1: true-gradient vs class-mean-gradient GD, trajectory distance vs steps for several p;
# figure steps_distance; build/results/steps/.
gdl_bench_family(steps PLOTS steps_distance)
