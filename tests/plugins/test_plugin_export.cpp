// Export with plugins: `axisim export --at-time T --plugin ...` runs the coupled model to T,
// writes the model's and the plugins' states there as initial values and records the plugins
// in an axisim annotation; a run of the exported file with the recorded plugins attached
// continues the coupled run. Checked against the single run past T.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "axisim/export.hpp"
#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "plugin_test_support.hpp"


TEST_CASE("an export at T with plugins continues the coupled run", "[plugins][export]") {
  const std::vector<std::pair<std::string, double>> set{{"Bu_epi", 6.0}, {"IGF_f", 0.3}};
  const std::vector<axisim::OutputSpec> columns{{"Bu_col"}, {"barrier_integrity"}, {"gut-barrier.T"}, {"muscle.M"}};

  axisim::Model original = axisim::Model::from_file(pt::tissue_model_path());
  for (const auto& [id, v] : set) original.set_value(id, v);
  original.attach(pt::load("gut-barrier"), {{"a_B", 0.8}});
  original.attach(pt::load("muscle"));
  axisim::SimulationOptions whole;
  whole.start = 100;
  whole.end = 250;
  whole.steps = 3;
  whole.rtol = 1e-10;
  whole.atol = 1e-14;
  const axisim::Result reference = original.simulate(whole, columns);

  axisim::ExportOptions opt;
  opt.set = set;
  opt.at_time = 100;
  opt.simulation.rtol = 1e-10;
  opt.simulation.atol = 1e-14;
  opt.plugins.push_back({"gut-barrier", "", {{"a_B", 0.8}}, {}, pt::plugin_path("gut-barrier")});
  opt.plugins.push_back({"muscle", "", {}, {}, pt::plugin_path("muscle")});
  const std::string text = axisim::export_sbml_string(pt::tissue_model_path(), opt);
  const auto file = std::filesystem::temp_directory_path() / "axisim-plugin-export-test.xml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  axisim::Model exported = axisim::Model::from_file(file.string());
  std::filesystem::remove(file);

  // The record: both plugins, every parameter, and the states at T.
  const auto& records = exported.recorded_plugins();
  REQUIRE(records.size() == 2);
  CHECK(records[0].name == "gut-barrier");
  CHECK(records[0].parameters.at("a_B") == 0.8);
  CHECK(records[0].states.count("T") == 1);
  CHECK(records[1].states.count("M") == 1);

  for (const axisim::PluginRecord& r : records)
    exported.attach(pt::load(r.name), {r.parameters.begin(), r.parameters.end()}, r.states);
  axisim::SimulationOptions rest = whole;
  rest.start = 0;
  rest.end = 150;
  const axisim::Result continued = exported.simulate(rest, columns);
  REQUIRE(continued.rows() == reference.rows());
  // Not to 1e-12: the restart at T starts the integrator afresh, with other steps; the
  // absolute floor is for Bu_col, absorbed to ~1e-9.
  for (std::size_t r = 0; r < reference.rows(); ++r)
    for (std::size_t c = 1; c < reference.cols(); ++c) {
      INFO("row " << r << ", column " << reference.columns()[c] << ": " << continued.at(r, c) << " vs "
                  << reference.at(r, c));
      CHECK(std::fabs(continued.at(r, c) - reference.at(r, c)) <= 1e-7 * std::fabs(reference.at(r, c)) + 1e-12);
    }
}
