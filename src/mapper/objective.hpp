#pragma once

#include <optional>
#include <string>

#include "model/result.hpp"

namespace outpace::mapper {

/// What a search minimizes: energy^energy_exp x cycles^delay_exp (energy: 1, 0; delay: 0, 1;
/// EDP: 1, 1; ED^2P: 1, 2), or, when lexicographic, energy then delay (or delay then energy).
struct Objective {
  double energy_exp = 1;
  double delay_exp = 1;
  enum class Lexicographic { kNo, kEnergyThenDelay, kDelayThenEnergy } lexicographic = Lexicographic::kNo;
};

/// A mapping's cost: compared on primary, then secondary (lower is better).
struct Cost {
  double primary = 0;
  double secondary = 0;
  friend bool operator<(const Cost& a, const Cost& b) {
    return a.primary != b.primary ? a.primary < b.primary : a.secondary < b.secondary;
  }
  friend bool operator==(const Cost&, const Cost&) = default;
};

/// The cost of a valid evaluation under an objective; ties on primary fall to the other metric.
Cost cost_of(const Objective& objective, double energy_pj, double cycles);
/// The cost of an evaluation's result.
inline Cost cost_of(const Objective& objective, const model::Result& r) {
  return cost_of(objective, r.energy_pj, static_cast<double>(r.cycles));
}

/// Parses "energy", "delay", "edp", "ed2p", "energy,delay" / "delay,energy" (lexicographic), or
/// a weighted product "energy^A*delay^B"; nothing if the text is none of these.
std::optional<Objective> parse_objective(const std::string& text);

/// The forms parse_objective reads, for help texts and messages: "energy, delay, edp, ed2p,
/// energy,delay, delay,energy or energy^A*delay^B".
std::string objective_forms();

/// The objective as the text parse_objective reads.
std::string objective_name(const Objective& objective);

}  // namespace outpace::mapper
