#include "analysis/integer_elimination.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace axisim::detail {
namespace {

using i128 = __int128;

i128 abs128(i128 a) { return a < 0 ? -a : a; }

i128 gcd128(i128 a, i128 b) {
  a = abs128(a);
  b = abs128(b);
  while (b != 0) {
    const i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// a * x - b * y, false on overflow.
bool combine(i128 a, i128 x, i128 b, i128 y, i128& out) {
  i128 ax, by;
  if (__builtin_mul_overflow(a, x, &ax) || __builtin_mul_overflow(b, y, &by)) return false;
  return !__builtin_sub_overflow(ax, by, &out);
}

}  // namespace

std::optional<std::pair<long long, long long>> as_fraction(double x) {
  if (x == 0.0) return std::pair<long long, long long>{0, 1};
  if (!std::isfinite(x) || std::fabs(x) > 1e15) return std::nullopt;
  const double target = std::fabs(x);
  // Convergents h/k of the continued fraction of |x|.
  long long h_prev = 1, h_prev2 = 0, k_prev = 0, k_prev2 = 1;
  double a = target;
  for (int i = 0; i < 64; ++i) {
    const double ai = std::floor(a);
    if (ai > 1e15) break;
    const auto whole = static_cast<long long>(ai);
    const long long h = whole * h_prev + h_prev2, k = whole * k_prev + k_prev2;
    if (k > kMaxDenominator) break;
    if (std::fabs(static_cast<double>(h) / static_cast<double>(k) - target) <= 1e-12 * target)
      return std::pair<long long, long long>{x < 0 ? -h : h, k};
    const double frac = a - ai;
    if (frac <= 0.0) break;
    a = 1.0 / frac;
    h_prev2 = h_prev;
    h_prev = h;
    k_prev2 = k_prev;
    k_prev = k;
  }
  // Decimals: products of decimal literals (a yield times a unit factor, 1.86 * 0.57 * 0.001)
  // have short decimal expansions but denominators far above kMaxDenominator.
  long long q = 1;
  for (int digits = 0; digits <= kMaxDecimals; ++digits, q *= 10) {
    const double scaled = target * static_cast<double>(q);
    if (scaled > 1e15) break;
    const double p = std::round(scaled);
    if (p > 0 && std::fabs(p - scaled) <= 1e-12 * scaled) {
      long long num = static_cast<long long>(p), den = q;
      const long long g = std::gcd(num, den);
      num /= g;
      den /= g;
      return std::pair<long long, long long>{x < 0 ? -num : num, den};
    }
  }
  return std::nullopt;
}

std::optional<IntegerLaws> integer_conservation_laws(const std::vector<double>& n, std::size_t rows, std::size_t cols) {
  // Rows of [N | I] as sparse vectors (column, value), sorted by column: stoichiometry matrices
  // have a few entries per row, and a dense [N | I] of a 1,500-species network is 150 MB of
  // 128-bit integers, most of the time spent clearing and scanning zeros.
  using Row = std::vector<std::pair<std::uint32_t, i128>>;
  std::vector<Row> a(rows);
  // Integer N, column by column: entries p/q scaled by the lcm of the column's denominators.
  std::vector<std::vector<std::pair<std::size_t, std::pair<long long, long long>>>> by_column(cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j)
      if (n[i * cols + j] != 0.0) {
        const auto frac = as_fraction(n[i * cols + j]);
        if (!frac) return std::nullopt;
        by_column[j].push_back({i, *frac});
      }
  for (std::size_t j = 0; j < cols; ++j) {
    i128 lcm = 1;
    for (const auto& e : by_column[j]) {
      const i128 g = gcd128(lcm, e.second.second);
      if (__builtin_mul_overflow(lcm / g, static_cast<i128>(e.second.second), &lcm)) return std::nullopt;
      if (lcm > static_cast<i128>(1) << 62) return std::nullopt;
    }
    for (const auto& [i, f] : by_column[j]) {
      i128 v;
      if (__builtin_mul_overflow(static_cast<i128>(f.first), lcm / f.second, &v)) return std::nullopt;
      a[i].emplace_back(static_cast<std::uint32_t>(j), v);  // j increasing: rows stay sorted
    }
  }
  // Which rows have an entry in each column of N (may hold stale rows: checked on use).
  std::vector<std::vector<std::uint32_t>> in_column(cols);
  for (std::size_t i = 0; i < rows; ++i) {
    for (const auto& [c, v] : a[i]) in_column[c].push_back(static_cast<std::uint32_t>(i));
    a[i].emplace_back(static_cast<std::uint32_t>(cols + i), 1);
  }
  auto entry = [&](std::size_t i, std::size_t c) -> i128 {
    const Row& r = a[i];
    const auto it = std::lower_bound(r.begin(), r.end(), static_cast<std::uint32_t>(c),
                                     [](const auto& e, std::uint32_t col) { return e.first < col; });
    return it != r.end() && it->first == c ? it->second : 0;
  };

  std::vector<bool> pivot(rows, false);
  IntegerLaws out;
  Row merged;
  for (std::size_t c = 0; c < cols; ++c) {
    std::vector<std::uint32_t>& candidates = in_column[c];
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::size_t p = rows;
    for (std::uint32_t i : candidates)
      if (!pivot[i] && entry(i, c) != 0) {
        p = i;
        break;
      }
    if (p == rows) continue;
    pivot[p] = true;
    out.independent.push_back(p);
    const i128 ap = entry(p, c);
    for (std::uint32_t i : candidates) {
      if (pivot[i]) continue;
      const i128 ai = entry(i, c);
      if (ai == 0) continue;
      // row_i := ap row_i - ai row_p, merged in column order, then divided by its gcd.
      merged.clear();
      const Row &x = a[i], &y = a[p];
      std::size_t u = 0, w = 0;
      i128 g = 0;
      while (u < x.size() || w < y.size()) {
        const std::uint32_t cu = u < x.size() ? x[u].first : UINT32_MAX, cw = w < y.size() ? y[w].first : UINT32_MAX;
        const std::uint32_t col = std::min(cu, cw);
        const i128 xv = cu == col ? x[u++].second : 0, yv = cw == col ? y[w++].second : 0;
        i128 v;
        if (!combine(ap, xv, ai, yv, v)) return std::nullopt;
        if (v == 0) continue;
        merged.emplace_back(col, v);
        g = gcd128(g, v);
        if (col < cols && cu != col) in_column[col].push_back(i);  // a new entry in column col
      }
      if (g > 1)
        for (auto& e : merged) e.second /= g;
      a[i].swap(merged);
    }
  }
  for (std::size_t i = 0; i < rows; ++i) {
    if (pivot[i]) continue;
    out.dependent.push_back(i);
    std::vector<long long> law(rows, 0);
    const i128 sign = entry(i, cols + i) < 0 ? -1 : 1;
    for (const auto& [c, v] : a[i]) {
      if (c < cols) continue;  // zero by now: every column of N was eliminated from this row
      const i128 s = sign * v;
      if (abs128(s) > static_cast<i128>(1) << 52) return std::nullopt;  // must stay exact as a double
      law[c - cols] = static_cast<long long>(s);
    }
    out.laws.push_back(std::move(law));
  }
  return out;
}

}  // namespace axisim::detail
