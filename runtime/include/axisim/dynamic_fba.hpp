// axisim/dynamic_fba.hpp — dynamic flux balance analysis (dFBA, KISAO:0000499) of an fbc model
// in a batch culture, by the static optimisation approach (Mahadevan, Edwards & Doyle 2002).
//
//   axisim::DfbaDescription d = axisim::read_dfba_description("glucose.dfba.toml");
//   axisim::Result r = axisim::dynamic_fba("e_coli_core.xml", d, {0, 10, 100});
//   // r's columns: "time", the biomass, each medium metabolite's concentration, the biomass
//   // reaction's flux and each exchange reaction's flux; one row per output time.
//
// At each step the model's FBA problem is solved with the uptake bound of every exchange reaction
// set from the medium's concentration now (Michaelis-Menten: vmax S / (Km + S)); the growth rate
// mu (the biomass reaction's flux) and the exchange fluxes v are then held over the step while
// biomass X and the concentrations S move exactly as those fluxes make them:
//   dX/dt = mu X,   dS_i/dt = r_i X   (r_i the medium's gain per unit biomass from exchange i),
//   X(t + h) = X e^(mu h),   S_i(t + h) = S_i + r_i X (e^(mu h) - 1) / mu.
// A step ends early where a concentration reaches 0, so none goes negative (nothing is clamped).
// Fed-batch (a volume and a feed rate F): the culture's volume V grows as dV/dt = F, the feed
// dilutes it (D = F/V) and brings S_feed,i; over a step
//   X V = X0 V0 e^(mu h),   S_i V = S_i0 V0 + F S_feed,i h + r_i X0 V0 (e^(mu h) - 1) / mu.
// Lexicographic objectives (DFBAlab's): after the model's objective, each objective of the
// description's list is optimised with those before it held at their optimum, so the exchange
// fluxes are those of a unique (or at least specified) optimum, not of whichever vertex GLPK finds.
// fbc describes none of this (no uptake kinetics, no medium, no biomass concentration): the
// description (DfbaDescription) comes with the model. See docs/fba.md, "Dynamic FBA".
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "axisim/result.hpp"

namespace axisim {

// One exchange reaction between the cells and the medium.
struct DfbaExchange {
  std::string reaction;    // the exchange reaction's id
  // The species whose concentration in the medium is followed, and the column it is reported
  // in. Empty: the reaction's only species. A species the reaction consumes that is not a
  // boundary species (COBRA's "S_e ->") is taken from the medium when the flux is negative; a
  // boundary species (the medium itself, "S_medium -> S_e") is taken when the flux moves it.
  std::string metabolite;
  double initial = 0;                // concentration at the start (>= 0)
  // Uptake kinetics: the uptake rate (the medium's loss per unit biomass) is at most
  // vmax S / (km + S); km = 0 means vmax while S > 0. Without vmax, the model's own bound in the
  // uptake direction stays (a product such as acetate, taken up again once it is there). Either
  // way nothing is taken up once S = 0.
  std::optional<double> vmax;
  double km = 0;
  double feed = 0;  // the metabolite's concentration in the feed (fed-batch; >= 0)
};

// One objective of the lexicographic list: a reaction's flux, maximised or minimised.
struct DfbaObjective {
  std::string reaction;
  bool maximize = true;
};

struct DfbaDescription {
  std::string biomass_reaction;       // its flux is the growth rate mu
  std::string biomass_id = "biomass";  // the column (and SED-ML species id) of the biomass X
  double initial_biomass = 0;          // X at the start (> 0)
  std::vector<DfbaExchange> exchanges;
  // The longest step over which the fluxes are held (time units of the model, usually hours).
  double step = 0.01;
  // An infeasible FBA problem at some time: false, the default, throws Error(Solver) naming the
  // time and the concentrations; true, the cells stop (no flux): biomass and concentrations keep
  // their values to the end, fluxes are NaN from then on, and a warning names the time.
  bool hold_when_infeasible = false;
  // Lexicographic optimisation: after the model's own (active) objective, these in order, each
  // optimised with every one before it held at its optimum value z: at least z - tol |z| when it
  // was maximised, at most z + tol |z| when minimised (tol = objective_tolerance, relative).
  std::vector<DfbaObjective> objectives;
  double objective_tolerance = 0;
  // Fed-batch: the culture's volume at the start (> 0) and the constant feed rate (volume per
  // time, >= 0) bringing each exchange's `feed` concentration. Without `volume` the culture is a
  // batch of no stated volume; with it the volume is also reported (column "volume").
  std::optional<double> volume;
  double feed_rate = 0;
  std::string label;  // the description's file, for messages
};

// Reads a description from TOML (docs/fba.md): keys biomass_reaction, initial_biomass, and
// optionally biomass_id, step, infeasible ("stop" or "hold"), objective_tolerance, volume,
// feed_rate; one [[exchange]] table per exchange reaction with reaction, initial, and optionally
// metabolite, vmax, km, feed; [[objective]] tables (reaction, sense "max" or "min"). Throws Error(Io) for an
// unreadable file, Error(Usage) "FILE:LINE: what" for anything else wrong in it.
DfbaDescription read_dfba_description(const std::string& path);
// The same from text; `label` names it in messages.
DfbaDescription parse_dfba_description(const std::string& text, const std::string& label);

struct DfbaTimes {
  double start = 0;  // where the culture starts (the description's initial values)
  double end = 0;
  int points = 100;  // output intervals: points + 1 rows, output_start and end included
  // The first output time, from start to end (SED-ML's outputStartTime); NaN: start.
  double output_start = std::numeric_limits<double>::quiet_NaN();
};

struct DfbaOptions {
  bool validate = true;  // libSBML's consistency checks on the model (FbaOptions::validate)
  // A stop request (axisim/error.hpp), checked before every FBA solve: when it is set the run
  // throws axisim::Stopped naming the time reached.
  const StopFlag* stop = nullptr;
};

// Runs the description's batch culture on the model from times.start to times.end and reports
// `outputs` at each of the times.points + 1 output times (output_start to end, evenly spaced): the biomass id, a medium metabolite's
// id (its concentration), "volume" (with a volume described), a reaction id (its flux at that
// time) or an objective id (its value). Empty `outputs`: the biomass, the volume (if described),
// each metabolite, the biomass reaction's flux, each exchange flux.
// Fluxes at a time are those of the FBA problem solved there (NaN once held infeasible).
// Throws Error: what solve_fba throws reading the model; Usage for a description that does not fit
// the model (an unknown reaction, a reaction with no single medium species, named); UnknownId for
// an output that is none of those; Solver for an infeasible or unbounded problem (naming the time)
// unless hold_when_infeasible (infeasible only).
Result dynamic_fba(const std::string& path, const DfbaDescription& description, const DfbaTimes& times,
                   const std::vector<std::string>& outputs = {}, const DfbaOptions& options = {});
Result dynamic_fba_string(const std::string& sbml, const DfbaDescription& description, const DfbaTimes& times,
                          const std::vector<std::string>& outputs = {}, const DfbaOptions& options = {});

}  // namespace axisim
