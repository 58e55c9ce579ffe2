#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace outpace {

/// Largest spec file read (problem, architecture, mapping, constraints, Timeloop's files): 64 MiB.
inline constexpr std::size_t kMaxSpecFileBytes = std::size_t{64} << 20;

/// The whole content of a file; a missing or unreadable file is a ConfigError naming the path,
/// and so is a file (or a stream such as /dev/zero) longer than `limit` bytes: "<path>: the
/// file is larger than the limit of 64 MiB for a spec file" (`kind` names what the file is).
std::string read_text_file(const std::string& path, std::size_t limit = kMaxSpecFileBytes,
                           std::string_view kind = "a spec file");

/// How reading a file ended.
enum class FileStatus { kRead, kCannotOpen, kCannotRead, kTooLarge };

/// A file's bytes as read_file_bytes leaves them.
struct FileBytes {
  FileStatus status = FileStatus::kRead;
  int error = 0;      ///< errno when the file could not be opened or read
  std::string bytes;  ///< the whole content when read
};

/// Reads at most `limit` bytes of a file; past that (without reading further) kTooLarge.
FileBytes read_file_bytes(const std::string& path, std::size_t limit);

/// A byte count for messages: "64 MiB", "1 GiB", "512 KiB", or "1000 bytes".
std::string byte_size_text(std::uint64_t bytes);

/// "the file is larger than the limit of 64 MiB for a spec file".
std::string too_large_message(std::uint64_t limit, std::string_view kind);

}  // namespace outpace
