#include "common/text_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/config_error.hpp"

namespace outpace {

[[noreturn]] static void file_error(const std::string& path, const std::string& message) {
  throw ConfigError({Diagnostic{SourceLocation{path, 0, 0}, message}});
}

FileBytes read_file_bytes(const std::string& path, std::size_t limit) {
  FileBytes out;
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {FileStatus::kCannotOpen, errno, {}};
  struct stat info {};
  if (fstat(fileno(f), &info) == 0 && S_ISREG(info.st_mode)) {
    // A regular file says its size: refuse it without reading, or read it in one allocation.
    if (static_cast<std::uint64_t>(info.st_size) > limit) {
      std::fclose(f);
      return {FileStatus::kTooLarge, 0, {}};
    }
    out.bytes.reserve(static_cast<std::size_t>(info.st_size));
  }
  char buffer[65536];
  std::size_t n;
  // Devices and pipes (/dev/zero, a FIFO) say nothing of their length: stop one byte past it.
  while (out.bytes.size() <= limit && (n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    out.bytes.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (out.bytes.size() > limit) return {FileStatus::kTooLarge, 0, {}};
  if (failed) return {FileStatus::kCannotRead, err, {}};
  return out;
}

std::string byte_size_text(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  std::string unit = "bytes";
  for (const char* u : kUnits) {
    if (bytes == 0 || bytes % 1024 != 0) break;
    bytes /= 1024;
    unit = u;
  }
  return std::to_string(bytes) + " " + unit;
}

std::string too_large_message(std::uint64_t limit, std::string_view kind) {
  return "the file is larger than the limit of " + byte_size_text(limit) + " for " +
         std::string(kind);
}

std::string read_text_file(const std::string& path, std::size_t limit, std::string_view kind) {
  FileBytes read = read_file_bytes(path, limit);
  switch (read.status) {
    case FileStatus::kRead:
      break;
    case FileStatus::kCannotOpen:
      file_error(path, std::string("cannot open file: ") + std::strerror(read.error));
    case FileStatus::kCannotRead:
      file_error(path, std::string("cannot read file: ") + std::strerror(read.error));
    case FileStatus::kTooLarge:
      file_error(path, too_large_message(limit, kind));
  }
  return std::move(read.bytes);
}

}  // namespace outpace
