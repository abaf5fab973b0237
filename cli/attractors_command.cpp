// axisim attractors: the attractors of a logical (SBML qual) model under an updating scheme, or
// its stable states, as CSV (docs/logical.md).
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "analysis_options.hpp"
#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "commands.hpp"
#include "plugin_options.hpp"

namespace axisim::cli {
namespace {

struct AttractorsArgs {
  std::string model, method = "synchronous", output, trap_spaces;
  std::vector<std::string> set, select;
  bool all_states = false, no_checks = false, one_level = false;
  std::size_t max_states = AttractorOptions{}.max_states;
};

// The species columns --select names (all, document order, without it).
std::vector<std::size_t> selected_columns(const AttractorsArgs& a, const LogicalModel& model) {
  std::vector<std::size_t> columns;
  const auto& ids = model.ids();
  if (a.select.empty()) {
    for (std::size_t i = 0; i < ids.size(); ++i) columns.push_back(i);
  } else {
    for (const std::string& id : a.select) {
      std::size_t i = 0;
      while (i < ids.size() && ids[i] != id) ++i;
      if (i == ids.size()) throw Error(ErrorKind::UnknownId, "--select " + id + ": not a qualitative species of " + a.model);
      columns.push_back(i);
    }
  }
  return columns;
}

// --trap-spaces: one row per trap space, trap_space,ID,...: its number from 1, then each species'
// level where the trap space fixes it, * where it spans all the species' levels (the notation of
// mpbn and pyboolnet's strings), LO..HI where it spans part of them (a multi-valued species).
int write_trap_spaces(const AttractorsArgs& a, const LogicalModel& model) {
  if (!a.set.empty()) spdlog::warn("--set changes the initial levels, which trap spaces do not depend on (only a constant species' level)");
  if (a.all_states) spdlog::warn("--all-states does not apply to trap spaces (they cover every state); ignored");
  TrapSpaceOptions o;
  o.kind = a.trap_spaces == "maximal" ? TrapSpaceKind::Maximal : a.trap_spaces == "all" ? TrapSpaceKind::All : TrapSpaceKind::Minimal;
  o.one_level = a.one_level;
  const std::vector<TrapSpace> spaces = model.trap_space_ranges(o);
  const TrapSpace whole = model.level_ranges();
  const std::vector<std::size_t> columns = selected_columns(a, model);
  std::ostringstream out;
  out << "trap_space";
  for (std::size_t c : columns) out << ',' << model.ids()[c];
  out << '\n';
  for (std::size_t k = 0; k < spaces.size(); ++k) {
    out << k + 1;
    for (std::size_t c : columns) {
      const LevelRange r = spaces[k][c];
      if (r.lo == r.hi) out << ',' << r.lo;
      else if (r == whole[c]) out << ",*";
      else out << ',' << r.lo << ".." << r.hi;
    }
    out << '\n';
  }
  spdlog::info("trap space search: {} trap space{} ({}; moves {})", spaces.size(), spaces.size() == 1 ? "" : "s",
               to_string(o.kind), o.one_level ? "one level per update" : "straight to the target");
  write_output(a.output, out.str());
  return 0;
}

int run_attractors(const AttractorsArgs& a) {
  std::ifstream in(a.model, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, a.model + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (!LogicalModel::is_logical(text.str()))
    throw Error(ErrorKind::Usage, a.model + " is not a logical (SBML qual) model: attractors are a logical model's (for a "
                                            "continuous model's steady state, see axisim steady)");
  LogicalModel model = LogicalModel::from_string(text.str(), a.model, !a.no_checks);
  for (const std::string& s : a.set) {
    const auto [id, value] = parse_assignment(s, "--set");
    if (std::round(value) != value) throw Error(ErrorKind::Usage, "--set " + s + ": a qualitative species' level is a whole number");
    model.set_initial_level(id, static_cast<int>(value));
  }
  if (!a.trap_spaces.empty()) return write_trap_spaces(a, model);
  std::vector<LogicalAttractor> found;
  if (a.method == "stable") {
    if (!a.set.empty()) spdlog::warn("--set changes the initial levels, which stable states do not depend on");
    for (auto& s : model.stable_states()) found.push_back({{std::move(s)}});
  } else {
    AttractorOptions o;
    o.update = a.method == "asynchronous" ? LogicalUpdate::Asynchronous
               : a.method == "sequential" ? LogicalUpdate::Sequential
               : a.method == "complete"   ? LogicalUpdate::Complete
                                          : LogicalUpdate::Synchronous;
    o.all_states = a.all_states;
    o.max_states = a.max_states;
    o.one_level = a.one_level;
    found = model.attractors(o);
  }
  const auto& ids = model.ids();
  const std::vector<std::size_t> columns = selected_columns(a, model);
  // One row per state: the attractor's number (from 1), its size (1: a stable state), the levels.
  std::ostringstream out;
  out << "attractor,states";
  for (std::size_t c : columns) out << ',' << ids[c];
  out << '\n';
  std::size_t cycles = 0;
  for (std::size_t k = 0; k < found.size(); ++k) {
    cycles += found[k].states.size() > 1;
    for (const auto& s : found[k].states) {
      out << k + 1 << ',' << found[k].states.size();
      for (std::size_t c : columns) out << ',' << s[c];
      out << '\n';
    }
  }
  spdlog::info("{}: {} attractor{} ({} stable state{}, {} cycle{}){}", a.method == "stable" ? "stable state search" : a.method + " updating",
               found.size(), found.size() == 1 ? "" : "s", found.size() - cycles, found.size() - cycles == 1 ? "" : "s", cycles,
               cycles == 1 ? "" : "s",
               a.method == "stable" ? "" : a.all_states ? ", from every state" : ", from the initial levels");
  write_output(a.output, out.str());
  return 0;
}

}  // namespace

Runner add_attractors_command(CLI::App& app) {
  auto args = std::make_shared<AttractorsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "attractors", "Attractors of a logical (SBML qual) model (stable states and cycles) under an updating scheme, "
                    "or all its stable states, as CSV: attractor,states,ID,... one row per state (docs/logical.md)");
  cmd->add_option("model", args->model, "SBML qual model")->required();
  CLI::Option* method = cmd->add_option("--method", args->method,
                  "synchronous (default), asynchronous, sequential, complete: the attractors that updating reaches; "
                  "stable: every stable state of the model (any scheme's)")
      ->check(CLI::IsMember({"synchronous", "asynchronous", "sequential", "complete", "stable"}));
  cmd->add_option("--trap-spaces", args->trap_spaces,
                  "minimal, maximal or all: the model's trap spaces instead of attractors, as CSV trap_space,ID,... "
                  "with a species' level, * where it is free, LO..HI where it spans part of its levels; --method "
                  "does not apply")
      ->check(CLI::IsMember({"minimal", "maximal", "all"}))
      ->excludes(method);
  cmd->add_flag("--all-states", args->all_states,
                "Search from every state (each species 0..maxLevel, a constant one at its initial level), not only "
                "from the initial levels");
  cmd->add_flag("--one-level-per-update", args->one_level,
                "A multi-valued species moves one level towards its target per update, as GINsim does, instead of "
                "straight to it (the default, SBML qual's); also the moves --trap-spaces checks (stable states, and a "
                "Boolean model's trap spaces, are the same either way)");
  cmd->add_option("--set", args->set, "Initial level ID=LEVEL (repeatable)");
  cmd->add_option("--select", args->select, "Species columns (default: all, document order)")->delimiter(',');
  cmd->add_option("--max-states", args->max_states, "Refuse a search past this many states (default 2000000)");
  cmd->add_flag("--no-checks", args->no_checks, "Skip libSBML's validation of the model");
  cmd->add_option("-o,--output", args->output, "Output CSV (default: stdout); written whole or not at all");
  return [cmd, args] { return *cmd ? run_attractors(*args) : -1; };
}

}  // namespace axisim::cli
