#include "io/spec/arch_spec.hpp"

#include <filesystem>
#include <map>

#include "arch/energy_table.hpp"
#include "arch/presets.hpp"
#include "common/internal_error.hpp"
#include "common/limits.hpp"
#include "common/text_file.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io {

namespace {

using arch::Arch;
using arch::StorageLevel;

constexpr int kMaxWordBits = 4096;
constexpr std::int64_t kMaxBlockSize = 65536;
constexpr double kMaxValue = 1e15;  // energies (pJ), areas (um^2), bandwidths (words/cycle)

const std::initializer_list<const char*> kArchKeys = {"name", "technology", "levels", "compute"};
const std::initializer_list<const char*> kLevelKeys = {
    "name",           "class",           "capacity",         "word_bits", "block_size", "width",
    "read_bandwidth", "write_bandwidth", "update_bandwidth", "instances", "mesh_x",     "energy",
    "area",           "sparse"};
const std::initializer_list<const char*> kComputeKeys = {
    "name", "instances", "mesh_x",   "operand_bits", "energy",
    "area", "gating",    "skipping", "gated_energy", "skipped_energy"};

/// Where the named objects were written, to locate arch::check's messages.
struct Places {
  SourceLocation arch, compute;
  std::map<std::string, SourceLocation> levels;
};

bool is_unbounded(const YamlNode* v) {
  return v && v->kind == YamlKind::kScalar && v->text == "unbounded";
}

/// Reads a value that may also be "unbounded": a type error names both choices.
template <typename Read>
auto read_or_unbounded(const YamlNode& v, const std::string& label, const char* expected,
                       DiagnosticSink& sink, Read read) {
  DiagnosticSink local;
  auto value = read(v, label, local);
  for (const Diagnostic& d : local.diagnostics()) {
    const bool type_error = d.message.find(" must be an integer, got") != std::string::npos ||
                            d.message.find(" must be a finite number, got") != std::string::npos;
    sink.error(d.where, type_error ? label + " must be " + expected + " or 'unbounded', got " +
                                         v.describe()
                                   : d.message);
  }
  return value;
}

/// What a bandwidth's decimal must be (arch::Bandwidth::parse).
constexpr const char* kBandwidthDecimal =
    " must be a decimal of at most 18 significant digits, at least 1e-18";

/// A bandwidth as a number in [0, kMaxValue] (0 is refused by the caller), told in a bandwidth's
/// rules even past a double's range: -1e400 must be greater than 0, 1e-400 at least 1e-18.
std::optional<double> read_positive(const YamlNode& n, const std::string& label,
                                    DiagnosticSink& sink) {
  DiagnosticSink local;
  const auto v = read_double(n, label, 0, kMaxValue, local);
  for (const Diagnostic& d : local.diagnostics()) {
    const std::string head = label + " " + n.text;
    if (d.message.ends_with(" must be at least 0"))
      sink.error(d.where, head + " must be greater than 0 (or 'unbounded')");
    else if (d.message.find(" is too close to 0 ") != std::string::npos)
      sink.error(d.where, head + kBandwidthDecimal);
    else
      sink.error(d.where, d.message);
  }
  return v;
}

/// A bandwidth in words per cycle: a positive number or "unbounded", held exactly as the
/// decimal written (0.7 is 7/10; docs/formats.md).
std::optional<arch::Bandwidth> read_bandwidth(const ObjectReader& r, const char* key) {
  const YamlNode* v = r.get(key);
  if (!v) return std::nullopt;
  if (is_unbounded(v)) return arch::kUnbounded;
  const auto bw = read_or_unbounded(*v, r.label(key), "a positive number", r.sink(), read_positive);
  if (!bw) return std::nullopt;
  if (*bw <= 0) {
    r.sink().error(v->where,
                   r.label(key) + " " + v->text + " must be greater than 0 (or 'unbounded')");
    return std::nullopt;
  }
  const std::optional<arch::Bandwidth> exact = arch::Bandwidth::parse(v->text);
  if (!exact || exact->num() == 0)
    r.sink().error(v->where, r.label(key) + " " + v->text + kBandwidthDecimal);
  return exact;
}

/// Instances and mesh_x (default: all instances along X; both default to the values passed in);
/// mesh_x must divide instances.
void read_mesh(const ObjectReader& r, std::int64_t& instances, std::int64_t& mesh_x) {
  const auto n = r.integer("instances", 1, kMaxSpecCount);
  const auto mx = r.integer("mesh_x", 1, kMaxSpecCount);
  if (n) instances = *n;
  mesh_x = mx ? *mx : (n ? instances : mesh_x);
  if (mx && instances % *mx != 0) {
    r.sink().error(r.get("mesh_x")->where, r.label("mesh_x") + " " + std::to_string(*mx) +
                                               " does not divide instances (" +
                                               std::to_string(instances) + ")");
  }
}

/// Word bits and block size, the latter given directly or as a width in bits.
void read_words(const ObjectReader& r, StorageLevel& level) {
  level.word_bits = static_cast<int>(r.integer("word_bits", 1, kMaxWordBits).value_or(level.word_bits));
  const auto block = r.integer("block_size", 1, kMaxBlockSize);
  const auto width = r.integer("width", 1, kMaxBlockSize * kMaxWordBits);
  if (block && width) {
    r.sink().error(r.get("width")->where, r.what() + ": give 'block_size' or 'width', not both");
  } else if (block) {
    level.block_size = static_cast<int>(*block);
  } else if (width) {
    const std::string shown = r.label("width") + " " + std::to_string(*width);
    if (*width % level.word_bits != 0) {
      r.sink().error(r.get("width")->where, shown + " is not a multiple of word_bits (" +
                                                std::to_string(level.word_bits) + ")");
    } else if (*width / level.word_bits > kMaxBlockSize) {
      r.sink().error(r.get("width")->where, shown + " holds more than " +
                                                std::to_string(kMaxBlockSize) + " words");
    } else {
      level.block_size = static_cast<int>(*width / level.word_bits);
    }
  }
}

/// `energy: {read, write, update, leak, ...}` over the defaults already in `e`; the sparse
/// actions (gated and skipped reads and updates, (de)compression) cost 0 unless given.
void read_energy(const ObjectReader& parent, arch::ActionEnergy& e) {
  const YamlNode* node = parent.get("energy");
  if (!node) return;
  ObjectReader r(*node, parent.label("energy"),
                 {"read", "write", "update", "leak", "gated_read", "skipped_read", "gated_update",
                  "skipped_update", "decompression", "compression"},
                 parent.sink());
  for (const auto& [key, pj] :
       {std::pair{"read", &e.read_pj}, std::pair{"write", &e.write_pj},
        std::pair{"update", &e.update_pj}, std::pair{"leak", &e.leak_pj_per_cycle},
        std::pair{"gated_read", &e.gated_read_pj}, std::pair{"skipped_read", &e.skipped_read_pj},
        std::pair{"gated_update", &e.gated_update_pj},
        std::pair{"skipped_update", &e.skipped_update_pj},
        std::pair{"decompression", &e.decompression_pj},
        std::pair{"compression", &e.compression_pj}})
    *pj = r.number(key, 0, kMaxValue).value_or(*pj);
}

/// A list of tensor names under `key` (empty when absent).
std::vector<std::string> names(const ObjectReader& r, const char* key) {
  std::vector<std::string> out;
  const YamlNode* node = r.get(key);
  if (!node) return out;
  if (node->kind != YamlKind::kSequence) {
    r.sink().error(node->where,
                   r.label(key) + " must be a list of tensor names, got " + node->describe());
    return out;
  }
  for (const YamlNode& item : node->items)
    if (auto name = read_string(item, r.label(key), r.sink())) out.push_back(*name);
  return out;
}

/// `sparse: {compressed: [..], gating: [{target, condition}], skipping: [...]}`.
void read_sparse(const ObjectReader& parent, arch::LevelSparsity& s) {
  const YamlNode* node = parent.get("sparse");
  if (!node) return;
  ObjectReader r(*node, parent.label("sparse"), {"compressed", "gating", "skipping"},
                 parent.sink());
  if (!r.ok()) return;
  s.where = node->where;
  s.compressed = names(r, "compressed");
  for (const char* kind : {"gating", "skipping"}) {
    const YamlNode* list = r.get(kind);
    if (!list) continue;
    if (list->kind != YamlKind::kSequence) {
      r.sink().error(list->where, r.label(kind) + " must be a list of {target, condition}, got " +
                                      list->describe());
      continue;
    }
    for (const YamlNode& item : list->items) {
      ObjectReader f(item, r.label(kind), {"target", "condition"}, r.sink());
      const auto target = f.ok() ? f.string("target", true) : std::nullopt;
      if (!target || !f.require("condition")) continue;
      s.features.push_back(
          {std::string(kind) == "skipping", *target, names(f, "condition"), item.where});
      if (s.features.back().condition.empty())
        r.sink().error(f.get("condition")->where,
                       f.label("condition") + " must name at least one tensor");
    }
  }
}

std::vector<std::string> known_classes() { return {"DRAM", "SRAM", "regfile", "buffer", "storage"}; }

std::optional<StorageLevel> read_level(const YamlNode& node, int position, Places& places,
                                       DiagnosticSink& sink) {
  ObjectReader r(node, "level #" + std::to_string(position + 1), kLevelKeys, sink, "level");
  if (!r.ok()) return std::nullopt;
  StorageLevel level;
  level.name = r.string("name", true).value_or("#" + std::to_string(position + 1));
  if (r.get("name")) {
    if (auto it = places.levels.find(level.name); it != places.levels.end())
      sink.error(r.get("name")->where, r.what() + ": name used twice (first at line " +
                                           std::to_string(it->second.line) + ")");
    places.levels.emplace(level.name, node.where);
  }
  std::optional<arch::MemoryKind> kind;
  if (const auto cls = r.string("class", true)) {
    kind = arch::memory_kind_from_class(*cls);
    if (!kind)
      sink.error(r.get("class")->where, r.label("class") + " '" + *cls +
                                            "' is not known; known classes are " +
                                            join_names(known_classes()));
  }
  const YamlNode* cap = kind == arch::MemoryKind::kDram ? r.get("capacity") : r.require("capacity");
  if (cap && is_unbounded(cap) && kind && kind != arch::MemoryKind::kDram)
    sink.error(cap->where, r.label("capacity") +
                               " 'unbounded' is for DRAM only: an on-chip level's energy and area "
                               "follow from its capacity; give it in words");
  if (cap && !is_unbounded(cap))
    level.capacity_words = read_or_unbounded(
        *cap, r.label("capacity"), "a positive integer", sink,
        [](const YamlNode& n, const std::string& l, DiagnosticSink& s) {
          return read_int(n, l, 1, arch::kMaxCapacityWords, s);
        });
  read_words(r, level);
  level.read_bandwidth = read_bandwidth(r, "read_bandwidth").value_or(arch::kUnbounded);
  level.write_bandwidth = read_bandwidth(r, "write_bandwidth").value_or(arch::kUnbounded);
  level.update_bandwidth = read_bandwidth(r, "update_bandwidth");
  read_mesh(r, level.instances, level.mesh_x);
  const arch::MemoryKind k = kind.value_or(arch::MemoryKind::kSram);
  const std::int64_t words = level.capacity_words.value_or(0);
  level.energy = arch::default_storage_energy(k, words, level.word_bits, level.block_size);
  read_energy(r, level.energy);
  read_sparse(r, level.sparse);
  level.area_um2 = r.number("area", 0, kMaxValue)
                       .value_or(arch::default_storage_area_um2(k, words, level.word_bits));
  return level;
}

void read_levels(const ObjectReader& r, Arch& a, Places& places) {
  const YamlNode* levels = r.require("levels");
  if (!levels) return;
  if (levels->kind != YamlKind::kSequence || levels->items.empty()) {
    r.sink().error(levels->where, r.label("levels") +
                                      " must be a list of storage levels, outermost first; got " +
                                      (levels->kind == YamlKind::kSequence ? "an empty list"
                                                                           : levels->describe()));
    return;
  }
  if (levels->items.size() > kMaxLevels) {
    r.sink().error(levels->where, r.label("levels") + ": " + std::to_string(levels->items.size()) +
                                      " levels, at most " + std::to_string(kMaxLevels) +
                                      " are supported");
    return;
  }
  for (std::size_t i = 0; i < levels->items.size(); ++i)
    if (auto level = read_level(levels->items[i], static_cast<int>(i), places, r.sink()))
      a.levels.insert(a.levels.begin(), std::move(*level));  // store innermost first
}

/// `compute:`, defaulting to one MAC per innermost-level instance at that level's word bits.
void read_compute(const ObjectReader& parent, Arch& a, Places& places) {
  arch::ComputeUnit& c = a.compute;
  const StorageLevel inner = a.levels.empty() ? StorageLevel{} : a.levels.front();
  c = arch::make_compute(inner.instances, inner.mesh_x, inner.word_bits);
  const YamlNode* node = parent.get("compute");
  if (!node) return;
  places.compute = node->where;
  ObjectReader r(*node, "compute '" + c.name + "'", kComputeKeys, parent.sink(), "compute");
  if (!r.ok()) return;
  c.name = r.string("name").value_or(c.name);
  read_mesh(r, c.instances, c.mesh_x);
  if (const auto bits = r.integer("operand_bits", 1, 256)) {
    c.operand_bits = static_cast<int>(*bits);
    c.mac_energy_pj = arch::default_mac_energy_pj(c.operand_bits);
    c.area_um2 = arch::default_mac_area_um2(c.operand_bits);
  }
  c.mac_energy_pj = r.number("energy", 0, kMaxValue).value_or(c.mac_energy_pj);
  c.gated_mac_pj = r.number("gated_energy", 0, kMaxValue).value_or(0);
  c.skipped_mac_pj = r.number("skipped_energy", 0, kMaxValue).value_or(0);
  c.gating = r.boolean("gating").value_or(false);
  c.skipping = r.boolean("skipping").value_or(false);
  c.area_um2 = r.number("area", 0, kMaxValue).value_or(c.area_um2);
}

/// Runs arch::check and places each violation at the level or compute unit it is about.
void check_arch(const Arch& a, const Places& places, DiagnosticSink& sink) {
  for (const arch::Violation& v : arch::check(a)) {
    SourceLocation where = places.arch;
    if (v.subject == arch::Subject::kLevel) {
      const auto it = places.levels.find(a.levels[v.level].name);
      if (it != places.levels.end()) where = it->second;
    }
    if (v.subject == arch::Subject::kCompute && places.compute.line > 0) where = places.compute;
    sink.error(where, v.message);
  }
}

}  // namespace

std::optional<Arch> read_arch(const YamlNode& node, DiagnosticSink& sink) {
  const std::size_t errors_before = sink.error_count();
  ObjectReader r(node, "architecture", kArchKeys, sink, "architecture");
  if (!r.ok()) return std::nullopt;
  Arch a;
  a.name = r.string("name").value_or("architecture");
  a.technology = r.string("technology").value_or(arch::kDefaultTechnology);
  if (a.technology != arch::kDefaultTechnology)
    sink.error(r.get("technology")->where,
               r.label("technology") + " '" + a.technology + "' is not supported: the built-in " +
                   "energy and area table is for " + arch::kDefaultTechnology +
                   " (docs/model.md); leave it out or write " + arch::kDefaultTechnology);
  Places places{node.where, {}, {}};
  read_levels(r, a, places);
  read_compute(r, a, places);
  if (sink.error_count() == errors_before) check_arch(a, places, sink);
  if (sink.error_count() != errors_before) return std::nullopt;
  return a;
}

Arch parse_arch(std::string_view text, const std::string& file) {
  DiagnosticSink sink;
  const std::optional<YamlNode> root = parse_yaml(text, file, sink);
  std::optional<Arch> a;
  if (const YamlNode* node = spec_section(root, file, "architecture", sink)) a = read_arch(*node, sink);
  throw_sorted(sink);
  OUTPACE_ASSERT(a.has_value()) << "an architecture spec failed without a diagnostic";
  return std::move(*a);
}

Arch load_arch(const std::string& name_or_path) {
  if (std::optional<Arch> a = arch::preset(name_or_path)) return std::move(*a);
  std::error_code ec;
  if (!std::filesystem::exists(name_or_path, ec) && name_or_path.find('.') == std::string::npos &&
      name_or_path.find('/') == std::string::npos) {
    // A bare word that is neither a file nor a preset was most likely meant as a preset.
    DiagnosticSink sink;
    sink.error(SourceLocation{name_or_path, 0, 0},
               "no such file, and no built-in architecture has this name; built-in ones are " +
                   join_names(arch::preset_names()));
    sink.throw_if_any();
  }
  return parse_arch(read_text_file(name_or_path), name_or_path);
}

}  // namespace outpace::io
