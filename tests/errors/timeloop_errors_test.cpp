// Bad Timeloop spec files and the exact messages a user gets for them (file:line:column, the
// object, the bad value and the rule). The good files they are combined with are the toy
// Conv1D exercise inputs under tests/unit/io/timeloop/inputs/.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/timeloop/timeloop_spec.hpp"

namespace outpace::io {
namespace {

const std::string kDir = "tests/errors/";
const std::string kToy = "tests/unit/io/timeloop/inputs/toy_conv1d/";

/// Loads `files` (relative to the source folder) and checks the full ConfigError text.
void expect_errors(const std::vector<std::string>& files, const std::vector<std::string>& expected) {
  std::filesystem::current_path(OUTPACE_SOURCE_DIR);
  std::string want;
  for (const std::string& line : expected) want += (want.empty() ? "" : "\n") + line;
  try {
    load_timeloop(files);
    ADD_FAILURE() << files.back() << ": expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), want) << files.back();
    EXPECT_EQ(e.diagnostics().size(), expected.size()) << files.back();
  }
}

TEST(TimeloopErrors, MissingDimensionBound) {
  expect_errors({kDir + "timeloop_missing_dimension.yaml"},
                {"tests/errors/timeloop_missing_dimension.yaml:20:5: problem instance: missing the "
                 "bound of dimension 'P'"});
}

// The size rule is workload::check's, as for Outpace's own problem files: a tensor within the
// MAC limit but past 2^50 elements is refused at its data space.
TEST(TimeloopErrors, TensorPastTheSizeLimit) {
  expect_errors({kDir + "timeloop_tensor_too_big.yaml"},
                {"tests/errors/timeloop_tensor_too_big.yaml:15:7: tensor 'Inputs': would hold "
                 "7.202e+16 elements, at most 1125899906842624 (2^50) are supported"});
}

TEST(TimeloopErrors, BackwardsInstanceRange) {
  expect_errors({kDir + "timeloop_bad_range.yaml"},
                {"tests/errors/timeloop_bad_range.yaml:11:13: subtree: bad instance range "
                 "'PE[3..1]': the last index (1) is below the first (3)"});
}

// Instances are counts (at most 2^31): the product of the ranges is refused at the range that
// passes the limit, with the ranges, their product and the limit, never wrapped.
TEST(TimeloopErrors, InstanceRangesPastTheLimit) {
  expect_errors({kDir + "timeloop_instances_too_many.yaml"},
                {"tests/errors/timeloop_instances_too_many.yaml:11:13: subtree: instance range "
                 "'PE[0..65535]' makes 65536 x 65536 = 4294967296 instances (System[0..65535] x "
                 "PE[0..65535]); at most 2147483648 (2^31) are supported"});
}

TEST(TimeloopErrors, UnknownClass) {
  expect_errors({kDir + "timeloop_unknown_class.yaml"},
                {"tests/errors/timeloop_unknown_class.yaml:11:14: component 'Scratch': class "
                 "'flash_array' is not known; a storage class contains DRAM, SRAM, regfile, "
                 "smartbuffer or storage, a compute class contains mac or compute"});
}

TEST(TimeloopErrors, FactorProductWrongForTheBound) {
  expect_errors({kToy + "3level.arch.yaml", kToy + "conv1d+oc.prob.yaml",
                 kDir + "timeloop_factor_product.yaml"},
                {"tests/errors/timeloop_factor_product.yaml:4:3: mapping: the factors of "
                 "dimension 'K' multiply to 64, but its bound in the problem is 32",
                 "tests/errors/timeloop_factor_product.yaml:4:3: mapping: the factors of "
                 "dimension 'R' multiply to 1, but its bound in the problem is 3"});
}

TEST(TimeloopErrors, UnsupportedMappingEntries) {
  expect_errors(
      {kToy + "3level.arch.yaml", kToy + "conv1d+oc.prob.yaml", kDir + "timeloop_bad_mapping.yaml"},
      {"tests/errors/timeloop_bad_mapping.yaml:5:11: mapping entry #1: type 'skew' is not "
       "supported; types are temporal, spatial, bypass and datatype",
       "tests/errors/timeloop_bad_mapping.yaml:7:13: mapping entry #2: target: unknown level "
       "'GlobalBufer'; the architecture's levels are MainMemory, GlobalBuffer, RegisterFile",
       "tests/errors/timeloop_bad_mapping.yaml:13:18: mapping entry #3: permutation: unknown "
       "dimension 'X' in 'RPX'; dimensions are K, R, P",
       "tests/errors/timeloop_bad_mapping.yaml:16:14: mapping entry #4: factors: residual "
       "factor 'K=5,2' is not supported; write DIM=N with N a positive integer, e.g. C=3, "
       "factors separated by spaces or commas",
       "tests/errors/timeloop_bad_mapping.yaml:19:14: mapping entry #5: bypass: unknown data "
       "space 'Psums'; data spaces are Weights, Inputs, Outputs"});
}

TEST(TimeloopErrors, MissingFileAndSectionGivenTwice) {
  expect_errors({kToy + "conv1d+oc.prob.yaml", kToy + "conv1d+oc.prob.yaml",
                 kDir + "timeloop_no_such_file.yaml"},
                {"tests/unit/io/timeloop/inputs/toy_conv1d/conv1d+oc.prob.yaml:1:1: section "
                 "'problem' is given twice (first at "
                 "tests/unit/io/timeloop/inputs/toy_conv1d/conv1d+oc.prob.yaml:1:1)",
                 "tests/errors/timeloop_no_such_file.yaml: cannot open file: No such file or "
                 "directory"});
}

}  // namespace
}  // namespace outpace::io
