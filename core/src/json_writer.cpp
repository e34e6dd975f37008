#include "sharetrack/json_writer.hpp"

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

}  // namespace

void JsonWriter::separate() {
  if (needsComma_) out_ += ',';
  needsComma_ = true;
}

JsonWriter& JsonWriter::beginObject() {
  separate();
  out_ += '{';
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_ += '}';
  needsComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separate();
  out_ += '[';
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_ += ']';
  needsComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  string(name);
  out_ += ':';
  needsComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  separate();
  out_ += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
    } else if (c < 0x20) {
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 15];
    } else if (c < 0x80) {
      out_ += static_cast<char>(c);
    } else if (const std::size_t length = utf8Length(text, i)) {
      out_.append(text.substr(i, length));
      i += length - 1;
    } else {
      out_ += "\\ufffd";
    }
  }
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  separate();
  // Fixed point with at most six decimals, written without printf: the browser module stays
  // free of the C library's formatting code (about a tenth of its size).
  const bool negative = value < 0;
  const double magnitude = negative ? -value : value;
  auto whole = static_cast<std::uint64_t>(magnitude);
  auto micros = static_cast<std::uint64_t>((magnitude - static_cast<double>(whole)) * 1e6 + 0.5);
  if (micros >= 1000000) {
    whole += 1;
    micros -= 1000000;
  }
  if (negative && (whole || micros)) out_ += '-';
  out_ += std::to_string(whole);
  if (micros) {
    std::string fraction = std::to_string(micros);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (fraction.back() == '0') fraction.pop_back();
    out_ += '.';
    out_ += fraction;
  }
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

}  // namespace sharetrack
