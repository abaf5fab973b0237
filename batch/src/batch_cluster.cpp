// Cluster: the only file that sees MPI. Without AXISIM_WITH_MPI every call is the one-process
// answer; with it, MPI is initialised only when the process was started by an MPI launcher
// (mpirun sets OMPI_COMM_WORLD_SIZE, PMI and PMIx launchers their own variables), so a plain
// `axisim batch` never pays for MPI start-up.
#include <cstdlib>
#include <exception>

#include "axisim/batch.hpp"

#ifdef AXISIM_WITH_MPI
#include <mpi.h>
#endif

namespace axisim::batch {

namespace {
[[maybe_unused]] bool started_by_mpi_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}
}  // namespace

bool Cluster::compiled_with_mpi() {
#ifdef AXISIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

Cluster::Cluster() : exceptions_at_start_(std::uncaught_exceptions()) {
#ifdef AXISIM_WITH_MPI
  if (!started_by_mpi_launcher()) return;
  int provided = 0;
  // Only the main thread calls MPI; the workers never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  mpi_ = true;
#endif
}

Cluster::~Cluster() {
#ifdef AXISIM_WITH_MPI
  if (!mpi_) return;
  if (std::uncaught_exceptions() > exceptions_at_start_ && size_ > 1) {
    // Only this rank failed (the others would have failed at the same point and agreed on it
    // through a collective before any of them throws): do not leave them waiting.
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
#endif
}

void Cluster::barrier() const {
#ifdef AXISIM_WITH_MPI
  if (mpi_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

long long Cluster::sum(long long value) const {
#ifdef AXISIM_WITH_MPI
  if (mpi_) {
    long long out = 0;
    MPI_Allreduce(&value, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return out;
  }
#endif
  return value;
}

long long Cluster::max(long long value) const {
#ifdef AXISIM_WITH_MPI
  if (mpi_) {
    long long out = 0;
    MPI_Allreduce(&value, &out, 1, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    return out;
  }
#endif
  return value;
}

}  // namespace axisim::batch
