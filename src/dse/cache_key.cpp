#include "dse/cache_key.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <vector>

namespace outpace::dse {

namespace {

/// Appends space-separated tokens; doubles in hexadecimal, so equal keys mean equal values.
class KeyText {
 public:
  KeyText& tag(const char* t) { return token(t); }
  KeyText& num(std::int64_t n) { return token(std::to_string(n)); }
  KeyText& real(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%a", x);
    return token(buf);
  }
  KeyText& text(const std::string& s) { return token(std::to_string(s.size()) + ":" + s); }
  const std::string& str() const { return out_; }

 private:
  KeyText& token(const std::string& t) {
    if (!out_.empty()) out_ += ' ';
    out_ += t;
    return *this;
  }
  std::string out_;
};

void write_einsum(KeyText& k, const workload::Einsum& e) {
  k.tag("einsum").num(e.num_dims());
  for (std::int64_t b : e.bounds) k.num(b);
  k.num(e.num_tensors());
  for (const workload::Tensor& t : e.tensors) {
    k.tag(t.is_output ? "out" : "in").num(static_cast<std::int64_t>(t.dims.size()));
    for (const workload::TensorDim& d : t.dims) {
      k.num(static_cast<std::int64_t>(d.terms.size()));
      for (const workload::Term& term : d.terms) k.num(term.dim).num(term.coef);
    }
  }
}

void write_arch(KeyText& k, const arch::Arch& a) {
  k.tag("arch").num(a.num_levels());
  for (const arch::StorageLevel& l : a.levels) {
    k.tag("level").num(l.capacity_words.value_or(-1)).num(l.word_bits).num(l.block_size);
    k.real(l.read_bandwidth).real(l.write_bandwidth).real(l.update_bandwidth.value_or(-1));
    k.num(l.instances).num(l.mesh_x);
    k.real(l.energy.read_pj)
        .real(l.energy.write_pj)
        .real(l.energy.update_pj)
        .real(l.energy.leak_pj_per_cycle);
    k.real(l.area_um2);
  }
  const arch::ComputeUnit& c = a.compute;
  k.tag("compute")
      .num(c.instances)
      .num(c.mesh_x)
      .num(c.operand_bits)
      .real(c.mac_energy_pj)
      .real(c.area_um2);
}

void write_factors(KeyText& k, const std::vector<std::int64_t>& v) {
  k.num(static_cast<std::int64_t>(v.size()));
  for (std::int64_t f : v) k.num(f);
}

void write_constraints(KeyText& k, const mapper::Constraints& c) {
  k.tag("constraints").num(static_cast<std::int64_t>(c.levels.size())).real(c.min_utilization);
  for (const mapper::LevelConstraints& l : c.levels) {
    k.tag("level").num(l.keep).num(l.bypass);
    write_factors(k, l.temporal_fixed);
    write_factors(k, l.temporal_max);
    write_factors(k, l.spatial_fixed);
    k.num(l.spatial_x).num(l.spatial_y).num(static_cast<std::int64_t>(l.innermost.size()));
    for (std::int8_t d : l.innermost) k.num(d);
  }
}

void write_options(KeyText& k, const mapper::MapperOptions& o) {
  k.tag("objective").real(o.objective.energy_exp).real(o.objective.delay_exp);
  k.num(static_cast<std::int64_t>(o.objective.lexicographic));
  k.tag("strategy").text(o.strategy).tag("seed").num(static_cast<std::int64_t>(o.seed));
  const model::Options& m = o.model;
  k.tag("counting").num(m.whole_vector_accesses).num(m.multicast_identical_only);
  k.num(m.reset_on_stride_change).num(m.extrapolate_temporal);
}

}  // namespace

std::string search_key(const workload::Einsum& einsum, const arch::Arch& arch,
                       const mapper::Constraints& constraints, const mapper::MapperOptions& options,
                       int mapper_version) {
  KeyText k;
  k.tag("mapper").num(mapper_version);
  write_einsum(k, einsum);
  write_arch(k, arch);
  write_constraints(k, constraints);
  write_options(k, options);
  return k.str();
}

std::string budget_key(int threads, const mapper::MapperOptions& options) {
  KeyText k;
  k.tag("threads").num(threads).tag("time").real(options.time_limit_s);
  k.tag("evaluations").num(static_cast<std::int64_t>(options.max_evaluations));
  return k.str();
}

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

}  // namespace outpace::dse
