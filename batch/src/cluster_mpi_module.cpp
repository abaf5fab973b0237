// libaxisim_mpi.so: the MPI calls of axisim::batch::Cluster (cluster_mpi_module.hpp).
#include "cluster_mpi_module.hpp"

#include <mpi.h>

namespace {

void init(int* rank, int* size) {
  int provided = 0;
  // Only the main thread calls MPI; the workers never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
}
void finalize() { MPI_Finalize(); }
void abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }
void barrier() { MPI_Barrier(MPI_COMM_WORLD); }
long long reduce(long long value, MPI_Op op) {
  long long out = 0;
  MPI_Allreduce(&value, &out, 1, MPI_LONG_LONG, op, MPI_COMM_WORLD);
  return out;
}
long long sum(long long value) { return reduce(value, MPI_SUM); }
long long max(long long value) { return reduce(value, MPI_MAX); }

const axisim::batch::MpiCalls calls{init, finalize, abort, barrier, sum, max};

}  // namespace

extern "C" __attribute__((visibility("default"))) const axisim::batch::MpiCalls* axisim_mpi_calls() { return &calls; }
