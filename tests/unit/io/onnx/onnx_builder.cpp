#include "unit/io/onnx/onnx_builder.hpp"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <stdexcept>

namespace outpace::onnx_test {

struct OnnxModel::Impl {
  ::onnx::ModelProto model;
  bool store_data = true;

  ::onnx::TensorProto floats(const std::string& name, const std::vector<std::int64_t>& dims) const {
    ::onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(::onnx::TensorProto::FLOAT);
    std::int64_t n = 1;
    for (std::int64_t d : dims) t.add_dims(d), n *= d;
    if (store_data) t.set_raw_data(std::string(static_cast<std::size_t>(n) * 4, '\0'));
    return t;
  }
};

namespace {

::onnx::TensorProto tensor_proto(const OnnxTensor& t) {
  ::onnx::TensorProto p;
  p.set_name(t.name);
  p.set_data_type(t.data_type);
  for (std::int64_t d : t.dims) p.add_dims(d);
  if (t.raw_data) p.set_raw_data(*t.raw_data);
  for (std::int64_t v : t.int64_data) p.add_int64_data(v);
  for (std::int32_t v : t.int32_data) p.add_int32_data(v);
  for (float v : t.float_data) p.add_float_data(v);
  for (const std::string& v : t.string_data) p.add_string_data(v);
  if (t.external) {
    p.set_data_location(::onnx::TensorProto::EXTERNAL);
    auto* entry = p.add_external_data();
    entry->set_key("location");
    entry->set_value("weights.bin");
  }
  return p;
}

}  // namespace

std::string int64_bytes(const std::vector<std::int64_t>& values) {
  std::string out(values.size() * 8, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    for (int b = 0; b < 8; ++b)
      out[i * 8 + b] = static_cast<char>(static_cast<std::uint64_t>(values[i]) >> (8 * b));
  return out;
}

OnnxModel::OnnxModel(int opset, bool store_data) : impl_(std::make_unique<Impl>()) {
  impl_->store_data = store_data;
  impl_->model.set_ir_version(8);
  impl_->model.set_producer_name("outpace-tests");
  auto* o = impl_->model.add_opset_import();
  o->set_domain("");
  o->set_version(opset);
  impl_->model.mutable_graph()->set_name("test");
}

OnnxModel::~OnnxModel() = default;

OnnxModel& OnnxModel::input(const std::string& name, const std::vector<OnnxDim>& dims) {
  auto* v = impl_->model.mutable_graph()->add_input();
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(::onnx::TensorProto::FLOAT);
  auto* shape = t->mutable_shape();
  for (const OnnxDim& d : dims) {
    auto* dim = shape->add_dim();
    if (d.param.empty())
      dim->set_dim_value(d.value);
    else
      dim->set_dim_param(d.param);
  }
  return *this;
}

OnnxModel& OnnxModel::shapeless_input(const std::string& name) {
  auto* v = impl_->model.mutable_graph()->add_input();
  v->set_name(name);
  v->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
  return *this;
}

OnnxModel& OnnxModel::initializer(const std::string& name, const std::vector<std::int64_t>& dims) {
  *impl_->model.mutable_graph()->add_initializer() = impl_->floats(name, dims);
  return *this;
}

OnnxModel& OnnxModel::constant(const std::string& name, const std::vector<std::int64_t>& dims) {
  auto* n = impl_->model.mutable_graph()->add_node();
  n->set_op_type("Constant");
  n->add_output(name);
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(::onnx::AttributeProto::TENSOR);
  *a->mutable_t() = impl_->floats(name, dims);
  return *this;
}

OnnxModel& OnnxModel::initializer(const OnnxTensor& t) {
  *impl_->model.mutable_graph()->add_initializer() = tensor_proto(t);
  return *this;
}

OnnxModel& OnnxModel::sparse_initializer(const OnnxTensor& values, const OnnxTensor& indices,
                                         const std::vector<std::int64_t>& dims) {
  auto* s = impl_->model.mutable_graph()->add_sparse_initializer();
  *s->mutable_values() = tensor_proto(values);
  *s->mutable_indices() = tensor_proto(indices);
  for (std::int64_t d : dims) s->add_dims(d);
  return *this;
}

OnnxModel& OnnxModel::constant(const std::string& name, const OnnxTensor& t) {
  return node("Constant", {}, {t.name}, name).attribute("value", t);
}

OnnxModel& OnnxModel::attribute(const std::string& name, const OnnxTensor& t) {
  ::onnx::GraphProto& g = *impl_->model.mutable_graph();
  auto* a = g.mutable_node(g.node_size() - 1)->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::TENSOR);
  *a->mutable_t() = tensor_proto(t);
  return *this;
}

OnnxModel& OnnxModel::attribute(const std::string& name, const OnnxModel& body) {
  ::onnx::GraphProto& g = *impl_->model.mutable_graph();
  auto* a = g.mutable_node(g.node_size() - 1)->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::GRAPH);
  *a->mutable_g() = body.impl_->model.graph();
  return *this;
}

OnnxModel& OnnxModel::int_initializer(const std::string& name,
                                      const std::vector<std::int64_t>& values) {
  auto* t = impl_->model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(::onnx::TensorProto::INT64);
  t->add_dims(static_cast<std::int64_t>(values.size()));
  for (std::int64_t v : values) t->add_int64_data(v);
  return *this;
}

OnnxModel& OnnxModel::node(const std::string& op_type, const std::vector<std::string>& inputs,
                           const std::vector<std::string>& outputs, const std::string& name,
                           const std::vector<OnnxAttr>& attributes, const std::string& domain) {
  auto* n = impl_->model.mutable_graph()->add_node();
  n->set_op_type(op_type);
  n->set_name(name);
  n->set_domain(domain);
  for (const std::string& i : inputs) n->add_input(i);
  for (const std::string& o : outputs) n->add_output(o);
  for (const OnnxAttr& attr : attributes) {
    auto* a = n->add_attribute();
    a->set_name(attr.name);
    if (auto* i = std::get_if<std::int64_t>(&attr.value)) {
      a->set_type(::onnx::AttributeProto::INT);
      a->set_i(*i);
    } else if (auto* is = std::get_if<std::vector<std::int64_t>>(&attr.value)) {
      a->set_type(::onnx::AttributeProto::INTS);
      for (std::int64_t v : *is) a->add_ints(v);
    } else {
      a->set_type(::onnx::AttributeProto::STRING);
      a->set_s(std::get<std::string>(attr.value));
    }
  }
  if (!domain.empty() && domain != "ai.onnx") {
    bool imported = false;
    for (const auto& o : impl_->model.opset_import()) imported |= o.domain() == domain;
    if (!imported) {
      auto* o = impl_->model.add_opset_import();
      o->set_domain(domain);
      o->set_version(1);
    }
  }
  return *this;
}

OnnxModel& OnnxModel::output(const std::string& name) {
  auto* v = impl_->model.mutable_graph()->add_output();
  v->set_name(name);
  v->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
  return *this;
}

std::string OnnxModel::bytes() const { return impl_->model.SerializeAsString(); }

namespace {

/// The known dimensions of a tensor, or nothing when any is unknown.
std::vector<std::int64_t> known(const std::map<std::string, const ::onnx::TypeProto*>& types,
                                const std::string& name, bool& ok) {
  auto it = types.find(name);
  std::vector<std::int64_t> dims;
  if (it == types.end() || !it->second->tensor_type().has_shape()) return ok = false, dims;
  for (const auto& d : it->second->tensor_type().shape().dim()) {
    if (!d.has_dim_value()) ok = false;
    dims.push_back(d.dim_value());
  }
  return dims;
}

std::int64_t product(const std::vector<std::int64_t>& dims, std::size_t from = 0) {
  std::int64_t p = 1;
  for (std::size_t i = from; i < dims.size(); ++i) p *= dims[i];
  return p;
}

}  // namespace

OnnxCensus census(const std::string& bytes, const std::vector<std::int64_t>& input) {
  ::onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw std::runtime_error("census: not a model");
  auto* g = model.mutable_graph();
  auto* shape = g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->clear_dim();
  for (std::int64_t d : input) shape->add_dim()->set_dim_value(d);
  g->clear_value_info();
  for (auto& o : *g->mutable_output()) o.mutable_type()->mutable_tensor_type()->clear_shape();
  ::onnx::shape_inference::InferShapes(model);
  std::map<std::string, const ::onnx::TypeProto*> types;
  for (const auto* list : {&g->input(), &g->value_info(), &g->output()})
    for (const auto& v : *list) types[v.name()] = &v.type();
  std::map<std::string, ::onnx::TypeProto> initializers;
  for (const auto& t : g->initializer()) {
    auto& type = initializers[t.name()];
    for (std::int64_t d : t.dims())
      type.mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(d);
    types[t.name()] = &type;
  }
  OnnxCensus c;
  for (const auto& n : g->node()) {
    ++c.nodes;
    const std::string& op = n.op_type();
    c.constants += op == "Constant";
    if (op != "Conv" && op != "ConvTranspose" && op != "MatMul" && op != "Gemm") continue;
    ++c.mac_nodes;
    bool ok = true;
    const auto x = known(types, n.input(0), ok), w = known(types, n.input(1), ok),
               y = known(types, n.output(0), ok);
    if (!ok) continue;
    std::int64_t k = x.back();  // A's columns (MatMul, Gemm)
    for (const auto& a : n.attribute())
      if (op == "Gemm" && a.name() == "transA" && a.i() != 0) k = x[0];  // A is K x M
    if (op == "Conv")
      c.macs[n.name()] = product(y) * w[1] * product(w, 2);
    else if (op == "ConvTranspose")
      c.macs[n.name()] = product(x) * w[1] * product(w, 2);
    else
      c.macs[n.name()] = product(y) * k;
  }
  return c;
}

namespace {

void drop_values(::onnx::TensorProto& t) {
  std::int64_t n = 1;
  for (std::int64_t d : t.dims()) n *= d;
  if (t.data_type() == ::onnx::TensorProto::FLOAT && n > 16) t.clear_raw_data(), t.clear_float_data();
}

}  // namespace

std::string without_weights(const std::string& bytes) {
  ::onnx::ModelProto m;
  if (!m.ParseFromString(bytes)) throw std::runtime_error("not an ONNX model");
  ::onnx::GraphProto& g = *m.mutable_graph();
  for (auto& t : *g.mutable_initializer()) drop_values(t);
  for (auto& node : *g.mutable_node())
    if (node.op_type() == "Constant")
      for (auto& a : *node.mutable_attribute())
        if (a.has_t()) drop_values(*a.mutable_t());
  return m.SerializeAsString();
}

}  // namespace outpace::onnx_test
