// Built without libzip: archives are refused, saying how to get them.
#include "archive/archive.hpp"
#include "axisim/sedml.hpp"

namespace axisim::sedml {

namespace {
const char* kWithout = ": this axisim was built without libzip, so it cannot read or write COMBINE/OMEX archives "
                       "(install libzip-dev and rebuild, or use the SED-ML file itself)";
}

bool archives_supported() { return false; }

RunReport run_archive(const std::string& path, const RunOptions&) { throw Error(ErrorKind::Unsupported, path + kWithout); }

void unpack_archive(const std::string& archive, const std::string&) { throw Error(ErrorKind::Unsupported, archive + kWithout); }

void write_archive(const std::string& path, const std::vector<ArchiveEntry>&) {
  throw Error(ErrorKind::Unsupported, path + kWithout);
}

}  // namespace axisim::sedml
