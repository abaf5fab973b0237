// Shapes of task results as BioSimulators gives them (result_shape.hpp).
#include "output/result_shape.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace axisim::sedml {
namespace {

std::size_t product(const std::vector<std::size_t>& dims) {
  std::size_t n = 1;
  for (std::size_t d : dims) n *= d;
  return n;
}

// `a` placed at the start of an array of shape `target` (rank >= a's), the rest NaN. A lower
// rank gets trailing dimensions of length 1 (0 when `a` is empty), as numpy's reshape there.
NdArray pad_to(const NdArray& a, const std::vector<std::size_t>& target) {
  std::vector<std::size_t> dims = a.dims;
  dims.resize(target.size(), a.values.empty() ? 0 : 1);
  NdArray out{target, std::vector<double>(product(target), std::numeric_limits<double>::quiet_NaN())};
  if (a.values.empty() || target.empty()) return out;
  std::vector<std::size_t> index(dims.size(), 0);
  for (std::size_t k = 0; k < a.values.size(); ++k) {
    std::size_t offset = 0;
    for (std::size_t d = 0; d < target.size(); ++d) offset = offset * target[d] + index[d];
    out.values[offset] = a.values[k];
    for (std::size_t d = dims.size(); d-- > 0;) {  // the next index, row-major
      if (++index[d] < dims[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

NdArray shaped_at(const Layout& layout, const std::vector<double>& flat, std::size_t& at) {
  if (!layout.repeated) {
    if (at + layout.points > flat.size()) throw std::logic_error("a task's values are fewer than its layout says");
    NdArray a{layout.scalar && layout.points == 1 ? std::vector<std::size_t>{} : std::vector<std::size_t>{layout.points},
              std::vector<double>(flat.begin() + static_cast<long>(at),
                                                   flat.begin() + static_cast<long>(at + layout.points))};
    at += layout.points;
    return a;
  }
  std::vector<NdArray> parts;
  for (const Layout& child : layout.children) parts.push_back(shaped_at(child, flat, at));
  const std::vector<std::size_t> common = pad_common(parts);
  const std::size_t subtasks = std::max<std::size_t>(layout.subtasks, 1);
  NdArray out;
  out.dims = {parts.size() / subtasks, subtasks};
  out.dims.insert(out.dims.end(), common.begin(), common.end());
  for (const NdArray& p : parts) out.values.insert(out.values.end(), p.values.begin(), p.values.end());
  return out;
}

}  // namespace

std::size_t Layout::size() const {
  if (!repeated) return points;
  std::size_t n = 0;
  for (const Layout& c : children) n += c.size();
  return n;
}

std::vector<std::size_t> innermost_runs(const Layout& layout) {
  std::vector<std::size_t> out;
  auto add = [&out](std::size_t n) {
    if (n > 0) out.push_back(n);
  };
  if (!layout.repeated) {
    add(layout.size());
    return out;
  }
  // children: iterations x sub-tasks, in the order run
  const std::size_t per = layout.subtasks > 0 ? layout.subtasks : 1;
  for (std::size_t i = 0; i < layout.children.size(); i += per) {
    const std::size_t end = std::min(layout.children.size(), i + per);
    bool plain = true;
    for (std::size_t k = i; k < end; ++k) plain = plain && !layout.children[k].repeated;
    if (plain) {  // an innermost iteration: one line
      std::size_t n = 0;
      for (std::size_t k = i; k < end; ++k) n += layout.children[k].size();
      add(n);
      continue;
    }
    for (std::size_t k = i; k < end; ++k)
      for (std::size_t n : innermost_runs(layout.children[k])) add(n);
  }
  return out;
}

NdArray shaped(const Layout& layout, const std::vector<double>& flat) {
  std::size_t at = 0;
  return shaped_at(layout, flat, at);
}

std::vector<std::size_t> pad_common(std::vector<NdArray>& arrays) {
  std::vector<std::size_t> common;
  for (const NdArray& a : arrays) {
    std::vector<std::size_t> dims = a.dims;
    if (dims.empty() && !a.values.empty()) dims = {1};  // a scalar
    if (dims.size() > common.size()) common.resize(dims.size(), common.empty() ? 0 : 1);
    dims.resize(common.size(), dims.empty() ? 0 : 1);
    for (std::size_t d = 0; d < common.size(); ++d) common[d] = std::max(common[d], dims[d]);
  }
  for (NdArray& a : arrays)
    if (a.dims != common) a = pad_to(a, common);
  return common;
}

std::string shape_text(const std::vector<std::size_t>& dims) {
  std::string out;
  for (std::size_t d : dims) {
    if (!out.empty()) out += ',';
    out += std::to_string(d);
  }
  return out;
}

}  // namespace axisim::sedml
