// Data sources: a dataDescription's file read once (data_table.cpp, numl.cpp) and sliced.
#include "data/data_source.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>

#include <spdlog/spdlog.h>

#include "data/numl.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "'a', 'b', 'c'" (at most `most`, then ", ...").
std::string listing(const std::vector<std::string>& v, std::size_t most = 8) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < most; ++i) out += (i ? ", '" : "'") + v[i] + "'";
  if (v.size() > most) out += ", ... (" + std::to_string(v.size()) + " in all)";
  return out;
}

std::string dimension_name(const DataTable::Dimension& d) { return !d.id.empty() ? d.id : d.name; }

}  // namespace

std::string data_format(const std::string& format, const fs::path& file, std::string& warning) {
  warning.clear();
  const std::string f = lower(format);
  if (f == "urn:sedml:format:csv") return "csv";
  if (f == "urn:sedml:format:tsv") return "tsv";
  // NuML may carry a version (urn:sedml:format:numl-L1V1).
  if (f.rfind("urn:sedml:format:numl", 0) == 0) return "numl";
  if (!f.empty())
    throw Error(ErrorKind::Unsupported, "format '" + format +
                                            "': axisim reads urn:sedml:format:numl, urn:sedml:format:csv and urn:sedml:format:tsv");
  // No format: SED-ML's default is NuML. A file that is not XML cannot be NuML; read it by its
  // extension (or, without a telling one, by the separator of its first line), as tellurium does.
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::Io, file.string() + ": cannot read the file");
  std::string head, line;
  while (head.size() < 1024 && std::getline(in, line)) head += line + "\n";
  const auto b = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (b != std::string::npos && head[b] == '<') return "numl";
  const std::string ext = lower(file.extension().string());
  std::string guess;
  if (ext == ".csv") {
    guess = "csv";
  } else if (ext == ".tsv" || ext == ".tab") {
    guess = "tsv";
  } else {
    // The first line that is not a comment: more tabs than commas makes it TSV.
    std::string first;
    std::size_t from = 0;
    while (from < head.size()) {
      const auto end = head.find('\n', from);
      std::string l = head.substr(from, end - from);
      from = end == std::string::npos ? head.size() : end + 1;
      const auto nb = l.find_first_not_of(" \t\r");
      if (nb != std::string::npos && l[nb] != '#') {
        first = l;
        break;
      }
    }
    guess = std::count(first.begin(), first.end(), '\t') > std::count(first.begin(), first.end(), ',') ? "tsv" : "csv";
  }
  warning = "no format is given (SED-ML's default is NuML), but '" + file.filename().string() +
            "' is not XML: read as " + (guess == "csv" ? std::string("CSV") : std::string("TSV")) +
            (ext == ".csv" || ext == ".tsv" || ext == ".tab" ? " by its extension" : " by its first line's separator") +
            ", as tellurium reads it; give format=\"urn:sedml:format:" + guess + "\" to say so";
  return guess;
}

DataSources::DataSources(const Document& doc, fs::path dir) : doc_(doc), dir_(std::move(dir)) {
  std::map<std::string, int> ids;
  for (const DataDescription& d : doc_.data_descriptions)
    if (++ids[d.id] == 2)
      warn("dataDescription id '" + d.id + "' is given to more than one dataDescription; their data sources are told apart by their own ids");
}

void DataSources::warn(const std::string& text) {
  spdlog::warn("{}", text);
  warnings_.push_back(text);
}

bool DataSources::has(const std::string& id) const {
  for (const DataDescription& d : doc_.data_descriptions)
    for (const DataDescription::Source& s : d.sources)
      if (s.id == id) return true;
  return false;
}

const DataTable& DataSources::table(std::size_t i) {
  Read& r = tables_[i];
  if (r.table) return *r.table;
  if (r.error) throw *r.error;
  const DataDescription& d = doc_.data_descriptions[i];
  const fs::path file = fs::path(d.source).is_relative() ? dir_ / d.source : fs::path(d.source);
  try {
    if (d.source.empty()) throw Error(ErrorKind::InvalidSbml, "it names no source file");
    if (d.source.find("://") != std::string::npos)
      throw Error(ErrorKind::Unsupported, "source '" + d.source + "': data named by URL are not fetched (give a local file)");
    if (!fs::is_regular_file(file)) throw Error(ErrorKind::Io, "source '" + d.source + "': no such file " + file.string());
    std::string warning;
    const std::string format = data_format(d.format, file, warning);
    if (!warning.empty()) warn("dataDescription '" + d.id + "': " + warning);
    if (format == "numl") {
      r.table = read_numl_table(file.string(), warning);
      if (!warning.empty()) warn("dataDescription '" + d.id + "': " + warning);
    } else {
      r.table = read_delimited_table(file.string(), format == "csv" ? ',' : '\t', d.dimensions);
    }
  } catch (const Error& e) {
    r.error = Error(e.kind(), "dataDescription '" + d.id + "': " + e.what());
    throw *r.error;
  }
  return *r.table;
}

const DataValues& DataSources::get(const std::string& id, const Iterations& iterations) {
  // A data source with a slice at a repeated task's iteration is kept once per iteration: its
  // key names the iterations its slices read (the plain id when it has none).
  std::string key = id;
  for (const DataDescription& d : doc_.data_descriptions)
    for (const DataDescription::Source& src : d.sources)
      if (src.id == id)
        for (const DataDescription::Slice& s : src.slices)
          if (!s.index.empty()) {
            const auto it = iterations.find(s.index);
            key += "\n" + s.index + "=" + (it == iterations.end() ? std::string("-") : std::to_string(it->second));
          }
  if (auto v = values_.find(key); v != values_.end()) return v->second;
  if (auto f = failed_.find(key); f != failed_.end()) throw f->second;
  for (std::size_t i = 0; i < doc_.data_descriptions.size(); ++i) {
    const DataDescription& d = doc_.data_descriptions[i];
    for (const DataDescription::Source& src : d.sources) {
      if (src.id != id) continue;
      const std::string where = "dataSource '" + id + "'";
      auto fail = [&](ErrorKind kind, const std::string& message) {
        const Error e(kind, where + " (dataDescription '" + d.id + "', '" + d.source + "'): " + message);
        failed_.emplace(key, e);
        throw e;
      };
      const DataTable* t = nullptr;
      try {
        t = &table(i);
      } catch (const Error& e) {
        const Error wrapped(e.kind(), where + ": " + e.what());
        failed_.emplace(key, wrapped);
        throw wrapped;
      }
      const std::size_t n = t->dimensions.size();
      std::vector<std::string> names;
      for (const auto& dim : t->dimensions) names.push_back(dimension_name(dim));
      // A dimension by its id, else by its name.
      auto find_dimension = [&](const std::string& ref) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k < n; ++k)
          if (!t->dimensions[k].id.empty() && t->dimensions[k].id == ref) return k;
        for (std::size_t k = 0; k < n; ++k)
          if (t->dimensions[k].name == ref) return k;
        return std::nullopt;
      };
      DataValues out;
      if (!src.index_set.empty()) {
        if (!src.slices.empty())
          fail(ErrorKind::Unsupported, "has both an indexSet and slices; an index set is a dimension's index values, which no slice narrows");
        const auto k = find_dimension(src.index_set);
        if (!k) fail(ErrorKind::UnknownId, "indexSet '" + src.index_set + "' names no dimension of the data (they are " + listing(names) + ")");
        const auto& dim = t->dimensions[*k];
        for (const std::string& v : dim.index) {
          char* end = nullptr;
          const double x = std::strtod(v.c_str(), &end);
          if (v.empty() || *end != '\0')
            fail(ErrorKind::InvalidSbml, "indexSet '" + src.index_set + "': index value '" + v + "' is not a number");
          out.values.push_back(x);
        }
        out.shape = {dim.index.size()};
        out.dimensions = {names[*k]};
        out.index = {dim.index};
        return values_.emplace(key, std::move(out)).first->second;
      }
      // Each dimension keeps the positions its slice leaves (all when none); a slice by value
      // also takes the dimension away.
      std::vector<std::vector<std::size_t>> keep(n);
      std::vector<bool> fixed(n, false), sliced(n, false);
      for (std::size_t k = 0; k < n; ++k)
        for (std::size_t p = 0; p < t->dimensions[k].index.size(); ++p) keep[k].push_back(p);
      for (const DataDescription::Slice& s : src.slices) {
        const std::string what = "slice on '" + s.reference + "'";
        const auto k = find_dimension(s.reference);
        if (!k) fail(ErrorKind::UnknownId, what + ": reference '" + s.reference + "' names no dimension of the data (they are " + listing(names) + ")");
        if (sliced[*k]) fail(ErrorKind::InvalidSbml, what + ": a second slice on the same dimension");
        sliced[*k] = true;
        const auto& index = t->dimensions[*k].index;
        const bool range = s.start_index || s.end_index;
        if (!s.index.empty() && (!s.value.empty() || range))
          fail(ErrorKind::InvalidSbml, what + ": both an index and a value or startIndex/endIndex");
        if (!s.value.empty() && range) fail(ErrorKind::InvalidSbml, what + ": both a value and startIndex/endIndex");
        if (!s.index.empty()) {
          // Version 4: the position of repeated task `index`'s current iteration (from 0); the
          // dimension drops out, as for a value.
          const auto it = iterations.find(s.index);
          if (it == iterations.end()) {
            const bool repeated = std::any_of(doc_.tasks.begin(), doc_.tasks.end(),
                                              [&](const Task& t) { return t.id == s.index && t.type == "repeatedTask"; });
            if (!repeated) fail(ErrorKind::UnknownId, what + ": index '" + s.index + "' names no repeated task of the document");
            fail(ErrorKind::Unsupported, what + ": index '" + s.index + "' slices at the current iteration of repeated task '" +
                                             s.index + "', which is not running where this data source is read (a setValue or "
                                             "functionalRange inside it reads it per iteration; a data generator has no current iteration)");
          }
          if (it->second >= index.size())
            fail(ErrorKind::InvalidSbml, what + ": index '" + s.index + "' at iteration " + std::to_string(it->second) +
                                             " (counted from 0) is past dimension '" + names[*k] + "', which has " +
                                             std::to_string(index.size()) + " positions");
          keep[*k] = {it->second};
          fixed[*k] = true;
        } else if (!s.value.empty()) {
          const auto at = find_index(index, s.value);
          if (at.empty())
            fail(ErrorKind::UnknownId, what + ": value '" + s.value + "' is not an index value of dimension '" + names[*k] +
                                           "' (its values are " + listing(index) + ")");
          if (at.size() > 1)
            fail(ErrorKind::InvalidSbml, what + ": value '" + s.value + "' is index value " + std::to_string(at.size()) +
                                             " times of dimension '" + names[*k] + "' (at positions " + std::to_string(at[0]) + " and " +
                                             std::to_string(at[1]) + ", counted from 0): which one is meant is not said");
          keep[*k] = {at[0]};
          fixed[*k] = true;
        } else if (range) {
          const long count = static_cast<long>(index.size());
          const long first = s.start_index.value_or(0), last = s.end_index.value_or(count - 1);
          if (first < 0 || last >= count || first > last)
            fail(ErrorKind::InvalidSbml, what + ": startIndex " + std::to_string(first) + " to endIndex " + std::to_string(last) +
                                             " is out of range: dimension '" + names[*k] + "' has " + std::to_string(count) +
                                             " positions (0 to " + std::to_string(count - 1) + ")");
          keep[*k].clear();
          for (long p = first; p <= last; ++p) keep[*k].push_back(static_cast<std::size_t>(p));
        } else {
          fail(ErrorKind::InvalidSbml, what + ": neither a value nor startIndex/endIndex");
        }
      }
      for (std::size_t k = 0; k < n; ++k)
        if (!fixed[k]) {
          out.shape.push_back(keep[k].size());
          out.dimensions.push_back(names[k]);
          std::vector<std::string> idx;
          for (std::size_t p : keep[k]) idx.push_back(t->dimensions[k].index[p]);
          out.index.push_back(std::move(idx));
        }
      // Every combination of kept positions, the last dimension fastest.
      std::vector<std::size_t> strides(n, 1);
      for (std::size_t k = n; k-- > 1;) strides[k - 1] = strides[k] * t->dimensions[k].index.size();
      std::size_t total = 1;
      for (const auto& kp : keep) total *= kp.size();
      std::vector<std::size_t> at(n, 0);
      for (std::size_t c = 0; c < total; ++c) {
        std::size_t flat = 0;
        for (std::size_t k = 0; k < n; ++k) flat += keep[k][at[k]] * strides[k];
        if (auto b = t->bad.find(flat); b != t->bad.end()) fail(ErrorKind::InvalidSbml, b->second);
        out.values.push_back(flat < t->values.size() ? t->values[flat] : std::numeric_limits<double>::quiet_NaN());
        for (std::size_t k = n; k-- > 0;) {
          if (++at[k] < keep[k].size()) break;
          at[k] = 0;
        }
      }
      return values_.emplace(key, std::move(out)).first->second;
    }
  }
  const Error e(ErrorKind::UnknownId, "'" + id + "' names no dataSource of the document's dataDescriptions");
  failed_.emplace(key, e);
  throw e;
}

}  // namespace axisim::sedml
