// companion_module.hpp — axisim's own optional modules, loaded the first time they are needed.
//
// Code whose libraries are costly to load lives in a module of its own instead of in every
// axisim process: HDF5 for SED-ML's reports.h5 (libhdf5 brings libcurl, GnuTLS, Kerberos and
// LDAP: about 26 ms of dynamic loading) and MPI for `axisim batch` under mpirun (about 9 ms).
// Every `axisim simulate` paid both before a model was read (docs/performance.md, "Start-up").
//
// A module is libaxisim_<name>.so, built with axisim by the same compiler with the same flags, so
// its entry points may take and return C++ types; it is not a plugin and has no ABI of its own
// across axisim versions. It is looked for, in order, in
//   $AXISIM_MODULE_DIR (one folder),
//   <prefix>/lib/axisim/modules and <build>/modules, relative to the running program
//     (<prefix>/bin/axisim, <build>/cli/axisim),
//   the build tree's and the installation's modules folders, as configured (for programs such
//     as the Python interpreter that live elsewhere).
// docs/architecture.md, "Companion modules".
#pragma once

#include <string>
#include <vector>

namespace axisim::detail {

// The address of `symbol` in module `name` ("reports_h5", "mpi"), loading the module on first
// use; modules stay loaded until the process exits (their libraries register exit handlers).
// `global`: the module's symbols, and its libraries', are made available to libraries loaded
// later (Open MPI's components need that). Thread-safe.
// Throws Error(Unsupported) naming the module and every folder searched when it is not found,
// or the loader's message when it is found but cannot be loaded or lacks the symbol.
void* companion_symbol(const std::string& name, const char* symbol, bool global = false);

template <class F>
F* companion_function(const std::string& name, const char* symbol, bool global = false) {
  return reinterpret_cast<F*>(companion_symbol(name, symbol, global));
}

// The folders searched, in order (those that exist).
std::vector<std::string> companion_search_path();

}  // namespace axisim::detail
