#include "reference/random_cases.hpp"

#include <algorithm>
#include <iterator>
#include <sstream>
#include <vector>

#include "workload/builders.hpp"

namespace outpace::reference {

namespace {

/// Uniform integer in [lo, hi].
std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

/// True with probability p.
bool chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }

workload::ConvShape random_conv_shape(std::mt19937_64& rng) {
  workload::ConvShape s;
  s.n = pick(rng, 1, 2), s.k = pick(rng, 1, 3), s.c = pick(rng, 1, 3);
  s.p = pick(rng, 1, 4), s.q = pick(rng, 1, 4), s.r = pick(rng, 1, 3), s.s = pick(rng, 1, 3);
  s.stride_h = pick(rng, 1, 5), s.stride_w = pick(rng, 1, 5);
  s.dilation_h = pick(rng, 1, 4), s.dilation_w = pick(rng, 1, 4);
  s.groups = pick(rng, 1, 3);
  return s;
}

/// An affine input tensor over a random subset of the dimensions, each used at most once.
workload::Tensor random_input(std::mt19937_64& rng, int dims, const std::string& name) {
  std::vector<int> used;
  for (int d = 0; d < dims; ++d)
    if (chance(rng, 0.6)) used.push_back(d);
  if (used.empty()) used.push_back(static_cast<int>(pick(rng, 0, dims - 1)));
  std::shuffle(used.begin(), used.end(), rng);
  workload::Tensor t;
  t.name = name;
  for (std::size_t i = 0; i < used.size();) {
    workload::TensorDim td;
    const std::size_t terms = std::min<std::size_t>(used.size() - i, pick(rng, 1, 4));
    for (std::size_t j = 0; j < terms; ++j)
      td.terms.push_back({used[i + j], chance(rng, 0.7) ? pick(rng, 1, 3) : pick(rng, 4, 6)});
    i += terms;
    t.dims.push_back(td);
  }
  return t;
}

/// A random Einsum of 2-5 dimensions (bounds 1-6) and 2-4 tensors.
workload::Einsum random_affine_einsum(std::mt19937_64& rng) {
  workload::Einsum e;
  e.name = "random";
  const int dims = static_cast<int>(pick(rng, 2, 5));
  for (int d = 0; d < dims; ++d) {
    e.dim_names.push_back(std::string(1, static_cast<char>('A' + d)));
    e.bounds.push_back(pick(rng, 1, 6));
  }
  workload::Tensor out;
  out.name = "Out";
  out.is_output = true;
  std::vector<int> order(dims);
  for (int d = 0; d < dims; ++d) order[d] = d;
  std::shuffle(order.begin(), order.end(), rng);
  for (int d : order)
    if (chance(rng, 0.6)) out.dims.push_back(workload::TensorDim{{workload::Term{d, 1}}});
  if (out.dims.empty()) out.dims.push_back(workload::TensorDim{{workload::Term{order[0], 1}}});
  const int inputs = static_cast<int>(pick(rng, 1, 3));
  for (int i = 0; i < inputs; ++i)
    e.tensors.push_back(random_input(rng, dims, "In" + std::to_string(i)));
  e.tensors.insert(e.tensors.begin() + pick(rng, 0, inputs), out);
  return e;
}

/// The prime factors of n, smallest first.
std::vector<std::int64_t> prime_factors(std::int64_t n) {
  std::vector<std::int64_t> primes;
  for (std::int64_t p = 2; p * p <= n; ++p)
    for (; n % p == 0; n /= p) primes.push_back(p);
  if (n > 1) primes.push_back(n);
  return primes;
}

/// Factors of one level while a mapping is drawn: temporal and spatial per dimension.
struct LevelDraw {
  std::vector<std::int64_t> temporal, spatial;
  std::vector<mapping::Axis> axis;
  std::vector<bool> has_spatial;
  std::int64_t used_x = 1, used_y = 1;
};

/// Places one prime factor of dimension d on level `ld`, spatially if the fanout allows.
void place_factor(std::mt19937_64& rng, LevelDraw& ld, int d, std::int64_t prime,
                  std::int64_t fanout_x, std::int64_t fanout_y, double spatial_chance) {
  if (chance(rng, spatial_chance)) {
    const mapping::Axis axis = ld.has_spatial[d]  ? ld.axis[d]
                               : chance(rng, 0.5) ? mapping::Axis::X
                                                  : mapping::Axis::Y;
    std::int64_t& used = axis == mapping::Axis::X ? ld.used_x : ld.used_y;
    if (used * prime <= (axis == mapping::Axis::X ? fanout_x : fanout_y)) {
      used *= prime;
      ld.spatial[d] *= prime;
      ld.axis[d] = axis;
      ld.has_spatial[d] = true;
      return;
    }
  }
  ld.temporal[d] *= prime;
}

/// The loops of one drawn level in a random order, with some factor-1 loops thrown in.
mapping::LevelMapping level_loops(std::mt19937_64& rng, const LevelDraw& ld) {
  mapping::LevelMapping lm;
  const int dims = static_cast<int>(ld.temporal.size());
  std::vector<int> order(dims);
  for (int d = 0; d < dims; ++d) order[d] = d;
  std::shuffle(order.begin(), order.end(), rng);
  for (int d : order)
    if (ld.temporal[d] > 1 || chance(rng, 0.1)) lm.temporal.push_back({d, ld.temporal[d]});
  std::shuffle(order.begin(), order.end(), rng);
  for (int d : order)
    if (ld.has_spatial[d] || chance(rng, 0.05))
      lm.spatial.push_back({d, ld.spatial[d], ld.has_spatial[d] ? ld.axis[d] : mapping::Axis::X});
  return lm;
}

std::string index_text(const workload::Einsum& e, const workload::TensorDim& td) {
  std::string s;
  for (const workload::Term& term : td.terms) {
    if (!s.empty()) s += "+";
    s += (term.coef == 1 ? "" : std::to_string(term.coef) + "*") + e.dim_names[term.dim];
  }
  return s;
}

}  // namespace

workload::Einsum random_einsum(std::mt19937_64& rng, std::int64_t max_macs) {
  for (;;) {
    workload::Einsum e;
    switch (pick(rng, 0, 5)) {
      case 0:
        e = workload::conv2d("conv2d", random_conv_shape(rng));
        break;
      case 1:
        e = workload::depthwise_conv2d("depthwise", random_conv_shape(rng));
        break;
      case 2:
        e = workload::grouped_conv2d("grouped", random_conv_shape(rng));
        break;
      case 3:
        e = workload::gemm("gemm", pick(rng, 1, 8), pick(rng, 1, 8), pick(rng, 1, 8));
        break;
      case 4:
        e = workload::batched_matmul("bmm", pick(rng, 1, 3), pick(rng, 1, 5), pick(rng, 1, 5),
                                     pick(rng, 1, 5));
        break;
      default:
        e = random_affine_einsum(rng);
        break;
    }
    if (e.macs() <= max_macs) return e;
  }
}

arch::Arch random_arch(std::mt19937_64& rng) {
  static const std::int64_t kSplits[] = {1, 1, 1, 2, 2, 3, 4};
  // A split that keeps each mesh side at most `side_limit` (8, or 16 for a tenth of the
  // architectures: meshes above 8).
  const std::int64_t side_limit = chance(rng, 0.1) ? 16 : 8;
  auto split = [&rng, side_limit](std::int64_t side) {
    const std::int64_t f = kSplits[pick(rng, 0, 6)];
    return side * f <= side_limit ? f : 1;
  };
  arch::Arch a;
  a.name = "random";
  // Mostly 2 to 4 levels; 1 level and 5 to 8 levels a tenth of the time each.
  const double r = std::uniform_real_distribution<double>(0, 1)(rng);
  const int levels = static_cast<int>(r < 0.1 ? 1 : r < 0.2 ? pick(rng, 5, 8) : pick(rng, 2, 4));
  a.levels.resize(levels);
  // The mesh of the level being built, from the outermost down; the outermost level has
  // several instances a fifth of the time.
  std::int64_t mx = chance(rng, 0.2) ? pick(rng, 1, 3) : 1,
               my = chance(rng, 0.2) ? pick(rng, 1, 2) : 1;
  for (int l = levels - 1; l >= 0; --l) {
    if (l < levels - 1) mx *= split(mx), my *= split(my);
    arch::StorageLevel& level = a.levels[l];
    level.name = "L" + std::to_string(l);
    level.instances = mx * my;
    level.mesh_x = mx;
  }
  mx *= split(mx), my *= split(my);
  a.compute.instances = mx * my;
  a.compute.mesh_x = mx;
  return a;
}

namespace {

/// A random energy or area: 0 sometimes, otherwise a number with a fractional part.
double random_figure(std::mt19937_64& rng, double hi) {
  if (chance(rng, 0.15)) return 0;
  return std::uniform_real_distribution<double>(0, hi)(rng);
}

/// A random port: unbounded half the time, otherwise a decimal of words per cycle, often
/// fractional (0.7 is 7/10 exactly), low enough that the port often limits the cycles.
arch::Bandwidth random_bandwidth(std::mt19937_64& rng) {
  static const char* const kDecimals[] = {"0.1", "0.25", "0.3", "0.7", "1",   "1.3", "1.5",
                                          "2",   "2.5",  "3",   "3.7", "4.2", "8",   "0.05"};
  if (chance(rng, 0.5)) return arch::kUnbounded;
  return *arch::Bandwidth::parse(kDecimals[pick(rng, 0, std::size(kDecimals) - 1)]);
}

}  // namespace

void set_random_costs(std::mt19937_64& rng, arch::Arch& a) {
  static const int kWordBits[] = {8, 16, 32};
  for (arch::StorageLevel& level : a.levels) {
    level.word_bits = kWordBits[pick(rng, 0, 2)];
    level.block_size = chance(rng, 0.5) ? 1 : static_cast<int>(pick(rng, 2, 4));
    level.read_bandwidth = random_bandwidth(rng);
    level.write_bandwidth = random_bandwidth(rng);
    if (chance(rng, 0.3)) level.update_bandwidth = random_bandwidth(rng);
    level.energy.read_pj = random_figure(rng, 50);
    level.energy.write_pj = random_figure(rng, 50);
    level.energy.update_pj = random_figure(rng, 50);
    level.energy.leak_pj_per_cycle = chance(rng, 0.5) ? random_figure(rng, 2) : 0;
    level.area_um2 = random_figure(rng, 1e5);
  }
  a.compute.operand_bits = kWordBits[pick(rng, 0, 2)];
  a.compute.mac_energy_pj = random_figure(rng, 4);
  a.compute.area_um2 = random_figure(rng, 4000);
}

mapping::Mapping random_mapping(std::mt19937_64& rng, const workload::Einsum& e,
                                const arch::Arch& a, double spatial_chance) {
  const int dims = e.num_dims(), levels = a.num_levels();
  std::vector<LevelDraw> draws(levels);
  for (LevelDraw& ld : draws) {
    ld.temporal.assign(dims, 1), ld.spatial.assign(dims, 1);
    ld.axis.assign(dims, mapping::Axis::X), ld.has_spatial.assign(dims, false);
  }
  for (int d = 0; d < dims; ++d)
    for (std::int64_t prime : prime_factors(e.bounds[d])) {
      const int l = static_cast<int>(pick(rng, 0, levels - 1));
      place_factor(rng, draws[l], d, prime, a.fanout_x(l), a.fanout_y(l), spatial_chance);
    }
  mapping::Mapping m;
  for (int l = 0; l < levels; ++l) {
    mapping::LevelMapping lm = level_loops(rng, draws[l]);
    for (int t = 0; t < e.num_tensors(); ++t)
      if (l == levels - 1 || chance(rng, 0.6)) lm.keep |= 1u << t;
    m.levels.push_back(lm);
  }
  return m;
}

workload::Einsum random_window_einsum(std::mt19937_64& rng, std::int64_t max_macs) {
  static const std::int64_t kComposite[] = {4, 6, 8, 9, 12, 16, 18};
  for (;;) {
    workload::ConvShape s = random_conv_shape(rng);
    s.p = kComposite[pick(rng, 0, 6)];  // long rows, split over several loops
    s.r = pick(rng, 1, 5);
    if (chance(rng, 0.5)) s.q = 1, s.s = 1;  // 1-D half the time, with more room for P
    workload::Einsum e;
    switch (pick(rng, 0, 2)) {
      case 0:
        e = workload::conv2d("conv2d", s);
        break;
      case 1:
        e = workload::depthwise_conv2d("depthwise", s);
        break;
      default:
        e = workload::grouped_conv2d("grouped", s);
        break;
    }
    if (e.macs() <= max_macs) return e;
  }
}

Case random_case(std::mt19937_64& rng, std::int64_t max_macs, bool windows_only,
                 double spatial_chance) {
  Case c;
  c.einsum = windows_only ? random_window_einsum(rng, max_macs) : random_einsum(rng, max_macs);
  c.arch = random_arch(rng);
  set_random_costs(rng, c.arch);
  c.mapping = random_mapping(rng, c.einsum, c.arch, spatial_chance);
  return c;
}

void make_imperfect(std::mt19937_64& rng, Case& c) {
  for (int d = 0; d < c.einsum.num_dims(); ++d) {
    std::int64_t inside = 1, lowest = 1;  // the bound must exceed (factor - 1) x inside, per loop
    auto visit = [&](int dim, std::int64_t factor) {
      if (dim != d) return;
      lowest = std::max(lowest, (factor - 1) * inside + 1);
      inside *= factor;
    };
    for (const mapping::LevelMapping& lm : c.mapping.levels) {  // innermost first
      for (const mapping::SpatialLoop& s : lm.spatial) visit(s.dim, s.factor);
      for (const mapping::TemporalLoop& t : lm.temporal) visit(t.dim, t.factor);
    }
    c.einsum.bounds[d] = std::uniform_int_distribution<std::int64_t>(lowest, std::max(lowest, inside - 1))(rng);
  }
}

void set_random_capacities(std::mt19937_64& rng, Case& c, const SimResult& sim) {
  for (int l = 0; l < c.arch.num_levels(); ++l) {  // the outermost too, less often
    if (!chance(rng, l + 1 < c.arch.num_levels() ? 0.5 : 0.25)) continue;
    std::int64_t need = 0;
    for (const SimTensor& t : sim.levels[l].tensors) need += t.tile_words;
    c.arch.levels[l].capacity_words = std::max<std::int64_t>(1, need + pick(rng, -2, 2));
  }
}

std::string describe_case(const Case& c) {
  const workload::Einsum& e = c.einsum;
  std::ostringstream os;
  if (c.options.multicast_identical_only) os << "options: multicast of identical deltas only\n";
  if (c.options.reset_on_stride_change) os << "options: reset on stride change\n";
  if (c.options.extrapolate_temporal) os << "options: temporal extrapolation\n";
  if (c.options.whole_vector_accesses) os << "options: whole vector accesses\n";
  if (c.options.cluster_energy) os << "options: energy per used cluster\n";
  os << "einsum '" << e.name << "':";
  for (int d = 0; d < e.num_dims(); ++d) os << " " << e.dim_names[d] << "=" << e.bounds[d];
  os << "\n";
  for (const workload::Tensor& t : e.tensors) {
    os << "  " << t.name << (t.is_output ? " (output)" : "");
    for (const workload::TensorDim& td : t.dims) os << "[" << index_text(e, td) << "]";
    os << "\n";
  }
  os << "arch: MACs " << c.arch.compute.instances << " (mesh_x " << c.arch.compute.mesh_x << ")\n";
  for (int l = c.arch.num_levels() - 1; l >= 0; --l) {
    const arch::StorageLevel& level = c.arch.levels[l];
    const mapping::LevelMapping& lm = c.mapping.levels[l];
    os << "  " << level.name << ": instances " << level.instances << " mesh_x " << level.mesh_x
       << " fanout " << c.arch.fanout_x(l) << "x" << c.arch.fanout_y(l) << " capacity "
       << (level.capacity_words ? std::to_string(*level.capacity_words) : "unbounded")
       << (level.cluster_size != 1 ? " cluster " + std::to_string(level.cluster_size) : "")
       << "\n    word_bits " << level.word_bits << " block " << level.block_size << " read_bw "
       << level.read_bandwidth << " write_bw " << level.write_bandwidth << " update_bw "
       << (level.update_bandwidth ? level.update_bandwidth->text() : "(write port)")
       << " energy r/w/u/leak " << level.energy.read_pj << "/" << level.energy.write_pj << "/"
       << level.energy.update_pj << "/" << level.energy.leak_pj_per_cycle << " area "
       << level.area_um2 << "\n    keeps";
    for (int t = 0; t < e.num_tensors(); ++t)
      if (lm.keeps(t)) os << " " << e.tensors[t].name;
    os << "\n    temporal (outer to inner):";
    for (auto it = lm.temporal.end(); it != lm.temporal.begin();) {
      --it;
      os << " " << e.dim_names[it->dim] << it->factor;
    }
    os << "\n    spatial:";
    for (const mapping::SpatialLoop& s : lm.spatial)
      os << " " << e.dim_names[s.dim] << s.factor << (s.axis == mapping::Axis::X ? "X" : "Y");
    os << "\n";
  }
  return os.str();
}

}  // namespace outpace::reference
