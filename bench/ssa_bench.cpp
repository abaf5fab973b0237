// ssa_bench: axisim's stochastic simulation against a hand-written Gillespie for the same
// networks (reaction firings per second, one thread), and the ensemble's replicates per second
// on one and two threads. Figures in docs/performance.md ("Stochastic simulation").
//
//   build/bench/ssa_bench [--quick] [--threads-only] [--json FILE]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/stochastic.hpp"
#include "handwritten_ssa.hpp"
#include "machine.hpp"
#include "ssa_networks.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct Rate {
  double firings_per_second = 0;
  std::uint64_t firings = 0;
  double mean = 0, sd = 0;  // species 0 at the last output time, over the replicates
};

constexpr std::uint64_t kSeed = 2024;

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

axisim::StochasticOptions options_for(const bench::SsaNetwork& net, int threads) {
  axisim::StochasticOptions o;
  o.end = net.end;
  o.steps = net.steps;
  o.seed = kSeed;
  o.threads = threads;
  return o;
}

// One sample of axisim: `replicates` replicates on one thread; firings per second.
double axisim_sample(const axisim::StochasticSimulator& ssa, const bench::SsaNetwork& net, std::uint64_t replicates,
                     Rate& r, bool need_native) {
  axisim::StochasticStats stats;
  const auto t0 = Clock::now();
  const axisim::EnsembleStatistics s = ssa.statistics(options_for(net, 1), 0, replicates, &stats);
  const double dt = seconds_since(t0);
  r.firings = stats.firings;
  r.mean = s.mean(static_cast<std::size_t>(net.steps), 0);
  r.sd = s.sd(static_cast<std::size_t>(net.steps), 0);
  if (need_native && stats.backend != "native") {
    std::fprintf(stderr, "ssa_bench: native code was not used (no C compiler?)\n");
    std::exit(3);
  }
  return static_cast<double>(stats.firings) / dt;
}

double handwritten_sample(bench::HandwrittenSsa& ssa, const bench::SsaNetwork& net, std::uint64_t replicates, Rate& r) {
  std::vector<double> out;
  std::uint64_t firings = 0;
  double sum = 0, sum2 = 0;
  const auto t0 = Clock::now();
  for (std::uint64_t k = 0; k < replicates; ++k) {
    firings += ssa.run(axisim::replicate_seed(kSeed, k), out);
    const double x = out[static_cast<std::size_t>(net.steps) * net.species.size()];
    sum += x;
    sum2 += x * x;
  }
  const double dt = seconds_since(t0);
  r.firings = firings;
  const double n = static_cast<double>(replicates);
  r.mean = sum / n;
  r.sd = std::sqrt(std::max(0.0, (sum2 - sum * sum / n) / (n - 1)));
  return static_cast<double>(firings) / dt;
}

// The three measured side by side, one sample of each per round, so that a change in the
// machine's load hits all three alike; medians over the rounds.
void firing_rates(const bench::SsaNetwork& net, std::uint64_t replicates, int repeats, Rate& hand, Rate& native,
                  Rate& interp) {
  const axisim::Model model = axisim::Model::from_string(net.sbml());
  std::vector<axisim::OutputSpec> outputs;
  for (const std::string& s : net.species) outputs.push_back({s, axisim::Quantity::Amount});
  const axisim::StochasticSimulator native_ssa(model, outputs, axisim::Backend::Native);
  const axisim::StochasticSimulator interp_ssa(model, outputs, axisim::Backend::Interpreter);
  bench::HandwrittenSsa hand_ssa(net);
  std::vector<double> h, n, i;
  for (int k = 0; k < repeats; ++k) {
    h.push_back(handwritten_sample(hand_ssa, net, replicates, hand));
    n.push_back(axisim_sample(native_ssa, net, replicates, native, true));
    i.push_back(axisim_sample(interp_ssa, net, replicates, interp, false));
  }
  hand.firings_per_second = median(h);
  native.firings_per_second = median(n);
  interp.firings_per_second = median(i);
}

// The machine's own parallelism right now: a loop of additions on 1 and on 2 threads, the same
// work per thread. On a shared machine whose other processes hold a core, 2 threads take twice
// as long here too, and no program can show a speed-up.
double spin_seconds(int threads) {
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([] {
      volatile double x = 0;
      for (long k = 0; k < 100'000'000; ++k) x = x + 1.0;
    });
  for (std::thread& t : pool) t.join();
  return seconds_since(t0);
}

// The same kind of work with nothing shared: the hand-written Gillespie, `replicates` of them
// split between `threads` threads each with its own simulator. Replicates per second.
double handwritten_ensemble(const bench::SsaNetwork& net, int threads, std::uint64_t replicates) {
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      bench::HandwrittenSsa ssa(net);
      std::vector<double> out;
      for (std::uint64_t k = static_cast<std::uint64_t>(i); k < replicates; k += static_cast<std::uint64_t>(threads))
        ssa.run(axisim::replicate_seed(kSeed, k), out);
    });
  for (std::thread& t : pool) t.join();
  return static_cast<double>(replicates) / seconds_since(t0);
}

struct Scaling {
  double wall = 0, cpu = 0;  // per replicate (medians)
};

// An ensemble (statistics) on `threads` threads: wall and process CPU seconds per replicate.
Scaling ensemble(const axisim::StochasticSimulator& ssa, const bench::SsaNetwork& net, int threads,
                 std::uint64_t replicates, int repeats) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    const double c0 = cpu_seconds();
    ssa.statistics(options_for(net, threads), 0, replicates);
    cpu.push_back((cpu_seconds() - c0) / static_cast<double>(replicates));
    wall.push_back(seconds_since(t0) / static_cast<double>(replicates));
  }
  return {median(wall), median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, threads_only = false;
  std::string json;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--threads-only") threads_only = true;
    else if (a == "--json" && i + 1 < argc) json = argv[++i];
    else {
      std::fprintf(stderr, "usage: ssa_bench [--quick] [--threads-only] [--json FILE]\n");
      return 2;
    }
  }
  const int repeats = quick ? 1 : 9;
  const std::string machine = bench::cpu_model() + ", load average " + bench::load_average() + ", " + bench::now_utc();
  std::printf("%s\n", machine.c_str());

  struct Case {
    bench::SsaNetwork net;
    std::uint64_t replicates;
  };
  std::vector<Case> cases{{bench::birth_death(), quick ? 20u : 200u},
                          {bench::dimerisation(), quick ? 2u : 20u},
                          {bench::random_network(30, 100, 7, 20.0), quick ? 5u : 50u},
                          {bench::random_network(300, 1000, 7, 2.0), quick ? 5u : 50u}};
  std::string out = "{\n  \"machine\": \"" + machine + "\",\n  \"firing_rates\": [\n";
  std::printf("\nReaction firings per second, one thread (median of %d runs)\n", repeats);
  std::printf("%-22s %9s %12s %14s %14s %14s %8s %8s %s\n", "network", "reactions", "firings/rep", "hand-written",
              "axisim native", "axisim interp", "native", "interp", "agreement");
  bool agree_all = true;
  for (std::size_t c = 0; c < cases.size() && !threads_only; ++c) {
    const auto& [net, reps] = cases[c];
    Rate hand, native, interp;
    firing_rates(net, reps, repeats, hand, native, interp);
    // The same network: the final means agree within 5 standard errors of their difference.
    const double se = std::sqrt((hand.sd * hand.sd + native.sd * native.sd) / static_cast<double>(reps));
    const bool agree = std::fabs(hand.mean - native.mean) <= 5 * se + 1e-12 && native.firings == interp.firings;
    agree_all = agree_all && agree;
    std::printf("%-22s %9zu %12.0f %14.3e %14.3e %14.3e %7.2fx %7.2fx %s (mean %.1f vs %.1f)\n", net.name.c_str(),
                net.reactions.size(), static_cast<double>(native.firings) / static_cast<double>(reps),
                hand.firings_per_second, native.firings_per_second, interp.firings_per_second,
                hand.firings_per_second / native.firings_per_second, hand.firings_per_second / interp.firings_per_second,
                agree ? "ok" : "DIFFERENT", hand.mean, native.mean);
    char line[512];
    std::snprintf(line, sizeof line,
                  "    {\"network\": \"%s\", \"reactions\": %zu, \"replicates\": %llu, \"handwritten\": %.6g, "
                  "\"native\": %.6g, \"interpreter\": %.6g}%s\n",
                  net.name.c_str(), net.reactions.size(), static_cast<unsigned long long>(reps),
                  hand.firings_per_second, native.firings_per_second, interp.firings_per_second,
                  c + 1 < cases.size() ? "," : "");
    out += line;
  }
  out += "  ],\n";

  // Selection: a linear scan against the tree of partial sums, by network size
  // (AXISIM_SSA_TREE_MIN moves the threshold: 1 always the tree, a large number never).
  if (!threads_only && (!quick || std::getenv("SSA_BENCH_SELECTION"))) {
    std::printf("\nSelection by network size: firings per second, native code, one thread (median of %d)\n", repeats);
    std::printf("%10s %14s %14s %8s\n", "reactions", "linear scan", "sum tree", "tree/scan");
    out += "  \"selection\": [\n";
    const int sizes[] = {12, 24, 48, 64, 96, 192};
    for (int m : sizes) {
      const bench::SsaNetwork net = bench::random_network(std::max(2, m / 3), m, 11, 20.0);
      const axisim::Model model = axisim::Model::from_string(net.sbml());
      setenv("AXISIM_SSA_TREE_MIN", "1000000000", 1);
      const axisim::StochasticSimulator scan(model, {}, axisim::Backend::Native);
      setenv("AXISIM_SSA_TREE_MIN", "1", 1);
      const axisim::StochasticSimulator tree(model, {}, axisim::Backend::Native);
      unsetenv("AXISIM_SSA_TREE_MIN");
      std::vector<double> a, b;
      Rate r;
      // About a million firings per sample.
      axisim_sample(scan, net, 2, r, true);
      const std::uint64_t n = quick ? 2 : std::max<std::uint64_t>(2, 2'000'000 / std::max<std::uint64_t>(r.firings, 1));
      for (int k = 0; k < repeats; ++k) {
        a.push_back(axisim_sample(scan, net, n, r, true));
        b.push_back(axisim_sample(tree, net, n, r, true));
      }
      std::printf("%10d %14.3e %14.3e %7.2fx\n", m, median(a), median(b), median(b) / median(a));
      char row[160];
      std::snprintf(row, sizeof row, "    {\"reactions\": %d, \"scan\": %.6g, \"tree\": %.6g}%s\n", m, median(a),
                    median(b), m == sizes[std::size(sizes) - 1] ? "" : ",");
      out += row;
    }
    out += "  ],\n";
  }

  // Threads: the same ensemble on 1 and 2 threads, alternately. Wall time per replicate gives the
  // speed-up; CPU time per replicate shows what the threads cost beyond the work itself (on a
  // machine whose other processes leave no core free, wall time cannot show a speed-up).
  const bench::SsaNetwork scaling = bench::birth_death();
  const std::uint64_t reps = quick ? 64 : 1024;
  const axisim::Model scaling_model = axisim::Model::from_string(scaling.sbml());
  const axisim::StochasticSimulator scaling_ssa(scaling_model, {}, axisim::Backend::Native);
  std::vector<double> w1, w2, c1, c2, s1, s2, h1, h2;
  for (int i = 0; i < repeats; ++i) {
    h1.push_back(handwritten_ensemble(scaling, 1, reps));
    h2.push_back(handwritten_ensemble(scaling, 2, reps));
    s1.push_back(spin_seconds(1));
    s2.push_back(spin_seconds(2));  // twice the work
    const Scaling one = ensemble(scaling_ssa, scaling, 1, reps, 1), two = ensemble(scaling_ssa, scaling, 2, reps, 1);
    w1.push_back(one.wall);
    w2.push_back(two.wall);
    c1.push_back(one.cpu);
    c2.push_back(two.cpu);
  }
  const double one = 1 / median(w1), two = 1 / median(w2);
  const double spin = 2 * median(s1) / median(s2);
  const double hand = median(h2) / median(h1);
  std::printf("\nEnsemble of %llu replicates of %s (native), median of %d: %.1f replicates/s on 1 thread, %.1f on 2 "
              "(%.2fx); CPU per replicate %.3f ms on 1 thread, %.3f ms on 2 (%.2fx); the machine's own speed-up "
              "(a loop of additions on 2 threads): %.2fx; the hand-written Gillespie's: %.2fx (%.1f and %.1f replicates/s); "
              "load average %s\n",
              static_cast<unsigned long long>(reps), scaling.name.c_str(), repeats, one, two, two / one,
              1e3 * median(c1), 1e3 * median(c2), median(c2) / median(c1), spin, hand, median(h1), median(h2),
              bench::load_average().c_str());
  char line[320];
  std::snprintf(line, sizeof line,
                "  \"threads\": {\"replicates\": %llu, \"one\": %.6g, \"two\": %.6g, \"cpu_one\": %.6g, \"cpu_two\": "
                "%.6g, \"machine_speedup\": %.6g, \"handwritten_speedup\": %.6g}\n}\n",
                static_cast<unsigned long long>(reps), one, two, median(c1), median(c2), spin, hand);
  out += line;
  if (!json.empty()) std::ofstream(json) << out;
  if (!agree_all) {
    std::fprintf(stderr, "ssa_bench: axisim and the hand-written Gillespie disagree on a network\n");
    return 3;
  }
  return 0;
}
