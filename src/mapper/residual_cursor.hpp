#pragma once

#include <cstdint>

#include "mapper/tiling_cursor.hpp"

namespace outpace::mapper {

/// Walks the residual tilings of one keep choice (docs/mapper.md, "The residual map space"):
/// per dimension every factor at every slot up to what is left with ceiling semantics, each
/// loop's last iteration running ((f - 1) x the factors inside it in nest order < the bound),
/// the outermost temporal slot taking the factor that just reaches the bound. Slots in
/// MapSpace::slots() order, each factor increasing; a factor that breaks a fanout, a capacity or
/// an outer loop's last iteration ends its position's loop (every larger one breaks it too).
/// The filter is called as TilingCursor's, with rem[d] the least factor the slots left must
/// still multiply to (⌈bound / the factors known⌉).
class ResidualCursor {
 public:
  ResidualCursor(const MapSpace& space, int keep_choice, TilingFilter* filter = nullptr);
  /// The next tiling (padded factors), or nullptr when there are no more; valid until the next
  /// call.
  const Tiling* next();
  /// Partial tilings the filter dropped so far.
  std::uint64_t cut() const { return cut_; }
  /// Factors tried so far at every position.
  std::uint64_t examined() const { return examined_; }

 private:
  static constexpr int kMaxPositions = 2 * kMaxLevels * kMaxDims;
  bool advance(int p);
  bool breaks_rule(int p);
  bool runs_last_iterations(int d) const;
  bool filtered(int p);
  bool finish();
  std::int64_t inside(int d, int level, bool spatial) const;

  const MapSpace& space_;
  Tiling tiling_{};
  int dims_;
  int positions_;
  int first_temporal_ = 0;
  std::int64_t index_[kMaxPositions];  ///< the factor at each position, 0 = not set
  bool started_ = false;
  TilingFilter* filter_;
  std::uint64_t cut_ = 0, examined_ = 0;
};

}  // namespace outpace::mapper
