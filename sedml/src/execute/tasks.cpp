// Tasks: a task's run and the layout of its values; a repeated task's ranges, changes and
// sub-tasks, nested, with the models' states carried between sub-tasks.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "execute/runner.hpp"

namespace axisim::sedml::execution {

void Runner::run_task(const Task& t) {
  TaskRun& run = runs_[t.id];
  run.attempted = true;
  ModelStates states;
  logical_states_.clear();
  Columns out;
  for (const Column& c : needed_[t.id]) out[c];

  top_iterations_ = 0;
  // A stop request inside a run (an integration, a stochastic run, a fit: RunOptions::stop
  // passed to them) ends the task like a stop between tasks: the task FAILED, stopped.
  bool ok = false;
  try {
    ok = execute(t, needed_[t.id], states, out, 0);
  } catch (const Stopped& s) {
    layout_ = nullptr;  // it pointed into the frames the stop unwound
    if (!stopping("in task '" + t.id + "' (" + s.what() + ")")) problem(ErrorKind::Io, "task '" + t.id + "'", s.what());
  }
  if (ok) {
    run.columns = std::move(out);
    run.iterations = top_iterations_;
    run.layout = std::move(top_layout_);
    run.ok = true;
  }
}

bool Runner::execute(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth) {
  auto filled = [&out] {
    std::size_t n = 0;
    for (const auto& [c, s] : out)
      if (c.matrix.empty() || !c.spec.id.empty()) n = std::max(n, s.size());  // a whole matrix has no points
    return n;
  };
  Layout node;
  node.repeated = t.type == "repeatedTask";
  if (node.repeated) node.subtasks = sorted_subtasks(t).size();
  Layout* parent = layout_;
  layout_ = &node;
  const std::size_t before = filled();
  const bool ok = execute_task(t, need, states, out, depth);
  layout_ = parent;
  if (!node.repeated) {
    node.points = filled() - before;
    const auto plan = t.type == "task" ? sim_options_.find(t.sim_ref) : sim_options_.end();
    node.scalar = plan != sim_options_.end() && plan->second && plan->second->fba;
  }
  if (parent) parent->children.push_back(std::move(node));
  else top_layout_ = std::move(node);
  return ok;
}

bool Runner::execute_task(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth) {
  const std::string element = t.type + " '" + t.id + "'";
  if (t.type == "task") return execute_plain(t, need, states, out, element, depth > 0);
  if (t.estimation) return execute_estimation(t, need, out, depth > 0 ? &states : nullptr);
  if (t.type != "repeatedTask") {
    problem(ErrorKind::Unsupported, element, t.type + " is not built yet");
    return false;
  }
  if (depth > 50) {
    problem(ErrorKind::InvalidSbml, element, "repeated tasks nested in a cycle");
    return false;
  }
  // The ranges' values; the master range sets the number of iterations.
  std::map<std::string, std::vector<double>> ranges;
  for (const Range& r : t.ranges) {
    std::vector<double> v;
    if (r.type == "vectorRange") {
      v = r.values;
    } else if (r.type == "uniformRange") {
      const long n = r.points;
      for (long i = 0; i <= n; ++i) {
        const double f = n == 0 ? 0.0 : static_cast<double>(i) / static_cast<double>(n);
        if (r.scale == "log" || r.scale == "log10") {
          if (r.start <= 0 || r.end <= 0) {
            problem(ErrorKind::InvalidSbml, element, "uniformRange '" + r.id + "': a log range needs positive ends");
            return false;
          }
          v.push_back(r.start * std::pow(r.end / r.start, f));
        } else {
          v.push_back(r.start + f * (r.end - r.start));
        }
      }
    } else if (r.type == "functionalRange") {
      continue;  // computed at each iteration, from the model's state then (below)
    } else {
      problem(ErrorKind::Unsupported, element, r.type + " '" + r.id + "' is not built yet");
      return false;
    }
    ranges[r.id] = std::move(v);
  }
  // A functional range has as many values as the range it follows (functional ranges may
  // follow each other, in document order).
  std::map<std::string, std::string> follows;
  std::vector<const Range*> functional;
  for (const Range& r : t.ranges)
    if (r.type == "functionalRange") {
      functional.push_back(&r);
      follows[r.id] = r.range_ref;
      if (!r.math) {
        problem(ErrorKind::InvalidSbml, element + " functionalRange '" + r.id + "'", "has no math axisim can evaluate");
        return false;
      }
    }
  std::string master_id = t.range_ref;
  for (int hops = 0; follows.count(master_id) && hops < 100; ++hops) master_id = follows[master_id];
  const auto master = ranges.find(master_id);
  if (master == ranges.end()) {
    if (master_id != t.range_ref && !follows.count(master_id))
      problem(ErrorKind::UnknownId, element,
              "its range '" + t.range_ref + "' is a functionalRange that follows range '" + master_id +
                  "', which the repeated task does not have: its number of iterations is not given");
    else
      problem(ErrorKind::UnknownId, element, "range '" + t.range_ref + "' names none of its ranges (or follows none)");
    return false;
  }
  const std::size_t iterations = master->second.size();
  if (depth == 0) top_iterations_ = iterations;
  iteration_counts_[t.id] = iterations;  // the same at every run (ranges are fixed)
  for (const Range* r : functional)
    if (!r->range_ref.empty() && !ranges.count(r->range_ref) && !follows.count(r->range_ref)) {
      problem(ErrorKind::UnknownId, element + " functionalRange '" + r->id + "'",
              "range '" + r->range_ref + "' names none of the repeated task's ranges");
      return false;
    }
  for (const auto& [id, v] : ranges)
    if (v.size() < iterations) {
      problem(ErrorKind::InvalidSbml, element, "range '" + id + "' has fewer values than the master range");
      return false;
    }
  const auto subs = sorted_subtasks(t);
  if (subs.empty()) {
    problem(ErrorKind::InvalidSbml, element, "has no sub-tasks");
    return false;
  }
  const std::string default_model = task_model_id(t, element);
  // resetModel="true": every iteration starts from the models as they were when this task
  // began; "false": from the state the iteration before ended in. Within an iteration, each
  // sub-task starts where the one before on the same model ended (SED-ML). The state the last
  // iteration ended in goes back to the caller (an enclosing repeated task).
  ModelStates iteration = states;
  // Where this task is, for data sources sliced at its iteration (a slice's `index`).
  struct IterationMark {
    DataSources::Iterations& at;
    const std::string& id;
    ~IterationMark() { at.erase(id); }
  } mark{current_iterations_, t.id};
  const auto logical_start = logical_states_;
  for (std::size_t i = 0; i < iterations; ++i) {
    if (stopping("in repeated task '" + t.id + "' before iteration " + std::to_string(i) + " of " + std::to_string(iterations)))
      return false;
    current_iterations_[t.id] = i;
    if (t.reset_model && i > 0) {
      iteration = states;
      logical_states_ = logical_start;
    }
    // This iteration's range values: the ranges', then each functional range's from its math
    // (the range it follows by that range's id, its variables at the models' current state).
    std::map<std::string, Series> range_values;
    for (const auto& [id, v] : ranges) range_values[id] = {v[i]};
    for (const Range* r : functional) {
      const std::string fr = element + " functionalRange '" + r->id + "'";
      std::map<std::string, Series> values = range_values;
      for (const Parameter& p : r->parameters) values[p.id] = {p.value};
      for (const Variable& v : r->variables) {
        const auto x = current_value(iteration, v, v.model_ref.empty() ? default_model : v.model_ref, fr);
        if (!x) return false;
        values[v.id] = {*x};
      }
      try {
        const Series y = evaluate(*r->math, [&](const std::string& id) -> const Series* {
          auto it = values.find(id);
          return it == values.end() ? nullptr : &it->second;
        });
        if (y.size() != 1) throw std::runtime_error("the math does not give one value");
        range_values[r->id] = y;
      } catch (const std::exception& e) {
        problem(ErrorKind::InvalidSbml, fr, e.what());
        return false;
      }
    }
    for (const SetValue& c : t.changes) {
      const std::string change = element + " setValue '" + (c.target.empty() ? c.symbol : c.target) + "'";
      const std::string mid = c.model_ref.empty() ? default_model : c.model_ref;
      const ResolvedModel* m = model_at(mid, change);
      if (!m) return false;
      if (!m->logical && !runnable(m, mid, change)) return false;
      if (!c.math) {
        problem(ErrorKind::InvalidSbml, change, "has no math axisim can evaluate");
        return false;
      }
      std::map<std::string, Series> values = range_values;
      for (const Parameter& p : c.parameters) values[p.id] = {p.value};
      // Variables read the models as they are now: after the setValues before this one.
      for (const Variable& v : c.variables) {
        const auto x = current_value(iteration, v, v.model_ref.empty() ? mid : v.model_ref, change);
        if (!x) return false;
        values[v.id] = {*x};
      }
      try {
        const Series r = evaluate(*c.math, [&](const std::string& id) -> const Series* {
          auto it = values.find(id);
          return it == values.end() ? nullptr : &it->second;
        });
        if (r.size() != 1) throw std::runtime_error("the math does not give one value");
        if (!c.symbol.empty()) {
          if (!set_plugin_value(*m, mid, c, r[0], iteration, change)) return false;
          continue;
        }
        if (m->logical) {
          if (!set_logical_level(*m, mid, c, r[0], change)) return false;
          continue;
        }
        const auto nodes = m->xml->select(c.target, c.ns);
        if (nodes.size() != 1 || nodes[0].id.empty()) {
          problem(ErrorKind::UnknownId, change,
                  "the target selects " + std::to_string(nodes.size()) + " nodes with an id in model '" + mid + "', not one");
          return false;
        }
        Quantity q = Quantity::Default;
        if (nodes[0].attribute == "initialAmount") q = Quantity::Amount;
        else if (nodes[0].attribute == "initialConcentration") q = Quantity::Concentration;
        auto it = iteration.find(mid);
        if (it == iteration.end()) it = iteration.emplace(mid, Carried{*m->model, 0.0, {}, {}}).first;
        if (it->second.state.empty()) it->second.model.set_value(nodes[0].id, r[0], q);
        else it->second.state.set_value(nodes[0].id, r[0], q);  // a change at the time the run stands
        // Stochastic runs carried run by run: the value is set in every run, where it stands.
        for (RunState& run : it->second.runs) run.set_value(nodes[0].id, r[0], q);
      } catch (const Error& e) {
        problem(e.kind(), change, e.what());
        return false;
      } catch (const std::exception& e) {
        problem(ErrorKind::InvalidSbml, change, e.what());
        return false;
      }
    }
    for (const SubTask& s : subs) {
      const Task* sub = find_task(s.task);
      if (!sub) {
        problem(ErrorKind::UnknownId, element, "sub-task '" + s.task + "' names no task");
        return false;
      }
      if (!execute(*sub, need, iteration, out, depth + 1)) return false;
    }
  }
  states = std::move(iteration);
  return true;
}

std::string Runner::reads_time(const std::string& id, const ResolvedModel& m) {
  auto it = reads_time_.find(id);
  if (it != reads_time_.end()) return it->second;
  std::string why;
  try {
    for (const auto& n : m.xml->select("//*[local-name()='csymbol']/@definitionURL", {})) {
      if (n.value.size() >= 5 && n.value.compare(n.value.size() - 5, 5, "/time") == 0) why = "reads the time";
      else if (n.value.size() >= 6 && n.value.compare(n.value.size() - 6, 6, "/delay") == 0) why = "uses delay()";
      if (!why.empty()) break;
    }
  } catch (const std::exception& e) {
    why = std::string("could not be checked for time: ") + e.what();
  }
  return reads_time_[id] = why;
}

}  // namespace axisim::sedml::execution
