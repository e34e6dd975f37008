#include "sqlite_storage.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "support/collector_process.hpp"
#include "support/sqlite_reader.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

namespace {

IncomingBatch vectorBatch() {
  const auto decoded = decodeBatch(test::loadVectors("batches.json")["valid"][0]["batch"].dump());
  IncomingBatch batch;
  batch.header = decoded.value().header;
  for (const auto& e : decoded.value().events) batch.events.push_back(e.event.value());
  batch.receivedAtMs = 1707670900000;
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
