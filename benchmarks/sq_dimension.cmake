# Claim SQ1: certified SQ-dimension lower bounds vs p (multiplicative classes and the additive
# control) and parities by degree; figure sq_dimension_packing; build/results/sq_dimension/.
gdl_bench_family(sq_dimension PLOTS sq_dimension_packing)
