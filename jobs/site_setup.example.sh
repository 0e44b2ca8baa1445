# Example of a site setup file: what a cluster needs before sdegen runs (module loads, paths).
# Copy it, adapt it, and point SDEGEN_SETUP at the copy; every jobs/ script sources it before sdegen.
#
#   cp jobs/site_setup.example.sh ~/sdegen_setup.sh      # then edit
#   export SDEGEN_SETUP=~/sdegen_setup.sh                # sbatch passes it on to the jobs
#
# It is sourced by bash (not run), in the job's working directory, before the executable and the
# launcher are looked up: it may set PATH, SDEGEN_BIN or SDEGEN_LAUNCHER. Keep it quiet on stdout.

# module purge
# module load gcc/12 openmpi/4.1 hdf5/1.10 boost/1.74 eigen/3.4

# Site-specific MPI start-up, when the default (srun --mpi=pmix in jobs, mpirun locally) does not fit:
# export SDEGEN_LAUNCHER="srun --mpi=pmi2"

# Parallel file systems (Lustre, GPFS) may refuse HDF5's file locks:
# export HDF5_USE_FILE_LOCKING=FALSE
