// parameterEstimationTask (tasks/estimation.hpp): fits run, their tables and result plots written.
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "output/estimation_plot.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

bool Runner::execute_estimation(const Task& t, const std::set<Column>& need, Columns& out, const ModelStates* states) {
  std::vector<VariableRead> reads;
  std::vector<Column> cols(need.begin(), need.end());
  for (const Column& c : cols) reads.push_back({c.time, c.spec, c.rate, {}, {}});
  EstimationContext ctx{
      doc_, options_,
      [this, states](const std::string& id) -> std::pair<std::shared_ptr<const SbmlXml>, std::shared_ptr<const Model>> {
        const ResolvedModel* m = model(id);
        if (!m) return {nullptr, nullptr};
        if (states)
          if (const auto st = states->find(id); st != states->end() && m->model)
            return {m->xml, std::make_shared<const Model>(st->second.model)};
        return {m->xml, m->model};
      },
      [this](const std::string& id, const std::string& element) { return data_source(id, element); },
      [this](const std::string& g, const std::string& v) -> std::optional<VariableRead> {
        const auto it = variable_column_.find(g + "/" + v);
        if (it == variable_column_.end() || !it->second) return std::nullopt;
        VariableRead r{it->second->time, it->second->spec, it->second->rate, {}, {}};
        if (r.rate) {
          const RateRecipe& recipe = rates_.at(r.spec.id);
          if (recipe.rule || recipe.chain) {  // the fit's observables are sums of reaction rates
            problem(ErrorKind::Unsupported, "dataGenerator '" + g + "' variable '" + v + "'",
                    "the rate of change (KISAO:0000834) of a value a rule sets is not built in a fit's observables "
                    "(only a species' rate from its reactions)");
            return std::nullopt;
          }
          r.rate_terms = recipe.terms;
          r.rate_compartment = recipe.compartment;
        }
        return r;
      },
      [this](ErrorKind kind, const std::string& element, const std::string& message) { problem(kind, element, message); },
      [this](const std::string& text) { note(text); }};
  auto run = run_estimation(t, reads, ctx);
  if (!run) return false;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    Series& column = out[cols[i]];
    column.insert(column.end(), run->columns[i].begin(), run->columns[i].end());
  }
  // The outputs on the task give its fits inside repeated tasks when it has any (the task may
  // also run on its own, where data generators read it directly), else its one fit.
  std::vector<EstimationRun>& fits = estimations_[t.id];
  if (states && nested_fits_.insert(t.id).second) fits.clear();
  if (!states && nested_fits_.count(t.id)) return true;
  if (!states) fits.clear();
  fits.push_back(std::move(*run));
  write_estimation_table(t.id + ".fit", "", per_iteration(fits, estimation_summary), "parameterEstimationTask '" + t.id + "'");
  return true;
}

EstimationTable Runner::per_iteration(const std::vector<EstimationRun>& fits, EstimationTable (*table)(const EstimationRun&)) {
  if (fits.size() == 1) return table(fits.front());
  EstimationTable out;
  for (std::size_t i = 0; i < fits.size(); ++i)
    for (auto& [label, values] : table(fits[i])) out.emplace_back(label + " [iteration " + std::to_string(i) + "]", std::move(values));
  return out;
}

bool Runner::write_estimation_table(const std::string& id, const std::string& name, const EstimationTable& table,
                            const std::string& element) {
  std::ostringstream text;
  for (const auto& [label, values] : table) {
    text << csv_field(label);
    for (double v : values) text << ',' << format_number(v);
    text << '\n';
  }
  const fs::path file = fs::path(options_.output_dir) / location_ / (id + ".csv");
  try {
    write_file(file, text.str());
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
    return false;
  }
  if (options_.write_h5) {
    H5Report h5;
    h5.location = location_;
    h5.id = id;
    h5.name = name;
    for (const auto& [label, values] : table) {
      h5.ids.push_back(label);
      h5.labels.push_back(label);
      h5.names.push_back("");
      h5.data.push_back(NdArray{{values.size()}, values});
    }
    write_h5(h5, element);
  }
  return true;
}

void Runner::write_estimation_output(const Output& o, OutputSummary& summary) {
  const std::string element = o.type + " '" + o.id + "'";
  const Task* t = find_task(o.task_ref);
  if (!t || !t->estimation) {
    problem(ErrorKind::UnknownId, element, "taskRef '" + o.task_ref + "' names no parameterEstimationTask");
    return;
  }
  const auto it = estimations_.find(t->id);
  if (it == estimations_.end()) {
    problem(dependent_kind(), element, "not written: parameterEstimationTask '" + t->id + "' did not run");
    return;
  }
  const bool report = o.type == "parameterEstimationReport";
  const EstimationTable table = per_iteration(it->second, report ? estimation_report : estimation_plot);
  if (!write_estimation_table(o.id, o.name, table, element)) return;
  summary.file = (fs::path(options_.output_dir) / location_ / (o.id + ".csv")).string();
  summary.data_sets = table.size();
  summary.points = report ? it->second.size() : it->second.back().fit.points * it->second.size();
  if (report) {
    set_plot_status(LogStatus::Succeeded);
    return;
  }
  // Inside a repeated task: every iteration's curves in one plot, named by their iteration.
  EstimationRun drawn = it->second.back();
  if (it->second.size() > 1) {
    drawn.fit.curves.clear();
    for (std::size_t i = 0; i < it->second.size(); ++i)
      for (FitCurve c : it->second[i].fit.curves) {
        c.experiment += " [iteration " + std::to_string(i) + "]";
        drawn.fit.curves.push_back(std::move(c));
      }
  }
  draw_estimation_output(o, drawn, element, summary);
}

void Runner::draw_estimation_output(const Output& o, const EstimationRun& run, const std::string& element, OutputSummary& summary) {
  if (!options_.draw_plots) {
    set_plot_status(LogStatus::Skipped, "not drawn (--no-plots); its data is written");
    return;
  }
  const std::string base = (fs::path(options_.output_dir) / location_ / o.id).string();
  if (const auto pdf = run_drawing(element, [&] { return draw_estimation_plot(o, run, base); })) {
    summary.file = *pdf;
    set_plot_status(LogStatus::Succeeded);
  }
}

}  // namespace axisim::sedml::execution
