// A minimal JSON writer: compact output in the order written, strings escaped (invalid UTF-8
// becomes U+FFFD), numbers with at most six decimals. The widget encodes with it, so the
// browser module carries no general JSON library; reading JSON stays nlohmann's, natively.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sharetrack {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& number(double value);  // finite, within ±1e15: rounded to six decimals
  JsonWriter& boolean(bool value);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();

  std::string out_;
  bool needsComma_ = false;
};

}  // namespace sharetrack
