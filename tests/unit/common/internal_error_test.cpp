// InternalError and OUTPACE_ASSERT: a broken invariant is reported as a bug, naming the condition.
#include "common/internal_error.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace outpace {
namespace {

TEST(InternalError, MessageSaysItIsABugAndWhere) {
  try {
    internal_error("a < b", "sizes disagree", "model/evaluate.cpp", 42);
    ADD_FAILURE() << "internal_error returned";
  } catch (const InternalError& e) {
    EXPECT_STREQ(e.what(),
                 "internal error (this is a bug in Outpace, please report it): sizes disagree "
                 "[a < b at model/evaluate.cpp:42]");
  }
}

TEST(InternalError, IsALogicErrorNotARuntimeError) {
  // ConfigError (bad input) is a runtime_error; a bug must not be caught as one.
  EXPECT_THROW(internal_error("x", "m", "f.cpp", 1), std::logic_error);
  bool caught_as_runtime_error = false;
  try {
    internal_error("x", "m", "f.cpp", 1);
  } catch (const std::runtime_error&) {
    caught_as_runtime_error = true;
  } catch (const std::logic_error&) {
  }
  EXPECT_FALSE(caught_as_runtime_error);
}

TEST(OutpaceAssert, HoldingConditionDoesNothing) {
  const int two = 2;
  EXPECT_NO_THROW(OUTPACE_ASSERT(two + 2 == 4) << "arithmetic");
}

TEST(OutpaceAssert, FailingConditionThrowsNamingItFileAndLine) {
  const int size = 2;
  const int line = __LINE__ + 2;
  try {
    OUTPACE_ASSERT(size > 3) << "too few elements: " << size << ", " << 2.5 << '!';
    ADD_FAILURE() << "no InternalError";
  } catch (const InternalError& e) {
    // The condition as written in the source, then this file and the assert's line.
    EXPECT_EQ(std::string(e.what()),
              "internal error (this is a bug in Outpace, please report it): too few elements: 2, "
              "2.500000! [size > 3 at " +
                  std::string(__FILE__) + ":" + std::to_string(line) + "]");
  }
}

TEST(OutpaceAssert, EvaluatesTheConditionOnce) {
  int evaluations = 0;
  OUTPACE_ASSERT(++evaluations == 1) << "first evaluation";
  EXPECT_EQ(evaluations, 1);
  EXPECT_THROW(OUTPACE_ASSERT(++evaluations == 1) << "second evaluation", InternalError);
  EXPECT_EQ(evaluations, 2);
}

TEST(OutpaceAssert, WithoutAMessageNamesTheCondition) {
  const int line = __LINE__ + 2;
  try {
    OUTPACE_ASSERT(1 + 1 == 3);
    ADD_FAILURE() << "no InternalError";
  } catch (const InternalError& e) {
    EXPECT_EQ(std::string(e.what()),
              "internal error (this is a bug in Outpace, please report it): "
              "[1 + 1 == 3 at " +
                  std::string(__FILE__) + ":" + std::to_string(line) + "]");
  }
}

// A streamed value is only formatted when the condition fails.
TEST(OutpaceAssert, StreamsNothingWhenTheConditionHolds) {
  int formatted = 0;
  const auto count = [&] { return ++formatted; };
  OUTPACE_ASSERT(true) << count();
  EXPECT_EQ(formatted, 0);
}

}  // namespace
}  // namespace outpace
