# Claims AL2 and NG3: the sphere under O(d): lambda vs k (exact, Haar Monte Carlo, the cube's
# count) and the noisy-GD bound on the sphere (figure sphere_alignment;
# build/results/sphere/summary.json).
gdl_bench_family(sphere --seed 20221103 FULL_ARGS --seed 20221103 PLOTS sphere_alignment)
