#include "common/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/config_error.hpp"

namespace outpace {

[[noreturn]] static void file_error(const std::string& path, const char* what, int err) {
  throw ConfigError(
      {Diagnostic{SourceLocation{path, 0, 0}, std::string(what) + std::strerror(err)}});
}

std::string read_text_file(const std::string& path) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const int err = errno;
    file_error(path, "cannot open file: ", err);
  }
  std::string text;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed)
    file_error(path, "cannot read file: ", err);
  return text;
}

}  // namespace outpace
