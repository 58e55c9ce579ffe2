#pragma once
// Helpers shared by the tests of Timeloop's mapspace constraints.

#include <initializer_list>
#include <string>

#include "common/config_error.hpp"
#include "mapper/orders.hpp"

namespace outpace::io {

/// The diagnostics of one severity, one a line: "line:column: message".
inline std::string lines(const DiagnosticSink& sink, Severity severity) {
  std::string s;
  for (const Diagnostic& d : sink.of(severity))
    s += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message +
         "\n";
  return s;
}

/// An order of dimensions, innermost first, from their indices.
inline mapper::Order order(std::initializer_list<int> dims) {
  mapper::Order o;
  for (int d : dims) o.push_back(static_cast<std::int8_t>(d));
  return o;
}

}  // namespace outpace::io
