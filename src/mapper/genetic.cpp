#include "mapper/genetic.hpp"

#include <algorithm>

namespace outpace::mapper {

Genetic::Genetic(const StrategyContext& context)
    : ctx_(context), rng_(context.seed * 0xA0761D6478BD642Full + static_cast<std::uint64_t>(context.thread) + 7) {}

const Genetic::Member& Genetic::tournament() {
  std::uniform_int_distribution<std::size_t> pick(0, population_.size() - 1);
  const Member* best = &population_[pick(rng_)];
  for (int i = 0; i < 2; ++i) {
    const Member& m = population_[pick(rng_)];
    if (m.cost < best->cost) best = &m;
  }
  return *best;
}

Genome Genetic::crossover(const Genome& a, const Genome& b) {
  const MapSpace& space = *ctx_.space;
  Genome child = a;
  std::bernoulli_distribution coin(0.5);
  for (int d = 0; d < space.dims(); ++d)
    if (coin(rng_))
      for (int l = 0; l < space.levels(); ++l)
        child.tiling.temporal[l][d] = b.tiling.temporal[l][d], child.tiling.spatial[l][d] = b.tiling.spatial[l][d];
  for (int l = 0; l < space.levels(); ++l) {
    if (coin(rng_)) std::copy(b.order[l], b.order[l] + kMaxDims, child.order[l]);
    if (space.arch().fanout_x(l) * space.arch().fanout_y(l) > 1)
      space.split_axes(l, child.tiling.spatial[l], child.tiling.on_y[l]);  // infeasible: the model says so
  }
  if (coin(rng_)) child.tiling.keep = b.tiling.keep;
  return child;
}

const mapping::Mapping* Genetic::next() {
  const MapSpace& space = *ctx_.space;
  if (population_.size() < kPopulation) {
    if (start_tries_++ >= kStartTries) {
      if (population_.empty()) return nullptr;  // no valid mapping found at random
    } else {
      proposal_ = space.sample(rng_);
      candidate_ = genome_of(space, proposal_);
      return &proposal_;
    }
  }
  if (children_++ >= kChildren) return nullptr;
  candidate_ = crossover(tournament().genome, tournament().genome);
  if (std::bernoulli_distribution(0.5)(rng_))
    mutate(space, candidate_, rng_, ctx_.model.link_transfers);
  proposal_ = mapping_of(space, candidate_);
  return &proposal_;
}

void Genetic::report(const Feedback& fb) {
  if (!fb.valid) return;
  ctx_.incumbent->offer(fb.cost.primary);
  if (population_.size() < kPopulation && children_ == 0) {
    population_.push_back({candidate_, fb.cost.primary});
    return;
  }
  const auto worst = std::max_element(population_.begin(), population_.end(),
                                      [](const Member& a, const Member& b) { return a.cost < b.cost; });
  if (fb.cost.primary < worst->cost) *worst = {candidate_, fb.cost.primary};
}

}  // namespace outpace::mapper
