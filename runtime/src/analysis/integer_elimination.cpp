#include "analysis/integer_elimination.hpp"

#include <cmath>
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
  // Integer N, column by column: entries p/q scaled by the lcm of the column's denominators.
  const std::size_t width = cols + rows;
  std::vector<i128> a(rows * width, 0);
  for (std::size_t j = 0; j < cols; ++j) {
    std::vector<std::pair<long long, long long>> f(rows);
    i128 lcm = 1;
    for (std::size_t i = 0; i < rows; ++i) {
      const auto frac = as_fraction(n[i * cols + j]);
      if (!frac) return std::nullopt;
      f[i] = *frac;
      const i128 g = gcd128(lcm, frac->second);
      if (__builtin_mul_overflow(lcm / g, static_cast<i128>(frac->second), &lcm)) return std::nullopt;
      if (lcm > static_cast<i128>(1) << 62) return std::nullopt;
    }
    for (std::size_t i = 0; i < rows; ++i)
      if (__builtin_mul_overflow(static_cast<i128>(f[i].first), lcm / f[i].second, &a[i * width + j])) return std::nullopt;
  }
  for (std::size_t i = 0; i < rows; ++i) a[i * width + cols + i] = 1;

  std::vector<bool> pivot(rows, false);
  IntegerLaws out;
  for (std::size_t c = 0; c < cols; ++c) {
    std::size_t p = rows;
    for (std::size_t i = 0; i < rows && p == rows; ++i)
      if (!pivot[i] && a[i * width + c] != 0) p = i;
    if (p == rows) continue;
    pivot[p] = true;
    out.independent.push_back(p);
    const i128 ap = a[p * width + c];
    for (std::size_t i = 0; i < rows; ++i) {
      if (pivot[i] || a[i * width + c] == 0) continue;
      const i128 ai = a[i * width + c];
      i128 g = 0;
      for (std::size_t k = 0; k < width; ++k) {
        if (!combine(ap, a[i * width + k], ai, a[p * width + k], a[i * width + k])) return std::nullopt;
        g = gcd128(g, a[i * width + k]);
      }
      if (g > 1)
        for (std::size_t k = 0; k < width; ++k) a[i * width + k] /= g;
    }
  }
  for (std::size_t i = 0; i < rows; ++i) {
    if (pivot[i]) continue;
    out.dependent.push_back(i);
    std::vector<long long> law(rows);
    const i128 sign = a[i * width + cols + i] < 0 ? -1 : 1;
    for (std::size_t k = 0; k < rows; ++k) {
      const i128 v = sign * a[i * width + cols + k];
      if (abs128(v) > static_cast<i128>(1) << 52) return std::nullopt;  // must stay exact as a double
      law[k] = static_cast<long long>(v);
    }
    out.laws.push_back(std::move(law));
  }
  return out;
}

}  // namespace axisim::detail
