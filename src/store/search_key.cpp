#include "store/search_key.hpp"

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <vector>

namespace outpace::store {

namespace {

/// Appends space-separated tokens; doubles in hexadecimal, so equal keys mean equal values.
class KeyText {
 public:
  KeyText& tag(const char* t) { return token(t); }
  KeyText& num(std::int64_t n) { return token(std::to_string(n)); }
  KeyText& real(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%a", x);
    return token(buf);
  }
  KeyText& text(const std::string& s) { return token(std::to_string(s.size()) + ":" + s); }
  const std::string& str() const { return out_; }

 private:
  KeyText& token(const std::string& t) {
    if (!out_.empty()) out_ += ' ';
    out_ += t;
    return *this;
  }
  std::string out_;
};

void write_einsum(KeyText& k, const workload::Einsum& e) {
  k.tag("einsum").num(e.num_dims());
  for (std::int64_t b : e.bounds) k.num(b);
  k.num(e.num_tensors());
  for (const workload::Tensor& t : e.tensors) {
    k.tag(t.is_output ? "out" : "in").num(static_cast<std::int64_t>(t.dims.size()));
    for (const workload::TensorDim& d : t.dims) {
      k.num(static_cast<std::int64_t>(d.terms.size()));
      for (const workload::Term& term : d.terms) k.num(term.dim).num(term.coef);
    }
  }
}

void write_arch(KeyText& k, const arch::Arch& a) {
  k.tag("arch").num(a.num_levels());
  for (const arch::StorageLevel& l : a.levels) {
    k.tag("level").num(l.capacity_words.value_or(-1)).num(l.word_bits).num(l.block_size);
    for (const arch::Bandwidth& bw : {l.read_bandwidth, l.write_bandwidth,
                                      l.update_bandwidth.value_or(arch::Bandwidth::fraction(0, 1))})
      k.num(bw.num()).num(bw.den());  // exact; unbounded is 0/0, no separate port 0/1
    k.num(l.instances).num(l.mesh_x);
    k.real(l.energy.read_pj)
        .real(l.energy.write_pj)
        .real(l.energy.update_pj)
        .real(l.energy.leak_pj_per_cycle);
    k.real(l.area_um2);
    if (l.cluster_size != 1)
      k.tag("cluster").num(l.cluster_size);  // keys without stay as they were
  }
  const arch::ComputeUnit& c = a.compute;
  k.tag("compute")
      .num(c.instances)
      .num(c.mesh_x)
      .num(c.operand_bits)
      .real(c.mac_energy_pj)
      .real(c.area_um2);
}

void write_factors(KeyText& k, const std::vector<std::int64_t>& v) {
  k.num(static_cast<std::int64_t>(v.size()));
  for (std::int64_t f : v) k.num(f);
}

void write_constraints(KeyText& k, const mapper::Constraints& c) {
  k.tag("constraints").num(static_cast<std::int64_t>(c.levels.size())).real(c.min_utilization);
  for (const mapper::LevelConstraints& l : c.levels) {
    k.tag("level").num(l.keep).num(l.bypass);
    write_factors(k, l.temporal_fixed);
    write_factors(k, l.temporal_max);
    write_factors(k, l.spatial_fixed);
    k.num(l.spatial_x).num(l.spatial_y).num(static_cast<std::int64_t>(l.innermost.size()));
    for (std::int8_t d : l.innermost) k.num(d);
  }
}

void write_options(KeyText& k, const mapper::MapperOptions& o) {
  k.tag("objective").real(o.objective.energy_exp).real(o.objective.delay_exp);
  k.num(static_cast<std::int64_t>(o.objective.lexicographic));
  k.tag("strategy").text(o.strategy).tag("seed").num(static_cast<std::int64_t>(o.seed));
  const model::Options& m = o.model;
  k.tag("counting").num(m.whole_vector_accesses).num(m.multicast_identical_only);
  k.num(m.reset_on_stride_change).num(m.extrapolate_temporal);
  if (m.cluster_energy) k.tag("cluster_energy");  // keys without stay as they were
  if (m.link_transfers) k.tag("link_transfers");
}

}  // namespace

std::string search_key(const workload::Einsum& einsum, const arch::Arch& arch,
                       const mapper::Constraints& constraints, const mapper::MapperOptions& options,
                       int mapper_version) {
  KeyText k;
  k.tag("mapper").num(mapper_version);
  write_einsum(k, einsum);
  write_arch(k, arch);
  write_constraints(k, constraints);
  write_options(k, options);
  return k.str();
}

std::string budget_key(int threads, const mapper::MapperOptions& options) {
  KeyText k;
  k.tag("threads").num(threads);
  k.tag("evaluations").num(static_cast<std::int64_t>(options.max_evaluations));
  k.tag("steps").num(static_cast<std::int64_t>(options.max_steps));
  return k.str();
}

}  // namespace outpace::store
