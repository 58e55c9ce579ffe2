#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/evaluate.hpp"
#include "reference/simulator.hpp"
#include "workload/einsum.hpp"

namespace outpace::reference {

/// One small problem: an Einsum, an architecture and a valid mapping of one onto the other.
struct Case {
  workload::Einsum einsum;
  arch::Arch arch;
  mapping::Mapping mapping;
  model::Options options;  ///< the model's options; the simulator counts the same way
};

/// A random Einsum of at most `max_macs` MACs: conv2d, depthwise, grouped conv, GEMM, batched
/// matmul with random small bounds, strides and dilations, or a fully random affine Einsum.
workload::Einsum random_einsum(std::mt19937_64& rng, std::int64_t max_macs);

/// A random architecture of 1 to 8 storage levels (mostly 2 to 4) with consistent meshes
/// (sides up to 16; the outermost level sometimes with several instances), unbounded
/// capacities and no costs; arch::check finds nothing wrong with it.
arch::Arch random_arch(std::mt19937_64& rng);

/// Draws every level's word bits, block size, read, write and update ports (unbounded or a
/// decimal, often fractional), energies per action, leakage and area, and the MAC's.
void set_random_costs(std::mt19937_64& rng, arch::Arch& arch);

/// A random structurally valid mapping: random factor splits over levels, temporal and spatial
/// X/Y slots within each level's fanout, random loop orders, random bypass (outermost keeps all).
/// Each prime factor goes to a spatial loop with probability `spatial_chance` where it fits.
mapping::Mapping random_mapping(std::mt19937_64& rng, const workload::Einsum& einsum,
                                const arch::Arch& arch, double spatial_chance = 0.45);

/// A random convolution (conv2d, depthwise or grouped, random strides and dilations) of at most
/// `max_macs` MACs, with long rows (P from 4 to 18) and filters up to 5 wide: sliding windows.
workload::Einsum random_window_einsum(std::mt19937_64& rng, std::int64_t max_macs);

/// A random case of at most `max_macs` MACs; deterministic for a given generator state. With
/// `windows_only`, the Einsum is a convolution (random_window_einsum); `spatial_chance` as in
/// random_mapping (high: a dimension spread over several levels' instances).
Case random_case(std::mt19937_64& rng, std::int64_t max_macs, bool windows_only = false,
                 double spatial_chance = 0.45);

/// Lowers each dimension's bound to a random value below the product of its factors, as far as
/// the mapping stays valid (every loop's last iteration still runs): residual tiles.
void make_imperfect(std::mt19937_64& rng, Case& c);

/// Gives some levels (the outermost less often) a finite capacity close to what the simulated tiles
/// need (a few words over or under), so that both sides of the capacity rule are exercised.
void set_random_capacities(std::mt19937_64& rng, Case& c, const SimResult& sim);

/// The case as readable text: the Einsum, the levels with their meshes, the mapping per level.
std::string describe_case(const Case& c);

}  // namespace outpace::reference
