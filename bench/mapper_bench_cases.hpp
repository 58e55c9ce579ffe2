// mapper_bench's sections beyond the preset suite: layers searched under Timeloop's counting, and
// layers searched over the residual map space (docs/mapper.md, "Benchmark").
#pragma once

#include <string>
#include <vector>

#include "mapper/mapper.hpp"

namespace outpace::bench {

/// The benchmark's options, as given on its command line.
struct BenchOptions {
  double limit = 60;  ///< seconds per search
  int threads = 1;
  const char* only = nullptr;  ///< run only the cases whose section, arch or layer contains it
  int repeat = 3;              ///< exhaustive runs per case; the median one is shown
  std::vector<std::string> timeloop_cases;  ///< folders of Timeloop files, beyond bench/timeloop
};

/// Cases run and proven optimal by the exhaustive search, and the times of the proven ones.
struct Tally {
  int cases = 0;
  int proven = 0;
  std::vector<double> proven_seconds;
  void add(const mapper::SearchStats& s);
};

/// The summary line of a section: cases proven, median and largest time of the proven.
void print_summary(const Tally& tally);

/// The median of `v` (0 when empty).
double median(std::vector<double> v);

/// True when `only` is unset or some of `names` contains it.
bool selected(const char* only, const std::vector<std::string>& names);

/// Each folder under bench/timeloop, then each of `options.timeloop_cases`: its YAML files read
/// as `outpace map --timeloop` reads them, searched under Timeloop's counting for the least
/// energy. Returns false when a case cannot be read (the reason on stderr).
bool run_timeloop_section(const BenchOptions& options);

/// DLRM's top_fc1 and a BERT-base projection at sequence 384 on the Eyeriss-like preset,
/// searched over the residual map space (MapperOptions::imperfect), EDP objective, against the
/// search of the factors that divide their bounds.
void run_residual_section(const BenchOptions& options);

}  // namespace outpace::bench
