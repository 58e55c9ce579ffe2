#pragma once

#include <optional>
#include <string>

#include "common/source_location.hpp"
#include "model/result.hpp"

namespace outpace::mapper {

/// The smallest positive exponent of a weighted product energy^A*delay^B: below it every cost
/// rounds to 1 and the search cannot rank mappings.
inline constexpr double kMinObjectiveExponent = 0.01;
/// The largest exponent of a weighted product: with A, B <= 4 no energy and cycle count the model
/// gives (energy below 1e45 pJ, cycles below 2^63) takes the product past a double's range.
inline constexpr double kMaxObjectiveExponent = 4;

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
/// Never infinite or NaN for finite, non-negative figures: a product past the largest double
/// (impossible for the model's figures within the exponent range) is held at that double.
Cost cost_of(const Objective& objective, double energy_pj, double cycles);
/// The cost of an evaluation's result.
inline Cost cost_of(const Objective& objective, const model::Result& r) {
  return cost_of(objective, r.energy_pj, static_cast<double>(r.cycles));
}

/// Parses "energy", "delay", "edp", "ed2p", "energy,delay" / "delay,energy" (lexicographic), or
/// a weighted product "energy^A*delay^B"; nothing if the text is none of these (or A = B = 0).
/// Throws ConfigError at `where` when an exponent is a number outside 0 or
/// [kMinObjectiveExponent, kMaxObjectiveExponent].
std::optional<Objective> parse_objective(const std::string& text,
                                         const SourceLocation& where = SourceLocation{
                                             "--objective"});

/// The rule for a weighted product's exponents, for help texts and messages: "each exponent is 0
/// or from 0.01 to 4, not both 0".
std::string objective_exponent_rule();

/// The forms parse_objective reads, for help texts and messages: "energy, delay, edp, ed2p,
/// energy,delay, delay,energy or energy^A*delay^B".
std::string objective_forms();

/// The objective as the text parse_objective reads.
std::string objective_name(const Objective& objective);

}  // namespace outpace::mapper
