// The stores' contract, run against SQLite and, in the tests' PostgreSQL run
// (SHARETRACK_TEST_POSTGRES), against PostgreSQL; then what only one of them does.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>
#include <catch2/catch.hpp>

#include "pg_storage.hpp"
#include "pg_tail.hpp"
#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/erased_form.hpp"
#include "sqlite_storage.hpp"
#include "support/collector_process.hpp"
#include "support/test_database.hpp"
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

// The vector batch again under other event ids (and batch id), as another page's would be.
IncomingBatch renamed(const IncomingBatch& batch, const std::string& suffix) {
  IncomingBatch copy = batch;
  copy.header.id += suffix;
  for (StoredEvent& e : copy.events) e.event.id += suffix;
  return copy;
}

std::int64_t schemaVersion(const test::TestDatabase& db) {
  return db.postgres() ? db.integer("SELECT version FROM sharetrack_schema") : db.integer("PRAGMA user_version");
}

}  // namespace

TEST_CASE("storage migrates a new database and stores each event id once across reopening", "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  const IncomingBatch batch = vectorBatch();
  {
    auto storage = db.open();
    const auto first = storage->store({&batch, &batch});  // the same batch twice in one transaction
    REQUIRE(first.ok());
    for (StoreOutcome o : first.value()[0]) CHECK(o == StoreOutcome::accepted);
    for (StoreOutcome o : first.value()[1]) CHECK(o == StoreOutcome::duplicate);
  }
  const auto again = db.open()->store({&batch});
  REQUIRE(again.ok());
  for (StoreOutcome o : again.value()[0]) CHECK(o == StoreOutcome::duplicate);
  CHECK(schemaVersion(db) == (db.postgres() ? PgStorage::schemaVersion() : SqliteStorage::schemaVersion()));
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 7);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 2);
  CHECK(db.column("SELECT shares FROM summaries WHERE event_id = 'evt-sum-1'") ==
        std::vector<std::string>{R"({"copy":1,"x":2})"});
  CHECK(db.integer("SELECT queue_overflow FROM batches") == 2);
  if (!db.postgres()) CHECK(db.column("PRAGMA journal_mode") == std::vector<std::string>{"wal"});
}

TEST_CASE("a database from a newer collector is refused and not damaged and one out of reach is unavailable",
          "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  const IncomingBatch batch = vectorBatch();
  REQUIRE(db.open()->store({&batch}).ok());
  const int newer = (db.postgres() ? PgStorage::schemaVersion() : SqliteStorage::schemaVersion()) + 1;
  // Bump the version as a later build would.
  db.execute(db.postgres() ? "UPDATE sharetrack_schema SET version = " + std::to_string(newer)
                           : "PRAGMA user_version=" + std::to_string(newer));
  const auto refused = db.postgres() ? PgStorage::open(db.name()).error()
                                     : SqliteStorage::open(db.name(), Durability::normal).error();
  CHECK(refused.code == ErrorCode::configInvalid);
  CHECK(refused.message.find("newer") != std::string::npos);
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 7);
  CHECK(schemaVersion(db) == newer);

  const auto unwritable = SqliteStorage::open(folder.file("no/such/folder/t.db"), Durability::normal);
  REQUIRE_FALSE(unwritable.ok());
  CHECK(unwritable.error().code == ErrorCode::storageUnavailable);
  // A port nothing listens on (1 is reserved); the message names the server and not the password.
  const auto unreachable = PgStorage::open("postgresql://collector:secret-password@127.0.0.1:1/sharetrack?connect_timeout=5");
  REQUIRE_FALSE(unreachable.ok());
  CHECK(unreachable.error().code == ErrorCode::storageUnavailable);
  CHECK(unreachable.error().message.find("127.0.0.1:1/sharetrack") != std::string::npos);
  CHECK(unreachable.error().message.find("secret-password") == std::string::npos);
}

TEST_CASE("storage takes a group commit larger than one statement can bind", "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  // 7,500 batches of 7 events, each with page views of its own: more rows of each table than one
  // PostgreSQL statement's 65,535 parameters hold.
  const IncomingBatch base = vectorBatch();
  std::vector<IncomingBatch> batches;
  for (int i = 0; i < 7500; ++i) {
    IncomingBatch batch = renamed(base, "-" + std::to_string(i));
    for (StoredEvent& e : batch.events) {
      if (auto* summary = std::get_if<SummaryEvent>(&e.event.body)) summary->pageView += "-" + std::to_string(i);
    }
    batches.push_back(std::move(batch));
  }
  std::vector<const IncomingBatch*> group;
  for (const IncomingBatch& b : batches) group.push_back(&b);
  auto storage = db.open();
  const auto stored = storage->store(group);
  REQUIRE(stored.ok());
  CHECK(std::all_of(stored.value().begin(), stored.value().end(), [](const std::vector<StoreOutcome>& outcomes) {
    return std::all_of(outcomes.begin(), outcomes.end(), [](StoreOutcome o) { return o == StoreOutcome::accepted; });
  }));
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 7500 * 7);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 7500 * 2);
  CHECK(db.integer("SELECT COUNT(*) FROM batches") == 7500);
}

TEST_CASE("storage gives back every stored event as it was stored, for the scores", "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  const IncomingBatch batch = vectorBatch("0123456789abcdef", true);
  auto storage = db.open();
  REQUIRE(storage->store({&batch}).ok());
  std::vector<StoredEvent> back;
  REQUIRE(storage->forEachEvent([&](const std::string& site, const StoredEvent& e) {
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

TEST_CASE("SQLite's migration 3 gives older summaries the measures of the row they left standing", "[collector][storage]") {
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
  const test::TestDatabase db(folder);
  const IncomingBatch batch = vectorBatch("0123456789abcdef");
  auto storage = db.open();
  REQUIRE(storage->store({&batch}).ok());
  REQUIRE(storage->eraseVisitor("acme", batch.header.visitor, "anonymous-0001").ok());
  std::vector<StoredEvent> back;
  REQUIRE(storage->forEachEvent([&](const std::string&, const StoredEvent& e) { back.push_back(e); }).ok());
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
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE visitor = '" + batch.header.visitor + "'") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM batches") == 0);
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE subscriber IS NOT NULL") == 0);
}

namespace {

// The tests below run in the PostgreSQL run of the collector tests only.
bool postgresRun(const test::TestDatabase& db) {
  if (!db.postgres()) WARN("PostgreSQL only: runs when SHARETRACK_TEST_POSTGRES names a database (scripts/test)");
  return db.postgres();
}

std::unique_ptr<PgStorage> openPostgres(const test::TestDatabase& db) {
  auto opened = PgStorage::open(db.name());
  INFO((opened ? "" : opened.error().message));
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

}  // namespace

TEST_CASE("PostgreSQL: two collectors storing the same batches at once store each event once", "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  if (!postgresRun(db)) return;
  std::vector<IncomingBatch> batches;
  const IncomingBatch base = vectorBatch();
  for (int i = 0; i < 40; ++i) batches.push_back(renamed(base, "-" + std::to_string(i)));
  std::vector<const IncomingBatch*> all;
  for (const IncomingBatch& b : batches) all.push_back(&b);
  std::vector<std::unique_ptr<PgStorage>> stores;
  stores.push_back(openPostgres(db));
  stores.push_back(openPostgres(db));
  std::vector<TransactionId> announced[2];
  std::vector<std::vector<std::vector<StoreOutcome>>> outcomes[2];
  std::vector<std::thread> collectors;
  for (int c = 0; c < 2; ++c) {
    stores[c]->observeTransactions([&announced, c](TransactionId t) { announced[c].push_back(t); },
                                   [](TransactionId) { FAIL("no commit fails here"); });
    collectors.emplace_back([&, c] {
      // Each posts every batch, one group commit per batch, in opposite orders.
      for (std::size_t i = 0; i < all.size(); ++i) {
        const IncomingBatch* batch = all[c == 0 ? i : all.size() - 1 - i];
        auto stored = stores[c]->store({batch});
        if (stored) outcomes[c].push_back(stored.value());
      }
    });
  }
  for (std::thread& t : collectors) t.join();
  REQUIRE(outcomes[0].size() == all.size());
  REQUIRE(outcomes[1].size() == all.size());
  std::size_t accepted = 0;
  for (int c = 0; c < 2; ++c) {
    for (const auto& group : outcomes[c]) accepted += std::count(group[0].begin(), group[0].end(), StoreOutcome::accepted);
    CHECK(announced[c].size() == all.size());
    CHECK(stores[c]->lastTransaction() == announced[c].back());
  }
  CHECK(accepted == 40 * 7);
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 40 * 7);
  CHECK(db.integer("SELECT COUNT(*) FROM batches") == 40);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries") == 2);  // the same two page views' standing rows
}

TEST_CASE("PostgreSQL: the tail reads each transaction once and stops at the oldest still running",
          "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  if (!postgresRun(db)) return;
  auto storage = openPostgres(db);
  auto tail = PgTail::open(db.name());
  REQUIRE(tail.ok());
  // Other tests' transactions on the same server may hold the horizon back for a moment, so a
  // read that has not yet seen what it waits for reads again (for up to 10 s).
  std::vector<std::string> ids;
  bool erased = false;
  const auto readUntil = [&](const std::function<bool()>& done) {
    ids.clear();
    erased = false;
    for (int attempt = 0; attempt < 1000 && !done(); ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      auto step = tail.value()->next([&](TransactionId, const std::string&, const StoredEvent& e) { ids.push_back(e.event.id); });
      REQUIRE(step.ok());
      erased = step.value().erased;
    }
  };
  const auto readTimes = [&](int times) {  // for what must not come
    ids.clear();
    for (int i = 0; i < times; ++i) {
      auto step = tail.value()->next([&](TransactionId, const std::string&, const StoredEvent& e) { ids.push_back(e.event.id); });
      REQUIRE(step.ok());
    }
  };
  const auto sevenRead = [&] { return ids.size() >= 7; };
  const IncomingBatch first = vectorBatch(), second = renamed(first, "-2"), third = renamed(first, "-3");
  REQUIRE(storage->store({&first}).ok());
  readUntil(sevenRead);
  CHECK(ids.size() == 7);
  readTimes(20);  // read once
  CHECK(ids.empty());

  // Another collector's transaction is running (it has written, not committed) while a later one commits.
  auto running = PgConnection::open(db.name());
  REQUIRE(running.ok());
  REQUIRE(running.value()->run("BEGIN", "begin").ok());
  REQUIRE(running.value()->run("SELECT pg_current_xact_id()", {}, "take a transaction id").ok());
  REQUIRE(storage->store({&second}).ok());
  readTimes(20);  // not past the running transaction: it could still commit below the later one
  CHECK(ids.empty());
  REQUIRE(running.value()->run("COMMIT", "commit").ok());
  readUntil(sevenRead);
  CHECK(ids.size() == 7);
  CHECK(std::all_of(ids.begin(), ids.end(), [](const std::string& id) { return id.size() > 2 && id.substr(id.size() - 2) == "-2"; }));

  // An erasure is told, not read; after restart() everything is read again.
  REQUIRE(storage->eraseVisitor("acme", first.header.visitor, "anonymous-0001").ok());
  REQUIRE(storage->store({&third}).ok());
  readUntil([&] { return erased; });
  CHECK(erased);
  CHECK(ids.empty());
  tail.value()->restart();
  const auto stored = static_cast<std::size_t>(db.integer("SELECT COUNT(*) FROM events"));
  readUntil([&] { return ids.size() >= stored; });
  CHECK(ids.size() == stored);
}

TEST_CASE("PostgreSQL: a store whose connection the server closed connects again for the next batch",
          "[collector][storage]") {
  test::TempFolder folder;
  const test::TestDatabase db(folder);
  if (!postgresRun(db)) return;
  auto storage = openPostgres(db);
  const IncomingBatch first = vectorBatch(), second = renamed(first, "-2");
  REQUIRE(storage->store({&first}).ok());
  db.closeConnections();
  const auto stored = storage->store({&second});
  INFO((stored ? "" : stored.error().message));
  REQUIRE(stored.ok());
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 14);
}
