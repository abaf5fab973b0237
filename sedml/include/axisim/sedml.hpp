// axisim/sedml.hpp — run a SED-ML simulation experiment (Level 1 Versions 1-4) on SBML models.
//
//   axisim::sedml::RunOptions opt;  opt.output_dir = "out";
//   axisim::sedml::RunReport r = axisim::sedml::run_file("experiment.sedml", opt);
//   for (const auto& p : r.problems) std::cerr << p.element << ": " << p.message << "\n";
//
// The document is read with libxml2 (inside this library only), its models are resolved and
// changed by XPath on the SBML document, its tasks run through axisim::Model, its data
// generators are evaluated and its reports written as CSV in the BioSimulators layout:
// OUTDIR/<SED-ML location>/<report id>.csv, one row per data set (its label, then its values),
// and to OUTDIR/reports.h5 in BioSimulators' shapes; OUTDIR/log.yml says what ran.
// What cannot run (a missing model file, an XPath that selects nothing, an unknown KiSAO id, a
// feature not built yet) is reported as a Problem naming the element; everything that does not
// depend on it still runs. See docs/sedml.md.
#pragma once
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"

namespace axisim::sedml {

// Whether this build writes reports.h5 (HDF5 was found) and log.yml (yaml-cpp was found).
bool reports_h5_supported();
bool run_log_supported();

struct RunOptions {
  std::string output_dir = ".";
  // Where the reports go below output_dir: the SED-ML document's path inside its archive. Empty:
  // the document's file name.
  std::string location;
  // Local copies of models named by URN or URL: source string -> file path.
  std::map<std::string, std::string> model_map;
  LoadOptions load;
  // Also write every report (and every plot's data) to output_dir/reports.h5 at
  // <location>/<output id> (HDF5, the BioSimulators layout and shapes: a repeated task adds two
  // dimensions per nesting level). On by default in a build with HDF5; asked for in a build
  // without it, refused, named. The CSV files are written all the same.
  bool write_h5 = reports_h5_supported();
  // Write output_dir/log.yml, the BioSimulators log of what ran, kept up to date as the run goes
  // (docs/sedml.md; nothing in a build without yaml-cpp).
  bool write_log = true;
  // Draw every plot2D / plot3D as OUTDIR/<location>/<plot id>.svg and .pdf with gnuplot (and, for
  // an archive, bundle the PDFs into OUTDIR/plots.zip, as BioSimulators does). Where gnuplot is
  // not installed each plot is refused, named. false (`axisim run --no-plots`): data only.
  bool draw_plots = true;
  // Where tissue plugins a model names by name (its axisim annotation) are looked for first,
  // before AXISIM_PLUGIN_PATH and the install location (`axisim run --plugin-dir`).
  std::vector<std::string> plugin_dirs;
  // At most this many iterations of a parameterEstimationTask's fit (0: the algorithm's own
  // maximum, KISAO:0000486, default 100); a capped fit says so in the log.
  int max_fit_iterations = 0;
  // Set (by a signal handler: `axisim run` on SIGTERM or SIGINT) to stop the run: it stops before
  // the next task, repeated-task iteration or output, writes no further report, and finishes
  // log.yml saying where it stopped (RunReport::interrupted). Null: never stops.
  const std::atomic<int>* stop = nullptr;
};

// Something in the document that could not be done. `element` names it ("model 'm1'",
// "simulation 'sim1'", "dataGenerator 'dg1'", ...); kind is Unsupported for what axisim refuses
// or has not built yet, Io / InvalidSbml / UnknownId for bad input, Solver for failed runs.
struct Problem {
  ErrorKind kind;
  std::string element;
  std::string message;
};

struct OutputSummary {
  std::string id;
  std::string type;   // "report", "plot2D", "plot3D"
  std::string file;   // the CSV written (reports), the PDF drawn (plots); empty when nothing was written
  std::size_t data_sets = 0;
  std::size_t points = 0;  // values per data set
};

struct RunReport {
  std::vector<Problem> problems;
  std::vector<OutputSummary> outputs;
  std::vector<std::string> notes;  // substitutions and other things worth knowing (also logged)
  // The signal number RunOptions::stop held when the run stopped early (0: it did not).
  int interrupted = 0;
  // 0 when nothing failed; 3 when everything that failed was refused as unsupported; otherwise
  // the exit code of the first other problem (axisim::exit_code_for); 128 + the signal's number
  // when the run was stopped (130 for SIGINT, 143 for SIGTERM, as a shell reports a killed process).
  int exit_code() const;
};

// Runs the SED-ML document at `path`. Throws axisim::Error only when the document itself cannot
// be read (missing, malformed XML, not SED-ML); every other failure is a Problem in the report.
RunReport run_file(const std::string& path, const RunOptions& options);

// Reads a model map: one line per model, "SOURCE<TAB>PATH[<TAB>anything]"; PATH relative to the
// map's folder; lines starting with '#' and a header line whose second field is "local_copy" are
// skipped. Throws Error(Io) naming the file and line.
std::map<std::string, std::string> read_model_map(const std::string& path);

}  // namespace axisim::sedml

namespace axisim::sedml {

// Runs every SED-ML document of a COMBINE/OMEX archive (those its manifest lists with a SED-ML
// format; in an archive without a manifest, such as the old .sedx, every *.sedml file and every
// *.xml file whose root is <sedML>). The archive is unpacked into a temporary folder, removed
// afterwards; each document's reports go to OUTDIR/<its path in the archive>/. Throws Error(Io)
// when the archive cannot be read, Error(Unsupported) when axisim was built without libzip.
RunReport run_archive(const std::string& path, const RunOptions& options);

// Whether this build reads archives (libzip was found).
bool archives_supported();

}  // namespace axisim::sedml
