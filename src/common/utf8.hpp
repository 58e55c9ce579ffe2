#pragma once

#include <string>
#include <string_view>

namespace outpace {

/// `text` with every byte that is not part of a well-formed UTF-8 sequence written as `\xNN`,
/// so that names read from binary files (ONNX) print and go into JSON as valid UTF-8.
std::string valid_utf8(std::string_view text);

}  // namespace outpace
