// sbml_export.cpp — axisim::export_sbml: the document read by libSBML, changed only where the
// options ask, checked, and written back by libSBML. See docs/interchange.md.
#include "axisim/csv.hpp"
#include "axisim/export.hpp"
#include "axisim/plugin_host.hpp"

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
#include <mutex>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "sbml/sbml_document.hpp"

namespace axisim {
namespace {

namespace fs = std::filesystem;

using SbmlModel = SBML_NS Model;

// libSBML's converters are not thread-safe: level/version conversion evaluates initial
// assignments through SBMLTransforms' process-wide value table, and comp instantiation
// (flattening, comp validation) runs callbacks from a process-wide list that a flattening fills
// with its own state. Exports in several threads take turns for these steps.
using detail::uses_comp;

std::recursive_mutex& conversion_mutex() { return detail::libsbml_mutex(); }

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

// Errors of at least `severity` in the document's log (one per line), conversion errors included.
// The same message given for many elements is listed once.
std::string logged_errors(const SBML_NS SBMLDocument& doc) {
  std::string out;
  std::set<std::string> seen;
  for (unsigned i = 0; i < doc.getNumErrors(); ++i) {
    const SBML_NS SBMLError* e = doc.getError(i);
    if (e->getSeverity() < LIBSBML_SEV_ERROR) continue;
    std::string msg = e->getMessage();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    std::string line = "  " + std::string(e->getShortMessage()) + ": " + msg;
    if (!seen.insert(line).second) continue;
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
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

// Calls visit(math, description) for every piece of math in the model but initial assignments,
// until it returns true; returns that description, or "" if it never does.
std::string find_math(const SbmlModel& m, const std::function<bool(const SBML_NS ASTNode*)>& visit) {
  std::string found;
  auto check = [&](const SBML_NS ASTNode* math, const std::string& where) {
    if (found.empty() && math && visit(math)) found = where;
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

std::string time_text(double t) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", t);
  return buf;
}

bool calls_delay(const SBML_NS ASTNode* n) {
  if (!n) return false;
  if (n->getType() == SBML_NS AST_FUNCTION_DELAY) return true;
  for (unsigned i = 0; i < n->getNumChildren(); ++i)
    if (calls_delay(n->getChild(i))) return true;
  return false;
}

std::string element_calling_delay(const SbmlModel& m) { return find_math(m, calls_delay); }

bool reads_time(const SBML_NS ASTNode* n) {
  if (!n) return false;
  if (n->getType() == SBML_NS AST_NAME_TIME) return true;
  for (unsigned i = 0; i < n->getNumChildren(); ++i)
    if (reads_time(n->getChild(i))) return true;
  return false;
}

// (time + T), with `time` named as the original node names it.
SBML_NS ASTNode* shifted_time(const SBML_NS ASTNode& time, double t) {
  auto* plus = new SBML_NS ASTNode(SBML_NS AST_PLUS);
  plus->addChild(time.deepCopy());
  auto* offset = new SBML_NS ASTNode(SBML_NS AST_REAL);
  offset->setValue(t);
  plus->addChild(offset);
  return plus;
}

void replace_time(SBML_NS ASTNode& n, double t) {
  for (unsigned i = 0; i < n.getNumChildren(); ++i) {
    SBML_NS ASTNode* c = n.getChild(i);
    if (c->getType() == SBML_NS AST_NAME_TIME) n.replaceChild(i, shifted_time(*c, t), /*delreplaced=*/true);
    else replace_time(*c, t);
  }
}

// Sets element.math to a copy of it with time shifted by t, if it reads time.
template <class Element>
void shift_math(Element* e, double t, std::size_t& count) {
  if (!e || !e->isSetMath() || !reads_time(e->getMath())) return;
  std::unique_ptr<SBML_NS ASTNode> math(e->getMath()->deepCopy());
  if (math->getType() == SBML_NS AST_NAME_TIME) math.reset(shifted_time(*math, t));
  else replace_time(*math, t);
  e->setMath(math.get());
  ++count;
}

void shift_time(SbmlModel& m, double t, const std::string& label) {
  std::size_t count = 0;
  for (unsigned i = 0; i < m.getNumFunctionDefinitions(); ++i) shift_math(m.getFunctionDefinition(i), t, count);
  for (unsigned i = 0; i < m.getNumRules(); ++i) shift_math(m.getRule(i), t, count);
  for (unsigned i = 0; i < m.getNumReactions(); ++i) {
    SBML_NS Reaction* r = m.getReaction(i);
    if (r->isSetKineticLaw()) shift_math(r->getKineticLaw(), t, count);
    for (unsigned j = 0; j < r->getNumReactants() + r->getNumProducts(); ++j) {
      SBML_NS SpeciesReference* sr = j < r->getNumReactants() ? r->getReactant(j) : r->getProduct(j - r->getNumReactants());
      if (sr->isSetStoichiometryMath()) shift_math(sr->getStoichiometryMath(), t, count);
    }
  }
  for (unsigned i = 0; i < m.getNumEvents(); ++i) {
    SBML_NS Event* e = m.getEvent(i);
    if (e->isSetTrigger()) shift_math(e->getTrigger(), t, count);
    if (e->isSetDelay()) shift_math(e->getDelay(), t, count);
    if (e->isSetPriority()) shift_math(e->getPriority(), t, count);
    for (unsigned j = 0; j < e->getNumEventAssignments(); ++j) shift_math(e->getEventAssignment(j), t, count);
  }
  for (unsigned i = 0; i < m.getNumConstraints(); ++i) shift_math(m.getConstraint(i), t, count);
  if (count > 0)
    spdlog::info("{}: time in {} math element(s) is written as (time + {}): the exported model starts at t = 0", label,
                 count, time_text(t));
}

bool reads_name(const SBML_NS ASTNode* n, const std::string& id) {
  if (!n) return false;
  if (n->isName() && n->getName() && id == n->getName()) return true;
  for (unsigned i = 0; i < n->getNumChildren(); ++i)
    if (reads_name(n->getChild(i), id)) return true;
  return false;
}

bool is_event_target(const SbmlModel& m, const std::string& id) {
  for (unsigned i = 0; i < m.getNumEvents(); ++i)
    if (m.getEvent(i)->getEventAssignment(id) != nullptr) return true;
  return false;
}

// A symbol whose value at T becomes its initial value, and how it is written.
struct StateEntry {
  std::string id;
  SymbolKind kind;
  SpeciesQuantity quantity = SpeciesQuantity::Amount;  // species only
};

void apply_at_time(SBML_NS SBMLDocument& doc, double t, const Simulator& simulator, const SimulationOptions& options,
                   const std::string& label, std::vector<PluginRecord>& plugins) {
  if (!std::isfinite(t) || t < 0)
    throw Error(ErrorKind::Usage, "--at-time must be a finite time >= 0 (got " + time_text(t) + ")");
  if (uses_comp(doc))
    throw Error(ErrorKind::Unsupported,
                label + ": --at-time on a hierarchical (comp) model needs --flatten: the state at T belongs to "
                        "the flat model's elements");
  SbmlModel& m = *doc.getModel();
  if (const std::string where = element_calling_delay(m); !where.empty())
    throw Error(ErrorKind::Unsupported,
                label + ": cannot export the state at t = " + time_text(t) + " as an initial state: the " + where +
                    " calls delay(), whose values before t = " + time_text(t) +
                    " an SBML model cannot state as its initial state (see docs/interchange.md)");
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
  // The plugins' states at T become their initial states in the record.
  const std::size_t model_columns = outputs.size();
  for (const Model::AttachedPlugin& p : sim.plugins())
    for (const std::string& state : p.states) outputs.push_back({p.name + "." + state});

  SimulationOptions run = options;
  run.start = t;
  run.end = t;
  run.steps = 0;
  const Result r = sim.simulate(run, outputs);
  if (!r.error.empty()) throw Error(ErrorKind::Plugin, label + ": " + r.error);
  const std::span<const double> state = r.row(r.rows() - 1);
  for (std::size_t c = model_columns; c < outputs.size(); ++c) {
    const std::string& column = outputs[c].id;
    for (PluginRecord& p : plugins)
      if (column.rfind(p.name + ".", 0) == 0) p.states[column.substr(p.name.size() + 1)] = state[c + 1];
  }

  for (std::size_t i = 0; i < entries.size(); ++i) {
    const StateEntry& e = entries[i];
    const double v = state[i + 1];  // column 0 is time
    if (!std::isfinite(v))
      throw Error(ErrorKind::Solver, label + ": the value of '" + e.id + "' at t = " + time_text(t) +
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

  // The exported model starts at t = 0 where the original was at T: time in its math becomes
  // (time + T), so that every expression has the value it had in the original run.
  if (t != 0) shift_time(m, t, label);

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
    for (const auto& [element, values] : {std::pair{"parameter", &p.parameters}, std::pair{"state", &p.states}})
      for (const auto& [name, value] : *values) {
        SBML_NS XMLAttributes pa;
        pa.add("name", name);
        pa.add("value", number_text(value));
        SBML_NS XMLNode child(SBML_NS XMLTriple(element, kPluginAnnotationNs, "axisim"), pa);
        plugin.addChild(child);
      }
    root.addChild(plugin);
  }
  // A document exported before keeps one record only: the new one replaces it.
  if (m.isSetAnnotation()) m.removeTopLevelAnnotationElement("plugins", kPluginAnnotationNs);
  if (m.appendAnnotation(&root) != LIBSBML_OPERATION_SUCCESS)
    throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not add the axisim plugins annotation to the model");
}

// ---- conversion factors, for Levels 1 and 2 ----

// Levels 1 and 2 have no conversion factors. A species' conversion factor f multiplies every
// reaction's contribution to its rate of change (dS/dt = f * sum(stoichiometry * rate)), so when
// f and the stoichiometries are constants the same dynamics are written by multiplying each of
// the species' stoichiometries by f. Anything else (a factor that changes or is computed, a
// stoichiometry that changes or has an id other math may read) is left for libSBML to refuse.
void fold_conversion_factors(SbmlModel& m, const std::string& label) {
  auto factor_of = [&](const SBML_NS Species& s) -> std::string {
    if (s.isSetConversionFactor()) return s.getConversionFactor();
    return m.isSetConversionFactor() ? m.getConversionFactor() : std::string();
  };
  auto constant_value = [&](const std::string& id, double& value) {
    const SBML_NS Parameter* p = m.getParameter(id);
    if (!p || !p->getConstant() || !p->isSetValue() || m.getInitialAssignmentBySymbol(id) != nullptr) return false;
    value = p->getValue();
    return true;
  };
  // First check that every fold is sound, then fold: all or nothing.
  struct Fold {
    SBML_NS SpeciesReference* ref;
    double factor;
  };
  std::vector<Fold> folds;
  for (unsigned i = 0; i < m.getNumReactions(); ++i) {
    SBML_NS Reaction* r = m.getReaction(i);
    for (unsigned j = 0; j < r->getNumReactants() + r->getNumProducts(); ++j) {
      SBML_NS SpeciesReference* sr = j < r->getNumReactants() ? r->getReactant(j) : r->getProduct(j - r->getNumReactants());
      const SBML_NS Species* s = m.getSpecies(sr->getSpecies());
      if (!s) continue;
      const std::string f = factor_of(*s);
      if (f.empty()) continue;
      double value = 0;
      if (!constant_value(f, value)) {
        spdlog::debug("{}: conversion factor {} is not a constant parameter with a value; not folded", label, quoted(f));
        return;
      }
      const std::string id = sr->isSetId() ? sr->getId() : std::string();
      const bool read_elsewhere =
          !id.empty() && (m.getInitialAssignmentBySymbol(id) != nullptr || m.getRuleByVariable(id) != nullptr ||
                          is_event_target(m, id) ||
                          !find_math(m, [&](const SBML_NS ASTNode* math) { return reads_name(math, id); }).empty());
      if (read_elsewhere || !sr->isSetStoichiometry() || sr->isSetStoichiometryMath() ||
          (sr->isSetConstant() && !sr->getConstant())) {
        spdlog::debug("{}: the stoichiometry of {} in reaction {} is not a plain constant; conversion factors not folded",
                      label, quoted(s->getId()), quoted(r->getId()));
        return;
      }
      folds.push_back({sr, value});
    }
  }
  for (const Fold& f : folds) f.ref->setStoichiometry(f.ref->getStoichiometry() * f.factor);
  for (unsigned i = 0; i < m.getNumSpecies(); ++i) m.getSpecies(i)->unsetConversionFactor();
  m.unsetConversionFactor();
  spdlog::info("{}: conversion factors folded into {} stoichiometries (Levels 1 and 2 have no conversion factors)",
               label, folds.size());
}

// Levels 1 and 2 cannot give a species reference's stoichiometry by an initial assignment (its
// id cannot appear in math before Level 3). A constant stoichiometry that no other math reads
// is written as its value at time 0, which axisim computes; the dependence on the parameters it
// was computed from is lost (see docs/interchange.md). Others are left for libSBML to refuse.
void literal_stoichiometries(SbmlModel& m, const Simulator& simulator, const std::string& label) {
  for (unsigned i = 0; i < m.getNumReactions(); ++i) {
    SBML_NS Reaction* r = m.getReaction(i);
    for (unsigned j = 0; j < r->getNumReactants() + r->getNumProducts(); ++j) {
      SBML_NS SpeciesReference* sr = j < r->getNumReactants() ? r->getReactant(j) : r->getProduct(j - r->getNumReactants());
      if (!sr->isSetId() || m.getInitialAssignmentBySymbol(sr->getId()) == nullptr) continue;
      const std::string id = sr->getId();
      if ((sr->isSetConstant() && !sr->getConstant()) || m.getRuleByVariable(id) != nullptr || is_event_target(m, id) ||
          !find_math(m, [&](const SBML_NS ASTNode* math) { return reads_name(math, id); }).empty())
        continue;
      const double v = simulator().initial_value(id);
      sr->setStoichiometry(v);
      delete m.removeInitialAssignment(id);
      spdlog::info("{}: the stoichiometry {} (an initial assignment) is written as its value at time 0, {}", label,
                   quoted(id), v);
    }
  }
}

bool has_conversion_factors(const SbmlModel& m) {
  if (m.isSetConversionFactor()) return true;
  for (unsigned i = 0; i < m.getNumSpecies(); ++i)
    if (m.getSpecies(i)->isSetConversionFactor()) return true;
  return false;
}

// ---- level and version ----

void convert_level_version(SBML_NS SBMLDocument& doc, unsigned level, unsigned version, const Simulator& simulator,
                           const std::string& label) {
  if (level == 0 && version == 0) return;
  if (level == 0 || version == 0)
    throw Error(ErrorKind::Usage, "a target SBML Level needs a Version and a Version needs a Level (got Level " +
                                      std::to_string(level) + " Version " + std::to_string(version) + ")");
  if (level == doc.getLevel() && version == doc.getVersion()) return;
  const std::string target = "Level " + std::to_string(level) + " Version " + std::to_string(version);
  SBML_NS SBMLNamespaces probe(level, version);
  if (!probe.isValidCombination())
    throw Error(ErrorKind::Usage, "SBML has no " + target);
  if (level < 3 && doc.getLevel() >= 3) literal_stoichiometries(*doc.getModel(), simulator, label);
  if (level < 3 && doc.getLevel() >= 3 && has_conversion_factors(*doc.getModel()))
    fold_conversion_factors(*doc.getModel(), label);
  std::lock_guard lock(conversion_mutex());
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
    std::unique_lock<std::recursive_mutex> lock;
    if (uses_comp(*doc)) lock = std::unique_lock(conversion_mutex());
    doc->checkConsistency();
  }
  std::string errors = detail::describe_errors(*doc, LIBSBML_SEV_ERROR);
  if (doc->getModel() == nullptr && errors.empty()) errors = "the document has no model";
  if (!errors.empty())
    throw Error(ErrorKind::InvalidSbml,
                label + ": refusing to write an invalid document; libSBML finds these errors in it:\n" + errors);
}


std::string build(const std::string& in_path, const std::string& location, const ExportOptions& options,
                  bool rebase) {
  const std::string label = in_path;
  auto doc = detail::read_sbml(detail::SbmlSource{{}, in_path}, /*validate=*/false);
  if (options.flatten) detail::flatten_comp(*doc, label);
  if (rebase && !options.flatten) rebase_external_sources(*doc, in_path, location);
  // The runtime's view of the input with the new values, made only when needed.
  std::optional<axisim::Model> sim;
  auto simulator = [&]() -> const axisim::Model& {
    if (!sim) {
      sim = axisim::Model::from_file(in_path);
      for (const auto& [id, value] : options.set) sim->set_value(id, value);
      // The run to `at_time` is the coupled run: the plugins take part in it.
      for (const PluginRecord& p : options.plugins)
        sim->attach(Plugin::load(p.path.empty() ? p.name : p.path),
                    std::vector<std::pair<std::string, double>>(p.parameters.begin(), p.parameters.end()), p.states);
    }
    return *sim;
  };
  std::vector<PluginRecord> records = options.plugins;
  for (const auto& [id, value] : options.set) apply_set(*doc, id, value, label, simulator);
  if (options.at_time) apply_at_time(*doc, *options.at_time, simulator, options.simulation, label, records);
  annotate_plugins(*doc->getModel(), records, label);
  convert_level_version(*doc, options.level, options.version, simulator, label);
  std::string text = to_text(*doc);
  check_written(text, location, label);
  return text;
}

}  // namespace

void export_sbml(const std::string& in_path, const std::string& out_path, const ExportOptions& options) {
  if (out_path.empty()) throw Error(ErrorKind::Usage, "export needs an output file");
  const std::string text = build(in_path, out_path, options, /*rebase=*/true);
  write_file_atomic(out_path, text);
  spdlog::debug("wrote {} ({} bytes)", out_path, text.size());
}

std::string export_sbml_string(const std::string& in_path, const ExportOptions& options) {
  return build(in_path, in_path, options, /*rebase=*/false);
}

}  // namespace axisim
