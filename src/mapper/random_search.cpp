#include "mapper/random_search.hpp"

#include <optional>
#include <utility>

namespace outpace::mapper {

RandomSearch::RandomSearch(const StrategyContext& context)
    : ctx_(context), rng_(context.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(context.thread)) {}

const mapping::Mapping* RandomSearch::next() {
  if (invalid_run_ >= kTimeout || stale_run_ >= kVictoryCondition) return nullptr;
  std::optional<mapping::Mapping> drawn = ctx_.space->try_sample(rng_);
  if (!drawn) return nullptr;  // an empty space: nothing to draw
  current_ = std::move(*drawn);
  return &current_;
}

void RandomSearch::report(const Feedback& feedback) {
  if (!feedback.valid) {
    ++invalid_run_;
    return;
  }
  invalid_run_ = 0;
  if (!have_best_ || feedback.cost < best_) {
    best_ = feedback.cost, have_best_ = true, stale_run_ = 0;
    ctx_.incumbent->offer(feedback.cost.primary);
  } else {
    ++stale_run_;
  }
}

}  // namespace outpace::mapper
