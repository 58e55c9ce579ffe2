// Timeloop's architecture: the tree form of Accelergy v0.2-v0.4 (`subtree`, `local`,
// `attributes`, ranges like `PE[0..167]`) and the older `{storage, arithmetic}` form, read into
// an arch::Arch with energies from Outpace's built-in table (the ERT, if any, comes later, with
// Timeloop's own built-in estimate for what it does not give).
#include <algorithm>
#include <map>

#include "arch/presets.hpp"
#include "common/limits.hpp"
#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

using arch::StorageLevel;

/// Attributes by key: the component's own over those inherited from the subtrees above it.
using Attrs = std::map<std::string, const YamlEntry*>;

constexpr double kMaxValue = 1e15;
constexpr std::int64_t kMaxWordBits = 4096;
constexpr std::int64_t kMaxBlock = 65536;

/// Attributes Outpace reads.
const std::vector<std::string> kUsedAttrs = {
    "depth", "memory_depth", "data_storage_depth", "entries", "sizeKB", "width", "memory_width",
    "data_storage_width", "word-bits", "word_width", "datawidth", "block-size", "block_size",
    "n_words", "cluster-size", "read_bandwidth", "write_bandwidth", "bandwidth", "instances",
    "meshX", "meshY", "technology", "vector-access-energy", "energy"};
/// Attributes Timeloop or Accelergy use that Outpace does not model.
const std::vector<std::string> kIgnoredAttrs = {
    "n_banks", "num-banks", "n_rdwr_ports", "n_rd_ports", "n_wr_ports", "n_ports", "num-ports",
    "type", "update_fifo_depth", "latency", "shared_bandwidth", "multiple-buffering",
    "min-utilization", "allow_overbooking", "reduction_supported", "network_read",
    "network_fill", "network_drain", "network_update", "network_operand", "network_result",
    "network_fill_latency", "network_drain_latency", "metadata_block_size",
    "metadata_datawidth", "metadata_word_bits", "metadata_storage_width",
    "metadata_storage_depth", "concordant_compressed_tile_traversal",
    "tile_partition_supported", "decompression_supported", "compression_supported", "area",
    "cluster-area", "addr-gen-energy", "n_buffets", "voltage", "global_cycle_seconds",
    "action_latency_cycles", "cycle_seconds"};

/// Adds the entries of an `attributes:` mapping over `attrs`, warning about unknown ones.
void merge_attributes(const YamlNode* node, const std::string& what, Attrs& attrs,
                      DiagnosticSink& sink) {
  if (!node) return;
  ObjectReader o = timeloop_object(*node, what + ": attributes", kUsedAttrs, kIgnoredAttrs, sink);
  if (!o.ok()) return;
  for (const YamlEntry& e : node->entries) attrs[e.key] = &e;
}

/// The first of `keys` present in `attrs`.
const YamlEntry* find(const Attrs& attrs, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto it = attrs.find(k); it != attrs.end()) return it->second;
  return nullptr;
}

std::optional<std::int64_t> attr_int(const Attrs& a, std::initializer_list<const char*> keys,
                                     const std::string& what, std::int64_t lo, std::int64_t hi,
                                     DiagnosticSink& sink) {
  const YamlEntry* e = find(a, keys);
  return e ? read_int(e->value, what + ": " + e->key, lo, hi, sink) : std::nullopt;
}

std::optional<double> attr_double(const Attrs& a, std::initializer_list<const char*> keys,
                                  const std::string& what, double lo, DiagnosticSink& sink) {
  const YamlEntry* e = find(a, keys);
  return e ? read_double(e->value, what + ": " + e->key, lo, kMaxValue, sink) : std::nullopt;
}

/// Instances (from the ranges above, or `instances`) and meshX / meshY, checked like Timeloop
/// (arithmetic.cpp, ValidateTopology): meshX x meshY must be the instances; one of them alone
/// must divide them, the other being the quotient.
void read_mesh(const Attrs& a, const std::string& what, std::int64_t n_elements,
               std::int64_t& instances, std::int64_t& mesh_x, DiagnosticSink& sink) {
  const auto given = attr_int(a, {"instances"}, what, 1, kMaxSpecCount, sink);
  instances = given.value_or(n_elements);
  const auto mx = attr_int(a, {"meshX"}, what, 1, kMaxSpecCount, sink);
  const auto my = attr_int(a, {"meshY"}, what, 1, kMaxSpecCount, sink);
  mesh_x = mx ? *mx : my ? instances / *my : instances;
  const std::string n = std::to_string(instances) + " instance" + (instances == 1 ? "" : "s") +
                        (given            ? " (its 'instances')"
                         : n_elements > 1 ? " (from the instance ranges above it)"
                                          : " (no 'instances' or instance range gives more)");
  if (mx && my && *mx * *my != instances) {
    sink.error(find(a, {"meshX"})->value.where, what + ": meshX " + std::to_string(*mx) +
                                                    " x meshY " + std::to_string(*my) + " = " +
                                                    std::to_string(*mx * *my) + ", but it has " +
                                                    n + "; meshX x meshY must equal the instances");
  } else if (mx.has_value() != my.has_value() && instances % (mx ? *mx : *my) != 0) {
    const std::string axis = mx ? "meshX" : "meshY", side = std::to_string(mx ? *mx : *my);
    sink.error(find(a, {mx ? "meshX" : "meshY"})->value.where,
               what + ": " + axis + " " + side + " does not divide its " + n + ": " +
                   (mx ? "meshY" : "meshX") + ", not given, would be " + std::to_string(instances) +
                   " / " + side + "; meshX x meshY must equal the instances");
  }
}

/// Word bits, block size (given, or width / word bits) and cluster size (given, or width /
/// (word bits x block size)), as Timeloop reads them (buffer.cpp, ParseSpecs). Returns what
/// gave the cluster size, for the messages about it.
std::string read_words(const Attrs& a, const std::string& what, StorageLevel& level,
                       DiagnosticSink& sink) {
  const auto word_bits =
      attr_int(a, {"word-bits", "word_width", "datawidth"}, what, 1, kMaxWordBits, sink);
  if (!word_bits && find(a, {"word-bits", "word_width", "datawidth"})) return {};  // reported
  level.word_bits = static_cast<int>(word_bits.value_or(16));
  const auto block = attr_int(a, {"block-size", "block_size", "n_words"}, what, 1, kMaxBlock, sink);
  const auto cluster = attr_int(a, {"cluster-size"}, what, 1, kMaxBlock, sink);
  const YamlEntry* wentry = find(a, {"width", "memory_width", "data_storage_width"});
  const auto width = attr_int(a, {"width", "memory_width", "data_storage_width"}, what, 1,
                              kMaxBlock * kMaxWordBits, sink);
  level.block_size = static_cast<int>(block.value_or(1));
  level.cluster_size = cluster.value_or(1);
  if (!width) return "cluster-size " + std::to_string(level.cluster_size);
  const std::int64_t unit = std::int64_t{level.word_bits} * level.block_size;
  const std::string w = std::to_string(*width);
  if (*width % unit != 0) {
    sink.error(wentry->value.where, what + ": width " + w +
                                        " is not a multiple of word-bits x block-size (" +
                                        std::to_string(unit) + ")");
  } else if (block && cluster && unit * *cluster != *width) {
    sink.error(wentry->value.where, what + ": word-bits x block-size x cluster-size = " +
                                        std::to_string(unit * *cluster) + " must equal width " + w +
                                        ", as Timeloop requires");
  } else if (cluster) {
    if (!block) level.block_size = static_cast<int>(*width / *cluster / level.word_bits);
  } else {
    if (!block) level.block_size = static_cast<int>(*width / level.word_bits);
    level.cluster_size = *width / (std::int64_t{level.word_bits} * level.block_size);
    return "cluster size " + std::to_string(level.cluster_size) + " (width " + w +
           " / (word-bits x block-size))";
  }
  return "cluster-size " + std::to_string(level.cluster_size);
}

/// Words per instance: entries, depth x block size, or sizeKB; unbounded if none is given.
std::optional<std::int64_t> read_capacity(const Attrs& a, const std::string& what,
                                          const SourceLocation& where, const StorageLevel& level,
                                          DiagnosticSink& sink) {
  std::optional<std::int64_t> words;
  if (auto n = attr_int(a, {"entries"}, what, 0, arch::kMaxCapacityWords, sink))
    words = *n;
  else if (auto d = attr_int(a, {"depth", "memory_depth", "data_storage_depth"}, what, 0,
                             arch::kMaxCapacityWords / kMaxBlock, sink))
    words = *d * level.block_size;
  else if (auto kb = attr_int(a, {"sizeKB"}, what, 0, arch::kMaxCapacityWords / 8192, sink))
    words = *kb * 8192 / level.word_bits;
  if (words && *words == 0) {
    sink.warning(where, what +
                            ": capacity 0 is read as unbounded; the mapping must "
                            "bypass every tensor here, as Timeloop requires");
    return std::nullopt;
  }
  return words;
}

/// A bandwidth attribute, held exactly as the decimal written (0.7 is 7/10; docs/formats.md).
std::optional<arch::Bandwidth> attr_bandwidth(const Attrs& a, const char* key,
                                              const std::string& what, DiagnosticSink& sink) {
  if (!attr_double(a, {key}, what, 1e-12, sink)) return std::nullopt;
  const YamlEntry* e = find(a, {key});
  const std::optional<arch::Bandwidth> exact = arch::Bandwidth::parse(e->value.text);
  if (!exact)
    sink.error(e->value.where, what + ": " + e->key + " " + e->value.text +
                                   " must be a decimal of at most 18 significant digits");
  return exact;
}

/// Bandwidths in words per cycle per instance; the deprecated `bandwidth` is split in two.
void read_bandwidths(const Attrs& a, const std::string& what, const SourceLocation& where,
                     StorageLevel& level, DiagnosticSink& sink) {
  if (const auto bw = attr_bandwidth(a, "bandwidth", what, sink)) {
    level.read_bandwidth = level.write_bandwidth = bw->halved();
    sink.warning(where, what +
                            ": 'bandwidth' is deprecated in Timeloop; read as "
                            "read_bandwidth = write_bandwidth = bandwidth / 2");
  }
  if (const auto r = attr_bandwidth(a, "read_bandwidth", what, sink)) level.read_bandwidth = *r;
  if (const auto w = attr_bandwidth(a, "write_bandwidth", what, sink)) level.write_bandwidth = *w;
}

std::string attr_text(const Attrs& a, const char* key) {
  const YamlEntry* e = find(a, {key});
  return e && e->value.kind == YamlKind::kScalar ? e->value.text : "";
}

}  // namespace

namespace {

/// The components of the architecture, outermost storage first.
struct Collected {
  ArchInfo info;  ///< levels outermost first until the end
  bool has_compute = false;
  std::string technology;
  SourceLocation technology_place;  ///< where `technology` was first given
};

enum class ClassKind { kStorage, kCompute, kNetwork, kUnknown };

/// Timeloop's classification: a class containing DRAM, SRAM, regfile, smartbuffer or storage is
/// a buffer; then mac, intmac, fpmac or compute is arithmetic; then the network classes.
ClassKind classify(const std::string& cls) {
  auto has = [&](const char* s) { return cls.find(s) != std::string::npos; };
  if (has("DRAM") || has("SRAM") || has("regfile") || has("smartbuffer") || has("storage"))
    return ClassKind::kStorage;
  if (has("mac") || has("compute")) return ClassKind::kCompute;
  if (has("XY_NoC") || has("Legacy") || has("ReductionTree") || has("SimpleMulticast"))
    return ClassKind::kNetwork;
  return ClassKind::kUnknown;
}

/// Timeloop's built-in energy of one vector access (src/pat/pat.cpp; buffer.cpp, ParseSpecs),
/// which timeloop-model charges for the actions an ERT does not give: 200 pJ per 16 bits for a
/// DRAM; otherwise SRAMEnergy(height, width) / cluster size for the rows and width of a whole
/// cluster (⌈words / block size⌉ rows of word bits x block size x cluster size bits), where
/// SRAMEnergy is a line through 1 at 0.5 KB and 6 at 100 KB, per 16 bits of width; 0 without a
/// size.
double timeloop_builtin_energy(bool dram, std::optional<std::int64_t> words,
                               const StorageLevel& level) {
  const auto bits = static_cast<std::uint64_t>(level.word_bits) * level.block_size;
  if (dram) return 200.0 * static_cast<double>(bits) / 16;
  if (!words || level.block_size < 1 || level.cluster_size < 1) return 0;  // no size, or reported
  const auto cluster = static_cast<std::uint64_t>(level.cluster_size);
  const std::uint64_t width = bits * cluster;
  const std::uint64_t height = (static_cast<std::uint64_t>(*words) + level.block_size - 1) /
                               static_cast<std::uint64_t>(level.block_size);
  const double slope = (6.0 - 1.0) / (100.0 - 0.5);
  const double x = static_cast<double>(width * height) / (8 * 1024);
  const double y = slope * (x - 0.5) + 1.0;
  return y * static_cast<double>(width) / 16 / static_cast<double>(cluster);
}

/// Timeloop's rules for a cluster size (`clusters` says what gave it): 1 for a DRAM, a divisor
/// of the instances otherwise (timeloop-model stops on an assertion in both cases).
void check_clusters(const StorageLevel& level, bool dram, const std::string& clusters,
                    const std::string& what, const SourceLocation& where, DiagnosticSink& sink) {
  if (dram && level.cluster_size != 1)
    sink.error(where, what + ": " + clusters + " must be 1 for a DRAM, as Timeloop requires");
  else if (level.instances % level.cluster_size != 0)
    sink.error(where, what + ": " + clusters + " must divide its " +
                          std::to_string(level.instances) + " instance" +
                          (level.instances == 1 ? "" : "s") + ", as Timeloop requires");
}

void add_storage(const std::string& name, const std::string& cls, const std::string& subclass,
                 std::int64_t n_elements, const Attrs& a, const SourceLocation& where,
                 Collected& out, DiagnosticSink& sink) {
  const std::string what = "level '" + name + "'";
  StorageLevel level;
  level.name = name;
  const std::string clusters = read_words(a, what, level, sink);
  level.capacity_words = read_capacity(a, what, where, level, sink);
  read_bandwidths(a, what, where, level, sink);
  read_mesh(a, what, n_elements, level.instances, level.mesh_x, sink);
  const bool dram = cls.find("DRAM") != std::string::npos || attr_text(a, "technology") == "DRAM";
  const arch::MemoryKind kind =
      dram ? arch::MemoryKind::kDram
           : arch::memory_kind_from_class(subclass.empty() ? cls : subclass)
                 .value_or(arch::MemoryKind::kSram);
  if (!clusters.empty()) check_clusters(level, dram, clusters, what, where, sink);
  const double builtin = timeloop_builtin_energy(dram, level.capacity_words, level);
  if (dram) level.capacity_words.reset();
  const std::int64_t words = level.capacity_words.value_or(0);
  level.energy = arch::default_storage_energy(kind, words, level.word_bits, level.block_size);
  level.area_um2 = arch::default_storage_area_um2(kind, words, level.word_bits);
  const auto user = attr_double(a, {"vector-access-energy"}, what, 0, sink);
  if (user) level.energy.read_pj = level.energy.write_pj = level.energy.update_pj = *user;
  if (!dram && !find(a, {"entries", "depth", "memory_depth", "data_storage_depth", "sizeKB"}))
    sink.warning(where, what + ": no size (entries, depth or sizeKB), so it is unbounded and " +
                            "Outpace's table gives it the area, and without an ERT or " +
                            "vector-access-energy the energies, of the smallest SRAM");
  out.info.arch.levels.push_back(level);
  out.info.level_places.push_back(where);
  out.info.user_energy.push_back(user.has_value());
  out.info.timeloop_energy.push_back(user.value_or(builtin));
}

void add_compute(const std::string& name, std::int64_t n_elements, const Attrs& a,
                 const SourceLocation& where, Collected& out, DiagnosticSink& sink) {
  const std::string what = "compute '" + name + "'";
  if (out.has_compute) {
    sink.error(where, what +
                          ": a second compute component; the architecture has one "
                          "MAC array, '" +
                          out.info.arch.compute.name + "'");
    return;
  }
  arch::ComputeUnit& c = out.info.arch.compute;
  read_mesh(a, what, n_elements, c.instances, c.mesh_x, sink);
  const int bits =
      static_cast<int>(attr_int(a, {"word-bits", "datawidth"}, what, 1, 256, sink).value_or(16));
  c = arch::make_compute(c.instances, c.mesh_x, bits);
  c.name = name;
  if (const auto e = attr_double(a, {"energy"}, what, 0, sink)) c.mac_energy_pj = *e;
  out.has_compute = true;
  out.info.compute_place = where;
}

/// One entry of a `local:` list (tree form) or of `storage:` (older form, `flat`).
void read_component(const YamlNode& node, std::size_t index, const Instances& above,
                    const Attrs& inherited, bool flat, Collected& out, DiagnosticSink& sink) {
  const std::vector<std::string> keys = {"name", "class", "subclass", "attributes"};
  std::vector<std::string> used = flat ? kUsedAttrs : keys;
  if (flat) used.insert(used.end(), keys.begin(), keys.end());
  ObjectReader c = timeloop_object(
      node, "component #" + std::to_string(index + 1), used,
      flat ? kIgnoredAttrs : std::vector<std::string>{"required_actions", "actions", "enabled"},
      sink, "component");
  if (!c.ok()) return;
  const auto full = c.string("name", true);
  const auto cls = flat ? std::optional<std::string>(c.string("class").value_or("SRAM"))
                        : c.string("class", true);
  if (!full || !cls) return;
  const auto name = parse_ranged_name(*full, c.get("name")->where, "component", sink);
  if (!name) return;
  const auto instances = times(above, *full, *name, c.get("name")->where, "component", sink);
  if (!instances) return;
  Attrs a = inherited;
  if (flat)
    for (const YamlEntry& e : node.entries) a[e.key] = &e;
  merge_attributes(c.get("attributes"), c.what(), a, sink);
  if (const YamlEntry* t = find(a, {"technology"});
      out.technology.empty() && t && attr_text(a, "technology") != "DRAM") {
    out.technology = attr_text(a, "technology");  // the first node given; DRAM marks a class
    out.technology_place = t->value.where;
  }
  const std::int64_t n = instances->count;
  switch (classify(*cls)) {
    case ClassKind::kStorage:
      return add_storage(name->base, *cls, c.string("subclass").value_or(""), n, a, node.where, out,
                         sink);
    case ClassKind::kCompute:
      return add_compute(name->base, n, a, node.where, out, sink);
    case ClassKind::kNetwork:
      sink.warning(node.where, c.what() + ": network class '" + *cls +
                                   "' is not modelled (networks cost nothing); ignored");
      return;
    case ClassKind::kUnknown:
      sink.error(c.get("class")->where,
                 c.what() + ": class '" + *cls +
                     "' is not known; a storage class contains "
                     "DRAM, SRAM, regfile, smartbuffer or storage, a compute class contains "
                     "mac or compute");
  }
}

void read_locals(const ObjectReader& sub, const Instances& above, const Attrs& attrs,
                 Collected& out) {
  const YamlNode* local = sub.get("local");
  if (!local) return;
  const auto items = read_list(*local, sub.label("local"), sub.sink());
  for (std::size_t i = 0; items && i < items->size(); ++i)
    read_component(*(*items)[i], i, above, attrs, false, out, sub.sink());
}

/// Walks `subtree` by `subtree` (Timeloop allows one per level), outermost first.
void walk_tree(const YamlNode& root, Collected& out, DiagnosticSink& sink) {
  ObjectReader top =
      timeloop_object(root, "architecture", {"version", "subtree"}, {"constraints", "local"}, sink);
  const YamlNode* node = &root;
  Instances instances;  // the product of the ranges down to here
  Attrs attrs;
  while (const YamlNode* subtree = node->find("subtree")) {
    if (subtree->kind != YamlKind::kSequence || subtree->items.size() != 1) {
      sink.error(subtree->where,
                 "architecture: 'subtree' must be a list of exactly one "
                 "node (Timeloop allows one subtree per level), got " +
                     subtree->describe());
      return;
    }
    node = &subtree->items[0];
    ObjectReader sub = timeloop_object(*node, "subtree", {"name", "attributes", "local", "subtree"},
                                       {}, sink, "subtree");
    if (!sub.ok()) return;
    const auto full = sub.string("name", true);
    const auto name =
        full ? parse_ranged_name(*full, sub.get("name")->where, "subtree", sink) : std::nullopt;
    if (!name) return;
    if (out.info.arch.name.empty()) out.info.arch.name = name->base;
    const auto below = times(instances, *full, *name, sub.get("name")->where, "subtree", sink);
    if (!below) return;
    instances = *below;
    merge_attributes(sub.get("attributes"), sub.what(), attrs, sink);
    read_locals(sub, instances, attrs, out);
  }
}

/// The older form: `storage:` innermost first, `arithmetic:`, every key directly on the entry.
void read_flat(const YamlNode& root, Collected& out, DiagnosticSink& sink) {
  ObjectReader top = timeloop_object(root, "architecture", {"storage", "arithmetic", "version"},
                                     {"constraints"}, sink);
  if (!top.ok()) return;
  out.info.arch.name = "architecture";
  const YamlNode* storage = top.require("storage");
  const YamlNode* arithmetic = top.require("arithmetic");
  if (!storage || !arithmetic) return;
  const auto items = read_list(*storage, top.label("storage"), sink);
  for (std::size_t i = items ? items->size() : 0; i-- > 0;)  // read outermost first
    read_component(*(*items)[i], i, Instances{}, {}, true, out, sink);
  std::vector<std::string> used = kUsedAttrs;
  used.push_back("name");
  ObjectReader a = timeloop_object(*arithmetic, "arithmetic", used, kIgnoredAttrs, sink);
  Attrs attrs;
  for (const YamlEntry& e : arithmetic->entries) attrs[e.key] = &e;
  if (a.ok()) add_compute(a.string("name").value_or("MAC"), 1, attrs, arithmetic->where, out, sink);
}

}  // namespace

namespace {

/// Runs arch::check and places each violation at the level or compute unit it is about.
void check_arch(const ArchInfo& info, const SourceLocation& root, DiagnosticSink& errors) {
  for (const arch::Violation& v : arch::check(info.arch)) {
    SourceLocation where = root;
    if (v.subject == arch::Subject::kLevel) where = info.level_places[v.level];
    if (v.subject == arch::Subject::kCompute) where = info.compute_place;
    errors.error(where, v.message);
  }
}

}  // namespace

std::optional<ArchInfo> read_arch_section(const YamlNode& node, DiagnosticSink& sink) {
  const std::size_t before = sink.error_count();
  Collected out;
  if (node.kind == YamlKind::kMapping && node.find("subtree")) {
    walk_tree(node, out, sink);
  } else if (node.kind == YamlKind::kMapping && node.find("storage")) {
    read_flat(node, out, sink);
  } else {
    sink.error(node.where,
               "architecture must be a mapping with 'subtree' (Accelergy "
               "v0.2-v0.4 tree) or with 'storage' and 'arithmetic', got " +
                   node.describe());
    return std::nullopt;
  }
  ArchInfo& info = out.info;
  if (!out.has_compute && sink.error_count() == before)
    sink.error(node.where,
               "architecture: no compute component (a class containing mac "
               "or compute, e.g. intmac)");
  if (info.arch.levels.empty() && sink.error_count() == before)
    sink.error(node.where, "architecture: no storage component");
  if (info.arch.levels.size() > kMaxLevels)
    sink.error(node.where, "architecture: " + std::to_string(info.arch.levels.size()) +
                               " storage levels, at most " + std::to_string(kMaxLevels) +
                               " are supported");
  if (sink.error_count() != before) return std::nullopt;
  // Read outermost first; Outpace stores innermost first.
  std::reverse(info.arch.levels.begin(), info.arch.levels.end());
  std::reverse(info.level_places.begin(), info.level_places.end());
  std::reverse(info.user_energy.begin(), info.user_energy.end());
  std::reverse(info.timeloop_energy.begin(), info.timeloop_energy.end());
  info.arch.technology = out.technology.empty() ? arch::kDefaultTechnology : out.technology;
  if (info.arch.technology != arch::kDefaultTechnology)
    sink.warning(out.technology_place,
                 "technology '" + out.technology + "' is not modelled: Outpace's energy and area " +
                     "table is for " + arch::kDefaultTechnology +
                     "; areas, and the energies when no ERT is given, come from it");
  check_arch(info, node.where, sink);
  if (sink.error_count() != before) return std::nullopt;
  return std::move(info);
}

}  // namespace outpace::io::timeloop
