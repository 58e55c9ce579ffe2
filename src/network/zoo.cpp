#include "network/zoo.hpp"

#include <algorithm>

#include "network/zoo_build.hpp"

namespace outpace::network {

namespace {

struct Entry {
  const char* name;
  Network (*build)();
};

/// The zoo, in the order zoo_names() lists it.
constexpr Entry kZoo[] = {
    {"alexnet", zoo_detail::alexnet},     {"vgg16", zoo_detail::vgg16},
    {"resnet50", zoo_detail::resnet50},   {"mobilenet_v2", zoo_detail::mobilenet_v2},
    {"bert_base", zoo_detail::bert_base}, {"dlrm", zoo_detail::dlrm},
    {"gcn_cora", zoo_detail::gcn_cora},
};

}  // namespace

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const Entry& e : kZoo) names.emplace_back(e.name);
  return names;
}

std::optional<Network> zoo_network(std::string_view name) {
  for (const Entry& e : kZoo)
    if (name == e.name) return e.build();
  return std::nullopt;
}

std::optional<Layer> zoo_layer(std::string_view name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<Network> net = zoo_network(name.substr(0, dot));
  if (!net) return std::nullopt;
  std::string layer(name.substr(dot + 1));
  // A ResNet-50 block, conv<s>_<b>, is quoted by its 3x3 conv, conv<s>_<b>b.
  const auto named = [&](const std::string& n) {
    return std::any_of(net->layers.begin(), net->layers.end(), [&](const Layer& l) { return l.name == n; });
  };
  if (net->name == "resnet50" && !named(layer) && named(layer + "a") && named(layer + "b")) layer += "b";
  for (Layer& l : net->layers) {
    if (l.name == layer) return std::move(l);
    for (const std::string& inst : l.instances) {
      if (inst != layer) continue;
      Layer one = std::move(l);
      one.name = layer;
      one.einsum.name = net->name + "." + one.name;
      one.repeat = 1;
      one.instances.clear();
      return one;
    }
  }
  return std::nullopt;
}

}  // namespace outpace::network
