#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace outpace {

/// Thrown when an internal invariant breaks: always a bug in Outpace, never bad input.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Raises InternalError naming the failed condition and its place in the source.
[[noreturn]] void internal_error(const char* condition, const char* message, const char* file,
                                 int line);

namespace detail {

/// The message of a failed OUTPACE_ASSERT, streamed into it; raises InternalError when the
/// statement ends (its destructor throws, so it lives only inside OUTPACE_ASSERT). Its members
/// are out of line and cold, so an assert costs its callers only the test of its condition.
class AssertFailure {
 public:
  [[gnu::cold]] AssertFailure(const char* condition, const char* file, int line);
  AssertFailure(const AssertFailure&) = delete;
  AssertFailure& operator=(const AssertFailure&) = delete;
  [[noreturn, gnu::cold]] ~AssertFailure() noexcept(false);

  /// Appends text.
  [[gnu::cold]] AssertFailure& operator<<(std::string_view text);
  /// Appends a character.
  [[gnu::cold]] AssertFailure& operator<<(char c);
  /// Appends an integer.
  [[gnu::cold]] AssertFailure& operator<<(long long value);
  /// Appends an unsigned integer.
  [[gnu::cold]] AssertFailure& operator<<(unsigned long long value);
  /// Appends a floating-point number.
  [[gnu::cold]] AssertFailure& operator<<(double value);
  /// Appends any other arithmetic value through the overloads above.
  template <class T>
    requires std::is_arithmetic_v<T>
  AssertFailure& operator<<(T value) {
    if constexpr (std::is_floating_point_v<T>)
      return *this << static_cast<double>(value);
    else if constexpr (std::is_signed_v<T>)
      return *this << static_cast<long long>(value);
    else
      return *this << static_cast<unsigned long long>(value);
  }

 private:
  const char* condition_;
  const char* file_;
  int line_;
  std::string message_;
};

/// Turns `Voidify() & failure << ...` into a void expression, the other branch of the `?:`.
struct Voidify {
  void operator&(const AssertFailure&) const {}
};

}  // namespace detail
}  // namespace outpace

/// Checks an internal invariant; a failure is reported as a bug in Outpace, with the condition,
/// the place and whatever is streamed after it:
///   OUTPACE_ASSERT(size_ < N) << "FixedVector of " << N << " is full";
#define OUTPACE_ASSERT(cond)                  \
  (cond) ? static_cast<void>(0)               \
         : ::outpace::detail::Voidify() &     \
               ::outpace::detail::AssertFailure(#cond, __FILE__, __LINE__)
