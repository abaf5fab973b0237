// Cluster: MPI through the companion module libaxisim_mpi.so (cluster_mpi_module.hpp), the only
// code that sees MPI. Without AXISIM_WITH_MPI every call is the one-process answer; with it, the
// module is loaded and MPI initialised only when the process was started by an MPI launcher
// (mpirun sets OMPI_COMM_WORLD_SIZE, PMI and PMIx launchers their own variables), so a plain
// `axisim batch`, and every other command, never pays for MPI's libraries or its start-up.
#include <cstdlib>
#include <exception>

#include "axisim/batch.hpp"
#include "cluster_mpi_module.hpp"
#include "io/companion_module.hpp"

namespace axisim::batch {

namespace {
[[maybe_unused]] bool started_by_mpi_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (const char* s = std::getenv(v); s && *s) return true;
  return false;
}

const MpiCalls& mpi_calls() {
  // Open MPI's components, which it loads itself, need its symbols global.
  static const MpiCalls* calls = detail::companion_function<axisim_mpi_calls_fn>("mpi", kMpiCallsSymbol, true)();
  return *calls;
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
  mpi_calls().init(&rank_, &size_);
  mpi_ = true;
#endif
}

Cluster::~Cluster() {
  if (!mpi_) return;
  if (std::uncaught_exceptions() > exceptions_at_start_ && size_ > 1) {
    // Only this rank failed (the others would have failed at the same point and agreed on it
    // through a collective before any of them throws): do not leave them waiting.
    mpi_calls().abort(1);
  }
  mpi_calls().finalize();
}

void Cluster::barrier() const {
  if (mpi_) mpi_calls().barrier();
}

long long Cluster::sum(long long value) const { return mpi_ ? mpi_calls().sum(value) : value; }

long long Cluster::max(long long value) const { return mpi_ ? mpi_calls().max(value) : value; }

}  // namespace axisim::batch
