#include "mapper/search.hpp"

#include "mapper/annealing.hpp"
#include "mapper/exhaustive.hpp"
#include "mapper/genetic.hpp"
#include "mapper/random_search.hpp"
#include "mapper/residual_exhaustive.hpp"

namespace outpace::mapper {

void Incumbent::offer(double primary) {
  double current = best_.load(std::memory_order_relaxed);
  while (primary < current && !best_.compare_exchange_weak(current, primary, std::memory_order_relaxed)) {
  }
}

std::vector<std::string> strategy_names() { return {"exhaustive", "random", "annealing", "genetic"}; }

std::unique_ptr<SearchStrategy> make_strategy(const std::string& name, const StrategyContext& context) {
  if (name == "exhaustive") return std::make_unique<Exhaustive>(context);
  if (name == "random") return std::make_unique<RandomSearch>(context);
  if (name == "annealing") return std::make_unique<Annealing>(context);
  if (name == "genetic") return std::make_unique<Genetic>(context);
  if (name == kResidualStrategy) return std::make_unique<ResidualExhaustive>(context);
  return nullptr;
}

}  // namespace outpace::mapper
