// The rules of a stored tensor's values (detail/onnx_tensor.hpp): ONNX 1.12's ParseData copies
// raw_data whole into a vector sized by the element type, and its inference functions index the
// values by the dims, so a size that disagrees with the dims is refused before inference runs.
#include "io/onnx/detail/onnx_tensor.hpp"

#include <limits>
#include <string_view>

namespace outpace::io::onnx_detail {

namespace {

/// One of ONNX's data types: its name, bits per element (0: a string), and the typed field
/// that holds its values when raw_data does not.
struct DataType {
  const char* name;
  int bits;
  const char* field;
};

/// By TensorProto.DataType number, from 1 (FLOAT) to 26 (INT2).
constexpr DataType kTypes[] = {
    {"FLOAT", 32, "float_data"},        {"UINT8", 8, "int32_data"},
    {"INT8", 8, "int32_data"},          {"UINT16", 16, "int32_data"},
    {"INT16", 16, "int32_data"},        {"INT32", 32, "int32_data"},
    {"INT64", 64, "int64_data"},        {"STRING", 0, "string_data"},
    {"BOOL", 8, "int32_data"},          {"FLOAT16", 16, "int32_data"},
    {"DOUBLE", 64, "double_data"},      {"UINT32", 32, "uint64_data"},
    {"UINT64", 64, "uint64_data"},      {"COMPLEX64", 64, "float_data"},
    {"COMPLEX128", 128, "double_data"}, {"BFLOAT16", 16, "int32_data"},
    {"FLOAT8E4M3FN", 8, "int32_data"},  {"FLOAT8E4M3FNUZ", 8, "int32_data"},
    {"FLOAT8E5M2", 8, "int32_data"},    {"FLOAT8E5M2FNUZ", 8, "int32_data"},
    {"UINT4", 4, "int32_data"},         {"INT4", 4, "int32_data"},
    {"FLOAT4E2M1", 4, "int32_data"},    {"FLOAT8E8M0", 8, "int32_data"},
    {"UINT2", 2, "int32_data"},         {"INT2", 2, "int32_data"},
};
constexpr int kTypeCount = static_cast<int>(sizeof(kTypes) / sizeof(kTypes[0]));
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

/// "1 byte", "2 bytes".
std::string count(std::int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

/// " (INT64, dims 2x3)", " (FLOAT, a scalar)"; after 8 dims, "x... (12 dims)".
std::string header(const DataType& type, const std::vector<std::int64_t>& dims) {
  std::string text;
  for (std::size_t i = 0; i < dims.size() && i < 8; ++i)
    text += (text.empty() ? "" : "x") + std::to_string(dims[i]);
  if (dims.size() > 8) text += "x... (" + std::to_string(dims.size()) + " dims)";
  return std::string(" (") + type.name + ", " + (dims.empty() ? "a scalar" : "dims " + text) + ")";
}

/// The number of elements, or -1 past kMax.
std::int64_t elements(const std::vector<std::int64_t>& dims) {
  std::int64_t n = 1;
  for (std::int64_t d : dims)
    if (__builtin_mul_overflow(n, d, &n)) return -1;
  return n;
}

/// The bytes `n` elements of `bits` bits take (2 or 4 to a byte below 8 bits), or -1 past kMax.
std::int64_t packed(std::int64_t n, int bits) {
  if (bits >= 8) return n > kMax / (bits / 8) ? -1 : n * (bits / 8);
  const std::int64_t per = 8 / bits;
  return n / per + (n % per != 0);
}

/// How many entries of its typed field `n` elements of `type` take: 2 or 4 elements of 4 or 2
/// bits share one, a complex number takes two (its real and imaginary parts).
std::int64_t entries(std::int64_t n, const DataType& type) {
  if (type.bits > 0 && type.bits < 8) return packed(n, type.bits);
  return std::string_view(type.name).starts_with("COMPLEX") ? 2 * n : n;
}

}  // namespace

std::vector<std::string> tensor_problems(const StoredTensor& t) {
  for (std::int64_t d : t.dims)
    if (d < 0) return {": dimension " + std::to_string(d) + " is negative"};
  if (t.data_type < 1 || t.data_type > kTypeCount)
    return {": data type " + std::to_string(t.data_type) +
            (t.data_type == 0 ? " (UNDEFINED)" : "") +
            " is not one of ONNX's (1 FLOAT to 26 INT2)"};
  const DataType& type = kTypes[t.data_type - 1];
  const std::string head = header(type, t.dims);
  const std::int64_t n = elements(t.dims);
  if (n < 0)
    return {head + ": its dims multiply to more than " + std::to_string(kMax) + " elements"};
  const std::int64_t bytes = type.bits == 0 ? 0 : packed(n, type.bits);
  if (bytes < 0)
    return {head + ": its " + count(n, "element") + " need more than " + std::to_string(kMax) +
            " bytes"};
  if (t.external) return {};  // not read: the reader never opens another file
  const std::string keeps = std::string("tensors of type ") + type.name + " keep their values in " +
                            type.field + (type.bits == 0 ? "" : " or raw_data");
  if (t.raw_bytes && type.bits == 0)
    return {head + ": raw_data holds " + count(*t.raw_bytes, "byte") + "; " + keeps};
  std::vector<std::string> out;
  for (const auto& [field, size] : t.typed)
    if (field != type.field)
      out.push_back(head + ": " + field + " holds " + count(size, "value") + "; " + keeps);
  if (!out.empty()) return out;
  const std::string need = t.dims.empty() ? ", a scalar needs " : ", its dims need ";
  if (t.raw_bytes && !t.typed.empty())
    return {head + ": its values are both in raw_data and in " + t.typed[0].first +
            "; a tensor keeps them in one"};
  if (t.raw_bytes && *t.raw_bytes != bytes)
    return {head + ": raw_data holds " + count(*t.raw_bytes, "byte") + need +
            std::to_string(bytes)};
  const std::int64_t want = entries(n, type);
  if (!t.typed.empty() && t.typed[0].second != want)
    return {head + ": " + t.typed[0].first + " holds " + count(t.typed[0].second, "value") + need +
            std::to_string(want)};
  return {};
}

bool values_readable(const StoredTensor& t) {
  return !t.external && (t.raw_bytes || !t.typed.empty() || elements(t.dims) == 0);
}

}  // namespace outpace::io::onnx_detail
