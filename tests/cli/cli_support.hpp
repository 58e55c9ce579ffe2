// What the tests of the `outpace` command share: running it and reading its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace nlohmann {
// GoogleTest would print a json value as a container of itself, forever; print its text instead.
inline void PrintTo(const json& j, std::ostream* os) { *os << j.dump(); }
}  // namespace nlohmann

namespace outpace::cli_testing {

using nlohmann::json;

struct Outcome {
  int exit_code;
  std::string out;  ///< standard output, then standard error
};

inline Outcome run(const std::string& args, bool with_stderr = false) {
  const std::string cmd =
      std::string(OUTPACE_BIN) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  std::FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string example(const std::string& path) {
  return std::string(OUTPACE_SOURCE_DIR) + "/examples/" + path;
}

inline const std::string kAlexNet = "--arch eyeriss --problem " +
                                    example("problems/alexnet_conv1.yaml") + " --mapping " +
                                    example("mappings/eyeriss_alexnet_conv1.yaml");

/// The command's output parsed as JSON; a discarded value (is_discarded()) when it is not JSON.
inline json parse(const std::string& text) {
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

/// The object of `tensor` in the level named `level` of an eval or map report (`levels`, then
/// each level's `tensors`, found by `name`); null when there is none.
inline json tensor_json(const json& report, const std::string& level, const std::string& tensor) {
  for (const json& l : report.value("levels", json::array()))
    if (l.value("name", "") == level)
      for (const json& t : l.value("tensors", json::array()))
        if (t.value("name", "") == tensor) return t;
  return nullptr;
}

}  // namespace outpace::cli_testing
