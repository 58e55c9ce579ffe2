// read_text_file: a file's exact bytes; a missing or unreadable path is a ConfigError naming it.
#include "common/text_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/config_error.hpp"

namespace outpace {
namespace {

std::string temp_path(const std::string& name) {
  const std::string path = testing::TempDir() + name;
  std::filesystem::remove_all(path);
  return path;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ReadTextFile, ReturnsTheExactBytes) {
  const std::string path = temp_path("outpace_text_file_bytes.txt");
  // CR LF kept, a NUL kept, no newline at the end.
  const std::string bytes = std::string("line 1\r\nline\0 2\n\tend", 20);
  write_bytes(path, bytes);
  EXPECT_EQ(read_text_file(path), bytes);
}

TEST(ReadTextFile, EmptyFileIsEmptyText) {
  const std::string path = temp_path("outpace_text_file_empty.txt");
  write_bytes(path, "");
  EXPECT_EQ(read_text_file(path), "");
}

TEST(ReadTextFile, FileLargerThanOneBuffer) {
  // The reader copies 65536 bytes at a time; 200000 bytes take four reads (3 full, 1 partial).
  const std::string path = temp_path("outpace_text_file_large.txt");
  std::string bytes(200000, ' ');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + i % 26);
  write_bytes(path, bytes);
  const std::string read = read_text_file(path);
  EXPECT_EQ(read.size(), 200000u);
  EXPECT_EQ(read, bytes);
}

TEST(ReadTextFile, MissingFileIsAConfigErrorNamingThePath) {
  const std::string path = temp_path("outpace_no_such_file.yaml");
  try {
    read_text_file(path);
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& e) {
    // No line or column: the location is the path alone, then strerror(ENOENT).
    EXPECT_EQ(std::string(e.what()), path + ": cannot open file: No such file or directory");
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].where.file, path);
    EXPECT_EQ(e.diagnostics()[0].where.line, 0);
    EXPECT_EQ(e.diagnostics()[0].message, "cannot open file: No such file or directory");
  }
}

TEST(ReadTextFile, DirectoryIsAConfigErrorNamingThePath) {
  // fopen opens a directory for reading on Linux; reading it fails with EISDIR.
  const std::string path = temp_path("outpace_text_file_dir");
  std::filesystem::create_directory(path);
  try {
    read_text_file(path);
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot read file: Is a directory");
  }
}

}  // namespace
}  // namespace outpace
