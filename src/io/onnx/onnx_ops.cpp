// The ONNX ops with MACs as layers: Conv (plain, grouped, depthwise), ConvTranspose (when each
// input pixel writes its own output block), Gemm and MatMul. docs/onnx.md gives each mapping.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "io/onnx/detail/onnx_graph.hpp"
#include "network/layers.hpp"

namespace outpace::io::onnx_detail {

namespace {

using Dims = std::vector<std::int64_t>;

/// Thrown inside this file for a node that cannot be read; node_layer turns it into `error`.
struct Refusal {
  std::string message;
};

[[noreturn]] void refuse(std::string message) { throw Refusal{std::move(message)}; }

std::string text(const Dims& dims) {
  std::string out;
  for (std::int64_t d : dims) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out.empty() ? "a scalar" : out;
}

/// The complete shape of input (or output) `i`, whose dimensions must be positive.
const Dims& shape(const Graph& g, const Node& n, bool output, std::size_t i, const char* role) {
  const std::string& tensor = output ? n.outputs[i] : n.inputs[i];
  const Dims& dims = g.shapes.at(tensor).dims;
  for (std::int64_t d : dims)
    if (d < 1)
      refuse(std::string(output ? "output " : "input ") + role + " ('" + tensor + "') has shape " +
             text(dims) + "; the dimensions of a layer's tensors must be positive");
  return dims;
}

/// a * b, or the largest int64 when that overflows (check_layer then refuses the layer).
std::int64_t times(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<std::int64_t>::max() : r;
}

bool constant(const Graph& g, const Node& n, std::size_t i) {
  return i < n.inputs.size() && g.constants.count(n.inputs[i]) > 0;
}

/// The INTS attribute `key` with one value per spatial dimension (default `fallback` each),
/// every value in [1, workload::kMaxCoefficient].
Dims per_axis(const Node& n, const char* key, std::size_t axes, std::int64_t fallback) {
  const Dims v = n.ints_or(key, Dims(axes, fallback));
  if (v.size() != axes)
    refuse("attribute '" + std::string(key) + "' has " + std::to_string(v.size()) + " values, " +
           std::to_string(axes) + " expected (one per spatial dimension)");
  for (std::int64_t x : v)
    if (x < 1 || x > workload::kMaxCoefficient)
      refuse("attribute '" + std::string(key) + "' is " + text(v) + "; each value must be in [1, " +
             std::to_string(workload::kMaxCoefficient) + "]");
  return v;
}

/// Conv: X[N][C][H][W] (or X[N][C][L]), W[M][C/group][kH][kW], Y[N][M][P][Q] from inference.
NodeLayer conv(const Graph& g, const Node& n, const std::string& name) {
  const Dims &x = shape(g, n, false, 0, "X"), &w = shape(g, n, false, 1, "W"),
             &y = shape(g, n, true, 0, "Y");
  if (x.size() != 3 && x.size() != 4)
    refuse("input X has shape " + text(x) +
           "; 1-D and 2-D convolutions (3 or 4 dimensions) are read");
  if (w.size() != x.size() || y.size() != x.size())
    refuse("W has shape " + text(w) + " and Y " + text(y) + ", X has " + std::to_string(x.size()) +
           " dimensions");
  const std::size_t axes = x.size() - 2;
  const Dims kernel(w.begin() + 2, w.end());
  if (n.ints.count("kernel_shape") && n.ints.at("kernel_shape") != kernel)
    refuse("attribute 'kernel_shape' is " + text(n.ints.at("kernel_shape")) +
           ", the weights' kernel is " + text(kernel));
  const std::int64_t group = n.int_or("group", 1);
  if (group < 1 || x[1] != times(w[1], group))
    refuse("attribute 'group' is " + std::to_string(group) + ": the input's " +
           std::to_string(x[1]) + " channels must be group x " + std::to_string(w[1]) +
           " (W's dimension 1)");
  if (w[0] % group != 0)
    refuse("attribute 'group' is " + std::to_string(group) + ": it must divide W's " +
           std::to_string(w[0]) + " output channels");
  if (y[0] != x[0] || y[1] != w[0])
    refuse("output Y has shape " + text(y) + "; its batch and channels must be X's " +
           std::to_string(x[0]) + " and W's " + std::to_string(w[0]));
  const Dims strides = per_axis(n, "strides", axes, 1),
             dilations = per_axis(n, "dilations", axes, 1);
  workload::ConvShape s;
  s.n = x[0];
  s.p = axes == 2 ? y[2] : 1;
  s.q = y.back();
  s.r = axes == 2 ? kernel[0] : 1;
  s.s = kernel.back();
  s.stride_h = axes == 2 ? strides[0] : 1, s.stride_w = strides.back();
  s.dilation_h = axes == 2 ? dilations[0] : 1, s.dilation_w = dilations.back();
  network::Layer layer;
  if (group == 1) {
    s.c = x[1], s.k = w[0];
    layer = network::conv_layer(name, s);
  } else if (w[1] == 1 && w[0] == group) {  // one filter per channel
    s.c = x[1];
    layer = network::depthwise_layer(name, s);
  } else {  // grouped, or depthwise with a channel multiplier (C/group = 1, M/group > 1)
    s.groups = group, s.c = w[1], s.k = w[0] / group;
    layer = network::conv_layer(name, s);
  }
  if (!constant(g, n, 1)) layer.tensors[layer.einsum.tensor_index("Weights")].is_weight = false;
  return {std::move(layer), {"Inputs", "Weights", "Outputs"}};
}

/// ConvTranspose whose stride equals its kernel: each input pixel writes its own kH x kW block
/// of the output, so it is a 1x1 convolution to M*kH*kW channels at the input's resolution.
NodeLayer conv_transpose(const Graph& g, const Node& n, const std::string& name) {
  const Dims &x = shape(g, n, false, 0, "X"), &w = shape(g, n, false, 1, "W"),
             &y = shape(g, n, true, 0, "Y");
  if (x.size() != 4 || w.size() != 4)
    refuse("input X has shape " + text(x) + " and W " + text(w) +
           "; only 2-D transposed convolutions are read");
  const Dims kernel(w.begin() + 2, w.end());
  const Dims strides = n.ints_or("strides", {1, 1}), dilations = n.ints_or("dilations", {1, 1});
  const Dims expected = {x[0], w[1], times(x[2], kernel[0]), times(x[3], kernel[1])};
  if (n.int_or("group", 1) != 1 || dilations != Dims{1, 1} || strides != kernel || y != expected)
    refuse(
        "only a transposed convolution with group 1, no dilation, strides equal to its kernel and "
        "no "
        "padding is read (each input pixel then writes its own output block); this one has "
        "kernel " +
        text(kernel) + ", strides " + text(strides) + ", dilations " + text(dilations) +
        ", group " + std::to_string(n.int_or("group", 1)) + " and output " + text(y) +
        " from input " + text(x));
  workload::ConvShape s;
  s.n = x[0], s.c = x[1], s.k = times(times(w[1], kernel[0]), kernel[1]), s.p = x[2], s.q = x[3];
  network::Layer layer = network::conv_layer(name, s);
  if (!constant(g, n, 1)) layer.tensors[layer.einsum.tensor_index("Weights")].is_weight = false;
  return {std::move(layer), {"Inputs", "Weights", "Outputs"}};
}

/// A product of an M x K and a K x N matrix (each `batch` times when both operands are batched).
/// The constant operand is the layer's Weights; when only A is constant the product is computed
/// transposed (Y^T = B^T A^T), so that the activation stays the layer's Inputs.
NodeLayer product(const Graph& g, const Node& n, const std::string& name, std::int64_t m,
                  std::int64_t nn, std::int64_t k, std::int64_t batch_a, std::int64_t batch_b,
                  std::int64_t batch) {
  const bool a_const = constant(g, n, 0), b_const = constant(g, n, 1);
  const bool a_shared = batch_a == 1, b_shared = batch_b == 1;
  const std::int64_t rows_a = times(batch, m), rows_b = times(batch, nn);
  if (b_shared && b_const)
    return {network::fc_layer(name, rows_a, nn, k), {"Inputs", "Weights", "Outputs"}};
  if (a_shared && a_const)
    return {network::fc_layer(name, rows_b, m, k), {"Weights", "Inputs", "Outputs"}};
  if (b_shared)
    return {network::matmul_layer(name, rows_a, nn, k), {"Inputs", "Weights", "Outputs"}};
  if (a_shared)
    return {network::matmul_layer(name, rows_b, m, k), {"Weights", "Inputs", "Outputs"}};
  network::Layer layer = network::batched_matmul_layer(name, batch, m, nn, k);
  layer.tensors[layer.einsum.tensor_index("Inputs")].is_weight = a_const;
  layer.tensors[layer.einsum.tensor_index("Weights")].is_weight = b_const;
  return {std::move(layer), {"Inputs", "Weights"}};
}

/// Gemm: Y[M][N] = A[M][K] B[K][N] (+ C), with transA / transB.
NodeLayer gemm(const Graph& g, const Node& n, const std::string& name) {
  const Dims &a = shape(g, n, false, 0, "A"), &b = shape(g, n, false, 1, "B");
  if (a.size() != 2 || b.size() != 2)
    refuse("A has shape " + text(a) + " and B " + text(b) + "; Gemm multiplies two matrices");
  const bool ta = n.int_or("transA", 0) != 0, tb = n.int_or("transB", 0) != 0;
  const std::int64_t m = a[ta ? 1 : 0], k = a[ta ? 0 : 1], kb = b[tb ? 1 : 0], nn = b[tb ? 0 : 1];
  if (k != kb)
    refuse("A (" + text(a) + (ta ? ", transposed" : "") + ") has " + std::to_string(k) +
           " columns, B (" + text(b) + (tb ? ", transposed" : "") + ") " + std::to_string(kb) +
           " rows");
  return product(g, n, name, m, nn, k, 1, 1, 1);
}

/// MatMul: numpy's matmul, a 1-D operand read as a row (A) or a column (B), the batch
/// dimensions broadcast.
NodeLayer matmul(const Graph& g, const Node& n, const std::string& name) {
  Dims a = shape(g, n, false, 0, "A"), b = shape(g, n, false, 1, "B");
  if (a.empty() || b.empty())
    refuse("A has shape " + text(a) + " and B " + text(b) + "; a scalar has no product");
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  const std::int64_t m = a[a.size() - 2], k = a.back(), kb = b[b.size() - 2], nn = b.back();
  if (k != kb)
    refuse("A has " + std::to_string(k) + " columns (shape " + text(a) + "), B " +
           std::to_string(kb) + " rows (shape " + text(b) + ")");
  std::int64_t batch_a = 1, batch_b = 1, batch = 1;
  const std::size_t ra = a.size() - 2, rb = b.size() - 2;
  for (std::size_t i = 0; i < std::max(ra, rb); ++i) {  // from the innermost batch dimension out
    const std::int64_t da = i < ra ? a[ra - 1 - i] : 1, db = i < rb ? b[rb - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      refuse("the batch dimensions of A (" + text(a) + ") and B (" + text(b) +
             ") do not broadcast");
    batch_a = times(batch_a, da), batch_b = times(batch_b, db),
    batch = times(batch, std::max(da, db));
  }
  return product(g, n, name, m, nn, k, batch_a, batch_b, batch);
}

/// Refuses a layer that breaks a rule of workload::check (in practice a size limit: the builders
/// make well-formed Einsums); the node is named already, so a rule about the Einsum as a whole
/// needs no subject.
void check_layer(const network::Layer& layer) {
  const std::vector<workload::Violation> problems = workload::check(layer.einsum);
  if (problems.empty()) return;
  const workload::Violation& v = problems.front();
  refuse(v.subject() == workload::Subject::kEinsum ? workload::rule_text(v, layer.einsum)
                                                   : workload::describe(v, layer.einsum));
}

const std::set<std::string> kUnsupported = {
    "ConvInteger", "QLinearConv", "MatMulInteger", "QLinearMatMul", "LSTM", "GRU",
    "RNN",         "Einsum",      "DeformConv",    "Attention",     "DFT",  "STFT"};
const std::set<std::string> kUnsupportedMl = {"LinearClassifier", "LinearRegressor",
                                              "SVMClassifier", "SVMRegressor"};
/// Words in the op type of a custom-domain op that carries MACs (com.microsoft's FusedConv,
/// QAttention, MatMulNBits, ...).
const char* const kMacWords[] = {"Conv", "MatMul", "Gemm", "Attention", "LSTM", "GRU", "RNN"};

bool default_domain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

bool carries_macs(const std::string& op_type) {
  return std::any_of(std::begin(kMacWords), std::end(kMacWords),
                     [&](const char* w) { return op_type.find(w) != std::string::npos; });
}

}  // namespace

NodeClass classify(const Node& n) {
  if (default_domain(n)) {
    if (n.op_type == "Constant") return NodeClass::Data;
    if (n.op_type == "Conv" || n.op_type == "ConvTranspose" || n.op_type == "Gemm" ||
        n.op_type == "MatMul")
      return NodeClass::Layer;
    if (kUnsupported.count(n.op_type)) return NodeClass::Unsupported;
  } else if (n.domain == "ai.onnx.ml" ? kUnsupportedMl.count(n.op_type) > 0
                                      : carries_macs(n.op_type)) {
    return NodeClass::Unsupported;
  }
  for (const std::string& op : n.body_ops)
    if (op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul" ||
        kUnsupported.count(op))
      return NodeClass::Unsupported;
  return NodeClass::Skipped;
}

std::string unsupported_reason(const Node& n) {
  const std::string read =
      "Conv, ConvTranspose (strides equal to the kernel), Gemm and MatMul are read";
  const bool body = default_domain(n) ? !kUnsupported.count(n.op_type)
                                      : n.domain != "ai.onnx.ml" && !carries_macs(n.op_type);
  if (body)
    return "its subgraph holds ops with MACs, and the bodies of If, Loop and Scan are not read";
  const std::string type = default_domain(n) ? n.op_type : n.domain + "." + n.op_type;
  return type + " carries MACs and is not supported; " + read;
}

std::optional<NodeLayer> node_layer(const Graph& g, const Node& n, const std::string& name,
                                    std::string& error) {
  try {
    NodeLayer out = n.op_type == "Conv"            ? conv(g, n, name)
                    : n.op_type == "ConvTranspose" ? conv_transpose(g, n, name)
                    : n.op_type == "Gemm"          ? gemm(g, n, name)
                                                   : matmul(g, n, name);
    check_layer(out.layer);
    out.feeds.resize(n.inputs.size());
    return out;
  } catch (const Refusal& r) {
    error = r.message;
    return std::nullopt;
  }
}

}  // namespace outpace::io::onnx_detail
