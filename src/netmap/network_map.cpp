#include "netmap/network_map.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "mapper/mapspace.hpp"
#include "model/evaluate.hpp"
#include "store/search_key.hpp"

namespace outpace::netmap {

namespace {

/// One distinct search of the network: the layers with equal search keys share it.
struct Search {
  int first = 0;  ///< index of its first layer
  std::string key;
  mapper::Constraints constraints;
  bool done = false;
  bool from_cache = false;
  mapper::MapperResult result;
};

int resolve_threads(int n) {
  return n > 0 ? n : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

bool same_cost(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

/// A stored result as the mapper's, its report rebuilt by evaluating the stored mapping; nothing
/// when it does not hold for this budget or no longer evaluates to the stored cost.
std::optional<mapper::MapperResult> use_stored(const store::StoredResult& s,
                                               const std::string& budget,
                                               const workload::Einsum& einsum,
                                               const arch::Arch& arch,
                                               const mapper::MapperOptions& options) {
  if (!s.stats.proven_optimal && s.budget != budget) return std::nullopt;
  mapper::MapperResult r;
  r.found = s.found;
  r.cost = s.cost;
  r.stats = s.stats;
  if (!s.found) return r;
  r.mapping = s.mapping;
  r.result = model::evaluate(einsum, arch, s.mapping, options.model);
  if (!r.result.valid) return std::nullopt;
  const mapper::Cost now = mapper::cost_of(options.objective, r.result);
  if (!same_cost(now.primary, s.cost.primary) || !same_cost(now.secondary, s.cost.secondary))
    return std::nullopt;
  return r;
}

/// Builds every layer's constraints and groups the layers by search key; throws every
/// ConfigError at once, each message naming its layer.
std::vector<Search> plan(const network::Network& net, const arch::Arch& arch,
                         const ConstraintsBuilder& build, const NetworkMapOptions& options,
                         std::vector<int>& search_of) {
  std::vector<Search> searches;
  std::map<std::string, int> by_key;
  std::vector<Diagnostic> errors;
  search_of.assign(net.layers.size(), -1);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const network::Layer& layer = net.layers[i];
    const std::string prefix = "layer '" + layer.name + "': ";
    mapper::Constraints c;
    try {
      c = build(layer.einsum);
    } catch (const ConfigError& e) {
      for (const Diagnostic& d : e.diagnostics()) errors.push_back({d.where, prefix + d.message});
      continue;
    }
    for (const std::string& m : mapper::check(c, layer.einsum, arch))
      errors.push_back({SourceLocation{"constraints", 0, 0}, prefix + m});
    std::string key = store::search_key(layer.einsum, arch, c, options.mapper, options.mapper_version);
    const auto [it, added] = by_key.emplace(key, static_cast<int>(searches.size()));
    if (added) {
      Search s;
      s.first = static_cast<int>(i);
      s.key = std::move(key);
      s.constraints = std::move(c);
      searches.push_back(std::move(s));
    }
    search_of[i] = it->second;
  }
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return searches;
}

/// Runs the searches not yet done on `workers` threads, largest layers first, storing each new
/// result in the cache as soon as it ends.
void run_searches(const network::Network& net, const arch::Arch& arch,
                  std::vector<Search>& searches, const NetworkMapOptions& options,
                  store::ResultsStore* cache, const std::string& budget,
                  const std::function<void(const Search&, bool, double)>& report,
                  std::vector<Diagnostic>& warnings) {
  std::vector<Search*> todo;
  for (Search& s : searches)
    if (!s.done) todo.push_back(&s);
  std::stable_sort(todo.begin(), todo.end(), [&net](const Search* a, const Search* b) {
    return net.layers[a->first].macs() > net.layers[b->first].macs();
  });
  const mapper::MapperOptions& mo = options.mapper;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto stopped = [&mo] { return mo.stop && mo.stop->load(); };
  std::atomic<bool> cache_failed{cache == nullptr};
  // A store that cannot be written costs no result: the first failure is a warning, and no
  // result is stored after it.
  const auto store_result = [&](const std::string& key, const store::StoredResult& stored) {
    if (cache_failed) return;
    try {
      cache->store(key, stored);
    } catch (const EnvironmentError& e) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!cache_failed.exchange(true))
        warnings.push_back({e.where(), e.message() + "; the results of this run are not stored",
                            Severity::kWarning});
    }
  };
  const auto work = [&] {
    for (std::size_t i; !failed && !stopped() && (i = next.fetch_add(1)) < todo.size();) {
      Search& s = *todo[i];
      try {
        report(s, true, 0);
        const workload::Einsum& einsum = net.layers[s.first].einsum;
        const mapper::MapSpace space(einsum, arch, s.constraints, model::exact_counting(mo.model));
        mapper::MapperResult r = mapper::map_layer(space, mo);
        if (stopped() && !r.stats.proven_optimal) return;  // cut by the stop flag: not a result
        // A result cut by the clock depends on the machine and its load: used, not stored.
        if (r.stats.stopped_by != "time")
          store_result(s.key, {budget, r.found, r.mapping, r.cost, r.stats});
        s.result = std::move(r);
        s.done = true;
        report(s, false, s.result.stats.seconds);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  const int workers = static_cast<int>(
      std::min<std::size_t>(resolve_threads(options.parallel_layers), todo.size()));
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error& e) {
      failed = true;  // the workers already started stop after their current search
      for (std::thread& t : pool) t.join();
      throw EnvironmentError({}, "cannot start search thread " + std::to_string(w + 1) + " of " +
                                     std::to_string(workers) + ": " + e.code().message());
    }
  }
  if (workers > 0) work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

/// The outcome of every layer and the network's totals.
NetworkResult collect(const network::Network& net, const arch::Arch& arch,
                      const std::vector<Search>& searches, const std::vector<int>& search_of) {
  NetworkResult out;
  NetworkTotals& t = out.totals;
  t.shapes = static_cast<int>(searches.size());
  for (const Search& s : searches) {
    if (!s.done) out.interrupted = true;
    if (s.done && s.from_cache) ++t.from_cache;
    if (s.done && !s.from_cache) ++t.searched;
    if (s.done && s.result.stats.proven_optimal) ++t.proven;
  }
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Search& s = searches[static_cast<std::size_t>(search_of[i])];
    LayerOutcome o{net.layers[i], s.first, s.done, s.from_cache, s.result, ""};
    const std::int64_t n = o.layer.repeat;
    ++t.layers;
    t.occurrences += n;
    if (!s.done)
      o.failure = "not mapped: interrupted";
    else if (!s.result.found)
      o.failure = "no valid mapping found";
    if (o.failure.empty()) {
      t.macs += o.result.result.macs * n;
      t.energy_pj += o.result.result.energy_pj * static_cast<double>(n);
      t.cycles += o.result.result.cycles * n;
    } else {
      ++t.failed;
    }
    out.layers.push_back(std::move(o));
  }
  const double slots = static_cast<double>(t.cycles) * static_cast<double>(arch.compute.instances);
  t.utilization = slots > 0 ? static_cast<double>(t.macs) / slots : 0;
  return out;
}

}  // namespace

NetworkResult map_network(const network::Network& network, const arch::Arch& arch,
                          const ConstraintsBuilder& constraints, const NetworkMapOptions& options,
                          store::ResultsStore* cache, const ProgressCallback& progress) {
  std::vector<int> search_of;
  std::vector<Search> searches = plan(network, arch, constraints, options, search_of);
  const std::string budget =
      store::budget_key(resolve_threads(options.mapper.threads), options.mapper);
  std::mutex progress_mutex;
  int done = 0;
  const auto report = [&](const Search& s, bool started, double seconds) {
    std::lock_guard<std::mutex> lock(progress_mutex);
    if (!started) ++done;
    if (progress)
      progress({started, done, static_cast<int>(searches.size()), network.layers[s.first].name,
                s.from_cache, s.result.found, s.result.stats.proven_optimal, seconds,
                s.result.stats.stopped_by});
  };
  if (cache)
    for (Search& s : searches)
      if (std::optional<store::StoredResult> stored = cache->find(s.key))
        if (auto r =
                use_stored(*stored, budget, network.layers[s.first].einsum, arch, options.mapper)) {
          s.result = std::move(*r);
          s.done = s.from_cache = true;
          report(s, false, 0);
        }
  std::vector<Diagnostic> warnings;
  run_searches(network, arch, searches, options, cache, budget, report, warnings);
  NetworkResult out = collect(network, arch, searches, search_of);
  out.warnings = std::move(warnings);
  return out;
}

}  // namespace outpace::netmap
