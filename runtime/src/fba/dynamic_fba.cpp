// dynamic_fba.cpp — dynamic FBA by the static optimisation approach (axisim/dynamic_fba.hpp):
// one FBA problem per step with uptake bounds from the medium, the fluxes held over the step.
//
// The FBA problem is read once (fba.cpp's load_fba_problem) and kept in one GLPK session; each
// step changes only the exchange reactions' bounds, so the simplex method starts from the last
// step's basis and usually has a few pivots to do. Lexicographic objectives add one row per
// objective held (built into the session once, free until the step's solves bound them).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

#include <spdlog/spdlog.h>

#include "axisim/dynamic_fba.hpp"
#include "fba/fba_document.hpp"
#include "fba/fba_problem.hpp"

namespace axisim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// A run that needs more FBA solves than this is taken as stuck (steps cut ever shorter).
constexpr long kMaxSolves = 20'000'000;
constexpr const char* kVolume = "volume";  // the fed-batch culture's volume column

std::string q(const std::string& s) { return "'" + s + "'"; }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// One exchange with the medium, resolved against the model.
struct Medium {
  std::size_t column = 0;   // the exchange reaction's LP column
  std::string species;      // the metabolite's id (its column)
  // The medium's gain per unit flux per unit biomass: dS/dt = rate * v * X.
  double rate = 0;
  std::optional<double> vmax;
  double km = 0;
  double model_lower = 0, model_upper = 0;  // the reaction's bounds in the model
};

// The exchange's metabolite and the medium's gain per unit flux. The reaction moves the
// metabolite between the model and the medium: a boundary species is the medium itself (it gains
// its own net stoichiometry n); a balanced species in a reaction that changes nothing else is the
// model's side of an exchange whose other side is the medium (COBRA's "S_e ->": the medium gains
// -n, what the model loses).
Medium resolve(const detail::FbaProblem& p, const DfbaExchange& e, const std::string& where) {
  Medium m;
  const auto r = p.reaction_index.find(e.reaction);
  if (r == p.reaction_index.end())
    throw Error(ErrorKind::Usage, where + ": exchange reaction " + q(e.reaction) + " is not a reaction of model " +
                                      q(p.model_id));
  m.column = r->second;
  m.vmax = e.vmax;
  m.km = e.km;
  m.model_lower = p.lp.lower[m.column];
  m.model_upper = p.lp.upper[m.column];
  const auto& touched = p.reaction_species[m.column];
  std::vector<std::size_t> changed, boundary;
  for (const auto& [species, n] : touched) {
    if (n == 0.0) continue;
    changed.push_back(species);
    if (!p.species_row[species]) boundary.push_back(species);
  }
  std::optional<std::size_t> chosen;
  if (!e.metabolite.empty()) {
    for (const auto& [species, n] : touched)
      if (p.species_ids[species] == e.metabolite && n != 0.0) chosen = species;
    if (!chosen)
      throw Error(ErrorKind::Usage, where + ": exchange reaction " + q(e.reaction) + " does not change species " +
                                        q(e.metabolite) + " (its metabolite)");
  } else if (changed.size() == 1) {
    chosen = changed[0];
  } else if (boundary.size() == 1) {
    chosen = boundary[0];
  } else {
    throw Error(ErrorKind::Usage, where + ": exchange reaction " + q(e.reaction) + " changes " +
                                      std::to_string(changed.size()) + " species, " + std::to_string(boundary.size()) +
                                      " of them boundary species: name its medium species with 'metabolite'");
  }
  double n = 0;
  for (const auto& [species, st] : touched)
    if (species == *chosen) n = st;
  m.species = p.species_ids[*chosen];
  if (!std::isfinite(n))
    throw Error(ErrorKind::Unsupported, where + ": the stoichiometry of " + q(m.species) + " in exchange reaction " +
                                            q(e.reaction) + " has no finite value at time 0");
  const bool is_boundary = !p.species_row[*chosen];
  if (!is_boundary && changed.size() > 1)
    throw Error(ErrorKind::Usage, where + ": reaction " + q(e.reaction) + " changes balanced species " + q(m.species) +
                                      " and others, so it is not an exchange with the medium; name a boundary species "
                                      "(the medium) as its 'metabolite', or use an exchange reaction of " +
                                      q(m.species) + " alone");
  m.rate = is_boundary ? n : -n;
  return m;
}

// The bounds of an exchange's flux at concentration s: the uptake direction (where the medium
// loses) limited by the kinetics, or by the model's own bound without them; nothing taken up at
// s = 0. The other direction keeps the model's bound.
std::pair<double, double> exchange_bounds(const Medium& m, double s) {
  double cap;  // the most the medium may lose per unit biomass, or -1 for the model's own bound
  if (s <= 0) cap = 0;
  else if (m.vmax) cap = m.km == 0 ? *m.vmax : *m.vmax * s / (m.km + s);
  else cap = -1;
  double lower = m.model_lower, upper = m.model_upper;
  if (m.rate > 0) {  // uptake is a negative flux
    if (cap >= 0) lower = m.vmax ? -cap / m.rate : std::max(lower, 0.0);
  } else if (cap >= 0) {  // uptake is a positive flux
    upper = m.vmax ? cap / -m.rate : std::min(upper, 0.0);
  }
  return {lower, upper};
}

// The first time within (0, h] at which a metabolite taken up (r < 0, per unit biomass) while fed
// (feed_in = F S_feed > 0, amount per time) runs out, if it does: the first root of its amount
//   N(t) = s V + feed_in t + r X V (e^(mu t) - 1) / mu.
// N' = feed_in + r X V e^(mu t) is monotonic, so N is concave (mu >= 0) or convex (mu < 0): its
// first root is bracketed by h where N(h) < 0, or else by N's minimum; found by bisection.
std::optional<double> fed_runs_out(double s, double volume, double feed_in, double r, double x, double mu, double h) {
  auto amount = [&](double t) { return s * volume + feed_in * t + r * x * volume * (mu == 0 ? t : std::expm1(mu * t) / mu); };
  double hi = h;
  if (!(amount(h) < 0)) {
    if (!(mu < 0)) return std::nullopt;
    const double ratio = feed_in / (-r * x * volume);  // e^(mu t) where N' = 0
    if (!(ratio < 1)) return std::nullopt;             // N' >= 0 from the start: N grows
    const double t_min = std::log(ratio) / mu;
    if (!(t_min < h) || !(amount(t_min) < 0)) return std::nullopt;
    hi = t_min;
  }
  double lo = 0;  // N(lo) > 0 > N(hi)
  for (int i = 0; i < 200; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    (amount(mid) < 0 ? hi : lo) = mid;
  }
  return hi;
}

// One objective of the lexicographic list, resolved: its dense objective vector and the row that
// holds it at its optimum while the later ones are solved.
struct Priority {
  std::string name;  // for messages
  std::vector<double> objective;
  bool maximize = true;
  std::size_t row = 0;  // the row holding the objective before this one
};

// What one output column reads.
struct Read {
  enum Kind { Biomass, Volume, Concentration, Flux, Objective } kind;
  std::size_t index = 0;
};

std::vector<Read> resolve_outputs(const detail::FbaProblem& p, const DfbaDescription& d, const std::vector<Medium>& media,
                                  std::vector<std::string>& ids, const std::string& where) {
  if (ids.empty()) {
    ids.push_back(d.biomass_id);
    if (d.volume) ids.push_back(kVolume);
    for (const Medium& m : media) ids.push_back(m.species);
    ids.push_back(d.biomass_reaction);
    for (const DfbaExchange& e : d.exchanges)
      if (e.reaction != d.biomass_reaction) ids.push_back(e.reaction);
  }
  std::vector<Read> reads;
  for (const std::string& id : ids) {
    if (id == d.biomass_id) {
      reads.push_back({Read::Biomass, 0});
      continue;
    }
    if (d.volume && id == kVolume) {
      reads.push_back({Read::Volume, 0});
      continue;
    }
    const auto medium = std::find_if(media.begin(), media.end(), [&](const Medium& m) { return m.species == id; });
    if (medium != media.end()) {
      reads.push_back({Read::Concentration, static_cast<std::size_t>(medium - media.begin())});
      continue;
    }
    if (const auto r = p.reaction_index.find(id); r != p.reaction_index.end()) {
      reads.push_back({Read::Flux, r->second});
      continue;
    }
    std::optional<std::size_t> objective;
    for (std::size_t i = 0; i < p.objectives.size(); ++i)
      if (p.objectives[i].id == id) objective = i;
    if (!objective)
      throw Error(ErrorKind::UnknownId, where + ": " + q(id) + " is not the biomass (" + q(d.biomass_id) + "), " +
                                            (d.volume ? "the volume, " : "") +
                                            "a medium metabolite, a reaction or an objective of model " + q(p.model_id));
    reads.push_back({Read::Objective, *objective});
  }
  return reads;
}

Result run(const detail::SbmlSource& source, const DfbaDescription& d, const DfbaTimes& times,
           const std::vector<std::string>& outputs, const DfbaOptions& options) {
  const std::string label = source.label();
  const std::string where = label + ": dynamic FBA" + (d.label.empty() ? "" : " (" + d.label + ")");
  if (!(std::isfinite(times.start) && std::isfinite(times.end) && times.end > times.start))
    throw Error(ErrorKind::Usage, where + ": the end time must be finite and after the start (" + num(times.start) +
                                      " to " + num(times.end) + ")");
  if (times.points < 1) throw Error(ErrorKind::Usage, where + ": at least one output interval is needed");
  const double first = std::isnan(times.output_start) ? times.start : times.output_start;
  if (!(first >= times.start && first < times.end))
    throw Error(ErrorKind::Usage, where + ": the first output time (" + num(first) + ") must be from the start (" +
                                      num(times.start) + ") to before the end (" + num(times.end) + ")");
  if (!(d.initial_biomass > 0 && std::isfinite(d.initial_biomass)) || !(d.step > 0 && std::isfinite(d.step)))
    throw Error(ErrorKind::Usage, where + ": the initial biomass and the step must be finite numbers above 0");
  if ((d.volume && !(*d.volume > 0 && std::isfinite(*d.volume))) || !(d.feed_rate >= 0 && std::isfinite(d.feed_rate)) ||
      !(d.objective_tolerance >= 0 && std::isfinite(d.objective_tolerance)))
    throw Error(ErrorKind::Usage, where + ": the volume must be a finite number above 0, the feed rate and the objective "
                                      "tolerance finite numbers of at least 0");
  if (d.feed_rate > 0 && !d.volume)
    throw Error(ErrorKind::Usage, where + ": a feed rate needs the culture's volume at the start ('volume')");
  FbaOptions fba;
  fba.validate = options.validate;
  const detail::FbaProblem p = detail::load_fba_problem(source, fba, label);

  const auto biomass = p.reaction_index.find(d.biomass_reaction);
  if (biomass == p.reaction_index.end())
    throw Error(ErrorKind::Usage, where + ": biomass reaction " + q(d.biomass_reaction) + " is not a reaction of model " +
                                      q(p.model_id));
  const std::size_t mu_column = biomass->second;
  if (p.reaction_index.count(d.biomass_id))
    throw Error(ErrorKind::Usage, where + ": biomass_id " + q(d.biomass_id) + " is a reaction's id; name the biomass "
                                      "concentration otherwise");
  std::vector<Medium> media;
  std::vector<double> s;  // the medium's concentrations
  for (const DfbaExchange& e : d.exchanges) {
    if (!(e.initial >= 0 && std::isfinite(e.initial)) || (e.vmax && !(*e.vmax >= 0 && std::isfinite(*e.vmax))) ||
        !(e.km >= 0 && std::isfinite(e.km)) || !(e.feed >= 0 && std::isfinite(e.feed)))
      throw Error(ErrorKind::Usage, where + ": exchange " + q(e.reaction) + ": initial, vmax, km and feed must be finite "
                                        "and not negative");
    media.push_back(resolve(p, e, where));
    for (std::size_t i = 0; i + 1 < media.size(); ++i)
      if (media[i].species == media.back().species)
        throw Error(ErrorKind::Usage, where + ": exchange reactions " + q(d.exchanges[i].reaction) + " and " +
                                          q(e.reaction) + " both exchange " + q(media.back().species) +
                                          "; describe one exchange per medium metabolite");
    if (media.back().species == d.biomass_id)
      throw Error(ErrorKind::Usage, where + ": " + q(d.biomass_id) + " is both the biomass and a medium metabolite");
    if (d.volume && media.back().species == kVolume)
      throw Error(ErrorKind::Usage, where + ": medium metabolite " + q(kVolume) + " would share the volume's column; the "
                                        "volume cannot be reported beside it");
    s.push_back(e.initial);
  }
  if (d.volume && d.biomass_id == kVolume)
    throw Error(ErrorKind::Usage, where + ": biomass_id " + q(kVolume) + " is the volume's column; name the biomass "
                                      "otherwise");

  // The lexicographic list: a row per objective held (the model's, then each but the last of the
  // list), free until a step's solves bound it.
  detail::LinearProgram lp = p.lp;
  std::vector<Priority> priorities;
  std::vector<std::pair<std::size_t, double>> held_coefficients;  // of the objective held next
  for (std::size_t j = 0; j < lp.objective.size(); ++j)
    if (lp.objective[j] != 0.0) held_coefficients.emplace_back(j, lp.objective[j]);
  std::string held_name = "objective " + q(p.objectives[p.active].id);
  for (const DfbaObjective& o : d.objectives) {
    const auto r = p.reaction_index.find(o.reaction);
    if (r == p.reaction_index.end())
      throw Error(ErrorKind::Usage, where + ": [[objective]] reaction " + q(o.reaction) + " is not a reaction of model " +
                                        q(p.model_id));
    Priority priority;
    priority.name = std::string(o.maximize ? "maximising " : "minimising ") + q(o.reaction);
    priority.objective.assign(lp.objective.size(), 0.0);
    priority.objective[r->second] = 1.0;
    priority.maximize = o.maximize;
    priority.row = lp.add_row(held_name + " held", held_coefficients, -kInf, kInf);
    held_coefficients.assign(1, {r->second, 1.0});
    held_name = "reaction " + q(o.reaction);
    priorities.push_back(std::move(priority));
  }
  std::vector<std::string> ids = outputs;
  const std::vector<Read> reads = resolve_outputs(p, d, media, ids, where);

  std::vector<std::string> columns{"time"};
  columns.insert(columns.end(), ids.begin(), ids.end());
  Result result(columns);

  detail::LpSession session(lp);
  const detail::FbaObjective& active = p.objectives[p.active];
  double x = d.initial_biomass;
  // Without a volume described the culture's is 1: the fed-batch formulas are then the batch's.
  double volume = d.volume.value_or(1.0);
  double t = times.start;
  std::vector<double> v;        // the fluxes of the last solve (empty once held infeasible)
  double objective_value = kNaN;
  bool held = false;
  long solves = 0, exhausted = 0;
  std::vector<double> row(columns.size());

  auto state = [&] {
    std::string text = d.biomass_id + " " + num(x) + (d.volume ? std::string(", volume ") + num(volume) : "");
    for (std::size_t i = 0; i < media.size(); ++i) text += ", " + media[i].species + " " + num(s[i]);
    return text;
  };
  // The FBA problem at the state now; false once the cells are held (infeasible, "hold").
  auto solve = [&]() -> bool {
    if (held) return false;
    if (options.stop) {
      if (const int signal = options.stop->load(std::memory_order_relaxed))
        throw Stopped(signal, where + ": stopped at time " + num(t));
    }
    for (const Medium& m : media) {
      const auto [lower, upper] = exchange_bounds(m, s[&m - media.data()]);
      session.set_column_bounds(m.column, lower, upper);
    }
    if (++solves > kMaxSolves)
      throw Error(ErrorKind::Solver, where + ": more than " + std::to_string(kMaxSolves) + " FBA problems by time " +
                                         num(t) + " (steps cut ever shorter at metabolites running out)");
    detail::LpSolution sol = session.solve();
    if (sol.status == detail::LpStatus::Optimal) {
      objective_value = sol.objective;
      // Each objective of the list with the ones before it held at their optimum.
      bool held_maximized = lp.maximize;
      for (const Priority& priority : priorities) {
        const double z = sol.objective, slack = d.objective_tolerance * std::fabs(z);
        session.set_row_bounds(priority.row, held_maximized ? z - slack : -kInf, held_maximized ? kInf : z + slack);
        sol = session.solve(priority.objective, priority.maximize);
        if (sol.status != detail::LpStatus::Optimal)
          throw Error(ErrorKind::Solver,
                      where + ": at time " + num(t) + " (" + state() + "), " + priority.name + " with the objectives " +
                          "before it held at their optimum, the problem is " +
                          (sol.status == detail::LpStatus::Infeasible
                               ? "infeasible (rounding of the optimum held? 'objective_tolerance' loosens it): "
                               : "unbounded: ") +
                          sol.detail);
        held_maximized = priority.maximize;
      }
      for (const Priority& priority : priorities) session.set_row_bounds(priority.row, -kInf, kInf);
      v = sol.x;
      return true;
    }
    const std::string what = where + ": at time " + num(t) + " (" + state() + ") the flux balance problem is " +
                             (sol.status == detail::LpStatus::Infeasible ? "infeasible" : "unbounded") + ": " + sol.detail;
    if (sol.status != detail::LpStatus::Infeasible || !d.hold_when_infeasible) throw Error(ErrorKind::Solver, what);
    spdlog::warn("{}; the cells stop there (infeasible = \"hold\"): they neither grow nor exchange from then on{}, "
                 "fluxes are NaN", what, d.feed_rate > 0 ? " (the feed still fills and dilutes the culture)" : "");
    held = true;
    v.clear();
    return false;
  };
  auto emit = [&] {
    row[0] = t;
    for (std::size_t c = 0; c < reads.size(); ++c) {
      const Read& r = reads[c];
      double value = kNaN;
      if (r.kind == Read::Biomass) value = x;
      else if (r.kind == Read::Volume) value = volume;
      else if (r.kind == Read::Concentration) value = s[r.index];
      else if (!v.empty() && r.kind == Read::Flux) value = v[r.index];
      // The model's objective at its optimum, unless later objectives moved the fluxes within a
      // tolerance of it: then at the fluxes reported, as every other objective.
      else if (!v.empty() && r.index == p.active && priorities.empty()) value = objective_value;
      else if (!v.empty()) {
        value = 0.0;
        for (const auto& [column, coefficient] : p.objectives[r.index].coefficients) value += coefficient * v[column];
      }
      row[c + 1] = value + 0.0;
    }
    result.append_row(row);
  };

  // From the time now to `next` (an output time) in steps, the problem solved at each step's start
  // (the caller solves it at the time now).
  auto advance_to = [&](double next) {
    const double f = d.feed_rate;
    while (t < next) {
      double h = std::min(d.step, next - t);
      if (held && f == 0) {
        t = next;
        break;
      }
      // Held cells neither grow nor exchange; a feed still fills and dilutes the culture, which
      // with nothing else changing is exact over any step.
      if (held) h = next - t;
      const double mu = held ? 0.0 : v[mu_column];
      auto gain = [&](std::size_t i) { return held ? 0.0 : media[i].rate * v[media[i].column]; };
      // Where a metabolite the cells take up would run out within the step, the step ends there.
      std::optional<std::size_t> runs_out;
      for (std::size_t i = 0; i < media.size(); ++i) {
        const double r = gain(i);  // the medium's gain per unit biomass
        if (!(r < 0) || !(s[i] > 0)) continue;
        double tau;
        if (f > 0 && d.exchanges[i].feed > 0) {
          const std::optional<double> found = fed_runs_out(s[i], volume, f * d.exchanges[i].feed, r, x, mu, h);
          if (!found) continue;
          tau = *found;
        } else {
          // Dilution alone does not change when the amount runs out: X V / X0 V0 = e^(mu t).
          const double q_need = s[i] / (-r * x);  // the integral of X V / (X0 V0) dt that spends it
          if (mu == 0) tau = q_need;
          else if (mu * q_need <= -1) continue;  // a shrinking biomass never spends it
          else tau = std::log1p(mu * q_need) / mu;
        }
        if (tau < h) {
          h = tau;
          runs_out = i;
        }
      }
      const double g = mu == 0 ? h : std::expm1(mu * h) / mu;  // the integral of e^(mu t) over the step
      const double volume_after = volume + f * h;
      for (std::size_t i = 0; i < media.size(); ++i) {
        // The amounts S V move exactly: S V = S0 V0 + F S_feed h + r X0 V0 g.
        const double amount = s[i] * volume + f * d.exchanges[i].feed * h + gain(i) * x * volume * g;
        // A concentration at 0 stays there when the solver's rounding leaves a trace of uptake.
        s[i] = std::max(0.0, amount / volume_after);
      }
      if (runs_out) {
        s[*runs_out] = 0.0;
        ++exhausted;
        spdlog::debug("{}: {} runs out at time {}", where, media[*runs_out].species, num(t + h));
      }
      x *= std::exp(mu * h) * (volume / volume_after);
      volume = volume_after;
      t = (next - (t + h) <= 1e-12 * std::max(1.0, std::fabs(next))) ? next : t + h;
      if (t < next) solve();
    }
  };

  if (first > times.start) {
    solve();
    advance_to(first);
  }
  const double span = times.end - first;
  for (int k = 0; k < times.points; ++k) {
    const double next = k + 1 == times.points ? times.end : first + span * (k + 1) / times.points;
    solve();
    emit();
    advance_to(next);
  }
  solve();
  emit();
  spdlog::info("{}: {} FBA problems from time {} to {}; {} metabolite(s) ran out on the way; final {}; objective {} "
               "({})",
               where, solves, num(times.start), num(times.end), exhausted, state(), q(active.id),
               held ? "held infeasible" : num(objective_value));
  return result;
}

}  // namespace

Result dynamic_fba(const std::string& path, const DfbaDescription& description, const DfbaTimes& times,
                   const std::vector<std::string>& outputs, const DfbaOptions& options) {
  detail::SbmlSource source;
  source.path = path;
  return run(source, description, times, outputs, options);
}

Result dynamic_fba_string(const std::string& sbml, const DfbaDescription& description, const DfbaTimes& times,
                          const std::vector<std::string>& outputs, const DfbaOptions& options) {
  detail::SbmlSource source;
  source.text = sbml;
  return run(source, description, times, outputs, options);
}

}  // namespace axisim
