// SED-ML reports and plots' data in HDF5 (reports_h5.hpp): laid out here as one dataset, written
// by the companion module libaxisim_reports_h5.so (reports_h5_module.cpp, the only code that
// sees HDF5), loaded the first time a report is written.
#include "output/reports_h5.hpp"

#include "axisim/error.hpp"
#include "axisim/sedml.hpp"
#include "io/companion_module.hpp"
#include "output/reports_h5_module.hpp"

namespace axisim::sedml {

bool reports_h5_supported() { return true; }

void write_h5_report(const std::string& file, const H5Report& r) {
  H5Dataset d;
  d.location = r.location;
  d.path = r.location.empty() ? r.id : r.location + "/" + r.id;
  d.type = r.type;
  d.id = r.id;
  d.name = r.name;
  d.ids = r.ids;
  d.labels = r.labels;
  d.names = r.names;
  std::vector<NdArray> sets = r.data;
  for (const NdArray& a : sets) d.shapes.push_back(shape_text(a.dims));
  const std::vector<std::size_t> common = pad_common(sets);
  d.dims.push_back(sets.size());
  for (std::size_t n : common) d.dims.push_back(n);
  for (const NdArray& a : sets) d.values.insert(d.values.end(), a.values.begin(), a.values.end());

  auto* write = detail::companion_function<axisim_reports_h5_write_fn>("reports_h5", kReportsH5WriteSymbol);
  std::string error;
  if (write(&d, file.c_str(), &error) != 0) throw Error(ErrorKind::Io, file + ": " + error);
}

}  // namespace axisim::sedml
