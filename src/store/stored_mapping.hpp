#pragma once

#include <optional>
#include <string>

#include "mapping/mapping.hpp"

namespace outpace::store {

/// The mapping as compact text that decode_mapping reads back exactly.
std::string encode_mapping(const mapping::Mapping& mapping);
/// The mapping encode_mapping wrote, or nothing when the text is not one.
std::optional<mapping::Mapping> decode_mapping(const std::string& text);

}  // namespace outpace::store
