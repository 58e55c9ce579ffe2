// Mapping a network: identical layers searched once, results reused from the store, and every
// input that changes a search's result (architecture, objective, constraints, mapper version,
// budget of an unproven search) a miss. The network is small enough for the exhaustive search
// on the toy preset (one MAC, three levels) to prove every layer in milliseconds.
#include "netmap/network_map.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "netmap/layer_constraints.hpp"
#include "network/layers.hpp"
#include "store/search_key.hpp"

namespace outpace::netmap {
namespace {

workload::ConvShape conv(std::int64_t k, std::int64_t c, std::int64_t pq, std::int64_t rs) {
  workload::ConvShape s;
  s.k = k, s.c = c, s.p = s.q = pq, s.r = s.s = rs;
  return s;
}

/// Four layers, three distinct searches: "b" is "a" under another name.
network::Network tiny() {
  network::Network n;
  n.name = "tiny";
  n.layers = {network::conv_layer("a", conv(8, 4, 5, 3)),
              network::conv_layer("b", conv(8, 4, 5, 3)), network::fc_layer("fc", 2, 16, 8),
              network::conv_layer("c", conv(4, 8, 3, 1))};
  n.layers[2].repeat = 3;
  return n;
}

struct NetworkMap : testing::Test {
  arch::Arch arch = *arch::preset("toy");
  NetworkMapOptions options;
  ConstraintsBuilder build = [this](const workload::Einsum& e) {
    return layer_constraints(e, arch, mapper::Dataflow::kFree, {});
  };
  std::string path;
  std::unique_ptr<store::ResultsStore> store;

  void SetUp() override {
    options.mapper.threads = 1;
    options.parallel_layers = 2;
    path = testing::TempDir() + "network_map_" +
           testing::UnitTest::GetInstance()->current_test_info()->name() + ".sqlite";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    store = std::make_unique<store::ResultsStore>(path);
  }
  NetworkResult map(const network::Network& n = tiny()) {
    return map_network(n, arch, build, options, store.get());
  }
};

void expect_same_mappings(const NetworkResult& a, const NetworkResult& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const auto &x = a.layers[i].result, &y = b.layers[i].result;
    EXPECT_EQ(x.found, y.found) << a.layers[i].layer.name;
    EXPECT_EQ(x.mapping, y.mapping) << a.layers[i].layer.name;
    EXPECT_EQ(x.cost, y.cost) << a.layers[i].layer.name;
    EXPECT_EQ(x.result.energy_pj, y.result.energy_pj) << a.layers[i].layer.name;
    EXPECT_EQ(x.result.cycles, y.result.cycles) << a.layers[i].layer.name;
  }
}

TEST_F(NetworkMap, IdenticalLayersAreSearchedOnceAndTotalsCountRepeats) {
  const NetworkResult r = map();
  EXPECT_EQ(r.totals.shapes, 3);
  EXPECT_EQ(r.totals.searched, 3);
  EXPECT_EQ(r.totals.from_cache, 0);
  EXPECT_EQ(r.totals.proven, 3);
  EXPECT_EQ(r.totals.failed, 0);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(r.layers[1].shape, 0);  // "b" shares "a"'s search
  EXPECT_EQ(r.layers[1].layer.name, "b");
  EXPECT_EQ(r.layers[1].result.mapping, r.layers[0].result.mapping);
  EXPECT_EQ(r.totals.layers, 4);
  EXPECT_EQ(r.totals.occurrences, 6);  // fc occurs 3 times
  std::int64_t macs = 0, cycles = 0;
  double energy = 0;
  for (const LayerOutcome& o : r.layers) {
    ASSERT_TRUE(o.result.found) << o.layer.name;
    macs += o.layer.macs() * o.layer.repeat;
    cycles += o.result.result.cycles * o.layer.repeat;
    energy += o.result.result.energy_pj * static_cast<double>(o.layer.repeat);
  }
  EXPECT_EQ(r.totals.macs, 2 * (8 * 4 * 25 * 9) + 3 * (2 * 16 * 8) + 4 * 8 * 9);
  EXPECT_EQ(r.totals.macs, macs);
  EXPECT_EQ(r.totals.cycles, cycles);
  EXPECT_DOUBLE_EQ(r.totals.energy_pj, energy);
  EXPECT_EQ(store->size(), 3);
}

TEST_F(NetworkMap, SecondRunSearchesNothingAndGivesTheSameResults) {
  const NetworkResult first = map();
  const NetworkResult second = map();
  EXPECT_EQ(second.totals.searched, 0);
  EXPECT_EQ(second.totals.from_cache, 3);
  EXPECT_EQ(second.totals.proven, 3);
  for (const LayerOutcome& o : second.layers) EXPECT_TRUE(o.from_cache) << o.layer.name;
  expect_same_mappings(first, second);
  // Another network sharing a layer shape under other names reuses it.
  network::Network other;
  other.name = "other";
  other.layers = {network::conv_layer("renamed", conv(8, 4, 5, 3)),
                  network::fc_layer("new_fc", 2, 8, 8)};
  const NetworkResult shared = map(other);
  EXPECT_EQ(shared.totals.from_cache, 1);
  EXPECT_EQ(shared.totals.searched, 1);
  EXPECT_TRUE(shared.layers[0].from_cache);
  EXPECT_EQ(shared.layers[0].result.mapping, first.layers[0].result.mapping);
}

TEST_F(NetworkMap, ResultsDoNotDependOnTheCacheOrHowManyLayersRunAtOnce) {
  const NetworkResult cached = map();
  options.parallel_layers = 1;
  const NetworkResult uncached = map_network(tiny(), arch, build, options, nullptr);
  EXPECT_EQ(uncached.totals.searched, 3);
  expect_same_mappings(cached, uncached);
}

TEST_F(NetworkMap, EveryInputThatChangesTheResultIsAMiss) {
  map();
  const arch::Arch original = arch;
  arch.levels[1].energy.read_pj *= 2;  // one energy of one level
  EXPECT_EQ(map().totals.searched, 3) << "changed GlobalBuffer read energy";
  arch = original;
  arch.levels[0].capacity_words = 32;  // one capacity
  EXPECT_EQ(map().totals.searched, 3) << "changed RegisterFile capacity";
  arch = original;
  options.mapper.objective = *mapper::parse_objective("energy");
  EXPECT_EQ(map().totals.searched, 3) << "changed objective";
  options.mapper.objective = {};
  const ConstraintsBuilder plain = build;
  build = [&plain](const workload::Einsum& e) {
    mapper::Constraints c = plain(e);
    c.min_utilization = 0.5;
    return c;
  };
  EXPECT_EQ(map().totals.searched, 3) << "changed constraints";
  build = plain;
  options.mapper_version = mapper::kMapperVersion + 1;
  EXPECT_EQ(map().totals.searched, 3) << "newer mapper version";
  options.mapper_version = mapper::kMapperVersion;
  options.mapper.seed = 2;
  EXPECT_EQ(map().totals.searched, 3) << "changed seed";
  options.mapper.seed = 1;
  EXPECT_EQ(map().totals.searched, 0) << "back to the first inputs";
}

TEST_F(NetworkMap, ProvenResultsHoldForAnyBudgetOthersOnlyForTheirOwn) {
  map();
  options.mapper.max_steps = 123'456;
  EXPECT_EQ(map().totals.searched, 0) << "proven optimal: a budget cannot change it";
  options.mapper.max_steps = 0;
  options.mapper.strategy = "random";
  options.mapper.max_evaluations = 40;
  const NetworkResult random = map();
  EXPECT_EQ(random.totals.searched, 3);
  EXPECT_EQ(random.totals.proven, 0);
  EXPECT_EQ(map().totals.searched, 0) << "same budget";
  options.mapper.max_evaluations = 41;
  EXPECT_EQ(map().totals.searched, 3) << "another budget";
}

TEST_F(NetworkMap, AResultCutByTheStepBudgetIsStoredOneCutByTheClockIsNot) {
  options.mapper.max_steps = 300;  // cuts every search of the tiny network (the toy preset)
  const NetworkResult steps = map();
  for (const LayerOutcome& l : steps.layers)
    EXPECT_EQ(l.result.stats.stopped_by, "steps") << l.layer.name;
  EXPECT_EQ(store->size(), 3);
  const NetworkResult again = map();
  EXPECT_EQ(again.totals.searched, 0) << "the same step budget gives the same result anywhere";
  expect_same_mappings(steps, again);

  store.reset();  // an empty store for the searches the clock cuts
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  store = std::make_unique<store::ResultsStore>(path);
  options.mapper.max_steps = 0;
  options.mapper.time_limit_s = 1e-9;  // the first look at the clock ends each search
  const NetworkResult timed = map();
  int cut_by_time = 0;
  for (int s = 0; s < 3; ++s) {
    const LayerOutcome& l = timed.layers[static_cast<std::size_t>(s == 0 ? 0 : s + 1)];
    cut_by_time += l.result.stats.stopped_by == "time" ? 1 : 0;
  }
  ASSERT_GT(cut_by_time, 0) << "the test needs a search the clock cuts";
  EXPECT_EQ(store->size(), 3 - cut_by_time) << "only the results the clock did not cut";
  EXPECT_EQ(map().totals.searched, cut_by_time) << "a result the clock cut is searched again";
}

TEST_F(NetworkMap, AStoredResultThatNoLongerEvaluatesToItsCostIsAMiss) {
  const NetworkResult first = map();
  const network::Network n = tiny();
  const workload::Einsum& fc = n.layers[2].einsum;
  const std::string key = store::search_key(fc, arch, build(fc), options.mapper);
  std::optional<store::StoredResult> stored = store->find(key);
  ASSERT_TRUE(stored.has_value());
  stored->cost.primary *= 1.001;
  store->store(key, *stored);
  const NetworkResult second = map();
  EXPECT_EQ(second.totals.searched, 1);
  EXPECT_FALSE(second.layers[2].from_cache);
  expect_same_mappings(first, second);
}

TEST_F(NetworkMap, ConstraintErrorsNameTheirLayerAndComeAllAtOnce) {
  build = [this](const workload::Einsum& e) {
    return layer_constraints(e, arch, mapper::Dataflow::kRowStationary, {});
  };
  network::Network n = tiny();
  n.layers.push_back(network::fc_layer("fc2", 1, 4, 4));
  try {
    map(n);
    FAIL() << "row stationary applied to a fully connected layer";
  } catch (const ConfigError& e) {
    // On the toy preset's one PE, row stationary lets no level take R or P (bounds above 1).
    const auto no_split = [](const std::string& layer, const std::string& dim, int bound) {
      return "--dataflow: layer '" + layer + "': dimension '" + dim + "': no split of its bound " +
             std::to_string(bound) +
             " over the levels keeps within their limits (temporal at most 1 at 'RegisterFile', "
             "temporal at most 1 at 'GlobalBuffer', temporal at most 1 at 'MainMemory'; from "
             "temporal_max, the spatial axes and fanouts or the --dataflow preset); no mapping "
             "can meet this\n";
    };
    EXPECT_EQ(std::string(e.what()),
              no_split("a", "R", 3) + no_split("a", "P", 5) + no_split("b", "R", 3) +
                  no_split("b", "P", 5) +
                  "--dataflow: layer 'fc': row stationary needs a convolution with dimensions R, "
                  "S, P and Q\n" +
                  no_split("c", "P", 3) +
                  "--dataflow: layer 'fc2': row stationary needs a convolution with dimensions R, "
                  "S, P and Q");
  }
  EXPECT_EQ(store->size(), 0);
}

TEST_F(NetworkMap, AStoppedRunMapsNothingMoreAndStoresNothing) {
  std::atomic<bool> stop{true};
  options.mapper.stop = &stop;
  const NetworkResult r = map();
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.totals.failed, 4);
  EXPECT_EQ(r.totals.searched, 0);
  EXPECT_EQ(r.layers[0].failure, "not mapped: interrupted");
  EXPECT_FALSE(r.layers[0].mapped);
  EXPECT_EQ(store->size(), 0);
}

TEST_F(NetworkMap, ProgressIsReportedWhenEachSearchStartsAndEnds) {
  for (bool cached : {false, true}) {  // the second run reports the stored results
    std::vector<Progress> ended;
    int started = 0;
    map_network(tiny(), arch, build, options, store.get(), [&](const Progress& p) {
      if (p.started)
        ++started;
      else
        ended.push_back(p);
    });
    EXPECT_EQ(started, cached ? 0 : 3);
    ASSERT_EQ(ended.size(), 3u);
    for (std::size_t i = 0; i < ended.size(); ++i) {
      EXPECT_EQ(ended[i].done, static_cast<int>(i) + 1);
      EXPECT_EQ(ended[i].total, 3);
      EXPECT_EQ(ended[i].from_cache, cached);
      EXPECT_TRUE(ended[i].proven);
    }
  }
}

}  // namespace
}  // namespace outpace::netmap
