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
  /// Σ over the first step (unless kOut) and every step at which the tiles of level `child` move,
  /// over the instances of `top`, of the words the union over the active siblings counts.
  Sum moved(const workload::Tensor& t, int child, int top, Words words);
  /// Σ over the instances of `top` of the union of the last tiles of the children under each.
  Sum last(const workload::Tensor& t, int child, int top);

  /// One dimension at one kind of step: its partition, its situations (fetched on demand) and,
  /// for a dimension whose factors multiply to its bound, their count and the shift of the kept
  /// tile from the new one, the same for every member (closed forms).
  struct DimState {
    Partition part;
    int query_views = -1;  ///< Situations::query_views
    int view = -1;
    std::int64_t fixed = 1;      ///< product of the ranges of the fixed loops but the advancing one
    std::int64_t count = 1;      ///< situations
    std::int64_t inner_max = 0;  ///< Σ (factor - 1)·stride over the inner temporal loops
    std::int64_t shift = 0;      ///< kept tile's start minus the new one's
    std::int64_t advance_factor = 1, advance_stride = 0;
  };
  /// Σ of n and m (docs/model.md) over the situations of one tensor dimension.
  struct DimSums {
    std::int64_t n = 0, m = 0;
  };

 private:
  /// Every dimension at the kind of step being counted, for one query.
  struct Steps {
    Query query;
    DimState dim[kMaxDims];
    int advancing = -1;            ///< dimension of the advancing loop, or -1
    std::uint32_t changed = ~0u;   ///< dimensions changed since the sums were last computed
    Words words = Words::kAll;     ///< the words the sums were last computed for
    DimSums sums[kMaxTensorDims];  ///< per tensor dimension, at the current kind of step
    std::int64_t free = 1;  ///< situations of the dimensions the tensor does not use, with a worker
  };
  /// Per tensor dimension, what does not change from step to step, for one child and top.
  struct Prepared {
    const workload::Tensor* tensor = nullptr;
    int child = -2, top = -2;
    std::uint32_t used = 0;                 ///< the loop dimensions the tensor uses (bits)
    std::uint32_t dims[kMaxTensorDims];     ///< the loop dimensions of its terms (bits)
    bool closed[kMaxTensorDims];            ///< every term's factors multiply to its bound
    std::int64_t width[kMaxTensorDims];     ///< the child's tile width along it (closed only)
    /// [first, last) of gaps_: the gaps between the siblings' sorted offsets, as (gap, how many)
    std::uint32_t gaps[kMaxTensorDims][2];
  };

  const Prepared& prepare(const workload::Tensor& t, int child, int top);
  void start(Steps& st, const Query& q);
  void advance(Steps& st, const DimLoop& loop);
  std::int64_t step_words(const workload::Tensor& t, const Prepared& p, Steps& st, Words words);
  DimSums closed_sums(const workload::TensorDim& td, const Prepared& p, int k, const Steps& st,
                      Words words) const;
  DimSums enumerated_sums(const workload::TensorDim& td, Steps& st, Words words);
  DimSums one_term_sums(const workload::Term& term, int view, Words words) const;
  std::int64_t working(Steps& st, int d);
  int view(Steps& st, int d);
  /// U(ℓ): the points covered by copies of an interval of length ℓ at the offsets of `gaps`.
  std::int64_t covered(const std::uint32_t gaps[2], std::int64_t length) const;

  Situations situations_;
  std::vector<std::int64_t> offsets_;
  std::vector<std::pair<std::int64_t, std::int64_t>> gaps_;
  std::vector<Prepared> prepared_;
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
