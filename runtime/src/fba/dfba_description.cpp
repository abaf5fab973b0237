// dfba_description.cpp — reading a dynamic FBA description (axisim/dynamic_fba.hpp) from TOML.
// Only the file's own consistency is checked here; whether it fits the model (reactions, species)
// is checked by dynamic_fba.cpp, which has the model.
#include <cmath>
#include <filesystem>
#include <set>

#include "axisim/dynamic_fba.hpp"
#include "axisim/input_limits.hpp"
#include "io/toml_reader.hpp"

namespace axisim {
namespace {

// A number that must be finite and at least `least` (strictly above it when `strict`).
double bounded(const detail::TomlReader& in, const toml::node& node, const std::string& key, double least, bool strict) {
  const double v = in.number(node, key);
  if (!std::isfinite(v) || (strict ? !(v > least) : !(v >= least)))
    in.bad(node, "'" + key + "' must be a finite number " + (strict ? "above " : "of at least ") +
                     (least == 0 ? std::string("0") : std::to_string(least)) + ", not " + std::to_string(v));
  return v;
}

DfbaExchange read_exchange(const detail::TomlReader& in, const toml::table& t) {
  DfbaExchange e;
  bool has_reaction = false, has_initial = false, has_km = false;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "reaction") {
      e.reaction = in.string(node, k);
      has_reaction = !e.reaction.empty();
    } else if (k == "metabolite") {
      e.metabolite = in.string(node, k);
    } else if (k == "initial") {
      e.initial = bounded(in, node, k, 0.0, false);
      has_initial = true;
    } else if (k == "vmax") {
      e.vmax = bounded(in, node, k, 0.0, false);
    } else if (k == "km") {
      e.km = bounded(in, node, k, 0.0, false);
      has_km = true;
    } else if (k == "feed") {
      e.feed = bounded(in, node, k, 0.0, false);
    } else {
      in.bad(node, "unknown key '" + k + "' in [[exchange]] (reaction, metabolite, initial, vmax, km, feed)");
    }
  }
  if (!has_reaction) in.bad(t.source(), "an [[exchange]] has no 'reaction' (the exchange reaction's id)");
  if (!has_initial)
    in.bad(t.source(), "[[exchange]] of '" + e.reaction + "' has no 'initial' (the medium's concentration at the start)");
  if (has_km && !e.vmax) in.bad(t.source(), "[[exchange]] of '" + e.reaction + "' has 'km' without 'vmax'");
  return e;
}

DfbaObjective read_objective(const detail::TomlReader& in, const toml::table& t) {
  DfbaObjective o;
  bool has_sense = false;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "reaction") {
      o.reaction = in.string(node, k);
    } else if (k == "sense") {
      const std::string v = in.string(node, k);
      if (v != "max" && v != "min") in.bad(node, "'sense' must be \"max\" or \"min\", not \"" + v + "\"");
      o.maximize = v == "max";
      has_sense = true;
    } else {
      in.bad(node, "unknown key '" + k + "' in [[objective]] (reaction, sense)");
    }
  }
  if (o.reaction.empty()) in.bad(t.source(), "an [[objective]] has no 'reaction' (the reaction whose flux it optimises)");
  if (!has_sense) in.bad(t.source(), "[[objective]] of '" + o.reaction + "' has no 'sense' (\"max\" or \"min\")");
  return o;
}

// The tables of array `k` (TOML's [[k]]), each read by `read`.
template <typename Read>
void read_tables(const detail::TomlReader& in, const toml::node& node, const std::string& k, Read read) {
  const toml::array* a = node.as_array();
  if (!a) in.bad(node, "'" + k + "' must be an array of tables ([[" + k + "]])");
  for (const toml::node& item : *a) read(item, in.table(item, k));
}

}  // namespace

DfbaDescription parse_dfba_description(const std::string& text, const std::string& label) {
  const detail::TomlReader in(label, std::filesystem::path(label).parent_path());
  const toml::table doc = in.parse(text);
  DfbaDescription d;
  d.label = label;
  bool has_initial_biomass = false;
  const toml::node *tolerance = nullptr, *feed_rate = nullptr, *fed = nullptr;  // for messages
  std::set<std::string> reactions;
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k == "biomass_reaction") {
      d.biomass_reaction = in.string(node, k);
    } else if (k == "biomass_id") {
      d.biomass_id = in.string(node, k);
      if (d.biomass_id.empty() || d.biomass_id == "time") in.bad(node, "'biomass_id' must be a name other than 'time'");
    } else if (k == "initial_biomass") {
      d.initial_biomass = bounded(in, node, k, 0.0, true);
      has_initial_biomass = true;
    } else if (k == "step") {
      d.step = bounded(in, node, k, 0.0, true);
    } else if (k == "infeasible") {
      const std::string v = in.string(node, k);
      if (v != "stop" && v != "hold") in.bad(node, "'infeasible' must be \"stop\" or \"hold\", not \"" + v + "\"");
      d.hold_when_infeasible = v == "hold";
    } else if (k == "objective_tolerance") {
      d.objective_tolerance = bounded(in, node, k, 0.0, false);
      tolerance = &node;
    } else if (k == "volume") {
      d.volume = bounded(in, node, k, 0.0, true);
    } else if (k == "feed_rate") {
      d.feed_rate = bounded(in, node, k, 0.0, false);
      feed_rate = &node;
    } else if (k == "exchange") {
      read_tables(in, node, k, [&](const toml::node& item, const toml::table& t) {
        DfbaExchange e = read_exchange(in, t);
        if (!reactions.insert(e.reaction).second)
          in.bad(item, "exchange reaction '" + e.reaction + "' is described twice");
        if (e.feed > 0) fed = &item;
        d.exchanges.push_back(std::move(e));
      });
    } else if (k == "objective") {
      read_tables(in, node, k, [&](const toml::node&, const toml::table& t) { d.objectives.push_back(read_objective(in, t)); });
    } else {
      in.bad(node, "unknown key '" + k +
                       "' (biomass_reaction, initial_biomass, biomass_id, step, infeasible, objective_tolerance, volume, "
                       "feed_rate, [[exchange]] and [[objective]] tables)");
    }
  }
  if (tolerance && d.objectives.empty())
    in.bad(*tolerance, "'objective_tolerance' without [[objective]] tables (it loosens the objectives held while later "
                       "ones are solved)");
  if (feed_rate && !d.volume) in.bad(*feed_rate, "'feed_rate' without 'volume' (the culture's volume at the start)");
  if (fed && !feed_rate) in.bad(*fed, "an exchange has a 'feed' concentration but there is no 'feed_rate'");
  if (d.biomass_reaction.empty()) in.bad(doc.source(), "no 'biomass_reaction' (the reaction whose flux is the growth rate)");
  if (!has_initial_biomass) in.bad(doc.source(), "no 'initial_biomass' (the biomass concentration at the start, above 0)");
  if (d.exchanges.empty()) in.bad(doc.source(), "no [[exchange]] table: a dynamic FBA needs at least one medium metabolite");
  return d;
}

DfbaDescription read_dfba_description(const std::string& path) {
  return parse_dfba_description(read_text_file(path, kMaxTomlBytes, "dynamic FBA description"), path);
}

}  // namespace axisim
