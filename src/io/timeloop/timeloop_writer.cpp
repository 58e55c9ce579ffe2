// write_timeloop_mapping: a Mapping as the `mapping:` directives timeloop-model reads.
// Every level gets a temporal entry, a spatial entry when it has children to fan out to, and a
// bypass entry; factors name every dimension, permutations list every dimension innermost first.
#include <algorithm>
#include <sstream>

#include "io/timeloop/timeloop_spec.hpp"

namespace outpace::io {

namespace {

[[noreturn]] void cannot_write(const std::string& message) {
  throw ConfigError({Diagnostic{SourceLocation{"timeloop mapping", 0, 0}, message}});
}

/// "C=3 M=1 ..." over every dimension, with the given factor or 1.
std::string factors_text(const workload::Einsum& e, const std::vector<std::int64_t>& factor) {
  std::string s;
  for (int d = 0; d < e.num_dims(); ++d)
    s += (d ? " " : "") + e.dim_names[d] + "=" + std::to_string(factor[d]);
  return s;
}

/// Every dimension once: `first` in order, then the others in dimension order.
std::string permutation_text(const workload::Einsum& e, const std::vector<int>& first) {
  std::string s;
  std::vector<bool> seen(e.dim_names.size(), false);
  for (int d : first) {
    s += e.dim_names[d];
    seen[d] = true;
  }
  for (int d = 0; d < e.num_dims(); ++d)
    if (!seen[d]) s += e.dim_names[d];
  return s;
}

/// Records a loop's factor; a second loop over one dimension is not expressible.
void add_factor(const workload::Einsum& e, const std::string& level, const char* kind, int dim,
                std::int64_t f, std::vector<std::int64_t>& factor, std::vector<int>& order) {
  if (dim < 0 || dim >= e.num_dims()) cannot_write("level '" + level + "': a loop over an unknown dimension");
  if (factor[dim] != 1 || std::count(order.begin(), order.end(), dim))
    cannot_write("level '" + level + "': two " + kind + " loops over dimension '" +
                 e.dim_names[dim] + "'; Timeloop has one factor per dimension and level");
  factor[dim] = f;
  order.push_back(dim);
}

void write_level(std::ostringstream& out, const workload::Einsum& e, const arch::Arch& a, int l,
                 const mapping::LevelMapping& lm) {
  const std::string& name = a.levels[l].name;
  const std::size_t n = e.dim_names.size();
  std::vector<std::int64_t> tf(n, 1), sf(n, 1);
  std::vector<int> torder, xorder, yorder;
  for (const mapping::TemporalLoop& t : lm.temporal) add_factor(e, name, "temporal", t.dim, t.factor, tf, torder);
  for (const mapping::SpatialLoop& s : lm.spatial)
    if (s.axis == mapping::Axis::X) add_factor(e, name, "spatial", s.dim, s.factor, sf, xorder);
  std::vector<int> sorder = xorder;
  for (const mapping::SpatialLoop& s : lm.spatial)
    if (s.axis == mapping::Axis::Y) add_factor(e, name, "spatial", s.dim, s.factor, sf, sorder);
  out << "  - target: " << name << "\n    type: temporal\n    factors: " << factors_text(e, tf)
      << "\n    permutation: " << permutation_text(e, torder) << "\n";
  // Timeloop refuses a spatial entry at a level with no fanout below it.
  if (a.fanout_x(l) * a.fanout_y(l) > 1 || !lm.spatial.empty())
    out << "  - target: " << name << "\n    type: spatial\n    factors: " << factors_text(e, sf)
        << "\n    permutation: " << permutation_text(e, sorder) << "\n    split: " << xorder.size()
        << "\n";
  std::string keep, bypass;
  for (int t = 0; t < e.num_tensors(); ++t)
    (lm.keeps(t) ? keep : bypass) += std::string(lm.keeps(t) ? (keep.empty() ? "" : ", ")
                                                             : (bypass.empty() ? "" : ", ")) +
                                     e.tensors[t].name;
  out << "  - target: " << name << "\n    type: bypass\n    keep: [" << keep << "]\n    bypass: ["
      << bypass << "]\n";
}

}  // namespace

void check_timeloop_names(const workload::Einsum& e, const std::string& where) {
  for (const std::string& d : e.dim_names)
    if (d.size() != 1)
      throw ConfigError({Diagnostic{SourceLocation{where, 0, 0},
                                    "dimension '" + d +
                                        "': a Timeloop mapping cannot name it (Timeloop "
                                        "permutations name dimensions by one letter)"}});
}

std::string write_timeloop_mapping(const workload::Einsum& e, const arch::Arch& a,
                                   const mapping::Mapping& m) {
  check_timeloop_names(e, "timeloop mapping");
  if (static_cast<int>(m.levels.size()) != a.num_levels())
    cannot_write("the mapping has " + std::to_string(m.levels.size()) +
                 " levels, the architecture " + std::to_string(a.num_levels()));
  std::ostringstream out;
  out << "# Written by Outpace: one temporal, spatial (where the level fans out) and bypass\n"
         "# entry per level, outermost first; permutations are innermost first.\n"
         "mapping:\n";
  for (int l = a.num_levels(); l-- > 0;) write_level(out, e, a, l, m.levels[l]);
  return out.str();
}

}  // namespace outpace::io
