// Version 4 matrix terms and single coefficients (document/variable_terms.hpp): the stoichiometric
// matrices, and the steady state's Jacobian, elasticities and control coefficients.
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

#include "document/variable_terms.hpp"
#include "tasks/structural_matrices.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

std::optional<Column> Runner::resolve_matrix(const Task& t, const Variable& v, const std::string& term, const std::string& element) {
  const std::string what = "term " + term + " (" + variable_term_label(term) + ")";
  auto refuse = [&](const std::string& why) -> std::optional<Column> {
    problem(ErrorKind::Unsupported, element, what + ": " + why);
    return std::nullopt;
  };
  if (!v.target.empty()) return refuse("a matrix of the whole model: no target goes with it");
  if (t.type != "task")
    return refuse("reads " + t.type + " '" + t.id + "': a matrix is built for a plain task (one matrix per iteration and "
                  "sub-task of a repeated task is not laid out)");
  const ResolvedModel* m = model_at(t.model_ref, element);
  if (!m) return std::nullopt;
  if (!runnable(m, t.model_ref, element)) return std::nullopt;
  const Simulation* sim = nullptr;
  const Plan* found = plan_of(t, element, &sim);
  if (!found) return std::nullopt;
  const Plan& plan = *found;
  if (plan.fba || plan.logical || plan.stochastic)
    return refuse("task '" + t.id + "' runs " + (plan.fba ? "flux balance analysis" : plan.logical ? "a logical model" : "a stochastic simulation") +
                  ": the matrix is built for deterministic runs");
  if (!structural_matrix(term) && !plan.steady)
    return refuse("it is taken at a steady state, and task '" + t.id + "' runs a " + sim->type +
                  ", along which it changes: SED-ML L1V4 and KiSAO say neither at which of its points it is taken nor how "
                  "one matrix per output time would be laid out");
  Column col;
  col.matrix = term;
  needed_[t.id].insert(col);
  return col;
}

std::optional<Column> Runner::resolve_coefficient(const Task& t, const Variable& v, const std::string& term, const std::string& element) {
  const std::string what = "term " + term + " (" + variable_term_label(term) + ")";
  auto refuse = [&](const std::string& why) -> std::optional<Column> {
    problem(ErrorKind::Unsupported, element, what + ": " + why);
    return std::nullopt;
  };
  if (v.target.empty() || v.target2.empty())
    return refuse("a coefficient of a pair: it needs a target (a flux's reaction or a species; an elasticity's reaction) and a "
                  "target2 (the reaction; an elasticity's species)");
  if (t.type != "task" && t.type != "repeatedTask")
    return refuse("reads " + t.type + " '" + t.id + "': a coefficient is taken at a task's steady state");
  const std::string model_id = task_model_id(t, element);
  if (model_id.empty()) return std::nullopt;
  const ResolvedModel* m = model_at(model_id, element);
  if (!m) return std::nullopt;
  if (!runnable(m, model_id, element)) return std::nullopt;
  if (t.type == "task") {
    const Simulation* sim = nullptr;
    const Plan* plan = plan_of(t, element, &sim);
    if (!plan) return std::nullopt;
    if (!plan->steady || plan->fba || plan->logical)
      return refuse("it is taken at a steady state, and task '" + t.id + "' runs a " + sim->type +
                    (plan->fba ? " by flux balance analysis" : plan->logical ? " of a logical model" : ""));
  }
  std::string ids[2];
  SymbolKind kinds[2];
  try {
    for (int i = 0; i < 2; ++i) {
      const std::string& target = i == 0 ? v.target : v.target2;
      const auto nodes = m->xml->select(target, v.ns);
      if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty() || !m->model->has_id(nodes[0].id))
        return refuse(std::string(i == 0 ? "target" : "target2") + " '" + target + "' selects no one symbol of model '" + model_id + "'");
      ids[i] = nodes[0].id;
      kinds[i] = m->model->kind(ids[i]);
    }
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, element, e.what());
    return std::nullopt;
  }
  const bool scaled = term == "KISAO:0000802" || term == "KISAO:0000807";
  Column col;
  if (term == "KISAO:0000805" || term == "KISAO:0000807") {
    if (kinds[0] != SymbolKind::Reaction || kinds[1] != SymbolKind::Species)
      return refuse("an elasticity is a reaction's ('" + ids[0] + "' is not) by a species ('" + ids[1] + "' is not)");
    col.matrix = scaled ? "KISAO:0000806" : "KISAO:0000804";
  } else {
    if (kinds[1] != SymbolKind::Reaction) return refuse("target2 '" + ids[1] + "' is not a reaction (the rate perturbed)");
    if (kinds[0] == SymbolKind::Reaction) col.matrix = scaled ? "KISAO:0000815" : "KISAO:0000814";
    else if (kinds[0] == SymbolKind::Species) col.matrix = scaled ? "KISAO:0000835" : "KISAO:0000801";
    else return refuse("target '" + ids[0] + "' is neither a reaction (a flux) nor a species");
  }
  col.spec.id = ids[0] + "\n" + ids[1];  // the entry: row, column
  needed_[t.id].insert(col);
  return col;
}

bool Runner::fill_matrices(const Model& model, const std::string& model_id, const SteadyStateOptions& so, const std::vector<Column>& mats,
                   std::map<Column, Series>& out, const std::string& task_id, const std::string& element, bool steady) {
  try {
    std::optional<MoietyAnalysis> moieties;
    std::optional<ControlAnalysis> mca;
    for (const Column& c : mats) {
      if (!steady && !structural_matrix(c.matrix)) {  // a coefficient in a repeated task's time course
        problem(ErrorKind::Unsupported, element,
                variable_term_label(c.matrix) + " is taken at a steady state, and this task runs a time course");
        return false;
      }
      Matrix value;
      if (structural_matrix(c.matrix)) {
        if (!moieties) moieties = conserved_moieties(model);
        if (c.matrix == "KISAO:0000811") value = moieties->stoichiometry;
        else if (c.matrix == "KISAO:0000808" || c.matrix == "KISAO:0000819") value = moieties->reduced_stoichiometry;
        else if (c.matrix == "KISAO:0000816") value = moieties->link;
        else if (c.matrix == "KISAO:0000818") value = moieties->link0;
        else value = moieties->kernel;  // KISAO:0000817
      } else {
        if (!mca) mca = control_analysis(model, so);
        if (c.matrix == "KISAO:0000804") value = mca->elasticities;
        else if (c.matrix == "KISAO:0000806") value = mca->scaled_elasticities;
        else if (c.matrix == "KISAO:0000814") value = mca->flux_control;
        else if (c.matrix == "KISAO:0000815") value = mca->scaled_flux_control;
        else if (c.matrix == "KISAO:0000801") value = mca->concentration_control;
        else if (c.matrix == "KISAO:0000835") value = mca->scaled_concentration_control;
        else if (c.matrix == "KISAO:0000812" || c.matrix == "KISAO:0000809" || c.matrix == "KISAO:0000810" ||
                 c.matrix == "KISAO:0000813") {
          if (!moieties) moieties = conserved_moieties(model);
          std::vector<double> sizes;
          const std::string why = steady_jacobian(model, model_id, *moieties, *mca, value, sizes);
          if (!why.empty()) {
            problem(ErrorKind::Unsupported, element, "term " + c.matrix + " (" + variable_term_label(c.matrix) + "): " + why);
            return false;
          }
          if (c.matrix == "KISAO:0000809" || c.matrix == "KISAO:0000810") value = reduced_jacobian(value, *moieties, sizes);
          if (c.matrix == "KISAO:0000810" || c.matrix == "KISAO:0000813") value = eigenvalue_matrix(value);
        } else {
          problem(ErrorKind::Unsupported, element, "term " + c.matrix + " is not built");
          return false;
        }
      }
      Series& s = out[c];
      if (!c.spec.id.empty()) {  // one coefficient: its entry
        const auto nl = c.spec.id.find('\n');
        s.push_back(value.at(c.spec.id.substr(0, nl), c.spec.id.substr(nl + 1)));
        continue;
      }
      s.insert(s.end(), value.values.begin(), value.values.end());
      matrices_[task_id + "\n" + c.matrix] = std::move(value);
    }
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
  return false;
}

std::string Runner::steady_jacobian(const Model& model, const std::string& model_id, const MoietyAnalysis& moieties,
                            const ControlAnalysis& mca, Matrix& out, std::vector<double>& sizes) {
  if (!mca.other_processes.empty())
    return "states that rate rules or plugins change ('" + mca.other_processes.front() + "', ...) are not built here";
  if (moieties.species != mca.species || moieties.reactions != mca.reactions)
    return "the control analysis's species or reactions differ from the stoichiometry's";
  const ResolvedModel* m = model_ptr(model_id);
  const Namespaces none;
  const std::size_t n = mca.species.size(), r = mca.reactions.size();
  out = Matrix(mca.species, mca.species);
  sizes.assign(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string sp = "//*[local-name()='species'][@id='" + mca.species[i] + "']";
    double size = 1.0;
    const auto only = m->xml->select(sp + "/@hasOnlySubstanceUnits", none);
    if (only.empty() || only[0].value != "true") {
      const auto comp = m->xml->select(sp + "/@compartment", none);
      if (comp.empty()) return "species '" + mca.species[i] + "' names no compartment";
      const auto constant = m->xml->select("//*[local-name()='compartment'][@id='" + comp[0].value + "']/@constant", none);
      if (!constant.empty() && constant[0].value == "false") return "compartment '" + comp[0].value + "' changes in size";
      size = model.initial_value(comp[0].value);
    }
    sizes[i] = size;
    for (std::size_t k = 0; k < n; ++k) {
      double sum = 0.0;
      for (std::size_t j = 0; j < r; ++j) sum += moieties.stoichiometry(i, j) * mca.elasticities(j, k);
      out(i, k) = sum / size;
    }
  }
  return {};
}

}  // namespace axisim::sedml::execution
