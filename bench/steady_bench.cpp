// steady_bench — what a steady state costs against the time course that reaches the same point:
// the flagship model (from its own initial state, which is its baseline steady state, and from a
// start far from it) and generated networks (bench/generate_model.hpp, with a first-order loss of
// every species so that they have a steady state), each timed in process
// through the public API (medians, alternating). The run's length is chosen from the steady
// state's slowest eigenvalue, 30 time constants (e^-30 = 1e-13), and the table says how close
// its end came to the steady state.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "axisim/model.hpp"
#include "axisim/steady_state.hpp"
#include "generate_model.hpp"
#include "machine.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

template <class F>
double seconds(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Case {
  std::string name;
  axisim::Model model;
};

void run_case(const Case& c, int repetitions) {
  axisim::SteadyStateOptions with_eigen, without_eigen;
  without_eigen.max_eigenvalue_states = 0;
  const axisim::SteadyState ss = axisim::steady_state(c.model, with_eigen);
  double slowest = 0.0;
  for (const auto& e : ss.eigenvalues)
    if (e.real() < 0 && (slowest == 0.0 || -e.real() < slowest)) slowest = -e.real();
  // Without eigenvalues (above SteadyStateOptions::max_eigenvalue_states), the generated
  // networks' slowest rate is at most their loss rate, k_loss = 0.01.
  if (slowest == 0.0 && ss.eigenvalues.empty()) slowest = 0.01;
  if (slowest == 0.0) throw std::runtime_error(c.name + ": no decaying eigenvalue");
  axisim::SimulationOptions run;
  run.end = 30.0 / slowest;
  run.steps = 1;
  std::vector<double> t_ss, t_plain, t_run;
  axisim::Result r;
  for (int i = 0; i < repetitions; ++i) {
    t_ss.push_back(seconds([&] { axisim::steady_state(c.model, with_eigen); }));
    t_plain.push_back(seconds([&] { axisim::steady_state(c.model, without_eigen); }));
    t_run.push_back(seconds([&] { r = c.model.simulate(run); }));
  }
  double worst = 0.0;  // the run's end against the steady state, relative (1e-9 absolute floor)
  for (std::size_t i = 0; i < ss.values.size(); ++i)
    worst = std::max(worst, std::fabs(r.at(r.rows() - 1, i + 1) - ss.values[i]) / (std::fabs(ss.values[i]) + 1e-9));
  std::printf("%-34s %6zu %-12s %10.3f %10.3f %12.3g %10.3f %8.2f %10.1e\n", c.name.c_str(), ss.reduced_states,
              ss.method.c_str(), 1e3 * median(t_ss), 1e3 * median(t_plain), run.end, 1e3 * median(t_run),
              median(t_run) / median(t_ss), worst);
}

// The generated networks are open and some of their species are made faster than anything can
// consume them (a Michaelis-Menten sink saturates), so they have no steady state. A first-order
// loss of every species, slower than most of the network (k = 0.01), gives them one.
std::string with_degradation(std::string sbml, int species) {
  std::string reactions, parameters = "<parameter id=\"k_loss\" value=\"0.01\" constant=\"true\"/>\n";
  for (int i = 0; i < species; ++i) {
    const std::string s = bench::GeneratedModel::species_id(static_cast<std::size_t>(i));
    reactions += "<reaction id=\"loss_" + s + "\" reversible=\"false\"><listOfReactants><speciesReference species=\"" +
                 s + "\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants><kineticLaw><math "
                 "xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><times/><ci>cell</ci><ci>k_loss</ci><ci>" + s +
                 "</ci></apply></math></kineticLaw></reaction>\n";
  }
  sbml.insert(sbml.find("</listOfReactions>"), reactions);
  sbml.insert(sbml.find("</listOfParameters>"), parameters);
  return sbml;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"steady_bench: steady state against the time course to the same point"};
  std::string flagship;
  int repetitions = 7;
  std::vector<int> sizes{200, 600};
  std::string write_models;
  app.add_option("--flagship", flagship, "The flagship model (sbml-models/gut_liver_igf1.xml)")->required();
  app.add_option("--repetitions", repetitions, "Timed repetitions of each (median reported)");
  app.add_option("--species", sizes,
                 "Generated pathway-like networks of these many species (3.3 reactions each, and a first-order "
                 "loss of each species)")
      ->delimiter(',');
  app.add_option("--write-models", write_models, "Also write the generated networks' SBML into this folder");
  CLI11_PARSE(app, argc, argv);

  std::printf("machine: %s; load average %s; %s\n", bench::cpu_model().c_str(), bench::load_average().c_str(),
              bench::now_utc().c_str());
  std::printf("%-34s %6s %-12s %10s %10s %12s %10s %9s %10s\n", "model", "states", "method", "steady ms",
              "no-eig ms", "run to t", "run ms", "run/ss", "max dev");
  std::vector<Case> cases;
  cases.push_back({"flagship, from its initial state", axisim::Model::from_file(flagship)});
  axisim::Model far = axisim::Model::from_file(flagship);
  for (const std::string& id : far.ids())
    if (far.kind(id) == axisim::SymbolKind::Species) far.set_value(id, 0.5 * far.initial_value(id) + 0.01);
  cases.push_back({"flagship, from half its state", far});
  for (int n : sizes) {
    bench::GeneratorOptions g;
    g.species = n;
    g.reactions = static_cast<int>(3.3 * n);
    g.module_size = 20;
    const std::string sbml = with_degradation(bench::generate_model(g).sbml, n);
    if (!write_models.empty()) {
      std::FILE* f = std::fopen((write_models + "/generated_" + std::to_string(n) + ".xml").c_str(), "w");
      if (f) {
        std::fputs(sbml.c_str(), f);
        std::fclose(f);
      }
    }
    cases.push_back({"generated " + std::to_string(g.species) + "/" + std::to_string(g.reactions) + " (modules)",
                     axisim::Model::from_string(sbml)});
  }
  for (const Case& c : cases) {
    try {
      run_case(c, repetitions);
    } catch (const std::exception& e) {
      std::printf("%-34s failed: %s\n", c.name.c_str(), e.what());
    }
  }
  return 0;
}
