#pragma once

#include <string>

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/result.hpp"
#include "workload/einsum.hpp"

namespace outpace::report {

/// Everything one evaluation report is about.
struct EvalReport {
  const workload::Einsum& einsum;
  const arch::Arch& arch;
  const mapping::Mapping& mapping;
  const model::Result& result;
};

/// The mapping as a readable loop nest, outermost level first, with each level's kept tensors.
std::string mapping_text(const workload::Einsum& einsum, const arch::Arch& arch,
                         const mapping::Mapping& mapping);
/// Human-readable report: totals, the per-level table, and every violation.
std::string report_text(const EvalReport& report);
/// The report as JSON, schema "outpace.eval/1" (documented in docs/formats.md).
std::string report_json(const EvalReport& report);

class JsonWriter;
/// Writes the members of report_json's object (with the given schema name) into an open object.
void write_eval_members(JsonWriter& json, const EvalReport& report, const char* schema);

}  // namespace outpace::report
