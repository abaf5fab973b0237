// cluster_mpi_module.hpp — the MPI calls `axisim batch` makes under an MPI launcher, as the
// companion module libaxisim_mpi.so (cluster_mpi_module.cpp, the only code that sees MPI)
// provides them. Loaded only when the process was started by mpirun: Open MPI's libraries cost
// every process that links them about 9 ms to load (runtime/src/io/companion_module.hpp).
#pragma once

namespace axisim::batch {

struct MpiCalls {
  void (*init)(int* rank, int* size);  // MPI_Init_thread (funnelled), then rank and size
  void (*finalize)();
  void (*abort)(int code);
  void (*barrier)();
  long long (*sum)(long long value);  // over every rank; collective
  long long (*max)(long long value);
};

using axisim_mpi_calls_fn = const MpiCalls*();
inline constexpr const char* kMpiCallsSymbol = "axisim_mpi_calls";

}  // namespace axisim::batch
