// What Runner writes into the run log (log.yml, output/run_log.hpp) for each task and output.
#include <chrono>

#include <spdlog/spdlog.h>

#include "tasks/fba_task.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

DocumentLog* Runner::doc_log() { return log_ ? &log_->archive().documents[doc_index_] : nullptr; }

void Runner::log_lines(ElementLog& e, std::size_t p, std::size_t n) const {
  std::string text;
  for (std::size_t i = p; i < report_.problems.size(); ++i)
    text += "error: " + report_.problems[i].element + ": " + report_.problems[i].message + "\n";
  for (std::size_t i = n; i < report_.notes.size(); ++i) text += report_.notes[i] + "\n";
  e.output = text;
  if (p < report_.problems.size()) {
    const Problem& first = report_.problems[p];
    e.exception = LogReason{problem_type(first), first.element + ": " + first.message};
  }
}

double Runner::seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void Runner::log_queue() {
  DocumentLog* d = doc_log();
  if (!d) return;
  d->tasks.clear();
  d->outputs.clear();
  for (const Task& t : doc_.tasks) {
    TaskLog tl;
    tl.id = t.id;
    if (const Simulation* sim = t.type == "task" ? find_simulation(t.sim_ref) : nullptr) tl.algorithm = sim->kisao;
    if (t.estimation) tl.algorithm = t.estimation->kisao;
    d->tasks.push_back(std::move(tl));
  }
  for (const Output& o : doc_.outputs) {
    OutputLog ol;
    ol.id = o.id;
    ol.type = o.type;
    for (const DataSet& ds : o.data_sets) ol.items.emplace_back(ds.id, LogStatus::Queued);
    for (std::size_t i = 0; i < o.curves.size(); ++i)
      ol.items.emplace_back(o.curves[i].id.empty() ? o.id + "_" + std::to_string(i) : o.curves[i].id, LogStatus::Queued);
    d->outputs.push_back(std::move(ol));
  }
  log_->write();
}

TaskLog* Runner::task_log(const Task& t) {
  DocumentLog* d = doc_log();
  const std::size_t i = static_cast<std::size_t>(&t - doc_.tasks.data());
  return d && i < d->tasks.size() ? &d->tasks[i] : nullptr;
}

void Runner::logged_task(const Task& t) {
  TaskLog* tl = task_log(t);
  const std::size_t p = report_.problems.size(), n = report_.notes.size();
  const auto start = std::chrono::steady_clock::now();
  if (tl) {
    tl->status = LogStatus::Running;
    log_->write();
  }
  run_task(t);
  if (!tl) return;
  const TaskRun& run = runs_[t.id];
  tl->duration = seconds_since(start);
  tl->status = run.ok ? LogStatus::Succeeded : LogStatus::Failed;
  log_lines(*tl, p, n);
  if (t.type == "task" && run.ok) {
    const auto plan = sim_options_.find(t.sim_ref);
    if (plan != sim_options_.end() && plan->second) {
      const Plan& pl = *plan->second;
      tl->simulator_details.emplace_back(
          "method", pl.fba ? fba_method_name(pl.fba_kind) + " (axisim/fba.hpp, GLPK)"
                    : pl.dfba ? "dynamic flux balance analysis, static optimisation approach, step " +
                                    format_number(pl.dfba_description.step) + " (axisim/dynamic_fba.hpp, GLPK)"
                    : pl.steady ? "steady-state solver (Newton, pseudo-transient continuation, integration)"
                    : pl.stochastic && pl.ssa.tau_leap
                        ? std::string(pl.ssa.method == StochasticMethod::ImplicitTauLeap ? "implicit tau-leaping (Rathinam-Petzold-Cao-Gillespie), "
                                      : pl.ssa.method == StochasticMethod::AdaptiveTauLeap
                                          ? "adaptive explicit-implicit tau-leaping (Cao-Gillespie-Petzold 2007), "
                                      : pl.ssa.method == StochasticMethod::Hybrid
                                          ? "continuous-discrete hybrid (GillesPy2's TauHybridSolver: ODEs for continuous species, "
                                            "integrated-hazard firings for the others), "
                                          : "tau-leaping (Cao-Gillespie-Petzold adaptive step), ") +
                              std::to_string(pl.ssa.runs) + " run(s)"
                    : pl.stochastic ? "exact stochastic simulation (Gillespie's direct method), " + std::to_string(pl.ssa.runs) + " run(s)"
                                    : "CVODE (BDF, Newton)");
    }
  } else if (const auto fit = estimations_.find(t.id); t.estimation && fit != estimations_.end()) {
    const FitResult& f = fit->second.back().fit;  // inside a repeated task: its last iteration's
    tl->simulator_details.emplace_back("method", f.method == "Levenberg-Marquardt"
                                                     ? "bounded Levenberg-Marquardt (axisim/parameter_estimation.hpp)"
                                                     : f.method + (f.polished ? ", polished by Levenberg-Marquardt" : "") +
                                                           " (axisim/parameter_estimation.hpp)");
    tl->simulator_details.emplace_back("objective at the initial values", format_number(f.initial_objective));
    tl->simulator_details.emplace_back("objective fitted", format_number(f.objective));
    tl->simulator_details.emplace_back("iterations", std::to_string(f.iterations));
    tl->simulator_details.emplace_back("stopped", f.stop);
  } else if (run.ok) {
    tl->simulator_details.emplace_back("iterations", std::to_string(run.iterations));
  }
  if (!run.ok && !tl->exception)
    tl->exception = LogReason{error_type(dependent_kind()), "task '" + t.id + "' did not run (see the problems before it)"};
  log_->write();
}

void Runner::log_subtask_only(const Task& t) {
  if (TaskLog* tl = task_log(t)) {
    tl->status = LogStatus::Skipped;
    tl->skip_reason = LogReason{"SubTask", "runs only as a sub-task of a repeated task, whose log holds its runs"};
  }
}

void Runner::set_plot_status(LogStatus status, const std::string& why) { plot_status_ = std::make_pair(status, why); }

void Runner::logged_output(const Output& o) {
  DocumentLog* d = doc_log();
  const std::size_t i = static_cast<std::size_t>(&o - doc_.outputs.data());
  OutputLog* ol = d && i < d->outputs.size() ? &d->outputs[i] : nullptr;
  const std::size_t p = report_.problems.size(), n = report_.notes.size();
  const auto start = std::chrono::steady_clock::now();
  plot_status_.reset();
  write_output(o);
  if (!ol) return;
  ol->duration = seconds_since(start);
  log_lines(*ol, p, n);
  bool all = true;
  std::size_t k = 0;
  for (const DataSet& ds : o.data_sets) {
    const bool ok = generated(ds.data_ref) != nullptr;
    all = all && ok;
    ol->items[k++].second = ok ? LogStatus::Succeeded : LogStatus::Failed;
  }
  for (const Output::Curve& c : o.curves) {
    bool ok = true;
    for (const std::string& ref : c.refs) ok = ok && generated(ref) != nullptr;
    all = all && ok;
    ol->items[k++].second = ok ? LogStatus::Succeeded : LogStatus::Failed;
  }
  const bool failed = report_.problems.size() > p || !all;
  if (failed) {
    ol->status = LogStatus::Failed;
    if (!ol->exception && plot_status_ && plot_status_->first == LogStatus::Failed)
      ol->exception = LogReason{"Plot", plot_status_->second};  // drawn data, not drawn
    if (!ol->exception) ol->exception = LogReason{error_type(dependent_kind()), o.type + " '" + o.id + "': not all its data could be computed"};
  } else if (o.type == "report") {
    ol->status = LogStatus::Succeeded;
  } else if (plot_status_) {
    ol->status = plot_status_->first;
    if (ol->status == LogStatus::Failed) ol->exception = LogReason{"Plot", plot_status_->second};
    if (ol->status == LogStatus::Skipped) ol->skip_reason = LogReason{"NoPlots", plot_status_->second};
  } else {
    ol->status = LogStatus::Skipped;
    ol->skip_reason = LogReason{"NotBuilt", o.type == "plot2D" || o.type == "plot3D" ? "nothing to draw (no curves or surfaces)"
                                            : o.type == "figure"                     ? "nothing to draw (no subPlots)"
                                                                                     : "drawing it is not built yet"};
  }
  log_->write();
}

}  // namespace axisim::sedml::execution
