// A plain task's simulation: a time course or steady state (deterministic or stochastic), a flux
// balance analysis or a logical model's run, its columns appended to the task's values.
#include <cstdlib>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "tasks/fba_task.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

bool Runner::execute_plain(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out,
                   const std::string& element, bool carry) {
  const Simulation* sim = nullptr;
  const Plan* opt = plan_of(t, element, &sim);
  if (!opt) return false;
  const ResolvedModel* m = model_at(t.model_ref, element);
  if (!m) return false;
  if (opt->fba) return execute_fba(*m, *opt, need, out, element);
  if (opt->dfba) return execute_dfba(*m, *opt, need, out, element);
  if (opt->logical || m->logical) return execute_logical(*m, *opt, t, need, out, element, carry);
  if (!runnable(m, t.model_ref, element)) return false;
  const auto st = states.find(t.model_ref);
  const Model& current = st == states.end() ? *m->model : st->second.model;
  const double now = st == states.end() ? 0.0 : st->second.time;
  std::vector<Column> cols, mats;
  for (const Column& c : need)
    if (!c.matrix.empty()) mats.push_back(c);  // the model's, or at its steady state (fill_matrices)
    else if (!c.rate) cols.push_back(c);       // computed from the others (rate_series)
  std::vector<OutputSpec> specs;
  for (const Column& c : cols)
    if (!c.time && has_value(current, c.spec.id)) specs.push_back(c.spec);
  // Where an earlier time course on this model ended (resetModel="false", sub-tasks on one
  // model): a deterministic time course continues it (Model::simulate_from).
  const RunState* from = st == states.end() || st->second.state.empty() ? nullptr : &st->second.state;
  // After several stochastic runs, anything but a stochastic task continues from the means of
  // the values they ended with: executions of delayed events waiting there would be lost. (After
  // one run, `from` is its end state.)
  if (!opt->stochastic && st != states.end() && !from)
    for (const RunState& run : st->second.runs)
      if (const std::vector<RunState::PendingExecution> waiting = run.pending(); !waiting.empty()) {
        problem(ErrorKind::Unsupported, element,
                "continues " + std::to_string(st->second.runs.size()) + " stochastic runs of model '" + t.model_ref +
                    "' in which event '" + waiting.front().event + "' waits for its delay (until t = " +
                    format_number(waiting.front().time) +
                    "); a deterministic run or steady state continues one state, the means of their values, and would lose it");
        return false;
      }
  // A steady state or a stochastic run carries its state as values: the ones it ends with
  // become the model's initial values (carried_state), and it starts from the values the time
  // course before it ended with.
  const bool by_values = opt->steady || opt->stochastic;
  const std::size_t reported = specs.size();
  const std::vector<OutputSpec>* state = by_values && (carry || from) ? carried_state(t.model_ref, current) : nullptr;
  if (state && carry) specs.insert(specs.end(), state->begin(), state->end());
  Model start = current;
  if (state && from)
    for (const OutputSpec& o : *state) start.set_value(o.id, from->value(o.id, o.quantity), o.quantity);
  // The state the run ended in, as the model's new initial state (`row` reads the value of
  // specs[reported + i]).
  auto carry_over = [&](double time, auto row) {
    if (!state || !carry) return;
    Model next = current;
    for (std::size_t i = 0; i < state->size(); ++i) next.set_value((*state)[i].id, row(reported + i), (*state)[i].quantity);
    states.insert_or_assign(t.model_ref, Carried{std::move(next), time, {}, {}});
  };
  if (opt->steady) {
    try {
      // Formulas that read the time are frozen where the model's clock stands: where the run
      // before ended (its own clock), else the time carried (0 at first).
      SteadyStateOptions so = opt->steady_state;
      so.time = from ? from->time() : now;
      so.stop = options_.stop;  // Stopped ends the task (run_task), as a time course's stop does
      const SteadyState st = steady_state(start, so, specs);
      std::size_t k = 0;
      for (const Column& c : cols) {
        Series& s = out[c];
        if (c.time) {
          problem(ErrorKind::InvalidSbml, element, "a steady state has no time to report");
          return false;
        }
        s.push_back(has_value(current, c.spec.id) ? st.values[k++] : std::numeric_limits<double>::quiet_NaN());
      }
      if (!mats.empty() && !fill_matrices(start, t.model_ref, so, mats, out, t.id, element, true)) return false;
      carry_over(now, [&](std::size_t i) { return st.values[i]; });
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    return false;
  }
  // The run starts at the simulation's initialTime (uniformTimeCourse) or where the model's
  // time stands (oneStep). A deterministic run on a carried state continues it: the model's own
  // clock goes on from where the run before ended, and the report's time axis is the
  // simulation's. A fresh one on a model that reads the time starts its clock at the start.
  const bool continued = from && !opt->stochastic;
  const double begin = opt->one_step ? now : opt->initial_time;
  // A deterministic run that starts afresh at another time than 0, on a model that reads the
  // time, starts the model's clock there (RunState::start); for any other model the clock does
  // not matter and the run is the same from 0.
  bool own_clock = false;
  if (begin != 0.0 && !continued && !opt->stochastic)
    if (const std::string why = reads_time(t.model_ref, *m); !why.empty()) own_clock = true;
  try {
    Result r;
    std::size_t stride = 1;  // result columns per output: 2 (mean, sd) for an ensemble of runs
    RunState end;             // where a deterministic run ended, when carried
    std::vector<RunState> ended_runs;  // where each stochastic run ended, when carried
    double clock = 0.0;       // the model's time at the run's start
    if (opt->stochastic) {
      // Replicate numbers count on per simulation, so each run of it (in a repeated task)
      // draws its own stream, and the first is `axisim simulate --method ssa --seed S`'s.
      // A stochastic run on a carried state (resetModel="false", sub-tasks, a task after
      // another on the same model) continues it: its clock goes on from where the run before
      // ended. After stochastic runs (carried run by run) or a deterministic one (its RunState)
      // it goes on from their end states (StochasticOptions::from): values, triggers, the
      // executions of delayed events waiting. Run i from (i mod N)'s of the N before: run by run
      // for as many runs, else a draw from their empirical distribution. After a steady state
      // (no events) from the values it left, each trigger at its value there, not at its
      // initialValue (StochasticOptions::continued). A fresh one starts the model's clock at its
      // start (initialTime).
      std::vector<RunState> deterministic;
      const std::vector<RunState>* starts = nullptr;
      if (st != states.end() && !st->second.runs.empty()) {
        starts = &st->second.runs;
        if (starts->size() > 1 && starts->size() != opt->ssa.runs)
          note(element + ": its " + std::to_string(opt->ssa.runs) + " run(s) continue the " + std::to_string(starts->size()) +
               " runs before, run i from the end state of run (i mod " + std::to_string(starts->size()) + ")");
        // The simulator's own start (its outputs and the work estimate below) from run 0's
        // values: the means are not whole molecules and would be rounded, with a warning that
        // does not apply.
        if (const std::vector<OutputSpec>* carried = carried_state(t.model_ref, current))
          for (const OutputSpec& o : *carried) start.set_value(o.id, starts->front().value(o.id, o.quantity), o.quantity);
      } else if (from) {
        deterministic.push_back(*from);
        starts = &deterministic;
      }
      const StochasticSimulator ssa(start, specs, options_.load.backend);
      StochasticOptions so;
      so.continued = st != states.end();
      so.time0 = starts ? starts->front().time() : so.continued ? now : begin;
      so.from = starts;
      clock = so.time0;
      so.start = clock + opt->time_course.start;
      so.end = clock + opt->time_course.end;
      so.steps = opt->time_course.steps;
      so.seed = opt->ssa.seed;
      so.stop = options_.stop;
      if (opt->ssa.tau_leap) {
        so.method = opt->ssa.method;
        so.tau_epsilon = opt->ssa.epsilon;
        so.tau_critical = opt->ssa.critical;
        so.tau_delta = opt->ssa.delta;
      }
      // An exact method fires every reaction event: refuse a run whose events would not end
      // (typically a model in moles, whose counts are Avogadro-sized), estimated from the
      // propensities at the start.
      double rate = 0.0;
      for (const std::string& id : start.ids())
        if (start.kind(id) == SymbolKind::Reaction) rate += std::abs(start.initial_value(id));
      // (Tau-leaping's leaps do not grow with the counts.)
      const double firings = rate * ssa.molecules_per_substance() * (so.end - so.time0) * static_cast<double>(opt->ssa.runs);
      if (!opt->ssa.tau_leap && !(firings <= kMaxStochasticFirings)) {
        std::ostringstream what;
        what.precision(3);
        what << "exact stochastic simulation would fire about " << firings << " reaction events (propensity "
             << rate * ssa.molecules_per_substance() << " per time unit at the start, " << ssa.molecules_per_substance()
             << " molecules per unit of substance, to time " << so.end << (opt->ssa.runs > 1 ? ", times the runs" : "")
             << "); axisim refuses runs above " << kMaxStochasticFirings
             << " events (tau-leaping, KISAO:0000039, leaps over many at once)";
        problem(ErrorKind::Unsupported, element, what.str());
        return false;
      }
      std::uint64_t& next = next_replicate_[sim->id];
      const std::uint64_t first = next;
      next += opt->ssa.runs;
      // Where each run ended, when the model's state is carried (a stochastic task continues
      // them run by run).
      std::vector<RunState>* keep_runs = state && carry ? &ended_runs : nullptr;
      if (opt->ssa.runs == 1) {
        RunState one;
        r = ssa.trajectory(so, first, nullptr, keep_runs ? &one : nullptr);
        if (keep_runs) ended_runs.push_back(std::move(one));
      } else {
        r = ssa.statistics(so, first, opt->ssa.runs, nullptr, keep_runs).table();
        stride = 2;
      }
    } else {
      RunState* keep = carry ? &end : nullptr;
      std::optional<RunState> fresh;
      if (own_clock) fresh = RunState::start(current, begin, opt->time_course.seed);
      const RunState* origin = continued ? from : fresh ? &*fresh : nullptr;
      clock = origin ? origin->time() : 0.0;
      SimulationOptions o = opt->time_course;
      o.start += clock;
      o.end += clock;
      o.stop = options_.stop;
      r = origin ? current.simulate_from(*origin, o, specs, keep) : current.simulate(o, specs, keep);
      if (r.stopped) throw Stopped(r.stopped, r.error);  // ends the task (run_task)
    }
    if (!r.error.empty()) {
      problem(ErrorKind::Solver, element, r.error);
      return false;
    }
    std::size_t k = 1;
    for (const Column& c : cols) {
      Series& s = out[c];
      const bool present = c.time || has_value(current, c.spec.id);
      const std::size_t col = c.time ? 0 : present ? 1 + (k++ - 1) * stride : 0;
      for (std::size_t i = 0; i < r.rows(); ++i)
        s.push_back(!present ? std::numeric_limits<double>::quiet_NaN() : c.time ? begin + (r.at(i, 0) - clock) : r.at(i, col));
    }
    if (!mats.empty() && !fill_matrices(current, t.model_ref, opt->steady_state, mats, out, t.id, element, false)) return false;
    if (opt->stochastic) {
      if (r.rows() > 0) {
        const std::size_t last = r.rows() - 1;
        carry_over(clock + opt->time_course.end, [&](std::size_t i) { return r.at(last, 1 + i * stride); });
        if (state && carry) {
          Carried& c = states.at(t.model_ref);
          // One run: a deterministic task or steady state that continues it goes on from its
          // end state (Model::simulate_from): clock, triggers and delayed executions included.
          if (ended_runs.size() == 1) c.state = ended_runs.front();
          c.runs = std::move(ended_runs);
        }
      }
    } else if (carry) {
      states.insert_or_assign(t.model_ref, Carried{current, begin + opt->time_course.end, std::move(end), {}});
    }
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
  return false;
}

bool Runner::execute_fba(const ResolvedModel& m, const Plan& plan, const std::set<Column>& need, Columns& out,
                 const std::string& element) {
  std::vector<FbaColumn> columns;
  for (const Column& c : need) columns.push_back({c.spec.id, c.flux_range, c.time || c.rate});
  FbaOptions fo = plan.fba_options;
  fo.validate = options_.load.validate;
  try {
    const std::vector<double> values = run_fba_task(m.xml->to_string(), plan.fba_kind, fo, columns);
    std::size_t k = 0;
    for (const Column& c : need) out[c].push_back(values[k++]);
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
  return false;
}

bool Runner::execute_dfba(const ResolvedModel& m, const Plan& plan, const std::set<Column>& need, Columns& out,
                          const std::string& element) {
  std::vector<std::string> ids;
  for (const Column& c : need) {
    if (c.rate || !c.flux_range.empty() || !c.matrix.empty() || c.scale != 1.0) {
      problem(ErrorKind::Unsupported, element,
              "'" + c.spec.id + "': dynamic flux balance analysis reports the time, the biomass, medium "
              "concentrations, fluxes and objectives' values, not " +
                  (c.rate ? std::string("rates of change") : !c.flux_range.empty() ? c.flux_range : std::string("this term")));
      return false;
    }
    if (!c.time) ids.push_back(c.spec.id);
  }
  DfbaTimes times;
  times.start = plan.initial_time;
  times.output_start = plan.initial_time + plan.time_course.start;
  times.end = plan.initial_time + plan.time_course.end;
  times.points = plan.time_course.steps;
  DfbaOptions o;
  o.validate = options_.load.validate;
  o.stop = options_.stop;
  try {
    // Without ids (only the time asked for) the default columns are computed and unused.
    const Result r = dynamic_fba_string(m.xml->to_string(), plan.dfba_description, times, ids, o);
    std::size_t k = 0;
    for (const Column& c : need) {
      const std::size_t col = c.time ? 0 : 1 + k++;
      Series& s = out[c];
      for (std::size_t i = 0; i < r.rows(); ++i) s.push_back(r.at(i, col));
    }
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
  return false;
}

bool Runner::execute_logical(const ResolvedModel& m, const Plan& plan, const Task& t, const std::set<Column>& need, Columns& out,
                     const std::string& element, bool carry) {
  const std::string& model_id = t.model_ref;
  if (!m.logical) {
    problem(ErrorKind::Unsupported, element,
            "a logical updating scheme runs logical (SBML qual) models only; model '" + model_id + "' is not one");
    return false;
  }
  if (!plan.logical) {
    runnable(&m, model_id, element);
    return false;
  }
  const bool steady = plan.logical_kind != LogicalRun::Kind::TimeCourse;
  std::vector<std::string> ids;
  for (const Column& c : need) {
    if (c.rate) {
      problem(ErrorKind::Unsupported, element, "a logical model has levels, not rates of change");
      return false;
    }
    if (c.time && steady) {
      problem(ErrorKind::InvalidSbml, element, "a steady state (the attractors of a logical model) has no time to report");
      return false;
    }
    if (!c.time) ids.push_back(c.spec.id);
  }
  const auto st = logical_states_.find(model_id);
  const std::vector<int>& levels = st == logical_states_.end() ? m.logical->initial_levels() : st->second.levels;
  const double now = st == logical_states_.end() ? 0.0 : st->second.time;
  try {
    LogicalRun run;
    run.kind = plan.logical_kind;
    run.update = plan.update;
    run.start = plan.time_course.start;
    run.end = plan.time_course.end;
    run.steps = plan.time_course.steps;
    // Each run of a simulation draws its own stream: the k-th (from 0) seeds with seed + k, so
    // the first is `axisim simulate --seed S`'s and the iterations of a repeated task differ.
    run.seed = plan.logical_seed + next_logical_run_[t.sim_ref]++;
    run.one_level = plan.logical_one_level;
    run.trap_kind = plan.logical_trap_kind;
    run.trap_bounds = plan.logical_trap_bounds;
    const LogicalRunResult r = run_logical(*m.logical, levels, run, ids);
    if (steady) note(element + ": " + r.summary);
    const double begin = plan.one_step ? now : plan.initial_time;
    std::size_t k = 0;
    for (const Column& c : need) {
      Series& s = out[c];
      if (c.time) {
        for (double x : r.time) s.push_back(begin + x);
      } else {
        const auto& v = r.values[k++];
        s.insert(s.end(), v.begin(), v.end());
      }
    }
    if (carry && r.end_levels)
      logical_states_.insert_or_assign(model_id, LogicalCarried{*r.end_levels, steady ? now : begin + run.end});
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
  return false;
}

}  // namespace axisim::sedml::execution
