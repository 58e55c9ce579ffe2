#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace outpace::model {

/// Timeloop's reset on stride change (docs/timeloop-semantics.md, rule 1) over the sequence of
/// a child's tile moves. The moves follow a mixed-radix counter over the loops above the child:
/// a sweep of loops 0..j is a sweep of 0..j-1, then (an advance of j, a sweep of 0..j-1) x
/// (iterations_j - 1). The state after a call is "first or reset" or "normal, last translation
/// class c"; a call resets when the state is normal and its translation class differs. A reset
/// receives the whole tile: `overlap` more words than a normal move for the child, `kept` more
/// for the parent. Under temporal extrapolation (rule 2) every loop runs 2 iterations and the
/// second stands for `scale` = factor - 1 of them: its words count `scale` times. Sweeps are
/// memoized per (loop, entry state), and the advances of one loop jump over their period once
/// the state repeats. Used only under Options::reset_on_stride_change.
class StrideResets {
 public:
  /// The advance of one temporal loop above the child, innermost loop first.
  struct Move {
    int translation_class;    ///< moves with equal translations share a class
    std::int64_t iterations;  ///< iterations the sequence visits: the factor, or 2 extrapolated
    std::int64_t scale;       ///< times each iteration after the first counts: 1, or factor - 1
    std::int64_t overlap;     ///< extra words for the child when this move resets
    std::int64_t kept;        ///< extra words for the parent when this move resets
  };
  /// Extra words over the whole run.
  struct Extra {
    std::int64_t share = 0, parent = 0;
    Extra& operator+=(const Extra& o) { return share += o.share, parent += o.parent, *this; }
    friend Extra operator-(const Extra& a, const Extra& b) {
      return {a.share - b.share, a.parent - b.parent};
    }
    friend Extra operator*(std::int64_t k, const Extra& e) { return {k * e.share, k * e.parent}; }
  };

  explicit StrideResets(std::vector<Move> moves);
  /// Extra words over the whole run, starting from the first tile.
  Extra total();

 private:
  static constexpr int kFirst = -1;  ///< state after the first tile or a reset
  struct Cached {
    bool done = false;
    int exit = kFirst;
    Extra extra;
  };

  int advance(int j, int state, Extra& extra) const;
  int sweep(int j, int state, Extra& extra);
  Cached repeat(int j, int state);

  std::vector<Move> moves_;
  std::vector<Cached> memo_;
};

}  // namespace outpace::model
