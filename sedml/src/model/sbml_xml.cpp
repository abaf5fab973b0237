// SBML documents as XML: XPath (libxml2) and SED-ML's XML changes. The other user of libxml2 in
// this library is document.cpp.
#include "model/sbml_xml.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "axisim/error.hpp"

namespace axisim::sedml {

struct SbmlXml::Impl {
  xmlDocPtr doc = nullptr;
  ~Impl() {
    if (doc) xmlFreeDoc(doc);
  }
};

namespace {

const xmlChar* X(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
std::string S(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

void quiet(void*, const char*, ...) {}

bool is_sbml_core(const std::string& uri) {
  return uri.rfind("http://www.sbml.org/sbml/level", 0) == 0 && uri.find("/version") != std::string::npos &&
         uri.find('/', uri.find("/version") + 1) == std::string::npos;
}

struct XPathResult {
  xmlXPathContextPtr ctx = nullptr;
  xmlXPathObjectPtr obj = nullptr;
  ~XPathResult() {
    if (obj) xmlXPathFreeObject(obj);
    if (ctx) xmlXPathFreeContext(ctx);
  }
  std::vector<xmlNodePtr> nodes() const {
    std::vector<xmlNodePtr> out;
    if (obj && obj->type == XPATH_NODESET && obj->nodesetval)
      for (int i = 0; i < obj->nodesetval->nodeNr; ++i) out.push_back(obj->nodesetval->nodeTab[i]);
    return out;
  }
};

void evaluate(xmlDocPtr doc, const std::string& xpath, const Namespaces& ns, XPathResult& r) {
  if (xpath.empty()) throw std::runtime_error("the target is empty");
  r.ctx = xmlXPathNewContext(doc);
  if (!r.ctx) throw std::runtime_error("out of memory");
  const xmlNode* root = xmlDocGetRootElement(doc);
  const std::string model_ns = root && root->ns ? S(root->ns->href) : "";
  bool sbml_bound = false;
  for (const auto& [prefix, uri] : ns) {
    const std::string bound = is_sbml_core(uri) && !model_ns.empty() ? model_ns : uri;
    xmlXPathRegisterNs(r.ctx, X(prefix), X(bound));
    if (prefix == "sbml") sbml_bound = true;
  }
  if (!sbml_bound && !model_ns.empty()) xmlXPathRegisterNs(r.ctx, X("sbml"), X(model_ns));
  xmlSetGenericErrorFunc(nullptr, quiet);
  r.obj = xmlXPathEvalExpression(X(xpath), r.ctx);
  xmlSetGenericErrorFunc(nullptr, nullptr);
  if (!r.obj) throw std::runtime_error("'" + xpath + "' is not a valid XPath (or uses a prefix not declared)");
}

std::string prop(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = S(v);
  if (v) xmlFree(v);
  return s;
}

// Parses `xml` (one or more elements) in the context of `context`, so that its prefixes and
// default namespace resolve as they would there.
xmlNodePtr parse_fragment(xmlNodePtr context, const std::string& xml) {
  xmlNodePtr list = nullptr;
  const xmlParserErrors rc = xmlParseInNodeContext(context, xml.c_str(), static_cast<int>(xml.size()),
                                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING, &list);
  if (rc != XML_ERR_OK) {
    if (list) xmlFreeNodeList(list);
    throw std::runtime_error("the new XML does not parse");
  }
  return list;
}

}  // namespace

SbmlXml::SbmlXml(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SbmlXml::SbmlXml(SbmlXml&&) noexcept = default;
SbmlXml::~SbmlXml() = default;

SbmlXml::SbmlXml(const SbmlXml& other) : impl_(std::make_unique<Impl>()) {
  impl_->doc = xmlCopyDoc(other.impl_->doc, 1);
  if (!impl_->doc) throw std::runtime_error("out of memory copying a model");
}

SbmlXml SbmlXml::from_file(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(ErrorKind::Io, path + ": no such file");
  auto impl = std::make_unique<Impl>();
  impl->doc = xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
  if (!impl->doc) throw Error(ErrorKind::InvalidSbml, path + ": not well-formed XML");
  return SbmlXml(std::move(impl));
}

std::string SbmlXml::root_namespace() const {
  const xmlNode* root = xmlDocGetRootElement(impl_->doc);
  return root && root->ns ? S(root->ns->href) : "";
}

std::string SbmlXml::to_string() const {
  xmlChar* buf = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(impl_->doc, &buf, &size, "UTF-8");
  std::string s(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(size));
  xmlFree(buf);
  return s;
}

std::vector<SbmlXml::Node> SbmlXml::select(const std::string& xpath, const Namespaces& ns) const {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  std::vector<Node> out;
  for (xmlNodePtr n : r.nodes()) {
    Node node;
    if (n->type == XML_ATTRIBUTE_NODE) {
      node.is_attribute = true;
      node.attribute = S(n->name);
      xmlChar* v = xmlNodeGetContent(n);
      node.value = S(v);
      if (v) xmlFree(v);
      if (n->parent) {
        node.element = S(n->parent->name);
        node.id = prop(n->parent, "id");
      }
    } else if (n->type == XML_ELEMENT_NODE) {
      node.element = S(n->name);
      node.id = prop(n, "id");
    } else {
      continue;
    }
    out.push_back(std::move(node));
  }
  return out;
}

std::string SbmlXml::element_xml(const std::string& xpath, const Namespaces& ns) const {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  std::vector<xmlNodePtr> found;
  for (xmlNodePtr n : r.nodes())
    if (n->type == XML_ELEMENT_NODE) found.push_back(n);
  if (found.empty()) return {};
  if (found.size() > 1) throw std::runtime_error("'" + xpath + "' selects " + std::to_string(found.size()) + " elements, not one");
  const std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buf(xmlBufferCreate(), xmlBufferFree);
  if (!buf || xmlNodeDump(buf.get(), impl_->doc, found[0], 0, 0) < 0) throw std::runtime_error("'" + xpath + "': cannot write its XML");
  return S(xmlBufferContent(buf.get()));
}

// Sets the selected attribute itself, in its own namespace: xmlSetProp by name alone would add a
// second, unprefixed attribute beside a package's (qual:initialLevel) and leave it unchanged.
static void set_same_attribute(xmlNodePtr attribute, const std::string& value) {
  xmlSetNsProp(attribute->parent, reinterpret_cast<xmlAttrPtr>(attribute)->ns, attribute->name, X(value));
}

std::size_t SbmlXml::set_attribute(const std::string& xpath, const Namespaces& ns, const std::string& value) {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  std::size_t n = 0;
  for (xmlNodePtr node : r.nodes()) {
    if (node->type != XML_ATTRIBUTE_NODE)
      throw std::runtime_error("'" + xpath + "' selects an element, not an attribute");
    // A species has an initial amount or an initial concentration, not both: setting one drops the other.
    const std::string name = S(node->name);
    if (node->parent && S(node->parent->name) == "species" && (name == "initialAmount" || name == "initialConcentration"))
      if (xmlAttrPtr other = xmlHasProp(node->parent, X(name == "initialAmount" ? "initialConcentration" : "initialAmount")))
        xmlRemoveProp(other);
    set_same_attribute(node, value);
    ++n;
  }
  return n;
}

std::size_t SbmlXml::set_value(const std::string& xpath, const Namespaces& ns, const std::string& value) {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  std::size_t n = 0;
  for (xmlNodePtr node : r.nodes()) {
    if (node->type == XML_ATTRIBUTE_NODE) {
      set_same_attribute(node, value);
    } else if (node->type == XML_ELEMENT_NODE) {
      const std::string name = S(node->name);
      std::string attribute;
      if (name == "parameter" || name == "localParameter") attribute = "value";
      else if (name == "compartment") attribute = "size";
      else if (name == "speciesReference") attribute = "stoichiometry";
      else if (name == "species") {
        const bool amounts = prop(node, "hasOnlySubstanceUnits") == "true";
        attribute = amounts ? "initialAmount" : "initialConcentration";
        if (xmlAttrPtr other = xmlHasProp(node, X(amounts ? "initialConcentration" : "initialAmount"))) xmlRemoveProp(other);
      } else if (name == "qualitativeSpecies") {
        // A logical model's species: its initial level, in the qual namespace as the element.
        xmlSetNsProp(node, node->ns, X("initialLevel"), X(value));
        ++n;
        continue;
      } else {
        throw std::runtime_error("'" + xpath + "' selects a <" + name + ">, which has no value to set");
      }
      xmlSetProp(node, X(attribute), X(value));
    } else {
      continue;
    }
    ++n;
  }
  return n;
}

std::size_t SbmlXml::remove(const std::string& xpath, const Namespaces& ns) {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  const auto nodes = r.nodes();
  for (xmlNodePtr node : nodes) {
    if (node->type == XML_ATTRIBUTE_NODE) {
      xmlRemoveProp(reinterpret_cast<xmlAttrPtr>(node));
    } else {
      xmlUnlinkNode(node);
      xmlFreeNode(node);
    }
  }
  return nodes.size();
}

std::size_t SbmlXml::add_xml(const std::string& xpath, const Namespaces& ns, const std::string& xml) {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  const auto nodes = r.nodes();
  for (xmlNodePtr target : nodes) {
    if (target->type != XML_ELEMENT_NODE) throw std::runtime_error("'" + xpath + "' does not select an element");
    xmlNodePtr list = parse_fragment(target, xml);
    while (list) {
      xmlNodePtr next = list->next;
      xmlUnlinkNode(list);
      xmlAddChild(target, list);
      list = next;
    }
  }
  return nodes.size();
}

std::size_t SbmlXml::change_xml(const std::string& xpath, const Namespaces& ns, const std::string& xml) {
  XPathResult r;
  evaluate(impl_->doc, xpath, ns, r);
  const auto nodes = r.nodes();
  for (xmlNodePtr target : nodes) {
    if (target->type != XML_ELEMENT_NODE) throw std::runtime_error("'" + xpath + "' does not select an element");
    xmlNodePtr list = parse_fragment(target->parent ? target->parent : target, xml);
    xmlNodePtr at = target;
    while (list) {
      xmlNodePtr next = list->next;
      xmlUnlinkNode(list);
      at = xmlAddNextSibling(at, list);
      list = next;
    }
    xmlUnlinkNode(target);
    xmlFreeNode(target);
  }
  return nodes.size();
}

}  // namespace axisim::sedml
