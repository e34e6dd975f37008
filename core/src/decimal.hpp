// The decimal text of an integer, held in place: no std::string (whose short-string room under
// wasm, 10 characters, cannot hold a millisecond time, so std::to_string allocates) and no
// locale. std::to_chars is the code std::to_string runs, which the browser's module has anyway.
#pragma once

#include <charconv>
#include <cstddef>
#include <string_view>

namespace sharetrack::detail {

class Decimal {
 public:
  template <typename Integer>
  explicit Decimal(Integer value)
      : length_(static_cast<std::size_t>(std::to_chars(text_, text_ + sizeof text_, value).ptr - text_)) {}

  std::string_view text() const { return {text_, length_}; }

 private:
  char text_[20];  // "18446744073709551615", "-9223372036854775808"
  std::size_t length_;
};

}  // namespace sharetrack::detail
