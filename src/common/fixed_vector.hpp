#pragma once

#include <cstddef>
#include <initializer_list>
#include <type_traits>

#include "common/internal_error.hpp"

namespace outpace {

/// A vector with inline storage for at most N elements; never allocates. Elements past size()
/// are left uninitialized, so an empty FixedVector costs nothing to create.
template <typename T, std::size_t N>
class FixedVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "FixedVector holds plain values only");

 public:
  FixedVector() {}  // NOLINT: deliberately leaves the storage uninitialized
  /// Builds from a list; more than N elements is a bug.
  FixedVector(std::initializer_list<T> items) {
    for (const T& item : items) push_back(item);
  }

  /// Appends one element; a full vector is a bug.
  void push_back(const T& value) {
    OUTPACE_ASSERT(size_ < N) << "FixedVector of capacity " << N << " is full";
    data_[size_++] = value;
  }
  /// Removes every element.
  void clear() { size_ = 0; }
  /// Sets the size to n, default-filling new elements.
  void resize(std::size_t n) {
    OUTPACE_ASSERT(n <= N) << "FixedVector of capacity " << N << " resized to " << n;
    for (std::size_t i = size_; i < n; ++i) data_[i] = T{};
    size_ = n;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  static constexpr std::size_t capacity() { return N; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  friend bool operator==(const FixedVector& a, const FixedVector& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i)
      if (!(a.data_[i] == b.data_[i])) return false;
    return true;
  }

 private:
  union {
    T data_[N];  // only the first size_ are initialized
  };
  std::size_t size_ = 0;
};

}  // namespace outpace
