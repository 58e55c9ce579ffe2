#pragma once

// The words that move between a child level and its parent in an imperfect nest, summed over the
// steps of each kind and over the instances (docs/model.md, "How the model counts them").
// Internal to the model (imperfect.cpp).
#include <cstdint>
#include <vector>

#include "model/residual_situations.hpp"

namespace outpace::model::residual {

/// Which words a sum counts per step, over the active siblings: those of the new tile not in the
/// kept one (kIn), those of the kept tile not in the new one (kOut), the whole new tile (kAll:
/// the MACs keep nothing; also the first tiles), or the whole kept tile (kLast: with no
/// advancing loop the kept tile is each instance's last one).
enum class Words { kIn, kOut, kAll, kLast };

/// A count over every instance of the top level, and over its first instance only.
struct Sum {
  std::int64_t all = 0, first = 0;
};

/// Counts the words of one evaluation; keeps the situations it builds for the next counts.
class WordCounter {
 public:
  explicit WordCounter(const Nest& n);
  /// The words that move between the child and its parent, over the instances of `top`.
  struct Moves {
    Sum sent;     ///< at the first step and every step at which the child's tiles move
    Sum written;  ///< written back (with `updates`): at every move, and each child's last tile
  };
  /// Σ over the steps at which the tiles of level `child` move (and the first), over the
  /// instances of `top`, of the words the union over the active siblings counts (`words`: kAll
  /// or kIn) and, with `updates`, of the words evicted (kOut) plus the last tiles (kLast).
  Moves moved(const workload::Tensor& t, int child, int top, Words words, bool updates);

  /// One dimension at one kind of step: its partition, its situations (fetched on demand; for
  /// every instance of the top and for its first one) and, for a dimension whose factors
  /// multiply to its bound, their count and the shift of the kept tile from the new one, the
  /// same for every member (closed forms).
  struct DimState {
    Partition part;
    int query_views[2];   ///< Situations::query_views: every instance, the first (-1: not yet)
    int view[2];          ///< Situations::view: every instance, the first (-1: not yet)
    std::int64_t spread;  ///< product of the spatial factors above the top
    /// Product of the ranges of the fixed loops but the advancing one, and situations (over
    /// every instance of the top, over its first one).
    std::int64_t fixed[2], count[2];
    std::int64_t inner_max;  ///< Σ (factor - 1)·stride over the inner temporal loops
    std::int64_t shift;      ///< kept tile's start minus the new one's
    std::int64_t advance_factor;
  };
  /// Σ of n and m (docs/model.md) over the situations of one tensor dimension.
  struct DimSums {
    std::int64_t n, m;
  };

 private:
  /// Every dimension at the kind of step being counted, for one child and top, over every
  /// instance of the top ([0]) and over its first instance ([1]).
  struct Steps {
    Query query;
    bool replicated = false;  ///< the top has several instances: [1] differs from [0]
    DimState dim[kMaxDims];
    int advancing = -1;  ///< dimension of the advancing loop, or -1
    /// Per Words, the dimensions changed since its sums were last computed, and the sums per
    /// tensor dimension at the current kind of step.
    std::uint32_t changed[4] = {~0u, ~0u, ~0u, ~0u};
    DimSums sums[4][2][kMaxTensorDims];
    std::uint32_t free_changed = ~0u;  ///< dimensions changed since `free` was computed
    /// Situations of the dimensions the tensor does not use, with a worker.
    std::int64_t free[2] = {1, 1};
  };
  /// Per tensor dimension, what does not change from step to step, for one child and top.
  struct Prepared {
    Prepared() {}        // NOLINT: prepare() sets what it uses; no need to clear the arrays first
    std::uint32_t used;  ///< the loop dimensions the tensor uses (bits)
    int dims;            ///< tensor dimensions
    struct Dim {
      std::uint32_t mask;  ///< the loop dimensions of its terms (bits)
      int terms;
      int dim[kMaxTerms];
      std::int64_t coef[kMaxTerms];
      bool closed;            ///< every term's factors multiply to its bound
      std::int64_t width;     ///< the child's tile width along it (closed only)
      std::int64_t cover;     ///< U(width): the siblings' tiles (closed only)
      std::uint32_t gaps[2];  ///< [first, last) of gaps_: between the siblings' sorted offsets
      std::int64_t spread;    ///< product of its dimensions' spatial factors above the top
    } dim[kMaxTensorDims];
  };

  /// What does not change from step to step for t, child and top (valid until the next call).
  const Prepared& prepare(const workload::Tensor& t, int child, int top);
  /// The gaps between the siblings' sorted offsets along td (none: one sibling).
  void sibling_gaps(const workload::TensorDim& td, int child, int top, Prepared::Dim& pd);
  /// Counts `times` more gaps of `gap` between the siblings' offsets of pd.
  void add_gap(Prepared::Dim& pd, std::int64_t gap, std::int64_t times);
  void start(Steps& st, int child, int top);
  void advance(Steps& st, const DimLoop& loop);
  /// Adds the words of one step to `out` (every instance, the first one).
  void step_words(const workload::Tensor& t, const Prepared& p, Steps& st, Words words, Sum& out);
  void closed_sums(const Prepared::Dim& pd, const Steps& st, Words words, DimSums& all,
                   DimSums& first) const;
  DimSums enumerated_sums(const workload::TensorDim& td, Steps& st, int first, Words words);
  DimSums one_term_sums(const workload::Term& term, int view, Words words) const;
  /// Sums of a tensor dimension of several loop dimensions (with `views` of them).
  DimSums combined_sums(const workload::TensorDim& td, const int* views, Words words);
  std::int64_t working(Steps& st, int d, int first);
  int view(Steps& st, int d, int first);
  /// U(ℓ): the points covered by copies of an interval of length ℓ at the offsets of `gaps`.
  std::int64_t covered(const std::uint32_t gaps[2], std::int64_t length) const;

  Situations situations_;
  std::vector<std::int64_t> offsets_;
  std::vector<std::pair<std::int64_t, std::int64_t>> gaps_;
  Prepared prepared_;  ///< for the walk under way
  struct Span {
    std::int64_t lo, hi;
  };
  std::vector<Span> cover_, counted_;
  /// Per view, the last sums of a one-term tensor dimension per Words and the coefficient.
  struct Cached {
    std::int64_t coef = 0;
    DimSums sums;
  };
  std::vector<Cached> cached_;  ///< [view * 4 + words]
  std::int64_t union_length(std::vector<Span>& spans) const;
};

}  // namespace outpace::model::residual
