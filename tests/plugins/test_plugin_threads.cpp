// test_plugin_threads.cpp — re-entrancy: one library serves many simulations at once. Several
// threads simulate copies of one Model with all four tissue plugins attached; every result must
// equal, bit for bit, the same run done alone.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "plugin_test_support.hpp"

namespace {

axisim::Model all_four() {
  axisim::Model m = pt::tissue_model();
  for (const char* name : {"bone", "muscle", "metabolic", "gut-barrier"}) m.attach(pt::load(name));
  return m;
}

// Inputs away from baseline, so that every plugin state moves; `k` varies them per thread.
void perturb(axisim::Model& m, int k) {
  const pt::References r = pt::references();
  m.set_value("IGF_f", r.igf * (1.0 + 0.25 * k));
  m.set_value("Bu_epi", 1.0 + k);
  m.set_value("Xmic", 1.0 - 0.1 * k);
  m.set_value("Ac_p", r.ac + 10.0 * k);
  m.set_value("Pr_p", r.pr + k);
}

const std::vector<std::string> kColumns{"Bu_col", "barrier_integrity", "bone.R", "bone.B", "bone.C", "bone.BMD",
                                        "bone.formation_rate", "muscle.M", "muscle.FSR", "metabolic.S_I",
                                        "metabolic.HOMA_IR", "gut-barrier.T", "gut-barrier.TEER_pct"};

bool same(const axisim::Result& a, const axisim::Result& b) {
  if (a.columns() != b.columns() || a.rows() != b.rows() || a.error != b.error) return false;
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t j = 0; j < a.cols(); ++j)
      if (a.at(i, j) != b.at(i, j)) return false;
  return true;
}

}  // namespace

TEST_CASE("threads simulating copies of one Model with all four plugins agree with a lone run", "[plugins][threads]") {
  const axisim::Model base = all_four();
  constexpr int kThreads = 8, kRepeats = 3;
  const double end = 2000.0;
  const int steps = 40;

  SECTION("the same model everywhere") {
    axisim::Model m = base;
    perturb(m, 2);
    const axisim::Result reference = pt::run(m, end, steps, kColumns);
    REQUIRE(reference.error.empty());
    REQUIRE(reference.rows() == 41);
    std::vector<int> agree(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        const axisim::Model copy = m;  // a copy per thread, sharing the compiled system and the plugins
        for (int k = 0; k < kRepeats; ++k) agree[t] += same(pt::run(copy, end, steps, kColumns), reference) ? 1 : 0;
      });
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) CHECK(agree[t] == kRepeats);
  }

  SECTION("different inputs on each thread, at once") {
    std::vector<axisim::Model> models;
    std::vector<axisim::Result> alone;
    for (int t = 0; t < kThreads; ++t) {
      models.push_back(base);
      perturb(models.back(), t);
      alone.push_back(pt::run(models.back(), end, steps, kColumns));
      REQUIRE(alone.back().error.empty());
    }
    // The runs differ from one another, so a mix-up between threads would show.
    CHECK_FALSE(same(alone[0], alone[1]));
    std::vector<axisim::Result> together(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int k = 0; k < kRepeats; ++k) together[t] = pt::run(models[t], end, steps, kColumns);
      });
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
      INFO("thread " << t);
      CHECK(same(together[t], alone[t]));
    }
  }
}
