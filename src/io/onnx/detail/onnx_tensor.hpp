#pragma once
// Internal to the ONNX reader: the rules a tensor stored in a model (an initializer, a Constant's
// value, any TENSOR attribute) must follow before ONNX's shape inference may read its values,
// decided without the ONNX headers. Not part of the public API.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace outpace::io::onnx_detail {

/// What a stored tensor holds, as the model writes it.
struct StoredTensor {
  int data_type = 0;               ///< TensorProto.DataType's number
  std::vector<std::int64_t> dims;  ///< as written (may be negative)
  bool external = false;           ///< data_location EXTERNAL: its values are in another file
  std::optional<std::int64_t> raw_bytes;  ///< the size of raw_data, when it is set
  /// The typed fields that hold values, with how many: {"int64_data", 2}, ...
  std::vector<std::pair<std::string, std::int64_t>> typed;
};

/// The rules `t` breaks, each to be read after the tensor's name ("initializer 'sh'"): dims
/// not negative (the first: ": dimension -3 is negative"), a data type of ONNX's (1 FLOAT to
/// 26 INT2), dims whose product and size fit in 63 bits, and values, when it stores any in the
/// model, exactly as many as its dims need, in raw_data or its type's field, not both
/// (" (INT64, dims 4): raw_data holds 16 bytes, its dims need 32"). A tensor that stores no
/// values (its weights left out, or in an external file) breaks none of the last.
std::vector<std::string> tensor_problems(const StoredTensor& t);

/// True when ONNX's inference may read the values of `t`, which breaks no rule: it holds them in
/// the model, or it has no elements.
bool values_readable(const StoredTensor& t);

}  // namespace outpace::io::onnx_detail
