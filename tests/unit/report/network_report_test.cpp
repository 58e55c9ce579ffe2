// The text table of the layers Outpace sees, on a network small enough to check by hand.
#include "report/network_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "network/layers.hpp"
#include "network/zoo.hpp"

namespace outpace::report {
namespace {

TEST(NetworkReport, ShapeText) {
  EXPECT_EQ(shape_text(workload::gemm("mm", 2, 3, 4)), "M=2 N=3 K=4");
}

TEST(NetworkReport, TableByHand) {
  // fc1: 1x8x16 = 128 MACs, 128 weights; heads: 2 heads of 1x4x8 = 64 MACs, repeated 3 times.
  network::Network n;
  n.name = "tiny";
  n.layers = {network::fc_layer("fc1", 1, 8, 16),
              network::batched_matmul_layer("heads", 2, 1, 4, 8)};
  n.layers[1].repeat = 3;
  n.layers[1].tensors[1].density = 0.125;
  n.skipped = {{"r1", "Relu"}, {"p", "MaxPool"}, {"r2", "Relu"}};
  // Total MACs 128 + 3*64 = 320: shares 128/320 = 40.0% and 192/320 = 60.0%.
  EXPECT_EQ(network_text(n),
            "network tiny: 2 layers, 4 with repeats, 320 MACs, 128 weights\n"
            "(MACs and weights per occurrence; the total and the share count repeats)\n"
            "layer  op              shape            repeat  MACs  weights   share\n"
            "fc1    fc              M=1 N=8 K=16          1   128      128   40.0%\n"
            "heads  batched_matmul  B=2 M=1 N=4 K=8       3    64        0   60.0%\n"
            "total                                        4   320      128  100.0%\n"
            "density (recorded, not modelled): heads.Weights 12.5%\n"
            "skipped: 3 ops without MACs (Relu x 2, MaxPool x 1)\n");
}

TEST(NetworkReport, ZooResNet50) {
  const std::string text = network_text(*network::zoo_network("resnet50"));
  EXPECT_NE(text.find("network resnet50: 54 layers, 54 with repeats, 4,089,184,256 MACs, "
                      "25,502,912 weights\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("conv1         conv  R=7 S=7 P=112 Q=112 C=3 K=64 N=1"), std::string::npos)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2 + 1 + 54 + 1);  // no skipped line
}

}  // namespace
}  // namespace outpace::report
