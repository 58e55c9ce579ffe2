#pragma once

#include <string>

namespace outpace {

/// A place in a spec file: file name, 1-based line and column (0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file:line:column", leaving out the parts that are unknown.
  std::string str() const;
};

}  // namespace outpace
