// Outputs: reports as CSV and reports.h5, plots and figures drawn (output/plot.hpp).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "axisim/csv.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

void Runner::write_output(const Output& o) {
  const std::string element = o.type + " '" + o.id + "'";
  OutputSummary summary{o.id, o.type, "", 0, 0};
  std::vector<std::string> missing;
  std::set<std::string> warned;
  auto check = [&](const std::string& ref) -> const Series* {
    const Series* s = generated(ref);
    if (!s) {
      missing.push_back(ref);
    } else if (warned.insert(ref).second) {
      const auto nan = std::count_if(s->begin(), s->end(), [](double v) { return std::isnan(v); });
      if (nan > 0) {
        const std::string text = element + ": dataGenerator '" + ref + "' has " + std::to_string(nan) + " NaN value(s)";
        spdlog::warn("{}", text);
        report_.notes.push_back(text);
      }
    }
    return s;
  };
  if (o.type == "report") {
    std::vector<const Series*> rows;
    for (const DataSet& ds : o.data_sets) rows.push_back(check(ds.data_ref));
    if (!missing.empty()) {
      problem(dependent_kind(), element, "not written: no data for dataGenerator(s) " + join(missing));
      report_.outputs.push_back(summary);
      return;
    }
    std::size_t width = 0;
    for (const Series* s : rows) width = std::max(width, s->size());
    for (const DataSet& ds : o.data_sets)
      if (const auto sh = generated_shape_.find(ds.data_ref); sh != generated_shape_.end()) {
        const auto mx = generated_matrix_.find(ds.data_ref);
        note(element + ": data set '" + ds.id + "' is " + shape_words(sh->second) + " values of " +
             (mx == generated_matrix_.end() ? std::string("a data source") : "the " + mx->second) +
             "; the CSV holds them row by row (the last dimension fastest), reports.h5 in their shape (CSV has no "
             "layout for them: BioSimulators writes no CSV for such a report)");
      }
    const fs::path file = fs::path(options_.output_dir) / location_ / (o.id + ".csv");
    std::ostringstream text;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const DataSet& ds = o.data_sets[i];
      text << csv_field(ds.label.empty() ? ds.id : ds.label);
      // Shorter data sets are padded with NaN, as BioSimulators pads its reports.
      for (std::size_t j = 0; j < width; ++j)
        text << ',' << format_number(j < rows[i]->size() ? (*rows[i])[j] : std::numeric_limits<double>::quiet_NaN());
      text << '\n';
    }
    try {
      write_file(file, text.str());
      summary.file = file.string();
      summary.data_sets = rows.size();
      summary.points = width;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    if (options_.write_h5) {
      H5Report h5;
      h5.location = location_;
      h5.id = o.id;
      h5.name = o.name;
      for (const DataSet& ds : o.data_sets) {
        h5.ids.push_back(ds.id);
        h5.labels.push_back(ds.label.empty() ? ds.id : ds.label);
        h5.names.push_back(ds.name);
        h5.data.push_back(shaped_values(ds.data_ref));
      }
      write_h5(h5, element);
    }
  } else if (o.type == "plot2D" || o.type == "plot3D") {
    std::size_t width = 0;
    for (const std::string& ref : o.data_refs)
      if (const Series* s = check(ref)) width = std::max(width, s->size());
    if (!missing.empty()) {
      problem(dependent_kind(), element, "no data for dataGenerator(s) " + join(missing));
    } else {
      summary.data_sets = o.data_refs.size();
      summary.points = width;
      if (options_.write_h5) {
        // As BioSimulators keeps a plot's data: its data generators, by id, as a dataset
        // of type SedPlot2D / SedPlot3D beside the reports.
        H5Report h5;
        h5.location = location_;
        h5.id = o.id;
        h5.name = o.name;
        h5.type = o.type == "plot2D" ? "SedPlot2D" : "SedPlot3D";
        for (const std::string& ref : std::set<std::string>(o.data_refs.begin(), o.data_refs.end())) {
          h5.ids.push_back(ref);
          h5.labels.push_back(ref);
          std::string name;
          for (const DataGenerator& g : doc_.generators)
            if (g.id == ref) name = g.name;
          h5.names.push_back(name);
          h5.data.push_back(shaped_values(ref));
        }
        write_h5(h5, element);
      }
      if (options_.draw_plots) {
        summary.file = draw(o, element);
        if (!summary.file.empty()) set_plot_status(LogStatus::Succeeded);  // a failure is a problem
      } else {
        set_plot_status(LogStatus::Skipped, "not drawn (--no-plots); its data generators were computed");
      }
    }
  } else if (o.type == "parameterEstimationReport" || o.type == "parameterEstimationResultPlot") {
    write_estimation_output(o, summary);
  } else if (o.type == "figure") {
    // A Version 4 layout of plots: drawn as one multiplot (its plots are also drawn each alone).
    if (options_.draw_plots) {
      summary.file = draw_figure_output(o, element, summary);
      if (!summary.file.empty()) set_plot_status(LogStatus::Succeeded);
    } else {
      set_plot_status(LogStatus::Skipped, "not drawn (--no-plots)");
    }
  } else {
    problem(ErrorKind::Unsupported, element, "this kind of output is not supported");
  }
  report_.outputs.push_back(summary);
}

void Runner::write_h5(const H5Report& h5, const std::string& element) {
  try {
    std::error_code ec;
    fs::create_directories(options_.output_dir, ec);
    write_h5_report((fs::path(options_.output_dir) / "reports.h5").string(), h5);
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  }
}

std::vector<std::size_t> Runner::plot_runs(const std::string& dg_id, std::size_t n) const {
  if (const auto l = generated_layout_.find(dg_id); l != generated_layout_.end() && l->second->size() == n)
    return innermost_runs(*l->second);
  // A generator with no layout of its size (a reduction, data): split by the iterations of the
  // repeated task it reads, if they divide it evenly, else one line.
  const std::size_t k = iterations_of(dg_id);
  if (k > 1 && n % k == 0) return std::vector<std::size_t>(k, n / k);
  return {n};
}

std::optional<std::vector<PlotData>> Runner::plot_data(const Output& o, const std::string& element, std::string& x_label) {
  std::vector<PlotData> data;
  std::set<std::string> xs;
  for (const PlotItem& it : o.plot.items) {
    PlotData d;
    d.item = &it;
    auto get = [&](const std::string& ref) { return ref.empty() ? nullptr : generated(ref); };
    d.x = get(it.x);
    d.y = get(it.y);
    d.z = get(it.z);
    d.y_from = get(it.y_from);
    d.y_to = get(it.y_to);
    d.x_err_upper = get(it.x_err_upper);
    d.x_err_lower = get(it.x_err_lower);
    d.y_err_upper = get(it.y_err_upper);
    d.y_err_lower = get(it.y_err_lower);
    const bool ok = it.element == "shadedArea" ? d.x && d.y_from && d.y_to
                    : o.type == "plot3D"       ? d.x && d.y && d.z
                                               : d.x && d.y;
    if (!ok) {
      problem(ErrorKind::InvalidSbml, element, "not drawn: " + it.element + " '" + it.id + "' lacks a data reference");
      return std::nullopt;
    }
    const std::string main_ref = it.element == "shadedArea" ? it.y_to : o.type == "plot3D" ? it.z : it.y;
    const Series* main = it.element == "shadedArea" ? d.y_to : o.type == "plot3D" ? d.z : d.y;
    d.runs = plot_runs(main_ref, main->size());
    if (d.runs.size() <= 1) d.runs = plot_runs(it.x, d.x->size());
    d.label = !it.name.empty() ? it.name : it.element == "shadedArea" ? it.id : generator_label(main_ref);
    xs.insert(it.x);
    data.push_back(d);
  }
  x_label = xs.size() == 1 ? generator_label(*xs.begin()) : "";
  return data;
}

std::string Runner::draw(const Output& o, const std::string& element) {
  std::string x_label;
  const auto data = plot_data(o, element, x_label);
  if (!data) return {};
  if (data->empty()) {
    note(element + ": no curves; nothing drawn");
    return {};
  }
  const fs::path base = fs::path(options_.output_dir) / location_ / o.id;
  return run_drawing(element, [&] { return draw_plot(o, doc_.styles, *data, x_label, base.string()); }).value_or("");
}

std::string Runner::draw_figure_output(const Output& o, const std::string& element, OutputSummary& summary) {
  if (o.plot.subplots.empty()) {
    note(element + ": no subPlots; nothing drawn");
    return {};
  }
  std::vector<FigurePanel> panels;
  std::vector<std::string> missing;
  for (const SubPlot& sp : o.plot.subplots) {
    const Output* plot = nullptr;
    for (const Output& p : doc_.outputs)
      if (p.id == sp.plot) plot = &p;
    const std::string spe = element + " subPlot '" + sp.id + "'";
    if (!plot || (plot->type != "plot2D" && plot->type != "plot3D")) {
      problem(ErrorKind::UnknownId, spe, "plot '" + sp.plot + "' is not a plot2D or plot3D of this document");
      set_plot_status(LogStatus::Failed, spe + ": plot '" + sp.plot + "' not found");
      return {};
    }
    for (const std::string& ref : plot->data_refs)
      if (!generated(ref)) missing.push_back(ref);
    if (!missing.empty()) {
      problem(dependent_kind(), spe, "not drawn: plot '" + sp.plot + "' lacks data for dataGenerator(s) " + join(missing));
      set_plot_status(LogStatus::Failed, spe + ": its plot's data not computed");
      return {};
    }
    FigurePanel panel;
    panel.subplot = &sp;
    panel.plot = plot;
    auto data = plot_data(*plot, spe, panel.x_label);
    if (!data) return {};
    panel.data = std::move(*data);
    panels.push_back(std::move(panel));
    summary.data_sets += plot->data_refs.size();
  }
  const fs::path base = fs::path(options_.output_dir) / location_ / o.id;
  return run_drawing(element, [&] { return draw_figure(o, doc_.styles, panels, base.string()); }).value_or("");
}

std::string Runner::join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "'" : ", '") + s + "'";
  return out;
}

void Runner::write_file(const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw Error(ErrorKind::Io, file.parent_path().string() + ": cannot create: " + ec.message());
  write_file_atomic(file.string(), text);
}

}  // namespace axisim::sedml::execution
