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

/// The figures of `sim` on `arch`; with `whole_vector_accesses`, each instance is charged whole
/// vector accesses (⌈accesses / block size⌉ per tensor and action), as Timeloop does.
SimFigures figures(const arch::Arch& arch, const SimResult& sim, bool whole_vector_accesses);

}  // namespace outpace::reference
