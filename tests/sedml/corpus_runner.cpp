// axisim_sedml_corpus: runs `axisim run` on every case of the SED-ML corpus (../shared/sedml-corpus,
// INDEX.tsv) and judges the results by the corpus README's rule. It does not link the SED-ML
// library: it runs the CLI and reads the CSV files it writes, so the judge stays independent of
// the code it judges.
//
// Outcomes per case:
//   matched   ran (exit 0) and every report in expected/reports.h5 has the same shape in axisim's
//             reports.h5 (the dataset's, and each data set's by id) and matches the CSV written,
//             |a - b| <= atol + rtol |b| (rtol 1e-4 when the case's algorithm is CVODE, otherwise
//             1e-3; atol 1e-6 max|b| per data set, per report for flux balance), NaN only equal to NaN; or, without reports.h5,
//             every value of expected/<report>.numl.xml matches (compare_numl)
//   ran       ran (exit 0), no reference results; every report written has no NaN
// In every case that ran, axisim's own reports.h5 must hold each CSV report's values in
// BioSimulators' shapes (check_own_h5).
//   refused   exit 3 on every SED-ML file that did not run: a feature axisim refuses or lacks
//   failed    any other exit code, a missing or wrong report, or NaN
// A case that is not `ran`/`matched` must be listed in the expectations file (case, outcome,
// reason) with that outcome, and a listed case must have the listed outcome (the list shrinks as
// features land). Exit 0 when every case is as expected.
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifdef AXISIM_HAVE_HDF5
#include <hdf5.h>
#endif

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

struct Case {
  std::string name;  // e.g. deterministic/biosimulators-test-suite__...
  std::vector<std::string> features, sedml_files;
  std::string kisao;
  // results
  std::string outcome, detail;
  std::size_t compared_values = 0, without_reference = 0;
  // axisim's own reports.h5: data sets checked against the CSV, those of rank above 1 (repeated
  // tasks), and reports whose shapes were compared with the reference's.
  std::size_t h5_sets = 0, h5_multi = 0, shapes_compared = 0;
  std::string shapes_note;
  int archives = 0;
  std::string archive_note;
};

struct Expectation {
  std::string outcome, reason;
};

struct Options {
  std::string cli, corpus, list, report_dir, filter;
  int jobs = 2;
  int timeout = 300;
};

// ---- CSV reports written by axisim run: one row per data set, label then values -------------

struct CsvRow {
  std::string label;
  std::vector<double> values;
};

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool read_csv(const fs::path& file, std::vector<CsvRow>& rows, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = "no report " + file.string();
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = csv_fields(line);
    CsvRow row{f[0], {}};
    for (std::size_t i = 1; i < f.size(); ++i) {
      const std::string& t = f[i];
      if (t == "nan") row.values.push_back(NAN);
      else if (t == "inf") row.values.push_back(INFINITY);
      else if (t == "-inf") row.values.push_back(-INFINITY);
      else {
        char* end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        if (t.empty() || *end) {
          error = file.string() + ": '" + t + "' is not a number";
          return false;
        }
        row.values.push_back(v);
      }
    }
    rows.push_back(std::move(row));
  }
  return true;
}

// ---- reference results (BioSimulators reports.h5) --------------------------------------------

#ifdef AXISIM_HAVE_HDF5
std::vector<std::string> string_attribute(hid_t obj, const char* name) {
  std::vector<std::string> out;
  if (H5Aexists(obj, name) <= 0) return out;
  const hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  const hid_t ftype = H5Aget_type(attr);
  const hid_t space = H5Aget_space(attr);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (H5Tget_class(ftype) == H5T_STRING && n > 0) {
    const hid_t mtype = H5Tcopy(H5T_C_S1);
    H5Tset_cset(mtype, H5Tget_cset(ftype));
    if (H5Tis_variable_str(ftype) > 0) {
      H5Tset_size(mtype, H5T_VARIABLE);
      std::vector<char*> buf(static_cast<std::size_t>(n), nullptr);
      if (H5Aread(attr, mtype, buf.data()) >= 0) {
        for (char* s : buf) out.emplace_back(s ? s : "");
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, buf.data());
      }
    } else {
      const std::size_t size = H5Tget_size(ftype);
      H5Tset_size(mtype, size);
      std::vector<char> buf(size * static_cast<std::size_t>(n));
      if (H5Aread(attr, mtype, buf.data()) >= 0)
        for (hssize_t i = 0; i < n; ++i) out.emplace_back(std::string(buf.data() + i * size, size).c_str());
    }
    H5Tclose(mtype);
  }
  H5Sclose(space);
  H5Tclose(ftype);
  H5Aclose(attr);
  return out;
}

struct H5Report {
  std::string id;
  std::vector<std::string> ids, labels, types, shapes;
  std::vector<hsize_t> dims;  // the dataset's: data sets, then the padded shape
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;
};

herr_t collect(hid_t group, const char* name, const H5L_info_t*, void* data) {
  auto* reports = static_cast<std::vector<H5Report>*>(data);
  H5O_info_t info;
  if (H5Oget_info_by_name(group, name, &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET) return 0;
  const hid_t ds = H5Dopen2(group, name, H5P_DEFAULT);
  const auto type = string_attribute(ds, "_type");
  if (!type.empty() && (type[0] == "Report" || type[0] == "SedReport")) {
    H5Report r;
    r.id = name;
    r.ids = string_attribute(ds, "sedmlDataSetIds");
    r.labels = string_attribute(ds, "sedmlDataSetLabels");
    r.types = string_attribute(ds, "sedmlDataSetDataTypes");
    r.shapes = string_attribute(ds, "sedmlDataSetShapes");
    const hid_t space = H5Dget_space(ds);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)), 1);
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    r.dims.assign(dims.begin(), dims.begin() + std::max(rank, 0));
    r.rows = rank >= 1 ? dims[0] : 1;
    r.cols = 1;
    for (int i = 1; i < rank; ++i) r.cols *= dims[static_cast<std::size_t>(i)];
    r.values.resize(r.rows * r.cols);
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r.values.data());
    H5Sclose(space);
    reports->push_back(std::move(r));
  }
  H5Dclose(ds);
  return 0;
}

// Reports of the SED-ML file at `location` in reports.h5; false when the group is absent.
bool h5_reports(const fs::path& file, const std::string& location, std::vector<H5Report>& out) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return false;
  bool ok = false;
  if (H5Lexists(f, location.c_str(), H5P_DEFAULT) > 0) {
    const hid_t g = H5Gopen2(f, location.c_str(), H5P_DEFAULT);
    if (g >= 0) {
      H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &out);
      H5Gclose(g);
      ok = true;
    }
  }
  H5Fclose(f);
  return ok;
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::string out;
  for (hsize_t d : dims) {
    if (!out.empty()) out += 'x';
    out += std::to_string(d);
  }
  return "(" + out + ")";
}

std::vector<std::size_t> parse_shape(const std::string& text) {
  std::vector<std::size_t> out;
  for (const std::string& f : split(text, ','))
    if (!f.empty()) out.push_back(static_cast<std::size_t>(std::stoull(f)));
  return out;
}
#endif

bool close_enough(double a, double b, double rtol, double atol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

// ---- one case ---------------------------------------------------------------------------------

// Parameter estimation tasks are fitted for at most 10 Levenberg-Marquardt iterations here, which
// keeps each corpus fit to a few seconds (uncapped, the Borghans case takes 100 iterations, about
// 30 s of CPU); a fit must still end at or below its initial objective.
const std::string kFitCap = " --max-fit-iterations 10";

int run_cli(const Options& opt, const std::string& args, const fs::path& log) {
  const std::string cmd = "timeout " + std::to_string(opt.timeout) + " " + quote(opt.cli) + " run " + args + kFitCap + " > " +
                          quote(log.string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The case's original archive (.omex or .sedx), when it has one, run as an archive: it must exit 0
// and write, for every SED-ML file the case lists, the same report files, byte for byte, as the
// unpacked run (plots are not drawn again). Returns false (outcome set) when it does not.
bool check_archive(Case& c, const Options& opt, const fs::path& dir, const fs::path& out, const std::string& map_arg) {
  fs::path archive;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".omex" || e.path().extension() == ".sedx") archive = e.path();
  if (archive.empty()) return true;
  const fs::path aout = out.parent_path() / (out.filename().string() + ".archive");
  std::error_code ec;
  fs::remove_all(aout, ec);
  fs::create_directories(aout);
  // Plots are drawn by the unpacked run only (their PDFs hold the time they were made).
  const int code = run_cli(opt, quote(archive.string()) + " -o " + quote(aout.string()) + map_arg + " --no-plots", aout / "run.log");
  if (code != 0) {
    c.outcome = "failed";
    c.detail = "the archive " + archive.filename().string() + " exits " + std::to_string(code) + " (see " +
               (aout / "run.log").string() + ")";
    return false;
  }
  std::size_t files = 0;
  for (const std::string& sedml : c.sedml_files) {
    if (!fs::is_directory(out / sedml)) continue;
    for (const auto& e : fs::directory_iterator(out / sedml)) {
      if (e.path().extension() != ".csv") continue;  // reports; not the plots
      const fs::path other = aout / sedml / e.path().filename();
      if (!fs::is_regular_file(other) || read_all(other) != read_all(e.path())) {
        c.outcome = "failed";
        c.detail = "the archive " + archive.filename().string() + " gives another " + (fs::path(sedml) / e.path().filename()).string();
        return false;
      }
      ++files;
    }
  }
  c.archive_note = "archive " + archive.filename().string() + ": same " + std::to_string(files) + " report file(s)";
  ++c.archives;
  return true;
}

// ---- reference results (NuML, expected/<report id>.numl.xml) ------------------------------------

// One value of a NuML result: (index, name) -> value, in the two-level layout SED-ML Web Tools
// writes (a compositeValue per time, a compositeValue per name in it, an atomicValue).
struct NumlPoint {
  double time;
  std::string name;
  double value;
};

bool read_numl(const fs::path& file, std::vector<NumlPoint>& out, std::string& error) {
  const std::string text = read_all(file);
  const std::string open = "<compositeValue indexValue=\"", atom = "<atomicValue>";
  std::string time_index;
  std::size_t pos = 0;
  while ((pos = text.find(open, pos)) != std::string::npos) {
    const std::size_t start = pos + open.size(), close = text.find('"', start);
    const std::string index = text.substr(start, close - start);
    const std::size_t next_composite = text.find(open, close), next_atom = text.find(atom, close);
    if (next_atom == std::string::npos) break;
    if (next_composite < next_atom) {  // a time: the names follow
      time_index = index;
    } else {
      const std::size_t v = next_atom + atom.size();
      try {
        out.push_back({std::stod(time_index), index, std::stod(text.substr(v, text.find('<', v) - v))});
      } catch (const std::exception&) {
        error = file.filename().string() + ": cannot read the value of '" + index + "' at '" + time_index + "'";
        return false;
      }
    }
    pos = close;
  }
  if (out.empty()) error = file.filename().string() + ": no values in the layout the runner reads";
  return !out.empty();
}

// Reports with a NuML reference: each reference value is compared with the report's value of the
// data set labelled by its name, at the first point whose time (the data set labelled "time") is
// the reference's (a oneStep report holds each step's end twice: as the end of the step, which
// the NuML holds, and as the start of the next, after that iteration's setValues). The rule is the README's for an integrator other than the
// reference's, rtol 1e-3 and atol 1e-6 max|b| per name: these references come from SED-ML Web
// Tools, whose integrator and tolerances are not recorded (for the one NuML case, 29 of the 202
// values of S1 and S2 differ from axisim's by 1e-4 to 5.3e-4 relative at the steep falls, and
// axisim's own values move by less than 1e-5 from its default tolerances to rtol 1e-12: the
// difference is the reference's). Sets the outcome.
void compare_numl(Case& c, const fs::path& dir, const fs::path& out) {
  c.outcome = "ran";
  if (!fs::is_directory(dir / "expected")) return;
  const double rtol = 1e-3;
  std::size_t reports = 0;
  for (const auto& entry : fs::directory_iterator(dir / "expected")) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".numl.xml";
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    const std::string report = file.substr(0, file.size() - suffix.size());
    std::vector<NumlPoint> points;
    std::string error;
    if (!read_numl(entry.path(), points, error)) {
      c.outcome = "failed";
      c.detail = error;
      return;
    }
    std::vector<CsvRow> rows;
    bool found = false;
    for (const std::string& sedml : c.sedml_files)
      if (fs::is_regular_file(out / sedml / (report + ".csv"))) {
        found = read_csv(out / sedml / (report + ".csv"), rows, error);
        break;
      }
    if (!found) {
      c.outcome = "failed";
      c.detail = "report '" + report + "' (NuML reference): " + (error.empty() ? "not written" : error);
      return;
    }
    auto row = [&](const std::string& label) -> const CsvRow* {
      for (const CsvRow& r : rows)
        if (r.label == label) return &r;
      return nullptr;
    };
    const CsvRow* time = row("time");
    if (!time) {
      c.outcome = "failed";
      c.detail = "report '" + report + "': no data set labelled 'time' to place the NuML reference's values";
      return;
    }
    std::map<std::string, double> scale;
    for (const NumlPoint& p : points) scale[p.name] = std::max(scale[p.name], std::fabs(p.value));
    for (const NumlPoint& p : points) {
      const CsvRow* r = row(p.name);
      std::size_t j = time->values.size();
      for (std::size_t k = 0; k < time->values.size(); ++k)
        if (std::fabs(time->values[k] - p.time) <= 1e-9 * std::max(1.0, std::fabs(p.time))) {
          j = k;
          break;
        }
      if (!r || j >= time->values.size() || j >= r->values.size()) {
        c.outcome = "failed";
        c.detail = "report '" + report + "': no value of '" + p.name + "' at time " + std::to_string(p.time) +
                   " (NuML reference)";
        return;
      }
      ++c.compared_values;
      if (!close_enough(r->values[j], p.value, rtol, 1e-6 * scale[p.name])) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "report '%s': data set '%s' at time %g: %.17g, reference %.17g (rtol %g, NuML)",
                      report.c_str(), p.name.c_str(), p.time, r->values[j], p.value, rtol);
        c.outcome = "failed";
        c.detail = buf;
        return;
      }
    }
    ++reports;
  }
  if (reports == 0) return;
  c.outcome = "matched";
  c.detail = std::to_string(reports) + " report(s), " + std::to_string(c.compared_values) +
             " values within rtol 1e-3 of the NuML reference (SED-ML Web Tools; integrator not recorded)";
}

#ifdef AXISIM_HAVE_HDF5
// axisim's own reports.h5 against its CSV reports: every CSV report is in it with the same data
// sets, each data set's values inside its own shape (sedmlDataSetShapes, BioSimulators' shape:
// a repeated task adds two dimensions per nesting level, ragged results padded with NaN) are
// the CSV row's values in the same order (NaN padding left out of both). (A shape's rank is 1 +
// 2 per repeated-task level for task results, 0 for a flux balance scalar, and a data source's
// own for external data, so the rank alone is not judged.) False (outcome set) when not.
bool check_own_h5(Case& c, const fs::path& out) {
  const fs::path h5 = out / "reports.h5";
  if (!fs::is_regular_file(h5)) {
    c.shapes_note = "no reports.h5 written";
    return true;
  }
  for (const std::string& sedml : c.sedml_files) {
    if (!fs::is_directory(out / sedml)) continue;
    std::vector<H5Report> own;
    h5_reports(h5, sedml, own);
    for (const auto& e : fs::directory_iterator(out / sedml)) {
      if (e.path().extension() != ".csv") continue;
      const std::string id = e.path().stem().string(), where = sedml + "/" + id;
      const auto it = std::find_if(own.begin(), own.end(), [&](const H5Report& r) { return r.id == id; });
      std::vector<CsvRow> rows;
      std::string error;
      if (it == own.end() || !read_csv(e.path(), rows, error) || rows.size() != it->rows || it->shapes.size() != it->rows) {
        c.outcome = "failed";
        c.detail = where + ": reports.h5 does not hold the CSV's data sets" + (error.empty() ? "" : " (" + error + ")");
        return false;
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::vector<std::size_t> shape = parse_shape(it->shapes[i]);
        if (shape.size() + 1 > it->dims.size()) {
          c.outcome = "failed";
          c.detail = where + ": data set " + std::to_string(i) + " has shape '" + it->shapes[i] +
                     "', more dimensions than the dataset's " + dims_text(it->dims);
          return false;
        }
        ++c.h5_sets;
        if (shape.size() > 1) ++c.h5_multi;
        // The values inside the data set's own shape, row-major, from its padded row.
        std::vector<double> inside;
        std::vector<std::size_t> index(shape.size(), 0);
        std::size_t total = 1;
        for (std::size_t d : shape) total *= d;
        for (std::size_t k = 0; k < total; ++k) {
          std::size_t offset = 0;
          for (std::size_t d = 0; d + 1 < it->dims.size(); ++d)
            offset = offset * it->dims[d + 1] + (d < index.size() ? index[d] : 0);
          const double v = it->values[i * it->cols + offset];
          if (!std::isnan(v)) inside.push_back(v);
          for (std::size_t d = index.size(); d-- > 0;) {
            if (++index[d] < shape[d]) break;
            index[d] = 0;
          }
        }
        std::vector<double> flat;
        for (double v : rows[i].values)
          if (!std::isnan(v)) flat.push_back(v);
        if (inside != flat) {
          c.outcome = "failed";
          c.detail = where + ": data set '" + rows[i].label + "' in reports.h5 (shape " + it->shapes[i] +
                     ") does not hold the CSV's values";
          return false;
        }
      }
    }
  }
  return true;
}
#endif

void run_case(Case& c, const Options& opt) {
  const fs::path dir = fs::path(opt.corpus) / c.name;
  const fs::path out = fs::path(opt.report_dir) / "out" / c.name;
  std::error_code ec;
  fs::remove_all(out, ec);
  fs::create_directories(out);

  // Models named by URN or URL: the case's local copies (resolved-models/MAP.tsv), paths made absolute.
  std::string map_arg;
  if (fs::is_regular_file(dir / "resolved-models" / "MAP.tsv")) {
    std::ifstream in(dir / "resolved-models" / "MAP.tsv");
    std::ofstream map(out / "model-map.tsv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      const auto f = split(line, '\t');
      if (f.size() >= 2) map << f[0] << '\t' << (dir / f[1]).string() << '\n';
    }
    map_arg = " --model-map " + quote((out / "model-map.tsv").string());
  }

  bool all_ok = true, only_refused = true;
  std::vector<std::string> details;
  for (const std::string& sedml : c.sedml_files) {
    const fs::path log = out / (fs::path(sedml).filename().string() + ".log");
    const std::string cmd = "timeout " + std::to_string(opt.timeout) + " " + quote(opt.cli) + " run " +
                            quote((dir / sedml).string()) + " -o " + quote(out.string()) + " --location " +
                            quote(sedml) + map_arg + kFitCap + " > " + quote(log.string()) + " 2>&1";
    const int status = std::system(cmd.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (code == 0) continue;
    all_ok = false;
    if (code != 3) only_refused = false;
    // The first error line names the element and why.
    std::ifstream in(log);
    std::string line, first;
    while (std::getline(in, line))
      if (line.rfind("error: ", 0) == 0) {
        first = line.substr(7);
        break;
      }
    details.push_back(sedml + ": exit " + std::to_string(code) + (first.empty() ? "" : ": " + first));
  }
  if (!all_ok) {
    c.outcome = only_refused ? "refused" : "failed";
    for (const auto& d : details) c.detail += (c.detail.empty() ? "" : " | ") + d;
    return;
  }

  // No output with NaN (axisim run warns about every data generator an output reads that has NaN).
  for (const std::string& sedml : c.sedml_files) {
    std::ifstream in(out / (fs::path(sedml).filename().string() + ".log"));
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("warning: ", 0) == 0 && line.find("NaN value(s)") != std::string::npos) {
        c.outcome = "failed";
        c.detail = sedml + ": " + line.substr(9);
        return;
      }
  }
  // Every report written: no NaN.
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (entry.path().extension() != ".csv") continue;
    std::vector<CsvRow> rows;
    std::string error;
    if (!read_csv(entry.path(), rows, error)) {
      c.outcome = "failed";
      c.detail = error;
      return;
    }
    for (const CsvRow& r : rows)
      for (double v : r.values)
        if (std::isnan(v)) {
          c.outcome = "failed";
          c.detail = fs::relative(entry.path(), out).string() + ": data set '" + r.label + "' has NaN";
          return;
        }
  }

  // Every parameter estimation (<task id>.fit.csv, its "objective" row: initial, fitted) ends at
  // or below the objective at its initial values.
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 8 || name.compare(name.size() - 8, 8, ".fit.csv") != 0) continue;
    std::vector<CsvRow> rows;
    std::string error;
    if (!read_csv(entry.path(), rows, error)) continue;  // reported above
    for (const CsvRow& r : rows) {
      if (r.label != "objective" || r.values.size() != 2) continue;
      char text[96];
      std::snprintf(text, sizeof text, "objective %.6g -> %.6g", r.values[0], r.values[1]);
      if (!(r.values[1] <= r.values[0])) {
        c.outcome = "failed";
        c.detail = fs::relative(entry.path(), out).string() + ": the fit raised the " + text;
        return;
      }
      c.detail += std::string(c.detail.empty() ? "" : "; ") + "fit " + text;
    }
  }

  if (!check_archive(c, opt, dir, out, map_arg)) return;
#ifdef AXISIM_HAVE_HDF5
  if (!check_own_h5(c, out)) return;
  if (c.h5_multi > 0) c.shapes_note = std::to_string(c.h5_multi) + " multi-dimensional data set(s) in reports.h5";
#endif

  const fs::path h5 = dir / "expected" / "reports.h5";
  if (!fs::is_regular_file(h5)) {
    compare_numl(c, dir, out);
    return;
  }
#ifndef AXISIM_HAVE_HDF5
  c.outcome = "ran";
  c.detail = "reference reports.h5 not compared: built without HDF5";
  return;
#else
  const bool cvode = c.kisao == "KISAO:0000019";
  const double rtol = cvode ? 1e-4 : 1e-3;
  const bool fba = c.kisao.find("KISAO:0000437") != std::string::npos;
  std::size_t reports = 0;
  for (const std::string& sedml : c.sedml_files) {
    std::vector<H5Report> expected;
    if (!h5_reports(h5, sedml, expected)) {
      c.outcome = "failed";
      c.detail = "reports.h5 has no group '" + sedml + "'";
      return;
    }
    std::vector<H5Report> own;
    h5_reports(out / "reports.h5", sedml, own);
    for (const H5Report& e : expected) {
      ++reports;
      // The shape first: the dataset's, and each data set's (by id) as BioSimulators wrote it.
      const auto mine = std::find_if(own.begin(), own.end(), [&](const H5Report& r) { return r.id == e.id; });
      if (mine == own.end()) {
        c.outcome = "failed";
        c.detail = sedml + "/" + e.id + ": not in axisim's reports.h5";
        return;
      }
      if (mine->dims != e.dims) {
        c.outcome = "failed";
        c.detail = sedml + "/" + e.id + ": reports.h5 shape " + dims_text(mine->dims) + ", reference " + dims_text(e.dims);
        return;
      }
      for (std::size_t i = 0; i < e.ids.size() && i < e.shapes.size(); ++i) {
        if (i < e.types.size() && e.types[i] == "__None__") continue;
        const auto k = std::find(mine->ids.begin(), mine->ids.end(), e.ids[i]);
        const std::size_t j = static_cast<std::size_t>(k - mine->ids.begin());
        if (k == mine->ids.end() || j >= mine->shapes.size() || mine->shapes[j] != e.shapes[i]) {
          c.outcome = "failed";
          c.detail = sedml + "/" + e.id + ": data set '" + e.ids[i] + "' has shape '" +
                     (k == mine->ids.end() || j >= mine->shapes.size() ? std::string("(absent)") : mine->shapes[j]) +
                     "', reference '" + e.shapes[i] + "'";
          return;
        }
      }
      ++c.shapes_compared;
      std::vector<CsvRow> rows;
      std::string error;
      if (!read_csv(out / sedml / (e.id + ".csv"), rows, error)) {
        c.outcome = "failed";
        c.detail = error;
        return;
      }
      const std::string where = sedml + "/" + e.id;
      if (rows.size() != e.rows) {
        c.outcome = "failed";
        c.detail = where + ": " + std::to_string(rows.size()) + " data sets, reference " + std::to_string(e.rows);
        return;
      }
      // The CSV names data sets by label (BioSimulators' layout); reports.h5 lists ids and labels
      // in its own order. Data set i of the reference is the k-th row with its label, k the number
      // of earlier reference data sets with the same label.
      std::map<std::string, int> seen;
      for (std::size_t i = 0; i < e.rows; ++i) {
        const std::string id = i < e.ids.size() ? e.ids[i] : std::to_string(i);
        const std::string label = i < e.labels.size() ? e.labels[i] : "";
        const CsvRow* row = nullptr;
        int k = seen[label]++;
        for (const CsvRow& r : rows)
          if ((r.label == label || (label.empty() && r.label == id)) && k-- == 0) {
            row = &r;
            break;
          }
        if (!row) {
          c.outcome = "failed";
          c.detail = where + ": no data set labelled '" + label + "' (" + id + ")";
          return;
        }
        if (i < e.types.size() && e.types[i] == "__None__") {
          ++c.without_reference;  // the reference run produced no values for it
          continue;
        }
        if (row->values.size() != e.cols) {
          c.outcome = "failed";
          c.detail = where + ": data set '" + id + "' has " + std::to_string(row->values.size()) +
                     " values, reference " + std::to_string(e.cols);
          return;
        }
        double scale = 0;
        for (std::size_t j = 0; j < e.cols; ++j)
          if (std::isfinite(e.values[i * e.cols + j])) scale = std::max(scale, std::fabs(e.values[i * e.cols + j]));
        // Flux balance analysis: the data sets are the components of one flux vector, one value
        // each, so the scale of the absolute floor is that of the whole report (a flux that is 0
        // up to the LP's rounding, 1e-13 against 0, is 0 next to fluxes of order 1).
        if (fba)
          for (double v : e.values)
            if (std::isfinite(v)) scale = std::max(scale, std::fabs(v));
        // The README gives rtol 1e-4 for the same algorithm family and no atol; with atol 0, values
        // that are zero up to rounding (1e-37 against 0) could never match, so both rules take
        // atol 1e-6 max|b| per data set, the README's absolute floor for differing integrators.
        const double atol = 1e-6 * scale;
        for (std::size_t j = 0; j < e.cols; ++j) {
          const double a = row->values[j], b = e.values[i * e.cols + j];
          ++c.compared_values;
          if (!close_enough(a, b, rtol, atol)) {
            char buf[256];
            std::snprintf(buf, sizeof buf, ": data set '%s' point %zu: %.17g, reference %.17g (rtol %g, atol %g)",
                          id.c_str(), j, a, b, rtol, atol);
            c.outcome = "failed";
            c.detail = where + buf;
            return;
          }
        }
      }
    }
  }
  if (c.compared_values == 0) {
    // Nothing to compare: the reference holds no values (BioSimulators marks them "__None__").
    c.outcome = "ran";
    c.detail = std::to_string(reports) + " reference report(s) with every data set present, but no reference values (" +
               std::to_string(c.without_reference) + " data sets marked __None__)";
    return;
  }
  c.outcome = "matched";
  c.detail = std::to_string(reports) + " report(s) of the reference's shapes, " + std::to_string(c.compared_values) +
             " values within rtol " + (cvode ? "1e-4" : "1e-3 (another algorithm than CVODE in the reference)");
#endif
}

int usage() {
  std::cerr << "usage: axisim_sedml_corpus --cli AXISIM --corpus DIR --expectations FILE --report-dir DIR "
               "[-j N] [--timeout S] [--cases SUBSTRING]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--cli") opt.cli = next();
    else if (a == "--corpus") opt.corpus = next();
    else if (a == "--expectations") opt.list = next();
    else if (a == "--report-dir") opt.report_dir = next();
    else if (a == "-j") opt.jobs = std::max(1, std::atoi(next().c_str()));
    else if (a == "--timeout") opt.timeout = std::atoi(next().c_str());
    else if (a == "--cases") opt.filter = next();
    else return usage();
  }
  if (opt.cli.empty() || opt.corpus.empty() || opt.list.empty() || opt.report_dir.empty()) return usage();

  // The corpus index.
  std::ifstream index(fs::path(opt.corpus) / "INDEX.tsv");
  if (!index) {
    std::cerr << opt.corpus << "/INDEX.tsv: cannot read\n";
    return 1;
  }
  std::vector<Case> cases;
  std::string line;
  std::getline(index, line);
  while (std::getline(index, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 9 || f[0].empty()) continue;
    if (!opt.filter.empty() && f[0].find(opt.filter) == std::string::npos) continue;
    Case c;
    c.name = f[0];
    c.features = split(f[5], ',');
    c.kisao = f[7];
    for (const auto& s : split(f[8], ';'))
      if (!s.empty()) c.sedml_files.push_back(s);
    cases.push_back(std::move(c));
  }

  // What is expected not to run, and why.
  std::map<std::string, Expectation> expected;
  {
    std::ifstream in(opt.list);
    if (!in) {
      std::cerr << opt.list << ": cannot read\n";
      return 1;
    }
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty() || line[0] == '#' || line.rfind("case\t", 0) == 0) continue;
      const auto f = split(line, '\t');
      if (f.size() < 3 || (f[1] != "refused" && f[1] != "failed")) {
        std::cerr << opt.list << ":" << n << ": expected CASE<TAB>refused|failed<TAB>REASON\n";
        return 1;
      }
      expected[f[0]] = {f[1], f[2]};
    }
  }

  fs::create_directories(opt.report_dir);
  std::atomic<std::size_t> next{0};
  std::mutex print;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < cases.size();) {
      if (cases[i].sedml_files.empty()) {
        cases[i].outcome = "failed";
        cases[i].detail = "INDEX.tsv names no SED-ML file";
      } else {
        run_case(cases[i], opt);
        if (!cases[i].archive_note.empty() && (cases[i].outcome == "ran" || cases[i].outcome == "matched"))
          cases[i].detail += (cases[i].detail.empty() ? "" : "; ") + cases[i].archive_note;
        if (!cases[i].shapes_note.empty() && (cases[i].outcome == "ran" || cases[i].outcome == "matched"))
          cases[i].detail += (cases[i].detail.empty() ? "" : "; ") + cases[i].shapes_note;
      }
      std::lock_guard<std::mutex> lock(print);
      std::cout << cases[i].outcome << "\t" << cases[i].name << (cases[i].detail.empty() ? "" : "\t" + cases[i].detail)
                << std::endl;
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < opt.jobs; ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  // Judge against the expectations.
  std::vector<std::string> unexpected;
  std::map<std::string, int> outcomes;
  std::map<std::string, std::map<std::string, int>> by_feature;
  std::map<std::string, int> refusal_reasons;
  for (const Case& c : cases) {
    ++outcomes[c.outcome];
    for (const auto& f : c.features)
      if (!f.empty()) ++by_feature[f][c.outcome];
    const auto e = expected.find(c.name);
    const bool good = c.outcome == "ran" || c.outcome == "matched";
    if (e == expected.end()) {
      if (!good) unexpected.push_back(c.name + ": " + c.outcome + " (not in the expectations list): " + c.detail);
    } else {
      if (e->second.outcome != c.outcome)
        unexpected.push_back(c.name + ": " + c.outcome + ", listed as " + e->second.outcome + " (" + e->second.reason +
                             ")" + (good ? ": it runs now, take it off the list" : ": " + c.detail));
      else ++refusal_reasons[e->second.outcome + ": " + e->second.reason];
    }
  }

  const fs::path report = fs::path(opt.report_dir) / "sedml-corpus-report.md";
  std::ofstream r(report);
  r << "# SED-ML corpus: " << cases.size() << " cases\n\n";
  for (const auto& [o, n] : outcomes) r << "- " << o << ": " << n << "\n";
  r << "\n## Expected not to run, by reason\n\n| cases | reason |\n| --- | --- |\n";
  for (const auto& [reason, n] : refusal_reasons) r << "| " << n << " | " << reason << " |\n";
  r << "\n## By feature (INDEX.tsv feature words)\n\n| feature | matched | ran | refused | failed |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& entry : by_feature) {
    const std::string& f = entry.first;
    const std::map<std::string, int>& m = entry.second;  // (clang 14 lambdas cannot capture bindings)
    auto get = [&](const char* k) { auto it = m.find(k); return it == m.end() ? 0 : it->second; };
    r << "| " << f << " | " << get("matched") << " | " << get("ran") << " | " << get("refused") << " | " << get("failed") << " |\n";
  }
  r << "\n## Cases\n\n| case | outcome | detail |\n| --- | --- | --- |\n";
  for (const Case& c : cases) r << "| " << c.name << " | " << c.outcome << " | " << c.detail << " |\n";
  r.close();

  int archives = 0;
  std::size_t h5_sets = 0, h5_multi = 0, h5_cases = 0, shapes = 0;
  for (const Case& c : cases) {
    archives += c.archives;
    h5_sets += c.h5_sets;
    h5_multi += c.h5_multi;
    shapes += c.shapes_compared;
    if (c.h5_multi > 0) ++h5_cases;
  }
  r.open(report, std::ios::app);
  r << "\nArchives (.omex, .sedx) run as archives with the same reports as the unpacked files: " << archives << "\n";
  r << "\naxisim's reports.h5: " << h5_sets << " data sets hold their CSV values in BioSimulators' shapes; " << h5_multi
    << " of them, in " << h5_cases << " case(s), have more than one dimension (repeated tasks). Reports whose shapes "
    << "equal the reference reports.h5's: " << shapes << "\n";
  r.close();
  std::cout << "\n" << cases.size() << " cases:";
  for (const auto& [o, n] : outcomes) std::cout << " " << o << " " << n;
  std::cout << "\narchives run with the same reports as the unpacked files: " << archives;
  std::cout << "\nreport: " << report.string() << "\n";
  if (!unexpected.empty()) {
    std::cout << "\nNot as expected (" << unexpected.size() << "):\n";
    for (const auto& u : unexpected) std::cout << "  " << u << "\n";
    return 1;
  }
  std::cout << "every case as expected\n";
  return 0;
}
