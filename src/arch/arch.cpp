#include "arch/arch.hpp"

#include <set>

namespace outpace::arch {

int Arch::level_index(const std::string& name) const {
  for (int i = 0; i < num_levels(); ++i)
    if (levels[i].name == name) return i;
  return -1;
}

std::int64_t Arch::fanout_x(int l) const {
  const std::int64_t child = l == 0 ? compute.mesh_x : levels[l - 1].mesh_x;
  return child / levels[l].mesh_x;
}

std::int64_t Arch::fanout_y(int l) const {
  const std::int64_t child = l == 0 ? compute.mesh_y() : levels[l - 1].mesh_y();
  return child / levels[l].mesh_y();
}

double Arch::area_um2() const {
  double area = static_cast<double>(compute.instances) * compute.area_um2;
  for (const StorageLevel& level : levels) area += static_cast<double>(level.instances) * level.area_um2;
  return area;
}

namespace {

/// The rule an instance count and its meshX break, or nothing.
std::string mesh_rule(std::int64_t instances, std::int64_t mesh_x) {
  if (instances < 1) return "instances " + std::to_string(instances) + " must be at least 1";
  if (mesh_x < 1 || instances % mesh_x != 0)
    return "meshX " + std::to_string(mesh_x) + " must divide instances (" +
           std::to_string(instances) + ")";
  return {};
}

void check_level(const StorageLevel& level, int l, std::vector<Violation>& out) {
  const std::string who = "level '" + level.name + "'";
  const auto add = [&](std::string message) {
    out.push_back({Subject::kLevel, l, who + ": " + std::move(message)});
  };
  if (level.capacity_words && *level.capacity_words < 1)
    add("capacity " + std::to_string(*level.capacity_words) + " words must be positive");
  if (level.word_bits < 1)
    add("word bits " + std::to_string(level.word_bits) + " must be positive");
  if (level.block_size < 1)
    add("block size " + std::to_string(level.block_size) + " must be positive");
  for (const Bandwidth& bw :
       {level.read_bandwidth, level.write_bandwidth, level.update_bandwidth.value_or(kUnbounded)})
    if (!bw.unbounded() && bw.num() <= 0) add("bandwidth must be positive");
  if (std::string e = mesh_rule(level.instances, level.mesh_x); !e.empty()) add(e);
  if (level.cluster_size < 1 || (level.instances >= 1 && level.instances % level.cluster_size != 0))
    add("cluster size " + std::to_string(level.cluster_size) + " must divide instances (" +
        std::to_string(level.instances) + ")");
}

}  // namespace

std::vector<Violation> check(const Arch& arch) {
  std::vector<Violation> out;
  if (arch.levels.empty())
    out.push_back({Subject::kArch, -1, "architecture '" + arch.name + "': has no storage level"});
  std::set<std::string> names;
  for (int l = 0; l < arch.num_levels(); ++l) {
    const StorageLevel& level = arch.levels[l];
    if (!names.insert(level.name).second)
      out.push_back({Subject::kLevel, l, "level '" + level.name + "': name used twice"});
    check_level(level, l, out);
  }
  const std::string mac = "compute '" + arch.compute.name + "'";
  if (std::string e = mesh_rule(arch.compute.instances, arch.compute.mesh_x); !e.empty())
    out.push_back({Subject::kCompute, -1, mac + ": " + e});
  if (!out.empty()) return out;
  // Each level's mesh must divide its children's mesh evenly in both directions; the rule is
  // placed at the child.
  for (int l = 0; l < arch.num_levels(); ++l) {
    const StorageLevel& level = arch.levels[l];
    const std::int64_t cx = l == 0 ? arch.compute.mesh_x : arch.levels[l - 1].mesh_x;
    const std::int64_t cy = l == 0 ? arch.compute.mesh_y() : arch.levels[l - 1].mesh_y();
    const std::string child = l == 0 ? mac : "level '" + arch.levels[l - 1].name + "'";
    if (cx % level.mesh_x != 0 || cy % level.mesh_y() != 0)
      out.push_back({l == 0 ? Subject::kCompute : Subject::kLevel, l - 1,
                     child + ": its " + std::to_string(cx) + "x" + std::to_string(cy) +
                         " mesh is not a whole multiple of the " + std::to_string(level.mesh_x) +
                         "x" + std::to_string(level.mesh_y()) + " mesh of level '" + level.name +
                         "' above it"});
  }
  return out;
}

std::vector<std::string> check_messages(const Arch& arch) {
  std::vector<std::string> out;
  for (const Violation& v : check(arch)) out.push_back(v.message);
  return out;
}

}  // namespace outpace::arch
