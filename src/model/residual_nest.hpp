#pragma once

// The loop nest of an imperfect mapping seen per dimension, and its situations: the assignments
// of the loop indices that stay fixed while a tile moves (docs/model.md, "How the model counts
// them"). Internal to the model (imperfect.cpp).
#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "common/limits.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::model::residual {

/// One loop with a factor above 1, seen from its dimension.
struct DimLoop {
  int pos;  ///< position in the whole nest, outermost first
  int level;
  bool spatial;
  std::int64_t factor;
  std::int64_t stride;  ///< points of the dimension one iteration moves: the factors inside it
};

/// The loop nest per dimension. Nest order: levels from the outermost, each with its temporal
/// loops (outer to inner) and then its spatial loops.
struct Nest {
  int levels = 0, dims = 0;
  std::vector<DimLoop> loops[kMaxDims];  ///< outermost first
  std::int64_t bound[kMaxDims];
  std::int64_t extent[kMaxLevels + 1][kMaxDims];  ///< [l + 1][d]: padded span in one instance of l
  bool perfect[kMaxDims];                         ///< the factors multiply to the bound
  std::vector<DimLoop> temporal;                  ///< every temporal loop, outermost first

  std::int64_t ext(int level, int d) const { return extent[level + 1][d]; }
};

/// The nest of a mapping per dimension.
Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m);

/// Calls visit(sum) for every assignment of a digit in [first[i], last[i]] to each loop, where
/// sum is Σ digit·stride.
template <class Visit>
void for_each_offset(const std::vector<const DimLoop*>& loops, const std::vector<std::int64_t>& first,
                     const std::vector<std::int64_t>& last, Visit visit) {
  for (std::size_t i = 0; i < loops.size(); ++i)
    if (first[i] > last[i]) return;
  std::vector<std::int64_t> digit(first);
  for (;;) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < loops.size(); ++i) sum += digit[i] * loops[i]->stride;
    visit(sum);
    std::size_t i = loops.size();
    while (i > 0 && ++digit[i - 1] > last[i - 1]) digit[i - 1] = first[i - 1], --i;
    if (i == 0) return;
  }
}

/// Calls visit(sum) for every assignment of every digit of the loops.
template <class Visit>
void for_each_offset(const std::vector<const DimLoop*>& loops, Visit visit) {
  std::vector<std::int64_t> first(loops.size(), 0), last;
  for (const DimLoop* loop : loops) last.push_back(loop->factor - 1);
  for_each_offset(loops, first, last, visit);
}

/// What a count looks at: the tiles of level `child` (-1: the MACs) over the child instances
/// under one instance of level `top` (the siblings; top == child: one instance alone), summed
/// over every instance of `top`, or over its first instance only.
struct Query {
  int child = -1;
  int top = -1;
  bool first_only = false;
};

/// Which steps a sum runs over: the first one, the steps at which a given temporal loop
/// advances (the loops inside it back at 0), or the last step (each instance's last tile).
enum class Moment { kFirst, kAdvance, kLast };

/// One child instance along one dimension at one situation: whether it works, its tile's start
/// and width (points of the dimension), and those of the tile it kept from its previous
/// working step (width 0: none).
struct Member {
  bool active = false;
  std::int64_t lo = 0, width = 0, kept_lo = 0, kept_width = 0;
};
/// One situation class: its members (one per sibling index along the dimension, positions
/// relative to the first working one, since every count is invariant under translation) and
/// how many situations have them.
struct Situation {
  std::int64_t count = 0;
  std::vector<Member> members;
};

/// Situations depend on the dimension, the query and the moment, not on the tensor: every
/// tensor's counts share them.
class SituationCache {
 public:
  explicit SituationCache(const Nest& n) : n_(n) {}
  /// Every situation of dimension d for the query at the moment (`advance`: the advancing loop).
  const std::vector<Situation>& get(int d, const Query& q, Moment when, const DimLoop* advance);
  const Nest& nest() const { return n_; }

 private:
  const Nest& n_;
  std::map<std::array<int, 6>, std::vector<Situation>> cache_;
};

}  // namespace outpace::model::residual
