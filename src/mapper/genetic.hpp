#pragma once

#include <random>
#include <vector>

#include "mapper/genome.hpp"
#include "mapper/search.hpp"

namespace outpace::mapper {

/// A steady-state genetic algorithm: a population of kPopulation valid mappings drawn at random,
/// then kChildren children, each from two parents picked by tournaments of three: every
/// dimension takes all its factors from one parent (so the products stay right), every level its
/// order from one parent, the bypass choice from one; then one mutation (genome.hpp) with
/// probability one half. A valid child better than the worst member replaces it.
class Genetic final : public SearchStrategy {
 public:
  explicit Genetic(const StrategyContext& context);
  const mapping::Mapping* next() override;
  void report(const Feedback& feedback) override;

  static constexpr std::size_t kPopulation = 32;
  static constexpr int kChildren = 200000;
  static constexpr int kStartTries = 20000;  ///< random draws to fill the population

 private:
  struct Member {
    Genome genome;
    double cost;
  };
  const Member& tournament();
  Genome crossover(const Genome& a, const Genome& b);

  StrategyContext ctx_;
  std::mt19937_64 rng_;
  std::vector<Member> population_;
  Genome candidate_{};
  mapping::Mapping proposal_;
  int children_ = 0, start_tries_ = 0;
};

}  // namespace outpace::mapper
