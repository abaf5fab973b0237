#include "handwritten_ssa.hpp"

#include <algorithm>
#include <limits>
#include <random>

namespace bench {

HandwrittenSsa::HandwrittenSsa(const SsaNetwork& network) : net_(network) {
  const std::size_t m = net_.reactions.size(), n = net_.species.size();
  use_tree_ = m >= 64;
  if (use_tree_) {
    leaves_ = 1;
    while (leaves_ < m) leaves_ *= 2;
    tree_.assign(2 * leaves_, 0.0);
  }
  a_.assign(m, 0.0);
  changes_.resize(m);
  std::vector<std::vector<std::uint32_t>> readers(n);
  for (std::size_t j = 0; j < m; ++j) {
    std::vector<double> delta(n, 0.0);
    for (std::uint32_t s : net_.reactions[j].reactants) delta[s] -= 1;
    for (std::uint32_t s : net_.reactions[j].products) delta[s] += 1;
    for (std::uint32_t s = 0; s < n; ++s)
      if (delta[s] != 0) changes_[j].emplace_back(s, delta[s]);
    for (std::uint32_t s : net_.reactions[j].reactants) readers[s].push_back(static_cast<std::uint32_t>(j));
  }
  depends_.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    for (const auto& [s, d] : changes_[j]) depends_[j].insert(depends_[j].end(), readers[s].begin(), readers[s].end());
    std::sort(depends_[j].begin(), depends_[j].end());
    depends_[j].erase(std::unique(depends_[j].begin(), depends_[j].end()), depends_[j].end());
  }
}

double HandwrittenSsa::propensity(std::size_t j) const {
  const SsaReaction& r = net_.reactions[j];
  switch (r.reactants.size()) {
    case 0: return r.k;
    case 1: return r.k * x_[r.reactants[0]];
    default:
      if (r.reactants[0] == r.reactants[1]) return r.k * x_[r.reactants[0]] * (x_[r.reactants[0]] - 1) * 0.5;
      return r.k * x_[r.reactants[0]] * x_[r.reactants[1]];
  }
}

void HandwrittenSsa::update(std::size_t j) {
  const double a = propensity(j);
  a_[j] = a;
  if (use_tree_) {
    std::size_t node = leaves_ + j;
    tree_[node] = a;
    for (node /= 2; node >= 1; node /= 2) tree_[node] = tree_[2 * node] + tree_[2 * node + 1];
  }
}

std::uint64_t HandwrittenSsa::run(std::uint64_t seed, std::vector<double>& out) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> exponential(1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const std::size_t m = a_.size(), n = net_.species.size();
  x_ = net_.initial;
  for (std::size_t j = 0; j < m; ++j) update(j);
  out.clear();
  std::uint64_t firings = 0;
  double t = 0.0;
  for (int k = 0; k <= net_.steps; ++k) {
    const double t_out = net_.end * k / net_.steps;
    while (true) {
      double a0 = 0.0;
      if (use_tree_) a0 = tree_[1];
      else
        for (double a : a_) a0 += a;
      if (!(a0 > 0.0)) {
        t = std::numeric_limits<double>::infinity();
        break;
      }
      const double tau = exponential(rng) / a0;
      if (t + tau > t_out) {
        // Memoryless: drawing again from t_out is the same process.
        t = t_out;
        break;
      }
      t += tau;
      std::size_t j = 0;
      double target = uniform(rng) * a0;
      if (use_tree_) {
        std::size_t node = 1;
        while (node < leaves_) {
          if (target < tree_[2 * node]) node = 2 * node;
          else {
            target -= tree_[2 * node];
            node = 2 * node + 1;
          }
        }
        j = std::min(node - leaves_, m - 1);
      } else {
        double sum = 0.0;
        for (j = 0; j + 1 < m; ++j) {
          sum += a_[j];
          if (target < sum) break;
        }
      }
      for (const auto& [s, d] : changes_[j]) x_[s] += d;
      for (std::uint32_t r : depends_[j]) update(r);
      ++firings;
    }
    out.insert(out.end(), x_.begin(), x_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return firings;
}

}  // namespace bench
