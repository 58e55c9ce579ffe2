// The claims of mapper/orders.hpp against the model: orders it calls equivalent evaluate alike,
// canonical_orders keeps one order per class, and the spatial axis never enters the counts.
#include "mapper/orders.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "mapper/factorization.hpp"
#include "model/evaluate.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

using Rng = std::mt19937_64;
constexpr const char* kKindNames[] = {"conv2d", "gemm", "conv1d"};  ///< random_einsum's kinds

std::int64_t pick(Rng& rng, const std::vector<std::int64_t>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

/// 2 to 4 levels built like small_cases.hpp's small_arch: DRAM on top (one instance), random
/// X and Y fanouts (1-3 each) below every level, small capacities, some finite bandwidths.
arch::Arch random_arch(Rng& rng) {
  using arch::MemoryKind;
  const int levels = static_cast<int>(pick(rng, {2, 3, 4}));
  arch::Arch a;
  a.name = "random";
  a.technology = "45nm";
  a.levels.resize(levels);
  std::int64_t mx = 1, my = 1;  // mesh of the level being built, from the top down
  for (int l = levels - 1; l >= 0; --l) {
    const bool top = l == levels - 1;
    const MemoryKind kind = top      ? MemoryKind::kDram
                            : l == 0 ? MemoryKind::kRegisterFile
                                     : MemoryKind::kSram;
    const std::optional<std::int64_t> capacity =
        top ? std::nullopt : std::optional<std::int64_t>(pick(rng, {8, 16, 32, 64, 256}));
    a.levels[l] = arch::make_level("L" + std::to_string(l), kind, capacity, 16,
                                   static_cast<int>(pick(rng, {1, 2})), mx * my, mx);
    a.levels[l].read_bandwidth = pick(rng, {1, 2, 4, 1000});
    a.levels[l].write_bandwidth = pick(rng, {1, 3, 1000});
    if (pick(rng, {0, 1})) a.levels[l].update_bandwidth = arch::Bandwidth(2);
    mx *= pick(rng, {1, 2, 3});
    my *= pick(rng, {1, 2, 3});
  }
  a.compute = arch::make_compute(mx * my, mx, 16);
  return a;
}

/// The three Einsum shapes of the brief: a 7-dim conv2d (strides and dilations 1-2, Inputs
/// indexed by sliding windows), a GEMM, and small_cases.hpp's 3-dim conv1d; tiny bounds.
workload::Einsum random_einsum(int kind, Rng& rng) {
  if (kind == 0) {
    workload::ConvShape s;
    s.n = pick(rng, {1, 2});
    s.k = pick(rng, {2, 4});
    s.c = pick(rng, {2, 3});
    s.p = pick(rng, {2, 4, 6});
    s.q = pick(rng, {2, 3, 4});
    s.r = pick(rng, {1, 2, 3});
    s.s = pick(rng, {1, 2, 3});
    s.stride_h = pick(rng, {1, 2}), s.stride_w = pick(rng, {1, 2});
    s.dilation_h = pick(rng, {1, 2}), s.dilation_w = pick(rng, {1, 2});
    return workload::conv2d("conv2d", s);
  }
  if (kind == 1)
    return workload::gemm("gemm", pick(rng, {1, 2, 3, 4, 6}), pick(rng, {1, 2, 4, 6}),
                          pick(rng, {2, 3, 4, 8}));
  return testing::conv1d(pick(rng, {1, 2, 3, 4}), pick(rng, {2, 3, 4, 6}), pick(rng, {1, 2, 4}));
}

/// A random mapping, valid or not: each bound split over the slots in random order (a spatial
/// factor only where its random axis has room left), the outermost temporal slot taking the
/// rest; random loop orders (unit loops left out); random keep masks, the outermost keeping all.
/// One random "busy" level draws its temporal factors first, and above 1 where it can, so that
/// levels with many loops (where swaps can commute) are common.
mapping::Mapping random_mapping(const workload::Einsum& e, const arch::Arch& a, Rng& rng) {
  const int levels = a.num_levels(), dims = e.num_dims();
  std::int64_t room[kMaxLevels][2];
  for (int l = 0; l < levels; ++l) room[l][0] = a.fanout_x(l), room[l][1] = a.fanout_y(l);
  std::int64_t temporal[kMaxLevels][kMaxDims], spatial[kMaxLevels][kMaxDims];
  int axis[kMaxLevels][kMaxDims];
  std::vector<int> slots;  // 2l: temporal at l, 2l+1: spatial at l; the outermost temporal last
  for (int s = 0; s < 2 * levels; ++s)
    if (s != 2 * (levels - 1)) slots.push_back(s);
  const int busy = static_cast<int>(std::uniform_int_distribution<int>(0, levels - 1)(rng));
  for (int d = 0; d < dims; ++d) {
    std::shuffle(slots.begin(), slots.end(), rng);
    if (busy < levels - 1)
      std::iter_swap(slots.begin(), std::find(slots.begin(), slots.end(), 2 * busy));
    std::int64_t rest = e.bounds[d];
    for (int s : slots) {
      const int l = s / 2;
      std::vector<std::int64_t> choices = divisors(rest);
      if (s == 2 * busy && rest > 1) choices.erase(choices.begin());  // drops the divisor 1
      std::int64_t f = pick(rng, choices);
      if (s % 2 == 1) {
        axis[l][d] = static_cast<int>(pick(rng, {0, 1}));
        if (f > room[l][axis[l][d]]) f = 1;
        room[l][axis[l][d]] /= f;
      }
      (s % 2 ? spatial : temporal)[l][d] = f;
      rest /= f;
    }
    temporal[levels - 1][d] = rest;
  }
  mapping::Mapping m;
  m.levels.resize(levels);
  const std::uint32_t all = (1u << e.num_tensors()) - 1;
  for (int l = 0; l < levels; ++l) {
    std::vector<int> order(dims);
    for (int d = 0; d < dims; ++d) order[d] = d;
    std::shuffle(order.begin(), order.end(), rng);
    for (int d : order)
      if (temporal[l][d] > 1) m.levels[l].temporal.push_back({d, temporal[l][d]});
    for (int d = 0; d < dims; ++d)
      if (spatial[l][d] > 1)
        m.levels[l].spatial.push_back(
            {d, spatial[l][d], axis[l][d] ? mapping::Axis::Y : mapping::Axis::X});
    m.levels[l].keep =
        l == levels - 1 ? all : std::uniform_int_distribution<std::uint32_t>(0, all)(rng);
  }
  return m;
}

/// The Einsum, architecture and mapping in a form a reader can rebuild the case from.
std::string describe(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m) {
  std::ostringstream os;
  os << e.name << " bounds";
  for (int d = 0; d < e.num_dims(); ++d) os << ' ' << e.dim_names[d] << '=' << e.bounds[d];
  for (const workload::Tensor& t : e.tensors) {
    os << ' ' << t.name;
    for (const workload::TensorDim& td : t.dims) {
      os << '[';
      for (std::size_t i = 0; i < td.terms.size(); ++i)
        os << (i ? "+" : "") << td.terms[i].coef << e.dim_names[td.terms[i].dim];
      os << ']';
    }
  }
  for (int l = 0; l < a.num_levels(); ++l) {
    const arch::StorageLevel& s = a.levels[l];
    const mapping::LevelMapping& lm = m.levels[l];
    os << "\n  L" << l << " (capacity " << s.capacity_words.value_or(-1) << ", fanout "
       << a.fanout_x(l) << 'x' << a.fanout_y(l) << ", keep " << lm.keep << "): temporal";
    for (const auto& loop : lm.temporal) os << ' ' << e.dim_names[loop.dim] << loop.factor;
    os << " (innermost first); spatial";
    for (const auto& loop : lm.spatial)
      os << ' ' << e.dim_names[loop.dim] << loop.factor
         << (loop.axis == mapping::Axis::Y ? "@Y" : "@X");
  }
  return os.str();
}

/// Empty when the two results agree on every count the brief names, else the first difference
/// (level, tensor, field and both numbers; per-level counts first, then cycles and energy).
std::string first_difference(const workload::Einsum& e, const model::Result& a,
                             const model::Result& b) {
  if (a.valid != b.valid)
    return "valid " + std::to_string(a.valid) + " vs " + std::to_string(b.valid);
  for (std::size_t l = 0; l < a.levels.size(); ++l) {
    const std::string level = "level " + std::to_string(l);
    for (int t = 0; t < e.num_tensors(); ++t) {
      const model::TensorStats &x = a.levels[l].tensors[t], &y = b.levels[l].tensors[t];
      const std::int64_t xs[] = {x.reads, x.fills, x.updates, x.tile_words};
      const std::int64_t ys[] = {y.reads, y.fills, y.updates, y.tile_words};
      const char* names[] = {"reads", "fills", "updates", "tile_words"};
      for (int f = 0; f < 4; ++f)
        if (xs[f] != ys[f])
          return level + " tensor " + e.tensors[t].name + " " + names[f] + " " +
                 std::to_string(xs[f]) + " vs " + std::to_string(ys[f]);
    }
    if (a.levels[l].cycles != b.levels[l].cycles)
      return level + " cycles " + std::to_string(a.levels[l].cycles) + " vs " +
             std::to_string(b.levels[l].cycles);
  }
  std::ostringstream os;
  os.precision(17);
  if (a.cycles != b.cycles) os << "cycles " << a.cycles << " vs " << b.cycles;
  if (a.energy_pj != b.energy_pj) os << " energy_pj " << a.energy_pj << " vs " << b.energy_pj;
  return os.str();
}

/// The dimension order of a level's temporal loops, innermost first.
Order order_of(const mapping::LevelMapping& lm) {
  Order o;
  for (const auto& loop : lm.temporal) o.push_back(static_cast<std::int8_t>(loop.dim));
  return o;
}

/// True when every tensor sees the same prefix of both orders: orders.hpp calls them equivalent.
bool equivalent(const OrderEquivalence& eq, const Order& a, const Order& b) {
  for (int t = 0; t < eq.tensors(); ++t)
    if (eq.prefix(t, a) != eq.prefix(t, b)) return false;
  return true;
}

/// True when swapping the loops at positions i and i + 1 leaves an equivalent order (orders.hpp
/// has no separate commutation predicate; this is the one its equivalence implies).
bool commutes(const OrderEquivalence& eq, const Order& order, std::size_t i) {
  Order swapped = order;
  std::swap(swapped[i], swapped[i + 1]);
  return equivalent(eq, order, swapped);
}

/// An order as a number (4 bits per position, innermost lowest) for hashing.
std::uint64_t code_of(const Order& o) {
  std::uint64_t code = 0;
  for (std::size_t i = 0; i < o.size(); ++i)
    code |= static_cast<std::uint64_t>(o[i] + 1) << (4 * i);
  return code;
}

/// The class of each of `orders` under adjacent swaps at positions >= `frozen` that commutes()
/// allows, found by breadth-first search; classes are numbered from 0.
std::vector<int> swap_classes(const std::vector<Order>& orders, const OrderEquivalence& eq,
                              std::size_t frozen, int& count) {
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (std::size_t i = 0; i < orders.size(); ++i) index[code_of(orders[i])] = i;
  std::vector<int> cls(orders.size(), -1);
  count = 0;
  for (std::size_t start = 0; start < orders.size(); ++start) {
    if (cls[start] >= 0) continue;
    std::vector<std::size_t> queue{start};
    cls[start] = count;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const Order& o = orders[queue[q]];
      for (std::size_t i = frozen; i + 1 < o.size(); ++i) {
        if (!commutes(eq, o, i)) continue;
        Order next = o;
        std::swap(next[i], next[i + 1]);
        const std::size_t j = index.at(code_of(next));
        if (cls[j] < 0) cls[j] = count, queue.push_back(j);
      }
    }
    ++count;
  }
  return cls;
}

/// Checks canonical_orders(dims, eq, innermost) against the swap classes of the orders of
/// `dims` that start with the required loops: distinct, sorted, pairwise not equivalent, each
/// starting with the required loops, exactly one per class and the smallest of it. Returns the
/// number of classes.
int check_canonical(const OrderEquivalence& eq, std::uint32_t dims, const Order& innermost,
                    const std::string& what) {
  Order fixed;
  for (std::int8_t d : innermost)
    if ((dims >> d) & 1u) fixed.push_back(d);
  const auto starts_fixed = [&](const Order& o) {
    return std::equal(fixed.begin(), fixed.end(), o.begin());
  };
  std::vector<Order> orders;  // all_orders is lexicographic, so this is too
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (const Order& o : all_orders(dims))
    if (starts_fixed(o)) index[code_of(o)] = orders.size(), orders.push_back(o);
  int classes = 0;
  const std::vector<int> cls = swap_classes(orders, eq, fixed.size(), classes);
  const std::vector<Order> canon = canonical_orders(dims, eq, innermost);
  std::vector<int> found(classes, 0);
  std::set<std::vector<int>> seen;  // every tensor's prefix, concatenated
  for (std::size_t c = 0; c < canon.size(); ++c) {
    const std::string at = what + " canonical order " + std::to_string(c);
    EXPECT_TRUE(starts_fixed(canon[c])) << at;
    if (c > 0) {  // strictly increasing: sorted and distinct
      EXPECT_TRUE(std::lexicographical_compare(canon[c - 1].begin(), canon[c - 1].end(),
                                               canon[c].begin(), canon[c].end()))
          << at;
    }
    std::vector<int> key;
    for (int t = 0; t < eq.tensors(); ++t) {
      const std::vector<int> p = eq.prefix(t, canon[c]);
      key.insert(key.end(), p.begin(), p.end());
      key.push_back(-1);
    }
    EXPECT_TRUE(seen.insert(key).second) << at << " is equivalent to an earlier one";
    const auto it = index.find(code_of(canon[c]));
    if (it == index.end()) continue;  // not an order of `dims` starting with `fixed`
    const int k = cls[it->second];
    ++found[k];
    const std::size_t smallest = std::find(cls.begin(), cls.end(), k) - cls.begin();
    EXPECT_EQ(it->second, smallest) << at << " is not the smallest of its swap class";
  }
  for (int k = 0; k < classes; ++k)
    EXPECT_EQ(found[k], 1) << what << ": swap class " << k << " (holding order "
                           << std::find(cls.begin(), cls.end(), k) - cls.begin() << " of "
                           << orders.size() << ") has " << found[k] << " canonical orders";
  return classes;
}

/// One mapping of one Einsum on one architecture, with its evaluation.
struct Case {
  workload::Einsum einsum;
  arch::Arch arch;
  mapping::Mapping mapping;
  model::Result result;
};

/// A valid random mapping of a random case; `kind` picks the Einsum as in random_einsum, `tried`
/// counts the mappings drawn.
Case valid_case(int kind, Rng& rng, std::uint64_t& tried) {
  while (true) {
    Case c{random_einsum(kind, rng), random_arch(rng), {}, {}};
    for (int attempt = 0; attempt < 20; ++attempt) {
      ++tried;
      c.mapping = random_mapping(c.einsum, c.arch, rng);
      c.result = model::evaluate(c.einsum, c.arch, c.mapping);
      if (c.result.valid) return c;
    }
  }
}

/// What the swap test saw.
struct Tally {
  std::uint64_t mappings = 0, tried = 0, commuting = 0, other = 0, other_changed = 0;
  std::uint64_t canonical = 0;  ///< levels whose canonical order differs from their own
};

/// Every adjacent swap at every level of c's mapping: a commuting one must not change the
/// result; a non-commuting one is only counted. Stops at the first failure.
void check_adjacent_swaps(const Case& c, const OrderEquivalence& eq, Tally& tally) {
  for (std::size_t l = 0; l < c.mapping.levels.size(); ++l) {
    const Order order = order_of(c.mapping.levels[l]);
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
      mapping::Mapping swapped = c.mapping;
      std::swap(swapped.levels[l].temporal[i], swapped.levels[l].temporal[i + 1]);
      const std::string diff =
          first_difference(c.einsum, c.result, model::evaluate(c.einsum, c.arch, swapped));
      if (!commutes(eq, order, i)) {
        ++tally.other;
        tally.other_changed += !diff.empty();
        continue;
      }
      ++tally.commuting;
      ASSERT_EQ(diff, "") << "swapping the loops at positions " << i << " and " << i + 1
                          << " (innermost first) of level " << l << " changes the result of\n"
                          << describe(c.einsum, c.arch, c.mapping);
    }
  }
}

/// canonical_orders per dimension mask, for Einsums of one shape (the relation depends only on
/// which dimensions index which tensor dimensions, not on bounds, strides or dilations).
using CanonicalCache = std::unordered_map<std::uint32_t, std::vector<Order>>;

/// Each level's order replaced by the canonical order of its class (what the mapper evaluates
/// instead of it): the result must not change.
void check_canonical_replacement(const Case& c, const OrderEquivalence& eq, CanonicalCache& cache,
                                 Tally& tally) {
  for (std::size_t l = 0; l < c.mapping.levels.size(); ++l) {
    const Order order = order_of(c.mapping.levels[l]);
    std::uint32_t mask = 0;
    for (std::int8_t d : order) mask |= 1u << d;
    std::vector<Order> same;
    auto it = cache.find(mask);
    if (it == cache.end()) it = cache.emplace(mask, canonical_orders(mask, eq)).first;
    for (const Order& o : it->second)
      if (equivalent(eq, o, order)) same.push_back(o);
    ASSERT_EQ(same.size(), 1u) << "canonical orders equivalent to level " << l << " of\n"
                               << describe(c.einsum, c.arch, c.mapping);
    mapping::Mapping replaced = c.mapping;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const int d = same[0][i];
      const auto& loops = c.mapping.levels[l].temporal;
      replaced.levels[l].temporal[i] = *std::find_if(
          loops.begin(), loops.end(), [&](const auto& loop) { return loop.dim == d; });
    }
    tally.canonical += !(same[0] == order);
    ASSERT_EQ(first_difference(c.einsum, c.result, model::evaluate(c.einsum, c.arch, replaced)), "")
        << "level " << l << " reordered to its canonical order changes the result of\n"
        << describe(c.einsum, c.arch, c.mapping);
  }
}

TEST(Orders, EquivalentOrdersEvaluateAlike) {
  for (int kind = 0; kind < 3; ++kind) {
    Rng rng(20240601 + kind);  // fixed seed: the same cases on every run
    Tally tally;
    CanonicalCache cache;
    for (; tally.mappings < 6000; ++tally.mappings) {
      const Case c = valid_case(kind, rng, tally.tried);
      const OrderEquivalence eq(c.einsum);
      check_adjacent_swaps(c, eq, tally);
      check_canonical_replacement(c, eq, cache, tally);
      if (HasFatalFailure()) return;
    }
    std::cout << "[ orders ] " << kKindNames[kind] << ": " << tally.mappings
              << " valid mappings of " << tally.tried << " drawn; " << tally.commuting
              << " commuting adjacent swaps, all unchanged; " << tally.other_changed << " of "
              << tally.other << " non-commuting swaps changed the result; " << tally.canonical
              << " levels reordered to a different canonical order, all unchanged\n";
    RecordProperty(std::string(kKindNames[kind]) + "_noncommuting_changed",
                   std::to_string(tally.other_changed) + "/" + std::to_string(tally.other));
    EXPECT_GT(tally.other, 1000u) << kKindNames[kind];  // a guard against degenerate cases only
    if (kind == 2) {
      // conv1d's Inputs[P + R] has no plain dimension, so it sees the whole order with K as an
      // unused run: moving K past P or R, or swapping P and R, changes what it sees.
      EXPECT_EQ(tally.commuting, 0u);
    } else {
      EXPECT_GT(tally.commuting, 1000u) << kKindNames[kind];  // a guard, not a golden value
      EXPECT_GT(tally.canonical, 500u) << kKindNames[kind];   // likewise
    }
  }
}

TEST(Orders, CanonicalOrdersAreOnePerSwapClass) {
  // The relation depends only on which dimensions index which tensor dimensions, not on bounds.
  const workload::Einsum conv = workload::conv2d("conv", {});
  const workload::Einsum gemm = workload::gemm("gemm", 1, 1, 1);
  const workload::Einsum conv1 = testing::conv1d(1, 1, 1);
  // Each Einsum with required innermost loops (by name, innermost first; none at first).
  const std::pair<const workload::Einsum*, std::vector<std::vector<const char*>>> shapes[] = {
      {&conv, {{}, {"S", "R"}, {"K"}, {"C", "K", "Q"}}},
      {&gemm, {{}, {"K"}, {"N", "M"}}},
      {&conv1, {{}, {"P"}}}};
  for (const auto& [e, required] : shapes) {
    const OrderEquivalence eq(*e);
    for (const std::vector<const char*>& names : required) {
      Order innermost;
      std::string what = e->name + " innermost";
      for (const char* n : names) {
        innermost.push_back(static_cast<std::int8_t>(e->dim_index(n)));
        what += std::string(" ") + n;
      }
      for (std::uint32_t dims = 1; dims < (1u << e->num_dims()); ++dims) {
        check_canonical(eq, dims, innermost, what + " mask " + std::to_string(dims));
        if (HasFailure()) return;  // one failing mask is enough to read
      }
    }
  }
  // docs/mapper.md, "Equivalent loop orders": the 5,040 orders of a convolution's seven loops
  // fall into 345 classes, the 720 of six (N left out: batch 1) into 331.
  const OrderEquivalence conv_eq(conv);
  EXPECT_EQ(check_canonical(conv_eq, 0x7f, {}, "conv all"), 345);
  EXPECT_EQ(check_canonical(conv_eq, 0x7f & ~(1u << conv.dim_index("N")), {}, "conv no N"), 331);
  // By hand: in a GEMM every dimension is plain for two tensors and unused by the third, so
  // each tensor's prefix is empty or the one unused innermost loop; only the innermost loop
  // matters: 3 classes of 3 loops, 2 of any two.
  const OrderEquivalence gemm_eq(gemm);
  EXPECT_EQ(check_canonical(gemm_eq, 0x7, {}, "gemm all"), 3);
  EXPECT_EQ(check_canonical(gemm_eq, 0x5, {}, "gemm M K"), 2);
  // By hand: conv1d's Inputs[P + R] sees the whole order (K as an unused run), so all 6 orders
  // differ.
  EXPECT_EQ(check_canonical(OrderEquivalence(conv1), 0x7, {}, "conv1d all"), 6);
}

/// Every spatial loop of c's mapping moved to the other axis where that axis has room left: the
/// result must not change. Returns the number of moves checked.
int check_axis_moves(const Case& c) {
  int moves = 0;
  for (std::size_t l = 0; l < c.mapping.levels.size(); ++l) {
    const auto& spatial = c.mapping.levels[l].spatial;
    for (std::size_t i = 0; i < spatial.size(); ++i) {
      const mapping::Axis to =
          spatial[i].axis == mapping::Axis::X ? mapping::Axis::Y : mapping::Axis::X;
      std::int64_t used = spatial[i].factor;  // on the target axis once moved
      for (const auto& loop : spatial) used *= loop.axis == to ? loop.factor : 1;
      const int level = static_cast<int>(l);
      if (used > (to == mapping::Axis::X ? c.arch.fanout_x(level) : c.arch.fanout_y(level)))
        continue;
      mapping::Mapping moved = c.mapping;
      moved.levels[l].spatial[i].axis = to;
      ++moves;
      EXPECT_EQ(first_difference(c.einsum, c.result, model::evaluate(c.einsum, c.arch, moved)), "")
          << "moving spatial loop " << i << " of level " << l
          << " to the other axis changes the result of\n"
          << describe(c.einsum, c.arch, c.mapping);
      if (::testing::Test::HasFailure()) return moves;
    }
  }
  return moves;
}

TEST(Orders, SpatialAxisDoesNotChangeCounts) {
  for (int kind = 0; kind < 3; ++kind) {
    Rng rng(777 + kind);  // fixed seed: the same cases on every run
    std::uint64_t tried = 0;
    int moves = 0;
    for (int n = 0; n < 2000 && !HasFailure(); ++n)
      moves += check_axis_moves(valid_case(kind, rng, tried));
    std::cout << "[ orders ] " << kKindNames[kind] << ": " << moves
              << " spatial loops moved to the other axis, all unchanged\n";
    EXPECT_GT(moves, 300) << kKindNames[kind];  // a guard against degenerate cases only
  }
}

}  // namespace
}  // namespace outpace::mapper
