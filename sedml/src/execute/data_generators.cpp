// Data generators: their math over the variables' values, and the shape those values keep.
#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

#include "document/variable_terms.hpp"
#include "execute/aggregation.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

void Runner::evaluate_generator(const DataGenerator& g) {
  auto& out = generated_[g.id];
  const std::string element = "dataGenerator '" + g.id + "'";
  std::map<std::string, Series> values;
  std::vector<const Layout*> layouts;  // of the variables read from tasks, unreduced
  for (const Parameter& p : g.parameters) values[p.id] = {p.value};
  for (const Variable& v : g.variables) {
    if (const auto d = data_.find(g.id + "/" + v.id); d != data_.end()) {
      if (!d->second) return;  // reported when read
      values[v.id] = *d->second;
      continue;
    }
    const auto& col = variable_column_[g.id + "/" + v.id];
    if (!col) return;  // reported when resolved
    const TaskRun& run = runs_[v.task_ref];
    if (!run.ok) return;  // reported when run
    try {
      values[v.id] = col->rate ? rate_series(run, *col) : run.columns.at(*col);
      if (col->scale != 1.0)
        for (double& x : values[v.id]) x *= col->scale;
      if (!col->matrix.empty() && col->spec.id.empty()) {  // its shape, as a data source's (keep_data_shape)
        const Matrix& mx = matrices_.at(v.task_ref + "\n" + col->matrix);
        data_shape_[g.id + "/" + v.id] = {mx.rows(), mx.cols()};
        generated_matrix_[g.id] = variable_term_label(col->matrix) + " of task '" + v.task_ref + "' (rows " + (mx.rows() ? join(mx.row_ids) : "none") +
                                  "; columns " + (mx.cols() ? join(mx.column_ids) : "none") + ")";
        continue;
      }
    } catch (const std::exception& e) {  // a rate rule's math that does not evaluate on the run
      problem(ErrorKind::InvalidSbml, "dataGenerator '" + g.id + "' variable '" + v.id + "'", e.what());
      return;
    }
    if (!aggregations_.count(g.id + "/" + v.id)) layouts.push_back(&run.layout);
    if (const auto a = aggregations_.find(g.id + "/" + v.id); a != aggregations_.end()) {
      try {
        std::vector<std::size_t> sizes;
        for (std::size_t d = 0; d + 1 < a->second.dims.size(); ++d) sizes.push_back(iteration_counts_[a->second.dims[d]]);
        values[v.id] = aggregate(values[v.id], sizes, a->second);
      } catch (const std::exception& e) {
        problem(ErrorKind::InvalidSbml, element + " variable '" + v.id + "'", a->second.term + ": " + e.what());
        return;
      }
    }
  }
  if (!g.math) return;  // reported when read
  try {
    out = evaluate(*g.math, [&](const std::string& id) -> const Series* {
      auto it = values.find(id);
      return it == values.end() ? nullptr : &it->second;
    });
    keep_data_shape(g, out->size());
    // Its shape in reports.h5: that of the first task variable it has as many values as
    // (math is elementwise on the flat values); else one dimension (a reduction, data).
    for (const Layout* l : layouts)
      if (l->size() == out->size()) {
        generated_layout_[g.id] = l;
        break;
      }
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, element, e.what());
  }
}

void Runner::keep_data_shape(const DataGenerator& g, std::size_t size) {
  for (const Variable& v : g.variables) {
    const auto s = data_shape_.find(g.id + "/" + v.id);
    if (s == data_shape_.end() || s->second.size() < 2) continue;
    std::size_t n = 1;
    for (std::size_t e : s->second) n *= e;
    if (n == size) {
      generated_shape_[g.id] = s->second;
      return;
    }
  }
}

NdArray Runner::shaped_values(const std::string& id) const {
  const Series& s = *generated(id);
  if (const auto l = generated_layout_.find(id); l != generated_layout_.end()) return shaped(*l->second, s);
  if (const auto d = generated_shape_.find(id); d != generated_shape_.end()) return NdArray{d->second, s};
  return NdArray{{s.size()}, s};
}

const Series* Runner::generated(const std::string& id) const {
  auto it = generated_.find(id);
  return it == generated_.end() || !it->second ? nullptr : &*it->second;
}

std::size_t Runner::iterations_of(const std::string& dg_id) const {
  std::size_t n = 1;
  for (const DataGenerator& g : doc_.generators) {
    if (g.id != dg_id) continue;
    for (const Variable& v : g.variables) {
      if (aggregations_.count(g.id + "/" + v.id) || data_.count(g.id + "/" + v.id)) continue;
      const auto r = runs_.find(v.task_ref);
      if (r != runs_.end() && r->second.iterations > 1) n = std::max(n, r->second.iterations);
    }
  }
  return n;
}

std::string Runner::generator_label(const std::string& dg_id) const {
  for (const DataGenerator& g : doc_.generators)
    if (g.id == dg_id) return g.name.empty() ? g.id : g.name;
  return dg_id;
}

}  // namespace axisim::sedml::execution
