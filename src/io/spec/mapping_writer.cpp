// Writes a mapping in Outpace's own format (docs/formats.md, "Mapping"), which parse_mapping
// reads back to the same loops and kept tensors.
#include <cctype>
#include <string>
#include <vector>

#include "io/spec/mapping_spec.hpp"

namespace outpace::io {

namespace {

/// `s` as a YAML scalar: plain when it is a name YAML reads as that string, else double-quoted.
std::string scalar(const std::string& s) {
  bool plain = !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char c : s)
    plain =
        plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  std::string lower;  // YAML 1.1 reads these words, in any case, as booleans or null
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
    plain = plain && lower != word;
  if (plain) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return q + "\"";
}

/// "[K=4, N=16]": the loops' factors as DIM=N, in the order given.
template <class Loops>
std::string factors(const workload::Einsum& e, const Loops& loops) {
  std::string out = "[";
  for (const auto& loop : loops)
    out += (out.size() > 1 ? ", " : "") + e.dim_names[loop.dim] + "=" + std::to_string(loop.factor);
  return out + "]";
}

}  // namespace

std::string write_mapping(const workload::Einsum& e, const arch::Arch& a,
                          const mapping::Mapping& m) {
  std::string out = "mapping:\n";
  for (int l = 0; l < a.num_levels() && l < static_cast<int>(m.levels.size()); ++l) {
    const mapping::LevelMapping& lm = m.levels[l];
    out += "  - level: " + scalar(a.levels[l].name) + "\n";
    if (!lm.temporal.empty()) out += "    temporal: " + factors(e, lm.temporal) + "\n";
    for (const mapping::Axis axis : {mapping::Axis::X, mapping::Axis::Y}) {
      std::vector<mapping::SpatialLoop> along;
      for (const mapping::SpatialLoop& s : lm.spatial)
        if (s.axis == axis) along.push_back(s);
      if (!along.empty())
        out += std::string("    spatial_") + (axis == mapping::Axis::X ? "x" : "y") + ": " +
               factors(e, along) + "\n";
    }
    std::string kept;
    for (int t = 0; t < e.num_tensors(); ++t)
      if (lm.keeps(t)) kept += (kept.empty() ? "" : ", ") + scalar(e.tensors[t].name);
    out += "    keep: [" + kept + "]\n";
  }
  return out;
}

}  // namespace outpace::io
