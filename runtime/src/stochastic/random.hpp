// random.hpp — the random numbers of stochastic simulation, reproducible across machines.
//
// Each replicate has a stream of its own: std::mt19937_64 (whose output the C++ standard
// specifies exactly) seeded with replicate_seed(seed, replicate), a splitmix64 mix of the two.
// A replicate's numbers therefore depend on the seed and its number alone, not on which
// thread or MPI rank runs it, nor on how many run. The standard's distributions
// (std::exponential_distribution, std::uniform_real_distribution) are not specified exactly and
// differ between standard libraries, so the draws are made here from the raw 64-bit output.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace axisim::detail {

// splitmix64's output function (Steele, Lea and Flood 2014): a bijection of 64-bit words that
// mixes every input bit into every output bit.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The seed of replicate r's generator: splitmix64(splitmix64(seed) ^ r). Distinct replicates of
// one seed get distinct seeds (both steps are bijections).
constexpr std::uint64_t replicate_seed_of(std::uint64_t seed, std::uint64_t replicate) {
  return splitmix64(splitmix64(seed) ^ replicate);
}

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 0) : engine_(seed) {}
  void reseed(std::uint64_t seed) { engine_.seed(seed); }

  // Uniform on [0, 1): the top 53 bits of one output, each value a multiple of 2^-53.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: never zero, so its logarithm is finite.
  double uniform_open_zero() { return static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53; }
  // Exponential with mean 1, by inversion: -ln(U) with U on (0, 1]. (The result depends on
  // libm's log, which is correctly rounded or nearly so on every platform axisim builds on.)
  double exponential() { return -std::log(uniform_open_zero()); }
  // An index in [0, n), n >= 1, by Lemire's multiply-and-reject (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(engine_()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(engine_()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace axisim::detail
