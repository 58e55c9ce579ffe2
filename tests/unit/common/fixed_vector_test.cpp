// FixedVector: inline storage of at most N plain values; going past N is a bug (InternalError).
#include "common/fixed_vector.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "common/internal_error.hpp"

namespace outpace {
namespace {

TEST(FixedVector, StartsEmptyWithItsCapacity) {
  const FixedVector<int, 3> v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.begin(), v.end());
  static_assert(FixedVector<int, 3>::capacity() == 3);
}

TEST(FixedVector, PushBackIndexBackAndIteration) {
  FixedVector<int, 4> v;
  v.push_back(10);
  v.push_back(20);
  v.push_back(30);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_FALSE(v.empty());
  EXPECT_EQ(v[0], 10);
  EXPECT_EQ(v[2], 30);
  EXPECT_EQ(v.back(), 30);
  v[1] = 25;
  v.back() = 35;
  // 10 + 25 + 35 = 70.
  EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), 70);
}

TEST(FixedVector, FromAListAndEquality) {
  const FixedVector<int, 4> a = {1, 2, 3};
  EXPECT_EQ(a.size(), 3u);
  EXPECT_TRUE(a == (FixedVector<int, 4>{1, 2, 3}));
  EXPECT_FALSE(a == (FixedVector<int, 4>{1, 2, 4}));  // one element differs
  EXPECT_FALSE(a == (FixedVector<int, 4>{1, 2}));     // a prefix is not equal
  EXPECT_TRUE((FixedVector<int, 4>{}) == (FixedVector<int, 4>{}));
}

TEST(FixedVector, ResizeFillsNewElementsAndClearEmpties) {
  FixedVector<int, 5> v = {7, 8};
  v.resize(4);  // {7, 8, 0, 0}
  EXPECT_TRUE(v == (FixedVector<int, 5>{7, 8, 0, 0}));
  v.resize(1);  // {7}
  EXPECT_TRUE(v == (FixedVector<int, 5>{7}));
  v.resize(3);  // the dropped 8 is not brought back: {7, 0, 0}
  EXPECT_TRUE(v == (FixedVector<int, 5>{7, 0, 0}));
  v.clear();
  EXPECT_TRUE(v.empty());
  v.push_back(9);
  EXPECT_TRUE(v == (FixedVector<int, 5>{9}));
}

TEST(FixedVector, FillsToCapacityThenOverflowIsABug) {
  FixedVector<int, 2> v;
  v.push_back(1);
  v.push_back(2);  // full: size 2 of 2
  EXPECT_EQ(v.size(), 2u);
  EXPECT_THROW(v.push_back(3), InternalError);
  EXPECT_EQ(v.size(), 2u) << "a failed push_back leaves the vector as it was";
  try {
    v.push_back(3);
    ADD_FAILURE() << "no InternalError";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("FixedVector of capacity 2 is full [size_ < N at "),
              std::string::npos)
        << e.what();
  }
}

TEST(FixedVector, ResizeOrListPastCapacityIsABug) {
  FixedVector<int, 2> v;
  EXPECT_NO_THROW(v.resize(2));
  EXPECT_THROW(v.resize(3), InternalError);
  EXPECT_THROW((FixedVector<int, 2>{1, 2, 3}), InternalError);
}

TEST(FixedVector, HoldsPlainStructs) {
  struct Pair {
    int a;
    double b;
    bool operator==(const Pair&) const = default;
  };
  FixedVector<Pair, 3> v = {{1, 0.5}, {2, 1.5}};
  v.resize(3);  // the new element is Pair{} = {0, 0.0}
  EXPECT_EQ(v[1].b, 1.5);
  EXPECT_TRUE(v.back() == (Pair{0, 0.0}));
}

}  // namespace
}  // namespace outpace
