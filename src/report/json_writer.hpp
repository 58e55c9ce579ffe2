#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace outpace::report {

/// Writes JSON text incrementally, with indentation; keys and strings are escaped.
class JsonWriter {
 public:
  /// Opens an object, as a value or (with a key) as a member.
  JsonWriter& begin_object(std::string_view key = {});
  JsonWriter& end_object();
  /// Opens an array, as a value or (with a key) as a member.
  JsonWriter& begin_array(std::string_view key = {});
  JsonWriter& end_array();
  /// Writes a member (inside an object) or an element (inside an array, with an empty key).
  JsonWriter& value(std::string_view key, std::string_view s);
  JsonWriter& value(std::string_view key, const char* s) { return value(key, std::string_view(s)); }
  JsonWriter& value(std::string_view key, std::int64_t n);
  JsonWriter& value(std::string_view key, int n) { return value(key, static_cast<std::int64_t>(n)); }
  JsonWriter& value(std::string_view key, double x);
  JsonWriter& value(std::string_view key, bool b);
  /// The text written so far (complete once every object and array is closed).
  const std::string& str() const { return out_; }

 private:
  void member(std::string_view key);
  void raw(std::string_view key, std::string_view text);
  std::string out_;
  std::vector<bool> first_;  ///< per open container: no member written yet
};

/// `s` as a quoted JSON string.
std::string json_quote(std::string_view s);

}  // namespace outpace::report
