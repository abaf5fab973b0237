// sbml_text.hpp — small SBML Level 3 Version 2 documents for the analysis tests, written with
// infix formulas (libSBML's L3 parser turns them into MathML) and reaction equations
// ("2 A + B -> C", "-> S", "S ->").
#pragma once

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sbml/SBMLTypes.h>

namespace at {

inline std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// <math xmlns=...>...</math> for an infix formula.
inline std::string mathml(const std::string& infix) {
  LIBSBML_CPP_NAMESPACE::ASTNode* ast = LIBSBML_CPP_NAMESPACE::SBML_parseL3Formula(infix.c_str());
  if (!ast) throw std::runtime_error("cannot parse formula: " + infix);
  char* text = LIBSBML_CPP_NAMESPACE::writeMathMLToString(ast);
  std::string s(text);
  free(text);
  delete ast;
  const auto start = s.find("<math");
  return s.substr(start);
}

class Doc {
 public:
  explicit Doc(std::string id = "m") : id_(std::move(id)) {}

  Doc& compartment(const std::string& id, double size, bool constant = true) {
    compartments_ += "<compartment id=\"" + id + "\" size=\"" + num(size) + "\" spatialDimensions=\"3\" constant=\"" +
                     (constant ? "true" : "false") + "\"/>\n";
    return *this;
  }
  // A species with an initial concentration in compartment `comp` (default "C", created on demand).
  Doc& species(const std::string& id, double concentration, bool boundary = false, const std::string& comp = "C",
               const std::string& extra = "") {
    species_ += "<species id=\"" + id + "\" compartment=\"" + comp + "\" initialConcentration=\"" + num(concentration) +
                "\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"" + (boundary ? "true" : "false") +
                "\" constant=\"false\"" + (extra.empty() ? "" : " " + extra) + "/>\n";
    return *this;
  }
  Doc& parameter(const std::string& id, double value, bool constant = true) {
    parameters_ += "<parameter id=\"" + id + "\" value=\"" + num(value) + "\" constant=\"" + (constant ? "true" : "false") +
                   "\"/>\n";
    return *this;
  }
  Doc& reaction(const std::string& id, const std::string& equation, const std::string& law) {
    const auto arrow = equation.find("->");
    if (arrow == std::string::npos) throw std::runtime_error("no -> in " + equation);
    std::string r = "<reaction id=\"" + id + "\" reversible=\"false\">\n";
    r += refs("listOfReactants", equation.substr(0, arrow));
    r += refs("listOfProducts", equation.substr(arrow + 2));
    r += "<kineticLaw>" + mathml(law) + "</kineticLaw>\n</reaction>\n";
    reactions_ += r;
    return *this;
  }
  Doc& raw_reaction(const std::string& xml) {
    reactions_ += xml + "\n";
    return *this;
  }
  Doc& rate_rule(const std::string& var, const std::string& infix) {
    rules_ += "<rateRule variable=\"" + var + "\">" + mathml(infix) + "</rateRule>\n";
    return *this;
  }
  Doc& assignment_rule(const std::string& var, const std::string& infix) {
    rules_ += "<assignmentRule variable=\"" + var + "\">" + mathml(infix) + "</assignmentRule>\n";
    return *this;
  }
  Doc& algebraic_rule(const std::string& infix) {
    rules_ += "<algebraicRule>" + mathml(infix) + "</algebraicRule>\n";
    return *this;
  }
  Doc& initial_assignment(const std::string& var, const std::string& infix) {
    initial_ += "<initialAssignment symbol=\"" + var + "\">" + mathml(infix) + "</initialAssignment>\n";
    return *this;
  }
  Doc& event(const std::string& id, const std::string& trigger, const std::string& var, const std::string& value) {
    events_ += "<event id=\"" + id + "\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
               "persistent=\"true\">" + mathml(trigger) + "</trigger><listOfEventAssignments><eventAssignment variable=\"" +
               var + "\">" + mathml(value) + "</eventAssignment></listOfEventAssignments></event>\n";
    return *this;
  }

  // An event written out in full (priorities, several assignments, delays).
  Doc& raw_event(const std::string& xml) {
    events_ += xml + "\n";
    return *this;
  }

  std::string str() const {
    std::string comps = compartments_;
    if (comps.empty()) comps = "<compartment id=\"C\" size=\"1\" spatialDimensions=\"3\" constant=\"true\"/>\n";
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
                    "<model id=\"" + id_ + "\">\n";
    s += "<listOfCompartments>\n" + comps + "</listOfCompartments>\n";
    if (!species_.empty()) s += "<listOfSpecies>\n" + species_ + "</listOfSpecies>\n";
    if (!parameters_.empty()) s += "<listOfParameters>\n" + parameters_ + "</listOfParameters>\n";
    if (!initial_.empty()) s += "<listOfInitialAssignments>\n" + initial_ + "</listOfInitialAssignments>\n";
    if (!rules_.empty()) s += "<listOfRules>\n" + rules_ + "</listOfRules>\n";
    if (!reactions_.empty()) s += "<listOfReactions>\n" + reactions_ + "</listOfReactions>\n";
    if (!events_.empty()) s += "<listOfEvents>\n" + events_ + "</listOfEvents>\n";
    return s + "</model>\n</sbml>\n";
  }

 private:
  // "2 A + B" -> speciesReferences
  static std::string refs(const char* tag, const std::string& side) {
    std::vector<std::string> terms;
    std::string cur;
    std::istringstream in(side);
    std::string tok;
    std::string out;
    std::vector<std::pair<double, std::string>> list;
    double coef = 1.0;
    while (in >> tok) {
      if (tok == "+") continue;
      char* end = nullptr;
      const double v = std::strtod(tok.c_str(), &end);
      if (end && *end == '\0') {
        coef = v;
        continue;
      }
      list.emplace_back(coef, tok);
      coef = 1.0;
    }
    if (list.empty()) return "";
    out = std::string("<") + tag + ">";
    for (const auto& [c, sp] : list)
      out += "<speciesReference species=\"" + sp + "\" stoichiometry=\"" + num(c) + "\" constant=\"true\"/>";
    return out + "</" + tag + ">\n";
  }

  std::string id_;
  std::string compartments_, species_, parameters_, rules_, reactions_, events_, initial_;
};

}  // namespace at
