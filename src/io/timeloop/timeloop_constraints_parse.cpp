// The parsing half of the Timeloop constraint reader: sections, constraint lists, factor and
// permutation strings (timeloop_constraints_parse.hpp).
#include "io/timeloop/detail/timeloop_constraints_parse.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::vector<Source> find_sources(const std::vector<YamlEntry>& sections, DiagnosticSink& sink) {
  static const std::map<std::string, std::pair<int, int>> kRanks = {
      {"architecture", {0, 0}},     {"arch", {0, 0}},
      {"arch_constraints", {0, 1}}, {"architecture_constraints", {0, 2}},
      {"mapspace", {1, 0}},         {"mapspace_constraints", {1, 1}},
      {"constraints", {2, 0}}};
  std::vector<Source> all, out;
  std::map<std::string, SourceLocation> first;
  for (const YamlEntry& e : sections) {
    const auto rank = kRanks.find(e.key);
    if (rank == kRanks.end()) continue;
    const bool arch = rank->second == std::pair{0, 0};
    const auto [it, fresh] = first.emplace(arch ? "architecture" : e.key, e.where);
    if (!fresh)
      sink.error(e.where,
                 "section '" + e.key + "' is given twice (first at " + it->second.str() + ")");
    else if (!arch)
      all.push_back({e.key, &e.value, e.where, rank->second.first, rank->second.second});
    for (const YamlEntry& c : e.value.entries)
      if (arch && fresh && c.key == "constraints")
        all.push_back({e.key + ": constraints", &c.value, c.where, 0, 0});
  }
  for (const Source& src : all) {
    const Source* best = &src;
    for (const Source& o : all)
      if (o.group == src.group && o.rank < best->rank) best = &o;
    if (best == &src)
      out.push_back(src);
    else
      sink.warning(src.where, "section '" + src.name + "' is ignored: Timeloop reads only '" +
                                  best->name + "' (at " + best->where.str() +
                                  ") when both are given");
  }
  return out;
}

const YamlNode* constraint_list(const std::string& section, const YamlNode& v,
                                DiagnosticSink& sink) {
  if (v.kind != YamlKind::kMapping) {
    if (v.kind != YamlKind::kSequence && !v.is_null())
      sink.error(v.where, section +
                              " must be a list of constraints or a mapping with "
                              "'targets', got " +
                              v.describe());
    return v.kind == YamlKind::kSequence ? &v : nullptr;
  }
  const YamlNode* c = v.find("constraints");
  const bool by_name = c && c->kind == YamlKind::kScalar && !c->is_null();
  const std::string named = by_name ? "constraints_" + c->text : "";
  const std::string read = !named.empty() ? named : c ? "constraints" : "targets";
  const YamlNode* list = v.find(read);
  if (!named.empty() && !list)
    sink.error(c->where, section + ": constraints: no list '" + named + "' beside it");
  for (const YamlEntry& e : v.entries) {
    const bool other_list = e.key == "targets" || e.key.rfind("constraints_", 0) == 0;
    if (e.key == read || e.key == "version" || e.key == "constraints" ||
        (e.key == "template" && e.value.text == "uber"))
      continue;
    sink.warning(e.where, section + ": " +
                              (other_list ? "'" + e.key +
                                                "' is not read ("
                                                "Timeloop reads '" +
                                                read + "')"
                               : e.key == "template" ? "key 'template' is not modelled by Outpace"
                                                     : "unknown key '" + e.key + "'") +
                              "; ignored");
  }
  if (!list || list->kind == YamlKind::kSequence) return list;
  if (!list->is_null())
    sink.error(list->where, section + ": " + read + " must be a list, got " + list->describe());
  return nullptr;
}

std::vector<FactorTerm> parse_terms(const std::string& full, const YamlNode& node,
                                    const std::string& label, const workload::Einsum& e,
                                    DiagnosticSink& errors) {
  const std::string text = full.substr(0, full.find('#'));
  std::vector<FactorTerm> out;
  std::size_t i = 0;
  auto skip = [&](bool commas) {
    while (i < text.size() && (is_space(text[i]) || (commas && text[i] == ','))) ++i;
  };
  while (skip(true), i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string dim = text.substr(start, i - start);
    skip(false);
    FactorTerm t;
    if (text.compare(i, 2, "<=") == 0 || text.compare(i, 2, ">=") == 0) {
      t.op = text[i];
      i += 2;
    }
    while (t.op == '=' && i < text.size() && text[i] == '=') ++i;
    skip(false);
    const std::size_t digits = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t residual = i == digits ? std::string::npos : residual_end(text, i);
    if (dim.empty() || i == digits || i - digits > 9 || residual != std::string::npos) {
      const std::size_t end = residual != std::string::npos
                                  ? residual
                                  : text.find_first_of(" \t,", std::max(i, start + 1));
      const std::string shown = text.substr(start, end - start);
      errors.error(node.where, label + ": " +
                                   (residual != std::string::npos
                                        ? "residual factor '" + shown +
                                              "' is not supported (Timeloop would drop its '" +
                                              text.substr(i, end - i) + "' without a word)"
                                        : "factor '" + shown + "' is malformed") +
                                   "; write DIM=N, DIM<=N or DIM>=N with N an integer, e.g. C=3");
      return out;
    }
    t.dim = e.dim_index(dim);
    t.value = std::stoll(text.substr(digits, i - digits));
    if (t.dim < 0)
      errors.error(node.where, label + ": unknown dimension '" + dim + "' in '" +
                                   text.substr(start, i - start) + "'; dimensions are " +
                                   join_names(e.dim_names));
    else
      out.push_back(t);
  }
  return out;
}

std::optional<Permutation> parse_permutation(const YamlNode& node, const std::string& label,
                                             const workload::Einsum& e, DiagnosticSink& errors) {
  std::vector<std::string> names;
  std::string shown;
  if (node.kind == YamlKind::kSequence) {
    const auto items = read_string_list(node, label, errors);
    if (!items) return std::nullopt;
    for (const auto& item : *items) names.push_back(item.first), shown += item.first;
  } else {
    const auto text = read_string(node, label, errors);
    if (!text) return std::nullopt;
    shown = text->substr(0, text->find('#'));
    for (char c : shown)
      if (!is_space(c) && c != ',') names.emplace_back(1, c);
  }
  Permutation p;
  std::vector<bool> seen(e.dim_names.size(), false);
  bool outer = false;
  for (const std::string& name : names) {
    if (name == "_") {
      outer = true;
      continue;
    }
    const int d = e.dim_index(name);
    if (d < 0 || seen[d]) {
      errors.error(node.where, label + ": " + (d < 0 ? "unknown dimension '" : "dimension '") +
                                   name + (d < 0 ? "' in '" : "' appears twice in '") + shown +
                                   (d < 0 ? "'; dimensions are " + join_names(e.dim_names) : "'"));
      return std::nullopt;
    }
    seen[d] = true;
    (outer ? p.suffix : p.prefix).push_back(d);
  }
  return p;
}

mapper::Order innermost_of(const Permutation& p, int dims, bool& partial) {
  std::vector<int> order = p.prefix;
  const int placed = static_cast<int>(p.prefix.size() + p.suffix.size());
  partial = !p.suffix.empty() && placed + 1 < dims;
  if (!p.suffix.empty() && !partial) {
    auto placed_already = [&](const std::vector<int>& part, int d) {
      return std::find(part.begin(), part.end(), d) != part.end();
    };
    for (int d = 0; d < dims; ++d)
      if (!placed_already(order, d) && !placed_already(p.suffix, d)) order.push_back(d);
    order.insert(order.end(), p.suffix.begin(), p.suffix.end());
  }
  mapper::Order out;
  for (int d : order) out.push_back(static_cast<std::int8_t>(d));
  return out;
}

void spatial_axes(const Permutation& p, std::int64_t split, int dims, bool two_d, std::uint32_t& x,
                  std::uint32_t& y) {
  std::vector<std::int64_t> pos(dims, -1);  // -1: anywhere between the two parts
  const auto inner = static_cast<std::int64_t>(p.prefix.size());
  const std::int64_t outer = dims - static_cast<std::int64_t>(p.suffix.size());
  const bool canonical = p.prefix.empty() && p.suffix.empty() && !two_d;
  for (int d = 0; d < dims && canonical; ++d) pos[d] = d;
  for (std::size_t i = 0; i < p.prefix.size(); ++i) pos[p.prefix[i]] = static_cast<std::int64_t>(i);
  for (std::size_t i = 0; i < p.suffix.size(); ++i)
    pos[p.suffix[i]] = outer + static_cast<std::int64_t>(i);
  x = y = 0;
  for (int d = 0; d < dims; ++d) {
    x |= (pos[d] >= 0 ? pos[d] < split : split > inner) ? 1u << d : 0;
    y |= (pos[d] >= 0 ? pos[d] >= split : split < outer) ? 1u << d : 0;
  }
}

}  // namespace outpace::io::timeloop
