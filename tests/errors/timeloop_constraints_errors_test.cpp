// Bad Timeloop mapspace constraints and the exact messages a user gets for them: every mistake
// of the file at once, each with file:line:column, the entry, the bad value and the rule.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/timeloop/timeloop_constraints.hpp"

namespace outpace::io {
namespace {

TEST(TimeloopConstraintErrors, EveryMistakeIsReportedWhereItIs) {
  std::filesystem::current_path(OUTPACE_SOURCE_DIR);
  const TimeloopSpec spec = load_timeloop({"tests/errors/timeloop_bad_constraints.yaml"});
  DiagnosticSink sink;
  (void)read_timeloop_constraints(spec, sink);
  std::string got;
  for (const Diagnostic& d : sink.of(Severity::kError)) got += d.str() + "\n";
  const std::string f = "tests/errors/timeloop_bad_constraints.yaml:";
  EXPECT_EQ(got,
            f +
                "29:13: mapspace_constraints entry #1: target: unknown level 'GlobalBufer'; the "
                "architecture's levels are DRAM, GLB, RF\n" +
                f +
                "34:14: mapspace_constraints entry #2: factors: unknown dimension 'X' in 'X=4'; "
                "dimensions are K, R, P\n" +
                f +
                "37:14: mapspace_constraints entry #3: factors: factor P=5 does not divide the "
                "bound 16 of dimension 'P'\n" +
                f +
                "40:14: mapspace_constraints entry #4: factors: factor 'R:3' is malformed; write "
                "DIM=N, DIM<=N or DIM>=N with N an integer, e.g. C=3\n" +
                f +
                "41:13: mapspace_constraints entry #5: level 'RF' has no spatial fanout (each "
                "instance has one child), so it takes no spatial constraint\n" +
                f + "46:12: mapspace_constraints entry #6: split -1 must be at least 0\n" + f +
                "49:18: mapspace_constraints entry #7: permutation: unknown dimension 'X' in "
                "'KRX'; dimensions are K, R, P\n" +
                f +
                "52:21: mapspace_constraints entry #8: keep: unknown data space 'Psums'; data "
                "spaces are Weights, Inputs, Outputs\n" +
                f +
                "53:14: mapspace_constraints entry #8: data space 'Weights' is in both keep and "
                "bypass\n" +
                f +
                "56:14: mapspace_constraints entry #9: bypass: level 'DRAM' is the outermost "
                "level; it must keep every data space, 'Inputs' included\n" +
                f +
                "57:13: mapspace_constraints entry #10: a utilization constraint must target the "
                "innermost level 'RF' (it counts the whole MAC array), not 'GLB'\n" +
                f +
                "61:11: mapspace_constraints entry #11: type 'skew' is not supported; types are "
                "temporal, spatial, bypass (or datatype, dataspace), utilization and "
                "max_overbooked_proportion\n");
}

}  // namespace
}  // namespace outpace::io
