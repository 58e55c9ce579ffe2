// Layering: every project #include under src/ names the file's own module or one above it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// The modules, top first: a module may use only itself and the modules above it. A new folder
/// under src/ must be placed here deliberately (the test fails until it is).
const std::vector<std::string> kOrder = {
    "common", "workload", "network", "arch",    "mapping",     "model",   "mapper", "store",
    "netmap", "dse",      "io/yaml", "io/spec", "io/timeloop", "io/onnx", "report", "cli",
};

/// A module's private headers live in this subfolder of it.
const std::string kDetail = "detail";

const fs::path kSrc = fs::path(OUTPACE_SOURCE_DIR) / "src";

/// Position of `module` in kOrder, or -1 when it is not there.
int rank(const std::string& module) {
  const auto at = std::find(kOrder.begin(), kOrder.end(), module);
  return at == kOrder.end() ? -1 : static_cast<int>(at - kOrder.begin());
}

/// "a/b/c" split at '/'.
std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1)
    parts.push_back(path.substr(start, slash - start));
  parts.push_back(path.substr(start));
  return parts;
}

/// The first `n` of `parts` joined with '/'.
std::string join(const std::vector<std::string>& parts, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n && i < parts.size(); ++i) s += (i ? "/" : "") + parts[i];
  return s;
}

/// The module a folder (relative to src/, as components) belongs to: its longest leading part in
/// kOrder ("io/spec" for io/spec/detail); empty when none is. `used` gets the parts it spans.
std::string module_of(const std::vector<std::string>& folder, std::size_t* used = nullptr) {
  for (std::size_t n = folder.size(); n > 0; --n) {
    const std::string candidate = join(folder, n);
    if (rank(candidate) >= 0) {
      if (used) *used = n;
      return candidate;
    }
  }
  return "";
}

/// "model may use only common, workload, ... (modules above it)".
std::string rule(const std::string& module) {
  const int r = rank(module);
  if (r == 0) return module + " may use no other module (none is above it)";
  std::string above;
  for (int i = 0; i < r; ++i) above += (i ? ", " : "") + kOrder[i];
  return module + " may use only " + above + " (modules above it)";
}

/// The header named by a line `#include "x"` (spaces allowed around '#'), or empty.
std::string quoted_include(const std::string& line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '#') return "";
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string::npos || line.compare(i, 7, "include") != 0) return "";
  i = line.find_first_not_of(" \t", i + 7);
  if (i == std::string::npos || line[i] != '"') return "";
  const std::size_t end = line.find('"', i + 1);
  return end == std::string::npos ? "" : line.substr(i + 1, end - i - 1);
}

/// Every folder under src/ that is not a module of kOrder, a module's detail/ folder, or a folder
/// holding modules (src/io).
std::vector<std::string> unplaced_folders() {
  std::vector<std::string> problems;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(kSrc)) {
    if (!e.is_directory()) continue;
    const std::string rel = fs::relative(e.path(), kSrc).generic_string();
    const std::vector<std::string> parts = split(rel);
    if (rank(rel) >= 0) continue;
    if (parts.size() > 1 && parts.back() == kDetail && rank(join(parts, parts.size() - 1)) >= 0)
      continue;
    const bool holds_modules = std::any_of(kOrder.begin(), kOrder.end(), [&](const std::string& m) {
      return m.compare(0, rel.size() + 1, rel + "/") == 0;
    });
    if (holds_modules) continue;
    problems.push_back("src/" + rel +
                       "/ is not a module of the layering order: place it in kOrder "
                       "(tests/unit/layering_test.cpp) deliberately, or make it a detail/ folder");
  }
  std::sort(problems.begin(), problems.end());
  return problems;
}

/// Every include of `file` (a path relative to src/) that breaks the layering.
std::vector<std::string> violations_in(const std::string& file) {
  std::vector<std::string> problems;
  std::vector<std::string> folder = split(file);
  folder.pop_back();
  const std::string module = module_of(folder);
  if (module.empty()) {
    problems.push_back("src/" + file + " is in no module of the layering order");
    return problems;
  }
  std::ifstream in(kSrc / file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string header = quoted_include(line);
    if (header.find('/') == std::string::npos) continue;  // none, or beside the file: same module
    const std::string where =
        "src/" + file + ":" + std::to_string(number) + " includes \"" + header + "\": ";
    std::vector<std::string> target = split(header);
    target.pop_back();
    if (!fs::is_directory(kSrc / join(target, target.size()))) {
      problems.push_back(where + "src/" + join(target, target.size()) +
                         "/ does not exist (a project include names a folder under src/)");
      continue;
    }
    std::size_t used = 0;
    const std::string included = module_of(target, &used);
    if (included.empty()) {
      problems.push_back(where + "src/" + join(target, target.size()) +
                         "/ is in no module of the layering order");
    } else if (rank(included) > rank(module)) {
      problems.push_back(where + rule(module));
    } else if (included != module && used < target.size() && target[used] == kDetail) {
      problems.push_back(where + "a header in " + included + "/" + kDetail + "/ is private to " +
                         included + "; " + module + " may use only its public headers");
    }
  }
  return problems;
}

TEST(Layering, IncludesPointUpOnly) {
  ASSERT_TRUE(fs::is_directory(kSrc)) << kSrc;
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(kSrc)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".hpp" || ext == ".cpp"))
      files.push_back(fs::relative(e.path(), kSrc).generic_string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 50u) << "too few sources under " << kSrc;

  std::vector<std::string> problems = unplaced_folders();
  for (const std::string& file : files) {
    const std::vector<std::string> found = violations_in(file);
    problems.insert(problems.end(), found.begin(), found.end());
  }
  std::string report;
  for (const std::string& p : problems) report += "  " + p + "\n";
  EXPECT_TRUE(problems.empty()) << problems.size() << " layering violation(s) in " << files.size()
                                << " files:\n"
                                << report;
}

}  // namespace
