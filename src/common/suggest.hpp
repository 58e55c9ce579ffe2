#pragma once
// "Did you mean" for a mistyped name: the closest of the names that exist.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace outpace {

/// Edits (insert, delete or replace a character, or swap two neighbours) that turn `a` into `b`,
/// ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The name in `names` closest to `word`, when it is close enough to be what was meant: at most
/// one edit per three characters of `word` (at least one), and fewer edits than `word` has
/// characters. The first of equally close names; empty when none is close or `word` is a name.
std::string closest_name(std::string_view word, const std::vector<std::string>& names);

/// "did you mean 'eyeriss'?" for the closest name, or empty when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names);

}  // namespace outpace
