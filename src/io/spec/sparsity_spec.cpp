#include "io/spec/sparsity_spec.hpp"

#include <cstdlib>

#include "common/config_error.hpp"

namespace outpace::io {

namespace {

/// "A, B, Z": the layer's tensor names.
std::string tensor_names(const workload::Einsum& e) {
  std::string out;
  for (const workload::Tensor& t : e.tensors) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

/// The tensor `name` names, or -1 with an error at `where`.
int tensor(const workload::Einsum& e, const std::string& name, const SourceLocation& where,
           const std::string& what, DiagnosticSink& sink) {
  const int t = e.tensor_index(name);
  if (t < 0)
    sink.error(where, (what.empty() ? "" : what + ": ") + "'" + name + "' is no tensor of layer '" +
                          e.name + "' (" + tensor_names(e) + ")");
  return t;
}

}  // namespace

FixedVector<model::Density, kMaxTensors> parse_densities(const std::string& text,
                                                         const workload::Einsum& e,
                                                         const std::string& option) {
  FixedVector<model::Density, kMaxTensors> out;
  out.resize(static_cast<std::size_t>(e.num_tensors()));
  DiagnosticSink sink;
  const SourceLocation at{option, 0, 0};
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string entry = text.substr(start, end - start);
    start = end + 1;
    const std::size_t eq = entry.find('=');
    if (eq == std::string::npos) {
      sink.error(at,
                 "'" + entry + "' is not TENSOR=DENSITY (e.g. Weights=0.3 or Inputs=uniform:0.55)");
      continue;
    }
    const int t = tensor(e, entry.substr(0, eq), at, "", sink);
    std::string value = entry.substr(eq + 1);
    model::DensityKind kind = model::DensityKind::kFixedStructured;
    if (value.rfind("uniform:", 0) == 0)
      kind = model::DensityKind::kUniform, value = value.substr(8);
    char* stop = nullptr;
    const double d = std::strtod(value.c_str(), &stop);
    if (value.empty() || *stop != '\0' || !(d >= 0 && d <= 1)) {
      sink.error(at, "'" + entry + "': the density must be a number from 0 to 1");
      continue;
    }
    if (t >= 0) out[t] = {kind, d};
  }
  sink.throw_if_any();
  return out;
}

bool has_sparse_features(const arch::Arch& a) {
  for (const arch::StorageLevel& level : a.levels)
    if (!level.sparse.empty()) return true;
  return a.compute.gating || a.compute.skipping;
}

std::optional<model::Sparsity> sparsity_for(
    const workload::Einsum& e, const arch::Arch& a,
    const FixedVector<model::Density, kMaxTensors>& densities) {
  bool given = has_sparse_features(a);
  for (const model::Density& d : densities) given = given || d.kind != model::DensityKind::kDense;
  if (!given) return std::nullopt;
  model::Sparsity s;
  s.densities = densities;
  s.compute_gating = a.compute.gating;
  s.compute_skipping = a.compute.skipping;
  DiagnosticSink sink;
  for (int l = 0; l < a.num_levels(); ++l) {
    const arch::LevelSparsity& sparse = a.levels[l].sparse;
    const std::string what = "level '" + a.levels[l].name + "': sparse";
    for (const std::string& name : sparse.compressed)
      if (const int t = tensor(e, name, sparse.where, what + ": compressed", sink); t >= 0)
        s.compressed[l] |= 1u << t;
    for (const arch::SparseFeature& f : sparse.features) {
      const std::string kind = what + (f.skipping ? ": skipping" : ": gating");
      model::StorageSaf saf{l, tensor(e, f.target, f.where, kind + ": target", sink), 0,
                            f.skipping ? model::SafKind::kSkipping : model::SafKind::kGating};
      for (const std::string& name : f.condition)
        if (const int t = tensor(e, name, f.where, kind + ": condition", sink); t >= 0)
          saf.condition |= 1u << t;
      bool twice = false;
      for (const model::StorageSaf& other : s.safs)
        twice = twice || (other.level == l && other.target == saf.target);
      if (twice)
        sink.error(f.where, kind + ": a second feature on '" + f.target + "' at this level");
      else if (saf.target >= 0)
        s.safs.push_back(saf);
    }
  }
  sink.throw_if_any();
  return s;
}

}  // namespace outpace::io
