// sbml_export.cpp — axisim::export_sbml: the document read by libSBML, changed only where the
// options ask, checked, and written back by libSBML. See docs/interchange.md.
#include "axisim/export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "sbml_document.hpp"

namespace axisim {
namespace {

namespace fs = std::filesystem;

using SbmlModel = SBML_NS Model;

// What a species' initial value attribute holds.
enum class SpeciesQuantity { Amount, Concentration };

std::string quoted(const std::string& s) { return "'" + s + "'"; }

bool set_by_assignment_rule(const SbmlModel& m, const std::string& id) {
  const SBML_NS Rule* r = m.getRuleByVariable(id);
  return r != nullptr && r->isAssignment();
}

// The quantity Model::set_value takes by default: concentration unless the species has only
// substance units (or lives in a compartment of dimension 0, where there is no concentration).
SpeciesQuantity default_quantity(const SbmlModel& m, const SBML_NS Species& s) {
  if (s.getHasOnlySubstanceUnits()) return SpeciesQuantity::Amount;
  const SBML_NS Compartment* c = m.getCompartment(s.getCompartment());
  if (c && c->isSetSpatialDimensions() && c->getSpatialDimensionsAsDouble() == 0) return SpeciesQuantity::Amount;
  return SpeciesQuantity::Concentration;
}

// The quantity the document states the species' initial value in (the model's choice, kept).
SpeciesQuantity stated_quantity(const SbmlModel& m, const SBML_NS Species& s) {
  if (s.isSetInitialAmount()) return SpeciesQuantity::Amount;
  if (s.isSetInitialConcentration()) return SpeciesQuantity::Concentration;
  return default_quantity(m, s);
}

void set_species_value(SBML_NS Species& s, SpeciesQuantity q, double value) {
  if (q == SpeciesQuantity::Amount) {
    s.unsetInitialConcentration();
    s.setInitialAmount(value);
  } else {
    s.unsetInitialAmount();
    s.setInitialConcentration(value);
  }
}

SBML_NS SpeciesReference* find_species_reference(SbmlModel& m, const std::string& id) {
  for (unsigned i = 0; i < m.getNumReactions(); ++i) {
    SBML_NS Reaction* r = m.getReaction(i);
    if (auto* sr = r->getReactant(id)) return sr;
    if (auto* sr = r->getProduct(id)) return sr;
  }
  return nullptr;
}

// A kinetic law's local parameter, named "reaction.parameter" as Model::ids() names it.
SBML_NS Parameter* find_local_parameter(SbmlModel& m, const std::string& id) {
  const auto dot = id.find('.');
  if (dot == std::string::npos) return nullptr;
  SBML_NS Reaction* r = m.getReaction(id.substr(0, dot));
  if (!r || !r->isSetKineticLaw()) return nullptr;
  SBML_NS KineticLaw* kl = r->getKineticLaw();
  const std::string pid = id.substr(dot + 1);
  if (m.getLevel() >= 3) return kl->getLocalParameter(pid);
  return kl->getParameter(pid);
}

bool uses_comp(const SBML_NS SBMLDocument& doc) {
  auto* comp_doc = dynamic_cast<const SBML_NS CompSBMLDocumentPlugin*>(doc.getPlugin("comp"));
  auto* comp_model = dynamic_cast<const SBML_NS CompModelPlugin*>(doc.getModel()->getPlugin("comp"));
  return (comp_doc && comp_doc->getNumModelDefinitions() + comp_doc->getNumExternalModelDefinitions() > 0) ||
         (comp_model && comp_model->getNumSubmodels() > 0);
}

// Errors of at least `severity` in the document's log (one per line), conversion errors included.
std::string logged_errors(const SBML_NS SBMLDocument& doc) {
  std::string out;
  for (unsigned i = 0; i < doc.getNumErrors(); ++i) {
    const SBML_NS SBMLError* e = doc.getError(i);
    if (e->getSeverity() < LIBSBML_SEV_ERROR) continue;
    std::string msg = e->getMessage();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (!out.empty()) out += '\n';
    out += "  " + std::string(e->getShortMessage()) + ": " + msg;
  }
  return out;
}

// ---- --flatten ----

void flatten(SBML_NS SBMLDocument& doc, const std::string& label) {
  if (!uses_comp(doc)) return;
  SBML_NS ConversionProperties props;
  props.addOption("flatten comp", true);
  props.addOption("leavePorts", false);
  props.addOption("performValidation", false);
  doc.getErrorLog()->clearLog();
  if (doc.convert(props) != LIBSBML_OPERATION_SUCCESS)
    throw Error(ErrorKind::InvalidSbml,
                label + ": libSBML could not flatten the hierarchical (comp) model:\n" + logged_errors(doc));
  // The flat model uses nothing of comp; declaring it would make readers without comp balk.
  doc.enablePackage(SBML_NS CompExtension::getXmlnsL3V1V1(), "comp", false);
}

// ---- --set ----

using Simulator = std::function<const axisim::Model&()>;

void apply_set(SBML_NS SBMLDocument& doc, const std::string& id, double value, const std::string& label,
               const Simulator& simulator) {
  SbmlModel& m = *doc.getModel();
  auto refuse_rule = [&] {
    if (set_by_assignment_rule(m, id))
      throw Error(ErrorKind::Usage, label + ": '" + id + "' is set by an assignment rule; its value cannot be set");
  };
  auto drop_initial_assignment = [&] {
    if (m.getInitialAssignmentBySymbol(id) != nullptr) {
      spdlog::debug("{}: initial assignment to '{}' removed (--set gives its value)", label, id);
      delete m.removeInitialAssignment(id);
    }
  };
  if (SBML_NS Compartment* c = m.getCompartment(id)) {
    refuse_rule();
    drop_initial_assignment();
    c->setSize(value);
  } else if (SBML_NS Species* s = m.getSpecies(id)) {
    refuse_rule();
    drop_initial_assignment();
    // The value is in the species' default quantity, as for `axisim simulate --set`. It is
    // written in that quantity; SBML makes initialAmount = initialConcentration * size at time
    // 0 either way, so the attribute may change but the model's meaning does not.
    const SpeciesQuantity q = default_quantity(m, *s);
    if (m.getLevel() == 1 && q == SpeciesQuantity::Concentration) {
      // Level 1 has initial amounts only: the amount is the concentration times the size at 0.
      set_species_value(*s, SpeciesQuantity::Amount, simulator().initial_value(id, Quantity::Amount));
    } else {
      set_species_value(*s, q, value);
    }
  } else if (SBML_NS Parameter* p = m.getParameter(id)) {
    refuse_rule();
    drop_initial_assignment();
    p->setValue(value);
  } else if (SBML_NS SpeciesReference* sr = find_species_reference(m, id)) {
    refuse_rule();
    if (sr->isSetStoichiometryMath())
      throw Error(ErrorKind::Usage, label + ": the stoichiometry of '" + id + "' is set by stoichiometryMath; it cannot be set");
    drop_initial_assignment();
    sr->setStoichiometry(value);
  } else if (SBML_NS Parameter* lp = find_local_parameter(m, id)) {
    lp->setValue(value);
  } else if (m.getReaction(id) != nullptr) {
    throw Error(ErrorKind::Usage, label + ": '" + id + "' is a reaction; its rate cannot be set");
  } else {
    std::string msg = label + ": model '" + m.getId() + "' has no element with id '" + id + "' whose value can be set";
    if (uses_comp(doc)) msg += " (elements of submodels are set with --flatten, by their flattened ids)";
    throw Error(ErrorKind::UnknownId, msg);
  }
}

// ---- --at-time ----

// The first element whose math reads time or calls delay, described for a message; empty if none.
bool reads_time(const SBML_NS ASTNode* n, std::string& what) {
  if (!n) return false;
  if (n->getType() == SBML_NS AST_NAME_TIME) {
    what = "time";
    return true;
  }
  if (n->getType() == SBML_NS AST_FUNCTION_DELAY) {
    what = "delay";
    return true;
  }
  for (unsigned i = 0; i < n->getNumChildren(); ++i)
    if (reads_time(n->getChild(i), what)) return true;
  return false;
}

std::string element_reading_time(const SbmlModel& m) {
  std::string what;
  auto hit = [&](const SBML_NS ASTNode* math, const std::string& where) -> std::string {
    return reads_time(math, what) ? "the " + where + " reads " + what : std::string();
  };
  std::string found;
  auto check = [&](const SBML_NS ASTNode* math, const std::string& where) {
    if (found.empty()) found = hit(math, where);
  };
  for (unsigned i = 0; i < m.getNumFunctionDefinitions(); ++i)
    check(m.getFunctionDefinition(i)->getMath(), "function definition " + quoted(m.getFunctionDefinition(i)->getId()));
  for (unsigned i = 0; i < m.getNumRules(); ++i) {
    const SBML_NS Rule* r = m.getRule(i);
    const char* kind = r->isAssignment() ? "assignment rule" : r->isRate() ? "rate rule" : "algebraic rule";
    check(r->getMath(), std::string(kind) + (r->isAlgebraic() ? std::string() : " for " + quoted(r->getVariable())));
  }
  for (unsigned i = 0; i < m.getNumReactions(); ++i) {
    const SBML_NS Reaction* r = m.getReaction(i);
    if (r->isSetKineticLaw()) check(r->getKineticLaw()->getMath(), "kinetic law of reaction " + quoted(r->getId()));
    for (unsigned j = 0; j < r->getNumReactants() + r->getNumProducts(); ++j) {
      const SBML_NS SpeciesReference* sr =
          j < r->getNumReactants() ? r->getReactant(j) : r->getProduct(j - r->getNumReactants());
      if (sr->isSetStoichiometryMath())
        check(sr->getStoichiometryMath()->getMath(),
              "stoichiometryMath of species " + quoted(sr->getSpecies()) + " in reaction " + quoted(r->getId()));
    }
  }
  for (unsigned i = 0; i < m.getNumEvents(); ++i) {
    const SBML_NS Event* e = m.getEvent(i);
    const std::string name = "event " + quoted(e->isSetId() ? e->getId() : std::to_string(i + 1));
    if (e->isSetTrigger()) check(e->getTrigger()->getMath(), "trigger of " + name);
    if (e->isSetDelay()) check(e->getDelay()->getMath(), "delay of " + name);
    if (e->isSetPriority()) check(e->getPriority()->getMath(), "priority of " + name);
    for (unsigned j = 0; j < e->getNumEventAssignments(); ++j)
      check(e->getEventAssignment(j)->getMath(),
            "assignment to " + quoted(e->getEventAssignment(j)->getVariable()) + " in " + name);
  }
  for (unsigned i = 0; i < m.getNumConstraints(); ++i) check(m.getConstraint(i)->getMath(), "constraint " + std::to_string(i + 1));
  return found;
}

// A symbol whose value at T becomes its initial value, and how it is written.
struct StateEntry {
  std::string id;
  SymbolKind kind;
  SpeciesQuantity quantity = SpeciesQuantity::Amount;  // species only
};

void apply_at_time(SBML_NS SBMLDocument& doc, double t, const Simulator& simulator, const SimulationOptions& options,
                   const std::string& label) {
  if (!std::isfinite(t) || t < 0)
    throw Error(ErrorKind::Usage, "--at-time must be a finite time >= 0 (got " + std::to_string(t) + ")");
  if (uses_comp(doc))
    throw Error(ErrorKind::Unsupported,
                label + ": --at-time on a hierarchical (comp) model needs --flatten: the state at T belongs to "
                        "the flat model's elements");
  SbmlModel& m = *doc.getModel();
  if (const std::string where = element_reading_time(m); !where.empty())
    throw Error(ErrorKind::Unsupported,
                label + ": cannot export the state at t = " + std::to_string(t) + " as an initial state: " + where +
                    ", and the exported model starts again at t = 0, which would shift that math by " +
                    std::to_string(t) + " (see docs/interchange.md)");

  const axisim::Model& sim = simulator();
  std::vector<StateEntry> entries;
  std::vector<OutputSpec> outputs;
  for (const std::string& id : sim.ids()) {
    const SymbolKind kind = sim.kind(id);
    if (kind == SymbolKind::Reaction || kind == SymbolKind::LocalParameter) continue;
    if (set_by_assignment_rule(m, id)) continue;  // the rule is kept and gives the value
    StateEntry e{id, kind};
    Quantity q = Quantity::Default;
    if (kind == SymbolKind::Species) {
      const SBML_NS Species* s = m.getSpecies(id);
      if (!s) continue;
      e.quantity = stated_quantity(m, *s);
      if (m.getLevel() == 1) e.quantity = SpeciesQuantity::Amount;
      q = e.quantity == SpeciesQuantity::Amount ? Quantity::Amount : Quantity::Concentration;
    } else if (kind == SymbolKind::Compartment) {
      if (!m.getCompartment(id)) continue;
    } else if (kind == SymbolKind::Parameter) {
      if (!m.getParameter(id)) continue;
    } else if (kind == SymbolKind::SpeciesReference) {
      const SBML_NS SpeciesReference* sr = find_species_reference(m, id);
      if (!sr || sr->isSetStoichiometryMath()) continue;
    }
    entries.push_back(std::move(e));
    outputs.push_back({id, q});
  }

  SimulationOptions run = options;
  run.start = t;
  run.end = t;
  run.steps = 0;
  const Result r = sim.simulate(run, outputs);
  const std::span<const double> state = r.row(r.rows() - 1);

  for (std::size_t i = 0; i < entries.size(); ++i) {
    const StateEntry& e = entries[i];
    const double v = state[i + 1];  // column 0 is time
    if (!std::isfinite(v))
      throw Error(ErrorKind::Solver, label + ": the value of '" + e.id + "' at t = " + std::to_string(t) +
                                         " is not finite; it cannot be an initial value");
    switch (e.kind) {
      case SymbolKind::Compartment: m.getCompartment(e.id)->setSize(v); break;
      case SymbolKind::Species: set_species_value(*m.getSpecies(e.id), e.quantity, v); break;
      case SymbolKind::Parameter: m.getParameter(e.id)->setValue(v); break;
      case SymbolKind::SpeciesReference: find_species_reference(m, e.id)->setStoichiometry(v); break;
      default: break;
    }
    // An initial assignment would overwrite the value just written.
    if (m.getInitialAssignmentBySymbol(e.id) != nullptr) delete m.removeInitialAssignment(e.id);
  }

  // Each event's trigger has its value at T before the exported model's t = 0: an event whose
  // trigger was already true at T does not fire again at 0. Level 3 says so with initialValue
  // = true; Level 2 events never fire at 0 on a trigger already true.
  for (unsigned i = 0; i < m.getNumEvents(); ++i) {
    SBML_NS Event* e = m.getEvent(i);
    if (m.getLevel() >= 3 && e->isSetTrigger()) e->getTrigger()->setInitialValue(true);
    if (e->isSetDelay())
      spdlog::warn("{}: event {} has a delay: an execution pending at t = {} is not carried into the exported model",
                   label, quoted(e->isSetId() ? e->getId() : std::to_string(i + 1)), t);
  }
}

// ---- plugins annotation ----

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void annotate_plugins(SbmlModel& m, const std::vector<PluginRecord>& plugins, const std::string& label) {
  if (plugins.empty()) return;
  const SBML_NS XMLNamespaces ns = [] {
    SBML_NS XMLNamespaces n;
    n.add(kPluginAnnotationNs, "axisim");
    return n;
  }();
  SBML_NS XMLNode root(SBML_NS XMLTriple("plugins", kPluginAnnotationNs, "axisim"), SBML_NS XMLAttributes(), ns);
  for (const PluginRecord& p : plugins) {
    SBML_NS XMLAttributes attrs;
    attrs.add("name", p.name);
    attrs.add("version", p.version);
    SBML_NS XMLNode plugin(SBML_NS XMLTriple("plugin", kPluginAnnotationNs, "axisim"), attrs);
    for (const auto& [name, value] : p.parameters) {
      SBML_NS XMLAttributes pa;
      pa.add("name", name);
      pa.add("value", number_text(value));
      SBML_NS XMLNode param(SBML_NS XMLTriple("parameter", kPluginAnnotationNs, "axisim"), pa);
      plugin.addChild(param);
    }
    root.addChild(plugin);
  }
  // A document exported before keeps one record only: the new one replaces it.
  if (m.isSetAnnotation()) m.removeTopLevelAnnotationElement("plugins", kPluginAnnotationNs);
  if (m.appendAnnotation(&root) != LIBSBML_OPERATION_SUCCESS)
    throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not add the axisim plugins annotation to the model");
}

// ---- level and version ----

void convert_level_version(SBML_NS SBMLDocument& doc, unsigned level, unsigned version, const std::string& label) {
  if (level == 0 && version == 0) return;
  if (level == 0 || version == 0)
    throw Error(ErrorKind::Usage, "a target SBML Level needs a Version and a Version needs a Level (got Level " +
                                      std::to_string(level) + " Version " + std::to_string(version) + ")");
  if (level == doc.getLevel() && version == doc.getVersion()) return;
  const std::string target = "Level " + std::to_string(level) + " Version " + std::to_string(version);
  SBML_NS SBMLNamespaces probe(level, version);
  if (!probe.isValidCombination())
    throw Error(ErrorKind::Usage, "SBML has no " + target);
  doc.getErrorLog()->clearLog();
  // Strict: the converted document must mean exactly what the original meant, or nothing is
  // converted and libSBML logs why.
  const bool ok = doc.setLevelAndVersion(level, version, true);
  if (!ok || doc.getLevel() != level || doc.getVersion() != version) {
    std::string why = logged_errors(doc);
    if (why.empty()) why = "  libSBML gave no reason";
    throw Error(ErrorKind::Unsupported, label + ": cannot convert the model to SBML " + target +
                                            " without loss; libSBML reports what cannot be represented:\n" + why);
  }
}

// ---- external model definitions ----

// Relative sources of external model definitions are relative to the document; rewritten so
// that the exported document, written elsewhere, still finds the same files.
void rebase_external_sources(SBML_NS SBMLDocument& doc, const std::string& in_path, const std::string& out_path) {
  auto* comp_doc = dynamic_cast<SBML_NS CompSBMLDocumentPlugin*>(doc.getPlugin("comp"));
  if (!comp_doc) return;
  const fs::path in_dir = fs::absolute(in_path).parent_path();
  const fs::path out_dir = fs::absolute(out_path).parent_path();
  if (fs::weakly_canonical(in_dir) == fs::weakly_canonical(out_dir)) return;
  for (unsigned i = 0; i < comp_doc->getNumExternalModelDefinitions(); ++i) {
    SBML_NS ExternalModelDefinition* e = comp_doc->getExternalModelDefinition(i);
    std::string src = e->getSource();
    if (src.rfind("file:", 0) == 0 && src.rfind("file:/", 0) != 0) src = src.substr(5);
    if (src.empty() || src.find("://") != std::string::npos || src.rfind("file:", 0) == 0 || src[0] == '/') continue;
    const fs::path target = fs::weakly_canonical(in_dir / src);
    e->setSource(fs::relative(target, fs::weakly_canonical(out_dir)).generic_string());
  }
}

// ---- checking and writing ----

std::string to_text(const SBML_NS SBMLDocument& doc) {
  SBML_NS SBMLWriter writer;
  std::unique_ptr<char, decltype(&std::free)> text(writer.writeSBMLToString(&doc), &std::free);
  if (!text) throw Error(ErrorKind::InvalidSbml, "libSBML could not write the document");
  return text.get();
}

// The checks `axisim simulate` makes on what it reads, on the document about to be written.
void check_written(const std::string& text, const std::string& location, const std::string& label) {
  SBML_NS SBMLReader reader;
  std::unique_ptr<SBML_NS SBMLDocument> doc(reader.readSBMLFromString(text));
  if (!doc) throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not read back the exported document");
  doc->setLocationURI("file:" + fs::absolute(location).string());
  if (doc->getModel() != nullptr && doc->getNumErrors(LIBSBML_SEV_FATAL) == 0) {
    doc->setConsistencyChecks(SBML_NS LIBSBML_CAT_UNITS_CONSISTENCY, false);
    doc->setConsistencyChecks(SBML_NS LIBSBML_CAT_MODELING_PRACTICE, false);
    doc->checkConsistency();
  }
  std::string errors = detail::describe_errors(*doc, LIBSBML_SEV_ERROR);
  if (doc->getModel() == nullptr && errors.empty()) errors = "the document has no model";
  if (!errors.empty())
    throw Error(ErrorKind::InvalidSbml,
                label + ": refusing to write an invalid document; libSBML finds these errors in it:\n" + errors);
}

void write_atomically(const std::string& text, const std::string& out_path) {
  // A name no other writer uses (process, call), created exclusively; the umask applies.
  static std::atomic<unsigned long> counter{0};
  const std::string tmp = out_path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(ErrorKind::Io, out_path + ": cannot write: " + std::strerror(errno));
  auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot write: " + why);
  };
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot write: " + why);
  }
  if (::rename(tmp.c_str(), out_path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot rename the finished file into place: " + why);
  }
}

std::string build(const std::string& in_path, const std::string& location, const ExportOptions& options,
                  bool rebase) {
  const std::string label = in_path;
  auto doc = detail::read_sbml(detail::SbmlSource{{}, in_path}, /*validate=*/false);
  if (options.flatten) flatten(*doc, label);
  if (rebase && !options.flatten) rebase_external_sources(*doc, in_path, location);
  // The runtime's view of the input with the new values, made only when needed.
  std::optional<axisim::Model> sim;
  auto simulator = [&]() -> const axisim::Model& {
    if (!sim) {
      sim = axisim::Model::from_file(in_path);
      for (const auto& [id, value] : options.set) sim->set_value(id, value);
    }
    return *sim;
  };
  for (const auto& [id, value] : options.set) apply_set(*doc, id, value, label, simulator);
  if (options.at_time) apply_at_time(*doc, *options.at_time, simulator, options.simulation, label);
  annotate_plugins(*doc->getModel(), options.plugins, label);
  convert_level_version(*doc, options.level, options.version, label);
  std::string text = to_text(*doc);
  check_written(text, location, label);
  return text;
}

}  // namespace

void export_sbml(const std::string& in_path, const std::string& out_path, const ExportOptions& options) {
  if (out_path.empty()) throw Error(ErrorKind::Usage, "export needs an output file");
  const std::string text = build(in_path, out_path, options, /*rebase=*/true);
  write_atomically(text, out_path);
  spdlog::debug("wrote {} ({} bytes)", out_path, text.size());
}

std::string export_sbml_string(const std::string& in_path, const ExportOptions& options) {
  return build(in_path, in_path, options, /*rebase=*/false);
}

}  // namespace axisim
