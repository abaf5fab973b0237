// delay_history.hpp — the past of a run, for delay(x, d).
//
// One entry per accepted integrator step and one after each event: the state, its derivative
// and every symbol's value. A past state is rebuilt by cubic Hermite interpolation of the
// entries around it (the order of the integrator's own dense output); symbols that are neither
// states nor computed from them (parameters events change) are taken from the entry at or
// before the time asked. Entries are kept for the whole run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace axisim::detail {

class DelayHistory {
 public:
  DelayHistory(std::size_t num_states, std::size_t num_symbols) : n_(num_states), m_(num_symbols) {}

  // Appends the solution at time t (t must not decrease; an entry at the same time as the last,
  // made after an event, replaces nothing: lookups at that time take the later one).
  void record(double t, const double* y, const double* ydot, const double* values) {
    times_.push_back(t);
    y_.insert(y_.end(), y, y + n_);
    ydot_.insert(ydot_.end(), ydot, ydot + n_);
    values_.insert(values_.end(), values, values + m_);
  }

  bool empty() const { return times_.empty(); }
  double first_time() const { return times_.front(); }
  double last_time() const { return times_.back(); }
  const double* last_state() const { return y_.data() + (times_.size() - 1) * n_; }
  const double* last_values() const { return values_.data() + (times_.size() - 1) * m_; }

  // For first_time() <= tau <= last_time(): the interpolated state at tau into y, and the
  // values of the entry at or before tau.
  const double* at(double tau, double* y) const {
    // The last entry with time <= tau.
    const auto it = std::upper_bound(times_.begin(), times_.end(), tau);
    const std::size_t i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, (it - times_.begin()) - 1));
    const double* y0 = y_.data() + i * n_;
    if (i + 1 >= times_.size() || times_[i + 1] == times_[i]) {
      std::copy_n(y0, n_, y);
      return values_.data() + i * m_;
    }
    const double t0 = times_[i], h = times_[i + 1] - t0, s = (tau - t0) / h;
    const double* y1 = y_.data() + (i + 1) * n_;
    const double* d0 = ydot_.data() + i * n_;
    const double* d1 = ydot_.data() + (i + 1) * n_;
    const double h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s);
    const double h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1);
    for (std::size_t k = 0; k < n_; ++k) y[k] = h00 * y0[k] + h10 * h * d0[k] + h01 * y1[k] + h11 * h * d1[k];
    return values_.data() + i * m_;
  }

 private:
  std::size_t n_, m_;
  std::vector<double> times_, y_, ydot_, values_;
};

}  // namespace axisim::detail
