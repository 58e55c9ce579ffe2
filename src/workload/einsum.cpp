#include "workload/einsum.hpp"

#include <cstdio>
#include <set>

namespace outpace::workload {

int Einsum::dim_index(const std::string& name) const {
  for (int i = 0; i < num_dims(); ++i)
    if (dim_names[i] == name) return i;
  return -1;
}

int Einsum::tensor_index(const std::string& name) const {
  for (int i = 0; i < num_tensors(); ++i)
    if (tensors[i].name == name) return i;
  return -1;
}

std::uint32_t Tensor::used_dims() const {
  std::uint32_t mask = 0;
  for (const TensorDim& td : dims)
    for (const Term& term : td.terms) mask |= 1u << term.dim;
  return mask;
}

int Einsum::output_index() const {
  for (int i = 0; i < num_tensors(); ++i)
    if (tensors[i].is_output) return i;
  return -1;
}

std::int64_t Einsum::macs() const {
  std::int64_t n = 1;
  for (std::int64_t b : bounds) n *= b;
  return n;
}

std::int64_t footprint(const Tensor& t, const std::int64_t* extent) {
  std::int64_t n = 1;
  for (const TensorDim& td : t.dims) {
    std::int64_t width = 1;
    for (const Term& term : td.terms) width += term.coef * (extent[term.dim] - 1);
    n *= width;
  }
  return n;
}

std::int64_t Einsum::tensor_size(int t) const { return footprint(tensors[t], bounds.data()); }

namespace {

void check_tensor(const Einsum& e, int index, std::vector<Violation>& out) {
  const Tensor& t = e.tensors[index];
  if (t.dims.empty()) out.push_back({Rule::kNoTensorDims, index});
  std::set<int> seen;
  for (std::size_t position = 0; position < t.dims.size(); ++position) {
    const TensorDim& td = t.dims[position];
    if (td.terms.empty()) out.push_back({Rule::kEmptyIndex, index});
    if (t.is_output && !td.terms.empty() && (td.terms.size() != 1 || td.terms[0].coef != 1))
      out.push_back({Rule::kOutputIndex, index, -1, static_cast<std::int64_t>(position)});
    for (const Term& term : td.terms) {
      if (term.dim < 0 || term.dim >= e.num_dims()) {
        out.push_back({Rule::kUnknownIndexDim, index, -1, term.dim});
        continue;
      }
      if (term.coef < 1 || term.coef > kMaxCoefficient)
        out.push_back({Rule::kBadCoefficient, index, term.dim, term.coef, kMaxCoefficient});
      if (!seen.insert(term.dim).second) out.push_back({Rule::kRepeatedDim, index, term.dim});
    }
  }
}

/// The size rules, on an Einsum that breaks no other rule.
void check_sizes(const Einsum& e, std::vector<Violation>& out) {
  const double limit = static_cast<double>(kMaxProblemSize);
  double macs = 1;
  for (std::int64_t b : e.bounds) macs *= static_cast<double>(b);
  if (macs > limit) out.push_back({Rule::kTooManyMacs, -1, -1, 0, kMaxProblemSize, macs});
  for (int t = 0; t < e.num_tensors(); ++t) {
    double size = 1;
    for (const TensorDim& td : e.tensors[t].dims) {
      double extent = 1;
      for (const Term& term : td.terms)
        extent += static_cast<double>(term.coef) * static_cast<double>(e.bounds[term.dim] - 1);
      size *= extent;
    }
    if (size > limit) out.push_back({Rule::kTensorTooBig, t, -1, 0, kMaxProblemSize, size});
  }
}

/// Index `position` of tensor `t` as written in a problem file: "2*P + R".
std::string index_text(const Einsum& e, int t, std::int64_t position) {
  if (t < 0 || t >= e.num_tensors() || position < 0 ||
      position >= static_cast<std::int64_t>(e.tensors[t].dims.size()))
    return "?";
  std::string text;
  for (const Term& term : e.tensors[t].dims[static_cast<std::size_t>(position)].terms) {
    if (!text.empty()) text += " + ";
    if (term.coef != 1) text += std::to_string(term.coef) + "*";
    text += term.dim >= 0 && term.dim < e.num_dims() ? e.dim_names[term.dim] : "?";
  }
  return text;
}

std::string count_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

Subject Violation::subject() const {
  switch (rule) {
    case Rule::kDuplicateDim:
    case Rule::kBadBound:
      return Subject::kDimension;
    case Rule::kDuplicateTensor:
    case Rule::kNoTensorDims:
    case Rule::kEmptyIndex:
    case Rule::kUnknownIndexDim:
    case Rule::kBadCoefficient:
    case Rule::kRepeatedDim:
    case Rule::kOutputIndex:
    case Rule::kTensorTooBig:
      return Subject::kTensor;
    default:
      return Subject::kEinsum;
  }
}

std::vector<Violation> check(const Einsum& e) {
  std::vector<Violation> out;
  const std::int64_t dims = e.num_dims();
  if (dims == 0) out.push_back({Rule::kNoDims});
  if (e.dim_names.size() > kMaxDims)
    out.push_back({Rule::kTooManyDims, -1, -1, dims, static_cast<std::int64_t>(kMaxDims)});
  if (e.bounds.size() != e.dim_names.size())
    out.push_back({Rule::kMissingBounds, -1, -1, static_cast<std::int64_t>(e.bounds.size()), dims});
  std::set<std::string> names;
  for (int i = 0; i < e.num_dims(); ++i) {
    if (!names.insert(e.dim_names[i]).second) out.push_back({Rule::kDuplicateDim, i});
    if (i < static_cast<int>(e.bounds.size()) && e.bounds[i] < 1)
      out.push_back({Rule::kBadBound, i, -1, e.bounds[i]});
  }
  int outputs = 0;
  std::set<std::string> tensor_names;
  for (int t = 0; t < e.num_tensors(); ++t) {
    if (!tensor_names.insert(e.tensors[t].name).second) out.push_back({Rule::kDuplicateTensor, t});
    outputs += e.tensors[t].is_output ? 1 : 0;
    check_tensor(e, t, out);
  }
  if (e.tensors.size() > kMaxTensors)
    out.push_back({Rule::kTooManyTensors, -1, -1, e.num_tensors(),
                   static_cast<std::int64_t>(kMaxTensors)});
  if (outputs != 1) out.push_back({Rule::kOutputCount, -1, -1, outputs, 1});
  if (out.empty()) check_sizes(e, out);
  return out;
}

std::string rule_text(const Violation& v, const Einsum& e) {
  const std::string dim = v.dim >= 0 && v.dim < e.num_dims() ? e.dim_names[v.dim] : "?";
  const std::string value = std::to_string(v.value), limit = std::to_string(v.limit);
  switch (v.rule) {
    case Rule::kNoDims: return "has no dimensions";
    case Rule::kTooManyDims: return value + " dimensions, at most " + limit + " are supported";
    case Rule::kMissingBounds: return "every dimension needs a bound";
    case Rule::kDuplicateDim: return "defined twice";
    case Rule::kBadBound: return "bound " + value + " must be a positive integer";
    case Rule::kDuplicateTensor: return "defined twice";
    case Rule::kTooManyTensors: return value + " tensors, at most " + limit + " are supported";
    case Rule::kOutputCount: return "needs exactly one output tensor, has " + value;
    case Rule::kNoTensorDims: return "has no dimensions";
    case Rule::kEmptyIndex: return "a dimension has no index terms";
    case Rule::kUnknownIndexDim: return "index uses an unknown dimension";
    case Rule::kBadCoefficient:
      return "coefficient " + value + " of '" + dim + "' must be an integer in [1, " + limit + "]";
    case Rule::kRepeatedDim:
      return "dimension '" + dim +
             "' appears in more than one index; each dimension may index a tensor once";
    case Rule::kOutputIndex:
      return "index " + std::to_string(v.value + 1) + " ('" + index_text(e, v.index, v.value) +
             "') of the output must be a single dimension with coefficient 1";
    case Rule::kTooManyMacs:
      return "the bounds multiply to " + count_text(v.size) + " MACs, at most " + limit +
             " (2^50) are supported";
    case Rule::kTensorTooBig:
      return "would hold " + count_text(v.size) + " elements, at most " + limit +
             " (2^50) are supported";
  }
  return "breaks an unknown rule";
}

std::string describe(const Violation& v, const Einsum& e) {
  switch (v.subject()) {
    case Subject::kDimension:
      return "dimension '" + e.dim_names[v.index] + "': " + rule_text(v, e);
    case Subject::kTensor: return "tensor '" + e.tensors[v.index].name + "': " + rule_text(v, e);
    case Subject::kEinsum: break;
  }
  return "einsum '" + e.name + "': " + rule_text(v, e);
}

std::vector<std::string> check_messages(const Einsum& e) {
  std::vector<std::string> out;
  for (const Violation& v : check(e)) out.push_back(describe(v, e));
  return out;
}

}  // namespace outpace::workload
