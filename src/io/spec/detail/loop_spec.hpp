#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/yaml/object_reader.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// One factor "DIM=N" of a loop list.
struct Factor {
  int dim = 0;
  std::int64_t factor = 1;
};

/// The factors under `key` of an object: a list of "DIM=N" strings or one string of them
/// ("C=3 Q=55" or "C=3, Q=55"); each bad one is reported with its location.
std::vector<Factor> read_factors(const ObjectReader& r, const char* key, const workload::Einsum& e);

/// The tensors named under `key` (a list of names) as a bit mask; unknown names are reported.
std::uint32_t read_tensor_set(const ObjectReader& r, const char* key, const workload::Einsum& e);

/// Every tensor of the Einsum as a bit mask.
std::uint32_t all_tensors(const workload::Einsum& e);

}  // namespace outpace::io
