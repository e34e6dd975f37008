#include "sharetrack/json_writer.hpp"

#include <algorithm>
#include <cstring>

#include "decimal.hpp"

namespace sharetrack {
namespace {

// The length of the valid UTF-8 sequence at `at`, or 0 when it is not one.
std::size_t utf8Length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(at + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
      (lead == 0xF4 && second > 0x8F)) {
    return 0;  // overlong, surrogate, or past U+10FFFF
  }
  return length;
}

// What JSON takes as it is in a string: printable ASCII but '"' and '\\'.
bool plainByte(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Whether all eight bytes of `word` are plainByte, tested at once.
bool plainWord(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  // Whether some byte of w is below n (n <= 128).
  const auto anyBelow = [](std::uint64_t w, std::uint64_t n) { return ((w - kOnes * n) & ~w & kHighs) != 0; };
  return !(word & kHighs) && !anyBelow(word, 0x20) && !anyBelow(word ^ (kOnes * '"'), 1) &&
         !anyBelow(word ^ (kOnes * '\\'), 1);
}

// Copies text that needs no escaping (nearly all of it: ids, tokens, names) to `at`, eight bytes
// at a time and the last eight overlapping; returns the end, or nullptr when some byte needs
// escaping, having written part of it (the caller writes over that).
char* plainCopy(char* at, const char* text, std::size_t size) {
  if (size < 8) {
    for (std::size_t i = 0; i < size; ++i) {
      if (!plainByte(static_cast<unsigned char>(text[i]))) return nullptr;
      at[i] = text[i];
    }
    return at + size;
  }
  const auto copyWord = [&](std::size_t i) {
    std::uint64_t word;
    std::memcpy(&word, text + i, 8);
    std::memcpy(at + i, &word, 8);
    return plainWord(word);
  };
  for (std::size_t i = 0; i + 8 < size; i += 8) {
    if (!copyWord(i)) return nullptr;
  }
  return copyWord(size - 8) ? at + size : nullptr;
}

// Copies `text` to `at` with JSON's escapes, invalid UTF-8 as U+FFFD; returns the end.
char* escapedCopy(char* at, const char* text, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (plainByte(c)) {
      *at++ = static_cast<char>(c);
    } else if (c == '"' || c == '\\') {
      *at++ = '\\';
      *at++ = static_cast<char>(c);
    } else if (c < 0x20) {
      at = std::copy_n("\\u00", 4, at);
      *at++ = kHex[c >> 4];
      *at++ = kHex[c & 15];
    } else if (const std::size_t length = utf8Length({text, size}, i)) {
      at = std::copy_n(text + i, length, at);
      i += length - 1;
    } else {
      at = std::copy_n("\\ufffd", 6, at);
    }
  }
  return at;
}

}  // namespace

char* JsonWriter::valueRoom(std::size_t bytes) {
  char* at = out_.room(1 + bytes);
  if (needsComma_) *at++ = ',';
  needsComma_ = true;
  return at;
}

char* JsonWriter::quoted(char* at, std::string_view text) {
  *at++ = '"';
  char* const end = plainCopy(at, text.data(), text.size());
  at = end ? end : escapedCopy(at, text.data(), text.size());
  *at++ = '"';
  return at;
}

JsonWriter& JsonWriter::plain(std::string_view text) {
  char* at = valueRoom(text.size());
  out_.written(std::copy_n(text.data(), text.size(), at));
  return *this;
}

JsonWriter& JsonWriter::beginObject() {
  plain("{");
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_.put('}');
  needsComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  plain("[");
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_.put(']');
  needsComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  char* at = quoted(valueRoom(kQuotedRoom * name.size() + 3), name);
  *at++ = ':';
  out_.written(at);
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  out_.written(quoted(valueRoom(kQuotedRoom * text.size() + 2), text));
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t value) { return plain(detail::Decimal(value).text()); }

JsonWriter& JsonWriter::number(double value) {
  // Fixed point with at most six decimals, written without printf: the browser module stays
  // free of the C library's formatting code (about a tenth of its size).
  const bool negative = value < 0;
  const double magnitude = negative ? -value : value;
  auto whole = static_cast<std::uint64_t>(magnitude);
  auto micros = static_cast<std::uint32_t>((magnitude - static_cast<double>(whole)) * 1e6 + 0.5);
  if (micros >= 1000000) {
    whole += 1;
    micros -= 1000000;
  }
  char text[32];  // sign, 20 digits, point, 6 decimals
  std::size_t length = 0;
  if (negative && (whole || micros)) text[length++] = '-';
  const detail::Decimal digits(whole);
  length = static_cast<std::size_t>(std::copy_n(digits.text().data(), digits.text().size(), text + length) - text);
  if (micros) {
    text[length++] = '.';
    for (int i = 5; i >= 0; --i, micros /= 10) text[length + static_cast<std::size_t>(i)] = static_cast<char>('0' + micros % 10);
    length += 6;
    while (text[length - 1] == '0') --length;
  }
  return plain({text, length});
}

JsonWriter& JsonWriter::boolean(bool value) { return plain(value ? "true" : "false"); }

JsonWriter& JsonWriter::raw(std::string_view json) { return plain(json); }

}  // namespace sharetrack
