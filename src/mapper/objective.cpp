#include "mapper/objective.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace outpace::mapper {

Cost cost_of(const Objective& o, double energy, double cycles) {
  switch (o.lexicographic) {
    case Objective::Lexicographic::kEnergyThenDelay: return {energy, cycles};
    case Objective::Lexicographic::kDelayThenEnergy: return {cycles, energy};
    case Objective::Lexicographic::kNo: break;
  }
  const auto power = [](double x, double e) { return e == 1 ? x : e == 0 ? 1 : std::pow(x, e); };
  const double value = power(energy, o.energy_exp) * power(cycles, o.delay_exp);
  // Ties fall to energy, or to cycles when only energy counts.
  return {value, o.delay_exp == 0 ? cycles : energy};
}

namespace {

/// Reads a non-negative number filling all of `text`.
std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(v >= 0) || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Objective> parse_objective(const std::string& text) {
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
  const auto a = number(text.substr(e.size(), star - e.size()));
  const auto b = number(text.substr(star + d.size()));
  if (!a || !b || (*a == 0 && *b == 0)) return std::nullopt;
  return Objective{*a, *b, L::kNo};
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
