// Writes the seed corpus of the ONNX import fuzzer: small models of every op the reader maps
// and of the errors it reports, built by unit/io/onnx/onnx_builder.hpp without weight values (shape
// inference needs none), one file each, and the real models of MODELS_FOLDER when it holds any
// (without their weights: the many ops of an exported network, in tens of kilobytes).
// Usage: onnx_fuzz_seeds [MODELS_FOLDER] FOLDER.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "unit/io/onnx/onnx_builder.hpp"

namespace {

using outpace::onnx_test::int64_bytes;
using outpace::onnx_test::OnnxModel;
using outpace::onnx_test::OnnxTensor;
using Ints = std::vector<std::int64_t>;

/// A tensor whose raw_data holds `bytes`.
OnnxTensor raw(const std::string& name, int data_type, const Ints& dims, std::string bytes) {
  OnnxTensor t;
  t.name = name, t.data_type = data_type, t.dims = dims, t.raw_data = std::move(bytes);
  return t;
}

/// Small stored tensors whose values shape inference reads, in raw_data (a Reshape's shape, a
/// Resize's scales in a Constant, a Slice's INT32 starts and ends, Range's scalars): mutations
/// that change a raw_data's size reach the rules of stored values (detail/onnx_tensor.hpp).
std::string stored_values() {
  const std::string one32("\x01\x00\x00\x00", 4), four32("\x04\x00\x00\x00", 4);
  const std::string two("\x00\x00\x00\x40", 4), unit("\x00\x00\x80\x3f", 4);  // 2.0f, 1.0f
  OnnxModel m(13);
  m.input("x", {1, 3, 8, 8})
      .constant("scales", raw("sc", 1, {4}, unit + unit + two + two))
      .node("Resize", {"x", "", "sc"}, {"big"}, "resize")
      .initializer(raw("sh", 7, {2}, int64_bytes({12, 64})))
      .node("Reshape", {"big", "sh"}, {"r"}, "reshape")
      .initializer(raw("starts", 6, {1}, one32))
      .initializer(raw("ends", 6, {1}, four32))
      .node("Slice", {"r", "starts", "ends"}, {"s"}, "slice")
      .initializer(raw("start", 7, {}, int64_bytes({0})))
      .initializer(raw("limit", 7, {}, int64_bytes({64})))
      .initializer(raw("delta", 7, {}, int64_bytes({8})))
      .node("Range", {"start", "limit", "delta"}, {"n"}, "range")
      .initializer("w", {64, 16})
      .node("MatMul", {"s", "w"}, {"y"}, "fc")
      .output("y")
      .output("n");
  return m.bytes();
}

std::vector<std::pair<std::string, std::string>> seeds() {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const char* name, const OnnxModel& m) { out.emplace_back(name, m.bytes()); };
  OnnxModel conv(13, false);
  conv.input("x", {"N", 3, "H", "W"})
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"a"}, "conv",
            {{"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}})
      .node("Relu", {"a"}, {"r"}, "relu")
      .constant("dw", {8, 1, 3, 3})
      .node("Conv", {"r", "dw"}, {"b"}, "dw", {{"group", 8}, {"auto_pad", "SAME_UPPER"}})
      .initializer("g", {8, 4, 1, 1})
      .node("Conv", {"b", "g"}, {"c"}, "grouped", {{"group", 2}, {"dilations", Ints{2, 2}}})
      .node("Add", {"c", "r"}, {"s"}, "residual")
      .initializer("up", {8, 4, 2, 2})
      .node("ConvTranspose", {"s", "up"}, {"u"}, "up", {{"strides", Ints{2, 2}}})
      .output("u");
  add("conv.onnx", conv);
  OnnxModel mm(13, false);
  mm.input("q", {2, 4, 6, 8})
      .input("k", {2, 4, 8, 6})
      .node("MatMul", {"q", "k"}, {"s"}, "scores")
      .node("Softmax", {"s"}, {"p"}, "softmax", {{"axis", -1}})
      .node("MatMul", {"p", "q"}, {"c"}, "context")
      .initializer("w", {8, 16})
      .node("MatMul", {"c", "w"}, {"y"}, "proj")
      .node("Shape", {"y"}, {"sh"}, "shape")
      .int_initializer("zero", {0})
      .node("Gather", {"sh", "zero"}, {"n"}, "gather")
      .int_initializer("rest", {-1})
      .node("Concat", {"n", "rest"}, {"target"}, "concat", {{"axis", 0}})
      .node("Reshape", {"y", "target"}, {"flat"}, "flatten")
      .initializer("fc", {10, 384})
      .node("Gemm", {"flat", "fc"}, {"z"}, "fc", {{"transB", 1}})
      .output("z");
  add("matmul.onnx", mm);
  OnnxModel bad(13, false);
  bad.input("x", {5, 1, 8})
      .initializer("w", {1, 64, 8})
      .initializer("r", {1, 64, 16})
      .node("LSTM", {"x", "w", "r"}, {"y"}, "lstm", {{"hidden_size", 16}})
      .output("y");
  add("lstm.onnx", bad);
  out.emplace_back("stored_values.onnx", stored_values());
  return out;
}

/// The real models in `folder` (scripts/fetch_models.sh), without their weights; none when the
/// folder is absent, and a file that does not parse is left out.
std::vector<std::pair<std::string, std::string>> model_seeds(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    if (entry.path().extension() == ".onnx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      out.emplace_back("model_" + f.filename().string(), outpace::onnx_test::without_weights(bytes));
    } catch (const std::exception& e) {  // a damaged download: the other seeds still serve
      std::cerr << "onnx_fuzz_seeds: " << f.string() << " left out: " << e.what() << "\n";
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: onnx_fuzz_seeds [MODELS_FOLDER] FOLDER\n";
    return 2;
  }
  const std::string folder = argv[argc - 1];
  std::vector<std::pair<std::string, std::string>> all = seeds();
  if (argc == 3)
    for (auto& seed : model_seeds(argv[1])) all.push_back(std::move(seed));
  for (const auto& [name, bytes] : all) {
    std::ofstream out(folder + "/" + name, std::ios::binary);
    if (!(out << bytes)) {
      std::cerr << "onnx_fuzz_seeds: cannot write " << folder << "/" << name << "\n";
      return 1;
    }
  }
  return 0;
}
