#pragma once

// The figures around the simulator's counts: energy, bandwidth cycles, leakage, utilization and
// area, written again from docs/model.md's definitions (no model code), from the simulator's own
// counts. Energies are summed in long double; cycles are exact integers.

#include <cstdint>
#include <vector>

#include "arch/arch.hpp"
#include "reference/simulator.hpp"

namespace outpace::reference {

/// One storage level's figures.
struct SimLevelFigures {
  std::int64_t cycles = 0;                    ///< its busiest instance's traffic through its ports
  long double leak_pj = 0;                    ///< every instance, used or not, over every cycle
  long double energy_pj = 0;                  ///< accesses of every tensor plus leakage
  std::vector<long double> tensor_energy_pj;  ///< accesses only, per tensor
};

/// The figures of one simulated run.
struct SimFigures {
  std::int64_t cycles = 0;  ///< max of compute cycles and every level's cycles
  long double mac_energy_pj = 0;
  long double energy_pj = 0;
  long double utilization = 0;  ///< MACs / (cycles x MAC units)
  long double area_um2 = 0;
  std::vector<SimLevelFigures> levels;
};

/// How the figures charge energy where Timeloop v3.0.3 charges differently (docs/model.md).
struct SimCharging {
  /// Each instance is charged whole vector accesses (⌈accesses / block size⌉ per tensor and
  /// action).
  bool whole_vector_accesses = false;
  /// A level's access energy is paid once per used cluster: the instances' charges are summed
  /// and scaled by min(U, instances / cluster size) / U, with U the instances the spatial loops
  /// reach (docs/timeloop-semantics.md, rule 5).
  bool cluster_energy = false;
};

/// The figures of `sim` on `arch`, energies charged as `charging` says.
SimFigures figures(const arch::Arch& arch, const SimResult& sim, const SimCharging& charging);

}  // namespace outpace::reference
