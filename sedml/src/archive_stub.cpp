// Built without libzip: archives are refused, saying how to get them.
#include "axisim/sedml.hpp"

namespace axisim::sedml {

bool archives_supported() { return false; }

RunReport run_archive(const std::string& path, const RunOptions&) {
  throw Error(ErrorKind::Unsupported, path + ": this axisim was built without libzip, so it cannot read COMBINE/OMEX "
                                             "archives (install libzip-dev and rebuild, or unpack the archive and "
                                             "run its SED-ML file)");
}

}  // namespace axisim::sedml
