#include "mapper/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "model/evaluate.hpp"

namespace outpace::mapper {

namespace {

void add(Traffic& into, const Traffic& more) {
  for (std::size_t l = 0; l < kMaxLevels; ++l) {
    into.reads[l] += more.reads[l], into.fills[l] += more.fills[l], into.updates[l] += more.updates[l];
  }
}

/// Distinct points of tensor t touched by a box of iterations with these extents: at least the
/// product over its dimensions of the largest extent among the terms that index it (one term
/// per tensor dimension already maps the box injectively).
double distinct_points(const workload::Tensor& t, const std::int64_t* extent) {
  double points = 1;
  for (const workload::TensorDim& td : t.dims) {
    std::int64_t widest = 1;
    for (const workload::Term& term : td.terms) widest = std::max(widest, extent[term.dim]);
    points *= static_cast<double>(widest);
  }
  return points;
}


void add_tensor(const MapSpace& s, const Tiling& t, const SpatialBasis& sh, int ti, Traffic& tr);

/// The width a tensor dimension's terms span over iterations with these extents.
std::int64_t span(const workload::TensorDim& td, const std::int64_t* extent) {
  std::int64_t width = 1;
  for (const workload::Term& term : td.terms) width += term.coef * (extent[term.dim] - 1);
  return width;
}

/// Points of tensor t in a tile with these iteration extents.
double tile_points(const workload::Tensor& t, const std::int64_t* extent) {
  double points = 1;
  for (const workload::TensorDim& td : t.dims) points *= static_cast<double>(span(td, extent));
  return points;
}

/// The basis without the compulsory traffic.
void fill_basis(const MapSpace& s, const Tiling& t, SpatialBasis& b) {
  const int levels = s.levels(), dims = s.dims();
  double above_all = 1;  // product of the spatial factors above the level
  for (int l = levels - 1; l >= 0; --l) {
    b.used[l] = above_all;
    for (int d = 0; d < dims; ++d) above_all *= static_cast<double>(t.spatial[l][d]);
  }
  b.steps = static_cast<double>(s.einsum().macs()) / above_all;
  for (int d = 0; d < dims; ++d) {
    std::int64_t above = 1, below = 1;
    for (int l = levels - 1; l >= 0; --l) {
      b.box[l][d] = s.einsum().bounds[d] / above;
      above *= t.spatial[l][d];
    }
    for (int l = 0; l < levels; ++l) b.served[l][d] = below *= t.spatial[l][d];
  }
}

/// Sets the shape's levels `from` to `upto` (the levels below are set already).
void fill_rows(const MapSpace& s, const Tiling& t, int from, int upto, Shape& sh) {
  for (int l = from; l <= upto; ++l) {
    // The points of an instance's whole run over those of one tile: products of integers below
    // 2^53 are exact in doubles, and so is the quotient (the tile divides the box).
    double box = 1, tile = 1;
    for (int d = 0; d < s.dims(); ++d) {
      sh.inner[l][d] = (l > 0 ? sh.inner[l - 1][d] : 1) * t.spatial[l][d] * t.temporal[l][d];
      box *= static_cast<double>(sh.basis->box[l][d]);
      tile *= static_cast<double>(sh.inner[l][d]);
    }
    sh.iterations[l] = box / tile;
    for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
      sh.tile_words[l][ti] = tile_points(s.einsum().tensors[ti], sh.inner[l]);
  }
}

/// The shape of the levels up to `upto` (the others are left unset).
Shape shape_of(const MapSpace& s, const Tiling& t, const SpatialBasis& basis, int upto) {
  Shape sh;
  sh.basis = &basis;
  fill_rows(s, t, 0, upto, sh);
  return sh;
}

/// Compulsory traffic of tensor ti, added to `tr`: every used instance of a keeper receives (and
/// its parent sends) each distinct word its subtree uses once; the innermost keeper serves the
/// MACs at every step.
void add_tensor(const MapSpace& s, const Tiling& t, const SpatialBasis& sh, int ti, Traffic& tr) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  int inner = -1;  // the keeper below the current one
  for (int l = 0; l < s.levels(); ++l) {
    if (!((t.keep[l] >> ti) & 1u)) continue;
    const double own = sh.used[l] * distinct_points(tensor, sh.box[l]);
    if (inner < 0) {  // serves the MACs at every step
      const double per_step = sh.steps * sh.used[l] * distinct_points(tensor, sh.served[l]);
      if (tensor.is_output) {
        tr.updates[l] += per_step;
        tr.reads[l] += std::max(0.0, per_step - own);
      } else {
        tr.reads[l] += per_step;
      }
    } else if (tensor.is_output) {
      tr.updates[l] += own;
    } else {
      tr.reads[l] += own;
    }
    if (l < s.levels() - 1 && !tensor.is_output) tr.fills[l] += own;
    inner = l;
  }
}

/// Energy and cycles of the least traffic `tr`.
Bound finish(const MapSpace& s, const SpatialBasis& sh, const Traffic& tr) {
  const arch::Arch& a = s.arch();
  Bound b;
  b.cycles = sh.steps;
  b.energy_pj = sh.mac_pj;
  for (int l = 0; l < s.levels(); ++l) {
    const arch::StorageLevel& level = a.levels[l];
    const double* e = sh.per_word[l];
    b.energy_pj += tr.reads[l] * e[0] + tr.fills[l] * e[1] + tr.updates[l] * e[2];
    if (!sh.bandwidth_limited[l]) continue;
    const double writes = tr.fills[l] + (level.update_bandwidth ? 0 : tr.updates[l]);
    const double bandwidth[3] = {level.read_bandwidth, level.write_bandwidth,
                                 level.update_bandwidth.value_or(arch::kUnbounded)};
    const double words[3] = {tr.reads[l], writes, tr.updates[l]};
    for (int i = 0; i < 3; ++i) {
      // The cycles are whole: words clearly within them at this bandwidth cannot raise them (a
      // product first; the division only when it may).
      if (words[i] <= b.cycles * sh.used[l] * bandwidth[i] * (1 - 1e-9)) continue;
      b.cycles = std::max(b.cycles, std::ceil(words[i] / sh.used[l] / bandwidth[i]));
    }
  }
  for (int l = 0; l < s.levels(); ++l)
    b.energy_pj += a.levels[l].energy.leak_pj_per_cycle * b.cycles * static_cast<double>(a.levels[l].instances);
  return b;
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

/// Every level's order free.
constexpr const Order* kFreeOrders[kMaxLevels] = {};

/// A keeper's words beyond the compulsory ones: its fills, its parent's reads and updates.
struct KeeperWords {
  double fills = 0, reads = 0, updates = 0;
  bool closed = true;  ///< they depend on the levels up to `decided` only
  /// When not closed: the energy its words add when the innermost loop above `decided` is not
  /// over one of its passive dimensions (its run then ends at `decided`).
  double stopped_pj = 0;

  void add_to(Traffic& tr, int k, int p) const {
    tr.fills[k] += fills, tr.reads[p] += reads, tr.updates[p] += updates;
  }
};

/// Keeper k of tensor ti when the temporal factors of levels up to `decided` are known (and `rem`
/// of each dimension is left for the levels above): its words beyond the compulsory ones. A move
/// that changes the index of a loop over one of the tensor's plain dimensions replaces its tile
/// whole; the other dimensions are *passive* (unused or sliding). The tile moves whole at least
/// (temporal iterations above it) / (the longest run of passive loops that can sit innermost
/// above it) times; its parent sends each word to at most the siblings that differ only along
/// passive dimensions. Not closed when the run reaches past `decided` (the words depend on `rem`).
KeeperWords keeper_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem,
                         int decided, const Order* const* orders, int ti, int k) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  const SpatialBasis& b = *sh.basis;
  const Traffic& floor = b.compulsory[ti];
  const int p = b.parent[ti][k];
  const std::uint32_t passive = b.passive[ti];
  const std::int64_t* extent = sh.inner[k];
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
  const double known_words =
      run.sliding ? run_words(tensor, extent, run, sh, t, nullptr, decided) : sh.tile_words[k][ti];
  const double words_of_run =
      open && run.sliding ? run_words(tensor, extent, run, sh, t, rem, decided) : known_words;
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

/// The runs that reach past the known levels all start with the same loop, the innermost one
/// above them; a run for which its dimension is not passive ends there. The least, over the
/// dimensions that loop can be (those with something left), of the energy those runs add.
class FirstLoop {
 public:
  void add(const KeeperWords& w, std::uint32_t passive) {
    if (w.stopped_pj <= 0) return;
    for (std::size_t d = 0; d < kMaxDims; ++d)
      if (!((passive >> d) & 1u)) extra_[d] += w.stopped_pj;
  }
  double least(const std::int64_t* rem, int dims) const {
    double least = 0;
    bool any = false;  // nothing left: no loop, nothing added
    for (int d = 0; d < dims; ++d)
      if (rem[d] > 1) least = any ? std::min(least, extra_[d]) : extra_[d], any = true;
    return least;
  }

 private:
  double extra_[kMaxDims] = {};
};

/// True when level k keeps tensor ti below the outermost level: a keeper with a parent.
bool has_parent(const Tiling& t, const SpatialBasis& b, int ti, int k) {
  return ((t.keep[k] >> ti) & 1u) && b.parent[ti][k] >= 0;
}

/// Tensor ti: its compulsory traffic and every keeper's moves (keeper_moves) up to `decided`;
/// the runs that reach past `decided` noted in `first` when given.
void add_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem, int decided,
               const Order* const* orders, int ti, Traffic& tr, FirstLoop* first = nullptr) {
  add(tr, sh.basis->compulsory[ti]);
  for (int k = 0; k <= decided && k < s.levels(); ++k) {
    if (!has_parent(t, *sh.basis, ti, k)) continue;
    const KeeperWords words = keeper_moves(s, t, sh, rem, decided, orders, ti, k);
    words.add_to(tr, k, sh.basis->parent[ti][k]);
    if (first) first->add(words, sh.basis->passive[ti]);
  }
}

/// The per-tensor fields of the basis that add_moves reads.
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

}  // namespace

SpatialBasis spatial_basis(const MapSpace& s, const Tiling& t) {
  SpatialBasis b;
  fill_basis(s, t, b);
  for (int l = 0; l < s.levels(); ++l) {
    const arch::StorageLevel& level = s.arch().levels[l];
    const double block = level.block_size;
    b.per_word[l][0] = level.energy.read_pj / block;
    b.per_word[l][1] = level.energy.write_pj / block;
    b.per_word[l][2] = level.energy.update_pj / block;
    b.bandwidth_limited[l] = !std::isinf(level.read_bandwidth) || !std::isinf(level.write_bandwidth) ||
                             (level.update_bandwidth && !std::isinf(*level.update_bandwidth));
  }
  b.mac_pj = static_cast<double>(s.einsum().macs()) * s.arch().compute.mac_energy_pj;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) {
    add_tensor(s, t, b, ti, b.compulsory[ti]);
    add(b.all_compulsory, b.compulsory[ti]);
    fill_moves_basis(s, t, ti, b);
  }
  return b;
}

Bound partial_lower_bound(const MapSpace& s, const Tiling& t, const int* order_choice, int from,
                          bool exact_fixed, const SpatialBasis* basis, const Shape* shape) {
  std::optional<SpatialBasis> own;
  if (!basis) own = spatial_basis(s, t);
  Shape computed;
  if (!shape) computed = shape_of(s, t, basis ? *basis : *own, s.levels() - 1);
  const Shape& sh = shape ? *shape : computed;
  const int levels = s.levels();
  const Order* orders[kMaxLevels] = {};
  int choice[kMaxLevels] = {};
  for (int l = from; l < levels; ++l) {
    choice[l] = order_choice[l];
    orders[l] = &s.orders(l, t.temporal_dims(l, s.dims()))[choice[l]];
  }
  // One evaluation gives every count that depends on fixed orders only.
  model::Result r;
  const bool evaluated = exact_fixed && from < levels;
  if (evaluated) r = model::evaluate(s.einsum(), s.arch(), s.build(t, choice));
  std::int64_t none[kMaxDims];
  for (std::int64_t& n : none) n = 1;
  Traffic tr;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) {
    Traffic est;
    add_moves(s, t, sh, none, levels - 1, orders, ti, est);
    int inner = -1;  // keeper below
    for (int l = 0; l < levels; ++l) {
      if (!((t.keep[l] >> ti) & 1u)) continue;
      const model::TensorStats* ts = evaluated ? &r.levels[l].tensors[ti] : nullptr;
      // A level's fills depend on the orders above it; its reads and updates on those above the
      // keeper below (or on none: the MACs' traffic).
      const bool fills_known = ts && l + 1 >= from, served_known = ts && (inner < 0 || inner + 1 >= from);
      tr.fills[l] += fills_known ? static_cast<double>(ts->fills) : est.fills[l];
      tr.reads[l] += served_known ? static_cast<double>(ts->reads) : est.reads[l];
      tr.updates[l] += served_known ? static_cast<double>(ts->updates) : est.updates[l];
      inner = l;
    }
  }
  return finish(s, *sh.basis, tr);
}

Bound level_order_bound(const MapSpace& s, const Tiling& t, int level, int order_choice,
                        const SpatialBasis& basis, const Shape* shape) {
  Shape computed;
  if (!shape) computed = shape_of(s, t, basis, s.levels() - 1);
  const Shape& sh = shape ? *shape : computed;
  const Order* orders[kMaxLevels] = {};
  orders[level] = &s.orders(level, t.temporal_dims(level, s.dims()))[order_choice];
  std::int64_t none[kMaxDims];
  for (std::int64_t& n : none) n = 1;
  Traffic tr;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) add_moves(s, t, sh, none, s.levels() - 1, orders, ti, tr);
  return finish(s, *sh.basis, tr);
}

Bound tiling_bound(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided,
                   const SpatialBasis& basis) {
  const Shape sh = shape_of(s, t, basis, decided);  // keeper_moves reads the levels up to decided
  Traffic tr;
  FirstLoop first;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
    add_moves(s, t, sh, rem, decided, kFreeOrders, ti, tr, &first);
  Bound bound = finish(s, basis, tr);
  bound.energy_pj += first.least(rem, s.dims());
  return bound;
}

void TilingBounds::reset(const SpatialBasis& basis) {
  shape_.basis = &basis;
  std::fill(std::begin(stored_), std::end(stored_), false);
}

Bound TilingBounds::operator()(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided) {
  const SpatialBasis& b = *shape_.basis;
  const int tensors = s.einsum().num_tensors();
  int base = decided - 1;  // the last reusable call below
  while (base >= 0 && !stored_[base]) --base;
  for (int l = std::max(decided, 0); l < s.levels(); ++l) stored_[l] = false;
  fill_rows(s, t, base + 1, decided, shape_);
  Traffic traffic = base >= 0 ? closed_[base] : b.all_compulsory;
  struct Open {  // words of a keeper whose run still reaches past `decided` (plain: not zeroed)
    double fills, reads, updates;
    int k, p;
  } open[kMaxTensors * kMaxLevels];
  int opened = 0;
  std::uint32_t still_open[kMaxTensors] = {};
  FirstLoop first;
  for (int ti = 0; ti < tensors; ++ti) {
    std::uint32_t keepers = base >= 0 ? open_[base][ti] : 0;
    for (int k = base + 1; k <= decided; ++k)
      if (has_parent(t, b, ti, k)) keepers |= 1u << k;
    for (int k = 0; k <= decided; ++k) {
      if (!((keepers >> k) & 1u)) continue;
      const KeeperWords words = keeper_moves(s, t, shape_, rem, decided, kFreeOrders, ti, k);
      if (words.closed) {
        words.add_to(traffic, k, b.parent[ti][k]);
        continue;
      }
      open[opened++] = {words.fills, words.reads, words.updates, k, b.parent[ti][k]};
      still_open[ti] |= 1u << k;
      first.add(words, b.passive[ti]);
    }
  }
  if (decided >= 0) {
    stored_[decided] = true;
    closed_[decided] = traffic;
    std::copy(still_open, still_open + tensors, open_[decided]);
  }
  for (int i = 0; i < opened; ++i) {
    const Open& o = open[i];
    traffic.fills[o.k] += o.fills, traffic.reads[o.p] += o.reads, traffic.updates[o.p] += o.updates;
  }
  Bound bound = finish(s, b, traffic);
  bound.energy_pj += first.least(rem, s.dims());
  return bound;
}

std::optional<Bound> TilingBounds::outermost_order(const MapSpace& s, const Tiling& t, const Order& order) const {
  const int top = s.levels() - 1;
  if (top < 1 || !stored_[top - 1] || !stored_[top]) return std::nullopt;
  const SpatialBasis& b = *shape_.basis;
  const Order* orders[kMaxLevels] = {};
  orders[top] = &order;
  std::int64_t none[kMaxDims];
  std::fill(std::begin(none), std::end(none), 1);
  Traffic traffic = closed_[top - 1];  // the runs that end below the outermost level
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
    for (int k = 0; k < top; ++k)
      if ((open_[top - 1][ti] >> k) & 1u)
        keeper_moves(s, t, shape_, none, top, orders, ti, k).add_to(traffic, k, b.parent[ti][k]);
  return finish(s, b, traffic);
}

Bound tiling_bound(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided) {
  return tiling_bound(s, t, rem, decided, spatial_basis(s, t));
}

Bound ordered_lower_bound(const MapSpace& s, const Tiling& t, const SpatialBasis* basis) {
  return partial_lower_bound(s, t, nullptr, s.levels(), true, basis);
}

Bound space_lower_bound(const MapSpace& s) {
  const arch::Arch& a = s.arch();
  const workload::Einsum& e = s.einsum();
  const arch::StorageLevel& top = a.levels.back();
  Bound b;
  const double macs = static_cast<double>(e.macs());
  b.cycles = std::ceil(macs / static_cast<double>(a.compute.instances));
  b.energy_pj = macs * a.compute.mac_energy_pj;
  for (const workload::Tensor& t : e.tensors)
    b.energy_pj += distinct_points(t, e.bounds.data()) *
                   (t.is_output ? top.energy.update_pj : top.energy.read_pj) / top.block_size;
  return b;
}

}  // namespace outpace::mapper
