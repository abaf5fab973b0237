// suite_jacobians — the analytic Jacobian of every SBML Test Suite model against central
// difference quotients, at the initial state and at a perturbed state.
//
//   suite_jacobians SUITE_DIR
//
// Exits 0 when every comparison agrees, 1 when one does not (each listed), and 77 (ctest's
// skip code) when SUITE_DIR has no cases/ folder.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "jacobian_check.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"

namespace fs = std::filesystem;

namespace {

// The case's newest-level model file ("NNNNN-sbml-l3v2.xml" before "-l2v4", and so on).
fs::path newest_model(const fs::path& case_dir) {
  std::vector<fs::path> models;
  for (const auto& entry : fs::directory_iterator(case_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find("-sbml-l") != std::string::npos && entry.path().extension() == ".xml") models.push_back(entry.path());
  }
  std::sort(models.begin(), models.end());
  return models.empty() ? fs::path() : models.back();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: suite_jacobians SUITE_DIR\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::err);  // the models' own warnings are the suite runner's business
  const fs::path cases = fs::path(argv[1]) / "cases";
  if (!fs::is_directory(cases)) {
    std::printf("skipped: no SBML Test Suite at %s (set AXISIM_SBML_TEST_SUITE_DIR to a copy)\n", argv[1]);
    return 77;
  }
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(cases))
    if (entry.is_directory()) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  long checked = 0, not_loaded = 0, no_jacobian = 0, failures = 0, numeric_columns = 0, non_smooth = 0;
  long checked_solving = 0;  // of the comparisons, those of models with algebraic rules, fast reactions or delay
  for (const fs::path& dir : dirs) {
    const fs::path model = newest_model(dir);
    if (model.empty()) continue;
    std::unique_ptr<axisim::detail::CompiledSystem> sys;
    try {
      axisim::detail::SbmlSource src;
      src.path = model.string();
      auto doc = axisim::detail::read_sbml(src, false);
      sys = std::make_unique<axisim::detail::CompiledSystem>(axisim::detail::build_ir(*doc, src.label()));
    } catch (const std::exception&) {
      ++not_loaded;  // FBA-only, or refused at load: the suite runner reports those
      continue;
    }
    if (!sys->jacobian()) {
      ++no_jacobian;
      continue;
    }
    const axisim::detail::ModelIR& ir = sys->ir();
    const bool solving = !ir.algebraic_rules.empty() || !ir.delayed.empty() ||
                         std::any_of(ir.reactions.begin(), ir.reactions.end(), [](const auto& r) { return r.fast; });
    for (double perturb : {0.0, 0.05}) {
      jacobian_check::Comparison c;
      try {
        c = jacobian_check::compare(*sys, 0.0, perturb);
      } catch (const axisim::Error&) {
        continue;  // no consistent initial state: the suite runner judges that case
      }
      if (!c.available) continue;
      ++checked;
      if (solving) ++checked_solving;
      numeric_columns += static_cast<long>(c.numeric_columns);
      non_smooth += static_cast<long>(c.non_smooth_columns);
      if (c.worst > 1.0) {
        ++failures;
        std::printf("MISMATCH %s (perturbation %g): %s (%.3g times the tolerance)\n", model.filename().c_str(), perturb,
                    c.worst_entry.c_str(), c.worst);
      }
    }
  }
  std::printf("%ld comparisons (%ld of models with algebraic rules, fast reactions or delay), %ld disagree; %ld "
              "models without a Jacobian (fast amounts and rules reading each other), %ld not loadable here; %ld "
              "numeric columns, %ld non-smooth columns not judged\n",
              checked, checked_solving, failures, no_jacobian, not_loaded, numeric_columns, non_smooth);
  std::printf("%ld passed, %ld failed\n", checked - failures, failures);
  return failures == 0 ? 0 : 1;
}
