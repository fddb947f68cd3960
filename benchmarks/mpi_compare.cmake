# MPI build only (-DGDL_MPI=ON, cmake/mpi.cmake): quick sweeps run by one process and by
# mpirun -n 2 through a localhost hostfile give identical CSVs (ctest mpi.<sweep>).
gdl_add_mpi_compare(staircase bench_staircase)
gdl_add_mpi_compare(equivariance bench_equivariance)
