#include "snapshot_text.hpp"

#include "decimal.hpp"
#include "sharetrack/crc24.hpp"

namespace sharetrack::detail {
namespace {

std::uint32_t crcOf(std::string_view text) {
  return crc24(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// Six lowercase hex digits.
struct Hex24 {
  explicit Hex24(std::uint32_t value) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 5; i >= 0; --i, value >>= 4) digits[i] = kHex[value & 15];
  }
  std::string_view text() const { return {digits, sizeof digits}; }
  char digits[6];
};

std::vector<std::string_view> splitSpaces(std::string_view line) {
  std::vector<std::string_view> parts;
  parts.reserve(8);  // a record's tag and fields, once rather than as it grows
  while (!line.empty()) {
    const std::size_t space = line.find(' ');
    parts.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return parts;
}

}  // namespace

SnapshotWriter::SnapshotWriter(std::string_view kind, int version, std::size_t expectedBytes) : text_(expectedBytes) {
  text_.put(kind);
  field(version);
}

SnapshotWriter& SnapshotWriter::record(std::string_view tag) {
  text_.put('\n');
  text_.put(tag);
  return *this;
}

SnapshotWriter& SnapshotWriter::field(std::string_view text) {
  text_.put(' ');
  text_.put(text);
  return *this;
}

SnapshotWriter& SnapshotWriter::field(std::int64_t number) { return field(Decimal(number).text()); }

SnapshotWriter& SnapshotWriter::optionalField(const std::optional<std::string>& text) {
  return field(text ? std::string_view(*text) : std::string_view("-"));
}

std::string SnapshotWriter::finish() {
  text_.put('\n');
  const Hex24 crc(crcOf(text_.text()));
  text_.put("crc ");
  text_.put(crc.text());
  return std::string(text_.text());
}

std::string_view SnapshotRecord::restAfter(std::size_t count) const {
  std::string_view rest = line;
  for (std::size_t i = 0; i <= count && !rest.empty(); ++i) {
    const std::size_t space = rest.find(' ');
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  return rest;
}

Result<std::vector<SnapshotRecord>> readSnapshot(std::string_view text, std::string_view kind, int version) {
  const std::size_t headerEnd = text.find('\n');
  const auto header = splitSpaces(text.substr(0, headerEnd));
  if (header.size() != 2 || header[0] != kind) {
    return makeError(ErrorCode::snapshotForeign, "snapshot is not a " + std::string(kind) + " snapshot");
  }
  if (parseInt(header[1]) != version) {
    return makeError(ErrorCode::snapshotVersion, std::string(kind) + " snapshot version " + std::string(header[1]) +
                                                     " is not read here (reads " + std::to_string(version) + ")");
  }
  const std::size_t crcStart = text.rfind("\ncrc ");
  if (crcStart == std::string_view::npos || headerEnd == std::string_view::npos ||
      text.substr(crcStart + 5) != Hex24(crcOf(text.substr(0, crcStart + 1))).text()) {
    return makeError(ErrorCode::snapshotCorrupt, std::string(kind) + " snapshot is truncated or corrupted");
  }
  std::vector<SnapshotRecord> records;
  std::string_view body = text.substr(headerEnd + 1, crcStart - headerEnd);
  while (!body.empty()) {
    const std::size_t newline = body.find('\n');
    const std::string_view line = body.substr(0, newline);
    if (!line.empty()) {
      auto fields = splitSpaces(line);
      const std::string_view tag = fields.front();
      fields.erase(fields.begin());
      records.push_back({tag, std::move(fields), line});
    }
    if (newline == std::string_view::npos) break;
    body.remove_prefix(newline + 1);
  }
  return records;
}

// By hand rather than std::from_chars, whose libc++ code costs the browser's module a kilobyte.
std::optional<std::int64_t> parseInt(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;  // 18 digits always fit an int64
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::optional<std::string> optionalText(std::string_view field) {
  if (field == "-") return std::nullopt;
  return std::string(field);
}

}  // namespace sharetrack::detail
