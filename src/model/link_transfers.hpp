#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "common/limits.hpp"

namespace outpace::model {

/// A point or a translation in a tensor's coordinates.
using Offset = std::array<std::int64_t, kMaxTensorDims>;

/// Where the children of one instance of a level sit, for Timeloop's link search
/// (docs/timeloop-semantics.md, rule 4): each child's offset in the tensor and its mesh
/// neighbours, as Timeloop places them.
struct LinkNeighbourhood {
  std::vector<Offset> offset;                         ///< per child
  /// Per child: the children next to it (up to four; -1 marks no more).
  std::vector<std::array<std::int64_t, 4>> neighbours;
  std::int64_t distinct = 0;  ///< distinct offsets among all children (D of the level)

  /// For a delta that repeats a neighbour's previous one moved by `o` (its offset minus the
  /// child's): the distinct offsets among the children that have no such neighbour, and how many
  /// children do.
  struct Links {
    std::int64_t distinct_unlinked = 0, linked = 0;
  };
  Links links(const Offset& o) const;
};

/// One spatial loop of the level whose children are searched for links, in the mapping's order.
struct LinkLoop {
  int tensor_dim = -1;    ///< the tensor dimension the loop moves along (-1: none)
  std::int64_t step = 0;  ///< how far one iteration moves the child's tile along it
  std::int64_t factor = 1;
  bool along_x = true;
};

/// The children of one instance of a level with these spatial loops, placed as Timeloop places
/// them: child (x, y), x and y mixed-radix over the X and Y loops (the first listed fastest), has
/// index x + X·y, read back on an H x V grid, H and V the larger of the level's fanout and its
/// used factors along each axis; its neighbours are the grid's four around it that are children.
LinkNeighbourhood link_neighbourhood(const std::vector<LinkLoop>& loops, std::int64_t fanout_x,
                                     std::int64_t fanout_y);

/// Timeloop's link transfers over the sequence of one child's calls (rules 1, 2 and 4 of
/// docs/timeloop-semantics.md): the calls follow the mixed-radix counter over the temporal loops
/// above the child, as in StrideResets. A call's delta is the whole tile (the first, a reset, a
/// move past the tile) or the tile minus its previous position; it repeats a neighbour's previous
/// delta when both have the same shape and the neighbour sits at the offset that maps one onto
/// the other. Then the parent reads fewer words (`saved`, counted in the child level's distinct
/// offsets) and the children receive `transfers` words from their neighbours.
class LinkTransfers {
 public:
  /// The advance of one temporal loop above the child, innermost loop first.
  struct Move {
    Offset translation{};
    std::int64_t iterations = 2;  ///< iterations the sequence visits: the factor, or 2
    std::int64_t scale = 1;       ///< times each iteration after the first counts
  };
  struct Totals {
    std::int64_t saved = 0;      ///< parent words not read (per distinct offset of the level)
    std::int64_t transfers = 0;  ///< words received over links, per instance of the level
    Totals& operator+=(const Totals& o) {
      return saved += o.saved, transfers += o.transfers, *this;
    }
    friend Totals operator-(const Totals& a, const Totals& b) {
      return {a.saved - b.saved, a.transfers - b.transfers};
    }
    friend Totals operator*(std::int64_t k, const Totals& t) {
      return {k * t.saved, k * t.transfers};
    }
  };

  LinkTransfers(std::vector<Move> moves, const Offset& widths, int dims,
                bool reset_on_stride_change, const LinkNeighbourhood& neighbourhood);
  Totals total();

 private:
  /// After a call: the remembered translation class (-1: none) and the last delta's shape class
  /// and whether it was the whole tile.
  struct State {
    int memory = -1;
    int last = -1;  ///< -1: the first call
    bool whole = true;
    friend auto operator<=>(const State&, const State&) = default;
  };
  struct Swept {
    State exit;
    Totals totals;
  };

  State advance(int j, const State& s, Totals& t);
  State sweep(int j, const State& s, Totals& t);
  Swept repeat(int j, const State& s);
  /// The delta's shape, its box corner in the tile, and its words, for a call of loop j.
  struct Shape {
    int kind = 0;  ///< 0 empty, 1 whole tile, 2 a slab along one axis, 3 an L shape
    int axis = -1;
    std::int64_t thickness = 0;
    Offset corner{};
    std::int64_t words = 0;
  };
  Shape shape(int j, bool whole) const;

  std::vector<Move> moves_;
  std::vector<int> class_;  ///< per move: moves with equal translations share a class
  Offset widths_;
  int dims_;
  std::int64_t tile_words_ = 1;
  bool reset_;
  const LinkNeighbourhood& neighbourhood_;
  std::map<std::tuple<int, State>, Swept> memo_;
  std::map<Offset, LinkNeighbourhood::Links> links_;
};

}  // namespace outpace::model
