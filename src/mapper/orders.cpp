#include "mapper/orders.hpp"

#include <algorithm>

namespace outpace::mapper {

namespace {

/// How tensor t uses dimension d: 0 not at all, 1 only through single-term tensor dimensions,
/// 2 through a tensor dimension that sums several terms (sliding windows).
int usage(const workload::Tensor& t, int d) {
  int use = 0;
  for (const workload::TensorDim& td : t.dims)
    for (const workload::Term& term : td.terms)
      if (term.dim == d) use = std::max(use, td.terms.size() > 1 ? 2 : 1);
  return use;
}

}  // namespace

Commutation::Commutation(const workload::Einsum& einsum) {
  const int n = einsum.num_dims();
  masks_.resize(static_cast<std::size_t>(n));
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      bool ok = a != b;
      for (const workload::Tensor& t : einsum.tensors) {
        const int ua = usage(t, a), ub = usage(t, b);
        ok = ok && ((ua == 0 && ub == 0) || (ua == 1 && ub == 1));
      }
      if (ok) masks_[static_cast<std::size_t>(a)] |= 1u << b;
    }
  }
}

bool is_canonical(const Order& order, const Commutation& commutation) {
  // A word of a trace monoid is its class's lexicographic minimum iff no letter can be moved
  // left past a run of letters that it commutes with and that contains a larger letter
  // (Anisimov and Knuth, 1979). With distinct letters it suffices to look at each run ending
  // right before the letter.
  for (std::size_t j = 1; j < order.size(); ++j) {
    for (std::size_t i = j; i-- > 0;) {
      if (!commutation.commute(order[j], order[i])) break;
      if (order[i] > order[j]) return false;
    }
  }
  return true;
}

std::vector<Order> canonical_orders(std::uint32_t dims, const Commutation& commutation,
                                    const Order& innermost) {
  Order fixed;
  for (std::int8_t d : innermost)
    if ((dims >> d) & 1u) fixed.push_back(d);
  std::uint32_t rest = dims;
  for (std::int8_t d : fixed) rest &= ~(1u << d);
  std::vector<Order> out;
  // Traces cancel: fixed + a equals fixed + b as traces iff a equals b, so the representatives
  // are the fixed prefix followed by each canonical tail.
  for (const Order& tail : all_orders(rest)) {
    if (!is_canonical(tail, commutation)) continue;
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
