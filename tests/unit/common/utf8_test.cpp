// valid_utf8: well-formed UTF-8 passes as it is, any other byte is written as \xNN, so that
// names read from binary files print and go into JSON as valid UTF-8.
#include "common/utf8.hpp"

#include <gtest/gtest.h>

#include "common/config_error.hpp"

namespace outpace {
namespace {

TEST(ValidUtf8, KeepsWellFormedText) {
  EXPECT_EQ(valid_utf8("conv1"), "conv1");
  EXPECT_EQ(valid_utf8("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");            // été, 2-byte
  EXPECT_EQ(valid_utf8("\xE2\x82\xAC"), "\xE2\x82\xAC");                      // €, 3-byte
  EXPECT_EQ(valid_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");              // U+1F600, 4-byte
}

TEST(ValidUtf8, EscapesEveryOtherByte) {
  EXPECT_EQ(valid_utf8("a\xFF" "b"), "a\\xFFb");              // never in UTF-8
  EXPECT_EQ(valid_utf8("\xC3"), "\\xC3");                     // a lead byte cut short
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "\\xC0\\xAF");            // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");   // a UTF-16 surrogate
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(valid_utf8("\x80" "abc"), "\\x80abc");            // a stray continuation byte
}

TEST(ValidUtf8, DiagnosticsPrintEscaped) {
  Diagnostic d;
  d.where.file = "m.onnx";
  d.message = "node 'c\xFE' (Conv): bad";
  EXPECT_EQ(d.str(), "m.onnx: node 'c\\xFE' (Conv): bad");
  EXPECT_STREQ(ConfigError({d}).what(), "m.onnx: node 'c\\xFE' (Conv): bad");
}

}  // namespace
}  // namespace outpace
