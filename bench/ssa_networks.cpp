#include "ssa_networks.hpp"

#include <cstdio>
#include <random>
#include <sstream>

namespace bench {
namespace {

std::string number(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

// Uniform on [0, 1) from 53 bits (the same on every platform).
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

std::string SsaNetwork::sbml() const {
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
    << "  <model id=\"" << name << "\" substanceUnits=\"item\" timeUnits=\"second\" extentUnits=\"item\">\n"
    << "    <listOfCompartments><compartment id=\"cell\" spatialDimensions=\"3\" size=\"1\" constant=\"true\"/>"
       "</listOfCompartments>\n    <listOfSpecies>\n";
  for (std::size_t i = 0; i < species.size(); ++i)
    s << "      <species id=\"" << species[i] << "\" compartment=\"cell\" initialAmount=\"" << number(initial[i])
      << "\" hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>\n";
  s << "    </listOfSpecies>\n    <listOfParameters>\n";
  for (std::size_t j = 0; j < reactions.size(); ++j)
    s << "      <parameter id=\"k" << j << "\" value=\"" << number(reactions[j].k) << "\" constant=\"true\"/>\n";
  s << "    </listOfParameters>\n    <listOfReactions>\n";
  for (std::size_t j = 0; j < reactions.size(); ++j) {
    const SsaReaction& r = reactions[j];
    s << "      <reaction id=\"R" << j << "\" reversible=\"false\">\n";
    auto refs = [&](const char* list, const std::vector<std::uint32_t>& ids) {
      if (ids.empty()) return;
      s << "        <" << list << ">";
      // 2A is one reference with stoichiometry 2.
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0 && ids[i] == ids[i - 1]) continue;
        const bool twice = i + 1 < ids.size() && ids[i + 1] == ids[i];
        s << "<speciesReference species=\"" << species[ids[i]] << "\" stoichiometry=\"" << (twice ? 2 : 1)
          << "\" constant=\"true\"/>";
      }
      s << "</" << list << ">\n";
    };
    refs("listOfReactants", r.reactants);
    refs("listOfProducts", r.products);
    s << "        <kineticLaw><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><times/><ci>k" << j << "</ci>";
    if (r.reactants.size() == 2 && r.reactants[0] == r.reactants[1]) {
      const std::string& a = species[r.reactants[0]];
      s << "<ci>" << a << "</ci><apply><minus/><ci>" << a << "</ci><cn>1</cn></apply><cn>0.5</cn>";
    } else {
      for (std::uint32_t a : r.reactants) s << "<ci>" << species[a] << "</ci>";
    }
    if (r.reactants.empty()) s << "<cn>1</cn>";
    s << "</apply></math></kineticLaw>\n      </reaction>\n";
  }
  s << "    </listOfReactions>\n  </model>\n</sbml>\n";
  return s.str();
}

SsaNetwork birth_death() {
  SsaNetwork n;
  n.name = "birth_death";
  n.species = {"X"};
  n.initial = {10000};
  n.reactions = {{0.1, {0}, {0, 0}}, {0.11, {0}, {}}};
  n.end = 50;
  n.steps = 50;
  return n;
}

SsaNetwork dimerisation() {
  SsaNetwork n;
  n.name = "dimerisation";
  n.species = {"P", "P2"};
  n.initial = {100000, 0};
  n.reactions = {{0.00001, {0, 0}, {1}}, {0.1, {1}, {0, 0}}};
  n.end = 10;
  n.steps = 50;
  return n;
}

SsaNetwork random_network(int species, int reactions, std::uint64_t seed, double end) {
  SsaNetwork n;
  n.name = "random_" + std::to_string(species) + "_" + std::to_string(reactions);
  std::mt19937_64 rng(seed);
  auto pick = [&] { return static_cast<std::uint32_t>(unit(rng) * species); };
  for (int i = 0; i < species; ++i) {
    n.species.push_back("S" + std::to_string(i));
    n.initial.push_back(100 + static_cast<int>(unit(rng) * 400));
  }
  // Every species is made and degraded, so counts stay bounded; the other reactions move
  // molecules around. Rates per reaction event are about 1 to 10 per time unit per reaction.
  for (int j = 0; j < reactions; ++j) {
    SsaReaction r;
    const int kind = j < species ? 0 : j < 2 * species ? 1 : 2 + static_cast<int>(unit(rng) * 3);
    switch (kind) {
      case 0: r.products = {static_cast<std::uint32_t>(j)}; r.k = 5.0 + 5.0 * unit(rng); break;  // 0 -> S
      case 1: r.reactants = {static_cast<std::uint32_t>(j - species)}; r.k = 0.01 + 0.01 * unit(rng); break;  // S -> 0
      case 2: r.reactants = {pick()}; r.products = {pick()}; r.k = 0.01 * unit(rng); break;  // A -> B
      case 3: {  // A + B -> C
        std::uint32_t a = pick(), b = pick();
        if (b == a) b = (a + 1) % species;
        r.reactants = {a, b};
        r.products = {pick()};
        r.k = 0.0001 * unit(rng);
        break;
      }
      default: {  // C -> A + B
        r.reactants = {pick()};
        std::uint32_t a = pick(), b = pick();
        if (b == a) b = (a + 1) % species;
        r.products = {a, b};
        r.k = 0.005 * unit(rng);
        break;
      }
    }
    n.reactions.push_back(std::move(r));
  }
  n.end = end;
  n.steps = 10;
  return n;
}

}  // namespace bench
