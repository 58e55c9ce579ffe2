#include "netmap/layer_constraints.hpp"

#include <string>
#include <vector>

#include "common/config_error.hpp"
#include "mapper/feasibility.hpp"

namespace outpace::netmap {

void finish_constraints(mapper::Dataflow dataflow, const ConstraintSources& where,
                        const workload::Einsum& einsum, const arch::Arch& arch,
                        mapper::Constraints& c) {
  std::vector<Diagnostic> errors;
  for (const std::string& m : mapper::apply_dataflow(dataflow, einsum, arch, c))
    errors.push_back({where.dataflow, m});
  for (const std::string& m : mapper::check(c, einsum, arch)) errors.push_back({where.file, m});
  if (errors.empty())
    for (const std::string& m : mapper::infeasibility(c, einsum, arch))
      errors.push_back({where.file, m + "; no mapping can meet this"});
  // A bound no level may take (row stationary on one PE): the constrained space is empty. Said
  // at the dataflow's option when it alone constrains the layer.
  const bool flow_alone = !where.from_file && dataflow != mapper::Dataflow::kFree;
  if (errors.empty())
    for (const std::string& m : mapper::unsplittable_dimensions(c, einsum, arch))
      errors.push_back(
          {flow_alone ? where.dataflow : where.file, m + "; no mapping can meet this"});
  if (!errors.empty()) throw ConfigError(std::move(errors));
}

mapper::Constraints layer_constraints(
    const workload::Einsum& einsum, const arch::Arch& arch, mapper::Dataflow dataflow,
    const ConstraintSources& where,
    const std::function<void(const workload::Einsum&, const arch::Arch&, mapper::Constraints&)>&
        extra) {
  mapper::Constraints c = mapper::arch_constraints(einsum, arch);
  if (extra) extra(einsum, arch, c);
  finish_constraints(dataflow, where, einsum, arch, c);
  return c;
}

}  // namespace outpace::netmap
