// reports_h5.hpp — SED-ML reports in HDF5, as BioSimulators writes them (RunOptions::write_h5).
//
// OUTDIR/reports.h5 holds one dataset per report at `<SED-ML location>/<report id>`: float64,
// one row per data set (padded with NaN to the longest), with the attributes BioSimulators
// writes: _type "SedReport", uri, sedmlId, sedmlName, and per data set sedmlDataSetIds,
// sedmlDataSetLabels, sedmlDataSetNames, sedmlDataSetDataTypes ("float64"), sedmlDataSetShapes
// (its length). A report already in the file is replaced. src/reports_h5_stub.cpp refuses, in a
// build without HDF5 (libhdf5-dev).
#pragma once

#include <string>
#include <vector>

namespace axisim::sedml {

struct H5Report {
  std::string location, id, name;
  std::vector<std::string> ids, labels, names;
  std::vector<std::vector<double>> rows;  // one per data set, padded to one length
  std::vector<std::size_t> lengths;       // each data set's own length
};

// Throws Error(Io) naming the file when it cannot be written; Error(Unsupported) without HDF5.
void write_h5_report(const std::string& file, const H5Report& report);

}  // namespace axisim::sedml
