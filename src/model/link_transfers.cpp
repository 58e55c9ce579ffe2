#include "model/link_transfers.hpp"

#include <algorithm>
#include <cstdlib>

#include "model/periodic_repeat.hpp"

namespace outpace::model {

LinkNeighbourhood link_neighbourhood(const std::vector<LinkLoop>& loops, std::int64_t fanout_x,
                                     std::int64_t fanout_y) {
  std::int64_t children = 1, along_x = 1, along_y = 1;
  for (const LinkLoop& loop : loops) {
    children *= loop.factor;
    (loop.along_x ? along_x : along_y) *= loop.factor;
  }
  const std::int64_t h_size = std::max(fanout_x, along_x), v_size = std::max(fanout_y, along_y);
  LinkNeighbourhood out;
  out.offset.assign(static_cast<std::size_t>(children), Offset{});
  std::vector<std::int64_t> child_at(static_cast<std::size_t>(children)), index_of(child_at.size());
  for (std::int64_t c = 0; c < children; ++c) {  // the last listed loop varies fastest in c
    std::int64_t rest = c, digit[2 * kMaxDims];
    for (std::size_t j = loops.size(); j-- > 0;)
      digit[j] = rest % loops[j].factor, rest /= loops[j].factor;
    std::int64_t x = 0, y = 0, x_radix = 1, y_radix = 1;
    for (std::size_t j = 0; j < loops.size(); ++j) {
      const LinkLoop& loop = loops[j];
      if (loop.tensor_dim >= 0)
        out.offset[static_cast<std::size_t>(c)][loop.tensor_dim] += digit[j] * loop.step;
      (loop.along_x ? x : y) += digit[j] * (loop.along_x ? x_radix : y_radix);
      (loop.along_x ? x_radix : y_radix) *= loop.factor;
    }
    index_of[static_cast<std::size_t>(c)] = x + along_x * y;
    child_at[static_cast<std::size_t>(x + along_x * y)] = c;
  }
  out.neighbours.assign(static_cast<std::size_t>(children), {-1, -1, -1, -1});
  for (std::int64_t c = 0; c < children; ++c) {
    const std::int64_t i = index_of[static_cast<std::size_t>(c)], h = i % h_size, v = i / h_size;
    const std::int64_t around[4][2] = {{h - 1, v}, {h + 1, v}, {h, v - 1}, {h, v + 1}};
    int found = 0;
    for (const auto& [nh, nv] : around)
      if (nh >= 0 && nh < h_size && nv >= 0 && nv < v_size && nh + h_size * nv < children)
        out.neighbours[static_cast<std::size_t>(c)][found++] =
            child_at[static_cast<std::size_t>(nh + h_size * nv)];
  }
  std::vector<Offset> sorted = out.offset;
  std::sort(sorted.begin(), sorted.end());
  out.distinct = std::unique(sorted.begin(), sorted.end()) - sorted.begin();
  return out;
}

LinkNeighbourhood::Links LinkNeighbourhood::links(const Offset& o) const {
  Links out;
  std::vector<Offset> unlinked;
  for (std::size_t c = 0; c < offset.size(); ++c) {
    bool linked = false;
    for (std::int64_t j : neighbours[c]) {
      if (j < 0) break;
      Offset d;
      for (std::size_t k = 0; k < d.size(); ++k)
        d[k] = offset[static_cast<std::size_t>(j)][k] - offset[c][k];
      linked = linked || d == o;
    }
    if (linked)
      ++out.linked;
    else
      unlinked.push_back(offset[c]);
  }
  std::sort(unlinked.begin(), unlinked.end());
  out.distinct_unlinked = std::unique(unlinked.begin(), unlinked.end()) - unlinked.begin();
  return out;
}

LinkTransfers::LinkTransfers(std::vector<Move> moves, const Offset& widths, int dims,
                             bool reset_on_stride_change, const LinkNeighbourhood& neighbourhood)
    : moves_(std::move(moves)),
      widths_(widths),
      dims_(dims),
      reset_(reset_on_stride_change),
      neighbourhood_(neighbourhood) {
  for (int k = 0; k < dims_; ++k) tile_words_ *= widths_[k];
  for (std::size_t j = 0; j < moves_.size(); ++j) {
    std::size_t first = 0;
    while (moves_[first].translation != moves_[j].translation) ++first;
    class_.push_back(first == j ? static_cast<int>(j) : class_[first]);
  }
}

LinkTransfers::Totals LinkTransfers::total() {
  Totals t;
  sweep(static_cast<int>(moves_.size()) - 1, State{}, t);
  return t;
}

LinkTransfers::Shape LinkTransfers::shape(int j, bool whole) const {
  Shape s;
  if (j < 0 || whole) return {.kind = 1, .words = tile_words_};
  const Offset& t = moves_[j].translation;
  int moved = 0;
  std::int64_t stays = 1;
  for (int k = 0; k < dims_; ++k) {
    const std::int64_t shift = std::abs(t[k]);
    if (shift >= widths_[k]) return {.kind = 1, .words = tile_words_};  // moved past the tile
    if (shift > 0) ++moved, s.axis = k, s.thickness = shift;
    stays *= widths_[k] - shift;
  }
  s.words = tile_words_ - stays;
  if (moved == 0) return s;  // kind 0: nothing new
  s.kind = moved == 1 ? 2 : 3;
  if (s.kind == 2 && t[s.axis] > 0) s.corner[s.axis] = widths_[s.axis] - s.thickness;
  return s;
}

/// The call of loop j after state s: whether it resets, whether its delta repeats a neighbour's
/// previous one, and the state after it.
LinkTransfers::State LinkTransfers::advance(int j, const State& s, Totals& t) {
  const int cls = class_[j];
  const bool reset = reset_ && s.memory >= 0 && s.memory != cls;
  const Shape now = shape(j, reset), before = shape(s.last, s.whole);
  const bool same =
      now.kind == before.kind &&
      (now.kind == 1 ||
       (now.kind == 2 && now.axis == before.axis && now.thickness == before.thickness) ||
       (now.kind == 3 && cls == class_[s.last]));
  if (now.words > 0 && same) {
    Offset o{};
    for (int k = 0; k < dims_; ++k)
      o[k] = moves_[j].translation[k] + now.corner[k] - before.corner[k];
    auto it = links_.find(o);
    if (it == links_.end()) it = links_.emplace(o, neighbourhood_.links(o)).first;
    const LinkNeighbourhood::Links& l = it->second;
    if (l.distinct_unlinked < neighbourhood_.distinct) {
      t.saved += (neighbourhood_.distinct - l.distinct_unlinked) * now.words;
      t.transfers += l.linked * now.words;
    }
  }
  return {.memory = reset_ && !reset ? cls : -1, .last = j, .whole = reset};
}

/// The calls of a sweep of loops 0..j from state s; returns the state after them.
LinkTransfers::State LinkTransfers::sweep(int j, const State& s, Totals& t) {
  if (j < 0) return s;
  auto it = memo_.find({j, s});
  if (it == memo_.end()) it = memo_.emplace(std::tuple{j, s}, repeat(j, s)).first;
  t += it->second.totals;
  return it->second.exit;
}

/// Sweep j-1, then (advance j, sweep j-1) x (iterations - 1), those scaled by the move's scale;
/// whole periods of the state are jumped over.
LinkTransfers::Swept LinkTransfers::repeat(int j, const State& s) {
  Swept out;
  const State state = sweep(j - 1, s, out.totals);
  Totals rest;  // the iterations after the first, counted once
  out.exit = repeat_periodic(moves_[j].iterations - 1, state, rest, [&](State at, Totals& sum) {
    return sweep(j - 1, advance(j, at, sum), sum);
  });
  out.totals += moves_[j].scale * rest;
  return out;
}

}  // namespace outpace::model
