// A minimal JSON writer: compact output in the order written, strings escaped (invalid UTF-8
// becomes U+FFFD), numbers with at most six decimals. The widget encodes with it, so the
// browser module carries no general JSON library; reading JSON stays nlohmann's, natively.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sharetrack/text_buffer.hpp"

namespace sharetrack {

class JsonWriter {
 public:
  // `expectedBytes`: room taken at once, so a text of about that size is never copied to grow.
  explicit JsonWriter(std::size_t expectedBytes = 256) : out_(expectedBytes) {}

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& number(double value);  // finite, within ±1e15: rounded to six decimals
  JsonWriter& boolean(bool value);
  JsonWriter& raw(std::string_view json);  // a value some JsonWriter wrote already

  std::string_view text() const { return out_.text(); }
  std::string str() const { return std::string(text()); }

 private:
  // Room for the quotes and the longest escape of each byte (six: \u00XX, \ufffd), so a string
  // is written through one pointer: most are short, and a call per piece would cost more.
  static constexpr std::size_t kQuotedRoom = 6;
  char* valueRoom(std::size_t bytes);  // room for a value of up to `bytes`, after its comma if any
  static char* quoted(char* at, std::string_view text);  // writes "text", escaped; returns its end
  JsonWriter& plain(std::string_view text);              // a value that needs no escaping

  TextBuffer out_;
  bool needsComma_ = false;
};

}  // namespace sharetrack
