#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "arch/bandwidth.hpp"
#include "common/source_location.hpp"

namespace outpace::arch {

/// Bandwidth value meaning "no limit".
inline constexpr Bandwidth kUnbounded{};
/// Largest capacity a storage level may have, in words: 2^50 (with at most 4,096 bits per word,
/// its bits stay within 2^62).
inline constexpr std::int64_t kMaxCapacityWords = std::int64_t{1} << 50;

/// Energy of one access of each kind to one instance of a storage level, per vector access
/// (block_size words); the model divides by block_size to get energy per word.
struct ActionEnergy {
  double read_pj = 0;    ///< one vector read
  double write_pj = 0;   ///< one vector fill (write of data arriving from the parent)
  double update_pj = 0;  ///< one vector update (write of a partial sum arriving from below)
  double leak_pj_per_cycle = 0;  ///< static energy of one instance per cycle
  /// Reads and updates a sparse feature gates (the port stays busy, the data does not move) or
  /// skips (model::Sparsity; docs/model.md, "Sparse model"); 0 unless given.
  double gated_read_pj = 0, skipped_read_pj = 0, gated_update_pj = 0, skipped_update_pj = 0;
  /// One word decompressed on its way in from a parent that stores it compressed, or compressed
  /// on its way back (model::Sparsity); 0 unless given.
  double decompression_pj = 0, compression_pj = 0;
};

/// A level's gating or skipping of one tensor's accesses when an element of a condition tensor is
/// zero, by tensor names (resolved against the layer when evaluated; docs/formats.md).
struct SparseFeature {
  bool skipping = false;  ///< skip (no cycle) rather than gate
  std::string target;
  std::vector<std::string> condition;
  SourceLocation where;  ///< where the spec wrote it, for messages
};

/// A level's sparse features: the tensors it stores compressed (only their nonzeros move) and
/// its gating and skipping.
struct LevelSparsity {
  std::vector<std::string> compressed;
  std::vector<SparseFeature> features;
  SourceLocation where;
  bool empty() const { return compressed.empty() && features.empty(); }
};

/// A storage level: one or more identical buffer instances laid out on an X-by-Y mesh.
struct StorageLevel {
  std::string name;
  std::optional<std::int64_t> capacity_words;  ///< words per instance; none = unbounded (DRAM)
  int word_bits = 16;
  int block_size = 1;                        ///< words per vector access
  Bandwidth read_bandwidth = kUnbounded;     ///< words per cycle per instance
  Bandwidth write_bandwidth = kUnbounded;    ///< words per cycle per instance: fills and updates
  std::optional<Bandwidth> update_bandwidth;  ///< if set, updates use their own port of this width
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1;                   ///< instances along X; mesh_y = instances / mesh_x
  /// Instances that answer one vector access together (Timeloop's `cluster-size`); it must
  /// divide `instances`. Only model::Options::cluster_energy reads it: an access is then charged
  /// once per used cluster. 1, the default, is no cluster.
  std::int64_t cluster_size = 1;
  ActionEnergy energy;
  LevelSparsity sparse;                      ///< none: a dense level
  double area_um2 = 0;                       ///< area of one instance
  std::int64_t mesh_y() const { return instances / mesh_x; }
};

/// The array of multiply-accumulate units at the bottom of the hierarchy.
struct ComputeUnit {
  std::string name = "MAC";
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1;
  int operand_bits = 16;
  double mac_energy_pj = 0;  ///< one multiply-accumulate
  /// A multiply-accumulate gated or skipped for a zero operand (model::Sparsity); 0 unless given.
  double gated_mac_pj = 0, skipped_mac_pj = 0;
  /// The MACs' own feature for a zero or missing operand (model::Sparsity).
  bool gating = false, skipping = false;
  double area_um2 = 0;       ///< one unit
  std::int64_t mesh_y() const { return instances / mesh_x; }
};

/// An accelerator: storage levels from innermost (index 0) to outermost, over a MAC array.
struct Arch {
  std::string name;
  std::string technology;  ///< the energy table's node, e.g. "45nm"
  std::vector<StorageLevel> levels;
  ComputeUnit compute;

  /// Number of storage levels.
  int num_levels() const { return static_cast<int>(levels.size()); }
  /// Index of the level with this name, or -1.
  int level_index(const std::string& name) const;
  /// Children per instance of level l along X (level l-1, or MACs under level 0).
  std::int64_t fanout_x(int l) const;
  /// Children per instance of level l along Y.
  std::int64_t fanout_y(int l) const;
  /// Total area: every instance of every level plus every MAC, in square micrometres.
  double area_um2() const;
};

/// What an architecture rule is about.
enum class Subject : std::uint8_t { kArch, kLevel, kCompute };

/// One rule the architecture breaks: what it is about, so that a reader can place it, and the
/// sentence naming the object and the rule.
struct Violation {
  Subject subject = Subject::kArch;
  int level = -1;       ///< the storage level, when subject is kLevel
  std::string message;  ///< e.g. "level 'GLB': meshX 5 must divide instances (168)"
  friend bool operator==(const Violation&, const Violation&) = default;
};

/// Every rule the architecture breaks; empty if valid.
std::vector<Violation> check(const Arch& arch);
/// The messages of check().
std::vector<std::string> check_messages(const Arch& arch);

}  // namespace outpace::arch
