#include "stochastic_judge.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "text_util.hpp"

namespace stochastic {

namespace {

double number(const std::string& text, const std::string& where) {
  const auto v = suite::parse_number(text);
  if (!v) throw std::runtime_error(where + ": not a number: '" + text + "'");
  return *v;
}

// "(-3, 3)" -> {-3, 3}
std::pair<double, double> range(const std::string& text, const std::string& where) {
  std::string t(suite::trim(text));
  if (t.size() < 2 || t.front() != '(' || t.back() != ')') throw std::runtime_error(where + ": expected (low, high)");
  const auto parts = suite::split(std::string_view(t).substr(1, t.size() - 2), ',');
  if (parts.size() != 2) throw std::runtime_error(where + ": expected (low, high)");
  return {number(std::string(suite::trim(parts[0])), where), number(std::string(suite::trim(parts[1])), where)};
}

std::string fixed(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

}  // namespace

StochasticSettings read_stochastic_settings(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  StochasticSettings s;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string where = file.string() + ":" + std::to_string(n);
    const std::string_view t = suite::trim(line);
    if (t.empty()) continue;
    const auto colon = t.find(':');
    if (colon == std::string_view::npos) throw std::runtime_error(where + ": expected 'key: value'");
    const std::string key(suite::trim(t.substr(0, colon)));
    const std::string value(suite::trim(t.substr(colon + 1)));
    if (key == "start") s.start = number(value, where);
    else if (key == "duration") s.duration = number(value, where);
    else if (key == "steps") s.steps = static_cast<int>(number(value, where));
    else if (key == "variables") {
      for (const std::string& v : suite::split(value, ','))
        if (!suite::trim(v).empty()) s.variables.emplace_back(suite::trim(v));
    } else if (key == "meanRange") s.mean_range = range(value, where);
    else if (key == "sdRange") s.sd_range = range(value, where);
  }
  if (s.variables.empty()) throw std::runtime_error(file.string() + ": no variables");
  return s;
}

Verdict judge(const StochasticSettings& settings, const suite::CsvTable& expected, const suite::CsvTable& actual,
              double n, std::size_t max_outside) {
  Verdict v;
  if (expected.rows.size() != static_cast<std::size_t>(settings.steps) + 1)
    throw std::runtime_error("the expected results have " + std::to_string(expected.rows.size()) + " rows, not steps + 1");
  if (actual.rows.size() != expected.rows.size()) {
    v.detail = "the output has " + std::to_string(actual.rows.size()) + " rows, not " +
               std::to_string(expected.rows.size());
    return v;
  }
  const auto et = expected.column("time"), at = actual.column("time");
  if (!et) throw std::runtime_error("the expected results have no time column");
  if (!at) {
    v.detail = "the output has no time column";
    return v;
  }
  std::vector<std::string> notes;
  auto note = [&](const std::string& what) {
    if (notes.size() < 3) notes.push_back(what);
  };
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const double te = number(expected.rows[i][*et], "expected time"), ta = suite::parse_number(actual.rows[i][*at]).value_or(NAN);
    if (!(std::fabs(te - ta) <= 1e-9 * std::max(1.0, std::fabs(te)))) {
      v.detail = "row " + std::to_string(i) + " is at time " + actual.rows[i][*at] + ", not " + expected.rows[i][*et];
      return v;
    }
  }
  for (const std::string& x : settings.variables) {
    const auto em = expected.column(x + "-mean"), es = expected.column(x + "-sd");
    if (!em || !es) throw std::runtime_error("the expected results have no " + x + "-mean or " + x + "-sd column");
    const auto am = actual.column(x + "-mean"), as = actual.column(x + "-sd");
    if (!am || !as) {
      v.detail = "the output has no " + x + "-mean or " + x + "-sd column";
      return v;
    }
    for (std::size_t i = 0; i < expected.rows.size(); ++i) {
      const std::string at_time = x + " at t = " + expected.rows[i][*et];
      const double mu = number(expected.rows[i][*em], "expected mean"), sigma = number(expected.rows[i][*es], "expected sd");
      const double m = suite::parse_number(actual.rows[i][*am]).value_or(NAN);
      const double s = suite::parse_number(actual.rows[i][*as]).value_or(NAN);
      if (sigma == 0) {
        // No spread: every replicate has the exact value (the suite writes it to 5 decimals).
        ++v.exact;
        if (!(std::fabs(m - mu) <= 1e-6 * std::max(1.0, std::fabs(mu)))) {
          ++v.exact_mismatches;
          note(at_time + ": mean " + actual.rows[i][*am] + ", exactly " + expected.rows[i][*em] + " expected");
        }
        continue;
      }
      const double z = std::sqrt(n) * (m - mu) / sigma;
      v.points += 2;
      const double y = std::sqrt(n / 2) * (s * s / (sigma * sigma) - 1);
      if (!(std::fabs(z) <= std::fabs(v.worst_z))) v.worst_z = std::isnan(z) ? v.worst_z : z;
      if (!(std::fabs(y) <= std::fabs(v.worst_y))) v.worst_y = std::isnan(y) ? v.worst_y : y;
      if (!(z >= settings.mean_range.first && z <= settings.mean_range.second)) {
        ++v.mean_outside;
        note(at_time + ": Z = " + fixed(z));
      }
      if (!(y >= settings.sd_range.first && y <= settings.sd_range.second)) {
        ++v.sd_outside;
        note(at_time + ": Y = " + fixed(y));
      }
    }
  }
  v.pass = v.exact_mismatches == 0 && v.outside() <= max_outside;
  v.detail = std::to_string(v.outside()) + " of " + std::to_string(v.points) + " points outside (" +
             std::to_string(v.mean_outside) + " mean, " + std::to_string(v.sd_outside) + " sd; " +
             std::to_string(max_outside) + " allowed), " + std::to_string(v.exact - v.exact_mismatches) + " of " +
             std::to_string(v.exact) + " exact points equal; worst Z " + fixed(v.worst_z) + ", worst Y " + fixed(v.worst_y);
  for (const std::string& s : notes) v.detail += "; " + s;
  return v;
}

}  // namespace stochastic
