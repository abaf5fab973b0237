// COMBINE/OMEX archives with libzip (the only user of libzip). The manifest is read by
// document.cpp (libxml2).
#include <zip.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "axisim/sedml.hpp"
#include "archive/archive.hpp"
#include "document/document.hpp"
#include "output/run_log.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {
namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "axisim-omex-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw Error(ErrorKind::Io, "cannot create a temporary folder for the archive");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

void unpack_archive(const std::string& archive, const std::string& dir_name) {
  const fs::path dir(dir_name);
  int err = 0;
  zip_t* z = zip_open(archive.c_str(), ZIP_RDONLY, &err);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    const std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw Error(ErrorKind::Io, archive + ": cannot read the archive: " + why);
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> guard(z, zip_discard);
  const zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z, static_cast<zip_uint64_t>(i), 0);
    if (!name) continue;
    const std::string entry = name;
    if (entry.empty() || entry.back() == '/') continue;
    const fs::path rel = fs::path(entry).lexically_normal();
    if (rel.is_absolute() || rel.empty() || *rel.begin() == "..")
      throw Error(ErrorKind::Io, archive + ": entry '" + entry + "' points outside the archive");
    const fs::path target = dir / rel;
    fs::create_directories(target.parent_path());
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    if (!f) throw Error(ErrorKind::Io, archive + ": cannot read entry '" + entry + "': " + zip_strerror(z));
    std::ofstream out(target, std::ios::binary);
    char buf[1 << 16];
    zip_int64_t got;
    while ((got = zip_fread(f, buf, sizeof buf)) > 0) out.write(buf, static_cast<std::streamsize>(got));
    zip_fclose(f);
    if (got < 0 || !out) throw Error(ErrorKind::Io, archive + ": cannot unpack entry '" + entry + "'");
  }
}

void write_archive(const std::string& path, const std::vector<ArchiveEntry>& entries) {
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  int err = 0;
  zip_t* z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    const std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw Error(ErrorKind::Io, path + ": cannot write the archive: " + why);
  }
  auto fail = [&](const std::string& why) {
    zip_discard(z);
    fs::remove(tmp, ec);
    throw Error(ErrorKind::Io, path + ": cannot write the archive: " + why);
  };
  for (const ArchiveEntry& e : entries) {
    // The buffers stay alive until zip_close (they are the caller's).
    zip_source_t* src = zip_source_buffer(z, e.bytes.data(), e.bytes.size(), 0);
    if (!src) fail(e.name + ": " + zip_strerror(z));
    if (zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      fail(e.name + ": " + zip_strerror(z));
    }
  }
  if (zip_close(z) != 0) {
    const std::string why = zip_strerror(z);
    zip_discard(z);
    fs::remove(tmp, ec);
    throw Error(ErrorKind::Io, path + ": cannot write the archive: " + why);
  }
  fs::rename(tmp, path, ec);
  if (ec) throw Error(ErrorKind::Io, path + ": cannot write the archive: " + ec.message());
}

bool archives_supported() { return true; }

// BioSimulators bundles the PDFs of an archive's plots into OUTDIR/plots.zip, each named by its
// path below OUTDIR (<SED-ML path in the archive>/<plot id>.pdf), and keeps them beside it too.
static void bundle_plots(const RunOptions& options, RunReport& report) {
  std::vector<ArchiveEntry> entries;
  for (const OutputSummary& o : report.outputs) {
    if (o.type == "report" || o.file.empty()) continue;
    std::ifstream in(o.file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    entries.push_back({fs::relative(o.file, options.output_dir).generic_string(), bytes.str()});
  }
  if (entries.empty()) return;
  const std::string zip = (fs::path(options.output_dir) / "plots.zip").string();
  try {
    write_archive(zip, entries);
  } catch (const Error& e) {
    spdlog::error("plots.zip: {}", e.what());
    report.problems.push_back({e.kind(), "plots.zip", e.what()});
  }
}

RunReport run_archive(const std::string& path, const RunOptions& options) {
  // log.yml: the archive RUNNING, then each document in turn (run_log.hpp); an archive that
  // cannot be read leaves a FAILED log naming why.
  RunLog log(run_log_file(options));
  log.archive().status = LogStatus::Running;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  RunReport all;
  std::optional<TempDir> tmp;
  std::vector<std::string> documents;
  try {
    if (!fs::is_regular_file(path)) throw Error(ErrorKind::Io, path + ": no such file");
    tmp.emplace();
    unpack_archive(path, tmp->path.string());
    documents = sedml_documents_in(tmp->path.string());
    if (documents.empty()) throw Error(ErrorKind::InvalidSbml, path + ": the archive holds no SED-ML document");
  } catch (const Error& e) {
    all.problems.push_back({e.kind(), path, e.what()});
    finish_run_log(log, all, seconds());
    throw;
  }
  for (const std::string& location : documents) {
    DocumentLog d;
    d.location = location;
    log.archive().documents.push_back(std::move(d));
  }
  log.write();
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const std::string& location = documents[i];
    spdlog::info("{}: running {}", path, location);
    RunOptions o = options;
    o.location = location;
    RunReport r;
    try {
      r = run_document((tmp->path / location).string(), o, &log, i);
    } catch (const Error& e) {
      r.problems.push_back({e.kind(), location, e.what()});
      spdlog::error("{}: {}", location, e.what());
    }
    for (auto& p : r.problems) {
      p.element = location + ": " + p.element;
      all.problems.push_back(std::move(p));
    }
    for (auto& x : r.outputs) all.outputs.push_back(std::move(x));
    for (auto& x : r.notes) all.notes.push_back(location + ": " + x);
    if (r.interrupted) {
      // Stopped by a signal (RunOptions::stop): the documents not reached stay QUEUED in the log.
      all.interrupted = r.interrupted;
      finish_run_log(log, all, seconds());
      return all;
    }
  }
  bundle_plots(options, all);
  finish_run_log(log, all, seconds());
  return all;
}

}  // namespace axisim::sedml
