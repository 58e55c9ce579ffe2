#pragma once
// Sparsity from Outpace's own inputs (docs/formats.md, "Sparse features"): the densities an
// option gives and the sparse features of an architecture's levels and compute unit, resolved
// against a layer's tensors into a model::Sparsity.

#include <optional>
#include <string>

#include "arch/arch.hpp"
#include "common/fixed_vector.hpp"
#include "model/sparsity.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// Densities by tensor: `Weights=0.3,Inputs=uniform:0.55` (fixed-structured unless `uniform:`,
/// each from 0 to 1); one per tensor of the layer, dense when not named. Throws ConfigError at
/// `option` for a bad entry or a name that is no tensor of the layer.
FixedVector<model::Density, kMaxTensors> parse_densities(const std::string& text,
                                                         const workload::Einsum& e,
                                                         const std::string& option);

/// True when some level or the compute unit has a sparse feature.
bool has_sparse_features(const arch::Arch& a);

/// The sparsity of evaluating layer `e` on `a`: the densities and the architecture's features,
/// their tensor names resolved; nothing when there are neither (the dense model). Throws
/// ConfigError, at the feature's place, for a name that is no tensor of the layer.
std::optional<model::Sparsity> sparsity_for(
    const workload::Einsum& e, const arch::Arch& a,
    const FixedVector<model::Density, kMaxTensors>& densities);

}  // namespace outpace::io
