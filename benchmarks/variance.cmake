# Exact class-gradient-variance engines (gdl/variance.h) timed against the direct engine
# (one loss gradient per target) in the same run, one core: CSV with a ratio column,
# JSON sidecar, build/results/variance/summary.json (the two performance targets).
gdl_bench_family(variance)
