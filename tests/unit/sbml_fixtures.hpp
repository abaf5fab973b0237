// sbml_fixtures.hpp — small SBML documents, built as strings, for the unit tests.
//
// Everything here is plain text generation: no libSBML, no axisim internals. The documents are
// SBML Level 3 Version 2 unless a test asks for another level/version, and carry every attribute
// L3 makes mandatory so that libSBML's consistency checks (which Model::from_string runs by
// default) accept them.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace fx {

inline constexpr const char* kMathNs = "http://www.w3.org/1998/Math/MathML";
inline constexpr const char* kTimeUrl = "http://www.sbml.org/sbml/symbols/time";
inline constexpr const char* kAvogadroUrl = "http://www.sbml.org/sbml/symbols/avogadro";
inline constexpr const char* kRateOfUrl = "http://www.sbml.org/sbml/symbols/rateOf";
inline constexpr const char* kDelayUrl = "http://www.sbml.org/sbml/symbols/delay";

// A number printed so that it reads back to the same double.
inline std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// ---- MathML pieces (content MathML, without the enclosing <math>) ----

inline std::string math(const std::string& inner) {
  return std::string("<math xmlns=\"") + kMathNs + "\">" + inner + "</math>";
}
inline std::string ci(const std::string& id) { return "<ci> " + id + " </ci>"; }
inline std::string cn(double v) { return "<cn> " + num(v) + " </cn>"; }
inline std::string cn_int(long v) { return "<cn type=\"integer\"> " + std::to_string(v) + " </cn>"; }
inline std::string cn_raw(const std::string& text) { return "<cn>" + text + "</cn>"; }

// <apply><op/> args... </apply>
inline std::string apply(const std::string& op, std::initializer_list<std::string> args = {}) {
  std::string s = "<apply><" + op + "/>";
  for (const auto& a : args) s += a;
  return s + "</apply>";
}
inline std::string apply_v(const std::string& op, const std::vector<std::string>& args) {
  std::string s = "<apply><" + op + "/>";
  for (const auto& a : args) s += a;
  return s + "</apply>";
}

inline std::string csym_time(const std::string& name = "t") {
  return std::string("<csymbol encoding=\"text\" definitionURL=\"") + kTimeUrl + "\"> " + name +
         " </csymbol>";
}
inline std::string csym_avogadro() {
  return std::string("<csymbol encoding=\"text\" definitionURL=\"") + kAvogadroUrl +
         "\"> avogadro </csymbol>";
}
inline std::string apply_rate_of(const std::string& arg) {
  return std::string("<apply><csymbol encoding=\"text\" definitionURL=\"") + kRateOfUrl +
         "\"> rateOf </csymbol>" + arg + "</apply>";
}
inline std::string apply_delay(const std::string& arg, const std::string& delay) {
  return std::string("<apply><csymbol encoding=\"text\" definitionURL=\"") + kDelayUrl +
         "\"> delay </csymbol>" + arg + delay + "</apply>";
}

// A boolean expression turned into a number (1 or 0), because SBML forbids boolean values in an
// assignment rule's math.
inline std::string bool_to_num(const std::string& cond) {
  return "<piecewise><piece>" + cn(1) + cond + "</piece><otherwise>" + cn(0) +
         "</otherwise></piecewise>";
}

// ---- whole documents ----

struct Species {
  std::string id;
  std::string compartment = "C";
  double initial = 0.0;
  bool initial_is_amount = true;  // initialAmount vs initialConcentration
  bool has_only_substance_units = false;
  bool boundary = false;
  bool constant = false;
  std::string extra_attrs;  // e.g. conversionFactor="cf"
};

struct Reaction {
  std::string id;
  std::vector<std::pair<std::string, double>> reactants;  // (species, stoichiometry)
  std::vector<std::pair<std::string, double>> products;
  std::string kinetic_math;                               // inner MathML
  std::vector<std::pair<std::string, double>> local_parameters;
  std::vector<std::string> modifiers;
  std::string extra_attrs;  // e.g. fast="true" (L3V1 only)
};

// Builds a model piece by piece. Every add_* appends raw XML in the order called, so tests can put
// rules or initial assignments in any document order they like.
class ModelBuilder {
 public:
  explicit ModelBuilder(std::string id = "m") : id_(std::move(id)) {}

  ModelBuilder& level(int l, int v) {
    level_ = l;
    version_ = v;
    return *this;
  }
  ModelBuilder& model_attrs(const std::string& attrs) {
    model_attrs_ = attrs;
    return *this;
  }
  ModelBuilder& function(const std::string& id, const std::vector<std::string>& args,
                         const std::string& body) {
    std::string s = "<functionDefinition id=\"" + id + "\">" + "<math xmlns=\"" + kMathNs +
                    "\"><lambda>";
    for (const auto& a : args) s += "<bvar>" + ci(a) + "</bvar>";
    s += body + "</lambda></math></functionDefinition>";
    functions_.push_back(s);
    return *this;
  }
  ModelBuilder& compartment(const std::string& id, double size, bool constant = true) {
    std::string s = "<compartment id=\"" + id + "\" size=\"" + num(size) + "\"";
    if (level_ >= 3) s += " spatialDimensions=\"3\" constant=\"" + b(constant) + "\"";
    else if (!constant) s += " constant=\"false\"";
    compartments_.push_back(s + "/>");
    return *this;
  }
  ModelBuilder& species(const Species& sp) {
    std::string s = "<species id=\"" + sp.id + "\" compartment=\"" + sp.compartment + "\" " +
                    (sp.initial_is_amount ? "initialAmount" : "initialConcentration") + "=\"" +
                    num(sp.initial) + "\"";
    if (level_ >= 3 || sp.has_only_substance_units)
      s += " hasOnlySubstanceUnits=\"" + b(sp.has_only_substance_units) + "\"";
    if (level_ >= 3 || sp.boundary) s += " boundaryCondition=\"" + b(sp.boundary) + "\"";
    if (level_ >= 3 || sp.constant) s += " constant=\"" + b(sp.constant) + "\"";
    if (!sp.extra_attrs.empty()) s += " " + sp.extra_attrs;
    species_.push_back(s + "/>");
    return *this;
  }
  // Shorthand: a species with an initial amount in compartment C.
  ModelBuilder& species(const std::string& id, double amount, const std::string& comp = "C") {
    Species sp;
    sp.id = id;
    sp.initial = amount;
    sp.compartment = comp;
    return species(sp);
  }
  ModelBuilder& parameter(const std::string& id, double value, bool constant = true) {
    parameters_.push_back("<parameter id=\"" + id + "\" value=\"" + num(value) +
                          "\" constant=\"" + b(constant) + "\"/>");
    return *this;
  }
  // A parameter with no value attribute (set by a rule or an initial assignment).
  ModelBuilder& parameter_no_value(const std::string& id, bool constant) {
    parameters_.push_back("<parameter id=\"" + id + "\" constant=\"" + b(constant) + "\"/>");
    return *this;
  }
  ModelBuilder& initial_assignment(const std::string& symbol, const std::string& inner) {
    initial_assignments_.push_back("<initialAssignment symbol=\"" + symbol + "\">" + math(inner) +
                                   "</initialAssignment>");
    return *this;
  }
  ModelBuilder& assignment_rule(const std::string& var, const std::string& inner) {
    rules_.push_back("<assignmentRule variable=\"" + var + "\">" + math(inner) +
                     "</assignmentRule>");
    return *this;
  }
  ModelBuilder& rate_rule(const std::string& var, const std::string& inner) {
    rules_.push_back("<rateRule variable=\"" + var + "\">" + math(inner) + "</rateRule>");
    return *this;
  }
  ModelBuilder& algebraic_rule(const std::string& inner) {
    rules_.push_back("<algebraicRule>" + math(inner) + "</algebraicRule>");
    return *this;
  }
  ModelBuilder& reaction(const Reaction& r) {
    std::string s = "<reaction id=\"" + r.id + "\" reversible=\"false\"";
    if (level_ == 3 && version_ == 1 && r.extra_attrs.find("fast=") == std::string::npos)
      s += " fast=\"false\"";
    if (!r.extra_attrs.empty()) s += " " + r.extra_attrs;
    s += ">";
    auto refs = [&](const char* tag, const std::vector<std::pair<std::string, double>>& list) {
      if (list.empty()) return;
      s += std::string("<") + tag + ">";
      for (const auto& [sp, st] : list) {
        s += "<speciesReference species=\"" + sp + "\" stoichiometry=\"" + num(st) + "\"";
        if (level_ >= 3) s += " constant=\"true\"";
        s += "/>";
      }
      s += std::string("</") + tag + ">";
    };
    refs("listOfReactants", r.reactants);
    refs("listOfProducts", r.products);
    if (!r.modifiers.empty()) {
      s += "<listOfModifiers>";
      for (const auto& m : r.modifiers) s += "<modifierSpeciesReference species=\"" + m + "\"/>";
      s += "</listOfModifiers>";
    }
    s += "<kineticLaw>" + math(r.kinetic_math);
    if (!r.local_parameters.empty()) {
      if (level_ >= 3) {
        s += "<listOfLocalParameters>";
        for (const auto& [id, v] : r.local_parameters)
          s += "<localParameter id=\"" + id + "\" value=\"" + num(v) + "\"/>";
        s += "</listOfLocalParameters>";
      } else {
        s += "<listOfParameters>";
        for (const auto& [id, v] : r.local_parameters)
          s += "<parameter id=\"" + id + "\" value=\"" + num(v) + "\"/>";
        s += "</listOfParameters>";
      }
    }
    s += "</kineticLaw></reaction>";
    reactions_.push_back(s);
    return *this;
  }
  // Raw XML for an event (the runtime refuses events; tests only need one to exist).
  ModelBuilder& raw_event(const std::string& xml) {
    events_.push_back(xml);
    return *this;
  }

  std::string str() const {
    std::string ns = "http://www.sbml.org/sbml/level" + std::to_string(level_) + "/version" +
                     std::to_string(version_) + (level_ >= 3 ? "/core" : "");
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sbml xmlns=\"" + ns +
                    "\" level=\"" + std::to_string(level_) + "\" version=\"" +
                    std::to_string(version_) + "\">\n  <model id=\"" + id_ + "\"";
    if (!model_attrs_.empty()) s += " " + model_attrs_;
    s += ">\n";
    list(s, "listOfFunctionDefinitions", functions_);
    list(s, "listOfCompartments", compartments_);
    list(s, "listOfSpecies", species_);
    list(s, "listOfParameters", parameters_);
    list(s, "listOfInitialAssignments", initial_assignments_);
    list(s, "listOfRules", rules_);
    list(s, "listOfReactions", reactions_);
    list(s, "listOfEvents", events_);
    s += "  </model>\n</sbml>\n";
    return s;
  }

 private:
  static std::string b(bool v) { return v ? "true" : "false"; }
  static void list(std::string& s, const char* tag, const std::vector<std::string>& items) {
    if (items.empty()) return;
    s += std::string("    <") + tag + ">\n";
    for (const auto& i : items) s += "      " + i + "\n";
    s += std::string("    </") + tag + ">\n";
  }

  std::string id_;
  int level_ = 3;
  int version_ = 2;
  std::string model_attrs_;
  std::vector<std::string> functions_, compartments_, species_, parameters_,
      initial_assignments_, rules_, reactions_, events_;
};

// A document with one parameter `p` (constant="false", no value) set by an assignment rule with
// the given inner MathML. Optional function definitions and extra parameters can be added by
// passing a builder-modifying callback instead; this is the common case for the math tests.
inline std::string model_with_assignment(const std::string& math_inner) {
  return ModelBuilder("math_test")
      .parameter_no_value("p", false)
      .assignment_rule("p", math_inner)
      .str();
}

// Same, with function definitions available to the math.
struct FunctionDef {
  std::string id;
  std::vector<std::string> args;
  std::string body;
};
inline std::string model_with_assignment(const std::string& math_inner,
                                         const std::vector<FunctionDef>& functions) {
  ModelBuilder m("math_test");
  for (const auto& f : functions) m.function(f.id, f.args, f.body);
  return m.parameter_no_value("p", false).assignment_rule("p", math_inner).str();
}

// S -> (nothing) with rate k*S in a compartment of size 1: S(t) = S0 exp(-k t).
inline std::string decay_model(double s0 = 10.0, double k = 0.5) {
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.kinetic_math = apply("times", {ci("k"), ci("S1")});
  return ModelBuilder("decay")
      .compartment("C", 1.0)
      .species("S1", s0)
      .parameter("k", k)
      .reaction(r)
      .str();
}

// S1 -> S2 with rate k*S1 in a compartment of size `volume` (rate in concentration units times
// volume, so amounts follow A1' = -k A1 whatever the volume).
inline std::string two_species_model(double volume = 1.0, double s1 = 10.0, double k = 0.5) {
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.products = {{"S2", 1}};
  r.kinetic_math = apply("times", {ci("C"), ci("k"), ci("S1")});
  return ModelBuilder("two_species")
      .compartment("C", volume)
      .species("S1", s1)
      .species("S2", 0.0)
      .parameter("k", k)
      .reaction(r)
      .str();
}

}  // namespace fx
