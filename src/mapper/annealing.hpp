#pragma once

#include <random>

#include "mapper/genome.hpp"
#include "mapper/search.hpp"

namespace outpace::mapper {

/// Simulated annealing over the constrained space: chains that start from a random valid
/// mapping and move one prime factor between slots, swap two loops of a level or change the
/// bypass choice, accepting a worse mapping with probability exp(-(log cost increase) / T) as
/// T cools geometrically. Each thread runs kChains chains of kSteps proposals (kWarmChains as a
/// warm start).
class Annealing final : public SearchStrategy {
 public:
  explicit Annealing(const StrategyContext& context);
  const mapping::Mapping* next() override;
  void report(const Feedback& feedback) override;

  static constexpr int kChains = 4;
  static constexpr int kWarmChains = 2;
  static constexpr int kSteps = 60000;
  static constexpr int kStartTries = 20000;  ///< random draws to find a valid start

 private:
  using State = Genome;

  StrategyContext ctx_;
  std::mt19937_64 rng_;
  State current_{}, candidate_{};
  double current_cost_ = 0;
  bool have_current_ = false;
  bool candidate_is_start_ = false;
  int chain_ = 0, step_ = 0, start_tries_ = 0;
  int chains_;
  mapping::Mapping proposal_;
};

}  // namespace outpace::mapper
