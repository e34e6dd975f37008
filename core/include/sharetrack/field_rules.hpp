// The protocol's rules for strings (core/PROTOCOL.md): which characters and lengths each kind of
// id may have. The widget checks what it is given with them, the collector what it receives, the
// engine what it restores; no JSON library is involved.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "sharetrack/protocol_limits.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

// A set of bytes, built at compile time from the description messages show: ranges and single
// characters separated by spaces ("A-Z a-z 0-9 - _"). One source for the check and its message.
class Charset {
 public:
  constexpr explicit Charset(std::string_view description) : description_(description) {
    for (std::size_t i = 0; i < description.size();) {
      const std::size_t end = description.find(' ', i) == std::string_view::npos ? description.size()
                                                                                  : description.find(' ', i);
      const std::string_view item = description.substr(i, end - i);
      if (item.size() == 3 && item[1] == '-') {
        for (unsigned c = static_cast<unsigned char>(item[0]); c <= static_cast<unsigned char>(item[2]); ++c) add(c);
      } else if (item.size() == 1) {
        add(static_cast<unsigned char>(item[0]));
      }
      i = end + 1;
    }
  }
  // Every byte: for text whose only rule is its length.
  static constexpr Charset anyByte() {
    Charset all("any byte");
    for (auto& word : all.bits_) word = ~std::uint64_t{0};
    return all;
  }

  constexpr bool contains(char c) const {
    const auto byte = static_cast<unsigned char>(c);
    return (bits_[byte >> 6] >> (byte & 63)) & 1;
  }
  constexpr std::string_view description() const { return description_; }

 private:
  constexpr void add(unsigned byte) { bits_[byte >> 6] |= std::uint64_t{1} << (byte & 63); }

  std::array<std::uint64_t, 4> bits_{};
  std::string_view description_;
};

struct StringRule {
  std::size_t minLength;
  std::size_t maxLength;
  Charset charset;
};

namespace rules {
inline constexpr Charset kBase64Url("A-Z a-z 0-9 - _");
// Event, batch and page-view ids.
inline constexpr StringRule id{kMinIdLength, kMaxIdLength, kBase64Url};
inline constexpr StringRule site{1, kMaxSiteIdLength, Charset("a-z 0-9 - _")};
// 128 bits as lowercase hex.
inline constexpr StringRule visitor{kVisitorIdLength, kVisitorIdLength, Charset("0-9 a-f")};
inline constexpr StringRule subscriber{1, kMaxSubscriberIdLength, Charset("A-Z a-z 0-9 - _ . ~ :")};
inline constexpr StringRule content{1, kMaxContentIdLength, Charset("A-Z a-z 0-9 - _ . ~ : /")};
inline constexpr StringRule conversionName{1, kMaxConversionNameLength, Charset("A-Z a-z 0-9 - _ . :")};
// An error code's wire name.
inline constexpr StringRule code{1, kMaxCodeLength, Charset("a-z 0-9 _")};
}  // namespace rules

// Whether `text` follows `rule`.
constexpr bool follows(std::string_view text, const StringRule& rule) {
  if (text.size() < rule.minLength || text.size() > rule.maxLength) return false;
  for (char c : text) {
    if (!rule.charset.contains(c)) return false;
  }
  return true;
}

// Succeeds when `text` follows `rule`; else fieldLength or fieldCharset, naming `path`.
Status validateString(std::string_view text, const StringRule& rule, std::string_view path);

}  // namespace sharetrack
