#pragma once
// The commands of `outpace`, without the command-line parsing (src/cli/main.cpp): what each
// reads, runs on the library and prints.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "netmap/network_map.hpp"
#include "report/format.hpp"

namespace outpace::cli {

/// The mapping breaks a rule, no valid mapping was found, or a layer was not mapped.
inline constexpr int kExitInvalidMapping = 1;
/// The user's input is wrong: a spec, an option, a path that names no usable file.
inline constexpr int kExitBadInput = 2;
/// A bug in Outpace.
inline constexpr int kExitBug = 3;
/// The environment failed: a file that cannot be written (permissions, a read-only or full
/// disk), a thread that cannot start, memory exhausted.
inline constexpr int kExitEnvironment = 4;

/// Set by Ctrl-C: a search stops and reports the best mapping so far.
extern std::atomic<bool> g_interrupted;

/// What `outpace eval` evaluates.
struct EvalOptions {
  std::string arch;
  std::string problem;
  std::string layer;  ///< a layer of the built-in zoo instead of --problem
  std::string mapping;
  std::vector<std::string> timeloop;
  std::string density;  ///< `--density`: tensor densities (io::parse_densities)
  bool json = false;
};

/// The step budget of `outpace map` unless told otherwise (mapper::MapperOptions::max_steps):
/// over all its threads, about 15 to 50 s on 2 cores, the same result on a quiet and on a busy
/// machine when the search is proven optimal or runs on one thread.
inline constexpr std::uint64_t kDefaultMapSteps = 100'000'000;

/// What `outpace map` and `outpace mapspace` work on.
struct MapOptions {
  std::string arch;
  std::string problem;
  std::string layer;
  std::string dataflow = "free";
  std::string objective = "edp";
  std::string strategy = "exhaustive";
  std::string time_limit = "0";  ///< none: the step budget bounds the search
  std::uint64_t max_steps = kDefaultMapSteps;
  std::uint64_t max_tilings = 10'000'000;
  std::uint64_t histogram = 0;  ///< valid mappings to draw for the quality histogram (0: none)
  std::string timeloop_mapping;  ///< where to write the best mapping as a Timeloop mapping file
  std::string mapping_out;       ///< where to write the best mapping in Outpace's own format
  std::vector<std::string> timeloop;  ///< Timeloop files instead of --arch/--problem
  std::string constraints;            ///< a constraints file (docs/formats.md)
  std::uint64_t max_evaluations = 0;
  int threads = 0;
  std::uint64_t seed = 1;
  bool json = false;
  bool imperfect = false;  ///< search the residual map space (mapper::MapperOptions::imperfect)
};

/// What `outpace run` maps and how; the defaults are the main job.
struct RunOptions {
  std::string net = "resnet50";
  std::string arch = "eyeriss";
  std::string constraints;
  std::string dataflow = "free";
  std::string objective = "edp";
  std::string strategy = "exhaustive";
  std::string time_limit = "0";  ///< per layer; none: the step budget bounds each search
  std::uint64_t max_steps = netmap::kDefaultLayerSteps;  ///< per layer
  int threads = 0;
  std::uint64_t seed = 1;
  std::string json, csv;  ///< files to write the report to
  std::string cache;      ///< the results store; empty: the default one
  bool no_cache = false;
};

/// `outpace eval`: one mapping's report.
int run_eval(const EvalOptions& opt);
/// `outpace map`: the best mapping of a layer and the search's statistics.
int run_map(const MapOptions& opt);
/// `outpace mapspace`: the size of a layer's map space (and the quality spread).
int run_mapspace(const MapOptions& opt);
/// `outpace run` and the main job: maps every layer of a network, prints the per-layer table.
int run_run(const RunOptions& opt);
/// `outpace net --net NAME`: the layers Outpace sees in a network.
int run_net(const std::string& name);
/// The --arch help text: the presets' names.
std::string arch_help();

}  // namespace outpace::cli
