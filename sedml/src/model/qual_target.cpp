#include "model/qual_target.hpp"

#include <cctype>

namespace axisim::sedml {

bool is_bare_id(const std::string& t) {
  if (t.empty() || !(std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_')) return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string qual_species_xpath(const std::string& id) {
  // An SBML id has no quote, so it can stand inside one.
  return "//*[local-name()='qualitativeSpecies'][@*[local-name()='id']='" + id + "']";
}

std::string qual_target_xpath(const SbmlXml& xml, const std::string& target) {
  if (!is_bare_id(target)) return target;
  const std::string xpath = qual_species_xpath(target);
  return xml.select(xpath, {}).size() == 1 ? xpath : target;
}

std::string qual_species_of(const SbmlXml& xml, const std::string& target, const Namespaces& ns, std::string& why,
                            bool initial_level) {
  why.clear();
  const auto nodes = xml.select(qual_target_xpath(xml, target), ns);
  if (nodes.size() == 1 && nodes[0].element == "qualitativeSpecies" && !nodes[0].id.empty() &&
      (!nodes[0].is_attribute || (initial_level && nodes[0].attribute == "initialLevel")))
    return nodes[0].id;
  why = nodes.size() == 1 ? "a " + nodes[0].element + (nodes[0].is_attribute ? " attribute" : "")
                          : std::to_string(nodes.size()) + " nodes";
  return {};
}

}  // namespace axisim::sedml
