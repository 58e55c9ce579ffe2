#include "io/onnx/detail/onnx_fold.hpp"

#include <algorithm>
#include <limits>

namespace outpace::io::onnx_detail {

namespace {

using Values = std::vector<const IntTensor*>;

std::int64_t count(const std::vector<std::int64_t>& dims) {
  std::int64_t n = 1;
  for (std::int64_t d : dims) {
    if (d < 0 || (d > 0 && n > static_cast<std::int64_t>(kMaxFoldElements) / d)) return -1;
    n *= d;
  }
  return n;
}

/// A vector of values, or nothing if it is too long.
std::optional<IntTensor> vector_of(std::vector<std::int64_t> values, int data_type) {
  if (values.size() > kMaxFoldElements) return std::nullopt;
  IntTensor t;
  t.dims = {static_cast<std::int64_t>(values.size())};
  t.values = std::move(values);
  t.data_type = data_type;
  return t;
}

/// Input i's value when it is there.
const IntTensor* input(const Values& values, std::size_t i) {
  return i < values.size() ? values[i] : nullptr;
}

/// True when input i is named but its value is not known.
bool unknown(const Node& node, const Values& values, std::size_t i) {
  return i < node.inputs.size() && !node.inputs[i].empty() && !input(values, i);
}

/// An axis in [-rank, rank) made non-negative, or -1 when out of range.
std::int64_t axis(std::int64_t a, std::int64_t rank) {
  if (a < -rank || a >= rank) return -1;
  return a < 0 ? a + rank : a;
}

/// The INTS attribute `key` (older opsets) or the value of input `i` (newer ones), if known.
std::optional<std::vector<std::int64_t>> list(const Node& node, const Values& values,
                                              const char* key, std::size_t i) {
  if (auto it = node.ints.find(key); it != node.ints.end()) return it->second;
  if (const IntTensor* t = input(values, i)) return t->values;
  return std::nullopt;
}

std::optional<IntTensor> fold_shape(const Node& node, const std::vector<const Shape*>& shapes) {
  if (shapes.empty() || !shapes[0] || !shapes[0]->complete()) return std::nullopt;
  const std::vector<std::int64_t>& dims = shapes[0]->dims;
  const auto rank = static_cast<std::int64_t>(dims.size());
  auto clamp = [&](std::int64_t v) {
    return std::clamp(v < 0 ? v + rank : v, std::int64_t{0}, rank);
  };
  const std::int64_t start = clamp(node.int_or("start", 0)), end = clamp(node.int_or("end", rank));
  if (start >= end) return vector_of({}, kInt64);
  return vector_of({dims.begin() + start, dims.begin() + end}, kInt64);
}

/// Slice of a 1-D tensor along axis 0, with ONNX's clamping of starts and ends.
std::optional<IntTensor> fold_slice(const Node& node, const Values& values) {
  const IntTensor* data = input(values, 0);
  if (!data || data->dims.size() != 1) return std::nullopt;
  for (std::size_t i = 1; i < node.inputs.size(); ++i)
    if (unknown(node, values, i)) return std::nullopt;
  const auto starts = list(node, values, "starts", 1), ends = list(node, values, "ends", 2);
  if (!starts || !ends || starts->size() != 1 || ends->size() != 1) return std::nullopt;
  const auto axes = list(node, values, "axes", 3);
  if (axes && (axes->size() != 1 || axis((*axes)[0], 1) != 0)) return std::nullopt;
  const IntTensor* steps = node.ints.count("starts") ? nullptr : input(values, 4);
  const std::int64_t step = steps && steps->values.size() == 1 ? steps->values[0] : 1;
  if (step == 0 || (steps && steps->values.size() != 1)) return std::nullopt;
  const std::int64_t n = data->dims[0];
  auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
    if (v < 0) v = v < -n ? lo : v + n;
    return std::clamp(v, lo, hi);
  };
  std::int64_t begin = step > 0 ? clamp((*starts)[0], 0, n) : clamp((*starts)[0], -1, n - 1);
  const std::int64_t end = step > 0 ? clamp((*ends)[0], 0, n) : clamp((*ends)[0], -1, n - 1);
  std::vector<std::int64_t> out;
  for (; step > 0 ? begin < end : begin > end; begin += step) out.push_back(data->values[begin]);
  return vector_of(std::move(out), data->data_type);
}

std::optional<IntTensor> fold_concat(const Node& node, const Values& values) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < node.inputs.size(); ++i) {
    const IntTensor* t = input(values, i);
    if (!t || t->dims.size() != 1 || axis(node.int_or("axis", 0), 1) != 0) return std::nullopt;
    out.insert(out.end(), t->values.begin(), t->values.end());
  }
  return vector_of(std::move(out), values.empty() || !values[0] ? kInt64 : values[0]->data_type);
}

/// Gather along axis 0 of a 1-D tensor.
std::optional<IntTensor> fold_gather(const Node& node, const Values& values) {
  const IntTensor *data = input(values, 0), *indices = input(values, 1);
  if (!data || !indices || data->dims.size() != 1 || axis(node.int_or("axis", 0), 1) != 0)
    return std::nullopt;
  IntTensor out;
  out.dims = indices->dims;
  out.data_type = data->data_type;
  for (std::int64_t i : indices->values) {
    const std::int64_t at = axis(i, data->dims[0]);
    if (at < 0) return std::nullopt;
    out.values.push_back(data->values[at]);
  }
  return out;
}

/// Unsqueeze and Squeeze: the same values under other dimensions.
std::optional<IntTensor> fold_squeeze(const Node& node, const Values& values, bool unsqueeze) {
  const IntTensor* data = input(values, 0);
  if (!data || unknown(node, values, 1)) return std::nullopt;
  const auto axes = list(node, values, "axes", 1);
  IntTensor out = *data;
  if (unsqueeze) {
    if (!axes) return std::nullopt;
    const auto rank = static_cast<std::int64_t>(data->dims.size() + axes->size());
    std::vector<bool> added(rank, false);
    for (std::int64_t a : *axes) {
      const std::int64_t at = axis(a, rank);
      if (at < 0 || added[at]) return std::nullopt;
      added[at] = true;
    }
    out.dims.clear();
    auto next = data->dims.begin();
    for (std::int64_t d = 0; d < rank; ++d) out.dims.push_back(added[d] ? 1 : *next++);
    return out;
  }
  const auto rank = static_cast<std::int64_t>(data->dims.size());
  std::vector<bool> removed(rank, !axes);
  for (std::int64_t a : axes.value_or(std::vector<std::int64_t>{})) {
    const std::int64_t at = axis(a, rank);
    if (at < 0 || data->dims[at] != 1) return std::nullopt;
    removed[at] = true;
  }
  out.dims.clear();
  for (std::int64_t d = 0; d < rank; ++d)
    if (!removed[d] || data->dims[d] != 1) out.dims.push_back(data->dims[d]);
  return out;
}

/// a op b for Add, Sub, Mul and Div; nothing on overflow or division by zero.
std::optional<std::int64_t> arithmetic(const std::string& op, std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (op == "Add") return __builtin_add_overflow(a, b, &r) ? std::nullopt : std::optional(r);
  if (op == "Sub") return __builtin_sub_overflow(a, b, &r) ? std::nullopt : std::optional(r);
  if (op == "Mul") return __builtin_mul_overflow(a, b, &r) ? std::nullopt : std::optional(r);
  if (b == 0 || (a == std::numeric_limits<std::int64_t>::min() && b == -1)) return std::nullopt;
  return a / b;
}

/// Elementwise arithmetic between equal shapes or with a one-element operand.
std::optional<IntTensor> fold_arithmetic(const Node& node, const Values& values) {
  const IntTensor *a = input(values, 0), *b = input(values, 1);
  if (!a || !b || a->data_type != b->data_type) return std::nullopt;
  const bool a_one = a->values.size() == 1, b_one = b->values.size() == 1;
  if (a->dims != b->dims && !a_one && !b_one) return std::nullopt;
  IntTensor out = a->dims.size() >= b->dims.size() && !a_one ? *a : *b;
  if (a_one && b_one) out.dims = a->dims.size() >= b->dims.size() ? a->dims : b->dims;
  for (std::size_t i = 0; i < out.values.size(); ++i) {
    const auto r = arithmetic(node.op_type, a->values[a_one ? 0 : i], b->values[b_one ? 0 : i]);
    if (!r) return std::nullopt;
    out.values[i] = *r;
  }
  return out;
}

std::optional<IntTensor> fold_cast(const Node& node, const Values& values) {
  const IntTensor* data = input(values, 0);
  const std::int64_t to = node.int_or("to", 0);
  if (!data || (to != kInt32 && to != kInt64)) return std::nullopt;
  IntTensor out = *data;
  out.data_type = static_cast<int>(to);
  if (to == kInt32)
    for (std::int64_t v : out.values)
      if (v < std::numeric_limits<std::int32_t>::min() ||
          v > std::numeric_limits<std::int32_t>::max())
        return std::nullopt;
  return out;
}

std::optional<IntTensor> fold_constant(const Node& node) {
  if (auto it = node.ints.find("value_int"); it != node.ints.end() && it->second.size() == 1)
    return IntTensor{{}, it->second, kInt64};
  if (auto it = node.ints.find("value_ints"); it != node.ints.end())
    return vector_of(it->second, kInt64);
  return std::nullopt;
}

}  // namespace

std::optional<IntTensor> fold(const Node& node, const Values& values,
                              const std::vector<const Shape*>& shapes) {
  if (!node.domain.empty() && node.domain != "ai.onnx") return std::nullopt;
  const std::string& op = node.op_type;
  std::optional<IntTensor> out;
  if (op == "Constant")
    out = fold_constant(node);
  else if (op == "Identity" && input(values, 0))
    out = *values[0];
  else if (op == "Shape")
    out = fold_shape(node, shapes);
  else if (op == "Cast")
    out = fold_cast(node, values);
  else if (op == "Slice")
    out = fold_slice(node, values);
  else if (op == "Concat")
    out = fold_concat(node, values);
  else if (op == "Gather")
    out = fold_gather(node, values);
  else if (op == "Unsqueeze" || op == "Squeeze")
    out = fold_squeeze(node, values, op == "Unsqueeze");
  else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    out = fold_arithmetic(node, values);
  if (!out || count(out->dims) != static_cast<std::int64_t>(out->values.size()))
    return std::nullopt;
  return out;
}

}  // namespace outpace::io::onnx_detail
