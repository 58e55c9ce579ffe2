#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "common/config_error.hpp"
#include "mapper/constraints.hpp"
#include "mapper/mapper.hpp"
#include "network/network.hpp"
#include "store/results_store.hpp"

namespace outpace::netmap {

/// The per-layer step budget (mapper::MapperOptions::max_steps) `outpace run` uses unless told
/// otherwise. Steps, unlike seconds, give the same result on a quiet and on a busy machine. With
/// it every layer of ResNet-50 is proven optimal on the Eyeriss-like and TPU-like presets (the
/// most any needs is 14.8 million steps), and the main job ends within a minute on 2 cores from
/// an empty cache (bench/run_bench measures it; docs/cli.md gives the figures).
inline constexpr std::uint64_t kDefaultLayerSteps = 30'000'000;

/// How to map a network.
struct NetworkMapOptions {
  /// The search of each layer. Its `threads` is the threads of one layer's search; its
  /// `time_limit_s`, `max_evaluations` and `max_steps` are per layer; its `stop` flag stops
  /// every search.
  mapper::MapperOptions mapper;
  /// Layers searched at the same time (0: one per core). Each search uses mapper.threads
  /// threads; one thread per layer, one layer per core is the fastest split measured
  /// (docs/cli.md, `outpace run`).
  int parallel_layers = 0;
  /// The mapper version results are stored and looked up under (tests set an older one).
  int mapper_version = mapper::kMapperVersion;
};

/// The constraints one layer is searched under; may throw ConfigError.
using ConstraintsBuilder = std::function<mapper::Constraints(const workload::Einsum&)>;

/// What happened to one layer of the network.
struct LayerOutcome {
  network::Layer layer;
  int shape = 0;            ///< index of the first layer with the same search (identical shapes)
  bool mapped = false;      ///< a search ran or a stored result was used (false: interrupted)
  bool from_cache = false;  ///< the result came from the results store
  mapper::MapperResult result;  ///< meaningful when mapped; result.found false: no valid mapping
  /// Why the layer has no mapping ("no valid mapping found", "not mapped: interrupted"), or empty.
  std::string failure;
};

/// Sums over the network, each layer counted `repeat` times; layers without a mapping count in
/// `failed` and nowhere else.
struct NetworkTotals {
  std::int64_t layers = 0;       ///< layers (not repeats)
  std::int64_t occurrences = 0;  ///< layers with repeats
  std::int64_t macs = 0;         ///< of the mapped layers
  double energy_pj = 0;
  std::int64_t cycles = 0;  ///< layers run one after another
  double utilization = 0;   ///< MACs / (cycles x MAC units)
  int shapes = 0;           ///< distinct searches (identical layers mapped once)
  int searched = 0;         ///< of those, searched in this run
  int from_cache = 0;       ///< of those, taken from the results store
  int proven = 0;           ///< of those, proven optimal
  int failed = 0;           ///< layers without a mapping (no valid one, or interrupted)
  double energy_per_mac_pj() const { return macs ? energy_pj / static_cast<double>(macs) : 0; }
};

/// The mapping of every layer of a network.
struct NetworkResult {
  std::vector<LayerOutcome> layers;  ///< in the network's order
  NetworkTotals totals;
  bool interrupted = false;  ///< the stop flag ended the run before every layer was mapped
  /// What went wrong without costing a result: the results store could not be written (the
  /// first failure; no result is stored after it), located at the store's file.
  std::vector<Diagnostic> warnings;
};

/// One finished search (or stored result used), for a progress display.
struct Progress {
  bool started = false;  ///< a search begins (the other members but `layer` say nothing new)
  int done = 0;          ///< distinct searches finished so far
  int total = 0;         ///< distinct searches in the network
  std::string layer;     ///< the first layer of the search
  bool from_cache = false;
  bool found = false;
  bool proven = false;
  double seconds = 0;  ///< the search's wall time (0 from the store)
  std::string stopped_by;  ///< what cut an unproven search (mapper::SearchStats::stopped_by)
};

/// Called when a search starts and after every finished search (or stored result used), one
/// call at a time, from any thread.
using ProgressCallback = std::function<void(const Progress&)>;

/// Maps every layer of the network onto the architecture. Layers whose searches are identical
/// (same search_key) are searched once; results are taken from `cache` when it holds them (a
/// result proven optimal, or one found under the same budget, re-evaluated and checked against
/// its stored cost) and every new one is stored there as soon as its search ends; `cache` may be
/// null. When the store cannot be written (a full disk, a read-only folder), the run goes on
/// without storing and says so once in NetworkResult::warnings. Distinct searches run in parallel
/// (options.parallel_layers), largest layers first; the results do not depend on the order or on
/// the cache. Every layer's constraints are built before any search, and every ConfigError they
/// throw is reported at once, naming the layer. A thread that cannot start is an EnvironmentError,
/// thrown after the others have stopped.
NetworkResult map_network(const network::Network& network, const arch::Arch& arch,
                          const ConstraintsBuilder& constraints, const NetworkMapOptions& options,
                          store::ResultsStore* cache, const ProgressCallback& progress = {});

}  // namespace outpace::netmap
