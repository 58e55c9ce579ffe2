#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "mapper/mapspace.hpp"
#include "mapper/objective.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper {

/// The version of what a search returns. Bump it whenever a change to the mapper or to the model
/// can change the mapping or the cost a search returns for the same inputs: results stored under
/// an older version (store::ResultsStore) are then searched again instead of reused.
inline constexpr int kMapperVersion = 10;

/// What a running search has done so far, for a progress display.
struct SearchProgress {
  std::string phase;              ///< the strategy running now (annealing first, for exhaustive)
  double seconds = 0;             ///< wall time so far
  std::uint64_t evaluations = 0;  ///< mappings evaluated so far, over all threads
  double best = __builtin_inf();  ///< the best primary cost so far; infinity before any
  double lower_bound = 0;         ///< no mapping of the space has a lower primary cost
};

/// The steps one evaluation counts for (MapperOptions::max_steps): an evaluation takes about 16
/// times as long as checking a partial tiling against a bound (ResNet-50's layers on the
/// Eyeriss-like preset: about 7 us against 0.45 us), so that a step budget bounds the time
/// whatever the mix.
inline constexpr std::uint64_t kStepsPerEvaluation = 16;

/// How to run a search.
struct MapperOptions {
  std::string strategy = "exhaustive";  ///< a name from strategy_names()
  Objective objective;
  int threads = 0;                        ///< 0: one per core
  std::uint64_t seed = 1;
  double time_limit_s = 0;                ///< wall-time budget; 0: none
  std::uint64_t max_evaluations = 0;      ///< evaluation budget over all threads; 0: none
  /// Budget of search steps over all threads; 0: none. A step is a partial tiling checked
  /// against a bound or a tiling formed; an evaluation counts kStepsPerEvaluation steps. Unlike
  /// time, steps do not depend on the machine or its load: with one thread, the same budget
  /// gives the same result anywhere.
  std::uint64_t max_steps = 0;
  const std::atomic<bool>* stop = nullptr;  ///< set it (e.g. on Ctrl-C) to stop with the best so far
  model::Options model;                   ///< counting rules of the evaluations
  /// Search the residual map space (docs/mapper.md; Outpace's own counting rules only): first
  /// the search of the space and of its bounds padded to sizes with more divisors
  /// (residual_search.hpp; every bound padded, then each alone, each best mapping fitted back to
  /// the true bounds), each with an equal share of the budgets, for a good incumbent; then the
  /// exhaustive search of every residual factorization and every loop order, pruned by the
  /// residual bounds, with what is left of the budgets. Proven optimal when that one finishes:
  /// the best of the whole residual space. Ignored under other counting rules.
  bool imperfect = false;
  /// Called from the calling thread about every progress_every_s seconds while a search runs
  /// (never from a search thread, never after map_layer returns); none: no calls.
  std::function<void(const SearchProgress&)> progress;
  double progress_every_s = 0.5;  ///< seconds between progress calls
};

/// What a search did.
struct SearchStats {
  std::string strategy;
  int threads = 1;
  std::uint64_t evaluated = 0;  ///< mappings evaluated
  std::uint64_t valid = 0;      ///< of those, valid ones
  double pruned = 0;            ///< mappings of formed tilings skipped: they could not beat the best
  std::uint64_t cut = 0;        ///< partial tilings dropped by a bound, with all their completions
  double seconds = 0;           ///< wall time
  double seconds_to_best = 0;   ///< wall time until the returned mapping was found
  std::uint64_t steps = 0;      ///< search steps taken (MapperOptions::max_steps)
  bool stopped = false;         ///< a budget or the stop flag ended it early
  /// What ended it early: "time", "evaluations", "steps" or "stop" (the stop flag); empty when
  /// it ran out. Only "time" and "stop" depend on the machine and its load.
  std::string stopped_by;
  /// The result is the best of the whole (constrained) space: with `residual_space` every
  /// residual factorization, else the factors that divide their bounds.
  bool proven_optimal = false;
  bool residual_space = false;  ///< the search covered the residual map space (imperfect)
  Cost lower_bound;             ///< no mapping of the space costs less (primary)
  /// With MapperOptions::imperfect: the padded bounds (e.g. "K=480"; empty when no bound gains
  /// divisors) and whether the best mapping has residual tiles.
  std::string padded;
  bool residual = false;
  /// Evaluations per second of wall time.
  double evaluations_per_second() const { return seconds > 0 ? static_cast<double>(evaluated) / seconds : 0; }
};

/// The best mapping a search found, its evaluation and the search's statistics.
struct MapperResult {
  bool found = false;  ///< false when no valid mapping was evaluated
  mapping::Mapping mapping;
  model::Result result;
  Cost cost;
  SearchStats stats;
};

/// Searches the space with the chosen strategy on `threads` threads. The same options (seed and
/// thread count included) give the same result unless a time limit or the stop flag cuts the
/// search; ties in cost go to the mapping that compares first (mapping_before).
MapperResult map_layer(const MapSpace& space, const MapperOptions& options);

/// A fixed total order on mappings, for breaking ties deterministically.
bool mapping_before(const mapping::Mapping& a, const mapping::Mapping& b);

}  // namespace outpace::mapper
