// libaxisim_reports_h5.so: SED-ML reports and plots' data in HDF5, the BioSimulators layout
// (reports_h5.hpp), with Debian's serial libhdf5. Loaded on demand (reports_h5_module.hpp).
#include "output/reports_h5_module.hpp"

#include <filesystem>
#include <stdexcept>

#include <hdf5.h>

namespace {

using axisim::sedml::H5Dataset;

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

void write(const H5Dataset& r, const std::string& file) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t opened = std::filesystem::exists(file) ? H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                                                     : H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (opened < 0) throw std::runtime_error("cannot open or create the HDF5 file");
  Handle f{opened, H5Fclose};
  // The groups on the document's path, each with its `uri`; the document's own group also
  // with `combineArchiveLocation` (as BioSimulators marks them).
  std::string group;
  std::size_t from = 0;
  while (from <= r.location.size()) {
    const std::size_t slash = r.location.find('/', from);
    const std::size_t end = slash == std::string::npos ? r.location.size() : slash;
    if (!group.empty()) group += '/';
    group += r.location.substr(from, end - from);
    from = end + 1;
    if (group.empty()) continue;
    Handle g{H5Lexists(f.id, group.c_str(), H5P_DEFAULT) > 0 ? H5Gopen2(f.id, group.c_str(), H5P_DEFAULT)
                                                              : H5Gcreate2(f.id, group.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             H5Gclose};
    if (g.id < 0) throw std::runtime_error("cannot create group '" + group + "'");
    try {
      if (H5Aexists(g.id, "uri") <= 0) string_attribute(g.id, "uri", {group}, true);
      if (slash == std::string::npos && H5Aexists(g.id, "combineArchiveLocation") <= 0)
        string_attribute(g.id, "combineArchiveLocation", {group}, true);
    } catch (const std::exception& e) {
      throw std::runtime_error("group '" + group + "': " + e.what());
    }
    if (slash == std::string::npos) break;
  }
  const std::string& path = r.path;
  if (H5Lexists(f.id, path.c_str(), H5P_DEFAULT) > 0) H5Ldelete(f.id, path.c_str(), H5P_DEFAULT);
  const std::vector<hsize_t> dims(r.dims.begin(), r.dims.end());
  Handle space{H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose};
  Handle ds{H5Dcreate2(f.id, path.c_str(), H5T_IEEE_F64LE, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
  if (ds.id < 0) throw std::runtime_error("cannot create dataset '" + path + "'");
  if (!r.values.empty() && H5Dwrite(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r.values.data()) < 0)
    throw std::runtime_error("cannot write dataset '" + path + "'");
  try {
    string_attribute(ds.id, "_type", {r.type}, true);
    string_attribute(ds.id, "uri", {path}, true);
    string_attribute(ds.id, "sedmlId", {r.id}, true);
    if (!r.name.empty()) string_attribute(ds.id, "sedmlName", {r.name}, true);
    string_attribute(ds.id, "sedmlDataSetIds", r.ids);
    string_attribute(ds.id, "sedmlDataSetLabels", r.labels);
    string_attribute(ds.id, "sedmlDataSetNames", r.names);
    string_attribute(ds.id, "sedmlDataSetDataTypes", std::vector<std::string>(r.ids.size(), "float64"));
    string_attribute(ds.id, "sedmlDataSetShapes", r.shapes);
  } catch (const std::exception& e) {
    throw std::runtime_error("dataset '" + path + "': " + e.what());
  }
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int axisim_reports_h5_write(const H5Dataset* dataset, const char* file,
                                                                               std::string* error) {
  try {
    write(*dataset, file);
    return 0;
  } catch (const std::exception& e) {
    *error = e.what();
    return 1;
  }
}
