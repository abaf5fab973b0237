#include "axisim/suite_settings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"

namespace axisim {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

double number(const std::string& path, const std::string& key, const std::string& text) {
  if (text.empty()) return 0.0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    throw Error(ErrorKind::Usage, path + ": '" + key + "' is not a number: '" + text + "'");
  return v;
}

// A count of steps: a whole number the int holds (a cast of anything else is undefined).
int whole_number(const std::string& path, const std::string& key, const std::string& text) {
  const double v = number(path, key, text);
  if (!(v >= 0 && v <= std::numeric_limits<int>::max()) || v != std::floor(v))
    throw Error(ErrorKind::Usage, path + ": '" + key + "' is not a whole number from 0 to " +
                                      std::to_string(std::numeric_limits<int>::max()) + ": '" + text + "'");
  return static_cast<int>(v);
}

}  // namespace

SuiteSettings SuiteSettings::parse_file(const std::string& path) {
  // Settings files are a few lines; a bounded read keeps a huge or endless file (one line of
  // gigabytes, say) from exhausting memory. The format has no nesting.
  std::istringstream in(read_text_file(path, kMaxSettingsBytes, "settings file"));
  SuiteSettings s;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos)
      throw Error(ErrorKind::Usage, path + ":" + std::to_string(lineno) + ": expected 'key: value'");
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "start") s.start = number(path, key, value);
    else if (key == "duration") s.duration = number(path, key, value);
    else if (key == "steps") s.steps = whole_number(path, key, value);
    else if (key == "variables") s.variables = split_list(value);
    else if (key == "absolute") s.absolute = number(path, key, value);
    else if (key == "relative") s.relative = number(path, key, value);
    else if (key == "amount") s.amount = split_list(value);
    else if (key == "concentration") s.concentration = split_list(value);
    // Other keys (for example the suite's "output" options) do not change a time course.
  }
  return s;
}

SimulationOptions SuiteSettings::simulation_options() const {
  SimulationOptions o;
  o.start = start;
  o.end = start + duration;
  o.steps = steps;
  // The judging tolerances bound the error of the reported values, and CVODE controls only the
  // local error of each step: a growing solution (exp(10 t), say) amplifies it a hundredfold,
  // so integrate ten thousand times tighter than the results are judged. The absolute
  // tolerance also stays below 1e-10, because a state can be far smaller than what is derived
  // from it (a Hill function of a small amount). Small models make this cheap.
  o.rtol = std::clamp(relative > 0 ? relative * 1e-4 : 1e-8, 1e-12, 1e-8);
  o.atol = std::clamp(absolute > 0 ? absolute * 1e-4 : 1e-12, 1e-16, 1e-10);
  return o;
}

std::vector<OutputSpec> SuiteSettings::outputs() const {
  std::vector<OutputSpec> out;
  for (const std::string& v : variables) {
    OutputSpec o{v, Quantity::Default};
    if (std::find(amount.begin(), amount.end(), v) != amount.end()) o.quantity = Quantity::Amount;
    else if (std::find(concentration.begin(), concentration.end(), v) != concentration.end())
      o.quantity = Quantity::Concentration;
    out.push_back(o);
  }
  return out;
}

}  // namespace axisim
