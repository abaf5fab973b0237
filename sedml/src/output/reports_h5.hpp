// reports_h5.hpp — SED-ML reports (and plots' data) in HDF5, as BioSimulators writes them.
//
// OUTDIR/reports.h5 holds a group per SED-ML document, at its path in the archive (each group on
// that path has the attribute `uri`, its own path; the document's group also
// `combineArchiveLocation`), and in it one float64 dataset per output at `<location>/<output id>`:
// one row per data set, every data set in its own shape (result_shape.hpp: a repeated task adds
// two dimensions per nesting level) padded with NaN to the largest, so the dataset has shape
// (data sets, d1, d2, ...). Attributes as BioSimulators writes them: _type ("SedReport",
// "SedPlot2D", "SedPlot3D"), uri, sedmlId, sedmlName, and per data set sedmlDataSetIds,
// sedmlDataSetLabels, sedmlDataSetNames, sedmlDataSetDataTypes ("float64"), sedmlDataSetShapes
// ("601", "3,2,11"). An output already in the file is replaced. src/reports_h5_stub.cpp refuses,
// in a build without HDF5 (libhdf5-dev).
#pragma once

#include <string>
#include <vector>

#include "output/result_shape.hpp"

namespace axisim::sedml {

struct H5Report {
  std::string location, id, name;
  std::string type = "SedReport";
  std::vector<std::string> ids, labels, names;
  std::vector<NdArray> data;  // one per data set, each in its own shape
};

// Throws Error(Io) naming the file when it cannot be written; Error(Unsupported) without HDF5.
void write_h5_report(const std::string& file, const H5Report& report);

}  // namespace axisim::sedml
