// Storage in one SQLite file in WAL mode: every acknowledged batch survives the collector being
// killed; with Durability::full it survives power loss too (fsync at every commit).
#pragma once

#include <memory>
#include <string>

#include "storage.hpp"

struct sqlite3;

namespace sharetrack::collector {

class SqliteCheckpointer;

enum class Durability { normal, full };

// WAL, the durability's synchronous mode and a busy timeout, on a fresh connection to the store;
// false when SQLite refuses one. Shared with the raw-insert benchmark
// (tests/bench/sqlite_raw_insert.cpp), so that it measures SQLite under the collector's settings.
bool configureConnection(sqlite3* db, Durability durability);

// The SQL of the store's writes, bound by parameter number; shared with the same benchmark, so
// that it writes the collector's rows with the collector's statements.
namespace sqlite_writes {
// ?1 site, ?2 event id, ?3 type, ?4 batch, ?5 visitor, ?6 subscriber, ?7 content, ?8 page view,
// ?9 token, ?10 parent, ?11 channel, ?12 self-click, ?13 bot, ?14 conversion name, ?15 its value,
// ?16 client time, ?17 received at, ?18 client key, ?19 erased, ?20 measures; ignored when the
// event id is stored for the site.
extern const char* const kInsertEvent;
// ?1 site, ?2 page view, ?3 content, ?4 visitor, ?5 seq, ?6 viewable, ?7 dwell, ?8 video quartile,
// ?9 video watched, ?10 shares, ?11 copies, ?12 address-bar token, ?13 bot, ?14 event id,
// ?15 client time, ?16 received at; only a higher seq replaces a stored summary.
extern const char* const kUpsertSummary;
// ?1 site, ?2 batch id, ?3 visitor, ?4 events, ?5 queue overflow, ?6 rejected counts, ?7 bot
// User-Agent, ?8 sent at, ?9 received at.
extern const char* const kInsertBatch;
}  // namespace sqlite_writes

class SqliteStorage final : public Storage {
 public:
  // Opens (creating it if needed) and migrates the database; fails with storageUnavailable or
  // configInvalid (a database from a newer collector) and a message naming the file.
  static Result<std::unique_ptr<SqliteStorage>> open(const std::string& path, Durability durability);
  ~SqliteStorage() override;

  Result<std::vector<std::vector<StoreOutcome>>> store(const std::vector<const IncomingBatch*>& batches) override;
  Status forEachEvent(const StoredEventVisitor& visit) override;
  Result<std::vector<std::string>> visitorsOf(const std::string& site, const std::string& subscriber) override;
  Status eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) override;

  // The schema version this build writes (PRAGMA user_version).
  static int schemaVersion();

 private:
  struct Statements;
  SqliteStorage(sqlite3* db, std::string path);
  Status prepare();
  Status storeOne(const IncomingBatch& batch, std::vector<StoreOutcome>& outcomes);
  // Inserts one event unless its id is stored for the site; `fresh` says whether it was new.
  Status insertEvent(const std::string& site, const std::string& batchId, const StoredEvent& event, bool& fresh);
  Status upsertSummary(const std::string& site, const StoredEvent& event, const SummaryEvent& summary);
  template <typename Work>
  Status inTransaction(Work work);

  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Statements> statements_;
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
};

}  // namespace sharetrack::collector
