#include "mapper/keeper_moves.hpp"

#include <algorithm>

#include "mapper/timeloop_bounds.hpp"

namespace outpace::mapper::bounds_detail {

namespace {

/// The width a tensor dimension's terms span over iterations with these extents.
std::int64_t span(const workload::TensorDim& td, const std::int64_t* extent) {
  std::int64_t width = 1;
  for (const workload::Term& term : td.terms) width += term.coef * (extent[term.dim] - 1);
  return width;
}

/// The offsets of a keeper's tile over one run of passive loops along one tensor dimension: a
/// sum of arithmetic progressions, one per sliding loop in the run (docs/mapper.md, "Lower
/// bounds").
class RunOffsets {
 public:
  void add(double stride, double count) {
    if (count <= 1) return;
    int i = size_++;  // insertion keeps the steps sorted by stride
    for (; i > 0 && steps_[i - 1].stride > stride; --i) steps_[i] = steps_[i - 1];
    steps_[i] = {stride, count};
  }
  /// At most the points that copies of an interval of width w at these offsets cover: folded in
  /// order of stride while the union stays one interval; at the first gap the copies of that
  /// progression are disjoint (exact), and the progressions after it are left out (fewer
  /// offsets never cover more points). `interval` tells whether the union is one interval.
  double cover(double w, bool& interval) const {
    double covered = w;
    interval = false;
    for (int i = 0; i < size_; ++i) {
      if (steps_[i].stride > covered) return covered * steps_[i].count;
      covered += (steps_[i].count - 1) * steps_[i].stride;
    }
    interval = true;
    return covered;
  }

 private:
  struct Step {
    double stride, count;
  };
  static constexpr int kCapacity = kMaxLevels * kMaxTerms;
  Step steps_[kCapacity];
  int size_ = 0;
};

/// A run of passive loops above a keeper: its length, and per tensor dimension the offsets its
/// sliding loops give the tile.
struct PassiveRun {
  std::uint32_t sliding = 0;  ///< the passive dimensions that move the tile (bit d)
  double length = 1;
  RunOffsets offsets[kMaxTensorDims];
};

/// Adds level j's temporal loop over passive dimension d to the run; a sliding one also moves
/// the tile by its step along the tensor dimensions it indexes.
void add_to_run(const workload::Tensor& tensor, const Tiling& t, const std::int64_t (*inner)[kMaxDims],
                int j, int d, PassiveRun& run) {
  const double factor = static_cast<double>(t.temporal[j][d]);
  run.length *= factor;
  if (!((run.sliding >> d) & 1u)) return;  // an unused dimension: the tile stays
  const double step = static_cast<double>((j > 0 ? inner[j - 1][d] : 1) * t.spatial[j][d]);
  for (std::size_t k = 0; k < tensor.dims.size(); ++k)
    for (const workload::Term& term : tensor.dims[k].terms)
      if (term.dim == d) run.offsets[k].add(static_cast<double>(term.coef) * step, factor);
}

/// Adds the passive loops level j can place innermost to the run: those before its first other
/// loop in `order`, or, with the order free (nullptr), all of them. False when another loop ends
/// the run at this level.
bool passive_prefix(const workload::Tensor& tensor, const Tiling& t, const std::int64_t (*inner)[kMaxDims],
                    int j, int dims, const Order* order, std::uint32_t passive, PassiveRun& run) {
  if (order) {
    for (std::int8_t d : *order) {
      if (!((passive >> d) & 1u)) return false;  // the loop list holds factors above 1 only
      add_to_run(tensor, t, inner, j, d, run);
    }
    return true;
  }
  bool other = false;
  for (int d = 0; d < dims; ++d) {
    if (t.temporal[j][d] <= 1) continue;
    if ((passive >> d) & 1u) add_to_run(tensor, t, inner, j, d, run);
    else other = true;
  }
  return !other;
}

/// Words one run receives: the union of the tiles (extents `extent`) at the run's offsets. With
/// `rem`, the run also takes every loop left for the levels above `decided`: along a sliding
/// dimension d their offsets are unknown, but any two are at least coef x (level `decided`'s tile
/// along d x the spatial factor above it) apart (the tile of each level holds the span of the
/// loops inside it), so that when the known offsets cover one interval of width L, rem[d] of
/// them cover at least L + (rem[d] - 1) x min(gap, L). Per tensor dimension the best single
/// loop dimension counts (a subset of the offsets never covers more).
double run_words(const workload::Tensor& tensor, const std::int64_t* extent, const PassiveRun& run,
                 const Shape& sh, const Tiling& t, const std::int64_t* rem, int decided) {
  double words = 1;
  for (std::size_t kd = 0; kd < tensor.dims.size(); ++kd) {
    bool interval = false;
    double covered = run.offsets[kd].cover(static_cast<double>(span(tensor.dims[kd], extent)), interval);
    if (rem && interval) {
      double more = 0;
      for (const workload::Term& term : tensor.dims[kd].terms) {
        if (!((run.sliding >> term.dim) & 1u) || rem[term.dim] <= 1) continue;
        const double gap = static_cast<double>(term.coef * sh.inner[decided][term.dim] *
                                               t.spatial[decided + 1][term.dim]);
        more = std::max(more, static_cast<double>(rem[term.dim] - 1) * std::min(gap, covered));
      }
      covered += more;
    }
    words *= covered;
  }
  return words;
}

}  // namespace

void add(Traffic& into, const Traffic& more) {
  for (std::size_t l = 0; l < kMaxLevels; ++l) {
    into.reads[l] += more.reads[l], into.fills[l] += more.fills[l], into.updates[l] += more.updates[l];
  }
}

double distinct_points(const workload::Tensor& t, const std::int64_t* extent) {
  double points = 1;
  for (const workload::TensorDim& td : t.dims) {
    std::int64_t widest = 1;
    for (const workload::Term& term : td.terms) widest = std::max(widest, extent[term.dim]);
    points *= static_cast<double>(widest);
  }
  return points;
}

double tile_points(const workload::Tensor& t, const std::int64_t* extent) {
  double points = 1;
  for (const workload::TensorDim& td : t.dims) points *= static_cast<double>(span(td, extent));
  return points;
}

KeeperWords keeper_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem,
                         int decided, const Order* const* orders, int ti, int k) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  const SpatialBasis& b = *sh.basis;
  const Traffic& floor = b.compulsory[ti];
  const int p = b.parent[ti][k];
  const std::uint32_t passive = b.passive[ti];
  const std::int64_t* extent = sh.inner[k];
  // Under Timeloop's counting a run of a sliding tensor receives at least its first tile (a
  // sliding output: nothing beyond the compulsory traffic).
  const bool first_tile_only = timeloop_counting(b) && slides(b, ti);
  if (first_tile_only && tensor.is_output) return {};
  PassiveRun run;
  run.sliding = b.sliding[ti] & passive;
  double known_length = 0;  // when the run reaches past `decided`: its length up to there
  for (int j = k + 1; j < s.levels(); ++j) {
    if (j > decided) {  // all that is left of the passive dimensions may sit innermost
      known_length = run.length;
      for (int d = 0; d < s.dims(); ++d)
        if ((passive >> d) & 1u) run.length *= static_cast<double>(rem[d]);
      break;
    }
    if (!passive_prefix(tensor, t, sh.inner, j, s.dims(), orders[j], passive, run)) break;
  }
  const bool open = known_length > 0;
  // Each run starts after a plain index changed: it receives at least the union of its tiles
  // (a whole tile when nothing slides).
  const bool union_of_tiles = run.sliding && !first_tile_only;
  const double known_words = union_of_tiles
                                 ? run_words(tensor, extent, run, sh, t, nullptr, decided)
                                 : sh.tile_words[k][ti];
  const double words_of_run =
      open && union_of_tiles ? run_words(tensor, extent, run, sh, t, rem, decided) : known_words;
  const double per_sibling = b.inverse_fanin[ti][k];
  const auto moved = [&](double length, double words_per_run) {
    const double words = b.used[k] * words_per_run * std::max(1.0, sh.iterations[k] / length);
    KeeperWords out;
    if (tensor.is_output) {  // partial sums: the first read of each output is elided
      const double up = words * per_sibling;
      out.updates = std::max(0.0, up - floor.updates[p]);
      out.reads = std::max(0.0, (up - b.own[ti][p]) - floor.reads[p]);
      out.fills = std::max(0.0, words - b.own[ti][k] - floor.fills[k]);
    } else {
      out.fills = std::max(0.0, words - floor.fills[k]);
      out.reads = std::max(0.0, words * per_sibling - floor.reads[p]);
    }
    return out;
  };
  KeeperWords out = moved(run.length, words_of_run);
  if (!open) return out;
  const auto energy = [&](const KeeperWords& w) {
    return w.fills * b.per_word[k][1] + w.reads * b.per_word[p][0] + w.updates * b.per_word[p][2];
  };
  out.closed = false;
  out.stopped_pj = energy(moved(known_length, known_words)) - energy(out);
  return out;
}

void add_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem, int decided,
               const Order* const* orders, int ti, Traffic& tr, FirstLoop* first) {
  add(tr, sh.basis->compulsory[ti]);
  for (int k = 0; k <= decided && k < s.levels(); ++k) {
    if (!has_parent(t, *sh.basis, ti, k)) continue;
    const KeeperWords words = keeper_moves(s, t, sh, rem, decided, orders, ti, k);
    words.add_to(tr, k, sh.basis->parent[ti][k]);
    if (first) first->add(words, sh.basis->passive[ti]);
  }
}

void fill_moves_basis(const MapSpace& s, const Tiling& t, int ti, SpatialBasis& b) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  std::uint32_t passive = (1u << s.dims()) - 1, sliding = 0;
  for (const workload::TensorDim& td : tensor.dims) {
    if (td.terms.size() == 1) passive &= ~(1u << td.terms[0].dim);
    else
      for (const workload::Term& term : td.terms) sliding |= 1u << term.dim;
  }
  b.passive[ti] = passive, b.sliding[ti] = sliding;
  int parent = -1;
  for (int l = s.levels() - 1; l >= 0; --l) {
    b.parent[ti][l] = parent;
    b.own[ti][l] = b.used[l] * distinct_points(tensor, b.box[l]);
    double fanin = 1;
    for (int j = l + 1; parent >= 0 && j <= parent; ++j)
      for (int d = 0; d < s.dims(); ++d)
        if ((passive >> d) & 1u) fanin *= static_cast<double>(t.spatial[j][d]);
    b.inverse_fanin[ti][l] = 1 / fanin;
    if ((t.keep[l] >> ti) & 1u) parent = l;
  }
}

}  // namespace outpace::mapper::bounds_detail
