// archive.hpp — COMBINE/OMEX archives inside the library: unpacking (for `axisim run`) and
// writing (for `axisim export --omex`). libzip stays in archive.cpp; archive_stub.cpp refuses
// both in a build without it.
#pragma once
#include <string>
#include <vector>

namespace axisim::sedml {

// Unpacks every file of the archive below `dir`; refuses names that would land outside it.
// Throws Error(Io) naming the archive and entry.
void unpack_archive(const std::string& archive, const std::string& dir);

struct ArchiveEntry {
  std::string name;   // path inside the archive ("experiment.sedml", "models/m.xml")
  std::string bytes;  // the file's content
};

// Writes the entries as a zip archive at `path` (under a temporary name, then renamed: whole or
// not at all). The caller includes manifest.xml (manifest_for writes one). Throws Error(Io).
void write_archive(const std::string& path, const std::vector<ArchiveEntry>& entries);

// A COMBINE manifest listing the archive itself and every entry, with its format from its name
// (.sedml and entries in `sedml`: SED-ML; other .xml: SBML; .csv, .numl, ...), the first
// SED-ML document the master.
std::string manifest_for(const std::vector<ArchiveEntry>& entries, const std::vector<std::string>& sedml);

}  // namespace axisim::sedml
