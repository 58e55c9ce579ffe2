#pragma once
// A chainable builder of mapping::Mapping for tests, by dimension, tensor and level names:
//
//   MappingBuilder(e, a).level("RF").temporal("R", 3).temporal("C", 2).keep("Weights")
//       .level("GLB").spatial_x("Q", 14).spatial_y("K", 4).keep("Inputs", "Outputs")
//       .level("DRAM").temporal("K", 2).keep_all().build();
//
// Levels are listed innermost first, as Mapping::levels is ordered. With an architecture, the
// i-th level() must name the architecture's level i, and build() needs every level; without
// one, level() takes an optional name that only tells the reader which level it is, and build()
// gives as many levels as were started. Within a level, loops keep their call order: the first
// temporal() is the innermost temporal loop, and spatial loops are listed as called. A level
// keeps no tensor (bypasses all) unless keep() or keep_all() says so. The builder does not
// validate: repeated loops, factors past the bounds or over the fanout are built as written.
// An unknown dimension, tensor or level name, a level out of place or missing, or a loop before
// the first level() throws std::logic_error with a message naming it, which fails the test.
// The builder keeps its own copy of the names, so a temporary Einsum or Arch may be passed.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::test {

/// Builds a mapping::Mapping by names, one level at a time, innermost level first.
class MappingBuilder {
 public:
  /// A mapping of `einsum` onto `arch`, whose level names level() checks.
  MappingBuilder(workload::Einsum einsum, const arch::Arch& arch) : einsum_(std::move(einsum)) {
    arch_levels_.emplace();
    for (const arch::StorageLevel& l : arch.levels) arch_levels_->push_back(l.name);
  }
  /// A mapping of `einsum` with no architecture: level names are not checked.
  explicit MappingBuilder(workload::Einsum einsum) : einsum_(std::move(einsum)) {}

  /// Starts the next level outward; with an architecture, `name` must be its level there.
  MappingBuilder& level(const std::string& name = "") {
    const std::size_t i = mapping_.levels.size();
    if (arch_levels_) {
      const std::vector<std::string>& names = *arch_levels_;
      std::size_t at = 0;
      while (at < names.size() && names[at] != name) ++at;
      if (at == names.size()) fail("unknown level '" + name + "'" + known(names));
      if (at != i)
        fail("level '" + name + "' is the architecture's level " + std::to_string(at) +
             ", given as level " + std::to_string(i) + " (levels go innermost first)");
    }
    mapping_.levels.push_back({});
    return *this;
  }
  /// Adds a temporal loop over dimension `dim` outside the current level's earlier ones.
  MappingBuilder& temporal(const std::string& dim, std::int64_t factor) {
    current().temporal.push_back({dim_index(dim), factor});
    return *this;
  }
  /// Adds a spatial loop over dimension `dim` along the X axis of the current level's fanout.
  MappingBuilder& spatial_x(const std::string& dim, std::int64_t factor) {
    current().spatial.push_back({dim_index(dim), factor, mapping::Axis::X});
    return *this;
  }
  /// Adds a spatial loop over dimension `dim` along the Y axis of the current level's fanout.
  MappingBuilder& spatial_y(const std::string& dim, std::int64_t factor) {
    current().spatial.push_back({dim_index(dim), factor, mapping::Axis::Y});
    return *this;
  }
  /// Makes the current level keep the named tensors, as a list: keep({"Inputs", "Outputs"}).
  MappingBuilder& keep(std::initializer_list<std::string_view> tensors) {
    for (std::string_view name : tensors) {
      const int t = einsum_.tensor_index(std::string(name));
      if (t < 0) fail("unknown tensor '" + std::string(name) + "'" + known(tensor_names()));
      current().keep |= 1u << t;
    }
    return *this;
  }
  /// Makes the current level keep the named tensors: keep("Inputs", "Outputs").
  template <class... Names>
  MappingBuilder& keep(const Names&... tensors) {
    return keep({std::string_view(tensors)...});
  }
  /// Makes the current level keep every tensor of the Einsum.
  MappingBuilder& keep_all() {
    current().keep = (1u << einsum_.num_tensors()) - 1;
    return *this;
  }
  /// The mapping; with an architecture, every one of its levels must have been started.
  mapping::Mapping build() const {
    if (arch_levels_ && mapping_.levels.size() != arch_levels_->size())
      fail("the mapping has " + std::to_string(mapping_.levels.size()) +
           " levels, the architecture has " + std::to_string(arch_levels_->size()));
    return mapping_;
  }

 private:
  [[noreturn]] static void fail(const std::string& message) {
    throw std::logic_error("MappingBuilder: " + message);
  }
  static std::string known(const std::vector<std::string>& names) {
    std::string out = " (known:";
    for (const std::string& n : names) out += " " + n;
    return out + ")";
  }
  std::vector<std::string> tensor_names() const {
    std::vector<std::string> out;
    for (const workload::Tensor& t : einsum_.tensors) out.push_back(t.name);
    return out;
  }
  int dim_index(const std::string& name) const {
    const int d = einsum_.dim_index(name);
    if (d < 0) fail("unknown dimension '" + name + "'" + known(einsum_.dim_names));
    return d;
  }
  mapping::LevelMapping& current() {
    if (mapping_.levels.empty()) fail("call level() before adding loops or kept tensors");
    return mapping_.levels.back();
  }

  workload::Einsum einsum_;
  std::optional<std::vector<std::string>> arch_levels_;  ///< level names, when given an arch
  mapping::Mapping mapping_;
};

}  // namespace outpace::test
