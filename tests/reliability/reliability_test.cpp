// The runner of the reliability suite: each case of the tables (cases_*.cpp) becomes one test
// that writes the case's files into a fresh folder, runs the built `outpace` there as a user
// would, and checks its exit code and one whole line of its standard error.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reliability/cases.hpp"

namespace outpace::reliability {

/// A case prints as its name (in ctest's listing and in failures), not as bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

namespace {

namespace fs = std::filesystem;

/// A command that runs longer than this is killed and fails its case (a hang, not a refusal).
constexpr std::chrono::seconds kTimeout{5};

struct Outcome {
  bool timed_out = false;
  int signal = 0;      ///< the signal that ended the command, 0 if it exited
  int exit_code = -1;  ///< its exit code when it exited
  std::string out;     ///< standard output
  std::string err;     ///< standard error
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep))
    if (sep != ' ' || !part.empty()) parts.push_back(part);
  return parts;
}

/// Runs `outpace args` in `dir` (no shell; standard input empty; the results cache in `dir`),
/// killing it and its children after kTimeout.
Outcome run(const std::vector<std::string>& args, const fs::path& dir) {
  const fs::path out_path = dir.string() + ".stdout", err_path = dir.string() + ".stderr";
  const pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    if (chdir(dir.c_str()) != 0) _exit(126);
    setenv("XDG_CACHE_HOME", dir.c_str(), 1);
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> argv = {const_cast<char*>(OUTPACE_BIN)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(OUTPACE_BIN, argv.data());
    _exit(127);
  }
  setpgid(child, child);  // also here: the child may not have run yet when it is killed
  Outcome r;
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-child, SIGKILL);
      waitpid(child, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto* table : {problem_cases, arch_cases, mapping_cases, constraints_cases, timeloop_cases,
                      onnx_cases, cli_cases})
    for (Case& c : table()) all.push_back(std::move(c));
  return all;
}

class BadInput : public testing::TestWithParam<Case> {};

TEST_P(BadInput, Rejects) {
  const Case& c = GetParam();
  const fs::path dir = fs::path(testing::TempDir()) / "outpace_reliability" /
                       (c.name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [name, bytes] : c.files) {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }
  std::vector<std::string> args = split(replace_all(c.command, kDir, dir.string()), ' ');
  const Outcome r = run(args, dir);
  const std::string err = replace_all(r.err, dir.string(), kDir);
  const std::string out = replace_all(r.out, dir.string(), kDir);
  const std::vector<std::string> lines = split(c.stream == Stream::err ? err : out, '\n');
  const bool found = std::find(lines.begin(), lines.end(), c.stderr_line) != lines.end();
  const std::string got = r.timed_out ? "a timeout"
                          : r.signal  ? "signal " + std::to_string(r.signal)
                                      : "exit " + std::to_string(r.exit_code);
  const std::string what = "case " + c.name + ": outpace " + c.command + "\n  expected exit " +
                           std::to_string(c.exit_code) + " and on std" +
                           (c.stream == Stream::err ? "err" : "out") + " the line\n    " +
                           c.stderr_line + "\n  got " + got + " and standard error\n" + err +
                           (c.stream == Stream::out ? "and standard output\n" + out : "");
  // Every command ends by itself with a documented code: never a hang or a signal.
  EXPECT_FALSE(r.timed_out) << what;
  EXPECT_EQ(r.signal, 0) << what;
  EXPECT_TRUE(r.exit_code >= 0 && r.exit_code <= 4) << what;
  EXPECT_EQ(r.exit_code, c.exit_code) << what;
  EXPECT_TRUE(found) << what;
  fs::remove_all(dir);
  fs::remove(dir.string() + ".stdout");
  fs::remove(dir.string() + ".stderr");
}

// Every name is a valid test name and appears once, so that each case is found by its name.
TEST(Reliability, CaseNamesAreUniqueAndPlain) {
  std::set<std::string> seen;
  for (const Case& c : all_cases()) {
    EXPECT_TRUE(seen.insert(c.name).second) << "two cases are named " << c.name;
    EXPECT_FALSE(c.name.empty());
    EXPECT_EQ(c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789_"),
              std::string::npos)
        << c.name;
    EXPECT_FALSE(c.stderr_line.empty()) << c.name << ": no expected message";
  }
}

INSTANTIATE_TEST_SUITE_P(Reliability, BadInput, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace outpace::reliability
