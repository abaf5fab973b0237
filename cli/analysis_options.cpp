#include "analysis_options.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"

namespace axisim::cli {

void ModelArgs::add_to(CLI::App& cmd) {
  cmd.add_option("model", model, "SBML file (Level 1 to Level 3 Version 2)")->required();
  cmd.add_option("--set", set, "Set a value before the analysis: ID=VALUE (repeatable)");
  plugins.add_to(cmd);
  cmd.add_flag("--ignore-fast", ignore_fast, "Treat reactions marked fast as ordinary kinetics");
  cmd.add_flag("--no-checks", no_checks, "Skip libSBML's consistency checks at load");
  cmd.add_option("--backend", backend, "How formulas run: interpreter, native or auto")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Backend>{
          {"auto", Backend::Auto}, {"interpreter", Backend::Interpreter}, {"native", Backend::Native}}));
}

Model ModelArgs::load() const {
  LoadOptions load;
  load.backend = backend;
  load.validate = !no_checks;
  load.ignore_fast = ignore_fast;
  Model m = Model::from_file(model, load);
  plugins.attach(m);
  for (const std::string& s : set) {
    const auto [id, value] = parse_assignment(s, "--set");
    m.set_value(id, value);
  }
  return m;
}

void SteadyArgs::add_to(CLI::App& cmd) {
  cmd.add_option("--method", options.method,
                 "auto (Newton, then pseudo-transient continuation, then integration), newton, pseudo-transient "
                 "or integration")
      ->transform(CLI::CheckedTransformer(std::map<std::string, SteadyStateMethod>{
          {"auto", SteadyStateMethod::Auto}, {"newton", SteadyStateMethod::Newton},
          {"pseudo-transient", SteadyStateMethod::PseudoTransient}, {"integration", SteadyStateMethod::Integration}}));
  cmd.add_option("--rtol", options.rtol, "Relative tolerance on the last Newton step (default 1e-10)");
  cmd.add_option("--atol", options.atol, "Absolute tolerance on the last Newton step (default 1e-12)");
  cmd.add_option("--max-iterations", options.max_iterations, "Newton iterations per attempt (default 100)");
  cmd.add_option("--max-time", options.max_integration_time,
                 "Integration: give up after this much model time (default 1e10)");
  cmd.add_option("--time", options.time, "Evaluate formulas that read time at this time (default 0)");
  cmd.add_flag("--allow-negative", options.allow_negative,
               "Accept a steady state with negative concentrations (with a warning) instead of refusing it");
}

void add_solver_options(CLI::App& cmd, LinearSolver& linear_solver, JacobianKind& jacobian) {
  cmd.add_option("--linear-solver", linear_solver,
                 "Newton's linear solver: dense, sparse (KLU), iterative (GMRES with an incomplete LU) or "
                 "auto (by the model's size and the sparse LU's fill-in)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, LinearSolver>{
          {"auto", LinearSolver::Auto}, {"dense", LinearSolver::Dense}, {"sparse", LinearSolver::Sparse},
          {"iterative", LinearSolver::Iterative}}));
  cmd.add_option("--jacobian", jacobian,
                 "Jacobian: analytic (symbolic derivatives), numeric (difference quotients) or auto (by the "
                 "model's size)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, JacobianKind>{
          {"auto", JacobianKind::Auto}, {"analytic", JacobianKind::Analytic}, {"numeric", JacobianKind::Numeric}}));
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") std::cout << text << std::flush;
  else write_file_atomic(path, text);
}

ScanSpec parse_scan(const std::string& text) {
  ScanSpec s;
  auto bad = [&] {
    throw Error(ErrorKind::Usage, "--scan expects ID=LO:HI:N (N >= 2 points), got '" + text + "'");
  };
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) bad();
  s.parameter = text.substr(0, eq);
  const std::string rest = text.substr(eq + 1);
  const auto c1 = rest.find(':'), c2 = rest.find(':', c1 == std::string::npos ? 0 : c1 + 1);
  if (c1 == std::string::npos || c2 == std::string::npos) bad();
  auto number = [&](const std::string& v) {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(d)) bad();
    return d;
  };
  s.lo = number(rest.substr(0, c1));
  s.hi = number(rest.substr(c1 + 1, c2 - c1 - 1));
  const double n = number(rest.substr(c2 + 1));
  if (n < 2 || n != std::floor(n) || n > 1e7) bad();
  s.points = static_cast<int>(n);
  if (s.lo == s.hi) bad();
  return s;
}

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace axisim::cli
