#include "report/json_writer.hpp"

#include "common/utf8.hpp"

#include <charconv>
#include <cmath>

namespace outpace::report {

std::string json_quote(std::string_view s) {
  std::string q = "\"";
  for (char c : valid_utf8(s)) {
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\n': q += "\\n"; break;
      case '\t': q += "\\t"; break;
      case '\r': q += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          q += "\\u00";
          q += hex[(c >> 4) & 0xf];
          q += hex[c & 0xf];
        } else {
          q += c;
        }
    }
  }
  return q + "\"";
}

void JsonWriter::member(std::string_view key) {
  if (!first_.empty()) {
    if (!first_.back()) out_ += ",";
    first_.back() = false;
    out_ += "\n" + std::string(2 * first_.size(), ' ');
  }
  if (!key.empty()) out_ += json_quote(key) + ": ";
}

void JsonWriter::raw(std::string_view key, std::string_view text) {
  member(key);
  out_ += text;
}

JsonWriter& JsonWriter::begin_object(std::string_view key) {
  raw(key, "{");
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ += "\n" + std::string(2 * first_.size(), ' ');
  out_ += "}";
  if (first_.empty()) out_ += "\n";
  return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view key) {
  raw(key, "[");
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) out_ += "\n" + std::string(2 * first_.size(), ' ');
  out_ += "]";
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view key, std::string_view s) {
  raw(key, json_quote(s));
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view key, std::int64_t n) {
  raw(key, std::to_string(n));
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view key, double x) {
  if (!std::isfinite(x)) {
    raw(key, "null");
    return *this;
  }
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, x).ptr;
  raw(key, std::string_view(buf, end - buf));
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view key, bool b) {
  raw(key, b ? "true" : "false");
  return *this;
}

}  // namespace outpace::report
