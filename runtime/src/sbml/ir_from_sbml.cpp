#include "sbml/ir_from_sbml.hpp"
#include "sbml/units_sbml.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "ir/undefined_values.hpp"

namespace axisim::detail {
namespace {

// SBML Level 3's value of Avogadro's number (the csymbol avogadro).
constexpr double kAvogadro = 6.02214179e23;
// Function definitions calling each other deeper than this are cyclic (invalid SBML).
constexpr int kMaxInlineDepth = 64;
// kMaxMathDepth and kMaxMathNodes (axisim/input_limits.hpp) are checked on the document when it
// is read (check_math_limits); they are checked again here, as the trees are built, because
// converting, compiling and destroying them is recursive.

[[noreturn]] void unsupported(const std::string& label, const std::string& what) {
  throw Error(ErrorKind::Unsupported, label + ": unsupported: " + what);
}
[[noreturn]] void invalid(const std::string& label, const std::string& what) {
  throw Error(ErrorKind::InvalidSbml, label + ": invalid SBML: " + what);
}

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// Height and node count of a tree, without recursion (the tree may be what is too deep).
struct TreeSize {
  std::size_t height = 0, nodes = 0;
};
TreeSize tree_size(const Expr& root) {
  TreeSize out;
  std::vector<std::pair<const Expr*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    const auto [e, depth] = stack.back();
    stack.pop_back();
    ++out.nodes;
    out.height = std::max(out.height, depth);
    for (const Expr& a : e->args) stack.emplace_back(&a, depth + 1);
  }
  return out;
}

// Refuses, before conversion, what Level 3 Version 2 conversion would hide or what the runtime
// does not simulate yet. Each message names the element.
void refuse_unsupported(SBML_NS SBMLDocument& doc, const std::string& label) {
  const SBML_NS Model& m = *doc.getModel();
  if (uses_package(doc, "qual"))
    unsupported(label, "qualitative models (the 'qual' package: logical networks of discrete levels) are not "
                       "time courses of ODEs: run them with a logical updating scheme (axisim simulate --method "
                       "synchronous|asynchronous|sequential, or axisim::LogicalModel; docs/logical.md)");
  // A document may declare a package without using it; refuse only what is really there.
  auto* fbc_model = dynamic_cast<const SBML_NS FbcModelPlugin*>(m.getPlugin("fbc"));
  if (fbc_model && (fbc_model->getNumObjectives() + fbc_model->getNumFluxBounds()) > 0) {
    unsupported(label, "flux balance constraints (the 'fbc' package) need a flux balance solver, "
                       "not a time-course simulation: use axisim fba");
  }
}

class Builder {
 public:
  Builder(const SBML_NS Model& m, std::string label, unsigned original_level, std::set<std::string> fast)
      : m_(m), label_(std::move(label)), original_level_(original_level), fast_(std::move(fast)) {}

  ModelIR build() {
    ir_.id = m_.getId();
    ir_.source = label_;
    for (unsigned i = 0; i < m_.getNumFunctionDefinitions(); ++i) {
      const SBML_NS FunctionDefinition* f = m_.getFunctionDefinition(i);
      functions_[f->getId()] = f;
    }
    add_compartments();
    add_parameters();
    add_species();
    add_reaction_symbols();
    add_units();
    resolve_conversion_factors();
    add_reactions();
    add_rules();
    add_initial_assignments();
    add_events();
    read_plugin_records();
    if (m_.getNumConstraints() > 0)
      spdlog::info("{}: {} constraint(s) are not checked during simulation", label_, m_.getNumConstraints());
    ir_.undefined = find_undefined(ir_);
    return std::move(ir_);
  }

 private:
  struct Bound {
    Expr expr;
    TreeSize size;
  };
  using Scope = std::map<std::string, Bound>;  // function arguments bound to expressions

  // Counts the formula's nesting while it is converted (see kMaxMathDepth).
  struct Nesting {
    explicit Nesting(std::size_t& depth) : depth_(depth) { ++depth_; }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    std::size_t& depth_;
  };
  [[noreturn]] void too_deep(const std::string& where) const {
    throw Error(ErrorKind::InvalidSbml,
                label_ + ": the math of " + where + " is nested more than " + std::to_string(kMaxMathDepth) +
                    " levels deep (function definitions inlined); axisim refuses formulas this deep because "
                    "compiling them would overflow the stack (a long sum or product written as nested binary "
                    "operations can be one n-ary <plus/> or <times/>)");
  }
  [[noreturn]] void too_large(const std::string& where) const {
    throw Error(ErrorKind::InvalidSbml,
                label_ + ": the model's formulas grow beyond " + std::to_string(kMaxMathNodes) +
                    " nodes when function definitions are inlined (reached in " + shorten(where) +
                    "); axisim refuses it rather than exhaust memory: nested calls of functions that use "
                    "their arguments more than once multiply the size at every level");
  }
  // Places inside nested function calls read "function 'f1' (called in function 'f2' (called in
  // ...": keep both ends.
  static std::string shorten(const std::string& where) {
    constexpr std::size_t kKeep = 100;
    if (where.size() <= 2 * kKeep + 5) return where;
    return where.substr(0, kKeep) + " ... " + where.substr(where.size() - kKeep);
  }
  // A copy of an already converted tree placed at the current nesting (a function argument).
  void account_copy(const TreeSize& size, const std::string& where) {
    if (math_depth_ - 1 + size.height > kMaxMathDepth) too_deep(where);
    nodes_ += size.nodes;
    if (nodes_ > kMaxMathNodes) too_large(where);
  }

  void add_compartments() {
    for (unsigned i = 0; i < m_.getNumCompartments(); ++i) {
      const SBML_NS Compartment* c = m_.getCompartment(i);
      Symbol s;
      s.id = c->getId();
      s.kind = SymbolKind::Compartment;
      s.value = c->isSetSize() ? c->getSize() : kUnset;
      s.constant = c->getConstant();
      s.spatial_dimensions = c->isSetSpatialDimensions() ? c->getSpatialDimensionsAsDouble() : 3.0;
      const std::uint32_t index = ir_.add_symbol(std::move(s));
      if (!c->isSetSize()) ir_.no_value.push_back(index);
    }
  }

  void add_parameters() {
    for (unsigned i = 0; i < m_.getNumParameters(); ++i) {
      const SBML_NS Parameter* p = m_.getParameter(i);
      Symbol s;
      s.id = p->getId();
      s.kind = SymbolKind::Parameter;
      s.value = p->isSetValue() ? p->getValue() : kUnset;
      s.constant = p->getConstant();
      const std::uint32_t index = ir_.add_symbol(std::move(s));
      if (!p->isSetValue()) ir_.no_value.push_back(index);
    }
  }

  void add_species() {
    for (unsigned i = 0; i < m_.getNumSpecies(); ++i) {
      const SBML_NS Species* sp = m_.getSpecies(i);
      Symbol s;
      s.id = sp->getId();
      s.kind = SymbolKind::Species;
      s.compartment = global(sp->getCompartment(), "compartment of species " + in_quotes(sp->getId()));
      if (ir_.symbols[s.compartment].kind != SymbolKind::Compartment)
        invalid(label_, "species " + in_quotes(sp->getId()) + " names " + in_quotes(sp->getCompartment()) +
                            ", which is not a compartment");
      if (sp->isSetInitialAmount()) {
        s.value = sp->getInitialAmount();
      } else if (sp->isSetInitialConcentration()) {
        s.value = sp->getInitialConcentration();
        s.initial_is_concentration = true;
      }
      s.has_only_substance_units = sp->getHasOnlySubstanceUnits();
      // Before Level 3, a species in a zero-dimensional compartment has no concentration: its
      // symbol always means its amount.
      if (original_level_ < 3 && ir_.symbols[s.compartment].spatial_dimensions == 0.0) s.has_only_substance_units = true;
      s.boundary_condition = sp->getBoundaryCondition();
      s.constant = sp->getConstant();
      s.items_per_substance = items_per_substance(*sp);
      const std::uint32_t index = ir_.add_symbol(std::move(s));
      if (!sp->isSetInitialAmount() && !sp->isSetInitialConcentration()) ir_.no_value.push_back(index);
    }
  }

  // Molecules per unit of a species' substance (Symbol::items_per_substance): the species' own
  // substanceUnits, else the model's; a unit definition of one mole or item unit (with its
  // multiplier and scale), or the base units themselves.
  double items_per_substance(const SBML_NS Species& sp) const {
    const std::string id = sp.isSetSubstanceUnits() ? sp.getSubstanceUnits()
                           : m_.isSetSubstanceUnits() ? m_.getSubstanceUnits() : "";
    if (id.empty() || id == "item" || id == "dimensionless") return 1.0;
    if (id == "mole") return kAvogadro;
    const SBML_NS UnitDefinition* ud = m_.getUnitDefinition(id);
    if (ud == nullptr || ud->getNumUnits() != 1) return 1.0;
    const SBML_NS Unit* u = ud->getUnit(0);
    if (u->getExponent() != 1.0) return 1.0;
    const double factor = u->getMultiplier() * std::pow(10.0, u->getScale());
    if (u->getKind() == SBML_NS UNIT_KIND_MOLE) return kAvogadro * factor;
    if (u->getKind() == SBML_NS UNIT_KIND_ITEM) return factor;
    return 1.0;
  }

  // Symbol::units and the model's unit definitions, as declared (the element's own units, else
  // the model's defaults), for plugins' declared units; converted to SI only when a plugin asks
  // (sbml/units.cpp). Empty where the document does not say.
  void add_units() {
    for (unsigned i = 0; i < m_.getNumUnitDefinitions(); ++i) {
      const SBML_NS UnitDefinition* ud = m_.getUnitDefinition(i);
      DeclaredUnits d;
      d.id = ud->getId();
      for (unsigned k = 0; k < ud->getNumUnits(); ++k) {
        const SBML_NS Unit* u = ud->getUnit(k);
        d.factors.push_back({static_cast<int>(u->getKind()), u->getExponentAsDouble(), u->getScale(), u->getMultiplier()});
      }
      ir_.unit_definitions.push_back(std::move(d));
    }
    ir_.time_units = m_.getTimeUnits();
    auto compartment_units = [&](const SBML_NS Compartment& c) -> const std::string& {
      static const std::string none;
      if (c.isSetUnits()) return c.getUnits();
      const double d = c.isSetSpatialDimensions() ? c.getSpatialDimensionsAsDouble() : 3.0;
      return d == 3.0 ? m_.getVolumeUnits() : d == 2.0 ? m_.getAreaUnits() : d == 1.0 ? m_.getLengthUnits() : none;
    };
    for (Symbol& s : ir_.symbols) {
      if (s.kind == SymbolKind::Compartment) {
        if (const SBML_NS Compartment* c = m_.getCompartment(s.id)) s.units = compartment_units(*c);
      } else if (s.kind == SymbolKind::Parameter) {
        if (const SBML_NS Parameter* p = m_.getParameter(s.id); p && p->isSetUnits()) s.units = p->getUnits();
      } else if (s.kind == SymbolKind::Species) {
        if (const SBML_NS Species* sp = m_.getSpecies(s.id))
          s.units = sp->isSetSubstanceUnits() ? sp->getSubstanceUnits() : m_.getSubstanceUnits();
      }
    }
  }

  void add_reaction_symbols() {
    for (unsigned i = 0; i < m_.getNumReactions(); ++i) {
      Symbol s;
      s.id = m_.getReaction(i)->getId();
      s.kind = SymbolKind::Reaction;
      s.constant = false;
      ir_.add_symbol(std::move(s));
      // Species references with ids are symbols too: math may read them and rules may set them.
      const SBML_NS Reaction* r = m_.getReaction(i);
      for (const SBML_NS ListOfSpeciesReferences* list : {r->getListOfReactants(), r->getListOfProducts()})
        for (unsigned j = 0; j < list->size(); ++j) {
          const auto* sr = static_cast<const SBML_NS SpeciesReference*>(list->get(j));
          if (!sr->isSetId()) continue;
          Symbol ref;
          ref.id = sr->getId();
          ref.kind = SymbolKind::SpeciesReference;
          ref.value = sr->isSetStoichiometry() ? sr->getStoichiometry() : kUnset;
          ref.constant = sr->getConstant();
          const std::uint32_t index = ir_.add_symbol(std::move(ref));
          if (!sr->isSetStoichiometry()) ir_.no_value.push_back(index);
        }
    }
  }

  void resolve_conversion_factors() {
    if (m_.isSetConversionFactor())
      ir_.conversion_factor = global(m_.getConversionFactor(), "the model's conversionFactor");
    for (unsigned i = 0; i < m_.getNumSpecies(); ++i) {
      const SBML_NS Species* sp = m_.getSpecies(i);
      if (sp->isSetConversionFactor())
        ir_.symbols[global(sp->getId(), "species")].conversion_factor =
            global(sp->getConversionFactor(), "conversionFactor of species " + in_quotes(sp->getId()));
    }
  }

  void add_reactions() {
    for (unsigned i = 0; i < m_.getNumReactions(); ++i) {
      const SBML_NS Reaction* r = m_.getReaction(i);
      const std::string where = "reaction " + in_quotes(r->getId());
      Reaction out;
      out.symbol = global(r->getId(), where);
      if (!r->isSetKineticLaw() || !r->getKineticLaw()->isSetMath())
        unsupported(label_, where + " has no kinetic law, so its rate is unknown");
      const SBML_NS KineticLaw* kl = r->getKineticLaw();
      local_.clear();
      for (unsigned j = 0; j < kl->getNumLocalParameters(); ++j) {
        const SBML_NS LocalParameter* p = kl->getLocalParameter(j);
        Symbol s;
        s.id = r->getId() + "." + p->getId();
        s.kind = SymbolKind::LocalParameter;
        s.value = p->isSetValue() ? p->getValue() : kUnset;
        local_[p->getId()] = ir_.add_symbol(std::move(s));
        if (!p->isSetValue()) ir_.no_value.push_back(local_[p->getId()]);
      }
      out.rate = convert(kl->getMath(), "kinetic law of " + where);
      local_.clear();
      out.reactants = references(r->getListOfReactants(), where);
      out.products = references(r->getListOfProducts(), where);
      out.fast = fast_.count(r->getId()) > 0;
      ir_.reactions.push_back(std::move(out));
    }
  }

  std::vector<SpeciesReference> references(const SBML_NS ListOfSpeciesReferences* list, const std::string& where) {
    std::vector<SpeciesReference> out;
    for (unsigned j = 0; j < list->size(); ++j) {
      const auto* sr = static_cast<const SBML_NS SpeciesReference*>(list->get(j));
      SpeciesReference ref;
      ref.species = global(sr->getSpecies(), "species reference of " + where);
      if (ir_.symbols[ref.species].kind != SymbolKind::Species)
        invalid(label_, where + " refers to " + in_quotes(sr->getSpecies()) + ", which is not a species");
      if (sr->isSetId()) ref.symbol = global(sr->getId(), where);
      else if (sr->isSetStoichiometry()) ref.stoichiometry = sr->getStoichiometry();
      // An unset stoichiometry without an id has no value in Level 3; 1 is what Level 2 meant.
      out.push_back(ref);
    }
    return out;
  }

  void add_rules() {
    for (unsigned i = 0; i < m_.getNumRules(); ++i) {
      const SBML_NS Rule* r = m_.getRule(i);
      const std::string where = r->isAlgebraic() ? "algebraic rule #" + std::to_string(i + 1)
                                : (r->isRate() ? "rate rule for " : "assignment rule for ") + in_quotes(r->getVariable());
      if (!r->isSetMath()) {  // Level 3 Version 2: a rule without math has no effect
        spdlog::warn("{}: {} has no math and is ignored", label_, where);
        continue;
      }
      if (r->isAlgebraic()) {
        ir_.algebraic_rules.push_back(convert(r->getMath(), where));
        continue;
      }
      Rule rule{global(r->getVariable(), where), convert(r->getMath(), where)};
      (r->isRate() ? ir_.rate_rules : ir_.assignment_rules).push_back(std::move(rule));
    }
  }

  void add_initial_assignments() {
    for (unsigned i = 0; i < m_.getNumInitialAssignments(); ++i) {
      const SBML_NS InitialAssignment* a = m_.getInitialAssignment(i);
      const std::string where = "initial assignment to " + in_quotes(a->getSymbol());
      if (!a->isSetMath()) {  // Level 3 Version 2: an initial assignment without math has no effect
        spdlog::warn("{}: {} has no math and is ignored", label_, where);
        continue;
      }
      ir_.initial_assignments.push_back(Rule{global(a->getSymbol(), where), convert(a->getMath(), where)});
    }
  }

  void add_events() {
    for (unsigned i = 0; i < m_.getNumEvents(); ++i) {
      const SBML_NS Event* e = m_.getEvent(i);
      Event out;
      out.id = e->isSetId() ? e->getId() : "#" + std::to_string(i + 1);
      const std::string where = "event " + in_quotes(out.id);
      const SBML_NS Trigger* t = e->getTrigger();
      if (t == nullptr || !t->isSetMath()) {
        // Level 3 Version 2: an event without a trigger never fires.
        spdlog::warn("{}: {} has no trigger math and never fires", label_, where);
        continue;
      }
      out.trigger = convert(t->getMath(), "trigger of " + where);
      out.initial_value = t->isSetInitialValue() ? t->getInitialValue() : true;
      out.persistent = t->isSetPersistent() ? t->getPersistent() : true;
      if (e->isSetDelay() && e->getDelay()->isSetMath()) out.delay = convert(e->getDelay()->getMath(), "delay of " + where);
      if (e->isSetPriority() && e->getPriority()->isSetMath())
        out.priority = convert(e->getPriority()->getMath(), "priority of " + where);
      out.use_values_from_trigger_time = e->getUseValuesFromTriggerTime();
      for (unsigned j = 0; j < e->getNumEventAssignments(); ++j) {
        const SBML_NS EventAssignment* a = e->getEventAssignment(j);
        const std::string in = "assignment to " + in_quotes(a->getVariable()) + " in " + where;
        if (!a->isSetMath()) {
          spdlog::warn("{}: {} has no math and is ignored", label_, in);
          continue;
        }
        out.assignments.push_back(EventAssignment{global(a->getVariable(), in), convert(a->getMath(), in)});
      }
      ir_.events.push_back(std::move(out));
    }
  }

  // Plugins recorded by `axisim export` (axisim/plugin_record.hpp). Other tools ignore this
  // annotation; so does axisim when it is malformed, with a warning.
  void read_plugin_records() {
    const SBML_NS XMLNode* annotation = m_.getAnnotation();
    if (annotation == nullptr) return;
    for (unsigned i = 0; i < annotation->getNumChildren(); ++i) {
      const SBML_NS XMLNode& plugins = annotation->getChild(i);
      if (plugins.getName() != "plugins" || plugins.getURI() != kPluginAnnotationNs) continue;
      for (unsigned j = 0; j < plugins.getNumChildren(); ++j) {
        const SBML_NS XMLNode& p = plugins.getChild(j);
        if (p.getName() != "plugin") continue;
        PluginRecord record;
        record.name = p.getAttrValue("name");
        record.version = p.getAttrValue("version");
        for (unsigned k = 0; k < p.getNumChildren(); ++k) {
          const SBML_NS XMLNode& v = p.getChild(k);
          const std::string name = v.getAttrValue("name"), text = v.getAttrValue("value");
          char* end = nullptr;
          const double value = std::strtod(text.c_str(), &end);
          if (name.empty() || text.empty() || *end != '\0') {
            spdlog::warn("{}: ignoring a malformed value in the axisim record of plugin '{}'", label_, record.name);
            continue;
          }
          if (v.getName() == "parameter") record.parameters[name] = value;
          else if (v.getName() == "state") record.states[name] = value;
        }
        if (record.name.empty()) spdlog::warn("{}: ignoring an axisim plugin record without a name", label_);
        else ir_.recorded_plugins.push_back(std::move(record));
      }
    }
  }

  std::uint32_t global(const std::string& id, const std::string& where) {
    auto found = ir_.index.find(id);
    if (found == ir_.index.end()) invalid(label_, where + " refers to unknown id " + in_quotes(id));
    return found->second;
  }

  Expr convert(const SBML_NS ASTNode* node, const std::string& where) {
    Scope none;
    return convert(node, where, none, 0);
  }

  std::vector<Expr> children(const SBML_NS ASTNode* n, const std::string& where, const Scope& scope, int depth) {
    std::vector<Expr> out;
    out.reserve(n->getNumChildren());
    for (unsigned i = 0; i < n->getNumChildren(); ++i) out.push_back(convert(n->getChild(i), where, scope, depth));
    return out;
  }

  Expr op(Op o, const SBML_NS ASTNode* n, const std::string& where, const Scope& scope, int depth) {
    return Expr::call(o, children(n, where, scope, depth));
  }

  Expr convert(const SBML_NS ASTNode* n, const std::string& where, const Scope& scope, int depth) {
    LIBSBML_CPP_NAMESPACE_USE
    // Count what the inlined tree will hold: a function call is replaced by the function's body,
    // and a use of an argument by a copy of it (account_copy), so neither is a node of its own.
    const bool call_node = n->getType() == AST_FUNCTION;
    const bool argument = n->getType() == AST_NAME && n->getName() && scope.count(n->getName()) > 0;
    std::optional<Nesting> nesting;
    if (!call_node) {
      nesting.emplace(math_depth_);
      if (math_depth_ > kMaxMathDepth) too_deep(where);
    }
    if (!call_node && !argument && ++nodes_ > kMaxMathNodes) too_large(where);
    switch (n->getType()) {
      case AST_INTEGER: return Expr::number(static_cast<double>(n->getInteger()));
      case AST_REAL:
      case AST_REAL_E:
      case AST_RATIONAL: return Expr::number(n->getReal());
      case AST_CONSTANT_E: return Expr::number(M_E);
      case AST_CONSTANT_PI: return Expr::number(M_PI);
      case AST_CONSTANT_TRUE: return Expr::number(1.0);
      case AST_CONSTANT_FALSE: return Expr::number(0.0);
      case AST_NAME_AVOGADRO: return Expr::number(kAvogadro);
      case AST_NAME_TIME: {
        Expr e;
        e.op = Op::Time;
        return e;
      }
      case AST_NAME: return name(n->getName() ? n->getName() : "", where, scope);
      case AST_FUNCTION_RATE_OF: {
        if (n->getNumChildren() != 1 || n->getChild(0)->getType() != AST_NAME)
          invalid(label_, "rateOf in " + where + " must have one identifier as its argument");
        Expr arg = convert(n->getChild(0), where, scope, depth);
        if (arg.op != Op::Symbol) invalid(label_, "rateOf in " + where + " must name a model element");
        return Expr::call(Op::RateOf, {arg});
      }
      case AST_FUNCTION_DELAY: {
        if (n->getNumChildren() != 2) invalid(label_, "delay in " + where + " must have two arguments");
        Expr x = convert(n->getChild(0), where, scope, depth);
        Expr e = Expr::call(Op::Delay, {convert(n->getChild(1), where, scope, depth)});
        e.symbol = static_cast<std::uint32_t>(ir_.delayed.size());
        ir_.delayed.push_back(std::move(x));
        return e;
      }
      case AST_PLUS: return op(Op::Plus, n, where, scope, depth);
      case AST_MINUS: return op(n->getNumChildren() == 1 ? Op::Negate : Op::Minus, n, where, scope, depth);
      case AST_TIMES: return op(Op::Times, n, where, scope, depth);
      case AST_DIVIDE: return op(Op::Divide, n, where, scope, depth);
      case AST_POWER:
      case AST_FUNCTION_POWER: return op(Op::Power, n, where, scope, depth);
      case AST_FUNCTION_ROOT: {
        std::vector<Expr> a = children(n, where, scope, depth);
        if (a.size() == 1) a.insert(a.begin(), Expr::number(2.0));
        return Expr::call(Op::Root, std::move(a));
      }
      case AST_FUNCTION_LOG: return op(Op::Log, n, where, scope, depth);
      case AST_FUNCTION_ABS: return op(Op::Abs, n, where, scope, depth);
      case AST_FUNCTION_EXP: return op(Op::Exp, n, where, scope, depth);
      case AST_FUNCTION_LN: return op(Op::Ln, n, where, scope, depth);
      case AST_FUNCTION_FLOOR: return op(Op::Floor, n, where, scope, depth);
      case AST_FUNCTION_CEILING: return op(Op::Ceiling, n, where, scope, depth);
      case AST_FUNCTION_FACTORIAL: return op(Op::Factorial, n, where, scope, depth);
      case AST_FUNCTION_SIN: return op(Op::Sin, n, where, scope, depth);
      case AST_FUNCTION_COS: return op(Op::Cos, n, where, scope, depth);
      case AST_FUNCTION_TAN: return op(Op::Tan, n, where, scope, depth);
      case AST_FUNCTION_SEC: return op(Op::Sec, n, where, scope, depth);
      case AST_FUNCTION_CSC: return op(Op::Csc, n, where, scope, depth);
      case AST_FUNCTION_COT: return op(Op::Cot, n, where, scope, depth);
      case AST_FUNCTION_SINH: return op(Op::Sinh, n, where, scope, depth);
      case AST_FUNCTION_COSH: return op(Op::Cosh, n, where, scope, depth);
      case AST_FUNCTION_TANH: return op(Op::Tanh, n, where, scope, depth);
      case AST_FUNCTION_SECH: return op(Op::Sech, n, where, scope, depth);
      case AST_FUNCTION_CSCH: return op(Op::Csch, n, where, scope, depth);
      case AST_FUNCTION_COTH: return op(Op::Coth, n, where, scope, depth);
      case AST_FUNCTION_ARCSIN: return op(Op::ArcSin, n, where, scope, depth);
      case AST_FUNCTION_ARCCOS: return op(Op::ArcCos, n, where, scope, depth);
      case AST_FUNCTION_ARCTAN: return op(Op::ArcTan, n, where, scope, depth);
      case AST_FUNCTION_ARCSEC: return op(Op::ArcSec, n, where, scope, depth);
      case AST_FUNCTION_ARCCSC: return op(Op::ArcCsc, n, where, scope, depth);
      case AST_FUNCTION_ARCCOT: return op(Op::ArcCot, n, where, scope, depth);
      case AST_FUNCTION_ARCSINH: return op(Op::ArcSinh, n, where, scope, depth);
      case AST_FUNCTION_ARCCOSH: return op(Op::ArcCosh, n, where, scope, depth);
      case AST_FUNCTION_ARCTANH: return op(Op::ArcTanh, n, where, scope, depth);
      case AST_FUNCTION_ARCSECH: return op(Op::ArcSech, n, where, scope, depth);
      case AST_FUNCTION_ARCCSCH: return op(Op::ArcCsch, n, where, scope, depth);
      case AST_FUNCTION_ARCCOTH: return op(Op::ArcCoth, n, where, scope, depth);
      case AST_RELATIONAL_EQ: return op(Op::Eq, n, where, scope, depth);
      case AST_RELATIONAL_NEQ: return op(Op::Neq, n, where, scope, depth);
      case AST_RELATIONAL_GT: return op(Op::Gt, n, where, scope, depth);
      case AST_RELATIONAL_LT: return op(Op::Lt, n, where, scope, depth);
      case AST_RELATIONAL_GEQ: return op(Op::Geq, n, where, scope, depth);
      case AST_RELATIONAL_LEQ: return op(Op::Leq, n, where, scope, depth);
      case AST_LOGICAL_AND: return op(Op::And, n, where, scope, depth);
      case AST_LOGICAL_OR: return op(Op::Or, n, where, scope, depth);
      case AST_LOGICAL_XOR: return op(Op::Xor, n, where, scope, depth);
      case AST_LOGICAL_NOT: return op(Op::Not, n, where, scope, depth);
      case AST_LOGICAL_IMPLIES: return op(Op::Implies, n, where, scope, depth);
      case AST_FUNCTION_PIECEWISE: return op(Op::Piecewise, n, where, scope, depth);
      case AST_FUNCTION_MIN: return op(Op::Min, n, where, scope, depth);
      case AST_FUNCTION_MAX: return op(Op::Max, n, where, scope, depth);
      case AST_FUNCTION_REM: return op(Op::Rem, n, where, scope, depth);
      case AST_FUNCTION_QUOTIENT: return op(Op::Quotient, n, where, scope, depth);
      case AST_FUNCTION: return call(n, where, scope, depth);
      default: break;
    }
    const char* nm = n->getName();
    unsupported(label_, std::string("the MathML element ") + (nm ? in_quotes(nm) : "of type " + std::to_string(n->getType())) +
                            " in " + where);
  }

  Expr name(const std::string& id, const std::string& where, const Scope& scope) {
    if (auto a = scope.find(id); a != scope.end()) {
      account_copy(a->second.size, where);
      return a->second.expr;
    }
    if (auto l = local_.find(id); l != local_.end()) return Expr::sym(l->second);
    if (auto g = ir_.index.find(id); g != ir_.index.end()) return Expr::sym(g->second);
    invalid(label_, where + " refers to unknown id " + in_quotes(id));
  }

  // Inlines a function definition: its body with each argument name bound to the caller's
  // expression. Inside the body only the arguments are in scope.
  Expr call(const SBML_NS ASTNode* n, const std::string& where, const Scope& scope, int depth) {
    const std::string fname = n->getName() ? n->getName() : "";
    auto f = functions_.find(fname);
    if (f == functions_.end()) invalid(label_, where + " calls unknown function " + in_quotes(fname));
    if (depth > kMaxInlineDepth) invalid(label_, "function " + in_quotes(fname) + " calls itself (in " + where + ")");
    const SBML_NS ASTNode* lambda = f->second->getMath();
    if (lambda == nullptr || lambda->getType() != AST_LAMBDA || lambda->getNumChildren() == 0)
      unsupported(label_, "function definition " + in_quotes(fname) + " has no lambda body");
    const unsigned nargs = lambda->getNumBvars();
    if (n->getNumChildren() != nargs)
      invalid(label_, where + " calls " + in_quotes(fname) + " with " + std::to_string(n->getNumChildren()) +
                          " arguments; it takes " + std::to_string(nargs));
    Scope inner;
    for (unsigned i = 0; i < nargs; ++i) {
      Expr arg = convert(n->getChild(i), where, scope, depth);
      const TreeSize size = tree_size(arg);
      nodes_ -= size.nodes;  // a temporary: what counts is its copies in the body
      inner[lambda->getChild(i)->getName()] = Bound{std::move(arg), size};
    }
    const std::string in_body = "function " + in_quotes(fname) + " (called in " + where + ")";
    const auto saved_local = std::move(local_);
    local_.clear();
    Expr body = convert(lambda->getChild(lambda->getNumChildren() - 1), in_body, inner, depth + 1);
    local_ = saved_local;
    return body;
  }

  const SBML_NS Model& m_;
  std::string label_;
  unsigned original_level_;
  std::set<std::string> fast_;  // ids of fast reactions (Level 3 Version 2 conversion drops the flag)
  ModelIR ir_;
  std::map<std::string, const SBML_NS FunctionDefinition*> functions_;
  std::map<std::string, std::uint32_t> local_;  // the current kinetic law's local parameters
  std::size_t math_depth_ = 0;                    // nesting of the formula being converted
  std::size_t nodes_ = 0;                         // nodes of all formulas so far, copies included
};

}  // namespace

ModelIR build_ir(SBML_NS SBMLDocument& doc, const std::string& label, const LoadOptions& options) {
  flatten_comp(doc, label);
  refuse_unsupported(doc, label);
  const unsigned original_level = doc.getLevel();
  std::set<std::string> fast;
  const unsigned reactions = doc.getModel()->getNumReactions();
  for (unsigned i = 0; i < reactions; ++i) {
    const SBML_NS Reaction* r = doc.getModel()->getReaction(i);
    if (r->isSetFast() && r->getFast()) fast.insert(r->getId());
  }
  if (!fast.empty() && options.ignore_fast) {
    spdlog::info("{}: integrating {} fast reaction(s) as ordinary kinetics (ignore-fast)", label, fast.size());
    fast.clear();
  } else if (2 * fast.size() > reactions) {
    // Some exporters mark every reaction fast. Rapid equilibrium of all of them is rarely what
    // the author meant, and often has no solution Newton's method can find.
    spdlog::warn("{}: {} of {} reactions are marked fast (rapid equilibrium: solved, not integrated); if that is "
                 "an exporter's artefact, or the run fails to converge, integrate them as ordinary kinetics with "
                 "--ignore-fast (LoadOptions::ignore_fast)",
                 label, fast.size(), reactions);
  }
  if (doc.getLevel() != 3 || doc.getVersion() != 2) {
    SBML_NS SBMLNamespaces target(3, 2);
    SBML_NS ConversionProperties props(&target);
    props.addOption("strict", false);
    props.addOption("setLevelAndVersion", true);
    if (doc.convert(props) != LIBSBML_OPERATION_SUCCESS)
      throw Error(ErrorKind::InvalidSbml,
                  label + ": libSBML could not convert the model to Level 3 Version 2:\n" +
                      describe_errors(doc, LIBSBML_SEV_ERROR));
  }
  return Builder(*doc.getModel(), label, original_level, std::move(fast)).build();
}

}  // namespace axisim::detail
