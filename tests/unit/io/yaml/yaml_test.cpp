// The YAML layer: locations of nodes and keys, limits that keep hostile input cheap, and the
// typed readers' messages.
#include <gtest/gtest.h>

#include "common/text_file.hpp"
#include "io/yaml/object_reader.hpp"
#include "io/yaml/yaml.hpp"

namespace outpace::io {
namespace {

/// Parses text that must be valid YAML.
YamlNode parse_ok(const std::string& text) {
  DiagnosticSink sink;
  std::optional<YamlNode> root = parse_yaml(text, "t.yaml", sink);
  EXPECT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.diagnostics()[0].str());
  EXPECT_TRUE(root.has_value());
  return root ? *root : YamlNode{};
}

/// The messages a parse reports, one per line.
std::string parse_errors(const std::string& text) {
  DiagnosticSink sink;
  parse_yaml(text, "t.yaml", sink);
  std::string out;
  for (const Diagnostic& d : sink.diagnostics()) out += d.str() + "\n";
  return out;
}

TEST(Yaml, NodesAndKeysCarryLineAndColumn) {
  const YamlNode root = parse_ok("top:\n  list: [a, 'b']\n  n: 3\n");
  ASSERT_EQ(root.kind, YamlKind::kMapping);
  EXPECT_EQ(root.where.str(), "t.yaml:1:1");
  const YamlEntry& top = root.entries[0];
  EXPECT_EQ(top.key, "top");
  EXPECT_EQ(top.where.str(), "t.yaml:1:1");
  EXPECT_EQ(top.value.where.str(), "t.yaml:2:3");
  EXPECT_EQ(top.value.entries[0].where.str(), "t.yaml:2:3");  // key "list"
  const YamlNode& list = top.value.entries[0].value;
  ASSERT_EQ(list.kind, YamlKind::kSequence);
  EXPECT_EQ(list.where.str(), "t.yaml:2:9");
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[1].text, "b");
  EXPECT_FALSE(list.items[1].plain);
  EXPECT_EQ(list.items[1].where.str(), "t.yaml:2:13");
  EXPECT_EQ(top.value.find("n")->text, "3");
  EXPECT_EQ(top.value.find("missing"), nullptr);
}

TEST(Yaml, NullScalars) {
  const YamlNode root = parse_ok("a:\nb: ~\nc: null\nd: 'null'\n");
  EXPECT_TRUE(root.find("a")->is_null());
  EXPECT_TRUE(root.find("b")->is_null());
  EXPECT_TRUE(root.find("c")->is_null());
  EXPECT_FALSE(root.find("d")->is_null());  // quoted: a string
}

TEST(Yaml, AliasesAreExpanded) {
  const YamlNode root = parse_ok("a: &x {k: 1, m: [2, 3]}\nb: *x\n");
  ASSERT_EQ(root.find("b")->kind, YamlKind::kMapping);
  EXPECT_EQ(root.find("b")->find("m")->items[1].text, "3");
}

TEST(Yaml, SyntaxErrorIsLocated) {
  EXPECT_EQ(parse_errors("a: [1, 2\nb: 3\n"),
            "t.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
            "sequence that starts at line 1, column 4)\n");
}

TEST(Yaml, InvalidUtf8IsLocated) {
  EXPECT_EQ(parse_errors("a: 1\nb: \xff\n"),
            "t.yaml:2:4: YAML syntax error: invalid leading UTF-8 octet (byte 0xFF)\n");
}

TEST(Yaml, NestingDeeperThanTheLimitIsRejected) {
  const std::string deep(kMaxYamlDepth + 1, '[');
  EXPECT_EQ(parse_errors(deep + std::string(kMaxYamlDepth + 1, ']')),
            "t.yaml:1:65: lists and mappings are nested more than 64 deep\n");
  const std::string ok(kMaxYamlDepth, '[');
  EXPECT_EQ(parse_errors(ok + std::string(kMaxYamlDepth, ']')), "");
}

TEST(Yaml, AliasCannotNestBeyondTheLimit) {
  const std::string d32(32, '['), e32(32, ']');
  EXPECT_EQ(parse_errors("a: &x " + d32 + e32 + "\nb: " + d32 + "*x" + e32 + "\n"),
            "t.yaml:2:36: alias '*x' nests lists and mappings more than 64 deep\n");
}

TEST(Yaml, AliasBombIsRejected) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 7; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += prev + (k < 9 ? ", " : "]\n");
  }
  const std::string errors = parse_errors(text);
  EXPECT_NE(errors.find("nodes once aliases are expanded"), std::string::npos) << errors;
}

TEST(Yaml, AliasMustFollowItsAnchor) {
  EXPECT_EQ(parse_errors("a: *x\nb: &x 1\n"),
            "t.yaml:1:4: alias '*x' does not name a complete node anchored before it\n");
  EXPECT_EQ(parse_errors("a: &x [1, *x]\n"),
            "t.yaml:1:11: alias '*x' does not name a complete node anchored before it\n");
}

TEST(Yaml, DuplicateAndComplexKeys) {
  EXPECT_EQ(parse_errors("a: 1\nb: 2\na: 3\n"), "t.yaml:3:1: key 'a' is given twice (first at line 1)\n");
  EXPECT_EQ(parse_errors("? [1, 2]\n: 3\n"),
            "t.yaml:1:3: a mapping key must be a plain value, not a list\n");
}

TEST(Yaml, OneDocumentPerFile) {
  EXPECT_EQ(parse_errors("a: 1\n---\nb: 2\n"),
            "t.yaml:2:1: a spec file holds one YAML document; this is a second one\n");
}

// A tag would change what a value means (or, in other YAML readers, build an object); Outpace
// reads none, so each is refused where it is written, core-schema tags included.
TEST(Yaml, TagsAreRefused) {
  EXPECT_EQ(parse_errors("a: !!python/object:os.system ls\n"),
            "t.yaml:1:4: YAML tag '!!python/object:os.system' is not supported: a spec holds "
            "plain values, lists and mappings without tags\n");
  EXPECT_EQ(parse_errors("a: !!str 5\n"),
            "t.yaml:1:4: YAML tag '!!str' is not supported: a spec holds plain values, lists and "
            "mappings without tags\n");
  EXPECT_EQ(parse_errors("a:\n  - !local {b: 1}\n"),
            "t.yaml:2:5: YAML tag '!local' is not supported: a spec holds plain values, lists and "
            "mappings without tags\n");
  EXPECT_EQ(parse_errors("a: !!seq [1]\n"),
            "t.yaml:1:4: YAML tag '!!seq' is not supported: a spec holds plain values, lists and "
            "mappings without tags\n");
}

TEST(Yaml, MissingFileNamesThePath) {
  try {
    read_text_file("no/such/spec.yaml");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "no/such/spec.yaml: cannot open file: No such file or directory");
  }
}

TEST(YamlReader, IntegersAreCheckedForTypeAndRange) {
  const YamlNode root = parse_ok("a: 12\nb: -3\nc: 1_000\nd: 99999999999999999999\ne: 1.5\nf:\n");
  DiagnosticSink sink;
  EXPECT_EQ(read_int(*root.find("a"), "x: a", 1, 100, sink), 12);
  EXPECT_EQ(read_int(*root.find("b"), "x: b", 1, 100, sink), std::nullopt);
  EXPECT_EQ(read_int(*root.find("c"), "x: c", 1, 10000, sink), 1000);
  EXPECT_EQ(read_int(*root.find("c"), "x: c", 1, 100, sink), std::nullopt);
  EXPECT_EQ(read_int(*root.find("d"), "x: d", 1, 100, sink), std::nullopt);
  EXPECT_EQ(read_int(*root.find("e"), "x: e", 1, 100, sink), std::nullopt);
  EXPECT_EQ(read_int(*root.find("f"), "x: f", 1, 100, sink), std::nullopt);
  ASSERT_EQ(sink.diagnostics().size(), 5u);
  EXPECT_EQ(sink.diagnostics()[0].str(), "t.yaml:2:4: x: b -3 must be at least 1");
  EXPECT_EQ(sink.diagnostics()[1].str(), "t.yaml:3:4: x: c 1000 must be at most 100");
  EXPECT_EQ(sink.diagnostics()[2].str(),
            "t.yaml:4:4: x: d 99999999999999999999 is too large; at most 100 is allowed");
  EXPECT_EQ(sink.diagnostics()[3].str(), "t.yaml:5:4: x: e must be an integer, got '1.5'");
  EXPECT_EQ(sink.diagnostics()[4].str(), "t.yaml:6:3: x: f must be an integer, got nothing (null)");
}

TEST(YamlReader, NumbersMustBeFinite) {
  const YamlNode root = parse_ok("a: 2.5e3\nb: .inf\nc: nan\nd: -1\n");
  DiagnosticSink sink;
  EXPECT_EQ(read_double(*root.find("a"), "x: a", 0, 1e6, sink), 2500.0);
  EXPECT_EQ(read_double(*root.find("b"), "x: b", 0, 1e6, sink), std::nullopt);
  EXPECT_EQ(read_double(*root.find("c"), "x: c", 0, 1e6, sink), std::nullopt);
  EXPECT_EQ(read_double(*root.find("d"), "x: d", 0, 1e6, sink), std::nullopt);
  ASSERT_EQ(sink.diagnostics().size(), 3u);
  EXPECT_EQ(sink.diagnostics()[0].str(), "t.yaml:2:4: x: b must be a finite number, got '.inf'");
  EXPECT_EQ(sink.diagnostics()[2].str(), "t.yaml:4:4: x: d -1 must be at least 0");
}

TEST(YamlReader, UnknownKeysAreListedWithTheAllowedOnes) {
  const YamlNode root = parse_ok("thing: {name: t, size: 3, colour: red, shape: round}\n");
  DiagnosticSink sink;
  ObjectReader r(*root.find("thing"), "thing #1", {"name", "size"}, sink, "thing");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.integer("size", 1, 10), 3);
  EXPECT_EQ(r.string("missing", true), std::nullopt);
  ASSERT_EQ(sink.diagnostics().size(), 3u);
  EXPECT_EQ(sink.diagnostics()[0].str(),
            "t.yaml:1:27: thing 't': unknown key 'colour'; allowed keys are name, size");
  EXPECT_EQ(sink.diagnostics()[1].str(),
            "t.yaml:1:40: thing 't': unknown key 'shape'; allowed keys are name, size");
  EXPECT_EQ(sink.diagnostics()[2].str(), "t.yaml:1:8: thing 't': missing key 'missing'");
}

// Another tool's format (Timeloop's): keys it has that Outpace does not model, and keys Outpace
// does not know, are warnings; the object is still read.
TEST(YamlReader, LenientPolicyWarnsAboutKeysItDoesNotRead) {
  const YamlNode root = parse_ok("thing: {name: t, size: 3, latency: 2, colour: red}\n");
  DiagnosticSink sink;
  ObjectReader r(*root.find("thing"), "thing", KeyPolicy{{"name", "size"}, {"latency"},
                                                         Severity::kWarning},
                 sink, "thing");
  EXPECT_EQ(r.integer("size", 1, 10), 3);
  EXPECT_TRUE(sink.ok());
  EXPECT_EQ(sink.error_count(), 0u);
  const std::vector<Diagnostic> warnings = sink.of(Severity::kWarning);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].str(), "t.yaml:1:27: thing 't': key 'latency' is not modelled by Outpace; "
                               "ignored");
  EXPECT_EQ(warnings[1].str(), "t.yaml:1:39: thing 't': unknown key 'colour'; ignored");
  EXPECT_NO_THROW(sink.throw_if_any());
}

TEST(YamlReader, NotAMapping) {
  const YamlNode root = parse_ok("thing: [1, 2]\n");
  DiagnosticSink sink;
  ObjectReader r(*root.find("thing"), "thing", {"name"}, sink);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].str(),
            "t.yaml:1:8: thing must be a mapping of keys to values, got a list");
}

TEST(YamlReader, ErrorsAreSortedAndCapped) {
  DiagnosticSink sink;
  for (int line = 150; line >= 1; --line) sink.error({"t.yaml", line, 2}, "bad");
  try {
    throw_sorted(sink);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), kMaxReportedErrors + 1);
    EXPECT_EQ(e.diagnostics()[0].str(), "t.yaml:1:2: bad");
    EXPECT_EQ(e.diagnostics()[99].str(), "t.yaml:100:2: bad");
    EXPECT_EQ(e.diagnostics()[100].str(), "t.yaml: ... and 50 more problems in this file, not shown");
  }
}

}  // namespace
}  // namespace outpace::io
