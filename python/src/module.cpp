// module.cpp — the `axisim._axisim` extension module: each part is bound in its own file
// (bindings.hpp); the package python/axisim/ re-exports it as `axisim`.
#include "bindings.hpp"

PYBIND11_MODULE(_axisim, m) {
  namespace ap = axisim::python;
  m.doc() = "axisim's C++ library (runtime and batch) for Python; use it through the `axisim` package.";
  m.attr("__version__") = AXISIM_VERSION;
  ap::bind_errors(m);
  ap::bind_logging(m);
  ap::bind_results(m);
  ap::bind_plugins(m);
  ap::bind_run_state(m);
  ap::bind_model(m);
  ap::bind_analyses(m);
  ap::bind_batch(m);
  ap::bind_suite(m);
  ap::bind_control(m);
}
