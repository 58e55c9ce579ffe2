// The main job's benchmark: `outpace run` on its defaults (ResNet-50 on the Eyeriss-like preset)
// with a fresh results cache (cold), then again on the same cache (warm); prints the core count,
// both wall times, their ratio and how many distinct searches were proven optimal. With
// --splits it also maps the network through the library both ways the threads can be split
// (one thread per layer with one layer per core, or one layer at a time with every thread),
// without a cache. Run in Release:
//   build/bench/run_bench [--runs N] [--splits]
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "arch/presets.hpp"
#include "netmap/layer_constraints.hpp"
#include "netmap/network_map.hpp"
#include "network/zoo.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The number after `"member": ` at its first occurrence in `json` (the run's totals come first).
long json_number(const std::string& json, const std::string& member) {
  const std::size_t at = json.find("\"" + member + "\": ");
  return at == std::string::npos ? -1
                                 : std::strtol(json.c_str() + at + member.size() + 4, nullptr, 10);
}

struct Timed {
  double seconds = 0;
  long proven = -1, searches = -1, searched = -1;
};

/// Runs the main job on the cache in `dir`, writing its JSON there; the wall time and counts.
Timed run_main_job(const std::filesystem::path& dir, const char* name) {
  const std::filesystem::path json = dir / (std::string(name) + ".json");
  const std::string cmd = std::string(OUTPACE_BIN) + " run --cache " +
                          (dir / "results.sqlite").string() + " --json " + json.string() +
                          " > /dev/null 2>&1";
  const Clock::time_point start = Clock::now();
  const int status = std::system(cmd.c_str());
  Timed t;
  t.seconds = seconds_since(start);
  if (status != 0) {
    std::fprintf(stderr, "run_bench: '%s' failed (status %d)\n", cmd.c_str(), status);
    std::exit(1);
  }
  std::ifstream in(json);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  t.proven = json_number(text, "proven_optimal");
  t.searches = json_number(text, "searches");
  t.searched = json_number(text, "searched");
  return t;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// Maps ResNet-50 on Eyeriss without a cache with `layers` searches at once of `threads` each.
void run_split(int layers, int threads) {
  using namespace outpace;
  const network::Network net = *network::zoo_network("resnet50");
  const arch::Arch arch = *arch::preset("eyeriss");
  netmap::NetworkMapOptions o;
  o.mapper.max_steps = netmap::kDefaultLayerSteps;
  o.mapper.threads = threads;
  o.parallel_layers = layers;
  const auto build = [&arch](const workload::Einsum& e) {
    return netmap::layer_constraints(e, arch, mapper::Dataflow::kFree, {});
  };
  const Clock::time_point start = Clock::now();
  const netmap::NetworkResult r = netmap::map_network(net, arch, build, o, nullptr);
  std::printf(
      "split %d layer(s) x %d thread(s): %.1f s, %d of %d proven optimal, energy %.6g pJ, cycles "
      "%lld\n",
      layers, threads, seconds_since(start), r.totals.proven, r.totals.shapes, r.totals.energy_pj,
      static_cast<long long>(r.totals.cycles));
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  int runs = 1;
  bool splits = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--splits"))
      splits = true;
    else {
      std::fprintf(stderr, "usage: run_bench [--runs N] [--splits]\n");
      return 2;
    }
  }
  const unsigned cores = std::thread::hardware_concurrency();
  std::printf("main job: outpace run (resnet50 on eyeriss, %llu steps per layer), %u cores\n",
              static_cast<unsigned long long>(outpace::netmap::kDefaultLayerSteps), cores);
  std::vector<double> cold, warm;
  for (int r = 0; r < runs; ++r) {
    // A fresh folder in the system's temporary directory: an empty cache for the cold run.
    std::string pattern =
        (std::filesystem::temp_directory_path() / "outpace_run_bench_XXXXXX").string();
    const char* dir = mkdtemp(pattern.data());
    if (!dir) return 1;
    const Timed c = run_main_job(dir, "cold"), w = run_main_job(dir, "warm");
    std::filesystem::remove_all(dir);
    std::printf(
        "run %d: cold %.2f s (%ld searched), warm %.3f s (%ld searched), %ld of %ld proven "
        "optimal\n",
        r + 1, c.seconds, c.searched, w.seconds, w.searched, c.proven, c.searches);
    cold.push_back(c.seconds);
    warm.push_back(w.seconds);
  }
  const double mc = median(cold), mw = median(warm);
  std::printf("median of %d: cold %.2f s, warm %.3f s, cold/warm %.0fx\n", runs, mc, mw,
              mw > 0 ? mc / mw : 0);
  if (splits) {
    const int n = static_cast<int>(std::max(1u, cores));
    run_split(n, 1);
    run_split(1, n);
  }
  return 0;
}
