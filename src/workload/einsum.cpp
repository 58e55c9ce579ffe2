#include "workload/einsum.hpp"

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

std::int64_t Einsum::tensor_size(int t) const {
  std::int64_t n = 1;
  for (const TensorDim& td : tensors[t].dims) {
    std::int64_t extent = 1;
    for (const Term& term : td.terms) extent += term.coef * (bounds[term.dim] - 1);
    n *= extent;
  }
  return n;
}

static void check_tensor(const Einsum& e, const Tensor& t, std::vector<std::string>& errors) {
  const std::string who = "tensor '" + t.name + "'";
  if (t.dims.empty()) errors.push_back(who + ": has no dimensions");
  std::set<int> seen;
  for (const TensorDim& td : t.dims) {
    if (td.terms.empty()) errors.push_back(who + ": a dimension has no index terms");
    for (const Term& term : td.terms) {
      if (term.dim < 0 || term.dim >= e.num_dims()) {
        errors.push_back(who + ": index uses an unknown dimension");
        continue;
      }
      const std::string& dn = e.dim_names[term.dim];
      if (term.coef < 1)
        errors.push_back(who + ": coefficient " + std::to_string(term.coef) + " of '" + dn +
                         "' must be a positive integer");
      if (!seen.insert(term.dim).second)
        errors.push_back(who + ": dimension '" + dn +
                         "' appears in more than one index; each dimension may index a tensor once");
      if (t.is_output && (td.terms.size() != 1 || term.coef != 1))
        errors.push_back(who + ": output index must be a single dimension with coefficient 1");
    }
  }
}

std::vector<std::string> check(const Einsum& e) {
  std::vector<std::string> errors;
  if (e.dim_names.empty()) errors.push_back("einsum '" + e.name + "': has no dimensions");
  if (e.dim_names.size() > kMaxDims)
    errors.push_back("einsum '" + e.name + "': " + std::to_string(e.dim_names.size()) +
                     " dimensions, at most " + std::to_string(kMaxDims) + " are supported");
  if (e.bounds.size() != e.dim_names.size())
    errors.push_back("einsum '" + e.name + "': every dimension needs a bound");
  std::set<std::string> names;
  for (std::size_t i = 0; i < e.dim_names.size(); ++i) {
    if (!names.insert(e.dim_names[i]).second)
      errors.push_back("dimension '" + e.dim_names[i] + "': defined twice");
    if (i < e.bounds.size() && e.bounds[i] < 1)
      errors.push_back("dimension '" + e.dim_names[i] + "': bound " + std::to_string(e.bounds[i]) +
                       " must be a positive integer");
  }
  int outputs = 0;
  std::set<std::string> tnames;
  for (const Tensor& t : e.tensors) {
    if (!tnames.insert(t.name).second) errors.push_back("tensor '" + t.name + "': defined twice");
    outputs += t.is_output ? 1 : 0;
    check_tensor(e, t, errors);
  }
  if (e.tensors.size() > kMaxTensors)
    errors.push_back("einsum '" + e.name + "': " + std::to_string(e.tensors.size()) +
                     " tensors, at most " + std::to_string(kMaxTensors) + " are supported");
  if (outputs != 1)
    errors.push_back("einsum '" + e.name + "': needs exactly one output tensor, has " +
                     std::to_string(outputs));
  return errors;
}

}  // namespace outpace::workload
