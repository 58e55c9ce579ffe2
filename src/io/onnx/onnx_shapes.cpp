// What the ONNX reader decides about shapes without the ONNX headers: the graph inputs' open
// sizes, and the nodes whose shapes are not handed to ONNX's inference.
#include <algorithm>
#include <set>

#include "common/config_error.hpp"
#include "io/onnx/detail/onnx_graph.hpp"

namespace outpace::io::onnx_detail {

namespace {

/// Largest size given for an open dimension: 2^31.
constexpr std::int64_t kMaxGivenDim = std::int64_t{1} << 31;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// "1x3x?x?": the sizes, '?' for the open ones.
std::string dims_text(const std::vector<std::int64_t>& dims) {
  std::string out;
  for (std::int64_t d : dims) out += (out.empty() ? "" : "x") + (d < 0 ? "?" : std::to_string(d));
  return out;
}

/// The sizes the user gave, and which of them were used.
struct Given {
  const std::vector<OnnxSize>& sizes;
  std::vector<bool> used = std::vector<bool>(sizes.size(), false);

  /// The whole shape given for graph input `name` (or without a name, for the only input).
  const OnnxSize* shape_for(const std::string& name, bool only_input) {
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (sizes[i].name == name || (sizes[i].name.empty() && only_input)) {
        used[i] = true;
        return &sizes[i];
      }
    return nullptr;
  }
  /// The value given for the symbolic dimension `param` (not checked), or nothing.
  std::optional<std::int64_t> param(const std::string& param) {
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (!param.empty() && sizes[i].name == param && sizes[i].dims.size() == 1) {
        used[i] = true;
        return sizes[i].dims[0];
      }
    return std::nullopt;
  }
};

/// "1x3x?x?": the declared sizes, '?' for the open ones.
std::string declared_text(const DeclaredInput& in) {
  std::vector<std::int64_t> dims;
  for (const DeclaredDim& d : in.dims) dims.push_back(d.fixed ? d.value : -1);
  return dims_text(dims);
}

/// One input's sizes: the given shape, a symbolic dimension's given value, 1 for a symbolic
/// batch; reports each rule broken and the dimensions that stay open (-1).
std::vector<std::int64_t> fix_input(DeclaredInput in, Given& given, bool only_input,
                                    const SourceLocation& at, DiagnosticSink& sink) {
  const std::string what = "graph input '" + in.name + "'";
  const OnnxSize* shape = given.shape_for(in.name, only_input);
  if (!in.has_shape && shape) in.dims.assign(shape->dims.size(), DeclaredDim{});  // all open
  std::vector<std::int64_t> dims(in.dims.size(), -1);
  if (!in.has_shape && !shape) {
    sink.error(at, what + " has no shape; give it as " + in.name + "=<d0>x<d1>x...");
    return dims;
  }
  if (shape && shape->dims.size() != dims.size()) {
    sink.error(at, what + " has " + std::to_string(dims.size()) + " dimensions (" +
                       declared_text(in) + "), " + std::to_string(shape->dims.size()) + " given");
    return dims;
  }
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const DeclaredDim& declared = in.dims[d];
    const std::optional<std::int64_t> wanted =
        shape ? std::optional(shape->dims[d]) : given.param(declared.param);
    const std::string where =
        what + ": dimension " + std::to_string(d) +
        (shape || declared.param.empty() ? "" : " ('" + declared.param + "')");
    if (wanted && (*wanted < 1 || *wanted > kMaxGivenDim))
      sink.error(at, where + " is given as " + std::to_string(*wanted) + "; it must be in [1, " +
                         std::to_string(kMaxGivenDim) + "]");
    else if (declared.fixed && declared.value < 1)
      sink.error(at,
                 where + " is " + std::to_string(declared.value) + "; dimensions must be positive");
    else if (declared.fixed && shape && *wanted != declared.value)
      sink.error(at, where + " is " + std::to_string(declared.value) + " in the model, " +
                         std::to_string(*wanted) + " given");
    else
      dims[d] = declared.fixed               ? declared.value
                : wanted                     ? *wanted
                : d == 0 && dims.size() >= 2 ? 1  // a symbolic batch: one sample, as in the zoo
                                             : -1;
  }
  if (sink.ok() && std::find(dims.begin(), dims.end(), -1) != dims.end())
    sink.error(at, what + " has unknown dimensions (" + declared_text(in) +
                       ", a symbolic batch read as 1); give its shape as " + in.name + "=" +
                       dims_text(dims) + " with each ? replaced by a size");
  return dims;
}

/// The op types whose ONNX inference (convPoolShapeInference and the transposed one) reads the
/// kernel from W and the attributes per spatial dimension without checking their lengths.
const std::set<std::string> kConvPool = {"Conv",    "ConvTranspose", "ConvInteger", "QLinearConv",
                                         "MaxPool", "AveragePool",   "LpPool",      "MaxUnpool"};

/// The values ONNX defines for auto_pad.
const std::set<std::string> kAutoPads = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};

/// A kernel (kernel_shape, else W's) whose dilated span is larger than the padded input along
/// some spatial axis: no output position fits. Not for the transposed ops, whose output grows,
/// nor with auto_pad, which pads to fit.
std::optional<std::string> kernel_problem(const Node& node, const Shape& x, const Shape* w,
                                          std::size_t axes) {
  if (node.op_type == "ConvTranspose" || node.op_type == "MaxUnpool") return std::nullopt;
  const auto auto_pad = node.strings.find("auto_pad");
  if (auto_pad != node.strings.end() && auto_pad->second != "NOTSET" && auto_pad->second != "VALID")
    return std::nullopt;
  const std::vector<std::int64_t> kernel = node.ints_or("kernel_shape", {});
  const std::vector<std::int64_t> dilations = node.ints_or("dilations", {});
  const std::vector<std::int64_t> pads = node.ints_or("pads", {});
  for (std::size_t i = 0; i < axes; ++i) {
    const std::int64_t k = i < kernel.size() ? kernel[i] : w ? w->dims[2 + i] : -1;
    const std::int64_t in = x.dims[2 + i];
    if (k < 1 || in < 1) continue;
    const std::int64_t d = i < dilations.size() ? dilations[i] : 1;
    const std::int64_t before = i < pads.size() ? pads[i] : 0;
    const std::int64_t after = i + axes < pads.size() ? pads[i + axes] : 0;
    const std::int64_t span = (k - 1) * d + 1;
    if (span > in + before + after)
      return "the kernel spans " + std::to_string(span) + " along spatial axis " +
             std::to_string(i + 1) + " (size " + std::to_string(k) + ", dilation " +
             std::to_string(d) + "), more than the input's " + std::to_string(in) +
             " with its pads (" + std::to_string(before) + " + " + std::to_string(after) + ")";
  }
  return std::nullopt;
}

}  // namespace

FixedInputs fix_inputs(const std::vector<DeclaredInput>& inputs, const std::vector<OnnxSize>& sizes,
                       const std::string& file) {
  const SourceLocation at{file, 0, 0};
  DiagnosticSink sink;
  std::vector<std::string> names;
  for (const DeclaredInput& in : inputs) names.push_back(in.name);
  for (const OnnxSize& s : sizes)
    if (s.name.empty() && inputs.size() != 1)
      sink.error(at, "a shape without a name is for a model with one graph input; this one has " +
                         std::to_string(inputs.size()) + " (" + join(names) + ")");
  Given given{sizes};
  FixedInputs out;
  for (const DeclaredInput& in : inputs) {
    DiagnosticSink one;
    out.dims.push_back(fix_input(in, given, inputs.size() == 1, at, one));
    for (const Diagnostic& d : one.diagnostics()) sink.error(d.where, d.message);
    out.changed |= !in.has_shape && !out.dims.back().empty();
    for (std::size_t d = 0; d < in.dims.size() && d < out.dims.back().size(); ++d)
      out.changed |= !in.dims[d].fixed && out.dims.back()[d] >= 1;
  }
  for (std::size_t i = 0; i < sizes.size(); ++i)
    if (!given.used[i] && !sizes[i].name.empty())
      sink.error(at, "'" + sizes[i].name + "' names no graph input (" + join(names) +
                         ") and no symbolic dimension of one");
  sink.throw_if_any();
  return out;
}

std::optional<std::string> inference_problem(const Node& node,
                                             const std::vector<const Shape*>& inputs) {
  // Refused whatever their shapes, and some of their inference functions index dimensions
  // that X may not have (ONNX 1.12's for LSTM, GRU and RNN before opset 7).
  if (classify(node) == NodeClass::Unsupported) return "";
  if (!kConvPool.count(node.op_type)) return std::nullopt;
  const Shape* x = inputs.empty() ? nullptr : inputs[0];
  if (!x || x->dims.size() < 3) return "";
  const std::size_t axes = x->dims.size() - 2;
  const std::size_t w = node.op_type == "QLinearConv" ? 3 : 1;
  const bool weighted = node.op_type.find("Conv") != std::string::npos;
  if (weighted && (w >= inputs.size() || !inputs[w] || inputs[w]->dims.size() != axes + 2))
    return "";
  if (weighted)  // the kernel, when not given as kernel_shape, and W's channels must be positive
    for (std::int64_t d : inputs[w]->dims)
      if (d == 0) return "";
  // One value per spatial dimension (two for pads), each at least 1 (pads and output_padding
  // at least 0): inference divides by strides and sizes the output from the others.
  for (const char* key :
       {"kernel_shape", "strides", "dilations", "output_padding", "output_shape", "pads"}) {
    if (!node.ints.count(key)) continue;
    const std::vector<std::int64_t>& v = node.ints.at(key);
    const bool pads = std::string(key) == "pads";
    const std::int64_t least = pads || std::string(key) == "output_padding" ? 0 : 1;
    const std::size_t want = pads ? 2 * axes : axes;
    if (v.size() != want)
      return "attribute '" + std::string(key) + "' has " + std::to_string(v.size()) +
             " values; an input with " + std::to_string(axes) + " spatial axes needs " +
             std::to_string(want);
    for (std::int64_t value : v)
      if (value < least)
        return "attribute '" + std::string(key) + "' has the value " + std::to_string(value) +
               "; each must be at least " + std::to_string(least);
  }
  if (const auto pad = node.strings.find("auto_pad");
      pad != node.strings.end() && !kAutoPads.count(pad->second))
    return "attribute 'auto_pad' is '" + pad->second +
           "'; it must be NOTSET, SAME_UPPER, SAME_LOWER or VALID";
  if (node.int_or("group", 1) < 1)
    return "attribute 'group' is " + std::to_string(node.int_or("group", 1)) +
           "; it must be at least 1";
  return kernel_problem(node, *x, weighted ? inputs[w] : nullptr, axes);
}

}  // namespace outpace::io::onnx_detail
