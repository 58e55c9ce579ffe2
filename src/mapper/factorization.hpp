#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "common/big_count.hpp"

namespace outpace::mapper {

/// The prime factorization of n >= 1: (prime, exponent) pairs in increasing order of prime.
std::vector<std::pair<std::int64_t, int>> prime_factors(std::int64_t n);

/// The divisors of n >= 1, in increasing order.
std::vector<std::int64_t> divisors(std::int64_t n);

/// How many ways n splits into `slots` ordered factors (each >= 1, product n):
/// the product over n's primes p^e of C(e + slots - 1, slots - 1).
BigCount count_factorizations(std::int64_t n, int slots);

/// Like count_factorizations, with factor i at most limits[i] (slots = limits.size()).
BigCount count_factorizations(std::int64_t n, const std::vector<std::int64_t>& limits);

/// Calls visit(factors) for every split of n into limits.size() ordered factors with factor i
/// at most limits[i], in lexicographic order of the factors; stops early when visit returns
/// false. Returns false if it was stopped.
bool for_each_factorization(std::int64_t n, const std::vector<std::int64_t>& limits,
                            const std::function<bool(const std::vector<std::int64_t>&)>& visit);

}  // namespace outpace::mapper
