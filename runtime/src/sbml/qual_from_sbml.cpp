// qual_from_sbml.cpp — SBML qual (logical models) to LogicalIR: species, transitions, function
// terms compiled to postfix programs over species indices. Refuses, naming the element, what
// axisim does not simulate (see axisim/logical.hpp and docs/logical.md).
#include "sbml/qual_from_sbml.hpp"

#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "sbml/sbml_document.hpp"
// After libSBML's core headers (sbml_document.hpp), which its qual headers assume.
#include <sbml/packages/qual/common/QualExtensionTypes.h>

namespace axisim::detail {
namespace {

// A function term's math deeper than this is refused (the compiler below recurses).
constexpr int kMaxConditionDepth = 1000;

[[noreturn]] void unsupported(const std::string& label, const std::string& what) {
  throw Error(ErrorKind::Unsupported, label + ": unsupported: " + what);
}
[[noreturn]] void invalid(const std::string& label, const std::string& what) {
  throw Error(ErrorKind::InvalidSbml, label + ": invalid SBML: " + what);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string transition_name(const SBML_NS Transition& t, unsigned i) {
  return t.isSetId() ? "transition " + quoted(t.getId()) : "transition " + std::to_string(i + 1);
}

// What a name in a function term's math stands for: a species' level or an input's threshold.
struct Names {
  std::map<std::string, std::size_t> species;
  std::map<std::string, double> thresholds;  // input id -> thresholdLevel (transition-local)
};

class ConditionCompiler {
 public:
  ConditionCompiler(const Names& names, std::string label, std::string where)
      : names_(names), label_(std::move(label)), where_(std::move(where)) {}

  std::vector<LogicalOp> compile(const SBML_NS ASTNode& root, std::size_t& max_stack) {
    out_.clear();
    depth_ = 0;
    emit(root, 0);
    max_stack = std::max(max_stack, max_depth_);
    return std::move(out_);
  }

 private:
  using Code = LogicalOp::Code;
  const Names& names_;
  std::string label_, where_;
  std::vector<LogicalOp> out_;
  std::size_t depth_ = 0, max_depth_ = 0;  // the evaluation stack's height as the program runs

  void push(LogicalOp op, std::size_t pops) {
    depth_ -= pops;
    ++depth_;
    max_depth_ = std::max(max_depth_, depth_);
    out_.push_back(op);
  }

  void emit(const SBML_NS ASTNode& n, int level) {
    if (level > kMaxConditionDepth)
      invalid(label_, where_ + ": the math is nested more than " + std::to_string(kMaxConditionDepth) + " levels deep");
    const auto type = n.getType();
    const std::uint32_t k = n.getNumChildren();
    auto children = [&] {
      for (std::uint32_t i = 0; i < k; ++i) emit(*n.getChild(i), level + 1);
    };
    auto op = [&](Code c, std::uint32_t arity) {
      LogicalOp o;
      o.code = c;
      o.arity = arity;
      push(o, arity);
    };
    auto need = [&](bool ok, const char* what) {
      if (!ok) invalid(label_, where_ + ": " + what + " with " + std::to_string(k) + " argument(s)");
    };
    switch (type) {
      case SBML_NS AST_INTEGER:
      case SBML_NS AST_REAL:
      case SBML_NS AST_REAL_E:
      case SBML_NS AST_RATIONAL: {
        LogicalOp o;
        o.value = n.getValue();
        push(o, 0);
        return;
      }
      case SBML_NS AST_CONSTANT_TRUE:
      case SBML_NS AST_CONSTANT_FALSE: {
        LogicalOp o;
        o.value = type == SBML_NS AST_CONSTANT_TRUE ? 1.0 : 0.0;
        push(o, 0);
        return;
      }
      case SBML_NS AST_NAME: {
        const std::string name = n.getName() ? n.getName() : "";
        LogicalOp o;
        if (const auto s = names_.species.find(name); s != names_.species.end()) {
          o.code = Code::Level;
          o.index = s->second;
        } else if (const auto t = names_.thresholds.find(name); t != names_.thresholds.end()) {
          o.value = t->second;
        } else {
          invalid(label_, where_ + ": the math names " + quoted(name) +
                              ", which is neither a qualitative species nor an input of this transition with a thresholdLevel");
        }
        push(o, 0);
        return;
      }
      case SBML_NS AST_LOGICAL_NOT: need(k == 1, "not"); children(); op(Code::Not, 1); return;
      case SBML_NS AST_LOGICAL_AND: children(); op(Code::And, k); return;
      case SBML_NS AST_LOGICAL_OR: children(); op(Code::Or, k); return;
      case SBML_NS AST_LOGICAL_XOR: children(); op(Code::Xor, k); return;
      case SBML_NS AST_PLUS: children(); op(Code::Plus, k); return;
      case SBML_NS AST_TIMES: children(); op(Code::Times, k); return;
      case SBML_NS AST_MINUS:
        need(k == 1 || k == 2, "minus");
        children();
        op(k == 1 ? Code::Neg : Code::Minus, k);
        return;
      case SBML_NS AST_DIVIDE: need(k == 2, "divide"); children(); op(Code::Divide, 2); return;
      case SBML_NS AST_RELATIONAL_EQ: need(k >= 2, "eq"); children(); op(Code::Eq, k); return;
      case SBML_NS AST_RELATIONAL_NEQ: need(k == 2, "neq"); children(); op(Code::Neq, 2); return;
      case SBML_NS AST_RELATIONAL_LT: need(k >= 2, "lt"); children(); op(Code::Lt, k); return;
      case SBML_NS AST_RELATIONAL_LEQ: need(k >= 2, "leq"); children(); op(Code::Leq, k); return;
      case SBML_NS AST_RELATIONAL_GT: need(k >= 2, "gt"); children(); op(Code::Gt, k); return;
      case SBML_NS AST_RELATIONAL_GEQ: need(k >= 2, "geq"); children(); op(Code::Geq, k); return;
      default: {
        const char* name = n.getName();
        unsupported(label_, where_ + ": MathML operator " + (name ? quoted(name) : std::string("of type ") +
                                                                 std::to_string(static_cast<int>(type))) +
                                " in a logical model (axisim evaluates logical, relational and +, -, *, / operators "
                                "over levels and thresholds)");
      }
    }
  }
};

void refuse_core_dynamics(const SBML_NS Model& m, const std::string& label) {
  const std::string mixed = "a logical (qual) model mixed with a continuous core model: ";
  if (m.getNumReactions() > 0)
    unsupported(label, mixed + "reaction " + quoted(m.getReaction(0)->getId()) +
                           " (axisim simulates the qual transitions alone; the core reactions would need a hybrid semantics "
                           "that SBML qual does not define)");
  if (m.getNumRules() > 0)
    unsupported(label, mixed + "rule for " + quoted(m.getRule(0)->getVariable()) + " (core rules are not simulated with qual transitions)");
  if (m.getNumEvents() > 0)
    unsupported(label, mixed + "event " + quoted(m.getEvent(0)->getId()) + " (core events are not simulated with qual transitions)");
  if (m.getNumInitialAssignments() > 0)
    unsupported(label, mixed + "initial assignment to " + quoted(m.getInitialAssignment(0)->getSymbol()) +
                           " (core initial assignments are not simulated with qual transitions)");
}

}  // namespace

bool sbml_uses_qual(const std::string& text) {
  if (text.find("/qual/") == std::string::npos) return false;
  std::lock_guard lock(libsbml_mutex());
  try {
    std::unique_ptr<SBML_NS SBMLDocument> doc = parse_sbml_text(text, "<string>");
    return doc->getModel() != nullptr && uses_package(*doc, "qual");
  } catch (const std::exception&) {
    return false;
  }
}

LogicalIR logical_ir_from_sbml(const std::string& text, const std::string& label, bool validate) {
  std::lock_guard lock(libsbml_mutex());
  SbmlSource source;
  source.text = text;
  std::unique_ptr<SBML_NS SBMLDocument> doc;
  try {
    doc = read_sbml(source, validate);
  } catch (const Error& e) {
    std::string what = e.what();
    if (what.rfind("<string>", 0) == 0) what = label + what.substr(8);
    throw Error(e.kind(), what);
  }
  const SBML_NS Model& m = *doc->getModel();
  const auto* qual = dynamic_cast<const SBML_NS QualModelPlugin*>(m.getPlugin("qual"));
  if (!qual || !uses_package(*doc, "qual"))
    invalid(label, "the model has no qualitative species or transitions (the qual package), so it is no logical model");
  if (uses_comp(*doc))
    unsupported(label, "a hierarchical (comp) logical model: axisim does not flatten qual models");
  refuse_core_dynamics(m, label);

  LogicalIR ir;
  ir.source = label;
  ir.model_id = m.getId();
  Names names;
  std::vector<std::string> unset_initial;
  for (unsigned i = 0; i < qual->getNumQualitativeSpecies(); ++i) {
    const SBML_NS QualitativeSpecies& q = *qual->getQualitativeSpecies(i);
    const std::string where = "qualitativeSpecies " + quoted(q.getId());
    QualSpecies s;
    s.id = q.getId();
    s.name = q.isSetName() ? q.getName() : "";
    s.constant = q.isSetConstant() && q.getConstant();
    s.max_level = q.isSetMaxLevel() ? q.getMaxLevel() : -1;
    if (q.isSetMaxLevel() && s.max_level < 0) invalid(label, where + ": maxLevel " + std::to_string(s.max_level) + " is negative");
    if (q.isSetInitialLevel()) {
      s.initial_level = q.getInitialLevel();
    } else {
      unset_initial.push_back(s.id);
    }
    if (s.initial_level < 0 || (s.max_level >= 0 && s.initial_level > s.max_level))
      invalid(label, where + ": initialLevel " + std::to_string(s.initial_level) + " is outside 0.." +
                         (s.max_level >= 0 ? std::to_string(s.max_level) : std::string("(no maxLevel)")));
    if (!names.species.emplace(s.id, ir.species.size()).second) invalid(label, where + ": the id is used twice");
    ir.species.push_back(std::move(s));
  }
  if (!unset_initial.empty()) {
    std::string ids;
    for (std::size_t i = 0; i < unset_initial.size() && i < 5; ++i) ids += (i ? ", " : "") + unset_initial[i];
    if (unset_initial.size() > 5) ids += ", ...";
    // GINsim (bioLQM) and BoolNet start such species at 0 too.
    spdlog::warn("{}: {} qualitative species have no initialLevel ({}): they start at level 0", label,
                 unset_initial.size(), ids);
  }

  ir.transition_of.assign(ir.species.size(), -1);
  for (unsigned i = 0; i < qual->getNumTransitions(); ++i) {
    const SBML_NS Transition& t = *qual->getTransition(i);
    const std::string where = transition_name(t, i);
    LogicalTransition lt;
    lt.id = t.isSetId() ? t.getId() : "";
    Names local;
    local.species = names.species;
    for (unsigned j = 0; j < t.getNumInputs(); ++j) {
      const SBML_NS Input& in = *t.getInput(j);
      const std::string iw = where + " input " + quoted(in.isSetId() ? in.getId() : in.getQualitativeSpecies());
      if (!names.species.count(in.getQualitativeSpecies()))
        invalid(label, iw + ": names qualitativeSpecies " + quoted(in.getQualitativeSpecies()) + ", which the model does not have");
      if (in.getTransitionEffect() == SBML_NS INPUT_TRANSITION_EFFECT_CONSUMPTION)
        unsupported(label, iw + ": transitionEffect 'consumption' (the qual specification leaves how much is consumed "
                                "and when open; axisim simulates inputs that are read, transitionEffect 'none')");
      if (in.isSetId() && in.isSetThresholdLevel()) local.thresholds[in.getId()] = in.getThresholdLevel();
    }
    for (unsigned j = 0; j < t.getNumOutputs(); ++j) {
      const SBML_NS Output& o = *t.getOutput(j);
      const std::string ow = where + " output " + quoted(o.getQualitativeSpecies());
      const auto s = names.species.find(o.getQualitativeSpecies());
      if (s == names.species.end())
        invalid(label, ow + ": names qualitativeSpecies " + quoted(o.getQualitativeSpecies()) + ", which the model does not have");
      if (o.getTransitionEffect() != SBML_NS OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        unsupported(label, ow + ": transitionEffect 'production' (the level raised by the result level: the qual "
                                "specification leaves its bounds and timing open; axisim simulates 'assignmentLevel')");
      if (ir.species[s->second].constant)
        invalid(label, ow + ": qualitativeSpecies " + quoted(s->first) + " is constant, so no transition may change it");
      if (ir.transition_of[s->second] >= 0)
        unsupported(label, ow + ": qualitativeSpecies " + quoted(s->first) + " is also the output of " +
                                transition_name(*qual->getTransition(static_cast<unsigned>(ir.transition_of[s->second])),
                                                static_cast<unsigned>(ir.transition_of[s->second])) +
                                "; how two transitions' levels combine is not defined");
      ir.transition_of[s->second] = static_cast<long>(ir.transitions.size());
      lt.outputs.push_back(s->second);
    }
    if (lt.outputs.empty()) invalid(label, where + ": has no output");
    auto check_level = [&](int level, const std::string& term) {
      if (level < 0) invalid(label, where + " " + term + ": resultLevel " + std::to_string(level) + " is negative");
      for (std::size_t out : lt.outputs) {
        const QualSpecies& q = ir.species[out];
        if (q.max_level >= 0 && level > q.max_level)
          invalid(label, where + " " + term + ": resultLevel " + std::to_string(level) + " is above output " +
                             quoted(q.id) + "'s maxLevel " + std::to_string(q.max_level));
      }
    };
    if (!t.isSetDefaultTerm()) invalid(label, where + ": has no defaultTerm");
    lt.default_level = t.getDefaultTerm()->getResultLevel();
    check_level(lt.default_level, "defaultTerm");
    for (unsigned j = 0; j < t.getNumFunctionTerms(); ++j) {
      const SBML_NS FunctionTerm& f = *t.getFunctionTerm(j);
      const std::string fw = "functionTerm " + std::to_string(j + 1);
      if (!f.isSetMath() || !f.getMath()) invalid(label, where + " " + fw + ": has no math");
      LogicalTerm term;
      term.result_level = f.getResultLevel();
      check_level(term.result_level, fw);
      ConditionCompiler c(local, label, where + " " + fw);
      term.condition = c.compile(*f.getMath(), lt.max_stack);
      lt.terms.push_back(std::move(term));
    }
    ir.transitions.push_back(std::move(lt));
  }
  return ir;
}

}  // namespace axisim::detail
