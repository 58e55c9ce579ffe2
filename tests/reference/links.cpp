// Timeloop v3.0.3's link transfers between neighbouring instances (docs/timeloop-semantics.md,
// rule 4), on the simulator's explicit deltas.
#include <algorithm>

#include "reference/nest.hpp"

namespace outpace::reference::sim_detail {

LinkMesh link_mesh(const Nest& n, const arch::Arch& a, int l) {
  std::vector<Loop> loops;  // the level's spatial loops, outermost first (simulator numbering)
  for (const Loop& loop : n.spatial)
    if (loop.level == l) loops.push_back(loop);
  std::int64_t children = 1, along_x = 1, along_y = 1;
  for (const Loop& loop : loops) {
    children *= loop.factor;
    (loop.axis == mapping::Axis::X ? along_x : along_y) *= loop.factor;
  }
  LinkMesh mesh;
  mesh.h = std::max(a.fanout_x(l), along_x);
  mesh.v = std::max(a.fanout_y(l), along_y);
  mesh.index_of.resize(static_cast<std::size_t>(children));
  mesh.child_at.resize(static_cast<std::size_t>(children));
  for (std::int64_t child = 0; child < children; ++child) {
    std::vector<std::int64_t> digit(loops.size());
    std::int64_t rest = child;
    for (std::size_t j = loops.size(); j-- > 0;)
      digit[j] = rest % loops[j].factor, rest /= loops[j].factor;
    std::int64_t x = 0, y = 0, x_radix = 1, y_radix = 1;
    for (std::size_t j = 0; j < loops.size(); ++j) {
      std::int64_t& coordinate = loops[j].axis == mapping::Axis::X ? x : y;
      std::int64_t& radix = loops[j].axis == mapping::Axis::X ? x_radix : y_radix;
      coordinate += digit[j] * radix;
      radix *= loops[j].factor;
    }
    const std::int64_t index = x + along_x * y;
    mesh.index_of[static_cast<std::size_t>(child)] = index;
    mesh.child_at[static_cast<std::size_t>(index)] = child;
  }
  return mesh;
}

std::vector<bool> linked_children(const LinkMesh& mesh, const std::vector<const Points*>& now,
                                  const std::vector<const Points*>& prev) {
  const auto children = static_cast<std::int64_t>(now.size());
  std::vector<bool> linked(now.size(), false);
  for (std::int64_t child = 0; child < children; ++child) {
    const Points& delta = *now[static_cast<std::size_t>(child)];
    if (delta.empty()) continue;
    const std::int64_t index = mesh.index_of[static_cast<std::size_t>(child)];
    const std::int64_t h = index % mesh.h, v = index / mesh.h;
    const std::int64_t neighbours[4][2] = {{h - 1, v}, {h + 1, v}, {h, v - 1}, {h, v + 1}};
    for (const auto& [nh, nv] : neighbours) {
      if (nh < 0 || nh >= mesh.h || nv < 0 || nv >= mesh.v) continue;
      const std::int64_t j = nh + mesh.h * nv;
      if (j >= children) continue;  // no child there
      if (*prev[static_cast<std::size_t>(mesh.child_at[static_cast<std::size_t>(j)])] == delta)
        linked[static_cast<std::size_t>(child)] = true;
    }
  }
  return linked;
}

}  // namespace outpace::reference::sim_detail
