# Performance PF (a target, not a claim): the trainer's speed (steps/s, GFLOP/s, fraction of the dgemm peak) on four
# standard shapes, with the PyTorch peer (benchmarks/trainer_torch.py) where `import torch`
# works. `cmake --build build --target bench-trainer` prints the table; the figure family
# `trainer` also plots it (plots/trainer_speed.gp).
gdl_bench_family(trainer PLOTS trainer_speed)
target_compile_definitions(bench_trainer PRIVATE
  GDL_TRAINER_TORCH_PY="${CMAKE_CURRENT_SOURCE_DIR}/trainer_torch.py")
add_custom_target(bench-trainer
  COMMAND ${CMAKE_COMMAND} -E make_directory ${GDL_RESULTS_DIR}/trainer
  COMMAND $<TARGET_FILE:bench_trainer> --out ${GDL_RESULTS_DIR}/trainer
  DEPENDS bench_trainer
  COMMENT "Trainer benchmark (PF) -> ${GDL_RESULTS_DIR}/trainer" USES_TERMINAL VERBATIM)
