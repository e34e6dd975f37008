// The compact text of engine snapshots: a "<kind> <version>" line, one record per line as
// space-separated fields (the last field of a record may hold spaces), and a closing
// "crc <hex>" line over everything before it, so a truncated or corrupted snapshot is refused
// whole. No JSON parser is needed to read it back, which keeps the browser module small.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/result.hpp"
#include "sharetrack/text_buffer.hpp"

namespace sharetrack::detail {

class SnapshotWriter {
 public:
  // `expectedBytes`: room taken at once, so that a long snapshot is not copied as it grows.
  SnapshotWriter(std::string_view kind, int version, std::size_t expectedBytes = 256);
  SnapshotWriter& record(std::string_view tag);
  SnapshotWriter& field(std::string_view text);  // must hold no space or newline (but the last)
  SnapshotWriter& field(std::int64_t number);
  SnapshotWriter& optionalField(const std::optional<std::string>& text);  // "-" when absent
  std::string finish();  // the text with its check line

 private:
  TextBuffer text_;
};

struct SnapshotRecord {
  std::string_view tag;
  std::vector<std::string_view> fields;
  std::string_view line;  // the whole line, for records whose last field holds spaces
  // The text after the first `count` fields (and the tag).
  std::string_view restAfter(std::size_t count) const;
};

// Checks kind, version and CRC; fails with snapshotCorrupt, snapshotForeign or snapshotVersion.
Result<std::vector<SnapshotRecord>> readSnapshot(std::string_view text, std::string_view kind, int version);

std::optional<std::int64_t> parseInt(std::string_view text);
std::optional<std::string> optionalText(std::string_view field);  // "-" is absent

}  // namespace sharetrack::detail
