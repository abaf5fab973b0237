// generate_model.hpp — a large, deterministic reaction network for the benchmark.
//
//   bench::GeneratorOptions opt;          // 200 species, 600 reactions, seed 1
//   bench::GeneratedModel m = bench::generate_model(opt);
//   axisim::Model model = axisim::Model::from_string(m.sbml);
//   bench::HandwrittenRhs rhs(m);         // the same model in plain C++ (handwritten_rhs.hpp)
//
// The network is random but reproducible: the same options give the same SBML text, byte for
// byte (the generator makes its own uniform deviates from std::mt19937_64, whose sequence the
// standard fixes, rather than use <random>'s distributions, whose output is implementation-
// defined; only libm's std::pow could round a rate constant differently on another platform). Every number is written with 17
// significant digits, so the SBML and the struct description hold exactly the same doubles.
//
// What the model contains, and why:
//   - one compartment of size `compartment_size` (not 1, so that axisim's amount/size storage
//     and the hand-written concentration arithmetic are really exercised);
//   - species S0..S{N-1}, all changed by reactions (every species takes part in at least one),
//     numbered in order of first appearance in the reaction list (reactants before products).
//     That is the order in which axisim lays out its state vector, so the hand-written state
//     vector is the same one: CVODE's norms and LU pivoting then round identically in both
//     runs and both take exactly the same steps, which makes their timings comparable;
//   - reactions of six kinetic types (Kinetics below), every kinetic law written as
//     `cell * (rate per volume)` as SBML intends;
//   - a few assignment rules g_j = 1 / (1 + (S/K)^2) (Hill repression by one species), used by
//     the Regulated reactions, so the right-hand side also runs rules;
//   - rate constants log-uniform over about four orders of magnitude, which makes the system
//     moderately stiff: CVODE's BDF method and its Newton iteration do real work.
// Kinetics involve no relational operators, so the model has no discontinuity root functions
// and axisim's CVODE setup is exactly the one the hand-written driver reproduces.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  int species = 200;
  int reactions = 600;
  int rules = 5;  // assignment rules (Hill repressors); Regulated reactions use them
  // The network's topology. 0: every reaction's other species (second reactant, products) drawn
  // from all species alike, a uniform random graph. Such a graph is an expander: sparse LU
  // factors of its Jacobian fill in to a large fraction of a dense matrix, whatever the ordering
  // (docs/performance.md measures it). > 0: pathway-like, species in modules of this many (by
  // index) and each other species drawn from the primary species' module, except with
  // probability cross_module from anywhere; and unimolecular reactions have at most one product
  // (short cycles through A -> B + C grow exponentially). The default network (module_size 0) is
  // the one axisim_bench has always used, byte for byte.
  int module_size = 0;
  double cross_module = 0.05;
};

// The kinetic law of a reaction; c(X) is X's concentration, V the compartment size.
// Each kind fixes how many reactants the reaction has.
enum class Kinetics : std::uint8_t {
  Inflow,           // -> P...        rate = V * k1                          (no reactant)
  Unimolecular,     // A -> P...      rate = V * k1 * c(A)                   (P may be empty)
  Bimolecular,      // A + B -> P...  rate = V * k1 * c(A) * c(B)
  Reversible,       // A <-> P        rate = V * (k1 * c(A) - k2 * c(P))     (one product)
  MichaelisMenten,  // A -> P...      rate = V * k1 * c(A) / (k2 + c(A))     (k1 = Vmax, k2 = Km)
  Regulated,        // A -> P...      rate = V * k1 * c(A) * g[rule]         (g: an assignment rule)
};

const char* kinetics_name(Kinetics k);

// One reaction, fixed-size so that a loop over a vector of them is cache-friendly.
// Species are indices into GeneratedModel::initial_concentration; all stoichiometries are 1.
struct ReactionSpec {
  Kinetics kind = Kinetics::Unimolecular;
  std::uint8_t num_reactants = 0;
  std::uint8_t num_products = 0;
  std::array<std::uint32_t, 2> reactants{};
  std::array<std::uint32_t, 2> products{};
  double k1 = 0.0;
  double k2 = 0.0;          // Reversible: reverse constant; MichaelisMenten: Km
  std::uint32_t rule = 0;   // Regulated: index into GeneratedModel::rules
};

// Assignment rule g = 1 / (1 + (c(species) / K)^hill).
struct RuleSpec {
  std::uint32_t species = 0;
  double K = 1.0;
  // Always 2, but kept as data: the hand-written code must call std::pow as axisim does, and
  // GCC would turn std::pow(x, 2.0) with a literal 2 into x * x, which rounds differently.
  int hill = 2;
};

struct GeneratedModel {
  std::string sbml;  // SBML Level 3 Version 2
  double compartment_size = 1.0;
  std::vector<double> initial_concentration;  // per species
  std::vector<RuleSpec> rules;
  std::vector<ReactionSpec> reactions;

  std::size_t num_species() const { return initial_concentration.size(); }
  // The SBML id of species i ("S<i>"); the hand-written state vector is in index order.
  static std::string species_id(std::size_t i) {
    std::string id = "S";  // appended: GCC 12 warns falsely about "S" + std::to_string(i)
    id += std::to_string(i);
    return id;
  }
};

// The sizes the scale benchmark (scale_bench.cpp) runs, smallest first: the series
// 50/150, 200/600, 300/1,000, 1,500/5,000 and 3,000/10,000 species/reactions, with 100/300 and
// 600/2,000 between, so that every step is a factor of 2 to 3. About 3.3 reactions per species
// throughout, so each species takes part in about 8 reactions at every size: the Jacobian's
// non-zeros per column stay the same and only its dimension grows.
struct ModelSize {
  int species = 0;
  int reactions = 0;
};
const std::vector<ModelSize>& scale_series();

// Throws std::invalid_argument when there are fewer than 3 species, fewer reactions than
// species (every species must take part in one) or a negative number of rules.
GeneratedModel generate_model(const GeneratorOptions& options);

}  // namespace bench
