// Fidelity against Timeloop: every case folder under timeloop/ holds Timeloop-format spec files
// (arch, problem, mapping, ERT; a sparse case also sparse.yaml, Sparseloop's
// sparse_optimizations) and the figures timeloop-model v3.0.3 reported for them
// (expected.yaml). Each case is read with io::load_timeloop, evaluated with model::evaluate under
// model::kTimeloopOptions (what `outpace eval --timeloop` uses) and compared: per level and data
// space the used instances and the per-instance reads, fills and updates exactly, the energy of
// each level's data space and the total energy within 0.1%, the cycles exactly. Where Outpace is
// still known to differ from Timeloop, expected.yaml lists the figure under `differences` with both
// values and the reason (timeloop/README.md); Outpace must then give the listed `outpace` value.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/text_file.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "io/yaml/object_reader.hpp"
#include "io/yaml/yaml.hpp"
#include "model/evaluate.hpp"

namespace outpace {
namespace {

namespace fs = std::filesystem;

/// The folder that holds one sub-folder per case.
fs::path cases_dir() { return fs::path(OUTPACE_SOURCE_DIR) / "tests" / "golden" / "timeloop"; }

/// Names of the case folders, sorted.
std::vector<std::string> case_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cases_dir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected.yaml")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// One figure Outpace is known to compute differently from Timeloop.
struct Difference {
  std::string level;       ///< empty for a whole-run figure
  std::string data_space;  ///< empty for a whole-run figure
  std::string figure;      ///< reads, fills, updates or energy_pj
  double outpace = 0;
};

/// Timeloop's figures for one data space at one level (per instance).
struct ExpectedSpace {
  std::string name;
  std::int64_t instances = 0, reads = 0, fills = 0, updates = 0;
  /// Sparse cases only (0 when not given): the accesses a feature gated or skipped.
  std::int64_t gated_reads = 0, skipped_reads = 0, gated_updates = 0, skipped_updates = 0;
  double energy_pj = 0;
};

/// Timeloop's figures for one storage level.
struct ExpectedLevel {
  std::string name;
  std::vector<ExpectedSpace> spaces;
};

/// Everything expected.yaml records.
struct Expected {
  std::int64_t computes = 0, cycles = 0, used_macs = 0;
  /// Sparse cases only: the MACs that run (the algorithmic ones when not given), are gated and
  /// are skipped.
  std::optional<std::int64_t> actual_computes;
  std::int64_t gated_computes = 0, skipped_computes = 0;
  double energy_pj = 0, mac_energy_pj = 0, utilization = 0;
  std::vector<ExpectedLevel> levels;
  std::vector<Difference> differences;
};

/// Reads expected.yaml; a malformed file throws ConfigError with every problem.
Expected read_expected(const std::string& path) {
  DiagnosticSink sink;
  const std::optional<io::YamlNode> root = io::parse_yaml(read_text_file(path), path, sink);
  sink.throw_if_any();
  Expected e;
  // Required keys: a missing one is reported against the node that should hold it.
  auto get = [&](const io::YamlNode& node, const char* key) -> const io::YamlNode* {
    const io::YamlNode* v = node.find(key);
    if (!v) sink.error(node.where, std::string("missing key '") + key + "'");
    return v;
  };
  auto integer = [&](const io::YamlNode& node, const char* key) -> std::int64_t {
    const io::YamlNode* v = get(node, key);
    return v ? io::read_int(*v, key, 0, std::int64_t{1} << 62, sink).value_or(0) : 0;
  };
  auto number = [&](const io::YamlNode& node, const char* key) -> double {
    const io::YamlNode* v = get(node, key);
    return v ? io::read_double(*v, key, -1e300, 1e300, sink).value_or(0) : 0;
  };
  auto text = [&](const io::YamlNode& node, const char* key) -> std::string {
    const io::YamlNode* v = get(node, key);
    return v ? io::read_string(*v, key, sink).value_or("") : "";
  };
  auto list = [&](const io::YamlNode& node, const char* key) {
    const io::YamlNode* v = get(node, key);
    std::vector<const io::YamlNode*> items;
    if (v && !v->is_null()) items = io::read_list(*v, key, sink).value_or(items);
    return items;
  };

  auto optional = [&](const io::YamlNode& node, const char* key) -> std::int64_t {
    return node.find(key) ? integer(node, key) : 0;
  };
  e.computes = integer(*root, "computes");
  if (root->find("actual_computes")) e.actual_computes = integer(*root, "actual_computes");
  e.gated_computes = optional(*root, "gated_computes");
  e.skipped_computes = optional(*root, "skipped_computes");
  e.energy_pj = number(*root, "energy_pj");
  e.cycles = integer(*root, "cycles");
  e.utilization = number(*root, "utilization");
  if (const io::YamlNode* compute = get(*root, "compute")) {
    e.used_macs = integer(*compute, "utilized_instances");
    e.mac_energy_pj = number(*compute, "energy_pj");
  }
  for (const io::YamlNode* lv : list(*root, "levels")) {
    ExpectedLevel level;
    level.name = text(*lv, "name");
    for (const io::YamlNode* ds : list(*lv, "data_spaces")) {
      ExpectedSpace s;
      s.name = text(*ds, "name");
      s.instances = integer(*ds, "instances");
      s.reads = integer(*ds, "reads");
      s.fills = integer(*ds, "fills");
      s.updates = integer(*ds, "updates");
      s.gated_reads = optional(*ds, "gated_reads");
      s.skipped_reads = optional(*ds, "skipped_reads");
      s.gated_updates = optional(*ds, "gated_updates");
      s.skipped_updates = optional(*ds, "skipped_updates");
      s.energy_pj = number(*ds, "energy_pj");
      level.spaces.push_back(s);
    }
    e.levels.push_back(level);
  }
  for (const io::YamlNode* d : list(*root, "differences")) {
    Difference diff;
    if (d->find("level")) diff.level = text(*d, "level");
    if (d->find("data_space")) diff.data_space = text(*d, "data_space");
    diff.figure = text(*d, "figure");
    diff.outpace = number(*d, "outpace");
    e.differences.push_back(diff);
  }
  sink.throw_if_any();
  return e;
}

/// The value Outpace must give: the recorded difference if there is one, else Timeloop's.
double target(const Expected& e, const std::string& level, const std::string& space,
              const std::string& figure, double timeloop) {
  for (const Difference& d : e.differences) {
    if (d.level == level && d.data_space == space && d.figure == figure) return d.outpace;
  }
  return timeloop;
}

/// True when a and b agree within 0.1% (or 0.01 pJ, the precision Timeloop prints).
bool close(double a, double b) { return std::fabs(a - b) <= std::max(1e-3 * std::fabs(b), 0.011); }

class TimeloopFidelity : public ::testing::TestWithParam<std::string> {};

TEST_P(TimeloopFidelity, CountsAndEnergyMatchTimeloop) {
  const std::string name = GetParam();
  const fs::path dir = cases_dir() / name;
  io::TimeloopSpec spec;
  std::vector<std::string> files = {(dir / "arch.yaml").string(), (dir / "problem.yaml").string(),
                                    (dir / "mapping.yaml").string(), (dir / "ERT.yaml").string()};
  if (fs::exists(dir / "sparse.yaml")) files.push_back((dir / "sparse.yaml").string());
  try {
    spec = io::load_timeloop(files);
  } catch (const ConfigError& err) {
    std::string all;
    for (const Diagnostic& d : err.diagnostics()) all += "\n  " + d.str();
    FAIL() << "case '" << name << "': load_timeloop failed:" << all;
  }
  ASSERT_TRUE(spec.problem && spec.arch && spec.mapping)
      << "case '" << name << "': load_timeloop gave no problem, arch or mapping";
  const workload::Einsum& einsum = *spec.problem;
  const arch::Arch& arch = *spec.arch;
  model::Options options = model::kTimeloopOptions;
  if (spec.sparsity) options.sparsity = &*spec.sparsity;
  const model::Result r = model::evaluate(einsum, arch, *spec.mapping, options);
  std::string violations;
  for (const mapping::Violation& v : r.violations.items) {
    violations += "\n  " + mapping::describe(v, einsum, arch);
  }
  ASSERT_TRUE(r.valid) << "case '" << name << "': Timeloop ran this mapping, Outpace rejects it:"
                       << violations;
  const Expected e = read_expected((dir / "expected.yaml").string());

  EXPECT_EQ(r.macs, e.computes) << "case '" << name << "': MACs";
  EXPECT_EQ(r.actual_macs, e.actual_computes.value_or(e.computes))
      << "case '" << name << "': actual MACs";
  EXPECT_EQ(r.gated_macs, e.gated_computes) << "case '" << name << "': gated MACs";
  EXPECT_EQ(r.skipped_macs, e.skipped_computes) << "case '" << name << "': skipped MACs";
  EXPECT_EQ(r.used_macs, e.used_macs) << "case '" << name << "': utilized MAC instances";
  EXPECT_EQ(r.cycles, e.cycles) << "case '" << name << "': cycles";
  EXPECT_NEAR(r.utilization, e.utilization, 0.005) << "case '" << name << "': utilization";
  EXPECT_TRUE(close(r.mac_energy_pj, e.mac_energy_pj))
      << "case '" << name << "': MAC energy: Outpace " << r.mac_energy_pj << " pJ, Timeloop "
      << e.mac_energy_pj << " pJ";
  const double total = target(e, "", "", "energy_pj", e.energy_pj);
  EXPECT_LE(std::fabs(r.energy_pj - total), 1e-3 * total)
      << "case '" << name << "': total energy: Outpace " << r.energy_pj << " pJ, expected "
      << total << " pJ (Timeloop " << e.energy_pj << " pJ)";

  ASSERT_EQ(static_cast<int>(e.levels.size()), arch.num_levels())
      << "case '" << name << "': storage levels";
  for (const ExpectedLevel& lv : e.levels) {
    const int l = arch.level_index(lv.name);
    ASSERT_GE(l, 0) << "case '" << name << "': no level '" << lv.name << "' in Outpace's arch";
    const model::LevelStats& stats = r.levels[l];
    // Timeloop prints exactly the data spaces a level keeps.
    std::vector<bool> listed(einsum.num_tensors(), false);
    for (const ExpectedSpace& s : lv.spaces) {
      const int t = einsum.tensor_index(s.name);
      ASSERT_GE(t, 0) << "case '" << name << "': no data space '" << s.name << "'";
      listed[t] = true;
    }
    for (int t = 0; t < einsum.num_tensors(); ++t) {
      EXPECT_EQ(stats.tensors[t].kept, listed[t])
          << "case '" << name << "', level '" << lv.name << "', data space '"
          << einsum.tensors[t].name << "': kept by " << (listed[t] ? "Timeloop" : "Outpace")
          << " only";
    }
    for (const ExpectedSpace& s : lv.spaces) {
      const model::TensorStats& ts = stats.tensors[einsum.tensor_index(s.name)];
      const std::string where = "case '" + name + "', level '" + lv.name + "', data space '" +
                                s.name + "', ";
      EXPECT_EQ(stats.used_instances, s.instances) << where << "instances";
      if (stats.used_instances <= 0) continue;
      const struct {
        const char* action;
        std::int64_t outpace_total;
        std::int64_t timeloop;
      } counts[] = {{"reads", ts.reads, s.reads},
                    {"fills", ts.fills, s.fills},
                    {"updates", ts.updates, s.updates},
                    {"gated_reads", ts.gated_reads, s.gated_reads},
                    {"skipped_reads", ts.skipped_reads, s.skipped_reads},
                    {"gated_updates", ts.gated_updates, s.gated_updates},
                    {"skipped_updates", ts.skipped_updates, s.skipped_updates}};
      for (const auto& c : counts) {
        const double want = target(e, lv.name, s.name, c.action, static_cast<double>(c.timeloop));
        // Outpace's counts are summed over the used instances, Timeloop's are per instance.
        EXPECT_EQ(c.outpace_total, static_cast<std::int64_t>(want) * stats.used_instances)
            << where << c.action << " per instance: Outpace "
            << static_cast<double>(c.outpace_total) / static_cast<double>(stats.used_instances)
            << ", expected " << want << " (Timeloop " << c.timeloop << ")";
      }
      const double want_e = target(e, lv.name, s.name, "energy_pj", s.energy_pj);
      EXPECT_TRUE(close(ts.energy_pj, want_e))
          << where << "energy: Outpace " << ts.energy_pj << " pJ, expected " << want_e
          << " pJ (Timeloop " << s.energy_pj << " pJ)";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, TimeloopFidelity, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

/// The suite must not silently shrink: at least the eight documented kinds of case.
TEST(TimeloopFidelitySuite, HasAtLeastEightCases) { EXPECT_GE(case_names().size(), 8u); }

}  // namespace
}  // namespace outpace
