#pragma once

#include <cstdint>
#include <string>

#include "arch/arch.hpp"
#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapping {

/// The mesh direction a spatial loop spreads over.
enum class Axis : std::uint8_t { X, Y };

/// A temporal loop: iterate dimension `dim` `factor` times.
struct TemporalLoop {
  int dim = 0;
  std::int64_t factor = 1;
  friend bool operator==(const TemporalLoop&, const TemporalLoop&) = default;
};

/// A spatial loop: spread `factor` slices of dimension `dim` over the children along `axis`.
struct SpatialLoop {
  int dim = 0;
  std::int64_t factor = 1;
  Axis axis = Axis::X;
  friend bool operator==(const SpatialLoop&, const SpatialLoop&) = default;
};

/// What one storage level does: its temporal loops (innermost first), the spatial loops that
/// fan out to its children (nested inside its temporal loops), and which tensors it keeps.
struct LevelMapping {
  FixedVector<TemporalLoop, kMaxDims> temporal;
  FixedVector<SpatialLoop, 2 * kMaxDims> spatial;
  std::uint32_t keep = 0;  ///< bit t set: this level keeps tensor t; otherwise it is bypassed

  /// True when this level keeps tensor t.
  bool keeps(int t) const { return (keep >> t) & 1u; }
  friend bool operator==(const LevelMapping&, const LevelMapping&) = default;
};

/// A mapping of one Einsum onto one architecture; levels[i] belongs to arch level i.
struct Mapping {
  FixedVector<LevelMapping, kMaxLevels> levels;
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

/// The kinds of rule a mapping can break.
enum class ViolationKind : std::uint8_t {
  kLevelCount,       ///< value: mapping levels, limit: arch levels
  kBadDim,           ///< a loop names a dimension the Einsum does not have
  kBadFactor,        ///< value: a factor below 1
  kRepeatedLoop,     ///< dimension `index` has two temporal (or two spatial) loops at `level`
  kFactorProduct,    ///< dimension `index`: factors multiply to value, bound is limit
  kWastedIteration,  ///< dimension `index`: factors multiply to value, past bound limit by more
                     ///< than a residual (some loop's last iteration never runs)
  kFanoutX,          ///< level's spatial X factors multiply to value, fanout X is limit
  kFanoutY,          ///< same along Y
  kOutermostBypass,  ///< the outermost level must keep every tensor; tensor `index` is bypassed
  kCapacity,         ///< level's kept tiles need value words, capacity is limit
  kOverflow,         ///< a figure passes 64-bit integers (or is not finite): value is its
                     ///< Quantity, at `level` (or -1) for tensor `index` (or -1)
};

/// The figure a kOverflow violation is about (its `value`).
enum class Quantity : std::uint8_t {
  kMacs,
  kSteps,
  kInstances,
  kTileWords,
  kReads,
  kFills,
  kUpdates,
  kCycles,
  kEnergy,
  kResidualBound,  ///< steps x largest tensor x instances, for residual tiles
};

/// One broken rule, with the numbers that show it.
struct Violation {
  ViolationKind kind = ViolationKind::kLevelCount;
  int level = -1;  ///< arch level, or -1
  int index = -1;  ///< dimension or tensor, or -1
  std::int64_t value = 0;
  std::int64_t limit = 0;
  friend bool operator==(const Violation&, const Violation&) = default;
};

/// Every violation found, up to a fixed number (further ones are dropped, `overflowed` is set).
struct Violations {
  FixedVector<Violation, 32> items;
  bool overflowed = false;
  /// Records a violation unless the list is full.
  void add(const Violation& v);
  bool empty() const { return items.empty(); }
};

/// A sentence naming the level, dimension or tensor and the rule the violation breaks.
std::string describe(const Violation& v, const workload::Einsum& einsum, const arch::Arch& arch);

/// Structural rules: level count, known dimensions, factors, factor products, fanout, and the
/// outermost level keeping every tensor. Capacity needs tile sizes and is checked by the model.
/// A dimension's factors multiply to its bound, or, when `allow_residual`, past it with residual
/// tiles (imperfect factorization, docs/model.md) as long as every loop's last iteration runs.
Violations validate(const workload::Einsum& einsum, const arch::Arch& arch, const Mapping& mapping,
                    bool allow_residual = true);
/// Like validate(), appending to `out` (no copy of the list; for the model's hot path).
void validate_into(const workload::Einsum& einsum, const arch::Arch& arch, const Mapping& mapping,
                   Violations& out, bool allow_residual = true);
/// True when some dimension's factors multiply past its bound (a valid mapping's residual tiles).
bool has_residual(const workload::Einsum& einsum, const Mapping& mapping);

}  // namespace outpace::mapping
