#pragma once

#include <stdexcept>
#include <string>

namespace outpace {

/// Thrown when an internal invariant breaks: always a bug in Outpace, never bad input.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Raises InternalError naming the failed condition and its place in the source.
[[noreturn]] void internal_error(const char* condition, const char* message, const char* file,
                                 int line);

}  // namespace outpace

/// Checks an internal invariant; a failure is reported as a bug in Outpace.
#define OUTPACE_ASSERT(cond, message) \
  ((cond) ? static_cast<void>(0) : ::outpace::internal_error(#cond, message, __FILE__, __LINE__))
