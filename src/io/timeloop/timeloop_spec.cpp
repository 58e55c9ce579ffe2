// load_timeloop: reads every file, merges the root sections as Timeloop does, and hands each
// section to its reader (timeloop_problem.cpp, timeloop_arch.cpp, timeloop_ert.cpp,
// timeloop_mapping.cpp).
#include <algorithm>
#include <map>
#include <tuple>

#include "common/text_file.hpp"
#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io {

namespace {

/// Root sections Outpace reads, with the name each one is known by.
const std::map<std::string, std::string> kRead = {{"architecture", "architecture"},
                                                  {"arch", "architecture"},
                                                  {"problem", "problem"},
                                                  {"mapping", "mapping"},
                                                  {"ERT", "ERT"},
                                                  {"sparse_optimizations", "sparse_optimizations"}};
/// Root sections Timeloop or Accelergy read that Outpace leaves alone.
const std::vector<std::string> kKnownUnread = {
    "mapper",  "ART",        "compound_components", "model",       "variables",
    "globals", "components", "ERT_summary",         "ART_summary", "energy_reference_table"};
/// Sections only the mapper reads (io/timeloop_constraints.hpp): kept, no warning.
const std::vector<std::string> kMapperSections = {"mapspace", "mapspace_constraints", "constraints",
                                                  "arch_constraints", "architecture_constraints"};

/// The merged tree: every file's root, and the value of each read section by its name.
struct Merged {
  std::vector<YamlNode> roots;
  std::map<std::string, const YamlEntry*> sections;
};

void parse_texts(const std::vector<TimeloopText>& files, Merged& m, DiagnosticSink& sink) {
  for (const TimeloopText& f : files) {
    if (std::optional<YamlNode> root = parse_yaml(f.text, f.file, sink)) {
      m.roots.push_back(std::move(*root));
    } else if (sink.ok()) {
      sink.warning({f.file, 1, 1}, "the file is empty; ignored");
    }
  }
}

void merge_roots(Merged& m, TimeloopSpec& spec, DiagnosticSink& sink) {
  for (const YamlNode& root : m.roots) {
    if (root.kind != YamlKind::kMapping) {
      sink.error(root.where,
                 "a Timeloop file must be a mapping of sections such as "
                 "'architecture:', 'problem:', 'mapping:', got " +
                     root.describe());
      continue;
    }
    for (const YamlEntry& e : root.entries) {
      const auto read = kRead.find(e.key);
      if (is_constraints_section(e.key)) {
        spec.unread_sections.push_back(e);
        continue;
      }
      if (read == kRead.end()) {
        const bool known = std::count(kKnownUnread.begin(), kKnownUnread.end(), e.key) > 0;
        sink.warning(e.where, (known ? "section '" + e.key + "' is not used by Outpace"
                                     : "unknown section '" + e.key + "'") +
                                  "; ignored");
        spec.unread_sections.push_back(e);
        continue;
      }
      const auto [it, fresh] = m.sections.emplace(read->second, &e);
      if (!fresh)
        sink.error(e.where, "section '" + e.key + "' is given twice (first at " +
                                it->second->where.str() + ")");
    }
  }
}

/// Reads each section once the ones it depends on are read.
void read_sections(const Merged& m, TimeloopSpec& spec, DiagnosticSink& sink) {
  auto section = [&](const char* name) -> const YamlEntry* {
    const auto it = m.sections.find(name);
    return it == m.sections.end() ? nullptr : it->second;
  };
  if (const YamlEntry* p = section("problem"))
    spec.problem = timeloop::read_problem_section(p->value, sink);
  std::optional<timeloop::ArchInfo> info;
  if (const YamlEntry* a = section("architecture"))
    info = timeloop::read_arch_section(a->value, sink);
  const YamlEntry* ert = section("ERT");
  if (ert && info) timeloop::apply_ert(ert->value, *info, sink);
  if (ert && !section("architecture"))
    sink.warning(ert->where, "section 'ERT' without an architecture; ignored");
  if (info) spec.arch = std::move(info->arch);
  const YamlEntry* map = section("mapping");
  if (map && (!section("problem") || !section("architecture")))
    sink.error(map->where, std::string("mapping: reading a mapping needs the problem and "
                                       "the architecture; no file gives '") +
                               (section("problem") ? "architecture" : "problem") + ":'");
  if (map && spec.problem && spec.arch)
    spec.mapping = timeloop::read_mapping_section(map->value, *spec.problem, *spec.arch, sink);
  // Densities and sparse features, when the files give any (Sparseloop's modelling).
  const YamlEntry* sparse = section("sparse_optimizations");
  const YamlEntry* problem = section("problem");
  const YamlNode* instance = problem ? problem->value.find("instance") : nullptr;
  const YamlNode* holder = instance ? instance : problem ? &problem->value : nullptr;
  const bool densities = holder && (holder->find("densities") || holder->find("commonDensity"));
  if (sparse && !(spec.problem && spec.arch)) {
    sink.warning(sparse->where,
                 "section 'sparse_optimizations' without a problem and an "
                 "architecture; ignored");
    sparse = nullptr;
  }
  if (!spec.problem || (!densities && !sparse)) return;
  spec.sparsity.emplace();
  timeloop::read_densities(problem->value, *spec.problem, *spec.sparsity, sink);
  if (sparse)
    timeloop::read_sparse_section(sparse->value, *spec.problem, *spec.arch, *spec.sparsity, sink);
}

/// Diagnostics in the order of the files given, then by line and column.
std::vector<Diagnostic> sorted(std::vector<Diagnostic> out, const std::vector<std::string>& paths) {
  auto file_rank = [&](const std::string& f) {
    return std::find(paths.begin(), paths.end(), f) - paths.begin();
  };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(file_rank(a.where.file), a.where.line, a.where.column) <
           std::tuple(file_rank(b.where.file), b.where.line, b.where.column);
  });
  if (out.size() > kMaxReportedErrors) {
    const std::size_t more = out.size() - kMaxReportedErrors;
    out.resize(kMaxReportedErrors);
    out.push_back({SourceLocation{out.back().where.file, 0, 0},
                   "... and " + std::to_string(more) + " more problems, not shown"});
  }
  return out;
}

}  // namespace

bool is_constraints_section(const std::string& key) {
  return std::count(kMapperSections.begin(), kMapperSections.end(), key) > 0;
}

std::vector<std::string> constraints_files(const TimeloopSpec& spec) {
  std::vector<std::string> files;
  for (const YamlEntry& e : spec.unread_sections)
    if (is_constraints_section(e.key) &&
        std::find(files.begin(), files.end(), e.where.file) == files.end())
      files.push_back(e.where.file);
  return files;
}

TimeloopSpec load_timeloop(const std::vector<std::string>& paths) {
  std::vector<TimeloopText> files;
  DiagnosticSink unreadable;
  for (const std::string& path : paths) {
    try {
      files.push_back({read_text_file(path), path});
    } catch (const ConfigError& e) {
      for (const Diagnostic& d : e.diagnostics()) unreadable.error(d.where, d.message);
    }
  }
  if (!unreadable.ok()) {
    // Report unreadable files together with what the readable ones say.
    try {
      if (!files.empty()) (void)parse_timeloop(files);
    } catch (const ConfigError& e) {
      for (const Diagnostic& d : e.diagnostics()) unreadable.error(d.where, d.message);
    }
    throw ConfigError(sorted(unreadable.of(Severity::kError), paths));
  }
  return parse_timeloop(files);
}

TimeloopSpec parse_timeloop(const std::vector<TimeloopText>& files) {
  std::vector<std::string> paths;
  for (const TimeloopText& f : files) paths.push_back(f.file);
  DiagnosticSink sink;
  TimeloopSpec spec;
  Merged merged;
  if (files.empty()) sink.error({}, "no Timeloop file given");
  parse_texts(files, merged, sink);
  merge_roots(merged, spec, sink);
  if (sink.ok()) read_sections(merged, spec, sink);
  if (!sink.ok()) throw ConfigError(sorted(sink.of(Severity::kError), paths));
  spec.warnings = sorted(sink.of(Severity::kWarning), paths);
  return spec;
}

}  // namespace outpace::io
