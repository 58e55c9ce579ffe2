// `outpace run` gives the same answer on a quiet and on a busy machine: its searches are bounded
// by steps, not seconds (docs/cli.md, "Budgets").
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;

/// Runs outpace with `args`; its exit code.
int run(const std::string& args) {
  const std::string cmd = std::string(OUTPACE_BIN) + " " + args + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
}

/// Processes that keep every core busy until the object goes away.
class BusyMachine {
 public:
  explicit BusyMachine(unsigned processes) {
    for (unsigned i = 0; i < processes; ++i) {
      const pid_t pid = fork();
      if (pid == 0) {
        [[maybe_unused]] volatile unsigned long seen = 0;  // kept: the loop stays
        for (unsigned long spin = 0;; ++spin) seen = spin;
      }
      if (pid > 0) children_.push_back(pid);
    }
  }
  ~BusyMachine() {
    for (pid_t pid : children_) kill(pid, SIGKILL);
    for (pid_t pid : children_) waitpid(pid, nullptr, 0);
  }
  BusyMachine(const BusyMachine&) = delete;
  BusyMachine& operator=(const BusyMachine&) = delete;
  std::size_t size() const { return children_.size(); }

 private:
  std::vector<pid_t> children_;
};

TEST(Load, RunGivesTheSameTotalsOnAQuietAndABusyMachine) {
  // A step budget small enough that some layers are cut by it: what they return depends on
  // where the search stops, which must not depend on the machine's load.
  const std::string dir = testing::TempDir();
  const std::string command =
      "run --net resnet50 --arch simba --no-cache --threads 2 --max-steps 40000 --json ";
  ASSERT_EQ(run(command + dir + "quiet.json"), 0);
  {
    const BusyMachine busy(2 * std::max(1u, std::thread::hardware_concurrency()));
    ASSERT_GT(busy.size(), 0u);
    ASSERT_EQ(run(command + dir + "busy.json"), 0);
  }
  const json quiet = read_json(dir + "quiet.json"), loaded = read_json(dir + "busy.json");
  ASSERT_FALSE(quiet.is_discarded());
  ASSERT_FALSE(loaded.is_discarded());
  EXPECT_EQ(quiet["totals"]["energy_pj"], loaded["totals"]["energy_pj"]);
  EXPECT_EQ(quiet["totals"]["cycles"], loaded["totals"]["cycles"]);
  int cut = 0;
  ASSERT_EQ(quiet["layers"].size(), loaded["layers"].size());
  for (std::size_t i = 0; i < quiet["layers"].size(); ++i) {
    const json& a = quiet["layers"][i]["report"];
    const json& b = loaded["layers"][i]["report"];
    EXPECT_EQ(a["mapping"], b["mapping"]) << quiet["layers"][i]["name"];
    EXPECT_EQ(a["search"]["steps"], b["search"]["steps"]) << quiet["layers"][i]["name"];
    cut += a["search"]["stopped_by"] == "steps" ? 1 : 0;
  }
  EXPECT_GT(cut, 0) << "no layer was cut by the step budget: the test proves nothing";
}

}  // namespace
