// ssa_bench: axisim's stochastic simulation against a hand-written Gillespie for the same
// networks (reaction firings per second, one thread), and the ensemble's replicates per second
// on one and two threads. Figures in docs/performance.md ("Stochastic simulation").
//
//   build/bench/ssa_bench [--quick] [--json FILE]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
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

Rate axisim_rate(const bench::SsaNetwork& net, axisim::Backend backend, std::uint64_t replicates, int repeats) {
  const axisim::Model model = axisim::Model::from_string(net.sbml());
  std::vector<axisim::OutputSpec> outputs;
  for (const std::string& s : net.species) outputs.push_back({s, axisim::Quantity::Amount});
  const axisim::StochasticSimulator ssa(model, outputs, backend);
  axisim::StochasticOptions o;
  o.end = net.end;
  o.steps = net.steps;
  o.seed = kSeed;
  std::vector<double> rates;
  Rate r;
  for (int i = 0; i < repeats; ++i) {
    axisim::StochasticStats stats;
    const auto t0 = Clock::now();
    const axisim::EnsembleStatistics s = ssa.statistics(o, 0, replicates, &stats);
    const double dt = seconds_since(t0);
    rates.push_back(static_cast<double>(stats.firings) / dt);
    r.firings = stats.firings;
    r.mean = s.mean(static_cast<std::size_t>(net.steps), 0);
    r.sd = s.sd(static_cast<std::size_t>(net.steps), 0);
    if (backend == axisim::Backend::Native && stats.backend != "native") {
      std::fprintf(stderr, "ssa_bench: native code was not used (no C compiler?)\n");
      std::exit(3);
    }
  }
  r.firings_per_second = median(rates);
  return r;
}

Rate handwritten_rate(const bench::SsaNetwork& net, std::uint64_t replicates, int repeats) {
  bench::HandwrittenSsa ssa(net);
  std::vector<double> rates, out;
  Rate r;
  for (int i = 0; i < repeats; ++i) {
    std::uint64_t firings = 0;
    double sum = 0, sum2 = 0;
    const auto t0 = Clock::now();
    for (std::uint64_t k = 0; k < replicates; ++k) {
      firings += ssa.run(axisim::replicate_seed(kSeed, k), out);
      const double x = out[static_cast<std::size_t>(net.steps) * net.species.size()];
      sum += x;
      sum2 += x * x;
    }
    rates.push_back(static_cast<double>(firings) / seconds_since(t0));
    r.firings = firings;
    const double n = static_cast<double>(replicates);
    r.mean = sum / n;
    r.sd = std::sqrt(std::max(0.0, (sum2 - sum * sum / n) / (n - 1)));
  }
  r.firings_per_second = median(rates);
  return r;
}

// Replicates per second of an ensemble (statistics) on `threads` threads.
double replicates_per_second(const bench::SsaNetwork& net, int threads, std::uint64_t replicates, int repeats) {
  const axisim::Model model = axisim::Model::from_string(net.sbml());
  const axisim::StochasticSimulator ssa(model, {}, axisim::Backend::Native);
  axisim::StochasticOptions o;
  o.end = net.end;
  o.steps = net.steps;
  o.seed = kSeed;
  o.threads = threads;
  std::vector<double> rates;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    ssa.statistics(o, 0, replicates);
    rates.push_back(static_cast<double>(replicates) / seconds_since(t0));
  }
  return median(rates);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string json;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--json" && i + 1 < argc) json = argv[++i];
    else {
      std::fprintf(stderr, "usage: ssa_bench [--quick] [--json FILE]\n");
      return 2;
    }
  }
  const int repeats = quick ? 1 : 5;
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
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const auto& [net, reps] = cases[c];
    const Rate hand = handwritten_rate(net, reps, repeats);
    const Rate native = axisim_rate(net, axisim::Backend::Native, reps, repeats);
    const Rate interp = axisim_rate(net, axisim::Backend::Interpreter, reps, repeats);
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

  const bench::SsaNetwork scaling = bench::birth_death();
  const std::uint64_t reps = quick ? 64 : 1024;
  const double one = replicates_per_second(scaling, 1, reps, repeats);
  const double two = replicates_per_second(scaling, 2, reps, repeats);
  std::printf("\nEnsemble of %llu replicates of %s (native): %.1f replicates/s on 1 thread, %.1f on 2 (%.2fx)\n",
              static_cast<unsigned long long>(reps), scaling.name.c_str(), one, two, two / one);
  char line[256];
  std::snprintf(line, sizeof line, "  \"threads\": {\"replicates\": %llu, \"one\": %.6g, \"two\": %.6g}\n}\n",
                static_cast<unsigned long long>(reps), one, two);
  out += line;
  if (!json.empty()) std::ofstream(json) << out;
  if (!agree_all) {
    std::fprintf(stderr, "ssa_bench: axisim and the hand-written Gillespie disagree on a network\n");
    return 3;
  }
  return 0;
}
