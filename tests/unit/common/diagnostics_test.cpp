// SourceLocation::str, Diagnostic, ConfigError and DiagnosticSink (errors at once, warnings kept).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common/config_error.hpp"
#include "common/source_location.hpp"

namespace outpace {
namespace {

TEST(SourceLocation, LeavesOutTheUnknownParts) {
  EXPECT_EQ((SourceLocation{"file", 3, 7}).str(), "file:3:7");
  EXPECT_EQ((SourceLocation{"file", 3, 0}).str(), "file:3");  // column unknown
  EXPECT_EQ((SourceLocation{"file", 0, 0}).str(), "file");    // only the file is known
  // A column without a line means nothing: dropped with it.
  EXPECT_EQ((SourceLocation{"file", 0, 7}).str(), "file");
  // No file name: the input is called <input>.
  EXPECT_EQ((SourceLocation{"", 3, 7}).str(), "<input>:3:7");
  EXPECT_EQ(SourceLocation{}.str(), "<input>");
}

TEST(Diagnostic, IsLocationColonMessage) {
  Diagnostic located;
  located.where = {"arch.yaml", 12, 5};
  located.message = "unknown key 'sise'";
  EXPECT_EQ(located.str(), "arch.yaml:12:5: unknown key 'sise'");
  Diagnostic nowhere;
  nowhere.message = "no file";
  EXPECT_EQ(nowhere.str(), "<input>: no file");
}

TEST(ConfigError, CarriesEveryDiagnosticInOrderOneALineInWhat) {
  const ConfigError e({{{"a.yaml", 2, 5}, "first"}, {{"b.yaml", 1, 0}, "second"}});
  EXPECT_STREQ(e.what(), "a.yaml:2:5: first\nb.yaml:1: second");
  ASSERT_EQ(e.diagnostics().size(), 2u);
  EXPECT_EQ(e.diagnostics()[0].message, "first");
  EXPECT_EQ(e.diagnostics()[1].where.file, "b.yaml");
  EXPECT_EQ(e.diagnostics()[1].where.line, 1);
  // A user's error is a runtime_error (not a logic_error, which marks a bug).
  const std::runtime_error& base = e;
  EXPECT_STREQ(base.what(), "a.yaml:2:5: first\nb.yaml:1: second");
}

TEST(DiagnosticSink, EmptyThrowsNothing) {
  const DiagnosticSink sink;
  EXPECT_TRUE(sink.ok());
  EXPECT_TRUE(sink.diagnostics().empty());
  EXPECT_NO_THROW(sink.throw_if_any());
}

TEST(DiagnosticSink, ThrowsEverythingRecordedAtOnce) {
  DiagnosticSink sink;
  sink.error({"p.yaml", 4, 3}, "bound must be positive");
  sink.error({"p.yaml", 9, 1}, "unknown dimension 'Z'");
  EXPECT_FALSE(sink.ok());
  ASSERT_EQ(sink.diagnostics().size(), 2u);
  try {
    sink.throw_if_any();
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:4:3: bound must be positive\np.yaml:9:1: unknown dimension 'Z'");
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[1].message, "unknown dimension 'Z'");
  }
  // Throwing does not empty the sink: it throws the same again.
  EXPECT_EQ(sink.diagnostics().size(), 2u);
  EXPECT_THROW(sink.throw_if_any(), ConfigError);
}

TEST(DiagnosticSink, WarningsAreKeptButThrowOnlyErrors) {
  DiagnosticSink sink;
  sink.warning({"a.yaml", 2, 1}, "key 'colour' is ignored");
  // A warning alone: nothing is wrong, nothing is thrown, the warning is kept.
  EXPECT_TRUE(sink.ok());
  EXPECT_EQ(sink.error_count(), 0u);
  EXPECT_NO_THROW(sink.throw_if_any());
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].severity, Severity::kWarning);
  // Then an error: the ConfigError carries the error only; the sink keeps both, in order.
  sink.error({"a.yaml", 5, 3}, "bound must be positive");
  EXPECT_FALSE(sink.ok());
  EXPECT_EQ(sink.error_count(), 1u);
  try {
    sink.throw_if_any();
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "a.yaml:5:3: bound must be positive");
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].severity, Severity::kError);
  }
  ASSERT_EQ(sink.diagnostics().size(), 2u);
  EXPECT_EQ(sink.diagnostics()[0].message, "key 'colour' is ignored");
  EXPECT_EQ(sink.diagnostics()[1].message, "bound must be positive");
  ASSERT_EQ(sink.of(Severity::kWarning).size(), 1u);
  EXPECT_EQ(sink.of(Severity::kWarning)[0].message, "key 'colour' is ignored");
  ASSERT_EQ(sink.of(Severity::kError).size(), 1u);
  EXPECT_EQ(sink.of(Severity::kError)[0].message, "bound must be positive");
}

}  // namespace
}  // namespace outpace
