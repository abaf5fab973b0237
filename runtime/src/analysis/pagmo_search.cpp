// The parameter estimation's pagmo2 stage (pagmo_search.hpp).
#include "pagmo_search.hpp"

#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/compass_search.hpp>
#include <pagmo/algorithms/pso.hpp>
#include <pagmo/algorithms/sga.hpp>
#include <pagmo/algorithms/simulated_annealing.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/types.hpp>

#include <cmath>
#include <exception>
#include <limits>
#include <sstream>
#include <utility>

#include "axisim/error.hpp"

namespace axisim::detail {
namespace {

// pagmo's user-defined problem: the objective within the box. pagmo copies it, so it holds a
// pointer to the caller's objective (which outlives the search).
struct Udp {
  const std::function<double(const std::vector<double>&)>* objective = nullptr;
  std::vector<double> lower, upper;
  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return {(*objective)(x)}; }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const { return {lower, upper}; }
};

pagmo::algorithm algorithm_of(const PagmoSettings& s, unsigned seed) {
  switch (s.method) {
    case FitMethod::SimulatedAnnealing: {
      // Geometric cooling T <- c T over `generations` steps: pagmo takes the first and last
      // temperatures and divides the way between them into that many equal factors.
      const double last = std::max(s.start_temperature * std::pow(s.cooling_factor, static_cast<double>(s.generations)),
                                   std::numeric_limits<double>::min());
      // 20 moves per coordinate between adjustments of the step range (Corana's N_S = 20), one
      // range adjustment per temperature (Corana's N_T is pagmo's n_range_adj), the first range the
      // whole box.
      return pagmo::algorithm{pagmo::simulated_annealing{s.start_temperature, last, s.generations, 1u, 20u, 1.0, seed}};
    }
    case FitMethod::ParticleSwarm:
      // pagmo's defaults: Clerc's constriction (omega 0.7298, eta 2.05), its canonical variant
      // 5 (fully informed, FIPS) on a ring of 4 neighbours, velocities at most half the box.
      return pagmo::algorithm{pagmo::pso{s.generations, 0.7298, 2.05, 2.05, 0.5, 5u, 2u, 4u, false, seed}};
    case FitMethod::GeneticAlgorithm: {
      // pagmo's exponential crossover (rate 0.9), polynomial mutation and tournaments of 2, with
      // the classic mutation rate 1/n (one parameter of each child on average) rather than pagmo's
      // 0.02, which leaves a fit of a few parameters nearly unmutated.
      const double rate = 1.0 / static_cast<double>(s.start.size());
      return pagmo::algorithm{pagmo::sga{s.generations, 0.9, 1.0, rate, 1.0, 2u, "exponential", "polynomial", "tournament", seed}};
    }
    case FitMethod::CompassSearch:
      // Steps start at a tenth of the box and halve when no coordinate move improves.
      return pagmo::algorithm{pagmo::compass_search{s.max_evaluations, 0.1, std::min(s.stop_range, 0.05), 0.5}};
    default:
      break;
  }
  throw Error(ErrorKind::Usage, "parameter estimation: " + to_string(s.method) + " is not a pagmo method");
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

}  // namespace

std::string pagmo_search(const PagmoSettings& s, const std::function<double(const std::vector<double>&)>& objective) {
  // pagmo's seeds are 32 bits.
  const auto seed = static_cast<unsigned>(s.seed & 0xffffffffu);
  unsigned long long searched = 0;  // evaluations by the method, after the first population's
  try {
    pagmo::problem problem{Udp{&objective, s.lower, s.upper}};
    // Random points of the box (drawn from the seed), then the start, up to the population.
    pagmo::population population{problem, s.population > 1 ? s.population - 1u : 0u, seed};
    population.push_back(s.start);
    const pagmo::algorithm algorithm = algorithm_of(s, seed);
    const pagmo::population end = algorithm.evolve(population);
    searched = end.get_problem().get_fevals() - population.get_problem().get_fevals();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Usage, "parameter estimation: " + to_string(s.method) + " (pagmo): " + e.what());
  }
  switch (s.method) {
    case FitMethod::SimulatedAnnealing:
      return std::to_string(s.generations) + " temperature steps ran (start temperature " + number(s.start_temperature) +
             ", cooling factor " + number(s.cooling_factor) + ")";
    case FitMethod::CompassSearch:
      if (searched >= s.max_evaluations) return "the maximum number of evaluations (" + std::to_string(s.max_evaluations) + ") was reached";
      return "the step fell below " + number(std::min(s.stop_range, 0.05)) + " of the box";
    default:
      break;
  }
  return std::to_string(s.generations) + " generations of " + std::to_string(s.population) + " individuals ran";
}

}  // namespace axisim::detail
