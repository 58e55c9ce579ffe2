#include "mapper/orders.hpp"

#include <algorithm>
#include <map>

namespace outpace::mapper {

namespace {

/// How tensor t uses dimension d: 0 not at all, 1 only through single-term tensor dimensions,
/// 2 through a tensor dimension that sums several terms (sliding windows).
std::int8_t usage(const workload::Tensor& t, int d) {
  std::int8_t use = 0;
  for (const workload::TensorDim& td : t.dims)
    for (const workload::Term& term : td.terms)
      if (term.dim == d) use = std::max<std::int8_t>(use, td.terms.size() > 1 ? 2 : 1);
  return use;
}

/// Token of a run of unused loops: above every dimension index.
constexpr int kUnusedRun = 1 << 16;

}  // namespace

OrderEquivalence::OrderEquivalence(const workload::Einsum& einsum) {
  for (const workload::Tensor& t : einsum.tensors) {
    FixedVector<std::int8_t, kMaxDims> u;
    for (int d = 0; d < einsum.num_dims(); ++d) u.push_back(usage(t, d));
    usage_.push_back(u);
  }
}

std::vector<int> OrderEquivalence::prefix(int t, const Order& order) const {
  std::vector<int> out;
  std::uint32_t run = 0;  // unused loops since the last sliding one
  for (std::int8_t d : order) {
    const std::int8_t u = usage_[t][d];
    if (u == 1) break;
    if (u == 0) {
      run |= 1u << d;
      continue;
    }
    if (run) out.push_back(kUnusedRun + static_cast<int>(run)), run = 0;
    out.push_back(d);
  }
  if (run) out.push_back(kUnusedRun + static_cast<int>(run));
  return out;
}

std::vector<Order> canonical_orders(std::uint32_t dims, const OrderEquivalence& equivalence,
                                    const Order& innermost) {
  // The candidates come in lexicographic order, so the first met of each class is its smallest.
  std::map<std::vector<int>, Order> first;
  std::vector<Order> out;
  for (const Order& order : orders_with_prefix(dims, innermost)) {
    std::vector<int> key;
    for (int t = 0; t < equivalence.tensors(); ++t) {
      const std::vector<int> p = equivalence.prefix(t, order);
      key.insert(key.end(), p.begin(), p.end());
      key.push_back(-1);
    }
    if (first.emplace(std::move(key), order).second) out.push_back(order);
  }
  return out;
}

std::vector<Order> orders_with_prefix(std::uint32_t dims, const Order& innermost) {
  Order fixed;
  for (std::int8_t d : innermost)
    if ((dims >> d) & 1u) fixed.push_back(d);
  std::uint32_t rest = dims;
  for (std::int8_t d : fixed) rest &= ~(1u << d);
  std::vector<Order> out;
  for (const Order& tail : all_orders(rest)) {
    Order order = fixed;
    for (std::int8_t d : tail) order.push_back(d);
    out.push_back(order);
  }
  return out;
}

std::vector<Order> all_orders(std::uint32_t dims) {
  std::vector<std::int8_t> items;
  for (int d = 0; d < 32; ++d)
    if ((dims >> d) & 1u) items.push_back(static_cast<std::int8_t>(d));
  std::vector<Order> out;
  do {
    Order order;
    for (std::int8_t d : items) order.push_back(d);
    out.push_back(order);
  } while (std::next_permutation(items.begin(), items.end()));
  return out;
}

}  // namespace outpace::mapper
