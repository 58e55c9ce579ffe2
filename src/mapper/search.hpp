#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mapper/mapspace.hpp"
#include "mapper/objective.hpp"
#include "mapping/mapping.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper {

/// What a strategy learns from one evaluation.
struct Feedback {
  bool valid = false;
  Cost cost;  ///< meaningful when valid
};

/// A search over a map space, asked for mappings one at a time and told how each one scored
/// (ask/tell). One instance runs on one thread.
class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  /// The next mapping to evaluate, or nullptr when the strategy is done; valid until the next
  /// call.
  virtual const mapping::Mapping* next() = 0;
  /// The outcome of evaluating the mapping the last next() returned.
  virtual void report(const Feedback& feedback) = 0;
  /// Mappings of the space skipped without evaluation because they cannot beat the best.
  virtual double pruned() const { return 0; }
  /// Partial tilings dropped, with every mapping that completes them, by a lower bound.
  virtual std::uint64_t cut() const { return 0; }
  /// True when running out (next() returning nullptr) means every mapping of the space was
  /// evaluated or proven no better than the best found.
  virtual bool exhaustive() const { return false; }
};

/// The best cost found by any thread so far, shared so that exhaustive search can prune.
class Incumbent {
 public:
  /// The best primary cost so far (infinity before any).
  double primary() const { return best_.load(std::memory_order_relaxed); }
  /// Lowers the shared best to `primary` if it is better.
  void offer(double primary);

 private:
  std::atomic<double> best_{__builtin_inf()};
};

/// Units of work (numbered in an order every thread meets them in) handed to whichever thread
/// reaches the next unclaimed one first.
class WorkQueue {
 public:
  /// True when the caller, meeting unit `index` (all lower ones already met), gets it.
  bool claim(std::uint64_t index) {
    std::uint64_t expected = index;
    return next_.compare_exchange_strong(expected, index + 1, std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> next_{0};
};

/// Everything a strategy needs to start.
struct StrategyContext {
  const MapSpace* space = nullptr;
  Objective objective;
  int thread = 0;       ///< this instance's index
  int threads = 1;      ///< instances running together
  std::uint64_t seed = 0;
  Incumbent* incumbent = nullptr;
  WorkQueue* work = nullptr;  ///< shared by the threads of one phase
  model::Options model;  ///< the counting rules the mappings are evaluated with
  bool warm_start = false;  ///< a short run whose result only seeds another strategy
  /// Counts `steps` search steps taken (MapperOptions::max_steps) and tells whether the search
  /// must stop; a strategy that works long between proposals calls it every so many steps.
  std::function<bool(std::uint64_t steps)> should_stop = [](std::uint64_t) { return false; };
};

/// The strategies by name: "exhaustive" (pruned, proves optimality), "random" (Timeloop's
/// random mapper with its default stopping rule: 1000 consecutive invalid mappings or 500
/// consecutive valid ones without improvement, per thread).
std::vector<std::string> strategy_names();
/// The exhaustive search of the residual map space (ResidualExhaustive), which map_layer runs
/// with MapperOptions::imperfect; not a strategy a user names.
inline constexpr const char* kResidualStrategy = "residual exhaustive";
/// A new instance of the named strategy, or nullptr for an unknown name.
std::unique_ptr<SearchStrategy> make_strategy(const std::string& name, const StrategyContext& context);

}  // namespace outpace::mapper
