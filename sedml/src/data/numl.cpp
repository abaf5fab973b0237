// NuML read with libxml2: dimension descriptions (also those SED-ML embeds) and NuML files.
#include "data/numl.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "axisim/error.hpp"
#include "document/xml_nodes.hpp"

namespace axisim::sedml {
namespace {

using xml::attr;
using xml::child;
using xml::elements;
using xml::name_of;

std::string described(const xmlNode* n) { return !attr(n, "name").empty() ? attr(n, "name") : attr(n, "id"); }

// One atomic value found while walking a dimension: its index values (one per composite level,
// then the tuple member's position) and its text, with the line it is on.
struct Leaf {
  std::vector<std::string> path;
  std::string text;
  long line = 0;
};

void walk(const xmlNode* n, std::size_t depth, const DimensionDescription& desc, std::vector<std::string>& path,
          std::vector<Leaf>& out, const std::string& file) {
  auto fail = [&](const xmlNode* at, const std::string& what) {
    throw Error(ErrorKind::InvalidSbml, file + ":" + std::to_string(xmlGetLineNo(at)) + ": " + what);
  };
  for (const xmlNode* c : elements(n)) {
    const std::string name = name_of(c);
    if (depth < desc.composites.size()) {
      if (name != "compositeValue")
        fail(c, "<" + name + "> where the description has compositeDescription '" + desc.composites[depth].id + "'");
      path.push_back(attr(c, "indexValue"));
      walk(c, depth + 1, desc, path, out, file);
      path.pop_back();
    } else if (desc.tuple) {
      if (name != "tuple") fail(c, "<" + name + "> where the description has a tupleDescription");
      const auto members = elements(c);
      if (members.size() != desc.atomics.size())
        fail(c, "a tuple of " + std::to_string(members.size()) + " values where the description has " +
                    std::to_string(desc.atomics.size()));
      for (std::size_t i = 0; i < members.size(); ++i) {
        path.push_back(desc.atomics[i]);
        out.push_back({path, xml::text(members[i]), xmlGetLineNo(members[i])});
        path.pop_back();
      }
    } else {
      if (name != "atomicValue") fail(c, "<" + name + "> where the description has an atomicDescription");
      out.push_back({path, xml::text(c), xmlGetLineNo(c)});
    }
  }
}

}  // namespace

DimensionDescription read_dimension_description(const xmlNode* dim) {
  DimensionDescription out;
  const auto kids = elements(dim);
  const xmlNode* n = kids.empty() ? nullptr : kids[0];
  while (n) {
    const std::string name = name_of(n);
    if (name == "compositeDescription") {
      out.composites.push_back({attr(n, "id"), attr(n, "name"), attr(n, "indexType")});
      const auto inner = elements(n);
      if (inner.size() > 1)
        throw std::runtime_error("compositeDescription '" + described(n) + "' holds more than one description");
      n = inner.empty() ? nullptr : inner[0];
    } else if (name == "atomicDescription") {
      out.atomics.push_back(described(n));
      n = nullptr;
    } else if (name == "tupleDescription") {
      out.tuple = true;
      for (const xmlNode* a : elements(n)) out.atomics.push_back(described(a));
      n = nullptr;
    } else {
      throw std::runtime_error("<" + name + "> is not a NuML description");
    }
  }
  if (out.composites.empty() && out.atomics.empty()) throw std::runtime_error("it describes nothing");
  return out;
}

DataTable read_numl_table(const std::string& path, std::string& warning) {
  warning.clear();
  if (!std::filesystem::is_regular_file(path)) throw Error(ErrorKind::Io, path + ": no such file");
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR), xmlFreeDoc);
  if (!doc) throw Error(ErrorKind::InvalidSbml, path + ": not well-formed XML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || name_of(root) != "numl") throw Error(ErrorKind::InvalidSbml, path + ": not NuML (its root element is not <numl>)");
  std::vector<const xmlNode*> components;
  for (const xmlNode* c : elements(child(root, "resultComponents")))
    if (name_of(c) == "resultComponent") components.push_back(c);
  if (components.empty()) throw Error(ErrorKind::InvalidSbml, path + ": no resultComponent");
  const xmlNode* rc = components[0];
  if (components.size() > 1)
    warning = path + ": " + std::to_string(components.size()) + " resultComponents; the first, '" + attr(rc, "id") +
              "', is read (as tellurium reads SED-ML Level 1 Version 3 data)";

  const xmlNode* dd = child(rc, "dimensionDescription");
  if (!dd) throw Error(ErrorKind::InvalidSbml, path + ": resultComponent '" + attr(rc, "id") + "' has no dimensionDescription");
  DimensionDescription desc;
  try {
    desc = read_dimension_description(dd);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::InvalidSbml, path + ": resultComponent '" + attr(rc, "id") + "' dimensionDescription: " + e.what());
  }
  std::vector<Leaf> leaves;
  std::vector<std::string> at;
  walk(child(rc, "dimension"), 0, desc, at, leaves, path);

  DataTable t;
  for (const auto& c : desc.composites) t.dimensions.push_back({c.id, c.name, c.index_type, {}});
  if (desc.tuple) t.dimensions.push_back({"", "tuple", "string", desc.atomics});  // named for messages
  // Index values in the order they first appear, each once.
  std::vector<std::map<std::string, std::size_t>> position(t.dimensions.size());
  for (std::size_t d = 0; d < t.dimensions.size(); ++d)
    for (const std::string& v : t.dimensions[d].index) position[d].emplace(v, position[d].size());
  for (const Leaf& l : leaves)
    for (std::size_t d = 0; d < desc.composites.size(); ++d)
      if (position[d].emplace(l.path[d], position[d].size()).second) t.dimensions[d].index.push_back(l.path[d]);
  std::size_t size = 1;
  for (const auto& d : t.dimensions) size *= d.index.size();
  t.values.assign(size, std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> seen(size, false);
  for (const Leaf& l : leaves) {
    std::size_t flat = 0;
    for (std::size_t d = 0; d < t.dimensions.size(); ++d) flat = flat * t.dimensions[d].index.size() + position[d].at(l.path[d]);
    const std::string where = path + ":" + std::to_string(l.line);
    if (seen[flat]) throw Error(ErrorKind::InvalidSbml, where + ": a second value for the same index values");
    seen[flat] = true;
    char* end = nullptr;
    const double x = std::strtod(l.text.c_str(), &end);
    if (l.text.empty() || *end != '\0') {
      if (l.text == "NaN" || l.text == "nan") continue;
      if (l.text == "INF" || l.text == "inf") { t.values[flat] = std::numeric_limits<double>::infinity(); continue; }
      if (l.text == "-INF" || l.text == "-inf") { t.values[flat] = -std::numeric_limits<double>::infinity(); continue; }
      t.bad.emplace(flat, where + ": '" + l.text + "' is not a number");
      continue;
    }
    t.values[flat] = x;
  }
  return t;
}

}  // namespace axisim::sedml
