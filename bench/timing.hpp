// timing.hpp — repeated wall-clock measurements, reported as medians.
//
// A median over several repetitions shrugs off the occasional slow run (another process, a
// page fault, frequency scaling) that a mean would fold in. Each measurement repeats until it
// has both a minimum number of samples and a minimum total time, so that quick operations get
// many samples and slow ones are not run needlessly often.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace bench {

struct Timing {
  double median = 0.0;  // seconds per call
  double min = 0.0;
  int samples = 0;
};

struct RepeatPolicy {
  int min_samples = 5;
  int max_samples = 1000;
  double min_total_seconds = 0.5;
};

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline Timing summarize(std::vector<double> samples) {
  Timing t;
  if (samples.empty()) return t;
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  t.median = n % 2 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  t.min = samples.front();
  t.samples = static_cast<int>(n);
  return t;
}

// Times `f()` once per sample.
template <class F>
Timing measure(F&& f, const RepeatPolicy& policy) {
  std::vector<double> samples;
  const auto begin = std::chrono::steady_clock::now();
  while (static_cast<int>(samples.size()) < policy.max_samples &&
         (static_cast<int>(samples.size()) < policy.min_samples || seconds_since(begin) < policy.min_total_seconds)) {
    const auto start = std::chrono::steady_clock::now();
    f();
    samples.push_back(seconds_since(start));
  }
  return summarize(std::move(samples));
}

// Times `f(input)` once per sample, where `input = setup()` is made before the clock starts and
// f's result is destroyed after it stops: for operations that consume their input (a compiler
// that takes its IR by value) and whose result's teardown is no part of the operation.
template <class Setup, class F>
Timing measure_with_setup(Setup&& setup, F&& f, const RepeatPolicy& policy) {
  std::vector<double> samples;
  double total = 0.0;
  while (static_cast<int>(samples.size()) < policy.max_samples &&
         (static_cast<int>(samples.size()) < policy.min_samples || total < policy.min_total_seconds)) {
    auto input = setup();
    const auto start = std::chrono::steady_clock::now();
    [[maybe_unused]] auto result = f(std::move(input));
    samples.push_back(seconds_since(start));
    total += samples.back();
  }
  return summarize(std::move(samples));
}

// Times `fa()` and `fb()` alternately, one sample of each per round, for a ratio between the
// two: a change in the machine's load during the measurement then affects both alike.
template <class FA, class FB>
std::pair<Timing, Timing> measure_interleaved(FA&& fa, FB&& fb, const RepeatPolicy& policy) {
  std::vector<double> a, b;
  const auto begin = std::chrono::steady_clock::now();
  while (static_cast<int>(a.size()) < policy.max_samples &&
         (static_cast<int>(a.size()) < policy.min_samples || seconds_since(begin) < 2 * policy.min_total_seconds)) {
    auto start = std::chrono::steady_clock::now();
    fa();
    a.push_back(seconds_since(start));
    start = std::chrono::steady_clock::now();
    fb();
    b.push_back(seconds_since(start));
  }
  return {summarize(std::move(a)), summarize(std::move(b))};
}

// How many calls of `f` take at least `batch_seconds`: the batch size for measure_batched.
template <class F>
std::int64_t calibrate_batch(F& f, double batch_seconds) {
  std::int64_t batch = 1;
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < batch; ++i) f();
    if (seconds_since(start) >= batch_seconds || batch >= (std::int64_t{1} << 40)) return batch;
    batch *= 2;
  }
}

inline Timing per_call(Timing t, std::int64_t batch) {
  t.median /= static_cast<double>(batch);
  t.min /= static_cast<double>(batch);
  return t;
}

// Times `f()` in batches, for calls too short for the clock to time one by one: the batch size
// is doubled until a batch takes `batch_seconds`, then each sample is one batch. Reports
// seconds per call.
template <class F>
Timing measure_batched(F&& f, const RepeatPolicy& policy, double batch_seconds = 0.02) {
  const std::int64_t batch = calibrate_batch(f, batch_seconds);
  return per_call(measure([&] { for (std::int64_t i = 0; i < batch; ++i) f(); }, policy), batch);
}

// measure_batched for two functions, alternating batches as measure_interleaved does.
template <class FA, class FB>
std::pair<Timing, Timing> measure_batched_interleaved(FA&& fa, FB&& fb, const RepeatPolicy& policy,
                                                      double batch_seconds = 0.02) {
  const std::int64_t batch_a = calibrate_batch(fa, batch_seconds);
  const std::int64_t batch_b = calibrate_batch(fb, batch_seconds);
  auto [a, b] = measure_interleaved([&] { for (std::int64_t i = 0; i < batch_a; ++i) fa(); },
                                    [&] { for (std::int64_t i = 0; i < batch_b; ++i) fb(); }, policy);
  return {per_call(a, batch_a), per_call(b, batch_b)};
}

}  // namespace bench
