// The public stochastic API (axisim/stochastic.hpp): statistics, blocks of replicates spread
// over threads, results merged in block order whatever the thread count.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "axisim/error.hpp"
#include "axisim/stochastic.hpp"
#include "ir/undefined_values.hpp"
#include "model_access.hpp"
#include "stochastic/random.hpp"
#include "stochastic/ssa_model.hpp"
#include "stochastic/ssa_run.hpp"

namespace axisim {

std::uint64_t replicate_seed(std::uint64_t seed, std::uint64_t replicate) {
  return detail::replicate_seed_of(seed, replicate);
}

// ---- EnsembleStatistics ----

EnsembleStatistics::EnsembleStatistics(std::vector<std::string> outputs, std::vector<double> times)
    : outputs_(std::move(outputs)), times_(std::move(times)) {
  mean_.assign(outputs_.size() * times_.size(), 0.0);
  m2_.assign(mean_.size(), 0.0);
}

void EnsembleStatistics::add(const double* values) {
  for (std::size_t i = 0; i < mean_.size(); ++i) add_value(i, values[i]);
  finish_replicate();
}

void EnsembleStatistics::merge(const EnsembleStatistics& other) {
  if (other.outputs_ != outputs_ || other.times_ != times_)
    throw Error(ErrorKind::Usage, "cannot merge statistics of different outputs or output times");
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_), nb = static_cast<double>(other.count_), n = na + nb;
  for (std::size_t i = 0; i < mean_.size(); ++i) {
    const double delta = other.mean_[i] - mean_[i];
    mean_[i] += delta * (nb / n);
    m2_[i] += other.m2_[i] + delta * delta * (na * nb / n);
  }
  count_ += other.count_;
}

double EnsembleStatistics::sd(std::size_t time, std::size_t output) const {
  if (count_ < 2) return std::nan("");
  const double m2 = m2_[time * outputs_.size() + output];
  return std::sqrt(std::max(0.0, m2) / static_cast<double>(count_ - 1));
}

Result EnsembleStatistics::table() const {
  std::vector<std::string> columns{"time"};
  for (const std::string& o : outputs_) {
    columns.push_back(o + "-mean");
    columns.push_back(o + "-sd");
  }
  Result r(std::move(columns));
  std::vector<double> row(r.cols());
  for (std::size_t k = 0; k < times_.size(); ++k) {
    row[0] = times_[k];
    for (std::size_t c = 0; c < outputs_.size(); ++c) {
      row[1 + 2 * c] = count_ > 0 ? mean(k, c) : std::nan("");
      row[2 + 2 * c] = sd(k, c);
    }
    r.append_row(row);
  }
  return r;
}

namespace {

std::string hex(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%a", x);
  return buffer;
}

}  // namespace

std::string EnsembleStatistics::serialize() const {
  std::ostringstream out;
  out << "axisim-ensemble-statistics 1\n" << count_ << ' ' << outputs_.size() << ' ' << times_.size() << '\n';
  for (const std::string& o : outputs_) out << o << '\n';
  for (double t : times_) out << hex(t) << '\n';
  for (std::size_t i = 0; i < mean_.size(); ++i) out << hex(mean_[i]) << ' ' << hex(m2_[i]) << '\n';
  out << "end\n";
  return out.str();
}

EnsembleStatistics EnsembleStatistics::parse(const std::string& text, const std::string& what) {
  auto bad = [&](const std::string& why) -> EnsembleStatistics {
    throw Error(ErrorKind::Io, what + ": not an ensemble statistics file (" + why + ")");
  };
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "axisim-ensemble-statistics 1") return bad("header");
  std::uint64_t count = 0;
  std::size_t no = 0, nt = 0;
  if (!(in >> count >> no >> nt) || no > 1000000 || nt > 100000000) return bad("sizes");
  std::getline(in, line);
  std::vector<std::string> outputs(no);
  for (std::string& o : outputs)
    if (!std::getline(in, o)) return bad("outputs");
  auto number = [&](double& x) {
    std::string word;
    if (!(in >> word)) return false;
    char* end = nullptr;
    x = std::strtod(word.c_str(), &end);
    return end != word.c_str() && *end == '\0';
  };
  std::vector<double> times(nt);
  for (double& t : times)
    if (!number(t)) return bad("times");
  EnsembleStatistics s(std::move(outputs), std::move(times));
  s.count_ = count;
  for (std::size_t i = 0; i < s.mean_.size(); ++i)
    if (!number(s.mean_[i]) || !number(s.m2_[i])) return bad("values");
  std::string end;
  if (!(in >> end) || end != "end") return bad("truncated");
  return s;
}

// ---- StochasticSimulator ----

struct StochasticSimulator::Impl {
  Model model;  // keeps the compiled system alive
  std::unique_ptr<detail::SsaModel> ssa;
  std::vector<detail::SsaOutput> outputs;
};

StochasticSimulator::StochasticSimulator(StochasticSimulator&&) noexcept = default;
StochasticSimulator& StochasticSimulator::operator=(StochasticSimulator&&) noexcept = default;
StochasticSimulator::~StochasticSimulator() = default;

StochasticSimulator::StochasticSimulator(const Model& model, const std::vector<OutputSpec>& outputs, Backend backend)
    : impl_(std::make_unique<Impl>(Impl{model, nullptr, {}})) {
  using detail::ModelAccess;
  const detail::CompiledSystem& sys = ModelAccess::system(impl_->model);
  const auto& plugins = ModelAccess::plugins(impl_->model);
  if (!plugins.empty())
    throw Error(ErrorKind::Unsupported,
                sys.ir().source + ": unsupported by stochastic simulation (SSA): tissue plugin '" +
                    plugins.front()->plugin.name() +
                    "' is attached; its states are continuous and integrated with the model's ODEs, which a jump "
                    "process does not have");
  if (outputs.empty()) {
    for (std::uint32_t s = 0; s < sys.ir().symbols.size(); ++s) {
      const detail::Symbol& sym = sys.ir().symbols[s];
      if (sym.kind == SymbolKind::Species && !sym.internal) {
        columns_.push_back(sym.id);
        impl_->outputs.push_back({s, Quantity::Default});
      }
    }
  } else {
    for (const OutputSpec& o : outputs) {
      if (ModelAccess::names_time(impl_->model, o.id)) continue;  // the first column already
      const std::uint32_t s = ModelAccess::symbol(impl_->model, o.id);
      if (o.quantity != Quantity::Default && sys.ir().symbols[s].kind != SymbolKind::Species)
        throw Error(ErrorKind::Usage, "'" + o.id + "' is not a species; it has no amount or concentration");
      columns_.push_back(o.id);
      impl_->outputs.push_back({s, o.quantity});
    }
  }
  ModelAccess::require_defined(impl_->model);
  impl_->ssa = std::make_unique<detail::SsaModel>(sys, ModelAccess::overrides(impl_->model), backend, sys.ir().source);
}

double StochasticSimulator::molecules_per_substance() const { return impl_->ssa->items_per_substance(); }

std::vector<double> StochasticSimulator::times(const StochasticOptions& o) {
  std::vector<double> t;
  for (int k = 0; k <= o.steps; ++k)
    t.push_back(k == o.steps ? o.end : o.start + (o.end - o.start) * k / o.steps);
  return t;
}

namespace {

void check(const StochasticOptions& o) {
  auto bad = [](const std::string& what) { throw Error(ErrorKind::Usage, what); };
  if (!std::isfinite(o.start) || !std::isfinite(o.end)) bad("start and end times must be finite");
  if (!std::isfinite(o.time0) || o.time0 < 0) bad("the initial time must be finite and not negative");
  if (o.start < o.time0) bad("the start time must not be before the initial time (the model's initial state holds there)");
  if (o.method != StochasticMethod::Exact) {
    if (!(o.tau_epsilon > 0 && o.tau_epsilon < 1)) bad("the tau-leaping epsilon must be between 0 and 1");
    if (o.tau_critical < 1) bad("the tau-leaping critical-reaction threshold must be at least 1");
    if (!(o.tau_delta > 0 && o.tau_delta < 1)) bad("the tau-leaping partial-equilibrium delta must be between 0 and 1");
    if (!(o.tau_stiff >= 1 && std::isfinite(o.tau_stiff))) bad("the adaptive tau-leaping stiffness ratio must be at least 1");
  }
  if (o.method == StochasticMethod::Hybrid) {
    if (!(o.switch_tol > 0 && o.switch_tol < 1)) bad("the hybrid method's switching tolerance must be between 0 and 1");
    if (!(o.switch_min >= 0 && std::isfinite(o.switch_min))) bad("the hybrid method's switch_min must be finite and not negative");
  }
  if (o.end < o.start) bad("the end time must not be before the start time");
  if (o.steps < 0) bad("the number of steps must not be negative");
  if (o.steps == 0 && o.end != o.start) bad("zero steps needs end equal to start");
  if (o.threads < 1) bad("the number of threads must be at least 1");
}

// Runs blocks [0, nblocks) on `threads` threads, each with its own SsaRun; produce(run, b)
// returns block b's result, consume(b, result) is called for b = 0, 1, 2, ... in that order
// (under a lock), whatever order the blocks finish in. The first exception stops the others and
// is rethrown.
template <class R, class Produce, class Consume>
void run_blocks(const detail::SsaModel& model, const std::vector<detail::SsaOutput>& outputs,
                const StochasticOptions& options, std::uint64_t nblocks, Produce produce, Consume consume, StochasticStats* stats) {
  const auto started = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::map<std::uint64_t, R> ready;
  std::uint64_t to_consume = 0;
  std::exception_ptr failure;
  detail::SsaCounters total;
  auto worker = [&] {
    try {
      detail::SsaRun run(model, outputs);
      run.configure(options);
      while (!stop.load(std::memory_order_relaxed)) {
        const std::uint64_t b = next.fetch_add(1);
        if (b >= nblocks) break;
        const auto block_started = std::chrono::steady_clock::now();
        R result = produce(run, b);
        model.note_simulated(std::chrono::duration<double>(std::chrono::steady_clock::now() - block_started).count());
        std::lock_guard lock(mutex);
        ready.emplace(b, std::move(result));
        for (auto it = ready.find(to_consume); it != ready.end(); it = ready.find(to_consume)) {
          consume(to_consume, std::move(it->second));
          ready.erase(it);
          ++to_consume;
        }
      }
      std::lock_guard lock(mutex);
      total.firings += run.counters().firings;
      total.events += run.counters().events;
      total.leaps += run.counters().leaps;
      total.implicit_leaps += run.counters().implicit_leaps;
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  const int threads = options.threads;
  const int n = static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max(1, threads)),
                                                         std::max<std::uint64_t>(nblocks, 1)));
  if (n == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (int i = 0; i < n; ++i) pool.emplace_back(worker);
  }
  if (failure) std::rethrow_exception(failure);
  if (stats) {
    stats->firings += total.firings;
    stats->events += total.events;
    stats->leaps += total.leaps;
    stats->implicit_leaps += total.implicit_leaps;
    stats->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stats->selection = model.use_tree() ? "sum tree" : "linear search";
    stats->backend = model.native() ? "native" : "interpreter";
  }
}

// Block b of [first, first + count): replicates [lo, hi), the blocks aligned at multiples of kBlock.
struct Blocks {
  std::uint64_t first, end, first_block, n;
  Blocks(std::uint64_t first_, std::uint64_t count) : first(first_), end(first_ + count) {
    constexpr std::uint64_t K = StochasticSimulator::kBlock;
    first_block = first / K;
    n = count == 0 ? 0 : (end - 1) / K - first_block + 1;
  }
  std::uint64_t lo(std::uint64_t b) const { return std::max(first, (first_block + b) * StochasticSimulator::kBlock); }
  std::uint64_t hi(std::uint64_t b) const { return std::min(end, (first_block + b + 1) * StochasticSimulator::kBlock); }
};

// Where replicate r of a call over [first, ...) starts (StochasticOptions::from): the state of
// its index modulo their number; nullptr without `from`.
using Snapshots = std::vector<const detail::RunSnapshot*>;
const detail::RunSnapshot* start_of(const Snapshots& from, std::uint64_t first, std::uint64_t r) {
  return from.empty() ? nullptr : from[(r - first) % from.size()];
}

// Where a run ended, with the model it belongs to and the first run's initial values.
struct EndOf {
  std::shared_ptr<const Model::Impl> model;
  std::vector<detail::InitialOverride> initial;
  std::shared_ptr<detail::RunSnapshot> operator()(const detail::SsaRun& run, const detail::RunSnapshot* from) const {
    auto end = std::make_shared<detail::RunSnapshot>();
    run.snapshot(*end);
    end->model = model;
    end->initial = from ? from->initial : initial;
    return end;
  }
};

// A block's results: its statistics or rows, and its runs' end states when asked for.
template <class R>
struct BlockOut {
  R result;
  std::vector<std::shared_ptr<detail::RunSnapshot>> ends;
};

// Block b's statistics: its replicates in order, each cell by Welford's update.
BlockOut<EnsembleStatistics> block(detail::SsaRun& run, const Blocks& blocks, std::uint64_t b,
                                   const StochasticOptions& options, const std::vector<std::string>& columns,
                                   const std::vector<double>& times, const Snapshots& from, const EndOf* end_of) {
  BlockOut<EnsembleStatistics> out{EnsembleStatistics(columns, times), {}};
  EnsembleStatistics& s = out.result;
  const std::size_t nc = columns.size();
  for (std::uint64_t r = blocks.lo(b); r < blocks.hi(b); ++r) {
    const detail::RunSnapshot* start = start_of(from, blocks.first, r);
    run.run(
        replicate_seed(options.seed, r), times,
        [&](std::size_t k, const double* row) {
          for (std::size_t c = 0; c < nc; ++c) s.add_value(k * nc + c, row[c]);
        },
        start);
    s.finish_replicate();
    if (end_of) out.ends.push_back((*end_of)(run, start));
  }
  return out;
}

}  // namespace

void StochasticSimulator::check_from(const StochasticOptions& options) const {
  if (!options.from) return;
  if (options.from->empty()) throw Error(ErrorKind::Usage, "the run states to continue from (StochasticOptions::from) are none");
  const detail::CompiledSystem& sys = detail::ModelAccess::system(impl_->model);
  const auto& self = detail::ModelAccess::impl(impl_->model);
  for (std::size_t i = 0; i < options.from->size(); ++i) {
    const RunState& state = (*options.from)[i];
    const std::string which = "run state " + std::to_string(i) + " to continue from (StochasticOptions::from)";
    if (state.empty()) throw Error(ErrorKind::Usage, which + " is empty (no run has filled it)");
    const detail::RunSnapshot& snap = *state.snapshot_;
    if (snap.model != self || snap.values.size() != sys.ir().symbols.size() ||
        snap.triggers.size() != sys.events().size())
      throw Error(ErrorKind::Usage, which + " comes from another model than '" + impl_->model.id() + "'");
    if (!snap.plugin_states.empty())
      throw Error(ErrorKind::Usage, which + " holds tissue plugins' states, which stochastic simulation does not have");
    for (const detail::RunSnapshot::Pending& p : snap.pending)
      if (p.event >= sys.events().size() ||
          (sys.events()[p.event].use_values_from_trigger_time && p.values.size() != sys.events()[p.event].targets.size()))
        throw Error(ErrorKind::Usage, which + " does not belong to this model (a pending event's values)");
    if (!(snap.time <= options.start))
      throw Error(ErrorKind::Usage, which + " ends at t = " + std::to_string(snap.time) +
                                        ", after the first output time " + std::to_string(options.start));
  }
}

Result StochasticSimulator::trajectory(const StochasticOptions& options, std::uint64_t replicate,
                                       StochasticStats* stats, RunState* end) const {
  StochasticOptions one = options;
  one.threads = 1;
  std::vector<RunState> ends;
  Result r = trajectories(one, replicate, 1, stats, end ? &ends : nullptr);
  if (end) *end = std::move(ends.at(0));
  std::vector<std::string> columns{"time"};
  columns.insert(columns.end(), columns_.begin(), columns_.end());
  Result out(std::move(columns));
  for (std::size_t i = 0; i < r.rows(); ++i) out.append_row(r.row(i).subspan(1));
  return out;
}

namespace {

// The snapshots behind options.from, in order (empty without it).
Snapshots snapshots_of(const StochasticOptions& options, const std::function<const detail::RunSnapshot*(const RunState&)>& get) {
  Snapshots out;
  if (options.from)
    for (const RunState& s : *options.from) out.push_back(get(s));
  return out;
}

}  // namespace

std::vector<EnsembleStatistics> StochasticSimulator::block_statistics(const StochasticOptions& options,
                                                                      std::uint64_t first, std::uint64_t count,
                                                                      StochasticStats* stats) const {
  check(options);
  check_from(options);
  const Snapshots from = snapshots_of(options, [](const RunState& s) { return s.snapshot_.get(); });
  const std::vector<double> t = times(options);
  const Blocks blocks(first, count);
  std::vector<EnsembleStatistics> out;
  out.reserve(blocks.n);
  run_blocks<BlockOut<EnsembleStatistics>>(
      *impl_->ssa, impl_->outputs, options, blocks.n,
      [&](detail::SsaRun& run, std::uint64_t b) { return block(run, blocks, b, options, columns_, t, from, nullptr); },
      [&](std::uint64_t, BlockOut<EnsembleStatistics>&& s) { out.push_back(std::move(s.result)); }, stats);
  if (stats) stats->replicates += count;
  return out;
}

EnsembleStatistics StochasticSimulator::statistics(const StochasticOptions& options, std::uint64_t first,
                                                   std::uint64_t count, StochasticStats* stats,
                                                   std::vector<RunState>* ends) const {
  check(options);
  check_from(options);
  const Snapshots from = snapshots_of(options, [](const RunState& s) { return s.snapshot_.get(); });
  const EndOf end_of{detail::ModelAccess::impl(impl_->model), detail::ModelAccess::overrides(impl_->model)};
  const std::vector<double> t = times(options);
  const Blocks blocks(first, count);
  EnsembleStatistics total(columns_, t);
  std::vector<RunState> kept;
  run_blocks<BlockOut<EnsembleStatistics>>(
      *impl_->ssa, impl_->outputs, options, blocks.n,
      [&](detail::SsaRun& run, std::uint64_t b) {
        return block(run, blocks, b, options, columns_, t, from, ends ? &end_of : nullptr);
      },
      [&](std::uint64_t, BlockOut<EnsembleStatistics>&& s) {
        total.merge(s.result);
        for (auto& e : s.ends) {
          kept.emplace_back();
          kept.back().snapshot_ = std::move(e);
        }
      },
      stats);
  if (stats) stats->replicates += count;
  if (ends) *ends = std::move(kept);
  return total;
}

Result StochasticSimulator::trajectories(const StochasticOptions& options, std::uint64_t first, std::uint64_t count,
                                         StochasticStats* stats, std::vector<RunState>* ends) const {
  check(options);
  check_from(options);
  const Snapshots from = snapshots_of(options, [](const RunState& s) { return s.snapshot_.get(); });
  const EndOf end_of{detail::ModelAccess::impl(impl_->model), detail::ModelAccess::overrides(impl_->model)};
  const std::vector<double> t = times(options);
  const Blocks blocks(first, count);
  std::vector<std::string> columns{"replicate", "time"};
  columns.insert(columns.end(), columns_.begin(), columns_.end());
  Result out(std::move(columns));
  const std::size_t width = out.cols();
  std::vector<RunState> kept;
  run_blocks<BlockOut<std::vector<double>>>(
      *impl_->ssa, impl_->outputs, options, blocks.n,
      [&](detail::SsaRun& run, std::uint64_t b) {
        BlockOut<std::vector<double>> block_out;
        std::vector<double>& rows = block_out.result;
        rows.reserve((blocks.hi(b) - blocks.lo(b)) * t.size() * width);
        for (std::uint64_t r = blocks.lo(b); r < blocks.hi(b); ++r) {
          const detail::RunSnapshot* start = start_of(from, blocks.first, r);
          run.run(
              replicate_seed(options.seed, r), t,
              [&](std::size_t k, const double* row) {
                rows.push_back(static_cast<double>(r));
                rows.push_back(t[k]);
                rows.insert(rows.end(), row, row + (width - 2));
              },
              start);
          if (ends) block_out.ends.push_back(end_of(run, start));
        }
        return block_out;
      },
      [&](std::uint64_t, BlockOut<std::vector<double>>&& block_out) {
        const std::vector<double>& rows = block_out.result;
        for (std::size_t i = 0; i < rows.size(); i += width) out.append_row({rows.data() + i, width});
        for (auto& e : block_out.ends) {
          kept.emplace_back();
          kept.back().snapshot_ = std::move(e);
        }
      },
      stats);
  if (stats) stats->replicates += count;
  if (ends) *ends = std::move(kept);
  return out;
}

}  // namespace axisim
