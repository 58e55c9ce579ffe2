// The sparse model with every tensor dense and no sparse feature gives the dense figures bit for
// bit: on random cases (random costs, Timeloop's options drawn, residual tiles in some), every
// count, energy, cycle and violation of the result equals the evaluation without sparsity.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>

#include "model/evaluate.hpp"
#include "reference/random_cases.hpp"

namespace outpace::reference {
namespace {

/// Every figure of a result, as text (doubles to the last bit).
std::string figures(const model::Result& r) {
  std::ostringstream out;
  out.precision(17);
  out << r.valid << " " << r.violations.items.size() << " " << r.macs << " " << r.actual_macs << " "
      << r.gated_macs << " " << r.skipped_macs << " " << r.used_macs << " " << r.compute_cycles
      << " " << r.cycles << " " << r.mac_energy_pj << " " << r.energy_pj << " " << r.utilization
      << "\n";
  for (const model::LevelStats& level : r.levels) {
    out << level.used_instances << " " << level.cycles << " " << level.leak_pj << " "
        << level.energy_pj << "\n";
    for (const model::TensorStats& t : level.tensors)
      out << "  " << t.kept << " " << t.tile_words << " " << t.reads << " " << t.fills << " "
          << t.updates << " " << t.gated_reads << " " << t.skipped_reads << " " << t.gated_updates
          << " " << t.skipped_updates << " " << t.energy_pj << "\n";
  }
  return out.str();
}

TEST(SparseDense, EveryDensityOneAndNoFeatureIsTheDenseModel) {
  std::mt19937_64 rng(20261203);
  model::Sparsity dense, none;  // every density given as 1; none given
  for (std::size_t t = 0; t < kMaxTensors; ++t) dense.densities.push_back({});
  int compared = 0, residual = 0;
  for (int i = 0; i < 2000; ++i) {
    Case c = random_case(rng, 2000);
    set_random_costs(rng, c.arch);
    if (i % 3 == 0) c.options = model::kTimeloopOptions;
    if (i % 4 == 1) make_imperfect(rng, c), ++residual;
    const model::Result plain = model::evaluate(c.einsum, c.arch, c.mapping, c.options);
    model::Options with = c.options;
    with.sparsity = i % 2 == 0 ? &dense : &none;
    const model::Result sparse = model::evaluate(c.einsum, c.arch, c.mapping, with);
    ASSERT_EQ(figures(sparse), figures(plain)) << describe_case(c);
    ++compared;
  }
  EXPECT_EQ(compared, 2000);
  EXPECT_GT(residual, 400);
}

}  // namespace
}  // namespace outpace::reference
