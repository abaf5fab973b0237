#include "generate_model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <stdexcept>

namespace bench {
namespace {

// std::mt19937_64's output sequence is fixed by the standard; the distributions in <random>
// are not, so uniform deviates are made here from the raw bits.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  // Log-uniform on [lo, hi): rate constants spread evenly over orders of magnitude.
  double log_uniform(double lo, double hi) { return lo * std::pow(hi / lo, uniform()); }
  std::uint32_t index(std::size_t n) { return static_cast<std::uint32_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

// Shortest text that reads back as exactly the same double.
std::string number(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// "g3", "R12". (Appending, because GCC 12 warns falsely about "literal" + std::to_string(i).)
std::string indexed(const char* prefix, std::size_t i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

// --- MathML, as strings ---------------------------------------------------------------------
std::string ci(const std::string& id) { return "<ci>" + id + "</ci>"; }
std::string cn_int(int v) { return "<cn type=\"integer\">" + std::to_string(v) + "</cn>"; }
std::string apply(const char* op, std::initializer_list<std::string> args) {
  std::string s = std::string("<apply><") + op + "/>";
  for (const auto& a : args) s += a;
  return s + "</apply>";
}
std::string math(const std::string& body) {
  return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">" + body + "</math>";
}

// Where a reaction's other species come from: anywhere (module_size 0), or mostly from the
// module of species [m * module_size, (m + 1) * module_size) that holds its primary species.
struct Neighbourhood {
  std::size_t n = 0;
  std::size_t module_size = 0;
  double cross_module = 0.0;
  std::uint32_t primary = 0;
};

std::uint32_t other_than(Random& rng, const Neighbourhood& where, std::initializer_list<std::uint32_t> taken) {
  const std::size_t n = where.n;
  for (;;) {
    std::uint32_t s = 0;
    if (where.module_size == 0 || rng.uniform() < where.cross_module) {
      s = rng.index(n);
    } else {
      const std::size_t first = where.primary / where.module_size * where.module_size;
      const std::size_t size = std::min(where.module_size, n - first);
      if (size < 4) {  // a last module too small to hold a reaction's species
        s = rng.index(n);
      } else {
        s = static_cast<std::uint32_t>(first + rng.index(size));
      }
    }
    bool clash = false;
    for (std::uint32_t t : taken) clash = clash || s == t;
    if (!clash) return s;
  }
}

// Draws one reaction whose first species (its reactant A, or its product for an inflow) is
// `primary`. Probabilities give roughly: 5% inflow, 35% unimolecular (30% of them pure
// degradation), 20% bimolecular, 15% reversible, 15% Michaelis-Menten, 10% regulated.
ReactionSpec draw_reaction(Random& rng, const Neighbourhood& where, int num_rules) {
  const std::uint32_t primary = where.primary;
  ReactionSpec r;
  const double u = rng.uniform();
  if (u < 0.05) r.kind = Kinetics::Inflow;
  else if (u < 0.40) r.kind = Kinetics::Unimolecular;
  else if (u < 0.60) r.kind = Kinetics::Bimolecular;
  else if (u < 0.75) r.kind = Kinetics::Reversible;
  else if (u < 0.90) r.kind = Kinetics::MichaelisMenten;
  else r.kind = num_rules > 0 ? Kinetics::Regulated : Kinetics::Unimolecular;

  auto add_product = [&] {
    r.products[r.num_products] = other_than(rng, where, {r.reactants[0], r.reactants[1], r.products[0]});
    ++r.num_products;
  };
  switch (r.kind) {
    case Kinetics::Inflow:
      r.num_products = 1;
      r.products[0] = primary;
      r.k1 = rng.log_uniform(1e-2, 1.0);
      return r;
    case Kinetics::Bimolecular:
      r.num_reactants = 2;
      r.reactants = {primary, other_than(rng, where, {primary})};
      r.k1 = rng.log_uniform(1e-2, 1e1);
      break;
    default:
      r.num_reactants = 1;
      // An unused second slot must not exclude a real species when products are drawn.
      r.reactants = {primary, primary};
      break;
  }
  r.products[0] = r.reactants[0];  // placeholder, excluded like the reactants
  switch (r.kind) {
    case Kinetics::Unimolecular: {
      r.k1 = rng.log_uniform(1e-2, 1e2);
      const double p = rng.uniform();
      // In modules, no splitting A -> B + C: cycles there are short, and a short cycle through a
      // splitting reaction amplifies exponentially (seed 1 at 600/2,000 grew as e^(1.2 t)).
      // Without splitting, no reaction makes more molecules than it takes, apart from inflows.
      const int products = p < 0.3 ? 0 : (p < 0.9 || where.module_size > 0) ? 1 : 2;
      for (int i = 0; i < products; ++i) add_product();
      break;
    }
    case Kinetics::Bimolecular:
      add_product();
      if (rng.uniform() < 0.2) add_product();
      break;
    case Kinetics::Reversible:
      r.k1 = rng.log_uniform(1e-2, 1e2);
      r.k2 = rng.log_uniform(1e-2, 1e2);
      add_product();
      break;
    case Kinetics::MichaelisMenten:
      r.k1 = rng.log_uniform(1e-1, 1e1);
      r.k2 = rng.log_uniform(1e-1, 1e1);
      add_product();
      break;
    case Kinetics::Regulated:
      r.k1 = rng.log_uniform(1e-1, 1e1);
      r.rule = rng.index(static_cast<std::size_t>(num_rules));
      add_product();
      break;
    case Kinetics::Inflow:
      break;
  }
  if (r.num_reactants == 1) r.reactants[1] = 0;
  if (r.num_products < 2) r.products[1] = 0;
  if (r.num_products < 1) r.products[0] = 0;
  return r;
}

// The kinetic law of `r` (reaction id `rid`) as MathML, and the parameters it introduces.
// The operand order matches HandwrittenRhs, so both sides round the same way.
std::string kinetic_law(const ReactionSpec& r, const std::string& rid, std::string& parameters) {
  auto param = [&](const std::string& id, double v) {
    parameters += "      <parameter id=\"" + id + "\" value=\"" + number(v) + "\" constant=\"true\"/>\n";
    return ci(id);
  };
  const std::string A = r.num_reactants > 0 ? ci(GeneratedModel::species_id(r.reactants[0])) : "";
  switch (r.kind) {
    case Kinetics::Inflow:
      return apply("times", {ci("cell"), param("k_" + rid, r.k1)});
    case Kinetics::Unimolecular:
      return apply("times", {ci("cell"), param("k_" + rid, r.k1), A});
    case Kinetics::Bimolecular:
      return apply("times", {ci("cell"), param("k_" + rid, r.k1), A, ci(GeneratedModel::species_id(r.reactants[1]))});
    case Kinetics::Reversible: {
      const std::string kf = param("kf_" + rid, r.k1);
      const std::string kr = param("kr_" + rid, r.k2);
      return apply("times", {ci("cell"), apply("minus", {apply("times", {kf, A}),
                                                          apply("times", {kr, ci(GeneratedModel::species_id(r.products[0]))})})});
    }
    case Kinetics::MichaelisMenten: {
      const std::string vmax = param("Vmax_" + rid, r.k1);
      const std::string km = param("Km_" + rid, r.k2);
      return apply("divide", {apply("times", {ci("cell"), vmax, A}), apply("plus", {km, A})});
    }
    case Kinetics::Regulated:
      return apply("times", {ci("cell"), param("k_" + rid, r.k1), A, ci(indexed("g", r.rule))});
  }
  return {};
}

std::string species_refs(const char* list, const std::array<std::uint32_t, 2>& s, int count) {
  if (count == 0) return {};
  std::string out = std::string("        <") + list + ">\n";
  for (int i = 0; i < count; ++i)
    out += "          <speciesReference species=\"" + GeneratedModel::species_id(s[i]) +
           "\" stoichiometry=\"1\" constant=\"true\"/>\n";
  return out + "        </" + list + ">\n";
}

// Renames species so that they are numbered in order of first appearance in the reactions,
// reactants before products (see the header for why).
void renumber_by_first_appearance(GeneratedModel& m) {
  const std::size_t n = m.num_species();
  constexpr std::uint32_t kUnseen = UINT32_MAX;
  std::vector<std::uint32_t> new_index(n, kUnseen);
  std::uint32_t next = 0;
  auto see = [&](std::uint32_t s) {
    if (new_index[s] == kUnseen) new_index[s] = next++;
  };
  for (const ReactionSpec& r : m.reactions) {
    for (int i = 0; i < r.num_reactants; ++i) see(r.reactants[i]);
    for (int i = 0; i < r.num_products; ++i) see(r.products[i]);
  }
  if (next != n) throw std::logic_error("generate_model: a species takes part in no reaction");

  std::vector<double> conc(n);
  for (std::size_t s = 0; s < n; ++s) conc[new_index[s]] = m.initial_concentration[s];
  m.initial_concentration = std::move(conc);
  for (RuleSpec& g : m.rules) g.species = new_index[g.species];
  for (ReactionSpec& r : m.reactions) {
    for (int i = 0; i < r.num_reactants; ++i) r.reactants[i] = new_index[r.reactants[i]];
    for (int i = 0; i < r.num_products; ++i) r.products[i] = new_index[r.products[i]];
  }
}

}  // namespace

const char* kinetics_name(Kinetics k) {
  switch (k) {
    case Kinetics::Inflow: return "inflow";
    case Kinetics::Unimolecular: return "unimolecular";
    case Kinetics::Bimolecular: return "bimolecular";
    case Kinetics::Reversible: return "reversible";
    case Kinetics::MichaelisMenten: return "michaelis-menten";
    case Kinetics::Regulated: return "regulated";
  }
  return "?";
}

const std::vector<ModelSize>& scale_series() {
  static const std::vector<ModelSize> sizes = {{50, 150},    {100, 300},    {200, 600},   {300, 1000},
                                               {600, 2000},  {1500, 5000},  {3000, 10000}};
  return sizes;
}

GeneratedModel generate_model(const GeneratorOptions& o) {
  if (o.species < 3) throw std::invalid_argument("the generated model needs at least 3 species");
  if (o.reactions < o.species) throw std::invalid_argument("the generated model needs at least one reaction per species");
  if (o.rules < 0) throw std::invalid_argument("the number of rules must not be negative");
  if (o.module_size < 0 || (o.module_size > 0 && o.module_size < 4))
    throw std::invalid_argument("modules must hold at least 4 species (or module_size 0: no modules)");
  if (!(o.cross_module >= 0.0 && o.cross_module <= 1.0)) throw std::invalid_argument("cross_module must be in [0, 1]");

  Random rng(o.seed);
  const auto n = static_cast<std::size_t>(o.species);
  GeneratedModel m;
  m.compartment_size = 2.0;
  for (std::size_t i = 0; i < n; ++i) m.initial_concentration.push_back(rng.log_uniform(0.1, 10.0));
  for (int j = 0; j < o.rules; ++j) m.rules.push_back(RuleSpec{rng.index(n), rng.log_uniform(0.1, 10.0)});
  // Reaction i < N is built around species i, so that every species is changed by a reaction
  // (axisim integrates only those; the two state vectors then hold the same species).
  for (int i = 0; i < o.reactions; ++i) {
    const std::uint32_t primary = static_cast<std::size_t>(i) < n ? static_cast<std::uint32_t>(i) : rng.index(n);
    const Neighbourhood where{n, static_cast<std::size_t>(o.module_size), o.cross_module, primary};
    m.reactions.push_back(draw_reaction(rng, where, o.rules));
  }

  renumber_by_first_appearance(m);

  std::string species, parameters, rules, reactions;
  for (std::size_t i = 0; i < n; ++i)
    species += "      <species id=\"" + GeneratedModel::species_id(i) +
               "\" compartment=\"cell\" initialConcentration=\"" + number(m.initial_concentration[i]) +
               "\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>\n";
  for (std::size_t j = 0; j < m.rules.size(); ++j) {
    const std::string g = indexed("g", j), K = "K_" + g;
    parameters += "      <parameter id=\"" + g + "\" constant=\"false\"/>\n";
    parameters += "      <parameter id=\"" + K + "\" value=\"" + number(m.rules[j].K) + "\" constant=\"true\"/>\n";
    const std::string hill = apply("power", {apply("divide", {ci(GeneratedModel::species_id(m.rules[j].species)), ci(K)}), cn_int(m.rules[j].hill)});
    rules += "      <assignmentRule variable=\"" + g + "\">" +
             math(apply("divide", {cn_int(1), apply("plus", {cn_int(1), hill})})) + "</assignmentRule>\n";
  }
  for (std::size_t i = 0; i < m.reactions.size(); ++i) {
    const ReactionSpec& r = m.reactions[i];
    const std::string rid = indexed("R", i);
    reactions += "      <reaction id=\"" + rid + "\" reversible=\"" +
                 (r.kind == Kinetics::Reversible ? "true" : "false") + "\">\n";
    reactions += species_refs("listOfReactants", r.reactants, r.num_reactants);
    reactions += species_refs("listOfProducts", r.products, r.num_products);
    reactions += "        <kineticLaw>" + math(kinetic_law(r, rid, parameters)) + "</kineticLaw>\n";
    reactions += "      </reaction>\n";
  }

  m.sbml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
           "  <model id=\"generated_network\" name=\"axisim benchmark network: " +
           std::to_string(n) + " species, " + std::to_string(m.reactions.size()) + " reactions, seed " +
           std::to_string(o.seed) +
           (o.module_size > 0 ? ", modules of " + std::to_string(o.module_size) + " species, " + number(o.cross_module) +
                                    " of the links between modules"
                              : std::string()) +
           "\">\n"
           "    <listOfCompartments>\n"
           "      <compartment id=\"cell\" spatialDimensions=\"3\" size=\"" + number(m.compartment_size) +
           "\" constant=\"true\"/>\n"
           "    </listOfCompartments>\n"
           "    <listOfSpecies>\n" + species + "    </listOfSpecies>\n"
           "    <listOfParameters>\n" + parameters + "    </listOfParameters>\n" +
           (rules.empty() ? "" : "    <listOfRules>\n" + rules + "    </listOfRules>\n") +
           "    <listOfReactions>\n" + reactions + "    </listOfReactions>\n"
           "  </model>\n"
           "</sbml>\n";
  return m;
}

}  // namespace bench
