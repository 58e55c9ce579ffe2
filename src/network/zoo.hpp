#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "network/network.hpp"

namespace outpace::network {

/// Names of the built-in networks, in a fixed order ("alexnet", "vgg16", "resnet50", ...).
std::vector<std::string> zoo_names();
/// The built-in network with this name (exact, lowercase), or nothing. docs/zoo.md lists them.
std::optional<Network> zoo_network(std::string_view name);
/// One layer by "<network>.<layer>" (e.g. "resnet50.conv3_1b"), or by the name of one occurrence
/// of a repeated layer ("bert_base.block3_q_proj", returned with repeat 1 under that name);
/// a ResNet-50 block ("resnet50.conv3_1") gives its 3x3 conv ("conv3_1b", under that name);
/// nothing if either part is unknown.
std::optional<Layer> zoo_layer(std::string_view name);

}  // namespace outpace::network
