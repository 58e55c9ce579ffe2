#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "common/source_location.hpp"

namespace outpace {

/// The machine failed the work, not the user's input and not Outpace: a file or folder that
/// cannot be written (permissions, a read-only or full disk), a thread that cannot start.
class EnvironmentError : public std::runtime_error {
 public:
  /// `where` names the file or option concerned (empty file: none); `message` says what failed.
  EnvironmentError(SourceLocation where, const std::string& message)
      : std::runtime_error(where.file.empty() ? message : where.str() + ": " + message),
        where_(std::move(where)),
        message_(message) {}
  /// The file or option concerned.
  const SourceLocation& where() const { return where_; }
  /// What failed, without the location.
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

}  // namespace outpace
