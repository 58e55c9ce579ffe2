// The one file that sees the ONNX and protobuf headers: parses the model, fills in the sizes the
// model leaves open, learns every tensor's shape with ONNX's shape inference, node by node
// (folding the shape arithmetic exporters write as ops, so that inference sees through it), and
// hands a plain onnx_detail::Graph to build_network.
#include "io/onnx/onnx_import.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "common/config_error.hpp"
#include "common/text_file.hpp"
#include "io/onnx/detail/onnx_fold.hpp"
#include "io/onnx/detail/onnx_graph.hpp"
#include "io/onnx/detail/onnx_tensor.hpp"

namespace outpace::io {

namespace {

using onnx_detail::IntTensor;
using onnx_detail::Shape;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
  throw ConfigError({{SourceLocation{file, 0, 0}, message}});
}

::onnx::ModelProto parse_model(std::string_view bytes, const std::string& file) {
  if (static_cast<std::int64_t>(bytes.size()) > kMaxOnnxBytes)
    fail(file, "the model is " + std::to_string(bytes.size()) + " bytes, more than the " +
                   std::to_string(kMaxOnnxBytes) + " read");
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(static_cast<int>(kMaxOnnxBytes));
  ::onnx::ModelProto model;
  if (!model.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage())
    fail(file, "not an ONNX model: the bytes do not parse as an ONNX ModelProto (protobuf)");
  if (!model.has_graph()) fail(file, "not an ONNX model: it has no graph");
  if (model.ir_version() < 3)
    fail(file, "ir_version " + std::to_string(model.ir_version()) +
                   " is not supported: ONNX IR version 3 or later is read");
  for (const auto& opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx") return model;
  fail(file, "the model imports no opset of the default domain (ai.onnx)");
}

/// "node 'conv1' (Conv)", or "node #3 (Conv)" when the node has no name.
std::string node_text(const ::onnx::NodeProto& n, int index) {
  return (n.name().empty() ? "node #" + std::to_string(index) : "node '" + n.name() + "'") + " (" +
         n.op_type() + ")";
}

/// What a stored tensor holds, for onnx_detail::tensor_problems.
onnx_detail::StoredTensor stored(const ::onnx::TensorProto& t) {
  onnx_detail::StoredTensor s;
  s.data_type = t.data_type();
  s.dims.assign(t.dims().begin(), t.dims().end());
  s.external = t.data_location() == ::onnx::TensorProto::EXTERNAL;
  if (t.has_raw_data()) s.raw_bytes = static_cast<std::int64_t>(t.raw_data().size());
  const std::pair<const char*, int> fields[] = {
      {"float_data", t.float_data_size()},   {"int32_data", t.int32_data_size()},
      {"string_data", t.string_data_size()}, {"int64_data", t.int64_data_size()},
      {"double_data", t.double_data_size()}, {"uint64_data", t.uint64_data_size()}};
  for (const auto& [field, size] : fields)
    if (size > 0) s.typed.emplace_back(field, size);
  return s;
}

/// Reports the rules a stored tensor breaks (onnx_detail::tensor_problems); `what` names it.
void check_tensor(const ::onnx::TensorProto& t, const std::string& what, const SourceLocation& at,
                  DiagnosticSink& sink) {
  for (const std::string& problem : onnx_detail::tensor_problems(stored(t)))
    sink.error(at, what + problem);
}

/// The same for a sparse tensor's values and indices.
void check_sparse(const ::onnx::SparseTensorProto& s, const std::string& what,
                  const SourceLocation& at, DiagnosticSink& sink) {
  check_tensor(s.values(), what + ", values", at, sink);
  check_tensor(s.indices(), what + ", indices", at, sink);
}

void check_tensors(const ::onnx::GraphProto& g, const std::string& where, const SourceLocation& at,
                   DiagnosticSink& sink);

/// The tensors of a node's attributes (TENSOR, TENSORS, SPARSE_TENSOR(S)) and of its subgraphs.
void check_attributes(const ::onnx::NodeProto& n, const std::string& node, const SourceLocation& at,
                      DiagnosticSink& sink) {
  for (const auto& a : n.attribute()) {
    const std::string what = node + ": attribute '" + a.name() + "'";
    if (a.has_t()) check_tensor(a.t(), what, at, sink);
    for (int i = 0; i < a.tensors_size(); ++i)
      check_tensor(a.tensors(i), what + ", tensor " + std::to_string(i), at, sink);
    if (a.has_sparse_tensor()) check_sparse(a.sparse_tensor(), what, at, sink);
    for (int i = 0; i < a.sparse_tensors_size(); ++i)
      check_sparse(a.sparse_tensors(i), what + ", tensor " + std::to_string(i), at, sink);
    if (a.has_g()) check_tensors(a.g(), what + ": ", at, sink);
    for (int i = 0; i < a.graphs_size(); ++i)
      check_tensors(a.graphs(i), what + ", graph " + std::to_string(i) + ": ", at, sink);
  }
}

/// Every tensor stored in graph `g` follows onnx_detail::tensor_problems' rules, at any depth
/// (ONNX's inference reads the values of initializers and of Constants' attributes); `where`
/// leads the names of a subgraph's tensors.
void check_tensors(const ::onnx::GraphProto& g, const std::string& where, const SourceLocation& at,
                   DiagnosticSink& sink) {
  for (const auto& t : g.initializer())
    check_tensor(t, where + "initializer '" + t.name() + "'", at, sink);
  for (const auto& s : g.sparse_initializer())
    check_sparse(s, where + "sparse initializer '" + s.values().name() + "'", at, sink);
  for (int i = 0; i < g.node_size(); ++i)
    check_attributes(g.node(i), where + node_text(g.node(i), i), at, sink);
}

/// Every stored tensor holds what its dims need (check_tensors), every node's inputs are
/// defined before it (ONNX's topological order), and every tensor has one producer.
void check_graph(const ::onnx::GraphProto& g, const std::string& file) {
  DiagnosticSink sink;
  const SourceLocation at{file, 0, 0};
  check_tensors(g, "", at, sink);
  std::set<std::string> defined;
  for (const auto& t : g.initializer()) defined.insert(t.name());
  for (const auto& t : g.sparse_initializer()) defined.insert(t.values().name());
  for (const auto& v : g.input()) defined.insert(v.name());
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    const std::string what = node_text(n, i);
    for (const std::string& in : n.input())
      if (!in.empty() && !defined.count(in))
        sink.error(at, what + ": input '" + in +
                           "' is not made by an earlier node, an initializer "
                           "or a graph input (nodes must be in topological order)");
    for (const std::string& out : n.output())
      if (!out.empty() && !defined.insert(out).second)
        sink.error(at,
                   what + ": output '" + out + "' is already defined; a tensor has one producer");
  }
  sink.throw_if_any();
}

/// Fills in the graph inputs' open sizes (onnx_detail::fix_inputs decides them). Returns
/// whether any changed.
bool fix_inputs(::onnx::GraphProto& g, const std::vector<OnnxSize>& sizes,
                const std::string& file) {
  std::set<std::string> initializers;
  for (const auto& t : g.initializer()) initializers.insert(t.name());
  std::vector<::onnx::ValueInfoProto*> inputs;
  std::vector<onnx_detail::DeclaredInput> declared;
  for (auto& v : *g.mutable_input()) {
    if (initializers.count(v.name())) continue;
    inputs.push_back(&v);
    onnx_detail::DeclaredInput in{
        v.name(), v.type().has_tensor_type() && v.type().tensor_type().has_shape(), {}};
    for (const auto& d : v.type().tensor_type().shape().dim())
      in.dims.push_back({d.has_dim_value(), d.dim_value(), d.dim_param()});
    declared.push_back(std::move(in));
  }
  const onnx_detail::FixedInputs fixed = onnx_detail::fix_inputs(declared, sizes, file);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto* shape = inputs[i]->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (std::int64_t d : fixed.dims[i]) shape->add_dim()->set_dim_value(d);
  }
  return fixed.changed;
}

/// The values of a small int32 or int64 tensor stored in the model, if it is one.
std::optional<IntTensor> int_tensor(const ::onnx::TensorProto& t) {
  const int type = t.data_type();
  if ((type != onnx_detail::kInt32 && type != onnx_detail::kInt64) || t.data_location() != 0)
    return std::nullopt;
  IntTensor out{{t.dims().begin(), t.dims().end()}, {}, type};
  std::int64_t n = 1;
  for (std::int64_t d : out.dims) {
    if (d < 0 || (d > 0 && n > static_cast<std::int64_t>(onnx_detail::kMaxFoldElements) / d))
      return std::nullopt;
    n *= d;
  }
  if (t.has_raw_data()) {
    const std::size_t width = type == onnx_detail::kInt64 ? 8 : 4;
    if (t.raw_data().size() != static_cast<std::size_t>(n) * width) return std::nullopt;
    for (std::int64_t i = 0; i < n; ++i) {
      std::int64_t v64 = 0;
      std::int32_t v32 = 0;
      if (width == 8)
        std::memcpy(&v64, t.raw_data().data() + i * 8, 8);
      else
        std::memcpy(&v32, t.raw_data().data() + i * 4, 4), v64 = v32;
      out.values.push_back(v64);
    }
  } else if (type == onnx_detail::kInt64) {
    out.values.assign(t.int64_data().begin(), t.int64_data().end());
  } else {
    out.values.assign(t.int32_data().begin(), t.int32_data().end());
  }
  if (static_cast<std::int64_t>(out.values.size()) != n) return std::nullopt;
  return out;
}

::onnx::TensorProto tensor_proto(const IntTensor& value) {
  ::onnx::TensorProto t;
  t.set_data_type(value.data_type);
  for (std::int64_t d : value.dims) t.add_dims(d);
  for (std::int64_t v : value.values)
    value.data_type == onnx_detail::kInt64 ? t.add_int64_data(v)
                                           : t.add_int32_data(static_cast<std::int32_t>(v));
  return t;
}

/// Op types of every node in the subgraphs of a node's attributes, at any depth.
void body_ops(const ::onnx::NodeProto& n, std::vector<std::string>& out) {
  auto graph = [&](const ::onnx::GraphProto& g) {
    for (const auto& inner : g.node()) {
      out.push_back(inner.op_type());
      body_ops(inner, out);
    }
  };
  for (const auto& a : n.attribute()) {
    if (a.has_g()) graph(a.g());
    for (const auto& g : a.graphs()) graph(g);
  }
}

onnx_detail::Node plain_node(const ::onnx::NodeProto& n, int index) {
  onnx_detail::Node node;
  node.index = index;
  node.name = n.name();
  node.op_type = n.op_type();
  node.domain = n.domain() == "ai.onnx" ? "" : n.domain();
  node.inputs.assign(n.input().begin(), n.input().end());
  node.outputs.assign(n.output().begin(), n.output().end());
  for (const auto& a : n.attribute()) {
    if (a.type() == ::onnx::AttributeProto::INT) node.ints[a.name()] = {a.i()};
    if (a.type() == ::onnx::AttributeProto::INTS)
      node.ints[a.name()].assign(a.ints().begin(), a.ints().end());
    if (a.type() == ::onnx::AttributeProto::STRING) node.strings[a.name()] = a.s();
  }
  body_ops(n, node.body_ops);
  return node;
}

/// The type of a stored tensor: its element type and dimensions.
::onnx::TypeProto type_of(const ::onnx::TensorProto& t) {
  ::onnx::TypeProto type;
  auto* tensor = type.mutable_tensor_type();
  tensor->set_elem_type(t.data_type());
  auto* shape = tensor->mutable_shape();
  for (std::int64_t d : t.dims()) shape->add_dim()->set_dim_value(d);
  return type;
}

/// The tensor a Constant node holds when it is given as `value` or `value_int(s)` /
/// `value_float(s)`.
std::optional<::onnx::TensorProto> constant_value(const ::onnx::NodeProto& n) {
  ::onnx::TensorProto t;
  for (const auto& a : n.attribute()) {
    if (a.name() == "value" && a.has_t()) return a.t();
    const bool ints = a.name() == "value_ints", floats = a.name() == "value_floats";
    if (a.name() == "value_int" || a.name() == "value_float" || ints || floats) {
      const bool is_int = a.name() == "value_int" || ints;
      t.set_data_type(is_int ? onnx_detail::kInt64 : ::onnx::TensorProto::FLOAT);
      if (ints) t.add_dims(a.ints_size());
      if (floats) t.add_dims(a.floats_size());
      if (ints)
        *t.mutable_int64_data() = a.ints();
      else if (floats)
        *t.mutable_float_data() = a.floats();
      else if (is_int)
        t.add_int64_data(a.i());
      else
        t.add_float_data(a.f());
      return t;
    }
  }
  return std::nullopt;
}

/// Walks the graph in order and learns every tensor's type, one node at a time: ONNX's
/// inference runs on a model of that node alone, whose inputs carry the types found so far and
/// the values of small constants (a Reshape's shape, a Resize's scales), including those the
/// reader folds (the shape arithmetic exporters write as ops, see onnx_fold.hpp). One node at a
/// time, the inputs of each inference can be checked first (onnx_detail::inference_problem).
class Walk {
 public:
  explicit Walk(const ::onnx::ModelProto& model) {
    mini_.set_ir_version(8);
    *mini_.mutable_opset_import() = model.opset_import();
    for (const auto& o : model.opset_import())
      if (o.domain().empty() || o.domain() == "ai.onnx")
        opset_ = static_cast<int>(std::clamp<std::int64_t>(o.version(), 1, 1000));
  }

  /// Records a tensor's type, a dimension below zero read as unknown.
  void set_type(const std::string& name, ::onnx::TypeProto type) {
    Shape shape;
    if (type.has_tensor_type() && type.tensor_type().has_shape()) {
      for (auto& d : *type.mutable_tensor_type()->mutable_shape()->mutable_dim()) {
        if (d.has_dim_value() && d.dim_value() < 0) d.clear_dim_value();
        shape.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
      }
      shapes_[name] = std::move(shape);
    }
    types_[name] = std::move(type);
  }

  /// A stored tensor (an initializer or a Constant's value): its type, its values when small.
  void add_constant(const std::string& name, ::onnx::TensorProto t) {
    std::int64_t n = 1;
    for (std::int64_t d : t.dims()) {
      if (d < 0) return;
      n = d > 0 && n > kMaxInferenceData / d ? kMaxInferenceData + 1 : n * d;
    }
    set_type(name, type_of(t));
    if (auto v = int_tensor(t)) values_[name] = *std::move(v);
    // Values inference may read: check_graph checked their size; a tensor stored without them
    // (its weights left out) is not one, as inference would read values that are not there.
    if (n <= kMaxInferenceData && onnx_detail::values_readable(stored(t))) {
      t.set_name(name);
      data_[name] = std::move(t);
    }
  }

  /// Learns the types of a node's outputs (and the values it folds).
  void node(const ::onnx::NodeProto& proto, const onnx_detail::Node& node) {
    if (node.op_type == "Constant" && node.domain.empty()) {
      if (auto t = constant_value(proto); t && node.outputs.size() == 1)
        add_constant(node.outputs[0], *t);
      return;
    }
    std::vector<const Shape*> shapes;
    bool typed = node.domain.empty() && node.body_ops.empty();
    for (const std::string& in : node.inputs) {
      typed &= in.empty() || types_.count(in) > 0;
      auto it = shapes_.find(in);
      shapes.push_back(it == shapes_.end() ? nullptr : &it->second);
    }
    if (typed && valid(proto, node)) {
      const std::optional<std::string> problem = onnx_detail::inference_problem(node, shapes);
      if (!problem) infer(proto, node);
      if (problem && !problem->empty()) rules_[node.index] = *problem;
    }
    fold(node, shapes);
  }

  /// What was learnt: the shapes, and ONNX's message for each node whose inference failed.
  std::map<std::string, Shape> shapes() const { return shapes_; }
  const std::map<int, std::string>& notes() const { return notes_; }
  /// The attribute rule each node that was not inferred breaks.
  const std::map<int, std::string>& rules() const { return rules_; }
  /// True when the tensor's type is known.
  bool typed(const std::string& name) const { return types_.count(name) > 0; }

 private:
  static constexpr std::int64_t kMaxInferenceData = 1024;

  /// True when the node matches its op's schema (inputs, outputs, attribute types), with each
  /// attribute once, so that the inference function reads what the reader checked.
  bool valid(const ::onnx::NodeProto& proto, const onnx_detail::Node& node) {
    std::set<std::string> names;
    for (const auto& a : proto.attribute())
      if (!names.insert(a.name()).second) return false;
    const ::onnx::OpSchema* schema =
        ::onnx::OpSchemaRegistry::Instance()->GetSchema(node.op_type, opset_, "");
    if (!schema) {
      notes_[node.index] = "no op " + node.op_type + " in opset " + std::to_string(opset_);
      return false;
    }
    try {
      schema->Verify(proto);
    } catch (const std::exception& e) {
      notes_[node.index] = e.what();
      return false;
    }
    return true;
  }

  void infer(const ::onnx::NodeProto& proto, const onnx_detail::Node& node) {
    ::onnx::GraphProto& g = *mini_.mutable_graph();
    g.Clear();
    *g.add_node() = proto;
    std::set<std::string> added;
    for (const std::string& in : node.inputs) {
      if (in.empty() || !added.insert(in).second) continue;
      if (auto it = data_.find(in); it != data_.end()) {
        *g.add_initializer() = it->second;
      } else {
        auto* v = g.add_input();
        v->set_name(in);
        *v->mutable_type() = types_.at(in);
      }
    }
    try {
      ::onnx::shape_inference::InferShapes(mini_, ::onnx::OpSchemaRegistry::Instance(),
                                           ::onnx::ShapeInferenceOptions(false, 1, false));
    } catch (const std::exception& e) {
      notes_[node.index] = e.what();
    }
    for (const auto& v : g.value_info()) set_type(v.name(), v.type());
  }

  void fold(const onnx_detail::Node& node, const std::vector<const Shape*>& shapes) {
    std::vector<const IntTensor*> values;
    for (const std::string& in : node.inputs) {
      auto it = values_.find(in);
      values.push_back(it == values_.end() ? nullptr : &it->second);
    }
    std::optional<IntTensor> v =
        node.outputs.size() == 1 ? onnx_detail::fold(node, values, shapes) : std::nullopt;
    if (!v) return;
    ::onnx::TensorProto t = tensor_proto(*v);
    add_constant(node.outputs[0], t);
  }

  ::onnx::ModelProto mini_;
  int opset_ = 1;  ///< of the default domain
  std::map<std::string, ::onnx::TypeProto> types_;
  std::map<std::string, Shape> shapes_;
  std::map<std::string, ::onnx::TensorProto> data_;
  std::map<std::string, IntTensor> values_;
  std::map<int, std::string> notes_;
  std::map<int, std::string> rules_;  ///< see rules()
};

/// Every tensor's shape, learnt node by node; when no size was filled in, the shapes the model
/// stores (value_info) stand in for those inference could not compute.
void learn_shapes(const ::onnx::ModelProto& work, bool changed, onnx_detail::Graph& graph) {
  const ::onnx::GraphProto& g = work.graph();
  Walk walk(work);
  for (const auto& t : g.initializer()) walk.add_constant(t.name(), t);
  for (const auto& v : g.input())
    if (!walk.typed(v.name())) walk.set_type(v.name(), v.type());
  std::map<std::string, const ::onnx::TypeProto*> stored;
  if (!changed)
    for (const auto* list : {&g.value_info(), &g.output()})
      for (const auto& v : *list) stored[v.name()] = &v.type();
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    walk.node(g.node(static_cast<int>(i)), graph.nodes[i]);
    for (const std::string& out : graph.nodes[i].outputs)
      if (auto it = stored.find(out); it != stored.end() && !walk.typed(out))
        walk.set_type(out, *it->second);
  }
  graph.shapes = walk.shapes();
  graph.notes = walk.notes();
  graph.rules = walk.rules();
}

/// Tensors computed from trained parameters only: initializers, Constant outputs, and outputs
/// of nodes whose inputs all are such tensors.
std::set<std::string> constant_tensors(const ::onnx::GraphProto& g) {
  std::set<std::string> constants;
  for (const auto& t : g.initializer()) constants.insert(t.name());
  for (const auto& t : g.sparse_initializer()) constants.insert(t.values().name());
  for (const auto& n : g.node()) {
    bool all = n.op_type() == "Constant" || n.input_size() > 0;
    for (const std::string& in : n.input())
      if (!in.empty() && !constants.count(in)) all = false;
    if (all)
      for (const std::string& out : n.output()) constants.insert(out);
  }
  return constants;
}

}  // namespace

network::Network parse_onnx(std::string_view bytes, const std::string& file,
                            const std::vector<OnnxSize>& sizes) {
  const ::onnx::ModelProto model = parse_model(bytes, file);
  check_graph(model.graph(), file);
  ::onnx::ModelProto work = model;
  const bool changed = fix_inputs(*work.mutable_graph(), sizes, file);
  onnx_detail::Graph graph;
  graph.file = file;
  graph.name = std::filesystem::path(file).stem().string();
  for (int i = 0; i < model.graph().node_size(); ++i)
    graph.nodes.push_back(plain_node(model.graph().node(i), i));
  graph.constants = constant_tensors(model.graph());
  learn_shapes(work, changed, graph);
  return onnx_detail::build_network(graph);
}

network::Network read_onnx(const std::string& path, const std::vector<OnnxSize>& sizes) {
  // Bounded: a device or pipe (/dev/zero) stops one byte past the limit instead of filling memory.
  FileBytes read = read_file_bytes(path, static_cast<std::size_t>(kMaxOnnxBytes));
  switch (read.status) {
    case FileStatus::kRead:
      break;
    case FileStatus::kCannotOpen:
    case FileStatus::kCannotRead:
      fail(path, "cannot read the file: " + std::string(std::strerror(read.error)));
    case FileStatus::kTooLarge:
      fail(path, too_large_message(static_cast<std::uint64_t>(kMaxOnnxBytes), "an ONNX model"));
  }
  return parse_onnx(read.bytes, path, sizes);
}

}  // namespace outpace::io
