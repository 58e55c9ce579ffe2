#include "network/network.hpp"

#include <cstdio>
#include <map>
#include <set>
#include <tuple>

namespace outpace::network {

std::string_view op_name(OpKind op) {
  switch (op) {
    case OpKind::Conv:
      return "conv";
    case OpKind::GroupedConv:
      return "grouped_conv";
    case OpKind::DepthwiseConv:
      return "depthwise_conv";
    case OpKind::FullyConnected:
      return "fc";
    case OpKind::Matmul:
      return "matmul";
    case OpKind::BatchedMatmul:
      return "batched_matmul";
    case OpKind::EmbeddingBag:
      return "embedding_bag";
    case OpKind::SparseMatmul:
      return "spmm";
  }
  return "unknown";
}

std::int64_t Layer::weights() const {
  std::int64_t n = 0;
  for (std::size_t t = 0; t < tensors.size() && t < einsum.tensors.size(); ++t)
    if (tensors[t].is_weight)
      n += tensors[t].stored > 0 ? tensors[t].stored : einsum.tensor_size(static_cast<int>(t));
  return n;
}

const TensorInfo* Layer::info(const std::string& tensor) const {
  const int t = einsum.tensor_index(tensor);
  return t >= 0 && t < static_cast<int>(tensors.size()) ? &tensors[t] : nullptr;
}

int Network::layer_index(const std::string& name) const {
  for (int i = 0; i < static_cast<int>(layers.size()); ++i)
    if (layers[i].name == name) return i;
  return -1;
}

std::int64_t Network::layer_count() const {
  std::int64_t n = 0;
  for (const Layer& l : layers) n += l.repeat;
  return n;
}

std::int64_t Network::total_macs() const {
  std::int64_t n = 0;
  for (const Layer& l : layers) n += l.macs() * l.repeat;
  return n;
}

std::int64_t Network::total_weights() const {
  std::int64_t n = 0;
  for (const Layer& l : layers) n += l.weights() * l.repeat;
  return n;
}

namespace {

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

/// The rules on one layer's own fields: repeat, occurrence names, tensor records, its Einsum.
void check_layer(const Layer& l, std::vector<std::string>& errors) {
  const std::string who = "layer '" + l.name + "': ";
  if (l.name.empty()) errors.push_back("layer '': name is empty");
  if (l.repeat < 1)
    errors.push_back(who + "repeat " + std::to_string(l.repeat) + " must be at least 1");
  if (!l.instances.empty() && static_cast<std::int64_t>(l.instances.size()) != l.repeat)
    errors.push_back(who + std::to_string(l.instances.size()) + " occurrence names for repeat " +
                     std::to_string(l.repeat) + "; give none or one per occurrence");
  for (const std::string& m : workload::check_messages(l.einsum)) errors.push_back(who + m);
  if (l.tensors.size() != l.einsum.tensors.size()) {
    errors.push_back(who + std::to_string(l.tensors.size()) + " tensor records for " +
                     std::to_string(l.einsum.tensors.size()) + " tensors; give one per tensor");
    return;
  }
  for (std::size_t t = 0; t < l.tensors.size(); ++t) {
    const TensorInfo& ti = l.tensors[t];
    const std::string tw = who + "tensor '" + l.einsum.tensors[t].name + "': ";
    if (!(ti.density > 0.0 && ti.density <= 1.0))
      errors.push_back(tw + "density " + number(ti.density) + " must be in (0, 1]");
    if (ti.stored < 0)
      errors.push_back(tw + "stored elements " + std::to_string(ti.stored) +
                       " must not be negative");
    if (ti.is_weight && l.einsum.tensors[t].is_output)
      errors.push_back(tw + "the output cannot hold weights");
  }
}

/// Layer names and occurrence names must be unique across the whole network.
void check_names(const Network& n, std::vector<std::string>& errors) {
  std::set<std::string> seen;
  for (const Layer& l : n.layers) {
    if (!l.name.empty() && !seen.insert(l.name).second)
      errors.push_back("layer '" + l.name + "': name used twice");
    for (const std::string& inst : l.instances)
      if (inst != l.name && !seen.insert(inst).second)
        errors.push_back("layer '" + l.name + "': occurrence name '" + inst + "' used twice");
  }
}

/// The rules on one edge; `order` maps layer names to their index.
void check_edge(const Network& n, const Edge& e, const std::map<std::string, int>& order,
                std::vector<std::string>& errors) {
  const std::string who =
      std::string(e.carried ? "carried " : "") + "edge '" + e.from + "' -> '" + e.to + "': ";
  const auto from = order.find(e.from), to = order.find(e.to);
  if (from == order.end()) errors.push_back(who + "no layer named '" + e.from + "'");
  if (to == order.end()) errors.push_back(who + "no layer named '" + e.to + "'");
  if (from == order.end() || to == order.end()) return;
  const Layer& src = n.layers[from->second];
  const Layer& dst = n.layers[to->second];
  const int t = dst.einsum.tensor_index(e.tensor);
  if (t < 0) {
    errors.push_back(who + "layer '" + e.to + "' has no tensor '" + e.tensor + "'");
  } else if (t < static_cast<int>(dst.tensors.size()) && dst.tensors[t].is_weight) {
    errors.push_back(who + "tensor '" + e.tensor + "' holds weights; an edge feeds activations");
  }
  if (e.carried) {
    if (src.repeat < 2 || src.repeat != dst.repeat)
      errors.push_back(who + "needs both layers repeated the same number of times (" +
                       std::to_string(src.repeat) + " and " + std::to_string(dst.repeat) + ")");
    return;
  }
  if (from->second >= to->second)
    errors.push_back(who + "'" + e.to + "' does not come after '" + e.from +
                     "'; layers are listed in execution order (only a carried edge goes back)");
  if (src.repeat > 1 && dst.repeat > 1 && src.repeat != dst.repeat)
    errors.push_back(who + "repeat counts " + std::to_string(src.repeat) + " and " +
                     std::to_string(dst.repeat) + " differ; occurrences cannot be paired");
}

}  // namespace

std::vector<std::string> check(const Network& n) {
  std::vector<std::string> errors;
  const std::string who = "network '" + n.name + "': ";
  if (n.name.empty()) errors.push_back("network '': name is empty");
  if (n.layers.empty()) errors.push_back(who + "has no layers");
  for (const Layer& l : n.layers) check_layer(l, errors);
  check_names(n, errors);
  std::map<std::string, int> order;
  for (int i = 0; i < static_cast<int>(n.layers.size()); ++i) order.emplace(n.layers[i].name, i);
  std::set<std::tuple<std::string, std::string, std::string, bool>> seen;
  for (const Edge& e : n.edges) {
    check_edge(n, e, order, errors);
    if (!seen.insert({e.from, e.to, e.tensor, e.carried}).second)
      errors.push_back("edge '" + e.from + "' -> '" + e.to + "' (" + e.tensor + "): listed twice");
  }
  return errors;
}

}  // namespace outpace::network
