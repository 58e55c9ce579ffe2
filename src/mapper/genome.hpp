#pragma once

#include <cstdint>
#include <random>

#include "mapper/mapspace.hpp"
#include "mapping/mapping.hpp"

namespace outpace::mapper {

/// A mapping as the local searches change it: its tiling and a full order of every dimension
/// per level (loops of factor 1 included, so that moving a factor keeps a place for it).
struct Genome {
  Tiling tiling;
  std::int8_t order[kMaxLevels][kMaxDims];
};

/// The genome of a mapping of the space.
Genome genome_of(const MapSpace& space, const mapping::Mapping& m);
/// The mapping of a genome (loops of factor 1 dropped).
mapping::Mapping mapping_of(const MapSpace& space, const Genome& g);

/// Moves one prime factor of a random dimension between two random slots; false (genome
/// unusable) when the move breaks a slot's limit or leaves no feasible spatial axes.
bool move_factor(const MapSpace& space, Genome& g, std::mt19937_64& rng);
/// Swaps two loops of a random level, outside the level's required innermost loops.
void swap_loops(const MapSpace& space, Genome& g, std::mt19937_64& rng);
/// One random change: a new keep choice (1 in 10), a loop swap (3 in 10) or a factor move
/// (retried up to 16 times); `g` is left unchanged if no factor move was allowed. With `axes`
/// (counting rules under which the axes matter: link transfers), 1 change in 10 moves the spatial
/// loops to another assignment of axes that fits instead.
void mutate(const MapSpace& space, Genome& g, std::mt19937_64& rng, bool axes = false);

}  // namespace outpace::mapper
