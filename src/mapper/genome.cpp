#include "mapper/genome.hpp"

#include "mapper/factorization.hpp"

namespace outpace::mapper {

Genome genome_of(const MapSpace& space, const mapping::Mapping& m) {
  Genome g{};
  g.tiling = Tiling::unit(space.levels(), space.dims());
  for (int l = 0; l < space.levels(); ++l) {
    int n = 0;
    std::uint32_t placed = 0;
    for (const auto& loop : m.levels[l].temporal) {
      g.tiling.temporal[l][loop.dim] = loop.factor;
      g.order[l][n++] = static_cast<std::int8_t>(loop.dim);
      placed |= 1u << loop.dim;
    }
    for (int d = 0; d < space.dims(); ++d)
      if (!((placed >> d) & 1u)) g.order[l][n++] = static_cast<std::int8_t>(d);
    for (const auto& loop : m.levels[l].spatial) {
      g.tiling.spatial[l][loop.dim] = loop.factor;
      if (loop.axis == mapping::Axis::Y) g.tiling.on_y[l] |= 1u << loop.dim;
    }
    g.tiling.keep[l] = m.levels[l].keep;
  }
  return g;
}

mapping::Mapping mapping_of(const MapSpace& space, const Genome& g) {
  mapping::Mapping m;
  m.levels.resize(static_cast<std::size_t>(space.levels()));
  for (int l = 0; l < space.levels(); ++l) {
    for (int i = 0; i < space.dims(); ++i) {
      const int d = g.order[l][i];
      if (g.tiling.temporal[l][d] > 1) m.levels[l].temporal.push_back({d, g.tiling.temporal[l][d]});
    }
    for (int d = 0; d < space.dims(); ++d)
      if (g.tiling.spatial[l][d] > 1)
        m.levels[l].spatial.push_back({d, g.tiling.spatial[l][d],
                                       (g.tiling.on_y[l] >> d) & 1u ? mapping::Axis::Y : mapping::Axis::X});
    m.levels[l].keep = g.tiling.keep[l];
  }
  return m;
}

bool move_factor(const MapSpace& space, Genome& g, std::mt19937_64& rng) {
  const auto& slots = space.slots();
  std::uniform_int_distribution<std::size_t> pick_slot(0, slots.size() - 1);
  const int d = std::uniform_int_distribution<int>(0, space.dims() - 1)(rng);
  const Slot& from = slots[pick_slot(rng)];
  const Slot& to = slots[pick_slot(rng)];
  if (&from == &to || from.fixed[d] || to.fixed[d]) return false;
  std::int64_t& f = (from.spatial ? g.tiling.spatial : g.tiling.temporal)[from.level][d];
  std::int64_t& h = (to.spatial ? g.tiling.spatial : g.tiling.temporal)[to.level][d];
  if (f == 1) return false;
  const auto primes = prime_factors(f);
  const std::int64_t p = primes[std::uniform_int_distribution<std::size_t>(0, primes.size() - 1)(rng)].first;
  if (h * p > to.limit[d]) return false;
  f /= p, h *= p;
  for (const Slot* slot : {&from, &to})
    if (slot->spatial && !space.split_axes(slot->level, g.tiling.spatial[slot->level], g.tiling.on_y[slot->level]))
      return false;
  return true;
}

void swap_loops(const MapSpace& space, Genome& g, std::mt19937_64& rng) {
  const int l = std::uniform_int_distribution<int>(0, space.levels() - 1)(rng);
  std::uniform_int_distribution<int> pick(0, space.dims() - 1);
  const int i = pick(rng), j = pick(rng);
  const auto required = [&](int k) {  // required innermost loops keep their places
    for (std::int8_t r : space.constraints().levels[l].innermost)
      if (r == g.order[l][k]) return true;
    return false;
  };
  if (!required(i) && !required(j)) std::swap(g.order[l][i], g.order[l][j]);
}

/// Moves the spatial loops to another assignment of axes that fits: 1 to 8 steps along the
/// assignments in MapSpace::next_axes's order (past the last, back to the first).
void move_axes(const MapSpace& space, Genome& g, std::mt19937_64& rng) {
  const int steps = std::uniform_int_distribution<int>(1, 8)(rng);
  for (int i = 0; i < steps; ++i) space.next_axes(g.tiling);
}

void mutate(const MapSpace& space, Genome& g, std::mt19937_64& rng, bool axes) {
  if (axes && std::bernoulli_distribution(0.1)(rng)) {
    move_axes(space, g, rng);
    return;
  }
  const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
  const auto& keeps = space.keep_choices();
  if (kind == 0 && keeps.size() > 1) {
    g.tiling.keep = keeps[std::uniform_int_distribution<std::size_t>(0, keeps.size() - 1)(rng)];
  } else if (kind <= 3) {
    swap_loops(space, g, rng);
  } else {
    const Genome before = g;
    for (int tries = 0; tries < 16 && !move_factor(space, g, rng); ++tries) g = before;
  }
}

}  // namespace outpace::mapper
