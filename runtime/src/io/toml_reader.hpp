// toml_reader.hpp — reading axisim's TOML files (scenario files, batch job files): the parse with
// the depth check, typed getters, and errors that name the file and line ("FILE:LINE: what").
// Header-only (toml++ is header-only too), so that the batch library (batch/) shares it without
// the runtime exporting a third-party type.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "axisim/model.hpp"

namespace axisim::detail {

class TomlReader {
 public:
  // `path` names the file in messages; relative paths in it are resolved against `dir`.
  TomlReader(std::string path, std::filesystem::path dir) : path_(std::move(path)), dir_(std::move(dir)) {}

  const std::string& path() const { return path_; }
  const std::filesystem::path& dir() const { return dir_; }

  // Parses `text` (the file's contents): refused first when it nests deeper than
  // input_limits.hpp allows (toml++ parses dotted keys and headers recursively), then a syntax
  // error is Error(Usage) "FILE:LINE: toml++'s description".
  toml::table parse(const std::string& text) const {
    check_toml_depth(text, path_);
    try {
      return toml::parse(text, path_);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << path_ << ":" << e.source().begin.line << ": " << e.description();
      throw Error(ErrorKind::Usage, msg.str());
    }
  }

  [[noreturn]] void bad(const toml::node& node, const std::string& what) const { bad(node.source(), what); }
  [[noreturn]] void bad(const toml::source_region& where, const std::string& what) const {
    throw Error(ErrorKind::Usage, path_ + ":" + std::to_string(where.begin.line) + ": " + what);
  }

  double number(const toml::node& node, const std::string& key) const {
    if (auto v = node.value<double>()) return *v;  // integers convert too
    bad(node, "'" + key + "' must be a number");
  }
  long integer(const toml::node& node, const std::string& key) const {
    if (auto v = node.value<int64_t>()) return static_cast<long>(*v);
    if (auto d = node.value<double>(); d && *d == std::floor(*d)) return static_cast<long>(*d);
    bad(node, "'" + key + "' must be a whole number");
  }
  bool boolean(const toml::node& node, const std::string& key) const {
    if (const auto* v = node.as_boolean()) return v->get();  // not 0 and 1 (node.value<bool> takes them)
    bad(node, "'" + key + "' must be true or false");
  }
  std::string string(const toml::node& node, const std::string& key) const {
    if (auto v = node.value<std::string>()) return *v;
    bad(node, "'" + key + "' must be a string");
  }
  const toml::table& table(const toml::node& node, const std::string& key) const {
    if (const toml::table* t = node.as_table()) return *t;
    bad(node, "'" + key + "' must be a table");
  }
  std::vector<std::string> strings(const toml::node& node, const std::string& key) const {
    const toml::array* a = node.as_array();
    if (!a) bad(node, "'" + key + "' must be a list of strings");
    std::vector<std::string> out;
    for (const toml::node& n : *a) out.push_back(string(n, key));
    return out;
  }
  // A path given in the file, relative to the file's folder; normalised.
  std::string path_in_file(const std::string& p) const { return (dir_ / p).lexically_normal().string(); }
  std::string path_in_file(const toml::node& node, const std::string& key) const {
    return path_in_file(string(node, key));
  }

  // `linear_solver` and `jacobian` of a simulation table, by the names the CLI takes.
  LinearSolver linear_solver(const toml::node& node) const {
    const auto text = node.value<std::string>();
    if (!text || !linear_solver_from_name(*text))
      bad(node, "linear_solver must be \"auto\", \"dense\", \"sparse\" or \"iterative\"");
    return *linear_solver_from_name(*text);
  }
  JacobianKind jacobian(const toml::node& node) const {
    const auto text = node.value<std::string>();
    if (!text || !jacobian_from_name(*text)) bad(node, "jacobian must be \"auto\", \"analytic\" or \"numeric\"");
    return *jacobian_from_name(*text);
  }

 private:
  std::string path_;
  std::filesystem::path dir_;
};

}  // namespace axisim::detail
