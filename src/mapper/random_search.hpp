#pragma once

#include <random>

#include "mapper/search.hpp"

namespace outpace::mapper {

/// Timeloop's random mapper as a baseline: uniform draws from the constrained space (invalid
/// ones included), stopping after 1000 consecutive invalid draws or 500 consecutive valid ones
/// that do not improve on this thread's best (timeloop-model v3.0.3's defaults, `timeout` and
/// `victory-condition`); at once on an empty space (MapSpace::can_sample()).
class RandomSearch final : public SearchStrategy {
 public:
  explicit RandomSearch(const StrategyContext& context);
  const mapping::Mapping* next() override;
  void report(const Feedback& feedback) override;

  static constexpr int kTimeout = 1000;          ///< consecutive invalid draws
  static constexpr int kVictoryCondition = 500;  ///< consecutive valid draws without improvement

 private:
  StrategyContext ctx_;
  std::mt19937_64 rng_;
  mapping::Mapping current_;
  Cost best_;
  bool have_best_ = false;
  int invalid_run_ = 0;
  int stale_run_ = 0;
};

}  // namespace outpace::mapper
