#pragma once

// The situations of an imperfect nest per dimension (docs/model.md, "How the model counts
// them"): the assignments of the loop indices that stay fixed while a tile moves, grouped into
// classes that are translations of each other, each class counted in closed form from the digits
// of the bound. Internal to the model (imperfect.cpp).
#include <cstdint>
#include <vector>

#include "model/residual_nest.hpp"

namespace outpace::model::residual {

/// What a count looks at: the tiles of level `child` (-1: the MACs) over the child instances
/// under one instance of level `top` (the siblings; top == child: one instance alone), summed
/// over every instance of `top`, or over its first instance only.
struct Query {
  int child = -1;
  int top = -1;
  bool first_only = false;
};

/// Which of a dimension's temporal loops above the child stay fixed at a step: the first `outer`
/// of them (outermost first), the last of which is the advancing loop, past its first iteration,
/// when `advancing`. The first step and the last one have none.
struct Partition {
  int outer = 0;
  bool advancing = false;
};

/// One working child instance along one dimension in a situation: its tile's start and width
/// (points of the dimension) with the inner temporal loops at 0, and those of the tile it kept
/// from its previous working step (with no advancing loop: its last tile before the inner loops
/// wrap; never empty).
struct Member {
  std::int64_t lo = 0, width = 0, kept_lo = 0, kept_width = 0;
};

/// Situations that are translations of each other: how many run, and their members that work
/// (one per such sibling index along the dimension), indices [first, last) of
/// Situations::member.
struct SituationClass {
  std::int64_t count = 0;
  std::uint32_t first = 0, last = 0;
  /// No member works.
  bool empty() const { return first == last; }
};

/// Every situation of one dimension for one query and partition: classes [first, last) of
/// Situations::situation_class, and how many situations have a working member.
struct DimView {
  std::uint32_t first = 0, last = 0;
  std::int64_t working = 0;
};

/// The situations of every dimension, built on demand and kept for the evaluation: they depend
/// on the dimension, the query and the partition, not on the tensor or the step's words.
class Situations {
 public:
  explicit Situations(const Nest& n);
  /// The situations of dimension d under query q, one set per partition: an index for view().
  /// Queries that differ only where d has no loop share them (callers ask for the first
  /// instance only where d has a spatial loop above the top).
  int query_views(int d, const Query& q);
  /// The index of the situations of query_views `qv` under partition p, built on first use.
  int view(int qv, Partition p);
  const DimView& view_at(int i) const { return views_[i]; }
  /// How many views there are (view indices are below it).
  int views() const { return static_cast<int>(views_.size()); }
  const Nest& nest() const { return n_; }
  const SituationClass& situation_class(std::uint32_t i) const { return classes_[i]; }
  const Member& member(std::uint32_t i) const { return members_[i]; }

 private:
  DimView build(int d, const Query& q, Partition p);

  /// The views of one dimension under the queries that share a key, per partition.
  struct QueryViews {
    int d;
    Query query;
    std::uint32_t key;  ///< loops of d inside the child, inside the top, first instance only
    int next;           ///< the next QueryViews of d, or -1
    int view[kMaxLevels + 1][2];  ///< [outer][advancing]: index into views_, -1 until built
  };

  const Nest& n_;
  std::vector<QueryViews> query_views_;
  int head_[kMaxDims];  ///< per dimension, its first QueryViews, or -1
  std::vector<std::pair<std::int64_t, std::int64_t>> found_;  ///< build's (count, offset)
  std::vector<std::int64_t> siblings_;                        ///< build's sibling offsets
  std::vector<DimView> views_;
  std::vector<SituationClass> classes_;
  std::vector<Member> members_;
};

}  // namespace outpace::model::residual
