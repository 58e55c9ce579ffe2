#include "mapper/annealing.hpp"

#include <algorithm>
#include <cmath>


namespace outpace::mapper {

namespace {

constexpr double kStartTemperature = 1.0;  // in natural-log units of cost
constexpr double kEndTemperature = 1e-3;

}  // namespace

Annealing::Annealing(const StrategyContext& context)
    : ctx_(context), rng_(context.seed * 0xD1B54A32D192ED03ull + static_cast<std::uint64_t>(context.thread) + 1),
      chains_(context.warm_start ? kWarmChains : kChains) {}

const mapping::Mapping* Annealing::next() {
  if (chain_ >= chains_) return nullptr;
  if (!have_current_) {
    if (start_tries_++ >= kStartTries) return nullptr;  // no valid start found
    proposal_ = ctx_.space->sample(rng_);
    candidate_ = genome_of(*ctx_.space, proposal_);
    candidate_is_start_ = true;
    return &proposal_;
  }
  candidate_is_start_ = false;
  candidate_ = current_;
  mutate(*ctx_.space, candidate_, rng_, ctx_.model.link_transfers);
  proposal_ = mapping_of(*ctx_.space, candidate_);
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
