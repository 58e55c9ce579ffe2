#pragma once

// Internal to the zoo: what the per-family files share. Not part of the public API.

#include <cstdint>
#include <string>
#include <utility>

#include "network/layers.hpp"
#include "network/network.hpp"

namespace outpace::network::zoo_detail {

/// Collects a zoo network's layers and edges; names each Einsum "<network>.<layer>".
class Builder {
 public:
  /// Starts an empty network with this name.
  explicit Builder(std::string name) { net_.name = std::move(name); }
  /// Appends a layer (after those added before) and returns its name.
  std::string add(Layer layer) {
    layer.einsum.name = net_.name + "." + layer.name;
    net_.layers.push_back(std::move(layer));
    return net_.layers.back().name;
  }
  /// Records that `to` reads the output of `from` as `tensor` (see Edge).
  void edge(const std::string& from, const std::string& to, const std::string& tensor = "Inputs",
            bool carried = false) {
    net_.edges.push_back({from, to, tensor, carried});
  }
  /// The network built so far.
  Network take() { return std::move(net_); }

 private:
  Network net_;
};

/// A convolution over a square `in` x `in` input: `cin` -> `cout` channels (totals over all
/// groups), `k` x `k` kernel, stride and zero padding on each side; batch 1. The output size is
/// (in + 2 pad - k) / stride + 1, as in every framework.
inline workload::ConvShape square_conv(std::int64_t in, std::int64_t cin, std::int64_t cout,
                                       std::int64_t k, std::int64_t stride, std::int64_t pad,
                                       std::int64_t groups = 1) {
  workload::ConvShape s;
  s.groups = groups;
  s.c = cin / groups;
  s.k = cout / groups;
  s.r = s.s = k;
  s.stride_h = s.stride_w = stride;
  s.p = s.q = (in + 2 * pad - k) / stride + 1;
  return s;
}

/// AlexNet, two-tower (grouped) version as in Caffe's bvlc_alexnet, 227x227 input.
Network alexnet();
/// VGG-16 (configuration D), 224x224 input.
Network vgg16();
/// ResNet-50 v1.5 (stride on the 3x3 convolutions, as in torchvision), 224x224 input.
Network resnet50();
/// MobileNetV2, width 1.0, 224x224 input.
Network mobilenet_v2();
/// BERT-base encoder (12 blocks, hidden 768, 12 heads, FFN 3072) at sequence length 512.
Network bert_base();
/// DLRM in the MLPerf Criteo Terabyte configuration, batch 1.
Network dlrm();
/// The two-layer GCN of Kipf and Welling on Cora (2708 nodes, 1433 features, 16 hidden, 7 classes).
Network gcn_cora();

}  // namespace outpace::network::zoo_detail
