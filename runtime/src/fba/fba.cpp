// fba.cpp — flux balance analysis: an fbc document to a LinearProgram, solved by solve_lp.
//
// This file reads libSBML types (like ir_from_sbml.cpp) but not GLPK's (glpk_solver.cpp).
#include "axisim/fba.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "axisim/model.hpp"
#include "fba/fba_document.hpp"
#include "fba/fba_problem.hpp"
#include "fba/loop_law.hpp"
#include "sbml/sbml_document.hpp"

namespace axisim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

std::string op_name(SBML_NS FluxBoundOperation_t op) {
  const char* name = SBML_NS FluxBoundOperation_toString(op);
  return name ? name : "unknown";
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Values at time 0 of parameters and species references. Without initial assignments or rules
// they are the attributes in the document. With them, axisim's own initialisation computes
// them (axisim::Model::initial_value), on a copy of the document without the fbc package and
// without what only changes values after time 0: events, rate rules, kinetic laws.
class TimeZeroValues {
 public:
  TimeZeroValues(const SBML_NS SBMLDocument& doc, const std::string& label) : label_(label) {
    const SBML_NS Model& m = *doc.getModel();
    if (m.getNumInitialAssignments() + m.getNumRules() == 0) return;
    std::unique_ptr<SBML_NS SBMLDocument> copy(doc.clone());
    SBML_NS Model& c = *copy->getModel();
    if (const SBML_NS SBasePlugin* fbc = m.getPlugin("fbc")) copy->enablePackage(fbc->getURI(), "fbc", false);
    while (c.getNumEvents() > 0) delete c.removeEvent(0);
    while (c.getNumConstraints() > 0) delete c.removeConstraint(0);
    // Rate rules and events change values after time 0 only.
    for (unsigned i = c.getNumRules(); i-- > 0;)
      if (c.getRule(i)->isRate()) delete c.removeRule(i);
    // Kinetic laws do not matter to flux balance, and fbc models seldom have them.
    std::unique_ptr<SBML_NS ASTNode> zero(SBML_NS SBML_parseL3Formula("0"));
    for (unsigned i = 0; i < c.getNumReactions(); ++i) {
      SBML_NS Reaction* r = c.getReaction(i);
      // Level 3 Version 1 requires the attribute; elsewhere it may go.
      if (r->isSetFast()) (copy->getLevel() == 3 && copy->getVersion() == 1) ? (void)r->setFast(false) : (void)r->unsetFast();
      SBML_NS KineticLaw* kl = r->isSetKineticLaw() ? r->getKineticLaw() : r->createKineticLaw();
      kl->setMath(zero.get());
    }
    const std::string text = SBML_NS writeSBMLToStdString(copy.get());
    try {
      model_.emplace(Model::from_string(text, LoadOptions{.validate = false}));
    } catch (const Error& e) {
      throw Error(e.kind(), label_ + ": computing the values at time 0 (initial assignments and rules): " + e.what());
    }
  }

  double parameter(const SBML_NS Parameter& p) const {
    if (model_) return evaluate(p.getId());
    return p.isSetValue() ? p.getValue() : kNaN;
  }

  double stoichiometry(const SBML_NS SpeciesReference& sr) const {
    if (model_ && sr.isSetId()) return evaluate(sr.getId());
    // An unset stoichiometry without an id has no value in Level 3; 1 is what Level 2 meant.
    return sr.isSetStoichiometry() ? sr.getStoichiometry() : 1.0;
  }

 private:
  double evaluate(const std::string& id) const {
    try {
      return model_->initial_value(id);
    } catch (const Error& e) {
      throw Error(e.kind(), label_ + ": computing the value of " + in_quotes(id) + " at time 0: " + e.what());
    }
  }

  std::string label_;
  std::optional<Model> model_;
};

using Objective = detail::FbaObjective;
using detail::FbaProblem;

class ProblemReader {
 public:
  ProblemReader(const SBML_NS SBMLDocument& doc, std::string label) : doc_(doc), m_(*doc.getModel()), label_(std::move(label)) {}

  FbaProblem read() {
    fbc_ = dynamic_cast<const SBML_NS FbcModelPlugin*>(m_.getPlugin("fbc"));
    if (fbc_ == nullptr || !doc_.isPackageEnabled("fbc"))
      unsupported("the model has no flux balance constraints (it does not use the SBML 'fbc' package)");
    refuse_unhandled();
    out_.model_id = m_.getId();
    const TimeZeroValues values(doc_, label_);
    add_reactions(values);
    add_species_rows(values);
    add_objectives();
    return std::move(out_);
  }

 private:
  [[noreturn]] void unsupported(const std::string& what) const {
    throw Error(ErrorKind::Unsupported, label_ + ": unsupported: " + what);
  }
  [[noreturn]] void invalid(const std::string& what) const {
    throw Error(ErrorKind::InvalidSbml, label_ + ": invalid SBML: " + what);
  }

  void refuse_unhandled() const {
    const auto* comp_doc = dynamic_cast<const SBML_NS CompSBMLDocumentPlugin*>(doc_.getPlugin("comp"));
    const auto* comp_model = dynamic_cast<const SBML_NS CompModelPlugin*>(m_.getPlugin("comp"));
    if ((comp_doc && comp_doc->getNumModelDefinitions() + comp_doc->getNumExternalModelDefinitions() > 0) ||
        (comp_model && comp_model->getNumSubmodels() > 0))
      unsupported("flux balance analysis of a hierarchical model (the 'comp' package)");
    if (fbc_->getNumObjectives() == 0) unsupported("the model has no fbc objective to optimise");
    if (fbc_->getPackageVersion() > 2 && fbc_->getNumUserDefinedConstraints() > 0)
      unsupported("fbc user-defined constraint " + in_quotes(fbc_->getUserDefinedConstraint(0u)->getId()) +
                  " (fbc Version 3 user-defined constraints are not supported)");
  }

  void add_reactions(const TimeZeroValues& values) {
    detail::LinearProgram& lp = out_.lp;
    const bool v1 = fbc_->getPackageVersion() == 1;
    std::map<std::string, std::vector<const SBML_NS FluxBound*>> v1_bounds_of;
    for (unsigned i = 0; v1 && i < fbc_->getNumFluxBounds(); ++i) {
      const SBML_NS FluxBound* b = fbc_->getFluxBound(i);
      if (m_.getReaction(b->getReaction()) == nullptr)
        invalid("flux bound " + (b->isSetId() ? in_quotes(b->getId()) : "#" + std::to_string(i + 1)) + " refers to " +
                in_quotes(b->getReaction()) + ", which is not a reaction");
      v1_bounds_of[b->getReaction()].push_back(b);
    }
    for (unsigned i = 0; i < m_.getNumReactions(); ++i) {
      const SBML_NS Reaction* r = m_.getReaction(i);
      out_.reaction_index[r->getId()] = lp.column_names.size();
      lp.column_names.push_back(r->getId());
      const auto [lower, upper] = v1 ? v1_bounds(*r, v1_bounds_of[r->getId()]) : v2_bounds(*r, values);
      lp.lower.push_back(lower);
      lp.upper.push_back(upper);
      lp.objective.push_back(0.0);
    }
  }

  // fbc Version 1: FluxBound elements. Several bounds on one reaction all hold. A direction
  // no bound constrains is unbounded, except that an irreversible reaction's flux is not
  // negative (libSBML's fbc v1 to v2 converter fills in the same defaults).
  std::pair<double, double> v1_bounds(const SBML_NS Reaction& r, const std::vector<const SBML_NS FluxBound*>& bounds) const {
    std::optional<double> lower, upper;
    for (const SBML_NS FluxBound* b : bounds) {
      std::string what = "flux bound ";
      if (b->isSetId()) what += in_quotes(b->getId()) + " ";
      what += "on reaction " + in_quotes(r.getId());
      if (!b->isSetValue() || std::isnan(b->getValue())) invalid(what + " has no value");
      const double v = b->getValue();
      switch (b->getFluxBoundOperation()) {
        case SBML_NS FLUXBOUND_OPERATION_GREATER_EQUAL: lower = std::max(lower.value_or(-kInf), v); break;
        case SBML_NS FLUXBOUND_OPERATION_LESS_EQUAL: upper = std::min(upper.value_or(kInf), v); break;
        case SBML_NS FLUXBOUND_OPERATION_EQUAL:
          lower = std::max(lower.value_or(-kInf), v);
          upper = std::min(upper.value_or(kInf), v);
          break;
        case SBML_NS FLUXBOUND_OPERATION_LESS:
        case SBML_NS FLUXBOUND_OPERATION_GREATER:
          unsupported(what + " uses the strict operation " + in_quotes(op_name(b->getFluxBoundOperation())) +
                      ", which a linear program cannot express");
        default: invalid(what + " has an unknown operation " + in_quotes(op_name(b->getFluxBoundOperation())));
      }
    }
    return {lower.value_or(r.getReversible() ? -kInf : 0.0), upper.value_or(kInf)};
  }

  // fbc Version 2: the values of the parameters lowerFluxBound and upperFluxBound name; an
  // unset one leaves that direction unbounded (only possible in a model that is not strict).
  std::pair<double, double> v2_bounds(const SBML_NS Reaction& r, const TimeZeroValues& values) const {
    const auto* plugin = dynamic_cast<const SBML_NS FbcReactionPlugin*>(r.getPlugin("fbc"));
    auto bound = [&](bool is_set, const std::string& id, const char* which, double unset) {
      if (!plugin || !is_set) return unset;
      const std::string what = std::string(which) + " flux bound " + in_quotes(id) + " of reaction " + in_quotes(r.getId());
      const SBML_NS Parameter* p = m_.getParameter(id);
      if (p == nullptr) invalid(what + " is not a parameter of the model");
      const double v = values.parameter(*p);
      if (std::isnan(v)) unsupported(what + " has no value (NaN) at time 0");
      return v;
    };
    return {bound(plugin && plugin->isSetLowerFluxBound(), plugin ? plugin->getLowerFluxBound() : "", "lower", -kInf),
            bound(plugin && plugin->isSetUpperFluxBound(), plugin ? plugin->getUpperFluxBound() : "", "upper", kInf)};
  }

  // One steady-state row per species that is not a boundary species; boundary species are
  // sources and sinks whose amounts are not balanced.
  void add_species_rows(const TimeZeroValues& values) {
    detail::LinearProgram& lp = out_.lp;
    std::map<std::string, std::size_t> row_of, index_of;
    out_.reaction_species.resize(m_.getNumReactions());
    for (unsigned i = 0; i < m_.getNumSpecies(); ++i) {
      const SBML_NS Species* s = m_.getSpecies(i);
      index_of[s->getId()] = i;
      out_.species_ids.push_back(s->getId());
      out_.species_row.emplace_back();
      if (s->getBoundaryCondition()) continue;
      out_.species_row.back() = lp.row_names.size();
      row_of[s->getId()] = lp.row_names.size();
      lp.row_names.push_back(s->getId());
    }
    for (unsigned i = 0; i < m_.getNumReactions(); ++i) {
      const SBML_NS Reaction* r = m_.getReaction(i);
      auto add = [&](const SBML_NS ListOfSpeciesReferences* list, double sign) {
        for (unsigned j = 0; j < list->size(); ++j) {
          const auto* sr = static_cast<const SBML_NS SpeciesReference*>(list->get(j));
          const auto index = index_of.find(sr->getSpecies());
          if (index == index_of.end())
            invalid("reaction " + in_quotes(r->getId()) + " refers to " + in_quotes(sr->getSpecies()) +
                    ", which is not a species");
          const auto row = row_of.find(sr->getSpecies());
          double st = kNaN;
          if (row != row_of.end()) {
            st = values.stoichiometry(*sr);
          } else {
            // A boundary species' stoichiometry matters to dynamic FBA only (NaN refused there).
            try {
              st = values.stoichiometry(*sr);
            } catch (const Error&) {
            }
          }
          if (!std::isfinite(st) && row != row_of.end())
            unsupported("the stoichiometry of " + in_quotes(sr->getSpecies()) + " in reaction " + in_quotes(r->getId()) +
                        " is " + number(st) + " at time 0");
          // Boundary species too, for dynamic FBA's media (a NaN there is refused where used).
          auto& touched = out_.reaction_species[i];
          const auto same = std::find_if(touched.begin(), touched.end(), [&](const auto& e) { return e.first == index->second; });
          if (same == touched.end()) touched.emplace_back(index->second, sign * st);
          else same->second += sign * st;
          if (row == row_of.end()) continue;  // a boundary species: no steady-state row
          lp.matrix.push_back({row->second, i, sign * st});
        }
      };
      add(r->getListOfReactants(), -1.0);
      add(r->getListOfProducts(), 1.0);
    }
  }

  void add_objectives() {
    for (unsigned i = 0; i < fbc_->getNumObjectives(); ++i) {
      const SBML_NS Objective* o = fbc_->getObjective(i);
      Objective out;
      out.id = o->getId();
      const std::string where = "objective " + in_quotes(out.id);
      switch (o->getObjectiveType()) {
        case SBML_NS OBJECTIVE_TYPE_MAXIMIZE: out.maximize = true; break;
        case SBML_NS OBJECTIVE_TYPE_MINIMIZE: out.maximize = false; break;
        default: invalid(where + " is neither 'maximize' nor 'minimize'");
      }
      for (unsigned j = 0; j < o->getNumFluxObjectives(); ++j) {
        const SBML_NS FluxObjective* f = o->getFluxObjective(j);
        const auto reaction = out_.reaction_index.find(f->getReaction());
        if (reaction == out_.reaction_index.end())
          invalid(where + " refers to " + in_quotes(f->getReaction()) + ", which is not a reaction");
        if (f->getVariableType() == SBML_NS FBC_VARIABLE_TYPE_QUADRATIC)
          unsupported("the quadratic flux objective on " + in_quotes(f->getReaction()) + " in " + where +
                      " (only linear objectives are supported)");
        if (!f->isSetCoefficient() || !std::isfinite(f->getCoefficient()))
          unsupported("the flux objective on " + in_quotes(f->getReaction()) + " in " + where +
                      " has no finite coefficient");
        out.coefficients.emplace_back(reaction->second, f->getCoefficient());
      }
      out_.objectives.push_back(std::move(out));
    }
    const std::string active = fbc_->getActiveObjectiveId();
    std::optional<std::size_t> index;
    for (std::size_t i = 0; i < out_.objectives.size(); ++i)
      if (out_.objectives[i].id == active) index = i;
    if (!index) {
      if (!active.empty()) invalid("the active objective " + in_quotes(active) + " is not an objective of the model");
      if (out_.objectives.size() != 1) invalid("the model has several objectives and names no active one");
      index = 0;
    }
    out_.active = *index;
    const Objective& o = out_.objectives[out_.active];
    out_.lp.maximize = o.maximize;
    for (const auto& [column, coefficient] : o.coefficients) out_.lp.objective[column] += coefficient;
  }

  const SBML_NS SBMLDocument& doc_;
  const SBML_NS Model& m_;
  std::string label_;
  const SBML_NS FbcModelPlugin* fbc_ = nullptr;
  FbaProblem out_;
};

// What one output column reports.
struct OutputRead {
  bool objective = false;
  std::size_t index = 0;  // reaction column or objective
};

std::vector<OutputRead> resolve_outputs(const FbaProblem& p, std::vector<std::string>& ids, const std::string& label) {
  if (ids.empty()) {
    ids = p.lp.column_names;
    ids.push_back(p.objectives[p.active].id);
  }
  std::vector<OutputRead> reads;
  for (const std::string& id : ids) {
    if (const auto r = p.reaction_index.find(id); r != p.reaction_index.end()) {
      reads.push_back({false, r->second});
      continue;
    }
    std::optional<std::size_t> objective;
    for (std::size_t i = 0; i < p.objectives.size(); ++i)
      if (p.objectives[i].id == id) objective = i;
    if (!objective)
      throw Error(ErrorKind::UnknownId, label + ": model " + in_quotes(p.model_id) + " has no reaction or objective " +
                                            in_quotes(id));
    reads.push_back({true, *objective});
  }
  return reads;
}

// The problem of `source`, read under libSBML's lock (released before anything is solved).
FbaProblem load(const detail::SbmlSource& source, const FbaOptions& options, const std::string& label) {
  if (!(options.fraction_of_optimum >= 0.0 && options.fraction_of_optimum <= 1.0))
    throw Error(ErrorKind::InvalidSbml, label + ": the fraction of the optimum must be in [0, 1], not " +
                                            number(options.fraction_of_optimum));
  if (options.pfba_factor != 0.0 && !(options.pfba_factor >= 1.0 && std::isfinite(options.pfba_factor)))
    throw Error(ErrorKind::InvalidSbml, label + ": the pFBA factor must be 1 or more (or 0 for none), not " +
                                            number(options.pfba_factor));
  if (!(options.geometric_epsilon > 0.0 && std::isfinite(options.geometric_epsilon)))
    throw Error(ErrorKind::InvalidSbml, label + ": geometric FBA's epsilon must be a positive number, not " +
                                            number(options.geometric_epsilon));
  if (options.geometric_max_rounds < 1)
    throw Error(ErrorKind::InvalidSbml, label + ": geometric FBA's most rounds must be 1 or more, not " +
                                            std::to_string(options.geometric_max_rounds));
  std::unique_lock lock(detail::libsbml_mutex());
  const auto doc = detail::read_sbml(source, options.validate);
  FbaProblem problem = ProblemReader(*doc, label).read();
  lock.unlock();
  const Objective& active = problem.objectives[problem.active];
  spdlog::debug("{}: flux balance problem with {} reactions, {} balanced species; {} objective {}", label,
                problem.lp.column_names.size(), problem.lp.row_names.size(),
                active.maximize ? "maximizing" : "minimizing", in_quotes(active.id));
  return problem;
}

std::string failure(const FbaProblem& p, const detail::LpSolution& s, const std::string& label) {
  return label + ": the flux balance problem of model " + in_quotes(p.model_id) + " is " +
         (s.status == detail::LpStatus::Infeasible ? "infeasible" : "unbounded") + ": " + s.detail;
}

// The program of `p` with one more row holding the active objective at `fraction` of its
// `optimum`: at least optimum - (1 - fraction) |optimum| when maximised, at most optimum +
// (1 - fraction) |optimum| when minimised. As in COBRApy the row is not loosened further: GLPK's
// feasibility tolerance (1e-7, relative) keeps the optimal vertex, with its rounding, feasible.
detail::LinearProgram with_objective_held(const FbaProblem& p, double optimum, double fraction) {
  detail::LinearProgram lp = p.lp;
  if (lp.row_lower.empty()) {
    lp.row_lower.assign(lp.row_names.size(), 0.0);
    lp.row_upper.assign(lp.row_names.size(), 0.0);
  }
  const std::size_t row = lp.row_names.size();
  lp.row_names.push_back("objective " + in_quotes(p.objectives[p.active].id));
  for (std::size_t j = 0; j < lp.objective.size(); ++j)
    if (lp.objective[j] != 0.0) lp.matrix.push_back({row, j, lp.objective[j]});
  const double slack = (1.0 - fraction) * std::fabs(optimum);
  lp.row_lower.push_back(lp.maximize ? optimum - slack : -kInf);
  lp.row_upper.push_back(lp.maximize ? kInf : optimum + slack);
  std::fill(lp.objective.begin(), lp.objective.end(), 0.0);
  return lp;
}

// Each flux v_j split into a forward part f_j >= 0 and a backward part b_j >= 0, v_j = f_j - b_j
// (columns 2j and 2j + 1), with the bounds of v_j shared between them, and the objective sum
// (f_j + b_j) to minimise: at its minimum f_j b_j = 0, so the sum is sum |v_j|.
detail::LinearProgram split_program(const detail::LinearProgram& held) {
  const std::size_t n = held.column_names.size();
  detail::LinearProgram lp;
  lp.row_names = held.row_names;
  lp.row_lower = held.row_lower;
  lp.row_upper = held.row_upper;
  lp.maximize = false;
  for (std::size_t j = 0; j < n; ++j) {
    const double lo = held.lower[j], up = held.upper[j];
    lp.column_names.push_back(held.column_names[j] + " (forward)");
    lp.lower.push_back(std::max(0.0, lo));
    lp.upper.push_back(std::max(0.0, up));
    lp.column_names.push_back(held.column_names[j] + " (backward)");
    lp.lower.push_back(std::max(0.0, -up));
    lp.upper.push_back(std::max(0.0, -lo));
  }
  lp.objective.assign(2 * n, 1.0);
  for (const detail::LinearProgram::Entry& e : held.matrix) {
    lp.matrix.push_back({e.row, 2 * e.column, e.value});
    lp.matrix.push_back({e.row, 2 * e.column + 1, -e.value});
  }
  return lp;
}

// Parsimonious FBA: the split program's minimum with the objective held.
detail::LpSolution least_total_flux(const detail::LinearProgram& split, const FbaProblem& p, const std::string& label) {
  detail::LpSolution s = detail::solve_lp(split);
  if (s.status != detail::LpStatus::Optimal)
    throw Error(ErrorKind::Solver, label + ": parsimonious FBA of model " + in_quotes(p.model_id) +
                                       " found no least total flux with the objective held (" + s.detail + ")");
  return s;
}

// pFBA's fluxes, and the duals of its final program (least total flux, objective held) into
// `result`, as rates of change of that least total:
//   shadow price of species i: the dual of its steady-state row (d total / d b_i for S_i v = b_i);
//   reduced cost of reaction j: the rate at which the total changes with the bound v_j sits at, 0
//     strictly between its bounds. The flux is split, so that rate is the dual of the part at the
//     bound: the forward part's f_j when v_j > 0 (its bounds are v_j's there); minus the backward
//     part's b_j when v_j < 0 (b_j = -v_j, its bounds minus v_j's). A flux at 0 lies between its
//     bounds unless one is 0; at lower = 0 the total changes at f_j's rate as the bound rises, at
//     upper = 0 at minus b_j's as it falls (one-sided: |v| has a kink at 0; for a flux fixed at
//     0, f_j's: the rate as the fixed value rises).
std::vector<double> parsimonious_fluxes(const FbaProblem& p, double optimum, double fraction, const std::string& label,
                                        FbaResult& result) {
  const detail::LpSolution s = least_total_flux(split_program(with_objective_held(p, optimum, fraction)), p, label);
  const std::size_t n = p.lp.column_names.size();
  std::vector<double> v(n);
  for (std::size_t j = 0; j < n; ++j) v[j] = s.x[2 * j] - s.x[2 * j + 1] + 0.0;
  result.reaction_ids = p.lp.column_names;
  result.reduced_costs.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double forward = s.column_dual[2 * j], backward = -s.column_dual[2 * j + 1];
    const double lo = p.lp.lower[j], up = p.lp.upper[j];
    double rc = 0.0;
    if (v[j] > 0.0) rc = forward;
    else if (v[j] < 0.0) rc = backward;
    else if (lo == 0.0) rc = forward;
    else if (up == 0.0) rc = backward;
    result.reduced_costs[j] = rc + 0.0;
  }
  result.species_ids = p.species_ids;
  for (const std::optional<std::size_t>& row : p.species_row) result.shadow_prices.push_back(row ? s.row_dual[*row] + 0.0 : 0.0);
  return v;
}

// pFBA by the fewest active fluxes: one binary z_j per reaction with lower_j z_j <= v_j <=
// upper_j z_j (so z_j = 0 forces v_j = 0), the objective held, sum z_j minimised. The big-M
// bounds are the reaction's own, so they must be finite.
std::vector<double> fewest_active_fluxes(const FbaProblem& p, double optimum, double fraction, const std::string& label) {
  detail::LinearProgram lp = with_objective_held(p, optimum, fraction);
  const std::size_t n = lp.column_names.size();
  for (std::size_t j = 0; j < n; ++j)
    if (!std::isfinite(lp.lower[j]) || !std::isfinite(lp.upper[j]))
      throw Error(ErrorKind::Unsupported, label + ": pFBA by the fewest active fluxes (KISAO:0000554) needs finite flux "
                                                  "bounds; reaction " + in_quotes(lp.column_names[j]) + " has [" +
                                                  number(lp.lower[j]) + ", " + number(lp.upper[j]) + "]");
  lp.binary.assign(2 * n, false);
  for (std::size_t j = 0; j < n; ++j) {
    lp.column_names.push_back(lp.column_names[j] + " (active)");
    lp.lower.push_back(0.0);
    lp.upper.push_back(1.0);
    lp.objective.push_back(1.0);
    lp.binary[n + j] = true;
    // v_j - upper_j z_j <= 0 and v_j - lower_j z_j >= 0
    for (const bool upper_row : {true, false}) {
      const std::size_t row = lp.row_names.size();
      lp.row_names.push_back(lp.column_names[j] + (upper_row ? " <= upper when active" : " >= lower when active"));
      lp.matrix.push_back({row, j, 1.0});
      lp.matrix.push_back({row, n + j, -(upper_row ? lp.upper[j] : lp.lower[j])});
      lp.row_lower.push_back(upper_row ? -kInf : 0.0);
      lp.row_upper.push_back(upper_row ? 0.0 : kInf);
    }
  }
  lp.maximize = false;
  const detail::LpSolution s = detail::solve_lp(lp);
  if (s.status != detail::LpStatus::Optimal)
    throw Error(ErrorKind::Solver, label + ": pFBA by the fewest active fluxes of model " + in_quotes(p.model_id) +
                                       " found no solution with the objective held (" + s.detail + ")");
  spdlog::debug("{}: {} active fluxes at the fewest", label, number(s.objective));
  std::vector<double> v(s.x.begin(), s.x.begin() + static_cast<std::ptrdiff_t>(n));
  for (double& x : v) x += 0.0;
  return v;
}

// Geometric FBA (Smallbone & Simeonidis 2009, "Flux balance analysis: a geometric perspective",
// J Theor Biol 258:311; KISAO:0000527), as the authors' geometricFBA.m (COBRA Toolbox) runs it:
//   0. every flux's range over the optimal space (FVA), as bounds;
//   round r: the centre c_r (0 in round 1, so that what it keeps is pFBA's set; the middle of the
//     ranges after it); the least L1 distance Z_r = min sum |v - c_r| over the space kept so far,
//     and from then on only vectors within Z_r of c_r are kept; the ranges of the fluxes not yet
//     settled, taken again over that space, become their bounds.
// A flux is settled when its range is narrower than epsilon; the rounds end when all are, and
// each flux is reported as its range's middle (0 within epsilon of 0). The distances are kept as
// deviation columns p, q >= 0 with v - p + q = c_r and a row sum (p + q) <= Z_r per round. One
// difference from geometricFBA.m: a settled flux keeps its narrow range as bounds instead of
// being fixed at the middle (the authors' flexRel option does the same), so that the ranges'
// rounding cannot make the next round's program infeasible.
std::vector<double> geometric_fluxes(const FbaProblem& p, double optimum, const FbaOptions& options,
                                     const std::string& label) {
  const detail::LinearProgram held = with_objective_held(p, optimum, options.fraction_of_optimum);
  const std::size_t n = held.column_names.size();
  const double epsilon = options.geometric_epsilon;
  std::vector<double> lower = held.lower, upper = held.upper;
  std::vector<bool> settled(n, false);
  auto fail = [&](const std::string& what, const detail::LpSolution& s) {
    return Error(ErrorKind::Solver, label + ": geometric FBA of model " + in_quotes(p.model_id) + ": " + what + " (" +
                                        s.detail + ")");
  };
  // The ranges of the unsettled fluxes over `program` (its first n columns are the fluxes).
  auto narrow = [&](const detail::LinearProgram& program, int round) {
    detail::LpSession session(program);
    std::vector<double> c(program.column_names.size(), 0.0);
    for (std::size_t j = 0; j < n; ++j) {
      if (settled[j]) continue;
      c[j] = 1.0;
      for (const bool maximize : {false, true}) {
        const detail::LpSolution s = session.solve(c, maximize);
        if (s.status == detail::LpStatus::Unbounded) continue;  // round 0 only: the bound stays infinite
        if (s.status != detail::LpStatus::Optimal)
          throw fail("the " + std::string(maximize ? "greatest" : "least") + " flux of " + in_quotes(held.column_names[j]) +
                         " in round " + std::to_string(round),
                     s);
        if (maximize) upper[j] = std::min(upper[j], s.objective);
        else lower[j] = std::max(lower[j], s.objective);
      }
      c[j] = 0.0;
      if (lower[j] > upper[j]) std::swap(lower[j], upper[j]);  // a point, its ends crossed by rounding
      settled[j] = upper[j] - lower[j] < epsilon;
    }
  };
  narrow(held, 0);
  std::vector<std::vector<double>> centres;
  std::vector<double> distances;
  for (int round = 1;; ++round) {
    std::size_t open = 0;
    for (std::size_t j = 0; j < n; ++j) open += settled[j] ? 0 : 1;
    if (open == 0) break;
    if (round > options.geometric_max_rounds) {
      std::string names;
      for (std::size_t j = 0; j < n && names.size() < 200; ++j)
        if (!settled[j]) names += (names.empty() ? "" : ", ") + in_quotes(held.column_names[j]);
      throw Error(ErrorKind::Solver, label + ": geometric FBA of model " + in_quotes(p.model_id) + " did not settle in " +
                                         std::to_string(options.geometric_max_rounds) + " rounds: " + std::to_string(open) +
                                         " fluxes still range wider than " + number(epsilon) + " (" + names +
                                         "); allow more rounds or a larger epsilon");
    }
    std::vector<double> centre(n, 0.0);
    if (round > 1)
      for (std::size_t j = 0; j < n; ++j) centre[j] = 0.5 * (lower[j] + upper[j]);
    centres.push_back(centre);
    detail::LinearProgram program = held;
    program.lower = lower;
    program.upper = upper;
    program.objective.assign(n, 0.0);
    program.maximize = false;
    for (std::size_t k = 0; k < centres.size(); ++k) {
      const bool current = k + 1 == centres.size();
      const std::size_t first = program.column_names.size();
      for (std::size_t j = 0; j < n; ++j)
        for (const char* side : {" (above centre)", " (below centre)"}) {
          program.column_names.push_back(held.column_names[j] + side + " round " + std::to_string(k + 1));
          program.lower.push_back(0.0);
          program.upper.push_back(kInf);
          program.objective.push_back(current ? 1.0 : 0.0);
        }
      for (std::size_t j = 0; j < n; ++j) {  // v_j - p_j + q_j = c_j
        const std::size_t row = program.row_names.size();
        program.row_names.push_back(held.column_names[j] + " from centre " + std::to_string(k + 1));
        program.matrix.push_back({row, j, 1.0});
        program.matrix.push_back({row, first + 2 * j, -1.0});
        program.matrix.push_back({row, first + 2 * j + 1, 1.0});
        program.row_lower.push_back(centres[k][j]);
        program.row_upper.push_back(centres[k][j]);
      }
      if (!current) {
        const std::size_t row = program.row_names.size();
        program.row_names.push_back("distance from centre " + std::to_string(k + 1));
        for (std::size_t c = first; c < first + 2 * n; ++c) program.matrix.push_back({row, c, 1.0});
        program.row_lower.push_back(-kInf);
        program.row_upper.push_back(distances[k]);
      }
    }
    const detail::LpSolution nearest = detail::solve_lp(program);
    if (nearest.status != detail::LpStatus::Optimal)
      throw fail("no least distance from the centre in round " + std::to_string(round), nearest);
    // Held at the least distance, loosened by a relative 1e-9 so that the next programs, solved
    // to GLPK's tolerance, keep the vector just found.
    distances.push_back(nearest.objective * (1.0 + 1e-9) + 1e-12);
    const std::size_t first = program.column_names.size() - 2 * n;
    const std::size_t row = program.row_names.size();
    program.row_names.push_back("distance from centre " + std::to_string(round));
    for (std::size_t c = first; c < first + 2 * n; ++c) program.matrix.push_back({row, c, 1.0});
    program.row_lower.push_back(-kInf);
    program.row_upper.push_back(distances.back());
    std::fill(program.objective.begin(), program.objective.end(), 0.0);
    narrow(program, round);
    spdlog::debug("{}: geometric FBA round {}: distance {}, {} fluxes unsettled before it", label, round,
                  number(nearest.objective), open);
  }
  std::vector<double> v(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double middle = 0.5 * (lower[j] + upper[j]);
    v[j] = std::fabs(middle) < epsilon ? 0.0 : middle;
  }
  return v;
}

FbaResult solve(const detail::SbmlSource& source, const std::vector<std::string>& outputs, const FbaOptions& options) {
  const std::string label = source.label();
  const FbaProblem problem = load(source, options, label);
  const Objective& active = problem.objectives[problem.active];

  FbaResult result;
  result.ids = outputs;
  const std::vector<OutputRead> reads = resolve_outputs(problem, result.ids, label);
  result.objective_id = active.id;
  result.maximize = active.maximize;

  const detail::LpSolution solution = detail::solve_lp(problem.lp);
  if (solution.status != detail::LpStatus::Optimal) {
    const std::string what = failure(problem, solution, label);
    if (solution.status != detail::LpStatus::Infeasible || !options.infeasible_as_nan) throw Error(ErrorKind::Solver, what);
    result.feasible = false;
    result.infeasibility = what;
    result.objective = kNaN;
    result.total_flux = kNaN;
    result.values.assign(result.ids.size(), kNaN);
    if (options.method == FbaMethod::Optimum || options.method == FbaMethod::Parsimonious) {
      result.reaction_ids = problem.lp.column_names;
      result.reduced_costs.assign(result.reaction_ids.size(), kNaN);
      result.species_ids = problem.species_ids;
      result.shadow_prices.assign(result.species_ids.size(), kNaN);
    }
    return result;
  }
  if (options.method == FbaMethod::Optimum) {
    // The duals of the program solved: a boundary species has no row, which is a free row
    // (its balance unconstrained), whose dual is 0.
    result.reaction_ids = problem.lp.column_names;
    result.reduced_costs = solution.column_dual;
    result.species_ids = problem.species_ids;
    for (const std::optional<std::size_t>& row : problem.species_row)
      result.shadow_prices.push_back(row ? solution.row_dual[*row] : 0.0);
  }

  std::vector<double> x = solution.x;
  if (options.method == FbaMethod::Parsimonious)
    x = parsimonious_fluxes(problem, solution.objective, options.fraction_of_optimum, label, result);
  else if (options.method == FbaMethod::FewestActive)
    x = fewest_active_fluxes(problem, solution.objective, options.fraction_of_optimum, label);
  else if (options.method == FbaMethod::Geometric)
    x = geometric_fluxes(problem, solution.objective, options, label);
  auto value_of = [&](const Objective& o) {
    double v = 0.0;
    for (const auto& [column, coefficient] : o.coefficients) v += coefficient * x[column];
    return v + 0.0;
  };
  result.objective = options.method == FbaMethod::Optimum ? solution.objective : value_of(active);
  for (double v : x) result.total_flux += std::fabs(v);
  for (const OutputRead& read : reads) {
    if (!read.objective) result.values.push_back(x[read.index]);
    else if (read.index == problem.active) result.values.push_back(result.objective);
    else result.values.push_back(value_of(problem.objectives[read.index]));  // at the active one's fluxes
  }
  spdlog::debug("{}: objective {} = {}, total absolute flux {}", label, in_quotes(active.id), number(result.objective),
                number(result.total_flux));
  return result;
}

// Loopless FVA as COBRApy does it (cobra.flux_analysis.loopless.loopless_fva_iter, after Desouki
// et al. 2015's CycleFreeFlux). `held` is FVA's program (the objective held), `x` the optimal
// flux vector of one FVA program (extreme `current` of column j), `boundary` which reactions
// touch at most one balanced species (exchanges, which no cycle passes through).
//   1. Cycle-free flux: exchange fluxes fixed at x, every other flux kept between 0 and its value
//      in x, the total absolute flux of the others minimised. If column j keeps `current`, the
//      extreme was loopless: done.
//   2. Otherwise, the same with column j fixed at `current`: the reactions that carry flux now but
//      not in step 1 are the loops through j. They are closed (bounds [max(0, lo), min(0, up)]:
//      0 for most) and FVA's program re-solved for j's extreme.
// A heuristic, as COBRApy's is: not the mixed-integer program of Schellenberger et al. 2011.
double loopless_extreme(const detail::LinearProgram& held, const std::vector<bool>& boundary, std::size_t j,
                        bool maximize, const std::vector<double>& x, double current, const std::string& where) {
  constexpr double kZero = 1e-7;  // COBRApy's zero cutoff (the solver's tolerance)
  const std::size_t n = held.column_names.size();
  detail::LinearProgram cycle_free = held;
  cycle_free.maximize = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double lo = held.lower[i], up = held.upper[i];
    if (boundary[i]) {
      cycle_free.lower[i] = cycle_free.upper[i] = x[i];
      cycle_free.objective[i] = 0.0;
    } else if (x[i] >= 0) {  // between 0 and x_i, so |v_i| = v_i
      cycle_free.lower[i] = std::max(0.0, lo);
      cycle_free.upper[i] = std::min(x[i], up);
      cycle_free.objective[i] = 1.0;
    } else {  // between x_i and 0, |v_i| = -v_i
      cycle_free.lower[i] = std::max(x[i], lo);
      cycle_free.upper[i] = std::min(0.0, up);
      cycle_free.objective[i] = -1.0;
    }
    // x_i can lie outside a bound of its own by GLPK's tolerance: keep the bounds ordered.
    if (cycle_free.lower[i] > cycle_free.upper[i]) {
      if (x[i] >= 0) cycle_free.upper[i] = cycle_free.lower[i];
      else cycle_free.lower[i] = cycle_free.upper[i];
    }
  }
  auto solved = [&](const detail::LinearProgram& lp, const char* step) {
    detail::LpSolution s = detail::solve_lp(lp);
    if (s.status != detail::LpStatus::Optimal)
      throw Error(ErrorKind::Solver, where + ": loopless flux variability analysis, " + step + ": " + s.detail);
    return s;
  };
  const detail::LpSolution loopless = solved(cycle_free, "the cycle-free flux");
  if (std::fabs(loopless.x[j] - current) < kZero) return current;
  cycle_free.lower[j] = cycle_free.upper[j] = current;
  const detail::LpSolution almost = solved(cycle_free, "the cycle-free flux at the extreme");
  detail::LinearProgram closed = held;
  for (std::size_t i = 0; i < n; ++i)
    if (std::fabs(loopless.x[i]) < kZero && std::fabs(almost.x[i]) > kZero) {
      closed.lower[i] = std::max(0.0, held.lower[i]);
      closed.upper[i] = std::min(0.0, held.upper[i]);
    }
  std::fill(closed.objective.begin(), closed.objective.end(), 0.0);
  closed.objective[j] = 1.0;
  closed.maximize = maximize;
  return solved(closed, "the extreme with the loops through it closed").objective;
}

// Loopless FVA by Schellenberger et al. 2011's mixed-integer program (ll-FVA; loop_law.hpp).
// `optimum` is plain FBA's, `internal` which reactions may be in a cycle (not exchanges).
//   1. ll-FBA: the active objective's optimum over loopless flux vectors; the objective is held at
//      `fraction` of it (not of plain FBA's, which a loop can make unreachable without loops).
//   2. For each range end, plain FVA's over the same held set first (an LP): a bound on the
//      loopless end, since loopless vectors are some of those. Every loopless vector found so far
//      (ll-FBA's, and each program's below) is a witness: if one reaches the LP's end, that is the
//      loopless end too; only otherwise is the mixed-integer program solved. An unbounded LP end
//      is unbounded loopless too: internal fluxes are bounded, so the unbounded direction moves
//      exchange fluxes only, and adding it to a loopless vector keeps it loopless.
void loopless_exact_ranges(const FbaProblem& problem, const std::vector<std::size_t>& columns,
                           const std::vector<bool>& internal, const FbaOptions& options, const std::string& label,
                           FvaResult& result) {
  const std::size_t n = problem.lp.column_names.size();
  const std::string what = label + ": loopless flux variability analysis (mixed-integer) of model " +
                           in_quotes(problem.model_id);
  for (std::size_t j = 0; j < n; ++j)
    if (internal[j] && (!std::isfinite(problem.lp.lower[j]) || !std::isfinite(problem.lp.upper[j])))
      throw Error(ErrorKind::Unsupported, what + ": internal reaction " + in_quotes(problem.lp.column_names[j]) +
                                              " has bounds [" + number(problem.lp.lower[j]) + ", " +
                                              number(problem.lp.upper[j]) +
                                              "]; the loop law's big-M constraints need finite bounds on every "
                                              "reaction that touches two balanced species or more");
  const std::size_t species_rows = problem.lp.row_names.size();
  detail::LinearProgram ll_fba = problem.lp;
  const detail::LoopLaw fba_law = detail::add_loop_law(ll_fba, n, species_rows, internal);
  spdlog::debug("{}: loop law on {} internal reactions", label, fba_law.internal.size());
  const detail::LpSolution best = detail::solve_loopless(ll_fba, fba_law);
  if (best.status != detail::LpStatus::Optimal) {
    const std::string why = what + ": no loopless optimum of the objective (loopless FBA): " + best.detail;
    if (best.status != detail::LpStatus::Infeasible || !options.infeasible_as_nan) throw Error(ErrorKind::Solver, why);
    result.feasible = false;
    result.infeasibility = why;
    result.objective = result.objective_bound = kNaN;
    result.minimum.assign(result.ids.size(), kNaN);
    result.maximum.assign(result.ids.size(), kNaN);
    return;
  }
  result.objective = best.objective;
  const double slack = (1.0 - options.fraction_of_optimum) * std::fabs(best.objective);
  result.objective_bound = problem.lp.maximize ? best.objective - slack : best.objective + slack;
  const detail::LinearProgram held = with_objective_held(problem, best.objective, options.fraction_of_optimum);
  detail::LinearProgram ll_held = held;
  const detail::LoopLaw law = detail::add_loop_law(ll_held, n, species_rows, internal);
  detail::LpSession session(held);
  // Loopless vectors met so far (their fluxes): ll-FBA's first.
  std::vector<std::vector<double>> witnesses{std::vector<double>(best.x.begin(), best.x.begin() + static_cast<std::ptrdiff_t>(n))};
  std::vector<double> c(n, 0.0);
  std::size_t programs = 0;
  for (const std::size_t j : columns) {
    c[j] = 1.0;
    for (const bool maximize : {false, true}) {
      const detail::LpSolution s = session.solve(c, maximize);
      double v = 0.0;
      if (s.status == detail::LpStatus::Unbounded) {
        v = maximize ? kInf : -kInf;
      } else if (s.status != detail::LpStatus::Optimal) {
        throw Error(ErrorKind::Solver, what + ": the " + (maximize ? "maximum" : "minimum") + " flux of " +
                                           in_quotes(problem.lp.column_names[j]) + " with the objective held: " + s.detail);
      } else {
        double reached = witnesses.front()[j];
        for (const std::vector<double>& w : witnesses) reached = maximize ? std::max(reached, w[j]) : std::min(reached, w[j]);
        if (std::fabs(reached - s.objective) <= 1e-9 * std::max(1.0, std::fabs(s.objective))) {
          v = reached;
        } else {
          detail::LinearProgram program = ll_held;
          program.objective[j] = 1.0;
          program.maximize = maximize;
          const detail::LpSolution m = detail::solve_loopless(program, law);
          ++programs;
          if (m.status != detail::LpStatus::Optimal)
            throw Error(ErrorKind::Solver, what + ": the " + (maximize ? "maximum" : "minimum") + " loopless flux of " +
                                               in_quotes(problem.lp.column_names[j]) + " with the objective held: " +
                                               m.detail);
          v = m.x[j];
          witnesses.emplace_back(m.x.begin(), m.x.begin() + static_cast<std::ptrdiff_t>(n));
        }
      }
      (maximize ? result.maximum : result.minimum).push_back(v + 0.0);
    }
    c[j] = 0.0;
    if (result.minimum.back() > result.maximum.back()) std::swap(result.minimum.back(), result.maximum.back());
  }
  spdlog::debug("{}: loopless ranges of {} reactions: {} mixed-integer programs for {} range ends", label, columns.size(),
                programs, 2 * columns.size());
}

FvaResult variability(const detail::SbmlSource& source, const std::vector<std::string>& reactions,
                      const FbaOptions& options) {
  const std::string label = source.label();
  const FbaProblem problem = load(source, options, label);
  const Objective& active = problem.objectives[problem.active];

  FvaResult result;
  result.ids = reactions.empty() ? problem.lp.column_names : reactions;
  result.objective_id = active.id;
  result.maximize = active.maximize;
  std::vector<std::size_t> columns;
  for (const std::string& id : result.ids) {
    const auto r = problem.reaction_index.find(id);
    if (r == problem.reaction_index.end())
      throw Error(ErrorKind::UnknownId, label + ": model " + in_quotes(problem.model_id) + " has no reaction " +
                                            in_quotes(id) + " (flux variability analysis reports reactions' ranges)");
    columns.push_back(r->second);
  }

  const detail::LpSolution optimum = detail::solve_lp(problem.lp);
  if (optimum.status != detail::LpStatus::Optimal) {
    const std::string what = failure(problem, optimum, label);
    if (optimum.status != detail::LpStatus::Infeasible || !options.infeasible_as_nan) throw Error(ErrorKind::Solver, what);
    result.feasible = false;
    result.infeasibility = what;
    result.objective = result.objective_bound = kNaN;
    result.minimum.assign(result.ids.size(), kNaN);
    result.maximum.assign(result.ids.size(), kNaN);
    return result;
  }
  result.objective = optimum.objective;
  const double slack = (1.0 - options.fraction_of_optimum) * std::fabs(optimum.objective);
  result.objective_bound = active.maximize ? optimum.objective - slack : optimum.objective + slack;

  detail::LinearProgram held = with_objective_held(problem, optimum.objective, options.fraction_of_optimum);
  // The pFBA factor (COBRApy's pfba_factor): the total absolute flux held at most `factor` times
  // its least value with the objective held; the ranges are then over the split program (each
  // flux the difference of its forward and backward parts), where that total is one more row.
  const bool split = options.pfba_factor != 0.0;
  if (split && options.loopless)
    throw Error(ErrorKind::Unsupported, label + ": loopless flux variability analysis with a pFBA factor is not built "
                                                "(each alone is)");
  // Loopless FVA: reactions with at most one balanced species (exchanges) carry no cycle.
  std::vector<bool> boundary(problem.lp.column_names.size(), true);
  if (options.loopless) {
    std::vector<int> rows_of(problem.lp.column_names.size(), 0);
    for (const detail::LinearProgram::Entry& e : problem.lp.matrix)
      if (e.value != 0.0) ++rows_of[e.column];
    for (std::size_t k = 0; k < rows_of.size(); ++k) boundary[k] = rows_of[k] <= 1;
  }
  if (options.loopless && options.loopless_method == LooplessMethod::MixedInteger) {
    std::vector<bool> internal(boundary.size());
    for (std::size_t k = 0; k < boundary.size(); ++k) internal[k] = !boundary[k];
    loopless_exact_ranges(problem, columns, internal, options, label, result);
    return result;
  }
  if (split) {
    held = split_program(held);
    const detail::LpSolution least = least_total_flux(held, problem, label);
    result.total_flux_bound = options.pfba_factor * least.objective;
    held.row_names.push_back("total absolute flux");
    for (std::size_t k = 0; k < held.column_names.size(); ++k) held.matrix.push_back({held.row_names.size() - 1, k, 1.0});
    held.row_lower.push_back(-kInf);
    held.row_upper.push_back(result.total_flux_bound);
  }
  detail::LpSession session(held);
  std::vector<double> c(held.column_names.size(), 0.0);
  for (const std::size_t j : columns) {
    if (split) {
      c[2 * j] = 1.0;
      c[2 * j + 1] = -1.0;
    } else {
      c[j] = 1.0;
    }
    for (const bool maximize : {false, true}) {
      const detail::LpSolution s = session.solve(c, maximize);
      double v = s.objective;
      if (s.status == detail::LpStatus::Unbounded) v = maximize ? kInf : -kInf;
      else if (s.status != detail::LpStatus::Optimal)
        throw Error(ErrorKind::Solver, label + ": flux variability analysis of model " + in_quotes(problem.model_id) +
                                           ": the " + (maximize ? "maximum" : "minimum") + " flux of " +
                                           in_quotes(problem.lp.column_names[j]) + " with the objective held: " + s.detail);
      auto what = [&] {
        return std::string("the ") + (maximize ? "maximum" : "minimum") + " flux of " + in_quotes(problem.lp.column_names[j]);
      };
      if (options.loopless && s.status == detail::LpStatus::Unbounded)
        throw Error(ErrorKind::Unsupported, label + ": loopless flux variability analysis of model " +
                                                in_quotes(problem.model_id) + ": " + what() +
                                                " is unbounded (infinite flux bounds); the loop removal starts from a "
                                                "finite flux vector, so it needs finite bounds");
      if (options.loopless && !boundary[j])
        v = loopless_extreme(held, boundary, j, maximize, s.x, v, label + ": " + what());
      (maximize ? result.maximum : result.minimum).push_back(v + 0.0);
    }
    std::fill(c.begin(), c.end(), 0.0);
    // A range that is one point can come out with its ends crossed by rounding (1e-13 apart on
    // the E. coli core model's biomass flux): both are optima within GLPK's tolerance.
    if (result.minimum.back() > result.maximum.back()) std::swap(result.minimum.back(), result.maximum.back());
  }
  spdlog::debug("{}: flux variability of {} reactions with {} held at {}", label, columns.size(), in_quotes(active.id),
                number(result.objective_bound));
  return result;
}

}  // namespace

namespace detail {
FbaProblem load_fba_problem(const SbmlSource& source, const FbaOptions& options, const std::string& label) {
  return load(source, options, label);
}
}  // namespace detail

FbaResult solve_fba(const std::string& path, const std::vector<std::string>& outputs, const FbaOptions& options) {
  detail::SbmlSource source;
  source.path = path;
  return solve(source, outputs, options);
}

FbaResult solve_fba_string(const std::string& sbml, const std::vector<std::string>& outputs,
                           const FbaOptions& options) {
  detail::SbmlSource source;
  source.text = sbml;
  return solve(source, outputs, options);
}

FvaResult flux_variability(const std::string& path, const std::vector<std::string>& reactions,
                           const FbaOptions& options) {
  detail::SbmlSource source;
  source.path = path;
  return variability(source, reactions, options);
}

FvaResult flux_variability_string(const std::string& sbml, const std::vector<std::string>& reactions,
                                  const FbaOptions& options) {
  detail::SbmlSource source;
  source.text = sbml;
  return variability(source, reactions, options);
}

}  // namespace axisim
