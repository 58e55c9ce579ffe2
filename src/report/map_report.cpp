#include "report/map_report.hpp"

#include <cmath>
#include <cstdio>

#include "report/format.hpp"
#include "report/json_writer.hpp"

namespace outpace::report {

namespace {


void write_mapping(JsonWriter& j, const EvalReport& rep) {
  const auto& [e, a, m, r] = rep;
  j.begin_array("mapping");
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    j.begin_object().value("level", a.levels[l].name).begin_array("temporal");
    for (const auto& loop : lm.temporal)
      j.begin_object().value("dim", e.dim_names[loop.dim]).value("factor", loop.factor).end_object();
    j.end_array().begin_array("spatial");
    for (const auto& loop : lm.spatial)
      j.begin_object()
          .value("dim", e.dim_names[loop.dim])
          .value("factor", loop.factor)
          .value("axis", loop.axis == mapping::Axis::X ? "X" : "Y")
          .end_object();
    j.end_array().begin_array("keep");
    for (int t = 0; t < e.num_tensors(); ++t)
      if (lm.keeps(t)) j.value("", e.tensors[t].name);
    j.end_array().end_object();
  }
  j.end_array();
}

}  // namespace

namespace {

/// What ended a search early (SearchStats::stopped_by), in words.
std::string stop_text(const std::string& by) {
  if (by == "time") return "the time limit";
  if (by == "evaluations") return "the evaluation budget";
  if (by == "steps") return "the step budget";
  if (by == "stop") return "interrupted";
  return "a budget";
}

}  // namespace

std::string search_text(const mapper::MapperResult& res, const mapper::Objective& objective) {
  const mapper::SearchStats& s = res.stats;
  std::string out = "search: " + s.strategy + ", objective " + mapper::objective_name(objective) +
                    ", " + std::to_string(s.threads) + " thread" + (s.threads == 1 ? "" : "s") + "\n";
  out += "  evaluated " + std::to_string(s.evaluated) + " mappings (" + std::to_string(s.valid) +
         " valid), pruned " + format_number("%.4g", s.pruned) + " without evaluation, cut " +
         std::to_string(s.cut) + " partial tilings by bounds; " + std::to_string(s.steps) +
         " steps\n";
  out += "  wall time " + format_number("%.3f", s.seconds) + " s (best found after " + format_number("%.3f", s.seconds_to_best) +
         " s), " + format_number("%.0f", s.evaluations_per_second()) + " evaluations/s\n";
  if (s.proven_optimal) {
    out += s.residual_space ? "  proven optimal: yes (the best of the whole constrained space, every residual "
                              "factorization included)\n"
                            : "  proven optimal: yes (the best of the whole constrained space)\n";
  } else {
    out += std::string("  proven optimal: no") +
           (s.stopped ? " (stopped early: " + stop_text(s.stopped_by) + ")" : "") +
           "; lower bound " + format_number("%.6g", s.lower_bound.primary);
    // A bound of 0 gives no ratio (never "inf x" or "nan x").
    const double ratio = res.cost.primary / s.lower_bound.primary;
    if (res.found && s.lower_bound.primary > 0 && std::isfinite(ratio))
      out += ", best is at most " + format_number("%.3f", ratio) + "x it";
    out += "\n";
  }
  if (s.residual_space)
    out += std::string("  residual tiles: every residual factorization searched") +
           (s.padded.empty() ? "" : " (first padded bounds " + s.padded + ", together and each alone)") +
           "; the best mapping " + (s.residual ? "has residual tiles" : "has none") + "\n";
  return out;
}

void write_map_members(JsonWriter& j, const EvalReport& best, const mapper::MapperResult& res,
                       const mapper::Objective& objective, const char* schema) {
  const mapper::SearchStats& s = res.stats;
  write_eval_members(j, best, schema);
  j.value("objective", mapper::objective_name(objective))
      .value("cost", res.cost.primary);
  write_mapping(j, best);
  j.value("proven_optimal", s.proven_optimal)
      .value("proven_space", s.residual_space ? "residual" : "perfect")
      .value("lower_bound", s.lower_bound.primary)
      .begin_object("search")
      .value("strategy", s.strategy)
      .value("threads", s.threads)
      .value("evaluated", static_cast<std::int64_t>(s.evaluated))
      .value("valid", static_cast<std::int64_t>(s.valid))
      .value("pruned", s.pruned)
      .value("cut", static_cast<std::int64_t>(s.cut))
      .value("seconds", s.seconds)
      .value("seconds_to_best", s.seconds_to_best)
      .value("evaluations_per_second", s.evaluations_per_second())
      .value("steps", static_cast<std::int64_t>(s.steps))
      .value("stopped", s.stopped)
      .value("stopped_by", s.stopped_by)
      .value("padded_bounds", s.padded)
      .value("residual_tiles", s.residual)
      .end_object();
}

std::string map_json(const EvalReport& best, const mapper::MapperResult& res,
                     const mapper::Objective& objective) {
  JsonWriter j;
  j.begin_object();
  write_map_members(j, best, res, objective, "outpace.map/1");
  j.end_object();
  return j.str();
}

std::string space_size_text(const mapper::SpaceSize& size) {
  std::string out = "map space size:\n";
  out += "  every factorization, order, axis and bypass    " + size.raw.str() + "\n";
  out += "  allowed by the constraints                     " + size.constrained.str() + "\n";
  out += "  within every fanout and capacity               " + size.fitting.str() + "\n";
  out += "  distinct (unit loops, equivalent orders/axes)  " + size.distinct.str() + "\n";
  out += "  tilings (factors and bypass)                   " + std::to_string(size.tilings) + "\n";
  if (!size.complete) out += "  (counting stopped at its limit: the last three are partial)\n";
  return out;
}

namespace {

std::string distribution_line(const char* name, const std::vector<double>& v) {
  using mapper::quantile;
  std::string out = std::string("  ") + name;
  for (const auto& [label, q] : {std::pair{"min", 0.0}, std::pair{"p5", 0.05}, std::pair{"p25", 0.25},
                                 std::pair{"median", 0.5}, std::pair{"p75", 0.75}, std::pair{"p95", 0.95},
                                 std::pair{"max", 1.0}})
    out += std::string("  ") + label + " " + format_number("%.4g", q == 0.0 ? v.front() : quantile(v, q));
  out += "\n    spread max/min " + format_number("%.3g", v.back() / v.front()) + "x; within the best 5%: " +
         format_number("%.3g", quantile(v, 0.05) / v.front()) + "x\n";
  return out;
}

}  // namespace

std::string quality_text(const mapper::QualitySample& q) {
  std::string out = "quality of uniformly drawn valid mappings: " + std::to_string(q.energy_pj.size()) +
                    " valid of " + std::to_string(q.draws) + " drawn\n";
  if (q.energy_pj.empty()) return out + "  no valid mapping drawn\n";
  out += distribution_line("energy pJ", q.energy_pj);
  out += distribution_line("EDP pJ*cycles", q.edp);
  return out;
}

}  // namespace outpace::report
