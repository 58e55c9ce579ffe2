#include "mapper/annealing.hpp"

#include <algorithm>
#include <cmath>

#include "mapper/factorization.hpp"

namespace outpace::mapper {

namespace {

constexpr double kStartTemperature = 1.0;  // in natural-log units of cost
constexpr double kEndTemperature = 1e-3;

}  // namespace

Annealing::Annealing(const StrategyContext& context)
    : ctx_(context), rng_(context.seed * 0xD1B54A32D192ED03ull + static_cast<std::uint64_t>(context.thread) + 1) {}

Annealing::State Annealing::from_mapping(const mapping::Mapping& m) const {
  const MapSpace& space = *ctx_.space;
  State s{};
  for (int l = 0; l < space.levels(); ++l) {
    s.tiling.on_y[l] = 0;
    for (int d = 0; d < space.dims(); ++d) s.tiling.temporal[l][d] = s.tiling.spatial[l][d] = 1;
    int n = 0;
    std::uint32_t placed = 0;
    for (const auto& loop : m.levels[l].temporal) {
      s.tiling.temporal[l][loop.dim] = loop.factor;
      s.order[l][n++] = static_cast<std::int8_t>(loop.dim);
      placed |= 1u << loop.dim;
    }
    for (int d = 0; d < space.dims(); ++d)
      if (!((placed >> d) & 1u)) s.order[l][n++] = static_cast<std::int8_t>(d);
    for (const auto& loop : m.levels[l].spatial) {
      s.tiling.spatial[l][loop.dim] = loop.factor;
      if (loop.axis == mapping::Axis::Y) s.tiling.on_y[l] |= 1u << loop.dim;
    }
    s.tiling.keep[l] = m.levels[l].keep;
  }
  return s;
}

mapping::Mapping Annealing::to_mapping(const State& s) const {
  const MapSpace& space = *ctx_.space;
  mapping::Mapping m;
  m.levels.resize(static_cast<std::size_t>(space.levels()));
  for (int l = 0; l < space.levels(); ++l) {
    for (int i = 0; i < space.dims(); ++i) {
      const int d = s.order[l][i];
      if (s.tiling.temporal[l][d] > 1) m.levels[l].temporal.push_back({d, s.tiling.temporal[l][d]});
    }
    for (int d = 0; d < space.dims(); ++d)
      if (s.tiling.spatial[l][d] > 1)
        m.levels[l].spatial.push_back({d, s.tiling.spatial[l][d],
                                       (s.tiling.on_y[l] >> d) & 1u ? mapping::Axis::Y : mapping::Axis::X});
    m.levels[l].keep = s.tiling.keep[l];
  }
  return m;
}

/// Moves one prime factor of one dimension to another slot; false if the move is not allowed.
bool Annealing::move_factor(State& s) {
  const MapSpace& space = *ctx_.space;
  const auto& slots = space.slots();
  std::uniform_int_distribution<int> pick_dim(0, space.dims() - 1);
  std::uniform_int_distribution<std::size_t> pick_slot(0, slots.size() - 1);
  const int d = pick_dim(rng_);
  const Slot& from = slots[pick_slot(rng_)];
  const Slot& to = slots[pick_slot(rng_)];
  if (&from == &to || from.fixed[d] || to.fixed[d]) return false;
  std::int64_t& f = (from.spatial ? s.tiling.spatial : s.tiling.temporal)[from.level][d];
  std::int64_t& g = (to.spatial ? s.tiling.spatial : s.tiling.temporal)[to.level][d];
  if (f == 1) return false;
  const auto primes = prime_factors(f);
  const std::int64_t p = primes[std::uniform_int_distribution<std::size_t>(0, primes.size() - 1)(rng_)].first;
  if (g * p > to.limit[d]) return false;
  f /= p, g *= p;
  for (const Slot* slot : {&from, &to})
    if (slot->spatial && !space.split_axes(slot->level, s.tiling.spatial[slot->level], s.tiling.on_y[slot->level]))
      return false;
  return true;
}

/// Swaps two loops of one level (outside the level's required innermost loops).
void Annealing::swap_loops(State& s) {
  const MapSpace& space = *ctx_.space;
  const int l = std::uniform_int_distribution<int>(0, space.levels() - 1)(rng_);
  std::uniform_int_distribution<int> pick(0, space.dims() - 1);
  const int i = pick(rng_), j = pick(rng_);
  // Required innermost loops keep their places.
  const auto fixed = [&](int k) {
    const int d = s.order[l][k];
    for (std::int8_t r : space.constraints().levels[l].innermost)
      if (r == d) return true;
    return false;
  };
  if (!fixed(i) && !fixed(j)) std::swap(s.order[l][i], s.order[l][j]);
}

void Annealing::propose() {
  candidate_ = current_;
  const int kind = std::uniform_int_distribution<int>(0, 9)(rng_);
  const auto& keeps = ctx_.space->keep_choices();
  if (kind == 0 && keeps.size() > 1) {
    candidate_.tiling.keep = keeps[std::uniform_int_distribution<std::size_t>(0, keeps.size() - 1)(rng_)];
  } else if (kind <= 3) {
    swap_loops(candidate_);
  } else {
    for (int tries = 0; tries < 16 && !move_factor(candidate_); ++tries) candidate_ = current_;
  }
}

const mapping::Mapping* Annealing::next() {
  if (chain_ >= kChains) return nullptr;
  if (!have_current_) {
    if (start_tries_++ >= kStartTries) return nullptr;  // no valid start found
    proposal_ = ctx_.space->sample(rng_);
    candidate_ = from_mapping(proposal_);
    candidate_is_start_ = true;
    return &proposal_;
  }
  candidate_is_start_ = false;
  propose();
  proposal_ = to_mapping(candidate_);
  return &proposal_;
}

void Annealing::report(const Feedback& fb) {
  if (fb.valid) ctx_.incumbent->offer(fb.cost.primary);
  if (candidate_is_start_) {
    if (fb.valid) current_ = candidate_, current_cost_ = std::log(fb.cost.primary), have_current_ = true;
    return;
  }
  const double progress = static_cast<double>(step_) / kSteps;
  const double temperature = kStartTemperature * std::pow(kEndTemperature / kStartTemperature, progress);
  if (fb.valid) {
    const double cost = std::log(fb.cost.primary);
    if (cost <= current_cost_ ||
        std::uniform_real_distribution<double>(0, 1)(rng_) < std::exp((current_cost_ - cost) / temperature))
      current_ = candidate_, current_cost_ = cost;
  }
  if (++step_ >= kSteps) step_ = 0, ++chain_, have_current_ = false, start_tries_ = 0;
}

}  // namespace outpace::mapper
