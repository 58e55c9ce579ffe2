#include "io/spec/problem_spec.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "common/internal_error.hpp"
#include "common/limits.hpp"
#include "common/text_file.hpp"
#include "io/yaml/object_reader.hpp"
#include "workload/builders.hpp"

namespace outpace::io {

namespace {

using workload::Einsum;

constexpr const char* kBuilders[] = {"conv2d", "grouped_conv2d", "depthwise_conv2d", "gemm",
                                     "batched_matmul"};
const std::initializer_list<const char*> kProblemKeys = {
    "name", "conv2d", "grouped_conv2d", "depthwise_conv2d", "gemm", "batched_matmul",
    "dimensions", "tensors"};
const std::initializer_list<const char*> kConvKeys = {
    "N", "K", "C", "P", "Q", "R", "S", "stride", "stride_h", "stride_w",
    "dilation", "dilation_h", "dilation_w"};
const std::initializer_list<const char*> kGroupedKeys = {
    "G", "N", "K", "C", "P", "Q", "R", "S", "stride", "stride_h", "stride_w",
    "dilation", "dilation_h", "dilation_w"};
const std::initializer_list<const char*> kDepthwiseKeys = {
    "N", "C", "P", "Q", "R", "S", "stride", "stride_h", "stride_w",
    "dilation", "dilation_h", "dilation_w"};

/// Where the named objects of a problem were written, to locate workload::check's messages.
struct Places {
  SourceLocation problem;
  std::map<std::string, SourceLocation> tensors, dims;
};

/// Reads a stride or dilation pair: `both` sets h and w, `h`/`w` set one; not both ways.
void read_pair(const ObjectReader& r, const char* both, const char* h, const char* w,
               std::int64_t& out_h, std::int64_t& out_w) {
  const auto b = r.integer(both, 1, workload::kMaxCoefficient);
  const auto vh = r.integer(h, 1, workload::kMaxCoefficient),
             vw = r.integer(w, 1, workload::kMaxCoefficient);
  if (r.get(both) && (r.get(h) || r.get(w)))
    r.sink().error(r.get(both)->where, r.what() + ": give '" + both + "' or '" + h + "'/'" + w +
                                           "', not both");
  out_h = vh.value_or(b.value_or(1));
  out_w = vw.value_or(b.value_or(1));
}

Einsum read_conv(const ObjectReader& problem, const std::string& kind, const std::string& name) {
  const std::initializer_list<const char*> keys =
      kind == "grouped_conv2d" ? kGroupedKeys : kind == "depthwise_conv2d" ? kDepthwiseKeys : kConvKeys;
  ObjectReader r(*problem.get(kind), problem.what() + ": " + kind, keys, problem.sink());
  workload::ConvShape s;
  const std::pair<const char*, std::int64_t*> dims[] = {
      {"N", &s.n}, {"K", &s.k}, {"C", &s.c}, {"P", &s.p}, {"Q", &s.q},
      {"R", &s.r}, {"S", &s.s}, {"G", &s.groups}};
  for (const auto& [key, field] : dims) *field = r.integer(key, 1, kMaxSpecCount).value_or(1);
  read_pair(r, "stride", "stride_h", "stride_w", s.stride_h, s.stride_w);
  read_pair(r, "dilation", "dilation_h", "dilation_w", s.dilation_h, s.dilation_w);
  if (kind == "grouped_conv2d") return workload::grouped_conv2d(name, s);
  if (kind == "depthwise_conv2d") return workload::depthwise_conv2d(name, s);
  return workload::conv2d(name, s);
}

Einsum read_builder(const ObjectReader& problem, const std::string& kind, const std::string& name) {
  if (kind != "gemm" && kind != "batched_matmul") return read_conv(problem, kind, name);
  const bool batched = kind == "batched_matmul";
  ObjectReader r(*problem.get(kind), problem.what() + ": " + kind,
                 batched ? std::initializer_list<const char*>{"B", "M", "N", "K"}
                         : std::initializer_list<const char*>{"M", "N", "K"},
                 problem.sink());
  auto dim = [&](const char* key) { return r.integer(key, 1, kMaxSpecCount).value_or(1); };
  if (batched) return workload::batched_matmul(name, dim("B"), dim("M"), dim("N"), dim("K"));
  return workload::gemm(name, dim("M"), dim("N"), dim("K"));
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

void read_dimensions(const ObjectReader& problem, Einsum& e, Places& places) {
  const YamlNode* dims = problem.require("dimensions");
  if (!dims) return;
  DiagnosticSink& sink = problem.sink();
  const std::string label = problem.what() + ": dimensions";
  if (dims->kind == YamlKind::kMapping && dims->entries.empty()) {
    sink.error(dims->where, label +
                                " is empty; give at least one dimension name and its bound, "
                                "e.g. {M: 64, N: 32, K: 16}");
    return;
  }
  if (dims->kind != YamlKind::kMapping) {
    sink.error(dims->where, label + " must be a mapping of dimension names to bounds, e.g. "
                                    "{M: 64, N: 32, K: 16}; got " + dims->describe());
    return;
  }
  if (dims->entries.size() > kMaxDims)
    sink.error(dims->where, label + ": " + std::to_string(dims->entries.size()) +
                                " dimensions, at most " + std::to_string(kMaxDims) + " are supported");
  for (const YamlEntry& d : dims->entries) {
    if (!is_identifier(d.key))
      sink.error(d.where, label + ": name '" + d.key +
                              "' must be a letter or '_' followed by letters, digits or '_'");
    const auto bound = read_int(d.value, problem.what() + ": dimension '" + d.key + "' bound", 1,
                                kMaxSpecCount, sink);
    e.dim_names.push_back(d.key);
    e.bounds.push_back(bound.value_or(1));
    places.dims.emplace(d.key, d.where);
  }
}

/// Reads a run of letters, digits and '_' at `i`, skipping spaces around it.
std::string affine_token(const std::string& text, std::size_t& i) {
  auto skip = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skip();
  const std::size_t start = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  std::string t = text.substr(start, i - start);
  skip();
  return t;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// Parses "2*P + R" into terms; returns an error message (without the label) on failure.
std::string parse_affine(const std::string& text, const Einsum& e, workload::TensorDim& out) {
  const std::string malformed =
      "is not an affine index; write a sum of terms like P, 2*P or P*2 joined by '+'";
  std::size_t i = 0;
  while (true) {
    std::string a = affine_token(text, i), b;
    const bool product = i < text.size() && text[i] == '*';
    if (product) b = affine_token(text, ++i);
    if (i < text.size() && text[i] != '+') return malformed;
    std::string dim = a, coef;
    if (product) {
      if (all_digits(a)) std::swap(dim, b);
      coef = b;
      if (!all_digits(coef)) return malformed;
    }
    if (!is_identifier(dim)) return malformed;
    const int d = e.dim_index(dim);
    if (d < 0) return "uses unknown dimension '" + dim + "'; dimensions are " + join_names(e.dim_names);
    std::int64_t c = 1;
    if (!coef.empty()) {
      c = coef.size() > 7 ? workload::kMaxCoefficient + 1 : std::stoll(coef);
      if (c < 1 || c > workload::kMaxCoefficient)
        return "has coefficient " + coef + " for '" + dim + "'; it must be between 1 and " +
               std::to_string(workload::kMaxCoefficient);
    }
    if (out.terms.size() == kMaxTerms)
      return "has more than " + std::to_string(kMaxTerms) + " terms, the most supported";
    out.terms.push_back({d, c});
    if (i == text.size()) return {};
    ++i;  // '+'
  }
}

/// Reads one entry of `tensors:`; `output_seen` names the output found so far, if any.
void read_tensor(const YamlNode& node, std::size_t index, const ObjectReader& problem, Einsum& e,
                 Places& places, std::string& output_seen) {
  DiagnosticSink& sink = problem.sink();
  ObjectReader r(node, "tensor #" + std::to_string(index + 1), {"name", "index", "output"}, sink,
                 "tensor");
  if (!r.ok()) return;
  workload::Tensor t;
  t.name = r.string("name", true).value_or("#" + std::to_string(index + 1));
  if (r.get("name")) {
    if (places.tensors.count(t.name))
      sink.error(r.get("name")->where, r.what() + " is defined twice (first at line " +
                                           std::to_string(places.tensors[t.name].line) + ")");
    places.tensors.emplace(t.name, node.where);
  }
  if (const YamlNode* index_node = r.require("index")) {
    const auto items = read_list(*index_node, r.label("index"), sink);
    if (items && items->size() > kMaxTensorDims)
      sink.error(index_node->where, r.label("index") + " has " + std::to_string(items->size()) +
                                        " dimensions, at most " + std::to_string(kMaxTensorDims) +
                                        " are supported");
    for (std::size_t k = 0; items && k < items->size() && k < kMaxTensorDims; ++k) {
      const auto text = read_string(*(*items)[k], r.label("index") + " item", sink);
      workload::TensorDim td;
      if (!text) continue;
      const std::string err = parse_affine(*text, e, td);
      if (!err.empty()) sink.error((*items)[k]->where, r.what() + ": index '" + *text + "' " + err);
      t.dims.push_back(td);
    }
  }
  t.is_output = r.boolean("output").value_or(false);
  if (t.is_output && !output_seen.empty())
    sink.error(r.get("output")->where, r.what() + ": a second output; tensor '" + output_seen +
                                           "' is already the output and an Einsum has exactly one");
  if (t.is_output && output_seen.empty()) output_seen = t.name;
  e.tensors.push_back(std::move(t));
}

void read_tensors(const ObjectReader& problem, Einsum& e, Places& places) {
  const YamlNode* tensors = problem.require("tensors");
  if (!tensors) return;
  DiagnosticSink& sink = problem.sink();
  if (tensors->kind != YamlKind::kSequence || tensors->items.empty()) {
    sink.error(tensors->where, problem.label("tensors") +
                                   " must be a list of {name, index, output} entries, got " +
                                   tensors->describe());
    return;
  }
  if (tensors->items.size() > kMaxTensors)
    sink.error(tensors->where, problem.label("tensors") + ": " +
                                   std::to_string(tensors->items.size()) + " tensors, at most " +
                                   std::to_string(kMaxTensors) + " are supported");
  std::string output;
  for (std::size_t i = 0; i < tensors->items.size(); ++i)
    read_tensor(tensors->items[i], i, problem, e, places, output);
  if (output.empty())
    sink.error(tensors->where, problem.label("tensors") +
                                   ": no tensor has 'output: true'; exactly one must");
}

/// Where `name` was written, or `fallback` when it was not.
SourceLocation place_of(const std::map<std::string, SourceLocation>& places,
                        const std::string& name, const SourceLocation& fallback) {
  const auto it = places.find(name);
  return it == places.end() ? fallback : it->second;
}

/// Runs workload::check and places each violation at the dimension or tensor it is about.
void check_einsum(const Einsum& e, const std::string& what, const Places& places,
                  DiagnosticSink& sink) {
  for (const workload::Violation& v : workload::check(e)) {
    SourceLocation where = places.problem;
    if (v.subject() == workload::Subject::kTensor)
      where = place_of(places.tensors, e.tensors[v.index].name, where);
    if (v.subject() == workload::Subject::kDimension)
      where = place_of(places.dims, e.dim_names[v.index], where);
    sink.error(where, v.subject() == workload::Subject::kEinsum ? what + ": " + rule_text(v, e)
                                                                : describe(v, e));
  }
}

}  // namespace

std::optional<Einsum> read_problem(const YamlNode& node, const std::string& file,
                                   DiagnosticSink& sink) {
  const std::size_t errors_before = sink.error_count();
  std::string stem = std::filesystem::path(file).stem().string();
  if (stem.empty()) stem = "problem";
  ObjectReader r(node, "problem '" + stem + "'", kProblemKeys, sink, "problem");
  if (!r.ok()) return std::nullopt;
  const std::string name = r.string("name").value_or(stem);
  const std::vector<std::string> builders =
      r.present({kBuilders[0], kBuilders[1], kBuilders[2], kBuilders[3], kBuilders[4]});
  const bool general = r.get("dimensions") || r.get("tensors");
  if (builders.size() + (general ? 1 : 0) != 1) {
    std::vector<std::string> given = builders;
    if (general) given.emplace_back("'dimensions' with 'tensors'");
    sink.error(node.where, r.what() + ": give exactly one of " +
                               join_names({std::begin(kBuilders), std::end(kBuilders)}) +
                               " or 'dimensions' with 'tensors'" +
                               (given.empty() ? "" : "; this gives " + join_names(given)));
    return std::nullopt;
  }
  Einsum e;
  Places places{node.where, {}, {}};
  if (!builders.empty()) {
    e = read_builder(r, builders[0], name);
  } else {
    e.name = name;
    read_dimensions(r, e, places);
    if (!e.dim_names.empty()) read_tensors(r, e, places);
  }
  if (sink.error_count() != errors_before) return std::nullopt;
  check_einsum(e, r.what(), places, sink);
  if (sink.error_count() != errors_before) return std::nullopt;
  return e;
}

Einsum parse_problem(std::string_view text, const std::string& file) {
  DiagnosticSink sink;
  const std::optional<YamlNode> root = parse_yaml(text, file, sink);
  std::optional<Einsum> e;
  if (const YamlNode* node = spec_section(root, file, "problem", sink)) e = read_problem(*node, file, sink);
  throw_sorted(sink);
  OUTPACE_ASSERT(e.has_value()) << "a problem spec failed without a diagnostic";
  return std::move(*e);
}

Einsum load_problem(const std::string& path) { return parse_problem(read_text_file(path), path); }

}  // namespace outpace::io
