// Timeloop's problem: `shape` (dimensions, coefficients, data-spaces with projections) and
// `instance` (bounds and coefficient values), read into a workload::Einsum.
#include <algorithm>
#include <cctype>
#include <map>

#include "common/limits.hpp"
#include "io/spec/problem_spec.hpp"
#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

using workload::Einsum;

/// One projection term before the instance gives the coefficient's value.
struct TermSpec {
  int dim = 0;
  std::string coefficient;  ///< empty: 1; otherwise a coefficient name
  std::int64_t literal = 1; ///< a number written in place of a coefficient name
};

struct TensorSpec {
  std::string name;
  std::vector<std::vector<TermSpec>> dims;
  bool output = false;
  SourceLocation where;
};

/// The shape: dimension names, coefficients with defaults, data spaces.
struct ShapeSpec {
  std::string name = "problem";
  std::vector<std::string> dims;
  std::vector<std::string> coefficients;
  std::map<std::string, std::int64_t> defaults;
  std::vector<TensorSpec> tensors;
  SourceLocation where;
};

void read_dimensions(const ObjectReader& shape, ShapeSpec& s) {
  const YamlNode* dims = shape.require("dimensions");
  if (!dims) return;
  DiagnosticSink& errors = shape.sink();
  const auto names = read_string_list(*dims, shape.label("dimensions"), errors);
  if (!names) return;
  if (names->size() > kMaxDims)
    errors.error(dims->where, shape.label("dimensions") + ": " + std::to_string(names->size()) +
                                  " dimensions, at most " + std::to_string(kMaxDims) +
                                  " are supported");
  for (const auto& [name, node] : *names) {
    if (name.size() != 1 || !std::isalpha(static_cast<unsigned char>(name[0])))
      errors.error(node->where, shape.label("dimensions") + ": '" + name +
                                    "' must be a single letter (Timeloop reads permutations "
                                    "letter by letter)");
    else if (std::count(s.dims.begin(), s.dims.end(), name))
      errors.error(node->where, shape.label("dimensions") + ": '" + name + "' is given twice");
    else if (s.dims.size() < kMaxDims)
      s.dims.push_back(name);
  }
}

void read_coefficients(const ObjectReader& shape, ShapeSpec& s) {
  const YamlNode* list = shape.get("coefficients");
  if (!list) return;
  const auto items = read_list(*list, shape.label("coefficients"), shape.sink());
  for (std::size_t i = 0; items && i < items->size(); ++i) {
    ObjectReader c = timeloop_object(*(*items)[i], "coefficient #" + std::to_string(i + 1),
                                     {"name", "default"}, {}, shape.sink(), "coefficient");
    if (!c.ok()) continue;
    const auto name = c.string("name", true);
    const auto value = c.integer("default", 1, workload::kMaxCoefficient, true);
    if (!name) continue;
    s.coefficients.push_back(*name);
    s.defaults[*name] = value.value_or(1);
  }
}

/// One term `[D]` or `[D, coefficient]` of a projection (a lone `D` also works).
std::optional<TermSpec> read_term(const YamlNode& node, const std::string& label,
                                  const ShapeSpec& s, DiagnosticSink& errors) {
  const auto parts = read_string_list(node, label, errors);
  if (!parts) return std::nullopt;
  if (parts->empty() || parts->size() > 2) {
    errors.error(node.where, label + ": a term must be [DIM] or [DIM, COEFFICIENT], got " +
                                 std::to_string(parts->size()) + " items");
    return std::nullopt;
  }
  const auto& [dim, dim_node] = (*parts)[0];
  const auto d = std::find(s.dims.begin(), s.dims.end(), dim);
  if (d == s.dims.end()) {
    errors.error(dim_node->where, label + ": unknown dimension '" + dim + "'; dimensions are " +
                                      join_names(s.dims));
    return std::nullopt;
  }
  TermSpec term{static_cast<int>(d - s.dims.begin()), "", 1};
  if (parts->size() == 1) return term;
  const auto& [coef, coef_node] = (*parts)[1];
  if (s.defaults.count(coef)) {
    term.coefficient = coef;
    return term;
  }
  DiagnosticSink scratch;
  if (const auto n = read_int(*coef_node, label, 1, workload::kMaxCoefficient, scratch)) {
    term.literal = *n;
    return term;
  }
  errors.error(coef_node->where, label + ": unknown coefficient '" + coef +
                                     "'; coefficients are " + join_names(s.coefficients));
  return std::nullopt;
}

/// `projection:` as a list of tensor dimensions, each a list of terms ([[[C]], [[R], [P, Wstride]]]),
/// or as a flat list of dimension names ([C, M, R, S]).
void read_projection(const ObjectReader& ds, const ShapeSpec& s, TensorSpec& t) {
  const YamlNode* proj = ds.require("projection");
  if (!proj) return;
  DiagnosticSink& errors = ds.sink();
  const auto dims = read_list(*proj, ds.label("projection"), errors);
  if (!dims) return;
  if (dims->size() > kMaxTensorDims) {
    errors.error(proj->where, ds.label("projection") + ": " + std::to_string(dims->size()) +
                                  " dimensions, at most " + std::to_string(kMaxTensorDims) +
                                  " are supported");
    return;
  }
  for (std::size_t k = 0; k < dims->size(); ++k) {
    const YamlNode& dim = *(*dims)[k];
    const std::string label = ds.label("projection") + " #" + std::to_string(k + 1);
    std::vector<const YamlNode*> terms{&dim};
    if (dim.kind == YamlKind::kSequence && !dim.items.empty() &&
        dim.items[0].kind == YamlKind::kSequence)
      terms = *read_list(dim, label, errors);  // a list of terms, not a single term
    if (terms.size() > kMaxTerms)
      errors.error(dim.where, label + " has " + std::to_string(terms.size()) +
                                  " terms, at most " + std::to_string(kMaxTerms) + " are supported");
    std::vector<TermSpec> out;
    for (std::size_t i = 0; i < terms.size() && i < kMaxTerms; ++i)
      if (auto term = read_term(*terms[i], label, s, errors)) out.push_back(*term);
    t.dims.push_back(out);
  }
}

void read_data_spaces(const ObjectReader& shape, ShapeSpec& s) {
  const YamlNode* list = shape.require("data-spaces");
  if (!list) return;
  DiagnosticSink& errors = shape.sink();
  const auto items = read_list(*list, shape.label("data-spaces"), errors);
  if (!items) return;
  if (items->size() > kMaxTensors)
    errors.error(list->where, shape.label("data-spaces") + ": " + std::to_string(items->size()) +
                                  " data spaces, at most " + std::to_string(kMaxTensors) +
                                  " are supported");
  for (std::size_t i = 0; i < items->size() && i < kMaxTensors; ++i) {
    ObjectReader ds =
        timeloop_object(*(*items)[i], "data space #" + std::to_string(i + 1),
                        {"name", "projection", "read-write"}, {}, shape.sink(), "data space");
    if (!ds.ok()) continue;
    TensorSpec t;
    t.name = ds.string("name", true).value_or("#" + std::to_string(i + 1));
    t.where = ds.node().where;
    read_projection(ds, s, t);
    if (const YamlNode* rw = ds.get("read-write"))
      t.output = read_bool(*rw, ds.label("read-write"), errors).value_or(false);
    s.tensors.push_back(t);
  }
}

std::optional<ShapeSpec> read_shape(const YamlNode& node, DiagnosticSink& sink) {
  if (node.kind == YamlKind::kScalar) {
    sink.error(node.where, "problem: shape '" + node.text +
                               "' is a reference to a shape file; Outpace reads only a "
                               "shape written out under 'shape:'");
    return std::nullopt;
  }
  ObjectReader shape =
      timeloop_object(node, "problem shape", {"name", "dimensions", "coefficients", "data-spaces"},
                      {"flatten"}, sink);
  if (!shape.ok()) return std::nullopt;
  if (const YamlNode* f = shape.get("flatten")) {
    sink.error(f->where, "problem shape: 'flatten' (flattened dimensions) is not supported");
    return std::nullopt;
  }
  ShapeSpec s;
  s.where = node.where;
  s.name = shape.string("name").value_or("problem");
  read_dimensions(shape, s);
  read_coefficients(shape, s);
  read_data_spaces(shape, s);
  int outputs = 0;
  for (const TensorSpec& t : s.tensors) outputs += t.output ? 1 : 0;
  if (outputs != 1 && !s.tensors.empty())
    sink.error(node.where,
               "problem shape: exactly one data space must be read-write (the "
               "output); found " +
                   std::to_string(outputs));
  return s;
}

}  // namespace

namespace {

/// The bounds and coefficient values from `instance:` (or, as Timeloop allows, from the
/// problem itself when it has no `instance:`).
std::optional<Einsum> read_instance(const YamlNode& node, const std::string& what,
                                    const ShapeSpec& s, DiagnosticSink& sink) {
  std::vector<std::string> used = s.dims;
  used.insert(used.end(), s.coefficients.begin(), s.coefficients.end());
  if (what == "problem") used.insert(used.end(), {"shape", "instance"});
  used.insert(used.end(), {"densities", "commonDensity"});  // read by read_densities
  ObjectReader inst = timeloop_object(node, what, used, {}, sink);
  if (!inst.ok()) return std::nullopt;
  Einsum e;
  e.name = s.name;
  e.dim_names = s.dims;
  for (const std::string& d : s.dims) {
    if (!inst.get(d)) sink.error(node.where, what + ": missing the bound of dimension '" + d + "'");
    e.bounds.push_back(inst.integer(d, 1, kMaxSpecCount).value_or(1));
  }
  std::map<std::string, std::int64_t> coef = s.defaults;
  for (const std::string& c : s.coefficients)
    coef[c] = inst.integer(c, 1, workload::kMaxCoefficient).value_or(coef[c]);
  for (const TensorSpec& ts : s.tensors) {
    workload::Tensor t;
    t.name = ts.name;
    t.is_output = ts.output;
    for (const auto& dim : ts.dims) {
      workload::TensorDim td;
      for (const TermSpec& term : dim)
        td.terms.push_back({term.dim, term.coefficient.empty() ? term.literal : coef[term.coefficient]});
      t.dims.push_back(td);
    }
    e.tensors.push_back(t);
  }
  return e;
}

/// workload::check's rules, the size limits among them, each placed at the data space it is
/// about (or the shape).
void check_problem(const Einsum& e, const ShapeSpec& s, DiagnosticSink& errors) {
  for (const workload::Violation& v : workload::check(e)) {
    SourceLocation where = s.where;
    if (v.subject() == workload::Subject::kTensor)
      for (const TensorSpec& t : s.tensors)
        if (t.name == e.tensors[v.index].name) where = t.where;
    errors.error(where, v.subject() == workload::Subject::kEinsum ? "problem: " + rule_text(v, e)
                                                                  : describe(v, e));
  }
}

}  // namespace

std::optional<workload::Einsum> read_problem_section(const YamlNode& node, DiagnosticSink& sink) {
  const std::size_t before = sink.error_count();
  if (node.kind != YamlKind::kMapping) {
    sink.error(node.where,
               "problem must be a mapping with 'shape' and 'instance', got " + node.describe());
    return std::nullopt;
  }
  const YamlNode* shape_node = node.find("shape");
  if (!shape_node) {
    sink.error(node.where,
               "problem: missing key 'shape' (Outpace does not assume "
               "Timeloop's default cnn-layer shape)");
    return std::nullopt;
  }
  const std::optional<ShapeSpec> shape = read_shape(*shape_node, sink);
  if (!shape || sink.error_count() != before) return std::nullopt;
  std::optional<Einsum> e;
  if (const YamlNode* inst = node.find("instance")) {
    ObjectReader problem = timeloop_object(node, "problem", {"shape", "instance"}, {}, sink);
    e = read_instance(*inst, "problem instance", *shape, sink);
  } else {
    e = read_instance(node, "problem", *shape, sink);
  }
  if (!e || sink.error_count() != before) return std::nullopt;
  check_problem(*e, *shape, sink);
  if (sink.error_count() != before) return std::nullopt;
  return e;
}

}  // namespace outpace::io::timeloop
