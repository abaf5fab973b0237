// logical_model.cpp — the public API of logical models (axisim/logical.hpp): loading through
// sbml/qual_from_sbml, runs through logical_run.
#include "axisim/logical.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "axisim/error.hpp"
#include "ir/logical_ir.hpp"
#include "logical/logical_run.hpp"
#include "sbml/qual_from_sbml.hpp"

namespace axisim {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Whether v is a whole number (within rounding of a decimal grid such as 0.1 * 10).
bool whole(double v, long& out) {
  const double r = std::round(v);
  if (!std::isfinite(v) || std::fabs(v - r) > 1e-9 * std::max(1.0, std::fabs(v))) return false;
  out = static_cast<long>(r);
  return true;
}

}  // namespace

const char* to_string(LogicalUpdate u) {
  switch (u) {
    case LogicalUpdate::Synchronous: return "synchronous";
    case LogicalUpdate::Asynchronous: return "asynchronous";
    case LogicalUpdate::Sequential: return "sequential";
    case LogicalUpdate::Complete: return "complete";
  }
  return "?";
}

LogicalModel::LogicalModel(std::shared_ptr<const detail::LogicalIR> ir) : ir_(std::move(ir)) {
  for (const detail::QualSpecies& s : ir_->species) {
    ids_.push_back(s.id);
    initial_.push_back(s.initial_level);
  }
}

LogicalModel LogicalModel::from_file(const std::string& path, bool validate) {
  return LogicalModel(std::make_shared<const detail::LogicalIR>(detail::logical_ir_from_sbml(read_text(path), path, validate)));
}

LogicalModel LogicalModel::from_string(const std::string& sbml, const std::string& label, bool validate) {
  return LogicalModel(std::make_shared<const detail::LogicalIR>(detail::logical_ir_from_sbml(sbml, label, validate)));
}

bool LogicalModel::is_logical(const std::string& sbml) { return detail::sbml_uses_qual(sbml); }

std::size_t LogicalModel::index(const std::string& id) const {
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == id) return i;
  throw Error(ErrorKind::UnknownId, ir_->source + ": '" + id + "' is not a qualitative species of the model");
}

bool LogicalModel::has_id(const std::string& id) const {
  for (const std::string& s : ids_)
    if (s == id) return true;
  return false;
}

int LogicalModel::initial_level(const std::string& id) const { return initial_[index(id)]; }

int LogicalModel::max_level(const std::string& id) const { return ir_->species[index(id)].max_level; }

void LogicalModel::set_initial_level(const std::string& id, int level) {
  const std::size_t i = index(id);
  const int max = ir_->species[i].max_level;
  if (level < 0 || (max >= 0 && level > max))
    throw Error(ErrorKind::InvalidSbml, ir_->source + ": level " + std::to_string(level) + " for qualitative species '" +
                                            id + "' is outside 0.." + (max >= 0 ? std::to_string(max) : std::string("")));
  initial_[i] = level;
}

void LogicalModel::set_initial_levels(const std::vector<int>& levels) {
  if (levels.size() != ids_.size())
    throw Error(ErrorKind::Usage, ir_->source + ": " + std::to_string(levels.size()) + " levels for " +
                                      std::to_string(ids_.size()) + " qualitative species");
  for (std::size_t i = 0; i < levels.size(); ++i) set_initial_level(ids_[i], levels[i]);
}

Result LogicalModel::simulate(const LogicalOptions& o, const std::vector<std::string>& outputs) const {
  const auto t0 = std::chrono::steady_clock::now();
  long first = 0, span = 0;
  if (o.steps < 0) throw Error(ErrorKind::Usage, "a logical run needs steps >= 0, not " + std::to_string(o.steps));
  if (!whole(o.start, first) || first < 0)
    throw Error(ErrorKind::Usage, "a logical model's time counts update steps: the first output time " + number(o.start) +
                                      " is not a whole number of updates >= 0");
  if (!whole(o.end - o.start, span) || span < 0)
    throw Error(ErrorKind::Usage, "a logical model's time counts update steps: the output span " + number(o.start) + " to " +
                                      number(o.end) + " is not a whole number of updates >= 0");
  long interval = 0;
  if (o.steps == 0) {
    if (span != 0) throw Error(ErrorKind::Usage, "zero steps needs end equal to start");
  } else if (span % o.steps != 0) {
    throw Error(ErrorKind::Usage, "a logical model's time counts update steps: " + std::to_string(o.steps) +
                                      " output intervals from " + number(o.start) + " to " + number(o.end) + " are " +
                                      number(static_cast<double>(span) / o.steps) + " updates each, not a whole number");
  } else {
    interval = span / o.steps;
  }
  std::vector<std::size_t> columns;
  std::vector<std::string> names{"time"};
  if (outputs.empty()) {
    for (std::size_t i = 0; i < ids_.size(); ++i) columns.push_back(i);
  } else {
    for (const std::string& id : outputs) columns.push_back(index(id));
  }
  for (std::size_t c : columns) names.push_back(ids_[c]);

  Result result(names);
  detail::LogicalStepper stepper(*ir_, o.one_level);
  std::mt19937_64 random(o.seed);
  std::vector<int> levels = initial_;
  std::vector<double> row(names.size());
  auto record = [&](long k) {
    row[0] = static_cast<double>(k);
    for (std::size_t j = 0; j < columns.size(); ++j) row[j + 1] = static_cast<double>(levels[columns[j]]);
    result.append_row(row);
  };
  // A state no update changes stays: the remaining steps need no evaluation (the asynchronous
  // scheme draws nothing in a stable state, so its stream is unaffected).
  bool stable = false;
  long k = 0;
  long next_output = first;
  for (int j = 0; j <= o.steps; ++j, next_output += interval) {
    for (; k < next_output && !stable; ++k) {
      switch (o.update) {
        case LogicalUpdate::Synchronous: stable = !stepper.synchronous(levels); break;
        case LogicalUpdate::Sequential: stable = !stepper.sequential(levels); break;
        case LogicalUpdate::Asynchronous: stable = !stepper.asynchronous(levels, random); break;
        case LogicalUpdate::Complete: stable = !stepper.complete(levels, random); break;
      }
    }
    k = next_output;
    record(next_output);
  }
  result.stats.integration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.stats.backend = "interpreter";
  return result;
}

}  // namespace axisim
