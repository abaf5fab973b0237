#include "sbml/units.hpp"

#include <cctype>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "sbml/units_sbml.hpp"

namespace axisim::detail {
namespace {

// One SBML unit kind (with a multiplier and a power of ten) in SI, by libSBML.
UnitsSI kind_units(SBML_NS UnitKind_t kind, double multiplier, int scale, const std::string& declared) {
  SBML_NS UnitDefinition ud(3, 2);
  SBML_NS Unit* u = ud.createUnit();
  u->setKind(kind);
  u->setExponent(1.0);
  u->setScale(scale);
  u->setMultiplier(multiplier);
  return units_from_definition(&ud, declared);
}

// A name without a prefix: an SBML unit kind or a usual symbol.
bool plain_name(const std::string& name, int scale, UnitsSI& out) {
  struct Alias {
    const char* name;
    SBML_NS UnitKind_t kind;
    double multiplier;
  };
  static const Alias aliases[] = {
      {"mol", SBML_NS UNIT_KIND_MOLE, 1.0},      {"l", SBML_NS UNIT_KIND_LITRE, 1.0},
      {"L", SBML_NS UNIT_KIND_LITRE, 1.0},       {"s", SBML_NS UNIT_KIND_SECOND, 1.0},
      {"min", SBML_NS UNIT_KIND_SECOND, 60.0},   {"h", SBML_NS UNIT_KIND_SECOND, 3600.0},
      {"hour", SBML_NS UNIT_KIND_SECOND, 3600.0}, {"day", SBML_NS UNIT_KIND_SECOND, 86400.0},
      {"g", SBML_NS UNIT_KIND_GRAM, 1.0},        {"m", SBML_NS UNIT_KIND_METRE, 1.0},
  };
  for (const Alias& a : aliases)
    if (name == a.name) {
      out = kind_units(a.kind, a.multiplier, scale, name);
      return true;
    }
  if (name == "M") {  // molar
    out = combine(kind_units(SBML_NS UNIT_KIND_MOLE, 1.0, scale, name), kind_units(SBML_NS UNIT_KIND_LITRE, 1.0, 0, name), -1.0);
    return true;
  }
  const SBML_NS UnitKind_t kind = SBML_NS UnitKind_forName(name.c_str());
  if (kind == SBML_NS UNIT_KIND_INVALID || !SBML_NS UnitKind_isValidUnitKindString(name.c_str(), 3, 2)) return false;
  out = kind_units(kind, 1.0, scale, name);
  return true;
}

UnitsSI name_units(const std::string& name) {
  UnitsSI u;
  if (plain_name(name, 0, u)) return u;
  static const std::pair<char, int> prefixes[] = {{'p', -12}, {'n', -9}, {'u', -6}, {'m', -3}, {'c', -2}, {'d', -1}, {'k', 3}};
  if (name.size() > 1)
    for (const auto& [p, scale] : prefixes)
      if (name[0] == p && plain_name(name.substr(1), scale, u)) return u;
  throw std::invalid_argument("'" + name + "' is not a unit axisim knows (SBML unit kinds, mol, l, s, min, h, day, g, m, M, "
                              "with an SI prefix p, n, u, m, c, d or k)");
}

class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t) {}
  UnitsSI parse() {
    UnitsSI u = product();
    skip();
    if (i_ != t_.size()) fail("unexpected '" + std::string(1, t_[i_]) + "'");
    return u;
  }

 private:
  void skip() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(what + " at character " + std::to_string(i_ + 1)); }
  UnitsSI product() {
    UnitsSI u = power();
    for (;;) {
      skip();
      if (i_ < t_.size() && (t_[i_] == '*' || t_[i_] == '/')) {
        const double sign = t_[i_++] == '*' ? 1.0 : -1.0;
        u = combine(u, power(), sign);
      } else {
        return u;
      }
    }
  }
  UnitsSI power() {
    UnitsSI u = atom();
    skip();
    if (i_ < t_.size() && t_[i_] == '^') {
      ++i_;
      skip();
      const std::size_t start = i_;
      if (i_ < t_.size() && (t_[i_] == '-' || t_[i_] == '+')) ++i_;
      while (i_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[i_]))) ++i_;
      if (i_ == start || !std::isdigit(static_cast<unsigned char>(t_[i_ - 1]))) fail("an integer power expected");
      const double e = std::stod(t_.substr(start, i_ - start));
      UnitsSI none;
      none.known = true;
      u = combine(none, u, e);
    }
    return u;
  }
  UnitsSI atom() {
    skip();
    if (i_ >= t_.size()) fail("a unit expected");
    if (t_[i_] == '(') {
      ++i_;
      UnitsSI u = product();
      skip();
      if (i_ >= t_.size() || t_[i_] != ')') fail("')' expected");
      ++i_;
      return u;
    }
    const std::size_t start = i_;
    while (i_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[i_])) || t_[i_] == '_')) ++i_;
    const std::string name = t_.substr(start, i_ - start);
    if (name.empty()) fail("a unit expected");
    UnitsSI u;
    if (name == "1" || name == "dimensionless") {
      u.known = true;
      return u;
    }
    return name_units(name);
  }
  const std::string& t_;
  std::size_t i_ = 0;
};

}  // namespace

UnitsSI units_from_definition(const SBML_NS UnitDefinition* ud, const std::string& declared) {
  UnitsSI out;
  out.declared = declared;
  if (ud == nullptr || ud->getNumUnits() == 0) return out;
  const std::unique_ptr<SBML_NS UnitDefinition> si(SBML_NS UnitDefinition::convertToSI(ud));
  if (!si) return out;
  out.known = true;
  for (unsigned i = 0; i < si->getNumUnits(); ++i) {
    const SBML_NS Unit* u = si->getUnit(i);
    const double e = u->getExponentAsDouble();
    out.factor *= std::pow(u->getMultiplier() * std::pow(10.0, u->getScale()), e);
    if (u->getKind() == SBML_NS UNIT_KIND_DIMENSIONLESS) continue;
    const std::string kind = SBML_NS UnitKind_toString(u->getKind());
    if ((out.exponents[kind] += e) == 0.0) out.exponents.erase(kind);
  }
  return out;
}

namespace {

// The units an id names in `ir`: one of its unit definitions, else a unit kind; unknown for an
// empty id or one that is neither.
UnitsSI declared_units(const ModelIR& ir, const std::string& id) {
  if (id.empty()) return {};
  for (const DeclaredUnits& d : ir.unit_definitions) {
    if (d.id != id) continue;
    SBML_NS UnitDefinition ud(3, 2);
    for (const UnitFactor& f : d.factors) {
      SBML_NS Unit* u = ud.createUnit();
      u->setKind(static_cast<SBML_NS UnitKind_t>(f.kind));
      u->setExponent(f.exponent);
      u->setScale(f.scale);
      u->setMultiplier(f.multiplier);
    }
    return units_from_definition(&ud, id);
  }
  if (SBML_NS UnitKind_isValidUnitKindString(id.c_str(), 3, 2)) return kind_units(SBML_NS UnitKind_forName(id.c_str()), 1.0, 0, id);
  return {};
}

}  // namespace

UnitsSI symbol_units(const ModelIR& ir, std::size_t symbol) {
  const Symbol& s = ir.symbols[symbol];
  if (s.kind != SymbolKind::Species || s.has_only_substance_units) return declared_units(ir, s.units);
  return combine(declared_units(ir, s.units), declared_units(ir, ir.symbols[s.compartment].units), -1.0);
}

UnitsSI flux_units(const ModelIR& ir, std::size_t symbol) {
  return combine(declared_units(ir, ir.symbols[symbol].units), declared_units(ir, ir.time_units), -1.0);
}

UnitsSI combine(const UnitsSI& a, const UnitsSI& b, double power) {
  UnitsSI out;
  if (!a.known || !b.known) return out;
  out.known = true;
  out.factor = a.factor * std::pow(b.factor, power);
  out.exponents = a.exponents;
  for (const auto& [kind, e] : b.exponents)
    if ((out.exponents[kind] += power * e) == 0.0) out.exponents.erase(kind);
  out.declared = a.declared.empty() ? (power < 0 ? "1/" : "") + b.declared
                                    : a.declared + (power < 0 ? "/" : "*") + b.declared;
  return out;
}

UnitsSI parse_units(const std::string& text) {
  UnitsSI u = Parser(text).parse();
  u.declared = text;
  return u;
}

bool same_units(const UnitsSI& a, const UnitsSI& b) {
  return a.exponents == b.exponents && std::fabs(a.factor - b.factor) <= 1e-9 * std::max(std::fabs(a.factor), std::fabs(b.factor));
}

std::string si_text(const UnitsSI& u) {
  std::string out;
  if (u.factor != 1.0 || u.exponents.empty()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", u.factor);
    out = buf;
  }
  for (const auto& [kind, e] : u.exponents) {
    out += (out.empty() ? "" : " ") + kind;
    if (e != 1.0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "^%g", e);
      out += buf;
    }
  }
  return out;
}

}  // namespace axisim::detail
