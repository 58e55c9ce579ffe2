#include "store/stored_mapping.hpp"

#include <charconv>
#include <cstdint>
#include <sstream>
#include <vector>

namespace outpace::store {

// Format: per level "keep|t dim factor ...|s dim factor axis ..." joined by ';'.
std::string encode_mapping(const mapping::Mapping& m) {
  std::string out;
  for (const mapping::LevelMapping& l : m.levels) {
    if (!out.empty()) out += ';';
    out += std::to_string(l.keep) + "|t";
    for (const mapping::TemporalLoop& loop : l.temporal)
      out += ' ' + std::to_string(loop.dim) + ' ' + std::to_string(loop.factor);
    out += "|s";
    for (const mapping::SpatialLoop& loop : l.spatial)
      out += ' ' + std::to_string(loop.dim) + ' ' + std::to_string(loop.factor) + ' ' +
             (loop.axis == mapping::Axis::X ? 'X' : 'Y');
  }
  return out;
}

namespace {

/// The parts of `text` between `sep`s (an empty text is one empty part).
std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(sep, start)) != std::string::npos; start = at + 1)
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

/// The whitespace-separated numbers of `text` after its one-letter tag, when they are all
/// integers and come in groups of `group` (the spatial axis is read as a letter separately).
std::optional<std::vector<std::string>> words(const std::string& text, char tag,
                                              std::size_t group) {
  if (text.empty() || text[0] != tag) return std::nullopt;
  std::istringstream in(text.substr(1));
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  if (out.size() % group != 0) return std::nullopt;
  return out;
}

/// `w` as a whole integer, or nothing.
std::optional<std::int64_t> integer(const std::string& w) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
  if (ec != std::errc() || end != w.data() + w.size()) return std::nullopt;
  return v;
}

/// One level of encode_mapping's text, or nothing.
std::optional<mapping::LevelMapping> decode_level(const std::string& text) {
  const std::vector<std::string> parts = split(text, '|');
  if (parts.size() != 3) return std::nullopt;
  const auto keep = integer(parts[0]);
  const auto temporal = words(parts[1], 't', 2), spatial = words(parts[2], 's', 3);
  if (!keep || *keep < 0 || *keep > UINT32_MAX || !temporal || !spatial) return std::nullopt;
  mapping::LevelMapping l;
  l.keep = static_cast<std::uint32_t>(*keep);
  if (temporal->size() / 2 > l.temporal.capacity() || spatial->size() / 3 > l.spatial.capacity())
    return std::nullopt;
  for (std::size_t i = 0; i < temporal->size(); i += 2) {
    const auto dim = integer((*temporal)[i]), factor = integer((*temporal)[i + 1]);
    if (!dim || !factor || *dim < 0 || *dim >= static_cast<std::int64_t>(kMaxDims))
      return std::nullopt;
    l.temporal.push_back({static_cast<int>(*dim), *factor});
  }
  for (std::size_t i = 0; i < spatial->size(); i += 3) {
    const auto dim = integer((*spatial)[i]), factor = integer((*spatial)[i + 1]);
    const std::string& axis = (*spatial)[i + 2];
    if (!dim || !factor || *dim < 0 || *dim >= static_cast<std::int64_t>(kMaxDims) ||
        (axis != "X" && axis != "Y"))
      return std::nullopt;
    l.spatial.push_back(
        {static_cast<int>(*dim), *factor, axis == "X" ? mapping::Axis::X : mapping::Axis::Y});
  }
  return l;
}

}  // namespace

std::optional<mapping::Mapping> decode_mapping(const std::string& text) {
  mapping::Mapping m;
  for (const std::string& part : split(text, ';')) {
    const std::optional<mapping::LevelMapping> level = decode_level(part);
    if (!level || m.levels.size() == m.levels.capacity()) return std::nullopt;
    m.levels.push_back(*level);
  }
  return m;
}

}  // namespace outpace::store
