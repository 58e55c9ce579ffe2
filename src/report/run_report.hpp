#pragma once

#include <string>

#include "arch/arch.hpp"
#include "mapper/objective.hpp"
#include "netmap/network_map.hpp"
#include "network/network.hpp"

namespace outpace::report {

/// Everything a network run's report is about.
struct RunReport {
  const network::Network& network;
  const arch::Arch& arch;
  const mapper::Objective& objective;
  const netmap::NetworkResult& result;
};

/// One row per layer (name, op, shape, repeat, MACs, energy, energy per MAC, cycles,
/// utilization, share of the network's energy, proven optimal, where the result came from),
/// the network's totals, and what was searched, reused and proven.
std::string run_text(const RunReport& report);

/// The run as JSON, schema "outpace.run/1" (docs/formats.md): the network's totals and every
/// layer with its full report and mapping (map_json's members).
std::string run_json(const RunReport& report);

/// The run as CSV: a header, then one row per layer (docs/formats.md).
std::string run_csv(const RunReport& report);

}  // namespace outpace::report
