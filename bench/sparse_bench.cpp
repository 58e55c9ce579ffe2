// Single-thread throughput of model::evaluate with sparsity (Options::sparsity) on the layer and
// mapping of eval_bench (ResNet-50 conv3_x on the Eyeriss-like preset), Eyeriss-v1-like
// features: DRAM stores the inputs compressed, the weights scratchpad gates weights on inputs;
// weights at density 0.3, inputs at 0.55. Prints, each the median of 7 runs: the dense
// evaluation, the same with every density 1 (the sparse pass's own cost), fixed-structured
// densities and uniform (hypergeometric) ones, each as a ratio to the dense rate, and the
// statistical rates against the bar of 500,000/s.
#include <cstdio>
#include <thread>

#include "eval_case.hpp"

using namespace outpace;

namespace {

/// The Eyeriss-v1-like features with the given density kind.
model::Sparsity features(const workload::Einsum& e, const arch::Arch& a, model::DensityKind kind,
                         double weights, double inputs) {
  model::Sparsity s;
  s.densities.resize(static_cast<std::size_t>(e.num_tensors()));
  const int w = e.tensor_index("Weights"), i = e.tensor_index("Inputs");
  s.densities[w] = {kind, weights};
  s.densities[i] = {kind, inputs};
  s.compressed[a.level_index("DRAM")] = 1u << i;
  s.safs.push_back({a.level_index("weights_spad"), w, 1u << i, model::SafKind::kGating});
  return s;
}

}  // namespace

int main() {
  const workload::Einsum e = bench::resnet_conv();
  const arch::Arch a = *arch::preset("eyeriss");
  const mapping::Mapping m = bench::resnet_mapping(e);
  std::printf("cores: %u\n", std::thread::hardware_concurrency());
  std::printf(
      "case: %s on %s, weights 0.3, inputs 0.55, DRAM compressing the inputs, "
      "weights_spad gating weights on inputs\n",
      e.name.c_str(), a.name.c_str());
  std::printf("dense:\n");
  const double dense = bench::measure(e, a, m);
  model::Sparsity all_dense;
  model::Options o;
  o.sparsity = &all_dense;
  std::printf("every density 1 (the sparse pass alone):\n");
  std::printf("  ratio to dense: %.2f\n", bench::measure(e, a, m, o) / dense);
  for (const auto& [kind, name] :
       {std::pair{model::DensityKind::kFixedStructured, "fixed-structured"},
        std::pair{model::DensityKind::kUniform, "uniform (hypergeometric)"}}) {
    const model::Sparsity s = features(e, a, kind, 0.3, 0.55);
    o.sparsity = &s;
    const model::Result r = model::evaluate(e, a, m, o);
    std::printf("%s: %.4f pJ/MAC, %lld of %lld MACs run, %lld cycles\n", name,
                r.energy_per_mac_pj(), static_cast<long long>(r.actual_macs),
                static_cast<long long>(r.macs), static_cast<long long>(r.cycles));
    const double rate = bench::measure(e, a, m, o);
    std::printf("  ratio to dense: %.2f; to the bar of 500,000/s: %.2f\n", rate / dense,
                rate / 5e5);
  }
  return 0;
}
