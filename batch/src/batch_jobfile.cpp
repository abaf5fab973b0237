// Job files: reading the TOML, layering defaults, scenario files and job tables, expanding
// scans (grid, log-grid, random, Latin hypercube). The format is documented in docs/batch.md.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "axisim/batch.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "io/toml_reader.hpp"
#include "sobol_sequence.hpp"

namespace axisim::batch {

const std::vector<std::string> kStatistics{"initial", "final", "min", "max", "mean", "auc", "tmin", "tmax"};

namespace {

namespace fs = std::filesystem;

// A job's fields as one table gives them; absent fields leave what is below them.
struct Partial {
  std::optional<std::string> model, scenario;
  std::optional<double> start, end, atol, rtol;
  std::optional<int> steps;
  std::optional<long> max_steps;
  std::optional<LinearSolver> linear_solver;
  std::optional<JacobianKind> jacobian;
  std::vector<std::pair<std::string, double>> set;
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> add_select;
  std::vector<PluginRequest> plugins;
  std::optional<OutputMode> output;
  std::optional<std::vector<std::string>> statistics;
  std::optional<JobKind> kind;
  std::optional<long> replicates;
  std::optional<std::uint64_t> seed;
  std::optional<toml::source_region> replicates_where;
  std::optional<std::vector<std::string>> wrt;
  std::optional<bool> scaled;
  // kind = "steady": the `steady` table's solver options.
  std::optional<double> steady_rtol, steady_atol, steady_max_time;
  std::optional<int> steady_max_iterations;
  std::optional<toml::source_region> steady_where;
  std::optional<bool> ignore_fast;
  std::optional<double> max_seconds;
  std::optional<toml::source_region> max_seconds_where;
};

// One scan axis: an id and its values (grid) or its range (random, lhs).
struct Axis {
  std::string id;
  toml::source_position where;
  std::vector<double> values;  // grid and loggrid
  double low = 0, high = 0;    // random and lhs
  bool log = false;
};

// The typed getters and "FILE:LINE: what" errors are the scenario reader's (io/toml_reader.hpp).
class Parser : public detail::TomlReader {
 public:
  Parser(std::string path, fs::path dir) : TomlReader(std::move(path), std::move(dir)) {}

  // `set` tables: id = number; dotted keys (bone.k_form = 1) are nested tables in TOML and are
  // flattened back to "bone.k_form".
  void read_set(const toml::table& t, const std::string& prefix, std::vector<std::pair<std::string, double>>& out) const {
    for (const auto& [key, value] : ordered(t)) {
      const std::string id = prefix + std::string(key);
      if (const toml::table* sub = value->as_table()) read_set(*sub, id + ".", out);
      else put(out, id, number(*value, id));
    }
  }

  static void put(std::vector<std::pair<std::string, double>>& set, const std::string& id, double value) {
    for (auto& [k, v] : set)
      if (k == id) {
        v = value;
        return;
      }
    set.emplace_back(id, value);
  }

  // A table's entries in the order they appear in the file (toml++ keeps tables sorted).
  static std::vector<std::pair<std::string_view, const toml::node*>> ordered(const toml::table& t) {
    std::vector<std::pair<std::string_view, const toml::node*>> out;
    for (const auto& [k, v] : t) out.emplace_back(k.str(), &v);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      const auto pa = a.second->source().begin, pb = b.second->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    return out;
  }

  // Reads the keys a job, a scan and [defaults] share; returns false for a key it does not know.
  bool read_field(const std::string& k, const toml::node& node, Partial& p) const {
    if (k == "model") p.model = path_in_file(node, k);
    else if (k == "scenario") p.scenario = path_in_file(node, k);
    else if (k == "simulation") {
      for (const auto& [sk, sv] : table(node, k)) {
        const std::string name(sk.str());
        if (name == "start") p.start = number(sv, name);
        else if (name == "end") p.end = number(sv, name);
        else if (name == "steps") p.steps = static_cast<int>(integer(sv, name));
        else if (name == "atol") p.atol = number(sv, name);
        else if (name == "rtol") p.rtol = number(sv, name);
        else if (name == "max_steps") p.max_steps = integer(sv, name);
        else if (name == "replicates") {
          p.replicates = integer(sv, name);
          p.replicates_where = sv.source();
          if (*p.replicates < 1) bad(sv, "'replicates' must be at least 1");
        } else if (name == "seed") {
          const long seed = integer(sv, name);
          if (seed < 0) bad(sv, "'seed' must not be negative");
          p.seed = static_cast<std::uint64_t>(seed);
        }
        else if (name == "linear_solver") p.linear_solver = linear_solver(sv);
        else if (name == "jacobian") p.jacobian = jacobian(sv);
        else
          bad(sv, "unknown key '" + name +
                      "' in 'simulation' (start, end, steps, atol, rtol, max_steps, linear_solver, jacobian, "
                      "replicates, seed)");
      }
    } else if (k == "set") read_set(table(node, k), "", p.set);
    else if (k == "select") p.select = strings(node, k);
    else if (k == "add_select") {
      for (const std::string& id : strings(node, k))
        if (std::find(p.add_select.begin(), p.add_select.end(), id) == p.add_select.end()) p.add_select.push_back(id);
    }
    else if (k == "plugins") {
      for (const auto& [name, params] : ordered(table(node, k))) {
        PluginRequest r{std::string(name), {}};
        for (const auto& [pk, pv] : ordered(table(*params, "plugins." + r.name)))
          put(r.parameters, std::string(pk), number(*pv, std::string(pk)));
        p.plugins.push_back(std::move(r));
      }
    } else if (k == "output") {
      const std::string o = string(node, k);
      if (o == "full") p.output = OutputMode::Full;
      else if (o == "final") p.output = OutputMode::Final;
      else if (o == "summary") p.output = OutputMode::Summary;
      else bad(node, "'output' must be \"full\", \"final\" or \"summary\", not \"" + o + "\"");
    } else if (k == "kind") {
      const std::string kind = string(node, k);
      if (kind == "ode") p.kind = JobKind::Ode;
      else if (kind == "ssa") p.kind = JobKind::Ssa;
      else if (kind == "steady") p.kind = JobKind::Steady;
      else if (kind == "sensitivities") p.kind = JobKind::Sensitivities;
      else bad(node, "'kind' must be \"ode\" (a time course), \"ssa\" (a stochastic ensemble), \"steady\" (a steady "
                     "state) or \"sensitivities\" (forward sensitivities of a time course), not \"" + kind + "\"");
    } else if (k == "wrt") {
      p.wrt = strings(node, k);
      if (p.wrt->empty()) bad(node, "'wrt' must name at least one parameter");
    } else if (k == "scaled") {
      const auto v = node.value<bool>();
      if (!v) bad(node, "'scaled' must be true or false");
      p.scaled = *v;
    } else if (k == "steady") {
      p.steady_where = node.source();
      for (const auto& [sk, sv_binding] : table(node, k)) {
        const std::string name(sk.str());
        // A reference, not the binding itself: clang 14 (the sanitizer build) cannot capture a
        // structured binding in a lambda.
        const auto& sv = sv_binding;
        auto positive = [&] {
          const double v = number(sv, name);
          if (!(v > 0)) bad(sv, "'steady." + name + "' must be a number above 0");
          return v;
        };
        if (name == "rtol") p.steady_rtol = positive();
        else if (name == "atol") p.steady_atol = positive();
        else if (name == "max_time") p.steady_max_time = positive();
        else if (name == "max_iterations") {
          const long n = integer(sv, name);
          if (n < 1 || n > 1000000000) bad(sv, "'steady.max_iterations' must be a whole number from 1 to 1e9");
          p.steady_max_iterations = static_cast<int>(n);
        } else
          bad(sv, "unknown key '" + name + "' in 'steady' (rtol, atol, max_iterations, max_time)");
      }
    } else if (k == "ignore_fast") {
      p.ignore_fast = boolean(node, k);
    } else if (k == "max_seconds") {
      p.max_seconds = number(node, k);
      p.max_seconds_where = node.source();
      if (!(*p.max_seconds > 0)) bad(node, "'max_seconds' must be a positive number of seconds");
    } else if (k == "statistics") {
      auto s = strings(node, k);
      for (const std::string& name : s)
        if (std::find(kStatistics.begin(), kStatistics.end(), name) == kStatistics.end())
          bad(node, "unknown statistic '" + name + "' (initial, final, min, max, mean, auc, tmin, tmax)");
      if (s.empty()) bad(node, "'statistics' must name at least one statistic");
      p.statistics = std::move(s);
    } else return false;
    return true;
  }

  static void merge_plugins(std::vector<PluginRequest>& into, const std::vector<PluginRequest>& from) {
    for (const PluginRequest& r : from) {
      auto it = std::find_if(into.begin(), into.end(), [&](const PluginRequest& x) { return x.name == r.name; });
      if (it == into.end()) into.push_back(r);
      else
        for (const auto& [k, v] : r.parameters) put(it->parameters, k, v);
    }
  }

  static void apply(Job& job, const Partial& p) {
    if (p.model) job.model_path = *p.model;
    if (p.start) job.options.start = *p.start;
    if (p.end) job.options.end = *p.end;
    if (p.steps) job.options.steps = *p.steps;
    if (p.atol) job.options.atol = *p.atol;
    if (p.rtol) job.options.rtol = *p.rtol;
    if (p.max_steps) job.options.max_steps = *p.max_steps;
    if (p.linear_solver) job.options.linear_solver = *p.linear_solver;
    if (p.jacobian) job.options.jacobian = *p.jacobian;
    for (const auto& [k, v] : p.set) put(job.set, k, v);
    if (p.select) {
      job.select = *p.select;
      job.select_from_scenario = false;
    }
    for (const std::string& id : p.add_select)
      if (std::find(job.add_select.begin(), job.add_select.end(), id) == job.add_select.end()) job.add_select.push_back(id);
    merge_plugins(job.plugins, p.plugins);
    if (p.output) job.output = *p.output;
    if (p.statistics) job.statistics = *p.statistics;
    if (p.kind) job.kind = *p.kind;
    if (p.replicates) job.replicates = static_cast<std::uint64_t>(*p.replicates);
    if (p.seed) job.options.seed = *p.seed;
    if (p.wrt) job.wrt = *p.wrt;
    if (p.scaled) job.scaled = *p.scaled;
    if (p.steady_rtol) job.steady.rtol = *p.steady_rtol;
    if (p.steady_atol) job.steady.atol = *p.steady_atol;
    if (p.steady_max_iterations) job.steady.max_iterations = *p.steady_max_iterations;
    if (p.steady_max_time) job.steady.max_integration_time = *p.steady_max_time;
    if (p.ignore_fast) job.ignore_fast = *p.ignore_fast;
    if (p.max_seconds) job.options.max_seconds = *p.max_seconds;
  }

  const Scenario& scenario(const std::string& path) {
    auto it = scenarios_.find(path);
    if (it == scenarios_.end()) it = scenarios_.emplace(path, Scenario::load(path)).first;
    return it->second;
  }

  // built-in defaults < scenario file < [defaults] < the job's own table.
  Job resolve(const Partial& defaults, const Partial& own, const toml::node& where) {
    Job job;
    job.statistics = {"min", "max", "mean", "final"};
    const std::optional<std::string>& sc = own.scenario ? own.scenario : defaults.scenario;
    if (sc) {
      const Scenario& s = scenario(*sc);
      if (!s.model_path.empty()) job.model_path = s.model_path;
      job.options = s.options;
      job.set = s.set;
      job.select = s.select;
      job.select_from_scenario = !s.select.empty();
      job.plugins = s.plugins;
      job.ignore_fast = s.ignore_fast;
    }
    apply(job, defaults);
    apply(job, own);
    if (job.model_path.empty()) bad(where, "no model: give 'model' (or a 'scenario' that names one) here or in [defaults]");
    if (job.options.steps < 1) bad(where, "'steps' must be at least 1");
    if (!(job.options.end > job.options.start)) bad(where, "'end' must be greater than 'start'");
    // 'replicates' belongs with kind = "ssa" in the same table or below it (a job may still say
    // kind = "ode" under [defaults] that describe an ensemble).
    if (own.replicates && job.kind != JobKind::Ssa)
      bad(*own.replicates_where, "'replicates' is for stochastic jobs: give kind = \"ssa\" too");
    if (defaults.replicates && defaults.kind.value_or(JobKind::Ode) != JobKind::Ssa)
      bad(*defaults.replicates_where, "'replicates' is for stochastic jobs: give kind = \"ssa\" in [defaults] too");
    if (job.kind == JobKind::Sensitivities && job.wrt.empty())
      bad(where, "a sensitivities job needs 'wrt' (the parameters), here or in [defaults]");
    if (job.kind != JobKind::Sensitivities && (own.wrt || own.scaled))
      bad(where, "'wrt' and 'scaled' are for sensitivities jobs: give kind = \"sensitivities\" too");
    if (job.kind != JobKind::Steady && own.steady_where)
      bad(*own.steady_where, "'steady' (the solver's options) is for steady-state jobs: give kind = \"steady\" too");
    if ((job.kind == JobKind::Steady || job.kind == JobKind::Sensitivities) && job.output != OutputMode::Full)
      bad(where, "steady and sensitivities jobs write their whole table: 'output' must be \"full\"");
    // [defaults]' max_seconds applies to the time courses among the jobs; a job's own is an error
    // on any other kind.
    if (job.kind != JobKind::Ode && own.max_seconds)
      bad(*own.max_seconds_where,
          "'max_seconds' is for time courses (kind = \"ode\"): stochastic, steady and sensitivities jobs have no time limit");
    if (job.kind != JobKind::Ode) job.options.max_seconds = 0;
    // Statistics are for summary outputs; other jobs drop the default list (a large scan holds
    // every job: docs/reliability.md#load-100000-jobs).
    if (job.output != OutputMode::Summary) job.statistics = {};
    if (job.kind == JobKind::Ssa && !job.plugins.empty())
      bad(where, "a stochastic job (kind = \"ssa\") cannot attach tissue plugins: their states are continuous");
    return job;
  }

  void check_id(const toml::node& where, const std::string& id) const {
    if (id.empty() || id[0] == '.' ||
        !std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }))
      bad(where, "job id '" + id + "' must be letters, digits, '_', '-' and '.' (not first), as it names files");
  }

  std::vector<Axis> grid_axes(const toml::node& node, const std::string& key, bool log) const {
    std::vector<Axis> out;
    for (const auto& [id, spec] : ordered(table(node, key))) {
      Axis a{std::string(id), spec->source().begin, {}, 0, 0, log};
      const std::string what = key + "." + a.id;
      if (const toml::array* arr = spec->as_array()) {
        if (log) bad(*spec, "'" + what + "' must be a table { from, to, n } (give a list of values under 'grid')");
        for (const toml::node& v : *arr) a.values.push_back(number(v, what));
      } else if (const toml::table* t = spec->as_table()) {
        std::optional<double> from, to;
        std::optional<long> n;
        for (const auto& [k, v] : *t) {
          const std::string name(k.str());
          if (name == "from") from = number(v, what + ".from");
          else if (name == "to") to = number(v, what + ".to");
          else if (name == "n") n = integer(v, what + ".n");
          else bad(v, "unknown key '" + name + "' in '" + what + "' (from, to, n)");
        }
        if (!from || !to || !n) bad(*spec, "'" + what + "' needs from, to and n");
        if (*n < 1) bad(*spec, "'" + what + ".n' must be at least 1");
        if (log && !(*from > 0 && *to > 0)) bad(*spec, "'" + what + "': a log grid needs from > 0 and to > 0");
        for (long i = 0; i < *n; ++i) {
          double v;
          if (i == 0) v = *from;
          else if (i == *n - 1) v = *to;
          else if (log) v = std::pow(10.0, std::log10(*from) + (std::log10(*to) - std::log10(*from)) * static_cast<double>(i) / static_cast<double>(*n - 1));
          else v = *from + (*to - *from) * static_cast<double>(i) / static_cast<double>(*n - 1);
          a.values.push_back(v);
        }
      } else bad(*spec, "'" + what + "' must be a list of values or a table { from, to, n }");
      if (a.values.empty()) bad(*spec, "'" + what + "' has no values");
      out.push_back(std::move(a));
    }
    return out;
  }

  std::vector<Axis> sample_axes(const toml::node& node, const std::string& key) const {
    std::vector<Axis> out;
    for (const auto& [id, spec] : ordered(table(node, key))) {
      Axis a{std::string(id), spec->source().begin, {}, 0, 0, false};
      const std::string what = key + "." + a.id;
      std::optional<double> low, high;
      for (const auto& [k, v] : table(*spec, what)) {
        const std::string name(k.str());
        if (name == "low") low = number(v, what + ".low");
        else if (name == "high") high = number(v, what + ".high");
        else if (name == "log") {
          auto b = v.value<bool>();
          if (!b) bad(v, "'" + what + ".log' must be true or false");
          a.log = *b;
        } else bad(v, "unknown key '" + name + "' in '" + what + "' (low, high, log)");
      }
      if (!low || !high) bad(*spec, "'" + what + "' needs low and high");
      if (!(*high >= *low)) bad(*spec, "'" + what + "': high must not be below low");
      if (a.log && !(*low > 0)) bad(*spec, "'" + what + "': log sampling needs low > 0");
      a.low = *low;
      a.high = *high;
      out.push_back(std::move(a));
    }
    return out;
  }

  // Uniform in [0, 1) from 53 bits of the generator: the same numbers on every platform
  // (std::uniform_real_distribution is not specified exactly).
  static double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

  static double place(const Axis& a, double u) {
    if (a.log) return std::exp(std::log(a.low) + u * (std::log(a.high) - std::log(a.low)));
    return a.low + u * (a.high - a.low);
  }

  void expand_scan(const toml::table& t, const Partial& defaults, std::vector<Job>& jobs) {
    Partial own;
    std::string prefix;
    std::vector<Axis> grid, random, lhs, sobol;
    std::optional<long> samples;
    std::uint64_t seed = 0;
    bool seeded = false, saltelli = false;
    const toml::node* saltelli_node = nullptr;
    for (const auto& [key, node] : t) {
      const std::string k(key.str());
      if (k == "id") prefix = string(node, k);
      else if (k == "grid") for (Axis& a : grid_axes(node, k, false)) grid.push_back(std::move(a));
      else if (k == "loggrid") for (Axis& a : grid_axes(node, k, true)) grid.push_back(std::move(a));
      else if (k == "random") random = sample_axes(node, k);
      else if (k == "lhs") lhs = sample_axes(node, k);
      else if (k == "sobol") sobol = sample_axes(node, k);
      else if (k == "saltelli") {
        auto b = node.value<bool>();
        if (!b) bad(node, "'saltelli' must be true or false");
        saltelli = *b;
        saltelli_node = &node;
      } else if (k == "samples") samples = integer(node, k);
      else if (k == "seed") {
        seed = static_cast<std::uint64_t>(integer(node, k));
        seeded = true;
      } else if (!read_field(k, node, own))
        bad(node, "unknown key '" + k + "' in [[scan]] (id, grid, loggrid, random, lhs, sobol, saltelli, samples, seed, and a job's keys)");
    }
    if (prefix.empty()) bad(t, "a [[scan]] needs an 'id' (the prefix of its job ids)");
    std::sort(grid.begin(), grid.end(), [](const Axis& a, const Axis& b) {
      return a.where.line != b.where.line ? a.where.line < b.where.line : a.where.column < b.where.column;
    });
    std::set<std::string> ids;
    for (const auto* axes : {&grid, &random, &lhs, &sobol})
      for (const Axis& a : *axes)
        if (!ids.insert(a.id).second) bad(t, "scan '" + prefix + "' varies '" + a.id + "' twice");
    const bool sampled = !random.empty() || !lhs.empty() || !sobol.empty();
    if (sampled && !samples) bad(t, "scan '" + prefix + "': random, lhs and sobol need 'samples'");
    if (samples && !sampled) bad(t, "scan '" + prefix + "': 'samples' without random, lhs or sobol");
    if (sampled && !seeded) bad(t, "scan '" + prefix + "': random, lhs and sobol need a 'seed' (results must be reproducible)");
    if (samples && *samples < 1) bad(t, "scan '" + prefix + "': 'samples' must be at least 1");
    if (grid.empty() && !sampled) bad(t, "scan '" + prefix + "' varies nothing (give grid, loggrid, random, lhs or sobol)");
    if (!sobol.empty() && (!random.empty() || !lhs.empty()))
      bad(t, "scan '" + prefix + "': sobol cannot be combined with random or lhs in one scan");
    if (saltelli && sobol.empty()) bad(*saltelli_node, "scan '" + prefix + "': 'saltelli' needs sobol axes");
    const std::size_t sobol_dims = sobol.size() * (saltelli ? 2 : 1);
    if (sobol_dims > SobolSequence::kMaxDimensions)
      bad(t, "scan '" + prefix + "': a Sobol sequence has at most " + std::to_string(SobolSequence::kMaxDimensions) +
                 " dimensions (" + std::to_string(SobolSequence::kMaxDimensions / 2) + " axes with saltelli)");
    if (samples && *samples > (1L << 30)) bad(t, "scan '" + prefix + "': 'samples' must be at most 2^30");

    // Sampled values, the same for every grid point: the LHS permutations and offsets first (axis
    // by axis, in the order of the file), then the random draws (sample by sample).
    const long n = samples.value_or(1);
    std::vector<std::vector<double>> sampled_values(static_cast<std::size_t>(n));
    std::mt19937_64 rng(seed);
    std::vector<std::vector<double>> lhs_values;
    for (const Axis& a : lhs) {
      std::vector<long> perm(static_cast<std::size_t>(n));
      for (long i = 0; i < n; ++i) perm[static_cast<std::size_t>(i)] = i;
      for (long i = n - 1; i > 0; --i) {
        const long j = std::min(i, static_cast<long>(unit(rng) * static_cast<double>(i + 1)));
        std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
      }
      std::vector<double> v(static_cast<std::size_t>(n));
      for (long s = 0; s < n; ++s)
        v[static_cast<std::size_t>(s)] = place(a, (static_cast<double>(perm[static_cast<std::size_t>(s)]) + unit(rng)) / static_cast<double>(n));
      lhs_values.push_back(std::move(v));
    }
    for (long s = 0; s < n; ++s) {
      auto& row = sampled_values[static_cast<std::size_t>(s)];
      for (std::size_t d = 0; d < lhs.size(); ++d) row.push_back(lhs_values[d][static_cast<std::size_t>(s)]);
      for (const Axis& a : random) row.push_back(place(a, unit(rng)));
    }
    // Sobol points (a seeded digital shift, sobol_sequence.hpp): point s's first coordinates. With
    // saltelli, point s has 2d coordinates, A (the first d) and B (the last d), and gives d + 2
    // rows: A, then A with coordinate i taken from B (i = 1..d), then B — the radial design of
    // Saltelli 2010 (first-order and total Sobol indices) and of Campolongo 2011 (elementary
    // effects, Morris' mu*), from one set of runs.
    if (!sobol.empty()) {
      const SobolSequence seq(sobol_dims, seed);
      std::vector<std::vector<double>> rows;
      for (long s = 0; s < n; ++s) {
        std::vector<double> a(sobol.size()), b(sobol.size());
        for (std::size_t d = 0; d < sobol.size(); ++d) {
          a[d] = place(sobol[d], seq.at(static_cast<std::uint32_t>(s), d));
          if (saltelli) b[d] = place(sobol[d], seq.at(static_cast<std::uint32_t>(s), sobol.size() + d));
        }
        rows.push_back(a);
        if (!saltelli) continue;
        for (std::size_t i = 0; i < sobol.size(); ++i) {
          std::vector<double> ab = a;
          ab[i] = b[i];
          rows.push_back(std::move(ab));
        }
        rows.push_back(b);
      }
      sampled_values = std::move(rows);
    }
    const long rows = static_cast<long>(sampled_values.size());

    std::size_t points = 1;
    for (const Axis& a : grid) {
      points *= a.values.size();
      if (points * static_cast<std::size_t>(rows) > 100'000'000) bad(t, "scan '" + prefix + "' has more than 10^8 jobs");
    }
    if (points * static_cast<std::size_t>(rows) > 100'000'000) bad(t, "scan '" + prefix + "' has more than 10^8 jobs");
    const std::size_t total = points * static_cast<std::size_t>(rows);
    const std::size_t width = std::to_string(total - 1).size();
    Job base = resolve(defaults, own, t);
    std::vector<std::size_t> index(grid.size(), 0);
    std::size_t k = 0;
    for (std::size_t p = 0; p < points; ++p) {
      // Grid point p: the first axis varies slowest.
      std::size_t rest = p;
      for (std::size_t d = grid.size(); d-- > 0;) {
        index[d] = rest % grid[d].values.size();
        rest /= grid[d].values.size();
      }
      for (long s = 0; s < rows; ++s, ++k) {
        Job job = base;
        std::string number = std::to_string(k);
        job.id = prefix + "_" + std::string(width - number.size(), '0') + number;
        for (std::size_t d = 0; d < grid.size(); ++d) put(job.set, grid[d].id, grid[d].values[index[d]]);
        std::size_t c = 0;
        for (const Axis& a : lhs) put(job.set, a.id, sampled_values[static_cast<std::size_t>(s)][c++]);
        for (const Axis& a : random) put(job.set, a.id, sampled_values[static_cast<std::size_t>(s)][c++]);
        for (const Axis& a : sobol) put(job.set, a.id, sampled_values[static_cast<std::size_t>(s)][c++]);
        jobs.push_back(std::move(job));
      }
    }
  }

  JobList parse(const toml::table& doc) {
    JobList list;
    list.source = path();
    Partial defaults;
    if (const toml::node* d = doc.get("defaults")) {
      for (const auto& [key, node] : table(*d, "defaults")) {
        const std::string k(key.str());
        if (k == "id") bad(node, "[defaults] cannot give an 'id'");
        if (!read_field(k, node, defaults)) bad(node, "unknown key '" + k + "' in [defaults]");
      }
    }
    // Jobs first, then scans, each in the order of the file.
    std::vector<std::pair<toml::source_position, std::function<void()>>> steps;
    for (const auto& [key, node] : doc) {
      const std::string k(key.str());
      if (k == "defaults" || k == "description" || k == "name") continue;
      if (k != "job" && k != "scan") bad(node, "unknown key '" + k + "' (defaults, job, scan, name, description)");
      const toml::array* arr = node.as_array();
      if (!arr || !arr->is_array_of_tables()) bad(node, "'" + k + "' must be written [[" + k + "]]");
      for (const toml::node& entry : *arr) {
        const toml::table& t = *entry.as_table();
        if (k == "scan") steps.emplace_back(t.source().begin, [this, &t, &defaults, &list] { expand_scan(t, defaults, list.jobs); });
        else steps.emplace_back(t.source().begin, [this, &t, &defaults, &list] { read_job(t, defaults, list.jobs); });
      }
    }
    std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.first.line < b.first.line; });
    for (auto& [where, step] : steps) step();
    if (list.jobs.empty()) throw Error(ErrorKind::Usage, path() + ": no jobs (give [[job]] or [[scan]] tables)");

    std::set<std::string> seen;
    for (const Job& j : list.jobs)
      if (!seen.insert(j.id).second) throw Error(ErrorKind::Usage, path() + ": job id '" + j.id + "' is used twice");
    return list;
  }

  void read_job(const toml::table& t, const Partial& defaults, std::vector<Job>& jobs) {
    Partial own;
    std::string id;
    for (const auto& [key, node] : t) {
      const std::string k(key.str());
      if (k == "id") id = string(node, k);
      else if (!read_field(k, node, own))
        bad(node, "unknown key '" + k + "' in [[job]] (id, model, scenario, simulation, set, select, add_select, plugins, output, "
                  "statistics, kind, wrt, scaled, steady, ignore_fast, max_seconds)");
    }
    if (id.empty() && own.scenario) {
      const Scenario& s = scenario(*own.scenario);
      id = !s.name.empty() ? s.name : fs::path(*own.scenario).stem().string();
    }
    if (id.empty()) bad(t, "a [[job]] needs an 'id'");
    check_id(t, id);
    Job job = resolve(defaults, own, t);
    job.id = id;
    jobs.push_back(std::move(job));
  }

 private:
  std::map<std::string, Scenario> scenarios_;
};

}  // namespace

JobList parse_job_text(const std::string& text, const std::string& path, const std::string& base_dir) {
  // The reader refuses deep files before toml++ parses them (read_set recurses into the tables
  // dotted keys make too: axisim/input_limits.hpp).
  Parser parser(path, fs::absolute(base_dir));
  const toml::table doc = parser.TomlReader::parse(text);
  JobList list = parser.parse(doc);
  for (const Job& j : list.jobs)
    if (j.id.empty() || j.id[0] == '.' ||
        !std::all_of(j.id.begin(), j.id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }))
      throw Error(ErrorKind::Usage, path + ": job id '" + j.id + "' must be letters, digits, '_', '-' and '.' (not first)");
  return list;
}

JobList load_job_file(const std::string& path) {
  const std::string text = read_text_file(path, kMaxTomlBytes, "job file");
  return parse_job_text(text, path, fs::absolute(path).parent_path().string());
}

std::string format_overrides(const Job& job) {
  std::string out;
  for (const auto& [k, v] : job.set) {
    if (!out.empty()) out += ';';
    out += k + "=" + format_number(v);
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace axisim::batch
