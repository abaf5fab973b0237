#include "tasks/logical_task.hpp"

#include <limits>

#include "axisim/error.hpp"

namespace axisim::sedml {

LogicalRunResult run_logical(const LogicalModel& model, const std::vector<int>& levels, const LogicalRun& run,
                             const std::vector<std::string>& ids) {
  LogicalModel m = model;
  m.set_initial_levels(levels);
  std::vector<std::size_t> columns;
  for (const std::string& id : ids) {
    std::size_t i = 0;
    while (i < m.ids().size() && m.ids()[i] != id) ++i;
    if (i == m.ids().size()) throw Error(ErrorKind::UnknownId, "'" + id + "' is not a qualitative species of the model");
    columns.push_back(i);
  }
  LogicalRunResult out;
  out.values.resize(ids.size());
  if (run.kind == LogicalRun::Kind::TimeCourse) {
    LogicalOptions o;
    o.update = run.update;
    o.start = run.start;
    o.end = run.end;
    o.steps = run.steps;
    o.seed = run.seed;
    o.one_level = run.one_level;
    const Result r = m.simulate(o);  // every species: the last row is the state carried on
    for (std::size_t i = 0; i < r.rows(); ++i) {
      out.time.push_back(r.at(i, 0));
      for (std::size_t k = 0; k < columns.size(); ++k) out.values[k].push_back(r.at(i, columns[k] + 1));
    }
    if (r.rows() > 0) {
      std::vector<int> last(m.ids().size());
      for (std::size_t j = 0; j < last.size(); ++j) last[j] = static_cast<int>(r.at(r.rows() - 1, j + 1));
      out.end_levels = std::move(last);
    }
    return out;
  }
  if (run.kind == LogicalRun::Kind::TrapSpaces) {
    // Per trap space, one value: the species' level where the trap space fixes it, NaN where it
    // does not (free, or on part of a multi-valued species' levels: no single level;
    // BioSimulators' logical tools report a species missing from a trap space's values as NaN);
    // or, asked for bounds, two: its lowest and highest level. Trap spaces do not depend on the
    // initial levels, and leave none behind.
    TrapSpaceOptions o;
    o.kind = run.trap_kind;
    o.one_level = run.one_level;
    const std::vector<TrapSpace> spaces = m.trap_space_ranges(o);
    const TrapSpace whole = m.level_ranges();
    std::size_t free = 0, part = 0;
    for (const TrapSpace& s : spaces) {
      for (std::size_t i = 0; i < s.size(); ++i) {
        free += s[i].lo < s[i].hi && s[i] == whole[i];
        part += s[i].lo < s[i].hi && s[i] != whole[i];
      }
      for (std::size_t k = 0; k < columns.size(); ++k) {
        const LevelRange r = s[columns[k]];
        if (run.trap_bounds) {
          out.values[k].push_back(static_cast<double>(r.lo));
          out.values[k].push_back(static_cast<double>(r.hi));
        } else {
          out.values[k].push_back(r.lo == r.hi ? static_cast<double>(r.lo) : std::numeric_limits<double>::quiet_NaN());
        }
      }
    }
    out.summary = std::to_string(spaces.size()) + " " + to_string(run.trap_kind) + " trap space" +
                  (spaces.size() == 1 ? "" : "s") + " (moves " + (run.one_level ? "one level per update" : "straight to the target") +
                  "; " + std::to_string(free) + " free species and " + std::to_string(part) +
                  " on part of their levels in all, " +
                  (run.trap_bounds ? "reported by their lowest and highest level)" : "reported as NaN)");
    return out;
  }
  std::vector<LogicalAttractor> found;
  if (run.kind == LogicalRun::Kind::StableStates) {
    for (auto& s : m.stable_states()) found.push_back({{std::move(s)}});
  } else {
    AttractorOptions ao;
    ao.update = run.update;
    ao.one_level = run.one_level;
    found = m.attractors(ao);
  }
  std::size_t states = 0, cycles = 0;
  for (const LogicalAttractor& a : found) {
    states += a.states.size();
    cycles += a.states.size() > 1;
    for (const auto& s : a.states)
      for (std::size_t k = 0; k < columns.size(); ++k) out.values[k].push_back(static_cast<double>(s[columns[k]]));
  }
  if (found.size() == 1 && found[0].states.size() == 1) out.end_levels = found[0].states[0];
  auto count = [](std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
  if (run.kind == LogicalRun::Kind::StableStates)
    out.summary = count(found.size(), "stable state");
  else
    out.summary = count(found.size(), "attractor") + " (" + count(found.size() - cycles, "stable state") + ", " +
                  count(cycles, "cycle") + "; " + count(states, "state") + " reported)";
  return out;
}

}  // namespace axisim::sedml
