#include "mapper/mapper.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include "common/environment_error.hpp"
#include "common/internal_error.hpp"
#include "mapper/bounds.hpp"
#include "mapper/residual_search.hpp"
#include "mapper/search.hpp"

namespace outpace::mapper {

namespace {

using Clock = std::chrono::steady_clock;

/// What one thread found and did.
struct ThreadOutcome {
  MapperResult best;
  bool finished = false;  ///< its strategy ran out
  double pruned = 0;
  std::uint64_t cut = 0;
  bool exhaustive = false;
  std::atomic<bool> done{false};  ///< the thread has returned (for progress reports)
};

/// What ended a search early (SearchStats::stopped_by).
enum class StopReason : int { kNone, kTime, kEvaluations, kSteps, kStopFlag };

const char* reason_text(StopReason r) {
  switch (r) {
    case StopReason::kTime:
      return "time";
    case StopReason::kEvaluations:
      return "evaluations";
    case StopReason::kSteps:
      return "steps";
    case StopReason::kStopFlag:
      return "stop";
    case StopReason::kNone:
      break;
  }
  return "";
}

/// Shared budget state of one search.
struct Budget {
  const MapperOptions* options;
  Clock::time_point start;
  double lower_bound = 0;  ///< the space's lower bound (primary), for progress reports
  std::atomic<std::uint64_t> claimed{0};  ///< evaluations begun, over all threads
  std::atomic<std::uint64_t> steps{0};    ///< search steps taken, over all threads
  std::atomic<bool> over{false};
  std::atomic<StopReason> reason{StopReason::kNone};  ///< the first budget that ran out

  /// Ends the search for `why`, unless another reason already has.
  void end(StopReason why) {
    StopReason none = StopReason::kNone;
    reason.compare_exchange_strong(none, why);
    over = true;
  }
  /// Claims the right to one evaluation before it begins; false, and the search must stop,
  /// when max_evaluations are already claimed. So a search evaluates exactly max_evaluations
  /// mappings (unless it ends sooner) with any number of threads. Every 64 claims it also
  /// looks at the clock and the stop flag.
  bool claim() {
    const std::uint64_t n = claimed.fetch_add(1, std::memory_order_relaxed) + 1;
    const std::uint64_t max = options->max_evaluations;
    if (max && n > max) {
      end(StopReason::kEvaluations);
      return false;
    }
    if (max && n == max) end(StopReason::kEvaluations);  // this one is the last
    const bool steps_left = spend_steps(kStepsPerEvaluation);
    if ((n & 63) == 0) expired();
    return steps_left;
  }
  /// Counts `n` steps; false when they pass max_steps (the search must stop).
  bool spend_steps(std::uint64_t n) {
    const std::uint64_t max = options->max_steps;
    if (max && steps.fetch_add(n, std::memory_order_relaxed) + n > max) {
      end(StopReason::kSteps);
      return false;
    }
    if (!max) steps.fetch_add(n, std::memory_order_relaxed);
    return true;
  }
  /// Checks the stop flag and the clock; true when the search must stop.
  bool expired() {
    if (options->stop && options->stop->load(std::memory_order_relaxed)) end(StopReason::kStopFlag);
    if (options->time_limit_s > 0 &&
        std::chrono::duration<double>(Clock::now() - start).count() >= options->time_limit_s)
      end(StopReason::kTime);
    return over.load(std::memory_order_relaxed);
  }
};

bool better(const Cost& cost, const mapping::Mapping& m, const MapperResult& best) {
  if (!best.found) return true;
  if (cost < best.cost) return true;
  return cost == best.cost && mapping_before(m, best.mapping);
}

void run_thread(const MapSpace& space, const MapperOptions& options, const StrategyContext& ctx,
                Budget& budget, ThreadOutcome& out) {
  std::unique_ptr<SearchStrategy> strategy = make_strategy(options.strategy, ctx);
  OUTPACE_ASSERT(strategy != nullptr)
      << "unknown strategy '" << options.strategy << "' reached the mapper";
  out.exhaustive = strategy->exhaustive();
  while (!budget.over.load(std::memory_order_relaxed)) {
    const mapping::Mapping* m = strategy->next();
    if (!m) {  // ran out, unless it stopped because the budget did
      out.finished = !budget.over.load(std::memory_order_relaxed);
      break;
    }
    if (!budget.claim()) break;  // another thread took the last evaluation of the budget
    model::Result r = model::evaluate(space.einsum(), space.arch(), *m, options.model);
    Feedback fb;
    fb.valid = r.valid && space.meets_utilization(static_cast<double>(r.used_macs));
    if (fb.valid) {
      fb.cost = cost_of(options.objective, r);
      ++out.best.stats.valid;
      if (better(fb.cost, *m, out.best)) {
        out.best.stats.seconds_to_best = std::chrono::duration<double>(Clock::now() - budget.start).count();
        out.best.found = true;
        out.best.mapping = *m;
        out.best.result = std::move(r);
        out.best.cost = fb.cost;
      }
    }
    ++out.best.stats.evaluated;
    strategy->report(fb);
  }
  out.pruned = strategy->pruned();
  out.cut = strategy->cut();
  out.done = true;
}

/// How a phase ended: every thread's strategy ran out (none was cut by the budget), and whether
/// running out proves optimality.
struct PhaseEnd {
  bool finished = true;
  bool exhaustive = true;
};

/// Reports progress (MapperOptions::progress) until every thread of the phase has finished.
void watch(const MapperOptions& options, const std::string& phase, const Budget& budget,
           const Incumbent& incumbent, const std::vector<ThreadOutcome>& outcomes) {
  if (!options.progress) return;
  const auto all_done = [&] {
    return std::all_of(outcomes.begin(), outcomes.end(),
                       [](const ThreadOutcome& o) { return o.done.load(); });
  };
  const auto every = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.progress_every_s));
  auto next = Clock::now() + every;
  while (!all_done()) {
    std::this_thread::sleep_for(std::min<Clock::duration>(every, std::chrono::milliseconds(20)));
    if (Clock::now() < next) continue;
    next = Clock::now() + every;
    const std::uint64_t claimed = budget.claimed.load();  // refused claims past the budget too
    const std::uint64_t max = options.max_evaluations;
    options.progress({phase, std::chrono::duration<double>(Clock::now() - budget.start).count(),
                      max ? std::min(claimed, max) : claimed, incumbent.primary(),
                      budget.lower_bound});
  }
}

/// Runs one strategy on every thread; folds what they found and did into `result`.
PhaseEnd run_phase(const MapSpace& space, const MapperOptions& options, const std::string& strategy,
               bool warm_start, int threads, Budget& budget, Incumbent& incumbent, MapperResult& result) {
  std::vector<ThreadOutcome> outcomes(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  MapperOptions phase = options;
  phase.strategy = strategy;
  WorkQueue work;
  for (int i = 0; i < threads; ++i) {
    StrategyContext ctx{&space, options.objective, i, threads, options.seed, &incumbent, &work, options.model};
    ctx.should_stop = [&budget](std::uint64_t steps) {
      return !budget.spend_steps(steps) || budget.expired();
    };
    ctx.warm_start = warm_start;
    try {
      pool.emplace_back(run_thread, std::cref(space), phase, ctx, std::ref(budget),
                        std::ref(outcomes[static_cast<std::size_t>(i)]));
    } catch (const std::system_error& e) {
      budget.over = true;  // the threads already started stop at their next mapping
      for (std::thread& t : pool) t.join();
      throw EnvironmentError({}, "cannot start search thread " + std::to_string(i + 1) + " of " +
                                     std::to_string(threads) + ": " + e.code().message());
    }
  }
  watch(options, strategy, budget, incumbent, outcomes);
  for (std::thread& t : pool) t.join();
  PhaseEnd end;
  for (ThreadOutcome& o : outcomes) {
    end.exhaustive = end.exhaustive && o.exhaustive;
    result.stats.evaluated += o.best.stats.evaluated;
    result.stats.valid += o.best.stats.valid;
    result.stats.pruned += o.pruned;
    result.stats.cut += o.cut;
    end.finished = end.finished && o.finished;
    if (o.best.found && better(o.best.cost, o.best.mapping, result)) {
      result.found = true;
      result.mapping = o.best.mapping;
      result.result = std::move(o.best.result);
      result.cost = o.best.cost;
      result.stats.seconds_to_best = o.best.stats.seconds_to_best;
    }
  }
  return end;
}

MapperResult search(const MapSpace& space, const MapperOptions& options) {
  const int threads = options.threads > 0 ? options.threads
                                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  Budget budget{&options, Clock::now()};
  if (options.progress) {
    const Bound b = space_lower_bound(space, options.model);
    budget.lower_bound = cost_of(options.objective, b.energy_pj, b.cycles).primary;
  }
  Incumbent incumbent;
  MapperResult result;
  // Exhaustive search prunes against the best cost known: annealing first finds a good one.
  PhaseEnd end;
  if (options.strategy == "exhaustive")
    end = run_phase(space, options, "annealing", true, threads, budget, incumbent, result);
  if (end.finished) {
    const PhaseEnd main = run_phase(space, options, options.strategy, false, threads, budget, incumbent, result);
    end = {main.finished, main.exhaustive};
  }
  result.stats.strategy = options.strategy;
  result.stats.threads = threads;
  result.stats.seconds = std::chrono::duration<double>(Clock::now() - budget.start).count();
  result.stats.steps = budget.steps.load();
  result.stats.stopped = !end.finished;
  if (result.stats.stopped) result.stats.stopped_by = reason_text(budget.reason.load());
  result.stats.proven_optimal = end.finished && end.exhaustive;
  const Bound b = space_lower_bound(space, options.model);
  result.stats.lower_bound = result.stats.proven_optimal && result.found
                                 ? result.cost
                                 : cost_of(options.objective, b.energy_pj, b.cycles);
  return result;
}

/// The padded variants of an Einsum to search (residual_search.hpp): every bound padded, and
/// each bound that gains divisors padded alone.
std::vector<workload::Einsum> padded_variants(const workload::Einsum& e) {
  std::vector<workload::Einsum> variants(1, e);
  for (int d = 0; d < e.num_dims(); ++d) {
    const std::int64_t padded = padded_bound(e.bounds[d]);
    if (padded == e.bounds[d]) continue;
    variants.front().bounds[d] = padded;
    variants.push_back(e);
    variants.back().bounds[d] = padded;
  }
  if (variants.size() == 1) variants.clear();     // nothing to pad
  if (variants.size() == 2) variants.pop_back();  // one bound: the same variant twice
  return variants;
}

/// The padded bounds of a variant as text, e.g. "K=480".
std::string padded_text(const workload::Einsum& e, const workload::Einsum& padded) {
  std::string text;
  for (int d = 0; d < e.num_dims(); ++d)
    if (padded.bounds[d] != e.bounds[d])
      text += (text.empty() ? "" : " ") + e.dim_names[d] + "=" + std::to_string(padded.bounds[d]);
  return text;
}

/// Searches one padded variant and keeps its best mapping, fitted to the true bounds, in
/// `result` if it costs less.
void try_variant(const MapSpace& space, const workload::Einsum& padded, const MapperOptions& options,
                 Clock::time_point start, MapperResult& result) {
  const MapSpace padded_space(padded, space.arch(), space.constraints());
  const MapperResult p = search(padded_space, options);
  result.stats.evaluated += p.stats.evaluated;
  result.stats.valid += p.stats.valid;
  result.stats.pruned += p.stats.pruned;
  result.stats.cut += p.stats.cut;
  result.stats.steps += p.stats.steps;
  if (p.stats.stopped && !result.stats.stopped) result.stats.stopped_by = p.stats.stopped_by;
  result.stats.stopped = result.stats.stopped || p.stats.stopped;
  if (!p.found) return;
  const mapping::Mapping fitted = fit_to_bounds(space.einsum(), p.mapping);
  model::Result r = model::evaluate(space.einsum(), space.arch(), fitted, options.model);
  const Cost cost = cost_of(options.objective, r);
  if (!r.valid || !space.meets_utilization(static_cast<double>(r.used_macs)) || !better(cost, fitted, result))
    return;
  result.stats.seconds_to_best = std::chrono::duration<double>(Clock::now() - start).count();
  result.found = true;
  result.mapping = fitted;
  result.result = std::move(r);
  result.cost = cost;
  result.stats.residual = mapping::has_residual(space.einsum(), fitted);
}

/// The search of the space, then of its padded variants (MapperOptions::imperfect), each with
/// an equal share of the budgets.
MapperResult search_with_residuals(const MapSpace& space, const MapperOptions& options) {
  const auto start = Clock::now();
  std::vector<workload::Einsum> variants = padded_variants(space.einsum());
  std::erase_if(variants, [&](const workload::Einsum& v) { return !check(space.constraints(), v, space.arch()).empty(); });
  MapperOptions share = options;
  share.imperfect = false;
  share.time_limit_s /= static_cast<double>(variants.size() + 1);
  // The count budgets split exactly: of `parts` searches, the first total % parts get one more.
  const std::uint64_t parts = variants.size() + 1;
  const auto share_of = [parts](std::uint64_t total, std::uint64_t i) {
    return total / parts + (i < total % parts ? 1 : 0);
  };
  share.max_evaluations = share_of(options.max_evaluations, 0);
  share.max_steps = share_of(options.max_steps, 0);
  MapperResult result = search(space, share);
  result.stats.proven_optimal = false;  // of the space without residual tiles only
  const Bound b = space_lower_bound(space, options.model);  // holds with residual tiles too
  result.stats.lower_bound = cost_of(options.objective, b.energy_pj, b.cycles);
  if (!variants.empty()) result.stats.padded = padded_text(space.einsum(), variants.front());
  for (std::size_t v = 0; v < variants.size(); ++v) {
    share.max_evaluations = share_of(options.max_evaluations, v + 1);
    share.max_steps = share_of(options.max_steps, v + 1);
    if ((options.max_evaluations > 0 && share.max_evaluations == 0) ||
        (options.max_steps > 0 && share.max_steps == 0)) {
      result.stats.stopped = true;  // the budget is spent before this variant
      if (result.stats.stopped_by.empty())
        result.stats.stopped_by =
            share.max_evaluations == 0 && options.max_evaluations > 0 ? "evaluations" : "steps";
      break;
    }
    if (options.stop == nullptr || !options.stop->load())
      try_variant(space, variants[v], share, start, result);
  }
  result.stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

/// The residual map space (MapperOptions::imperfect): the padded searches for an incumbent, then
/// the exhaustive search of every residual tiling and loop order with what is left of the budgets.
MapperResult search_residual_space(const MapSpace& space, const MapperOptions& options) {
  const auto start = Clock::now();
  MapperResult result = search_with_residuals(space, options);
  result.stats.residual_space = true;
  if (result.stats.stopped || (options.stop && options.stop->load())) return result;
  const MapSpace every_order(space.einsum(), space.arch(), space.constraints(), false);
  Budget budget{&options, start};
  budget.claimed = result.stats.evaluated;
  budget.steps = result.stats.steps;
  Incumbent incumbent;
  if (result.found) incumbent.offer(result.cost.primary);
  const PhaseEnd end = run_phase(every_order, options, kResidualStrategy, false, result.stats.threads, budget,
                                 incumbent, result);
  result.stats.steps = budget.steps.load();
  result.stats.stopped = !end.finished;
  if (result.stats.stopped) result.stats.stopped_by = reason_text(budget.reason.load());
  result.stats.proven_optimal = end.finished && end.exhaustive;
  if (result.stats.proven_optimal && result.found) result.stats.lower_bound = result.cost;
  if (result.found) result.stats.residual = mapping::has_residual(space.einsum(), result.mapping);
  result.stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace

MapperResult map_layer(const MapSpace& space, const MapperOptions& options) {
  if (options.imperfect && model::exact_counting(options.model)) return search_residual_space(space, options);
  return search(space, options);
}

bool mapping_before(const mapping::Mapping& a, const mapping::Mapping& b) {
  const auto key = [](const mapping::Mapping& m) {
    std::vector<std::int64_t> k;
    for (const mapping::LevelMapping& lm : m.levels) {
      k.push_back(lm.keep);
      k.push_back(static_cast<std::int64_t>(lm.temporal.size()));
      for (const auto& loop : lm.temporal) k.insert(k.end(), {loop.dim, loop.factor});
      k.push_back(static_cast<std::int64_t>(lm.spatial.size()));
      for (const auto& loop : lm.spatial)
        k.insert(k.end(), {loop.dim, loop.factor, static_cast<std::int64_t>(loop.axis)});
    }
    return k;
  };
  return key(a) < key(b);
}

}  // namespace outpace::mapper
