#include "snapshot_text.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sharetrack;
using namespace sharetrack::detail;

TEST_CASE("a snapshot reads back its records and its last field keeps its spaces", "[snapshot_text]") {
  SnapshotWriter out("sharetrack-test", 3);
  out.record("a").field("one").field(std::int64_t{-42});
  out.record("b").optionalField(std::nullopt).field("the rest has spaces");
  const std::string text = out.finish();
  const auto records = readSnapshot(text, "sharetrack-test", 3);
  REQUIRE(records.ok());
  REQUIRE(records.value().size() == 2);
  CHECK(records.value()[0].tag == "a");
  CHECK(records.value()[0].fields[0] == "one");
  CHECK(parseInt(records.value()[0].fields[1]) == -42);
  CHECK(records.value()[1].fields[0] == "-");
  CHECK_FALSE(optionalText(records.value()[1].fields[0]));
  CHECK(records.value()[1].restAfter(1) == "the rest has spaces");
}

TEST_CASE("a snapshot of another kind or version or a damaged one is refused whole", "[snapshot_text]") {
  SnapshotWriter out("sharetrack-test", 3);
  out.record("a").field("one");
  const std::string text = out.finish();
  CHECK(readSnapshot(text, "sharetrack-other", 3).error().code == ErrorCode::snapshotForeign);
  CHECK(readSnapshot(text, "sharetrack-test", 4).error().code == ErrorCode::snapshotVersion);
  CHECK(readSnapshot(text.substr(0, text.size() - 3), "sharetrack-test", 3).error().code == ErrorCode::snapshotCorrupt);
  std::string flipped = text;
  flipped[flipped.find("one")] = 'O';
  CHECK(readSnapshot(flipped, "sharetrack-test", 3).error().code == ErrorCode::snapshotCorrupt);
  CHECK(readSnapshot("", "sharetrack-test", 3).error().code == ErrorCode::snapshotForeign);
}

TEST_CASE("numbers in snapshots are plain decimal integers", "[snapshot_text]") {
  CHECK(parseInt("0") == 0);
  CHECK(parseInt("1763769600000") == 1763769600000);
  CHECK(parseInt("-7") == -7);
  CHECK(parseInt("999999999999999999") == 999999999999999999);
  for (const char* bad : {"", "-", "+1", "1.5", "1e3", " 1", "12a", "0x10", "9999999999999999999"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(parseInt(bad));
  }
}
