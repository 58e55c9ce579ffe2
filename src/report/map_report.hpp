#pragma once

#include <string>

#include "mapper/mapper.hpp"
#include "mapper/quality.hpp"
#include "report/eval_report.hpp"

namespace outpace::report {

/// The search statistics of a mapper run as text: what was evaluated, pruned and proven.
std::string search_text(const mapper::MapperResult& result, const mapper::Objective& objective);

/// A mapper run as JSON, schema "outpace.map/1": eval's members for the best mapping plus
/// `objective`, `mapping`, `proven_optimal`, `lower_bound` and `search` (docs/formats.md).
std::string map_json(const EvalReport& best, const mapper::MapperResult& result,
                     const mapper::Objective& objective);

class JsonWriter;
/// Writes the members of map_json's object (with the given schema name) into an open object.
void write_map_members(JsonWriter& json, const EvalReport& best, const mapper::MapperResult& result,
                       const mapper::Objective& objective, const char* schema);

/// The size of a map space at each pruning step as text.
std::string space_size_text(const mapper::SpaceSize& size);

/// The distribution of energy and EDP over uniformly drawn valid mappings as text: quantiles,
/// the spread max/min, and the spread within the best 5%.
std::string quality_text(const mapper::QualitySample& sample);

}  // namespace outpace::report
