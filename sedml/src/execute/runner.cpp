// Runner's frame: the order a document runs in (run), its problems and notes, and finding a
// model, task or simulation by id.
#include <set>

#include <spdlog/spdlog.h>

#include "execute/runner.hpp"

namespace axisim::sedml::execution {

void Runner::run() {
  collect_variables();
  // Every task runs once, but a sub-task of a repeated task only when a variable reads it
  // directly (its runs inside the repeated task are the repeated task's).
  std::set<std::string> subtasks;
  for (const Task& t : doc_.tasks)
    for (const SubTask& s : t.subtasks) subtasks.insert(s.task);
  log_queue();
  // A stop (RunOptions::stop) ends the run before the next task, data generator or output: what
  // was not reached stays QUEUED in the log (SKIPPED when it is finished), and no report is
  // written from data the run did not finish.
  for (const Task& t : doc_.tasks) {
    if (stopping("before task '" + t.id + "'")) return;
    if (!subtasks.count(t.id) || needed_.count(t.id)) logged_task(t);
    else log_subtask_only(t);
  }
  if (stopping("after the tasks, before the data generators")) return;
  for (const DataGenerator& g : doc_.generators) evaluate_generator(g);
  for (const Output& o : doc_.outputs) {
    if (stopping("before output '" + o.id + "'")) return;
    logged_output(o);
  }
}

bool Runner::stopping(const std::string& where) {
  if (report_.interrupted) return true;
  if (!options_.stop || options_.stop->load() == 0) return false;
  report_.interrupted = options_.stop->load();
  problem(ErrorKind::Io, "run", kStopped + std::to_string(report_.interrupted) + " (" +
                                    (report_.interrupted == 15 ? "SIGTERM" : report_.interrupted == 2 ? "SIGINT" : "a stop signal") +
                                    ") " + where + "; what was not reached did not run");
  return true;
}

void Runner::problem(ErrorKind kind, const std::string& element, const std::string& message) {
  spdlog::error("{}: {}", element, message);
  report_.problems.push_back({kind, element, message});
}

ErrorKind Runner::dependent_kind() const {
  for (const Problem& p : report_.problems)
    if (p.kind != ErrorKind::Unsupported) return p.kind;
  return ErrorKind::Unsupported;
}

void Runner::note(const std::string& text) {
  spdlog::info("{}", text);
  report_.notes.push_back(text);
}

const ModelDef* Runner::find_model(const std::string& id) const {
  for (const ModelDef& m : doc_.models)
    if (m.id == id) return &m;
  return nullptr;
}

const Task* Runner::find_task(const std::string& id) const {
  for (const Task& t : doc_.tasks)
    if (t.id == id) return &t;
  return nullptr;
}

const Simulation* Runner::find_simulation(const std::string& id) const {
  for (const Simulation& s : doc_.simulations)
    if (s.id == id) return &s;
  return nullptr;
}

const ResolvedModel* Runner::model_at(const std::string& id, const std::string& element) {
  const ResolvedModel* m = id.empty() ? nullptr : model(id);
  if (!m) problem(dependent_kind(), element, "model '" + id + "' could not be had");
  return m;
}

const Plan* Runner::plan_of(const Task& t, const std::string& element, const Simulation** sim_out) {
  const Simulation* sim = find_simulation(t.sim_ref);
  if (sim_out) *sim_out = sim;
  if (!sim) {
    problem(ErrorKind::UnknownId, element, "task '" + t.id + "': simulationReference '" + t.sim_ref + "' names no simulation");
    return nullptr;
  }
  auto cached = sim_options_.find(sim->id);
  if (cached == sim_options_.end()) cached = sim_options_.emplace(sim->id, simulation_options(*sim, t.id)).first;
  return cached->second ? &*cached->second : nullptr;  // a refused simulation was reported there
}

}  // namespace axisim::sedml::execution
