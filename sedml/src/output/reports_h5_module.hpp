// reports_h5_module.hpp — what libaxisim_reports_h5.so (reports_h5_module.cpp, the only code
// that sees HDF5) is given to write: one report, already laid out as its dataset. A companion
// module (runtime/src/io/companion_module.hpp): HDF5 and the libraries it brings cost every
// process that links them about 26 ms to load, so only `axisim run` writing reports.h5 loads it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace axisim::sedml {

struct H5Dataset {
  std::string location;  // the document's path in the archive: groups, each with its `uri`
  std::string path;      // the dataset, <location>/<output id>
  std::string type, id, name;
  std::vector<std::string> ids, labels, names, shapes;  // per data set
  std::vector<unsigned long long> dims;                 // (data sets, d1, d2, ...)
  std::vector<double> values;                           // row-major, NaN-padded
};

// The module's entry point: writes `dataset` into `file` (created, or opened and the dataset
// replaced). Returns 0, or non-zero with what failed in `*error` (the caller names the file).
using axisim_reports_h5_write_fn = int(const H5Dataset* dataset, const char* file, std::string* error);
inline constexpr const char* kReportsH5WriteSymbol = "axisim_reports_h5_write";

}  // namespace axisim::sedml
