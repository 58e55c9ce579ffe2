// What the command checks before it works (src/cli/checks.hpp).
#include "cli/checks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "common/suggest.hpp"
#include "network/zoo.hpp"

namespace outpace::cli {

namespace {

[[noreturn]] void bad_input(const std::string& where, const std::string& message) {
  throw ConfigError({{SourceLocation{where, 0, 0}, message}});
}

/// "a, b, c".
std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

/// A name rather than a path: no folder, no extension, and no file by that name.
bool bare_word(const std::string& value) {
  std::error_code ec;
  return !value.empty() && value.find_first_of("./:") == std::string::npos &&
         !std::filesystem::exists(value, ec);
}

}  // namespace

void check_arch_name(const std::string& value, const std::string& option) {
  const std::vector<std::string> names = arch::preset_names();
  if (!bare_word(value) || arch::preset(value)) return;
  const std::string hint = did_you_mean(value, names);
  if (!hint.empty())
    bad_input(option, "unknown preset '" + value + "'; " + hint + " (the presets are " +
                          join(names) + "; an architecture file is given by its path)");
}

void check_network_name(const std::string& value, const std::string& option) {
  const std::vector<std::string> names = network::zoo_names();
  if (!bare_word(value) || network::zoo_network(value)) return;
  const std::string hint = did_you_mean(value, names);
  if (!hint.empty())
    bad_input(option, "unknown network '" + value + "'; " + hint + " (the built-in ones are " +
                          join(names) + "; an ONNX model is given by its file, model.onnx)");
}

std::string unknown_layer_message(const std::string& name) {
  const std::size_t dot = name.find('.');
  const std::string net = name.substr(0, dot);
  const std::string layer = dot == std::string::npos ? "" : name.substr(dot + 1);
  std::string hint;
  if (const auto found = network::zoo_network(net)) {
    std::vector<std::string> layers;
    for (const network::Layer& l : found->layers) layers.push_back(l.name);
    const std::string closest = closest_name(layer, layers);
    if (!closest.empty()) hint = "; did you mean '" + net + "." + closest + "'?";
  } else if (const std::string closest = closest_name(net, network::zoo_names());
             !closest.empty()) {
    hint = "; did you mean '" + closest + (dot == std::string::npos ? "" : "." + layer) + "'?";
  }
  return "unknown layer '" + name + "'" + hint +
         " (written <network>.<layer>, e.g. resnet50.conv3_1b; docs/zoo.md lists them)";
}

void check_output_path(const std::string& option, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string shown = "cannot write '" + path + "': ";
  if (fs::is_directory(path, ec)) bad_input(option, shown + "it is a folder");
  const fs::path folder =
      fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (!fs::exists(folder, ec))
    bad_input(option, shown + "the folder '" + folder.string() + "' does not exist");
  if (!fs::is_directory(folder, ec))
    bad_input(option, shown + "'" + folder.string() + "' is not a folder");
  // An existing file: access(2) asks the kernel, so permissions, ACLs and read-only mounts all
  // count, and nothing is opened (the path may be a pipe). A new one: the file is created and
  // removed again, since only creating tells (e.g. a folder of /proc, where even root may not).
  if (fs::exists(path, ec)) {
    if (access(path.c_str(), W_OK) != 0)
      throw EnvironmentError(SourceLocation{option, 0, 0}, shown + std::strerror(errno));
    return;
  }
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return;  // made meanwhile by someone else: checked when written
    throw EnvironmentError(SourceLocation{option, 0, 0}, shown + std::strerror(errno));
  }
  close(fd);
  unlink(path.c_str());
}

void write_output_file(const std::string& path, const std::string& text) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f)
    throw EnvironmentError(SourceLocation{path, 0, 0},
                           std::string("cannot write the file: ") + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int err = written ? 0 : errno;
  if (std::fclose(f) != 0 && err == 0) err = errno;
  if (written && err == 0) return;
  std::remove(path.c_str());  // a cut-off report must not pass for a whole one
  throw EnvironmentError(SourceLocation{path, 0, 0}, std::string("cannot write the file: ") +
                                                         std::strerror(err ? err : EIO) +
                                                         " (the partial file is removed)");
}

}  // namespace outpace::cli
