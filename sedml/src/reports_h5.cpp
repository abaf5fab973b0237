// SED-ML reports in HDF5, the BioSimulators layout (reports_h5.hpp). Debian's serial libhdf5.
#include "reports_h5.hpp"

#include <filesystem>

#include <hdf5.h>

#include "axisim/error.hpp"

namespace axisim::sedml {

namespace {

// Closes an HDF5 handle when it goes out of scope.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Handle() {
    if (id >= 0) close(id);
  }
};

void string_attribute(hid_t obj, const char* name, const std::vector<std::string>& values, bool scalar = false) {
  Handle type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, H5T_VARIABLE);
  H5Tset_cset(type.id, H5T_CSET_UTF8);
  const hsize_t n = values.size();
  Handle space{scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose};
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  Handle attr{H5Acreate2(obj, name, type.id, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (attr.id < 0 || H5Awrite(attr.id, type.id, ptrs.data()) < 0)
    throw std::runtime_error(std::string("cannot write attribute ") + name);
}

}  // namespace

void write_h5_report(const std::string& file, const H5Report& r) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  auto fail = [&](const std::string& what) { return Error(ErrorKind::Io, file + ": " + what); };
  const hid_t opened = std::filesystem::exists(file) ? H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                                                     : H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (opened < 0) throw fail("cannot open or create the HDF5 file");
  Handle f{opened, H5Fclose};
  const std::string path = r.location + "/" + r.id;
  if (H5Lexists(f.id, r.location.c_str(), H5P_DEFAULT) > 0 && H5Lexists(f.id, path.c_str(), H5P_DEFAULT) > 0)
    H5Ldelete(f.id, path.c_str(), H5P_DEFAULT);
  Handle links{H5Pcreate(H5P_LINK_CREATE), H5Pclose};
  H5Pset_create_intermediate_group(links.id, 1);
  std::size_t width = 0;
  for (const auto& row : r.rows) width = std::max(width, row.size());
  const hsize_t dims[2] = {r.rows.size(), width};
  Handle space{H5Screate_simple(2, dims, nullptr), H5Sclose};
  Handle ds{H5Dcreate2(f.id, path.c_str(), H5T_IEEE_F64LE, space.id, links.id, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
  if (ds.id < 0) throw fail("cannot create dataset '" + path + "'");
  std::vector<double> values;
  for (const auto& row : r.rows) values.insert(values.end(), row.begin(), row.end());
  if (!values.empty() && H5Dwrite(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw fail("cannot write dataset '" + path + "'");
  try {
    string_attribute(ds.id, "_type", {"SedReport"}, true);
    string_attribute(ds.id, "uri", {path}, true);
    string_attribute(ds.id, "sedmlId", {r.id}, true);
    if (!r.name.empty()) string_attribute(ds.id, "sedmlName", {r.name}, true);
    string_attribute(ds.id, "sedmlDataSetIds", r.ids);
    string_attribute(ds.id, "sedmlDataSetLabels", r.labels);
    string_attribute(ds.id, "sedmlDataSetNames", r.names);
    string_attribute(ds.id, "sedmlDataSetDataTypes", std::vector<std::string>(r.ids.size(), "float64"));
    std::vector<std::string> shapes;
    for (std::size_t n : r.lengths) shapes.push_back(std::to_string(n));
    string_attribute(ds.id, "sedmlDataSetShapes", shapes);
  } catch (const std::exception& e) {
    throw fail("dataset '" + path + "': " + e.what());
  }
}

}  // namespace axisim::sedml
