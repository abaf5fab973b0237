// analysis_binding.cpp — the analyses beyond a time course: flux balance (axisim/fba.hpp),
// steady states and continuation (axisim/steady_state.hpp), forward sensitivities
// (axisim/sensitivities.hpp) and exact stochastic simulation (axisim/stochastic.hpp). Each runs
// with the GIL released, on a copy of the model taken while it is held.
#include <optional>

#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "axisim/error.hpp"
#include "axisim/run_state.hpp"
#include "axisim/dynamic_fba.hpp"
#include "axisim/fba.hpp"
#include "axisim/sensitivities.hpp"
#include "axisim/steady_state.hpp"
#include "axisim/stochastic.hpp"
#include "axisim/stochastic_method.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

SteadyStateOptions steady_options(const std::string& method, double rtol, double atol, int max_iterations,
                                  double time, bool allow_negative) {
  SteadyStateOptions o;
  const auto m = steady_state_method_from_name(method);
  if (!m) throw Error(ErrorKind::Usage, "unknown method '" + method + "' (auto, newton, pseudo-transient, integration)");
  o.method = *m;
  o.rtol = rtol;
  o.atol = atol;
  o.max_iterations = max_iterations;
  o.time = time;
  o.allow_negative = allow_negative;
  return o;
}

py::array_t<double> copy_array(const std::vector<double>& v, std::vector<py::ssize_t> shape) {
  py::array_t<double> a(shape);
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// Model.ssa(stats=True)'s report: the runtime's statistics and the method that made them.
struct StochasticReport {
  std::string method;
  StochasticStats stats;
};

}  // namespace

void bind_analyses(py::module_& m) {
  py::class_<FbaResult>(m, "FbaResult", "A flux balance optimum (axisim/fba.hpp).")
      .def_readonly("ids", &FbaResult::ids)
      .def_readonly("values", &FbaResult::values)
      .def_readonly("objective", &FbaResult::objective)
      .def_readonly("objective_id", &FbaResult::objective_id)
      .def_readonly("maximize", &FbaResult::maximize)
      .def_readonly("feasible", &FbaResult::feasible)
      .def_readonly("infeasibility", &FbaResult::infeasibility)
      .def_readonly("total_flux", &FbaResult::total_flux)
      .def_property_readonly(
          "reduced_costs",
          [](const FbaResult& r) {
            py::dict d;
            for (std::size_t i = 0; i < r.reaction_ids.size(); ++i) d[py::str(r.reaction_ids[i])] = r.reduced_costs[i];
            return d;
          },
          "Plain FBA and pfba ({} after fewest_active or geometric): each reaction's reduced cost, the rate of "
          "change of the optimum (pfba: of the least total absolute flux) with the bound its flux sits at (0 between "
          "its bounds)")
      .def_property_readonly(
          "shadow_prices",
          [](const FbaResult& r) {
            py::dict d;
            for (std::size_t i = 0; i < r.species_ids.size(); ++i) d[py::str(r.species_ids[i])] = r.shadow_prices[i];
            return d;
          },
          "Plain FBA and pfba ({} after fewest_active or geometric): each species' shadow price, the rate of "
          "change of the optimum (pfba: of the least total absolute flux) with a required net production of it (0 for "
          "a boundary species)")
      .def("__getitem__", [](const FbaResult& r, const std::string& id) {
        for (std::size_t i = 0; i < r.ids.size(); ++i)
          if (r.ids[i] == id) return r.values[i];
        throw Error(ErrorKind::UnknownId, "the flux balance result has no '" + id + "'");
      })
      .def("to_dict", [](const FbaResult& r) {
        py::dict d;
        for (std::size_t i = 0; i < r.ids.size(); ++i) d[py::str(r.ids[i])] = r.values[i];
        return d;
      });
  m.def(
      "fba",
      [](const py::object& source_object, const std::vector<std::string>& outputs, bool validate,
         bool infeasible_as_nan, bool pfba, double fraction_of_optimum, bool fewest_active, bool geometric) {
        const auto source = py::module_::import("os").attr("fspath")(source_object).cast<std::string>();
        FbaOptions o;
        o.validate = validate;
        o.infeasible_as_nan = infeasible_as_nan;
        if (int(pfba) + int(fewest_active) + int(geometric) > 1)
          throw Error(ErrorKind::InvalidSbml, "pfba, fewest_active and geometric are three methods: give one");
        o.method = pfba            ? FbaMethod::Parsimonious
                   : fewest_active ? FbaMethod::FewestActive
                   : geometric     ? FbaMethod::Geometric
                                   : FbaMethod::Optimum;
        o.fraction_of_optimum = fraction_of_optimum;
        const auto first = source.find_first_not_of(" \t\r\n");
        const bool text = first != std::string::npos && source[first] == '<';
        WithoutGil release;
        return text ? solve_fba_string(source, outputs, o) : solve_fba(source, outputs, o);
      },
      py::arg("source"), py::arg("outputs") = std::vector<std::string>{}, py::kw_only(), py::arg("validate") = true,
      py::arg("infeasible_as_nan") = false, py::arg("pfba") = false, py::arg("fraction_of_optimum") = 1.0,
      py::arg("fewest_active") = false, py::arg("geometric") = false,
      "Flux balance analysis of an fbc model (a path or SBML text): the active objective optimised over S v = 0 "
      "and the flux bounds. outputs: reaction ids (fluxes) and objective ids; default every reaction, then the "
      "active objective. pfba: the optimal fluxes of least total absolute flux (total_flux), the objective held at "
      "fraction_of_optimum of its optimum; fewest_active: the optimal fluxes with the fewest non-zero ones (a "
      "mixed-integer program, finite bounds needed); geometric: the unique optimal fluxes at the centre of the optimal "
      "space (geometric FBA, KISAO:0000527). SolverError for an infeasible or unbounded problem (unless "
      "infeasible_as_nan).");

  m.def(
      "dynamic_fba",
      [](const py::object& source_object, const py::object& description_object, double until, double start, int points,
         const std::vector<std::string>& outputs, const std::optional<double>& step, bool validate) {
        const auto source = py::module_::import("os").attr("fspath")(source_object).cast<std::string>();
        const auto description = py::module_::import("os").attr("fspath")(description_object).cast<std::string>();
        // TOML text has a line break or an '='; a path has neither (a file name with '=' is read as text).
        DfbaDescription d = description.find_first_of("\n=") != std::string::npos
                                ? parse_dfba_description(description, "<description>")
                                : read_dfba_description(description);
        if (step) {
          if (!(*step > 0)) throw Error(ErrorKind::Usage, "step must be above 0");
          d.step = *step;
        }
        DfbaOptions o;
        o.validate = validate;
        const auto first = source.find_first_not_of(" \t\r\n");
        const bool text = first != std::string::npos && source[first] == '<';
        WithoutGil release;
        return text ? dynamic_fba_string(source, d, {start, until, points}, outputs, o)
                    : dynamic_fba(source, d, {start, until, points}, outputs, o);
      },
      py::arg("source"), py::arg("description"), py::arg("until"), py::kw_only(), py::arg("start") = 0.0,
      py::arg("points") = 100, py::arg("outputs") = std::vector<std::string>{}, py::arg("step") = py::none(),
      py::arg("validate") = true,
      "Dynamic FBA (KISAO:0000499) of an fbc model (a path or SBML text) in the batch or fed-batch culture of a "
      "description (a TOML file's path, or TOML text; docs/fba.md): FBA at each step with uptake bounds from the "
      "medium (Michaelis-Menten), then the description's lexicographic [[objective]] list, each with the ones before "
      "held; biomass, volume and concentrations carried over the step with the fluxes held. A Result with "
      "'time' first and points + 1 rows; outputs: the biomass id, 'volume' (if described), medium metabolites, "
      "reaction ids (fluxes), objective ids; default the biomass, the volume, each metabolite, the biomass flux and "
      "each exchange flux (axisim fba --dynamic). "
      "step overrides the description's. SolverError naming the time for an infeasible problem unless the "
      "description says infeasible = \"hold\".");

  py::class_<FvaResult>(m, "FvaResult", "Flux variability ranges (axisim/fba.hpp).")
      .def_readonly("ids", &FvaResult::ids)
      .def_readonly("minimum", &FvaResult::minimum)
      .def_readonly("maximum", &FvaResult::maximum)
      .def_readonly("objective", &FvaResult::objective)
      .def_readonly("objective_bound", &FvaResult::objective_bound)
      .def_readonly("total_flux_bound", &FvaResult::total_flux_bound)
      .def_readonly("objective_id", &FvaResult::objective_id)
      .def_readonly("maximize", &FvaResult::maximize)
      .def_readonly("feasible", &FvaResult::feasible)
      .def_readonly("infeasibility", &FvaResult::infeasibility)
      .def("__getitem__", [](const FvaResult& r, const std::string& id) {
        for (std::size_t i = 0; i < r.ids.size(); ++i)
          if (r.ids[i] == id) return py::make_tuple(r.minimum[i], r.maximum[i]);
        throw py::key_error(id);
      })
      .def("to_dict", [](const FvaResult& r) {
        py::dict d;
        for (std::size_t i = 0; i < r.ids.size(); ++i) d[py::str(r.ids[i])] = py::make_tuple(r.minimum[i], r.maximum[i]);
        return d;
      });
  m.def(
      "flux_variability",
      [](const py::object& source_object, const std::vector<std::string>& reactions, bool validate,
         bool infeasible_as_nan, double fraction_of_optimum, const std::optional<double>& pfba_factor,
         const py::object& loopless) {
        const auto source = py::module_::import("os").attr("fspath")(source_object).cast<std::string>();
        FbaOptions o;
        o.validate = validate;
        o.infeasible_as_nan = infeasible_as_nan;
        o.fraction_of_optimum = fraction_of_optimum;
        if (pfba_factor) {  // None: no limit (FbaOptions' 0, which is not a factor here)
          if (!(*pfba_factor >= 1.0)) throw Error(ErrorKind::InvalidSbml, "pfba_factor must be 1 or more");
          o.pfba_factor = *pfba_factor;
        }
        // False / True (the heuristic, as before) / "heuristic" / "exact".
        if (py::isinstance<py::bool_>(loopless)) {
          o.loopless = loopless.cast<bool>();
        } else if (py::isinstance<py::str>(loopless)) {
          const auto method = loopless.cast<std::string>();
          if (method != "heuristic" && method != "exact")
            throw Error(ErrorKind::InvalidSbml, "loopless='" + method + "': give False, True or 'heuristic' (COBRApy's "
                                                "CycleFreeFlux heuristic), or 'exact' (the mixed-integer program)");
          o.loopless = true;
          o.loopless_method = method == "exact" ? LooplessMethod::MixedInteger : LooplessMethod::CycleFree;
        } else {
          throw Error(ErrorKind::InvalidSbml, "loopless must be a bool or 'heuristic' or 'exact'");
        }
        const auto first = source.find_first_not_of(" \t\r\n");
        const bool text = first != std::string::npos && source[first] == '<';
        WithoutGil release;
        return text ? flux_variability_string(source, reactions, o) : flux_variability(source, reactions, o);
      },
      py::arg("source"), py::arg("reactions") = std::vector<std::string>{}, py::kw_only(), py::arg("validate") = true,
      py::arg("infeasible_as_nan") = false, py::arg("fraction_of_optimum") = 1.0, py::arg("pfba_factor") = py::none(),
      py::arg("loopless") = false,
      "Flux variability analysis of an fbc model (a path or SBML text): each reaction's least and greatest flux "
      "with the active objective held at fraction_of_optimum of its optimum (axisim fba --fva). reactions: default "
      "every reaction. pfba_factor (1 or more, as COBRApy's): also hold the total absolute flux at most that "
      "factor times its least (total_flux_bound). loopless: True or 'heuristic', ranges moved off thermodynamically "
      "infeasible cycles as COBRApy's loopless=True does (axisim fba --fva --loopless); 'exact', Schellenberger et "
      "al. 2011's mixed-integer program (ll-FVA, axisim fba --fva --loopless=exact; objective is then the loopless "
      "optimum). r[id] is (minimum, maximum).");

  py::class_<SteadyState>(m, "SteadyState", "A steady state (axisim/steady_state.hpp).")
      .def_readonly("ids", &SteadyState::ids)
      .def_readonly("values", &SteadyState::values)
      .def_readonly("method", &SteadyState::method)
      .def_readonly("iterations", &SteadyState::iterations)
      .def_readonly("residual", &SteadyState::residual)
      .def_readonly("time_integrated", &SteadyState::time_integrated)
      .def_readonly("eigenvalues", &SteadyState::eigenvalues)
      .def_property_readonly("stability", [](const SteadyState& s) { return stability_name(s.stability); })
      .def_readonly("determinant_sign", &SteadyState::determinant_sign)
      .def_readonly("max_real_eigenvalue", &SteadyState::max_real_eigenvalue)
      .def_readonly("reduced_states", &SteadyState::reduced_states)
      .def_readonly("conservation_laws", &SteadyState::conservation_laws)
      .def_readonly("warnings", &SteadyState::warnings)
      .def("__getitem__", [](const SteadyState& s, const std::string& id) {
        for (std::size_t i = 0; i < s.ids.size(); ++i)
          if (s.ids[i] == id) return s.values[i];
        throw Error(ErrorKind::UnknownId, "the steady state has no output '" + id + "'");
      })
      .def("to_dict", [](const SteadyState& s) {
        py::dict d;
        for (std::size_t i = 0; i < s.ids.size(); ++i) d[py::str(s.ids[i])] = s.values[i];
        return d;
      });
  py::class_<Fold>(m, "Fold")
      .def_readonly("parameter", &Fold::parameter)
      .def_readonly("lower", &Fold::lower)
      .def_readonly("upper", &Fold::upper)
      .def_readonly("kind", &Fold::kind);
  py::class_<SteadyStateScan>(m, "SteadyStateScan", "Steady states along a parameter (continuation).")
      .def_readonly("parameter", &SteadyStateScan::parameter)
      .def_readonly("parameter_values", &SteadyStateScan::parameter_values)
      .def_readonly("states", &SteadyStateScan::states)
      .def_readonly("notes", &SteadyStateScan::notes)
      .def_readonly("folds", &SteadyStateScan::folds);

  m.def(
      "_steady_state",
      [](const PyModel& p, const py::object& selections, const std::string& method, double rtol, double atol,
         int max_iterations, double time, bool allow_negative) {
        const auto o = steady_options(method, rtol, atol, max_iterations, time, allow_negative);
        const auto outputs = output_specs(selections, {}, {}, p.model);
        const Model model = p.model;
        WithoutGil release;
        return steady_state(model, o, outputs);
      },
      py::arg("model"), py::arg("selections"), py::arg("method"), py::arg("rtol"), py::arg("atol"),
      py::arg("max_iterations"), py::arg("time"), py::arg("allow_negative"));
  m.def(
      "_scan_steady_state",
      [](const PyModel& p, const std::string& parameter, double lo, double hi, int points,
         const py::object& selections, const std::string& method, double rtol, double atol, int max_iterations,
         double time, bool allow_negative) {
        const auto o = steady_options(method, rtol, atol, max_iterations, time, allow_negative);
        const auto outputs = output_specs(selections, {}, {}, p.model);
        const Model model = p.model;
        WithoutGil release;
        return scan_steady_state(model, parameter, lo, hi, points, o, outputs);
      });

  py::class_<TimeCourseSensitivities>(m, "Sensitivities",
                                      "Forward sensitivities of a time course (axisim/sensitivities.hpp).")
      .def_property_readonly("time", [](const TimeCourseSensitivities& s) {
             return copy_array(s.times, {static_cast<py::ssize_t>(s.times.size())});
           })
      .def_readonly("outputs", &TimeCourseSensitivities::outputs)
      .def_readonly("parameters", &TimeCourseSensitivities::parameters)
      .def_readonly("parameter_values", &TimeCourseSensitivities::parameter_values)
      .def_property_readonly("values", [](const TimeCourseSensitivities& s) {
             return copy_array(s.values, {static_cast<py::ssize_t>(s.times.size()), static_cast<py::ssize_t>(s.outputs.size())});
           }, "times x outputs")
      .def_property_readonly("sensitivities", [](const TimeCourseSensitivities& s) {
             return copy_array(s.sensitivities, {static_cast<py::ssize_t>(s.times.size()),
                                                 static_cast<py::ssize_t>(s.outputs.size()),
                                                 static_cast<py::ssize_t>(s.parameters.size())});
           }, "times x outputs x parameters: d output / d parameter")
      .def("scaled", [](const TimeCourseSensitivities& s) {
             std::vector<double> v(s.sensitivities.size());
             std::size_t k = 0;
             for (std::size_t t = 0; t < s.times.size(); ++t)
               for (std::size_t i = 0; i < s.outputs.size(); ++i)
                 for (std::size_t j = 0; j < s.parameters.size(); ++j) v[k++] = s.scaled(t, i, j);
             return copy_array(v, {static_cast<py::ssize_t>(s.times.size()), static_cast<py::ssize_t>(s.outputs.size()),
                                   static_cast<py::ssize_t>(s.parameters.size())});
           }, "(p / y) dy/dp, NaN where the output is 0")
      .def("csv", [](const TimeCourseSensitivities& s, bool scaled) { return sensitivities_csv(s, scaled); },
           py::arg("scaled") = false, "The long CSV `axisim sensitivities` writes.")
      .def_readonly("stats", &TimeCourseSensitivities::stats);
  m.def(
      "_sensitivities",
      [](const PyModel& p, const std::vector<std::string>& wrt, double start, double end, int steps,
         const py::object& selections, double atol, double rtol) {
        SimulationOptions o;
        o.start = start;
        o.end = end;
        o.steps = steps;
        o.atol = atol;
        o.rtol = rtol;
        const auto outputs = output_specs(selections, {}, {}, p.model);
        const Model model = p.model;
        WithoutGil release;
        return time_course_sensitivities(model, wrt, o, outputs);
      });

  // What a stochastic run did, as `axisim simulate --stats` reports it (Model.ssa(stats=True)).
  py::class_<StochasticReport>(m, "StochasticStats", "What a stochastic run did (axisim/stochastic.hpp).")
      .def_readonly("method", &StochasticReport::method, "The method, as `axisim simulate --stats` names it")
      .def_property_readonly("selection", [](const StochasticReport& r) { return r.stats.selection; },
                             "How the next reaction is chosen: 'linear search' or 'sum tree'")
      .def_property_readonly("backend", [](const StochasticReport& r) { return r.stats.backend; },
                             "The propensity programs: 'interpreter' or 'native'")
      .def_property_readonly("replicates", [](const StochasticReport& r) { return r.stats.replicates; })
      .def_property_readonly("firings", [](const StochasticReport& r) { return r.stats.firings; }, "Reaction events")
      .def_property_readonly("events", [](const StochasticReport& r) { return r.stats.events; }, "SBML event executions")
      .def_property_readonly("leaps", [](const StochasticReport& r) { return r.stats.leaps; }, "Tau-leaping: leaps taken")
      .def_property_readonly("implicit_leaps", [](const StochasticReport& r) { return r.stats.implicit_leaps; },
                             "Of the leaps, implicit ones")
      .def_property_readonly("seconds", [](const StochasticReport& r) { return r.stats.seconds; }, "Wall time");
  m.def(
      "_ssa",
      [](const PyModel& p, double start, double end, int steps, const py::object& selections, unsigned long long seed,
         std::uint64_t replicates, bool all, int threads, const std::string& backend,
         const std::vector<RunState>& from_states, bool end_state, const std::string& method,
         std::optional<double> tau_epsilon, std::optional<double> tau_delta, std::optional<double> switch_tol,
         std::optional<double> switch_min, bool with_stats) -> py::object {
        StochasticOptions o;
        // The method and its options as `axisim simulate --method` takes them, refused alike
        // (axisim/stochastic_method.hpp); their values are checked by the simulator.
        const auto m = stochastic_method_from_name(method);
        if (!m)
          throw Error(ErrorKind::Usage, "unknown method '" + method +
                                            "' (exact, tau-leap, implicit-tau-leap, adaptive-tau-leap, hybrid)");
        check_stochastic_option_use(*m,
                                    {.tau_epsilon = tau_epsilon.has_value(), .tau_delta = tau_delta.has_value(),
                                     .switch_tol = switch_tol.has_value(), .switch_min = switch_min.has_value()},
                                    OptionSpelling::Python);
        o.method = *m;
        if (tau_epsilon) o.tau_epsilon = *tau_epsilon;
        if (tau_delta) o.tau_delta = *tau_delta;
        if (switch_tol) o.switch_tol = *switch_tol;
        if (switch_min) o.switch_min = *switch_min;
        o.start = start;
        o.end = end;
        o.steps = steps;
        o.seed = seed;
        o.threads = threads;
        // Replicate i goes on from from_states[i mod n] (copied in by the conversion, while the GIL
        // was held: the states Python holds may change meanwhile).
        if (!from_states.empty()) o.from = &from_states;
        const auto outputs = output_specs(selections, {}, {}, p.model);
        const Model model = p.model;
        const Backend b = backend_from_name(backend);
        RunState end_at;
        std::vector<RunState> ends;
        Result r;
        StochasticReport report;
        report.method = stochastic_method_description(o.method);
        StochasticStats* const st = with_stats ? &report.stats : nullptr;
        {
          WithoutGil release;
          const StochasticSimulator ssa(model, outputs, b);
          // As `axisim simulate --method ssa` (or tau-leap, ...): one trajectory; with replicates the mean and sd table;
          // with all every trajectory. With end_state, where each replicate ended.
          if (replicates == 0) r = ssa.trajectory(o, 0, st, end_state ? &end_at : nullptr);
          else if (all) r = ssa.trajectories(o, 0, replicates, st, end_state ? &ends : nullptr);
          else r = ssa.statistics(o, 0, replicates, st, end_state ? &ends : nullptr).table();
        }
        // result, then the end state(s) with end_state, then the statistics with stats.
        py::list out;
        out.append(std::move(r));
        if (end_state && replicates == 0) out.append(std::move(end_at));
        else if (end_state) out.append(std::move(ends));
        if (with_stats) out.append(std::move(report));
        if (out.size() == 1) return out[0];
        return py::tuple(out);
      });
}

}  // namespace axisim::python
