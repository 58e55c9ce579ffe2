#include "mapper/objective.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <tuple>

#include "common/config_error.hpp"

namespace outpace::mapper {

Cost cost_of(const Objective& o, double energy, double cycles) {
  switch (o.lexicographic) {
    case Objective::Lexicographic::kEnergyThenDelay: return {energy, cycles};
    case Objective::Lexicographic::kDelayThenEnergy: return {cycles, energy};
    case Objective::Lexicographic::kNo: break;
  }
  const auto power = [](double x, double e) { return e == 1 ? x : e == 0 ? 1 : std::pow(x, e); };
  const double x = power(energy, o.energy_exp), y = power(cycles, o.delay_exp);
  // A zero factor makes the product 0 (never 0 x inf = NaN); a product past the largest double is
  // held there so that it still ranks above every smaller one (never inf).
  const double value = x == 0 || y == 0 ? 0 : std::min(x * y, std::numeric_limits<double>::max());
  // Ties fall to energy, or to cycles when only energy counts.
  return {value, o.delay_exp == 0 ? cycles : energy};
}

namespace {

/// Reads a number filling all of `text` (any sign, inf); nothing if it is not one or is NaN.
std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || std::isnan(v)) return std::nullopt;
  return v;
}

/// True for an exponent a weighted product takes: 0 or within the documented range.
bool exponent_in_range(double e) {
  return e == 0 || (e >= kMinObjectiveExponent && e <= kMaxObjectiveExponent);
}

/// " ('edp' ranks mappings the same way)" when scaling the exponents (a, b) to a largest of 1 gives
/// exponents in range; empty otherwise.
std::string same_ranking(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b) || a < 0 || b < 0 || (a == 0 && b == 0)) return "";
  const double m = std::max(a, b);
  const Objective scaled{a / m, b / m, Objective::Lexicographic::kNo};
  if (!exponent_in_range(scaled.energy_exp) || !exponent_in_range(scaled.delay_exp)) return "";
  return " (only their ratio ranks mappings: '" + objective_name(scaled) +
         "' ranks them the same way)";
}

}  // namespace

std::optional<Objective> parse_objective(const std::string& text, const SourceLocation& where) {
  using L = Objective::Lexicographic;
  if (text == "energy") return Objective{1, 0, L::kNo};
  if (text == "delay") return Objective{0, 1, L::kNo};
  if (text == "edp") return Objective{1, 1, L::kNo};
  if (text == "ed2p") return Objective{1, 2, L::kNo};
  if (text == "energy,delay") return Objective{1, 0, L::kEnergyThenDelay};
  if (text == "delay,energy") return Objective{0, 1, L::kDelayThenEnergy};
  // energy^A*delay^B
  const std::string e = "energy^", d = "*delay^";
  const auto star = text.find(d);
  if (text.rfind(e, 0) != 0 || star == std::string::npos) return std::nullopt;
  const std::string a_text = text.substr(e.size(), star - e.size()),
                    b_text = text.substr(star + d.size());
  const auto a = number(a_text);
  const auto b = number(b_text);
  if (!a || !b || (*a == 0 && *b == 0)) return std::nullopt;
  DiagnosticSink sink;
  const std::string hint = same_ranking(*a, *b);
  for (const auto& [metric, value, value_text] :
       {std::tuple{"energy", *a, a_text}, std::tuple{"delay", *b, b_text}})
    if (!exponent_in_range(value))
      sink.error(where, std::string("the ") + metric + " exponent " + value_text + " in '" + text +
                            "' is out of range: " + objective_exponent_rule() + hint);
  sink.throw_if_any();
  return Objective{*a, *b, L::kNo};
}

std::string objective_exponent_rule() {
  char buf[96];
  std::snprintf(buf, sizeof buf, "each exponent is 0 or from %g to %g, not both 0",
                kMinObjectiveExponent, kMaxObjectiveExponent);
  return buf;
}

std::string objective_forms() {
  return "energy, delay, edp, ed2p, energy,delay, delay,energy or energy^A*delay^B";
}

std::string objective_name(const Objective& o) {
  using L = Objective::Lexicographic;
  if (o.lexicographic == L::kEnergyThenDelay) return "energy,delay";
  if (o.lexicographic == L::kDelayThenEnergy) return "delay,energy";
  if (o.energy_exp == 1 && o.delay_exp == 0) return "energy";
  if (o.energy_exp == 0 && o.delay_exp == 1) return "delay";
  if (o.energy_exp == 1 && o.delay_exp == 1) return "edp";
  if (o.energy_exp == 1 && o.delay_exp == 2) return "ed2p";
  char buf[64];
  std::snprintf(buf, sizeof buf, "energy^%g*delay^%g", o.energy_exp, o.delay_exp);
  return buf;
}

}  // namespace outpace::mapper
