// The convolutional networks of the zoo: AlexNet, VGG-16, ResNet-50, MobileNetV2 (batch 1).
// Shapes and sources are listed in docs/zoo.md.

#include <initializer_list>
#include <string>

#include "network/zoo_build.hpp"

namespace outpace::network::zoo_detail {

namespace {

/// Adds each layer and an edge from each one to the next.
void chain(Builder& b, std::initializer_list<Layer> layers) {
  std::string prev;
  for (const Layer& l : layers) {
    const std::string name = b.add(l);
    if (!prev.empty()) b.edge(prev, name);
    prev = name;
  }
}

}  // namespace

Network alexnet() {
  // Krizhevsky et al. 2012, Fig. 2, as laid out in Caffe's bvlc_alexnet (227x227 input): conv2,
  // conv4 and conv5 are split over the two GPUs (2 groups); conv3 and the FCs are not.
  Builder b("alexnet");
  chain(b, {conv_layer("conv1", square_conv(227, 3, 96, 11, 4, 0)),      // 55x55, pool -> 27
            conv_layer("conv2", square_conv(27, 96, 256, 5, 1, 2, 2)),   // 27x27, pool -> 13
            conv_layer("conv3", square_conv(13, 256, 384, 3, 1, 1)),     // 13x13
            conv_layer("conv4", square_conv(13, 384, 384, 3, 1, 1, 2)),  // 13x13
            conv_layer("conv5", square_conv(13, 384, 256, 3, 1, 1, 2)),  // 13x13, pool -> 6
            fc_layer("fc6", 1, 4096, 256 * 6 * 6), fc_layer("fc7", 1, 4096, 4096),
            fc_layer("fc8", 1, 1000, 4096)});
  return b.take();
}

Network vgg16() {
  // Simonyan and Zisserman 2015, Table 1, configuration D: 3x3 convolutions with padding 1,
  // 2x2 max pooling after each stage, three FC layers.
  Builder b("vgg16");
  const int widths[5] = {64, 128, 256, 512, 512};
  const int convs[5] = {2, 2, 3, 3, 3};
  std::string prev;
  std::int64_t size = 224, cin = 3;
  for (int stage = 0; stage < 5; ++stage) {
    for (int i = 1; i <= convs[stage]; ++i) {
      const std::string name = "conv" + std::to_string(stage + 1) + "_" + std::to_string(i);
      b.add(conv_layer(name, square_conv(size, cin, widths[stage], 3, 1, 1)));
      if (!prev.empty()) b.edge(prev, name);
      prev = name;
      cin = widths[stage];
    }
    size /= 2;  // max pooling
  }
  b.add(fc_layer("fc6", 1, 4096, 512 * 7 * 7));
  b.edge(prev, "fc6");
  chain(b, {fc_layer("fc7", 1, 4096, 4096), fc_layer("fc8", 1, 1000, 4096)});
  b.edge("fc6", "fc7");
  return b.take();
}

Network resnet50() {
  // He et al. 2016, Table 1 (50-layer column), with the stride-2 of each stage's first block on
  // its 3x3 convolution (v1.5, torchvision's resnet50). Projection shortcuts (1x1, stride of the
  // block) open every stage. A block's last conv adds the shortcut: an edge into its Outputs.
  Builder b("resnet50");
  b.add(conv_layer("conv1", square_conv(224, 3, 64, 7, 2, 3)));  // 112x112, max pool -> 56
  const int mids[4] = {64, 128, 256, 512};
  const int blocks[4] = {3, 4, 6, 3};
  std::string prev = "conv1";  // the layer whose output is the block's input
  std::int64_t size = 56, cin = 64;
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t mid = mids[stage], out = 4 * mid;
    for (int blk = 1; blk <= blocks[stage]; ++blk) {
      const std::string base = "conv" + std::to_string(stage + 2) + "_" + std::to_string(blk);
      const std::int64_t stride = (blk == 1 && stage > 0) ? 2 : 1;
      const std::int64_t out_size = size / stride;
      std::string shortcut = prev;
      if (blk == 1) {
        shortcut = b.add(conv_layer(base + "_proj", square_conv(size, cin, out, 1, stride, 0)));
        b.edge(prev, shortcut);
      }
      b.add(conv_layer(base + "a", square_conv(size, cin, mid, 1, 1, 0)));
      b.add(conv_layer(base + "b", square_conv(size, mid, mid, 3, stride, 1)));
      b.add(conv_layer(base + "c", square_conv(out_size, mid, out, 1, 1, 0)));
      b.edge(prev, base + "a");
      b.edge(base + "a", base + "b");
      b.edge(base + "b", base + "c");
      b.edge(shortcut, base + "c", "Outputs");
      prev = base + "c";
      size = out_size;
      cin = out;
    }
  }
  b.add(fc_layer("fc", 1, 1000, 2048));  // after global average pooling
  b.edge(prev, "fc");
  return b.take();
}

Network mobilenet_v2() {
  // Sandler et al. 2018, Table 2: rows (expansion t, channels c, repeats n, first stride s).
  struct Row {
    int t, c, n, s;
  };
  const Row rows[7] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                       {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  Builder b("mobilenet_v2");
  std::string prev = b.add(conv_layer("conv1", square_conv(224, 3, 32, 3, 2, 1)));  // 112x112
  std::int64_t size = 112, cin = 32;
  int block = 0;
  for (const Row& row : rows) {
    for (int i = 0; i < row.n; ++i) {
      const std::string base = "block" + std::to_string(++block) + "_";
      const std::int64_t stride = i == 0 ? row.s : 1, hidden = cin * row.t;
      std::string in = prev;
      if (row.t != 1) {
        in = b.add(conv_layer(base + "expand", square_conv(size, cin, hidden, 1, 1, 0)));
        b.edge(prev, in);
      }
      workload::ConvShape dw = square_conv(size, hidden, hidden, 3, stride, 1);
      b.add(depthwise_layer(base + "dw", dw));
      b.add(conv_layer(base + "project", square_conv(dw.p, hidden, row.c, 1, 1, 0)));
      b.edge(in, base + "dw");
      b.edge(base + "dw", base + "project");
      if (stride == 1 && cin == row.c) b.edge(prev, base + "project", "Outputs");  // residual
      prev = base + "project";
      size = dw.p;
      cin = row.c;
    }
  }
  b.add(conv_layer("conv_last", square_conv(size, cin, 1280, 1, 1, 0)));  // 7x7
  b.add(fc_layer("fc", 1, 1000, 1280));  // after global average pooling
  b.edge(prev, "conv_last");
  b.edge("conv_last", "fc");
  return b.take();
}

}  // namespace outpace::network::zoo_detail
