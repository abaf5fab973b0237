// The parameterEstimationResultPlot drawn (estimation_plot.hpp): data against fit.
#include "output/estimation_plot.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace axisim::sedml {

DrawnPlot draw_estimation_plot(const Output& plot, const EstimationRun& run, const std::string& base) {
  // The colours of plot.cpp's curves with no style (matplotlib's default cycle): a curve's data
  // and its fit share one, so that the eye pairs them.
  static const char* const kCycle[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  Output o;
  o.id = plot.id;
  o.name = plot.name;
  o.type = "plot2D";
  std::vector<Style> styles;
  std::deque<PlotItem> items;  // stable addresses: PlotData points at them
  std::deque<Series> series;
  std::vector<PlotData> data;
  bool steady = false, timed = false;
  const std::vector<FitCurve>& curves = run.fit.curves;
  for (std::size_t c = 0; c < curves.size(); ++c) {
    const FitCurve& fc = curves[c];
    const std::string colour = kCycle[c % (sizeof kCycle / sizeof *kCycle)];
    const std::string label = curves.size() > 1 || !fc.experiment.empty() ? fc.experiment + " " + fc.observable : fc.observable;
    Series& x = series.emplace_back();
    for (std::size_t i = 0; i < fc.times.size(); ++i) {
      if (std::isnan(fc.times[i])) {
        steady = true;
        x.push_back(static_cast<double>(i + 1));
      } else {
        timed = true;
        x.push_back(fc.times[i]);
      }
    }
    // The fit as a line through the points in time order (a time course's points are listed in
    // the data's order, which need not be ascending).
    std::vector<std::size_t> order(x.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    Series& xs = series.emplace_back();
    Series& data_y = series.emplace_back();
    Series& fit_y = series.emplace_back();
    for (std::size_t i : order) {
      xs.push_back(x[i]);
      data_y.push_back(fc.data[i]);
      fit_y.push_back(fc.fitted[i]);
    }
    Style data_style;
    data_style.id = "axisim_data_" + std::to_string(c);
    data_style.line_type = "none";
    data_style.marker_type = "circle";
    data_style.marker_fill = colour;
    data_style.marker_line_color = colour;
    data_style.line_color = colour;
    Style fit_style;
    fit_style.id = "axisim_fit_" + std::to_string(c);
    fit_style.line_type = "solid";
    fit_style.line_color = colour;
    fit_style.marker_type = "none";
    styles.push_back(data_style);
    styles.push_back(fit_style);
    PlotItem& di = items.emplace_back();
    di.id = "data_" + std::to_string(c);
    di.name = label + " (data)";
    di.element = "curve";
    di.style = data_style.id;
    PlotItem& fi = items.emplace_back();
    fi.id = "fit_" + std::to_string(c);
    fi.name = label + " (fitted)";
    fi.element = "curve";
    fi.style = fit_style.id;
    PlotData dd;
    dd.item = &di;
    dd.x = &xs;
    dd.y = &data_y;
    dd.label = di.name;
    PlotData fd;
    fd.item = &fi;
    fd.x = &xs;
    fd.y = &fit_y;
    fd.label = fi.name;
    data.push_back(dd);
    data.push_back(fd);
  }
  for (const PlotItem& it : items) o.plot.items.push_back(it);
  const std::string x_label = timed && steady ? "time (steady states: measurement number)"
                              : steady        ? "measurement number (steady state)"
                                              : "time";
  return draw_plot(o, styles, data, x_label, base);
}

}  // namespace axisim::sedml
