// A build without HDF5 (libhdf5-dev): reports.h5 is refused, saying so (reports_h5.hpp).
#include "axisim/error.hpp"
#include "axisim/sedml.hpp"
#include "output/reports_h5.hpp"

namespace axisim::sedml {

bool reports_h5_supported() { return false; }

void write_h5_report(const std::string& file, const H5Report&) {
  throw Error(ErrorKind::Unsupported, file + ": this axisim was built without HDF5 (libhdf5-dev); reports.h5 cannot be written");
}

}  // namespace axisim::sedml
