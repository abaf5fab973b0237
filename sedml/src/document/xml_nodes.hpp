// xml_nodes.hpp — reading libxml2's element trees: an element's name, attributes, trimmed text
// and child elements, as std::string and vectors. Shared by the SED-ML reader (document.cpp)
// and the NuML reader (numl.cpp); only files of the SED-ML library that see libxml2 include it.
#pragma once

#include <string>
#include <vector>

#include <libxml/tree.h>

namespace axisim::sedml::xml {

// The element's local name (no prefix).
inline std::string name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

// The attribute's value; empty when it is absent (has_attr tells the two apart).
inline std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

inline bool has_attr(const xmlNode* n, const char* name) {
  return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

// `s` without leading and trailing blanks (spaces, tabs, line ends).
inline std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The element's text content (its descendants' text joined), trimmed.
inline std::string text(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (!v) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return trim(s);
}

// The child elements of `n` (none for null), in document order.
inline std::vector<const xmlNode*> elements(const xmlNode* n) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

// The first child element named `name`, or null.
inline const xmlNode* child(const xmlNode* n, const std::string& name) {
  for (const xmlNode* c : elements(n))
    if (name_of(c) == name) return c;
  return nullptr;
}

}  // namespace axisim::sedml::xml
