#pragma once
// Pieces of the Timeloop constraint reader (timeloop_constraints.cpp): where the constraint
// lists of the sections are, and the parsers of `factors` and `permutation` strings. Not part
// of the public API: include io/timeloop_constraints.hpp instead.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "mapper/orders.hpp"

namespace outpace::io::timeloop {

/// A section Timeloop reads constraints from.
struct Source {
  std::string name;      ///< e.g. "mapspace_constraints", "architecture: constraints"
  const YamlNode* node;  ///< its value
  SourceLocation where;  ///< its key
  int group, rank;  ///< of each group (0 architecture, 1 mapspace) Timeloop reads the lowest rank
};

/// The constraint sections among root `sections`, in order. Of the architecture constraints
/// Timeloop reads only the first of `architecture: constraints`, `arch_constraints`,
/// `architecture_constraints`, of the mapspace ones the first of `mapspace`,
/// `mapspace_constraints`; the others are warned about. The v0.4 `constraints` is always read.
std::vector<Source> find_sources(const std::vector<YamlEntry>& sections, DiagnosticSink& sink);

/// The constraint list of a section, found as Timeloop's Constraints::Parse finds it: the
/// section itself when it is a list, else its `constraints` (a list, or the name of a list
/// `constraints_<name>` beside it), else its `targets`. Null when there is none.
const YamlNode* constraint_list(const std::string& section, const YamlNode& v,
                                DiagnosticSink& sink);

/// One term of a `factors` string: DIM=N (exact), DIM<=N (at most) or DIM>=N (at least).
struct FactorTerm {
  int dim = -1;            ///< the dimension's index in the Einsum
  char op = '=';           ///< '=', '<' (at most) or '>' (at least)
  std::int64_t value = 0;  ///< N as written (0 means the whole bound for '=')
};

/// Parses "C=3 M<=4 P>=2" (also "C3", commas between terms, a '#' comment), as Timeloop's
/// regular expressions do; reports a malformed term or an unknown dimension at `node`.
std::vector<FactorTerm> parse_terms(const std::string& full, const YamlNode& node,
                                    const std::string& label, const workload::Einsum& e,
                                    DiagnosticSink& errors);

/// A permutation as written: the dimensions before '_' innermost first, those after it last.
struct Permutation {
  std::vector<int> prefix, suffix;
  bool operator==(const Permutation&) const = default;
};

/// A permutation: a string of one-letter dimensions (spaces and commas skipped) or a list of
/// dimension names, innermost first; '_' starts the outermost part. Reports unknown or repeated
/// dimensions.
std::optional<Permutation> parse_permutation(const YamlNode& node, const std::string& label,
                                             const workload::Einsum& e, DiagnosticSink& errors);

/// The temporal loops that must be innermost: the inner part of the permutation; the whole
/// order when the outer part leaves at most one dimension unplaced. `partial` tells that an
/// outer part had to be dropped.
mapper::Order innermost_of(const Permutation& p, int dims, bool& partial);

/// The axes a spatial level's permutation and split allow each dimension (bit d of `x`, `y`).
/// Timeloop puts the first `split` loops of the level's permutation along X and the rest along
/// Y, counting every dimension: the inner part of the permutation first, the outer part (after
/// '_') last, the others in any order between them; without a permutation, a fanout along one
/// axis takes the dimensions in problem order.
void spatial_axes(const Permutation& p, std::int64_t split, int dims, bool two_d, std::uint32_t& x,
                  std::uint32_t& y);

}  // namespace outpace::io::timeloop
