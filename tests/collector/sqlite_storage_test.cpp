#include "sqlite_storage.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/erased_form.hpp"
#include "support/collector_process.hpp"
#include "support/sqlite_reader.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

namespace {

IncomingBatch vectorBatch(const std::string& clientKey = "", bool botUserAgent = false) {
  const auto decoded = decodeBatch(test::loadVectors("batches.json")["valid"][0]["batch"].dump());
  IncomingBatch batch;
  batch.header = decoded.value().header;
  batch.receivedAtMs = 1707670900000;
  batch.clientKey = clientKey;
  batch.botUserAgent = botUserAgent;
  for (const auto& e : decoded.value().events) batch.add(e.event.value());
  return batch;
}

}  // namespace

TEST_CASE("storage migrates a new file and stores each event id once across reopening", "[collector][storage]") {
  test::TempFolder folder;
  const IncomingBatch batch = vectorBatch();
  {
    auto storage = SqliteStorage::open(folder.file("t.db"), Durability::full);
    REQUIRE(storage.ok());
    const auto first = storage.value()->store({&batch, &batch});  // the same batch twice in one transaction
    REQUIRE(first.ok());
    for (StoreOutcome o : first.value()[0]) CHECK(o == StoreOutcome::accepted);
    for (StoreOutcome o : first.value()[1]) CHECK(o == StoreOutcome::duplicate);
  }
  auto reopened = SqliteStorage::open(folder.file("t.db"), Durability::normal);
  REQUIRE(reopened.ok());
  const auto again = reopened.value()->store({&batch});
  for (StoreOutcome o : again.value()[0]) CHECK(o == StoreOutcome::duplicate);
  test::SqliteReader db(folder.file("t.db"));
  CHECK(db.integer("PRAGMA user_version") == SqliteStorage::schemaVersion());
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 7);
  CHECK(db.column("PRAGMA journal_mode") == std::vector<std::string>{"wal"});
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 2);
  CHECK(db.column("SELECT shares FROM summaries WHERE event_id = 'evt-sum-1'") ==
        std::vector<std::string>{R"({"copy":1,"x":2})"});
  CHECK(db.integer("SELECT queue_overflow FROM batches") == 2);
}

TEST_CASE("a database from a newer collector is refused and not damaged", "[collector][storage]") {
  test::TempFolder folder;
  { REQUIRE(SqliteStorage::open(folder.file("t.db"), Durability::normal).ok()); }
  {
    auto storage = SqliteStorage::open(folder.file("t.db"), Durability::normal);
    REQUIRE(storage.ok());
  }
  // Bump the version as a later build would.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(folder.file("t.db").c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, ("PRAGMA user_version=" + std::to_string(SqliteStorage::schemaVersion() + 1)).c_str(), nullptr,
                 nullptr, nullptr);
    sqlite3_close(db);
  }
  const auto refused = SqliteStorage::open(folder.file("t.db"), Durability::normal);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::configInvalid);
  CHECK(refused.error().message.find("newer") != std::string::npos);
  const auto unwritable = SqliteStorage::open(folder.file("no/such/folder/t.db"), Durability::normal);
  REQUIRE_FALSE(unwritable.ok());
  CHECK(unwritable.error().code == ErrorCode::storageUnavailable);
}

TEST_CASE("storage gives back every stored event as it was stored, for the scores", "[collector][storage]") {
  test::TempFolder folder;
  const IncomingBatch batch = vectorBatch("0123456789abcdef", true);
  auto storage = SqliteStorage::open(folder.file("t.db"), Durability::normal);
  REQUIRE(storage.ok());
  REQUIRE(storage.value()->store({&batch}).ok());
  std::vector<StoredEvent> back;
  REQUIRE(storage.value()->forEachEvent([&](const std::string& site, const StoredEvent& e) {
    CHECK(site == "acme");
    back.push_back(e);
  }).ok());
  REQUIRE(back.size() == batch.events.size());
  for (const StoredEvent& expected : batch.events) {
    INFO(expected.event.id);
    const auto found =
        std::find_if(back.begin(), back.end(), [&](const StoredEvent& e) { return e.event.id == expected.event.id; });
    REQUIRE(found != back.end());
    CHECK(found->visitor == batch.header.visitor);
    CHECK(found->subscriber == batch.header.subscriber);
    CHECK(found->clientKey == "0123456789abcdef");
    CHECK(found->requestBot);
    CHECK(found->receivedAtMs == batch.receivedAtMs);
    CHECK(found->event == expected.event);
  }
}

TEST_CASE("migration 3 gives older summaries the measures of the row they left standing", "[collector][storage]") {
  test::TempFolder folder;
  const IncomingBatch batch = vectorBatch();
  {
    auto storage = SqliteStorage::open(folder.file("t.db"), Durability::normal);
    REQUIRE(storage.ok());
    REQUIRE(storage.value()->store({&batch}).ok());
  }
  {
    // The database as a version-2 collector left it.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(folder.file("t.db").c_str(), &db) == SQLITE_OK);
    for (const char* sql : {"ALTER TABLE events DROP COLUMN measures", "ALTER TABLE events DROP COLUMN erased",
                            "ALTER TABLE events DROP COLUMN client_key", "PRAGMA user_version=2"}) {
      CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(db);
  }
  auto storage = SqliteStorage::open(folder.file("t.db"), Durability::normal);
  REQUIRE(storage.ok());
  std::vector<SummaryEvent> summaries;
  REQUIRE(storage.value()->forEachEvent([&](const std::string&, const StoredEvent& e) {
    if (const auto* summary = std::get_if<SummaryEvent>(&e.event.body)) summaries.push_back(*summary);
  }).ok());
  REQUIRE(summaries.size() == 2);
  for (const StoredEvent& event : batch.events) {
    const auto* stored = std::get_if<SummaryEvent>(&event.event.body);
    if (!stored) continue;
    const auto back = std::find_if(summaries.begin(), summaries.end(),
                                   [&](const SummaryEvent& s) { return s.content == stored->content; });
    REQUIRE(back != summaries.end());
    CHECK(*back == *stored);
  }
}

TEST_CASE("erasing a visitor leaves only the erased forms of their events", "[collector][storage]") {
  test::TempFolder folder;
  const IncomingBatch batch = vectorBatch("0123456789abcdef");
  auto storage = SqliteStorage::open(folder.file("t.db"), Durability::normal);
  REQUIRE(storage.ok());
  REQUIRE(storage.value()->store({&batch}).ok());
  REQUIRE(storage.value()->eraseVisitor("acme", batch.header.visitor, "anonymous-0001").ok());
  std::vector<StoredEvent> back;
  REQUIRE(storage.value()->forEachEvent([&](const std::string&, const StoredEvent& e) { back.push_back(e); }).ok());
  std::size_t kept = 0;
  for (const StoredEvent& event : batch.events) {
    const auto expected = erasedForm(event, "anonymous-0001");
    const auto found =
        std::find_if(back.begin(), back.end(), [&](const StoredEvent& e) { return e.event.id == event.event.id; });
    INFO(event.event.id);
    CHECK((found != back.end()) == expected.has_value());
    if (!expected || found == back.end()) continue;
    ++kept;
    CHECK(found->visitor == "anonymous-0001");
    CHECK(found->erased);
    CHECK_FALSE(found->subscriber);
    CHECK(found->clientKey == expected->clientKey);
    CHECK(found->event == expected->event);
  }
  CHECK(kept == back.size());
  test::SqliteReader db(folder.file("t.db"));
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE visitor = '" + batch.header.visitor + "'") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM batches") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE subscriber IS NOT NULL") == 0);
}
