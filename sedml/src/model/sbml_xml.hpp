// sbml_xml.hpp — an SBML document as XML, for SED-ML's XPath targets and XML changes. libxml2
// stays inside sbml_xml.cpp. Each prefix of the SED-ML element that names the target is bound as
// it was declared, except that a prefix bound to any SBML core namespace is bound to the model's
// own (documents often name Level 2 Version 3 for a Level 3 model), and `sbml` always names the
// model's namespace when the element does not bind it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "document/document.hpp"

namespace axisim::sedml {

class SbmlXml {
 public:
  // Throws Error(Io) when the file cannot be read, Error(InvalidSbml) when it is not XML.
  static SbmlXml from_file(const std::string& path);
  SbmlXml(const SbmlXml& other);  // a deep copy
  SbmlXml& operator=(const SbmlXml&) = delete;
  SbmlXml(SbmlXml&&) noexcept;
  ~SbmlXml();

  std::string to_string() const;
  // The namespace URI of the root element (the SBML Level and Version's).
  std::string root_namespace() const;

  // What an XPath selected: an element (its local name and id) or an attribute (its name, its
  // value, and the element and id it belongs to).
  struct Node {
    bool is_attribute = false;
    std::string element, id;       // the element, or the attribute's element
    std::string attribute, value;  // attributes only
  };
  // Throws std::runtime_error when the XPath is malformed.
  std::vector<Node> select(const std::string& xpath, const Namespaces& ns) const;

  // The XML text of the one element `xpath` selects (empty when it selects none; throws
  // std::runtime_error when it selects several or is malformed).
  std::string element_xml(const std::string& xpath, const Namespaces& ns) const;

  // XML changes; each returns the number of nodes changed (0: the XPath selected nothing) and
  // throws std::runtime_error for a malformed XPath or new XML that does not parse.
  std::size_t set_attribute(const std::string& xpath, const Namespaces& ns, const std::string& value);
  // Like set_attribute, but an element target gets its value attribute: a parameter's value, a
  // compartment's size, a species reference's stoichiometry, a species' initialConcentration
  // (initialAmount with hasOnlySubstanceUnits="true"), the other of the two removed: the value in
  // the quantity axisim's Quantity::Default reads; a qualitativeSpecies' (qual:)initialLevel.
  std::size_t set_value(const std::string& xpath, const Namespaces& ns, const std::string& value);
  std::size_t remove(const std::string& xpath, const Namespaces& ns);
  std::size_t add_xml(const std::string& xpath, const Namespaces& ns, const std::string& xml);
  std::size_t change_xml(const std::string& xpath, const Namespaces& ns, const std::string& xml);

 private:
  struct Impl;
  explicit SbmlXml(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace axisim::sedml
