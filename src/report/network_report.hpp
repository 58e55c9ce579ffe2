#pragma once

#include <string>

#include "network/network.hpp"
#include "workload/einsum.hpp"

namespace outpace::report {

/// The Einsum's dimensions with their bounds, in loop order: "R=3 S=3 P=56 Q=56 C=64 K=64 N=1".
std::string shape_text(const workload::Einsum& einsum);
/// "The layers Outpace sees": a header line with the network's totals, one row per layer (name,
/// op, shape, repeat, MACs and weights of one occurrence, share of the network's MACs with
/// repeats), a total row, then the tensors whose recorded density is below 1 and the skipped ops
/// counted by type, when there are any.
std::string network_text(const network::Network& network);

}  // namespace outpace::report
