#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mapper/mapspace.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper {

/// Energy and EDP of valid mappings drawn uniformly from a map space (`mapspace --histogram`).
struct QualitySample {
  std::uint64_t draws = 0;  ///< mappings drawn
  std::vector<double> energy_pj;  ///< of each valid draw, increasing
  std::vector<double> edp;        ///< of each valid draw (pJ x cycles), increasing
  bool stopped = false;           ///< the progress callback stopped the drawing
};

/// Draws mappings uniformly from the constrained space (MapSpace::sample) until `valid` of them
/// are valid or `max_draws` were drawn; the same seed gives the same sample. `progress`, when
/// given, is called with the draws and the valid ones so far every 256 draws; returning false
/// stops the drawing there (`stopped`).
QualitySample sample_quality(
    const MapSpace& space, std::uint64_t valid, std::uint64_t max_draws, std::uint64_t seed,
    const model::Options& options = {},
    const std::function<bool(std::uint64_t draws, std::uint64_t valid)>& progress = {});

/// Why the mappings drawn uniformly from a space are invalid, for a search that found none.
struct InvalidTally {
  std::uint64_t draws = 0;  ///< mappings drawn (none from an empty space)
  std::uint64_t valid = 0;  ///< of those, valid ones that keep enough MACs busy
  /// The first rule each invalid draw breaks, by kind of rule and level: how many draws broke
  /// it and one of them in words, most frequent first (ties in the order first met).
  std::vector<std::pair<std::uint64_t, std::string>> rules;
};

/// Draws `draws` mappings uniformly from the space (the same seed, the same tally), evaluates
/// each and tallies the first rule each invalid one breaks: a fanout, a capacity, an overflow,
/// or the minimum utilization.
InvalidTally tally_invalid(const MapSpace& space, std::uint64_t draws, std::uint64_t seed,
                           const model::Options& options = {});

/// The value at fraction q (0..1) of sorted values, by the nearest-rank rule; 0 if empty.
double quantile(const std::vector<double>& sorted, double q);

}  // namespace outpace::mapper
