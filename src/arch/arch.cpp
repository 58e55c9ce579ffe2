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

std::string mesh_rule(const std::string& who, std::int64_t instances, std::int64_t mesh_x) {
  if (instances < 1) return who + ": instances " + std::to_string(instances) + " must be at least 1";
  if (mesh_x < 1 || instances % mesh_x != 0)
    return who + ": meshX " + std::to_string(mesh_x) + " must divide instances (" +
           std::to_string(instances) + ")";
  return {};
}

void check_level(const StorageLevel& level, std::vector<std::string>& errors) {
  const std::string who = "level '" + level.name + "'";
  if (level.capacity_words && *level.capacity_words < 1)
    errors.push_back(who + ": capacity " + std::to_string(*level.capacity_words) +
                     " words must be positive");
  if (level.word_bits < 1)
    errors.push_back(who + ": word bits " + std::to_string(level.word_bits) + " must be positive");
  if (level.block_size < 1)
    errors.push_back(who + ": block size " + std::to_string(level.block_size) + " must be positive");
  for (double bw : {level.read_bandwidth, level.write_bandwidth,
                    level.update_bandwidth.value_or(kUnbounded)})
    if (!(bw > 0)) errors.push_back(who + ": bandwidth must be positive");
  if (std::string e = mesh_rule(who, level.instances, level.mesh_x); !e.empty())
    errors.push_back(e);
}

}  // namespace

std::vector<std::string> check(const Arch& arch) {
  std::vector<std::string> errors;
  if (arch.levels.empty()) errors.push_back("architecture '" + arch.name + "': has no storage level");
  std::set<std::string> names;
  for (const StorageLevel& level : arch.levels) {
    if (!names.insert(level.name).second)
      errors.push_back("level '" + level.name + "': name used twice");
    check_level(level, errors);
  }
  const std::string mac = "compute '" + arch.compute.name + "'";
  if (std::string e = mesh_rule(mac, arch.compute.instances, arch.compute.mesh_x); !e.empty())
    errors.push_back(e);
  if (!errors.empty()) return errors;
  // Each level's mesh must divide its children's mesh evenly in both directions.
  for (int l = 0; l < arch.num_levels(); ++l) {
    const StorageLevel& level = arch.levels[l];
    const std::int64_t cx = l == 0 ? arch.compute.mesh_x : arch.levels[l - 1].mesh_x;
    const std::int64_t cy = l == 0 ? arch.compute.mesh_y() : arch.levels[l - 1].mesh_y();
    const std::string child = l == 0 ? mac : "level '" + arch.levels[l - 1].name + "'";
    if (cx % level.mesh_x != 0 || cy % level.mesh_y() != 0)
      errors.push_back(child + ": its " + std::to_string(cx) + "x" + std::to_string(cy) +
                       " mesh is not a whole multiple of the " + std::to_string(level.mesh_x) +
                       "x" + std::to_string(level.mesh_y()) + " mesh of level '" + level.name +
                       "' above it");
  }
  return errors;
}

}  // namespace outpace::arch
